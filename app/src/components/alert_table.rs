//! The dashboard's alert list: one row per alert with its numbers, its state in words, and
//! the one-click actions. Each action is a real `<form method="post">` to the
//! `alert_action` server function, so it works before the wasm arrives (the server sends
//! the browser back to the list); once hydrated, a click hands the action to the page,
//! which updates the row at once and calls the server in the background.

use crate::api::dashboard::AlertRow;
use crate::components::format::{days, money, per_day};
use chrono::{Days, NaiveDate};
use domain::alert_action::{status_label, Status};
use domain::alert_filter::StateFilter;
use domain::engine::AlertState;
use domain::risk::{RiskKind, RiskRow};
use leptos::prelude::*;

/// What a click asks the page to do to one alert.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionRequest {
    pub id: i64,
    /// As `alert_action` takes it: `acknowledge`, `snooze_day`, `snooze_week`,
    /// `snooze_until`, `resolve`.
    pub action: &'static str,
    pub until: Option<String>,
}

/// The alerts' states as the browser knows them after the merchant's actions (optimistic
/// until the server confirms); alerts not in the map are as the server listed them.
pub type KnownStates = RwSignal<StateMap>;

/// Alert id → state for one page of alerts (at most 50), searched in order: a hash map
/// would add its hashing code to the browser wasm for nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StateMap<S = Status>(Vec<(i64, S)>);

impl<S: Copy> StateMap<S> {
    pub fn get(&self, id: i64) -> Option<S> {
        self.0.iter().find(|(i, _)| *i == id).map(|(_, s)| *s)
    }

    pub fn insert(&mut self, id: i64, state: S) {
        match self.0.iter_mut().find(|(i, _)| *i == id) {
            Some(entry) => entry.1 = state,
            None => self.0.push((id, state)),
        }
    }

    pub fn remove(&mut self, id: i64) {
        self.0.retain(|(i, _)| *i != id);
    }

    pub fn iter(&self) -> impl Iterator<Item = (i64, S)> + '_ {
        self.0.iter().copied()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<S: Copy> FromIterator<(i64, S)> for StateMap<S> {
    fn from_iter<I: IntoIterator<Item = (i64, S)>>(iter: I) -> Self {
        let mut map = Self(Vec::new());
        for (id, state) in iter {
            map.insert(id, state);
        }
        map
    }
}

const ACTION_URL: &str = "/api/alert_action";

fn badge_tone(kind: RiskKind) -> &'static str {
    match kind {
        RiskKind::OutOfStock => "critical",
        RiskKind::ReorderNow | RiskKind::StockGap => "warning",
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
            Some(d) => format!("Runs out {}", domain::dates::short(d)),
            None => "Not selling".into(),
        },
        RiskKind::Overstock | RiskKind::DeadStock => format!("{} tied up", money(row.stock_value_cents, currency)),
        RiskKind::StockGap => match row.depletion_date {
            Some(d) => {
                format!("Runs out {} before the delivery · {} at stake", domain::dates::short(d), money(row.gap_lost_cents, currency))
            }
            None => "Runs out before the delivery".into(),
        },
    };
    phrase + &on_order
}

/// The variant's own page (built alongside the dashboard), at the alert's location.
pub fn variant_href(variant_id: i64, location_id: i64) -> String {
    format!("/app/variants/{variant_id}?location={location_id}")
}

#[component]
pub fn AlertTable(
    rows: Vec<AlertRow>,
    currency: String,
    /// Which states this list shows: a row whose state leaves it is hidden.
    listed: StateFilter,
    today: NaiveDate,
    states: KnownStates,
    on_action: Callback<ActionRequest>,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="data-table alert-table">
                <caption class="visually-hidden">"Alerts, most urgent first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Product"</th>
                        <th scope="col">"Location"</th>
                        <th scope="col" class="num">"On hand"</th>
                        <th scope="col" class="num">"Sold / day"</th>
                        <th scope="col" class="num">"Days of cover"</th>
                        <th scope="col">"Alert"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Outlook"</th>
                        <th scope="col">"Actions"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| view! { <AlertLine r currency=currency.clone() listed today states on_action/> })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn AlertLine(
    r: AlertRow,
    currency: String,
    listed: StateFilter,
    today: NaiveDate,
    states: KnownStates,
    on_action: Callback<ActionRequest>,
) -> impl IntoView {
    let id = r.id;
    let listed_state = r.state;
    let status = Signal::derive(move || states.with(|m| m.get(id)).unwrap_or(Some(listed_state)));
    let outlook = outlook(&r.risk, &currency);
    let p = r.risk.position;
    let label = format!("{} – {} at {}", p.product_title, p.variant_title, p.location_name);
    let status_class = move || format!("status status-{}", domain::alert_action::status_column(status.get()));
    view! {
        <tr data-alert-id=id hidden=move || !listed.includes(domain::alert_action::status_column(status.get()))>
            <th scope="row">
                <a class="product" href=variant_href(p.variant_id, p.location_id)>{p.product_title}</a>
                <span class="variant">{p.variant_title}" · "{p.sku}</span>
            </th>
            <td>{p.location_name}</td>
            <td class="num">{p.on_hand}</td>
            <td class="num">{per_day(r.risk.velocity)}</td>
            <td class="num">{days(r.risk.days_of_cover)}</td>
            <td>
                <span class=format!("badge badge-{}", badge_tone(r.risk.kind))>{r.risk.kind.label()}</span>
            </td>
            <td><span class=status_class>{move || status_label(status.get())}</span></td>
            <td>{outlook}</td>
            <td><AlertActions id label status today on_action/></td>
        </tr>
    }
    .into_any()
}

/// A submit button that, once hydrated, asks the page instead of posting the form.
#[component]
fn ActionButton(
    id: i64,
    action: &'static str,
    text: &'static str,
    /// Read only by assistive technology, after `text`: which alert it acts on.
    hidden_text: String,
    on_action: Callback<ActionRequest>,
) -> impl IntoView {
    view! {
        <button type="submit" class="button button-slim" name="action" value=action
            on:click=move |ev| {
                ev.prevent_default();
                on_action.run(ActionRequest { id, action, until: None });
            }>
            {text}<span class="visually-hidden">{hidden_text}</span>
        </button>
    }
    .into_any()
}

#[component]
fn AlertActions(id: i64, label: String, status: Signal<Status>, today: NaiveDate, on_action: Callback<ActionRequest>) -> impl IntoView {
    let acknowledged = move || status.get() == Some(AlertState::Acknowledged);
    let day = |n: u64| today.checked_add_days(Days::new(n)).unwrap_or(today).to_string();
    let until_id = format!("snooze-until-{id}");
    let until_ref = NodeRef::<leptos::html::Input>::new();
    let on_until = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let until = until_ref.get().map(|i| i.value());
        on_action.run(ActionRequest { id, action: "snooze_until", until });
    };
    let of = format!(" {label}");
    view! {
        <div class="row-actions">
            <form method="post" action=ACTION_URL class="inline-form">
                <input type="hidden" name="id" value=id/>
                {
                    let of = of.clone();
                    move || (!acknowledged()).then(|| view! {
                        <ActionButton id action="acknowledge" text="Acknowledge" hidden_text=of.clone() on_action/>
                    })
                }
                <ActionButton id action="resolve" text="Resolve" hidden_text=of.clone() on_action/>
            </form>
            <details class="snooze">
                <summary class="button button-slim">"Snooze"<span class="visually-hidden">{of.clone()}</span></summary>
                <div class="snooze-menu">
                    <form method="post" action=ACTION_URL class="inline-form">
                        <input type="hidden" name="id" value=id/>
                        <ActionButton id action="snooze_day" text="1 day" hidden_text=format!(", snooze{of}") on_action/>
                        <ActionButton id action="snooze_week" text="1 week" hidden_text=format!(", snooze{of}") on_action/>
                    </form>
                    <form method="post" action=ACTION_URL class="inline-form" on:submit=on_until>
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="action" value="snooze_until"/>
                        <label for=until_id.clone()>"Until"</label>
                        <input type="date" id=until_id name="until" required=true min=day(1) max=day(domain::alert_action::MAX_SNOOZE_DAYS) node_ref=until_ref/>
                        <button type="submit" class="button button-slim">
                            "Snooze"<span class="visually-hidden">{format!(" until this date:{of}")}</span>
                        </button>
                    </form>
                </div>
            </details>
        </div>
    }
    .into_any()
}
