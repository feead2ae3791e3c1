//! Engine-level tests: hand-computed plans, alert lifecycle, bad input, the demo shop.

use super::alerts::AlertStateError;
use super::backtest::{backtest, summarise, HOLDOUT_DAYS};
use super::*;
use crate::risk::RiskKind;
use crate::settings::Settings;
use chrono::{Days, NaiveDate};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

fn days(n: u64) -> NaiveDate {
    today().checked_add_days(Days::new(n)).unwrap()
}

fn cfg() -> EngineConfig {
    EngineConfig::from(&Settings::default()) // lead 7, low 14, over 180, dead 90, 95 %
}

/// 2 units/day, flat week, σ 1.5.
fn steady() -> Forecast {
    Forecast {
        level: 2.0,
        day_of_week: [1.0; 7],
        yearly: 1.0,
        sigma_daily: 1.5,
        pattern: DemandPattern::Smooth,
        method: ForecastMethod::SeasonalSmoothing,
        alpha: 0.1,
        adi: 1.0,
        cv2: 0.2,
        history_days: 365,
        in_stock_days: 350,
        last_sale: Some(days(0).pred_opt().unwrap()),
    }
}

fn position(on_hand: i64, incoming: i64) -> Position {
    Position {
        variant_id: 1,
        location_id: 10,
        on_hand,
        incoming,
        price_cents: 2_500,
        cost_cents: 1_000,
        tracked: true,
        supply: SupplyOverrides::default(),
        limits: LimitOverrides::default(),
        yearly_factor: None,
        day_of_week: None,
        long_run: None,
        arrival: None,
    }
}

fn run(p: Position, f: Forecast) -> Assessment {
    assess::assess_forecast(&p, f, &cfg(), today())
}

const Z95: f64 = 1.6448536269514722;

#[test]
fn plan_by_hand() {
    let a = run(position(15, 5), steady());
    // Protection period: 7 days' lead time + 1 to the next nightly review = 8 days.
    // Summed smoothing error with α = 0.1 over 8 days: (8 + 0.1·8·7 + 0.01·7·8·15/6) / 8
    // = 15 / 8 per day, so ss = z · √(8 · 1.5² · 15/8) = z · 1.5 · √15 ≈ 9.556.
    let ss = Z95 * 1.5 * 15f64.sqrt();
    assert!((a.plan.lead_time_demand - 16.0).abs() < 1e-12);
    assert!((a.plan.safety_stock - ss).abs() < 1e-6);
    assert!((a.plan.reorder_point - (16.0 + ss)).abs() < 1e-6);
    // Up to: 2/day × (7 lead + 30 cover) + ss = 83.56; position 20 → 64 units.
    assert!((a.plan.order_up_to - (74.0 + ss)).abs() < 1e-6);
    assert_eq!(a.plan.suggested_qty, 64);
    assert_eq!(a.explanation.days_of_cover, Some(10.0));
    assert_eq!(a.explanation.depletion_date, Some(days(10)));
    assert_eq!(a.explanation.seasonal_factor, 1.0);
    let on = |k| a.conditions.get(k).opens;
    assert!(on(RiskKind::LowStock) && on(RiskKind::ReorderNow));
    assert!(!on(RiskKind::OutOfStock) && !on(RiskKind::Overstock) && !on(RiskKind::DeadStock));
}

#[test]
fn a_merchants_minimum_stock_and_thresholds_replace_the_shops() {
    // Steady seller, reorder point ≈ 25.6: a floor of 40 lifts it and the order with it.
    let floor = Position { limits: LimitOverrides { min_stock: Some(40), ..Default::default() }, ..position(35, 0) };
    let a = run(floor, steady());
    let b = run(position(35, 0), steady());
    assert!((a.plan.reorder_point - 40.0).abs() < 1e-9);
    assert!((a.plan.order_up_to - b.plan.order_up_to - (40.0 - b.plan.reorder_point)).abs() < 1e-9);
    assert!(a.conditions.get(RiskKind::ReorderNow).opens && !b.conditions.get(RiskKind::ReorderNow).opens);
    assert_eq!(a.explanation.thresholds.min_stock, 40);
    assert!(explain::in_words(RiskKind::ReorderNow, &a.explanation, &explain::cents).contains("minimum stock of 40"));
    // A floor below the computed reorder point changes nothing.
    let low_floor = Position { limits: LimitOverrides { min_stock: Some(5), ..Default::default() }, ..position(35, 0) };
    assert_eq!(run(low_floor, steady()).plan, b.plan);

    // Not selling at all: still brought back up to its floor.
    let idle = Forecast { level: 0.0, sigma_daily: 0.0, ..steady() };
    let shelf = Position { limits: LimitOverrides { min_stock: Some(3), ..Default::default() }, ..position(1, 0) };
    let a = run(shelf, idle);
    assert!(a.conditions.get(RiskKind::ReorderNow).opens);
    assert_eq!(a.plan.suggested_qty, 2);
    assert!(!run(Position { on_hand: 3, ..shelf }, idle).conditions.get(RiskKind::ReorderNow).opens);

    // 17.5 days of cover: low for a 21-day threshold, not for the shop's 14; overstock at 15.
    let thresholds = |l: LimitOverrides| run(Position { limits: l, ..position(35, 0) }, steady());
    let low = thresholds(LimitOverrides { low_stock_days: Some(21), ..Default::default() });
    assert!(low.conditions.get(RiskKind::LowStock).opens && !b.conditions.get(RiskKind::LowStock).opens);
    assert_eq!(low.explanation.thresholds.low_stock_days, 21.0);
    let over = thresholds(LimitOverrides { overstock_days: Some(15), ..Default::default() });
    assert!(over.conditions.get(RiskKind::Overstock).opens);
    let dead = run(
        Position { limits: LimitOverrides { dead_stock_days: Some(7), ..Default::default() }, ..position(35, 0) },
        Forecast { last_sale: Some(days(0).checked_sub_days(Days::new(8)).unwrap()), ..steady() },
    );
    assert!(dead.conditions.get(RiskKind::DeadStock).opens);
}

#[test]
fn lead_time_variability_widens_safety_stock() {
    let mut p = position(15, 5);
    p.supply.lead_time_sd_days = Some(2.0);
    let a = run(p, steady());
    // √(8 · 1.5² · 15/8 + 2² · 2²) = √49.75 (protection 8 days, see plan_by_hand).
    assert!((a.plan.safety_stock - Z95 * 49.75f64.sqrt()).abs() < 1e-6);
    assert_eq!(a.explanation.lead_time_sd_days, 2.0);
}

#[test]
fn weekday_mix_of_the_lead_time_is_the_seasonal_factor() {
    let mut f = steady();
    f.day_of_week = [0.5, 0.5, 1.0, 1.0, 1.0, 1.5, 1.5];
    let mut p = position(100, 0);
    p.supply.lead_time_days = Some(2);
    // Two days' lead time and the day to the next review: 3 days. Today is a Wednesday:
    // Wed + Thu + Fri = 2 · (1 + 1 + 1) = 6; a Friday start differs.
    let a = run(p, f);
    assert!((a.plan.lead_time_demand - 6.0).abs() < 1e-12);
    let friday = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    let b = assess::assess_forecast(&p, f, &cfg(), friday);
    // Fri 1.0 + Sat 1.5 + Sun 1.5 → 2 · 4 = 8 over 3 days, factor 4/3.
    assert!((b.plan.lead_time_demand - 8.0).abs() < 1e-12);
    assert!((b.explanation.seasonal_factor - 4.0 / 3.0).abs() < 1e-12);
}

#[test]
fn hysteresis_keeps_an_alert_until_past_the_margin() {
    let low = |on_hand| run(position(on_hand, 0), steady()).conditions.get(RiskKind::LowStock);
    // Cover 13.5: opens. 14.5: does not open but an open alert holds (< 15.4). 15.5: clears.
    assert_eq!(low(27), Condition { opens: true, holds: true });
    assert_eq!(low(29), Condition { opens: false, holds: true });
    assert_eq!(low(31), Condition { opens: false, holds: false });
    // Overstock opens above 180 days and holds down to 180 / 1.1 ≈ 163.6.
    let over = |on_hand| run(position(on_hand, 0), steady()).conditions.get(RiskKind::Overstock);
    assert_eq!(over(362), Condition { opens: true, holds: true });
    assert_eq!(over(330), Condition { opens: false, holds: true });
    assert_eq!(over(326), Condition { opens: false, holds: false });
}

#[test]
fn state_machine() {
    let open = AlertState::Open;
    assert_eq!(open.step(true, today()), Some(AlertState::Open));
    assert_eq!(open.step(false, today()), None);
    let ack = open.acknowledge();
    assert_eq!(ack.step(true, days(30)), Some(AlertState::Acknowledged));
    assert_eq!(ack.step(false, days(30)), None);
    let snoozed = open.snooze(days(3), today()).unwrap();
    assert_eq!(snoozed.step(true, days(2)), Some(snoozed));
    assert_eq!(snoozed.step(true, days(3)), Some(AlertState::Open));
    assert_eq!(snoozed.step(false, days(2)), None);
    assert_eq!(open.snooze(today(), today()), Err(AlertStateError::SnoozeNotInFuture { until: today(), today: today() }));
    assert_eq!(AlertState::from_columns("snoozed", Some(days(3))), Ok(Some(snoozed)));
    assert_eq!(AlertState::from_columns("snoozed", None), Err(AlertStateError::SnoozeWithoutDate));
    assert_eq!(AlertState::from_columns("resolved", None), Ok(None));
    assert!(AlertState::from_columns("closed", None).is_err());
    assert_eq!((snoozed.as_str(), snoozed.snoozed_until()), ("snoozed", Some(days(3))));
}

fn key(variant_id: i64, kind: RiskKind) -> AlertKey {
    AlertKey { variant_id, location_id: 10, kind }
}

#[test]
fn reconcile_opens_updates_and_resolves() {
    let a = run(position(15, 5), steady()); // low stock + reorder now
    let existing = [
        ExistingAlert { id: 1, key: key(1, RiskKind::LowStock), state: AlertState::Acknowledged },
        ExistingAlert { id: 2, key: key(1, RiskKind::Overstock), state: AlertState::Open },
        ExistingAlert { id: 3, key: key(99, RiskKind::DeadStock), state: AlertState::Open }, // product deleted
        ExistingAlert { id: 4, key: key(1, RiskKind::LowStock), state: AlertState::Open },   // duplicate
    ];
    let c = reconcile(&existing, &[a], today());
    assert_eq!(c.to_open.len(), 1);
    assert_eq!(c.to_open[0].key, key(1, RiskKind::ReorderNow));
    assert_eq!(c.to_update.len(), 1);
    assert_eq!((c.to_update[0].id, c.to_update[0].state), (1, AlertState::Acknowledged));
    assert_eq!(c.to_resolve, vec![2, 3, 4]);

    // Snoozed until today with the condition still true: re-opens.
    let snoozed = [ExistingAlert { id: 5, key: key(1, RiskKind::ReorderNow), state: AlertState::Snoozed { until: today() } }];
    let c = reconcile(&snoozed, &[a], today());
    assert_eq!((c.to_update[0].id, c.to_update[0].state), (5, AlertState::Open));
    assert_eq!(c.to_open.len(), 1); // low stock is new

    // The same run twice opens nothing new once stored: idempotent.
    let stored: Vec<ExistingAlert> = reconcile(&[], &[a], today())
        .to_open
        .iter()
        .enumerate()
        .map(|(i, n)| ExistingAlert { id: i as i64, key: n.key, state: AlertState::Open })
        .collect();
    let again = reconcile(&stored, &[a, a], today());
    assert!(again.to_open.is_empty() && again.to_resolve.is_empty());
    assert_eq!(again.to_update.len(), stored.len());
}

#[test]
fn untracked_variants_raise_nothing_and_lose_their_alerts() {
    let mut p = position(0, 0);
    p.tracked = false;
    let a = run(p, steady());
    assert!(RiskKind::ALL.iter().all(|&k| !a.conditions.get(k).holds));
    let existing = [ExistingAlert { id: 7, key: key(1, RiskKind::OutOfStock), state: AlertState::Open }];
    assert_eq!(reconcile(&existing, &[a], today()).to_resolve, vec![7]);
}

#[test]
fn oversold_stock_is_out_of_stock_and_orders_the_backlog() {
    let a = run(position(-4, 0), steady());
    assert!(a.conditions.get(RiskKind::OutOfStock).opens);
    assert!(!a.conditions.get(RiskKind::LowStock).holds); // out of stock says it already
    assert_eq!(a.explanation.lost_revenue_per_day_cents, 5_000);
    assert_eq!(a.explanation.days_of_cover, Some(0.0));
    assert_eq!(a.explanation.depletion_date, None);
    assert_eq!(a.explanation.stock_value_cents, 0);
    // Up to 83.56 from −4: 88 units.
    assert_eq!(a.plan.suggested_qty, 88);
}

#[test]
fn no_history_means_no_forecast_and_no_alerts() {
    let empty = History::new(today(), &[], &[]).unwrap();
    let a = assess(&position(10, 0), empty, &cfg(), today());
    assert_eq!(a.forecast.pattern, DemandPattern::NoHistory);
    assert_eq!((a.explanation.velocity, a.explanation.days_of_cover), (0.0, None));
    assert!(RiskKind::ALL.iter().all(|&k| !a.conditions.get(k).holds));
    assert_eq!(a.plan.suggested_qty, 0);
    // Zero stock and no demand: a discontinued line, not an alert.
    let a = assess(&position(0, 0), empty, &cfg(), today());
    assert!(RiskKind::ALL.iter().all(|&k| !a.conditions.get(k).holds));
}

#[test]
fn dead_stock_after_the_configured_days_without_a_sale() {
    let start = today().checked_sub_days(Days::new(120)).unwrap();
    let mut units = vec![0u16; 120];
    let out = vec![false; 120];
    let dead = assess(&position(10, 0), History::new(start, &units, &out).unwrap(), &cfg(), today());
    assert!(dead.conditions.get(RiskKind::DeadStock).opens);
    assert!(!dead.conditions.get(RiskKind::Overstock).holds);
    assert_eq!(dead.explanation.days_of_cover, None);
    units[40] = 1; // last sale 80 days ago
    let alive = assess(&position(10, 0), History::new(start, &units, &out).unwrap(), &cfg(), today());
    assert_eq!(alive.explanation.days_since_last_sale, Some(80));
    assert!(!alive.conditions.get(RiskKind::DeadStock).holds);
}

#[test]
fn lead_time_zero_and_full_service_level_are_finite() {
    // Delivery the same day still leaves the day until the next nightly review to cover:
    // one day of demand (2) and its safety stock z · 1.5.
    let mut p = position(10, 0);
    p.supply.lead_time_days = Some(0);
    let a = run(p, steady());
    assert_eq!(a.plan.lead_time_demand, 2.0);
    assert!((a.plan.safety_stock - Z95 * 1.5).abs() < 1e-6);
    assert!((a.plan.reorder_point - (2.0 + Z95 * 1.5)).abs() < 1e-6);
    assert!(!a.conditions.get(RiskKind::ReorderNow).opens);
    p.on_hand = 1; // runs out before the next review
    assert!(run(p, steady()).conditions.get(RiskKind::ReorderNow).opens);
    assert!(run(position(0, 0), steady()).conditions.get(RiskKind::ReorderNow).opens);

    let settings = Settings { service_level_pct: 100.0, ..Settings::default() };
    let full = assess::assess_forecast(&position(15, 5), steady(), &EngineConfig::from(&settings), today());
    assert!((full.explanation.z - 3.719016485).abs() < 1e-6);
    assert!(full.plan.safety_stock.is_finite() && full.plan.safety_stock > 0.0);
}

#[test]
fn refunds_larger_than_sales_are_zero_demand_end_to_end() {
    let start = today().checked_sub_days(Days::new(28)).unwrap();
    let mut table = HistoryTable::new(start, today().pred_opt().unwrap()).unwrap();
    let id = table.add_series();
    for d in 0..28 {
        let day = start.checked_add_days(Days::new(d)).unwrap();
        let (sold, returned) = if d == 10 { (1, 50) } else { (3, 0) };
        table.record(id, &DayRow { day, units_sold: sold, units_returned: returned, out_of_stock: false }).unwrap();
    }
    let a = assess_all(&[position(100, 0)], &table, &cfg(), today()).unwrap();
    let f = a[0].forecast;
    assert!(f.daily() > 2.5 && f.daily() <= 3.0, "{}", f.daily());
    assert_eq!(assess_all(&[], &table, &cfg(), today()), Err(EngineError::LengthMismatch { positions: 0, series: 1 }));
}

#[test]
fn ranking_puts_lost_revenue_first_then_soonest_depletion_then_money_tied_up() {
    let mut dear = position(0, 0);
    dear.price_cents = 9_000;
    let dear = run(dear, steady());
    let cheap = run(position(0, 0), steady());
    let soon = run(position(4, 0), steady());
    let later = run(position(20, 0), steady());
    let over = run(position(1_000, 0), steady());
    let u = [
        dear.urgency(RiskKind::OutOfStock),
        cheap.urgency(RiskKind::OutOfStock),
        soon.urgency(RiskKind::LowStock),
        later.urgency(RiskKind::LowStock),
        over.urgency(RiskKind::Overstock),
    ];
    assert!(u.windows(2).all(|w| w[0] > w[1]), "{u:?}");
    let mut all = [over, later, cheap, soon, dear];
    for (i, a) in all.iter_mut().enumerate() {
        a.variant_id = i as i64 + 1;
    }
    let changes = reconcile(&[], &all, today());
    let first = &changes.to_open[0];
    assert_eq!((first.key.kind, first.explanation.lost_revenue_per_day_cents), (RiskKind::OutOfStock, 18_000));
}

#[test]
fn explanation_serialises_for_the_ui() {
    let a = run(position(15, 5), steady());
    let json = serde_json::to_value(a.explanation).unwrap();
    for field in [
        "velocity",
        "seasonal_factor",
        "lead_time_days",
        "safety_stock",
        "reorder_point",
        "days_of_cover",
        "demand_pattern",
        "method",
        "thresholds",
    ] {
        assert!(json.get(field).is_some(), "missing {field}");
    }
    assert_eq!(json["demand_pattern"], "smooth");
    assert_eq!(json["method"], "seasonal_smoothing");
    assert_eq!(json["thresholds"]["low_stock_days"], 14.0);
    let back: Explanation = serde_json::from_value(json).unwrap();
    assert_eq!(back, a.explanation);
    let not_selling = run(position(15, 5), Forecast { level: 0.0, ..steady() });
    assert_eq!(serde_json::to_value(not_selling.explanation).unwrap()["days_of_cover"], serde_json::Value::Null);
}

#[test]
fn alert_states_cross_the_wire_and_back_and_a_dead_one_is_refused() {
    let until = NaiveDate::from_ymd_opt(2026, 12, 11).unwrap();
    for (state, json) in [
        (AlertState::Open, r#"{"state":"open"}"#),
        (AlertState::Acknowledged, r#"{"state":"acknowledged"}"#),
        (AlertState::Snoozed { until }, r#"{"state":"snoozed","until":"2026-12-11"}"#),
    ] {
        assert_eq!(serde_json::to_string(&state).unwrap(), json);
        assert_eq!(serde_json::from_str::<AlertState>(json).unwrap(), state);
    }
    for bad in [r#"{"state":"resolved"}"#, r#"{"state":"snoozed"}"#, r#"{"state":"later"}"#, r#"{"until":"2026-12-11"}"#] {
        assert!(serde_json::from_str::<AlertState>(bad).is_err(), "{bad}");
    }
}

#[test]
fn reorder_suggestions_per_vendor_as_csv() {
    let labels = |vendor: &str, sku: &str| Labels {
        vendor: vendor.into(),
        sku: sku.into(),
        product_title: "Trail Tee, \"organic\"".into(),
        variant_title: "M".into(),
        location_name: "Main".into(),
        abc: None,
        xyz: None,
    };
    let (la, lb, lc) = (labels("Zeta Supply", "TEE-M"), labels("Acme", "CAP-1"), labels("Acme", "CAP-2"));
    let low = run(position(15, 5), steady()); // reorder now
    let mut p = position(200, 0);
    p.variant_id = 3;
    let fine = run(p, steady()); // not reordering
    let mut p = position(-2, 0);
    p.variant_id = 2;
    p.cost_cents = 1_234;
    let out = run(p, steady());
    let orders = reorder_suggestions([(&la, &low), (&lb, &out), (&lc, &fine)], Some(14), today());
    assert_eq!(orders.iter().map(|o| o.supplier.as_str()).collect::<Vec<_>>(), ["Acme", "Zeta Supply"]);
    // 2/day × (7 + 14) + ss 9.56 = 51.56; from position 20 → 32, from −2 → 54.
    assert_eq!(orders[1].lines[0].suggested_qty, 32);
    assert_eq!(orders[0].lines[0].suggested_qty, 54);
    assert_eq!(orders[0].total_cost_cents, 54 * 1_234);
    let csv = purchase_order_csv(&orders);
    assert_eq!(
        csv,
        "supplier,sku,supplier_sku,product,variant,location,on_hand,incoming,order_qty,unit_cost\r\n\
         Acme,CAP-1,,\"Trail Tee, \"\"organic\"\"\",M,Main,-2,0,54,12.34\r\n\
         Zeta Supply,TEE-M,,\"Trail Tee, \"\"organic\"\"\",M,Main,15,5,32,10.00\r\n"
    );
    // Without a page-wide number, each line covers its variant's own days: exactly the
    // engine's suggestion; a variant that orders for longer gets more.
    let own = reorder_suggestions([(&la, &low), (&lb, &out)], None, today());
    assert_eq!(own[1].lines[0].suggested_qty, low.plan.suggested_qty);
    assert_eq!(own[0].lines[0].suggested_qty, out.plan.suggested_qty);
    let cover = low.explanation.target_cover_days.max(low.explanation.review_period_days);
    assert_eq!(own, reorder_suggestions([(&la, &low), (&lb, &out)], Some(cover), today()));
    let mut p = position(15, 5);
    p.supply.target_cover_days = Some(cover + 30);
    let longer = run(p, steady());
    let more = reorder_suggestions([(&la, &longer)], None, today());
    // 30 more days at 2 a day.
    assert_eq!(more[0].lines[0].suggested_qty, own[1].lines[0].suggested_qty + 60);
}

/// The demo shop end to end: every number finite, every kind of alert present, and the
/// engine beats the 30-day average in the backtest.
#[test]
fn demo_shop() {
    let end = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let shop = demo_shop::generate(42, end);
    let start = end.checked_sub_days(Days::new(u64::from(demo_shop::HISTORY_DAYS) - 1)).unwrap();
    let mut table = HistoryTable::with_capacity(start, end, shop.levels.len()).unwrap();
    let mut ids = std::collections::HashMap::new();
    let mut positions = Vec::new();
    for l in &shop.levels {
        ids.insert((l.variant_id, l.location_id), table.add_series());
        let v = shop.variants.iter().find(|v| v.id == l.variant_id).unwrap();
        positions.push(Position {
            variant_id: l.variant_id,
            location_id: l.location_id,
            on_hand: l.available,
            incoming: l.incoming,
            price_cents: v.price_cents,
            cost_cents: v.cost_cents,
            tracked: true,
            supply: SupplyOverrides::default(),
            limits: Default::default(),
            yearly_factor: None,
            day_of_week: None,
            long_run: None,
            arrival: None,
        });
    }
    for s in &shop.sales {
        let row = DayRow { day: s.day, units_sold: s.units_sold, units_returned: s.units_returned, out_of_stock: s.out_of_stock };
        table.record(ids[&(s.variant_id, s.location_id)], &row).unwrap();
    }
    let today = end.succ_opt().unwrap();
    let all = assess_all(&positions, &table, &cfg(), today).unwrap();
    for a in &all {
        let e = &a.explanation;
        for x in [e.velocity, e.seasonal_factor, e.sigma_daily, e.safety_stock, e.reorder_point, e.order_up_to, e.lead_time_demand] {
            assert!(x.is_finite() && x >= 0.0, "{a:?}");
        }
        assert!(e.days_of_cover.is_none_or(|c| c.is_finite() && c >= 0.0));
    }
    let changes = reconcile(&[], &all, today);
    // The demo shop has no dated purchase orders: every kind but the stock gap shows.
    for kind in RiskKind::ALL.into_iter().filter(|k| *k != RiskKind::StockGap) {
        assert!(changes.to_open.iter().any(|n| n.key.kind == kind), "no {kind:?} alert");
    }
    // Stockouts do not drag velocity down: series with many stockout days in the last 26
    // weeks (the smoothing window) forecast about what they sold per in-stock day there,
    // not per calendar day.
    let mut checked = 0;
    for (i, a) in all.iter().enumerate() {
        let h = table.series(SeriesId(i)).unwrap();
        let recent = h.len().saturating_sub(182);
        let out_days = h.stockout()[recent..].iter().filter(|&&o| o).count();
        let sold: f64 = h.units()[recent..].iter().map(|&u| f64::from(u)).sum();
        if out_days > 30 && sold > 100.0 {
            let per_calendar_day = sold / (h.len() - recent) as f64;
            // The level, before the yearly factor moves it toward the coming season.
            assert!(a.forecast.level > per_calendar_day, "{} ≤ {per_calendar_day}", a.forecast.level);
            checked += 1;
        }
    }
    assert!(checked > 5, "only {checked} series with long stockouts");
    let results: Vec<_> = (0..table.len()).filter_map(|i| backtest(table.series(SeriesId(i)).unwrap(), HOLDOUT_DAYS)).collect();
    let s = summarise(&results);
    assert!(s.series > 1_000);
    assert!(s.mean_mase < s.mean_naive30_mase, "{s:?}");
}

/// The refit's stored yearly factor reaches a nightly forecast whose half-year window
/// cannot measure one, and a measured factor is never overridden.
#[test]
fn a_stored_yearly_factor_scales_short_history_forecasts_only() {
    let start = today() - Days::new(182);
    let units = vec![4u16; 182];
    let out = vec![false; 182];
    let history = History::new(start, &units, &out).unwrap();
    let plain = assess(&position(100, 0), history, &cfg(), today());
    let mut p = position(100, 0);
    p.yearly_factor = Some(1.5);
    let seasonal = assess(&p, history, &cfg(), today());
    assert!((seasonal.explanation.velocity - 1.5 * plain.explanation.velocity).abs() < 1e-9);
    assert!((seasonal.plan.lead_time_demand - 1.5 * plain.plan.lead_time_demand).abs() < 1e-9);
    p.yearly_factor = Some(f64::NAN);
    assert_eq!(assess(&p, history, &cfg(), today()).explanation.velocity, plain.explanation.velocity);
    p.yearly_factor = Some(9.0); // bounded as a measured factor is
    assert!((assess(&p, history, &cfg(), today()).forecast.yearly - 2.0).abs() < 1e-12);

    let long_units = vec![4u16; 400];
    let long_out = vec![false; 400];
    let long = History::new(today() - Days::new(400), &long_units, &long_out).unwrap();
    p.yearly_factor = Some(1.5);
    assert_eq!(assess(&p, long, &cfg(), today()).forecast.yearly, 1.0);
}

/// A nightly table of `NIGHTLY_HISTORY_DAYS` ending yesterday with one series of `units`
/// (its last days) whose first observed day is `first`, as the Worker builds it.
fn nightly(units: &[u16], out: &[bool], first: Option<NaiveDate>) -> HistoryTable {
    let (start, end) = history_window(today(), NIGHTLY_HISTORY_DAYS);
    let mut table = HistoryTable::new(start, end).unwrap();
    let id = table.add_series();
    let from = table.days() - units.len();
    for (i, (&u, &o)) in units.iter().zip(out).enumerate() {
        table.set(id, from + i, u, o).unwrap();
    }
    if let Some(day) = first {
        table.set_first_day(id, day).unwrap();
    }
    table
}

fn assert_sane(a: &Assessment) {
    let (f, e) = (&a.forecast, &a.explanation);
    for x in [f.level, f.sigma_daily, f.yearly, e.velocity, e.lead_time_demand, e.safety_stock, e.reorder_point, e.order_up_to] {
        assert!(x.is_finite() && x >= 0.0, "{x} in {a:?}");
    }
}

/// The issue's bad inputs: each gives a finite, non-negative forecast and a sensible alert.
#[test]
fn bad_input_all_zero_series_is_dead_stock_not_a_reorder() {
    let table = nightly(&[0; 182], &[false; 182], None);
    let a = &assess_all(&[position(10, 0)], &table, &cfg(), today()).unwrap()[0];
    assert_sane(a);
    assert_eq!((a.forecast.pattern, a.explanation.velocity), (DemandPattern::NoDemand, 0.0));
    assert!(a.conditions.get(RiskKind::DeadStock).opens);
    assert!(!a.conditions.get(RiskKind::ReorderNow).holds && !a.conditions.get(RiskKind::LowStock).holds);
}

#[test]
fn bad_input_one_wholesale_order_of_500_does_not_become_the_velocity() {
    let mut units = vec![2u16; 182];
    units[120] = 500; // 62 days ago
    let table = nightly(&units, &[false; 182], None);
    let a = &assess_all(&[position(60, 0)], &table, &cfg(), today()).unwrap()[0];
    assert_sane(a);
    // 2/day with one order of 500: far below the 30-day or 90-day mean that order makes.
    assert!(a.explanation.velocity > 1.5 && a.explanation.velocity < 4.0, "{}", a.explanation.velocity);
    // 60 units at ~2/day is a month of cover: not out of stock, not a week-long lead time's reorder.
    assert!(!a.conditions.get(RiskKind::OutOfStock).holds);
    assert!(!a.conditions.get(RiskKind::ReorderNow).opens, "{:?}", a.plan);
}

#[test]
fn bad_input_a_month_long_gap_keeps_a_finite_selling_forecast() {
    // App uninstalled for a month: no rows for 30 days in the middle of 3/day.
    let mut units = vec![3u16; 182];
    units[100..130].fill(0);
    let table = nightly(&units, &[false; 182], None);
    let a = &assess_all(&[position(5, 0)], &table, &cfg(), today()).unwrap()[0];
    assert_sane(a);
    assert!(a.explanation.velocity > 2.0, "{}", a.explanation.velocity);
    assert!(a.conditions.get(RiskKind::ReorderNow).opens);
    assert!(!a.conditions.get(RiskKind::DeadStock).holds);
}

#[test]
fn bad_input_lead_time_zero_on_a_fitted_forecast() {
    let table = nightly(&[4; 182], &[false; 182], None);
    let mut p = position(30, 0);
    p.supply.lead_time_days = Some(0);
    let a = &assess_all(&[p], &table, &cfg(), today()).unwrap()[0];
    assert_sane(a);
    // Only the day to the next review is at risk: about a day's demand, no week of it.
    assert!((a.plan.lead_time_demand - 4.0).abs() < 0.1, "{:?}", a.plan);
    assert!(a.plan.reorder_point < 8.0, "{:?}", a.plan);
    assert!(a.plan.suggested_qty > 0, "stock for the review period is still ordered");
    assert!(!a.conditions.get(RiskKind::ReorderNow).opens);
    p.on_hand = 3; // less than a day's demand: order now
    assert!(assess_all(&[p], &table, &cfg(), today()).unwrap()[0].conditions.get(RiskKind::ReorderNow).opens);
}

#[test]
fn bad_input_a_series_that_starts_yesterday() {
    let yesterday = today().pred_opt().unwrap();
    let mut units = vec![0u16; 182];
    units[181] = 3;
    let table = nightly(&units, &[false; 182], Some(yesterday));
    let a = &assess_all(&[position(10, 0)], &table, &cfg(), today()).unwrap()[0];
    assert_sane(a);
    assert_eq!(a.forecast.history_days, 1);
    assert!(!a.conditions.get(RiskKind::DeadStock).holds, "one day old is not dead stock");
    // Only out of stock yesterday: nothing observed, no forecast, no alert.
    let table = nightly(&[0], &[true], Some(yesterday));
    let a = &assess_all(&[position(0, 0)], &table, &cfg(), today()).unwrap()[0];
    assert_sane(a);
    assert_eq!(a.forecast.pattern, DemandPattern::NoHistory);
    assert!(RiskKind::ALL.iter().all(|&k| !a.conditions.get(k).holds));
}

/// The production bug of issue 17: a product launched a year and a week ago, read by the
/// refit's 420-day table. Without its first day, the missing weeks read as in-stock days
/// without sales, "the four weeks before, a year ago" is nearly empty, and the yearly
/// factor was ×2 (the cap; now the noise shrinkage tempers it, but it is still off 1);
/// with the first day, there is no factor: its windows are not both observed.
#[test]
fn a_launch_13_months_ago_gets_no_yearly_factor_from_days_before_it() {
    let (start, end) = history_window(today(), REFIT_HISTORY_DAYS);
    let mut table = HistoryTable::new(start, end).unwrap();
    let id = table.add_series();
    let launched = 370usize;
    let first = table.days() - launched;
    for d in first..table.days() {
        table.set(id, d, 5, false).unwrap();
    }
    let (mut u, mut o) = (Vec::new(), Vec::new());
    let unknown_as_zero = refit_variant(&table, &[id], &mut u, &mut o);
    assert!(unknown_as_zero.yearly > 1.0, "the bug this test guards against: {}", unknown_as_zero.yearly);
    table.set_first_day(id, start + Days::new(first as u64)).unwrap();
    let pattern = refit_variant(&table, &[id], &mut u, &mut o);
    assert_eq!(pattern.yearly, 1.0);
    assert_eq!(pattern.history_days as usize, launched);
    // And the nightly forecast it feeds stays at 5/day.
    let nightly = nightly(&[5; 182], &[false; 182], None);
    let mut p = position(100, 0);
    p.yearly_factor = Some(pattern.yearly);
    let a = &assess_all(&[p], &nightly, &cfg(), today()).unwrap()[0];
    assert!((a.explanation.velocity - 5.0).abs() < 0.3, "{}", a.explanation.velocity);
}

#[test]
fn pooling_starts_at_the_earliest_member_and_ignores_days_before_each() {
    let start = today() - Days::new(10);
    let mut table = HistoryTable::new(start, today().pred_opt().unwrap()).unwrap();
    let (a, b) = (table.add_series(), table.add_series());
    for d in 0..10 {
        table.set(a, d, 9, false).unwrap(); // junk before a's first day (day 6)
        table.set(b, d, 1, d == 8).unwrap();
    }
    table.set_first_day(a, start + Days::new(6)).unwrap();
    table.set_first_day(b, start + Days::new(4)).unwrap();
    let (mut u, mut o) = (Vec::new(), Vec::new());
    let from = pool(&table, &[a, b], &mut u, &mut o);
    assert_eq!(from, start + Days::new(4));
    assert_eq!(u, vec![1, 1, 10, 10, 10, 10]);
    assert_eq!(o, vec![false; 6], "day 8: b was out but a could sell");
    assert_eq!(table.series(a).unwrap().len(), 4);
    assert_eq!(table.series(a).unwrap().start(), start + Days::new(6));
    // A first day past the window leaves an empty series; before it, the whole window.
    table.set_first_day(a, today() + Days::new(3)).unwrap();
    assert!(table.series(a).unwrap().is_empty());
    table.set_first_day(a, start - Days::new(30)).unwrap();
    assert_eq!(table.series(a).unwrap().len(), 10);
    assert!(table.set_first_day(SeriesId(9), start).is_err());
}

/// Three series of one product at one location: two sell 4 and 2 a day for half a year,
/// the third was created `young_days` ago and sold `young_units` a day since.
fn launch_shop(young_days: usize, young_units: u16) -> (Vec<Position>, Vec<launch::Kin>, HistoryTable) {
    let (start, end) = history_window(today(), NIGHTLY_HISTORY_DAYS);
    let mut table = HistoryTable::new(start, end).unwrap();
    let mut positions = Vec::new();
    for (variant_id, pace) in [(1, 4u16), (2, 2)] {
        let id = table.add_series();
        for d in 0..table.days() {
            table.set(id, d, pace, false).unwrap();
        }
        positions.push(Position { variant_id, ..position(300, 0) });
    }
    let id = table.add_series();
    for d in table.days() - young_days..table.days() {
        table.set(id, d, young_units, false).unwrap();
    }
    table.set_first_day(id, today().checked_sub_days(Days::new(young_days as u64)).unwrap()).unwrap();
    positions.push(Position { variant_id: 3, ..position(20, 0) });
    let kin = vec![launch::Kin { product_id: 7, product_type: 1 }; 3];
    (positions, kin, table)
}

fn with_launch(positions: &[Position], kin: &[launch::Kin], table: &HistoryTable) -> Vec<Assessment> {
    let mut out = assess_all(positions, table, &cfg(), today()).unwrap();
    let peers = launch::Peers::new(out.iter().zip(kin).filter_map(|(a, k)| launch::peer_rate(a, *k)));
    let histories: Vec<_> = (0..positions.len()).map(|i| table.series(SeriesId(i))).collect();
    launch::apply(positions, kin, &histories, &mut out, &peers, &cfg(), today());
    out
}

#[test]
fn a_new_variant_borrows_its_siblings_pace_and_can_run_out() {
    // Created yesterday, nothing sold yet: without a launch forecast it sells nothing and
    // 20 units raise nothing; its siblings sell 3 a day on average.
    let (positions, kin, table) = launch_shop(1, 0);
    let plain = &assess_all(&positions, &table, &cfg(), today()).unwrap()[2];
    assert_eq!(plain.explanation.velocity, 0.0);
    assert!(RiskKind::ALL.iter().all(|&k| !plain.conditions.get(k).opens));
    let a = &with_launch(&positions, &kin, &table)[2];
    assert_sane(a);
    assert_eq!(a.forecast.method, ForecastMethod::Launch);
    let basis = a.explanation.launch.expect("marked as a launch forecast");
    assert_eq!((basis.source, basis.peers, basis.own_days), (launch::LaunchSource::Product, 2, 1));
    // One day seen at 0, thirteen at the siblings' 3: 39 / 14.
    assert!((a.explanation.velocity - 39.0 / 14.0).abs() < 1e-9, "{}", a.explanation.velocity);
    // 20 units at ~2.8 a day is a week: inside the lead time, so reorder now.
    assert!(a.conditions.get(RiskKind::ReorderNow).opens, "{:?}", a.plan);
    assert!(in_words(RiskKind::ReorderNow, &a.explanation).contains("new: 1 day of its own sales"));
    // The siblings keep their own forecasts.
    assert!(with_launch(&positions, &kin, &table)[..2].iter().all(|a| a.explanation.launch.is_none()));
}

fn in_words(kind: RiskKind, e: &Explanation) -> String {
    explain::in_words(kind, e, &explain::cents)
}

#[test]
fn a_launch_forecast_hands_over_to_the_variants_own_sales_by_day_fourteen() {
    // Selling 10 a day from the start: the more days seen, the more its own pace counts.
    let paces: Vec<f64> = [1usize, 7, 13]
        .iter()
        .map(|&d| {
            let (positions, kin, table) = launch_shop(d, 10);
            with_launch(&positions, &kin, &table)[2].explanation.velocity
        })
        .collect();
    assert!(paces[0] < paces[1] && paces[1] < paces[2], "{paces:?}");
    assert!((paces[2] - (130.0 + 3.0) / 14.0).abs() < 1e-9, "{paces:?}");
    // From the fourteenth day its own fit runs, close to where the blend ended.
    let (positions, kin, table) = launch_shop(14, 10);
    let own = &with_launch(&positions, &kin, &table)[2];
    assert_ne!(own.forecast.method, ForecastMethod::Launch);
    assert!((own.explanation.velocity - 10.0).abs() < 1.0 && (own.explanation.velocity - paces[2]).abs() < 1.0);
}

#[test]
fn a_new_product_borrows_the_median_of_its_type_and_nothing_without_peers() {
    let (mut positions, mut kin, table) = launch_shop(3, 0);
    // The siblings are another product of the same type: too few type peers (2 < 3).
    kin[0].product_id = 8;
    kin[1].product_id = 8;
    assert!(with_launch(&positions, &kin, &table)[2].explanation.launch.is_none());
    // A third peer of the type (selling 2 a day too): the median, 2, is borrowed.
    let mut table2 = HistoryTable::new(table.start(), table.start() + Days::new(table.days() as u64 - 1)).unwrap();
    for i in 0..3 {
        let id = table2.add_series();
        let s = table.series(SeriesId(i)).unwrap();
        let from = table.days() - s.len();
        for (d, (&u, &o)) in s.units().iter().zip(s.stockout()).enumerate() {
            table2.set(id, from + d, u, o).unwrap();
        }
        table2.set_first_day(id, s.start()).unwrap();
    }
    let id = table2.add_series();
    for d in 0..table2.days() {
        table2.set(id, d, 2, false).unwrap();
    }
    positions.push(Position { variant_id: 4, ..position(300, 0) });
    kin.push(launch::Kin { product_id: 9, product_type: 1 });
    let a = &with_launch(&positions, &kin, &table2)[2];
    let basis = a.explanation.launch.expect("type median borrowed");
    assert_eq!((basis.source, basis.peers), (launch::LaunchSource::ProductType, 3));
    assert!((basis.peer_daily - 2.0).abs() < 0.2, "{basis:?}");
    // Another type has no peers at all: no launch forecast, nothing borrowed.
    kin[2].product_type = 2;
    assert!(with_launch(&positions, &kin, &table2)[2].explanation.launch.is_none());
}

#[test]
fn stock_that_runs_out_before_its_delivery_lands_is_a_stock_gap() {
    use crate::purchasing::Arrival;
    // 10 on hand at 2 a day lasts 5 days; 60 units on order land on day 12: days 5–11 go
    // unserved, 7 days × 2 = 14 units at $25 = $350 of sales.
    let mut p = position(10, 60);
    p.arrival = Some(Arrival { date: days(12), units: 60 });
    let a = run(p, steady());
    assert!(a.conditions.get(RiskKind::StockGap).opens);
    let g = a.explanation.stock_gap.unwrap();
    assert_eq!((g.from, g.until), (days(5), days(12)));
    assert!((g.units_short - 14.0).abs() < 1e-9);
    assert_eq!(g.lost_revenue_cents, 35_000);
    // On hand plus the 60 on order is plenty: no reorder alert hides the gap.
    assert!(!a.conditions.get(RiskKind::ReorderNow).opens);
    let words = crate::engine::explain::in_words(RiskKind::StockGap, &a.explanation, &|c| format!("${}", crate::engine::explain::cents(c)));
    assert!(words.contains("run out around 2026-11-30, 7 days before the 60 units on order land (2026-12-07)"), "{words}");
    assert!(words.contains("$350.00 of sales lost"), "{words}");
    // A delivery that lands in time, no delivery, or stock already out: no gap alert.
    p.arrival = Some(Arrival { date: days(4), units: 60 });
    assert!(!run(p, steady()).conditions.get(RiskKind::StockGap).opens);
    p.arrival = None;
    assert!(!run(p, steady()).conditions.get(RiskKind::StockGap).opens);
    let mut out = position(0, 60);
    out.arrival = Some(Arrival { date: days(12), units: 60 });
    let a = run(out, steady());
    assert!(a.conditions.get(RiskKind::OutOfStock).opens && !a.conditions.get(RiskKind::StockGap).opens);
    // Urgency: a stock-out risk, by the sales the gap loses.
    let mut small = position(10, 60);
    small.arrival = Some(Arrival { date: days(7), units: 60 });
    let (big, little) = (run(p_with(days(12)), steady()), run(small, steady()));
    assert!(big.urgency(RiskKind::StockGap) > little.urgency(RiskKind::StockGap));
    assert!(big.urgency(RiskKind::StockGap) < big.urgency(RiskKind::OutOfStock).max(3e12));
}

fn p_with(arrival: NaiveDate) -> Position {
    let mut p = position(10, 60);
    p.arrival = Some(crate::purchasing::Arrival { date: arrival, units: 60 });
    p
}

fn at(location_id: i64, on_hand: i64, incoming: i64) -> Assessment {
    let mut p = position(on_hand, incoming);
    p.location_id = location_id;
    run(p, steady())
}

fn named(location: &str) -> Labels {
    Labels {
        sku: "TEE-M".into(),
        product_title: "Tee".into(),
        variant_title: "M".into(),
        location_name: location.into(),
        ..Labels::default()
    }
}

#[test]
fn a_transfer_covers_a_need_from_stock_another_location_can_spare() {
    let (store, warehouse) = (named("Store"), named("Warehouse"));
    let low = at(10, 15, 5);
    let full = at(20, 200, 0);
    assert!(low.conditions.get(RiskKind::ReorderNow).opens && !full.conditions.get(RiskKind::ReorderNow).opens);
    let moves = transfers::suggest_transfers([(&store, &low), (&warehouse, &full)]);
    assert_eq!(moves.len(), 1);
    let m = &moves[0];
    assert_eq!((m.from_location.as_str(), m.to_location.as_str()), ("Warehouse", "Store"));
    // The store gets what the engine would order there; the warehouse keeps its own order-up-to level.
    assert_eq!(m.quantity, low.plan.suggested_qty);
    assert_eq!(m.from_keeps, full.plan.order_up_to.ceil() as i64);
    assert!(200 - i64::from(m.quantity) >= m.from_keeps);
    assert_eq!(m.value_cents, i64::from(m.quantity) * 1_000);
}

#[test]
fn a_transfer_never_takes_a_source_below_its_own_level_nor_sends_what_has_not_arrived() {
    let (store, warehouse, kiosk) = (named("Store"), named("Warehouse"), named("Kiosk"));
    let empty = at(10, 0, 0);
    let need = empty.plan.suggested_qty;
    // The warehouse can spare 20 on the shelf beyond its level; the kiosk has 8 on hand and
    // 400 on its way: only the 8 can go.
    let keeps = at(20, 0, 0).plan.order_up_to.ceil() as i64;
    let warehouse_pos = at(20, keeps + 20, 0);
    let kiosk_pos = at(30, 8, 400);
    let moves = transfers::suggest_transfers([(&store, &empty), (&warehouse, &warehouse_pos), (&kiosk, &kiosk_pos)]);
    let from: Vec<(i64, u32)> = moves.iter().map(|m| (m.from_location_id, m.quantity)).collect();
    assert!(need > 28, "the need ({need}) outgrows both sources");
    assert_eq!(from, [(20, 20), (30, 8)], "the one with most to spare first, then the next; no more than either has");
    // A source at its own reorder point spares nothing; an untracked variant neither gives nor takes.
    let also_low = at(20, 15, 5);
    assert!(transfers::suggest_transfers([(&store, &empty), (&warehouse, &also_low)]).is_empty());
    let mut untracked = at(20, 500, 0);
    untracked.tracked = false;
    assert!(transfers::suggest_transfers([(&store, &empty), (&warehouse, &untracked)]).is_empty());
}
