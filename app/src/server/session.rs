//! The shop a server function acts for: proven by a session token, a session cookie or
//! (local demo only) configuration, installed by token exchange on first sight. The hub
//! that pulls in auth, rate limits and install, kept apart from the leaf helpers in
//! `context` so those modules can use the helpers without importing it back.

use super::context::internal;
use super::d1::{batch_read, rows};
use super::repo::shops;
use super::shards::{self, CurrentShop};
use crate::error::AppError;
use worker::{D1Database, D1PreparedStatement, D1Result};

/// The shop this request acts for, proven by a session token, a session cookie or (local
/// demo only) configuration — never by anything in the request body. A valid session
/// token for a shop not yet installed triggers the token exchange that installs it.
pub async fn current_shop(env: &worker::Env) -> Result<CurrentShop, AppError> {
    Ok(current_shop_with(env, &|_, _| Ok(Vec::new())).await?.0)
}

/// Reads for the shop's shard: `(shard database, shop id) -> statements`.
pub type ShopReads<'a> = &'a dyn Fn(&D1Database, i64) -> Result<Vec<D1PreparedStatement>, AppError>;

/// `current_shop`, and `reads` of the shop's own data, sent in the same D1 round trip as the
/// shop's row (the dashboard's path): their results, in order, come with the shop. The
/// reads get the shop's id from the shard directory and their results are kept only when
/// the shop's row, read with them, has that id; otherwise, or after an install, they are
/// sent again for the shop as proven.
pub async fn current_shop_with(env: &worker::Env, reads: ShopReads<'_>) -> Result<(CurrentShop, Vec<D1Result>), AppError> {
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
        let extra = reads(&db, placed.shop_id)?;
        // The first read of the shop's shard: if it fails, the shard is down for now (its
        // shops get 503 and retry; shops on other shards are not touched).
        let (row, mut results) = if extra.is_empty() {
            (shops::by_domain(&db, &domain).await.map_err(|_| shards::unavailable(index))?, Vec::new())
        } else {
            let mut statements = vec![shops::by_domain_statement(&db, &domain)?];
            statements.extend(extra);
            let mut results = batch_read(&db, statements).await.map_err(|_| shards::unavailable(index))?.into_iter();
            let own = results.next().ok_or_else(|| internal("shop batch", "no result for the shop's row"))?;
            (rows::<shops::ShopRow>(&own).map_err(|_| shards::unavailable(index))?.into_iter().next(), results.collect())
        };
        if let Some(row) = row {
            // With a session token in hand, a shop without a current expiring token (a legacy
            // non-expiring one, or one whose refresh Shopify refused) gets one by token exchange.
            if row.token_current == 1 || !matches!(proof, super::auth::Proof::SessionToken { .. }) {
                if row.id != placed.shop_id {
                    results = read_again(&db, row.id, reads).await?;
                }
                return Ok((CurrentShop { row, db }, results));
            }
        }
    }
    match proof {
        super::auth::Proof::SessionToken { token, .. } => {
            let shop = super::install::via_token_exchange(env, &domain, &token).await?;
            let results = read_again(&shop.db, shop.id, reads).await?;
            Ok((shop, results))
        }
        _ => Err(AppError::Unauthorized),
    }
}

async fn read_again(db: &D1Database, shop_id: i64, reads: ShopReads<'_>) -> Result<Vec<D1Result>, AppError> {
    let statements = reads(db, shop_id)?;
    if statements.is_empty() {
        return Ok(Vec::new());
    }
    batch_read(db, statements).await
}
