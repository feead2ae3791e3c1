//! Tests of the Admin GraphQL wire format: documents, response parsing, bulk exports and the
//! retry policy, each against payloads shaped like Shopify's documented examples.

use super::*;
use chrono::{DateTime, NaiveDate, Utc};
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
    for bad in [
        "123",
        "gid://shopify/Product/",
        "gid://shopify/Product/abc",
        "gid://other/Product/1",
        "gid://shopify//1",
        "gid://shopify/Product/-4",
    ] {
        assert!(Gid::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn money_parses_to_cents() {
    assert_eq!(money_to_cents("19.99"), Some(1999));
    assert_eq!(money_to_cents("5"), Some(500));
    assert_eq!(money_to_cents("0.5"), Some(50));
    assert_eq!(money_to_cents("-2.10"), Some(-210));
    // A three-decimal currency's amount, to the nearest hundredth.
    assert_eq!(money_to_cents("1.234"), Some(123));
    for bad in ["", "1.2345", "abc", "1,00", "+1", ".5"] {
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
    let field_error: GraphqlResponse<ShopData> =
        serde_json::from_value(json!({ "errors": [{ "message": "Field 'x' doesn't exist" }] })).unwrap();
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
    assert_eq!(
        (c.levels[0].variant_id, c.levels[0].location_id, c.levels[0].available, c.levels[0].incoming),
        (45_000_000_000_001, 70_000_000_001, 17, 40)
    );
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
