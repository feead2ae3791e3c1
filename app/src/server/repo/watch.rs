//! What the shop watches: alert kinds and time zone (in `settings`), locations
//! (`locations.watched`).

use crate::error::AppError;
use crate::server::d1::{batch, first, int, prepare, rows, text};
pub use crate::wire::watch::LocationChoice as LocationRow;
use domain::watch::{KindSet, Watch};
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::D1Database;

#[derive(Deserialize)]
struct WatchRow {
    alert_kinds: Option<String>,
    utc_offset_minutes: Option<i32>,
    shop_offset: i32,
}

#[derive(Deserialize)]
struct LocationDb {
    id: i64,
    name: String,
    watched: i64,
}

/// The shop's watch settings, its locations, and Shopify's own offset for the shop: two
/// reads in one round trip.
pub async fn get(db: &D1Database, shop_id: i64) -> Result<(Watch, Vec<LocationRow>, i32), AppError> {
    let results = crate::server::d1::batch_read(
        db,
        vec![
            prepare(
                db,
                "SELECT st.alert_kinds, st.utc_offset_minutes, s.utc_offset_minutes AS shop_offset
                 FROM shops s LEFT JOIN settings st ON st.shop_id = s.id WHERE s.id = ?1",
                &[int(shop_id)],
            )?,
            prepare(db, "SELECT id, name, watched FROM locations WHERE shop_id = ?1 AND active = 1 ORDER BY name, id", &[int(shop_id)])?,
        ],
    )
    .await?;
    let head: Option<WatchRow> = results.first().map(rows::<WatchRow>).transpose()?.and_then(|mut r| r.pop());
    let locations: Vec<LocationRow> = results
        .get(1)
        .map(rows::<LocationDb>)
        .transpose()?
        .unwrap_or_default()
        .into_iter()
        .map(|l| LocationRow { id: l.id, name: l.name, watched: l.watched != 0 })
        .collect();
    let kinds = head.as_ref().and_then(|h| h.alert_kinds.as_deref()).map_or(KindSet::ALL, KindSet::from_list);
    let watch = Watch {
        kinds,
        locations: locations.iter().filter(|l| l.watched).map(|l| l.id).collect(),
        utc_offset_minutes: head.as_ref().and_then(|h| h.utc_offset_minutes),
    };
    Ok((watch, locations, head.map_or(0, |h| h.shop_offset)))
}

/// The alert kinds the shop wants (all when it never chose).
pub async fn kinds(db: &D1Database, shop_id: i64) -> Result<KindSet, AppError> {
    #[derive(Deserialize)]
    struct Row {
        alert_kinds: String,
    }
    let row: Option<Row> = first(db, "SELECT alert_kinds FROM settings WHERE shop_id = ?1", &[int(shop_id)]).await?;
    Ok(row.map_or(KindSet::ALL, |r| KindSet::from_list(&r.alert_kinds)))
}

/// Saves kinds, time zone and watched locations in one batch (D1 runs a batch as one
/// transaction: all or nothing).
pub async fn save(db: &D1Database, shop_id: i64, w: &Watch, now: &str) -> Result<(), AppError> {
    let offset = w.utc_offset_minutes.map_or(JsValue::NULL, |m| int(m.into()));
    let watched = serde_json::to_string(&w.locations).map_err(|e| crate::server::context::internal("watched locations", e))?;
    batch(
        db,
        vec![
            prepare(
                db,
                "INSERT INTO settings (shop_id, alert_kinds, utc_offset_minutes, updated_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(shop_id) DO UPDATE SET alert_kinds = excluded.alert_kinds,
                   utc_offset_minutes = excluded.utc_offset_minutes, updated_at = excluded.updated_at",
                &[int(shop_id), text(&w.kinds.to_list()), offset, text(now)],
            )?,
            prepare(
                db,
                // Active ones only: an inactive location keeps its choice for when it returns.
                "UPDATE locations SET watched = (id IN (SELECT value FROM json_each(?2))) WHERE shop_id = ?1 AND active = 1",
                &[int(shop_id), text(&watched)],
            )?,
        ],
    )
    .await
}
