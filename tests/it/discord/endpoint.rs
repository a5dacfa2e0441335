//! The HTTP interactions endpoint as an axum app, driven with `tower::ServiceExt::oneshot`:
//! every way a request is refused (with nothing processed), PING, a `/review`, `/submit` and
//! its card's clicks, a slow click deferred in the HTTP answer then edited in over REST, and
//! the health, readiness and metrics endpoints.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use clap::Parser;
use serde_json::{json, Value};
use tower::ServiceExt;
use tweetguard::cli::{Cli, Command};
use tweetguard::discord::dispatch::Dispatcher;
use tweetguard::discord::gateway::Connection;
use tweetguard::discord::http::{self as endpoint, Endpoint, MAX_BODY};
use tweetguard::discord::router::Router;
use tweetguard::discord::Token;
use tweetguard::metrics::Metrics;
use tweetguard::ops::{self, Health};
use tweetguard::store::{ProposalFilter, Store};
use tweetguard::workflow::{GuildId, ProposalId};

use super::fake::FakeDiscord;
use super::fixtures::{self, Member, APP_ID, GUILD_ID};
use super::signing::{now, public_key_hex, sign};
use crate::common::TestDb;

const REVIEW_CHANNEL: u64 = 930_000_000_000_000_002;
const REVIEWER: u64 = 11;
const WAIT: Duration = Duration::from_secs(10);

struct App {
    app: axum::Router,
    fake: FakeDiscord,
    db: TestDb,
    metrics: Arc<Metrics>,
    health: Health,
}

async fn start(defer_after: Duration) -> App {
    let fake = FakeDiscord::start().await;
    let db = TestDb::sqlite().await;
    let cli = Cli::try_parse_from([
        "tweetguard",
        "serve",
        "--reviewer-role-ids",
        &REVIEWER.to_string(),
        "--required-approvals",
        "2",
        "--review-channel-id",
        &REVIEW_CHANNEL.to_string(),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let Command::Serve(args) = cli.command else {
        panic!("not serve")
    };
    let store: Arc<dyn Store> = db.store.clone();
    let router = Arc::new(Router::with_store(args.router_config(), store.clone()));
    let metrics = router.metrics.clone();
    let mut dispatcher = Dispatcher::new(router);
    dispatcher.defer_after = defer_after;
    let http = Connection {
        token: Token::new("test.TOKEN.http"),
        api_url: Some(fake.api_url()),
    }
    .http()
    .unwrap_or_else(|e| panic!("{e}"));
    let verifier = endpoint::verifier(&public_key_hex()).unwrap_or_else(|e| panic!("{e}"));
    let health = Health::new(metrics.clone(), Some(store));
    let app = endpoint::app(Endpoint {
        dispatcher: Arc::new(dispatcher),
        http: Arc::new(http),
        verifier,
    })
    .merge(ops::routes(health.clone()));
    App {
        app,
        fake,
        db,
        metrics,
        health,
    }
}

fn request(body: Vec<u8>, headers: &[(&str, &str)]) -> Request<Body> {
    let mut r = Request::post("/interactions").header("content-type", "application/json");
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    r.body(Body::from(body)).expect("a request")
}

/// `body` signed at `timestamp`.
fn signed_at(body: &[u8], timestamp: i64) -> Request<Body> {
    let (sig, ts) = sign(body, timestamp);
    request(
        body.to_vec(),
        &[
            ("x-signature-ed25519", &sig),
            ("x-signature-timestamp", &ts),
        ],
    )
}

fn signed(payload: &Value) -> Request<Body> {
    signed_at(payload.to_string().as_bytes(), now())
}

impl App {
    async fn send(&self, req: Request<Body>) -> (StatusCode, Value) {
        let resp = self.app.clone().oneshot(req).await.expect("infallible");
        let status = resp.status();
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .expect("a body");
        let v = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
        (status, v)
    }

    async fn get(&self, path: &str) -> (StatusCode, String) {
        let req = Request::get(path).body(Body::empty()).expect("a request");
        let resp = self.app.clone().oneshot(req).await.expect("infallible");
        let status = resp.status();
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .expect("a body");
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    async fn proposals(&self) -> usize {
        self.db
            .store
            .list(&ProposalFilter::guild(GuildId(GUILD_ID)))
            .await
            .expect("list")
            .len()
    }
}

use fixtures::submit;

fn click(id: u64, who: &Member, custom_id: &str) -> Value {
    fixtures::button(id, who, custom_id, fixtures::message(7002, APP_ID, ""))
}

#[tokio::test]
async fn every_bad_request_is_refused_with_nothing_processed() {
    let a = start(Duration::from_secs(2)).await;
    let payload = submit(101, &Member::new(1, "fr"), "Notre appli est disponible.");
    let body = payload.to_string().into_bytes();
    let (sig, ts) = sign(&body, now());

    // No signature headers, or only one of them.
    let (s, _) = a.send(request(body.clone(), &[])).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "no headers");
    let (s, _) = a
        .send(request(body.clone(), &[("x-signature-timestamp", &ts)]))
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "no signature");
    let (s, _) = a
        .send(request(body.clone(), &[("x-signature-ed25519", &sig)]))
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "no timestamp");
    // A signature that is not hex, one over another body, one for another timestamp.
    let (s, _) = a
        .send(request(
            body.clone(),
            &[
                ("x-signature-ed25519", "not-hex"),
                ("x-signature-timestamp", &ts),
            ],
        ))
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "non-hex signature");
    let mut tampered = body.clone();
    let at = tampered.len() / 2;
    tampered[at] = tampered[at].wrapping_add(1);
    let (s, _) = a
        .send(request(
            tampered,
            &[
                ("x-signature-ed25519", &sig),
                ("x-signature-timestamp", &ts),
            ],
        ))
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "tampered body");
    let other_ts = (now() - 1).to_string();
    let (s, _) = a
        .send(request(
            body.clone(),
            &[
                ("x-signature-ed25519", &sig),
                ("x-signature-timestamp", &other_ts),
            ],
        ))
        .await;
    assert_eq!(
        s,
        StatusCode::UNAUTHORIZED,
        "signature for another timestamp"
    );
    // Signed, but more than 5 minutes old or ahead (a replay).
    for skew in [-301, 301, -3600] {
        let (s, _) = a.send(signed_at(&body, now() + skew)).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "timestamp off by {skew} s");
    }
    // Signed, too large.
    let mut big = payload.clone();
    big["data"]["options"][0]["value"] = json!("x".repeat(MAX_BODY));
    let (s, _) = a.send(signed_at(big.to_string().as_bytes(), now())).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "oversized body");
    // Signed, not JSON; JSON but not an interaction.
    let (s, _) = a.send(signed_at(b"{not json", now())).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "invalid JSON");
    let (s, _) = a.send(signed(&json!({"type": 2, "id": "x"}))).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "not an interaction");

    // Nothing was processed: no proposal, no REST call, no interaction counted.
    assert_eq!(a.proposals().await, 0);
    assert!(a.fake.requests().is_empty(), "{:?}", a.fake.requests());
    let m = a.metrics.render();
    assert!(m.contains("tweetguard_interactions_total{kind=\"slash\",outcome=\"answered\"} 0"));
    for line in [
        "tweetguard_http_rejections_total{reason=\"signature\"} 6",
        "tweetguard_http_rejections_total{reason=\"timestamp\"} 3",
        "tweetguard_http_rejections_total{reason=\"too_large\"} 1",
        "tweetguard_http_rejections_total{reason=\"invalid_json\"} 2",
    ] {
        assert!(m.lines().any(|l| l == line), "{line}\n{m}");
    }

    // The same request, signed and fresh, is processed.
    let (s, v) = a.send(signed(&payload)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(a.proposals().await, 1);
    a.db.finish().await;
}

#[tokio::test]
async fn ping_gets_pong_and_review_gets_its_embed() {
    let a = start(Duration::from_secs(2)).await;
    let ping = json!({"id": "1", "application_id": APP_ID.to_string(), "type": 1,
                      "token": "ptoken", "version": 1});
    let (s, v) = a.send(signed(&ping)).await;
    assert_eq!((s, v), (StatusCode::OK, json!({"type": 1})));

    let member = Member::new(42, "en-US");
    let (s, v) = a
        .send(signed(&fixtures::review(
            201,
            &member,
            "Grosse PROMO ce week-end!!! Achetez maintenant",
        )))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["type"], 4, "{v:#}");
    assert_eq!(v["data"]["flags"], 64, "ephemeral");
    assert_eq!(v["data"]["allowed_mentions"], json!({"parse": []}));
    assert!(
        v["data"]["embeds"][0]["title"].is_string(),
        "an embed: {v:#}"
    );
    // The answer was the HTTP response: no REST callback.
    assert!(a.fake.requests().iter().all(|r| !r.is_callback_of(201)));
    assert_eq!(a.metrics.interactions("ping", "answered"), 1);
    assert_eq!(a.metrics.interactions("slash", "answered"), 1);
    assert_eq!(a.metrics.count("reviews"), 1);
    a.db.finish().await;
}

#[tokio::test]
async fn submit_and_clicks_go_through_the_same_router() {
    let a = start(Duration::from_secs(2)).await;
    let author = Member::new(1, "fr");
    let (s, v) = a
        .send(signed(&submit(301, &author, "Notre appli est sortie.")))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["type"], 4, "{v:#}");
    let card = a
        .fake
        .message_posted_to(REVIEW_CHANNEL, WAIT)
        .await
        .expect("the card is posted over REST");
    assert_eq!(card.body["allowed_mentions"], json!({"parse": []}));

    let r1 = Member::new(2, "en-US").with_roles(&[REVIEWER]);
    let r2 = Member::new(3, "fr").with_roles(&[REVIEWER]);
    let (s, v) = a.send(signed(&click(302, &r1, "tg:approve:1:1"))).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["type"], 7, "the card is updated in place: {v:#}");
    // A double click: refused privately, nothing counted.
    let (_, v) = a.send(signed(&click(303, &r1, "tg:approve:1:1"))).await;
    assert_eq!(v["type"], 4, "{v:#}");
    assert_eq!(v["data"]["flags"], 64);
    let (_, v) = a.send(signed(&click(304, &r2, "tg:approve:1:1"))).await;
    assert_eq!(v["type"], 7, "{v:#}");

    let p =
        a.db.store
            .proposal(ProposalId(1))
            .await
            .expect("read")
            .expect("the proposal");
    assert_eq!(p.status.to_string(), "approved");
    assert!(a
        .db
        .store
        .outbox(ProposalId(1))
        .await
        .expect("read")
        .is_some());
    assert_eq!(a.metrics.count("votes"), 2);
    assert_eq!(a.metrics.interactions("component", "answered"), 3);

    let (s, text) = a.get("/metrics").await;
    assert_eq!(s, StatusCode::OK);
    assert!(text.contains("tweetguard_votes_total 2"), "{text}");
    assert!(
        text.contains("tweetguard_interactions_total{kind=\"component\",outcome=\"answered\"} 3"),
        "{text}"
    );
    a.db.finish().await;
}

/// A click that waits on a busy database is acknowledged in the HTTP answer (type 6), then
/// the card is edited over REST once the database answers.
#[tokio::test]
async fn a_slow_click_is_deferred_in_the_answer_then_edited_over_rest() {
    use sqlx::{Connection as _, Executor as _};

    let a = start(Duration::from_millis(100)).await;
    let author = Member::new(1, "fr");
    let (s, _) = a.send(signed(&submit(401, &author, "Notre appli."))).await;
    assert_eq!(s, StatusCode::OK);

    // Another process holds the write lock until the deferral has been answered.
    let mut lock = sqlx::SqliteConnection::connect(&a.db.url)
        .await
        .expect("a second connection");
    lock.execute("BEGIN IMMEDIATE").await.expect("the lock");
    let reviewer = Member::new(2, "en-US").with_roles(&[REVIEWER]);
    let (s, v) = a
        .send(signed(&click(402, &reviewer, "tg:approve:1:1")))
        .await;
    assert_eq!((s, v), (StatusCode::OK, json!({"type": 6})));
    lock.execute("COMMIT").await.expect("release");

    let token = fixtures::token_of(402);
    let edit = a
        .fake
        .original_edited(&token, WAIT)
        .await
        .expect("the card is edited over REST");
    assert!(edit.body["embeds"][0].is_object(), "{:#}", edit.body);
    assert_eq!(edit.body["allowed_mentions"], json!({"parse": []}));
    a.db.finish().await;
}

#[tokio::test]
async fn health_readiness_and_metrics() {
    let a = start(Duration::from_secs(2)).await;
    assert_eq!(a.get("/healthz").await.0, StatusCode::OK);
    assert_eq!(a.get("/readyz").await.0, StatusCode::OK);
    let (s, text) = a.get("/metrics").await;
    assert_eq!(s, StatusCode::OK);
    assert!(text.contains("# TYPE tweetguard_interaction_duration_seconds histogram"));
    // Shutting down: no longer ready, still alive.
    a.health
        .draining
        .store(true, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(a.get("/readyz").await.0, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(a.get("/healthz").await.0, StatusCode::OK);
    a.health
        .draining
        .store(false, std::sync::atomic::Ordering::SeqCst);
    // The database gone: not ready.
    a.db.store.close().await;
    assert_eq!(a.get("/readyz").await.0, StatusCode::SERVICE_UNAVAILABLE);
    a.db.finish().await;
}
