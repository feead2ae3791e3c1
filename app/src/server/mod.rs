//! Server-only code (feature `ssr`): Worker bindings, D1 repositories, help articles.
//! Nothing here is compiled into the browser wasm.

pub mod bindings;
pub mod context;
pub mod d1;
pub mod help;
pub mod repo;
