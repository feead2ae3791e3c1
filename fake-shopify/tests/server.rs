//! The fake Shopify over real HTTP on an ephemeral port, checked with independent code
//! (HMACs recomputed here with the `hmac` crate) and with the app's own parsers from
//! `domain::shopify`.
// Test helpers may unwrap: a failure is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::routing::post;
use axum::Router;
use base64::Engine;
use chrono::{Days, NaiveDate};
use domain::shopify::admin::{
    self, BulkNodeData, BulkOperationStatus, BulkRunData, GraphqlRequest, GraphqlResponse, ResponseKind, ShopData,
};
use domain::shopify::webhooks::{self, Topic, WebhookEvent};
use fake_shopify::state::{Config, Shops};
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const KEY: &str = "test-api-key";
const SECRET: &str = "test-api-secret";
const SHOP: &str = "demo-outfitters.myshopify.com";

fn end() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

#[derive(Debug, Clone)]
struct Received {
    path: String,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

type Inbox = Arc<Mutex<Vec<Received>>>;

async fn receive(State(inbox): State<Inbox>, uri: Uri, headers: HeaderMap, body: Bytes) -> &'static str {
    let headers = headers.iter().map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string())).collect();
    inbox.lock().unwrap().push(Received { path: uri.path().to_string(), headers, body: body.to_vec() });
    "ok"
}

struct Harness {
    base: String,
    app_url: String,
    inbox: Inbox,
    http: reqwest::Client,
}

/// Starts a receiver standing in for the app, and the fake pointing its webhooks at it.
async fn start() -> Harness {
    let inbox: Inbox = Arc::default();
    let receiver = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let app_url = format!("http://{}", receiver.local_addr().unwrap());
    let r = Router::new().route("/webhooks/{a}/{b}", post(receive)).route("/custom/{a}", post(receive)).with_state(inbox.clone());
    tokio::spawn(async move { axum::serve(receiver, r).await });

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let cfg = Config {
        app_url: app_url.clone(),
        api_key: KEY.into(),
        api_secret: SECRET.into(),
        scopes: "read_products,read_inventory,read_orders,read_locations".into(),
        seed: 42,
        end: end(),
        public_url: base.clone(),
        app_subscriptions: fake_shopify::state::app_subscriptions(include_str!("../../shopify.app.toml")).unwrap(),
        flow_triggers: fake_shopify::server::load_flow_triggers(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../extensions"))
            .unwrap(),
    };
    let shops = Arc::new(Shops::new(cfg));
    tokio::spawn(fake_shopify::server::serve(listener, shops));
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    Harness { base, app_url, inbox, http }
}

fn hmac_bytes(message: &[u8]) -> Vec<u8> {
    let mut m = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    m.update(message);
    m.finalize().into_bytes().to_vec()
}

fn decode(s: &str) -> String {
    fake_shopify::crypto::url_decode(s).unwrap()
}

impl Harness {
    fn shop_url(&self, path: &str) -> String {
        format!("{}/shops/{SHOP}{path}", self.base)
    }

    async fn session_token(&self) -> (String, Value) {
        let v: Value = self.http.get(format!("{}/_fake/session-token?shop={SHOP}", self.base)).send().await.unwrap().json().await.unwrap();
        (v["token"].as_str().unwrap().to_string(), v["claims"].clone())
    }

    async fn offline_token(&self) -> String {
        let (session, _) = self.session_token().await;
        let r = self
            .http
            .post(self.shop_url("/admin/oauth/access_token"))
            .json(&json!({
                "client_id": KEY, "client_secret": SECRET,
                "grant_type": "urn:ietf:params:oauth:grant-type:token-exchange",
                "subject_token": session, "subject_token_type": "urn:ietf:params:oauth:token-type:id_token",
                "requested_token_type": "urn:shopify:params:oauth:token-type:offline-access-token"
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.unwrap();
        v["access_token"].as_str().unwrap().to_string()
    }

    async fn graphql(&self, token: &str, query: &str, variables: Value) -> reqwest::Response {
        self.http
            .post(self.shop_url(&format!("/admin/api/{}/graphql.json", domain::shopify::API_VERSION)))
            .header("X-Shopify-Access-Token", token)
            .json(&GraphqlRequest::new(query, variables))
            .send()
            .await
            .unwrap()
    }

    async fn control(&self, path: &str, body: Value) -> Value {
        let r = self.http.post(format!("{}{path}", self.base)).json(&body).send().await.unwrap();
        assert!(r.status().is_success(), "{path}: {}", r.status());
        r.json().await.unwrap()
    }
}

#[tokio::test]
async fn oauth_redirect_is_signed_and_its_code_buys_one_token() {
    let h = start().await;
    let r = h
        .http
        .get(h.shop_url("/admin/oauth/authorize"))
        .query(&[
            ("client_id", KEY),
            ("scope", "read_products,read_orders"),
            ("redirect_uri", &format!("{}/auth/callback", h.app_url)),
            ("state", "n0nce"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let (target, query) = location.split_once('?').unwrap();
    assert!(target.ends_with("/auth/callback"));
    let pairs: Vec<(String, String)> =
        query.split('&').map(|kv| kv.split_once('=').unwrap()).map(|(k, v)| (decode(k), decode(v))).collect();
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap();
    assert_eq!(get("shop"), SHOP);
    assert_eq!(get("state"), "n0nce");
    let host = base64::engine::general_purpose::STANDARD_NO_PAD.decode(get("host")).unwrap();
    assert_eq!(host, b"admin.shopify.com/store/demo-outfitters");
    // Shopify's rule: drop hmac, sort, join key=value with &, hex HMAC-SHA256.
    let mut rest: Vec<String> = pairs.iter().filter(|(k, _)| k != "hmac").map(|(k, v)| format!("{k}={v}")).collect();
    rest.sort();
    let expected: String = hmac_bytes(rest.join("&").as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(get("hmac"), expected);

    // Authorization-code grant, form-encoded.
    let form = [("client_id", KEY), ("client_secret", SECRET), ("code", &get("code"))];
    let r = h.http.post(h.shop_url("/admin/oauth/access_token")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["scope"], "read_products,read_orders");
    let token = v["access_token"].as_str().unwrap().to_string();
    let r = h.graphql(&token, admin::SHOP_QUERY, Value::Null).await;
    assert_eq!(r.status(), 200);
    let shop: GraphqlResponse<ShopData> = r.json().await.unwrap();
    assert_eq!(shop.data.unwrap().shop.myshopify_domain, SHOP);
    assert!(shop.extensions.unwrap().cost.unwrap().throttle_status.currently_available < 2000.0);

    // The code is single-use; a wrong secret is refused; a bad redirect is refused.
    let r = h.http.post(h.shop_url("/admin/oauth/access_token")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 400);
    let bad = [("client_id", KEY), ("client_secret", "nope"), ("code", "x")];
    assert_eq!(h.http.post(h.shop_url("/admin/oauth/access_token")).form(&bad).send().await.unwrap().status(), 400);
    let r = h
        .http
        .get(h.shop_url("/admin/oauth/authorize"))
        .query(&[("client_id", KEY), ("redirect_uri", "https://evil.example/cb")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn token_exchange_verifies_the_session_token() {
    let h = start().await;
    let (session, claims) = h.session_token().await;
    assert_eq!(claims["iss"], format!("https://{SHOP}/admin"));
    assert_eq!(claims["dest"], format!("https://{SHOP}"));
    assert_eq!(claims["aud"], KEY);
    assert_eq!(claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(), 60);
    assert!(claims["sub"].is_string() && claims["jti"].is_string() && claims["sid"].is_string());
    // The JWT signature is HS256 over header.payload with the app secret.
    let (signing_input, sig) = session.rsplit_once('.').unwrap();
    let expected = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(hmac_bytes(signing_input.as_bytes()));
    assert_eq!(sig, expected);

    let token = h.offline_token().await;
    assert_eq!(h.graphql(&token, admin::SHOP_QUERY, Value::Null).await.status(), 200);
    assert_eq!(h.graphql("shpua_wrong", admin::SHOP_QUERY, Value::Null).await.status(), 401);

    let tampered = format!("{signing_input}.{}", "A".repeat(sig.len()));
    let r = h
        .http
        .post(h.shop_url("/admin/oauth/access_token"))
        .form(&[
            ("client_id", KEY),
            ("client_secret", SECRET),
            ("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"),
            ("subject_token", &tampered),
            ("subject_token_type", "urn:ietf:params:oauth:token-type:id_token"),
            ("requested_token_type", "urn:shopify:params:oauth:token-type:offline-access-token"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"], "invalid_subject_token");

    // Uninstalling revokes the token.
    h.control("/_fake/uninstall", json!({ "shop": SHOP })).await;
    assert_eq!(h.graphql(&token, admin::SHOP_QUERY, Value::Null).await.status(), 401);
}

async fn run_bulk(h: &Harness, token: &str, inner: &str) -> String {
    let r: GraphqlResponse<BulkRunData> =
        h.graphql(token, admin::BULK_OPERATION_RUN_QUERY, json!({ "query": inner })).await.json().await.unwrap();
    let run = r.data.unwrap().bulk_operation_run_query;
    assert!(run.user_errors.is_empty(), "{:?}", run.user_errors);
    let started = run.bulk_operation.unwrap();
    assert_eq!(started.status, BulkOperationStatus::Created);
    // Since 2026-01 up to five exports run at once; a sixth is refused, as Shopify does.
    // (Exports started here are never polled, so they stay running for the next call.)
    let mut running = 1;
    loop {
        let more: GraphqlResponse<BulkRunData> =
            h.graphql(token, admin::BULK_OPERATION_RUN_QUERY, json!({ "query": inner })).await.json().await.unwrap();
        let more = more.data.unwrap().bulk_operation_run_query;
        if let Some(e) = more.user_errors.first() {
            assert_eq!(e.code.as_deref(), Some("OPERATION_IN_PROGRESS"));
            break;
        }
        running += 1;
        assert!(running <= 5, "a sixth concurrent export was accepted");
    }
    let mut seen = Vec::new();
    for _ in 0..300 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let r: GraphqlResponse<BulkNodeData> =
            h.graphql(token, admin::BULK_OPERATION_STATUS_QUERY, json!({ "id": started.id })).await.json().await.unwrap();
        let op = r.data.unwrap().node.unwrap();
        seen.push((op.status, op.object_count));
        if op.status.is_final() {
            assert_eq!(op.status, BulkOperationStatus::Completed);
            assert!(seen.iter().any(|(s, _)| *s == BulkOperationStatus::Running));
            let running: Vec<u64> = seen.iter().filter(|(s, _)| *s != BulkOperationStatus::Created).map(|(_, n)| *n).collect();
            assert!(running.windows(2).all(|w| w[0] < w[1]), "objectCount grows: {seen:?}");
            assert!(seen.iter().take_while(|(s, _)| *s == BulkOperationStatus::Created).all(|(_, n)| *n == 0));
            let url = op.url.unwrap();
            let body = h.http.get(&url).send().await.unwrap().text().await.unwrap();
            assert_eq!(op.file_size, Some(body.len() as u64));
            assert_eq!(op.object_count, body.lines().count() as u64);
            return body;
        }
    }
    panic!("bulk operation never completed: {seen:?}");
}

#[tokio::test]
async fn bulk_exports_run_to_completion_and_parse() {
    let h = start().await;
    let token = h.offline_token().await;
    let shop = fake_shopify::catalog::generate(42, end());

    let catalog = admin::parse_catalog_jsonl(&run_bulk(&h, &token, admin::CATALOG_BULK_QUERY).await).unwrap();
    assert_eq!(catalog.products.len(), shop.products.len());
    assert_eq!(catalog.variants.len(), shop.variants.len());
    assert_eq!(catalog.levels.len(), shop.levels.len());
    let level = &shop.levels[0];
    let parsed = catalog.levels.iter().find(|l| l.variant_id == level.variant_id && l.location_id == level.location_id).unwrap();
    assert_eq!((parsed.available, parsed.incoming), (level.available, level.incoming));
    let v = &shop.variants[0];
    let pv = catalog.variants.iter().find(|x| x.id == v.id).unwrap();
    assert_eq!(
        (pv.inventory_item_id, pv.price_cents, pv.cost_cents, pv.product_id),
        (v.inventory_item_id, v.price_cents, Some(v.cost_cents), v.product_id)
    );

    // Orders of the last 90 days: line items add up to the generator's daily sales.
    let since = end().checked_sub_days(Days::new(89)).unwrap();
    let orders = admin::parse_orders_jsonl(&run_bulk(&h, &token, &admin::orders_bulk_query(since)).await).unwrap();
    assert!(orders.len() > 1000, "{} orders", orders.len());
    assert!(orders.iter().all(|o| o.created_at.date_naive() >= since && o.location_id.is_some()));
    let sold: i64 = orders.iter().flat_map(|o| &o.line_items).map(|l| l.quantity).sum();
    let returned: i64 = orders.iter().flat_map(|o| &o.line_items).map(|l| l.refunded_quantity).sum();
    let window = shop.sales.iter().filter(|s| s.day >= since);
    let (want_sold, want_returned) = window.fold((0, 0), |(a, b), s| (a + s.units_sold, b + s.units_returned));
    assert_eq!((sold, returned), (want_sold, want_returned));
    assert!(orders.iter().filter(|o| !o.refunds.is_empty()).all(|o| o.line_items.iter().any(|l| l.refunded_quantity > 0)));
}

#[tokio::test]
async fn injected_faults_then_success() {
    let h = start().await;
    let token = h.offline_token().await;
    h.control("/_fake/faults", json!({ "shop": SHOP, "kind": "429", "count": 1, "retry_after_secs": 1.0 })).await;
    h.control("/_fake/faults", json!({ "shop": SHOP, "kind": "503", "count": 1 })).await;
    h.control("/_fake/faults", json!({ "shop": SHOP, "kind": "throttled", "count": 1 })).await;
    h.control("/_fake/faults", json!({ "shop": SHOP, "kind": "slow", "delay_ms": 300 })).await;

    let r = h.graphql(&token, admin::SHOP_QUERY, Value::Null).await;
    assert_eq!(r.status(), 429);
    let kind = ResponseKind::from_status(429, r.headers().get("retry-after").and_then(|v| v.to_str().ok()));
    assert_eq!(admin::retry_delay(1, kind, None), Some(1000));

    let r = h.graphql(&token, admin::SHOP_QUERY, Value::Null).await;
    assert_eq!(r.status(), 503);
    assert_eq!(admin::retry_delay(2, ResponseKind::from_status(503, None), None), Some(1000));

    let r: GraphqlResponse<ShopData> = h.graphql(&token, admin::SHOP_QUERY, Value::Null).await.json().await.unwrap();
    assert!(r.is_throttled());
    let cost = r.cost().unwrap();
    assert_eq!(cost.actual_query_cost, None);
    let wait =
        admin::retry_delay(1, ResponseKind::Throttled { requested_cost: cost.requested_query_cost }, Some(&cost.throttle_status)).unwrap();
    assert!(wait >= 500);

    let started = std::time::Instant::now();
    let r = h.graphql(&token, admin::SHOP_QUERY, Value::Null).await;
    assert_eq!(r.status(), 200);
    assert!(started.elapsed() >= std::time::Duration::from_millis(300));
    let r: GraphqlResponse<ShopData> = h.graphql(&token, admin::SHOP_QUERY, Value::Null).await.json().await.unwrap();
    assert!(r.data.is_some() && r.errors.is_empty());
    let left: Value = h.http.get(format!("{}/_fake/faults?shop={SHOP}", h.base)).send().await.unwrap().json().await.unwrap();
    assert_eq!(left["queued"], json!([]));
}

#[tokio::test]
async fn webhook_burst_is_signed_duplicated_and_shuffled() {
    let h = start().await;
    let report = h.control("/_fake/burst", json!({ "shop": SHOP, "count": 30, "duplicate_percent": 20, "seed": 7 })).await;
    let sent = report["sent"].as_array().unwrap();
    assert_eq!(report["expected"]["unique_webhooks"], 30);
    assert_eq!(report["expected"]["duplicates"], 6);
    assert_eq!(sent.len(), 36);
    assert!(sent.iter().all(|d| d["status"] == 200), "{sent:?}");

    let inbox = h.inbox.lock().unwrap().clone();
    assert_eq!(inbox.len(), 36);
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut latest: HashMap<(i64, i64), (chrono::DateTime<chrono::Utc>, Option<i64>)> = HashMap::new();
    for r in &inbox {
        let given = base64::engine::general_purpose::STANDARD.decode(&r.headers["x-shopify-hmac-sha256"]).unwrap();
        assert_eq!(given, hmac_bytes(&r.body), "HMAC of {}", r.path);
        let topic = Topic::parse(&r.headers["x-shopify-topic"]).unwrap();
        assert_eq!(Topic::from_path(&r.path), Some(topic));
        assert_eq!(r.headers["x-shopify-shop-domain"], SHOP);
        assert_eq!(r.headers["x-shopify-api-version"], domain::shopify::API_VERSION);
        assert!(chrono::DateTime::parse_from_rfc3339(&r.headers["x-shopify-triggered-at"]).is_ok());
        assert!(!r.headers["x-shopify-event-id"].is_empty());
        *ids.entry(r.headers["x-shopify-webhook-id"].clone()).or_default() += 1;
        if let WebhookEvent::InventoryLevelUpdated(l) = webhooks::parse(topic, &r.body).unwrap() {
            let e = latest.entry((l.inventory_item_id, l.location_id)).or_insert((l.updated_at.with_timezone(&chrono::Utc), l.available));
            if l.updated_at > e.0 {
                *e = (l.updated_at.with_timezone(&chrono::Utc), l.available);
            }
        }
    }
    assert_eq!(ids.len(), 30);
    assert_eq!(ids.values().filter(|n| **n > 1).map(|n| n - 1).sum::<usize>(), 6);
    // Shuffled: the triggered-at order is not the arrival order.
    let times: Vec<&String> = inbox.iter().map(|r| &r.headers["x-shopify-triggered-at"]).collect();
    assert!(times.windows(2).any(|w| w[0] > w[1]));
    // Keeping the newest update per level gives the expected end state.
    for level in report["expected"]["levels"].as_array().unwrap() {
        let key = (level["inventory_item_id"].as_i64().unwrap(), level["location_id"].as_i64().unwrap());
        assert_eq!(latest[&key].1, level["available"].as_i64(), "{level}");
    }
}

#[tokio::test]
async fn a_sale_decrements_stock_and_sends_two_webhooks_to_subscriptions() {
    let h = start().await;
    let token = h.offline_token().await;
    let custom = format!("{}/custom/orders", h.app_url.clone());
    let r: GraphqlResponse<domain::shopify::admin::WebhookCreateData> = h
        .graphql(
            &token,
            admin::WEBHOOK_SUBSCRIPTION_CREATE,
            json!({ "topic": "ORDERS_CREATE", "webhookSubscription": { "uri": custom, "format": "JSON" } }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(r.data.unwrap().webhook_subscription_create.webhook_subscription.is_some());

    let shop = fake_shopify::catalog::generate(42, end());
    let level = shop.levels.iter().find(|l| l.available >= 3).unwrap();
    let v = h
        .control("/_fake/sale", json!({ "shop": SHOP, "variant_id": level.variant_id, "location_id": level.location_id, "quantity": 2 }))
        .await;
    assert_eq!(v["level"]["available"], level.available - 2);
    let inbox = h.inbox.lock().unwrap().clone();
    assert_eq!(inbox.len(), 2);
    assert_eq!(inbox[0].path, "/custom/orders");
    let WebhookEvent::OrderCreated(o) = webhooks::parse(Topic::OrdersCreate, &inbox[0].body).unwrap() else { panic!() };
    assert_eq!((o.line_items[0].variant_id, o.line_items[0].quantity), (Some(level.variant_id), 2));
    assert_eq!(inbox[1].path, "/webhooks/inventory_levels/update");
    let WebhookEvent::InventoryLevelUpdated(l) = webhooks::parse(Topic::InventoryLevelsUpdate, &inbox[1].body).unwrap() else { panic!() };
    assert_eq!(l.available, Some(level.available - 2));
    // Too much is refused.
    let r = h
        .http
        .post(format!("{}/_fake/sale", h.base))
        .json(&json!({ "shop": SHOP, "variant_id": level.variant_id, "location_id": level.location_id, "quantity": 100 }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    // Every other topic can be triggered and parses.
    for topic in Topic::ALL.into_iter().filter(|t| *t != Topic::OrdersCreate) {
        let seen = h.inbox.lock().unwrap().len();
        h.control("/_fake/webhook", json!({ "shop": SHOP, "topic": topic.as_str() })).await;
        // Some events bring others along (a cancellation its refund and stock updates).
        let first = h.inbox.lock().unwrap()[seen..].first().cloned().unwrap();
        assert_eq!(first.headers["x-shopify-topic"], topic.as_str());
        assert_eq!(webhooks::parse(topic, &first.body).unwrap().topic(), topic);
    }
}

#[tokio::test]
async fn admin_page_frames_the_app_and_app_bridge_is_served() {
    let h = start().await;
    let page = h.http.get(format!("{}/admin/{SHOP}/apps/stock-sentry", h.base)).send().await.unwrap().text().await.unwrap();
    let app_url = h.app_url.clone();
    assert!(page.contains(&format!(r#"src="{app_url}/app?embedded=1&amp;"#)), "{page}");
    assert!(page.contains("id_token="));
    let js = h.http.get(format!("{}/app-bridge.js", h.base)).send().await.unwrap().text().await.unwrap();
    assert!(js.contains("idToken") && js.contains(&format!("\"{}\"", h.base)));
    let t: Value = h.http.get(format!("{}/admin/{SHOP}/session-token", h.base)).send().await.unwrap().json().await.unwrap();
    assert_eq!(t["token"].as_str().unwrap().split('.').count(), 3);
    assert_eq!(h.http.get(format!("{}/admin/unknown.myshopify.com/session-token", h.base)).send().await.unwrap().status(), 404);
}

const FLOW_TRIGGER_RECEIVE: &str = "mutation flowTriggerReceive($handle: String, $payload: JSON) { flowTriggerReceive(handle: $handle, payload: $payload) { userErrors { field message } } }";

#[tokio::test]
async fn flow_trigger_receive_validates_and_records() {
    let h = start().await;
    let token = h.offline_token().await;
    let product = fake_shopify::catalog::generate(42, end()).products[0].id;
    let payload = json!({ "product_id": admin::gid("Product", product), "Alert kind": "Reorder now", "Variant": "Large", "SKU": "TEE-L",
                          "Location": "Warehouse", "On hand": 3, "Days of cover": 9999, "Suggested quantity": 24,
                          "Alert URL": "https://stock-sentry.example/app/variants/1" });

    let r = h.graphql(&token, FLOW_TRIGGER_RECEIVE, json!({ "handle": "stock-alert-opened", "payload": payload })).await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["data"]["flowTriggerReceive"]["userErrors"], json!([]), "{v}");
    assert_eq!(v["extensions"]["cost"]["requestedQueryCost"], 10.0);

    // Refused payloads answer 200 with user errors, and are not recorded.
    let mut bad = payload.clone();
    bad["On hand"] = json!("3");
    bad["Colour"] = json!("blue");
    let v: Value =
        h.graphql(&token, FLOW_TRIGGER_RECEIVE, json!({ "handle": "stock-alert-opened", "payload": bad })).await.json().await.unwrap();
    let fields: Vec<&Value> = v["data"]["flowTriggerReceive"]["userErrors"].as_array().unwrap().iter().map(|e| &e["field"]).collect();
    assert_eq!(fields, [&json!(["payload", "On hand"]), &json!(["payload", "Colour"])]);
    let v: Value = h.graphql(&token, FLOW_TRIGGER_RECEIVE, json!({ "handle": "nope", "payload": payload })).await.json().await.unwrap();
    assert_eq!(v["data"]["flowTriggerReceive"]["userErrors"][0]["field"], json!(["handle"]));

    // Injected faults apply to it like to any Admin GraphQL call.
    h.control("/_fake/faults", json!({ "shop": SHOP, "kind": "503" })).await;
    let r = h.graphql(&token, FLOW_TRIGGER_RECEIVE, json!({ "handle": "stock-alert-opened", "payload": payload })).await;
    assert_eq!(r.status(), 503);

    let v: Value = h.http.get(format!("{}/_fake/flow-triggers?shop={SHOP}", h.base)).send().await.unwrap().json().await.unwrap();
    let triggers = v["triggers"].as_array().unwrap();
    assert_eq!(triggers.len(), 1);
    assert_eq!(triggers[0]["handle"], "stock-alert-opened");
    assert_eq!(triggers[0]["payload"], payload);
    assert!(chrono::DateTime::parse_from_rfc3339(triggers[0]["received_at"].as_str().unwrap()).is_ok());
}

#[tokio::test]
async fn receivers_record_and_answer_as_configured() {
    let h = start().await;
    let post =
        |path: &str| h.http.post(format!("{}{path}", h.base)).header("Content-Type", "application/json").body(r#"{"text":"hi"}"#).send();

    let r = post("/_fake/receiver/slack/services/T1/B2/xyz").await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers().get("retry-after").is_none());
    assert_eq!(r.text().await.unwrap(), "ok");

    h.control("/_fake/receivers/slack/config", json!({ "status": 410 })).await;
    let r = post("/_fake/receiver/slack/services/T1/B2/xyz").await.unwrap();
    assert_eq!(r.status(), 410);
    assert_eq!(r.text().await.unwrap(), "channel_is_archived");

    h.control("/_fake/receivers/slack/config", json!({ "status": 429, "retry_after": 30 })).await;
    let r = post("/_fake/receiver/slack").await.unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "30");

    // Another receiver is untouched by slack's configuration.
    assert_eq!(post("/_fake/receiver/merchant/hooks").await.unwrap().status(), 200);

    let v: Value = h.http.get(format!("{}/_fake/receivers/slack", h.base)).send().await.unwrap().json().await.unwrap();
    let requests = v["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[0]["path"], "/_fake/receiver/slack/services/T1/B2/xyz");
    assert_eq!(requests[2]["path"], "/_fake/receiver/slack");
    assert_eq!(requests[0]["headers"]["content-type"], "application/json");
    assert_eq!(requests[0]["body"], r#"{"text":"hi"}"#);

    let v: Value = h.http.delete(format!("{}/_fake/receivers/slack", h.base)).send().await.unwrap().json().await.unwrap();
    assert_eq!(v["cleared"], 3);
    assert_eq!(post("/_fake/receiver/slack").await.unwrap().status(), 200);
    let bad = h.http.post(format!("{}/_fake/receivers/slack/config", h.base)).json(&json!({ "status": 99 })).send().await.unwrap();
    assert_eq!(bad.status(), 400);
}
