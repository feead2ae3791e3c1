//! The inventory engine: from daily demand history and stock positions to forecasts,
//! replenishment plans, alerts and purchase-order drafts. Pure and allocation-free per
//! variant, so a shop's whole catalogue is assessed in one call.
//!
//! How the Worker uses it, once per shop run (dates are shop-local: `local_date`):
//! 1. `HistoryTable::with_capacity(first_day, yesterday, n)`; per `inventory_levels` row
//!    `add_series()`, then for each of its `daily_sales` rows
//!    `record(id, &DayRow { day, units_sold, units_returned, out_of_stock })` (or
//!    `fill_compact` with a `history_compact` row), and `set_first_day` with the series'
//!    first observed day. Days without a row from that day on are in stock with no sale;
//!    days before it are unknown and never read.
//! 2. A `Position` per series, in the same order: `available` → `on_hand`, `incoming`,
//!    the variant's price and cost in cents, `tracked` (Shopify's inventory tracking), any
//!    per-variant `SupplyOverrides` (lead time, its deviation, review period, cover), and
//!    the last Sunday refit's `yearly_factor` and `day_of_week` (`seasonal::refit_variant`
//!    over `REFIT_HISTORY_DAYS`, the variant's locations pooled).
//! 3. `assess_all(&positions, &table, &EngineConfig::from(&settings), today)`, then
//!    `launch::apply` for series with under two weeks of history, with `launch::Peers`
//!    from the established series' paces (tonight's assessments in a whole-shop run, the
//!    last stored forecasts when only some variants are recalculated).
//! 4. `reconcile(&live_alerts, &assessments, today)` → one batched write.
//! 5. Optionally `reorder_suggestions` → `purchase_order_csv` (names from `Labels`).

pub mod alerts;
pub mod assess;
pub mod backtest;
pub mod calendar;
pub mod config;
pub mod explain;
pub mod forecast;
pub mod history;
pub mod launch;
pub mod launch_basis;
pub mod normal;
pub mod reorder;
pub mod replenishment;
pub mod seasonal;
pub mod transfers;

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;

pub use alerts::{reconcile, AlertChanges, AlertKey, AlertState, AlertUpdate, ExistingAlert, NewAlert};
pub use assess::{assess, Assessment, Condition, Explanation, Position};
pub use backtest::{backtest, VariantBacktest, HOLDOUT_DAYS};
pub use calendar::{local_date, ShopZone, UtcOffset};
pub use config::{EngineConfig, LimitOverrides, ServiceLevel, Supply, SupplyOverrides};
pub use forecast::{week_of_year_factors, DemandPattern, Forecast, ForecastMethod, LongRun};
pub use history::{parse_compact, DayRow, History, HistoryError, HistoryTable, SeriesId};
pub use reorder::{purchase_order_csv, reorder_suggestions, Labels, OrderLine, SupplierOrder};
pub use seasonal::{history_window, long_runs, pool, refit_variant, SeasonalPattern, NIGHTLY_HISTORY_DAYS, REFIT_HISTORY_DAYS};
pub use transfers::{suggest_transfers, TransferSuggestion};

use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    #[error("{positions} positions but {series} history series")]
    LengthMismatch { positions: usize, series: usize },
}

/// Assesses every position against its history series (`positions[i]` ↔ series `i`).
/// Output is in input order; one allocation for the result, none per variant.
pub fn assess_all(
    positions: &[Position],
    table: &HistoryTable,
    cfg: &EngineConfig,
    today: NaiveDate,
) -> Result<Vec<Assessment>, EngineError> {
    if positions.len() != table.len() {
        return Err(EngineError::LengthMismatch { positions: positions.len(), series: table.len() });
    }
    let mut out = Vec::with_capacity(positions.len());
    for (i, p) in positions.iter().enumerate() {
        let history = table.series(SeriesId(i)).ok_or(EngineError::LengthMismatch { positions: positions.len(), series: table.len() })?;
        out.push(assess(p, history, cfg, today));
    }
    Ok(out)
}
