//! `POST /webhooks/<topic>`: authenticate (HMAC over the raw body) before anything else,
//! check the envelope, screen duplicates, queue the work and answer 200 fast. The queue
//! consumer applies it (server/src/events.rs); D1 has the final word on "applied once".

use app::server::bindings;
use app::server::config::AppConfig;
use app::server::log;
use app::server::metrics;
use axum::body::{Body, Bytes};
use axum::extract::Extension;
use axum::http::{request::Parts, Response, StatusCode};
use domain::jobs::WebhookMessage;
use domain::shopify::auth::verify_webhook;
use domain::ShopDomain;
use std::sync::Arc;

/// The largest webhook body read: what one KV value holds (25 MiB), where a large body
/// waits for the consumer. Shopify's payloads are far below it.
pub const MAX_BODY_BYTES: usize = 25 * 1024 * 1024;

/// How long a webhook id is remembered in KV as already queued (Shopify retries for 48 h;
/// D1's webhook_events table catches anything older).
const DEDUP_TTL_SECS: u64 = 48 * 3600;

/// How long a large webhook's body waits in KV: longer than a message can stay queued
/// (4 days) with its retries.
const BODY_TTL_SECS: u64 = 7 * 24 * 3600;

fn answer(status: StatusCode, text: &'static str) -> Response<Body> {
    Response::builder().status(status).body(Body::from(text)).unwrap_or_default()
}

fn log_line(level: log::Level, event: &str, detail: serde_json::Value) {
    log::Line::new(level, event).field("detail", detail).emit();
}

pub async fn receive(Extension(env): Extension<Arc<worker::Env>>, parts: Parts, body: Bytes) -> Response<Body> {
    worker::send::SendFuture::new(async move {
        let h = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
        let Ok(cfg) = AppConfig::from_env(&env) else {
            return answer(StatusCode::INTERNAL_SERVER_ERROR, "not configured");
        };
        if let Err(e) = verify_webhook(cfg.api_secret.as_bytes(), &body, h("x-shopify-hmac-sha256").as_deref()) {
            log_line(log::Level::Warn, "webhook_rejected", serde_json::json!({"reason": e.to_string(), "path": parts.uri.path()}));
            metrics::record(&env, "webhook_rejected", "", "signature", 0.0);
            return answer(StatusCode::UNAUTHORIZED, "invalid signature");
        }
        let path_topic = parts.uri.path().strip_prefix("/webhooks/").unwrap_or_default().to_string();
        let topic = h("x-shopify-topic").unwrap_or_default();
        let shop = h("x-shopify-shop-domain").and_then(|s| ShopDomain::parse(&s).ok());
        let webhook_id = h("x-shopify-webhook-id").filter(|id| !id.is_empty() && id.len() <= 128);
        let (Some(shop), Some(webhook_id)) = (shop, webhook_id) else {
            log_line(log::Level::Warn, "webhook_malformed", serde_json::json!({"reason": "missing shop or webhook id", "topic": topic}));
            metrics::record(&env, "webhook_rejected", "", "malformed", 0.0);
            return answer(StatusCode::BAD_REQUEST, "missing X-Shopify-Shop-Domain or X-Shopify-Webhook-Id");
        };
        if topic != path_topic {
            log_line(
                log::Level::Warn,
                "webhook_malformed",
                serde_json::json!({"reason": "topic does not match path", "topic": topic, "path": path_topic}),
            );
            metrics::record(&env, "webhook_rejected", shop.as_str(), "malformed", 0.0);
            return answer(StatusCode::BAD_REQUEST, "X-Shopify-Topic does not match the address");
        }
        if let Err(e) = app::server::ingest::validate(&topic, &body) {
            log_line(
                log::Level::Warn,
                "webhook_malformed",
                serde_json::json!({"reason": e, "topic": topic, "shop": shop.as_str(), "webhook_id": webhook_id}),
            );
            metrics::record(&env, "webhook_rejected", shop.as_str(), "malformed", 0.0);
            return answer(StatusCode::BAD_REQUEST, "malformed payload");
        }
        let kv = match env.kv(bindings::KV) {
            Ok(kv) => kv,
            Err(e) => {
                log_line(log::Level::Error, "kv_binding", serde_json::json!(e.to_string()));
                return answer(StatusCode::INTERNAL_SERVER_ERROR, "try again");
            }
        };
        // Shopify builds a payload in the subscription's version (falling forward from one no
        // longer supported): a different one means our configuration and Shopify disagree.
        // Said once per shop and version, not per webhook.
        if let Some(version) = h("x-shopify-api-version").filter(|v| v != domain::shopify::API_VERSION) {
            let key = format!("apiver:{}:{}", shop.as_str(), version.chars().take(16).collect::<String>());
            if matches!(kv.get(&key).text().await, Ok(None)) {
                log_line(
                    log::Level::Warn,
                    "webhook_api_version_differs",
                    serde_json::json!({"shop": shop.as_str(), "topic": topic, "theirs": version, "ours": domain::shopify::API_VERSION}),
                );
                if let Ok(put) = kv.put(&key, "1") {
                    let _ = put.expiration_ttl(30 * 24 * 3600).execute().await;
                }
            }
        }
        let seen_key = format!("webhook:{webhook_id}");
        if matches!(kv.get(&seen_key).text().await, Ok(Some(_))) {
            log_line(log::Level::Info, "webhook_duplicate", serde_json::json!({"webhook_id": webhook_id, "topic": topic}));
            metrics::record(&env, "webhook_duplicate", shop.as_str(), &topic, 0.0);
            return answer(StatusCode::OK, "duplicate");
        }
        let mut message = WebhookMessage {
            shop: shop.to_string(),
            topic: topic.clone(),
            webhook_id: webhook_id.clone(),
            triggered_at: h("x-shopify-triggered-at"),
            body: String::from_utf8_lossy(&body).into_owned(),
            body_key: None,
        };
        if let Some((key, large)) = message.spill_large_body() {
            // Too large for a queue message: the body waits in KV for the consumer.
            let bytes = large.len();
            let stored = match kv.put(&key, large) {
                Ok(put) => put.expiration_ttl(BODY_TTL_SECS).execute().await,
                Err(e) => Err(e),
            };
            if let Err(e) = stored {
                log_line(
                    log::Level::Error,
                    "webhook_body_store_failed",
                    serde_json::json!({"webhook_id": webhook_id, "error": e.to_string()}),
                );
                return answer(StatusCode::SERVICE_UNAVAILABLE, "try again");
            }
            log_line(log::Level::Info, "webhook_body_in_kv", serde_json::json!({"webhook_id": webhook_id, "topic": topic, "bytes": bytes}));
        }
        let queued = match env.queue(bindings::EVENTS_QUEUE) {
            Ok(q) => q.send(&message).await,
            Err(e) => Err(e),
        };
        if let Err(e) = queued {
            // Not acknowledged: Shopify will retry, nothing is lost.
            log_line(log::Level::Error, "webhook_enqueue_failed", serde_json::json!({"webhook_id": webhook_id, "error": e.to_string()}));
            return answer(StatusCode::SERVICE_UNAVAILABLE, "try again");
        }
        if let Ok(put) = kv.put(&seen_key, "1") {
            let _ = put.expiration_ttl(DEDUP_TTL_SECS).execute().await;
        }
        log_line(log::Level::Info, "webhook_queued", serde_json::json!({"webhook_id": webhook_id, "topic": topic, "shop": shop.as_str()}));
        metrics::record(&env, "webhook_received", shop.as_str(), &topic, 0.0);
        answer(StatusCode::OK, "ok")
    })
    .await
}
