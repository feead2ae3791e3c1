//! Forecast accuracy on held-out history: the last `holdout` days are hidden, the engine
//! forecasts them from the rest, and errors are scaled by the in-sample error of the
//! seasonal-naive forecast (same weekday last week) — MASE, so 1.0 means "as good as
//! repeating last week" and series of different sizes can be averaged.
//! Stockout days are not scored: their demand was not observed.

use super::forecast::{DemandPattern, Forecast, ForecastMethod};
use super::history::History;
use serde::{Deserialize, Serialize};

pub const HOLDOUT_DAYS: usize = 28;
const SEASON: usize = 7;
/// The baseline a merchant would compute: units over the last 30 days ÷ 30.
const NAIVE_WINDOW: usize = 30;
/// Training days needed besides the holdout.
const MIN_TRAIN_DAYS: usize = 28;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct VariantBacktest {
    pub pattern: DemandPattern,
    pub method: ForecastMethod,
    /// MASE of the engine's forecast.
    pub mase: f64,
    /// MASE of the plain 30-day average (stockout days counted as zero).
    pub naive30_mase: f64,
    /// MASE of repeating the last training week.
    pub seasonal_naive_mase: f64,
    pub scored_days: u32,
}

/// Backtests one series; `None` when it is too short, has no in-stock holdout day, or
/// never changes week over week (MASE undefined: its scale is zero).
pub fn backtest(history: History<'_>, holdout: usize) -> Option<VariantBacktest> {
    let n = history.len();
    if holdout == 0 || n < holdout + MIN_TRAIN_DAYS.max(NAIVE_WINDOW) {
        return None;
    }
    let n_train = n - holdout;
    let units = history.units();
    let out = history.stockout();

    let (mut scale_sum, mut scale_n) = (0.0, 0u32);
    for t in SEASON..n_train {
        if !out[t] && !out[t - SEASON] {
            scale_sum += (f64::from(units[t]) - f64::from(units[t - SEASON])).abs();
            scale_n += 1;
        }
    }
    if scale_n == 0 || scale_sum <= 0.0 {
        return None;
    }
    let scale = scale_sum / f64::from(scale_n);

    let forecast = Forecast::fit(history.truncate(n_train));
    let naive30 = units[n_train - NAIVE_WINDOW..n_train].iter().map(|&u| f64::from(u)).sum::<f64>() / NAIVE_WINDOW as f64;
    let (mut e_engine, mut e_naive, mut e_snaive, mut scored) = (0.0, 0.0, 0.0, 0u32);
    for h in 0..holdout {
        let i = n_train + h;
        if out[i] {
            continue;
        }
        let date = history.date(i)?;
        let y = f64::from(units[i]);
        let snaive = f64::from(units[n_train - SEASON + h % SEASON]);
        e_engine += (y - forecast.on(date)).abs();
        e_naive += (y - naive30).abs();
        e_snaive += (y - snaive).abs();
        scored += 1;
    }
    if scored == 0 {
        return None;
    }
    let mase = |e: f64| e / f64::from(scored) / scale;
    Some(VariantBacktest {
        pattern: forecast.pattern,
        method: forecast.method,
        mase: mase(e_engine),
        naive30_mase: mase(e_naive),
        seasonal_naive_mase: mase(e_snaive),
        scored_days: scored,
    })
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct BacktestSummary {
    pub series: usize,
    pub mean_mase: f64,
    pub mean_naive30_mase: f64,
    pub mean_seasonal_naive_mase: f64,
    pub median_mase: f64,
    pub median_naive30_mase: f64,
    /// Series where the engine's MASE is below the 30-day average's.
    pub engine_wins: usize,
}

pub fn summarise(results: &[VariantBacktest]) -> BacktestSummary {
    if results.is_empty() {
        return BacktestSummary::default();
    }
    let n = results.len() as f64;
    let mean = |f: fn(&VariantBacktest) -> f64| results.iter().map(f).sum::<f64>() / n;
    let median = |f: fn(&VariantBacktest) -> f64| {
        let mut v: Vec<f64> = results.iter().map(f).collect();
        v.sort_by(f64::total_cmp);
        let m = v.len() / 2;
        if v.len().is_multiple_of(2) {
            (v[m - 1] + v[m]) / 2.0
        } else {
            v[m]
        }
    };
    BacktestSummary {
        series: results.len(),
        mean_mase: mean(|r| r.mase),
        mean_naive30_mase: mean(|r| r.naive30_mase),
        mean_seasonal_naive_mase: mean(|r| r.seasonal_naive_mase),
        median_mase: median(|r| r.mase),
        median_naive30_mase: median(|r| r.naive30_mase),
        engine_wins: results.iter().filter(|r| r.mase < r.naive30_mase).count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn monday() -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()
    }

    #[test]
    fn mase_by_hand_on_a_weekly_cycle() {
        // A pure weekly cycle 0,0,0,0,0,7,7 (10 weeks). Seasonal naive is perfect
        // out of sample, but its in-sample error is 0 → MASE undefined → None.
        let week = [0u16, 0, 0, 0, 0, 7, 7];
        let units: Vec<u16> = week.iter().copied().cycle().take(70).collect();
        let out = vec![false; 70];
        assert!(backtest(History::new(monday(), &units, &out).unwrap(), 28).is_none());

        // Break one training week: day 14 (Monday) sells 7 instead of 0. In-sample
        // |y_t − y_{t−7}| is 7 at t=14 and t=21, over 35 pairs → scale 0.4.
        let mut units = units;
        units[14] = 7;
        let r = backtest(History::new(monday(), &units, &out).unwrap(), 28).unwrap();
        assert_eq!(r.scored_days, 28);
        assert_eq!(r.seasonal_naive_mase, 0.0);
        // The naive forecast is the mean of the 30 training days before the holdout.
        let naive: f64 = units[12..42].iter().map(|&u| f64::from(u)).sum::<f64>() / 30.0;
        let naive_err: f64 = units[42..].iter().map(|&u| (f64::from(u) - naive).abs()).sum::<f64>() / 28.0;
        assert!((r.naive30_mase - naive_err / 0.4).abs() < 1e-12);
        assert!(r.mase < r.naive30_mase, "{r:?}");
    }

    #[test]
    fn stockout_holdout_days_are_not_scored() {
        let units: Vec<u16> = (0..70).map(|i| (i % 3) as u16).collect();
        let mut out = vec![false; 70];
        for o in &mut out[50..] {
            *o = true;
        }
        let r = backtest(History::new(monday(), &units, &out).unwrap(), 28).unwrap();
        assert_eq!(r.scored_days, 8);
        assert!(backtest(History::new(monday(), &units[..40], &out[..40]).unwrap(), 28).is_none());
    }

    #[test]
    fn summary_means_and_medians() {
        let r = |m: f64, n: f64| VariantBacktest {
            pattern: DemandPattern::Smooth,
            method: ForecastMethod::SeasonalSmoothing,
            mase: m,
            naive30_mase: n,
            seasonal_naive_mase: 1.0,
            scored_days: 28,
        };
        let s = summarise(&[r(0.5, 1.0), r(1.0, 0.8), r(3.0, 4.0)]);
        assert_eq!((s.series, s.engine_wins), (3, 2));
        assert!((s.mean_mase - 1.5).abs() < 1e-12);
        assert_eq!((s.median_mase, s.median_naive30_mase), (1.0, 1.0));
        assert_eq!(summarise(&[]), BacktestSummary::default());
    }
}
