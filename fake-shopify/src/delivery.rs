//! Delivering webhooks as Shopify does: each one signed with the app secret (base64
//! HMAC-SHA256 of the raw body), POSTed with Shopify's headers to the subscription's URI,
//! retried a few times, and recorded in the shop's delivery log; in order, or several at
//! once like a busy shop's deliveries.

use crate::crypto;
use crate::server::{ApiError, AppState};
use crate::state::Delivery;
use crate::webhook::Outgoing;
use domain::shopify::webhooks::headers;
use domain::shopify::API_VERSION;

/// Attempts per delivery before the fake gives up on it.
const DELIVERY_ATTEMPTS: u32 = 4;

/// Sends each webhook in order and records the outcome in the shop's delivery log.
pub async fn send_all(app: &AppState, domain: &str, out: Vec<Outgoing>) -> Result<Vec<Delivery>, ApiError> {
    let mut deliveries = Vec::with_capacity(out.len());
    for o in out {
        deliveries.push(deliver(app, domain, o).await?);
    }
    Ok(deliveries)
}

/// Sends the webhooks with up to `parallel` deliveries in flight, as Shopify's delivery
/// does for a busy shop (arrival order is then not sending order, duplicates may race each
/// other). The returned list keeps `out`'s order.
pub async fn send_parallel(app: &AppState, domain: &str, out: Vec<Outgoing>, parallel: usize) -> Result<Vec<Delivery>, ApiError> {
    let mut results: Vec<Option<Delivery>> = vec![None; out.len()];
    let mut pending = out.into_iter().enumerate();
    let mut running = tokio::task::JoinSet::new();
    loop {
        while running.len() < parallel.max(1) {
            let Some((i, o)) = pending.next() else { break };
            let (app, domain) = (app.clone(), domain.to_string());
            running.spawn(async move { (i, deliver(&app, &domain, o).await) });
        }
        match running.join_next().await {
            Some(Ok((i, d))) => results[i] = Some(d?),
            Some(Err(e)) => return Err(ApiError::Internal(format!("delivery task: {e}"))),
            None => break,
        }
    }
    Ok(results.into_iter().flatten().collect())
}

/// One delivery, signed and POSTed; its outcome is logged in the shop's delivery log.
async fn deliver(app: &AppState, domain: &str, o: Outgoing) -> Result<Delivery, ApiError> {
    let uri = {
        let s = app.lock(domain).ok_or_else(|| ApiError::UnknownShop(domain.to_string()))??;
        let wanted = o.topic.graphql_enum();
        let registered = s.subscriptions.iter().find(|(_, t, _)| Some(t.as_str()) == wanted).map(|(_, _, u)| u.clone());
        // App-specific subscriptions (shopify.app.toml): a relative uri is under the app's URL.
        let declared = || {
            app.cfg.app_subscriptions.iter().find(|(t, _)| t == o.topic.as_str()).map(|(_, u)| {
                if u.starts_with('/') {
                    format!("{}{u}", app.cfg.app_url.trim_end_matches('/'))
                } else {
                    u.clone()
                }
            })
        };
        match registered.or_else(declared) {
            Some(uri) => uri,
            None => {
                // Shopify sends nothing for a topic the app did not subscribe to.
                let d = Delivery {
                    topic: o.topic.as_str().to_string(),
                    webhook_id: o.webhook_id.clone(),
                    event_id: o.event_id.clone(),
                    triggered_at: o.triggered_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                    duplicate: o.duplicate,
                    status: None,
                    error: Some("not subscribed: no app-specific or shop subscription for this topic".into()),
                    attempts: 0,
                };
                drop(s);
                return Ok(d);
            }
        }
    };
    let hmac = crypto::webhook_hmac(&app.cfg.api_secret, &o.body);
    let triggered_at = o.triggered_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    // Like Shopify, a failed delivery (no answer, 429 or 5xx) is sent again with the same
    // webhook id; Shopify spreads its retries over hours, the fake over about three seconds.
    let (mut status, mut error, mut attempts) = (None, None, 0);
    while attempts < DELIVERY_ATTEMPTS {
        if attempts > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(200 << attempts)).await;
        }
        attempts += 1;
        let result = app
            .http
            .post(&uri)
            .header("content-type", "application/json")
            .header(headers::HMAC_SHA256, &hmac)
            .header(headers::TOPIC, o.topic.as_str())
            .header(headers::SHOP_DOMAIN, domain)
            .header(headers::WEBHOOK_ID, &o.webhook_id)
            .header(headers::EVENT_ID, &o.event_id)
            .header(headers::API_VERSION, API_VERSION)
            .header(headers::TRIGGERED_AT, &triggered_at)
            .body(o.body.clone())
            .send()
            .await;
        (status, error) = match result {
            Ok(r) => (Some(r.status().as_u16()), None),
            Err(e) => (None, Some(e.to_string())),
        };
        if matches!(status, Some(s) if s != 429 && s < 500) {
            break;
        }
    }
    let d = Delivery {
        topic: o.topic.as_str().to_string(),
        webhook_id: o.webhook_id,
        event_id: o.event_id,
        triggered_at,
        duplicate: o.duplicate,
        status,
        error,
        attempts,
    };
    if let Some(Ok(mut s)) = app.lock(domain) {
        if s.deliveries.len() >= 10_000 {
            s.deliveries.drain(..1000);
        }
        s.deliveries.push(d.clone());
    }
    Ok(d)
}
