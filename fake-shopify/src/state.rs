//! The fake's mutable world: per shop, the catalog with live stock, issued codes and tokens,
//! bulk operations, the cost bucket, queued faults, webhook subscriptions and deliveries.

use crate::catalog::{self, Shop};
use crate::orders::{self, Order};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use domain::shopify::admin::gid;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Instant;

/// How the fake was started.
#[derive(Debug, Clone)]
pub struct Config {
    pub app_url: String,
    pub api_key: String,
    pub api_secret: String,
    pub scopes: String,
    pub seed: u64,
    pub end: NaiveDate,
    /// Where the fake itself is reachable (bulk result URLs, the App Bridge script).
    pub public_url: String,
    /// App-specific webhook subscriptions from the app's `shopify.app.toml`: (topic, uri),
    /// the uri relative to the app's URL. Shopify delivers these to every shop that installs
    /// the app, and nothing it was not subscribed to.
    pub app_subscriptions: Vec<(String, String)>,
    /// The app's Flow triggers (`extensions/*/shopify.extension.toml`), which
    /// `flowTriggerReceive` payloads are checked against (`server::flow`).
    pub flow_triggers: Vec<crate::flow_triggers::FlowTrigger>,
}

/// The `[[webhooks.subscriptions]]` of a `shopify.app.toml` (topics and compliance topics)
/// as (topic, uri) pairs.
pub fn app_subscriptions(config_toml: &str) -> Result<Vec<(String, String)>, String> {
    let v: toml::Value = toml::from_str(config_toml).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for sub in v.get("webhooks").and_then(|w| w.get("subscriptions")).and_then(|s| s.as_array()).into_iter().flatten() {
        let Some(uri) = sub.get("uri").and_then(|u| u.as_str()) else { continue };
        for key in ["topics", "compliance_topics"] {
            for t in sub.get(key).and_then(|t| t.as_array()).into_iter().flatten().filter_map(|t| t.as_str()) {
                out.push((t.to_string(), uri.to_string()));
            }
        }
    }
    Ok(out)
}

/// The demo shops: (domain, name, seed offset from `--seed`).
pub const DEMO_SHOPS: [(&str, &str, u64); 2] =
    [("demo-outfitters.myshopify.com", "Demo Outfitters", 0), ("alpine-threads.myshopify.com", "Alpine Threads", 1)];

/// The cost bucket of the Standard plan for the GraphQL Admin API.
pub const BUCKET_MAX: f64 = 2000.0;
pub const RESTORE_RATE: f64 = 100.0;

/// A fault injected into the next Admin API call.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fault {
    TooManyRequests { retry_after_secs: f64 },
    ServerError { status: u16 },
    Slow { delay_ms: u64 },
    Throttled,
}

/// A fault injected into the next call to the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenFault {
    /// 503 before anything happens.
    ServerError,
    /// The grant is applied (a refresh rotates), then 502: the answer is lost.
    LoseResponse,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum BulkKind {
    Catalog,
    Orders,
}

#[derive(Debug, Clone)]
pub struct BulkOp {
    pub id: i64,
    pub kind: BulkKind,
    pub query: String,
    pub created_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    pub polls: u32,
    pub object_count: u64,
    pub root_object_count: u64,
    pub file_size: u64,
    pub key: String,
    /// The result file is built (in the background); until then the operation stays CREATED.
    pub ready: bool,
}

impl BulkOp {
    /// RUNNING or CREATED: another bulk query would be refused.
    pub fn in_progress(&self) -> bool {
        !self.ready || self.polls < 3
    }
}

/// Result files kept for download (the newest; older ones expire): five exports may run at
/// once per shop since API 2026-01, so room for a few rounds of them.
pub const KEPT_RESULTS: usize = 12;

#[derive(Debug, Clone, Serialize)]
pub struct Delivery {
    pub topic: String,
    pub webhook_id: String,
    pub event_id: String,
    pub triggered_at: String,
    pub duplicate: bool,
    /// The last attempt's status (or connection error) and how many attempts were made.
    pub status: Option<u16>,
    pub error: Option<String>,
    pub attempts: u32,
}

pub struct ShopState {
    pub catalog: Arc<Shop>,
    pub seed: u64,
    pub history: Arc<OnceLock<Vec<Order>>>,
    pub live_orders: Vec<Order>,
    /// (variant, location) → available.
    pub available: HashMap<(i64, i64), i64>,
    pub level_updated: HashMap<(i64, i64), DateTime<Utc>>,
    pub product_updated: HashMap<i64, DateTime<Utc>>,
    pub codes: HashMap<String, (DateTime<Utc>, String)>,
    pub tokens: crate::tokens::TokenBook,
    pub bulk_ops: Vec<BulkOp>,
    pub faults: VecDeque<Fault>,
    pub token_faults: VecDeque<TokenFault>,
    pub bucket: f64,
    pub bucket_at: Instant,
    pub subscriptions: Vec<(String, String, String)>, // id, topic enum, uri
    pub deliveries: Vec<Delivery>,
    pub rng: ChaCha8Rng,
    pub next_live_order: i64,
    pub next_live_line: i64,
    pub installed: bool,
    /// Products whose status is not `active` (REST spelling: archived, draft).
    pub product_status: HashMap<i64, String>,
    /// Variants whose inventory item is not tracked.
    pub untracked: std::collections::HashSet<i64>,
    /// Live orders cancelled, and the refunds of live orders as REST writes them.
    pub cancelled: HashMap<i64, DateTime<Utc>>,
    pub refunds_of: HashMap<i64, Vec<Value>>,
    pub refund_seq: i64,
    /// Whether Shopify approved the app's `read_all_orders` scope for this shop; without it
    /// the orders query sees the last 60 days only.
    pub all_orders: bool,
    /// Deactivated locations.
    pub inactive_locations: std::collections::HashSet<i64>,
    /// A development store (Shopify Partners): apps are free there.
    pub partner_development: bool,
    /// The app's subscriptions from Managed Pricing (`AppSubscription` as GraphQL writes it).
    pub app_subscriptions: Vec<Value>,
    /// Products that are gift cards.
    pub gift_cards: std::collections::HashSet<i64>,
    /// Inventory transfers into the shop's locations (`server::transfers`).
    pub transfers: Vec<FakeTransfer>,
    /// (variant, location) → units on open transfers, added to the level's `incoming`.
    pub extra_incoming: HashMap<(i64, i64), i64>,
    /// Flow trigger runs the app started with `flowTriggerReceive` (`server::flow`).
    pub flow_triggers: Vec<FlowTriggerRun>,
    /// Fixed bundles (`POST /_fake/bundle`): bundle variant → (component variant, quantity).
    pub bundles: std::collections::BTreeMap<i64, Vec<(i64, i64)>>,
}

/// A `flowTriggerReceive` Flow accepted.
#[derive(Debug, Clone, Serialize)]
pub struct FlowTriggerRun {
    pub handle: String,
    pub payload: Value,
    /// RFC 3339.
    pub received_at: String,
}

/// A stand-in for an external endpoint the app posts to (`server::receiver`): what it
/// answers and what it was sent.
#[derive(Debug, Clone, Default)]
pub struct Receiver {
    /// The status it answers with; `None` is 200.
    pub status: Option<u16>,
    /// Seconds for a `Retry-After` header.
    pub retry_after: Option<u64>,
    pub requests: Vec<ReceivedRequest>,
}

/// One request a receiver got.
#[derive(Debug, Clone, Serialize)]
pub struct ReceivedRequest {
    pub path: String,
    pub query: Option<String>,
    /// Lowercased header name → value (repeated headers joined with ", ").
    pub headers: serde_json::Map<String, Value>,
    pub body: String,
    /// RFC 3339.
    pub received_at: String,
}

/// A transfer into a location: lines (inventory item, total, shipped) and shipments.
pub struct FakeTransfer {
    pub id: i64,
    /// `InventoryTransferStatus`: DRAFT, READY_TO_SHIP, IN_PROGRESS, TRANSFERRED, CANCELED.
    pub status: String,
    pub location_id: i64,
    pub lines: Vec<(i64, i64, i64)>,
    pub shipments: Vec<FakeShipment>,
}

/// A shipment of a transfer: lines (inventory item, quantity, received so far).
pub struct FakeShipment {
    pub id: i64,
    /// `InventoryShipmentStatus`: DRAFT, IN_TRANSIT, PARTIALLY_RECEIVED, RECEIVED.
    pub status: String,
    pub arrives_at: Option<String>,
    pub lines: Vec<(i64, i64, i64)>,
}

impl ShopState {
    pub fn new(catalog: Shop, seed: u64) -> Self {
        let available = catalog.levels.iter().map(|l| ((l.variant_id, l.location_id), l.available)).collect();
        Self {
            catalog: Arc::new(catalog),
            seed,
            history: Arc::new(OnceLock::new()),
            live_orders: Vec::new(),
            available,
            level_updated: HashMap::new(),
            product_updated: HashMap::new(),
            codes: HashMap::new(),
            tokens: crate::tokens::TokenBook::default(),
            bulk_ops: Vec::new(),
            faults: VecDeque::new(),
            token_faults: VecDeque::new(),
            bucket: BUCKET_MAX,
            bucket_at: Instant::now(),
            subscriptions: Vec::new(),
            deliveries: Vec::new(),
            rng: ChaCha8Rng::seed_from_u64(seed ^ 0x5eed),
            next_live_order: orders::FIRST_LIVE_ORDER_ID,
            next_live_line: orders::FIRST_LIVE_LINE_ID,
            installed: true,
            product_status: HashMap::new(),
            untracked: std::collections::HashSet::new(),
            cancelled: HashMap::new(),
            refunds_of: HashMap::new(),
            refund_seq: 0,
            all_orders: true,
            inactive_locations: std::collections::HashSet::new(),
            partner_development: true,
            app_subscriptions: Vec::new(),
            gift_cards: std::collections::HashSet::new(),
            transfers: Vec::new(),
            extra_incoming: HashMap::new(),
            flow_triggers: Vec::new(),
            bundles: std::collections::BTreeMap::new(),
        }
    }

    pub fn domain(&self) -> &str {
        &self.catalog.domain
    }

    /// Refills the bucket, then takes `cost` if available; returns the bucket either way.
    pub fn spend(&mut self, cost: f64) -> (bool, f64) {
        let now = Instant::now();
        let elapsed = now.duration_since(self.bucket_at).as_secs_f64();
        self.bucket = (self.bucket + elapsed * RESTORE_RATE).min(BUCKET_MAX);
        self.bucket_at = now;
        if self.bucket >= cost {
            self.bucket -= cost;
            (true, self.bucket)
        } else {
            (false, self.bucket)
        }
    }

    pub fn random_hex(&mut self, bytes: usize) -> String {
        (0..bytes).map(|_| format!("{:02x}", self.rng.random::<u8>())).collect()
    }

    /// A UUID-shaped random id, as Shopify's webhook and event ids are.
    pub fn uuid(&mut self) -> String {
        let h = self.random_hex(16);
        format!("{}-{}-4{}-a{}-{}", &h[0..8], &h[8..12], &h[13..16], &h[17..20], &h[20..32])
    }

    pub fn token_valid(&self, token: &str, policy: &crate::tokens::Policy) -> bool {
        self.installed && self.tokens.valid(token, policy)
    }

    pub fn variant(&self, id: i64) -> Option<&catalog::Variant> {
        self.catalog.variants.iter().find(|v| v.id == id)
    }

    pub fn product(&self, id: i64) -> Option<&catalog::Product> {
        self.catalog.products.iter().find(|p| p.id == id)
    }

    /// When the catalogue and stock were last touched before the app arrived: the start of
    /// the day before the last sales day, so any event of the last day (a burst backdated by
    /// hours, just after midnight) is newer, as it would be in a real shop.
    pub fn updated_at_default(&self) -> DateTime<Utc> {
        let last = self.catalog.sales.iter().map(|s| s.day).max().unwrap_or(DateTime::<Utc>::UNIX_EPOCH.date_naive());
        last.pred_opt().unwrap_or(last).and_time(chrono::NaiveTime::MIN).and_utc()
    }
}

pub struct Shops {
    pub cfg: Config,
    shops: HashMap<String, Mutex<ShopState>>,
    /// Bulk results by operation id: (key in the URL, JSONL).
    pub results: Mutex<HashMap<i64, (String, Arc<String>)>>,
    pub next_bulk_id: std::sync::atomic::AtomicI64,
    pub http: reqwest::Client,
    /// How offline tokens are issued and judged (`crate::tokens`), settable at run time.
    pub token_policy: Mutex<crate::tokens::Policy>,
    /// Recording receivers by name, shared by all shops (`server::receiver`).
    pub receivers: Mutex<HashMap<String, Receiver>>,
}

#[derive(Debug, thiserror::Error)]
#[error("shop state lock poisoned")]
pub struct Poisoned;

impl Shops {
    pub fn new(cfg: Config) -> Self {
        let shops = DEMO_SHOPS
            .iter()
            .map(|(domain, name, offset)| {
                let seed = cfg.seed.wrapping_add(*offset);
                let mut shop = catalog::generate(seed, cfg.end);
                shop.domain = domain.to_string();
                shop.name = name.to_string();
                (domain.to_string(), Mutex::new(ShopState::new(shop, seed)))
            })
            .collect();
        let http = reqwest::Client::builder().timeout(std::time::Duration::from_secs(15)).build().unwrap_or_default();
        Self {
            cfg,
            shops,
            results: Mutex::new(HashMap::new()),
            next_bulk_id: std::sync::atomic::AtomicI64::new(4_100_000_000),
            http,
            token_policy: Mutex::new(crate::tokens::Policy::default()),
            receivers: Mutex::new(HashMap::new()),
        }
    }

    pub fn policy(&self) -> crate::tokens::Policy {
        self.token_policy.lock().map(|p| p.clone()).unwrap_or_default()
    }

    pub fn domains(&self) -> Vec<String> {
        let mut d: Vec<String> = self.shops.keys().cloned().collect();
        d.sort();
        d
    }

    /// Locks one shop; `None` if the fake does not know it.
    pub fn lock(&self, domain: &str) -> Option<Result<MutexGuard<'_, ShopState>, Poisoned>> {
        self.shops.get(domain).map(|m| m.lock().map_err(|_| Poisoned))
    }
}

// ---------------------------------------------------------------------------------------
// Wire renderings
// ---------------------------------------------------------------------------------------

pub fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Webhook payload timestamps carry an offset, as Shopify's do (`…+00:00` for a UTC shop).
pub fn ts_offset(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, false)
}

pub fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents.abs() / 100, cents.abs() % 100)
}

pub fn level_gid(location_id: i64, item_id: i64) -> String {
    format!("gid://shopify/InventoryLevel/{location_id}?inventory_item_id={item_id}")
}

/// The catalog export, as `CATALOG_BULK_QUERY` returns it: products, then each product's
/// variants, then each variant's inventory levels (grouped, children after their parent).
pub fn catalog_jsonl(s: &ShopState) -> (String, u64, u64) {
    let mut out = String::new();
    let mut count = 0;
    let default_updated = s.updated_at_default();
    let mut levels_by_variant: HashMap<i64, Vec<&catalog::InventoryLevel>> = HashMap::new();
    for l in &s.catalog.levels {
        levels_by_variant.entry(l.variant_id).or_default().push(l);
    }
    for p in &s.catalog.products {
        let updated = s.product_updated.get(&p.id).copied().unwrap_or(default_updated);
        let status = s.product_status.get(&p.id).map_or("ACTIVE".to_string(), |st| st.to_ascii_uppercase());
        out.push_str(
            &json!({ "id": gid("Product", p.id), "title": p.title, "vendor": p.vendor, "productType": p.product_type,
                              "status": status, "isGiftCard": s.gift_cards.contains(&p.id), "createdAt": ts(p.created_at),
                              "updatedAt": ts(updated) })
            .to_string(),
        );
        out.push('\n');
        count += 1;
        for v in s.catalog.variants.iter().filter(|v| v.product_id == p.id) {
            out.push_str(&json!({
                "id": gid("ProductVariant", v.id), "title": v.title, "sku": v.sku, "price": money(v.price_cents),
                "createdAt": ts(v.created_at), "updatedAt": ts(updated),
                "inventoryItem": { "id": gid("InventoryItem", v.inventory_item_id), "tracked": !s.untracked.contains(&v.id), "unitCost": { "amount": money(v.cost_cents) } },
                "__parentId": gid("Product", p.id)
            }).to_string());
            out.push('\n');
            count += 1;
            // A bundle's components, each a line under it; its stock is theirs (below).
            for (n, (component, quantity)) in s.bundles.get(&v.id).map(Vec::as_slice).unwrap_or_default().iter().enumerate() {
                out.push_str(
                    &json!({
                        "id": gid("ProductVariantComponent", v.id * 100 + n as i64), "quantity": quantity,
                        "productVariant": { "id": gid("ProductVariant", *component) }, "__parentId": gid("ProductVariant", v.id)
                    })
                    .to_string(),
                );
                out.push('\n');
                count += 1;
            }
            for l in levels_by_variant.get(&v.id).map(Vec::as_slice).unwrap_or_default() {
                let key = (v.id, l.location_id);
                let available = match s.bundles.get(&v.id) {
                    // "The bundle's inventory is determined by the inventory of its component variants."
                    Some(parts) => parts
                        .iter()
                        .map(|(c, q)| {
                            let own = s
                                .catalog
                                .levels
                                .iter()
                                .find(|x| x.variant_id == *c && x.location_id == l.location_id)
                                .map_or(0, |x| x.available);
                            s.available.get(&(*c, l.location_id)).copied().unwrap_or(own).max(0) / q.max(&1)
                        })
                        .min()
                        .unwrap_or(0),
                    None => s.available.get(&key).copied().unwrap_or(l.available),
                };
                let updated = s.level_updated.get(&key).copied().unwrap_or(default_updated);
                out.push_str(
                    &json!({
                        "id": level_gid(l.location_id, v.inventory_item_id), "updatedAt": ts(updated),
                        "location": { "id": gid("Location", l.location_id) }, "item": { "id": gid("InventoryItem", v.inventory_item_id) },
                        "quantities": [ { "name": "available", "quantity": available }, { "name": "incoming", "quantity": l.incoming + s.extra_incoming.get(&key).copied().unwrap_or(0) } ],
                        "__parentId": gid("ProductVariant", v.id)
                    })
                    .to_string(),
                );
                out.push('\n');
                count += 1;
            }
        }
    }
    (out, count, s.catalog.products.len() as u64)
}

/// The orders export since `since`, as `orders_bulk_query` returns it (history, then live orders).
pub fn orders_jsonl(catalog: &Shop, history: &[Order], live: &[Order], since: Option<NaiveDate>) -> (String, u64, u64) {
    let skus: HashMap<i64, (&str, i64)> = catalog.variants.iter().map(|v| (v.id, (v.sku.as_str(), v.price_cents))).collect();
    let mut out = String::new();
    let (mut count, mut roots) = (0, 0);
    for o in history.iter().chain(live).filter(|o| since.is_none_or(|d| o.created_at.date_naive() >= d)) {
        let refunds: Vec<Value> = o.refund.iter().map(|r| json!({ "id": gid("Refund", r.id), "createdAt": ts(r.created_at) })).collect();
        out.push_str(
            &json!({
                "id": gid("Order", o.id), "name": format!("#{}", o.number), "createdAt": ts(o.created_at), "cancelledAt": null,
                "fulfillments": [ { "location": { "id": gid("Location", o.location_id) } } ], "refunds": refunds
            })
            .to_string(),
        );
        out.push('\n');
        count += 1;
        roots += 1;
        for l in &o.lines {
            let (sku, price) = skus.get(&l.variant_id).copied().unwrap_or(("", 0));
            out.push_str(
                &json!({
                    "id": gid("LineItem", l.id), "quantity": l.quantity, "currentQuantity": l.quantity - l.returned, "sku": sku,
                    "variant": { "id": gid("ProductVariant", l.variant_id) },
                    "originalUnitPriceSet": { "shopMoney": { "amount": money(price), "currencyCode": catalog.currency } },
                    "__parentId": gid("Order", o.id)
                })
                .to_string(),
            );
            out.push('\n');
            count += 1;
        }
    }
    (out, count, roots)
}

/// `orders/create` body for an order of this shop.
pub fn order_payload(s: &ShopState, o: &Order, now: DateTime<Utc>) -> Value {
    let warehouse = s.catalog.locations.first().map(|l| l.id);
    let pos = Some(o.location_id) != warehouse;
    let lines: Vec<Value> = o
        .lines
        .iter()
        .map(|l| {
            let v = s.variant(l.variant_id);
            let p = v.and_then(|v| s.product(v.product_id));
            json!({
                "id": l.id, "admin_graphql_api_id": gid("LineItem", l.id), "variant_id": l.variant_id,
                "product_id": v.map(|v| v.product_id), "sku": v.map(|v| v.sku.clone()), "title": p.map(|p| p.title.clone()),
                "variant_title": v.map(|v| v.title.clone()), "quantity": l.quantity, "price": money(v.map_or(0, |v| v.price_cents)),
                "fulfillable_quantity": if pos { 0 } else { l.quantity }, "properties": []
            })
        })
        .collect();
    let total: i64 = o.lines.iter().map(|l| l.quantity * s.variant(l.variant_id).map_or(0, |v| v.price_cents)).sum();
    json!({
        "id": o.id, "admin_graphql_api_id": gid("Order", o.id), "name": format!("#{}", o.number), "order_number": o.number,
        "created_at": ts_offset(o.created_at), "updated_at": ts_offset(now), "processed_at": ts_offset(o.created_at), "cancelled_at": null,
        "currency": s.catalog.currency, "total_price": money(total), "financial_status": "paid",
        "fulfillment_status": if pos { Value::from("fulfilled") } else { Value::Null },
        "location_id": if pos { Value::from(o.location_id) } else { Value::Null },
        "source_name": if pos { "pos" } else { "web" },
        "line_items": lines,
        "fulfillments": if pos { json!([{ "id": o.id + 1_000_000, "location_id": o.location_id, "status": "success" }]) } else { json!([]) },
        "refunds": []
    })
}

pub fn inventory_level_payload(s: &ShopState, variant_id: i64, location_id: i64, at: DateTime<Utc>) -> Value {
    let item = s.variant(variant_id).map_or(0, |v| v.inventory_item_id);
    json!({
        "inventory_item_id": item, "location_id": location_id,
        "available": s.available.get(&(variant_id, location_id)).copied(),
        "updated_at": ts_offset(at), "admin_graphql_api_id": level_gid(location_id, item)
    })
}

pub fn product_payload(s: &ShopState, product_id: i64, at: DateTime<Utc>) -> Option<Value> {
    let p = s.product(product_id)?;
    let variants: Vec<Value> = s
        .catalog
        .variants
        .iter()
        .filter(|v| v.product_id == p.id)
        .map(|v| {
            let total: i64 = s.available.iter().filter(|((vid, _), _)| *vid == v.id).map(|(_, a)| *a).sum();
            json!({
                "id": v.id, "admin_graphql_api_id": gid("ProductVariant", v.id), "product_id": p.id, "title": v.title,
                "sku": v.sku, "price": money(v.price_cents), "inventory_item_id": v.inventory_item_id, "inventory_quantity": total,
                "inventory_management": "shopify", "created_at": ts_offset(v.created_at), "updated_at": ts_offset(at)
            })
        })
        .collect();
    Some(json!({
        "id": p.id, "admin_graphql_api_id": gid("Product", p.id), "title": p.title, "vendor": p.vendor,
        "product_type": p.product_type, "status": s.product_status.get(&p.id).map_or("active", String::as_str), "handle": p.title.to_lowercase().replace(' ', "-"),
        "created_at": ts_offset(p.created_at), "updated_at": ts_offset(at), "variants": variants
    }))
}

pub fn shop_payload(s: &ShopState, at: DateTime<Utc>) -> Value {
    json!({
        "id": s.catalog.id, "name": s.catalog.name, "email": format!("owner@{}", s.domain()), "domain": s.domain(),
        "myshopify_domain": s.domain(), "currency": s.catalog.currency, "iana_timezone": s.catalog.timezone,
        "plan_name": "basic", "updated_at": ts_offset(at)
    })
}
