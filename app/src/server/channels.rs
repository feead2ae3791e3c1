//! The `deliver` job: sends a shop's due alert-channel deliveries (`repo::channels`) — Slack
//! and the signed webhook one request per channel for the alerts a run opened, Flow one
//! `flowTriggerReceive` per alert — then records each answer: delivered, retried later with
//! backoff (`domain::channels::outcome`), or failed. A channel that keeps failing is paused
//! and the merchant is emailed; the other channels go on. Quiet hours hold a delivery until
//! they end.
//!
//! Followed: Slack's incoming webhooks (https://api.slack.com/messaging/webhooks) and
//! Shopify's `flowTriggerReceive` (https://shopify.dev/docs/api/admin-graphql/latest/mutations/flowTriggerReceive,
//! https://shopify.dev/docs/apps/build/flow/triggers/create): the payload under 50,000 bytes,
//! keyed as the extension in `extensions/stock-alert-opened` defines.

use super::config::AppConfig;
use super::context::{internal, now, now_rfc3339};
use super::d1::batch;
use super::log;
use super::repo::{channels as repo, settings, shops};
use super::shopify;
use super::tokens;
use crate::error::AppError;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use domain::channels::{self as dc, ChannelKind, OpenedAlert, Outcome};
use domain::jobs::Job;
use domain::{RiskKind, ShopDomain};
use std::collections::BTreeMap;
use worker::D1Database;

/// Deliveries one job run sends at most; more are left for the run it queues next.
const PER_RUN: u32 = 100;
/// How long a run holds the deliveries it sends (a run that dies frees them after this).
const LEASE_SECS: i64 = 120;
/// Queues delay a message by at most 12 hours.
const MAX_QUEUE_DELAY_SECS: i64 = 43_200;

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn var(env: &worker::Env, name: &str) -> Option<String> {
    env.var(name).ok().map(|v| v.to_string()).filter(|v| !v.is_empty())
}

/// Whether a webhook may post to this machine (`CHANNEL_ALLOW_LOOPBACK`, local development).
pub fn allow_loopback(env: &worker::Env) -> bool {
    var(env, "CHANNEL_ALLOW_LOOPBACK").as_deref() == Some("true")
}

/// A delivery's retry delays scaled by `CHANNEL_RETRY_SCALE` (local development makes the
/// hour of backoff take seconds, so the tests see a channel paused).
fn scaled(env: &worker::Env, secs: u64) -> i64 {
    let scale = var(env, "CHANNEL_RETRY_SCALE").and_then(|v| v.parse::<f64>().ok()).filter(|s| *s > 0.0).unwrap_or(1.0);
    ((secs as f64 * scale).ceil() as i64).max(1)
}

/// Where a Slack URL is posted: Slack itself, or locally `SLACK_WEBHOOK_BASE` standing in
/// for `https://hooks.slack.com` (this machine cannot reach Slack).
fn slack_target(env: &worker::Env, url: &str) -> String {
    match var(env, "SLACK_WEBHOOK_BASE") {
        Some(base) => url.replacen("https://hooks.slack.com", base.trim_end_matches('/'), 1),
        None => url.to_string(),
    }
}

/// Queues the shop's `deliver` job (after `delay_secs`).
pub async fn queue(env: &worker::Env, shop_id: i64, delay_secs: u32) -> Result<(), AppError> {
    super::queue::send(env, vec![Job::Deliver { shop_id }], delay_secs).await
}

/// A send's answer: status (`None`: no answer), `Retry-After`, and a short error text.
struct Answer {
    status: Option<u16>,
    retry_after: Option<u64>,
    error: Option<String>,
}

pub async fn deliver(env: &worker::Env, shop_id: i64) -> Result<(), AppError> {
    let db = super::shards::shop_db(env, shop_id).await?;
    let Some(domain) = shops::domain_of(&db, shop_id).await? else { return Ok(()) };
    let Some(shop) = shops::by_domain(&db, &domain).await? else { return Ok(()) };
    let started = now();
    repo::skip_closed(&db, shop_id, &stamp(started)).await?;
    let mut due = repo::due(&db, shop_id, &stamp(started), PER_RUN).await?;
    if !due.is_empty() {
        let ids: Vec<i64> = due.iter().map(|d| d.id).collect();
        let claimed = repo::claim(&db, shop_id, &ids, &stamp(started), &stamp(started + Duration::seconds(LEASE_SECS))).await?;
        due.retain(|d| claimed.contains(&d.id));
    }
    if !due.is_empty() {
        let channels = repo::list(&db, shop_id).await?;
        let app_url = var(env, "APP_URL").unwrap_or_default().trim_end_matches('/').to_string();
        let mut by_channel: BTreeMap<i64, Vec<repo::DueDelivery>> = BTreeMap::new();
        for d in due {
            by_channel.entry(d.channel_id).or_default().push(d);
        }
        for (channel_id, deliveries) in by_channel {
            let Some(channel) = channels.iter().find(|c| c.id == channel_id) else { continue };
            // One channel failing never stops the others.
            if let Err(e) = deliver_channel(env, &db, &shop, &domain, channel, deliveries, &app_url).await {
                log::error("channel_delivery_failed")
                    .field("shop_id", shop_id)
                    .field("channel", &channel.kind)
                    .field("error", e.to_string())
                    .emit();
            }
        }
    }
    // What is held (quiet hours, a retry's backoff, more than one run's worth) gets a run of its own.
    if let Some(next) = repo::next_due(&db, shop_id).await?.and_then(|t| DateTime::parse_from_rfc3339(&t).ok()) {
        let wait = (next.with_timezone(&Utc) - now()).num_seconds().clamp(0, MAX_QUEUE_DELAY_SECS);
        queue(env, shop_id, wait as u32).await?;
    }
    Ok(())
}

async fn deliver_channel(
    env: &worker::Env,
    db: &D1Database,
    shop: &shops::ShopRow,
    domain: &ShopDomain,
    channel: &repo::ChannelRow,
    deliveries: Vec<repo::DueDelivery>,
    app_url: &str,
) -> Result<(), AppError> {
    let Some(kind) = channel.kind() else { return Ok(()) };
    let settings = channel.settings();
    let at = now();
    if let Some(until) = dc::quiet_until(at, shop.zone(), settings.quiet) {
        let ids: Vec<i64> = deliveries.iter().map(|d| d.id).collect();
        let held = repo::Attempted {
            ids: &ids,
            state: "pending",
            status: None,
            error: Some("Held for quiet hours"),
            due_at: &stamp(until),
            counted: false,
        };
        return batch(db, vec![repo::record(db, shop.id, &held, &stamp(at))?]).await;
    }
    let mut failures = channel.failures;
    // Read once for the channel's requests, and only for Flow (the others need no Shopify call).
    let cfg = if kind == ChannelKind::Flow { Some(AppConfig::from_env(env)?) } else { None };
    let groups: Vec<&[repo::DueDelivery]> = deliveries.chunks(kind.alerts_per_request()).collect();
    for (i, group) in groups.iter().enumerate() {
        let alerts: Vec<OpenedAlert> = group.iter().map(|d| opened(d, app_url)).collect();
        let answer = match kind {
            ChannelKind::Slack => post_json(&slack_target(env, &channel.url), &dc::slack_message(&alerts).to_string(), None).await,
            ChannelKind::Webhook => {
                let body = dc::webhook_body(domain.as_str(), &alerts);
                let signature = dc::signature(channel.secret.as_bytes(), at.timestamp(), &body);
                post_json(&channel.url, &body, Some(&signature)).await
            }
            ChannelKind::Flow => match &cfg {
                Some(cfg) => flow_trigger(cfg, db, shop.id, domain, &alerts[0]).await,
                None => continue,
            },
        };
        let attempt = group.iter().map(|d| d.attempts).max().unwrap_or(0) as u32 + 1;
        let outcome = dc::outcome(kind, answer.status, answer.retry_after, attempt);
        let sent_at = now();
        let ids: Vec<i64> = group.iter().map(|d| d.id).collect();
        let (state, due_at) = match outcome {
            Outcome::Delivered => ("delivered", sent_at),
            Outcome::RetryIn(secs) => ("pending", sent_at + Duration::seconds(scaled(env, secs))),
            Outcome::Failed { .. } => ("failed", sent_at),
        };
        let due_at = stamp(due_at);
        let error = answer.error.as_deref();
        let mut statements = vec![repo::record(
            db,
            shop.id,
            &repo::Attempted { ids: &ids, state, status: answer.status, error, due_at: &due_at, counted: true },
            &stamp(sent_at),
        )?];
        failures = if outcome == Outcome::Delivered { 0 } else { failures + 1 };
        let pause = dc::should_pause(failures as u32, outcome).then(|| pause_reason(kind, &answer, outcome, failures));
        statements.push(repo::set_health(db, shop.id, channel.id, failures, pause.as_deref(), &stamp(sent_at))?);
        batch(db, statements).await?;
        log::info("channel_delivery")
            .field("shop_id", shop.id)
            .field("channel", kind.as_str())
            .field("alerts", ids.len())
            .field("status", answer.status)
            .field("outcome", format!("{outcome:?}"))
            .emit();
        if let Some(reason) = pause {
            tell_paused(env, db, shop, kind, &reason).await;
            return Ok(());
        }
        if outcome != Outcome::Delivered {
            // The endpoint is in trouble: the rest of this run's alerts wait with it.
            let rest: Vec<i64> = groups[i + 1..].iter().flat_map(|g| g.iter().map(|d| d.id)).collect();
            if !rest.is_empty() {
                let wait = repo::Attempted { ids: &rest, state: "pending", status: None, error: None, due_at: &due_at, counted: false };
                batch(db, vec![repo::record(db, shop.id, &wait, &stamp(sent_at))?]).await?;
            }
            return Ok(());
        }
    }
    Ok(())
}

fn opened(d: &repo::DueDelivery, app_url: &str) -> OpenedAlert {
    let kind = RiskKind::parse(&d.alert_kind);
    OpenedAlert {
        alert_id: d.alert_id,
        product_id: d.product_id,
        kind: d.alert_kind.clone(),
        kind_label: kind.map_or_else(|| d.alert_kind.clone(), |k| k.label().to_string()),
        product_title: d.product_title.clone(),
        variant_title: d.variant_title.clone(),
        sku: d.sku.clone(),
        location: d.location.clone(),
        on_hand: d.on_hand.unwrap_or(0),
        days_of_cover: d.days_of_cover,
        suggested_qty: d.suggested_qty.unwrap_or(0).clamp(0, i64::from(u32::MAX)) as u32,
        url: format!("{app_url}/app/variants/{}?location={}", d.variant_id, d.location_id),
    }
}

/// One POST of a JSON body (one attempt: the backoff is the job's).
async fn post_json(url: &str, body: &str, signature: Option<&str>) -> Answer {
    let mut headers = vec![("Content-Type", "application/json"), ("User-Agent", "Stock Sentry alerts")];
    if let Some(s) = signature {
        headers.push(("Stock-Sentry-Signature", s));
    }
    match shopify::send_once(url, &headers, body).await {
        Ok((status, retry_after, text)) => Answer {
            status: Some(status),
            retry_after: retry_after.and_then(|r| r.trim().parse::<f64>().ok()).map(|r| r.ceil().max(0.0) as u64),
            error: (!(200..300).contains(&status)).then(|| text.chars().take(200).collect()),
        },
        Err(e) => Answer { status: None, retry_after: None, error: Some(e.to_string().chars().take(200).collect()) },
    }
}

const FLOW_TRIGGER_RECEIVE: &str = "mutation flowTriggerReceive($handle: String, $payload: JSON) {
  flowTriggerReceive(handle: $handle, payload: $payload) { userErrors { field message } }
}";

/// The Flow trigger for one alert, with the shop's token; Shopify's answers mapped onto
/// HTTP statuses for `outcome` (a refused payload will be refused again: 400).
async fn flow_trigger(cfg: &AppConfig, db: &D1Database, shop_id: i64, domain: &ShopDomain, alert: &OpenedAlert) -> Answer {
    let payload = dc::flow_payload(alert);
    if payload.to_string().len() >= dc::FLOW_PAYLOAD_MAX_BYTES {
        return Answer { status: Some(413), retry_after: None, error: Some("payload over Flow's 50,000 bytes".into()) };
    }
    let ctx = tokens::TokenContext { cfg, db, shop_id, domain };
    let variables = serde_json::json!({ "handle": dc::FLOW_TRIGGER_HANDLE, "payload": payload });
    let result = tokens::with_token(&ctx, |token| {
        let variables = variables.clone();
        async move { shopify::graphql::<serde_json::Value>(cfg, domain, &token, FLOW_TRIGGER_RECEIVE, variables).await }
    })
    .await;
    match result {
        Ok(Some(data)) => match data["flowTriggerReceive"]["userErrors"].as_array().filter(|e| !e.is_empty()) {
            None => Answer { status: Some(200), retry_after: None, error: None },
            Some(errors) => {
                let text = errors.iter().filter_map(|e| e["message"].as_str()).collect::<Vec<_>>().join("; ");
                Answer { status: Some(400), retry_after: None, error: Some(text.chars().take(200).collect()) }
            }
        },
        // No usable token: the merchant must open the app; try later.
        Ok(None) | Err(AppError::Unauthorized) => {
            Answer { status: Some(503), retry_after: None, error: Some("Waiting for the merchant to sign in again".into()) }
        }
        Err(e) => Answer { status: Some(502), retry_after: None, error: Some(e.to_string().chars().take(200).collect()) },
    }
}

/// Why a channel paused: the endpoint said it is gone (`outcome` decided that, one place for
/// the rule), or it kept failing.
fn pause_reason(kind: ChannelKind, answer: &Answer, outcome: Outcome, failures: i64) -> String {
    let what = match answer.status {
        Some(s) => format!("answered {s}"),
        None => "could not be reached".to_string(),
    };
    match outcome {
        Outcome::Failed { gone: true } => format!("{} says this endpoint no longer exists ({what}).", kind.label()),
        _ => format!("The last {failures} attempts failed: the endpoint {what}."),
    }
}

/// Emails the digest's recipients that a channel was paused (the Channels page says so too).
async fn tell_paused(env: &worker::Env, db: &D1Database, shop: &shops::ShopRow, kind: ChannelKind, reason: &str) {
    log::warn("channel_paused").field("shop_id", shop.id).field("channel", kind.as_str()).field("reason", reason).emit();
    let result = async {
        let to = settings::get_digest(db, shop.id).await?.recipients;
        if to.is_empty() {
            return Ok::<_, AppError>(());
        }
        let sent_at = now_rfc3339();
        let mailer = super::mail::from_env(env, db, &sent_at)?;
        let link = format!("{}/app/settings/channels", var(env, "APP_URL").unwrap_or_default().trim_end_matches('/'));
        let subject = format!("{} alerts paused for {}", kind.label(), shop.name);
        let text = format!("Stock Sentry stopped sending alerts to {}: {reason}\n\nFix the channel, then resume it: {link}\nAlerts opened meanwhile wait and are sent when you resume.", kind.label());
        let html = format!(
            "<p>Stock Sentry stopped sending alerts to {}: {}</p><p><a href=\"{}\">Fix the channel, then resume it</a>. Alerts opened meanwhile wait and are sent when you resume.</p>",
            kind.label(),
            domain::html::escape(reason),
            domain::html::escape(&link)
        );
        let message = super::mail::Message {
            shop_id: Some(shop.id),
            tag: "channel_paused",
            idempotency_key: Some(format!("channel-paused-{}-{}-{sent_at}", shop.id, kind.as_str())),
            from: super::mail::sender(env),
            to,
            subject,
            html,
            text,
            attachments: Vec::new(),
        };
        use super::mail::Mailer;
        mailer.send(&message).await.map_err(AppError::from)
    }
    .await;
    if let Err(e) = result {
        log::error("channel_paused_mail_failed").field("shop_id", shop.id).field("error", internal("mail", e).to_string()).emit();
    }
}
