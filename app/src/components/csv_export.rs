//! The dashboard's CSV exports: the alerts its filters select (every page), and the latest
//! forecasts. The file is made on the server and saved by the browser.

use crate::api::exports::export_csv;
use crate::components::alert_filters::dashboard_href;
use chrono::NaiveDate;
use domain::alert_filter::AlertFilter;
use leptos::prelude::*;

#[component]
pub fn CsvExports(filter: AlertFilter, today: NaiveDate) -> impl IntoView {
    let busy = RwSignal::new(false);
    let note = RwSignal::new(String::new());
    // The dashboard's own query string, first page or not: the export takes every page.
    let query = StoredValue::new(dashboard_href(&filter.with_page(1)).split_once('?').map(|(_, q)| q.to_string()).unwrap_or_default());
    let export = move |what: &'static str| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let said = match export_csv(what.to_string(), query.get_value()).await {
                Ok(csv) => {
                    let name = format!("{what}-{today}.csv");
                    save(&name, &csv);
                    format!("Saved {name} ({} rows).", csv.lines().count().saturating_sub(1))
                }
                Err(e) => e.to_string(),
            };
            _ = note.try_set(said);
            _ = busy.try_set(false);
        });
    };
    view! {
        <div class="exports">
            <button type="button" class="button" disabled=busy on:click=move |_| export("alerts")>"Export these alerts (CSV)"</button>
            <button type="button" class="button" disabled=busy on:click=move |_| export("forecasts")>"Export forecasts (CSV)"</button>
            <span role="status" class="muted">{note}</span>
        </div>
    }
}

/// Saves the file through a temporary download link.
fn save(name: &str, csv: &str) {
    use leptos::wasm_bindgen::JsCast;
    let doc = document();
    let Ok(link) = doc.create_element("a") else { return };
    let href = crate::components::format::csv_data_href(csv);
    if link.set_attribute("href", &href).is_err() || link.set_attribute("download", name).is_err() {
        return;
    }
    if let Ok(el) = link.dyn_into::<leptos::web_sys::HtmlElement>() {
        el.click();
    }
}
