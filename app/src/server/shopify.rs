//! Calls to a shop's Admin API and OAuth endpoints over `fetch`, with retries: a 429, a
//! 5xx, a network error or a THROTTLED GraphQL error is retried (3 attempts in all) with the
//! waits `domain::shopify::admin::retry_delay` gives; anything else fails at once.

use super::config::AppConfig;
use super::log;
use crate::error::AppError;
use domain::shopify::admin::{classify_graphql, retry_delay, ResponseKind};
use domain::shopify::tokens::{self, OfflineToken};
use domain::shopify::API_VERSION;
use domain::ShopDomain;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::time::Duration;
use worker::wasm_bindgen::JsValue;

#[derive(Debug, thiserror::Error)]
pub enum ShopifyError {
    #[error("Shopify answered {status}: {body}")]
    Status { status: u16, body: String },
    #[error("Shopify could not be reached: {0}")]
    Network(String),
    #[error("Shopify throttled the request")]
    Throttled,
    #[error("Shopify returned errors: {0}")]
    GraphQl(String),
    #[error("unexpected response from Shopify: {0}")]
    Decode(String),
    #[error("Shopify refused the credentials: {0}")]
    Refused(String),
}

impl From<ShopifyError> for AppError {
    fn from(e: ShopifyError) -> Self {
        match e {
            // Shopify refusing our credentials (revoked token, uninstalled shop, a session
            // token it will not exchange) means the merchant must sign in again.
            ShopifyError::Status { status: 401 | 403, .. } | ShopifyError::Refused(_) => {
                log::warn("shopify_refused").field("error", e.to_string()).emit();
                AppError::Unauthorized
            }
            e => {
                log::error("shopify_failed").field("error", e.to_string()).emit();
                AppError::Upstream(e.to_string())
            }
        }
    }
}

/// One POST: status, `Retry-After` and body, or the transport error.
pub(crate) async fn send_once(url: &str, headers: &[(&str, &str)], body: &str) -> Result<(u16, Option<String>, String), worker::Error> {
    let h = worker::Headers::new();
    for (k, v) in headers {
        h.set(k, v)?;
    }
    let mut init = worker::RequestInit::new();
    init.with_method(worker::Method::Post).with_headers(h).with_body(Some(JsValue::from_str(body)));
    let req = worker::Request::new_with_init(url, &init)?;
    let mut resp = worker::Fetch::Request(req).send().await?;
    let status = resp.status_code();
    let retry_after = resp.headers().get("Retry-After").ok().flatten();
    Ok((status, retry_after, resp.text().await?))
}

/// POSTs `body`, retrying as `domain::shopify::admin::retry_delay` says (one policy for every
/// Admin API call: exponential backoff, `Retry-After`, and for a THROTTLED GraphQL answer
/// the time the bucket needs to refill). `graphql` reads 200 bodies for throttling.
async fn post(url: &str, headers: &[(&str, &str)], body: &str, graphql: bool) -> Result<String, ShopifyError> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let (kind, bucket, err) = match send_once(url, headers, body).await {
            Err(e) => (ResponseKind::Network, None, ShopifyError::Network(e.to_string())),
            Ok((status, retry_after, text)) => {
                let (kind, bucket) = if graphql {
                    classify_graphql(status, retry_after.as_deref(), &text)
                } else {
                    (ResponseKind::from_status(status, retry_after.as_deref()), None)
                };
                match kind {
                    ResponseKind::Success => return Ok(text),
                    ResponseKind::Throttled { .. } => (kind, bucket, ShopifyError::Throttled),
                    _ => (kind, bucket, ShopifyError::Status { status, body: text.chars().take(200).collect() }),
                }
            }
        };
        let Some(wait_ms) = retry_delay(attempt, kind, bucket.as_ref()) else {
            return Err(err);
        };
        log::warn("shopify_retry").field("attempt", attempt).field("wait_ms", wait_ms).field("error", err.to_string()).emit();
        worker::Delay::from(Duration::from_millis(wait_ms)).await;
    }
}

/// Runs one Admin GraphQL document; returns `data` decoded as `T`.
pub async fn graphql<T: DeserializeOwned>(
    cfg: &AppConfig,
    shop: &ShopDomain,
    access_token: &str,
    query: &str,
    variables: Value,
) -> Result<T, ShopifyError> {
    let data = graphql_data(cfg, shop, access_token, query, &variables).await?;
    serde_json::from_value(data).map_err(|e| ShopifyError::Decode(e.to_string()))
}

/// `data` of one Admin GraphQL document, errors refused.
async fn graphql_data(
    cfg: &AppConfig,
    shop: &ShopDomain,
    access_token: &str,
    query: &str,
    variables: &Value,
) -> Result<Value, ShopifyError> {
    let url = cfg.shop_url(shop, &format!("/admin/api/{API_VERSION}/graphql.json"));
    let body = serde_json::json!({"query": query, "variables": variables}).to_string();
    let text = post(&url, &[("Content-Type", "application/json"), ("X-Shopify-Access-Token", access_token)], &body, true).await?;
    let v: Value = serde_json::from_str(&text).map_err(|e| ShopifyError::Decode(e.to_string()))?;
    if let Some(errs) = v.get("errors").filter(|e| !e.is_null()) {
        return Err(ShopifyError::GraphQl(errs.to_string()));
    }
    Ok(v.get("data").cloned().unwrap_or(Value::Null))
}

/// A read through the KV API cache (`API_CACHE_TTL_SECS`, switched by `FEATURE_CACHE`):
/// the same document with the same variables for the same shop is answered from KV for
/// five minutes, sparing the shop's API budget when a failed sync is retried. Only for
/// reads whose five-minute staleness a merchant can live with (locations), never for
/// polling. A KV failure falls through to Shopify: the cache may only save calls.
pub async fn graphql_cached<T: DeserializeOwned>(
    env: &worker::Env,
    cfg: &AppConfig,
    shop: &ShopDomain,
    access_token: &str,
    query: &str,
    variables: Value,
) -> Result<T, ShopifyError> {
    use domain::shopify::admin::{api_cache_key, API_CACHE_TTL_SECS};
    let kv = if super::features::enabled(env, super::features::CACHE) { env.kv(super::bindings::KV).ok() } else { None };
    let key = api_cache_key(shop.as_str(), query, &variables);
    let decode = |data: Value| serde_json::from_value(data).map_err(|e| ShopifyError::Decode(e.to_string()));
    if let Some(kv) = &kv {
        // An entry that no longer decodes (the type changed, not the query) is a miss.
        if let Some(v) = kv.get(&key).json::<Value>().await.ok().flatten().and_then(|hit| decode(hit).ok()) {
            return Ok(v);
        }
    }
    let data = graphql_data(cfg, shop, access_token, query, &variables).await?;
    if let Some(kv) = &kv {
        if let Ok(put) = kv.put(&key, data.to_string()) {
            let _ = put.expiration_ttl(API_CACHE_TTL_SECS).execute().await;
        }
    }
    decode(data)
}

/// shop/redact: the shop's cached API reads and waiting webhook bodies are erased with the rest of its data rather
/// than left to expire. Returns how many entries went.
pub async fn forget_cached(env: &worker::Env, shop: &ShopDomain) -> Result<usize, String> {
    let kv = env.kv(super::bindings::KV).map_err(|e| e.to_string())?;
    let mut deleted = 0;
    // Cached Admin API answers, and large webhook bodies still waiting for the consumer.
    for prefix in [domain::shopify::admin::api_cache_prefix(shop.as_str()), domain::jobs::webhook_body_prefix(shop.as_str())] {
        deleted += forget_prefix(&kv, prefix).await?;
    }
    Ok(deleted)
}

async fn forget_prefix(kv: &worker::kv::KvStore, prefix: String) -> Result<usize, String> {
    let mut cursor: Option<String> = None;
    let mut deleted = 0;
    loop {
        let mut list = kv.list().prefix(prefix.clone());
        if let Some(c) = cursor.take() {
            list = list.cursor(c);
        }
        let page = list.execute().await.map_err(|e| e.to_string())?;
        for key in &page.keys {
            kv.delete(&key.name).await.map_err(|e| e.to_string())?;
            deleted += 1;
        }
        match page.cursor.filter(|c| !page.list_complete && !c.is_empty()) {
            Some(c) => cursor = Some(c),
            None => return Ok(deleted),
        }
    }
}

/// Why a grant at `/admin/oauth/access_token` failed.
#[derive(Debug)]
pub enum GrantFailure {
    /// Shopify refused it (`invalid_grant`, `invalid_subject_token`, …): retrying the same
    /// grant will not help.
    Refused(domain::shopify::tokens::GrantError),
    /// No usable answer (5xx after retries, network, an undecodable body): the grant may
    /// or may not have happened; whatever is stored stays.
    Failed(ShopifyError),
}

impl From<GrantFailure> for ShopifyError {
    fn from(f: GrantFailure) -> Self {
        match f {
            GrantFailure::Refused(e) => ShopifyError::Refused(format!("{}: {}", e.error, e.error_description)),
            GrantFailure::Failed(e) => e,
        }
    }
}

/// Exchanges an OAuth authorization code for the shop's expiring offline access token.
pub async fn exchange_code(cfg: &AppConfig, shop: &ShopDomain, code: &str) -> Result<OfflineToken, GrantFailure> {
    grant(cfg, shop, &tokens::code_grant(&cfg.api_key, &cfg.api_secret, code)).await
}

/// Token exchange: an App Bridge session token for the shop's expiring offline token.
pub async fn exchange_session_token(cfg: &AppConfig, shop: &ShopDomain, session_token: &str) -> Result<OfflineToken, GrantFailure> {
    grant(cfg, shop, &tokens::id_token_grant(&cfg.api_key, &cfg.api_secret, session_token)).await
}

/// A refresh: the new pair (the refresh token rotates).
pub async fn refresh_token(cfg: &AppConfig, shop: &ShopDomain, refresh: &str) -> Result<OfflineToken, GrantFailure> {
    grant(cfg, shop, &tokens::refresh_grant(&cfg.api_key, &cfg.api_secret, refresh)).await
}

/// A stored non-expiring token for an expiring one (Shopify revokes the old one).
pub async fn migrate_token(cfg: &AppConfig, shop: &ShopDomain, legacy: &str) -> Result<OfflineToken, GrantFailure> {
    grant(cfg, shop, &tokens::migration_grant(&cfg.api_key, &cfg.api_secret, legacy)).await
}

async fn grant(cfg: &AppConfig, shop: &ShopDomain, body: &Value) -> Result<OfflineToken, GrantFailure> {
    let url = cfg.shop_url(shop, "/admin/oauth/access_token");
    let now = (worker::Date::now().as_millis() / 1000) as i64;
    let text = post(&url, &[("Content-Type", "application/json"), ("Accept", "application/json")], &body.to_string(), false)
        .await
        .map_err(|e| match e {
            // 400/401/403 with Shopify's OAuth error body: not worth retrying.
            ShopifyError::Status { status: 400 | 401 | 403, ref body } => match serde_json::from_str::<tokens::GrantError>(body) {
                Ok(g) => GrantFailure::Refused(g),
                Err(_) => {
                    GrantFailure::Refused(tokens::GrantError { error: format!("http_{}", status_of(&e)), error_description: body.clone() })
                }
            },
            e => GrantFailure::Failed(e),
        })?;
    let g: tokens::TokenGrant = serde_json::from_str(&text).map_err(|e| GrantFailure::Failed(ShopifyError::Decode(e.to_string())))?;
    Ok(OfflineToken::from_grant(g, now))
}

fn status_of(e: &ShopifyError) -> u16 {
    match e {
        ShopifyError::Status { status, .. } => *status,
        _ => 0,
    }
}
