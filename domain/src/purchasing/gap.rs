//! Stock gaps: stock on order counts at its expected arrival, not today. A variant whose
//! stock runs out before the next delivery lands has a gap — days of demand that cannot be
//! served, and the revenue lost in them — even though "on hand + incoming" looks healthy.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// Units expected at a location on a day (from a purchase order or a transfer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arrival {
    pub date: NaiveDate,
    pub units: u32,
}

/// The first stretch of days without stock before a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StockGap {
    /// The first day demand goes unserved.
    pub from: NaiveDate,
    /// The day the delivery that ends it lands (the gap's last day is the day before).
    pub until: NaiveDate,
    /// Forecast units not served in between.
    pub units_short: f64,
    pub lost_revenue_cents: i64,
}

/// Walks the days from `today`, selling each day's forecast (`demand(day)`, units) from
/// stock and adding each arrival at the start of its day, and returns the first gap that a
/// later arrival ends — a shortfall with nothing on its way is an ordinary stockout, for
/// the reorder alerts. Arrivals dated before today count today (overdue, still expected).
/// Looks at most `horizon_days` ahead.
pub fn first_gap(
    on_hand: i64,
    arrivals: &[Arrival],
    today: NaiveDate,
    horizon_days: u32,
    price_cents: i64,
    demand: impl Fn(NaiveDate) -> f64,
) -> Option<StockGap> {
    let mut arrivals: Vec<Arrival> = arrivals.iter().map(|a| Arrival { date: a.date.max(today), units: a.units }).collect();
    arrivals.sort_by_key(|a| a.date);
    let last_arrival = arrivals.last()?.date;
    let mut stock = on_hand.max(0) as f64;
    let mut gap: Option<(NaiveDate, f64)> = None;
    for d in 0..horizon_days {
        let day = today.checked_add_days(Days::new(u64::from(d)))?;
        if day > last_arrival {
            break;
        }
        let landed: u32 = arrivals.iter().filter(|a| a.date == day).map(|a| a.units).sum();
        if landed > 0 {
            if let Some((from, short)) = gap {
                let lost = (short * price_cents.max(0) as f64).round();
                return Some(StockGap { from, until: day, units_short: short, lost_revenue_cents: lost as i64 });
            }
            stock += f64::from(landed);
        }
        let want = demand(day).max(0.0);
        if !want.is_finite() {
            continue;
        }
        if stock >= want {
            stock -= want;
        } else {
            let short = want - stock;
            stock = 0.0;
            gap = Some(gap.map_or((day, short), |(from, s)| (from, s + short)));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn stock_that_runs_out_before_the_delivery_lands_is_a_gap() {
        // 10 on hand at 2/day, 50 arriving on the 12th: dry from the 6th (day 5 sells the
        // last 2), so the 6th..11th (6 days, 12 units, $300 at $25) are lost.
        let g = first_gap(10, &[Arrival { date: d(12, 12), units: 50 }], d(12, 1), 60, 2_500, |_| 2.0).unwrap();
        assert_eq!((g.from, g.until), (d(12, 6), d(12, 12)));
        assert!((g.units_short - 12.0).abs() < 1e-9);
        assert_eq!(g.lost_revenue_cents, 30_000);
    }

    #[test]
    fn no_gap_when_stock_lasts_or_nothing_is_on_its_way() {
        // Enough to reach the delivery.
        assert_eq!(first_gap(30, &[Arrival { date: d(12, 12), units: 50 }], d(12, 1), 60, 2_500, |_| 2.0), None);
        // Nothing incoming: a plain stockout, for the reorder alerts.
        assert_eq!(first_gap(3, &[], d(12, 1), 60, 2_500, |_| 2.0), None);
        // A delivery beyond the horizon is not looked at.
        assert_eq!(first_gap(0, &[Arrival { date: d(12, 31), units: 5 }], d(12, 1), 10, 2_500, |_| 1.0), None);
    }

    #[test]
    fn an_overdue_delivery_counts_today_and_negative_stock_is_none() {
        // Ordered for last week, not here yet: expected today, so no gap today.
        assert_eq!(first_gap(-4, &[Arrival { date: d(11, 20), units: 10 }], d(12, 1), 30, 100, |_| 1.0), None);
        // Oversold, delivery in 3 days: short from today until then.
        let g = first_gap(-4, &[Arrival { date: d(12, 4), units: 10 }], d(12, 1), 30, 100, |_| 1.0).unwrap();
        assert_eq!((g.from, g.until, g.lost_revenue_cents), (d(12, 1), d(12, 4), 300));
    }
}
