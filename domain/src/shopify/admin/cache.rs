//! Keys of the KV cache of Admin API reads: per shop, per document and variables, never per
//! access token, and all under one per-shop prefix so shop/redact can delete them together.

use serde_json::Value;

/// Seconds a cached Admin API read stays fresh (the KV API cache).
pub const API_CACHE_TTL_SECS: u64 = 300;

/// The KV key of a cached Admin API read: per shop, per document and variables (hashed, so
/// a key stays short whatever the query), never per access token.
pub fn api_cache_key(shop: &str, query: &str, variables: &Value) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(query.as_bytes());
    h.update([0]);
    h.update(variables.to_string().as_bytes());
    let digest = h.finalize();
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("{}{hex}", api_cache_prefix(shop))
}

/// Every API cache key of one shop starts with this (shop/redact deletes them all).
pub fn api_cache_prefix(shop: &str) -> String {
    format!("api:{shop}:")
}
