//! The Sunday refit: each variant's seasonal pattern from `REFIT_HISTORY_DAYS` of sales
//! pooled over its locations (`domain::engine::seasonal`), plus the shop-wide pattern
//! (variant 0), and the variants' ABC/XYZ classes from the same pooled year
//! (`domain::classes`). Variants are read in chunks, one history query per chunk, so a large
//! catalogue never holds more than a chunk of history in memory.

use super::context::{internal, now_rfc3339};
use super::d1::batch;
use super::repo::{alerts, classes, forecasts};
use crate::error::AppError;
use chrono::NaiveDate;
use domain::classes::{abc, AbcCuts, YearDemand};
use domain::engine::{
    history_window, long_runs, refit_variant, History, HistoryTable, LongRun, SeasonalPattern, SeriesId, REFIT_HISTORY_DAYS,
};
use std::collections::HashMap;

/// Variants per history read: ~500 × 2 locations × 420 days ≈ 1.3 MB of table.
const VARIANTS_PER_CHUNK: usize = 500;

/// Refits `shop_id`'s patterns as of `today` (history up to yesterday). Returns the
/// number of patterns written.
pub async fn refit(env: &worker::Env, shop_id: i64, today: NaiveDate) -> Result<usize, AppError> {
    let db = super::shards::shop_db(env, shop_id).await?;
    let (start, end) = history_window(today, REFIT_HISTORY_DAYS);
    let from = start.to_string();
    let now = now_rfc3339();
    let zone = super::repo::shops::sales_frame(&db, shop_id).await?.zone();

    // Variant → its series keys, in variant order.
    let keys = forecasts::series_keys(&db, shop_id).await?;
    let mut variants: Vec<(i64, Vec<i64>)> = Vec::new();
    for k in keys {
        match variants.last_mut() {
            Some((v, locs)) if *v == k.variant_id => locs.push(k.location_id),
            _ => variants.push((k.variant_id, vec![k.location_id])),
        }
    }

    let mut written = 0;
    let (mut units, mut out) = (Vec::new(), Vec::new());
    let mut demand: Vec<(i64, YearDemand)> = Vec::with_capacity(variants.len());
    for chunk in variants.chunks(VARIANTS_PER_CHUNK) {
        let ids: Vec<i64> = chunk.iter().map(|(v, _)| *v).collect();
        let history = alerts::history_compact(&db, shop_id, &from, &end.to_string(), Some(&ids), true).await?;
        let mut table = HistoryTable::new(start, end).map_err(|e| internal("history window", e))?;
        let mut series: HashMap<(i64, i64), SeriesId> = HashMap::new();
        let mut members: Vec<Vec<SeriesId>> = Vec::with_capacity(chunk.len());
        for (v, locs) in chunk {
            members.push(locs.iter().map(|&l| *series.entry((*v, l)).or_insert_with(|| table.add_series())).collect());
        }
        for h in &history {
            let Some(id) = series.get(&(h.variant_id, h.location_id)) else { continue };
            let _ = table.fill_compact(*id, &h.days, h.first_day(zone));
        }
        let mut rows = Vec::with_capacity(chunk.len());
        for ((variant_id, locs), ids) in chunk.iter().zip(&members) {
            let mut r = row(*variant_id, &refit_variant(&table, ids, &mut units, &mut out));
            // `refit_variant` left the pooled history in the scratch buffers.
            demand.push((*variant_id, YearDemand::of(&units, &out)));
            r.long_run = long_run_json(locs, &long_runs(&table, ids));
            rows.push(r);
        }
        written += rows.len();
        batch(&db, forecasts::write_patterns(&db, shop_id, &rows, &now)?).await?;
    }

    // Classes need every variant's revenue, so they are written once all are read.
    let prices = classes::prices(&db, shop_id).await?;
    batch(&db, classes::write(&db, shop_id, &class_rows(&demand, &prices), &now)?).await?;

    // The shop as a whole, from one aggregate query: what the variant page compares with.
    let totals = forecasts::shop_daily_totals(&db, shop_id, &from).await?;
    let days = usize::try_from(end.signed_duration_since(start).num_days() + 1).unwrap_or(0);
    let mut units = vec![0u16; days];
    for t in &totals {
        let Ok(day) = t.day.parse::<NaiveDate>() else { continue };
        if let Some(cell) = usize::try_from(day.signed_duration_since(start).num_days()).ok().and_then(|i| units.get_mut(i)) {
            *cell = u16::try_from(t.units.max(0)).unwrap_or(u16::MAX);
        }
    }
    let out = vec![false; days];
    let shop = SeasonalPattern::fit(History::new(start, &units, &out).map_err(|e| internal("shop history", e))?);
    let mut last = forecasts::write_patterns(&db, shop_id, &[row(0, &shop)], &now)?;
    last.push(forecasts::drop_stale_patterns(&db, shop_id, &now)?);
    batch(&db, last).await?;
    Ok(written + 1)
}

/// Location id → [mean size, ADI, mean squared size] for the locations with demand;
/// `None` without any.
fn long_run_json(locations: &[i64], runs: &[Option<LongRun>]) -> Option<String> {
    let map: serde_json::Map<String, serde_json::Value> = locations
        .iter()
        .zip(runs)
        .filter_map(|(l, r)| r.map(|r| (l.to_string(), serde_json::json!([r.mean_size, r.adi, r.mean_sq_size]))))
        .collect();
    (!map.is_empty()).then(|| serde_json::Value::Object(map).to_string())
}

fn row(variant_id: i64, p: &SeasonalPattern) -> forecasts::PatternRow {
    forecasts::PatternRow {
        variant_id,
        day_of_week: serde_json::to_string(&p.day_of_week).unwrap_or_else(|_| "[1,1,1,1,1,1,1]".into()),
        week_of_year: p.week_of_year.as_ref().and_then(|w| serde_json::to_string(w).ok()),
        yearly_factor: p.yearly,
        history_days: p.history_days,
        long_run: None,
    }
}

/// Each variant's classes: ABC from its year's units at its price, XYZ from its weeks.
fn class_rows(demand: &[(i64, YearDemand)], prices: &HashMap<i64, i64>) -> Vec<classes::ClassRow> {
    let revenue: Vec<i64> = demand
        .iter()
        .map(|(v, d)| i64::try_from(d.units).unwrap_or(i64::MAX).saturating_mul(prices.get(v).copied().unwrap_or(0).max(0)))
        .collect();
    let ranks = abc(&revenue.iter().map(|&r| r as f64).collect::<Vec<_>>(), AbcCuts::default());
    demand
        .iter()
        .zip(ranks)
        .zip(revenue)
        .map(|(((variant_id, d), class), revenue_cents)| classes::ClassRow {
            variant_id: *variant_id,
            abc: class.as_str(),
            xyz: d.xyz().map(|x| x.as_str()),
            units: d.units,
            revenue_cents,
            weekly_cv: d.weekly_cv.filter(|c| c.is_finite()),
        })
        .collect()
}
