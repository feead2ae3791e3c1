//! The Admin GraphQL endpoint: one handler dispatching on the document's root field, with
//! Shopify's query cost and leaky-bucket throttling, injected faults and the version header.

use super::bulk::{poll, run_bulk};
use super::{ApiError, ApiResult, AppState};
use crate::state::{self, Fault, Shops};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::shopify::admin::{self as admin, gid, GraphqlRequest};
use domain::shopify::webhooks::Topic;
use domain::shopify::API_VERSION;
use serde_json::{json, Value};

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
        "bulkOperationRunQuery" | "webhookSubscriptionCreate" | "flowTriggerReceive" => 10.0,
        "locations" => 4.0,
        "inventoryTransfers" => 10.0,
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

pub(super) async fn graphql(
    State(app): State<AppState>,
    Path((domain, version)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
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
    let req: GraphqlRequest =
        serde_json::from_slice(&body).map_err(|e| ApiError::BadRequest(format!("body is not a GraphQL request: {e}")))?;
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
            // The offset is the zone's now, daylight saving included, as Shopify reports it.
            let zone = domain::engine::ShopZone::named(&s.catalog.timezone, domain::engine::UtcOffset::UTC);
            let offset = zone.offset_at(chrono::Utc::now()).minutes();
            json!({ "shop": { "id": gid("Shop", s.catalog.id), "name": s.catalog.name, "myshopifyDomain": s.domain(),
                              "currencyCode": s.catalog.currency, "ianaTimezone": s.catalog.timezone,
                              "timezoneOffsetMinutes": offset } })
        }
        "locations" => locations(&app, &domain, &req.variables)?,
        "inventoryTransfers" => match super::transfers::inventory_transfers(&app, &domain, &app.cfg.scopes, &req.query, &req.variables)? {
            Ok(data) => data,
            Err(denied) => return Ok(with_version(Json(denied).into_response())),
        },
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
        "flowTriggerReceive" => super::flow::receive(&app, &domain, &req.variables)?,
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
        Some(c) => {
            c.strip_prefix("loc-").and_then(|n| n.parse().ok()).ok_or_else(|| ApiError::BadRequest(format!("invalid cursor {c}")))?
        }
        None => 0,
    };
    let s = shop!(app, domain);
    let all = &s.catalog.locations;
    let page: Vec<Value> = all
        .iter()
        .skip(after)
        .take(first)
        .map(|l| json!({ "id": gid("Location", l.id), "name": l.name, "isActive": !s.inactive_locations.contains(&l.id) }))
        .collect();
    let end = after + page.len();
    Ok(
        json!({ "locations": { "nodes": page, "pageInfo": { "hasNextPage": end < all.len(), "endCursor": (end > 0).then(|| format!("loc-{end}")) } } }),
    )
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
