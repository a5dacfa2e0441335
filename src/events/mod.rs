//! Lifecycle webhooks: every change to a proposal, every post and every pause becomes an event
//! (`proposal.approved`, `post.published`, `posting.paused`...) that is POSTed, signed, to the
//! team's own endpoint (`EVENTS_WEBHOOK_URL`), so its approval flow can drive other tools.
//!
//! The event is written by the store in the same transaction as the change it describes (an
//! outbox: `events` table), so an event exists exactly when its change does; the deliverer
//! ([`deliver`]) sends it afterwards, from any process, at least once: a receiver that is down
//! loses nothing, and drops repeats by the event's `id`.
//!
//! This file is the pure part: which change is which event, the JSON body, the signature, the
//! retry schedule. No I/O, no clock: the store and the deliverer pass ids and times in.

pub mod config;
pub mod deliver;

use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use hmac::{Hmac, Mac};
use serde::Serialize;
use serde_json::{json, Map, Value};
use sha2::Sha256;

use crate::workflow::{Action, AuditEntry, GuildId, MemberId, Proposal, Status};

pub use config::EventsArgs;
pub use deliver::{Deliverer, DeliveryOptions};

/// The header carrying `sha256=<hex HMAC-SHA256 of the body with the secret>`.
pub const SIGNATURE_HEADER: &str = "X-Tweetguard-Signature";
/// The header carrying the Unix time (seconds) at which this attempt was sent. Not signed:
/// the body's own `timestamp` is.
pub const TIMESTAMP_HEADER: &str = "X-Tweetguard-Timestamp";
/// The event's name, repeated from the body for routing without parsing it.
pub const EVENT_HEADER: &str = "X-Tweetguard-Event";
/// The event's id, repeated from the body: the same on every retry of the same event.
pub const ID_HEADER: &str = "X-Tweetguard-Event-Id";

/// What happened, as receivers see it: the stable names of the webhook's events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventName {
    ProposalSubmitted,
    ProposalEdited,
    ProposalApproved,
    ProposalChangesRequested,
    ProposalRejected,
    ProposalWithdrawn,
    ProposalExpired,
    PostPublished,
    PostFailed,
    PostNeedsReconcile,
    PostingPaused,
    PostingResumed,
}

impl EventName {
    pub const ALL: [EventName; 12] = [
        EventName::ProposalSubmitted,
        EventName::ProposalEdited,
        EventName::ProposalApproved,
        EventName::ProposalChangesRequested,
        EventName::ProposalRejected,
        EventName::ProposalWithdrawn,
        EventName::ProposalExpired,
        EventName::PostPublished,
        EventName::PostFailed,
        EventName::PostNeedsReconcile,
        EventName::PostingPaused,
        EventName::PostingResumed,
    ];

    /// The name in the body and in [`EVENT_HEADER`]: part of the webhook's contract.
    pub fn as_str(self) -> &'static str {
        match self {
            EventName::ProposalSubmitted => "proposal.submitted",
            EventName::ProposalEdited => "proposal.edited",
            EventName::ProposalApproved => "proposal.approved",
            EventName::ProposalChangesRequested => "proposal.changes_requested",
            EventName::ProposalRejected => "proposal.rejected",
            EventName::ProposalWithdrawn => "proposal.withdrawn",
            EventName::ProposalExpired => "proposal.expired",
            EventName::PostPublished => "post.published",
            EventName::PostFailed => "post.failed",
            EventName::PostNeedsReconcile => "post.needs_reconcile",
            EventName::PostingPaused => "posting.paused",
            EventName::PostingResumed => "posting.resumed",
        }
    }

    pub fn parse(s: &str) -> Option<EventName> {
        EventName::ALL.into_iter().find(|n| n.as_str() == s)
    }

    /// Whether the body should name where the post went (its links).
    pub fn is_post(self) -> bool {
        matches!(
            self,
            EventName::PostPublished | EventName::PostFailed | EventName::PostNeedsReconcile
        )
    }
}

/// The event a proposal's audit entry is, if any: read from what was done and where it led.
/// A vote that does not decide (an approval short of the quorum) and the worker's claim
/// (`publish_started`) are not events: receivers hear of decisions and outcomes.
pub fn name_of(entry: &AuditEntry) -> Option<EventName> {
    use EventName::*;
    match (entry.action, entry.to) {
        (Action::Submit, _) => Some(ProposalSubmitted),
        (Action::Edit, _) => Some(ProposalEdited),
        (Action::Approve | Action::Override, Status::Approved) => Some(ProposalApproved),
        (Action::Approve | Action::Override, _) => None,
        (Action::RequestChanges, Status::ChangesRequested) => Some(ProposalChangesRequested),
        (Action::RequestChanges, _) => None,
        (Action::Reject, _) => Some(ProposalRejected),
        (Action::Withdraw, _) => Some(ProposalWithdrawn),
        (Action::Expire, _) => Some(ProposalExpired),
        (Action::PublishStarted, _) => None,
        (Action::PublishPosted, _) => Some(PostPublished),
        (Action::PublishFailed, _) => Some(PostFailed),
        (Action::PublishUnknown, _) => Some(PostNeedsReconcile),
        // An admin's decision on a post whose outcome was unknown: posted after all, or not
        // (it goes back to the worker, as after a failure).
        (Action::Reconcile, Status::Posted) => Some(PostPublished),
        (Action::Reconcile, Status::NeedsReconcile) => Some(PostNeedsReconcile),
        (Action::Reconcile, _) => Some(PostFailed),
    }
}

/// Where a proposal was posted: one per network and thread part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PostLink {
    pub network: String,
    /// The thread part, 0-based (a single post is part 0).
    pub part: u32,
    /// The network's id for the post.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its public address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// An event ready to be stored: its id, name, what it is about, and its exact body (the bytes
/// that are signed and sent, the same on every retry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub id: String,
    pub name: EventName,
    pub guild: GuildId,
    /// Events of one subject (a proposal, a server's posting) are delivered in order.
    pub subject: String,
    pub at: DateTime<Utc>,
    pub body: String,
}

/// A stored event, as a deliverer claimed it (or as [`crate::store::SqlStore::events`] lists
/// it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    /// The row's number (delivery order).
    pub seq: i64,
    pub id: String,
    pub name: String,
    pub guild: GuildId,
    pub subject: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    /// Attempts so far, this claim included.
    pub attempts: u32,
    pub due_at: DateTime<Utc>,
    pub claimed_by: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

/// A new random event id (`evt_` and 32 hex digits): random rather than derived from the
/// proposal, so a reinstalled bot (a new database, ids from 1 again) never sends an id a
/// receiver already saw and would drop as a repeat.
pub fn new_id(random: u128) -> String {
    format!("evt_{random:032x}")
}

fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// The subject of a proposal's events.
pub fn proposal_subject(p: &Proposal) -> String {
    format!("proposal:{}", p.id)
}

/// The subject of a server's pause events.
pub fn posting_subject(guild: GuildId) -> String {
    format!("posting:{guild}")
}

/// The event a proposal's transition is, with the proposal's summary as it stands after it
/// (`links`: where it was posted, for `post.*` events); `None` when the entry is no event.
pub fn proposal_event(
    id: String,
    p: &Proposal,
    entry: &AuditEntry,
    links: &[PostLink],
) -> Option<NewEvent> {
    let name = name_of(entry)?;
    let revision = p
        .revisions
        .iter()
        .find(|r| r.number == entry.revision)
        .unwrap_or_else(|| p.current());
    let mut summary = Map::new();
    summary.insert("id".into(), json!(p.id.0));
    summary.insert("server".into(), json!(p.guild.to_string()));
    summary.insert("author".into(), json!(p.author.to_string()));
    summary.insert("status".into(), json!(p.status.as_str()));
    summary.insert("revision".into(), json!(revision.number));
    summary.insert("text".into(), json!(revision.text));
    if let Some(c) = &revision.conversation {
        summary.insert("kind".into(), json!(c.kind.id()));
        summary.insert(
            "target".into(),
            json!({
                "network": c.target.link.network.id(),
                "url": c.target.link.url,
                "author": c.target.author,
            }),
        );
    }
    if !links.is_empty() {
        summary.insert("links".into(), json!(links));
    }
    let mut body = Map::new();
    body.insert("id".into(), json!(id));
    body.insert("type".into(), json!(name.as_str()));
    body.insert("timestamp".into(), json!(timestamp(entry.at)));
    body.insert("server".into(), json!(p.guild.to_string()));
    body.insert("actor".into(), json!(entry.actor.map(|a| a.to_string())));
    if let Some(detail) = &entry.detail {
        body.insert("detail".into(), json!(detail));
    }
    body.insert("proposal".into(), Value::Object(summary));
    Some(NewEvent {
        id,
        name,
        guild: p.guild,
        subject: proposal_subject(p),
        at: entry.at,
        body: Value::Object(body).to_string(),
    })
}

/// A server's posting paused (`reason`: `Some`, perhaps empty) or resumed (`None`) by `by`.
pub fn posting_event(
    id: String,
    guild: GuildId,
    by: MemberId,
    paused: Option<Option<&str>>,
    at: DateTime<Utc>,
) -> NewEvent {
    let (name, reason) = match paused {
        Some(reason) => (EventName::PostingPaused, reason),
        None => (EventName::PostingResumed, None),
    };
    let body = json!({
        "id": id,
        "type": name.as_str(),
        "timestamp": timestamp(at),
        "server": guild.to_string(),
        "actor": by.to_string(),
        "posting": {
            "server": guild.to_string(),
            "by": by.to_string(),
            "paused": name == EventName::PostingPaused,
            "reason": reason,
        },
    });
    NewEvent {
        id,
        name,
        guild,
        subject: posting_subject(guild),
        at,
        body: body.to_string(),
    }
}

/// The value of [`SIGNATURE_HEADER`]: `sha256=` and the hex HMAC-SHA256 of `body` keyed with
/// `secret`. The body alone is signed (its own `timestamp` and `id` with it).
pub fn signature(secret: &str, body: &[u8]) -> String {
    // HMAC takes a key of any length; `new_from_slice` only fails for fixed-size MACs.
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(m) => m,
        Err(_) => unreachable!("HMAC accepts keys of any length"),
    };
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256=");
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// Whether `header` is the right signature of `body` (compared in constant time): what a
/// receiver does, here for tests and for Rust receivers.
pub fn verify(secret: &str, body: &[u8], header: &str) -> bool {
    let Some(hex) = header.trim().strip_prefix("sha256=") else {
        return false;
    };
    let Some(given) = decode_hex(hex) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&given).is_ok()
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// How long to wait before the next attempt after `attempts` failed ones: `base`, doubled
/// each time, at most `max`, plus up to a quarter more from `jitter` (0..1) so events that
/// failed together don't all come back at the same instant.
pub fn backoff(attempts: u32, base: Duration, max: Duration, jitter: f64) -> Duration {
    let doublings = attempts.saturating_sub(1).min(30);
    let delay = base.saturating_mul(1u32 << doublings).min(max);
    delay + delay.mul_f64(jitter.clamp(0.0, 1.0) / 4.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::conversation::Kind;
    use crate::review::networks::Network;
    use crate::review::{LengthReport, Review, Verdict};
    use crate::workflow::{Conversation, Link, ProposalId, Revision, Target};
    use chrono::TimeZone;

    fn t(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, minute, 0)
            .single()
            .unwrap_or_default()
    }

    fn entry(action: Action, from: Option<Status>, to: Status) -> AuditEntry {
        AuditEntry {
            at: t(5),
            actor: Some(MemberId(7)),
            action,
            revision: 1,
            from,
            to,
            detail: None,
        }
    }

    fn proposal(status: Status, conversation: Option<Conversation>) -> Proposal {
        let review = Review {
            verdict: Verdict::Ready,
            score: 80,
            language: crate::review::Language::En,
            length: LengthReport {
                weighted: 36,
                limit: 280,
                valid: true,
            },
            findings: Vec::new(),
        };
        Proposal {
            id: ProposalId(42),
            guild: GuildId(1_300_000_000_000_000_001),
            author: MemberId(1_200_000_000_000_000_001),
            status,
            version: 3,
            revisions: vec![Revision {
                number: 1,
                text: "Our new opening hours start Monday.".into(),
                hash: "h".into(),
                review,
                created_at: t(0),
                overridden: None,
                conversation,
                images: Vec::new(),
            }],
            votes: Vec::new(),
            audit: Vec::new(),
            created_at: t(0),
            updated_at: t(5),
            remote_id: None,
        }
    }

    #[test]
    fn every_name_round_trips_and_is_the_contract() {
        let names: Vec<&str> = EventName::ALL.iter().map(|n| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "proposal.submitted",
                "proposal.edited",
                "proposal.approved",
                "proposal.changes_requested",
                "proposal.rejected",
                "proposal.withdrawn",
                "proposal.expired",
                "post.published",
                "post.failed",
                "post.needs_reconcile",
                "posting.paused",
                "posting.resumed",
            ]
        );
        for n in EventName::ALL {
            assert_eq!(EventName::parse(n.as_str()), Some(n));
        }
    }

    #[test]
    fn transitions_map_to_events_by_action_and_new_status() {
        use Status::*;
        let cases = [
            (
                Action::Submit,
                None,
                Pending,
                Some(EventName::ProposalSubmitted),
            ),
            (
                Action::Edit,
                Some(ChangesRequested),
                Pending,
                Some(EventName::ProposalEdited),
            ),
            (Action::Approve, Some(Pending), Pending, None),
            (
                Action::Approve,
                Some(Pending),
                Approved,
                Some(EventName::ProposalApproved),
            ),
            (
                Action::Approve,
                Some(ChangesRequested),
                ChangesRequested,
                None,
            ),
            (
                Action::Override,
                Some(Pending),
                Approved,
                Some(EventName::ProposalApproved),
            ),
            (Action::Override, Some(Pending), Pending, None),
            (
                Action::RequestChanges,
                Some(Pending),
                ChangesRequested,
                Some(EventName::ProposalChangesRequested),
            ),
            (
                Action::Reject,
                Some(Pending),
                Rejected,
                Some(EventName::ProposalRejected),
            ),
            (
                Action::Withdraw,
                Some(Approved),
                Withdrawn,
                Some(EventName::ProposalWithdrawn),
            ),
            (
                Action::Expire,
                Some(Pending),
                Expired,
                Some(EventName::ProposalExpired),
            ),
            (Action::PublishStarted, Some(Approved), Publishing, None),
            (
                Action::PublishPosted,
                Some(Publishing),
                Posted,
                Some(EventName::PostPublished),
            ),
            (
                Action::PublishFailed,
                Some(Publishing),
                Failed,
                Some(EventName::PostFailed),
            ),
            (
                Action::PublishUnknown,
                Some(Publishing),
                NeedsReconcile,
                Some(EventName::PostNeedsReconcile),
            ),
            (
                Action::Reconcile,
                Some(NeedsReconcile),
                Posted,
                Some(EventName::PostPublished),
            ),
            (
                Action::Reconcile,
                Some(NeedsReconcile),
                Failed,
                Some(EventName::PostFailed),
            ),
        ];
        for (action, from, to, want) in cases {
            assert_eq!(
                name_of(&entry(action, from, to)),
                want,
                "{action:?} {from:?} -> {to:?}"
            );
        }
    }

    #[test]
    fn a_proposal_event_carries_its_summary() {
        let p = proposal(Status::Approved, None);
        let e = entry(Action::Approve, Some(Status::Pending), Status::Approved);
        let ev = proposal_event(new_id(1), &p, &e, &[]).expect("an approval is an event");
        assert_eq!(ev.name, EventName::ProposalApproved);
        assert_eq!(ev.subject, "proposal:42");
        let body: Value = serde_json::from_str(&ev.body).expect("json");
        assert_eq!(body["id"], "evt_00000000000000000000000000000001");
        assert_eq!(body["type"], "proposal.approved");
        assert_eq!(body["timestamp"], "2026-03-02T09:05:00.000000Z");
        assert_eq!(body["server"], "1300000000000000001");
        assert_eq!(body["actor"], "7");
        assert!(body.get("detail").is_none());
        let s = &body["proposal"];
        assert_eq!(s["id"], 42);
        assert_eq!(s["server"], "1300000000000000001");
        assert_eq!(s["author"], "1200000000000000001");
        assert_eq!(s["status"], "approved");
        assert_eq!(s["revision"], 1);
        assert_eq!(s["text"], "Our new opening hours start Monday.");
        assert!(s.get("kind").is_none() && s.get("target").is_none());
        assert!(s.get("links").is_none());
    }

    #[test]
    fn a_reply_names_its_target_and_a_post_its_links() {
        let conversation = Conversation {
            kind: Kind::Reply,
            target: Target {
                link: Link {
                    network: Network::Mastodon,
                    url: "https://social.example/@marie/111".into(),
                    user: "marie".into(),
                    id: "111".into(),
                    instance: Some("social.example".into()),
                },
                id: "999".into(),
                author: "marie@social.example".into(),
                text: "Are you open on Sunday?".into(),
                posted_at: None,
                cid: None,
                root: None,
            },
        };
        let p = proposal(Status::Posted, Some(conversation));
        let mut e = entry(
            Action::PublishPosted,
            Some(Status::Publishing),
            Status::Posted,
        );
        e.actor = None;
        e.detail = Some("555".into());
        let links = [PostLink {
            network: "mastodon".into(),
            part: 0,
            id: Some("555".into()),
            url: Some("https://mastodon.example/@acme/555".into()),
        }];
        let ev = proposal_event(new_id(2), &p, &e, &links).expect("a post is an event");
        let body: Value = serde_json::from_str(&ev.body).expect("json");
        assert_eq!(body["type"], "post.published");
        assert_eq!(body["actor"], Value::Null);
        assert_eq!(body["detail"], "555");
        let s = &body["proposal"];
        assert_eq!(s["kind"], "reply");
        assert_eq!(s["target"]["network"], "mastodon");
        assert_eq!(s["target"]["url"], "https://social.example/@marie/111");
        assert_eq!(s["target"]["author"], "marie@social.example");
        assert_eq!(
            s["links"],
            json!([{"network": "mastodon", "part": 0, "id": "555",
                    "url": "https://mastodon.example/@acme/555"}])
        );
    }

    #[test]
    fn a_vote_short_of_the_quorum_is_no_event() {
        let p = proposal(Status::Pending, None);
        let e = entry(Action::Approve, Some(Status::Pending), Status::Pending);
        assert_eq!(proposal_event(new_id(3), &p, &e, &[]), None);
    }

    #[test]
    fn pauses_name_the_server_who_and_why() {
        let g = GuildId(5);
        let paused = posting_event(new_id(4), g, MemberId(8), Some(Some("launch day")), t(1));
        assert_eq!(paused.name, EventName::PostingPaused);
        assert_eq!(paused.subject, "posting:5");
        let body: Value = serde_json::from_str(&paused.body).expect("json");
        assert_eq!(body["type"], "posting.paused");
        assert_eq!(body["posting"]["server"], "5");
        assert_eq!(body["posting"]["by"], "8");
        assert_eq!(body["posting"]["reason"], "launch day");
        assert_eq!(body["posting"]["paused"], true);
        let resumed = posting_event(new_id(5), g, MemberId(8), None, t(2));
        let body: Value = serde_json::from_str(&resumed.body).expect("json");
        assert_eq!(body["type"], "posting.resumed");
        assert_eq!(body["posting"]["reason"], Value::Null);
        assert_eq!(body["posting"]["paused"], false);
    }

    #[test]
    fn the_signature_is_hmac_sha256_of_the_body() {
        // RFC 4231, test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let body = br#"{"id":"evt_1"}"#;
        let sig = signature("s3cret", body);
        assert!(verify("s3cret", body, &sig));
        assert!(!verify("other", body, &sig));
        assert!(!verify("s3cret", br#"{"id":"evt_2"}"#, &sig));
        assert!(!verify("s3cret", body, "sha256=zz"));
        assert!(!verify("s3cret", body, sig.trim_start_matches("sha256=")));
    }

    #[test]
    fn retries_back_off_exponentially_up_to_a_cap() {
        let (base, max) = (Duration::from_secs(5), Duration::from_secs(3600));
        let delays: Vec<u64> = (1..=12)
            .map(|n| backoff(n, base, max, 0.0).as_secs())
            .collect();
        assert_eq!(
            delays,
            [5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600]
        );
        assert_eq!(backoff(1, base, max, 1.0), Duration::from_millis(6250));
        assert_eq!(backoff(u32::MAX, base, max, 0.0), max);
    }

    #[test]
    fn ids_are_distinct_and_fixed_width() {
        assert_eq!(new_id(0).len(), 36);
        assert_ne!(new_id(1), new_id(2));
    }
}
