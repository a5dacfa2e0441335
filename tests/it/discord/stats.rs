//! `/stats` through the real serenity client and the strict fake Discord: a private answer
//! whose embed holds the figures within Discord's limits and shows the PNG chart, attached as
//! a file (multipart), in the member's language.

use std::time::Duration;

use chrono::{TimeDelta, Utc};
use serde_json::json;
use tweetguard::review::PostClass;
use tweetguard::store::{Counts, TimelinePost};
use tweetguard::workflow::GuildId;

use super::e2e::Bot;
use super::fixtures::{self, Member, GUILD_ID};

const WAIT: Duration = Duration::from_secs(15);

#[tokio::test]
async fn stats_answers_privately_with_the_figures_and_the_chart_attached() {
    let bot = Bot::start(&[]).await;
    let store = tweetguard::store::open(&bot.db_url).await.expect("store");
    let now = Utc::now();
    let posts: Vec<TimelinePost> = (0..12)
        .map(|i| TimelinePost {
            network: "mastodon".into(),
            post_id: format!("{}", 5000 + i),
            url: None,
            text: format!("post {i}"),
            posted_at: now - TimeDelta::days(i),
            class: PostClass {
                reply: i % 3 == 0,
                broadcast: i % 3 != 0,
                promotional: i % 4 == 0,
                signed: true,
                ..PostClass::default()
            },
            proposal: None,
        })
        .collect();
    let guild = GuildId(GUILD_ID);
    store
        .save_timeline(guild, &posts, now)
        .await
        .expect("saved");
    // The longest reasons a reviewer can type, all Markdown (they double when escaped), five
    // different ones: the reasons field must still fit what Discord takes.
    for i in 0..5u8 {
        let text = format!("Proposal {i} ^AB");
        let ready = crate::common::review(tweetguard::review::Verdict::Ready);
        let id = store
            .submit(guild, &crate::common::member(1), &text, None, &ready, now)
            .await
            .expect("submit")
            .proposal
            .id;
        let reason: String = format!("{i}*_[]").chars().cycle().take(1000).collect();
        let vote = tweetguard::workflow::Event::RequestChanges {
            by: crate::common::member(2),
            revision: 1,
            reason,
        };
        store
            .apply(guild, id, &vote, now)
            .await
            .expect("changes requested");
    }
    for p in &posts {
        let counts = Counts {
            likes: if p.class.reply { 9 } else { 2 },
            ..Counts::default()
        };
        store
            .record_engagement(guild, "mastodon", &p.post_id, "1h", &counts, now)
            .await
            .expect("counted");
    }
    for (id, locale, says) in [
        (5101u64, "fr", "Interactions médianes par publication"),
        (5102, "en-US", "Median interactions per post"),
    ] {
        let r = bot
            .ask(fixtures::slash(
                id,
                &Member::new(3, locale),
                "stats",
                json!([{"name": "period", "type": 3, "value": "30d"}]),
            ))
            .await;
        assert_eq!(r.body["type"], 5, "deferred: {:#}", r.body);
        assert_eq!(r.body["data"]["flags"], 64, "private: {:#}", r.body);
        let edit = bot
            .fake
            .next_request(
                |q| {
                    q.method == "PATCH"
                        && q.path.ends_with("/messages/@original")
                        && !q.files.is_empty()
                },
                WAIT,
            )
            .await
            .expect("the answer with its chart");
        assert!(edit.refused.is_none(), "{:?}", edit.refused);
        let embed = &edit.body["embeds"][0];
        assert_eq!(embed["image"]["url"], "attachment://stats.png");
        assert!(embed.to_string().contains(says), "{embed:#}");
        assert_eq!(edit.body["attachments"][0]["filename"], "stats.png");
        assert_eq!(edit.files.len(), 1);
        assert_eq!(edit.files[0].filename, "stats.png");
        let decoder = png::Decoder::new(std::io::Cursor::new(edit.files[0].bytes.as_slice()));
        let info = decoder.read_info().expect("a PNG").info().clone();
        assert_eq!((info.width, info.height), (1000, 640));
        assert_eq!(edit.body["allowed_mentions"], json!({"parse": []}));
    }
    bot.stop().await;
}

/// The history rules fire in a Discord review from the account's synced timeline: eight
/// announcements read back from Bluesky make the next broadcast "a news wire", with the numbers.
#[tokio::test]
async fn history_rules_fire_in_discord_reviews_from_a_synced_timeline() {
    use tweetguard::publish::timeline::TimelineSync;
    use tweetguard::review::Verdict;

    let bluesky = crate::publish::fakes::Fake::bluesky().await;
    for i in 0..8 {
        bluesky.add_own(
            &format!("at://did:plc:team/app.bsky.feed.post/3khist0000{i:03}"),
            &format!("Our new timetable starts on Monday {i}. Details on our site."),
            "2026-11-30T08:00:00.000Z",
            [0; 4],
        );
    }
    let bot = Bot::posting_to_bluesky(&bluesky, 930_000_000_000_000_051, 51).await;
    let store = tweetguard::store::open(&bot.db_url).await.expect("store");
    // The server is known (it has a proposal); a sync reads its account back.
    store
        .submit(
            GuildId(GUILD_ID),
            &crate::common::member(1),
            "Hello? ^SG",
            None,
            &crate::common::review(Verdict::Ready),
            Utc::now(),
        )
        .await
        .expect("submit");
    let publisher =
        crate::publish::bluesky_publisher(&bluesky, crate::publish::fakes::BSKY_PASSWORD);
    let report = TimelineSync::new(store.clone(), vec![publisher], Duration::from_secs(900))
        .sync_once(Utc::now())
        .await
        .expect("sync");
    assert_eq!(report.added, 8, "{report:?}");
    let r = bot
        .ask(fixtures::review(
            5201,
            &Member::new(3, "en-US"),
            "Our offices close at 5 pm on Friday. ^SG",
        ))
        .await;
    let embed = r.body["data"]["embeds"].to_string();
    assert!(
        embed.contains("8 of your last 8 tweets were broadcasts"),
        "{embed}"
    );
    bot.stop().await;
}
