//! The help center's search box, on the help pages and the 404 page alike.

use leptos::prelude::*;

/// A plain GET form: search works before (and without) the wasm.
#[component]
pub fn HelpSearch(#[prop(optional, into)] value: String) -> impl IntoView {
    view! {
        <form action="/help" method="get" role="search" class="help-search">
            <label for="help-q" class="visually-hidden">"Search the help center"</label>
            <input id="help-q" name="q" type="search" value=value placeholder="Search the help center, e.g. lead time"/>
            <button type="submit" class="button button-primary">"Search"</button>
        </form>
    }
}
