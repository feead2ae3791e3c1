//! Admin GraphQL: the queries the app sends and the responses it reads.
//!
//! Everything here follows Shopify's documented wire format for the pinned API version
//! (`super::API_VERSION`), so the same code talks to the real Shopify and to the local fake:
//! - the documents are constants (or, for the dated orders export, a pure builder);
//! - responses are `GraphqlResponse<T>` with `data`, `errors` (a throttled call carries
//!   `extensions.code == "THROTTLED"`) and `extensions.cost.throttleStatus`;
//! - bulk operation results are JSON Lines where nested connection items are separate lines
//!   pointing at their parent with `__parentId` (in any order: with `groupObjects: false`
//!   children may come before their parent), parsed here into typed records;
//! - `retry_delay` is the one retry/backoff policy for every Admin API call.

use crate::engine::calendar::{local_date, UtcOffset};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use std::collections::HashMap;

// ---------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------

/// The shop's identity, currency and time zone (sales days are counted in the shop's zone).
pub const SHOP_QUERY: &str = "query StockSentryShop { shop { id name myshopifyDomain currencyCode ianaTimezone timezoneOffsetMinutes } }";

/// One page of locations; variables `{"first": Int!, "after": String}`.
pub const LOCATIONS_QUERY: &str = "query StockSentryLocations($first: Int!, $after: String) { locations(first: $first, after: $after, includeInactive: false) { nodes { id name isActive } pageInfo { hasNextPage endCursor } } }";

/// Starts a bulk export; variables `{"query": <one of the bulk queries below>}`.
pub const BULK_OPERATION_RUN_QUERY: &str = "mutation StockSentryBulkRun($query: String!) { bulkOperationRunQuery(query: $query) { bulkOperation { id status createdAt } userErrors { field message code } } }";

/// The inner query of the catalog export: products → variants (with their inventory item and
/// unit cost) → inventory levels per location with the `available` quantity. Two levels of
/// nested connections, within Shopify's bulk limits (five connections, depth two).
pub const CATALOG_BULK_QUERY: &str = r#"{ products { edges { node { id title vendor productType status isGiftCard createdAt updatedAt variants { edges { node { id title sku price createdAt updatedAt inventoryItem { id tracked unitCost { amount } inventoryLevels { edges { node { id updatedAt location { id } item { id } quantities(names: ["available", "incoming"]) { name quantity } } } } } } } } } } } }"#;

/// Polls one bulk operation by id; variables `{"id": ID!}`.
pub const BULK_OPERATION_STATUS_QUERY: &str = "query StockSentryBulkStatus($id: ID!) { node(id: $id) { ... on BulkOperation { id status errorCode objectCount rootObjectCount fileSize url partialDataUrl createdAt completedAt } } }";

/// The app's most recent bulk query (for recovery after a restart); no variables.
pub const CURRENT_BULK_OPERATION_QUERY: &str = "query StockSentryCurrentBulk { currentBulkOperation(type: QUERY) { id status errorCode objectCount rootObjectCount fileSize url partialDataUrl createdAt completedAt } }";

/// Subscribes one topic; variables
/// `{"topic": "ORDERS_CREATE", "webhookSubscription": {"uri": "https://…/webhooks/orders/create", "format": "JSON"}}`.
pub const WEBHOOK_SUBSCRIPTION_CREATE: &str = "mutation StockSentryWebhookCreate($topic: WebhookSubscriptionTopic!, $webhookSubscription: WebhookSubscriptionInput!) { webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) { webhookSubscription { id topic uri } userErrors { field message } } }";

/// How much order history the app imports (`jobs::full_history_days`).
pub const ORDER_HISTORY_DAYS: i64 = crate::jobs::full_history_days() as i64;

/// The inner query of the orders export since `since` (inclusive, UTC midnight): orders with
/// their line items (a nested connection) and, inline, the fulfilling location and refunds.
/// Refund quantities come from `quantity - currentQuantity` per line item, because a bulk
/// query cannot nest a connection (`refundLineItems`) inside a list field (`refunds`).
pub fn orders_bulk_query(since: NaiveDate) -> String {
    format!(
        r#"{{ orders(query: "created_at:>={since}", sortKey: CREATED_AT) {{ edges {{ node {{ id name createdAt cancelledAt fulfillments {{ location {{ id }} }} refunds {{ id createdAt }} lineItems {{ edges {{ node {{ id quantity currentQuantity sku variant {{ id }} originalUnitPriceSet {{ shopMoney {{ amount currencyCode }} }} }} }} }} }} }} }} }}"#
    )
}

/// Reads back the `since` date of a document built by `orders_bulk_query`.
pub fn orders_bulk_query_since(query: &str) -> Option<NaiveDate> {
    let rest = &query[query.find("created_at:>=")? + "created_at:>=".len()..];
    let date: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '-').collect();
    NaiveDate::parse_from_str(&date, "%Y-%m-%d").ok()
}

/// The JSON body of a GraphQL call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphqlRequest {
    pub query: String,
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub variables: Value,
}

impl GraphqlRequest {
    pub fn new(query: &str, variables: Value) -> Self {
        Self { query: query.to_string(), variables }
    }
}

// ---------------------------------------------------------------------------------------
// Global ids
// ---------------------------------------------------------------------------------------

/// A parsed global id: `gid://shopify/ProductVariant/123` → kind `ProductVariant`, id 123.
/// Inventory levels carry a query suffix (`…/InventoryLevel/9?inventory_item_id=3`); it is dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gid {
    pub kind: String,
    pub id: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a Shopify global id (gid://shopify/<Type>/<number>)")]
pub struct InvalidGid(pub String);

impl Gid {
    pub fn parse(raw: &str) -> Result<Self, InvalidGid> {
        let err = || InvalidGid(raw.to_string());
        let rest = raw.strip_prefix("gid://shopify/").ok_or_else(err)?;
        let rest = rest.split('?').next().unwrap_or(rest);
        let (kind, id) = rest.split_once('/').ok_or_else(err)?;
        if kind.is_empty() || !kind.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(err());
        }
        let id: i64 = id.parse().map_err(|_| err())?;
        if id <= 0 {
            return Err(err());
        }
        Ok(Self { kind: kind.to_string(), id })
    }
}

/// Seconds a cached Admin API read stays fresh (the KV API cache).
pub const API_CACHE_TTL_SECS: u64 = 300;

/// The KV key of a cached Admin API read: per shop, per document and variables (hashed, so
/// a key stays short whatever the query), never per access token.
pub fn api_cache_key(shop: &str, query: &str, variables: &Value) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(query.as_bytes());
    h.update([0]);
    h.update(variables.to_string().as_bytes());
    let digest = h.finalize();
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("{}{hex}", api_cache_prefix(shop))
}

/// Every API cache key of one shop starts with this (shop/redact deletes them all).
pub fn api_cache_prefix(shop: &str) -> String {
    format!("api:{shop}:")
}

/// The numeric tail of a global id, if it is one.
pub fn numeric_id(gid: &str) -> Option<i64> {
    Gid::parse(gid).ok().map(|g| g.id)
}

/// Builds a global id: `gid("Product", 42)` → `gid://shopify/Product/42`.
pub fn gid(kind: &str, id: i64) -> String {
    format!("gid://shopify/{kind}/{id}")
}

/// Parses a decimal money string (`"19.99"`, `"5"`, `"0.5"`) into cents, refusing anything
/// with more than two decimals or a sign other than a leading minus.
pub fn money_to_cents(amount: &str) -> Option<i64> {
    let (neg, digits) = match amount.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, amount),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() || frac.len() > 2 || !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let frac: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().ok()? };
    let cents = whole.checked_mul(100)?.checked_add(frac)?;
    Some(if neg { -cents } else { cents })
}

// ---------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------

/// Any Admin GraphQL response: `data` may be absent (throttled) or partial (field errors).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphqlResponse<T> {
    #[serde(default = "Option::default")]
    pub data: Option<T>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<GraphqlError>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<ResponseExtensions>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphqlError {
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<ErrorExtensions>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorExtensions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documentation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseExtensions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<QueryCost>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryCost {
    pub requested_query_cost: f64,
    /// Null when the call was throttled (nothing ran).
    pub actual_query_cost: Option<f64>,
    pub throttle_status: ThrottleStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ThrottleStatus {
    pub maximum_available: f64,
    pub currently_available: f64,
    /// Points restored per second.
    pub restore_rate: f64,
}

pub const THROTTLED: &str = "THROTTLED";

impl<T> GraphqlResponse<T> {
    /// Shopify refused to run the query for lack of points in the bucket.
    pub fn is_throttled(&self) -> bool {
        self.errors
            .iter()
            .any(|e| e.extensions.as_ref().and_then(|x| x.code.as_deref()) == Some(THROTTLED))
    }

    pub fn cost(&self) -> Option<&QueryCost> {
        self.extensions.as_ref().and_then(|e| e.cost.as_ref())
    }
}

/// `UnsignedInt64` is serialised by GraphQL as a string (`"1234"`); accept a number too.
fn de_u64_string<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    match Value::deserialize(d)? {
        Value::String(s) => s.parse().map_err(serde::de::Error::custom),
        Value::Number(n) => n.as_u64().ok_or_else(|| serde::de::Error::custom("not an unsigned integer")),
        Value::Null => Ok(0),
        other => Err(serde::de::Error::custom(format!("expected an UnsignedInt64, got {other}"))),
    }
}

fn de_opt_u64_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::String(s) => s.parse().map(Some).map_err(serde::de::Error::custom),
        Value::Number(n) => n.as_u64().map(Some).ok_or_else(|| serde::de::Error::custom("not an unsigned integer")),
        other => Err(serde::de::Error::custom(format!("expected an UnsignedInt64, got {other}"))),
    }
}

fn ser_u64_string<S: serde::Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&v.to_string())
}

fn ser_opt_u64_string<S: serde::Serializer>(v: &Option<u64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.serialize_str(&v.to_string()),
        None => s.serialize_none(),
    }
}

/// An order's line items with their variants (`orders/edited` names line items only);
/// variables `{"id": "gid://shopify/Order/…"}`.
pub const ORDER_LINES_QUERY: &str = "query StockSentryOrderLines($id: ID!) { order(id: $id) { id lineItems(first: 250) { nodes { id variant { id } } } } }";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderLinesData {
    pub order: Option<OrderLines>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderLines {
    pub id: String,
    pub line_items: Nodes<OrderLineNode>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Nodes<T> {
    pub nodes: Vec<T>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderLineNode {
    pub id: String,
    #[serde(default)]
    pub variant: Option<IdOnlyNode>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdOnlyNode {
    pub id: String,
}

impl OrderLines {
    /// Line item id → variant id, for the lines that have a variant.
    pub fn variants(&self) -> Vec<(i64, i64)> {
        self.line_items
            .nodes
            .iter()
            .filter_map(|l| Some((numeric_id(&l.id)?, numeric_id(&l.variant.as_ref()?.id)?)))
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShopData {
    pub shop: ShopInfo,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShopInfo {
    pub id: String,
    pub name: String,
    pub myshopify_domain: String,
    pub currency_code: String,
    pub iana_timezone: String,
    /// The shop's current offset from UTC (daylight saving included), for digests at the
    /// shop's 08:00 and its quiet hours. Absent from older responses.
    #[serde(default)]
    pub timezone_offset_minutes: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocationsData {
    pub locations: LocationConnection,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LocationConnection {
    pub nodes: Vec<LocationNode>,
    pub page_info: PageInfo,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LocationNode {
    pub id: String,
    pub name: String,
    pub is_active: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageInfo {
    pub has_next_page: bool,
    pub end_cursor: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BulkOperationStatus {
    Created,
    Running,
    Completed,
    Canceling,
    Canceled,
    Failed,
    Expired,
}

impl BulkOperationStatus {
    /// No further polling changes anything.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Completed | Self::Canceled | Self::Failed | Self::Expired)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkOperation {
    pub id: String,
    pub status: BulkOperationStatus,
    #[serde(default)]
    pub error_code: Option<String>,
    #[serde(default, deserialize_with = "de_u64_string", serialize_with = "ser_u64_string")]
    pub object_count: u64,
    #[serde(default, deserialize_with = "de_u64_string", serialize_with = "ser_u64_string")]
    pub root_object_count: u64,
    #[serde(default, deserialize_with = "de_opt_u64_string", serialize_with = "ser_opt_u64_string")]
    pub file_size: Option<u64>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub partial_data_url: Option<String>,
    pub created_at: DateTime<Utc>,
    #[serde(default)]
    pub completed_at: Option<DateTime<Utc>>,
}

/// The operation as returned right after `bulkOperationRunQuery` (fewer fields selected).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkOperationStarted {
    pub id: String,
    pub status: BulkOperationStatus,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserError {
    #[serde(default)]
    pub field: Option<Vec<String>>,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkRunData {
    pub bulk_operation_run_query: BulkRunPayload,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkRunPayload {
    pub bulk_operation: Option<BulkOperationStarted>,
    pub user_errors: Vec<UserError>,
}

/// Response of `BULK_OPERATION_STATUS_QUERY`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BulkNodeData {
    pub node: Option<BulkOperation>,
}

/// Response of `CURRENT_BULK_OPERATION_QUERY`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CurrentBulkData {
    pub current_bulk_operation: Option<BulkOperation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookCreateData {
    pub webhook_subscription_create: WebhookCreatePayload,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookCreatePayload {
    pub webhook_subscription: Option<WebhookSubscription>,
    pub user_errors: Vec<UserError>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookSubscription {
    pub id: String,
    pub topic: String,
    pub uri: String,
}

// ---------------------------------------------------------------------------------------
// Bulk JSONL
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonlError {
    #[error("line {line}: not a JSON object: {message}")]
    Malformed { line: usize, message: String },
    #[error("line {line}: {message}")]
    BadRecord { line: usize, message: String },
    #[error("line {line}: unexpected record type `{kind}`")]
    UnexpectedType { line: usize, kind: String },
    #[error("line {line}: parent `{parent}` is not in the file")]
    OrphanChild { line: usize, parent: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProductRecord {
    pub id: i64,
    pub title: String,
    pub vendor: String,
    pub product_type: String,
    /// `ProductStatus` lowercased, as REST and webhooks spell it: active, archived, draft,
    /// unlisted. Only active products can sell out or pile up in the merchant's eyes.
    pub status: String,
    /// Gift cards cannot run out.
    pub gift_card: bool,
    /// `Product.createdAt`: no history before it.
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VariantRecord {
    pub id: i64,
    pub product_id: i64,
    pub inventory_item_id: i64,
    pub title: String,
    pub sku: Option<String>,
    pub price_cents: i64,
    pub cost_cents: Option<i64>,
    /// `InventoryItem.tracked`: Shopify counts its stock (untracked items never run out).
    pub tracked: bool,
    /// `ProductVariant.createdAt`: no history before it, a launch forecast for two weeks after.
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InventoryLevelRecord {
    pub variant_id: i64,
    pub inventory_item_id: i64,
    pub location_id: i64,
    pub available: i64,
    pub incoming: i64,
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct CatalogExport {
    pub products: Vec<ProductRecord>,
    pub variants: Vec<VariantRecord>,
    pub levels: Vec<InventoryLevelRecord>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrderRecord {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
    /// The location that fulfilled the order (first fulfillment), if fulfilled.
    pub location_id: Option<i64>,
    pub line_items: Vec<LineItemRecord>,
    pub refunds: Vec<RefundRecord>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LineItemRecord {
    pub id: i64,
    /// None when the variant was deleted since.
    pub variant_id: Option<i64>,
    pub sku: Option<String>,
    pub quantity: i64,
    /// Units refunded or removed: `quantity - currentQuantity`.
    pub refunded_quantity: i64,
    pub unit_price_cents: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RefundRecord {
    pub id: i64,
    pub created_at: DateTime<Utc>,
}

#[derive(Deserialize)]
struct Line {
    id: String,
    #[serde(rename = "__parentId", default)]
    parent_id: Option<String>,
    #[serde(flatten)]
    rest: serde_json::Map<String, Value>,
}


fn field<T: for<'de> Deserialize<'de>>(rest: &serde_json::Map<String, Value>, name: &str, line: usize) -> Result<T, JsonlError> {
    let v = rest.get(name).cloned().unwrap_or(Value::Null);
    serde_json::from_value(v).map_err(|e| JsonlError::BadRecord { line, message: format!("field `{name}`: {e}") })
}

fn id_of(raw: &str, line: usize) -> Result<Gid, JsonlError> {
    Gid::parse(raw).map_err(|e| JsonlError::BadRecord { line, message: e.to_string() })
}

fn money_field(rest: &serde_json::Map<String, Value>, name: &str, line: usize) -> Result<i64, JsonlError> {
    let s: String = field(rest, name, line)?;
    money_to_cents(&s).ok_or_else(|| JsonlError::BadRecord { line, message: format!("field `{name}`: `{s}` is not an amount") })
}

fn lines(jsonl: &str) -> impl Iterator<Item = Result<(usize, Gid, Line), JsonlError>> + '_ {
    jsonl.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).map(|(i, l)| {
        let line = i + 1;
        let parsed: Line = serde_json::from_str(l).map_err(|e| JsonlError::Malformed { line, message: e.to_string() })?;
        let gid = id_of(&parsed.id, line)?;
        Ok((line, gid, parsed))
    })
}

/// Parses the result file of `CATALOG_BULK_QUERY`. Lines may come in any order; an inventory
/// level is attached to its variant through `__parentId` (the variant) or, failing that,
/// through its `item` (the inventory item), so either parenting convention parses.
pub fn parse_catalog_jsonl(jsonl: &str) -> Result<CatalogExport, JsonlError> {
    let mut out = CatalogExport::default();
    // (line, parent gid, record) waiting for the parents to be known.
    let mut pending_variants = Vec::new();
    let mut pending_levels = Vec::new();
    for item in lines(jsonl) {
        let (line, gid, l) = item?;
        match gid.kind.as_str() {
            "Product" => out.products.push(ProductRecord {
                id: gid.id,
                title: field(&l.rest, "title", line)?,
                vendor: field::<Option<String>>(&l.rest, "vendor", line)?.unwrap_or_default(),
                product_type: field::<Option<String>>(&l.rest, "productType", line)?.unwrap_or_default(),
                status: field::<Option<String>>(&l.rest, "status", line)?.unwrap_or_else(|| "ACTIVE".into()).to_ascii_lowercase(),
                gift_card: field::<Option<bool>>(&l.rest, "isGiftCard", line)?.unwrap_or(false),
                created_at: field(&l.rest, "createdAt", line)?,
                updated_at: field(&l.rest, "updatedAt", line)?,
            }),
            "ProductVariant" => {
                let parent = l.parent_id.clone().ok_or_else(|| JsonlError::BadRecord { line, message: "variant without __parentId".into() })?;
                let item: IdOnlyNode = field(&l.rest, "inventoryItem", line)?;
                let cost: Option<i64> = match l.rest.get("inventoryItem").and_then(|i| i.get("unitCost")).and_then(|c| c.get("amount")) {
                    Some(Value::String(s)) => Some(money_to_cents(s).ok_or_else(|| JsonlError::BadRecord { line, message: format!("unit cost `{s}` is not an amount") })?),
                    _ => None,
                };
                let variant = VariantRecord {
                    id: gid.id,
                    product_id: 0,
                    inventory_item_id: id_of(&item.id, line)?.id,
                    title: field(&l.rest, "title", line)?,
                    sku: field::<Option<String>>(&l.rest, "sku", line)?.filter(|s| !s.is_empty()),
                    price_cents: money_field(&l.rest, "price", line)?,
                    cost_cents: cost,
                    tracked: l.rest.get("inventoryItem").and_then(|i| i.get("tracked")).and_then(Value::as_bool).unwrap_or(true),
                    created_at: field(&l.rest, "createdAt", line)?,
                    updated_at: field(&l.rest, "updatedAt", line)?,
                };
                pending_variants.push((line, parent, variant));
            }
            "InventoryLevel" => {
                let location: IdOnlyNode = field(&l.rest, "location", line)?;
                let item: Option<IdOnlyNode> = field(&l.rest, "item", line)?;
                let quantities: Vec<NamedQuantity> = field(&l.rest, "quantities", line)?;
                let qty = |name: &str| quantities.iter().find(|q| q.name == name).map(|q| q.quantity);
                let available = qty("available").ok_or_else(|| JsonlError::BadRecord { line, message: "no `available` quantity".into() })?;
                let level = InventoryLevelRecord {
                    variant_id: 0,
                    inventory_item_id: match item {
                        Some(i) => id_of(&i.id, line)?.id,
                        None => 0,
                    },
                    location_id: id_of(&location.id, line)?.id,
                    available,
                    incoming: qty("incoming").unwrap_or(0),
                    updated_at: field(&l.rest, "updatedAt", line)?,
                };
                pending_levels.push((line, l.parent_id.clone(), level));
            }
            other => return Err(JsonlError::UnexpectedType { line, kind: other.to_string() }),
        }
    }
    let products: std::collections::HashSet<i64> = out.products.iter().map(|p| p.id).collect();
    for (line, parent, mut v) in pending_variants {
        let p = id_of(&parent, line)?;
        if p.kind != "Product" || !products.contains(&p.id) {
            return Err(JsonlError::OrphanChild { line, parent });
        }
        v.product_id = p.id;
        out.variants.push(v);
    }
    let by_variant: HashMap<i64, i64> = out.variants.iter().map(|v| (v.id, v.inventory_item_id)).collect();
    let by_item: HashMap<i64, i64> = out.variants.iter().map(|v| (v.inventory_item_id, v.id)).collect();
    for (line, parent, mut level) in pending_levels {
        let parent_gid = parent.as_deref().map(|p| id_of(p, line)).transpose()?;
        let variant = match parent_gid {
            Some(g) if g.kind == "ProductVariant" => by_variant.get(&g.id).map(|item| (g.id, *item)),
            Some(g) if g.kind == "InventoryItem" => by_item.get(&g.id).map(|v| (*v, g.id)),
            _ => by_item.get(&level.inventory_item_id).map(|v| (*v, level.inventory_item_id)),
        };
        let Some((variant_id, item_id)) = variant else {
            return Err(JsonlError::OrphanChild { line, parent: parent.unwrap_or_else(|| gid("InventoryItem", level.inventory_item_id)) });
        };
        level.variant_id = variant_id;
        level.inventory_item_id = item_id;
        out.levels.push(level);
    }
    Ok(out)
}

#[derive(Deserialize)]
struct NamedQuantity {
    name: String,
    quantity: i64,
}

#[derive(Deserialize)]
struct FulfillmentLine {
    location: Option<IdOnlyNode>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RefundLine {
    id: String,
    created_at: DateTime<Utc>,
}

/// Parses the result file of `orders_bulk_query`: orders with their line items and refunds,
/// in file order of the orders.
pub fn parse_orders_jsonl(jsonl: &str) -> Result<Vec<OrderRecord>, JsonlError> {
    let mut orders: Vec<OrderRecord> = Vec::new();
    let mut pending_items = Vec::new();
    for item in lines(jsonl) {
        let (line, gid, l) = item?;
        match gid.kind.as_str() {
            "Order" => {
                let fulfillments: Option<Vec<FulfillmentLine>> = field(&l.rest, "fulfillments", line)?;
                let location_id = match fulfillments.unwrap_or_default().into_iter().find_map(|f| f.location) {
                    Some(loc) => Some(id_of(&loc.id, line)?.id),
                    None => None,
                };
                let refunds: Option<Vec<RefundLine>> = field(&l.rest, "refunds", line)?;
                let refunds = refunds
                    .unwrap_or_default()
                    .into_iter()
                    .map(|r| Ok(RefundRecord { id: id_of(&r.id, line)?.id, created_at: r.created_at }))
                    .collect::<Result<Vec<_>, JsonlError>>()?;
                orders.push(OrderRecord {
                    id: gid.id,
                    name: field::<Option<String>>(&l.rest, "name", line)?.unwrap_or_default(),
                    created_at: field(&l.rest, "createdAt", line)?,
                    cancelled_at: field(&l.rest, "cancelledAt", line)?,
                    location_id,
                    line_items: Vec::new(),
                    refunds,
                });
            }
            "LineItem" => {
                let parent = l.parent_id.clone().ok_or_else(|| JsonlError::BadRecord { line, message: "line item without __parentId".into() })?;
                let quantity: i64 = field(&l.rest, "quantity", line)?;
                let current: Option<i64> = field(&l.rest, "currentQuantity", line)?;
                let variant: Option<IdOnlyNode> = field(&l.rest, "variant", line)?;
                let price = l
                    .rest
                    .get("originalUnitPriceSet")
                    .and_then(|s| s.get("shopMoney"))
                    .and_then(|m| m.get("amount"))
                    .and_then(Value::as_str)
                    .and_then(money_to_cents);
                let item = LineItemRecord {
                    id: gid.id,
                    variant_id: match variant {
                        Some(v) => Some(id_of(&v.id, line)?.id),
                        None => None,
                    },
                    sku: field::<Option<String>>(&l.rest, "sku", line)?.filter(|s| !s.is_empty()),
                    quantity,
                    refunded_quantity: (quantity - current.unwrap_or(quantity)).max(0),
                    unit_price_cents: price,
                };
                pending_items.push((line, parent, item));
            }
            other => return Err(JsonlError::UnexpectedType { line, kind: other.to_string() }),
        }
    }
    let index: HashMap<i64, usize> = orders.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
    for (line, parent, item) in pending_items {
        let p = id_of(&parent, line)?;
        match index.get(&p.id) {
            Some(&i) if p.kind == "Order" => orders[i].line_items.push(item),
            _ => return Err(JsonlError::OrphanChild { line, parent }),
        }
    }
    Ok(orders)
}

// ---------------------------------------------------------------------------------------
// Retry policy
// ---------------------------------------------------------------------------------------

/// What came back from one Admin API call, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ResponseKind {
    Success,
    /// GraphQL `errors[].extensions.code == "THROTTLED"` (HTTP 200); carries the requested cost.
    Throttled { requested_cost: f64 },
    /// HTTP 429, with the `Retry-After` header in seconds if present.
    TooManyRequests { retry_after_secs: Option<f64> },
    /// Any HTTP 5xx.
    ServerError,
    /// The request never got an answer (connection reset, timeout).
    Network,
    /// Any other 4xx (401, 403, 404, 422…): retrying will not help.
    ClientError,
}

impl ResponseKind {
    /// Classifies an HTTP status (for GraphQL-level throttling use `Throttled`).
    pub fn from_status(status: u16, retry_after: Option<&str>) -> Self {
        match status {
            200..=299 => Self::Success,
            429 => Self::TooManyRequests { retry_after_secs: retry_after.and_then(|v| v.trim().parse().ok()).filter(|s: &f64| s.is_finite() && *s >= 0.0) },
            // 5xx, Cloudflare's 52x in front of Shopify included: worth another try.
            500..=599 => Self::ServerError,
            _ => Self::ClientError,
        }
    }
}

/// Classifies one Admin GraphQL answer for `retry_delay`: by HTTP status first; a 2xx whose
/// `errors` say THROTTLED is `Throttled`, with the bucket's state when Shopify reported it.
pub fn classify_graphql(status: u16, retry_after: Option<&str>, body: &str) -> (ResponseKind, Option<ThrottleStatus>) {
    let kind = ResponseKind::from_status(status, retry_after);
    if kind != ResponseKind::Success {
        return (kind, None);
    }
    match serde_json::from_str::<GraphqlResponse<serde::de::IgnoredAny>>(body) {
        Ok(r) if r.is_throttled() => {
            let cost = r.cost();
            let requested_cost = cost.map_or(0.0, |c| c.requested_query_cost);
            (ResponseKind::Throttled { requested_cost }, cost.map(|c| c.throttle_status))
        }
        _ => (kind, None),
    }
}

/// Attempts per call, the first included.
pub const MAX_ATTEMPTS: u32 = 3;
/// The delay after the first failed attempt; doubled after each further one.
pub const BASE_DELAY_MS: u64 = 500;
/// No single wait is longer than this.
pub const MAX_DELAY_MS: u64 = 30_000;

/// How long to wait before the next attempt after attempt number `attempt` (1-based) failed
/// with `kind`, or `None` to give up (success, a non-retryable error, or attempts exhausted).
/// Exponential (500 ms, 1 s, …); a `Retry-After` or, when throttled, the time the bucket needs
/// to refill the requested cost at `throttle.restoreRate` is honoured if longer.
pub fn retry_delay(attempt: u32, kind: ResponseKind, throttle: Option<&ThrottleStatus>) -> Option<u64> {
    if attempt == 0 || attempt >= MAX_ATTEMPTS {
        return None;
    }
    let exponential = BASE_DELAY_MS.saturating_mul(1 << (attempt - 1).min(16));
    let wait = match kind {
        ResponseKind::Success | ResponseKind::ClientError => return None,
        ResponseKind::ServerError | ResponseKind::Network => exponential,
        ResponseKind::TooManyRequests { retry_after_secs } => {
            let hinted = retry_after_secs.map_or(0, |s| (s * 1000.0).ceil() as u64);
            exponential.max(hinted)
        }
        ResponseKind::Throttled { requested_cost } => {
            let refill = match throttle {
                Some(t) if t.restore_rate > 0.0 => {
                    let missing = (requested_cost.min(t.maximum_available) - t.currently_available).max(0.0);
                    (missing / t.restore_rate * 1000.0).ceil() as u64
                }
                _ => 0,
            };
            exponential.max(refill)
        }
    };
    Some(wait.min(MAX_DELAY_MS))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn api_cache_keys_separate_shops_documents_and_variables() {
        let q = "query($first: Int) { locations(first: $first) { nodes { id } } }";
        let a = api_cache_key("a.myshopify.com", q, &json!({"first": 100}));
        assert!(a.starts_with("api:a.myshopify.com:") && a.len() == "api:a.myshopify.com:".len() + 32);
        // shop/redact deletes by prefix: one shop's prefix never covers another shop's keys.
        assert!(a.starts_with(&api_cache_prefix("a.myshopify.com")));
        assert!(!api_cache_key("a.myshopify.com.b.myshopify.com", q, &json!({})).starts_with(&api_cache_prefix("a.myshopify.com")));
        assert_eq!(a, api_cache_key("a.myshopify.com", q, &json!({"first": 100})), "stable");
        assert_ne!(a, api_cache_key("b.myshopify.com", q, &json!({"first": 100})));
        assert_ne!(a, api_cache_key("a.myshopify.com", q, &json!({"first": 50})));
        assert_ne!(a, api_cache_key("a.myshopify.com", "{ shop { id } }", &json!({"first": 100})));
    }

    #[test]
    fn graphql_answers_classify_for_the_retry_policy() {
        let throttled = r#"{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED","documentation":"https://shopify.dev/api/usage/rate-limits"}}],
            "extensions":{"cost":{"requestedQueryCost":752,"actualQueryCost":null,
            "throttleStatus":{"maximumAvailable":2000.0,"currentlyAvailable":52,"restoreRate":100.0}}}}"#;
        let (kind, bucket) = classify_graphql(200, None, throttled);
        assert_eq!(kind, ResponseKind::Throttled { requested_cost: 752.0 });
        let bucket = bucket.expect("throttle status");
        // 700 points missing at 100 points/s: wait 7 s rather than the 500 ms backoff.
        assert_eq!(retry_delay(1, kind, Some(&bucket)), Some(7000));
        assert_eq!(classify_graphql(200, None, r#"{"data":{"shop":{"name":"x"}}}"#), (ResponseKind::Success, None));
        // A field error is not throttling: the caller reports it, nothing is retried.
        assert_eq!(classify_graphql(200, None, r#"{"errors":[{"message":"Field 'x' doesn't exist"}]}"#).0, ResponseKind::Success);
        assert_eq!(classify_graphql(429, Some("2.5"), "").0, ResponseKind::TooManyRequests { retry_after_secs: Some(2.5) });
        assert_eq!(retry_delay(1, classify_graphql(429, Some("2.5"), "").0, None), Some(2500));
        assert_eq!(classify_graphql(503, None, "<html>").0, ResponseKind::ServerError);
        assert_eq!(classify_graphql(522, None, "").0, ResponseKind::ServerError);
        assert_eq!(classify_graphql(401, None, "").0, ResponseKind::ClientError);
        // Throttled without a cost extension still backs off exponentially.
        let bare = r#"{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}]}"#;
        assert_eq!(retry_delay(2, classify_graphql(200, None, bare).0, None), Some(1000));
    }

    #[test]
    fn gids_parse_and_build() {
        assert_eq!(numeric_id("gid://shopify/ProductVariant/123"), Some(123));
        assert_eq!(Gid::parse("gid://shopify/InventoryLevel/9?inventory_item_id=3").unwrap(), Gid { kind: "InventoryLevel".into(), id: 9 });
        assert_eq!(gid("Product", 42), "gid://shopify/Product/42");
        for bad in ["123", "gid://shopify/Product/", "gid://shopify/Product/abc", "gid://other/Product/1", "gid://shopify//1", "gid://shopify/Product/-4"] {
            assert!(Gid::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn money_parses_to_cents() {
        assert_eq!(money_to_cents("19.99"), Some(1999));
        assert_eq!(money_to_cents("5"), Some(500));
        assert_eq!(money_to_cents("0.5"), Some(50));
        assert_eq!(money_to_cents("-2.10"), Some(-210));
        for bad in ["", "1.234", "abc", "1,00", "+1", ".5"] {
            assert_eq!(money_to_cents(bad), None, "{bad}");
        }
    }

    #[test]
    fn orders_query_carries_its_date() {
        let since = NaiveDate::from_ymd_opt(2025, 11, 26).unwrap();
        let q = orders_bulk_query(since);
        assert!(q.contains(r#"orders(query: "created_at:>=2025-11-26""#), "{q}");
        assert_eq!(orders_bulk_query_since(&q), Some(since));
        assert_eq!(orders_bulk_query_since(CATALOG_BULK_QUERY), None);
        // The bulk document is sent as a variable, so it must survive JSON.
        let req = GraphqlRequest::new(BULK_OPERATION_RUN_QUERY, json!({ "query": q }));
        let back: GraphqlRequest = serde_json::from_str(&serde_json::to_string(&req).unwrap()).unwrap();
        assert_eq!(back, req);
    }

    #[test]
    fn parses_shop_and_cost() {
        let body = json!({
            "data": { "shop": { "id": "gid://shopify/Shop/60000000042", "name": "Demo Outfitters", "myshopifyDomain": "demo-outfitters.myshopify.com", "currencyCode": "USD", "ianaTimezone": "America/New_York", "timezoneOffsetMinutes": -300 } },
            "extensions": { "cost": { "requestedQueryCost": 1, "actualQueryCost": 1, "throttleStatus": { "maximumAvailable": 2000.0, "currentlyAvailable": 1999, "restoreRate": 100.0 } } }
        });
        let r: GraphqlResponse<ShopData> = serde_json::from_value(body).unwrap();
        assert!(!r.is_throttled());
        assert_eq!(r.data.as_ref().unwrap().shop.iana_timezone, "America/New_York");
        assert_eq!(r.data.as_ref().unwrap().shop.timezone_offset_minutes, Some(-300));
        let cost = r.extensions.unwrap().cost.unwrap();
        assert_eq!(cost.throttle_status.currently_available, 1999.0);
        assert_eq!(cost.actual_query_cost, Some(1.0));
    }

    #[test]
    fn recognises_throttled_response() {
        let body = json!({
            "errors": [{ "message": "Throttled", "extensions": { "code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits" } }],
            "extensions": { "cost": { "requestedQueryCost": 752, "actualQueryCost": null, "throttleStatus": { "maximumAvailable": 1000.0, "currentlyAvailable": 666, "restoreRate": 50.0 } } }
        });
        let r: GraphqlResponse<ShopData> = serde_json::from_value(body).unwrap();
        assert!(r.data.is_none());
        assert!(r.is_throttled());
        assert_eq!(r.cost().unwrap().actual_query_cost, None);
        let field_error: GraphqlResponse<ShopData> = serde_json::from_value(json!({ "errors": [{ "message": "Field 'x' doesn't exist" }] })).unwrap();
        assert!(!field_error.is_throttled());
    }

    #[test]
    fn parses_locations_page() {
        let body = json!({ "data": { "locations": {
            "nodes": [ { "id": "gid://shopify/Location/70000000001", "name": "Main Warehouse", "isActive": true } ],
            "pageInfo": { "hasNextPage": true, "endCursor": "eyJsYXN0X2lkIjo3MDAwMDAwMDAwMX0=" } } } });
        let r: GraphqlResponse<LocationsData> = serde_json::from_value(body).unwrap();
        let locs = r.data.unwrap().locations;
        assert_eq!(numeric_id(&locs.nodes[0].id), Some(70_000_000_001));
        assert!(locs.page_info.has_next_page);
    }

    #[test]
    fn parses_bulk_run_and_poll() {
        let run = json!({ "data": { "bulkOperationRunQuery": {
            "bulkOperation": { "id": "gid://shopify/BulkOperation/720918", "status": "CREATED", "createdAt": "2025-11-25T10:00:00Z" },
            "userErrors": [] } } });
        let r: GraphqlResponse<BulkRunData> = serde_json::from_value(run).unwrap();
        let started = r.data.unwrap().bulk_operation_run_query.bulk_operation.unwrap();
        assert_eq!(started.status, BulkOperationStatus::Created);

        let busy = json!({ "data": { "bulkOperationRunQuery": { "bulkOperation": null,
            "userErrors": [{ "field": ["query"], "message": "A bulk query operation for this app and shop is already in progress", "code": "OPERATION_IN_PROGRESS" }] } } });
        let r: GraphqlResponse<BulkRunData> = serde_json::from_value(busy).unwrap();
        assert_eq!(r.data.unwrap().bulk_operation_run_query.user_errors[0].code.as_deref(), Some("OPERATION_IN_PROGRESS"));

        let poll = json!({ "data": { "node": {
            "id": "gid://shopify/BulkOperation/720918", "status": "COMPLETED", "errorCode": null,
            "objectCount": "3410", "rootObjectCount": "140", "fileSize": "912345",
            "url": "https://storage.googleapis.com/shopify-tiers-assets-prod-us-east1/bulk-op.jsonl", "partialDataUrl": null,
            "createdAt": "2025-11-25T10:00:00Z", "completedAt": "2025-11-25T10:00:09Z" } } });
        let r: GraphqlResponse<BulkNodeData> = serde_json::from_value(poll).unwrap();
        let op = r.data.unwrap().node.unwrap();
        assert_eq!((op.object_count, op.root_object_count, op.file_size), (3410, 140, Some(912_345)));
        assert!(op.status.is_final());
        // And it round-trips as GraphQL does (UnsignedInt64 as strings).
        let v = serde_json::to_value(&op).unwrap();
        assert_eq!(v["objectCount"], json!("3410"));
        assert_eq!(serde_json::from_value::<BulkOperation>(v).unwrap(), op);

        let current = json!({ "data": { "currentBulkOperation": null } });
        let r: GraphqlResponse<CurrentBulkData> = serde_json::from_value(current).unwrap();
        assert!(r.data.unwrap().current_bulk_operation.is_none());
    }

    #[test]
    fn parses_webhook_create() {
        let body = json!({ "data": { "webhookSubscriptionCreate": {
            "webhookSubscription": { "id": "gid://shopify/WebhookSubscription/4759306", "topic": "ORDERS_CREATE", "uri": "https://app.example.com/webhooks/orders/create" },
            "userErrors": [] } } });
        let r: GraphqlResponse<WebhookCreateData> = serde_json::from_value(body).unwrap();
        assert_eq!(r.data.unwrap().webhook_subscription_create.webhook_subscription.unwrap().topic, "ORDERS_CREATE");
    }

    const CATALOG: &str = r#"{"id":"gid://shopify/Product/8000000000000","title":"Trail Black T-Shirt","vendor":"Coastline Goods","productType":"T-Shirt","createdAt":"2024-03-02T09:30:00Z","updatedAt":"2025-11-20T12:00:00Z"}
{"id":"gid://shopify/ProductVariant/45000000000001","title":"S","sku":"T-S-000-S","price":"24.99","createdAt":"2024-05-10T16:00:00Z","updatedAt":"2025-11-20T12:00:00Z","inventoryItem":{"id":"gid://shopify/InventoryItem/46000000000001","unitCost":{"amount":"11.25"}},"__parentId":"gid://shopify/Product/8000000000000"}
{"id":"gid://shopify/InventoryLevel/101?inventory_item_id=46000000000001","updatedAt":"2025-11-25T08:00:00Z","location":{"id":"gid://shopify/Location/70000000001"},"item":{"id":"gid://shopify/InventoryItem/46000000000001"},"quantities":[{"name":"available","quantity":17},{"name":"incoming","quantity":40}],"__parentId":"gid://shopify/ProductVariant/45000000000001"}
{"id":"gid://shopify/InventoryLevel/102?inventory_item_id=46000000000001","location":{"id":"gid://shopify/Location/70000000002"},"quantities":[{"name":"available","quantity":-2}],"__parentId":"gid://shopify/InventoryItem/46000000000001"}
{"id":"gid://shopify/ProductVariant/45000000000002","title":"M","sku":"","price":"24.99","inventoryItem":{"id":"gid://shopify/InventoryItem/46000000000002","unitCost":null},"__parentId":"gid://shopify/Product/8000000000000"}
"#;

    #[test]
    fn parses_catalog_jsonl() {
        let c = parse_catalog_jsonl(CATALOG).unwrap();
        assert_eq!(c.products.len(), 1);
        assert_eq!(c.products[0].vendor, "Coastline Goods");
        assert_eq!(c.variants.len(), 2);
        let s = &c.variants[0];
        assert_eq!((s.product_id, s.inventory_item_id, s.price_cents, s.cost_cents), (8_000_000_000_000, 46_000_000_000_001, 2499, Some(1125)));
        assert_eq!(c.variants[1].sku, None);
        assert_eq!(c.variants[1].cost_cents, None);
        let day = |t: Option<DateTime<Utc>>| t.map(|t| t.date_naive().to_string());
        assert_eq!((day(c.products[0].created_at), day(s.created_at)), (Some("2024-03-02".into()), Some("2024-05-10".into())));
        assert_eq!(c.variants[1].created_at, None, "an export without createdAt still parses");
        assert_eq!(c.levels.len(), 2);
        assert_eq!((c.levels[0].variant_id, c.levels[0].location_id, c.levels[0].available, c.levels[0].incoming), (45_000_000_000_001, 70_000_000_001, 17, 40));
        // Parented by the inventory item and without `item`: still resolved.
        assert_eq!((c.levels[1].variant_id, c.levels[1].available), (45_000_000_000_001, -2));
    }

    #[test]
    fn catalog_children_may_precede_parents() {
        let mut rows: Vec<&str> = CATALOG.lines().collect();
        rows.reverse();
        let c = parse_catalog_jsonl(&rows.join("\n")).unwrap();
        assert_eq!((c.products.len(), c.variants.len(), c.levels.len()), (1, 2, 2));
    }

    #[test]
    fn catalog_errors_name_the_line() {
        let orphan = r#"{"id":"gid://shopify/ProductVariant/1","title":"S","price":"1.00","inventoryItem":{"id":"gid://shopify/InventoryItem/2"},"__parentId":"gid://shopify/Product/9"}"#;
        assert!(matches!(parse_catalog_jsonl(orphan), Err(JsonlError::OrphanChild { line: 1, .. })));
        let broken = format!("{}\n{{\"id\": ", CATALOG.lines().next().unwrap());
        assert!(matches!(parse_catalog_jsonl(&broken), Err(JsonlError::Malformed { line: 2, .. })));
        let bad_price = r#"{"id":"gid://shopify/Product/1","title":"x"}
{"id":"gid://shopify/ProductVariant/1","title":"S","price":"cheap","inventoryItem":{"id":"gid://shopify/InventoryItem/2"},"__parentId":"gid://shopify/Product/1"}"#;
        assert!(matches!(parse_catalog_jsonl(bad_price), Err(JsonlError::BadRecord { line: 2, .. })));
        let stranger = r#"{"id":"gid://shopify/Collection/1","title":"x"}"#;
        assert!(matches!(parse_catalog_jsonl(stranger), Err(JsonlError::UnexpectedType { line: 1, .. })));
        let no_available = r#"{"id":"gid://shopify/InventoryLevel/1","location":{"id":"gid://shopify/Location/1"},"quantities":[{"name":"on_hand","quantity":3}]}"#;
        assert!(matches!(parse_catalog_jsonl(no_available), Err(JsonlError::BadRecord { line: 1, .. })));
    }

    #[test]
    fn parses_orders_jsonl() {
        let jsonl = r##"{"id":"gid://shopify/Order/5500000000001","name":"#1001","createdAt":"2025-11-24T14:03:11Z","cancelledAt":null,"fulfillments":[{"location":{"id":"gid://shopify/Location/70000000002"}}],"refunds":[{"id":"gid://shopify/Refund/930000001","createdAt":"2025-11-24T18:00:00Z"}]}
{"id":"gid://shopify/LineItem/1300000000001","quantity":3,"currentQuantity":2,"sku":"T-S-000-S","variant":{"id":"gid://shopify/ProductVariant/45000000000001"},"originalUnitPriceSet":{"shopMoney":{"amount":"24.99","currencyCode":"USD"}},"__parentId":"gid://shopify/Order/5500000000001"}
{"id":"gid://shopify/LineItem/1300000000002","quantity":1,"currentQuantity":1,"sku":null,"variant":null,"originalUnitPriceSet":{"shopMoney":{"amount":"9.00","currencyCode":"USD"}},"__parentId":"gid://shopify/Order/5500000000001"}
{"id":"gid://shopify/Order/5500000000002","name":"#1002","createdAt":"2025-11-25T09:00:00Z","cancelledAt":null,"fulfillments":[],"refunds":[]}
"##;
        let orders = parse_orders_jsonl(jsonl).unwrap();
        assert_eq!(orders.len(), 2);
        let o = &orders[0];
        assert_eq!((o.id, o.location_id, o.line_items.len(), o.refunds.len()), (5_500_000_000_001, Some(70_000_000_002), 2, 1));
        assert_eq!(o.line_items[0].refunded_quantity, 1);
        assert_eq!(o.line_items[0].unit_price_cents, Some(2499));
        assert_eq!(o.line_items[1].variant_id, None);
        assert_eq!(orders[1].location_id, None);
        assert!(orders[1].line_items.is_empty());
        let orphan = r#"{"id":"gid://shopify/LineItem/1","quantity":1,"__parentId":"gid://shopify/Order/2"}"#;
        assert!(matches!(parse_orders_jsonl(orphan), Err(JsonlError::OrphanChild { .. })));
        let no_parent = r#"{"id":"gid://shopify/LineItem/1","quantity":1}"#;
        assert!(matches!(parse_orders_jsonl(no_parent), Err(JsonlError::BadRecord { .. })));
    }

    #[test]
    fn retry_gives_up_after_three_attempts_and_on_client_errors() {
        assert_eq!(retry_delay(1, ResponseKind::ServerError, None), Some(500));
        assert_eq!(retry_delay(2, ResponseKind::Network, None), Some(1000));
        assert_eq!(retry_delay(3, ResponseKind::ServerError, None), None);
        assert_eq!(retry_delay(1, ResponseKind::ClientError, None), None);
        assert_eq!(retry_delay(1, ResponseKind::Success, None), None);
        assert_eq!(retry_delay(0, ResponseKind::ServerError, None), None);
    }

    #[test]
    fn retry_honours_retry_after_and_restore_rate() {
        assert_eq!(retry_delay(1, ResponseKind::from_status(429, Some("2.0")), None), Some(2000));
        assert_eq!(retry_delay(2, ResponseKind::from_status(429, None), None), Some(1000));
        assert_eq!(retry_delay(1, ResponseKind::from_status(429, Some("3600")), None), Some(MAX_DELAY_MS));
        assert_eq!(ResponseKind::from_status(503, None), ResponseKind::ServerError);
        assert_eq!(ResponseKind::from_status(401, None), ResponseKind::ClientError);
        let bucket = ThrottleStatus { maximum_available: 1000.0, currently_available: 200.0, restore_rate: 50.0 };
        // 752 requested, 200 available: 552 points at 50/s = 11.04 s.
        assert_eq!(retry_delay(1, ResponseKind::Throttled { requested_cost: 752.0 }, Some(&bucket)), Some(11_040));
        // Enough points already: the exponential floor applies.
        assert_eq!(retry_delay(2, ResponseKind::Throttled { requested_cost: 100.0 }, Some(&bucket)), Some(1000));
        // No bucket information: exponential.
        assert_eq!(retry_delay(1, ResponseKind::Throttled { requested_cost: 752.0 }, None), Some(500));
        assert_eq!(retry_delay(3, ResponseKind::Throttled { requested_cost: 752.0 }, Some(&bucket)), None);
    }
}

/// How much of a byte range of an orders export can be imported on its own: whole lines
/// only, and only whole orders — Shopify writes each order's line before its line items,
/// so the range is cut before its last top-level line (whose items may continue in the
/// next range), unless the range ends the file. Returns the prefix length in bytes.
pub fn complete_orders_prefix(chunk: &[u8], ends_file: bool) -> usize {
    let whole_lines = if ends_file {
        chunk.len()
    } else {
        chunk.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1)
    };
    if ends_file {
        return whole_lines;
    }
    let lines = &chunk[..whole_lines];
    // Start offsets of every line; the last top-level (no __parentId) line starts the cut.
    let mut start = 0;
    let mut cut = 0;
    for (i, &b) in lines.iter().enumerate() {
        if b == b'\n' {
            let line = &lines[start..i];
            if !line.windows(b"__parentId".len()).any(|w| w == b"__parentId") && !line.is_empty() {
                cut = start;
            }
            start = i + 1;
        }
    }
    cut
}

#[cfg(test)]
mod chunk_tests {
    use super::complete_orders_prefix;

    const EXPORT: &str = concat!(
        "{\"id\":\"gid://shopify/Order/1\"}\n",
        "{\"id\":\"gid://shopify/LineItem/11\",\"__parentId\":\"gid://shopify/Order/1\"}\n",
        "{\"id\":\"gid://shopify/Order/2\"}\n",
        "{\"id\":\"gid://shopify/LineItem/21\",\"__parentId\":\"gid://shopify/Order/2\"}\n",
    );

    #[test]
    fn a_range_is_cut_before_its_last_order() {
        let b = EXPORT.as_bytes();
        let second_order = EXPORT.find("{\"id\":\"gid://shopify/Order/2").unwrap();
        // Whole file in range, but not known to be the end: order 2 may have more items.
        assert_eq!(complete_orders_prefix(b, false), second_order);
        assert_eq!(complete_orders_prefix(b, true), b.len());
        // A range ending mid-line keeps only whole lines, then whole orders.
        assert_eq!(complete_orders_prefix(&b[..second_order + 10], false), 0);
        let mid_item = second_order + EXPORT[second_order..].find('\n').unwrap() + 5;
        assert_eq!(complete_orders_prefix(&b[..mid_item], false), second_order);
        assert_eq!(complete_orders_prefix(b"", false), 0);
    }
}

/// Units sold and returned per variant, location and day, from exported orders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayTotal {
    pub variant_id: i64,
    pub location_id: i64,
    pub day: String,
    pub units_sold: i64,
    pub units_returned: i64,
}

/// Folds orders into daily totals: cancelled orders count nothing, an order without a
/// location of its own counts at `default_location` (skipped if there is none), and
/// refunded units count as returns on the day of the (first) refund.
///
/// Days are the shop's own (`offset` east of UTC): GraphQL times are UTC, while webhooks
/// carry shop-local times, and both must land an order on the same day.
pub fn daily_totals(orders: &[OrderRecord], default_location: Option<i64>, offset: UtcOffset) -> Vec<DayTotal> {
    let shop_day = |t: &DateTime<Utc>| local_date(t.timestamp(), offset).unwrap_or_else(|_| t.date_naive()).format("%Y-%m-%d").to_string();
    let mut days: std::collections::BTreeMap<(i64, i64, String), (i64, i64)> = Default::default();
    for o in orders.iter().filter(|o| o.cancelled_at.is_none()) {
        let Some(location) = o.location_id.or(default_location) else { continue };
        let day = shop_day(&o.created_at);
        let refund_day = o.refunds.first().map(|r| shop_day(&r.created_at));
        for li in &o.line_items {
            let Some(variant) = li.variant_id else { continue };
            days.entry((variant, location, day.clone())).or_default().0 += li.quantity.max(0);
            if li.refunded_quantity > 0 {
                let on = refund_day.clone().unwrap_or_else(|| day.clone());
                days.entry((variant, location, on)).or_default().1 += li.refunded_quantity;
            }
        }
    }
    days.into_iter()
        .map(|((variant_id, location_id, day), (units_sold, units_returned))| DayTotal {
            variant_id,
            location_id,
            day,
            units_sold,
            units_returned,
        })
        .collect()
}

#[cfg(test)]
mod daily_totals_tests {
    use super::*;

    fn at(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339).unwrap().with_timezone(&Utc)
    }

    fn order(id: i64, created: &str, location: Option<i64>, qty: i64, refunded: i64, refund_at: Option<&str>) -> OrderRecord {
        OrderRecord {
            id,
            name: format!("#{id}"),
            created_at: at(created),
            cancelled_at: None,
            location_id: location,
            line_items: vec![LineItemRecord { id: id * 10, variant_id: Some(7), sku: None, quantity: qty, refunded_quantity: refunded, unit_price_cents: Some(1000) }],
            refunds: refund_at.map(|r| RefundRecord { id: id * 100, created_at: at(r) }).into_iter().collect(),
        }
    }

    fn days(rows: &[DayTotal]) -> Vec<(&str, i64, i64)> {
        rows.iter().map(|r| (r.day.as_str(), r.units_sold, r.units_returned)).collect()
    }

    #[test]
    fn orders_count_on_the_shops_own_day() {
        // 23:30 UTC on 1 March is 2 March in Auckland (+13:00) and still 1 March in New York.
        let orders = [order(1, "2028-03-01T23:30:00Z", Some(5), 2, 0, None), order(2, "2028-03-01T10:00:00Z", Some(5), 1, 0, None)];
        let utc = daily_totals(&orders, None, UtcOffset::UTC);
        assert_eq!(days(&utc), [("2028-03-01", 3, 0)]);
        let auckland = daily_totals(&orders, None, UtcOffset::from_minutes(13 * 60).unwrap());
        assert_eq!(days(&auckland), [("2028-03-01", 1, 0), ("2028-03-02", 2, 0)]);
        // Across the date line the other way, a leap day: 05:00 UTC on 1 March is 29 February at -11:00.
        let pago = daily_totals(&[order(3, "2028-03-01T05:00:00Z", Some(5), 4, 0, None)], None, UtcOffset::from_minutes(-11 * 60).unwrap());
        assert_eq!(days(&pago), [("2028-02-29", 4, 0)]);
    }

    #[test]
    fn refunds_cancellations_and_locations() {
        let mut cancelled = order(4, "2028-01-10T12:00:00Z", Some(5), 9, 0, None);
        cancelled.cancelled_at = Some(at("2028-01-10T13:00:00Z"));
        let refunded = order(5, "2028-01-10T12:00:00Z", None, 3, 2, Some("2028-01-11T23:00:00Z"));
        let rows = daily_totals(&[cancelled.clone(), refunded.clone()], Some(8), UtcOffset::from_minutes(120).unwrap());
        // The cancelled order counts nothing; the location-less one counts at the default;
        // the refund lands on its own local day (01:00 on the 12th at +02:00).
        assert_eq!(rows.iter().map(|r| r.location_id).collect::<Vec<_>>(), [8, 8]);
        assert_eq!(days(&rows), [("2028-01-10", 3, 0), ("2028-01-12", 0, 2)]);
        // Without a default location, an order without one is skipped rather than misplaced.
        assert!(daily_totals(&[refunded], None, UtcOffset::UTC).is_empty());
    }
}
