//! The queue consumer: one message is one job run. A failure retries the message after a
//! wait that doubles each time (`domain::jobs::retry_delay_secs`; the queue's
//! `max_retries`, then its dead-letter queue); the run row says what happened.

use app::error::AppError;
use app::server::log;
use app::server::{
    context,
    repo::{job_runs, shops},
    shards,
};
use domain::jobs::{Job, JobKind, JobMessage, SyncStep, NIGHTLY_ORDER_DAYS};
use worker::{D1Database, MessageBatch, MessageExt, QueueRetryOptionsBuilder};

pub async fn consume(batch: MessageBatch<serde_json::Value>, env: &worker::Env) -> worker::Result<()> {
    // Job runs are kept with the directory; a shop's own work reaches its shard through it.
    let db = shards::directory_db(env).map_err(|e| worker::Error::RustError(e.to_string()))?;
    for message in batch.messages()? {
        let started = worker::Date::now().as_millis();
        app::server::d1::begin_usage(); // from here on, this job's rows

        let job = serde_json::from_value::<Job>(message.body().clone());
        let (kind, shop) = match &job {
            Ok(Job::Cron(j)) => (format!("cron:{:?}", j.job), String::new()),
            Ok(Job::Sync(step)) => ("sync".to_string(), step.shop_id().to_string()),
            Ok(Job::Recalculate { shop_id, .. }) => ("recalculate".to_string(), shop_id.to_string()),
            Ok(Job::Refit { shop_id }) => ("refit".to_string(), shop_id.to_string()),
            Ok(Job::Deliver { shop_id }) => ("deliver".to_string(), shop_id.to_string()),
            Err(_) => ("undecodable".to_string(), String::new()),
        };
        // A shop erased (or never placed) since its job was queued: nothing left to do.
        let shop_id = match &job {
            Ok(Job::Sync(step)) => Some(step.shop_id()),
            Ok(Job::Recalculate { shop_id, .. } | Job::Refit { shop_id } | Job::Deliver { shop_id }) => Some(*shop_id),
            _ => None,
        };
        if let Some(id) = shop_id {
            match shards::of_shop(env, id).await {
                Ok(Some(p)) if p.moving => {
                    // Its data is being copied to another shard: the job runs once it is there.
                    log::info("job_waits_for_move").field("shop_id", id).field("kind", &kind).emit();
                    message.retry_with_options(&backoff(env, &message));
                    continue;
                }
                Ok(Some(_)) => {}
                Ok(None) => {
                    log::warn("job_for_unknown_shop").field("shop_id", id).field("kind", &kind).emit();
                    message.ack();
                    continue;
                }
                Err(e) => {
                    // The directory did not answer: the job waits and tries again.
                    log::error("job_failed").field("message_id", message.id()).field("error", e.to_string()).emit();
                    message.retry_with_options(&backoff(env, &message));
                    continue;
                }
            }
        }
        let outcome = match job {
            Ok(Job::Cron(job)) => match run(env, &db, &job).await {
                Ok(()) => Ok(()),
                Err(e) => {
                    // Visible in the job-run list; the message is retried.
                    let _ = job_runs::fail(&db, job.run_id, &e.to_string(), &context::now_rfc3339()).await;
                    Err(e.to_string())
                }
            },
            Ok(Job::Recalculate { shop_id, variant_ids }) => async {
                // The shop's own day: its sales are counted in shop-local days.
                let today = shops::local_today(&shards::shop_db(env, shop_id).await?, shop_id).await?;
                recalculate(env, shop_id, variant_ids, today).await
            }
            .await
            .map_err(|e: AppError| e.to_string()),
            Ok(Job::Refit { shop_id }) => refit(env, shop_id).await.map_err(|e| e.to_string()),
            Ok(Job::Deliver { shop_id }) => app::server::channels::deliver(env, shop_id).await.map_err(|e| e.to_string()),
            Ok(Job::Sync(step)) => app::server::sync::run_step(env, &step).await.map_err(|e| e.to_string()),
            Err(e) => Err(format!("undecodable job message: {e}")),
        };
        let ms = (worker::Date::now().as_millis() - started) as f64;
        // What the job cost in D1's billed units (docs/scale.md turns them into money).
        let (rows_read, rows_written) = app::server::d1::take_usage();
        log::info("job_rows")
            .field("kind", &kind)
            .field("shop_id", &shop)
            .field("ms", ms)
            .field("rows_read", rows_read)
            .field("rows_written", rows_written)
            .emit();
        match outcome {
            Ok(()) => {
                app::server::metrics::record(env, "job_done", &shop, &kind, ms);
                message.ack()
            }
            Err(error) => {
                log::error("job_failed").field("message_id", message.id()).field("error", &error).emit();
                app::server::metrics::record(env, "job_failed", &shop, &kind, ms);
                // Not at once: the cause (Shopify down, D1 busy) needs time to pass.
                message.retry_with_options(&backoff(env, &message));
            }
        }
    }
    Ok(())
}

/// The first retry's wait (`JOB_RETRY_BASE_SECS`; 30 s unless set: local development sets
/// 2 so the end-to-end tests need not wait).
fn retry_base_secs(env: &worker::Env) -> u32 {
    env.var("JOB_RETRY_BASE_SECS").ok().and_then(|v| v.to_string().parse().ok()).unwrap_or(30)
}

/// The wait before a failed message's next attempt: about as long as it has existed, so
/// the waits double (`domain::jobs::retry_delay_secs`). Shared with the events consumer,
/// whose webhooks wait the same way while their shop's shard is down.
pub(crate) fn backoff<T>(env: &worker::Env, message: &worker::Message<T>) -> worker::QueueRetryOptions {
    let age = (worker::Date::now().as_millis().saturating_sub(message.timestamp().as_millis())) as f64 / 1000.0;
    QueueRetryOptionsBuilder::new().with_delay_seconds(domain::jobs::retry_delay_secs(age, retry_base_secs(env))).build()
}

async fn run(env: &worker::Env, db: &D1Database, job: &JobMessage) -> Result<(), AppError> {
    job_runs::start(db, job.run_id, &context::now_rfc3339()).await?;
    let rows_touched = match job.job {
        // Fan out: one message per shop, so each shop's run has its own invocation (CPU
        // and subrequest limits) and retries alone. The nightly run is the daily full sync
        // (catalogue, recent orders) — which ends with a recalculation — or, for a shop
        // the app cannot reach, a recalculation. The Sunday run refits each shop's
        // seasonal patterns over a longer history, then recalculates with them.
        JobKind::RecalculateAlerts | JobKind::RefitSeasonality => {
            let nightly = job.job == JobKind::RecalculateAlerts;
            let mut queued = 0;
            let mut failed = Vec::new();
            // Shard by shard: one that cannot be read is reported, and the others' shops
            // still get their run.
            for shard in shards::all(env)? {
                let shops = match shops::installed(&shard.db).await {
                    Ok(s) => s,
                    Err(e) => {
                        log::error("shard_unreadable")
                            .field("shard", shard.index)
                            .field("job", job.job.as_str())
                            .field("error", e.to_string())
                            .emit();
                        failed.push(shard.index);
                        continue;
                    }
                };
                let jobs: Vec<Job> = shops
                    .iter()
                    .map(|s| match (nightly, s.has_token == 1) {
                        (true, true) => Job::Sync(SyncStep::Start { shop_id: s.id, orders_days: NIGHTLY_ORDER_DAYS }),
                        (true, false) => Job::Recalculate { shop_id: s.id, variant_ids: None },
                        (false, _) => Job::Refit { shop_id: s.id },
                    })
                    .collect();
                app::server::queue::send(env, jobs, 0).await?;
                queued += shops.len() as i64;
            }
            if !failed.is_empty() {
                // Not retried: the healthy shards' shops were queued already and would run twice.
                return job_runs::fail(
                    db,
                    job.run_id,
                    &format!("shards {failed:?} could not be read; {queued} shops queued"),
                    &context::now_rfc3339(),
                )
                .await;
            }
            queued
        }
        JobKind::SendDigests => app::server::digest::send_digests(env, worker::Date::now().as_millis()).await? as i64,
        JobKind::Cleanup => {
            let day = |back: u64| context::today().checked_sub_days(chrono::Days::new(back)).unwrap_or_default().to_string();
            let mut rows = 0;
            for shard in shards::all(env)? {
                app::server::repo::digests::prune(&shard.db, &day(30), &day(90)).await?;
                app::server::repo::channels::prune(&shard.db, &day(30)).await?;
                rows += app::server::retention::apply(&shard.db, context::today()).await? as i64;
            }
            rows
        }
    };
    job_runs::finish(db, job.run_id, rows_touched, &context::now_rfc3339()).await
}

async fn refit(env: &worker::Env, shop_id: i64) -> Result<(), AppError> {
    let started = worker::Date::now().as_millis();
    // The shop's own day: its sales are counted in shop-local days.
    let today = shops::local_today(&shards::shop_db(env, shop_id).await?, shop_id).await?;
    let patterns = app::server::seasonal::refit(env, shop_id, today).await?;
    log::info("seasonality_refitted")
        .field("shop_id", shop_id)
        .field("patterns", patterns)
        .field("ms", worker::Date::now().as_millis() - started)
        .emit();
    recalculate(env, shop_id, None, today).await
}

async fn recalculate(env: &worker::Env, shop_id: i64, variants: Option<Vec<i64>>, today: chrono::NaiveDate) -> Result<(), AppError> {
    let started = worker::Date::now().as_millis();
    let summary = app::server::recalc::recalculate(env, shop_id, variants.as_deref(), today).await?;
    log::info("alerts_recalculated")
        .field("shop_id", shop_id)
        .field("variants", variants.as_ref().map(Vec::len))
        .field("positions", summary.positions)
        .field("opened", summary.opened)
        .field("updated", summary.updated)
        .field("resolved", summary.resolved)
        .field("ms", worker::Date::now().as_millis() - started)
        .field("read_ms", summary.read_ms)
        .field("engine_ms", summary.engine_ms)
        .field("write_ms", summary.write_ms)
        .emit();
    Ok(())
}
