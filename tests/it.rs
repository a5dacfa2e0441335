//! The integration tests: one binary, one module per area (files in `tests/it/`).

#[path = "it/cli.rs"]
mod cli;
#[path = "it/common.rs"]
mod common;
#[path = "it/concurrency.rs"]
mod concurrency;
#[path = "it/corpus.rs"]
mod corpus;
#[path = "it/deploy.rs"]
mod deploy;
#[path = "it/discord/mod.rs"]
mod discord;
#[path = "it/events.rs"]
mod events;
#[path = "it/export.rs"]
mod export;
#[path = "it/guidelines.rs"]
mod guidelines;
#[path = "it/kill.rs"]
mod kill;
#[path = "it/length.rs"]
mod length;
#[path = "it/lexicons.rs"]
mod lexicons;
#[path = "it/publish/mod.rs"]
mod publish;
#[path = "it/purity.rs"]
mod purity;
#[path = "it/render.rs"]
mod render;
#[path = "it/robustness.rs"]
mod robustness;
#[path = "it/spelling.rs"]
mod spelling;
#[path = "it/store.rs"]
mod store;
#[path = "it/timeline.rs"]
mod timeline;
