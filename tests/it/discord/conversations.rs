//! Replies, quotes, reposts and threads from Discord, through the real serenity client and the
//! strict fake Discord: the other post is read from its network and shown on the card
//! (escaped), a bad address is a private refusal that stores nothing, and once approved the
//! payload goes out once, to the post's network only.

use serde_json::json;
use tweetguard::workflow::{Kind, Status};

use super::e2e::Bot;
use super::fixtures::{self, Member};
use crate::publish::conversations::seed;
use crate::publish::fakes::Fake;

const REVIEW_CHANNEL: u64 = 930_000_000_000_000_031;
const REVIEWER: u64 = 31;

async fn start(bluesky: &Fake) -> Bot {
    Bot::posting_to_bluesky(bluesky, REVIEW_CHANNEL, REVIEWER).await
}

async fn approve_twice(bot: &Bot, proposal: i64) {
    bot.approve_twice(proposal, REVIEWER, 3904 + proposal as u64 * 10)
        .await;
}

#[tokio::test]
async fn a_reply_shows_its_post_on_the_card_and_goes_to_that_network_once() {
    let bluesky = Fake::bluesky().await;
    let post = seed(&bluesky, "bluesky");
    let bot = start(&bluesky).await;
    let author = Member::new(1, "fr");
    let text =
        "Alice, toutes nos excuses : votre colis part aujourd'hui. On vous écrit en MP ? ^AB";
    let r = bot
        .ask(fixtures::slash(
            3901,
            &author,
            "submit",
            json!([{"name": "text", "type": 3, "value": text},
                   {"name": "reply-to", "type": 3, "value": post.url}]),
        ))
        .await;
    assert!(r.content().contains("n°1"), "{:#}", r.body);
    let card = bot.card_in(REVIEW_CHANNEL).await;
    let fields = card["embeds"][0]["fields"].to_string();
    assert!(
        fields.contains("↩️ Répond à @alice.example.com · publiée sur Bluesky seulement"),
        "{fields}"
    );
    assert!(
        fields.contains("Third time this month my parcel is late"),
        "{fields}"
    );
    assert!(fields.contains(&post.url), "{fields}");
    let p = bot.proposal(1).await;
    let c = p
        .current()
        .conversation
        .clone()
        .expect("stored with its post");
    assert_eq!(
        (c.kind, c.target.id.as_str()),
        (Kind::Reply, post.id.as_str())
    );
    // The review reads it as dialogue: no "broadcast" warning on an answer.
    assert!(!p
        .current()
        .review
        .findings
        .iter()
        .any(|f| f.rule == "dialogue.broadcast"));

    approve_twice(&bot, 1).await;
    bot.wait_posted().await;
    assert_eq!(bot.proposal(1).await.status, Status::Posted);
    let sent = bluesky.posts();
    let reply: Vec<_> = sent.iter().filter(|p| p.text == text).collect();
    assert_eq!(reply.len(), 1, "exactly once");
    assert_eq!(
        reply[0].body.pointer("/reply/parent/uri"),
        Some(&json!(post.id))
    );
}

#[tokio::test]
async fn a_bad_address_or_a_network_not_configured_is_refused_and_nothing_is_stored() {
    let bluesky = Fake::bluesky().await;
    let bot = start(&bluesky).await;
    let author = Member::new(1, "en-US");
    for (id, option, url, says) in [
        (
            3911,
            "reply-to",
            "https://example.com/blog/launch",
            "not the address of a post",
        ),
        (
            3912,
            "quote",
            "https://x.com/alice/status/5000",
            "where I don't post",
        ),
        (
            3913,
            "reply-to",
            "https://bsky.app/profile/alice.example.com/post/3kgone0000a2",
            "couldn't read",
        ),
    ] {
        let r = bot
            .ask(fixtures::slash(
                id,
                &author,
                "submit",
                json!([{"name": "text", "type": 3, "value": "Thanks **Alice**! ^AB"},
                       {"name": option, "type": 3, "value": url}]),
            ))
            .await;
        assert_eq!(r.body["data"]["flags"], 64, "private: {:#}", r.body);
        assert!(
            r.content().contains(says) && r.content().contains("Nothing was saved"),
            "{:#}",
            r.body
        );
    }
    let both = bot
        .ask(fixtures::slash(
            3914,
            &author,
            "submit",
            json!([{"name": "text", "type": 3, "value": "Hi ^AB"},
                   {"name": "reply-to", "type": 3, "value": "https://x.com/a/status/1"},
                   {"name": "quote", "type": 3, "value": "https://x.com/a/status/2"}]),
        ))
        .await;
    assert!(both.content().contains("not both"), "{:#}", both.body);
    assert!(!bot.has_proposals().await, "nothing stored");
}

#[tokio::test]
async fn relay_proposes_a_repost_reviewed_and_posted_once() {
    let bluesky = Fake::bluesky().await;
    let post = seed(&bluesky, "bluesky");
    let bot = start(&bluesky).await;
    let r = bot
        .ask(fixtures::slash(
            3921,
            &Member::new(1, "en-US"),
            "relay",
            json!([{"name": "url", "type": 3, "value": post.url},
                   {"name": "note", "type": 3, "value": "A customer's **kind** words"}]),
        ))
        .await;
    assert!(r.content().contains("#1"), "{:#}", r.body);
    let card = bot.card_in(REVIEW_CHANNEL).await;
    let fields = card["embeds"][0]["fields"].to_string();
    assert!(
        fields.contains("🔁 Relaie @alice.example.com · sur Bluesky seulement"),
        "{fields}"
    );
    let p = bot.proposal(1).await;
    assert_eq!(
        p.current().review.verdict,
        tweetguard::review::Verdict::Ready
    );
    approve_twice(&bot, 1).await;
    bot.wait_posted().await;
    let reposts: Vec<_> = bluesky
        .posts()
        .into_iter()
        .filter(|p| p.body["$type"] == "app.bsky.feed.repost")
        .collect();
    assert_eq!(reposts.len(), 1);
    assert_eq!(
        reposts[0].body.pointer("/subject/uri"),
        Some(&json!(post.id))
    );
}

#[tokio::test]
async fn a_thread_is_proposed_from_the_form_and_its_card_numbers_the_parts() {
    let bluesky = Fake::bluesky().await;
    let bot = start(&bluesky).await;
    let text = "Nouveaux horaires, en fil. 1/2\n---\nDes questions ? On lit tout. 2/2 ^AB";
    let r = bot
        .ask(fixtures::modal(
            3931,
            &Member::new(1, "fr"),
            "submit:text",
            &[("text", text)],
        ))
        .await;
    assert!(r.content().contains("n°1"), "{:#}", r.body);
    let card = bot.card_in(REVIEW_CHANNEL).await;
    let description = card["embeds"][0]["description"]
        .as_str()
        .unwrap_or_default();
    assert!(
        description.contains("**Partie 1/2**") && description.contains("**Partie 2/2**"),
        "{description}"
    );
    approve_twice(&bot, 1).await;
    bot.wait_posted().await;
    let posts = bluesky.posts();
    assert_eq!(posts.len(), 2);
    assert_eq!(
        posts[1].body.pointer("/reply/parent/uri"),
        Some(&json!(posts[0].id))
    );
}
