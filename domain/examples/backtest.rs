//! Backtests the engine on the demo shop: the last 28 days of each variant × location
//! are hidden and forecast, scored as MASE against the seasonal-naive scale, and compared
//! with the plain 30-day average.
//!
//!     cargo run -p domain --release --example backtest

use chrono::NaiveDate;
use domain::engine::backtest::{backtest, summarise, HOLDOUT_DAYS};
use domain::engine::{DayRow, HistoryTable, SeriesId};
use std::collections::HashMap;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(end) = NaiveDate::from_ymd_opt(2026, 11, 25) else { return ExitCode::FAILURE };
    let shop = demo_shop::generate(42, end);
    let Some(start) = shop.sales.iter().map(|s| s.day).min() else { return ExitCode::FAILURE };
    let mut table = match HistoryTable::with_capacity(start, end, shop.levels.len()) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let ids: HashMap<(i64, i64), SeriesId> = shop.levels.iter().map(|l| ((l.variant_id, l.location_id), table.add_series())).collect();
    for s in &shop.sales {
        let Some(&id) = ids.get(&(s.variant_id, s.location_id)) else { continue };
        let row = DayRow { day: s.day, units_sold: s.units_sold, units_returned: s.units_returned, out_of_stock: s.out_of_stock };
        if let Err(e) = table.record(id, &row) {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    }
    let results: Vec<_> = (0..table.len()).filter_map(|i| table.series(SeriesId(i)).and_then(|h| backtest(h, HOLDOUT_DAYS))).collect();
    let s = summarise(&results);
    println!("demo shop: seed 42, history {start}..={end}, {} series, {} scored", table.len(), s.series);
    println!("holdout: last {HOLDOUT_DAYS} days; MASE scaled by in-sample seasonal-naive (lag 7) error");
    println!("                      mean MASE   median MASE");
    println!("engine (chosen)       {:>9.3}   {:>11.3}", s.mean_mase, s.median_mase);
    println!("naive 30-day average  {:>9.3}   {:>11.3}", s.mean_naive30_mase, s.median_naive30_mase);
    println!("seasonal naive lag 7  {:>9.3}", s.mean_seasonal_naive_mase);
    println!("engine better than 30-day average on {} of {} series", s.engine_wins, s.series);
    for (pattern, label) in [
        (domain::engine::DemandPattern::Smooth, "smooth"),
        (domain::engine::DemandPattern::Erratic, "erratic"),
        (domain::engine::DemandPattern::Intermittent, "intermittent"),
        (domain::engine::DemandPattern::Lumpy, "lumpy"),
    ] {
        let of: Vec<_> = results.iter().copied().filter(|r| r.pattern == pattern).collect();
        let p = summarise(&of);
        println!("  {label:<13} {:>4} series: engine {:.3} vs naive30 {:.3}", p.series, p.mean_mase, p.mean_naive30_mase);
    }
    if s.mean_mase < s.mean_naive30_mase {
        ExitCode::SUCCESS
    } else {
        eprintln!("the engine did not beat the 30-day average");
        ExitCode::FAILURE
    }
}
