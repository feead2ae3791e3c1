//! Bundles and kits (issue 21, item 2). A bundle is a variant made of component variants,
//! each a number of times. Two sources:
//! - **Shopify bundles** (`ProductVariant.productVariantComponents`): Shopify splits a sold
//!   bundle into its component line items, so the components' own sales already hold the
//!   bundle's demand; only the list is needed (no alerts on the bundle, and which bundles
//!   drive a component).
//! - **A manual list** for other bundle apps, imported as CSV: those sell the bundle as a
//!   line item of its own, so its sales are added to its components' demand, times the
//!   quantity (the history read does it, `repo::alerts::history_compact`).
//!
//! Either way a bundle never alerts on stock of its own: what can run out is its components.

use crate::purchasing::catalogue_csv::{data_rows, RowError};
use std::collections::{HashMap, HashSet};

pub const BUNDLES_HEADER: &str = "bundle_sku,component_sku,quantity";

/// Components per bundle at most (Shopify's limit too).
pub const MAX_COMPONENTS: usize = 30;

/// One line of the manual list, SKUs as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleLine {
    pub bundle_sku: String,
    pub component_sku: String,
    pub quantity: u32,
}

/// One resolved pair: bundle variant, component variant, units of the component per bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Component {
    pub bundle_variant_id: i64,
    pub component_variant_id: i64,
    pub quantity: u32,
}

/// Parses the manual list; `Err` lists every problem with its line, and then nothing is
/// stored. A bundle that contains itself, a pair listed twice and a quantity that is not a
/// whole number from 1 to 1,000 are refused here; SKUs are resolved by `resolve`.
pub fn parse_lines(text: &str) -> Result<Vec<(usize, BundleLine)>, Vec<RowError>> {
    let (mut rows, mut errors, mut seen) = (Vec::new(), Vec::new(), HashSet::new());
    for (line, fields) in data_rows(text, BUNDLES_HEADER)? {
        let field = |i: usize| fields.get(i).map(|s| s.trim().to_string()).unwrap_or_default();
        let (bundle_sku, component_sku, qty) = (field(0), field(1), field(2));
        let mut err = |m: String| errors.push(RowError { line, message: m });
        if fields.len() != 3 {
            err(format!("Expected 3 fields ({BUNDLES_HEADER}), found {}.", fields.len()));
            continue;
        }
        if bundle_sku.is_empty() || component_sku.is_empty() {
            err("Both SKUs are needed.".into());
            continue;
        }
        if bundle_sku.eq_ignore_ascii_case(&component_sku) {
            err(format!("Bundle {bundle_sku} contains itself."));
            continue;
        }
        let Some(quantity) = qty.parse::<u32>().ok().filter(|q| (1..=1_000).contains(q)) else {
            err(format!("Quantity \"{qty}\" is not a whole number from 1 to 1000."));
            continue;
        };
        if !seen.insert((bundle_sku.clone(), component_sku.clone())) {
            err(format!("{component_sku} is listed twice in bundle {bundle_sku}; give its quantity once."));
            continue;
        }
        rows.push((line, BundleLine { bundle_sku, component_sku, quantity }));
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// Resolves SKUs to the shop's variants (`variants`: sku → ids) and checks the list as a
/// whole: every SKU names exactly one variant, a bundle is no component of another bundle
/// (no nesting, as in Shopify), a bundle has at most `MAX_COMPONENTS` components, and no
/// variant is a bundle of both sources (`shopify_bundles`: the variants Shopify says are bundles).
pub fn resolve(
    lines: &[(usize, BundleLine)],
    variants: &[(String, i64)],
    shopify_bundles: &HashSet<i64>,
) -> Result<Vec<Component>, Vec<RowError>> {
    let mut by_sku: HashMap<&str, Vec<i64>> = HashMap::new();
    for (sku, id) in variants {
        by_sku.entry(sku.as_str()).or_default().push(*id);
    }
    let (mut out, mut errors) = (Vec::new(), Vec::new());
    let one = |sku: &str, line: usize, errors: &mut Vec<RowError>| match by_sku.get(sku).map(Vec::as_slice) {
        Some([id]) => Some(*id),
        Some(ids) if ids.len() > 1 => {
            errors.push(RowError {
                line,
                message: format!("SKU {sku} is on {} variants of the shop; give each a SKU of its own in Shopify.", ids.len()),
            });
            None
        }
        _ => {
            errors.push(RowError { line, message: format!("No variant of the shop has the SKU {sku}.") });
            None
        }
    };
    let mut resolved = Vec::new();
    for (line, l) in lines {
        let b = one(&l.bundle_sku, *line, &mut errors);
        let c = one(&l.component_sku, *line, &mut errors);
        if let (Some(b), Some(c)) = (b, c) {
            resolved.push((*line, l, b, c));
        }
    }
    let bundles: HashSet<i64> = resolved.iter().map(|r| r.2).collect();
    let mut counts: HashMap<i64, usize> = HashMap::new();
    for (line, l, b, c) in resolved {
        if bundles.contains(&c) {
            errors.push(RowError {
                line,
                message: format!("{} is a bundle itself; a bundle's components are plain variants.", l.component_sku),
            });
        } else if shopify_bundles.contains(&b) {
            errors.push(RowError { line, message: format!("{} is a Shopify bundle; Shopify already lists its components.", l.bundle_sku) });
        } else {
            let n = counts.entry(b).or_default();
            *n += 1;
            if *n == MAX_COMPONENTS + 1 {
                errors.push(RowError { line, message: format!("Bundle {} has more than {MAX_COMPONENTS} components.", l.bundle_sku) });
            }
            out.push(Component { bundle_variant_id: b, component_variant_id: c, quantity: l.quantity });
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}

/// The manual list as the import takes it back (CRLF, cells quoted where needed).
pub fn list_csv(lines: &[BundleLine]) -> String {
    use crate::engine::reorder::csv_text as cell;
    let mut out = format!("{BUNDLES_HEADER}\r\n");
    for l in lines {
        out.push_str(&format!("{},{},{}\r\n", cell(&l.bundle_sku), cell(&l.component_sku), l.quantity));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variants() -> Vec<(String, i64)> {
        [("KIT", 1), ("TEE", 2), ("CAP", 3), ("GIFT", 4), ("DUP", 5), ("DUP", 6)].iter().map(|(s, i)| (s.to_string(), *i)).collect()
    }

    #[test]
    fn the_exported_list_imports_again() {
        let lines = parse_lines("bundle_sku,component_sku,quantity\nKIT,\"TEE, M\",2\n").unwrap();
        let back: Vec<BundleLine> = lines.into_iter().map(|(_, l)| l).collect();
        let again: Vec<BundleLine> = parse_lines(&list_csv(&back)).unwrap().into_iter().map(|(_, l)| l).collect();
        assert_eq!(again, back);
    }

    #[test]
    fn a_kit_resolves_to_its_components_with_quantities() {
        let lines = parse_lines("bundle_sku,component_sku,quantity\nKIT,TEE,2\nKIT,CAP,1\n\nGIFT,TEE,1\n").unwrap();
        let got = resolve(&lines, &variants(), &HashSet::new()).unwrap();
        assert_eq!(
            got,
            [
                Component { bundle_variant_id: 1, component_variant_id: 2, quantity: 2 },
                Component { bundle_variant_id: 1, component_variant_id: 3, quantity: 1 },
                Component { bundle_variant_id: 4, component_variant_id: 2, quantity: 1 },
            ]
        );
    }

    #[test]
    fn bad_lines_are_refused_each_with_its_line() {
        let errs = parse_lines("bundle_sku,component_sku,quantity\nKIT,KIT,1\nKIT,TEE,0\nKIT,TEE,two\nKIT,CAP,1\nKIT,CAP,3\n,TEE,1\n")
            .unwrap_err();
        let got: Vec<(usize, &str)> = errs.iter().map(|e| (e.line, e.message.as_str())).collect();
        assert_eq!(got[0], (2, "Bundle KIT contains itself."));
        assert_eq!((got[1].0, got[2].0, got[3].0, got[4].0), (3, 4, 6, 7));
        assert!(got[3].1.contains("listed twice"));
        assert!(parse_lines("sku,qty\nA,1").unwrap_err()[0].message.starts_with("Wrong header"));
    }

    #[test]
    fn unknown_nested_and_shopify_bundles_are_refused() {
        let lines = parse_lines("bundle_sku,component_sku,quantity\nKIT,NOPE,1\nKIT,GIFT,1\nGIFT,TEE,1\nTEE,CAP,1\nKIT,DUP,1\n").unwrap();
        let errs = resolve(&lines, &variants(), &HashSet::new()).unwrap_err();
        let msgs: Vec<String> = errs.iter().map(|e| format!("{}: {}", e.line, e.message)).collect();
        assert!(msgs.iter().any(|m| m == "2: No variant of the shop has the SKU NOPE."), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.starts_with("3: GIFT is a bundle itself")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.starts_with("4: TEE is a bundle itself")), "a component of one bundle may not be a bundle: {msgs:?}");
        assert!(msgs.iter().any(|m| m.starts_with("6: SKU DUP is on 2 variants")), "{msgs:?}");
        let lines = parse_lines("bundle_sku,component_sku,quantity\nKIT,TEE,1\n").unwrap();
        let errs = resolve(&lines, &variants(), &HashSet::from([1])).unwrap_err();
        assert!(errs[0].message.contains("is a Shopify bundle"));
    }

    #[test]
    fn at_most_thirty_components() {
        let mut text = String::from("bundle_sku,component_sku,quantity\n");
        let mut vars = vec![("KIT".to_string(), 0)];
        for i in 1..=31 {
            text.push_str(&format!("KIT,C{i},1\n"));
            vars.push((format!("C{i}"), i));
        }
        let errs = resolve(&parse_lines(&text).unwrap(), &vars, &HashSet::new()).unwrap_err();
        assert_eq!((errs.len(), errs[0].line), (1, 32));
    }
}
