//! Fake X, Mastodon, Bluesky and Discord-webhook servers on 127.0.0.1: they check auth the
//! way the real ones do (an OAuth 1.0a signature recomputed from the request, a bearer token,
//! a session token they issued), keep every post they accepted, and fail on demand.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::Router;
use serde_json::{json, Value};
use tweetguard::publish::oauth1;

/// What the next post request meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fail {
    /// No failure: the request is served (to fail a later one).
    Pass,
    /// 500 without storing the post.
    Before500,
    /// Stores the post, then answers 500 (a crashed handler, a proxy).
    After500,
    /// 403, nothing stored (a final refusal: suspended app, policy).
    Refuse403,
    /// 429 with `Retry-After: secs`, nothing stored.
    RateLimit(u64),
    /// Stores the post, then drops the connection without an answer.
    DropAfter,
    /// Stores the post, then answers only after the client gave up.
    TimeoutAfter,
}

/// One accepted post.
#[derive(Debug, Clone)]
pub struct Post {
    pub id: String,
    pub text: String,
    /// The request body as received (Bluesky's record with its facets, the webhook's
    /// `allowed_mentions`...).
    pub body: Value,
}

#[derive(Default)]
struct State {
    base: Mutex<String>,
    posts: Mutex<Vec<Post>>,
    failures: Mutex<VecDeque<Fail>>,
    /// Requests refused for bad credentials: a test that expects none checks it is zero.
    auth_failures: Mutex<u32>,
    /// Mastodon: Idempotency-Key -> index in `posts`.
    keys: Mutex<HashMap<String, usize>>,
    /// Bluesky: issued session tokens (and expired ones); record key -> index in `posts`.
    sessions: Mutex<Vec<String>>,
    expired: Mutex<Vec<String>>,
    rkeys: Mutex<HashMap<String, usize>>,
    /// Other people's posts, which proposals answer, quote or repost.
    foreign: Mutex<Vec<Foreign>>,
    /// X: tweet ids the account retweeted; Mastodon: status id -> the boost's id.
    retweets: Mutex<Vec<String>>,
    reblogs: Mutex<HashMap<String, String>>,
    /// Mastodon: whether the server has quote posts (4.5+), and its character limit.
    no_quotes: Mutex<bool>,
    max_characters: Mutex<Option<u64>>,
    /// The account's posts as timelines show them: id -> (created_at, [replies, reposts,
    /// likes, quotes]).
    shown: Mutex<HashMap<String, (String, [u64; 4])>>,
    /// What the next timeline read meets.
    read_failure: Mutex<Option<Fail>>,
    /// Media uploaded (X media ids, Mastodon attachment ids, Bluesky blob refs), checked
    /// as the real services check them; each named once at most in a post.
    media: Mutex<HashMap<String, Media>>,
}

/// One uploaded image, as the fake understood it by decoding it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Media {
    pub id: String,
    pub mime: String,
    pub size: usize,
    pub width: u32,
    pub height: u32,
    pub alt: Option<String>,
    /// Mastodon: GETs left before processing is done.
    pending_polls: u32,
}

/// Someone else's post on a fake network.
#[derive(Debug, Clone)]
pub struct Foreign {
    /// Its address (what a member pastes).
    pub url: String,
    /// The id an answer names: a tweet id; Mastodon: the id on this (our) instance; Bluesky:
    /// its `at://` URI.
    pub id: String,
    pub author: String,
    pub text: String,
    /// Bluesky: its content id, and its thread's root when it is itself a reply.
    pub cid: String,
    pub root: Option<(String, String)>,
}

/// A running fake; stops with the test's runtime.
#[derive(Clone)]
pub struct Fake {
    pub url: String,
    state: Arc<State>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Fake {
    async fn start(app: Router<Arc<State>>) -> Fake {
        let state = Arc::new(State::default());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        *lock(&state.base) = url.clone();
        let router = app.with_state(state.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Fake { url, state }
    }

    /// Fail the next post requests, in order.
    pub fn fail_next(&self, failures: &[Fail]) {
        lock(&self.state.failures).extend(failures.iter().copied());
    }

    pub fn posts(&self) -> Vec<Post> {
        lock(&self.state.posts).clone()
    }

    /// How many posts carry `text`.
    pub fn count(&self, text: &str) -> usize {
        self.posts().iter().filter(|p| p.text == text).count()
    }

    /// Bluesky: every session issued so far expires (the next call says `ExpiredToken`).
    pub fn expire_sessions(&self) {
        let old: Vec<String> = lock(&self.state.sessions).drain(..).collect();
        lock(&self.state.expired).extend(old);
    }

    /// Someone else's post, seen by this network.
    pub fn seed(&self, post: Foreign) {
        lock(&self.state.foreign).push(post);
    }

    /// X: the tweets the account retweeted; Mastodon: the statuses it boosted (with repeats).
    pub fn reposts(&self) -> Vec<String> {
        let mut out = lock(&self.state.retweets).clone();
        out.extend(lock(&self.state.reblogs).keys().cloned());
        out
    }

    /// Mastodon: a server without quote posts (before 4.5) refuses `quoted_status_id`.
    pub fn without_quotes(&self) {
        *lock(&self.state.no_quotes) = true;
    }

    /// Mastodon: the server's own limit, told by `GET /api/v2/instance`.
    pub fn max_characters(&self, n: u64) {
        *lock(&self.state.max_characters) = Some(n);
    }

    /// A post the account made by hand (outside the bot), with its time and counts.
    pub fn add_own(&self, id: &str, text: &str, created_at: &str, counts: [u64; 4]) {
        add_post(&self.state, |_| id.to_owned(), text, json!({"text": text}));
        self.set_counts(id, created_at, counts);
    }

    /// What a timeline shows for post `id`: when it was made, and its counts so far.
    pub fn set_counts(&self, id: &str, created_at: &str, counts: [u64; 4]) {
        lock(&self.state.shown).insert(id.to_owned(), (created_at.to_owned(), counts));
    }

    /// The next timeline read fails so (a rate limit, a 500).
    pub fn fail_next_read(&self, failure: Fail) {
        *lock(&self.state.read_failure) = Some(failure);
    }

    /// Every image uploaded so far (orphans included), by id.
    pub fn media(&self) -> HashMap<String, Media> {
        lock(&self.state.media).clone()
    }

    pub fn auth_failures(&self) -> u32 {
        *lock(&self.state.auth_failures)
    }

    pub async fn x() -> Fake {
        Fake::start(
            Router::new()
                .route("/2/tweets", post(x_post))
                .route("/2/media/upload", post(x_media_upload))
                .route("/2/media/metadata", post(x_media_metadata))
                .route("/2/users/me", get(x_me))
                .route("/2/users/{id}/tweets", get(x_timeline))
                .route("/2/users/{id}/retweets", post(x_retweet))
                .route("/2/tweets/{id}", get(x_read)),
        )
        .await
    }

    pub async fn mastodon() -> Fake {
        Fake::start(
            Router::new()
                .route("/api/v1/statuses", post(mastodon_post))
                .route("/api/v2/media", post(mastodon_media_upload))
                .route("/api/v1/media/{id}", get(mastodon_media_get))
                .route("/api/v1/statuses/{id}/reblog", post(mastodon_reblog))
                .route("/api/v2/search", get(mastodon_search))
                .route("/api/v2/instance", get(mastodon_instance))
                .route("/api/v1/accounts/verify_credentials", get(mastodon_me))
                .route("/api/v1/accounts/{id}/statuses", get(mastodon_statuses)),
        )
        .await
    }

    pub async fn bluesky() -> Fake {
        Fake::start(
            Router::new()
                .route("/xrpc/com.atproto.server.createSession", post(bsky_session))
                .route("/xrpc/com.atproto.repo.createRecord", post(bsky_create))
                .route("/xrpc/com.atproto.repo.uploadBlob", post(bsky_upload_blob))
                .route("/xrpc/com.atproto.repo.getRecord", get(bsky_get))
                .route("/xrpc/app.bsky.feed.getPosts", get(bsky_posts))
                .route("/xrpc/app.bsky.feed.getAuthorFeed", get(bsky_feed))
                .route(
                    "/xrpc/com.atproto.identity.resolveHandle",
                    get(bsky_resolve),
                ),
        )
        .await
    }

    pub async fn webhook() -> Fake {
        Fake::start(Router::new().route("/api/webhooks/1/secret-token", any(webhook_post))).await
    }
}

// ---- Credentials the fakes accept -----------------------------------------------------------

pub const X_CONSUMER_KEY: &str = "ck-test";
pub const X_CONSUMER_SECRET: &str = "cs-test";
pub const X_ACCESS_TOKEN: &str = "42-at-test";
pub const X_ACCESS_SECRET: &str = "as-test";
pub const X_USER_ID: &str = "42";
pub const MASTODON_TOKEN: &str = "mastodon-token";
pub const BSKY_IDENTIFIER: &str = "team.example.com";
pub const BSKY_PASSWORD: &str = "app-pass-word";
pub const BSKY_DID: &str = "did:plc:team";

/// Handles the fake Bluesky resolves, and their DIDs.
pub const BSKY_HANDLES: &[(&str, &str)] = &[("alice.example.com", "did:plc:alice")];

type S = axum::extract::State<Arc<State>>;

fn error(status: StatusCode, body: Value) -> Response {
    (status, axum::Json(body)).into_response()
}

fn unauthorized(state: &State) -> Response {
    *lock(&state.auth_failures) += 1;
    error(StatusCode::UNAUTHORIZED, json!({"error": "Unauthorized"}))
}

/// Runs the next failure, if any, around `store` (which stores the post and gives the answer).
async fn with_failure(state: &State, store: impl FnOnce(&State) -> Response) -> Response {
    let next = lock(&state.failures).pop_front();
    let store = || store(state);
    match next {
        None | Some(Fail::Pass) => store(),
        Some(Fail::Before500) => error(StatusCode::INTERNAL_SERVER_ERROR, json!({"error": "boom"})),
        Some(Fail::Refuse403) => error(StatusCode::FORBIDDEN, json!({"error": "Forbidden"})),
        Some(Fail::RateLimit(secs)) => (
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", secs.to_string())],
            axum::Json(json!({"error": "RateLimitExceeded"})),
        )
            .into_response(),
        Some(Fail::After500) => {
            let _ = store();
            error(StatusCode::INTERNAL_SERVER_ERROR, json!({"error": "boom"}))
        }
        Some(Fail::DropAfter) => {
            let _ = store();
            // Unwinds the connection's task: the socket closes with no answer.
            std::panic::resume_unwind(Box::new("fake: connection dropped"));
        }
        Some(Fail::TimeoutAfter) => {
            let answer = store();
            tokio::time::sleep(Duration::from_secs(30)).await;
            answer
        }
    }
}

/// Stores a post, its id made from its index by `id`; the index and the post.
fn add_post(
    state: &State,
    id: impl FnOnce(usize) -> String,
    text: &str,
    body: Value,
) -> (usize, Post) {
    let mut posts = lock(&state.posts);
    let i = posts.len();
    let p = Post {
        id: id(i),
        text: text.to_owned(),
        body,
    };
    posts.push(p.clone());
    (i, p)
}

fn query(uri: &Uri) -> Vec<(String, String)> {
    uri.query()
        .unwrap_or_default()
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            let dec = |s: &str| oauth1::decode(&s.replace('+', " ")).unwrap_or_default();
            (dec(k), dec(v))
        })
        .collect()
}

/// The value of `key` in the request's query.
fn param(uri: &Uri, key: &str) -> Option<String> {
    query(uri)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

/// The token of an `Authorization: Bearer …` header.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("authorization")
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
}

// ---- X ----------------------------------------------------------------------------------------

/// Recomputes the OAuth 1.0a signature of the request, as X does.
fn x_signed(state: &State, method: &Method, uri: &Uri, headers: &HeaderMap) -> bool {
    let Some(header) = headers.get("authorization").and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let Some(mut params) = oauth1::parse_authorization(header) else {
        return false;
    };
    let Some(pos) = params.iter().position(|(k, _)| k == "oauth_signature") else {
        return false;
    };
    let (_, signature) = params.remove(pos);
    let has = |k: &str, v: &str| params.iter().any(|(pk, pv)| pk == k && pv == v);
    if !has("oauth_consumer_key", X_CONSUMER_KEY)
        || !has("oauth_token", X_ACCESS_TOKEN)
        || !has("oauth_signature_method", "HMAC-SHA1")
        || !params
            .iter()
            .any(|(k, v)| k == "oauth_nonce" && !v.is_empty())
        || !params.iter().any(|(k, _)| k == "oauth_timestamp")
    {
        return false;
    }
    params.extend(query(uri));
    let url = format!("{}{}", lock(&state.base), uri.path());
    let base = oauth1::base_string(method.as_str(), &url, &params);
    oauth1::sign(&base, X_CONSUMER_SECRET, X_ACCESS_SECRET) == signature
}

async fn x_post(
    axum::extract::State(state): S,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !x_signed(&state, &method, &uri, &headers) {
        return unauthorized(&state);
    }
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return error(StatusCode::BAD_REQUEST, json!({"title": "Invalid Request"}));
    };
    let text = body["text"].as_str().unwrap_or_default().to_owned();
    if let Some(parent) = body.pointer("/reply/in_reply_to_tweet_id") {
        if !parent.as_str().is_some_and(|id| exists(&state, id)) {
            return error(
                StatusCode::BAD_REQUEST,
                json!({"title": "Invalid Request", "detail": "reply.in_reply_to_tweet_id: not a Tweet"}),
            );
        }
    }
    if let Some(quoted) = body.get("quote_tweet_id") {
        if !quoted.as_str().is_some_and(|id| exists(&state, id)) {
            return error(
                StatusCode::BAD_REQUEST,
                json!({"title": "Invalid Request", "detail": "quote_tweet_id: not a Tweet"}),
            );
        }
    }
    if let Some(ids) = body.pointer("/media/media_ids") {
        if let Err(why) = media_ids_ok(&state, ids, 4) {
            return error(
                StatusCode::BAD_REQUEST,
                json!({"title": "Invalid Request", "detail": why}),
            );
        }
    }
    if lock(&state.posts).iter().any(|p| p.text == text) {
        return error(
            StatusCode::FORBIDDEN,
            json!({"detail": "You are not allowed to create a Tweet with duplicate content."}),
        );
    }
    with_failure(&state, move |st| {
        let (_, p) = add_post(st, |i| format!("{}", 1000 + i), &text, body);
        axum::Json(json!({"data": {"id": p.id, "text": p.text}})).into_response()
    })
    .await
}

/// Whether a post with this id exists: ours, or someone else's.
fn exists(state: &State, id: &str) -> bool {
    lock(&state.posts).iter().any(|p| p.id == id) || lock(&state.foreign).iter().any(|f| f.id == id)
}

/// `GET /2/tweets/:id?expansions=author_id`: as X, a missing tweet is a 200 with `errors`.
async fn x_read(
    axum::extract::State(state): S,
    axum::extract::Path(id): axum::extract::Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if !x_signed(&state, &method, &uri, &headers) {
        return unauthorized(&state);
    }
    let found = lock(&state.foreign).iter().find(|f| f.id == id).cloned();
    match found {
        Some(f) => axum::Json(json!({
            "data": {"id": f.id, "text": f.text, "author_id": "77", "created_at": "2026-11-30T08:00:00.000Z"},
            "includes": {"users": [{"id": "77", "username": f.author}]},
        }))
        .into_response(),
        None => axum::Json(json!({
            "errors": [{"title": "Not Found Error", "detail": format!("Could not find tweet with id: [{id}].")}]
        }))
        .into_response(),
    }
}

/// `POST /2/users/:id/retweets` `{tweet_id}`: retweeting twice changes nothing.
async fn x_retweet(
    axum::extract::State(state): S,
    axum::extract::Path(id): axum::extract::Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !x_signed(&state, &method, &uri, &headers) {
        return unauthorized(&state);
    }
    let tweet = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|b| b["tweet_id"].as_str().map(str::to_owned));
    let Some(tweet) = tweet.filter(|t| id == X_USER_ID && exists(&state, t)) else {
        return error(StatusCode::BAD_REQUEST, json!({"title": "Invalid Request"}));
    };
    with_failure(&state, move |st| {
        let mut done = lock(&st.retweets);
        if !done.contains(&tweet) {
            done.push(tweet);
        }
        axum::Json(json!({"data": {"retweeted": true}})).into_response()
    })
    .await
}

async fn x_me(
    axum::extract::State(state): S,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if !x_signed(&state, &method, &uri, &headers) {
        return unauthorized(&state);
    }
    axum::Json(json!({"data": {"id": X_USER_ID, "username": "team"}})).into_response()
}

async fn x_timeline(
    axum::extract::State(state): S,
    axum::extract::Path(id): axum::extract::Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if !x_signed(&state, &method, &uri, &headers) {
        return unauthorized(&state);
    }
    if id != X_USER_ID {
        return error(StatusCode::NOT_FOUND, json!({"title": "Not Found"}));
    }
    if let Some(refusal) = read_failure(&state) {
        return refusal;
    }
    let metrics = param(&uri, "tweet.fields").is_some_and(|f| f.contains("public_metrics"));
    // As X: 10 a page by default, at most 100; `pagination_token` from the last `meta`.
    let size = param(&uri, "max_results")
        .and_then(|n| n.parse().ok())
        .unwrap_or(10usize)
        .min(100);
    let from = param(&uri, "pagination_token")
        .and_then(|t| t.strip_prefix("page-").and_then(|n| n.parse().ok()))
        .unwrap_or(0usize);
    let all = own_posts(&state);
    let next = (from + size < all.len()).then(|| format!("page-{}", from + size));
    let data: Vec<Value> = all
        .into_iter()
        .skip(from)
        .take(size)
        .map(|(p, at, [replies, reposts, likes, quotes])| {
            let mut t = json!({"id": p.id, "text": p.text, "created_at": at});
            if metrics {
                t["public_metrics"] = json!({"reply_count": replies, "retweet_count": reposts,
                    "like_count": likes, "quote_count": quotes, "impression_count": 10 * likes});
            }
            t
        })
        .collect();
    let mut meta = json!({"result_count": data.len()});
    if let Some(t) = next {
        meta["next_token"] = json!(t);
    }
    axum::Json(json!({"data": data, "meta": meta})).into_response()
}

/// The account's posts, newest first, with what timelines show of them.
fn own_posts(state: &State) -> Vec<(Post, String, [u64; 4])> {
    let shown = lock(&state.shown);
    lock(&state.posts)
        .iter()
        .rev()
        .filter(|p| p.body["$type"] != "app.bsky.feed.repost")
        .map(|p| {
            let (at, counts) = shown
                .get(&p.id)
                .cloned()
                .unwrap_or_else(|| ("2026-11-30T08:00:00.000Z".into(), [0; 4]));
            (p.clone(), at, counts)
        })
        .collect()
}

/// The failure the next timeline read meets, as the network answers it.
fn read_failure(state: &State) -> Option<Response> {
    match lock(&state.read_failure).take()? {
        Fail::RateLimit(secs) => Some(
            (
                StatusCode::TOO_MANY_REQUESTS,
                [("retry-after", secs.to_string())],
                axum::Json(json!({"error": "RateLimitExceeded"})),
            )
                .into_response(),
        ),
        _ => Some(error(
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({"error": "boom"}),
        )),
    }
}

async fn mastodon_me(axum::extract::State(state): S, headers: HeaderMap) -> Response {
    if bearer(&headers) != Some(MASTODON_TOKEN) {
        return unauthorized(&state);
    }
    axum::Json(json!({"id": "1", "acct": "team"})).into_response()
}

async fn mastodon_statuses(
    axum::extract::State(state): S,
    axum::extract::Path(id): axum::extract::Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if bearer(&headers) != Some(MASTODON_TOKEN) {
        return unauthorized(&state);
    }
    if id != "1" {
        return error(StatusCode::NOT_FOUND, json!({"error": "Record not found"}));
    }
    if let Some(refusal) = read_failure(&state) {
        return refusal;
    }
    let base = lock(&state.base).clone();
    // As Mastodon: 20 a page by default, at most 40; `max_id`: older than that status.
    let size = param(&uri, "limit")
        .and_then(|n| n.parse().ok())
        .unwrap_or(20usize)
        .min(40);
    let all = own_posts(&state);
    let from = param(&uri, "max_id")
        .and_then(|max| all.iter().position(|(p, _, _)| p.id == max))
        .map_or(0, |i| i + 1);
    let list: Vec<Value> = all
        .into_iter()
        .skip(from)
        .take(size)
        .map(|(p, at, [replies, reposts, likes, quotes])| {
            json!({"id": p.id, "url": format!("{base}/@team/{}", p.id), "created_at": at,
                "content": format!("<p>{}</p>", p.text.replace('&', "&amp;").replace('<', "&lt;")),
                "replies_count": replies, "reblogs_count": reposts, "favourites_count": likes,
                "quotes_count": quotes, "reblog": null})
        })
        .collect();
    axum::Json(Value::Array(list)).into_response()
}

async fn bsky_feed(axum::extract::State(state): S, headers: HeaderMap, uri: Uri) -> Response {
    if !bsky_authed(&state, &headers) {
        return unauthorized(&state);
    }
    if param(&uri, "actor").as_deref() != Some(BSKY_DID) {
        return error(StatusCode::BAD_REQUEST, json!({"error": "InvalidRequest"}));
    }
    if let Some(refusal) = read_failure(&state) {
        return refusal;
    }
    // As Bluesky: 50 a page by default, at most 100; `cursor` from the last page.
    let size = param(&uri, "limit")
        .and_then(|n| n.parse().ok())
        .unwrap_or(50usize)
        .min(100);
    let from = param(&uri, "cursor")
        .and_then(|c| c.parse().ok())
        .unwrap_or(0usize);
    let all = own_posts(&state);
    let cursor = (from + size < all.len()).then(|| (from + size).to_string());
    let feed: Vec<Value> = all
        .into_iter()
        .skip(from)
        .take(size)
        .map(|(p, at, [replies, reposts, likes, quotes])| {
            json!({"post": {"uri": p.id, "cid": "bafyown", "author": {"did": BSKY_DID, "handle": BSKY_IDENTIFIER},
                "record": {"$type": "app.bsky.feed.post", "text": p.text, "createdAt": at},
                "replyCount": replies, "repostCount": reposts, "likeCount": likes, "quoteCount": quotes}})
        })
        .collect();
    let mut page = json!({"feed": feed});
    if let Some(c) = cursor {
        page["cursor"] = json!(c);
    }
    axum::Json(page).into_response()
}

// ---- Mastodon ---------------------------------------------------------------------------------

async fn mastodon_post(
    axum::extract::State(state): S,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if bearer(&headers) != Some(MASTODON_TOKEN) {
        return unauthorized(&state);
    }
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"error": "bad body"}),
        );
    };
    if let Some(parent) = body.get("in_reply_to_id") {
        if !parent.as_str().is_some_and(|id| exists(&state, id)) {
            return error(StatusCode::NOT_FOUND, json!({"error": "Record not found"}));
        }
    }
    if let Some(quoted) = body.get("quoted_status_id") {
        if *lock(&state.no_quotes) {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({"error": "Validation failed: unknown parameter quoted_status_id"}),
            );
        }
        if !quoted.as_str().is_some_and(|id| exists(&state, id)) {
            return error(StatusCode::NOT_FOUND, json!({"error": "Record not found"}));
        }
    }
    if let Some(ids) = body.get("media_ids") {
        if let Err(why) = media_ids_ok(&state, ids, 4) {
            return error(StatusCode::UNPROCESSABLE_ENTITY, json!({"error": why}));
        }
    }
    let limit = lock(&state.max_characters).unwrap_or(500);
    let length = body["status"]
        .as_str()
        .map_or(0, |t| t.chars().count() as u64);
    if length > limit {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"error": "Validation failed: Text character limit exceeded"}),
        );
    }
    let key = headers
        .get("idempotency-key")
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned);
    let base = lock(&state.base).clone();
    let status_of =
        |p: &Post| json!({"id": p.id, "url": format!("{base}/@team/{}", p.id), "content": p.text});
    // The same key answers with the status it already made, failures or not.
    if let Some(k) = &key {
        if let Some(&i) = lock(&state.keys).get(k) {
            let p = lock(&state.posts)[i].clone();
            return axum::Json(status_of(&p)).into_response();
        }
    }
    with_failure(&state, move |st| {
        let text = body["status"].as_str().unwrap_or_default().to_owned();
        let (i, p) = add_post(st, |i| format!("{}", 2000 + i), &text, body);
        if let Some(k) = key {
            lock(&st.keys).insert(k, i);
        }
        axum::Json(status_of(&p)).into_response()
    })
    .await
}

/// `GET /api/v2/search?q=URL&resolve=true&type=statuses`: a foreign post's address found (and
/// fetched, with `resolve`) as a status of this instance.
async fn mastodon_search(axum::extract::State(state): S, headers: HeaderMap, uri: Uri) -> Response {
    if bearer(&headers) != Some(MASTODON_TOKEN) {
        return unauthorized(&state);
    }
    let q = param(&uri, "q").unwrap_or_default();
    let resolve = param(&uri, "resolve").as_deref() == Some("true");
    let found = lock(&state.foreign).iter().find(|f| f.url == q).cloned();
    let statuses: Vec<Value> = found
        .filter(|_| resolve && param(&uri, "type").as_deref() == Some("statuses"))
        .map(|f| {
            json!({
                "id": f.id, "url": f.url, "created_at": "2026-11-30T08:00:00.000Z",
                "content": format!("<p>{}</p>", f.text.replace('&', "&amp;").replace('<', "&lt;")),
                "account": {"acct": f.author},
            })
        })
        .into_iter()
        .collect();
    axum::Json(json!({"accounts": [], "statuses": statuses, "hashtags": []})).into_response()
}

/// `POST /api/v1/statuses/:id/reblog`: boosting twice answers with the same boost.
async fn mastodon_reblog(
    axum::extract::State(state): S,
    axum::extract::Path(id): axum::extract::Path<String>,
    headers: HeaderMap,
) -> Response {
    if bearer(&headers) != Some(MASTODON_TOKEN) {
        return unauthorized(&state);
    }
    if !exists(&state, &id) {
        return error(StatusCode::NOT_FOUND, json!({"error": "Record not found"}));
    }
    let base = lock(&state.base).clone();
    with_failure(&state, move |st| {
        let mut boosts = lock(&st.reblogs);
        let n = boosts.len();
        let boost = boosts
            .entry(id.clone())
            .or_insert_with(|| format!("{}", 4000 + n))
            .clone();
        axum::Json(
            json!({"id": boost, "url": format!("{base}/@team/{boost}"), "reblog": {"id": id}}),
        )
        .into_response()
    })
    .await
}

async fn mastodon_instance(axum::extract::State(state): S) -> Response {
    let limit = lock(&state.max_characters).unwrap_or(500);
    axum::Json(json!({"configuration": {"statuses": {"max_characters": limit}}})).into_response()
}

// ---- Bluesky ----------------------------------------------------------------------------------

async fn bsky_session(
    axum::extract::State(state): S,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    if body["identifier"] != BSKY_IDENTIFIER || body["password"] != BSKY_PASSWORD {
        *lock(&state.auth_failures) += 1;
        return error(
            StatusCode::UNAUTHORIZED,
            json!({"error": "AuthenticationRequired", "message": "Invalid identifier or password"}),
        );
    }
    let mut sessions = lock(&state.sessions);
    let jwt = format!("jwt-{}", sessions.len() + 1);
    sessions.push(jwt.clone());
    axum::Json(json!({"accessJwt": jwt, "refreshJwt": "refresh", "did": BSKY_DID, "handle": BSKY_IDENTIFIER}))
        .into_response()
}

fn bsky_authed(state: &State, headers: &HeaderMap) -> bool {
    let Some(token) = bearer(headers) else {
        return false;
    };
    lock(&state.sessions).iter().any(|s| s == token)
}

async fn bsky_create(
    axum::extract::State(state): S,
    headers: HeaderMap,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    if !bsky_authed(&state, &headers) {
        let token = bearer(&headers).unwrap_or_default();
        if lock(&state.expired).iter().any(|t| t == token) {
            return error(
                StatusCode::BAD_REQUEST,
                json!({"error": "ExpiredToken", "message": "Token has expired"}),
            );
        }
        return unauthorized(&state);
    }
    let repost = body["collection"] == "app.bsky.feed.repost";
    if body["repo"] != BSKY_DID || !(repost || body["collection"] == "app.bsky.feed.post") {
        return error(StatusCode::BAD_REQUEST, json!({"error": "InvalidRequest"}));
    }
    let refs_ok = {
        let record = &body["record"];
        let mut refs = Vec::new();
        if repost {
            refs.push(&record["subject"]);
        }
        if record.get("reply").is_some() {
            refs.push(&record["reply"]["root"]);
            refs.push(&record["reply"]["parent"]);
        }
        if record["embed"]["$type"] == "app.bsky.embed.record" {
            refs.push(&record["embed"]["record"]);
        }
        if record["embed"]["$type"] == "app.bsky.embed.recordWithMedia" {
            refs.push(&record["embed"]["record"]["record"]);
        }
        refs.iter().all(|r| bsky_known(&state, r))
    };
    let images = match record_images(&body["record"]["embed"]) {
        Some(images) => bsky_images_ok(&state, images),
        None if body["record"]["embed"]["$type"] == "app.bsky.embed.recordWithMedia" => {
            Err("recordWithMedia without media".to_owned())
        }
        None => Ok(()),
    };
    if let Err(why) = images {
        return error(
            StatusCode::BAD_REQUEST,
            json!({"error": "InvalidRequest", "message": format!("Invalid record: {why}")}),
        );
    }
    if !refs_ok {
        return error(
            StatusCode::BAD_REQUEST,
            json!({"error": "InvalidRequest", "message": "Invalid record: a strong ref needs an existing uri and its cid"}),
        );
    }
    let rkey = body["rkey"].as_str().unwrap_or_default().to_owned();
    if rkey.len() != 13 {
        return error(
            StatusCode::BAD_REQUEST,
            json!({"error": "InvalidRequest", "message": "bad rkey"}),
        );
    }
    // As seen on the real service: a record key that exists gives a 500.
    if lock(&state.rkeys).contains_key(&rkey) {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({"error": "InternalServerError"}),
        );
    }
    with_failure(&state, move |st| {
        let uri = format!("at://{BSKY_DID}/app.bsky.feed.post/{rkey}");
        let text = body["record"]["text"].as_str().unwrap_or_default();
        let (i, _) = add_post(st, |_| uri.clone(), text, body["record"].clone());
        lock(&st.rkeys).insert(rkey, i);
        axum::Json(json!({"uri": uri, "cid": bsky_cid(i)})).into_response()
    })
    .await
}

/// Whether a strong ref names a post that exists, with its own content id.
fn bsky_known(state: &State, r: &Value) -> bool {
    let (Some(uri), Some(cid)) = (r["uri"].as_str(), r["cid"].as_str()) else {
        return false;
    };
    lock(&state.posts)
        .iter()
        .enumerate()
        .any(|(i, p)| p.id == uri && bsky_cid(i) == cid)
        || lock(&state.foreign)
            .iter()
            .any(|f| f.id == uri && f.cid == cid)
}

/// `app.bsky.feed.getPosts?uris=…`: posts that exist, others left out.
async fn bsky_posts(axum::extract::State(state): S, headers: HeaderMap, uri: Uri) -> Response {
    if !bsky_authed(&state, &headers) {
        return unauthorized(&state);
    }
    let wanted: Vec<String> = query(&uri)
        .into_iter()
        .filter(|(k, _)| k == "uris")
        .map(|(_, v)| v)
        .collect();
    let posts: Vec<Value> = lock(&state.foreign)
        .iter()
        .filter(|f| wanted.contains(&f.id))
        .map(|f| {
            let mut record = json!({"$type": "app.bsky.feed.post", "text": f.text, "createdAt": "2026-11-30T08:00:00.000Z"});
            if let Some((root, cid)) = &f.root {
                record["reply"] = json!({"root": {"uri": root, "cid": cid}, "parent": {"uri": root, "cid": cid}});
            }
            json!({"uri": f.id, "cid": f.cid, "author": {"did": "did:plc:alice", "handle": f.author}, "record": record})
        })
        .collect();
    axum::Json(json!({"posts": posts})).into_response()
}

/// The content id of the `i`-th record: each record its own, as content hashes are.
fn bsky_cid(i: usize) -> String {
    format!("bafyrei{i:04}")
}

async fn bsky_get(axum::extract::State(state): S, uri: Uri) -> Response {
    if param(&uri, "repo").as_deref() != Some(BSKY_DID) {
        return error(StatusCode::BAD_REQUEST, json!({"error": "InvalidRequest"}));
    }
    let rkey = param(&uri, "rkey").unwrap_or_default();
    let found = lock(&state.rkeys).get(&rkey).copied();
    match found {
        Some(i) => {
            let p = lock(&state.posts)[i].clone();
            axum::Json(json!({"uri": p.id, "cid": bsky_cid(i), "value": p.body})).into_response()
        }
        None => error(
            StatusCode::BAD_REQUEST,
            json!({"error": "RecordNotFound", "message": "Could not locate record"}),
        ),
    }
}

async fn bsky_resolve(uri: Uri) -> Response {
    let handle = param(&uri, "handle").unwrap_or_default();
    match BSKY_HANDLES.iter().find(|(h, _)| *h == handle) {
        Some((_, did)) => axum::Json(json!({"did": did})).into_response(),
        None => error(
            StatusCode::BAD_REQUEST,
            json!({"error": "InvalidRequest", "message": "Unable to resolve handle"}),
        ),
    }
}

// ---- Discord webhook --------------------------------------------------------------------------

async fn webhook_post(
    axum::extract::State(state): S,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if method != Method::POST || !query(&uri).iter().any(|(k, v)| k == "wait" && v == "true") {
        return error(
            StatusCode::BAD_REQUEST,
            json!({"message": "expected POST ?wait=true"}),
        );
    }
    let body = if is_multipart(&headers) {
        match webhook_multipart(&headers, &body) {
            Ok(b) => b,
            Err(why) => return error(StatusCode::BAD_REQUEST, json!({"message": why})),
        }
    } else {
        match serde_json::from_slice::<Value>(&body) {
            Ok(b) => b,
            Err(_) => return error(StatusCode::BAD_REQUEST, json!({"message": "bad body"})),
        }
    };
    with_failure(&state, move |st| {
        let text = body["content"].as_str().unwrap_or_default().to_owned();
        let (_, p) = add_post(st, |i| format!("{}", 3000 + i), &text, body);
        axum::Json(json!({"id": p.id, "channel_id": "77", "guild_id": "66"})).into_response()
    })
    .await
}

// ---- Media: multipart bodies, decoded images -------------------------------------------------

/// One part of a `multipart/form-data` body.
#[derive(Debug, Clone)]
pub struct FormPart {
    pub name: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub data: Vec<u8>,
}

fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get("content-type")
        .and_then(|h| h.to_str().ok())
        .is_some_and(|c| c.starts_with("multipart/form-data"))
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (from..=hay.len() - needle.len()).find(|&i| &hay[i..i + needle.len()] == needle)
}

/// Parses a `multipart/form-data` body as RFC 7578 says, strictly: a missing boundary, a part
/// without `Content-Disposition: form-data; name=...` or an unterminated body is an error.
pub fn parse_multipart(headers: &HeaderMap, body: &[u8]) -> Result<Vec<FormPart>, String> {
    let ct = headers
        .get("content-type")
        .and_then(|h| h.to_str().ok())
        .ok_or("no content type")?;
    if !ct.starts_with("multipart/form-data") {
        return Err(format!("expected multipart/form-data, got {ct}"));
    }
    let boundary = ct
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))
        .ok_or("no boundary")?
        .trim_matches('"');
    let delim = format!("--{boundary}");
    let mut parts = Vec::new();
    let mut pos = find(body, delim.as_bytes(), 0).ok_or("no first boundary")? + delim.len();
    loop {
        if body[pos..].starts_with(b"--") {
            return Ok(parts);
        }
        if !body[pos..].starts_with(b"\r\n") {
            return Err("no CRLF after a boundary".into());
        }
        pos += 2;
        let head_end = find(body, b"\r\n\r\n", pos).ok_or("unterminated part headers")?;
        let head = std::str::from_utf8(&body[pos..head_end]).map_err(|_| "headers not UTF-8")?;
        let next = find(body, format!("\r\n{delim}").as_bytes(), head_end + 4)
            .ok_or("unterminated part")?;
        let data = body[head_end + 4..next].to_vec();
        let mut name = None;
        let mut file_name = None;
        let mut content_type = None;
        for line in head.split("\r\n") {
            let (k, v) = line.split_once(':').ok_or("bad part header")?;
            match k.trim().to_ascii_lowercase().as_str() {
                "content-disposition" => {
                    if !v.trim().starts_with("form-data") {
                        return Err("part is not form-data".into());
                    }
                    for attr in v.split(';').skip(1) {
                        if let Some((ak, av)) = attr.trim().split_once('=') {
                            let av = av.trim_matches('"').to_owned();
                            match ak {
                                "name" => name = Some(av),
                                "filename" => file_name = Some(av),
                                _ => {}
                            }
                        }
                    }
                }
                "content-type" => content_type = Some(v.trim().to_owned()),
                _ => {}
            }
        }
        parts.push(FormPart {
            name: name.ok_or("part without a name")?,
            file_name,
            content_type,
            data,
        });
        pos = next + 2 + delim.len();
    }
}

fn text_field(parts: &[FormPart], name: &str) -> Option<String> {
    parts
        .iter()
        .find(|p| p.name == name && p.file_name.is_none())
        .and_then(|p| String::from_utf8(p.data.clone()).ok())
}

/// Decodes an image as the services do: the declared type must be what the bytes are.
fn decoded(data: &[u8], declared: Option<&str>, max: usize) -> Result<(String, u32, u32), String> {
    if data.len() > max {
        return Err(format!(
            "file too large: {} bytes, at most {max}",
            data.len()
        ));
    }
    let format = image::guess_format(data).map_err(|e| format!("unsupported file: {e}"))?;
    let mime = match format {
        image::ImageFormat::Png => "image/png",
        image::ImageFormat::Jpeg => "image/jpeg",
        image::ImageFormat::Gif => "image/gif",
        image::ImageFormat::WebP => "image/webp",
        other => return Err(format!("unsupported type {other:?}")),
    };
    if declared.is_some_and(|d| d != mime) {
        return Err(format!("declared {declared:?} but the bytes are {mime}"));
    }
    let img = image::load_from_memory(data).map_err(|e| format!("undecodable image: {e}"))?;
    Ok((mime.to_owned(), img.width(), img.height()))
}

fn add_media(state: &State, m: Media) -> Media {
    lock(&state.media).insert(m.id.clone(), m.clone());
    m
}

/// Media ids named by a post: each uploaded (and processed), none twice, at most `max`.
fn media_ids_ok(state: &State, ids: &Value, max: usize) -> Result<(), String> {
    let ids = ids.as_array().ok_or("media ids must be a list")?;
    if ids.len() > max {
        return Err(format!("at most {max} media"));
    }
    let media = lock(&state.media);
    let mut seen = Vec::new();
    for id in ids {
        let id = id.as_str().ok_or("a media id must be a string")?;
        let m = media.get(id).ok_or(format!("unknown media id {id}"))?;
        if m.pending_polls > 0 {
            return Err("Cannot attach files that have not finished processing".into());
        }
        if seen.contains(&id) {
            return Err(format!("media id {id} given twice"));
        }
        seen.push(id);
    }
    Ok(())
}

async fn x_media_upload(
    axum::extract::State(state): S,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !x_signed(&state, &method, &uri, &headers) {
        return unauthorized(&state);
    }
    let parts = match parse_multipart(&headers, &body) {
        Ok(p) => p,
        Err(why) => {
            return error(
                StatusCode::BAD_REQUEST,
                json!({"title": "Invalid Request", "detail": why}),
            )
        }
    };
    let Some(file) = parts.iter().find(|p| p.name == "media") else {
        return error(
            StatusCode::BAD_REQUEST,
            json!({"title": "Invalid Request", "detail": "media is required"}),
        );
    };
    if text_field(&parts, "media_category").as_deref() != Some("tweet_image") {
        return error(
            StatusCode::BAD_REQUEST,
            json!({"title": "Invalid Request", "detail": "media_category"}),
        );
    }
    match decoded(&file.data, file.content_type.as_deref(), 5 * 1024 * 1024) {
        Ok((mime, w, h)) => {
            let id = format!("{}", 7_000_000 + lock(&state.media).len());
            add_media(
                &state,
                Media {
                    id: id.clone(),
                    mime,
                    size: file.data.len(),
                    width: w,
                    height: h,
                    alt: None,
                    pending_polls: 0,
                },
            );
            axum::Json(json!({"data": {"id": id, "media_key": format!("3_{id}")}})).into_response()
        }
        Err(why) => error(
            StatusCode::BAD_REQUEST,
            json!({"title": "Invalid Request", "detail": why}),
        ),
    }
}

async fn x_media_metadata(
    axum::extract::State(state): S,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    if !x_signed(&state, &method, &uri, &headers) {
        return unauthorized(&state);
    }
    let id = body["id"].as_str().unwrap_or_default();
    let Some(alt) = body
        .pointer("/metadata/alt_text/text")
        .and_then(Value::as_str)
    else {
        return error(
            StatusCode::BAD_REQUEST,
            json!({"detail": "metadata.alt_text.text"}),
        );
    };
    if alt.chars().count() > 1000 {
        return error(
            StatusCode::BAD_REQUEST,
            json!({"detail": "alt text over 1000 characters"}),
        );
    }
    match lock(&state.media).get_mut(id) {
        Some(m) => {
            m.alt = Some(alt.to_owned());
            axum::Json(json!({"data": {"id": id, "associated_metadata": true}})).into_response()
        }
        None => error(
            StatusCode::BAD_REQUEST,
            json!({"detail": "unknown media id"}),
        ),
    }
}

async fn mastodon_media_upload(
    axum::extract::State(state): S,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if bearer(&headers) != Some(MASTODON_TOKEN) {
        return unauthorized(&state);
    }
    let parts = match parse_multipart(&headers, &body) {
        Ok(p) => p,
        Err(why) => return error(StatusCode::UNPROCESSABLE_ENTITY, json!({"error": why})),
    };
    let Some(file) = parts
        .iter()
        .find(|p| p.name == "file" && p.file_name.is_some())
    else {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"error": "file is missing"}),
        );
    };
    let alt = text_field(&parts, "description");
    if alt.as_ref().is_some_and(|a| a.chars().count() > 1500) {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"error": "Description is too long"}),
        );
    }
    match decoded(&file.data, file.content_type.as_deref(), 16 * 1024 * 1024) {
        Ok((mime, w, h)) => {
            let id = format!("{}", 9000 + lock(&state.media).len());
            // Like a real server, the first answer says "still processing" (202, no url).
            add_media(
                &state,
                Media {
                    id: id.clone(),
                    mime,
                    size: file.data.len(),
                    width: w,
                    height: h,
                    alt: alt.clone(),
                    pending_polls: 1,
                },
            );
            (
                StatusCode::ACCEPTED,
                axum::Json(json!({"id": id, "type": "image", "url": null, "description": alt})),
            )
                .into_response()
        }
        Err(why) => error(StatusCode::UNPROCESSABLE_ENTITY, json!({"error": why})),
    }
}

async fn mastodon_media_get(
    axum::extract::State(state): S,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Response {
    if bearer(&headers) != Some(MASTODON_TOKEN) {
        return unauthorized(&state);
    }
    let base = lock(&state.base).clone();
    let mut media = lock(&state.media);
    let Some(m) = media.get_mut(&id) else {
        return error(StatusCode::NOT_FOUND, json!({"error": "Record not found"}));
    };
    if m.pending_polls > 0 {
        m.pending_polls -= 1;
        return (
            StatusCode::PARTIAL_CONTENT,
            axum::Json(json!({"id": id, "type": "image", "url": null})),
        )
            .into_response();
    }
    axum::Json(json!({"id": id, "type": "image", "url": format!("{base}/media/{id}"), "description": m.alt}))
        .into_response()
}

async fn bsky_upload_blob(
    axum::extract::State(state): S,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !bsky_authed(&state, &headers) {
        return unauthorized(&state);
    }
    let declared = headers.get("content-type").and_then(|h| h.to_str().ok());
    match decoded(&body, declared, 1_000_000) {
        Ok((mime, w, h)) => {
            let cid = format!("bafkreiblob{}", lock(&state.media).len());
            add_media(
                &state,
                Media {
                    id: cid.clone(),
                    mime: mime.clone(),
                    size: body.len(),
                    width: w,
                    height: h,
                    alt: None,
                    pending_polls: 0,
                },
            );
            axum::Json(json!({"blob": {"$type": "blob", "ref": {"$link": cid}, "mimeType": mime, "size": body.len()}}))
                .into_response()
        }
        Err(why) => error(
            StatusCode::BAD_REQUEST,
            json!({"error": "BlobTooLarge", "message": why}),
        ),
    }
}

/// The images of a post's embed (`app.bsky.embed.images`, alone or as a recordWithMedia's
/// media).
fn record_images(embed: &Value) -> Option<&Vec<Value>> {
    let images = match embed["$type"].as_str() {
        Some("app.bsky.embed.images") => embed,
        Some("app.bsky.embed.recordWithMedia") => &embed["media"],
        _ => return None,
    };
    if images["$type"] != "app.bsky.embed.images" {
        return None;
    }
    images["images"].as_array()
}

fn bsky_images_ok(state: &State, images: &[Value]) -> Result<(), String> {
    if images.is_empty() || images.len() > 4 {
        return Err("1 to 4 images".into());
    }
    let media = lock(&state.media);
    for i in images {
        let link = i
            .pointer("/image/ref/$link")
            .and_then(Value::as_str)
            .ok_or("image blob ref")?;
        let m = media.get(link).ok_or(format!("unknown blob {link}"))?;
        if i.pointer("/image/mimeType").and_then(Value::as_str) != Some(m.mime.as_str()) {
            return Err("blob mimeType".into());
        }
        if !i["alt"].is_string() {
            return Err("alt is required (may be empty)".into());
        }
        let (w, h) = (
            i.pointer("/aspectRatio/width"),
            i.pointer("/aspectRatio/height"),
        );
        if w.and_then(Value::as_u64) != Some(u64::from(m.width))
            || h.and_then(Value::as_u64) != Some(u64::from(m.height))
        {
            return Err("aspectRatio differs from the image".into());
        }
    }
    Ok(())
}

/// A webhook message with files: `payload_json` plus `files[n]`, each named in
/// `attachments` by its `id`; what is stored is the payload with each attachment's decoded
/// type, size and dimensions.
fn webhook_multipart(headers: &HeaderMap, body: &[u8]) -> Result<Value, String> {
    let parts = parse_multipart(headers, body)?;
    let mut payload: Value =
        serde_json::from_str(&text_field(&parts, "payload_json").ok_or("payload_json missing")?)
            .map_err(|e| format!("payload_json: {e}"))?;
    let files: Vec<&FormPart> = parts
        .iter()
        .filter(|p| p.name.starts_with("files["))
        .collect();
    if files.len() > 10 {
        return Err("at most 10 files".into());
    }
    let attachments = payload["attachments"]
        .as_array_mut()
        .ok_or("attachments missing")?;
    if attachments.len() != files.len() {
        return Err("each file needs its attachment".into());
    }
    for a in attachments.iter_mut() {
        let id = a["id"].as_u64().ok_or("attachment id")?;
        let file = files
            .iter()
            .find(|f| f.name == format!("files[{id}]"))
            .ok_or(format!("no files[{id}]"))?;
        if a["description"]
            .as_str()
            .is_some_and(|d| d.chars().count() > 1024)
        {
            return Err("description over 1024".into());
        }
        let (mime, w, h) = decoded(&file.data, file.content_type.as_deref(), 25 * 1024 * 1024)?;
        a["content_type"] = json!(mime);
        a["size"] = json!(file.data.len());
        a["width"] = json!(w);
        a["height"] = json!(h);
    }
    Ok(payload)
}
