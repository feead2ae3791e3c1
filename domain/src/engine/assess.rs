//! One variant × location assessed: forecast, replenishment plan, which alert conditions
//! hold, and the numbers that explain them.

use super::config::{EngineConfig, ServiceLevel};
use super::forecast::{DemandPattern, Forecast, ForecastMethod};
use super::history::History;
use super::replenishment::{
    cumulative_error_factor, days_of_cover, order_quantity, safety_stock, skewed_safety_stock, undershoot_beyond_a_day, Plan, REVIEW_DAYS,
};
use crate::risk::RiskKind;
use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// The stock row of a variant at a location (from `inventory_levels` and `variants`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Position {
    pub variant_id: i64,
    pub location_id: i64,
    /// Shopify's `available`; negative when oversold.
    pub on_hand: i64,
    /// Units on open purchase orders / transfers; negatives are read as 0.
    pub incoming: i64,
    pub price_cents: i64,
    pub cost_cents: i64,
    /// `false` when Shopify does not track this variant's inventory: no stock numbers to
    /// reason about, so no alerts.
    pub tracked: bool,
    pub supply: super::config::SupplyOverrides,
    /// The merchant's minimum stock and thresholds for this variant, if any differ from
    /// the shop's.
    #[serde(default)]
    pub limits: super::config::LimitOverrides,
    /// The variant's yearly factor from the last weekly refit (`engine::seasonal`), for
    /// histories too short to measure it; `None` before the first refit.
    pub yearly_factor: Option<f64>,
    /// The variant's weekday indices from the last weekly refit (a longer history pooled
    /// over its locations), the target this series' own indices shrink toward; `None`
    /// before the first refit.
    #[serde(default)]
    pub day_of_week: Option<[f64; 7]>,
    /// This series' slow-mover demand over the last weekly refit's longer history, where
    /// a slow mover's SBA recursion starts; `None` before the first refit or without demand.
    #[serde(default)]
    pub long_run: Option<super::forecast::LongRun>,
    /// The earliest dated delivery still expected here (a sent purchase order with its
    /// expected day), for the stock-gap alert; `None` when nothing dated is on order.
    #[serde(default)]
    pub arrival: Option<crate::purchasing::Arrival>,
}

impl Position {
    /// On hand plus incoming: what will be there to sell. Negative when oversold beyond
    /// what is incoming (units owed to customers).
    pub fn stock_position(&self) -> i64 {
        self.on_hand.saturating_add(self.incoming.max(0))
    }
}

/// Whether an alert condition is true at the opening threshold (`opens`) and at the
/// relaxed clearing threshold (`holds`). An existing alert stays while `holds`; a new one
/// needs `opens`. `opens` implies `holds`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    pub opens: bool,
    pub holds: bool,
}

impl Condition {
    fn new(opens: bool, holds: bool) -> Self {
        Self { opens, holds: holds || opens }
    }
}

/// One condition per alert kind, in `RiskKind::ALL` order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conditions([Condition; 6]);

impl Conditions {
    pub fn get(&self, kind: RiskKind) -> Condition {
        self.0[slot(kind)]
    }
    fn set(&mut self, kind: RiskKind, c: Condition) {
        self.0[slot(kind)] = c;
    }
    /// Drops the kinds the merchant turned off: they neither open nor hold, so a live
    /// alert of such a kind resolves at this run.
    pub fn keep_only(&mut self, kinds: crate::watch::KindSet) {
        for kind in RiskKind::ALL {
            if !kinds.contains(kind) {
                self.set(kind, Condition::default());
            }
        }
    }
}

fn slot(kind: RiskKind) -> usize {
    match kind {
        RiskKind::OutOfStock => 0,
        RiskKind::ReorderNow => 1,
        RiskKind::LowStock => 2,
        RiskKind::Overstock => 3,
        RiskKind::DeadStock => 4,
        RiskKind::StockGap => 5,
    }
}

/// The thresholds an assessment was made with, so the UI can say "below 14 days".
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    pub low_stock_days: f64,
    pub overstock_days: f64,
    pub dead_stock_days: u32,
    /// Alerts clear only past threshold × this (÷ for overstock).
    pub hysteresis: f64,
    /// The merchant's minimum stock (0: none), the floor of the reorder point.
    #[serde(default)]
    pub min_stock: u32,
}

/// What the UI shows and charts for an alert: every number behind the decision.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// Forecast demand per day, weekday-averaged (units/day).
    pub velocity: f64,
    /// Average seasonal multiplier over the lead time (weekday mix × yearly factor).
    pub seasonal_factor: f64,
    pub day_of_week: [f64; 7],
    pub yearly_factor: f64,
    pub sigma_daily: f64,
    pub demand_pattern: DemandPattern,
    pub method: ForecastMethod,
    pub lead_time_days: u32,
    pub lead_time_sd_days: f64,
    pub review_period_days: u32,
    pub target_cover_days: u32,
    pub service_level_pct: f64,
    pub z: f64,
    pub lead_time_demand: f64,
    pub safety_stock: f64,
    pub reorder_point: f64,
    pub order_up_to: f64,
    pub suggested_qty: u32,
    pub on_hand: i64,
    pub incoming: i64,
    /// `None`: not selling.
    pub days_of_cover: Option<f64>,
    /// When stock runs out at the forecast pace (not for what is already out).
    #[serde(default, deserialize_with = "crate::dates::ymd_opt")]
    pub depletion_date: Option<NaiveDate>,
    pub days_since_last_sale: Option<u32>,
    pub lost_revenue_per_day_cents: i64,
    /// On-hand units at cost: the money tied up.
    pub stock_value_cents: i64,
    pub in_stock_days: u32,
    pub history_days: u32,
    pub thresholds: Thresholds,
    /// Set for a launch forecast (`engine::launch`): where its pace was borrowed from.
    #[serde(default)]
    pub launch: Option<super::launch_basis::LaunchBasis>,
    /// The delivery the stock-gap check looked at, and the gap before it, if any.
    #[serde(default)]
    pub arrival: Option<crate::purchasing::Arrival>,
    #[serde(default)]
    pub stock_gap: Option<crate::purchasing::StockGap>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub variant_id: i64,
    pub location_id: i64,
    pub tracked: bool,
    pub conditions: Conditions,
    pub forecast: Forecast,
    pub plan: Plan,
    pub explanation: Explanation,
    /// Stock position (on hand + incoming) used for the plan.
    pub stock_position: i64,
    pub cost_cents: i64,
}

/// Alert urgency tiers (the `alerts.urgency` column: higher first).
const TIER: f64 = 1e12;

impl Assessment {
    /// Sort key for an alert of `kind`: out of stock first, by revenue lost per day; then
    /// stock-out risks by how soon stock runs out; then excess stock by money tied up.
    pub fn urgency(&self, kind: RiskKind) -> f64 {
        let e = &self.explanation;
        let within = match kind {
            RiskKind::OutOfStock => e.lost_revenue_per_day_cents as f64,
            RiskKind::ReorderNow | RiskKind::LowStock => TIER / (1.0 + e.days_of_cover.unwrap_or(0.0)),
            // By the sales the gap would lose.
            RiskKind::StockGap => e.stock_gap.map_or(0.0, |g| g.lost_revenue_cents as f64),
            RiskKind::Overstock | RiskKind::DeadStock => e.stock_value_cents as f64,
        };
        let tier = match kind {
            RiskKind::OutOfStock => 3.0,
            RiskKind::ReorderNow | RiskKind::LowStock | RiskKind::StockGap => 2.0,
            RiskKind::Overstock | RiskKind::DeadStock => 1.0,
        };
        tier * TIER + within.clamp(0.0, TIER - 1.0)
    }
}

/// Assesses one variant × location on `today` (the first day after its history).
pub fn assess(p: &Position, history: History<'_>, cfg: &EngineConfig, today: NaiveDate) -> Assessment {
    let forecast = Forecast::fit_with(history, p.day_of_week.as_ref(), p.long_run.as_ref());
    let forecast = match p.yearly_factor {
        Some(y) => forecast.with_yearly(y),
        None => forecast,
    };
    assess_forecast(p, forecast, cfg, today)
}

/// The part after fitting, for callers that already hold a `Forecast`.
pub fn assess_forecast(p: &Position, forecast: Forecast, cfg: &EngineConfig, today: NaiveDate) -> Assessment {
    let supply = cfg.supply.with(&p.supply);
    let service = p.limits.service_level_pct.map_or(cfg.service_level, ServiceLevel::from_pct);
    let z = service.z();
    let daily = forecast.daily();
    let lead = supply.lead_time_days;
    // Stock is reviewed once a night, so an order placed today must cover the lead time
    // and the day until the next review could place another: the protection period.
    let protect = lead.saturating_add(REVIEW_DAYS);
    let lead_time_demand = forecast.over(today, protect);
    // The forecast's own error adds up over the period: a level that is off today is off
    // on every day of it (`cumulative_error_factor`), beyond the days' independent noise.
    let sigma = forecast.sigma_daily * cumulative_error_factor(forecast.alpha, protect).sqrt();
    // A nightly review finds the stock below the reorder point by the last day's demand
    // (the undershoot, (σ² + d²) / 2d on average): the extra day above covers it for
    // steady sellers, and what it does not — a lumpy seller's one large order — is added.
    // A slow mover's demand over the period is skewed (mostly nothing, sometimes a lot),
    // so its upper quantile is read from a gamma distribution of the same mean and
    // variance, never below the normal one.
    let normal = safety_stock(z, sigma, daily, f64::from(protect), supply.lead_time_sd_days);
    let under = undershoot_beyond_a_day(daily, forecast.sigma_daily);
    let ss = if forecast.method == ForecastMethod::Sba {
        let spread = ((normal / z).powi(2) + under * under).sqrt();
        skewed_safety_stock(z, lead_time_demand + under, z * spread)
    } else {
        normal
    } + under;
    // The merchant's minimum stock raises the buffer until the reorder point reaches it,
    // and the order-up-to level with it, so an order restores the floor plus the cover.
    let min_stock = p.limits.min_stock.unwrap_or(0);
    let floor = (f64::from(min_stock) - (lead_time_demand + ss)).max(0.0);
    let ss = ss + floor;
    let reorder_point = lead_time_demand + ss;
    let cover_after = supply.target_cover_days.max(supply.review_period_days);
    let order_up_to = forecast.over(today, lead.saturating_add(cover_after)) + ss;
    let position = p.stock_position();
    let selling = daily > 0.0;
    // A variant that does not sell is still brought back up to its minimum stock.
    let under_floor = (position as f64) < f64::from(min_stock);
    let suggested_qty = if selling || under_floor { order_quantity(order_up_to, position) } else { 0 };
    let plan = Plan { lead_time_demand, safety_stock: ss, reorder_point, order_up_to, suggested_qty };

    let cover = days_of_cover(position, daily);
    let out_of_stock = p.on_hand <= 0;
    let days_since_last_sale =
        forecast.last_sale.map(|d| u32::try_from(today.signed_duration_since(d).num_days().max(0)).unwrap_or(u32::MAX));
    // With no sale in the window, the whole window has been without one.
    let days_without_sale = days_since_last_sale.unwrap_or(forecast.history_days);
    let seasonal_factor = if protect > 0 && forecast.level > 0.0 {
        lead_time_demand / (forecast.level * f64::from(protect))
    } else {
        forecast.yearly * forecast.day_of_week[today.weekday().num_days_from_monday() as usize]
    };
    let depletion_date = match cover {
        Some(c) if !out_of_stock => today.checked_add_days(Days::new(c.floor().min(1e6) as u64)),
        _ => None,
    };
    let lost = if out_of_stock { (daily * p.price_cents.max(0) as f64).round() } else { 0.0 };
    // Stock on order counts when it lands: a variant that sells out before its delivery has
    // a gap, however healthy on hand + incoming looks. Looked at up to a year ahead.
    let stock_gap = match p.arrival {
        Some(a) if selling && !out_of_stock => {
            crate::purchasing::first_gap(p.on_hand, &[a], today, 366, p.price_cents, |d| forecast.over(d, 1))
        }
        _ => None,
    };
    let h = cfg.hysteresis.factor();
    let days = |o: Option<u32>, shop: f64| o.map_or(shop, f64::from);
    let thresholds = Thresholds {
        low_stock_days: days(p.limits.low_stock_days, cfg.low_stock_days),
        overstock_days: days(p.limits.overstock_days, cfg.overstock_days),
        dead_stock_days: p.limits.dead_stock_days.unwrap_or(cfg.dead_stock_days),
        hysteresis: h,
        min_stock,
    };
    let explanation = Explanation {
        velocity: daily,
        seasonal_factor,
        day_of_week: forecast.day_of_week,
        yearly_factor: forecast.yearly,
        sigma_daily: forecast.sigma_daily,
        demand_pattern: forecast.pattern,
        method: forecast.method,
        lead_time_days: lead,
        lead_time_sd_days: supply.lead_time_sd_days,
        review_period_days: supply.review_period_days,
        target_cover_days: supply.target_cover_days,
        service_level_pct: service.pct(),
        z,
        lead_time_demand,
        safety_stock: ss,
        reorder_point,
        order_up_to,
        suggested_qty,
        on_hand: p.on_hand,
        incoming: p.incoming.max(0),
        days_of_cover: cover,
        depletion_date,
        days_since_last_sale,
        lost_revenue_per_day_cents: if lost.is_finite() { lost as i64 } else { 0 },
        stock_value_cents: p.on_hand.max(0).saturating_mul(p.cost_cents.max(0)),
        in_stock_days: forecast.in_stock_days,
        history_days: forecast.history_days,
        thresholds,
        launch: None,
        arrival: p.arrival,
        stock_gap,
    };

    let mut conditions = Conditions::default();
    if p.tracked {
        let oos = out_of_stock && selling;
        let dead = p.on_hand > 0 && days_without_sale >= thresholds.dead_stock_days;
        let below = |limit: f64| cover.is_some_and(|c| c < limit);
        let above = |limit: f64| cover.is_some_and(|c| c > limit);
        let pos = position as f64;
        conditions.set(RiskKind::OutOfStock, Condition::new(oos, oos));
        let reorder = (selling && pos <= reorder_point) || under_floor;
        let reorder_holds = (selling && pos <= reorder_point * h) || under_floor;
        conditions.set(RiskKind::ReorderNow, Condition::new(reorder, reorder_holds));
        let (low, over) = (thresholds.low_stock_days, thresholds.overstock_days);
        conditions.set(RiskKind::LowStock, Condition::new(!oos && below(low), !oos && below(low * h)));
        conditions.set(RiskKind::Overstock, Condition::new(!dead && above(over), !dead && above(over / h)));
        conditions.set(RiskKind::DeadStock, Condition::new(dead, dead));
        let gap = stock_gap.is_some();
        conditions.set(RiskKind::StockGap, Condition::new(gap, gap));
    }

    Assessment {
        variant_id: p.variant_id,
        location_id: p.location_id,
        tracked: p.tracked,
        conditions,
        forecast,
        plan,
        explanation,
        stock_position: position,
        cost_cents: p.cost_cents,
    }
}
