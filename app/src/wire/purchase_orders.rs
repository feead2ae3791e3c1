//! What the purchase-order pages show.

use serde::{Deserialize, Serialize};

/// An order in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderSummary {
    pub id: i64,
    pub number: i64,
    pub supplier_name: String,
    pub location_name: String,
    /// `domain::purchasing::Status` as stored: draft, sent, partially_received, received, cancelled.
    pub status: String,
    pub currency: String,
    pub expected_on: Option<String>,
    pub created_at: String,
    pub lines: i64,
    pub units: i64,
    pub received: i64,
    pub total_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderHead {
    pub id: i64,
    pub number: i64,
    pub supplier_id: Option<i64>,
    pub supplier_name: String,
    /// "" when the supplier has none (the order is downloaded, not emailed).
    pub supplier_email: String,
    pub location_id: i64,
    pub location_name: String,
    pub currency: String,
    pub status: String,
    pub expected_on: Option<String>,
    pub notes: String,
    pub created_at: String,
    pub sent_at: Option<String>,
    pub closed_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLineRow {
    pub variant_id: i64,
    pub sku: String,
    pub supplier_sku: String,
    pub title: String,
    pub quantity: i64,
    pub received: i64,
    pub unit_cost_cents: i64,
}

/// One order, with its documents ready to download.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderPage {
    pub head: OrderHead,
    pub lines: Vec<OrderLineRow>,
    /// "PO-0007".
    pub po_number: String,
    /// "PO-0007-acme-wholesale": the downloads' name.
    pub file_stem: String,
    pub pdf_base64: String,
    pub csv: String,
}

/// Orders created from the reorder list in one go (one per destination location).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Created {
    pub orders: Vec<CreatedOrder>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedOrder {
    pub id: i64,
    pub po_number: String,
    pub location_name: String,
}
