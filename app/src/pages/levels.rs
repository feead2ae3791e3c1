//! Settings → Levels: the merchant's lead times, minimum stock and thresholds per vendor,
//! supplier, product or variant (overrides of the shop-wide settings), listed, edited per
//! vendor or supplier, and imported and exported as CSV. Rendered on the server
//! (`server::fragment`): every form posts as a plain HTML form, and a refused one comes
//! back with its messages at the fields.

use crate::components::server_html::{returned_post, ServerRegion};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The page as HTML, the override `edit` (`vendor:<name>` or `supplier:<id>`) open in the
/// form; `returned_*`: the refused post the page came back with.
#[server(endpoint = "levels/html", output = crate::api::codec::Json)]
pub async fn levels_html(edit: Option<String>, returned_path: Option<String>, returned_err: Option<String>) -> Result<String, AppError> {
    use crate::server::context::{run, worker_env};
    use crate::server::repo::{overrides, settings, suppliers};
    run(async move {
        let env = worker_env().await?;
        let shop = crate::server::session::current_shop(&env).await?;
        let db = &shop.db;
        // Each vendor's own supplier exists before the list of what levels can apply to.
        suppliers::ensure_vendor_suppliers(db, shop.id, &crate::server::context::now_rfc3339()).await?;
        let page = html::Page {
            rows: overrides::list(db, shop.id).await?,
            vendors: overrides::vendors(db, shop.id).await?,
            suppliers: suppliers::names(db, shop.id).await?,
            shop: settings::get(db, shop.id).await?,
        };
        Ok(crate::server::fragment::render(returned_path.zip(returned_err), move || html::body(page, edit)))
    })
    .await
}

#[component]
pub fn LevelsSettings() -> impl IntoView {
    let query = use_query_map();
    let editing = move || query.with(|q| q.get("edit"));
    let (path, err) = returned_post();
    let page = Resource::new(editing, move |edit| levels_html(edit, path.clone(), err.clone()));
    view! {
        <Title text="Levels and lead times · Stock Sentry"/>
        <p class="breadcrumb"><a href="/app/settings">"Settings"</a>" › Levels and lead times"</p>
        <h1>"Levels and lead times"</h1>
        <p class="muted">
            "Settings hold one lead time and one set of thresholds for the whole shop. Here a vendor, a supplier, a product or a variant gets its own. "
            "Each value is looked up on its own: the variant's, else its product's, else its supplier's, else its vendor's, else the shop's. "
            "Set a product's or a variant's from its page, or for many at once by CSV."
        </p>
        <ServerRegion html=page loading="Loading levels…"/>
    }
}

/// The views, rendered on the server only.
#[cfg(feature = "ssr")]
pub(crate) mod html {
    use crate::api::overrides::{ImportOverrides, SaveOverride};
    use crate::components::csv_import::CsvImport;
    use crate::components::post_form::{FormAction, PostForm};
    use crate::server::override_form::{shop_values, OverrideFields};
    use crate::wire::overrides::StoredOverride;
    use domain::overrides::{write_overrides, OverrideInput, Scope, FIELDS, OVERRIDES_HEADER};
    use domain::settings::{error_for, Settings};
    use leptos::prelude::*;

    pub struct Page {
        pub rows: Vec<StoredOverride>,
        pub vendors: Vec<String>,
        pub suppliers: Vec<(i64, String)>,
        pub shop: Settings,
    }

    pub fn body(p: Page, editing: Option<String>) -> AnyView {
        view! { <LevelsBody p editing/> }.into_any()
    }

    #[component]
    fn LevelsBody(p: Page, editing: Option<String>) -> impl IntoView {
        let save = FormAction::of::<SaveOverride>();
        let import = FormAction::of::<ImportOverrides>();
        let target = |r: &StoredOverride| format!("{}:{}", r.scope.as_str(), r.key);
        let edited = editing.clone().and_then(|t| p.rows.iter().find(|r| target(r) == t).map(StoredOverride::input)).unwrap_or_default();
        let csv = write_overrides(p.rows.iter().filter(|r| !r.csv_key.is_empty()).map(|r| (r.scope, r.csv_key.as_str(), &r.o)));
        let defaults = shop_values(&p.shop);
        view! {
            <section class="section" aria-labelledby="levels-heading">
                <h2 id="levels-heading">"Overrides"</h2>
                {if p.rows.is_empty() {
                    view! { <p class="empty">"No overrides: every variant uses the shop's settings."</p> }.into_any()
                } else {
                    view! { <OverrideTable rows=p.rows.clone() save/> }.into_any()
                }}
            </section>
            <OverrideForm vendors=p.vendors suppliers=p.suppliers editing initial=edited defaults save/>
            <CsvImport id="levels-csv" heading="Import and export" csv download_name="levels.csv" download_label="Download the overrides (CSV)"
                label="Import overrides" button="Import overrides" refused="Nothing was imported. Fix the lines below and import the file again." import>
                "Paste CSV with the header "<code>{OVERRIDES_HEADER}</code>". "
                "The scope is vendor, supplier, product or variant; the key is the vendor's or supplier's name, the product's Shopify ID, or the variant's SKU. "
                "Empty values inherit; a row with every value empty removes that override; overrides not in the file stay. A file with any bad line changes nothing."
            </CsvImport>
        }
    }

    #[component]
    fn OverrideTable(rows: Vec<StoredOverride>, save: FormAction<()>) -> impl IntoView {
        view! {
            <div class="table-wrap" tabindex="0" role="region" aria-label="Overrides">
                <table class="data-table overrides">
                    <thead><tr>
                        <th scope="col">"Applies to"</th>
                        {FIELDS.iter().map(|(_, label)| view! { <th scope="col" class="num">{*label}</th> }).collect_view()}
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr></thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|r| {
                                let what = format!("{} {}", r.scope.as_str(), r.label);
                                let target = format!("{}:{}", r.scope.as_str(), r.key);
                                let edit = match r.scope {
                                    Scope::Vendor | Scope::Supplier => Some(format!("/app/settings/levels?edit={}", urlencoding::encode(&target))),
                                    Scope::Product | Scope::Variant => None,
                                };
                                let values = r.input();
                                view! {
                                    <tr>
                                        <th scope="row"><span class="muted">{format!("{}: ", r.scope.as_str())}</span>{r.label.clone()}</th>
                                        {values.values().into_iter().map(|v| view! { <td class="num">{if v.is_empty() { "—".to_string() } else { v.to_string() }}</td> }).collect_view()}
                                        <td>
                                            {edit.map(|href| view! { <a href=href aria-label=format!("Edit the levels of {what}")>"Edit"</a>" " })}
                                            // Every field empty removes the override.
                                            <PostForm action=save class="inline-form">
                                                <input type="hidden" name="target" value=target/>
                                                <input type="hidden" name="o[min_stock]" value=""/>
                                                <button type="submit" class="button button-plain" aria-label=format!("Remove the levels of {what}")>"Remove"</button>
                                            </PostForm>
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
    }

    #[component]
    fn OverrideForm(
        vendors: Vec<String>,
        suppliers: Vec<(i64, String)>,
        editing: Option<String>,
        initial: OverrideInput,
        defaults: [String; 7],
        save: FormAction<()>,
    ) -> impl IntoView {
        let errors =
            Signal::derive(move || save.value().get().and_then(|r| r.err()).map(|e| e.field_errors().to_vec()).unwrap_or_default());
        // Only a refusal comes back to this server-rendered page; a success reloads it.
        let outcome = move || {
            save.value().get().and_then(|r| r.err()).map(|e| view! { <p class="banner banner-critical" role="alert">{e.to_string()}</p> })
        };
        let chosen = editing.unwrap_or_default();
        let option = move |value: String, label: String| {
            let selected = value == chosen;
            view! { <option value=value selected=selected>{label}</option> }
        };
        let choices: Vec<(String, String)> = suppliers
            .iter()
            .map(|(id, n)| (format!("supplier:{id}"), format!("Supplier: {n}")))
            .chain(vendors.iter().map(|v| (format!("vendor:{v}"), format!("Vendor: {v}"))))
            .collect();
        let none = choices.is_empty();
        view! {
            <PostForm action=save class="form" novalidate=true id="override-form">
                <fieldset class="form-section">
                    <legend>"Set levels for a supplier or vendor"</legend>
                    {none.then(|| view! { <p class="empty">"No vendors or suppliers yet: they arrive with your products at the first sync."</p> })}
                    <div class="field">
                        <label for="override-target">"Applies to"</label>
                        <select id="override-target" name="target" aria-describedby="override-target-error">
                            {choices.into_iter().map(|(v, l)| option(v, l)).collect_view()}
                        </select>
                        <p class="field-error" id="override-target-error" aria-live="polite">{move || error_for(&errors.get(), "target").map(str::to_string)}</p>
                    </div>
                    <div class="field-row">
                        <OverrideFields initial errors prefix="override" defaults/>
                    </div>
                </fieldset>
                <div class="form-actions">
                    <button type="submit" class="button button-primary" disabled=none>"Save levels"</button>
                </div>
                {outcome}
            </PostForm>
        }
    }
}
