//! Bulk operations: starting an export (built in the background), polling it through its
//! states, and serving the JSONL result file like cloud storage would.

use super::{ApiError, ApiResult, AppState};
use crate::crypto;
use crate::state::{self, BulkKind, BulkOp};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use domain::shopify::admin::{self as admin, gid, GraphqlRequest};
use serde_json::{json, Value};
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// Orders an app sees without the protected `read_all_orders` scope (shopify.dev, Order).
const ORDERS_WINDOW_DAYS: i64 = 60;

/// Bulk queries one app may run at once per shop (API 2026-01 release notes).
const MAX_CONCURRENT_BULK: usize = 5;
/// Once the result file is built, each poll moves the operation on:
/// RUNNING (a third of the objects) → RUNNING (two thirds) → COMPLETED with its `url`.
pub(super) fn poll(op: &mut BulkOp, public_url: &str) -> Value {
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
pub(super) async fn run_bulk(app: &AppState, domain: &str, req: &GraphqlRequest) -> ApiResult<Value> {
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
        s.bulk_ops.push(BulkOp {
            id,
            kind,
            query: inner,
            created_at: now,
            completed_at: None,
            polls: 0,
            object_count: 0,
            root_object_count: 0,
            file_size: 0,
            key,
            ready: false,
        });
        (s.catalog.clone(), s.seed, s.history.clone(), s.live_orders.clone(), catalog_export, since)
    };
    let app2 = app.clone();
    let domain2 = domain.to_string();
    tokio::spawn(async move {
        let built = match catalog_export {
            Some(done) => Ok(done),
            None => {
                tokio::task::spawn_blocking(move || {
                    let history = history.get_or_init(|| crate::orders::synthesise(&catalog, seed));
                    state::orders_jsonl(&catalog, history, &live, since)
                })
                .await
            }
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
    Ok(
        json!({ "bulkOperationRunQuery": { "bulkOperation": { "id": gid("BulkOperation", id), "status": "CREATED", "createdAt": state::ts(now) }, "userErrors": [] } }),
    )
}
/// The result file of a bulk operation (unauthenticated like Shopify's signed storage URLs;
/// the random key in the path is the secret).
/// Like cloud storage, it honours a single `Range: bytes=a-b` (206 + Content-Range).
pub(super) async fn bulk_result(
    State(app): State<AppState>,
    Path((id, file)): Path<(i64, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
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
