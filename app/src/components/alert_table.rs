//! The dashboard's alert list: one row per alert with its numbers, its state in words, and
//! the one-click actions. Each action posts a real form to the `alert_action` server
//! function, so it works before the wasm arrives (the server sends the browser back to the
//! list); once hydrated, a click hands the action to the page, which updates the row at
//! once and calls the server in the background. A page holds fifty rows, so a row's markup
//! is kept lean: its buttons share one form per action, and its cells carry no classes
//! (the table's stylesheet places and styles them by column).

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

/// The forms the row buttons post with (`form="…"`), one per action, so a row carries
/// only its buttons: each button sends the alert's id, its form the action. Snoozing until
/// a date keeps a form per row (the date is the row's own).
const SHARED_FORMS: [(&str, &str); 4] = [("ack", "acknowledge"), ("resolve", "resolve"), ("day", "snooze_day"), ("week", "snooze_week")];

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
        {SHARED_FORMS
            .into_iter()
            .map(|(form, action)| view! {
                <form id=form method="post" action=ACTION_URL hidden=true><input type="hidden" name="action" value=action/></form>
            })
            .collect_view()}
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
                        <th scope="col"><abbr title="ABC by revenue, XYZ by how steady demand is">"Class"</abbr></th>
                        <th scope="col">"Alert"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Outlook"</th>
                        <th scope="col">"Actions"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| alert_line(r, &currency, listed, today, states, on_action))
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// One alert's row. Its product cell (`a{id}`) and location cell (`l{id}`) name it: each
/// action's accessible name is its own text followed by them ("Acknowledge Summit Rain
/// Jacket S · RAI-135-S Main Warehouse"), fifty short references instead of fifty copies.
fn alert_line(
    r: AlertRow,
    currency: &str,
    listed: StateFilter,
    today: NaiveDate,
    states: KnownStates,
    on_action: Callback<ActionRequest>,
) -> impl IntoView {
    let id = r.id;
    let listed_state = r.state;
    let status = Signal::derive(move || states.with(|m| m.get(id)).unwrap_or(Some(listed_state)));
    let outlook = outlook(&r.risk, currency);
    let p = r.risk.position;
    let status_class = move || format!("status status-{}", domain::alert_action::status_column(status.get()));
    view! {
        <tr data-alert-id=id hidden=move || !listed.includes(domain::alert_action::status_column(status.get()))>
            <th scope="row" id=format!("a{id}")>
                <a class="product" href=variant_href(p.variant_id, p.location_id)>{p.product_title}</a>
                <span class="variant">{format!("{} · {}", p.variant_title, p.sku)}</span>
            </th>
            <td id=format!("l{id}")>{p.location_name}</td>
            <td>{p.on_hand}</td>
            <td>{per_day(r.risk.velocity)}</td>
            <td>{days(r.risk.days_of_cover)}</td>
            <td>{if r.class.is_empty() { "–".to_string() } else { r.class }}</td>
            <td>
                <span class=format!("badge badge-{}", badge_tone(r.risk.kind))>{r.risk.kind.label()}</span>
            </td>
            <td class=status_class>{move || status_label(status.get())}</td>
            <td>{outlook}</td>
            <td>{alert_actions(id, status, today, on_action)}</td>
        </tr>
    }
}

/// The row's actions. Each button submits its shared form with the alert's id, so it works
/// before the wasm arrives (the server sends the browser back to the list); once hydrated,
/// a click asks the page instead. The date field of "Snooze until" is the one part with a
/// form of its own (the date is the row's), so it is rendered in the browser when the menu
/// first opens rather than fifty times in the page: before the wasm arrives, the menu
/// offers a day and a week.
fn alert_actions(id: i64, status: Signal<Status>, today: NaiveDate, on_action: Callback<ActionRequest>) -> impl IntoView {
    let acknowledged = move || status.get() == Some(AlertState::Acknowledged);
    let act = move |action: &'static str| {
        move |ev: leptos::ev::MouseEvent| {
            ev.prevent_default();
            on_action.run(ActionRequest { id, action, until: None });
        }
    };
    let opened = RwSignal::new(false);
    // Named by its own text, then the row's product and location cells.
    let named = move |own: char| format!("{own}{id} a{id} l{id}");
    view! {
        {move || (!acknowledged()).then(|| view! {
            <button form="ack" name="id" value=id id=format!("k{id}") aria-labelledby=named('k') on:click=act("acknowledge")>"Acknowledge"</button>
        })}
        <button form="resolve" name="id" value=id id=format!("r{id}") aria-labelledby=named('r') on:click=act("resolve")>"Resolve"</button>
        <details on:toggle=move |_| opened.set(true)>
            <summary id=format!("s{id}") aria-labelledby=named('s')>"Snooze"</summary>
            <div>
                <button form="day" name="id" value=id on:click=act("snooze_day")>"1 day"</button>
                <button form="week" name="id" value=id on:click=act("snooze_week")>"1 week"</button>
                {move || opened.get().then(|| snooze_until(id, today, on_action))}
            </div>
        </details>
    }
}

/// "Snooze until" a date, in the row's snooze menu once it has opened.
fn snooze_until(id: i64, today: NaiveDate, on_action: Callback<ActionRequest>) -> impl IntoView {
    let day = |n: u64| today.checked_add_days(Days::new(n)).unwrap_or(today).to_string();
    let until_ref = NodeRef::<leptos::html::Input>::new();
    let on_until = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let until = until_ref.get().map(|i| i.value());
        on_action.run(ActionRequest { id, action: "snooze_until", until });
    };
    view! {
        <form method="post" action=ACTION_URL on:submit=on_until>
            <input type="hidden" name="action" value="snooze_until"/>
            <label>"Until "<input type="date" name="until" required=true min=day(1) max=day(domain::alert_action::MAX_SNOOZE_DAYS) node_ref=until_ref/></label>
            <button name="id" value=id>"Snooze"</button>
        </form>
    }
}
