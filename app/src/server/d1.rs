//! Small helpers over the D1 API: bind values, map errors, and count the rows D1 bills
//! (its result `meta`: rows read and written), which the job log reports per run.

use super::context::internal;
use crate::error::AppError;
use serde::de::DeserializeOwned;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

/// Integers travel as JS numbers: Shopify ids stay below 2^53.
pub fn int(v: i64) -> JsValue {
    JsValue::from_f64(v as f64)
}

pub fn real(v: f64) -> JsValue {
    JsValue::from_f64(v)
}

pub fn text(v: &str) -> JsValue {
    JsValue::from_str(v)
}

thread_local! {
    /// Rows read and written since `begin_usage`: one isolate runs one invocation at a time
    /// on its thread, so the count is that invocation's.
    static USAGE: std::cell::Cell<(u64, u64)> = const { std::cell::Cell::new((0, 0)) };
    /// Whether a job or webhook batch is counting (between `begin_usage` and `take_usage`).
    /// Requests do not: reading a result's `meta` costs the Worker more CPU than the query
    /// (0.37 ms of a dashboard request, measured with its CPU profile), and nothing reads it.
    static COUNTING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn count(result: &worker::D1Result) {
    if !COUNTING.with(std::cell::Cell::get) {
        return;
    }
    if let Ok(Some(m)) = result.meta() {
        let (read, written) = (m.rows_read.unwrap_or(0) as u64, m.rows_written.unwrap_or(0) as u64);
        USAGE.with(|u| {
            let (r, w) = u.get();
            u.set((r + read, w + written));
        });
    }
}

/// Starts counting the rows D1 reads and writes, from zero (a job or a webhook batch).
pub fn begin_usage() {
    USAGE.with(|u| u.set((0, 0)));
    COUNTING.with(|c| c.set(true));
}

/// The rows D1 read and wrote since `begin_usage` (what D1 bills); counting stops.
pub fn take_usage() -> (u64, u64) {
    COUNTING.with(|c| c.set(false));
    USAGE.with(|u| u.replace((0, 0)))
}

pub fn prepare(db: &D1Database, sql: &str, params: &[JsValue]) -> Result<D1PreparedStatement, AppError> {
    db.prepare(sql).bind(params).map_err(|e| internal("D1 bind", e))
}

pub async fn all<T: DeserializeOwned>(db: &D1Database, sql: &str, params: &[JsValue]) -> Result<Vec<T>, AppError> {
    let result = prepare(db, sql, params)?.all().await.map_err(|e| internal("D1 query", e))?;
    count(&result);
    result.results::<T>().map_err(|e| internal("D1 rows", e))
}

/// The first row (through `all`, whose result carries the rows-read count `first` drops).
pub async fn first<T: DeserializeOwned>(db: &D1Database, sql: &str, params: &[JsValue]) -> Result<Option<T>, AppError> {
    Ok(all::<T>(db, sql, params).await?.into_iter().next())
}

pub async fn run(db: &D1Database, sql: &str, params: &[JsValue]) -> Result<(), AppError> {
    let result = prepare(db, sql, params)?.run().await.map_err(|e| internal("D1 write", e))?;
    count(&result);
    Ok(())
}

/// Runs statements atomically: all apply or none do.
pub async fn batch(db: &D1Database, statements: Vec<D1PreparedStatement>) -> Result<(), AppError> {
    if statements.is_empty() {
        return Ok(());
    }
    for result in db.batch(statements).await.map_err(|e| internal("D1 batch", e))? {
        count(&result);
    }
    Ok(())
}

/// Runs read statements in one round trip; one result per statement, in order.
pub async fn batch_read(db: &D1Database, statements: Vec<D1PreparedStatement>) -> Result<Vec<worker::D1Result>, AppError> {
    let results = db.batch(statements).await.map_err(|e| internal("D1 batch read", e))?;
    results.iter().for_each(count);
    Ok(results)
}

pub fn rows<T: DeserializeOwned>(result: &worker::D1Result) -> Result<Vec<T>, AppError> {
    result.results::<T>().map_err(|e| internal("D1 rows", e))
}

/// An optional value, NULL when absent (the SQL reads `?n IS NULL` as "no filter").
pub fn opt_text(v: Option<&str>) -> JsValue {
    v.map_or(JsValue::NULL, text)
}

pub fn opt_int(v: Option<i64>) -> JsValue {
    v.map_or(JsValue::NULL, int)
}

/// Rows a write changed, from D1's result metadata (0 when D1 does not say).
pub fn changes(result: &worker::D1Result) -> usize {
    result.meta().ok().flatten().and_then(|m| m.changes).unwrap_or(0)
}
