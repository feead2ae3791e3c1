//! The record of every scheduled job run: claimed once per slot, then started and finished
//! by the queue consumer.

use crate::error::AppError;
use crate::server::d1::{all, first, int, run, text};
use serde::{Deserialize, Serialize};
use worker::D1Database;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobRun {
    pub id: i64,
    pub job: String,
    pub slot: String,
    pub status: String,
    pub rows_touched: i64,
    pub error: Option<String>,
    pub scheduled_at: String,
    pub finished_at: Option<String>,
}

#[derive(Deserialize)]
struct Id {
    id: i64,
}

/// Records a run for `slot` and returns its id, or `None` if that slot was already claimed
/// (a cron delivered twice does its work once).
pub async fn claim(db: &D1Database, job: &str, slot: &str, cron: &str, scheduled_at: &str) -> Result<Option<i64>, AppError> {
    let row: Option<Id> = first(
        db,
        "INSERT INTO job_runs (job, slot, cron, scheduled_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(slot) DO NOTHING RETURNING id",
        &[text(job), text(slot), text(cron), text(scheduled_at)],
    )
    .await?;
    Ok(row.map(|r| r.id))
}

pub async fn start(db: &D1Database, id: i64, now: &str) -> Result<(), AppError> {
    run(db, "UPDATE job_runs SET status = 'running', started_at = ?2, error = NULL WHERE id = ?1", &[int(id), text(now)]).await
}

pub async fn finish(db: &D1Database, id: i64, rows_touched: i64, now: &str) -> Result<(), AppError> {
    run(
        db,
        "UPDATE job_runs SET status = 'done', rows_touched = ?2, finished_at = ?3 WHERE id = ?1",
        &[int(id), int(rows_touched), text(now)],
    )
    .await
}

pub async fn fail(db: &D1Database, id: i64, error: &str, now: &str) -> Result<(), AppError> {
    run(db, "UPDATE job_runs SET status = 'failed', error = ?2, finished_at = ?3 WHERE id = ?1", &[int(id), text(error), text(now)]).await
}

pub async fn recent(db: &D1Database, limit: u32) -> Result<Vec<JobRun>, AppError> {
    all(
        db,
        "SELECT id, job, slot, status, rows_touched, error, scheduled_at, finished_at
         FROM job_runs ORDER BY id DESC LIMIT ?1",
        &[int(limit.into())],
    )
    .await
}
