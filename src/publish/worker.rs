//! The publishing worker: takes approved proposals from the outbox and posts each to the
//! server's networks exactly once, and the admins' actions on what it could not settle.
//!
//! For each claimed entry and each target network, in order:
//! 1. the publication row is prepared with its key (committed before any request);
//! 2. it is marked `sending` (committed), then the request goes out;
//! 3. the answer is recorded: posted; certainly not posted (retried later, with backoff and
//!    the network's rate-limit headers); or unknown, which is never answered by sending again:
//!    it is looked up on the next round (Mastodon: the same request with the same key;
//!    Bluesky: the record key; X: the account's recent posts), and if the lookup can't tell,
//!    the proposal goes to "needs reconcile" for an admin (Confirm posted / Post again).
//!
//! A crash anywhere leaves either `pending` (nothing sent: safe to send) or `sending` (maybe
//! sent: looked up), so [`Worker::resume`] needs no other rule. Every write is conditioned on
//! the worker still holding its claim, so two workers never send the same publication.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Notify;

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use tracing::{info, instrument, warn};

use super::reading::{Reading, ReviewSettingsFor};
use super::{Lookup, PostRef, PostRequest, PublishError, Publisher, ReplyTo};
use crate::review::{thread, PostClass};
use crate::store::{
    GuildSettings, OutboxEntry, Publication, PublicationResult, PublicationStatus, PublishOutcome,
    Store, StoreError, TimelinePost,
};
use crate::workflow::{GuildId, Kind, Member, ProposalId, Transition, WorkflowError};

/// Tells people what happened: the Discord side edits the review card (status, links) and
/// tells the author. Called after every change the worker makes.
#[async_trait]
pub trait Announcer: Send + Sync {
    async fn announce(&self, transition: &Transition, publications: &[Publication]);
}

/// An announcer that only logs (when nothing else is wired).
#[derive(Debug, Clone, Copy, Default)]
pub struct LogAnnouncer;

#[async_trait]
impl Announcer for LogAnnouncer {
    async fn announce(&self, t: &Transition, publications: &[Publication]) {
        info!(
            proposal = %t.proposal.id,
            status = t.proposal.status.as_str(),
            posts = publications.iter().filter(|p| p.status == PublicationStatus::Posted).count(),
            "publishing"
        );
    }
}

/// How the worker paces itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerOptions {
    /// Time between two looks at the outbox.
    pub poll: Duration,
    /// A claim older than this belongs to a dead worker and is taken over by `resume`. Longer
    /// than any request can take (the HTTP timeout), so a live worker is never overtaken.
    pub stale_after: Duration,
    /// Claims of one entry after which failures stop being retried automatically (an admin's
    /// Retry button still works).
    pub max_attempts: u32,
    /// The first retry's delay, doubled on each further attempt up to `max_backoff`; a
    /// network's own `Retry-After` wins when it is longer.
    pub backoff: Duration,
    pub max_backoff: Duration,
    /// How long to wait before looking up a post whose outcome was unknown: long enough for
    /// the request still in flight on the server to finish, and for timelines to catch up.
    pub lookup_delay: Duration,
}

impl Default for WorkerOptions {
    fn default() -> Self {
        WorkerOptions {
            poll: Duration::from_secs(5),
            stale_after: Duration::from_secs(10 * 60),
            max_attempts: 6,
            backoff: Duration::from_secs(30),
            max_backoff: Duration::from_secs(3600),
            lookup_delay: Duration::from_secs(60),
        }
    }
}

/// What became of one network, for the aggregate outcome.
#[derive(Debug, Clone, PartialEq)]
enum NetResult {
    Posted(Publication),
    Failed {
        error: String,
        retry_after: Option<Duration>,
        retryable: bool,
    },
    /// Unknown after a send: looked up on the next round.
    LookLater(String),
    /// Unknown even after a lookup: a person decides.
    Unknown(String),
}

/// Posts approved proposals. One per process; several processes may share a database.
pub struct Worker {
    store: Arc<dyn Store>,
    publishers: Vec<Arc<dyn Publisher>>,
    announcer: Arc<dyn Announcer>,
    id: String,
    options: WorkerOptions,
    /// Networks that said "come back later", until when: other posts wait too.
    paused: Mutex<HashMap<&'static str, DateTime<Utc>>>,
    /// Rung when this process approves a proposal (or an admin retries): the next round starts
    /// at once instead of at the next `poll`.
    wake: Arc<Notify>,
    /// Each server's review settings, to classify what it just posted (`None`: the defaults).
    settings_for: Option<ReviewSettingsFor>,
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker")
            .field("id", &self.id)
            .field("publishers", &self.publishers)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

fn delta(d: Duration) -> TimeDelta {
    TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX)
}

impl Worker {
    /// A worker named `id` (stable across restarts, unique per process: see
    /// `PUBLISH_WORKER_ID`).
    pub fn new(
        store: Arc<dyn Store>,
        publishers: Vec<Arc<dyn Publisher>>,
        announcer: Arc<dyn Announcer>,
        id: impl Into<String>,
    ) -> Worker {
        Worker {
            store,
            publishers,
            announcer,
            id: id.into(),
            options: WorkerOptions::default(),
            paused: Mutex::new(HashMap::new()),
            wake: Arc::new(Notify::new()),
            settings_for: None,
        }
    }

    /// Classifies what each server posts with its own review settings (`serve` wires the
    /// Discord side's), as the timeline sync does, rather than the bot's defaults.
    pub fn with_review_settings(mut self, settings_for: ReviewSettingsFor) -> Worker {
        self.settings_for = Some(settings_for);
        self
    }

    /// Starts a round whenever `wake` is notified (the Discord side rings it on approval).
    pub fn with_wake(mut self, wake: Arc<Notify>) -> Worker {
        self.wake = wake;
        self
    }

    pub fn with_options(mut self, options: WorkerOptions) -> Worker {
        self.options = options;
        self
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// Runs until `shutdown` completes: every `poll`, [`Worker::resume`] (its own entries a
    /// failed round left `publishing`, and dead workers' stale ones: no process has to restart
    /// for them to be settled) then [`Worker::run_once`]. Rounds are sequential, so none of
    /// this worker's own entries is in flight when it resumes. Errors are logged and the loop
    /// goes on (the database may come back).
    pub async fn run(&self, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        loop {
            if let Err(e) = self.resume(Utc::now()).await {
                warn!(error = %e, "resuming interrupted posts failed");
            }
            if let Err(e) = self.run_once(Utc::now()).await {
                warn!(error = %e, "publishing round failed");
            }
            tokio::select! {
                _ = &mut shutdown => break,
                _ = tokio::time::sleep(self.options.poll) => {}
                _ = self.wake.notified() => {}
            }
        }
    }

    /// Takes over what a crash left `publishing` (this worker's own entries, and dead
    /// workers' stale ones) and settles them by the same rules: a publication marked
    /// `sending` is looked up, never blindly sent again. Returns how many were resumed.
    #[instrument(level = "info", skip_all, fields(worker = %self.id))]
    pub async fn resume(&self, now: DateTime<Utc>) -> Result<usize, StoreError> {
        let stale_before = now - delta(self.options.stale_after);
        let entries = self.store.resume_posts(&self.id, stale_before, now).await?;
        let n = entries.len();
        for entry in entries {
            info!(proposal = %entry.proposal, "resuming an interrupted post");
            self.process(entry, now).await?;
        }
        Ok(n)
    }

    /// One round: expires proposals that missed their schedule, then posts every entry due
    /// at `now`. Returns how many entries were processed.
    #[instrument(level = "debug", skip_all, fields(worker = %self.id))]
    pub async fn run_once(&self, now: DateTime<Utc>) -> Result<usize, StoreError> {
        for t in self.store.expire_missed(now).await? {
            info!(proposal = %t.proposal.id, "not approved by its scheduled time: expired");
            self.announcer.announce(&t, &[]).await;
        }
        let mut n = 0;
        while let Some(entry) = self.store.claim_post(&self.id, now).await? {
            n += 1;
            self.process(entry, now).await?;
        }
        Ok(n)
    }

    /// The networks an entry goes to: the server's targets; for a reply, a quote or a repost,
    /// only the network where the other post lives (which must be configured), and the
    /// server's Discord webhook when it mirrors posts there (naming and linking the post).
    fn targets_of(
        &self,
        entry: &OutboxEntry,
        settings: &GuildSettings,
    ) -> Result<Vec<Arc<dyn Publisher>>, String> {
        let Some(c) = &entry.conversation else {
            return self.targets(settings);
        };
        let network = c.target.link.network.id();
        let Some(home) = self.publishers.iter().find(|p| p.network() == network) else {
            return Err(format!(
                "this {} goes to {network}, which is not configured",
                c.kind.id()
            ));
        };
        let mut out = vec![home.clone()];
        let mirrors = self.targets(settings).unwrap_or_default();
        out.extend(mirrors.into_iter().filter(|p| p.network() == "webhook"));
        Ok(out)
    }

    fn targets(&self, settings: &GuildSettings) -> Result<Vec<Arc<dyn Publisher>>, String> {
        targets(settings, &self.publishers)
    }

    async fn announce_now(&self, id: ProposalId) {
        let proposal = match self.store.proposal(id).await {
            Ok(Some(p)) => p,
            _ => return,
        };
        let Some(entry) = proposal.audit.last().cloned() else {
            return;
        };
        let pubs = self.store.publications(id).await.unwrap_or_default();
        let t = Transition {
            proposal,
            entry,
            enqueue_post: false,
            notices: Vec::new(),
        };
        self.announcer.announce(&t, &pubs).await;
    }

    #[instrument(level = "info", skip_all, fields(proposal = %entry.proposal, attempt = entry.attempts))]
    async fn process(&self, entry: OutboxEntry, now: DateTime<Utc>) -> Result<(), StoreError> {
        self.announce_now(entry.proposal).await;
        let settings = self.store.settings(entry.guild).await?;
        let mut results = Vec::new();
        match self.targets_of(&entry, &settings) {
            Ok(targets) => {
                for p in targets {
                    match self.publish_one(&entry, &*p, now).await {
                        Ok(r) => results.push((p.network(), r)),
                        Err(StoreError::LostClaim) => {
                            warn!("another worker took this post over; leaving it");
                            return Ok(());
                        }
                        Err(e) => return Err(e),
                    }
                }
            }
            Err(why) => results.push((
                "settings",
                NetResult::Failed {
                    error: why,
                    retry_after: None,
                    retryable: false,
                },
            )),
        }
        self.remember(&entry, &settings, &results, now).await;
        let outcome = self.aggregate(&entry, &results, now);
        match self.store.record_post(entry.proposal, &outcome, now).await {
            Ok(t) => {
                let pubs = self.store.publications(entry.proposal).await?;
                self.announcer.announce(&t, &pubs).await;
                Ok(())
            }
            Err(StoreError::Refused(why)) => {
                warn!(reason = %why, "the outcome was already recorded by another worker");
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// What the bot just posted joins the server's timeline at once (the sync will find it
    /// too, and keeps this class), so the next review's history counts it: read with the
    /// server's review settings and its members' signatures, and told what it answers or
    /// quotes, as its review was. A failure here is logged: the post is out.
    async fn remember(
        &self,
        entry: &OutboxEntry,
        settings: &GuildSettings,
        results: &[(&'static str, NetResult)],
        now: DateTime<Utc>,
    ) {
        if !results
            .iter()
            .any(|(_, r)| matches!(r, NetResult::Posted(_)))
        {
            return;
        }
        let class = match &entry.conversation {
            Some(c) if c.kind == Kind::Repost => PostClass {
                relay: true,
                ..PostClass::default()
            },
            conversation => Reading::of_or_unsigned(
                &*self.store,
                entry.guild,
                settings,
                self.settings_for.as_ref(),
            )
            .await
            .answering(conversation.as_ref())
            .classify(&entry.text),
        };
        let posts: Vec<TimelinePost> = results
            .iter()
            .filter_map(|(network, r)| match r {
                NetResult::Posted(row) => Some(TimelinePost {
                    network: (*network).to_owned(),
                    post_id: row.remote_id.clone()?,
                    url: row.url.clone(),
                    text: entry.text.clone(),
                    posted_at: now,
                    class,
                    proposal: Some(entry.proposal),
                }),
                _ => None,
            })
            .collect();
        if posts.is_empty() {
            return;
        }
        if let Err(e) = self.store.save_timeline(entry.guild, &posts, now).await {
            warn!(error = %e, "could not add the post to the server's timeline");
        }
    }

    /// The proposal's outcome from its networks': unknown if any is, else failed if any
    /// failed (retried later unless a failure is final), else posted.
    fn aggregate(
        &self,
        entry: &OutboxEntry,
        results: &[(&'static str, NetResult)],
        now: DateTime<Utc>,
    ) -> PublishOutcome {
        let unknown: Vec<String> = results
            .iter()
            .filter_map(|(n, r)| match r {
                NetResult::Unknown(why) => Some(format!("{n}: {why}")),
                _ => None,
            })
            .collect();
        if !unknown.is_empty() {
            return PublishOutcome::Unknown {
                detail: unknown.join("; "),
            };
        }
        let mut errors = Vec::new();
        let mut final_failure = false;
        let mut wait = Duration::ZERO;
        let mut look_later = false;
        for (n, r) in results {
            match r {
                NetResult::Failed {
                    error,
                    retry_after,
                    retryable,
                } => {
                    errors.push(format!("{n}: {error}"));
                    final_failure |= !retryable;
                    wait = wait.max(retry_after.unwrap_or_default());
                }
                NetResult::LookLater(why) => {
                    // No sentence of the bot's here: this text reaches the author and the card
                    // as is, in whatever language they read (the retry shows on the card).
                    errors.push(format!("{n}: {why}"));
                    look_later = true;
                    wait = wait.max(self.options.lookup_delay);
                }
                NetResult::Posted(_) | NetResult::Unknown(_) => {}
            }
        }
        if errors.is_empty() {
            let ids: Vec<String> = results
                .iter()
                .filter_map(|(n, r)| match r {
                    NetResult::Posted(p) => {
                        Some(format!("{n}:{}", p.remote_id.as_deref().unwrap_or("?")))
                    }
                    _ => None,
                })
                .collect();
            return PublishOutcome::Posted {
                remote_id: ids.join(" "),
            };
        }
        // An unknown outcome is always looked up (it is not a retry: nothing is re-sent).
        let automatic =
            look_later || (!final_failure && entry.attempts < self.options.max_attempts);
        let retry_at = automatic.then(|| {
            let exp = self
                .options
                .backoff
                .saturating_mul(1 << entry.attempts.saturating_sub(1).min(16))
                .min(self.options.max_backoff);
            now + delta(exp.max(wait).max(Duration::from_secs(1)))
        });
        PublishOutcome::Failed {
            error: errors.join("; "),
            retry_at,
        }
    }

    fn paused_until(&self, network: &'static str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let map = self.paused.lock().unwrap_or_else(|e| e.into_inner());
        map.get(network).copied().filter(|t| *t > now)
    }

    fn pause(&self, network: &'static str, until: DateTime<Utc>) {
        let mut map = self.paused.lock().unwrap_or_else(|e| e.into_inner());
        let t = map.entry(network).or_insert(until);
        *t = (*t).max(until);
    }

    /// Posts the entry on one network: a tweet, or a thread part by part, each part answering
    /// the one before. Part k+1 goes only once part k is certainly posted; anything else
    /// (failed, unknown) stops the thread there, to be settled on the next round.
    #[instrument(level = "info", skip_all, fields(network = p.network()))]
    async fn publish_one(
        &self,
        entry: &OutboxEntry,
        p: &dyn Publisher,
        now: DateTime<Utc>,
    ) -> Result<NetResult, StoreError> {
        let parts = thread::part_texts(&entry.text);
        if parts.len() <= 1 {
            return self.publish_part(entry, p, 0, &entry.text, None, now).await;
        }
        let mut head: Option<(Publication, PostRef)> = None;
        let mut previous: Option<PostRef> = None;
        for (k, text) in parts.iter().enumerate() {
            let part = u32::try_from(k).unwrap_or(u32::MAX);
            let reply_to = match (&head, &previous) {
                (Some((_, root)), Some(parent)) => Some(ReplyTo {
                    parent: parent.clone(),
                    root: root.clone(),
                }),
                _ => None,
            };
            let row = match self
                .publish_part(entry, p, part, text, reply_to, now)
                .await?
            {
                NetResult::Posted(row) => row,
                stopped => return Ok(stopped),
            };
            if k + 1 == parts.len() {
                break;
            }
            let posted = match self.reference(entry, p, &row, text, now).await {
                Ok(r) => r,
                Err(error) => {
                    return Ok(NetResult::Failed {
                        error,
                        retry_after: None,
                        retryable: false,
                    })
                }
            };
            if head.is_none() {
                head = Some((row, posted.clone()));
            }
            previous = Some(posted);
        }
        // The card links the thread's first post.
        match head {
            Some((row, _)) => Ok(NetResult::Posted(row)),
            None => Err(StoreError::Corrupt("a thread without parts".into())),
        }
    }

    /// How the next part names a posted part. A part a person confirmed has no id stored (and
    /// a Bluesky post needs its content id too): it is looked up by its key.
    async fn reference(
        &self,
        entry: &OutboxEntry,
        p: &dyn Publisher,
        row: &Publication,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<PostRef, String> {
        let needs_cid = p.network() == "bluesky";
        if let Some(id) = &row.remote_id {
            if !needs_cid || row.remote_cid.is_some() {
                return Ok(PostRef {
                    id: id.clone(),
                    cid: row.remote_cid.clone(),
                });
            }
        }
        let req = PostRequest {
            guild: entry.guild,
            proposal: entry.proposal,
            revision: entry.revision,
            part: row.part,
            text: text.to_owned(),
            reply_to: None,
            conversation: entry.conversation.clone().filter(|_| row.part == 0),
            images: Vec::new(),
            key: row.key.clone(),
            sent_at: Some(row.updated_at),
            now,
        };
        match p.lookup(&req).await {
            Lookup::Found(posted) if !needs_cid || posted.cid.is_some() => Ok(PostRef {
                id: posted.remote_id,
                cid: posted.cid,
            }),
            _ => Err(format!(
                "part {} of the thread is posted but its address is unknown, so the next part \
                 can't answer it: post the rest by hand",
                row.part + 1
            )),
        }
    }

    /// One post (a tweet, or one part of a thread) on one network, exactly once.
    async fn publish_part(
        &self,
        entry: &OutboxEntry,
        p: &dyn Publisher,
        part: u32,
        text: &str,
        reply_to: Option<ReplyTo>,
        now: DateTime<Utc>,
    ) -> Result<NetResult, StoreError> {
        let network = p.network();
        let key = p.key(entry.guild, entry.proposal, entry.revision, part, text, now);
        let row = self
            .store
            .prepare_publication(entry, network, part, &key, now)
            .await?;
        // A thread's images go with its first post.
        let images = if part == 0 {
            self.store.images(entry.proposal, entry.revision).await?
        } else {
            Vec::new()
        };
        let mut req = PostRequest {
            guild: entry.guild,
            proposal: entry.proposal,
            revision: entry.revision,
            part,
            text: text.to_owned(),
            reply_to,
            conversation: entry.conversation.clone().filter(|_| part == 0),
            images,
            key: row.key.clone(),
            sent_at: None,
            now,
        };
        let finish = |result: PublicationResult| async move {
            self.store
                .finish_publication(entry, network, part, &result, now)
                .await
        };
        match row.status {
            PublicationStatus::Posted => return Ok(NetResult::Posted(row)),
            PublicationStatus::Sending | PublicationStatus::Unknown => {
                req.sent_at = Some(row.updated_at);
                match p.lookup(&req).await {
                    Lookup::Found(posted) => {
                        info!("found after an unclear outcome");
                        let row = finish(PublicationResult::Posted {
                            remote_id: posted.remote_id,
                            cid: posted.cid,
                            url: posted.url,
                        })
                        .await?;
                        return Ok(NetResult::Posted(row));
                    }
                    Lookup::Absent => {
                        info!("certainly not posted after an unclear outcome; sending");
                        finish(PublicationResult::Failed {
                            error: "not found after an unclear outcome".into(),
                        })
                        .await?;
                    }
                    Lookup::Unknown(why) => {
                        warn!(reason = %why, "can't tell whether it was posted");
                        finish(PublicationResult::Unknown {
                            detail: why.clone(),
                        })
                        .await?;
                        return Ok(NetResult::Unknown(why));
                    }
                }
            }
            PublicationStatus::Pending | PublicationStatus::Failed => {}
        }
        if let Err(PublishError::NotPosted {
            reason,
            retry_after,
            retryable,
        }) = p.check(text)
        {
            return Ok(NetResult::Failed {
                error: reason,
                retry_after,
                retryable,
            });
        }
        if let Some(until) = self.paused_until(network, now) {
            return Ok(NetResult::Failed {
                error: format!("rate limited until {}", until.to_rfc3339()),
                retry_after: (until - now).to_std().ok(),
                retryable: true,
            });
        }
        let row = self
            .store
            .start_publication(entry, network, part, now)
            .await?;
        req.sent_at = Some(row.updated_at);
        match p.post(&req).await {
            Ok(posted) => {
                info!(remote_id = %posted.remote_id, "posted");
                let row = finish(PublicationResult::Posted {
                    remote_id: posted.remote_id,
                    cid: posted.cid,
                    url: posted.url,
                })
                .await?;
                Ok(NetResult::Posted(row))
            }
            Err(PublishError::NotPosted {
                reason,
                retry_after,
                retryable,
            }) => {
                warn!(%reason, "not posted");
                if let Some(wait) = retry_after {
                    self.pause(network, now + delta(wait));
                }
                finish(PublicationResult::Failed {
                    error: reason.clone(),
                })
                .await?;
                Ok(NetResult::Failed {
                    error: reason,
                    retry_after,
                    retryable,
                })
            }
            Err(PublishError::Unknown { reason }) => {
                warn!(%reason, "outcome unknown; will look it up");
                finish(PublicationResult::Unknown {
                    detail: reason.clone(),
                })
                .await?;
                Ok(NetResult::LookLater(reason))
            }
        }
    }
}

/// The publishers a server posts to: its `publish_targets` setting (a JSON array of network
/// names), or every configured one when it has none. A target that is not configured is an
/// error for a person to fix, not a silent skip: the team expects that post.
pub fn targets(
    settings: &GuildSettings,
    publishers: &[Arc<dyn Publisher>],
) -> Result<Vec<Arc<dyn Publisher>>, String> {
    let Some(value) = settings.extra.get(TARGETS) else {
        return if publishers.is_empty() {
            Err("no network is configured (X, Mastodon, Bluesky or a webhook)".into())
        } else {
            Ok(publishers.to_vec())
        };
    };
    let names = value
        .as_array()
        .ok_or("the server's publish_targets setting is not a list")?;
    if names.is_empty() {
        return Err("the server's publish_targets setting lists no network".into());
    }
    names
        .iter()
        .map(|n| {
            let name = n.as_str().unwrap_or_default();
            publishers
                .iter()
                .find(|p| p.network() == name)
                .cloned()
                .ok_or_else(|| {
                    format!("{name:?} is a publish target of this server but is not configured")
                })
        })
        .collect()
}

/// The key of a server's targets in [`GuildSettings::extra`]: `["x", "mastodon"]`.
pub const TARGETS: &str = "publish_targets";

/// The networks whose limits a server's reviews check ([`crate::review::Settings::networks`]):
/// those it posts to (a webhook has no limits of its own).
pub fn review_networks(
    settings: &GuildSettings,
    publishers: &[Arc<dyn Publisher>],
) -> Vec<crate::review::networks::Network> {
    targets(settings, publishers)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| crate::review::networks::Network::parse(p.network()))
        .collect()
}

fn admin_only(by: &Member) -> Result<(), StoreError> {
    if by.is_admin {
        Ok(())
    } else {
        Err(StoreError::Refused(WorkflowError::NotAdmin))
    }
}

/// An admin's **Retry** on a failed post: due now (networks already posted are not posted
/// again). Refused for non-admins ([`WorkflowError::NotAdmin`]) and unless the proposal is
/// `failed`.
pub async fn retry(
    store: &dyn Store,
    guild: GuildId,
    id: ProposalId,
    by: &Member,
    now: DateTime<Utc>,
) -> Result<OutboxEntry, StoreError> {
    admin_only(by)?;
    store.retry_post(guild, id, by, now).await
}

/// An admin's **Confirm posted** on a proposal that needs reconciling: they checked the
/// account and the post is there. `link`: the post's address or id, when they give one.
pub async fn confirm_posted(
    store: &dyn Store,
    guild: GuildId,
    id: ProposalId,
    by: &Member,
    link: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Transition, StoreError> {
    admin_only(by)?;
    let link = link.map(str::trim).filter(|l| !l.is_empty());
    let remote = match link {
        Some(l) => l.to_owned(),
        None => format!("confirmed by {}", by.id),
    };
    store
        .reconcile_post(guild, id, by, Some(&remote), now)
        .await
}

/// An admin's **Post again** on a proposal that needs reconciling: they checked and it is not
/// there; the unresolved networks are sent again now (those already posted are not).
pub async fn post_again(
    store: &dyn Store,
    guild: GuildId,
    id: ProposalId,
    by: &Member,
    now: DateTime<Utc>,
) -> Result<Transition, StoreError> {
    admin_only(by)?;
    store.reconcile_post(guild, id, by, None, now).await
}

/// Sets (or clears) when a proposal is posted: once approved, not before `at`; not approved by
/// `at`, it expires. For `/submit ... when:`.
pub async fn schedule(
    store: &dyn Store,
    guild: GuildId,
    id: ProposalId,
    at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    store.set_schedule(guild, id, at, now).await
}
