//! One home for the Worker's log lines: one JSON object per line, always with `level` and
//! `event`, with `request_id` (Cloudflare's `cf-ray`) when the line is written while
//! serving a request, and with the shop when the caller knows it. Workers Logs
//! (`[observability]`) indexes the fields, so "every error for this shop" or "this
//! request's lines" is one query.
//!
//! ```ignore
//! log::error("job_failed").field("message_id", message.id()).field("error", &error).emit();
//! ```

use serde::Serialize;
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

impl Level {
    fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warn => "warn",
            Self::Error => "error",
        }
    }
}

/// A log line being built; nothing is written until `emit`.
#[must_use = "a log line is written by `emit`"]
pub struct Line {
    level: Level,
    fields: Map<String, Value>,
}

pub fn info(event: &str) -> Line {
    Line::new(Level::Info, event)
}

pub fn warn(event: &str) -> Line {
    Line::new(Level::Warn, event)
}

pub fn error(event: &str) -> Line {
    Line::new(Level::Error, event)
}

impl Line {
    pub fn new(level: Level, event: &str) -> Self {
        let mut fields = Map::new();
        fields.insert("level".into(), Value::from(level.as_str()));
        fields.insert("event".into(), Value::from(event));
        Self { level, fields }
    }

    /// Adds `key`; a value that does not serialise is written as its error.
    pub fn field(mut self, key: &str, value: impl Serialize) -> Self {
        let value = serde_json::to_value(value).unwrap_or_else(|e| Value::from(format!("(not loggable: {e})")));
        self.fields.insert(key.into(), value);
        self
    }

    /// The shop the line is about (its myshopify domain).
    pub fn shop(self, domain: impl std::fmt::Display) -> Self {
        self.field("shop", domain.to_string())
    }

    pub fn emit(mut self) {
        if let Some(id) = request_id() {
            self.fields.entry("request_id").or_insert(Value::from(id));
        }
        let line = Value::Object(self.fields).to_string();
        match self.level {
            Level::Info => worker::console_log!("{line}"),
            Level::Warn => worker::console_warn!("{line}"),
            Level::Error => worker::console_error!("{line}"),
        }
    }
}

/// The request being served, when there is one (server functions and pages run inside
/// Leptos's request context; queue and cron handlers do not).
fn request_id() -> Option<String> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    let id = parts.headers.get("cf-ray").or_else(|| parts.headers.get("x-request-id"))?;
    id.to_str().ok().map(str::to_owned)
}
