//! The webhooks of the app's topics: realistic payloads built from the shop's state, each
//! applying its change to the shop (a sale decrements stock, a refund restocks…). Sending
//! them, signed and with Shopify's headers, is `delivery`.

use crate::orders::{Line, Order};
use crate::server::ApiError;
use crate::state::{self, ShopState};
use chrono::{DateTime, Duration, Utc};
use domain::shopify::admin::gid;
use domain::shopify::webhooks::Topic;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// One webhook ready to send.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub topic: Topic,
    pub body: Vec<u8>,
    pub webhook_id: String,
    pub event_id: String,
    pub triggered_at: DateTime<Utc>,
    /// A redelivery of an earlier webhook (same id and body).
    pub duplicate: bool,
}

fn outgoing(s: &mut ShopState, topic: Topic, body: &Value, at: DateTime<Utc>, event_id: Option<String>) -> Outgoing {
    let webhook_id = s.uuid();
    let event_id = event_id.unwrap_or_else(|| s.uuid());
    Outgoing { topic, body: body.to_string().into_bytes(), webhook_id, event_id, triggered_at: at, duplicate: false }
}

/// One webhook for `topic` with a realistic payload, applying its change to the shop
/// (`orders/create` goes through `sale`).
pub fn event(s: &mut ShopState, topic: Topic, now: DateTime<Utc>) -> Result<Vec<Outgoing>, ApiError> {
    let body = match topic {
        Topic::OrdersCreate => return sale(s, None, None, 1, now).map(|(_, o)| o),
        Topic::ProductsUpdate => {
            let n = s.catalog.products.len();
            if n == 0 {
                return Err(ApiError::Conflict("the shop has no products".into()));
            }
            let id = s.catalog.products[s.rng.random_range(0..n)].id;
            s.product_updated.insert(id, now);
            state::product_payload(s, id, now).ok_or_else(|| ApiError::Internal("product vanished".into()))?
        }
        Topic::ProductsCreate => {
            let id = create_product(s, now);
            state::product_payload(s, id, now).ok_or_else(|| ApiError::Internal("new product missing".into()))?
        }
        Topic::ProductsDelete => {
            let n = s.catalog.products.len();
            if n == 0 {
                return Err(ApiError::Conflict("the shop has no products".into()));
            }
            let id = s.catalog.products[s.rng.random_range(0..n)].id;
            let cat = std::sync::Arc::make_mut(&mut s.catalog);
            let gone: Vec<i64> = cat.variants.iter().filter(|v| v.product_id == id).map(|v| v.id).collect();
            cat.products.retain(|p| p.id != id);
            cat.variants.retain(|v| v.product_id != id);
            cat.levels.retain(|l| !gone.contains(&l.variant_id));
            s.available.retain(|(v, _), _| !gone.contains(v));
            json!({ "id": id })
        }
        Topic::InventoryLevelsUpdate => {
            let (variant, location) = random_level(s, 0).ok_or_else(|| ApiError::Conflict("the shop has no inventory levels".into()))?;
            let restock = s.rng.random_range(10..=50);
            *s.available.entry((variant, location)).or_default() += restock;
            s.level_updated.insert((variant, location), now);
            state::inventory_level_payload(s, variant, location, now)
        }
        Topic::OrdersCancelled => return cancel(s, None, now),
        Topic::OrdersEdited => return edit_order(s, None, 1, now),
        Topic::RefundsCreate => return refund(s, None, 1, "return", now),
        Topic::InventoryItemsUpdate => {
            let v = s.catalog.variants.first().map(|v| v.id).ok_or_else(|| ApiError::Conflict("the shop has no variants".into()))?;
            let tracked = !s.untracked.contains(&v);
            return set_tracked(s, v, tracked, now);
        }
        Topic::LocationsUpdate => {
            let l = s.catalog.locations.first().map(|l| l.id).ok_or_else(|| ApiError::Conflict("the shop has no locations".into()))?;
            let active = !s.inactive_locations.contains(&l);
            return set_location_active(s, l, active, now);
        }
        // A location the app has not seen appears, and one that never held stock goes.
        Topic::LocationsCreate => json!({ "id": 99_000_001, "admin_graphql_api_id": gid("Location", 99_000_001), "name": "Pop-up store",
                                           "active": true, "legacy": false, "created_at": state::ts_offset(now), "updated_at": state::ts_offset(now) }),
        Topic::LocationsDelete => json!({ "id": 99_000_001 }),
        Topic::AppUninstalled => state::shop_payload(s, now),
        Topic::AppSubscriptionsUpdate => return choose_plan(s, "Starter", now),
        Topic::CustomersDataRequest => {
            let (customer, orders) = customer(s);
            let request = s.rng.random_range(1_000..1_000_000);
            json!({ "shop_id": s.catalog.id, "shop_domain": s.domain(), "orders_requested": orders, "customer": customer, "data_request": { "id": request } })
        }
        Topic::CustomersRedact => {
            let (customer, orders) = customer(s);
            json!({ "shop_id": s.catalog.id, "shop_domain": s.domain(), "customer": customer, "orders_to_redact": orders })
        }
        Topic::ShopRedact => json!({ "shop_id": s.catalog.id, "shop_domain": s.domain() }),
    };
    Ok(vec![outgoing(s, topic, &body, now, None)])
}

fn customer(s: &mut ShopState) -> (Value, Vec<i64>) {
    let id: i64 = 7_400_000_000_000 + s.rng.random_range(1..100_000_i64);
    let orders: Vec<i64> =
        (0..s.rng.random_range(1..4)).map(|_| crate::orders::FIRST_ORDER_ID + s.rng.random_range(1..50_000_i64)).collect();
    (json!({ "id": id, "email": format!("customer{id}@example.com"), "phone": "+15555550123" }), orders)
}

fn create_product(s: &mut ShopState, now: DateTime<Utc>) -> i64 {
    let warehouse = s.catalog.locations.first().map_or(0, |l| l.id);
    let cat = std::sync::Arc::make_mut(&mut s.catalog);
    let id = cat.products.iter().map(|p| p.id).max().unwrap_or(8_000_000_000_000) + 1;
    let mut next_variant = cat.variants.iter().map(|v| v.id).max().unwrap_or(45_000_000_000_000);
    cat.products.push(crate::catalog::Product {
        id,
        title: format!("New Arrival {}", id % 1000),
        vendor: "Summit Supply".into(),
        product_type: "Cap".into(),
        created_at: now,
    });
    let mut new_levels = Vec::new();
    for colour in ["Black", "Sand"] {
        next_variant += 1;
        cat.variants.push(crate::catalog::Variant {
            id: next_variant,
            product_id: id,
            inventory_item_id: next_variant + 1_000_000_000_000,
            title: colour.into(),
            sku: format!("NEW-{}-{}", id % 1000, colour.to_uppercase()),
            price_cents: 2499,
            cost_cents: 1100,
            created_at: now,
        });
        cat.levels.push(crate::catalog::InventoryLevel { variant_id: next_variant, location_id: warehouse, available: 24, incoming: 0 });
        new_levels.push(next_variant);
    }
    for v in new_levels {
        s.available.insert((v, warehouse), 24);
        s.level_updated.insert((v, warehouse), now);
    }
    s.product_updated.insert(id, now);
    id
}

/// A random stocked level with at least `min_available` units.
fn random_level(s: &mut ShopState, min_available: i64) -> Option<(i64, i64)> {
    let mut keys: Vec<(i64, i64)> = s.available.iter().filter(|(_, a)| **a >= min_available).map(|(k, _)| *k).collect();
    keys.sort_unstable();
    if keys.is_empty() {
        return None;
    }
    let i = s.rng.random_range(0..keys.len());
    Some(keys[i])
}

/// A sale: one order of `quantity` units, stock decremented; `orders/create` then
/// `inventory_levels/update`.
pub fn sale(
    s: &mut ShopState,
    variant: Option<i64>,
    location: Option<i64>,
    quantity: i64,
    now: DateTime<Utc>,
) -> Result<(Order, Vec<Outgoing>), ApiError> {
    if !(1..=100).contains(&quantity) {
        return Err(ApiError::BadRequest("quantity must be 1..=100".into()));
    }
    let key = match (variant, location) {
        (Some(v), Some(l)) => (v, l),
        (Some(v), None) => {
            let mut at: Vec<(i64, i64)> =
                s.available.iter().filter(|((vid, _), a)| *vid == v && **a >= quantity).map(|(k, _)| *k).collect();
            at.sort_unstable();
            *at.first().ok_or_else(|| ApiError::Conflict(format!("variant {v} has no location with {quantity} available")))?
        }
        (None, _) => random_level(s, quantity).ok_or_else(|| ApiError::Conflict(format!("no level has {quantity} available")))?,
    };
    let available =
        *s.available.get(&key).ok_or_else(|| ApiError::BadRequest(format!("variant {} is not stocked at location {}", key.0, key.1)))?;
    if available < quantity {
        return Err(ApiError::Conflict(format!("only {available} available")));
    }
    s.available.insert(key, available - quantity);
    s.level_updated.insert(key, now);
    s.next_live_order += 1;
    s.next_live_line += 1;
    let number = 100_000 + (s.next_live_order - crate::orders::FIRST_LIVE_ORDER_ID);
    let order = Order {
        id: s.next_live_order,
        number,
        created_at: now,
        location_id: key.1,
        lines: vec![Line { id: s.next_live_line, variant_id: key.0, quantity, returned: 0 }],
        refund: None,
    };
    s.live_orders.push(order.clone());
    let order_body = state::order_payload(s, &order, now);
    let level_body = state::inventory_level_payload(s, key.0, key.1, now);
    let out =
        vec![outgoing(s, Topic::OrdersCreate, &order_body, now, None), outgoing(s, Topic::InventoryLevelsUpdate, &level_body, now, None)];
    Ok((order, out))
}

fn live_order(s: &ShopState, order_id: Option<i64>) -> Result<usize, ApiError> {
    match order_id {
        Some(id) => s.live_orders.iter().position(|o| o.id == id).ok_or_else(|| ApiError::BadRequest(format!("no live order {id}"))),
        None => s.live_orders.len().checked_sub(1).ok_or_else(|| ApiError::Conflict("no live order yet: POST /_fake/sale first".into())),
    }
}

/// A refund as REST writes it (`refunds/create`, and inside an order's `refunds`): the
/// refunded lines with their line item, restocked at the order's location.
fn refund_json(s: &ShopState, order: &Order, id: i64, lines: &[(i64, i64)], restock_type: &str, at: DateTime<Utc>) -> Value {
    let items: Vec<Value> = lines
        .iter()
        .filter_map(|&(line_id, qty)| {
            let l = order.lines.iter().find(|l| l.id == line_id)?;
            let price = s.variant(l.variant_id).map_or(0, |v| v.price_cents);
            Some(json!({
                "id": id * 10 + line_id % 10, "quantity": qty, "line_item_id": l.id, "location_id": order.location_id,
                "restock_type": restock_type, "subtotal": (price * qty) as f64 / 100.0,
                "line_item": { "id": l.id, "variant_id": l.variant_id, "quantity": l.quantity, "sku": s.variant(l.variant_id).map(|v| v.sku.clone()) }
            }))
        })
        .collect();
    json!({ "id": id, "admin_graphql_api_id": gid("Refund", id), "order_id": order.id, "created_at": state::ts_offset(at), "processed_at": state::ts_offset(at),
            "note": null, "restock": restock_type != "no_restock", "refund_line_items": items, "transactions": [], "order_adjustments": [] })
}

/// Puts refunded units back on the shelf (unless `no_restock`); the level update Shopify sends.
fn restock(s: &mut ShopState, variant: i64, location: i64, qty: i64, now: DateTime<Utc>) -> Outgoing {
    *s.available.entry((variant, location)).or_default() += qty;
    s.level_updated.insert((variant, location), now);
    let body = state::inventory_level_payload(s, variant, location, now);
    outgoing(s, Topic::InventoryLevelsUpdate, &body, now, None)
}

/// Cancels a live order (the newest, or `order_id`), refunding and restocking what is left
/// of every line: `orders/cancelled` (the order with `cancelled_at` and all its refunds),
/// `refunds/create` for the new refund, and the level updates. A second cancel is refused.
pub fn cancel(s: &mut ShopState, order_id: Option<i64>, now: DateTime<Utc>) -> Result<Vec<Outgoing>, ApiError> {
    let i = live_order(s, order_id)?;
    let order = s.live_orders[i].clone();
    if s.cancelled.contains_key(&order.id) {
        return Err(ApiError::Conflict(format!("order {} is already cancelled", order.id)));
    }
    s.refund_seq += 1;
    let refund_id = 900_000_000 + s.refund_seq;
    let lines: Vec<(i64, i64)> = order.lines.iter().filter(|l| l.quantity > l.returned).map(|l| (l.id, l.quantity - l.returned)).collect();
    let new_refund = refund_json(s, &order, refund_id, &lines, "cancel", now);
    let mut refunds = s.refunds_of.get(&order.id).cloned().unwrap_or_default();
    refunds.push(new_refund.clone());
    s.refunds_of.insert(order.id, refunds.clone());
    s.cancelled.insert(order.id, now);
    for l in &mut s.live_orders[i].lines {
        l.returned = l.quantity;
    }
    let mut body = state::order_payload(s, &order, now);
    body["cancelled_at"] = Value::from(state::ts_offset(now));
    body["cancel_reason"] = Value::from("customer");
    body["financial_status"] = Value::from("refunded");
    body["refunds"] = Value::from(refunds);
    let mut out = vec![outgoing(s, Topic::OrdersCancelled, &body, now, None), outgoing(s, Topic::RefundsCreate, &new_refund, now, None)];
    for (line_id, qty) in lines {
        if let Some(l) = order.lines.iter().find(|l| l.id == line_id) {
            out.push(restock(s, l.variant_id, order.location_id, qty, now));
        }
    }
    Ok(out)
}

/// A live order (or, by default, the newest one not cancelled with units left on its first
/// line) and that line, with `units` checked against what is left of it.
fn order_line(s: &ShopState, order_id: Option<i64>, units: i64, what: &str) -> Result<(usize, Order, Line), ApiError> {
    let i = match order_id {
        Some(_) => live_order(s, order_id)?,
        None => s
            .live_orders
            .iter()
            .rposition(|o| !s.cancelled.contains_key(&o.id) && o.lines.first().is_some_and(|l| l.quantity > l.returned))
            .ok_or_else(|| ApiError::Conflict(format!("no live order with units left to {what}: POST /_fake/sale first")))?,
    };
    let order = s.live_orders[i].clone();
    let line = order.lines.first().ok_or_else(|| ApiError::Conflict("order without lines".into()))?.clone();
    if units < 1 || units > line.quantity - line.returned {
        return Err(ApiError::BadRequest(format!("quantity must be 1..={}", line.quantity - line.returned)));
    }
    Ok((i, order, line))
}

/// An order edit that removes `remove` units from a live order's first line (the newest
/// order with units left by default), restocking them: `orders/edited` (line item ids and
/// deltas, as Shopify sends them) and the level update.
pub fn edit_order(s: &mut ShopState, order_id: Option<i64>, remove: i64, now: DateTime<Utc>) -> Result<Vec<Outgoing>, ApiError> {
    let (i, order, line) = order_line(s, order_id, remove, "edit")?;
    if let Some(l) = s.live_orders[i].lines.first_mut() {
        l.returned += remove;
    }
    s.refund_seq += 1;
    let edit_id = 880_000_000 + s.refund_seq;
    let body = json!({ "order_edit": { "id": edit_id, "app_id": null, "created_at": state::ts_offset(now), "committed_at": state::ts_offset(now),
        "notify_customer": false, "order_id": order.id, "staff_note": "", "user_id": null,
        "line_items": { "additions": [], "removals": [ { "id": line.id, "delta": remove } ] },
        "discounts": { "line_item": { "additions": [], "removals": [] } }, "shipping_lines": { "additions": [], "removals": [] } } });
    let mut out = vec![outgoing(s, Topic::OrdersEdited, &body, now, None)];
    out.push(restock(s, line.variant_id, order.location_id, remove, now));
    Ok(out)
}

/// Refunds `quantity` units of a live order's first line (`return` restocks them,
/// `no_restock` does not): `refunds/create`, and the level update when restocked.
pub fn refund(
    s: &mut ShopState,
    order_id: Option<i64>,
    quantity: i64,
    restock_type: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Outgoing>, ApiError> {
    if !matches!(restock_type, "return" | "no_restock") {
        return Err(ApiError::BadRequest("restock_type must be return or no_restock".into()));
    }
    let (i, order, line) = order_line(s, order_id, quantity, "refund")?;
    s.refund_seq += 1;
    let refund_id = 900_000_000 + s.refund_seq;
    let body = refund_json(s, &order, refund_id, &[(line.id, quantity)], restock_type, now);
    s.refunds_of.entry(order.id).or_default().push(body.clone());
    if let Some(l) = s.live_orders[i].lines.first_mut() {
        l.returned += quantity;
    }
    let mut out = vec![outgoing(s, Topic::RefundsCreate, &body, now, None)];
    if restock_type == "return" {
        out.push(restock(s, line.variant_id, order.location_id, quantity, now));
    }
    Ok(out)
}

/// Turns inventory tracking of a variant's item on or off: `inventory_items/update`.
pub fn set_tracked(s: &mut ShopState, variant_id: i64, tracked: bool, now: DateTime<Utc>) -> Result<Vec<Outgoing>, ApiError> {
    let v = s.variant(variant_id).cloned().ok_or_else(|| ApiError::BadRequest(format!("no variant {variant_id}")))?;
    if tracked {
        s.untracked.remove(&variant_id);
    } else {
        s.untracked.insert(variant_id);
    }
    let body = json!({
        "id": v.inventory_item_id, "admin_graphql_api_id": gid("InventoryItem", v.inventory_item_id), "sku": v.sku,
        "created_at": state::ts_offset(s.updated_at_default()), "updated_at": state::ts_offset(now), "requires_shipping": true,
        "cost": state::money(v.cost_cents), "country_code_of_origin": null, "province_code_of_origin": null,
        "harmonized_system_code": null, "tracked": tracked, "country_harmonized_system_codes": []
    });
    Ok(vec![outgoing(s, Topic::InventoryItemsUpdate, &body, now, None)])
}

/// Activates or deactivates a location: `locations/update` with its `active` flag.
pub fn set_location_active(s: &mut ShopState, location_id: i64, active: bool, now: DateTime<Utc>) -> Result<Vec<Outgoing>, ApiError> {
    let l = s
        .catalog
        .locations
        .iter()
        .find(|l| l.id == location_id)
        .cloned()
        .ok_or_else(|| ApiError::BadRequest(format!("no location {location_id}")))?;
    if active {
        s.inactive_locations.remove(&location_id);
    } else {
        s.inactive_locations.insert(location_id);
    }
    let body = json!({
        "id": l.id, "admin_graphql_api_id": gid("Location", l.id), "name": l.name, "active": active, "legacy": false,
        "address1": null, "city": null, "country_code": "US", "created_at": state::ts_offset(s.updated_at_default()), "updated_at": state::ts_offset(now)
    });
    Ok(vec![outgoing(s, Topic::LocationsUpdate, &body, now, None)])
}

/// Managed Pricing: the merchant approves `plan` on the plan selection page. Any earlier
/// subscription is replaced; `app_subscriptions/update` says it is ACTIVE.
pub fn choose_plan(s: &mut ShopState, plan: &str, now: DateTime<Utc>) -> Result<Vec<Outgoing>, ApiError> {
    let id = 27_000_000 + s.app_subscriptions.len() as i64 + 1;
    let sub = json!({ "id": gid("AppSubscription", id), "name": plan, "status": "ACTIVE", "test": false, "trialDays": 0,
                      "createdAt": state::ts(now), "currentPeriodEnd": state::ts(now + Duration::days(30)) });
    s.app_subscriptions = vec![sub];
    let body = json!({ "app_subscription": { "admin_graphql_api_id": gid("AppSubscription", id), "name": plan, "status": "ACTIVE",
                                             "admin_graphql_api_shop_id": gid("Shop", s.catalog.id), "created_at": state::ts_offset(now),
                                             "updated_at": state::ts_offset(now), "currency": "USD", "capped_amount": null } });
    Ok(vec![outgoing(s, Topic::AppSubscriptionsUpdate, &body, now, None)])
}

/// Sets a product's status (`active`, `archived`, `draft`): `products/update`.
pub fn set_status(s: &mut ShopState, product_id: i64, status: &str, now: DateTime<Utc>) -> Result<Vec<Outgoing>, ApiError> {
    if !matches!(status, "active" | "archived" | "draft") {
        return Err(ApiError::BadRequest("status must be active, archived or draft".into()));
    }
    if s.product(product_id).is_none() {
        return Err(ApiError::BadRequest(format!("no product {product_id}")));
    }
    s.product_status.insert(product_id, status.to_string());
    s.product_updated.insert(product_id, now);
    let body = state::product_payload(s, product_id, now).ok_or_else(|| ApiError::Internal("product vanished".into()))?;
    Ok(vec![outgoing(s, Topic::ProductsUpdate, &body, now, None)])
}

pub struct BurstPlan {
    pub outgoing: Vec<Outgoing>,
    pub expected: Value,
}

/// `count` webhooks from a random mix of sales (orders/create + inventory_levels/update),
/// restocks (inventory_levels/update) and product edits (products/update), one second apart
/// in event time; then `duplicate_percent` of them resent with the same webhook id, and the
/// whole list shuffled. `expected` is the state the app should end in whatever the order.
pub fn burst(
    s: &mut ShopState,
    count: usize,
    duplicate_percent: u32,
    seed: Option<u64>,
    now: DateTime<Utc>,
) -> Result<BurstPlan, ApiError> {
    let mut rng = match seed {
        Some(seed) => ChaCha8Rng::seed_from_u64(seed),
        None => ChaCha8Rng::seed_from_u64(s.rng.random()),
    };
    let base = now - Duration::seconds(count as i64 + 1);
    let mut out: Vec<Outgoing> = Vec::new();
    let mut orders = Vec::new();
    let mut levels: BTreeMap<(i64, i64), ()> = BTreeMap::new();
    let mut products: BTreeMap<i64, DateTime<Utc>> = BTreeMap::new();
    let mut i = 0;
    while out.len() < count {
        i += 1;
        let at = base + Duration::seconds(i);
        let roll = rng.random_range(0..100);
        if roll < 55 && count - out.len() >= 2 {
            let (order, o) = sale(s, None, None, rng.random_range(1..=2), at).or_else(|_| sale(s, None, None, 1, at))?;
            levels.insert((order.lines[0].variant_id, order.location_id), ());
            orders.push(json!({ "id": order.id, "variant_id": order.lines[0].variant_id, "location_id": order.location_id, "quantity": order.lines[0].quantity }));
            out.extend(o);
        } else if roll < 85 {
            let o = event(s, Topic::InventoryLevelsUpdate, at)?;
            if let Some(v) = o.first().and_then(|o| serde_json::from_slice::<Value>(&o.body).ok()) {
                let item = v["inventory_item_id"].as_i64().unwrap_or(0);
                let loc = v["location_id"].as_i64().unwrap_or(0);
                if let Some(var) = s.catalog.variants.iter().find(|x| x.inventory_item_id == item) {
                    levels.insert((var.id, loc), ());
                }
            }
            out.extend(o);
        } else {
            let o = event(s, Topic::ProductsUpdate, at)?;
            if let Some(v) = o.first().and_then(|o| serde_json::from_slice::<Value>(&o.body).ok()) {
                products.insert(v["id"].as_i64().unwrap_or(0), at);
            }
            out.extend(o);
        }
    }
    let unique = out.len();
    let dups = ((unique as u64 * u64::from(duplicate_percent) + 50) / 100) as usize;
    for _ in 0..dups {
        let mut d = out[rng.random_range(0..unique)].clone();
        d.duplicate = true;
        out.push(d);
    }
    out.shuffle(&mut rng);
    let levels: Vec<Value> = levels
        .keys()
        .map(|&(v, l)| {
            let item = s.variant(v).map_or(0, |x| x.inventory_item_id);
            json!({ "variant_id": v, "inventory_item_id": item, "location_id": l, "available": s.available.get(&(v, l)),
                    "updated_at": s.level_updated.get(&(v, l)).map(|t| state::ts_offset(*t)) })
        })
        .collect();
    let products: Vec<Value> = products.iter().map(|(id, at)| json!({ "id": id, "updated_at": state::ts_offset(*at) })).collect();
    let expected = json!({
        "unique_webhooks": unique, "duplicates": dups, "total_deliveries": unique + dups,
        "orders_created": orders, "levels": levels, "products_updated": products
    });
    Ok(BurstPlan { outgoing: out, expected })
}
