//! The gateway transport: serenity's client, connected to Discord (or to `DISCORD_API_URL`,
//! an HTTP proxy that does the rate limiting, or a fake Discord in tests), handing every
//! interaction to the [`Router`].

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serenity::all::{Context, EventHandler, GatewayIntents, Interaction, InteractionId, Ready};
use serenity::builder::CreateAllowedMentions;
use serenity::http::{Http, HttpBuilder};
use serenity::Client;
use tracing::Instrument;

use super::cards;
use super::response::{Response, EPHEMERAL};
use super::router::{Action, Invocation, Router};
use super::{DiscordError, Token};

/// How to reach Discord.
#[derive(Debug, Clone)]
pub struct Connection {
    pub token: Token,
    /// Send every REST call here instead of `https://discord.com` (an HTTP proxy that does
    /// the rate limiting, such as twilight's http-proxy, or a fake Discord in tests). With a
    /// proxy, serenity's own rate limiter is off: the proxy does it.
    pub api_url: Option<String>,
}

impl Connection {
    /// The REST client for this connection.
    pub fn http(&self) -> Result<Http, DiscordError> {
        let mut b = HttpBuilder::new(self.token.expose())
            .default_allowed_mentions(CreateAllowedMentions::new().empty_users().empty_roles());
        let proxy = self
            .api_url
            .as_deref()
            .map(|u| u.trim().trim_end_matches('/'))
            .filter(|u| !u.is_empty() && *u != "https://discord.com");
        if let Some(url) = proxy {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(DiscordError::ApiUrl {
                    url: url.to_string(),
                    reason: "expected http://host:port or https://host".into(),
                });
            }
            b = b.proxy(url).ratelimiter_disabled(true);
        }
        Ok(b.build())
    }
}

/// Forwards interactions to the router and sends its answer back.
struct Handler {
    router: Arc<Router>,
}

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, _ctx: Context, ready: Ready) {
        tracing::info!(user = %ready.user.name, guilds = ready.guilds.len(), "connected to Discord");
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let Some(inv) = Invocation::from_interaction(&interaction) else {
            return;
        };
        let span = tracing::info_span!(
            "interaction",
            id = inv.id,
            kind = inv.kind(),
            command = inv.name(),
            guild = inv.guild_id,
            user = inv.user_id,
            locale = %inv.locale,
        );
        answer(&self.router, &ctx.http, &interaction, &inv)
            .instrument(span)
            .await;
    }
}

async fn answer(router: &Router, http: &Arc<Http>, interaction: &Interaction, inv: &Invocation) {
    let started = Instant::now();
    let on_message = match &inv.action {
        Action::Component { .. } => true,
        Action::Modal { custom_id, .. } => custom_id.starts_with(cards::PREFIX),
        _ => false,
    };
    let sent = respond_to(
        http,
        interaction.id(),
        interaction.token(),
        on_message,
        router.handle(inv, Some(http)),
        DEFER_AFTER,
    )
    .await;
    let micros = started.elapsed().as_micros() as u64;
    match sent {
        Ok(Answered::AtOnce) => tracing::info!(micros, "answered"),
        Ok(Answered::Deferred) => tracing::info!(micros, deferred = true, "answered"),
        Err(e) => tracing::warn!(micros, error = %e, "could not answer"),
    }
}

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
    tokio::pin!(response);
    let ready = tokio::select! {
        r = &mut response => Some(r),
        () = tokio::time::sleep(defer_after) => None,
    };
    if let Some(r) = ready {
        http.create_interaction_response(id, token, &r, vec![])
            .await?;
        return Ok(Answered::AtOnce);
    }
    if on_message {
        http.create_interaction_response(id, token, &Response::DeferUpdate, vec![])
            .await?;
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
    let defer = Response::Defer { ephemeral: true };
    http.create_interaction_response(id, token, &defer, vec![])
        .await?;
    let (Response::Message(mut msg) | Response::UpdateMessage(mut msg)) = response.await else {
        return Ok(Answered::Deferred);
    };
    // Visibility was settled by the deferral; an edit may not set the ephemeral flag.
    msg.flags &= !EPHEMERAL;
    http.edit_original_interaction_response(token, &msg, vec![])
        .await?;
    Ok(Answered::Deferred)
}

/// The serenity client, ready to start.
pub async fn client(conn: &Connection, router: Arc<Router>) -> Result<Client, DiscordError> {
    let http = conn.http()?;
    let client = serenity::client::ClientBuilder::new_with_http(http, GatewayIntents::GUILDS)
        .event_handler(Handler { router })
        .await?;
    Ok(client)
}

/// Connect and answer interactions until `shutdown` completes, then close the gateway
/// connection cleanly.
pub async fn run(
    conn: &Connection,
    router: Arc<Router>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), DiscordError> {
    let mut client = client(conn, router).await?;
    let manager = client.shard_manager.clone();
    let stopping = Arc::new(AtomicBool::new(false));
    let flag = stopping.clone();
    let stopper = tokio::spawn(async move {
        shutdown.await;
        tracing::info!("shutting down");
        flag.store(true, Ordering::SeqCst);
        manager.shutdown_all().await;
    });
    let result = client.start().await;
    if stopping.load(Ordering::SeqCst) {
        // Let the shard manager finish closing the connection.
        let _ = tokio::time::timeout(Duration::from_secs(10), stopper).await;
    } else {
        stopper.abort();
    }
    result.map_err(DiscordError::from)
}
