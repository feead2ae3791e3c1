//! Money as the merchant reads it, in the shop's currency (Shopify's `currencyCode`), and
//! Shopify's decimal amounts parsed. One home for both: the app's pages, the digest emails
//! and the catalogue import all use it.
//!
//! Amounts are stored in hundredths of the currency unit ("cents") everywhere. A currency
//! with no minor unit (JPY, KRW) is shown without decimals; one with three (KWD, BHD, JOD,
//! OMR, TND) is parsed to the nearest hundredth — a thousandth of a dinar does not change
//! a reorder decision — and shown with its three decimals.

/// How a currency is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Currency {
    /// Before the amount (`$`, `CA$`, `€`), or `None`: the ISO code after it (`1,234.50 SEK`).
    pub symbol: Option<&'static str>,
    /// Decimals shown: 0, 2 or 3.
    pub decimals: u8,
}

/// Symbols as merchants in English-speaking admins see them, distinct where a bare `$`
/// would be ambiguous (Shopify's admin writes CA$, A$, NZ$, MX$…).
const SYMBOLS: &[(&str, &str)] = &[
    ("USD", "$"),
    ("CAD", "CA$"),
    ("AUD", "A$"),
    ("NZD", "NZ$"),
    ("HKD", "HK$"),
    ("SGD", "SGD "),
    ("MXN", "MX$"),
    ("BRL", "R$"),
    ("EUR", "€"),
    ("GBP", "£"),
    ("JPY", "¥"),
    ("CNY", "CN¥"),
    ("KRW", "₩"),
    ("INR", "₹"),
    ("ILS", "₪"),
    ("VND", "₫"),
];

/// ISO 4217 currencies without a minor unit.
const ZERO_DECIMALS: &[&str] =
    &["JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF", "PYG", "RWF", "KMF", "GNF", "DJF", "VUV", "XPF", "BIF"];
/// ISO 4217 currencies with three decimals.
const THREE_DECIMALS: &[&str] = &["KWD", "BHD", "JOD", "OMR", "TND", "LYD", "IQD"];

impl Currency {
    pub fn of(code: &str) -> Self {
        let symbol = SYMBOLS.iter().find(|(c, _)| *c == code).map(|(_, s)| *s);
        let decimals = if ZERO_DECIMALS.contains(&code) {
            0
        } else if THREE_DECIMALS.contains(&code) {
            3
        } else {
            2
        };
        Self { symbol, decimals }
    }
}

/// `cents` (hundredths) in `currency`: `$12,345.67`, `CA$5.00`, `¥1,500`, `12.350 KWD`,
/// `1,234.50 SEK`; negatives lead with `-`.
pub fn format(cents: i64, currency: &str) -> String {
    let c = Currency::of(currency);
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let amount = match c.decimals {
        // Rounded to the unit, half away from zero.
        0 => group_thousands((abs + 50) / 100),
        3 => format!("{}.{:02}0", group_thousands(abs / 100), abs % 100),
        _ => format!("{}.{:02}", group_thousands(abs / 100), abs % 100),
    };
    match c.symbol {
        Some(s) => format!("{sign}{s}{amount}"),
        None => format!("{sign}{amount} {currency}"),
    }
}

/// `cents` as a bare decimal for files other systems read (CSV): no symbol, no grouping,
/// the currency's own decimals: `1234.50`, `1500` (JPY), `12.350` (KWD), `-0.05`.
pub fn plain(cents: i64, currency: &str) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    match Currency::of(currency).decimals {
        0 => format!("{sign}{}", (abs + 50) / 100),
        3 => format!("{sign}{}.{:02}0", abs / 100, abs % 100),
        _ => format!("{sign}{}.{:02}", abs / 100, abs % 100),
    }
}

/// `1234567` → `1,234,567`.
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

/// Parses Shopify's decimal money string (`"19.99"`, `"5"`, `"0.5"`, `"1500.0"`, a
/// three-decimal `"12.345"`) into hundredths, a third decimal rounded half away from zero.
/// Refuses more than three decimals, signs other than a leading minus, and anything else.
pub fn parse_cents(amount: &str) -> Option<i64> {
    let (neg, digits) = match amount.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, amount),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() || frac.len() > 3 || !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let thousandths: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<3}").parse().ok()? };
    let cents = whole.checked_mul(100)?.checked_add((thousandths + 5) / 10)?;
    Some(if neg { -cents } else { cents })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_amounts_for_files() {
        assert_eq!(plain(123_450, "USD"), "1234.50");
        assert_eq!(plain(150_000, "JPY"), "1500");
        assert_eq!(plain(1_235, "KWD"), "12.350");
        assert_eq!(plain(-5, "EUR"), "-0.05");
    }

    #[test]
    fn each_currency_reads_as_its_merchants_expect() {
        assert_eq!(format(1_234_567, "USD"), "$12,345.67");
        assert_eq!(format(500, "CAD"), "CA$5.00");
        assert_eq!(format(-5, "EUR"), "-€0.05");
        assert_eq!(format(150_000, "JPY"), "¥1,500");
        assert_eq!(format(150_050, "JPY"), "¥1,501");
        assert_eq!(format(1_235, "KWD"), "12.350 KWD");
        assert_eq!(format(123_450, "SEK"), "1,234.50 SEK");
        assert_eq!(format(0, "GBP"), "£0.00");
    }

    #[test]
    fn shopify_amounts_parse_to_hundredths() {
        assert_eq!(parse_cents("19.99"), Some(1999));
        assert_eq!(parse_cents("5"), Some(500));
        assert_eq!(parse_cents("0.5"), Some(50));
        assert_eq!(parse_cents("1500.0"), Some(150_000));
        assert_eq!(parse_cents("-0.05"), Some(-5));
        // Three-decimal currencies: rounded to the nearest hundredth.
        assert_eq!(parse_cents("12.345"), Some(1235));
        assert_eq!(parse_cents("12.344"), Some(1234));
        assert_eq!(parse_cents("-12.345"), Some(-1235));
        for bad in ["", "-", ".5", "1.2345", "+1", "1,000.00", "1e3", "12.3.4", "abc"] {
            assert_eq!(parse_cents(bad), None, "{bad}");
        }
        assert_eq!(parse_cents("99999999999999999999"), None);
    }
}
