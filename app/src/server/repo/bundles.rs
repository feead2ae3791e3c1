//! Bundles and their components (`migrations/0028_bundles.sql`, `domain::bundles`).

use crate::error::AppError;
use crate::server::d1::{all, batch, int, prepare, text};
use domain::bundles::Component;
use serde::Deserialize;
use worker::D1Database;

/// Replaces the shop's bundles of one source (`manual`: the merchant's list; `shopify`: the
/// catalogue export's) with `components`, in one batch: all of it or, on a failure, none. A
/// pair Shopify lists is Shopify's, whatever the manual list says.
pub async fn replace(db: &D1Database, shop_id: i64, source: &'static str, components: &[Component], now: &str) -> Result<(), AppError> {
    let mut statements =
        vec![prepare(db, "DELETE FROM bundle_components WHERE shop_id = ?1 AND source = ?2", &[int(shop_id), text(source)])?];
    for chunk in components.chunks(super::bulk::ROWS_PER_STATEMENT) {
        statements.push(prepare(
            db,
            "INSERT INTO bundle_components (shop_id, bundle_variant_id, component_variant_id, quantity, source, updated_at)
             SELECT ?1, json_extract(value, '$.bundle_variant_id'), json_extract(value, '$.component_variant_id'),
                    json_extract(value, '$.quantity'), ?2, ?3
             FROM json_each(?4) WHERE true
             ON CONFLICT DO UPDATE SET quantity = excluded.quantity, source = excluded.source, updated_at = excluded.updated_at
             WHERE excluded.source = 'shopify'",
            &[int(shop_id), text(source), text(now), text(&serde_json::to_string(chunk).unwrap_or_else(|_| "[]".into()))],
        )?);
    }
    batch(db, statements).await
}

/// The variants Shopify says are bundles.
pub async fn shopify_bundles(db: &D1Database, shop_id: i64) -> Result<Vec<i64>, AppError> {
    #[derive(Deserialize)]
    struct Id {
        id: i64,
    }
    let rows: Vec<Id> = all(
        db,
        "SELECT DISTINCT bundle_variant_id AS id FROM bundle_components WHERE shop_id = ?1 AND source = 'shopify'",
        &[int(shop_id)],
    )
    .await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// One bundle line as the Bundles page and its CSV show it.
#[derive(Debug, Clone, Deserialize)]
pub struct BundleRow {
    pub bundle_variant_id: i64,
    pub bundle_sku: String,
    pub bundle_title: String,
    pub component_variant_id: i64,
    pub component_sku: String,
    pub component_title: String,
    pub quantity: i64,
    pub source: String,
}

pub async fn list(db: &D1Database, shop_id: i64) -> Result<Vec<BundleRow>, AppError> {
    list_where(db, shop_id, "?2 = ?2", 0).await
}

async fn list_where(db: &D1Database, shop_id: i64, filter: &str, variant_id: i64) -> Result<Vec<BundleRow>, AppError> {
    all(
        db,
        &format!(
        "SELECT bc.bundle_variant_id, COALESCE(bv.sku, '') AS bundle_sku, COALESCE(bp.title || ' — ' || bv.title, '') AS bundle_title,
                bc.component_variant_id, COALESCE(cv.sku, '') AS component_sku, COALESCE(cp.title || ' — ' || cv.title, '') AS component_title,
                bc.quantity, bc.source
         FROM bundle_components bc
         LEFT JOIN variants bv ON bv.shop_id = bc.shop_id AND bv.id = bc.bundle_variant_id
         LEFT JOIN products bp ON bp.shop_id = bv.shop_id AND bp.id = bv.product_id
         LEFT JOIN variants cv ON cv.shop_id = bc.shop_id AND cv.id = bc.component_variant_id
         LEFT JOIN products cp ON cp.shop_id = cv.shop_id AND cp.id = cv.product_id
         WHERE bc.shop_id = ?1 AND {filter} ORDER BY bundle_title, bc.bundle_variant_id, component_title"
        ),
        &[int(shop_id), int(variant_id)],
    )
    .await
}

/// `variants` and the components of any bundle among them: a bundle sold changes its
/// components' demand, so a recalculation of the bundle is one of its components.
pub async fn with_components(db: &D1Database, shop_id: i64, variants: &[i64]) -> Result<Vec<i64>, AppError> {
    #[derive(Deserialize)]
    struct Id {
        id: i64,
    }
    let json = serde_json::to_string(variants).unwrap_or_else(|_| "[]".into());
    let rows: Vec<Id> = all(
        db,
        "SELECT value AS id FROM json_each(?2)
         UNION SELECT component_variant_id FROM bundle_components
         WHERE shop_id = ?1 AND bundle_variant_id IN (SELECT value FROM json_each(?2))",
        &[int(shop_id), text(&json)],
    )
    .await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// Whether the shop has a manual bundle list (its history read then adds bundle sales).
pub async fn any_manual(db: &D1Database, shop_id: i64) -> Result<bool, AppError> {
    #[derive(Deserialize)]
    struct One {
        n: i64,
    }
    let r: Option<One> = crate::server::d1::first(
        db,
        "SELECT COUNT(*) AS n FROM (SELECT 1 FROM bundle_components WHERE shop_id = ?1 AND source = 'manual' LIMIT 1)",
        &[int(shop_id)],
    )
    .await?;
    Ok(r.is_some_and(|r| r.n > 0))
}

/// The bundles a variant is a component of, and the components of a bundle, as words for
/// its page: `(is_component_of, is_made_of)`, each `title (SKU) ×quantity`.
pub async fn of_variant(db: &D1Database, shop_id: i64, variant_id: i64) -> Result<(Vec<BundleRow>, Vec<BundleRow>), AppError> {
    let rows = list_where(db, shop_id, "(bc.bundle_variant_id = ?2 OR bc.component_variant_id = ?2)", variant_id).await?;
    Ok(rows.into_iter().partition(|r| r.component_variant_id == variant_id))
}
