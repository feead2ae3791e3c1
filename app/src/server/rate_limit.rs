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
    parts.headers.get("cf-connecting-ip").and_then(|v| v.to_str().ok()).unwrap_or("unknown").to_string()
}

/// Counts one request; `Err(RateLimited { retry_after })` once over the limit.
pub async fn check(env: &worker::Env, limit: &Limit, client: &str) -> Result<(), AppError> {
    if !super::features::enabled(env, super::features::RATE_LIMIT) {
        return Ok(());
    }
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

/// Workers Rate Limiting bindings (wrangler.toml `[[ratelimits]]`) that budget server-
/// function calls per shop, and per client address (higher: one office, several shops).
pub const API_LIMITER: &str = "API_LIMITER";
pub const IP_LIMITER: &str = "IP_LIMITER";
/// The binding's period: the longest a refused caller waits.
const API_PERIOD_SECS: u64 = 60;

/// Counts one API call for `shop` and for the client address; `Err(RateLimited)` when
/// either is over its budget. Webhooks never come here: Shopify's deliveries are not
/// limited (they are deduplicated and queued instead).
pub async fn check_api(env: &worker::Env, shop: &str, parts: &http::request::Parts) -> Result<(), AppError> {
    if !super::features::enabled(env, super::features::RATE_LIMIT) {
        return Ok(());
    }
    for (binding, key) in [(API_LIMITER, shop.to_string()), (IP_LIMITER, client_ip(parts))] {
        let Ok(limiter) = env.rate_limiter(binding) else { continue };
        let outcome = limiter.limit(key).await.map_err(|e| internal("rate limiter", e))?;
        if !outcome.success {
            return Err(AppError::RateLimited(API_PERIOD_SECS));
        }
    }
    Ok(())
}
