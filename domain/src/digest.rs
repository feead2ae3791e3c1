//! Digest emails, decided and written without I/O: whether a shop is due a digest now
//! (frequency, its 08:00, quiet hours), which window of time it covers, which alerts are
//! worth telling about (opened in the window, or worse than when last reported), and the
//! message itself, HTML and plain text, most urgent first.
//!
//! The Worker (`app::server::digest`) reads the rows, calls `plan` and `build`, claims the
//! `WindowKey` in D1 before sending, and remembers each reported alert's urgency.

use crate::engine::UtcOffset;
use crate::help::valid_email;
use crate::settings::{DigestFrequency, FieldError};
use crate::RiskKind;
use chrono::{DateTime, Duration, NaiveDate, Timelike, Utc};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

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
    pub offset: UtcOffset,
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

fn local_hour(t: DateTime<Utc>, offset: UtcOffset) -> u32 {
    (t + Duration::minutes(i64::from(offset.minutes()))).hour()
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
        DigestFrequency::Daily if local_hour(end, s.offset) == DAILY_HOUR => 24,
        DigestFrequency::Daily => return Plan::NotDue,
    };
    if last_sent_end.is_some_and(|l| l >= end) {
        return Plan::AlreadySent;
    }
    if s.quiet.is_some_and(|q| q.contains(local_hour(end, s.offset))) {
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
    pub offset: UtcOffset,
    pub alerts: &'a [DigestAlert],
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Section {
    OutOfStock,
    ReorderNow,
    LowStock,
    Excess,
}

impl Section {
    pub const ORDER: [Section; 4] = [Self::OutOfStock, Self::ReorderNow, Self::LowStock, Self::Excess];

    pub fn of(kind: RiskKind) -> Self {
        match kind {
            RiskKind::OutOfStock => Self::OutOfStock,
            RiskKind::ReorderNow => Self::ReorderNow,
            RiskKind::LowStock => Self::LowStock,
            RiskKind::Overstock | RiskKind::DeadStock => Self::Excess,
        }
    }

    pub fn title(&self) -> &'static str {
        match self {
            Self::OutOfStock => "Out of stock",
            Self::ReorderNow => "Reorder now",
            Self::LowStock => "Low stock",
            Self::Excess => "Overstock and dead stock",
        }
    }

    fn colour(&self) -> &'static str {
        match self {
            Self::OutOfStock => "#d72c0d",
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

use crate::html::escape;

/// `1234567` cents → `$12,345.67` (USD/CAD/AUD, EUR, GBP), otherwise `12,345.67 SEK`.
pub fn money(cents: i64, currency: &str) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.unsigned_abs();
    let digits = (c / 100).to_string();
    let mut whole = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            whole.push(',');
        }
        whole.push(ch);
    }
    let frac = c % 100;
    match currency {
        "USD" | "CAD" | "AUD" => format!("{sign}${whole}.{frac:02}"),
        "EUR" => format!("{sign}€{whole}.{frac:02}"),
        "GBP" => format!("{sign}£{whole}.{frac:02}"),
        code => format!("{sign}{whole}.{frac:02} {code}"),
    }
}

fn cover(days: Option<f64>) -> String {
    match days {
        None => "no recent sales".into(),
        Some(d) if d < 1.0 => "under a day of cover".into(),
        Some(d) if d >= 999.0 => "999+ days of cover".into(),
        Some(d) => format!("{d:.0} days of cover"),
    }
}

fn item_name(a: &DigestAlert) -> String {
    let v = a.variant_title.trim();
    if v.is_empty() || v.eq_ignore_ascii_case("Default Title") {
        a.product_title.clone()
    } else {
        format!("{} – {v}", a.product_title)
    }
}

/// The facts of one line, shared by the HTML and text parts.
fn facts(a: &DigestAlert, currency: &str, change: Change) -> String {
    let mut parts = Vec::with_capacity(4);
    if a.kind == RiskKind::OutOfStock {
        if a.lost_revenue_per_day_cents > 0 {
            parts.push(format!("losing about {}/day", money(a.lost_revenue_per_day_cents, currency)));
        }
    } else {
        parts.push(cover(a.days_of_cover));
        if let (Some(d), RiskKind::ReorderNow | RiskKind::LowStock) = (a.depletion_date, a.kind) {
            parts.push(format!("runs out around {}", crate::dates::short(d)));
        }
    }
    parts.push(match change {
        Change::Opened => "new".into(),
        Change::Worsened => "worse than last reported".into(),
    });
    parts.join(" · ")
}

fn local(t: DateTime<Utc>, offset: UtcOffset) -> String {
    (t + Duration::minutes(i64::from(offset.minutes()))).format("%b %-d, %H:%M").to_string()
}

/// The digest for one shop and window, or `None` when no alert opened or worsened in it.
pub fn build(input: &DigestInput<'_>) -> Option<Digest> {
    let mut picked: Vec<(&DigestAlert, Change)> =
        input.alerts.iter().filter_map(|a| change(a, &input.window).map(|c| (a, c))).collect();
    if picked.is_empty() {
        return None;
    }
    picked.sort_by(|(a, _), (b, _)| {
        b.urgency.partial_cmp(&a.urgency).unwrap_or(std::cmp::Ordering::Equal).then(a.alert_id.cmp(&b.alert_id))
    });
    let app = input.app_url.trim_end_matches('/');
    let shop = escape(input.shop_name);
    let span = format!("{} – {}", local(input.window.start, input.offset), local(input.window.end, input.offset));

    let mut counts = Vec::new();
    let mut html = String::with_capacity(4096);
    let mut text = String::with_capacity(2048);
    let _ = write!(
        html,
        "<!DOCTYPE html><html><body style=\"margin:0;padding:24px;background:#f6f6f7;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,sans-serif;color:#202223\">\
         <div style=\"max-width:640px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px\">\
         <h1 style=\"font-size:20px;margin:0 0 4px\">Stock Sentry digest for {shop}</h1>\
         <p style=\"margin:0 0 16px;color:#6d7175;font-size:13px\">Changes from {span}</p>"
    );
    let _ = writeln!(text, "Stock Sentry digest for {}\nChanges from {span}\n", input.shop_name);
    for section in Section::ORDER {
        let rows: Vec<&(&DigestAlert, Change)> =
            picked.iter().filter(|(a, _)| Section::of(a.kind) == section).collect();
        if rows.is_empty() {
            continue;
        }
        counts.push((section.clone(), rows.len()));
        let _ = write!(
            html,
            "<h2 style=\"font-size:16px;margin:20px 0 8px;color:{}\">{} ({})</h2><table role=\"presentation\" style=\"width:100%;border-collapse:collapse;font-size:14px\">",
            section.colour(),
            section.title(),
            rows.len()
        );
        let _ = writeln!(text, "{} ({})", section.title().to_uppercase(), rows.len());
        for (a, c) in rows.iter().take(ROWS_PER_SECTION) {
            let link = format!("{app}/app/variants/{}?location={}", a.variant_id, a.location_id);
            let name = item_name(a);
            let facts = facts(a, input.currency, *c);
            let _ = write!(
                html,
                "<tr><td style=\"padding:8px 0;border-top:1px solid #e1e3e5\"><a href=\"{}\" style=\"color:#2c6ecb;text-decoration:none;font-weight:600\">{}</a><br>\
                 <span style=\"color:#6d7175\">{} · {}</span></td></tr>",
                escape(&link),
                escape(&name),
                escape(&a.location_name),
                escape(&facts)
            );
            let _ = writeln!(text, "- {name} at {}: {facts}\n  {link}", a.location_name);
        }
        if rows.len() > ROWS_PER_SECTION {
            let more = rows.len() - ROWS_PER_SECTION;
            let _ = write!(
                html,
                "<tr><td style=\"padding:8px 0;border-top:1px solid #e1e3e5;color:#6d7175\">and {more} more in <a href=\"{}/app\" style=\"color:#2c6ecb\">Stock Sentry</a></td></tr>",
                escape(app)
            );
            let _ = writeln!(text, "- and {more} more in Stock Sentry: {app}/app");
        }
        html.push_str("</table>");
        text.push('\n');
    }
    let _ = write!(
        html,
        "<p style=\"margin:24px 0 0\"><a href=\"{}/app\" style=\"display:inline-block;background:#008060;color:#ffffff;padding:10px 16px;border-radius:4px;text-decoration:none\">Open Stock Sentry</a></p>\
         <p style=\"margin:16px 0 0;color:#6d7175;font-size:12px\">You receive this because your address is in Stock Sentry's digest settings. Change the frequency, recipients or quiet hours in Settings.</p>\
         </div></body></html>",
        escape(app)
    );
    let _ = writeln!(
        text,
        "Open Stock Sentry: {app}/app\n\nYou receive this because your address is in Stock Sentry's digest settings. Change the frequency, recipients or quiet hours in Settings."
    );

    let summary: Vec<String> = counts
        .iter()
        .map(|(s, n)| match s {
            Section::OutOfStock => format!("{n} out of stock"),
            Section::ReorderNow => format!("{n} to reorder"),
            Section::LowStock => format!("{n} low"),
            Section::Excess => format!("{n} overstocked"),
        })
        .collect();
    let subject = format!("Stock Sentry: {} at {}", summary.join(", "), input.shop_name);
    let reported = picked.iter().map(|(a, _)| (a.alert_id, a.urgency)).collect();
    Some(Digest { subject, html, text, reported, counts })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, h, 0, 0).unwrap()
    }

    fn alert(id: i64, kind: RiskKind, urgency: f64) -> DigestAlert {
        DigestAlert {
            alert_id: id,
            kind,
            variant_id: 100 + id,
            location_id: 7,
            product_title: format!("Product {id}"),
            variant_title: "M / Blue".into(),
            location_name: "Warehouse".into(),
            days_of_cover: Some(3.4),
            lost_revenue_per_day_cents: 0,
            depletion_date: NaiveDate::from_ymd_opt(2026, 11, 28),
            urgency,
            opened_at: at(9) + Duration::minutes(5),
            reported_urgency: None,
        }
    }

    fn window() -> Window {
        Window { start: at(9), end: at(10) }
    }

    fn input(alerts: &[DigestAlert]) -> DigestInput<'_> {
        DigestInput {
            shop_name: "Demo Outfitters",
            currency: "USD",
            app_url: "https://app.example/",
            window: window(),
            offset: UtcOffset::UTC,
            alerts,
        }
    }

    #[test]
    fn sections_run_from_out_of_stock_to_excess_most_urgent_first() {
        let mut oos = alert(1, RiskKind::OutOfStock, 50.0);
        oos.lost_revenue_per_day_cents = 123_456;
        let alerts = vec![
            alert(2, RiskKind::Overstock, 1.0),
            alert(3, RiskKind::LowStock, 5.0),
            oos,
            alert(4, RiskKind::ReorderNow, 10.0),
            alert(5, RiskKind::ReorderNow, 20.0),
            alert(6, RiskKind::DeadStock, 2.0),
        ];
        let d = build(&input(&alerts)).expect("a digest");
        let order = ["Out of stock (1)", "Reorder now (2)", "Low stock (1)", "Overstock and dead stock (2)"];
        let pos: Vec<usize> = order.iter().map(|t| d.html.find(t).unwrap_or_else(|| panic!("{t} missing"))).collect();
        assert!(pos.windows(2).all(|w| w[0] < w[1]), "sections out of order: {pos:?}");
        // Within a section, more urgent first.
        assert!(d.text.find("Product 5").unwrap() < d.text.find("Product 4").unwrap());
        assert!(d.text.contains("losing about $1,234.56/day"));
        assert!(d.text.contains("3 days of cover · runs out around Nov 28 · new"));
        assert!(d.html.contains("href=\"https://app.example/app/variants/104?location=7\""));
        assert!(d.html.contains("href=\"https://app.example/app\""));
        assert!(d.text.contains("https://app.example/app/variants/101?location=7"));
        assert_eq!(d.subject, "Stock Sentry: 1 out of stock, 2 to reorder, 1 low, 2 overstocked at Demo Outfitters");
        assert_eq!(d.reported.len(), 6);
        assert_eq!(d.reported[0], (1, 50.0));
    }

    #[test]
    fn nothing_changed_means_no_digest() {
        assert!(build(&input(&[])).is_none());
        let mut old = alert(1, RiskKind::LowStock, 5.0);
        old.opened_at = at(3);
        let mut reported = alert(2, RiskKind::ReorderNow, 10.5);
        reported.reported_urgency = Some(10.0);
        assert!(build(&input(&[old, reported])).is_none());
    }

    #[test]
    fn worse_by_the_margin_is_news_again() {
        let mut a = alert(1, RiskKind::ReorderNow, 11.5);
        a.opened_at = at(1);
        a.reported_urgency = Some(10.0);
        assert_eq!(change(&a, &window()), Some(Change::Worsened));
        a.urgency = 11.0;
        assert_eq!(change(&a, &window()), None);
        let d = build(&input(&[DigestAlert { urgency: 12.0, ..a }])).unwrap();
        assert!(d.text.contains("worse than last reported"));
    }

    #[test]
    fn names_are_escaped_in_html_and_kept_in_text() {
        let mut a = alert(1, RiskKind::LowStock, 5.0);
        a.product_title = "<script>alert(1)</script> & Co".into();
        let d = build(&input(&[a])).unwrap();
        assert!(!d.html.contains("<script>"));
        assert!(d.html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"));
        assert!(d.text.contains("<script>alert(1)</script> & Co – M / Blue at Warehouse"));
    }

    #[test]
    fn long_sections_are_cut_with_a_link_to_the_rest() {
        let alerts: Vec<DigestAlert> = (0..30).map(|i| alert(i, RiskKind::LowStock, i as f64)).collect();
        let d = build(&input(&alerts)).unwrap();
        assert_eq!(d.text.matches("\n- Product").count(), ROWS_PER_SECTION);
        assert!(d.text.contains("- and 5 more in Stock Sentry: https://app.example/app"));
        assert_eq!(d.reported.len(), 30);
    }

    fn schedule(frequency: DigestFrequency, offset_min: i32, quiet: Option<QuietHours>) -> Schedule {
        Schedule { frequency, offset: UtcOffset::from_minutes(offset_min).unwrap(), quiet }
    }

    #[test]
    fn hourly_covers_the_hour_since_the_last_digest() {
        let s = schedule(DigestFrequency::Hourly, 0, None);
        let now = at(10) + Duration::seconds(41);
        assert_eq!(plan(&s, now, None), Plan::Send(Window { start: at(9), end: at(10) }));
        // Two hours missed (e.g. quiet): the next digest covers them too.
        assert_eq!(plan(&s, now, Some(at(7))), Plan::Send(Window { start: at(7), end: at(10) }));
        // The same hour a second time: nothing.
        assert_eq!(plan(&s, now, Some(at(10))), Plan::AlreadySent);
        // A week away is capped.
        let long_ago = at(10) - Duration::days(30);
        assert_eq!(
            plan(&s, now, Some(long_ago)),
            Plan::Send(Window { start: at(10) - Duration::days(7), end: at(10) })
        );
        assert_eq!(plan(&schedule(DigestFrequency::Off, 0, None), now, None), Plan::NotDue);
    }

    #[test]
    fn daily_goes_at_eight_shop_time() {
        // New York in winter, UTC−5: 08:00 local is 13:00 UTC.
        let s = schedule(DigestFrequency::Daily, -300, None);
        assert_eq!(plan(&s, at(8), None), Plan::NotDue);
        assert_eq!(plan(&s, at(13), None), Plan::Send(Window { start: at(13) - Duration::days(1), end: at(13) }));
        // India, UTC+5:30: the hourly crons fall on :30 local, so the first one at or after
        // 08:00 is 08:30 local (03:00 UTC), not 07:30 (02:00 UTC).
        let india = schedule(DigestFrequency::Daily, 330, None);
        assert_eq!(plan(&india, at(2) + Duration::minutes(1), None), Plan::NotDue);
        assert!(matches!(plan(&india, at(3) + Duration::minutes(1), None), Plan::Send(_)));
    }

    #[test]
    fn quiet_hours_hold_the_digest_back_and_wrap_midnight() {
        let q = QuietHours::new(22, 7).unwrap();
        assert!(q.contains(23) && q.contains(0) && q.contains(6));
        assert!(!q.contains(7) && !q.contains(21));
        let day = QuietHours::new(12, 14).unwrap();
        assert!(day.contains(12) && day.contains(13) && !day.contains(14));
        // Shop at UTC+2 with quiet 22–07: 03:00 UTC is 05:00 local, quiet; 05:00 UTC is 07:00.
        let s = schedule(DigestFrequency::Hourly, 120, Some(q));
        assert_eq!(plan(&s, at(3), Some(at(2))), Plan::Quiet);
        assert_eq!(plan(&s, at(5), Some(at(2))), Plan::Send(Window { start: at(2), end: at(5) }));
        assert_eq!(QuietHours::new(5, 5), None);
        assert_eq!(QuietHours::new(24, 5), None);
    }

    #[test]
    fn window_key_is_per_shop_and_start_hour() {
        let w = Window { start: at(9), end: at(10) };
        assert_eq!(WindowKey::new(42, &w).as_str(), "42@2026-11-25T09");
        assert_ne!(WindowKey::new(42, &w), WindowKey::new(43, &w));
        let later = Window { start: at(10), end: at(11) };
        assert_ne!(WindowKey::new(42, &w), WindowKey::new(42, &later));
        // The same start is the same key whatever the end: a retry cannot send it twice.
        let longer = Window { start: at(9), end: at(11) };
        assert_eq!(WindowKey::new(42, &w), WindowKey::new(42, &longer));
    }

    #[test]
    fn recipients_are_validated_deduplicated_and_explained() {
        assert_eq!(parse_recipients("a@x.com, b@y.org").unwrap(), vec!["a@x.com", "b@y.org"]);
        assert_eq!(parse_recipients(" a@x.com;\nA@X.com ,, ").unwrap(), vec!["a@x.com"]);
        assert_eq!(parse_recipients("   ").unwrap(), Vec::<String>::new());
        let e = parse_recipients("a@x.com, bob, c@@d.com").unwrap_err();
        assert_eq!(e.field, "digest_recipients");
        assert_eq!(
            e.message,
            "“bob”, “c@@d.com” are not email addresses. Separate addresses with commas, like a@shop.com, b@shop.com."
        );
        let one = parse_recipients("a@x.com b@y.org").unwrap_err();
        assert!(one.message.starts_with("“a@x.com b@y.org” is not an email address."));
        let many = (0..11).map(|i| format!("u{i}@x.com")).collect::<Vec<_>>().join(",");
        assert!(parse_recipients(&many).unwrap_err().message.contains("at most 10"));
    }

    #[test]
    fn digest_settings_report_both_fields_and_round_trip() {
        let bad = DigestSettingsInput {
            digest_recipients: "nope".into(),
            quiet_hours_start: "25".into(),
            quiet_hours_end: "7".into(),
        };
        let fields: Vec<String> = bad.parse().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["digest_recipients", "quiet_hours"]);
        let ok = DigestSettingsInput {
            digest_recipients: "a@x.com;b@y.org".into(),
            quiet_hours_start: "22".into(),
            quiet_hours_end: "7".into(),
        };
        let parsed = ok.parse().unwrap();
        assert_eq!(
            parsed,
            DigestSettings { recipients: vec!["a@x.com".into(), "b@y.org".into()], quiet: QuietHours::new(22, 7) }
        );
        let shown = DigestSettingsInput::from_settings(&parsed);
        assert_eq!(shown.digest_recipients, "a@x.com, b@y.org");
        assert_eq!(shown.parse().unwrap(), parsed);
    }

    #[test]
    fn quiet_hours_fields_parse_or_explain() {
        assert_eq!(parse_quiet_hours("", " "), Ok(None));
        assert_eq!(parse_quiet_hours("22", "7"), Ok(QuietHours::new(22, 7)));
        assert!(parse_quiet_hours("22", "").unwrap_err().message.contains("both hours"));
        assert!(parse_quiet_hours("24", "7").is_err());
        assert!(parse_quiet_hours("7", "7").unwrap_err().message.contains("different"));
    }
}
