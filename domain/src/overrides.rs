//! The merchant's overrides of the shop-wide settings: lead time, its variability and the
//! cover an order aims for (`SupplyOverrides`), minimum stock and the low, overstock and
//! dead-stock thresholds (`LimitOverrides`), set per vendor, supplier, product or variant.
//! Each field resolves on its own: the variant's value, else its product's, else its
//! supplier's, else its vendor's, else the shop's. Forms and CSV rows send text; parsing
//! yields an `Override` or a message per field (per line) and nothing saved.

use crate::engine::{LimitOverrides, SupplyOverrides};
use crate::purchasing::catalogue_csv::data_rows;
use crate::purchasing::RowError;
use crate::settings::FieldError;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

/// Which level an override applies to, broadest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Vendor,
    Supplier,
    Product,
    Variant,
}

impl Scope {
    pub const ALL: [Self; 4] = [Self::Vendor, Self::Supplier, Self::Product, Self::Variant];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Vendor => "vendor",
            Self::Supplier => "supplier",
            Self::Product => "product",
            Self::Variant => "variant",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Everything one override may set; `None` inherits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Override {
    pub supply: SupplyOverrides,
    pub limits: LimitOverrides,
}

impl Override {
    /// Sets nothing, so need not be stored (saving one removes the stored override).
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

pub mod bounds {
    pub const LEAD_TIME_DAYS: (u32, u32) = crate::settings::bounds::LEAD_TIME_DAYS;
    pub const LEAD_TIME_SD_DAYS: (f64, f64) = (0.0, 90.0);
    pub const TARGET_COVER_DAYS: (u32, u32) = (1, 365);
    pub const MIN_STOCK: (u32, u32) = (0, 1_000_000);
    pub const LOW_STOCK_DAYS: (u32, u32) = crate::settings::bounds::LOW_STOCK_DAYS;
    pub const OVERSTOCK_DAYS: (u32, u32) = crate::settings::bounds::OVERSTOCK_DAYS;
    pub const DEAD_STOCK_DAYS: (u32, u32) = crate::settings::bounds::DEAD_STOCK_DAYS;
}

/// One override as typed: each field may be left empty to inherit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OverrideInput {
    #[serde(default)]
    pub lead_time_days: String,
    #[serde(default)]
    pub lead_time_sd_days: String,
    #[serde(default)]
    pub target_cover_days: String,
    #[serde(default)]
    pub min_stock: String,
    #[serde(default)]
    pub low_stock_days: String,
    #[serde(default)]
    pub overstock_days: String,
    #[serde(default)]
    pub dead_stock_days: String,
}

/// The fields in form and CSV order, with how each reads to the merchant.
pub const FIELDS: [(&str, &str); 7] = [
    ("lead_time_days", "Lead time (days)"),
    ("lead_time_sd_days", "Lead-time variability (± days)"),
    ("target_cover_days", "An order covers (days)"),
    ("min_stock", "Minimum stock (units)"),
    ("low_stock_days", "Low stock below (days of cover)"),
    ("overstock_days", "Overstock above (days of cover)"),
    ("dead_stock_days", "Dead stock after (days without a sale)"),
];

impl OverrideInput {
    /// The override, or a message per field. All fields empty is valid: it removes the
    /// override. A low-stock threshold must stay under an overstock one set alongside it.
    pub fn parse(&self) -> Result<Override, Vec<FieldError>> {
        let mut errs = Vec::new();
        let mut whole = |field: &str, raw: &str, (lo, hi): (u32, u32), unit: &str| {
            let raw = raw.trim();
            if raw.is_empty() {
                return None;
            }
            match raw.parse::<u32>() {
                Ok(v) if (lo..=hi).contains(&v) => Some(v),
                _ => {
                    errs.push(FieldError::new(field, format!("Enter whole {unit} from {lo} to {hi}, or leave empty to inherit.")));
                    None
                }
            }
        };
        let lead_time_days = whole("lead_time_days", &self.lead_time_days, bounds::LEAD_TIME_DAYS, "days");
        let target_cover_days = whole("target_cover_days", &self.target_cover_days, bounds::TARGET_COVER_DAYS, "days");
        let min_stock = whole("min_stock", &self.min_stock, bounds::MIN_STOCK, "units");
        let low_stock_days = whole("low_stock_days", &self.low_stock_days, bounds::LOW_STOCK_DAYS, "days");
        let overstock_days = whole("overstock_days", &self.overstock_days, bounds::OVERSTOCK_DAYS, "days");
        let dead_stock_days = whole("dead_stock_days", &self.dead_stock_days, bounds::DEAD_STOCK_DAYS, "days");
        let sd = self.lead_time_sd_days.trim();
        let lead_time_sd_days = if sd.is_empty() {
            None
        } else {
            let (lo, hi) = bounds::LEAD_TIME_SD_DAYS;
            match sd.parse::<f64>() {
                Ok(v) if v.is_finite() && (lo..=hi).contains(&v) => Some(v),
                _ => {
                    errs.push(FieldError::new("lead_time_sd_days", format!("Enter days from {lo} to {hi}, or leave empty.")));
                    None
                }
            }
        };
        if let (Some(low), Some(over)) = (low_stock_days, overstock_days) {
            if low >= over {
                errs.push(FieldError::new("overstock_days", "Overstock must be above the low-stock threshold."));
            }
        }
        if !errs.is_empty() {
            return Err(errs);
        }
        Ok(Override {
            supply: SupplyOverrides { lead_time_days, lead_time_sd_days, review_period_days: None, target_cover_days },
            limits: LimitOverrides { min_stock, low_stock_days, overstock_days, dead_stock_days, service_level_pct: None },
        })
    }

    pub fn from_override(o: &Override) -> Self {
        let t = |v: Option<u32>| v.map(|d| d.to_string()).unwrap_or_default();
        Self {
            lead_time_days: t(o.supply.lead_time_days),
            lead_time_sd_days: o.supply.lead_time_sd_days.map(|d| d.to_string()).unwrap_or_default(),
            target_cover_days: t(o.supply.target_cover_days),
            min_stock: t(o.limits.min_stock),
            low_stock_days: t(o.limits.low_stock_days),
            overstock_days: t(o.limits.overstock_days),
            dead_stock_days: t(o.limits.dead_stock_days),
        }
    }

    /// The values in `FIELDS` order.
    pub fn values(&self) -> [&str; 7] {
        [
            &self.lead_time_days,
            &self.lead_time_sd_days,
            &self.target_cover_days,
            &self.min_stock,
            &self.low_stock_days,
            &self.overstock_days,
            &self.dead_stock_days,
        ]
    }

    fn from_values(v: &[String]) -> Self {
        let at = |i: usize| v.get(i).map(|s| s.trim().to_string()).unwrap_or_default();
        Self {
            lead_time_days: at(0),
            lead_time_sd_days: at(1),
            target_cover_days: at(2),
            min_stock: at(3),
            low_stock_days: at(4),
            overstock_days: at(5),
            dead_stock_days: at(6),
        }
    }
}

/// What a variant belongs to, for resolving its overrides.
#[derive(Debug, Clone, Copy)]
pub struct Owner<'a> {
    pub variant_id: i64,
    pub product_id: i64,
    /// Its supplier (from the catalogue, else its vendor's); `None` before suppliers exist.
    pub supplier_id: Option<i64>,
    pub vendor: &'a str,
}

/// A shop's overrides, resolved per variant field by field.
#[derive(Debug, Clone, Default)]
pub struct Book {
    vendor: HashMap<String, Override>,
    supplier: HashMap<i64, Override>,
    product: HashMap<i64, Override>,
    variant: HashMap<i64, Override>,
}

impl Book {
    /// Adds a stored row; a supplier, product or variant key that is not a number is skipped.
    pub fn insert(&mut self, scope: Scope, key: &str, o: Override) {
        match scope {
            Scope::Vendor => {
                self.vendor.insert(key.to_string(), o);
            }
            Scope::Supplier => {
                if let Ok(id) = key.parse() {
                    self.supplier.insert(id, o);
                }
            }
            Scope::Product => {
                if let Ok(id) = key.parse() {
                    self.product.insert(id, o);
                }
            }
            Scope::Variant => {
                if let Ok(id) = key.parse() {
                    self.variant.insert(id, o);
                }
            }
        }
    }

    /// The overrides that reach `owner`, narrowest first.
    fn chain(&self, owner: &Owner<'_>) -> [(Scope, Option<&Override>); 4] {
        [
            (Scope::Variant, self.variant.get(&owner.variant_id)),
            (Scope::Product, self.product.get(&owner.product_id)),
            (Scope::Supplier, owner.supplier_id.and_then(|s| self.supplier.get(&s))),
            (Scope::Vendor, self.vendor.get(owner.vendor)),
        ]
    }

    /// Field by field, the narrowest override that sets it.
    pub fn resolve(&self, owner: &Owner<'_>) -> Override {
        let chain = self.chain(owner);
        let pick = |f: &dyn Fn(&Override) -> Option<u32>| chain.iter().find_map(|(_, o)| o.and_then(f));
        Override {
            supply: SupplyOverrides {
                lead_time_days: pick(&|o| o.supply.lead_time_days),
                lead_time_sd_days: chain.iter().find_map(|(_, o)| o.and_then(|o| o.supply.lead_time_sd_days)),
                review_period_days: pick(&|o| o.supply.review_period_days),
                target_cover_days: pick(&|o| o.supply.target_cover_days),
            },
            limits: LimitOverrides {
                min_stock: pick(&|o| o.limits.min_stock),
                low_stock_days: pick(&|o| o.limits.low_stock_days),
                overstock_days: pick(&|o| o.limits.overstock_days),
                dead_stock_days: pick(&|o| o.limits.dead_stock_days),
                // Set per class by the recalculation, not by the merchant's overrides.
                service_level_pct: None,
            },
        }
    }

    /// Per field in `FIELDS` order, the level its value comes from (`None`: the shop's).
    pub fn sources(&self, owner: &Owner<'_>) -> [Option<Scope>; 7] {
        let chain = self.chain(owner);
        let mut out = [None; 7];
        for (i, slot) in out.iter_mut().enumerate() {
            *slot = chain.iter().find(|(_, o)| o.is_some_and(|o| !OverrideInput::from_override(o).values()[i].is_empty())).map(|(s, _)| *s);
        }
        out
    }
}

/// The CSV header, exactly (case and spaces around names aside).
pub const OVERRIDES_HEADER: &str =
    "scope,key,lead_time_days,lead_time_sd_days,target_cover_days,min_stock,low_stock_days,overstock_days,dead_stock_days";

/// One CSV row: what it applies to as the merchant names it — a vendor's name, a
/// supplier's name, a product's Shopify ID, a variant's SKU — and what it sets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverrideRow {
    pub line: usize,
    pub scope: Scope,
    pub name: String,
    pub o: Override,
}

/// Parses the whole file; `Err` lists every problem with its line, and then nothing may be
/// stored. A row with every value empty removes that override; one thing twice is an error.
pub fn parse_overrides(text: &str) -> Result<Vec<OverrideRow>, Vec<RowError>> {
    let (mut rows, mut errors, mut seen) = (Vec::new(), Vec::new(), HashSet::new());
    for (line, f) in data_rows(text, OVERRIDES_HEADER)? {
        let mut fail = |message: String| errors.push(RowError { line, message });
        if f.len() != 9 {
            fail(format!("{} fields; a row has 9 ({OVERRIDES_HEADER}).", f.len()));
            continue;
        }
        let Some(scope) = Scope::parse(&f[0].trim().to_ascii_lowercase()) else {
            fail(format!("Scope \"{}\" is not one of vendor, supplier, product, variant.", f[0].trim()));
            continue;
        };
        let name = f[1].trim().to_string();
        if name.is_empty() {
            fail(format!("The key is empty: give the {}.", key_kind(scope)));
            continue;
        }
        // Supplier names are unique whatever their case; vendors, SKUs and IDs match exactly.
        let seen_as = if scope == Scope::Supplier { name.to_lowercase() } else { name.clone() };
        if !seen.insert((scope, seen_as)) {
            fail(format!("{} {name} appears twice.", scope.as_str()));
            continue;
        }
        match OverrideInput::from_values(&f[2..]).parse() {
            Ok(o) => rows.push(OverrideRow { line, scope, name, o }),
            Err(es) => {
                for e in es {
                    let label = FIELDS.iter().find(|(k, _)| *k == e.field).map_or(e.field.as_str(), |(k, _)| k);
                    fail(format!("{label}: {}", e.message));
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// What the key column holds for a scope.
pub fn key_kind(scope: Scope) -> &'static str {
    match scope {
        Scope::Vendor => "vendor's name",
        Scope::Supplier => "supplier's name",
        Scope::Product => "product's Shopify ID",
        Scope::Variant => "variant's SKU",
    }
}

/// The CSV of `rows` (scope, the key as `parse_overrides` reads it, the override).
pub fn write_overrides<'a>(rows: impl IntoIterator<Item = (Scope, &'a str, &'a Override)>) -> String {
    use crate::engine::reorder::csv_text;
    let mut out = format!("{OVERRIDES_HEADER}\r\n");
    for (scope, key, o) in rows {
        let _ = write!(out, "{},{}", scope.as_str(), csv_text(key));
        for v in OverrideInput::from_override(o).values() {
            let _ = write!(out, ",{v}");
        }
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(values: [&str; 7]) -> OverrideInput {
        OverrideInput::from_values(&values.map(String::from))
    }

    #[test]
    fn a_form_inherits_empty_fields_and_refuses_out_of_range() {
        let o = input([" 21 ", "2.5", "", "4", "10", "", ""]).parse().unwrap();
        assert_eq!(
            o.supply,
            SupplyOverrides { lead_time_days: Some(21), lead_time_sd_days: Some(2.5), review_period_days: None, target_cover_days: None }
        );
        assert_eq!(o.limits, LimitOverrides { min_stock: Some(4), low_stock_days: Some(10), ..Default::default() });
        assert!(OverrideInput::default().parse().unwrap().is_empty());
        let errs = input(["181", "NaN", "0", "-1", "0", "800", "3"]).parse().unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "lead_time_days",
                "target_cover_days",
                "min_stock",
                "low_stock_days",
                "overstock_days",
                "dead_stock_days",
                "lead_time_sd_days"
            ]
        );
        let crossed = input(["", "", "", "", "60", "30", ""]).parse().unwrap_err();
        assert_eq!(crossed[0].field, "overstock_days");
        assert_eq!(OverrideInput::from_override(&o).values(), ["21", "2.5", "", "4", "10", "", ""]);
    }

    #[test]
    fn variant_beats_product_beats_supplier_beats_vendor_field_by_field() {
        let mut b = Book::default();
        let set = |lead: Option<u32>, cover: Option<u32>, min: Option<u32>| Override {
            supply: SupplyOverrides { lead_time_days: lead, target_cover_days: cover, ..Default::default() },
            limits: LimitOverrides { min_stock: min, ..Default::default() },
        };
        b.insert(Scope::Vendor, "Acme", set(Some(30), Some(60), Some(2)));
        b.insert(Scope::Supplier, "5", set(Some(20), None, None));
        b.insert(Scope::Product, "7", set(Some(14), None, None));
        b.insert(Scope::Variant, "70", set(None, None, Some(0)));
        b.insert(Scope::Variant, "not-a-number", set(Some(1), None, None));
        let owner = Owner { variant_id: 70, product_id: 7, supplier_id: Some(5), vendor: "Acme" };
        let r = b.resolve(&owner);
        assert_eq!(r.supply.lead_time_days, Some(14));
        assert_eq!(r.supply.target_cover_days, Some(60));
        assert_eq!(r.limits.min_stock, Some(0), "a variant's 0 clears its vendor's floor");
        let s = b.sources(&owner);
        assert_eq!(&s[..4], &[Some(Scope::Product), None, Some(Scope::Vendor), Some(Scope::Variant)]);
        let other = Owner { variant_id: 71, product_id: 8, supplier_id: Some(5), vendor: "Acme" };
        assert_eq!(b.resolve(&other).supply.lead_time_days, Some(20), "the supplier's beats the vendor's");
        let unsupplied = Owner { supplier_id: None, ..other };
        assert_eq!(b.resolve(&unsupplied).supply.lead_time_days, Some(30));
        let other_vendor = Owner { vendor: "acme", supplier_id: None, ..other };
        assert!(b.resolve(&other_vendor).is_empty(), "vendor names match exactly, as Shopify stores them");
    }

    #[test]
    fn csv_round_trips_and_reports_every_bad_line() {
        let o = input(["10", "1.5", "", "3", "", "", "120"]).parse().unwrap();
        let csv = write_overrides([(Scope::Vendor, "Acme, Inc.", &o), (Scope::Variant, "TEE-1", &Override::default())]);
        let rows = parse_overrides(&csv).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].scope, rows[0].name.as_str(), rows[0].o), (Scope::Vendor, "Acme, Inc.", o));
        assert!(rows[1].o.is_empty(), "an empty row removes the override");

        let wrong = parse_overrides("scope,key,lead_time\r\n").unwrap_err();
        assert!(wrong[0].message.contains(OVERRIDES_HEADER));
        let bad = format!("{OVERRIDES_HEADER}\nshop,x,,,,,,,\nvendor,,1,,,,,,\nvendor,Acme,abc,,,,,,\nvendor,acme,,,,,,,\nproduct,7,5,,,,,,\nproduct,7,6,,,,,,\nvariant,SKU,1\n");
        let errs = parse_overrides(&bad).unwrap_err();
        let lines: Vec<usize> = errs.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 7, 8]);
        assert!(errs[2].message.starts_with("lead_time_days: "));
    }
}
