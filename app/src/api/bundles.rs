//! Settings → Bundles: the manual bundle list for other bundle apps (`domain::bundles`).

use crate::error::AppError;
use leptos::prelude::*;

/// Replaces the manual bundle list with the CSV's lines. A wrong header, a bad line, a SKU
/// the shop does not have, a bundle containing itself or a bundle inside a bundle refuses the
/// file whole, each problem with its line number; then every variant is recalculated.
#[server(endpoint = "bundles/import", output = crate::api::codec::Json)]
pub async fn import_bundles(csv: String) -> Result<usize, AppError> {
    use crate::server::context::{now_rfc3339, run, worker_env};
    use crate::server::repo::{bundles, suppliers};
    use crate::server::session::current_shop;
    use domain::bundles::{parse_lines, resolve};
    use domain::purchasing::RowError;
    use domain::FieldError;
    fn refused(errors: Vec<RowError>) -> AppError {
        AppError::Invalid(errors.into_iter().map(|e| FieldError::new("csv", format!("Line {}: {}", e.line, e.message))).collect())
    }
    run(async move {
        let lines = parse_lines(&csv).map_err(refused)?;
        let env = worker_env().await?;
        let shop = current_shop(&env).await?;
        let db = &shop.db;
        let mut skus: Vec<&str> = lines.iter().flat_map(|(_, l)| [l.bundle_sku.as_str(), l.component_sku.as_str()]).collect();
        skus.sort_unstable();
        skus.dedup();
        let variants = suppliers::variants_by_sku(db, shop.id, &skus).await?;
        let shopify = bundles::shopify_bundles(db, shop.id).await?.into_iter().collect();
        let components = resolve(&lines, &variants, &shopify).map_err(refused)?;
        bundles::replace(db, shop.id, "manual", &components, &now_rfc3339()).await?;
        // Demand moved from bundles to components: every position changes.
        crate::server::queue::recalculate(&env, shop.id, None).await?;
        Ok(components.len())
    })
    .await
}
