//! Fault injection: failures queued per shop for the Admin API (429, 5xx, slow, throttled) and
//! for the token endpoint (503, lost answer), so the app's retries can be exercised.

use super::{ApiError, ApiResult, AppState, ShopQuery};
use crate::state::{Fault, TokenFault};
use axum::extract::{Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
pub(super) struct FaultBody {
    shop: String,
    /// `429`, `500`, `503`, `slow` or `throttled`.
    kind: String,
    #[serde(default = "one")]
    count: usize,
    retry_after_secs: Option<f64>,
    delay_ms: Option<u64>,
}

fn one() -> usize {
    1
}

pub(super) async fn add_faults(State(app): State<AppState>, Json(b): Json<FaultBody>) -> ApiResult<Json<Value>> {
    let fault = match b.kind.as_str() {
        "429" => Fault::TooManyRequests { retry_after_secs: b.retry_after_secs.unwrap_or(2.0).max(0.0) },
        "500" => Fault::ServerError { status: 500 },
        "502" => Fault::ServerError { status: 502 },
        "503" => Fault::ServerError { status: 503 },
        "504" => Fault::ServerError { status: 504 },
        "slow" => Fault::Slow { delay_ms: b.delay_ms.unwrap_or(3000).min(120_000) },
        "throttled" => Fault::Throttled,
        other => return Err(ApiError::BadRequest(format!("unknown fault kind {other:?}: use 429, 500, 502, 503, 504, slow, throttled"))),
    };
    if b.count == 0 || b.count > 1000 {
        return Err(ApiError::BadRequest("count must be 1..=1000".into()));
    }
    let mut s = shop!(app, &b.shop);
    s.faults.extend(std::iter::repeat_n(fault, b.count));
    Ok(Json(json!({ "queued": s.faults.iter().collect::<Vec<_>>() })))
}
#[derive(Deserialize)]
pub(super) struct TokenFaultBody {
    shop: String,
    /// `503` or `lose_response`.
    kind: String,
    #[serde(default = "one")]
    count: usize,
}

pub(super) async fn add_token_faults(State(app): State<AppState>, Json(b): Json<TokenFaultBody>) -> ApiResult<Json<Value>> {
    let fault = match b.kind.as_str() {
        "503" => TokenFault::ServerError,
        "lose_response" => TokenFault::LoseResponse,
        other => return Err(ApiError::BadRequest(format!("unknown token fault {other:?}: use 503 or lose_response"))),
    };
    if b.count == 0 || b.count > 100 {
        return Err(ApiError::BadRequest("count must be 1..=100".into()));
    }
    let mut s = shop!(app, &b.shop);
    s.token_faults.extend(std::iter::repeat_n(fault, b.count));
    Ok(Json(json!({ "queued": s.token_faults.iter().collect::<Vec<_>>() })))
}

pub(super) async fn list_faults(State(app): State<AppState>, Query(q): Query<ShopQuery>) -> ApiResult<Json<Value>> {
    let s = shop!(app, &q.shop);
    Ok(Json(json!({ "queued": s.faults.iter().collect::<Vec<_>>() })))
}

pub(super) async fn clear_faults(State(app): State<AppState>, Query(q): Query<ShopQuery>) -> ApiResult<Json<Value>> {
    let mut s = shop!(app, &q.shop);
    let cleared = s.faults.len();
    s.faults.clear();
    Ok(Json(json!({ "cleared": cleared })))
}
