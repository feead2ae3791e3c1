//! The ledger of applied webhooks: "applied once" is decided here.

use crate::error::AppError;
use crate::server::context::internal;
use crate::server::d1::{all, int, prepare, text};
use serde::Deserialize;
use std::collections::HashSet;
use worker::{D1Database, D1PreparedStatement};

#[derive(Deserialize)]
struct Seen {
    webhook_id: String,
}

/// Which of a batch's webhook ids the ledger already holds: one query for the batch.
pub async fn applied_among(db: &D1Database, webhook_ids: &[&str]) -> Result<HashSet<String>, AppError> {
    if webhook_ids.is_empty() {
        return Ok(HashSet::new());
    }
    let ids = serde_json::to_string(webhook_ids).map_err(|e| internal("webhook ids", e))?;
    let rows: Vec<Seen> =
        all(db, "SELECT webhook_id FROM webhook_events WHERE webhook_id IN (SELECT value FROM json_each(?1))", &[text(&ids)]).await?;
    Ok(rows.into_iter().map(|r| r.webhook_id).collect())
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
