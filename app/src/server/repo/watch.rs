//! What the shop watches (alert kinds, time zone in `settings`; `locations.watched`) and
//! its lead-time overrides (`lead_times`).

use crate::error::AppError;
use crate::server::d1::{all, batch, first, int, prepare, rows, text};
pub use crate::wire::watch::{LeadTimeRow, LocationChoice as LocationRow};
use domain::engine::SupplyOverrides;
use domain::watch::{KindSet, LeadTimes, Scope, Watch};
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

impl LeadTimeRow {
    pub fn overrides(&self) -> SupplyOverrides {
        SupplyOverrides {
            lead_time_days: self.lead_time_days,
            lead_time_sd_days: self.lead_time_sd_days,
            review_period_days: None,
            target_cover_days: self.target_cover_days,
        }
    }
}

/// Every override of the shop, labelled: one query (the titles come by join, not per row).
pub async fn list(db: &D1Database, shop_id: i64) -> Result<Vec<LeadTimeRow>, AppError> {
    all(
        db,
        "SELECT lt.scope, lt.key, lt.lead_time_days, lt.lead_time_sd_days, lt.target_cover_days,
                CASE lt.scope
                  WHEN 'vendor' THEN lt.key
                  WHEN 'product' THEN COALESCE(p.title, 'Deleted product ' || lt.key)
                  ELSE COALESCE(vp.title || ' — ' || v.title, 'Deleted variant ' || lt.key) END AS label
         FROM lead_times lt
         LEFT JOIN products p ON lt.scope = 'product' AND p.shop_id = lt.shop_id AND p.id = CAST(lt.key AS INTEGER)
         LEFT JOIN variants v ON lt.scope = 'variant' AND v.shop_id = lt.shop_id AND v.id = CAST(lt.key AS INTEGER)
         LEFT JOIN products vp ON vp.shop_id = v.shop_id AND vp.id = v.product_id
         WHERE lt.shop_id = ?1
         ORDER BY CASE lt.scope WHEN 'vendor' THEN 0 WHEN 'product' THEN 1 ELSE 2 END, label",
        &[int(shop_id)],
    )
    .await
}

/// The shop's overrides, ready to resolve per variant.
pub async fn resolver(db: &D1Database, shop_id: i64) -> Result<LeadTimes, AppError> {
    let mut lt = LeadTimes::default();
    for r in list(db, shop_id).await? {
        if let Some(scope) = Scope::parse(&r.scope) {
            lt.insert(scope, &r.key, r.overrides());
        }
    }
    Ok(lt)
}

/// Stores an override, or removes it when it sets nothing.
pub async fn save_lead_time(
    db: &D1Database,
    shop_id: i64,
    scope: Scope,
    key: &str,
    o: &SupplyOverrides,
    now: &str,
) -> Result<(), AppError> {
    if domain::watch::is_empty(o) {
        return crate::server::d1::run(
            db,
            "DELETE FROM lead_times WHERE shop_id = ?1 AND scope = ?2 AND key = ?3",
            &[int(shop_id), text(scope.as_str()), text(key)],
        )
        .await;
    }
    let opt_int = |v: Option<u32>| v.map_or(JsValue::NULL, |d| int(d.into()));
    crate::server::d1::run(
        db,
        "INSERT INTO lead_times (shop_id, scope, key, lead_time_days, lead_time_sd_days, target_cover_days, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(shop_id, scope, key) DO UPDATE SET lead_time_days = excluded.lead_time_days,
           lead_time_sd_days = excluded.lead_time_sd_days, target_cover_days = excluded.target_cover_days,
           updated_at = excluded.updated_at",
        &[
            int(shop_id),
            text(scope.as_str()),
            text(key),
            opt_int(o.lead_time_days),
            o.lead_time_sd_days.map_or(JsValue::NULL, crate::server::d1::real),
            opt_int(o.target_cover_days),
            text(now),
        ],
    )
    .await
}

/// The shop's vendors (what a vendor override can name), and whether `key` names one of
/// the shop's products or variants: an override is only stored for something the shop has.
pub async fn vendors(db: &D1Database, shop_id: i64) -> Result<Vec<String>, AppError> {
    #[derive(Deserialize)]
    struct Row {
        vendor: String,
    }
    let r: Vec<Row> =
        all(db, "SELECT DISTINCT vendor FROM products WHERE shop_id = ?1 AND vendor != '' ORDER BY vendor", &[int(shop_id)]).await?;
    Ok(r.into_iter().map(|r| r.vendor).collect())
}

pub async fn owns(db: &D1Database, shop_id: i64, scope: Scope, key: &str) -> Result<bool, AppError> {
    #[derive(Deserialize)]
    struct Row {
        #[allow(dead_code)]
        n: i64,
    }
    let sql = match scope {
        Scope::Vendor => "SELECT 1 AS n FROM products WHERE shop_id = ?1 AND vendor = ?2 LIMIT 1",
        Scope::Product => "SELECT 1 AS n FROM products WHERE shop_id = ?1 AND id = CAST(?2 AS INTEGER)",
        Scope::Variant => "SELECT 1 AS n FROM variants WHERE shop_id = ?1 AND id = CAST(?2 AS INTEGER)",
    };
    Ok(first::<Row>(db, sql, &[int(shop_id), text(key)]).await?.is_some())
}

/// The overrides set on one variant and on its product (what the variant page's form shows).
pub async fn for_variant(
    db: &D1Database,
    shop_id: i64,
    variant_id: i64,
    product_id: i64,
) -> Result<(SupplyOverrides, SupplyOverrides), AppError> {
    #[derive(Deserialize)]
    struct Row {
        scope: String,
        lead_time_days: Option<u32>,
        lead_time_sd_days: Option<f64>,
        target_cover_days: Option<u32>,
    }
    let found: Vec<Row> = all(
        db,
        "SELECT scope, lead_time_days, lead_time_sd_days, target_cover_days FROM lead_times
         WHERE shop_id = ?1 AND ((scope = 'variant' AND key = ?2) OR (scope = 'product' AND key = ?3))",
        &[int(shop_id), text(&variant_id.to_string()), text(&product_id.to_string())],
    )
    .await?;
    let pick = |scope: &str| {
        found.iter().find(|r| r.scope == scope).map_or_else(SupplyOverrides::default, |r| SupplyOverrides {
            lead_time_days: r.lead_time_days,
            lead_time_sd_days: r.lead_time_sd_days,
            review_period_days: None,
            target_cover_days: r.target_cover_days,
        })
    };
    Ok((pick("variant"), pick("product")))
}
