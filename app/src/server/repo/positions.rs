//! Stock positions (inventory levels joined with recent sales) for the risk rules.

use crate::error::AppError;
use crate::server::d1::{all, int, text};
use chrono::{Days, NaiveDate};
use domain::StockPosition;
use serde::Deserialize;
use worker::D1Database;

/// Days of sales behind the velocity.
pub const VELOCITY_WINDOW_DAYS: u32 = 30;

#[derive(Deserialize)]
struct Row {
    variant_id: i64,
    location_id: i64,
    product_title: String,
    variant_title: String,
    sku: String,
    location_name: String,
    price_cents: i64,
    on_hand: i64,
    incoming: i64,
    units_sold: f64,
    stockout_days: u32,
    last_sale_day: Option<String>,
}

pub async fn for_shop(
    db: &D1Database,
    shop_id: i64,
    today: NaiveDate,
    dead_stock_days: u32,
) -> Result<Vec<StockPosition>, AppError> {
    let day = |back: u32| {
        today.checked_sub_days(Days::new(u64::from(back.saturating_sub(1)))).unwrap_or(today).to_string()
    };
    let window_start = day(VELOCITY_WINDOW_DAYS);
    let lookback_start = day(dead_stock_days.max(VELOCITY_WINDOW_DAYS));
    let rows: Vec<Row> =
        all(db, include_str!("positions.sql"), &[int(shop_id), text(&window_start), text(&lookback_start)]).await?;
    Ok(rows
        .into_iter()
        .map(|r| StockPosition {
            variant_id: r.variant_id,
            location_id: r.location_id,
            product_title: r.product_title,
            variant_title: r.variant_title,
            sku: r.sku,
            location_name: r.location_name,
            price_cents: r.price_cents,
            on_hand: r.on_hand,
            incoming: r.incoming,
            units_sold: r.units_sold,
            in_stock_days: VELOCITY_WINDOW_DAYS.saturating_sub(r.stockout_days),
            days_since_last_sale: r
                .last_sale_day
                .and_then(|d| d.parse::<NaiveDate>().ok())
                .map(|d| (today - d).num_days().max(0) as u32),
        })
        .collect())
}
