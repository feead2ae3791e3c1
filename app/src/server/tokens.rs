//! A shop's offline access token for background work and Admin API calls: refreshed ahead
//! of expiry and once on a 401, migrated from a legacy non-expiring token, never lost.
//!
//! Concurrency: every token write is a compare-and-set on `shops.token_version`. Before a
//! refresh a caller takes a short lease on the row (`take_refresh_lease`); the others wait
//! for the new version and use its token, so two consumers, a page and a cron refresh once.
//! A lease whose holder died lapses after `LEASE_SECS`.
//!
//! Failure: a refresh that gets no usable answer (5xx after retries, a lost response) keeps
//! the stored refresh token: Shopify keeps the previous one valid until its replacement is
//! used, so the next try recovers. A refused refresh (`invalid_grant`) marks the shop
//! "needs sign-in" once, with one log line; background jobs then skip the shop quietly
//! until an embedded visit runs token exchange again (`session::current_shop`).

use super::config::{random_bytes, AppConfig};
use super::context::{internal, now_rfc3339};
use super::log;
use super::repo::shops::{self, SealedToken, TokenRow};
use super::shopify::{self, GrantFailure, ShopifyError};
use crate::error::AppError;
use domain::shopify::tokens::{OfflineToken, TokenState};
use domain::ShopDomain;
use std::future::Future;
use std::time::Duration;
use worker::D1Database;

/// How long a refresh may take before another caller may try.
const LEASE_SECS: i64 = 30;
/// A caller waits for another's refresh a little longer than the lease, so a holder that
/// died is taken over rather than reported; polls start at `FIRST_WAIT_MS` and double up
/// to `MAX_WAIT_MS`.
const WAIT_SECS: i64 = LEASE_SECS + 5;
const FIRST_WAIT_MS: u64 = 250;
const MAX_WAIT_MS: u64 = 2000;

/// An access token usable now, and the row version it came from.
#[derive(Clone)]
pub struct ShopToken {
    pub access_token: String,
    version: i64,
}

pub struct TokenContext<'a> {
    pub cfg: &'a AppConfig,
    pub db: &'a D1Database,
    pub shop_id: i64,
    pub domain: &'a ShopDomain,
}

fn now_secs() -> i64 {
    (worker::Date::now().as_millis() / 1000) as i64
}

/// Seals a token for storage.
pub fn seal(cfg: &AppConfig, t: &OfflineToken) -> Result<SealedToken, AppError> {
    let refresh = match &t.refresh_token {
        Some(r) => Some(cfg.sealing.seal(random_bytes::<12>()?, r)),
        None => None,
    };
    Ok(SealedToken {
        access_token: cfg.sealing.seal(random_bytes::<12>()?, &t.access_token),
        token_expires_at: t.expires_at,
        token_issued_at: t.issued_at,
        refresh_token: refresh,
        refresh_expires_at: t.refresh_expires_at,
    })
}

fn open(cfg: &AppConfig, row: &TokenRow) -> Result<Option<OfflineToken>, AppError> {
    let Some(sealed) = &row.access_token else { return Ok(None) };
    let access_token = cfg.sealing.open(sealed).map_err(|e| internal("open access token", e))?;
    let refresh_token = match &row.refresh_token {
        Some(r) => Some(cfg.sealing.open(r).map_err(|e| internal("open refresh token", e))?),
        None => None,
    };
    Ok(Some(OfflineToken {
        access_token,
        scope: String::new(),
        expires_at: row.token_expires_at,
        refresh_token,
        refresh_expires_at: row.refresh_expires_at,
        issued_at: row.token_issued_at,
    }))
}

/// The shop's token for an Admin API call now; `None` when the shop has none usable (not
/// installed, or waiting for its merchant to sign in again). `stale` names a version that
/// Shopify just refused with a 401: refresh it even though it looks fresh.
pub async fn current(ctx: &TokenContext<'_>, stale: Option<i64>) -> Result<Option<ShopToken>, AppError> {
    let deadline = now_secs() + WAIT_SECS;
    let mut wait_ms = FIRST_WAIT_MS;
    while now_secs() <= deadline {
        let Some(row) = shops::token_row(ctx.db, ctx.shop_id).await? else { return Ok(None) };
        if row.needs_signin_at.is_some() {
            return Ok(None);
        }
        let Some(token) = open(ctx.cfg, &row)? else { return Ok(None) };
        let now = now_secs();
        let mut state = token.state(now);
        if stale == Some(row.token_version) && state == TokenState::Fresh {
            state = if token.refresh_token.is_some() { TokenState::Refresh } else { TokenState::SignInNeeded };
        }
        match state {
            TokenState::Fresh => return Ok(Some(ShopToken { access_token: token.access_token, version: row.token_version })),
            TokenState::SignInNeeded => {
                needs_sign_in(ctx, row.token_version, "the access token expired and no refresh token is usable").await?;
                return Ok(None);
            }
            TokenState::Refresh | TokenState::Legacy => {
                if shops::take_refresh_lease(ctx.db, ctx.shop_id, row.token_version, now, now + LEASE_SECS).await? {
                    let why = match (stale, state) {
                        (Some(_), _) => "Shopify refused it (401)",
                        (None, TokenState::Legacy) => "non-expiring",
                        _ => "expires soon",
                    };
                    log_line(log::Level::Info, "token_renewing", ctx, &format!("version {}: {why}", row.token_version));
                    return renew(ctx, &row, &token, state).await;
                }
                // Another caller is renewing this version: wait for its result.
                worker::Delay::from(Duration::from_millis(wait_ms)).await;
                wait_ms = (wait_ms * 2).min(MAX_WAIT_MS);
            }
        }
    }
    // Transient: a job retries later (with backoff) instead of failing its sync run.
    Err(AppError::Busy("the shop's access token is being renewed; try again shortly".into()))
}

/// Refreshes (or migrates) under the lease and stores the result at the row's version.
async fn renew(ctx: &TokenContext<'_>, row: &TokenRow, token: &OfflineToken, state: TokenState) -> Result<Option<ShopToken>, AppError> {
    let result = match (state, &token.refresh_token) {
        (TokenState::Legacy, _) => shopify::migrate_token(ctx.cfg, ctx.domain, &token.access_token).await,
        (_, Some(refresh)) => shopify::refresh_token(ctx.cfg, ctx.domain, refresh).await,
        (_, None) => {
            needs_sign_in(ctx, row.token_version, "no refresh token").await?;
            return Ok(None);
        }
    };
    match result {
        Ok(fresh) => {
            let sealed = seal(ctx.cfg, &fresh)?;
            if shops::store_refreshed(ctx.db, ctx.shop_id, row.token_version, &sealed).await? {
                log_line(
                    log::Level::Info,
                    "token_refreshed",
                    ctx,
                    if state == TokenState::Legacy { "migrated to an expiring token" } else { "refreshed" },
                );
                Ok(Some(ShopToken { access_token: fresh.access_token, version: row.token_version + 1 }))
            } else {
                // The row moved on (a sign-in stored a newer grant meanwhile): use that.
                log_line(
                    log::Level::Warn,
                    "token_refresh_discarded",
                    ctx,
                    &format!("the row left version {} while refreshing", row.token_version),
                );
                Box::pin(current(ctx, None)).await
            }
        }
        Err(GrantFailure::Refused(e)) if e.needs_sign_in() => {
            if needs_sign_in(ctx, row.token_version, &format!("{}: {}", e.error, e.error_description)).await? {
                return Ok(None);
            }
            // The row moved on while we refreshed (a sign-in stored a new grant, retiring the
            // refresh token we used): use the new one.
            shops::release_refresh_lease(ctx.db, ctx.shop_id, row.token_version).await?;
            Box::pin(current(ctx, None)).await
        }
        Err(failure) => {
            // Keep the stored refresh token: Shopify accepts it again until its replacement is used.
            shops::release_refresh_lease(ctx.db, ctx.shop_id, row.token_version).await?;
            Err(AppError::Upstream(ShopifyError::from(failure).to_string()))
        }
    }
}

/// Marks the shop at `version` for sign-in; `false` when the row has moved on (another
/// grant was stored meanwhile) or was already marked.
async fn needs_sign_in(ctx: &TokenContext<'_>, version: i64, why: &str) -> Result<bool, AppError> {
    let marked = shops::mark_needs_signin(ctx.db, ctx.shop_id, version, &now_rfc3339()).await?;
    if marked {
        // Once per shop and refusal: background jobs skip the shop quietly from here on.
        log_line(log::Level::Warn, "shop_needs_signin", ctx, why);
    }
    Ok(marked)
}

fn log_line(level: log::Level, event: &str, ctx: &TokenContext<'_>, detail: &str) {
    log::Line::new(level, event).shop(ctx.domain.as_str()).field("shop_id", ctx.shop_id).field("detail", detail).emit();
}

/// Runs an Admin API call with the shop's token; on a 401, refreshes once and runs it
/// again. `Ok(None)`: the shop has no usable token (its work pauses until sign-in).
pub async fn with_token<T, F, Fut>(ctx: &TokenContext<'_>, call: F) -> Result<Option<T>, AppError>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<T, ShopifyError>>,
{
    let Some(token) = current(ctx, None).await? else { return Ok(None) };
    match call(token.access_token.clone()).await {
        Err(ShopifyError::Status { status: 401, .. }) => {
            let Some(again) = current(ctx, Some(token.version)).await? else { return Ok(None) };
            match call(again.access_token).await {
                Err(ShopifyError::Status { status: 401, .. }) => {
                    needs_sign_in(ctx, again.version, "Shopify refused a freshly refreshed token").await?;
                    Ok(None)
                }
                other => other.map(Some).map_err(AppError::from),
            }
        }
        other => other.map(Some).map_err(AppError::from),
    }
}
