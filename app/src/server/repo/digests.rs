//! Digest reads and writes: which shops want digests, their alerts that changed, the
//! window claims in `digest_log`, and the urgency last reported per alert.

use crate::error::AppError;
use crate::server::context::internal;
use crate::server::d1::{all, batch, first, int, prepare, real, run, text};
use domain::digest::{DigestAlert, Window, WindowKey, WORSENED_MARGIN};
use serde::Deserialize;
use worker::D1Database;

/// A shop with digests on and at least one recipient.
#[derive(Debug, Clone, Deserialize)]
pub struct DigestShop {
    pub shop_id: i64,
    pub name: String,
    pub currency: String,
    /// The shop's install-time offset, the fallback of `timezone`.
    pub utc_offset_minutes: i32,
    /// Shopify's `ianaTimezone`.
    #[serde(default)]
    pub timezone: String,
    /// The merchant's zone from Settings, if any (an IANA name): it replaces the shop's.
    #[serde(default)]
    pub override_zone: Option<String>,
    /// A fixed offset chosen before zones were IANA names (migration 0023), if any.
    #[serde(default)]
    pub override_offset_minutes: Option<i32>,
    pub digest_frequency: String,
    pub digest_recipients: String,
    pub quiet_hours_start: Option<u8>,
    pub quiet_hours_end: Option<u8>,
    /// End of the last window sent, RFC 3339; `None` if none was.
    pub last_end: Option<String>,
}

impl DigestShop {
    /// The calendar its digests keep: the merchant's zone, else an older fixed offset of
    /// theirs, else the shop's IANA zone with daylight saving, else its install-time offset.
    pub fn zone(&self) -> domain::engine::ShopZone {
        use domain::engine::{ShopZone, UtcOffset};
        match (&self.override_zone, self.override_offset_minutes) {
            (Some(z), _) => ShopZone::stored(z, self.utc_offset_minutes),
            (None, Some(m)) => UtcOffset::from_minutes_or_utc(m).into(),
            (None, None) => ShopZone::stored(&self.timezone, self.utc_offset_minutes),
        }
    }
}

/// Every installed shop that wants digests, with its last sent window: one query.
pub async fn shops_wanting_digests(db: &D1Database) -> Result<Vec<DigestShop>, AppError> {
    all(
        db,
        "SELECT s.id AS shop_id, s.name, s.currency, s.utc_offset_minutes, s.timezone, st.time_zone AS override_zone, st.utc_offset_minutes AS override_offset_minutes,
                st.digest_frequency, st.digest_recipients, st.quiet_hours_start, st.quiet_hours_end,
                (SELECT MAX(d.window_end) FROM digest_log d WHERE d.shop_id = s.id) AS last_end
         FROM shops s JOIN settings st ON st.shop_id = s.id
         WHERE s.uninstalled_at IS NULL AND st.digest_frequency != 'off' AND trim(st.digest_recipients) != ''",
        &[],
    )
    .await
}

// Spelled out rather than `#[serde(flatten)]`: flattening buffers D1's JS numbers as
// floats, which integer fields then refuse.
#[derive(Deserialize)]
struct AlertRow {
    shop_id: i64,
    alert_id: i64,
    kind: domain::RiskKind,
    variant_id: i64,
    location_id: i64,
    product_title: String,
    variant_title: String,
    location_name: String,
    days_of_cover: Option<f64>,
    lost_revenue_per_day_cents: i64,
    depletion_date: Option<chrono::NaiveDate>,
    urgency: f64,
    /// NULL when D1 holds a time SQLite cannot read; such a row is skipped.
    opened_at: Option<chrono::DateTime<chrono::Utc>>,
    reported_urgency: Option<f64>,
}

fn utc(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The open alerts of each due shop that may be news in its window — opened since the
/// window start and never reported, or more urgent than last reported — with product,
/// variant and location names. One query for all shops.
pub async fn changed_alerts(db: &D1Database, windows: &[(i64, Window)]) -> Result<Vec<(i64, DigestAlert)>, AppError> {
    if windows.is_empty() {
        return Ok(Vec::new());
    }
    let pairs: Vec<(i64, String)> = windows.iter().map(|(shop, w)| (*shop, utc(&w.start))).collect();
    let json = serde_json::to_string(&pairs).map_err(|e| internal("digest windows", e))?;
    let rows: Vec<AlertRow> = all(
        db,
        "WITH w AS (SELECT json_extract(value, '$[0]') AS shop_id, json_extract(value, '$[1]') AS start FROM json_each(?1))
         SELECT a.shop_id, a.id AS alert_id, a.kind, a.variant_id, a.location_id, a.urgency, a.reported_urgency,
                strftime('%Y-%m-%dT%H:%M:%SZ', a.opened_at) AS opened_at,
                COALESCE(p.title, 'Variant ' || a.variant_id) AS product_title,
                COALESCE(v.title, '') AS variant_title,
                COALESCE(l.name, 'Location ' || a.location_id) AS location_name,
                CASE WHEN json_valid(a.explanation) THEN json_extract(a.explanation, '$.days_of_cover') END AS days_of_cover,
                COALESCE(CASE WHEN json_valid(a.explanation)
                              THEN CAST(json_extract(a.explanation, '$.lost_revenue_per_day_cents') AS INTEGER) END, 0)
                  AS lost_revenue_per_day_cents,
                CASE WHEN json_valid(a.explanation) THEN json_extract(a.explanation, '$.depletion_date') END AS depletion_date
         FROM w
         JOIN alerts a ON a.shop_id = w.shop_id AND a.state = 'open'
          AND ((a.reported_urgency IS NULL AND julianday(a.opened_at) >= julianday(w.start))
               OR (a.reported_urgency IS NOT NULL AND a.urgency > a.reported_urgency * (1.0 + ?2)))
         LEFT JOIN variants v ON v.shop_id = a.shop_id AND v.id = a.variant_id
         LEFT JOIN products p ON p.shop_id = a.shop_id AND p.id = v.product_id
         LEFT JOIN locations l ON l.shop_id = a.shop_id AND l.id = a.location_id",
        &[text(&json), real(WORSENED_MARGIN)],
    )
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let opened_at = r.opened_at?;
            let alert = DigestAlert {
                alert_id: r.alert_id,
                kind: r.kind,
                variant_id: r.variant_id,
                location_id: r.location_id,
                product_title: r.product_title,
                variant_title: r.variant_title,
                location_name: r.location_name,
                days_of_cover: r.days_of_cover,
                lost_revenue_per_day_cents: r.lost_revenue_per_day_cents,
                depletion_date: r.depletion_date,
                urgency: r.urgency,
                opened_at,
                reported_urgency: r.reported_urgency,
            };
            Some((r.shop_id, alert))
        })
        .collect())
}

#[derive(Deserialize)]
struct Id {
    id: i64,
}

/// Claims a window before sending: `Some(id)` for the first claimant, `None` if this
/// window was already claimed (sent, or being sent by a concurrent run).
pub async fn claim(
    db: &D1Database,
    shop_id: i64,
    key: &WindowKey,
    window: &Window,
    now: &str,
    alerts: usize,
    recipients: usize,
) -> Result<Option<i64>, AppError> {
    let row: Option<Id> = first(
        db,
        "INSERT INTO digest_log (shop_id, window_key, window_start, window_end, sent_at, alerts, recipients)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(window_key) DO NOTHING RETURNING id",
        &[
            int(shop_id),
            text(key.as_str()),
            text(&utc(&window.start)),
            text(&utc(&window.end)),
            text(now),
            int(alerts as i64),
            int(recipients as i64),
        ],
    )
    .await?;
    Ok(row.map(|r| r.id))
}

/// Gives a claimed window back after a failed send, so the retry may send it.
pub async fn release(db: &D1Database, claim_id: i64) -> Result<(), AppError> {
    run(db, "DELETE FROM digest_log WHERE id = ?1", &[int(claim_id)]).await
}

/// Remembers the urgency each alert had in the digest just sent: one statement.
pub async fn mark_reported(db: &D1Database, shop_id: i64, reported: &[(i64, f64)]) -> Result<(), AppError> {
    if reported.is_empty() {
        return Ok(());
    }
    let json = serde_json::to_string(reported).map_err(|e| internal("digest reported", e))?;
    let stmt = prepare(
        db,
        "UPDATE alerts SET reported_urgency =
           (SELECT json_extract(j.value, '$[1]') FROM json_each(?2) j WHERE json_extract(j.value, '$[0]') = alerts.id)
         WHERE shop_id = ?1 AND id IN (SELECT json_extract(value, '$[0]') FROM json_each(?2))",
        &[int(shop_id), text(&json)],
    )?;
    batch(db, vec![stmt]).await
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, Deserialize)]
pub struct OutboxRow {
    pub id: i64,
    pub shop_id: Option<i64>,
    pub tag: String,
    pub sender: String,
    pub recipients: String,
    pub subject: String,
    pub html: String,
    pub text: String,
    pub created_at: String,
    /// JSON `[Attachment]`, or `None`.
    pub attachments: Option<String>,
}

/// The newest captured messages of one shop.
pub async fn outbox(db: &D1Database, shop_id: i64, limit: u32) -> Result<Vec<OutboxRow>, AppError> {
    all(
        db,
        "SELECT id, shop_id, tag, sender, recipients, subject, html, text, created_at, attachments
         FROM outbox WHERE shop_id = ?1 ORDER BY id DESC LIMIT ?2",
        &[int(shop_id), int(limit.into())],
    )
    .await
}

/// Retention, for the weekly `Cleanup` job: captured mail older than `mail_before` and
/// digest windows older than `log_before` (RFC 3339). The newest window of every shop is
/// kept whatever its age, because the next digest starts where it ended.
pub async fn prune(db: &D1Database, mail_before: &str, log_before: &str) -> Result<(), AppError> {
    let outbox = prepare(db, "DELETE FROM outbox WHERE julianday(created_at) < julianday(?1)", &[text(mail_before)])?;
    let log = prepare(
        db,
        "DELETE FROM digest_log WHERE julianday(window_end) < julianday(?1)
           AND id NOT IN (SELECT MAX(id) FROM digest_log GROUP BY shop_id)",
        &[text(log_before)],
    )?;
    batch(db, vec![outbox, log]).await
}
