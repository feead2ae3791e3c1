//! Shopify's wire formats, pure: request authentication (auth), Admin GraphQL queries and
//! responses (admin), webhook payloads (webhooks). The Worker and the fake Shopify both
//! build on these, so the real Shopify and the fake speak exactly the same format.

pub mod admin;
pub mod auth;
pub mod embedded;
pub mod tokens;
pub mod webhooks;

/// The Admin API version every call pins.
pub const API_VERSION: &str = "2026-10";
