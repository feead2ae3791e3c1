//! D1 repositories, one per table family. All SQL that touches a family lives in its module.

pub mod alerts;
pub mod bulk;
pub mod bundles;
pub mod catalog;
pub mod channels;
pub mod classes;
pub mod dashboard;
pub mod dead_letters;
pub mod digests;
pub mod directory;
pub mod forecasts;
pub mod help;
pub mod incoming;
pub mod inventory;
pub mod job_runs;
pub mod overrides;
pub mod purchase_orders;
pub mod rollups;
pub mod sales;
pub mod sales_import;
pub mod settings;
pub mod shops;
pub mod suppliers;
pub mod sync_runs;
pub mod watch;
pub mod webhook_events;
