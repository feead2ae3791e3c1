//! A purchase order as the supplier receives it: the same content as a CSV (for their
//! system), a PDF (to read and print, `pdf::render`) and the email that carries both.

use super::order::po_number;
use crate::engine::reorder::csv_text as cell;
use crate::money;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocLine {
    pub sku: String,
    pub supplier_sku: String,
    /// "Product — Variant".
    pub title: String,
    pub quantity: u32,
    pub unit_cost_cents: i64,
}

impl DocLine {
    pub fn total_cents(&self) -> i64 {
        self.unit_cost_cents.saturating_mul(i64::from(self.quantity))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchaseOrderDoc {
    /// The shop's n-th order.
    pub number: u32,
    pub shop_name: String,
    pub supplier: String,
    /// Where the goods go.
    pub ship_to: String,
    pub currency: String,
    pub ordered_on: NaiveDate,
    pub expected_on: Option<NaiveDate>,
    pub notes: String,
    pub lines: Vec<DocLine>,
}

/// The PO CSV's columns.
pub const PO_CSV_HEADER: &str = "po_number,supplier_sku,sku,description,quantity,unit_cost,line_total,currency";

impl PurchaseOrderDoc {
    pub fn po_number(&self) -> String {
        po_number(self.number)
    }

    pub fn total_cents(&self) -> i64 {
        self.lines.iter().fold(0i64, |t, l| t.saturating_add(l.total_cents()))
    }

    pub fn units(&self) -> u64 {
        self.lines.iter().map(|l| u64::from(l.quantity)).sum()
    }

    /// "PO-0007-acme-wholesale": the attachments' file name without its extension.
    pub fn file_stem(&self) -> String {
        let slug: Vec<String> =
            self.supplier.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect();
        if slug.is_empty() {
            self.po_number()
        } else {
            format!("{}-{}", self.po_number(), slug.join("-"))
        }
    }

    /// RFC 4180, CRLF, one row per line; amounts as plain decimals in the order's currency.
    pub fn csv(&self) -> String {
        let mut out = format!("{PO_CSV_HEADER}\r\n");
        let number = self.po_number();
        for l in &self.lines {
            // Writing to a String cannot fail.
            let _ = write!(
                out,
                "{number},{},{},{},{},{},{},{}\r\n",
                cell(&l.supplier_sku),
                cell(&l.sku),
                cell(&l.title),
                l.quantity,
                money::plain(l.unit_cost_cents, &self.currency),
                money::plain(l.total_cents(), &self.currency),
                self.currency
            );
        }
        out
    }

    pub fn subject(&self) -> String {
        format!("Purchase order {} from {}", self.po_number(), self.shop_name)
    }

    /// The email's plain text: who orders what, and where it goes.
    pub fn email_text(&self) -> String {
        let mut out = format!(
            "Hello {},\n\nPlease find purchase order {} from {} attached (PDF, and CSV for your system).\n\nShip to: {}\nOrdered: {}\n",
            self.supplier,
            self.po_number(),
            self.shop_name,
            self.ship_to,
            self.ordered_on
        );
        if let Some(d) = self.expected_on {
            let _ = writeln!(out, "Expected delivery: {d}");
        }
        out.push('\n');
        for l in &self.lines {
            let code = if l.supplier_sku.is_empty() { &l.sku } else { &l.supplier_sku };
            let _ = writeln!(out, "{} × {} ({code}) at {}", l.quantity, l.title, money::format(l.unit_cost_cents, &self.currency));
        }
        let _ = writeln!(out, "\nTotal: {} units, {}", self.units(), money::format(self.total_cents(), &self.currency));
        if !self.notes.is_empty() {
            let _ = writeln!(out, "\nNotes: {}", self.notes);
        }
        let _ = write!(out, "\nPlease reply to confirm the order and its delivery date.\n\n{}\n", self.shop_name);
        out
    }

    /// The same as HTML (every merchant- or supplier-typed text escaped).
    pub fn email_html(&self) -> String {
        let e = crate::html::escape;
        let mut rows = String::new();
        for l in &self.lines {
            let _ = write!(
                rows,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td style=\"text-align:right\">{}</td><td style=\"text-align:right\">{}</td><td style=\"text-align:right\">{}</td></tr>",
                e(&l.supplier_sku),
                e(&l.sku),
                e(&l.title),
                l.quantity,
                e(&money::format(l.unit_cost_cents, &self.currency)),
                e(&money::format(l.total_cents(), &self.currency))
            );
        }
        let expected = self.expected_on.map(|d| format!("<br>Expected delivery: {d}")).unwrap_or_default();
        let notes = if self.notes.is_empty() { String::new() } else { format!("<p>Notes: {}</p>", e(&self.notes)) };
        format!(
            "<p>Hello {supplier},</p><p>Please find purchase order <strong>{number}</strong> from {shop} below and attached (PDF, and CSV for your system).</p>\
             <p>Ship to: {ship}<br>Ordered: {ordered}{expected}</p>\
             <table cellpadding=\"4\" style=\"border-collapse:collapse\"><thead><tr><th>Supplier SKU</th><th>SKU</th><th>Item</th><th>Qty</th><th>Unit cost</th><th>Total</th></tr></thead><tbody>{rows}</tbody></table>\
             <p><strong>Total: {units} units, {total}</strong></p>{notes}<p>Please reply to confirm the order and its delivery date.</p><p>{shop}</p>",
            supplier = e(&self.supplier),
            number = self.po_number(),
            shop = e(&self.shop_name),
            ship = e(&self.ship_to),
            ordered = self.ordered_on,
            units = self.units(),
            total = e(&money::format(self.total_cents(), &self.currency)),
        )
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn sample() -> PurchaseOrderDoc {
        PurchaseOrderDoc {
            number: 7,
            shop_name: "Demo Outfitters".into(),
            supplier: "Acme Wholesale & Co.".into(),
            ship_to: "Main warehouse".into(),
            currency: "EUR".into(),
            ordered_on: NaiveDate::from_ymd_opt(2026, 12, 6).unwrap(),
            expected_on: NaiveDate::from_ymd_opt(2026, 12, 20),
            notes: "Deliver <before> noon".into(),
            lines: vec![
                DocLine {
                    sku: "TEE-M".into(),
                    supplier_sku: "AC-1".into(),
                    title: "Trail Tee, organic — M".into(),
                    quantity: 12,
                    unit_cost_cents: 450,
                },
                DocLine {
                    sku: "=CAP".into(), supplier_sku: String::new(), title: "Cap — Red".into(), quantity: 6, unit_cost_cents: 1_000
                },
            ],
        }
    }

    #[test]
    fn the_csv_carries_every_line_with_its_totals_and_no_formulas() {
        let csv = sample().csv();
        assert_eq!(
            csv,
            "po_number,supplier_sku,sku,description,quantity,unit_cost,line_total,currency\r\n\
             PO-0007,AC-1,TEE-M,\"Trail Tee, organic — M\",12,4.50,54.00,EUR\r\n\
             PO-0007,,'=CAP,Cap — Red,6,10.00,60.00,EUR\r\n"
        );
        assert_eq!(sample().total_cents(), 11_400);
        assert_eq!(sample().file_stem(), "PO-0007-acme-wholesale-co");
    }

    #[test]
    fn the_email_names_the_order_and_escapes_what_people_typed() {
        let d = sample();
        assert_eq!(d.subject(), "Purchase order PO-0007 from Demo Outfitters");
        let text = d.email_text();
        assert!(text.contains("12 × Trail Tee, organic — M (AC-1) at €4.50"), "{text}");
        assert!(text.contains("Expected delivery: 2026-12-20"));
        assert!(text.contains("Total: 18 units, €114.00"));
        let html = d.email_html();
        assert!(html.contains("Acme Wholesale &amp; Co."));
        assert!(html.contains("Deliver &lt;before&gt; noon"));
        assert!(!html.contains("<before>"));
    }
}
