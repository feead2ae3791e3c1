//! The engine's kept outputs: per-variant seasonal patterns (the Sunday refit) and the
//! daily forecast rows with their backtest error (velocity data, kept 90 days).

use crate::error::AppError;
use crate::server::d1::{all, first, int, prepare, text};
use serde::{Deserialize, Serialize};
use worker::{D1Database, D1PreparedStatement};

#[derive(Serialize)]
pub struct PatternRow {
    pub variant_id: i64,
    /// JSON arrays, as stored.
    pub day_of_week: String,
    pub week_of_year: Option<String>,
    pub yearly_factor: f64,
    pub history_days: u32,
    /// JSON object: location id → [mean size, ADI, mean squared size] (`engine::LongRun`);
    /// `None` for the shop.
    pub long_run: Option<String>,
}

/// Upserts fitted patterns (rows travel as JSON, see repo::bulk).
pub fn write_patterns(db: &D1Database, shop_id: i64, rows: &[PatternRow], now: &str) -> Result<Vec<D1PreparedStatement>, AppError> {
    rows.chunks(super::bulk::ROWS_PER_STATEMENT)
        .map(|chunk| {
            prepare(
                db,
                "INSERT INTO seasonal_patterns (shop_id, variant_id, day_of_week, week_of_year, yearly_factor, history_days, long_run, fitted_at)
                 SELECT ?1, json_extract(value, '$.variant_id'), json_extract(value, '$.day_of_week'),
                        json_extract(value, '$.week_of_year'), json_extract(value, '$.yearly_factor'),
                        json_extract(value, '$.history_days'), json_extract(value, '$.long_run'), ?2
                 FROM json_each(?3) WHERE true
                 ON CONFLICT(shop_id, variant_id) DO UPDATE SET day_of_week = excluded.day_of_week,
                    week_of_year = excluded.week_of_year, yearly_factor = excluded.yearly_factor,
                    history_days = excluded.history_days, long_run = excluded.long_run, fitted_at = excluded.fitted_at",
                &[int(shop_id), text(now), text(&to_json(chunk))],
            )
        })
        .collect()
}

/// Patterns of variants that no longer exist (not refitted in the run that ended `now`).
pub fn drop_stale_patterns(db: &D1Database, shop_id: i64, now: &str) -> Result<D1PreparedStatement, AppError> {
    prepare(db, "DELETE FROM seasonal_patterns WHERE shop_id = ?1 AND fitted_at < ?2", &[int(shop_id), text(now)])
}

#[derive(Deserialize, Clone, Debug)]
pub struct StoredPattern {
    pub day_of_week: String,
    pub week_of_year: Option<String>,
    pub yearly_factor: f64,
    pub history_days: u32,
    pub fitted_at: String,
}

pub async fn pattern(db: &D1Database, shop_id: i64, variant_id: i64) -> Result<Option<StoredPattern>, AppError> {
    first(
        db,
        "SELECT day_of_week, week_of_year, yearly_factor, history_days, fitted_at FROM seasonal_patterns
         WHERE shop_id = ?1 AND variant_id = ?2",
        &[int(shop_id), int(variant_id)],
    )
    .await
}

/// The refit's inputs: every stock level's variant and location, grouped by variant.
#[derive(Deserialize)]
pub struct SeriesKey {
    pub variant_id: i64,
    pub location_id: i64,
}

pub async fn series_keys(db: &D1Database, shop_id: i64) -> Result<Vec<SeriesKey>, AppError> {
    all(db, "SELECT variant_id, location_id FROM inventory_levels WHERE shop_id = ?1 ORDER BY variant_id, location_id", &[int(shop_id)])
        .await
}

#[derive(Deserialize)]
pub struct DayTotal {
    pub day: String,
    pub units: i64,
}

/// Net units the whole shop sold per day since `from_day`: the shop-wide pattern's input.
/// `+day`: a sequential read of the shop's rows beats the day index's row lookups.
pub async fn shop_daily_totals(db: &D1Database, shop_id: i64, from_day: &str) -> Result<Vec<DayTotal>, AppError> {
    all(
        db,
        "SELECT day, SUM(MAX(units_sold - units_returned, 0)) AS units FROM daily_sales
         WHERE shop_id = ?1 AND +day >= ?2 GROUP BY day",
        &[int(shop_id), text(from_day)],
    )
    .await
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ForecastRow {
    pub variant_id: i64,
    pub location_id: i64,
    pub velocity: f64,
    pub sigma_daily: f64,
    pub on_hand: i64,
    pub days_of_cover: Option<f64>,
    pub safety_stock: f64,
    pub reorder_point: f64,
    pub pattern: String,
    pub method: String,
    pub mase: Option<f64>,
    pub naive_mase: Option<f64>,
    pub scored_days: u32,
}

/// Today's forecast rows (a second run the same day replaces them).
pub fn write_forecasts(
    db: &D1Database,
    shop_id: i64,
    day: &str,
    rows: &[ForecastRow],
    now: &str,
) -> Result<Vec<D1PreparedStatement>, AppError> {
    rows.chunks(super::bulk::ROWS_PER_STATEMENT)
        .map(|chunk| {
            prepare(
                db,
                "INSERT INTO forecasts (shop_id, variant_id, location_id, day, velocity, sigma_daily, on_hand, days_of_cover,
                        safety_stock, reorder_point, pattern, method, mase, naive_mase, scored_days, computed_at)
                 SELECT ?1, json_extract(value, '$.variant_id'), json_extract(value, '$.location_id'), ?2,
                        json_extract(value, '$.velocity'), json_extract(value, '$.sigma_daily'), json_extract(value, '$.on_hand'),
                        json_extract(value, '$.days_of_cover'), json_extract(value, '$.safety_stock'),
                        json_extract(value, '$.reorder_point'), json_extract(value, '$.pattern'), json_extract(value, '$.method'),
                        json_extract(value, '$.mase'), json_extract(value, '$.naive_mase'), json_extract(value, '$.scored_days'), ?3
                 FROM json_each(?4) WHERE true
                 ON CONFLICT(shop_id, variant_id, location_id, day) DO UPDATE SET velocity = excluded.velocity,
                    sigma_daily = excluded.sigma_daily, on_hand = excluded.on_hand, days_of_cover = excluded.days_of_cover,
                    safety_stock = excluded.safety_stock, reorder_point = excluded.reorder_point, pattern = excluded.pattern,
                    method = excluded.method, mase = excluded.mase, naive_mase = excluded.naive_mase,
                    scored_days = excluded.scored_days, computed_at = excluded.computed_at",
                &[int(shop_id), text(day), text(now), text(&to_json(chunk))],
            )
        })
        .collect()
}

#[derive(Deserialize, Clone, Debug)]
pub struct DayForecast {
    pub day: String,
    pub velocity: f64,
    pub sigma_daily: f64,
    pub on_hand: i64,
    pub safety_stock: f64,
    pub reorder_point: f64,
}

/// One position's forecasts since `from_day`, oldest first (the variant page's chart).
pub async fn trail(db: &D1Database, shop_id: i64, variant_id: i64, location_id: i64, from_day: &str) -> Result<Vec<DayForecast>, AppError> {
    all(
        db,
        "SELECT day, velocity, sigma_daily, on_hand, safety_stock, reorder_point FROM forecasts
         WHERE shop_id = ?1 AND variant_id = ?2 AND location_id = ?3 AND day >= ?4 ORDER BY day",
        &[int(shop_id), int(variant_id), int(location_id), text(from_day)],
    )
    .await
}

/// The latest forecast row of each of a variant's locations.
pub async fn latest(db: &D1Database, shop_id: i64, variant_id: i64) -> Result<Vec<ForecastRow>, AppError> {
    all(
        db,
        "SELECT f.variant_id, f.location_id, f.velocity, f.sigma_daily, f.on_hand, f.days_of_cover, f.safety_stock,
                f.reorder_point, f.pattern, f.method, f.mase, f.naive_mase, f.scored_days
         FROM forecasts f
         WHERE f.shop_id = ?1 AND f.variant_id = ?2
           AND f.day = (SELECT MAX(day) FROM forecasts g WHERE g.shop_id = f.shop_id AND g.variant_id = f.variant_id
                        AND g.location_id = f.location_id)
         ORDER BY f.location_id",
        &[int(shop_id), int(variant_id)],
    )
    .await
}

/// An established series' latest stored pace, lent to new variants (`engine::launch`).
#[derive(Deserialize)]
pub struct PeerRow {
    pub variant_id: i64,
    pub location_id: i64,
    pub product_id: i64,
    pub product_type: String,
    pub velocity: f64,
}

/// The latest forecast since `from_day` of every variant of `products` or of a product of
/// `types`, except launch forecasts and series never in stock: the peers a recalculation
/// of only some variants borrows from (a whole-shop run uses its own fresh assessments).
/// Driven from the products, so a shop's other forecasts are never read.
pub async fn launch_peers(
    db: &D1Database,
    shop_id: i64,
    products: &[i64],
    types: &[&str],
    from_day: &str,
) -> Result<Vec<PeerRow>, AppError> {
    all(
        db,
        "SELECT variant_id, location_id, product_id, product_type, velocity FROM (
           SELECT v.id AS variant_id, f.location_id, v.product_id, p.product_type, f.velocity, f.method, f.pattern,
                  MAX(f.day) AS day
           FROM products p
           JOIN variants v ON v.shop_id = p.shop_id AND v.product_id = p.id
           JOIN forecasts f ON f.shop_id = v.shop_id AND f.variant_id = v.id AND f.day >= ?4
           WHERE p.shop_id = ?1
             AND (p.id IN (SELECT value FROM json_each(?2)) OR p.product_type IN (SELECT value FROM json_each(?3)))
           GROUP BY v.id, f.location_id)
         WHERE method != 'launch' AND pattern != 'no_history'",
        &[int(shop_id), text(&to_json(products)), text(&to_json(types)), text(from_day)],
    )
    .await
}

/// Deletes up to `limit` of a shop's forecast rows older than `before_day`; returns how
/// many went, so the cleanup repeats until a pass deletes fewer than `limit`.
pub async fn prune(db: &D1Database, shop_id: i64, before_day: &str, limit: u32) -> Result<usize, AppError> {
    let result = prepare(
        db,
        "DELETE FROM forecasts WHERE (shop_id, variant_id, location_id, day) IN
            (SELECT shop_id, variant_id, location_id, day FROM forecasts WHERE shop_id = ?1 AND day < ?2 LIMIT ?3)",
        &[int(shop_id), text(before_day), int(limit.into())],
    )?
    .run()
    .await
    .map_err(|e| crate::server::context::internal("D1 write", e))?;
    Ok(crate::server::d1::changes(&result))
}

fn to_json<T: Serialize>(rows: &[T]) -> String {
    serde_json::to_string(rows).unwrap_or_else(|_| "[]".into())
}

/// Each stocked position's latest forecast with its names and classes, for the CSV export
/// (at most `MAX_EXPORT_ROWS`).
pub async fn export(db: &D1Database, shop_id: i64) -> Result<Vec<domain::exports::ForecastLine>, AppError> {
    all(
        db,
        "SELECT p.title AS product_title, v.title AS variant_title, v.sku, l.name AS location_name, f.day, f.velocity,
                f.sigma_daily, f.on_hand, f.days_of_cover, f.safety_stock, f.reorder_point, f.pattern, f.method, f.mase,
                f.naive_mase, vc.abc, vc.xyz
         FROM inventory_levels il
         JOIN forecasts f ON f.shop_id = il.shop_id AND f.variant_id = il.variant_id AND f.location_id = il.location_id
              AND f.day = (SELECT MAX(day) FROM forecasts g
                           WHERE g.shop_id = il.shop_id AND g.variant_id = il.variant_id AND g.location_id = il.location_id)
         JOIN variants v ON v.shop_id = il.shop_id AND v.id = il.variant_id
         JOIN products p ON p.shop_id = v.shop_id AND p.id = v.product_id
         JOIN locations l ON l.shop_id = il.shop_id AND l.id = il.location_id
         LEFT JOIN variant_classes vc ON vc.shop_id = il.shop_id AND vc.variant_id = il.variant_id
         WHERE il.shop_id = ?1
         ORDER BY p.title, v.title, l.name
         LIMIT ?2",
        &[int(shop_id), int(domain::exports::MAX_EXPORT_ROWS as i64)],
    )
    .await
}
