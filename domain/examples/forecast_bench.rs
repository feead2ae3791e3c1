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

use chrono::{Datelike, Days, NaiveDate};
use domain::engine::{
    assess_all, long_runs, Assessment, history_window, refit_variant, LongRun, EngineConfig, Forecast, History, HistoryTable, Position, SeasonalPattern,
    SupplyOverrides, NIGHTLY_HISTORY_DAYS, REFIT_HISTORY_DAYS,
};
use domain::settings::Settings;
use std::fmt::Write as _;
use std::io::Write as _;
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

/// SplitMix64: small, good enough, and reproducible everywhere.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
    fn int(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }
    fn normal(&mut self) -> f64 {
        let (u1, u2) = (self.unit().max(1e-300), self.unit());
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
    fn poisson(&mut self, lambda: f64) -> u32 {
        if lambda <= 0.0 {
            return 0;
        }
        if lambda > 50.0 {
            return (lambda + lambda.sqrt() * self.normal()).round().max(0.0) as u32;
        }
        let (l, mut k, mut p) = ((-lambda).exp(), 0u32, 1.0);
        loop {
            p *= self.unit();
            if p <= l {
                return k;
            }
            k += 1;
        }
    }
    /// Gamma(shape, 1) by Marsaglia–Tsang (shape ≥ 1; boosted below 1).
    fn gamma(&mut self, shape: f64) -> f64 {
        if shape < 1.0 {
            return self.gamma(shape + 1.0) * self.unit().max(1e-300).powf(1.0 / shape);
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let x = self.normal();
            let v = (1.0 + c * x).powi(3);
            if v > 0.0 && self.unit().max(1e-300).ln() < 0.5 * x * x + d - d * v + d * v.ln() {
                return d * v;
            }
        }
    }
}

/// A day's demand drawn from its latent mean.
type Draw = Box<dyn FnMut(&mut Rng, f64) -> u32>;

/// One generated series: `days` of training history ending the day before `today`, then
/// `HOLDOUT` days; `lambda` and `demand` cover both, `sales`/`out` the training days.
struct Series {
    pattern: &'static str,
    bucket: &'static str,
    today: NaiveDate,
    /// First day of the generated history (t = 0).
    start: NaiveDate,
    /// First day of the shop's order import (rows before it do not exist).
    import_first: NaiveDate,
    lambda: Vec<f64>,
    demand: Vec<u32>,
    sales: Vec<u32>,
    out: Vec<bool>,
}

fn weekday_profile(rng: &mut Rng, strength: f64) -> [f64; 7] {
    let mut p = [1.0; 7];
    let peak = rng.int(0, 6);
    for (d, v) in p.iter_mut().enumerate() {
        let dist = ((d + 7 - peak) % 7).min((peak + 7 - d) % 7) as f64; // 0..3
        *v = (1.0 + strength * (1.0 - dist / 1.5)).max(0.2) * rng.range(0.9, 1.1);
    }
    let mean = p.iter().sum::<f64>() / 7.0;
    p.map(|v| v / mean)
}

fn generate(index: usize, pattern: &'static str, bucket: usize) -> Series {
    let mut rng = Rng(SEED ^ (index as u64 + 1).wrapping_mul(0xD1B5_4A32_D192_ED03));
    let (bucket_name, lo, hi) = BUCKETS[bucket];
    let days = rng.int(lo, hi);
    let base_date = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap_or_default();
    let today = base_date + Days::new(rng.int(0, 540) as u64);
    let start = today - Days::new(days as u64);
    let total = days + HOLDOUT;
    // Latent demand runs on past the holdout for the replenishment simulation, drawn from a
    // stream of its own so the history and holdout stay as they were without it.
    let horizon = days + HOLDOUT.max(SIM_DAYS);
    let mut future_rng = Rng(SEED ^ 0x5EED_F00D ^ (index as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let date = |t: usize| start + Days::new(t as u64);

    let mild_strength = rng.range(0.0, 0.25);
    let mild = weekday_profile(&mut rng, mild_strength);
    let mut lambda = vec![0.0; horizon];
    let mut demand = vec![0u32; horizon];
    // Occurrence probability and size distribution, for intermittent and lumpy demand.
    let mut draw: Draw = Box::new(|r: &mut Rng, l: f64| r.poisson(l));
    let base = match pattern {
        "intermittent" | "lumpy" => 1.0,
        _ => (rng.range(1.0f64.ln(), 40.0f64.ln())).exp(),
    };
    // Erratic sizes for some smooth-ish series: gamma-Poisson with shape k.
    if matches!(pattern, "smooth" | "trend" | "weekly" | "yearly" | "promo" | "stockouts") && rng.unit() < 0.3 {
        let k = rng.range(1.0, 4.0);
        draw = Box::new(move |r: &mut Rng, l: f64| if l <= 0.0 { 0 } else { { let g = r.gamma(k); r.poisson(g * l / k) } });
    }
    let mut occurrence = 1.0;
    let mut size_mean = 1.0;
    match pattern {
        "intermittent" => {
            occurrence = rng.range(0.05, 0.45);
            let extra = rng.range(0.0, 2.0);
            size_mean = 1.0 + extra;
            draw = Box::new(move |r: &mut Rng, l: f64| {
                // l is the occurrence probability times the size mean; sizes 1 + Poisson(extra).
                if r.unit() < l / (1.0 + extra) {
                    1 + r.poisson(extra)
                } else {
                    0
                }
            });
        }
        "lumpy" => {
            occurrence = rng.range(0.03, 0.30);
            let mu = rng.range(0.5, 2.0);
            let sd = rng.range(0.8, 1.3);
            size_mean = 1.0 + (mu + sd * sd / 2.0).exp();
            draw = Box::new(move |r: &mut Rng, l: f64| {
                let mean = 1.0 + (mu + sd * sd / 2.0).exp();
                if r.unit() < l / mean {
                    1 + (mu + sd * r.normal()).exp().round() as u32
                } else {
                    0
                }
            });
        }
        _ => {}
    }
    let strong_strength = rng.range(0.6, 1.0);
    let strong = weekday_profile(&mut rng, strong_strength);
    let growth = rng.range(-0.6, 1.5);
    let amp = rng.range(0.3, 0.7);
    let phase = rng.range(0.0, 365.25);
    let ramp = rng.range(7.0, 42.0);
    let mut promo = vec![1.0; horizon];
    if pattern == "promo" {
        let mut t = rng.int(0, 40);
        while t < days.saturating_sub(10) {
            let len = rng.int(3, 10);
            let lift = rng.range(2.0, 4.0);
            for p in promo.iter_mut().skip(t).take(len.min(days - t)) {
                *p = lift;
            }
            t += len + rng.int(30, 90);
        }
    }
    for t in 0..horizon {
        let d = date(t);
        let wd = d.weekday().num_days_from_monday() as usize;
        let season = match pattern {
            "weekly" => strong[wd],
            "yearly" => mild[wd] * (1.0 + amp * (std::f64::consts::TAU * (f64::from(d.ordinal()) - phase) / 365.25).sin()),
            _ => mild[wd],
        };
        let level = match pattern {
            // Past the holdout the trend levels off (no series trends to zero in the simulation).
            "trend" => base * (1.0 + growth * t.min(total) as f64 / total as f64),
            "launch" => base * (1.0 - (-(t as f64) / ramp).exp()),
            "intermittent" | "lumpy" => occurrence * size_mean,
            _ => base,
        };
        lambda[t] = (level * season * promo[t]).max(0.0);
        demand[t] = if t < total { draw(&mut rng, lambda[t]) } else { draw(&mut future_rng, lambda[t]) };
    }
    // Stockout spells in the training days; the holdout is scored against latent demand.
    let (spell_p, spell_len) = if pattern == "stockouts" { (rng.range(0.02, 0.04), (5, 25)) } else { (0.004, (3, 14)) };
    let mut out = vec![false; days];
    let mut t = 0;
    while t < days {
        if rng.unit() < spell_p {
            let len = rng.int(spell_len.0, spell_len.1);
            for o in out.iter_mut().skip(t).take(len) {
                *o = true;
            }
            t += len;
        } else {
            t += 1;
        }
    }
    let sales: Vec<u32> = (0..days)
        .map(|t| if out[t] { demand[t].min(u32::from(t > 0 && !out[t - 1] && rng.unit() < 0.5)) } else { demand[t] })
        .collect();
    // The import covers the whole generated history; a launched product's import began
    // before it (up to 200 days), so its first row is its first sale or stockout.
    let import_first = if pattern == "launch" { start - Days::new(rng.int(0, 200) as u64) } else { start };
    Series { pattern, bucket: bucket_name, today, start, import_first, lambda, demand, sales, out }
}

impl Series {
    fn days(&self) -> usize {
        self.sales.len()
    }
    /// `daily_sales` rows: days with a sale or at zero stock.
    fn row_days(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.days()).filter(|&t| self.sales[t] > 0 || self.out[t])
    }
    /// The `history_compact` first day: the latest of the first row and the import's start.
    fn first_day(&self) -> Option<NaiveDate> {
        let first_row = self.start + Days::new(self.row_days().next()? as u64);
        Some(first_row.max(self.import_first))
    }
}

/// The Sunday refit whose stored factor the nightly run of `today` reads: the nightly cron
/// (02:00) runs before the refit (03:00 Sunday), so on a Sunday it is last week's.
fn last_refit(today: NaiveDate) -> NaiveDate {
    let back = match today.weekday().num_days_from_sunday() {
        0 => 7,
        n => n,
    };
    today - Days::new(u64::from(back))
}

/// A `daily_sales` row: day, net units, out of stock.
type DayRowT = (NaiveDate, u16, bool);

/// One series' `daily_sales` rows (day, net units, out of stock), oldest first, and its
/// first observed day by the `history_compact` rule.
struct Rows<'a> {
    rows: &'a [(NaiveDate, u16, bool)],
    first_day: Option<NaiveDate>,
}

impl Rows<'_> {
    /// The `history_compact` string of the rows in `from..=to`, `None` without any (the
    /// query returns no row for the series then).
    fn compact(&self, from: NaiveDate, to: NaiveDate) -> Option<String> {
        let mut s = String::new();
        for &(d, u, o) in self.rows.iter().filter(|r| r.0 >= from && r.0 <= to) {
            let _ = write!(s, "{d},{u},{};", u8::from(o));
        }
        (!s.is_empty()).then_some(s)
    }
}

/// The Sunday refit of one variant (app/src/server/seasonal.rs): its locations' series in
/// a `REFIT_HISTORY_DAYS` table, pooled by `refit_variant`.
fn refit(refit_day: NaiveDate, locations: &[Rows<'_>]) -> Result<Stored, String> {
    let (rs, re) = history_window(refit_day, REFIT_HISTORY_DAYS);
    let mut table = HistoryTable::with_capacity(rs, re, locations.len()).map_err(|e| e.to_string())?;
    let mut ids = Vec::with_capacity(locations.len());
    for l in locations {
        let id = table.add_series();
        if let Some(c) = l.compact(rs, re) {
            table.fill_compact(id, &c, l.first_day).map_err(|e| e.to_string())?;
        }
        ids.push(id);
    }
    let (mut u, mut o) = (Vec::new(), Vec::new());
    Ok(Stored { pattern: refit_variant(&table, &ids, &mut u, &mut o), long_run: long_runs(&table, &ids) })
}

/// What the refit stores for a variant: its pattern and each location's `LongRun`.
struct Stored {
    pattern: SeasonalPattern,
    long_run: Vec<Option<LongRun>>,
}

impl Stored {
    fn at(&self, location: usize) -> (Option<&SeasonalPattern>, Option<LongRun>) {
        (Some(&self.pattern), self.long_run.get(location).copied().flatten())
    }
}

/// The nightly recalculation of one series (app/src/server/recalc.rs): its
/// `NIGHTLY_HISTORY_DAYS` table and `assess_all` with the stored pattern.
fn nightly(today: NaiveDate, rows: &Rows<'_>, stored: (Option<&SeasonalPattern>, Option<LongRun>), cfg: &EngineConfig) -> Result<Forecast, String> {
    let stock = Stock { on_hand: 100, incoming: 0, supply: SupplyOverrides::default() };
    Ok(nightly_assess(today, rows, stored, cfg, &stock)?.forecast)
}

/// A position's stock and supply, for the nightly assessment.
struct Stock {
    on_hand: i64,
    incoming: i64,
    supply: SupplyOverrides,
}

fn nightly_assess(
    today: NaiveDate,
    rows: &Rows<'_>,
    (stored, long_run): (Option<&SeasonalPattern>, Option<LongRun>),
    cfg: &EngineConfig,
    stock: &Stock,
) -> Result<Assessment, String> {
    let (ns, ne) = history_window(today, NIGHTLY_HISTORY_DAYS);
    let mut table = HistoryTable::with_capacity(ns, ne, 1).map_err(|e| e.to_string())?;
    let id = table.add_series();
    if let Some(c) = rows.compact(ns, ne) {
        table.fill_compact(id, &c, rows.first_day).map_err(|e| e.to_string())?;
    }
    let position = Position {
        variant_id: 1,
        location_id: 1,
        on_hand: stock.on_hand,
        incoming: stock.incoming,
        price_cents: 1_000,
        cost_cents: 500,
        tracked: true,
        supply: stock.supply,
        yearly_factor: stored.map(|p| p.yearly),
        day_of_week: stored.map(|p| p.day_of_week),
        long_run,
    };
    let assessed = assess_all(&[position], &table, cfg, today).map_err(|e| e.to_string())?;
    assessed.into_iter().next().ok_or_else(|| "no assessment".into())
}

/// What one series' replenishment simulation counted.
#[derive(Default, Clone, Copy)]
struct SimResult {
    /// Orders placed whose lead time ended inside the simulation, and how many of those
    /// lead times saw demand go unmet (with long lead times several orders are open at
    /// once, and one stockout fails all of them).
    orders: u32,
    short_orders: u32,
    /// Replenishment cycles (from one delivery to the next) and those with unmet demand:
    /// the textbook cycle service level.
    cycles: u32,
    short_cycles: u32,
    demand: u64,
    sold: u64,
}

impl std::ops::AddAssign for SimResult {
    fn add_assign(&mut self, o: Self) {
        self.orders += o.orders;
        self.short_orders += o.short_orders;
        self.cycles += o.cycles;
        self.short_cycles += o.short_cycles;
        self.demand += o.demand;
        self.sold += o.sold;
    }
}

/// The engine running a shop's replenishment against the series' latent demand for
/// `SIM_DAYS`: every night the production path (the last Sunday refit and the nightly
/// assessment, on the history so far, the simulated days' sales and stockouts included);
/// when it raises "reorder now", the suggested quantity is ordered and arrives after the
/// lead time, drawn around its mean with its standard deviation (both in the engine's
/// supply settings). Demand beyond the stock on hand is lost. Starts at the order-up-to
/// level. Counts the replenishment cycles (delivery to delivery) with unmet demand (cycle
/// service level), each order's lead time with unmet demand, and the share of demand
/// served (fill rate).
fn simulate(s: &Series, index: usize, cfg: &EngineConfig) -> Result<SimResult, String> {
    let lead = SIM_LEADS[index % SIM_LEADS.len()];
    let lead_sd = 0.25 * f64::from(lead);
    let supply = SupplyOverrides {
        lead_time_days: Some(lead),
        lead_time_sd_days: Some(lead_sd),
        review_period_days: None,
        target_cover_days: None,
    };
    let mut rng = Rng(SEED ^ 0xC0FF_EE00 ^ index as u64);
    let mut rows: Vec<DayRowT> = s
        .row_days()
        .map(|t| (s.start + Days::new(t as u64), u16::try_from(s.sales[t]).unwrap_or(u16::MAX), s.out[t]))
        .collect();
    let mut on_hand: i64 = 0;
    // Open orders: (arrival day, quantity, day placed, demand went unmet meanwhile).
    let mut open: Vec<(usize, i64, usize, bool)> = Vec::new();
    let mut result = SimResult::default();
    let mut refit_cache: Option<(NaiveDate, Stored)> = None;
    // A cycle runs from one delivery to the next (the first starts at the first delivery).
    let (mut delivered, mut short_cycle) = (false, false);
    for h in 0..SIM_DAYS {
        let today = s.today + Days::new(h as u64);
        for o in open.iter().filter(|o| o.0 == h) {
            on_hand += o.1;
        }
        for o in open.iter().filter(|o| o.0 == h) {
            result.orders += 1;
            result.short_orders += u32::from(o.3);
        }
        if open.iter().any(|o| o.0 == h) {
            if delivered {
                result.cycles += 1;
                result.short_cycles += u32::from(short_cycle);
            }
            (delivered, short_cycle) = (true, false);
        }
        open.retain(|o| o.0 > h);
        let first_day = rows.first().map(|r| r.0.max(s.import_first));
        let history = Rows { rows: &rows, first_day };
        let refit_day = last_refit(today);
        if refit_cache.as_ref().is_none_or(|(d, _)| *d != refit_day) {
            let pattern = refit(refit_day, std::slice::from_ref(&history))?;
            refit_cache = Some((refit_day, pattern));
        }
        let stored = refit_cache.as_ref().map_or((None, None), |(_, p)| p.at(0));
        let incoming: i64 = open.iter().map(|o| o.1).sum();
        let stock = Stock { on_hand, incoming, supply };
        let a = nightly_assess(today, &history, stored, cfg, &stock)?;
        if h == 0 {
            on_hand = a.plan.order_up_to.ceil() as i64;
        } else if a.conditions.get(domain::RiskKind::ReorderNow).opens && a.plan.suggested_qty > 0 {
            let days = (f64::from(lead) + lead_sd * rng.normal()).round().max(1.0) as usize;
            open.push((h + days, i64::from(a.plan.suggested_qty), h, false));
        }
        let demand = i64::from(s.demand[s.days() + h]);
        let sold = demand.min(on_hand.max(0));
        on_hand -= sold;
        if sold < demand {
            for o in &mut open {
                o.3 = true;
            }
            short_cycle = true;
        }
        result.demand += demand as u64;
        result.sold += sold as u64;
        let out = on_hand <= 0;
        if sold > 0 || out {
            rows.push((today, u16::try_from(sold).unwrap_or(u16::MAX), out));
        }
    }
    Ok(result)
}

/// What the engine forecast for one series, and how long the production path took.
struct EngineRun {
    forecast: Forecast,
    /// The refit's stored pattern (`None`: no row, the series did not exist yet).
    pattern: Option<SeasonalPattern>,
    /// The engine fitted on the whole observed history at once (a diagnostic, not production).
    full: Forecast,
    micros: f64,
}

fn production_path(s: &Series, cfg: &EngineConfig) -> Result<EngineRun, String> {
    let t0 = Instant::now();
    let first = s.first_day();
    let rows: Vec<(NaiveDate, u16, bool)> = s
        .row_days()
        .map(|t| (s.start + Days::new(t as u64), u16::try_from(s.sales[t]).unwrap_or(u16::MAX), s.out[t]))
        .collect();
    let rows = Rows { rows: &rows, first_day: first };
    let refit_day = last_refit(s.today);
    let (_, refit_end) = history_window(refit_day, REFIT_HISTORY_DAYS);
    // The variant has a stock level (so a stored pattern) once the shop had it at the refit.
    let stored = if s.import_first.max(s.start) <= refit_end {
        Some(refit(refit_day, std::slice::from_ref(&rows))?)
    } else {
        None
    };
    let forecast = nightly(s.today, &rows, stored.as_ref().map_or((None, None), |p| p.at(0)), cfg)?;
    let pattern = stored.map(|s| s.pattern);
    let micros = t0.elapsed().as_secs_f64() * 1e6;

    // Diagnostic: the engine on all observed history in one fit.
    let units: Vec<u16> = s.sales.iter().map(|&u| u16::try_from(u).unwrap_or(u16::MAX)).collect();
    let skip = first.map_or(s.days(), |f| usize::try_from((f - s.start).num_days()).unwrap_or(0).min(s.days()));
    let full_start = s.start + Days::new(skip as u64);
    let full = Forecast::fit(History::new(full_start, &units[skip..], &s.out[skip..]).map_err(|e| e.to_string())?);
    Ok(EngineRun { forecast, pattern, full, micros })
}

/// The demo shop (fake-shopify's seed 42, as `examples/backtest.rs`) with its last 28 days
/// hidden: the same production path, scored against the actual sales of the hidden days
/// (stockout days unscored). Written to `dir/demo/` in the same format; at most `limit`
/// series, every k-th, so statsforecast's time stays bounded.
fn demo(dir: &std::path::Path, limit: usize, cfg: &EngineConfig) -> Result<usize, String> {
    let Some(end) = NaiveDate::from_ymd_opt(2026, 11, 25) else { return Err("date".into()) };
    let shop = fake_shopify::catalog::generate(42, end);
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
        let siblings: Vec<(i64, Vec<(NaiveDate, u16, bool)>)> = by_series
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
            let _ = writeln!(
                days_csv,
                "{index},test,{d},{u},{},{u},{u},{mu:.4},,{lo80:.4},{hi80:.4},{lo95:.4},{hi95:.4}",
                u8::from(o)
            );
        }
        let observed = usize::try_from((today - first).num_days()).unwrap_or(0);
        let bucket = BUCKETS.iter().find(|b| observed >= b.1 && observed <= b.2).map_or(if observed < 30 { "<30" } else { ">800" }, |b| b.0);
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

const Z80: f64 = 1.281_551_565_544_600_5;
const Z95: f64 = 1.959_963_984_540_054;

fn header_days() -> String {
    "series,split,date,sales,out,latent_mean,latent_demand,engine,engine_full,engine_lo80,engine_hi80,engine_lo95,engine_hi95\n".into()
}

fn header_series() -> String {
    "series,pattern,bucket,history_days,observed_days,today,first_day,refit_yearly,engine_yearly,engine_method,engine_pattern,engine_sigma,engine_micros\n".into()
}

fn label(v: serde_json::Result<serde_json::Value>) -> String {
    v.ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

fn write(dir: &std::path::Path, days_csv: &str, meta_csv: &str) -> Result<(), String> {
    for (name, body) in [("days.csv", days_csv), ("series.csv", meta_csv)] {
        let mut file = std::fs::File::create(dir.join(name)).map_err(|e| e.to_string())?;
        file.write_all(body.as_bytes()).map_err(|e| e.to_string())?;
    }
    Ok(())
}

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
                let _ = writeln!(
                    days_csv,
                    "{index},train,{d},{},{},{:.4},{},,,,,,",
                    s.sales[t],
                    u8::from(s.out[t]),
                    s.lambda[t],
                    s.demand[t]
                );
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
