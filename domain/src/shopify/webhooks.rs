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
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| PayloadError::NotJson { topic, message: e.to_string() })?;
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
mod tests {
    use super::*;

    #[test]
    fn topics_round_trip_through_header_path_and_enum() {
        for t in Topic::ALL {
            assert_eq!(Topic::parse(t.as_str()), Ok(t));
            assert_eq!(Topic::from_path(&t.path()), Some(t));
            assert_eq!(t.as_str().parse::<Topic>(), Ok(t));
            if let Some(e) = t.graphql_enum() {
                assert_eq!(Topic::from_graphql_enum(e), Some(t));
            }
            assert_eq!(t.graphql_enum().is_none(), t.is_compliance());
        }
        assert_eq!(Topic::OrdersCreate.path(), "/webhooks/orders/create");
        assert_eq!(Topic::from_path("/webhooks/orders/create/"), None);
        assert_eq!(Topic::from_path("/hooks/orders/create"), None);
        assert!(Topic::parse("Orders/Create").is_err());
        assert!(Topic::parse("orders/paid").is_err());
    }

    /// `shopify.app.toml` (what `shopify app deploy` reads) subscribes every topic the app
    /// handles at its path, and pins the API version the app calls.
    #[test]
    fn app_configuration_declares_every_topic_and_the_api_version() {
        let config: toml::Value = toml::from_str(include_str!("../../../shopify.app.toml")).unwrap();
        let webhooks = &config["webhooks"];
        assert_eq!(webhooks["api_version"].as_str(), Some(crate::shopify::API_VERSION));
        let subs = webhooks["subscriptions"].as_array().unwrap();
        for t in Topic::ALL {
            let key = if t.is_compliance() { "compliance_topics" } else { "topics" };
            let found = subs.iter().any(|s| {
                s.get(key).and_then(|v| v.as_array()).is_some_and(|a| a.iter().any(|x| x.as_str() == Some(t.as_str())))
                    && s["uri"].as_str() == Some(t.path().as_str())
            });
            assert!(found, "shopify.app.toml lacks {t} at {}", t.path());
        }
    }

    #[test]
    fn parses_refunds_create_and_inventory_items_update() {
        let body = br#"{"id":929361464,"order_id":450789469,"created_at":"2026-12-04T11:05:00-05:00","note":"wrong size","restock":true,
            "refund_line_items":[{"id":104689539,"quantity":2,"line_item_id":703073504,"location_id":487838322,"restock_type":"return","subtotal":49.98,
              "line_item":{"id":703073504,"variant_id":457924702,"quantity":3,"sku":"T-S"}},
              {"id":104689540,"quantity":1,"line_item_id":703073505,"location_id":null,"restock_type":"no_restock","line_item":{"id":703073505,"variant_id":457924703}}],
            "transactions":[],"order_adjustments":[]}"#;
        let WebhookEvent::RefundCreated(r) = parse(Topic::RefundsCreate, body).unwrap() else { panic!("wrong variant") };
        assert_eq!((r.id, r.order_id, r.created_at.date_naive().to_string()), (929_361_464, 450_789_469, "2026-12-04".into()));
        assert_eq!(r.refund_line_items[0].line_item.as_ref().and_then(|l| l.variant_id), Some(457_924_702));
        assert!(r.refund_line_items[0].restocked() && !r.refund_line_items[1].restocked());
        let body = br#"{"id":808950810,"sku":"IPOD2008PINK","created_at":"2026-01-01T00:00:00-05:00","updated_at":"2026-12-04T11:05:00-05:00","requires_shipping":true,"cost":"25.00","tracked":false,"admin_graphql_api_id":"gid://shopify/InventoryItem/808950810"}"#;
        let WebhookEvent::InventoryItemUpdated(i) = parse(Topic::InventoryItemsUpdate, body).unwrap() else { panic!("wrong variant") };
        assert_eq!((i.id, i.cost.as_deref(), i.tracked), (808_950_810, Some("25.00"), false));
        assert!(matches!(parse(Topic::OrdersCancelled, b"{\"id\":1}"), Err(PayloadError::Shape { .. })));
    }

    #[test]
    fn parses_orders_create() {
        let body = br##"{"id":820982911946154508,"admin_graphql_api_id":"gid://shopify/Order/820982911946154508","app_id":null,"name":"#9999","email":"jon@example.com","created_at":"2025-11-25T16:15:47-05:00","updated_at":"2025-11-25T16:15:47-05:00","cancelled_at":null,"currency":"USD","location_id":null,"total_price":"74.97","line_items":[{"id":866550311766439020,"admin_graphql_api_id":"gid://shopify/LineItem/866550311766439020","variant_id":45000000000001,"product_id":8000000000000,"sku":"T-S-000-S","quantity":3,"price":"24.99","title":"Trail Black T-Shirt","properties":[]},{"id":141249953214522974,"variant_id":null,"product_id":null,"sku":null,"quantity":1,"price":"0.00"}],"fulfillments":[],"refunds":[],"customer":{"id":115310627314723954}}"##;
        let WebhookEvent::OrderCreated(o) = parse(Topic::OrdersCreate, body).unwrap() else { panic!("wrong variant") };
        assert_eq!(o.id, 820_982_911_946_154_508);
        assert_eq!(o.created_at.with_timezone(&Utc).to_rfc3339(), "2025-11-25T21:15:47+00:00");
        // 21:15 UTC is still the 25th in the shop (-05:00): the sale's day is the local one.
        assert_eq!(o.created_at.date_naive().to_string(), "2025-11-25");
        assert_eq!(o.line_items[0].variant_id, Some(45_000_000_000_001));
        assert_eq!(o.line_items[0].quantity, 3);
        assert_eq!(o.line_items[1].variant_id, None);
        assert_eq!(crate::shopify::admin::money_to_cents(&o.line_items[0].price), Some(2499));
    }

    #[test]
    fn parses_order_with_refund_and_fulfillment() {
        let body = br#"{"id":1,"admin_graphql_api_id":"gid://shopify/Order/1","created_at":"2025-11-25T10:00:00Z","updated_at":"2025-11-25T12:00:00Z","line_items":[{"id":11,"variant_id":5,"quantity":2,"price":"10.00"}],"fulfillments":[{"id":21,"location_id":70000000002,"status":"success"}],"refunds":[{"id":31,"created_at":"2025-11-25T12:00:00Z","refund_line_items":[{"id":41,"line_item_id":11,"quantity":1,"location_id":70000000002,"restock_type":"return"}]}]}"#;
        let WebhookEvent::OrderCreated(o) = parse(Topic::OrdersCreate, body).unwrap() else { panic!("wrong variant") };
        assert_eq!(o.fulfillments[0].location_id, Some(70_000_000_002));
        assert_eq!(o.refunds[0].refund_line_items[0].restock_type.as_deref(), Some("return"));
    }

    #[test]
    fn parses_products_and_delete() {
        let body = br#"{"id":788032119674292922,"admin_graphql_api_id":"gid://shopify/Product/788032119674292922","title":"Example T-Shirt","body_html":null,"vendor":"Acme","product_type":"Shirts","status":"active","created_at":null,"updated_at":"2025-11-25T16:15:47-05:00","tags":"example, mens, t-shirt","variants":[{"id":642667041472713922,"admin_graphql_api_id":"gid://shopify/ProductVariant/642667041472713922","product_id":788032119674292922,"title":"Small","price":"19.99","sku":"example-shirt-s","inventory_item_id":1,"inventory_quantity":75,"updated_at":null}],"options":[],"images":[]}"#;
        let WebhookEvent::ProductUpdated(p) = parse(Topic::ProductsUpdate, body).unwrap() else { panic!("wrong variant") };
        assert_eq!(p.variants[0].inventory_item_id, 1);
        assert_eq!(p.variants[0].inventory_quantity, Some(75));
        assert!(matches!(parse(Topic::ProductsCreate, body), Ok(WebhookEvent::ProductCreated(_))));
        assert_eq!(parse(Topic::ProductsDelete, br#"{"id":788032119674292922}"#).unwrap(), WebhookEvent::ProductDeleted(ProductDeletePayload { id: 788_032_119_674_292_922 }));
    }

    #[test]
    fn parses_inventory_level_update() {
        let body = br#"{"inventory_item_id":271878346596884015,"location_id":24826418,"available":-2,"updated_at":"2025-11-25T16:15:47-05:00","admin_graphql_api_id":"gid://shopify/InventoryLevel/24826418?inventory_item_id=271878346596884015"}"#;
        let WebhookEvent::InventoryLevelUpdated(l) = parse(Topic::InventoryLevelsUpdate, body).unwrap() else { panic!("wrong variant") };
        assert_eq!((l.inventory_item_id, l.location_id, l.available), (271_878_346_596_884_015, 24_826_418, Some(-2)));
        let untracked = br#"{"inventory_item_id":1,"location_id":2,"available":null,"updated_at":"2025-11-25T00:00:00Z"}"#;
        let WebhookEvent::InventoryLevelUpdated(l) = parse(Topic::InventoryLevelsUpdate, untracked).unwrap() else { panic!("wrong variant") };
        assert_eq!(l.available, None);
        // 22:30 in New York is 03:30 UTC the next day: the level is the shop's 25th.
        let late = br#"{"inventory_item_id":1,"location_id":2,"available":4,"updated_at":"2025-11-25T22:30:00-05:00"}"#;
        let WebhookEvent::InventoryLevelUpdated(l) = parse(Topic::InventoryLevelsUpdate, late).unwrap() else { panic!("wrong variant") };
        assert_eq!((l.updated_at.date_naive().to_string(), l.updated_at.with_timezone(&Utc).date_naive().to_string()), ("2025-11-25".into(), "2025-11-26".into()));
    }

    #[test]
    fn parses_app_uninstalled_and_compliance() {
        let shop = br#"{"id":548380009,"name":"Super Toys","email":"super@supertoys.com","domain":null,"myshopify_domain":"super-toys.myshopify.com","plan_name":"basic","updated_at":"2025-11-25T16:15:47-05:00"}"#;
        let WebhookEvent::AppUninstalled(s) = parse(Topic::AppUninstalled, shop).unwrap() else { panic!("wrong variant") };
        assert_eq!(s.myshopify_domain, "super-toys.myshopify.com");

        let data_request = br#"{"shop_id":954889,"shop_domain":"snowdevil.myshopify.com","orders_requested":[299938,280263],"customer":{"id":191167,"email":"john@example.com","phone":"555-625-1199"},"data_request":{"id":9999}}"#;
        let WebhookEvent::CustomersDataRequest(d) = parse(Topic::CustomersDataRequest, data_request).unwrap() else { panic!("wrong variant") };
        assert_eq!((d.customer.id, d.orders_requested.len(), d.data_request.id), (191_167, 2, 9999));

        let redact = br#"{"shop_id":954889,"shop_domain":"snowdevil.myshopify.com","customer":{"id":191167,"email":"john@example.com","phone":"555-625-1199"},"orders_to_redact":[299938,280263,220458]}"#;
        let WebhookEvent::CustomersRedact(r) = parse(Topic::CustomersRedact, redact).unwrap() else { panic!("wrong variant") };
        assert_eq!(r.orders_to_redact, vec![299_938, 280_263, 220_458]);

        let shop_redact = br#"{"shop_id":954889,"shop_domain":"snowdevil.myshopify.com"}"#;
        let event = parse(Topic::ShopRedact, shop_redact).unwrap();
        assert_eq!(event.topic(), Topic::ShopRedact);
    }

    #[test]
    fn malformed_bodies_are_clear_errors() {
        assert_eq!(parse(Topic::OrdersCreate, b"  "), Err(PayloadError::Empty { topic: Topic::OrdersCreate }));
        assert!(matches!(parse(Topic::OrdersCreate, b"{\"id\":"), Err(PayloadError::NotJson { .. })));
        let missing = parse(Topic::InventoryLevelsUpdate, br#"{"inventory_item_id":1,"available":3,"updated_at":"2025-11-25T00:00:00Z"}"#);
        let Err(PayloadError::Shape { message, .. }) = missing else { panic!("expected a shape error") };
        assert!(message.contains("location_id"), "{message}");
        let string_id = parse(Topic::ProductsDelete, br#"{"id":"gid://shopify/Product/1"}"#);
        assert!(matches!(string_id, Err(PayloadError::Shape { .. })));
        let err = parse(Topic::ShopRedact, b"[]").unwrap_err();
        assert!(err.to_string().starts_with("shop/redact body does not match"), "{err}");
    }
}
