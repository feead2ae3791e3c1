use crate::error::AppError;
use domain::engine::VendorOrder;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reorder {
    /// Days of cover the merchant asked for on the page; `None`: each variant's own.
    pub cover_days: Option<u32>,
    pub currency: String,
    pub orders: Vec<VendorOrder>,
    /// The same lines as a draft purchase order (CSV), ready to download.
    pub csv: String,
}

/// What to order now, per vendor, from the engine's reorder points and forecasts.
#[server(endpoint = "reorder", output = crate::api::codec::Json)]
pub async fn reorder_list(cover_days: Option<u32>) -> Result<Reorder, AppError> {
    use crate::server::context::{db, run, today_in, worker_env};
    use crate::server::session::current_shop;
    run(async move {
        let cover_days = cover_days.map(|d| d.clamp(1, 365));
        let env = worker_env().await?;
        let shop = current_shop(&env).await?;
        let today = today_in(shop.zone());
        let crate::server::recalc::ShopAssessment { rows, assessments, .. } =
            crate::server::recalc::assess_shop(&db(&env)?, shop.id, None, today).await?;
        let labels: Vec<domain::engine::Labels> = rows
            .into_iter()
            .map(|r| domain::engine::Labels {
                vendor: r.vendor,
                sku: r.sku,
                product_title: r.product_title,
                variant_title: r.variant_title,
                location_name: r.location_name,
            })
            .collect();
        let orders = domain::engine::reorder_suggestions(labels.iter().zip(assessments.iter()), cover_days, today);
        let csv = domain::engine::purchase_order_csv(&orders);
        Ok(Reorder { cover_days, currency: shop.currency, orders, csv })
    })
    .await
}
