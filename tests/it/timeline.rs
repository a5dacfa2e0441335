//! The account in view: its posts read back from every network (and the bot's own posts the
//! moment they go out), classified once, deduplicated, bounded; each post's counts at its
//! checkpoints; a rate-limited or failing network left alone without holding the others; the
//! history every review reads; and the figures, the chart and `tweetguard stats` on top.

use std::process::Command;
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use tweetguard::discord::server::{review_settings_for, ServerSettings};
use tweetguard::publish::timeline::TimelineSync;
use tweetguard::review::{review, History, Language, PostClass, Settings, HISTORY_WINDOW};
use tweetguard::stats::{chart, compute, render};
use tweetguard::store::{AuditQuery, Store};
use tweetguard::workflow::{GuildId, MemberId, Status};

use crate::common::{at, TestDb};
use crate::publish::fakes::Fail;
use crate::publish::{approved, status, worker, Net, Recorder, AUTHOR, GUILD};

/// When the sync runs: two hours after the test's posts.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 10, 0, 0)
        .single()
        .expect("date")
}

/// Eight announcements made by hand on each network, an hour or more old, with some counts.
fn seed_broadcasts(nets: &[Net]) {
    for net in nets {
        let network = net.publisher.network();
        for i in 0..8u64 {
            let id = match network {
                "x" => format!("{}", 9000 + i),
                "mastodon" => format!("{}", 8000 + i),
                _ => format!("at://did:plc:team/app.bsky.feed.post/3kown0000{i:03}"),
            };
            let text = format!("Our new timetable starts on Monday {i}. Details on our site.");
            net.fake
                .add_own(&id, &text, "2026-11-30T08:00:00.000Z", [i, 1, 2 * i, 0]);
        }
    }
}

/// A server with one proposal, every network seeded with eight announcements, and a sync
/// over them all.
async fn a_server_on_every_network(db: &TestDb) -> (Vec<Net>, Arc<dyn Store>, TimelineSync) {
    let nets = Net::all().await;
    seed_broadcasts(&nets);
    let store: Arc<dyn Store> = db.store.clone();
    approved(&*store, "Bonjour Alice, une question ? ^SG").await;
    let publishers: Vec<_> = nets.iter().map(|n| n.publisher.clone()).collect();
    let sync = TimelineSync::new(
        store.clone(),
        publishers,
        std::time::Duration::from_secs(900),
    );
    (nets, store, sync)
}

#[tokio::test]
async fn the_account_history_is_read_from_every_network_and_counted_once() {
    for db in TestDb::sqlite_and_postgres().await {
        let nets = Net::all().await;
        seed_broadcasts(&nets);
        let store: Arc<dyn Store> = db.store.clone();
        // The bot posts one proposal everywhere: it joins the timeline at once, once.
        let text = "Bonjour Alice, merci pour votre message : on regarde ça ensemble ? ^SG";
        let id = approved(&*store, text).await;
        let publishers: Vec<_> = nets.iter().map(|n| n.publisher.clone()).collect();
        worker(
            store.clone(),
            publishers.clone(),
            Arc::new(Recorder::default()),
            "w1",
        )
        .run_once(at(3))
        .await
        .expect("round");
        assert_eq!(status(&*store, id).await, Status::Posted);
        let classes = store
            .recent_classes(GUILD, HISTORY_WINDOW)
            .await
            .expect("read");
        assert_eq!(classes.len(), 1, "three networks, one post of the account");
        assert!(classes[0].reply && !classes[0].broadcast);

        let sync = TimelineSync::new(
            store.clone(),
            publishers,
            std::time::Duration::from_secs(900),
        );
        let report = sync.sync_once(now()).await.expect("sync");
        // 8 by hand on each network; the bot's own posts were already there.
        assert_eq!(report.added, 24, "{report:?}");
        assert!(report.failed.is_empty(), "{report:?}");
        let again = sync.sync_once(now()).await.expect("sync");
        assert_eq!(
            (again.added, again.counted),
            (0, 0),
            "nothing twice: {again:?}"
        );
        let posts = store.timeline(GUILD, None).await.expect("timeline");
        assert_eq!(posts.len(), 27);
        let mine: Vec<_> = posts
            .iter()
            .filter(|p| p.post.proposal == Some(id))
            .collect();
        assert_eq!(mine.len(), 3, "linked to its proposal on each network");
        // Counts at the 1-hour checkpoint for every post the timelines show two hours on, the
        // bot's own included.
        let counted: Vec<_> = posts.iter().filter(|p| !p.counts.is_empty()).collect();
        assert_eq!(counted.len(), 27);
        assert!(counted.iter().all(|p| p.counts[0].0 == "1h"));

        // The history every review reads: mostly announcements.
        let h = History::from_classes(
            store
                .recent_classes(GUILD, HISTORY_WINDOW)
                .await
                .expect("read"),
        );
        assert_eq!(h.total, HISTORY_WINDOW);
        assert!(h.broadcasts >= 8, "{h:?}");
        let mut settings = Settings::default();
        settings.language = Some(Language::En);
        let r = review("Our offices close at 5 pm on Friday. ^SG", &settings, &h);
        let wire = r
            .findings
            .iter()
            .find(|f| f.rule == "dialogue.news-wire")
            .expect("the account sounds like a news wire");
        assert!(
            wire.message
                .contains(&format!("{} of your last {}", h.broadcasts, h.total)),
            "{}",
            wire.message
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn counts_are_kept_at_their_checkpoints_and_a_failing_network_holds_no_other() {
    let db = TestDb::sqlite().await;
    let (nets, store, sync) = a_server_on_every_network(&db).await;
    let mastodon = &nets[1];
    mastodon.fake.fail_next_read(Fail::RateLimit(600));
    let first = sync.sync_once(now()).await.expect("sync");
    assert_eq!(first.failed.len(), 1, "{first:?}");
    assert_eq!(first.failed[0].0, "mastodon");
    assert_eq!(first.added, 16, "X and Bluesky synced all the same");
    // Told to wait ten minutes: not asked again before.
    mastodon.fake.fail_next_read(Fail::Before500);
    let soon = sync
        .sync_once(now() + TimeDelta::minutes(5))
        .await
        .expect("sync");
    assert!(soon.failed.is_empty(), "left alone while resting: {soon:?}");
    let later = sync
        .sync_once(now() + TimeDelta::minutes(11))
        .await
        .expect("sync");
    assert_eq!(later.failed.len(), 1, "asked again, and failing: {later:?}");
    let after = sync
        .sync_once(now() + TimeDelta::minutes(12))
        .await
        .expect("sync");
    assert_eq!(after.added, 8, "{after:?}");
    // A day later, new counts: the 1-day checkpoint, once.
    nets[0]
        .fake
        .set_counts("9003", "2026-11-30T08:00:00.000Z", [5, 5, 40, 1]);
    let day = sync
        .sync_once(now() + TimeDelta::days(1))
        .await
        .expect("sync");
    assert_eq!(day.counted, 24, "{day:?}");
    let posts = store.timeline(GUILD, None).await.expect("timeline");
    let p = posts
        .iter()
        .find(|p| p.post.post_id == "9003")
        .expect("post");
    let checkpoints: Vec<&str> = p.counts.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(checkpoints, ["1h", "1d"]);
    assert_eq!(p.latest().map(|c| c.likes), Some(40));
    db.finish().await;
}

#[tokio::test]
async fn the_chart_is_a_png_with_both_languages_labels_and_the_cli_writes_every_format() {
    let db = TestDb::sqlite().await;
    let (_nets, store, sync) = a_server_on_every_network(&db).await;
    sync.sync_once(now()).await.expect("sync");
    let since = now() - TimeDelta::days(30);
    let posts = store.timeline(GUILD, Some(since)).await.expect("timeline");
    let audit = store
        .audit(&AuditQuery {
            since: None,
            guild: Some(GUILD),
        })
        .await
        .expect("audit");
    let stats = compute(&posts, &audit, since, now(), None);
    assert_eq!(stats.posts, 24);
    let fr = chart::png(&stats, Language::Fr).expect("chart");
    let en = chart::png(&stats, Language::En).expect("chart");
    for bytes in [&fr, &en] {
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes.as_slice()));
        let mut reader = decoder.read_info().expect("a PNG");
        let mut pixels = vec![0; reader.output_buffer_size().expect("size")];
        let info = reader.next_frame(&mut pixels).expect("decoded");
        assert_eq!((info.width, info.height), (chart::WIDTH, chart::HEIGHT));
        let inked = pixels
            .chunks(3)
            .filter(|p| p.iter().any(|c| *c < 200))
            .count();
        assert!(inked > 5_000, "bars and labels drawn: {inked}");
    }
    assert_ne!(fr, en, "the labels are in each language");
    let text = render::text(&stats, Language::Fr);
    assert!(
        text.contains("annonces") && text.contains("Part promotionnelle"),
        "{text}"
    );

    // The command line, on the same database.
    let dir = tempfile::tempdir().expect("dir");
    let png_path = dir.path().join("stats.png");
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_tweetguard"))
            .arg("stats")
            .args(["--guild", &GUILD.0.to_string(), "--database-url", &db.url])
            .args(["--since", "2026-11-01"])
            .args(args)
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let json: serde_json::Value =
        serde_json::from_slice(&run(&["--format", "json"])).expect("json");
    assert!(json["posts"].as_u64().is_some_and(|n| n >= 24), "{json}");
    assert!(
        json["weeks"].is_array() && json["engagement"].is_array(),
        "{json}"
    );
    let csv = String::from_utf8(run(&["--format", "csv"])).expect("utf-8");
    assert!(
        csv.starts_with("week,replies,broadcasts,promotional,relays,promo_share\n"),
        "{csv}"
    );
    let text = String::from_utf8(run(&["--format", "text", "--lang", "en"])).expect("utf-8");
    assert!(text.contains("Median interactions per post"), "{text}");
    run(&["--format", "png", "--out", png_path.to_str().expect("path")]);
    let written = std::fs::read(&png_path).expect("written");
    assert!(written.starts_with(b"\x89PNG\r\n\x1a\n"));
    let missing = Command::new(env!("CARGO_BIN_EXE_tweetguard"))
        .args([
            "stats",
            "--guild",
            "1",
            "--database-url",
            "sqlite:///nowhere/tg.db",
        ])
        .output()
        .expect("runs");
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no database"));
    db.finish().await;
}

#[tokio::test]
async fn long_timelines_are_read_page_by_page() {
    let db = TestDb::sqlite().await;
    let nets = Net::all().await;
    for net in &nets {
        for i in 0..150u64 {
            let id = match net.publisher.network() {
                "x" => format!("{}", 20_000 + i),
                "mastodon" => format!("{}", 30_000 + i),
                _ => format!("at://did:plc:team/app.bsky.feed.post/3kpage{i:07}"),
            };
            net.fake.add_own(
                &id,
                &format!("Post number {i} ^SG"),
                "2026-11-29T08:00:00.000Z",
                [0; 4],
            );
        }
    }
    let store: Arc<dyn Store> = db.store.clone();
    approved(&*store, "Hello? ^SG").await;
    let publishers: Vec<_> = nets.iter().map(|n| n.publisher.clone()).collect();
    let report = TimelineSync::new(
        store.clone(),
        publishers,
        std::time::Duration::from_secs(900),
    )
    .sync_once(now())
    .await
    .expect("sync");
    // 150 on each network: X in pages of 100, Mastodon of 40, Bluesky of 100.
    assert_eq!(report.added, 450, "{report:?}");
    db.finish().await;
}

/// A second server posting to the same account, with none of the first one's tuning.
const OTHER: GuildId = GuildId(1_300_000_000_000_000_002);

/// A post signed with a nickname only its author's registration makes a signature.
const SIGNED_ZAZ: &str = "Nouveaux horaires dès lundi, détails sur notre site. Zaz";
/// A post whose only sales word is one the team added (`/settings words`).
const BRADERIE: &str = "La grande braderie du dépôt de Vitry, c'est samedi.";

/// `GUILD` calls `braderie` a sales word and one of its members signs `Zaz` (`/signature`);
/// `OTHER` is saved with the defaults.
async fn two_servers_one_tuned(store: &dyn Store) {
    let mut tuned = ServerSettings::default();
    tuned
        .review
        .words
        .insert("promotion.sales-words".into(), vec!["braderie".into()]);
    store
        .put_settings(GUILD, &tuned.to_stored(), at(0))
        .await
        .expect("settings");
    store
        .set_signature(GUILD, MemberId(AUTHOR), Some("Zaz"), at(0))
        .await
        .expect("signature");
    store
        .put_settings(OTHER, &ServerSettings::default().to_stored(), at(0))
        .await
        .expect("settings");
}

/// The class each server stored for the post with this text.
async fn class_of(store: &dyn Store, guild: GuildId, text: &str) -> PostClass {
    let posts = store.timeline(guild, None).await.expect("timeline");
    posts
        .iter()
        .find(|p| p.post.text == text)
        .unwrap_or_else(|| panic!("{text:?} is in {guild}'s timeline"))
        .post
        .class
}

#[tokio::test]
async fn each_server_reads_the_account_as_its_own_reviews_do_signature_and_sales_words_included() {
    for db in TestDb::sqlite_and_postgres().await {
        let net = Net::mastodon().await;
        net.fake
            .add_own("8100", SIGNED_ZAZ, "2026-11-30T08:00:00.000Z", [0; 4]);
        net.fake
            .add_own("8101", BRADERIE, "2026-11-30T08:30:00.000Z", [0; 4]);
        let store: Arc<dyn Store> = db.store.clone();
        two_servers_one_tuned(&*store).await;
        let report = tuned_sync(&store, &net)
            .sync_once(now())
            .await
            .expect("sync");
        assert_eq!(report.added, 4, "two posts for each server: {report:?}");

        // The server whose member signs `Zaz` sees a signed post; the other, whose members
        // never said so, sees an unsigned one (a bare word at the end signs nothing).
        assert!(class_of(&*store, GUILD, SIGNED_ZAZ).await.signed);
        assert!(!class_of(&*store, OTHER, SIGNED_ZAZ).await.signed);
        // `braderie` sells for the team that calls it a sales word, not for the bot's defaults.
        assert!(class_of(&*store, GUILD, BRADERIE).await.promotional);
        assert!(!class_of(&*store, OTHER, BRADERIE).await.promotional);
        // And so the history every review of each server reads.
        let history = |g| {
            let store = store.clone();
            async move {
                History::from_classes(store.recent_classes(g, HISTORY_WINDOW).await.expect("read"))
            }
        };
        assert_eq!(history(GUILD).await.promotional, 1);
        assert_eq!(history(OTHER).await.promotional, 0);
        db.finish().await;
    }
}

/// A sync of `net` that reads each server's posts with that server's review settings.
fn tuned_sync(store: &Arc<dyn Store>, net: &Net) -> TimelineSync {
    TimelineSync::new(
        store.clone(),
        vec![net.publisher.clone()],
        std::time::Duration::from_secs(900),
    )
    .with_review_settings(review_settings_for(Settings::default()))
}

#[tokio::test]
async fn what_the_bot_posts_is_read_with_its_servers_words_and_its_members_signature() {
    for db in TestDb::sqlite_and_postgres().await {
        let net = Net::mastodon().await;
        let store: Arc<dyn Store> = db.store.clone();
        two_servers_one_tuned(&*store).await;
        let text = "La grande braderie du dépôt de Vitry, c'est samedi ! Zaz";
        let id = approved(&*store, text).await;
        worker(
            store.clone(),
            vec![net.publisher.clone()],
            Arc::new(Recorder::default()),
            "w1",
        )
        .with_review_settings(review_settings_for(Settings::default()))
        .run_once(at(3))
        .await
        .expect("round");
        assert_eq!(status(&*store, id).await, Status::Posted);
        let class = class_of(&*store, GUILD, text).await;
        assert!(class.signed, "its author signs `Zaz`: {class:?}");
        assert!(
            class.promotional,
            "a braderie sells, for this team: {class:?}"
        );
        // The sync finds it later and keeps what the worker read.
        tuned_sync(&store, &net)
            .sync_once(now())
            .await
            .expect("sync");
        assert_eq!(class_of(&*store, GUILD, text).await, class);
        db.finish().await;
    }
}
