use crate::error::AppError;
use chrono::NaiveDate;
use domain::risk::RiskReport;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Rows sent to the page; counts cover all of them.
pub const ROWS_SHOWN: usize = 50;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub shop_name: String,
    pub shop_domain: String,
    pub currency: String,
    pub today: NaiveDate,
    pub report: RiskReport,
    /// Rows at risk before truncation to `ROWS_SHOWN`.
    pub rows_at_risk: usize,
}

#[server(endpoint = "dashboard")]
pub async fn get_dashboard() -> Result<Dashboard, AppError> {
    use crate::server::context::{current_shop, db, run, today, worker_env};
    run(async move {
        let env = worker_env().await?;
        let shop = current_shop(&env).await?;
        let db = db(&env)?;
        let today = today();
        // Alerts as the engine last left them (recalculated nightly, on every stock or
        // sales webhook, and when settings change).
        let d = crate::server::repo::dashboard::load(&db, shop.id, ROWS_SHOWN as u32).await?;
        let rows_at_risk = d.live;
        let report = RiskReport { summaries: d.summaries, rows: d.rows, positions_checked: rows_at_risk };
        Ok(Dashboard {
            shop_name: shop.name,
            shop_domain: shop.domain,
            currency: shop.currency,
            today,
            report,
            rows_at_risk,
        })
    })
    .await
}
