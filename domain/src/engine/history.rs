//! Daily demand history, columnar: one `u16` of net units and one stockout flag per day,
//! contiguous per variant × location, so the forecaster reads a year of a variant from
//! two small arrays (~1 KB) without allocating.

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// Longest history the engine reads (ten years); longer windows are a caller bug.
pub const MAX_HISTORY_DAYS: usize = 3_660;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HistoryError {
    #[error("history window ends ({end}) before it starts ({start})")]
    EmptyWindow { start: NaiveDate, end: NaiveDate },
    #[error("history window of {0} days is longer than {MAX_HISTORY_DAYS}")]
    TooLong(usize),
    #[error("{units} days of units but {stockout} days of stockout flags")]
    LengthMismatch { units: usize, stockout: usize },
    #[error("day {0} is outside the history window")]
    DayOutsideWindow(NaiveDate),
    #[error("no series {0} in the history table")]
    NoSuchSeries(usize),
}

/// One `daily_sales` row: a shop-local day with sales, returns or a stockout. Days without
/// a row are in stock with no demand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayRow {
    #[serde(deserialize_with = "crate::dates::ymd")]
    pub day: NaiveDate,
    pub units_sold: i64,
    pub units_returned: i64,
    /// At zero stock that day: the day's demand was not (fully) observed.
    pub out_of_stock: bool,
}

/// A day's demand: sales net of returns and refunds. A refund larger than the day's sales
/// (returns of older orders) is zero demand, not negative demand — the return is stock
/// coming back, not customers un-wanting the product. Saturates at `u16::MAX`.
pub fn net_units(sold: i64, returned: i64) -> u16 {
    let net = sold.max(0).saturating_sub(returned.max(0));
    u16::try_from(net.max(0)).unwrap_or(u16::MAX)
}

/// A borrowed view of one variant × location's daily history, oldest day first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct History<'a> {
    start: NaiveDate,
    units: &'a [u16],
    stockout: &'a [bool],
}

impl<'a> History<'a> {
    pub fn new(start: NaiveDate, units: &'a [u16], stockout: &'a [bool]) -> Result<Self, HistoryError> {
        if units.len() != stockout.len() {
            return Err(HistoryError::LengthMismatch { units: units.len(), stockout: stockout.len() });
        }
        if units.len() > MAX_HISTORY_DAYS {
            return Err(HistoryError::TooLong(units.len()));
        }
        Ok(Self { start, units, stockout })
    }

    pub fn start(&self) -> NaiveDate {
        self.start
    }
    pub fn units(&self) -> &'a [u16] {
        self.units
    }
    pub fn stockout(&self) -> &'a [bool] {
        self.stockout
    }
    pub fn len(&self) -> usize {
        self.units.len()
    }
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }
    /// Monday = 0 of the first day.
    pub fn start_weekday(&self) -> usize {
        self.start.weekday().num_days_from_monday() as usize
    }
    /// The date of day `i` of the window (None past the calendar's end).
    pub fn date(&self, i: usize) -> Option<NaiveDate> {
        self.start.checked_add_days(Days::new(i as u64))
    }
    /// The first `days` days, for backtests.
    pub fn truncate(&self, days: usize) -> Self {
        let n = days.min(self.len());
        Self { start: self.start, units: &self.units[..n], stockout: &self.stockout[..n] }
    }
}

/// Histories of many variant × location series over one shared window, stored as two
/// flat columns (`series × days`). Build it from `daily_sales` rows with `add_series` and
/// `record` (or `fill_compact`); read a series with `series`.
///
/// **History begins somewhere.** Each series has a first observed day (`set_first_day`;
/// by default the window's first day). Days before it are unknown — the product was not
/// on sale yet, or its sales were never imported — not in-stock days without demand, so
/// `series` returns the history from that day on and the forecast, weekday indices,
/// backtest and yearly factor never read them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryTable {
    start: NaiveDate,
    days: usize,
    units: Vec<u16>,
    stockout: Vec<bool>,
    /// Per series: offset of its first observed day (0 = the whole window).
    first: Vec<u32>,
}

/// Index of a series in a `HistoryTable` (its position in insertion order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SeriesId(pub usize);

impl HistoryTable {
    /// A table for the inclusive window `start..=end` (shop-local dates). The window should
    /// end on the last complete local day, i.e. yesterday.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Self, HistoryError> {
        Self::with_capacity(start, end, 0)
    }

    pub fn with_capacity(start: NaiveDate, end: NaiveDate, series: usize) -> Result<Self, HistoryError> {
        let span = end.signed_duration_since(start).num_days();
        if span < 0 {
            return Err(HistoryError::EmptyWindow { start, end });
        }
        let days = usize::try_from(span + 1).unwrap_or(usize::MAX);
        if days > MAX_HISTORY_DAYS {
            return Err(HistoryError::TooLong(days));
        }
        let cells = days.saturating_mul(series);
        Ok(Self { start, days, units: Vec::with_capacity(cells), stockout: Vec::with_capacity(cells), first: Vec::with_capacity(series) })
    }

    /// A table from ready-made columns (`series × days`, series-major), for callers that
    /// aggregate days themselves. Units must already be net of returns (`net_units`).
    pub fn from_columns(start: NaiveDate, days: usize, units: Vec<u16>, stockout: Vec<bool>) -> Result<Self, HistoryError> {
        if days > MAX_HISTORY_DAYS {
            return Err(HistoryError::TooLong(days));
        }
        if units.len() != stockout.len() || (days == 0 && !units.is_empty()) || (days > 0 && !units.len().is_multiple_of(days)) {
            return Err(HistoryError::LengthMismatch { units: units.len(), stockout: stockout.len() });
        }
        let series = units.len().checked_div(days).unwrap_or(0);
        Ok(Self { start, days, units, stockout, first: vec![0; series] })
    }

    pub fn start(&self) -> NaiveDate {
        self.start
    }
    pub fn days(&self) -> usize {
        self.days
    }
    pub fn len(&self) -> usize {
        self.units.len().checked_div(self.days).unwrap_or(0)
    }
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// Appends a series with every day in stock and no demand, observed over the whole
    /// window (until `set_first_day` says otherwise).
    pub fn add_series(&mut self) -> SeriesId {
        let id = SeriesId(self.len());
        self.units.resize(self.units.len() + self.days, 0);
        self.stockout.resize(self.stockout.len() + self.days, false);
        self.first.push(0);
        id
    }

    /// Sets the first observed day of a series: days before it are unknown and left out of
    /// `series`. A day before the window keeps the whole window; a day after it leaves the
    /// series empty (nothing observed yet).
    pub fn set_first_day(&mut self, id: SeriesId, day: NaiveDate) -> Result<(), HistoryError> {
        let offset = day.signed_duration_since(self.start).num_days().clamp(0, self.days as i64);
        let slot = self.first.get_mut(id.0).ok_or(HistoryError::NoSuchSeries(id.0))?;
        *slot = u32::try_from(offset).unwrap_or(0);
        Ok(())
    }

    /// Offset of a series' first observed day from `start` (0 for an unknown series).
    pub fn first_offset(&self, id: SeriesId) -> usize {
        self.first.get(id.0).map_or(0, |&f| f as usize)
    }

    /// Fills a series from its compact `daily_sales` record (`parse_compact`) and sets its
    /// first observed day: what the nightly recalculation and the weekly refit both do
    /// with each row of `history_compact`. Days outside the window are ignored.
    pub fn fill_compact(&mut self, id: SeriesId, days: &str, first_day: Option<NaiveDate>) -> Result<(), HistoryError> {
        if id.0 >= self.len() {
            return Err(HistoryError::NoSuchSeries(id.0));
        }
        for (offset, units, out) in parse_compact(days, self.start) {
            self.set(id, offset, units, out)?;
        }
        match first_day {
            Some(day) => self.set_first_day(id, day),
            None => Ok(()),
        }
    }

    /// Sets one day of a series from its `daily_sales` row (one row per day: a second row
    /// for the same day replaces the first).
    pub fn record(&mut self, id: SeriesId, row: &DayRow) -> Result<(), HistoryError> {
        let offset = row.day.signed_duration_since(self.start).num_days();
        let day = usize::try_from(offset).ok().filter(|&d| d < self.days).ok_or(HistoryError::DayOutsideWindow(row.day))?;
        let cell = id.0.checked_mul(self.days).map(|c| c + day).filter(|&c| c < self.units.len());
        let cell = cell.ok_or(HistoryError::NoSuchSeries(id.0))?;
        self.units[cell] = net_units(row.units_sold, row.units_returned);
        self.stockout[cell] = row.out_of_stock;
        Ok(())
    }

    /// Sets day `offset` (0 = `start`) of a series from a compact history record (see
    /// `parse_compact`); days past the window are ignored, as `record` refuses them.
    pub fn set(&mut self, id: SeriesId, offset: usize, units: u16, stockout: bool) -> Result<(), HistoryError> {
        if offset >= self.days {
            return Ok(());
        }
        let cell = id.0.checked_mul(self.days).map(|c| c + offset).filter(|&c| c < self.units.len());
        let cell = cell.ok_or(HistoryError::NoSuchSeries(id.0))?;
        self.units[cell] = units;
        self.stockout[cell] = stockout;
        Ok(())
    }

    /// A series from its first observed day to the window's end.
    pub fn series(&self, id: SeriesId) -> Option<History<'_>> {
        let first = (*self.first.get(id.0)? as usize).min(self.days);
        let row = id.0.checked_mul(self.days)?;
        let (from, to) = (row.checked_add(first)?, row.checked_add(self.days)?);
        let start = self.start.checked_add_days(Days::new(first as u64))?;
        Some(History { start, units: self.units.get(from..to)?, stockout: self.stockout.get(from..to)? })
    }

    /// The whole window of a series, days before its first observed day included (as
    /// zeros), for callers that align several series day by day (`seasonal::pool`).
    pub fn window(&self, id: SeriesId) -> Option<History<'_>> {
        let from = id.0.checked_mul(self.days)?;
        let to = from.checked_add(self.days)?;
        Some(History { start: self.start, units: self.units.get(from..to)?, stockout: self.stockout.get(from..to)? })
    }
}

/// A series' days as one string, `YYYY-MM-DD,net,out;…` — what SQLite's `group_concat`
/// returns for a series, so a shop's history crosses from D1 as one row per series instead
/// of one per day. Yields (offset from `start`, net units, stockout); malformed entries and
/// days before `start` are skipped; net units saturate at `u16::MAX`.
pub fn parse_compact(s: &str, start: NaiveDate) -> impl Iterator<Item = (usize, u16, bool)> + '_ {
    s.split(';').filter_map(move |entry| {
        let mut f = entry.split(',');
        let day = parse_day(f.next()?.trim())?;
        let offset = usize::try_from(day.signed_duration_since(start).num_days()).ok()?;
        let net: i64 = f.next()?.trim().parse().ok()?;
        let out = f.next()?.trim() == "1";
        Some((offset, u16::try_from(net.max(0)).unwrap_or(u16::MAX), out))
    })
}

/// `YYYY-MM-DD` without the format machinery: this runs once per day of history.
fn parse_day(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<u32>().ok();
    NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_days_parse_and_fill_a_table() {
        let start = d(2026, 1, 1);
        let parsed: Vec<_> =
            parse_compact("2026-01-01,3,0;2026-01-03,0,1;x,1,0;2025-12-31,2,0;2026-01-06,-4,0;2026-01-07,70000,0;2026-02-30,1,0;", start)
                .collect();
        assert_eq!(parsed, vec![(0, 3, false), (2, 0, true), (5, 0, false), (6, u16::MAX, false)]);
        let mut t = HistoryTable::new(start, d(2026, 1, 6)).unwrap();
        let id = t.add_series();
        for (o, u, out) in parse_compact("2026-01-01,3,0;2026-01-03,0,1;2026-01-10,5,0", start) {
            t.set(id, o, u, out).unwrap();
        }
        let h = t.series(id).unwrap();
        assert_eq!(h.units(), &[3, 0, 0, 0, 0, 0]);
        assert_eq!(h.stockout(), &[false, false, true, false, false, false]);
        assert!(t.set(SeriesId(7), 0, 1, false).is_err());
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn returns_net_out_and_never_go_negative() {
        assert_eq!(net_units(5, 2), 3);
        assert_eq!(net_units(1, 4), 0); // refund of an older order
        assert_eq!(net_units(-3, 0), 0);
        assert_eq!(net_units(3, -7), 3);
        assert_eq!(net_units(1_000_000, 0), u16::MAX);
        assert_eq!(net_units(i64::MAX, i64::MIN), u16::MAX);
    }

    #[test]
    fn rows_land_on_their_day_across_a_leap_day() {
        // 2024-02-27 ..= 2024-03-02 is five days because of 29 February.
        let mut t = HistoryTable::new(d(2024, 2, 27), d(2024, 3, 2)).unwrap();
        assert_eq!(t.days(), 5);
        let a = t.add_series();
        let b = t.add_series();
        let row = |day, sold, returned, out| DayRow { day, units_sold: sold, units_returned: returned, out_of_stock: out };
        t.record(a, &row(d(2024, 2, 29), 4, 1, false)).unwrap();
        t.record(b, &row(d(2024, 3, 1), 2, 9, true)).unwrap();
        assert_eq!(t.series(a).unwrap().units(), &[0, 0, 3, 0, 0]);
        assert_eq!(t.series(b).unwrap().units(), &[0, 0, 0, 0, 0]);
        assert_eq!(t.series(b).unwrap().stockout(), &[false, false, false, true, false]);
        assert_eq!(t.series(a).unwrap().date(2), Some(d(2024, 2, 29)));
        assert_eq!(t.record(a, &row(d(2024, 3, 3), 1, 0, false)), Err(HistoryError::DayOutsideWindow(d(2024, 3, 3))));
        assert_eq!(t.record(a, &row(d(2024, 2, 26), 1, 0, false)), Err(HistoryError::DayOutsideWindow(d(2024, 2, 26))));
        assert_eq!(t.record(SeriesId(2), &row(d(2024, 2, 28), 1, 0, false)), Err(HistoryError::NoSuchSeries(2)));
        assert!(t.series(SeriesId(2)).is_none());
        assert_eq!(t.len(), 2);
    }

    #[test]
    fn bad_windows_are_errors() {
        assert!(matches!(HistoryTable::new(d(2024, 3, 2), d(2024, 3, 1)), Err(HistoryError::EmptyWindow { .. })));
        assert!(HistoryTable::from_columns(d(2024, 1, 1), 3, vec![0; 7], vec![false; 7]).is_err());
        assert!(HistoryTable::from_columns(d(2024, 1, 1), 0, vec![0; 3], vec![false; 3]).is_err());
        let t = HistoryTable::from_columns(d(2024, 1, 1), 3, vec![1, 2, 3, 4, 5, 6], vec![false; 6]).unwrap();
        assert_eq!((t.len(), t.series(SeriesId(1)).unwrap().units()), (2, &[4u16, 5, 6][..]));
        assert!(matches!(HistoryTable::new(d(2000, 1, 1), d(2024, 1, 1)), Err(HistoryError::TooLong(_))));
        assert_eq!(History::new(d(2024, 1, 1), &[1, 2], &[false]), Err(HistoryError::LengthMismatch { units: 2, stockout: 1 }));
    }
}
