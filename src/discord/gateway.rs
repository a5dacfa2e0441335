//! The gateway transport: serenity's client, connected to Discord (or to `DISCORD_API_URL`,
//! an HTTP proxy that does the rate limiting, or a fake Discord in tests), handing every
//! interaction to the [`Router`](super::router::Router) (through the [`Dispatcher`]).

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serenity::all::{
    ConnectionStage, Context, EventHandler, GatewayIntents, Interaction, Ready, ResumedEvent,
    ShardStageUpdateEvent,
};
use serenity::builder::CreateAllowedMentions;
use serenity::http::{Http, HttpBuilder};
use serenity::Client;

use super::dispatch::Dispatcher;
pub use super::dispatch::{respond, respond_to, Answered, DEFER_AFTER};
use super::embeds::notice;
use super::response::Response;
use super::router::{Invocation, NotAnInvocation};
pub use super::shards::ShardRange;
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

/// Whether this process's gateway shards are connected, for `/readyz`.
#[derive(Debug, Default)]
pub struct GatewayStatus {
    /// Shard id → connected.
    shards: Mutex<HashMap<u32, bool>>,
    /// How many shards this process runs.
    expected: AtomicU32,
}

impl GatewayStatus {
    pub fn new() -> GatewayStatus {
        GatewayStatus::default()
    }

    fn set(&self, shard: u32, connected: bool) {
        self.shards
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(shard, connected);
    }

    /// Every shard of this process is connected.
    pub fn connected(&self) -> bool {
        let shards = self.shards.lock().unwrap_or_else(|e| e.into_inner());
        let up = shards.values().filter(|c| **c).count();
        up > 0 && up >= self.expected.load(Ordering::SeqCst) as usize
    }
}

/// Forwards interactions to the dispatcher, which sends the answer back over REST.
struct Handler {
    dispatcher: Arc<Dispatcher>,
    status: Arc<GatewayStatus>,
}

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        self.status.set(ctx.shard_id.0, true);
        tracing::info!(user = %ready.user.name, guilds = ready.guilds.len(), shard = ctx.shard_id.0, "connected to Discord");
    }

    async fn resume(&self, ctx: Context, _: ResumedEvent) {
        self.status.set(ctx.shard_id.0, true);
    }

    async fn shard_stage_update(&self, _ctx: Context, event: ShardStageUpdateEvent) {
        self.status
            .set(event.shard_id.0, event.new == ConnectionStage::Connected);
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let inv = match Invocation::from_interaction(&interaction) {
            Ok(inv) => inv,
            Err(NotAnInvocation::Other) => return,
            Err(NotAnInvocation::NoUser) => {
                // Refused, privately, in the locale the interaction gives: nothing is done.
                tracing::warn!(id = %interaction.id(), "an interaction without member or user: refused");
                self.dispatcher.router.metrics.rejected("no_user");
                let lang = super::language_of(locale_of(&interaction));
                let refusal = Response::Message(notice("interaction.anonymous", lang, &[]));
                let (id, token) = (interaction.id(), interaction.token());
                if let Err(e) = ctx
                    .http
                    .create_interaction_response(id, token, &refusal, vec![])
                    .await
                {
                    tracing::warn!(error = %e, "could not send the refusal");
                }
                return;
            }
        };
        let _guard = self.dispatcher.enter();
        let http = &ctx.http;
        let (id, token) = (interaction.id(), interaction.token());
        let _ = self
            .dispatcher
            .dispatch(http, &inv, |r| async move {
                http.create_interaction_response(id, token, &r, vec![])
                    .await
            })
            .await;
    }
}

/// The member's locale an interaction carries, for a refusal before it is parsed.
fn locale_of(i: &Interaction) -> &str {
    match i {
        Interaction::Command(c) | Interaction::Autocomplete(c) => &c.locale,
        Interaction::Component(c) => &c.locale,
        Interaction::Modal(c) => &c.locale,
        _ => "",
    }
}

/// The serenity client, ready to start.
pub async fn client(
    conn: &Connection,
    dispatcher: Arc<Dispatcher>,
    status: Arc<GatewayStatus>,
) -> Result<Client, DiscordError> {
    let http = conn.http()?;
    let client = serenity::client::ClientBuilder::new_with_http(http, GatewayIntents::GUILDS)
        .event_handler(Handler { dispatcher, status })
        .await?;
    Ok(client)
}

/// Connect and answer interactions until `shutdown` completes, then close the gateway
/// connection cleanly.
pub async fn run(
    conn: &Connection,
    dispatcher: Arc<Dispatcher>,
    status: Arc<GatewayStatus>,
    shards: Option<ShardRange>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), DiscordError> {
    status
        .expected
        .store(shards.map_or(1, |s| s.count()), Ordering::SeqCst);
    let mut client = client(conn, dispatcher, status).await?;
    let manager = client.shard_manager.clone();
    let stopping = Arc::new(AtomicBool::new(false));
    let flag = stopping.clone();
    let stopper = tokio::spawn(async move {
        shutdown.await;
        tracing::info!("shutting down");
        flag.store(true, Ordering::SeqCst);
        manager.shutdown_all().await;
    });
    let result = match shards {
        // serenity's range end is inclusive.
        Some(s) => client.start_shard_range(s.first..s.last, s.total).await,
        None => client.start().await,
    };
    if stopping.load(Ordering::SeqCst) {
        // Let the shard manager finish closing the connection.
        let _ = tokio::time::timeout(Duration::from_secs(10), stopper).await;
    } else {
        stopper.abort();
    }
    result.map_err(DiscordError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ready_only_when_every_shard_of_the_process_is_connected() {
        let s = GatewayStatus::new();
        s.expected.store(2, Ordering::SeqCst);
        assert!(!s.connected(), "nothing connected yet");
        s.set(4, true);
        assert!(!s.connected(), "one of two");
        s.set(5, true);
        assert!(s.connected());
        s.set(4, false);
        assert!(!s.connected(), "a shard reconnecting");
    }
}
