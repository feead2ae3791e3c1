//! Response headers every page needs, embedded in the Shopify admin or not.

use axum::http::{header, HeaderValue, Response};
use worker::HttpRequest;

/// `frame-ancestors` for the shop in the request's `shop` parameter (Shopify adds it to
/// every embedded URL); never a host that is not a shop.
pub fn frame_ancestors(req: &HttpRequest, env: &worker::Env) -> String {
    let shop = req
        .uri()
        .query()
        .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("shop=")))
        .and_then(|s| domain::ShopDomain::parse(s).ok());
    let admin = env.var("SHOPIFY_ADMIN_ORIGIN").map(|v| v.to_string());
    domain::shop::frame_ancestors(shop.as_ref(), admin.as_deref().unwrap_or(domain::shop::SHOPIFY_ADMIN_ORIGIN))
}

pub fn secure<B>(res: &mut Response<B>, frame_ancestors: &str) {
    let h = res.headers_mut();
    let is_html = h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|ct| ct.starts_with("text/html"));
    if is_html {
        if let Ok(v) = HeaderValue::from_str(frame_ancestors) {
            h.insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
}

/// The public help center (not its API): the same for every reader.
pub fn is_public_help(path: &str) -> bool {
    path == "/help" || path.starts_with("/help/")
}

/// Help pages may be cached by browsers and the edge; everything else is per shop and
/// must never be stored by a shared cache.
pub fn caching<B>(res: &mut Response<B>, public_page: bool) {
    let value = if public_page && res.status().is_success() { "public, max-age=300, s-maxage=3600" } else { "private, no-store" };
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
}
