//! Recalculating a shop's alerts with the engine (`domain::engine`): three reads (stock
//! positions, sales history, live alerts), the pure assessment and backtest, one batched
//! write of the alert changes and the day's forecast rows.

use super::context::{db, internal, now_rfc3339};
use super::d1::batch;
use super::repo::{alerts, forecasts, settings};
use crate::error::AppError;
use chrono::{Days, NaiveDate};
use domain::engine::{
    assess_all, backtest, reconcile, AlertKey, AlertState, Assessment, DayRow, EngineConfig, ExistingAlert, HistoryTable,
    Position, SeriesId, SupplyOverrides, VariantBacktest, HOLDOUT_DAYS,
};
use domain::RiskKind;
use std::collections::HashMap;

/// Days of history behind each assessment: enough for the 90-day velocity blend and the
/// 26 weeks the smoothing rate is fitted on.
pub const HISTORY_DAYS: u64 = 182;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub positions: usize,
    pub opened: usize,
    pub updated: usize,
    pub resolved: usize,
}

impl Summary {
    pub fn rows(&self) -> i64 {
        (self.opened + self.updated + self.resolved) as i64
    }
}

/// The engine's assessment of every position of the shop (or of `variants`), with the
/// rows they came from and their history (series `i` ↔ row `i`), in the same order.
pub async fn assess_shop(
    db: &worker::D1Database,
    shop_id: i64,
    variants: Option<&[i64]>,
    today: NaiveDate,
) -> Result<(Vec<alerts::PositionRow>, Vec<Assessment>, HistoryTable), AppError> {
    let settings = settings::get(db, shop_id).await?;
    let cfg = EngineConfig::from(&settings);
    let rows = alerts::positions(db, shop_id, variants).await?;
    let end = today.checked_sub_days(Days::new(1)).unwrap_or(today);
    let start = end.checked_sub_days(Days::new(HISTORY_DAYS - 1)).unwrap_or(end);
    let history = alerts::history(db, shop_id, &start.to_string(), variants).await?;

    let mut table = HistoryTable::with_capacity(start, end, rows.len()).map_err(|e| internal("history window", e))?;
    let mut series = HashMap::with_capacity(rows.len());
    let positions: Vec<Position> = rows
        .iter()
        .map(|r| {
            series.insert((r.variant_id, r.location_id), table.add_series());
            Position {
                variant_id: r.variant_id,
                location_id: r.location_id,
                on_hand: r.on_hand,
                incoming: r.incoming,
                price_cents: r.price_cents,
                cost_cents: r.cost_cents,
                tracked: true,
                supply: SupplyOverrides::default(),
                yearly_factor: r.yearly_factor,
            }
        })
        .collect();
    for h in &history {
        let (Some(id), Ok(day)) = (series.get(&(h.variant_id, h.location_id)), h.day.parse::<NaiveDate>()) else { continue };
        // Today's partial day and days outside the window are not history.
        let row = DayRow { day, units_sold: h.units_sold, units_returned: h.units_returned, out_of_stock: h.out_of_stock != 0 };
        let _ = table.record(*id, &row);
    }
    let assessments = assess_all(&positions, &table, &cfg, today).map_err(|e| internal("engine", e))?;
    Ok((rows, assessments, table))
}

/// Recalculates `shop_id` (all variants, or only `variants`) as of `today` (shop-local).
pub async fn recalculate(env: &worker::Env, shop_id: i64, variants: Option<&[i64]>, today: NaiveDate) -> Result<Summary, AppError> {
    let db = db(env)?;
    let (rows, assessments, table) = assess_shop(&db, shop_id, variants, today).await?;

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
    let mut statements = alerts::write(&db, shop_id, &opened, &updated, &changes.to_resolve, &now)?;
    statements.extend(forecasts::write_forecasts(&db, shop_id, &today.to_string(), &forecast_rows, &now)?);
    batch(&db, statements).await?;
    Ok(Summary { positions: rows.len(), opened: opened.len(), updated: updated.len(), resolved: changes.to_resolve.len() })
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
