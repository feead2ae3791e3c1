//! Recording receivers: stand-ins for the external endpoints the app posts alerts to (a Slack
//! incoming webhook, a merchant's own webhook endpoint). Receivers are named and shared by
//! every shop. Two path families, so a recorded path can never be mistaken for a control:
//!
//! - `POST /_fake/receiver/{name}` and `POST /_fake/receiver/{name}/{*rest}` record
//!   `{path, query, headers, body, received_at}` and answer with the configured status (200
//!   by default) and Slack's body for it: `ok`, or an error word such as `no_service` (404),
//!   `channel_is_archived` (410), `internal_error` (5xx); a `Retry-After` header if configured.
//! - `POST /_fake/receivers/{name}/config {"status": 500, "retry_after": null}` sets the answer;
//!   `GET /_fake/receivers/{name}` → `{"requests": [...], "status", "retry_after"}`;
//!   `DELETE /_fake/receivers/{name}` forgets its requests and configuration.

use super::{ApiError, ApiResult, AppState};
use crate::state::{self, ReceivedRequest, Receiver};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

/// Requests kept per receiver (the oldest go first), so a long run cannot grow without bound.
const KEPT_REQUESTS: usize = 10_000;

/// The receiver's name from either recording route (the rest of the path is recorded whole).
#[derive(Deserialize)]
pub(super) struct ReceiverPath {
    name: String,
}

/// What Slack's incoming webhooks answer with for a status (plain text).
fn slack_body(status: StatusCode) -> &'static str {
    match status.as_u16() {
        200..=299 => "ok",
        403 => "invalid_token",
        404 => "no_service",
        410 => "channel_is_archived",
        429 => "rate_limited",
        400..=499 => "invalid_payload",
        _ => "internal_error",
    }
}

pub(super) async fn record(
    State(app): State<AppState>,
    Path(p): Path<ReceiverPath>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let mut map = serde_json::Map::new();
    for (name, value) in &headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        match map.get_mut(name.as_str()) {
            Some(Value::String(v)) => *v = format!("{v}, {value}"),
            _ => {
                map.insert(name.as_str().to_string(), Value::String(value));
            }
        }
    }
    let request = ReceivedRequest {
        path: uri.path().to_string(),
        query: uri.query().map(str::to_string),
        headers: map,
        body: String::from_utf8_lossy(&body).into_owned(),
        received_at: state::ts(chrono::Utc::now()),
    };
    let (status, retry_after) = {
        let mut receivers = app.receivers.lock().map_err(|_| state::Poisoned)?;
        let r = receivers.entry(p.name).or_default();
        if r.requests.len() >= KEPT_REQUESTS {
            r.requests.remove(0);
        }
        r.requests.push(request);
        (r.status.and_then(|s| StatusCode::from_u16(s).ok()).unwrap_or(StatusCode::OK), r.retry_after)
    };
    let mut response = if status == StatusCode::NO_CONTENT { status.into_response() } else { (status, slack_body(status)).into_response() };
    if let Some(secs) = retry_after {
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    Ok(response)
}

#[derive(Deserialize)]
pub(super) struct ConfigBody {
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    retry_after: Option<u64>,
}

/// `POST /_fake/receivers/{name}/config`: replaces the answer (status 200..=599, default 200).
pub(super) async fn configure(State(app): State<AppState>, Path(name): Path<String>, Json(b): Json<ConfigBody>) -> ApiResult<Json<Value>> {
    if b.status.is_some_and(|s| !(200..=599).contains(&s)) {
        return Err(ApiError::BadRequest("status must be 200..=599".into()));
    }
    let mut receivers = app.receivers.lock().map_err(|_| state::Poisoned)?;
    let r = receivers.entry(name).or_default();
    r.status = b.status;
    r.retry_after = b.retry_after;
    Ok(Json(json!({ "status": r.status.unwrap_or(200), "retry_after": r.retry_after })))
}

/// `GET /_fake/receivers/{name}`: an unknown receiver has simply received nothing yet.
pub(super) async fn list(State(app): State<AppState>, Path(name): Path<String>) -> ApiResult<Json<Value>> {
    let receivers = app.receivers.lock().map_err(|_| state::Poisoned)?;
    let r = receivers.get(&name).cloned().unwrap_or_default();
    Ok(Json(json!({ "requests": r.requests, "status": r.status.unwrap_or(200), "retry_after": r.retry_after })))
}

/// `DELETE /_fake/receivers/{name}` → `{"cleared": n}`.
pub(super) async fn clear(State(app): State<AppState>, Path(name): Path<String>) -> ApiResult<Json<Value>> {
    let mut receivers = app.receivers.lock().map_err(|_| state::Poisoned)?;
    let cleared = receivers.remove(&name).map_or(0, |r: Receiver| r.requests.len());
    Ok(Json(json!({ "cleared": cleared })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_like_slack() {
        assert_eq!(slack_body(StatusCode::OK), "ok");
        assert_eq!(slack_body(StatusCode::NOT_FOUND), "no_service");
        assert_eq!(slack_body(StatusCode::GONE), "channel_is_archived");
        assert_eq!(slack_body(StatusCode::INTERNAL_SERVER_ERROR), "internal_error");
        assert_eq!(slack_body(StatusCode::BAD_GATEWAY), "internal_error");
    }
}
