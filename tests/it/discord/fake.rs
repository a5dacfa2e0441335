//! A fake Discord on 127.0.0.1: REST (`/api/v10/...`) and the gateway (WebSocket) on one
//! port, owned by the test. It runs the gateway handshake (HELLO, IDENTIFY, READY, heartbeat
//! ACKs, clean close), pushes INTERACTION_CREATE dispatches, and records every REST request,
//! answering each with a valid minimal object.
//!
//! It is strict: every message, modal and autocomplete answer is checked against Discord's
//! documented limits ([`super::limits`]) and refused with a `400` in Discord's error shape
//! when real Discord would refuse it; an interaction answered twice is refused too (`40060`).
//! A test that meets a refused request fails (at the helper that finds it, or when the fake
//! is dropped), unless it said it expects refusals ([`FakeDiscord::allow_refusals`]).
//!
//! Every wait has a timeout: a test fails, it never hangs.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::ws::{CloseFrame, Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use tokio::sync::{mpsc, watch};

use super::fixtures::APP_ID;
use super::limits;

/// One REST request the bot made.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// Without the query string, e.g. `/api/v10/interactions/1/tok/callback`.
    pub path: String,
    /// The JSON body (`null` when none or not JSON).
    pub body: Value,
    /// When the fake received it.
    pub at: Instant,
    /// Discord's `400` body when the fake refused it (a limit broken), else `None`.
    pub refused: Option<Value>,
    /// The files of a multipart request (`files[n]`), in order.
    pub files: Vec<SentFile>,
}

/// A file the bot uploaded with a message.
#[derive(Debug, Clone)]
pub struct SentFile {
    /// `files[n]`.
    pub field: String,
    pub filename: String,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

impl Request {
    /// The text of an interaction's answer (`data.content`; empty when none).
    pub fn content(&self) -> &str {
        self.body["data"]["content"].as_str().unwrap_or("")
    }

    /// Whether this is the callback of interaction `id`.
    pub fn is_callback_of(&self, id: u64) -> bool {
        self.method == "POST"
            && self
                .path
                .starts_with(&format!("/api/v10/interactions/{id}/"))
            && self.path.ends_with("/callback")
    }
}

#[derive(Default)]
struct State_ {
    requests: Vec<(Request, bool)>,
    /// The current gateway session's outbox.
    session: Option<mpsc::UnboundedSender<Value>>,
    /// The token IDENTIFY carried.
    identify_token: Option<String>,
    identifies: usize,
    heartbeats: usize,
    /// The close code the client sent, when it closed.
    close_code: Option<u16>,
    /// The type of each interaction pushed, by id (what its callback may be).
    interactions: HashMap<u64, u64>,
    /// The interactions already answered (a second callback is refused).
    answered: HashSet<u64>,
    /// Refused requests don't fail the test.
    allow_refusals: bool,
    /// Files members attached, served at `/attachments/{name}` like Discord's CDN.
    hosted: HashMap<String, Vec<u8>>,
}

struct Inner {
    addr: SocketAddr,
    state: Mutex<State_>,
    /// Bumped on every change worth waiting for.
    changed: watch::Sender<u64>,
}

impl Inner {
    fn lock(&self) -> std::sync::MutexGuard<'_, State_> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
    fn bump(&self) {
        self.changed.send_modify(|n| *n += 1);
    }
}

/// The fake Discord. Dropping it stops the server.
pub struct FakeDiscord {
    inner: Arc<Inner>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        self.server.abort();
        let s = self.inner.lock();
        if s.allow_refusals || std::thread::panicking() {
            return;
        }
        if let Some((r, _)) = s.requests.iter().find(|(r, _)| r.refused.is_some()) {
            panic!(
                "real Discord would have refused {} {}: {:#}\nbody: {:#}",
                r.method,
                r.path,
                r.refused.as_ref().unwrap_or(&Value::Null),
                r.body
            );
        }
    }
}

impl FakeDiscord {
    /// Start on 127.0.0.1, a free port.
    pub async fn start() -> FakeDiscord {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let (changed, _) = watch::channel(0);
        let inner = Arc::new(Inner {
            addr,
            state: Mutex::new(State_::default()),
            changed,
        });
        let app = Router::new()
            .route("/api/v10/gateway", get(gateway_url))
            .route("/api/v10/gateway/bot", get(gateway_url))
            .route("/gateway", get(gateway))
            .route("/attachments/{name}", get(attachment))
            .fallback(rest)
            .with_state(inner.clone());
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeDiscord { inner, server }
    }

    /// Hosts a member's attachment on the fake CDN; its URL.
    pub fn host(&self, name: &str, bytes: Vec<u8>) -> String {
        self.inner.lock().hosted.insert(name.to_owned(), bytes);
        format!("http://{}/attachments/{name}", self.inner.addr)
    }

    /// What `DISCORD_API_URL` should be.
    pub fn api_url(&self) -> String {
        format!("http://{}", self.inner.addr)
    }

    /// Wait until `done` holds of the state, or the timeout.
    async fn wait<T>(
        &self,
        timeout: Duration,
        mut done: impl FnMut(&mut State_) -> Option<T>,
    ) -> Option<T> {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut rx = self.inner.changed.subscribe();
        loop {
            if let Some(t) = done(&mut self.inner.lock()) {
                return Some(t);
            }
            match tokio::time::timeout_at(deadline, rx.changed()).await {
                Ok(Ok(())) => {}
                _ => return done(&mut self.inner.lock()),
            }
        }
    }

    /// Wait until a gateway session has identified and got READY.
    pub async fn wait_ready(&self, timeout: Duration) -> Result<(), String> {
        self.wait(timeout, |s| s.session.is_some().then_some(()))
            .await
            .ok_or_else(|| format!("no gateway session identified within {timeout:?}"))
    }

    /// The token IDENTIFY carried (with its `Bot ` prefix).
    pub fn identify_token(&self) -> Option<String> {
        self.inner.lock().identify_token.clone()
    }

    /// How many times the client identified (more than one: it reconnected).
    pub fn identifies(&self) -> usize {
        self.inner.lock().identifies
    }

    /// Push an INTERACTION_CREATE dispatch; returns when it was handed to the connection.
    pub fn send_interaction(&self, d: Value) -> Result<Instant, String> {
        self.dispatch("INTERACTION_CREATE", d)
    }

    /// Push any dispatch event.
    pub fn dispatch(&self, event: &str, d: Value) -> Result<Instant, String> {
        let mut s = self.inner.lock();
        if event == "INTERACTION_CREATE" {
            if let (Some(id), Some(kind)) = (
                d["id"].as_str().and_then(|i| i.parse().ok()),
                d["type"].as_u64(),
            ) {
                s.interactions.insert(id, kind);
            }
        }
        let tx = s.session.as_ref().ok_or("no gateway session")?;
        let at = Instant::now();
        tx.send(json!({"t": event, "d": d}))
            .map_err(|_| "the gateway session is gone".to_string())?;
        Ok(at)
    }

    /// Refused requests are expected: they don't fail the test (it checks them itself).
    pub fn allow_refusals(&self) {
        self.inner.lock().allow_refusals = true;
    }

    /// The first recorded request matching `pred` not taken yet, waiting up to `timeout`.
    /// Panics when the fake refused it (real Discord would have), unless refusals are allowed.
    pub async fn next_request(
        &self,
        pred: impl Fn(&Request) -> bool,
        timeout: Duration,
    ) -> Option<Request> {
        let (r, allowed) = self
            .wait(timeout, |s| {
                let allowed = s.allow_refusals;
                let (r, taken) = s.requests.iter_mut().find(|(r, t)| !*t && pred(r))?;
                *taken = true;
                Some((r.clone(), allowed))
            })
            .await?;
        if let (Some(e), false) = (&r.refused, allowed) {
            panic!(
                "real Discord would have refused {} {}: {e:#}\nbody: {:#}",
                r.method, r.path, r.body
            );
        }
        Some(r)
    }

    /// The callback of interaction `id`.
    pub async fn callback_of(&self, id: u64, timeout: Duration) -> Option<Request> {
        self.next_request(|r| r.is_callback_of(id), timeout).await
    }

    /// The next message posted to `channel` over REST (a card).
    pub async fn message_posted_to(&self, channel: u64, timeout: Duration) -> Option<Request> {
        let path = format!("/channels/{channel}/messages");
        self.next_request(|r| r.method == "POST" && r.path.ends_with(&path), timeout)
            .await
    }

    /// The next edit, over REST, of the answer to the interaction with `token`.
    pub async fn original_edited(&self, token: &str, timeout: Duration) -> Option<Request> {
        let path = format!("/api/v10/webhooks/{APP_ID}/{token}/messages/@original");
        self.next_request(|r| r.method == "PATCH" && r.path == path, timeout)
            .await
    }

    /// The next follow-up message to the interaction with `token`.
    pub async fn followed_up(&self, token: &str, timeout: Duration) -> Option<Request> {
        let path = format!("/api/v10/webhooks/{APP_ID}/{token}");
        self.next_request(|r| r.method == "POST" && r.path == path, timeout)
            .await
    }

    /// Every request recorded so far.
    pub fn requests(&self) -> Vec<Request> {
        self.inner
            .lock()
            .requests
            .iter()
            .map(|(r, _)| r.clone())
            .collect()
    }

    /// Wait for the client to close the gateway connection; its close code.
    pub async fn wait_closed(&self, timeout: Duration) -> Option<u16> {
        self.wait(timeout, |s| s.close_code).await
    }
}

async fn gateway_url(State(f): State<Arc<Inner>>) -> Json<Value> {
    Json(json!({
        "url": format!("ws://{}/gateway", f.addr),
        "shards": 1,
        "session_start_limit": {"total": 1000, "remaining": 1000, "reset_after": 0,
                                "max_concurrency": 1}
    }))
}

async fn gateway(State(f): State<Arc<Inner>>, up: WebSocketUpgrade) -> Response {
    up.on_upgrade(move |socket| session(f, socket))
}

async fn send(socket: &mut WebSocket, v: Value) -> bool {
    socket
        .send(WsMessage::Text(v.to_string().into()))
        .await
        .is_ok()
}

/// One gateway connection: HELLO, then IDENTIFY → READY, heartbeats → ACKs, dispatches out,
/// and a clean close.
async fn session(f: Arc<Inner>, mut socket: WebSocket) {
    if !send(
        &mut socket,
        json!({"op": 10, "d": {"heartbeat_interval": 41250}, "s": null, "t": null}),
    )
    .await
    {
        return;
    }
    let (tx, mut rx) = mpsc::unbounded_channel::<Value>();
    let mut seq = 0u64;
    loop {
        tokio::select! {
            frame = socket.recv() => match frame {
                Some(Ok(WsMessage::Text(t))) => {
                    let v: Value = serde_json::from_str(t.as_str()).unwrap_or(Value::Null);
                    match v["op"].as_u64() {
                        Some(2) => {
                            seq += 1;
                            let ready = json!({"op": 0, "s": seq, "t": "READY", "d": {
                                "v": 10,
                                "user": {"id": APP_ID.to_string(), "username": "tweetguard",
                                         "bot": true},
                                "guilds": [],
                                "session_id": "fake-session",
                                "resume_gateway_url": format!("ws://{}/gateway", f.addr),
                                "application": {"id": APP_ID.to_string(), "flags": 0}
                            }});
                            if !send(&mut socket, ready).await {
                                break;
                            }
                            {
                                let mut s = f.lock();
                                s.identify_token = v["d"]["token"].as_str().map(str::to_string);
                                s.identifies += 1;
                                s.session = Some(tx.clone());
                            }
                            f.bump();
                        }
                        Some(1) => {
                            f.lock().heartbeats += 1;
                            if !send(&mut socket, json!({"op": 11, "d": null, "s": null, "t": null})).await {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                Some(Ok(WsMessage::Close(frame))) => {
                    let code = frame.as_ref().map_or(1005, |c| c.code);
                    let _ = socket
                        .send(WsMessage::Close(Some(CloseFrame { code, reason: "".into() })))
                        .await;
                    {
                        let mut s = f.lock();
                        s.close_code = Some(code);
                        s.session = None;
                    }
                    f.bump();
                    break;
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => {
                    f.lock().session = None;
                    f.bump();
                    break;
                }
            },
            Some(mut event) = rx.recv() => {
                seq += 1;
                event["op"] = json!(0);
                event["s"] = json!(seq);
                if !send(&mut socket, event).await {
                    break;
                }
            }
        }
    }
}

/// The direct-message channel the fake opens with any member.
pub const DM_CHANNEL_ID: u64 = 940_000_000_000_000_001;

/// A minimal Message object, as Discord answers message creations and edits.
pub fn message_object(id: u64, channel_id: u64, content: &str) -> Value {
    json!({
        "id": id.to_string(), "channel_id": channel_id.to_string(),
        "author": {"id": APP_ID.to_string(), "username": "tweetguard", "bot": true},
        "content": content, "timestamp": "2026-01-01T00:00:00.000000+00:00",
        "edited_timestamp": null, "tts": false, "mention_everyone": false, "mentions": [],
        "mention_roles": [], "attachments": [], "embeds": [], "pinned": false, "type": 0
    })
}

async fn attachment(
    State(f): State<Arc<Inner>>,
    axum::extract::Path(name): axum::extract::Path<String>,
) -> Response {
    match f.lock().hosted.get(&name) {
        Some(bytes) => bytes.clone().into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// A multipart message (`payload_json` and `files[n]`), as Discord reads it: the payload as
/// the body, the files apart; each file must be named by an `attachments` entry (same `id`),
/// with a description of at most 1,024 characters.
fn multipart_message(
    headers: &axum::http::HeaderMap,
    raw: &[u8],
) -> (Value, Vec<SentFile>, Option<Value>) {
    let parts = match crate::publish::fakes::parse_multipart(headers, raw) {
        Ok(p) => p,
        Err(why) => {
            return (
                Value::Null,
                Vec::new(),
                Some(json!({"code": 50109, "message": why})),
            )
        }
    };
    let payload = parts
        .iter()
        .find(|p| p.name == "payload_json")
        .and_then(|p| serde_json::from_slice::<Value>(&p.data).ok())
        .unwrap_or(Value::Null);
    let files: Vec<SentFile> = parts
        .iter()
        .filter(|p| p.name.starts_with("files["))
        .map(|p| SentFile {
            field: p.name.clone(),
            filename: p.file_name.clone().unwrap_or_default(),
            content_type: p.content_type.clone(),
            bytes: p.data.clone(),
        })
        .collect();
    let attachments = payload["attachments"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut refused = None;
    if files.len() > 10 || attachments.len() != files.len() {
        refused = Some(json!({"code": 50035, "message": "Invalid Form Body",
                              "errors": {"attachments": "each file needs its attachment entry"}}));
    }
    for a in &attachments {
        let named = a["id"]
            .as_u64()
            .is_some_and(|id| files.iter().any(|f| f.field == format!("files[{id}]")));
        let desc_ok = a["description"]
            .as_str()
            .is_none_or(|d| d.chars().count() <= 1024);
        if !named || !desc_ok {
            refused = Some(json!({"code": 50035, "message": "Invalid Form Body",
                                  "errors": {"attachments": a}}));
        }
    }
    (payload, files, refused)
}

/// Every REST call: recorded, then answered like Discord would, minimally.
async fn rest(
    State(f): State<Arc<Inner>>,
    method: Method,
    uri: Uri,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_string();
    let is_multipart = headers
        .get("content-type")
        .and_then(|h| h.to_str().ok())
        .is_some_and(|c| c.starts_with("multipart/form-data"));
    let (body, files, form_refused) = if is_multipart {
        multipart_message(&headers, &body)
    } else {
        (
            serde_json::from_slice(&body).unwrap_or(Value::Null),
            Vec::new(),
            None,
        )
    };
    let segments: Vec<&str> = path.trim_start_matches("/api/v10/").split('/').collect();
    let content = body["content"].as_str().unwrap_or("").to_string();
    let refused = form_refused
        .or_else(|| judge(&f, method.as_str(), &segments, &body))
        .or_else(|| limits::files(&files, &body).err());
    let answer = match (method.as_str(), segments.as_slice()) {
        _ if refused.is_some() => (
            StatusCode::BAD_REQUEST,
            Json(refused.clone().unwrap_or(Value::Null)),
        )
            .into_response(),
        ("POST", ["interactions", _, _, "callback"]) => StatusCode::NO_CONTENT.into_response(),
        (_, ["webhooks", _, _, "messages", _]) | ("POST", ["webhooks", _, _]) => {
            Json(message_object(7001, 6001, &content)).into_response()
        }
        ("POST", ["users", "@me", "channels"]) => {
            let user = body["recipient_id"].as_str().unwrap_or("1").to_string();
            Json(json!({
                "id": DM_CHANNEL_ID.to_string(), "type": 1, "last_message_id": null,
                "recipients": [{"id": user, "username": "member", "discriminator": "0"}]
            }))
            .into_response()
        }
        ("POST", ["channels", ch, "messages"]) | ("PATCH", ["channels", ch, "messages", _]) => {
            let ch = ch.parse().unwrap_or(1);
            Json(message_object(7002, ch, &content)).into_response()
        }
        ("PUT", ["applications", app, "commands"])
        | ("PUT", ["applications", app, "guilds", _, "commands"]) => {
            let list: Vec<Value> = body
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    json!({"id": (8000 + i).to_string(), "application_id": app,
                           "version": "1", "type": c["type"].as_u64().unwrap_or(1),
                           "name": c["name"], "description": c["description"].as_str().unwrap_or("")})
                })
                .collect();
            Json(Value::Array(list)).into_response()
        }
        ("GET", ["oauth2", "applications", "@me"]) => Json(json!({
            "id": APP_ID.to_string(), "name": "tweetguard", "icon": null, "description": "",
            "bot_public": false, "bot_require_code_grant": false, "owner": null,
            "verify_key": "00", "team": null
        }))
        .into_response(),
        ("GET", ["users", "@me"]) => {
            Json(json!({"id": APP_ID.to_string(), "username": "tweetguard", "bot": true}))
                .into_response()
        }
        _ => (
            StatusCode::NOT_FOUND,
            Json(json!({"message": "404: Not Found", "code": 0})),
        )
            .into_response(),
    };
    f.lock().requests.push((
        Request {
            method: method.to_string(),
            path,
            body,
            at: Instant::now(),
            refused,
            files,
        },
        false,
    ));
    f.bump();
    answer
}

/// What real Discord would say of this request: `None` when it takes it, else its `400` body.
fn judge(f: &Inner, method: &str, segments: &[&str], body: &Value) -> Option<Value> {
    match (method, segments) {
        ("POST", ["interactions", id, _, "callback"]) => {
            let id: u64 = id.parse().unwrap_or(0);
            let mut s = f.lock();
            if !s.answered.insert(id) {
                return Some(json!({"code": 40060,
                                   "message": "Interaction has already been acknowledged."}));
            }
            let kind = s.interactions.get(&id).copied();
            drop(s);
            limits::check_callback(body, kind).err()
        }
        ("POST" | "PATCH", ["webhooks", _, _, "messages", _])
        | ("POST", ["webhooks", _, _])
        | ("POST", ["channels", _, "messages"])
        | ("PATCH", ["channels", _, "messages", _]) => limits::check_message(body).err(),
        _ => None,
    }
}
