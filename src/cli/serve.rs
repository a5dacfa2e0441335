//! `tweetguard serve` (the bot) and `tweetguard register` (its commands).
//!
//! Every setting is a flag and an environment variable (a `.env` file is read at start).
//! The token is never printed: not in `--help`, not in logs, not in `Debug`.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};
use serenity::model::id::ApplicationId;
use tokio::sync::watch;

use crate::discord::announce::DiscordAnnouncer;
use crate::discord::dispatch::Dispatcher;
use crate::discord::gateway::{self, Connection, GatewayStatus};
use crate::discord::http::{self as endpoint, Endpoint, PublicKeyError};
use crate::discord::manifest;
use crate::discord::ratelimit::RateLimit;
use crate::discord::router::WorkflowDefaults;
use crate::discord::router::{Router, RouterConfig};
use crate::discord::server;
use crate::discord::shards::ShardRange;
use crate::discord::{DiscordError, Token};
use crate::events::{Deliverer, EventsArgs};
use crate::http_server;
use crate::ops::{self, Health};
use crate::publish::config::{ConfigError, PublishArgs};
use crate::publish::timeline::TimelineSync;
use crate::publish::worker::Worker;
use crate::review::Settings;
use crate::store::{SqlStore, Store, StoreError};
use crate::workflow::{Policy, RoleId};

/// Where proposals are stored when `DATABASE_URL` is not set.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://tweetguard.db";

/// How to get a bot token, for the message when none is set.
pub const TOKEN_HELP: &str = "no Discord bot token: set DISCORD_TOKEN (in the environment or \
in .env) or pass --discord-token.\nTo get one: Discord Developer Portal \
(https://discord.com/developers/applications) → Applications → your application (or New \
Application) → Bot → Reset Token, then copy it. Invite the bot with the `applications.commands` \
and `bot` scopes, then run `tweetguard register`.";

/// Settings shared by `serve` and `register`: how to reach Discord.
#[derive(Debug, Clone, Args)]
pub struct DiscordArgs {
    /// The bot token (Developer Portal → Applications → Bot → Reset Token). Never logged.
    #[arg(long, env = "DISCORD_TOKEN", hide_env_values = true)]
    pub discord_token: Option<Token>,
    /// Send Discord REST calls through this URL instead of https://discord.com: an HTTP proxy
    /// that does the rate limiting (serenity's own limiter is then off), or a fake in tests.
    #[arg(long, env = "DISCORD_API_URL")]
    pub discord_api_url: Option<String>,
}

impl DiscordArgs {
    /// The connection, or the "how to get a token" error.
    pub fn connection(&self) -> Result<Connection, ServeError> {
        match &self.discord_token {
            Some(t) if !t.is_empty() => Ok(Connection {
                token: t.clone(),
                api_url: self
                    .discord_api_url
                    .clone()
                    .filter(|u| !u.trim().is_empty()),
            }),
            _ => Err(ServeError::MissingToken),
        }
    }
}

/// Where the health, readiness and metrics endpoints (and the HTTP transport) listen when
/// `HTTP_ADDR` is not set.
pub const DEFAULT_HTTP_ADDR: &str = "127.0.0.1:8080";

/// How long shutdown takes at most, from the signal to the process's exit: the README
/// promises 20 s (Docker and Kubernetes kill after 10 and 30 by default; set their grace to
/// at least this).
pub const SHUTDOWN_LIMIT: Duration = Duration::from_secs(20);

/// How long shutdown waits for interactions in flight (a deferred answer may take a while)
/// and the publishing worker's post in hand, from the signal: what is left of
/// [`SHUTDOWN_LIMIT`] then closes the store.
pub const DRAIN_TIMEOUT: Duration = Duration::from_secs(15);

/// How long closing the store may take at the end of shutdown.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(2);

/// How interactions reach the bot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Transport {
    /// A WebSocket connection to Discord's gateway (outgoing only; one process per shard
    /// range).
    Gateway,
    /// Discord POSTs each interaction to `/interactions` on `HTTP_ADDR` (set the application's
    /// Interactions Endpoint URL to it, over HTTPS); stateless, any number of replicas.
    Http,
}

impl Transport {
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Gateway => "gateway",
            Transport::Http => "http",
        }
    }
}

/// `tweetguard serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub discord: DiscordArgs,
    /// Where approved tweets are posted (X, Mastodon, Bluesky, a Discord webhook).
    #[command(flatten)]
    pub publish: PublishArgs,
    /// Where the approval flow's events go (a signed JSON POST each).
    #[command(flatten)]
    pub events: EventsArgs,
    /// How interactions arrive: `gateway` (a WebSocket to Discord) or `http` (Discord POSTs
    /// them to /interactions on HTTP_ADDR; needs DISCORD_PUBLIC_KEY).
    #[arg(long, env = "TRANSPORT", value_enum, default_value = "gateway")]
    pub transport: Transport,
    /// Where the HTTP server listens (host:port): /healthz, /readyz, /metrics, and
    /// /interactions with the http transport. Port 0: any free port.
    #[arg(long, env = "HTTP_ADDR", default_value = DEFAULT_HTTP_ADDR)]
    pub http_addr: String,
    /// HTTP connections served at once (health probes keep a reserve of 16 more); lowered to
    /// fit the process's open-file limit.
    #[arg(long, env = "HTTP_MAX_CONNECTIONS", default_value_t = 256)]
    pub http_max_connections: usize,
    /// The application's public key, 64 hex digits (Developer Portal → General Information →
    /// Public Key): verifies the http transport's requests. Required with `--transport http`.
    #[arg(long, env = "DISCORD_PUBLIC_KEY")]
    pub discord_public_key: Option<String>,
    /// The gateway shards this process runs, FIRST-LAST/TOTAL (e.g. `0-3/8`): several
    /// gateway processes split the shards between them. Unset: one shard, this process.
    #[arg(long, env = "SHARDS")]
    pub shards: Option<ShardRange>,
    /// The approval workflow's database: `sqlite://tweetguard.db` (the default, in the working
    /// directory) or `postgres://...`. Used by `/submit` and the review cards; `/review`
    /// stores nothing.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// The channel where proposals' review cards are posted (approval workflow); unset: the
    /// channel where `/submit` is used.
    #[arg(long, env = "REVIEW_CHANNEL_ID")]
    pub review_channel_id: Option<u64>,
    /// Roles whose members approve proposals, comma-separated ids (approval workflow).
    #[arg(long, env = "REVIEWER_ROLE_IDS", value_delimiter = ',')]
    pub reviewer_role_ids: Vec<u64>,
    /// Roles of outside contractors, comma-separated ids: their proposals always need approval
    /// (approval workflow).
    #[arg(long, env = "CONTRACTOR_ROLE_IDS", value_delimiter = ',')]
    pub contractor_role_ids: Vec<u64>,
    /// Approvals a proposal needs before it is posted (approval workflow).
    #[arg(long, env = "REQUIRED_APPROVALS", default_value_t = 2)]
    pub required_approvals: u32,
    /// Quick reviews (`/review`, "Review as tweet") a member may ask for per minute; 0: no
    /// limit.
    #[arg(long, env = "REVIEW_RATE_PER_MINUTE", default_value_t = 10)]
    pub review_rate_per_minute: u32,
    /// The weighted tweet length limit.
    #[arg(long, env = "TWEETGUARD_LIMIT", default_value_t = 280)]
    pub limit: usize,
    /// The company's name (self-talk and third-person checks).
    #[arg(long, env = "TWEETGUARD_COMPANY")]
    pub company: Option<String>,
    /// How often the account's posts are read back from the networks, in minutes (the history
    /// every review reads, and each post's counts for `/stats`); 0: never.
    #[arg(long, env = "TIMELINE_SYNC_MINUTES", default_value_t = 15)]
    pub timeline_sync_minutes: u64,
}

/// `tweetguard register`.
#[derive(Debug, Clone, Args)]
pub struct RegisterArgs {
    #[command(flatten)]
    pub discord: DiscordArgs,
    /// Register in this guild only (instant; for testing) instead of globally (may take up
    /// to an hour to show everywhere).
    #[arg(long)]
    pub guild: Option<u64>,
    /// The application id; asked from Discord when absent.
    #[arg(long, env = "DISCORD_APPLICATION_ID")]
    pub application_id: Option<u64>,
}

/// What stops `serve` or `register`.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("{TOKEN_HELP}")]
    MissingToken,
    #[error(transparent)]
    Discord(#[from] DiscordError),
    #[error("could not open the database: {0}")]
    Store(#[from] StoreError),
    #[error(
        "--transport http needs DISCORD_PUBLIC_KEY (or --discord-public-key): the application's \
         public key, Developer Portal → Applications → your application → General Information \
         → Public Key"
    )]
    MissingPublicKey,
    #[error(transparent)]
    PublicKey(#[from] PublicKeyError),
    #[error("cannot listen on HTTP_ADDR {addr}: {source}")]
    Bind {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the HTTP server failed: {0}")]
    Server(#[source] std::io::Error),
    #[error(transparent)]
    Publish(#[from] ConfigError),
}

impl From<serenity::Error> for ServeError {
    fn from(e: serenity::Error) -> Self {
        ServeError::Discord(e.into())
    }
}

impl ServeArgs {
    /// The router's settings.
    pub fn router_config(&self) -> RouterConfig {
        let mut review = Settings::default();
        review.limit = self.limit;
        review.company = self.company.clone().filter(|c| !c.trim().is_empty());
        RouterConfig {
            review,
            review_rate: RateLimit {
                burst: self.review_rate_per_minute,
                per: Duration::from_secs(60),
            },
            workflow: WorkflowDefaults {
                review_channel: self.review_channel_id,
                policy: Policy {
                    required_approvals: self.required_approvals,
                    reviewer_roles: self.reviewer_role_ids.iter().map(|r| RoleId(*r)).collect(),
                    contractor_roles: self
                        .contractor_role_ids
                        .iter()
                        .map(|r| RoleId(*r))
                        .collect(),
                    ..Policy::default()
                },
            },
            publishers: Vec::new(),
            // A REST proxy (or the tests' fake Discord) serves attachments too.
            attachment_hosts: self
                .discord
                .discord_api_url
                .as_deref()
                .and_then(|u| reqwest::Url::parse(u).ok())
                .and_then(|u| {
                    let host = u.host_str()?.to_owned();
                    Some(match u.port() {
                        Some(p) => format!("{host}:{p}"),
                        None => host,
                    })
                })
                .into_iter()
                .collect(),
        }
    }
}

/// Run the bot until `shutdown` completes: then stop taking work (readiness fails, the
/// gateway closes or the HTTP server stops accepting), finish the interactions in flight,
/// close the store, and return.
pub async fn serve(
    args: &ServeArgs,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let conn = args.discord.connection()?;
    // REST for the http transport (the gateway's client makes its own); checks the API URL.
    let rest = Arc::new(conn.http()?);
    let verifier = match args.transport {
        Transport::Http => {
            let key = args
                .discord_public_key
                .as_deref()
                .filter(|k| !k.trim().is_empty())
                .ok_or(ServeError::MissingPublicKey)?;
            Some(endpoint::verifier(key)?)
        }
        Transport::Gateway => None,
    };
    // Refuse to start with broken manifests: the commands would not match the handlers.
    manifest::builtin().map_err(DiscordError::from)?;
    // Listen for the signal from the start: a SIGTERM while starting stops cleanly too.
    // `stop` flips when shutdown begins; `done` when the work in flight is finished.
    let draining = Arc::new(AtomicBool::new(false));
    let (stop_tx, stop_rx) = watch::channel(false);
    let (done_tx, done_rx) = watch::channel(false);
    let stopped_at = Arc::new(OnceLock::new());
    let _signal = AbortOnDrop(tokio::spawn({
        let (draining, stopped_at) = (draining.clone(), stopped_at.clone());
        async move {
            shutdown.await;
            let _ = stopped_at.set(Instant::now());
            tracing::info!("shutting down: finishing the interactions in flight");
            draining.store(true, Ordering::SeqCst);
            let _ = stop_tx.send(true);
        }
    }));
    // Shutdown's deadlines count from the signal (or from now, when the gateway stopped by
    // itself).
    let deadline =
        move |budget: Duration| stopped_at.get().copied().unwrap_or_else(Instant::now) + budget;
    let url = args
        .database_url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .unwrap_or(DEFAULT_DATABASE_URL);
    let publishers = args.publish.publishers()?;
    let events_endpoint = args.events.endpoint()?;
    let store = Arc::new(SqlStore::open(url).await?);
    let mut config = args.router_config();
    config.publishers = publishers.clone();
    // The account's posts are classified as each server's reviews read them.
    let review_settings = server::review_settings_for(config.review.clone());
    let router = Arc::new(Router::with_store(config, store.clone()));
    let dispatcher = Arc::new(Dispatcher::new(router.clone()));
    let listener = match tokio::net::TcpListener::bind(args.http_addr.trim()).await {
        Ok(l) => l,
        Err(source) => {
            store.close().await;
            return Err(ServeError::Bind {
                addr: args.http_addr.clone(),
                source,
            });
        }
    };
    let store_dyn: Arc<dyn Store> = store.clone();
    // Approved tweets are posted by this process's worker; without a network configured they
    // wait in the outbox (a person can see them with /queue status:approved).
    let worker = if publishers.is_empty() {
        tracing::info!("no network configured for posting: approved tweets wait in the outbox");
        None
    } else {
        let announcer = Arc::new(DiscordAnnouncer {
            http: rest.clone(),
            store: store_dyn.clone(),
            metrics: router.metrics.clone(),
        });
        if args.timeline_sync_minutes > 0 {
            let sync = TimelineSync::new(
                store_dyn.clone(),
                publishers.clone(),
                Duration::from_secs(args.timeline_sync_minutes.saturating_mul(60)),
            )
            .with_review_settings(review_settings.clone());
            let stop = changed(stop_rx.clone());
            // Not awaited at shutdown: a read interrupted halfway loses nothing.
            tokio::spawn(async move { sync.run(stop).await });
        }
        let worker = Worker::new(
            store_dyn.clone(),
            publishers,
            announcer,
            args.publish.worker_id(),
        )
        .with_wake(router.post_wake.clone())
        .with_review_settings(review_settings);
        let stop = changed(stop_rx.clone());
        Some(tokio::spawn(async move { worker.run(stop).await }))
    };
    // Lifecycle events are stored by every change; this process delivers them (any process
    // may: claims keep two from sending one at once), or only prunes them when no endpoint
    // is configured.
    let deliverer = Deliverer::new(store.clone(), events_endpoint, args.publish.worker_id())?;
    let deliverer = {
        let stop = changed(stop_rx.clone());
        tokio::spawn(async move { deliverer.run(stop).await })
    };
    let limits = http_server::Limits {
        max_connections: args.http_max_connections,
        ..http_server::Limits::default()
    }
    .fitted();
    let metrics = router.metrics.clone();
    let mut health = Health::new(router.metrics.clone(), Some(store_dyn));
    health.draining = draining;
    tracing::info!(
        api = conn.api_url.as_deref().unwrap_or("https://discord.com"),
        transport = args.transport.as_str(),
        addr = %listener.local_addr().map_or_else(|_| args.http_addr.clone(), |a| a.to_string()),
        "starting"
    );
    let result = match verifier {
        None => {
            let status = Arc::new(GatewayStatus::new());
            health.gateway = Some(status.clone());
            // Health and metrics answer at once: the drain above already took the time.
            let health_limits = http_server::Limits {
                shutdown_grace: Duration::from_secs(1),
                ..limits
            };
            let server = tokio::spawn(http_server::serve(
                listener,
                ops::routes(health),
                health_limits,
                metrics,
                changed(done_rx),
            ));
            let ran = gateway::run(
                &conn,
                dispatcher.clone(),
                status,
                args.shards,
                changed(stop_rx),
            )
            .await;
            drain(&dispatcher, deadline(DRAIN_TIMEOUT)).await;
            let _ = done_tx.send(true);
            let served = server.await;
            ran.map_err(ServeError::from).and_then(|()| match served {
                Ok(()) => Ok(()),
                Err(e) => Err(ServeError::Server(std::io::Error::other(e))),
            })
        }
        Some(verifier) => {
            let app = endpoint::app(Endpoint {
                dispatcher: dispatcher.clone(),
                http: rest,
                verifier,
            })
            .merge(ops::routes(health));
            http_server::serve(listener, app, limits, metrics, changed(stop_rx)).await;
            drain(&dispatcher, deadline(DRAIN_TIMEOUT)).await;
            drop(done_tx);
            Ok(())
        }
    };
    if let Some(worker) = worker {
        // It finishes the post in hand (its claim is recorded either way) and stops.
        let left = deadline(DRAIN_TIMEOUT).saturating_duration_since(Instant::now());
        if tokio::time::timeout(left, worker).await.is_err() {
            tracing::warn!("the publishing worker did not stop in time");
        }
    }
    // It finishes the event in hand (a request lasts at most its timeout) and stops.
    let left = deadline(DRAIN_TIMEOUT).saturating_duration_since(Instant::now());
    if tokio::time::timeout(left, deliverer).await.is_err() {
        tracing::warn!("the events deliverer did not stop in time");
    }
    // Work still holding a connection past the deadline must not hold the exit.
    if tokio::time::timeout(CLOSE_TIMEOUT, store.close())
        .await
        .is_err()
    {
        tracing::warn!("the store did not close in time");
    }
    tracing::info!("stopped");
    result
}

/// Aborts the task when dropped (the signal listener, whichever way `serve` returns).
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Completes when the flag turns true (or its sender is gone).
async fn changed(mut rx: watch::Receiver<bool>) {
    let _ = rx.wait_for(|v| *v).await;
}

/// Wait for the interactions in flight, until `deadline`.
async fn drain(dispatcher: &Dispatcher, deadline: Instant) {
    let left = dispatcher.in_flight.count();
    if left > 0 {
        tracing::info!(left, "waiting for interactions in flight");
    }
    let wait = deadline.saturating_duration_since(Instant::now());
    if !dispatcher.in_flight.wait_idle(wait).await {
        tracing::warn!(
            left = dispatcher.in_flight.count(),
            "interactions still in flight after {DRAIN_TIMEOUT:?}; stopping anyway"
        );
    }
}

/// Register the built-in commands; returns the names Discord registered.
pub async fn register(args: &RegisterArgs) -> Result<Vec<String>, ServeError> {
    let conn = args.discord.connection()?;
    let manifests = manifest::builtin().map_err(DiscordError::from)?;
    let http = conn.http()?;
    let app = match args.application_id {
        Some(id) => ApplicationId::new(id.max(1)),
        None => http.get_current_application_info().await?.id,
    };
    http.set_application_id(app);
    Ok(manifest::register(&http, &manifests, args.guild).await?)
}
