//! The queue consumer: one message is one job run. A failure retries the message (the
//! queue's `max_retries`, then its dead-letter queue); the run row says what happened.

use app::error::AppError;
use app::server::{context, repo::job_runs};
use domain::jobs::{Job, JobMessage};
use worker::{D1Database, MessageBatch, MessageExt};

pub async fn consume(batch: MessageBatch<serde_json::Value>, env: &worker::Env) -> worker::Result<()> {
    let db = context::db(env).map_err(|e| worker::Error::RustError(e.to_string()))?;
    for message in batch.messages()? {
        let outcome = match serde_json::from_value::<Job>(message.body().clone()) {
            Ok(Job::Cron(job)) => run(&db, &job).await.map_err(|e| e.to_string()),
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

async fn run(db: &D1Database, job: &JobMessage) -> Result<(), AppError> {
    job_runs::start(db, job.run_id, &context::now_rfc3339()).await?;
    // Each job's work (recalculation, digests, seasonal refit, retention) arrives with its
    // own issue; until then a run records that its trigger fired and was consumed.
    let rows_touched = 0;
    job_runs::finish(db, job.run_id, rows_touched, &context::now_rfc3339()).await
}
