//! The browser half: takes over the server-rendered page.

use leptos::prelude::document;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Hydration waits for the page's own wasm module (lazy routes, app/src/app.rs), so it
    // runs as a task (`hydrate_from_async` starts Leptos's executor); the page is marked
    // hydrated only once its handlers are attached.
    wasm_bindgen_futures::spawn_local(async {
        leptos::mount::hydrate_from_async(leptos::tachys::dom::body(), app::App).await.forget();
        if let Ok(Some(root)) = document().query_selector(".app") {
            _ = root.set_attribute("data-hydrated", "true");
        }
    });
}
