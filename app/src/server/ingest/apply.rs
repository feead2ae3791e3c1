//! Applying one verified webhook to D1: every change of one webhook goes into one batch
//! with its ledger row, so it applies completely, once, or not at all (and is retried).

use crate::error::AppError;
use crate::server::context::{internal, now_rfc3339};
use crate::server::d1::batch;
use crate::server::log;
use crate::server::repo::shops::{self, ShopRow};
use crate::server::repo::{catalog, inventory, sales, webhook_events};
use domain::jobs::WebhookMessage;
use domain::shopify::admin::money_to_cents;
use domain::shopify::webhooks::{parse, Topic, WebhookEvent};
use domain::ShopDomain;
use std::collections::{HashMap, HashSet};
use worker::{D1Database, D1PreparedStatement};

fn utc(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// What a batch's webhooks share, read once for the whole batch rather than per webhook.
pub struct BatchView {
    /// Webhook ids in the ledger, and those this batch has applied so far.
    applied: HashSet<String>,
    /// Shops by domain.
    shops: HashMap<String, ShopRow>,
    /// Each shop's default location, read at its first location-less order in the batch.
    default_locations: HashMap<i64, Option<i64>>,
}

impl BatchView {
    pub async fn load(db: &D1Database, messages: &[&WebhookMessage]) -> Result<Self, AppError> {
        let ids: Vec<&str> = messages.iter().map(|w| w.webhook_id.as_str()).collect();
        // As `apply` looks them up: parsed (normalised); an unparseable one is refused there.
        let mut domains: Vec<String> =
            messages.iter().filter_map(|w| ShopDomain::parse(&w.shop).ok()).map(|d| d.as_str().to_string()).collect();
        domains.sort_unstable();
        domains.dedup();
        let domains: Vec<&str> = domains.iter().map(String::as_str).collect();
        let applied = webhook_events::applied_among(db, &ids).await?;
        let shops = shops::by_domains_any(db, &domains).await?.into_iter().map(|s| (s.domain.clone(), s)).collect();
        Ok(Self { applied, shops, default_locations: HashMap::new() })
    }

    /// The shop's default location, read at most once per batch.
    async fn default_location(&mut self, db: &D1Database, shop_id: i64) -> Result<Option<i64>, AppError> {
        if let Some(&known) = self.default_locations.get(&shop_id) {
            return Ok(known);
        }
        let found = shops::default_location(db, shop_id).await?;
        self.default_locations.insert(shop_id, found);
        Ok(found)
    }
}

/// What one webhook changed, for the caller to recalculate: the consumer gathers a whole
/// batch's variants (and the variants of its inventory items) into one recalculation per shop.
pub struct Touched {
    pub shop_id: i64,
    pub variants: Vec<i64>,
    pub inventory_items: Vec<i64>,
}

/// Applies one webhook (at most once, whatever the redeliveries).
pub async fn apply(db: &D1Database, env: &worker::Env, w: &WebhookMessage, view: &mut BatchView) -> Result<Option<Touched>, AppError> {
    let topic = Topic::parse(&w.topic).map_err(|e| internal("webhook topic", e))?;
    let event = parse(topic, w.body.as_bytes()).map_err(|e| internal("webhook payload", e))?;
    let domain = ShopDomain::parse(&w.shop).map_err(|e| internal("webhook shop", e))?;
    let Some(shop) = view.shops.get(domain.as_str()).cloned() else {
        // A shop we never installed (or already erased): nothing to apply.
        log::info("webhook_unknown_shop").field("shop", &w.shop).field("topic", &w.topic).emit();
        return Ok(None);
    };
    if view.applied.contains(&w.webhook_id) {
        // A redelivery writes nothing, but its variants are recalculated again: the first
        // delivery may have been applied and then lost before its recalculation was queued.
        return Ok(touched(shop.id, &event));
    }
    let now = now_rfc3339();
    let received = w.triggered_at.clone().unwrap_or_else(|| now.clone());
    let ledger = webhook_events::record(db, &w.webhook_id, shop.id, &w.topic, &received, &now)?;
    let changes: Vec<D1PreparedStatement> = match &event {
        WebhookEvent::OrderCreated(o) => {
            if o.cancelled_at.is_some() {
                Vec::new()
            } else {
                let location = order_location(db, view, shop.id, o).await?;
                // Shopify writes the time in the shop's zone: its date is the shop's day of the sale.
                let day = o.created_at.date_naive().to_string();
                let lines: Vec<sales::OrderLine> = o
                    .line_items
                    .iter()
                    .filter_map(|l| Some(sales::OrderLine { variant_id: l.variant_id?, quantity: l.quantity }))
                    .collect();
                match location {
                    Some(location) => sales::add_order(db, shop.id, o.id, location, &day, &lines)?,
                    None => return Err(internal("orders/create", "shop has no location yet")),
                }
            }
        }
        WebhookEvent::OrderCancelled(o) => {
            if !sales::order_seen(db, shop.id, o.id).await? {
                log_unseen(&w.topic, &w.shop, o.id);
            }
            let location = order_location(db, view, shop.id, o).await?;
            let day = o.created_at.date_naive().to_string();
            // The order's refunds (the cancellation's own among them) apply once each, as
            // `refunds/create` would; what no refund covers leaves the sales history too.
            let mut all = Vec::new();
            for r in &o.refunds {
                all.extend(sales::add_refund(
                    db,
                    shop.id,
                    o.id,
                    r.id,
                    &day,
                    location,
                    &returned_lines(&r.refund_line_items, &o.line_items),
                )?);
            }
            let remainder: Vec<sales::ReturnedLine> = o
                .line_items
                .iter()
                .filter_map(|l| {
                    // What is left of the line: Shopify's `current_quantity` (after refunds and
                    // edits, which were taken back on their own), else quantity less refunds.
                    let refunded: i64 =
                        o.refunds.iter().flat_map(|r| &r.refund_line_items).filter(|x| x.line_item_id == l.id).map(|x| x.quantity).sum();
                    let left = l.current_quantity.unwrap_or(l.quantity - refunded);
                    Some(sales::ReturnedLine { variant_id: l.variant_id?, location_id: None, quantity: left })
                })
                .collect();
            all.extend(sales::cancel_order(db, shop.id, o.id, location, &day, &remainder)?);
            all
        }
        WebhookEvent::OrderEdited(e) => {
            let edit = &e.order_edit;
            if !sales::order_seen(db, shop.id, edit.order_id).await? {
                log_unseen(&w.topic, &w.shop, edit.order_id);
                Vec::new()
            } else {
                match order_line_variants(env, db, shop.id, &domain, edit.order_id).await? {
                    None => {
                        log_unseen(&w.topic, &w.shop, edit.order_id);
                        Vec::new()
                    }
                    Some(variants) => {
                        let lines = |deltas: &[domain::shopify::webhooks::LineDelta]| -> Vec<sales::ReturnedLine> {
                            deltas
                                .iter()
                                .filter_map(|d| {
                                    let v = variants.iter().find(|(line, _)| *line == d.id)?.1;
                                    Some(sales::ReturnedLine { variant_id: v, location_id: None, quantity: d.delta.abs() })
                                })
                                .collect()
                        };
                        sales::edit_order(
                            db,
                            shop.id,
                            edit.order_id,
                            &lines(&edit.line_items.additions),
                            &lines(&edit.line_items.removals),
                        )?
                    }
                }
            }
        }
        WebhookEvent::RefundCreated(r) => {
            if !sales::order_seen(db, shop.id, r.order_id).await? {
                // Refund of an order before our history (or never counted): nothing to take back.
                log_unseen(&w.topic, &w.shop, r.order_id);
                Vec::new()
            } else {
                let fallback = view.default_location(db, shop.id).await?;
                let day = r.created_at.date_naive().to_string();
                sales::add_refund(db, shop.id, r.order_id, r.id, &day, fallback, &returned_lines(&r.refund_line_items, &[]))?
            }
        }
        WebhookEvent::LocationCreated(l) | WebhookEvent::LocationUpdated(l) => {
            catalog::set_location(db, shop.id, l.id, l.name.as_deref(), l.active.unwrap_or(true))?
        }
        WebhookEvent::LocationDeleted(l) => catalog::set_location(db, shop.id, l.id, None, false)?,
        WebhookEvent::InventoryItemUpdated(i) => {
            let cost = i.cost.as_deref().and_then(money_to_cents);
            catalog::set_inventory_item(db, shop.id, i.id, i.tracked, cost)?
        }
        WebhookEvent::ProductCreated(p) | WebhookEvent::ProductUpdated(p) => {
            let updated = utc(&p.updated_at);
            let created: Vec<Option<String>> = p.variants.iter().map(|v| v.created_at.as_ref().map(utc)).collect();
            let product_created = p.created_at.as_ref().map(utc);
            let variants: Vec<catalog::VariantRow<'_>> = p
                .variants
                .iter()
                .zip(&created)
                .map(|(v, created)| catalog::VariantRow {
                    id: v.id,
                    title: &v.title,
                    sku: v.sku.as_deref().unwrap_or(""),
                    price_cents: money_to_cents(&v.price).unwrap_or(0),
                    inventory_item_id: Some(v.inventory_item_id),
                    created_at: created.as_deref(),
                })
                .collect();
            let row = catalog::ProductRow {
                id: p.id,
                title: &p.title,
                vendor: p.vendor.as_deref().unwrap_or(""),
                product_type: p.product_type.as_deref().unwrap_or(""),
                status: p.status.as_deref().unwrap_or("active"),
                created_at: product_created.as_deref(),
                updated_at: &updated,
            };
            catalog::upsert_product(db, shop.id, &row, &variants)?
        }
        WebhookEvent::ProductDeleted(p) => catalog::delete_product(db, shop.id, p.id)?,
        WebhookEvent::InventoryLevelUpdated(l) => match l.available {
            // A level without `available` (untracked inventory) changes nothing we watch.
            None => Vec::new(),
            Some(available) => {
                let day = l.updated_at.date_naive().to_string();
                inventory::set_level(
                    db,
                    shop.id,
                    l.inventory_item_id,
                    l.location_id,
                    available,
                    &utc(&l.updated_at.with_timezone(&chrono::Utc)),
                    &day,
                )?
            }
        },
        WebhookEvent::AppUninstalled(_) => shops::mark_uninstalled(db, shop.id, &now)?,
        WebhookEvent::AppSubscriptionUpdated(p) => {
            // The billing gate asks Shopify again at the next visit.
            crate::server::billing_cache::forget(env, &domain).await;
            shops::record_plan(db, shop.id, &p.app_subscription.name, &p.app_subscription.status, &now)?
        }
        // Stock Sentry stores no customer data: there is nothing to report or erase, and
        // the ledger row records that the request was honoured.
        WebhookEvent::CustomersDataRequest(_) | WebhookEvent::CustomersRedact(_) => Vec::new(),
        WebhookEvent::ShopRedact(_) => {
            // KV first (cached API answers, waiting webhook bodies): if that fails, the
            // message is retried while the shop is still known, so nothing is left behind.
            let cached = crate::server::shopify::forget_cached(env, &domain).await.map_err(|e| internal("shop/redact KV erase", e))?;
            // The ledger row goes first so the erase removes it too: nothing of the shop stays.
            let mut all = vec![ledger];
            all.extend(shops::redact(db, shop.id)?);
            batch(db, all).await?;
            view.shops.remove(domain.as_str());
            // Then the directory forgets it: from now on the shop is unknown everywhere.
            crate::server::shards::remove(env, shop.id).await?;
            log::info("shop_redacted").field("shop", &w.shop).field("cache_entries", cached).emit();
            return Ok(None);
        }
    };
    let mut all = changes;
    all.push(ledger);
    batch(db, all).await?;
    view.applied.insert(w.webhook_id.clone());
    if let WebhookEvent::LocationCreated(l) | WebhookEvent::LocationUpdated(l) | WebhookEvent::LocationDeleted(l) = &event {
        // Every variant stocked there: a deactivated location's alerts resolve at once.
        let variants = catalog::variants_at(db, shop.id, l.id).await?;
        return Ok(Some(Touched { shop_id: shop.id, variants, inventory_items: Vec::new() }));
    }
    log::info("webhook_applied").field("topic", &w.topic).field("webhook_id", &w.webhook_id).field("shop", &w.shop).emit();
    Ok(touched(shop.id, &event))
}

/// Where an order is counted: its own location (POS), its first fulfillment's, else the
/// shop's default location (read once per shop and batch).
async fn order_location(
    db: &D1Database,
    view: &mut BatchView,
    shop_id: i64,
    o: &domain::shopify::webhooks::OrderPayload,
) -> Result<Option<i64>, AppError> {
    match o.location_id.or_else(|| o.fulfillments.iter().find_map(|f| f.location_id)) {
        Some(l) => Ok(Some(l)),
        None => view.default_location(db, shop_id).await,
    }
}

/// Restocked refund lines as returned units (the variant from the refunded line item, or
/// from the order's line items when the refund sits inside an order payload).
fn returned_lines(
    items: &[domain::shopify::webhooks::RefundLineItem],
    order_lines: &[domain::shopify::webhooks::OrderLineItem],
) -> Vec<sales::ReturnedLine> {
    items
        .iter()
        .filter(|x| x.restocked())
        .filter_map(|x| {
            let variant = x
                .line_item
                .as_ref()
                .and_then(|l| l.variant_id)
                .or_else(|| order_lines.iter().find(|l| l.id == x.line_item_id).and_then(|l| l.variant_id))?;
            Some(sales::ReturnedLine { variant_id: variant, location_id: x.location_id, quantity: x.quantity })
        })
        .collect()
}

/// The order's line items with their variants, read from Shopify (an edit names line items
/// only). `None` when the shop has no usable token or Shopify no longer has the order.
async fn order_line_variants(
    env: &worker::Env,
    db: &D1Database,
    shop_id: i64,
    domain: &ShopDomain,
    order_id: i64,
) -> Result<Option<Vec<(i64, i64)>>, AppError> {
    use domain::shopify::admin::{gid, OrderLinesData, ORDER_LINES_QUERY};
    let cfg = crate::server::config::AppConfig::from_env(env)?;
    let ctx = crate::server::tokens::TokenContext { cfg: &cfg, db, shop_id, domain };
    let cfg = &cfg;
    let data: Option<OrderLinesData> = crate::server::tokens::with_token(&ctx, |t| async move {
        crate::server::shopify::graphql(cfg, domain, &t, ORDER_LINES_QUERY, serde_json::json!({ "id": gid("Order", order_id) })).await
    })
    .await?;
    Ok(data.and_then(|d| d.order).map(|o| o.variants()))
}

fn log_unseen(topic: &str, shop: &str, order_id: i64) {
    log::info("webhook_order_not_counted")
        .field("topic", topic)
        .field("shop", shop)
        .field("order_id", order_id)
        .field("detail", "the order is not in the sales history (before the import window, or never seen): nothing to take back")
        .emit();
}

/// Real-time alerts: the variants (or inventory items) whose stock or sales the event changes.
fn touched(shop_id: i64, event: &WebhookEvent) -> Option<Touched> {
    let (variants, inventory_items) = match event {
        WebhookEvent::OrderCreated(o) | WebhookEvent::OrderCancelled(o) => {
            (o.line_items.iter().filter_map(|l| l.variant_id).collect(), Vec::new())
        }
        WebhookEvent::RefundCreated(r) => {
            (r.refund_line_items.iter().filter_map(|x| x.line_item.as_ref()?.variant_id).collect(), Vec::new())
        }
        // The edited lines' variants are not in the payload; their stock updates follow.
        WebhookEvent::OrderEdited(_) => return None,
        WebhookEvent::InventoryItemUpdated(i) => (Vec::new(), vec![i.id]),
        // A product's status decides whether its variants may alert.
        WebhookEvent::ProductUpdated(p) => (p.variants.iter().map(|v| v.id).collect(), Vec::new()),
        WebhookEvent::InventoryLevelUpdated(l) => (Vec::new(), vec![l.inventory_item_id]),
        _ => return None,
    };
    Some(Touched { shop_id, variants, inventory_items })
}
