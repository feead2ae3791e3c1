//! Installing a shop: with its offline access token in hand (from OAuth or token
//! exchange), record the shop, seal the token, and queue the first sync.

use super::config::AppConfig;
use super::context::{db, internal};
use super::repo::shops::{self, ShopRow};
use super::shopify;
use domain::shopify::tokens::OfflineToken;
use crate::error::AppError;
use domain::ShopDomain;

use domain::shopify::admin::{numeric_id, ShopData, WebhookCreateData, SHOP_QUERY, WEBHOOK_SUBSCRIPTION_CREATE};
use domain::shopify::webhooks::Topic;

/// Subscribes to every topic the API can register (the compliance topics are declared in
/// shopify.app.toml instead). A topic that fails is logged and registered again by the
/// next install or sync; it does not block the install.
async fn register_webhooks(cfg: &AppConfig, shop: &ShopDomain, token: &str) {
    for topic in Topic::ALL {
        let Some(enum_name) = topic.graphql_enum() else { continue };
        let variables = serde_json::json!({
            "topic": enum_name,
            "webhookSubscription": {"uri": format!("{}{}", cfg.app_url, topic.path()), "format": "JSON"},
        });
        let result: Result<WebhookCreateData, _> = shopify::graphql(cfg, shop, token, WEBHOOK_SUBSCRIPTION_CREATE, variables).await;
        let problem = match result {
            Ok(d) if d.webhook_subscription_create.user_errors.is_empty() => None,
            // Re-installing: the subscription from the previous install is still there.
            Ok(d) if d.webhook_subscription_create.user_errors.iter().all(|e| e.message.contains("already been taken")) => None,
            Ok(d) => Some(d.webhook_subscription_create.user_errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("; ")),
            Err(e) => Some(e.to_string()),
        };
        if let Some(problem) = problem {
            worker::console_error!(
                "{}",
                serde_json::json!({"level": "error", "event": "webhook_register_failed", "shop": shop.as_str(), "topic": topic.as_str(), "error": problem})
            );
        }
    }
}

/// Records the shop with its newly granted offline token (sealed: access and refresh token).
pub async fn install(env: &worker::Env, shop: &ShopDomain, token: OfflineToken) -> Result<ShopRow, AppError> {
    let cfg = AppConfig::from_env(env)?;
    let data: ShopData =
        shopify::graphql(&cfg, shop, &token.access_token, SHOP_QUERY, serde_json::json!({})).await?;
    let id = numeric_id(&data.shop.id).ok_or_else(|| internal("shop id", &data.shop.id))?;
    let sealed = super::tokens::seal(&cfg, &token)?;
    let db = db(env)?;
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
    // Concurrent installs of one shop (an embedded page's first requests): one registers the
    // webhooks and starts the sync; the others only refresh the token.
    if shops::claim_first_sync(&db, id, &super::context::now_rfc3339()).await? {
        register_webhooks(&cfg, shop, &token.access_token).await;
        super::sync::enqueue(env, domain::jobs::SyncStep::Start { shop_id: id, orders_days: domain::jobs::full_history_days() }, 0).await?;
        worker::console_log!("{}", serde_json::json!({"level": "info", "event": "shop_installed", "shop": shop.as_str()}));
    }
    shops::by_domain(&db, shop).await?.ok_or_else(|| internal("install", "shop row missing after upsert"))
}

pub async fn via_token_exchange(env: &worker::Env, shop: &ShopDomain, session_token: &str) -> Result<ShopRow, AppError> {
    let cfg = AppConfig::from_env(env)?;
    let token = shopify::exchange_session_token(&cfg, shop, session_token).await.map_err(shopify::ShopifyError::from)?;
    worker::console_log!("{}", serde_json::json!({"level": "info", "event": "token_exchanged", "shop": shop.as_str(), "expiring": token.expires_at.is_some()}));
    install(env, shop, token).await
}
