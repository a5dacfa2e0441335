//! Threads on every network: part by part, each part answering the one before (Bluesky: with
//! the thread's root too), each part a publication of its own, so a failure, an unknown outcome
//! or a crash on part k is settled before part k+1 goes, and no part is ever sent twice.

use std::sync::Arc;

use serde_json::Value;
use tweetguard::publish::{PostRef, PostRequest, ReplyTo, Worker};
use tweetguard::store::{PublicationResult, PublicationStatus, Store};
use tweetguard::workflow::{ProposalId, Status};

use super::fakes::{Fail, Post};
use super::{approved, status, Net, GUILD};
use crate::common::{admin, at, TestDb};

const PARTS: [&str; 3] = [
    "Three things about the new timetable, a thread. 1/3",
    "Trains run every ten minutes at peak hours. 2/3",
    "Questions? Reply here, we read everything. 3/3 ^SG",
];

fn thread_text(tag: &str) -> (String, Vec<String>) {
    let parts: Vec<String> = PARTS.iter().map(|p| format!("{p} — {tag}")).collect();
    (parts.join("\n---\n"), parts)
}

/// The id of the post this one answers, as the network's own request says it.
fn parent_of(network: &str, post: &Post) -> Option<String> {
    let at = |pointer: &str| {
        post.body
            .pointer(pointer)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    match network {
        "x" => at("/reply/in_reply_to_tweet_id"),
        "mastodon" => at("/in_reply_to_id"),
        "bluesky" => at("/reply/parent/uri"),
        _ => None,
    }
}

/// Exactly one post per part, in order, each answering the one before (and, on Bluesky, the
/// first as the root).
fn assert_chain(net: &Net, parts: &[String], case: &str) {
    let network = net.publisher.network();
    let posts: Vec<Post> = net
        .fake
        .posts()
        .into_iter()
        .filter(|p| parts.contains(&p.text))
        .collect();
    let texts: Vec<&str> = posts.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(texts, parts, "{case}: each part once, in order");
    for (k, post) in posts.iter().enumerate() {
        let parent = parent_of(network, post);
        if network == "webhook" {
            assert_eq!(parent, None, "{case}");
        } else if k == 0 {
            assert_eq!(parent, None, "{case}: the first part answers nobody");
        } else {
            assert_eq!(
                parent.as_deref(),
                Some(posts[k - 1].id.as_str()),
                "{case}: part {}",
                k + 1
            );
        }
        if network == "bluesky" && k > 0 {
            let root = post.body.pointer("/reply/root/uri").and_then(Value::as_str);
            assert_eq!(
                root,
                Some(posts[0].id.as_str()),
                "{case}: root of part {}",
                k + 1
            );
        }
    }
}

async fn assert_all_parts_posted(store: &dyn Store, id: ProposalId, network: &str, case: &str) {
    let pubs = store.publications(id).await.expect("publications");
    let parts: Vec<(u32, PublicationStatus)> = pubs
        .iter()
        .filter(|p| p.network == network)
        .map(|p| (p.part, p.status))
        .collect();
    assert_eq!(
        parts,
        [0, 1, 2].map(|k| (k, PublicationStatus::Posted)),
        "{case}"
    );
    assert_eq!(status(store, id).await, Status::Posted, "{case}");
}

#[tokio::test]
async fn a_thread_goes_out_part_by_part_each_answering_the_one_before() {
    let mut nets = Net::all().await;
    nets.push(Net::webhook().await);
    for net in nets {
        let network = net.publisher.network();
        let db = TestDb::sqlite().await;
        let store: Arc<dyn Store> = db.store.clone();
        let (text, parts) = thread_text(network);
        let id = approved(&*store, &text).await;
        let w = net.worker(&store, Arc::default(), "w1");
        assert_eq!(w.run_once(at(3)).await.expect("round"), 1);
        assert_chain(&net, &parts, network);
        assert_all_parts_posted(&*store, id, network, network).await;
        // The card links the thread's first post.
        let proposal = store.proposal(id).await.expect("read").expect("exists");
        let first = &net.fake.posts()[0].id;
        assert!(
            proposal
                .remote_id
                .as_deref()
                .is_some_and(|r| r.contains(first.as_str())),
            "{network}: {:?}",
            proposal.remote_id
        );
        // Nothing is due any more, and nothing is sent again.
        assert_eq!(w.run_once(at(600)).await.expect("round"), 0);
        assert_chain(&net, &parts, network);
        db.finish().await;
    }
}

/// The rounds after a failure at `at(3)`: a lookup comes a minute later.
const ROUNDS: [i64; 5] = [3, 4, 5, 10, 30];

/// [`ROUNDS`], then a round a minute until the proposal is settled (posted, or waiting for a
/// person), ten at most. On a machine loaded enough that a request outlives the publishers'
/// three-second timeout, that request is one more unknown outcome, looked up a round later:
/// more rounds, never another post, which is what the assertions after this check.
async fn rounds_until_settled(w: &Worker, store: &dyn Store, id: ProposalId) {
    for minute in ROUNDS {
        w.run_once(at(minute)).await.expect("round");
    }
    for minute in 31..=40 {
        if matches!(
            status(store, id).await,
            Status::Posted | Status::NeedsReconcile
        ) {
            break;
        }
        w.run_once(at(minute)).await.expect("round");
    }
}

#[tokio::test]
async fn an_unknown_outcome_on_a_middle_part_is_settled_before_the_next_part_goes() {
    for mode in [Fail::After500, Fail::DropAfter] {
        for net in Net::all().await {
            let network = net.publisher.network();
            for db in TestDb::sqlite_and_postgres().await {
                let store: Arc<dyn Store> = db.store.clone();
                let (text, parts) = thread_text(&format!("{mode:?} {}", db.name()));
                let id = approved(&*store, &text).await;
                net.fake.fail_next(&[Fail::Pass, mode]);
                let w = net.worker(&store, Arc::default(), "w1");
                w.run_once(at(3)).await.expect("round");
                let case = format!("{network} {mode:?} on {}", db.name());
                // Part 3 waits while part 2 is unsettled.
                assert!(
                    !net.fake.posts().iter().any(|p| p.text == parts[2]),
                    "{case}"
                );
                rounds_until_settled(&w, &*store, id).await;
                assert_chain(&net, &parts, &case);
                assert_all_parts_posted(&*store, id, network, &case).await;
                db.finish().await;
            }
        }
    }
}

#[tokio::test]
async fn a_worker_killed_between_two_parts_resumes_with_the_next_part_once() {
    for sent in [true, false] {
        for net in Net::all().await {
            let network = net.publisher.network();
            for db in TestDb::sqlite_and_postgres().await {
                let store: Arc<dyn Store> = db.store.clone();
                let case = format!("{network}, part 2 sent: {sent}, on {}", db.name());
                let (text, parts) = thread_text(&case);
                let id = approved(&*store, &text).await;
                // The first life posts part 1, marks part 2 sending, maybe sends it, and dies.
                let entry = store
                    .claim_post("w1", at(3))
                    .await
                    .expect("claim")
                    .expect("due");
                let request = |part: u32, key: String, reply_to| PostRequest {
                    guild: GUILD,
                    proposal: id,
                    revision: 1,
                    part,
                    text: parts[part as usize].clone(),
                    reply_to,
                    conversation: None,
                    images: Vec::new(),
                    key,
                    sent_at: Some(at(3)),
                    now: at(3),
                };
                let key0 = net.publisher.key(GUILD, id, 1, 0, &parts[0], at(3));
                store
                    .prepare_publication(&entry, network, 0, &key0, at(3))
                    .await
                    .expect("prepare");
                store
                    .start_publication(&entry, network, 0, at(3))
                    .await
                    .expect("start");
                let first = net
                    .publisher
                    .post(&request(0, key0, None))
                    .await
                    .expect("part 1");
                let result = PublicationResult::Posted {
                    remote_id: first.remote_id.clone(),
                    cid: first.cid.clone(),
                    url: first.url.clone(),
                };
                store
                    .finish_publication(&entry, network, 0, &result, at(3))
                    .await
                    .expect("finish");
                let key1 = net.publisher.key(GUILD, id, 1, 1, &parts[1], at(3));
                store
                    .prepare_publication(&entry, network, 1, &key1, at(3))
                    .await
                    .expect("prepare");
                store
                    .start_publication(&entry, network, 1, at(3))
                    .await
                    .expect("start");
                if sent {
                    let head = PostRef {
                        id: first.remote_id.clone(),
                        cid: first.cid.clone(),
                    };
                    let to = ReplyTo {
                        parent: head.clone(),
                        root: head,
                    };
                    net.publisher
                        .post(&request(1, key1, Some(to)))
                        .await
                        .expect("part 2");
                }
                // Restarted: part 2 is looked up (or, certainly absent, sent), then part 3 goes.
                let again = net.worker(&store, Arc::default(), "w1");
                again.resume(at(4)).await.expect("resume");
                rounds_until_settled(&again, &*store, id).await;
                let end = status(&*store, id).await;
                if !sent && network == "x" {
                    // X can't prove a post absent: a person decides, and nothing went twice.
                    assert_eq!(end, Status::NeedsReconcile, "{case}");
                    assert_eq!(net.fake.count(&parts[1]), 0, "{case}");
                    assert_eq!(net.fake.count(&parts[2]), 0, "{case}");
                } else {
                    assert_chain(&net, &parts, &case);
                    assert_all_parts_posted(&*store, id, network, &case).await;
                }
                db.finish().await;
            }
        }
    }
}

#[tokio::test]
async fn confirming_a_stuck_middle_part_posts_the_rest_of_the_thread() {
    let net = Net::x().await;
    for db in TestDb::sqlite_and_postgres().await {
        let store: Arc<dyn Store> = db.store.clone();
        let (text, parts) = thread_text(&format!("confirm {}", db.name()));
        let id = approved(&*store, &text).await;
        // Part 2 fails before X stores it: X can't prove it absent, so a person is asked.
        net.fake.fail_next(&[Fail::Pass, Fail::Before500]);
        let w = net.worker(&store, Arc::default(), "w1");
        rounds_until_settled(&w, &*store, id).await;
        assert_eq!(status(&*store, id).await, Status::NeedsReconcile);
        // The admin posts part 2 by hand, then confirms it: the worker posts part 3 after it.
        let by_hand = PostRequest {
            guild: GUILD,
            proposal: id,
            revision: 1,
            part: 1,
            text: parts[1].clone(),
            reply_to: None,
            conversation: None,
            images: Vec::new(),
            key: String::new(),
            sent_at: None,
            now: at(40),
        };
        net.publisher.post(&by_hand).await.expect("posted by hand");
        tweetguard::publish::confirm_posted(&*store, GUILD, id, &admin(9), None, at(41))
            .await
            .expect("confirm");
        assert_eq!(
            status(&*store, id).await,
            Status::Failed,
            "the rest is still to post"
        );
        w.run_once(at(42)).await.expect("round");
        assert_eq!(status(&*store, id).await, Status::Posted);
        let posts = net.fake.posts();
        let last = posts
            .iter()
            .find(|p| p.text == parts[2])
            .expect("part 3 posted");
        let second = posts.iter().find(|p| p.text == parts[1]).expect("part 2");
        assert_eq!(parent_of("x", last).as_deref(), Some(second.id.as_str()));
        assert_eq!(net.fake.count(&parts[2]), 1);
        db.finish().await;
    }
}
