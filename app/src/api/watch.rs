//! "What to watch" (alert kinds, locations, time zone): the part of Settings beyond the
//! thresholds form, saved on its own and applied by a recalculation queued at once.

use crate::error::AppError;
use domain::watch::WatchInput;
use leptos::prelude::*;

pub use crate::wire::watch::{LocationChoice, WatchPage};

/// Saves kinds, locations and time zone together; nothing is saved unless all are valid.
#[server(endpoint = "settings/watch/save", output = crate::api::codec::Json)]
pub async fn save_watch(watch: WatchInput) -> Result<WatchInput, AppError> {
    use crate::server::context::{now_rfc3339, run, worker_env};
    use crate::server::session::current_shop;
    run(async move {
        let env = worker_env().await?;
        let shop = current_shop(&env).await?;
        let db = &shop.db;
        let (_, locations, _) = crate::server::repo::watch::get(db, shop.id).await?;
        let ids: Vec<i64> = locations.iter().map(|l| l.id).collect();
        let parsed = watch.parse(&ids).map_err(AppError::Invalid)?;
        crate::server::repo::watch::save(db, shop.id, &parsed, &now_rfc3339()).await?;
        crate::server::queue::recalculate(&env, shop.id, None).await?;
        Ok(WatchInput::from_watch(&parsed))
    })
    .await
}
