//! `tweetguard serve` (the bot) and `tweetguard register` (its commands).
//!
//! Every setting is a flag and an environment variable (a `.env` file is read at start).
//! The token is never printed: not in `--help`, not in logs, not in `Debug`.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use serenity::model::id::ApplicationId;

use crate::discord::gateway::{self, Connection};
use crate::discord::manifest;
use crate::discord::ratelimit::RateLimit;
use crate::discord::router::WorkflowDefaults;
use crate::discord::router::{Router, RouterConfig};
use crate::discord::{DiscordError, Token};
use crate::review::Settings;
use crate::store::{self, StoreError};
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

/// `tweetguard serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub discord: DiscordArgs,
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
        }
    }
}

/// Run the bot until `shutdown` completes.
pub async fn serve(
    args: &ServeArgs,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let conn = args.discord.connection()?;
    // Refuse to start with broken manifests: the commands would not match the handlers.
    manifest::builtin().map_err(DiscordError::from)?;
    let url = args
        .database_url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .unwrap_or(DEFAULT_DATABASE_URL);
    let store = store::open(url).await?;
    let router = Arc::new(Router::with_store(args.router_config(), store));
    tracing::info!(
        api = conn.api_url.as_deref().unwrap_or("https://discord.com"),
        "starting"
    );
    gateway::run(&conn, router, shutdown).await?;
    Ok(())
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
