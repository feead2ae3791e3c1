//! Mirroring a shop through the Admin GraphQL API: locations, then a bulk export of the
//! catalogue (products, variants, inventory levels), then a bulk export of a year of
//! orders folded into daily sales. Each step is one queue message (`domain::jobs::SyncStep`);
//! each page of rows is written in one D1 batch, and a retried step rewrites the same
//! values rather than adding to them.

use super::config::AppConfig;
use super::context::{internal, now_rfc3339, today};
use super::d1::batch;
use super::log;
use super::repo::{bulk, incoming, sales_import, shops, sync_runs};
use super::shopify::{self, ShopifyError};
use super::tokens;
use crate::error::AppError;
use domain::jobs::{Job, SyncStep};
use domain::shopify::admin::{
    complete_orders_prefix, numeric_id, orders_bulk_query, parse_catalog_jsonl, parse_orders_jsonl, BulkNodeData, BulkOperationStatus,
    BulkRunData, LocationsData, BULK_OPERATION_RUN_QUERY, BULK_OPERATION_STATUS_QUERY, CATALOG_BULK_QUERY, LOCATIONS_QUERY,
    ORDER_HISTORY_DAYS,
};
use domain::ShopDomain;
use serde::de::DeserializeOwned;
use serde_json::Value;
use worker::D1Database;

/// Seconds between polls of a running export, and how many polls before giving up.
const POLL_DELAY_SECS: u32 = 2;
const MAX_POLLS: u32 = 900;
/// Statements per D1 batch when writing an import.
const STATEMENTS_PER_BATCH: usize = 20;

struct Shop {
    id: i64,
    domain: ShopDomain,
}

/// The shop, if it is installed with a usable token (refreshed here if it is about to
/// expire); `None` stops the step quietly: uninstalled, or waiting for its merchant.
async fn load_shop(db: &D1Database, cfg: &AppConfig, shop_id: i64) -> Result<Option<Shop>, AppError> {
    let Some(domain) = shops::domain_of(db, shop_id).await? else { return Ok(None) };
    let shop = Shop { id: shop_id, domain };
    Ok(tokens::current(&shop.ctx(cfg, db), None).await?.map(|_| shop))
}

/// What a sync run says when the shop's token is gone mid-run.
const SIGN_IN_NEEDED: &str = "Stock Sentry lost its access to the shop. Open Stock Sentry from your Shopify admin to reconnect.";

impl Shop {
    fn ctx<'a>(&'a self, cfg: &'a AppConfig, db: &'a D1Database) -> tokens::TokenContext<'a> {
        tokens::TokenContext { cfg, db, shop_id: self.id, domain: &self.domain }
    }
}

/// One Admin GraphQL call with the shop's token (refreshed ahead of expiry, and once on a 401).
async fn admin<T: DeserializeOwned>(cfg: &AppConfig, db: &D1Database, shop: &Shop, query: &str, variables: Value) -> Result<T, AppError> {
    tokens::with_token(&shop.ctx(cfg, db), |token| {
        let variables = variables.clone();
        async move { shopify::graphql(cfg, &shop.domain, &token, query, variables).await }
    })
    .await?
    .ok_or_else(|| AppError::Upstream(SIGN_IN_NEEDED.into()))
}

pub async fn enqueue(env: &worker::Env, step: SyncStep, delay_secs: u32) -> Result<(), AppError> {
    super::queue::send(env, vec![Job::Sync(step)], delay_secs).await
}

/// A full sync (install, "Sync now"): its queued run shows in the progress bar at once,
/// and the first step takes that run over.
pub async fn request_full(env: &worker::Env, db: &D1Database, shop_id: i64) -> Result<(), AppError> {
    sync_runs::queue(db, shop_id, &now_rfc3339()).await?;
    enqueue(env, SyncStep::Start { shop_id, orders_days: domain::jobs::full_history_days() }, 0).await
}

/// Runs one step. Shopify calls inside it already retried with backoff; if the step still
/// fails, the run is marked failed with the reason (the merchant sees it and can try again)
/// and the message is done — the data from before the sync stays as it was, since every
/// write is a whole batch and the orders import is staged until its last range.
pub async fn run_step(env: &worker::Env, step: &SyncStep) -> Result<(), AppError> {
    let (shop_id, run_id) = match *step {
        SyncStep::Start { shop_id, .. } => (shop_id, None),
        SyncStep::Poll { shop_id, run_id, .. } | SyncStep::Import { shop_id, run_id, .. } => (shop_id, Some(run_id)),
    };
    match try_step(env, step).await {
        Err(AppError::Upstream(why)) => {
            let db = super::shards::shop_db(env, shop_id).await?;
            let run_id = match run_id {
                Some(id) => id,
                None => sync_runs::start(&db, shop_id, "catalog", "", &now_rfc3339()).await?,
            };
            let reason = if why == SIGN_IN_NEEDED { why } else { format!("Shopify did not answer: {why}") };
            fail(&db, run_id, &reason).await
        }
        other => other,
    }
}

async fn try_step(env: &worker::Env, step: &SyncStep) -> Result<(), AppError> {
    let cfg = AppConfig::from_env(env)?;
    let db = super::shards::shop_db(env, step.shop_id()).await?;
    match *step {
        SyncStep::Start { shop_id, orders_days } => {
            let Some(shop) = load_shop(&db, &cfg, shop_id).await? else {
                // Its queued run (shown since the install or "Sync now") ends saying why.
                return sync_runs::fail_queued(&db, shop_id, SIGN_IN_NEEDED, &now_rfc3339()).await;
            };
            sync_locations(env, &cfg, &db, &shop).await?;
            sync_incoming(&cfg, &db, &shop).await?;
            let run_id = start_export(&cfg, &db, &shop, "catalog", CATALOG_BULK_QUERY, orders_days).await?;
            enqueue(env, SyncStep::Poll { shop_id, run_id, polls: 0 }, POLL_DELAY_SECS).await
        }
        SyncStep::Poll { shop_id, run_id, polls } => {
            let Some(run) = sync_runs::get(&db, shop_id, run_id).await? else { return Ok(()) };
            if run.status != "running" {
                return Ok(()); // already finished by an earlier delivery of this message
            }
            // A run the token was lost under ends saying so, rather than staying "running".
            let Some(shop) = load_shop(&db, &cfg, shop_id).await? else { return fail(&db, run_id, SIGN_IN_NEEDED).await };
            let op_id = run.bulk_operation.clone().unwrap_or_default();
            let data: BulkNodeData = admin(&cfg, &db, &shop, BULK_OPERATION_STATUS_QUERY, serde_json::json!({"id": op_id})).await?;
            let Some(op) = data.node else {
                return fail(&db, run_id, "Shopify no longer knows this export").await;
            };
            match op.status {
                BulkOperationStatus::Completed if run.kind == "orders" => {
                    // Large: read it range by range, one message each.
                    let url = op.url.unwrap_or_default();
                    sync_runs::set_result(&db, run_id, &url, op.object_count as i64, op.file_size.unwrap_or(0) as i64).await?;
                    enqueue(env, SyncStep::Import { shop_id, run_id, offset: 0, part: 0 }, 0).await
                }
                BulkOperationStatus::Completed => {
                    let url = op.url.unwrap_or_default();
                    let objects = if url.is_empty() { 0 } else { import_catalog(&db, &shop, &url).await? };
                    sync_runs::finish(&db, run_id, objects, &now_rfc3339()).await?;
                    {
                        let days = run.orders_days.unwrap_or(ORDER_HISTORY_DAYS);
                        let since = today() - chrono::Duration::days(days);
                        let days = u32::try_from(days).unwrap_or(0);
                        let next = start_export(&cfg, &db, &shop, "orders", &orders_bulk_query(since), days).await?;
                        enqueue(env, SyncStep::Poll { shop_id, run_id: next, polls: 0 }, POLL_DELAY_SECS).await?;
                    }
                    Ok(())
                }
                s if s.is_final() => fail(&db, run_id, &format!("Shopify export ended {s:?} ({:?})", op.error_code)).await,
                _ if polls >= MAX_POLLS => fail(&db, run_id, "the export took too long").await,
                _ => {
                    sync_runs::progress(&db, run_id, op.object_count as i64).await?;
                    enqueue(env, SyncStep::Poll { shop_id, run_id, polls: polls + 1 }, POLL_DELAY_SECS).await
                }
            }
        }
        SyncStep::Import { shop_id, run_id, offset, part } => {
            let Some(run) = sync_runs::get(&db, shop_id, run_id).await? else { return Ok(()) };
            if run.status != "running" {
                return Ok(());
            }
            match import_orders_range(&db, shop_id, &run, offset, part).await? {
                Some(next) => enqueue(env, SyncStep::Import { shop_id, run_id, offset: next, part: part + 1 }, 0).await,
                None => {
                    batch(&db, sales_import::merge(&db, shop_id, run_id)?).await?;
                    sync_runs::finish(&db, run_id, run.objects_total.unwrap_or(run.objects_done), &now_rfc3339()).await?;
                    // Every vendor the catalogue brought gets its supplier, so the reorder
                    // list and supplier-level overrides have one before anyone opens a page.
                    super::repo::suppliers::ensure_vendor_suppliers(&db, shop_id, &now_rfc3339()).await?;
                    // The shop's size, which the placement of new shops weighs.
                    super::shards::record_size(env, shop_id, shops::variant_count(&db, shop_id).await?).await?;
                    // With a year of sales in, the alerts can be worked out: after a full
                    // import, with the seasonal patterns and ABC classes fitted first (the
                    // refit recalculates when done) rather than waiting for Sunday.
                    if run.orders_days.is_some_and(|d| d > i64::from(domain::jobs::NIGHTLY_ORDER_DAYS)) {
                        super::queue::send(env, vec![Job::Refit { shop_id }], 0).await
                    } else {
                        super::queue::recalculate(env, shop_id, None).await
                    }
                }
            }
        }
    }
}

/// Bytes per range of an orders export: a few thousand orders, well inside one
/// invocation's memory and CPU, and short enough not to hold up other requests.
const RANGE_BYTES: u64 = 2 * 1024 * 1024;

/// Imports the whole orders of one byte range; returns the next offset, or `None` at the end.
async fn import_orders_range(
    db: &D1Database,
    shop_id: i64,
    run: &sync_runs::SyncRun,
    offset: u64,
    part: u32,
) -> Result<Option<u64>, AppError> {
    let url = run.result_url.clone().unwrap_or_default();
    if url.is_empty() {
        return Ok(None); // an export without orders
    }
    let (bytes, total) = download_range(&url, offset, offset + RANGE_BYTES - 1).await?;
    let ends_file = offset + bytes.len() as u64 >= total;
    let take = complete_orders_prefix(&bytes, ends_file);
    if take == 0 && !ends_file {
        return Err(internal("orders export", "one order is larger than a range"));
    }
    let text = std::str::from_utf8(&bytes[..take]).map_err(|e| internal("orders export", e))?;
    let orders = parse_orders_jsonl(text).map_err(|e| internal("orders export", e))?;
    let frame = shops::sales_frame(db, shop_id).await?;
    let zone = frame.zone();
    let rows = domain::shopify::admin::daily_totals(&orders, frame.primary_location_id, zone);
    let ids: Vec<i64> = orders.iter().map(|o| o.id).collect();
    let mut statements = sales_import::stage(db, run.id, part, &rows)?;
    statements.extend(bulk::orders_seen(db, shop_id, &ids)?);
    statements.push(sync_runs::range_done(db, run.id, offset + take as u64, total, orders.len() as i64)?);
    // One range, one batch: it is staged completely or not at all.
    batch(db, statements).await?;
    Ok((!ends_file).then_some(offset + take as u64))
}

async fn download_range(url: &str, first: u64, last: u64) -> Result<(Vec<u8>, u64), AppError> {
    let headers = worker::Headers::new();
    headers.set("Range", &format!("bytes={first}-{last}")).map_err(|e| internal("range header", e))?;
    let mut init = worker::RequestInit::new();
    init.with_headers(headers);
    let req = worker::Request::new_with_init(url, &init).map_err(|e| internal("export request", e))?;
    let mut resp = worker::Fetch::Request(req).send().await.map_err(|e| AppError::from(ShopifyError::Network(e.to_string())))?;
    match resp.status_code() {
        206 => {
            let total = resp
                .headers()
                .get("Content-Range")
                .ok()
                .flatten()
                .and_then(|v| v.rsplit('/').next().and_then(|t| t.parse::<u64>().ok()))
                .ok_or_else(|| internal("export range", "no total in Content-Range"))?;
            Ok((resp.bytes().await.map_err(|e| internal("export download", e))?, total))
        }
        // A server that ignores Range sends everything: fine, this is the only range.
        200 => {
            let all = resp.bytes().await.map_err(|e| internal("export download", e))?;
            let total = all.len() as u64;
            Ok((all.get(first as usize..).map(<[u8]>::to_vec).unwrap_or_default(), total))
        }
        416 => Ok((Vec::new(), first)),
        status => Err(ShopifyError::Status { status, body: String::new() }.into()),
    }
}

async fn fail(db: &D1Database, run_id: i64, why: &str) -> Result<(), AppError> {
    log::error("sync_failed").field("run_id", run_id).field("error", why).emit();
    sync_runs::fail(db, run_id, why, &now_rfc3339()).await
}

async fn sync_locations(env: &worker::Env, cfg: &AppConfig, db: &D1Database, shop: &Shop) -> Result<(), AppError> {
    let mut after: Option<String> = None;
    let mut all = Vec::new();
    loop {
        // Through the API cache: a sync retried within minutes does not read them again.
        let variables = serde_json::json!({"first": 100, "after": after});
        let page: LocationsData = tokens::with_token(&shop.ctx(cfg, db), |token| {
            let variables = variables.clone();
            async move { shopify::graphql_cached(env, cfg, &shop.domain, &token, LOCATIONS_QUERY, variables).await }
        })
        .await?
        .ok_or_else(|| AppError::Upstream(SIGN_IN_NEEDED.into()))?;
        all.extend(page.locations.nodes.into_iter().filter(|l| l.is_active));
        match page.locations.page_info.end_cursor.filter(|_| page.locations.page_info.has_next_page) {
            Some(c) => after = Some(c),
            None => break,
        }
    }
    let rows: Vec<bulk::Location<'_>> = all.iter().filter_map(|l| Some(bulk::Location { id: numeric_id(&l.id)?, name: &l.name })).collect();
    batch(db, bulk::locations(db, shop.id, &rows)?).await?;
    if let Some(first) = rows.first() {
        shops::set_primary_location(db, shop.id, first.id).await?;
    }
    Ok(())
}

/// Shopify's open transfers and their shipments: when stock on its way lands, per variant and
/// location (`shopify::admin::incoming_stock`). A shop that has not granted the transfer
/// scopes yet (installed before they were asked for) keeps syncing without the dates.
async fn sync_incoming(cfg: &AppConfig, db: &D1Database, shop: &Shop) -> Result<(), AppError> {
    use domain::shopify::admin::{incoming_stock, TransfersData, INCOMING_TRANSFERS_QUERY};
    let zone = shops::sales_frame(db, shop.id).await?.zone();
    let mut after: Option<String> = None;
    let mut transfers = Vec::new();
    loop {
        let page: Result<TransfersData, AppError> =
            admin(cfg, db, shop, INCOMING_TRANSFERS_QUERY, serde_json::json!({"first": 50, "after": after})).await;
        let page = match page {
            Ok(p) => p,
            Err(AppError::Upstream(why)) if why.contains("ACCESS_DENIED") || why.contains("Access denied") => {
                log::warn("incoming_skipped").field("shop_id", shop.id).field("why", why.as_str()).emit();
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        transfers.extend(page.inventory_transfers.nodes);
        match page.inventory_transfers.page_info.end_cursor.filter(|_| page.inventory_transfers.page_info.has_next_page) {
            Some(c) => after = Some(c),
            None => break,
        }
    }
    let known = incoming::location_ids(db, shop.id).await?;
    let (rows, unknown): (Vec<_>, Vec<_>) = incoming_stock(&transfers, zone).into_iter().partition(|i| known.contains(&i.location_id));
    for i in &unknown {
        // A transfer to a location the shop does not have (deleted since): nothing to alert on.
        log::warn("incoming_unknown_location").field("shop_id", shop.id).field("location_id", i.location_id).emit();
    }
    let rows: Vec<incoming::Arrival> = rows
        .into_iter()
        .filter_map(|i| {
            Some(incoming::Arrival {
                inventory_item_id: i.inventory_item_id,
                location_id: i.location_id,
                arrives_on: i.arrives_on?.to_string(),
                units: i.units,
            })
        })
        .collect();
    incoming::replace(db, shop.id, &rows).await
}

/// Starts a bulk export and records its run; a catalogue run remembers how many days of
/// orders to fetch after it.
async fn start_export(cfg: &AppConfig, db: &D1Database, shop: &Shop, kind: &str, query: &str, orders_days: u32) -> Result<i64, AppError> {
    let data: BulkRunData = admin(cfg, db, shop, BULK_OPERATION_RUN_QUERY, serde_json::json!({"query": query})).await?;
    let payload = data.bulk_operation_run_query;
    let Some(op) = payload.bulk_operation else {
        let why = payload.user_errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("; ");
        return Err(internal("bulk export refused", why));
    };
    let run_id = sync_runs::start(db, shop.id, kind, &op.id, &now_rfc3339()).await?;
    if orders_days > 0 {
        sync_runs::set_orders_days(db, run_id, orders_days).await?;
    }
    Ok(run_id)
}

async fn download(url: &str) -> Result<String, AppError> {
    let mut resp = worker::Fetch::Url(url.parse().map_err(|e| internal("export url", e))?)
        .send()
        .await
        .map_err(|e| AppError::from(ShopifyError::Network(e.to_string())))?;
    if resp.status_code() != 200 {
        return Err(ShopifyError::Status { status: resp.status_code(), body: String::new() }.into());
    }
    resp.text().await.map_err(|e| internal("export download", e))
}

async fn write(db: &D1Database, statements: Vec<worker::D1PreparedStatement>) -> Result<(), AppError> {
    let mut statements = statements;
    while !statements.is_empty() {
        let rest = statements.split_off(statements.len().min(STATEMENTS_PER_BATCH));
        batch(db, statements).await?;
        statements = rest;
    }
    Ok(())
}

fn utc(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.unwrap_or_default().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Imports a completed catalogue export; returns the number of objects written.
async fn import_catalog(db: &D1Database, shop: &Shop, url: &str) -> Result<i64, AppError> {
    let jsonl = download(url).await?;
    let c = parse_catalog_jsonl(&jsonl).map_err(|e| internal("catalogue export", e))?;
    drop(jsonl);
    let products: Vec<bulk::Product<'_>> = c
        .products
        .iter()
        .map(|p| bulk::Product {
            id: p.id,
            title: &p.title,
            vendor: &p.vendor,
            product_type: &p.product_type,
            status: &p.status,
            gift_card: p.gift_card,
            created_at: p.created_at.map(|t| utc(Some(t))),
            updated_at: utc(p.updated_at),
        })
        .collect();
    let variants: Vec<bulk::Variant<'_>> = c
        .variants
        .iter()
        .map(|v| bulk::Variant {
            id: v.id,
            product_id: v.product_id,
            title: &v.title,
            sku: v.sku.as_deref().unwrap_or(""),
            price_cents: v.price_cents,
            cost_cents: v.cost_cents,
            inventory_item_id: v.inventory_item_id,
            tracked: v.tracked,
            created_at: v.created_at.map(|t| utc(Some(t))),
            updated_at: utc(v.updated_at),
        })
        .collect();
    let levels: Vec<bulk::Level> = c
        .levels
        .iter()
        .map(|l| bulk::Level {
            variant_id: l.variant_id,
            location_id: l.location_id,
            available: l.available,
            incoming: l.incoming,
            updated_at: utc(l.updated_at),
        })
        .collect();
    let mut statements = bulk::products(db, shop.id, &products)?;
    statements.extend(bulk::variants(db, shop.id, &variants)?);
    statements.extend(bulk::levels(db, shop.id, &levels)?);
    write(db, statements).await?;
    // Shopify's bundles (`productVariantComponents`): the list as Shopify has it now.
    super::repo::bundles::replace(db, shop.id, "shopify", &c.components, &now_rfc3339()).await?;
    Ok((products.len() + variants.len() + levels.len()) as i64)
}
