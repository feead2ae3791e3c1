use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A CSV file for the browser to save.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CsvFile {
    pub filename: String,
    pub csv: String,
    pub rows: usize,
}

/// Every alert the dashboard's filters select (not only the page shown), as CSV. The
/// arguments are the dashboard's query-string fields, as `get_dashboard` takes them.
// One argument per form field: the URL's fields, each decoded on its own.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "export/alerts", output = crate::api::codec::Json)]
pub async fn export_alerts(
    kind: Option<String>,
    location: Option<String>,
    vendor: Option<String>,
    product_type: Option<String>,
    state: Option<String>,
    q: Option<String>,
    #[server(default)] abc: Option<String>,
    #[server(default)] xyz: Option<String>,
) -> Result<CsvFile, AppError> {
    use crate::server::context::{run, today_in, worker_env};
    use crate::server::session::current_shop;
    use domain::alert_filter::AlertFilter;
    let fields = [
        ("kind", kind),
        ("location", location),
        ("vendor", vendor),
        ("product_type", product_type),
        ("state", state),
        ("q", q),
        ("abc", abc),
        ("xyz", xyz),
    ];
    let filter = AlertFilter::from_pairs(fields.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))));
    run(async move {
        let env = worker_env().await?;
        let shop = current_shop(&env).await?;
        let rows = crate::server::repo::dashboard::export(&shop.db, shop.id, &filter).await?;
        let status: Vec<String> = rows.iter().map(|r| domain::alert_action::status_label(Some(r.state))).collect();
        let lines: Vec<domain::exports::AlertLine<'_>> =
            rows.iter().zip(&status).map(|(r, s)| domain::exports::AlertLine { risk: &r.risk, status: s, class: &r.class }).collect();
        Ok(CsvFile {
            filename: format!("alerts-{}.csv", today_in(shop.zone())),
            csv: domain::exports::alerts_csv(&lines, &shop.row.currency),
            rows: rows.len(),
        })
    })
    .await
}

/// The latest forecast of every variant at every stocked location, as CSV.
#[server(endpoint = "export/forecasts", output = crate::api::codec::Json)]
pub async fn export_forecasts() -> Result<CsvFile, AppError> {
    use crate::server::context::{run, today_in, worker_env};
    use crate::server::session::current_shop;
    run(async move {
        let env = worker_env().await?;
        let shop = current_shop(&env).await?;
        let lines = crate::server::repo::forecasts::export(&shop.db, shop.id).await?;
        Ok(CsvFile {
            filename: format!("forecasts-{}.csv", today_in(shop.zone())),
            csv: domain::exports::forecasts_csv(&lines),
            rows: lines.len(),
        })
    })
    .await
}
