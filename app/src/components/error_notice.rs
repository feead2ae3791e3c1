use crate::error::AppError;
use leptos::prelude::*;

/// A failed server call, in words the merchant can act on.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let hint = match &error {
        AppError::Unauthorized => "Open Stock Sentry again from Apps in your Shopify admin.",
        AppError::NotFound(_) => "Check the address, or go back to the dashboard.",
        _ => "If this keeps happening, contact support with the reference above.",
    };
    view! {
        <div class="banner banner-critical" role="alert">
            <p class="banner-title">{error.to_string()}</p>
            <p>{hint}</p>
        </div>
    }
}
