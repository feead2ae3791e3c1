//! Number formatting for the merchant's eyes.

/// `1234567` cents in USD → `$12,345.67`; other currencies carry their code.
pub fn money(cents: i64, currency: &str) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    let whole = group_thousands(cents / 100);
    let frac = cents % 100;
    match currency {
        "USD" | "CAD" | "AUD" => format!("{sign}${whole}.{frac:02}"),
        "EUR" => format!("{sign}€{whole}.{frac:02}"),
        "GBP" => format!("{sign}£{whole}.{frac:02}"),
        code => format!("{sign}{whole}.{frac:02} {code}"),
    }
}

pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
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
