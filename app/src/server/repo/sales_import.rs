//! The staged orders import (migration 0004): each byte range of the export stages its
//! daily totals under its part number, and the last step merges them into daily_sales.

use crate::error::AppError;
use crate::server::d1::{int, prepare, text};
use domain::shopify::admin::DayTotal;
use worker::{D1Database, D1PreparedStatement};

/// Replaces the part's staged rows: a retried range converges to the same rows.
pub fn stage(db: &D1Database, run_id: i64, part: u32, rows: &[DayTotal]) -> Result<Vec<D1PreparedStatement>, AppError> {
    let mut out = vec![prepare(db, "DELETE FROM import_sales WHERE run_id = ?1 AND part = ?2", &[int(run_id), int(i64::from(part))])?];
    for chunk in rows.chunks(super::bulk::ROWS_PER_STATEMENT) {
        let json = serde_json::to_string(chunk).map_err(|e| crate::server::context::internal("staged rows", e))?;
        out.push(prepare(
            db,
            "INSERT INTO import_sales (run_id, part, variant_id, location_id, day, units_sold, units_returned)
             SELECT ?1, ?2, json_extract(value, '$.variant_id'), json_extract(value, '$.location_id'),
                    json_extract(value, '$.day'), json_extract(value, '$.units_sold'), json_extract(value, '$.units_returned')
             FROM json_each(?3)
             -- A run stopped meanwhile (uninstall, shop/redact) stages nothing more.
             WHERE EXISTS (SELECT 1 FROM sync_runs WHERE id = ?1 AND status = 'running')",
            &[int(run_id), int(i64::from(part)), text(&json)],
        )?);
    }
    Ok(out)
}

/// Merges the staged totals into daily_sales and clears the stage. A day's count never
/// goes down: orders that arrived by webhook after the export was taken stay counted, and
/// running the merge twice changes nothing.
pub fn merge(db: &D1Database, shop_id: i64, run_id: i64) -> Result<Vec<D1PreparedStatement>, AppError> {
    Ok(vec![
        prepare(
            db,
            "INSERT INTO daily_sales (shop_id, variant_id, location_id, day, units_sold, units_returned)
             SELECT ?1, variant_id, location_id, day, SUM(units_sold), SUM(units_returned)
             FROM import_sales WHERE run_id = ?2
               AND EXISTS (SELECT 1 FROM sync_runs WHERE id = ?2 AND status = 'running')
             GROUP BY variant_id, location_id, day
             ON CONFLICT(shop_id, variant_id, location_id, day) DO UPDATE SET
               units_sold = MAX(daily_sales.units_sold, excluded.units_sold),
               units_returned = MAX(daily_sales.units_returned, excluded.units_returned)",
            &[int(shop_id), int(run_id)],
        )?,
        prepare(db, "DELETE FROM import_sales WHERE run_id = ?1", &[int(run_id)])?,
    ])
}
