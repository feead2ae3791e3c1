//! What the engine is told: the merchant's thresholds (from `Settings`) plus supply
//! parameters, which default shop-wide and may be overridden per variant.

use super::normal;
use crate::settings::Settings;
use serde::{Deserialize, Serialize};

/// Probability of not running out during a replenishment cycle, kept in [50 %, 99.99 %]:
/// below 50 % safety stock would turn negative, and 100 % would need infinite stock, so a
/// form value of 100 means 99.99 % (z ≈ 3.72) — a large but finite buffer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ServiceLevel {
    pct: f64,
    /// Cached: the engine asks for it once per variant.
    z: f64,
}

impl ServiceLevel {
    pub const MIN_PCT: f64 = 50.0;
    pub const MAX_PCT: f64 = 99.99;

    /// Clamps into range; a NaN (never produced by `SettingsInput::parse`) reads as 95 %.
    pub fn from_pct(pct: f64) -> Self {
        let pct = if pct.is_nan() { 95.0 } else { pct.clamp(Self::MIN_PCT, Self::MAX_PCT) };
        Self { pct, z: normal::inverse_cdf(pct / 100.0) }
    }

    pub fn pct(self) -> f64 {
        self.pct
    }

    /// The z-score of this service level.
    pub fn z(self) -> f64 {
        self.z
    }
}

/// How a variant is replenished.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Supply {
    /// Days from placing an order to stock on the shelf; 0 is a valid (drop-ship) value.
    pub lead_time_days: u32,
    /// Standard deviation of the lead time in days; 0 when the supplier is punctual.
    pub lead_time_sd_days: f64,
    /// Days between two purchase orders.
    pub review_period_days: u32,
    /// Days of demand an order should cover once it arrives (at least the review period).
    pub target_cover_days: u32,
}

/// Per-variant replacements for the shop-wide `Supply`; `None` keeps the shop value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct SupplyOverrides {
    pub lead_time_days: Option<u32>,
    pub lead_time_sd_days: Option<f64>,
    pub review_period_days: Option<u32>,
    pub target_cover_days: Option<u32>,
}

/// A merchant's stock levels for a variant, replacing the shop-wide thresholds; `None`
/// keeps the shop value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct LimitOverrides {
    /// Units never to fall below: the reorder point is at least this (0: no floor, which
    /// also clears a floor set at a broader level).
    pub min_stock: Option<u32>,
    pub low_stock_days: Option<u32>,
    pub overstock_days: Option<u32>,
    pub dead_stock_days: Option<u32>,
    /// The service level the safety stock aims for here (its ABC class's), in percent.
    #[serde(default)]
    pub service_level_pct: Option<f64>,
}

/// Longest lead time or cover the engine plans for (ten years): beyond it a number is a typo.
pub const MAX_PLANNING_DAYS: u32 = 3_650;

impl Supply {
    /// The shop defaults with a variant's overrides applied. Out-of-range numbers are
    /// clamped rather than refused so one bad row cannot stop a shop's run: day counts to
    /// `MAX_PLANNING_DAYS`, a negative or non-finite lead-time deviation to 0.
    pub fn with(self, o: &SupplyOverrides) -> Self {
        let sd = o.lead_time_sd_days.unwrap_or(self.lead_time_sd_days);
        Self {
            lead_time_days: o.lead_time_days.unwrap_or(self.lead_time_days).min(MAX_PLANNING_DAYS),
            lead_time_sd_days: if sd.is_finite() { sd.clamp(0.0, f64::from(MAX_PLANNING_DAYS)) } else { 0.0 },
            review_period_days: o.review_period_days.unwrap_or(self.review_period_days).min(MAX_PLANNING_DAYS),
            target_cover_days: o.target_cover_days.unwrap_or(self.target_cover_days).min(MAX_PLANNING_DAYS),
        }
    }
}

/// Alerts open at a threshold and clear only once the value is past it by this factor, so a
/// variant hovering around a threshold does not open and close an alert every run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Hysteresis(f64);

impl Hysteresis {
    pub const DEFAULT: Self = Self(1.1);

    /// Factors below 1 would clear an alert before it opens; they are read as 1 (none).
    pub fn new(factor: f64) -> Self {
        if factor.is_finite() {
            Self(factor.clamp(1.0, 2.0))
        } else {
            Self::DEFAULT
        }
    }

    pub fn factor(self) -> f64 {
        self.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EngineConfig {
    pub low_stock_days: f64,
    pub overstock_days: f64,
    pub dead_stock_days: u32,
    pub service_level: ServiceLevel,
    pub supply: Supply,
    pub hysteresis: Hysteresis,
}

/// A weekly purchase-order rhythm when the merchant has not said otherwise.
pub const DEFAULT_REVIEW_PERIOD_DAYS: u32 = 7;
/// An order covers a month of demand after it arrives unless overridden.
pub const DEFAULT_TARGET_COVER_DAYS: u32 = 30;

impl From<&Settings> for EngineConfig {
    fn from(s: &Settings) -> Self {
        Self {
            low_stock_days: f64::from(s.low_stock_days),
            overstock_days: f64::from(s.overstock_days),
            dead_stock_days: s.dead_stock_days,
            service_level: ServiceLevel::from_pct(s.service_level_pct),
            supply: Supply {
                lead_time_days: s.lead_time_days.min(MAX_PLANNING_DAYS),
                lead_time_sd_days: 0.0,
                review_period_days: DEFAULT_REVIEW_PERIOD_DAYS,
                target_cover_days: DEFAULT_TARGET_COVER_DAYS,
            },
            hysteresis: Hysteresis::DEFAULT,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_level_is_clamped_to_a_finite_z() {
        assert!((ServiceLevel::from_pct(95.0).z() - 1.6448536).abs() < 1e-6);
        let full = ServiceLevel::from_pct(100.0);
        assert_eq!(full.pct(), 99.99);
        assert!((full.z() - 3.7190165).abs() < 1e-6);
        assert_eq!(ServiceLevel::from_pct(10.0).z(), 0.0);
        assert_eq!(ServiceLevel::from_pct(f64::NAN).pct(), 95.0);
    }

    #[test]
    fn config_from_settings_and_overrides() {
        let cfg = EngineConfig::from(&Settings::default());
        assert_eq!(cfg.supply.lead_time_days, 7);
        assert_eq!(cfg.low_stock_days, 14.0);
        let o = SupplyOverrides { lead_time_days: Some(21), lead_time_sd_days: Some(-3.0), ..Default::default() };
        let s = cfg.supply.with(&o);
        assert_eq!((s.lead_time_days, s.lead_time_sd_days, s.review_period_days), (21, 0.0, 7));
        let huge = SupplyOverrides { lead_time_days: Some(u32::MAX), lead_time_sd_days: Some(f64::INFINITY), ..Default::default() };
        let s = cfg.supply.with(&huge);
        assert_eq!((s.lead_time_days, s.lead_time_sd_days), (MAX_PLANNING_DAYS, 0.0));
    }

    #[test]
    fn hysteresis_never_below_one() {
        assert_eq!(Hysteresis::new(0.5).factor(), 1.0);
        assert_eq!(Hysteresis::new(f64::NAN), Hysteresis::DEFAULT);
    }
}
