use super::settings_watch::WatchForm;
use crate::api::digest_settings::SaveDigestSettings;
use crate::api::settings::{settings_page, SaveSettings};
use crate::components::error_notice::ErrorNotice;
use crate::components::post_form::{FormAction, PostForm};
use domain::settings::{bounds, error_for, Settings, SettingsInput};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SettingsPage() -> impl IntoView {
    // One answer for the three forms: one request, and one resource in the browser's wasm.
    let page = Resource::new(|| (), |_| settings_page());
    view! {
        <Title text="Settings · Stock Sentry"/>
        <h1>"Settings"</h1>
        <p>
            <a class="button" href="/app/settings/suppliers">"Suppliers and their catalogue"</a>" "
            <a class="button" href="/app/settings/levels">"Levels and lead times by vendor, supplier, product"</a>" "
            <a class="button" href="/app/settings/channels">"Alert channels: Slack, webhook, Shopify Flow"</a>" "
            <a class="button" href="/app/settings/bundles">"Bundles and kits"</a>
        </p>
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading settings…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! {
                        <SettingsForm initial=p.settings/>
                        <WatchForm page=p.watch.clone()/>
                        <DigestForm initial=p.digest/>
                    }
                    .into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Who receives the digest and when not to send it: a form of its own, saved on its own,
/// refused as a whole (nothing saved) when an address or the quiet hours are invalid.
#[component]
fn DigestForm(initial: domain::digest::DigestSettingsInput) -> impl IntoView {
    let save = FormAction::of::<SaveDigestSettings>();
    let errors = move || save.value().get().and_then(|r| r.err()).map(|e| e.field_errors().to_vec()).unwrap_or_default();
    let message = move |field: &'static str| move || error_for(&errors(), field).map(str::to_string);
    let outcome = move || {
        save.value().get().map(|r| match r {
            Ok(_) => view! { <p class="banner banner-success" role="status">"Digest settings saved."</p> }.into_any(),
            Err(e) => view! { <p class="banner banner-critical" role="alert">{e.to_string()}</p> }.into_any(),
        })
    };
    view! {
        <PostForm action=save class="form" novalidate=true id="digest-form">
            <fieldset class="form-section">
                <legend>"Digest recipients and quiet hours"</legend>
                <div class="field" class:field-invalid=move || message("digest_recipients")().is_some()>
                    <label for="digest_recipients">"Send the digest to"</label>
                    <input id="digest_recipients" name="digest_recipients" type="text" autocomplete="email"
                        value=initial.digest_recipients.clone()
                        aria-invalid=move || message("digest_recipients")().is_some().to_string()
                        aria-describedby="digest_recipients-hint digest_recipients-error"/>
                    <p class="field-hint" id="digest_recipients-hint">"Email addresses, separated by commas. Empty: the shop's email."</p>
                    <p class="field-error" id="digest_recipients-error" aria-live="polite">{message("digest_recipients")}</p>
                </div>
                <div class="field-row">
                    <div class="field">
                        <label for="quiet_hours_start">"Quiet from (hour, 0–23)"</label>
                        <input id="quiet_hours_start" name="quiet_hours_start" type="text" inputmode="numeric"
                            value=initial.quiet_hours_start.clone() aria-describedby="quiet_hours-error"/>
                    </div>
                    <div class="field">
                        <label for="quiet_hours_end">"Quiet until (hour, 0–23)"</label>
                        <input id="quiet_hours_end" name="quiet_hours_end" type="text" inputmode="numeric"
                            value=initial.quiet_hours_end.clone() aria-describedby="quiet_hours-error"/>
                    </div>
                </div>
                <p class="field-hint">"In the time zone chosen under What to watch. No digest is sent in these hours; what happened waits for the next one. Leave both empty for none."</p>
                <p class="field-error" id="quiet_hours-error" aria-live="polite">{message("quiet_hours")}</p>
            </fieldset>
            <div class="form-actions">
                <button type="submit" class="button button-primary" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { "Saving…" } else { "Save digest settings" }}
                </button>
            </div>
            {outcome}
        </PostForm>
    }
}

/// The form posts to the `save_settings` server function (and works before hydration).
/// Once hydrated, each field is checked as the merchant types, with the same rules the
/// server applies on save.
#[component]
fn SettingsForm(initial: Settings) -> impl IntoView {
    let save = FormAction::of::<SaveSettings>();
    let typed = RwSignal::new(SettingsInput::from_settings(&initial));
    // Errors the server returned, each cleared when its field is edited again. A form
    // posted without the wasm comes back with them already (see `FormAction`).
    let returned = save.value().with_untracked(|v| v.as_ref().and_then(|r| r.as_ref().err()).map(|e| e.field_errors().to_vec()));
    let server_errors = RwSignal::new(returned.unwrap_or_default());
    Effect::new(move |_| {
        if let Some(result) = save.value().get() {
            server_errors.set(result.err().map(|e| e.field_errors().to_vec()).unwrap_or_default());
        }
    });
    let live_errors = Memo::new(move |_| typed.with(|i| i.parse().err().unwrap_or_default()));
    let message = move |field: &'static str| {
        Signal::derive(move || {
            live_errors
                .with(|l| error_for(l, field).map(str::to_string))
                .or_else(|| server_errors.with(|s| error_for(s, field).map(str::to_string)))
        })
    };
    let on_input = move |field: &'static str| {
        Callback::new(move |value: String| {
            typed.update(|i| {
                i.set(field, value);
            });
            server_errors.update(|errs| errs.retain(|e| e.field != field));
        })
    };
    let outcome = move || {
        save.value().get().map(|r| match r {
            Ok(_) => view! { <p class="banner banner-success" role="status">"Settings saved. They apply from the next recalculation."</p> }
                .into_any(),
            Err(e) => view! { <p class="banner banner-critical" role="alert">{e.to_string()}</p> }.into_any(),
        })
    };
    let v = SettingsInput::from_settings(&initial);
    let range = |(lo, hi): (u32, u32), unit: &str| format!("From {lo} to {hi} {unit}.");
    let percent = format!("From {} to {} percent.", bounds::SERVICE_LEVEL_PCT.0, bounds::SERVICE_LEVEL_PCT.1);
    view! {
        <PostForm action=save class="form" novalidate=true>
            <fieldset class="form-section">
                <legend>"Alert thresholds"</legend>
                <NumberField name="low_stock_days" label="Low stock when cover falls below (days)"
                    hint=range(bounds::LOW_STOCK_DAYS, "days") value=v.low_stock_days
                    message=message("low_stock_days") on_input=on_input("low_stock_days")/>
                <NumberField name="overstock_days" label="Overstock when cover exceeds (days)"
                    hint=range(bounds::OVERSTOCK_DAYS, "days") value=v.overstock_days
                    message=message("overstock_days") on_input=on_input("overstock_days")/>
                <NumberField name="dead_stock_days" label="Dead stock after no sale for (days)"
                    hint=range(bounds::DEAD_STOCK_DAYS, "days") value=v.dead_stock_days
                    message=message("dead_stock_days") on_input=on_input("dead_stock_days")/>
            </fieldset>
            <fieldset class="form-section">
                <legend>"Replenishment"</legend>
                <NumberField name="lead_time_days" label="Supplier lead time (days)"
                    hint=range(bounds::LEAD_TIME_DAYS, "days") value=v.lead_time_days
                    message=message("lead_time_days") on_input=on_input("lead_time_days")/>
                <NumberField name="service_level_a_pct" label="Service level, class A (%)"
                    hint=format!("The variants making the first 80% of revenue. {percent}")
                    value=v.service_level_a_pct
                    message=message("service_level_a_pct") on_input=on_input("service_level_a_pct")/>
                <NumberField name="service_level_pct" label="Service level, class B (%)"
                    hint=format!("The next 15% of revenue, and variants not classed yet. {percent}")
                    value=v.service_level_pct
                    message=message("service_level_pct") on_input=on_input("service_level_pct")/>
                <NumberField name="service_level_c_pct" label="Service level, class C (%)"
                    hint=format!("The last 5% of revenue and variants without sales. {percent}")
                    value=v.service_level_c_pct
                    message=message("service_level_c_pct") on_input=on_input("service_level_c_pct")/>
            </fieldset>
            <fieldset class="form-section">
                <legend>"Digest email"</legend>
                <DigestSelect value=v.digest_frequency message=message("digest_frequency") on_input=on_input("digest_frequency")/>
            </fieldset>
            <div class="form-actions">
                <button type="submit" class="button button-primary" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { "Saving…" } else { "Save" }}
                </button>
            </div>
            {outcome}
        </PostForm>
    }
}

#[component]
fn NumberField(
    name: &'static str,
    label: &'static str,
    hint: String,
    value: String,
    message: Signal<Option<String>>,
    on_input: Callback<String>,
) -> impl IntoView {
    let hint_id = format!("{name}-hint");
    let error_id = format!("{name}-error");
    view! {
        <div class="field" class:field-invalid=move || message.get().is_some()>
            <label for=name>{label}</label>
            <input id=name name=name type="text" inputmode="decimal" value=value autocomplete="off"
                aria-invalid=move || message.get().is_some().to_string()
                aria-describedby=format!("{hint_id} {error_id}")
                on:input=move |ev| on_input.run(event_target_value(&ev))/>
            <p class="field-hint" id=hint_id>{hint}</p>
            <p class="field-error" id=error_id aria-live="polite">
                {move || message.get().map(|m| view! { <span aria-hidden="true">"⚠ "</span>{m} })}
            </p>
        </div>
    }
}

#[component]
fn DigestSelect(value: String, message: Signal<Option<String>>, on_input: Callback<String>) -> impl IntoView {
    let options = [("hourly", "Hourly"), ("daily", "Daily"), ("off", "Off")];
    view! {
        <div class="field" class:field-invalid=move || message.get().is_some()>
            <label for="digest_frequency">"How often to email a digest of new alerts"</label>
            <select id="digest_frequency" name="digest_frequency"
                aria-describedby="digest_frequency-error"
                on:change=move |ev| on_input.run(event_target_value(&ev))>
                {options.into_iter().map(|(v, l)| view! { <option value=v selected=value == v>{l}</option> }).collect_view()}
            </select>
            <p class="field-error" id="digest_frequency-error" aria-live="polite">{move || message.get()}</p>
        </div>
    }
}
