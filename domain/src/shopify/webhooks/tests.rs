//! Tests of webhook parsing: topics and their paths, and each payload against bodies shaped
//! like Shopify's documented examples, malformed ones included.

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
    let config: toml::Value = toml::from_str(include_str!("../../../../shopify.app.toml")).unwrap();
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
    assert_eq!(
        parse(Topic::ProductsDelete, br#"{"id":788032119674292922}"#).unwrap(),
        WebhookEvent::ProductDeleted(ProductDeletePayload { id: 788_032_119_674_292_922 })
    );
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
    assert_eq!(
        (l.updated_at.date_naive().to_string(), l.updated_at.with_timezone(&Utc).date_naive().to_string()),
        ("2025-11-25".into(), "2025-11-26".into())
    );
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
