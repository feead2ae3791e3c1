use crate::api::watch::WatchPage;
use crate::error::AppError;
use domain::digest::DigestSettingsInput;
use domain::settings::Settings;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Everything the settings page shows, in one answer: the thresholds form, what to watch
/// and the digest's recipients and quiet hours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettingsView {
    pub settings: Settings,
    pub watch: WatchPage,
    pub digest: DigestSettingsInput,
}

#[server(endpoint = "settings", output = crate::api::codec::Json)]
pub async fn settings_page() -> Result<SettingsView, AppError> {
    use crate::server::context::{run, worker_env};
    use crate::server::repo::{settings, watch};
    use crate::server::session::current_shop;
    use domain::watch::WatchInput;
    run(async move {
        let env = worker_env().await?;
        let shop = current_shop(&env).await?;
        let db = &shop.db;
        let current = settings::get(db, shop.id).await?;
        let (w, locations, shop_zone) = watch::get(db, shop.id).await?;
        let now = crate::server::context::now();
        let offset = domain::engine::ShopZone::stored(&shop_zone.name, shop_zone.offset_minutes).offset_at(now).minutes();
        let shop_zone = match shop_zone.name.as_str() {
            "" => domain::engine::calendar::offset_label(offset),
            name => format!("{}, {}", name.replace('_', " "), domain::engine::calendar::offset_label(offset)),
        };
        let digest = settings::get_digest(db, shop.id).await?;
        Ok(SettingsView {
            watch: WatchPage {
                input: WatchInput::from_watch(&w),
                locations,
                shop_zone,
                zones: domain::engine::calendar::zone_choices(now),
            },
            settings: current,
            digest: DigestSettingsInput::from_settings(&digest),
        })
    })
    .await
}

/// Saves the form. Values arrive as text so that "ten" gets a message at its field rather
/// than a generic decoding error; `domain` decides what is valid, and nothing is saved
/// unless every field is.
// One argument per form field: the URL's (or the form's) fields, each decoded on its own.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "save_settings", output = crate::api::codec::Json)]
pub async fn save_settings(
    low_stock_days: String,
    overstock_days: String,
    dead_stock_days: String,
    lead_time_days: String,
    service_level_pct: String,
    digest_frequency: String,
    // Optional, so a form from before the class levels still saves (with their defaults).
    #[server(default)] service_level_a_pct: Option<String>,
    #[server(default)] service_level_c_pct: Option<String>,
) -> Result<Settings, AppError> {
    use crate::server::context::{now_rfc3339, run, worker_env};
    use crate::server::session::current_shop;
    let input = domain::settings::SettingsInput {
        low_stock_days,
        overstock_days,
        dead_stock_days,
        lead_time_days,
        service_level_pct,
        digest_frequency,
        service_level_a_pct: service_level_a_pct.unwrap_or_else(|| Settings::default().service_level_a_pct.to_string()),
        service_level_c_pct: service_level_c_pct.unwrap_or_else(|| Settings::default().service_level_c_pct.to_string()),
    };
    run(async move {
        let settings = input.parse().map_err(AppError::Invalid)?;
        let env = worker_env().await?;
        let shop = current_shop(&env).await?;
        crate::server::repo::settings::save(&shop.db, shop.id, &settings, &now_rfc3339()).await?;
        // New thresholds apply at once rather than at the next nightly run.
        crate::server::queue::recalculate(&env, shop.id, None).await?;
        Ok(settings)
    })
    .await
}
