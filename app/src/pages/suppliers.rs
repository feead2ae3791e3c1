//! Settings → Suppliers: who the shop buys from (one supplier per vendor to begin with),
//! each supplier's details, and the supplier catalogue as CSV. Rendered on the server
//! (`server::fragment`): every form posts as a plain HTML form, and a refused one comes
//! back with its messages at the fields.

use crate::components::server_html::{returned_post, ServerRegion};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The page as HTML, the supplier `edit` open in its form; `returned_*`: the refused post
/// the page came back with.
#[server(endpoint = "suppliers/html", output = crate::api::codec::Json)]
pub async fn suppliers_html(edit: Option<i64>, returned_path: Option<String>, returned_err: Option<String>) -> Result<String, AppError> {
    use crate::server::context::{run, worker_env};
    run(async move {
        let env = worker_env().await?;
        let shop = crate::server::session::current_shop(&env).await?;
        let page = crate::server::purchasing::suppliers_page(&shop.db, shop.id, &shop.currency).await?;
        Ok(crate::server::fragment::render(returned_path.zip(returned_err), move || html::body(page, edit)))
    })
    .await
}

#[component]
pub fn SuppliersSettings() -> impl IntoView {
    let query = use_query_map();
    let editing = move || query.with(|q| q.get("edit").and_then(|v| v.parse::<i64>().ok()));
    let (path, err) = returned_post();
    let page = Resource::new(editing, move |edit| suppliers_html(edit, path.clone(), err.clone()));
    view! {
        <Title text="Suppliers · Stock Sentry"/>
        <p class="breadcrumb"><a href="/app/settings">"Settings"</a>" › Suppliers"</p>
        <h1>"Suppliers"</h1>
        <p class="muted">"Each vendor starts as a supplier of its own name. Add contact details and terms here; the catalogue says which supplier each variant is ordered from, under what SKU, at what cost, minimum and case pack. The reorder list groups by supplier and rounds to these terms."</p>
        <ServerRegion html=page loading="Loading suppliers…"/>
    }
}

/// The views, rendered on the server only.
#[cfg(feature = "ssr")]
mod html {
    use crate::api::suppliers::{ImportCatalogue, SaveSupplier, SupplierRow, SuppliersPage};
    use crate::components::csv_import::CsvImport;
    use crate::components::format::money;
    use crate::components::post_form::{FormAction, PostForm};
    use domain::purchasing::CATALOGUE_HEADER;
    use domain::settings::error_for;
    use leptos::prelude::*;

    fn lines_stored(lines: usize) -> String {
        format!("{lines} line{} stored.", if lines == 1 { "" } else { "s" })
    }

    pub fn body(p: SuppliersPage, editing: Option<i64>) -> AnyView {
        view! { <SuppliersBody p editing/> }.into_any()
    }

    #[component]
    fn SuppliersBody(p: SuppliersPage, editing: Option<i64>) -> impl IntoView {
        let save = FormAction::of::<SaveSupplier>();
        let import = FormAction::of::<ImportCatalogue>();
        let edited = editing.and_then(|id| p.suppliers.iter().find(|s| s.id == id).cloned());
        let shop_currency = p.shop_currency.clone();
        view! {
            {match edited {
                Some(s) => view! { <SupplierForm s save shop_currency=shop_currency.clone()/> }.into_any(),
                None => ().into_any(),
            }}
            <section class="section" aria-labelledby="suppliers-heading">
                <h2 id="suppliers-heading">"All suppliers"</h2>
                {if p.suppliers.is_empty() {
                    view! { <p class="empty">"No suppliers yet: one per vendor appears after the first sync, or import a catalogue below."</p> }.into_any()
                } else {
                    view! { <SupplierTable rows=p.suppliers.clone() shop_currency/> }.into_any()
                }}
            </section>
            <CsvImport id="catalogue" heading="Supplier catalogue" stored=lines_stored(p.catalogue_lines) csv=p.catalogue_csv
                download_name="supplier-catalogue.csv" download_label="Download the catalogue (CSV)" label="Import a catalogue"
                button="Import the catalogue" refused="The catalogue was not imported; nothing changed. Fix the lines below and import it again." import>
                "Paste the whole catalogue as CSV with the header "<code>{CATALOGUE_HEADER}</code>
                ". It replaces the stored one. A supplier not yet listed is created; minimum and case pack default to 1. A file with any bad line changes nothing."
            </CsvImport>
        }
    }

    #[component]
    fn SupplierTable(rows: Vec<SupplierRow>, shop_currency: String) -> impl IntoView {
        view! {
            <div class="table-wrap" tabindex="0" role="region" aria-label="Suppliers">
                <table class="data-table">
                    <thead><tr>
                        <th scope="col">"Supplier"</th><th scope="col">"Email"</th><th scope="col">"Vendors"</th>
                        <th scope="col" class="num">"Catalogue lines"</th><th scope="col" class="num">"Minimum order"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr></thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|s| {
                                let currency = s.currency.clone().unwrap_or_else(|| shop_currency.clone());
                                let minimum = if s.min_order_cents > 0 { money(s.min_order_cents, &currency) } else { "None".into() };
                                view! {
                                    <tr>
                                        <th scope="row">{s.name.clone()}</th>
                                        <td>{if s.email.is_empty() { "—".to_string() } else { s.email.clone() }}</td>
                                        <td>{if s.vendors.is_empty() { "—".to_string() } else { s.vendors.clone() }}</td>
                                        <td class="num">{s.items}</td>
                                        <td class="num">{minimum}</td>
                                        <td><a href=format!("/app/settings/suppliers?edit={}", s.id) aria-label=format!("Edit {}", s.name)>"Edit"</a></td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
    }

    /// One text field of the supplier form, with its hint and its error.
    #[component]
    fn Field(
        name: &'static str,
        label: &'static str,
        value: String,
        #[prop(optional)] hint: &'static str,
        #[prop(optional)] kind: &'static str,
        message: Signal<Option<String>>,
    ) -> impl IntoView {
        let id = format!("supplier-{name}");
        let described = format!("{id}-hint {id}-error");
        view! {
            <div class="field" class:field-invalid=move || message.get().is_some()>
                <label for=id.clone()>{label}</label>
                <input id=id.clone() name=format!("supplier[{name}]") type=if kind.is_empty() { "text" } else { kind } value=value
                    aria-invalid=move || message.get().is_some().to_string() aria-describedby=described/>
                <p class="field-hint" id=format!("{id}-hint")>{hint}</p>
                <p class="field-error" id=format!("{id}-error") aria-live="polite">{move || message.get()}</p>
            </div>
        }
    }

    #[component]
    fn SupplierForm(s: SupplierRow, save: FormAction<SupplierRow>, shop_currency: String) -> impl IntoView {
        let errors = move || save.value().get().and_then(|r| r.err()).map(|e| e.field_errors().to_vec()).unwrap_or_default();
        let message = move |field: &'static str| Signal::derive(move || error_for(&errors(), field).map(str::to_string));
        let outcome = move || {
            save.value().get().map(|r| match r {
                Ok(saved) => view! { <p class="banner banner-success" role="status">{format!("{} saved.", saved.name)}</p> }.into_any(),
                Err(e) => view! { <p class="banner banner-critical" role="alert">{e.to_string()}</p> }.into_any(),
            })
        };
        let min_order =
            if s.min_order_cents > 0 { format!("{}.{:02}", s.min_order_cents / 100, s.min_order_cents % 100) } else { String::new() };
        let heading = format!("Edit {}", s.name);
        view! {
            <PostForm action=save class="form" novalidate=true id="supplier-form">
                <fieldset class="form-section">
                    <legend>{heading}</legend>
                    <input type="hidden" name="id" value=s.id.to_string()/>
                    <Field name="name" label="Name" value=s.name.clone() message=message("name")/>
                    <div class="field-row">
                        <Field name="email" label="Email for purchase orders" kind="email" value=s.email.clone()
                            hint="One address. Empty: purchase orders are downloaded, not emailed." message=message("email")/>
                        <Field name="phone" label="Phone" kind="tel" value=s.phone.clone() message=message("phone")/>
                    </div>
                    <div class="field-row">
                        <Field name="currency" label="Currency" value=s.currency.clone().unwrap_or_default()
                            hint=if shop_currency.is_empty() { "Empty: the shop's currency." } else { "Three letters, such as EUR. Empty: the shop's currency." }
                            message=message("currency")/>
                        <Field name="min_order" label="Minimum order value" value=min_order
                            hint="In the supplier's currency. Orders below it get cases added where stock runs out first." message=message("min_order")/>
                    </div>
                    <div class="field" class:field-invalid=move || message("notes").get().is_some()>
                        <label for="supplier-notes">"Notes"</label>
                        <textarea id="supplier-notes" name="supplier[notes]" rows="3" aria-describedby="supplier-notes-error">{s.notes.clone()}</textarea>
                        <p class="field-error" id="supplier-notes-error" aria-live="polite">{move || message("notes").get()}</p>
                    </div>
                </fieldset>
                <div class="form-actions">
                    <button type="submit" class="button button-primary" disabled=move || save.pending().get()>
                        {move || if save.pending().get() { "Saving…" } else { "Save supplier" }}
                    </button>
                    <a class="button" href="/app/settings/suppliers">"Close"</a>
                </div>
                <p>
                    <a href=format!("/app/settings/levels?edit=supplier%3A{}", s.id)>{format!("Lead time, its variability and levels for {}", s.name)}</a>
                    " — set with the other levels, so each variant can say where its numbers come from."
                </p>
                {outcome}
            </PostForm>
        }
    }
}
