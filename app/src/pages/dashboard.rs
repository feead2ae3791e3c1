//! The merchant's morning view: totals per kind, then the alerts — filtered, searched and
//! paged from the URL — with one-click actions that show at once and can be undone.

use crate::api::alerts::{alert_action, undo_alert_action, AlertAction as AlertActionFn};
use crate::api::dashboard::{fetch_dashboard, Dashboard, Hydrated};
use crate::components::alert_filters::{dashboard_href, AlertFilters};
use crate::components::alert_table::{ActionRequest, AlertTable, KnownStates, StateMap};
use crate::components::format::group_thousands;
use crate::components::post_form::returned_error;
use crate::components::{error_notice::ErrorNotice, summary_cards::SummaryCards};
use crate::error::AppError;
use domain::alert_action::{status_column, status_label, AlertAction};
use domain::alert_filter::{page_count, AlertFilter};
use domain::engine::AlertState;
use leptos::html::Div;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The query-string keys the dashboard reads.
const QUERY_KEYS: [&str; 9] = ["kind", "location", "vendor", "product_type", "state", "q", "page", "abc", "xyz"];

#[component]
pub fn DashboardPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| query.with(|q| AlertFilter::from_pairs(QUERY_KEYS.iter().filter_map(|k| q.get(k).map(|v| (*k, v))))));
    let data = Resource::new(move || filter.get(), |f| async move { Hydrated(fetch_dashboard(f).await) });
    // Set when the merchant asks for other results (filters, pages), so focus follows them.
    let focus_results = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let refetch = Callback::new(move |_: ()| data.refetch());
    view! {
        <Title text="Dashboard · Stock Sentry"/>
        // A transition: while other filters load, the current list stays (marked busy).
        <Transition fallback=|| view! { <p class="muted" role="status">"Loading your stock…"</p> } set_pending=pending.write_only()>
            {move || Suspend::new(async move {
                match data.await.0 {
                    Ok(d) => view! { <DashboardBody d focus_results pending refetch/> }.into_any(),
                    Err(e) => view! { <h1>"Dashboard"</h1><ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A message after an action; `undo` holds the alert and the state to restore.
#[derive(Debug, Clone, PartialEq)]
struct Toast {
    seq: u32,
    message: String,
    undo: Option<(i64, AlertState)>,
    error: bool,
}

/// The message to show for a failed call: a field's own message when there is one.
fn failure(e: &AppError) -> String {
    e.field_errors().first().map_or_else(|| e.to_string(), |f| f.message.clone())
}

#[component]
fn DashboardBody(d: Dashboard, focus_results: RwSignal<bool>, pending: RwSignal<bool>, refetch: Callback<()>) -> impl IntoView {
    let states: KnownStates = RwSignal::new(StateMap::default());
    // An action posted without the wasm and refused shows its reason as the message.
    let returned = returned_error(AlertActionFn::url()).map(|e| Toast { seq: 0, message: failure(&e), undo: None, error: true });
    let toast = RwSignal::new(returned);
    let seq = StoredValue::new(0u32);
    let listed = d.filter.state;
    let today = d.today;
    let as_listed = StoredValue::new(d.rows.iter().map(|r| (r.id, r.state)).collect::<StateMap<AlertState>>());
    let state_now = move |id: i64| states.with_untracked(|m| m.get(id)).or_else(|| as_listed.with_value(|o| o.get(id).map(Some)));

    // The count and the page follow the actions at once: +1 for an alert that joined
    // this list, -1 for one that left it.
    let server_total = i64::from(d.total);
    let shown_total = Memo::new(move |_| {
        let moved: i64 = states.with(|m| {
            as_listed.with_value(|o| {
                m.iter()
                    .map(|(id, now)| {
                        let was = o.get(id).is_some_and(|s| listed.includes(s.as_str()));
                        i64::from(listed.includes(status_column(now))) - i64::from(was)
                    })
                    .sum()
            })
        });
        (server_total + moved).max(0)
    });
    let all_handled = Memo::new(move |_| {
        as_listed.with_value(|o| !o.is_empty() && o.iter().all(|(id, _)| !listed.includes(status_column(state_now_tracked(states, id, o)))))
    });

    let show = move |message: String, undo: Option<(i64, AlertState)>, error: bool| {
        seq.update_value(|n| *n += 1);
        toast.set(Some(Toast { seq: seq.get_value(), message, undo, error }));
    };

    // Optimistic: the row changes now (by the same rules the server applies), the server
    // confirms in the background, and a failure puts the row back with the reason.
    let on_action = Callback::new(move |req: ActionRequest| {
        let Some(Some(current)) = state_now(req.id) else { return };
        let next = match AlertAction::parse(req.action, req.until.as_deref()).and_then(|a| a.apply(current, today)) {
            Ok(next) => next,
            Err(e) => return show(e.message, None, true),
        };
        states.update(|m| {
            m.insert(req.id, next);
        });
        spawn_local(async move {
            match alert_action(req.id, req.action.to_string(), req.until).await {
                Ok(done) => {
                    states.update(|m| {
                        m.insert(done.id, done.now);
                    });
                    show(done.message, Some((done.id, done.previous)), false);
                }
                Err(e) => {
                    states.update(|m| {
                        m.insert(req.id, Some(current));
                    });
                    show(failure(&e), None, true);
                }
            }
        });
    });

    let on_undo = Callback::new(move |(id, previous): (i64, AlertState)| {
        let before = states.with_untracked(|m| m.get(id));
        states.update(|m| {
            m.insert(id, Some(previous));
        });
        spawn_local(async move {
            let until = previous.snoozed_until().map(|d| d.to_string());
            match undo_alert_action(id, previous.as_str().to_string(), until).await {
                Ok(restored) => {
                    states.update(|m| {
                        m.insert(id, Some(restored));
                    });
                    show(format!("Undone. The alert is back as it was: {}.", status_label(Some(restored))), None, false);
                }
                Err(e) => {
                    states.update(|m| match before {
                        Some(b) => {
                            m.insert(id, b);
                        }
                        None => {
                            m.remove(id);
                        }
                    });
                    show(failure(&e), None, true);
                }
            }
        });
    });

    let results_ref = NodeRef::<Div>::new();
    Effect::new(move |_| {
        if let Some(el) = results_ref.get() {
            if focus_results.get_untracked() {
                focus_results.set(false);
                let _ = el.focus();
            }
        }
    });
    let on_navigate = Callback::new(move |_: ()| focus_results.set(true));

    let filter = d.filter.clone();
    let narrowed = filter.is_narrowed();
    let pages = page_count(d.total);
    let page = filter.page;
    let list = if d.total == 0 && !narrowed {
        view! {
            <div class="empty" id="results-summary" tabindex="-1" node_ref=results_ref>
                <p>"No alerts right now. Once your products and a year of orders are imported, the variants that need attention appear here — or nothing needs attention today."</p>
                <p><a href="/app?state=snoozed">"See snoozed alerts"</a>" · "<a href="/app/settings">"Review your thresholds"</a></p>
            </div>
        }
        .into_any()
    } else if d.total == 0 {
        let hint = match &filter.search {
            Some(q) => format!(
                "Nothing matches “{q}” with these filters. Check the spelling, search for part of a title or SKU, or widen the filters."
            ),
            None => "Try another kind, location or status, or clear the filters to see every open alert.".to_string(),
        };
        view! {
            <div class="empty" id="results-summary" tabindex="-1" node_ref=results_ref>
                <p class="empty-title">"No alerts match these filters."</p>
                <p>{hint}</p>
                <p><a class="button" href="/app" on:click=move |_| on_navigate.run(())>"Clear filters"</a></p>
            </div>
        }
        .into_any()
    } else if d.rows.is_empty() {
        view! {
            <div class="empty" id="results-summary" tabindex="-1" node_ref=results_ref>
                <p>{format!("Page {page} is past the end of the list ({pages} pages).")}</p>
                <p><a href=dashboard_href(&filter.with_page(1)) on:click=move |_| on_navigate.run(())>"Go to the first page"</a></p>
            </div>
        }
        .into_any()
    } else {
        let summary = move || {
            let n = shown_total.get();
            let noun = if n == 1 { "alert matches" } else { "alerts match" };
            format!("{} {noun} · page {page} of {pages}", group_thousands(n as u64))
        };
        view! {
            <div class="results-summary" id="results-summary" tabindex="-1" node_ref=results_ref>
                <p class="muted">{summary}</p>
                <p class="muted">"Resolve removes an alert now; it reopens if its condition is still true at the next check. Acknowledged and snoozed alerts stay until the stock recovers (a snooze ends on its date)."</p>
            </div>
            <AlertTable rows=d.rows currency=d.currency.clone() listed today states on_action/>
            <Show when=move || all_handled.get()>
                <div class="empty">
                    <p>"You have handled every alert on this page."</p>
                    <p><button type="button" class="button" on:click=move |_| refetch.run(())>"Show the next alerts"</button></p>
                </div>
            </Show>
            <Pagination filter=filter.clone() total=d.total on_navigate/>
        }
        .into_any()
    };

    view! {
        <div class="page-header">
            <h1>"Dashboard"</h1>
            <p class="muted">
                {d.shop_name.clone()}" · "{group_thousands(d.live.into())}" open alerts · "
                {domain::dates::long(d.today)}
            </p>
        </div>
        <crate::components::sync_progress::SyncProgress runs=d.sync.clone() on_ready=refetch/>
        <SummaryCards summaries=d.summaries.clone() currency=d.currency.clone()/>
        <section class="section" aria-labelledby="alerts-heading" aria-busy=move || pending.get().to_string()>
            <h2 id="alerts-heading">"Alerts"</h2>
            <AlertFilters filter=d.filter.clone() options=d.options.clone() on_navigate/>
            <crate::components::csv_export::CsvExports filter=d.filter.clone() today=d.today/>
            {list}
        </section>
        <ActionToast toast on_undo/>
    }
}

/// The state an alert has now for the list: the browser's if it acted, else as listed.
fn state_now_tracked(states: KnownStates, id: i64, as_listed: &StateMap<AlertState>) -> Option<AlertState> {
    states.with(|m| m.get(id)).unwrap_or_else(|| as_listed.get(id))
}

#[component]
fn Pagination(filter: AlertFilter, total: u32, on_navigate: Callback<()>) -> impl IntoView {
    let pages = page_count(total);
    let page = filter.page;
    if pages <= 1 {
        return ().into_any();
    }
    let link = |label: &'static str, rel: &'static str, to: Option<u32>| match to {
        Some(p) => view! {
            <a class="button" rel=rel href=dashboard_href(&filter.with_page(p)) on:click=move |_| on_navigate.run(())>{label}</a>
        }
        .into_any(),
        None => view! { <span class="button button-disabled" aria-disabled="true">{label}</span> }.into_any(),
    };
    view! {
        <nav class="pagination" aria-label="Alert pages">
            {link("Previous", "prev", (page > 1).then(|| page - 1))}
            <span class="pagination-label">{format!("Page {page} of {pages}")}</span>
            {link("Next", "next", (page < pages).then(|| page + 1))}
        </nav>
    }
    .into_any()
}

/// The result of the last action, with Undo. It takes focus (so a keyboard user lands on
/// Undo with one Tab and a screen reader reads it) and stays until dismissed or replaced:
/// an Undo that vanishes on a timer is no Undo for someone who reads slowly.
#[component]
fn ActionToast(toast: RwSignal<Option<Toast>>, on_undo: Callback<(i64, AlertState)>) -> impl IntoView {
    let dismiss = move || {
        toast.set(None);
        // Focus goes back to the list rather than to the top of the document.
        if let Some(el) = document().get_element_by_id("results-summary") {
            use leptos::wasm_bindgen::JsCast;
            if let Ok(el) = el.dyn_into::<leptos::web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    };
    view! {
        <div class="toast-region" role="status" aria-live="polite">
            {move || toast.get().map(|t| {
                let r = NodeRef::<Div>::new();
                Effect::new(move |_| {
                    if let Some(el) = r.get() {
                        let _ = el.focus();
                    }
                });
                let class = if t.error { "toast toast-critical" } else { "toast" };
                view! {
                    <div class=class tabindex="-1" node_ref=r data-seq=t.seq
                        on:keydown=move |ev| if ev.key() == "Escape" { dismiss() }>
                        <p class="toast-message">{t.message}</p>
                        {t.undo.map(|u| view! {
                            <button type="button" class="button toast-button" on:click=move |_| on_undo.run(u)>"Undo"</button>
                        })}
                        <button type="button" class="button toast-button" on:click=move |_| dismiss()>"Dismiss"</button>
                    </div>
                }
            })}
        </div>
    }
}
