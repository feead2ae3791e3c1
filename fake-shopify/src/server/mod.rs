//! The HTTP face of the fake: Shopify's routes under `/shops/{shop}` (so one port serves every
//! demo shop; the app's `SHOPIFY_SHOP_BASE` is `http://127.0.0.1:8788/shops/{shop}`), the fake
//! admin page under `/admin/{shop}`, and JSON control endpoints under `/_fake`.
//!
//! Errors: every handler returns `Result<_, ApiError>`; `ApiError` renders the status and body
//! Shopify would send for that failure (or a JSON `{"error": …}` on control endpoints).
//!
//! One file per surface: `oauth` (install and token endpoint), `graphql` (Admin GraphQL),
//! `bulk` (bulk operations and their result files), `embedded` (the admin page, App Bridge,
//! session tokens) and the `/_fake` controls: `events` (shop changes and their webhooks),
//! `faults`, `billing` (plans and scopes) and `token_policy`; `flow` (Flow triggers and
//! `flowTriggerReceive`) and `receiver` (stand-ins for Slack and merchants' webhook endpoints).

use crate::admin_page;
use crate::state::{self, Shops};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

pub type AppState = Arc<Shops>;

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

mod billing;
mod bulk;
mod embedded;
mod events;
mod faults;
mod flow;
mod graphql;
mod oauth;
mod receiver;
mod token_policy;
mod transfers;

pub use crate::flow_triggers::{
    load_flow_triggers, parse_extension, validate as validate_flow_payload, FieldType, FlowTrigger, TriggerField,
};
pub use embedded::session_token;
pub use graphql::root_field;

use billing::{plan_chosen, plan_page, set_billing, set_scopes};
use bulk::bulk_result;
use embedded::{admin_app_page, admin_session_token, app_bridge, fake_session_token, list_shops};
use events::{
    burst, cancel_order, edit_order, gift_card, list_deliveries, location_active, product_status, refund_order, simulate_sale, track_item,
    trigger_webhook, uninstall,
};
use faults::{add_faults, add_token_faults, clear_faults, list_faults};
use graphql::graphql;
use oauth::{access_token, authorize};
use token_policy::{revoke_tokens, set_token_policy, token_stats};

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
        .route("/_fake/bundle", post(events::bundle))
        .route("/_fake/transfer", post(transfers::create_transfer))
        .route("/store/{store}/charges/{app_handle}/pricing_plans", get(plan_page))
        .route("/store/{store}/charges/{app_handle}/pricing_plans/{plan}", post(plan_chosen))
        .route("/_fake/refund", post(refund_order))
        .route("/_fake/edit", post(edit_order))
        .route("/_fake/track", post(track_item))
        .route("/_fake/product-status", post(product_status))
        .route("/_fake/tokens", get(token_stats).post(set_token_policy))
        .route("/_fake/tokens/revoke", post(revoke_tokens))
        .route("/_fake/token-faults", post(add_token_faults))
        .route("/_fake/flow-triggers", get(flow::list_flow_triggers).delete(flow::clear_flow_triggers))
        .route("/_fake/receiver/{name}", post(receiver::record))
        .route("/_fake/receiver/{name}/{*rest}", post(receiver::record))
        .route("/_fake/receivers/{name}", get(receiver::list).delete(receiver::clear))
        .route("/_fake/receivers/{name}/config", post(receiver::configure))
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

/// `?shop=`: the shop a control endpoint reads.
#[derive(Deserialize)]
struct ShopQuery {
    shop: String,
}

/// `{"shop"}`: the shop a control endpoint acts on.
#[derive(Deserialize)]
struct UninstallBody {
    shop: String,
}

/// Serves until the listener closes.
pub async fn serve(listener: tokio::net::TcpListener, app: AppState) -> std::io::Result<()> {
    axum::serve(listener, router(app)).await
}
