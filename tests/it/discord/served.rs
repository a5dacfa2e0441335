//! The real binary, both transports: `serve --transport http` answering signed requests on
//! 127.0.0.1 with REST going to the fake Discord, `serve` (gateway) serving health and
//! metrics; each finishes its work in flight on SIGTERM and exits 0.

use std::time::Duration;

use serde_json::json;
use sqlx::{Connection as _, Executor as _};
use tweetguard::store::{SqlStore, Store};
use tweetguard::workflow::ProposalId;

use super::fake::FakeDiscord;
use super::fixtures::{self, Member, APP_ID};
use super::process::{Served, TOKEN};

const WAIT: Duration = Duration::from_secs(15);
const REVIEW_CHANNEL: u64 = 930_000_000_000_000_003;

#[tokio::test]
async fn http_transport_answers_then_drains_on_sigterm() {
    let fake = FakeDiscord::start().await;
    let db = tempfile::tempdir().expect("a temp dir");
    let db_url = format!("sqlite://{}", db.path().join("tweetguard.db").display());
    let channel = REVIEW_CHANNEL.to_string();
    let mut bot = Served::start(
        "http",
        &fake.api_url(),
        &db_url,
        &[
            ("REVIEW_CHANNEL_ID", &channel),
            ("REVIEWER_ROLE_IDS", "11"),
            ("REQUIRED_APPROVALS", "1"),
        ],
    )
    .await;
    bot.wait_for("/readyz", 200, WAIT).await;

    let ping = json!({"id": "1", "application_id": APP_ID.to_string(), "type": 1,
                      "token": "ptoken", "version": 1});
    assert_eq!(bot.interact(&ping).await, (200, json!({"type": 1})));
    let (s, v) = bot
        .interact(&fixtures::review(
            11,
            &Member::new(5, "fr"),
            "Bonjour à tous ^SG",
        ))
        .await;
    assert_eq!(s, 200);
    assert_eq!(v["type"], 4, "{v:#}");
    assert_eq!(v["data"]["flags"], 64);
    // Bad signature: refused.
    let r = bot
        .client
        .post(format!("{}/interactions", bot.base))
        .header("x-signature-ed25519", "00".repeat(64))
        .header("x-signature-timestamp", "1")
        .body(ping.to_string())
        .send()
        .await
        .expect("a POST");
    assert_eq!(r.status().as_u16(), 401);

    let author = Member::new(1, "fr");
    let submit = fixtures::slash(
        12,
        &author,
        "submit",
        json!([{"name": "text", "type": 3, "value": "Notre appli est disponible."}]),
    );
    let (s, v) = bot.interact(&submit).await;
    assert_eq!((s, v["type"].clone()), (200, json!(4)), "{v:#}");
    fake.message_posted_to(REVIEW_CHANNEL, WAIT)
        .await
        .expect("the card is posted through DISCORD_API_URL");

    // A click stuck on a busy database is deferred (after 2 s), then SIGTERM arrives: the
    // process stops taking work but finishes the click before exiting.
    let mut lock = sqlx::SqliteConnection::connect(&db_url)
        .await
        .expect("a second connection");
    lock.execute("BEGIN IMMEDIATE").await.expect("the lock");
    let reviewer = Member::new(2, "en-US").with_roles(&[11]);
    let click = fixtures::button(
        13,
        &reviewer,
        "tg:approve:1:1",
        fixtures::message(7002, APP_ID, ""),
    );
    let (s, v) = bot.interact(&click).await;
    assert_eq!((s, v), (200, json!({"type": 6})));
    bot.sigterm();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        matches!(bot.child.try_wait(), Ok(None)),
        "exited with a click in flight"
    );
    lock.execute("COMMIT").await.expect("release");
    let token = fixtures::token_of(13);
    fake.original_edited(&token, WAIT)
        .await
        .expect("the click's card edit went out before the exit");
    let status = bot.wait_exit(WAIT).await.expect("the process exits");
    assert_eq!(status.code(), Some(0), "{status:?}");

    let store = SqlStore::open(&db_url).await.expect("reopen");
    let p = store
        .proposal(ProposalId(1))
        .await
        .expect("read")
        .expect("the proposal");
    assert_eq!(p.status.to_string(), "approved");
    assert!(store.outbox(ProposalId(1)).await.expect("read").is_some());
    store.close().await;
}

#[tokio::test]
async fn gateway_transport_serves_health_and_stops_on_sigterm() {
    let fake = FakeDiscord::start().await;
    let db = tempfile::tempdir().expect("a temp dir");
    let db_url = format!("sqlite://{}", db.path().join("tweetguard.db").display());
    let mut bot = Served::start("gateway", &fake.api_url(), &db_url, &[]).await;
    fake.wait_ready(WAIT).await.expect("the gateway session");
    bot.wait_for("/readyz", 200, WAIT).await;
    // The container HEALTHCHECK: the binary probes itself.
    let addr = bot.base.trim_start_matches("http://").to_string();
    for path in ["/healthz", "/readyz"] {
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_tweetguard"))
            .args(["healthcheck", "--http-addr", &addr, "--path", path])
            .env_remove("HTTP_ADDR")
            .status()
            .expect("healthcheck runs");
        assert_eq!(status.code(), Some(0), "healthcheck {path}");
    }
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_tweetguard"))
        .args(["healthcheck", "--http-addr", &addr, "--path", "/nowhere"])
        .status()
        .expect("healthcheck runs");
    assert_eq!(status.code(), Some(1), "a 404 is unhealthy");
    // The HTTP transport's endpoint is not there.
    let r = bot
        .client
        .post(format!("{}/interactions", bot.base))
        .body("{}")
        .send()
        .await
        .expect("a POST");
    assert_eq!(r.status().as_u16(), 404);

    fake.send_interaction(fixtures::review(21, &Member::new(5, "en-US"), "Hello ^SG"))
        .expect("sent");
    let cb = fake.callback_of(21, WAIT).await.expect("a callback");
    assert_eq!(cb.body["type"], 4);
    // Counted once the answer went out: poll until it shows.
    let deadline = std::time::Instant::now() + WAIT;
    let line = "tweetguard_interactions_total{kind=\"slash\",outcome=\"answered\"} 1";
    loop {
        let (s, metrics) = bot.get("/metrics").await;
        assert_eq!(s, 200);
        if metrics.lines().any(|l| l == line) {
            assert!(metrics.contains("tweetguard_reviews_total 1"), "{metrics}");
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{line} missing:\n{metrics}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    bot.sigterm();
    assert_eq!(fake.wait_closed(WAIT).await, Some(1000), "a clean close");
    let status = bot.wait_exit(WAIT).await.expect("the process exits");
    assert_eq!(status.code(), Some(0), "{status:?}");
}

/// A gateway process running a shard range connects and answers like the default.
#[tokio::test]
async fn a_shard_range_connects_and_answers() {
    let bot = super::e2e::Bot::start(&["--shards", "0-0/1"]).await;
    let r = bot
        .ask(fixtures::review(31, &Member::new(5, "fr"), "Bonjour ^SG"))
        .await;
    assert_eq!(r.body["type"], 4);
    bot.stop().await;
}

/// The real binary at TRACE level, ours and serenity's, from start to SIGTERM: the
/// interaction has its span, and the token appears nowhere. (A process of its own: a
/// subscriber scoped to one test thread misses events when other tests race to register the
/// same call sites.)
#[tokio::test]
async fn the_token_never_appears_in_the_logs() {
    let fake = FakeDiscord::start().await;
    let db = tempfile::tempdir().expect("a temp dir");
    let db_url = format!("sqlite://{}", db.path().join("tweetguard.db").display());
    let mut bot = Served::start(
        "gateway",
        &fake.api_url(),
        &db_url,
        &[("RUST_LOG", "trace")],
    )
    .await;
    fake.wait_ready(WAIT).await.expect("the gateway session");
    fake.send_interaction(fixtures::review(31, &Member::new(1, "fr"), "Bonjour ^SG"))
        .expect("sent");
    let cb = fake.callback_of(31, WAIT).await.expect("a callback");
    assert_eq!(cb.body["type"], 4);
    bot.sigterm();
    let status = bot.wait_exit(WAIT).await.expect("the process exits");
    assert_eq!(status.code(), Some(0), "{status:?}");
    // The log reader thread may still be draining the pipe.
    let deadline = std::time::Instant::now() + WAIT;
    let text = loop {
        let text = bot.log.lock().unwrap_or_else(|e| e.into_inner()).clone();
        if text.contains("stopped") || std::time::Instant::now() > deadline {
            break text;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(
        text.contains("interaction{"),
        "no interaction span:\n{text}"
    );
    assert!(
        text.contains("command=\"review\"") && text.contains("answered"),
        "{text}"
    );
    assert!(!text.contains(TOKEN), "the token leaked into the logs");
    assert!(
        !text.contains("TOKEN.process"),
        "part of the token leaked into the logs"
    );
}
