//! The HTTP interactions transport: Discord POSTs each interaction to `POST /interactions`
//! (the "Interactions Endpoint URL" of the application), signed with Ed25519; the answer is
//! the HTTP response body. Nothing is processed unless the request is authentic and fresh:
//!
//! - missing or bad signature headers, or a signature that does not verify: 401;
//! - a timestamp more than [`MAX_SKEW`] away from now (a replay): 401;
//! - a body over [`MAX_BODY`]: 413; one not received within [`BODY_TIMEOUT`]: 408;
//! - a body that is not an interaction: 400.
//!
//! A PING gets a PONG; everything else goes through the same [`Dispatcher`] (and so the same
//! router) as the gateway. A slow answer is deferred in the HTTP response and follows over
//! REST, which is why this transport still needs the bot token.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response as HttpResponse};
use axum::routing::post;
use axum::Json;
use serenity::http::Http;
use serenity::interactions_endpoint::Verifier;
use serenity::model::application::Interaction;
use serenity::model::id::ApplicationId;
use tokio::sync::oneshot;

use super::dispatch::Dispatcher;
use super::response::Response;
use super::router::{Invocation, NotAnInvocation};

/// The largest request body taken. Real interactions are far smaller, but not tiny: a message
/// context-menu command carries the whole target message (4,000 characters of content and up
/// to 10 embeds of 6,000 characters, up to 4 bytes each in UTF-8, JSON-escaped) and a modal up
/// to five 4,000-character inputs, so a few hundred KiB must pass; 1 MiB bounds the rest.
pub const MAX_BODY: usize = 1024 * 1024;

/// How long a request's body may take to arrive (Discord sends it at once): a client that
/// stops mid-body gets 408 and the connection closes.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(5);

/// How far a request's `X-Signature-Timestamp` may be from now.
pub const MAX_SKEW: Duration = Duration::from_secs(5 * 60);

const SIGNATURE: &str = "x-signature-ed25519";
const TIMESTAMP: &str = "x-signature-timestamp";

/// `DISCORD_PUBLIC_KEY` is not a usable Ed25519 public key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid DISCORD_PUBLIC_KEY: {0} (expected the application's public key, 64 hex digits: \
     Developer Portal → Applications → your application → General Information → Public Key)"
)]
pub struct PublicKeyError(&'static str);

/// The verifier for a hex public key (as the Developer Portal shows it).
pub fn verifier(public_key: &str) -> Result<Verifier, PublicKeyError> {
    let hex = public_key.trim();
    if hex.len() != 64 {
        return Err(PublicKeyError("not 64 hex digits"));
    }
    let mut key = [0u8; 32];
    for (i, pair) in hex.as_bytes().chunks(2).enumerate() {
        let digits = std::str::from_utf8(pair).map_err(|_| PublicKeyError("not hex"))?;
        key[i] = u8::from_str_radix(digits, 16).map_err(|_| PublicKeyError("not hex"))?;
    }
    Verifier::try_new(key).map_err(|_| PublicKeyError("not a valid Ed25519 point"))
}

/// What `POST /interactions` needs.
#[derive(Clone)]
pub struct Endpoint {
    pub dispatcher: Arc<Dispatcher>,
    /// REST, for answers that follow a deferral and for messages the handlers post.
    pub http: Arc<Http>,
    pub verifier: Verifier,
}

/// The interactions endpoint: `POST /interactions`.
pub fn app(endpoint: Endpoint) -> axum::Router {
    axum::Router::new()
        .route("/interactions", post(interactions))
        .with_state(endpoint)
}

/// Why the first answer could not be sent.
#[derive(Debug, thiserror::Error)]
enum SendError {
    #[error("Discord: {0}")]
    Discord(#[from] Box<serenity::Error>),
    #[error("the request went away before its answer")]
    Gone,
}

impl From<serenity::Error> for SendError {
    fn from(e: serenity::Error) -> Self {
        SendError::Discord(Box::new(e))
    }
}

fn reject(e: &Endpoint, status: StatusCode, reason: &'static str) -> HttpResponse {
    e.dispatcher.router.metrics.rejected(reason);
    tracing::info!(%status, reason, "interaction request refused");
    (status, format!("{reason}\n")).into_response()
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

async fn interactions(State(e): State<Endpoint>, headers: HeaderMap, body: Body) -> HttpResponse {
    let started = std::time::Instant::now();
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return reject(&e, StatusCode::PAYLOAD_TOO_LARGE, "too_large");
    }
    let body: Bytes =
        match tokio::time::timeout(BODY_TIMEOUT, axum::body::to_bytes(body, MAX_BODY)).await {
            Ok(Ok(b)) => b,
            Ok(Err(_)) => return reject(&e, StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            Err(_) => {
                let mut r = reject(&e, StatusCode::REQUEST_TIMEOUT, "timeout");
                r.headers_mut().insert(
                    header::CONNECTION,
                    header::HeaderValue::from_static("close"),
                );
                return r;
            }
        };
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let (Some(signature), Some(timestamp)) = (header(SIGNATURE), header(TIMESTAMP)) else {
        return reject(&e, StatusCode::UNAUTHORIZED, "signature");
    };
    if e.verifier.verify(signature, timestamp, &body).is_err() {
        return reject(&e, StatusCode::UNAUTHORIZED, "signature");
    }
    let fresh = timestamp
        .trim()
        .parse::<i64>()
        .is_ok_and(|t| now_secs().abs_diff(t) <= MAX_SKEW.as_secs());
    if !fresh {
        return reject(&e, StatusCode::UNAUTHORIZED, "timestamp");
    }
    let interaction: Interaction = match serde_json::from_slice(&body) {
        Ok(i) => i,
        Err(_) => return reject(&e, StatusCode::BAD_REQUEST, "invalid_json"),
    };
    if let Interaction::Ping(_) = &interaction {
        let micros = started.elapsed().as_micros() as u64;
        e.dispatcher
            .router
            .metrics
            .interaction("ping", "answered", micros);
        return Json(serde_json::json!({"type": 1})).into_response();
    }
    let inv = match Invocation::from_interaction(&interaction) {
        Ok(inv) => inv,
        Err(NotAnInvocation::Other) => return reject(&e, StatusCode::BAD_REQUEST, "invalid_json"),
        Err(NotAnInvocation::NoUser) => return reject(&e, StatusCode::BAD_REQUEST, "no_user"),
    };
    answer(e, inv).await
}

/// Hand `inv` to the dispatcher in a task of its own (a deferred answer's follow-up outlives
/// this request) and return the first answer it gives.
async fn answer(e: Endpoint, inv: Invocation) -> HttpResponse {
    if e.http.application_id().is_none() {
        if let Some(app) = std::num::NonZeroU64::new(inv.application_id) {
            e.http.set_application_id(ApplicationId::from(app));
        }
    }
    let (tx, rx) = oneshot::channel();
    let guard = e.dispatcher.enter();
    let (dispatcher, http) = (e.dispatcher.clone(), e.http.clone());
    let task = tokio::spawn(async move {
        let _guard = guard;
        let _ = dispatcher
            .dispatch(&http, &inv, |r| async move {
                tx.send(r).map_err(|_| SendError::Gone)
            })
            .await;
    });
    match rx.await {
        Ok(r) => {
            // The answer itself: the task is only recording it (metrics, logs); wait, so
            // that what `/metrics` says includes every answered request. A deferral returns
            // at once: the answer follows over REST.
            if !matches!(r, Response::Defer { .. } | Response::DeferUpdate) {
                let _ = task.await;
            }
            Json(r).into_response()
        }
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "no answer\n").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_malformed_key_is_an_error_not_a_panic() {
        for bad in ["", "abc", &"zz".repeat(32), &"00".repeat(33)] {
            assert!(verifier(bad).is_err(), "{bad}");
        }
        let msg = PublicKeyError("x").to_string();
        assert!(msg.contains("DISCORD_PUBLIC_KEY") && msg.contains("Public Key"));
    }
}
