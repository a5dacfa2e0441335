//! The Discord adapter, end to end: the real serenity client against a fake Discord on
//! 127.0.0.1 that the tests own.

mod binary;
mod commands;
mod conformance;
mod conversations;
mod e2e;
mod endpoint;
mod events;
pub mod fake;
pub mod fixtures;
mod images;
pub mod limits;
mod load;
mod manifests;
mod pause;
pub mod process;
mod served;
pub mod signing;
mod stats;
mod team;
mod transport;
mod workflow;
