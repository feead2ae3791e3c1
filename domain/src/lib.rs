//! Stock Sentry's pure core. Everything here is computed from values, never fetched:
//! the Worker and the Leptos app call in with data and get decisions back, so all of
//! it is unit-tested natively.

pub mod alert_action;
pub mod alert_filter;
pub mod billing;
pub mod bundles;
pub mod channels;
pub mod chart;
pub mod classes;
pub mod crypto;
pub mod dates;
pub mod digest;
pub mod engine;
pub mod exports;
pub mod help;
pub mod html;
pub mod jobs;
pub mod money;
pub mod numbers;
pub mod overrides;
pub mod purchasing;
pub mod risk;
pub mod rollups;
pub mod settings;
pub mod shop;
pub mod shopify;
pub mod watch;

pub use risk::{RiskKind, RiskRow, StockPosition};
pub use settings::{FieldError, Settings, SettingsInput};
pub use shop::ShopDomain;
