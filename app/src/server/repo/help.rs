//! Help-center writes: votes (one per reader per article, changeable) and support requests.

use crate::error::AppError;
use crate::server::d1::{first, int, run, text};
use serde::Deserialize;
use worker::D1Database;

pub async fn vote(db: &D1Database, slug: &str, reader_key: &str, helpful: bool) -> Result<(), AppError> {
    run(
        db,
        "INSERT INTO help_feedback (article_slug, reader_key, helpful) VALUES (?1, ?2, ?3)
         ON CONFLICT(article_slug, reader_key) DO UPDATE SET helpful = excluded.helpful",
        &[text(slug), text(reader_key), int(i64::from(helpful))],
    )
    .await
}

#[derive(Deserialize)]
struct Id {
    id: i64,
}

pub async fn add_request(
    db: &D1Database,
    name: &str,
    email: &str,
    message: &str,
    article: Option<&str>,
    now: &str,
) -> Result<i64, AppError> {
    let row: Option<Id> = first(
        db,
        "INSERT INTO support_requests (name, email, message, article_slug, created_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
        &[text(name), text(email), text(message), article.map_or(worker::wasm_bindgen::JsValue::NULL, text), text(now)],
    )
    .await?;
    row.map(|r| r.id).ok_or_else(|| crate::server::context::internal("support request", "no id returned"))
}
