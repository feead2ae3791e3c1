use crate::components::format::{days, money, per_day};
use domain::risk::{RiskKind, RiskRow};
use leptos::prelude::*;

fn badge_tone(kind: RiskKind) -> &'static str {
    match kind {
        RiskKind::OutOfStock => "critical",
        RiskKind::ReorderNow => "warning",
        RiskKind::LowStock => "attention",
        RiskKind::Overstock | RiskKind::DeadStock => "info",
    }
}

/// What the merchant stands to lose, in one phrase.
fn outlook(row: &RiskRow, currency: &str) -> String {
    let on_order = match row.position.incoming {
        n if n > 0 => format!(" · {n} on order"),
        _ => String::new(),
    };
    let phrase = match row.kind {
        RiskKind::OutOfStock => format!("Losing {} a day", money(row.lost_revenue_per_day_cents, currency)),
        RiskKind::ReorderNow | RiskKind::LowStock => match row.depletion_date {
            Some(d) => format!("Runs out {}", d.format("%b %-d")),
            None => "Not selling".into(),
        },
        RiskKind::Overstock | RiskKind::DeadStock => format!("{} tied up", money(row.stock_value_cents, currency)),
    };
    phrase + &on_order
}

#[component]
pub fn RiskTable(rows: Vec<RiskRow>, currency: String) -> impl IntoView {
    view! {
        // Scrolls sideways on a phone: focusable and named so keyboard users can scroll it too.
        <div class="table-wrap" tabindex="0" role="region" aria-label="Variants at risk">
            <table class="data-table">
                <caption class="visually-hidden">"Variants at risk, most urgent first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Product"</th>
                        <th scope="col">"Location"</th>
                        <th scope="col" class="num">"On hand"</th>
                        <th scope="col" class="num">"Sold / day"</th>
                        <th scope="col" class="num">"Days of cover"</th>
                        <th scope="col">"Alert"</th>
                        <th scope="col">"Outlook"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| {
                            let outlook = outlook(&r, &currency);
                            let p = r.position;
                            view! {
                                <tr>
                                    <th scope="row">
                                        <span class="product">{p.product_title}</span>
                                        <span class="variant">{p.variant_title}" · "{p.sku}</span>
                                    </th>
                                    <td>{p.location_name}</td>
                                    <td class="num">{p.on_hand}</td>
                                    <td class="num">{per_day(r.velocity)}</td>
                                    <td class="num">{days(r.days_of_cover)}</td>
                                    <td>
                                        <span class=format!("badge badge-{}", badge_tone(r.kind))>{r.kind.label()}</span>
                                    </td>
                                    <td>{outlook}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
