//! Which shop a request acts for, proven one of three ways, in this order:
//! 1. an App Bridge session token (`Authorization: Bearer …`, which App Bridge adds to the
//!    app's own fetches inside the admin), or `id_token=` on the first embedded load;
//! 2. a KV session cookie set after OAuth (the app in a plain browser tab).
//!
//! A token that is present but invalid is refused outright; it never falls through.

use super::bindings;
use super::config::{random_id, AppConfig};
use super::context::internal;
use super::log;
use crate::error::AppError;
use domain::shopify::auth::{verify_session_token, AuthError, VerifiedSession};
use domain::ShopDomain;
use http::request::Parts;

pub const SESSION_COOKIE: &str = "ss_session";
pub const SESSION_TTL_SECS: u64 = 3600;

/// How the shop was proven; a session token may need a token exchange on first use.
pub enum Proof {
    SessionToken { token: String, session: VerifiedSession },
    Cookie,
}

fn now_secs() -> i64 {
    (worker::Date::now().as_millis() / 1000) as i64
}

pub fn header<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts.headers.get(name).and_then(|v| v.to_str().ok())
}

/// A query string as decoded `(key, value)` pairs (`+` is a space, as browsers send it).
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    let decode = |s: &str| urlencoding::decode(&s.replace('+', " ")).map(|c| c.into_owned()).unwrap_or_default();
    query
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (decode(k), decode(v))
        })
        .collect()
}

pub fn query_param(parts: &Parts, name: &str) -> Option<String> {
    query_pairs(parts.uri.query()?).into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

pub fn cookie(parts: &Parts, name: &str) -> Option<String> {
    header(parts, "cookie")?.split(';').find_map(|c| c.trim().strip_prefix(name)?.strip_prefix('=').map(str::to_string))
}

fn session_key(id: &str) -> String {
    format!("session:{id}")
}

/// Starts a browser session for `shop`: a random id in KV with a 1 h TTL.
pub async fn create_session(env: &worker::Env, shop: &ShopDomain) -> Result<String, AppError> {
    let id = random_id()?;
    let kv = env.kv(bindings::KV).map_err(|e| internal("KV binding", e))?;
    kv.put(&session_key(&id), shop.as_str())
        .map_err(|e| internal("KV session put", e))?
        .expiration_ttl(SESSION_TTL_SECS)
        .execute()
        .await
        .map_err(|e| internal("KV session put", e))?;
    Ok(id)
}

pub fn session_cookie(id: &str) -> String {
    format!("{SESSION_COOKIE}={id}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age={SESSION_TTL_SECS}")
}

async fn session_shop(env: &worker::Env, id: &str) -> Result<Option<ShopDomain>, AppError> {
    // Session ids are 32 hex characters; anything else is not worth a KV read.
    if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let kv = env.kv(bindings::KV).map_err(|e| internal("KV binding", e))?;
    let shop = kv.get(&session_key(id)).text().await.map_err(|e| internal("KV session get", e))?;
    Ok(shop.and_then(|s| ShopDomain::parse(&s).ok()))
}

fn refuse(e: AuthError) -> AppError {
    log::warn("auth_refused").field("reason", e.to_string()).emit();
    AppError::Unauthorized
}

/// The shop this request is proven to act for.
pub async fn request_shop(env: &worker::Env, parts: &Parts) -> Result<(ShopDomain, Proof), AppError> {
    let bearer = header(parts, "authorization").and_then(|h| h.strip_prefix("Bearer ")).map(str::to_string);
    if let Some(token) = bearer.or_else(|| query_param(parts, "id_token")) {
        let cfg = AppConfig::from_env(env)?;
        let session = verify_session_token(&token, cfg.api_secret.as_bytes(), &cfg.api_key, now_secs()).map_err(refuse)?;
        return Ok((session.shop.clone(), Proof::SessionToken { token, session }));
    }
    if let Some(id) = cookie(parts, SESSION_COOKIE) {
        if let Some(shop) = session_shop(env, &id).await? {
            return Ok((shop, Proof::Cookie));
        }
    }
    Err(AppError::Unauthorized)
}
