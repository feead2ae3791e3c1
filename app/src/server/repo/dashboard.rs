//! The dashboard's reads, in one D1 round trip whatever the shop's size (the one that also
//! reads the shop's row, `session::current_shop_with`): totals per kind,
//! the filter menus' options, the filtered list — its count and one page of it, by
//! urgency (`dashboard_filter.sql`) — and the sync progress.

use crate::error::AppError;
use crate::server::d1::{int, opt_text, prepare, rows, text};
use crate::wire::dashboard::{AlertRow, FilterOptions};
use domain::alert_filter::{AlertFilter, PAGE_SIZE};
use domain::engine::AlertState;
use domain::risk::{KindSummary, RiskRow};
use domain::{RiskKind, StockPosition};
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, D1Result};

const FILTER: &str = include_str!("dashboard_filter.sql");

#[derive(Deserialize)]
struct Totals {
    kind: String,
    n: u32,
    units: Option<i64>,
    lost: Option<i64>,
    value: Option<i64>,
}

#[derive(Deserialize)]
struct OptionRow {
    facet: String,
    value: String,
    label: String,
}

#[derive(Deserialize)]
struct Count {
    n: u32,
}

/// A listed alert with the numbers it shows, picked out of its stored explanation by SQLite
/// (`json_extract`): the whole explanation is a kilobyte a row, which the Worker would copy
/// and parse fifty times a page for eleven numbers. `None` where the explanation lacks one.
#[derive(Deserialize)]
struct Row {
    id: i64,
    kind: String,
    state: String,
    snoozed_until: Option<String>,
    variant_id: i64,
    location_id: i64,
    product_title: String,
    variant_title: String,
    sku: String,
    location_name: String,
    price_cents: i64,
    velocity: Option<f64>,
    days_of_cover: Option<f64>,
    depletion_date: Option<String>,
    lost_revenue_per_day_cents: Option<i64>,
    stock_value_cents: Option<i64>,
    gap_from: Option<String>,
    gap_lost_cents: Option<i64>,
    on_hand: Option<i64>,
    incoming: Option<i64>,
    in_stock_days: Option<u32>,
    days_since_last_sale: Option<u32>,
    abc: Option<String>,
    xyz: Option<String>,
}

pub struct Dashboard {
    pub summaries: Vec<KindSummary>,
    pub live: u32,
    pub total: u32,
    pub rows: Vec<AlertRow>,
    pub options: FilterOptions,
    /// The sync progress, read in the same round trip.
    pub sync: super::sync_runs::Progress,
}

/// The filter's parameters ?1–?9, as `dashboard_filter.sql` numbers them.
fn filter_params(shop_id: i64, f: &AlertFilter) -> Vec<JsValue> {
    let states = serde_json::to_string(f.state.states()).unwrap_or_else(|_| "[]".into());
    vec![
        int(shop_id),
        text(&states),
        opt_text(f.kind.map(RiskKind::as_str)),
        f.location.map_or(JsValue::NULL, int),
        opt_text(f.vendor.as_deref()),
        opt_text(f.product_type.as_deref()),
        opt_text(f.like_pattern().as_deref()),
        opt_text(f.abc.map(domain::classes::Abc::as_str)),
        opt_text(f.xyz.map(domain::classes::Xyz::as_str)),
    ]
}

/// The dashboard's reads for shop `shop_id` on its shard `db`, for one batch (`read` reads
/// their results).
pub fn statements(db: &D1Database, shop_id: i64, filter: &AlertFilter) -> Result<Vec<D1PreparedStatement>, AppError> {
    let totals = prepare(
        db,
        "SELECT kind, COUNT(*) AS n, SUM(MAX(json_extract(explanation, '$.on_hand'), 0)) AS units,
                SUM(json_extract(explanation, '$.lost_revenue_per_day_cents')) AS lost,
                SUM(json_extract(explanation, '$.stock_value_cents')) AS value
         FROM alerts WHERE shop_id = ?1 AND state IN ('open', 'acknowledged') GROUP BY kind",
        &[int(shop_id)],
    )?;
    // The menus list the shop's whole catalogue, not only what has alerts today, so they
    // stay the same from one day to the next.
    let options = prepare(
        db,
        "SELECT 'location' AS facet, CAST(id AS TEXT) AS value, name AS label FROM locations WHERE shop_id = ?1 AND active = 1
         UNION ALL SELECT * FROM (SELECT DISTINCT 'vendor', vendor, vendor FROM products WHERE shop_id = ?1 AND vendor != '')
         UNION ALL SELECT * FROM (SELECT DISTINCT 'product_type', product_type, product_type FROM products WHERE shop_id = ?1 AND product_type != '')
         ORDER BY 1, 3",
        &[int(shop_id)],
    )?;
    let mut params = filter_params(shop_id, filter);
    let count = prepare(db, &format!("SELECT COUNT(*) AS n {FILTER}"), &params)?;
    params.extend([int(PAGE_SIZE.into()), int(filter.offset().into())]);
    // The page is picked from alerts alone (in index order), then joined for its names.
    let page = prepare(db, &listed_sql(), &params)?;
    let [latest_sync, first_sale] = super::sync_runs::progress_statements(db, shop_id)?;
    Ok(vec![totals, options, count, page, latest_sync, first_sale])
}

/// The listed alerts with what their rows show, in urgency order: `?10` of them from the
/// `?11`th on.
fn listed_sql() -> String {
    format!(
        "SELECT a.id, a.kind, a.state, a.snoozed_until, a.variant_id, a.location_id,
                    p.title AS product_title, v.title AS variant_title, v.sku, l.name AS location_name, v.price_cents,
                    json_extract(a.explanation, '$.velocity') AS velocity,
                    json_extract(a.explanation, '$.days_of_cover') AS days_of_cover,
                    json_extract(a.explanation, '$.depletion_date') AS depletion_date,
                    json_extract(a.explanation, '$.lost_revenue_per_day_cents') AS lost_revenue_per_day_cents,
                    json_extract(a.explanation, '$.stock_value_cents') AS stock_value_cents,
                    json_extract(a.explanation, '$.stock_gap.from') AS gap_from,
                    json_extract(a.explanation, '$.stock_gap.lost_revenue_cents') AS gap_lost_cents,
                    json_extract(a.explanation, '$.on_hand') AS on_hand,
                    json_extract(a.explanation, '$.incoming') AS incoming,
                    json_extract(a.explanation, '$.in_stock_days') AS in_stock_days,
                    json_extract(a.explanation, '$.days_since_last_sale') AS days_since_last_sale,
                    vc.abc, vc.xyz
             FROM (SELECT a.id, a.kind, a.state, a.snoozed_until, a.explanation, a.variant_id, a.location_id, a.urgency, a.shop_id
                   {FILTER}
                   ORDER BY a.urgency DESC, a.id LIMIT ?10 OFFSET ?11) a
             JOIN variants v ON v.shop_id = a.shop_id AND v.id = a.variant_id
             JOIN products p ON p.shop_id = v.shop_id AND p.id = v.product_id
             JOIN locations l ON l.shop_id = a.shop_id AND l.id = a.location_id
             LEFT JOIN variant_classes vc ON vc.shop_id = a.shop_id AND vc.variant_id = a.variant_id
             -- An explanation that no longer parses skips its row instead of failing the page.
             WHERE json_valid(a.explanation)
             ORDER BY a.urgency DESC, a.id"
    )
}

/// Every alert the filter selects (up to `MAX_EXPORT_ROWS`), most urgent first: the CSV
/// export of the dashboard's list.
pub async fn export(db: &D1Database, shop_id: i64, filter: &AlertFilter) -> Result<Vec<AlertRow>, AppError> {
    let mut params = filter_params(shop_id, filter);
    params.extend([int(domain::exports::MAX_EXPORT_ROWS as i64), int(0)]);
    let listed: Vec<Row> = crate::server::d1::all(db, &listed_sql(), &params).await?;
    Ok(listed.into_iter().filter_map(alert_row).collect())
}

/// The dashboard from the results of `statements`, in order.
pub fn read(results: &[D1Result]) -> Result<Dashboard, AppError> {
    let [totals, options, count, page, latest_sync, first_sale] = results else {
        return Err(crate::server::context::internal("dashboard batch", "expected six results"));
    };
    let sync = super::sync_runs::progress_of(latest_sync, first_sale)?;
    let totals: Vec<Totals> = rows(totals)?;
    let options: Vec<OptionRow> = rows(options)?;
    let total = rows::<Count>(count)?.first().map_or(0, |c| c.n);
    let page: Vec<Row> = rows(page)?;

    let summaries = RiskKind::ALL
        .into_iter()
        .map(|kind| {
            let t = totals.iter().find(|t| RiskKind::parse(&t.kind) == Some(kind));
            let (count, units, value) = t.map_or((0, 0, 0), |t| {
                let value = if kind == RiskKind::OutOfStock { t.lost } else { t.value };
                (t.n, t.units.unwrap_or(0), value.unwrap_or(0))
            });
            KindSummary { kind: Some(kind), count, units, value_cents: value }
        })
        .collect();
    let live = totals.iter().map(|t| t.n).sum();

    let mut menus = FilterOptions::default();
    for o in options {
        match o.facet.as_str() {
            "location" => menus.locations.extend(o.value.parse().ok().map(|id| (id, o.label))),
            "vendor" => menus.vendors.push(o.value),
            "product_type" => menus.product_types.push(o.value),
            _ => {}
        }
    }

    let rows = page.into_iter().filter_map(alert_row).collect();
    Ok(Dashboard { summaries, live, total, rows, options: menus, sync })
}

/// A stored alert as the dashboard shows it; rows that no longer parse are skipped.
fn alert_row(r: Row) -> Option<AlertRow> {
    let kind = RiskKind::parse(&r.kind)?;
    let day = |d: &str| d.get(..10)?.parse().ok();
    let until = r.snoozed_until.as_deref().and_then(day);
    let state = AlertState::from_columns(&r.state, until).ok()??;
    // A gap's own date: the day stock runs out before the delivery.
    let depletion_date = match (kind, r.gap_from.as_deref()) {
        (RiskKind::StockGap, Some(from)) => Some(day(from)?),
        _ => r.depletion_date.as_deref().and_then(day),
    };
    use domain::classes::{Abc, Xyz};
    let class = domain::classes::label(r.abc.as_deref().and_then(Abc::parse), r.xyz.as_deref().and_then(Xyz::parse));
    Some(AlertRow {
        id: r.id,
        state,
        class,
        risk: RiskRow {
            kind,
            velocity: r.velocity?,
            days_of_cover: r.days_of_cover,
            depletion_date,
            lost_revenue_per_day_cents: r.lost_revenue_per_day_cents?,
            stock_value_cents: r.stock_value_cents?,
            gap_lost_cents: r.gap_lost_cents.unwrap_or(0),
            position: StockPosition {
                variant_id: r.variant_id,
                location_id: r.location_id,
                product_title: r.product_title,
                variant_title: r.variant_title,
                sku: r.sku,
                location_name: r.location_name,
                price_cents: r.price_cents,
                on_hand: r.on_hand?,
                incoming: r.incoming?,
                in_stock_days: r.in_stock_days?,
                days_since_last_sale: r.days_since_last_sale,
            },
        },
    })
}
