//! Applying a verified webhook to D1 (filled in with the typed payloads of
//! `domain::shopify::webhooks`). Until then every event is retried into the DLQ, so
//! nothing is acknowledged without being applied.

use app::error::AppError;
use domain::jobs::WebhookMessage;

pub async fn apply(_env: &worker::Env, w: &WebhookMessage) -> Result<(), AppError> {
    Err(AppError::Internal(format!("no handler yet for {}", w.topic)))
}
