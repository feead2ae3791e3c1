//! Admin GraphQL: the queries the app sends and the responses it reads.
//!
//! Everything here follows Shopify's documented wire format for the pinned API version
//! (`super::API_VERSION`), so the same code talks to the real Shopify and to the local fake:
//! - the documents are constants (or, for the dated orders export, a pure builder): `documents`;
//! - responses are `GraphqlResponse<T>` with `data`, `errors` (a throttled call carries
//!   `extensions.code == "THROTTLED"`) and `extensions.cost.throttleStatus`: `responses`;
//! - bulk operation results are JSON Lines where nested connection items are separate lines
//!   pointing at their parent with `__parentId` (in any order: with `groupObjects: false`
//!   children may come before their parent), parsed here into typed records: `bulk_jsonl`,
//!   folded into sales per day by `daily_sales`;
//! - `retry_delay` is the one retry/backoff policy for every Admin API call: `retry`.
//!
//! The submodules are private and everything is re-exported here, so callers keep one path
//! (`shopify::admin::X`) whichever file an item lives in.

mod bulk_jsonl;
mod cache;
mod daily_sales;
mod documents;
mod responses;
mod retry;
mod scalars;
mod transfers;

pub use bulk_jsonl::*;
pub use cache::*;
pub use daily_sales::*;
pub use documents::*;
pub use responses::*;
pub use retry::*;
pub use scalars::*;
pub use transfers::*;

#[cfg(test)]
mod tests;
