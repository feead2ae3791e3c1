//! The HTML shell (document, hydration scripts) and the router.

use crate::components::nav::Nav;
use crate::pages::{
    bundles::BundlesSettings,
    channels::ChannelsSettings,
    dashboard::DashboardPage,
    help::{HelpArticlePage, HelpIndexPage},
    levels::LevelsSettings,
    not_found::NotFound,
    outbox::OutboxPage,
    purchase_orders::{PurchaseOrderPage, PurchaseOrdersPage},
    reorder::ReorderPage,
    rollups::RollupsPage,
    settings::SettingsPage,
    suppliers::SuppliersSettings,
    transfers::TransfersPage,
    variant::VariantDetailPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags};
use leptos_router::{
    components::{Route, Router, Routes},
    path, Lazy, LazyRoute, SsrMode,
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
/// first and synchronously, on pages inside the admin only (`domain::shopify::embedded`).
/// There it supplies session tokens (and adds them to the app's own fetches); outside, the
/// app uses its session cookie.
/// Rendered on the server only, from `SHOPIFY_API_KEY` and `APP_BRIDGE_URL`.
#[component]
fn AppBridge() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        let parts = use_context::<http::request::Parts>();
        // Only inside Shopify's admin: loaded in a top-level tab, the real app-bridge.js
        // sends the page into the admin (the help center, OAuth and the plain-tab app).
        let inside = parts.as_ref().is_some_and(|p| {
            let query = crate::server::auth::query_pairs(p.uri.query().unwrap_or(""));
            let dest = p.headers.get("sec-fetch-dest").and_then(|v| v.to_str().ok());
            domain::shopify::embedded::inside_admin(p.uri.path(), &query, dest)
        });
        if !inside {
            return ().into_any();
        }
        let env = parts.and_then(|p| p.extensions.get::<std::sync::Arc<worker::Env>>().cloned());
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

    // Every page waits for its data on the server (`SsrMode::Async`), so the HTML is
    // complete before any script runs. `data-hydrated` flips to "true" once the wasm has
    // taken over the page (frontend/src/lib.rs): the end-to-end tests wait on it.
    view! {
        <Router>
            <div class="app" data-hydrated="false">
                <Nav/>
                <main class="page" id="main" tabindex="-1">
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view={Lazy::<DashboardRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/app") view={Lazy::<DashboardRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/app/reorder") view={Lazy::<ReorderRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/app/rollups") view={Lazy::<RollupsRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/app/transfers") view={Lazy::<TransfersRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/app/settings") view={Lazy::<SettingsRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/app/settings/suppliers") view={Lazy::<SuppliersRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/app/settings/levels") view={Lazy::<LevelsRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/app/settings/channels") view={Lazy::<ChannelsRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/app/settings/bundles") view={Lazy::<BundlesRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/app/purchase-orders") view={Lazy::<PurchaseOrdersRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/app/purchase-orders/:id") view={Lazy::<PurchaseOrderRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/app/variants/:variant_id") view={Lazy::<VariantRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/help") view={Lazy::<HelpIndexRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/help/:slug") view={Lazy::<HelpArticleRoute>::new()} ssr=SsrMode::Async/>
                        <Route path=path!("/dev/outbox") view={Lazy::<OutboxRoute>::new()} ssr=SsrMode::Async/>
                    </Routes>
                </main>
            </div>
        </Router>
    }
}

/// Each page loads in the browser from a module of its own (wasm-split, see
/// scripts/build.sh): a first visit fetches the shared runtime, the page's module and the
/// chunks of code it shares with some other pages, whichever page it opens. The help
/// center's two pages share one module, and the outbox (a local development page) rides
/// with them: every further module cuts the shared code into more, smaller chunks, which
/// every page pays for. On the server `#[lazy]` is a plain function.
#[derive(Clone, Copy)]
enum HelpPage {
    Index,
    Article,
    Outbox,
}

#[leptos::lazy]
fn dashboard_view() -> AnyView {
    view! { <DashboardPage/> }.into_any()
}

/// Purchasing: the reorder list, the suppliers whose terms shape it and the purchase orders
/// made from it share a module (the reorder page had the most room under the first-visit
/// budget).
#[derive(Clone, Copy)]
enum PurchasingPage {
    Reorder,
    Suppliers,
    Orders,
    Order,
}

#[leptos::lazy]
fn purchasing_view(page: PurchasingPage) -> AnyView {
    match page {
        PurchasingPage::Reorder => view! { <ReorderPage/> }.into_any(),
        PurchasingPage::Suppliers => view! { <SuppliersSettings/> }.into_any(),
        PurchasingPage::Orders => view! { <PurchaseOrdersPage/> }.into_any(),
        PurchasingPage::Order => view! { <PurchaseOrderPage/> }.into_any(),
    }
}

/// Settings and its Levels, Alert channels and Bundles pages (rendered on the server, so they add
/// little) share a module.
#[derive(Clone, Copy)]
enum SettingsGroup {
    Settings,
    Levels,
    Channels,
    Bundles,
}

#[leptos::lazy]
fn settings_view(page: SettingsGroup) -> AnyView {
    match page {
        SettingsGroup::Settings => view! { <SettingsPage/> }.into_any(),
        SettingsGroup::Levels => view! { <LevelsSettings/> }.into_any(),
        SettingsGroup::Channels => view! { <ChannelsSettings/> }.into_any(),
        SettingsGroup::Bundles => view! { <BundlesSettings/> }.into_any(),
    }
}

/// Reports: a variant's page, the roll-ups and the suggested transfers (both rendered on the
/// server, so they add little) share a module.
#[derive(Clone, Copy)]
enum ReportPage {
    Variant,
    Rollups,
    Transfers,
}

#[leptos::lazy]
fn report_view(page: ReportPage) -> AnyView {
    match page {
        ReportPage::Variant => view! { <VariantDetailPage/> }.into_any(),
        ReportPage::Rollups => view! { <RollupsPage/> }.into_any(),
        ReportPage::Transfers => view! { <TransfersPage/> }.into_any(),
    }
}

#[leptos::lazy]
fn help_view(page: HelpPage) -> AnyView {
    match page {
        HelpPage::Index => view! { <HelpIndexPage/> }.into_any(),
        HelpPage::Article => view! { <HelpArticlePage/> }.into_any(),
        HelpPage::Outbox => view! { <OutboxPage/> }.into_any(),
    }
}

/// A route whose view comes from one of the modules above. `preload` fetches the module
/// before the router renders the route, so the view is ready when hydration reaches it
/// (a view still loading would not match the server's HTML).
macro_rules! lazy_route {
    ($route:ident, $preload:ident, $view:expr) => {
        struct $route;
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }
            async fn view(_: Self) -> AnyView {
                $view.await
            }
            async fn preload() {
                #[cfg(feature = "hydrate")]
                $preload().await;
            }
        }
    };
}

lazy_route!(DashboardRoute, __preload_dashboard_view, dashboard_view());
lazy_route!(ReorderRoute, __preload_purchasing_view, purchasing_view(PurchasingPage::Reorder));
lazy_route!(SuppliersRoute, __preload_purchasing_view, purchasing_view(PurchasingPage::Suppliers));
lazy_route!(PurchaseOrdersRoute, __preload_purchasing_view, purchasing_view(PurchasingPage::Orders));
lazy_route!(PurchaseOrderRoute, __preload_purchasing_view, purchasing_view(PurchasingPage::Order));
lazy_route!(SettingsRoute, __preload_settings_view, settings_view(SettingsGroup::Settings));
lazy_route!(LevelsRoute, __preload_settings_view, settings_view(SettingsGroup::Levels));
lazy_route!(ChannelsRoute, __preload_settings_view, settings_view(SettingsGroup::Channels));
lazy_route!(BundlesRoute, __preload_settings_view, settings_view(SettingsGroup::Bundles));
lazy_route!(VariantRoute, __preload_report_view, report_view(ReportPage::Variant));
lazy_route!(RollupsRoute, __preload_report_view, report_view(ReportPage::Rollups));
lazy_route!(TransfersRoute, __preload_report_view, report_view(ReportPage::Transfers));
lazy_route!(OutboxRoute, __preload_help_view, help_view(HelpPage::Outbox));
lazy_route!(HelpIndexRoute, __preload_help_view, help_view(HelpPage::Index));
lazy_route!(HelpArticleRoute, __preload_help_view, help_view(HelpPage::Article));
