//! Who supplies what, and the reorder list regrouped by supplier on the supplier's terms.
//! The engine suggests per vendor what the shop needs; here each line goes to its supplier
//! (the variant's own, else its vendor's), is rounded to what that supplier sells, priced
//! at the supplier's cost, and an order below the supplier's minimum value is topped up.

use super::terms::{accept, top_up_to_minimum, SupplyTerms, TopUpLine};
use crate::engine::reorder::{OrderLine, SupplierOrder};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// A supplier as the reorder view needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supplier {
    pub id: i64,
    pub name: String,
    /// ISO 4217; `None`: the shop's currency.
    pub currency: Option<String>,
    /// The smallest order the supplier takes, in its currency's hundredths (0: none).
    pub min_order_cents: i64,
}

/// What one supplier's catalogue says of one variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub supplier_id: i64,
    pub supplier_sku: String,
    /// In the supplier's currency; `None`: not given (the shop's cost is used when the
    /// currencies agree).
    pub unit_cost_cents: Option<i64>,
    pub terms: SupplyTerms,
}

/// The shop's suppliers, which supplier each vendor defaults to, and per variant the
/// catalogue entry that assigns it to a supplier.
#[derive(Debug, Clone, Default)]
pub struct SupplierBook {
    pub suppliers: HashMap<i64, Supplier>,
    pub by_vendor: HashMap<String, i64>,
    pub items: HashMap<i64, Item>,
}

impl SupplierBook {
    /// The supplier a variant is ordered from: its catalogue entry's, else its vendor's.
    pub fn supplier_of(&self, variant_id: i64, vendor: &str) -> Option<&Supplier> {
        let id = self.items.get(&variant_id).map(|i| i.supplier_id).or_else(|| self.by_vendor.get(vendor).copied())?;
        self.suppliers.get(&id)
    }
}

/// The engine's per-vendor suggestions as orders per supplier (alphabetical, lines by SKU
/// then location as before). A line keeps the engine's quantity in `suggested_qty` and
/// carries what the supplier accepts in `order_qty`, with the rounding in words. A vendor
/// without a supplier stays an order of its own under the vendor's name.
pub fn by_supplier(orders: Vec<SupplierOrder>, book: &SupplierBook, shop_currency: &str) -> Vec<SupplierOrder> {
    let mut groups: BTreeMap<(String, Option<i64>), Vec<OrderLine>> = BTreeMap::new();
    let mut meta: HashMap<Option<i64>, &Supplier> = HashMap::new();
    for order in orders {
        for mut line in order.lines {
            let supplier = book.supplier_of(line.variant_id, &order.supplier);
            let key = match supplier {
                Some(s) => {
                    meta.insert(Some(s.id), s);
                    (s.name.clone(), Some(s.id))
                }
                None => (order.supplier.clone(), None),
            };
            let currency = supplier.and_then(|s| s.currency.as_deref()).unwrap_or(shop_currency);
            let item = book.items.get(&line.variant_id).filter(|i| Some(i.supplier_id) == key.1);
            let terms = item.map_or(SupplyTerms::NONE, |i| i.terms);
            let accepted = accept(line.suggested_qty, terms);
            line.order_qty = accepted.quantity;
            line.rounding = accepted.in_words();
            line.supplier_sku = item.map(|i| i.supplier_sku.clone()).unwrap_or_default();
            line.unit_cost_cents = match item.and_then(|i| i.unit_cost_cents) {
                Some(cost) => cost,
                // Shopify's cost is in the shop's currency: no use to a supplier in another.
                None if currency.eq_ignore_ascii_case(shop_currency) => line.unit_cost_cents,
                None => 0,
            };
            line.case_pack = terms.case_pack;
            groups.entry(key).or_default().push(line);
        }
    }
    groups
        .into_iter()
        .map(|((name, id), mut lines)| {
            lines.sort_by(|a, b| (&a.sku, a.location_id, a.variant_id).cmp(&(&b.sku, b.location_id, b.variant_id)));
            let supplier = meta.get(&id).copied();
            let min_order_cents = supplier.map_or(0, |s| s.min_order_cents);
            let topped_up_cases = top_up(&mut lines, min_order_cents);
            SupplierOrder::new(name, id, supplier.and_then(|s| s.currency.clone()), min_order_cents, topped_up_cases, lines)
        })
        .collect()
}

/// Raises an order below the supplier's minimum value a case at a time where stock runs out
/// first (`terms::top_up_to_minimum`); a raised line says so.
fn top_up(lines: &mut [OrderLine], min_order_cents: i64) -> u32 {
    if min_order_cents <= 0 {
        return 0;
    }
    let mut tops: Vec<TopUpLine> = lines
        .iter()
        .map(|l| TopUpLine {
            quantity: l.order_qty,
            case_pack: l.case_pack.max(1),
            unit_cost_cents: l.unit_cost_cents,
            position_after: (l.on_hand + l.incoming) as f64 + f64::from(l.order_qty),
            daily: l.daily_demand,
        })
        .collect();
    let added = top_up_to_minimum(&mut tops, min_order_cents);
    for (line, top) in lines.iter_mut().zip(&tops) {
        if top.quantity > line.order_qty {
            let before = line.order_qty;
            line.order_qty = top.quantity;
            let why = format!("raised {before} → {} to reach the supplier's minimum order", top.quantity);
            line.rounding = Some(match line.rounding.take() {
                Some(r) => format!("{r}; {why}"),
                None => why,
            });
        }
    }
    added
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(variant_id: i64, sku: &str, suggested: u32, cost: i64, daily: f64) -> OrderLine {
        OrderLine {
            variant_id,
            location_id: 1,
            sku: sku.into(),
            product_title: format!("Product {sku}"),
            variant_title: "Default".into(),
            location_name: "Warehouse".into(),
            on_hand: 2,
            incoming: 0,
            suggested_qty: suggested,
            order_qty: suggested,
            unit_cost_cents: cost,
            daily_demand: daily,
            ..OrderLine::default()
        }
    }

    fn book() -> SupplierBook {
        let mut b = SupplierBook::default();
        b.suppliers.insert(1, Supplier { id: 1, name: "Acme Wholesale".into(), currency: None, min_order_cents: 0 });
        b.suppliers.insert(2, Supplier { id: 2, name: "Nordic Textiles".into(), currency: Some("EUR".into()), min_order_cents: 50_000 });
        b.by_vendor.insert("Acme".into(), 1);
        b.by_vendor.insert("Nordic".into(), 2);
        b.items.insert(
            11,
            Item { supplier_id: 1, supplier_sku: "AC-11".into(), unit_cost_cents: Some(450), terms: SupplyTerms::new(1, 12).unwrap() },
        );
        // Variant 30 is sold by Acme the vendor but bought from Nordic Textiles.
        b.items.insert(
            30,
            Item { supplier_id: 2, supplier_sku: "NT-30".into(), unit_cost_cents: Some(1000), terms: SupplyTerms::new(10, 5).unwrap() },
        );
        b
    }

    #[test]
    fn lines_go_to_their_supplier_rounded_to_its_terms() {
        let orders = vec![
            SupplierOrder::new("Acme".into(), None, None, 0, 0, vec![line(11, "A-11", 7, 500, 1.0), line(30, "A-30", 3, 800, 0.5)]),
            SupplierOrder::new("Unknown Vendor".into(), None, None, 0, 0, vec![line(40, "U-40", 4, 300, 1.0)]),
        ];
        let out = by_supplier(orders, &book(), "USD");
        let names: Vec<&str> = out.iter().map(|o| o.supplier.as_str()).collect();
        assert_eq!(names, ["Acme Wholesale", "Nordic Textiles", "Unknown Vendor"]);
        let acme = &out[0].lines[0];
        assert_eq!((acme.suggested_qty, acme.order_qty, acme.unit_cost_cents), (7, 12, 450));
        assert_eq!(acme.rounding.as_deref(), Some("suggested 7 → 12, case of 12"));
        assert_eq!(acme.supplier_sku, "AC-11");
        assert_eq!(out[0].total_cost_cents, 12 * 450);
        // A vendor without a supplier keeps its lines as suggested, at the shop's cost.
        let unknown = &out[2].lines[0];
        assert_eq!((unknown.order_qty, unknown.unit_cost_cents, unknown.rounding.as_deref()), (4, 300, None));
        assert_eq!(out[2].supplier_id, None);
    }

    #[test]
    fn an_order_below_the_minimum_value_is_topped_up_and_says_so() {
        // Nordic: minimum €500. 10 × €10 = €100 after the minimum quantity; cases of 5 at €50
        // each until €500: 8 more cases.
        let orders = vec![SupplierOrder::new("Acme".into(), None, None, 0, 0, vec![line(30, "A-30", 3, 800, 0.5)])];
        let out = by_supplier(orders, &book(), "USD");
        let nordic = &out[0];
        assert_eq!((nordic.supplier.as_str(), nordic.currency.as_deref()), ("Nordic Textiles", Some("EUR")));
        assert_eq!(nordic.lines[0].order_qty, 50);
        assert_eq!(nordic.total_cost_cents, 50_000);
        assert_eq!(nordic.topped_up_cases, 8);
        assert_eq!(
            nordic.lines[0].rounding.as_deref(),
            Some("suggested 3 → 10, minimum order 10; raised 10 → 50 to reach the supplier's minimum order")
        );
    }

    #[test]
    fn shopify_cost_is_not_used_for_a_supplier_in_another_currency() {
        let mut b = book();
        b.items.remove(&30);
        b.by_vendor.insert("Acme".into(), 2); // EUR supplier, no catalogue cost
        b.suppliers.get_mut(&2).unwrap().min_order_cents = 0;
        let orders = vec![SupplierOrder::new("Acme".into(), None, None, 0, 0, vec![line(30, "A-30", 3, 800, 0.5)])];
        let out = by_supplier(orders, &b, "USD");
        assert_eq!((out[0].lines[0].unit_cost_cents, out[0].lines[0].order_qty), (0, 3));
    }
}
