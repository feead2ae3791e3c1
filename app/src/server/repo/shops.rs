use crate::error::AppError;
use crate::server::d1::{first, text};
use domain::ShopDomain;
use serde::Deserialize;
use worker::D1Database;

#[derive(Debug, Clone, Deserialize)]
pub struct ShopRow {
    pub id: i64,
    pub domain: String,
    pub name: String,
    pub currency: String,
}

pub async fn by_domain(db: &D1Database, domain: &ShopDomain) -> Result<Option<ShopRow>, AppError> {
    first(
        db,
        "SELECT id, domain, name, currency FROM shops WHERE domain = ?1 AND uninstalled_at IS NULL",
        &[text(domain.as_str())],
    )
    .await
}
