//! Daily sales per variant, location and shop-local day, counted once per order.

use crate::error::AppError;
use crate::server::d1::{int, prepare, text};
use worker::{D1Database, D1PreparedStatement};

pub struct OrderLine {
    pub variant_id: i64,
    pub quantity: i64,
}

/// Adds an order's lines to the day's sales at `location_id` — only the first time this
/// order is seen (the historical import and the webhook may both bring it).
pub fn add_order(
    db: &D1Database,
    shop_id: i64,
    order_id: i64,
    location_id: i64,
    local_day: &str,
    lines: &[OrderLine],
) -> Result<Vec<D1PreparedStatement>, AppError> {
    let mut out = Vec::with_capacity(lines.len() + 1);
    // Lines first, guarded by "not seen yet"; then mark it seen, in the same batch.
    for l in lines.iter().filter(|l| l.quantity > 0) {
        out.push(prepare(
            db,
            "INSERT INTO daily_sales (shop_id, variant_id, location_id, day, units_sold)
             SELECT ?1, ?2, ?3, ?4, ?5
             WHERE NOT EXISTS (SELECT 1 FROM orders_seen WHERE shop_id = ?1 AND order_id = ?6)
             ON CONFLICT(shop_id, variant_id, location_id, day) DO UPDATE SET
               units_sold = daily_sales.units_sold + excluded.units_sold",
            &[int(shop_id), int(l.variant_id), int(location_id), text(local_day), int(l.quantity), int(order_id)],
        )?);
    }
    out.push(prepare(
        db,
        "INSERT INTO orders_seen (shop_id, order_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        &[int(shop_id), int(order_id)],
    )?);
    Ok(out)
}

#[derive(serde::Deserialize)]
pub struct SalesDay {
    pub day: String,
    pub units_sold: i64,
    pub units_returned: i64,
    pub stock_end: Option<i64>,
    pub out_of_stock: i64,
}

/// One position's days with a sale, a return or a stockout since `from_day`, oldest first
/// (the variant page; days without a row were in stock with no sale).
pub async fn position_days(
    db: &D1Database,
    shop_id: i64,
    variant_id: i64,
    location_id: i64,
    from_day: &str,
) -> Result<Vec<SalesDay>, AppError> {
    crate::server::d1::all(
        db,
        "SELECT day, units_sold, units_returned, stock_end, out_of_stock FROM daily_sales
         WHERE shop_id = ?1 AND variant_id = ?2 AND location_id = ?3 AND day >= ?4 ORDER BY day",
        &[int(shop_id), int(variant_id), int(location_id), text(from_day)],
    )
    .await
}
