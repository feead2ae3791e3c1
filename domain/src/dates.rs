//! Dates as the merchant reads them, in English: "Dec 4", "Dec 4, 2026",
//! "Friday 4 December 2026". Written out rather than through chrono's `format`: these run
//! in the browser too, and chrono's strftime interpreter is a large part of the wasm for
//! three fixed patterns.

use chrono::{Datelike, NaiveDate};

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
}
