//! Alerts and the engine's inputs: positions, history, live alerts — each one query for
//! the whole shop (or a list of variants), and the changes written back in one batch.

use crate::error::AppError;
use crate::server::d1::{all, first, int, opt_text, prepare, text};
use domain::engine::ShopZone;
use serde::{Deserialize, Serialize};
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

fn variant_filter(variants: Option<&[i64]>) -> JsValue {
    variants.map_or(JsValue::NULL, |v| text(&serde_json::to_string(v).unwrap_or_else(|_| "[]".into())))
}

#[derive(Deserialize)]
pub struct PositionRow {
    pub variant_id: i64,
    pub product_id: i64,
    pub location_id: i64,
    pub on_hand: i64,
    pub incoming: i64,
    pub price_cents: i64,
    pub cost_cents: i64,
    pub vendor: String,
    pub sku: String,
    pub product_title: String,
    pub variant_title: String,
    pub location_name: String,
    pub yearly_factor: Option<f64>,
    /// The refit's Monday..Sunday indices, as stored (a JSON array).
    pub day_of_week: Option<String>,
    /// This location's `[mean size, ADI, mean squared size]` from the refit (JSON), if it
    /// had demand.
    #[serde(default)]
    pub long_run: Option<String>,
    /// 0 for what cannot run out (untracked, archived or draft, a gift card): no alerts.
    #[serde(default = "one")]
    pub alertable: i64,
    /// The product's type, for launch forecasts borrowed from the type (`''`: none).
    #[serde(default)]
    pub product_type: String,
    /// The series' first observed day (`first_day_sql`); `None` or `''`: unknown.
    #[serde(default)]
    pub first_day: Option<String>,
    /// The later of the variant's and product's Shopify `createdAt` (`CREATED_AT_SQL`).
    #[serde(default)]
    pub created_at: Option<String>,
    /// The earliest dated delivery the shop's sent purchase orders still await here, and
    /// its units.
    #[serde(default)]
    pub arrival_on: Option<String>,
    #[serde(default)]
    pub arrival_units: Option<i64>,
    /// Its supplier (the catalogue's, else its vendor's), if suppliers exist yet.
    #[serde(default)]
    pub supplier_id: Option<i64>,
    /// Its ABC class ("A", "B", "C"), once the weekly refit has classed it.
    #[serde(default)]
    pub abc: Option<String>,
    /// Its XYZ class ("X", "Y", "Z"), when it sold in enough weeks to have one.
    #[serde(default)]
    pub xyz: Option<String>,
}

fn one() -> i64 {
    1
}

impl PositionRow {
    /// The stored weekday indices, if the refit wrote valid ones.
    pub fn day_of_week(&self) -> Option<[f64; 7]> {
        self.day_of_week.as_deref().and_then(|s| serde_json::from_str(s).ok())
    }
    /// The stored long-run slow-mover demand at this location: `[mean size, ADI, mean
    /// squared size]`.
    pub fn long_run(&self) -> Option<domain::engine::LongRun> {
        let [mean_size, adi, mean_sq_size]: [f64; 3] = serde_json::from_str(self.long_run.as_deref()?).ok()?;
        Some(domain::engine::LongRun { mean_size, adi, mean_sq_size })
    }
    pub fn abc(&self) -> Option<domain::classes::Abc> {
        self.abc.as_deref().and_then(domain::classes::Abc::parse)
    }
    pub fn xyz(&self) -> Option<domain::classes::Xyz> {
        self.xyz.as_deref().and_then(domain::classes::Xyz::parse)
    }
    pub fn arrival(&self) -> Option<domain::purchasing::Arrival> {
        let date = self.arrival_on.as_deref()?.get(..10)?.parse().ok()?;
        let units = u32::try_from(self.arrival_units?).ok().filter(|u| *u > 0)?;
        Some(domain::purchasing::Arrival { date, units })
    }
    pub fn first_day(&self, zone: ShopZone) -> Option<chrono::NaiveDate> {
        first_day(self.first_day.as_deref(), self.created_at.as_deref(), zone)
    }
}

/// The later of the first observed day from SQL and the shop-local day of the Shopify
/// `createdAt`: the local day needs the zone's daylight saving, which SQLite does not know.
fn first_day(observed: Option<&str>, created_at: Option<&str>, zone: ShopZone) -> Option<chrono::NaiveDate> {
    let observed = observed.and_then(|d| d.get(..10)?.parse::<chrono::NaiveDate>().ok());
    let created = created_at.and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok()).and_then(|t| zone.local_date(t.timestamp()).ok());
    observed.max(created)
}

/// The later of a series' variant's and product's Shopify `createdAt` (RFC 3339 UTC, so the
/// text order is the time order), over the aliases `v` and `p`; `first_day` makes it a day.
pub const CREATED_AT_SQL: &str = "NULLIF(MAX(COALESCE(v.created_at, ''), COALESCE(p.created_at, '')), '')";

/// The first observed day of the series `(variant, location)` (`HistoryTable::set_first_day`),
/// as one SQL expression over `?1` (the shop) and the aliases `v` (variants) and `p`
/// (products): the latest of its first `daily_sales` row ever and the first day the shop's
/// order import covered; `first_day` then takes the later of that and the variant's and
/// product's Shopify `createdAt` as a shop-local day (`CREATED_AT_SQL`). Days before it are
/// unknown, not days without sales. One home for the rule: the nightly positions and the
/// refit's history read it alike.
pub fn first_day_sql(variant: &str, location: &str) -> String {
    format!(
        "MAX(COALESCE((SELECT MIN(f.day) FROM daily_sales f
                       WHERE f.shop_id = ?1 AND f.variant_id = {variant} AND f.location_id = {location}), ''),
             COALESCE((SELECT MIN(date(started_at, '-' || orders_days || ' days')) FROM sync_runs
                       WHERE shop_id = ?1 AND orders_days IS NOT NULL), ''))"
    )
}

pub async fn positions(db: &D1Database, shop_id: i64, variants: Option<&[i64]>) -> Result<Vec<PositionRow>, AppError> {
    let sql = include_str!("alerts.sql")
        .replace("/* first_day */", &first_day_sql("il.variant_id", "il.location_id"))
        .replace("/* created_at */", CREATED_AT_SQL);
    all(db, &sql, &[int(shop_id), variant_filter(variants)]).await
}

#[derive(Deserialize)]
pub struct SeriesDays {
    pub variant_id: i64,
    pub location_id: i64,
    /// `day,net units,stockout;…` (`engine::parse_compact`).
    pub days: String,
    /// The series' first observed day (`first_day_sql`) and its Shopify `createdAt`.
    pub first_day: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
}

impl SeriesDays {
    pub fn first_day(&self, zone: ShopZone) -> Option<chrono::NaiveDate> {
        first_day(self.first_day.as_deref(), self.created_at.as_deref(), zone)
    }
}

/// A shop's sales history since `from_day`, one row per series: SQLite folds the days into
/// a string, so a large shop's half year crosses from D1 as tens of thousands of rows, not
/// millions (and fits the Worker's memory). `+day` keeps the planner on the primary key (a
/// sequential read of the shop's rows) rather than the (shop_id, day) index, whose row
/// lookups made this read ten times slower on a 10,000-variant shop. Each series' first
/// day (`first_day_sql`, only `with_first_day`: the nightly run reads it with the
/// positions, which also cover series without sales) costs one primary-key seek (MIN over
/// the key's last column) and two more for its variant and product.
pub async fn history_compact(
    db: &D1Database,
    shop_id: i64,
    from_day: &str,
    to_day: &str,
    variants: Option<&[i64]>,
    with_first_day: bool,
) -> Result<Vec<SeriesDays>, AppError> {
    let sql = format!(
        "SELECT g.variant_id, g.location_id, g.days, {first_day} AS first_day, {created_at} AS created_at
         FROM (SELECT variant_id, location_id,
                      group_concat(day || ',' || MAX(units_sold - units_returned, 0) || ',' || out_of_stock, ';') AS days
               FROM {sales}
               GROUP BY variant_id, location_id) g {joins}",
        sales = if super::bundles::any_manual(db, shop_id).await? {
            format!("({SALES_WITH_MANUAL_BUNDLES})")
        } else {
            "daily_sales WHERE shop_id = ?1 AND +day >= ?2 AND +day <= ?3 AND (?4 IS NULL OR variant_id IN (SELECT value FROM json_each(?4)))"
                .to_string()
        },
        first_day = if with_first_day { first_day_sql("g.variant_id", "g.location_id") } else { "NULL".into() },
        created_at = if with_first_day { CREATED_AT_SQL } else { "NULL" },
        joins = if with_first_day {
            "LEFT JOIN variants v ON v.shop_id = ?1 AND v.id = g.variant_id LEFT JOIN products p ON p.shop_id = ?1 AND p.id = v.product_id"
        } else {
            ""
        }
    );
    all(db, &sql, &[int(shop_id), text(from_day), text(to_day), variant_filter(variants)]).await
}

/// A shop's daily sales over `?1` (shop), `?2`..`?3` (days), `?4` (variants or NULL), with
/// the sales of bundles on the merchant's manual list added to their components' (times the
/// quantity; Shopify's own bundles are sold as their components already). Only for a shop
/// with such bundles: regrouping the union costs a sort the plain read does not need.
const SALES_WITH_MANUAL_BUNDLES: &str = "
    SELECT variant_id, location_id, day, units_sold, units_returned, out_of_stock FROM daily_sales
    WHERE shop_id = ?1 AND +day >= ?2 AND +day <= ?3 AND (?4 IS NULL OR variant_id IN (SELECT value FROM json_each(?4)))
      AND variant_id NOT IN (SELECT component_variant_id FROM bundle_components WHERE shop_id = ?1 AND source = 'manual')
    UNION ALL
    SELECT variant_id, location_id, day, SUM(units_sold), SUM(units_returned), MAX(out_of_stock) FROM (
        SELECT d.variant_id, d.location_id, d.day, d.units_sold, d.units_returned, d.out_of_stock FROM daily_sales d
        WHERE d.shop_id = ?1 AND +d.day >= ?2 AND +d.day <= ?3
          AND d.variant_id IN (SELECT component_variant_id FROM bundle_components WHERE shop_id = ?1 AND source = 'manual')
          AND (?4 IS NULL OR d.variant_id IN (SELECT value FROM json_each(?4)))
        UNION ALL
        SELECT bc.component_variant_id, d.location_id, d.day, d.units_sold * bc.quantity, d.units_returned * bc.quantity, 0
        FROM bundle_components bc JOIN daily_sales d ON d.shop_id = bc.shop_id AND d.variant_id = bc.bundle_variant_id
        WHERE bc.shop_id = ?1 AND bc.source = 'manual' AND +d.day >= ?2 AND +d.day <= ?3
          AND (?4 IS NULL OR bc.component_variant_id IN (SELECT value FROM json_each(?4))))
    GROUP BY variant_id, location_id, day";

#[derive(Deserialize)]
pub struct LiveRow {
    pub id: i64,
    pub variant_id: i64,
    pub location_id: i64,
    pub kind: String,
    pub state: String,
    pub snoozed_until: Option<String>,
}

pub async fn live(db: &D1Database, shop_id: i64, variants: Option<&[i64]>) -> Result<Vec<LiveRow>, AppError> {
    all(
        db,
        "SELECT id, variant_id, location_id, kind, state, snoozed_until FROM alerts
         WHERE shop_id = ?1 AND state != 'resolved' AND (?2 IS NULL OR variant_id IN (SELECT value FROM json_each(?2)))",
        &[int(shop_id), variant_filter(variants)],
    )
    .await
}

#[derive(Serialize)]
pub struct Opened {
    pub variant_id: i64,
    pub location_id: i64,
    pub kind: &'static str,
    pub urgency: f64,
    pub explanation: String,
}

#[derive(Serialize)]
pub struct Updated {
    pub id: i64,
    pub state: &'static str,
    pub snoozed_until: Option<String>,
    pub urgency: f64,
    pub explanation: String,
}

/// The reconciled changes as three statements (rows travel as JSON, see repo::bulk).
/// `+shop_id` keeps the planner on the id (rowid) lookup instead of the shop index, which
/// made an update of 400 alerts of a large shop scan all of them per row (1 s vs 10 ms).
pub fn write(
    db: &D1Database,
    shop_id: i64,
    opened: &[Opened],
    updated: &[Updated],
    resolved: &[i64],
    now: &str,
) -> Result<Vec<D1PreparedStatement>, AppError> {
    let mut out = Vec::new();
    for chunk in opened.chunks(super::bulk::ROWS_PER_STATEMENT) {
        out.push(prepare(
            db,
            "INSERT INTO alerts (shop_id, variant_id, location_id, kind, state, urgency, explanation, opened_at, updated_at)
             SELECT ?1, json_extract(value, '$.variant_id'), json_extract(value, '$.location_id'), json_extract(value, '$.kind'),
                    'open', json_extract(value, '$.urgency'), json_extract(value, '$.explanation'), ?2, ?2
             FROM json_each(?3) WHERE true
             ON CONFLICT DO NOTHING",
            &[int(shop_id), text(now), text(&to_json(chunk))],
        )?);
    }
    for chunk in updated.chunks(super::bulk::ROWS_PER_STATEMENT) {
        out.push(prepare(
            db,
            // The engine only ever moves a state on by re-opening a snooze whose date has
            // come; any other state is kept as the row has it *now*, so an acknowledge,
            // snooze or resolve the merchant made while this run computed is not undone.
            "UPDATE alerts SET
                    state = CASE WHEN json_extract(j.value, '$.state') = 'open' AND alerts.state = 'snoozed'
                                      AND alerts.snoozed_until <= substr(?2, 1, 10) THEN 'open' ELSE alerts.state END,
                    snoozed_until = CASE WHEN json_extract(j.value, '$.state') = 'open' AND alerts.state = 'snoozed'
                                      AND alerts.snoozed_until <= substr(?2, 1, 10) THEN NULL ELSE alerts.snoozed_until END,
                    urgency = json_extract(j.value, '$.urgency'), explanation = json_extract(j.value, '$.explanation'), updated_at = ?2
             FROM json_each(?3) AS j
             WHERE +alerts.shop_id = ?1 AND alerts.id = json_extract(j.value, '$.id') AND alerts.state != 'resolved'",
            &[int(shop_id), text(now), text(&to_json(chunk))],
        )?);
    }
    for chunk in resolved.chunks(super::bulk::ROWS_PER_STATEMENT) {
        out.push(prepare(
            db,
            "UPDATE alerts SET state = 'resolved', resolved_at = ?2, updated_at = ?2
             WHERE +shop_id = ?1 AND id IN (SELECT value FROM json_each(?3))",
            &[int(shop_id), text(now), text(&to_json(chunk))],
        )?);
    }
    Ok(out)
}

fn to_json<T: Serialize>(rows: &[T]) -> String {
    serde_json::to_string(rows).unwrap_or_else(|_| "[]".into())
}

/// An alert's state columns, as the merchant's actions read and compare them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct StateColumns {
    pub state: String,
    pub snoozed_until: Option<String>,
}

/// The state of alert `id`, if it is the shop's.
pub async fn state_of(db: &D1Database, shop_id: i64, id: i64) -> Result<Option<StateColumns>, AppError> {
    first(db, "SELECT state, snoozed_until FROM alerts WHERE shop_id = ?1 AND id = ?2", &[int(shop_id), int(id)]).await
}

/// Moves alert `id` of the shop from state `from` to `to`, only if it is still in `from`
/// (a recalculation may have moved it meanwhile), and — when `to` is live — only if no
/// other live alert holds the same variant, location and kind (one opened after a manual
/// resolve). Returns whether the alert changed.
pub async fn set_state(
    db: &D1Database,
    shop_id: i64,
    id: i64,
    from: &StateColumns,
    to: &StateColumns,
    now: &str,
) -> Result<bool, AppError> {
    let changed: Option<serde_json::Value> = first(
        db,
        "UPDATE alerts SET state = ?3, snoozed_until = ?4, updated_at = ?5,
                resolved_at = CASE WHEN ?3 = 'resolved' THEN ?5 END
         WHERE shop_id = ?1 AND id = ?2 AND state = ?6 AND snoozed_until IS ?7
           AND (?3 = 'resolved' OR NOT EXISTS (
                SELECT 1 FROM alerts o
                WHERE o.shop_id = ?1 AND o.variant_id = alerts.variant_id AND o.location_id = alerts.location_id
                  AND o.kind = alerts.kind AND o.state != 'resolved' AND o.id != ?2))
         RETURNING id",
        &[
            int(shop_id),
            int(id),
            text(&to.state),
            opt_text(to.snoozed_until.as_deref()),
            text(now),
            text(&from.state),
            opt_text(from.snoozed_until.as_deref()),
        ],
    )
    .await?;
    Ok(changed.is_some())
}

/// Deletes up to `limit` of a shop's alerts resolved before `before` (RFC 3339); live
/// alerts are kept however old, since the merchant's acknowledgement or snooze is on them.
/// Returns how many went, so the cleanup repeats until a pass deletes fewer than `limit`.
pub async fn prune(db: &D1Database, shop_id: i64, before: &str, limit: u32) -> Result<usize, AppError> {
    let result = prepare(
        db,
        "DELETE FROM alerts WHERE id IN
            (SELECT id FROM alerts WHERE shop_id = ?1 AND state = 'resolved' AND resolved_at < ?2 LIMIT ?3)",
        &[int(shop_id), text(before), int(limit.into())],
    )?
    .run()
    .await
    .map_err(|e| crate::server::context::internal("D1 write", e))?;
    Ok(crate::server::d1::changes(&result))
}
