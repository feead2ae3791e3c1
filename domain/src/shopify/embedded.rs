//! The app inside Shopify's admin, as Shopify's templates run it (Shopify/shopify-app-js,
//! `shopify-app-react-router`: `authenticate/admin`, `helpers/redirect-to-bounce-page.ts`,
//! `render-app-bridge.ts`, `respond-to-invalid-session-token.ts`; shopify.dev "App Bridge
//! library" and "Session tokens"):
//! - App Bridge is loaded only by pages inside the admin. Loaded in a top-level tab, the
//!   real `app-bridge.js` sends the page into the admin, so the public help center, the
//!   OAuth pages and the app in a plain browser tab never load it.
//! - A document request inside the admin without a valid `id_token` is sent to the bounce
//!   page (`/auth/session-token?shopify-reload=…`), where App Bridge obtains a fresh session
//!   token and reloads the page with it.
//! - A request from the app's own code (`Authorization: Bearer …`) with an invalid session
//!   token answers 401 with `X-Shopify-Retry-Invalid-Session-Request: 1`; App Bridge retries
//!   it once with a fresh token.

/// Where the bounce page lives (shopify-app-js: `${authPathPrefix}/session-token`).
pub const BOUNCE_PATH: &str = "/auth/session-token";
/// The header that asks App Bridge to retry a request with a fresh session token.
pub const RETRY_INVALID_SESSION_HEADER: &str = "X-Shopify-Retry-Invalid-Session-Request";

fn param<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// The app's pages, as opposed to the public help center, OAuth and local tools.
pub fn is_app_page(path: &str) -> bool {
    path == "/" || path == "/app" || path.starts_with("/app/")
}

/// Whether this document is the app inside Shopify's admin: an app page that Shopify
/// framed (`embedded=1`, or an `id_token`, both of which Shopify adds to the iframe URL)
/// or that the browser says it loads in a frame (`Sec-Fetch-Dest: iframe`).
pub fn inside_admin(path: &str, query: &[(String, String)], sec_fetch_dest: Option<&str>) -> bool {
    is_app_page(path) && (param(query, "embedded") == Some("1") || param(query, "id_token").is_some() || sec_fetch_dest == Some("iframe"))
}

/// Where to send a document request inside the admin that has no valid session token: the
/// bounce page, carrying `shop`, `host` and `embedded` and the page to reload
/// (`shopify-reload`, the request's URL without its stale `id_token`).
pub fn bounce_location(app_url: &str, path: &str, query: &[(String, String)]) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    let kept: Vec<String> = query.iter().filter(|(k, _)| k != "id_token").map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect();
    let reload = if kept.is_empty() { format!("{app_url}{path}") } else { format!("{app_url}{path}?{}", kept.join("&")) };
    let mut out: Vec<String> =
        ["shop", "host", "embedded"].iter().filter_map(|k| param(query, k).map(|v| format!("{k}={}", enc(v)))).collect();
    out.push(format!("shopify-reload={}", enc(&reload)));
    format!("{BOUNCE_PATH}?{}", out.join("&"))
}

use crate::html::escape as escape_html;

/// The bounce page: App Bridge alone, which fetches a session token and reloads
/// `shopify-reload` with it.
pub fn bounce_html(api_key: &str, app_bridge_src: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Stock Sentry</title>\
         <meta name=\"shopify-api-key\" content=\"{}\"><script src=\"{}\"></script></head><body></body></html>",
        escape_html(api_key),
        escape_html(app_bridge_src)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn app_bridge_only_for_app_pages_inside_the_admin() {
        assert!(inside_admin("/app", &q(&[("embedded", "1"), ("shop", "a.myshopify.com")]), None));
        assert!(inside_admin("/app/settings", &q(&[]), Some("iframe")));
        assert!(inside_admin("/", &q(&[("id_token", "x")]), None));
        // A plain tab, the help center, OAuth and local tools never load it.
        assert!(!inside_admin("/app", &q(&[("shop", "a.myshopify.com")]), Some("document")));
        assert!(!inside_admin("/help", &q(&[("embedded", "1")]), Some("iframe")));
        assert!(!inside_admin("/help/faq", &q(&[]), Some("iframe")));
        assert!(!inside_admin("/auth", &q(&[("embedded", "1")]), None));
        assert!(!inside_admin("/application", &q(&[("embedded", "1")]), None));
    }

    #[test]
    fn bounce_drops_the_stale_token_and_reloads_the_same_page() {
        let to = bounce_location(
            "https://app.example",
            "/app/reorder",
            &q(&[("embedded", "1"), ("host", "YWRtaW4="), ("id_token", "old"), ("shop", "a.myshopify.com"), ("days", "30")]),
        );
        assert_eq!(
            to,
            "/auth/session-token?shop=a.myshopify.com&host=YWRtaW4%3D&embedded=1&shopify-reload=\
             https%3A%2F%2Fapp.example%2Fapp%2Freorder%3Fembedded%3D1%26host%3DYWRtaW4%253D%26shop%3Da.myshopify.com%26days%3D30"
        );
        assert!(!to.contains("old"));
    }

    #[test]
    fn the_bounce_page_is_app_bridge_alone_and_escaped() {
        let html = bounce_html("k\"><script>", "https://cdn.shopify.com/shopifycloud/app-bridge.js");
        assert!(html.contains(r#"<meta name="shopify-api-key" content="k&quot;&gt;&lt;script&gt;">"#));
        assert!(html.contains(r#"<script src="https://cdn.shopify.com/shopifycloud/app-bridge.js"></script>"#));
    }
}
