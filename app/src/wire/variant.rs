//! The variant page's data: stock per location, today's assessment, charts' days, alerts
//! and forecast error, shared by the page and the server module that assembles it.

use chrono::NaiveDate;
use domain::chart::{FutureDay, PastDay};
use domain::engine::{DemandPattern, Explanation, ForecastMethod};
use domain::RiskKind;
use serde::{Deserialize, Serialize};

/// Days of history and of forecast the variant page charts.
pub const PAST_DAYS: u64 = 90;
pub const FUTURE_DAYS: u64 = 28;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocationStock {
    pub location_id: i64,
    pub name: String,
    pub on_hand: i64,
    pub incoming: i64,
    pub days_of_cover: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiveAlert {
    pub id: i64,
    pub kind: RiskKind,
    pub state: String,
    pub snoozed_until: Option<String>,
    /// The explanation in words, from today's numbers.
    pub words: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ForecastError {
    /// MASE of the engine over the last 28 days (1.0 = as good as repeating last week).
    pub mase: f64,
    /// The 30-day average's MASE over the same days, for comparison.
    pub naive_mase: Option<f64>,
    pub scored_days: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariantPage {
    pub variant_id: i64,
    pub product_title: String,
    pub variant_title: String,
    pub sku: String,
    pub vendor: String,
    pub currency: String,
    pub price_cents: i64,
    pub cost_cents: i64,
    #[serde(deserialize_with = "domain::dates::ymd")]
    pub today: NaiveDate,
    pub locations: Vec<LocationStock>,
    /// The location shown.
    pub location_id: i64,
    pub explanation: Explanation,
    pub pattern: DemandPattern,
    pub method: ForecastMethod,
    pub alerts: Vec<LiveAlert>,
    pub past: Vec<PastDay>,
    pub future: Vec<FutureDay>,
    pub error: Option<ForecastError>,
    /// Weekday indices (Monday first) and, after a refit with a year of data, week-of-year
    /// factors and when they were fitted.
    pub day_of_week: [f64; 7],
    pub shop_day_of_week: Option<[f64; 7]>,
    pub week_of_year: Option<Vec<f64>>,
    pub pattern_fitted_at: Option<String>,
    /// Where the yearly factor in use came from, or why there is none
    /// (`engine::explain::yearly_in_words`).
    #[serde(default)]
    pub yearly_words: String,
    /// For a launch forecast, where its pace was borrowed from
    /// (`engine::explain::launch_in_words`); `None` for a forecast from its own sales.
    #[serde(default)]
    pub launch_words: Option<String>,
    pub product_id: i64,
    /// Which lead time, minimum stock and thresholds apply and where from, and the forms
    /// for the variant's and its product's own: rendered on the server
    /// (`server::override_form`).
    pub levels_html: String,
    /// Where it is ordered from, and on what terms: a form rendered on the server
    /// (`server::supply_form`).
    pub supply_html: String,
    /// The bundles it is sold in, or the components it is made of, in words (empty: none).
    #[serde(default)]
    pub bundle_note: String,
}
