//! Coarse rate limiting for public endpoints (help votes, contact form): a counter per
//! client and fixed window in KV. KV is eventually consistent, so a burst can slip a few
//! requests past the limit; that is acceptable for abuse control, not for billing.

use super::{bindings, context::internal};
use crate::error::AppError;

pub struct Limit {
    pub scope: &'static str,
    pub max: u32,
    pub window_secs: u64,
}

/// The client's address as Cloudflare reports it.
pub fn client_ip(parts: &http::request::Parts) -> String {
    parts
        .headers
        .get("cf-connecting-ip")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("unknown")
        .to_string()
}

/// Counts one request; `Err(RateLimited { retry_after })` once over the limit.
pub async fn check(env: &worker::Env, limit: &Limit, client: &str) -> Result<(), AppError> {
    let now = worker::Date::now().as_millis() / 1000;
    let window = now / limit.window_secs;
    let key = format!("rl:{}:{client}:{window}", limit.scope);
    let kv = env.kv(bindings::KV).map_err(|e| internal("KV binding", e))?;
    let count: u32 = kv.get(&key).text().await.ok().flatten().and_then(|v| v.parse().ok()).unwrap_or(0);
    if count >= limit.max {
        let retry_after = (window + 1) * limit.window_secs - now;
        return Err(AppError::RateLimited(retry_after.max(1)));
    }
    kv.put(&key, (count + 1).to_string())
        .map_err(|e| internal("KV rate limit", e))?
        // KV's shortest TTL is 60 s.
        .expiration_ttl(limit.window_secs.max(60))
        .execute()
        .await
        .map_err(|e| internal("KV rate limit", e))?;
    Ok(())
}
