//! Daily sales per variant, location and shop-local day, counted once per order.

use crate::error::AppError;
use crate::server::d1::{int, opt_int, prepare, text};
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
        "INSERT INTO orders_seen (shop_id, order_id, day, location_id) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
        &[int(shop_id), int(order_id), text(local_day), int(location_id)],
    )?);
    Ok(out)
}

/// One refunded (or cancelled) line: units that came back, of a variant, at a location.
pub struct ReturnedLine {
    pub variant_id: i64,
    /// Where the units came back; `None`: where the order was counted.
    pub location_id: Option<i64>,
    pub quantity: i64,
}

/// A refund's restocked units leave the sales history, once per refund id: they count as
/// returned on the refund's day (as the nightly orders import counts refunds, so the two
/// meet in one day's total rather than adding up) at the location where the order was
/// counted. Nothing for an order never counted, or already cancelled (its units are back).
pub fn add_refund(
    db: &D1Database,
    shop_id: i64,
    order_id: i64,
    refund_id: i64,
    refund_day: &str,
    fallback_location: Option<i64>,
    lines: &[ReturnedLine],
) -> Result<Vec<D1PreparedStatement>, AppError> {
    let mut out = Vec::with_capacity(lines.len() + 1);
    for l in lines.iter().filter(|l| l.quantity > 0) {
        out.push(prepare(
            db,
            "INSERT INTO daily_sales (shop_id, variant_id, location_id, day, units_returned)
             SELECT ?1, ?2, COALESCE(o.location_id, ?3, ?8), ?4, ?5
             FROM orders_seen o
             WHERE o.shop_id = ?1 AND o.order_id = ?6 AND o.cancelled = 0 AND COALESCE(o.location_id, ?3, ?8) IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM refunds_seen WHERE shop_id = ?1 AND refund_id = ?7)
             ON CONFLICT(shop_id, variant_id, location_id, day) DO UPDATE SET
               units_returned = daily_sales.units_returned + excluded.units_returned",
            &[
                int(shop_id),
                int(l.variant_id),
                opt_int(l.location_id),
                text(refund_day),
                int(l.quantity),
                int(order_id),
                int(refund_id),
                opt_int(fallback_location),
            ],
        )?);
    }
    out.push(prepare(
        db,
        "INSERT INTO refunds_seen (shop_id, refund_id, order_id) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
        &[int(shop_id), int(refund_id), int(order_id)],
    )?);
    Ok(out)
}

/// Whether the order was counted into the sales history (else a refund or cancellation of it
/// has nothing to take back).
pub async fn order_seen(db: &D1Database, shop_id: i64, order_id: i64) -> Result<bool, AppError> {
    #[derive(serde::Deserialize)]
    struct N {
        n: i64,
    }
    let row: Option<N> = crate::server::d1::first(
        db,
        "SELECT COUNT(*) AS n FROM orders_seen WHERE shop_id = ?1 AND order_id = ?2",
        &[int(shop_id), int(order_id)],
    )
    .await?;
    Ok(row.is_some_and(|r| r.n > 0))
}

/// A cancellation: units not already refunded leave the order's day, once. An order never
/// seen is recorded as cancelled, so an `orders/create` delivered late adds nothing.
pub fn cancel_order(
    db: &D1Database,
    shop_id: i64,
    order_id: i64,
    location_id: Option<i64>,
    local_day: &str,
    lines: &[ReturnedLine],
) -> Result<Vec<D1PreparedStatement>, AppError> {
    let mut out = Vec::with_capacity(lines.len() + 2);
    for l in lines.iter().filter(|l| l.quantity > 0) {
        out.push(prepare(
            db,
            "INSERT INTO daily_sales (shop_id, variant_id, location_id, day, units_returned)
             SELECT ?1, ?2, COALESCE(o.location_id, ?3), COALESCE(o.day, ?4), ?5
             FROM orders_seen o
             WHERE o.shop_id = ?1 AND o.order_id = ?6 AND o.cancelled = 0 AND COALESCE(o.location_id, ?3) IS NOT NULL
             ON CONFLICT(shop_id, variant_id, location_id, day) DO UPDATE SET
               units_returned = daily_sales.units_returned + excluded.units_returned",
            &[int(shop_id), int(l.variant_id), opt_int(location_id), text(local_day), int(l.quantity), int(order_id)],
        )?);
    }
    out.push(prepare(
        db,
        "INSERT INTO orders_seen (shop_id, order_id, day, location_id, cancelled) VALUES (?1, ?2, ?3, ?4, 1)
         ON CONFLICT(shop_id, order_id) DO UPDATE SET cancelled = 1",
        &[int(shop_id), int(order_id), text(local_day), opt_int(location_id)],
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

/// An order edit: added units count as sold and removed ones as returned, on the order's
/// own day and location. Once per edit: the webhook ledger in the same batch.
pub fn edit_order(
    db: &D1Database,
    shop_id: i64,
    order_id: i64,
    added: &[ReturnedLine],
    removed: &[ReturnedLine],
) -> Result<Vec<D1PreparedStatement>, AppError> {
    let mut out = Vec::new();
    for (lines, column) in [(added, "units_sold"), (removed, "units_returned")] {
        for l in lines.iter().filter(|l| l.quantity > 0) {
            out.push(prepare(
                db,
                &format!(
                    "INSERT INTO daily_sales (shop_id, variant_id, location_id, day, {column})
                     SELECT ?1, ?2, o.location_id, o.day, ?3 FROM orders_seen o
                     WHERE o.shop_id = ?1 AND o.order_id = ?4 AND o.cancelled = 0 AND o.day IS NOT NULL AND o.location_id IS NOT NULL
                     ON CONFLICT(shop_id, variant_id, location_id, day) DO UPDATE SET {column} = daily_sales.{column} + excluded.{column}"
                ),
                &[int(shop_id), int(l.variant_id), int(l.quantity), int(order_id)],
            )?);
        }
    }
    Ok(out)
}
