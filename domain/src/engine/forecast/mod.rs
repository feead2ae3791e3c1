//! Demand forecasting for one variant × location, in two passes over its history and
//! without allocating.
//!
//! **Stockout-aware.** A day that ended at zero stock is censored: customers who wanted
//! the product could not buy it. Such days are skipped everywhere (indices, smoothing,
//! pattern, errors) rather than counted as zero demand.
//!
//! **Weekly seasonality.** Multiplicative day-of-week indices (in-stock weekday mean over
//! the overall mean), shrunk by how much of their spread is noise (positive-part
//! James–Stein: each index keeps τ² / (τ² + φ/S), φ the series' dispersion, S a
//! weekday's expected units) toward a flat week — or, in the nightly run, toward the
//! weekly refit's indices from a longer, location-pooled history (`fit_with`) — and
//! normalised to average 1.
//!
//! **Velocity: seasonal exponential smoothing (chosen over a 7/30/90-day blend).** Demand
//! is divided by its day-of-week index, then smoothed with
//! `level += α · (deseasonalised − level)` over in-stock days. α is chosen per series from
//! {0.02, 0.05, 0.1, 0.25} by the smallest one-step squared error over the last 26 weeks,
//! so a steady seller gets a long memory and a trending one a short one; the four
//! candidates run side by side in the same pass. Observations are winsorised at five
//! mean absolute errors around the level, so one wholesale order moves neither the level
//! nor σ by its size. A fixed window blend cannot adapt its memory per series and drops
//! old days abruptly. `backtest` and `examples/forecast_bench/` (against statsforecast)
//! measure it. σ is the root mean squared one-step error.
//!
//! **Intermittent demand.** For slow movers (ADI ≥ 1.32) a daily mean is mostly noise
//! around tiny numbers; Croston's method with the Syntetos–Boylan bias correction (SBA)
//! smooths demand sizes and intervals separately and forecasts `(1 − α/2) · z / p`, over
//! the same 26 weeks as smoothing, started from the longer history's (or, for a lumpy
//! seller, the refit's `LongRun`) averages. σ is the in-stock daily standard deviation.

use super::history::History;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

mod smoothing;
mod yearly;

use smoothing::{sba, seasonal_smoothing};
use yearly::yearly_factor;
pub use yearly::{week_of_year_factors, WEEKS};

/// Syntetos–Boylan demand classes, by average inter-demand interval (ADI) and squared
/// coefficient of variation of non-zero demand sizes (CV²).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DemandPattern {
    /// Sells most days, steady sizes.
    Smooth,
    /// Sells most days, sizes vary a lot.
    Erratic,
    /// Sells on few days, steady sizes.
    Intermittent,
    /// Sells on few days, sizes vary a lot.
    Lumpy,
    /// In stock on some days but never sold.
    NoDemand,
    /// Never in stock (or no days at all): nothing observed.
    NoHistory,
}

pub const ADI_CUTOFF: f64 = 1.32;
pub const CV2_CUTOFF: f64 = 0.49;

impl DemandPattern {
    pub fn classify(adi: f64, cv2: f64) -> Self {
        match (adi < ADI_CUTOFF, cv2 < CV2_CUTOFF) {
            (true, true) => Self::Smooth,
            (true, false) => Self::Erratic,
            (false, true) => Self::Intermittent,
            (false, false) => Self::Lumpy,
        }
    }

    pub fn method(self) -> ForecastMethod {
        match self {
            Self::Smooth | Self::Erratic => ForecastMethod::SeasonalSmoothing,
            Self::Intermittent | Self::Lumpy => ForecastMethod::Sba,
            Self::NoDemand | Self::NoHistory => ForecastMethod::None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ForecastMethod {
    /// Exponential smoothing of day-of-week-adjusted demand.
    SeasonalSmoothing,
    /// Croston's method with the Syntetos–Boylan correction.
    Sba,
    /// Under two weeks of history: the pace borrowed from the product's other variants or
    /// its product type (`engine::launch`).
    Launch,
    /// Nothing to forecast from: zero demand.
    None,
}

/// Smoothing constants tried per series.
const ALPHAS: [f64; 4] = [0.02, 0.05, 0.1, 0.25];
/// Croston/SBA smoothing constants tried per series (the literature recommends 0.05–0.2;
/// 0.02 serves steady slow movers with long histories).
const SBA_ALPHAS: [f64; 4] = [0.02, 0.05, 0.1, 0.2];
/// In-stock days before one-step errors count, so the start-up level does not dominate.
const WARMUP_DAYS: u32 = 28;
/// Smoothing (and SBA) runs over the last 26 weeks only, started from the whole history's mean: with
/// α ≥ 0.05 the start value keeps a weight of 0.95^182 ≈ 1e-4 by the end, so the level is
/// the same as over a full year at half the cost, and α and σ are judged on recent errors.
const SMOOTHING_WINDOW_DAYS: usize = 182;
/// One-step errors beyond this many smoothed mean absolute errors (≈ 4 σ for normal
/// errors) are clipped: a one-off order moves the level and σ by at most that much.
const CLIP_MAES: f64 = 5.0;
/// Smallest error scale the clip uses (units/day), so a long-constant series can still
/// follow a level shift.
const MIN_ERROR_SCALE: f64 = 0.5;
/// Weekly smoothing rate of the mean absolute error behind the clip.
const MAE_RATE: f64 = 0.3;
/// Fewer error samples than this and σ falls back to the Poisson √rate.
const MIN_ERROR_SAMPLES: u32 = 14;
/// Shrinkage prior for seasonal indices: an index estimated from S units has relative
/// variance ≈ 1/S (Poisson), and weekday effects spread ≈ ±15 % (1/0.15² ≈ 44), so the
/// raw index gets weight S / (S + 50). Short or slow histories stay close to 1.
const SHRINK_UNITS: f64 = 50.0;
/// Smallest spread² of true weekday indices the James–Stein shrinkage assumes (±5 %), so a
/// pattern hidden in noise is damped, not erased.
const MIN_WEEKDAY_SPREAD2: f64 = 0.0025;
/// Poisson-equivalent units (units / φ) at which the weekday spread estimate gets half
/// its weight.
const WEEKDAY_TRUST_UNITS: f64 = 100.0;
/// Lowest weekday index, so dividing by it stays bounded.
const MIN_INDEX: f64 = 0.05;
/// Year-ago comparison: weeks before and after the same date last year.
const YEAR_LAG_DAYS: usize = 364; // 52 weeks: keeps weekdays aligned, leap years included
const YEAR_WINDOW_DAYS: usize = 28;
/// Yearly factor bounds: a seasonal swing beyond ×2 in four weeks is more likely a one-off.
const YEARLY_BOUNDS: (f64, f64) = (0.5, 2.0);
/// Spread (in log units) of true four-week yearly swings, the prior the yearly ratio is
/// shrunk with: most products move less than ±20 % from one month to the next.
const YEARLY_PRIOR_SD: f64 = 0.1;
/// History the yearly factor needs: a year and the four weeks after it.
pub const YEARLY_MIN_HISTORY_DAYS: usize = YEAR_LAG_DAYS + YEAR_WINDOW_DAYS;

/// Everything the engine needs to forecast one series, a few dozen bytes, no heap.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    /// Deseasonalised demand per day at the end of the history (units/day).
    pub level: f64,
    /// Monday..Sunday multipliers, mean 1.
    pub day_of_week: [f64; 7],
    /// Multiplier for the coming four weeks from the same weeks last year (1 without
    /// a year and four weeks of history).
    pub yearly: f64,
    /// Standard deviation of one-day demand around the forecast (units).
    pub sigma_daily: f64,
    pub pattern: DemandPattern,
    pub method: ForecastMethod,
    /// The smoothing constant used (SES's chosen α or SBA's α; 0 without a method).
    pub alpha: f64,
    pub adi: f64,
    pub cv2: f64,
    pub history_days: u32,
    pub in_stock_days: u32,
    /// Date of the last day with net demand in the history, if any.
    #[serde(default, deserialize_with = "crate::dates::ymd_opt")]
    pub last_sale: Option<NaiveDate>,
}

/// A slow mover's demand at one location over the weekly refit's longer history (up to
/// `REFIT_HISTORY_DAYS`): SBA's two states, the mean non-zero daily size and the average
/// interval between demands (in in-stock days). The nightly half-year holds a few dozen
/// sales of a lumpy seller, so its own start values are noisy; starting the recursion
/// from these lets a small α keep the longer memory while a moving rate still wins the
/// one-step comparison with a larger α.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LongRun {
    pub mean_size: f64,
    pub adi: f64,
    /// Mean squared non-zero size: the spread of a lumpy seller's days, whose rare large
    /// orders a half-year may not hold (0: unknown, stored before it was kept).
    #[serde(default)]
    pub mean_sq_size: f64,
}

impl LongRun {
    /// From a series' history (from its first observed day); `None` without any demand.
    pub fn of(history: History<'_>) -> Option<Self> {
        let t = Totals::of(history.units(), history.stockout(), history.start_weekday());
        let in_stock: u32 = t.cnt.iter().sum();
        let n = f64::from(t.nz_n);
        (t.nz_n > 0).then(|| Self { mean_size: t.nz_sum as f64 / n, adi: f64::from(in_stock) / n, mean_sq_size: t.nz_sq as f64 / n })
    }

    fn usable(&self) -> bool {
        self.mean_size.is_finite() && self.mean_size > 0.0 && self.adi.is_finite() && self.adi >= 1.0
    }
}

impl Forecast {
    /// Average forecast demand per day (the weekday indices average to 1).
    pub fn daily(&self) -> f64 {
        self.level * self.yearly
    }

    /// Forecast demand on one date.
    pub fn on(&self, day: NaiveDate) -> f64 {
        self.daily() * self.day_of_week[day.weekday().num_days_from_monday() as usize]
    }

    /// Total forecast demand over `days` days starting on `from`: whole weeks count 7,
    /// the remainder adds the indices of its weekdays.
    pub fn over(&self, from: NaiveDate, days: u32) -> f64 {
        let wd = from.weekday().num_days_from_monday() as usize;
        let partial: f64 = (0..(days % 7) as usize).map(|i| self.day_of_week[(wd + i) % 7]).sum();
        self.daily() * (f64::from(days / 7) * 7.0 + partial)
    }

    /// The same forecast with a yearly factor measured elsewhere (the weekly refit over a
    /// longer history), used when this history is too short to measure one. Bounded as a
    /// measured factor is; a non-finite value leaves the forecast unchanged.
    pub fn with_yearly(mut self, yearly: f64) -> Self {
        if yearly.is_finite() && (self.history_days as usize) < YEARLY_MIN_HISTORY_DAYS {
            self.yearly = yearly.clamp(YEARLY_BOUNDS.0, YEARLY_BOUNDS.1);
        }
        self
    }

    /// Fits a forecast to `history`. Total: an empty, all-stockout or all-zero history
    /// gives a zero forecast with a `NoHistory`/`NoDemand` pattern.
    pub fn fit(history: History<'_>) -> Self {
        Self::fit_with(history, None, None)
    }

    /// Fits a forecast whose weekday indices shrink toward `weekly` — the refit's indices
    /// from a longer, location-pooled history — instead of toward a flat week: the nightly
    /// half-year sees too few units of a slow seller to learn its week alone, the refit up
    /// to 60 weeks. Where this location's own weeks differ clearly from the pooled ones,
    /// its own pattern wins. A lumpy seller's SBA recursion starts from `long_run` (the
    /// refit's longer history at this location) instead of this window's own averages.
    /// Invalid priors (non-finite or non-positive) are ignored.
    pub fn fit_with(history: History<'_>, weekly: Option<&[f64; 7]>, long_run: Option<&LongRun>) -> Self {
        let units = history.units();
        let out = history.stockout();
        let start_wd = history.start_weekday();

        // Pass 1: per-weekday in-stock totals and non-zero demand statistics.
        let Totals { sum, cnt, nz_n, nz_sum, nz_sq } = Totals::of(units, out, start_wd);
        let in_stock: u32 = cnt.iter().sum();
        let total: u32 = sum.iter().sum();
        let last_sale = units.iter().rposition(|&u| u > 0).and_then(|i| history.date(i));
        let history_days = u32::try_from(units.len()).unwrap_or(u32::MAX);

        let (adi, cv2, pattern) = if in_stock == 0 {
            (0.0, 0.0, DemandPattern::NoHistory)
        } else if nz_n == 0 {
            (f64::from(in_stock), 0.0, DemandPattern::NoDemand)
        } else {
            let n = f64::from(nz_n);
            let mean = nz_sum as f64 / n;
            let var = (nz_sq as f64 / n - mean * mean).max(0.0);
            let (adi, cv2) = (f64::from(in_stock) / n, var / (mean * mean));
            (adi, cv2, DemandPattern::classify(adi, cv2))
        };
        let mut forecast = Self {
            level: 0.0,
            day_of_week: [1.0; 7],
            yearly: 1.0,
            sigma_daily: 0.0,
            pattern,
            method: pattern.method(),
            alpha: 0.0,
            adi,
            cv2,
            history_days,
            in_stock_days: in_stock,
            last_sale,
        };
        if forecast.method == ForecastMethod::None {
            return forecast;
        }

        let mean = f64::from(total) / f64::from(in_stock);
        let target = weekly_target(weekly);
        let phi = dispersion(&sum, &cnt, nz_sq, in_stock, mean);
        let idx = weekday_indices(&sum, &cnt, mean, phi, &target);
        let mut inv = [1.0; 7];
        for (i, v) in inv.iter_mut().enumerate() {
            *v = 1.0 / idx[i];
        }
        forecast.day_of_week = idx;

        // Pass 2: the chosen method's recursion and its one-step errors.
        match forecast.method {
            ForecastMethod::Sba => {
                // A lumpy seller's (sizes varying a lot) own averages are noisy enough to be
                // worse than the refit's longer history, unless this window's pace differs
                // from it by more than its own noise (two standard errors of a rate from n
                // demands of sizes with CV² c: √((1 + c) / n)): a seller whose pace moved
                // keeps its recent start. Steady sizes keep the window's own start: a
                // year's average is stale for a seller whose pace follows the season.
                let own = (nz_sum as f64 / f64::from(nz_n), adi);
                let lumpy = forecast.pattern == DemandPattern::Lumpy;
                let long_run = long_run.filter(|l| {
                    lumpy
                        && l.usable()
                        && ((own.0 / own.1) / (l.mean_size / l.adi)).ln().abs() <= 2.0 * ((1.0 + cv2) / f64::from(nz_n)).sqrt()
                });
                let (mean_size, start_adi) = long_run.map_or(own, |l| (l.mean_size, l.adi));
                // Like smoothing, over the last 26 weeks, started from the longer history's
                // averages: the nightly run reads no more, and the refit needs no rate.
                let from = units.len().saturating_sub(SMOOTHING_WINDOW_DAYS);
                let (rate, alpha) = sba(&units[from..], &out[from..], (start_wd + from) % 7, &idx, &inv, mean_size, start_adi);
                forecast.level = rate.max(0.0);
                forecast.alpha = alpha;
                // A slow mover's one-step errors around a near-flat rate are its day-to-day
                // spread, so σ is the in-stock daily standard deviation (zeros included).
                // A lumpy seller's spread is set by rare large orders, which the longer
                // history holds more of: its daily variance, if larger, stands.
                let n = f64::from(in_stock);
                let var = (nz_sq as f64 / n - mean * mean).max(0.0);
                let long_var = long_run.map_or(0.0, |l| l.mean_sq_size / l.adi - (l.mean_size / l.adi).powi(2));
                forecast.sigma_daily = if long_var.is_finite() { var.max(long_var) } else { var }.sqrt();
            }
            _ => {
                let from = units.len().saturating_sub(SMOOTHING_WINDOW_DAYS);
                let (level, sse, n_err, alpha) = seasonal_smoothing(&units[from..], &out[from..], (start_wd + from) % 7, &idx, &inv, mean);
                forecast.level = level.max(0.0);
                forecast.alpha = alpha;
                forecast.sigma_daily = if n_err >= MIN_ERROR_SAMPLES { (sse / f64::from(n_err)).sqrt() } else { forecast.level.sqrt() };
            }
        }
        forecast.yearly = yearly_factor(units, out, start_wd, &inv, phi);
        forecast
    }
}

/// In-stock units and days per weekday, and the count, sum and sum of squares of
/// non-zero in-stock days.
struct Totals {
    sum: [u32; 7],
    cnt: [u32; 7],
    nz_n: u32,
    nz_sum: u64,
    nz_sq: u64,
}

impl Totals {
    /// One strided sweep per weekday, so each weekday's accumulators are plain locals
    /// (registers) rather than an array slot indexed by a running weekday.
    fn of(units: &[u16], out: &[bool], start_wd: usize) -> Self {
        let mut t = Self { sum: [0; 7], cnt: [0; 7], nz_n: 0, nz_sum: 0, nz_sq: 0 };
        let n = units.len().min(out.len());
        for j in 0..7 {
            let (mut sum, mut cnt, mut nz_n, mut nz_sq) = (0u32, 0u32, 0u32, 0u64);
            let mut i = j;
            while i < n {
                let w = u32::from(!out[i]);
                let y = u32::from(units[i]) * w;
                sum += y;
                cnt += w;
                nz_n += u32::from(y > 0);
                nz_sq += u64::from(y) * u64::from(y);
                i += 7;
            }
            let wd = (start_wd + j) % 7;
            t.sum[wd] = sum;
            t.cnt[wd] = cnt;
            t.nz_n += nz_n;
            t.nz_sum += u64::from(sum);
            t.nz_sq += nz_sq;
        }
        t
    }
}

/// Within-weekday variance, pooled, over the mean: how much noisier than Poisson the
/// series' days are (at least 1).
fn dispersion(sum: &[u32; 7], cnt: &[u32; 7], total_sq: u64, days: u32, mean: f64) -> f64 {
    if mean <= 0.0 || days == 0 {
        return 1.0;
    }
    let mut between = 0.0;
    for d in 0..7 {
        if cnt[d] > 0 {
            between += f64::from(sum[d]) * f64::from(sum[d]) / f64::from(cnt[d]);
        }
    }
    ((total_sq as f64 - between) / f64::from(days) / mean).max(1.0)
}

/// The weekday indices' shrinkage target: the given prior normalised to average 1, or a
/// flat week without a usable one.
fn weekly_target(weekly: Option<&[f64; 7]>) -> [f64; 7] {
    let Some(w) = weekly.filter(|w| w.iter().all(|v| v.is_finite() && *v > 0.0)) else { return [1.0; 7] };
    let avg = w.iter().sum::<f64>() / 7.0;
    w.map(|v| (v / avg).max(MIN_INDEX))
}

/// Weekday means over the overall mean, shrunk toward the target (1, or the refit's) by how much of their spread is
/// noise (positive-part James–Stein), and renormalised to average 1.
///
/// A weekday's raw index from S expected units has a relative variance of about φ/S,
/// where φ is the within-weekday variance-to-mean ratio (1 for Poisson demand, more for
/// erratic or lumpy sizes). The true indices' spread τ² is what the raw indices spread
/// beyond that noise; each index keeps the weight τ² / (τ² + φ/S). A strongly weekly
/// seller keeps its pattern from a few weeks of data; a slow or lumpy seller whose weekday
/// differences are noise stays near flat.
fn weekday_indices(sum: &[u32; 7], cnt: &[u32; 7], mean: f64, phi: f64, target: &[f64; 7]) -> [f64; 7] {
    let mut idx = *target;
    if mean <= 0.0 {
        return idx;
    }
    let inv_mean = 1.0 / mean;
    let (mut spread, mut noise, mut k, mut units) = (0.0, 0.0, 0.0, 0.0);
    let mut raw = [1.0; 7];
    let mut var = [f64::INFINITY; 7];
    for d in 0..7 {
        if cnt[d] > 0 {
            let per = inv_mean / f64::from(cnt[d]);
            raw[d] = f64::from(sum[d]) * per;
            var[d] = phi * per;
            spread += (raw[d] - target[d]) * (raw[d] - target[d]);
            noise += var[d];
            units += f64::from(sum[d]);
            k += 1.0;
        }
    }
    if k < 2.0 {
        return idx;
    }
    // The spread estimate is itself noisy on few units (a handful of sales falling on two
    // weekdays is a weak pattern), so it is trusted in proportion to the units behind it —
    // counted as Poisson-equivalent units (units / φ): a lumpy seller's 300 units in a dozen
    // orders say as little about its week as a dozen single sales.
    let effective = units / phi;
    let trust = effective / (effective + WEEKDAY_TRUST_UNITS);
    let tau2 = ((spread - noise) / k * trust).max(MIN_WEEKDAY_SPREAD2);
    let mut total = 0.0;
    for d in 0..7 {
        // A weekday never in stock has infinite variance: weight 0, the target stays.
        let w = tau2 / (tau2 + var[d]);
        idx[d] = (target[d] + w * (raw[d] - target[d])).max(MIN_INDEX);
        total += idx[d];
    }
    // Each index is ≥ MIN_INDEX before this, so the total is > 0 and none becomes 0.
    let norm = 7.0 / total;
    for v in &mut idx {
        *v *= norm;
    }
    idx
}

#[cfg(test)]
mod tests;
