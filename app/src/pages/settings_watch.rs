//! Settings beyond the thresholds: what to watch (alert kinds, locations, time zone). The
//! form posts to its own server function and works before hydration.

use crate::api::watch::{SaveWatch, WatchPage};
use crate::components::post_form::{FormAction, PostForm};
use domain::settings::error_for;
use domain::watch::location_key;
use domain::{FieldError, RiskKind};
use leptos::prelude::*;

fn field_message(errors: impl Fn() -> Vec<FieldError> + Copy + 'static, field: &'static str) -> impl Fn() -> Option<String> + Copy {
    move || error_for(&errors(), field).map(str::to_string)
}

#[component]
pub fn WatchForm(page: WatchPage) -> impl IntoView {
    let save = FormAction::of::<SaveWatch>();
    let errors = move || save.value().get().and_then(|r| r.err()).map(|e| e.field_errors().to_vec()).unwrap_or_default();
    let outcome = move || {
        save.value().get().map(|r| match r {
            Ok(_) => view! { <p class="banner banner-success" role="status">"Saved. Alerts are being recalculated now."</p> }.into_any(),
            Err(e) => view! { <p class="banner banner-critical" role="alert">{e.to_string()}</p> }.into_any(),
        })
    };
    let input = page.input.clone();
    let shop_zone = format!("The shop's time zone ({})", page.shop_zone);
    view! {
        <PostForm action=save class="form" novalidate=true id="watch-form">
            <fieldset class="form-section" aria-describedby="kinds-hint kinds-error">
                <legend>"Alert kinds"</legend>
                <p class="field-hint" id="kinds-hint">"Unchecked kinds raise no alerts, and their open alerts resolve."</p>
                <div class="checks">
                    {RiskKind::ALL
                        .into_iter()
                        .map(|k| {
                            let id = format!("kind-{}", k.as_str());
                            view! {
                                <div class="check">
                                    <input type="checkbox" id=id.clone() name=format!("watch[kinds][{}]", k.as_str())
                                        checked=input.kinds.contains_key(k.as_str())/>
                                    <label for=id>{k.label()}</label>
                                </div>
                            }
                        })
                        .collect_view()}
                </div>
                <p class="field-error" id="kinds-error" aria-live="polite">{field_message(errors, "kinds")}</p>
            </fieldset>
            <fieldset class="form-section" aria-describedby="locations-hint locations-error">
                <legend>"Locations to watch"</legend>
                <p class="field-hint" id="locations-hint">"Stock at unwatched locations raises no alerts and is left out of reorder suggestions. Its data is kept."</p>
                {if page.locations.is_empty() {
                    view! { <p class="empty">"No locations yet: they arrive with the first sync from Shopify."</p> }.into_any()
                } else {
                    view! {
                        <div class="checks">
                            {page
                                .locations
                                .iter()
                                .map(|l| {
                                    let id = format!("location-{}", l.id);
                                    view! {
                                        <div class="check">
                                            <input type="checkbox" id=id.clone() name=format!("watch[locations][{}]", location_key(l.id)) checked=l.watched/>
                                            <label for=id>{l.name.clone()}</label>
                                        </div>
                                    }
                                })
                                .collect_view()}
                        </div>
                    }
                    .into_any()
                }}
                <p class="field-error" id="locations-error" aria-live="polite">{field_message(errors, "locations")}</p>
            </fieldset>
            <fieldset class="form-section">
                <legend>"Time zone"</legend>
                <div class="field" class:field-invalid=move || field_message(errors, "time_zone")().is_some()>
                    <label for="time_zone">"Time zone for quiet hours and the digest's day"</label>
                    <select id="time_zone" name="watch[time_zone]" aria-describedby="time_zone-hint time_zone-error">
                        <option value="" selected=input.time_zone.is_empty()>{shop_zone}</option>
                        {page
                            .zones
                            .into_iter()
                            .map(|(name, label)| {
                                let selected = input.time_zone == name;
                                view! { <option value=name selected=selected>{label}</option> }
                            })
                            .collect_view()}
                    </select>
                    <p class="field-hint" id="time_zone-hint">"A city keeps its daylight saving; offsets are today's."</p>
                    <p class="field-error" id="time_zone-error" aria-live="polite">{field_message(errors, "time_zone")}</p>
                </div>
            </fieldset>
            <div class="form-actions">
                <button type="submit" class="button button-primary" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { "Saving…" } else { "Save what to watch" }}
                </button>
            </div>
            {outcome}
        </PostForm>
    }
}
