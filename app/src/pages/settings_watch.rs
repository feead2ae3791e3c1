//! Settings beyond the thresholds: what to watch (alert kinds, locations, time zone) and
//! lead times per vendor or product, plus the lead-time form the variant page reuses.
//! Each form posts to its own server function and works before hydration.

use crate::api::watch::{LeadTimeRow, SaveLeadTime, SaveWatch, WatchPage};
use crate::components::post_form::{FormAction, PostForm};
use domain::settings::error_for;
use domain::watch::{bounds, location_key, offset_label, LeadTimeInput, UTC_OFFSETS};
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
    let shop_zone = format!("The shop's time zone ({})", offset_label(page.shop_offset));
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
                <div class="field" class:field-invalid=move || field_message(errors, "utc_offset")().is_some()>
                    <label for="utc_offset">"Time zone for quiet hours and the digest's day"</label>
                    <select id="utc_offset" name="watch[utc_offset]" aria-describedby="utc_offset-error">
                        <option value="" selected=input.utc_offset.is_empty()>{shop_zone}</option>
                        {UTC_OFFSETS
                            .into_iter()
                            .map(|m| {
                                let v = m.to_string();
                                let selected = input.utc_offset == v;
                                view! { <option value=v selected=selected>{offset_label(m)}</option> }
                            })
                            .collect_view()}
                    </select>
                    <p class="field-error" id="utc_offset-error" aria-live="polite">{field_message(errors, "utc_offset")}</p>
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

/// Lead-time overrides per vendor: the list (each removable) and a form to add or change one.
#[component]
pub fn LeadTimesForm(page: WatchPage) -> impl IntoView {
    let save = FormAction::of::<SaveLeadTime>();
    // The last list the server returned; a refused save leaves it as it was.
    let list = RwSignal::new(page.lead_times.clone());
    Effect::new(move |_| {
        if let Some(Ok(rows)) = save.value().get() {
            list.set(rows);
        }
    });
    let list = Signal::from(list);
    let errors = move || save.value().get().and_then(|r| r.err()).map(|e| e.field_errors().to_vec()).unwrap_or_default();
    let failure = move || {
        save.value().get().and_then(|r| r.err()).map(|e| view! { <p class="banner banner-critical" role="alert">{e.to_string()}</p> })
    };
    let default_days = page.default_lead_time_days;
    let no_vendors = page.vendors.is_empty();
    view! {
        <section class="form form-section" aria-labelledby="lead-times-h" id="lead-times">
            <h2 id="lead-times-h">"Lead times by vendor and product"</h2>
            <p class="field-hint">
                {format!("A variant's own lead time beats its product's, which beats its vendor's, which beats the default ({default_days} days). ")}
                "Set a product's or a variant's from its page."
            </p>
            <LeadTimeList rows=list save=save/>
            {no_vendors.then(|| view! { <p class="empty">"No vendors yet: they arrive with your products at the first sync."</p> })}
            <PostForm action=save hidden=no_vendors novalidate=true class="lead-time-add" id="vendor-lead-time-form">
                <input type="hidden" name="scope" value="vendor"/>
                <div class="field-row">
                    <div class="field">
                        <label for="vendor-key">"Vendor"</label>
                        <select id="vendor-key" name="key" aria-describedby="key-error">
                            {page.vendors.iter().map(|v| view! { <option value=v.clone()>{v.clone()}</option> }).collect_view()}
                        </select>
                        <p class="field-error" id="key-error" aria-live="polite">{field_message(errors, "key")}</p>
                    </div>
                    <LeadTimeFields initial=LeadTimeInput::default() errors=Signal::derive(errors) prefix="vendor"/>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button button-primary" disabled=move || save.pending().get()>"Save vendor lead time"</button>
                </div>
            </PostForm>
            {failure}
        </section>
    }
}

#[component]
fn LeadTimeList(rows: Signal<Vec<LeadTimeRow>>, save: FormAction<Vec<LeadTimeRow>>) -> impl IntoView {
    let days = |d: Option<u32>| d.map_or_else(|| "inherited".to_string(), |d| format!("{d} days"));
    view! {
        {move || {
            let rows = rows.get();
            if rows.is_empty() {
                return view! { <p class="empty">"No overrides: every variant uses the default lead time."</p> }.into_any();
            }
            view! {
                <div class="table-scroll" role="region" aria-label="Lead-time overrides" tabindex="0">
                    <table class="table lead-times">
                        <thead><tr><th scope="col">"Applies to"</th><th scope="col">"Lead time"</th><th scope="col">"Variability"</th><th scope="col">"Order covers"</th><th scope="col"><span class="visually-hidden">"Remove"</span></th></tr></thead>
                        <tbody>
                            {rows
                                .into_iter()
                                .map(|r| {
                                    let what = format!("{} {}", r.scope, r.label);
                                    view! {
                                        <tr>
                                            <td><span class="muted">{format!("{}: ", r.scope)}</span>{r.label.clone()}</td>
                                            <td>{days(r.lead_time_days)}</td>
                                            <td>{r.lead_time_sd_days.map_or_else(|| "—".to_string(), |d| format!("± {d} days"))}</td>
                                            <td>{days(r.target_cover_days)}</td>
                                            <td>
                                                // Every field empty removes the override.
                                                <PostForm action=save class="inline-form">
                                                    <input type="hidden" name="scope" value=r.scope.clone()/>
                                                    <input type="hidden" name="key" value=r.key.clone()/>
                                                    <input type="hidden" name="lead_time_days" value=""/>
                                                    <input type="hidden" name="lead_time_sd_days" value=""/>
                                                    <input type="hidden" name="target_cover_days" value=""/>
                                                    <button type="submit" class="button button-plain" aria-label=format!("Remove the lead time of {what}")>"Remove"</button>
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
            .into_any()
        }}
    }
}

/// Lead time, its variability and the cover an order aims for; `prefix` keeps ids unique
/// when two forms are on one page.
#[component]
pub fn LeadTimeFields(initial: LeadTimeInput, errors: Signal<Vec<FieldError>>, prefix: &'static str) -> impl IntoView {
    let (lo, hi) = bounds::LEAD_TIME_DAYS;
    let (clo, chi) = bounds::TARGET_COVER_DAYS;
    let field = move |name: &'static str, label: String, hint: String, value: String| {
        let id = format!("{prefix}-{name}");
        let hint_id = format!("{id}-hint");
        let error_id = format!("{id}-error");
        let message = move || error_for(&errors.get(), name).map(str::to_string);
        view! {
            <div class="field" class:field-invalid=move || message().is_some()>
                <label for=id.clone()>{label}</label>
                <input id=id name=name type="text" inputmode="decimal" value=value autocomplete="off"
                    aria-invalid=move || message().is_some().to_string()
                    aria-describedby=format!("{hint_id} {error_id}")/>
                <p class="field-hint" id=hint_id>{hint}</p>
                <p class="field-error" id=error_id aria-live="polite">{message}</p>
            </div>
        }
    };
    view! {
        {field("lead_time_days", "Lead time (days)".into(), format!("{lo}–{hi}. Empty: inherit."), initial.lead_time_days)}
        {field("lead_time_sd_days", "Lead-time variability (± days)".into(), "How many days deliveries vary. Empty: none.".into(), initial.lead_time_sd_days)}
        {field("target_cover_days", "An order covers (days)".into(), format!("{clo}–{chi} days after delivery. Empty: inherit."), initial.target_cover_days)}
    }
}
