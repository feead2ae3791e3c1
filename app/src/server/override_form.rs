//! The merchant's levels on the variant page, rendered on the server (`server::fragment`)
//! into the page's data: which lead time, minimum stock and thresholds apply and where
//! each comes from, and the forms for the variant's own and its product's. Also the seven
//! fields both this page and Settings → Levels show. Their views never reach the wasm.

use crate::api::overrides::SaveOverride;
use crate::components::post_form::{FormAction, PostForm};
use crate::wire::overrides::StoredOverride;
use domain::overrides::{Book, OverrideInput, Owner, Scope, FIELDS};
use domain::settings::{error_for, Settings};
use leptos::prelude::*;

/// What the variant page says of one level: its name, the value in use, where it is from.
#[derive(Clone)]
struct InUse {
    label: &'static str,
    value: String,
    source: String,
}

/// The section as HTML; `returned`: the refused post the page came back with.
pub fn html(
    owner: &Owner<'_>,
    product_title: &str,
    reaching: Vec<StoredOverride>,
    shop: &Settings,
    returned: Option<(String, String)>,
) -> String {
    let mut book = Book::default();
    for r in &reaching {
        book.insert(r.scope, &r.key, r.o);
    }
    let resolved = OverrideInput::from_override(&book.resolve(owner));
    let defaults = shop_values(shop);
    let in_use: Vec<InUse> = FIELDS
        .iter()
        .zip(resolved.values())
        .zip(book.sources(owner))
        .zip(defaults.clone())
        .map(|((((_, label), value), source), shop_value)| {
            let from = source.and_then(|s| reaching.iter().find(|r| r.scope == s));
            InUse {
                label,
                value: if from.is_some() { value.to_string() } else { shop_value },
                source: match from {
                    None => "Shop settings".into(),
                    Some(r) if r.scope == Scope::Variant => "This variant".into(),
                    Some(r) => format!("{} {}", capitalised(r.scope), r.label),
                },
            }
        })
        .collect();
    let own = reaching.iter().find(|r| r.scope == Scope::Variant).map(StoredOverride::input).unwrap_or_default();
    let product = reaching.iter().find(|r| r.scope == Scope::Product).map(StoredOverride::input).unwrap_or_default();
    let (variant_id, product_id, product_title) = (owner.variant_id, owner.product_id, product_title.to_string());
    super::fragment::render(returned, move || {
        view! { <Levels in_use variant_id product_id product_title own product defaults/> }
    })
}

fn capitalised(s: Scope) -> &'static str {
    match s {
        Scope::Vendor => "Vendor",
        Scope::Supplier => "Supplier",
        Scope::Product => "Product",
        Scope::Variant => "Variant",
    }
}

/// The shop's own value of each field, in `FIELDS` order (what the last level inherits).
pub fn shop_values(s: &Settings) -> [String; 7] {
    [
        s.lead_time_days.to_string(),
        "0".into(),
        domain::engine::config::DEFAULT_TARGET_COVER_DAYS.to_string(),
        "0".into(),
        s.low_stock_days.to_string(),
        s.overstock_days.to_string(),
        s.dead_stock_days.to_string(),
    ]
}

#[component]
fn Levels(
    in_use: Vec<InUse>,
    variant_id: i64,
    product_id: i64,
    product_title: String,
    own: OverrideInput,
    product: OverrideInput,
    defaults: [String; 7],
) -> impl IntoView {
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Levels in use">
            <table class="data-table levels-in-use">
                <thead><tr><th scope="col">"Level"</th><th scope="col" class="num">"In use"</th><th scope="col">"Set by"</th></tr></thead>
                <tbody>
                    {in_use
                        .into_iter()
                        .map(|u| view! { <tr><th scope="row">{u.label}</th><td class="num">{u.value}</td><td>{u.source}</td></tr> })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <OverrideForm target=format!("variant:{variant_id}") initial=own defaults=defaults.clone() prefix="variant" label="Save for this variant" primary=true/>
        <details class="product-levels">
            <summary>{format!("For every variant of {product_title}")}</summary>
            <OverrideForm target=format!("product:{product_id}") initial=product defaults prefix="product" label="Save for the product" primary=false/>
        </details>
    }
}

/// One override form (the variant's or its product's), its errors at the fields.
#[component]
fn OverrideForm(
    target: String,
    initial: OverrideInput,
    defaults: [String; 7],
    prefix: &'static str,
    label: &'static str,
    primary: bool,
) -> impl IntoView {
    let action = FormAction::of::<SaveOverride>();
    let errors = Signal::derive(move || action.value().get().and_then(|r| r.err()).map(|e| e.field_errors().to_vec()).unwrap_or_default());
    let failure = move || {
        action.value().get().and_then(|r| r.err()).map(|e| view! { <p class="banner banner-critical" role="alert">{e.to_string()}</p> })
    };
    view! {
        <PostForm action class="form" novalidate=true id=format!("{prefix}-levels-form")>
            <input type="hidden" name="target" value=target/>
            <div class="field-row">
                <OverrideFields initial errors prefix defaults/>
            </div>
            <div class="form-actions">
                <button type="submit" class=if primary { "button button-primary" } else { "button" }>{label}</button>
            </div>
            {failure}
        </PostForm>
    }
}

/// The seven fields of an override; `prefix` keeps ids unique when two forms share a page,
/// `defaults` says what an empty field inherits.
#[component]
pub fn OverrideFields(
    initial: OverrideInput,
    errors: Signal<Vec<domain::FieldError>>,
    prefix: &'static str,
    defaults: [String; 7],
) -> impl IntoView {
    let values = initial.values().map(str::to_string);
    FIELDS
        .iter()
        .zip(values)
        .zip(defaults)
        .map(|(((name, label), value), inherit)| {
            let id = format!("{prefix}-{name}");
            let (hint_id, error_id) = (format!("{id}-hint"), format!("{id}-error"));
            let name = *name;
            let message = move || error_for(&errors.get(), name).map(str::to_string);
            view! {
                <div class="field" class:field-invalid=move || message().is_some()>
                    <label for=id.clone()>{*label}</label>
                    <input id=id name=format!("o[{name}]") type="text" inputmode="decimal" value=value autocomplete="off"
                        aria-invalid=move || message().is_some().to_string() aria-describedby=format!("{hint_id} {error_id}")/>
                    <p class="field-hint" id=hint_id>{format!("Empty: inherit (shop: {inherit}).")}</p>
                    <p class="field-error" id=error_id aria-live="polite">{message}</p>
                </div>
            }
        })
        .collect_view()
}
