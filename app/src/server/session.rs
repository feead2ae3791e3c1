//! The shop a server function acts for: proven by a session token, a session cookie or
//! (local demo only) configuration, installed by token exchange on first sight. The hub
//! that pulls in auth, rate limits and install, kept apart from the leaf helpers in
//! `context` so those modules can use the helpers without importing it back.

use super::context::internal;
use super::repo::shops;
use super::shards::{self, CurrentShop};
use crate::error::AppError;

/// The shop this request acts for, proven by a session token, a session cookie or (local
/// demo only) configuration — never by anything in the request body. A valid session
/// token for a shop not yet installed triggers the token exchange that installs it.
pub async fn current_shop(env: &worker::Env) -> Result<CurrentShop, AppError> {
    let parts: http::request::Parts = leptos_axum::extract().await.map_err(|e| internal("request parts", e))?;
    let (domain, proof) = super::auth::request_shop(env, &parts).await?;
    // Budgeted once the shop is proven, so a forged token cannot spend another shop's.
    super::rate_limit::check_api(env, domain.as_str(), &parts).await?;
    // A shop the directory does not know is not installed: the same as a missing row.
    if let Some(placed) = shards::of_domain(env, domain.as_str()).await? {
        // A shop being moved is read from its old shard (pages render); server functions,
        // which may write, wait until the copy is switched in.
        if placed.moving && parts.method != http::Method::GET {
            return Err(shards::moving());
        }
        let (index, db) = (placed.shard.index, placed.shard.db);
        // The first read of the shop's shard: if it fails, the shard is down for now (its
        // shops get 503 and retry; shops on other shards are not touched).
        if let Some(row) = shops::by_domain(&db, &domain).await.map_err(|_| shards::unavailable(index))? {
            // With a session token in hand, a shop without a current expiring token (a legacy
            // non-expiring one, or one whose refresh Shopify refused) gets one by token exchange.
            if row.token_current == 1 || !matches!(proof, super::auth::Proof::SessionToken { .. }) {
                return Ok(CurrentShop { row, db });
            }
        }
    }
    match proof {
        super::auth::Proof::SessionToken { token, .. } => super::install::via_token_exchange(env, &domain, &token).await,
        _ => Err(AppError::Unauthorized),
    }
}
