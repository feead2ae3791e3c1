use crate::error::AppError;
use domain::engine::SupplierOrder;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reorder {
    /// Days of cover the merchant asked for on the page; `None`: each variant's own.
    pub cover_days: Option<u32>,
    /// The ABC class the list is narrowed to ("A", "B", "C"); `None`: every class.
    pub abc: Option<String>,
    pub currency: String,
    /// Per supplier (a vendor without one under its own name), on the supplier's terms.
    pub orders: Vec<SupplierOrder>,
    /// The same lines as a draft purchase order (CSV), ready to download.
    pub csv: String,
}

/// What to order now, per supplier, from the engine's reorder points and forecasts, rounded
/// to what each supplier sells (minimum, case pack, minimum order value); with `abc` ("A",
/// "B", "C"), only variants of that class (anything else: every class, as on the dashboard).
#[server(endpoint = "reorder", output = crate::api::codec::Json)]
pub async fn reorder_list(cover_days: Option<u32>, #[server(default)] abc: Option<String>) -> Result<Reorder, AppError> {
    use crate::server::context::{now_rfc3339, run, today_in, worker_env};
    use crate::server::session::current_shop;
    run(async move {
        let cover_days = cover_days.map(|d| d.clamp(1, 365));
        let abc = abc.as_deref().and_then(domain::classes::Abc::parse);
        let env = worker_env().await?;
        let shop = current_shop(&env).await?;
        let today = today_in(shop.zone());
        let orders =
            crate::server::purchasing::supplier_orders(&shop.db, shop.id, &shop.currency, cover_days, abc, today, &now_rfc3339()).await?;
        let csv = domain::engine::purchase_order_csv(&orders);
        Ok(Reorder { cover_days, abc: abc.map(|c| c.as_str().to_string()), currency: shop.row.currency, orders, csv })
    })
    .await
}
