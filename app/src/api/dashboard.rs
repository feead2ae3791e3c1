use crate::error::AppError;
use chrono::NaiveDate;
use domain::alert_filter::AlertFilter;
use domain::engine::AlertState;
use domain::risk::{KindSummary, RiskRow};
use leptos::prelude::*;
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

/// The dashboard for the query string's filters. The arguments are the query-string
/// fields as text (all optional), so a URL, a GET form and this call say the same thing;
/// `domain::alert_filter` reads them and drops what it cannot use.
#[server(endpoint = "dashboard", output = crate::api::codec::Json)]
pub async fn get_dashboard(
    kind: Option<String>,
    location: Option<String>,
    vendor: Option<String>,
    product_type: Option<String>,
    state: Option<String>,
    q: Option<String>,
    page: Option<String>,
) -> Result<Dashboard, AppError> {
    use crate::server::context::{current_shop, db, run, today_at, worker_env};
    let fields = [("kind", kind), ("location", location), ("vendor", vendor), ("product_type", product_type), ("state", state), ("q", q), ("page", page)];
    let filter = AlertFilter::from_pairs(fields.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))));
    run(async move {
        let env = worker_env().await?;
        let shop = current_shop(&env).await?;
        let db = db(&env)?;
        // Alerts as the engine last left them (recalculated nightly, on every stock or
        // sales webhook, and when settings change), with the merchant's actions since.
        let d = crate::server::repo::dashboard::load(&db, shop.id, &filter).await?;
        let sync = crate::api::sync::latest_views(&db, shop.id).await?;
        Ok(Dashboard {
            shop_name: shop.name,
            shop_domain: shop.domain,
            currency: shop.currency,
            today: today_at(shop.utc_offset_minutes),
            summaries: d.summaries,
            live: d.live,
            filter,
            total: d.total,
            rows: d.rows,
            options: d.options,
            sync,
        })
    })
    .await
}

/// Calls `get_dashboard` with a parsed filter (its canonical fields).
pub async fn fetch_dashboard(filter: AlertFilter) -> Result<Dashboard, AppError> {
    let fields = filter.to_pairs();
    let take = |k: &str| fields.iter().find(|(key, _)| *key == k).map(|(_, v)| v.clone());
    get_dashboard(take("kind"), take("location"), take("vendor"), take("product_type"), take("state"), take("q"), take("page")).await
}
