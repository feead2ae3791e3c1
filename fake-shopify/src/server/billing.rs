//! What Shopify decides about the app in a shop: Managed Pricing's plan pages, development
//! store and subscriptions, and whether the protected `read_all_orders` scope was approved.

use super::{ApiError, ApiResult, AppState};
use crate::admin_page;
use crate::webhook;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use serde::Deserialize;
use serde_json::{json, Value};

/// The plans this fake's Managed Pricing offers (a real app sets them in the Partner Dashboard).
const PLANS: [(&str, &str); 2] = [("Starter", "$19/month"), ("Growth", "$49/month")];

fn store_domain(store: &str) -> String {
    format!("{store}.myshopify.com")
}

/// Shopify's plan selection page for the app (Managed Pricing), in the admin.
pub(super) async fn plan_page(State(app): State<AppState>, Path((store, app_handle)): Path<(String, String)>) -> ApiResult<Html<String>> {
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
    Ok(Html(format!(
        "<!doctype html><meta charset=utf-8><title>Choose a plan</title><h1>Choose a plan for {}</h1><ul>{plans}</ul>",
        admin_page::escape(&app_handle)
    )))
}

/// The merchant approves a plan: the subscription is active, the app hears of it, and the
/// merchant lands back in the app (its welcome link).
pub(super) async fn plan_chosen(
    State(app): State<AppState>,
    Path((store, _app_handle, plan)): Path<(String, String, String)>,
) -> ApiResult<Response> {
    let domain = store_domain(&store);
    if !PLANS.iter().any(|(n, _)| *n == plan) {
        return Err(ApiError::BadRequest(format!("no plan {plan}")));
    }
    let out = {
        let mut s = shop!(app, &domain);
        webhook::choose_plan(&mut s, &plan, Utc::now())?
    };
    crate::delivery::send_all(&app, &domain, out).await?;
    let to = HeaderValue::from_str(&format!("/admin/{domain}/apps/stock-sentry")).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response())
}
#[derive(Deserialize)]
pub(super) struct BillingBody {
    shop: String,
    partner_development: Option<bool>,
    #[serde(default)]
    clear: bool,
}

/// `POST /_fake/billing {"shop", "partner_development"?, "clear"?}`: a development store or
/// not, and dropping the app's subscriptions.
pub(super) async fn set_billing(State(app): State<AppState>, Json(b): Json<BillingBody>) -> ApiResult<Json<Value>> {
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
pub(super) struct ScopesBody {
    shop: String,
    read_all_orders: bool,
}

/// `POST /_fake/scopes {"shop", "read_all_orders"}`: whether Shopify approved the protected
/// scope for the app (without it, orders older than 60 days are not returned).
pub(super) async fn set_scopes(State(app): State<AppState>, Json(b): Json<ScopesBody>) -> ApiResult<Json<Value>> {
    let mut s = shop!(app, &b.shop);
    s.all_orders = b.read_all_orders;
    Ok(Json(json!({ "read_all_orders": s.all_orders })))
}
