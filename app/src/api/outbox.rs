//! The developer's outbox: mail captured instead of sent (`MAIL_TRANSPORT` unset or
//! "capture"), and a button that runs the digest job now. Both answer 404 wherever mail is
//! really sent, so they cannot mail anyone or reveal messages in production.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxMessage {
    pub id: i64,
    pub tag: String,
    pub sender: String,
    pub recipients: Vec<String>,
    pub subject: String,
    pub html: String,
    pub text: String,
    pub created_at: String,
    /// (file name, `data:` URL) of each attachment.
    pub attachments: Vec<(String, String)>,
}

#[cfg(feature = "ssr")]
fn capture_only(env: &worker::Env) -> Result<(), AppError> {
    use crate::server::mail::{transport_kind, TransportKind};
    match transport_kind(env) {
        Ok(TransportKind::Capture) => Ok(()),
        _ => Err(AppError::NotFound("The outbox".into())),
    }
}

/// The signed-in shop's newest captured messages.
#[server(endpoint = "dev/outbox", output = crate::api::codec::Json)]
pub async fn list_outbox() -> Result<Vec<OutboxMessage>, AppError> {
    use crate::server::context::{run, worker_env};
    use crate::server::session::current_shop;
    run(async move {
        let env = worker_env().await?;
        capture_only(&env)?;
        let shop = current_shop(&env).await?;
        let rows = crate::server::repo::digests::outbox(&shop.db, shop.id, 20).await?;
        Ok(rows
            .into_iter()
            .map(|r| OutboxMessage {
                id: r.id,
                tag: r.tag,
                sender: r.sender,
                recipients: serde_json::from_str(&r.recipients).unwrap_or_default(),
                subject: r.subject,
                html: r.html,
                text: r.text,
                created_at: r.created_at,
                attachments: r
                    .attachments
                    .and_then(|a| serde_json::from_str::<Vec<crate::server::mail::Attachment>>(&a).ok())
                    .unwrap_or_default()
                    .into_iter()
                    .map(|a| (a.filename, format!("data:{};base64,{}", a.content_type, a.base64)))
                    .collect(),
            })
            .collect())
    })
    .await
}

/// Runs the digest job as the hourly cron would at this moment; returns digests sent.
#[server(endpoint = "dev/send_digests", output = crate::api::codec::Json)]
pub async fn send_digests_now() -> Result<u64, AppError> {
    use crate::server::context::{run, worker_env};
    use crate::server::session::current_shop;
    run(async move {
        let env = worker_env().await?;
        capture_only(&env)?;
        current_shop(&env).await?;
        crate::server::digest::send_digests(&env, worker::Date::now().as_millis()).await
    })
    .await
}
