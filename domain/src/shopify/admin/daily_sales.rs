//! Exported orders folded into units sold and returned per variant, location and shop-local day.

use super::OrderRecord;
use crate::engine::calendar::ShopZone;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// Units sold and returned per variant, location and day, from exported orders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayTotal {
    pub variant_id: i64,
    pub location_id: i64,
    pub day: String,
    pub units_sold: i64,
    pub units_returned: i64,
}

/// Folds orders into daily totals: cancelled orders count nothing, an order without a
/// location of its own counts at `default_location` (skipped if there is none), and
/// refunded units count as returns on the day of the (first) refund.
///
/// Days are the shop's own (`zone`, daylight saving included): GraphQL times are UTC, while webhooks
/// carry shop-local times, and both must land an order on the same day.
pub fn daily_totals(orders: &[OrderRecord], default_location: Option<i64>, zone: ShopZone) -> Vec<DayTotal> {
    let shop_day = |t: &DateTime<Utc>| zone.local_date(t.timestamp()).unwrap_or_else(|_| t.date_naive()).format("%Y-%m-%d").to_string();
    let mut days: std::collections::BTreeMap<(i64, i64, String), (i64, i64)> = Default::default();
    for o in orders.iter().filter(|o| o.cancelled_at.is_none()) {
        let Some(location) = o.location_id.or(default_location) else { continue };
        let day = shop_day(&o.created_at);
        let refund_day = o.refunds.first().map(|r| shop_day(&r.created_at));
        for li in &o.line_items {
            let Some(variant) = li.variant_id else { continue };
            days.entry((variant, location, day.clone())).or_default().0 += li.quantity.max(0);
            if li.refunded_quantity > 0 {
                let on = refund_day.clone().unwrap_or_else(|| day.clone());
                days.entry((variant, location, on)).or_default().1 += li.refunded_quantity;
            }
        }
    }
    days.into_iter()
        .map(|((variant_id, location_id, day), (units_sold, units_returned))| DayTotal {
            variant_id,
            location_id,
            day,
            units_sold,
            units_returned,
        })
        .collect()
}

#[cfg(test)]
mod daily_totals_tests {
    use super::*;
    use crate::engine::calendar::UtcOffset;
    use crate::shopify::admin::{LineItemRecord, RefundRecord};

    fn at(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339).unwrap().with_timezone(&Utc)
    }

    fn order(id: i64, created: &str, location: Option<i64>, qty: i64, refunded: i64, refund_at: Option<&str>) -> OrderRecord {
        OrderRecord {
            id,
            name: format!("#{id}"),
            created_at: at(created),
            cancelled_at: None,
            location_id: location,
            line_items: vec![LineItemRecord {
                id: id * 10,
                variant_id: Some(7),
                sku: None,
                quantity: qty,
                refunded_quantity: refunded,
                unit_price_cents: Some(1000),
            }],
            refunds: refund_at.map(|r| RefundRecord { id: id * 100, created_at: at(r) }).into_iter().collect(),
        }
    }

    fn days(rows: &[DayTotal]) -> Vec<(&str, i64, i64)> {
        rows.iter().map(|r| (r.day.as_str(), r.units_sold, r.units_returned)).collect()
    }

    #[test]
    fn orders_count_on_the_shops_own_day() {
        // 23:30 UTC on 1 March is 2 March in Auckland (+13:00) and still 1 March in New York.
        let orders = [order(1, "2028-03-01T23:30:00Z", Some(5), 2, 0, None), order(2, "2028-03-01T10:00:00Z", Some(5), 1, 0, None)];
        let utc = daily_totals(&orders, None, ShopZone::UTC);
        assert_eq!(days(&utc), [("2028-03-01", 3, 0)]);
        let auckland = daily_totals(&orders, None, UtcOffset::from_minutes(13 * 60).unwrap().into());
        assert_eq!(days(&auckland), [("2028-03-01", 1, 0), ("2028-03-02", 2, 0)]);
        // Across the date line the other way, a leap day: 05:00 UTC on 1 March is 29 February at -11:00.
        let pago =
            daily_totals(&[order(3, "2028-03-01T05:00:00Z", Some(5), 4, 0, None)], None, UtcOffset::from_minutes(-11 * 60).unwrap().into());
        assert_eq!(days(&pago), [("2028-02-29", 4, 0)]);
    }

    #[test]
    fn refunds_cancellations_and_locations() {
        let mut cancelled = order(4, "2028-01-10T12:00:00Z", Some(5), 9, 0, None);
        cancelled.cancelled_at = Some(at("2028-01-10T13:00:00Z"));
        let refunded = order(5, "2028-01-10T12:00:00Z", None, 3, 2, Some("2028-01-11T23:00:00Z"));
        let rows = daily_totals(&[cancelled.clone(), refunded.clone()], Some(8), UtcOffset::from_minutes(120).unwrap().into());
        // The cancelled order counts nothing; the location-less one counts at the default;
        // the refund lands on its own local day (01:00 on the 12th at +02:00).
        assert_eq!(rows.iter().map(|r| r.location_id).collect::<Vec<_>>(), [8, 8]);
        assert_eq!(days(&rows), [("2028-01-10", 3, 0), ("2028-01-12", 0, 2)]);
        // Without a default location, an order without one is skipped rather than misplaced.
        assert!(daily_totals(&[refunded], None, ShopZone::UTC).is_empty());
    }
}
