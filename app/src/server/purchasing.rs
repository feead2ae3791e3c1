//! Purchasing's I/O: the reorder list per supplier (engine suggestions regrouped on the
//! suppliers' terms), purchase orders created from it, their documents, and sending them.

use super::context::internal;
use super::mail::{Attachment, Mailer, Message};
use super::repo::{purchase_orders, suppliers};
use crate::error::AppError;
use crate::wire::purchase_orders::{OrderHead, OrderLineRow, OrderPage};
use crate::wire::suppliers::SuppliersPage;
use base64::Engine as _;
use chrono::NaiveDate;
use domain::classes::Abc;
use domain::engine::{Assessment, Labels, SupplierOrder, TransferSuggestion};
use domain::purchasing::{DocLine, PurchaseOrderDoc};
use worker::D1Database;

/// What to order now, per supplier, for the shop (`api::reorder` and purchase orders alike);
/// with `abc`, only variants of that class, so a supplier's minimum order is met (or not)
/// by the lines the merchant is looking at.
pub async fn supplier_orders(
    db: &D1Database,
    shop_id: i64,
    currency: &str,
    cover_days: Option<u32>,
    abc: Option<Abc>,
    today: NaiveDate,
    now: &str,
) -> Result<Vec<SupplierOrder>, AppError> {
    let (labels, assessments) = labelled_assessments(db, shop_id, today).await?;
    let wanted = labels.iter().zip(assessments.iter()).filter(|(l, _)| abc.is_none() || l.abc == abc);
    let by_vendor = domain::engine::reorder_suggestions(wanted, cover_days, today);
    suppliers::ensure_vendor_suppliers(db, shop_id, now).await?;
    let variant_ids: Vec<i64> = by_vendor.iter().flat_map(|o| o.lines.iter().map(|l| l.variant_id)).collect();
    let book = suppliers::book(db, shop_id, &variant_ids).await?;
    Ok(domain::purchasing::by_supplier(by_vendor, &book, currency))
}

/// Stock one location can spare for another that is due to reorder it, today.
pub async fn transfer_suggestions(db: &D1Database, shop_id: i64, today: NaiveDate) -> Result<Vec<TransferSuggestion>, AppError> {
    let (labels, assessments) = labelled_assessments(db, shop_id, today).await?;
    Ok(domain::engine::suggest_transfers(labels.iter().zip(assessments.iter())))
}

/// Every position's assessment today with the names a purchase order or transfer shows.
async fn labelled_assessments(db: &D1Database, shop_id: i64, today: NaiveDate) -> Result<(Vec<Labels>, Vec<Assessment>), AppError> {
    let super::recalc::ShopAssessment { rows, assessments, .. } = super::recalc::assess_shop(db, shop_id, None, today).await?;
    let labels = rows
        .into_iter()
        .map(|r| Labels {
            abc: r.abc(),
            xyz: r.xyz(),
            vendor: r.vendor,
            sku: r.sku,
            product_title: r.product_title,
            variant_title: r.variant_title,
            location_name: r.location_name,
        })
        .collect();
    Ok((labels, assessments))
}

/// The order as its documents show it.
pub fn document(head: &OrderHead, lines: &[OrderLineRow], shop_name: &str) -> PurchaseOrderDoc {
    let day = |s: &str| NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").ok();
    PurchaseOrderDoc {
        number: u32::try_from(head.number).unwrap_or(0),
        shop_name: shop_name.to_string(),
        supplier: head.supplier_name.clone(),
        ship_to: head.location_name.clone(),
        currency: head.currency.clone(),
        ordered_on: day(head.sent_at.as_deref().unwrap_or(&head.created_at)).unwrap_or_default(),
        expected_on: head.expected_on.as_deref().and_then(day),
        notes: head.notes.clone(),
        lines: lines
            .iter()
            .map(|l| DocLine {
                sku: l.sku.clone(),
                supplier_sku: l.supplier_sku.clone(),
                title: l.title.clone(),
                quantity: u32::try_from(l.quantity).unwrap_or(0),
                unit_cost_cents: l.unit_cost_cents,
            })
            .collect(),
    }
}

/// One order of the shop with its PDF and CSV; `NotFound` for an id that is not the shop's.
pub async fn order_page(db: &D1Database, shop_id: i64, id: i64) -> Result<OrderPage, AppError> {
    let (head, lines) = purchase_orders::get(db, shop_id, id).await?.ok_or_else(|| AppError::NotFound("That purchase order".into()))?;
    let doc = document(&head, &lines, &purchase_orders::shop_name(db, shop_id).await?);
    Ok(OrderPage {
        po_number: doc.po_number(),
        file_stem: doc.file_stem(),
        pdf_base64: base64::engine::general_purpose::STANDARD.encode(domain::purchasing::pdf::render(&doc)),
        csv: doc.csv(),
        head,
        lines,
    })
}

/// Emails the order to its supplier with the PDF and CSV attached, through the configured
/// transport (the dev outbox locally). One idempotency key per order: a provider that
/// honours it sends once however often this runs.
pub async fn email_order(
    env: &worker::Env,
    db: &D1Database,
    shop_id: i64,
    page: &OrderPage,
    shop_name: &str,
    now: &str,
) -> Result<(), AppError> {
    let doc = document(&page.head, &page.lines, shop_name);
    let message = Message {
        shop_id: Some(shop_id),
        tag: "purchase_order",
        idempotency_key: Some(format!("po-{shop_id}-{}", page.head.id)),
        from: super::mail::sender(env),
        to: vec![page.head.supplier_email.clone()],
        subject: doc.subject(),
        html: doc.email_html(),
        text: doc.email_text(),
        attachments: vec![
            Attachment {
                filename: format!("{}.pdf", page.file_stem),
                content_type: "application/pdf".into(),
                base64: page.pdf_base64.clone(),
            },
            Attachment {
                filename: format!("{}.csv", page.file_stem),
                content_type: "text/csv".into(),
                base64: base64::engine::general_purpose::STANDARD.encode(page.csv.as_bytes()),
            },
        ],
    };
    let mailer = super::mail::from_env(env, db, now)?;
    mailer.send(&message).await.map_err(|e| internal("purchase order email", e))
}

/// Settings → Suppliers: every supplier (a vendor's created first if missing) and the whole
/// catalogue as CSV.
pub async fn suppliers_page(db: &D1Database, shop_id: i64, shop_currency: &str) -> Result<SuppliersPage, AppError> {
    suppliers::ensure_vendor_suppliers(db, shop_id, &super::context::now_rfc3339()).await?;
    let list = suppliers::list(db, shop_id).await?;
    let catalogue = suppliers::catalogue(db, shop_id).await?;
    Ok(SuppliersPage {
        suppliers: list,
        shop_currency: shop_currency.to_string(),
        catalogue_csv: domain::purchasing::write_catalogue(&catalogue),
        catalogue_lines: catalogue.len(),
    })
}
