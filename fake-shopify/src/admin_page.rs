//! The fake admin: a page that frames the app as Shopify's admin does, and the App Bridge
//! stand-in the app loads inside the frame. `shopify.idToken()` asks the parent page by
//! `postMessage`; the parent fetches a fresh session token from the fake and posts it back,
//! only ever to the app's origin.

use crate::crypto;
use crate::state::Config;

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// `scheme://host[:port]` of a URL.
pub fn origin_of(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    format!("{scheme}://{host}")
}

/// The iframe URL Shopify's admin loads: `{app}/app?embedded=1&hmac=…&host=…&id_token=…&shop=…&timestamp=…`,
/// its `hmac` signed like the OAuth redirect's.
pub fn iframe_src(cfg: &Config, shop: &str, id_token: &str, now: i64) -> String {
    let mut params = vec![
        ("embedded".to_string(), "1".to_string()),
        ("host".to_string(), crypto::host_param(shop)),
        ("id_token".to_string(), id_token.to_string()),
        ("locale".to_string(), "en".to_string()),
        ("shop".to_string(), shop.to_string()),
        ("timestamp".to_string(), now.to_string()),
    ];
    let hmac = crypto::oauth_query_hmac(&cfg.api_secret, &params);
    params.push(("hmac".to_string(), hmac));
    params.sort();
    let query = params.iter().map(|(k, v)| format!("{k}={}", crypto::url_encode(v))).collect::<Vec<_>>().join("&");
    format!("{}/app?{query}", cfg.app_url.trim_end_matches('/'))
}

pub fn page(cfg: &Config, shop: &str, shop_name: &str, id_token: &str) -> String {
    let src = iframe_src(cfg, shop, id_token, chrono::Utc::now().timestamp());
    let app_origin = origin_of(&cfg.app_url);
    let token_url = format!("/admin/{shop}/session-token");
    format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Stock Sentry · {name} · Shopify admin (fake)</title>
<style>
  html, body {{ margin: 0; height: 100%; font-family: -apple-system, "Segoe UI", Roboto, sans-serif; background: #f1f1f1; }}
  header {{ height: 48px; display: flex; align-items: center; gap: 12px; padding: 0 16px; background: #1a1a1a; color: #e3e3e3; font-size: 14px; }}
  header b {{ color: #fff; }}
  iframe {{ border: 0; width: 100%; height: calc(100% - 48px); display: block; background: #fff; }}
</style></head>
<body>
<header><b>Fake Shopify admin</b><span>{name} ({shop_e})</span><span>›</span><span>Apps › Stock Sentry</span></header>
<iframe id="app-iframe" title="Stock Sentry" src="{src}"></iframe>
<script>
(function () {{
  var APP_ORIGIN = {app_origin_js};
  var TOKEN_URL = {token_url_js};
  var frame = document.getElementById('app-iframe');
  window.addEventListener('message', function (e) {{
    if (e.origin !== APP_ORIGIN || e.source !== frame.contentWindow || !e.data || e.data.type !== 'stock-sentry:id-token-request') return;
    var id = e.data.id;
    fetch(TOKEN_URL, {{ cache: 'no-store' }})
      .then(function (r) {{ if (!r.ok) throw new Error('session token endpoint answered ' + r.status); return r.json(); }})
      .then(function (j) {{ frame.contentWindow.postMessage({{ type: 'stock-sentry:id-token', id: id, token: j.token }}, APP_ORIGIN); }})
      .catch(function (err) {{ frame.contentWindow.postMessage({{ type: 'stock-sentry:id-token', id: id, error: String(err) }}, APP_ORIGIN); }});
  }});
}})();
</script>
</body></html>
"#,
        name = escape(shop_name),
        shop_e = escape(shop),
        src = escape(&src),
        app_origin_js = serde_json::Value::from(app_origin),
        token_url_js = serde_json::Value::from(token_url),
    )
}

/// The App Bridge stand-in: `window.shopify.idToken()` and, as App Bridge does, a `fetch`
/// wrapper that adds `Authorization: Bearer <session token>` to same-origin requests and
/// retries once with a fresh token when the app answers 401 with
/// `X-Shopify-Retry-Invalid-Session-Request: 1`; on the bounce page it reloads
/// `shopify-reload` with a fresh `id_token`; in a top-level tab it sends the page into the
/// admin, as the real `app-bridge.js` does.
pub fn app_bridge_js(public_url: &str) -> String {
    let admin_origin = serde_json::Value::from(origin_of(public_url));
    format!(
        r#"/* Fake App Bridge (Stock Sentry's local fake Shopify). */
(function () {{
  var ADMIN_ORIGIN = {admin_origin};
  var embedded = window.parent !== window;
  var params = new URLSearchParams(window.location.search);
  function shopFromHost(host) {{
    try {{
      var h = atob((host || '').replace(/-/g, '+').replace(/_/g, '/'));
      var m = h.match(/store\/([a-z0-9][a-z0-9-]*)/);
      if (m) return m[1] + '.myshopify.com';
      m = h.match(/^([a-z0-9][a-z0-9-]*\.myshopify\.com)\/admin/);
      return m ? m[1] : null;
    }} catch (e) {{ return null; }}
  }}
  if (!embedded) {{
    // As the real app-bridge.js: a page that loads it in a top-level tab is sent into the admin.
    var topShop = params.get('shop') || shopFromHost(params.get('host'));
    if (topShop && /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(topShop)) {{
      window.location.replace(ADMIN_ORIGIN + '/admin/' + topShop + '/apps/stock-sentry');
      return;
    }}
  }}
  var pending = {{}};
  var seq = 0;
  window.addEventListener('message', function (e) {{
    if (e.origin !== ADMIN_ORIGIN || !e.data || e.data.type !== 'stock-sentry:id-token') return;
    var p = pending[e.data.id];
    if (!p) return;
    delete pending[e.data.id];
    if (e.data.token) p.resolve(e.data.token); else p.reject(new Error(e.data.error || 'no session token'));
  }});
  function idToken() {{
    if (!embedded) return Promise.reject(new Error('not embedded in the Shopify admin'));
    return new Promise(function (resolve, reject) {{
      var id = ++seq;
      pending[id] = {{ resolve: resolve, reject: reject }};
      window.parent.postMessage({{ type: 'stock-sentry:id-token-request', id: id }}, ADMIN_ORIGIN);
      setTimeout(function () {{ if (pending[id]) {{ delete pending[id]; reject(new Error('session token request timed out')); }} }}, 10000);
    }});
  }}
  var meta = document.querySelector('meta[name="shopify-api-key"]');
  window.shopify = {{
    idToken: idToken,
    config: {{ apiKey: meta ? meta.getAttribute('content') : null, shop: params.get('shop'), host: params.get('host'), locale: params.get('locale') || 'en' }},
    environment: {{ embedded: embedded, mobile: false, pos: false }}
  }};
  var nativeFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {{
    var url;
    try {{ url = new URL(typeof input === 'string' || input instanceof URL ? String(input) : input.url, window.location.href); }} catch (e) {{ return nativeFetch(input, init); }}
    if (!embedded || url.origin !== window.location.origin) return nativeFetch(input, init);
    var opts = Object.assign({{}}, init || {{}});
    var headers = new Headers(opts.headers || (input instanceof Request ? input.headers : undefined));
    if (headers.has('Authorization')) return nativeFetch(input, init);
    return idToken().then(function (t) {{
      headers.set('Authorization', 'Bearer ' + t);
      opts.headers = headers;
      return nativeFetch(input, opts).then(function (res) {{
        // The app's server refused the token and asks for one retry with a fresh one.
        if (res.status !== 401 || res.headers.get('X-Shopify-Retry-Invalid-Session-Request') !== '1') return res;
        return idToken().then(function (t2) {{
          var again = new Headers(headers);
          again.set('Authorization', 'Bearer ' + t2);
          return nativeFetch(input, Object.assign({{}}, opts, {{ headers: again }}));
        }});
      }});
    }});
  }};
  // The bounce page (`/auth/session-token?shopify-reload=…`): reload that page with a fresh token.
  var reload = params.get('shopify-reload');
  if (embedded && reload) {{
    idToken().then(function (t) {{
      var to = new URL(reload, window.location.href);
      if (to.origin !== window.location.origin) return;
      to.searchParams.set('id_token', t);
      window.location.replace(to.toString());
    }});
  }}
}})();
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> Config {
        Config {
            app_url: "http://127.0.0.1:8787".into(),
            api_key: "k".into(),
            api_secret: "s".into(),
            scopes: "read_products".into(),
            seed: 42,
            end: chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            public_url: "http://127.0.0.1:8788".into(),
            app_subscriptions: Vec::new(),
            flow_triggers: Vec::new(),
        }
    }

    #[test]
    fn origins() {
        assert_eq!(origin_of("http://127.0.0.1:8787/app?x=1"), "http://127.0.0.1:8787");
        assert_eq!(origin_of("https://app.example.com"), "https://app.example.com");
    }

    #[test]
    fn iframe_url_is_signed_like_shopify() {
        let src = iframe_src(&cfg(), "demo-outfitters.myshopify.com", "a.b.c", 1_764_000_000);
        assert!(src.starts_with("http://127.0.0.1:8787/app?embedded=1&"), "{src}");
        let query = src.split_once('?').unwrap().1;
        let pairs: Vec<(String, String)> = query
            .split('&')
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap();
                (k.to_string(), crypto::url_decode(v).unwrap())
            })
            .collect();
        let given = pairs.iter().find(|(k, _)| k == "hmac").unwrap().1.clone();
        assert_eq!(crypto::oauth_query_hmac("s", &pairs), given);
        let page = page(&cfg(), "demo-outfitters.myshopify.com", "Demo <Outfitters>", "a.b.c");
        assert!(page.contains("Demo &lt;Outfitters&gt;"));
        assert!(page.contains(r#"var APP_ORIGIN = "http://127.0.0.1:8787";"#));
    }
}
