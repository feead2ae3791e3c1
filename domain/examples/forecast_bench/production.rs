//! The engine's production path on one series, exactly as the Worker runs it: `daily_sales`
//! rows, the Sunday refit (`app/src/server/seasonal.rs`) and the nightly `assess_all` with
//! the stored pattern (`app/src/server/recalc.rs`).

use crate::generator::Series;
use chrono::{Datelike, Days, NaiveDate};
use domain::engine::{
    assess_all, history_window, long_runs, refit_variant, Assessment, EngineConfig, Forecast, History, HistoryTable, LongRun, Position,
    SeasonalPattern, SupplyOverrides, NIGHTLY_HISTORY_DAYS, REFIT_HISTORY_DAYS,
};
use std::fmt::Write as _;
use std::time::Instant;

/// The Sunday refit whose stored factor the nightly run of `today` reads: the nightly cron
/// (02:00) runs before the refit (03:00 Sunday), so on a Sunday it is last week's.
pub(super) fn last_refit(today: NaiveDate) -> NaiveDate {
    let back = match today.weekday().num_days_from_sunday() {
        0 => 7,
        n => n,
    };
    today - Days::new(u64::from(back))
}

/// A `daily_sales` row: day, net units, out of stock.
pub(super) type DayRowT = (NaiveDate, u16, bool);

/// One series' `daily_sales` rows (day, net units, out of stock), oldest first, and its
/// first observed day by the `history_compact` rule.
pub(super) struct Rows<'a> {
    pub(super) rows: &'a [(NaiveDate, u16, bool)],
    pub(super) first_day: Option<NaiveDate>,
}

impl Rows<'_> {
    /// The `history_compact` string of the rows in `from..=to`, `None` without any (the
    /// query returns no row for the series then).
    fn compact(&self, from: NaiveDate, to: NaiveDate) -> Option<String> {
        let mut s = String::new();
        for &(d, u, o) in self.rows.iter().filter(|r| r.0 >= from && r.0 <= to) {
            let _ = write!(s, "{d},{u},{};", u8::from(o));
        }
        (!s.is_empty()).then_some(s)
    }
}

/// The Sunday refit of one variant (app/src/server/seasonal.rs): its locations' series in
/// a `REFIT_HISTORY_DAYS` table, pooled by `refit_variant`.
pub(super) fn refit(refit_day: NaiveDate, locations: &[Rows<'_>]) -> Result<Stored, String> {
    let (rs, re) = history_window(refit_day, REFIT_HISTORY_DAYS);
    let mut table = HistoryTable::with_capacity(rs, re, locations.len()).map_err(|e| e.to_string())?;
    let mut ids = Vec::with_capacity(locations.len());
    for l in locations {
        let id = table.add_series();
        if let Some(c) = l.compact(rs, re) {
            table.fill_compact(id, &c, l.first_day).map_err(|e| e.to_string())?;
        }
        ids.push(id);
    }
    let (mut u, mut o) = (Vec::new(), Vec::new());
    Ok(Stored { pattern: refit_variant(&table, &ids, &mut u, &mut o), long_run: long_runs(&table, &ids) })
}

/// What the refit stores for a variant: its pattern and each location's `LongRun`.
pub(super) struct Stored {
    pub(super) pattern: SeasonalPattern,
    long_run: Vec<Option<LongRun>>,
}

impl Stored {
    pub(super) fn at(&self, location: usize) -> (Option<&SeasonalPattern>, Option<LongRun>) {
        (Some(&self.pattern), self.long_run.get(location).copied().flatten())
    }
}

/// The nightly recalculation of one series (app/src/server/recalc.rs): its
/// `NIGHTLY_HISTORY_DAYS` table and `assess_all` with the stored pattern.
pub(super) fn nightly(
    today: NaiveDate,
    rows: &Rows<'_>,
    stored: (Option<&SeasonalPattern>, Option<LongRun>),
    cfg: &EngineConfig,
) -> Result<Forecast, String> {
    let stock = Stock { on_hand: 100, incoming: 0, supply: SupplyOverrides::default() };
    Ok(nightly_assess(today, rows, stored, cfg, &stock)?.forecast)
}

/// A position's stock and supply, for the nightly assessment.
pub(super) struct Stock {
    pub(super) on_hand: i64,
    pub(super) incoming: i64,
    pub(super) supply: SupplyOverrides,
}

pub(super) fn nightly_assess(
    today: NaiveDate,
    rows: &Rows<'_>,
    (stored, long_run): (Option<&SeasonalPattern>, Option<LongRun>),
    cfg: &EngineConfig,
    stock: &Stock,
) -> Result<Assessment, String> {
    let (ns, ne) = history_window(today, NIGHTLY_HISTORY_DAYS);
    let mut table = HistoryTable::with_capacity(ns, ne, 1).map_err(|e| e.to_string())?;
    let id = table.add_series();
    if let Some(c) = rows.compact(ns, ne) {
        table.fill_compact(id, &c, rows.first_day).map_err(|e| e.to_string())?;
    }
    let position = Position {
        variant_id: 1,
        location_id: 1,
        on_hand: stock.on_hand,
        incoming: stock.incoming,
        price_cents: 1_000,
        cost_cents: 500,
        tracked: true,
        supply: stock.supply,
        limits: Default::default(),
        yearly_factor: stored.map(|p| p.yearly),
        day_of_week: stored.map(|p| p.day_of_week),
        long_run,
        arrival: None,
    };
    let assessed = assess_all(&[position], &table, cfg, today).map_err(|e| e.to_string())?;
    assessed.into_iter().next().ok_or_else(|| "no assessment".into())
}

/// What the engine forecast for one series, and how long the production path took.
pub(super) struct EngineRun {
    pub(super) forecast: Forecast,
    /// The refit's stored pattern (`None`: no row, the series did not exist yet).
    pub(super) pattern: Option<SeasonalPattern>,
    /// The engine fitted on the whole observed history at once (a diagnostic, not production).
    pub(super) full: Forecast,
    pub(super) micros: f64,
}

pub(super) fn production_path(s: &Series, cfg: &EngineConfig) -> Result<EngineRun, String> {
    let t0 = Instant::now();
    let first = s.first_day();
    let rows: Vec<(NaiveDate, u16, bool)> =
        s.row_days().map(|t| (s.start + Days::new(t as u64), u16::try_from(s.sales[t]).unwrap_or(u16::MAX), s.out[t])).collect();
    let rows = Rows { rows: &rows, first_day: first };
    let refit_day = last_refit(s.today);
    let (_, refit_end) = history_window(refit_day, REFIT_HISTORY_DAYS);
    // The variant has a stock level (so a stored pattern) once the shop had it at the refit.
    let stored = if s.import_first.max(s.start) <= refit_end { Some(refit(refit_day, std::slice::from_ref(&rows))?) } else { None };
    let forecast = nightly(s.today, &rows, stored.as_ref().map_or((None, None), |p| p.at(0)), cfg)?;
    let pattern = stored.map(|s| s.pattern);
    let micros = t0.elapsed().as_secs_f64() * 1e6;

    // Diagnostic: the engine on all observed history in one fit.
    let units: Vec<u16> = s.sales.iter().map(|&u| u16::try_from(u).unwrap_or(u16::MAX)).collect();
    let skip = first.map_or(s.days(), |f| usize::try_from((f - s.start).num_days()).unwrap_or(0).min(s.days()));
    let full_start = s.start + Days::new(skip as u64);
    let full = Forecast::fit(History::new(full_start, &units[skip..], &s.out[skip..]).map_err(|e| e.to_string())?);
    Ok(EngineRun { forecast, pattern, full, micros })
}
