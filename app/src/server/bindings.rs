//! Binding and variable names; `wrangler.toml` declares the same ones.

pub const DB: &str = "DB";
pub const KV: &str = "KV";
pub const JOBS_QUEUE: &str = "JOBS";
/// The shop served while Shopify auth is not wired in (`[vars]` in wrangler.toml).
pub const DEMO_SHOP_VAR: &str = "DEMO_SHOP";
