//! A page region whose HTML the server rendered (`server::fragment`): its view code stays on
//! the server, so the browser's wasm carries only this.

use crate::components::error_notice::ErrorNotice;
use crate::error::AppError;
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

/// A page body the server rendered: `loading` while `html` is on its way, then the HTML, or
/// the error in words the merchant can act on.
#[component]
pub fn ServerRegion(html: Resource<Result<String, AppError>>, loading: &'static str) -> impl IntoView {
    view! {
        <Suspense fallback=move || view! { <p class="muted" role="status">{loading}</p> }>
            {move || Suspend::new(async move {
                match html.await {
                    Ok(html) => view! { <ServerHtml html/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
