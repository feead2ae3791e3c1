use crate::api::dashboard::{get_dashboard, Dashboard};
use crate::components::{error_notice::ErrorNotice, risk_table::RiskTable, summary_cards::SummaryCards};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_dashboard());
    view! {
        <Title text="Dashboard · Stock Sentry"/>
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading your stock…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <DashboardBody d/> }.into_any(),
                    Err(e) => view! { <h1>"Dashboard"</h1><ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DashboardBody(d: Dashboard) -> impl IntoView {
    let shown = d.report.rows.len();
    let empty = d.rows_at_risk == 0;
    view! {
        <div class="page-header">
            <h1>"Dashboard"</h1>
            <p class="muted">
                {d.shop_name.clone()}" · "{d.rows_at_risk}" open alerts · "
                {d.today.format("%A %-d %B %Y").to_string()}
            </p>
        </div>
        <crate::components::sync_progress::SyncProgress/>
        <SummaryCards summaries=d.report.summaries.clone() currency=d.currency.clone()/>
        <section class="section" aria-labelledby="at-risk">
            <h2 id="at-risk">"Most at risk"</h2>
            {if empty {
                view! {
                    <p class="empty">"No alerts yet. Once your products and a year of orders are imported, the variants that need attention appear here — or nothing needs attention today."</p>
                }
                .into_any()
            } else if shown == 0 {
                view! { <p class="empty">"Nothing needs attention: every variant has between your low-stock and overstock thresholds of cover."</p> }
                    .into_any()
            } else {
                view! {
                    <p class="muted">"Showing the "{shown}" most urgent of "{d.rows_at_risk}"."</p>
                    <RiskTable rows=d.report.rows currency=d.currency/>
                }
                .into_any()
            }}
        </section>
    }
}
