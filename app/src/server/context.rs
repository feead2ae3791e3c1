//! What every server-side module needs: the Worker's bindings and clock, and a way to turn
//! failures into logged, typed errors with the right status. A leaf: it imports no other
//! server module but `bindings`, so anything may use it (the shop a request acts for,
//! which needs auth and install, is `session`).

use super::log;
use crate::error::AppError;
use axum::Extension;
use std::{fmt::Display, future::Future, sync::Arc};

/// A short reference the merchant can quote; the full cause is in the log under it.
fn reference() -> String {
    format!("{:x}", worker::Date::now().as_millis())
}

/// Logs `cause` and returns the opaque error the browser sees.
pub fn internal(what: &str, cause: impl Display) -> AppError {
    let reference = reference();
    log::error("internal_error").field("ref", &reference).field("what", what).field("cause", cause.to_string()).emit();
    AppError::Internal(reference)
}

/// Runs a server function's body: D1/KV futures are not `Send`, which the Worker's single
/// thread makes safe to assert here, once, at the boundary. Errors set the HTTP status.
pub fn run<T, F>(body: F) -> impl Future<Output = Result<T, AppError>> + Send
where
    F: Future<Output = Result<T, AppError>> + 'static,
{
    let body = worker::send::SendFuture::new(body);
    async move {
        let result = body.await;
        // A form posted without the wasm (a POST that accepts HTML) is sent back to its page
        // with the error in the URL by the server function itself; a status here would
        // replace that redirect with a bare error. A page (a GET) keeps its error status.
        let form_post = leptos::prelude::use_context::<http::request::Parts>().is_some_and(|p| {
            p.method == http::Method::POST
                && p.headers.get(http::header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"))
        });
        if let (Err(err), false) = (&result, form_post) {
            if let Some(opts) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                let status = http::StatusCode::from_u16(err.status()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
                opts.set_status(status);
                // An invalid session token on the app's own fetch: App Bridge retries once
                // with a fresh one (shopify-app-js respond-to-invalid-session-token).
                let bearer = leptos::prelude::use_context::<http::request::Parts>()
                    .is_some_and(|p| p.headers.contains_key(http::header::AUTHORIZATION));
                if matches!(err, AppError::Unauthorized) && bearer {
                    opts.insert_header(
                        http::HeaderName::from_static("x-shopify-retry-invalid-session-request"),
                        http::HeaderValue::from_static("1"),
                    );
                }
                let retry_after = match err {
                    AppError::RateLimited(secs) => Some(*secs),
                    AppError::Busy(_) => Some(5),
                    _ => None,
                };
                if let Some(v) = retry_after.and_then(|s| http::HeaderValue::from_str(&s.to_string()).ok()) {
                    opts.insert_header(http::header::RETRY_AFTER, v);
                }
            }
        }
        result
    }
}

pub async fn worker_env() -> Result<Arc<worker::Env>, AppError> {
    let Extension(env): Extension<Arc<worker::Env>> =
        leptos_axum::extract().await.map_err(|e| internal("worker env missing from request", e))?;
    Ok(env)
}

/// Today in UTC, from the Worker's clock.
pub fn today() -> chrono::NaiveDate {
    today_in(domain::engine::ShopZone::UTC)
}

/// Today in a shop's time zone (its own day), from the Worker's clock.
pub fn today_in(zone: domain::engine::ShopZone) -> chrono::NaiveDate {
    zone.local_date(worker::Date::now().as_millis() as i64 / 1000).unwrap_or_default()
}

/// Now, from the Worker's clock (chrono's own clock is not wired to it on wasm).
pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(worker::Date::now().as_millis() as i64).unwrap_or_default()
}

pub fn now_rfc3339() -> String {
    now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
