//! Settings → Bundles: the shop's bundles and kits, from Shopify (`productVariantComponents`)
//! and from the merchant's list for other bundle apps, imported as CSV. Rendered on the server
//! (`server::fragment`): the import posts as a plain form, a refusal comes back with its lines.

use crate::components::server_html::{returned_post, ServerRegion};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

#[server(endpoint = "bundles/html", output = crate::api::codec::Json)]
pub async fn bundles_html(returned_path: Option<String>, returned_err: Option<String>) -> Result<String, AppError> {
    use crate::server::context::{run, worker_env};
    run(async move {
        let env = worker_env().await?;
        let shop = crate::server::session::current_shop(&env).await?;
        let rows = crate::server::repo::bundles::list(&shop.db, shop.id).await?;
        Ok(crate::server::fragment::render(returned_path.zip(returned_err), move || html::body(rows)))
    })
    .await
}

#[component]
pub fn BundlesSettings() -> impl IntoView {
    let (path, err) = returned_post();
    let page = Resource::new(|| (), move |_| bundles_html(path.clone(), err.clone()));
    view! {
        <Title text="Bundles · Stock Sentry"/>
        <p class="breadcrumb"><a href="/app/settings">"Settings"</a>" › Bundles"</p>
        <h1>"Bundles and kits"</h1>
        <p class="muted">"A bundle's stock is its components': a bundle raises no alerts of its own, its sales count as demand of its components, and a component's alerts name the bundles that drive it. "
            <a href="/help/bundles">"How bundles are counted"</a></p>
        <ServerRegion html=page loading="Loading bundles…"/>
    }
}

/// The views, rendered on the server only.
#[cfg(feature = "ssr")]
mod html {
    use crate::api::bundles::ImportBundles;
    use crate::components::csv_import::CsvImport;
    use crate::components::post_form::FormAction;
    use crate::server::repo::bundles::BundleRow;
    use domain::bundles::BUNDLES_HEADER;
    use leptos::prelude::*;

    pub fn body(rows: Vec<BundleRow>) -> AnyView {
        view! { <BundlesBody rows/> }.into_any()
    }

    #[component]
    fn BundlesBody(rows: Vec<BundleRow>) -> impl IntoView {
        let import = FormAction::of::<ImportBundles>();
        let manual: Vec<&BundleRow> = rows.iter().filter(|r| r.source == "manual").collect();
        let csv = domain::bundles::list_csv(
            &manual
                .iter()
                .map(|r| domain::bundles::BundleLine {
                    bundle_sku: r.bundle_sku.clone(),
                    component_sku: r.component_sku.clone(),
                    quantity: u32::try_from(r.quantity).unwrap_or(1),
                })
                .collect::<Vec<_>>(),
        );
        let stored = format!("{} manual {} stored.", manual.len(), if manual.len() == 1 { "line" } else { "lines" });
        let table = if rows.is_empty() {
            view! { <p class="empty">"No bundles yet. Shopify's own bundles appear after the next sync; list other bundle apps' bundles below."</p> }.into_any()
        } else {
            let body = rows
                .iter()
                .map(|r| {
                    let source = if r.source == "shopify" { "Shopify" } else { "Your list" };
                    view! {
                        <tr>
                            <th scope="row"><a href=format!("/app/variants/{}", r.bundle_variant_id)>{r.bundle_title.clone()}</a>
                                <span class="variant">{r.bundle_sku.clone()}</span></th>
                            <td><a href=format!("/app/variants/{}", r.component_variant_id)>{r.component_title.clone()}</a>
                                <span class="variant">{r.component_sku.clone()}</span></td>
                            <td class="num">{r.quantity}</td>
                            <td>{source}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <div class="table-wrap" tabindex="0" role="region" aria-label="Bundles and their components">
                    <table class="data-table" id="bundles-table">
                        <thead><tr>
                            <th scope="col">"Bundle"</th><th scope="col">"Component"</th>
                            <th scope="col" class="num">"Per bundle"</th><th scope="col">"From"</th>
                        </tr></thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
            }
            .into_any()
        };
        view! {
            <section class="section" aria-labelledby="bundles-heading">
                <h2 id="bundles-heading">"All bundles"</h2>
                {table}
            </section>
            <CsvImport id="bundles" heading="Bundles from other apps" stored csv download_name="bundles.csv"
                download_label="Download the list (CSV)" label="Import a bundle list" button="Import the list"
                refused="The list was not imported; nothing changed. Fix the lines below and import it again." import>
                "One line per component, under the header "<code>{BUNDLES_HEADER}</code>
                ". It replaces the stored list; Shopify's own bundles stay as Shopify lists them. A bundle cannot contain itself or another bundle, and a file with any bad line changes nothing."
            </CsvImport>
        }
    }
}
