//! Purchase orders: the list, and one order with what can be done to it now — edit and send
//! a draft, receive what arrived, cancel — and its PDF and CSV to download. Both render on
//! the server (`server::fragment`): their forms post as plain HTML forms, and a refused one
//! comes back with its messages at the fields.

use crate::components::server_html::{returned_post, ServerRegion};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[server(endpoint = "purchase_orders/list_html", output = crate::api::codec::Json)]
pub async fn purchase_orders_html() -> Result<String, AppError> {
    use crate::server::context::{run, worker_env};
    run(async move {
        let env = worker_env().await?;
        let shop = crate::server::session::current_shop(&env).await?;
        let orders = crate::server::repo::purchase_orders::list(&shop.db, shop.id).await?;
        Ok(crate::server::fragment::render(None, move || html::orders(orders)))
    })
    .await
}

/// One order as HTML; `returned_*`: the refused post the page came back with.
#[server(endpoint = "purchase_orders/html", output = crate::api::codec::Json)]
pub async fn purchase_order_html(id: i64, returned_path: Option<String>, returned_err: Option<String>) -> Result<String, AppError> {
    use crate::server::context::{run, worker_env};
    run(async move {
        let env = worker_env().await?;
        let shop = crate::server::session::current_shop(&env).await?;
        let page = crate::server::purchasing::order_page(&shop.db, shop.id, id).await?;
        Ok(crate::server::fragment::render(returned_path.zip(returned_err), move || html::order(page)))
    })
    .await
}

#[component]
pub fn PurchaseOrdersPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| purchase_orders_html());
    view! {
        <Title text="Purchase orders · Stock Sentry"/>
        <p class="breadcrumb"><a href="/app/reorder">"Reorder"</a>" › Purchase orders"</p>
        <h1>"Purchase orders"</h1>
        <p class="muted">"Create them from the reorder list, one per supplier and location. Units of sent orders count as on their way."</p>
        <ServerRegion html=list loading="Loading purchase orders…"/>
    }
}

#[component]
pub fn PurchaseOrderPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let (path, err) = returned_post();
    let page = Resource::new(id, move |id| purchase_order_html(id, path.clone(), err.clone()));
    view! {
        <Title text="Purchase order · Stock Sentry"/>
        <p class="breadcrumb"><a href="/app/purchase-orders">"Purchase orders"</a></p>
        <ServerRegion html=page loading="Loading the order…"/>
    }
}

/// The views, rendered on the server only.
#[cfg(feature = "ssr")]
mod html {
    use crate::api::purchase_orders::{
        CancelPurchaseOrder, OrderLineRow, OrderPage, OrderSummary, ReceivePurchaseOrder, SavePurchaseOrder, SendPurchaseOrder,
    };
    use crate::components::format::money;
    use crate::components::post_form::{FormAction, PostForm};
    use domain::purchasing::Status;
    use leptos::prelude::*;

    pub fn orders(orders: Vec<OrderSummary>) -> AnyView {
        if orders.is_empty() {
            view! { <p class="empty">"No purchase orders yet. Create one from the reorder list."</p> }.into_any()
        } else {
            view! { <OrderTable orders/> }.into_any()
        }
    }

    pub fn order(p: OrderPage) -> AnyView {
        view! { <OrderView p/> }.into_any()
    }

    fn status_label(code: &str) -> &'static str {
        Status::from_code(code).map_or("unknown", Status::as_str)
    }

    fn status_badge(code: &str) -> impl IntoView {
        let tone = match code {
            "draft" => "badge",
            "sent" | "partially_received" => "badge badge-attention",
            "received" => "badge badge-success",
            _ => "badge badge-muted",
        };
        view! { <span class=tone>{status_label(code)}</span> }
    }

    #[component]
    fn OrderTable(orders: Vec<OrderSummary>) -> impl IntoView {
        view! {
            <div class="table-wrap" tabindex="0" role="region" aria-label="Purchase orders">
                <table class="data-table">
                    <thead><tr>
                        <th scope="col">"Order"</th><th scope="col">"Supplier"</th><th scope="col">"Ship to"</th><th scope="col">"Status"</th>
                        <th scope="col">"Expected"</th><th scope="col" class="num">"Units"</th><th scope="col" class="num">"Received"</th><th scope="col" class="num">"Total"</th>
                    </tr></thead>
                    <tbody>
                        {orders
                            .into_iter()
                            .map(|o| {
                                let number = domain::purchasing::po_number(u32::try_from(o.number).unwrap_or(0));
                                view! {
                                    <tr>
                                        <th scope="row"><a href=format!("/app/purchase-orders/{}", o.id)>{number}</a></th>
                                        <td>{o.supplier_name}</td>
                                        <td>{o.location_name}</td>
                                        <td>{status_badge(&o.status)}</td>
                                        <td>{o.expected_on.unwrap_or_else(|| "—".into())}</td>
                                        <td class="num">{o.units}</td>
                                        <td class="num">{o.received}</td>
                                        <td class="num">{money(o.total_cents, &o.currency)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
    }

    #[component]
    fn OrderView(p: OrderPage) -> impl IntoView {
        let save = FormAction::of::<SavePurchaseOrder>();
        let send = FormAction::of::<SendPurchaseOrder>();
        let receive = FormAction::of::<ReceivePurchaseOrder>();
        let cancel = FormAction::of::<CancelPurchaseOrder>();
        // A refusal that is not about one field (a step out of order, a failed email).
        let problem = [save, send, receive, cancel]
            .into_iter()
            .find_map(|a| a.value().get_untracked().and_then(|r| r.err()))
            .filter(|e| e.field_errors().is_empty())
            .map(|e| view! { <p class="banner banner-critical" role="alert">{e.to_string()}</p> });
        let status = Status::from_code(&p.head.status);
        let draft = status == Some(Status::Draft);
        let receivable = matches!(status, Some(Status::Sent | Status::PartiallyReceived));
        let cancellable = matches!(status, Some(Status::Draft | Status::Sent));
        let id = p.head.id.to_string();
        let currency = p.head.currency.clone();
        let total: i64 = p.lines.iter().map(|l| l.quantity.saturating_mul(l.unit_cost_cents)).sum();
        let over: Vec<String> =
            p.lines.iter().filter(|l| l.received > l.quantity).map(|l| format!("{} ({} of {})", l.title, l.received, l.quantity)).collect();
        let pdf = format!("data:application/pdf;base64,{}", p.pdf_base64);
        let csv = crate::components::format::csv_data_href(&p.csv);
        let who = if p.head.supplier_email.is_empty() {
            "No email for this supplier: sending marks the order sent; download the PDF and send it yourself.".to_string()
        } else {
            format!("Sending emails it to {} with the PDF and CSV attached.", p.head.supplier_email)
        };
        view! {
            {problem}
            <h1>{format!("{} · {}", p.po_number, p.head.supplier_name)}" "{status_badge(&p.head.status)}</h1>
            <p class="muted">{format!(
                "Ship to {} · created {} · {}{}",
                p.head.location_name,
                p.head.created_at.get(..10).unwrap_or(&p.head.created_at),
                p.head.expected_on.as_deref().map_or("expected delivery not set".to_string(), |d| format!("expected {d}")),
                p.head.sent_at.as_deref().map(|s| format!(" · sent {}", s.get(..10).unwrap_or(s))).unwrap_or_default(),
            )}</p>
            {(!over.is_empty()).then(|| view! {
                <div class="banner banner-warning" role="status"><p>{format!("More arrived than was ordered: {}.", over.join("; "))}</p></div>
            })}
            <p class="actions">
                <a class="button" href=pdf download=format!("{}.pdf", p.file_stem)>"Download PDF"</a>" "
                <a class="button" href=csv download=format!("{}.csv", p.file_stem)>"Download CSV"</a>
            </p>
            {if draft {
                view! { <DraftForm p=p.clone() save/> }.into_any()
            } else if receivable {
                view! { <ReceiveForm p=p.clone() receive/> }.into_any()
            } else {
                view! { <LinesTable lines=p.lines.clone() currency=currency.clone()/> }.into_any()
            }}
            <p class="order-total"><strong>{format!("Total {}", money(total, &currency))}</strong></p>
            {draft.then({
                let id = id.clone();
                move || view! {
                <PostForm action=send class="form-inline" id="send-form">
                    <input type="hidden" name="id" value=id/>
                    <p class="field-hint">{who}</p>
                    <button type="submit" class="button button-primary" disabled=move || send.pending().get()>
                        {move || if send.pending().get() { "Sending…" } else { "Send to supplier" }}
                    </button>
                </PostForm>
            }})}
            {cancellable.then(move || view! {
                <PostForm action=cancel class="form-inline" id="cancel-form">
                    <input type="hidden" name="id" value=id/>
                    <button type="submit" class="button button-critical">"Cancel order"</button>
                </PostForm>
            })}
        }
    }

    #[component]
    fn LinesTable(lines: Vec<OrderLineRow>, currency: String) -> impl IntoView {
        view! {
            <div class="table-wrap" tabindex="0" role="region" aria-label="Order lines">
                <table class="data-table">
                    <thead><tr>
                        <th scope="col">"Item"</th><th scope="col">"Supplier SKU"</th><th scope="col" class="num">"Ordered"</th>
                        <th scope="col" class="num">"Received"</th><th scope="col" class="num">"Unit cost"</th>
                    </tr></thead>
                    <tbody>
                        {lines
                            .into_iter()
                            .map(|l| view! {
                                <tr>
                                    <th scope="row"><span class="product">{l.title}</span><span class="variant">{l.sku}</span></th>
                                    <td>{l.supplier_sku}</td>
                                    <td class="num">{l.quantity}</td>
                                    <td class="num">{l.received}</td>
                                    <td class="num">{money(l.unit_cost_cents, &currency)}</td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
    }

    fn field_error(action: FormAction<OrderPage>, field: String) -> impl Fn() -> Option<String> + Send + Sync + 'static {
        move || action.error_at(&field)
    }

    #[component]
    fn DraftForm(p: OrderPage, save: FormAction<OrderPage>) -> impl IntoView {
        let saved = move || {
            save.value().get().and_then(|r| r.ok()).map(|_| view! { <p class="banner banner-success" role="status">"Draft saved."</p> })
        };
        let expected_error = field_error(save, "expected_on".into());
        view! {
            <PostForm action=save class="form" novalidate=true id="draft-form">
                <input type="hidden" name="id" value=p.head.id.to_string()/>
                <div class="table-wrap" tabindex="0" role="region" aria-label="Order lines">
                    <table class="data-table">
                        <thead><tr>
                            <th scope="col">"Item"</th><th scope="col">"Supplier SKU"</th><th scope="col" class="num">"Quantity"</th>
                            <th scope="col" class="num">"Unit cost"</th>
                        </tr></thead>
                        <tbody>
                            {p.lines
                                .iter()
                                .map(|l| {
                                    let input = format!("qty-{}", l.variant_id);
                                    let error = field_error(save, input.clone());
                                    view! {
                                        <tr>
                                            <th scope="row"><span class="product">{l.title.clone()}</span><span class="variant">{l.sku.clone()}</span></th>
                                            <td>{l.supplier_sku.clone()}</td>
                                            <td class="num qty-cell">
                                                <label class="visually-hidden" for=input.clone()>{format!("Quantity of {}", l.title)}</label>
                                                <input id=input.clone() class="qty-input" name=format!("qty[v{}]", l.variant_id) type="number" min="0" step="1"
                                                    value=l.quantity.to_string() aria-describedby=format!("{input}-error")/>
                                                <span class="qty-error" id=format!("{input}-error") aria-live="polite">{error}</span>
                                            </td>
                                            <td class="num">{money(l.unit_cost_cents, &p.head.currency)}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
                <div class="field-row">
                    <div class="field">
                        <label for="expected_on">"Expected delivery"</label>
                        <input id="expected_on" name="expected_on" type="date" value=p.head.expected_on.clone().unwrap_or_default()
                            aria-describedby="expected_on-error"/>
                        <p class="field-error" id="expected_on-error" aria-live="polite">{expected_error}</p>
                    </div>
                    <div class="field">
                        <label for="notes">"Notes for the supplier"</label>
                        <textarea id="notes" name="notes" rows="2">{p.head.notes.clone()}</textarea>
                    </div>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button" disabled=move || save.pending().get()>"Save draft"</button>
                </div>
                {saved}
            </PostForm>
        }
    }

    #[component]
    fn ReceiveForm(p: OrderPage, receive: FormAction<OrderPage>) -> impl IntoView {
        view! {
            <PostForm action=receive class="form" novalidate=true id="receive-form">
                <input type="hidden" name="id" value=p.head.id.to_string()/>
                <p class="field-hint">"Enter what arrived now; it adds to what arrived before. Receive the same stock in Shopify too: Shopify's inventory stays the count the alerts use."</p>
                <div class="table-wrap" tabindex="0" role="region" aria-label="Lines to receive">
                    <table class="data-table">
                        <thead><tr>
                            <th scope="col">"Item"</th><th scope="col" class="num">"Ordered"</th><th scope="col" class="num">"Received so far"</th>
                            <th scope="col" class="num">"Arrived now"</th>
                        </tr></thead>
                        <tbody>
                            {p.lines
                                .iter()
                                .map(|l| {
                                    let input = format!("received-{}", l.variant_id);
                                    let error = field_error(receive, input.clone());
                                    let left = (l.quantity - l.received).max(0);
                                    view! {
                                        <tr>
                                            <th scope="row"><span class="product">{l.title.clone()}</span><span class="variant">{l.sku.clone()}</span></th>
                                            <td class="num">{l.quantity}</td>
                                            <td class="num">{l.received}</td>
                                            <td class="num qty-cell">
                                                <label class="visually-hidden" for=input.clone()>{format!("Units of {} that arrived now", l.title)}</label>
                                                <input id=input.clone() class="qty-input" name=format!("qty[v{}]", l.variant_id) type="number" min="0" step="1"
                                                    value=left.to_string() aria-describedby=format!("{input}-error")/>
                                                <span class="qty-error" id=format!("{input}-error") aria-live="polite">{error}</span>
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
                <p class="field-error" aria-live="polite">{field_error(receive, "qty".into())}</p>
                <div class="form-actions">
                    <button type="submit" class="button button-primary" disabled=move || receive.pending().get()>"Record what arrived"</button>
                </div>
            </PostForm>
        }
    }
}
