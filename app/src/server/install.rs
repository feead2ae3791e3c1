//! Installing a shop: with its offline access token in hand (from OAuth or token
//! exchange), record the shop, seal the token, and queue the first sync.

use super::config::AppConfig;
use super::context::internal;
use super::repo::shops;
use super::shards::CurrentShop;
use super::shopify;
use crate::error::AppError;
use domain::shopify::tokens::OfflineToken;
use domain::ShopDomain;

use super::log;
use domain::shopify::admin::{numeric_id, ShopData, SHOP_QUERY};

/// Records the shop with its newly granted offline token (sealed: access and refresh token).
pub async fn install(env: &worker::Env, shop: &ShopDomain, token: OfflineToken) -> Result<CurrentShop, AppError> {
    let cfg = AppConfig::from_env(env)?;
    let data: ShopData = shopify::graphql(&cfg, shop, &token.access_token, SHOP_QUERY, serde_json::json!({})).await?;
    let id = numeric_id(&data.shop.id).ok_or_else(|| internal("shop id", &data.shop.id))?;
    let sealed = super::tokens::seal(&cfg, &token)?;
    // The shop's shard: where it is, or the lightest for a new shop (before any of its rows).
    let db = super::shards::place(env, id, shop.as_str(), &super::context::now_rfc3339()).await?.db;
    shops::upsert_installed(
        &db,
        &shops::Installed {
            id,
            domain: shop.as_str(),
            name: &data.shop.name,
            currency: &data.shop.currency_code,
            timezone: &data.shop.iana_timezone,
            utc_offset_minutes: data.shop.timezone_offset_minutes.unwrap_or(0),
            token: sealed,
            scopes: &token.scope,
        },
    )
    .await?;
    // Concurrent installs of one shop (an embedded page's first requests): one starts the
    // sync; the others only store the token. Webhooks need nothing here: they are
    // app-specific subscriptions in shopify.app.toml, which Shopify applies to every shop.
    if shops::claim_first_sync(&db, id, &super::context::now_rfc3339()).await? {
        super::sync::request_full(env, &db, id).await?;
        log::info("shop_installed").field("shop", shop.as_str()).emit();
    }
    let row = shops::by_domain(&db, shop).await?.ok_or_else(|| internal("install", "shop row missing after upsert"))?;
    Ok(CurrentShop { row, db })
}

pub async fn via_token_exchange(env: &worker::Env, shop: &ShopDomain, session_token: &str) -> Result<CurrentShop, AppError> {
    let cfg = AppConfig::from_env(env)?;
    let token = shopify::exchange_session_token(&cfg, shop, session_token).await.map_err(shopify::ShopifyError::from)?;
    log::info("token_exchanged").field("shop", shop.as_str()).field("expiring", token.expires_at.is_some()).emit();
    install(env, shop, token).await
}
