//! What can happen to a proposal, and what a transition says happened.

use serde::{Deserialize, Serialize};

use super::conversation::Conversation;
use super::media::Image;
use super::proposal::{Action, AuditEntry, GuildId, Member, MemberId, Proposal, ProposalId};
use crate::review::{Language, Review};

/// One thing a person (or the bot) does to a proposal. Votes name the revision the voter saw,
/// so a click on a card that is no longer current is refused instead of approving new text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// Creates the proposal; `id` comes from the store.
    Submit {
        id: ProposalId,
        guild: GuildId,
        author: Member,
        text: String,
        review: Review,
        /// What it answers, quotes or reposts.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        conversation: Option<Conversation>,
        /// Its images (their bytes already in the store).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        images: Vec<Image>,
    },
    /// A new revision by the author: earlier approvals no longer count.
    Edit {
        by: Member,
        text: String,
        review: Review,
        /// The revision's conversation (the same as before unless the author changed it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        conversation: Option<Conversation>,
        /// The revision's images: replaced, added or removed, any change is a new revision.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        images: Vec<Image>,
    },
    Approve {
        by: Member,
        revision: u32,
    },
    RequestChanges {
        by: Member,
        revision: u32,
        reason: String,
    },
    Reject {
        by: Member,
        reason: String,
    },
    /// The author takes it back.
    Withdraw {
        by: Member,
    },
    /// An admin approves a revision whose review is `blocked`, saying why.
    Override {
        by: Member,
        revision: u32,
        reason: String,
    },
    /// The bot's sweeper, once the proposal waited too long.
    Expire,
    /// The bot's sweeper: the proposal was to be posted at `at` and is still not approved, so
    /// it expires rather than going out late (recorded as an expiry).
    MissedSchedule {
        at: chrono::DateTime<chrono::Utc>,
    },
    /// The publisher claimed the outbox entry and is about to post.
    PublishStarted,
    PublishPosted {
        remote_id: String,
    },
    PublishFailed {
        error: String,
    },
    /// The publisher can't tell whether the post went out (timeout, crash).
    PublishUnknown {
        detail: String,
    },
    /// Someone (or a reconciler, `by: None`) checked the remote account.
    Reconciled {
        by: Option<Member>,
        outcome: ReconcileOutcome,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ReconcileOutcome {
    /// It was posted after all.
    Posted { remote_id: String },
    /// It was not: the proposal becomes `failed`, from where it may be retried.
    NotPosted,
    /// It was, but it is a thread with parts still to post: the proposal goes back to the
    /// worker (through `failed`, due now), which posts the rest, each part answering the last.
    PartPosted { remote_id: String },
}

impl Event {
    pub fn action(&self) -> Action {
        match self {
            Event::Submit { .. } => Action::Submit,
            Event::Edit { .. } => Action::Edit,
            Event::Approve { .. } => Action::Approve,
            Event::RequestChanges { .. } => Action::RequestChanges,
            Event::Reject { .. } => Action::Reject,
            Event::Withdraw { .. } => Action::Withdraw,
            Event::Override { .. } => Action::Override,
            Event::Expire | Event::MissedSchedule { .. } => Action::Expire,
            Event::PublishStarted => Action::PublishStarted,
            Event::PublishPosted { .. } => Action::PublishPosted,
            Event::PublishFailed { .. } => Action::PublishFailed,
            Event::PublishUnknown { .. } => Action::PublishUnknown,
            Event::Reconciled { .. } => Action::Reconcile,
        }
    }

    /// The member acting, `None` when it is the bot.
    pub fn actor(&self) -> Option<&Member> {
        match self {
            Event::Submit { author: by, .. }
            | Event::Edit { by, .. }
            | Event::Approve { by, .. }
            | Event::RequestChanges { by, .. }
            | Event::Reject { by, .. }
            | Event::Withdraw { by }
            | Event::Override { by, .. } => Some(by),
            Event::Reconciled { by, .. } => by.as_ref(),
            Event::Expire
            | Event::MissedSchedule { .. }
            | Event::PublishStarted
            | Event::PublishPosted { .. }
            | Event::PublishFailed { .. }
            | Event::PublishUnknown { .. } => None,
        }
    }
}

/// What the author is told after a transition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Notice {
    Approved,
    ChangesRequested { by: MemberId, reason: String },
    Rejected { by: MemberId, reason: String },
    Expired,
    Posted { remote_id: String },
    PublishFailed { error: String },
    NeedsReconcile,
}

impl Notice {
    /// The message for the author, in their language.
    pub fn message(&self, lang: Language) -> String {
        match (self, lang) {
            (Notice::Approved, Language::En) => "Your proposal is approved; it will be posted shortly.".into(),
            (Notice::Approved, Language::Fr) => "Votre proposition est approuvée ; elle sera publiée sous peu.".into(),
            (Notice::ChangesRequested { by, reason }, Language::En) => format!("<@{by}> asked for changes: {reason}"),
            (Notice::ChangesRequested { by, reason }, Language::Fr) => format!("<@{by}> demande des modifications : {reason}"),
            (Notice::Rejected { by, reason }, Language::En) => format!("<@{by}> rejected your proposal: {reason}"),
            (Notice::Rejected { by, reason }, Language::Fr) => format!("<@{by}> a rejeté votre proposition : {reason}"),
            (Notice::Expired, Language::En) => "Your proposal expired without a decision; propose it again if it still matters.".into(),
            (Notice::Expired, Language::Fr) => "Votre proposition a expiré sans décision ; proposez-la de nouveau si elle est toujours d'actualité.".into(),
            (Notice::Posted { remote_id }, Language::En) => format!("Your proposal is posted ({remote_id})."),
            (Notice::Posted { remote_id }, Language::Fr) => format!("Votre proposition est publiée ({remote_id})."),
            (Notice::PublishFailed { error }, Language::En) => format!("Posting your proposal failed: {error}"),
            (Notice::PublishFailed { error }, Language::Fr) => format!("La publication de votre proposition a échoué : {error}"),
            (Notice::NeedsReconcile, Language::En) => "We can't tell whether your proposal was posted; an admin will check before anything is retried.".into(),
            (Notice::NeedsReconcile, Language::Fr) => "Impossible de savoir si votre proposition a été publiée ; un admin vérifiera avant toute nouvelle tentative.".into(),
        }
    }
}

/// The outcome of one accepted event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    /// The new state (version bumped, audit entry appended).
    pub proposal: Proposal,
    /// The audit entry this event added (also the last of `proposal.audit`).
    pub entry: AuditEntry,
    /// The proposal has just become approved: exactly one outbox entry must be created.
    pub enqueue_post: bool,
    /// For the author.
    pub notices: Vec<Notice>,
}
