use leptos::prelude::*;
use leptos_meta::Title;

/// A real 404: the status is set on the server render, and the page offers ways on.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
        opts.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found · Stock Sentry"/>
        <h1>"Page not found"</h1>
        <p>"There is no page at this address. It may have moved — try searching the help center."</p>
        <crate::components::help_search::HelpSearch/>
        <ul class="link-list">
            <li><a href="/app">"Go to the dashboard"</a></li>
            <li><a href="/help">"Browse the help center"</a></li>
        </ul>
    }
}
