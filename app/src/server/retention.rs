//! Data kept only as long as promised (the Sunday 04:00 cleanup): velocity data (the
//! `forecasts` rows) 90 days, resolved alerts 365 days. Sales history, live alerts and
//! settings are kept. Deletes go in bounded batches so no statement runs long.

use super::repo::{alerts, forecasts, shops};
use crate::error::AppError;
use chrono::{Days, NaiveDate};
use worker::D1Database;

pub const VELOCITY_DAYS: u64 = 90;
pub const ALERT_DAYS: u64 = 365;
const BATCH_ROWS: u32 = 5_000;

/// Applies retention to every shop as of `today` (UTC); returns the rows deleted.
pub async fn apply(db: &D1Database, today: NaiveDate) -> Result<usize, AppError> {
    let velocity_before = today.checked_sub_days(Days::new(VELOCITY_DAYS)).unwrap_or(today).to_string();
    // Alerts carry RFC 3339 timestamps; a date sorts before any time on that day.
    let alerts_before = today.checked_sub_days(Days::new(ALERT_DAYS)).unwrap_or(today).to_string();
    let mut deleted = 0;
    for shop_id in shops::all_ids(db).await? {
        deleted += drain(|| forecasts::prune(db, shop_id, &velocity_before, BATCH_ROWS)).await?;
        deleted += drain(|| alerts::prune(db, shop_id, &alerts_before, BATCH_ROWS)).await?;
    }
    Ok(deleted)
}

/// Repeats a bounded delete until a pass removes less than a full batch; returns the total.
async fn drain<F, Fut>(mut pass: F) -> Result<usize, AppError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<usize, AppError>>,
{
    let mut total = 0;
    loop {
        let n = pass().await?;
        total += n;
        if n < BATCH_ROWS as usize {
            return Ok(total);
        }
    }
}
