//! The queue consumer: one message is one job run. A failure retries the message (the
//! queue's `max_retries`, then its dead-letter queue); the run row says what happened.

use app::error::AppError;
use app::server::{context, repo::{job_runs, shops}};
use domain::jobs::{Job, JobKind, JobMessage};
use worker::{D1Database, MessageBatch, MessageExt};

pub async fn consume(batch: MessageBatch<serde_json::Value>, env: &worker::Env) -> worker::Result<()> {
    let db = context::db(env).map_err(|e| worker::Error::RustError(e.to_string()))?;
    for message in batch.messages()? {
        let outcome = match serde_json::from_value::<Job>(message.body().clone()) {
            Ok(Job::Cron(job)) => run(env, &db, &job).await.map_err(|e| e.to_string()),
            Ok(Job::Recalculate { shop_id, variant_ids }) => recalculate(env, shop_id, variant_ids).await.map_err(|e| e.to_string()),
            Ok(Job::Sync(step)) => app::server::sync::run_step(env, &step).await.map_err(|e| e.to_string()),
            Err(e) => Err(format!("undecodable job message: {e}")),
        };
        match outcome {
            Ok(()) => message.ack(),
            Err(error) => {
                worker::console_error!(
                    "{}",
                    serde_json::json!({"level": "error", "event": "job_failed", "message_id": message.id(), "error": error})
                );
                message.retry();
            }
        }
    }
    Ok(())
}

async fn run(env: &worker::Env, db: &D1Database, job: &JobMessage) -> Result<(), AppError> {
    job_runs::start(db, job.run_id, &context::now_rfc3339()).await?;
    let rows_touched = match job.job {
        // Fan out: one message per shop, so each shop's recalculation has its own
        // invocation (CPU and subrequest limits) and retries alone. The engine refits the
        // weekly indices on every run, so the Sunday refit is a full recalculation too.
        JobKind::RecalculateAlerts | JobKind::RefitSeasonality => {
            let shops = shops::installed_ids(db).await?;
            let jobs: Vec<Job> = shops.iter().map(|&shop_id| Job::Recalculate { shop_id, variant_ids: None }).collect();
            app::server::queue::send(env, jobs, 0).await?;
            shops.len() as i64
        }
        // Digests and retention arrive with the operations issue; until then their runs
        // record that the trigger fired and was consumed.
        JobKind::SendDigests | JobKind::Cleanup => 0,
    };
    job_runs::finish(db, job.run_id, rows_touched, &context::now_rfc3339()).await
}

async fn recalculate(env: &worker::Env, shop_id: i64, variants: Option<Vec<i64>>) -> Result<(), AppError> {
    let started = worker::Date::now().as_millis();
    let summary = app::server::recalc::recalculate(env, shop_id, variants.as_deref(), context::today()).await?;
    worker::console_log!(
        "{}",
        serde_json::json!({"level": "info", "event": "alerts_recalculated", "shop_id": shop_id,
            "variants": variants.as_ref().map(Vec::len), "positions": summary.positions, "opened": summary.opened,
            "updated": summary.updated, "resolved": summary.resolved, "ms": worker::Date::now().as_millis() - started})
    );
    Ok(())
}
