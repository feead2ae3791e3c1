pub mod dashboard;
pub mod help;
pub mod not_found;
pub mod outbox;
pub mod settings;
