//! ABC/XYZ classes per variant (`domain::classes`), written by the weekly refit.

use crate::error::AppError;
use crate::server::d1::{all, int, prepare, text};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use worker::{D1Database, D1PreparedStatement};

#[derive(Debug, Clone, Serialize)]
pub struct ClassRow {
    pub variant_id: i64,
    pub abc: &'static str,
    pub xyz: Option<&'static str>,
    pub units: u64,
    pub revenue_cents: i64,
    pub weekly_cv: Option<f64>,
}

#[derive(Deserialize)]
struct Price {
    id: i64,
    price_cents: i64,
}

/// Every variant's price, which turns a year of units into revenue.
pub async fn prices(db: &D1Database, shop_id: i64) -> Result<HashMap<i64, i64>, AppError> {
    let rows: Vec<Price> = all(db, "SELECT id, price_cents FROM variants WHERE shop_id = ?1", &[int(shop_id)]).await?;
    Ok(rows.into_iter().map(|p| (p.id, p.price_cents)).collect())
}

/// The classes of the run that ended `now`, and the removal of those of variants it did
/// not class (gone from the catalogue).
pub fn write(db: &D1Database, shop_id: i64, rows: &[ClassRow], now: &str) -> Result<Vec<D1PreparedStatement>, AppError> {
    let mut out = rows
        .chunks(super::bulk::ROWS_PER_STATEMENT)
        .map(|chunk| {
            prepare(
                db,
                "INSERT INTO variant_classes (shop_id, variant_id, abc, xyz, units, revenue_cents, weekly_cv, classified_at)
                 SELECT ?1, json_extract(value, '$.variant_id'), json_extract(value, '$.abc'), json_extract(value, '$.xyz'), json_extract(value, '$.units'),
                        json_extract(value, '$.revenue_cents'), json_extract(value, '$.weekly_cv'), ?2
                 FROM json_each(?3) WHERE true
                 ON CONFLICT(shop_id, variant_id) DO UPDATE SET abc = excluded.abc, xyz = excluded.xyz, units = excluded.units,
                    revenue_cents = excluded.revenue_cents, weekly_cv = excluded.weekly_cv, classified_at = excluded.classified_at",
                &[int(shop_id), text(now), text(&serde_json::to_string(chunk).unwrap_or_else(|_| "[]".into()))],
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    out.push(prepare(db, "DELETE FROM variant_classes WHERE shop_id = ?1 AND classified_at < ?2", &[int(shop_id), text(now)])?);
    Ok(out)
}
