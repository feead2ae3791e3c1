//! The one retry/backoff policy for every Admin API call: classify what came back, then wait
//! exponentially, longer when Shopify says how long (`Retry-After`, or the bucket's restore rate).

use super::{GraphqlResponse, ThrottleStatus};

/// What came back from one Admin API call, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ResponseKind {
    Success,
    /// GraphQL `errors[].extensions.code == "THROTTLED"` (HTTP 200); carries the requested cost.
    Throttled {
        requested_cost: f64,
    },
    /// HTTP 429, with the `Retry-After` header in seconds if present.
    TooManyRequests {
        retry_after_secs: Option<f64>,
    },
    /// Any HTTP 5xx.
    ServerError,
    /// The request never got an answer (connection reset, timeout).
    Network,
    /// Any other 4xx (401, 403, 404, 422…): retrying will not help.
    ClientError,
}

impl ResponseKind {
    /// Classifies an HTTP status (for GraphQL-level throttling use `Throttled`).
    pub fn from_status(status: u16, retry_after: Option<&str>) -> Self {
        match status {
            200..=299 => Self::Success,
            429 => Self::TooManyRequests {
                retry_after_secs: retry_after.and_then(|v| v.trim().parse().ok()).filter(|s: &f64| s.is_finite() && *s >= 0.0),
            },
            // 5xx, Cloudflare's 52x in front of Shopify included: worth another try.
            500..=599 => Self::ServerError,
            _ => Self::ClientError,
        }
    }
}

/// Classifies one Admin GraphQL answer for `retry_delay`: by HTTP status first; a 2xx whose
/// `errors` say THROTTLED is `Throttled`, with the bucket's state when Shopify reported it.
pub fn classify_graphql(status: u16, retry_after: Option<&str>, body: &str) -> (ResponseKind, Option<ThrottleStatus>) {
    let kind = ResponseKind::from_status(status, retry_after);
    if kind != ResponseKind::Success {
        return (kind, None);
    }
    match serde_json::from_str::<GraphqlResponse<serde::de::IgnoredAny>>(body) {
        Ok(r) if r.is_throttled() => {
            let cost = r.cost();
            let requested_cost = cost.map_or(0.0, |c| c.requested_query_cost);
            (ResponseKind::Throttled { requested_cost }, cost.map(|c| c.throttle_status))
        }
        _ => (kind, None),
    }
}

/// Attempts per call, the first included.
pub const MAX_ATTEMPTS: u32 = 3;
/// The delay after the first failed attempt; doubled after each further one.
pub const BASE_DELAY_MS: u64 = 500;
/// No single wait is longer than this.
pub const MAX_DELAY_MS: u64 = 30_000;

/// How long to wait before the next attempt after attempt number `attempt` (1-based) failed
/// with `kind`, or `None` to give up (success, a non-retryable error, or attempts exhausted).
/// Exponential (500 ms, 1 s, …); a `Retry-After` or, when throttled, the time the bucket needs
/// to refill the requested cost at `throttle.restoreRate` is honoured if longer.
pub fn retry_delay(attempt: u32, kind: ResponseKind, throttle: Option<&ThrottleStatus>) -> Option<u64> {
    if attempt == 0 || attempt >= MAX_ATTEMPTS {
        return None;
    }
    let exponential = BASE_DELAY_MS.saturating_mul(1 << (attempt - 1).min(16));
    let wait = match kind {
        ResponseKind::Success | ResponseKind::ClientError => return None,
        ResponseKind::ServerError | ResponseKind::Network => exponential,
        ResponseKind::TooManyRequests { retry_after_secs } => {
            let hinted = retry_after_secs.map_or(0, |s| (s * 1000.0).ceil() as u64);
            exponential.max(hinted)
        }
        ResponseKind::Throttled { requested_cost } => {
            let refill = match throttle {
                Some(t) if t.restore_rate > 0.0 => {
                    let missing = (requested_cost.min(t.maximum_available) - t.currently_available).max(0.0);
                    (missing / t.restore_rate * 1000.0).ceil() as u64
                }
                _ => 0,
            };
            exponential.max(refill)
        }
    };
    Some(wait.min(MAX_DELAY_MS))
}
