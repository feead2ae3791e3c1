//! The weekly seasonal refit (Sunday 03:00 UTC): patterns learned per variant from a
//! longer history than the nightly run reads, pooled over the variant's locations.
//!
//! The nightly recalculation reads `recalc` days (half a year) to keep its reads small, which
//! is too short for the year-ago comparison behind `Forecast::yearly` (a year and four
//! weeks). The refit reads `REFIT_HISTORY_DAYS`, stores each variant's pattern, and the
//! nightly run carries the stored yearly factor into its forecasts (`Position::yearly_factor`)
//! and shrinks its own weekday indices toward the stored ones (`Position::day_of_week`).
//! Every series starts at its first observed day (`HistoryTable::set_first_day`), so a
//! product launched 12–13 months ago has no year-ago window and no factor.
//! Pooling locations gives the yearly ratio more units than any one location has, and a
//! product's season does not depend on the shelf it sits on.

use super::forecast::{week_of_year_factors, Forecast, LongRun, WEEKS};
use super::history::{History, HistoryTable, SeriesId};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// History the refit reads: a year and four weeks for the yearly factor plus four weeks
/// of margin for the weekday indices around it.
pub const REFIT_HISTORY_DAYS: u64 = 420;

/// History the nightly recalculation reads: the 26 weeks the smoothing rate is fitted on.
pub const NIGHTLY_HISTORY_DAYS: u64 = 182;

/// The window of `days` days ending yesterday (`today` is shop-local): what the nightly
/// run and the refit read.
pub fn history_window(today: NaiveDate, days: u64) -> (NaiveDate, NaiveDate) {
    let end = today.checked_sub_days(Days::new(1)).unwrap_or(today);
    let start = end.checked_sub_days(Days::new(days.max(1) - 1)).unwrap_or(end);
    (start, end)
}

/// What the refit stores for one variant (or, with variant 0, the whole shop).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeasonalPattern {
    /// Monday..Sunday multipliers, mean 1.
    pub day_of_week: [f64; 7],
    /// ISO week 1..52 multipliers for charts, mean 1; `None` with less than a year.
    pub week_of_year: Option<Vec<f64>>,
    /// The coming four weeks against the four before, a year ago (1 without enough data).
    pub yearly: f64,
    pub history_days: u32,
    pub in_stock_days: u32,
}

impl SeasonalPattern {
    /// No pattern: flat weekdays, no yearly factor.
    pub fn flat() -> Self {
        Self { day_of_week: [1.0; 7], week_of_year: None, yearly: 1.0, history_days: 0, in_stock_days: 0 }
    }

    pub fn fit(history: History<'_>) -> Self {
        let f = Forecast::fit(history);
        let week_of_year = week_of_year_factors(history, &f.day_of_week).map(|w| w.to_vec());
        debug_assert!(week_of_year.as_ref().is_none_or(|w| w.len() == WEEKS));
        Self { day_of_week: f.day_of_week, week_of_year, yearly: f.yearly, history_days: f.history_days, in_stock_days: f.in_stock_days }
    }
}

/// Sums several series of `table` day by day into `units` / `stockout` (cleared first),
/// for a variant's locations pooled, and returns the pooled history's first day: the
/// earliest first observed day among the members. A member adds nothing before its own
/// first observed day (it was not on sale there yet). A day counts as a stockout only
/// when every member observed that day was out: if any location could sell, the
/// variant's demand that day was (partly) seen. Units saturate at `u16::MAX`. With no
/// members, nothing is written and the table's start is returned.
pub fn pool(table: &HistoryTable, members: &[SeriesId], units: &mut Vec<u16>, stockout: &mut Vec<bool>) -> NaiveDate {
    units.clear();
    stockout.clear();
    let earliest = members.iter().filter(|&&id| table.window(id).is_some()).map(|&id| table.first_offset(id)).min();
    let Some(earliest) = earliest else { return table.start() };
    let len = table.days().saturating_sub(earliest);
    units.resize(len, 0);
    stockout.resize(len, true);
    for &id in members {
        let (Some(s), first) = (table.window(id), table.first_offset(id)) else { continue };
        let (u, o) = (s.units().get(first..).unwrap_or(&[]), s.stockout().get(first..).unwrap_or(&[]));
        let skip = first - earliest;
        for (p, &v) in units[skip..].iter_mut().zip(u) {
            *p = p.saturating_add(v);
        }
        for (p, &v) in stockout[skip..].iter_mut().zip(o) {
            *p &= v;
        }
    }
    table.start().checked_add_days(Days::new(earliest as u64)).unwrap_or(table.start())
}

/// The refit of one variant: its locations' series pooled (`pool`, into the caller's
/// scratch buffers) and the pattern fitted on the pooled history. What the Worker's Sunday
/// refit runs per variant, and the benchmark with it.
pub fn refit_variant(table: &HistoryTable, members: &[SeriesId], units: &mut Vec<u16>, stockout: &mut Vec<bool>) -> SeasonalPattern {
    let start = pool(table, members, units, stockout);
    // The pooled history is never longer than the table's window, so `new` accepts it.
    History::new(start, units, stockout).map_or_else(|_| SeasonalPattern::flat(), SeasonalPattern::fit)
}

/// Each member series' slow-mover demand over the refit's window (`LongRun`), from its own
/// first observed day, in `members` order: kept per location, where the nightly run fits.
pub fn long_runs(table: &HistoryTable, members: &[SeriesId]) -> Vec<Option<LongRun>> {
    members.iter().map(|&id| table.series(id).and_then(LongRun::of)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::history::DayRow;
    use chrono::Datelike;

    fn monday() -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()
    }

    #[test]
    fn pooling_sums_units_and_keeps_a_stockout_only_when_every_location_was_out() {
        let start = monday();
        let mut t = HistoryTable::new(start, start + Days::new(2)).unwrap();
        let (a, b) = (t.add_series(), t.add_series());
        let row =
            |d: u64, sold: i64, out: bool| DayRow { day: start + Days::new(d), units_sold: sold, units_returned: 0, out_of_stock: out };
        t.record(a, &row(0, 3, false)).unwrap();
        t.record(b, &row(0, 4, false)).unwrap();
        t.record(a, &row(1, 0, true)).unwrap(); // one location out, the other selling
        t.record(b, &row(1, 2, false)).unwrap();
        t.record(a, &row(2, 0, true)).unwrap(); // both out
        t.record(b, &row(2, 0, true)).unwrap();
        let (mut u, mut o) = (Vec::new(), Vec::new());
        pool(&t, &[a, b], &mut u, &mut o);
        assert_eq!(u, vec![7, 2, 0]);
        assert_eq!(o, vec![false, false, true]);
        pool(&t, &[], &mut u, &mut o);
        assert!(u.is_empty() && o.is_empty());
    }

    #[test]
    fn saturates_instead_of_wrapping() {
        let start = monday();
        let mut t = HistoryTable::new(start, start).unwrap();
        let (a, b) = (t.add_series(), t.add_series());
        for id in [a, b] {
            t.record(id, &DayRow { day: start, units_sold: 60_000, units_returned: 0, out_of_stock: false }).unwrap();
        }
        let (mut u, mut o) = (Vec::new(), Vec::new());
        pool(&t, &[a, b], &mut u, &mut o);
        assert_eq!(u, vec![u16::MAX]);
    }

    /// A product that sells twice as much in December as the rest of the year, with a
    /// weekend peak: a 420-day refit ending in late November sees the coming December in
    /// last year's data and says so, which the nightly 182-day window cannot.
    #[test]
    fn a_long_history_finds_the_coming_season_the_short_window_misses() {
        let end = NaiveDate::from_ymd_opt(2025, 11, 23).unwrap(); // a Sunday: the refit's eve
        let start = end - Days::new(REFIT_HISTORY_DAYS - 1);
        let mut units = Vec::new();
        let mut day = start;
        while day <= end {
            let base = if day.month() == 12 { 20.0 } else { 10.0 };
            let weekend = if day.weekday().num_days_from_monday() >= 5 { 1.5 } else { 0.8 };
            units.push((base * weekend) as u16);
            day = day.succ_opt().unwrap();
        }
        let out = vec![false; units.len()];
        let long = SeasonalPattern::fit(History::new(start, &units, &out).unwrap());
        assert!(long.yearly > 1.3, "yearly factor {}", long.yearly);
        assert!(long.day_of_week[5] > long.day_of_week[0] * 1.5);
        let weeks = long.week_of_year.expect("a year of history");
        assert_eq!(weeks.len(), WEEKS);
        assert!(weeks[50] > weeks[20], "December above June: {weeks:?}");

        let short_from = units.len() - 182;
        let short =
            SeasonalPattern::fit(History::new(start + Days::new(short_from as u64), &units[short_from..], &out[short_from..]).unwrap());
        assert_eq!(short.yearly, 1.0);
        assert!(short.week_of_year.is_none());
    }
}
