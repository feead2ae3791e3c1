//! Dates as the merchant reads them, in English ("Dec 4", "Dec 4, 2026", "Friday 4
//! December 2026"), and dates as the wire carries them ("2026-12-04"). Written out rather
//! than through chrono's `format` and `FromStr`: these run in the browser too, and chrono's
//! strftime interpreter and parser are a large part of the wasm for a few fixed patterns.

use chrono::{Datelike, NaiveDate};
use serde::{de, Deserialize, Deserializer};

const MONTHS: [&str; 12] =
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const WEEKDAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

fn month(d: NaiveDate) -> &'static str {
    MONTHS[d.month0() as usize]
}

/// "Dec 4" (chrono's `%b %-d`).
pub fn short(d: NaiveDate) -> String {
    format!("{} {}", &month(d)[..3], d.day())
}

/// "Dec 4, 2026" (`%b %-d, %Y`).
pub fn medium(d: NaiveDate) -> String {
    format!("{} {}, {}", &month(d)[..3], d.day(), d.year())
}

/// "Friday 4 December 2026" (`%A %-d %B %Y`).
pub fn long(d: NaiveDate) -> String {
    format!("{} {} {} {}", WEEKDAYS[d.weekday().num_days_from_monday() as usize], d.day(), month(d), d.year())
}

/// "2026-12-04" (also "2026-1-4"), as chrono writes a `NaiveDate` and a date input sends it.
pub fn parse_ymd(s: &str) -> Option<NaiveDate> {
    let mut parts = s.splitn(3, '-');
    let mut next = |max_len: usize| {
        let p = parts.next()?;
        (!p.is_empty() && p.len() <= max_len && p.bytes().all(|b| b.is_ascii_digit())).then(|| p.parse::<u32>().ok()).flatten()
    };
    let (y, m, d) = (next(4)?, next(2)?, next(2)?);
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

/// A `NaiveDate` read with [`parse_ymd`]; chrono's `Serialize` writes the same text.
struct Ymd(NaiveDate);

impl<'de> Deserialize<'de> for Ymd {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = Ymd;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a date as YYYY-MM-DD")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Ymd, E> {
                parse_ymd(v).map(Ymd).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// `#[serde(deserialize_with = "crate::dates::ymd")]` on a `NaiveDate`.
pub fn ymd<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    Ymd::deserialize(deserializer).map(|d| d.0)
}

/// `#[serde(default, deserialize_with = "crate::dates::ymd_opt")]` on an `Option<NaiveDate>`.
pub fn ymd_opt<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<NaiveDate>, D::Error> {
    Option::<Ymd>::deserialize(deserializer).map(|d| d.map(|d| d.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_day_of_a_leap_year_and_the_next_reads_as_chrono_formats_it() {
        let mut d = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        while d < NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() {
            assert_eq!(short(d), d.format("%b %-d").to_string());
            assert_eq!(medium(d), d.format("%b %-d, %Y").to_string());
            assert_eq!(long(d), d.format("%A %-d %B %Y").to_string());
            d = d.succ_opt().unwrap();
        }
        assert_eq!(long(NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()), "Friday 4 December 2026");
        assert_eq!(short(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()), "Feb 29");
    }

    #[test]
    fn wire_dates_read_back_as_chrono_writes_them_and_nonsense_is_refused() {
        #[derive(serde::Deserialize)]
        struct Row {
            #[serde(deserialize_with = "ymd")]
            day: NaiveDate,
            #[serde(default, deserialize_with = "ymd_opt")]
            until: Option<NaiveDate>,
        }
        let mut d = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        while d < NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() {
            let json = format!(r#"{{"day":{},"until":null}}"#, serde_json::to_string(&d).unwrap());
            let row: Row = serde_json::from_str(&json).unwrap();
            assert_eq!((row.day, row.until), (d, None));
            d = d.succ_opt().unwrap();
        }
        let row: Row = serde_json::from_str(r#"{"day":"2026-1-4","until":"2024-02-29"}"#).unwrap();
        assert_eq!(row.day, NaiveDate::from_ymd_opt(2026, 1, 4).unwrap());
        assert_eq!(row.until, NaiveDate::from_ymd_opt(2024, 2, 29));
        assert!(serde_json::from_str::<Row>(r#"{"day":"2026-12-04"}"#).unwrap().until.is_none());
        for bad in ["2025-02-29", "2026-13-01", "2026-12", "26-12-04x", "", "2026-12-04T00:00", "+2026-12-04", "2026-012-04"] {
            assert!(parse_ymd(bad).is_none(), "{bad}");
            assert!(serde_json::from_str::<Row>(&format!(r#"{{"day":"{bad}"}}"#)).is_err(), "{bad}");
        }
    }
}
