//! Per-environment feature flags (`FEATURE_*` vars in wrangler.toml): on unless a var says
//! "false", so a missing var never silently disables protection.

pub const ANALYTICS: &str = "FEATURE_ANALYTICS";
pub const RATE_LIMIT: &str = "FEATURE_RATE_LIMIT";
pub const CACHE: &str = "FEATURE_CACHE";

pub fn enabled(env: &worker::Env, flag: &str) -> bool {
    env.var(flag).map(|v| v.to_string() != "false").unwrap_or(true)
}
