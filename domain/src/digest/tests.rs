//! Tests of the digest: schedules and quiet hours, settings parsing, which alerts are news,
//! and the written message.

use super::*;
use crate::engine::UtcOffset;
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
        zone: ShopZone::UTC,
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
    Schedule { frequency, zone: UtcOffset::from_minutes(offset_min).unwrap().into(), quiet }
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
    assert_eq!(plan(&s, now, Some(long_ago)), Plan::Send(Window { start: at(10) - Duration::days(7), end: at(10) }));
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
fn a_shop_in_a_named_zone_gets_its_daily_digest_at_eight_summer_and_winter() {
    let s = Schedule { frequency: DigestFrequency::Daily, zone: ShopZone::named("America/New_York", UtcOffset::UTC), quiet: None };
    let july = |h| Utc.with_ymd_and_hms(2026, 7, 15, h, 0, 0).unwrap();
    // Daylight saving: 08:00 EDT is 12:00 UTC in July, 08:00 EST 13:00 UTC in November.
    assert!(matches!(plan(&s, july(12), None), Plan::Send(_)));
    assert_eq!(plan(&s, july(13), None), Plan::NotDue);
    assert!(matches!(plan(&s, at(13), None), Plan::Send(_)));
    assert_eq!(plan(&s, at(12), None), Plan::NotDue);
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
    assert_eq!(e.message, "“bob”, “c@@d.com” are not email addresses. Separate addresses with commas, like a@shop.com, b@shop.com.");
    let one = parse_recipients("a@x.com b@y.org").unwrap_err();
    assert!(one.message.starts_with("“a@x.com b@y.org” is not an email address."));
    let many = (0..11).map(|i| format!("u{i}@x.com")).collect::<Vec<_>>().join(",");
    assert!(parse_recipients(&many).unwrap_err().message.contains("at most 10"));
}

#[test]
fn digest_settings_report_both_fields_and_round_trip() {
    let bad = DigestSettingsInput { digest_recipients: "nope".into(), quiet_hours_start: "25".into(), quiet_hours_end: "7".into() };
    let fields: Vec<String> = bad.parse().unwrap_err().into_iter().map(|e| e.field).collect();
    assert_eq!(fields, vec!["digest_recipients", "quiet_hours"]);
    let ok =
        DigestSettingsInput { digest_recipients: "a@x.com;b@y.org".into(), quiet_hours_start: "22".into(), quiet_hours_end: "7".into() };
    let parsed = ok.parse().unwrap();
    assert_eq!(parsed, DigestSettings { recipients: vec!["a@x.com".into(), "b@y.org".into()], quiet: QuietHours::new(22, 7) });
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
