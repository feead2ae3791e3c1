//! Sync progress, one row per export (catalogue, orders): what the progress bar reads.

use crate::error::AppError;
use crate::server::d1::{batch_read, first, int, prepare, rows, run, text};
use serde::{Deserialize, Serialize};
use worker::{D1Database, D1PreparedStatement, D1Result};

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
    pub result_url: Option<String>,
    pub bytes_done: i64,
    pub bytes_total: Option<i64>,
    pub orders_days: Option<i64>,
}

const COLUMNS: &str = "id, kind, status, bulk_operation, objects_total, objects_done, error, started_at, finished_at, result_url, bytes_done, bytes_total, orders_days";

#[derive(Deserialize)]
struct Id {
    id: i64,
}

/// A sync is asked for (an install, "Sync now"): a queued catalogue run, so the progress
/// bar shows from the first page view rather than once the first step has run. None is
/// added while a run is already queued or running.
pub async fn queue(db: &D1Database, shop_id: i64, now: &str) -> Result<(), AppError> {
    run(
        db,
        "INSERT INTO sync_runs (shop_id, kind, status, started_at)
         SELECT ?1, 'catalog', 'queued', ?2
         WHERE NOT EXISTS (SELECT 1 FROM sync_runs WHERE shop_id = ?1 AND status IN ('queued', 'running'))",
        &[int(shop_id), text(now)],
    )
    .await
}

/// A queued run that will not start (the shop has no usable token) ends saying why.
pub async fn fail_queued(db: &D1Database, shop_id: i64, error: &str, now: &str) -> Result<(), AppError> {
    run(
        db,
        "UPDATE sync_runs SET status = 'failed', error = ?2, finished_at = ?3 WHERE shop_id = ?1 AND status = 'queued'",
        &[int(shop_id), text(error), text(now)],
    )
    .await
}

/// The export is under way: the queued run of its kind starts, or a new run does.
pub async fn start(db: &D1Database, shop_id: i64, kind: &str, bulk_operation: &str, now: &str) -> Result<i64, AppError> {
    let queued: Option<Id> = first(
        db,
        "UPDATE sync_runs SET status = 'running', bulk_operation = ?3, started_at = ?4
         WHERE id = (SELECT MIN(id) FROM sync_runs WHERE shop_id = ?1 AND kind = ?2 AND status = 'queued') RETURNING id",
        &[int(shop_id), text(kind), text(bulk_operation), text(now)],
    )
    .await?;
    if let Some(q) = queued {
        return Ok(q.id);
    }
    let row: Option<Id> = first(
        db,
        "INSERT INTO sync_runs (shop_id, kind, status, bulk_operation, started_at) VALUES (?1, ?2, 'running', ?3, ?4) RETURNING id",
        &[int(shop_id), text(kind), text(bulk_operation), text(now)],
    )
    .await?;
    row.map(|r| r.id).ok_or_else(|| crate::server::context::internal("sync run", "no id returned"))
}

pub async fn get(db: &D1Database, shop_id: i64, run_id: i64) -> Result<Option<SyncRun>, AppError> {
    first(db, &format!("SELECT {COLUMNS} FROM sync_runs WHERE shop_id = ?1 AND id = ?2"), &[int(shop_id), int(run_id)]).await
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

/// The export is ready: where it is, how many objects and bytes it holds.
pub async fn set_result(db: &D1Database, run_id: i64, url: &str, objects: i64, bytes: i64) -> Result<(), AppError> {
    run(
        db,
        "UPDATE sync_runs SET result_url = ?2, objects_total = ?3, bytes_total = NULLIF(?4, 0) WHERE id = ?1",
        &[int(run_id), text(url), int(objects), int(bytes)],
    )
    .await
}

/// Progress after a range, in the range's own batch. Orders read are counted per range
/// once: a retried range sets the same byte offset and does not add twice.
pub fn range_done(
    db: &D1Database,
    run_id: i64,
    bytes_done: u64,
    bytes_total: u64,
    orders: i64,
) -> Result<worker::D1PreparedStatement, AppError> {
    crate::server::d1::prepare(
        db,
        "UPDATE sync_runs SET objects_done = objects_done + CASE WHEN bytes_done < ?2 THEN ?4 ELSE 0 END,
                              bytes_done = MAX(bytes_done, ?2), bytes_total = ?3
         WHERE id = ?1",
        &[int(run_id), int(bytes_done as i64), int(bytes_total as i64), int(orders)],
    )
}

pub async fn set_orders_days(db: &D1Database, run_id: i64, days: u32) -> Result<(), AppError> {
    run(db, "UPDATE sync_runs SET orders_days = ?2 WHERE id = ?1", &[int(run_id), int(i64::from(days))]).await
}

pub async fn fail(db: &D1Database, run_id: i64, error: &str, now: &str) -> Result<(), AppError> {
    run(db, "UPDATE sync_runs SET status = 'failed', error = ?2, finished_at = ?3 WHERE id = ?1", &[int(run_id), text(error), text(now)])
        .await
}

/// What the progress bar reads: the latest run of each kind for the shop, the shop's
/// first day with sales in the history (`daily_sales_by_day` answers it), and the last day
/// the engine forecast (none yet: the first alerts are still being worked out).
pub struct Progress {
    pub latest: Vec<SyncRun>,
    pub first_sale_day: Option<String>,
    pub forecast_day: Option<String>,
}

/// The two reads of [`Progress`], for a caller to send in a batch with its own (one D1
/// round trip for the dashboard); [`progress_of`] reads their results.
pub fn progress_statements(db: &D1Database, shop_id: i64) -> Result<[D1PreparedStatement; 2], AppError> {
    Ok([
        prepare(
            db,
            &format!(
                "SELECT {COLUMNS} FROM sync_runs r WHERE shop_id = ?1
                   AND id = (SELECT MAX(id) FROM sync_runs WHERE shop_id = ?1 AND kind = r.kind)
                 ORDER BY id"
            ),
            &[int(shop_id)],
        )?,
        prepare(
            db,
            "SELECT (SELECT MIN(day) FROM daily_sales WHERE shop_id = ?1) AS day,
                    (SELECT MAX(day) FROM forecasts WHERE shop_id = ?1) AS forecast_day",
            &[int(shop_id)],
        )?,
    ])
}

pub fn progress_of(latest: &D1Result, first_day: &D1Result) -> Result<Progress, AppError> {
    #[derive(Deserialize)]
    struct Days {
        day: Option<String>,
        forecast_day: Option<String>,
    }
    let days = rows::<Days>(first_day)?.into_iter().next();
    let (first_sale_day, forecast_day) = days.map_or((None, None), |d| (d.day, d.forecast_day));
    Ok(Progress { latest: rows(latest)?, first_sale_day, forecast_day })
}

/// [`Progress`] on its own, in one round trip.
pub async fn read_progress(db: &D1Database, shop_id: i64) -> Result<Progress, AppError> {
    let results = batch_read(db, progress_statements(db, shop_id)?.into()).await?;
    let [latest, first_day] = results.as_slice() else {
        return Err(crate::server::context::internal("sync progress batch", "expected two results"));
    };
    progress_of(latest, first_day)
}
