pub mod dashboard;
pub mod help;
pub mod not_found;
pub mod reorder;
pub mod outbox;
pub mod settings;
pub mod settings_watch;
pub mod variant;
