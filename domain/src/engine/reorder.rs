//! Reorder suggestions per vendor and their CSV export as a draft purchase order.

use super::assess::Assessment;
use super::replenishment::order_quantity;
use crate::risk::RiskKind;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The names the engine does not need but a purchase order does (from `variants`,
/// `products` and `locations`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Labels {
    pub vendor: String,
    pub sku: String,
    pub product_title: String,
    pub variant_title: String,
    pub location_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    pub variant_id: i64,
    pub location_id: i64,
    pub sku: String,
    pub product_title: String,
    pub variant_title: String,
    pub location_name: String,
    pub on_hand: i64,
    pub incoming: i64,
    pub suggested_qty: u32,
    pub unit_cost_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorOrder {
    pub vendor: String,
    pub lines: Vec<OrderLine>,
    pub total_cost_cents: i64,
}

/// What to order now, by vendor (alphabetical), lines by SKU then location. A line is a
/// tracked variant whose stock position is at or below its reorder point; its quantity
/// brings on hand + incoming up to the demand over the lead time plus `cover_days`
/// beyond it, plus safety stock. Lines that would order nothing are left out.
pub fn reorder_suggestions<'a>(
    items: impl IntoIterator<Item = (&'a Labels, &'a Assessment)>,
    cover_days: u32,
    today: NaiveDate,
) -> Vec<VendorOrder> {
    let mut by_vendor: BTreeMap<&str, Vec<OrderLine>> = BTreeMap::new();
    for (labels, a) in items {
        if !a.tracked || !a.conditions.get(RiskKind::ReorderNow).opens {
            continue;
        }
        let e = &a.explanation;
        let horizon = e.lead_time_days.saturating_add(cover_days);
        let qty = order_quantity(a.forecast.over(today, horizon) + a.plan.safety_stock, a.stock_position);
        if qty == 0 {
            continue;
        }
        by_vendor.entry(labels.vendor.as_str()).or_default().push(OrderLine {
            variant_id: a.variant_id,
            location_id: a.location_id,
            sku: labels.sku.clone(),
            product_title: labels.product_title.clone(),
            variant_title: labels.variant_title.clone(),
            location_name: labels.location_name.clone(),
            on_hand: e.on_hand,
            incoming: e.incoming,
            suggested_qty: qty,
            unit_cost_cents: a.cost_cents,
        });
    }
    by_vendor
        .into_iter()
        .map(|(vendor, mut lines)| {
            lines.sort_by(|a, b| (&a.sku, a.location_id, a.variant_id).cmp(&(&b.sku, b.location_id, b.variant_id)));
            let total_cost_cents = lines
                .iter()
                .fold(0i64, |t, l| t.saturating_add(l.unit_cost_cents.saturating_mul(i64::from(l.suggested_qty))));
            VendorOrder { vendor: vendor.to_string(), lines, total_cost_cents }
        })
        .collect()
}

/// RFC 4180 CSV (CRLF line ends), one row per line, with a header. Text is quoted when it
/// holds a comma, quote, CR or LF, and quotes are doubled. Text starting with `=`, `+`,
/// `-`, `@` or a tab gets a leading `'` so a spreadsheet shows it instead of running it
/// as a formula (product names are merchant- and sometimes supplier-typed).
pub fn purchase_order_csv(orders: &[VendorOrder]) -> String {
    let mut out = String::from("vendor,sku,product,variant,location,on_hand,incoming,suggested_qty,unit_cost\r\n");
    for order in orders {
        for l in &order.lines {
            for text in [&order.vendor, &l.sku, &l.product_title, &l.variant_title, &l.location_name] {
                out.push_str(&csv_text(text));
                out.push(',');
            }
            // Writing to a String cannot fail.
            let _ = write!(out, "{},{},{},{}\r\n", l.on_hand, l.incoming, l.suggested_qty, money(l.unit_cost_cents));
        }
    }
    out
}

fn csv_text(s: &str) -> String {
    let guarded = if s.starts_with(['=', '+', '-', '@', '\t']) { format!("'{s}") } else { s.to_string() };
    if guarded.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// Cents as a decimal amount: 1999 → "19.99", -5 → "-0.05".
fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_needs_quoting() {
        assert_eq!(csv_text("plain"), "plain");
        assert_eq!(csv_text("Tee, black"), "\"Tee, black\"");
        assert_eq!(csv_text("12\" record"), "\"12\"\" record\"");
        assert_eq!(csv_text("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_text("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_text("-5 sale"), "'-5 sale");
        assert_eq!(csv_text(""), "");
    }

    #[test]
    fn money_formats_cents() {
        assert_eq!(money(1999), "19.99");
        assert_eq!(money(5), "0.05");
        assert_eq!(money(-5), "-0.05");
        assert_eq!(money(i64::MIN), "-92233720368547758.08");
    }
}
