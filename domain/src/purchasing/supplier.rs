//! A supplier's details as the merchant types them, checked field by field: a bad email or
//! currency is refused at its field and nothing is saved.

use crate::settings::FieldError;
use serde::{Deserialize, Serialize};

/// The supplier form, as posted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplierInput {
    pub name: String,
    pub email: String,
    pub phone: String,
    /// ISO 4217 code, or empty for the shop's currency.
    pub currency: String,
    /// A decimal amount in the supplier's currency, or empty for none.
    pub min_order: String,
    pub notes: String,
}

/// What is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplierDetails {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub currency: Option<String>,
    pub min_order_cents: i64,
    pub notes: String,
}

/// Longest name, email, phone; notes may be longer.
const MAX_FIELD: usize = 200;
const MAX_NOTES: usize = 2000;

impl SupplierInput {
    pub fn parse(&self) -> Result<SupplierDetails, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = self.name.trim();
        if name.is_empty() {
            errors.push(FieldError::new("name", "Enter the supplier's name."));
        }
        let email = self.email.trim();
        if !email.is_empty() && !is_email(email) {
            errors.push(FieldError::new("email", "Enter an email address like orders@supplier.com, or leave it empty."));
        }
        let currency = self.currency.trim().to_ascii_uppercase();
        let iso = currency.len() == 3 && currency.bytes().all(|b| b.is_ascii_uppercase());
        if !currency.is_empty() && !iso {
            errors.push(FieldError::new("currency", "Enter a three-letter currency code such as USD or EUR, or leave it empty."));
        }
        let min_order = self.min_order.trim();
        let min_order_cents = if min_order.is_empty() {
            0
        } else {
            match crate::money::parse_cents(min_order) {
                Some(c) if c >= 0 => c,
                _ => {
                    errors.push(FieldError::new("min_order", "Enter an amount such as 250 or 250.00, or leave it empty."));
                    0
                }
            }
        };
        for (field, value, max) in [("name", name, MAX_FIELD), ("email", email, MAX_FIELD), ("phone", self.phone.trim(), MAX_FIELD)] {
            if value.chars().count() > max {
                errors.push(FieldError::new(field, format!("Keep it under {max} characters.")));
            }
        }
        if self.notes.chars().count() > MAX_NOTES {
            errors.push(FieldError::new("notes", format!("Keep notes under {MAX_NOTES} characters.")));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(SupplierDetails {
            name: name.to_string(),
            email: email.to_string(),
            phone: self.phone.trim().to_string(),
            currency: (!currency.is_empty()).then_some(currency),
            min_order_cents,
            notes: self.notes.trim().to_string(),
        })
    }
}

/// One address, as a mail transport takes it: `local@domain.tld`, no spaces, no second `@`,
/// no list separators (a supplier's order goes to one mailbox).
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    let labels: Vec<&str> = domain.split('.').collect();
    !local.is_empty()
        && local.len() <= 64
        && !s.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, ',' | ';' | '<' | '>' | '"' | '(' | ')'))
        && !domain.contains('@')
        && labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'))
        && labels.last().is_some_and(|tld| tld.len() >= 2 && tld.chars().all(char::is_alphabetic))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(email: &str, currency: &str, min_order: &str) -> SupplierInput {
        SupplierInput {
            name: " Acme Wholesale ".into(),
            email: email.into(),
            currency: currency.into(),
            min_order: min_order.into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_supplier_is_trimmed_and_normalised() {
        let d = input("orders@acme.example", "eur", "250.5").parse().unwrap();
        assert_eq!(d.name, "Acme Wholesale");
        assert_eq!(d.currency.as_deref(), Some("EUR"));
        assert_eq!(d.min_order_cents, 25_050);
        let d = input("", "", "").parse().unwrap();
        assert_eq!((d.email.as_str(), d.currency, d.min_order_cents), ("", None, 0));
    }

    #[test]
    fn bad_fields_are_refused_each_at_its_field() {
        let errs = SupplierInput {
            name: "  ".into(),
            email: "orders at acme".into(),
            currency: "EURO".into(),
            min_order: "-5".into(),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "email", "currency", "min_order"]);
    }

    #[test]
    fn emails() {
        for ok in ["a@b.co", "orders+po@acme-supply.example.com", "x.y@sub.domain.org"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in
            ["", "acme", "@acme.com", "a@", "a@b", "a@b.c", "a b@c.com", "a@b@c.com", "a@-b.com", "a@b..com", "a@b.com, c@d.com", "a@b.c0m"]
        {
            assert!(!is_email(bad), "{bad}");
        }
    }
}

/// Where a variant is ordered from, as the variant page's form posts it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemInput {
    /// A supplier id of the shop, or empty: back to the vendor's supplier.
    pub supplier_id: String,
    pub supplier_sku: String,
    /// A decimal amount in the supplier's currency, or empty.
    pub unit_cost: String,
    pub moq: String,
    pub case_pack: String,
    /// "on": every variant of the product is ordered from the same supplier (or, with no
    /// supplier chosen, goes back to its vendor's); the others keep their own terms.
    #[serde(default)]
    pub whole_product: String,
}

impl ItemInput {
    pub fn whole_product(&self) -> bool {
        self.whole_product == "on"
    }
}

/// A parsed catalogue entry for one variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemChoice {
    pub supplier_id: i64,
    pub supplier_sku: String,
    pub unit_cost_cents: Option<i64>,
    pub terms: super::terms::SupplyTerms,
}

impl ItemInput {
    /// `Ok(None)`: no supplier chosen, the variant follows its vendor's. MOQ or case pack 0
    /// is refused at its field.
    pub fn parse(&self) -> Result<Option<ItemChoice>, Vec<FieldError>> {
        let id = self.supplier_id.trim();
        if id.is_empty() {
            return Ok(None);
        }
        let mut errors = Vec::new();
        let supplier_id = id.parse::<i64>().map_err(|_| FieldError::new("supplier_id", "Choose one of the shop's suppliers."));
        let unit_cost = self.unit_cost.trim();
        let unit_cost_cents = match unit_cost {
            "" => None,
            c => match crate::money::parse_cents(c) {
                Some(v) if v >= 0 => Some(v),
                _ => {
                    errors.push(FieldError::new("unit_cost", "Enter an amount such as 12.50, or leave it empty."));
                    None
                }
            },
        };
        let mut count = |field: &str, text: &str, what: &str| -> u32 {
            match text.trim() {
                "" => 1,
                t => match t.parse::<u32>() {
                    Ok(0) => {
                        errors.push(FieldError::new(field, format!("The {what} must be at least 1.")));
                        1
                    }
                    Ok(n) => n,
                    Err(_) => {
                        errors.push(FieldError::new(field, format!("Enter the {what} as a whole number.")));
                        1
                    }
                },
            }
        };
        let moq = count("moq", &self.moq, "minimum order quantity");
        let case_pack = count("case_pack", &self.case_pack, "case pack");
        let supplier_id = match supplier_id {
            Ok(id) => id,
            Err(e) => {
                errors.insert(0, e);
                0
            }
        };
        if self.supplier_sku.trim().chars().count() > MAX_FIELD {
            errors.push(FieldError::new("supplier_sku", format!("Keep it under {MAX_FIELD} characters.")));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Some(ItemChoice {
            supplier_id,
            supplier_sku: self.supplier_sku.trim().to_string(),
            unit_cost_cents,
            terms: super::terms::SupplyTerms { moq, case_pack },
        }))
    }
}

#[cfg(test)]
mod item_tests {
    use super::*;

    #[test]
    fn a_variants_supplier_terms_parse_and_zero_is_refused() {
        let input = |moq: &str, case: &str| ItemInput {
            supplier_id: "4".into(),
            supplier_sku: " NW-1 ".into(),
            unit_cost: "2.5".into(),
            moq: moq.into(),
            case_pack: case.into(),
            whole_product: String::new(),
        };
        let ok = input("", "12").parse().unwrap().unwrap();
        assert_eq!(
            (ok.supplier_id, ok.supplier_sku.as_str(), ok.unit_cost_cents, ok.terms.moq, ok.terms.case_pack),
            (4, "NW-1", Some(250), 1, 12)
        );
        let errs = input("0", "0").parse().unwrap_err();
        assert_eq!(errs.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["moq", "case_pack"]);
        assert_eq!(errs[1].message, "The case pack must be at least 1.");
        assert_eq!(ItemInput::default().parse(), Ok(None));
        assert_eq!(ItemInput { supplier_id: "x".into(), ..Default::default() }.parse().unwrap_err()[0].field, "supplier_id");
    }
}
