//! Settings → Suppliers: the shop's suppliers (one per vendor to begin with), their details,
//! and the supplier catalogue imported and exported as CSV.

use crate::error::AppError;
use domain::purchasing::SupplierInput;
use leptos::prelude::*;

pub use crate::wire::suppliers::{ImportOutcome, SupplierRow, SuppliersPage};

#[server(endpoint = "suppliers", output = crate::api::codec::Json)]
pub async fn load_suppliers() -> Result<SuppliersPage, AppError> {
    use crate::server::context::{run, worker_env};
    use crate::server::session::current_shop;
    run(async move {
        let env = worker_env().await?;
        let shop = current_shop(&env).await?;
        crate::server::purchasing::suppliers_page(&shop.db, shop.id, &shop.currency).await
    })
    .await
}

/// Saves one supplier's details; nothing is saved unless every field is valid.
#[server(endpoint = "suppliers/save", output = crate::api::codec::Json)]
pub async fn save_supplier(id: i64, supplier: SupplierInput) -> Result<SupplierRow, AppError> {
    use crate::server::context::{now_rfc3339, run, worker_env};
    use crate::server::repo::suppliers;
    use crate::server::session::current_shop;
    use domain::FieldError;
    run(async move {
        let details = supplier.parse().map_err(AppError::Invalid)?;
        let env = worker_env().await?;
        let shop = current_shop(&env).await?;
        let db = &shop.db;
        if suppliers::name_taken(db, shop.id, &details.name, id).await? {
            return Err(AppError::Invalid(vec![FieldError::new("name", format!("Another supplier is called {}.", details.name))]));
        }
        // Scoped to the shop: an id of another shop's supplier changes nothing.
        if !suppliers::save(db, shop.id, id, &details, &now_rfc3339()).await? {
            return Err(AppError::NotFound("That supplier".into()));
        }
        suppliers::get(db, shop.id, id).await?.ok_or_else(|| AppError::NotFound("That supplier".into()))
    })
    .await
}

/// Replaces the whole supplier catalogue with the CSV's rows. A wrong header, a bad row or a
/// SKU the shop does not have refuses the file whole, each problem with its line number.
#[server(endpoint = "suppliers/catalogue/import", output = crate::api::codec::Json)]
pub async fn import_catalogue(csv: String) -> Result<ImportOutcome, AppError> {
    use crate::server::context::{now_rfc3339, run, worker_env};
    use crate::server::repo::suppliers::{self, ResolvedItem};
    use crate::server::session::current_shop;
    use domain::purchasing::{match_variants, parse_catalogue_lines, RowError};
    use domain::FieldError;
    fn refused(errors: Vec<RowError>) -> AppError {
        AppError::Invalid(errors.into_iter().map(|e| FieldError::new("csv", format!("Line {}: {}", e.line, e.message))).collect())
    }
    run(async move {
        let rows = parse_catalogue_lines(&csv).map_err(refused)?;
        let env = worker_env().await?;
        let shop = current_shop(&env).await?;
        let db = &shop.db;
        let skus: Vec<&str> = rows.iter().map(|(_, r)| r.sku.as_str()).collect();
        let variants = suppliers::variants_by_sku(db, shop.id, &skus).await?;
        let matched = match_variants(rows.clone(), &variants).map_err(refused)?;
        let items: Vec<ResolvedItem<'_>> = matched
            .iter()
            .map(|(r, variant_id)| ResolvedItem {
                supplier: &r.supplier,
                variant_id: *variant_id,
                supplier_sku: &r.supplier_sku,
                unit_cost_cents: r.unit_cost_cents,
                moq: r.terms.moq,
                case_pack: r.terms.case_pack,
            })
            .collect();
        suppliers::replace_catalogue(db, shop.id, &items, &now_rfc3339()).await?;
        let names: std::collections::HashSet<String> = matched.iter().map(|(r, _)| r.supplier.to_lowercase()).collect();
        Ok(ImportOutcome { lines: items.len(), suppliers: names.len() })
    })
    .await
}

/// Sets where one variant is ordered from and on what terms (an empty supplier: back to its
/// vendor's), and with `whole_product` where the rest of its product is ordered from;
/// nothing is saved unless every field is valid.
#[server(endpoint = "suppliers/item/save", output = crate::api::codec::Json)]
pub async fn save_supplier_item(variant_id: i64, item: domain::purchasing::ItemInput) -> Result<(), AppError> {
    use crate::server::context::{run, worker_env};
    use crate::server::session::current_shop;
    run(async move {
        let choice = item.parse().map_err(AppError::Invalid)?;
        let env = worker_env().await?;
        let shop = current_shop(&env).await?;
        let db = &shop.db;
        // Scoped to the shop: another shop's supplier or variant writes nothing.
        if !crate::server::repo::suppliers::save_item(db, shop.id, variant_id, choice.as_ref()).await? {
            return Err(AppError::Invalid(vec![domain::FieldError::new("supplier_id", "Choose one of the shop's suppliers.")]));
        }
        if item.whole_product() {
            crate::server::repo::suppliers::apply_to_product(db, shop.id, variant_id, choice.as_ref().map(|c| c.supplier_id)).await?;
        }
        Ok(())
    })
    .await
}
