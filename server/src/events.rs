//! The events queue: verified webhooks applied to D1.

/// Envelope check before queueing: a topic we subscribe to and a body of its shape.
pub fn validate(topic: &str, body: &[u8]) -> Result<(), String> {
    let topic = domain::shopify::webhooks::Topic::parse(topic).map_err(|e| e.to_string())?;
    domain::shopify::webhooks::parse(topic, body).map(|_| ()).map_err(|e| e.to_string())
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
