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
/// brings on hand + incoming up to the demand over the lead time plus the days of cover
/// beyond it, plus safety stock. Lines that would order nothing are left out.
///
/// The days of cover are `cover_days` for every line when the merchant names them, else each
/// variant's own (its "an order covers" setting, at least its review period): then every
/// quantity is the engine's own suggestion, as the alerts and the variant page show it.
pub fn reorder_suggestions<'a>(
    items: impl IntoIterator<Item = (&'a Labels, &'a Assessment)>,
    cover_days: Option<u32>,
    today: NaiveDate,
) -> Vec<VendorOrder> {
    let mut by_vendor: BTreeMap<&str, Vec<OrderLine>> = BTreeMap::new();
    for (labels, a) in items {
        if !a.tracked || !a.conditions.get(RiskKind::ReorderNow).opens {
            continue;
        }
        let e = &a.explanation;
        let cover = cover_days.unwrap_or(e.target_cover_days.max(e.review_period_days));
        let horizon = e.lead_time_days.saturating_add(cover);
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
            let total_cost_cents = total_cost(&lines);
            VendorOrder { vendor: vendor.to_string(), lines, total_cost_cents }
        })
        .collect()
}

/// The merchant's own quantities for some lines, by (variant id, location id); lines not
/// in the map keep their suggested quantity.
pub type QuantityOverrides = BTreeMap<(i64, i64), u32>;

impl OrderLine {
    /// What this line costs at `qty` units (saturating: costs come from the shop).
    pub fn cost_at(&self, qty: u32) -> i64 {
        self.unit_cost_cents.saturating_mul(i64::from(qty))
    }
}

impl VendorOrder {
    /// This order with the merchant's quantities: an overridden line carries its new
    /// quantity in `suggested_qty` (sent as the CSV's `order_qty`), a line set to 0
    /// is left out, and the total is recomputed. The vendor stays, even with no lines, so
    /// a page can keep showing it.
    pub fn with_quantities(&self, overrides: &QuantityOverrides) -> VendorOrder {
        let lines: Vec<OrderLine> = self
            .lines
            .iter()
            .filter_map(|l| {
                let qty = overrides.get(&(l.variant_id, l.location_id)).copied().unwrap_or(l.suggested_qty);
                (qty > 0).then(|| OrderLine { suggested_qty: qty, ..l.clone() })
            })
            .collect();
        VendorOrder { vendor: self.vendor.clone(), total_cost_cents: total_cost(&lines), lines }
    }
}

/// Every order with the merchant's quantities (see `VendorOrder::with_quantities`),
/// leaving out vendors with nothing left to order: what `purchase_order_csv` should send.
pub fn apply_quantities(orders: &[VendorOrder], overrides: &QuantityOverrides) -> Vec<VendorOrder> {
    orders.iter().map(|o| o.with_quantities(overrides)).filter(|o| !o.lines.is_empty()).collect()
}

/// Why a typed order quantity was refused; the message is what the merchant reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum QuantityError {
    /// Also what a browser's number input reports for text it cannot read ("5e"), so the
    /// message asks for a number rather than saying the field is empty.
    #[error("Enter a whole number of units (0 leaves the line out).")]
    Empty,
    #[error("The quantity cannot be negative.")]
    Negative,
    #[error("Enter a whole number of units.")]
    NotWholeNumber,
    #[error("That is more units than an order can hold.")]
    TooLarge,
}

/// A quantity as the merchant typed it: a whole number of units, 0 or more.
pub fn parse_order_quantity(text: &str) -> Result<u32, QuantityError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(QuantityError::Empty);
    }
    text.parse::<u32>().map_err(|e| match e.kind() {
        std::num::IntErrorKind::PosOverflow => QuantityError::TooLarge,
        _ if text.starts_with('-') && text[1..].parse::<f64>().is_ok() => QuantityError::Negative,
        _ => QuantityError::NotWholeNumber,
    })
}

fn total_cost(lines: &[OrderLine]) -> i64 {
    lines.iter().fold(0i64, |t, l| t.saturating_add(l.cost_at(l.suggested_qty)))
}

/// RFC 4180 CSV (CRLF line ends), one row per line, with a header. Text is quoted when it
/// holds a comma, quote, CR or LF, and quotes are doubled. Text starting with `=`, `+`,
/// `-`, `@` or a tab gets a leading `'` so a spreadsheet shows it instead of running it
/// as a formula (product names are merchant- and sometimes supplier-typed).
pub fn purchase_order_csv(orders: &[VendorOrder]) -> String {
    let mut out = String::from("vendor,sku,product,variant,location,on_hand,incoming,order_qty,unit_cost\r\n");
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

pub(crate) fn csv_text(s: &str) -> String {
    let guarded = if s.starts_with(['=', '+', '-', '@', '\t']) { format!("'{s}") } else { s.to_string() };
    if guarded.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// Cents as a decimal amount: 1999 → "19.99", -5 → "-0.05".
pub(crate) fn money(cents: i64) -> String {
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

    fn line(variant_id: i64, sku: &str, qty: u32, unit_cost_cents: i64) -> OrderLine {
        OrderLine {
            variant_id,
            location_id: 7,
            sku: sku.into(),
            product_title: "Cap".into(),
            variant_title: "Red".into(),
            location_name: "Main".into(),
            on_hand: 1,
            incoming: 0,
            suggested_qty: qty,
            unit_cost_cents,
        }
    }

    #[test]
    fn edited_quantities_reach_the_purchase_order() {
        let orders = vec![
            VendorOrder {
                vendor: "Acme".into(),
                lines: vec![line(1, "CAP-1", 4, 250), line(2, "CAP-2", 3, 1_000)],
                total_cost_cents: 4_000,
            },
            VendorOrder { vendor: "Zeta".into(), lines: vec![line(3, "TEE-1", 2, 999)], total_cost_cents: 1_998 },
        ];
        // CAP-1 raised to 777, CAP-2 and TEE-1 set to 0; an override for an unknown line is ignored.
        let overrides = QuantityOverrides::from([((1, 7), 777), ((2, 7), 0), ((3, 7), 0), ((9, 9), 5)]);
        let edited = apply_quantities(&orders, &overrides);
        assert_eq!(edited.len(), 1, "a vendor with nothing left is left out");
        assert_eq!(edited[0].total_cost_cents, 777 * 250);
        assert_eq!(
            purchase_order_csv(&edited),
            "vendor,sku,product,variant,location,on_hand,incoming,order_qty,unit_cost\r\n\
             Acme,CAP-1,Cap,Red,Main,1,0,777,2.50\r\n"
        );
        // The page keeps showing an emptied vendor, at no cost.
        let zeta = orders[1].with_quantities(&overrides);
        assert_eq!((zeta.lines.len(), zeta.total_cost_cents), (0, 0));
        // No overrides: the suggestion as it was.
        assert_eq!(apply_quantities(&orders, &QuantityOverrides::new()), orders);
    }

    #[test]
    fn order_quantities_parse() {
        assert_eq!(parse_order_quantity(" 12 "), Ok(12));
        assert_eq!(parse_order_quantity("0"), Ok(0));
        assert_eq!(parse_order_quantity(""), Err(QuantityError::Empty));
        assert_eq!(parse_order_quantity("-3"), Err(QuantityError::Negative));
        assert_eq!(parse_order_quantity("-0.5"), Err(QuantityError::Negative));
        assert_eq!(parse_order_quantity("2.5"), Err(QuantityError::NotWholeNumber));
        assert_eq!(parse_order_quantity("abc"), Err(QuantityError::NotWholeNumber));
        assert_eq!(parse_order_quantity("1e3"), Err(QuantityError::NotWholeNumber));
        assert_eq!(parse_order_quantity("99999999999"), Err(QuantityError::TooLarge));
    }

    #[test]
    fn money_formats_cents() {
        assert_eq!(money(1999), "19.99");
        assert_eq!(money(5), "0.05");
        assert_eq!(money(-5), "-0.05");
        assert_eq!(money(i64::MIN), "-92233720368547758.08");
    }
}
