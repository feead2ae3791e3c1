//! The fake Shopify's data: demo shops generated deterministically from a seed.

pub mod catalog;
pub mod seed_sql;
