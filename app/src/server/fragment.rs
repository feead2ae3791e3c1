//! Pages whose forms need no script render on the server into an HTML string, which their
//! thin page component puts in place: their views never reach the browser's wasm (the
//! supplier and purchase-order pages would not fit the first-visit budget otherwise). Their
//! forms post as plain HTML forms; a refused post comes back in the URL (`__path`, `__err`),
//! handed in here so each message shows at its field as `FormAction` reads it.

use leptos::prelude::*;
use leptos::server::ServerActionError;
use leptos::tachys::view::RenderHtml;

/// `view` as HTML, rendered under its own reactive owner; `returned` is the refused post
/// the page was sent back with (its server function's path and encoded error), if any.
pub fn render<V: IntoView + 'static>(returned: Option<(String, String)>, view: impl FnOnce() -> V) -> String {
    let owner = Owner::new();
    owner.with(|| {
        if let Some((path, err)) = returned {
            provide_context(ServerActionError::new(&path, &err));
        }
        view().into_view().to_html()
    })
}
