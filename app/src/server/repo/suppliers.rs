//! Suppliers, which supplier each vendor defaults to, and the supplier catalogue
//! (`suppliers`, `supplier_vendors`, `supplier_items`; migration 0018).

use crate::error::AppError;
use crate::server::d1::{all, batch, first, int, opt_text, prepare, text};
use crate::wire::suppliers::SupplierRow;
use domain::purchasing::{CatalogueRow, Item, Supplier, SupplierBook, SupplierDetails, SupplyTerms};
use serde::{Deserialize, Serialize};
use worker::D1Database;

/// Gives every vendor of the shop a supplier of its own name unless it has one (a supplier of
/// that name, in any case, is reused). Idempotent: run before suppliers are read.
pub async fn ensure_vendor_suppliers(db: &D1Database, shop_id: i64, now: &str) -> Result<(), AppError> {
    batch(
        db,
        vec![
            prepare(
                db,
                "INSERT INTO suppliers (shop_id, name, updated_at)
                 SELECT DISTINCT ?1, p.vendor, ?2 FROM products p
                 WHERE p.shop_id = ?1 AND p.vendor <> ''
                   AND NOT EXISTS (SELECT 1 FROM supplier_vendors sv WHERE sv.shop_id = ?1 AND sv.vendor = p.vendor)
                 ON CONFLICT DO NOTHING",
                &[int(shop_id), text(now)],
            )?,
            prepare(
                db,
                "INSERT INTO supplier_vendors (shop_id, vendor, supplier_id)
                 SELECT ?1, p.vendor, s.id FROM (SELECT DISTINCT vendor FROM products WHERE shop_id = ?1 AND vendor <> '') p
                 JOIN suppliers s ON s.shop_id = ?1 AND s.name = p.vendor COLLATE NOCASE
                 WHERE true
                 ON CONFLICT DO NOTHING",
                &[int(shop_id)],
            )?,
        ],
    )
    .await
}

const SUPPLIER_COLUMNS: &str = "s.id, s.name, s.email, s.phone, s.currency, s.min_order_cents, s.notes,
    COALESCE((SELECT group_concat(vendor, ', ') FROM supplier_vendors sv WHERE sv.shop_id = s.shop_id AND sv.supplier_id = s.id), '') AS vendors,
    (SELECT COUNT(*) FROM supplier_items si WHERE si.shop_id = s.shop_id AND si.supplier_id = s.id) AS items";

pub async fn list(db: &D1Database, shop_id: i64) -> Result<Vec<SupplierRow>, AppError> {
    all(db, &format!("SELECT {SUPPLIER_COLUMNS} FROM suppliers s WHERE s.shop_id = ?1 ORDER BY s.name COLLATE NOCASE"), &[int(shop_id)])
        .await
}

pub async fn get(db: &D1Database, shop_id: i64, id: i64) -> Result<Option<SupplierRow>, AppError> {
    first(db, &format!("SELECT {SUPPLIER_COLUMNS} FROM suppliers s WHERE s.shop_id = ?1 AND s.id = ?2"), &[int(shop_id), int(id)]).await
}

/// Whether another supplier of the shop has this name (names are unique, in any case).
pub async fn name_taken(db: &D1Database, shop_id: i64, name: &str, except_id: i64) -> Result<bool, AppError> {
    #[derive(Deserialize)]
    struct Row {
        n: i64,
    }
    let row: Option<Row> = first(
        db,
        "SELECT COUNT(*) AS n FROM suppliers WHERE shop_id = ?1 AND name = ?2 COLLATE NOCASE AND id <> ?3",
        &[int(shop_id), text(name), int(except_id)],
    )
    .await?;
    Ok(row.is_some_and(|r| r.n > 0))
}

/// Updates a supplier of the shop; `false` when it has none with this id.
pub async fn save(db: &D1Database, shop_id: i64, id: i64, d: &SupplierDetails, now: &str) -> Result<bool, AppError> {
    let r = prepare(
        db,
        "UPDATE suppliers SET name = ?3, email = ?4, phone = ?5, currency = ?6, min_order_cents = ?7, notes = ?8, updated_at = ?9
         WHERE shop_id = ?1 AND id = ?2",
        &[
            int(shop_id),
            int(id),
            text(&d.name),
            text(&d.email),
            text(&d.phone),
            opt_text(d.currency.as_deref()),
            int(d.min_order_cents),
            text(&d.notes),
            text(now),
        ],
    )?
    .run()
    .await
    .map_err(|e| crate::server::context::internal("D1 write", e))?;
    Ok(crate::server::d1::changes(&r) == 1)
}

#[derive(Deserialize)]
struct BookSupplier {
    id: i64,
    name: String,
    currency: Option<String>,
    min_order_cents: i64,
}

#[derive(Deserialize)]
struct BookVendor {
    vendor: String,
    supplier_id: i64,
}

#[derive(Deserialize)]
struct BookItem {
    variant_id: i64,
    supplier_id: i64,
    supplier_sku: String,
    unit_cost_cents: Option<i64>,
    moq: i64,
    case_pack: i64,
}

/// Everything the reorder view needs to regroup lines by supplier, for the given variants:
/// three reads in one batch.
pub async fn book(db: &D1Database, shop_id: i64, variant_ids: &[i64]) -> Result<SupplierBook, AppError> {
    let ids = serde_json::to_string(variant_ids).map_err(|e| crate::server::context::internal("variant ids", e))?;
    let results = crate::server::d1::batch_read(
        db,
        vec![
            prepare(db, "SELECT id, name, currency, min_order_cents FROM suppliers WHERE shop_id = ?1", &[int(shop_id)])?,
            prepare(db, "SELECT vendor, supplier_id FROM supplier_vendors WHERE shop_id = ?1", &[int(shop_id)])?,
            prepare(
                db,
                "SELECT variant_id, supplier_id, supplier_sku, unit_cost_cents, moq, case_pack FROM supplier_items
                 WHERE shop_id = ?1 AND variant_id IN (SELECT value FROM json_each(?2))",
                &[int(shop_id), text(&ids)],
            )?,
        ],
    )
    .await?;
    let [suppliers, vendors, items] = results.as_slice() else {
        return Err(crate::server::context::internal("supplier book", "expected three results"));
    };
    let mut book = SupplierBook::default();
    for s in crate::server::d1::rows::<BookSupplier>(suppliers)? {
        book.suppliers.insert(s.id, Supplier { id: s.id, name: s.name, currency: s.currency, min_order_cents: s.min_order_cents });
    }
    for v in crate::server::d1::rows::<BookVendor>(vendors)? {
        book.by_vendor.insert(v.vendor, v.supplier_id);
    }
    for i in crate::server::d1::rows::<BookItem>(items)? {
        let to_u32 = |n: i64| u32::try_from(n).unwrap_or(1).max(1);
        let terms = SupplyTerms::new(to_u32(i.moq), to_u32(i.case_pack)).unwrap_or(SupplyTerms::NONE);
        book.items.insert(
            i.variant_id,
            Item { supplier_id: i.supplier_id, supplier_sku: i.supplier_sku, unit_cost_cents: i.unit_cost_cents, terms },
        );
    }
    Ok(book)
}

/// The whole catalogue as the CSV exports it, by supplier then SKU.
pub async fn catalogue(db: &D1Database, shop_id: i64) -> Result<Vec<CatalogueRow>, AppError> {
    #[derive(Deserialize)]
    struct Row {
        supplier: String,
        sku: String,
        supplier_sku: String,
        unit_cost_cents: Option<i64>,
        moq: i64,
        case_pack: i64,
    }
    let rows: Vec<Row> = all(
        db,
        "SELECT s.name AS supplier, v.sku, si.supplier_sku, si.unit_cost_cents, si.moq, si.case_pack
         FROM supplier_items si
         JOIN suppliers s ON s.shop_id = si.shop_id AND s.id = si.supplier_id
         JOIN variants v ON v.shop_id = si.shop_id AND v.id = si.variant_id
         WHERE si.shop_id = ?1
         ORDER BY s.name COLLATE NOCASE, v.sku",
        &[int(shop_id)],
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let to_u32 = |n: i64| u32::try_from(n).unwrap_or(1).max(1);
            CatalogueRow {
                supplier: r.supplier,
                sku: r.sku,
                supplier_sku: r.supplier_sku,
                unit_cost_cents: r.unit_cost_cents,
                terms: SupplyTerms::new(to_u32(r.moq), to_u32(r.case_pack)).unwrap_or(SupplyTerms::NONE),
            }
        })
        .collect())
}

/// The shop's variants with these SKUs: (sku, variant id) pairs, several for a SKU that is
/// not unique in the shop.
pub async fn variants_by_sku(db: &D1Database, shop_id: i64, skus: &[&str]) -> Result<Vec<(String, i64)>, AppError> {
    #[derive(Deserialize)]
    struct Row {
        sku: String,
        id: i64,
    }
    let json = serde_json::to_string(skus).map_err(|e| crate::server::context::internal("skus", e))?;
    let rows: Vec<Row> = all(
        db,
        "SELECT sku, id FROM variants WHERE shop_id = ?1 AND sku IN (SELECT value FROM json_each(?2))",
        &[int(shop_id), text(&json)],
    )
    .await?;
    Ok(rows.into_iter().map(|r| (r.sku, r.id)).collect())
}

/// One catalogue line, its variant resolved.
#[derive(Serialize)]
pub struct ResolvedItem<'a> {
    pub supplier: &'a str,
    pub variant_id: i64,
    pub supplier_sku: &'a str,
    pub unit_cost_cents: Option<i64>,
    pub moq: u32,
    pub case_pack: u32,
}

/// Replaces the whole catalogue in one batch (D1 runs it as one transaction): suppliers
/// named in it that do not exist are created, and every line not in it is removed.
pub async fn replace_catalogue(db: &D1Database, shop_id: i64, items: &[ResolvedItem<'_>], now: &str) -> Result<(), AppError> {
    let json = serde_json::to_string(items).map_err(|e| crate::server::context::internal("catalogue", e))?;
    batch(
        db,
        vec![
            prepare(
                db,
                "INSERT INTO suppliers (shop_id, name, updated_at)
                 SELECT DISTINCT ?1, json_extract(value, '$.supplier'), ?2 FROM json_each(?3) WHERE true
                 ON CONFLICT DO NOTHING",
                &[int(shop_id), text(now), text(&json)],
            )?,
            prepare(db, "DELETE FROM supplier_items WHERE shop_id = ?1", &[int(shop_id)])?,
            prepare(
                db,
                "INSERT INTO supplier_items (shop_id, variant_id, supplier_id, supplier_sku, unit_cost_cents, moq, case_pack)
                 SELECT ?1, json_extract(j.value, '$.variant_id'), s.id, json_extract(j.value, '$.supplier_sku'),
                        json_extract(j.value, '$.unit_cost_cents'), json_extract(j.value, '$.moq'), json_extract(j.value, '$.case_pack')
                 FROM json_each(?2) j
                 JOIN suppliers s ON s.shop_id = ?1 AND s.name = json_extract(j.value, '$.supplier') COLLATE NOCASE
                 WHERE true",
                &[int(shop_id), text(&json)],
            )?,
        ],
    )
    .await
}

/// The shop's suppliers by name, for a choice list.
pub async fn names(db: &D1Database, shop_id: i64) -> Result<Vec<(i64, String)>, AppError> {
    #[derive(Deserialize)]
    struct Row {
        id: i64,
        name: String,
    }
    let rows: Vec<Row> = all(db, "SELECT id, name FROM suppliers WHERE shop_id = ?1 ORDER BY name COLLATE NOCASE", &[int(shop_id)]).await?;
    Ok(rows.into_iter().map(|r| (r.id, r.name)).collect())
}

/// A variant's catalogue entry, if it has one.
#[derive(Deserialize)]
pub struct ItemRow {
    pub supplier_id: i64,
    pub supplier_sku: String,
    pub unit_cost_cents: Option<i64>,
    pub moq: i64,
    pub case_pack: i64,
}

pub async fn item_of(db: &D1Database, shop_id: i64, variant_id: i64) -> Result<Option<ItemRow>, AppError> {
    first(
        db,
        "SELECT supplier_id, supplier_sku, unit_cost_cents, moq, case_pack FROM supplier_items WHERE shop_id = ?1 AND variant_id = ?2",
        &[int(shop_id), int(variant_id)],
    )
    .await
}

/// The supplier a variant's vendor defaults to, if any.
pub async fn vendor_supplier(db: &D1Database, shop_id: i64, vendor: &str) -> Result<Option<i64>, AppError> {
    #[derive(Deserialize)]
    struct Row {
        supplier_id: i64,
    }
    let row: Option<Row> =
        first(db, "SELECT supplier_id FROM supplier_vendors WHERE shop_id = ?1 AND vendor = ?2", &[int(shop_id), text(vendor)]).await?;
    Ok(row.map(|r| r.supplier_id))
}

/// Sets (or, with `None`, removes) one variant's catalogue entry; `false` when the supplier
/// or the variant is not the shop's (nothing written).
pub async fn save_item(
    db: &D1Database,
    shop_id: i64,
    variant_id: i64,
    item: Option<&domain::purchasing::ItemChoice>,
) -> Result<bool, AppError> {
    let Some(i) = item else {
        crate::server::d1::run(db, "DELETE FROM supplier_items WHERE shop_id = ?1 AND variant_id = ?2", &[int(shop_id), int(variant_id)])
            .await?;
        return Ok(true);
    };
    let r = prepare(
        db,
        "INSERT INTO supplier_items (shop_id, variant_id, supplier_id, supplier_sku, unit_cost_cents, moq, case_pack)
         SELECT ?1, v.id, s.id, ?4, ?5, ?6, ?7 FROM variants v JOIN suppliers s ON s.shop_id = ?1 AND s.id = ?3
         WHERE v.shop_id = ?1 AND v.id = ?2
         ON CONFLICT(shop_id, variant_id) DO UPDATE SET supplier_id = excluded.supplier_id, supplier_sku = excluded.supplier_sku,
           unit_cost_cents = excluded.unit_cost_cents, moq = excluded.moq, case_pack = excluded.case_pack",
        &[
            int(shop_id),
            int(variant_id),
            int(i.supplier_id),
            text(&i.supplier_sku),
            i.unit_cost_cents.map_or(worker::wasm_bindgen::JsValue::NULL, int),
            int(i.terms.moq.into()),
            int(i.terms.case_pack.into()),
        ],
    )?
    .run()
    .await
    .map_err(|e| crate::server::context::internal("D1 write", e))?;
    Ok(crate::server::d1::changes(&r) == 1)
}

/// Orders the other variants of `variant_id`'s product from `supplier_id` too (each keeping
/// its own SKU, cost, minimum and case where it had a catalogue line), or, with `None`,
/// sends them back to their vendor's supplier. Run after `save_item` for the variant itself.
pub async fn apply_to_product(db: &D1Database, shop_id: i64, variant_id: i64, supplier_id: Option<i64>) -> Result<(), AppError> {
    let siblings = "SELECT w.id FROM variants w JOIN variants v ON v.shop_id = w.shop_id AND v.product_id = w.product_id
                    WHERE v.shop_id = ?1 AND v.id = ?2 AND w.id != ?2";
    match supplier_id {
        None => {
            crate::server::d1::run(
                db,
                &format!("DELETE FROM supplier_items WHERE shop_id = ?1 AND variant_id IN ({siblings})"),
                &[int(shop_id), int(variant_id)],
            )
            .await
        }
        Some(s) => {
            crate::server::d1::run(
                db,
                &format!(
                    "INSERT INTO supplier_items (shop_id, variant_id, supplier_id)
                     SELECT ?1, id, ?3 FROM ({siblings}) WHERE EXISTS (SELECT 1 FROM suppliers WHERE shop_id = ?1 AND id = ?3)
                     ON CONFLICT(shop_id, variant_id) DO UPDATE SET supplier_id = excluded.supplier_id"
                ),
                &[int(shop_id), int(variant_id), int(s)],
            )
            .await
        }
    }
}

/// A variant's vendor (its product's), if the variant is the shop's.
pub async fn vendor_of(db: &D1Database, shop_id: i64, variant_id: i64) -> Result<Option<String>, AppError> {
    #[derive(Deserialize)]
    struct Row {
        vendor: String,
    }
    let row: Option<Row> = first(
        db,
        "SELECT p.vendor FROM variants v JOIN products p ON p.shop_id = v.shop_id AND p.id = v.product_id WHERE v.shop_id = ?1 AND v.id = ?2",
        &[int(shop_id), int(variant_id)],
    )
    .await?;
    Ok(row.map(|r| r.vendor))
}
