//! `/settings pause` at the store and worker level, on SQLite and PostgreSQL: a paused server's
//! approved and scheduled proposals wait (its votes go on), another server's still go, and once the pause
//! ends each goes exactly once; both changes are in the export.

use std::sync::Arc;

use serde_json::Value;
use tweetguard::store::export::{export_audit, Format};
use tweetguard::store::{AuditQuery, Store};
use tweetguard::workflow::{GuildId, MemberId, Status};

use super::{approved, status, Net};
use crate::common::{at, TestDb};

const ADMIN: MemberId = MemberId(1_200_000_000_000_000_099);

#[tokio::test]
async fn a_paused_server_posts_nothing_until_the_pause_ends_then_each_post_goes_once() {
    for db in TestDb::sqlite_and_postgres().await {
        let store: Arc<dyn Store> = db.store.clone();
        let backend = format!("{:?}", db.store.backend());
        let net = Net::mastodon().await;
        let first = format!("Paused on {backend}: what do you think? ^SG");
        let id = approved(&*store, &first).await;
        assert!(store
            .set_pause(
                super::GUILD,
                ADMIN,
                Some(Some("incident *en cours*")),
                at(3)
            )
            .await
            .expect("paused"));
        // Another process on the same database sees the pause.
        let other = db.another_handle().await;
        let pause = other
            .pause(super::GUILD)
            .await
            .expect("read")
            .expect("paused");
        assert_eq!(pause.reason.as_deref(), Some("incident *en cours*"));
        assert_eq!(pause.by, ADMIN);
        let w = net.worker(&store, Arc::default(), "w1");
        assert_eq!(w.run_once(at(4)).await.expect("round"), 0, "{backend}");
        assert_eq!(w.resume(at(4)).await.expect("resume"), 0, "{backend}");
        assert_eq!(
            net.fake.count(&first),
            0,
            "{backend}: nothing posted while paused"
        );
        assert_eq!(
            status(&*store, id).await,
            Status::Approved,
            "{backend}: it waits"
        );
        // Votes go on while paused: a second proposal is approved, and waits too.
        let second = format!("Also paused on {backend}: your ideas? ^SG");
        let id2 = approved(&*store, &second).await;
        assert_eq!(status(&*store, id2).await, Status::Approved);
        // A scheduled one whose time comes during the pause waits too (and is not expired:
        // it was approved in time).
        let third = format!("Scheduled on {backend}: see you there? ^SG");
        let id3 = approved(&*store, &third).await;
        store
            .set_schedule(super::GUILD, id3, Some(at(5)), at(3))
            .await
            .expect("scheduled");
        assert_eq!(w.run_once(at(5)).await.expect("round"), 0, "{backend}");
        assert_eq!(status(&*store, id3).await, Status::Approved, "{backend}");
        assert_eq!(net.fake.count(&third), 0, "{backend}");
        // Ending it: once (a second "off" changes nothing and records nothing).
        assert!(store
            .set_pause(super::GUILD, ADMIN, None, at(6))
            .await
            .expect("unpaused"));
        assert!(!store
            .set_pause(super::GUILD, ADMIN, None, at(6))
            .await
            .expect("unpaused"));
        assert_eq!(other.pause(super::GUILD).await.expect("read"), None);
        assert_eq!(w.run_once(at(7)).await.expect("round"), 3, "{backend}");
        assert_eq!(w.run_once(at(8)).await.expect("round"), 0, "{backend}");
        assert_eq!(net.fake.count(&first), 1, "{backend}: posted exactly once");
        assert_eq!(net.fake.count(&second), 1, "{backend}: posted exactly once");
        assert_eq!(net.fake.count(&third), 1, "{backend}: posted exactly once");
        assert_eq!(status(&*store, id).await, Status::Posted);
        // The export holds both changes, as server-level rows among the proposals' own.
        let mut out = Vec::new();
        export_audit(&*store, Format::Jsonl, &AuditQuery::default(), &mut out)
            .await
            .expect("export");
        let rows: Vec<Value> = String::from_utf8(out)
            .expect("utf-8")
            .lines()
            .map(|l| serde_json::from_str(l).expect("json"))
            .collect();
        let server_rows: Vec<&Value> = rows.iter().filter(|r| r["proposal"].is_null()).collect();
        assert_eq!(server_rows.len(), 2, "{backend}: {server_rows:#?}");
        assert_eq!(server_rows[0]["action"], "pause");
        assert_eq!(server_rows[0]["detail"], "incident *en cours*");
        assert_eq!(server_rows[0]["actor"], ADMIN.0.to_string());
        assert_eq!(server_rows[0]["guild"], super::GUILD.0.to_string());
        assert_eq!(server_rows[1]["action"], "unpause");
        assert!(rows.iter().any(|r| r["action"] == "approve"), "{backend}");
        let times: Vec<&str> = rows
            .iter()
            .map(|r| r["at"].as_str().unwrap_or(""))
            .collect();
        assert!(
            times.windows(2).all(|w| w[0] <= w[1]),
            "oldest first: {times:?}"
        );
        // Another server's export has none of them.
        let elsewhere = AuditQuery {
            guild: Some(GuildId(7)),
            ..AuditQuery::default()
        };
        assert!(store
            .guild_audit(&elsewhere)
            .await
            .expect("read")
            .is_empty());
        db.finish().await;
    }
}

/// Only the paused server waits: another server's approved proposal goes at once.
#[tokio::test]
async fn the_pause_holds_for_its_server_only() {
    let db = TestDb::sqlite().await;
    let store: Arc<dyn Store> = db.store.clone();
    let net = Net::mastodon().await;
    let text = "Not our pause: what do you think? ^SG";
    let id = approved(&*store, text).await;
    store
        .set_pause(GuildId(7), ADMIN, Some(None), at(3))
        .await
        .expect("paused");
    let w = net.worker(&store, Arc::default(), "w1");
    assert_eq!(w.run_once(at(4)).await.expect("round"), 1);
    assert_eq!(net.fake.count(text), 1);
    assert_eq!(status(&*store, id).await, Status::Posted);
    db.finish().await;
}
