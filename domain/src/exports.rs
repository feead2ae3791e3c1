//! CSV exports for spreadsheets: the alert list as filtered on the dashboard, and the
//! latest forecast of every variant at every location. RFC 4180 with CRLF; text a
//! spreadsheet would run as a formula gets a leading `'`; amounts as plain decimals.

use crate::engine::reorder::csv_text as cell;
use crate::money;
use crate::risk::RiskRow;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// Most rows one export carries; a larger list is cut there and says so.
pub const MAX_EXPORT_ROWS: usize = 20_000;

pub const ALERTS_HEADER: &str = "product,variant,sku,location,alert,status,class,on_hand,incoming,sold_per_day,days_of_cover,runs_out_on,lost_revenue_per_day,stock_value,currency";

/// One listed alert: its risk, its status as the dashboard words it, and its classes.
pub struct AlertLine<'a> {
    pub risk: &'a RiskRow,
    pub status: &'a str,
    pub class: &'a str,
}

fn decimal(x: f64, places: usize) -> String {
    if x.is_finite() {
        format!("{x:.places$}")
    } else {
        String::new()
    }
}

pub fn alerts_csv(lines: &[AlertLine<'_>], currency: &str) -> String {
    let mut out = format!("{ALERTS_HEADER}\r\n");
    for l in lines {
        let (r, p) = (l.risk, &l.risk.position);
        // Writing to a String cannot fail.
        let _ = write!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n",
            cell(&p.product_title),
            cell(&p.variant_title),
            cell(&p.sku),
            cell(&p.location_name),
            r.kind.label(),
            cell(l.status),
            cell(l.class),
            p.on_hand,
            p.incoming,
            decimal(r.velocity, 2),
            r.days_of_cover.map(|d| decimal(d, 1)).unwrap_or_default(),
            r.depletion_date.map(|d| d.to_string()).unwrap_or_default(),
            money::plain(r.lost_revenue_per_day_cents, currency),
            money::plain(r.stock_value_cents, currency),
            cell(currency),
        );
    }
    out
}

pub const FORECASTS_HEADER: &str = "product,variant,sku,location,day,forecast_per_day,sd_per_day,on_hand,days_of_cover,safety_stock,reorder_point,demand_pattern,method,mase,naive_30_day_mase,abc,xyz";

/// A position's latest forecast, as D1 reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForecastLine {
    pub product_title: String,
    pub variant_title: String,
    pub sku: String,
    pub location_name: String,
    pub day: String,
    pub velocity: f64,
    pub sigma_daily: f64,
    pub on_hand: i64,
    pub days_of_cover: Option<f64>,
    pub safety_stock: f64,
    pub reorder_point: f64,
    pub pattern: String,
    pub method: String,
    pub mase: Option<f64>,
    pub naive_mase: Option<f64>,
    pub abc: Option<String>,
    pub xyz: Option<String>,
}

pub fn forecasts_csv(lines: &[ForecastLine]) -> String {
    let mut out = format!("{FORECASTS_HEADER}\r\n");
    let opt = |x: Option<f64>, places: usize| x.map(|x| decimal(x, places)).unwrap_or_default();
    for f in lines {
        let _ = write!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n",
            cell(&f.product_title),
            cell(&f.variant_title),
            cell(&f.sku),
            cell(&f.location_name),
            cell(&f.day),
            decimal(f.velocity, 3),
            decimal(f.sigma_daily, 3),
            f.on_hand,
            opt(f.days_of_cover, 1),
            decimal(f.safety_stock, 1),
            decimal(f.reorder_point, 1),
            cell(&f.pattern),
            cell(&f.method),
            opt(f.mase, 3),
            opt(f.naive_mase, 3),
            cell(f.abc.as_deref().unwrap_or("")),
            cell(f.xyz.as_deref().unwrap_or("")),
        );
    }
    out
}

pub const ROLLUPS_HEADER: &str = "group,name,variants,class_a_variants,revenue_364_days,on_hand,stock_value_at_cost,out_of_stock,to_reorder,overstock_or_dead,lost_revenue_per_day,excess_stock_value,currency";

/// The roll-up table as the page shows it, its total last.
pub fn rollups_csv(by: crate::rollups::RollupBy, groups: &[crate::rollups::Rollup], currency: &str) -> String {
    let mut out = format!("{ROLLUPS_HEADER}\r\n");
    let total = crate::rollups::Rollup::total(groups);
    for g in groups.iter().chain(std::iter::once(&total)) {
        let _ = write!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n",
            by.as_str(),
            cell(&g.name),
            g.variants,
            g.class_a,
            money::plain(g.revenue_cents, currency),
            g.on_hand,
            money::plain(g.stock_value_cents, currency),
            g.out_of_stock,
            g.to_reorder,
            g.excess,
            money::plain(g.lost_per_day_cents, currency),
            money::plain(g.excess_value_cents, currency),
            cell(currency),
        );
    }
    out
}

pub const TRANSFERS_HEADER: &str =
    "sku,product,variant,from_location,to_location,quantity,from_on_hand,from_keeps,to_on_hand,to_days_of_cover,value_at_cost,currency";

/// The suggested transfers, as a list to key into Shopify's transfers (or hand to the
/// warehouse).
pub fn transfers_csv(moves: &[crate::engine::TransferSuggestion], currency: &str) -> String {
    let mut out = format!("{TRANSFERS_HEADER}\r\n");
    for m in moves {
        let _ = write!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{}\r\n",
            cell(&m.sku),
            cell(&m.product_title),
            cell(&m.variant_title),
            cell(&m.from_location),
            cell(&m.to_location),
            m.quantity,
            m.from_on_hand,
            m.from_keeps,
            m.to_on_hand,
            m.to_days_of_cover.map(|d| decimal(d, 1)).unwrap_or_default(),
            money::plain(m.value_cents, currency),
            cell(currency),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{RiskKind, StockPosition};

    fn risk(title: &str) -> RiskRow {
        RiskRow {
            kind: RiskKind::ReorderNow,
            position: StockPosition {
                variant_id: 1,
                location_id: 2,
                product_title: title.into(),
                variant_title: "S".into(),
                sku: "=SUM(A1)".into(),
                location_name: "Main, back room".into(),
                price_cents: 1999,
                on_hand: 4,
                incoming: 0,
                in_stock_days: 30,
                days_since_last_sale: None,
            },
            velocity: 1.234,
            days_of_cover: Some(3.25),
            depletion_date: chrono::NaiveDate::from_ymd_opt(2026, 12, 10),
            lost_revenue_per_day_cents: 0,
            stock_value_cents: 7996,
            gap_lost_cents: 0,
        }
    }

    #[test]
    fn alert_rows_are_quoted_guarded_and_complete() {
        let r = risk("Jacket \"Pro\"");
        let csv = alerts_csv(&[AlertLine { risk: &r, status: "Open", class: "A · X" }], "USD");
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], ALERTS_HEADER);
        assert_eq!(
            lines[1],
            "\"Jacket \"\"Pro\"\"\",S,'=SUM(A1),\"Main, back room\",Reorder now,Open,A · X,4,0,1.23,3.2,2026-12-10,0.00,79.96,USD"
        );
        assert_eq!(lines.len(), 3, "a CRLF after the last row");
        assert_eq!(lines[1].matches(',').count() - 1, ALERTS_HEADER.matches(',').count(), "one comma is inside quotes");
    }

    #[test]
    fn forecast_rows_leave_unknowns_empty() {
        let f = ForecastLine {
            product_title: "Cap".into(),
            variant_title: "One size".into(),
            sku: "CAP-1".into(),
            location_name: "Main".into(),
            day: "2026-12-07".into(),
            velocity: 0.5,
            sigma_daily: 0.7,
            on_hand: 10,
            days_of_cover: None,
            safety_stock: 2.0,
            reorder_point: 6.5,
            pattern: "smooth".into(),
            method: "ses".into(),
            mase: Some(0.8123),
            naive_mase: None,
            abc: Some("B".into()),
            xyz: None,
        };
        let csv = forecasts_csv(&[f]);
        assert!(csv.ends_with("Cap,One size,CAP-1,Main,2026-12-07,0.500,0.700,10,,2.0,6.5,smooth,ses,0.812,,B,\r\n"), "{csv}");
    }

    #[test]
    fn rollup_rows_end_with_their_total() {
        use crate::rollups::{Rollup, RollupBy};
        let groups = vec![
            Rollup {
                name: "=Acme".into(),
                variants: 3,
                class_a: 1,
                revenue_cents: 120_000,
                on_hand: 40,
                stock_value_cents: 50_000,
                out_of_stock: 1,
                lost_per_day_cents: 2_500,
                ..Rollup::default()
            },
            Rollup { name: String::new(), variants: 1, excess: 1, excess_value_cents: 9_900, ..Rollup::default() },
        ];
        let csv = rollups_csv(RollupBy::Supplier, &groups, "EUR");
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], ROLLUPS_HEADER);
        assert_eq!(lines[1], "supplier,'=Acme,3,1,1200.00,40,500.00,1,0,0,25.00,0.00,EUR");
        assert_eq!(lines[2], "supplier,,1,0,0.00,0,0.00,0,0,1,0.00,99.00,EUR");
        assert_eq!(lines[3], "supplier,All,4,1,1200.00,40,500.00,1,0,1,25.00,99.00,EUR");
    }

    #[test]
    fn transfer_rows_say_from_where_to_where_and_how_many() {
        let m = crate::engine::TransferSuggestion {
            variant_id: 1,
            sku: "TEE-M".into(),
            product_title: "Tee, organic".into(),
            variant_title: "M".into(),
            from_location_id: 20,
            from_location: "Main Warehouse".into(),
            from_on_hand: 120,
            from_keeps: 64,
            to_location_id: 10,
            to_location: "Downtown Store".into(),
            to_on_hand: 0,
            to_days_of_cover: Some(0.0),
            quantity: 37,
            value_cents: 37 * 1_250,
        };
        let csv = transfers_csv(&[m], "USD");
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], TRANSFERS_HEADER);
        assert_eq!(lines[1], "TEE-M,\"Tee, organic\",M,Main Warehouse,Downtown Store,37,120,64,0,0.0,462.50,USD");
    }
}
