//! The supplier catalogue as CSV: what each supplier sells (by the shop's SKU), under its
//! own SKU, at what unit cost, in what minimum and case. Imported whole or not at all: a
//! wrong header is refused with the expected one shown, and every bad row is reported
//! with its line number before anything is stored.

use super::terms::SupplyTerms;
use crate::engine::reorder::{self, csv_text as cell};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

/// The header, exactly (case and spaces around names aside).
pub const CATALOGUE_HEADER: &str = "supplier,sku,supplier_sku,unit_cost,moq,case_pack";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueRow {
    pub supplier: String,
    /// The shop's SKU of the variant.
    pub sku: String,
    pub supplier_sku: String,
    /// In the supplier's currency, hundredths; `None` when left empty.
    pub unit_cost_cents: Option<i64>,
    pub terms: SupplyTerms,
}

/// A refused row (line 1 is the header).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub line: usize,
    pub message: String,
}

/// Parses the whole file; `Err` lists every problem, and then no row may be stored.
pub fn parse_catalogue(text: &str) -> Result<Vec<CatalogueRow>, Vec<RowError>> {
    parse_catalogue_lines(text).map(|rows| rows.into_iter().map(|(_, r)| r).collect())
}

/// As `parse_catalogue`, each row with its line number (for errors found later, such as a
/// SKU the shop does not have). A variant is ordered from one supplier: a SKU twice is an
/// error.
pub fn parse_catalogue_lines(text: &str) -> Result<Vec<(usize, CatalogueRow)>, Vec<RowError>> {
    let (mut rows, mut errors, mut seen) = (Vec::new(), Vec::new(), HashSet::new());
    for (line, fields) in data_rows(text, CATALOGUE_HEADER)? {
        match row(&fields) {
            Ok(r) if !seen.insert(r.sku.clone()) => {
                errors.push(RowError { line, message: format!("SKU {} appears twice; a variant is ordered from one supplier.", r.sku) })
            }
            Ok(r) => rows.push((line, r)),
            Err(message) => errors.push(RowError { line, message }),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// Each row's variant, from the shop's (SKU, variant id) pairs; a SKU the shop does not
/// have, or has on several variants, is an error at its line.
pub fn match_variants(rows: Vec<(usize, CatalogueRow)>, variants: &[(String, i64)]) -> Result<Vec<(CatalogueRow, i64)>, Vec<RowError>> {
    let mut by_sku: HashMap<&str, Vec<i64>> = HashMap::new();
    for (sku, id) in variants {
        by_sku.entry(sku.as_str()).or_default().push(*id);
    }
    let (mut out, mut errors) = (Vec::new(), Vec::new());
    for (line, r) in rows {
        match by_sku.get(r.sku.as_str()).map(Vec::as_slice) {
            Some([id]) => out.push((r, *id)),
            Some(ids) if ids.len() > 1 => errors.push(RowError {
                line,
                message: format!("SKU {} is on {} variants of the shop; give each a SKU of its own in Shopify.", r.sku, ids.len()),
            }),
            _ => errors.push(RowError { line, message: format!("No variant of the shop has SKU {}.", r.sku) }),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn row(f: &[String]) -> Result<CatalogueRow, String> {
    if f.len() != 6 {
        return Err(format!("{} fields; a row has 6 ({CATALOGUE_HEADER}).", f.len()));
    }
    let text = |i: usize| f[i].trim().to_string();
    let (supplier, sku) = (text(0), text(1));
    if supplier.is_empty() {
        return Err("The supplier is empty.".into());
    }
    if sku.is_empty() {
        return Err("The SKU is empty.".into());
    }
    let unit_cost_cents = match text(3) {
        c if c.is_empty() => None,
        c => match crate::money::parse_cents(&c) {
            Some(v) if v >= 0 => Some(v),
            _ => return Err(format!("Unit cost \"{c}\" is not an amount like 12.50.")),
        },
    };
    let count = |i: usize, what: &str| -> Result<u32, String> {
        let t = text(i);
        if t.is_empty() {
            return Ok(1);
        }
        match t.parse::<u32>() {
            Ok(0) => Err(format!("The {what} must be at least 1.")),
            Ok(n) => Ok(n),
            Err(_) => Err(format!("The {what} \"{t}\" is not a whole number.")),
        }
    };
    let terms = SupplyTerms { moq: count(4, "minimum order quantity")?, case_pack: count(5, "case pack")? };
    Ok(CatalogueRow { supplier, sku, supplier_sku: text(2), unit_cost_cents, terms })
}

/// The rows of a CSV file under exactly `header` (case and spaces around names aside), with
/// their line numbers, blank rows left out; a missing or wrong header refuses the file
/// whole, the expected header shown.
pub(crate) fn data_rows(text: &str, header: &str) -> Result<Vec<(usize, Vec<String>)>, Vec<RowError>> {
    let mut it = records(text).map_err(|e| vec![e])?.into_iter();
    let Some((_, first)) = it.next() else {
        return Err(vec![RowError { line: 1, message: format!("The file is empty. Expected the header: {header}") }]);
    };
    let names: Vec<String> = first.iter().map(|h| h.trim().to_ascii_lowercase()).collect();
    if names.join(",") != header {
        return Err(vec![RowError { line: 1, message: format!("Wrong header \"{}\". Expected: {header}", first.join(",")) }]);
    }
    Ok(it.filter(|(_, fields)| !fields.iter().all(|f| f.trim().is_empty())).collect())
}

/// RFC 4180 records with their starting line numbers: quoted fields may hold commas,
/// doubled quotes and line breaks; CRLF and LF both end a record.
fn records(text: &str) -> Result<Vec<(usize, Vec<String>)>, RowError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (mut out, mut fields, mut field) = (Vec::new(), Vec::new(), String::new());
    let (mut line, mut start, mut quoted, mut any) = (1usize, 1usize, false, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => fields.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                fields.push(std::mem::take(&mut field));
                out.push((start, std::mem::take(&mut fields)));
                line += 1;
                start = line;
                any = false;
                continue;
            }
            (false, c) => field.push(c),
        }
        any = true;
    }
    if quoted {
        return Err(RowError { line: start, message: "A quoted field is never closed.".into() });
    }
    if any || !fields.is_empty() {
        fields.push(field);
        out.push((start, fields));
    }
    Ok(out)
}

/// The catalogue as CSV (the import's own format, so an export edited and imported round
/// trips). Text that a spreadsheet would run as a formula gets a leading `'`.
pub fn write_catalogue(rows: &[CatalogueRow]) -> String {
    let mut out = format!("{CATALOGUE_HEADER}\r\n");
    for r in rows {
        let cost = r.unit_cost_cents.map(reorder::money);
        let _ = write!(
            out,
            "{},{},{},{},{},{}\r\n",
            cell(&r.supplier),
            cell(&r.sku),
            cell(&r.supplier_sku),
            cost.unwrap_or_default(),
            r.terms.moq,
            r.terms.case_pack
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_meet_the_shops_variants_by_sku() {
        let csv = "supplier,sku,supplier_sku,unit_cost,moq,case_pack\nAcme,A-1,x,1,1,1\nAcme,GONE,x,1,1,1\nZeta,DUP,y,2,1,1\n";
        let rows = parse_catalogue_lines(csv).unwrap();
        let shop = [("A-1".to_string(), 11), ("DUP".to_string(), 21), ("DUP".to_string(), 22)];
        let errs = match_variants(rows.clone(), &shop).unwrap_err();
        assert_eq!(errs.iter().map(|e| e.line).collect::<Vec<_>>(), [3, 4]);
        assert!(errs[0].message.contains("No variant of the shop has SKU GONE"));
        assert!(errs[1].message.contains("on 2 variants"));
        let ok = match_variants(rows[..1].to_vec(), &shop).unwrap();
        assert_eq!(ok[0].1, 11);
        // The same SKU from two suppliers: one variant, one supplier.
        let twice = parse_catalogue_lines("supplier,sku,supplier_sku,unit_cost,moq,case_pack\nAcme,A-1,,,,\nZeta,A-1,,,,\n").unwrap_err();
        assert_eq!(twice[0].line, 3);
    }

    #[test]
    fn a_valid_file_imports_every_row() {
        let csv = "supplier,sku,supplier_sku,unit_cost,moq,case_pack\r\n\
                   Summit Supply,TS-BLK-M,SS-1001,4.20,24,12\r\n\
                   \"Peak, Inc.\",CAP-01,,3,,\r\n\
                   \r\n";
        let rows = parse_catalogue(csv).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].terms, SupplyTerms { moq: 24, case_pack: 12 });
        assert_eq!(rows[0].unit_cost_cents, Some(420));
        assert_eq!((rows[1].supplier.as_str(), rows[1].unit_cost_cents, rows[1].terms), ("Peak, Inc.", Some(300), SupplyTerms::NONE));
        // The export imports back to the same rows.
        assert_eq!(parse_catalogue(&write_catalogue(&rows)).unwrap(), rows);
    }

    #[test]
    fn a_wrong_header_is_refused_whole_with_the_expected_one() {
        let e = parse_catalogue("vendor,sku\nA,B\n").unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].line, 1);
        assert!(e[0].message.contains(CATALOGUE_HEADER), "{}", e[0].message);
        assert_eq!(parse_catalogue("").unwrap_err()[0].line, 1);
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line_and_nothing_is_kept() {
        let csv = "supplier,sku,supplier_sku,unit_cost,moq,case_pack\n\
                   A,SKU1,,1.00,0,1\n\
                   A,SKU2,,abc,1,1\n\
                   A,SKU3,,1.00,1,0\n\
                   ,SKU4,,1.00,1,1\n\
                   A,SKU5,,1.00,1,1\n\
                   a,SKU5,,1.00,1,1\n\
                   A,SKU6,,1.00\n\
                   A,SKU7,,-2.00,1,1\n";
        let e = parse_catalogue(csv).unwrap_err();
        let lines: Vec<usize> = e.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 5, 7, 8, 9], "{e:?}");
        assert!(e[0].message.contains("minimum order quantity must be at least 1"));
        assert!(e[2].message.contains("case pack must be at least 1"));
        assert!(e[4].message.contains("twice"));
    }

    #[test]
    fn quoted_fields_keep_commas_quotes_and_line_breaks_and_count_lines() {
        let csv = "supplier,sku,supplier_sku,unit_cost,moq,case_pack\n\"Two\nLines\",\"A \"\"B\"\"\",x,1,1,1\nbad\n";
        let e = parse_catalogue(csv).unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].line, 4, "the row after a two-line field starts on line 4");
        let ok = parse_catalogue("supplier,sku,supplier_sku,unit_cost,moq,case_pack\n\"Two\nLines\",\"A \"\"B\"\"\",x,1,1,1").unwrap();
        assert_eq!((ok[0].supplier.as_str(), ok[0].sku.as_str()), ("Two\nLines", "A \"B\""));
        assert_eq!(parse_catalogue("supplier,sku,supplier_sku,unit_cost,moq,case_pack\n\"open").unwrap_err()[0].line, 2);
        assert!(!write_catalogue(&ok).contains('='));
        let formula = CatalogueRow {
            supplier: "=HYPERLINK()".into(),
            sku: "S".into(),
            supplier_sku: String::new(),
            unit_cost_cents: None,
            terms: SupplyTerms::NONE,
        };
        assert!(write_catalogue(&[formula]).contains("'=HYPERLINK()"));
    }
}
