//! Settings → Alert channels: Slack, a signed webhook and Shopify Flow, and the delivery log.
//! Rendered on the server (`server::fragment`): every form posts as a plain HTML form, and a
//! refused one comes back with its messages at the fields.

use crate::components::server_html::{returned_post, ServerRegion};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

/// The page as HTML; `returned_*`: the refused post the page came back with.
#[server(endpoint = "settings/channels/html", output = crate::api::codec::Json)]
pub async fn channels_html(returned_path: Option<String>, returned_err: Option<String>) -> Result<String, AppError> {
    use crate::server::context::{run, worker_env};
    use crate::server::repo::channels;
    run(async move {
        let env = worker_env().await?;
        let shop = crate::server::session::current_shop(&env).await?;
        let page = html::Page {
            channels: channels::list(&shop.db, shop.id).await?,
            log: channels::log(&shop.db, shop.id, 50).await?,
            recipients: crate::server::repo::settings::get_digest(&shop.db, shop.id).await?.recipients.join(", "),
        };
        Ok(crate::server::fragment::render(returned_path.zip(returned_err), move || html::body(page)))
    })
    .await
}

#[component]
pub fn ChannelsSettings() -> impl IntoView {
    let (path, err) = returned_post();
    let page = Resource::new(|| (), move |_| channels_html(path.clone(), err.clone()));
    view! {
        <Title text="Alert channels · Stock Sentry"/>
        <p class="breadcrumb"><a href="/app/settings">"Settings"</a>" › Alert channels"</p>
        <h1>"Alert channels"</h1>
        <p class="muted">"Besides the email digest, Stock Sentry can tell Slack, your own system or a Shopify Flow workflow the moment it opens an alert. "
            <a href="/help/alert-channels">"How alert channels work"</a></p>
        <ServerRegion html=page loading="Loading channels…"/>
    }
}

/// The views, rendered on the server only.
#[cfg(feature = "ssr")]
mod html {
    use crate::api::channels::{ResumeChannel, SaveChannel};
    use crate::components::post_form::{FormAction, PostForm};
    use crate::server::repo::channels::{ChannelRow, LogRow};
    use domain::channels::{ChannelInput, ChannelKind, ChannelSettings, DEFAULT_KINDS};
    use domain::watch::KindSet;
    use domain::RiskKind;
    use leptos::prelude::*;

    pub struct Page {
        pub channels: Vec<ChannelRow>,
        pub log: Vec<LogRow>,
        pub recipients: String,
    }

    pub fn body(p: Page) -> AnyView {
        view! { <ChannelsBody p/> }.into_any()
    }

    #[component]
    fn ChannelsBody(p: Page) -> impl IntoView {
        let save = FormAction::of::<SaveChannel>();
        let resume = FormAction::of::<ResumeChannel>();
        let Page { channels, log, recipients } = p;
        let forms = ChannelKind::ALL
            .into_iter()
            .map(|kind| {
                let row = channels.iter().find(|c| c.kind() == Some(kind)).cloned();
                view! { <ChannelForm kind row save resume recipients=recipients.clone()/> }
            })
            .collect_view();
        // A refusal that names no field (the session, D1) shows once, above the forms.
        let refused = move || {
            save.value()
                .get()
                .and_then(|r| r.err())
                .filter(|e| e.field_errors().is_empty())
                .map(|e| view! { <p class="banner banner-critical" role="alert">{e.to_string()}</p> })
        };
        view! {
            {refused}
            {forms}
            <section class="section" aria-labelledby="deliveries-heading">
                <h2 id="deliveries-heading">"Delivery log"</h2>
                <DeliveryLog rows=log/>
            </section>
        }
    }

    #[component]
    fn ChannelForm(
        kind: ChannelKind,
        row: Option<ChannelRow>,
        save: FormAction<String>,
        resume: FormAction<String>,
        recipients: String,
    ) -> impl IntoView {
        let k = kind.as_str();
        // Every channel's form posts to one function, which names each field with its channel.
        let message = move |field: &'static str| move || save.error_at(&format!("{k}:{field}"));
        let settings = row.as_ref().map(ChannelRow::settings).unwrap_or(ChannelSettings {
            enabled: false,
            url: String::new(),
            kinds: DEFAULT_KINDS.into_iter().fold(KindSet::NONE, KindSet::with),
            quiet: None,
        });
        let input = ChannelInput::from_settings(&settings);
        let id = move |f: &str| format!("{k}-{f}");
        let (url_field, url_label, url_hint) = match kind {
            ChannelKind::Slack => ("slack_url", "Slack incoming-webhook URL", "In Slack: Apps → Incoming Webhooks → Add to Slack, pick the channel, copy the Webhook URL (https://hooks.slack.com/services/…)."),
            _ => ("webhook_url", "Endpoint URL", "Stock Sentry POSTs JSON here, signed in the Stock-Sentry-Signature header."),
        };
        let intro = match kind {
            ChannelKind::Slack => "One message per recalculation that opens alerts, listing up to 20 of them.",
            ChannelKind::Webhook => "One signed POST per recalculation that opens alerts: {\"event\": \"alerts.opened\", \"shop\", \"alerts\": […]}.",
            ChannelKind::Flow => "Runs the trigger “Stock alert opened” once per alert, with its kind, location, days of cover and suggested quantity. Build a workflow on it in the Shopify Flow app.",
        };
        let status = match &row {
            Some(r) if r.paused_at.is_some() => {
                let reason = r.paused_reason.clone().unwrap_or_default();
                let told = if recipients.is_empty() { String::new() } else { format!(" We emailed {recipients}.") };
                view! {
                    <div class="banner banner-critical" role="alert">
                        <p><strong>{format!("Paused: {reason}")}</strong>{told}" Alerts opened meanwhile wait; resume to send them."</p>
                        <PostForm action=resume class="inline-form" id=format!("{k}-resume")>
                            <input type="hidden" name="kind" value=k/>
                            <button type="submit" class="button">{format!("Resume {}", kind.label())}</button>
                        </PostForm>
                    </div>
                }
                .into_any()
            }
            Some(r) if r.enabled == 1 => view! { <p class="badge badge-success">"On"</p> }.into_any(),
            _ => view! { <p class="badge">"Off"</p> }.into_any(),
        };
        let secret = row.as_ref().filter(|_| kind == ChannelKind::Webhook).map(|r| r.secret.clone()).filter(|s| !s.is_empty());
        view! {
            <section class="section" aria-labelledby=id("heading")>
                <h2 id=id("heading")>{kind.label()}</h2>
                {status}
                <p class="muted">{intro}</p>
                <PostForm action=save class="form" novalidate=true id=format!("{k}-form")>
                    <input type="hidden" name="kind" value=k/>
                    <div class="check">
                        <input type="checkbox" id=id("enabled") name="channel[enabled]" checked=settings.enabled/>
                        <label for=id("enabled")>{format!("Send alerts to {}", kind.label())}</label>
                    </div>
                    {kind.has_url().then(|| view! {
                        <div class="field" class:field-invalid=move || message(url_field)().is_some()>
                            <label for=id("url")>{url_label}</label>
                            <input id=id("url") name="channel[url]" type="url" value=input.url.clone()
                                aria-invalid=move || message(url_field)().is_some().to_string()
                                aria-describedby=format!("{k}-url-hint {k}-url-error")/>
                            <p class="field-hint" id=id("url-hint")>{url_hint}</p>
                            <p class="field-error" id=id("url-error") aria-live="polite">{message(url_field)}</p>
                        </div>
                    })}
                    {secret.map(|s| view! {
                        <p class="field-hint">"Signing secret: "<code>{s}</code>" — check each request: HMAC-SHA256 of “t.body” with this secret equals v1, and t is recent."</p>
                    })}
                    <fieldset class="form-section" aria-describedby=format!("{k}-kinds-error")>
                        <legend>"Alert kinds to send"</legend>
                        <div class="checks">
                            {RiskKind::ALL
                                .into_iter()
                                .map(|rk| {
                                    let cid = format!("{k}-kind-{}", rk.as_str());
                                    view! {
                                        <div class="check">
                                            <input type="checkbox" id=cid.clone() name=format!("channel[kinds][{}]", rk.as_str())
                                                checked=settings.kinds.contains(rk)/>
                                            <label for=cid>{rk.label()}</label>
                                        </div>
                                    }
                                })
                                .collect_view()}
                        </div>
                        <p class="field-error" id=id("kinds-error") aria-live="polite">{message("kinds")}</p>
                    </fieldset>
                    <div class="field-row">
                        <div class="field">
                            <label for=id("quiet-start")>"Quiet from (hour, 0–23)"</label>
                            <input id=id("quiet-start") name="channel[quiet_hours_start]" type="text" inputmode="numeric"
                                value=input.quiet_hours_start.clone() aria-describedby=format!("{k}-quiet-error")/>
                        </div>
                        <div class="field">
                            <label for=id("quiet-end")>"Quiet until (hour, 0–23)"</label>
                            <input id=id("quiet-end") name="channel[quiet_hours_end]" type="text" inputmode="numeric"
                                value=input.quiet_hours_end.clone() aria-describedby=format!("{k}-quiet-error")/>
                        </div>
                    </div>
                    <p class="field-hint">"In the shop's time zone. Alerts opened in these hours are sent when they end. Leave both empty for none."</p>
                    <p class="field-error" id=id("quiet-error") aria-live="polite">{message("quiet_hours")}</p>
                    <div class="form-actions">
                        <button type="submit" class="button button-primary">{format!("Save {}", kind.label())}</button>
                    </div>
                </PostForm>
            </section>
        }
    }

    #[component]
    fn DeliveryLog(rows: Vec<LogRow>) -> impl IntoView {
        if rows.is_empty() {
            return view! { <p class="empty">"Nothing sent yet: deliveries appear here when a channel is on and an alert opens."</p> }
                .into_any();
        }
        let rows = rows
            .into_iter()
            .map(|r| {
                let channel = ChannelKind::parse(&r.channel).map_or(r.channel.clone(), |c| c.label().to_string());
                let kind = RiskKind::parse(&r.alert_kind).map_or(r.alert_kind.clone(), |k| k.label().to_string());
                let state = match r.state.as_str() {
                    "delivered" => "Delivered".to_string(),
                    "failed" => "Failed".to_string(),
                    "skipped" => "Not sent: the alert closed first".to_string(),
                    _ if r.attempts == 0 => format!("Waiting until {}", short(&r.due_at)),
                    _ => format!("Retrying at {}", short(&r.due_at)),
                };
                let answer = match (r.last_status, r.last_error.as_deref()) {
                    (Some(s), Some(e)) => format!("{s}: {e}"),
                    (Some(s), None) => s.to_string(),
                    (None, Some(e)) => e.to_string(),
                    (None, None) => "—".to_string(),
                };
                view! {
                    <tr>
                        <td>{short(&r.updated_at)}</td>
                        <td>{channel}</td>
                        <th scope="row">{r.product_title}<span class="variant">{r.variant_title}</span></th>
                        <td>{kind}</td>
                        <td>{state}</td>
                        <td class="num">{r.attempts}</td>
                        <td>{answer}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap" tabindex="0" role="region" aria-label="Delivery log">
                <table class="data-table" id="delivery-log">
                    <thead><tr>
                        <th scope="col">"Updated (UTC)"</th><th scope="col">"Channel"</th><th scope="col">"Product"</th>
                        <th scope="col">"Alert"</th><th scope="col">"State"</th><th scope="col" class="num">"Attempts"</th>
                        <th scope="col">"Last answer"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    }

    /// `2026-12-07T23:30:12.345Z` as `2026-12-07 23:30`.
    fn short(t: &str) -> String {
        t.get(..16).unwrap_or(t).replace('T', " ")
    }
}
