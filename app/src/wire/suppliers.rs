//! What Settings → Suppliers shows: the shop's suppliers, the one being edited, and the
//! supplier catalogue as CSV.

use serde::{Deserialize, Serialize};

/// A supplier as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplierRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub phone: String,
    /// ISO 4217; `None`: the shop's currency.
    pub currency: Option<String>,
    pub min_order_cents: i64,
    pub notes: String,
    /// Vendors defaulting to it, comma-separated ("" when none).
    pub vendors: String,
    /// Variants its catalogue lists.
    pub items: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuppliersPage {
    pub suppliers: Vec<SupplierRow>,
    pub shop_currency: String,
    /// The whole catalogue, in the import's own format.
    pub catalogue_csv: String,
    pub catalogue_lines: usize,
}

/// What an import stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportOutcome {
    pub lines: usize,
    pub suppliers: usize,
}
