pub mod dashboard;
pub mod help;
pub mod not_found;
pub mod outbox;
pub mod reorder;
pub mod settings;
pub mod settings_watch;
pub mod variant;
