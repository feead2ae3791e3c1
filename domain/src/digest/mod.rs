//! Digest emails, decided and written without I/O: whether a shop is due a digest now
//! (frequency, its 08:00, quiet hours), which window of time it covers, which alerts are
//! worth telling about (opened in the window, or worse than when last reported), and the
//! message itself, HTML and plain text, most urgent first.
//!
//! The Worker (`app::server::digest`) reads the rows, calls `plan` and `build`, claims the
//! `WindowKey` in D1 before sending, and remembers each reported alert's urgency.

use crate::engine::ShopZone;
use crate::help::valid_email;
use crate::settings::{DigestFrequency, FieldError};
use crate::RiskKind;
use chrono::{DateTime, Duration, NaiveDate, Timelike, Utc};
use serde::{Deserialize, Serialize};

mod render;

pub use render::{build, money};

/// An alert that is already reported counts again once its urgency grew by this share.
pub const WORSENED_MARGIN: f64 = 0.10;
/// The daily digest goes out with the first hourly cron at or after this shop-local hour
/// (08:00 on whole-hour offsets, 08:30 at UTC+5:30).
pub const DAILY_HOUR: u32 = 8;
/// However long a shop went without a digest, one covers at most this much.
pub const MAX_WINDOW_HOURS: i64 = 7 * 24;
/// Rows listed per section; the rest is a count and a link to the app.
pub const ROWS_PER_SECTION: usize = 25;
pub const MAX_RECIPIENTS: usize = 10;

/// A half-open span of time `[start, end)`, on whole hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// "Never sent twice for the same window": one key per shop and window start hour, which
/// D1 keeps unique (`digest_log.window_key`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WindowKey(String);

impl WindowKey {
    pub fn new(shop_id: i64, window: &Window) -> Self {
        Self(format!("{shop_id}@{}", window.start.format("%Y-%m-%dT%H")))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Hours in which no digest is sent, shop-local, `start` inclusive to `end` exclusive;
/// `22 → 7` wraps over midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietHours {
    start: u8,
    end: u8,
}

impl QuietHours {
    pub fn new(start: u8, end: u8) -> Option<Self> {
        (start < 24 && end < 24 && start != end).then_some(Self { start, end })
    }
    pub fn start(self) -> u8 {
        self.start
    }
    pub fn end(self) -> u8 {
        self.end
    }
    /// Whether the shop-local `hour` is quiet.
    pub fn contains(self, hour: u32) -> bool {
        let (s, e) = (u32::from(self.start), u32::from(self.end));
        if s < e {
            (s..e).contains(&hour)
        } else {
            hour >= s || hour < e
        }
    }
}

/// The settings form's two quiet-hours fields (hours 0–23, both empty for none).
pub fn parse_quiet_hours(start: &str, end: &str) -> Result<Option<QuietHours>, FieldError> {
    let err = |m: &str| FieldError { field: "quiet_hours".into(), message: m.into() };
    let (start, end) = (start.trim(), end.trim());
    if start.is_empty() && end.is_empty() {
        return Ok(None);
    }
    let hour = |s: &str| s.parse::<u8>().ok().filter(|h| *h < 24);
    match (hour(start), hour(end)) {
        (Some(s), Some(e)) if s == e => Err(err("Quiet hours must start and end at different hours.")),
        (Some(s), Some(e)) => Ok(QuietHours::new(s, e)),
        _ => Err(err("Enter both hours as whole numbers from 0 to 23, or leave both empty.")),
    }
}

/// The settings form's recipients field: addresses separated by commas, semicolons or
/// line breaks. Every one must be valid; duplicates (any case) are dropped; empty means
/// "no digest".
pub fn parse_recipients(raw: &str) -> Result<Vec<String>, FieldError> {
    let err = |m: String| FieldError { field: "digest_recipients".into(), message: m };
    let mut out: Vec<String> = Vec::new();
    let mut bad: Vec<&str> = Vec::new();
    for part in raw.split([',', ';', '\n', '\r']).map(str::trim).filter(|p| !p.is_empty()) {
        if !valid_email(part) {
            bad.push(part);
        } else if !out.iter().any(|o| o.eq_ignore_ascii_case(part)) {
            out.push(part.to_string());
        }
    }
    if !bad.is_empty() {
        let list = bad.iter().map(|b| format!("“{b}”")).collect::<Vec<_>>().join(", ");
        let noun = if bad.len() == 1 { "is not an email address" } else { "are not email addresses" };
        return Err(err(format!("{list} {noun}. Separate addresses with commas, like a@shop.com, b@shop.com.")));
    }
    if out.len() > MAX_RECIPIENTS {
        return Err(err(format!("Send the digest to at most {MAX_RECIPIENTS} addresses.")));
    }
    Ok(out)
}

/// The digest part of the settings form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DigestSettingsInput {
    pub digest_recipients: String,
    pub quiet_hours_start: String,
    pub quiet_hours_end: String,
}

/// Who gets the digest and when not; the frequency stays in `Settings`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DigestSettings {
    pub recipients: Vec<String>,
    pub quiet: Option<QuietHours>,
}

impl DigestSettingsInput {
    pub fn from_settings(s: &DigestSettings) -> Self {
        Self {
            digest_recipients: s.recipients.join(", "),
            quiet_hours_start: s.quiet.map(|q| q.start.to_string()).unwrap_or_default(),
            quiet_hours_end: s.quiet.map(|q| q.end.to_string()).unwrap_or_default(),
        }
    }

    /// Every field error at once (`digest_recipients`, `quiet_hours`).
    pub fn parse(&self) -> Result<DigestSettings, Vec<FieldError>> {
        let recipients = parse_recipients(&self.digest_recipients);
        let quiet = parse_quiet_hours(&self.quiet_hours_start, &self.quiet_hours_end);
        match (recipients, quiet) {
            (Ok(recipients), Ok(quiet)) => Ok(DigestSettings { recipients, quiet }),
            (r, q) => Err(r.err().into_iter().chain(q.err()).collect()),
        }
    }
}

/// What the shop asked for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Schedule {
    pub frequency: DigestFrequency,
    /// The shop's calendar: its IANA zone, or the merchant's fixed offset.
    pub zone: ShopZone,
    pub quiet: Option<QuietHours>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Plan {
    Send(Window),
    /// Digests off, or a daily digest outside the shop's 08:00.
    NotDue,
    /// Inside quiet hours: nothing is sent and the window keeps growing until it may be.
    Quiet,
    /// This window (or a later one) was already sent.
    AlreadySent,
}

fn local_hour(t: DateTime<Utc>, zone: ShopZone) -> u32 {
    zone.local_hour(t)
}

fn floor_hour(t: DateTime<Utc>) -> DateTime<Utc> {
    t.with_minute(0).and_then(|t| t.with_second(0)).and_then(|t| t.with_nanosecond(0)).unwrap_or(t)
}

/// Whether to send now, and what span of time the digest covers: from the end of the last
/// sent window (so quiet or failed hours are covered later, never lost) to this hour.
pub fn plan(s: &Schedule, now: DateTime<Utc>, last_sent_end: Option<DateTime<Utc>>) -> Plan {
    let end = floor_hour(now);
    let default_hours = match s.frequency {
        DigestFrequency::Off => return Plan::NotDue,
        DigestFrequency::Hourly => 1,
        DigestFrequency::Daily if local_hour(end, s.zone) == DAILY_HOUR => 24,
        DigestFrequency::Daily => return Plan::NotDue,
    };
    if last_sent_end.is_some_and(|l| l >= end) {
        return Plan::AlreadySent;
    }
    if s.quiet.is_some_and(|q| q.contains(local_hour(end, s.zone))) {
        return Plan::Quiet;
    }
    let earliest = end - Duration::hours(MAX_WINDOW_HOURS);
    let start = match last_sent_end {
        Some(l) => floor_hour(l).max(earliest),
        None => end - Duration::hours(default_hours),
    };
    Plan::Send(Window { start, end })
}

/// One live alert as D1 has it, with the names and numbers a digest shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DigestAlert {
    pub alert_id: i64,
    pub kind: RiskKind,
    pub variant_id: i64,
    pub location_id: i64,
    pub product_title: String,
    pub variant_title: String,
    pub location_name: String,
    pub days_of_cover: Option<f64>,
    pub lost_revenue_per_day_cents: i64,
    pub depletion_date: Option<NaiveDate>,
    pub urgency: f64,
    pub opened_at: DateTime<Utc>,
    /// The urgency when a digest last included it; `None` if none did.
    pub reported_urgency: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    Opened,
    Worsened,
}

/// Why an alert belongs in the digest for `window`, if it does: opened in the window and
/// never reported, or reported before and now more urgent by `WORSENED_MARGIN`. Alerts
/// that predate the window and were never reported are old news.
pub fn change(a: &DigestAlert, window: &Window) -> Option<Change> {
    match a.reported_urgency {
        None if a.opened_at >= window.start => Some(Change::Opened),
        None => None,
        Some(r) if a.urgency > r.max(0.0) * (1.0 + WORSENED_MARGIN) && a.urgency > r => Some(Change::Worsened),
        Some(_) => None,
    }
}

pub struct DigestInput<'a> {
    pub shop_name: &'a str,
    pub currency: &'a str,
    /// The app's public origin, without a trailing slash.
    pub app_url: &'a str,
    pub window: Window,
    /// The shop's calendar: its IANA zone, or the merchant's fixed offset.
    pub zone: ShopZone,
    pub alerts: &'a [DigestAlert],
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Section {
    OutOfStock,
    StockGap,
    ReorderNow,
    LowStock,
    Excess,
}

impl Section {
    pub const ORDER: [Section; 5] = [Self::OutOfStock, Self::StockGap, Self::ReorderNow, Self::LowStock, Self::Excess];

    pub fn of(kind: RiskKind) -> Self {
        match kind {
            RiskKind::OutOfStock => Self::OutOfStock,
            RiskKind::StockGap => Self::StockGap,
            RiskKind::ReorderNow => Self::ReorderNow,
            RiskKind::LowStock => Self::LowStock,
            RiskKind::Overstock | RiskKind::DeadStock => Self::Excess,
        }
    }

    pub fn title(&self) -> &'static str {
        match self {
            Self::OutOfStock => "Out of stock",
            Self::StockGap => "Runs out before the delivery",
            Self::ReorderNow => "Reorder now",
            Self::LowStock => "Low stock",
            Self::Excess => "Overstock and dead stock",
        }
    }

    pub(super) fn colour(&self) -> &'static str {
        match self {
            Self::OutOfStock => "#d72c0d",
            Self::StockGap => "#b98900",
            Self::ReorderNow => "#b98900",
            Self::LowStock => "#916a00",
            Self::Excess => "#5c5f62",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Digest {
    pub subject: String,
    pub html: String,
    pub text: String,
    /// The alerts included, with the urgency reported (remembered for "worsened").
    pub reported: Vec<(i64, f64)>,
    /// (section, number of alerts in it), in the order shown.
    pub counts: Vec<(Section, usize)>,
}

#[cfg(test)]
mod tests;
