//! The merchant's overrides (lead time, variability, cover, minimum stock, thresholds) per
//! vendor, supplier, product or variant: saved one at a time from Settings → Levels or
//! the variant page, or imported as CSV. Each change queues a recalculation.

use crate::error::AppError;
use domain::overrides::OverrideInput;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What an import stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverridesImported {
    pub saved: usize,
    pub removed: usize,
}

/// Sets the override of `target` (`vendor:<name>`, `supplier:<id>`, `product:<id>` or
/// `variant:<id>`, one of the shop's); every field empty removes it.
#[server(endpoint = "overrides/save", output = crate::api::codec::Json)]
pub async fn save_override(target: String, o: OverrideInput) -> Result<(), AppError> {
    use crate::server::context::{now_rfc3339, run, worker_env};
    use crate::server::repo::overrides;
    use crate::server::session::current_shop;
    use domain::overrides::Scope;
    use domain::FieldError;
    run(async move {
        let refused = || AppError::Invalid(vec![FieldError::new("target", "Choose what these levels apply to.")]);
        let (scope, key) = target.split_once(':').ok_or_else(refused)?;
        let scope = Scope::parse(scope).ok_or_else(refused)?;
        let key = key.trim();
        // Ids in one spelling ("7", never "007"), as the resolver reads them.
        let key = match scope {
            Scope::Vendor if !key.is_empty() => key.to_string(),
            Scope::Vendor => return Err(refused()),
            _ => key.parse::<i64>().map_err(|_| refused())?.to_string(),
        };
        let parsed = o.parse().map_err(AppError::Invalid)?;
        let env = worker_env().await?;
        let shop = current_shop(&env).await?;
        let db = &shop.db;
        // Only something the shop has, so a forged key cannot store rows about anything else.
        if !parsed.is_empty() && !overrides::owns(db, shop.id, scope, &key).await? {
            return Err(AppError::NotFound(format!("The {} “{key}”", scope.as_str())));
        }
        overrides::save_all(db, shop.id, &[(scope, key.clone(), parsed)], &now_rfc3339()).await?;
        // A variant's own override moves only that variant's numbers.
        let only = (scope == Scope::Variant).then(|| key.parse::<i64>().ok().map(|v| vec![v])).flatten();
        crate::server::queue::recalculate(&env, shop.id, only).await
    })
    .await
}

/// Applies every row of the CSV, or none: a wrong header, a bad value, or a vendor,
/// supplier, product or SKU the shop does not have refuses the file, each problem with its
/// line number. Rows not in the file are kept; a row with every value empty removes one.
#[server(endpoint = "overrides/import", output = crate::api::codec::Json)]
pub async fn import_overrides(csv: String) -> Result<OverridesImported, AppError> {
    use crate::server::context::{now_rfc3339, run, worker_env};
    use crate::server::repo::{overrides, suppliers};
    use crate::server::session::current_shop;
    use domain::overrides::{parse_overrides, Scope};
    use domain::purchasing::RowError;
    use domain::FieldError;
    fn refused(errors: Vec<RowError>) -> AppError {
        AppError::Invalid(errors.into_iter().map(|e| FieldError::new("csv", format!("Line {}: {}", e.line, e.message))).collect())
    }
    run(async move {
        let rows = parse_overrides(&csv).map_err(refused)?;
        let env = worker_env().await?;
        let shop = current_shop(&env).await?;
        let db = &shop.db;
        suppliers::ensure_vendor_suppliers(db, shop.id, &now_rfc3339()).await?;
        // Four reads whatever the file's length: the names and ids it may use.
        let vendors = overrides::vendors(db, shop.id).await?;
        let supplier_names = suppliers::names(db, shop.id).await?;
        let product_ids: Vec<i64> = rows.iter().filter(|r| r.scope == Scope::Product).filter_map(|r| r.name.parse().ok()).collect();
        let products = overrides::products_among(db, shop.id, &product_ids).await?;
        let skus: Vec<&str> = rows.iter().filter(|r| r.scope == Scope::Variant).map(|r| r.name.as_str()).collect();
        let variants = suppliers::variants_by_sku(db, shop.id, &skus).await?;

        let (mut resolved, mut errors) = (Vec::new(), Vec::new());
        for r in &rows {
            let key = match r.scope {
                Scope::Vendor => vendors.contains(&r.name).then(|| r.name.clone()).ok_or("No product of the shop has this vendor."),
                Scope::Supplier => supplier_names
                    .iter()
                    .find(|(_, n)| n.eq_ignore_ascii_case(&r.name))
                    .map(|(id, _)| id.to_string())
                    .ok_or("No supplier of the shop has this name (Settings → Suppliers)."),
                Scope::Product => r
                    .name
                    .parse::<i64>()
                    .ok()
                    .filter(|id| products.contains(id))
                    .map(|id| id.to_string())
                    .ok_or("No product of the shop has this ID."),
                Scope::Variant => match variants.iter().filter(|(sku, _)| *sku == r.name).map(|(_, id)| *id).collect::<Vec<_>>()[..] {
                    [id] => Ok(id.to_string()),
                    [] => Err("No variant of the shop has this SKU."),
                    _ => Err("Several variants of the shop have this SKU; give each its own in Shopify."),
                },
            };
            match key {
                Ok(key) => resolved.push((r.scope, key, r.o)),
                Err(why) => errors.push(RowError { line: r.line, message: format!("{} {}: {why}", r.scope.as_str(), r.name) }),
            }
        }
        if !errors.is_empty() {
            return Err(refused(errors));
        }
        overrides::save_all(db, shop.id, &resolved, &now_rfc3339()).await?;
        crate::server::queue::recalculate(&env, shop.id, None).await?;
        let removed = resolved.iter().filter(|(_, _, o)| o.is_empty()).count();
        Ok(OverridesImported { saved: resolved.len() - removed, removed })
    })
    .await
}
