//! Binding and variable names; `wrangler.toml` declares the same ones.

pub const DB: &str = "DB";
pub const KV: &str = "KV";
pub const JOBS_QUEUE: &str = "JOBS";
pub const EVENTS_QUEUE: &str = "EVENTS";
/// Queue names as the consumer sees them (`MessageBatch::queue`).
pub const JOBS_QUEUE_NAME: &str = "stock-sentry-jobs";
pub const EVENTS_QUEUE_NAME: &str = "stock-sentry-events";
