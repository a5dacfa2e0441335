//! The transports under abuse (issue 11), with the real binary or the real serenity client:
//!
//! - replays: the same signed request twice, the same interaction id re-signed, to one process
//!   or another on the same database, and an event delivered twice over the gateway: one
//!   proposal, one card, one vote; the repeat gets a private "already handled";
//! - an interaction that doesn't say who acted (no `member`, no `user`) is refused;
//! - raw TCP clients on 127.0.0.1: silent, a byte a second, a half-sent request, an idle
//!   keep-alive: each is closed by the server; a flood of 150 connections on a process
//!   limited to 128 files still leaves `/healthz` and an interaction answering;
//! - SIGTERM while clients hold half-sent requests: the process exits, with 0, within the
//!   20 s the README promises.
//!
//! Bounds here are deadlines for "eventually", never timings that decide a pass.

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tweetguard::store::{ProposalFilter, SqlStore, Store};
use tweetguard::workflow::{GuildId, ProposalId};

use super::fake::FakeDiscord;
use super::fixtures::{self, Member, APP_ID, CHANNEL_ID, GUILD_ID};
use super::process::Served;
use super::signing::{now, sign};

const WAIT: Duration = Duration::from_secs(20);
const REVIEW_CHANNEL: u64 = 930_000_000_000_000_011;
const REVIEWER: u64 = 11;

use fixtures::submit;

/// POST `body` to `{base}/interactions` with this signature and timestamp.
async fn post_raw(bot: &Served, body: &str, sig: &str, ts: &str) -> (u16, Value) {
    let r = bot
        .client
        .post(format!("{}/interactions", bot.base))
        .header("content-type", "application/json")
        .header("x-signature-ed25519", sig)
        .header("x-signature-timestamp", ts)
        .body(body.to_string())
        .send()
        .await
        .expect("a POST to /interactions");
    let status = r.status().as_u16();
    (status, r.json::<Value>().await.unwrap_or(Value::Null))
}

fn cards_posted(fake: &FakeDiscord, channel: u64) -> usize {
    let path = format!("/channels/{channel}/messages");
    fake.requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path.ends_with(&path))
        .count()
}

async fn proposals(db_url: &str) -> Vec<tweetguard::store::ProposalSummary> {
    let store = SqlStore::open(db_url).await.expect("open the store");
    let list = store
        .list(&ProposalFilter::guild(GuildId(GUILD_ID)))
        .await
        .expect("list");
    store.close().await;
    list
}

fn assert_already_handled(v: &Value) {
    assert_eq!(v["type"], 4, "a message: {v:#}");
    assert_eq!(v["data"]["flags"], 64, "private: {v:#}");
    assert_eq!(v["data"]["allowed_mentions"], json!({"parse": []}), "{v:#}");
    let text = v["data"]["content"].as_str().unwrap_or_default();
    assert!(
        text.contains("déjà été traitée") || text.contains("already handled"),
        "{v:#}"
    );
}

fn env_http(channel: &str) -> Vec<(&'static str, String)> {
    vec![
        ("REVIEW_CHANNEL_ID", channel.to_string()),
        ("REVIEWER_ROLE_IDS", REVIEWER.to_string()),
        ("REQUIRED_APPROVALS", "2".to_string()),
    ]
}

async fn start_http(fake: &FakeDiscord, db_url: &str, nofile: Option<u32>) -> Served {
    let channel = REVIEW_CHANNEL.to_string();
    let envs = env_http(&channel);
    let all: Vec<(&str, &str)> = envs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    Served::start_limited("http", &fake.api_url(), db_url, &all, nofile).await
}

#[tokio::test]
async fn a_replayed_request_is_processed_once_across_processes() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let db_url = format!("sqlite://{}", dir.path().join("tweetguard.db").display());
    let a = start_http(&fake, &db_url, None).await;
    let b = start_http(&fake, &db_url, None).await;

    let author = Member::new(1, "fr");
    let body = submit(701, &author, "Notre appli est disponible.").to_string();
    let (sig, ts) = sign(body.as_bytes(), now());
    let (s, first) = post_raw(&a, &body, &sig, &ts).await;
    assert_eq!(s, 200, "{first:#}");
    assert_eq!(first["type"], 4, "{first:#}");
    assert!(
        !first.to_string().contains("déjà été traitée"),
        "the first one is handled: {first:#}"
    );
    assert_eq!(cards_posted(&fake, REVIEW_CHANNEL), 1);

    // The very same request again, to the same process and to the other one.
    for bot in [&a, &b] {
        let (s, v) = post_raw(bot, &body, &sig, &ts).await;
        assert_eq!(s, 200);
        assert_already_handled(&v);
    }
    // The same interaction id, signed again with another (fresh) timestamp.
    for (bot, skew) in [(&a, -30), (&b, -60)] {
        let (sig, ts) = sign(body.as_bytes(), now() + skew);
        let (s, v) = post_raw(bot, &body, &sig, &ts).await;
        assert_eq!(s, 200);
        assert_already_handled(&v);
    }
    assert_eq!(proposals(&db_url).await.len(), 1, "one proposal");
    assert_eq!(cards_posted(&fake, REVIEW_CHANNEL), 1, "one card");

    // A card click replayed: one vote.
    let reviewer = Member::new(2, "en-US").with_roles(&[REVIEWER]);
    let click = fixtures::button(
        702,
        &reviewer,
        "tg:approve:1:1",
        fixtures::message(7002, APP_ID, ""),
    )
    .to_string();
    let (sig, ts) = sign(click.as_bytes(), now());
    let (s, v) = post_raw(&b, &click, &sig, &ts).await;
    assert_eq!((s, v["type"].clone()), (200, json!(7)), "{v:#}");
    let (sig2, ts2) = sign(click.as_bytes(), now() - 5);
    let (s, v) = post_raw(&a, &click, &sig2, &ts2).await;
    assert_eq!(s, 200);
    assert_already_handled(&v);
    let store = SqlStore::open(&db_url).await.expect("open");
    let p = store
        .proposal(ProposalId(1))
        .await
        .expect("read")
        .expect("the proposal");
    assert_eq!(p.votes.len(), 1, "one vote: {:?}", p.votes);
    assert_eq!(p.status.to_string(), "pending");
    store.close().await;

    let (_, metrics) = a.get("/metrics").await;
    assert!(
        metrics
            .lines()
            .any(|l| l == "tweetguard_http_rejections_total{reason=\"replay\"} 3"),
        "{metrics}"
    );
}

#[tokio::test]
async fn a_repeated_gateway_event_is_processed_once() {
    let bot = super::e2e::Bot::start(&["--reviewer-role-ids", &REVIEWER.to_string()]).await;
    let author = Member::new(1, "en-US");
    let payload = submit(801, &author, "Our app is out.");
    let first = bot.ask(payload.clone()).await;
    assert_eq!(first.body["type"], 4, "{:#}", first.body);
    assert_eq!(cards_posted(&bot.fake, CHANNEL_ID), 1);
    // Real Discord refuses a second callback to one interaction (40060); what matters is that
    // the bot did nothing twice, and that its answer to the repeat would change nothing.
    bot.fake.allow_refusals();
    let again = bot.ask(payload).await;
    assert_already_handled(&again.body);
    assert_eq!(cards_posted(&bot.fake, CHANNEL_ID), 1, "one card");
    assert_eq!(proposals(&bot.db_url).await.len(), 1, "one proposal");
    bot.stop().await;
}

/// An interaction payload without `member` (and, for `strip_user`, without `user`).
fn anonymous(mut v: Value, strip_guild: bool) -> Value {
    let obj = v.as_object_mut().expect("an object");
    obj.remove("member");
    obj.remove("user");
    if strip_guild {
        obj.remove("guild_id");
        obj.remove("guild_locale");
    }
    v
}

/// A contractor's `/submit` with `user` but no `member`, in a server: the roles are unknown.
fn without_member(who: &Member, id: u64) -> Value {
    let mut v = anonymous(submit(id, who, "Texte d'un contractuel."), false);
    v["user"] = json!({"id": who.user_id.to_string(), "username": who.name,
                       "discriminator": "0", "global_name": who.name, "avatar": null});
    v
}

#[test]
fn an_interaction_that_says_nobody_does_not_parse() {
    use serenity::model::application::Interaction;
    use tweetguard::discord::router::{Invocation, NotAnInvocation};
    let who = Member::new(5, "fr").with_roles(&[77]);
    let cases = [
        ("no member, no user", anonymous(submit(1, &who, "x"), false)),
        (
            "no member, no user, no guild",
            anonymous(submit(2, &who, "x"), true),
        ),
        ("a user without member in a server", without_member(&who, 3)),
        (
            "a click by nobody",
            anonymous(
                fixtures::button(4, &who, "tg:approve:1:1", fixtures::message(9, APP_ID, "")),
                false,
            ),
        ),
        (
            "a form by nobody",
            anonymous(
                fixtures::modal(5, &who, "submit:text", &[("text", "x")]),
                true,
            ),
        ),
    ];
    for (what, payload) in cases {
        let i: Interaction = serde_json::from_value(payload)
            .unwrap_or_else(|e| panic!("{what}: serenity refuses it: {e}"));
        assert_eq!(
            Invocation::from_interaction(&i).err(),
            Some(NotAnInvocation::NoUser),
            "{what}"
        );
    }
    // A direct message names its user: fine.
    let mut dm = Member::new(6, "en-US");
    dm.guild_id = None;
    let i: Interaction =
        serde_json::from_value(fixtures::review(6, &dm, "Hi")).expect("a DM interaction");
    assert_eq!(Invocation::from_interaction(&i).map(|i| i.user_id), Ok(6));
}

#[tokio::test]
async fn an_interaction_without_member_or_user_is_refused_over_http() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let db_url = format!("sqlite://{}", dir.path().join("tweetguard.db").display());
    let bot = start_http(&fake, &db_url, None).await;
    let who = Member::new(5, "fr");
    for payload in [
        anonymous(submit(901, &who, "Texte."), false),
        anonymous(submit(902, &who, "Texte."), true),
        without_member(&who, 903),
    ] {
        let (s, v) = bot.interact(&payload).await;
        assert_eq!(s, 400, "{payload:#} → {v}");
    }
    assert!(proposals(&db_url).await.is_empty());
    assert_eq!(cards_posted(&fake, REVIEW_CHANNEL), 0);
    let (_, metrics) = bot.get("/metrics").await;
    assert!(
        metrics
            .lines()
            .any(|l| l == "tweetguard_http_rejections_total{reason=\"no_user\"} 3"),
        "{metrics}"
    );
}

#[tokio::test]
async fn an_interaction_without_member_or_user_is_refused_over_the_gateway() {
    let bot = super::e2e::Bot::start(&[]).await;
    let who = Member::new(5, "fr");
    for payload in [
        anonymous(submit(911, &who, "Texte."), false),
        without_member(&who, 912),
    ] {
        let r = bot.ask(payload).await;
        assert_eq!(r.body["type"], 4, "{:#}", r.body);
        assert_eq!(r.body["data"]["flags"], 64, "private: {:#}", r.body);
        let text = r.body["data"]["content"].as_str().unwrap_or_default();
        assert!(text.contains("Je ne sais pas qui"), "{:#}", r.body);
    }
    assert!(proposals(&bot.db_url).await.is_empty());
    assert_eq!(cards_posted(&bot.fake, CHANNEL_ID), 0);
    bot.stop().await;
}

// --- Raw TCP clients ------------------------------------------------------------------------

fn addr_of(bot: &Served) -> String {
    bot.base.trim_start_matches("http://").to_string()
}

/// Read until the server closes the connection (EOF or reset) or `within` passes; what was
/// read, and whether it closed.
async fn read_until_closed(stream: &mut TcpStream, within: Duration) -> (Vec<u8>, bool) {
    let deadline = Instant::now() + within;
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (got, true),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
            Err(_) => return (got, false),
        }
    }
}

/// A client that sends nothing, waiting up to `hold` to be closed.
async fn silent(addr: String, hold: Duration) -> bool {
    let mut s = TcpStream::connect(&addr).await.expect("connect");
    read_until_closed(&mut s, hold).await.1
}

/// A client that sends a request's headers one byte a second, never finishing, for up to
/// `hold`.
async fn slowloris(addr: String, hold: Duration) -> bool {
    let mut s = TcpStream::connect(&addr).await.expect("connect");
    let head =
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let deadline = Instant::now() + hold;
    for byte in head.iter().cycle() {
        if s.write_all(&[*byte]).await.is_err() {
            return true;
        }
        // Closed by the server? (A read that returns at once with EOF or a reset.)
        match tokio::time::timeout(Duration::from_secs(1), s.read(&mut [0u8; 256])).await {
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) | Err(_) => {}
        }
        if Instant::now() > deadline {
            return false;
        }
    }
    false
}

/// A client that sends a request's headers and part of its body, then stops (up to `hold`).
async fn half_body(addr: String, hold: Duration) -> (Vec<u8>, bool) {
    let mut s = TcpStream::connect(&addr).await.expect("connect");
    s.write_all(
        b"POST /interactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
Content-Length: 1000\r\n\r\n{\"type\": 1, ",
    )
    .await
    .expect("write");
    read_until_closed(&mut s, hold).await
}

/// A client that stops in the middle of the headers (up to `hold`).
async fn half_headers(addr: String, hold: Duration) -> bool {
    let mut s = TcpStream::connect(&addr).await.expect("connect");
    s.write_all(b"POST /interactions HTTP/1.1\r\nHost: x\r\nContent-Le")
        .await
        .expect("write");
    read_until_closed(&mut s, hold).await.1
}

/// A keep-alive client that gets its answer, then stays idle.
async fn idle_keep_alive(addr: String) -> (Vec<u8>, bool) {
    let mut s = TcpStream::connect(&addr).await.expect("connect");
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("write");
    read_until_closed(&mut s, WAIT).await
}

#[tokio::test]
async fn slow_silent_and_half_sent_clients_are_closed() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let db_url = format!("sqlite://{}", dir.path().join("tweetguard.db").display());
    let bot = start_http(&fake, &db_url, None).await;
    let addr = addr_of(&bot);
    let (silent, slow, half_headers, half_body, idle) = tokio::join!(
        silent(addr.clone(), WAIT),
        slowloris(addr.clone(), WAIT),
        half_headers(addr.clone(), WAIT),
        half_body(addr.clone(), WAIT),
        idle_keep_alive(addr.clone()),
    );
    assert!(silent, "a silent client is closed");
    assert!(slow, "a byte-a-second client is closed");
    assert!(half_headers, "a client stopped mid-headers is closed");
    assert!(half_body.1, "a client stopped mid-body is closed");
    let answer = String::from_utf8_lossy(&half_body.0);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(idle.1, "an idle keep-alive connection is closed");
    let answer = String::from_utf8_lossy(&idle.0);
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "answered first: {answer}"
    );
    // The server is fine.
    assert_eq!(bot.get("/healthz").await.0, 200);
}

/// `GET path` on a fresh connection, with `within` for the whole exchange: the status, or
/// `None` when no answer came.
async fn probe(addr: &str, path: &str, within: Duration) -> Option<u16> {
    let exchange = async {
        let mut s = TcpStream::connect(addr).await.ok()?;
        s.write_all(
            format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .await
        .ok()?;
        let mut got = Vec::new();
        let _ = s.read_to_end(&mut got).await;
        let text = String::from_utf8_lossy(&got).into_owned();
        text.get(9..12)?.parse().ok()
    };
    tokio::time::timeout(within, exchange).await.ok().flatten()
}

#[tokio::test]
async fn a_flood_of_connections_leaves_health_and_interactions_answering() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let db_url = format!("sqlite://{}", dir.path().join("tweetguard.db").display());
    // A process limited to 128 open files, as in the issue.
    let bot = start_http(&fake, &db_url, Some(128)).await;
    let addr = addr_of(&bot);
    let mut flood = Vec::new();
    for _ in 0..150 {
        flood.push(TcpStream::connect(&addr).await.expect("connect"));
    }
    // While they are all open: every probe gets an answer (200, or 503 past the reserve),
    // none hangs; /healthz answers 200 soon.
    let deadline = Instant::now() + WAIT;
    let mut statuses = Vec::new();
    loop {
        let status = probe(&addr, "/healthz", Duration::from_secs(5)).await;
        assert!(
            matches!(status, Some(200 | 503)),
            "a probe hung or failed: {status:?}"
        );
        statuses.push(status);
        if status == Some(200) {
            break;
        }
        assert!(Instant::now() < deadline, "/healthz never answered 200");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // An interaction answers too.
    let who = Member::new(5, "en-US");
    let deadline = Instant::now() + WAIT;
    let mut id = 1000;
    loop {
        id += 1;
        let body = fixtures::review(id, &who, "Hello everyone ^SG").to_string();
        let (sig, ts) = sign(body.as_bytes(), now());
        // A fresh connection each time; past the limits the server may answer 503 and close.
        let sent = reqwest::Client::new()
            .post(format!("{}/interactions", bot.base))
            .header("x-signature-ed25519", sig)
            .header("x-signature-timestamp", ts)
            .body(body)
            .timeout(Duration::from_secs(5))
            .send()
            .await;
        match sent {
            Ok(r) if r.status() == 200 => {
                let v: Value = r.json().await.expect("JSON");
                assert_eq!(v["type"], 4, "{v:#}");
                break;
            }
            Ok(r) => assert_eq!(r.status(), 503),
            Err(e) => assert!(!e.is_timeout(), "an interaction hung: {e}"),
        }
        assert!(Instant::now() < deadline, "no interaction answered");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The flood's connections are closed by the server, none left hanging.
    let mut closed = 0;
    for mut s in flood {
        if read_until_closed(&mut s, WAIT).await.1 {
            closed += 1;
        }
    }
    assert_eq!(closed, 150);
    assert_eq!(probe(&addr, "/healthz", WAIT).await, Some(200));
    let (_, metrics) = bot.get("/metrics").await;
    let busy: u64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("tweetguard_http_rejections_total{reason=\"busy\"} "))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(busy > 0, "the limits were reached: {metrics}");
}

#[tokio::test]
async fn sigterm_exits_within_20_s_whatever_clients_do() {
    for transport in ["http", "gateway"] {
        let fake = FakeDiscord::start().await;
        let dir = tempfile::tempdir().expect("a temp dir");
        let db_url = format!("sqlite://{}", dir.path().join("tweetguard.db").display());
        let mut bot = if transport == "http" {
            start_http(&fake, &db_url, None).await
        } else {
            let bot = Served::start("gateway", &fake.api_url(), &db_url, &[]).await;
            fake.wait_ready(WAIT).await.expect("the gateway session");
            bot
        };
        let addr = addr_of(&bot);
        // Clients holding half-sent requests, one dripping bytes, one silent, each ready to
        // hold on well past the 20 s (they only let go when the server closes).
        const HOLD: Duration = Duration::from_secs(60);
        let clients = vec![
            tokio::spawn(half_headers(addr.clone(), HOLD)),
            tokio::spawn({
                let addr = addr.clone();
                async move { half_body(addr, HOLD).await.1 }
            }),
            tokio::spawn(slowloris(addr.clone(), HOLD)),
            tokio::spawn(silent(addr, HOLD)),
        ];
        tokio::time::sleep(Duration::from_millis(200)).await;
        bot.sigterm();
        let status = bot
            .wait_exit(Duration::from_secs(20))
            .await
            .unwrap_or_else(|| panic!("{transport}: still running 20 s after SIGTERM"));
        assert_eq!(status.code(), Some(0), "{transport}: {status:?}");
        for c in clients {
            assert!(
                c.await.expect("the client"),
                "{transport}: closed by the exit"
            );
        }
    }
}
