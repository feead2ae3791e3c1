//! Yearly seasonality: the like-for-like factor the forecast applies (the coming four weeks
//! against the same weeks a year ago), and the week-of-year table shown in charts.

use super::{MIN_INDEX, SHRINK_UNITS, YEARLY_BOUNDS, YEARLY_PRIOR_SD, YEAR_LAG_DAYS, YEAR_WINDOW_DAYS};
use crate::engine::history::History;
use chrono::Datelike;

/// How the coming four weeks compared with the four weeks before them a year ago, both
/// deseasonalised by weekday. One year of data cannot tell a yearly cycle from a trend
/// (week 1 and week 52 are a year of growth apart), so a full week-of-year table would
/// project last January's level onto next January; this like-for-like ratio needs a year
/// plus four weeks and cancels the trend.
///
/// Both windows must lie inside the observed history (`history` starts at the series'
/// first observed day), so a product launched 12–13 months ago gets no factor instead of
/// one measured against days before it existed. The ratio is then shrunk toward 1 by its
/// own noise: its log has a variance of about `φ · (1/units before + 1/units after)`
/// (Poisson, times the series' dispersion φ), and true yearly swings over four weeks have
/// a spread of about `YEARLY_PRIOR_SD`, so the log ratio keeps the weight
/// `τ² / (τ² + variance)`. A slow or erratic seller's ratio is mostly noise and stays near
/// 1; a clear season, seen in many units, comes through.
pub(super) fn yearly_factor(units: &[u16], out: &[bool], start_wd: usize, inv: &[f64; 7], phi: f64) -> f64 {
    let n = units.len().min(out.len());
    if n < YEAR_LAG_DAYS + YEAR_WINDOW_DAYS {
        return 1.0;
    }
    let pivot = n - YEAR_LAG_DAYS; // the day a year before "tomorrow"
                                   // Per window: deseasonalised units, raw units, in-stock days.
    let window = |from: usize| {
        let (mut s, mut raw, mut c) = (0.0, 0.0, 0u32);
        for i in from..from + YEAR_WINDOW_DAYS {
            if !out[i] {
                s += f64::from(units[i]) * inv[(start_wd + i) % 7];
                raw += f64::from(units[i]);
                c += 1;
            }
        }
        (s, raw, c)
    };
    let (before, before_raw, bc) = window(pivot - YEAR_WINDOW_DAYS);
    let (after, after_raw, ac) = window(pivot);
    if bc < 14 || ac < 14 || before <= 0.0 || after <= 0.0 {
        return 1.0;
    }
    let ratio = (after / f64::from(ac)) / (before / f64::from(bc));
    let noise = phi.max(1.0) * (1.0 / before_raw.max(1.0) + 1.0 / after_raw.max(1.0));
    let tau2 = YEARLY_PRIOR_SD * YEARLY_PRIOR_SD;
    let w = tau2 / (tau2 + noise);
    (w * ratio.ln()).exp().clamp(YEARLY_BOUNDS.0, YEARLY_BOUNDS.1)
}

/// Weeks in the week-of-year table; ISO week 53 is folded into week 52.
pub const WEEKS: usize = 52;
/// Half-width of the circular moving average that smooths week-of-year factors.
const WEEK_SMOOTHING: usize = 2;

/// Week-of-year factors (index 0 = ISO week 1) for charts and the `seasonal_patterns`
/// table: each week's in-stock, weekday-adjusted mean demand over the overall mean,
/// smoothed by a centred 5-week circular average, shrunk toward 1 by the units seen
/// (S / (S + 50), as the weekday indices) and renormalised to average 1. `None` with less
/// than a year of history or no in-stock demand. The forecast itself uses
/// `Forecast::yearly` instead, for the reason given there; outside the hot path.
pub fn week_of_year_factors(history: History<'_>, day_of_week: &[f64; 7]) -> Option<[f64; WEEKS]> {
    if history.len() < 364 {
        return None;
    }
    let mut adjusted = [0.0f64; WEEKS];
    let mut raw = [0.0f64; WEEKS];
    let mut days = [0u32; WEEKS];
    let mut date = history.start();
    for (&y, &o) in history.units().iter().zip(history.stockout()) {
        if !o {
            let w = (date.iso_week().week0() as usize).min(WEEKS - 1);
            let idx = day_of_week[date.weekday().num_days_from_monday() as usize].max(MIN_INDEX);
            adjusted[w] += f64::from(y) / idx;
            raw[w] += f64::from(y);
            days[w] += 1;
        }
        date = date.succ_opt()?;
    }
    let total_days: u32 = days.iter().sum();
    let overall = adjusted.iter().sum::<f64>() / f64::from(total_days.max(1));
    if overall <= 0.0 {
        return None;
    }
    let mut factors = [1.0f64; WEEKS];
    for (w, f) in factors.iter_mut().enumerate() {
        let (mut a, mut r, mut d) = (0.0, 0.0, 0u32);
        for k in 0..=2 * WEEK_SMOOTHING {
            let i = (w + WEEKS + k - WEEK_SMOOTHING) % WEEKS;
            a += adjusted[i];
            r += raw[i];
            d += days[i];
        }
        if d > 0 {
            let shrink = r / (r + SHRINK_UNITS);
            *f = (1.0 + shrink * (a / f64::from(d) / overall - 1.0)).max(MIN_INDEX);
        }
    }
    let mean = factors.iter().sum::<f64>() / WEEKS as f64;
    for f in &mut factors {
        *f /= mean;
    }
    Some(factors)
}
