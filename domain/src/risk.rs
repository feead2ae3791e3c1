//! The first, simple days-of-cover rule: how fast a variant sells at a location, how long
//! its stock lasts at that pace, and which kind of risk that is. The inventory engine
//! (forecasts, seasonality, safety stock) replaces the velocity here; the ranking stays.

use crate::settings::Settings;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskKind {
    OutOfStock,
    ReorderNow,
    LowStock,
    Overstock,
    DeadStock,
}

impl RiskKind {
    pub const ALL: [RiskKind; 5] =
        [Self::OutOfStock, Self::ReorderNow, Self::LowStock, Self::Overstock, Self::DeadStock];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::OutOfStock => "out_of_stock",
            Self::ReorderNow => "reorder_now",
            Self::LowStock => "low_stock",
            Self::Overstock => "overstock",
            Self::DeadStock => "dead_stock",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::OutOfStock => "Out of stock",
            Self::ReorderNow => "Reorder now",
            Self::LowStock => "Low stock",
            Self::Overstock => "Overstock",
            Self::DeadStock => "Dead stock",
        }
    }
}

/// What D1 knows about one variant at one location over the recent window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StockPosition {
    pub variant_id: i64,
    pub location_id: i64,
    pub product_title: String,
    pub variant_title: String,
    pub sku: String,
    pub location_name: String,
    pub price_cents: i64,
    pub on_hand: i64,
    pub incoming: i64,
    /// Net units sold (sales minus returns) over the window.
    pub units_sold: f64,
    /// Days of the window on which the variant was in stock at this location.
    pub in_stock_days: u32,
    /// Days since the last sale, if any sale happened in the dead-stock lookback.
    pub days_since_last_sale: Option<u32>,
}

impl StockPosition {
    /// Units per day, counting only days the variant could be bought: a week at zero stock
    /// is missing demand, not zero demand.
    pub fn velocity(&self) -> f64 {
        if self.in_stock_days == 0 {
            return 0.0;
        }
        (self.units_sold / f64::from(self.in_stock_days)).max(0.0)
    }

    pub fn available(&self) -> i64 {
        self.on_hand.max(0) + self.incoming.max(0)
    }

    /// Days the available stock lasts at the current velocity; `None` when nothing sells.
    pub fn days_of_cover(&self) -> Option<f64> {
        let v = self.velocity();
        (v > 0.0).then(|| self.available() as f64 / v)
    }
}

/// One dashboard line: a position, its risk and the numbers that explain it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskRow {
    pub kind: RiskKind,
    pub position: StockPosition,
    pub velocity: f64,
    pub days_of_cover: Option<f64>,
    /// The day stock runs out at the current pace (for what is not out yet).
    pub depletion_date: Option<NaiveDate>,
    /// Revenue lost per day while out of stock: velocity × price.
    pub lost_revenue_per_day_cents: i64,
    /// Stock value tied up (overstock, dead stock) at retail price.
    pub stock_value_cents: i64,
}

pub fn classify(p: &StockPosition, s: &Settings) -> Option<RiskKind> {
    let velocity = p.velocity();
    if p.on_hand <= 0 {
        // Nothing on hand and nothing selling is a discontinued line, not a risk.
        return (velocity > 0.0).then_some(RiskKind::OutOfStock);
    }
    let Some(cover) = p.days_of_cover() else {
        let stale = p.days_since_last_sale.is_none_or(|d| d >= s.dead_stock_days);
        return stale.then_some(RiskKind::DeadStock);
    };
    if cover <= f64::from(s.lead_time_days) {
        Some(RiskKind::ReorderNow)
    } else if cover <= f64::from(s.low_stock_days) {
        Some(RiskKind::LowStock)
    } else if cover >= f64::from(s.overstock_days) {
        Some(RiskKind::Overstock)
    } else {
        None
    }
}

pub fn assess(p: StockPosition, s: &Settings, today: NaiveDate) -> Option<RiskRow> {
    let kind = classify(&p, s)?;
    let velocity = p.velocity();
    let days_of_cover = p.days_of_cover();
    let depletion_date = match kind {
        RiskKind::OutOfStock => None,
        _ => days_of_cover.and_then(|c| today.checked_add_days(Days::new(c.floor() as u64))),
    };
    let lost = if kind == RiskKind::OutOfStock { (velocity * p.price_cents as f64).round() as i64 } else { 0 };
    Some(RiskRow {
        kind,
        velocity,
        days_of_cover,
        depletion_date,
        lost_revenue_per_day_cents: lost,
        stock_value_cents: p.on_hand.max(0) * p.price_cents,
        position: p,
    })
}

/// Most urgent first: what is out and losing most money, then what runs out soonest,
/// then stock tying up the most money.
pub fn by_urgency(a: &RiskRow, b: &RiskRow) -> Ordering {
    let rank = |k: RiskKind| match k {
        RiskKind::OutOfStock => 0,
        RiskKind::ReorderNow | RiskKind::LowStock => 1,
        RiskKind::Overstock | RiskKind::DeadStock => 2,
    };
    let cover = |r: &RiskRow| r.days_of_cover.unwrap_or(f64::INFINITY);
    rank(a.kind)
        .cmp(&rank(b.kind))
        .then_with(|| match rank(a.kind) {
            0 => b.lost_revenue_per_day_cents.cmp(&a.lost_revenue_per_day_cents),
            1 => cover(a).total_cmp(&cover(b)),
            _ => b.stock_value_cents.cmp(&a.stock_value_cents),
        })
        .then_with(|| (a.position.variant_id, a.position.location_id).cmp(&(b.position.variant_id, b.position.location_id)))
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KindSummary {
    pub kind: Option<RiskKind>,
    pub count: u32,
    pub units: i64,
    pub value_cents: i64,
}

/// Counts per kind plus the rows sorted by urgency.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RiskReport {
    pub summaries: Vec<KindSummary>,
    pub rows: Vec<RiskRow>,
    pub positions_checked: usize,
}

pub fn report(positions: Vec<StockPosition>, s: &Settings, today: NaiveDate) -> RiskReport {
    let positions_checked = positions.len();
    let mut rows: Vec<RiskRow> = positions.into_iter().filter_map(|p| assess(p, s, today)).collect();
    rows.sort_by(by_urgency);
    let summaries = RiskKind::ALL
        .iter()
        .map(|&kind| {
            let of_kind = rows.iter().filter(|r| r.kind == kind);
            of_kind.fold(KindSummary { kind: Some(kind), ..Default::default() }, |mut acc, r| {
                acc.count += 1;
                // Out of stock: money lost per day; otherwise the stock value concerned.
                let (units, value) = if kind == RiskKind::OutOfStock {
                    (r.velocity.round() as i64, r.lost_revenue_per_day_cents)
                } else {
                    (r.position.on_hand.max(0), r.stock_value_cents)
                };
                acc.units += units;
                acc.value_cents += value;
                acc
            })
        })
        .collect();
    RiskReport { summaries, rows, positions_checked }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(on_hand: i64, sold: f64, in_stock_days: u32) -> StockPosition {
        StockPosition {
            variant_id: 1,
            location_id: 1,
            product_title: "Tee".into(),
            variant_title: "M".into(),
            sku: "TEE-M".into(),
            location_name: "Main".into(),
            price_cents: 2_000,
            on_hand,
            incoming: 0,
            units_sold: sold,
            in_stock_days,
            days_since_last_sale: Some(1),
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    #[test]
    fn stockout_days_do_not_dilute_velocity() {
        // 30 units over the 10 days it was in stock: 3/day, not 1/day.
        assert_eq!(pos(0, 30.0, 10).velocity(), 3.0);
    }

    #[test]
    fn kinds_follow_days_of_cover() {
        let s = Settings::default(); // lead 7, low 14, over 180
        assert_eq!(classify(&pos(0, 30.0, 30), &s), Some(RiskKind::OutOfStock));
        assert_eq!(classify(&pos(5, 30.0, 30), &s), Some(RiskKind::ReorderNow)); // 5 days
        assert_eq!(classify(&pos(10, 30.0, 30), &s), Some(RiskKind::LowStock)); // 10 days
        assert_eq!(classify(&pos(50, 30.0, 30), &s), None); // 50 days
        assert_eq!(classify(&pos(400, 30.0, 30), &s), Some(RiskKind::Overstock)); // 400 days
        assert_eq!(classify(&pos(0, 0.0, 30), &s), None);
    }

    #[test]
    fn incoming_stock_counts_as_cover() {
        let mut p = pos(5, 30.0, 30);
        p.incoming = 20;
        assert_eq!(p.days_of_cover(), Some(25.0));
        assert_eq!(classify(&p, &Settings::default()), None);
    }

    #[test]
    fn dead_stock_needs_an_old_last_sale() {
        let s = Settings::default();
        let mut p = pos(12, 0.0, 30);
        p.days_since_last_sale = Some(20);
        assert_eq!(classify(&p, &s), None);
        p.days_since_last_sale = None;
        assert_eq!(classify(&p, &s), Some(RiskKind::DeadStock));
    }

    #[test]
    fn report_ranks_by_money_lost_then_by_depletion() {
        let s = Settings::default();
        let mut cheap_out = pos(0, 30.0, 30);
        cheap_out.variant_id = 2;
        cheap_out.price_cents = 500;
        let mut dear_out = pos(0, 30.0, 30);
        dear_out.variant_id = 3;
        dear_out.price_cents = 9_000;
        let mut soon = pos(2, 30.0, 30);
        soon.variant_id = 4;
        let later = pos(10, 30.0, 30);
        let r = report(vec![later, soon, cheap_out, dear_out], &s, today());
        let order: Vec<i64> = r.rows.iter().map(|r| r.position.variant_id).collect();
        assert_eq!(order, vec![3, 2, 4, 1]);
        assert_eq!(r.rows[0].lost_revenue_per_day_cents, 9_000);
        assert_eq!(r.rows[2].depletion_date, NaiveDate::from_ymd_opt(2026, 11, 27));
        let out = &r.summaries[0];
        assert_eq!((out.kind, out.count, out.value_cents), (Some(RiskKind::OutOfStock), 2, 9_500));
    }
}
