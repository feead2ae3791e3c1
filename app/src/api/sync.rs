use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One export of the shop's sync, as the progress bar shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncView {
    /// "catalog" or "orders".
    pub kind: String,
    /// queued, running, done or failed.
    pub status: String,
    pub objects_done: i64,
    /// Bytes of the export read so far, out of `bytes_total` (orders import).
    pub bytes_done: i64,
    pub bytes_total: Option<i64>,
    pub error: Option<String>,
    pub finished_at: Option<String>,
    /// Days of sales history the shop has (on the orders run): Shopify shares orders older
    /// than 60 days only once it has approved the app's `read_all_orders` scope.
    #[serde(default)]
    pub history_days: Option<i64>,
    /// The orders are in and the engine is working out the shop's first alerts (on the
    /// orders run, for a few minutes after it ends): the dashboard fills in when it is done.
    #[serde(default)]
    pub alerts_pending: bool,
}

impl SyncView {
    /// What the export reads, inside a sentence ("The import of … stopped.").
    pub fn noun(&self) -> &'static str {
        if self.kind == "catalog" {
            "products and inventory"
        } else {
            "a year of orders"
        }
    }

    /// The same, on its own ("Products and inventory: …"). ASCII, so no Unicode case tables.
    pub fn label(&self) -> String {
        let noun = self.noun();
        noun[..1].to_ascii_uppercase() + &noun[1..]
    }
}

#[server(endpoint = "sync/status", output = crate::api::codec::Json)]
pub async fn sync_status() -> Result<Vec<SyncView>, AppError> {
    use crate::server::context::{run, worker_env};
    use crate::server::session::current_shop;
    run(async move {
        let env = worker_env().await?;
        let shop = current_shop(&env).await?;
        latest_views(&shop.db, shop.id).await
    })
    .await
}

/// The shop's latest run of each export, as the progress bar shows them.
#[cfg(feature = "ssr")]
pub(crate) async fn latest_views(db: &worker::D1Database, shop_id: i64) -> Result<Vec<SyncView>, AppError> {
    Ok(views(crate::server::repo::sync_runs::read_progress(db, shop_id).await?))
}

/// The progress bar's view of the shop's sync progress.
#[cfg(feature = "ssr")]
pub(crate) fn views(progress: crate::server::repo::sync_runs::Progress) -> Vec<SyncView> {
    let history_days = progress
        .first_sale_day
        .and_then(|d| d.parse::<chrono::NaiveDate>().ok())
        .map(|d| (crate::server::context::today() - d).num_days().max(0));
    let now = crate::server::context::now();
    // No forecast yet, the orders just in: the first recalculation is under way. A shop
    // with nothing to forecast stops waiting after a few minutes.
    let first_alerts_pending = |r: &crate::server::repo::sync_runs::SyncRun| {
        progress.forecast_day.is_none()
            && r.kind == "orders"
            && r.status == "done"
            && r.finished_at
                .as_deref()
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                .is_some_and(|t| now.signed_duration_since(t) < chrono::Duration::minutes(5))
    };
    progress
        .latest
        .into_iter()
        .map(|r| SyncView {
            alerts_pending: first_alerts_pending(&r),
            history_days: if r.kind == "orders" { history_days } else { None },
            kind: r.kind,
            status: r.status,
            objects_done: r.objects_done,
            bytes_done: r.bytes_done,
            bytes_total: r.bytes_total,
            error: r.error,
            finished_at: r.finished_at,
        })
        .collect()
}

/// Starts a full sync now (the merchant's "Sync now"); a no-op without an access token.
#[server(endpoint = "sync/start", output = crate::api::codec::Json)]
pub async fn start_sync() -> Result<(), AppError> {
    use crate::server::context::{run, worker_env};
    use crate::server::session::current_shop;
    run(async move {
        let env = worker_env().await?;
        let shop = current_shop(&env).await?;
        if shop.has_token != 1 {
            return Err(AppError::Unauthorized);
        }
        crate::server::sync::request_full(&env, &shop.db, shop.id).await
    })
    .await
}
