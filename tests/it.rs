//! The integration tests: one binary, one module per area (files in `tests/it/`).

#[path = "it/cli.rs"]
mod cli;
#[path = "it/discord/mod.rs"]
mod discord;
#[path = "it/guidelines.rs"]
mod guidelines;
#[path = "it/lexicons.rs"]
mod lexicons;
#[path = "it/robustness.rs"]
mod robustness;
