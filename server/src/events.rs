//! The events queue: verified webhooks applied to D1.

/// Envelope check before queueing: the body must be a JSON object for a topic we handle.
pub fn validate(topic: &str, body: &[u8]) -> Result<(), String> {
    const TOPICS: [&str; 9] = [
        "orders/create",
        "products/create",
        "products/update",
        "products/delete",
        "inventory_levels/update",
        "app/uninstalled",
        "customers/data_request",
        "customers/redact",
        "shop/redact",
    ];
    if !TOPICS.contains(&topic) {
        return Err(format!("unsupported topic {topic}"));
    }
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(_)) => Ok(()),
        Ok(_) => Err("body is not a JSON object".into()),
        Err(e) => Err(format!("body is not JSON: {e}")),
    }
}

use domain::jobs::WebhookMessage;
use worker::{MessageBatch, MessageExt};

pub async fn consume(batch: MessageBatch<serde_json::Value>, env: &worker::Env) -> worker::Result<()> {
    for message in batch.messages()? {
        let outcome = match serde_json::from_value::<WebhookMessage>(message.body().clone()) {
            Ok(w) => crate::apply::apply(env, &w).await.map_err(|e| e.to_string()),
            Err(e) => Err(format!("undecodable event message: {e}")),
        };
        match outcome {
            Ok(()) => message.ack(),
            Err(error) => {
                worker::console_error!(
                    "{}",
                    serde_json::json!({"level": "error", "event": "webhook_apply_failed", "message_id": message.id(), "error": error})
                );
                message.retry();
            }
        }
    }
    Ok(())
}
