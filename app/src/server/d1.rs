//! Small helpers over the D1 API: bind values and map errors, nothing more.

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

pub fn prepare(db: &D1Database, sql: &str, params: &[JsValue]) -> Result<D1PreparedStatement, AppError> {
    db.prepare(sql).bind(params).map_err(|e| internal("D1 bind", e))
}

pub async fn all<T: DeserializeOwned>(db: &D1Database, sql: &str, params: &[JsValue]) -> Result<Vec<T>, AppError> {
    let result = prepare(db, sql, params)?.all().await.map_err(|e| internal("D1 query", e))?;
    result.results::<T>().map_err(|e| internal("D1 rows", e))
}

pub async fn first<T: DeserializeOwned>(db: &D1Database, sql: &str, params: &[JsValue]) -> Result<Option<T>, AppError> {
    prepare(db, sql, params)?.first::<T>(None).await.map_err(|e| internal("D1 query", e))
}

pub async fn run(db: &D1Database, sql: &str, params: &[JsValue]) -> Result<(), AppError> {
    prepare(db, sql, params)?.run().await.map_err(|e| internal("D1 write", e))?;
    Ok(())
}

/// Runs statements atomically: all apply or none do.
pub async fn batch(db: &D1Database, statements: Vec<D1PreparedStatement>) -> Result<(), AppError> {
    if statements.is_empty() {
        return Ok(());
    }
    db.batch(statements).await.map_err(|e| internal("D1 batch", e))?;
    Ok(())
}

/// Runs read statements in one round trip; one result per statement, in order.
pub async fn batch_read(db: &D1Database, statements: Vec<D1PreparedStatement>) -> Result<Vec<worker::D1Result>, AppError> {
    db.batch(statements).await.map_err(|e| internal("D1 batch read", e))
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
