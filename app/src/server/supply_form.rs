//! The variant page's supplier-terms form, rendered on the server (`server::fragment`) into
//! the page's data: its view never reaches the browser's wasm.

use crate::api::suppliers::SaveSupplierItem;
use crate::components::post_form::{FormAction, PostForm};
use crate::wire::suppliers::VariantSupply;
use leptos::prelude::*;

/// The form as HTML; `returned`: the refused post the page came back with.
pub fn html(supply: VariantSupply, variant_id: i64, returned: Option<(String, String)>) -> String {
    super::fragment::render(returned, move || view! { <SupplyForm supply variant_id/> })
}

/// Where the variant is ordered from, under which supplier SKU, at what cost, minimum and
/// case pack (its line in the supplier catalogue); no supplier chosen: its vendor's.
#[component]
fn SupplyForm(supply: VariantSupply, variant_id: i64) -> impl IntoView {
    let action = FormAction::of::<SaveSupplierItem>();
    let message = move |field: &'static str| move || action.error_at(field);
    let outcome = move || {
        action.value().get().map(|r| match r {
            Ok(()) => {
                view! { <p class="banner banner-success" role="status">"Supplier terms saved. The reorder list uses them."</p> }.into_any()
            }
            Err(e) if e.field_errors().is_empty() => {
                view! { <p class="banner banner-critical" role="alert">{e.to_string()}</p> }.into_any()
            }
            Err(_) => ().into_any(),
        })
    };
    let vendor_name = supply.vendor_supplier.and_then(|id| supply.suppliers.iter().find(|(s, _)| *s == id)).map(|(_, n)| n.clone());
    let default_label = vendor_name.map_or("Its vendor's supplier".to_string(), |n| format!("Its vendor's supplier ({n})"));
    let own = supply.own_supplier;
    let input = supply.input;
    let field = move |name: &'static str, label: &'static str, value: String| {
        let id = format!("item-{name}");
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <input id=id.clone() name=format!("item[{name}]") type="text" value=value aria-describedby=format!("{id}-error")/>
                <p class="field-error" id=format!("{id}-error") aria-live="polite">{message(name)}</p>
            </div>
        }
    };
    view! {
        <PostForm action class="form" novalidate=true id="supply-form">
            <input type="hidden" name="variant_id" value=variant_id.to_string()/>
            <div class="field-row">
                <div class="field">
                    <label for="item-supplier_id">"Ordered from"</label>
                    <select id="item-supplier_id" name="item[supplier_id]" aria-describedby="item-supplier_id-error">
                        <option value="" selected=own.is_none()>{default_label}</option>
                        {supply.suppliers.into_iter().map(|(id, name)| view! { <option value=id.to_string() selected=own == Some(id)>{name}</option> }).collect_view()}
                    </select>
                    <p class="field-error" id="item-supplier_id-error" aria-live="polite">{message("supplier_id")}</p>
                </div>
                {field("supplier_sku", "Supplier SKU", input.supplier_sku)}
                {field("unit_cost", "Unit cost (supplier's currency)", input.unit_cost)}
            </div>
            <div class="field-row">
                {field("moq", "Minimum order quantity", input.moq)}
                {field("case_pack", "Case pack", input.case_pack)}
            </div>
            <div class="check">
                <input id="item-whole_product" name="item[whole_product]" type="checkbox" value="on"/>
                <label for="item-whole_product">"Order every variant of this product from this supplier"</label>
            </div>
            <div class="form-actions">
                <button type="submit" class="button" disabled=move || action.pending().get()>"Save supplier terms"</button>
                " "<a href="/app/settings/suppliers">"All suppliers"</a>
            </div>
            {outcome}
        </PostForm>
    }
}
