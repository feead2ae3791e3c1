//! Binding and variable names; `wrangler.toml` declares the same ones.

pub const DB: &str = "DB";
pub const KV: &str = "KV";
pub const JOBS_QUEUE: &str = "JOBS";
pub const EVENTS_QUEUE: &str = "EVENTS";
/// Queue names as the consumer sees them (`MessageBatch::queue`).
pub const JOBS_QUEUE_NAME: &str = "stock-sentry-jobs";
pub const EVENTS_QUEUE_NAME: &str = "stock-sentry-events";

/// The events queue locally (`stock-sentry-events`) and in a deployed environment, whose
/// queue names carry the environment (`stock-sentry-events-staging`, wrangler.toml).
pub fn is_events_queue(name: &str) -> bool {
    name == EVENTS_QUEUE_NAME || name.strip_prefix(EVENTS_QUEUE_NAME).is_some_and(|rest| rest.starts_with('-') && !rest.ends_with("-dlq"))
}

/// A dead-letter queue (`…-dlq` in every environment): its messages are stored for an
/// operator, never applied.
pub fn is_dead_letter_queue(name: &str) -> bool {
    name.ends_with("-dlq")
}
