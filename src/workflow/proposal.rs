//! What a proposal is: its revisions, votes, status and audit trail.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

use super::conversation::Conversation;
use super::media::{self, Image};
use crate::review::{Language, Review};

macro_rules! snowflake {
    ($(#[$doc:meta])* $name:ident($inner:ty)) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub $inner);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

snowflake!(
    /// A Discord server (guild) id.
    GuildId(u64)
);
snowflake!(
    /// A Discord user id.
    MemberId(u64)
);
snowflake!(
    /// A Discord role id.
    RoleId(u64)
);
snowflake!(
    /// A proposal's id, allocated by the store (the pure core never invents ids).
    ProposalId(i64)
);

/// Who acts, as Discord told us at the moment of the click: roles can change between two
/// clicks, so they travel with every event rather than being looked up later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: MemberId,
    pub roles: Vec<RoleId>,
    /// The server's administrators (Discord `ADMINISTRATOR` or `MANAGE_GUILD`) may override.
    pub is_admin: bool,
}

/// Where a proposal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pending,
    ChangesRequested,
    Approved,
    Publishing,
    Posted,
    Failed,
    /// The publisher was asked to post but never said whether it did (timeout, crash): a
    /// person or a reconciler has to look before anything is retried, or it could post twice.
    NeedsReconcile,
    Rejected,
    Withdrawn,
    Expired,
}

impl Status {
    pub const ALL: [Status; 10] = [
        Status::Pending,
        Status::ChangesRequested,
        Status::Approved,
        Status::Publishing,
        Status::Posted,
        Status::Failed,
        Status::NeedsReconcile,
        Status::Rejected,
        Status::Withdrawn,
        Status::Expired,
    ];

    /// The stable id, as stored and exported.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::ChangesRequested => "changes_requested",
            Status::Approved => "approved",
            Status::Publishing => "publishing",
            Status::Posted => "posted",
            Status::Failed => "failed",
            Status::NeedsReconcile => "needs_reconcile",
            Status::Rejected => "rejected",
            Status::Withdrawn => "withdrawn",
            Status::Expired => "expired",
        }
    }

    /// Parses [`Status::as_str`].
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Still waiting for reviewers: votes, edits, rejection and expiry apply.
    pub fn is_open(self) -> bool {
        matches!(self, Status::Pending | Status::ChangesRequested)
    }

    /// How a person reads it.
    pub fn label(self, lang: Language) -> &'static str {
        match (self, lang) {
            (Status::Pending, Language::En) => "pending",
            (Status::Pending, Language::Fr) => "en attente",
            (Status::ChangesRequested, Language::En) => "changes requested",
            (Status::ChangesRequested, Language::Fr) => "modifications demandées",
            (Status::Approved, Language::En) => "approved",
            (Status::Approved, Language::Fr) => "approuvée",
            (Status::Publishing, Language::En) => "being posted",
            (Status::Publishing, Language::Fr) => "en cours de publication",
            (Status::Posted, Language::En) => "posted",
            (Status::Posted, Language::Fr) => "publiée",
            (Status::Failed, Language::En) => "failed to post",
            (Status::Failed, Language::Fr) => "en échec de publication",
            (Status::NeedsReconcile, Language::En) => "waiting for a check (post outcome unknown)",
            (Status::NeedsReconcile, Language::Fr) => {
                "à vérifier (on ne sait pas si elle a été publiée)"
            }
            (Status::Rejected, Language::En) => "rejected",
            (Status::Rejected, Language::Fr) => "rejetée",
            (Status::Withdrawn, Language::En) => "withdrawn",
            (Status::Withdrawn, Language::Fr) => "retirée",
            (Status::Expired, Language::En) => "expired",
            (Status::Expired, Language::Fr) => "expirée",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label(Language::En))
    }
}

/// An admin's decision to let a `blocked` review be approved anyway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Override {
    pub by: MemberId,
    pub reason: String,
    pub at: DateTime<Utc>,
}

/// One exact text of a proposal. Approvals are for a revision, never for the proposal as a
/// whole, so an edit can't ride on approvals given to an earlier text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    /// 1, 2, 3...: what reviewers see ("revision 3") and name when they vote.
    pub number: u32,
    pub text: String,
    /// [`payload_hash`] of the text, the conversation and the images.
    pub hash: String,
    pub review: Review,
    pub created_at: DateTime<Utc>,
    #[serde(rename = "override", skip_serializing_if = "Option::is_none")]
    pub overridden: Option<Override>,
    /// What it answers, quotes or reposts (`None`: a post of its own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation: Option<Conversation>,
    /// Its images, in the order they are posted (at most [`media::MAX_IMAGES`]); the bytes are
    /// in the store.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<Image>,
}

/// What an approval is for: the text, what it answers, quotes or reposts, and its images with
/// their alt texts. A post of its own without images hashes as its text alone, as it always
/// did, so approvals stored before images existed keep their meaning.
pub fn payload_hash(text: &str, conversation: Option<&Conversation>, images: &[Image]) -> String {
    let mut payload = match conversation {
        None => text.to_owned(),
        Some(c) => format!("{text}\u{0}{}", c.fingerprint()),
    };
    if !images.is_empty() {
        payload.push_str("\u{0}images\u{0}");
        payload.push_str(&media::fingerprint(images));
    }
    content_hash(&payload)
}

/// SHA-256 (hex) of the text in Unicode NFC: the same words typed on two keyboards (precomposed
/// `é` or `e` + combining accent) are the same text.
pub fn content_hash(text: &str) -> String {
    let nfc: String = text.nfc().collect();
    let digest = Sha256::digest(nfc.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VoteKind {
    Approve,
    RequestChanges,
}

impl VoteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            VoteKind::Approve => "approve",
            VoteKind::RequestChanges => "request_changes",
        }
    }

    pub fn parse(s: &str) -> Option<VoteKind> {
        [VoteKind::Approve, VoteKind::RequestChanges]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// A member's standing vote on one revision. There is at most one per (revision, member): a
/// changed vote replaces the earlier one, it never adds to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vote {
    pub member: MemberId,
    pub revision: u32,
    pub kind: VoteKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The voter's roles when they voted: role quorums count these.
    pub roles: Vec<RoleId>,
    pub at: DateTime<Utc>,
}

/// What happened, in the audit trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Submit,
    Edit,
    Approve,
    RequestChanges,
    Reject,
    Withdraw,
    Override,
    Expire,
    PublishStarted,
    PublishPosted,
    PublishFailed,
    PublishUnknown,
    Reconcile,
}

impl Action {
    pub const ALL: [Action; 13] = [
        Action::Submit,
        Action::Edit,
        Action::Approve,
        Action::RequestChanges,
        Action::Reject,
        Action::Withdraw,
        Action::Override,
        Action::Expire,
        Action::PublishStarted,
        Action::PublishPosted,
        Action::PublishFailed,
        Action::PublishUnknown,
        Action::Reconcile,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Submit => "submit",
            Action::Edit => "edit",
            Action::Approve => "approve",
            Action::RequestChanges => "request_changes",
            Action::Reject => "reject",
            Action::Withdraw => "withdraw",
            Action::Override => "override",
            Action::Expire => "expire",
            Action::PublishStarted => "publish_started",
            Action::PublishPosted => "publish_posted",
            Action::PublishFailed => "publish_failed",
            Action::PublishUnknown => "publish_unknown",
            Action::Reconcile => "reconcile",
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// The statuses this action may start from: the one table the state machine follows.
    pub fn allowed_from(self, status: Status) -> bool {
        use Status::*;
        match self {
            Action::Submit => false,
            Action::Edit
            | Action::Approve
            | Action::RequestChanges
            | Action::Reject
            | Action::Override
            | Action::Expire => status.is_open(),
            // An approved proposal may still be pulled back before it is posted (its outbox
            // entry is then cancelled), and a failed one abandoned rather than retried.
            Action::Withdraw => matches!(status, Pending | ChangesRequested | Approved | Failed),
            Action::PublishStarted => matches!(status, Approved | Failed),
            Action::PublishPosted | Action::PublishFailed | Action::PublishUnknown => {
                status == Publishing
            }
            Action::Reconcile => status == NeedsReconcile,
        }
    }

    /// How a person names it.
    pub fn label(self, lang: Language) -> &'static str {
        match (self, lang) {
            (Action::Submit, Language::En) => "submit",
            (Action::Submit, Language::Fr) => "soumettre",
            (Action::Edit, Language::En) => "edit",
            (Action::Edit, Language::Fr) => "modifier",
            (Action::Approve, Language::En) => "approve",
            (Action::Approve, Language::Fr) => "approuver",
            (Action::RequestChanges, Language::En) => "request changes",
            (Action::RequestChanges, Language::Fr) => "demander des modifications",
            (Action::Reject, Language::En) => "reject",
            (Action::Reject, Language::Fr) => "rejeter",
            (Action::Withdraw, Language::En) => "withdraw",
            (Action::Withdraw, Language::Fr) => "retirer",
            (Action::Override, Language::En) => "override the review",
            (Action::Override, Language::Fr) => "passer outre la revue",
            (Action::Expire, Language::En) => "expire",
            (Action::Expire, Language::Fr) => "expirer",
            (Action::PublishStarted, Language::En) => "start posting",
            (Action::PublishStarted, Language::Fr) => "lancer la publication",
            (Action::PublishPosted, Language::En) => "mark as posted",
            (Action::PublishPosted, Language::Fr) => "marquer comme publiée",
            (Action::PublishFailed, Language::En) => "mark as failed",
            (Action::PublishFailed, Language::Fr) => "marquer comme en échec",
            (Action::PublishUnknown, Language::En) => "mark the outcome as unknown",
            (Action::PublishUnknown, Language::Fr) => "marquer l'issue comme inconnue",
            (Action::Reconcile, Language::En) => "reconcile",
            (Action::Reconcile, Language::Fr) => "réconcilier",
        }
    }
}

/// One line of a proposal's audit trail: who did what, when, from which status to which.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    /// `None` for the bot itself (expiry, publishing).
    pub actor: Option<MemberId>,
    pub action: Action,
    /// The revision current after the action.
    pub revision: u32,
    pub from: Option<Status>,
    pub to: Status,
    /// The reason, error or post id that goes with the action, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// A proposed tweet and everything that happened to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub id: ProposalId,
    pub guild: GuildId,
    pub author: MemberId,
    pub status: Status,
    /// Bumped by every transition: the store writes a new state only over the version it read,
    /// which is what makes two racing clicks safe.
    pub version: u64,
    /// Oldest first; never empty.
    pub revisions: Vec<Revision>,
    /// Every standing vote, on every revision (only the current revision's count).
    pub votes: Vec<Vote>,
    /// Oldest first.
    pub audit: Vec<AuditEntry>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The publisher's id for the post, once posted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote_id: Option<String>,
}

impl Proposal {
    /// The revision reviewers are looking at now.
    pub fn current(&self) -> &Revision {
        // A proposal is created with its first revision and revisions are never removed.
        self.revisions
            .last()
            .expect("a proposal always has at least one revision")
    }

    /// The standing votes on the current revision.
    pub fn current_votes(&self) -> impl Iterator<Item = &Vote> + Clone {
        let n = self.current().number;
        self.votes.iter().filter(move |v| v.revision == n)
    }

    /// Approvals of the current revision.
    pub fn approvals(&self) -> impl Iterator<Item = &Vote> + Clone {
        self.current_votes().filter(|v| v.kind == VoteKind::Approve)
    }
}
