//! Engine time for a large catalogue: 100,000 variant × location series × 365 days.
//!
//!     cargo bench -p domain --bench engine -- --quick

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use domain::engine::{assess_all, EngineConfig, ForecastMethod, HistoryTable, Position, SupplyOverrides};
use domain::settings::Settings;
use std::hint::black_box;
use std::time::Instant;

const SERIES: usize = 100_000;
const DAYS: usize = 365;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A catalogue mixing fast and slow movers with weekly patterns and stockout spells.
fn catalogue(rate_scale: f64) -> (HistoryTable, Vec<Position>, NaiveDate) {
    let start = NaiveDate::from_ymd_opt(2025, 11, 26).unwrap_or_default();
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut units = Vec::with_capacity(SERIES * DAYS);
    let mut stockout = Vec::with_capacity(SERIES * DAYS);
    let mut positions = Vec::with_capacity(SERIES);
    let weekly = [0.85, 0.9, 0.95, 1.0, 1.1, 1.3, 0.9];
    for v in 0..SERIES {
        let rate = (rng.unit() * 3.0).exp() * rate_scale; // scale .. 20 × scale units/day
        let mut out_left = 0u32;
        for d in 0..DAYS {
            if out_left == 0 && rng.unit() < 0.005 {
                out_left = 3 + (rng.next() % 20) as u32;
            }
            let out = out_left > 0;
            out_left = out_left.saturating_sub(1);
            // Demand ~ geometric-ish around rate × weekday (cheap, not exact Poisson).
            let lambda = rate * weekly[d % 7];
            let u = if out { 0 } else { (-(rng.unit().max(1e-12)).ln() * lambda).floor() as u16 };
            units.push(u);
            stockout.push(out);
        }
        positions.push(Position {
            variant_id: v as i64,
            location_id: 1,
            on_hand: (rng.next() % 120) as i64 - 5,
            incoming: (rng.next() % 3) as i64 * 10,
            price_cents: 2_500,
            cost_cents: 1_100,
            tracked: true,
            supply: SupplyOverrides::default(),
            limits: Default::default(),
            yearly_factor: None,
            day_of_week: None,
            long_run: None,
            arrival: None,
        });
    }
    let table = HistoryTable::from_columns(start, DAYS, units, stockout).unwrap_or_else(|e| panic!("{e}"));
    (table, positions, today)
}

fn bench(c: &mut Criterion) {
    let cfg = EngineConfig::from(&Settings::default());
    let mut group = c.benchmark_group("engine");
    group.sample_size(10);
    // 0.1..2 units/day is mostly slow movers (SBA), like the demo shop; 1.5..30 is mostly
    // smooth sellers, the costlier smoothing path.
    for (name, scale) in [("slow-moving mix", 0.1), ("fast-moving mix", 1.5)] {
        let (table, positions, today) = catalogue(scale);
        let t = Instant::now();
        let assessed = assess_all(&positions, &table, &cfg, today).unwrap_or_default();
        let sba = assessed.iter().filter(|a| a.forecast.method == ForecastMethod::Sba).count();
        println!(
            "{name}: {} series × {DAYS} days in {:.1} ms (single run; {sba} by SBA, the rest by smoothing)",
            assessed.len(),
            t.elapsed().as_secs_f64() * 1e3
        );
        group.bench_function(format!("assess_all 100k x 365, {name}"), |b| {
            b.iter(|| assess_all(black_box(&positions), black_box(&table), &cfg, today).map(|a| a.len()))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
