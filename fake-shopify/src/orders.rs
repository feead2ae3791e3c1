//! Orders behind the demo history: the daily sales of `catalog::generate` cut into orders of
//! one to three line items with timestamps during opening hours, and the day's returns as
//! refunds on that day's orders. Summing the orders back per variant × location × day gives
//! exactly the generator's `units_sold` and `units_returned`. Deterministic in `(shop, seed)`.

use crate::catalog::Shop;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, HashMap, VecDeque};

pub const FIRST_ORDER_ID: i64 = 5_500_000_000_000;
/// Orders created while the fake runs (simulated sales) are numbered from here.
pub const FIRST_LIVE_ORDER_ID: i64 = 5_600_000_000_000;
pub const FIRST_LINE_ID: i64 = 13_000_000_000_000;
pub const FIRST_LIVE_LINE_ID: i64 = 13_500_000_000_000;
pub const FIRST_REFUND_ID: i64 = 930_000_000_000;

#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    pub id: i64,
    pub number: i64,
    pub created_at: DateTime<Utc>,
    pub location_id: i64,
    pub lines: Vec<Line>,
    pub refund: Option<Refund>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub id: i64,
    pub variant_id: i64,
    pub quantity: i64,
    pub returned: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Refund {
    pub id: i64,
    pub created_at: DateTime<Utc>,
}

/// A day's sales at one location: (variant, units sold, units returned).
type DaySales = Vec<(i64, i64, i64)>;

struct Draft {
    created_at: DateTime<Utc>,
    location_id: i64,
    lines: Vec<(i64, i64, i64)>, // variant, quantity, returned
}

/// All historic orders of `shop`, oldest first.
pub fn synthesise(shop: &Shop, seed: u64) -> Vec<Order> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x000b_de45_a1e5_u64);
    let mut groups: BTreeMap<(NaiveDate, i64), DaySales> = BTreeMap::new();
    for s in &shop.sales {
        if s.units_sold > 0 {
            groups.entry((s.day, s.location_id)).or_default().push((s.variant_id, s.units_sold, s.units_returned));
        }
    }
    let open = NaiveTime::from_hms_opt(8, 0, 0).unwrap_or(NaiveTime::MIN);
    let mut drafts: Vec<Draft> = Vec::new();
    for ((day, location_id), mut rows) in groups {
        rows.sort_unstable();
        let start = drafts.len();
        let mut queue: VecDeque<(i64, i64)> = {
            let mut v: Vec<(i64, i64)> = rows.iter().map(|&(variant, sold, _)| (variant, sold)).collect();
            v.shuffle(&mut rng);
            v.into()
        };
        while !queue.is_empty() {
            let want = rng.random_range(1..=3usize).min(queue.len());
            let mut lines = Vec::with_capacity(want);
            let mut leftovers = Vec::new();
            for _ in 0..want {
                let Some((variant, units)) = queue.pop_front() else { break };
                let q = units.min(if rng.random_bool(0.25) { 2 } else { 1 });
                lines.push((variant, q, 0));
                if units > q {
                    leftovers.push((variant, units - q));
                }
            }
            queue.extend(leftovers);
            let secs = rng.random_range(0..14 * 3600);
            let created_at = day.and_time(open).and_utc() + Duration::seconds(secs);
            drafts.push(Draft { created_at, location_id, lines });
        }
        // The day's returns, on that day's orders of the same variant.
        for &(variant, _, returned) in &rows {
            let mut left = returned;
            for d in drafts[start..].iter_mut() {
                for line in d.lines.iter_mut().filter(|l| l.0 == variant) {
                    let r = left.min(line.1 - line.2);
                    line.2 += r;
                    left -= r;
                }
                if left == 0 {
                    break;
                }
            }
        }
    }
    drafts.sort_by_key(|d| d.created_at);
    let mut next_line = FIRST_LINE_ID;
    let mut next_refund = FIRST_REFUND_ID;
    drafts
        .into_iter()
        .enumerate()
        .map(|(i, d)| {
            let has_return = d.lines.iter().any(|l| l.2 > 0);
            let lines = d
                .lines
                .into_iter()
                .map(|(variant_id, quantity, returned)| {
                    next_line += 1;
                    Line { id: next_line, variant_id, quantity, returned }
                })
                .collect();
            let refund = has_return.then(|| {
                next_refund += 1;
                let end_of_day = d.created_at.date_naive().and_hms_opt(23, 59, 59).map(|t| t.and_utc()).unwrap_or(d.created_at);
                Refund { id: next_refund, created_at: (d.created_at + Duration::hours(2)).min(end_of_day) }
            });
            Order {
                id: FIRST_ORDER_ID + i as i64 + 1,
                number: 1001 + i as i64,
                created_at: d.created_at,
                location_id: d.location_id,
                lines,
                refund,
            }
        })
        .collect()
}

/// Units sold and returned per (variant, location, day), summed back from orders.
pub fn daily_totals(orders: &[Order]) -> HashMap<(i64, i64, NaiveDate), (i64, i64)> {
    let mut out: HashMap<(i64, i64, NaiveDate), (i64, i64)> = HashMap::new();
    for o in orders {
        for l in &o.lines {
            let e = out.entry((l.variant_id, o.location_id, o.created_at.date_naive())).or_default();
            e.0 += l.quantity;
            e.1 += l.returned;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::generate;

    #[test]
    fn orders_sum_back_to_the_daily_sales() {
        let end = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let shop = generate(42, end);
        let orders = synthesise(&shop, 42);
        assert_eq!(orders, synthesise(&shop, 42), "deterministic");
        let totals = daily_totals(&orders);
        let mut expected = 0;
        for s in shop.sales.iter().filter(|s| s.units_sold > 0) {
            expected += 1;
            assert_eq!(totals.get(&(s.variant_id, s.location_id, s.day)), Some(&(s.units_sold, s.units_returned)), "{s:?}");
        }
        assert_eq!(totals.len(), expected);
        assert!(orders.windows(2).all(|w| w[0].created_at <= w[1].created_at && w[0].id < w[1].id));
        assert!(orders.iter().all(|o| (1..=3).contains(&o.lines.len())));
        assert!(orders.iter().any(|o| o.lines.len() > 1));
        for o in orders.iter().filter(|o| o.refund.is_some()) {
            let r = o.refund.as_ref().unwrap();
            assert!(r.created_at >= o.created_at && r.created_at.date_naive() == o.created_at.date_naive());
        }
    }
}
