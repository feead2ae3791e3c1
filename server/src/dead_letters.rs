//! The dead-letter queues' consumer: every message that exhausted its retries is stored in
//! D1 (`dead_letters`) and logged as an error for the operator; nothing is applied.

use app::server::log;
use app::server::{context, d1::batch, metrics, repo::dead_letters};
use worker::{MessageBatch, MessageExt};

pub async fn consume(messages: MessageBatch<serde_json::Value>, env: &worker::Env) -> worker::Result<()> {
    // Kept with the shop-less tables, in the directory's database.
    let db = app::server::shards::directory_db(env).map_err(|e| worker::Error::RustError(e.to_string()))?;
    let queue = messages.queue();
    let now = context::now_rfc3339();
    let all = messages.messages()?;
    let mut statements = Vec::with_capacity(all.len());
    for m in &all {
        let body = m.body().to_string();
        log::error("dead_letter").field("queue", &queue).field("message_id", m.id()).field("body", &body).emit();
        metrics::record(env, "dead_letter", "", &queue, 0.0);
        statements.push(dead_letters::store(&db, &queue, &m.id(), &body, &now).map_err(|e| worker::Error::RustError(e.to_string()))?);
    }
    // Stored in one batch, then acknowledged; a failure retries the whole batch, and the
    // message id keeps a retried message from being stored twice.
    batch(&db, statements).await.map_err(|e| worker::Error::RustError(e.to_string()))?;
    messages.ack_all();
    Ok(())
}
