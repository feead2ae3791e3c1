//! Roll-ups: the shop's variants, revenue, stock and live alerts summed per vendor, supplier
//! or product type, ranked by revenue, with a CSV of the table. Rendered on the server
//! (`server::fragment`): nothing on it needs a script, so its view never reaches the wasm.

use crate::components::server_html::ServerRegion;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The roll-up table grouped `by` ("vendor", "supplier", "product_type"; anything else:
/// vendor) as HTML.
#[server(endpoint = "rollups/html", output = crate::api::codec::Json)]
pub async fn rollups_html(by: Option<String>) -> Result<String, AppError> {
    use crate::server::context::{now_rfc3339, run, today_in, worker_env};
    use crate::server::repo::{rollups, suppliers};
    use domain::rollups::{ranked, RollupBy};
    run(async move {
        let env = worker_env().await?;
        let shop = crate::server::session::current_shop(&env).await?;
        let by = RollupBy::parse(by.as_deref().unwrap_or(""));
        // Every vendor has its supplier before variants are grouped by supplier (the only
        // grouping that reads suppliers).
        if by == RollupBy::Supplier {
            suppliers::ensure_vendor_suppliers(&shop.db, shop.id, &now_rfc3339()).await?;
        }
        let page = html::Page {
            by,
            groups: ranked(rollups::list(&shop.db, shop.id, by).await?),
            currency: shop.row.currency.clone(),
            today: today_in(shop.zone()),
        };
        Ok(crate::server::fragment::render(None, move || html::body(page)))
    })
    .await
}

#[component]
pub fn RollupsPage() -> impl IntoView {
    let query = use_query_map();
    let by = move || query.with(|q| q.get("by"));
    let page = Resource::new(by, rollups_html);
    view! {
        <Title text="Roll-ups · Stock Sentry"/>
        <h1>"Roll-ups"</h1>
        <p class="muted">"Variants, a year of revenue, stock and live alerts added up per vendor, supplier or product type: where the money is, and where the trouble is."</p>
        <ServerRegion html=page loading="Adding up…"/>
    }
}

/// The views, rendered on the server only.
#[cfg(feature = "ssr")]
pub(crate) mod html {
    use crate::components::format::{group_thousands, money};
    use domain::rollups::{Rollup, RollupBy};
    use leptos::prelude::*;

    pub struct Page {
        pub by: RollupBy,
        pub groups: Vec<Rollup>,
        pub currency: String,
        pub today: chrono::NaiveDate,
    }

    pub fn body(p: Page) -> AnyView {
        view! { <RollupsBody p/> }.into_any()
    }

    /// Where a group's name leads: the dashboard filtered to it (the dashboard filters by
    /// vendor and product type; a supplier has its section on the reorder list).
    fn group_href(by: RollupBy, name: &str) -> String {
        let name = urlencoding::encode(name);
        match by {
            RollupBy::Vendor => format!("/app?vendor={name}"),
            RollupBy::ProductType => format!("/app?product_type={name}"),
            RollupBy::Supplier => "/app/reorder".to_string(),
        }
    }

    fn count(n: i64) -> String {
        group_thousands(n.max(0).unsigned_abs())
    }

    /// A row's cells from "On hand" on: the same for a group and the total.
    fn stock_and_alerts(g: &Rollup, currency: &str) -> impl IntoView {
        view! {
            <td class="num">{count(g.on_hand)}</td>
            <td class="num">{money(g.stock_value_cents, currency)}</td>
            <td class="num">{count(g.out_of_stock)}</td>
            <td class="num">{count(g.to_reorder)}</td>
            <td class="num">{count(g.excess)}</td>
            <td class="num">{money(g.lost_per_day_cents, currency)}</td>
            <td class="num">{money(g.excess_value_cents, currency)}</td>
        }
    }

    #[component]
    fn RollupsBody(p: Page) -> impl IntoView {
        let Page { by, groups, currency, today } = p;
        let tabs = RollupBy::ALL
            .into_iter()
            .map(|b| {
                let current = (b == by).then_some("page");
                view! { <li><a href=format!("/app/rollups?by={}", b.as_str()) aria-current=current>{format!("By {}", b.label().to_lowercase())}</a></li> }
            })
            .collect_view();
        let nav = view! { <nav class="tabs" aria-label="Group by"><ul>{tabs}</ul></nav> };
        if groups.is_empty() {
            return view! { {nav}<p class="empty">"No products yet: the roll-ups fill in after the first import."</p> }.into_any();
        }
        let total = Rollup::total(&groups);
        let csv = domain::exports::rollups_csv(by, &groups, &currency);
        let href = crate::components::format::csv_data_href(&csv);
        let file = format!("rollups-{}-{today}.csv", by.as_str());
        let no_revenue = (total.revenue_cents == 0)
            .then(|| view! { <p class="muted">"Revenue and classes come from the weekly refit (Sundays, and after a full import); until it has run they show 0."</p> });
        let rows = groups
            .iter()
            .map(|g| {
                let share = g.revenue_share(&total) * 100.0;
                let name = g.display_name(by);
                let cell = if g.name.is_empty() {
                    view! { <span>{name}</span> }.into_any()
                } else {
                    view! { <a href=group_href(by, &g.name)>{name}</a> }.into_any()
                };
                view! {
                    <tr>
                        <th scope="row">{cell}</th>
                        <td class="num">{count(g.variants)}</td>
                        <td class="num">{count(g.class_a)}</td>
                        <td class="num">{money(g.revenue_cents, &currency)}
                            <span class="share" aria-hidden="true"><span class="share-bar" style=format!("width: {share:.1}%")></span></span>
                            <span class="share-text">{format!("{share:.0} %")}</span></td>
                        {stock_and_alerts(g, &currency)}
                    </tr>
                }
            })
            .collect_view();
        view! {
            {nav}
            <p><a class="button" href=href download=file>"Download this table (CSV)"</a></p>
            {no_revenue}
            <div class="table-wrap" tabindex="0" role="region" aria-label=format!("Roll-ups by {}", by.label().to_lowercase())>
                <table class="data-table rollups">
                    <thead><tr>
                        <th scope="col">{by.label()}</th>
                        <th scope="col" class="num">"Variants"</th>
                        <th scope="col" class="num">"Class A"</th>
                        <th scope="col" class="num">"Revenue, last 364 days"</th>
                        <th scope="col" class="num">"On hand"</th>
                        <th scope="col" class="num">"Stock value at cost"</th>
                        <th scope="col" class="num">"Out of stock"</th>
                        <th scope="col" class="num">"To reorder"</th>
                        <th scope="col" class="num">"Overstock or dead"</th>
                        <th scope="col" class="num">"Lost per day"</th>
                        <th scope="col" class="num">"Excess stock value"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                    <tfoot><tr>
                        <th scope="row">"All"</th>
                        <td class="num">{count(total.variants)}</td>
                        <td class="num">{count(total.class_a)}</td>
                        <td class="num">{money(total.revenue_cents, &currency)}</td>
                        {stock_and_alerts(&total, &currency)}
                    </tr></tfoot>
                </table>
            </div>
            <p class="muted">"Out of stock, to reorder (reorder now or low) and overstock or dead count the live alerts (open or acknowledged) of the group's variants at every watched location. "
                <a href="/help/abc-classes">"ABC classes and roll-ups"</a></p>
        }
        .into_any()
    }
}
