//! tweetguard: review proposed tweets against a team's Twitter guidelines, track reviewers'
//! approvals, and only then post.
//!
//! The crate is a library with a thin binary over it (see `src/main.rs`). Data flows one way:
//! adapters (Discord, database, publishers) call into two pure cores that do no I/O:
//!
//! - [`review`]: `review(text, &Settings, &History) -> Review`, the guideline engine.
//! - [`workflow`]: the approval state machine, `apply(state, event, policy, now)`.
//!
//! The Discord adapter ([`discord`]) parses interactions and renders reviews as embeds.
//! The store ([`store`]) keeps the workflow's state in SQLite or PostgreSQL.

pub mod cli;
pub mod discord;
pub mod events;
pub mod http_server;
pub mod i18n;
pub mod media;
pub mod metrics;
pub mod ops;
pub mod publish;
pub mod review;
pub mod secret;
pub mod stats;
pub mod store;
pub mod workflow;
