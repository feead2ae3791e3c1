//! Writing the digest: the picked alerts grouped by section, most urgent first, as one HTML
//! and one plain-text message sharing the same facts per line, and the subject that counts them.

use super::{change, Change, Digest, DigestAlert, DigestInput, Section, ROWS_PER_SECTION};
use crate::engine::ShopZone;
use crate::html::escape;
use crate::RiskKind;
use chrono::{DateTime, Utc};
use std::fmt::Write as _;

/// Cents in the shop's currency: the app's formatter (`domain::money`), so a digest and
/// the page it links to show the same amounts.
pub fn money(cents: i64, currency: &str) -> String {
    crate::money::format(cents, currency)
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

fn local(t: DateTime<Utc>, zone: ShopZone) -> String {
    zone.local(t).format("%b %-d, %H:%M").to_string()
}

/// The digest for one shop and window, or `None` when no alert opened or worsened in it.
pub fn build(input: &DigestInput<'_>) -> Option<Digest> {
    let mut picked: Vec<(&DigestAlert, Change)> = input.alerts.iter().filter_map(|a| change(a, &input.window).map(|c| (a, c))).collect();
    if picked.is_empty() {
        return None;
    }
    picked
        .sort_by(|(a, _), (b, _)| b.urgency.partial_cmp(&a.urgency).unwrap_or(std::cmp::Ordering::Equal).then(a.alert_id.cmp(&b.alert_id)));
    let app = input.app_url.trim_end_matches('/');
    let shop = escape(input.shop_name);
    let span = format!("{} – {}", local(input.window.start, input.zone), local(input.window.end, input.zone));

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
        let rows: Vec<&(&DigestAlert, Change)> = picked.iter().filter(|(a, _)| Section::of(a.kind) == section).collect();
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
            Section::StockGap => format!("{n} running out before delivery"),
            Section::ReorderNow => format!("{n} to reorder"),
            Section::LowStock => format!("{n} low"),
            Section::Excess => format!("{n} overstocked"),
        })
        .collect();
    let subject = format!("Stock Sentry: {} at {}", summary.join(", "), input.shop_name);
    let reported = picked.iter().map(|(a, _)| (a.alert_id, a.urgency)).collect();
    Some(Digest { subject, html, text, reported, counts })
}
