//! Shopify Flow's `flowTriggerReceive` mutation: a payload is checked against its trigger's
//! fields (`crate::flow_triggers`, the app's extensions read at startup) as Flow does, then
//! recorded.
//! `GET /_fake/flow-triggers?shop=` lists what a shop received; `DELETE` clears it.
//!
//! https://shopify.dev/docs/apps/build/flow/triggers/reference
//! https://shopify.dev/docs/api/admin-graphql/latest/mutations/flowTriggerReceive
//!
//! Only the `handle`/`payload` variables are read (the deprecated `body` argument is not): that
//! is how the documented mutation passes them.

use super::{ApiError, ApiResult, AppState, ShopQuery};
use crate::flow_triggers::validate;
use crate::state::{self, FlowTriggerRun, Shops};
use axum::extract::{Query, State};
use axum::Json;
use serde_json::{json, Value};

/// The `flowTriggerReceive` root field: validate, then record the run in the shop.
pub(super) fn receive(app: &Shops, domain: &str, vars: &Value) -> ApiResult<Value> {
    let handle = vars.get("handle").and_then(Value::as_str);
    let payload = vars.get("payload").unwrap_or(&Value::Null);
    let mut s = shop!(app, domain);
    let errors = validate(&app.cfg.flow_triggers, handle, payload, |kind, id| match kind {
        "Product" => s.product(id).is_some(),
        // The fake has no customers, and orders are not worth a lookup here.
        _ => true,
    });
    if errors.is_empty() {
        let run = FlowTriggerRun {
            handle: handle.unwrap_or_default().to_string(),
            payload: payload.clone(),
            received_at: state::ts(chrono::Utc::now()),
        };
        s.flow_triggers.push(run);
    }
    Ok(json!({ "flowTriggerReceive": { "userErrors": errors } }))
}

/// `GET /_fake/flow-triggers?shop=` → `{"triggers": [{handle, payload, received_at}]}`.
pub(super) async fn list_flow_triggers(State(app): State<AppState>, Query(q): Query<ShopQuery>) -> ApiResult<Json<Value>> {
    let s = shop!(app, &q.shop);
    Ok(Json(json!({ "triggers": s.flow_triggers })))
}

/// `DELETE /_fake/flow-triggers?shop=` → `{"cleared": n}`.
pub(super) async fn clear_flow_triggers(State(app): State<AppState>, Query(q): Query<ShopQuery>) -> ApiResult<Json<Value>> {
    let mut s = shop!(app, &q.shop);
    let cleared = s.flow_triggers.len();
    s.flow_triggers.clear();
    Ok(Json(json!({ "cleared": cleared })))
}
