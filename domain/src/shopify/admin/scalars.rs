//! Shopify's scalar wire values: global ids (`gid://shopify/<Type>/<number>`) and decimal
//! money amounts, parsed once here so every response and export reads them the same way.

/// A parsed global id: `gid://shopify/ProductVariant/123` → kind `ProductVariant`, id 123.
/// Inventory levels carry a query suffix (`…/InventoryLevel/9?inventory_item_id=3`); it is dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gid {
    pub kind: String,
    pub id: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a Shopify global id (gid://shopify/<Type>/<number>)")]
pub struct InvalidGid(pub String);

impl Gid {
    pub fn parse(raw: &str) -> Result<Self, InvalidGid> {
        let err = || InvalidGid(raw.to_string());
        let rest = raw.strip_prefix("gid://shopify/").ok_or_else(err)?;
        let rest = rest.split('?').next().unwrap_or(rest);
        let (kind, id) = rest.split_once('/').ok_or_else(err)?;
        if kind.is_empty() || !kind.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(err());
        }
        let id: i64 = id.parse().map_err(|_| err())?;
        if id <= 0 {
            return Err(err());
        }
        Ok(Self { kind: kind.to_string(), id })
    }
}

/// The numeric tail of a global id, if it is one.
pub fn numeric_id(gid: &str) -> Option<i64> {
    Gid::parse(gid).ok().map(|g| g.id)
}

/// Builds a global id: `gid("Product", 42)` → `gid://shopify/Product/42`.
pub fn gid(kind: &str, id: i64) -> String {
    format!("gid://shopify/{kind}/{id}")
}

/// Parses Shopify's decimal money string into hundredths (`domain::money::parse_cents`:
/// up to three decimals, for KWD and the other three-decimal currencies).
pub fn money_to_cents(amount: &str) -> Option<i64> {
    crate::money::parse_cents(amount)
}
