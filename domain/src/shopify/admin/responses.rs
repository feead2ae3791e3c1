//! Admin GraphQL responses: the `GraphqlResponse<T>` envelope (`data`, `errors` — a throttled
//! call carries `extensions.code == "THROTTLED"` — and `extensions.cost.throttleStatus`) and
//! the typed `data` of each document in `documents`.

use super::numeric_id;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

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
        self.errors.iter().any(|e| e.extensions.as_ref().and_then(|x| x.code.as_deref()) == Some(THROTTLED))
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
        self.line_items.nodes.iter().filter_map(|l| Some((numeric_id(&l.id)?, numeric_id(&l.variant.as_ref()?.id)?))).collect()
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
