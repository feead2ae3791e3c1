//! Settings → Alert channels: Slack, a signed webhook and Shopify Flow, each with the alert
//! kinds it sends and its quiet hours (`domain::channels`); sent by `server::channels`.

use crate::error::AppError;
use domain::channels::ChannelInput;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn channel_kind(kind: &str) -> Result<domain::channels::ChannelKind, AppError> {
    domain::channels::ChannelKind::parse(kind).ok_or_else(|| AppError::NotFound("That channel".into()))
}

/// Saves one channel; nothing is saved unless every field is valid. Saving a paused channel
/// resumes it, its held alerts going at once.
#[server(endpoint = "settings/channels/save", output = crate::api::codec::Json)]
pub async fn save_channel(kind: String, channel: ChannelInput) -> Result<String, AppError> {
    use crate::server::context::{now_rfc3339, run, worker_env};
    use crate::server::session::current_shop;
    run(async move {
        let kind = channel_kind(&kind)?;
        let env = worker_env().await?;
        // Each message names its channel's field: the page has one form per channel.
        let parsed = channel.parse(kind, crate::server::channels::allow_loopback(&env)).map_err(|errors| {
            AppError::Invalid(
                errors.into_iter().map(|e| domain::FieldError::new(&format!("{}:{}", kind.as_str(), e.field), e.message)).collect(),
            )
        })?;
        let shop = current_shop(&env).await?;
        // The webhook's signing secret is made once, with the channel, and kept on later saves.
        let secret = format!("whsec_{}", crate::server::config::random_id()?);
        let now = now_rfc3339();
        crate::server::repo::channels::save(&shop.db, shop.id, kind, &parsed, &secret, &now).await?;
        crate::server::repo::channels::due_now(&shop.db, shop.id, kind, &now).await?;
        crate::server::channels::queue(&env, shop.id, 0).await?;
        Ok(format!("{} saved.", kind.label()))
    })
    .await
}

/// Resumes a paused channel: the alerts it held are sent now.
#[server(endpoint = "settings/channels/resume", output = crate::api::codec::Json)]
pub async fn resume_channel(kind: String) -> Result<String, AppError> {
    use crate::server::context::{now_rfc3339, run, worker_env};
    use crate::server::session::current_shop;
    run(async move {
        let kind = channel_kind(&kind)?;
        let env = worker_env().await?;
        let shop = current_shop(&env).await?;
        let now = now_rfc3339();
        if crate::server::repo::channels::resume(&shop.db, shop.id, kind, &now).await? {
            crate::server::repo::channels::due_now(&shop.db, shop.id, kind, &now).await?;
            crate::server::channels::queue(&env, shop.id, 0).await?;
        }
        Ok(format!("{} resumed.", kind.label()))
    })
    .await
}
