//! Sending work to the jobs queue (`domain::jobs::Job`), optionally delayed.

use super::{bindings, context::internal};
use crate::error::AppError;
use domain::jobs::Job;

pub async fn send(env: &worker::Env, jobs: Vec<Job>, delay_secs: u32) -> Result<(), AppError> {
    if jobs.is_empty() {
        return Ok(());
    }
    let queue = env.queue(bindings::JOBS_QUEUE).map_err(|e| internal("jobs queue", e))?;
    // A queue batch holds at most 100 messages.
    for chunk in jobs.chunks(100) {
        let messages = chunk
            .iter()
            .map(|j| {
                let b = worker::MessageBuilder::new(j);
                if delay_secs > 0 {
                    b.delay_seconds(delay_secs).build()
                } else {
                    b.build()
                }
            })
            .collect::<Vec<_>>();
        queue.send_batch(messages).await.map_err(|e| internal("enqueue jobs", e))?;
    }
    Ok(())
}

/// Recalculates the shop's alerts soon (all variants, or only `variants`).
pub async fn recalculate(env: &worker::Env, shop_id: i64, variants: Option<Vec<i64>>) -> Result<(), AppError> {
    send(env, vec![Job::Recalculate { shop_id, variant_ids: variants }], 0).await
}
