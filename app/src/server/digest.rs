//! The `SendDigests` job: for every installed shop that wants digests, decide whether this
//! hour is due (`domain::digest::plan`), read the alerts that changed since its last sent
//! window (one query for all shops), build the message, claim the window in `digest_log`,
//! send, and remember what was reported. A window is claimed before it is sent, so a job
//! delivered twice sends once; a failed send gives the claim back for the retry.

use super::context::{internal, now_rfc3339};
use super::log;
use super::mail::{self, Mailer, Message};
use super::repo::digests::{self, DigestShop};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use domain::digest::{self as dd, DigestAlert, Plan, QuietHours, Schedule, Window, WindowKey};
use domain::settings::DigestFrequency;
use std::collections::HashMap;

fn log_line(event: &str, detail: serde_json::Value) {
    log::info(event).field("detail", &detail).emit();
}

fn schedule_of(s: &DigestShop) -> Schedule {
    Schedule {
        frequency: DigestFrequency::parse(&s.digest_frequency).unwrap_or(DigestFrequency::Off),
        zone: s.zone(),
        quiet: match (s.quiet_hours_start, s.quiet_hours_end) {
            (Some(a), Some(b)) => QuietHours::new(a, b),
            _ => None,
        },
    }
}

fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).ok().map(|t| t.with_timezone(&Utc))
}

/// Sends every digest due at `now_ms` (the cron's scheduled time) and returns how many
/// were sent. Shops are independent: one failing does not stop the others; if any
/// failed, the error comes back after the rest were sent, so the queue retries the job
/// and the already-claimed windows are skipped.
pub async fn send_digests(env: &worker::Env, now_ms: u64) -> Result<u64, AppError> {
    // Shard by shard: a shard that fails does not stop the others' digests.
    let (mut sent, mut failures) = (0, Vec::new());
    for shard in super::shards::all(env)? {
        match send_digests_in(env, &shard.db, now_ms).await {
            Ok(n) => sent += n,
            Err(e) => failures.push(format!("shard {}: {e}", shard.index)),
        }
    }
    if failures.is_empty() {
        Ok(sent)
    } else {
        Err(internal("digests", format!("{sent} sent; {}", failures.join("; "))))
    }
}

/// The digests due among one shard's shops.
async fn send_digests_in(env: &worker::Env, db: &worker::D1Database, now_ms: u64) -> Result<u64, AppError> {
    let now = DateTime::<Utc>::from_timestamp_millis(now_ms as i64).ok_or_else(|| internal("digest clock", now_ms))?;
    let app_url = env.var("APP_URL").map(|v| v.to_string().trim_end_matches('/').to_string()).map_err(|e| internal("APP_URL", e))?;
    let sent_at = now_rfc3339();
    let mailer = mail::from_env(env, db, &sent_at)?;
    let from = mail::sender(env);

    let shops = digests::shops_wanting_digests(db).await?;
    let mut due: Vec<(DigestShop, Window, Vec<String>)> = Vec::new();
    for shop in shops {
        let recipients = match dd::parse_recipients(&shop.digest_recipients) {
            Ok(r) if !r.is_empty() => r,
            Ok(_) => continue,
            Err(e) => {
                // Saved before validation existed, or edited by hand: skip, and say why.
                log_line("digest_bad_recipients", serde_json::json!({"shop_id": shop.shop_id, "error": e.message}));
                continue;
            }
        };
        let last_end = shop.last_end.as_deref().and_then(parse_time);
        match dd::plan(&schedule_of(&shop), now, last_end) {
            Plan::Send(window) => due.push((shop, window, recipients)),
            Plan::Quiet => log_line("digest_quiet_hours", serde_json::json!({"shop_id": shop.shop_id})),
            Plan::NotDue | Plan::AlreadySent => {}
        }
    }
    if due.is_empty() {
        return Ok(0);
    }

    let windows: Vec<(i64, Window)> = due.iter().map(|(s, w, _)| (s.shop_id, *w)).collect();
    let mut by_shop: HashMap<i64, Vec<DigestAlert>> = HashMap::new();
    for (shop_id, alert) in digests::changed_alerts(db, &windows).await? {
        by_shop.entry(shop_id).or_default().push(alert);
    }

    let mut sent = 0u64;
    let mut failures: Vec<String> = Vec::new();
    for (shop, window, recipients) in due {
        let alerts = by_shop.remove(&shop.shop_id).unwrap_or_default();
        let input = dd::DigestInput {
            shop_name: &shop.name,
            currency: &shop.currency,
            app_url: &app_url,
            window,
            zone: shop.zone(),
            alerts: &alerts,
        };
        let Some(digest) = dd::build(&input) else { continue };
        let key = WindowKey::new(shop.shop_id, &window);
        let Some(claim) = digests::claim(db, shop.shop_id, &key, &window, &sent_at, digest.reported.len(), recipients.len()).await? else {
            log_line("digest_already_claimed", serde_json::json!({"shop_id": shop.shop_id, "window": key.as_str()}));
            continue;
        };
        let message = Message {
            shop_id: Some(shop.shop_id),
            tag: "digest",
            idempotency_key: Some(format!("digest-{}", key.as_str())),
            from: from.clone(),
            to: recipients,
            subject: digest.subject,
            html: digest.html,
            text: digest.text,
            attachments: Vec::new(),
        };
        match mailer.send(&message).await {
            Ok(()) => {
                digests::mark_reported(db, shop.shop_id, &digest.reported).await?;
                sent += 1;
                log_line(
                    "digest_sent",
                    serde_json::json!({"shop_id": shop.shop_id, "window": key.as_str(), "alerts": digest.reported.len()}),
                );
            }
            Err(e) => {
                log::error("digest_send_failed")
                    .field("shop_id", shop.shop_id)
                    .field("window", key.as_str())
                    .field("error", e.to_string())
                    .emit();
                if let Err(release) = digests::release(db, claim).await {
                    log::error("digest_release_failed").field("claim", claim).field("error", release.to_string()).emit();
                }
                failures.push(format!("shop {}: {e}", shop.shop_id));
            }
        }
    }
    if failures.is_empty() {
        Ok(sent)
    } else {
        Err(internal("digests", format!("{sent} sent, {} failed: {}", failures.len(), failures.join("; "))))
    }
}
