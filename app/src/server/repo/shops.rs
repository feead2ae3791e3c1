use crate::error::AppError;
use crate::server::d1::{batch, first, int, prepare, text};
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

pub struct Installed<'a> {
    pub id: i64,
    pub domain: &'a str,
    pub name: &'a str,
    pub currency: &'a str,
    pub timezone: &'a str,
    /// The offline access token, sealed with `TOKEN_SEALING_KEY`.
    pub sealed_token: &'a str,
    pub scopes: &'a str,
}

/// Records an install (or a re-install after `app/uninstalled`), with default settings.
pub async fn upsert_installed(db: &D1Database, s: &Installed<'_>) -> Result<(), AppError> {
    let shop = prepare(
        db,
        "INSERT INTO shops (id, domain, name, currency, timezone, access_token, scopes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(id) DO UPDATE SET domain = excluded.domain, name = excluded.name,
           currency = excluded.currency, timezone = excluded.timezone,
           access_token = excluded.access_token, scopes = excluded.scopes, uninstalled_at = NULL",
        &[int(s.id), text(s.domain), text(s.name), text(s.currency), text(s.timezone), text(s.sealed_token), text(s.scopes)],
    )?;
    let settings = prepare(db, "INSERT INTO settings (shop_id) VALUES (?1) ON CONFLICT(shop_id) DO NOTHING", &[int(s.id)])?;
    batch(db, vec![shop, settings]).await
}

#[derive(Deserialize)]
struct Token {
    access_token: Option<String>,
}

/// The shop's sealed offline access token, if it has one.
pub async fn sealed_token(db: &D1Database, shop_id: i64) -> Result<Option<String>, AppError> {
    let row: Option<Token> =
        first(db, "SELECT access_token FROM shops WHERE id = ?1 AND uninstalled_at IS NULL", &[int(shop_id)]).await?;
    Ok(row.and_then(|r| r.access_token))
}
