//! `/settings pause` and `/settings timezone` through the real serenity client and the fake
//! Discord: a paused server's approved proposal is not posted (the fake Mastodon receives
//! nothing) until the pause ends, then exactly once; cards and `/queue` say it is paused; the
//! export holds both changes. `when` is read in the server's zone, across a daylight saving
//! change; an offset still wins; an unknown zone is refused.

use std::time::Duration;

use chrono::{DateTime, Offset, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use serde_json::{json, Value};
use tweetguard::store::export::{export_audit, Format};
use tweetguard::store::{self, AuditQuery};
use tweetguard::workflow::{ProposalId, Status};

use super::e2e::Bot;
use super::fixtures::{self, Member, APP_ID};
use crate::publish::fakes::{Fake, MASTODON_TOKEN};

const REVIEW_CHANNEL: u64 = 930_000_000_000_000_021;
const REVIEWER: u64 = 21;
const WAIT: Duration = Duration::from_secs(15);

async fn start(extra: &[&str]) -> Bot {
    let channel = REVIEW_CHANNEL.to_string();
    let roles = REVIEWER.to_string();
    let mut argv = vec![
        "--review-channel-id",
        &channel,
        "--reviewer-role-ids",
        &roles,
        "--required-approvals",
        "2",
    ];
    argv.extend_from_slice(extra);
    Bot::start(&argv).await
}

fn pause(id: u64, who: &Member, sub: &str, options: Value) -> Value {
    fixtures::slash(
        id,
        who,
        "settings",
        json!([{"name": "pause", "type": 2,
                "options": [{"name": sub, "type": 1, "options": options}]}]),
    )
}

fn timezone(id: u64, who: &Member, zone: &str) -> Value {
    fixtures::slash(
        id,
        who,
        "settings",
        json!([{"name": "timezone", "type": 1,
                "options": [{"name": "zone", "type": 3, "value": zone}]}]),
    )
}

fn submit(id: u64, who: &Member, text: &str, when: Option<&str>) -> Value {
    let mut options = vec![json!({"name": "text", "type": 3, "value": text})];
    if let Some(w) = when {
        options.push(json!({"name": "when", "type": 3, "value": w}));
    }
    fixtures::slash(id, who, "submit", Value::Array(options))
}

fn field_names(message: &Value) -> String {
    message["embeds"][0]["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| format!("{} = {}", f["name"], f["value"]))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn a_paused_server_posts_nothing_until_the_pause_ends_then_once() {
    let mastodon = Fake::mastodon().await;
    let bot = start(&[
        "--mastodon-url",
        &mastodon.url,
        "--mastodon-token",
        MASTODON_TOKEN,
    ])
    .await;
    let author = Member::new(1, "fr");
    let text = "Merci à @alice pour ce retour : on corrige dès cette semaine. Vos idées ? ^AB";
    bot.ask(submit(703, &author, text, None)).await;
    let card = bot.card_in(REVIEW_CHANNEL).await;
    assert!(
        !field_names(&card).contains("Publications en pause"),
        "{card:#}"
    );
    let admin = Member::new(9, "fr").admin();
    let r = bot
        .ask(pause(
            701,
            &admin,
            "on",
            json!([{"name": "reason", "type": 3, "value": "incident *grave*"}]),
        ))
        .await;
    assert_eq!(r.body["data"]["flags"], 64, "{:#}", r.body);
    assert!(
        r.content().starts_with("⏸️ Publications en pause"),
        "{:#}",
        r.body
    );
    // The open proposal's card says so at once.
    let edited = bot
        .fake
        .next_request(
            |r| {
                r.method == "PATCH"
                    && r.path == format!("/api/v10/channels/{REVIEW_CHANNEL}/messages/7002")
            },
            WAIT,
        )
        .await
        .expect("the card is refreshed");
    let fields = field_names(&edited.body);
    assert!(fields.contains("Publications en pause"), "{fields}");
    assert!(
        fields.contains(r"incident \\*grave\\*"),
        "the reason, escaped: {fields}"
    );
    assert_eq!(edited.body["allowed_mentions"], json!({"parse": []}));
    // A member without Manage Server can't end it.
    let r = bot
        .ask(pause(702, &Member::new(5, "en-US"), "off", json!([])))
        .await;
    assert!(!r.content().contains("Pause ended"), "{:#}", r.body);
    // A proposal made while paused shows it on its new card.
    bot.ask(submit(709, &author, "Une autre idée ? ^AB", None))
        .await;
    let card = bot.card_in(REVIEW_CHANNEL).await;
    assert!(
        field_names(&card).contains("Publications en pause"),
        "{card:#}"
    );

    // Reviews and votes go on; the card says the approved proposal waits.
    let mut last = Value::Null;
    for (id, who) in [(704, 5), (705, 6)] {
        let m = Member::new(who, "fr").with_roles(&[REVIEWER]);
        let r = bot
            .ask(fixtures::button(
                id,
                &m,
                "tg:approve:1:1",
                fixtures::message(7002, APP_ID, ""),
            ))
            .await;
        assert_eq!(r.body["type"], 7, "{:#}", r.body);
        last = r.body["data"].clone();
    }
    assert!(
        field_names(&last).contains("Publications en pause"),
        "{last:#}"
    );
    // /queue says so.
    let r = bot
        .ask(fixtures::slash(
            706,
            &Member::new(5, "en-US"),
            "queue",
            json!([{"name": "status", "type": 3, "value": "approved"}]),
        ))
        .await;
    assert!(r.content().contains("Posting paused"), "{:#}", r.body);
    assert!(r.content().contains("Reason: incident"), "{:#}", r.body);

    // Approval rang the worker: it ran, and posted nothing. A bounded wait (no post can show
    // up late and pass: the store says the proposal still waits).
    let published = bot
        .fake
        .next_request(
            |r| r.method == "PATCH" && r.body.to_string().contains("publiée"),
            Duration::from_secs(3),
        )
        .await;
    assert!(published.is_none(), "{published:?}");
    assert_eq!(mastodon.count(text), 0, "nothing posted while paused");
    let p = bot.proposal(1).await;
    assert_eq!(p.status, Status::Approved);

    let r = bot.ask(pause(707, &admin, "off", json!([]))).await;
    assert!(r.content().starts_with("▶️ Pause levée"), "{:#}", r.body);
    bot.fake
        .next_request(
            |r| {
                r.method == "PATCH"
                    && r.path == format!("/api/v10/channels/{REVIEW_CHANNEL}/messages/7002")
                    && r.body["embeds"][0]["title"]
                        .as_str()
                        .unwrap_or("")
                        .contains("publiée")
            },
            WAIT,
        )
        .await
        .expect("posted once the pause ends");
    assert_eq!(mastodon.count(text), 1, "posted exactly once");
    // No pause any more: /queue says nothing of it.
    let r = bot
        .ask(fixtures::slash(
            708,
            &Member::new(5, "en-US"),
            "queue",
            json!([]),
        ))
        .await;
    assert!(!r.content().contains("Posting paused"), "{:#}", r.body);

    let store = store::open(&bot.db_url).await.expect("the bot's store");
    let mut out = Vec::new();
    export_audit(&*store, Format::Csv, &AuditQuery::default(), &mut out)
        .await
        .expect("export");
    let csv = String::from_utf8(out).expect("utf-8");
    let pause_row = csv
        .lines()
        .find(|l| l.contains(",pause,"))
        .unwrap_or_else(|| panic!("{csv}"));
    assert!(
        pause_row.contains(",9,pause,,,incident *grave*"),
        "{pause_row}"
    );
    assert!(csv.lines().any(|l| l.contains(",9,unpause,")), "{csv}");
    bot.stop().await;
    assert_eq!(mastodon.count(text), 1, "and never again");
}

/// The first instant, after `from`, at which `zone`'s offset changes.
fn next_change(zone: Tz, from: DateTime<Utc>) -> DateTime<Utc> {
    let offset = |t: DateTime<Utc>| t.with_timezone(&zone).offset().fix();
    // Whole hours: the changes fall on them, and a time typed to the minute is whole too.
    let from = Utc
        .timestamp_opt(from.timestamp() - from.timestamp().rem_euclid(3600), 0)
        .single()
        .expect("time");
    let mut t = from;
    while offset(t) == offset(from) {
        t += TimeDelta::hours(1);
        assert!(t < from + TimeDelta::days(366), "no change in a year");
    }
    t
}

async fn scheduled(bot: &Bot, id: i64) -> Option<DateTime<Utc>> {
    let store = store::open(&bot.db_url).await.expect("the bot's store");
    store.schedule(ProposalId(id)).await.expect("read")
}

#[tokio::test]
async fn when_is_read_in_the_servers_zone_across_a_daylight_saving_change() {
    let bot = start(&[]).await;
    let admin = Member::new(9, "en-US").admin();
    let r = bot.ask(timezone(801, &admin, "Mars/Olympus_Mons")).await;
    assert!(
        r.content()
            .contains("I don't know the time zone \"Mars/Olympus\\_Mons\""),
        "{:#}",
        r.body
    );
    let r = bot
        .ask(timezone(
            802,
            &Member::new(9, "fr").admin(),
            "Fuseau/Inconnu",
        ))
        .await;
    assert!(
        r.content().contains("Je ne connais pas le fuseau"),
        "{:#}",
        r.body
    );
    let r = bot.ask(timezone(803, &admin, "europe/paris")).await;
    assert!(
        field_names(&r.body["data"]).contains("Europe/Paris"),
        "{:#}",
        r.body
    );

    // An hour either side of Paris's next clock change, typed as local times.
    let paris = Tz::Europe__Paris;
    let change = next_change(paris, Utc::now() + TimeDelta::days(2));
    let author = Member::new(1, "fr");
    let mut id = 0;
    for (n, instant) in [change - TimeDelta::hours(1), change + TimeDelta::hours(1)]
        .into_iter()
        .enumerate()
    {
        let typed = instant
            .with_timezone(&paris)
            .format("%Y-%m-%d %H:%M")
            .to_string();
        let r = bot
            .ask(submit(
                810 + n as u64,
                &author,
                "Vos idées pour la suite ? ^AB",
                Some(&typed),
            ))
            .await;
        assert!(
            r.content().contains("Proposition n°"),
            "{typed}: {:#}",
            r.body
        );
        id += 1;
        assert_eq!(scheduled(&bot, id).await, Some(instant), "{typed} in Paris");
        let card = bot.card_in(REVIEW_CHANNEL).await;
        let line = card["content"].as_str().unwrap_or("");
        assert!(line.contains(&format!("{typed} (Europe/Paris)")), "{line}");
        assert!(
            line.contains(&format!("<t:{}:f>", instant.timestamp())),
            "{line}"
        );
    }
    // An offset wins over the zone.
    let instant = Utc::now() + TimeDelta::days(30);
    let typed = instant
        .with_timezone(&chrono::FixedOffset::west_opt(5 * 3600).expect("offset"))
        .format("%Y-%m-%dT%H:%M:00%:z")
        .to_string();
    let r = bot
        .ask(submit(820, &author, "Vos idées ? ^AB", Some(&typed)))
        .await;
    assert!(r.content().contains("Proposition n°"), "{:#}", r.body);
    let expected = Utc
        .timestamp_opt(instant.timestamp() - instant.timestamp() % 60, 0)
        .single()
        .expect("time");
    assert_eq!(scheduled(&bot, 3).await, Some(expected));
    // A refusal names the zone the time was read in.
    let r = bot
        .ask(submit(
            821,
            &author,
            "Vos idées ? ^AB",
            Some("2020-01-01 10:00"),
        ))
        .await;
    assert!(r.content().contains("(Europe/Paris)"), "{:#}", r.body);
    bot.stop().await;
}
