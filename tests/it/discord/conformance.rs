//! What real Discord would refuse, pushed to the edges through the real serenity client and the
//! strict fake (every body it receives is checked against Discord's limits, see
//! [`super::limits`]; a refused one fails the test): a blocked card, the longest notes and
//! reasons full of Markdown, 4,000-character tweets, `/proposal` with its history, 41 proposals
//! paged through `/queue`, and a database too slow for Edit's form and for autocomplete.

use std::time::Duration;

use chrono::Utc;
use serde_json::{json, Value};
use tweetguard::review::{review, History, Settings};
use tweetguard::workflow::{GuildId, Member as WMember, MemberId};

use super::e2e::Bot;
use super::fake::{Request, DM_CHANNEL_ID};
use super::fixtures::{self, Member, APP_ID, GUILD_ID};
use super::limits;

const REVIEW_CHANNEL: u64 = 930_000_000_000_000_003;
const REVIEWER: u64 = 11;
const WAIT: Duration = Duration::from_secs(10);

fn flags(channel: &str) -> Vec<String> {
    [
        "--review-channel-id",
        channel,
        "--reviewer-role-ids",
        &REVIEWER.to_string(),
        "--required-approvals",
        "2",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

async fn start() -> Bot {
    let f = flags(&REVIEW_CHANNEL.to_string());
    let argv: Vec<&str> = f.iter().map(String::as_str).collect();
    Bot::start(&argv).await
}

fn chars(v: &Value) -> usize {
    v.as_str().map_or(0, |s| s.chars().count())
}

/// Every button of a message, row by row.
fn rows(msg: &Value) -> Vec<Vec<String>> {
    msg["components"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|row| {
            row["components"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|b| b["custom_id"].as_str().map(str::to_string))
                .collect()
        })
        .collect()
}

/// A cut text ends with the note, and never with half an escape before it.
fn assert_cut_cleanly(text: &str, note: &str) {
    let body = text
        .strip_suffix(note)
        .unwrap_or_else(|| panic!("cut with the note {note:?}: …{}", tail(text)));
    let backslashes = body
        .trim_end()
        .chars()
        .rev()
        .take_while(|&c| c == '\\')
        .count();
    assert_eq!(
        backslashes % 2,
        0,
        "half an escape at the cut: …{}",
        tail(text)
    );
}

fn tail(s: &str) -> String {
    let n = s.chars().count();
    s.chars().skip(n.saturating_sub(60)).collect()
}

/// Markdown that doubles when escaped.
fn markdown(n: usize) -> String {
    "*_[]".chars().cycle().take(n).collect()
}

/// A blocked review's card, with the longest note full of Markdown and a posting time: at most
/// 5 buttons a row with Override reachable, content within 2,000 characters cut cleanly; then an
/// edit to a 4,000-character Markdown tweet (the update too), the longest reason full of
/// Markdown (card and direct message, escaped, in French only), and `/proposal` with its
/// history within 6,000 characters across its embeds.
#[tokio::test]
async fn a_blocked_card_with_the_longest_texts_is_what_discord_takes() {
    let bot = start().await;
    let author = Member::new(1, "fr");
    let long = format!(
        "{} ^AB",
        "Une phrase beaucoup trop longue pour un tweet. ".repeat(8)
    );
    let when = (Utc::now() + chrono::TimeDelta::days(3))
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let r = bot
        .ask(fixtures::slash(
            1101,
            &author,
            "submit",
            json!([{"name": "text", "type": 3, "value": long},
                   {"name": "note", "type": 3, "value": markdown(1000)},
                   {"name": "when", "type": 3, "value": when}]),
        ))
        .await;
    assert!(
        r.body["data"]["content"]
            .as_str()
            .unwrap_or("")
            .contains("/7002"),
        "the card was posted: {:#}",
        r.body
    );
    let card = bot.card_in(REVIEW_CHANNEL).await;
    let buttons = rows(&card);
    assert!(buttons.iter().all(|row| row.len() <= 5), "{buttons:?}");
    assert_eq!(buttons[0].len(), 5, "{buttons:?}");
    assert!(
        buttons.iter().flatten().any(|b| b == "tg:override:1:1"),
        "Override is on the card: {buttons:?}"
    );
    let content = card["content"].as_str().unwrap_or("");
    assert!(
        content.chars().count() <= 2000,
        "{}",
        content.chars().count()
    );
    let (note, scheduled) = content.split_once("\n🕘").expect("the note, then the time");
    assert_cut_cleanly(note, "…(tronqué)");
    assert!(scheduled.contains("<t:"), "{scheduled}");

    // The admin's Override opens its form from the second row.
    let boss = Member::new(7, "fr").with_roles(&[REVIEWER]).admin();
    let on_card = fixtures::message(7002, APP_ID, "");
    let r = bot
        .ask(fixtures::button(
            1102,
            &boss,
            "tg:override:1:1",
            on_card.clone(),
        ))
        .await;
    assert_eq!(r.body["type"], 9, "{:#}", r.body);

    // The author edits to 4,000 characters of Markdown: the updated card is still taken.
    let r = bot
        .ask(fixtures::button(
            1103,
            &author,
            "tg:edit:1:1",
            on_card.clone(),
        ))
        .await;
    assert_eq!(r.body["type"], 9, "{:#}", r.body);
    let tweet = markdown(3990) + " ^AB";
    let r = bot
        .ask(fixtures::modal(
            1104,
            &author,
            "tg:text:1:1",
            &[("text", &tweet)],
        ))
        .await;
    assert_eq!(r.body["type"], 7, "{:#}", r.body);
    let data = &r.body["data"];
    assert!(rows(data).iter().all(|row| row.len() <= 5));
    let description = data["embeds"][0]["description"].as_str().unwrap_or("");
    assert_cut_cleanly(description, "…(tronqué)");

    // A reviewer's 1,000-character reason full of Markdown and a masked link.
    let head = "# Titre [lien](https://evil.test) ||spoiler|| ";
    let reason = format!("{head}{}", markdown(1000 - head.chars().count()));
    assert_eq!(reason.chars().count(), 1000);
    let reviewer = Member::new(5, "en-US").with_roles(&[REVIEWER]);
    let r = bot
        .ask(fixtures::modal(
            1105,
            &reviewer,
            "tg:reason:changes:1:2",
            &[("reason", &reason)],
        ))
        .await;
    assert_eq!(r.body["type"], 7, "{:#}", r.body);
    let dm = bot
        .fake
        .message_posted_to(DM_CHANNEL_ID, WAIT)
        .await
        .expect("the author is told (and real Discord would take it)");
    let told = dm.body["content"].as_str().unwrap_or("");
    assert!(told.chars().count() <= 2000);
    assert!(
        told.contains(r"\# Titre \[lien\](https://evil.test) \|\|spoiler\|\|"),
        "{told}"
    );
    assert!(
        told.contains("demande des modifications"),
        "in French: {told}"
    );
    assert!(
        told.contains(&format!("/{REVIEW_CHANNEL}/7002")),
        "the link stays: {told}"
    );

    // `/proposal`: the card's embed and the history within 6,000 characters together.
    let r = bot
        .ask(fixtures::slash(
            1106,
            &author,
            "proposal",
            json!([{"name": "id", "type": 4, "value": 1}]),
        ))
        .await;
    let embeds = r.body["data"]["embeds"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(embeds.len(), 2, "{:#}", r.body);
    let total: usize = embeds
        .iter()
        .map(|e| {
            chars(&e["title"])
                + chars(&e["description"])
                + chars(&e["footer"]["text"])
                + e["fields"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|f| chars(&f["name"]) + chars(&f["value"]))
                    .sum::<usize>()
        })
        .sum();
    assert!(total <= limits::EMBED_TOTAL, "{total}");
    assert!(total > 5000, "the budget is used, not wasted: {total}");
    assert!(embeds[1]["description"]
        .as_str()
        .unwrap_or("")
        .contains("Titre"));
    bot.stop().await;
}

/// 41 waiting proposals: `/queue` says how many in all and pages through every one of them
/// with its buttons, whole lines only.
#[tokio::test]
async fn forty_one_proposals_page_through_the_queue() {
    let bot = start().await;
    let store = tweetguard::store::open(&bot.db_url).await.expect("store");
    let settings = Settings::default();
    for i in 1..=41u64 {
        let text = format!(
            "Proposition {i} : {} ^AB",
            "un texte assez long pour remplir une ligne de la file. ".repeat(4)
        );
        let r = review(&text, &settings, &History::default());
        let by = WMember {
            id: MemberId(100 + i),
            roles: vec![],
            is_admin: false,
        };
        store
            .submit(GuildId(GUILD_ID), &by, &text, None, &r, Utc::now())
            .await
            .expect("submitted");
    }
    let me = Member::new(2, "en-US");
    let r = bot
        .ask(fixtures::slash(1201, &me, "queue", json!([])))
        .await;
    assert_eq!(r.body["type"], 4);
    assert_eq!(r.body["data"]["flags"], 64);
    let mut seen = Vec::new();
    let mut page: Value = r.body["data"].clone();
    let mut id = 1202;
    let mut pages = 0;
    loop {
        pages += 1;
        let embed = &page["embeds"][0];
        let footer = embed["footer"]["text"].as_str().unwrap_or("");
        assert!(footer.starts_with("41 in all"), "{footer}");
        let description = embed["description"].as_str().unwrap_or("");
        for entry in description
            .split("\n**#")
            .map(|l| l.trim_start_matches("**#"))
        {
            let (n, rest) = entry.split_once("**").expect("a numbered line");
            assert!(rest.contains("\n> Proposition"), "a whole line: {entry}");
            seen.push(n.parse::<u64>().expect("a number"));
        }
        let next = page["components"][0]["components"][1].clone();
        assert_eq!(next["label"], "Next ▶");
        if next["disabled"] == true {
            break;
        }
        let custom_id = next["custom_id"].as_str().expect("a custom_id").to_string();
        let r = bot
            .ask(fixtures::button(
                id,
                &me,
                &custom_id,
                fixtures::message(7001, APP_ID, ""),
            ))
            .await;
        assert_eq!(r.body["type"], 7, "{:#}", r.body);
        page = r.body["data"].clone();
        id += 1;
        assert!(pages < 10, "the pages end");
    }
    assert_eq!(pages, 5);
    seen.sort_unstable();
    assert_eq!(seen, (1..=41).collect::<Vec<u64>>(), "every proposal, once");
    // Previous goes back.
    let previous = page["components"][0]["components"][0]["custom_id"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let r = bot
        .ask(fixtures::button(
            id,
            &me,
            &previous,
            fixtures::message(7001, APP_ID, ""),
        ))
        .await;
    let footer = r.body["data"]["embeds"][0]["footer"]["text"].to_string();
    assert!(footer.contains("page 4/5"), "{footer}");
    bot.stop().await;
}

/// A database too slow for Discord's 3 seconds (another transaction holds its tables): Edit
/// still opens its form as the first answer (without the current text, saying so), never a
/// deferral a form can't follow; autocomplete answers with type 8 and no choices, never a
/// deferral. Once the database answers, both work in full. On PostgreSQL, whose table locks
/// block readers.
#[tokio::test]
async fn a_locked_database_still_opens_edit_and_answers_autocomplete() {
    use sqlx::{Connection as _, Executor as _};

    let Some(db) = crate::common::TestDb::postgres().await else {
        return;
    };
    let f = flags(&REVIEW_CHANNEL.to_string());
    let argv: Vec<&str> = f.iter().map(String::as_str).collect();
    let bot = Bot::start_on_database(&db.url, &argv).await;
    let author = Member::new(1, "fr");
    bot.ask(fixtures::slash(
        1301,
        &author,
        "submit",
        json!([{"name": "text", "type": 3, "value": "Notre appli est disponible. ^AB"}]),
    ))
    .await;
    bot.card_in(REVIEW_CHANNEL).await;

    let mut lock = sqlx::PgConnection::connect(&db.url)
        .await
        .expect("a second connection");
    lock.execute("BEGIN").await.expect("begin");
    lock.execute("LOCK TABLE proposals, revisions IN ACCESS EXCLUSIVE MODE")
        .await
        .expect("the lock");

    let on_card = fixtures::message(7002, APP_ID, "");
    let r: Request = bot
        .ask(fixtures::button(
            1302,
            &author,
            "tg:edit:1:1",
            on_card.clone(),
        ))
        .await;
    assert_eq!(r.body["type"], 9, "a form, never a deferral: {:#}", r.body);
    let input = &r.body["data"]["components"][0]["components"][0];
    assert_eq!(r.body["data"]["custom_id"], "tg:text:1:1");
    assert!(input.get("value").is_none(), "{input:#}");
    assert!(
        input["placeholder"]
            .as_str()
            .unwrap_or("")
            .contains("n'a pas pu être chargé"),
        "{input:#}"
    );
    let r = bot
        .ask(fixtures::autocomplete(1303, &author, "proposal", "id", ""))
        .await;
    assert_eq!(r.body, json!({"type": 8, "data": {"choices": []}}));

    lock.execute("COMMIT").await.expect("release");
    let r = bot
        .ask(fixtures::button(1304, &author, "tg:edit:1:1", on_card))
        .await;
    assert_eq!(r.body["type"], 9);
    assert_eq!(
        r.body["data"]["components"][0]["components"][0]["value"],
        "Notre appli est disponible. ^AB"
    );
    let r = bot
        .ask(fixtures::autocomplete(1305, &author, "proposal", "id", ""))
        .await;
    assert_eq!(r.body["type"], 8);
    assert_eq!(r.body["data"]["choices"].as_array().map(Vec::len), Some(1));
    // The form opened without the text still edits.
    let r = bot
        .ask(fixtures::modal(
            1306,
            &author,
            "tg:text:1:1",
            &[("text", "Notre appli est enfin disponible. ^AB")],
        ))
        .await;
    assert_eq!(r.body["type"], 7, "{:#}", r.body);
    bot.stop().await;
    lock.close().await.ok();
    db.finish().await;
}

/// A blocked card as Discord shows it: the five review buttons, then Override on a row of its
/// own; the content's note cut cleanly within 2,000 characters.
#[test]
fn the_blocked_card_renders_two_rows() {
    use tweetguard::discord::cards::{card, card_content};
    use tweetguard::review::Language;
    use tweetguard::review::Verdict;
    use tweetguard::workflow::{apply, Policy, RoleId};

    let text = format!(
        "{} ^AB",
        "Une phrase beaucoup trop longue pour un tweet. ".repeat(8)
    );
    let mut settings = Settings::default();
    settings.reply_language = Some(Language::Fr);
    let r = review(&text, &settings, &History::default());
    assert_eq!(r.verdict, Verdict::Blocked);
    let policy = Policy {
        reviewer_roles: vec![RoleId(REVIEWER)],
        ..Policy::default()
    };
    let t = apply(
        None,
        &fixtures::submit_event(text, r, None),
        &policy,
        "2026-01-01T09:00:00Z".parse().expect("a time"),
    )
    .expect("submitted");
    let mut msg = card(&t.proposal, 2, Language::Fr);
    msg.content = card_content(
        1,
        Some(&markdown(1000)),
        chrono::DateTime::from_timestamp(1_798_102_800, 0)
            .map(|t| (t, chrono_tz::Tz::Europe__Paris)),
        Language::Fr,
    );
    let v = serde_json::to_value(&msg).expect("json");
    limits::check_message(&v).unwrap_or_else(|e| panic!("{e:#}"));
    let content = msg.content.clone().unwrap_or_default();
    assert!(content.chars().count() <= 2000);
    insta::with_settings!({snapshot_path => "../snapshots"}, {
        insta::assert_json_snapshot!("blocked_card_fr", v["components"]);
    });
}

/// The fake is strict through the real serenity client: a card of 6 buttons in a row is
/// refused with Discord's 400 and error shape, and serenity reports the failure.
#[tokio::test]
async fn the_strict_fake_refuses_what_discord_refuses() {
    use serenity::model::id::ChannelId;
    use tweetguard::discord::gateway::Connection;
    use tweetguard::discord::response::Message;
    use tweetguard::discord::Token;

    let fake = super::fake::FakeDiscord::start().await;
    fake.allow_refusals();
    let http = Connection {
        token: Token::new("test.TOKEN.strict"),
        api_url: Some(fake.api_url()),
    }
    .http()
    .unwrap_or_else(|e| panic!("{e}"));
    let button =
        |i: usize| json!({"type": 2, "style": 1, "label": "b", "custom_id": format!("b{i}")});
    let six = Message {
        components: vec![json!({"type": 1, "components": (0..6).map(button).collect::<Vec<_>>()})],
        ..Message::text("card")
    };
    let sent = http
        .send_message(ChannelId::new(REVIEW_CHANNEL), vec![], &six)
        .await;
    assert!(sent.is_err(), "refused");
    let r = fake
        .message_posted_to(REVIEW_CHANNEL, WAIT)
        .await
        .expect("recorded");
    let refusal = r.refused.expect("refused");
    assert_eq!(refusal["code"], 50035);
    assert!(
        refusal["errors"]["components"]["0"]["components"].is_object(),
        "{refusal:#}"
    );
    let five = Message {
        components: vec![json!({"type": 1, "components": (0..5).map(button).collect::<Vec<_>>()})],
        ..Message::text("card")
    };
    http.send_message(ChannelId::new(REVIEW_CHANNEL), vec![], &five)
        .await
        .unwrap_or_else(|e| panic!("taken: {e}"));
}
