//! The OAuth authorization-code install flow, as Shopify documents it:
//! `GET /auth?shop=…` → Shopify's consent page → `GET /auth/callback?code&hmac&shop&state&timestamp`.

use app::server::auth::{cookie, create_session, query_pairs, session_cookie};
use app::server::config::{random_id, AppConfig};
use app::server::log;
use app::server::{bindings, install, shopify};
use axum::body::Body;
use axum::extract::Extension;
use axum::http::{header, request::Parts, Response, StatusCode};
use domain::shopify::auth::verify_oauth_query;
use domain::ShopDomain;
use std::sync::Arc;

const STATE_COOKIE: &str = "ss_oauth_state";
const STATE_TTL_SECS: u64 = 600;
/// A callback older than this is refused (replayed links).
const CALLBACK_MAX_AGE_SECS: i64 = 3600;

fn page(status: StatusCode, message: &str) -> Response<Body> {
    // Shopify's error text and our own reach this page: escaped, never markup.
    let message = domain::html::escape(message);
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Stock Sentry</title>\
         <link rel=\"stylesheet\" href=\"/pkg/stock_sentry.css\"></head><body><main class=\"page\">\
         <h1>Stock Sentry</h1><p class=\"banner banner-critical\" role=\"alert\">{message}</p>\
         <form action=\"/auth\" method=\"get\" class=\"form-section\"><div class=\"field\">\
         <label for=\"shop\">Your shop domain</label><input id=\"shop\" name=\"shop\" placeholder=\"your-shop.myshopify.com\" required>\
         </div><button class=\"button button-primary\" type=\"submit\">Log in</button></form></main></body></html>"
    );
    Response::builder().status(status).header(header::CONTENT_TYPE, "text/html; charset=utf-8").body(Body::from(html)).unwrap_or_default()
}

fn redirect(location: &str, cookies: &[String]) -> Response<Body> {
    let mut b = Response::builder().status(StatusCode::FOUND).header(header::LOCATION, location);
    for c in cookies {
        b = b.header(header::SET_COOKIE, c);
    }
    b.body(Body::empty()).unwrap_or_default()
}

fn log_line(event: &str, detail: &str) {
    log::warn(event).field("detail", detail).emit();
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

pub async fn begin(Extension(env): Extension<Arc<worker::Env>>, parts: Parts) -> Response<Body> {
    worker::send::SendFuture::new(async move {
        let params = query_pairs(parts.uri.query().unwrap_or(""));
        let Some(shop) = param(&params, "shop").and_then(|s| ShopDomain::parse(s.trim()).ok()) else {
            return page(StatusCode::BAD_REQUEST, "Enter your shop's domain, like your-shop.myshopify.com.");
        };
        let Ok(cfg) = AppConfig::from_env(&env) else {
            return page(StatusCode::INTERNAL_SERVER_ERROR, "Stock Sentry is not configured for Shopify yet.");
        };
        let Ok(state) = random_id() else {
            return page(StatusCode::INTERNAL_SERVER_ERROR, "Please try again.");
        };
        let stored = async {
            let kv = env.kv(bindings::KV).map_err(|e| e.to_string())?;
            let put = kv.put(&format!("oauth:state:{state}"), shop.as_str()).map_err(|e| e.to_string())?;
            put.expiration_ttl(STATE_TTL_SECS).execute().await.map_err(|e| e.to_string())
        };
        if let Err(e) = stored.await {
            log_line("oauth_state_store_failed", &e.to_string());
            return page(StatusCode::INTERNAL_SERVER_ERROR, "Please try again.");
        }
        let enc = |s: &str| urlencoding::encode(s).into_owned();
        let url = cfg.shop_url(
            &shop,
            &format!(
                "/admin/oauth/authorize?client_id={}&scope={}&redirect_uri={}&state={}",
                enc(&cfg.api_key),
                enc(&cfg.scopes),
                enc(&format!("{}/auth/callback", cfg.app_url)),
                state
            ),
        );
        let state_cookie = format!("{STATE_COOKIE}={state}; Path=/auth; HttpOnly; Secure; SameSite=Lax; Max-Age={STATE_TTL_SECS}");
        redirect(&url, &[state_cookie])
    })
    .await
}

pub async fn callback(Extension(env): Extension<Arc<worker::Env>>, parts: Parts) -> Response<Body> {
    worker::send::SendFuture::new(async move {
        let params = query_pairs(parts.uri.query().unwrap_or(""));
        let Ok(cfg) = AppConfig::from_env(&env) else {
            return page(StatusCode::INTERNAL_SERVER_ERROR, "Stock Sentry is not configured for Shopify yet.");
        };
        if let Err(e) = verify_oauth_query(cfg.api_secret.as_bytes(), &params) {
            log_line("oauth_hmac_refused", &e.to_string());
            return page(StatusCode::UNAUTHORIZED, "This sign-in link is not from Shopify. Start again from your Shopify admin.");
        }
        let Some(shop) = param(&params, "shop").and_then(|s| ShopDomain::parse(s).ok()) else {
            return page(StatusCode::BAD_REQUEST, "The sign-in link names no valid shop.");
        };
        let now = (worker::Date::now().as_millis() / 1000) as i64;
        let fresh =
            param(&params, "timestamp").and_then(|t| t.parse::<i64>().ok()).is_some_and(|t| (now - t).abs() <= CALLBACK_MAX_AGE_SECS);
        if !fresh {
            log_line("oauth_stale_callback", shop.as_str());
            return page(StatusCode::UNAUTHORIZED, "This sign-in link has expired. Please log in again.");
        }
        // The state must be one we issued, to this browser, for this shop, and unused.
        let state = param(&params, "state").unwrap_or_default().to_string();
        let key = format!("oauth:state:{state}");
        let kv = match env.kv(bindings::KV) {
            Ok(kv) => kv,
            Err(e) => {
                log_line("kv_binding", &e.to_string());
                return page(StatusCode::INTERNAL_SERVER_ERROR, "Please try again.");
            }
        };
        let issued = kv.get(&key).text().await.ok().flatten();
        let same_browser = cookie(&parts, STATE_COOKIE).as_deref() == Some(state.as_str());
        if state.is_empty() || issued.as_deref() != Some(shop.as_str()) || !same_browser {
            log_line("oauth_state_refused", shop.as_str());
            return page(StatusCode::UNAUTHORIZED, "This sign-in link was already used or has expired. Please log in again.");
        }
        let _ = kv.delete(&key).await;
        let Some(code) = param(&params, "code") else {
            return page(StatusCode::BAD_REQUEST, "The sign-in link carries no authorization code.");
        };
        let token = match shopify::exchange_code(&cfg, &shop, code).await {
            Ok(t) => t,
            Err(e) => {
                log_line("oauth_exchange_failed", &shopify::ShopifyError::from(e).to_string());
                return page(StatusCode::BAD_GATEWAY, "Shopify did not confirm the installation. Please try again.");
            }
        };
        if let Err(e) = install::install(&env, &shop, token).await {
            return page(StatusCode::BAD_GATEWAY, &e.to_string());
        }
        let session = match create_session(&env, &shop).await {
            Ok(id) => id,
            Err(e) => return page(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
        };
        let host = param(&params, "host").unwrap_or_default();
        let clear_state = format!("{STATE_COOKIE}=; Path=/auth; HttpOnly; Secure; SameSite=Lax; Max-Age=0");
        let location = format!("/app?shop={}&host={}", shop, urlencoding::encode(host));
        redirect(&location, &[session_cookie(&session), clear_state])
    })
    .await
}
