//! Integration tests, one module per area under `tests/it/` (`#[path]` because this crate root
//! is `tests/it.rs`, whose child modules would otherwise be looked up in `tests/`).

#[path = "it/length.rs"]
mod length;
