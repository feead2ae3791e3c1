//! What the "what to watch" and lead-time forms show, shared by the Settings page and the
//! repository that reads it.

use domain::watch::WatchInput;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocationChoice {
    pub id: i64,
    pub name: String,
    pub watched: bool,
}

/// One stored lead-time override, labelled for the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadTimeRow {
    pub scope: String,
    pub key: String,
    /// The vendor name, or the product's title (and the variant's).
    pub label: String,
    pub lead_time_days: Option<u32>,
    pub lead_time_sd_days: Option<f64>,
    pub target_cover_days: Option<u32>,
}

/// Everything the two forms show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WatchPage {
    pub input: WatchInput,
    pub locations: Vec<LocationChoice>,
    /// The shop's own offset from Shopify (minutes east of UTC), for "Shop's time zone".
    pub shop_offset: i32,
    pub vendors: Vec<String>,
    pub lead_times: Vec<LeadTimeRow>,
    pub default_lead_time_days: u32,
}
