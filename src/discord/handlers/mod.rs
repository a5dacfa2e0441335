//! One module per command. A handler takes the [`Router`](super::router::Router) (settings,
//! limiters, the store) and an [`Invocation`](super::router::Invocation), and returns the
//! [`Response`](super::response::Response).

pub mod card;
pub mod guidelines;
pub mod images;
pub mod queue;
pub mod review;
pub mod settings;
pub mod signature;
pub mod stats;
pub mod submit;
