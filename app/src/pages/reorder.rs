use crate::api::purchase_orders::CreatePurchaseOrders;
use crate::api::reorder::{reorder_list, Reorder};
use crate::components::post_form::{FormAction, PostForm};
use crate::components::{error_notice::ErrorNotice, format::money};
use domain::engine::config::DEFAULT_TARGET_COVER_DAYS;
use domain::engine::reorder::{apply_quantities, parse_order_quantity, QuantityError, QuantityOverrides};
use domain::engine::{purchase_order_csv, OrderLine, SupplierOrder};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The ABC classes the list can be narrowed to.
const CLASSES: [&str; 3] = ["A", "B", "C"];

/// Per supplier, what to order now and how much, rounded to what the supplier sells; the
/// merchant can change each quantity, and the list downloads as a CSV purchase order with
/// those quantities.
#[component]
pub fn ReorderPage() -> impl IntoView {
    let query = use_query_map();
    let cover = move || query.with(|q| q.get("cover").and_then(|c| c.parse::<u32>().ok()));
    // "A", "B" or "C" as typed in the URL; the server ignores anything else, as the dashboard does.
    let abc = move || query.with(|q| q.get("abc").filter(|c| CLASSES.contains(&c.as_str())));
    let list = Resource::new(move || (cover(), abc()), |(cover, abc)| reorder_list(cover, abc));
    view! {
        <Title text="Reorder · Stock Sentry"/>
        <h1>"Reorder"</h1>
        <p class="muted">"Variants at or below their reorder point, with quantities that cover the supplier lead time and the days below, counting stock already on its way. "
            "Before ordering, see the "<a href="/app/transfers">"transfers"</a>" that would cover some of it from another location."</p>
        <form method="get" action="/app/reorder" class="cover-form">
            <label for="cover">"Days of cover after delivery"</label>
            <input id="cover" name="cover" type="number" min="1" max="365" placeholder="Each variant's own" aria-describedby="cover-hint"
                value=move || cover().map(|d| d.to_string()).unwrap_or_default()/>
            <label for="reorder-abc">"ABC class"</label>
            <select id="reorder-abc" name="abc">
                <option value="">"All classes"</option>
                {CLASSES.map(|c| view! { <option value=c selected=move || abc().as_deref() == Some(c)>{c}</option> })}
            </select>
            <button type="submit" class="button">"Update"</button>
            <p class="field-hint" id="cover-hint">
                {format!("Empty: each variant covers its own days ({DEFAULT_TARGET_COVER_DAYS} unless \u{201c}An order covers\u{201d} is set for its vendor, product or variant in Settings).")}
            </p>
        </form>
        <Suspense fallback=|| view! { <p class="muted" role="status">"Working out what to order…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(r) => view! { <ReorderBody r/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A data: link, so the download works before hydration and inside the admin's iframe;
/// after hydration its href follows the edited quantities.
fn csv_href(orders: &[SupplierOrder]) -> String {
    crate::components::format::csv_data_href(&purchase_order_csv(orders))
}

/// "1 line", "3 lines".
fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// "reorder.csv", "reorder-acme-co-45-days.csv": the supplier's, and the days of cover when
/// the merchant chose them for the whole page.
fn file_name(supplier: Option<&str>, cover_days: Option<u32>) -> String {
    let supplier = supplier.map(file_slug).filter(|s| !s.is_empty()).map(|s| format!("-{s}")).unwrap_or_default();
    let days = cover_days.map(|d| format!("-{d}-days")).unwrap_or_default();
    format!("reorder{supplier}{days}.csv")
}

/// A supplier name as a file name part: "Acme & Co." → "acme-co".
fn file_slug(name: &str) -> String {
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    words.join("-")
}

#[component]
fn ReorderBody(r: Reorder) -> impl IntoView {
    if r.orders.is_empty() {
        let text = match r.abc {
            Some(c) => format!(
                "Nothing of class {c} is on the reorder list today. Classes come from the Sunday refit and the one after a full import."
            ),
            None => "Nothing needs ordering today: every variant is above its reorder point.".to_string(),
        };
        return view! { <p class="empty">{text}</p> }.into_any();
    }
    // The merchant's valid quantities; the server-rendered page starts with none, so its
    // links carry the suggested purchase order.
    let overrides = RwSignal::new(QuantityOverrides::new());
    let all = StoredValue::new(r.orders.clone());
    let edited = Memo::new(move |_| overrides.with(|o| all.with_value(|orders| apply_quantities(orders, o))));
    let cover_days = r.cover_days;
    let abc = r.abc.clone();
    let currency = r.currency.clone();
    let summary = {
        let currency = currency.clone();
        move || {
            edited.with(|orders| {
                let lines: usize = orders.iter().map(|o| o.lines.len()).sum();
                let head = format!("{} from {}", count(lines, "line"), count(orders.len(), "supplier"));
                // Amounts in several currencies do not add up: each supplier shows its own.
                let one_currency = orders.iter().all(|o| o.currency.as_deref().is_none_or(|c| c == currency));
                if !one_currency {
                    return format!("{head} · totals per supplier below");
                }
                let total = orders.iter().fold(0i64, |t, o| t.saturating_add(o.total_cost_cents));
                format!("{head} · {}", money(total, &currency))
            })
        }
    };
    view! {
        <p class="reorder-summary" aria-live="polite">{summary}</p>
        <p><a class="button button-primary" href=move || edited.with(|o| csv_href(o)) download=file_name(None, cover_days)>"Download purchase order (CSV)"</a></p>
        <p class="muted">"Quantities are rounded to each supplier's minimum order quantity and case pack, and raised to its minimum order value. "
            <a href="/app/settings/suppliers">"Suppliers and their terms"</a></p>
        {r.orders
            .into_iter()
            .map(|o| {
                let currency = o.currency.clone().unwrap_or_else(|| currency.clone());
                view! { <SupplierSection o overrides currency cover_days abc=abc.clone()/> }
            })
            .collect_view()}
    }
    .into_any()
}

#[component]
fn SupplierSection(
    o: SupplierOrder,
    overrides: RwSignal<QuantityOverrides>,
    currency: String,
    cover_days: Option<u32>,
    abc: Option<String>,
) -> impl IntoView {
    let vendor = o.supplier.clone();
    let minimum = (o.min_order_cents > 0).then(|| {
        let mut text = format!("Minimum order {}", money(o.min_order_cents, &currency));
        if o.topped_up_cases > 0 {
            text.push_str(&format!(": {} added to reach it.", count(o.topped_up_cases as usize, "case")));
        } else if o.below_minimum() {
            text.push_str(": this order is below it.");
        } else {
            text.push('.');
        }
        text
    });
    let lines = o.lines.clone();
    let order = Memo::new(move |_| overrides.with(|q| o.with_quantities(q)));
    let heading = {
        let currency = currency.clone();
        move || order.with(|o| format!(" · {} · {}", count(o.lines.len(), "line"), money(o.total_cost_cents, &currency)))
    };
    let file = file_name(Some(&vendor), cover_days);
    // The order as it stands (every line, 0s included) goes with the form, so the purchase
    // order carries the edited quantities; the server works the lines out again itself.
    let create = FormAction::of::<CreatePurchaseOrders>();
    let supplier_field = vendor.clone();
    let link_vendor = vendor.clone();
    let button = format!("Create purchase order for {vendor}");
    let posted = {
        let lines = lines.clone();
        move || {
            overrides.with(|q| {
                lines
                    .iter()
                    .map(|l| {
                        let qty = q.get(&(l.variant_id, l.location_id)).copied().unwrap_or(l.order_qty);
                        view! { <input type="hidden" name=format!("qty[v{}_{}]", l.variant_id, l.location_id) value=qty.to_string()/> }
                    })
                    .collect_view()
            })
        }
    };
    let created = move || {
        create.value().get().map(|r| match r {
            Ok(c) => view! {
                <p class="banner banner-success" role="status">"Created "
                    {c.orders.into_iter().map(|o| view! { <a href=format!("/app/purchase-orders/{}", o.id)>{format!("{} (to {})", o.po_number, o.location_name)}</a>" " }).collect_view()}
                    "as a draft."
                </p>
            }
            .into_any(),
            Err(e) => view! { <p class="banner banner-critical" role="alert">{e.to_string()}</p> }.into_any(),
        })
    };
    view! {
        <section class="section" aria-label=format!("Order from {vendor}")>
            <h2>{vendor.clone()}{heading}</h2>
            {minimum.map(|m| view! { <p class="muted supplier-minimum">{m}</p> })}
            <PostForm action=create class="form-inline po-create">
                <input type="hidden" name="supplier" value=supplier_field/>
                {cover_days.map(|d| view! { <input type="hidden" name="cover_days" value=d.to_string()/> })}
                {abc.map(|c| view! { <input type="hidden" name="abc" value=c/> })}
                {posted}
                <button type="submit" class="button button-primary" disabled=move || create.pending().get()>
                    {button}
                </button>
                " "
                <a class="button" href=move || order.with(|o| csv_href(std::slice::from_ref(o))) download=file>"Download the order from "{link_vendor}" (CSV)"</a>
            </PostForm>
            {created}
            <div class="table-wrap" tabindex="0" role="region" aria-label=format!("Order lines from {vendor}")>
                <table class="data-table">
                    <thead><tr>
                        <th scope="col">"Product"</th><th scope="col">"Location"</th><th scope="col">"Class"</th>
                        <th scope="col" class="num">"On hand"</th><th scope="col" class="num">"Incoming"</th>
                        <th scope="col" class="num">"Suggested"</th><th scope="col" class="num">"Order"</th>
                        <th scope="col" class="num">"Unit cost"</th><th scope="col" class="num">"Line total"</th>
                    </tr></thead>
                    <tbody>
                        {lines.into_iter().map(|l| view! { <LineRow l overrides currency=currency.clone()/> }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn LineRow(l: OrderLine, overrides: RwSignal<QuantityOverrides>, currency: String) -> impl IntoView {
    let key = (l.variant_id, l.location_id);
    let suggested = l.suggested_qty;
    // What the supplier accepts: the field's starting value and the CSV's until edited.
    let ordered = l.order_qty;
    let rounding = l.rounding.clone();
    let id = format!("qty-{}-{}", l.variant_id, l.location_id);
    let error_id = format!("{id}-error");
    let label = format!("Order quantity for {} — {} ({}) at {}", l.product_title, l.variant_title, l.sku, l.location_name);
    // Only a valid entry reaches `overrides`, so the CSV keeps the last valid quantity
    // while the field shows what was typed and says what is wrong with it.
    let error = RwSignal::new(None::<QuantityError>);
    let on_input = move |ev| match parse_order_quantity(&event_target_value(&ev)) {
        Ok(qty) => {
            error.set(None);
            overrides.update(|o| {
                o.insert(key, qty);
            });
        }
        Err(e) => error.set(Some(e)),
    };
    let unit_cost = l.unit_cost_cents;
    let class = l.class.clone();
    let line_total = {
        let currency = currency.clone();
        let line = l.clone();
        move || money(line.cost_at(overrides.with(|o| o.get(&key).copied().unwrap_or(ordered))), &currency)
    };
    view! {
        <tr>
            <th scope="row"><span class="product">{l.product_title}</span><span class="variant">{l.variant_title}" · "{l.sku}
                {(!l.supplier_sku.is_empty()).then(|| format!(" · supplier SKU {}", l.supplier_sku))}</span></th>
            <td>{l.location_name}</td>
            <td class="class-cell">{class}</td>
            <td class="num">{l.on_hand}</td>
            <td class="num">{l.incoming}</td>
            <td class="num">{suggested}{rounding.map(|r| view! { <span class="rounding">{r}</span> })}</td>
            <td class="num qty-cell">
                <label class="visually-hidden" for=id.clone()>{label}</label>
                <input id=id class="qty-input" type="number" min="0" step="1" value=ordered.to_string()
                    aria-describedby=error_id.clone() aria-invalid=move || error.get().is_some().then_some("true") on:input=on_input/>
                <span class="qty-error" id=error_id aria-live="polite">{move || error.get().map(|e| e.to_string())}</span>
            </td>
            <td class="num">{money(unit_cost, &currency)}</td>
            <td class="num"><strong>{line_total}</strong></td>
        </tr>
    }
}
