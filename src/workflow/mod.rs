//! The approval workflow: a pure state machine.
//!
//! A [`Proposal`] moves between [`Status`]es only through [`apply`], which takes the current
//! state, an [`Event`], the server's [`Policy`] and the current time, and returns either a
//! [`Transition`] (new state, audit entry, whether to enqueue the post, what to tell the
//! author) or a [`WorkflowError`] a person can read. No I/O, no clock, no ids made up here: the
//! store and the Discord adapter bring them, so every rule is tested without either.

mod apply;
pub mod conversation;
mod error;
mod event;
pub mod media;
mod policy;
mod proposal;

pub use apply::apply;
pub use conversation::{parse_link, Conversation, Kind, Link, LinkError, Target};
pub use error::WorkflowError;
pub use event::{Event, Notice, ReconcileOutcome, Transition};
pub use media::{Image, MAX_IMAGES};
pub use policy::{Policy, PolicyError, Quorum};
pub use proposal::{
    content_hash, payload_hash, Action, AuditEntry, GuildId, Member, MemberId, Override, Proposal,
    ProposalId, Revision, RoleId, Status, Vote, VoteKind,
};

#[cfg(test)]
mod tests;
