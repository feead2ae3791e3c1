//! Shopify's inventory transfers and their shipments, as the 2026-10 Admin API reads them
//! (`inventoryTransfers`: scope `read_inventory_transfers`, shipments also
//! `read_inventory_shipments`). A merchant's purchase order in Shopify receives through
//! such a transfer; the expected arrival lives on the shipment (`tracking.arrivesAt`).
//! `POST /_fake/transfer` makes one the way a merchant would in the admin.

use super::{ApiError, ApiResult, AppState};
use crate::state::{FakeShipment, FakeTransfer, Shops};
use axum::extract::State;
use axum::Json;
use domain::shopify::admin::gid;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
pub(super) struct TransferBody {
    shop: String,
    variant_id: i64,
    location_id: i64,
    quantity: i64,
    /// RFC 3339; with it the units are shipped (a shipment in transit with this arrival),
    /// without it they wait to be shipped.
    arrives_at: Option<String>,
}

/// `POST /_fake/transfer {"shop", "variant_id", "location_id", "quantity", "arrives_at"}`: an
/// incoming transfer, in progress; the level's `incoming` quantity grows by its units, as
/// Shopify's does.
pub(super) async fn create_transfer(State(app): State<AppState>, Json(b): Json<TransferBody>) -> ApiResult<Json<Value>> {
    let mut s = shop!(app, &b.shop);
    let item =
        s.variant(b.variant_id).map(|v| v.inventory_item_id).ok_or_else(|| ApiError::BadRequest(format!("no variant {}", b.variant_id)))?;
    if b.quantity <= 0 {
        return Err(ApiError::BadRequest("quantity must be positive".into()));
    }
    let id = s.transfers.len() as i64 + 1;
    let shipments = match &b.arrives_at {
        Some(at) => vec![FakeShipment {
            id: id * 10,
            status: "IN_TRANSIT".into(),
            arrives_at: Some(at.clone()),
            lines: vec![(item, b.quantity, 0)],
        }],
        None => Vec::new(),
    };
    let shipped = if b.arrives_at.is_some() { b.quantity } else { 0 };
    s.transfers.push(FakeTransfer {
        id,
        status: "IN_PROGRESS".into(),
        location_id: b.location_id,
        lines: vec![(item, b.quantity, shipped)],
        shipments,
    });
    *s.extra_incoming.entry((b.variant_id, b.location_id)).or_default() += b.quantity;
    s.level_updated.insert((b.variant_id, b.location_id), chrono::Utc::now());
    Ok(Json(json!({ "transfer_id": gid("InventoryTransfer", id) })))
}

fn has_scope(scopes: &str, scope: &str) -> bool {
    scopes.split(',').any(|s| s.trim() == scope)
}

/// The `inventoryTransfers` root field: open transfers (the query string's `status:` terms
/// filter), paged with `first`/`after`.
pub(super) fn inventory_transfers(app: &Shops, domain: &str, scopes: &str, query: &str, vars: &Value) -> ApiResult<Result<Value, Value>> {
    for needed in ["read_inventory_transfers", "read_inventory_shipments"] {
        if !has_scope(scopes, needed) {
            return Ok(Err(
                json!({ "errors": [ { "message": format!("Access denied for inventoryTransfers field. Required access: `{needed}` access scope."),
                "extensions": { "code": "ACCESS_DENIED", "requiredAccess": format!("`{needed}` access scope.") } } ] }),
            ));
        }
    }
    let first = vars.get("first").and_then(Value::as_u64).unwrap_or(50).clamp(1, 250) as usize;
    let after: usize = match vars.get("after").and_then(Value::as_str) {
        Some(c) => c.strip_prefix("tr-").and_then(|n| n.parse().ok()).ok_or_else(|| ApiError::BadRequest(format!("invalid cursor {c}")))?,
        None => 0,
    };
    // `status:A OR status:B` in the document's query argument.
    let wanted: Vec<&str> =
        query.split("status:").skip(1).filter_map(|rest| rest.split(|c: char| !(c.is_ascii_uppercase() || c == '_')).next()).collect();
    let s = shop!(app, domain);
    let open: Vec<&FakeTransfer> = s.transfers.iter().filter(|t| wanted.is_empty() || wanted.contains(&t.status.as_str())).collect();
    let page: Vec<Value> = open
        .iter()
        .skip(after)
        .take(first)
        .map(|t| {
            json!({
                "id": gid("InventoryTransfer", t.id), "status": t.status,
                "destination": { "location": { "id": gid("Location", t.location_id) } },
                "lineItems": { "nodes": t.lines.iter().map(|(item, total, shipped)| json!({
                    "inventoryItem": { "id": gid("InventoryItem", *item) }, "totalQuantity": total, "shippedQuantity": shipped })).collect::<Vec<_>>() },
                "shipments": { "nodes": t.shipments.iter().map(|sh| json!({
                    "id": gid("InventoryShipment", sh.id), "status": sh.status, "tracking": { "arrivesAt": sh.arrives_at },
                    "lineItems": { "nodes": sh.lines.iter().map(|(item, quantity, received)| json!({
                        "inventoryItem": { "id": gid("InventoryItem", *item) }, "unreceivedQuantity": quantity - received })).collect::<Vec<_>>() } })).collect::<Vec<_>>() }
            })
        })
        .collect();
    let end = after + page.len();
    Ok(Ok(json!({ "inventoryTransfers": { "nodes": page,
        "pageInfo": { "hasNextPage": end < open.len(), "endCursor": (end > 0).then(|| format!("tr-{end}")) } } })))
}
