use crate::error::AppError;
use crate::server::d1::{first, int, real, run, text};
use domain::settings::{DigestFrequency, Settings};
use serde::Deserialize;
use worker::D1Database;

#[derive(Deserialize)]
struct Row {
    low_stock_days: u32,
    overstock_days: u32,
    dead_stock_days: u32,
    lead_time_days: u32,
    service_level_pct: f64,
    service_level_a_pct: f64,
    service_level_c_pct: f64,
    digest_frequency: String,
}

/// The shop's settings, or the defaults if it never saved any.
pub async fn get(db: &D1Database, shop_id: i64) -> Result<Settings, AppError> {
    let row: Option<Row> = first(
        db,
        "SELECT low_stock_days, overstock_days, dead_stock_days, lead_time_days, service_level_pct, service_level_a_pct,
                service_level_c_pct, digest_frequency
         FROM settings WHERE shop_id = ?1",
        &[int(shop_id)],
    )
    .await?;
    Ok(row.map_or_else(Settings::default, |r| Settings {
        low_stock_days: r.low_stock_days,
        overstock_days: r.overstock_days,
        dead_stock_days: r.dead_stock_days,
        lead_time_days: r.lead_time_days,
        service_level_pct: r.service_level_pct,
        service_level_a_pct: r.service_level_a_pct,
        service_level_c_pct: r.service_level_c_pct,
        digest_frequency: DigestFrequency::parse(&r.digest_frequency).unwrap_or(DigestFrequency::Daily),
    }))
}

/// One statement, so the row is saved whole or not at all.
pub async fn save(db: &D1Database, shop_id: i64, s: &Settings, now: &str) -> Result<(), AppError> {
    run(
        db,
        "INSERT INTO settings (shop_id, low_stock_days, overstock_days, dead_stock_days, lead_time_days,
                               service_level_pct, digest_frequency, updated_at, service_level_a_pct, service_level_c_pct)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT(shop_id) DO UPDATE SET
           low_stock_days = excluded.low_stock_days, overstock_days = excluded.overstock_days,
           dead_stock_days = excluded.dead_stock_days, lead_time_days = excluded.lead_time_days,
           service_level_pct = excluded.service_level_pct, digest_frequency = excluded.digest_frequency,
           updated_at = excluded.updated_at, service_level_a_pct = excluded.service_level_a_pct,
           service_level_c_pct = excluded.service_level_c_pct",
        &[
            int(shop_id),
            int(s.low_stock_days.into()),
            int(s.overstock_days.into()),
            int(s.dead_stock_days.into()),
            int(s.lead_time_days.into()),
            real(s.service_level_pct),
            text(s.digest_frequency.as_str()),
            text(now),
            real(s.service_level_a_pct),
            real(s.service_level_c_pct),
        ],
    )
    .await
}

#[derive(Deserialize)]
struct DigestRow {
    digest_recipients: String,
    quiet_hours_start: Option<u8>,
    quiet_hours_end: Option<u8>,
}

/// Who gets the shop's digest and its quiet hours (defaults: nobody, none).
pub async fn get_digest(db: &D1Database, shop_id: i64) -> Result<domain::digest::DigestSettings, AppError> {
    let row: Option<DigestRow> =
        first(db, "SELECT digest_recipients, quiet_hours_start, quiet_hours_end FROM settings WHERE shop_id = ?1", &[int(shop_id)]).await?;
    Ok(row.map_or_else(Default::default, |r| domain::digest::DigestSettings {
        // Saved through `parse_recipients`, so every entry is valid; re-parsing keeps it so.
        recipients: domain::digest::parse_recipients(&r.digest_recipients).unwrap_or_default(),
        quiet: match (r.quiet_hours_start, r.quiet_hours_end) {
            (Some(a), Some(b)) => domain::digest::QuietHours::new(a, b),
            _ => None,
        },
    }))
}

pub async fn save_digest(db: &D1Database, shop_id: i64, d: &domain::digest::DigestSettings, now: &str) -> Result<(), AppError> {
    let hour = |h: Option<u8>| h.map_or(worker::wasm_bindgen::JsValue::NULL, |h| int(h.into()));
    run(
        db,
        "INSERT INTO settings (shop_id, digest_recipients, quiet_hours_start, quiet_hours_end, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(shop_id) DO UPDATE SET digest_recipients = excluded.digest_recipients,
           quiet_hours_start = excluded.quiet_hours_start, quiet_hours_end = excluded.quiet_hours_end,
           updated_at = excluded.updated_at",
        &[int(shop_id), text(&d.recipients.join(", ")), hour(d.quiet.map(|q| q.start())), hour(d.quiet.map(|q| q.end())), text(now)],
    )
    .await
}
