//! The HTML shell (document, hydration scripts) and the router.

use crate::components::nav::Nav;
use crate::pages::{
    dashboard::DashboardPage,
    help::{HelpArticlePage, HelpIndexPage},
    not_found::NotFound,
    reorder::ReorderPage,
    outbox::OutboxPage,
    settings::SettingsPage,
    variant::VariantDetailPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The name of the browser bundle in `/pkg` (JS glue, wasm and CSS): scripts/build.sh
/// writes the files under this name.
pub const OUTPUT_NAME: &str = "stock_sentry";

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="stylesheet" href=format!("/pkg/{OUTPUT_NAME}.css")/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AppBridge/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// App Bridge, as Shopify requires it: the API key in a meta tag and the script loaded
/// first and synchronously. Inside the admin it supplies session tokens (and adds them to
/// the app's own fetches); outside, it does nothing and the app uses its session cookie.
/// Rendered on the server only, from `SHOPIFY_API_KEY` and `APP_BRIDGE_URL`.
#[component]
fn AppBridge() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        let env = use_context::<http::request::Parts>()
            .and_then(|p| p.extensions.get::<std::sync::Arc<worker::Env>>().cloned());
        let var = |name: &str| env.as_ref().and_then(|e| e.var(name).ok()).map(|v| v.to_string());
        if let (Some(key), Some(src)) = (var("SHOPIFY_API_KEY"), var("APP_BRIDGE_URL")) {
            return view! {
                <meta name="shopify-api-key" content=key/>
                <script src=src></script>
            }
            .into_any();
        }
    }
    ().into_any()
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Flips once the wasm has taken over the server-rendered page (effects run only in
    // the browser): the end-to-end test waits on it, and it costs nothing.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));

    // Every page waits for its data on the server (`SsrMode::Async`), so the HTML is
    // complete before any script runs.
    view! {
        <Router>
            <div class="app" data-hydrated=move || hydrated.get().to_string()>
                <Nav/>
                <main class="page" id="main" tabindex="-1">
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=DashboardPage ssr=SsrMode::Async/>
                        <Route path=path!("/app") view=DashboardPage ssr=SsrMode::Async/>
                        <Route path=path!("/app/reorder") view=ReorderPage ssr=SsrMode::Async/>
                        <Route path=path!("/app/settings") view=SettingsPage ssr=SsrMode::Async/>
                        <Route path=path!("/app/variants/:variant_id") view=VariantDetailPage ssr=SsrMode::Async/>
                        <Route path=path!("/help") view=HelpIndexPage ssr=SsrMode::Async/>
                        <Route path=path!("/help/:slug") view=HelpArticlePage ssr=SsrMode::Async/>
                        <Route path=path!("/dev/outbox") view=OutboxPage ssr=SsrMode::Async/>
                    </Routes>
                </main>
            </div>
        </Router>
    }
}
