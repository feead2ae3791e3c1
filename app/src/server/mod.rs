//! Server-only code (feature `ssr`): Worker bindings, D1 repositories, help articles.
//! Nothing here is compiled into the browser wasm.

pub mod auth;
pub mod billing_cache;
pub mod bindings;
pub mod channels;
pub mod config;
pub mod context;
pub mod d1;
pub mod digest;
pub mod faults;
pub mod features;
pub mod fragment;
pub mod help;
pub mod ingest;
pub mod install;
pub mod log;
pub mod mail;
pub mod metrics;
pub mod override_form;
pub mod purchasing;
pub mod queue;
pub mod rate_limit;
pub mod recalc;
pub mod repo;
pub mod retention;
pub mod seasonal;
pub mod session;
pub mod shards;
pub mod shopify;
pub mod supply_form;
pub mod sync;
pub mod tokens;
pub mod variant;
