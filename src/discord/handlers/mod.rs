//! One module per command. A handler takes the [`Router`](super::router::Router) (settings,
//! limiters, the store) and an [`Invocation`](super::router::Invocation), and returns the
//! [`Response`](super::response::Response).

pub mod card;
pub mod review;
pub mod submit;
