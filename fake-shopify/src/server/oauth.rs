//! OAuth as Shopify runs it for an app: the install grant (auto-approved) and the token
//! endpoint's authorization-code, token-exchange and refresh grants, with their injected faults.

use super::{ApiError, ApiResult, AppState};
use crate::crypto;
use crate::state::{ShopState, TokenFault};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{Duration, Utc};
use domain::shopify::tokens::{ID_TOKEN_TYPE, OFFLINE_TOKEN_TYPE as OFFLINE_TOKEN, ONLINE_TOKEN_TYPE as ONLINE_TOKEN, TOKEN_EXCHANGE};
use serde_json::{json, Value};
use std::collections::HashMap;

fn param<'a>(q: &'a [(String, String)], name: &str) -> Option<&'a str> {
    q.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// Auto-approves the install: 302 to `redirect_uri` with `code`, `hmac`, `host`, `shop`,
/// `state` and `timestamp`, the `hmac` signed like Shopify's (hex, sorted query without hmac).
pub(super) async fn authorize(
    State(app): State<AppState>,
    Path(domain): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
) -> ApiResult<Response> {
    let cfg = &app.cfg;
    if param(&q, "client_id") != Some(cfg.api_key.as_str()) {
        return Err(ApiError::BadRequest("client_id is not this app's API key".into()));
    }
    let redirect_uri = param(&q, "redirect_uri").ok_or_else(|| ApiError::BadRequest("redirect_uri is required".into()))?;
    if !redirect_uri.starts_with(&cfg.app_url) {
        return Err(ApiError::BadRequest(format!("redirect_uri must be under the app URL {}", cfg.app_url)));
    }
    let scope = param(&q, "scope").unwrap_or(&cfg.scopes).to_string();
    let now = Utc::now();
    let code = {
        let mut s = shop!(app, &domain);
        let code = s.random_hex(16);
        s.codes.insert(code.clone(), (now + Duration::minutes(10), scope));
        code
    };
    let mut params = vec![
        ("code".to_string(), code),
        ("host".to_string(), crypto::host_param(&domain)),
        ("shop".to_string(), domain.clone()),
        ("timestamp".to_string(), now.timestamp().to_string()),
    ];
    if let Some(state) = param(&q, "state") {
        params.push(("state".to_string(), state.to_string()));
    }
    let hmac = crypto::oauth_query_hmac(&cfg.api_secret, &params);
    params.push(("hmac".to_string(), hmac));
    params.sort();
    let query = params.iter().map(|(k, v)| format!("{k}={}", crypto::url_encode(v))).collect::<Vec<_>>().join("&");
    let sep = if redirect_uri.contains('?') { '&' } else { '?' };
    let location = HeaderValue::from_str(&format!("{redirect_uri}{sep}{query}"))
        .map_err(|_| ApiError::BadRequest("redirect_uri is not a valid URL".into()))?;
    Ok((StatusCode::FOUND, [(header::LOCATION, location)]).into_response())
}

/// Reads a JSON or form body into string pairs (JSON numbers and booleans as text).
fn body_params(headers: &HeaderMap, body: &[u8]) -> ApiResult<HashMap<String, String>> {
    let ctype = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if ctype.starts_with("application/json") {
        let v: HashMap<String, Value> = serde_json::from_slice(body)
            .map_err(|e| ApiError::OAuth { error: "invalid_request", description: format!("body is not a JSON object: {e}") })?;
        Ok(v.into_iter()
            .map(|(k, v)| {
                let s = match v {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                (k, s)
            })
            .collect())
    } else {
        let pairs: Vec<(String, String)> = serde_urlencoded_pairs(body)?;
        Ok(pairs.into_iter().collect())
    }
}

fn serde_urlencoded_pairs(body: &[u8]) -> ApiResult<Vec<(String, String)>> {
    let q: Query<Vec<(String, String)>> = Query::try_from_uri(
        &format!("/?{}", String::from_utf8_lossy(body))
            .parse()
            .map_err(|_| ApiError::OAuth { error: "invalid_request", description: "body is not form-encoded".into() })?,
    )
    .map_err(|e| ApiError::OAuth { error: "invalid_request", description: e.to_string() })?;
    Ok(q.0)
}

/// The authorization-code grant, the token-exchange grant (session token → offline or
/// online access token; a non-expiring offline token → an expiring one) and the
/// refresh-token grant, as `crate::tokens` describes. Faults queued for the token endpoint
/// (`POST /_fake/token-faults`) answer 5xx, or apply the grant and lose its answer.
pub(super) async fn access_token(
    State(app): State<AppState>,
    Path(domain): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let cfg = &app.cfg;
    let p = body_params(&headers, &body)?;
    let get = |k: &str| p.get(k).map(String::as_str);
    if get("client_id") != Some(cfg.api_key.as_str())
        || get("client_secret").map(str::as_bytes).is_none_or(|s| !crypto::same(s, cfg.api_secret.as_bytes()))
    {
        return Err(ApiError::OAuth { error: "invalid_client", description: "client_id or client_secret is wrong".into() });
    }
    let policy = app.policy();
    let now = Utc::now();
    let mut s = shop!(app, &domain);
    let fault = s.token_faults.pop_front();
    if let Some(TokenFault::ServerError) = fault {
        return Ok((StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "errors": "Service Unavailable" }))).into_response());
    }
    let expiring = matches!(get("expiring"), Some("1") | Some("true")) && !policy.ignore_expiring;
    let salt = s.random_hex(4);
    let refused = |r: crate::tokens::Refused| ApiError::OAuth { error: r.error, description: r.description };
    let answer = match get("grant_type") {
        None | Some("authorization_code") => {
            let code = get("code").ok_or_else(|| ApiError::OAuth { error: "invalid_request", description: "code is required".into() })?;
            match s.codes.remove(code) {
                Some((expires, scope)) if expires > now => {
                    if expiring {
                        s.tokens.issue_expiring(&scope, &policy, &salt)
                    } else {
                        s.tokens.issue_non_expiring(&scope, &salt)
                    }
                }
                _ => {
                    return Err(ApiError::OAuth {
                        error: "invalid_grant",
                        description: "The authorization code was not found or was already used".into(),
                    })
                }
            }
        }
        Some(TOKEN_EXCHANGE) => {
            let subject = get("subject_token")
                .ok_or_else(|| ApiError::OAuth { error: "invalid_request", description: "subject_token is required".into() })?;
            let requested = get("requested_token_type").unwrap_or(OFFLINE_TOKEN);
            match (get("subject_token_type"), requested) {
                (Some(ID_TOKEN_TYPE), OFFLINE_TOKEN | ONLINE_TOKEN) => {
                    crypto::verify_session_token(&cfg.api_secret, &cfg.api_key, &domain, subject, now.timestamp())
                        .map_err(|e| ApiError::OAuth { error: "invalid_subject_token", description: e.to_string() })?;
                    s.installed = true;
                    if requested == ONLINE_TOKEN {
                        online_answer(&mut s, &policy, &salt, &cfg.scopes)
                    } else if expiring {
                        s.tokens.issue_expiring(&cfg.scopes, &policy, &salt)
                    } else {
                        s.tokens.issue_non_expiring(&cfg.scopes, &salt)
                    }
                }
                (Some(OFFLINE_TOKEN), OFFLINE_TOKEN) if expiring => {
                    s.tokens.migrate(subject, &cfg.scopes, &policy, &salt).map_err(refused)?
                }
                (Some(OFFLINE_TOKEN), _) => {
                    return Err(ApiError::OAuth {
                        error: "invalid_request",
                        description: "migrating an offline token needs expiring=1".into(),
                    })
                }
                (other, _) => {
                    return Err(ApiError::OAuth {
                        error: "invalid_request",
                        description: format!("unsupported subject_token_type {other:?}"),
                    })
                }
            }
        }
        Some("refresh_token") => {
            let refresh = get("refresh_token")
                .ok_or_else(|| ApiError::OAuth { error: "invalid_request", description: "refresh_token is required".into() })?;
            s.tokens.refresh(refresh, &policy, &salt).map_err(refused)?
        }
        Some(other) => return Err(ApiError::OAuth { error: "unsupported_grant_type", description: other.to_string() }),
    };
    if let Some(TokenFault::LoseResponse) = fault {
        // The grant took effect; the app never hears of it.
        return Ok((StatusCode::BAD_GATEWAY, Json(json!({ "errors": "Bad Gateway" }))).into_response());
    }
    Ok(Json(answer).into_response())
}

fn online_answer(s: &mut ShopState, policy: &crate::tokens::Policy, salt: &str, scope: &str) -> Value {
    let token = s.tokens.issue_online(policy, salt);
    json!({
        "access_token": token, "scope": scope, "expires_in": 86_399, "associated_user_scope": scope,
        "associated_user": { "id": 902_541_635, "first_name": "Demo", "last_name": "Merchant", "email": format!("owner@{}", s.domain()),
                             "account_owner": true, "locale": "en", "collaborator": false, "email_verified": true }
    })
}
