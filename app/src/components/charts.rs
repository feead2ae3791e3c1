//! Server-rendered SVG charts (geometry from `domain::chart`), readable before hydration.
//! Each chart has a title and a text summary for screen readers; stockout days are shaded
//! *and* labelled in the legend, so colour is not the only signal.

use domain::chart::{demand_chart, stock_chart, weekday_bars, FutureDay, PastDay, Tick, BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH};
use leptos::prelude::*;

fn view_box() -> String {
    format!("0 0 {WIDTH} {HEIGHT}")
}

fn axes(y_ticks: Vec<Tick>, x_ticks: Vec<Tick>) -> impl IntoView {
    view! {
        <g class="chart-axis" aria-hidden="true">
            {y_ticks
                .into_iter()
                .map(|t| view! {
                    <line x1=LEFT x2=WIDTH - RIGHT y1=t.at y2=t.at class="chart-grid"/>
                    <text x=LEFT - 6.0 y=t.at + 4.0 text-anchor="end">{t.label}</text>
                })
                .collect_view()}
            {x_ticks
                .into_iter()
                .map(|t| view! { <text x=t.at y=HEIGHT - BOTTOM + 18.0 text-anchor="middle">{t.label}</text> })
                .collect_view()}
        </g>
    }
}

fn today_marker(x: f64) -> impl IntoView {
    view! {
        <g class="chart-today" aria-hidden="true">
            <line x1=x x2=x y1=TOP y2=HEIGHT - BOTTOM/>
            <text x=x + 4.0 y=TOP + 10.0>"Today"</text>
        </g>
    }
}

/// Daily units sold (bars), stockout days (shaded), and the forecast with its band.
#[component]
pub fn DemandChart(past: Vec<PastDay>, future: Vec<FutureDay>, summary: String) -> impl IntoView {
    let c = demand_chart(&past, &future);
    view! {
        <figure class="chart">
            <svg viewBox=view_box() role="img" aria-labelledby="demand-title demand-desc" preserveAspectRatio="xMidYMid meet">
                <title id="demand-title">"Daily sales and forecast"</title>
                <desc id="demand-desc">{summary}</desc>
                {c.stockouts.into_iter().map(|r| view! { <rect class="chart-stockout" x=r.x y=r.y width=r.w height=r.h/> }).collect_view()}
                {axes(c.y_ticks, c.x_ticks)}
                {c.bars.into_iter().map(|r| view! { <rect class="chart-bar" x=r.x y=r.y width=r.w height=r.h/> }).collect_view()}
                <path class="chart-band" d=c.band/>
                <path class="chart-forecast" d=c.forecast/>
                {today_marker(c.today_x)}
            </svg>
            <figcaption class="chart-legend">
                <span class="legend-bar">"Units sold"</span>
                <span class="legend-forecast">"Forecast"</span>
                <span class="legend-band">"Likely range"</span>
                <span class="legend-stockout">"Out of stock (demand not seen)"</span>
            </figcaption>
        </figure>
    }
}

/// Stock on hand and its projection at the forecast pace, against the reorder point and
/// the safety stock.
#[component]
pub fn StockChart(
    past: Vec<PastDay>,
    future: Vec<FutureDay>,
    on_hand: i64,
    reorder_point: f64,
    safety_stock: f64,
    summary: String,
) -> impl IntoView {
    let c = stock_chart(&past, &future, on_hand, &[("Reorder point", reorder_point), ("Safety stock", safety_stock)]);
    view! {
        <figure class="chart">
            <svg viewBox=view_box() role="img" aria-labelledby="stock-title stock-desc" preserveAspectRatio="xMidYMid meet">
                <title id="stock-title">"Stock on hand and projection"</title>
                <desc id="stock-desc">{summary}</desc>
                {c.stockouts.into_iter().map(|r| view! { <rect class="chart-stockout" x=r.x y=r.y width=r.w height=r.h/> }).collect_view()}
                {axes(c.y_ticks, c.x_ticks)}
                {c.rules
                    .into_iter()
                    .enumerate()
                    .map(|(i, r)| view! {
                        <line class=format!("chart-rule chart-rule-{i}") x1=LEFT x2=WIDTH - RIGHT y1=r.y y2=r.y/>
                        <text class="chart-rule-label" x=WIDTH - RIGHT - 4.0 y=r.y - 4.0 text-anchor="end">{format!("{} {:.0}", r.label, r.value)}</text>
                    })
                    .collect_view()}
                <path class="chart-stock" d=c.stock/>
                <path class="chart-projection" d=c.projection/>
                {today_marker(c.today_x)}
            </svg>
            <figcaption class="chart-legend">
                <span class="legend-stock">"Stock at day end"</span>
                <span class="legend-projection">"Projected at forecast pace"</span>
                <span class="legend-rule">"Reorder point (solid) · safety stock (dashed)"</span>
            </figcaption>
        </figure>
    }
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Weekday pattern: how each day compares with an average day (1.0).
#[component]
pub fn WeekdayChart(indices: [f64; 7]) -> impl IntoView {
    let (w, h) = (280.0, 90.0);
    let (bars, one) = weekday_bars(&indices, w, h);
    let summary = WEEKDAYS.iter().zip(indices).map(|(d, v)| format!("{d} ×{v:.2}")).collect::<Vec<_>>().join(", ");
    view! {
        <figure class="chart chart-small">
            <svg viewBox=format!("0 0 {w} {}", h + 18.0) role="img" aria-label=format!("Weekday pattern: {summary}")>
                {bars
                    .into_iter()
                    .zip(WEEKDAYS)
                    .map(|(r, d)| view! {
                        <rect class="chart-bar" x=r.x y=r.y width=r.w height=r.h/>
                        <text x=r.x + r.w / 2.0 y=h + 14.0 text-anchor="middle" class="chart-axis-label">{d}</text>
                    })
                    .collect_view()}
                <line class="chart-rule" x1=0 x2=w y1=one y2=one/>
            </svg>
        </figure>
    }
}
