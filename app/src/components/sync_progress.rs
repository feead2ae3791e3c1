use crate::api::sync::{start_sync, sync_status, StartSync, SyncView};
use crate::components::format::group_thousands;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The import's real progress (records read from Shopify's exports), refreshed every two
/// seconds while it runs, and a "Sync now" button once it is done. The first state comes
/// with the dashboard's data; the browser asks `sync_status` for the next ones (a signal
/// and a task rather than a resource: this is the one place that polls).
///
/// `on_ready` runs when an import the page watched has ended and its alerts are worked
/// out, so the page can show them without a reload.
#[component]
pub fn SyncProgress(runs: Vec<SyncView>, #[prop(optional, into)] on_ready: Option<Callback<()>>) -> impl IntoView {
    let busy = |runs: &[SyncView]| runs.iter().any(|r| r.status == "running" || r.status == "queued" || r.alerts_pending);
    let was_busy = StoredValue::new(busy(&runs));
    let runs = RwSignal::new(runs);
    let pending = RwSignal::new(false);
    // Why the last "Sync now" was refused (a session that expired, a shop without a token).
    let refused = RwSignal::new(None::<String>);
    let refresh = move || {
        leptos::task::spawn_local(async move {
            // `try_set`: the dashboard may have re-rendered (and dropped this panel) meanwhile.
            if let Ok(now) = sync_status().await {
                _ = runs.try_set(now);
            }
        })
    };
    // Effects run only in the browser: poll while an import runs or its alerts are worked
    // out, then tell the page once both are done.
    Effect::new(move |_| {
        let now_busy = runs.with(|r| busy(r));
        if now_busy {
            set_timeout(refresh, std::time::Duration::from_secs(2));
        } else if was_busy.get_value() {
            if let Some(ready) = on_ready {
                ready.run(());
            }
        }
        was_busy.set_value(now_busy);
    });
    // "Sync now" (or "Try again"), then a fresh look at the imports once it is answered.
    let start = Callback::new(move |_: ()| {
        pending.set(true);
        refused.set(None);
        leptos::task::spawn_local(async move {
            let answer = start_sync().await;
            _ = refused.try_set(answer.err().map(|e| e.to_string()));
            _ = pending.try_set(false);
            refresh();
        });
    });
    view! {
        {move || view! { <SyncPanel runs=runs.get() pending start/> }}
        {move || refused.get().map(|m| view! { <p class="banner banner-critical" role="alert">{m}</p> })}
    }
}

#[component]
fn SyncPanel(runs: Vec<SyncView>, pending: RwSignal<bool>, start: Callback<()>) -> impl IntoView {
    if runs.is_empty() {
        return view! {
            <p class="banner banner-info">"Your shop's data has not been imported yet. It starts as soon as Stock Sentry is installed."</p>
        }
        .into_any();
    }
    // Two exports: the catalogue, then the orders. Each finished one is half the bar.
    let done = runs.iter().filter(|r| r.status == "done").count();
    let active = runs.iter().find(|r| r.status == "running" || r.status == "queued").cloned();
    let failed = runs.iter().find(|r| r.status == "failed").cloned();
    // The catalogue is the first half; the orders import fills the second by bytes read.
    let orders_fraction = active
        .as_ref()
        .filter(|a| a.kind == "orders")
        .and_then(|a| a.bytes_total.filter(|t| *t > 0).map(|t| a.bytes_done as f64 / t as f64))
        .unwrap_or(0.0);
    let value = ((done.min(2) as f64 * 50.0) + orders_fraction * 50.0).round().min(100.0) as u32;
    // An import under way, or its alerts being worked out: the bar with what it is doing.
    let under_way = match &active {
        Some(a) => Some((
            "Importing your shop from Shopify…",
            Some(value),
            format!("{}: {} records read so far. Alerts fill in as the import completes.", a.label(), group_thousands(a.objects_done.max(0) as u64)),
        )),
        None if failed.is_none() && runs.iter().any(|r| r.alerts_pending) => Some((
            "Working out your alerts…",
            None,
            "Your products and a year of orders are in. Stock Sentry is forecasting every variant at every location; the alerts appear here in a moment.".to_string(),
        )),
        None => None,
    };
    match (under_way, failed) {
        (Some((title, value, detail)), _) => view! {
            <section class="banner banner-info sync" aria-live="polite" aria-labelledby="sync-title">
                <p class="banner-title" id="sync-title">{title}</p>
                <progress max="100" value=value aria-labelledby="sync-title"></progress>
                <p>{detail}</p>
            </section>
        }
        .into_any(),
        (None, Some(f)) => view! {
            <section class="banner banner-critical sync" role="alert">
                <p class="banner-title">{format!("The import of {} stopped.", f.noun())}</p>
                <p>{f.error.unwrap_or_default()}</p>
                <SyncForm pending start label="Try again"/>
            </section>
        }
        .into_any(),
        (None, None) => {
            let last = runs.iter().filter_map(|r| r.finished_at.clone()).max().unwrap_or_default();
            // Less than a year: Shopify withheld older orders (no `read_all_orders` approval).
            let history = runs.iter().find_map(|r| r.history_days).map(|d| {
                let short = if d < 365 { " (Shopify shares older orders once it approves read_all_orders)" } else { "" };
                format!(" · {d} days of sales history{short}")
            });
            view! {
                <div class="sync-done">
                    <span class="muted">{format!("Synced with Shopify {}", last.get(..16).unwrap_or("").replace('T', " "))}" UTC"{history}</span>
                    <SyncForm pending start label="Sync now"/>
                </div>
            }
            .into_any()
        }
    }
}

/// A plain form posting to `start_sync` (it works before the wasm arrives); once hydrated
/// the click calls it in the background instead.
#[component]
fn SyncForm(pending: RwSignal<bool>, start: Callback<()>, label: &'static str) -> impl IntoView {
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        start.run(());
    };
    view! {
        <form method="post" action=StartSync::url() on:submit=on_submit>
            <button type="submit" class="button" disabled=move || pending.get()>{label}</button>
        </form>
    }
}
