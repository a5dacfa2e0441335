//! Integration tests: one binary, one module per area, in `tests/it/`.

#[path = "it/common.rs"]
mod common;
#[path = "it/store.rs"]
mod store;
