//! Shop-local dates. Sales are bucketed by the shop's calendar day, so a sale at 23:30 UTC
//! is "tomorrow" in Auckland and "today" in Honolulu. Shopify reports an order's instant in
//! UTC and the shop's IANA time zone (`ianaTimezone`); a `ShopZone` turns one into the
//! other with the zone's daylight saving, so a New York shop's day starts at 04:00 UTC in
//! July and 05:00 UTC in January — a fixed offset would put an hour of sales on the wrong
//! day for half the year.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Timelike, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    #[error("UTC offset {0} minutes is outside ±14 hours")]
    OffsetOutOfRange(i32),
    #[error("timestamp {0} is outside the supported calendar")]
    TimestampOutOfRange(i64),
}

/// A fixed offset from UTC, within the ±14 h that real time zones use (Kiribati is +14,
/// Baker Island −12; −14 is accepted for symmetry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UtcOffset(i32);

impl UtcOffset {
    pub const MAX_MINUTES: i32 = 14 * 60;
    pub const UTC: Self = Self(0);

    pub fn from_minutes(minutes: i32) -> Result<Self, TimeError> {
        if minutes.abs() <= Self::MAX_MINUTES {
            Ok(Self(minutes))
        } else {
            Err(TimeError::OffsetOutOfRange(minutes))
        }
    }

    /// A stored offset, or UTC when it is out of range (a bad row must not stop a run).
    pub fn from_minutes_or_utc(minutes: i32) -> Self {
        Self::from_minutes(minutes).unwrap_or(Self::UTC)
    }

    pub fn minutes(self) -> i32 {
        self.0
    }
}

/// Where a shop keeps its calendar: its IANA zone, with daylight saving, or a fixed offset
/// (a merchant's override in Settings, or a zone name this build does not know).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShopZone {
    Iana(chrono_tz::Tz),
    Fixed(UtcOffset),
}

impl ShopZone {
    pub const UTC: Self = Self::Fixed(UtcOffset::UTC);

    /// The zone named `name` (Shopify's `ianaTimezone`, e.g. `America/New_York`), else the
    /// fixed `fallback` (the offset Shopify reported at install).
    pub fn named(name: &str, fallback: UtcOffset) -> Self {
        name.parse::<chrono_tz::Tz>().map_or(Self::Fixed(fallback), Self::Iana)
    }

    /// A shop's zone as stored: its IANA name, else its offset in minutes (out of range: UTC).
    pub fn stored(name: &str, offset_minutes: i32) -> Self {
        Self::named(name, UtcOffset::from_minutes_or_utc(offset_minutes))
    }

    /// The shop's local wall-clock time at a UTC instant.
    pub fn local(self, t: DateTime<Utc>) -> NaiveDateTime {
        match self {
            Self::Iana(tz) => t.with_timezone(&tz).naive_local(),
            Self::Fixed(o) => t.naive_utc() + Duration::minutes(i64::from(o.minutes())),
        }
    }

    /// Minutes east of UTC at a UTC instant (the zone's standard or daylight offset then).
    pub fn offset_at(self, t: DateTime<Utc>) -> UtcOffset {
        match self {
            Self::Iana(tz) => UtcOffset::from_minutes_or_utc(tz.offset_from_utc_datetime(&t.naive_utc()).fix().local_minus_utc() / 60),
            Self::Fixed(o) => o,
        }
    }

    /// The shop-local calendar day of a UTC instant given in Unix seconds.
    pub fn local_date(self, unix_seconds: i64) -> Result<NaiveDate, TimeError> {
        let utc = DateTime::from_timestamp(unix_seconds, 0).ok_or(TimeError::TimestampOutOfRange(unix_seconds))?;
        match self {
            Self::Iana(_) => Ok(self.local(utc).date()),
            Self::Fixed(o) => local_date(unix_seconds, o),
        }
    }

    /// The shop-local hour (0..=23) of a UTC instant.
    pub fn local_hour(self, t: DateTime<Utc>) -> u32 {
        self.local(t).hour()
    }
}

/// `UTC+05:30`, `UTC−03:00`, `UTC` — how an offset reads in the time-zone list.
pub fn offset_label(minutes: i32) -> String {
    if minutes == 0 {
        return "UTC".into();
    }
    let sign = if minutes < 0 { '−' } else { '+' };
    let m = minutes.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", m / 60, m % 60)
}

/// Areas whose `Area/City` names make up the time-zone list, with UTC and the whole-hour
/// fixed zones (`Etc/GMT-5` is UTC+05:00, POSIX signs being inverted); the rest of the
/// database (`US/Eastern`, `Cuba`) are aliases a merchant would not look for.
const AREAS: [&str; 10] =
    ["Africa/", "America/", "Antarctica/", "Asia/", "Atlantic/", "Australia/", "Europe/", "Indian/", "Pacific/", "Etc/GMT"];

/// Whether `name` is a zone of the list (`zone_choices`).
pub fn is_zone(name: &str) -> bool {
    (name == "UTC" || AREAS.iter().any(|a| name.starts_with(a))) && name != "Etc/GMT" && name.parse::<chrono_tz::Tz>().is_ok()
}

/// Every zone a merchant can choose, `(name, "name (UTC+01:00)")` with its offset at `now`,
/// sorted by that offset and then by name: UTC and the database's `Area/City` zones.
pub fn zone_choices(now: DateTime<Utc>) -> Vec<(String, String)> {
    let mut zones: Vec<(i32, &str)> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| tz.name())
        .filter(|n| is_zone(n))
        .filter_map(|n| Some((ShopZone::Iana(n.parse().ok()?).offset_at(now).minutes(), n)))
        .collect();
    zones.sort();
    let label = |m: i32, n: &str| match n.strip_prefix("Etc/") {
        Some(_) => format!("Fixed {} (no daylight saving)", offset_label(m)),
        None => format!("{} ({})", n.replace('_', " "), offset_label(m)),
    };
    zones.into_iter().map(|(m, n)| (n.to_string(), label(m, n))).collect()
}

impl From<UtcOffset> for ShopZone {
    fn from(o: UtcOffset) -> Self {
        Self::Fixed(o)
    }
}

/// The shop-local calendar day of a UTC instant given in Unix seconds, at a fixed offset.
pub fn local_date(unix_seconds: i64, offset: UtcOffset) -> Result<NaiveDate, TimeError> {
    let utc = DateTime::from_timestamp(unix_seconds, 0).ok_or(TimeError::TimestampOutOfRange(unix_seconds))?;
    let local = utc.naive_utc().checked_add_signed(Duration::minutes(i64::from(offset.0)));
    local.map(|t| t.date()).ok_or(TimeError::TimestampOutOfRange(unix_seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    // 2024-02-28 23:30:00 UTC
    const LATE_FEB_28: i64 = 1_709_163_000;

    #[test]
    fn offsets_read_like_a_time_zone_picker() {
        assert_eq!(offset_label(330), "UTC+05:30");
        assert_eq!(offset_label(-210), "UTC−03:30");
        assert_eq!(offset_label(0), "UTC");
    }

    #[test]
    fn the_zone_list_has_cities_with_their_offset_now_and_no_aliases() {
        let january = DateTime::from_timestamp(1_767_225_600, 0).unwrap(); // 2026-01-01 00:00 UTC
        let july = DateTime::from_timestamp(1_782_864_000, 0).unwrap(); // 2026-07-01 00:00 UTC
        let zones = zone_choices(january);
        assert!(zones.len() > 300, "{}", zones.len());
        let label = |zs: &[(String, String)], n: &str| zs.iter().find(|(z, _)| z == n).map(|(_, l)| l.clone());
        assert_eq!(label(&zones, "America/New_York").as_deref(), Some("America/New York (UTC−05:00)"));
        assert_eq!(label(&zone_choices(july), "America/New_York").as_deref(), Some("America/New York (UTC−04:00)"));
        assert_eq!(label(&zones, "Asia/Kolkata").as_deref(), Some("Asia/Kolkata (UTC+05:30)"));
        assert_eq!(label(&zones, "Etc/GMT-5").as_deref(), Some("Fixed UTC+05:00 (no daylight saving)"));
        assert!(label(&zones, "US/Eastern").is_none() && label(&zones, "Etc/GMT").is_none());
        assert!(is_zone("UTC") && is_zone("Europe/Paris") && is_zone("Etc/GMT+3"));
        assert!(!is_zone("Europe/Atlantis") && !is_zone("EST") && !is_zone("Etc/GMT+99"));
    }

    #[test]
    fn the_same_instant_is_different_days_across_the_date_line() {
        let kiribati = UtcOffset::from_minutes(14 * 60).unwrap();
        let baker = UtcOffset::from_minutes(-12 * 60).unwrap();
        let minus14 = UtcOffset::from_minutes(-14 * 60).unwrap();
        assert_eq!(local_date(LATE_FEB_28, UtcOffset::UTC), Ok(d(2024, 2, 28)));
        // 2024 is a leap year: +14 h lands on the leap day, not March 1st.
        assert_eq!(local_date(LATE_FEB_28, kiribati), Ok(d(2024, 2, 29)));
        assert_eq!(local_date(LATE_FEB_28, baker), Ok(d(2024, 2, 28)));
        assert_eq!(local_date(LATE_FEB_28 - 23 * 3600, minus14), Ok(d(2024, 2, 27)));
        // Half-hour and 45-minute zones: India +5:30, Chatham +12:45.
        let india = UtcOffset::from_minutes(330).unwrap();
        assert_eq!(local_date(LATE_FEB_28, india), Ok(d(2024, 2, 29)));
        let india_midnight = LATE_FEB_28 - 5 * 3600; // 18:30 UTC
        assert_eq!(local_date(india_midnight - 1, india), Ok(d(2024, 2, 28)));
        assert_eq!(local_date(india_midnight, india), Ok(d(2024, 2, 29)));
    }

    #[test]
    fn non_leap_year_goes_to_march() {
        // 2023-02-28 23:30 UTC at +14 h is 1 March 2023.
        let t = LATE_FEB_28 - 365 * 86_400;
        assert_eq!(local_date(t, UtcOffset::UTC), Ok(d(2023, 2, 28)));
        assert_eq!(local_date(t, UtcOffset::from_minutes(840).unwrap()), Ok(d(2023, 3, 1)));
    }

    #[test]
    fn offsets_beyond_fourteen_hours_are_refused() {
        assert_eq!(UtcOffset::from_minutes(841), Err(TimeError::OffsetOutOfRange(841)));
        assert_eq!(UtcOffset::from_minutes(-841), Err(TimeError::OffsetOutOfRange(-841)));
        assert!(UtcOffset::from_minutes(-840).is_ok());
    }

    #[test]
    fn a_named_zone_follows_daylight_saving() {
        let ny = ShopZone::named("America/New_York", UtcOffset::UTC);
        assert!(matches!(ny, ShopZone::Iana(_)));
        // 2026-07-01 04:30 UTC is 00:30 on 1 July in New York (EDT, −4) — where the −5 h
        // Shopify reported in winter would still say 30 June.
        let july = Utc.with_ymd_and_hms(2026, 7, 1, 4, 30, 0).unwrap();
        assert_eq!(ny.local_date(july.timestamp()), Ok(d(2026, 7, 1)));
        assert_eq!(ShopZone::from(UtcOffset::from_minutes(-300).unwrap()).local_date(july.timestamp()), Ok(d(2026, 6, 30)));
        assert_eq!(ny.offset_at(july).minutes(), -240);
        assert_eq!(ny.local_hour(july), 0);
        // In January the same clock time is an hour later in UTC.
        let january = Utc.with_ymd_and_hms(2026, 1, 15, 4, 30, 0).unwrap();
        assert_eq!(ny.local_date(january.timestamp()), Ok(d(2026, 1, 14)));
        assert_eq!(ny.offset_at(january).minutes(), -300);
        // The southern hemisphere's summer is the other way round (Auckland +13 in January).
        let akl = ShopZone::named("Pacific/Auckland", UtcOffset::UTC);
        assert_eq!(akl.offset_at(january).minutes(), 13 * 60);
        assert_eq!(akl.offset_at(july).minutes(), 12 * 60);
        // An unknown name falls back to the offset Shopify reported.
        let fallback = UtcOffset::from_minutes(330).unwrap();
        assert_eq!(ShopZone::named("Mars/Olympus_Mons", fallback), ShopZone::Fixed(fallback));
        assert_eq!(ShopZone::named("", fallback), ShopZone::Fixed(fallback));
    }

    #[test]
    fn absurd_timestamps_are_errors_not_panics() {
        assert!(local_date(i64::MAX, UtcOffset::UTC).is_err());
        assert!(local_date(i64::MIN, UtcOffset::from_minutes(-840).unwrap()).is_err());
        assert!(ShopZone::named("Asia/Tokyo", UtcOffset::UTC).local_date(i64::MAX).is_err());
    }
}
