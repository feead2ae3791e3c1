//! The billing gate (Managed Pricing, `domain::billing`): an embedded page load of a shop
//! past its trial without an active plan gets Shopify's plan selection page instead of the
//! app. Shopify's answer is kept in KV for `BILLING_CACHE_SECS`, so a visit costs one KV
//! read; `app_subscriptions/update` drops it. A Shopify failure lets the merchant in (and
//! is logged): billing never locks a paying merchant out because Shopify was slow.

use app::server::auth::query_pairs;
use app::server::config::AppConfig;
use app::server::log;
use app::server::repo::shops;
use app::server::{billing_cache, shopify, tokens};
use axum::body::Body;
use axum::http::{header, Method, Response, StatusCode};
use domain::billing::{decide, plan_selection_url, Access, BillingData, BILLING_QUERY};
use domain::html::escape as escape_html;
use domain::shopify::auth::verify_session_token;
use domain::shopify::embedded::inside_admin;
use domain::ShopDomain;
use worker::HttpRequest;

fn log_line(event: &str, shop: &ShopDomain, detail: &str) {
    log::info(event).field("shop", shop.as_str()).field("detail", detail).emit();
}

/// The shop's access, from KV or from Shopify; `None` when it cannot be told (not
/// installed yet, no token, Shopify failing): the app opens.
async fn access(env: &worker::Env, cfg: &AppConfig, shop: &ShopDomain) -> Option<Access> {
    if let Some(hit) = billing_cache::cached(env, shop).await {
        return Some(hit);
    }
    let db = app::server::shards::of_domain(env, shop.as_str()).await.ok()??.shard.db;
    let row = shops::by_domain(&db, shop).await.ok()??;
    let ctx = tokens::TokenContext { cfg, db: &db, shop_id: row.id, domain: shop };
    let data: BillingData = match tokens::with_token(&ctx, |t| async move {
        shopify::graphql(cfg, shop, &t, BILLING_QUERY, serde_json::json!({})).await
    })
    .await
    {
        Ok(Some(d)) => d,
        Ok(None) => return None,
        Err(e) => {
            log_line("billing_unknown", shop, &e.to_string());
            return None;
        }
    };
    let trial: i64 = env.var("TRIAL_DAYS").ok().and_then(|v| v.to_string().parse().ok()).unwrap_or(14);
    // Shops installed before billing began get their trial from that day, not from install.
    let since = env.var("BILLING_STARTED").map(|v| v.to_string()).unwrap_or_default();
    let days = shops::days_installed(&db, row.id, &since).await.ok()?;
    let decided = decide(&data, days, trial);
    // Only an open door is remembered: a merchant who has just chosen a plan must not be
    // sent back to the plan page by a cached "needs a plan".
    if decided.allowed() {
        billing_cache::remember(env, shop, &decided).await;
    }
    Some(decided)
}

/// For a page load inside the admin with a valid session token: the plan selection page
/// when the shop needs a plan, else `None` (the app renders).
pub async fn gate(req: &HttpRequest, env: &worker::Env) -> Option<Response<Body>> {
    if req.method() != Method::GET || req.headers().contains_key(header::AUTHORIZATION) {
        return None;
    }
    let query = query_pairs(req.uri().query().unwrap_or(""));
    let dest = req.headers().get("sec-fetch-dest").and_then(|v| v.to_str().ok());
    if !inside_admin(req.uri().path(), &query, dest) {
        return None;
    }
    let cfg = AppConfig::from_env(env).ok()?;
    let now = (worker::Date::now().as_millis() / 1000) as i64;
    let token = query.iter().find(|(k, _)| k == "id_token")?;
    let session = verify_session_token(&token.1, cfg.api_secret.as_bytes(), &cfg.api_key, now).ok()?;
    let decided = access(env, &cfg, &session.shop).await?;
    if decided.allowed() {
        return None;
    }
    log_line("billing_plan_needed", &session.shop, "sent to the plan selection page");
    let admin = env.var("SHOPIFY_ADMIN_ORIGIN").map(|v| v.to_string()).unwrap_or_else(|_| domain::shop::SHOPIFY_ADMIN_ORIGIN.to_string());
    let handle = env.var("APP_HANDLE").map(|v| v.to_string()).unwrap_or_else(|_| "stock-sentry".into());
    let url = plan_selection_url(&admin, session.shop.as_str(), &handle);
    let var = |name: &str| env.var(name).map(|v| v.to_string()).unwrap_or_default();
    Some(plan_page(&url, &var("SHOPIFY_API_KEY"), &var("APP_BRIDGE_URL")))
}

/// Inside the admin's frame: the top window goes to Shopify's plan page (App Bridge, loaded
/// first as Shopify's templates do, carries `open(…, '_top')` to the admin); the link is
/// there for a browser without scripts.
fn plan_page(url: &str, api_key: &str, app_bridge: &str) -> Response<Body> {
    let href = escape_html(url);
    let js = serde_json::Value::from(url).to_string();
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Choose a plan · Stock Sentry</title>\
         <meta name=\"shopify-api-key\" content=\"{key}\"><script src=\"{bridge}\"></script>\
         <link rel=\"stylesheet\" href=\"/pkg/stock_sentry.css\"></head><body><main class=\"page\"><h1>Choose a plan</h1>\
         <p class=\"banner banner-info\">Your Stock Sentry trial has ended. Choose a plan in Shopify to keep your alerts coming.</p>\
         <p><a class=\"button button-primary\" href=\"{href}\" target=\"_top\">See plans</a></p></main>\
         <script>window.open({js}, '_top');</script></body></html>",
        key = escape_html(api_key),
        bridge = escape_html(app_bridge),
    );
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .body(Body::from(html))
        .unwrap_or_default()
}
