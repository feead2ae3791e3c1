pub mod alert_filters;
pub mod alert_table;
pub mod charts;
pub mod error_notice;
pub mod format;
pub mod nav;
pub mod summary_cards;
pub mod sync_progress;
