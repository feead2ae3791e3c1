//! Webhook payloads: the topics the app subscribes to, parsed into typed values.
//!
//! Shopify POSTs a JSON body to the subscription's URL (`/webhooks/<topic>` here, e.g.
//! `/webhooks/orders/create`) with the topic in `X-Shopify-Topic`. Only the fields the app
//! needs are typed; every other field is ignored, so new fields never break parsing. Ids are
//! integers; `admin_graphql_api_id` carries the GID. Authentication (HMAC) is `super::auth`'s job.

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Request headers Shopify sets on every webhook delivery.
pub mod headers {
    /// Base64 HMAC-SHA256 of the raw body, keyed with the app's secret.
    pub const HMAC_SHA256: &str = "X-Shopify-Hmac-Sha256";
    pub const TOPIC: &str = "X-Shopify-Topic";
    pub const SHOP_DOMAIN: &str = "X-Shopify-Shop-Domain";
    /// Unique per delivery attempt set: the idempotency key (retries reuse it).
    pub const WEBHOOK_ID: &str = "X-Shopify-Webhook-Id";
    /// Same for every webhook caused by one event (several topics may share it).
    pub const EVENT_ID: &str = "X-Shopify-Event-Id";
    pub const API_VERSION: &str = "X-Shopify-API-Version";
    pub const TRIGGERED_AT: &str = "X-Shopify-Triggered-At";
}

/// The URL prefix under which the app receives webhooks.
pub const PATH_PREFIX: &str = "/webhooks/";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Topic {
    OrdersCreate,
    OrdersCancelled,
    OrdersEdited,
    RefundsCreate,
    InventoryItemsUpdate,
    LocationsCreate,
    LocationsUpdate,
    LocationsDelete,
    ProductsCreate,
    ProductsUpdate,
    ProductsDelete,
    InventoryLevelsUpdate,
    AppUninstalled,
    AppSubscriptionsUpdate,
    CustomersDataRequest,
    CustomersRedact,
    ShopRedact,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a webhook topic Stock Sentry subscribes to")]
pub struct UnknownTopic(pub String);

impl Topic {
    pub const ALL: [Topic; 17] = [
        Topic::OrdersCreate,
        Topic::RefundsCreate,
        Topic::OrdersEdited,
        Topic::OrdersCancelled,
        Topic::InventoryItemsUpdate,
        Topic::LocationsCreate,
        Topic::LocationsUpdate,
        Topic::LocationsDelete,
        Topic::ProductsCreate,
        Topic::ProductsUpdate,
        Topic::ProductsDelete,
        Topic::InventoryLevelsUpdate,
        Topic::AppUninstalled,
        Topic::AppSubscriptionsUpdate,
        Topic::CustomersDataRequest,
        Topic::CustomersRedact,
        Topic::ShopRedact,
    ];

    /// The topic as in `X-Shopify-Topic`: `orders/create`.
    pub fn as_str(self) -> &'static str {
        match self {
            Topic::OrdersCreate => "orders/create",
            Topic::OrdersCancelled => "orders/cancelled",
            Topic::OrdersEdited => "orders/edited",
            Topic::RefundsCreate => "refunds/create",
            Topic::InventoryItemsUpdate => "inventory_items/update",
            Topic::LocationsCreate => "locations/create",
            Topic::LocationsUpdate => "locations/update",
            Topic::LocationsDelete => "locations/delete",
            Topic::ProductsCreate => "products/create",
            Topic::ProductsUpdate => "products/update",
            Topic::ProductsDelete => "products/delete",
            Topic::InventoryLevelsUpdate => "inventory_levels/update",
            Topic::AppUninstalled => "app/uninstalled",
            Topic::AppSubscriptionsUpdate => "app_subscriptions/update",
            Topic::CustomersDataRequest => "customers/data_request",
            Topic::CustomersRedact => "customers/redact",
            Topic::ShopRedact => "shop/redact",
        }
    }

    /// The `WebhookSubscriptionTopic` enum value for `webhookSubscriptionCreate`:
    /// `ORDERS_CREATE`. Compliance topics have none (they are set in the app's configuration).
    pub fn graphql_enum(self) -> Option<&'static str> {
        match self {
            Topic::OrdersCreate => Some("ORDERS_CREATE"),
            Topic::OrdersCancelled => Some("ORDERS_CANCELLED"),
            Topic::OrdersEdited => Some("ORDERS_EDITED"),
            Topic::RefundsCreate => Some("REFUNDS_CREATE"),
            Topic::InventoryItemsUpdate => Some("INVENTORY_ITEMS_UPDATE"),
            Topic::LocationsCreate => Some("LOCATIONS_CREATE"),
            Topic::LocationsUpdate => Some("LOCATIONS_UPDATE"),
            Topic::LocationsDelete => Some("LOCATIONS_DELETE"),
            Topic::ProductsCreate => Some("PRODUCTS_CREATE"),
            Topic::ProductsUpdate => Some("PRODUCTS_UPDATE"),
            Topic::ProductsDelete => Some("PRODUCTS_DELETE"),
            Topic::InventoryLevelsUpdate => Some("INVENTORY_LEVELS_UPDATE"),
            Topic::AppUninstalled => Some("APP_UNINSTALLED"),
            Topic::AppSubscriptionsUpdate => Some("APP_SUBSCRIPTIONS_UPDATE"),
            Topic::CustomersDataRequest | Topic::CustomersRedact | Topic::ShopRedact => None,
        }
    }

    /// Reverse of `graphql_enum`.
    pub fn from_graphql_enum(value: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.graphql_enum() == Some(value))
    }

    /// The mandatory privacy topics.
    pub fn is_compliance(self) -> bool {
        matches!(self, Topic::CustomersDataRequest | Topic::CustomersRedact | Topic::ShopRedact)
    }

    /// Parses the `X-Shopify-Topic` header (exact, lowercase, as Shopify sends it).
    pub fn parse(header: &str) -> Result<Topic, UnknownTopic> {
        Topic::ALL.into_iter().find(|t| t.as_str() == header).ok_or_else(|| UnknownTopic(header.to_string()))
    }

    /// The app's URL path for this topic: `/webhooks/orders/create`.
    pub fn path(self) -> String {
        format!("{PATH_PREFIX}{}", self.as_str())
    }

    /// Reverse of `path`; a trailing slash or query string is not accepted.
    pub fn from_path(path: &str) -> Option<Topic> {
        Topic::parse(path.strip_prefix(PATH_PREFIX)?).ok()
    }
}

impl fmt::Display for Topic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Topic {
    type Err = UnknownTopic;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Topic::parse(s)
    }
}

impl TryFrom<String> for Topic {
    type Error = UnknownTopic;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Topic::parse(&s)
    }
}

impl From<Topic> for String {
    fn from(t: Topic) -> String {
        t.as_str().to_string()
    }
}

// ---------------------------------------------------------------------------------------
// Payloads
// ---------------------------------------------------------------------------------------

/// `orders/create`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderPayload {
    pub id: i64,
    pub admin_graphql_api_id: String,
    #[serde(default)]
    pub name: Option<String>,
    /// As Shopify wrote it, in the shop's time zone: its date is the shop's day of the sale.
    pub created_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<Utc>,
    #[serde(default)]
    pub cancelled_at: Option<DateTime<Utc>>,
    /// Set for POS orders: where the sale happened.
    #[serde(default)]
    pub location_id: Option<i64>,
    #[serde(default)]
    pub currency: Option<String>,
    pub line_items: Vec<OrderLineItem>,
    #[serde(default)]
    pub fulfillments: Vec<Fulfillment>,
    #[serde(default)]
    pub refunds: Vec<Refund>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderLineItem {
    pub id: i64,
    #[serde(default)]
    pub admin_graphql_api_id: Option<String>,
    /// Null for custom items or deleted variants.
    #[serde(default)]
    pub variant_id: Option<i64>,
    #[serde(default)]
    pub product_id: Option<i64>,
    #[serde(default)]
    pub sku: Option<String>,
    pub quantity: i64,
    /// What is left of the line after refunds and edits (REST `current_quantity`).
    #[serde(default)]
    pub current_quantity: Option<i64>,
    /// Decimal string in the shop currency, e.g. `"24.99"`.
    pub price: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fulfillment {
    pub id: i64,
    #[serde(default)]
    pub location_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Refund {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    #[serde(default)]
    pub refund_line_items: Vec<RefundLineItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefundLineItem {
    pub id: i64,
    pub line_item_id: i64,
    pub quantity: i64,
    #[serde(default)]
    pub location_id: Option<i64>,
    /// `return`, `cancel`, `no_restock` or `legacy_restock`.
    #[serde(default)]
    pub restock_type: Option<String>,
    /// The refunded line item (`refunds/create` carries it whole).
    #[serde(default)]
    pub line_item: Option<RefundedLineItem>,
}

impl RefundLineItem {
    /// Units that came back to stock: they leave the sales history. A `no_restock` refund
    /// (money back, item not returned) consumed stock and stays demand.
    pub fn restocked(&self) -> bool {
        self.restock_type.as_deref() != Some("no_restock")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefundedLineItem {
    pub id: i64,
    #[serde(default)]
    pub variant_id: Option<i64>,
}

/// `refunds/create`: one refund of an order (REST Refund, not wrapped).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefundPayload {
    pub id: i64,
    pub order_id: i64,
    /// Shop-local time, as Shopify writes it.
    pub created_at: DateTime<FixedOffset>,
    #[serde(default)]
    pub refund_line_items: Vec<RefundLineItem>,
}

/// `locations/create`, `locations/update` (REST Location) and `locations/delete` (its id).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocationPayload {
    pub id: i64,
    #[serde(default)]
    pub name: Option<String>,
    /// Deactivated locations hold no stock the merchant sells from.
    #[serde(default)]
    pub active: Option<bool>,
}

/// `app_subscriptions/update`: a plan the merchant chose (or that ended) changed status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppSubscriptionPayload {
    pub app_subscription: AppSubscriptionChange,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppSubscriptionChange {
    pub admin_graphql_api_id: String,
    pub name: String,
    /// ACTIVE, CANCELLED, DECLINED, EXPIRED, FROZEN, PENDING (Shopify's case varies).
    pub status: String,
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

/// `orders/edited`: quantities added to or removed from an order's lines (line item ids
/// only; the variants come from the order itself).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderEditPayload {
    pub order_edit: OrderEdit,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderEdit {
    pub id: i64,
    pub order_id: i64,
    #[serde(default)]
    pub line_items: EditedLines,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EditedLines {
    #[serde(default)]
    pub additions: Vec<LineDelta>,
    #[serde(default)]
    pub removals: Vec<LineDelta>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineDelta {
    /// The line item.
    pub id: i64,
    pub delta: i64,
}

/// `inventory_items/update` (REST InventoryItem).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InventoryItemPayload {
    pub id: i64,
    #[serde(default)]
    pub sku: Option<String>,
    /// Unit cost, a decimal string; null when not set.
    #[serde(default)]
    pub cost: Option<String>,
    pub tracked: bool,
    pub updated_at: DateTime<FixedOffset>,
}

/// `products/create` and `products/update`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductPayload {
    pub id: i64,
    pub admin_graphql_api_id: String,
    pub title: String,
    #[serde(default)]
    pub vendor: Option<String>,
    #[serde(default)]
    pub product_type: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    #[serde(default)]
    pub variants: Vec<ProductVariant>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductVariant {
    pub id: i64,
    #[serde(default)]
    pub admin_graphql_api_id: Option<String>,
    #[serde(default)]
    pub product_id: Option<i64>,
    pub title: String,
    #[serde(default)]
    pub sku: Option<String>,
    pub price: String,
    pub inventory_item_id: i64,
    /// Total across locations (deprecated by Shopify but still sent).
    #[serde(default)]
    pub inventory_quantity: Option<i64>,
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

/// `products/delete`: only the id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductDeletePayload {
    pub id: i64,
}

/// `inventory_levels/update`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InventoryLevelPayload {
    pub inventory_item_id: i64,
    pub location_id: i64,
    /// Null when the item is not tracked at the location.
    pub available: Option<i64>,
    /// As Shopify wrote it, in the shop's time zone: its date is the shop's day.
    pub updated_at: DateTime<FixedOffset>,
    #[serde(default)]
    pub admin_graphql_api_id: Option<String>,
}

/// `app/uninstalled`: the shop object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShopPayload {
    pub id: i64,
    #[serde(default)]
    pub name: Option<String>,
    pub myshopify_domain: String,
    #[serde(default)]
    pub domain: Option<String>,
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComplianceCustomer {
    pub id: i64,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataRequestId {
    pub id: i64,
}

/// `customers/data_request`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomersDataRequestPayload {
    pub shop_id: i64,
    pub shop_domain: String,
    pub customer: ComplianceCustomer,
    #[serde(default)]
    pub orders_requested: Vec<i64>,
    pub data_request: DataRequestId,
}

/// `customers/redact`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomersRedactPayload {
    pub shop_id: i64,
    pub shop_domain: String,
    pub customer: ComplianceCustomer,
    #[serde(default)]
    pub orders_to_redact: Vec<i64>,
}

/// `shop/redact` (48 hours after uninstall).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShopRedactPayload {
    pub shop_id: i64,
    pub shop_domain: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum WebhookEvent {
    OrderCreated(OrderPayload),
    OrderCancelled(OrderPayload),
    OrderEdited(OrderEditPayload),
    RefundCreated(RefundPayload),
    InventoryItemUpdated(InventoryItemPayload),
    LocationCreated(LocationPayload),
    LocationUpdated(LocationPayload),
    LocationDeleted(LocationPayload),
    ProductCreated(ProductPayload),
    ProductUpdated(ProductPayload),
    ProductDeleted(ProductDeletePayload),
    InventoryLevelUpdated(InventoryLevelPayload),
    AppUninstalled(ShopPayload),
    AppSubscriptionUpdated(AppSubscriptionPayload),
    CustomersDataRequest(CustomersDataRequestPayload),
    CustomersRedact(CustomersRedactPayload),
    ShopRedact(ShopRedactPayload),
}

impl WebhookEvent {
    pub fn topic(&self) -> Topic {
        match self {
            WebhookEvent::OrderCreated(_) => Topic::OrdersCreate,
            WebhookEvent::OrderCancelled(_) => Topic::OrdersCancelled,
            WebhookEvent::OrderEdited(_) => Topic::OrdersEdited,
            WebhookEvent::RefundCreated(_) => Topic::RefundsCreate,
            WebhookEvent::InventoryItemUpdated(_) => Topic::InventoryItemsUpdate,
            WebhookEvent::LocationCreated(_) => Topic::LocationsCreate,
            WebhookEvent::LocationUpdated(_) => Topic::LocationsUpdate,
            WebhookEvent::LocationDeleted(_) => Topic::LocationsDelete,
            WebhookEvent::ProductCreated(_) => Topic::ProductsCreate,
            WebhookEvent::ProductUpdated(_) => Topic::ProductsUpdate,
            WebhookEvent::ProductDeleted(_) => Topic::ProductsDelete,
            WebhookEvent::InventoryLevelUpdated(_) => Topic::InventoryLevelsUpdate,
            WebhookEvent::AppUninstalled(_) => Topic::AppUninstalled,
            WebhookEvent::AppSubscriptionUpdated(_) => Topic::AppSubscriptionsUpdate,
            WebhookEvent::CustomersDataRequest(_) => Topic::CustomersDataRequest,
            WebhookEvent::CustomersRedact(_) => Topic::CustomersRedact,
            WebhookEvent::ShopRedact(_) => Topic::ShopRedact,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayloadError {
    #[error("{topic} body is empty")]
    Empty { topic: Topic },
    #[error("{topic} body is not JSON: {message}")]
    NotJson { topic: Topic, message: String },
    #[error("{topic} body does not match the payload: {message}")]
    Shape { topic: Topic, message: String },
}

/// Parses a webhook body for `topic`. Unknown extra fields are ignored; a missing or mistyped
/// field the app needs is a `Shape` error naming it.
pub fn parse(topic: Topic, body: &[u8]) -> Result<WebhookEvent, PayloadError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(PayloadError::Empty { topic });
    }
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| PayloadError::NotJson { topic, message: e.to_string() })?;
    fn typed<T: for<'de> Deserialize<'de>>(topic: Topic, v: serde_json::Value) -> Result<T, PayloadError> {
        serde_json::from_value(v).map_err(|e| PayloadError::Shape { topic, message: e.to_string() })
    }
    Ok(match topic {
        Topic::OrdersCreate => WebhookEvent::OrderCreated(typed(topic, value)?),
        Topic::OrdersCancelled => WebhookEvent::OrderCancelled(typed(topic, value)?),
        Topic::OrdersEdited => WebhookEvent::OrderEdited(typed(topic, value)?),
        Topic::RefundsCreate => WebhookEvent::RefundCreated(typed(topic, value)?),
        Topic::InventoryItemsUpdate => WebhookEvent::InventoryItemUpdated(typed(topic, value)?),
        Topic::LocationsCreate => WebhookEvent::LocationCreated(typed(topic, value)?),
        Topic::LocationsUpdate => WebhookEvent::LocationUpdated(typed(topic, value)?),
        Topic::LocationsDelete => WebhookEvent::LocationDeleted(typed(topic, value)?),
        Topic::ProductsCreate => WebhookEvent::ProductCreated(typed(topic, value)?),
        Topic::ProductsUpdate => WebhookEvent::ProductUpdated(typed(topic, value)?),
        Topic::ProductsDelete => WebhookEvent::ProductDeleted(typed(topic, value)?),
        Topic::InventoryLevelsUpdate => WebhookEvent::InventoryLevelUpdated(typed(topic, value)?),
        Topic::AppUninstalled => WebhookEvent::AppUninstalled(typed(topic, value)?),
        Topic::AppSubscriptionsUpdate => WebhookEvent::AppSubscriptionUpdated(typed(topic, value)?),
        Topic::CustomersDataRequest => WebhookEvent::CustomersDataRequest(typed(topic, value)?),
        Topic::CustomersRedact => WebhookEvent::CustomersRedact(typed(topic, value)?),
        Topic::ShopRedact => WebhookEvent::ShopRedact(typed(topic, value)?),
    })
}

#[cfg(test)]
mod tests;
