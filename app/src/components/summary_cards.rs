use crate::components::format::{group_thousands, money};
use domain::risk::KindSummary;
use leptos::prelude::*;

/// One card per alert kind: how many, and the units and money concerned.
#[component]
pub fn SummaryCards(summaries: Vec<KindSummary>, currency: String) -> impl IntoView {
    view! {
        <ul class="cards" aria-label="Alerts by kind">
            {summaries
                .into_iter()
                .filter_map(|s| s.kind.map(|k| (k, s)))
                .map(|(kind, s)| {
                    let detail = if kind == domain::RiskKind::OutOfStock {
                        format!("{} lost per day", money(s.value_cents, &currency))
                    } else {
                        format!("{} units · {}", group_thousands(s.units.max(0) as u64), money(s.value_cents, &currency))
                    };
                    view! {
                        <li class=format!("card card-{}", kind.as_str())>
                            <span class="card-label">{kind.label()}</span>
                            <span class="card-count">{s.count}</span>
                            <span class="card-detail">{detail}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
