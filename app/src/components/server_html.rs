//! A page region whose HTML the server rendered (`server::fragment`): its view code stays on
//! the server, so the browser's wasm carries only this.

use leptos::prelude::*;
use leptos::server::ServerActionError;

/// The refused post this page was sent back with (its server function's path and encoded
/// error), for the server to render at the fields: `(path, err)`, or `(None, None)`.
pub fn returned_post() -> (Option<String>, Option<String>) {
    use_context::<ServerActionError>().map_or((None, None), |e| (Some(e.path().to_string()), Some(e.err().to_string())))
}

#[component]
pub fn ServerHtml(html: String) -> impl IntoView {
    view! { <div class="server-html" inner_html=html></div> }
}
