//! Integration tests: one binary, one module per area, in `tests/it/`.

#[path = "it/common.rs"]
mod common;
#[path = "it/concurrency.rs"]
mod concurrency;
#[path = "it/export.rs"]
mod export;
#[path = "it/kill.rs"]
mod kill;
#[path = "it/store.rs"]
mod store;
