//! Transfers before orders: stock of a variant sitting beyond what one location needs can
//! cover another location that is due to reorder it, for the price of moving it rather than
//! buying more. Each suggestion moves units from a location that keeps its own order-up-to
//! level afterwards (demand over the lead time and its cover days, plus safety stock) to one
//! at or below its reorder point, up to the quantity the engine would order there.

use super::assess::Assessment;
use super::reorder::Labels;
use crate::risk::RiskKind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Move `quantity` units of a variant from one location to another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransferSuggestion {
    pub variant_id: i64,
    pub sku: String,
    pub product_title: String,
    pub variant_title: String,
    pub from_location_id: i64,
    pub from_location: String,
    /// On hand at the source before the move, and what it keeps to stay at its own
    /// order-up-to level.
    pub from_on_hand: i64,
    pub from_keeps: i64,
    pub to_location_id: i64,
    pub to_location: String,
    pub to_on_hand: i64,
    /// Days the destination's stock lasts now (`None`: no demand forecast).
    pub to_days_of_cover: Option<f64>,
    pub quantity: u32,
    /// What buying those units would cost (the order the transfer avoids).
    pub value_cents: i64,
}

struct Need<'a> {
    labels: &'a Labels,
    a: &'a Assessment,
    left: u32,
}

struct Spare<'a> {
    labels: &'a Labels,
    a: &'a Assessment,
    keeps: i64,
    left: u32,
}

/// Every transfer worth making today, most urgent destination first (the shortest cover,
/// out of stock before all), then by SKU. Within a variant, the most urgent location is
/// served first, from the location with the most to spare; a destination may be served by
/// several sources, and a source never goes below its own order-up-to level, so no move
/// creates the need it answers. Untracked variants neither give nor receive.
pub fn suggest_transfers<'a>(items: impl IntoIterator<Item = (&'a Labels, &'a Assessment)>) -> Vec<TransferSuggestion> {
    let mut by_variant: BTreeMap<i64, Vec<(&'a Labels, &'a Assessment)>> = BTreeMap::new();
    for (labels, a) in items {
        if a.tracked {
            by_variant.entry(a.variant_id).or_default().push((labels, a));
        }
    }
    let mut out = Vec::new();
    for positions in by_variant.values() {
        let mut needs: Vec<Need> = Vec::new();
        let mut spares: Vec<Spare> = Vec::new();
        for &(labels, a) in positions {
            if a.conditions.get(RiskKind::ReorderNow).opens {
                if a.plan.suggested_qty > 0 {
                    needs.push(Need { labels, a, left: a.plan.suggested_qty });
                }
                continue;
            }
            let order_up_to = a.plan.order_up_to;
            let keeps = if order_up_to.is_finite() { order_up_to.max(0.0).ceil() as i64 } else { i64::MAX };
            // Only stock on the shelf can be sent, and the source's own incoming stock
            // counts toward what it keeps.
            let spare = a.explanation.on_hand.min(a.stock_position.saturating_sub(keeps));
            if spare > 0 {
                spares.push(Spare { labels, a, keeps, left: u32::try_from(spare).unwrap_or(u32::MAX) });
            }
        }
        if needs.is_empty() || spares.is_empty() {
            continue;
        }
        needs.sort_by(|x, y| cover(x.a).total_cmp(&cover(y.a)).then(x.a.location_id.cmp(&y.a.location_id)));
        for need in &mut needs {
            while need.left > 0 {
                // The source with the most left to give (the lowest location id on a tie).
                let Some(source) =
                    spares.iter_mut().filter(|s| s.left > 0).max_by(|x, y| x.left.cmp(&y.left).then(y.a.location_id.cmp(&x.a.location_id)))
                else {
                    break;
                };
                let quantity = need.left.min(source.left);
                need.left -= quantity;
                source.left -= quantity;
                out.push(TransferSuggestion {
                    variant_id: need.a.variant_id,
                    sku: need.labels.sku.clone(),
                    product_title: need.labels.product_title.clone(),
                    variant_title: need.labels.variant_title.clone(),
                    from_location_id: source.a.location_id,
                    from_location: source.labels.location_name.clone(),
                    from_on_hand: source.a.explanation.on_hand,
                    from_keeps: source.keeps,
                    to_location_id: need.a.location_id,
                    to_location: need.labels.location_name.clone(),
                    to_on_hand: need.a.explanation.on_hand,
                    to_days_of_cover: need.a.explanation.days_of_cover,
                    quantity,
                    value_cents: need.a.cost_cents.saturating_mul(i64::from(quantity)),
                });
            }
        }
    }
    out.sort_by(|x, y| {
        days(x.to_days_of_cover)
            .total_cmp(&days(y.to_days_of_cover))
            .then_with(|| x.sku.cmp(&y.sku))
            .then(x.to_location_id.cmp(&y.to_location_id))
            .then(x.from_location_id.cmp(&y.from_location_id))
    });
    out
}

/// Days of cover as a sort key: out of stock (or oversold) first, no forecast last.
fn cover(a: &Assessment) -> f64 {
    if a.explanation.on_hand <= 0 {
        return -1.0;
    }
    days(a.explanation.days_of_cover)
}

fn days(d: Option<f64>) -> f64 {
    d.filter(|d| d.is_finite()).unwrap_or(f64::MAX)
}
