//! Purchasing (issue 19), the pure part: what a supplier accepts (minimum order quantity,
//! case packs, minimum order value), a purchase order's life (draft → sent → partially
//! received → received, or cancelled), stock gaps before incoming stock lands, and the
//! supplier catalogue's CSV, validated row by row. The Worker stores suppliers and orders
//! and sends them; every decision is here.

pub mod catalogue_csv;
pub mod document;
pub mod gap;
pub mod order;
pub mod pdf;
pub mod supplier;
pub mod supply;
pub mod terms;

pub use catalogue_csv::{
    match_variants, parse_catalogue, parse_catalogue_lines, write_catalogue, CatalogueRow, RowError, CATALOGUE_HEADER,
};
pub use document::{DocLine, PurchaseOrderDoc, PO_CSV_HEADER};
pub use gap::{first_gap, Arrival, StockGap};
pub use order::{po_number, Receipt, Status, StatusError};
pub use supplier::{is_email, ItemChoice, ItemInput, SupplierDetails, SupplierInput};
pub use supply::{by_supplier, Item, Supplier, SupplierBook};
pub use terms::{accept, top_up_to_minimum, Accepted, Rounding, SupplyTerms, TermsError};
