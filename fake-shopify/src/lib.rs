//! The fake Shopify: demo shops generated deterministically from a seed, and a native server
//! speaking Shopify's wire formats (OAuth, token exchange, the Admin GraphQL subset the app
//! uses, signed webhooks, an admin page framing the app) with fault injection.

pub mod admin_page;
/// The demo catalogue lives in its own crate (`demo-shop`), which the engine's tests use too.
pub use demo_shop as catalog;
pub mod crypto;
pub mod delivery;
pub mod flow_triggers;
pub mod orders;
pub mod seed_sql;
pub mod server;
pub mod state;
pub mod tokens;
pub mod webhook;
