//! The token clock and lifetimes the fake's token endpoint applies, the shop's token counts,
//! and revoking its refresh tokens, so expiry and rotation can be tested without waiting.

use super::{ApiError, ApiResult, AppState, ShopQuery, UninstallBody};
use axum::extract::{Query, State};
use axum::Json;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{json, Value};

/// `GET /_fake/tokens?shop=`: the policy and the shop's token counts.
pub(super) async fn token_stats(State(app): State<AppState>, Query(q): Query<ShopQuery>) -> ApiResult<Json<Value>> {
    let policy = app.policy();
    let s = shop!(app, &q.shop);
    Ok(Json(json!({ "policy": policy, "stats": s.tokens.stats(&policy) })))
}

#[derive(Deserialize)]
pub(super) struct PolicyBody {
    access_ttl_secs: Option<i64>,
    refresh_ttl_secs: Option<i64>,
    non_expiring_cutoff: Option<DateTime<Utc>>,
    clock_offset_secs: Option<i64>,
    ignore_expiring: Option<bool>,
    /// Back to Shopify's defaults first.
    #[serde(default)]
    reset: bool,
}

/// `POST /_fake/tokens`: token lifetimes, the non-expiring cut-off, the token clock.
pub(super) async fn set_token_policy(State(app): State<AppState>, Json(b): Json<PolicyBody>) -> ApiResult<Json<Value>> {
    let mut p = app.token_policy.lock().map_err(|_| ApiError::Internal("token policy lock poisoned".into()))?;
    if b.reset {
        *p = crate::tokens::Policy::default();
    }
    if let Some(v) = b.access_ttl_secs {
        p.access_ttl_secs = v.clamp(1, 86_400);
    }
    if let Some(v) = b.refresh_ttl_secs {
        p.refresh_ttl_secs = v.clamp(1, 7_776_000);
    }
    if let Some(v) = b.non_expiring_cutoff {
        p.non_expiring_cutoff = v;
    }
    if let Some(v) = b.clock_offset_secs {
        p.clock_offset_secs = v;
    }
    if let Some(v) = b.ignore_expiring {
        p.ignore_expiring = v;
    }
    Ok(Json(json!({ "policy": *p })))
}

/// `POST /_fake/tokens/revoke {"shop"}`: the app's refresh tokens for the shop stop working.
pub(super) async fn revoke_tokens(State(app): State<AppState>, Json(b): Json<UninstallBody>) -> ApiResult<Json<Value>> {
    let mut s = shop!(app, &b.shop);
    Ok(Json(json!({ "revoked": s.tokens.revoke_refresh() })))
}
