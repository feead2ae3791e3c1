//! What Settings → Levels and the variant page show of the merchant's overrides.

use domain::overrides::{Override, Scope};
use serde::{Deserialize, Serialize};

/// One stored override, labelled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredOverride {
    pub scope: Scope,
    /// As stored: the vendor's name, or the supplier's, product's or variant's id.
    pub key: String,
    /// How the merchant knows it: the vendor's or supplier's name, the product's title, the
    /// product's and variant's titles.
    pub label: String,
    /// As the CSV names it: the vendor's or supplier's name, the product's ID, the
    /// variant's SKU (`""` for a variant without one).
    pub csv_key: String,
    pub o: Override,
}
