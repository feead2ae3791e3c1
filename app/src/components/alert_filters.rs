//! The dashboard's filters and search: a plain GET form to `/app`, so the filters live in
//! the URL, work before hydration and survive a reload. Once hydrated, submitting navigates
//! inside the app (no page load) to the canonical URL of the chosen filters.

use crate::api::dashboard::FilterOptions;
use domain::alert_filter::{AlertFilter, StateFilter};
use domain::RiskKind;
use leptos::prelude::*;
use leptos_router::{hooks::use_navigate, NavigateOptions};

/// The dashboard's address for a filter, page included.
pub fn dashboard_href(f: &AlertFilter) -> String {
    let query: Vec<String> = f.to_pairs().into_iter().map(|(k, v)| format!("{k}={}", urlencoding::encode(&v))).collect();
    if query.is_empty() {
        "/app".into()
    } else {
        format!("/app?{}", query.join("&"))
    }
}

/// The query-string keys the filter form sends.
const FIELDS: [&str; 8] = ["q", "kind", "location", "vendor", "product_type", "abc", "xyz", "state"];

#[component]
pub fn AlertFilters(
    filter: AlertFilter,
    options: FilterOptions,
    /// Called before navigating, so the page can move focus to the new results.
    on_navigate: Callback<()>,
) -> impl IntoView {
    let navigate = use_navigate();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        let Ok(form) = leptos::form::form_data_from_event(&ev) else { return };
        let Ok(params) = leptos::web_sys::UrlSearchParams::new_with_str_sequence_sequence(&form) else { return };
        ev.prevent_default();
        let chosen = AlertFilter::from_pairs(FIELDS.iter().filter_map(|k| params.get(k).map(|v| (*k, v))));
        on_navigate.run(());
        navigate(&dashboard_href(&chosen), NavigateOptions { scroll: false, ..Default::default() });
    };
    let selected_location = filter.location;
    let text_select = |name: &'static str, label: &'static str, any: &'static str, values: Vec<String>, chosen: Option<String>| {
        let id = format!("filter-{name}");
        view! {
            <div class="filter-field">
                <label for=id.clone()>{label}</label>
                <select id=id name=name>
                    <option value="">{any}</option>
                    {values.into_iter().map(|v| {
                        let selected = chosen.as_deref() == Some(v.as_str());
                        view! { <option value=v.clone() selected=selected>{v.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    };
    let narrowed = filter.is_narrowed();
    view! {
        <form method="get" action="/app" class="filters" role="search" aria-label="Filter alerts" on:submit=on_submit>
            <div class="filter-field filter-search">
                <label for="filter-q">"Search"</label>
                <input id="filter-q" type="search" name="q" value=filter.search.clone().unwrap_or_default()
                    placeholder="Product, variant or SKU" autocomplete="off"/>
            </div>
            <div class="filter-field">
                <label for="filter-kind">"Alert"</label>
                <select id="filter-kind" name="kind">
                    <option value="">"All alerts"</option>
                    {RiskKind::ALL.into_iter().map(|k| view! {
                        <option value=k.as_str() selected=filter.kind == Some(k)>{k.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="filter-field">
                <label for="filter-location">"Location"</label>
                <select id="filter-location" name="location">
                    <option value="">"All locations"</option>
                    {options.locations.into_iter().map(|(id, name)| view! {
                        <option value=id.to_string() selected=selected_location == Some(id)>{name}</option>
                    }).collect_view()}
                </select>
            </div>
            {text_select("vendor", "Vendor", "All vendors", options.vendors, filter.vendor.clone())}
            {text_select("product_type", "Product type", "All types", options.product_types, filter.product_type.clone())}
            {text_select("abc", "ABC class", "All classes", ["A", "B", "C"].map(String::from).to_vec(), filter.abc.map(|c| c.as_str().into()))}
            {text_select("xyz", "XYZ class", "All classes", ["X", "Y", "Z"].map(String::from).to_vec(), filter.xyz.map(|c| c.as_str().into()))}
            <div class="filter-field">
                <label for="filter-state">"Status"</label>
                <select id="filter-state" name="state">
                    {StateFilter::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=filter.state == s>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="filter-actions">
                <button type="submit" class="button button-primary">"Apply filters"</button>
                {narrowed.then(|| view! { <a class="button" href="/app" on:click=move |_| on_navigate.run(())>"Clear filters"</a> })}
            </div>
        </form>
    }
    .into_any()
}
