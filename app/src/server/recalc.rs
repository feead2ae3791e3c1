//! Recalculating a shop's alerts with the engine (`domain::engine`): three reads (stock
//! positions, sales history, live alerts), the pure assessment and backtest, one batched
//! write of the alert changes and the day's forecast rows.

use super::context::{internal, now_rfc3339};
use super::d1::batch;
use super::repo::{alerts, forecasts, overrides, settings, watch};
use crate::error::AppError;
use chrono::NaiveDate;
use domain::engine::{
    assess_all, backtest, history_window, launch, reconcile, AlertKey, AlertState, Assessment, EngineConfig, ExistingAlert, HistoryTable,
    Position, SeriesId, VariantBacktest, HOLDOUT_DAYS, NIGHTLY_HISTORY_DAYS,
};
use domain::RiskKind;
use std::collections::HashMap;

/// Days of history behind each assessment: the 26 weeks the smoothing rate is fitted on
/// (`domain::engine::NIGHTLY_HISTORY_DAYS`, which the forecast benchmark reads too).
pub const HISTORY_DAYS: u64 = NIGHTLY_HISTORY_DAYS;

#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Summary {
    pub positions: usize,
    pub opened: usize,
    pub updated: usize,
    pub resolved: usize,
    /// Where the time went (ms): D1 reads, the engine and backtest, the batched write.
    pub read_ms: f64,
    pub engine_ms: f64,
    pub write_ms: f64,
}

impl Summary {
    pub fn rows(&self) -> i64 {
        (self.opened + self.updated + self.resolved) as i64
    }
}

/// The engine's assessment of every position of the shop (or of `variants`), with the
/// rows they came from and their history (series `i` ↔ row `i`), in the same order.
pub struct ShopAssessment {
    pub rows: Vec<alerts::PositionRow>,
    pub assessments: Vec<Assessment>,
    pub table: HistoryTable,
    /// The shop's settings the assessments were made with (the variant page shows them).
    pub settings: domain::Settings,
    /// Time spent reading D1 (ms), the rest of the call being the engine.
    pub read_ms: f64,
}

pub async fn assess_shop(
    db: &worker::D1Database,
    shop_id: i64,
    variants: Option<&[i64]>,
    today: NaiveDate,
) -> Result<ShopAssessment, AppError> {
    let t0 = worker::Date::now().as_millis();
    let settings = settings::get(db, shop_id).await?;
    let cfg = EngineConfig::from(&settings);
    let levels = settings.class_levels();
    let overrides = overrides::book(db, shop_id).await?;
    let zone = super::repo::shops::sales_frame(db, shop_id).await?.zone();
    let rows = alerts::positions(db, shop_id, variants).await?;
    let (start, end) = history_window(today, HISTORY_DAYS);
    let history = alerts::history_compact(db, shop_id, &start.to_string(), &end.to_string(), variants, false).await?;
    let mut read_ms = (worker::Date::now().as_millis() - t0) as f64;

    let mut table = HistoryTable::with_capacity(start, end, rows.len()).map_err(|e| internal("history window", e))?;
    let mut series = HashMap::with_capacity(rows.len());
    let positions: Vec<Position> = rows
        .iter()
        .map(|r| {
            series.insert((r.variant_id, r.location_id), table.add_series());
            let owner = domain::overrides::Owner {
                variant_id: r.variant_id,
                product_id: r.product_id,
                supplier_id: r.supplier_id,
                vendor: &r.vendor,
            };
            let mut o = overrides.resolve(&owner);
            // The safety stock aims at the variant's class's service level.
            o.limits.service_level_pct = o.limits.service_level_pct.or(Some(levels.of(r.abc())));
            Position {
                variant_id: r.variant_id,
                location_id: r.location_id,
                on_hand: r.on_hand,
                incoming: r.incoming,
                price_cents: r.price_cents,
                cost_cents: r.cost_cents,
                tracked: r.alertable == 1,
                supply: o.supply,
                limits: o.limits,
                yearly_factor: r.yearly_factor,
                day_of_week: r.day_of_week(),
                long_run: r.long_run(),
                arrival: r.arrival(),
            }
        })
        .collect();
    for h in &history {
        let Some(id) = series.get(&(h.variant_id, h.location_id)) else { continue };
        // Rows past the window are skipped.
        let _ = table.fill_compact(*id, &h.days, None);
    }
    // Days before a series' first observed day are left out of its history (series
    // without any sales row included: a variant created last week is a week old).
    for (i, r) in rows.iter().enumerate() {
        if let Some(day) = r.first_day(zone) {
            let _ = table.set_first_day(SeriesId(i), day);
        }
    }
    let mut assessments = assess_all(&positions, &table, &cfg, today).map_err(|e| internal("engine", e))?;
    read_ms += launch_forecasts(db, shop_id, variants, &rows, &positions, &table, &mut assessments, &cfg, today).await?;
    Ok(ShopAssessment { rows, assessments, table, settings, read_ms })
}

/// Gives series with under two weeks of history a launch forecast (`engine::launch`),
/// borrowed from established series of the same product or type at the same location:
/// tonight's own assessments in a whole-shop run; the last stored forecasts when only
/// some variants are recalculated (their peers are not in this batch). Returns the time
/// spent reading D1 (ms).
#[allow(clippy::too_many_arguments)]
async fn launch_forecasts(
    db: &worker::D1Database,
    shop_id: i64,
    variants: Option<&[i64]>,
    rows: &[alerts::PositionRow],
    positions: &[Position],
    table: &HistoryTable,
    assessments: &mut [Assessment],
    cfg: &EngineConfig,
    today: NaiveDate,
) -> Result<f64, AppError> {
    if !assessments.iter().any(launch::is_launch) {
        return Ok(0.0);
    }
    // Type names interned to numbers, shared by the batch and the stored peers.
    let mut types: HashMap<String, u32> = HashMap::new();
    let mut kin_of = |product_id: i64, product_type: &str| {
        let next = u32::try_from(types.len() + 1).unwrap_or(u32::MAX);
        let product_type = if product_type.is_empty() { 0 } else { *types.entry(product_type.to_owned()).or_insert(next) };
        launch::Kin { product_id, product_type }
    };
    let kin: Vec<launch::Kin> = rows.iter().map(|r| kin_of(r.product_id, &r.product_type)).collect();
    let t0 = worker::Date::now().as_millis();
    let peers = match variants {
        None => launch::Peers::new(assessments.iter().zip(&kin).filter_map(|(a, k)| launch::peer_rate(a, *k))),
        Some(_) => {
            let young: Vec<usize> = (0..rows.len()).filter(|&i| launch::is_launch(&assessments[i])).collect();
            let products: Vec<i64> = young.iter().map(|&i| rows[i].product_id).collect();
            let young_types: Vec<&str> = young.iter().map(|&i| rows[i].product_type.as_str()).filter(|t| !t.is_empty()).collect();
            let since = today.checked_sub_days(chrono::Days::new(7)).unwrap_or(today).to_string();
            let stored = forecasts::launch_peers(db, shop_id, &products, &young_types, &since).await?;
            let stored: Vec<launch::PeerRate> = stored
                .iter()
                .map(|p| launch::PeerRate {
                    kin: kin_of(p.product_id, &p.product_type),
                    variant_id: p.variant_id,
                    location_id: p.location_id,
                    daily: p.velocity,
                })
                .collect();
            launch::Peers::new(stored)
        }
    };
    let read_ms = (worker::Date::now().as_millis() - t0) as f64;
    let histories: Vec<_> = (0..rows.len()).map(|i| table.series(SeriesId(i))).collect();
    launch::apply(positions, &kin, &histories, assessments, &peers, cfg, today);
    Ok(read_ms)
}

/// Recalculates `shop_id` (all variants, or only `variants`) as of `today` (shop-local).
pub async fn recalculate(env: &worker::Env, shop_id: i64, variants: Option<&[i64]>, today: NaiveDate) -> Result<Summary, AppError> {
    let db = super::shards::shop_db(env, shop_id).await?;
    // A bundle sold is demand of its components: they are recalculated with it.
    let expanded = match variants {
        Some(v) => Some(super::repo::bundles::with_components(&db, shop_id, v).await?),
        None => None,
    };
    let variants = expanded.as_deref();
    let t0 = worker::Date::now().as_millis();
    let ShopAssessment { rows, mut assessments, table, read_ms, .. } = assess_shop(&db, shop_id, variants, today).await?;
    // Kinds the merchant turned off open nothing, and their live alerts resolve.
    let kinds = watch::kinds(&db, shop_id).await?;
    for a in &mut assessments {
        a.conditions.keep_only(kinds);
    }
    let t1 = worker::Date::now().as_millis();

    let existing: Vec<ExistingAlert> = alerts::live(&db, shop_id, variants)
        .await?
        .into_iter()
        .filter_map(|a| {
            let kind = RiskKind::parse(&a.kind)?;
            let until = a.snoozed_until.as_deref().and_then(|d| d.get(..10)?.parse().ok());
            let state = AlertState::from_columns(&a.state, until).ok()??;
            Some(ExistingAlert { id: a.id, key: AlertKey { variant_id: a.variant_id, location_id: a.location_id, kind }, state })
        })
        .collect();
    let t2 = worker::Date::now().as_millis();
    let changes = reconcile(&existing, &assessments, today);
    let explain = |e: &domain::engine::Explanation| serde_json::to_string(e).unwrap_or_else(|_| "{}".into());
    let opened: Vec<alerts::Opened> = changes
        .to_open
        .iter()
        .map(|n| alerts::Opened {
            variant_id: n.key.variant_id,
            location_id: n.key.location_id,
            kind: n.key.kind.as_str(),
            urgency: n.urgency,
            explanation: explain(&n.explanation),
        })
        .collect();
    let updated: Vec<alerts::Updated> = changes
        .to_update
        .iter()
        .map(|u| alerts::Updated {
            id: u.id,
            state: u.state.as_str(),
            snoozed_until: u.state.snoozed_until().map(|d| d.to_string()),
            urgency: u.urgency,
            explanation: explain(&u.explanation),
        })
        .collect();
    let forecast_rows: Vec<forecasts::ForecastRow> = assessments
        .iter()
        .enumerate()
        .map(|(i, a)| forecast_row(a, table.series(SeriesId(i)).and_then(|h| backtest(h, HOLDOUT_DAYS))))
        .collect();
    let now = now_rfc3339();
    let t3 = worker::Date::now().as_millis();
    let mut statements = alerts::write(&db, shop_id, &opened, &updated, &changes.to_resolve, &now)?;
    statements.extend(forecasts::write_forecasts(&db, shop_id, &today.to_string(), &forecast_rows, &now)?);
    if !opened.is_empty() {
        // The opened alerts' channel deliveries land with them (stamped with this run's `now`).
        statements.push(super::repo::channels::enqueue_opened(&db, shop_id, &now)?);
    }
    batch(&db, statements).await?;
    if !opened.is_empty() && super::repo::channels::any_enabled(&db, shop_id).await? {
        super::channels::queue(env, shop_id, 0).await?;
    }
    let t4 = worker::Date::now().as_millis();
    Ok(Summary {
        positions: rows.len(),
        opened: opened.len(),
        updated: updated.len(),
        resolved: changes.to_resolve.len(),
        read_ms: read_ms + (t2 - t1) as f64,
        engine_ms: (t1 - t0) as f64 - read_ms + (t3 - t2) as f64,
        write_ms: (t4 - t3) as f64,
    })
}

/// The day's forecast row for a position: what the variant page charts, with the forecast
/// error over the last 28 days (`None` when the history is too short to score).
fn forecast_row(a: &Assessment, bt: Option<VariantBacktest>) -> forecasts::ForecastRow {
    let name = |v: serde_json::Result<serde_json::Value>| v.ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
    let finite = |x: f64| if x.is_finite() { Some(x) } else { None };
    let e = &a.explanation;
    forecasts::ForecastRow {
        variant_id: a.variant_id,
        location_id: a.location_id,
        velocity: e.velocity,
        sigma_daily: e.sigma_daily,
        on_hand: e.on_hand,
        days_of_cover: e.days_of_cover.and_then(finite),
        safety_stock: e.safety_stock,
        reorder_point: e.reorder_point,
        pattern: name(serde_json::to_value(e.demand_pattern)),
        method: name(serde_json::to_value(e.method)),
        mase: bt.and_then(|b| finite(b.mase)),
        naive_mase: bt.and_then(|b| finite(b.naive30_mase)),
        scored_days: bt.map_or(0, |b| b.scored_days),
    }
}
