//! Sync progress, one row per export (catalogue, orders): what the progress bar reads.

use crate::error::AppError;
use crate::server::d1::{all, first, int, run, text};
use serde::{Deserialize, Serialize};
use worker::D1Database;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncRun {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub bulk_operation: Option<String>,
    pub objects_total: Option<i64>,
    pub objects_done: i64,
    pub error: Option<String>,
    pub started_at: String,
    pub finished_at: Option<String>,
}

#[derive(Deserialize)]
struct Id {
    id: i64,
}

pub async fn start(db: &D1Database, shop_id: i64, kind: &str, bulk_operation: &str, now: &str) -> Result<i64, AppError> {
    let row: Option<Id> = first(
        db,
        "INSERT INTO sync_runs (shop_id, kind, status, bulk_operation, started_at) VALUES (?1, ?2, 'running', ?3, ?4) RETURNING id",
        &[int(shop_id), text(kind), text(bulk_operation), text(now)],
    )
    .await?;
    row.map(|r| r.id).ok_or_else(|| crate::server::context::internal("sync run", "no id returned"))
}

pub async fn get(db: &D1Database, shop_id: i64, run_id: i64) -> Result<Option<SyncRun>, AppError> {
    first(
        db,
        "SELECT id, kind, status, bulk_operation, objects_total, objects_done, error, started_at, finished_at
         FROM sync_runs WHERE shop_id = ?1 AND id = ?2",
        &[int(shop_id), int(run_id)],
    )
    .await
}

pub async fn progress(db: &D1Database, run_id: i64, objects_done: i64) -> Result<(), AppError> {
    run(db, "UPDATE sync_runs SET objects_done = ?2 WHERE id = ?1", &[int(run_id), int(objects_done)]).await
}

pub async fn finish(db: &D1Database, run_id: i64, objects: i64, now: &str) -> Result<(), AppError> {
    run(
        db,
        "UPDATE sync_runs SET status = 'done', objects_total = ?2, objects_done = ?2, finished_at = ?3 WHERE id = ?1",
        &[int(run_id), int(objects), text(now)],
    )
    .await
}

pub async fn fail(db: &D1Database, run_id: i64, error: &str, now: &str) -> Result<(), AppError> {
    run(
        db,
        "UPDATE sync_runs SET status = 'failed', error = ?2, finished_at = ?3 WHERE id = ?1",
        &[int(run_id), text(error), text(now)],
    )
    .await
}

/// The latest run of each kind for the shop.
pub async fn latest(db: &D1Database, shop_id: i64) -> Result<Vec<SyncRun>, AppError> {
    all(
        db,
        "SELECT id, kind, status, bulk_operation, objects_total, objects_done, error, started_at, finished_at
         FROM sync_runs r WHERE shop_id = ?1
           AND id = (SELECT MAX(id) FROM sync_runs WHERE shop_id = ?1 AND kind = r.kind)
         ORDER BY id",
        &[int(shop_id)],
    )
    .await
}
