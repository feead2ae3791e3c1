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
    time_zone: Option<String>,
    shop_timezone: String,
    shop_offset: i32,
}

#[derive(Deserialize)]
struct LocationDb {
    id: i64,
    name: String,
    watched: i64,
}

/// The shop's own zone from Shopify: its IANA name (`""` when unknown) and its offset at
/// install.
pub struct ShopZoneName {
    pub name: String,
    pub offset_minutes: i32,
}

/// The shop's watch settings, its locations, and Shopify's own zone for the shop: two reads
/// in one round trip.
pub async fn get(db: &D1Database, shop_id: i64) -> Result<(Watch, Vec<LocationRow>, ShopZoneName), AppError> {
    let results = crate::server::d1::batch_read(
        db,
        vec![
            prepare(
                db,
                "SELECT st.alert_kinds, st.time_zone, s.timezone AS shop_timezone, s.utc_offset_minutes AS shop_offset
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
        time_zone: head.as_ref().and_then(|h| h.time_zone.clone()),
    };
    let shop = head.map_or(ShopZoneName { name: String::new(), offset_minutes: 0 }, |h| ShopZoneName {
        name: h.shop_timezone,
        offset_minutes: h.shop_offset,
    });
    Ok((watch, locations, shop))
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
    let zone = w.time_zone.as_deref().map_or(JsValue::NULL, text);
    let watched = serde_json::to_string(&w.locations).map_err(|e| crate::server::context::internal("watched locations", e))?;
    batch(
        db,
        vec![
            prepare(
                db,
                // A choice made here replaces a fixed offset left from before IANA zones.
                "INSERT INTO settings (shop_id, alert_kinds, time_zone, utc_offset_minutes, updated_at) VALUES (?1, ?2, ?3, NULL, ?4)
                 ON CONFLICT(shop_id) DO UPDATE SET alert_kinds = excluded.alert_kinds,
                   time_zone = excluded.time_zone, utc_offset_minutes = NULL, updated_at = excluded.updated_at",
                &[int(shop_id), text(&w.kinds.to_list()), zone, text(now)],
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
