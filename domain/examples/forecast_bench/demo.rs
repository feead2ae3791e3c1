//! The demo shop (fake-shopify's seed 42) with its last 28 days hidden, run through the same
//! production path and scored against its actual sales.

use crate::output::{header_days, header_series, label, write, Z80, Z95};
use crate::production::{last_refit, nightly, refit, DayRowT, Rows};
use crate::{BUCKETS, HOLDOUT};
use chrono::{Days, NaiveDate};
use domain::engine::{history_window, EngineConfig, REFIT_HISTORY_DAYS};
use std::fmt::Write as _;
use std::time::Instant;

/// The demo shop (fake-shopify's seed 42, as `examples/backtest.rs`) with its last 28 days
/// hidden: the same production path, scored against the actual sales of the hidden days
/// (stockout days unscored). Written to `dir/demo/` in the same format; at most `limit`
/// series, every k-th, so statsforecast's time stays bounded.
pub(super) fn demo(dir: &std::path::Path, limit: usize, cfg: &EngineConfig) -> Result<usize, String> {
    let Some(end) = NaiveDate::from_ymd_opt(2026, 11, 25) else { return Err("date".into()) };
    let shop = demo_shop::generate(42, end);
    let today = end - Days::new(HOLDOUT as u64 - 1); // the first hidden day
    let mut by_series: std::collections::BTreeMap<(i64, i64), Vec<DayRowT>> = Default::default();
    for s in &shop.sales {
        let net = domain::engine::history::net_units(s.units_sold, s.units_returned);
        by_series.entry((s.variant_id, s.location_id)).or_default().push((s.day, net, s.out_of_stock));
    }
    for rows in by_series.values_mut() {
        rows.sort_by_key(|r| r.0);
    }
    let import_first = shop.sales.iter().map(|s| s.day).min().ok_or("no sales")?;
    let keys: Vec<(i64, i64)> = by_series.keys().copied().collect();
    let step = keys.len().div_ceil(limit.max(1)).max(1);
    let chosen: Vec<(i64, i64)> = keys.iter().copied().step_by(step).collect();
    let (mut days_csv, mut meta_csv) = (header_days(), header_series());
    let mut engine_micros = 0.0;
    for (index, &(variant, location)) in chosen.iter().enumerate() {
        let t0 = Instant::now();
        let all = &by_series[&(variant, location)];
        let train: Vec<(NaiveDate, u16, bool)> = all.iter().copied().filter(|r| r.0 < today).collect();
        let first_row = |rows: &[(NaiveDate, u16, bool)]| rows.first().map(|r| r.0.max(import_first));
        // The refit pools the variant's locations, each with its own first day.
        let refit_day = last_refit(today);
        let (_, refit_end) = history_window(refit_day, REFIT_HISTORY_DAYS);
        let siblings: Vec<(i64, Vec<DayRowT>)> = by_series
            .range((variant, i64::MIN)..=(variant, i64::MAX))
            .map(|(&(_, l), rows)| (l, rows.iter().copied().filter(|r| r.0 <= refit_end).collect()))
            .collect();
        let here = siblings.iter().position(|(l, _)| *l == location).unwrap_or(0);
        let loc_rows: Vec<Rows<'_>> = siblings.iter().map(|(_, r)| Rows { rows: r, first_day: first_row(r) }).collect();
        let stored = refit(refit_day, &loc_rows)?;
        let rows = Rows { rows: &train, first_day: first_row(&train) };
        let forecast = nightly(today, &rows, stored.at(here), cfg)?;
        let micros = t0.elapsed().as_secs_f64() * 1e6;
        engine_micros += micros;

        // Training days from the first observed day: days without a row sold nothing.
        let Some(first) = rows.first_day else { continue };
        let mut row_at = train.iter().peekable();
        let mut d = first;
        while d < today {
            while row_at.peek().is_some_and(|r| r.0 < d) {
                row_at.next();
            }
            let (u, o) = row_at.peek().filter(|r| r.0 == d).map_or((0, false), |r| (r.1, r.2));
            let _ = writeln!(days_csv, "{index},train,{d},{u},{},{u},{u},,,,,,", u8::from(o));
            d = d.succ_opt().ok_or("date")?;
        }
        let sd = forecast.sigma_daily;
        for h in 0..HOLDOUT {
            let d = today + Days::new(h as u64);
            let (u, o) = all.iter().find(|r| r.0 == d).map_or((0, false), |r| (r.1, r.2));
            let mu = forecast.on(d);
            let (lo80, hi80) = ((mu - Z80 * sd).max(0.0), mu + Z80 * sd);
            let (lo95, hi95) = ((mu - Z95 * sd).max(0.0), mu + Z95 * sd);
            let _ = writeln!(days_csv, "{index},test,{d},{u},{},{u},{u},{mu:.4},,{lo80:.4},{hi80:.4},{lo95:.4},{hi95:.4}", u8::from(o));
        }
        let observed = usize::try_from((today - first).num_days()).unwrap_or(0);
        let bucket =
            BUCKETS.iter().find(|b| observed >= b.1 && observed <= b.2).map_or(if observed < 30 { "<30" } else { ">800" }, |b| b.0);
        let _ = writeln!(
            meta_csv,
            "{index},{},{bucket},{observed},{observed},{today},{first},{:.4},{:.4},{},{},{sd:.4},{micros:.1}",
            label(serde_json::to_value(forecast.pattern)),
            stored.pattern.yearly,
            forecast.yearly,
            label(serde_json::to_value(forecast.method)),
            label(serde_json::to_value(forecast.pattern)),
        );
    }
    let sub = dir.join("demo");
    std::fs::create_dir_all(&sub).map_err(|e| e.to_string())?;
    write(&sub, &days_csv, &meta_csv)?;
    println!(
        "demo shop (seed 42): {} of {} series, last {HOLDOUT} days hidden, engine {:.1} ms",
        chosen.len(),
        keys.len(),
        engine_micros / 1e3
    );
    Ok(chosen.len())
}
