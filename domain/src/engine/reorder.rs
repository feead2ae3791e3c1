//! Reorder suggestions per vendor and their CSV export as a draft purchase order.
//! `purchasing::supply::by_supplier` regroups them per supplier on its terms.

use super::assess::Assessment;
use super::replenishment::order_quantity;
use crate::classes::{Abc, Xyz};
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
    /// The variant's classes, once the weekly refit has classed it.
    pub abc: Option<Abc>,
    pub xyz: Option<Xyz>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OrderLine {
    pub variant_id: i64,
    pub location_id: i64,
    pub sku: String,
    /// The supplier's own SKU, from its catalogue ("" when none).
    pub supplier_sku: String,
    pub product_title: String,
    pub variant_title: String,
    pub location_name: String,
    pub on_hand: i64,
    pub incoming: i64,
    /// What the engine suggests.
    pub suggested_qty: u32,
    /// What is ordered: the suggestion as the supplier accepts it, or the merchant's own.
    pub order_qty: u32,
    /// Why `order_qty` differs from the suggestion ("suggested 7 → 12, case of 12").
    pub rounding: Option<String>,
    /// Units per case (1: single units).
    pub case_pack: u32,
    /// In the order's currency.
    pub unit_cost_cents: i64,
    /// Forecast units per day over the order's horizon (where a top-up case goes first).
    pub daily_demand: f64,
    /// Its classes as the page shows them ("A · X"; `classes::label`), "" before the refit
    /// has classed it: text, so the browser's wasm needs no class types.
    #[serde(default)]
    pub class: String,
}

/// What to order from one supplier (or, for a vendor without one, from the vendor).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupplierOrder {
    pub supplier: String,
    /// `None`: a vendor without a supplier record.
    pub supplier_id: Option<i64>,
    /// ISO 4217 of the amounts; `None`: the shop's currency.
    pub currency: Option<String>,
    pub min_order_cents: i64,
    /// Cases added to reach `min_order_cents`.
    pub topped_up_cases: u32,
    pub lines: Vec<OrderLine>,
    pub total_cost_cents: i64,
}

impl SupplierOrder {
    pub fn new(
        supplier: String,
        supplier_id: Option<i64>,
        currency: Option<String>,
        min_order_cents: i64,
        topped_up_cases: u32,
        lines: Vec<OrderLine>,
    ) -> Self {
        let total_cost_cents = total_cost(&lines);
        Self { supplier, supplier_id, currency, min_order_cents, topped_up_cases, lines, total_cost_cents }
    }

    /// Below the supplier's minimum order value (after any top-up: nothing could close it).
    pub fn below_minimum(&self) -> bool {
        self.total_cost_cents < self.min_order_cents
    }
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
) -> Vec<SupplierOrder> {
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
        let horizon_demand = a.forecast.over(today, horizon);
        by_vendor.entry(labels.vendor.as_str()).or_default().push(OrderLine {
            variant_id: a.variant_id,
            location_id: a.location_id,
            sku: labels.sku.clone(),
            supplier_sku: String::new(),
            product_title: labels.product_title.clone(),
            variant_title: labels.variant_title.clone(),
            location_name: labels.location_name.clone(),
            on_hand: e.on_hand,
            incoming: e.incoming,
            suggested_qty: qty,
            order_qty: qty,
            rounding: None,
            case_pack: 1,
            unit_cost_cents: a.cost_cents,
            daily_demand: if horizon > 0 { horizon_demand / f64::from(horizon) } else { 0.0 },
            class: crate::classes::label(labels.abc, labels.xyz),
        });
    }
    by_vendor
        .into_iter()
        .map(|(vendor, mut lines)| {
            lines.sort_by(|a, b| (&a.sku, a.location_id, a.variant_id).cmp(&(&b.sku, b.location_id, b.variant_id)));
            SupplierOrder::new(vendor.to_string(), None, None, 0, 0, lines)
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

impl SupplierOrder {
    /// This order with the merchant's quantities: an overridden line carries its new
    /// quantity in `order_qty`, a line set to 0 is left out, and the total is recomputed.
    /// The supplier stays, even with no lines, so a page can keep showing it.
    pub fn with_quantities(&self, overrides: &QuantityOverrides) -> SupplierOrder {
        let lines: Vec<OrderLine> = self
            .lines
            .iter()
            .filter_map(|l| {
                let qty = overrides.get(&(l.variant_id, l.location_id)).copied().unwrap_or(l.order_qty);
                (qty > 0).then(|| OrderLine { order_qty: qty, ..l.clone() })
            })
            .collect();
        SupplierOrder { total_cost_cents: total_cost(&lines), lines, ..self.clone_header() }
    }

    /// The order without its lines (cloning them only to replace them would be waste).
    fn clone_header(&self) -> SupplierOrder {
        SupplierOrder {
            supplier: self.supplier.clone(),
            supplier_id: self.supplier_id,
            currency: self.currency.clone(),
            min_order_cents: self.min_order_cents,
            topped_up_cases: self.topped_up_cases,
            lines: Vec::new(),
            total_cost_cents: 0,
        }
    }
}

/// Every order with the merchant's quantities (see `SupplierOrder::with_quantities`),
/// leaving out suppliers with nothing left to order: what `purchase_order_csv` should send.
pub fn apply_quantities(orders: &[SupplierOrder], overrides: &QuantityOverrides) -> Vec<SupplierOrder> {
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
    lines.iter().fold(0i64, |t, l| t.saturating_add(l.cost_at(l.order_qty)))
}

/// The purchase order CSV's columns.
pub const PURCHASE_ORDER_HEADER: &str = "supplier,sku,supplier_sku,product,variant,location,on_hand,incoming,order_qty,unit_cost";

/// RFC 4180 CSV (CRLF line ends), one row per line, with a header. Text is quoted when it
/// holds a comma, quote, CR or LF, and quotes are doubled. Text starting with `=`, `+`,
/// `-`, `@` or a tab gets a leading `'` so a spreadsheet shows it instead of running it
/// as a formula (product names are merchant- and sometimes supplier-typed).
pub fn purchase_order_csv(orders: &[SupplierOrder]) -> String {
    let mut out = String::from(PURCHASE_ORDER_HEADER);
    out.push_str("\r\n");
    for order in orders {
        for l in &order.lines {
            for text in [&order.supplier, &l.sku, &l.supplier_sku, &l.product_title, &l.variant_title, &l.location_name] {
                out.push_str(&csv_text(text));
                out.push(',');
            }
            // Writing to a String cannot fail.
            let _ = write!(out, "{},{},{},{}\r\n", l.on_hand, l.incoming, l.order_qty, money(l.unit_cost_cents));
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
            order_qty: qty,
            case_pack: 1,
            unit_cost_cents,
            ..OrderLine::default()
        }
    }

    #[test]
    fn edited_quantities_reach_the_purchase_order() {
        let orders = vec![
            SupplierOrder::new("Acme".into(), None, None, 0, 0, vec![line(1, "CAP-1", 4, 250), line(2, "CAP-2", 3, 1_000)]),
            SupplierOrder::new("Zeta".into(), None, None, 0, 0, vec![line(3, "TEE-1", 2, 999)]),
        ];
        // CAP-1 raised to 777, CAP-2 and TEE-1 set to 0; an override for an unknown line is ignored.
        let overrides = QuantityOverrides::from([((1, 7), 777), ((2, 7), 0), ((3, 7), 0), ((9, 9), 5)]);
        let edited = apply_quantities(&orders, &overrides);
        assert_eq!(edited.len(), 1, "a supplier with nothing left is left out");
        assert_eq!(edited[0].total_cost_cents, 777 * 250);
        assert_eq!(
            purchase_order_csv(&edited),
            "supplier,sku,supplier_sku,product,variant,location,on_hand,incoming,order_qty,unit_cost\r\n\
             Acme,CAP-1,,Cap,Red,Main,1,0,777,2.50\r\n"
        );
        // The page keeps showing an emptied supplier, at no cost.
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
