//! What a launch forecast borrowed (`engine::launch`): part of every assessment's
//! explanation, so it sits below both `assess`, which carries it, and `launch`, which
//! assesses with it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LaunchSource {
    /// The product's other variants at this location.
    Product,
    /// Variants of the same product type at this location.
    ProductType,
}

/// What a launch forecast was built from, for the variant page and the alert's words.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LaunchBasis {
    pub source: LaunchSource,
    /// Peers the borrowed pace came from.
    pub peers: u32,
    /// Their pace (units/day): mean over the product's variants, median over the type's.
    pub peer_daily: f64,
    /// In-stock days of the variant's own history, and its units sold on them.
    pub own_days: u32,
    pub own_units: u32,
}
