//! Cron Triggers: claim the slot (once per scheduled minute) and hand the run to the
//! queue, so the handler stays short and a retry repeats only the job itself.

use app::error::AppError;
use app::server::log;
use app::server::{bindings, context, repo::job_runs};
use domain::jobs::{slot, Job, JobKind, JobMessage};

pub async fn on_schedule(cron: &str, scheduled_ms: u64, env: &worker::Env) {
    if let Err(e) = schedule(cron, scheduled_ms, env).await {
        log::error("cron_failed").field("cron", cron).field("error", e.to_string()).emit();
    }
}

async fn schedule(cron: &str, scheduled_ms: u64, env: &worker::Env) -> Result<(), AppError> {
    let Some(kind) = JobKind::for_cron(cron) else {
        log::warn("cron_unknown").field("cron", cron).emit();
        return Ok(());
    };
    let at = chrono::DateTime::from_timestamp_millis(scheduled_ms as i64).unwrap_or_default();
    let slot = slot(kind, at);
    let db = app::server::shards::directory_db(env)?;
    let scheduled_at = at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let Some(run_id) = job_runs::claim(&db, kind.as_str(), &slot, cron, &scheduled_at).await? else {
        log::info("cron_duplicate").field("slot", &slot).emit();
        return Ok(());
    };
    let message = Job::Cron(JobMessage { run_id, job: kind, slot });
    let sent = match env.queue(bindings::JOBS_QUEUE) {
        Ok(queue) => queue.send(&message).await,
        Err(e) => Err(e),
    };
    if let Err(e) = sent {
        // Leave a visible failed run rather than one stuck in "queued".
        job_runs::fail(&db, run_id, &format!("could not enqueue: {e}"), &context::now_rfc3339()).await?;
        return Err(context::internal("enqueue job", e));
    }
    Ok(())
}
