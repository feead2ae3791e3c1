use crate::error::AppError;
use domain::settings::Settings;
use leptos::prelude::*;

#[server(endpoint = "settings", output = crate::api::codec::Json)]
pub async fn get_settings() -> Result<Settings, AppError> {
    use crate::server::context::{current_shop, db, run, worker_env};
    run(async move {
        let env = worker_env().await?;
        let shop = current_shop(&env).await?;
        crate::server::repo::settings::get(&db(&env)?, shop.id).await
    })
    .await
}

/// Saves the form. Values arrive as text so that "ten" gets a message at its field rather
/// than a generic decoding error; `domain` decides what is valid, and nothing is saved
/// unless every field is.
#[server(endpoint = "save_settings", output = crate::api::codec::Json)]
pub async fn save_settings(
    low_stock_days: String,
    overstock_days: String,
    dead_stock_days: String,
    lead_time_days: String,
    service_level_pct: String,
    digest_frequency: String,
) -> Result<Settings, AppError> {
    use crate::server::context::{current_shop, db, now_rfc3339, run, worker_env};
    let input = domain::settings::SettingsInput {
        low_stock_days,
        overstock_days,
        dead_stock_days,
        lead_time_days,
        service_level_pct,
        digest_frequency,
    };
    run(async move {
        let settings = input.parse().map_err(AppError::Invalid)?;
        let env = worker_env().await?;
        let shop = current_shop(&env).await?;
        crate::server::repo::settings::save(&db(&env)?, shop.id, &settings, &now_rfc3339()).await?;
        // New thresholds apply at once rather than at the next nightly run.
        crate::server::queue::recalculate(&env, shop.id, None).await?;
        Ok(settings)
    })
    .await
}
