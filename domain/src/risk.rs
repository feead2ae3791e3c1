//! The kinds of risk and the shapes the dashboard shows them in. The decisions themselves
//! are the inventory engine's (`crate::engine`); these are its results as the UI reads them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskKind {
    OutOfStock,
    ReorderNow,
    LowStock,
    Overstock,
    DeadStock,
    /// Stock runs out before stock on order lands.
    StockGap,
}

impl RiskKind {
    pub const ALL: [RiskKind; 6] = [Self::OutOfStock, Self::ReorderNow, Self::LowStock, Self::Overstock, Self::DeadStock, Self::StockGap];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::OutOfStock => "out_of_stock",
            Self::ReorderNow => "reorder_now",
            Self::LowStock => "low_stock",
            Self::Overstock => "overstock",
            Self::DeadStock => "dead_stock",
            Self::StockGap => "stock_gap",
        }
    }

    /// The kind named by `as_str` (as stored in D1), if any.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::OutOfStock => "Out of stock",
            Self::ReorderNow => "Reorder now",
            Self::LowStock => "Low stock",
            Self::Overstock => "Overstock",
            Self::DeadStock => "Dead stock",
            Self::StockGap => "Stock gap",
        }
    }
}

/// One variant at one location: names for the UI and the stock the alert is about.
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
    /// Days of the window on which the variant was in stock at this location.
    pub in_stock_days: u32,
    /// Days since the last sale, if any sale happened in the dead-stock lookback.
    pub days_since_last_sale: Option<u32>,
}

/// One dashboard line: a position, its risk and the numbers that explain it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskRow {
    pub kind: RiskKind,
    pub position: StockPosition,
    pub velocity: f64,
    pub days_of_cover: Option<f64>,
    /// The day stock runs out at the current pace (for what is not out yet).
    #[serde(default, deserialize_with = "crate::dates::ymd_opt")]
    pub depletion_date: Option<NaiveDate>,
    /// Revenue lost per day while out of stock: velocity × price.
    pub lost_revenue_per_day_cents: i64,
    /// Stock value tied up (overstock, dead stock) at retail price.
    pub stock_value_cents: i64,
    /// Sales a stock gap loses before the delivery lands (stock gap only).
    #[serde(default)]
    pub gap_lost_cents: i64,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_names() {
        for k in RiskKind::ALL {
            assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{}\"", k.as_str()));
        }
        assert_eq!(RiskKind::OutOfStock.label(), "Out of stock");
        assert_eq!(RiskKind::parse("dead_stock"), Some(RiskKind::DeadStock));
        assert_eq!(RiskKind::parse("sold_out"), None);
    }
}
