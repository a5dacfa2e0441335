//! One interaction, from its arrival to its answer, whichever transport brought it: the one
//! place that opens the interaction's span, asks the [`Router`], keeps Discord's 3-second
//! deadline (a slow answer is deferred, then follows over REST), counts it in the metrics and
//! in the in-flight set that shutdown waits for.
//!
//! The transports differ only in how the first answer (the "callback") leaves: the gateway
//! POSTs it to `/interactions/{id}/{token}/callback`, the HTTP endpoint returns it as the
//! response body. Each passes that as the `callback` closure.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use serenity::all::InteractionId;
use serenity::http::Http;
use tracing::Instrument;

use super::embeds::notice;
use super::inflight::{InFlight, InFlightGuard};
use super::response::{Response, EPHEMERAL};
use super::router::{Action, Invocation, Router};
use super::{cards, handlers};

/// Discord drops an interaction not acknowledged within 3 s; past this, acknowledge first.
pub const DEFER_AFTER: Duration = Duration::from_millis(2000);

/// How an interaction was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answered {
    /// The answer itself was the callback.
    AtOnce,
    /// A deferred callback ("thinking…", ephemeral) went first, then the answer replaced it
    /// (`PATCH …/messages/@original`).
    Deferred,
    /// The answer took too long for an interaction that can't be deferred (autocomplete, a
    /// button whose answer is a form): a quick answer went instead (no choices, a form
    /// without its prefilled text) and the slow one was dropped.
    Fallback,
}

/// Hands interactions to the router and tracks them. Share one per process.
#[derive(Debug, Clone)]
pub struct Dispatcher {
    pub router: Arc<Router>,
    pub in_flight: InFlight,
    /// Past this, a slow answer is deferred ([`DEFER_AFTER`]; shorter in tests).
    pub defer_after: Duration,
}

impl Dispatcher {
    pub fn new(router: Arc<Router>) -> Dispatcher {
        Dispatcher {
            router,
            in_flight: InFlight::new(),
            defer_after: DEFER_AFTER,
        }
    }

    /// Count one interaction in flight from now (before the transport spawns its handling).
    pub fn enter(&self) -> InFlightGuard {
        self.in_flight.enter()
    }

    /// Answer `inv`: the router's response goes through `callback` (within
    /// [`Self::defer_after`], else a deferral does and the answer follows over `http`).
    /// Logged in an `interaction` span and counted in the metrics, by kind and outcome.
    pub async fn dispatch<E, C, F>(
        &self,
        http: &Arc<Http>,
        inv: &Invocation,
        callback: C,
    ) -> Result<Answered, E>
    where
        E: From<serenity::Error> + std::fmt::Display,
        C: FnOnce(Response) -> F,
        F: Future<Output = Result<(), E>>,
    {
        let span = tracing::info_span!(
            "interaction",
            id = inv.id,
            kind = inv.kind(),
            command = inv.name(),
            guild = inv.guild_id,
            user = inv.user_id,
            locale = %inv.locale,
        );
        async {
            let metrics = &self.router.metrics;
            let started = Instant::now();
            metrics.in_flight(1);
            let on_message = match &inv.action {
                Action::Component { .. } => true,
                Action::Modal { custom_id, .. } => custom_id.starts_with(cards::PREFIX),
                _ => false,
            };
            let sent = respond_within(
                http,
                &inv.token,
                on_message,
                self.once(inv, http),
                self.defer_after,
                Router::instant_answer(inv),
                callback,
            )
            .await;
            let micros = started.elapsed().as_micros() as u64;
            metrics.in_flight(-1);
            let outcome = match &sent {
                Ok(Answered::AtOnce) => {
                    tracing::info!(micros, "answered");
                    "answered"
                }
                Ok(Answered::Deferred) => {
                    tracing::info!(micros, deferred = true, "answered");
                    "deferred"
                }
                Ok(Answered::Fallback) => {
                    tracing::warn!(micros, "too slow to answer in full: a quick answer went");
                    "fallback"
                }
                Err(e) => {
                    tracing::warn!(micros, error = %e, "could not answer");
                    metrics.failure();
                    "failed"
                }
            };
            metrics.interaction(inv.kind(), outcome, micros);
            sent
        }
        .instrument(span)
        .await
    }
}

impl Dispatcher {
    /// The router's answer, once per interaction id: an interaction that may change something
    /// ([`claims_its_id`]) first claims its id in the store, so a repeat (the same HTTP request
    /// replayed, re-signed, or an event delivered twice, to this process or another on the
    /// same database) gets a private "already handled" and changes nothing. Inside the
    /// deferral's clock: a slow claim is deferred like a slow answer.
    async fn once(&self, inv: &Invocation, http: &Arc<Http>) -> Response {
        if let (Some(store), true) = (self.router.store.as_deref(), claims_its_id(inv)) {
            let lang = inv.language();
            match store.claim_interaction(inv.id, Utc::now()).await {
                Ok(true) => {}
                Ok(false) => {
                    tracing::info!("a repeat of an interaction already handled: nothing done");
                    self.router.metrics.rejected("replay");
                    return Response::Message(notice("interaction.repeat", lang, &[]));
                }
                Err(e) => {
                    tracing::warn!(error = %e, "could not record the interaction: nothing done");
                    self.router.metrics.failure();
                    return Response::private(e.message(lang));
                }
            }
        }
        self.router.handle(inv, Some(http)).await
    }
}

/// Whether an interaction may change something (a proposal, a vote, a setting) and so must
/// claim its id before it is handled. The others answer the same whenever they are repeated
/// and skip the database write: autocomplete (every keystroke), the quick review and the
/// guidelines (promised without a database round trip), `/queue` and `/proposal` (reads),
/// and what only opens a form (`/submit` without its text, a card's reason or Edit button),
/// whose answer must be the form at once even on a slow database; the form's submission is
/// an interaction of its own, claimed.
pub fn claims_its_id(inv: &Invocation) -> bool {
    match &inv.action {
        // "Propose as tweet" stores a proposal when nothing is missing.
        Action::MessageMenu { name, .. } => name == handlers::images::MESSAGE_MENU,
        Action::Autocomplete { .. } | Action::UserMenu { .. } => false,
        Action::Slash { name, .. } => match name.as_str() {
            handlers::review::SLASH
            | handlers::stats::SLASH
            | handlers::guidelines::SLASH
            | handlers::queue::QUEUE
            | handlers::queue::PROPOSAL => false,
            handlers::submit::SLASH => inv
                .string_option("text")
                .is_some_and(|t| !t.trim().is_empty()),
            _ => true,
        },
        Action::Component { custom_id, .. } => !handlers::card::opens_form(custom_id),
        Action::Modal { .. } => true,
    }
}

/// Send `response` as the callback of interaction `id`, within Discord's 3 seconds: when it
/// takes longer than `defer_after` (a slow database, say), acknowledge with a deferred
/// ephemeral response first and edit the original message with the answer when it comes.
/// `http` needs the application id (set from READY) for the edit.
pub async fn respond(
    http: &Http,
    id: InteractionId,
    token: &str,
    response: impl Future<Output = Response>,
    defer_after: Duration,
) -> Result<Answered, serenity::Error> {
    respond_to(http, id, token, false, response, defer_after).await
}

/// [`respond`], for an interaction on a message the bot sent (a card's button, or a form one
/// opened) when `on_message`: a slow answer is then deferred as an update (type 6), and the
/// answer edits the card (`@original`) or, for a refusal, comes as an ephemeral follow-up.
pub async fn respond_to(
    http: &Http,
    id: InteractionId,
    token: &str,
    on_message: bool,
    response: impl Future<Output = Response>,
    defer_after: Duration,
) -> Result<Answered, serenity::Error> {
    respond_with(
        http,
        token,
        on_message,
        response,
        defer_after,
        |r| async move {
            http.create_interaction_response(id, token, &r, vec![])
                .await
        },
    )
    .await
}

/// [`respond_to`] with the callback sent by `callback` (a REST call for the gateway, the HTTP
/// response body for the interactions endpoint); follow-ups after a deferral go over `http`.
pub async fn respond_with<E, C, F>(
    http: &Http,
    token: &str,
    on_message: bool,
    response: impl Future<Output = Response>,
    defer_after: Duration,
    callback: C,
) -> Result<Answered, E>
where
    E: From<serenity::Error>,
    C: FnOnce(Response) -> F,
    F: Future<Output = Result<(), E>>,
{
    respond_within(
        http,
        token,
        on_message,
        response,
        defer_after,
        None,
        callback,
    )
    .await
}

/// [`respond_with`], where `fallback` (when given) is the answer for an interaction that can't
/// be deferred: past `defer_after` it goes as the callback and the slow answer is dropped.
/// Discord takes only type 8 for an autocomplete, and a form (type 9) only as the first
/// answer: deferring either loses it.
pub async fn respond_within<E, C, F>(
    http: &Http,
    token: &str,
    on_message: bool,
    response: impl Future<Output = Response>,
    defer_after: Duration,
    fallback: Option<Response>,
    callback: C,
) -> Result<Answered, E>
where
    E: From<serenity::Error>,
    C: FnOnce(Response) -> F,
    F: Future<Output = Result<(), E>>,
{
    tokio::pin!(response);
    let ready = tokio::select! {
        r = &mut response => Some(r),
        () = tokio::time::sleep(defer_after) => None,
    };
    // A message with files (a chart) can't be an HTTP response body: it is deferred, then
    // sent as a multipart edit, whichever transport brought the interaction.
    let ready = match ready {
        Some(Response::Message(msg)) if !msg.files.is_empty() && !on_message => {
            let ephemeral = msg.flags & EPHEMERAL != 0;
            callback(Response::Defer { ephemeral }).await?;
            let mut msg = msg;
            msg.flags &= !EPHEMERAL;
            http.edit_original_interaction_response(token, &msg, msg.uploads())
                .await?;
            return Ok(Answered::Deferred);
        }
        other => other,
    };
    if let Some(r) = ready {
        callback(r).await?;
        return Ok(Answered::AtOnce);
    }
    if let Some(quick) = fallback {
        callback(quick).await?;
        return Ok(Answered::Fallback);
    }
    if on_message {
        callback(Response::DeferUpdate).await?;
        match response.await {
            Response::UpdateMessage(msg) => {
                http.edit_original_interaction_response(token, &msg, vec![])
                    .await?;
            }
            Response::Message(msg) => {
                http.create_followup_message(token, &msg, vec![]).await?;
            }
            other => tracing::warn!(kind = other.kind(), "this answer can't follow a deferral"),
        }
        return Ok(Answered::Deferred);
    }
    callback(Response::Defer { ephemeral: true }).await?;
    let (Response::Message(mut msg) | Response::UpdateMessage(mut msg)) = response.await else {
        return Ok(Answered::Deferred);
    };
    // Visibility was settled by the deferral; an edit may not set the ephemeral flag.
    msg.flags &= !EPHEMERAL;
    http.edit_original_interaction_response(token, &msg, msg.uploads())
        .await?;
    Ok(Answered::Deferred)
}
