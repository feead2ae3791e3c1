//! Alert channels and their deliveries (`migrations/0027_channels.sql`).

use crate::error::AppError;
use crate::server::d1::{all, first, int, opt_int, opt_text, prepare, run, text};
use domain::channels::{ChannelKind, ChannelSettings};
use domain::digest::QuietHours;
use domain::watch::KindSet;
use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement};

#[derive(Debug, Clone, Deserialize)]
pub struct ChannelRow {
    pub id: i64,
    pub kind: String,
    pub enabled: i64,
    pub url: String,
    pub secret: String,
    pub alert_kinds: String,
    pub quiet_hours_start: Option<u8>,
    pub quiet_hours_end: Option<u8>,
    pub failures: i64,
    pub paused_at: Option<String>,
    pub paused_reason: Option<String>,
}

impl ChannelRow {
    pub fn kind(&self) -> Option<ChannelKind> {
        ChannelKind::parse(&self.kind)
    }
    pub fn settings(&self) -> ChannelSettings {
        ChannelSettings {
            enabled: self.enabled == 1,
            url: self.url.clone(),
            kinds: KindSet::from_list(&self.alert_kinds),
            quiet: self.quiet_hours_start.zip(self.quiet_hours_end).and_then(|(s, e)| QuietHours::new(s, e)),
        }
    }
}

const COLUMNS: &str = "id, kind, enabled, url, secret, alert_kinds, quiet_hours_start, quiet_hours_end, failures, paused_at, paused_reason";

pub async fn list(db: &D1Database, shop_id: i64) -> Result<Vec<ChannelRow>, AppError> {
    all(db, &format!("SELECT {COLUMNS} FROM alert_channels WHERE shop_id = ?1 ORDER BY id"), &[int(shop_id)]).await
}

/// Saves one channel's settings (created on first save, with `secret`); saving clears a pause,
/// as the merchant has looked at it. Returns the row.
pub async fn save(
    db: &D1Database,
    shop_id: i64,
    kind: ChannelKind,
    s: &ChannelSettings,
    secret: &str,
    now: &str,
) -> Result<ChannelRow, AppError> {
    run(
        db,
        "INSERT INTO alert_channels (shop_id, kind, enabled, url, secret, alert_kinds, quiet_hours_start, quiet_hours_end, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)
         ON CONFLICT (shop_id, kind) DO UPDATE SET enabled = excluded.enabled, url = excluded.url, alert_kinds = excluded.alert_kinds,
             quiet_hours_start = excluded.quiet_hours_start, quiet_hours_end = excluded.quiet_hours_end,
             failures = 0, paused_at = NULL, paused_reason = NULL, updated_at = excluded.updated_at",
        &[
            int(shop_id),
            text(kind.as_str()),
            int(i64::from(s.enabled)),
            text(&s.url),
            text(secret),
            text(&s.kinds.to_list()),
            opt_int(s.quiet.map(|q| i64::from(q.start()))),
            opt_int(s.quiet.map(|q| i64::from(q.end()))),
            text(now),
        ],
    )
    .await?;
    first(db, &format!("SELECT {COLUMNS} FROM alert_channels WHERE shop_id = ?1 AND kind = ?2"), &[int(shop_id), text(kind.as_str())])
        .await?
        .ok_or_else(|| AppError::NotFound("That channel".into()))
}

/// Resumes a paused channel. Returns whether it was paused.
pub async fn resume(db: &D1Database, shop_id: i64, kind: ChannelKind, now: &str) -> Result<bool, AppError> {
    let row: Option<ChannelRow> = first(
        db,
        &format!(
            "UPDATE alert_channels SET paused_at = NULL, paused_reason = NULL, failures = 0, updated_at = ?3
             WHERE shop_id = ?1 AND kind = ?2 AND paused_at IS NOT NULL RETURNING {COLUMNS}"
        ),
        &[int(shop_id), text(kind.as_str()), text(now)],
    )
    .await?;
    Ok(row.is_some())
}

/// The channel's waiting deliveries become due now: after a resume, or a save that may have
/// changed its quiet hours or fixed its endpoint (each goes on through its own quiet hours).
pub async fn due_now(db: &D1Database, shop_id: i64, kind: ChannelKind, now: &str) -> Result<(), AppError> {
    run(
        db,
        "UPDATE channel_deliveries SET due_at = ?3, updated_at = ?3
         WHERE shop_id = ?1 AND state = 'pending' AND channel_id = (SELECT id FROM alert_channels WHERE shop_id = ?1 AND kind = ?2)",
        &[int(shop_id), text(kind.as_str()), text(now)],
    )
    .await
}

/// The deliveries of the alerts a recalculation opened at `opened_at` (its own timestamp),
/// one per channel that is on and sends the alert's kind (a paused channel's wait for the
/// merchant to resume it). Goes in the same
/// batch as the alerts, so an alert never opens without its deliveries.
pub fn enqueue_opened(db: &D1Database, shop_id: i64, opened_at: &str) -> Result<D1PreparedStatement, AppError> {
    prepare(
        db,
        "INSERT INTO channel_deliveries (shop_id, channel_id, alert_id, due_at, created_at, updated_at)
         SELECT ?1, c.id, a.id, ?2, ?2, ?2
         FROM alert_channels c JOIN alerts a ON a.shop_id = c.shop_id
         WHERE c.shop_id = ?1 AND c.enabled = 1
           AND a.opened_at = ?2 AND a.state = 'open'
           AND instr(',' || c.alert_kinds || ',', ',' || a.kind || ',') > 0
         ON CONFLICT DO NOTHING",
        &[int(shop_id), text(opened_at)],
    )
}

/// Whether any channel of the shop is on (a recalculation that opened alerts queues a delivery).
pub async fn any_enabled(db: &D1Database, shop_id: i64) -> Result<bool, AppError> {
    #[derive(Deserialize)]
    struct One {
        n: i64,
    }
    let r: Option<One> =
        first(db, "SELECT COUNT(*) AS n FROM alert_channels WHERE shop_id = ?1 AND enabled = 1 AND paused_at IS NULL", &[int(shop_id)])
            .await?;
    Ok(r.is_some_and(|r| r.n > 0))
}

/// A delivery due now, with what its message tells.
#[derive(Debug, Clone, Deserialize)]
pub struct DueDelivery {
    pub id: i64,
    pub channel_id: i64,
    pub attempts: i64,
    pub alert_id: i64,
    pub alert_kind: String,
    pub product_id: i64,
    pub product_title: String,
    pub variant_id: i64,
    pub variant_title: String,
    pub sku: String,
    pub location_id: i64,
    pub location: String,
    pub on_hand: Option<i64>,
    pub days_of_cover: Option<f64>,
    pub suggested_qty: Option<i64>,
}

/// Deliveries still waiting for an alert that is no longer open (resolved, acknowledged or
/// snoozed meanwhile, or erased) are skipped: the news is stale.
pub async fn skip_closed(db: &D1Database, shop_id: i64, now: &str) -> Result<(), AppError> {
    run(
        db,
        "UPDATE channel_deliveries SET state = 'skipped', last_error = 'The alert closed before it was sent', updated_at = ?2
         WHERE shop_id = ?1 AND state = 'pending'
           AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.id = channel_deliveries.alert_id AND a.shop_id = ?1 AND a.state = 'open')",
        &[int(shop_id), text(now)],
    )
    .await
}

/// Up to `limit` pending deliveries due by `now`, oldest first, of channels not paused.
pub async fn due(db: &D1Database, shop_id: i64, now: &str, limit: u32) -> Result<Vec<DueDelivery>, AppError> {
    all(
        db,
        "SELECT d.id, d.channel_id, d.attempts, a.id AS alert_id, a.kind AS alert_kind,
                p.id AS product_id, COALESCE(p.title, '') AS product_title, a.variant_id, COALESCE(v.title, '') AS variant_title,
                COALESCE(v.sku, '') AS sku, a.location_id, COALESCE(l.name, '') AS location,
                json_extract(a.explanation, '$.on_hand') AS on_hand, json_extract(a.explanation, '$.days_of_cover') AS days_of_cover,
                json_extract(a.explanation, '$.suggested_qty') AS suggested_qty
         FROM channel_deliveries d
         JOIN alert_channels c ON c.id = d.channel_id AND c.paused_at IS NULL AND c.enabled = 1
         JOIN alerts a ON a.id = d.alert_id AND a.shop_id = d.shop_id AND a.state = 'open'
         LEFT JOIN variants v ON v.shop_id = a.shop_id AND v.id = a.variant_id
         LEFT JOIN products p ON p.shop_id = a.shop_id AND p.id = v.product_id
         LEFT JOIN locations l ON l.shop_id = a.shop_id AND l.id = a.location_id
         WHERE d.shop_id = ?1 AND d.state = 'pending' AND d.due_at <= ?2
         ORDER BY d.id LIMIT ?3",
        &[int(shop_id), text(now), int(i64::from(limit))],
    )
    .await
}

/// Claims `ids` for one run until `lease_until`: only those still due by `now` come back, so
/// two runs of the job never send the same delivery (one that dies mid-send frees it when
/// the lease ends).
pub async fn claim(db: &D1Database, shop_id: i64, ids: &[i64], now: &str, lease_until: &str) -> Result<Vec<i64>, AppError> {
    #[derive(Deserialize)]
    struct Id {
        id: i64,
    }
    let rows: Vec<Id> = all(
        db,
        "UPDATE channel_deliveries SET due_at = ?4
         WHERE shop_id = ?1 AND id IN (SELECT value FROM json_each(?2)) AND state = 'pending' AND due_at <= ?3 RETURNING id",
        &[int(shop_id), text(&serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())), text(now), text(lease_until)],
    )
    .await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// The earliest due time of the shop's held deliveries (channels not paused), if any.
pub async fn next_due(db: &D1Database, shop_id: i64) -> Result<Option<String>, AppError> {
    #[derive(Deserialize)]
    struct Next {
        due_at: Option<String>,
    }
    let r: Option<Next> = first(
        db,
        "SELECT MIN(d.due_at) AS due_at FROM channel_deliveries d JOIN alert_channels c ON c.id = d.channel_id
         WHERE d.shop_id = ?1 AND d.state = 'pending' AND c.paused_at IS NULL AND c.enabled = 1",
        &[int(shop_id)],
    )
    .await?;
    Ok(r.and_then(|r| r.due_at))
}

/// What one attempt did to its deliveries.
pub struct Attempted<'a> {
    pub ids: &'a [i64],
    /// `delivered`, `pending` (retried at `due_at`) or `failed`.
    pub state: &'static str,
    pub status: Option<u16>,
    pub error: Option<&'a str>,
    pub due_at: &'a str,
    /// Whether the attempt counts (a delivery held by quiet hours was not attempted).
    pub counted: bool,
}

pub fn record(db: &D1Database, shop_id: i64, a: &Attempted<'_>, now: &str) -> Result<D1PreparedStatement, AppError> {
    prepare(
        db,
        "UPDATE channel_deliveries SET state = ?3, attempts = attempts + ?4, last_status = COALESCE(?5, last_status),
             last_error = ?6, due_at = ?7, updated_at = ?8
         WHERE shop_id = ?1 AND id IN (SELECT value FROM json_each(?2))",
        &[
            int(shop_id),
            text(&serde_json::to_string(a.ids).unwrap_or_else(|_| "[]".into())),
            text(a.state),
            int(i64::from(a.counted)),
            opt_int(a.status.map(i64::from)),
            opt_text(a.error),
            text(a.due_at),
            text(now),
        ],
    )
}

/// A channel's run of failures: reset by a success, counted up by a failure, and the
/// channel paused with `pause` (its reason) when it keeps failing.
pub fn set_health(
    db: &D1Database,
    shop_id: i64,
    channel_id: i64,
    failures: i64,
    pause: Option<&str>,
    now: &str,
) -> Result<D1PreparedStatement, AppError> {
    prepare(
        db,
        "UPDATE alert_channels SET failures = ?3,
             paused_at = CASE WHEN ?4 IS NULL THEN paused_at ELSE ?5 END,
             paused_reason = COALESCE(?4, paused_reason)
         WHERE shop_id = ?1 AND id = ?2",
        &[int(shop_id), int(channel_id), int(failures), opt_text(pause), text(now)],
    )
}

#[derive(Debug, Clone, Deserialize)]
pub struct LogRow {
    pub channel: String,
    pub product_title: String,
    pub variant_title: String,
    pub alert_kind: String,
    pub state: String,
    pub attempts: i64,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub due_at: String,
    pub updated_at: String,
}

/// The delivery log: the shop's latest deliveries, newest first.
pub async fn log(db: &D1Database, shop_id: i64, limit: u32) -> Result<Vec<LogRow>, AppError> {
    all(
        db,
        "SELECT c.kind AS channel, COALESCE(p.title, '') AS product_title, COALESCE(v.title, '') AS variant_title, COALESCE(a.kind, '') AS alert_kind,
                d.state, d.attempts, d.last_status, d.last_error, d.due_at, d.updated_at
         FROM channel_deliveries d
         JOIN alert_channels c ON c.id = d.channel_id
         LEFT JOIN alerts a ON a.id = d.alert_id
         LEFT JOIN variants v ON v.shop_id = d.shop_id AND v.id = a.variant_id
         LEFT JOIN products p ON p.shop_id = d.shop_id AND p.id = v.product_id
         WHERE d.shop_id = ?1 ORDER BY d.id DESC LIMIT ?2",
        &[int(shop_id), int(i64::from(limit))],
    )
    .await
}

/// Deliveries older than `before` that are settled (the cleanup cron).
pub async fn prune(db: &D1Database, before: &str) -> Result<(), AppError> {
    run(db, "DELETE FROM channel_deliveries WHERE state != 'pending' AND updated_at < ?1", &[text(before)]).await
}
