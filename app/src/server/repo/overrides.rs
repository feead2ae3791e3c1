//! The merchant's overrides per vendor, supplier, product or variant (`overrides`): lead
//! time, its variability, cover, minimum stock and thresholds (`domain::overrides`).

use crate::error::AppError;
use crate::server::d1::{all, batch, first, int, prepare, real, text};
pub use crate::wire::overrides::StoredOverride;
use domain::engine::{LimitOverrides, SupplyOverrides};
use domain::overrides::{Book, Override, OverrideInput, Scope};
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

#[derive(Deserialize)]
struct Row {
    scope: String,
    key: String,
    label: String,
    csv_key: String,
    lead_time_days: Option<u32>,
    lead_time_sd_days: Option<f64>,
    target_cover_days: Option<u32>,
    min_stock: Option<u32>,
    low_stock_days: Option<u32>,
    overstock_days: Option<u32>,
    dead_stock_days: Option<u32>,
}

impl Row {
    fn into_stored(self) -> Option<StoredOverride> {
        let o = Override {
            supply: SupplyOverrides {
                lead_time_days: self.lead_time_days,
                lead_time_sd_days: self.lead_time_sd_days,
                review_period_days: None,
                target_cover_days: self.target_cover_days,
            },
            limits: LimitOverrides {
                min_stock: self.min_stock,
                low_stock_days: self.low_stock_days,
                overstock_days: self.overstock_days,
                dead_stock_days: self.dead_stock_days,
                service_level_pct: None,
            },
        };
        Some(StoredOverride { scope: Scope::parse(&self.scope)?, key: self.key, label: self.label, csv_key: self.csv_key, o })
    }
}

const SELECT: &str = "SELECT o.scope, o.key, o.lead_time_days, o.lead_time_sd_days, o.target_cover_days,
        o.min_stock, o.low_stock_days, o.overstock_days, o.dead_stock_days,
        CASE o.scope
          WHEN 'vendor' THEN o.key
          WHEN 'supplier' THEN COALESCE(s.name, 'Deleted supplier ' || o.key)
          WHEN 'product' THEN COALESCE(p.title, 'Deleted product ' || o.key)
          ELSE COALESCE(vp.title || ' — ' || v.title, 'Deleted variant ' || o.key) END AS label,
        CASE o.scope
          WHEN 'supplier' THEN COALESCE(s.name, '')
          WHEN 'variant' THEN COALESCE(v.sku, '')
          ELSE o.key END AS csv_key
 FROM overrides o
 LEFT JOIN suppliers s ON o.scope = 'supplier' AND s.shop_id = o.shop_id AND s.id = CAST(o.key AS INTEGER)
 LEFT JOIN products p ON o.scope = 'product' AND p.shop_id = o.shop_id AND p.id = CAST(o.key AS INTEGER)
 LEFT JOIN variants v ON o.scope = 'variant' AND v.shop_id = o.shop_id AND v.id = CAST(o.key AS INTEGER)
 LEFT JOIN products vp ON vp.shop_id = v.shop_id AND vp.id = v.product_id";

/// Every override of the shop, labelled, broadest level first: one query (names by join).
pub async fn list(db: &D1Database, shop_id: i64) -> Result<Vec<StoredOverride>, AppError> {
    let sql = format!(
        "{SELECT} WHERE o.shop_id = ?1
         ORDER BY CASE o.scope WHEN 'vendor' THEN 0 WHEN 'supplier' THEN 1 WHEN 'product' THEN 2 ELSE 3 END, label"
    );
    let rows: Vec<Row> = all(db, &sql, &[int(shop_id)]).await?;
    Ok(rows.into_iter().filter_map(Row::into_stored).collect())
}

/// The overrides that can reach one variant: its own, its product's, its supplier's and its
/// vendor's.
pub async fn reaching(db: &D1Database, shop_id: i64, owner: &domain::overrides::Owner<'_>) -> Result<Vec<StoredOverride>, AppError> {
    let sql = format!(
        "{SELECT} WHERE o.shop_id = ?1 AND ((o.scope = 'variant' AND o.key = ?2) OR (o.scope = 'product' AND o.key = ?3)
           OR (o.scope = 'supplier' AND o.key = ?4) OR (o.scope = 'vendor' AND o.key = ?5))"
    );
    let supplier = owner.supplier_id.map_or(String::new(), |s| s.to_string());
    let rows: Vec<Row> = all(
        db,
        &sql,
        &[int(shop_id), text(&owner.variant_id.to_string()), text(&owner.product_id.to_string()), text(&supplier), text(owner.vendor)],
    )
    .await?;
    Ok(rows.into_iter().filter_map(Row::into_stored).collect())
}

/// The shop's overrides, ready to resolve per variant.
pub async fn book(db: &D1Database, shop_id: i64) -> Result<Book, AppError> {
    let mut b = Book::default();
    for r in list(db, shop_id).await? {
        b.insert(r.scope, &r.key, r.o);
    }
    Ok(b)
}

/// Stores an override, or removes it when it sets nothing.
pub fn save_statement(
    db: &D1Database,
    shop_id: i64,
    scope: Scope,
    key: &str,
    o: &Override,
    now: &str,
) -> Result<D1PreparedStatement, AppError> {
    if o.is_empty() {
        return prepare(
            db,
            "DELETE FROM overrides WHERE shop_id = ?1 AND scope = ?2 AND key = ?3",
            &[int(shop_id), text(scope.as_str()), text(key)],
        );
    }
    let opt = |v: Option<u32>| v.map_or(JsValue::NULL, |d| int(d.into()));
    prepare(
        db,
        "INSERT INTO overrides (shop_id, scope, key, lead_time_days, lead_time_sd_days, target_cover_days,
                                min_stock, low_stock_days, overstock_days, dead_stock_days, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT(shop_id, scope, key) DO UPDATE SET lead_time_days = excluded.lead_time_days,
           lead_time_sd_days = excluded.lead_time_sd_days, target_cover_days = excluded.target_cover_days,
           min_stock = excluded.min_stock, low_stock_days = excluded.low_stock_days,
           overstock_days = excluded.overstock_days, dead_stock_days = excluded.dead_stock_days,
           updated_at = excluded.updated_at",
        &[
            int(shop_id),
            text(scope.as_str()),
            text(key),
            opt(o.supply.lead_time_days),
            o.supply.lead_time_sd_days.map_or(JsValue::NULL, real),
            opt(o.supply.target_cover_days),
            opt(o.limits.min_stock),
            opt(o.limits.low_stock_days),
            opt(o.limits.overstock_days),
            opt(o.limits.dead_stock_days),
            text(now),
        ],
    )
}

/// Saves several in one batch (D1 runs it as one transaction: all or nothing).
pub async fn save_all(db: &D1Database, shop_id: i64, rows: &[(Scope, String, Override)], now: &str) -> Result<(), AppError> {
    let statements = rows.iter().map(|(s, k, o)| save_statement(db, shop_id, *s, k, o, now)).collect::<Result<Vec<_>, _>>()?;
    batch(db, statements).await
}

/// Whether `key` names one of the shop's vendors, suppliers, products or variants: an
/// override is only stored for something the shop has.
pub async fn owns(db: &D1Database, shop_id: i64, scope: Scope, key: &str) -> Result<bool, AppError> {
    #[derive(Deserialize)]
    struct One {
        #[allow(dead_code)]
        n: i64,
    }
    let sql = match scope {
        Scope::Vendor => "SELECT 1 AS n FROM products WHERE shop_id = ?1 AND vendor = ?2 LIMIT 1",
        Scope::Supplier => "SELECT 1 AS n FROM suppliers WHERE shop_id = ?1 AND id = CAST(?2 AS INTEGER)",
        Scope::Product => "SELECT 1 AS n FROM products WHERE shop_id = ?1 AND id = CAST(?2 AS INTEGER)",
        Scope::Variant => "SELECT 1 AS n FROM variants WHERE shop_id = ?1 AND id = CAST(?2 AS INTEGER)",
    };
    Ok(first::<One>(db, sql, &[int(shop_id), text(key)]).await?.is_some())
}

/// The shop's vendors (what a vendor override can name).
pub async fn vendors(db: &D1Database, shop_id: i64) -> Result<Vec<String>, AppError> {
    #[derive(Deserialize)]
    struct V {
        vendor: String,
    }
    let r: Vec<V> =
        all(db, "SELECT DISTINCT vendor FROM products WHERE shop_id = ?1 AND vendor != '' ORDER BY vendor", &[int(shop_id)]).await?;
    Ok(r.into_iter().map(|r| r.vendor).collect())
}

/// Of `ids`, the shop's products.
pub async fn products_among(db: &D1Database, shop_id: i64, ids: &[i64]) -> Result<Vec<i64>, AppError> {
    #[derive(Deserialize)]
    struct P {
        id: i64,
    }
    let json = serde_json::to_string(ids).map_err(|e| crate::server::context::internal("product ids", e))?;
    let r: Vec<P> =
        all(db, "SELECT id FROM products WHERE shop_id = ?1 AND id IN (SELECT value FROM json_each(?2))", &[int(shop_id), text(&json)])
            .await?;
    Ok(r.into_iter().map(|p| p.id).collect())
}

impl StoredOverride {
    pub fn input(&self) -> OverrideInput {
        OverrideInput::from_override(&self.o)
    }
}
