//! The app embedded in the fake admin: the admin page framing it, the App Bridge script and
//! the session tokens App Bridge would hand out, plus the list of demo shops.

use super::{ApiError, ApiResult, AppState, ShopQuery};
use crate::admin_page;
use crate::crypto::{self, SessionClaims};
use crate::state::Shops;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use serde_json::{json, Value};

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

pub(super) async fn admin_app_page(State(app): State<AppState>, Path(domain): Path<String>) -> ApiResult<Html<String>> {
    let (token, _) = session_token(&app, &domain)?;
    let name = shop!(app, &domain).catalog.name.clone();
    Ok(Html(admin_page::page(&app.cfg, &domain, &name, &token)))
}

pub(super) async fn admin_session_token(State(app): State<AppState>, Path(domain): Path<String>) -> ApiResult<Response> {
    let (token, _) = session_token(&app, &domain)?;
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(json!({ "token": token }))).into_response())
}

pub(super) async fn app_bridge(State(app): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")],
        admin_page::app_bridge_js(&app.cfg.public_url),
    )
        .into_response()
}
pub(super) async fn fake_session_token(State(app): State<AppState>, Query(q): Query<ShopQuery>) -> ApiResult<Json<Value>> {
    let (token, claims) = session_token(&app, &q.shop)?;
    Ok(Json(json!({ "token": token, "claims": claims })))
}

pub(super) async fn list_shops(State(app): State<AppState>) -> ApiResult<Json<Value>> {
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
