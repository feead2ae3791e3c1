//! The ledger of applied webhooks: "applied once" is decided here.

use crate::error::AppError;
use crate::server::d1::{first, int, prepare, text};
use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement};

#[derive(Deserialize)]
struct Seen {
    #[allow(dead_code)]
    one: i64,
}

pub async fn already_applied(db: &D1Database, webhook_id: &str) -> Result<bool, AppError> {
    let row: Option<Seen> = first(db, "SELECT 1 AS one FROM webhook_events WHERE webhook_id = ?1", &[text(webhook_id)]).await?;
    Ok(row.is_some())
}

/// Goes in the same batch as the webhook's changes: a concurrent duplicate makes the
/// primary key fail and the whole batch roll back, so the changes apply exactly once.
pub fn record(
    db: &D1Database,
    webhook_id: &str,
    shop_id: i64,
    topic: &str,
    received_at: &str,
    now: &str,
) -> Result<D1PreparedStatement, AppError> {
    prepare(
        db,
        "INSERT INTO webhook_events (webhook_id, shop_id, topic, received_at, applied_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        &[text(webhook_id), int(shop_id), text(topic), text(received_at), text(now)],
    )
}
