//! Scheduled work as data: which cron expression means which job, and the queue message
//! that carries one job run from the cron handler to the consumer.

use chrono::{DateTime, Timelike, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    RecalculateAlerts,
    SendDigests,
    RefitSeasonality,
    Cleanup,
}

/// The seed's schedule; `wrangler.toml`'s `[triggers] crons` must list the same expressions.
pub const SCHEDULE: [(&str, JobKind); 4] = [
    ("0 2 * * *", JobKind::RecalculateAlerts),
    ("0 * * * *", JobKind::SendDigests),
    ("0 3 * * SUN", JobKind::RefitSeasonality),
    ("0 4 * * SUN", JobKind::Cleanup),
];

impl JobKind {
    pub fn for_cron(expr: &str) -> Option<Self> {
        // wrangler and Cloudflare hand the expression back as written in wrangler.toml,
        // but tolerate `+` for spaces (the local `/__scheduled?cron=` form) and case.
        let norm = expr.replace('+', " ").to_ascii_uppercase();
        let norm = norm.split_whitespace().collect::<Vec<_>>().join(" ");
        SCHEDULE.iter().find(|(c, _)| *c == norm).map(|(_, k)| *k)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::RecalculateAlerts => "recalculate_alerts",
            Self::SendDigests => "send_digests",
            Self::RefitSeasonality => "refit_seasonality",
            Self::Cleanup => "cleanup",
        }
    }
}

/// Identifies one firing of a job: its kind and the scheduled minute. A cron delivered
/// twice for the same minute maps to the same slot, which the job-run table keeps unique.
pub fn slot(kind: JobKind, scheduled: DateTime<Utc>) -> String {
    let minute = scheduled.with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap_or(scheduled);
    format!("{}@{}", kind.as_str(), minute.format("%Y-%m-%dT%H:%MZ"))
}

/// One job run on the "jobs" queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobMessage {
    pub run_id: i64,
    pub job: JobKind,
    pub slot: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn retries_wait_longer_each_time() {
        // First failure at once: the base. Then as old as the message is, doubling.
        assert_eq!(retry_delay_secs(0.2, 30), 30);
        assert_eq!(retry_delay_secs(30.4, 30), 31);
        assert_eq!(retry_delay_secs(61.0, 30), 61);
        assert_eq!(retry_delay_secs(122.0, 30), 122);
        assert_eq!(retry_delay_secs(1e9, 30), MAX_RETRY_DELAY_SECS);
        assert_eq!(retry_delay_secs(f64::NAN, 30), 30);
        assert_eq!(retry_delay_secs(-5.0, 30), 30);
        assert_eq!(retry_delay_secs(10.0, 99_999), MAX_RETRY_DELAY_SECS);
    }

    #[test]
    fn every_seed_cron_maps_to_its_job() {
        assert_eq!(JobKind::for_cron("0 2 * * *"), Some(JobKind::RecalculateAlerts));
        assert_eq!(JobKind::for_cron("0 * * * *"), Some(JobKind::SendDigests));
        assert_eq!(JobKind::for_cron("0 3 * * SUN"), Some(JobKind::RefitSeasonality));
        assert_eq!(JobKind::for_cron("0+4+*+*+sun"), Some(JobKind::Cleanup));
        assert_eq!(JobKind::for_cron("5 4 * * *"), None);
    }

    #[test]
    fn wrangler_toml_lists_exactly_the_schedule() {
        let toml = include_str!("../../wrangler.toml");
        for (cron, _) in SCHEDULE {
            assert!(toml.contains(&format!("\"{cron}\"")), "wrangler.toml lacks {cron}");
        }
    }

    #[test]
    fn queue_messages_are_tagged_json() {
        let j = Job::Sync(SyncStep::Poll { shop_id: 1, run_id: 2, polls: 3 });
        let text = serde_json::to_string(&j).unwrap();
        assert_eq!(text, r#"{"type":"sync","step":"poll","shop_id":1,"run_id":2,"polls":3}"#);
        assert_eq!(serde_json::from_str::<Job>(&text).unwrap(), j);
        let c = Job::Cron(JobMessage { run_id: 1, job: JobKind::Cleanup, slot: "s".into() });
        assert_eq!(serde_json::from_str::<Job>(&serde_json::to_string(&c).unwrap()).unwrap(), c);
    }

    #[test]
    fn a_slot_is_the_scheduled_minute() {
        let t = Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 41).unwrap();
        assert_eq!(slot(JobKind::RecalculateAlerts, t), "recalculate_alerts@2026-11-25T02:00Z");
        let u = Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 3).unwrap();
        assert_eq!(slot(JobKind::RecalculateAlerts, t), slot(JobKind::RecalculateAlerts, u));
    }

    fn webhook(body: String) -> WebhookMessage {
        WebhookMessage {
            shop: "a.myshopify.com".into(),
            topic: "orders/create".into(),
            webhook_id: "w-1".into(),
            triggered_at: None,
            body,
            body_key: None,
        }
    }

    #[test]
    fn webhooks_too_large_for_a_queue_message_leave_their_body_behind() {
        let small = r#"{"id":1,"line_items":[]}"#.to_string();
        let mut m = webhook(small.clone());
        assert_eq!(m.spill_large_body(), None);
        assert_eq!((m.body.as_str(), m.body_key.as_deref()), (small.as_str(), None));
        // Not in the queued JSON at all when absent: older consumers read the same messages.
        assert!(!serde_json::to_string(&m).unwrap().contains("body_key"));

        // 80 KB of short quoted strings escapes to 120 KB: measured, it does not fit.
        let quoted = format!("[{}]", vec!["\"a\""; 20_000].join(","));
        assert!(quoted.len() < MAX_QUEUED_WEBHOOK_BYTES);
        let mut m = webhook(quoted.clone());
        let (key, body) = m.spill_large_body().expect("spilled");
        assert_eq!((key.as_str(), body), ("webhook-body:a.myshopify.com:w-1", quoted));
        assert!(key.starts_with(&webhook_body_prefix("a.myshopify.com")) && !key.starts_with(&webhook_body_prefix("b.myshopify.com")));
        assert!(m.body.is_empty() && m.body_key.as_deref() == Some(key.as_str()));
        assert!(serde_json::to_string(&m).unwrap().len() < 1024);
        let back: WebhookMessage = serde_json::from_str(&serde_json::to_string(&m).unwrap()).unwrap();
        assert_eq!(back, m);

        // Just under the line after escaping: kept whole.
        let plain = "x".repeat(MAX_QUEUED_WEBHOOK_BYTES - 200);
        let mut m = webhook(format!("\"{plain}\""));
        assert_eq!(m.spill_large_body(), None);
    }
}

/// Everything on the "jobs" queue: a cron run, or one step of a shop's sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Job {
    Cron(JobMessage),
    Sync(SyncStep),
    /// Recalculate a shop's alerts: all variants (`None`), or those a webhook changed.
    Recalculate {
        shop_id: i64,
        variant_ids: Option<Vec<i64>>,
    },
    /// Refit a shop's seasonal patterns over a long history, then recalculate with them.
    Refit {
        shop_id: i64,
    },
    /// Send the shop's due alert-channel deliveries (Slack, webhook, Flow).
    Deliver {
        shop_id: i64,
    },
}

/// A sync advances one step per message, so no invocation waits on Shopify for long:
/// start (locations, then the catalogue export), poll an export until it completes, then
/// import it and start the next (the orders export).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum SyncStep {
    /// `orders_days`: how far back to import orders — a year at install, a few days for
    /// the nightly sync (webhooks have brought the rest).
    Start {
        shop_id: i64,
        #[serde(default = "full_history_days")]
        orders_days: u32,
    },
    Poll {
        shop_id: i64,
        run_id: i64,
        polls: u32,
    },
    /// Import the export's bytes from `offset`, as part number `part`.
    Import {
        shop_id: i64,
        run_id: i64,
        offset: u64,
        part: u32,
    },
}

impl SyncStep {
    pub fn shop_id(&self) -> i64 {
        match self {
            Self::Start { shop_id, .. } | Self::Poll { shop_id, .. } | Self::Import { shop_id, .. } => *shop_id,
        }
    }
}

/// A year and eight weeks of orders: the yearly factor compares the coming four weeks with
/// the four before them, a year ago (`domain::engine::seasonal`). Shopify serves orders
/// older than 60 days only with the `read_all_orders` scope, which the app requests.
pub const fn full_history_days() -> u32 {
    420
}

/// Longest wait before a failed job runs again.
pub const MAX_RETRY_DELAY_SECS: u32 = 3600;

/// How long a failed job waits before its next attempt: as long as the message has already
/// existed (`age_secs` since it was first sent), at least `base_secs`, at most an hour. Each
/// retry about doubles the message's age, so the waits double too (base, base, 2·base,
/// 4·base, …) without counting attempts, which the Workers runtime's Rust binding does
/// not expose. A failing Shopify or D1 call gets time to recover instead of three
/// attempts within a second.
pub fn retry_delay_secs(age_secs: f64, base_secs: u32) -> u32 {
    let age = if age_secs.is_finite() { age_secs.max(0.0) } else { 0.0 };
    (age.ceil().min(f64::from(MAX_RETRY_DELAY_SECS)) as u32).clamp(base_secs.min(MAX_RETRY_DELAY_SECS), MAX_RETRY_DELAY_SECS)
}

/// What the nightly sync re-reads of the orders, to catch any webhook that went missing.
pub const NIGHTLY_ORDER_DAYS: u32 = 3;

/// A verified webhook on the "events" queue, applied to D1 by the consumer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookMessage {
    pub shop: String,
    pub topic: String,
    pub webhook_id: String,
    pub triggered_at: Option<String>,
    /// The raw JSON body, as signed by Shopify; empty while a body too large for a queue
    /// message waits in KV under `body_key`.
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_key: Option<String>,
}

/// A queue message may hold 128 KB; a webhook whose message would pass this (with room for
/// the queue's own envelope) travels without its body, which waits in KV.
pub const MAX_QUEUED_WEBHOOK_BYTES: usize = 100 * 1024;

/// Where a shop's large webhook bodies wait in KV (`shop/redact` erases the prefix).
pub fn webhook_body_prefix(shop: &str) -> String {
    format!("webhook-body:{shop}:")
}

impl WebhookMessage {
    /// Takes a body too large for a queue message out of the message, leaving the KV key it
    /// is to be stored under; returns `(key, body)`, or `None` when the message fits as it is.
    pub fn spill_large_body(&mut self) -> Option<(String, String)> {
        // Escaped into a JSON string, a JSON body at most doubles: most need no measuring.
        let fits_surely = self.body.len() * 2 + 1024 <= MAX_QUEUED_WEBHOOK_BYTES;
        if fits_surely || serde_json::to_string(self).map_or(usize::MAX, |m| m.len()) <= MAX_QUEUED_WEBHOOK_BYTES {
            return None;
        }
        let key = format!("{}{}", webhook_body_prefix(&self.shop), self.webhook_id);
        self.body_key = Some(key.clone());
        Some((key, std::mem::take(&mut self.body)))
    }
}
