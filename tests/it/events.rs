//! Lifecycle webhooks against a real HTTP receiver on 127.0.0.1, on SQLite and PostgreSQL:
//! every change is an event, signed with the secret; a receiver that fails or is down (and is
//! restarted) loses nothing; two deliverers on one database (two processes) never send the
//! same event at once, and every event arrives; a dead deliverer's claim runs out.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use axum::Router;
use chrono::{TimeDelta, Utc};
use serde_json::Value;
use tokio::task::JoinHandle;
use tweetguard::events::{self, Deliverer, DeliveryOptions, EventsArgs};
use tweetguard::review::Verdict;
use tweetguard::secret::Secret;
use tweetguard::store::{PublishOutcome, SqlStore, Store};
use tweetguard::workflow::{Event, MemberId, ProposalId, Status};

use crate::common::{admin, at, member, review, TestDb};
use crate::publish::{approve, approved, status, submitted, Net, AUTHOR, GUILD};

pub(crate) const SECRET: &str = "whsec-test-0123456789";

/// One request the receiver accepted.
#[derive(Debug, Clone)]
pub(crate) struct Received {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) body: Value,
    raw: Bytes,
    header_name: String,
    header_id: String,
    header_timestamp: i64,
}

#[derive(Default)]
struct Inbox {
    received: Mutex<Vec<Received>>,
    /// Event ids being handled right now, to catch two deliveries of one event at once.
    in_flight: Mutex<HashSet<String>>,
    overlaps: Mutex<Vec<String>>,
    bad_signatures: AtomicU32,
    /// Answer 500 to the next this many requests (after checking them).
    fail_next: AtomicU32,
    failed: AtomicU32,
    /// How long each request is held, to widen any window where two could overlap.
    hold_ms: AtomicU32,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The receiver a team would write: checks the signature with the shared secret, answers
/// `Connection: close` (so a killed receiver is really gone, not kept alive by a pooled
/// connection), records what it got.
async fn hook(
    State(inbox): State<Arc<Inbox>>,
    headers: HeaderMap,
    body: Bytes,
) -> impl IntoResponse {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let close = [("connection", "close")];
    if !events::verify(SECRET, &body, &header(events::SIGNATURE_HEADER)) {
        inbox.bad_signatures.fetch_add(1, Ordering::SeqCst);
        return (StatusCode::UNAUTHORIZED, close);
    }
    let Ok(json) = serde_json::from_slice::<Value>(&body) else {
        return (StatusCode::BAD_REQUEST, close);
    };
    let id = json["id"].as_str().unwrap_or_default().to_owned();
    if !lock(&inbox.in_flight).insert(id.clone()) {
        lock(&inbox.overlaps).push(id.clone());
    }
    let hold = inbox.hold_ms.load(Ordering::SeqCst);
    if hold > 0 {
        tokio::time::sleep(Duration::from_millis(u64::from(hold))).await;
    }
    lock(&inbox.in_flight).remove(&id);
    let failing = inbox
        .fail_next
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    if failing {
        inbox.failed.fetch_add(1, Ordering::SeqCst);
        return (StatusCode::INTERNAL_SERVER_ERROR, close);
    }
    lock(&inbox.received).push(Received {
        name: json["type"].as_str().unwrap_or_default().to_owned(),
        id,
        raw: body.clone(),
        body: json,
        header_name: header(events::EVENT_HEADER),
        header_id: header(events::ID_HEADER),
        header_timestamp: header(events::TIMESTAMP_HEADER).parse().unwrap_or(-1),
    });
    (StatusCode::NO_CONTENT, close)
}

/// A receiver on a fixed port of 127.0.0.1 that can be killed (connections refused) and
/// started again on the same port, keeping what it received.
pub(crate) struct Receiver {
    port: u16,
    inbox: Arc<Inbox>,
    task: Option<JoinHandle<()>>,
}

impl Receiver {
    pub(crate) async fn start() -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("address").port();
        let mut r = Receiver {
            port,
            inbox: Arc::default(),
            task: None,
        };
        r.serve(listener);
        r
    }

    fn serve(&mut self, listener: tokio::net::TcpListener) {
        let app = Router::new()
            .route("/hook", post(hook))
            .with_state(self.inbox.clone());
        self.task = Some(tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        }));
    }

    pub(crate) fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hook", self.port)
    }

    /// Stops listening: new connections are refused.
    async fn kill(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await;
        }
    }

    async fn restart(&mut self) {
        let mut tries = 0;
        let listener = loop {
            match tokio::net::TcpListener::bind(("127.0.0.1", self.port)).await {
                Ok(l) => break l,
                Err(e) if tries < 50 => {
                    tries += 1;
                    eprintln!("rebinding port {}: {e}", self.port);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("cannot listen again on {}: {e}", self.port),
            }
        };
        self.serve(listener);
    }

    pub(crate) fn received(&self) -> Vec<Received> {
        lock(&self.inbox.received).clone()
    }

    fn ids(&self) -> HashSet<String> {
        self.received().into_iter().map(|r| r.id).collect()
    }

    fn names_of(&self, proposal: ProposalId) -> Vec<String> {
        let mut seen = HashSet::new();
        self.received()
            .into_iter()
            .filter(|r| r.body["proposal"]["id"] == proposal.0)
            .filter(|r| seen.insert(r.id.clone()))
            .map(|r| r.name)
            .collect()
    }
}

fn endpoint(url: &str) -> Option<events::config::Endpoint> {
    EventsArgs {
        events_webhook_url: Some(Secret::new(url)),
        events_webhook_secret: Some(Secret::new(SECRET)),
    }
    .endpoint()
    .expect("valid settings")
}

/// Quick pacing for tests: retries after 20 ms, doubling up to 200 ms; claims of 10 s (far
/// longer than a request here, even on a loaded machine: a claim that ran out would rightly
/// let the other deliverer send the event again).
fn quick() -> DeliveryOptions {
    DeliveryOptions {
        poll: Duration::from_millis(20),
        lease: Duration::from_secs(10),
        timeout: Duration::from_secs(3),
        backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(200),
        ..DeliveryOptions::default()
    }
}

fn deliverer(store: &Arc<SqlStore>, url: &str, id: &str) -> Deliverer {
    Deliverer::new(store.clone(), endpoint(url), id)
        .and_then(|d| d.with_options(quick()))
        .expect("deliverer")
}

/// Runs `d` in the background until the returned sender is dropped or sent to.
fn run(d: Deliverer) -> (tokio::sync::oneshot::Sender<()>, JoinHandle<()>) {
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        d.run(async move {
            let _ = rx.await;
        })
        .await
    });
    (tx, task)
}

/// Waits until every stored event is marked delivered and the receiver has all of them.
async fn all_arrive(store: &SqlStore, receiver: &Receiver, what: &str) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let stored = store.events().await.expect("events");
        let ids = receiver.ids();
        let missing: Vec<&str> = stored
            .iter()
            .filter(|e| e.delivered_at.is_none() || !ids.contains(&e.id))
            .map(|e| e.name.as_str())
            .collect();
        if missing.is_empty() && !stored.is_empty() {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{what}: still not delivered: {missing:?}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Checks what every received request says of itself: headers match the body, the body is
/// the stored one byte for byte.
async fn consistent(store: &SqlStore, receiver: &Receiver, what: &str) {
    let stored: HashMap<String, String> = store
        .events()
        .await
        .expect("events")
        .into_iter()
        .map(|e| (e.id, e.body))
        .collect();
    let now = Utc::now().timestamp();
    for r in receiver.received() {
        assert_eq!(r.header_id, r.id, "{what}");
        assert_eq!(r.header_name, r.name, "{what}");
        assert!(r.id.starts_with("evt_"), "{what}: {}", r.id);
        assert!(
            (now - 120..=now + 1).contains(&r.header_timestamp),
            "{what}: X-Tweetguard-Timestamp {} is the time of sending",
            r.header_timestamp
        );
        assert_eq!(
            stored.get(&r.id).map(String::as_bytes),
            Some(&r.raw[..]),
            "{what}: the body sent is the one stored with the change"
        );
    }
    assert_eq!(
        receiver.inbox.bad_signatures.load(Ordering::SeqCst),
        0,
        "{what}"
    );
}

#[tokio::test]
async fn every_change_is_a_signed_event_with_the_proposals_summary() {
    for db in TestDb::sqlite_and_postgres().await {
        let what = db.name();
        let store: Arc<dyn Store> = db.store.clone();
        let receiver = Receiver::start().await;
        let d = deliverer(&db.store, &receiver.url(), "d1");

        // Reviewed, changed, approved, posted (to a fake Mastodon: the links come back).
        let id = submitted(&*store, "Our shop opens at nine from Monday. Drop by? ^SG").await;
        store
            .apply(
                GUILD,
                id,
                &Event::RequestChanges {
                    by: member(2),
                    revision: 1,
                    reason: "say which shop".into(),
                },
                at(1),
            )
            .await
            .expect("changes requested");
        store
            .apply(
                GUILD,
                id,
                &Event::Edit {
                    by: member(AUTHOR),
                    text: "Our Lyon shop opens at nine from Monday. Drop by? ^SG".into(),
                    review: review(Verdict::Ready),
                    conversation: None,
                    images: Vec::new(),
                },
                at(2),
            )
            .await
            .expect("edited");
        for (reviewer, minute) in [(2, 3), (3, 4)] {
            store
                .apply(
                    GUILD,
                    id,
                    &Event::Approve {
                        by: member(reviewer),
                        revision: 2,
                    },
                    at(minute),
                )
                .await
                .expect("approved");
        }
        let net = Net::mastodon().await;
        let w = net.worker(&store, Arc::default(), "w1");
        assert_eq!(w.run_once(at(5)).await.expect("round"), 1, "{what}");
        assert_eq!(status(&*store, id).await, Status::Posted, "{what}");

        // Rejected; withdrawn; failed; unknown then reconciled; expired; a pause.
        let rejected = submitted(&*store, "A second idea for the week. ^SG").await;
        store
            .apply(
                GUILD,
                rejected,
                &Event::Reject {
                    by: member(2),
                    reason: "not this week".into(),
                },
                at(6),
            )
            .await
            .expect("rejected");
        let withdrawn = submitted(&*store, "A third idea, taken back. ^SG").await;
        store
            .apply(
                GUILD,
                withdrawn,
                &Event::Withdraw { by: member(AUTHOR) },
                at(6),
            )
            .await
            .expect("withdrawn");
        let failed = approved(&*store, "This one will fail to go out. ^SG").await;
        let claim = store.claim_post("w2", at(7)).await.expect("claim");
        assert_eq!(claim.map(|c| c.proposal), Some(failed), "{what}");
        store
            .record_post(
                failed,
                &PublishOutcome::Failed {
                    error: "the network refused it".into(),
                    retry_at: None,
                },
                at(7),
            )
            .await
            .expect("failed");
        let unknown = approved(&*store, "Nobody knows if this one went. ^SG").await;
        let claim = store.claim_post("w2", at(8)).await.expect("claim");
        assert_eq!(claim.map(|c| c.proposal), Some(unknown), "{what}");
        store
            .record_post(
                unknown,
                &PublishOutcome::Unknown {
                    detail: "no answer in time".into(),
                },
                at(8),
            )
            .await
            .expect("unknown");
        store
            .reconcile_post(GUILD, unknown, &admin(9), Some("777"), at(9))
            .await
            .expect("reconciled");
        let waits = submitted(&*store, "Nobody looks at this one. ^SG").await;
        let pauser = MemberId(1_200_000_000_000_000_099);
        assert!(store
            .set_pause(GUILD, pauser, Some(Some("launch day")), at(10))
            .await
            .expect("paused"));
        assert!(store
            .set_pause(GUILD, pauser, None, at(11))
            .await
            .expect("resumed"));
        let expired = store
            .expire_missed(at(0) + TimeDelta::days(8))
            .await
            .expect("expiry");
        assert!(expired.iter().any(|t| t.proposal.id == waits), "{what}");

        // Nothing is sent before a deliverer runs; then everything, once.
        assert!(receiver.received().is_empty());
        let n = d.run_once(Utc::now()).await.expect("round");
        let stored = db.store.events().await.expect("events");
        assert_eq!(n, stored.len(), "{what}");
        assert!(stored.iter().all(|e| e.delivered_at.is_some()), "{what}");
        assert_eq!(receiver.received().len(), n, "{what}: each exactly once");
        consistent(&db.store, &receiver, what).await;

        assert_eq!(
            receiver.names_of(id),
            [
                "proposal.submitted",
                "proposal.changes_requested",
                "proposal.edited",
                "proposal.approved",
                "post.published"
            ],
            "{what}: a vote short of the quorum and the worker's claim are no events"
        );
        assert_eq!(
            receiver.names_of(rejected),
            ["proposal.submitted", "proposal.rejected"]
        );
        assert_eq!(
            receiver.names_of(withdrawn),
            ["proposal.submitted", "proposal.withdrawn"]
        );
        assert_eq!(
            receiver.names_of(failed),
            ["proposal.submitted", "proposal.approved", "post.failed"]
        );
        assert_eq!(
            receiver.names_of(unknown),
            [
                "proposal.submitted",
                "proposal.approved",
                "post.needs_reconcile",
                "post.published"
            ]
        );
        assert_eq!(
            receiver.names_of(waits),
            ["proposal.submitted", "proposal.expired"]
        );

        let by_name = |name: &str, p: Option<ProposalId>| {
            receiver
                .received()
                .into_iter()
                .find(|r| r.name == name && p.is_none_or(|p| r.body["proposal"]["id"] == p.0))
                .unwrap_or_else(|| panic!("{what}: no {name}"))
                .body
        };
        // The summary, as the proposal stood after the change.
        let published = by_name("post.published", Some(id));
        assert_eq!(published["server"], GUILD.0.to_string());
        assert_eq!(published["actor"], Value::Null, "{what}: the bot posted");
        let summary = &published["proposal"];
        assert_eq!(summary["id"], id.0);
        assert_eq!(summary["author"], AUTHOR.to_string());
        assert_eq!(summary["status"], "posted");
        assert_eq!(summary["revision"], 2);
        assert_eq!(
            summary["text"],
            "Our Lyon shop opens at nine from Monday. Drop by? ^SG"
        );
        let links = summary["links"].as_array().expect("links once posted");
        assert_eq!(links.len(), 1, "{what}");
        assert_eq!(links[0]["network"], "mastodon");
        assert!(
            links[0]["url"]
                .as_str()
                .is_some_and(|u| u.starts_with("http")),
            "{what}: {links:?}"
        );
        let asked = by_name("proposal.changes_requested", Some(id));
        assert_eq!(asked["actor"], "2");
        assert_eq!(asked["detail"], "say which shop");
        assert_eq!(asked["proposal"]["status"], "changes_requested");
        assert_eq!(asked["proposal"]["revision"], 1);
        assert!(asked["proposal"].get("links").is_none());
        let approved_ev = by_name("proposal.approved", Some(id));
        assert_eq!(approved_ev["actor"], "3", "{what}: the deciding vote");
        assert_eq!(
            approved_ev["timestamp"], "2026-03-02T09:34:00.000000Z",
            "{what}: when it happened"
        );
        assert_eq!(
            by_name("post.failed", Some(failed))["detail"],
            "the network refused it"
        );
        assert_eq!(
            by_name("post.published", Some(unknown))["actor"],
            "9",
            "{what}: the admin who reconciled"
        );
        let paused = by_name("posting.paused", None);
        assert_eq!(paused["posting"]["server"], GUILD.0.to_string());
        assert_eq!(paused["posting"]["by"], pauser.0.to_string());
        assert_eq!(paused["posting"]["reason"], "launch day");
        assert!(paused.get("proposal").is_none());
        let resumed = by_name("posting.resumed", None);
        assert_eq!(resumed["posting"]["by"], pauser.0.to_string());

        // Nothing more to send.
        assert_eq!(d.run_once(Utc::now()).await.expect("round"), 0, "{what}");
        db.finish().await;
    }
}

#[tokio::test]
async fn a_change_that_fails_writes_no_event() {
    for db in TestDb::sqlite_and_postgres().await {
        let what = db.name();
        let store: Arc<dyn Store> = db.store.clone();
        let id = submitted(&*store, "Refused votes leave no trace. ^SG").await;
        let before = db.store.events().await.expect("events").len();
        // The author can't approve their own proposal: refused, nothing written.
        assert!(approve(&*store, id, AUTHOR, 1).await.is_err(), "{what}");
        assert_eq!(db.store.events().await.expect("events").len(), before);
        // Ending a pause that isn't there changes nothing, and says nothing.
        assert!(!store
            .set_pause(GUILD, MemberId(5), None, at(2))
            .await
            .expect("no pause"));
        assert_eq!(db.store.events().await.expect("events").len(), before);
        db.finish().await;
    }
}

#[tokio::test]
async fn a_receiver_that_fails_or_is_down_loses_nothing() {
    for db in TestDb::sqlite_and_postgres().await {
        let what = db.name();
        let store: Arc<dyn Store> = db.store.clone();
        let mut receiver = Receiver::start().await;
        receiver.inbox.fail_next.store(3, Ordering::SeqCst);
        let (stop, task) = run(deliverer(&db.store, &receiver.url(), "d1"));

        let first = approved(&*store, "Delivered through 500s. ^SG").await;
        // The first three attempts meet a 500: retried with backoff until taken.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        while receiver.names_of(first).len() < 2 {
            assert!(tokio::time::Instant::now() < deadline, "{what}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!(receiver.inbox.failed.load(Ordering::SeqCst), 3, "{what}");
        let retried = db
            .store
            .events()
            .await
            .expect("events")
            .into_iter()
            .find(|e| e.attempts > 1)
            .expect("an event was retried");
        assert!(retried.delivered_at.is_some(), "{what}");

        // Killed while more changes happen: nothing can connect, everything waits.
        receiver.kill().await;
        let during = submitted(&*store, "Written while the receiver is down. ^SG").await;
        store
            .apply(
                GUILD,
                during,
                &Event::Withdraw { by: member(AUTHOR) },
                at(3),
            )
            .await
            .expect("withdrawn");
        let second = approved(&*store, "Approved while the receiver is down. ^SG").await;
        // The deliverer tries, and fails to connect, a few times.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            let stored = db.store.events().await.expect("events");
            let tried = stored
                .iter()
                .filter(|e| e.delivered_at.is_none() && e.attempts > 0)
                .count();
            if tried > 0
                && stored
                    .iter()
                    .any(|e| e.attempts >= 2 && e.delivered_at.is_none())
            {
                let e = stored
                    .iter()
                    .find(|e| e.delivered_at.is_none() && e.attempts > 0)
                    .expect("tried");
                let error = e.last_error.as_deref().unwrap_or_default();
                assert!(error.contains("connect"), "{what}: {error}");
                assert!(
                    !error.contains("127.0.0.1"),
                    "{what}: the URL (it may hold a token) is never kept: {error}"
                );
                break;
            }
            assert!(tokio::time::Instant::now() < deadline, "{what}: {stored:?}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let pending = db
            .store
            .events()
            .await
            .expect("events")
            .iter()
            .filter(|e| e.delivered_at.is_none())
            .count();
        assert_eq!(pending, 4, "{what}: the events written meanwhile wait");

        // Back up: all of it arrives, each proposal's events in order.
        receiver.restart().await;
        all_arrive(&db.store, &receiver, what).await;
        let _ = stop.send(());
        task.await.expect("deliverer stops");
        consistent(&db.store, &receiver, what).await;
        assert_eq!(
            receiver.names_of(during),
            ["proposal.submitted", "proposal.withdrawn"]
        );
        assert_eq!(
            receiver.names_of(second),
            ["proposal.submitted", "proposal.approved"]
        );
        // A repeat (a 500 after the receiver did its work, a lost answer) carries the same
        // id and the same signed body: receivers drop it by id.
        let stored = db.store.events().await.expect("events");
        assert_eq!(receiver.ids().len(), stored.len(), "{what}");
        db.finish().await;
    }
}

#[tokio::test]
async fn two_deliverers_never_send_one_event_at_once_and_every_event_arrives() {
    for db in TestDb::sqlite_and_postgres().await {
        let what = db.name();
        let store: Arc<dyn Store> = db.store.clone();
        let receiver = Receiver::start().await;
        receiver.inbox.hold_ms.store(15, Ordering::SeqCst);
        let other = db.another_handle().await;
        let (stop_a, a) = run(deliverer(&db.store, &receiver.url(), "process-a"));
        let (stop_b, b) = run(deliverer(&other, &receiver.url(), "process-b"));
        let mut ids = Vec::new();
        for i in 0..8 {
            ids.push(approved(&*store, &format!("Idea number {i} for the team. ^SG")).await);
        }
        all_arrive(&db.store, &receiver, what).await;
        let _ = stop_a.send(());
        let _ = stop_b.send(());
        a.await.expect("a stops");
        b.await.expect("b stops");
        other.close().await;
        assert!(
            lock(&receiver.inbox.overlaps).is_empty(),
            "{what}: one event in two requests at once: {:?}",
            lock(&receiver.inbox.overlaps)
        );
        let stored = db.store.events().await.expect("events");
        assert_eq!(stored.len(), 8 * 2, "{what}");
        assert_eq!(
            receiver.received().len(),
            stored.len(),
            "{what}: with claims held, each event went exactly once"
        );
        let deliverers: HashSet<Option<String>> =
            stored.iter().map(|e| e.claimed_by.clone()).collect();
        assert_eq!(deliverers, HashSet::from([None]), "{what}: no claim left");
        for id in ids {
            assert_eq!(
                receiver.names_of(id),
                ["proposal.submitted", "proposal.approved"],
                "{what}: in order"
            );
        }
        consistent(&db.store, &receiver, what).await;
        db.finish().await;
    }
}

#[tokio::test]
async fn a_dead_deliverers_claim_runs_out_and_the_event_goes_again() {
    for db in TestDb::sqlite_and_postgres().await {
        let what = db.name();
        let store: Arc<dyn Store> = db.store.clone();
        let other = db.another_handle().await;
        let id = submitted(&*store, "Claimed by a process that dies. ^SG").await;
        let lease = Duration::from_secs(60);
        let now = Utc::now();
        let taken = db
            .store
            .claim_event("dies", lease, now)
            .await
            .expect("claim")
            .expect("due");
        assert_eq!(taken.name, "proposal.submitted");
        assert_eq!(taken.attempts, 1);
        // While the claim lasts, nobody else takes it.
        assert_eq!(
            other
                .claim_event("lives", lease, now + TimeDelta::seconds(30))
                .await
                .expect("claim"),
            None,
            "{what}"
        );
        // Later events of the same proposal wait for it: they go in order.
        store
            .apply(GUILD, id, &Event::Withdraw { by: member(AUTHOR) }, at(1))
            .await
            .expect("withdrawn");
        assert_eq!(
            other
                .claim_event("lives", lease, now + TimeDelta::seconds(30))
                .await
                .expect("claim"),
            None,
            "{what}"
        );
        // Once it runs out, the other process takes it, as a new attempt.
        let again = other
            .claim_event("lives", lease, now + TimeDelta::seconds(61))
            .await
            .expect("claim")
            .expect("taken over");
        assert_eq!(again.id, taken.id, "{what}");
        assert_eq!(again.attempts, 2);
        // The dead one's late word changes nothing.
        assert!(!db
            .store
            .event_failed(&taken, "late", now + TimeDelta::seconds(62))
            .await
            .expect("write"));
        assert!(other
            .event_delivered(&again, now + TimeDelta::seconds(62))
            .await
            .expect("write"));
        let next = other
            .claim_event("lives", lease, now + TimeDelta::seconds(63))
            .await
            .expect("claim")
            .expect("the withdrawal, now");
        assert_eq!(next.name, "proposal.withdrawn", "{what}");
        other.close().await;
        db.finish().await;
    }
}

#[tokio::test]
async fn without_an_endpoint_events_are_kept_a_while_then_pruned() {
    let db = TestDb::sqlite().await;
    let store: Arc<dyn Store> = db.store.clone();
    submitted(&*store, "Nobody listens. ^SG").await;
    let d = Deliverer::new(db.store.clone(), None, "d").expect("deliverer");
    assert_eq!(d.run_once(Utc::now()).await.expect("round"), 0);
    // Stored at at(0): kept a week, then gone.
    assert_eq!(d.prune(at(60)).await.expect("prune"), 0);
    assert_eq!(db.store.events().await.expect("events").len(), 1);
    assert_eq!(d.prune(at(0) + TimeDelta::days(8)).await.expect("prune"), 1);
    assert!(db.store.events().await.expect("events").is_empty());
    // One a process with an endpoint tried (sharing the database) is its work: kept.
    submitted(&*store, "Somebody listens, elsewhere. ^SG").await;
    db.store
        .claim_event("elsewhere", Duration::from_secs(60), at(1))
        .await
        .expect("claim")
        .expect("due");
    assert_eq!(d.prune(at(0) + TimeDelta::days(9)).await.expect("prune"), 0);
    db.finish().await;
}
