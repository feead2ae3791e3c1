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

/// Where a variant is ordered from, for the variant page's form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantSupply {
    /// (id, name) of every supplier of the shop.
    pub suppliers: Vec<(i64, String)>,
    /// The variant's own catalogue entry's supplier, if it has one.
    pub own_supplier: Option<i64>,
    /// The supplier its vendor defaults to.
    pub vendor_supplier: Option<i64>,
    pub input: domain::purchasing::ItemInput,
}
