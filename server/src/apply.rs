//! Applying one verified webhook to D1: every change of one webhook goes into one batch
//! with its ledger row, so it applies completely, once, or not at all (and is retried).

use app::error::AppError;
use app::server::context::{db, internal, now_rfc3339};
use app::server::d1::{batch, first, int};
use app::server::repo::{catalog, inventory, sales, shops, webhook_events};
use domain::jobs::WebhookMessage;
use domain::shopify::admin::money_to_cents;
use domain::shopify::webhooks::{parse, Topic, WebhookEvent};
use domain::ShopDomain;
use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement};

fn utc(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The shop-local day of a timestamp field as Shopify sent it: Shopify writes times in the
/// shop's own time zone (`2026-11-25T21:40:00-05:00`), so its date part is the local day,
/// daylight saving included, without a time-zone database.
fn local_day(body: &str, field: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    let raw = v.get(field)?.as_str()?;
    chrono::DateTime::parse_from_rfc3339(raw).ok()?;
    raw.get(..10).map(str::to_string)
}

#[derive(Deserialize)]
struct Loc {
    id: Option<i64>,
}

/// Where an order without a location of its own (an online order) is counted: the shop's
/// primary location, else its first.
async fn default_location(db: &D1Database, shop_id: i64) -> Result<Option<i64>, AppError> {
    let row: Option<Loc> = first(
        db,
        "SELECT COALESCE((SELECT primary_location_id FROM shops WHERE id = ?1),
                         (SELECT MIN(id) FROM locations WHERE shop_id = ?1)) AS id",
        &[int(shop_id)],
    )
    .await?;
    Ok(row.and_then(|r| r.id))
}

/// Applies one webhook (at most once, whatever the redeliveries). Returns the shop and the
/// variants whose stock or sales it changed, for the caller to recalculate: the consumer
/// gathers a whole batch's variants into one recalculation per shop.
pub async fn apply(env: &worker::Env, w: &WebhookMessage) -> Result<Option<(i64, Vec<i64>)>, AppError> {
    let topic = Topic::parse(&w.topic).map_err(|e| internal("webhook topic", e))?;
    let event = parse(topic, w.body.as_bytes()).map_err(|e| internal("webhook payload", e))?;
    let domain = ShopDomain::parse(&w.shop).map_err(|e| internal("webhook shop", e))?;
    let db = db(env)?;
    let applied_before = webhook_events::already_applied(&db, &w.webhook_id).await?;
    let Some(shop) = shops::by_domain_any(&db, &domain).await? else {
        // A shop we never installed (or already erased): nothing to apply.
        worker::console_log!("{}", serde_json::json!({"level": "info", "event": "webhook_unknown_shop", "shop": w.shop, "topic": w.topic}));
        return Ok(None);
    };
    if applied_before {
        // A redelivery writes nothing, but its variants are recalculated again: the first
        // delivery may have been applied and then lost before its recalculation was queued.
        return Ok(touched(&db, shop.id, &event).await?.map(|t| (shop.id, t)));
    }
    let now = now_rfc3339();
    let received = w.triggered_at.clone().unwrap_or_else(|| now.clone());
    let ledger = webhook_events::record(&db, &w.webhook_id, shop.id, &w.topic, &received, &now)?;
    let changes: Vec<D1PreparedStatement> = match &event {
        WebhookEvent::OrderCreated(o) => {
            if o.cancelled_at.is_some() {
                Vec::new()
            } else {
                let location = match o.location_id.or_else(|| o.fulfillments.iter().find_map(|f| f.location_id)) {
                    Some(l) => Some(l),
                    None => default_location(&db, shop.id).await?,
                };
                let day = local_day(&w.body, "created_at").unwrap_or_else(|| o.created_at.format("%Y-%m-%d").to_string());
                let lines: Vec<sales::OrderLine> = o
                    .line_items
                    .iter()
                    .filter_map(|l| Some(sales::OrderLine { variant_id: l.variant_id?, quantity: l.quantity }))
                    .collect();
                match location {
                    Some(location) => sales::add_order(&db, shop.id, o.id, location, &day, &lines)?,
                    None => return Err(internal("orders/create", "shop has no location yet")),
                }
            }
        }
        WebhookEvent::ProductCreated(p) | WebhookEvent::ProductUpdated(p) => {
            let updated = utc(&p.updated_at);
            let variants: Vec<catalog::VariantRow<'_>> = p
                .variants
                .iter()
                .map(|v| catalog::VariantRow {
                    id: v.id,
                    title: &v.title,
                    sku: v.sku.as_deref().unwrap_or(""),
                    price_cents: money_to_cents(&v.price).unwrap_or(0),
                    inventory_item_id: Some(v.inventory_item_id),
                })
                .collect();
            let row = catalog::ProductRow {
                id: p.id,
                title: &p.title,
                vendor: p.vendor.as_deref().unwrap_or(""),
                product_type: p.product_type.as_deref().unwrap_or(""),
                status: p.status.as_deref().unwrap_or("active"),
                updated_at: &updated,
            };
            catalog::upsert_product(&db, shop.id, &row, &variants)?
        }
        WebhookEvent::ProductDeleted(p) => catalog::delete_product(&db, shop.id, p.id)?,
        WebhookEvent::InventoryLevelUpdated(l) => match l.available {
            // A level without `available` (untracked inventory) changes nothing we watch.
            None => Vec::new(),
            Some(available) => {
                let day = local_day(&w.body, "updated_at").unwrap_or_else(|| l.updated_at.format("%Y-%m-%d").to_string());
                inventory::set_level(&db, shop.id, l.inventory_item_id, l.location_id, available, &utc(&l.updated_at), &day)?
            }
        },
        WebhookEvent::AppUninstalled(_) => shops::mark_uninstalled(&db, shop.id, &now)?,
        // Stock Sentry stores no customer data: there is nothing to report or erase, and
        // the ledger row records that the request was honoured.
        WebhookEvent::CustomersDataRequest(_) | WebhookEvent::CustomersRedact(_) => Vec::new(),
        WebhookEvent::ShopRedact(_) => {
            // The ledger row goes first so the erase removes it too: nothing of the shop stays.
            let mut all = vec![ledger];
            all.extend(shops::redact(&db, shop.id)?);
            batch(&db, all).await?;
            worker::console_log!("{}", serde_json::json!({"level": "info", "event": "shop_redacted", "shop": w.shop}));
            return Ok(None);
        }
    };
    let mut all = changes;
    all.push(ledger);
    batch(&db, all).await?;
    worker::console_log!(
        "{}",
        serde_json::json!({"level": "info", "event": "webhook_applied", "topic": w.topic, "webhook_id": w.webhook_id, "shop": w.shop})
    );
    Ok(touched(&db, shop.id, &event).await?.map(|t| (shop.id, t)))
}

/// Real-time alerts: the variants whose stock or sales the event changes, if any.
async fn touched(db: &D1Database, shop_id: i64, event: &WebhookEvent) -> Result<Option<Vec<i64>>, AppError> {
    let variants: Vec<i64> = match event {
        WebhookEvent::OrderCreated(o) => o.line_items.iter().filter_map(|l| l.variant_id).collect(),
        WebhookEvent::InventoryLevelUpdated(l) => catalog::variant_for_item(db, shop_id, l.inventory_item_id).await?.into_iter().collect(),
        _ => Vec::new(),
    };
    Ok((!variants.is_empty()).then_some(variants))
}
