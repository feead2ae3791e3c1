//! The digest part of Settings: recipients and quiet hours. Kept apart from the thresholds
//! form so the settings page can add a section without changing that form's fields.

use crate::error::AppError;
use domain::digest::DigestSettingsInput;
use leptos::prelude::*;

/// Saves recipients and quiet hours; nothing is saved unless both are valid
/// (`AppError::Invalid` carries a message per field: `digest_recipients`, `quiet_hours`).
#[server(endpoint = "settings/digest/save", output = crate::api::codec::Json)]
pub async fn save_digest_settings(
    digest_recipients: String,
    quiet_hours_start: String,
    quiet_hours_end: String,
) -> Result<DigestSettingsInput, AppError> {
    use crate::server::context::{now_rfc3339, run, worker_env};
    use crate::server::session::current_shop;
    let input = DigestSettingsInput { digest_recipients, quiet_hours_start, quiet_hours_end };
    run(async move {
        let parsed = input.parse().map_err(AppError::Invalid)?;
        let env = worker_env().await?;
        let shop = current_shop(&env).await?;
        crate::server::repo::settings::save_digest(&shop.db, shop.id, &parsed, &now_rfc3339()).await?;
        Ok(DigestSettingsInput::from_settings(&parsed))
    })
    .await
}
