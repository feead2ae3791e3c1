//! What the dashboard's server function returns: the alert list, its filter menus and the
//! sync progress, shared by the page (browser) and the repository that fills it (server).

use chrono::NaiveDate;
use domain::alert_filter::AlertFilter;
use domain::engine::AlertState;
use domain::risk::{KindSummary, RiskRow};
use serde::{Deserialize, Serialize};

/// One listed alert: its id (for the actions), its state and the risk it is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertRow {
    pub id: i64,
    pub state: AlertState,
    // Nested, not `#[serde(flatten)]`: flattening reads each row through serde's generic
    // buffer, code the browser wasm would carry for this one type.
    pub risk: RiskRow,
}

/// What the filter menus offer, from the shop's own data.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FilterOptions {
    /// `(id, name)`, by name.
    pub locations: Vec<(i64, String)>,
    pub vendors: Vec<String>,
    pub product_types: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub shop_name: String,
    pub shop_domain: String,
    pub currency: String,
    #[serde(deserialize_with = "domain::dates::ymd")]
    pub today: NaiveDate,
    /// Per kind, over every open and acknowledged alert (the filters do not apply).
    pub summaries: Vec<KindSummary>,
    /// Open and acknowledged alerts in all.
    pub live: u32,
    /// The filter as the server understood it.
    pub filter: AlertFilter,
    /// Alerts matching the filter, on all pages.
    pub total: u32,
    /// This page of them, most urgent first.
    pub rows: Vec<AlertRow>,
    pub options: FilterOptions,
    /// The latest catalogue and orders imports, for the progress bar.
    pub sync: Vec<crate::api::sync::SyncView>,
}
