//! Control endpoints that change a shop the way a merchant or customer would (a sale, a burst
//! of orders, a refund, an uninstall, a product or location update) and deliver the webhooks
//! Shopify would send for it; and the log of those deliveries.

use super::{ApiError, ApiResult, AppState, ShopQuery, UninstallBody};
use crate::state::Delivery;
use crate::webhook;
use axum::extract::{Query, State};
use axum::Json;
use chrono::Utc;
use domain::shopify::admin::gid;
use domain::shopify::webhooks::Topic;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
pub(super) struct TriggerBody {
    shop: String,
    topic: String,
}

pub(super) async fn trigger_webhook(State(app): State<AppState>, Json(b): Json<TriggerBody>) -> ApiResult<Json<Value>> {
    let topic = Topic::parse(&b.topic).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    if topic == Topic::OrdersCreate {
        return sale(&app, SaleBody { shop: b.shop, variant_id: None, location_id: None, quantity: None }).await;
    }
    let out = {
        let mut s = shop!(app, &b.shop);
        webhook::event(&mut s, topic, Utc::now())?
    };
    let deliveries = crate::delivery::send_all(&app, &b.shop, out).await?;
    Ok(Json(json!({ "deliveries": deliveries })))
}

#[derive(Deserialize)]
pub(super) struct SaleBody {
    shop: String,
    variant_id: Option<i64>,
    location_id: Option<i64>,
    quantity: Option<i64>,
}

pub(super) async fn simulate_sale(State(app): State<AppState>, Json(b): Json<SaleBody>) -> ApiResult<Json<Value>> {
    sale(&app, b).await
}

async fn sale(app: &AppState, b: SaleBody) -> ApiResult<Json<Value>> {
    let (order, out, level) = {
        let mut s = shop!(app, &b.shop);
        let (order, out) = webhook::sale(&mut s, b.variant_id, b.location_id, b.quantity.unwrap_or(1), Utc::now())?;
        let line = &order.lines[0];
        let item = s.variant(line.variant_id).map_or(0, |v| v.inventory_item_id);
        let level = json!({ "variant_id": line.variant_id, "inventory_item_id": item, "location_id": order.location_id,
                            "available": s.available.get(&(line.variant_id, order.location_id)) });
        (order, out, level)
    };
    let deliveries = crate::delivery::send_all(app, &b.shop, out).await?;
    Ok(Json(json!({ "order_id": order.id, "order_gid": gid("Order", order.id), "level": level, "deliveries": deliveries })))
}

#[derive(Deserialize)]
pub(super) struct BurstBody {
    shop: String,
    count: usize,
    #[serde(default)]
    duplicate_percent: u32,
    seed: Option<u64>,
    /// Deliveries in flight at once (default 1: one after another).
    parallel: Option<usize>,
}

pub(super) async fn burst(State(app): State<AppState>, Json(b): Json<BurstBody>) -> ApiResult<Json<Value>> {
    if b.count == 0 || b.count > 20_000 || b.duplicate_percent > 100 || b.parallel.is_some_and(|p| p == 0 || p > 64) {
        return Err(ApiError::BadRequest("count must be 1..=20000, duplicate_percent 0..=100 and parallel 1..=64".into()));
    }
    let plan = {
        let mut s = shop!(app, &b.shop);
        webhook::burst(&mut s, b.count, b.duplicate_percent, b.seed, Utc::now())?
    };
    let deliveries = crate::delivery::send_parallel(&app, &b.shop, plan.outgoing, b.parallel.unwrap_or(1)).await?;
    Ok(Json(json!({ "sent": deliveries, "expected": plan.expected })))
}
/// Uninstalls the app: revokes its tokens and sends `app/uninstalled`.
pub(super) async fn uninstall(State(app): State<AppState>, Json(b): Json<UninstallBody>) -> ApiResult<Json<Value>> {
    let out = {
        let mut s = shop!(app, &b.shop);
        let out = webhook::event(&mut s, Topic::AppUninstalled, Utc::now())?;
        s.installed = false;
        s.tokens.clear();
        out
    };
    let deliveries = crate::delivery::send_all(&app, &b.shop, out).await?;
    Ok(Json(json!({ "uninstalled": true, "deliveries": deliveries })))
}
#[derive(Deserialize)]
pub(super) struct LocationBody {
    shop: String,
    location_id: i64,
    active: bool,
}

/// `POST /_fake/location {"shop", "location_id", "active"}`: `locations/update`.
pub(super) async fn location_active(State(app): State<AppState>, Json(b): Json<LocationBody>) -> ApiResult<Json<Value>> {
    let out = {
        let mut s = shop!(app, &b.shop);
        webhook::set_location_active(&mut s, b.location_id, b.active, Utc::now())?
    };
    let deliveries = crate::delivery::send_all(&app, &b.shop, out).await?;
    Ok(Json(json!({ "deliveries": deliveries })))
}
#[derive(Deserialize)]
pub(super) struct GiftCardBody {
    shop: String,
    product_id: i64,
    gift_card: bool,
}

/// `POST /_fake/gift-card {"shop", "product_id", "gift_card"}`: the product is (or is no
/// longer) a gift card, as the catalogue export's `isGiftCard` then says.
pub(super) async fn gift_card(State(app): State<AppState>, Json(b): Json<GiftCardBody>) -> ApiResult<Json<Value>> {
    let mut s = shop!(app, &b.shop);
    if s.product(b.product_id).is_none() {
        return Err(ApiError::BadRequest(format!("no product {}", b.product_id)));
    }
    if b.gift_card {
        s.gift_cards.insert(b.product_id);
    } else {
        s.gift_cards.remove(&b.product_id);
    }
    s.product_updated.insert(b.product_id, Utc::now());
    Ok(Json(json!({ "gift_card": b.gift_card })))
}
#[derive(Deserialize)]
pub(super) struct BundleBody {
    shop: String,
    bundle_variant_id: i64,
    /// `[[variant_id, quantity], …]`; empty: no longer a bundle.
    components: Vec<(i64, i64)>,
}

/// `POST /_fake/bundle {"shop", "bundle_variant_id", "components": [[variant_id, quantity], …]}`:
/// the merchant makes the variant a fixed bundle, as `productVariantRelationshipBulkUpdate`
/// would, with Shopify's rules: at most 30 components, none the bundle itself, no bundle
/// inside a bundle, quantities of at least 1. The catalogue export then lists them.
pub(super) async fn bundle(State(app): State<AppState>, Json(b): Json<BundleBody>) -> ApiResult<Json<Value>> {
    let mut s = shop!(app, &b.shop);
    let known = |s: &crate::state::ShopState, id: i64| s.variant(id).is_some();
    if !known(&s, b.bundle_variant_id) || b.components.iter().any(|(c, _)| !known(&s, *c)) {
        return Err(ApiError::BadRequest("a variant of the bundle is not in the shop".into()));
    }
    if b.components.len() > 30 || b.components.iter().any(|(c, q)| *c == b.bundle_variant_id || *q < 1) {
        return Err(ApiError::BadRequest("at most 30 components, each another variant, quantity at least 1".into()));
    }
    let nested = b.components.iter().any(|(c, _)| s.bundles.contains_key(c))
        || s.bundles.values().any(|parts| parts.iter().any(|(c, _)| *c == b.bundle_variant_id));
    if nested {
        return Err(ApiError::BadRequest("a bundle cannot contain a bundle".into()));
    }
    if b.components.is_empty() {
        s.bundles.remove(&b.bundle_variant_id);
    } else {
        s.bundles.insert(b.bundle_variant_id, b.components.clone());
    }
    Ok(Json(json!({ "bundle_variant_id": b.bundle_variant_id, "components": b.components.len() })))
}

#[derive(Deserialize)]
pub(super) struct OrderEventBody {
    shop: String,
    order_id: Option<i64>,
    quantity: Option<i64>,
    restock_type: Option<String>,
}

/// `POST /_fake/cancel {"shop", "order_id"?}`: cancels a live order (the newest by default).
pub(super) async fn cancel_order(State(app): State<AppState>, Json(b): Json<OrderEventBody>) -> ApiResult<Json<Value>> {
    let out = {
        let mut s = shop!(app, &b.shop);
        webhook::cancel(&mut s, b.order_id, Utc::now())?
    };
    let deliveries = crate::delivery::send_all(&app, &b.shop, out).await?;
    Ok(Json(json!({ "deliveries": deliveries })))
}

/// `POST /_fake/refund {"shop", "order_id"?, "quantity"?, "restock_type"?}`: refunds units of a live order.
pub(super) async fn refund_order(State(app): State<AppState>, Json(b): Json<OrderEventBody>) -> ApiResult<Json<Value>> {
    let out = {
        let mut s = shop!(app, &b.shop);
        webhook::refund(&mut s, b.order_id, b.quantity.unwrap_or(1), b.restock_type.as_deref().unwrap_or("return"), Utc::now())?
    };
    let deliveries = crate::delivery::send_all(&app, &b.shop, out).await?;
    Ok(Json(json!({ "deliveries": deliveries })))
}

/// `POST /_fake/edit {"shop", "order_id"?, "quantity"?}`: removes units from a live order (orders/edited).
pub(super) async fn edit_order(State(app): State<AppState>, Json(b): Json<OrderEventBody>) -> ApiResult<Json<Value>> {
    let out = {
        let mut s = shop!(app, &b.shop);
        webhook::edit_order(&mut s, b.order_id, b.quantity.unwrap_or(1), Utc::now())?
    };
    let deliveries = crate::delivery::send_all(&app, &b.shop, out).await?;
    Ok(Json(json!({ "deliveries": deliveries })))
}

#[derive(Deserialize)]
pub(super) struct TrackBody {
    shop: String,
    variant_id: i64,
    tracked: bool,
}

/// `POST /_fake/track {"shop", "variant_id", "tracked"}`: `inventory_items/update`.
pub(super) async fn track_item(State(app): State<AppState>, Json(b): Json<TrackBody>) -> ApiResult<Json<Value>> {
    let out = {
        let mut s = shop!(app, &b.shop);
        webhook::set_tracked(&mut s, b.variant_id, b.tracked, Utc::now())?
    };
    let deliveries = crate::delivery::send_all(&app, &b.shop, out).await?;
    Ok(Json(json!({ "deliveries": deliveries })))
}

#[derive(Deserialize)]
pub(super) struct StatusBody {
    shop: String,
    product_id: i64,
    status: String,
}

/// `POST /_fake/product-status {"shop", "product_id", "status"}`: `products/update`.
pub(super) async fn product_status(State(app): State<AppState>, Json(b): Json<StatusBody>) -> ApiResult<Json<Value>> {
    let out = {
        let mut s = shop!(app, &b.shop);
        webhook::set_status(&mut s, b.product_id, &b.status, Utc::now())?
    };
    let deliveries = crate::delivery::send_all(&app, &b.shop, out).await?;
    Ok(Json(json!({ "deliveries": deliveries })))
}
pub(super) async fn list_deliveries(State(app): State<AppState>, Query(q): Query<ShopQuery>) -> ApiResult<Json<Value>> {
    let s = shop!(app, &q.shop);
    let d: &Vec<Delivery> = &s.deliveries;
    Ok(Json(json!({ "deliveries": d })))
}
