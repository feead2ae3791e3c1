use crate::api::reorder::{reorder_list, Reorder, DEFAULT_COVER_DAYS};
use crate::components::{error_notice::ErrorNotice, format::money};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Per vendor, what to order now and how much; the list downloads as a CSV purchase order.
#[component]
pub fn ReorderPage() -> impl IntoView {
    let query = use_query_map();
    let cover = move || query.with(|q| q.get("cover").and_then(|c| c.parse::<u32>().ok()));
    let list = Resource::new(cover, reorder_list);
    view! {
        <Title text="Reorder · Stock Sentry"/>
        <h1>"Reorder"</h1>
        <p class="muted">"Variants at or below their reorder point, with quantities that cover the supplier lead time and the days below, counting stock already on its way."</p>
        <form method="get" action="/app/reorder" class="cover-form">
            <label for="cover">"Days of cover after delivery"</label>
            <input id="cover" name="cover" type="number" min="1" max="365" value=move || cover().unwrap_or(DEFAULT_COVER_DAYS).to_string()/>
            <button type="submit" class="button">"Update"</button>
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

#[component]
fn ReorderBody(r: Reorder) -> impl IntoView {
    if r.orders.is_empty() {
        return view! { <p class="empty">"Nothing needs ordering today: every variant is above its reorder point."</p> }.into_any();
    }
    // A data: link, so the download works before hydration and inside the admin's iframe.
    let href = format!("data:text/csv;charset=utf-8,{}", urlencoding::encode(&r.csv));
    let currency = r.currency.clone();
    view! {
        <p><a class="button button-primary" href=href download=format!("reorder-{}-days.csv", r.cover_days)>"Download purchase order (CSV)"</a></p>
        {r.orders.into_iter().map(|o| {
            let currency = currency.clone();
            view! {
                <section class="section" aria-label=format!("Order from {}", o.vendor)>
                    <h2>{o.vendor.clone()}" · "{o.lines.len()}" lines · "{money(o.total_cost_cents, &currency)}</h2>
                    <div class="table-wrap" tabindex="0" role="region" aria-label=format!("Order lines from {}", o.vendor)>
                        <table class="data-table">
                            <thead><tr>
                                <th scope="col">"Product"</th><th scope="col">"Location"</th>
                                <th scope="col" class="num">"On hand"</th><th scope="col" class="num">"Incoming"</th>
                                <th scope="col" class="num">"Order"</th><th scope="col" class="num">"Unit cost"</th>
                            </tr></thead>
                            <tbody>
                                {o.lines.into_iter().map(|l| view! {
                                    <tr>
                                        <th scope="row"><span class="product">{l.product_title}</span><span class="variant">{l.variant_title}" · "{l.sku}</span></th>
                                        <td>{l.location_name}</td>
                                        <td class="num">{l.on_hand}</td>
                                        <td class="num">{l.incoming}</td>
                                        <td class="num"><strong>{l.suggested_qty}</strong></td>
                                        <td class="num">{money(l.unit_cost_cents, &currency)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </section>
            }
        }).collect_view()}
    }
    .into_any()
}
