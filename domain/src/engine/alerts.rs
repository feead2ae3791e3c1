//! Alert lifecycle: a pure state machine per alert and `reconcile`, which turns one run's
//! assessments and the live alerts into the inserts, updates and resolutions the Worker
//! writes in one batch.
//!
//! States: open → acknowledged (merchant saw it) or snoozed until a date → resolved.
//! Resolution is automatic when the condition clears *with margin* (hysteresis: e.g. low
//! stock opens below 14 days of cover and resolves only at 15.4 or more), so a variant
//! hovering at the threshold keeps one alert instead of flapping. An acknowledged alert
//! stays acknowledged while the condition holds; a snoozed one re-opens on its `until`
//! date if the condition still holds.

use super::assess::{Assessment, Explanation};
use crate::risk::RiskKind;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AlertKey {
    pub variant_id: i64,
    pub location_id: i64,
    pub kind: RiskKind,
}

/// A live alert's state (resolved alerts are history, not state). On the wire
/// `{"state": "snoozed", "until": "2026-12-11"}`; read back through [`AlertStateWire`], a
/// plain struct, because serde's reader for internally tagged enums buffers every value
/// and the browser wasm would carry that machinery for this one type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case", try_from = "AlertStateWire")]
pub enum AlertState {
    Open,
    Acknowledged,
    /// Hidden until `until` (shop-local date), when it re-opens if still true.
    Snoozed {
        until: NaiveDate,
    },
}

#[derive(Deserialize)]
struct AlertStateWire {
    state: String,
    #[serde(default, deserialize_with = "crate::dates::ymd_opt")]
    until: Option<NaiveDate>,
}

impl TryFrom<AlertStateWire> for AlertState {
    type Error = AlertStateError;

    fn try_from(w: AlertStateWire) -> Result<Self, AlertStateError> {
        Self::from_columns(&w.state, w.until)?.ok_or(AlertStateError::UnknownState(w.state))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AlertStateError {
    #[error("unknown alert state {0:?}")]
    UnknownState(String),
    #[error("a snoozed alert needs a snoozed_until date")]
    SnoozeWithoutDate,
    #[error("snooze until {until} is not after today ({today})")]
    SnoozeNotInFuture { until: NaiveDate, today: NaiveDate },
}

impl AlertState {
    /// The `alerts.state` column value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Acknowledged => "acknowledged",
            Self::Snoozed { .. } => "snoozed",
        }
    }

    /// The `alerts.snoozed_until` column value.
    pub fn snoozed_until(self) -> Option<NaiveDate> {
        match self {
            Self::Snoozed { until } => Some(until),
            _ => None,
        }
    }

    /// From the `state` and `snoozed_until` columns; `Ok(None)` for a resolved alert.
    pub fn from_columns(state: &str, snoozed_until: Option<NaiveDate>) -> Result<Option<Self>, AlertStateError> {
        match state {
            "open" => Ok(Some(Self::Open)),
            "acknowledged" => Ok(Some(Self::Acknowledged)),
            "snoozed" => snoozed_until.map(|until| Some(Self::Snoozed { until })).ok_or(AlertStateError::SnoozeWithoutDate),
            "resolved" => Ok(None),
            other => Err(AlertStateError::UnknownState(other.to_string())),
        }
    }

    /// The merchant acknowledges: from any live state.
    pub fn acknowledge(self) -> Self {
        Self::Acknowledged
    }

    /// The merchant snoozes until a later date.
    pub fn snooze(self, until: NaiveDate, today: NaiveDate) -> Result<Self, AlertStateError> {
        if until > today {
            Ok(Self::Snoozed { until })
        } else {
            Err(AlertStateError::SnoozeNotInFuture { until, today })
        }
    }

    /// One recalculation: `None` when the condition no longer holds (resolve), a snooze
    /// that has reached its date re-opens, anything else stays as it is.
    pub fn step(self, holds: bool, today: NaiveDate) -> Option<Self> {
        if !holds {
            return None;
        }
        match self {
            Self::Snoozed { until } if today >= until => Some(Self::Open),
            s => Some(s),
        }
    }
}

/// A live alert as stored.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ExistingAlert {
    pub id: i64,
    pub key: AlertKey,
    pub state: AlertState,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewAlert {
    pub key: AlertKey,
    pub urgency: f64,
    pub explanation: Explanation,
}

/// A live alert that stays live, with its (possibly changed) state and fresh numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertUpdate {
    pub id: i64,
    pub key: AlertKey,
    pub state: AlertState,
    pub urgency: f64,
    pub explanation: Explanation,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AlertChanges {
    /// Most urgent first.
    pub to_open: Vec<NewAlert>,
    pub to_update: Vec<AlertUpdate>,
    /// Ids of alerts to mark resolved.
    pub to_resolve: Vec<i64>,
}

/// The writes that bring the live alerts in line with this run's assessments.
///
/// Defined results for odd input: a live alert whose variant × location has no assessment
/// (deleted product, location removed) is resolved; untracked variants have no conditions,
/// so their alerts resolve; a second live alert for the same key is resolved (the table's
/// unique index forbids it, but a half-applied batch should heal); a second assessment for
/// the same variant × location is ignored.
pub fn reconcile(existing: &[ExistingAlert], assessments: &[Assessment], today: NaiveDate) -> AlertChanges {
    let mut changes = AlertChanges::default();
    let mut by_key: HashMap<AlertKey, usize> = HashMap::with_capacity(existing.len());
    for (i, a) in existing.iter().enumerate() {
        match by_key.entry(a.key) {
            Entry::Occupied(_) => changes.to_resolve.push(a.id),
            Entry::Vacant(slot) => {
                slot.insert(i);
            }
        }
    }
    let mut matched = vec![false; existing.len()];
    let mut seen: HashSet<(i64, i64)> = HashSet::new();
    for a in assessments {
        if !seen.insert((a.variant_id, a.location_id)) {
            continue;
        }
        for kind in RiskKind::ALL {
            let key = AlertKey { variant_id: a.variant_id, location_id: a.location_id, kind };
            let condition = a.conditions.get(kind);
            match by_key.get(&key) {
                Some(&i) => {
                    matched[i] = true;
                    let alert = &existing[i];
                    match alert.state.step(condition.holds, today) {
                        Some(state) => changes.to_update.push(AlertUpdate {
                            id: alert.id,
                            key,
                            state,
                            urgency: a.urgency(kind),
                            explanation: a.explanation,
                        }),
                        None => changes.to_resolve.push(alert.id),
                    }
                }
                None if condition.opens => changes.to_open.push(NewAlert { key, urgency: a.urgency(kind), explanation: a.explanation }),
                None => {}
            }
        }
    }
    for (i, a) in existing.iter().enumerate() {
        if !matched[i] && by_key.get(&a.key) == Some(&i) {
            changes.to_resolve.push(a.id);
        }
    }
    changes.to_open.sort_by(|a, b| b.urgency.total_cmp(&a.urgency));
    changes.to_resolve.sort_unstable();
    changes
}
