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
    let unauthorized = error == AppError::Unauthorized;
    view! {
        <div class="banner banner-critical" role="alert">
            <p class="banner-title">{error.to_string()}</p>
            <p>{hint}</p>
        </div>
        // Outside the admin, a merchant signs in with their shop's domain (OAuth).
        {unauthorized.then(|| view! {
            <form action="/auth" method="get" class="form-section login">
                <div class="field">
                    <label for="login-shop">"Or log in with your shop domain"</label>
                    <input id="login-shop" name="shop" placeholder="your-shop.myshopify.com" required=true autocomplete="off"/>
                </div>
                <button type="submit" class="button button-primary">"Log in"</button>
            </form>
        })}
    }
}
