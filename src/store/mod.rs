//! Where proposals live: a [`Store`] trait and its SQL implementation for SQLite (the embedded
//! default) and PostgreSQL (several bot processes on one database).
//!
//! Every change follows one pattern, in one transaction: read the proposal (and its version),
//! run the pure [`workflow::apply`](crate::workflow::apply), write the new state only over the
//! version read, append the audit entry, and create the outbox entry when the proposal has just
//! been approved. When the condition fails (someone else's write landed first) the whole
//! transaction is retried from the read, a bounded number of times. Uniqueness in the schema
//! (one vote per member and revision, one audit entry per version, one outbox entry per
//! proposal) backs this up, so no interleaving of clicks, processes or retries can count a vote
//! twice or reserve two posts.
//!
//! Posting adds one rule (`publications.rs`): a publication is marked `sending`, with its
//! key, in a committed transaction before its request leaves, and every write of a publishing
//! worker is conditioned on its claim on the outbox entry, so a crash leaves "maybe posted"
//! for a lookup, never for a blind resend, and a worker taken over can't write.

pub mod export;
mod sql;

pub use sql::{ACTION_PAUSE, ACTION_UNPAUSE};

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::review::PostClass;
use crate::review::{Language, Review};
use crate::workflow::media::{Image, ImageFile};
pub use crate::workflow::Proposal;
use crate::workflow::{
    AuditEntry, Conversation, Event, GuildId, Member, MemberId, Policy, PolicyError, ProposalId,
    Status, Transition, WorkflowError,
};
pub use sql::timeline::{self, Counts, StoredPost, TimelinePost};
pub use sql::{Backend, SqlStore};

/// How long interaction ids are remembered ([`Store::claim_interaction`]). Discord keeps an
/// interaction's token for 15 minutes and the HTTP transport refuses a signature timestamp
/// more than 5 minutes off; an hour leaves room for clocks that disagree between replicas.
pub const INTERACTION_RETENTION: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// Opens the store `url` names (`sqlite://path` or `postgres://...`), creating a SQLite file on
/// first start, and runs the migrations.
pub async fn open(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    Ok(Arc::new(SqlStore::open(url).await?))
}

/// The operations the bot needs, whatever the database.
#[async_trait]
pub trait Store: Send + Sync {
    /// Creates a proposal from its first text (and what it answers, quotes or reposts) and
    /// that text's review.
    async fn submit(
        &self,
        guild: GuildId,
        author: &Member,
        text: &str,
        conversation: Option<&Conversation>,
        review: &Review,
        now: DateTime<Utc>,
    ) -> Result<Transition, StoreError>;

    /// [`Store::submit`] with images: their bytes must have been staged first
    /// ([`Store::stage_image`]), and are copied to the revision in the same transaction.
    #[allow(clippy::too_many_arguments)]
    async fn submit_with_images(
        &self,
        guild: GuildId,
        author: &Member,
        text: &str,
        conversation: Option<&Conversation>,
        images: &[Image],
        review: &Review,
        now: DateTime<Utc>,
    ) -> Result<Transition, StoreError>;

    /// Keeps an image's bytes (keyed by their SHA-256) until a revision takes them: an
    /// attachment is downloaded at once, before the author has finished the proposal. Bytes
    /// no revision took are forgotten after a day.
    async fn stage_image(&self, file: &ImageFile, now: DateTime<Utc>) -> Result<(), StoreError>;

    /// The images of one revision of a proposal, with their bytes, in posting order.
    async fn images(&self, id: ProposalId, revision: u32) -> Result<Vec<ImageFile>, StoreError>;

    /// Applies one event to a proposal of `guild` (a proposal of another server is "no such
    /// proposal": ids must not leak across servers).
    async fn apply(
        &self,
        guild: GuildId,
        id: ProposalId,
        event: &Event,
        now: DateTime<Utc>,
    ) -> Result<Transition, StoreError>;

    /// A proposal with its revisions, votes and audit trail.
    async fn proposal(&self, id: ProposalId) -> Result<Option<Proposal>, StoreError>;

    /// Proposals of a server, newest first.
    async fn list(&self, filter: &ProposalFilter) -> Result<Vec<ProposalSummary>, StoreError>;

    /// A server's settings; the defaults when it never saved any.
    async fn settings(&self, guild: GuildId) -> Result<GuildSettings, StoreError>;

    /// Saves a server's settings, refusing a policy that can't work.
    async fn put_settings(
        &self,
        guild: GuildId,
        settings: &GuildSettings,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// A member's registered signature (`^SG`), if any.
    async fn signature(
        &self,
        guild: GuildId,
        member: MemberId,
    ) -> Result<Option<String>, StoreError>;

    /// Every signature the server's members registered, in no order: the account's posts
    /// carry no author, and any of them at the end signs one.
    async fn signatures(&self, guild: GuildId) -> Result<Vec<String>, StoreError>;

    /// Registers (`Some`) or forgets (`None`) a member's signature.
    async fn set_signature(
        &self,
        guild: GuildId,
        member: MemberId,
        signature: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Remembers where a proposal's review card was posted (a repost replaces it).
    async fn set_card(
        &self,
        id: ProposalId,
        card: CardRef,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Where a proposal's review card is, if it was posted.
    async fn card(&self, id: ProposalId) -> Result<Option<CardRef>, StoreError>;

    /// Claims the next due post for `worker`: the proposal moves to `publishing` in the same
    /// transaction, so two workers never claim the same entry.
    async fn claim_post(
        &self,
        worker: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<OutboxEntry>, StoreError>;

    /// Records what the publisher said about a claimed post.
    async fn record_post(
        &self,
        id: ProposalId,
        outcome: &PublishOutcome,
        now: DateTime<Utc>,
    ) -> Result<Transition, StoreError>;

    /// The outbox entry of a proposal, if it was ever approved.
    async fn outbox(&self, id: ProposalId) -> Result<Option<OutboxEntry>, StoreError>;

    /// The audit trail of every proposal, oldest first, for an export.
    async fn audit(&self, query: &AuditQuery) -> Result<Vec<AuditRecord>, StoreError>;

    /// A cheap round trip to the database, for readiness checks.
    async fn ping(&self) -> Result<(), StoreError>;

    /// Takes Discord interaction `id` in hand: `true` the first time any process on this
    /// database sees it, `false` for a repeat (a replayed HTTP request, an event delivered
    /// twice), which must then change nothing. Ids are remembered for
    /// [`INTERACTION_RETENTION`]; older ones are pruned on the way.
    async fn claim_interaction(&self, id: u64, now: DateTime<Utc>) -> Result<bool, StoreError>;

    // --- Publishing, per network (publications.rs) -------------------------------------------

    /// The publications of a proposal, by network name and thread part.
    async fn publications(&self, id: ProposalId) -> Result<Vec<Publication>, StoreError>;

    /// The publication of `claim`'s proposal on `network` (of its thread's `part`; 0 for a
    /// single tweet), created `pending` with `key` (a
    /// record key or idempotency key) when it does not exist yet: the key is committed before
    /// anything is sent, so a lookup after a crash uses the same one. An existing row keeps its
    /// key. Refused with [`StoreError::LostClaim`] when `claim` is no longer held.
    async fn prepare_publication(
        &self,
        claim: &OutboxEntry,
        network: &str,
        part: u32,
        key: &str,
        now: DateTime<Utc>,
    ) -> Result<Publication, StoreError>;

    /// Marks a `pending` or `failed` publication `sending`, just before the request: from here
    /// on, a crash leaves "maybe posted". Refused with [`StoreError::LostClaim`] when `claim`
    /// is no longer held, or the publication is not in a state that may be sent.
    async fn start_publication(
        &self,
        claim: &OutboxEntry,
        network: &str,
        part: u32,
        now: DateTime<Utc>,
    ) -> Result<Publication, StoreError>;

    /// Records what the network said (or what a lookup found) about a `sending` or `unknown`
    /// publication, under the same condition on the claim.
    async fn finish_publication(
        &self,
        claim: &OutboxEntry,
        network: &str,
        part: u32,
        result: &PublicationResult,
        now: DateTime<Utc>,
    ) -> Result<Publication, StoreError>;

    /// Takes over entries left `publishing`: those claimed by `worker` itself (its previous
    /// life), and those whose claim is older than `stale_before` (a dead worker's). Each is
    /// re-claimed (new `attempts`, so the old claim no longer holds) and returned.
    async fn resume_posts(
        &self,
        worker: &str,
        stale_before: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Vec<OutboxEntry>, StoreError>;

    /// An admin's Retry on a `failed` proposal: its outbox entry is due now.
    async fn retry_post(
        &self,
        guild: GuildId,
        id: ProposalId,
        by: &Member,
        now: DateTime<Utc>,
    ) -> Result<OutboxEntry, StoreError>;

    /// An admin's decision on a proposal that needs reconciling, in one transaction: posted
    /// after all (`Some(remote id or URL)`; the unresolved publications become `posted`) or not
    /// (`None`: they become `failed` and the outbox entry is due now, to post again).
    async fn reconcile_post(
        &self,
        guild: GuildId,
        id: ProposalId,
        by: &Member,
        posted: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Transition, StoreError>;

    /// Sets (`Some`) or clears (`None`) the time a proposal is to be posted at. Open or approved
    /// (not yet posted) proposals only.
    async fn set_schedule(
        &self,
        guild: GuildId,
        id: ProposalId,
        at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// When a proposal is to be posted, if it was scheduled.
    async fn schedule(&self, id: ProposalId) -> Result<Option<DateTime<Utc>>, StoreError>;

    /// Expires the open proposals whose scheduled time has come (they were not approved in
    /// time, and are never posted late), and those whose latest revision waited longer than
    /// the server's expiry without a decision; returns the transitions made (the author is
    /// told of each).
    async fn expire_missed(&self, now: DateTime<Utc>) -> Result<Vec<Transition>, StoreError>;

    // --- The server's pause (pauses.rs) -------------------------------------------------------

    /// The server's pause, while it is paused (`/settings pause on`).
    async fn pause(&self, guild: GuildId) -> Result<Option<Pause>, StoreError>;

    /// Pauses the server's posting (`Some(reason)`) or ends the pause (`None`), and writes the
    /// change to the server's audit trail in the same transaction. While paused,
    /// [`Store::claim_post`] and [`Store::resume_posts`] leave the server's entries alone: they
    /// wait, and go once the pause ends. Pausing a paused server replaces the reason (and is
    /// recorded again); `false` when nothing changed (ending a pause that isn't there).
    async fn set_pause(
        &self,
        guild: GuildId,
        by: MemberId,
        pause: Option<Option<&str>>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    /// What happened to servers rather than to one proposal (pauses), oldest first.
    async fn guild_audit(&self, query: &AuditQuery) -> Result<Vec<GuildAuditRecord>, StoreError>;

    // --- The account's posts and their reach (timeline.rs) ----------------------------------

    /// Stores posts of the account for `guild` (deduplicated by network and post id; a post
    /// the bot made is linked to its proposal), keeping the most recent
    /// [`timeline::MAX_POSTS`] per network. How many were new.
    async fn save_timeline(
        &self,
        guild: GuildId,
        posts: &[TimelinePost],
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError>;

    /// What the server's `n` most recent posts were, oldest first (a proposal cross-posted to
    /// several networks counts once): the history the review rules read.
    async fn recent_classes(&self, guild: GuildId, n: usize) -> Result<Vec<PostClass>, StoreError>;

    /// Records a post's counts at `checkpoint` (`1h`, `1d`, `7d`, ...), once: `false` when
    /// that checkpoint was already recorded.
    async fn record_engagement(
        &self,
        guild: GuildId,
        network: &str,
        post_id: &str,
        checkpoint: &str,
        counts: &Counts,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    /// The server's posts since `since` (all when `None`), oldest first, with their counts.
    async fn timeline(
        &self,
        guild: GuildId,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<StoredPost>, StoreError>;

    /// The servers the bot knows (saved settings, or a proposal).
    async fn guilds(&self) -> Result<Vec<GuildId>, StoreError>;
}

/// A server's pause: nothing is posted for it while it lasts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    pub by: MemberId,
    pub reason: Option<String>,
    pub since: DateTime<Utc>,
}

/// One entry of a server's own audit trail (`pause`, `unpause`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuildAuditRecord {
    pub guild: GuildId,
    pub at: DateTime<Utc>,
    pub actor: Option<MemberId>,
    pub action: String,
    pub detail: Option<String>,
}

/// Why a store operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The workflow refused the event: show this to the person who clicked.
    #[error(transparent)]
    Refused(#[from] WorkflowError),
    #[error("these settings can't work: {0}")]
    InvalidSettings(#[from] PolicyError),
    /// Other writes kept landing first; the retries ran out.
    #[error("too many people changed this proposal at once; try again")]
    Conflict,
    #[error("the database URL must start with sqlite:// or postgres://")]
    UnsupportedUrl,
    /// What the database holds does not make sense (e.g. a proposal without revision).
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    /// A database failure; the details are for the logs, not for users.
    #[error("database error")]
    Database(#[source] sqlx::Error),
    #[error("database migration failed")]
    Migrate(#[source] sqlx::migrate::MigrateError),
    /// A publishing worker's claim on an outbox entry was taken over (it was thought dead) or
    /// the entry left `publishing`: the worker must stop touching it.
    #[error("this post is no longer claimed by this worker")]
    LostClaim,
}

impl StoreError {
    /// The message for the person who clicked, in their language.
    pub fn message(&self, lang: Language) -> String {
        match (self, lang) {
            (StoreError::Refused(e), _) => e.message(lang),
            (StoreError::InvalidSettings(_), Language::En) => self.to_string(),
            (StoreError::InvalidSettings(e), Language::Fr) => match e {
                PolicyError::NoApprovalRequired => {
                    "il faut au moins une approbation".into()
                }
                PolicyError::NoExpiry => "le délai d'expiration doit être d'au moins une heure".into(),
                PolicyError::ContractorQuorum => "un rôle de quorum ne peut pas être un rôle de contractuel : les contractuels n'approuvent jamais".into(),
            },
            (StoreError::Conflict, Language::En) => self.to_string(),
            (StoreError::Conflict, Language::Fr) => {
                "trop de personnes modifient cette proposition en même temps ; réessayez".into()
            }
            (_, Language::En) => "something went wrong on our side; try again later".into(),
            (_, Language::Fr) => {
                "un problème est survenu de notre côté ; réessayez plus tard".into()
            }
        }
    }
}

/// A server's settings: the approval policy plus whatever other features keep there.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GuildSettings {
    #[serde(default)]
    pub policy: Policy,
    /// Settings owned by other parts of the bot (review settings, channels...), kept as is.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// Where a proposal's review card is: the bot edits it when the proposal changes without a
/// click on it (posted, failed, expired) and links to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CardRef {
    pub channel_id: u64,
    pub message_id: u64,
}

/// Which proposals to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalFilter {
    pub guild: GuildId,
    pub status: Option<Status>,
    pub author: Option<MemberId>,
    pub limit: u32,
}

impl ProposalFilter {
    pub fn guild(guild: GuildId) -> Self {
        ProposalFilter {
            guild,
            status: None,
            author: None,
            limit: 50,
        }
    }
}

/// A line of a list of proposals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalSummary {
    pub id: ProposalId,
    pub guild: GuildId,
    pub author: MemberId,
    pub status: Status,
    pub revision: u32,
    pub text: String,
    pub updated_at: DateTime<Utc>,
    /// Where its review card is, when it was posted: a list links to each card without a
    /// read per line.
    pub card: Option<CardRef>,
}

/// Where an outbox entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    /// Waiting for a worker (first try or retry).
    Pending,
    Publishing,
    Done,
    Failed,
    /// The publisher could not tell whether it posted: never retried automatically.
    Unknown,
    /// The proposal was withdrawn (or otherwise closed) before it was posted.
    Cancelled,
}

impl OutboxStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Pending => "pending",
            OutboxStatus::Publishing => "publishing",
            OutboxStatus::Done => "done",
            OutboxStatus::Failed => "failed",
            OutboxStatus::Unknown => "unknown",
            OutboxStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<OutboxStatus> {
        [
            OutboxStatus::Pending,
            OutboxStatus::Publishing,
            OutboxStatus::Done,
            OutboxStatus::Failed,
            OutboxStatus::Unknown,
            OutboxStatus::Cancelled,
        ]
        .into_iter()
        .find(|s2| s2.as_str() == s)
    }

    /// The outbox status that follows a proposal's status, when it says something about the post.
    fn following(status: Status) -> Option<OutboxStatus> {
        match status {
            Status::Publishing => Some(OutboxStatus::Publishing),
            Status::Posted => Some(OutboxStatus::Done),
            Status::Failed => Some(OutboxStatus::Failed),
            Status::NeedsReconcile => Some(OutboxStatus::Unknown),
            Status::Withdrawn | Status::Rejected | Status::Expired => Some(OutboxStatus::Cancelled),
            Status::Pending | Status::ChangesRequested | Status::Approved => None,
        }
    }
}

/// A post to make: the exact approved text, frozen when the proposal was approved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub id: i64,
    pub proposal: ProposalId,
    pub guild: GuildId,
    pub revision: u32,
    pub text: String,
    /// What the approved revision answers, quotes or reposts.
    pub conversation: Option<Conversation>,
    pub status: OutboxStatus,
    pub attempts: u32,
    pub due_at: DateTime<Utc>,
    pub claimed_by: Option<String>,
    pub last_error: Option<String>,
}

/// What a publisher reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PublishOutcome {
    Posted {
        remote_id: String,
    },
    /// It certainly did not post; with `retry_at`, the entry is due again then.
    Failed {
        error: String,
        retry_at: Option<DateTime<Utc>>,
    },
    /// It may or may not have posted (timeout): a person has to reconcile.
    Unknown {
        detail: String,
    },
}

impl PublishOutcome {
    fn event(&self) -> Event {
        match self {
            PublishOutcome::Posted { remote_id } => Event::PublishPosted {
                remote_id: remote_id.clone(),
            },
            PublishOutcome::Failed { error, .. } => Event::PublishFailed {
                error: error.clone(),
            },
            PublishOutcome::Unknown { detail } => Event::PublishUnknown {
                detail: detail.clone(),
            },
        }
    }
}

/// Where one proposal stands on one network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublicationStatus {
    /// Key chosen, nothing sent.
    Pending,
    /// The request is (or was, before a crash) on its way: maybe posted.
    Sending,
    Posted,
    /// Certainly not posted.
    Failed,
    /// A lookup could not tell: a person decides.
    Unknown,
}

impl PublicationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PublicationStatus::Pending => "pending",
            PublicationStatus::Sending => "sending",
            PublicationStatus::Posted => "posted",
            PublicationStatus::Failed => "failed",
            PublicationStatus::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<PublicationStatus> {
        [
            PublicationStatus::Pending,
            PublicationStatus::Sending,
            PublicationStatus::Posted,
            PublicationStatus::Failed,
            PublicationStatus::Unknown,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
}

/// A proposal's post on one network (`x`, `mastodon`, `bluesky`, `webhook`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publication {
    pub proposal: ProposalId,
    pub network: String,
    /// The thread part (0-based; a single tweet is part 0). Each part is posted, fenced and
    /// looked up on its own.
    pub part: u32,
    pub status: PublicationStatus,
    /// Bluesky's record key or Mastodon's Idempotency-Key, chosen before the first send.
    pub key: String,
    pub remote_id: Option<String>,
    /// Bluesky's content id of the post, which a reply to it must name with its URI.
    pub remote_cid: Option<String>,
    /// The post's public address, for the card.
    pub url: Option<String>,
    /// Requests sent (lookups not counted).
    pub attempts: u32,
    pub last_error: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// What became of one publication.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PublicationResult {
    Posted {
        remote_id: String,
        cid: Option<String>,
        url: Option<String>,
    },
    /// Certainly not posted: may be sent again.
    Failed { error: String },
    /// Nobody can tell.
    Unknown { detail: String },
}

/// Which audit entries to export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// Only entries at or after this instant.
    pub since: Option<DateTime<Utc>>,
    pub guild: Option<GuildId>,
}

/// One audit entry with the proposal it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub proposal: ProposalId,
    pub guild: GuildId,
    /// Position in the proposal's trail (1 = submission).
    pub seq: u64,
    #[serde(flatten)]
    pub entry: AuditEntry,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_errors_read_in_both_languages_and_hide_database_details() {
        let errors = [
            StoreError::Refused(WorkflowError::OwnProposal),
            StoreError::InvalidSettings(PolicyError::NoApprovalRequired),
            StoreError::Conflict,
            StoreError::Database(sqlx::Error::PoolTimedOut),
            StoreError::Corrupt("proposal 3 has no revision".into()),
        ];
        for e in &errors {
            let (en, fr) = (e.message(Language::En), e.message(Language::Fr));
            assert!(!en.is_empty() && !fr.is_empty() && en != fr, "{e:?}");
        }
        let db = StoreError::Database(sqlx::Error::PoolTimedOut).message(Language::En);
        assert!(!db.contains("pool"), "no database detail for users: {db}");
        assert_eq!(
            StoreError::Refused(WorkflowError::OwnProposal).message(Language::Fr),
            WorkflowError::OwnProposal.message(Language::Fr)
        );
    }
}
