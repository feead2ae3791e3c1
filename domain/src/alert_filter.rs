//! Which alerts the dashboard lists: the filters, search and page read from the URL query
//! string. Parsed once, here, so the page (to fill the form), the server function (to
//! query D1) and the links (to keep the filters) agree on every value.
//!
//! Parsing is lenient on purpose: a stale bookmark or a hand-edited URL with an unknown
//! kind or a page of "abc" still opens the dashboard, with that one filter dropped.

use crate::classes::{Abc, Xyz};
use crate::RiskKind;
use serde::{Deserialize, Serialize};

/// Alerts per page.
pub const PAGE_SIZE: u32 = 50;
/// Longer searches are cut here: product titles and SKUs are far shorter.
pub const MAX_SEARCH_CHARS: usize = 100;
/// Deep pages are slow with OFFSET; nobody pages 500,000 alerts by hand.
pub const MAX_PAGE: u32 = 10_000;

/// Which states to list. The default is what needs the merchant: open and acknowledged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StateFilter {
    #[default]
    Active,
    Open,
    Acknowledged,
    Snoozed,
}

impl StateFilter {
    pub const ALL: [StateFilter; 4] = [Self::Active, Self::Open, Self::Acknowledged, Self::Snoozed];

    /// The query-string value (`Active` is the default and is left out of URLs).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Open => "open",
            Self::Acknowledged => "acknowledged",
            Self::Snoozed => "snoozed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Active => "Open and acknowledged",
            Self::Open => "Open",
            Self::Acknowledged => "Acknowledged",
            Self::Snoozed => "Snoozed",
        }
    }

    /// The `alerts.state` values this filter lists.
    pub fn states(self) -> &'static [&'static str] {
        match self {
            Self::Active => &["open", "acknowledged"],
            Self::Open => &["open"],
            Self::Acknowledged => &["acknowledged"],
            Self::Snoozed => &["snoozed"],
        }
    }

    /// Whether an alert in `state` (an `alerts.state` value) belongs in this list.
    pub fn includes(self, state: &str) -> bool {
        self.states().contains(&state)
    }
}

/// The dashboard's list, as the URL asks for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertFilter {
    pub kind: Option<RiskKind>,
    pub location: Option<i64>,
    pub vendor: Option<String>,
    pub product_type: Option<String>,
    pub state: StateFilter,
    /// Matched against product title, variant title and SKU.
    pub search: Option<String>,
    /// The variant's ABC class (by revenue) and XYZ class (by demand variability).
    pub abc: Option<Abc>,
    pub xyz: Option<Xyz>,
    /// 1-based.
    pub page: u32,
}

impl Default for AlertFilter {
    fn default() -> Self {
        Self {
            kind: None,
            location: None,
            vendor: None,
            product_type: None,
            state: StateFilter::Active,
            search: None,
            abc: None,
            xyz: None,
            page: 1,
        }
    }
}

/// A text value trimmed, `None` when blank.
fn non_blank(v: &str) -> Option<String> {
    let v = v.trim();
    (!v.is_empty()).then(|| v.to_string())
}

impl AlertFilter {
    /// From decoded query-string pairs (`kind`, `location`, `vendor`, `product_type`,
    /// `state`, `q`, `abc`, `xyz`, `page`); unknown keys and malformed values are ignored.
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(pairs: impl IntoIterator<Item = (K, V)>) -> Self {
        let mut f = Self::default();
        for (k, v) in pairs {
            let v = v.as_ref();
            match k.as_ref() {
                "kind" => f.kind = RiskKind::parse(v.trim()),
                "location" => f.location = v.trim().parse().ok().filter(|id: &i64| *id > 0),
                "vendor" => f.vendor = non_blank(v),
                "product_type" => f.product_type = non_blank(v),
                "state" => f.state = StateFilter::parse(v.trim()).unwrap_or_default(),
                "q" => f.search = non_blank(v).map(|s| s.chars().take(MAX_SEARCH_CHARS).collect::<String>().trim().to_string()),
                "page" => f.page = v.trim().parse::<u32>().map_or(1, |p| p.clamp(1, MAX_PAGE)),
                "abc" => f.abc = Abc::parse(v),
                "xyz" => f.xyz = Xyz::parse(v),
                _ => {}
            }
        }
        f
    }

    /// The canonical query-string pairs (undecoded values; the caller encodes them),
    /// leaving out defaults so URLs stay short. `from_pairs(to_pairs())` is the identity.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(k) = self.kind {
            out.push(("kind", k.as_str().to_string()));
        }
        if let Some(l) = self.location {
            out.push(("location", l.to_string()));
        }
        if let Some(v) = &self.vendor {
            out.push(("vendor", v.clone()));
        }
        if let Some(t) = &self.product_type {
            out.push(("product_type", t.clone()));
        }
        if self.state != StateFilter::Active {
            out.push(("state", self.state.as_str().to_string()));
        }
        if let Some(q) = &self.search {
            out.push(("q", q.clone()));
        }
        if let Some(c) = self.abc {
            out.push(("abc", c.as_str().to_string()));
        }
        if let Some(c) = self.xyz {
            out.push(("xyz", c.as_str().to_string()));
        }
        if self.page > 1 {
            out.push(("page", self.page.to_string()));
        }
        out
    }

    /// Whether anything narrows the list (the page number does not).
    pub fn is_narrowed(&self) -> bool {
        Self { page: 1, ..self.clone() } != Self::default()
    }

    pub fn with_page(&self, page: u32) -> Self {
        Self { page: page.clamp(1, MAX_PAGE), ..self.clone() }
    }

    /// Rows to skip for this page.
    pub fn offset(&self) -> u32 {
        (self.page.max(1) - 1) * PAGE_SIZE
    }

    /// The search as a SQL `LIKE` pattern (escape character `\`): a substring match with
    /// the merchant's `%` and `_` taken literally.
    pub fn like_pattern(&self) -> Option<String> {
        self.search.as_ref().map(|s| {
            let mut p = String::with_capacity(s.len() + 2);
            p.push('%');
            for c in s.chars() {
                if matches!(c, '%' | '_' | '\\') {
                    p.push('\\');
                }
                p.push(c);
            }
            p.push('%');
            p
        })
    }
}

/// Pages needed for `total` alerts (at least one, so "page 1 of 1" reads right when empty).
pub fn page_count(total: u32) -> u32 {
    total.div_ceil(PAGE_SIZE).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_every_filter_from_the_query_string() {
        let f = AlertFilter::from_pairs([
            ("kind", "low_stock"),
            ("location", "42"),
            ("vendor", " Summit Supply "),
            ("product_type", "Cap"),
            ("state", "snoozed"),
            ("q", "  tee "),
            ("page", "3"),
            ("shop", "ignored.myshopify.com"),
        ]);
        assert_eq!(f.kind, Some(RiskKind::LowStock));
        assert_eq!(f.location, Some(42));
        assert_eq!(f.vendor.as_deref(), Some("Summit Supply"));
        assert_eq!(f.product_type.as_deref(), Some("Cap"));
        assert_eq!(f.state, StateFilter::Snoozed);
        assert_eq!(f.search.as_deref(), Some("tee"));
        assert_eq!(f.page, 3);
        assert_eq!(f.offset(), 100);
        assert!(f.is_narrowed());
    }

    #[test]
    fn blank_and_malformed_values_fall_back_to_the_defaults() {
        // What a GET form sends when nothing is chosen, plus hand-edited junk.
        let f = AlertFilter::from_pairs([
            ("kind", ""),
            ("location", "-1"),
            ("vendor", "  "),
            ("product_type", ""),
            ("state", "resolved"),
            ("q", ""),
            ("page", "0"),
        ]);
        assert_eq!(f, AlertFilter::default());
        assert!(!f.is_narrowed());
        assert_eq!(AlertFilter::from_pairs([("page", "abc")]).page, 1);
        assert_eq!(AlertFilter::from_pairs([("page", "99999999")]).page, MAX_PAGE);
        assert_eq!(AlertFilter::from_pairs([("kind", "sold_out")]).kind, None);
        assert!(!AlertFilter::default().with_page(4).is_narrowed(), "a page number alone narrows nothing");
    }

    #[test]
    fn long_searches_are_cut() {
        let long = "x".repeat(500);
        let f = AlertFilter::from_pairs([("q", long.as_str())]);
        assert_eq!(f.search.map(|s| s.chars().count()), Some(MAX_SEARCH_CHARS));
    }

    #[test]
    fn search_wildcards_are_literal() {
        let f = AlertFilter::from_pairs([("q", "50%_off\\")]);
        assert_eq!(f.like_pattern().as_deref(), Some("%50\\%\\_off\\\\%"));
        assert_eq!(AlertFilter::default().like_pattern(), None);
    }

    #[test]
    fn default_state_lists_open_and_acknowledged_only() {
        let s = StateFilter::default();
        assert!(s.includes("open") && s.includes("acknowledged"));
        assert!(!s.includes("snoozed") && !s.includes("resolved"));
        assert!(StateFilter::Snoozed.includes("snoozed"));
        assert!(!StateFilter::Open.includes("acknowledged"));
    }

    #[test]
    fn pages_round_up() {
        assert_eq!(page_count(0), 1);
        assert_eq!(page_count(50), 1);
        assert_eq!(page_count(51), 2);
        assert_eq!(page_count(50_000), 1000);
    }

    proptest! {
        #[test]
        fn the_canonical_pairs_parse_back_to_the_same_filter(
            kind in proptest::option::of(0usize..5),
            location in proptest::option::of(1i64..1_000_000_000_000),
            vendor in proptest::option::of("[A-Za-z][A-Za-z &%_]{0,20}[a-z]"),
            search in proptest::option::of("[a-z0-9][a-z0-9 -]{0,30}[a-z0-9]"),
            state in 0usize..4,
            page in 1u32..MAX_PAGE,
            abc in proptest::option::of(0usize..3),
            xyz in proptest::option::of(0usize..3),
        ) {
            let f = AlertFilter {
                kind: kind.map(|i| RiskKind::ALL[i]),
                location,
                vendor,
                product_type: None,
                state: StateFilter::ALL[state],
                search,
                abc: abc.map(|i| Abc::ALL[i]),
                xyz: xyz.map(|i| Xyz::ALL[i]),
                page,
            };
            prop_assert_eq!(AlertFilter::from_pairs(f.to_pairs()), f);
        }
    }
}
