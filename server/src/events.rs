//! The events queue's consumer: decodes messages (and fetches bodies too large for the
//! queue from KV), hands each verified webhook to `app::server::ingest`, and acknowledges
//! or retries it.

use app::server::faults::{self, Fault};
use app::server::ingest::Batch;
use app::server::{log, metrics, shards};
use domain::jobs::WebhookMessage;
use domain::ShopDomain;
use std::collections::BTreeMap;
use worker::{MessageBatch, MessageExt, QueueRetryOptionsBuilder};

pub async fn consume(batch: MessageBatch<serde_json::Value>, env: &worker::Env) -> worker::Result<()> {
    app::server::d1::begin_usage();
    let outcome = consume_batch(batch, env).await;
    // What the batch cost in D1's billed units (docs/scale.md).
    let (rows_read, rows_written) = app::server::d1::take_usage();
    log::info("webhook_batch_rows").field("rows_read", rows_read).field("rows_written", rows_written).emit();
    outcome
}

async fn consume_batch(batch: MessageBatch<serde_json::Value>, env: &worker::Env) -> worker::Result<()> {
    let messages = batch.messages()?;
    let mut decoded: Vec<Decoded> = messages
        .iter()
        .map(|m| {
            serde_json::from_value::<WebhookMessage>(m.body().clone())
                .map_err(|e| Unready::Undecodable(format!("undecodable event message: {e}")))
        })
        .collect();
    fetch_large_bodies(env, &mut decoded).await;
    // Each shop's webhooks go to its shard. A shop the directory does not know (not
    // installed, or erased) goes with shard 0, where `apply` finds no shop, as before sharding.
    let mut by_shard: BTreeMap<usize, (Vec<worker::Message<serde_json::Value>>, Vec<Decoded>)> = BTreeMap::new();
    for (message, d) in messages.into_iter().zip(decoded) {
        let index = match d.as_ref().ok().and_then(|w| ShopDomain::parse(&w.shop).ok()) {
            Some(domain) => match shards::of_domain(env, domain.as_str()).await {
                Ok(Some(p)) if p.moving => {
                    // Its data is being copied to another shard: the webhook waits and then
                    // applies there (or here, if the move is abandoned).
                    log::info("webhook_waits_for_move").field("message_id", message.id()).field("shop", domain.as_str()).emit();
                    message.retry_with_options(&crate::jobs::backoff(env, &message));
                    continue;
                }
                Ok(placed) => placed.map_or(0, |p| p.shard.index),
                Err(e) => {
                    // The directory did not answer: this message waits, the others go on.
                    log::error("webhook_shard_unavailable").field("message_id", message.id()).field("error", e.to_string()).emit();
                    message.retry_with_options(&crate::jobs::backoff(env, &message));
                    continue;
                }
            },
            None => 0,
        };
        let group = by_shard.entry(index).or_default();
        group.0.push(message);
        group.1.push(d);
    }
    let mut outcome = Ok(());
    for (index, (messages, decoded)) in by_shard {
        let result = match shards::shard(env, index) {
            Ok(shard) => consume_on(&shard.db, env, messages, decoded).await,
            Err(e) => {
                for m in &messages {
                    m.retry_with_options(&crate::jobs::backoff(env, m));
                }
                Err(worker::Error::RustError(e.to_string()))
            }
        };
        if let Err(e) = result {
            log::error("webhook_shard_failed").field("shard", index).field("error", e.to_string()).emit();
            outcome = Err(e);
        }
    }
    outcome
}

/// One shard's share of a batch. If the shard cannot be read, its messages are retried and
/// the other shards' are not held up.
async fn consume_on(
    db: &worker::D1Database,
    env: &worker::Env,
    messages: Vec<worker::Message<serde_json::Value>>,
    decoded: Vec<Decoded>,
) -> worker::Result<()> {
    // The ledger and the shops, read once for the shard's share of the batch.
    let ok: Vec<&WebhookMessage> = decoded.iter().filter_map(|d| d.as_ref().ok()).collect();
    let mut ingest = match Batch::load(db, &ok).await {
        Ok(b) => b,
        Err(e) => {
            // The shard did not answer: its webhooks wait, backing off, and apply later;
            // the batch's other shards are not held up.
            log::error("webhook_shard_unavailable").field("messages", messages.len()).field("error", e.to_string()).emit();
            for m in &messages {
                m.retry_with_options(&crate::jobs::backoff(env, m));
            }
            return Ok(());
        }
    };
    let mut applied = Vec::new();
    let outcome = apply_all(messages, decoded, db, env, &mut ingest, &mut applied).await;
    let queued = ingest.recalculate_touched(db, env).await;
    // Acknowledged once their recalculation is queued; otherwise redelivered, and a
    // redelivered webhook that was already applied queues its variants' recalculation again.
    for message in applied {
        if queued {
            message.ack();
        } else {
            message.retry();
        }
    }
    outcome
}

/// Why a message cannot be applied yet.
enum Unready {
    Undecodable(String),
    /// Its body, too large for the queue, is not readable in KV (yet: KV is eventually
    /// consistent across locations, so a body written a moment ago may not show here).
    BodyPending(String),
}

type Decoded = Result<WebhookMessage, Unready>;

/// How long a message whose body is not yet visible in KV waits before it is tried again:
/// KV shows a write everywhere within about a minute.
const BODY_PENDING_DELAY_SECS: u32 = 60;

/// Puts back the bodies that were too large for the queue and wait in KV. A body that
/// cannot be read leaves its message failed: retried, and dead-lettered in the end.
async fn fetch_large_bodies(env: &worker::Env, decoded: &mut [Decoded]) {
    for d in decoded.iter_mut() {
        let Ok(w) = d else { continue };
        let Some(key) = w.body_key.clone() else { continue };
        let body = match env.kv(app::server::bindings::KV) {
            Ok(kv) => kv.get(&key).text().await.map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        *d = match body {
            Ok(Some(body)) => {
                w.body = body;
                w.body_key = None;
                continue;
            }
            Ok(None) => Err(Unready::BodyPending(format!("webhook {} body not in KV yet ({key})", w.webhook_id))),
            Err(e) => Err(Unready::BodyPending(format!("webhook {} body unreadable ({key}): {e}", w.webhook_id))),
        };
    }
}

async fn apply_all(
    messages: Vec<worker::Message<serde_json::Value>>,
    decoded: Vec<Decoded>,
    db: &worker::D1Database,
    env: &worker::Env,
    ingest: &mut Batch,
    applied: &mut Vec<worker::Message<serde_json::Value>>,
) -> worker::Result<()> {
    for (message, decoded) in messages.into_iter().zip(decoded) {
        let started = worker::Date::now().as_millis();
        let fault = match &decoded {
            Ok(w) => faults::take(env, &w.webhook_id).await,
            Err(_) => None,
        };
        let outcome = match (&decoded, fault) {
            (Ok(_), Some(Fault::Fail | Fault::FailOnce)) => Err("injected fault".to_string()),
            (Ok(w), _) => ingest.apply(db, env, w).await.map_err(|e| e.to_string()),
            (Err(Unready::Undecodable(e) | Unready::BodyPending(e)), _) => Err(e.clone()),
        };
        let (shop, topic) = decoded.as_ref().map_or(("", ""), |w| (w.shop.as_str(), w.topic.as_str()));
        match outcome {
            Ok(()) => {
                if fault == Some(Fault::CrashAfterApply) {
                    // This message and the rest of the batch stay unacknowledged: redelivered.
                    return Err(worker::Error::RustError("injected crash after apply".into()));
                }
                metrics::record(env, "webhook_applied", shop, topic, (worker::Date::now().as_millis() - started) as f64);
                applied.push(message);
            }
            Err(error) => {
                log::error("webhook_apply_failed").field("message_id", message.id()).field("error", &error).emit();
                metrics::record(env, "webhook_apply_failed", shop, topic, 0.0);
                if matches!(decoded, Err(Unready::BodyPending(_))) {
                    message.retry_with_options(&QueueRetryOptionsBuilder::new().with_delay_seconds(BODY_PENDING_DELAY_SECS).build());
                } else {
                    message.retry();
                }
            }
        }
    }
    Ok(())
}
