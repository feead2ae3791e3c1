//! Forms that post to a server function. Before the wasm arrives the form is a plain HTML
//! POST (the server function answers it and sends the browser back); once hydrated, a
//! submit sends the same URL-encoded form data in the background and the page shows the
//! answer.
//!
//! Why not Leptos's `<ActionForm>`: it parses the form into the function's arguments in
//! the browser, only for the server to parse them again, and that parser plus a copy of
//! the machinery per action cost the admin pages more wasm than their own views. Here the
//! browser encodes the form itself and only the answer is read, as every answer is
//! (`api::codec`).

use crate::error::AppError;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::server::ServerActionError;
use leptos::server_fn::error::ServerFnUrlError;
use leptos::server_fn::ServerFn;
use serde::de::DeserializeOwned;

/// The state of one form's submissions: the last answer, whether one is under way, and how
/// many have been answered (a resource can refetch on it).
pub struct FormAction<T: Send + Sync + 'static> {
    url: &'static str,
    value: RwSignal<Option<Result<T, AppError>>>,
    pending: RwSignal<bool>,
    version: RwSignal<usize>,
}

impl<T: Send + Sync + 'static> Clone for FormAction<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for FormAction<T> {}

impl<T: DeserializeOwned + Send + Sync + 'static> FormAction<T> {
    /// For the server function `S`, e.g. `FormAction::of::<SaveSettings>()`.
    pub fn of<S: ServerFn<Output = T>>() -> Self {
        Self::new(S::url())
    }

    fn new(url: &'static str) -> Self {
        // A refused post without the wasm shows as the answer, as it would once hydrated.
        let returned = returned_error(url).map(Err);
        Self { url, value: RwSignal::new(returned), pending: RwSignal::new(false), version: RwSignal::new(0) }
    }

    pub fn value(&self) -> RwSignal<Option<Result<T, AppError>>> {
        self.value
    }

    pub fn pending(&self) -> RwSignal<bool> {
        self.pending
    }

    pub fn version(&self) -> RwSignal<usize> {
        self.version
    }

    /// The last answer's message for `field`, if it refused that field (reactive).
    pub fn error_at(&self, field: &str) -> Option<String> {
        self.value.with(|v| {
            v.as_ref()
                .and_then(|r| r.as_ref().err())
                .and_then(|e| e.field_errors().iter().find(|f| f.field == field).map(|f| f.message.clone()))
        })
    }

    /// The submit handler, type-erased so every form's view is one and the same type.
    fn handler(self) -> Callback<SubmitEvent> {
        Callback::new(move |ev: SubmitEvent| {
            ev.prevent_default();
            #[cfg(feature = "hydrate")]
            {
                let body = match browser::form_body(&ev) {
                    Ok(body) => body,
                    Err(e) => {
                        self.value.set(Some(Err(e)));
                        return;
                    }
                };
                self.pending.set(true);
                leptos::task::spawn_local(async move {
                    let answer = browser::post(self.url, body)
                        .await
                        .and_then(|text| serde_json::from_str::<T>(&text).map_err(|e| AppError::Transport(e.to_string())));
                    // `try_`: the form may have left the page while the answer travelled.
                    _ = self.value.try_set(Some(answer));
                    _ = self.version.try_update(|v| *v += 1);
                    _ = self.pending.try_set(false);
                });
            }
        })
    }
}

/// The error a server function at `url` refused a form with, when the form was posted
/// without the wasm: the server function sends the browser back with it in the URL
/// (`__path`, `__err`), and the router hands it over.
pub fn returned_error(url: &str) -> Option<AppError> {
    use_context::<ServerActionError>().filter(|e| e.path() == url).map(|e| ServerFnUrlError::<AppError>::decode_err(e.err()))
}

/// What `<PostForm>` needs of an action, whatever its answer type.
pub struct FormTarget {
    url: &'static str,
    on_submit: Callback<SubmitEvent>,
}

impl<T: DeserializeOwned + Send + Sync + 'static> From<FormAction<T>> for FormTarget {
    fn from(action: FormAction<T>) -> Self {
        Self { url: action.url, on_submit: action.handler() }
    }
}

/// `<form method="post">` to the action's server function.
#[component]
pub fn PostForm(
    #[prop(into)] action: FormTarget,
    #[prop(optional)] class: &'static str,
    #[prop(optional, into)] id: Option<String>,
    /// Leaves checking to the server (and the page's own live checks), whose messages
    /// appear next to each field.
    #[prop(optional)]
    novalidate: bool,
    #[prop(optional)] hidden: bool,
    children: Children,
) -> impl IntoView {
    let on_submit = action.on_submit;
    view! {
        <form method="post" action=action.url class=class id=id novalidate=novalidate hidden=hidden
            on:submit=move |ev| on_submit.run(ev)>
            {children()}
        </form>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use crate::error::AppError;
    use leptos::server_fn::client::{browser::BrowserClient, Client};
    use leptos::server_fn::error::FromServerFnError;
    use leptos::server_fn::request::{browser::BrowserRequest, ClientReq};
    use leptos::server_fn::response::ClientRes;
    use leptos::server_fn::Bytes;

    /// The form's fields (and the button that submitted it) URL-encoded, as the browser
    /// would post them without the wasm.
    pub fn form_body(ev: &leptos::ev::SubmitEvent) -> Result<String, AppError> {
        let unreadable = |_| AppError::Malformed("the form could not be read".into());
        let data = leptos::form::form_data_from_event(ev).map_err(|e| AppError::Malformed(e.to_string()))?;
        let params = leptos::web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).map_err(unreadable)?;
        Ok(String::from(params.to_string()))
    }

    /// POSTs to a server function; its answer's text, or the error it answered with.
    pub async fn post(url: &str, body: String) -> Result<String, AppError> {
        let req =
            <BrowserRequest as ClientReq<AppError>>::try_new_post(url, "application/x-www-form-urlencoded", "application/json", body)?;
        let res = <BrowserClient as Client<AppError>>::send(req).await?;
        let status = ClientRes::<AppError>::status(&res);
        let text = ClientRes::<AppError>::try_into_string(res).await?;
        if (400..=599).contains(&status) {
            return Err(AppError::de(Bytes::from(text)));
        }
        Ok(text)
    }
}
