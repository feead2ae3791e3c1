//! Transfers before orders: stock one location can spare for another that is due to reorder
//! the same variant (`domain::engine::transfers`), as a list and a CSV. Rendered on the server
//! (`server::fragment`): nothing on it needs a script.

use crate::components::server_html::ServerRegion;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

/// Today's suggested transfers as HTML.
#[server(endpoint = "transfers/html", output = crate::api::codec::Json)]
pub async fn transfers_html() -> Result<String, AppError> {
    use crate::server::context::{run, today_in, worker_env};
    run(async move {
        let env = worker_env().await?;
        let shop = crate::server::session::current_shop(&env).await?;
        let today = today_in(shop.zone());
        let page = html::Page {
            moves: crate::server::purchasing::transfer_suggestions(&shop.db, shop.id, today).await?,
            currency: shop.row.currency.clone(),
            today,
        };
        Ok(crate::server::fragment::render(None, move || html::body(page)))
    })
    .await
}

#[component]
pub fn TransfersPage() -> impl IntoView {
    let page = Resource::new(|| (), |_| transfers_html());
    view! {
        <Title text="Transfers · Stock Sentry"/>
        <p class="breadcrumb"><a href="/app/reorder">"Reorder"</a>" › Transfers"</p>
        <h1>"Transfers before orders"</h1>
        <p class="muted">"Stock one location holds beyond its own needs, moved to a location due to reorder the same variant: cheaper and sooner than buying more. "
            "A location sends only what is on its shelf, and keeps enough for its lead time, its cover days and its safety stock."</p>
        <ServerRegion html=page loading="Looking for stock to move…"/>
    }
}

/// The views, rendered on the server only.
#[cfg(feature = "ssr")]
pub(crate) mod html {
    use crate::components::format::{days, group_thousands, money};
    use domain::engine::TransferSuggestion;
    use leptos::prelude::*;

    pub struct Page {
        pub moves: Vec<TransferSuggestion>,
        pub currency: String,
        pub today: chrono::NaiveDate,
    }

    pub fn body(p: Page) -> AnyView {
        view! { <TransfersBody p/> }.into_any()
    }

    #[component]
    fn TransfersBody(p: Page) -> impl IntoView {
        let Page { moves, currency, today } = p;
        if moves.is_empty() {
            return view! { <p class="empty">"No transfers today: no location that is due to reorder a variant has another location with stock to spare."</p> }
                .into_any();
        }
        let units: u64 = moves.iter().map(|m| u64::from(m.quantity)).sum();
        let value = moves.iter().fold(0i64, |t, m| t.saturating_add(m.value_cents));
        let summary = format!(
            "{} {} · {} units · {} at cost not bought",
            moves.len(),
            if moves.len() == 1 { "transfer" } else { "transfers" },
            group_thousands(units),
            money(value, &currency)
        );
        let csv = domain::exports::transfers_csv(&moves, &currency);
        let href = crate::components::format::csv_data_href(&csv);
        let rows = moves
            .into_iter()
            .map(|m| {
                let variant = format!("/app/variants/{}?location={}", m.variant_id, m.to_location_id);
                view! {
                    <tr>
                        <th scope="row"><a href=variant><span class="product">{m.product_title}</span></a>
                            <span class="variant">{m.variant_title}" · "{m.sku}</span></th>
                        <td>{m.from_location}<span class="variant">{format!("{} on hand, keeps {}", m.from_on_hand, m.from_keeps)}</span></td>
                        <td>{m.to_location}<span class="variant">{format!("{} on hand, {} days of cover", m.to_on_hand, days(m.to_days_of_cover))}</span></td>
                        <td class="num"><strong>{m.quantity}</strong></td>
                        <td class="num">{money(m.value_cents, &currency)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <p class="reorder-summary">{summary}</p>
            <p><a class="button button-primary" href=href download=format!("transfers-{today}.csv")>"Download transfers (CSV)"</a></p>
            <div class="table-wrap" tabindex="0" role="region" aria-label="Suggested transfers">
                <table class="data-table">
                    <thead><tr>
                        <th scope="col">"Product"</th><th scope="col">"From"</th><th scope="col">"To"</th>
                        <th scope="col" class="num">"Move"</th><th scope="col" class="num">"Value at cost"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <p class="muted">"The reorder list still shows the full quantities: a transfer you make reaches it as stock on its way once Shopify reports it. "
                <a href="/help/purchasing">"Purchasing and transfers"</a></p>
        }
        .into_any()
    }
}
