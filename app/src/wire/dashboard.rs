//! What the dashboard's server function returns: the alert list, its filter menus and the
//! sync progress, shared by the page (browser) and the repository that fills it (server).

use crate::error::AppError;
use chrono::NaiveDate;
use domain::alert_filter::AlertFilter;
use domain::engine::AlertState;
use domain::risk::{KindSummary, RiskRow};
use domain::{RiskKind, StockPosition};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One listed alert: its id (for the actions), its state and the risk it is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertRow {
    pub id: i64,
    pub state: AlertState,
    // Nested, not `#[serde(flatten)]`: flattening reads each row through serde's generic
    // buffer, code the browser wasm would carry for this one type.
    pub risk: RiskRow,
    /// The variant's ABC and XYZ classes ("A · X", "C"), empty before it is classed.
    #[serde(default)]
    pub class: String,
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

impl AlertRow {
    /// A row known by its id and state alone, as the page's hydration data carries it
    /// ([`Hydrated`]): its other fields are empty, and only its reactive parts read it.
    fn keyed(id: i64, state: AlertState) -> Self {
        let position = StockPosition {
            variant_id: 0,
            location_id: 0,
            product_title: String::new(),
            variant_title: String::new(),
            sku: String::new(),
            location_name: String::new(),
            price_cents: 0,
            on_hand: 0,
            incoming: 0,
            in_stock_days: 0,
            days_since_last_sale: None,
        };
        let risk = RiskRow {
            kind: RiskKind::OutOfStock,
            position,
            velocity: 0.0,
            days_of_cover: None,
            depletion_date: None,
            lost_revenue_per_day_cents: 0,
            stock_value_cents: 0,
            gap_lost_cents: 0,
        };
        Self { id, state, risk, class: String::new() }
    }
}

/// The dashboard as the page's resource carries it from the server-rendered HTML into the
/// browser (Leptos's hydration data): every field but the rows, which come as `[id, state]`
/// pairs only. The rest of each row is already in the HTML, and hydration keeps the
/// server's text and attribute values as they are (tachys writes them only when it renders
/// anew), so the browser's copy of a row needs only what its reactive parts read: its id
/// and state. Sending whole rows twice, as markup and as data, was two thirds of the page.
/// Any new rendering (filters, pages, a refetch) calls `get_dashboard` for whole rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Hydrated(pub Result<Dashboard, AppError>);

type Keys = Vec<(i64, AlertState)>;

impl Serialize for Hydrated {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Ok(d) => {
                let keys: Keys = d.rows.iter().map(|r| (r.id, r.state)).collect();
                let rest = Dashboard { rows: Vec::new(), ..d.clone() };
                Ok::<_, &AppError>((rest, keys)).serialize(s)
            }
            Err(e) => Err::<(Dashboard, Keys), _>(e).serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Hydrated {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let sent = Result::<(Dashboard, Keys), AppError>::deserialize(d)?;
        Ok(Self(
            sent.map(|(rest, keys)| Dashboard { rows: keys.into_iter().map(|(id, state)| AlertRow::keyed(id, state)).collect(), ..rest }),
        ))
    }
}
