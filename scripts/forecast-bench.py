"""Forecast benchmark, statsforecast side (run by scripts/forecast-bench.sh).

Reads the series the Rust example `forecast_bench` generated (DIR/days.csv, DIR/series.csv),
runs statsforecast's models on the same observed training data the engine saw (sales from
each series' first observed day; stockout days as the zero or one unit sold, since these
models cannot tell censored days apart), and prints MASE against latent demand per
pattern and per history length for every method side by side, each method's time, and
the coverage of the engine's 80 % and 95 % bands.

MASE: mean |forecast - latent mean demand| over the 28 holdout days, divided by the
in-sample mean |y_t - y_(t-7)| of the observed sales over in-stock day pairs (the scale the
engine's own backtest uses). Series whose scale is zero (never a change week over week)
are left out for every method alike.
"""

import os
import sys
import time
import warnings

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")
os.environ.setdefault("NIXTLA_ID_AS_COL", "1")

from statsforecast import StatsForecast  # noqa: E402
from statsforecast.models import (  # noqa: E402
    ADIDA,
    IMAPA,
    TSB,
    AutoETS,
    AutoTheta,
    CrostonSBA,
    SeasonalNaive,
    WindowAverage,
)

HOLDOUT = 28


def models():
    return [
        ("AutoETS", AutoETS(season_length=7)),
        ("AutoTheta", AutoTheta(season_length=7)),
        ("CrostonSBA", CrostonSBA()),
        ("ADIDA", ADIDA()),
        ("IMAPA", IMAPA()),
        ("TSB", TSB(alpha_d=0.2, alpha_p=0.2)),
        ("SeasonalNaive", SeasonalNaive(season_length=7)),
        ("Avg30", WindowAverage(window_size=30)),
    ]


def main(directory, title):
    days = pd.read_csv(os.path.join(directory, "days.csv"), parse_dates=["date"])
    meta = pd.read_csv(os.path.join(directory, "series.csv"))
    train = days[days.split == "train"].copy()
    test = days[days.split == "test"].copy()

    # MASE scale per series, from the observed sales over in-stock pairs a week apart.
    scale = {}
    for sid, g in train.groupby("series"):
        y = g.sales.to_numpy(float)
        out = g.out.to_numpy(bool)
        if len(y) <= 7:
            continue
        ok = ~out[7:] & ~out[:-7]
        d = np.abs(y[7:] - y[:-7])[ok]
        if len(d) and d.mean() > 0:
            scale[sid] = d.mean()

    # Series with at least two observed days (statsforecast needs something to fit).
    counts = train.groupby("series").size()
    usable = [s for s in meta.series if s in scale and counts.get(s, 0) >= 14]
    frame = train[train.series.isin(usable)][["series", "date", "sales"]].rename(
        columns={"series": "unique_id", "date": "ds", "sales": "y"}
    )
    frame["y"] = frame.y.astype(float)

    # Warm numba's compilation up on a tiny frame, so the times below are fitting time.
    warm = frame[frame.unique_id == usable[0]].tail(60)
    for _, m in models():
        StatsForecast(models=[m], freq="D", n_jobs=1).forecast(df=warm, h=HOLDOUT)

    forecasts = {}
    times = {}
    for name, m in models():
        t0 = time.perf_counter()
        try:
            fc = StatsForecast(models=[m], freq="D", n_jobs=1).forecast(df=frame, h=HOLDOUT)
        except Exception as e:  # a model that fails on some series fails the benchmark loudly
            print(f"{name} failed: {e}", file=sys.stderr)
            raise
        times[name] = time.perf_counter() - t0
        col = [c for c in fc.columns if c not in ("unique_id", "ds")][0]
        fc = fc.rename(columns={"unique_id": "series", "ds": "date", col: name})
        forecasts[name] = fc[["series", "date", name]]

    # Days at zero stock in the holdout have no observed demand (demo shop): not scored.
    test = test[test.out.fillna(0) != 1]
    scored = test[test.series.isin(usable)].copy()
    for name, fc in forecasts.items():
        scored = scored.merge(fc, on=["series", "date"], how="left")
    scored = scored.rename(columns={"engine": "Engine", "engine_full": "EngineAllHistory"})
    methods = ["Engine"] + [n for n, _ in models()] + ["EngineAllHistory"]
    for m in methods:
        scored[m] = scored[m].astype(float).clip(lower=0.0)

    per_series = scored.groupby("series").apply(
        lambda g: pd.Series({m: np.abs(g[m] - g.latent_mean).mean() / scale[g.name] for m in methods})
    )
    per_series = per_series.join(meta.set_index("series")[["pattern", "bucket", "engine_micros"]])
    times["Engine"] = per_series.engine_micros.sum() / 1e6
    times["EngineAllHistory"] = float("nan")

    short = {
        "Engine": "Engine",
        "AutoETS": "AutoETS",
        "AutoTheta": "AutoTheta",
        "CrostonSBA": "SBA",
        "ADIDA": "ADIDA",
        "IMAPA": "IMAPA",
        "TSB": "TSB",
        "SeasonalNaive": "SNaive7",
        "Avg30": "Avg30",
        "EngineAllHistory": "(eng-all)",
    }

    def table(by, order):
        head = f"{by:<14}{'n':>4}" + "".join(f"{short[m]:>10}" for m in methods) + "   best-sf   eng/ETS"
        lines = [head]
        groups = list(order) + ["all"]
        for key in groups:
            g = per_series if key == "all" else per_series[per_series[by] == key]
            if len(g) == 0:
                continue
            means = {m: g[m].mean() for m in methods}
            sf = [m for m in methods if m not in ("Engine", "EngineAllHistory")]
            best = min(sf, key=lambda m: means[m])
            row = f"{key:<14}{len(g):>4}" + "".join(f"{means[m]:>10.3f}" for m in methods)
            row += f"   {short[best]:>7}   {means['Engine'] / means['AutoETS']:>7.2f}"
            lines.append(row)
        return "\n".join(lines)

    print()
    print(f"== {title}")
    print(f"MASE (mean over series; lower is better), {len(per_series)} series scored")
    print(table("pattern", meta.pattern.drop_duplicates()))
    print()
    print(table("bucket", meta.bucket.drop_duplicates()))
    print()
    print("time (s, single core): " + "  ".join(f"{short[m]} {times[m]:.2f}" for m in methods if not np.isnan(times[m])))

    # The worst of both at once: each pattern at each history length (few series a cell,
    # so noisier than the tables above).
    sf = [m for m in methods if m not in ("Engine", "EngineAllHistory")]
    buckets = list(meta.bucket.drop_duplicates())
    print()
    print("engine / best statsforecast model per pattern x history length (> 1: the engine is behind)")
    print(f"{'':<14}" + "".join(f"{b:>10}" for b in buckets))
    worst = None
    for p in meta.pattern.drop_duplicates():
        cells = []
        for b in buckets:
            g = per_series[(per_series.pattern == p) & (per_series.bucket == b)]
            if len(g) == 0:
                cells.append(f"{'-':>10}")
                continue
            best = min(g[m].mean() for m in sf)
            ratio = g["Engine"].mean() / best if best > 0 else float("nan")
            cells.append(f"{ratio:>10.2f}")
            if not np.isnan(ratio) and (worst is None or ratio > worst[0]):
                worst = (ratio, p, b, len(g))
        print(f"{p:<14}" + "".join(cells))
    if worst:
        print(f"worst cell: {worst[1]} at {worst[2]} days ({worst[3]} series), engine at {worst[0]:.2f} x the best statsforecast model")

    # Band coverage: the engine's normal bands against the day's latent demand draw.
    cov = test.copy()
    c80 = ((cov.latent_demand >= cov.engine_lo80) & (cov.latent_demand <= cov.engine_hi80)).mean()
    c95 = ((cov.latent_demand >= cov.engine_lo95) & (cov.latent_demand <= cov.engine_hi95)).mean()
    print()
    print("engine bands (normal, mean on(day), sd sigma_daily, cut at 0) against each holdout day's demand:")
    print(f"  80 % band covers {100 * c80:.1f} %   95 % band covers {100 * c95:.1f} %   ({len(cov)} series-days)")
    by = cov.merge(meta[["series", "pattern"]], on="series")
    parts = []
    for p, g in by.groupby("pattern", sort=False):  # noqa: B007
        a = ((g.latent_demand >= g.engine_lo80) & (g.latent_demand <= g.engine_hi80)).mean()
        b = ((g.latent_demand >= g.engine_lo95) & (g.latent_demand <= g.engine_hi95)).mean()
        parts.append(f"{p} {100 * a:.0f}/{100 * b:.0f}")
    print("  per pattern (80/95): " + ", ".join(parts))


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "target/forecast-bench"
    main(out, "generated series, against latent demand")
    if os.path.exists(os.path.join(out, "demo", "days.csv")):
        main(os.path.join(out, "demo"), "demo shop (fake-shopify seed 42), against actual sales; pattern = the engine's class")
