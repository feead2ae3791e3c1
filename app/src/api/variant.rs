use crate::error::AppError;
use leptos::prelude::*;

pub use crate::wire::variant::{ForecastError, LiveAlert, LocationStock, VariantPage, FUTURE_DAYS, PAST_DAYS};

/// One variant at one of its locations (the first, unless `location_id` names another):
/// today's assessment, 90 days of sales and stock, 28 days of forecast, its alerts and its
/// forecast error. `returned_*`: a supplier-terms post refused without the wasm, whose
/// messages the form shows.
#[server(endpoint = "variant", output = crate::api::codec::Json)]
pub async fn variant_detail(
    variant_id: i64,
    location_id: Option<i64>,
    returned_path: Option<String>,
    returned_err: Option<String>,
) -> Result<VariantPage, AppError> {
    use crate::server::context::{run, today_in, worker_env};
    use crate::server::session::current_shop;
    run(async move {
        let env = worker_env().await?;
        let shop = current_shop(&env).await?;
        let db = &shop.db;
        let today = today_in(shop.zone());
        crate::server::variant::load(db, &shop, variant_id, location_id, today, returned_path.zip(returned_err)).await
    })
    .await
}
