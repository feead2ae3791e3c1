//! Number formatting for the merchant's eyes.

/// Cents in the shop's currency (`domain::money`, the digest's formatter too).
pub fn money(cents: i64, currency: &str) -> String {
    domain::money::format(cents, currency)
}

pub use domain::money::group_thousands;

/// A CSV as a `data:` link: it downloads before hydration and inside the admin's iframe.
pub fn csv_data_href(csv: &str) -> String {
    format!("data:text/csv;charset=utf-8,{}", urlencoding::encode(csv))
}

pub fn per_day(v: f64) -> String {
    if v >= 10.0 {
        domain::numbers::fixed(v, 0)
    } else {
        domain::numbers::fixed(v, 1)
    }
}

pub fn days(cover: Option<f64>) -> String {
    match cover {
        None => "—".into(),
        Some(d) if d >= 999.0 => "999+".into(),
        Some(d) => domain::numbers::fixed(d, 0),
    }
}
