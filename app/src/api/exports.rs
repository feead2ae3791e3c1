use crate::error::AppError;
use leptos::prelude::*;

/// A CSV export: `what` is "alerts" (every alert the dashboard's filters select, not only
/// the page shown; `query` is the dashboard's query string) or "forecasts" (each stocked
/// position's latest forecast). Two text arguments and a text answer keep the browser's
/// side of it small: the dashboard's first visit is near its wasm budget.
#[server(endpoint = "export", output = crate::api::codec::Json)]
pub async fn export_csv(what: String, #[server(default)] query: String) -> Result<String, AppError> {
    use crate::server::context::{run, worker_env};
    use crate::server::session::current_shop;
    use domain::alert_filter::AlertFilter;
    run(async move {
        let env = worker_env().await?;
        let shop = current_shop(&env).await?;
        match what.as_str() {
            "alerts" => {
                let filter = AlertFilter::from_pairs(crate::server::auth::query_pairs(&query));
                let rows = crate::server::repo::dashboard::export(&shop.db, shop.id, &filter).await?;
                let status: Vec<String> = rows.iter().map(|r| domain::alert_action::status_label(Some(r.state))).collect();
                let lines: Vec<domain::exports::AlertLine<'_>> = rows
                    .iter()
                    .zip(&status)
                    .map(|(r, s)| domain::exports::AlertLine { risk: &r.risk, status: s, class: &r.class })
                    .collect();
                Ok(domain::exports::alerts_csv(&lines, &shop.row.currency))
            }
            "forecasts" => Ok(domain::exports::forecasts_csv(&crate::server::repo::forecasts::export(&shop.db, shop.id).await?)),
            _ => Err(AppError::Invalid(vec![domain::FieldError::new("what", "Choose alerts or forecasts.")])),
        }
    })
    .await
}
