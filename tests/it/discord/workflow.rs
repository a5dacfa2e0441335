//! The approval workflow on Discord, end to end: `/submit` posts a review card, its buttons
//! vote through the real store (a temp SQLite file), the card is updated in place, and refusals
//! are private. Also the card's rendering, snapshotted in French and in English.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use tweetguard::discord::cards::card;
use tweetguard::review::{review, History, Language, Settings};
use tweetguard::store::{self, OutboxStatus};
use tweetguard::workflow::{
    apply, Event, GuildId, Member as WMember, MemberId, Policy, ProposalId, RoleId, Status,
    WorkflowError,
};

use super::e2e::Bot;
use super::fake::Request;
use super::fixtures::{self, Member, APP_ID, GUILD_ID};

const REVIEW_CHANNEL: u64 = 930_000_000_000_000_001;
const REVIEWER: u64 = 11;
const LEGAL: u64 = 12;
const CONTRACTOR: u64 = 13;
const TWEET: &str = "@everyone <@&123> Notre **nouvelle** appli est disponible sur iOS et Android.";

async fn start() -> Bot {
    start_with(&[]).await
}

/// The bot with the review channel and roles of these tests, and `extra` flags.
async fn start_with(extra: &[&str]) -> Bot {
    let channel = REVIEW_CHANNEL.to_string();
    let roles = format!("{REVIEWER},{LEGAL}");
    let contractors = CONTRACTOR.to_string();
    let mut argv = vec![
        "--review-channel-id",
        &channel,
        "--reviewer-role-ids",
        &roles,
        "--contractor-role-ids",
        &contractors,
        "--required-approvals",
        "2",
    ];
    argv.extend_from_slice(extra);
    Bot::start(&argv).await
}

fn submit(id: u64, who: &Member, text: &str) -> Value {
    fixtures::slash(
        id,
        who,
        "submit",
        json!([{"name": "text", "type": 3, "value": text},
               {"name": "note", "type": 3, "value": "pour le lancement @here"}]),
    )
}

/// A click on the card (message 7002, as the fake answers message creations).
fn click(id: u64, who: &Member, custom_id: &str) -> Value {
    fixtures::button(id, who, custom_id, fixtures::message(7002, APP_ID, ""))
}

fn assert_refused(r: &Request, expected: &str) {
    assert_eq!(r.body["type"], 4, "{:#}", r.body);
    assert_eq!(r.body["data"]["flags"], 64, "ephemeral: {:#}", r.body);
    assert_eq!(r.body["data"]["content"], expected, "{:#}", r.body);
    assert_eq!(r.body["data"]["allowed_mentions"], json!({"parse": []}));
}

fn approvals_field(body: &Value) -> String {
    body["embeds"][0]["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["name"] == "Approbations")
        .map(|f| f["value"].as_str().unwrap_or("").to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn submit_posts_a_card_and_two_reviewers_approve_it() {
    let bot = start().await;
    let author = Member::new(1, "fr");
    let r = bot.ask(submit(301, &author, TWEET)).await;
    assert_eq!(r.body["type"], 4, "{:#}", r.body);
    assert_eq!(r.body["data"]["flags"], 64);
    let link = format!("https://discord.com/channels/{GUILD_ID}/{REVIEW_CHANNEL}/7002");
    assert!(
        r.body["data"]["content"]
            .as_str()
            .unwrap_or("")
            .contains(&link),
        "{:#}",
        r.body
    );

    // The card, in the review channel, pinging nobody.
    let posted = bot.card_in(REVIEW_CHANNEL).await;
    let cardj = &posted;
    assert_eq!(cardj["allowed_mentions"], json!({"parse": []}), "{cardj:#}");
    let description = cardj["embeds"][0]["description"].as_str().unwrap_or("");
    assert!(description.contains(r"\*\*nouvelle\*\*"), "{description}");
    assert!(cardj["content"]
        .as_str()
        .unwrap_or("")
        .contains("pour le lancement"));
    let ids: Vec<&str> = cardj["components"][0]["components"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| b["custom_id"].as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "tg:approve:1:1",
            "tg:changes:1:1",
            "tg:reject:1:1",
            "tg:edit:1:1",
            "tg:withdraw:1:1"
        ]
    );
    assert!(approvals_field(cardj).contains("0/2"), "{cardj:#}");

    // Refused, privately, in the clicker's language: the author, a contractor, a role-less
    // member.
    let r = bot.ask(click(302, &author, "tg:approve:1:1")).await;
    assert_refused(&r, &WorkflowError::OwnProposal.message(Language::Fr));
    let contractor = Member::new(3, "en-US").with_roles(&[CONTRACTOR]);
    let r = bot.ask(click(303, &contractor, "tg:approve:1:1")).await;
    assert_refused(
        &r,
        &WorkflowError::ContractorCannotReview.message(Language::En),
    );
    let nobody = Member::new(4, "en-GB");
    let r = bot.ask(click(304, &nobody, "tg:approve:1:1")).await;
    assert_refused(&r, &WorkflowError::NotAReviewer.message(Language::En));

    // A reviewer approves: the card is updated in place; a double click counts once.
    let a = Member::new(5, "fr").with_roles(&[REVIEWER]);
    let r = bot.ask(click(305, &a, "tg:approve:1:1")).await;
    assert_eq!(r.body["type"], 7, "{:#}", r.body);
    let value = approvals_field(&r.body["data"]);
    assert!(value.contains("1/2") && value.contains("<@5>"), "{value}");
    assert_eq!(r.body["data"]["allowed_mentions"], json!({"parse": []}));
    let r = bot.ask(click(306, &a, "tg:approve:1:1")).await;
    assert_refused(
        &r,
        &WorkflowError::AlreadyApproved { revision: 1 }.message(Language::Fr),
    );

    // The second reviewer: approved, both shown, buttons off.
    let b = Member::new(6, "en-US").with_roles(&[LEGAL]);
    let r = bot.ask(click(307, &b, "tg:approve:1:1")).await;
    assert_eq!(r.body["type"], 7, "{:#}", r.body);
    let data = &r.body["data"];
    let value = approvals_field(data);
    assert!(
        value.contains("2/2") && value.contains("<@5>") && value.contains("<@6>"),
        "{value}"
    );
    assert!(data["embeds"][0]["title"]
        .as_str()
        .unwrap_or("")
        .contains("approuvée"));
    assert!(data["components"][0]["components"]
        .as_array()
        .into_iter()
        .flatten()
        .all(|b| b["disabled"] == true));
    assert!(data.get("content").is_none(), "the note stays: {data:#}");

    assert_approved_once(&bot).await;
    bot.stop().await;
}

/// The store agrees with the card: proposal 1 approved, two approvals, one outbox entry.
async fn assert_approved_once(bot: &Bot) {
    let p = bot.proposal(1).await;
    let store = store::open(&bot.db_url).await.expect("the bot's store");
    assert_eq!(p.status, Status::Approved);
    assert_eq!(p.approvals().count(), 2);
    let outbox = store.outbox(ProposalId(1)).await.expect("readable");
    assert_eq!(
        outbox.map(|o| (o.status, o.revision)),
        Some((OutboxStatus::Pending, 1))
    );
}

#[tokio::test]
async fn request_changes_asks_for_a_reason_then_updates_the_card() {
    let bot = start().await;
    let author = Member::new(1, "fr");
    bot.ask(submit(401, &author, "Une annonce sobre.")).await;
    let a = Member::new(5, "en-US").with_roles(&[REVIEWER]);
    let r = bot.ask(click(402, &a, "tg:changes:1:1")).await;
    assert_eq!(r.body["type"], 9, "a modal: {:#}", r.body);
    assert_eq!(r.body["data"]["custom_id"], "tg:reason:changes:1:1");
    let r = bot
        .ask(fixtures::modal(
            403,
            &a,
            "tg:reason:changes:1:1",
            &[("reason", "Trop vague @everyone")],
        ))
        .await;
    assert_eq!(r.body["type"], 7, "{:#}", r.body);
    assert!(r.body["data"]["embeds"][0]["title"]
        .as_str()
        .unwrap_or("")
        .contains("modifications demandées"));
    assert!(r.body["data"]["embeds"][0]["fields"]
        .to_string()
        .contains("Trop vague"));

    // The author edits: a modal with the text, then a new revision, approvals reset.
    let r = bot.ask(click(404, &author, "tg:edit:1:1")).await;
    assert_eq!(r.body["type"], 9, "{:#}", r.body);
    assert_eq!(
        r.body["data"]["components"][0]["components"][0]["value"],
        "Une annonce sobre."
    );
    let r = bot
        .ask(fixtures::modal(
            405,
            &author,
            "tg:text:1:1",
            &[("text", "Une annonce sobre et précise.")],
        ))
        .await;
    assert_eq!(r.body["type"], 7, "{:#}", r.body);
    assert!(r.body["data"]["components"]
        .to_string()
        .contains("tg:approve:1:2"));

    // A click on the old revision's button is refused: the text changed.
    let r = bot.ask(click(408, &a, "tg:approve:1:1")).await;
    assert_refused(
        &r,
        &WorkflowError::StaleRevision {
            seen: 1,
            current: 2,
        }
        .message(Language::En),
    );

    // Someone else can't withdraw it; the author can.
    let r = bot.ask(click(406, &a, "tg:withdraw:1:2")).await;
    assert_refused(&r, &WorkflowError::NotAuthor.message(Language::En));
    let r = bot.ask(click(407, &author, "tg:withdraw:1:2")).await;
    assert_eq!(r.body["type"], 7, "{:#}", r.body);
    assert!(r.body["data"]["embeds"][0]["title"]
        .as_str()
        .unwrap_or("")
        .contains("retirée"));
    bot.stop().await;
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().expect("a time")
}

#[test]
fn the_card_renders_in_french_and_in_english() {
    let policy = Policy {
        reviewer_roles: vec![RoleId(REVIEWER)],
        ..Policy::default()
    };
    let member = |id: u64, roles: &[u64]| WMember {
        id: MemberId(id),
        roles: roles.iter().map(|r| RoleId(*r)).collect(),
        is_admin: false,
    };
    let text = "Grosse PROMO ce week-end!!! Achetez maintenant sur **notre** site @everyone";
    let mut proposals = Vec::new();
    for lang in [Language::Fr, Language::En] {
        let mut settings = Settings::default();
        settings.reply_language = Some(lang);
        let r = review(text, &settings, &History::default());
        let t = apply(
            None,
            &Event::Submit {
                id: ProposalId(7),
                guild: GuildId(GUILD_ID),
                author: member(1, &[]),
                text: text.into(),
                review: r,
                conversation: None,
                images: Vec::new(),
            },
            &policy,
            at("2026-01-01T09:00:00Z"),
        )
        .expect("submitted");
        let t = apply(
            Some(&t.proposal),
            &Event::Approve {
                by: member(5, &[REVIEWER]),
                revision: 1,
            },
            &policy,
            at("2026-01-01T10:00:00Z"),
        )
        .expect("approved once");
        proposals.push(t.proposal);
    }
    let fr = card(&proposals[0], 2, Language::Fr);
    let en = card(&proposals[1], 2, Language::En);
    for m in [&fr, &en] {
        assert!(m.embeds[0].total_chars() <= 6000);
        let v = serde_json::to_value(m).expect("json");
        assert_eq!(v["allowed_mentions"], json!({"parse": []}));
    }
    insta::with_settings!({snapshot_path => "../snapshots"}, {
        insta::assert_json_snapshot!("review_card_fr", fr);
        insta::assert_json_snapshot!("review_card_en", en);
    });
}

/// A slow click (a busy database) is acknowledged as an update (type 6) before Discord's 3 s:
/// the card is then edited through `@original`; a refusal comes as a private follow-up.
#[tokio::test]
async fn a_slow_click_is_deferred_as_an_update() {
    use std::time::Duration;

    use serenity::model::id::{ApplicationId, InteractionId};
    use tweetguard::discord::gateway::{respond_to, Answered, Connection};
    use tweetguard::discord::response::{Message, Response};
    use tweetguard::discord::Token;

    use super::fake::FakeDiscord;

    let fake = FakeDiscord::start().await;
    let http = Connection {
        token: Token::new("test.TOKEN.slow"),
        api_url: Some(fake.api_url()),
    }
    .http()
    .unwrap_or_else(|e| panic!("{e}"));
    http.set_application_id(ApplicationId::new(APP_ID));
    let wait = Duration::from_secs(10);
    for (id, answer) in [
        (901u64, Response::UpdateMessage(Message::text("card"))),
        (902, Response::Message(Message::text("no").ephemeral())),
    ] {
        let token = format!("t{id}");
        let updates = matches!(answer, Response::UpdateMessage(_));
        let slow = async move {
            tokio::time::sleep(Duration::from_millis(200)).await;
            answer
        };
        let how = respond_to(
            &http,
            InteractionId::new(id),
            &token,
            true,
            slow,
            Duration::from_millis(20),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(how, Answered::Deferred);
        let r = fake.callback_of(id, wait).await.expect("a callback");
        assert_eq!(r.body, json!({"type": 6}));
        if updates {
            let edit = fake
                .next_request(|r| r.method == "PATCH", wait)
                .await
                .expect("an edit of the card");
            assert_eq!(
                edit.path,
                format!("/api/v10/webhooks/{APP_ID}/{token}/messages/@original")
            );
            assert_eq!(edit.body["content"], "card");
        } else {
            let follow = fake.followed_up(&token, wait).await.expect("a follow-up");
            assert_eq!(follow.body["flags"], 64);
            assert_eq!(follow.body["allowed_mentions"], json!({"parse": []}));
        }
    }
}

/// `/submit` without text opens a form; the form's text is submitted like the option's.
#[tokio::test]
async fn submit_without_text_opens_a_form() {
    let bot = start().await;
    let author = Member::new(1, "en-US");
    let r = bot
        .ask(fixtures::slash(
            501,
            &author,
            "submit",
            json!([{"name": "note", "type": 3, "value": "for Monday"}]),
        ))
        .await;
    assert_eq!(r.body["type"], 9, "{:#}", r.body);
    let data = &r.body["data"];
    assert_eq!(data["custom_id"], "submit:text");
    assert_eq!(
        data["components"][0]["components"][0]["style"], 2,
        "multi-line"
    );
    assert_eq!(
        data["components"][1]["components"][0]["value"],
        "for Monday"
    );
    let r = bot
        .ask(fixtures::modal(
            502,
            &author,
            "submit:text",
            &[("text", "Our new app is out."), ("note", "for Monday")],
        ))
        .await;
    assert_eq!(r.body["type"], 4, "{:#}", r.body);
    assert_eq!(r.body["data"]["flags"], 64);
    assert!(r.body["data"]["content"]
        .as_str()
        .unwrap_or("")
        .contains(&format!("/{REVIEW_CHANNEL}/7002")));
    let posted = bot
        .fake
        .message_posted_to(REVIEW_CHANNEL, std::time::Duration::from_secs(5))
        .await
        .expect("the card");
    assert!(posted.body["content"]
        .as_str()
        .unwrap_or("")
        .contains("for Monday"));
    bot.stop().await;
}

/// A bot restarted between two approvals keeps the first (a second click by the same reviewer
/// is still a double click), and the second approval approves once.
#[tokio::test]
async fn a_restart_between_two_votes_keeps_everything() {
    let bot = start().await;
    let author = Member::new(1, "fr");
    bot.ask(submit(501, &author, "Une annonce sobre ^AB")).await;
    let a = Member::new(5, "fr").with_roles(&[REVIEWER]);
    let r = bot.ask(click(502, &a, "tg:approve:1:1")).await;
    assert_eq!(r.body["type"], 7, "{:#}", r.body);

    let bot = bot.restart().await;
    let r = bot.ask(click(503, &a, "tg:approve:1:1")).await;
    assert_refused(
        &r,
        &WorkflowError::AlreadyApproved { revision: 1 }.message(Language::Fr),
    );
    let b = Member::new(6, "fr").with_roles(&[LEGAL]);
    let r = bot.ask(click(504, &b, "tg:approve:1:1")).await;
    assert_eq!(r.body["type"], 7, "{:#}", r.body);
    assert!(approvals_field(&r.body["data"]).contains("2/2"));

    assert_approved_once(&bot).await;
    bot.stop().await;
}

/// A decision reaches the author in a direct message, in the server's language, with the
/// reason, pinging nobody.
#[tokio::test]
async fn the_author_is_told_of_a_decision_privately() {
    let bot = start().await;
    let author = Member::new(1, "fr");
    bot.ask(submit(511, &author, "Une annonce sobre ^AB")).await;
    bot.card_in(REVIEW_CHANNEL).await;
    let a = Member::new(5, "en-US").with_roles(&[REVIEWER]);
    let r = bot
        .ask(fixtures::modal(
            512,
            &a,
            "tg:reason:reject:1:1",
            &[("reason", "Hors sujet @everyone")],
        ))
        .await;
    assert_eq!(r.body["type"], 7, "{:#}", r.body);
    let wait = std::time::Duration::from_secs(5);
    let open = bot
        .fake
        .next_request(
            |r| r.method == "POST" && r.path == "/api/v10/users/@me/channels",
            wait,
        )
        .await
        .expect("a direct message channel is opened");
    assert_eq!(open.body["recipient_id"], "1");
    let dm = bot
        .fake
        .next_request(
            |r| {
                r.method == "POST"
                    && r.path
                        == format!("/api/v10/channels/{}/messages", super::fake::DM_CHANNEL_ID)
            },
            wait,
        )
        .await
        .expect("the author is told");
    let content = dm.body["content"].as_str().unwrap_or("");
    assert!(content.contains("a rejeté votre proposition"), "{content}");
    assert!(content.contains("Hors sujet"), "{content}");
    assert!(
        content.contains(&format!("/{REVIEW_CHANNEL}/7002")),
        "a link to the card: {content}"
    );
    assert_eq!(dm.body["allowed_mentions"], json!({"parse": []}));
    bot.stop().await;
}

/// A blocked review can't be approved; its card offers an admin override, which needs a reason
/// and an admin, and then counts as the admin's approval.
#[tokio::test]
async fn an_admin_overrides_a_blocked_review_with_a_reason() {
    let bot = start().await;
    let author = Member::new(1, "fr");
    let long = format!(
        "{} ^AB",
        "Une phrase beaucoup trop longue pour un tweet. ".repeat(8)
    );
    bot.ask(submit(521, &author, &long)).await;
    let cardj = bot.card_in(REVIEW_CHANNEL).await;
    // Five buttons a row at most: Override opens the second.
    assert_eq!(
        cardj["components"][0]["components"]
            .as_array()
            .map(Vec::len),
        Some(5)
    );
    let ids = cardj["components"][1]["components"].to_string();
    assert!(ids.contains("tg:override:1:1"), "{ids}");

    let a = Member::new(5, "fr").with_roles(&[REVIEWER]);
    let r = bot.ask(click(522, &a, "tg:approve:1:1")).await;
    assert_refused(
        &r,
        &WorkflowError::BlockedNeedsOverride { revision: 1 }.message(Language::Fr),
    );
    let r = bot.ask(click(523, &a, "tg:override:1:1")).await;
    assert_eq!(r.body["data"]["custom_id"], "tg:reason:override:1:1");
    let r = bot
        .ask(fixtures::modal(
            524,
            &a,
            "tg:reason:override:1:1",
            &[("reason", "fil de deux tweets")],
        ))
        .await;
    assert_refused(&r, &WorkflowError::NotAdmin.message(Language::Fr));

    let boss = Member::new(7, "fr").with_roles(&[REVIEWER]).admin();
    let r = bot
        .ask(fixtures::modal(
            525,
            &boss,
            "tg:reason:override:1:1",
            &[("reason", "fil de deux tweets")],
        ))
        .await;
    assert_eq!(r.body["type"], 7, "{:#}", r.body);
    let data = &r.body["data"];
    assert!(approvals_field(data).contains("1/2"), "{data:#}");
    assert!(
        !data["components"].to_string().contains("tg:override"),
        "no second override"
    );
    let r = bot.ask(click(526, &a, "tg:approve:1:1")).await;
    assert_eq!(r.body["type"], 7, "{:#}", r.body);
    assert!(approvals_field(&r.body["data"]).contains("2/2"));
    bot.stop().await;
}

/// Submit, two approvals, and the bot posts the approved text once (to a fake Mastodon on
/// 127.0.0.1), edits the card with the post's link, and tells the author.
#[tokio::test]
async fn an_approved_proposal_is_posted_once_and_its_card_links_to_the_post() {
    use crate::publish::fakes::{Fake, MASTODON_TOKEN};
    let mastodon = Fake::mastodon().await;
    let bot = start_with(&[
        "--mastodon-url",
        &mastodon.url,
        "--mastodon-token",
        MASTODON_TOKEN,
    ])
    .await;
    let author = Member::new(1, "fr");
    let text = "Merci à @alice pour ce retour : on corrige dès cette semaine. Vos idées ? ^AB";
    bot.ask(submit(531, &author, text)).await;
    bot.card_in(REVIEW_CHANNEL).await;
    for (id, who) in [(532, 5), (533, 6)] {
        let m = Member::new(who, "fr").with_roles(&[REVIEWER]);
        let r = bot.ask(click(id, &m, "tg:approve:1:1")).await;
        assert_eq!(r.body["type"], 7, "{:#}", r.body);
    }
    let wait = std::time::Duration::from_secs(15);
    let edited = bot
        .fake
        .next_request(
            |r| {
                r.method == "PATCH"
                    && r.path == format!("/api/v10/channels/{REVIEW_CHANNEL}/messages/7002")
                    && r.body["embeds"][0]["title"]
                        .as_str()
                        .unwrap_or("")
                        .contains("publiée")
            },
            wait,
        )
        .await
        .expect("the card shows the post");
    let fields = edited.body["embeds"][0]["fields"].to_string();
    assert!(fields.contains("**mastodon** · http"), "{fields}");
    assert_eq!(edited.body["allowed_mentions"], json!({"parse": []}));
    assert_eq!(mastodon.count(text), 1, "posted exactly once");
    let dm = bot
        .fake
        .next_request(
            |r| {
                r.method == "POST"
                    && r.path
                        == format!("/api/v10/channels/{}/messages", super::fake::DM_CHANNEL_ID)
                    && r.body["content"].as_str().unwrap_or("").contains("publiée")
            },
            wait,
        )
        .await
        .expect("the author hears it is posted");
    assert_eq!(dm.body["allowed_mentions"], json!({"parse": []}));
    let p = bot.proposal(1).await;
    assert_eq!(p.status, Status::Posted);
    bot.stop().await;
    assert_eq!(mastodon.count(text), 1, "and never again");
}

/// A refused post leaves the proposal failed, with a Retry button that only an admin may use;
/// the retry posts it, once.
#[tokio::test]
async fn a_failed_post_is_retried_by_an_admin_from_the_card() {
    use crate::publish::fakes::{Fail, Fake, MASTODON_TOKEN};
    let mastodon = Fake::mastodon().await;
    mastodon.fail_next(&[Fail::Refuse403]);
    let bot = start_with(&[
        "--mastodon-url",
        &mastodon.url,
        "--mastodon-token",
        MASTODON_TOKEN,
    ])
    .await;
    let text = "On a lu tous vos messages, merci ! Vos idées pour la suite ? ^AB";
    bot.ask(submit(541, &Member::new(1, "fr"), text)).await;
    bot.card_in(REVIEW_CHANNEL).await;
    for (id, who) in [(542, 5), (543, 6)] {
        let m = Member::new(who, "fr").with_roles(&[REVIEWER]);
        bot.ask(click(id, &m, "tg:approve:1:1")).await;
    }
    let wait = std::time::Duration::from_secs(15);
    let failed = bot
        .fake
        .next_request(
            |r| r.method == "PATCH" && r.body["components"].to_string().contains("tg:retry:1:1"),
            wait,
        )
        .await
        .expect("the card offers a retry");
    assert!(failed.body["embeds"][0]["fields"]
        .to_string()
        .contains("403"));
    assert_eq!(mastodon.count(text), 0);

    let reviewer = Member::new(5, "fr").with_roles(&[REVIEWER]);
    let r = bot.ask(click(544, &reviewer, "tg:retry:1:1")).await;
    assert_refused(&r, &WorkflowError::NotAdmin.message(Language::Fr));
    let admin = Member::new(7, "fr").admin();
    let r = bot.ask(click(545, &admin, "tg:retry:1:1")).await;
    assert_eq!(r.body["type"], 7, "{:#}", r.body);
    bot.fake
        .next_request(
            |r| {
                r.method == "PATCH"
                    && r.body["embeds"][0]["title"]
                        .as_str()
                        .unwrap_or("")
                        .contains("publiée")
            },
            wait,
        )
        .await
        .expect("posted after the retry");
    assert_eq!(mastodon.count(text), 1);
    bot.stop().await;
}

/// The card once posting went wrong or right: each network's link or error, and the admins'
/// buttons to settle what is unknown.
/// Proposal 9 with `text`, approved twice, posted with an unknown outcome.
fn posting_proposal(text: &str) -> tweetguard::workflow::Proposal {
    let policy = Policy::default();
    let member = |id: u64| WMember {
        id: MemberId(id),
        roles: vec![],
        is_admin: false,
    };
    let mut settings = Settings::default();
    settings.reply_language = Some(Language::Fr);
    let events = [
        Event::Submit {
            id: ProposalId(9),
            guild: GuildId(GUILD_ID),
            author: member(1),
            text: text.into(),
            review: review(text, &settings, &History::default()),
            conversation: None,
            images: Vec::new(),
        },
        Event::Approve {
            by: member(5),
            revision: 1,
        },
        Event::Approve {
            by: member(6),
            revision: 1,
        },
        Event::PublishStarted,
        Event::PublishUnknown {
            detail: "no answer in time".into(),
        },
    ];
    let mut p = None;
    for (i, e) in events.iter().enumerate() {
        let t = apply(
            p.as_ref(),
            e,
            &policy,
            at("2026-01-01T09:00:00Z") + chrono::TimeDelta::minutes(i as i64),
        )
        .unwrap_or_else(|err| panic!("{e:?}: {err:?}"));
        p = Some(t.proposal);
    }
    let p = p.expect("a proposal");
    assert_eq!(p.status, Status::NeedsReconcile);
    p
}

/// One network's post (part `part` of the proposal), as the store reports it.
fn publication(
    network: &str,
    part: u32,
    status: tweetguard::store::PublicationStatus,
    url: Option<&str>,
    error: Option<&str>,
) -> tweetguard::store::Publication {
    tweetguard::store::Publication {
        part,
        remote_cid: None,
        proposal: ProposalId(9),
        network: network.into(),
        status,
        key: format!("key-{network}-{part}"),
        remote_id: url.map(|_| "110".into()),
        url: url.map(str::to_string),
        attempts: 1,
        last_error: error.map(str::to_string),
        updated_at: at("2026-01-01T09:05:00Z"),
    }
}

#[test]
fn a_card_after_posting_renders_in_french_and_in_english() {
    use tweetguard::discord::cards::card_with;
    use tweetguard::store::PublicationStatus;

    let text = "Merci à @alice pour ce retour : on corrige dès cette semaine. Vos idées ? ^AB";
    let p = posting_proposal(text);
    let posts = [
        publication(
            "mastodon",
            0,
            PublicationStatus::Posted,
            Some("https://social.example/@team/110"),
            None,
        ),
        publication(
            "x",
            0,
            PublicationStatus::Unknown,
            None,
            Some("no answer in time"),
        ),
    ];
    let fr = card_with(&p, 2, Language::Fr, &posts);
    let en = card_with(&p, 2, Language::En, &posts);
    let ids = serde_json::to_value(&fr).expect("json")["components"].to_string();
    assert!(
        ids.contains("tg:confirm:9:1") && ids.contains("tg:again:9:1"),
        "{ids}"
    );
    insta::with_settings!({snapshot_path => "../snapshots"}, {
        insta::assert_json_snapshot!("posting_card_fr", fr);
        insta::assert_json_snapshot!("posting_card_en", en);
    });
}

/// A thread's card: its parts numbered as they will be posted, and per network how many parts
/// are out, with the first post's link and the part that is stuck.
#[test]
fn a_thread_card_numbers_its_parts_and_counts_them_per_network() {
    use tweetguard::discord::cards::card_with;
    use tweetguard::store::PublicationStatus::{Posted, Unknown};

    let text = "Trois nouveautés sur vos trajets, en fil. 1/3\n---\nLes bus passent toutes les \
                dix minutes. 2/3\n---\nDes questions ? On lit tout. 3/3 ^AB";
    let p = posting_proposal(text);
    let link = |k: u32| format!("https://social.example/@team/11{k}");
    let mut posts: Vec<_> = (0..3)
        .map(|k| publication("mastodon", k, Posted, Some(&link(k)), None))
        .collect();
    posts.push(publication(
        "x",
        0,
        Posted,
        Some("https://x.com/i/web/status/7"),
        None,
    ));
    posts.push(publication(
        "x",
        1,
        Unknown,
        None,
        Some("no answer in time"),
    ));
    let fr = card_with(&p, 2, Language::Fr, &posts);
    let en = card_with(&p, 2, Language::En, &posts);
    for (card, part, done, stuck) in [
        (
            &fr,
            "Partie 2/3",
            "3/3 parties publiées",
            "1/3 parties publiées",
        ),
        (&en, "Part 2/3", "3/3 parts posted", "1/3 parts posted"),
    ] {
        let json = serde_json::to_value(card).expect("json");
        let description = json["embeds"][0]["description"]
            .as_str()
            .unwrap_or_default();
        assert!(
            description.contains(&format!("**{part}**\n> Les bus")),
            "{description}"
        );
        assert!(!description.contains("---"), "{description}");
        let fields = json["embeds"][0]["fields"].to_string();
        assert!(fields.contains(done) && fields.contains(stuck), "{fields}");
        assert!(
            fields.contains(&link(0)) && !fields.contains(&link(2)),
            "{fields}"
        );
    }
    insta::with_settings!({snapshot_path => "../snapshots"}, {
        insta::assert_json_snapshot!("thread_card_fr", fr);
        insta::assert_json_snapshot!("thread_card_en", en);
    });
}

/// A reply's, a quote's and a repost's cards in both languages: the other post named, quoted
/// (escaped), dated and linked, and where the proposal goes.
#[test]
fn conversation_cards_render_in_french_and_in_english() {
    use tweetguard::discord::cards::card;
    use tweetguard::workflow::{parse_link, Conversation, Kind, Target};

    let link = parse_link("https://bsky.app/profile/alice.example.com/post/3kalice0000a2")
        .expect("address");
    let target = Target {
        link,
        id: "at://did:plc:alice/app.bsky.feed.post/3kalice0000a2".into(),
        author: "alice.example.com".into(),
        text: "Third **time** this month my parcel is late, @everyone".into(),
        posted_at: Some(at("2026-11-30T08:00:00Z")),
        cid: Some("bafyalice".into()),
        root: None,
    };
    let mut all = Vec::new();
    for kind in [Kind::Reply, Kind::Quote, Kind::Repost] {
        let text = match kind {
            Kind::Repost => String::new(),
            _ => "Alice, so sorry: it leaves today. Tracking by DM? ^AB".to_string(),
        };
        let conversation = Conversation {
            kind,
            target: target.clone(),
        };
        let t = submitted(text, Some(conversation));
        for lang in [Language::Fr, Language::En] {
            let c = serde_json::to_value(card(&t.proposal, 2, lang)).expect("json");
            let field = &c["embeds"][0]["fields"][0];
            assert!(
                field["value"]
                    .as_str()
                    .unwrap_or("")
                    .contains(r"Third \*\*time\*\*"),
                "escaped: {field:#}"
            );
            all.push(c);
        }
    }
    insta::with_settings!({snapshot_path => "../snapshots"}, {
        insta::assert_json_snapshot!("conversation_cards", all);
    });
}

/// The longest things a conversation card can carry (someone's 5,000-character post all in
/// Markdown, a 253-character handle, a 300-character address, a 25-part thread filling the
/// form's 4,000) still make a card real Discord takes.
#[test]
fn the_longest_conversation_and_thread_cards_fit_discord() {
    use tweetguard::discord::cards::card;
    use tweetguard::workflow::{parse_link, Conversation, Kind, Target};

    let address = format!("https://{}.example/@{}/1", "s".repeat(60), "a".repeat(220));
    let target = Target {
        link: parse_link(&address).expect("address"),
        id: "1".into(),
        author: "_".repeat(253),
        text: "*_[]".repeat(1250),
        posted_at: Some(at("2026-11-30T08:00:00Z")),
        cid: None,
        root: None,
    };
    let thread = vec!["*_[] ".repeat(30).trim().to_string(); 25].join("\n---\n");
    assert!(thread.chars().count() <= 4000);
    for (text, conversation) in [
        (thread.clone(), None),
        (
            thread,
            Some(Conversation {
                kind: Kind::Quote,
                target: target.clone(),
            }),
        ),
        (
            String::new(),
            Some(Conversation {
                kind: Kind::Repost,
                target,
            }),
        ),
    ] {
        let t = submitted(text, conversation);
        for lang in [Language::Fr, Language::En] {
            let body = serde_json::to_value(card(&t.proposal, 2, lang)).expect("json");
            assert_eq!(super::limits::check_message(&body), Ok(()), "{body:#}");
        }
    }
}

/// A proposal submitted straight through the workflow (no bot, no store), reviewed as the bot
/// reviews it: a reply, quote or repost knows what it answers.
fn submitted(
    text: String,
    conversation: Option<tweetguard::workflow::Conversation>,
) -> tweetguard::workflow::Transition {
    let mut settings = Settings::default();
    settings.answering = conversation
        .as_ref()
        .map(tweetguard::workflow::Conversation::for_review);
    let review = review(&text, &settings, &History::default());
    apply(
        None,
        &fixtures::submit_event(text, review, conversation),
        &Policy::default(),
        at("2026-12-01T09:00:00Z"),
    )
    .expect("submitted")
}
