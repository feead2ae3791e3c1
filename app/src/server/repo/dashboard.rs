//! The dashboard's reads: live alerts by urgency with their explanations, and totals per
//! kind — two queries, whatever the shop's size (the list is paged by `LIMIT`).

use crate::error::AppError;
use crate::server::d1::{all, int};
use domain::engine::Explanation;
use domain::risk::{KindSummary, RiskRow};
use domain::{RiskKind, StockPosition};
use serde::Deserialize;
use worker::D1Database;

#[derive(Deserialize)]
struct Totals {
    kind: String,
    n: u32,
    units: Option<i64>,
    lost: Option<i64>,
    value: Option<i64>,
}

#[derive(Deserialize)]
struct Row {
    kind: String,
    explanation: String,
    variant_id: i64,
    location_id: i64,
    product_title: String,
    variant_title: String,
    sku: String,
    location_name: String,
    price_cents: i64,
}

pub struct Dashboard {
    pub summaries: Vec<KindSummary>,
    pub rows: Vec<RiskRow>,
    pub live: usize,
}

/// Alerts the merchant should see (open or acknowledged; snoozed ones are hidden).
const VISIBLE: &str = "state IN ('open', 'acknowledged')";

pub async fn load(db: &D1Database, shop_id: i64, limit: u32) -> Result<Dashboard, AppError> {
    let totals: Vec<Totals> = all(
        db,
        &format!(
            "SELECT kind, COUNT(*) AS n, SUM(MAX(json_extract(explanation, '$.on_hand'), 0)) AS units,
                    SUM(json_extract(explanation, '$.lost_revenue_per_day_cents')) AS lost,
                    SUM(json_extract(explanation, '$.stock_value_cents')) AS value
             FROM alerts WHERE shop_id = ?1 AND {VISIBLE} GROUP BY kind"
        ),
        &[int(shop_id)],
    )
    .await?;
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
    let live = totals.iter().map(|t| t.n as usize).sum();
    let rows: Vec<Row> = all(
        db,
        &format!(
            "SELECT a.kind, a.explanation, a.variant_id, a.location_id, p.title AS product_title, v.title AS variant_title,
                    v.sku, l.name AS location_name, v.price_cents
             FROM alerts a
             JOIN variants v ON v.shop_id = a.shop_id AND v.id = a.variant_id
             JOIN products p ON p.shop_id = v.shop_id AND p.id = v.product_id
             JOIN locations l ON l.shop_id = a.shop_id AND l.id = a.location_id
             WHERE a.shop_id = ?1 AND a.{VISIBLE}
             ORDER BY a.urgency DESC, a.id
             LIMIT ?2"
        ),
        &[int(shop_id), int(limit.into())],
    )
    .await?;
    let rows = rows
        .into_iter()
        .filter_map(|r| {
            let kind = RiskKind::parse(&r.kind)?;
            let e: Explanation = serde_json::from_str(&r.explanation).ok()?;
            Some(RiskRow {
                kind,
                velocity: e.velocity,
                days_of_cover: e.days_of_cover,
                depletion_date: e.depletion_date,
                lost_revenue_per_day_cents: e.lost_revenue_per_day_cents,
                stock_value_cents: e.stock_value_cents,
                position: StockPosition {
                    variant_id: r.variant_id,
                    location_id: r.location_id,
                    product_title: r.product_title,
                    variant_title: r.variant_title,
                    sku: r.sku,
                    location_name: r.location_name,
                    price_cents: r.price_cents,
                    on_hand: e.on_hand,
                    incoming: e.incoming,
                    in_stock_days: e.in_stock_days,
                    days_since_last_sale: e.days_since_last_sale,
                },
            })
        })
        .collect();
    Ok(Dashboard { summaries, rows, live })
}
