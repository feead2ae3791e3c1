//! Products and variants, as Shopify sends them (webhooks, bulk sync). Every write is
//! guarded by `updated_at`, so an older state arriving late never overwrites a newer one.

use crate::error::AppError;
use crate::server::d1::{int, opt_text, prepare, text};
use worker::{D1Database, D1PreparedStatement};

pub struct ProductRow<'a> {
    pub id: i64,
    pub title: &'a str,
    pub vendor: &'a str,
    pub product_type: &'a str,
    pub status: &'a str,
    /// Shopify's `created_at` (UTC, as `updated_at`); `None` keeps what is stored.
    pub created_at: Option<&'a str>,
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`, so that text order is time order.
    pub updated_at: &'a str,
}

pub struct VariantRow<'a> {
    pub id: i64,
    pub title: &'a str,
    pub sku: &'a str,
    pub price_cents: i64,
    pub inventory_item_id: Option<i64>,
    pub created_at: Option<&'a str>,
}

/// Upserts a product with its variants and drops variants it no longer has — all only if
/// this state is at least as new as what is stored.
pub fn upsert_product(
    db: &D1Database,
    shop_id: i64,
    p: &ProductRow<'_>,
    variants: &[VariantRow<'_>],
) -> Result<Vec<D1PreparedStatement>, AppError> {
    let mut out = Vec::with_capacity(variants.len() + 2);
    out.push(prepare(
        db,
        "INSERT INTO products (shop_id, id, title, vendor, product_type, status, updated_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT(shop_id, id) DO UPDATE SET title = excluded.title, vendor = excluded.vendor,
           product_type = excluded.product_type, status = excluded.status, updated_at = excluded.updated_at,
           created_at = COALESCE(excluded.created_at, products.created_at)
         WHERE excluded.updated_at >= products.updated_at",
        &[
            int(shop_id),
            int(p.id),
            text(p.title),
            text(p.vendor),
            text(p.product_type),
            text(p.status),
            text(p.updated_at),
            opt_text(p.created_at),
        ],
    )?);
    // After the upsert above, the product's stored updated_at equals ours only if ours won.
    let ours_won = "(SELECT updated_at FROM products WHERE shop_id = ?1 AND id = ?2) = ?3";
    for v in variants {
        out.push(prepare(
            db,
            &format!(
                "INSERT INTO variants (shop_id, id, product_id, title, sku, price_cents, inventory_item_id, updated_at, created_at)
                 SELECT ?1, ?4, ?2, ?5, ?6, ?7, ?8, ?3, ?9 WHERE {ours_won}
                 ON CONFLICT(shop_id, id) DO UPDATE SET product_id = excluded.product_id, title = excluded.title,
                   sku = excluded.sku, price_cents = excluded.price_cents,
                   inventory_item_id = COALESCE(excluded.inventory_item_id, variants.inventory_item_id),
                   updated_at = excluded.updated_at, created_at = COALESCE(excluded.created_at, variants.created_at)"
            ),
            &[
                int(shop_id),
                int(p.id),
                text(p.updated_at),
                int(v.id),
                text(v.title),
                text(v.sku),
                int(v.price_cents),
                v.inventory_item_id.map_or(worker::wasm_bindgen::JsValue::NULL, int),
                opt_text(v.created_at),
            ],
        )?);
    }
    let keep: Vec<i64> = variants.iter().map(|v| v.id).collect();
    let keep = serde_json::to_string(&keep).unwrap_or_else(|_| "[]".into());
    out.push(prepare(
        db,
        &format!(
            "DELETE FROM variants WHERE shop_id = ?1 AND product_id = ?2 AND {ours_won}
               AND id NOT IN (SELECT value FROM json_each(?4))"
        ),
        &[int(shop_id), int(p.id), text(p.updated_at), text(&keep)],
    )?);
    Ok(out)
}

/// A deleted product leaves no variants or stock levels to raise alerts on; its sales
/// history stays (it is the shop's history) until retention removes it.
pub fn delete_product(db: &D1Database, shop_id: i64, product_id: i64) -> Result<Vec<D1PreparedStatement>, AppError> {
    Ok(vec![
        prepare(
            db,
            "DELETE FROM inventory_levels WHERE shop_id = ?1
               AND variant_id IN (SELECT id FROM variants WHERE shop_id = ?1 AND product_id = ?2)",
            &[int(shop_id), int(product_id)],
        )?,
        prepare(db, "DELETE FROM variants WHERE shop_id = ?1 AND product_id = ?2", &[int(shop_id), int(product_id)])?,
        prepare(db, "DELETE FROM products WHERE shop_id = ?1 AND id = ?2", &[int(shop_id), int(product_id)])?,
    ])
}

#[derive(serde::Deserialize)]
struct VariantId {
    id: i64,
}

/// The variants of some inventory items (what a batch of inventory webhooks touched).
pub async fn variants_for_items(db: &D1Database, shop_id: i64, inventory_item_ids: &[i64]) -> Result<Vec<i64>, AppError> {
    if inventory_item_ids.is_empty() {
        return Ok(Vec::new());
    }
    let items = serde_json::to_string(inventory_item_ids).map_err(|e| crate::server::context::internal("inventory items", e))?;
    let rows: Vec<VariantId> = crate::server::d1::all(
        db,
        "SELECT id FROM variants WHERE shop_id = ?1 AND inventory_item_id IN (SELECT value FROM json_each(?2))",
        &[int(shop_id), text(&items)],
    )
    .await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// `inventory_items/update`: whether Shopify tracks the item's stock, and its unit cost.
pub fn set_inventory_item(
    db: &D1Database,
    shop_id: i64,
    inventory_item_id: i64,
    tracked: bool,
    cost_cents: Option<i64>,
) -> Result<Vec<D1PreparedStatement>, AppError> {
    Ok(vec![prepare(
        db,
        "UPDATE variants SET tracked = ?3, cost_cents = COALESCE(?4, cost_cents) WHERE shop_id = ?1 AND inventory_item_id = ?2",
        &[int(shop_id), int(inventory_item_id), int(i64::from(tracked)), crate::server::d1::opt_int(cost_cents)],
    )?])
}

/// `locations/*`: a location's name and whether it is active (a deleted one is inactive:
/// its history stays, its alerts go).
pub fn set_location(
    db: &D1Database,
    shop_id: i64,
    location_id: i64,
    name: Option<&str>,
    active: bool,
) -> Result<Vec<D1PreparedStatement>, AppError> {
    Ok(vec![prepare(
        db,
        "INSERT INTO locations (shop_id, id, name, active) VALUES (?1, ?2, COALESCE(?3, ''), ?4)
         ON CONFLICT(shop_id, id) DO UPDATE SET name = COALESCE(?3, locations.name), active = ?4",
        &[int(shop_id), int(location_id), crate::server::d1::opt_text(name), int(i64::from(active))],
    )?])
}

/// The variants stocked at a location.
pub async fn variants_at(db: &D1Database, shop_id: i64, location_id: i64) -> Result<Vec<i64>, AppError> {
    #[derive(serde::Deserialize)]
    struct V {
        variant_id: i64,
    }
    let rows: Vec<V> = crate::server::d1::all(
        db,
        "SELECT variant_id FROM inventory_levels WHERE shop_id = ?1 AND location_id = ?2",
        &[int(shop_id), int(location_id)],
    )
    .await?;
    Ok(rows.into_iter().map(|r| r.variant_id).collect())
}
