//! The app inside Shopify's admin (`domain::shopify::embedded`): the bounce page, and the
//! redirect to it for a document request that Shopify framed without a valid session token.

use app::server::auth::query_pairs;
use app::server::config::AppConfig;
use axum::body::Body;
use axum::extract::Extension;
use axum::http::{header, Method, Response, StatusCode};
use domain::shopify::auth::verify_session_token;
use domain::shopify::embedded::{bounce_html, bounce_location, inside_admin};
use std::sync::Arc;
use worker::HttpRequest;

/// `GET /auth/session-token`: App Bridge alone; it reloads `shopify-reload` with a fresh token.
pub async fn bounce_page(Extension(env): Extension<Arc<worker::Env>>) -> Response<Body> {
    let var = |name: &str| env.var(name).map(|v| v.to_string()).unwrap_or_default();
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .body(Body::from(bounce_html(&var("SHOPIFY_API_KEY"), &var("APP_BRIDGE_URL"))))
        .unwrap_or_default()
}

/// A page load inside the admin whose `id_token` is missing or no longer valid goes to the
/// bounce page (as shopify-app-js's `authenticate.admin` does) instead of a 401 page.
/// Requests with an `Authorization` header are the app's own fetches: they get a 401 with
/// the retry header from the server function instead.
pub fn bounce(req: &HttpRequest, env: &worker::Env) -> Option<Response<Body>> {
    if req.method() != Method::GET || req.headers().contains_key(header::AUTHORIZATION) {
        return None;
    }
    let path = req.uri().path();
    let query = query_pairs(req.uri().query().unwrap_or(""));
    let dest = req.headers().get("sec-fetch-dest").and_then(|v| v.to_str().ok());
    // Only what Shopify framed: `embedded=1` is on every URL the admin loads.
    if !inside_admin(path, &query, dest) || !query.iter().any(|(k, v)| k == "embedded" && v == "1") {
        return None;
    }
    let cfg = AppConfig::from_env(env).ok()?;
    let now = (worker::Date::now().as_millis() / 1000) as i64;
    let valid = query
        .iter()
        .find(|(k, _)| k == "id_token")
        .is_some_and(|(_, t)| verify_session_token(t, cfg.api_secret.as_bytes(), &cfg.api_key, now).is_ok());
    if valid {
        return None;
    }
    let location = bounce_location(&cfg.app_url, path, &query);
    Response::builder().status(StatusCode::FOUND).header(header::LOCATION, location).body(Body::empty()).ok()
}
