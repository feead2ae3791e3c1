//! Property tests: whatever the input, the engine's numbers are finite and never
//! negative, and reconcile accounts for every live alert exactly once.

use super::*;
use crate::risk::RiskKind;
use crate::settings::Settings;
use chrono::{Days, NaiveDate};
use proptest::prelude::*;

fn any_f64() -> impl Strategy<Value = f64> {
    prop_oneof![-1e6..1e6f64, Just(f64::NAN), Just(f64::INFINITY), Just(f64::NEG_INFINITY), Just(0.0), Just(100.0),]
}

fn history() -> impl Strategy<Value = (NaiveDate, Vec<u16>, Vec<bool>)> {
    // Starts around leap days; lengths from nothing to past a year and four weeks.
    let start = (0u64..3_000).prop_map(|d| NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default() + Days::new(d));
    let len = 0usize..450;
    (start, len).prop_flat_map(|(start, n)| {
        let units = prop::collection::vec(prop_oneof![4 => 0u16..3, 2 => 0u16..50, 1 => any::<u16>()], n);
        let out = prop::collection::vec(prop::bool::weighted(0.15), n);
        (Just(start), units, out)
    })
}

fn position() -> impl Strategy<Value = Position> {
    (
        -1_000_000i64..1_000_000,
        prop_oneof![-10i64..1_000, Just(i64::MAX), Just(i64::MIN)],
        prop_oneof![0i64..100_000, Just(i64::MAX)],
        prop_oneof![Just(None), (0u32..5_000).prop_map(Some), Just(Some(u32::MAX))],
        prop_oneof![Just(None), any_f64().prop_map(Some)],
        prop_oneof![Just(None), (0u32..400).prop_map(Some)],
        any::<bool>(),
        prop_oneof![Just(None), (0u32..1_000).prop_map(Some), Just(Some(u32::MAX))],
    )
        .prop_map(|(on_hand, incoming, price, lead, sd, review, tracked, min_stock)| Position {
            variant_id: 1,
            location_id: 1,
            on_hand,
            incoming,
            price_cents: price,
            cost_cents: price / 2,
            tracked,
            supply: SupplyOverrides { lead_time_days: lead, lead_time_sd_days: sd, review_period_days: review, target_cover_days: review },
            limits: crate::engine::LimitOverrides { min_stock, ..Default::default() },
            yearly_factor: None,
            day_of_week: None,
            long_run: None,
            arrival: None,
        })
}

proptest! {
    // No regression files: the failing input is printed, and domain/ stays free of them.
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn assessments_are_finite_and_non_negative(
        (start, units, out) in history(),
        p in position(),
        service in any_f64(),
        today_offset in 0u64..40,
    ) {
        let h = History::new(start, &units, &out).unwrap();
        let settings = Settings { service_level_pct: service, ..Settings::default() };
        let cfg = EngineConfig::from(&settings);
        let today = start + Days::new(units.len() as u64 + today_offset);
        let a = assess(&p, h, &cfg, today);
        let e = &a.explanation;
        let f = &a.forecast;
        for x in [f.level, f.sigma_daily, f.yearly, f.adi, f.cv2, e.velocity, e.seasonal_factor, e.z,
                  e.lead_time_demand, e.safety_stock, e.reorder_point, e.order_up_to, e.lead_time_sd_days] {
            prop_assert!(x.is_finite() && x >= 0.0, "{x} in {a:?}");
        }
        for i in f.day_of_week {
            prop_assert!(i.is_finite() && i > 0.0);
        }
        prop_assert!((f.day_of_week.iter().sum::<f64>() - 7.0).abs() < 1e-6 || f.day_of_week == [1.0; 7]);
        prop_assert!(e.days_of_cover.is_none_or(|c| c.is_finite() && c >= 0.0));
        prop_assert!(e.lost_revenue_per_day_cents >= 0 && e.stock_value_cents >= 0);
        for kind in RiskKind::ALL {
            let c = a.conditions.get(kind);
            prop_assert!(!c.opens || c.holds);
            prop_assert!(a.urgency(kind).is_finite());
        }
        prop_assert!(p.tracked || RiskKind::ALL.iter().all(|&k| !a.conditions.get(k).holds));
    }

    /// History begins somewhere: days before a series' first observed day, whatever they
    /// hold, never change its forecast, assessment or backtest.
    #[test]
    fn prepending_unknown_days_never_changes_the_forecast(
        (start, units, out) in history(),
        junk in prop::collection::vec((0u16..200, any::<bool>()), 1..300),
        p in position(),
    ) {
        let n = units.len();
        let k = junk.len();
        let first = start + Days::new(k as u64);
        let end = first + Days::new(n as u64);
        // The last day of the window is `end - 1`; an empty history still needs a day.
        let Ok(mut table) = HistoryTable::new(start, end.pred_opt().unwrap_or(end).max(start)) else { return Ok(()) };
        let id = table.add_series();
        for (d, &(u, o)) in junk.iter().enumerate() {
            table.set(id, d, u, o).unwrap();
        }
        for (d, (&u, &o)) in units.iter().zip(&out).enumerate() {
            table.set(id, k + d, u, o).unwrap();
        }
        table.set_first_day(id, first).unwrap();
        let alone = History::new(first, &units, &out).unwrap();
        let seen = table.series(id).unwrap();
        prop_assert_eq!(seen.len(), n);
        prop_assert_eq!(Forecast::fit(seen), Forecast::fit(alone));
        prop_assert_eq!(backtest::backtest(seen, backtest::HOLDOUT_DAYS), backtest::backtest(alone, backtest::HOLDOUT_DAYS));
        let cfg = EngineConfig::from(&Settings::default());
        let today = end;
        prop_assert_eq!(assess_all(&[p], &table, &cfg, today).unwrap()[0], assess(&p, alone, &cfg, today));
        let (mut u, mut o) = (Vec::new(), Vec::new());
        prop_assert_eq!(refit_variant(&table, &[id], &mut u, &mut o), SeasonalPattern::fit(alone));
    }

    /// A product whose history starts 12–13 months back, selling at a steady rate, never
    /// gets a yearly factor near the cap from the refit: the missing days are unknown.
    #[test]
    fn a_series_starting_12_to_13_months_back_gets_no_yearly_factor_from_missing_data(
        age in 335usize..=400,
        rate in 1u16..30,
        seed in any::<u64>(),
        end_offset in 0u64..800,
    ) {
        let today = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default() + Days::new(end_offset);
        let (start, end) = history_window(today, REFIT_HISTORY_DAYS);
        let mut table = HistoryTable::new(start, end).unwrap();
        let id = table.add_series();
        let first = table.days() - age;
        let mut x = seed | 1;
        for d in first..table.days() {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            // Steady demand: rate ± 50 %, no season.
            let u = (f64::from(rate) * (0.5 + (x % 1000) as f64 / 1000.0)).round() as u16;
            table.set(id, d, u, false).unwrap();
        }
        table.set_first_day(id, start + Days::new(first as u64)).unwrap();
        let (mut u, mut o) = (Vec::new(), Vec::new());
        let pattern = refit_variant(&table, &[id], &mut u, &mut o);
        prop_assert!(pattern.yearly > 0.75 && pattern.yearly < 1.33, "age {age}: {}", pattern.yearly);
        if age < 392 {
            prop_assert_eq!(pattern.yearly, 1.0);
        }
    }

    #[test]
    fn reconcile_accounts_for_every_live_alert_once(
        states in prop::collection::vec((0i64..6, 0usize..5, 0u8..3, 0u64..4), 0..20),
        on_hands in prop::collection::vec(-5i64..400, 0..6),
    ) {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default();
        let existing: Vec<ExistingAlert> = states.iter().enumerate().map(|(id, &(v, k, s, d))| ExistingAlert {
            id: id as i64,
            key: AlertKey { variant_id: v, location_id: 1, kind: RiskKind::ALL[k] },
            state: match s { 0 => AlertState::Open, 1 => AlertState::Acknowledged, _ => AlertState::Snoozed { until: today + Days::new(d) } },
        }).collect();
        let forecast = Forecast::fit(History::new(today - Days::new(28), &[3; 28], &[false; 28]).unwrap());
        let cfg = EngineConfig::from(&Settings::default());
        let assessments: Vec<Assessment> = on_hands.iter().enumerate().map(|(v, &on_hand)| {
            let p = Position { variant_id: v as i64, location_id: 1, on_hand, incoming: 0, price_cents: 100, cost_cents: 50, tracked: true, supply: SupplyOverrides::default(), limits: Default::default(), yearly_factor: None, day_of_week: None, long_run: None, arrival: None };
            assess::assess_forecast(&p, forecast, &cfg, today)
        }).collect();
        let c = reconcile(&existing, &assessments, today);
        let mut touched: Vec<i64> = c.to_update.iter().map(|u| u.id).chain(c.to_resolve.iter().copied()).collect();
        touched.sort_unstable();
        let all: Vec<i64> = (0..existing.len() as i64).collect();
        prop_assert_eq!(touched, all);
        for n in &c.to_open {
            prop_assert!(!existing.iter().any(|e| e.key == n.key));
        }
        prop_assert!(c.to_update.iter().all(|u| u.state.snoozed_until().is_none_or(|d| d > today)));
    }

    #[test]
    fn local_date_never_panics_and_moves_at_most_a_day(t in any::<i64>(), minutes in -840i32..=840) {
        let offset = UtcOffset::from_minutes(minutes).unwrap();
        if let (Ok(local), Ok(utc)) = (local_date(t, offset), local_date(t, UtcOffset::UTC)) {
            prop_assert!((local - utc).num_days().abs() <= 1);
        }
    }

    #[test]
    fn inverse_normal_is_finite(p in any_f64()) {
        prop_assert!(normal::inverse_cdf(p).is_finite());
        prop_assert!(ServiceLevel::from_pct(p).z().is_finite());
    }

    #[test]
    fn csv_fields_round_trip(fields in prop::collection::vec("[a-z ,\"\\n=+-]{0,12}", 1..7)) {
        let orders = vec![SupplierOrder::new(fields[0].clone(), None, None, 0, 0, vec![OrderLine {
            variant_id: 1, location_id: 1,
            sku: fields.get(1).cloned().unwrap_or_default(),
            supplier_sku: fields.get(2).cloned().unwrap_or_default(),
            product_title: fields.get(3).cloned().unwrap_or_default(),
            variant_title: fields.get(4).cloned().unwrap_or_default(),
            location_name: fields.get(5).cloned().unwrap_or_default(),
            on_hand: 1, incoming: 0, suggested_qty: 3, order_qty: 3, case_pack: 1, unit_cost_cents: 150,
            ..OrderLine::default()
        }])];
        let csv = purchase_order_csv(&orders);
        let rows = parse_csv(&csv);
        prop_assert_eq!(rows.len(), 2);
        prop_assert_eq!(rows[1].len(), 10);
        for (i, f) in fields.iter().enumerate() {
            let shown = if f.starts_with(['=', '+', '-', '@', '\t']) { format!("'{f}") } else { f.clone() };
            prop_assert_eq!(&rows[1][i], &shown);
        }
    }
}

/// A minimal RFC 4180 reader, to check the writer.
fn parse_csv(s: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut field) = (Vec::new(), String::new());
    let mut chars = s.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {
                chars.next();
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}
