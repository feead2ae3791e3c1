//! Outgoing mail behind one interface, with the transport chosen by configuration:
//! - `MAIL_TRANSPORT = "capture"` (the default when unset, so a local run never mails
//!   anyone): the message is written to D1's `outbox` table, which `/dev/outbox` shows and
//!   tests read.
//! - `MAIL_TRANSPORT = "http"`: POST JSON `{from, to, subject, html, text, attachments}` to
//!   `MAIL_HTTP_ENDPOINT` with `Authorization: Bearer $MAIL_HTTP_TOKEN` (a secret) and an
//!   `Idempotency-Key` — the shape of Resend's `/emails` and similar APIs.
//!
//! The sender address is `MAIL_FROM` (default `Stock Sentry <digest@localhost>`).

use super::d1::{int, run, text};
use crate::error::AppError;
use worker::wasm_bindgen::JsValue;
use worker::D1Database;

pub const TRANSPORT_VAR: &str = "MAIL_TRANSPORT";
pub const ENDPOINT_VAR: &str = "MAIL_HTTP_ENDPOINT";
pub const TOKEN_SECRET: &str = "MAIL_HTTP_TOKEN";
pub const FROM_VAR: &str = "MAIL_FROM";
const DEFAULT_FROM: &str = "Stock Sentry <digest@localhost>";

#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub shop_id: Option<i64>,
    /// What kind of mail this is ("digest"), for the outbox and the logs.
    pub tag: &'static str,
    /// The same key for the same logical message: a provider that honours it sends once.
    pub idempotency_key: Option<String>,
    pub from: String,
    pub to: Vec<String>,
    pub subject: String,
    pub html: String,
    pub text: String,
    /// Files sent along (a purchase order's PDF and CSV).
    pub attachments: Vec<Attachment>,
}

/// A file attached to a message, its content base64-encoded (as email APIs take it).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub base64: String,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("mail is misconfigured: {0}")]
    Config(String),
    /// Worth trying again later (network, 429, 5xx).
    #[error("mail provider unavailable: {0}")]
    Unavailable(String),
    /// The provider refused this message; retrying will not help.
    #[error("mail provider refused the message ({status}): {body}")]
    Refused { status: u16, body: String },
    #[error("could not write the outbox: {0}")]
    Outbox(String),
}

impl From<MailError> for AppError {
    fn from(e: MailError) -> Self {
        super::context::internal("mail", e)
    }
}

/// Sends one message. Implementations: [`CaptureMailer`] and [`HttpMailer`].
#[allow(async_fn_in_trait)] // single-threaded Worker: the futures need not be `Send`.
pub trait Mailer {
    async fn send(&self, message: &Message) -> Result<(), MailError>;
}

/// Writes messages to D1's `outbox`.
pub struct CaptureMailer<'a> {
    pub db: &'a D1Database,
    pub now: String,
}

impl Mailer for CaptureMailer<'_> {
    async fn send(&self, m: &Message) -> Result<(), MailError> {
        let to = serde_json::to_string(&m.to).map_err(|e| MailError::Outbox(e.to_string()))?;
        let attachments = if m.attachments.is_empty() {
            JsValue::NULL
        } else {
            text(&serde_json::to_string(&m.attachments).map_err(|e| MailError::Outbox(e.to_string()))?)
        };
        run(
            self.db,
            "INSERT INTO outbox (shop_id, tag, idempotency_key, sender, recipients, subject, html, text, created_at, attachments)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            &[
                m.shop_id.map_or(JsValue::NULL, int),
                text(m.tag),
                m.idempotency_key.as_deref().map_or(JsValue::NULL, text),
                text(&m.from),
                text(&to),
                text(&m.subject),
                text(&m.html),
                text(&m.text),
                text(&self.now),
                attachments,
            ],
        )
        .await
        .map_err(|e| MailError::Outbox(e.to_string()))
    }
}

/// POSTs messages as JSON to an email API.
pub struct HttpMailer {
    pub endpoint: String,
    pub token: String,
}

impl Mailer for HttpMailer {
    async fn send(&self, m: &Message) -> Result<(), MailError> {
        let mut body = serde_json::json!({
            "from": m.from, "to": m.to, "subject": m.subject, "html": m.html, "text": m.text,
            "tags": [{"name": "category", "value": m.tag}],
        });
        if !m.attachments.is_empty() {
            // Resend's shape: base64 `content` with its `filename`.
            let files: Vec<serde_json::Value> = m
                .attachments
                .iter()
                .map(|a| serde_json::json!({"filename": a.filename, "content": a.base64, "content_type": a.content_type}))
                .collect();
            body["attachments"] = serde_json::Value::Array(files);
        }
        let body = body.to_string();
        let result = async {
            let h = worker::Headers::new();
            h.set("Content-Type", "application/json")?;
            h.set("Authorization", &format!("Bearer {}", self.token))?;
            if let Some(key) = &m.idempotency_key {
                h.set("Idempotency-Key", key)?;
            }
            let mut init = worker::RequestInit::new();
            init.with_method(worker::Method::Post).with_headers(h).with_body(Some(JsValue::from_str(&body)));
            let req = worker::Request::new_with_init(&self.endpoint, &init)?;
            let mut resp = worker::Fetch::Request(req).send().await?;
            let status = resp.status_code();
            let text = resp.text().await.unwrap_or_default();
            Ok::<_, worker::Error>((status, text))
        }
        .await;
        match result {
            Err(e) => Err(MailError::Unavailable(e.to_string())),
            Ok((200..=299, _)) => Ok(()),
            Ok((status @ (429 | 500..=599), body)) => {
                Err(MailError::Unavailable(format!("{status}: {}", body.chars().take(200).collect::<String>())))
            }
            Ok((status, body)) => Err(MailError::Refused { status, body: body.chars().take(200).collect() }),
        }
    }
}

/// The transport configured for this environment.
pub enum Configured<'a> {
    Capture(CaptureMailer<'a>),
    Http(HttpMailer),
}

impl Mailer for Configured<'_> {
    async fn send(&self, m: &Message) -> Result<(), MailError> {
        match self {
            Self::Capture(c) => c.send(m).await,
            Self::Http(h) => h.send(m).await,
        }
    }
}

fn var(env: &worker::Env, name: &str) -> Option<String> {
    env.var(name).ok().map(|v| v.to_string()).filter(|v| !v.trim().is_empty())
}

/// Which transport a configuration value names; unset means capture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportKind {
    Capture,
    Http,
}

pub fn transport_kind(env: &worker::Env) -> Result<TransportKind, MailError> {
    match var(env, TRANSPORT_VAR).as_deref().map(str::trim) {
        None | Some("capture") => Ok(TransportKind::Capture),
        Some("http") => Ok(TransportKind::Http),
        Some(other) => Err(MailError::Config(format!("{TRANSPORT_VAR} = {other:?}; use \"capture\" or \"http\""))),
    }
}

pub fn sender(env: &worker::Env) -> String {
    var(env, FROM_VAR).unwrap_or_else(|| DEFAULT_FROM.to_string())
}

/// The configured transport; captured mail goes to `shard`'s outbox, the shard of the shops
/// whose mail it carries (the dev outbox page reads the shop's own shard).
pub fn from_env<'a>(env: &worker::Env, shard: &'a worker::D1Database, now: &str) -> Result<Configured<'a>, MailError> {
    match transport_kind(env)? {
        TransportKind::Capture => Ok(Configured::Capture(CaptureMailer { db: shard, now: now.to_string() })),
        TransportKind::Http => {
            let endpoint = var(env, ENDPOINT_VAR)
                .ok_or_else(|| MailError::Config(format!("{ENDPOINT_VAR} is not set but {TRANSPORT_VAR} = \"http\"")))?;
            let token = env
                .secret(TOKEN_SECRET)
                .map(|s| s.to_string())
                .ok()
                .filter(|t| !t.is_empty())
                .ok_or_else(|| MailError::Config(format!("secret {TOKEN_SECRET} is not set (wrangler secret put {TOKEN_SECRET})")))?;
            Ok(Configured::Http(HttpMailer { endpoint, token }))
        }
    }
}
