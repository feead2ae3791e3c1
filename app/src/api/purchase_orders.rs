//! Purchase orders: created from the reorder list (one per supplier and destination),
//! edited while drafts, sent to the supplier (emailed with the PDF and CSV when it has an
//! address), received in parts or at once, or cancelled. Receiving here records what
//! arrived; the merchant still receives the stock in Shopify, which stays the truth for
//! what is on hand.

use crate::error::AppError;
use leptos::prelude::*;
use std::collections::BTreeMap;

pub use crate::wire::purchase_orders::{Created, CreatedOrder, OrderLineRow, OrderPage, OrderSummary};

/// "v1_2" (variant id, location id) → the pair. The letter keeps the form's key from reading
/// as a list index (serde_qs takes a key that starts with a digit for one).
#[cfg(feature = "ssr")]
fn line_key(key: &str) -> Option<(i64, i64)> {
    let (v, l) = key.strip_prefix('v')?.split_once('_')?;
    Some((v.parse().ok()?, l.parse().ok()?))
}

/// "v123" → the variant id.
#[cfg(feature = "ssr")]
fn variant_key(key: &str) -> Result<i64, AppError> {
    key.strip_prefix('v').and_then(|v| v.parse().ok()).ok_or_else(|| AppError::Malformed(format!("unknown line {key}")))
}

#[cfg(feature = "ssr")]
fn quantity(field: &str, text: &str) -> Result<u32, AppError> {
    domain::engine::reorder::parse_order_quantity(text).map_err(|e| AppError::Invalid(vec![domain::FieldError::new(field, e.to_string())]))
}

/// One order of the session's shop, read for an action on it.
#[cfg(feature = "ssr")]
struct Loaded {
    env: std::sync::Arc<worker::Env>,
    shop_id: i64,
    db: worker::D1Database,
    page: OrderPage,
    status: domain::purchasing::Status,
}

#[cfg(feature = "ssr")]
async fn load(id: i64) -> Result<Loaded, AppError> {
    use crate::server::context::worker_env;
    let env = worker_env().await?;
    let shop = crate::server::session::current_shop(&env).await?;
    let page = crate::server::purchasing::order_page(&shop.db, shop.id, id).await?;
    let status =
        domain::purchasing::Status::from_code(&page.head.status).ok_or_else(|| AppError::Conflict("Unknown order status.".into()))?;
    Ok(Loaded { env, shop_id: shop.id, db: shop.db, page, status })
}

/// Creates draft orders from one supplier's section of the reorder list, with the
/// quantities the merchant set (`qty[v<variant>_<location>]`; 0 leaves a line out): one order
/// per destination location. The lines come from the shop's own reorder list, worked out
/// again here, never from the form.
#[server(endpoint = "purchase_orders/create", output = crate::api::codec::Json)]
pub async fn create_purchase_orders(
    supplier: String,
    cover_days: Option<u32>,
    // The class the reorder list was narrowed to: the order holds that list's lines.
    #[server(default)] abc: Option<String>,
    #[server(default)] qty: BTreeMap<String, String>,
) -> Result<Created, AppError> {
    use crate::server::context::{now_rfc3339, run, today_in, worker_env};
    use crate::server::repo::purchase_orders::{self, NewLine, NewOrder};
    use crate::server::session::current_shop;
    run(async move {
        let env = worker_env().await?;
        let shop = current_shop(&env).await?;
        let db = &shop.db;
        let now = now_rfc3339();
        let cover_days = cover_days.map(|d| d.clamp(1, 365));
        let abc = abc.as_deref().and_then(domain::classes::Abc::parse);
        let orders =
            crate::server::purchasing::supplier_orders(db, shop.id, &shop.currency, cover_days, abc, today_in(shop.zone()), &now).await?;
        let order = orders
            .into_iter()
            .find(|o| o.supplier == supplier)
            .ok_or_else(|| AppError::Conflict(format!("{supplier} has nothing on the reorder list any more. Reload the page.")))?;
        let mut wanted: BTreeMap<(i64, i64), u32> = BTreeMap::new();
        for (key, text) in &qty {
            let Some(k) = line_key(key) else { return Err(AppError::Malformed(format!("unknown line {key}"))) };
            wanted.insert(k, quantity(&format!("qty-{key}"), text)?);
        }
        let currency = order.currency.clone().unwrap_or_else(|| shop.currency.clone());
        let mut by_location: BTreeMap<i64, NewOrder> = BTreeMap::new();
        for l in &order.lines {
            // A line the form did not carry keeps what the list suggests.
            let q = wanted.get(&(l.variant_id, l.location_id)).copied().unwrap_or(l.order_qty);
            if q == 0 {
                continue;
            }
            by_location
                .entry(l.location_id)
                .or_insert_with(|| NewOrder {
                    supplier_id: order.supplier_id,
                    supplier_name: order.supplier.clone(),
                    location_id: l.location_id,
                    location_name: l.location_name.clone(),
                    currency: currency.clone(),
                    lines: Vec::new(),
                })
                .lines
                .push(NewLine {
                    variant_id: l.variant_id,
                    sku: l.sku.clone(),
                    supplier_sku: l.supplier_sku.clone(),
                    title: format!("{} — {}", l.product_title, l.variant_title),
                    quantity: q,
                    unit_cost_cents: l.unit_cost_cents,
                });
        }
        if by_location.is_empty() {
            return Err(AppError::Invalid(vec![domain::FieldError::new("qty", "Every quantity is 0: there is nothing to order.")]));
        }
        let mut created = Vec::new();
        for o in by_location.values() {
            let (id, number) = purchase_orders::create(db, shop.id, o, &now).await?;
            created.push(CreatedOrder {
                id,
                po_number: domain::purchasing::po_number(u32::try_from(number).unwrap_or(0)),
                location_name: o.location_name.clone(),
            });
        }
        Ok(Created { orders: created })
    })
    .await
}

#[server(endpoint = "purchase_orders", output = crate::api::codec::Json)]
pub async fn list_purchase_orders() -> Result<Vec<OrderSummary>, AppError> {
    use crate::server::context::{run, worker_env};
    use crate::server::session::current_shop;
    run(async move {
        let env = worker_env().await?;
        let shop = current_shop(&env).await?;
        crate::server::repo::purchase_orders::list(&shop.db, shop.id).await
    })
    .await
}

#[server(endpoint = "purchase_orders/get", output = crate::api::codec::Json)]
pub async fn purchase_order(id: i64) -> Result<OrderPage, AppError> {
    use crate::server::context::{run, worker_env};
    use crate::server::session::current_shop;
    run(async move {
        let env = worker_env().await?;
        let shop = current_shop(&env).await?;
        crate::server::purchasing::order_page(&shop.db, shop.id, id).await
    })
    .await
}

/// A draft's expected delivery day (YYYY-MM-DD or empty), notes and line quantities
/// (`qty[v<variant>]`; 0 removes a line).
#[server(endpoint = "purchase_orders/save", output = crate::api::codec::Json)]
pub async fn save_purchase_order(
    id: i64,
    expected_on: String,
    notes: String,
    #[server(default)] qty: BTreeMap<String, String>,
) -> Result<OrderPage, AppError> {
    use crate::server::context::run;
    use crate::server::repo::purchase_orders;
    run(async move {
        let expected = expected_on.trim();
        if !expected.is_empty() && chrono::NaiveDate::parse_from_str(expected, "%Y-%m-%d").is_err() {
            return Err(AppError::Invalid(vec![domain::FieldError::new(
                "expected_on",
                "Enter a date such as 2027-01-15, or leave it empty.",
            )]));
        }
        let mut quantities = Vec::new();
        for (key, text) in &qty {
            let variant = variant_key(key)?;
            quantities.push((variant, quantity(&format!("qty-{variant}"), text)?));
        }
        let Loaded { shop_id, db, status, .. } = load(id).await?;
        status.edit().map_err(|e| AppError::Conflict(e.to_string()))?;
        let notes: String = notes.trim().chars().take(2000).collect();
        purchase_orders::update_draft(&db, shop_id, id, (!expected.is_empty()).then_some(expected), &notes, &quantities).await?;
        crate::server::purchasing::order_page(&db, shop_id, id).await
    })
    .await
}

/// Sends a draft: emailed to the supplier with the PDF and CSV when it has an address, else
/// marked sent for the merchant to send the PDF themselves. A failed email leaves the order
/// a draft.
#[server(endpoint = "purchase_orders/send", output = crate::api::codec::Json)]
pub async fn send_purchase_order(id: i64) -> Result<OrderPage, AppError> {
    use crate::server::context::{now_rfc3339, run};
    use crate::server::repo::purchase_orders;
    run(async move {
        let Loaded { env, shop_id, db, page, status } = load(id).await?;
        let now = now_rfc3339();
        let sent = status.send().map_err(|e| AppError::Conflict(e.to_string()))?;
        if page.lines.is_empty() {
            return Err(AppError::Conflict("This order has no lines left to send.".into()));
        }
        // Claimed first, so two clicks cannot email the supplier twice.
        if !purchase_orders::set_status(&db, shop_id, id, status.code(), sent.code(), &now).await? {
            return Err(AppError::Conflict("This order changed meanwhile. Reload the page.".into()));
        }
        if !page.head.supplier_email.is_empty() {
            let sent_page = crate::server::purchasing::order_page(&db, shop_id, id).await?;
            let shop_name = purchase_orders::shop_name(&db, shop_id).await?;
            if let Err(e) = crate::server::purchasing::email_order(&env, &db, shop_id, &sent_page, &shop_name, &now).await {
                purchase_orders::set_status(&db, shop_id, id, sent.code(), status.code(), &now).await?;
                return Err(e);
            }
        }
        // Its units are on their way now: the variants' alerts (a stock gap among them) follow.
        crate::server::queue::recalculate(&env, shop_id, Some(page.lines.iter().map(|l| l.variant_id).collect())).await?;
        crate::server::purchasing::order_page(&db, shop_id, id).await
    })
    .await
}

/// Records units that arrived now (`qty[v<variant>]`, added to what arrived before). More than
/// ordered is allowed, and the page flags it.
#[server(endpoint = "purchase_orders/receive", output = crate::api::codec::Json)]
pub async fn receive_purchase_order(id: i64, #[server(default)] qty: BTreeMap<String, String>) -> Result<OrderPage, AppError> {
    use crate::server::context::{now_rfc3339, run};
    use crate::server::repo::purchase_orders;
    use domain::purchasing::Receipt;
    run(async move {
        let mut arrived: BTreeMap<i64, u32> = BTreeMap::new();
        for (key, text) in &qty {
            let variant = variant_key(key)?;
            arrived.insert(variant, quantity(&format!("received-{variant}"), text)?);
        }
        if arrived.values().all(|&u| u == 0) {
            return Err(AppError::Invalid(vec![domain::FieldError::new("qty", "Enter the units that arrived on at least one line.")]));
        }
        let Loaded { env, shop_id, db, page, status } = load(id).await?;
        let receipt = Receipt {
            lines: page
                .lines
                .iter()
                .map(|l| {
                    let ordered = u32::try_from(l.quantity).unwrap_or(0);
                    let before = u32::try_from(l.received).unwrap_or(0);
                    (ordered, before.saturating_add(arrived.get(&l.variant_id).copied().unwrap_or(0)))
                })
                .collect(),
        };
        let next = status.receive(&receipt).map_err(|e| AppError::Conflict(e.to_string()))?;
        let units: Vec<(i64, u32)> = arrived.into_iter().filter(|(v, _)| page.lines.iter().any(|l| l.variant_id == *v)).collect();
        if !purchase_orders::receive(&db, shop_id, id, status.code(), next.code(), &units, &now_rfc3339()).await? {
            return Err(AppError::Conflict("This order changed meanwhile. Reload the page.".into()));
        }
        crate::server::queue::recalculate(&env, shop_id, Some(page.lines.iter().map(|l| l.variant_id).collect())).await?;
        crate::server::purchasing::order_page(&db, shop_id, id).await
    })
    .await
}

#[server(endpoint = "purchase_orders/cancel", output = crate::api::codec::Json)]
pub async fn cancel_purchase_order(id: i64) -> Result<OrderPage, AppError> {
    use crate::server::context::{now_rfc3339, run};
    use crate::server::repo::purchase_orders;
    run(async move {
        let Loaded { env, shop_id, db, page, status } = load(id).await?;
        let next = status.cancel().map_err(|e| AppError::Conflict(e.to_string()))?;
        if !purchase_orders::set_status(&db, shop_id, id, status.code(), next.code(), &now_rfc3339()).await? {
            return Err(AppError::Conflict("This order changed meanwhile. Reload the page.".into()));
        }
        if status != domain::purchasing::Status::Draft {
            // Units of a sent order were counted as on their way.
            crate::server::queue::recalculate(&env, shop_id, Some(page.lines.iter().map(|l| l.variant_id).collect())).await?;
        }
        crate::server::purchasing::order_page(&db, shop_id, id).await
    })
    .await
}
