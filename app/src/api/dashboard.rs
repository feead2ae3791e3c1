use crate::error::AppError;
use domain::alert_filter::AlertFilter;
use leptos::prelude::*;

pub use crate::wire::dashboard::{AlertRow, Dashboard, FilterOptions, Hydrated};

/// The dashboard for the query string's filters. The arguments are the query-string
/// fields as text (all optional), so a URL, a GET form and this call say the same thing;
/// `domain::alert_filter` reads them and drops what it cannot use.
// One argument per form field: the URL's (or the form's) fields, each decoded on its own.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "dashboard", output = crate::api::codec::Json)]
pub async fn get_dashboard(
    kind: Option<String>,
    location: Option<String>,
    vendor: Option<String>,
    product_type: Option<String>,
    state: Option<String>,
    q: Option<String>,
    page: Option<String>,
    #[server(default)] abc: Option<String>,
    #[server(default)] xyz: Option<String>,
) -> Result<Dashboard, AppError> {
    use crate::server::context::{run, today_in, worker_env};
    use crate::server::session::current_shop_with;
    let fields = [
        ("kind", kind),
        ("location", location),
        ("vendor", vendor),
        ("product_type", product_type),
        ("state", state),
        ("q", q),
        ("page", page),
        ("abc", abc),
        ("xyz", xyz),
    ];
    let filter = AlertFilter::from_pairs(fields.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))));
    run(async move {
        use crate::server::repo::dashboard;
        let env = worker_env().await?;
        // Alerts as the engine last left them (recalculated nightly, on every stock or
        // sales webhook, and when settings change), with the merchant's actions since, and
        // the sync progress: read in the round trip that reads the shop's row.
        let reads = |db: &worker::D1Database, shop_id: i64| dashboard::statements(db, shop_id, &filter);
        let (shop, results) = current_shop_with(&env, &reads).await?;
        let d = dashboard::read(&results)?;
        let today = today_in(shop.zone());
        Ok(Dashboard {
            shop_name: shop.row.name,
            shop_domain: shop.row.domain,
            currency: shop.row.currency,
            today,
            summaries: d.summaries,
            live: d.live,
            filter,
            total: d.total,
            rows: d.rows,
            options: d.options,
            sync: crate::api::sync::views(d.sync),
        })
    })
    .await
}

/// Calls `get_dashboard` with a parsed filter (its canonical fields).
pub async fn fetch_dashboard(filter: AlertFilter) -> Result<Dashboard, AppError> {
    let fields = filter.to_pairs();
    let take = |k: &str| fields.iter().find(|(key, _)| *key == k).map(|(_, v)| v.clone());
    get_dashboard(
        take("kind"),
        take("location"),
        take("vendor"),
        take("product_type"),
        take("state"),
        take("q"),
        take("page"),
        take("abc"),
        take("xyz"),
    )
    .await
}
