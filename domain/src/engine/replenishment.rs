//! Safety stock, reorder point, order quantity and days of cover: the textbook formulas,
//! made total (every input gives a finite, non-negative number or an explicit `None`).

use serde::{Deserialize, Serialize};

/// Safety stock for a z-score, daily demand σd, mean daily demand d, lead time L and its
/// standard deviation σL: `z · √(L·σd² + d²·σL²)`. With σL = 0 this is `z·σd·√L`.
pub fn safety_stock(z: f64, sigma_daily: f64, daily: f64, lead_days: f64, lead_sd_days: f64) -> f64 {
    let var = lead_days.max(0.0) * sigma_daily.max(0.0).powi(2) + daily.max(0.0).powi(2) * lead_sd_days.max(0.0).powi(2);
    finite_or_zero(z.max(0.0) * var.sqrt())
}

/// Days between two reviews of the stock: the nightly recalculation. The reorder point
/// protects the lead time plus this (a periodic review's protection period).
pub const REVIEW_DAYS: u32 = 1;

/// How much a forecast's summed error over `days` days exceeds `days` independent daily
/// errors, per day: for exponential smoothing with constant α, the error of day k ahead
/// carries the level's error, so the sum's variance is σ² · Σ_{k<days} (1 + α·k)²
/// (Hyndman et al., *Forecasting with Exponential Smoothing*, §6.1). Returns that sum ÷
/// `days` (1 with α = 0 or at most one day).
pub fn cumulative_error_factor(alpha: f64, days: u32) -> f64 {
    let (a, p) = (alpha.clamp(0.0, 1.0), f64::from(days));
    if days <= 1 || !a.is_finite() {
        return 1.0;
    }
    (p + a * p * (p - 1.0) + a * a * (p - 1.0) * p * (2.0 * p - 1.0) / 6.0) / p
}

/// Safety stock for skewed (intermittent) demand: the gamma distribution with the mean
/// `mean` and the variance the normal safety stock `normal = z·σ` implies, its quantile at
/// z by the Wilson–Hilferty approximation, `mean · (1 − c + z·√c)³ − mean` with
/// c = 1 / 9k, k = mean² / σ². Never below `normal` (where the approximation fails, at
/// very small k, the normal answer stands).
pub fn skewed_safety_stock(z: f64, mean: f64, normal: f64) -> f64 {
    let positive = |x: f64| x.is_finite() && x > 0.0;
    if !positive(z) || !positive(mean) || normal.is_nan() || normal <= 0.0 {
        return finite_or_zero(normal);
    }
    let var = (normal / z).powi(2);
    let c = var / (9.0 * mean * mean);
    let q = mean * (1.0 - c + z * c.sqrt()).max(0.0).powi(3);
    finite_or_zero((q - mean).max(normal))
}

/// How far a daily review finds the stock position below the reorder point on average,
/// beyond one day's demand `daily` (which the protection period already adds): renewal
/// theory's mean undershoot `E[D²] / 2E[D] = (σ² + d²) / 2d` for daily demand of mean d
/// and standard deviation σ. Zero for steady sellers (σ² ≤ d²); for a lumpy seller whose
/// day is mostly zero and sometimes a large order, about half that order's size.
pub fn undershoot_beyond_a_day(daily: f64, sigma_daily: f64) -> f64 {
    if daily.is_nan() || daily <= 0.0 || !daily.is_finite() || !sigma_daily.is_finite() {
        return 0.0;
    }
    finite_or_zero((sigma_daily * sigma_daily + daily * daily) / (2.0 * daily) - daily)
}

/// Days the available stock lasts; `None` when nothing sells ("not selling"), never ∞.
pub fn days_of_cover(available: i64, daily: f64) -> Option<f64> {
    (daily > 0.0 && daily.is_finite()).then(|| available.max(0) as f64 / daily).filter(|c| c.is_finite())
}

/// Units to order to bring the stock position up to `order_up_to`, rounded up; never
/// negative. An oversold position (negative) adds the units owed to customers.
pub fn order_quantity(order_up_to: f64, position: i64) -> u32 {
    let need = (finite_or_zero(order_up_to) - position as f64).ceil();
    if need <= 0.0 {
        0
    } else if need >= f64::from(u32::MAX) {
        u32::MAX
    } else {
        need as u32
    }
}

fn finite_or_zero(x: f64) -> f64 {
    if x.is_finite() {
        x.max(0.0)
    } else {
        0.0
    }
}

/// Where a variant stands against its replenishment targets.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Forecast demand over the protection period: the lead time and the day to the next
    /// nightly review (`REVIEW_DAYS`).
    pub lead_time_demand: f64,
    pub safety_stock: f64,
    /// Order when the stock position falls to this: protection-period demand + safety stock.
    pub reorder_point: f64,
    /// Position an order should restore: demand over lead time + cover days, + safety stock.
    pub order_up_to: f64,
    pub suggested_qty: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cumulative_error_by_hand() {
        // α = 0.1 over 3 days: (1 + 1.1² + 1.2²) / 3 = (1 + 1.21 + 1.44) / 3.
        assert!((cumulative_error_factor(0.1, 3) - 3.65 / 3.0).abs() < 1e-12);
        assert_eq!(cumulative_error_factor(0.1, 1), 1.0);
        assert_eq!(cumulative_error_factor(0.0, 30), 1.0);
        assert_eq!(cumulative_error_factor(f64::NAN, 30), 1.0);
    }

    #[test]
    fn skewed_safety_stock_by_hand() {
        // Mean 4, σ 2 (k = 4, c = 1/36), z = 1.645: 4 · (1 − 1/36 + 1.645/6)³ − 4 ≈ 3.71,
        // above the normal 3.29: the gamma's right tail is longer.
        let normal = 1.645 * 2.0;
        let c: f64 = 1.0 / 36.0;
        let want = 4.0 * (1.0 - c + 1.645 * c.sqrt()).powi(3) - 4.0;
        assert!((skewed_safety_stock(1.645, 4.0, normal) - want).abs() < 1e-12);
        assert!(want > normal);
        // Nearly symmetric (large k): about the normal answer, never below it.
        let big = skewed_safety_stock(1.645, 10_000.0, 1.645 * 100.0);
        assert!((1.645 * 100.0..1.645 * 100.0 * 1.05).contains(&big), "{big}");
        assert_eq!(skewed_safety_stock(1.645, 0.0, 3.0), 3.0);
        assert_eq!(skewed_safety_stock(f64::NAN, 4.0, 3.0), 3.0);
        assert_eq!(skewed_safety_stock(1.645, 4.0, f64::INFINITY), 0.0);
    }

    #[test]
    fn undershoot_by_hand() {
        // A steady seller (σ² ≤ d²): nothing beyond the day. A lumpy one, 0.5/day with
        // σ 3: (9 + 0.25) / 1 − 0.5 = 8.75.
        assert_eq!(undershoot_beyond_a_day(10.0, 3.0), 0.0);
        assert!((undershoot_beyond_a_day(0.5, 3.0) - 8.75).abs() < 1e-12);
        assert_eq!(undershoot_beyond_a_day(0.0, 3.0), 0.0);
        assert_eq!(undershoot_beyond_a_day(f64::NAN, 3.0), 0.0);
        assert_eq!(undershoot_beyond_a_day(1.0, f64::INFINITY), 0.0);
    }

    #[test]
    fn safety_stock_by_hand() {
        // z=1.645, σd=2, L=9: 1.645 · 2 · 3 = 9.87.
        assert!((safety_stock(1.645, 2.0, 5.0, 9.0, 0.0) - 9.87).abs() < 1e-12);
        // With σL=2 and d=5: √(9·4 + 25·4) = √136.
        assert!((safety_stock(1.645, 2.0, 5.0, 9.0, 2.0) - 1.645 * 136f64.sqrt()).abs() < 1e-12);
        // Lead time 0 and a punctual supplier: no buffer needed.
        assert_eq!(safety_stock(1.645, 2.0, 5.0, 0.0, 0.0), 0.0);
        // Lead time 0 but unreliable: d·σL remains.
        assert!((safety_stock(2.0, 2.0, 5.0, 0.0, 1.0) - 10.0).abs() < 1e-12);
        assert_eq!(safety_stock(f64::INFINITY, 1.0, 1.0, 1.0, 0.0), 0.0);
        assert_eq!(safety_stock(1.0, f64::NAN, 1.0, 1.0, 0.0), 0.0);
    }

    #[test]
    fn cover_is_none_when_not_selling() {
        assert_eq!(days_of_cover(30, 2.0), Some(15.0));
        assert_eq!(days_of_cover(-5, 2.0), Some(0.0));
        assert_eq!(days_of_cover(30, 0.0), None);
        assert_eq!(days_of_cover(30, f64::NAN), None);
        assert_eq!(days_of_cover(i64::MAX, f64::MIN_POSITIVE), None);
    }

    #[test]
    fn order_quantity_rounds_up_and_never_goes_negative() {
        assert_eq!(order_quantity(20.2, 10), 11);
        assert_eq!(order_quantity(20.0, 30), 0);
        assert_eq!(order_quantity(20.0, -4), 24); // 4 units owed to customers
        assert_eq!(order_quantity(f64::NAN, 0), 0);
        assert_eq!(order_quantity(1e300, 0), u32::MAX);
    }
}
