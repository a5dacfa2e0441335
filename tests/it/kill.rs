//! A bot process killed (SIGKILL) in the middle of writing leaves a store that reopens
//! consistent: migrations run again, every proposal reads back whole, votes and approvals
//! agree, and each approved proposal has exactly one outbox entry.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tweetguard::review::Verdict;
use tweetguard::store::{OutboxStatus, ProposalFilter, PublishOutcome, SqlStore, Store};
use tweetguard::workflow::{Action, Event, GuildId, Policy, Status};

use crate::common::{member, review, TestDb};

const GUILD: GuildId = GuildId(7);
const WRITER_ENV: &str = "TWEETGUARD_TEST_KILL_WRITER_URL";

/// Not a test of its own: the child process the kill tests start and kill. It writes until it
/// is killed, with several tasks so the kill lands in the middle of some transaction.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "run by the kill tests as a child process"]
async fn writer_child() {
    let Ok(url) = std::env::var(WRITER_ENV) else {
        return;
    };
    let store = std::sync::Arc::new(SqlStore::open(&url).await.expect("child opens store"));
    let mut tasks = Vec::new();
    for task in 0..4u64 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0u64.. {
                let now = chrono::Utc::now();
                let text = format!("task {task} proposal {i} ^SG");
                let t = store
                    .submit(GUILD, &member(1), &text, None, &review(Verdict::Ready), now)
                    .await
                    .expect("submit");
                let id = t.proposal.id;
                for reviewer in [2, 3] {
                    let vote = Event::Approve {
                        by: member(reviewer),
                        revision: 1,
                    };
                    store.apply(GUILD, id, &vote, now).await.expect("approve");
                }
                if let Some(entry) = store.claim_post("child", now).await.expect("claim") {
                    let posted = PublishOutcome::Posted {
                        remote_id: format!("{}", entry.id),
                    };
                    store
                        .record_post(entry.proposal, &posted, now)
                        .await
                        .expect("record");
                }
            }
        }));
    }
    for t in tasks {
        t.await.expect("writer task");
    }
}

async fn count(store: &SqlStore) -> usize {
    store
        .list(&ProposalFilter {
            limit: 1_000_000,
            ..ProposalFilter::guild(GUILD)
        })
        .await
        .map_or(0, |l| l.len())
}

/// Starts the writer on `url`, lets it write `at_least` more proposals, and SIGKILLs it.
async fn kill_writer_after(url: &str, observer: &SqlStore, at_least: usize) {
    let exe = std::env::current_exe().expect("test executable");
    let before = count(observer).await;
    let mut child = Command::new(exe)
        .args(["--exact", "kill::writer_child", "--ignored", "--nocapture"])
        .env(WRITER_ENV, url)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn writer");
    let deadline = Instant::now() + Duration::from_secs(60);
    while count(observer).await < before + at_least {
        if let Some(status) = child.try_wait().expect("poll writer") {
            panic!("the writer exited on its own: {status}");
        }
        assert!(Instant::now() < deadline, "the writer made no progress");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // `Child::kill` is SIGKILL on Unix: no destructor, no rollback, no flush.
    child.kill().expect("kill writer");
    child.wait().expect("reap writer");
}

/// Every invariant a crash must not break.
async fn assert_consistent(store: &SqlStore) {
    let policy = Policy::default();
    let list = store
        .list(&ProposalFilter {
            limit: 1_000_000,
            ..ProposalFilter::guild(GUILD)
        })
        .await
        .expect("list");
    assert!(!list.is_empty());
    for summary in list {
        let p = store
            .proposal(summary.id)
            .await
            .expect("read back whole")
            .expect("listed proposal exists");
        assert_eq!(
            p.version as usize,
            p.audit.len(),
            "one audit entry per version"
        );
        assert_eq!(p.audit.last().map(|e| e.to), Some(p.status));
        let approvals = p.approvals().count();
        assert!(approvals <= 2, "no vote counted twice");
        let approved_audit = p
            .audit
            .iter()
            .filter(|e| e.action == Action::Approve)
            .count();
        assert_eq!(approved_audit, approvals, "votes and the audit trail agree");
        let outbox = store.outbox(p.id).await.expect("outbox");
        match p.status {
            Status::Pending => {
                assert!(!policy.is_met(p.approvals()));
                assert!(outbox.is_none(), "no post reserved before approval");
            }
            Status::Approved | Status::Publishing | Status::Posted => {
                assert!(policy.is_met(p.approvals()));
                let entry = outbox.expect("an approved proposal has its outbox entry");
                let expected = match p.status {
                    Status::Approved => OutboxStatus::Pending,
                    Status::Publishing => OutboxStatus::Publishing,
                    _ => OutboxStatus::Done,
                };
                assert_eq!(entry.status, expected, "outbox follows {:?}", p.status);
            }
            other => panic!("unexpected status {other:?}"),
        }
    }
}

async fn killed_mid_write(db: TestDb) {
    for round in 1..=3 {
        kill_writer_after(&db.url, &db.store, 20 * round).await;
    }
    // Reopen as a restarted bot would: migrations run again on the crashed store.
    let reopened = db.another_handle().await;
    assert_consistent(&reopened).await;
    // And it keeps working.
    let now = chrono::Utc::now();
    let t = reopened
        .submit(
            GUILD,
            &member(1),
            "after the crash ^SG",
            None,
            &review(Verdict::Ready),
            now,
        )
        .await
        .expect("submit after crash");
    for r in [2, 3] {
        let vote = Event::Approve {
            by: member(r),
            revision: 1,
        };
        reopened
            .apply(GUILD, t.proposal.id, &vote, now)
            .await
            .expect("vote");
    }
    assert_consistent(&reopened).await;
    reopened.close().await;
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_store_reopens_consistent_after_a_sigkill() {
    killed_mid_write(TestDb::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_store_reopens_consistent_after_a_sigkill() {
    if let Some(db) = TestDb::postgres().await {
        killed_mid_write(db).await;
    }
}
