//! Alert channels beyond email (issue 21, item 4): a Slack incoming webhook, a signed
//! generic webhook and a Shopify Flow trigger per shop. What is pure lives here: the settings
//! form and which URLs it accepts, what each channel is sent for the alerts a recalculation
//! opened, how a webhook is signed, when quiet hours end, and what an answer means for the
//! delivery (delivered, retried after a delay, or failed; a channel that keeps failing is
//! paused). `app::server::channels` sends; `repo::channels` keeps the deliveries.
//!
//! Slack (https://api.slack.com/messaging/webhooks): `POST` JSON `{text, blocks}` to
//! `https://hooks.slack.com/services/T…/B…/…`; success is 200 with the body `ok`; 400 is a
//! payload Slack will never accept; 403, 404 and 410 (`invalid_token`, `channel_not_found`,
//! `no_service`, `channel_is_archived`) mean the hook is gone; 429 carries `Retry-After`.

use crate::digest::{parse_quiet_hours, QuietHours};
use crate::engine::ShopZone;
use crate::watch::KindSet;
use crate::{FieldError, RiskKind};
use chrono::{DateTime, Duration, DurationRound, Utc};
use hmac::Mac;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChannelKind {
    Slack,
    Webhook,
    /// Shopify Flow: the app's trigger extension `FLOW_TRIGGER_HANDLE`, one call per alert.
    Flow,
}

impl ChannelKind {
    pub const ALL: [Self; 3] = [Self::Slack, Self::Webhook, Self::Flow];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Slack => "slack",
            Self::Webhook => "webhook",
            Self::Flow => "flow",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Slack => "Slack",
            Self::Webhook => "Webhook",
            Self::Flow => "Shopify Flow",
        }
    }
    /// Whether the channel posts to a URL the merchant gives (Flow runs inside Shopify).
    pub fn has_url(self) -> bool {
        self != Self::Flow
    }
    /// Alerts one request carries: Slack and the webhook get the run's alerts together (one
    /// message, not forty); a Flow trigger is one alert, so a workflow acts on each.
    pub fn alerts_per_request(self) -> usize {
        match self {
            Self::Slack | Self::Webhook => 20,
            Self::Flow => 1,
        }
    }
}

/// The handle of the Flow trigger extension (`extensions/stock-alert-opened`).
pub const FLOW_TRIGGER_HANDLE: &str = "stock-alert-opened";

/// Flow's limit on a trigger's payload (shopify.dev, flowTriggerReceive).
pub const FLOW_PAYLOAD_MAX_BYTES: usize = 50_000;

/// "Days of cover" for a variant that does not sell: a Flow number field cannot be empty.
pub const NO_SALES_DAYS_OF_COVER: f64 = 9_999.0;

/// One channel's settings as the form posts them: checked boxes arrive as `name → "on"`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChannelInput {
    #[serde(default)]
    pub enabled: Option<String>,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub kinds: BTreeMap<String, String>,
    #[serde(default)]
    pub quiet_hours_start: String,
    #[serde(default)]
    pub quiet_hours_end: String,
}

/// A channel's settings, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelSettings {
    pub enabled: bool,
    pub url: String,
    pub kinds: KindSet,
    pub quiet: Option<QuietHours>,
}

/// The kinds a new channel sends: the ones that cost sales.
pub const DEFAULT_KINDS: [RiskKind; 2] = [RiskKind::OutOfStock, RiskKind::ReorderNow];

impl ChannelInput {
    /// Every field error at once; a channel can be saved switched off with no URL yet.
    pub fn parse(&self, kind: ChannelKind, allow_loopback: bool) -> Result<ChannelSettings, Vec<FieldError>> {
        let enabled = self.enabled.is_some();
        let mut errors = Vec::new();
        let url = match kind {
            ChannelKind::Flow => String::new(),
            _ if self.url.trim().is_empty() && !enabled => String::new(),
            ChannelKind::Slack => parse_slack_url(&self.url).map_err(|e| errors.push(e)).unwrap_or_default(),
            ChannelKind::Webhook => parse_webhook_url(&self.url, allow_loopback).map_err(|e| errors.push(e)).unwrap_or_default(),
        };
        let kinds = self.kinds.keys().filter_map(|k| RiskKind::parse(k)).fold(KindSet::NONE, KindSet::with);
        if enabled && kinds.is_empty() {
            errors.push(FieldError::new("kinds", "Choose at least one alert kind to send."));
        }
        let quiet = parse_quiet_hours(&self.quiet_hours_start, &self.quiet_hours_end).map_err(|e| errors.push(e)).unwrap_or(None);
        if errors.is_empty() {
            Ok(ChannelSettings { enabled, url, kinds, quiet })
        } else {
            Err(errors)
        }
    }

    pub fn from_settings(s: &ChannelSettings) -> Self {
        Self {
            enabled: s.enabled.then(|| "on".to_string()),
            url: s.url.clone(),
            kinds: s.kinds.iter().map(|k| (k.as_str().to_string(), "on".to_string())).collect(),
            quiet_hours_start: s.quiet.map(|q| q.start().to_string()).unwrap_or_default(),
            quiet_hours_end: s.quiet.map(|q| q.end().to_string()).unwrap_or_default(),
        }
    }
}

/// When a delivery due `now` may go: `None` now, else the first whole hour past the quiet
/// hours in the shop's time zone.
pub fn quiet_until(now: DateTime<Utc>, zone: ShopZone, quiet: Option<QuietHours>) -> Option<DateTime<Utc>> {
    let quiet = quiet?;
    if !quiet.contains(zone.local_hour(now)) {
        return None;
    }
    let hour = now.duration_trunc(Duration::hours(1)).unwrap_or(now);
    // At most 23 quiet hours; 26 steps cover a daylight-saving day.
    (1..=26).map(|k| hour + Duration::hours(k)).find(|t| !quiet.contains(zone.local_hour(*t)))
}

/// The only host Slack's incoming webhooks live on.
const SLACK_HOST: &str = "hooks.slack.com";

/// `https://hooks.slack.com/services/T…/B…/<token>`, trimmed; anything else is refused at the
/// field, so a merchant who pastes a Slack *app* or channel link learns why at once.
pub fn parse_slack_url(raw: &str) -> Result<String, FieldError> {
    let err = || FieldError::new("slack_url", "Paste the Slack incoming-webhook URL: it starts with https://hooks.slack.com/services/.");
    let url = raw.trim();
    let rest = url.strip_prefix("https://").ok_or_else(err)?;
    let (host, path) = rest.split_once('/').ok_or_else(err)?;
    if !host.eq_ignore_ascii_case(SLACK_HOST) {
        return Err(err());
    }
    let parts: Vec<&str> = path.split('/').collect();
    let token_like = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric());
    match parts.as_slice() {
        ["services", team, hook, token] if token_like(team) && token_like(hook) && token_like(token) => Ok(url.to_string()),
        _ => Err(err()),
    }
}

/// An endpoint for the signed webhook: https only (the payload names products and stock), with
/// a host; `allow_loopback` lets a local development stack post to `http://127.0.0.1`.
pub fn parse_webhook_url(raw: &str, allow_loopback: bool) -> Result<String, FieldError> {
    let err = |m: &str| FieldError::new("webhook_url", m);
    let url = raw.trim();
    let rest = match (url.strip_prefix("https://"), url.strip_prefix("http://")) {
        (Some(rest), _) => rest,
        (None, Some(rest)) if allow_loopback && is_loopback(host_of(rest)) => rest,
        _ => return Err(err("The webhook URL must start with https://.")),
    };
    let host = host_of(rest);
    if host.is_empty() || host.contains(char::is_whitespace) || url.len() > 2048 {
        return Err(err("Enter a full URL, like https://example.com/hooks/stock."));
    }
    Ok(url.to_string())
}

fn host_of(rest: &str) -> &str {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    host_port.split(':').next().unwrap_or("")
}

fn is_loopback(host: &str) -> bool {
    host == "127.0.0.1" || host.eq_ignore_ascii_case("localhost")
}

/// An opened alert as the channels tell it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenedAlert {
    pub alert_id: i64,
    pub product_id: i64,
    /// `RiskKind` name ("reorder_now") and its label ("Reorder now").
    pub kind: String,
    pub kind_label: String,
    pub product_title: String,
    pub variant_title: String,
    pub sku: String,
    pub location: String,
    pub on_hand: i64,
    pub days_of_cover: Option<f64>,
    pub suggested_qty: u32,
    /// The variant's page in the app.
    pub url: String,
}

impl OpenedAlert {
    fn headline(&self) -> String {
        let cover = self.days_of_cover.map(|d| format!(", {d:.0} days of cover")).unwrap_or_default();
        let order = if self.suggested_qty > 0 { format!(", order {}", self.suggested_qty) } else { String::new() };
        format!(
            "{}: {} — {} ({}) at {}: {} on hand{cover}{order}",
            self.kind_label, self.product_title, self.variant_title, self.sku, self.location, self.on_hand
        )
    }
}

/// Slack's message for the alerts one run opened: `text` (the notification: the first
/// alert, and how many more) and a section block per alert with a link to its variant.
pub fn slack_message(alerts: &[OpenedAlert]) -> serde_json::Value {
    // Slack's mrkdwn treats &, < and > as control characters.
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let text = match alerts {
        [] => String::new(),
        [one] => one.headline(),
        [first, rest @ ..] => format!("{} (and {} more)", first.headline(), rest.len()),
    };
    let blocks: Vec<serde_json::Value> = alerts
        .iter()
        .map(|a| {
            serde_json::json!({
                "type": "section",
                "text": { "type": "mrkdwn", "text": format!("*{}*\n<{}|Open in Stock Sentry>", esc(&a.headline()), a.url) }
            })
        })
        .collect();
    serde_json::json!({ "text": text, "blocks": blocks })
}

/// The generic webhook's body: one event with the alerts a run opened, stable field names.
pub fn webhook_body(shop_domain: &str, alerts: &[OpenedAlert]) -> String {
    serde_json::json!({ "event": "alerts.opened", "shop": shop_domain, "alerts": alerts }).to_string()
}

/// The Flow trigger's payload: the fields `extensions/stock-alert-opened` defines, keyed as
/// Flow keys them (letters and spaces; the product reference as `product_id`).
pub fn flow_payload(a: &OpenedAlert) -> serde_json::Value {
    let cover = a.days_of_cover.filter(|d| d.is_finite()).map_or(NO_SALES_DAYS_OF_COVER, |d| (d * 10.0).round() / 10.0);
    serde_json::json!({
        "product_id": a.product_id,
        "Alert kind": a.kind_label,
        "Variant": a.variant_title,
        "SKU": a.sku,
        "Location": a.location,
        "On hand": a.on_hand,
        "Days of cover": cover.min(NO_SALES_DAYS_OF_COVER),
        "Suggested quantity": a.suggested_qty,
        "Alert URL": a.url,
    })
}

/// The `Stock-Sentry-Signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`,
/// so a receiver checks both the body and its age (a replayed old delivery fails the age check).
pub fn signature(secret: &[u8], timestamp: i64, body: &str) -> String {
    let mut mac = crate::crypto::hmac_sha256(secret);
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    let hex: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    format!("t={timestamp},v1={hex}")
}

/// Delays before each retry of a failed delivery: 30 s, 2 min, 10 min, 1 h; then it has failed.
pub const RETRY_DELAYS_SECS: [u64; 4] = [30, 120, 600, 3_600];

/// A channel whose deliveries failed this many times in a row is paused, and the merchant told.
pub const PAUSE_AFTER_FAILURES: u32 = 5;

/// What an endpoint's answer means for one delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    /// Try again after this many seconds.
    RetryIn(u64),
    /// Given up on this delivery; `gone`: the endpoint says it no longer exists, so the
    /// channel pauses now rather than after more failures.
    Failed {
        gone: bool,
    },
}

/// The outcome of attempt `attempt` (1 for the first) answered `status` (`None`: no answer,
/// a network error), with Slack's or the endpoint's `Retry-After` seconds if any.
pub fn outcome(kind: ChannelKind, status: Option<u16>, retry_after: Option<u64>, attempt: u32) -> Outcome {
    let retry = || match RETRY_DELAYS_SECS.get(attempt.saturating_sub(1) as usize) {
        Some(&d) => Outcome::RetryIn(retry_after.map_or(d, |r| r.clamp(1, 3_600).max(d))),
        None => Outcome::Failed { gone: false },
    };
    match status {
        Some(200..=299) => Outcome::Delivered,
        None | Some(408 | 429 | 500..=599) => retry(),
        Some(403 | 404 | 410) if kind == ChannelKind::Slack => Outcome::Failed { gone: true },
        Some(404 | 410) => Outcome::Failed { gone: true },
        // Any other 4xx will answer the same again.
        Some(_) => Outcome::Failed { gone: false },
    }
}

/// Whether a channel with `consecutive_failures` failed deliveries (and the latest outcome)
/// should now be paused.
pub fn should_pause(consecutive_failures: u32, latest: Outcome) -> bool {
    matches!(latest, Outcome::Failed { gone: true })
        || (matches!(latest, Outcome::Failed { .. }) && consecutive_failures >= PAUSE_AFTER_FAILURES)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert() -> OpenedAlert {
        OpenedAlert {
            alert_id: 7,
            product_id: 70,
            kind: "reorder_now".into(),
            kind_label: "Reorder now".into(),
            product_title: "Trail Tee <organic>".into(),
            variant_title: "M".into(),
            sku: "TEE-M".into(),
            location: "Downtown Store".into(),
            on_hand: 4,
            days_of_cover: Some(2.4),
            suggested_qty: 36,
            url: "https://app.example/app/variants/1?location=2".into(),
        }
    }

    #[test]
    fn only_a_slack_incoming_webhook_is_a_slack_url() {
        let good = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX";
        assert_eq!(parse_slack_url(&format!("  {good}\n")).unwrap(), good);
        for bad in [
            "http://hooks.slack.com/services/T0/B0/X",
            "https://hooks.slack.com.evil.example/services/T0/B0/X",
            "https://hooks.slack.com/services/T0/B0",
            "https://hooks.slack.com/services/T0/B0/X/extra",
            "https://app.slack.com/client/T0/C0",
            "https://hooks.slack.com/services/T0/B0/X?y=1",
            "",
        ] {
            assert_eq!(parse_slack_url(bad).unwrap_err().field, "slack_url", "{bad}");
        }
    }

    #[test]
    fn a_webhook_url_is_https_or_loopback_in_development() {
        assert!(parse_webhook_url("https://example.com/hooks", false).is_ok());
        assert!(parse_webhook_url("http://example.com/hooks", false).is_err());
        assert!(parse_webhook_url("http://127.0.0.1:9999/hook", false).is_err());
        assert!(parse_webhook_url("http://127.0.0.1:9999/hook", true).is_ok());
        assert!(parse_webhook_url("http://example.com@127.0.0.1/x", true).is_ok(), "the host is what follows the @");
        assert!(parse_webhook_url("http://127.0.0.1@example.com/x", true).is_err());
        assert!(parse_webhook_url("https:///path", false).is_err());
    }

    #[test]
    fn the_signature_covers_time_and_body() {
        let body = webhook_body("shop.myshopify.com", &[alert()]);
        let s = signature(b"secret", 1_765_000_000, &body);
        assert!(s.starts_with("t=1765000000,v1=") && s.len() == "t=1765000000,v1=".len() + 64);
        assert_ne!(s, signature(b"secret", 1_765_000_001, &body));
        assert_ne!(s, signature(b"other", 1_765_000_000, &body));
        assert_ne!(s, signature(b"secret", 1_765_000_000, &body.replace("36", "37")));
        // As a receiver computes it (Python: hmac.new(key, b"t." + body, sha256).hexdigest()).
        assert_eq!(
            signature(b"whsec_test", 1_765_000_000, r#"{"a":1}"#),
            "t=1765000000,v1=bff821b803d16fd6792090a808f6943d2c920f931b611f5bc0a3299fb108c453"
        );
    }

    #[test]
    fn messages_name_the_alert_and_escape_slack_markup() {
        let m = slack_message(&[alert()]);
        assert_eq!(m["text"], "Reorder now: Trail Tee <organic> — M (TEE-M) at Downtown Store: 4 on hand, 2 days of cover, order 36");
        let block = m["blocks"][0]["text"]["text"].as_str().unwrap();
        assert!(block.contains("Trail Tee &lt;organic&gt;") && block.ends_with("|Open in Stock Sentry>"));
        let three = slack_message(&[alert(), alert(), alert()]);
        assert!(three["text"].as_str().unwrap().ends_with("order 36 (and 2 more)"));
        assert_eq!(three["blocks"].as_array().unwrap().len(), 3);
        let body: serde_json::Value = serde_json::from_str(&webhook_body("s.myshopify.com", &[alert(), alert()])).unwrap();
        assert_eq!((body["event"].as_str(), body["alerts"][1]["suggested_qty"].as_u64()), (Some("alerts.opened"), Some(36)));
        let flow = flow_payload(&alert());
        assert_eq!((flow["product_id"].as_i64(), flow["Days of cover"].as_f64()), (Some(70), Some(2.4)));
        let idle = flow_payload(&OpenedAlert { days_of_cover: None, ..alert() });
        assert_eq!(idle["Days of cover"].as_f64(), Some(NO_SALES_DAYS_OF_COVER));
        let keys_ok = flow.as_object().unwrap().keys().all(|k| k == "product_id" || k.chars().all(|c| c.is_ascii_alphabetic() || c == ' '));
        assert!(keys_ok, "Flow keys are letters and spaces");
    }

    #[test]
    fn the_form_refuses_what_cannot_be_sent() {
        let on = |kinds: &[&str]| ChannelInput {
            enabled: Some("on".into()),
            kinds: kinds.iter().map(|k| (k.to_string(), "on".into())).collect(),
            ..Default::default()
        };
        let fields = |r: Result<ChannelSettings, Vec<FieldError>>| r.unwrap_err().into_iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(fields(on(&["reorder_now"]).parse(ChannelKind::Slack, false)), ["slack_url"]);
        let slack = ChannelInput { url: "https://example.com/hook".into(), ..on(&[]) };
        assert_eq!(fields(slack.parse(ChannelKind::Slack, false)), ["slack_url", "kinds"]);
        let off = ChannelInput::default().parse(ChannelKind::Webhook, false).unwrap();
        assert!(!off.enabled && off.url.is_empty() && off.kinds.is_empty());
        let flow = on(&["out_of_stock", "overstock"]).parse(ChannelKind::Flow, false).unwrap();
        assert!(flow.enabled && flow.kinds.contains(RiskKind::Overstock) && !flow.kinds.contains(RiskKind::LowStock));
        let quiet = ChannelInput { quiet_hours_start: "22".into(), ..on(&["out_of_stock"]) };
        assert_eq!(fields(quiet.parse(ChannelKind::Flow, false)), ["quiet_hours"]);
        let back = ChannelInput::from_settings(&flow);
        assert_eq!(back.parse(ChannelKind::Flow, false).unwrap(), flow);
    }

    #[test]
    fn quiet_hours_hold_a_delivery_until_they_end() {
        use chrono::TimeZone;
        let paris = ShopZone::named("Europe/Paris", crate::engine::UtcOffset::UTC);
        let quiet = QuietHours::new(22, 7);
        // 23:30 in Paris (UTC+1 in December): held until 07:00 Paris, 06:00 UTC.
        let late = Utc.with_ymd_and_hms(2026, 12, 7, 22, 30, 0).unwrap();
        assert_eq!(quiet_until(late, paris, quiet), Some(Utc.with_ymd_and_hms(2026, 12, 8, 6, 0, 0).unwrap()));
        let noon = Utc.with_ymd_and_hms(2026, 12, 7, 11, 0, 0).unwrap();
        assert_eq!(quiet_until(noon, paris, quiet), None);
        assert_eq!(quiet_until(late, paris, None), None);
    }

    #[test]
    fn answers_decide_retry_failure_or_pause() {
        use ChannelKind::*;
        assert_eq!(outcome(Slack, Some(200), None, 1), Outcome::Delivered);
        assert_eq!(outcome(Webhook, Some(500), None, 1), Outcome::RetryIn(30));
        assert_eq!(outcome(Webhook, None, None, 2), Outcome::RetryIn(120));
        assert_eq!(outcome(Slack, Some(429), Some(900), 1), Outcome::RetryIn(900), "Retry-After when longer");
        assert_eq!(outcome(Slack, Some(429), Some(5), 3), Outcome::RetryIn(600), "never sooner than the backoff");
        assert_eq!(outcome(Webhook, Some(503), None, 5), Outcome::Failed { gone: false }, "after the last retry");
        assert_eq!(outcome(Slack, Some(410), None, 1), Outcome::Failed { gone: true });
        assert_eq!(outcome(Slack, Some(403), None, 1), Outcome::Failed { gone: true });
        assert_eq!(outcome(Webhook, Some(403), None, 1), Outcome::Failed { gone: false });
        assert_eq!(outcome(Slack, Some(400), None, 1), Outcome::Failed { gone: false });
        assert!(should_pause(1, Outcome::Failed { gone: true }));
        assert!(!should_pause(4, Outcome::Failed { gone: false }));
        assert!(should_pause(5, Outcome::Failed { gone: false }));
        assert!(!should_pause(9, Outcome::RetryIn(30)));
    }
}
