//! Shop-local dates. Sales are bucketed by the shop's calendar day, so a sale at 23:30 UTC
//! is "tomorrow" in Auckland and "today" in Honolulu. Shopify reports an order's instant in
//! UTC and the shop's current offset; the Worker passes the offset in minutes.

use chrono::{DateTime, Duration, NaiveDate};
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

/// The shop-local calendar day of a UTC instant given in Unix seconds.
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
    fn absurd_timestamps_are_errors_not_panics() {
        assert!(local_date(i64::MAX, UtcOffset::UTC).is_err());
        assert!(local_date(i64::MIN, UtcOffset::from_minutes(-840).unwrap()).is_err());
    }
}
