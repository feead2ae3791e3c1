//! Recalculating a shop's alerts with the engine (`domain::engine`): three reads (stock
//! positions, sales history, live alerts), the pure assessment, one batched write.

use super::context::{db, internal, now_rfc3339};
use super::d1::batch;
use super::repo::{alerts, settings};
use crate::error::AppError;
use chrono::{Days, NaiveDate};
use domain::engine::{
    assess_all, reconcile, AlertKey, AlertState, DayRow, EngineConfig, ExistingAlert, HistoryTable, Position, SupplyOverrides,
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
/// rows they came from, in the same order.
pub async fn assess_shop(
    db: &worker::D1Database,
    shop_id: i64,
    variants: Option<&[i64]>,
    today: NaiveDate,
) -> Result<(Vec<alerts::PositionRow>, Vec<domain::engine::Assessment>), AppError> {
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
    Ok((rows, assessments))
}

/// Recalculates `shop_id` (all variants, or only `variants`) as of `today` (shop-local).
pub async fn recalculate(env: &worker::Env, shop_id: i64, variants: Option<&[i64]>, today: NaiveDate) -> Result<Summary, AppError> {
    let db = db(env)?;
    let (rows, assessments) = assess_shop(&db, shop_id, variants, today).await?;

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
    let now = now_rfc3339();
    batch(&db, alerts::write(&db, shop_id, &opened, &updated, &changes.to_resolve, &now)?).await?;
    Ok(Summary { positions: rows.len(), opened: opened.len(), updated: updated.len(), resolved: changes.to_resolve.len() })
}
