//! The dashboard's CSV exports: the alerts its filters select (every page), and the latest
//! forecasts. The file is made on the server and saved by the browser.

use crate::api::exports::{export_alerts, export_forecasts, CsvFile};
use crate::error::AppError;
use domain::alert_filter::AlertFilter;
use leptos::prelude::*;

#[component]
pub fn CsvExports(filter: AlertFilter) -> impl IntoView {
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let filter = StoredValue::new(filter);
    let export = move |forecasts: bool| {
        busy.set(true);
        outcome.set(None);
        leptos::task::spawn_local(async move {
            let answer: Result<CsvFile, AppError> = if forecasts {
                export_forecasts().await
            } else {
                let pairs = filter.get_value().to_pairs();
                let take = |k: &str| pairs.iter().find(|(key, _)| *key == k).map(|(_, v)| v.clone());
                export_alerts(
                    take("kind"),
                    take("location"),
                    take("vendor"),
                    take("product_type"),
                    take("state"),
                    take("q"),
                    take("abc"),
                    take("xyz"),
                )
                .await
            };
            let said = answer.map(|f| {
                save(&f);
                format!("Saved {} ({} rows).", f.filename, f.rows)
            });
            _ = outcome.try_set(Some(said.map_err(|e| e.to_string())));
            _ = busy.try_set(false);
        });
    };
    view! {
        <div class="exports">
            <button type="button" class="button" disabled=move || busy.get() on:click=move |_| export(false)>"Export these alerts (CSV)"</button>
            <button type="button" class="button" disabled=move || busy.get() on:click=move |_| export(true)>"Export forecasts (CSV)"</button>
            <span role="status" class=move || if matches!(outcome.get(), Some(Err(_))) { "export-note critical" } else { "export-note muted" }>
                {move || outcome.get().map(|o| o.unwrap_or_else(|e| e))}
            </span>
        </div>
    }
}

/// Saves the file through a temporary download link.
fn save(f: &CsvFile) {
    use leptos::wasm_bindgen::JsCast;
    let doc = document();
    let Ok(link) = doc.create_element("a") else { return };
    let href = format!("data:text/csv;charset=utf-8,{}", urlencoding::encode(&f.csv));
    if link.set_attribute("href", &href).is_err() || link.set_attribute("download", &f.filename).is_err() {
        return;
    }
    let Some(body) = doc.body() else { return };
    if body.append_child(&link).is_ok() {
        if let Ok(el) = link.clone().dyn_into::<leptos::web_sys::HtmlElement>() {
            el.click();
        }
        link.remove();
    }
}
