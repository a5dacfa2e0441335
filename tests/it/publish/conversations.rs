//! Replies, quotes and reposts on every network: the other post is read from its network
//! when the proposal is made, and the approved payload goes out once, to that network only,
//! with the parameters each API wants (checked by the fakes as the real APIs would).

use std::sync::Arc;

use serde_json::Value;
use tweetguard::publish::{PublishError, Publisher};
use tweetguard::review::Verdict;
use tweetguard::store::Store;
use tweetguard::workflow::{parse_link, Conversation, Kind, ProposalId, Status};

use super::fakes::{Fail, Fake, Foreign, Post};
use super::{approve, status, worker, Net, Recorder, AUTHOR, GUILD};
use crate::common::{at, member, review, TestDb};

/// Someone's complaint on `network`, as that network knows it.
pub fn complaint(network: &str) -> Foreign {
    let text = "Third time this month my parcel is late, is anyone listening?".to_owned();
    match network {
        "x" => Foreign {
            url: "https://x.com/alice/status/5000".into(),
            id: "5000".into(),
            author: "alice".into(),
            text,
            cid: String::new(),
            root: None,
        },
        "mastodon" => Foreign {
            url: "https://other.example/@alice/99".into(),
            // The id the bot's own instance gives the post it fetched.
            id: "7000".into(),
            author: "alice@other.example".into(),
            text,
            cid: String::new(),
            root: None,
        },
        _ => Foreign {
            url: "https://bsky.app/profile/alice.example.com/post/3kalice0000a2".into(),
            id: "at://did:plc:alice/app.bsky.feed.post/3kalice0000a2".into(),
            author: "alice.example.com".into(),
            text,
            cid: "bafyalice".into(),
            root: Some((
                "at://did:plc:carol/app.bsky.feed.post/3kroot00000a2".into(),
                "bafyroot".into(),
            )),
        },
    }
}

/// Seeds the complaint on its network (with, on Bluesky, the first post of its thread).
pub fn seed(fake: &Fake, network: &str) -> Foreign {
    let post = complaint(network);
    if let Some((uri, cid)) = &post.root {
        fake.seed(Foreign {
            url: "https://bsky.app/profile/carol.example.com/post/3kroot00000a2".into(),
            id: uri.clone(),
            author: "carol.example.com".into(),
            text: "Parcels this week: tell us how yours went".into(),
            cid: cid.clone(),
            root: None,
        });
    }
    fake.seed(post.clone());
    post
}

async fn read(publisher: &dyn Publisher, url: &str) -> tweetguard::workflow::Target {
    let link = parse_link(url).expect("a post's address");
    publisher.fetch(&link).await.expect("the post is read")
}

/// A proposal of `text` in `conversation`, approved by two reviewers.
async fn approved_answer(store: &dyn Store, text: &str, conversation: &Conversation) -> ProposalId {
    let id = store
        .submit(
            GUILD,
            &member(AUTHOR),
            text,
            Some(conversation),
            &review(Verdict::Ready),
            at(0),
        )
        .await
        .expect("submit")
        .proposal
        .id;
    for (i, reviewer) in [2, 3].into_iter().enumerate() {
        approve(store, id, reviewer, 1 + i as i64)
            .await
            .expect("approve");
    }
    id
}

#[tokio::test]
async fn the_post_a_proposal_answers_is_read_from_its_network() {
    for net in Net::all().await {
        let network = net.publisher.network();
        let post = seed(&net.fake, network);
        let target = read(&*net.publisher, &post.url).await;
        assert_eq!(target.author, post.author, "{network}");
        assert_eq!(
            target.text, post.text,
            "{network}: plain text, HTML taken off"
        );
        assert_eq!(target.id, post.id, "{network}: the id an answer names");
        assert!(target.posted_at.is_some(), "{network}");
        if network == "bluesky" {
            assert_eq!(target.cid.as_deref(), Some("bafyalice"));
            assert_eq!(target.root.as_ref().map(|r| r.1.as_str()), Some("bafyroot"));
        }
        // A post that is not there (deleted, private) is a clear refusal.
        let gone = post
            .url
            .replace("5000", "5001")
            .replace("/99", "/98")
            .replace("0a2", "0b2");
        let link = parse_link(&gone).expect("address");
        // Certainly no such post (a refusal, not an unknown outcome), and the member is told why.
        match net.publisher.fetch(&link).await {
            Err(PublishError::NotPosted { reason, .. }) => {
                assert!(
                    reason.contains("no post") || reason.contains("HTTP 4"),
                    "{network}: {reason}"
                )
            }
            other => panic!("{network}: {other:?}"),
        }
        assert_eq!(net.fake.auth_failures(), 0, "{network}");
    }
}

/// What the network's own request says this post answers, quotes or reposts.
fn named(network: &str, kind: Kind, post: &Post) -> Option<String> {
    let at = |p: &str| {
        post.body
            .pointer(p)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    match (network, kind) {
        ("x", Kind::Reply) => at("/reply/in_reply_to_tweet_id"),
        ("x", Kind::Quote) => at("/quote_tweet_id"),
        ("mastodon", Kind::Reply) => at("/in_reply_to_id"),
        ("mastodon", Kind::Quote) => at("/quoted_status_id"),
        ("bluesky", Kind::Reply) => at("/reply/parent/uri"),
        ("bluesky", Kind::Quote) => at("/embed/record/uri"),
        ("bluesky", Kind::Repost) => at("/subject/uri"),
        _ => None,
    }
}

#[tokio::test]
async fn a_reply_a_quote_and_a_repost_go_out_once_naming_the_post() {
    for mode in [None, Some(Fail::After500)] {
        for net in Net::all().await {
            let network = net.publisher.network();
            let post = seed(&net.fake, network);
            for kind in [Kind::Reply, Kind::Quote, Kind::Repost] {
                let case = format!("{network} {kind:?} after {mode:?}");
                let db = TestDb::sqlite().await;
                let store: Arc<dyn Store> = db.store.clone();
                let target = read(&*net.publisher, &post.url).await;
                let conversation = Conversation { kind, target };
                let text = match kind {
                    Kind::Repost => String::new(),
                    _ => format!("So sorry Alice, we're on it ({case}). ^SG"),
                };
                let id = approved_answer(&*store, &text, &conversation).await;
                if let Some(fail) = mode {
                    net.fake.fail_next(&[fail]);
                }
                let before = net.fake.reposts().len();
                let w = net.worker(&store, Arc::default(), "w1");
                for minute in [3, 4, 5, 10] {
                    w.run_once(at(minute)).await.expect("round");
                }
                assert_eq!(status(&*store, id).await, Status::Posted, "{case}");
                match (network, kind) {
                    ("x" | "mastodon", Kind::Repost) => {
                        let reposts = net.fake.reposts();
                        assert_eq!(
                            reposts.iter().filter(|r| **r == post.id).count(),
                            1,
                            "{case}"
                        );
                        assert!(reposts.len() <= before + 1, "{case}: {reposts:?}");
                    }
                    ("bluesky", Kind::Repost) => {
                        let records: Vec<Post> = net
                            .fake
                            .posts()
                            .into_iter()
                            .filter(|p| p.body["$type"] == "app.bsky.feed.repost")
                            .collect();
                        assert_eq!(records.len(), 1, "{case}");
                        assert_eq!(
                            named(network, kind, &records[0]).as_deref(),
                            Some(post.id.as_str())
                        );
                        // Reset for the next mode: one repost record per proposal.
                    }
                    _ => {
                        assert_eq!(net.fake.count(&text), 1, "{case}: exactly once");
                        let sent = net
                            .fake
                            .posts()
                            .into_iter()
                            .find(|p| p.text == text)
                            .expect("posted");
                        assert_eq!(
                            named(network, kind, &sent).as_deref(),
                            Some(post.id.as_str()),
                            "{case}"
                        );
                        if network == "bluesky" && kind == Kind::Reply {
                            // Answering a reply keeps its thread's first post as the root.
                            assert_eq!(
                                sent.body.pointer("/reply/root/cid").and_then(Value::as_str),
                                Some("bafyroot")
                            );
                            assert_eq!(
                                sent.body
                                    .pointer("/reply/parent/cid")
                                    .and_then(Value::as_str),
                                Some("bafyalice")
                            );
                        }
                    }
                }
                db.finish().await;
            }
            assert_eq!(net.fake.auth_failures(), 0, "{network}");
        }
    }
}

#[tokio::test]
async fn a_mastodon_server_without_quotes_gets_the_link_and_its_own_limit_holds() {
    let net = Net::mastodon().await;
    let post = seed(&net.fake, "mastodon");
    net.fake.without_quotes();
    net.fake.max_characters(1000);
    let db = TestDb::sqlite().await;
    let store: Arc<dyn Store> = db.store.clone();
    let target = read(&*net.publisher, &post.url).await;
    // Longer than Mastodon's usual 500, within this server's 1,000.
    let text = format!(
        "{} ^SG",
        "Nous avons lu votre message et nous vous répondons. ".repeat(12)
    );
    let c = Conversation {
        kind: Kind::Quote,
        target,
    };
    let id = approved_answer(&*store, &text, &c).await;
    net.worker(&store, Arc::default(), "w1")
        .run_once(at(3))
        .await
        .expect("round");
    assert_eq!(status(&*store, id).await, Status::Posted);
    let sent = net.fake.posts();
    assert_eq!(sent.len(), 1);
    assert!(sent[0].text.starts_with(&text), "{}", sent[0].text);
    assert!(
        sent[0]
            .text
            .ends_with(&format!("via @{} {}", post.author, post.url)),
        "{}",
        sent[0].text
    );
    db.finish().await;
}

#[tokio::test]
async fn an_answer_goes_only_to_the_network_of_the_post_and_the_webhook_names_it() {
    let (x, mastodon, bluesky, hook) = (
        Net::x().await,
        Net::mastodon().await,
        Net::bluesky().await,
        Net::webhook().await,
    );
    let post = seed(&bluesky.fake, "bluesky");
    let db = TestDb::sqlite().await;
    let store: Arc<dyn Store> = db.store.clone();
    let target = read(&*bluesky.publisher, &post.url).await;
    let text = "Alice, we're so sorry: your parcel leaves today, tracking by DM? ^SG";
    let c = Conversation {
        kind: Kind::Reply,
        target,
    };
    let id = approved_answer(&*store, text, &c).await;
    let publishers = vec![
        x.publisher.clone(),
        mastodon.publisher.clone(),
        bluesky.publisher.clone(),
        hook.publisher.clone(),
    ];
    let w = worker(
        store.clone(),
        publishers,
        Arc::new(Recorder::default()),
        "w1",
    );
    w.run_once(at(3)).await.expect("round");
    assert_eq!(status(&*store, id).await, Status::Posted);
    assert_eq!(bluesky.fake.count(text), 1);
    assert!(x.fake.posts().is_empty() && mastodon.fake.posts().is_empty());
    let mirrored = hook.fake.posts();
    assert_eq!(mirrored.len(), 1);
    assert!(
        mirrored[0]
            .text
            .starts_with(&format!("↩️ @alice.example.com · <{}>\n", post.url)),
        "{}",
        mirrored[0].text
    );
    let networks: Vec<String> = store
        .publications(id)
        .await
        .expect("pubs")
        .into_iter()
        .map(|p| p.network)
        .collect();
    assert_eq!(networks, ["bluesky", "webhook"]);
    db.finish().await;
}
