//! Purchase orders and their lines (`purchase_orders`, `purchase_order_lines`; migration
//! 0019). Every statement is scoped to the shop; a status changes only from the status the
//! caller read, so two tabs cannot send or receive the same order twice.

use crate::error::AppError;
use crate::server::d1::{all, batch, batch_read, first, int, opt_text, prepare, rows, text};
use crate::wire::purchase_orders::{OrderHead, OrderLineRow, OrderSummary};
use serde::{Deserialize, Serialize};
use worker::D1Database;

/// A line of a new order.
#[derive(Serialize)]
pub struct NewLine {
    pub variant_id: i64,
    pub sku: String,
    pub supplier_sku: String,
    pub title: String,
    pub quantity: u32,
    pub unit_cost_cents: i64,
}

pub struct NewOrder {
    pub supplier_id: Option<i64>,
    pub supplier_name: String,
    pub location_id: i64,
    pub location_name: String,
    pub currency: String,
    pub lines: Vec<NewLine>,
}

#[derive(Deserialize)]
struct Created {
    id: i64,
    number: i64,
}

/// Stores a draft with the shop's next number, its lines in the same batch (one
/// transaction); returns (id, number).
pub async fn create(db: &D1Database, shop_id: i64, o: &NewOrder, now: &str) -> Result<(i64, i64), AppError> {
    let lines = serde_json::to_string(&o.lines).map_err(|e| crate::server::context::internal("order lines", e))?;
    let results = batch_read(
        db,
        vec![
            prepare(
                db,
                "INSERT INTO purchase_orders (shop_id, number, supplier_id, supplier_name, location_id, location_name, currency, created_at)
                 SELECT ?1, COALESCE(MAX(number), 0) + 1, ?2, ?3, ?4, ?5, ?6, ?7 FROM purchase_orders WHERE shop_id = ?1
                 RETURNING id, number",
                &[
                    int(shop_id),
                    o.supplier_id.map_or(worker::wasm_bindgen::JsValue::NULL, int),
                    text(&o.supplier_name),
                    int(o.location_id),
                    text(&o.location_name),
                    text(&o.currency),
                    text(now),
                ],
            )?,
            prepare(
                db,
                "INSERT INTO purchase_order_lines (shop_id, order_id, variant_id, sku, supplier_sku, title, quantity, unit_cost_cents)
                 SELECT ?1, (SELECT id FROM purchase_orders WHERE shop_id = ?1 ORDER BY number DESC LIMIT 1),
                        json_extract(value, '$.variant_id'), json_extract(value, '$.sku'), json_extract(value, '$.supplier_sku'),
                        json_extract(value, '$.title'), json_extract(value, '$.quantity'), json_extract(value, '$.unit_cost_cents')
                 FROM json_each(?2) WHERE true",
                &[int(shop_id), text(&lines)],
            )?,
        ],
    )
    .await?;
    let created: Vec<Created> = rows(results.first().ok_or_else(|| crate::server::context::internal("create order", "no result"))?)?;
    let c = created.into_iter().next().ok_or_else(|| crate::server::context::internal("create order", "no row returned"))?;
    Ok((c.id, c.number))
}

const SUMMARY: &str = "SELECT o.id, o.number, o.supplier_name, o.location_name, o.status, o.currency, o.expected_on, o.created_at,
        COUNT(l.variant_id) AS lines, COALESCE(SUM(l.quantity), 0) AS units, COALESCE(SUM(l.received), 0) AS received,
        COALESCE(SUM(l.quantity * l.unit_cost_cents), 0) AS total_cents
     FROM purchase_orders o LEFT JOIN purchase_order_lines l ON l.order_id = o.id
     WHERE o.shop_id = ?1";

/// Every order of the shop, newest first.
pub async fn list(db: &D1Database, shop_id: i64) -> Result<Vec<OrderSummary>, AppError> {
    all(db, &format!("{SUMMARY} GROUP BY o.id ORDER BY o.number DESC"), &[int(shop_id)]).await
}

/// One order with its lines (two reads in one batch).
pub async fn get(db: &D1Database, shop_id: i64, id: i64) -> Result<Option<(OrderHead, Vec<OrderLineRow>)>, AppError> {
    let results = batch_read(
        db,
        vec![
            prepare(
                db,
                "SELECT o.id, o.number, o.supplier_id, o.supplier_name, COALESCE(s.email, '') AS supplier_email, o.location_id,
                        o.location_name, o.currency, o.status, o.expected_on, o.notes, o.created_at, o.sent_at, o.closed_at
                 FROM purchase_orders o LEFT JOIN suppliers s ON s.shop_id = o.shop_id AND s.id = o.supplier_id
                 WHERE o.shop_id = ?1 AND o.id = ?2",
                &[int(shop_id), int(id)],
            )?,
            prepare(
                db,
                "SELECT variant_id, sku, supplier_sku, title, quantity, received, unit_cost_cents FROM purchase_order_lines
                 WHERE shop_id = ?1 AND order_id = ?2 ORDER BY sku, variant_id",
                &[int(shop_id), int(id)],
            )?,
        ],
    )
    .await?;
    let [head, lines] = results.as_slice() else {
        return Err(crate::server::context::internal("order", "expected two results"));
    };
    let Some(head) = rows::<OrderHead>(head)?.into_iter().next() else { return Ok(None) };
    Ok(Some((head, rows(lines)?)))
}

/// Moves an order from `from` to `to` (stamping `sent_at` or `closed_at`); `false` when it
/// was not in `from` any more.
pub async fn set_status(db: &D1Database, shop_id: i64, id: i64, from: &str, to: &str, now: &str) -> Result<bool, AppError> {
    let r = prepare(
        db,
        "UPDATE purchase_orders SET status = ?4,
            sent_at = CASE WHEN ?4 = 'sent' THEN ?5 ELSE sent_at END,
            closed_at = CASE WHEN ?4 IN ('received', 'cancelled') THEN ?5 ELSE closed_at END
         WHERE shop_id = ?1 AND id = ?2 AND status = ?3",
        &[int(shop_id), int(id), text(from), text(to), text(now)],
    )?
    .run()
    .await
    .map_err(|e| crate::server::context::internal("D1 write", e))?;
    Ok(crate::server::d1::changes(&r) == 1)
}

/// A draft's expected day, notes and line quantities (0 removes a line), in one batch.
pub async fn update_draft(
    db: &D1Database,
    shop_id: i64,
    id: i64,
    expected_on: Option<&str>,
    notes: &str,
    quantities: &[(i64, u32)],
) -> Result<(), AppError> {
    let q = serde_json::to_string(quantities).map_err(|e| crate::server::context::internal("quantities", e))?;
    batch(
        db,
        vec![
            prepare(
                db,
                "UPDATE purchase_orders SET expected_on = ?3, notes = ?4 WHERE shop_id = ?1 AND id = ?2 AND status = 'draft'",
                &[int(shop_id), int(id), opt_text(expected_on), text(notes)],
            )?,
            prepare(
                db,
                "UPDATE purchase_order_lines SET quantity = (SELECT json_extract(j.value, '$[1]') FROM json_each(?3) j
                                                              WHERE json_extract(j.value, '$[0]') = purchase_order_lines.variant_id)
                 WHERE shop_id = ?1 AND order_id = ?2
                   AND variant_id IN (SELECT json_extract(value, '$[0]') FROM json_each(?3))
                   AND (SELECT status FROM purchase_orders WHERE id = ?2) = 'draft'",
                &[int(shop_id), int(id), text(&q)],
            )?,
            prepare(
                db,
                "DELETE FROM purchase_order_lines WHERE shop_id = ?1 AND order_id = ?2 AND quantity = 0
                   AND (SELECT status FROM purchase_orders WHERE id = ?2) = 'draft'",
                &[int(shop_id), int(id)],
            )?,
        ],
    )
    .await
}

/// Adds received units per variant and sets the status the receipt leads to, in one batch,
/// only if the order is still in `from`.
pub async fn receive(
    db: &D1Database,
    shop_id: i64,
    id: i64,
    from: &str,
    to: &str,
    units: &[(i64, u32)],
    now: &str,
) -> Result<bool, AppError> {
    let u = serde_json::to_string(units).map_err(|e| crate::server::context::internal("receipt", e))?;
    let results = batch_read(
        db,
        vec![
            prepare(
                db,
                "UPDATE purchase_order_lines SET received = received + COALESCE((SELECT json_extract(j.value, '$[1]') FROM json_each(?4) j
                                                  WHERE json_extract(j.value, '$[0]') = purchase_order_lines.variant_id), 0)
                 WHERE shop_id = ?1 AND order_id = ?2 AND (SELECT status FROM purchase_orders WHERE id = ?2 AND shop_id = ?1) = ?3",
                &[int(shop_id), int(id), text(from), text(&u)],
            )?,
            prepare(
                db,
                "UPDATE purchase_orders SET status = ?4, closed_at = CASE WHEN ?4 = 'received' THEN ?5 ELSE closed_at END
                 WHERE shop_id = ?1 AND id = ?2 AND status = ?3",
                &[int(shop_id), int(id), text(from), text(to), text(now)],
            )?,
        ],
    )
    .await?;
    Ok(results.get(1).is_some_and(|r| crate::server::d1::changes(r) == 1))
}

#[derive(Deserialize)]
pub struct ShopName {
    pub name: String,
}

/// The shop's name as the supplier reads it on the order.
pub async fn shop_name(db: &D1Database, shop_id: i64) -> Result<String, AppError> {
    let row: Option<ShopName> = first(db, "SELECT name FROM shops WHERE id = ?1", &[int(shop_id)]).await?;
    Ok(row.map(|r| r.name).unwrap_or_default())
}
