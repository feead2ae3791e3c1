//! A purchase order as a PDF (A4, Helvetica — one of the fonts every PDF reader has, so
//! nothing is embedded and the file stays a few kilobytes), written with `pdf-writer`
//! (typst's). Text is Windows-1252 (the font's WinAnsi encoding): characters outside it
//! print as `?`.

use super::document::PurchaseOrderDoc;
use crate::money;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 48.0;
const ROW: f32 = 16.0;
/// Line rows that fit below the header on the first page, and on the pages after it.
const FIRST_PAGE_ROWS: usize = 34;
const PAGE_ROWS: usize = 44;

/// Columns: x of the left edge (text) or right edge (numbers).
const COL_CODE: f32 = MARGIN;
const COL_ITEM: f32 = MARGIN + 110.0;
const COL_QTY: f32 = MARGIN + 365.0;
const COL_COST: f32 = MARGIN + 430.0;
const COL_TOTAL: f32 = PAGE_W - MARGIN;

pub fn render(doc: &PurchaseOrderDoc) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let pages = paginate(doc.lines.len());
    let page_ids: Vec<Ref> = (0..pages.len()).map(|i| Ref::new(5 + 2 * i as i32)).collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids(page_ids.iter().copied()).count(pages.len() as i32);
    pdf.type1_font(regular).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold).base_font(Name(b"Helvetica-Bold")).encoding_predefined(Name(b"WinAnsiEncoding"));
    let count = pages.len();
    for (i, range) in pages.into_iter().enumerate() {
        let page_id = page_ids[i];
        let content_id = Ref::new(page_id.get() + 1);
        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H));
        page.parent(tree);
        page.contents(content_id);
        page.resources().fonts().pair(Name(b"F1"), regular).pair(Name(b"F2"), bold);
        page.finish();
        let mut c = Content::new();
        let mut y = PAGE_H - MARGIN;
        if i == 0 {
            y = header(&mut c, doc, y);
        } else {
            text(&mut c, true, 10.0, MARGIN, y, &format!("{} — continued", doc.po_number()));
            y -= 2.0 * ROW;
        }
        y = column_heads(&mut c, y);
        for line in &doc.lines[range] {
            let code = if line.supplier_sku.is_empty() { line.sku.as_str() } else { line.supplier_sku.as_str() };
            text(&mut c, false, 9.0, COL_CODE, y, &clip(code, 20));
            text(&mut c, false, 9.0, COL_ITEM, y, &clip(&line.title, 48));
            right(&mut c, false, 9.0, COL_QTY, y, &line.quantity.to_string());
            right(&mut c, false, 9.0, COL_COST, y, &money::plain(line.unit_cost_cents, &doc.currency));
            right(&mut c, false, 9.0, COL_TOTAL, y, &money::plain(line.total_cents(), &doc.currency));
            y -= ROW;
        }
        if i + 1 == count {
            y -= ROW / 2.0;
            rule(&mut c, y + ROW * 0.7);
            right(&mut c, true, 10.0, COL_QTY, y, &doc.units().to_string());
            text(&mut c, true, 10.0, COL_ITEM, y, "Total");
            right(&mut c, true, 10.0, COL_TOTAL, y, &format!("{} {}", money::plain(doc.total_cents(), &doc.currency), doc.currency));
            if !doc.notes.is_empty() {
                text(&mut c, false, 9.0, MARGIN, y - 2.0 * ROW, &clip(&format!("Notes: {}", doc.notes), 110));
            }
        }
        right(&mut c, false, 8.0, PAGE_W - MARGIN, MARGIN / 2.0, &format!("{} · page {} of {count}", doc.po_number(), i + 1));
        pdf.stream(content_id, &c.finish());
    }
    pdf.finish()
}

/// The first page's title block; returns where the table starts.
fn header(c: &mut Content, doc: &PurchaseOrderDoc, top: f32) -> f32 {
    let mut y = top;
    text(c, true, 18.0, MARGIN, y, &format!("Purchase order {}", doc.po_number()));
    y -= 2.0 * ROW;
    let expected = doc.expected_on.map_or_else(|| "to be confirmed".to_string(), |d| d.to_string());
    for (label, value) in [
        ("From", doc.shop_name.as_str()),
        ("To", doc.supplier.as_str()),
        ("Ship to", doc.ship_to.as_str()),
        ("Ordered", &doc.ordered_on.to_string()),
        ("Expected delivery", &expected),
        ("Currency", doc.currency.as_str()),
    ] {
        text(c, true, 10.0, MARGIN, y, label);
        text(c, false, 10.0, MARGIN + 110.0, y, &clip(value, 70));
        y -= ROW;
    }
    y - ROW
}

fn column_heads(c: &mut Content, y: f32) -> f32 {
    text(c, true, 9.0, COL_CODE, y, "Code");
    text(c, true, 9.0, COL_ITEM, y, "Item");
    right(c, true, 9.0, COL_QTY, y, "Qty");
    right(c, true, 9.0, COL_COST, y, "Unit cost");
    right(c, true, 9.0, COL_TOTAL, y, "Line total");
    rule(c, y - 5.0);
    y - ROW - 2.0
}

/// Which lines go on which page.
fn paginate(lines: usize) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::with_capacity(1 + lines / PAGE_ROWS);
    out.push(0..lines.min(FIRST_PAGE_ROWS));
    let mut start = FIRST_PAGE_ROWS;
    while start < lines {
        out.push(start..(start + PAGE_ROWS).min(lines));
        start += PAGE_ROWS;
    }
    out
}

fn text(c: &mut Content, bold: bool, size: f32, x: f32, y: f32, s: &str) {
    c.begin_text();
    c.set_font(Name(if bold { b"F2" } else { b"F1" }), size);
    c.next_line(x, y);
    c.show(Str(&win_ansi(s)));
    c.end_text();
}

/// Right-aligned at `x`, by Helvetica's advance widths (digits, separators and capitals
/// are what these columns hold; other letters use an average).
fn right(c: &mut Content, bold: bool, size: f32, x: f32, y: f32, s: &str) {
    let width: f32 = s.chars().map(advance).sum::<f32>() * size / 1000.0;
    text(c, bold, size, x - width, y, s);
}

fn advance(ch: char) -> f32 {
    match ch {
        '0'..='9' => 556.0,
        '.' | ',' | ' ' => 278.0,
        '-' => 333.0,
        'A'..='Z' => 667.0,
        _ => 520.0,
    }
}

fn rule(c: &mut Content, y: f32) {
    c.set_line_width(0.5);
    c.move_to(MARGIN, y);
    c.line_to(PAGE_W - MARGIN, y);
    c.stroke();
}

/// At most `max` characters, with an ellipsis when cut.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// Windows-1252 bytes: Latin-1 as is, the typographic characters of 0x80–0x9F where they
/// live there, anything else `?`.
fn win_ansi(s: &str) -> Vec<u8> {
    s.chars()
        .map(|ch| match ch {
            '€' => 0x80,
            '‚' => 0x82,
            '„' => 0x84,
            '…' => 0x85,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '™' => 0x99,
            c if (c as u32) < 0x80 || (0xA0..=0xFF).contains(&(c as u32)) => c as u32 as u8,
            _ => b'?',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::purchasing::document::{tests::sample, DocLine};

    /// Whether the PDF shows `s`: text outside ASCII is written as a hex string.
    fn shows(pdf: &str, s: &str) -> bool {
        let bytes = win_ansi(s);
        if bytes.is_ascii() {
            return pdf.contains(&format!("({s})"));
        }
        let hex: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
        pdf.contains(&format!("<{hex}>")) || pdf.contains(&format!("<{}>", hex.to_lowercase()))
    }

    #[test]
    fn a_purchase_order_is_a_pdf_with_its_number_lines_and_total() {
        let bytes = render(&sample());
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(bytes.ends_with(b"%%EOF") || bytes.ends_with(b"%%EOF\n"));
        let text = String::from_utf8_lossy(&bytes);
        assert!(shows(&text, "Purchase order PO-0007"));
        assert!(text.contains("/Helvetica"));
        assert!(shows(&text, "AC-1"));
        assert!(shows(&text, "114.00 EUR"));
        // "—" as WinAnsi 0x97, not UTF-8.
        assert!(shows(&text, "Trail Tee, organic — M"));
        assert!(text.contains("/Count 1"));
    }

    #[test]
    fn long_orders_run_over_pages() {
        let mut doc = sample();
        doc.lines = (0..100)
            .map(|i| DocLine {
                sku: format!("SKU-{i}"),
                supplier_sku: String::new(),
                title: format!("Item {i}"),
                quantity: 1,
                unit_cost_cents: 100,
            })
            .collect();
        let text = String::from_utf8_lossy(&render(&doc)).into_owned();
        // 34 + 44 + 22.
        assert!(text.contains("/Count 3"));
        assert!(shows(&text, "PO-0007 · page 3 of 3"));
        assert_eq!(paginate(0), vec![0..0]);
        assert_eq!(paginate(34), vec![0..34]);
        assert_eq!(paginate(35), vec![0..34, 34..35]);
    }

    #[test]
    fn text_outside_windows_1252_prints_as_question_marks() {
        assert_eq!(win_ansi("Café – 5€ 日本"), b"Caf\xe9 \x96 5\x80 ??".to_vec());
        assert_eq!(clip("abcdef", 4), "abc…");
    }
}
