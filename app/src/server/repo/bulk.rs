//! Bulk writes for the sync: rows travel as one JSON array per statement, unpacked by
//! SQLite's `json_each`, so a page of hundreds of rows is one statement with one bound
//! parameter (D1 allows 100 parameters per statement) and nothing is spliced into SQL.

use crate::error::AppError;
use crate::server::d1::{int, prepare, text};
use serde::Serialize;
use worker::{D1Database, D1PreparedStatement};

/// Rows per statement: well under D1's statement size limit for our row shapes.
pub const ROWS_PER_STATEMENT: usize = 400;

fn statements<T: Serialize>(db: &D1Database, shop_id: i64, sql: &str, rows: &[T]) -> Result<Vec<D1PreparedStatement>, AppError> {
    rows.chunks(ROWS_PER_STATEMENT)
        .map(|chunk| {
            let json = serde_json::to_string(chunk).map_err(|e| crate::server::context::internal("bulk rows", e))?;
            prepare(db, sql, &[int(shop_id), text(&json)])
        })
        .collect()
}

#[derive(Serialize)]
pub struct Location<'a> {
    pub id: i64,
    pub name: &'a str,
}

pub fn locations(db: &D1Database, shop_id: i64, rows: &[Location<'_>]) -> Result<Vec<D1PreparedStatement>, AppError> {
    // A location Shopify no longer lists as active (deactivated or deleted) stops alerting.
    let ids = serde_json::to_string(&rows.iter().map(|l| l.id).collect::<Vec<_>>())
        .map_err(|e| crate::server::context::internal("location ids", e))?;
    let mut out = vec![prepare(
        db,
        "UPDATE locations SET active = 0 WHERE shop_id = ?1 AND id NOT IN (SELECT value FROM json_each(?2))",
        &[int(shop_id), text(&ids)],
    )?];
    out.extend(statements(
        db,
        shop_id,
        "INSERT INTO locations (shop_id, id, name, active)
         SELECT ?1, json_extract(value, '$.id'), json_extract(value, '$.name'), 1 FROM json_each(?2) WHERE true
         ON CONFLICT(shop_id, id) DO UPDATE SET name = excluded.name, active = 1",
        rows,
    )?);
    Ok(out)
}

#[derive(Serialize)]
pub struct Product<'a> {
    pub id: i64,
    pub title: &'a str,
    pub vendor: &'a str,
    pub product_type: &'a str,
    /// active, archived, draft or unlisted.
    pub status: &'a str,
    pub gift_card: bool,
    /// Shopify's `createdAt`; `None` keeps what is stored.
    pub created_at: Option<String>,
    pub updated_at: String,
}

/// Export rows never overwrite a newer state a webhook already brought.
pub fn products(db: &D1Database, shop_id: i64, rows: &[Product<'_>]) -> Result<Vec<D1PreparedStatement>, AppError> {
    statements(
        db,
        shop_id,
        "INSERT INTO products (shop_id, id, title, vendor, product_type, status, gift_card, created_at, updated_at)
         SELECT ?1, json_extract(value, '$.id'), json_extract(value, '$.title'), json_extract(value, '$.vendor'),
                json_extract(value, '$.product_type'), json_extract(value, '$.status'), json_extract(value, '$.gift_card'),
                json_extract(value, '$.created_at'), json_extract(value, '$.updated_at')
         FROM json_each(?2) WHERE true
         ON CONFLICT(shop_id, id) DO UPDATE SET title = excluded.title, vendor = excluded.vendor,
           product_type = excluded.product_type, status = excluded.status, gift_card = excluded.gift_card,
           created_at = COALESCE(excluded.created_at, products.created_at), updated_at = excluded.updated_at
         WHERE excluded.updated_at >= products.updated_at",
        rows,
    )
}

#[derive(Serialize)]
pub struct Variant<'a> {
    pub id: i64,
    pub product_id: i64,
    pub title: &'a str,
    pub sku: &'a str,
    pub price_cents: i64,
    pub cost_cents: Option<i64>,
    pub inventory_item_id: i64,
    pub tracked: bool,
    /// Shopify's `createdAt`; `None` keeps what is stored.
    pub created_at: Option<String>,
    pub updated_at: String,
}

pub fn variants(db: &D1Database, shop_id: i64, rows: &[Variant<'_>]) -> Result<Vec<D1PreparedStatement>, AppError> {
    statements(
        db,
        shop_id,
        "INSERT INTO variants (shop_id, id, product_id, title, sku, price_cents, cost_cents, inventory_item_id, tracked, created_at, updated_at)
         SELECT ?1, json_extract(value, '$.id'), json_extract(value, '$.product_id'), json_extract(value, '$.title'),
                json_extract(value, '$.sku'), json_extract(value, '$.price_cents'), json_extract(value, '$.cost_cents'),
                json_extract(value, '$.inventory_item_id'), json_extract(value, '$.tracked'), json_extract(value, '$.created_at'),
                json_extract(value, '$.updated_at')
         FROM json_each(?2) WHERE true
         ON CONFLICT(shop_id, id) DO UPDATE SET product_id = excluded.product_id, title = excluded.title,
           sku = excluded.sku, price_cents = excluded.price_cents, cost_cents = excluded.cost_cents,
           inventory_item_id = excluded.inventory_item_id, tracked = excluded.tracked,
           created_at = COALESCE(excluded.created_at, variants.created_at), updated_at = excluded.updated_at
         WHERE excluded.updated_at >= variants.updated_at",
        rows,
    )
}

#[derive(Serialize)]
pub struct Level {
    pub variant_id: i64,
    pub location_id: i64,
    pub available: i64,
    pub incoming: i64,
    pub updated_at: String,
}

pub fn levels(db: &D1Database, shop_id: i64, rows: &[Level]) -> Result<Vec<D1PreparedStatement>, AppError> {
    statements(
        db,
        shop_id,
        "INSERT INTO inventory_levels (shop_id, variant_id, location_id, available, incoming, updated_at)
         SELECT ?1, json_extract(value, '$.variant_id'), json_extract(value, '$.location_id'),
                json_extract(value, '$.available'), json_extract(value, '$.incoming'), json_extract(value, '$.updated_at')
         FROM json_each(?2) WHERE true
         ON CONFLICT(shop_id, variant_id, location_id) DO UPDATE SET available = excluded.available,
           incoming = excluded.incoming, updated_at = excluded.updated_at
         WHERE excluded.updated_at >= inventory_levels.updated_at",
        rows,
    )
}

#[derive(Serialize)]
pub struct DaySales<'a> {
    pub variant_id: i64,
    pub location_id: i64,
    pub day: &'a str,
    pub units_sold: i64,
    pub units_returned: i64,
}

/// The import's totals replace the day's counts (so a retried import converges instead of
/// counting twice); stock columns, which orders know nothing of, are left alone.
pub fn day_sales(db: &D1Database, shop_id: i64, rows: &[DaySales<'_>]) -> Result<Vec<D1PreparedStatement>, AppError> {
    statements(
        db,
        shop_id,
        "INSERT INTO daily_sales (shop_id, variant_id, location_id, day, units_sold, units_returned)
         SELECT ?1, json_extract(value, '$.variant_id'), json_extract(value, '$.location_id'), json_extract(value, '$.day'),
                json_extract(value, '$.units_sold'), json_extract(value, '$.units_returned')
         FROM json_each(?2) WHERE true
         ON CONFLICT(shop_id, variant_id, location_id, day) DO UPDATE SET
           units_sold = excluded.units_sold, units_returned = excluded.units_returned",
        rows,
    )
}

/// Marks imported orders as counted, so their `orders/create` webhooks add nothing.
pub fn orders_seen(db: &D1Database, shop_id: i64, ids: &[i64]) -> Result<Vec<D1PreparedStatement>, AppError> {
    statements(
        db,
        shop_id,
        "INSERT INTO orders_seen (shop_id, order_id) SELECT ?1, value FROM json_each(?2) WHERE true ON CONFLICT DO NOTHING",
        ids,
    )
}
