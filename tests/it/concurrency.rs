//! Two store handles on one database, as two bot processes would have, racing 1,000 proposals
//! x 5 reviewers with every click made twice (once through each handle).

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

use tokio::sync::Mutex;
use tweetguard::review::Verdict;
use tweetguard::store::{GuildSettings, OutboxStatus, SqlStore, Store, StoreError};
use tweetguard::workflow::{
    Action, Event, GuildId, Policy, ProposalId, Status, VoteKind, WorkflowError,
};

use crate::common::{at, member, review, TestDb};

const GUILD: GuildId = GuildId(42);
const PROPOSALS: usize = 1_000;
const REVIEWERS: u64 = 5;
const TASKS_PER_HANDLE: usize = 8;

/// A deterministic shuffle (xorshift), different per seed, so each handle clicks in its own order.
fn shuffled<T>(mut items: Vec<T>, seed: u64) -> Vec<T> {
    let mut x = seed | 1;
    for i in (1..items.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        items.swap(i, (x % (i as u64 + 1)) as usize);
    }
    items
}

#[derive(Default)]
struct Tally {
    accepted: usize,
    approvals_decided: usize,
    refused_duplicate: usize,
}

async fn race(db: TestDb) {
    let started = Instant::now();
    let a: Arc<SqlStore> = db.store.clone();
    let b: Arc<SqlStore> = db.another_handle().await;
    // All five approvals are needed, so every vote must land for a proposal to be approved.
    let settings = GuildSettings {
        policy: Policy {
            required_approvals: REVIEWERS as u32,
            ..Policy::default()
        },
        ..GuildSettings::default()
    };
    a.put_settings(GUILD, &settings, at(0))
        .await
        .expect("settings");

    let mut submitters = Vec::new();
    for (h, store) in [a.clone(), b.clone()].into_iter().enumerate() {
        for task in 0..TASKS_PER_HANDLE {
            let store = store.clone();
            submitters.push(tokio::spawn(async move {
                let mut ids = Vec::new();
                for i in (h * TASKS_PER_HANDLE + task..PROPOSALS).step_by(2 * TASKS_PER_HANDLE) {
                    let text = format!("Proposal {i} ^SG");
                    let t = store
                        .submit(
                            GUILD,
                            &member(1),
                            &text,
                            None,
                            &review(Verdict::Ready),
                            at(0),
                        )
                        .await
                        .expect("submit");
                    ids.push(t.proposal.id);
                }
                ids
            }));
        }
    }
    let mut ids = Vec::with_capacity(PROPOSALS);
    for s in submitters {
        ids.extend(s.await.expect("submit task"));
    }
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        PROPOSALS,
        "unique ids"
    );
    let submitted = started.elapsed();

    let clicks: Vec<(ProposalId, u64)> = ids
        .iter()
        .flat_map(|id| (0..REVIEWERS).map(move |r| (*id, 100 + r)))
        .collect();
    let tally = Arc::new(Mutex::new(Tally::default()));
    let mut tasks = Vec::new();
    for (h, store) in [a.clone(), b.clone()].into_iter().enumerate() {
        let queue = Arc::new(Mutex::new(shuffled(clicks.clone(), 0x9E37_79B9 + h as u64)));
        for _ in 0..TASKS_PER_HANDLE {
            let (store, queue, tally) = (store.clone(), queue.clone(), tally.clone());
            tasks.push(tokio::spawn(async move {
                loop {
                    let Some((id, reviewer)) = queue.lock().await.pop() else {
                        break;
                    };
                    let event = Event::Approve {
                        by: member(reviewer),
                        revision: 1,
                    };
                    let result = store.apply(GUILD, id, &event, at(1)).await;
                    let mut tally = tally.lock().await;
                    match result {
                        Ok(t) => {
                            tally.accepted += 1;
                            tally.approvals_decided += usize::from(t.enqueue_post);
                        }
                        Err(StoreError::Refused(WorkflowError::AlreadyApproved { .. }))
                        | Err(StoreError::Refused(WorkflowError::NotNow {
                            status: Status::Approved,
                            action: Action::Approve,
                        })) => tally.refused_duplicate += 1,
                        Err(e) => panic!("click on {id} by {reviewer} failed: {e:?}"),
                    }
                }
            }));
        }
    }
    for t in tasks {
        t.await.expect("click task");
    }
    let voted = started.elapsed();

    let tally = tally.lock().await;
    let total = PROPOSALS * REVIEWERS as usize;
    assert_eq!(tally.accepted, total, "every vote counted exactly once");
    assert_eq!(tally.refused_duplicate, total, "every second click refused");
    assert_eq!(
        tally.approvals_decided, PROPOSALS,
        "every proposal approved once"
    );

    // Two handles claim posts at once: each entry is claimed by exactly one.
    let claimed = Arc::new(Mutex::new(Vec::new()));
    let mut workers = Vec::new();
    for (h, store) in [a.clone(), b.clone()].into_iter().enumerate() {
        for w in 0..4 {
            let (store, claimed) = (store.clone(), claimed.clone());
            workers.push(tokio::spawn(async move {
                let name = format!("h{h}w{w}");
                while let Some(entry) = store.claim_post(&name, at(2)).await.expect("claim") {
                    claimed.lock().await.push(entry.proposal);
                }
            }));
        }
    }
    for w in workers {
        w.await.expect("claim task");
    }
    let claimed = claimed.lock().await;
    let unique: HashSet<_> = claimed.iter().collect();
    assert_eq!(claimed.len(), PROPOSALS, "one claim per approved proposal");
    assert_eq!(unique.len(), PROPOSALS, "no post claimed twice");

    for id in &ids {
        let p = b.proposal(*id).await.expect("read").expect("exists");
        assert_eq!(p.status, Status::Publishing);
        assert_eq!(p.votes.len(), REVIEWERS as usize);
        assert!(p.votes.iter().all(|v| v.kind == VoteKind::Approve));
        assert_eq!(p.audit.len(), 1 + REVIEWERS as usize + 1);
        let entry = a.outbox(*id).await.expect("outbox").expect("one entry");
        assert_eq!(
            (entry.status, entry.attempts),
            (OutboxStatus::Publishing, 1)
        );
    }
    eprintln!(
        "{:?}: {PROPOSALS} submits in {submitted:?}, {} clicks in {:?}, total {:?}",
        a.backend(),
        2 * total,
        voted - submitted,
        started.elapsed()
    );
    b.close().await;
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_two_handles_race_without_losing_or_doubling() {
    race(TestDb::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_two_handles_race_without_losing_or_doubling() {
    if let Some(db) = TestDb::postgres().await {
        race(db).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_handles_can_start_on_a_new_sqlite_file_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("new.db").display());
    let (a, b) = tokio::join!(SqlStore::open(&url), SqlStore::open(&url));
    let (a, b) = (a.expect("first opens"), b.expect("second opens"));
    let t = a
        .submit(
            GUILD,
            &member(1),
            "hello ^SG",
            None,
            &review(Verdict::Ready),
            at(0),
        )
        .await
        .expect("submit");
    assert!(b.proposal(t.proposal.id).await.expect("read").is_some());
    a.close().await;
    b.close().await;
}
