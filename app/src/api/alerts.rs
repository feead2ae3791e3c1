//! The merchant's one-click actions on a dashboard alert, and their undo. Both are guarded
//! compare-and-set writes on the shop's own alert (`repo::alerts::set_state`); what each
//! action means is `domain::alert_action`'s.

use crate::error::AppError;
use domain::engine::AlertState;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// An action applied: the state before (what Undo restores) and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionDone {
    pub id: i64,
    pub previous: AlertState,
    /// `None`: resolved.
    pub now: Option<AlertState>,
    pub message: String,
}

#[cfg(feature = "ssr")]
fn columns(status: domain::alert_action::Status) -> crate::server::repo::alerts::StateColumns {
    crate::server::repo::alerts::StateColumns {
        state: domain::alert_action::status_column(status).to_string(),
        snoozed_until: status.and_then(AlertState::snoozed_until).map(|d| d.to_string()),
    }
}

/// `action`: `acknowledge`, `snooze_day`, `snooze_week`, `snooze_until` (with `until`,
/// `YYYY-MM-DD`) or `resolve`. Without JavaScript the dashboard's row forms post here and
/// the browser is sent back to the list.
#[server(endpoint = "alert_action", output = crate::api::codec::Json)]
pub async fn alert_action(id: i64, action: String, until: Option<String>) -> Result<ActionDone, AppError> {
    use crate::server::context::{now_rfc3339, run, today_in, worker_env};
    use crate::server::repo::alerts;
    use crate::server::session::current_shop;
    use domain::alert_action::AlertAction as Action;
    run(async move {
        let action = Action::parse(&action, until.as_deref()).map_err(|e| AppError::Invalid(vec![e]))?;
        let env = worker_env().await?;
        let shop = current_shop(&env).await?;
        let db = &shop.db;
        let stored = alerts::state_of(db, shop.id, id).await?.ok_or_else(|| AppError::NotFound("This alert".into()))?;
        let until_date = stored.snoozed_until.as_deref().and_then(|d| d.get(..10)?.parse().ok());
        let previous = match AlertState::from_columns(&stored.state, until_date) {
            Ok(Some(s)) => s,
            Ok(None) => {
                return Err(AppError::Conflict(
                    "This alert is already resolved: its condition cleared at the last check. Nothing changed.".into(),
                ))
            }
            Err(e) => return Err(crate::server::context::internal("stored alert state", e)),
        };
        let now = action.apply(previous, today_in(shop.zone())).map_err(|e| AppError::Invalid(vec![e]))?;
        if !alerts::set_state(db, shop.id, id, &stored, &columns(now), &now_rfc3339()).await? {
            return Err(AppError::Conflict("This alert changed while you acted on it. Reload to see where it stands.".into()));
        }
        Ok(ActionDone { id, previous, now, message: action.done_message(now) })
    })
    .await
}

/// Puts alert `id` back in the live state it had before an action (`state` and
/// `snoozed_until` as `alert_action` returned them in `previous`).
#[server(endpoint = "undo_alert_action", output = crate::api::codec::Json)]
pub async fn undo_alert_action(id: i64, state: String, snoozed_until: Option<String>) -> Result<AlertState, AppError> {
    use crate::server::context::{now_rfc3339, run, worker_env};
    use crate::server::repo::alerts;
    use crate::server::session::current_shop;
    run(async move {
        let restore = domain::alert_action::parse_restore(&state, snoozed_until.as_deref()).map_err(|e| AppError::Invalid(vec![e]))?;
        let env = worker_env().await?;
        let shop = current_shop(&env).await?;
        let db = &shop.db;
        let stored = alerts::state_of(db, shop.id, id).await?.ok_or_else(|| AppError::NotFound("This alert".into()))?;
        if !alerts::set_state(db, shop.id, id, &stored, &columns(Some(restore)), &now_rfc3339()).await? {
            return Err(AppError::Conflict(
                "This can no longer be undone: a new alert for this variant opened at the last check, or the alert changed meanwhile."
                    .into(),
            ));
        }
        Ok(restore)
    })
    .await
}
