//! A whole file imported as pasted CSV and exported as a download, for the pages rendered on
//! the server (the supplier catalogue, the levels): pasting works without the wasm and
//! inside the admin's iframe alike. Only a refusal comes back to such a page — a success
//! reloads it with what was stored — so the form shows the refusal and every bad line.

use super::post_form::{FormAction, PostForm};
use leptos::prelude::*;
use serde::de::DeserializeOwned;

/// `id` prefixes the element ids; `children` is the hint under the label (the header, the
/// rules); `refused` is the banner when lines were refused.
#[component]
pub fn CsvImport<T: DeserializeOwned + Send + Sync + 'static>(
    id: &'static str,
    heading: &'static str,
    /// A line above the download, such as "12 lines stored.".
    #[prop(optional, into)]
    stored: String,
    csv: String,
    download_name: &'static str,
    download_label: &'static str,
    label: &'static str,
    button: &'static str,
    refused: &'static str,
    import: FormAction<T>,
    children: Children,
) -> impl IntoView {
    // Read in place: the import's outcome type need not be `Clone`.
    let refusal = move || import.value().with(|v| v.as_ref().and_then(|r| r.as_ref().err()).cloned());
    let problems =
        move || refusal().map(|e| e.field_errors().iter().filter(|f| f.field == "csv").map(|f| f.message.clone()).collect::<Vec<_>>());
    let outcome = move || {
        refusal().map(|e| {
            let text = if e.field_errors().is_empty() { e.to_string() } else { refused.to_string() };
            view! { <p class="banner banner-critical" role="alert">{text}</p> }
        })
    };
    let href = crate::components::format::csv_data_href(&csv);
    let heading_id = format!("{id}-heading");
    let (field, hint, errors) = (format!("{id}-csv"), format!("{id}-hint"), format!("{id}-errors"));
    let described = format!("{hint} {errors}");
    view! {
        <section class="section" aria-labelledby=heading_id.clone()>
            <h2 id=heading_id.clone()>{heading}</h2>
            <p>{(!stored.is_empty()).then(|| format!("{stored} "))}<a class="button" href=href download=download_name>{download_label}</a></p>
            <PostForm action=import class="form" novalidate=true id=format!("{id}-form")>
                <div class="field">
                    <label for=field.clone()>{label}</label>
                    <p class="field-hint" id=hint.clone()>{children()}</p>
                    <textarea id=field name="csv" rows="8" spellcheck="false" aria-describedby=described></textarea>
                    <ul class="field-error" id=errors aria-live="polite">
                        {move || problems().unwrap_or_default().into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                    </ul>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button button-primary">{button}</button>
                </div>
                {outcome}
            </PostForm>
        </section>
    }
}
