//! One worker against each fake network: every failure ends in exactly one post, or in
//! "needs reconcile" (never two posts), and the admins' buttons settle what is left.

use std::sync::Arc;

use serde_json::json;
use tweetguard::publish::{self, PostRequest};
use tweetguard::store::{GuildSettings, PublicationStatus, Store, StoreError};
use tweetguard::workflow::{ProposalId, Status, WorkflowError};

use super::fakes::{Fail, BSKY_HANDLES};
use super::{approve, approved, status, submitted, worker, Net, Recorder, GUILD};
use crate::common::{admin, at, member, TestDb};

fn dyn_store(db: &TestDb) -> Arc<dyn Store> {
    db.store.clone()
}

/// Asserts that the outbox entry of `id` holds an error that says `needle`.
async fn assert_last_error(store: &dyn Store, id: ProposalId, needle: &str) {
    let entry = store.outbox(id).await.expect("outbox").expect("entry");
    assert!(
        entry
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains(needle)),
        "{entry:?}"
    );
}

#[tokio::test]
async fn an_approved_proposal_is_posted_once_with_its_link() {
    let mut nets = Net::all().await;
    nets.push(Net::webhook().await);
    for net in nets {
        let network = net.publisher.network();
        let db = TestDb::sqlite().await;
        let store = dyn_store(&db);
        let text = format!("Hello {network}, what do you think? ^SG");
        let id = approved(&*store, &text).await;
        let rec = Arc::new(Recorder::default());
        let w = net.worker(&store, rec.clone(), "w1");
        assert_eq!(w.run_once(at(3)).await.expect("round"), 1, "{network}");
        assert_eq!(net.fake.count(&text), 1, "{network}");
        assert_eq!(status(&*store, id).await, Status::Posted, "{network}");
        let pubs = store.publications(id).await.expect("publications");
        assert_eq!(pubs.len(), 1);
        assert_eq!(pubs[0].status, PublicationStatus::Posted);
        assert_eq!(pubs[0].network, network);
        assert!(pubs[0].url.is_some(), "{network}: a link for the card");
        assert_eq!(rec.statuses(id), [Status::Publishing, Status::Posted]);
        assert_eq!(net.fake.auth_failures(), 0, "{network}: auth accepted");
        // Nothing is due any more.
        assert_eq!(w.run_once(at(600)).await.expect("round"), 0);
        assert_eq!(net.fake.count(&text), 1, "{network}");
        db.finish().await;
    }
}

/// The rounds a worker runs after a failure at `at(3)`: the lookup delay is a minute, the
/// first backoff 30 s, the rate limit two minutes.
const ROUNDS: [i64; 6] = [3, 4, 5, 6, 10, 30];

#[tokio::test]
async fn every_failure_ends_in_one_post_or_needs_reconcile() {
    let modes = [
        Fail::Before500,
        Fail::After500,
        Fail::DropAfter,
        Fail::TimeoutAfter,
        Fail::RateLimit(120),
    ];
    for net in Net::all().await {
        let network = net.publisher.network();
        for mode in modes {
            let db = TestDb::sqlite().await;
            let store = dyn_store(&db);
            let text = format!("{mode:?} on {network}: what do you think? ^SG");
            let id = approved(&*store, &text).await;
            net.fake.fail_next(&[mode]);
            let w = net.worker(&store, Arc::default(), "w1");
            for minute in ROUNDS {
                w.run_once(at(minute)).await.expect("round");
                if let Fail::RateLimit(_) = mode {
                    if minute < 5 {
                        assert_eq!(net.fake.count(&text), 0, "{network}: Retry-After honoured");
                    }
                }
            }
            let end = status(&*store, id).await;
            let posts = net.fake.count(&text);
            let case = format!("{network} after {mode:?}: {end:?} with {posts} posts");
            assert!(
                (end == Status::Posted && posts == 1)
                    || (end == Status::NeedsReconcile && posts <= 1),
                "{case}"
            );
            // Only X can't always tell: a post that never happened is not proof on its timeline.
            let expect_reconcile = network == "x" && mode == Fail::Before500;
            assert_eq!(end == Status::NeedsReconcile, expect_reconcile, "{case}");
            assert_eq!(net.fake.auth_failures(), 0, "{case}");
            // The fake failed the way the scenario says, and the worker read it so.
            let said = store
                .outbox(id)
                .await
                .expect("outbox")
                .expect("entry")
                .last_error;
            let expected = match mode {
                Fail::Before500 | Fail::After500 => "HTTP 500",
                Fail::DropAfter => "connection failed after sending",
                Fail::TimeoutAfter => "no answer in time",
                Fail::RateLimit(_) => "HTTP 429",
                Fail::Refuse403 => "HTTP 403",
                Fail::Pass => unreachable!("not among the modes tried"),
            };
            assert!(
                said.as_deref().is_some_and(|e| e.contains(expected)),
                "{case}: {said:?}"
            );
            // What reaches the author and the card is the network's text, with no sentence of
            // the bot's in one language inside it (a French author once read "(will check
            // whether it was posted)").
            assert!(
                said.as_deref().is_some_and(|e| !e.contains("will check")),
                "{case}: {said:?}"
            );
            db.finish().await;
        }
    }
}

#[tokio::test]
async fn a_worker_killed_between_send_and_record_resumes_without_posting_twice() {
    for sent in [true, false] {
        for net in Net::all().await {
            let network = net.publisher.network();
            let db = TestDb::sqlite().await;
            let store = dyn_store(&db);
            let text = format!("Killed on {network} (sent: {sent}) ^SG");
            let id = approved(&*store, &text).await;
            // The first life: claimed, marked sending, maybe sent; then it dies.
            let entry = store
                .claim_post("w1", at(3))
                .await
                .expect("claim")
                .expect("due");
            let key = net.publisher.key(GUILD, id, 1, 0, &text, at(3));
            store
                .prepare_publication(&entry, network, 0, &key, at(3))
                .await
                .expect("prepare");
            store
                .start_publication(&entry, network, 0, at(3))
                .await
                .expect("start");
            if sent {
                let req = PostRequest {
                    part: 0,
                    reply_to: None,
                    conversation: None,
                    images: Vec::new(),
                    guild: GUILD,
                    proposal: id,
                    revision: 1,
                    text: text.clone(),
                    key,
                    sent_at: Some(at(3)),
                    now: at(3),
                };
                net.publisher.post(&req).await.expect("posted");
            }
            // Another process doesn't take a fresh claim over.
            let other = net.worker(&store, Arc::default(), "w2");
            assert_eq!(other.resume(at(4)).await.expect("resume"), 0);
            // The same worker, restarted, resumes at once.
            let again = net.worker(&store, Arc::default(), "w1");
            assert_eq!(again.resume(at(4)).await.expect("resume"), 1);
            let end = status(&*store, id).await;
            let posts = net.fake.count(&text);
            let case = format!("{network}, sent: {sent}: {end:?} with {posts} posts");
            if sent || network != "x" {
                assert_eq!((end, posts), (Status::Posted, 1), "{case}");
            } else {
                assert_eq!((end, posts), (Status::NeedsReconcile, 0), "{case}");
            }
            db.finish().await;
        }
    }
}

#[tokio::test]
async fn a_dead_workers_stale_claim_is_taken_over_and_its_writes_refused() {
    let net = Net::bluesky().await;
    let db = TestDb::sqlite().await;
    let store = dyn_store(&db);
    let text = "Taken over ^SG";
    let id = approved(&*store, text).await;
    let entry = store
        .claim_post("dead", at(3))
        .await
        .expect("claim")
        .expect("due");
    store
        .prepare_publication(&entry, "bluesky", 0, "3lbtakeover22", at(3))
        .await
        .expect("prepare");
    let w = net.worker(&store, Arc::default(), "w2");
    assert_eq!(
        w.resume(at(5)).await.expect("resume"),
        0,
        "fresh claims are left alone"
    );
    assert_eq!(
        w.resume(at(14)).await.expect("resume"),
        1,
        "stale after ten minutes"
    );
    assert_eq!(
        (status(&*store, id).await, net.fake.count(text)),
        (Status::Posted, 1)
    );
    assert!(matches!(
        store.start_publication(&entry, "bluesky", 0, at(15)).await,
        Err(StoreError::LostClaim)
    ));
    db.finish().await;
}

#[tokio::test]
async fn needs_reconcile_is_settled_by_an_admin_only() {
    let net = Net::x().await;
    let db = TestDb::sqlite().await;
    let store = dyn_store(&db);
    let (a, b) = ("Reconcile me ^SG", "Confirm me ^SG");
    let pa = approved(&*store, a).await;
    let pb = approved(&*store, b).await;
    net.fake.fail_next(&[Fail::Before500, Fail::Before500]);
    let rec = Arc::new(Recorder::default());
    let w = net.worker(&store, rec.clone(), "w1");
    for minute in ROUNDS {
        w.run_once(at(minute)).await.expect("round");
    }
    assert_eq!(status(&*store, pa).await, Status::NeedsReconcile);
    assert_eq!(status(&*store, pb).await, Status::NeedsReconcile);
    assert!(rec.statuses(pa).contains(&Status::NeedsReconcile));
    for refused in [
        publish::post_again(&*store, GUILD, pa, &member(2), at(40))
            .await
            .err(),
        publish::confirm_posted(&*store, GUILD, pb, &member(2), None, at(40))
            .await
            .err(),
    ] {
        assert!(
            matches!(refused, Some(StoreError::Refused(WorkflowError::NotAdmin))),
            "{refused:?}"
        );
    }
    let t = publish::post_again(&*store, GUILD, pa, &admin(9), at(41))
        .await
        .expect("post again");
    assert_eq!(t.proposal.status, Status::Failed);
    // Someone posted b by hand: confirmed, never posted by the bot.
    let link = "https://x.com/team/status/1";
    let t = publish::confirm_posted(&*store, GUILD, pb, &admin(9), Some(link), at(41))
        .await
        .expect("confirm");
    assert_eq!(t.proposal.status, Status::Posted);
    assert_eq!(t.proposal.remote_id.as_deref(), Some(link));
    w.run_once(at(42)).await.expect("round");
    assert_eq!(
        (status(&*store, pa).await, net.fake.count(a)),
        (Status::Posted, 1)
    );
    assert_eq!(
        (status(&*store, pb).await, net.fake.count(b)),
        (Status::Posted, 0)
    );
    let pubs = store.publications(pb).await.expect("publications");
    assert_eq!(pubs[0].status, PublicationStatus::Posted);
    db.finish().await;
}

#[tokio::test]
async fn a_final_refusal_waits_for_an_admins_retry_and_posted_networks_are_not_posted_again() {
    let (x, mastodon) = (Net::x().await, Net::mastodon().await);
    let db = TestDb::sqlite().await;
    let store = dyn_store(&db);
    let text = "Refused once ^SG";
    let id = approved(&*store, text).await;
    x.fake.fail_next(&[Fail::Refuse403]);
    let pubs = vec![x.publisher.clone(), mastodon.publisher.clone()];
    let w = worker(store.clone(), pubs, Arc::default(), "w1");
    for minute in ROUNDS {
        w.run_once(at(minute)).await.expect("round");
    }
    assert_eq!(status(&*store, id).await, Status::Failed);
    assert_last_error(&*store, id, "x: HTTP 403").await;
    assert_eq!((x.fake.count(text), mastodon.fake.count(text)), (0, 1));
    let refused = publish::retry(&*store, GUILD, id, &member(2), at(40))
        .await
        .err();
    assert!(matches!(
        refused,
        Some(StoreError::Refused(WorkflowError::NotAdmin))
    ));
    publish::retry(&*store, GUILD, id, &admin(9), at(40))
        .await
        .expect("retry");
    assert_eq!(w.run_once(at(40)).await.expect("round"), 1);
    assert_eq!(status(&*store, id).await, Status::Posted);
    assert_eq!((x.fake.count(text), mastodon.fake.count(text)), (1, 1));
    db.finish().await;
}

#[tokio::test]
async fn a_scheduled_proposal_posts_at_its_time_or_expires_unapproved() {
    let net = Net::mastodon().await;
    let db = TestDb::sqlite().await;
    let store = dyn_store(&db);
    let rec = Arc::new(Recorder::default());
    let w = net.worker(&store, rec.clone(), "w1");
    // Approved early: posted at its time, not before.
    let text = "At noon ^SG";
    let early = submitted(&*store, text).await;
    publish::schedule(&*store, GUILD, early, Some(at(60)), at(0))
        .await
        .expect("schedule");
    assert_eq!(store.schedule(early).await.expect("read"), Some(at(60)));
    for (i, r) in [2, 3].into_iter().enumerate() {
        approve(&*store, early, r, 1 + i as i64)
            .await
            .expect("approve");
    }
    assert_eq!(w.run_once(at(30)).await.expect("round"), 0);
    assert_eq!(net.fake.count(text), 0, "not before its time");
    assert_eq!(w.run_once(at(60)).await.expect("round"), 1);
    assert_eq!(net.fake.count(text), 1);
    // Not approved in time: expires, and a late approval is refused.
    let late_text = "At one ^SG";
    let late = submitted(&*store, late_text).await;
    publish::schedule(&*store, GUILD, late, Some(at(70)), at(0))
        .await
        .expect("schedule");
    approve(&*store, late, 2, 65)
        .await
        .expect("approve in time");
    let refused = approve(&*store, late, 3, 71).await.err();
    assert!(
        matches!(
            refused,
            Some(StoreError::Refused(WorkflowError::Expired { .. }))
        ),
        "{refused:?}"
    );
    w.run_once(at(71)).await.expect("round");
    assert_eq!(status(&*store, late).await, Status::Expired);
    assert_eq!(rec.statuses(late), [Status::Expired]);
    assert_eq!(net.fake.count(late_text), 0);
    db.finish().await;
}

#[tokio::test]
async fn a_server_posts_to_its_own_targets_and_an_unconfigured_one_is_an_error() {
    let (x, mastodon) = (Net::x().await, Net::mastodon().await);
    let db = TestDb::sqlite().await;
    let store = dyn_store(&db);
    let mut settings = GuildSettings::default();
    settings
        .extra
        .insert("publish_targets".into(), json!(["mastodon"]));
    store
        .put_settings(GUILD, &settings, at(0))
        .await
        .expect("settings");
    let text = "Only on Mastodon ^SG";
    let id = approved(&*store, text).await;
    let w = worker(
        store.clone(),
        vec![x.publisher.clone(), mastodon.publisher.clone()],
        Arc::default(),
        "w1",
    );
    w.run_once(at(3)).await.expect("round");
    assert_eq!((x.fake.count(text), mastodon.fake.count(text)), (0, 1));
    let both = [x.publisher.clone(), mastodon.publisher.clone()];
    assert_eq!(
        publish::review_networks(&settings, &both),
        [tweetguard::review::networks::Network::Mastodon],
        "the review checks the networks the server posts to"
    );
    assert_eq!(
        publish::review_networks(&GuildSettings::default(), &both).len(),
        2
    );
    assert_eq!(status(&*store, id).await, Status::Posted);
    settings
        .extra
        .insert("publish_targets".into(), json!(["bluesky"]));
    store
        .put_settings(GUILD, &settings, at(4))
        .await
        .expect("settings");
    let other = approved(&*store, "Nowhere ^SG").await;
    w.run_once(at(5)).await.expect("round");
    assert_eq!(status(&*store, other).await, Status::Failed);
    assert_last_error(&*store, other, "\"bluesky\"").await;
    db.finish().await;
}

#[tokio::test]
async fn bluesky_posts_carry_facets_at_utf8_byte_ranges() {
    let net = Net::bluesky().await;
    let db = TestDb::sqlite().await;
    let store = dyn_store(&db);
    let text =
        "Merci @alice.example.com et @nobody.example.com 🎉 https://exemple.fr/été #Rentrée ^SG";
    approved(&*store, text).await;
    let w = net.worker(&store, Arc::default(), "w1");
    w.run_once(at(3)).await.expect("round");
    let posts = net.fake.posts();
    assert_eq!(posts.len(), 1);
    let facets = posts[0].body["facets"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let spans: Vec<(String, serde_json::Value)> = facets
        .iter()
        .map(|f| {
            let (s, e) = (
                f["index"]["byteStart"].as_u64().unwrap_or(0) as usize,
                f["index"]["byteEnd"].as_u64().unwrap_or(0) as usize,
            );
            (
                text.get(s..e).unwrap_or("<bad range>").to_owned(),
                f["features"][0].clone(),
            )
        })
        .collect();
    assert_eq!(
        spans,
        vec![
            (
                "@alice.example.com".to_owned(),
                json!({"$type": "app.bsky.richtext.facet#mention", "did": BSKY_HANDLES[0].1})
            ),
            (
                "https://exemple.fr/été".to_owned(),
                json!({"$type": "app.bsky.richtext.facet#link", "uri": "https://exemple.fr/été"})
            ),
            (
                "#Rentrée".to_owned(),
                json!({"$type": "app.bsky.richtext.facet#tag", "tag": "Rentrée"})
            ),
        ],
        "the unresolvable @nobody gets no facet"
    );
}

/// The webhook pings nobody, and the tweet shows as the reviewers approved it: its Markdown
/// (and the `<` of a mention) escaped, not rendered.
#[tokio::test]
async fn the_webhook_never_pings_anyone() {
    let net = Net::webhook().await;
    let db = TestDb::sqlite().await;
    let store = dyn_store(&db);
    let text = "@everyone <@&123> **big** news [here](https://x.test) ^SG";
    approved(&*store, text).await;
    let w = net.worker(&store, Arc::default(), "w1");
    w.run_once(at(3)).await.expect("round");
    let posts = net.fake.posts();
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0].body["allowed_mentions"], json!({"parse": []}));
    assert_eq!(
        posts[0].text,
        r"@everyone \<@&123> \*\*big\*\* news \[here\](https://x.test) ^SG"
    );
    db.finish().await;
}

#[tokio::test]
async fn a_text_over_a_networks_limit_is_refused_before_sending() {
    let net = Net::bluesky().await;
    let db = TestDb::sqlite().await;
    let store = dyn_store(&db);
    let id = approved(&*store, &"é".repeat(301)).await;
    let w = net.worker(&store, Arc::default(), "w1");
    w.run_once(at(3)).await.expect("round");
    assert_eq!(status(&*store, id).await, Status::Failed);
    assert!(net.fake.posts().is_empty());
    assert_last_error(&*store, id, "300").await;
    db.finish().await;
}

#[tokio::test]
async fn an_expired_bluesky_session_logs_in_again_without_a_second_post() {
    let net = Net::bluesky().await;
    let db = TestDb::sqlite().await;
    let store = dyn_store(&db);
    let w = net.worker(&store, Arc::default(), "w1");
    let first = approved(&*store, "Before expiry ^SG").await;
    w.run_once(at(3)).await.expect("round");
    net.fake.expire_sessions();
    let second = approved(&*store, "After expiry ^SG").await;
    w.run_once(at(4)).await.expect("round");
    for (id, text) in [(first, "Before expiry ^SG"), (second, "After expiry ^SG")] {
        assert_eq!(
            (status(&*store, id).await, net.fake.count(text)),
            (Status::Posted, 1),
            "{text}"
        );
    }
    assert_eq!(net.fake.auth_failures(), 0);
    db.finish().await;
}

#[tokio::test]
async fn wrong_credentials_are_refused_by_the_fakes_and_wait_for_a_person() {
    for net in Net::all_with_wrong_secrets().await {
        let network = net.publisher.network();
        let db = TestDb::sqlite().await;
        let store = dyn_store(&db);
        let id = approved(&*store, "Wrong secret ^SG").await;
        let w = net.worker(&store, Arc::default(), "w1");
        for minute in ROUNDS {
            w.run_once(at(minute)).await.expect("round");
        }
        assert_eq!(status(&*store, id).await, Status::Failed, "{network}");
        let entry = store.outbox(id).await.expect("outbox").expect("entry");
        assert_eq!(
            entry.attempts, 1,
            "{network}: a refusal is not retried by itself"
        );
        assert!(net.fake.posts().is_empty(), "{network}");
        assert_eq!(
            net.fake.auth_failures(),
            1,
            "{network}: the fake checked the credentials"
        );
        db.finish().await;
    }
}
