//! Launch forecasts: a variant with under two weeks of observed history borrows its pace
//! from its product's other variants at the same location or, failing those, from the
//! variants of its product type there — instead of forecasting nothing from a few days of
//! zeros and raising nothing while a new product sells out.
//!
//! The first `LAUNCH_DAYS` are read as one fortnight: the days seen count at their own
//! sales, the days not yet seen at the peers' pace, so
//! `pace = (own units + (14 − own days) × peer pace) / 14`. On the fourteenth observed
//! day the peers' share reaches zero and the variant's own fit takes over without a jump.
//! The product's siblings are the closest kin (same customers, same price band; the mean of
//! their paces); the product type's median is the fallback, robust to one best seller.

use super::assess::{assess_forecast, Assessment, Position};
use super::config::EngineConfig;
use super::forecast::{DemandPattern, Forecast, ForecastMethod};
use super::history::History;
pub use super::launch_basis::{LaunchBasis, LaunchSource};
use chrono::NaiveDate;
use std::collections::HashMap;

/// Observed days under which a series gets a launch forecast.
pub const LAUNCH_DAYS: u32 = 14;
/// Type peers needed for a median worth borrowing (fewer say more about those few variants
/// than about the type).
const MIN_TYPE_PEERS: usize = 3;
/// Relative uncertainty of a borrowed pace: a new variant sells at its peers' pace give or
/// take half, on top of day-to-day Poisson noise.
const BORROWED_PACE_CV: f64 = 0.5;
/// Smoothing rate reported for a launch forecast: its level is as uncertain as a fast-moving
/// smoothed level, so the safety stock counts its error as persisting over the lead time.
const LAUNCH_ALPHA: f64 = 0.25;

/// Where a series sits in the catalogue, for finding its peers: its product and product
/// type (`0` for none; callers intern type names to numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kin {
    pub product_id: i64,
    pub product_type: u32,
}

/// An established series' current pace (units/day), a candidate peer of new ones.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PeerRate {
    pub kin: Kin,
    pub variant_id: i64,
    pub location_id: i64,
    pub daily: f64,
}

/// Borrowed paces per location, by product and by product type.
#[derive(Debug, Default)]
pub struct Peers {
    /// (product, location) → (sum of paces, count).
    product: HashMap<(i64, i64), (f64, u32)>,
    /// (type, location) → paces, sorted once in `new`.
    product_type: HashMap<(u32, i64), Vec<f64>>,
}

impl Peers {
    /// Groups `rates` (non-finite or negative paces are skipped).
    pub fn new(rates: impl IntoIterator<Item = PeerRate>) -> Self {
        let mut peers = Self::default();
        for r in rates.into_iter().filter(|r| r.daily.is_finite() && r.daily >= 0.0) {
            let e = peers.product.entry((r.kin.product_id, r.location_id)).or_insert((0.0, 0));
            e.0 += r.daily;
            e.1 += 1;
            if r.kin.product_type != 0 {
                peers.product_type.entry((r.kin.product_type, r.location_id)).or_default().push(r.daily);
            }
        }
        for v in peers.product_type.values_mut() {
            v.sort_by(f64::total_cmp);
        }
        peers
    }

    /// The pace a new series of `kin` at `location_id` borrows, and from whom.
    pub fn borrowed(&self, kin: Kin, location_id: i64) -> Option<(LaunchSource, u32, f64)> {
        if let Some(&(sum, n)) = self.product.get(&(kin.product_id, location_id)).filter(|(_, n)| *n > 0) {
            return Some((LaunchSource::Product, n, sum / f64::from(n)));
        }
        let paces = self.product_type.get(&(kin.product_type, location_id)).filter(|v| v.len() >= MIN_TYPE_PEERS)?;
        let mid = paces.len() / 2;
        let median = if paces.len() % 2 == 1 { paces[mid] } else { (paces[mid - 1] + paces[mid]) / 2.0 };
        Some((LaunchSource::ProductType, u32::try_from(paces.len()).unwrap_or(u32::MAX), median))
    }
}

/// Whether an assessment is young enough for a launch forecast.
pub fn is_launch(a: &Assessment) -> bool {
    a.forecast.history_days < LAUNCH_DAYS && a.forecast.method != ForecastMethod::Launch
}

/// The peers an assessment lends to new series: an established series (two weeks observed
/// or more) that was in stock at some point, at its current pace.
pub fn peer_rate(a: &Assessment, kin: Kin) -> Option<PeerRate> {
    let established = a.forecast.history_days >= LAUNCH_DAYS
        && a.forecast.method != ForecastMethod::Launch
        && a.forecast.pattern != DemandPattern::NoHistory;
    established.then(|| PeerRate { kin, variant_id: a.variant_id, location_id: a.location_id, daily: a.forecast.daily() })
}

/// The launch forecast of a young series from its own days and a borrowed pace.
pub fn launch_forecast(own: &Forecast, history: History<'_>, borrowed: (LaunchSource, u32, f64)) -> (Forecast, LaunchBasis) {
    let (source, peers, peer_daily) = borrowed;
    let (mut days, mut units) = (0u32, 0u32);
    for (&u, &out) in history.units().iter().zip(history.stockout()) {
        if !out {
            days += 1;
            units = units.saturating_add(u32::from(u));
        }
    }
    let days_seen = days.min(LAUNCH_DAYS);
    let unseen = f64::from(LAUNCH_DAYS - days_seen);
    let daily = (f64::from(units) + unseen * peer_daily) / f64::from(LAUNCH_DAYS);
    let daily = if daily.is_finite() { daily.max(0.0) } else { 0.0 };
    let sigma = (daily + (BORROWED_PACE_CV * daily).powi(2)).sqrt();
    let forecast = Forecast {
        level: daily,
        day_of_week: [1.0; 7],
        yearly: 1.0,
        sigma_daily: sigma,
        pattern: if daily > 0.0 { own.pattern } else { DemandPattern::NoDemand },
        method: ForecastMethod::Launch,
        alpha: LAUNCH_ALPHA,
        ..*own
    };
    (forecast, LaunchBasis { source, peers, peer_daily, own_days: days, own_units: units })
}

/// Replaces the assessment of every young series that has peers with one made from its
/// launch forecast (`positions[i]` ↔ `assessments[i]` ↔ `kin[i]` ↔ `histories[i]`); the
/// others are left as they are. Returns how many were replaced.
pub fn apply(
    positions: &[Position],
    kin: &[Kin],
    histories: &[Option<History<'_>>],
    assessments: &mut [Assessment],
    peers: &Peers,
    cfg: &EngineConfig,
    today: NaiveDate,
) -> usize {
    let mut replaced = 0;
    for (((p, k), h), a) in positions.iter().zip(kin).zip(histories).zip(assessments.iter_mut()) {
        let Some(h) = h else { continue };
        if !is_launch(a) {
            continue;
        }
        let Some(borrowed) = peers.borrowed(*k, p.location_id) else { continue };
        let (forecast, basis) = launch_forecast(&a.forecast, *h, borrowed);
        *a = assess_forecast(p, forecast, cfg, today);
        a.explanation.launch = Some(basis);
        replaced += 1;
    }
    replaced
}
