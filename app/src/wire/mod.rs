//! Wire types: what the server functions return, defined apart from both the functions
//! (`api`) and the server code that fills them (`server`), so each side imports them
//! without importing the other. `api` re-exports them under their old paths.

pub mod dashboard;
pub mod help;
pub mod overrides;
pub mod purchase_orders;
pub mod suppliers;
pub mod variant;
pub mod watch;
