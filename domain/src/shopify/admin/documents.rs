//! The GraphQL documents the app sends to the Admin API: constants, or for the dated orders
//! export a pure builder, and the JSON body that carries a document and its variables.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The shop's identity, currency and time zone (sales days are counted in the shop's zone).
pub const SHOP_QUERY: &str = "query StockSentryShop { shop { id name myshopifyDomain currencyCode ianaTimezone timezoneOffsetMinutes } }";

/// One page of locations; variables `{"first": Int!, "after": String}`.
pub const LOCATIONS_QUERY: &str = "query StockSentryLocations($first: Int!, $after: String) { locations(first: $first, after: $after, includeInactive: false) { nodes { id name isActive } pageInfo { hasNextPage endCursor } } }";

/// Starts a bulk export; variables `{"query": <one of the bulk queries below>}`.
pub const BULK_OPERATION_RUN_QUERY: &str = "mutation StockSentryBulkRun($query: String!) { bulkOperationRunQuery(query: $query) { bulkOperation { id status createdAt } userErrors { field message code } } }";

/// The inner query of the catalog export: products → variants (with their inventory item and
/// unit cost) → inventory levels per location with the `available` quantity. Two levels of
/// nested connections, within Shopify's bulk limits (five connections, depth two).
pub const CATALOG_BULK_QUERY: &str = r#"{ products { edges { node { id title vendor productType status isGiftCard createdAt updatedAt variants { edges { node { id title sku price createdAt updatedAt inventoryItem { id tracked unitCost { amount } inventoryLevels { edges { node { id updatedAt location { id } item { id } quantities(names: ["available", "incoming"]) { name quantity } } } } } productVariantComponents { edges { node { id quantity productVariant { id } } } } } } } } } } }"#;

/// Polls one bulk operation by id; variables `{"id": ID!}`.
pub const BULK_OPERATION_STATUS_QUERY: &str = "query StockSentryBulkStatus($id: ID!) { node(id: $id) { ... on BulkOperation { id status errorCode objectCount rootObjectCount fileSize url partialDataUrl createdAt completedAt } } }";

/// The app's most recent bulk query (for recovery after a restart); no variables.
pub const CURRENT_BULK_OPERATION_QUERY: &str = "query StockSentryCurrentBulk { currentBulkOperation(type: QUERY) { id status errorCode objectCount rootObjectCount fileSize url partialDataUrl createdAt completedAt } }";

/// Subscribes one topic; variables
/// `{"topic": "ORDERS_CREATE", "webhookSubscription": {"uri": "https://…/webhooks/orders/create", "format": "JSON"}}`.
pub const WEBHOOK_SUBSCRIPTION_CREATE: &str = "mutation StockSentryWebhookCreate($topic: WebhookSubscriptionTopic!, $webhookSubscription: WebhookSubscriptionInput!) { webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) { webhookSubscription { id topic uri } userErrors { field message } } }";

/// An order's line items with their variants (`orders/edited` names line items only);
/// variables `{"id": "gid://shopify/Order/…"}`.
pub const ORDER_LINES_QUERY: &str =
    "query StockSentryOrderLines($id: ID!) { order(id: $id) { id lineItems(first: 250) { nodes { id variant { id } } } } }";
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
