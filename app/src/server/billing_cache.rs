//! The billing gate's answer per shop (`domain::billing::Access`), kept in KV for
//! `BILLING_CACHE_SECS` so an embedded visit costs one KV read. The gate (the Worker's
//! `billing`) reads and fills it; an `app_subscriptions/update` webhook drops it (`ingest`).

use super::bindings;
use domain::billing::{Access, BILLING_CACHE_SECS};
use domain::ShopDomain;

fn key(shop: &ShopDomain) -> String {
    format!("billing:{}", shop.as_str())
}

/// The remembered answer, if any and readable.
pub async fn cached(env: &worker::Env, shop: &ShopDomain) -> Option<Access> {
    let kv = env.kv(bindings::KV).ok()?;
    kv.get(&key(shop)).json::<Access>().await.ok().flatten()
}

/// Remembers `access` for `BILLING_CACHE_SECS`; a failed write only costs a Shopify call later.
pub async fn remember(env: &worker::Env, shop: &ShopDomain, access: &Access) {
    let Ok(kv) = env.kv(bindings::KV) else { return };
    if let Ok(put) = kv.put(&key(shop), access) {
        let _ = put.expiration_ttl(BILLING_CACHE_SECS).execute().await;
    }
}

/// Drops the remembered answer (a plan changed).
pub async fn forget(env: &worker::Env, shop: &ShopDomain) {
    if let Ok(kv) = env.kv(bindings::KV) {
        let _ = kv.delete(&key(shop)).await;
    }
}
