//! The generator: independent demand series with known latent demand, one per pattern and
//! history bucket, each drawn from its own random stream (see the patterns in `main.rs`).

use crate::{BUCKETS, HOLDOUT, SEED, SIM_DAYS};
use chrono::{Datelike, Days, NaiveDate};

/// SplitMix64: small, good enough, and reproducible everywhere.
pub(super) struct Rng(pub(super) u64);
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
    pub(super) fn normal(&mut self) -> f64 {
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
pub(super) struct Series {
    pub(super) pattern: &'static str,
    pub(super) bucket: &'static str,
    pub(super) today: NaiveDate,
    /// First day of the generated history (t = 0).
    pub(super) start: NaiveDate,
    /// First day of the shop's order import (rows before it do not exist).
    pub(super) import_first: NaiveDate,
    pub(super) lambda: Vec<f64>,
    pub(super) demand: Vec<u32>,
    pub(super) sales: Vec<u32>,
    pub(super) out: Vec<bool>,
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

pub(super) fn generate(index: usize, pattern: &'static str, bucket: usize) -> Series {
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
        draw = Box::new(move |r: &mut Rng, l: f64| {
            if l <= 0.0 {
                0
            } else {
                {
                    let g = r.gamma(k);
                    r.poisson(g * l / k)
                }
            }
        });
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
    let sales: Vec<u32> =
        (0..days).map(|t| if out[t] { demand[t].min(u32::from(t > 0 && !out[t - 1] && rng.unit() < 0.5)) } else { demand[t] }).collect();
    // The import covers the whole generated history; a launched product's import began
    // before it (up to 200 days), so its first row is its first sale or stockout.
    let import_first = if pattern == "launch" { start - Days::new(rng.int(0, 200) as u64) } else { start };
    Series { pattern, bucket: bucket_name, today, start, import_first, lambda, demand, sales, out }
}

impl Series {
    pub(super) fn days(&self) -> usize {
        self.sales.len()
    }
    /// `daily_sales` rows: days with a sale or at zero stock.
    pub(super) fn row_days(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.days()).filter(|&t| self.sales[t] > 0 || self.out[t])
    }
    /// The `history_compact` first day: the latest of the first row and the import's start.
    pub(super) fn first_day(&self) -> Option<NaiveDate> {
        let first_row = self.start + Days::new(self.row_days().next()? as u64);
        Some(first_row.max(self.import_first))
    }
}
