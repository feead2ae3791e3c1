//! What the "what to watch" form shows, shared by the Settings page and the repository
//! that reads it.

use domain::watch::WatchInput;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocationChoice {
    pub id: i64,
    pub name: String,
    pub watched: bool,
}

/// Everything the form shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WatchPage {
    pub input: WatchInput,
    pub locations: Vec<LocationChoice>,
    /// The shop's own zone from Shopify, as the first choice reads ("America/New York").
    pub shop_zone: String,
    /// Every zone that can be chosen: (IANA name, label with its offset today).
    pub zones: Vec<(String, String)>,
}
