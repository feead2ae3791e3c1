use crate::api::sync::{sync_status, StartSync, SyncView};
use crate::components::format::group_thousands;
use leptos::prelude::*;

/// The import's real progress (records read from Shopify's exports), refreshed every two
/// seconds while it runs, and a "Sync now" button once it is done.
#[component]
pub fn SyncProgress() -> impl IntoView {
    let tick = RwSignal::new(0u32);
    let start = ServerAction::<StartSync>::new();
    let status = Resource::new(move || (tick.get(), start.version().get()), |_| sync_status());
    let running = move || {
        status.get().and_then(|r| r.ok()).is_some_and(|runs| runs.iter().any(|r| r.status == "running" || r.status == "queued"))
    };
    // Browser only: poll while an import runs.
    Effect::new(move |_| {
        if running() {
            set_timeout(move || tick.update(|t| *t += 1), std::time::Duration::from_secs(2));
        }
    });
    view! {
        <Transition fallback=|| ()>
            {move || status.get().and_then(|r| r.ok()).map(|runs| view! { <SyncPanel runs start/> })}
        </Transition>
    }
}

#[component]
fn SyncPanel(runs: Vec<SyncView>, start: ServerAction<StartSync>) -> impl IntoView {
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
    match (active, failed) {
        (Some(a), _) => view! {
            <section class="banner banner-info sync" aria-live="polite" aria-labelledby="sync-title">
                <p class="banner-title" id="sync-title">"Importing your shop from Shopify…"</p>
                <progress max="100" value=value aria-labelledby="sync-title">{value}"%"</progress>
                <p>{format!("{}: {} records read so far. Alerts fill in as the import completes.", a.label(), group_thousands(a.objects_done.max(0) as u64))}</p>
            </section>
        }
        .into_any(),
        (None, Some(f)) => view! {
            <section class="banner banner-critical sync" role="alert">
                <p class="banner-title">{format!("The import of {} stopped.", f.label().to_lowercase())}</p>
                <p>{f.error.unwrap_or_default()}</p>
                <ActionForm action=start><button type="submit" class="button">"Try again"</button></ActionForm>
            </section>
        }
        .into_any(),
        (None, None) => {
            let last = runs.iter().filter_map(|r| r.finished_at.clone()).max().unwrap_or_default();
            view! {
                <div class="sync-done">
                    <span class="muted">{format!("Synced with Shopify {}", last.get(..16).unwrap_or("").replace('T', " "))}" UTC"</span>
                    <ActionForm action=start><button type="submit" class="button" disabled=move || start.pending().get()>"Sync now"</button></ActionForm>
                </div>
            }
            .into_any()
        }
    }
}
