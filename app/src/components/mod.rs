pub mod charts;
pub mod error_notice;
pub mod format;
pub mod nav;
pub mod risk_table;
pub mod summary_cards;
pub mod sync_progress;
