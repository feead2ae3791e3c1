//! The HTTP face of the fake: Shopify's routes under `/shops/{shop}` (so one port serves every
//! demo shop; the app's `SHOPIFY_SHOP_BASE` is `http://127.0.0.1:8788/shops/{shop}`), the fake
//! admin page under `/admin/{shop}`, and JSON control endpoints under `/_fake`.
//!
//! Errors: every handler returns `Result<_, ApiError>`; `ApiError` renders the status and body
//! Shopify would send for that failure (or a JSON `{"error": …}` on control endpoints).

use crate::admin_page;
use crate::crypto::{self, SessionClaims};
use crate::state::{self, BulkKind, BulkOp, Delivery, Fault, ShopState, Shops, TokenFault};
use crate::webhook;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Duration, Utc};
use domain::shopify::admin::{self as admin, gid, GraphqlRequest};
use domain::shopify::webhooks::Topic;
use domain::shopify::API_VERSION;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;

pub type AppState = Arc<Shops>;

/// Orders an app sees without the protected `read_all_orders` scope (shopify.dev, Order).
const ORDERS_WINDOW_DAYS: i64 = 60;

/// Bulk queries one app may run at once per shop (API 2026-01 release notes).
const MAX_CONCURRENT_BULK: usize = 5;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("unknown shop `{0}`")]
    UnknownShop(String),
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("invalid access token")]
    Unauthorized,
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("oauth error {error}: {description}")]
    OAuth { error: &'static str, description: String },
    #[error("internal: {0}")]
    Internal(String),
}

impl From<state::Poisoned> for ApiError {
    fn from(e: state::Poisoned) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match &self {
            ApiError::UnknownShop(_) | ApiError::NotFound => (StatusCode::NOT_FOUND, json!({ "errors": "Not Found" })),
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                json!({ "errors": "[API] Invalid API key or access token (unrecognized login or wrong password)" }),
            ),
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, json!({ "error": m })),
            ApiError::Conflict(m) => (StatusCode::CONFLICT, json!({ "error": m })),
            ApiError::OAuth { error, description } => {
                (StatusCode::BAD_REQUEST, json!({ "error": error, "error_description": description }))
            }
            ApiError::Internal(m) => {
                eprintln!("fake-shopify: internal error: {m}");
                (StatusCode::INTERNAL_SERVER_ERROR, json!({ "errors": "Internal Server Error" }))
            }
        };
        (status, Json(body)).into_response()
    }
}

type ApiResult<T> = Result<T, ApiError>;

macro_rules! shop {
    ($app:expr, $domain:expr) => {
        $app.lock($domain).ok_or_else(|| ApiError::UnknownShop($domain.to_string()))??
    };
}

pub fn router(app: AppState) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/shops/{shop}/admin/oauth/authorize", get(authorize))
        .route("/shops/{shop}/admin/oauth/access_token", post(access_token))
        .route("/shops/{shop}/admin/api/{version}/graphql.json", post(graphql))
        .route("/admin/{shop}/apps/stock-sentry", get(admin_app_page))
        .route("/admin/{shop}/session-token", get(admin_session_token))
        .route("/app-bridge.js", get(app_bridge))
        .route("/_fake/bulk/{id}/{file}", get(bulk_result))
        .route("/_fake/shops", get(list_shops))
        .route("/_fake/session-token", get(fake_session_token))
        .route("/_fake/webhook", post(trigger_webhook))
        .route("/_fake/sale", post(simulate_sale))
        .route("/_fake/burst", post(burst))
        .route("/_fake/uninstall", post(uninstall))
        .route("/_fake/faults", post(add_faults).get(list_faults).delete(clear_faults))
        .route("/_fake/deliveries", get(list_deliveries))
        .route("/_fake/cancel", post(cancel_order))
        .route("/_fake/scopes", post(set_scopes))
        .route("/_fake/location", post(location_active))
        .route("/_fake/billing", post(set_billing))
        .route("/_fake/gift-card", post(gift_card))
        .route("/store/{store}/charges/{app_handle}/pricing_plans", get(plan_page))
        .route("/store/{store}/charges/{app_handle}/pricing_plans/{plan}", post(plan_chosen))
        .route("/_fake/refund", post(refund_order))
        .route("/_fake/edit", post(edit_order))
        .route("/_fake/track", post(track_item))
        .route("/_fake/product-status", post(product_status))
        .route("/_fake/tokens", get(token_stats).post(set_token_policy))
        .route("/_fake/tokens/revoke", post(revoke_tokens))
        .route("/_fake/token-faults", post(add_token_faults))
        .with_state(app)
}

async fn index(State(app): State<AppState>) -> Html<String> {
    let items: String = app
        .domains()
        .iter()
        .map(|d| format!(r#"<li><a href="/admin/{d}/apps/stock-sentry">{d}</a></li>"#, d = admin_page::escape(d)))
        .collect();
    Html(format!("<!doctype html><meta charset=utf-8><title>Fake Shopify</title><h1>Fake Shopify</h1><p>Open Stock Sentry inside a shop's admin:</p><ul>{items}</ul>"))
}

// ---------------------------------------------------------------------------------------
// OAuth
// ---------------------------------------------------------------------------------------

fn param<'a>(q: &'a [(String, String)], name: &str) -> Option<&'a str> {
    q.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// Auto-approves the install: 302 to `redirect_uri` with `code`, `hmac`, `host`, `shop`,
/// `state` and `timestamp`, the `hmac` signed like Shopify's (hex, sorted query without hmac).
async fn authorize(State(app): State<AppState>, Path(domain): Path<String>, Query(q): Query<Vec<(String, String)>>) -> ApiResult<Response> {
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
    let location = HeaderValue::from_str(&format!("{redirect_uri}{sep}{query}")).map_err(|_| ApiError::BadRequest("redirect_uri is not a valid URL".into()))?;
    Ok((StatusCode::FOUND, [(header::LOCATION, location)]).into_response())
}

use domain::shopify::tokens::{ID_TOKEN_TYPE, OFFLINE_TOKEN_TYPE as OFFLINE_TOKEN, ONLINE_TOKEN_TYPE as ONLINE_TOKEN, TOKEN_EXCHANGE};

/// Reads a JSON or form body into string pairs (JSON numbers and booleans as text).
fn body_params(headers: &HeaderMap, body: &[u8]) -> ApiResult<HashMap<String, String>> {
    let ctype = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if ctype.starts_with("application/json") {
        let v: HashMap<String, Value> =
            serde_json::from_slice(body).map_err(|e| ApiError::OAuth { error: "invalid_request", description: format!("body is not a JSON object: {e}") })?;
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
async fn access_token(State(app): State<AppState>, Path(domain): Path<String>, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    let cfg = &app.cfg;
    let p = body_params(&headers, &body)?;
    let get = |k: &str| p.get(k).map(String::as_str);
    if get("client_id") != Some(cfg.api_key.as_str()) || get("client_secret").map(str::as_bytes).is_none_or(|s| !crypto::same(s, cfg.api_secret.as_bytes())) {
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
                    if expiring { s.tokens.issue_expiring(&scope, &policy, &salt) } else { s.tokens.issue_non_expiring(&scope, &salt) }
                }
                _ => return Err(ApiError::OAuth { error: "invalid_grant", description: "The authorization code was not found or was already used".into() }),
            }
        }
        Some(TOKEN_EXCHANGE) => {
            let subject = get("subject_token").ok_or_else(|| ApiError::OAuth { error: "invalid_request", description: "subject_token is required".into() })?;
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
                (Some(OFFLINE_TOKEN), OFFLINE_TOKEN) if expiring => s.tokens.migrate(subject, &cfg.scopes, &policy, &salt).map_err(refused)?,
                (Some(OFFLINE_TOKEN), _) => {
                    return Err(ApiError::OAuth { error: "invalid_request", description: "migrating an offline token needs expiring=1".into() })
                }
                (other, _) => {
                    return Err(ApiError::OAuth { error: "invalid_request", description: format!("unsupported subject_token_type {other:?}") })
                }
            }
        }
        Some("refresh_token") => {
            let refresh = get("refresh_token").ok_or_else(|| ApiError::OAuth { error: "invalid_request", description: "refresh_token is required".into() })?;
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

// ---------------------------------------------------------------------------------------
// Admin GraphQL
// ---------------------------------------------------------------------------------------

/// The first field of the operation's selection set: `shop`, `node`, `bulkOperationRunQuery`…
pub fn root_field(document: &str) -> Option<&str> {
    let start = document.find('{')? + 1;
    let rest = document[start..].trim_start();
    let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
    let name = &rest[..end];
    // An alias (`x: shop`) names the field after the colon.
    let after = rest[end..].trim_start();
    if let Some(aliased) = after.strip_prefix(':') {
        let aliased = aliased.trim_start();
        let e = aliased.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(aliased.len());
        return Some(&aliased[..e]);
    }
    (!name.is_empty()).then_some(name)
}

fn cost_of(root: &str) -> f64 {
    match root {
        "bulkOperationRunQuery" | "webhookSubscriptionCreate" => 10.0,
        "locations" => 4.0,
        _ => 1.0,
    }
}

fn cost_json(requested: f64, actual: Option<f64>, available: f64) -> Value {
    json!({ "cost": {
        "requestedQueryCost": requested, "actualQueryCost": actual,
        "throttleStatus": { "maximumAvailable": state::BUCKET_MAX, "currentlyAvailable": available.floor(), "restoreRate": state::RESTORE_RATE }
    } })
}

fn throttled(requested: f64, available: f64) -> Response {
    let body = json!({
        "errors": [ { "message": "Throttled", "extensions": { "code": admin::THROTTLED, "documentation": "https://shopify.dev/api/usage/rate-limits" } } ],
        "extensions": cost_json(requested, None, available)
    });
    with_version((StatusCode::OK, Json(body)).into_response())
}

fn with_version(mut r: Response) -> Response {
    r.headers_mut().insert("x-shopify-api-version", HeaderValue::from_static(API_VERSION));
    r
}

async fn graphql(State(app): State<AppState>, Path((domain, version)): Path<(String, String)>, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    if version != API_VERSION {
        return Err(ApiError::NotFound);
    }
    let token = headers.get("x-shopify-access-token").and_then(|v| v.to_str().ok()).unwrap_or("");
    let fault = {
        let mut s = shop!(app, &domain);
        if !s.token_valid(token, &app.policy()) {
            return Err(ApiError::Unauthorized);
        }
        s.faults.pop_front()
    };
    match fault {
        Some(Fault::TooManyRequests { retry_after_secs }) => {
            let mut r = (
                StatusCode::TOO_MANY_REQUESTS,
                Json(json!({ "errors": "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service." })),
            )
                .into_response();
            if let Ok(v) = HeaderValue::from_str(&format!("{retry_after_secs:.1}")) {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            return Ok(with_version(r));
        }
        Some(Fault::ServerError { status }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return Ok(with_version((status, Json(json!({ "errors": "Internal Server Error" }))).into_response()));
        }
        Some(Fault::Slow { delay_ms }) => tokio::time::sleep(std::time::Duration::from_millis(delay_ms)).await,
        Some(Fault::Throttled) => {
            let available = shop!(app, &domain).bucket;
            return Ok(throttled(cost_of("bulkOperationRunQuery").max(available + 1.0), available));
        }
        None => {}
    }
    let req: GraphqlRequest = serde_json::from_slice(&body).map_err(|e| ApiError::BadRequest(format!("body is not a GraphQL request: {e}")))?;
    let Some(root) = root_field(&req.query).map(str::to_string) else {
        return Ok(with_version(Json(json!({ "errors": [ { "message": "syntax error: no selection set" } ] })).into_response()));
    };
    let requested = cost_of(&root);
    let (ok, available) = shop!(app, &domain).spend(requested);
    if !ok {
        return Ok(throttled(requested, available));
    }
    let data = match root.as_str() {
        "shop" => {
            let s = shop!(app, &domain);
            // Every demo shop's time zone is UTC (catalog.rs), so its offset is 0.
            json!({ "shop": { "id": gid("Shop", s.catalog.id), "name": s.catalog.name, "myshopifyDomain": s.domain(),
                              "currencyCode": s.catalog.currency, "ianaTimezone": s.catalog.timezone,
                              "timezoneOffsetMinutes": 0 } })
        }
        "locations" => locations(&app, &domain, &req.variables)?,
        "bulkOperationRunQuery" => run_bulk(&app, &domain, &req).await?,
        "node" => {
            let id = req.variables.get("id").and_then(Value::as_str).map(str::to_string).unwrap_or_default();
            let mut s = shop!(app, &domain);
            let op = s.bulk_ops.iter_mut().find(|o| gid("BulkOperation", o.id) == id);
            json!({ "node": op.map(|o| poll(o, &app.cfg.public_url)) })
        }
        "currentBulkOperation" => {
            let mut s = shop!(app, &domain);
            json!({ "currentBulkOperation": s.bulk_ops.last_mut().map(|o| poll(o, &app.cfg.public_url)) })
        }
        "webhookSubscriptionCreate" => subscribe(&app, &domain, &req.variables)?,
        "order" => {
            let id = req.variables.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
            let s = shop!(app, &domain);
            let order = s.live_orders.iter().find(|o| gid("Order", o.id) == id);
            json!({ "order": order.map(|o| json!({ "id": gid("Order", o.id), "lineItems": { "nodes": o.lines.iter().map(|l| json!({
                "id": gid("LineItem", l.id), "variant": { "id": gid("ProductVariant", l.variant_id) } })).collect::<Vec<_>>() } })) })
        }
        "currentAppInstallation" => {
            let s = shop!(app, &domain);
            let subs: Vec<&Value> = s.app_subscriptions.iter().filter(|x| x["status"] == "ACTIVE").collect();
            let mut data = json!({ "currentAppInstallation": { "activeSubscriptions": subs } });
            if req.query.contains("partnerDevelopment") {
                data["shop"] = json!({ "plan": { "partnerDevelopment": s.partner_development } });
            }
            data
        }
        other => {
            let body = json!({
                "errors": [ { "message": format!("Field '{other}' doesn't exist on type 'QueryRoot' (the fake answers only Stock Sentry's documents)"),
                              "extensions": { "code": "undefinedField", "fieldName": other } } ]
            });
            return Ok(with_version(Json(body).into_response()));
        }
    };
    let available = shop!(app, &domain).bucket;
    Ok(with_version(Json(json!({ "data": data, "extensions": cost_json(requested, Some(requested), available) })).into_response()))
}

fn locations(app: &Shops, domain: &str, vars: &Value) -> ApiResult<Value> {
    let first = vars.get("first").and_then(Value::as_u64).unwrap_or(50).clamp(1, 250) as usize;
    let after: usize = match vars.get("after").and_then(Value::as_str) {
        Some(c) => c.strip_prefix("loc-").and_then(|n| n.parse().ok()).ok_or_else(|| ApiError::BadRequest(format!("invalid cursor {c}")))?,
        None => 0,
    };
    let s = shop!(app, domain);
    let all = &s.catalog.locations;
    let page: Vec<Value> =
        all.iter().skip(after).take(first).map(|l| json!({ "id": gid("Location", l.id), "name": l.name, "isActive": !s.inactive_locations.contains(&l.id) })).collect();
    let end = after + page.len();
    Ok(json!({ "locations": { "nodes": page, "pageInfo": { "hasNextPage": end < all.len(), "endCursor": (end > 0).then(|| format!("loc-{end}")) } } }))
}

/// Once the result file is built, each poll moves the operation on:
/// RUNNING (a third of the objects) → RUNNING (two thirds) → COMPLETED with its `url`.
fn poll(op: &mut BulkOp, public_url: &str) -> Value {
    let (status, fraction) = if !op.ready {
        ("CREATED", 0.0)
    } else {
        op.polls += 1;
        match op.polls {
            1 => ("RUNNING", 1.0 / 3.0),
            2 => ("RUNNING", 2.0 / 3.0),
            _ => ("COMPLETED", 1.0),
        }
    };
    if status == "COMPLETED" && op.completed_at.is_none() {
        op.completed_at = Some(Utc::now());
    }
    let done = status == "COMPLETED";
    json!({
        "id": gid("BulkOperation", op.id), "status": status, "errorCode": null,
        "objectCount": ((op.object_count as f64 * fraction) as u64).to_string(),
        "rootObjectCount": ((op.root_object_count as f64 * fraction) as u64).to_string(),
        "fileSize": if done { Value::from(op.file_size.to_string()) } else { Value::Null },
        "url": if done && op.object_count > 0 { Value::from(format!("{public_url}/_fake/bulk/{}/{}.jsonl", op.id, op.key)) } else { Value::Null },
        "partialDataUrl": null, "createdAt": state::ts(op.created_at), "completedAt": op.completed_at.map(state::ts),
        "type": "QUERY", "query": op.query
    })
}

/// Starts an export: answers CREATED at once and builds the JSONL in the background.
async fn run_bulk(app: &AppState, domain: &str, req: &GraphqlRequest) -> ApiResult<Value> {
    let inner = req.variables.get("query").and_then(Value::as_str).unwrap_or(&req.query).to_string();
    let kind = if inner.contains("orders") {
        BulkKind::Orders
    } else if inner.contains("products") {
        BulkKind::Catalog
    } else {
        return Ok(json!({ "bulkOperationRunQuery": { "bulkOperation": null,
            "userErrors": [ { "field": ["query"], "message": "The fake Shopify exports only products (catalog) and orders", "code": "INVALID" } ] } }));
    };
    let id = app.next_bulk_id.fetch_add(1, Ordering::Relaxed);
    let now = Utc::now();
    let asked = admin::orders_bulk_query_since(&inner);
    let (catalog, seed, history, live, catalog_export, since) = {
        let mut s = shop!(app, domain);
        // Without `read_all_orders`, Shopify returns the last 60 days of orders, whatever was asked.
        let window = (now - chrono::Duration::days(ORDERS_WINDOW_DAYS)).date_naive();
        let since = if s.all_orders { asked } else { Some(asked.map_or(window, |a| a.max(window))) };
        // Since 2026-01 an app may run up to five bulk queries at once per shop.
        if s.bulk_ops.iter().filter(|o| o.in_progress()).count() >= MAX_CONCURRENT_BULK {
            return Ok(json!({ "bulkOperationRunQuery": { "bulkOperation": null,
                "userErrors": [ { "field": null, "message": format!("A shop can run at most {MAX_CONCURRENT_BULK} bulk query operations at a time for an app."), "code": "OPERATION_IN_PROGRESS" } ] } }));
        }
        // The catalog is read now (a snapshot, as Shopify's export is); orders are built later.
        let catalog_export = (kind == BulkKind::Catalog).then(|| state::catalog_jsonl(&s));
        let key = s.random_hex(12);
        s.bulk_ops.push(BulkOp { id, kind, query: inner, created_at: now, completed_at: None, polls: 0, object_count: 0, root_object_count: 0, file_size: 0, key, ready: false });
        (s.catalog.clone(), s.seed, s.history.clone(), s.live_orders.clone(), catalog_export, since)
    };
    let app2 = app.clone();
    let domain2 = domain.to_string();
    tokio::spawn(async move {
        let built = match catalog_export {
            Some(done) => Ok(done),
            None => tokio::task::spawn_blocking(move || {
                let history = history.get_or_init(|| crate::orders::synthesise(&catalog, seed));
                state::orders_jsonl(&catalog, history, &live, since)
            })
            .await,
        };
        let (jsonl, count, roots) = match built {
            Ok(b) => b,
            Err(e) => {
                eprintln!("fake-shopify: building bulk operation {id} failed: {e}");
                (String::new(), 0, 0)
            }
        };
        let Some(Ok(mut s)) = app2.lock(&domain2) else { return };
        let Some(op) = s.bulk_ops.iter_mut().find(|o| o.id == id) else { return };
        op.object_count = count;
        op.root_object_count = roots;
        op.file_size = jsonl.len() as u64;
        op.ready = true;
        let key = op.key.clone();
        drop(s);
        if let Ok(mut results) = app2.results.lock() {
            results.insert(id, (key, Arc::new(jsonl)));
            while results.len() > state::KEPT_RESULTS {
                let Some(oldest) = results.keys().min().copied() else { break };
                results.remove(&oldest);
            }
        }
    });
    Ok(json!({ "bulkOperationRunQuery": { "bulkOperation": { "id": gid("BulkOperation", id), "status": "CREATED", "createdAt": state::ts(now) }, "userErrors": [] } }))
}

fn subscribe(app: &Shops, domain: &str, vars: &Value) -> ApiResult<Value> {
    let topic = vars.get("topic").and_then(Value::as_str).unwrap_or_default().to_string();
    let sub = vars.get("webhookSubscription");
    let uri = sub.and_then(|s| s.get("uri").or_else(|| s.get("callbackUrl"))).and_then(Value::as_str).unwrap_or_default().to_string();
    let mut errors = Vec::new();
    if Topic::from_graphql_enum(&topic).is_none() {
        errors.push(json!({ "field": ["topic"], "message": format!("Topic {topic:?} is not one the fake delivers") }));
    }
    if !(uri.starts_with("https://") || uri.starts_with("http://")) {
        errors.push(json!({ "field": ["webhookSubscription", "uri"], "message": "Address is invalid" }));
    }
    if !errors.is_empty() {
        return Ok(json!({ "webhookSubscriptionCreate": { "webhookSubscription": null, "userErrors": errors } }));
    }
    let mut s = shop!(app, domain);
    if s.subscriptions.iter().any(|(_, t, u)| *t == topic && *u == uri) {
        return Ok(json!({ "webhookSubscriptionCreate": { "webhookSubscription": null,
            "userErrors": [ { "field": ["webhookSubscription", "uri"], "message": "Address for this topic has already been taken" } ] } }));
    }
    let id = gid("WebhookSubscription", 1_000_000 + s.subscriptions.len() as i64 + 1);
    s.subscriptions.push((id.clone(), topic.clone(), uri.clone()));
    Ok(json!({ "webhookSubscriptionCreate": { "webhookSubscription": { "id": id, "topic": topic, "uri": uri }, "userErrors": [] } }))
}

/// The result file of a bulk operation (unauthenticated like Shopify's signed storage URLs;
/// the random key in the path is the secret).
/// Like cloud storage, it honours a single `Range: bytes=a-b` (206 + Content-Range).
async fn bulk_result(State(app): State<AppState>, Path((id, file)): Path<(i64, String)>, headers: HeaderMap) -> ApiResult<Response> {
    let key = file.strip_suffix(".jsonl").ok_or(ApiError::NotFound)?;
    let body = {
        let results = app.results.lock().map_err(|_| state::Poisoned)?;
        match results.get(&id) {
            Some((k, body)) if crypto::same(k.as_bytes(), key.as_bytes()) => body.clone(),
            _ => return Err(ApiError::NotFound),
        }
    };
    let total = body.len();
    let range = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("bytes="))
        .and_then(|v| v.split_once('-'))
        .and_then(|(a, b)| Some((a.parse::<usize>().ok()?, b.parse::<usize>().ok())));
    let Some((start, end)) = range else {
        return Ok(([(header::CONTENT_TYPE, "application/jsonl")], body.as_ref().clone()).into_response());
    };
    if start >= total {
        let unsatisfiable = format!("bytes */{total}");
        return Ok((StatusCode::RANGE_NOT_SATISFIABLE, [(header::CONTENT_RANGE, unsatisfiable)]).into_response());
    }
    let end = end.unwrap_or(total - 1).min(total - 1);
    let part = body.as_bytes().get(start..=end).map(<[u8]>::to_vec).unwrap_or_default();
    let content_range = format!("bytes {start}-{end}/{total}");
    Ok((
        StatusCode::PARTIAL_CONTENT,
        [(header::CONTENT_TYPE, "application/jsonl".to_string()), (header::CONTENT_RANGE, content_range)],
        part,
    )
        .into_response())
}

// ---------------------------------------------------------------------------------------
// Admin page and session tokens
// ---------------------------------------------------------------------------------------

/// A fresh session token for the shop's staff user, as App Bridge would hand out.
pub fn session_token(app: &Shops, domain: &str) -> ApiResult<(String, SessionClaims)> {
    let mut s = shop!(app, domain);
    let now = Utc::now().timestamp();
    let claims = SessionClaims {
        iss: format!("https://{domain}/admin"),
        dest: format!("https://{domain}"),
        aud: app.cfg.api_key.clone(),
        sub: "902541635".to_string(),
        exp: now + 60,
        nbf: now,
        iat: now,
        jti: s.uuid(),
        sid: s.random_hex(32),
    };
    Ok((crypto::sign_jwt(&app.cfg.api_secret, &claims), claims))
}

async fn admin_app_page(State(app): State<AppState>, Path(domain): Path<String>) -> ApiResult<Html<String>> {
    let (token, _) = session_token(&app, &domain)?;
    let name = shop!(app, &domain).catalog.name.clone();
    Ok(Html(admin_page::page(&app.cfg, &domain, &name, &token)))
}

async fn admin_session_token(State(app): State<AppState>, Path(domain): Path<String>) -> ApiResult<Response> {
    let (token, _) = session_token(&app, &domain)?;
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(json!({ "token": token }))).into_response())
}

async fn app_bridge(State(app): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")],
        admin_page::app_bridge_js(&app.cfg.public_url),
    )
        .into_response()
}

#[derive(Deserialize)]
struct ShopQuery {
    shop: String,
}

async fn fake_session_token(State(app): State<AppState>, Query(q): Query<ShopQuery>) -> ApiResult<Json<Value>> {
    let (token, claims) = session_token(&app, &q.shop)?;
    Ok(Json(json!({ "token": token, "claims": claims })))
}

async fn list_shops(State(app): State<AppState>) -> ApiResult<Json<Value>> {
    let mut out = Vec::new();
    for d in app.domains() {
        let s = shop!(app, &d);
        out.push(json!({
            "domain": d, "id": s.catalog.id, "name": s.catalog.name, "seed": s.seed, "installed": s.installed,
            "products": s.catalog.products.len(), "variants": s.catalog.variants.len(), "locations": s.catalog.locations.len(),
            "admin_url": format!("{}/admin/{d}/apps/stock-sentry", app.cfg.public_url),
            "shop_base": format!("{}/shops/{d}", app.cfg.public_url),
        }));
    }
    Ok(Json(json!({ "shops": out })))
}

// ---------------------------------------------------------------------------------------
// Webhook control
// ---------------------------------------------------------------------------------------

#[derive(Deserialize)]
struct TriggerBody {
    shop: String,
    topic: String,
}

async fn trigger_webhook(State(app): State<AppState>, Json(b): Json<TriggerBody>) -> ApiResult<Json<Value>> {
    let topic = Topic::parse(&b.topic).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    if topic == Topic::OrdersCreate {
        return sale(&app, SaleBody { shop: b.shop, variant_id: None, location_id: None, quantity: None }).await;
    }
    let out = {
        let mut s = shop!(app, &b.shop);
        webhook::event(&mut s, topic, Utc::now())?
    };
    let deliveries = webhook::send_all(&app, &b.shop, out).await?;
    Ok(Json(json!({ "deliveries": deliveries })))
}

#[derive(Deserialize)]
struct SaleBody {
    shop: String,
    variant_id: Option<i64>,
    location_id: Option<i64>,
    quantity: Option<i64>,
}

async fn simulate_sale(State(app): State<AppState>, Json(b): Json<SaleBody>) -> ApiResult<Json<Value>> {
    sale(&app, b).await
}

async fn sale(app: &AppState, b: SaleBody) -> ApiResult<Json<Value>> {
    let (order, out, level) = {
        let mut s = shop!(app, &b.shop);
        let (order, out) = webhook::sale(&mut s, b.variant_id, b.location_id, b.quantity.unwrap_or(1), Utc::now())?;
        let line = &order.lines[0];
        let item = s.variant(line.variant_id).map_or(0, |v| v.inventory_item_id);
        let level = json!({ "variant_id": line.variant_id, "inventory_item_id": item, "location_id": order.location_id,
                            "available": s.available.get(&(line.variant_id, order.location_id)) });
        (order, out, level)
    };
    let deliveries = webhook::send_all(app, &b.shop, out).await?;
    Ok(Json(json!({ "order_id": order.id, "order_gid": gid("Order", order.id), "level": level, "deliveries": deliveries })))
}

#[derive(Deserialize)]
struct BurstBody {
    shop: String,
    count: usize,
    #[serde(default)]
    duplicate_percent: u32,
    seed: Option<u64>,
    /// Deliveries in flight at once (default 1: one after another).
    parallel: Option<usize>,
}

async fn burst(State(app): State<AppState>, Json(b): Json<BurstBody>) -> ApiResult<Json<Value>> {
    if b.count == 0 || b.count > 20_000 || b.duplicate_percent > 100 || b.parallel.is_some_and(|p| p == 0 || p > 64) {
        return Err(ApiError::BadRequest("count must be 1..=20000, duplicate_percent 0..=100 and parallel 1..=64".into()));
    }
    let plan = {
        let mut s = shop!(app, &b.shop);
        webhook::burst(&mut s, b.count, b.duplicate_percent, b.seed, Utc::now())?
    };
    let deliveries = webhook::send_parallel(&app, &b.shop, plan.outgoing, b.parallel.unwrap_or(1)).await?;
    Ok(Json(json!({ "sent": deliveries, "expected": plan.expected })))
}

#[derive(Deserialize)]
struct UninstallBody {
    shop: String,
}

/// Uninstalls the app: revokes its tokens and sends `app/uninstalled`.
async fn uninstall(State(app): State<AppState>, Json(b): Json<UninstallBody>) -> ApiResult<Json<Value>> {
    let out = {
        let mut s = shop!(app, &b.shop);
        let out = webhook::event(&mut s, Topic::AppUninstalled, Utc::now())?;
        s.installed = false;
        s.tokens.clear();
        out
    };
    let deliveries = webhook::send_all(&app, &b.shop, out).await?;
    Ok(Json(json!({ "uninstalled": true, "deliveries": deliveries })))
}

#[derive(Deserialize)]
struct FaultBody {
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

async fn add_faults(State(app): State<AppState>, Json(b): Json<FaultBody>) -> ApiResult<Json<Value>> {
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
struct LocationBody {
    shop: String,
    location_id: i64,
    active: bool,
}

/// `POST /_fake/location {"shop", "location_id", "active"}`: `locations/update`.
async fn location_active(State(app): State<AppState>, Json(b): Json<LocationBody>) -> ApiResult<Json<Value>> {
    let out = {
        let mut s = shop!(app, &b.shop);
        webhook::set_location_active(&mut s, b.location_id, b.active, Utc::now())?
    };
    let deliveries = webhook::send_all(&app, &b.shop, out).await?;
    Ok(Json(json!({ "deliveries": deliveries })))
}

/// The plans this fake's Managed Pricing offers (a real app sets them in the Partner Dashboard).
const PLANS: [(&str, &str); 2] = [("Starter", "$19/month"), ("Growth", "$49/month")];

fn store_domain(store: &str) -> String {
    format!("{store}.myshopify.com")
}

/// Shopify's plan selection page for the app (Managed Pricing), in the admin.
async fn plan_page(State(app): State<AppState>, Path((store, app_handle)): Path<(String, String)>) -> ApiResult<Html<String>> {
    let domain = store_domain(&store);
    drop(shop!(app, &domain));
    let plans: String = PLANS
        .iter()
        .map(|(name, price)| {
            format!(
                r#"<li><form method="post" action="/store/{s}/charges/{a}/pricing_plans/{n}"><strong>{n}</strong> {p} <button type="submit">Choose {n}</button></form></li>"#,
                s = admin_page::escape(&store),
                a = admin_page::escape(&app_handle),
                n = name,
                p = price
            )
        })
        .collect();
    Ok(Html(format!("<!doctype html><meta charset=utf-8><title>Choose a plan</title><h1>Choose a plan for {}</h1><ul>{plans}</ul>", admin_page::escape(&app_handle))))
}

/// The merchant approves a plan: the subscription is active, the app hears of it, and the
/// merchant lands back in the app (its welcome link).
async fn plan_chosen(State(app): State<AppState>, Path((store, _app_handle, plan)): Path<(String, String, String)>) -> ApiResult<Response> {
    let domain = store_domain(&store);
    if !PLANS.iter().any(|(n, _)| *n == plan) {
        return Err(ApiError::BadRequest(format!("no plan {plan}")));
    }
    let out = {
        let mut s = shop!(app, &domain);
        webhook::choose_plan(&mut s, &plan, Utc::now())?
    };
    webhook::send_all(&app, &domain, out).await?;
    let to = HeaderValue::from_str(&format!("/admin/{domain}/apps/stock-sentry")).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response())
}

#[derive(Deserialize)]
struct GiftCardBody {
    shop: String,
    product_id: i64,
    gift_card: bool,
}

/// `POST /_fake/gift-card {"shop", "product_id", "gift_card"}`: the product is (or is no
/// longer) a gift card, as the catalogue export's `isGiftCard` then says.
async fn gift_card(State(app): State<AppState>, Json(b): Json<GiftCardBody>) -> ApiResult<Json<Value>> {
    let mut s = shop!(app, &b.shop);
    if s.product(b.product_id).is_none() {
        return Err(ApiError::BadRequest(format!("no product {}", b.product_id)));
    }
    if b.gift_card {
        s.gift_cards.insert(b.product_id);
    } else {
        s.gift_cards.remove(&b.product_id);
    }
    s.product_updated.insert(b.product_id, Utc::now());
    Ok(Json(json!({ "gift_card": b.gift_card })))
}

#[derive(Deserialize)]
struct BillingBody {
    shop: String,
    partner_development: Option<bool>,
    #[serde(default)]
    clear: bool,
}

/// `POST /_fake/billing {"shop", "partner_development"?, "clear"?}`: a development store or
/// not, and dropping the app's subscriptions.
async fn set_billing(State(app): State<AppState>, Json(b): Json<BillingBody>) -> ApiResult<Json<Value>> {
    let mut s = shop!(app, &b.shop);
    if let Some(d) = b.partner_development {
        s.partner_development = d;
    }
    if b.clear {
        s.app_subscriptions.clear();
    }
    Ok(Json(json!({ "partner_development": s.partner_development, "subscriptions": s.app_subscriptions })))
}

#[derive(Deserialize)]
struct ScopesBody {
    shop: String,
    read_all_orders: bool,
}

/// `POST /_fake/scopes {"shop", "read_all_orders"}`: whether Shopify approved the protected
/// scope for the app (without it, orders older than 60 days are not returned).
async fn set_scopes(State(app): State<AppState>, Json(b): Json<ScopesBody>) -> ApiResult<Json<Value>> {
    let mut s = shop!(app, &b.shop);
    s.all_orders = b.read_all_orders;
    Ok(Json(json!({ "read_all_orders": s.all_orders })))
}

#[derive(Deserialize)]
struct OrderEventBody {
    shop: String,
    order_id: Option<i64>,
    quantity: Option<i64>,
    restock_type: Option<String>,
}

/// `POST /_fake/cancel {"shop", "order_id"?}`: cancels a live order (the newest by default).
async fn cancel_order(State(app): State<AppState>, Json(b): Json<OrderEventBody>) -> ApiResult<Json<Value>> {
    let out = {
        let mut s = shop!(app, &b.shop);
        webhook::cancel(&mut s, b.order_id, Utc::now())?
    };
    let deliveries = webhook::send_all(&app, &b.shop, out).await?;
    Ok(Json(json!({ "deliveries": deliveries })))
}

/// `POST /_fake/refund {"shop", "order_id"?, "quantity"?, "restock_type"?}`: refunds units of a live order.
async fn refund_order(State(app): State<AppState>, Json(b): Json<OrderEventBody>) -> ApiResult<Json<Value>> {
    let out = {
        let mut s = shop!(app, &b.shop);
        webhook::refund(&mut s, b.order_id, b.quantity.unwrap_or(1), b.restock_type.as_deref().unwrap_or("return"), Utc::now())?
    };
    let deliveries = webhook::send_all(&app, &b.shop, out).await?;
    Ok(Json(json!({ "deliveries": deliveries })))
}

/// `POST /_fake/edit {"shop", "order_id"?, "quantity"?}`: removes units from a live order (orders/edited).
async fn edit_order(State(app): State<AppState>, Json(b): Json<OrderEventBody>) -> ApiResult<Json<Value>> {
    let out = {
        let mut s = shop!(app, &b.shop);
        webhook::edit_order(&mut s, b.order_id, b.quantity.unwrap_or(1), Utc::now())?
    };
    let deliveries = webhook::send_all(&app, &b.shop, out).await?;
    Ok(Json(json!({ "deliveries": deliveries })))
}

#[derive(Deserialize)]
struct TrackBody {
    shop: String,
    variant_id: i64,
    tracked: bool,
}

/// `POST /_fake/track {"shop", "variant_id", "tracked"}`: `inventory_items/update`.
async fn track_item(State(app): State<AppState>, Json(b): Json<TrackBody>) -> ApiResult<Json<Value>> {
    let out = {
        let mut s = shop!(app, &b.shop);
        webhook::set_tracked(&mut s, b.variant_id, b.tracked, Utc::now())?
    };
    let deliveries = webhook::send_all(&app, &b.shop, out).await?;
    Ok(Json(json!({ "deliveries": deliveries })))
}

#[derive(Deserialize)]
struct StatusBody {
    shop: String,
    product_id: i64,
    status: String,
}

/// `POST /_fake/product-status {"shop", "product_id", "status"}`: `products/update`.
async fn product_status(State(app): State<AppState>, Json(b): Json<StatusBody>) -> ApiResult<Json<Value>> {
    let out = {
        let mut s = shop!(app, &b.shop);
        webhook::set_status(&mut s, b.product_id, &b.status, Utc::now())?
    };
    let deliveries = webhook::send_all(&app, &b.shop, out).await?;
    Ok(Json(json!({ "deliveries": deliveries })))
}

/// `GET /_fake/tokens?shop=`: the policy and the shop's token counts.
async fn token_stats(State(app): State<AppState>, Query(q): Query<ShopQuery>) -> ApiResult<Json<Value>> {
    let policy = app.policy();
    let s = shop!(app, &q.shop);
    Ok(Json(json!({ "policy": policy, "stats": s.tokens.stats(&policy) })))
}

#[derive(Deserialize)]
struct PolicyBody {
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
async fn set_token_policy(State(app): State<AppState>, Json(b): Json<PolicyBody>) -> ApiResult<Json<Value>> {
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
async fn revoke_tokens(State(app): State<AppState>, Json(b): Json<UninstallBody>) -> ApiResult<Json<Value>> {
    let mut s = shop!(app, &b.shop);
    Ok(Json(json!({ "revoked": s.tokens.revoke_refresh() })))
}

#[derive(Deserialize)]
struct TokenFaultBody {
    shop: String,
    /// `503` or `lose_response`.
    kind: String,
    #[serde(default = "one")]
    count: usize,
}

async fn add_token_faults(State(app): State<AppState>, Json(b): Json<TokenFaultBody>) -> ApiResult<Json<Value>> {
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

async fn list_faults(State(app): State<AppState>, Query(q): Query<ShopQuery>) -> ApiResult<Json<Value>> {
    let s = shop!(app, &q.shop);
    Ok(Json(json!({ "queued": s.faults.iter().collect::<Vec<_>>() })))
}

async fn clear_faults(State(app): State<AppState>, Query(q): Query<ShopQuery>) -> ApiResult<Json<Value>> {
    let mut s = shop!(app, &q.shop);
    let cleared = s.faults.len();
    s.faults.clear();
    Ok(Json(json!({ "cleared": cleared })))
}

async fn list_deliveries(State(app): State<AppState>, Query(q): Query<ShopQuery>) -> ApiResult<Json<Value>> {
    let s = shop!(app, &q.shop);
    let d: &Vec<Delivery> = &s.deliveries;
    Ok(Json(json!({ "deliveries": d })))
}

/// Serves until the listener closes.
pub async fn serve(listener: tokio::net::TcpListener, app: AppState) -> std::io::Result<()> {
    axum::serve(listener, router(app)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_root_fields() {
        assert_eq!(root_field(admin::SHOP_QUERY), Some("shop"));
        assert_eq!(root_field(admin::LOCATIONS_QUERY), Some("locations"));
        assert_eq!(root_field(admin::BULK_OPERATION_RUN_QUERY), Some("bulkOperationRunQuery"));
        assert_eq!(root_field(admin::BULK_OPERATION_STATUS_QUERY), Some("node"));
        assert_eq!(root_field(admin::CURRENT_BULK_OPERATION_QUERY), Some("currentBulkOperation"));
        assert_eq!(root_field(admin::WEBHOOK_SUBSCRIPTION_CREATE), Some("webhookSubscriptionCreate"));
        assert_eq!(root_field("{ me: shop { id } }"), Some("shop"));
        assert_eq!(root_field("query"), None);
    }
}
