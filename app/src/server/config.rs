//! The app's Shopify configuration: `[vars]` in wrangler.toml and secrets from
//! `wrangler secret put` / `.dev.vars`. Read per request (env access is cheap; the sealing
//! key's expansion is not, and is kept per isolate).

use super::context::internal;
use crate::error::AppError;
use domain::crypto::SealingKey;
use domain::ShopDomain;

pub struct AppConfig {
    pub api_key: String,
    pub api_secret: String,
    /// Where a shop's Admin API and OAuth live, with `{shop}` for the shop domain:
    /// `https://{shop}` for the real Shopify, the fake's URL locally.
    pub shop_base: String,
    /// This app's public origin, for OAuth redirects and webhook addresses.
    pub app_url: String,
    pub scopes: String,
    pub sealing: SealingKey,
}

fn var(env: &worker::Env, name: &str) -> Result<String, AppError> {
    env.var(name)
        .map(|v| v.to_string())
        .or_else(|_| env.secret(name).map(|v| v.to_string()))
        .map_err(|_| internal("configuration", format!("{name} is not set (wrangler.toml [vars], .dev.vars or wrangler secret)")))
}

thread_local! {
    /// The sealing key as last read, with the text it came from: expanding an AES-256 key
    /// costs more than the rest of a dashboard request's checks (0.4 ms, measured with the
    /// Worker's CPU profile), and an isolate's secrets do not change while it lives.
    static SEALING: std::cell::RefCell<Option<(String, SealingKey)>> = const { std::cell::RefCell::new(None) };
}

fn sealing_key(text: &str) -> Result<SealingKey, AppError> {
    if let Some(key) = SEALING.with(|c| c.borrow().as_ref().filter(|(t, _)| t == text).map(|(_, k)| k.clone())) {
        return Ok(key);
    }
    let key = SealingKey::from_base64(text).map_err(|e| internal("TOKEN_SEALING_KEY", e))?;
    SEALING.with(|c| *c.borrow_mut() = Some((text.to_string(), key.clone())));
    Ok(key)
}

impl AppConfig {
    pub fn from_env(env: &worker::Env) -> Result<Self, AppError> {
        let sealing = sealing_key(&var(env, "TOKEN_SEALING_KEY")?)?;
        Ok(Self {
            api_key: var(env, "SHOPIFY_API_KEY")?,
            api_secret: var(env, "SHOPIFY_API_SECRET")?,
            shop_base: var(env, "SHOPIFY_SHOP_BASE")?,
            app_url: var(env, "APP_URL")?.trim_end_matches('/').to_string(),
            scopes: var(env, "SHOPIFY_SCOPES")?,
            sealing,
        })
    }

    /// `path` (starting with `/admin/…`) at the shop.
    pub fn shop_url(&self, shop: &ShopDomain, path: &str) -> String {
        format!("{}{path}", self.shop_base.replace("{shop}", shop.as_str()))
    }
}

/// 12 or more bytes from the platform's CSPRNG (Web Crypto in the Worker).
pub fn random_bytes<const N: usize>() -> Result<[u8; N], AppError> {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).map_err(|e| internal("random bytes", e))?;
    Ok(buf)
}

pub fn random_id() -> Result<String, AppError> {
    Ok(random_bytes::<16>()?.iter().map(|b| format!("{b:02x}")).collect())
}
