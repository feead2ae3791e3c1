//! Forecast benchmark, engine side: generates independent demand series with known latent
//! demand, runs the engine's production path on each exactly as the Worker does, and
//! writes the series and the engine's forecasts to CSV for `scripts/forecast-bench.py`,
//! which runs statsforecast's models on the same observed data and prints the tables.
//!
//!     scripts/forecast-bench.sh            # the whole benchmark (venv, this, Python)
//!     cargo run -p domain --release --example forecast_bench -- OUT_DIR [SERIES_PER_PATTERN]
//!
//! **Generator** (seed `SEED`; every series has its own stream, so adding a pattern does
//! not change the others). Nine patterns × `SERIES_PER_PATTERN` (120) series, each with its own
//! forecast origin (`today`, spread over 2025-06..2026-11 so weekdays and seasons vary) and
//! an observed history of 30..800 days in five buckets (30-89, 90-181, 182-364, 365-419 =
//! "12-13 months", 420-800). Latent demand λ(t) is the expected units of day t; the day's
//! demand is drawn from it (Poisson, or gamma-Poisson for erratic sizes, or occurrence ×
//! size for intermittent and lumpy demand). Every pattern has occasional stockout spells;
//! on a stockout day the shop sells at most what was left (0 or 1 unit) and the row is
//! flagged, as Shopify's `daily_sales.out_of_stock` is. Sales are what the engine and the
//! statsforecast models see; latent demand is what they are scored against.
//!
//! - smooth: steady rate 1..40/day, mild weekday pattern.
//! - trend: a rate growing or shrinking linearly (−60 %..+150 % over the history).
//! - intermittent: demand on 5..45 % of days, steady sizes (CV² < 0.49).
//! - lumpy: demand on 3..30 % of days, sizes from a wide lognormal (CV² > 0.49).
//! - weekly: strong weekday profile (busiest day 2..3× the quietest).
//! - yearly: a yearly cycle of ±30..70 % on top of a mild weekday pattern.
//! - promo: smooth demand with past promotions (3..10 days at ×2..×4; none in the holdout).
//! - stockouts: 15..35 % of training days at zero stock.
//! - launch: a product launched when its history starts, ramping up over 1..6 weeks;
//!   the shop's import began before the launch, so its first observed day is its first
//!   sale (the `history_compact` rule).
//!
//! **Production path.** For each series, `daily_sales` rows are emulated (a row for each
//! day with a sale or a stockout) and folded into the compact strings `history_compact`
//! returns, with the series' first observed day computed by the same rule (the latest of
//! its first row and the import's first day). The Sunday refit that preceded `today`
//! (cron `0 3 * * SUN`, after the nightly `0 2 * * *`) builds its `REFIT_HISTORY_DAYS`
//! table and calls `seasonal::refit_variant`, as `app/src/server/seasonal.rs` does; the
//! nightly run builds its `NIGHTLY_HISTORY_DAYS` table and calls `assess_all` with the
//! stored yearly factor, as `app/src/server/recalc.rs` does. The forecast for the 28-day
//! holdout is `Forecast::on` of each day. Bands: the engine's predictive distribution of a
//! day's demand is normal with mean `on(day)` and sd `sigma_daily` (what the safety stock
//! uses), cut at zero.
//!
//! Files: `generator` (the series), `production` (the Worker's path on one series),
//! `simulation` (replenishment), `demo` (the demo shop) and `output` (the CSV files).

use chrono::Days;
use domain::engine::EngineConfig;
use domain::settings::Settings;
use std::fmt::Write as _;
use std::process::ExitCode;
use std::time::Instant;

/// The benchmark's seed: change it to draw another set of series.
const SEED: u64 = 20_261_206;
const SERIES_PER_PATTERN: usize = 120;
const HOLDOUT: usize = 28;
/// Mean supplier lead times in the replenishment simulation (series i gets i mod 4).
const SIM_LEADS: [u32; 4] = [3, 7, 14, 21];
/// Days the replenishment simulation runs from each series' forecast date.
const SIM_DAYS: usize = 182;
/// Demo-shop series scored against actual sales (every k-th of the shop's).
const DEMO_SERIES: usize = 400;
const PATTERNS: [&str; 9] = ["smooth", "trend", "intermittent", "lumpy", "weekly", "yearly", "promo", "stockouts", "launch"];
const BUCKETS: [(&str, usize, usize); 5] =
    [("30-89", 30, 89), ("90-181", 90, 181), ("182-364", 182, 364), ("365-419", 365, 419), ("420-800", 420, 800)];

mod demo;
mod generator;
mod output;
mod production;
mod simulation;

use demo::demo;
use generator::generate;
use output::{header_days, header_series, label, write, Z80, Z95};
use production::production_path;
use simulation::{simulate, SimResult};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let Some(dir) = args.get(1) else {
        eprintln!("usage: forecast_bench OUT_DIR [SERIES_PER_PATTERN]");
        return ExitCode::FAILURE;
    };
    let per = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(SERIES_PER_PATTERN);
    match run(std::path::Path::new(dir), per) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("forecast_bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(dir: &std::path::Path, per: usize) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let cfg = EngineConfig::from(&Settings::default());
    let (mut days_csv, mut meta_csv) = (header_days(), header_series());
    let mut engine_micros = 0.0;
    let mut index = 0;
    let mut sims = [SimResult::default(); PATTERNS.len()];
    let mut sims_by_lead = [SimResult::default(); SIM_LEADS.len()];
    let mut sim_secs = 0.0;
    for (pi, pattern) in PATTERNS.iter().copied().enumerate() {
        for k in 0..per {
            let s = generate(index, pattern, k % BUCKETS.len());
            let run = production_path(&s, &cfg)?;
            let t_sim = Instant::now();
            let sim = simulate(&s, index, &cfg)?;
            sims[pi] += sim;
            sims_by_lead[index % SIM_LEADS.len()] += sim;
            sim_secs += t_sim.elapsed().as_secs_f64();
            engine_micros += run.micros;
            let first = s.first_day();
            let skip = first.map_or(s.days(), |f| usize::try_from((f - s.start).num_days()).unwrap_or(0).min(s.days()));
            for t in skip..s.days() {
                let d = s.start + Days::new(t as u64);
                let _ =
                    writeln!(days_csv, "{index},train,{d},{},{},{:.4},{},,,,,,", s.sales[t], u8::from(s.out[t]), s.lambda[t], s.demand[t]);
            }
            let f = &run.forecast;
            let sd = f.sigma_daily;
            for h in 0..HOLDOUT {
                let t = s.days() + h;
                let d = s.today + Days::new(h as u64);
                let mu = f.on(d);
                let band = |z: f64| ((mu - z * sd).max(0.0), mu + z * sd);
                let (lo80, hi80) = band(Z80);
                let (lo95, hi95) = band(Z95);
                let _ = writeln!(
                    days_csv,
                    "{index},test,{d},,,{:.4},{},{mu:.4},{:.4},{lo80:.4},{hi80:.4},{lo95:.4},{hi95:.4}",
                    s.lambda[t],
                    s.demand[t],
                    run.full.on(d)
                );
            }
            let _ = writeln!(
                meta_csv,
                "{index},{},{},{},{},{},{},{},{:.4},{},{},{:.4},{:.1}",
                s.pattern,
                s.bucket,
                s.days(),
                s.days() - skip,
                s.today,
                first.map(|d| d.to_string()).unwrap_or_default(),
                run.pattern.as_ref().map(|p| format!("{:.4}", p.yearly)).unwrap_or_default(),
                f.yearly,
                label(serde_json::to_value(f.method)),
                label(serde_json::to_value(f.pattern)),
                sd,
                run.micros
            );
            index += 1;
        }
    }
    write(dir, &days_csv, &meta_csv)?;
    println!(
        "engine production path (Sunday refit + nightly assess_all) on {index} series: {:.1} ms total, seed {SEED}",
        engine_micros / 1e3
    );
    println!();
    println!(
        "replenishment simulation: {SIM_DAYS} days per series from its forecast date, the engine's nightly reorder point and \
         order-up-to level at the {}% service level set, lead times 3/7/14/21 days with a 25% standard deviation, \
         unmet demand lost ({sim_secs:.1} s)",
        Settings::default().service_level_pct
    );
    println!("{:<14}{:>8}{:>14}{:>16}{:>13}", "", "orders", "cycle SL %", "lead-time SL %", "fill rate %");
    let mut all = SimResult::default();
    for (pattern, r) in PATTERNS.iter().zip(&sims) {
        all += *r;
        print_sim(pattern, r);
    }
    print_sim("all", &all);
    for (lead, r) in SIM_LEADS.iter().zip(&sims_by_lead) {
        print_sim(&format!("lead {lead} days"), r);
    }
    println!();
    demo(dir, DEMO_SERIES, &cfg)?;
    Ok(())
}

fn print_sim(label: &str, r: &SimResult) {
    let pct = |a: f64, b: f64| if b > 0.0 { 100.0 * a / b } else { f64::NAN };
    println!(
        "{label:<14}{:>8}{:>14.1}{:>16.1}{:>13.1}",
        r.orders,
        pct(f64::from(r.cycles - r.short_cycles), f64::from(r.cycles)),
        pct(f64::from(r.orders - r.short_orders), f64::from(r.orders)),
        pct(r.sold as f64, r.demand as f64)
    );
}
