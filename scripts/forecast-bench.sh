#!/usr/bin/env bash
# Forecast benchmark (issue 17): the engine's production path against statsforecast on
# generated series with known latent demand. Not part of CI; takes a few minutes.
#
#   scripts/forecast-bench.sh                 # 120 series per pattern (1,080 series), ~3 min
#   SERIES_PER_PATTERN=40 scripts/forecast-bench.sh   # quicker, noisier
#
# Creates a Python venv with statsforecast under ~/.cache/stock-sentry/bench-venv (once),
# runs domain/examples/forecast_bench/ (generator + engine, writes CSVs to
# target/forecast-bench/), then scripts/forecast-bench.py (statsforecast + tables).
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${BENCH_VENV:-$HOME/.cache/stock-sentry/bench-venv}"
OUT="${BENCH_OUT:-target/forecast-bench}"
PER="${SERIES_PER_PATTERN:-120}"

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import statsforecast" 2>/dev/null; then
  echo "[bench] creating $VENV with statsforecast (pulls numba; a few minutes the first time)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --upgrade pip
  "$VENV/bin/pip" install --quiet "statsforecast>=2,<3" pandas numpy
fi

echo "[bench] generating series and running the engine's production path"
cargo run --quiet -p domain --release --example forecast_bench -- "$OUT" "$PER"

echo "[bench] statsforecast on the same observed data"
"$VENV/bin/python" scripts/forecast-bench.py "$OUT"
