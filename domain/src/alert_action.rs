//! What the merchant does to an alert from the dashboard — acknowledge, snooze, resolve —
//! and the undo of it. The transitions themselves are the state machine's
//! (`engine::alerts::AlertState`); this module parses the request and adds the manual
//! resolve, which the engine never does on its own.
//!
//! How it meets the recalculation: an acknowledged or snoozed alert keeps its state while
//! its condition holds (a snooze re-opens on its date). A resolved alert is history, so if
//! its condition still holds at the next recalculation a *new* alert opens for it.

use crate::engine::alerts::{AlertState, AlertStateError};
use crate::FieldError;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// The furthest a snooze may reach: past that the numbers behind the alert mean little.
pub const MAX_SNOOZE_DAYS: u64 = 365;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AlertAction {
    Acknowledge,
    /// Snooze for this many days from today.
    SnoozeFor(u32),
    SnoozeUntil(NaiveDate),
    Resolve,
}

/// An alert's state as the dashboard shows and restores it; `None` inside is resolved.
pub type Status = Option<AlertState>;

fn field(field: &str, message: impl Into<String>) -> FieldError {
    FieldError { field: field.to_string(), message: message.into() }
}

impl AlertAction {
    /// From the form fields `action` (`acknowledge`, `snooze_day`, `snooze_week`,
    /// `snooze_until`, `resolve`) and `until` (`YYYY-MM-DD`, only for `snooze_until`).
    pub fn parse(action: &str, until: Option<&str>) -> Result<Self, FieldError> {
        match action {
            "acknowledge" => Ok(Self::Acknowledge),
            "snooze_day" => Ok(Self::SnoozeFor(1)),
            "snooze_week" => Ok(Self::SnoozeFor(7)),
            "resolve" => Ok(Self::Resolve),
            "snooze_until" => match until.map(str::trim).filter(|u| !u.is_empty()) {
                None => Err(field("until", "Choose the date to snooze until.")),
                Some(u) => crate::dates::parse_ymd(u).map(Self::SnoozeUntil).ok_or_else(|| field("until", "Enter the date as YYYY-MM-DD.")),
            },
            other => Err(field("action", format!("Unknown action {other:?}."))),
        }
    }

    /// The state the alert moves to from `current` (a live state) on `today`.
    pub fn apply(self, current: AlertState, today: NaiveDate) -> Result<Status, FieldError> {
        let latest = today.checked_add_days(Days::new(MAX_SNOOZE_DAYS)).unwrap_or(today);
        let snooze = |until: NaiveDate| {
            if until > latest {
                return Err(field("until", format!("Snooze for at most {MAX_SNOOZE_DAYS} days.")));
            }
            current.snooze(until, today).map(Some).map_err(|e| match e {
                AlertStateError::SnoozeNotInFuture { .. } => field("until", "Choose a date after today."),
                other => field("until", other.to_string()),
            })
        };
        match self {
            Self::Acknowledge => Ok(Some(current.acknowledge())),
            Self::SnoozeFor(days) => snooze(today.checked_add_days(Days::new(days.into())).unwrap_or(today)),
            Self::SnoozeUntil(until) => snooze(until),
            Self::Resolve => Ok(None),
        }
    }

    /// What the merchant is told once it is done (the Undo sits beside it).
    pub fn done_message(self, now: Status) -> String {
        match (self, now) {
            (Self::Acknowledge, _) => "Alert acknowledged. It stays on the list until the stock recovers.".into(),
            (_, Some(AlertState::Snoozed { until })) => {
                format!("Alert snoozed until {}. It comes back then if the condition still holds.", crate::dates::medium(until))
            }
            _ => "Alert resolved — it reopens if the condition is still true at the next check.".into(),
        }
    }
}

/// The short label the dashboard shows for a state (text, never colour alone).
pub fn status_label(status: Status) -> String {
    match status {
        Some(AlertState::Open) => "Open".into(),
        Some(AlertState::Acknowledged) => "Acknowledged".into(),
        Some(AlertState::Snoozed { until }) => format!("Snoozed until {}", crate::dates::short(until)),
        None => "Resolved".into(),
    }
}

/// The `alerts.state` column value of a status.
pub fn status_column(status: Status) -> &'static str {
    status.map_or("resolved", AlertState::as_str)
}

/// The live state an undo restores, from the form fields `state` and `snoozed_until`
/// (what the action returned as the previous state).
pub fn parse_restore(state: &str, snoozed_until: Option<&str>) -> Result<AlertState, FieldError> {
    let until = match snoozed_until.map(str::trim).filter(|u| !u.is_empty()) {
        None => None,
        Some(u) => Some(crate::dates::parse_ymd(u).ok_or_else(|| field("snoozed_until", "Enter the date as YYYY-MM-DD."))?),
    };
    match AlertState::from_columns(state, until) {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err(field("state", "An undo restores an open, acknowledged or snoozed alert.")),
        Err(e) => Err(field("state", e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn parses_each_action() {
        assert_eq!(AlertAction::parse("acknowledge", None), Ok(AlertAction::Acknowledge));
        assert_eq!(AlertAction::parse("snooze_day", Some("")), Ok(AlertAction::SnoozeFor(1)));
        assert_eq!(AlertAction::parse("snooze_week", None), Ok(AlertAction::SnoozeFor(7)));
        assert_eq!(AlertAction::parse("snooze_until", Some("2026-12-24")), Ok(AlertAction::SnoozeUntil(day("2026-12-24"))));
        assert_eq!(AlertAction::parse("resolve", None), Ok(AlertAction::Resolve));
        assert_eq!(AlertAction::parse("delete", None).unwrap_err().field, "action");
        assert_eq!(AlertAction::parse("snooze_until", Some(" ")).unwrap_err().field, "until");
        assert_eq!(AlertAction::parse("snooze_until", Some("24/12/2026")).unwrap_err().message, "Enter the date as YYYY-MM-DD.");
    }

    #[test]
    fn each_action_moves_the_alert_as_the_state_machine_says() {
        let today = day("2026-11-24");
        let open = AlertState::Open;
        assert_eq!(AlertAction::Acknowledge.apply(open, today), Ok(Some(AlertState::Acknowledged)));
        assert_eq!(AlertAction::SnoozeFor(1).apply(open, today), Ok(Some(AlertState::Snoozed { until: day("2026-11-25") })));
        assert_eq!(
            AlertAction::SnoozeFor(7).apply(AlertState::Acknowledged, today),
            Ok(Some(AlertState::Snoozed { until: day("2026-12-01") }))
        );
        assert_eq!(AlertAction::Resolve.apply(AlertState::Snoozed { until: day("2026-12-01") }, today), Ok(None));
    }

    #[test]
    fn a_snooze_must_end_after_today_and_within_a_year() {
        let today = day("2026-11-24");
        for bad in ["2026-11-24", "2026-11-01"] {
            let e = AlertAction::SnoozeUntil(day(bad)).apply(AlertState::Open, today).unwrap_err();
            assert_eq!(e.message, "Choose a date after today.");
        }
        assert!(AlertAction::SnoozeUntil(day("2027-11-24")).apply(AlertState::Open, today).is_ok());
        let e = AlertAction::SnoozeUntil(day("2027-11-25")).apply(AlertState::Open, today).unwrap_err();
        assert_eq!(e.message, "Snooze for at most 365 days.");
    }

    #[test]
    fn a_snoozed_alert_reopens_at_recalculation_on_its_date_and_a_resolved_one_is_gone() {
        // The engine's side of the contract the dashboard's messages promise.
        let today = day("2026-11-24");
        let snoozed = AlertAction::SnoozeFor(1).apply(AlertState::Open, today).unwrap().unwrap();
        assert_eq!(snoozed.step(true, today), Some(snoozed));
        assert_eq!(snoozed.step(true, day("2026-11-25")), Some(AlertState::Open));
        let acked = AlertAction::Acknowledge.apply(AlertState::Open, today).unwrap().unwrap();
        assert_eq!(acked.step(true, day("2026-12-25")), Some(AlertState::Acknowledged));
        assert_eq!(acked.step(false, today), None);
    }

    #[test]
    fn labels_and_messages_say_the_state_in_words() {
        assert_eq!(status_label(Some(AlertState::Acknowledged)), "Acknowledged");
        assert_eq!(status_label(Some(AlertState::Snoozed { until: day("2026-12-01") })), "Snoozed until Dec 1");
        assert_eq!(status_label(None), "Resolved");
        assert_eq!(status_column(None), "resolved");
        assert_eq!(status_column(Some(AlertState::Open)), "open");
        let msg = AlertAction::Resolve.done_message(None);
        assert!(msg.contains("reopens if the condition is still true"), "{msg}");
        let msg = AlertAction::SnoozeFor(7).done_message(Some(AlertState::Snoozed { until: day("2026-12-01") }));
        assert_eq!(msg, "Alert snoozed until Dec 1, 2026. It comes back then if the condition still holds.");
    }

    #[test]
    fn an_undo_restores_only_a_live_state() {
        assert_eq!(parse_restore("open", None), Ok(AlertState::Open));
        assert_eq!(parse_restore("acknowledged", Some("")), Ok(AlertState::Acknowledged));
        assert_eq!(parse_restore("snoozed", Some("2026-12-01")), Ok(AlertState::Snoozed { until: day("2026-12-01") }));
        assert_eq!(parse_restore("snoozed", None).unwrap_err().field, "state");
        assert_eq!(parse_restore("resolved", None).unwrap_err().field, "state");
        assert_eq!(parse_restore("deleted", None).unwrap_err().field, "state");
        assert_eq!(parse_restore("snoozed", Some("soon")).unwrap_err().field, "snoozed_until");
    }
}
