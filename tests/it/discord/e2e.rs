//! The `serve` code path end to end: the real serenity client, pointed at the fake Discord
//! with `DISCORD_API_URL`, answers interactions pushed through the fake gateway.

use std::time::Duration;

use clap::Parser;
use serde_json::{json, Value};
use tokio::sync::oneshot;
use tweetguard::cli::serve::ServeError;
use tweetguard::cli::{Cli, Command};

use super::fake::{FakeDiscord, Request};
use super::fixtures::{self, Member};

const WAIT: Duration = Duration::from_secs(10);
const TOKEN: &str = "test.TOKEN.never-logged";

/// The bot, running against its own fake Discord, with its own SQLite file.
pub(super) struct Bot {
    pub(super) fake: FakeDiscord,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<Result<(), ServeError>>,
    /// `sqlite://…` in `_db`: the test may open the store too.
    pub(super) db_url: String,
    /// The command line after the connection and database flags.
    extra: Vec<String>,
    /// The SQLite file's directory (none on PostgreSQL).
    _db: Option<tempfile::TempDir>,
}

impl Bot {
    /// The bot with a review channel, a reviewer role, two approvals needed, and the fake
    /// Bluesky `bluesky` to post to.
    pub(super) async fn posting_to_bluesky(
        bluesky: &crate::publish::fakes::Fake,
        channel: u64,
        reviewer_role: u64,
    ) -> Bot {
        use crate::publish::fakes::{BSKY_IDENTIFIER, BSKY_PASSWORD};
        let (channel, roles) = (channel.to_string(), reviewer_role.to_string());
        Bot::start(&[
            "--review-channel-id",
            &channel,
            "--reviewer-role-ids",
            &roles,
            "--required-approvals",
            "2",
            "--bluesky-service",
            &bluesky.url,
            "--bluesky-identifier",
            BSKY_IDENTIFIER,
            "--bluesky-app-password",
            BSKY_PASSWORD,
        ])
        .await
    }

    /// Members 5 and 6, with `reviewer_role`, approve revision 1 of `proposal` from its card
    /// (interactions `first_id` and the next).
    pub(super) async fn approve_twice(&self, proposal: i64, reviewer_role: u64, first_id: u64) {
        for (id, who) in [(first_id, 5), (first_id + 1, 6)] {
            let m = super::fixtures::Member::new(who, "fr").with_roles(&[reviewer_role]);
            let r = self
                .ask(super::fixtures::button(
                    id,
                    &m,
                    &format!("tg:approve:{proposal}:1"),
                    super::fixtures::message(7002, super::fixtures::APP_ID, ""),
                ))
                .await;
            assert_eq!(r.body["type"], 7, "{:#}", r.body);
        }
    }

    /// Waits for a card's title to say its proposal is posted (the cards speak the server's
    /// language: French by default).
    pub(super) async fn wait_posted(&self) {
        self.fake
            .next_request(
                |r| {
                    r.method == "PATCH"
                        && r.body["embeds"][0]["title"]
                            .as_str()
                            .unwrap_or("")
                            .contains("publiée")
                },
                WAIT,
            )
            .await
            .expect("posted");
    }

    /// The next message the bot posts in `channel` (a review card), as real Discord took it.
    pub(super) async fn card_in(&self, channel: u64) -> Value {
        self.fake
            .message_posted_to(channel, WAIT)
            .await
            .expect("the card is posted (and real Discord would take it)")
            .body
    }

    /// Whether the bot's store holds any proposal at all (a refusal must store nothing).
    pub(super) async fn has_proposals(&self) -> bool {
        tweetguard::store::open(&self.db_url)
            .await
            .expect("the bot's store")
            .proposal(tweetguard::workflow::ProposalId(1))
            .await
            .expect("readable")
            .is_some()
    }

    /// A refusal as members must see it: private, saying each of `says`, and nothing stored.
    pub(super) async fn refused_privately(&self, r: &super::fake::Request, says: &[&str]) {
        assert_eq!(r.body["data"]["flags"], 64, "private: {:#}", r.body);
        let said = r.content();
        assert!(says.iter().all(|s| said.contains(s)), "{says:?} in {said}");
        assert!(!self.has_proposals().await, "nothing stored");
    }

    /// Proposal `id` as the bot's store holds it.
    pub(super) async fn proposal(&self, id: i64) -> tweetguard::workflow::Proposal {
        tweetguard::store::open(&self.db_url)
            .await
            .expect("the bot's store")
            .proposal(tweetguard::workflow::ProposalId(id))
            .await
            .expect("readable")
            .unwrap_or_else(|| panic!("proposal {id}"))
    }

    /// `tweetguard serve --discord-token … --discord-api-url <fake> --database-url <temp
    /// file> <extra>`.
    pub(super) async fn start(extra: &[&str]) -> Bot {
        let db = tempfile::tempdir().expect("a temp dir");
        let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        let db_url = format!("sqlite://{}", db.path().join("tweetguard.db").display());
        Bot::start_on(extra, db_url, Some(db)).await
    }

    /// The bot on the database at `db_url` (a PostgreSQL test database, say).
    pub(super) async fn start_on_database(db_url: &str, extra: &[&str]) -> Bot {
        let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        Bot::start_on(extra, db_url.to_string(), None).await
    }

    /// The bot on the database at `db_url` (the SQLite file in `db`, kept across a restart).
    async fn start_on(extra: Vec<String>, db_url: String, db: Option<tempfile::TempDir>) -> Bot {
        let fake = FakeDiscord::start().await;
        let url = fake.api_url();
        let mut argv = vec![
            "tweetguard",
            "serve",
            "--discord-token",
            TOKEN,
            "--discord-api-url",
            &url,
            "--database-url",
            &db_url,
            "--http-addr",
            "127.0.0.1:0",
        ];
        argv.extend(extra.iter().map(String::as_str));
        let cli = Cli::try_parse_from(argv).unwrap_or_else(|e| panic!("{e}"));
        let Command::Serve(args) = cli.command else {
            panic!("not serve")
        };
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            tweetguard::cli::serve::serve(&args, async {
                let _ = stopped.await;
            })
            .await
        });
        if let Err(e) = fake.wait_ready(WAIT).await {
            task.abort();
            panic!("{e}");
        }
        assert_eq!(
            fake.identify_token().as_deref(),
            Some(&*format!("Bot {TOKEN}"))
        );
        Bot {
            fake,
            stop: Some(stop),
            task,
            db_url,
            extra,
            _db: db,
        }
    }

    /// Stop the bot cleanly and start a new process on the same database (and a new Discord
    /// connection), as a deployment or a crash-restart does.
    pub(super) async fn restart(mut self) -> Bot {
        self.shut_down().await;
        let extra = std::mem::take(&mut self.extra);
        let db_url = std::mem::take(&mut self.db_url);
        Bot::start_on(extra, db_url, self._db.take()).await
    }

    /// Push an interaction and wait for its callback.
    pub(super) async fn ask(&self, payload: Value) -> Request {
        let id: u64 = payload["id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("an id");
        self.fake.send_interaction(payload).expect("sent");
        self.fake
            .callback_of(id, WAIT)
            .await
            .unwrap_or_else(|| panic!("no callback for interaction {id} within {WAIT:?}"))
    }

    /// Stop like Ctrl-C does: the connection closes with 1000, `serve` returns Ok.
    pub(super) async fn stop(mut self) {
        self.shut_down().await;
    }

    async fn shut_down(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        let code = self.fake.wait_closed(WAIT).await;
        assert_eq!(code, Some(1000), "the gateway connection closes cleanly");
        match tokio::time::timeout(WAIT, &mut self.task).await {
            Ok(Ok(Ok(()))) => {}
            other => panic!("serve did not stop cleanly: {other:?}"),
        }
        assert_eq!(self.fake.identifies(), 1, "no reconnection");
    }
}

fn data(r: &Request) -> &Value {
    &r.body["data"]
}

fn assert_private_and_silent(r: &Request) {
    assert_eq!(r.body["type"], 4, "{:#}", r.body);
    assert_eq!(data(r)["flags"], 64, "ephemeral: {:#}", r.body);
    assert_eq!(
        data(r)["allowed_mentions"],
        json!({"parse": []}),
        "{:#}",
        r.body
    );
}

fn embed(r: &Request) -> &Value {
    &data(r)["embeds"][0]
}

fn chars(v: &Value) -> usize {
    v.as_str().map_or(0, |s| s.chars().count())
}

/// Discord's embed limits, checked on the wire.
fn assert_within_limits(e: &Value) {
    let fields = e["fields"].as_array().cloned().unwrap_or_default();
    assert!(chars(&e["title"]) <= 256);
    assert!(chars(&e["description"]) <= 4096);
    assert!(fields.len() <= 25);
    let mut total = chars(&e["title"]) + chars(&e["description"]) + chars(&e["footer"]["text"]);
    for f in &fields {
        assert!((1..=256).contains(&chars(&f["name"])), "{f}");
        assert!((1..=1024).contains(&chars(&f["value"])), "{f}");
        total += chars(&f["name"]) + chars(&f["value"]);
    }
    assert!(total <= 6000, "{total}");
}

const TWEET: &str = "Grosse PROMO ce week-end!!! Achetez maintenant sur **notre** site";

#[tokio::test]
async fn review_answers_privately_in_the_members_language() {
    let bot = Bot::start(&[]).await;
    let fr = bot
        .ask(fixtures::review(101, &Member::new(1, "fr"), TWEET))
        .await;
    let en = bot
        .ask(fixtures::review(102, &Member::new(2, "en-US"), TWEET))
        .await;
    assert_eq!(
        fr.path,
        format!(
            "/api/v10/interactions/101/{}/callback",
            fixtures::token_of(101)
        )
    );
    for r in [&fr, &en] {
        assert_private_and_silent(r);
        assert_within_limits(embed(r));
        // Markdown shows as typed.
        assert!(embed(r)["description"]
            .as_str()
            .unwrap_or("")
            .contains(r"\*\*notre\*\*"));
    }
    assert!(embed(&fr)["title"].as_str().unwrap_or("").contains("note"));
    assert!(embed(&fr)["footer"]["text"]
        .as_str()
        .unwrap_or("")
        .starts_with("Visible par vous seul"));
    assert!(embed(&en)["title"].as_str().unwrap_or("").contains("score"));
    assert!(embed(&en)["footer"]["text"]
        .as_str()
        .unwrap_or("")
        .starts_with("Only you can see this"));
    // The finding messages follow the member, not the tweet: the English member reads
    // English about a French tweet.
    assert!(embed(&en)["fields"]
        .to_string()
        .contains("Twitter is not an ad channel"));
    assert!(embed(&fr)["fields"]
        .to_string()
        .contains("Twitter n'est pas un canal de pub"));
    // Nothing but the gateway URL and the two callbacks: no stray REST calls.
    let calls: Vec<String> = bot
        .fake
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(calls.len(), 2, "{calls:?}");
    insta::with_settings!({snapshot_path => "../snapshots"}, {
        insta::assert_json_snapshot!("review_embed_fr", fr.body);
        insta::assert_json_snapshot!("review_embed_en", en.body);
    });
    bot.stop().await;
}

#[tokio::test]
async fn a_tweet_with_mentions_pings_nobody() {
    let bot = Bot::start(&[]).await;
    let r = bot
        .ask(fixtures::review(
            201,
            &Member::new(1, "en-GB"),
            "@everyone @here <@&123> <@456> big news!",
        ))
        .await;
    assert_private_and_silent(&r);
    assert!(data(&r).get("content").is_none(), "no content to ping");
    let d = embed(&r)["description"].as_str().unwrap_or("");
    assert!(d.contains(r"\<@&123>") && d.contains(r"\<@456>"), "{d}");
    bot.stop().await;
}

#[tokio::test]
async fn a_4000_character_tweet_gives_a_valid_truncated_embed() {
    let bot = Bot::start(&[]).await;
    let long = "Nos *soldes* _monstres_ arrivent, achetez vite ! ".repeat(90);
    let long: String = long.chars().take(4000).collect();
    for (id, locale, note) in [(301, "fr", "…(tronqué)"), (302, "en-US", "…(truncated)")] {
        let r = bot
            .ask(fixtures::review(id, &Member::new(1, locale), &long))
            .await;
        assert_private_and_silent(&r);
        assert_within_limits(embed(&r));
        let d = embed(&r)["description"].as_str().unwrap_or("");
        assert!(d.ends_with(note), "{d}");
    }
    bot.stop().await;
}

#[tokio::test]
async fn the_message_menu_reviews_the_message() {
    let bot = Bot::start(&[]).await;
    let target = fixtures::message(77, 3, "Merci @Marie pour ce retour ! ^SG");
    let r = bot
        .ask(fixtures::message_menu(
            401,
            &Member::new(1, "fr"),
            "Review as tweet",
            target,
        ))
        .await;
    assert_private_and_silent(&r);
    assert!(embed(&r)["description"]
        .as_str()
        .unwrap_or("")
        .contains("Merci @Marie"));
    let empty = fixtures::message(78, 3, "");
    let r = bot
        .ask(fixtures::message_menu(
            402,
            &Member::new(1, "en-US"),
            "Review as tweet",
            empty,
        ))
        .await;
    assert_private_and_silent(&r);
    assert_eq!(data(&r)["content"], "This message has no text to review.");
    bot.stop().await;
}

#[tokio::test]
async fn a_member_who_asks_too_often_is_told_to_slow_down() {
    let bot = Bot::start(&["--review-rate-per-minute", "2"]).await;
    let fr = Member::new(5, "fr");
    for id in [501, 502] {
        let r = bot
            .ask(fixtures::review(id, &fr, "Bonjour à tous ^SG"))
            .await;
        assert!(embed(&r).is_object(), "{:#}", r.body);
    }
    let r = bot.ask(fixtures::review(503, &fr, "Encore ^SG")).await;
    assert_private_and_silent(&r);
    let msg = data(&r)["content"].as_str().unwrap_or("");
    assert!(msg.starts_with("Doucement"), "{msg}");
    assert!(data(&r)["embeds"].as_array().is_some_and(Vec::is_empty));
    // Someone else is not limited.
    let r = bot
        .ask(fixtures::review(504, &Member::new(6, "en-US"), "Hello ^SG"))
        .await;
    assert!(embed(&r).is_object());
    bot.stop().await;
}

#[tokio::test]
async fn an_unknown_command_gets_a_polite_answer() {
    let bot = Bot::start(&[]).await;
    let r = bot
        .ask(fixtures::slash(
            601,
            &Member::new(1, "fr"),
            "schedule",
            json!([]),
        ))
        .await;
    assert_private_and_silent(&r);
    assert!(data(&r)["content"]
        .as_str()
        .unwrap_or("")
        .starts_with("Je ne connais pas"));
    bot.stop().await;
}

#[tokio::test]
async fn register_overwrites_the_commands_in_bulk() {
    let fake = FakeDiscord::start().await;
    let url = fake.api_url();
    for (argv, path) in [
        (
            vec!["--guild", "910000000000000001"],
            format!(
                "/api/v10/applications/{}/guilds/910000000000000001/commands",
                fixtures::APP_ID
            ),
        ),
        (
            vec![],
            format!("/api/v10/applications/{}/commands", fixtures::APP_ID),
        ),
    ] {
        let mut full = vec![
            "tweetguard",
            "register",
            "--discord-token",
            TOKEN,
            "--discord-api-url",
            &url,
        ];
        full.extend(argv);
        let cli = Cli::try_parse_from(full).unwrap_or_else(|e| panic!("{e}"));
        let Command::Register(args) = cli.command else {
            panic!("not register")
        };
        let names = tokio::time::timeout(WAIT, tweetguard::cli::serve::register(&args))
            .await
            .expect("in time")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            names,
            vec![
                "review",
                "Review as tweet",
                "submit",
                "Propose as tweet",
                "relay",
                "stats",
                "queue",
                "proposal",
                "guidelines",
                "signature",
                "settings"
            ]
        );
        let put = fake
            .next_request(|r| r.method == "PUT", WAIT)
            .await
            .expect("a bulk PUT");
        assert_eq!(put.path, path);
        let sent = put.body.as_array().cloned().unwrap_or_default();
        assert_eq!(sent.len(), 11);
        assert_eq!(sent[1]["name_localizations"]["fr"], "Examiner comme tweet");
    }
}

#[tokio::test]
async fn serve_without_a_token_says_how_to_get_one() {
    let cli = Cli::try_parse_from(["tweetguard", "serve", "--discord-token", " "])
        .unwrap_or_else(|e| panic!("{e}"));
    let Command::Serve(args) = cli.command else {
        panic!("not serve")
    };
    let e = tweetguard::cli::serve::serve(&args, async {})
        .await
        .expect_err("no token");
    let msg = e.to_string();
    assert!(
        msg.contains("DISCORD_TOKEN") && msg.contains("Reset Token"),
        "{msg}"
    );
}

/// 1,000 `/review` interactions, one after the other: interaction sent → callback received.
/// Prints p50/p99; not a pass/fail timing. `cargo test --release -- --ignored latency`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn latency_of_1000_reviews() {
    let bot = Bot::start(&["--review-rate-per-minute", "0"]).await;
    let who = Member::new(9, "fr");
    let mut micros = Vec::with_capacity(1000);
    for i in 0..1000u64 {
        let id = 10_000 + i;
        let tweet = format!("Grosse PROMO n°{i} ce week-end ! Venez nombreux @everyone ^SG");
        let sent = bot
            .fake
            .send_interaction(fixtures::review(id, &who, &tweet))
            .expect("sent");
        let r = bot.fake.callback_of(id, WAIT).await.expect("a callback");
        micros.push(r.at.duration_since(sent).as_micros() as u64);
    }
    println!("1000 /review interactions: {}", percentiles(&mut micros));
    bot.stop().await;
}

/// p50, p99 and max of `micros`.
fn percentiles(micros: &mut [u64]) -> String {
    micros.sort_unstable();
    let p = |q: f64| micros[((micros.len() as f64 * q) as usize).min(micros.len() - 1)];
    format!(
        "p50 {} µs, p99 {} µs, max {} µs",
        p(0.50),
        p(0.99),
        micros[micros.len() - 1]
    )
}

/// Interaction in → callback out for the writes: 334 `/submit` (review, store, card posted)
/// and 668 approval clicks (each a transaction on the SQLite file, synchronous=FULL).
/// Prints p50/p99; not a pass/fail timing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn latency_of_1000_submits_and_votes() {
    let bot = Bot::start(&["--required-approvals", "2"]).await;
    let author = Member::new(9, "fr");
    let reviewers = [Member::new(10, "fr"), Member::new(11, "fr")];
    let (mut submits, mut votes) = (Vec::new(), Vec::new());
    let timed = |payload: Value, id: u64| {
        let fake = &bot.fake;
        async move {
            let sent = fake.send_interaction(payload).expect("sent");
            let r = fake.callback_of(id, WAIT).await.expect("a callback");
            let micros = r_at_micros(sent, &r);
            (r, micros)
        }
    };
    for i in 0..334u64 {
        let id = 20_000 + i * 3;
        let text = format!("Proposition n°{i} : merci à toute l'équipe ^SG");
        let payload = fixtures::slash(
            id,
            &author,
            "submit",
            json!([{"name": "text", "type": 3, "value": text}]),
        );
        let (r, t) = timed(payload, id).await;
        assert_eq!(r.body["type"], 4, "{:#}", r.body);
        submits.push(t);
        for (k, who) in reviewers.iter().enumerate() {
            let id = id + 1 + k as u64;
            let custom = format!("tg:approve:{}:1", i + 1);
            let on = fixtures::message(7002, fixtures::APP_ID, "");
            let (r, t) = timed(fixtures::button(id, who, &custom, on), id).await;
            assert_eq!(r.body["type"], 7, "{:#}", r.body);
            votes.push(t);
        }
    }
    println!("334 /submit: {}", percentiles(&mut submits));
    println!("668 approvals: {}", percentiles(&mut votes));
    bot.stop().await;
}

fn r_at_micros(sent: std::time::Instant, r: &Request) -> u64 {
    r.at.duration_since(sent).as_micros() as u64
}

/// A slow answer (a database, later) is deferred before Discord's 3 s, then replaces the
/// "thinking…" message; a quick one is the callback itself.
#[tokio::test]
async fn a_slow_answer_is_deferred_then_edited_in() {
    use serenity::model::id::{ApplicationId, InteractionId};
    use tweetguard::discord::gateway::{respond, Answered, Connection};
    use tweetguard::discord::response::{Message, Response};
    use tweetguard::discord::Token;

    let fake = FakeDiscord::start().await;
    let http = Connection {
        token: Token::new(TOKEN),
        api_url: Some(fake.api_url()),
    }
    .http()
    .unwrap_or_else(|e| panic!("{e}"));
    http.set_application_id(ApplicationId::new(fixtures::APP_ID));
    let answer = || Response::Message(Message::text("done").ephemeral());

    let quick = async { answer() };
    let how = respond(
        &http,
        InteractionId::new(801),
        "t801",
        quick,
        Duration::from_secs(2),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(how, Answered::AtOnce);
    let r = fake.callback_of(801, WAIT).await.expect("a callback");
    assert_eq!(r.body["type"], 4);

    let slow = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        answer()
    };
    let how = respond(
        &http,
        InteractionId::new(802),
        "t802",
        slow,
        Duration::from_millis(20),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(how, Answered::Deferred);
    let r = fake.callback_of(802, WAIT).await.expect("a callback");
    assert_eq!(r.body, json!({"type": 5, "data": {"flags": 64}}));
    let edit = fake
        .next_request(|r| r.method == "PATCH", WAIT)
        .await
        .expect("an edit");
    assert_eq!(
        edit.path,
        format!(
            "/api/v10/webhooks/{}/t802/messages/@original",
            fixtures::APP_ID
        )
    );
    assert_eq!(edit.body["content"], "done");
    assert_eq!(edit.body["allowed_mentions"], json!({"parse": []}));
    assert!(edit.body.get("flags").is_none());
}
