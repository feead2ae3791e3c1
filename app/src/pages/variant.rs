use crate::api::variant::{variant_detail, VariantPage};
use crate::components::alert_table::variant_href;
use crate::components::charts::{DemandChart, StockChart, WeekdayChart};
use crate::components::error_notice::ErrorNotice;
use crate::components::format::{days, money, per_day};
use crate::components::server_html::returned_post;
use domain::engine::explain::{method_label, pattern_label};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// One variant at one location: why it is (or is not) alerting, its sales and stock over
/// the last 90 days with the forecast ahead, its seasonal pattern and forecast error.
#[component]
pub fn VariantDetailPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let id = params.with(|p| p.get("variant_id").and_then(|v| v.parse::<i64>().ok()));
        let location = query.with(|q| q.get("location").and_then(|v| v.parse::<i64>().ok()));
        (id, location)
    };
    // A supplier-terms or levels post refused comes back here, for its messages.
    let (path, err) = returned_post();
    let data = Resource::new(key, move |(id, location)| {
        let (path, err) = (path.clone(), err.clone());
        async move {
            match id {
                Some(id) => variant_detail(id, location, path, err).await,
                None => Err(crate::error::AppError::NotFound("No such variant.".into())),
            }
        }
    });
    view! {
        <Title text="Variant · Stock Sentry"/>
        <Transition fallback=|| view! { <p class="muted" role="status">"Loading the variant…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <VariantBody v/> }.into_any(),
                    Err(e) => view! { <h1>"Variant"</h1><ErrorNotice error=e/><p><a href="/app">"Back to the dashboard"</a></p> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn mase_verdict(mase: f64) -> &'static str {
    if mase < 0.8 {
        "better than repeating last week"
    } else if mase <= 1.2 {
        "about as good as repeating last week"
    } else {
        "worse than repeating last week: demand here is hard to predict"
    }
}

#[component]
fn VariantBody(v: VariantPage) -> impl IntoView {
    let e = v.explanation;
    let location_name = v.locations.iter().find(|l| l.location_id == v.location_id).map(|l| l.name.clone()).unwrap_or_default();
    let sold_90: u32 = v.past.iter().map(|d| d.sold).sum();
    let out_days = v.past.iter().filter(|d| d.out_of_stock).count();
    let expected_28: f64 = v.future.iter().map(|f| f.expected).sum();
    let demand_summary = format!(
        "{sold_90} units sold in the last {} days, with {out_days} days out of stock; about {:.0} expected over the next {} days.",
        v.past.len(),
        expected_28,
        v.future.len()
    );
    let stock_summary = format!(
        "{} on hand today; reorder point {:.0}, safety stock {:.0}; {}.",
        e.on_hand,
        e.reorder_point,
        e.safety_stock,
        match e.depletion_date {
            Some(d) => format!("runs out around {} at the forecast pace", domain::dates::short(d)),
            None => "no run-out date at the current pace".into(),
        }
    );
    let title = format!("{} · {}", v.product_title, v.variant_title);
    let variant_id = v.variant_id;
    let currency = v.currency.clone();
    view! {
        <Title text=format!("{title} · Stock Sentry")/>
        <nav class="breadcrumb" aria-label="Breadcrumb"><a href="/app">"Dashboard"</a>" › "<span>{v.variant_title.clone()}</span></nav>
        <div class="page-header">
            <h1>{title}</h1>
            <p class="muted">
                "SKU "{v.sku.clone()}" · "{if v.vendor.is_empty() { "no vendor".to_string() } else { v.vendor.clone() }}
                " · price "{money(v.price_cents, &currency)}" · cost "{money(v.cost_cents, &currency)}
            </p>
        </div>
        {(!v.bundle_note.is_empty()).then(|| view! { <p class="banner" id="bundle-note">{v.bundle_note.clone()}</p> })}

        <section class="section" aria-labelledby="locations-h">
            <h2 id="locations-h">"Locations"</h2>
            <ul class="location-tabs">
                {v.locations
                    .iter()
                    .map(|l| {
                        let current = l.location_id == v.location_id;
                        view! {
                            <li>
                                <a
                                    href=variant_href(variant_id, l.location_id)
                                    class:current=current
                                    aria-current=if current { Some("page") } else { None }
                                >
                                    <span class="product">{l.name.clone()}</span>
                                    <span class="variant">{format!("{} on hand · {} on order · {} days of cover", l.on_hand, l.incoming, days(l.days_of_cover))}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>

        <section class="section" aria-labelledby="why-h">
            <h2 id="why-h">{format!("At {location_name}")}</h2>
            {if v.alerts.is_empty() {
                view! { <p class="empty">"No open alert here: stock is between your low-stock and overstock thresholds."</p> }.into_any()
            } else {
                v.alerts
                    .iter()
                    .map(|a| {
                        let state = match a.state.as_str() {
                            "acknowledged" => "Acknowledged".to_string(),
                            "snoozed" => format!("Snoozed until {}", a.snoozed_until.as_deref().and_then(|d| d.get(..10)).unwrap_or("")),
                            _ => "Open".to_string(),
                        };
                        view! {
                            <div class=format!("alert-explained alert-{}", a.kind.as_str())>
                                <p><strong>{a.kind.label()}</strong>" · "{state}</p>
                                <p>{a.words.clone()}</p>
                            </div>
                        }
                    })
                    .collect_view()
                    .into_any()
            }}
            <dl class="facts">
                <div><dt>"Sells per day"</dt><dd>{per_day(e.velocity)}</dd></div>
                <div><dt>"Seasonal factor"</dt><dd>{format!("×{:.2}", e.seasonal_factor)}</dd></div>
                <div><dt>"Lead time"</dt><dd>{format!("{} days", e.lead_time_days)}</dd></div>
                <div><dt>"Demand over lead time"</dt><dd>{format!("{:.1}", e.lead_time_demand)}</dd></div>
                <div><dt>"Safety stock"</dt><dd>{format!("{:.1} ({:.0}% service)", e.safety_stock, e.service_level_pct)}</dd></div>
                <div><dt>"Reorder point"</dt><dd>{format!("{:.1}", e.reorder_point)}</dd></div>
                <div><dt>"Days of cover"</dt><dd>{days(e.days_of_cover)}</dd></div>
                <div><dt>"Suggested order"</dt><dd>{e.suggested_qty}</dd></div>
            </dl>
        </section>

        <SupplierForm v=v.clone()/>

        <section class="section" aria-labelledby="sales-h">
            <h2 id="sales-h">"Sales and forecast"</h2>
            <DemandChart past=v.past.clone() future=v.future.clone() summary=demand_summary.clone()/>
            <p class="muted">{demand_summary}</p>
        </section>

        <section class="section" aria-labelledby="stock-h">
            <h2 id="stock-h">"Stock"</h2>
            <StockChart past=v.past.clone() future=v.future.clone() on_hand=e.on_hand reorder_point=e.reorder_point safety_stock=e.safety_stock summary=stock_summary.clone()/>
            <p class="muted">{stock_summary}</p>
        </section>

        <section class="section" aria-labelledby="model-h">
            <h2 id="model-h">"How it is forecast"</h2>
            <dl class="facts">
                <div><dt>"Demand pattern"</dt><dd class="demand-pattern">{pattern_label(v.pattern)}</dd></div>
                <div><dt>"Method"</dt><dd class="forecast-method">{method_label(v.method)}</dd></div>
                {v.launch_words.clone().map(|w| view! { <div><dt>"New variant"</dt><dd class="launch-basis">{w}</dd></div> })}
                <div>
                    <dt>"Forecast error (last 28 days)"</dt>
                    <dd class="forecast-error">
                        {match v.error {
                            Some(err) => format!(
                                "MASE {:.2}, {}{}",
                                err.mase,
                                mase_verdict(err.mase),
                                err.naive_mase.map(|n| format!(" (30-day average: {n:.2})")).unwrap_or_default()
                            ),
                            None => "Not scored yet: needs 58 days of history and a nightly run".into(),
                        }}
                    </dd>
                </div>
                <div><dt>"In stock"</dt><dd>{format!("{} of the last {} days", e.in_stock_days, e.history_days)}</dd></div>
                <div><dt>"Yearly factor"</dt><dd class="yearly-factor">{v.yearly_words.clone()}</dd></div>
            </dl>
            <h3>"Weekday pattern"</h3>
            <WeekdayChart indices=v.day_of_week/>
            <p class="muted">
                {match &v.pattern_fitted_at {
                    Some(at) => format!("Refitted {} from up to 420 days of sales, all locations together.", at.get(..10).unwrap_or(at)),
                    None => "Learned from the last 182 days (or since the first sale, if later); the Sunday refit adds a year of history.".into(),
                }}
                {v.week_of_year.as_ref().map(|w| {
                    let (peak, low) = peak_and_low(w);
                    format!(" Busiest time of year: week {peak}; quietest: week {low}.")
                })}
            </p>
        </section>
    }
}

/// 1-based ISO weeks of the highest and lowest week-of-year factors.
fn peak_and_low(w: &[f64]) -> (usize, usize) {
    let by = |better: fn(f64, f64) -> bool| {
        w.iter().enumerate().fold((0, f64::NAN), |(bi, bv), (i, &v)| if bv.is_nan() || better(v, bv) { (i, v) } else { (bi, bv) }).0 + 1
    };
    (by(|a, b| a > b), by(|a, b| a < b))
}

/// Where the variant is ordered from and on what terms, and which lead time, minimum stock
/// and thresholds apply to it: both rendered on the server (`server::supply_form`,
/// `server::override_form`), posting as plain forms; the page comes back with the new numbers.
#[component]
fn SupplierForm(v: VariantPage) -> impl IntoView {
    let e = v.explanation;
    view! {
        <section class="section" aria-labelledby="supplier-h">
            <h2 id="supplier-h">"Supplier and lead time"</h2>
            <p class="muted">{format!("Vendor: {}. Lead time in use: {} days.", if v.vendor.is_empty() { "none set" } else { &v.vendor }, e.lead_time_days)}</p>
            <div class="server-html" inner_html=v.supply_html.clone()></div>
        </section>
        <section class="section" aria-labelledby="levels-h">
            <h2 id="levels-h">"Levels"</h2>
            <p class="muted">
                "Empty fields inherit from the product, then the supplier, then the vendor (set those in "
                <a href="/app/settings/levels">"Levels and lead times"</a>"), then "<a href="/app/settings">"Settings"</a>"."
            </p>
            <div class="server-html" inner_html=v.levels_html.clone()></div>
        </section>
    }
}
