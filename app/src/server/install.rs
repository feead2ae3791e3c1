//! Installing a shop: with its offline access token in hand (from OAuth or token
//! exchange), record the shop, seal the token, and queue the first sync.

use super::config::{random_bytes, AppConfig};
use super::context::{db, internal};
use super::repo::shops::{self, ShopRow};
use super::shopify::{self, AccessToken};
use crate::error::AppError;
use domain::ShopDomain;
use serde::Deserialize;

const SHOP_QUERY: &str = "query ShopInfo { shop { id name currencyCode ianaTimezone myshopifyDomain } }";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ShopInfo {
    id: String,
    name: String,
    currency_code: String,
    iana_timezone: String,
}

#[derive(Deserialize)]
struct ShopData {
    shop: ShopInfo,
}

/// `gid://shopify/Shop/123` → 123.
fn gid_tail(gid: &str) -> Option<i64> {
    gid.rsplit('/').next()?.parse().ok()
}

pub async fn install(env: &worker::Env, shop: &ShopDomain, token: AccessToken) -> Result<ShopRow, AppError> {
    let cfg = AppConfig::from_env(env)?;
    let data: ShopData =
        shopify::graphql(&cfg, shop, &token.access_token, SHOP_QUERY, serde_json::json!({})).await?;
    let id = gid_tail(&data.shop.id).ok_or_else(|| internal("shop id", &data.shop.id))?;
    let sealed = cfg.sealing.seal(random_bytes::<12>()?, &token.access_token);
    let db = db(env)?;
    shops::upsert_installed(
        &db,
        &shops::Installed {
            id,
            domain: shop.as_str(),
            name: &data.shop.name,
            currency: &data.shop.currency_code,
            timezone: &data.shop.iana_timezone,
            sealed_token: &sealed,
            scopes: &token.scope,
        },
    )
    .await?;
    worker::console_log!("{}", serde_json::json!({"level": "info", "event": "shop_installed", "shop": shop.as_str()}));
    shops::by_domain(&db, shop).await?.ok_or_else(|| internal("install", "shop row missing after upsert"))
}

pub async fn via_token_exchange(env: &worker::Env, shop: &ShopDomain, session_token: &str) -> Result<ShopRow, AppError> {
    let cfg = AppConfig::from_env(env)?;
    let token = shopify::exchange_session_token(&cfg, shop, session_token).await?;
    install(env, shop, token).await
}
