//! "What to watch" (alert kinds, locations, time zone) and lead-time overrides: the parts
//! of Settings beyond the thresholds form, each saved on its own and applied by a
//! recalculation queued at once.

use crate::error::AppError;
use domain::watch::WatchInput;
use leptos::prelude::*;

pub use crate::wire::watch::{LeadTimeRow, LocationChoice, WatchPage};

/// Saves kinds, locations and time zone together; nothing is saved unless all are valid.
#[server(endpoint = "settings/watch/save", output = crate::api::codec::Json)]
pub async fn save_watch(watch: WatchInput) -> Result<WatchInput, AppError> {
    use crate::server::context::{db, now_rfc3339, run, worker_env};
    use crate::server::session::current_shop;
    run(async move {
        let env = worker_env().await?;
        let shop = current_shop(&env).await?;
        let db = db(&env)?;
        let (_, locations, _) = crate::server::repo::watch::get(&db, shop.id).await?;
        let ids: Vec<i64> = locations.iter().map(|l| l.id).collect();
        let parsed = watch.parse(&ids).map_err(AppError::Invalid)?;
        crate::server::repo::watch::save(&db, shop.id, &parsed, &now_rfc3339()).await?;
        crate::server::queue::recalculate(&env, shop.id, None).await?;
        Ok(WatchInput::from_watch(&parsed))
    })
    .await
}

/// Sets the lead time of a vendor, product or variant of the shop; all fields empty
/// removes the override. Returns the shop's overrides after the change.
#[server(endpoint = "settings/lead_time/save", output = crate::api::codec::Json)]
pub async fn save_lead_time(
    scope: String,
    key: String,
    lead_time_days: String,
    lead_time_sd_days: String,
    target_cover_days: String,
) -> Result<Vec<LeadTimeRow>, AppError> {
    use crate::server::context::{db, now_rfc3339, run, worker_env};
    use crate::server::repo::watch;
    use crate::server::session::current_shop;
    use domain::watch::{LeadTimeInput, Scope};
    run(async move {
        let scope = Scope::parse(&scope)
            .ok_or_else(|| AppError::Invalid(vec![domain::FieldError::new("scope", "Choose a vendor, product or variant.")]))?;
        let key = key.trim().to_string();
        if key.is_empty() {
            return Err(AppError::Invalid(vec![domain::FieldError::new("key", "Choose what this lead time applies to.")]));
        }
        // Product and variant ids in one spelling ("7", never "007"), as the resolver reads them.
        let key = match scope {
            Scope::Vendor => key,
            Scope::Product | Scope::Variant => key
                .parse::<i64>()
                .map(|id| id.to_string())
                .map_err(|_| AppError::Invalid(vec![domain::FieldError::new("key", "Not a product or variant of the shop.")]))?,
        };
        let o = LeadTimeInput { lead_time_days, lead_time_sd_days, target_cover_days }.parse().map_err(AppError::Invalid)?;
        let env = worker_env().await?;
        let shop = current_shop(&env).await?;
        let db = db(&env)?;
        // Only something the shop has, so a forged key cannot store rows about anything else.
        if !domain::watch::is_empty(&o) && !watch::owns(&db, shop.id, scope, &key).await? {
            return Err(AppError::NotFound(format!("The {} “{key}”", scope.as_str())));
        }
        watch::save_lead_time(&db, shop.id, scope, &key, &o, &now_rfc3339()).await?;
        // A variant's own lead time moves only that variant's numbers.
        let only = match scope {
            Scope::Variant => key.parse::<i64>().ok().map(|v| vec![v]),
            _ => None,
        };
        crate::server::queue::recalculate(&env, shop.id, only).await?;
        watch::list(&db, shop.id).await
    })
    .await
}
