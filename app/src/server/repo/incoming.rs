//! Shopify's dated incoming stock (`shopify_incoming`, migration 0021).

use crate::error::AppError;
use crate::server::d1::{all, batch, int, prepare, text};
use serde::{Deserialize, Serialize};
use worker::D1Database;

/// One dated arrival, by inventory item (the SQL finds the variant).
#[derive(Serialize)]
pub struct Arrival {
    pub inventory_item_id: i64,
    pub location_id: i64,
    pub arrives_on: String,
    pub units: i64,
}

/// The shop's locations, known from the last sync.
pub async fn location_ids(db: &D1Database, shop_id: i64) -> Result<Vec<i64>, AppError> {
    #[derive(Deserialize)]
    struct Row {
        id: i64,
    }
    let rows: Vec<Row> = all(db, "SELECT id FROM locations WHERE shop_id = ?1", &[int(shop_id)]).await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// Replaces the shop's dated incoming stock in one batch; items the shop's variants do not
/// have are skipped.
pub async fn replace(db: &D1Database, shop_id: i64, rows: &[Arrival]) -> Result<(), AppError> {
    let json = serde_json::to_string(rows).map_err(|e| crate::server::context::internal("incoming", e))?;
    batch(
        db,
        vec![
            prepare(db, "DELETE FROM shopify_incoming WHERE shop_id = ?1", &[int(shop_id)])?,
            prepare(
                db,
                "INSERT INTO shopify_incoming (shop_id, variant_id, location_id, arrives_on, units)
                 SELECT ?1, v.id, json_extract(j.value, '$.location_id'), json_extract(j.value, '$.arrives_on'), SUM(json_extract(j.value, '$.units'))
                 FROM json_each(?2) j
                 JOIN variants v ON v.shop_id = ?1 AND v.inventory_item_id = json_extract(j.value, '$.inventory_item_id')
                 GROUP BY v.id, json_extract(j.value, '$.location_id'), json_extract(j.value, '$.arrives_on')",
                &[int(shop_id), text(&json)],
            )?,
        ],
    )
    .await
}
