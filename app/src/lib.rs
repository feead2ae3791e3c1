//! Stock Sentry's Leptos app. `app.rs` holds the HTML shell and the router, `pages/` one
//! module per route, `components/` shared widgets, `api/` the server functions, and
//! `server/` (ssr only) the bindings, D1 repositories and help articles they call.

pub mod api;
pub mod app;
pub mod components;
pub mod error;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
pub mod wire;

pub use app::{shell, App};
