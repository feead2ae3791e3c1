use leptos::prelude::*;
use leptos_router::components::A;

/// The app's top bar: Dashboard · Reorder · Purchase orders · Settings · Help. `A` marks the current page with
/// `aria-current="page"`, which the CSS also uses for the visual state.
#[component]
pub fn Nav() -> impl IntoView {
    view! {
        <header class="topbar">
            <a class="skip-link" href="#main">"Skip to content"</a>
            <span class="brand" aria-hidden="true">"◆"</span>
            <span class="brand-name">"Stock Sentry"</span>
            <nav aria-label="Stock Sentry">
                <ul>
                    <li><A href="/app" exact=true>"Dashboard"</A></li>
                    <li><A href="/app/reorder">"Reorder"</A></li>
                    <li><A href="/app/rollups">"Roll-ups"</A></li>
                    <li><A href="/app/purchase-orders">"Purchase orders"</A></li>
                    <li><A href="/app/settings">"Settings"</A></li>
                    <li><A href="/help">"Help"</A></li>
                </ul>
            </nav>
        </header>
    }
}
