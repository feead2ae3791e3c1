//! What the merchant asks Stock Sentry to watch: alert kinds, locations, time zone. The
//! form sends text (`WatchInput`); parsing yields a `Watch`, or a message per field and
//! nothing saved. Lead times and thresholds per vendor, supplier, product or variant are
//! in `overrides`.

use crate::settings::FieldError;
use crate::RiskKind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The alert kinds a shop wants (a bit per `RiskKind::ALL` entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindSet(u8);

impl KindSet {
    pub const ALL: Self = Self(0b11_1111);
    pub const NONE: Self = Self(0);

    fn bit(kind: RiskKind) -> u8 {
        let i = RiskKind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
        1 << i
    }
    pub fn contains(self, kind: RiskKind) -> bool {
        self.0 & Self::bit(kind) != 0
    }
    pub fn with(self, kind: RiskKind) -> Self {
        Self(self.0 | Self::bit(kind))
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    pub fn iter(self) -> impl Iterator<Item = RiskKind> {
        RiskKind::ALL.into_iter().filter(move |k| self.contains(*k))
    }
    /// From the stored column (`out_of_stock,low_stock`); unknown names are ignored so a
    /// kind retired from the code cannot break a shop's run.
    pub fn from_list(s: &str) -> Self {
        s.split(',').filter_map(|k| RiskKind::parse(k.trim())).fold(Self::NONE, Self::with)
    }
    pub fn to_list(self) -> String {
        self.iter().map(RiskKind::as_str).collect::<Vec<_>>().join(",")
    }
}

impl Default for KindSet {
    fn default() -> Self {
        Self::ALL
    }
}

/// The "What to watch" form as posted: checked boxes arrive as `kind → "on"` and
/// `location_key(id) → "on"` (unchecked boxes are not sent at all); the time zone is `""`
/// for the shop's own or an IANA name (`Europe/Paris`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WatchInput {
    #[serde(default)]
    pub kinds: BTreeMap<String, String>,
    #[serde(default)]
    pub locations: BTreeMap<String, String>,
    #[serde(default)]
    pub time_zone: String,
}

/// A location's key in `WatchInput::locations`. Not the bare id: the form encoding reads
/// a numeric bracket key (`watch[locations][123]`) as a list index.
pub fn location_key(id: i64) -> String {
    format!("id{id}")
}

/// What the shop watches, valid by construction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Watch {
    pub kinds: KindSet,
    /// Watched location ids, each one of the shop's.
    pub locations: Vec<i64>,
    /// An IANA zone the merchant chose (with its daylight saving); `None`: the shop's own
    /// zone from Shopify.
    pub time_zone: Option<String>,
}

impl WatchInput {
    /// `shop_locations`: the shop's location ids; a box for any other id is refused (a
    /// stale form, or someone else's location).
    pub fn parse(&self, shop_locations: &[i64]) -> Result<Watch, Vec<FieldError>> {
        let mut errs = Vec::new();
        let mut kinds = KindSet::NONE;
        for name in self.kinds.keys() {
            match RiskKind::parse(name) {
                Some(k) => kinds = kinds.with(k),
                None => errs.push(FieldError::new("kinds", format!("“{name}” is not a kind of alert."))),
            }
        }
        if kinds.is_empty() && errs.is_empty() {
            errs.push(FieldError::new("kinds", "Choose at least one kind of alert. To stop emails, set the digest to Off."));
        }
        let mut locations = Vec::new();
        for id in self.locations.keys() {
            match id.strip_prefix("id").and_then(|i| i.parse::<i64>().ok()).ok_or(()) {
                Ok(id) if shop_locations.contains(&id) => locations.push(id),
                _ => errs.push(FieldError::new("locations", "That location is not one of the shop's. Reload the page.")),
            }
        }
        if locations.is_empty() && !shop_locations.is_empty() && !errs.iter().any(|e| e.field == "locations") {
            errs.push(FieldError::new("locations", "Watch at least one location."));
        }
        let raw = self.time_zone.trim();
        let time_zone = if raw.is_empty() {
            None
        } else if crate::engine::calendar::is_zone(raw) {
            Some(raw.to_string())
        } else {
            errs.push(FieldError::new("time_zone", "Choose a time zone from the list."));
            None
        };
        if errs.is_empty() {
            Ok(Watch { kinds, locations, time_zone })
        } else {
            Err(errs)
        }
    }

    pub fn from_watch(w: &Watch) -> Self {
        Self {
            kinds: w.kinds.iter().map(|k| (k.as_str().to_string(), "on".to_string())).collect(),
            locations: w.locations.iter().map(|l| (location_key(*l), "on".to_string())).collect(),
            time_zone: w.time_zone.clone().unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(keys: &[&str]) -> BTreeMap<String, String> {
        keys.iter().map(|k| (k.to_string(), "on".to_string())).collect()
    }

    #[test]
    fn kind_set_round_trips_through_the_stored_list() {
        let s = KindSet::NONE.with(RiskKind::LowStock).with(RiskKind::OutOfStock);
        assert_eq!(s.to_list(), "out_of_stock,low_stock");
        assert_eq!(KindSet::from_list("low_stock, out_of_stock,retired_kind"), s);
        assert!(!s.contains(RiskKind::Overstock));
        assert_eq!(KindSet::from_list(&KindSet::ALL.to_list()), KindSet::ALL);
    }

    #[test]
    fn watch_form_parses_checked_boxes() {
        let input = WatchInput { kinds: on(&["low_stock", "reorder_now"]), locations: on(&["id11"]), time_zone: "Asia/Kolkata".into() };
        let w = input.parse(&[11, 12]).unwrap();
        assert_eq!(w.kinds, KindSet::NONE.with(RiskKind::LowStock).with(RiskKind::ReorderNow));
        assert_eq!(w.locations, vec![11]);
        assert_eq!(w.time_zone.as_deref(), Some("Asia/Kolkata"));
        assert_eq!(WatchInput::from_watch(&w), input);
    }

    #[test]
    fn watch_form_refuses_nothing_checked_foreign_locations_and_odd_offsets() {
        let fields = |r: Result<Watch, Vec<FieldError>>| r.unwrap_err().into_iter().map(|e| e.field).collect::<Vec<_>>();
        let none = WatchInput { time_zone: String::new(), ..Default::default() };
        assert_eq!(fields(none.parse(&[11])), vec!["kinds", "locations"]);
        let foreign = WatchInput { kinds: on(&["low_stock"]), locations: on(&["id99"]), time_zone: "Mars/Olympus_Mons".into() };
        assert_eq!(fields(foreign.parse(&[11])), vec!["locations", "time_zone"]);
        let bad_kind = WatchInput { kinds: on(&["everything"]), locations: on(&["id11"]), time_zone: String::new() };
        assert_eq!(fields(bad_kind.parse(&[11])), vec!["kinds"]);
        // A shop with no locations yet (import not run) can still choose kinds.
        let early = WatchInput { kinds: on(&["low_stock"]), ..Default::default() };
        assert!(early.parse(&[]).is_ok());
    }
}
