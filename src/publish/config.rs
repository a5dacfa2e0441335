//! The publishing settings (`PublishArgs`, flattened into `tweetguard serve`) and the
//! publishers they configure. A network is on when any of its variables is set; then all of
//! them must be, and a missing one is named, rather than failing at the first post.

use std::sync::Arc;
use std::time::Duration;

use clap::Args;

use super::bluesky::{self, BlueskyPublisher};
use super::mastodon::MastodonPublisher;
use super::oauth1::Credentials;
use super::webhook::WebhookPublisher;
use super::x::{self, XPublisher};
use super::{http_client, Publisher, Secret};

/// Publishing settings. Secrets are hidden from `--help` and from logs.
#[derive(Debug, Clone, Default, Args)]
pub struct PublishArgs {
    /// X API base URL: a proxy, or a fake in tests.
    #[arg(long, env = "X_API_URL", hide_env_values = true, default_value = x::DEFAULT_API_URL)]
    pub x_api_url: String,
    /// X app's API key (OAuth 1.0a consumer key), for posting with user context.
    #[arg(long, env = "X_CONSUMER_KEY", hide_env_values = true)]
    pub x_consumer_key: Option<Secret>,
    /// X app's API key secret (OAuth 1.0a consumer secret). Never logged.
    #[arg(long, env = "X_CONSUMER_SECRET", hide_env_values = true)]
    pub x_consumer_secret: Option<Secret>,
    /// The posting account's access token (Developer Portal → Keys and tokens, read and write).
    #[arg(long, env = "X_ACCESS_TOKEN", hide_env_values = true)]
    pub x_access_token: Option<Secret>,
    /// The posting account's access token secret. Never logged.
    #[arg(long, env = "X_ACCESS_SECRET", hide_env_values = true)]
    pub x_access_secret: Option<Secret>,
    /// The Mastodon server's base URL (`https://mastodon.social`).
    #[arg(long, env = "MASTODON_URL", hide_env_values = true)]
    pub mastodon_url: Option<String>,
    /// A Mastodon access token with the `write:statuses` scope. Never logged.
    #[arg(long, env = "MASTODON_TOKEN", hide_env_values = true)]
    pub mastodon_token: Option<Secret>,
    /// The Bluesky service (PDS) base URL.
    #[arg(long, env = "BLUESKY_SERVICE", hide_env_values = true, default_value = bluesky::DEFAULT_SERVICE)]
    pub bluesky_service: String,
    /// The Bluesky account's handle or DID.
    #[arg(long, env = "BLUESKY_IDENTIFIER", hide_env_values = true)]
    pub bluesky_identifier: Option<String>,
    /// A Bluesky app password (Settings → App passwords), never the account's own. Never logged.
    #[arg(long, env = "BLUESKY_APP_PASSWORD", hide_env_values = true)]
    pub bluesky_app_password: Option<Secret>,
    /// A Discord webhook URL that receives approved tweets (a dry run, or an announcement
    /// channel). It contains the webhook's token: never logged.
    #[arg(long, env = "PUBLISH_WEBHOOK_URL", hide_env_values = true)]
    pub publish_webhook_url: Option<Secret>,
    /// Seconds to wait for a network's answer; past it the outcome is unknown and looked up.
    #[arg(
        long,
        env = "PUBLISH_TIMEOUT_SECS",
        hide_env_values = true,
        default_value_t = 30
    )]
    pub publish_timeout_secs: u64,
    /// This process's name in the outbox (which worker claimed a post). Keep it stable across
    /// restarts, and different for each process, so a restarted worker resumes its own posts
    /// at once (others' only once their claim is stale).
    #[arg(long, env = "PUBLISH_WORKER_ID", hide_env_values = true)]
    pub publish_worker_id: Option<String>,
}

/// A publishing setting that can't work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("{network} is partly configured: set {missing} too (or unset its other variables)")]
    Missing {
        network: &'static str,
        missing: &'static str,
    },
    #[error("{variable} is not an http(s) URL")]
    BadUrl { variable: &'static str },
    #[error("HTTP client: {0}")]
    Http(String),
}

fn present(s: &Option<Secret>) -> Option<&Secret> {
    s.as_ref().filter(|s| !s.is_empty())
}

fn present_str(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn url(value: &str, variable: &'static str) -> Result<String, ConfigError> {
    let v = value.trim();
    if v.starts_with("http://") || v.starts_with("https://") {
        Ok(v.to_owned())
    } else {
        Err(ConfigError::BadUrl { variable })
    }
}

/// All of a network's values, or none, or the first missing one named.
fn all_or_none<const N: usize>(
    network: &'static str,
    values: [(&'static str, Option<String>); N],
) -> Result<Option<[String; N]>, ConfigError> {
    if values.iter().all(|(_, v)| v.is_none()) {
        return Ok(None);
    }
    if let Some((missing, _)) = values.iter().find(|(_, v)| v.is_none()) {
        return Err(ConfigError::Missing { network, missing });
    }
    Ok(Some(values.map(|(_, v)| v.unwrap_or_default())))
}

impl PublishArgs {
    /// The worker's id: `PUBLISH_WORKER_ID`, else the host's name (`HOSTNAME`, else
    /// `/etc/hostname`): stable across restarts, so a restarted process resumes its own
    /// half-done posts at once. Two processes on one host need their own `PUBLISH_WORKER_ID`
    /// (sharing one is still safe, never a double post, but each then looks up the other's
    /// posts in flight).
    pub fn worker_id(&self) -> String {
        let host = || {
            std::env::var("HOSTNAME")
                .ok()
                .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
                .map(|h| h.trim().to_owned())
                .filter(|h| !h.is_empty())
        };
        present_str(&self.publish_worker_id)
            .map(str::to_owned)
            .or_else(host)
            .unwrap_or_else(|| "tweetguard".into())
    }

    /// The publishers configured, in a fixed order (X, Mastodon, Bluesky, webhook).
    pub fn publishers(&self) -> Result<Vec<Arc<dyn Publisher>>, ConfigError> {
        let http = http_client(Duration::from_secs(self.publish_timeout_secs.max(1)))?;
        let secret = |s: &Option<Secret>| present(s).map(|s| s.expose().to_owned());
        let mut out: Vec<Arc<dyn Publisher>> = Vec::new();
        if let Some([ck, cs, t, ts]) = all_or_none(
            "X",
            [
                ("X_CONSUMER_KEY", secret(&self.x_consumer_key)),
                ("X_CONSUMER_SECRET", secret(&self.x_consumer_secret)),
                ("X_ACCESS_TOKEN", secret(&self.x_access_token)),
                ("X_ACCESS_SECRET", secret(&self.x_access_secret)),
            ],
        )? {
            let creds = Credentials {
                consumer_key: ck,
                consumer_secret: Secret::new(cs),
                token: t,
                token_secret: Secret::new(ts),
            };
            out.push(Arc::new(XPublisher::new(
                http.clone(),
                &url(&self.x_api_url, "X_API_URL")?,
                creds,
            )));
        }
        if let Some([base, token]) = all_or_none(
            "Mastodon",
            [
                (
                    "MASTODON_URL",
                    present_str(&self.mastodon_url).map(str::to_owned),
                ),
                ("MASTODON_TOKEN", secret(&self.mastodon_token)),
            ],
        )? {
            out.push(Arc::new(MastodonPublisher::new(
                http.clone(),
                &url(&base, "MASTODON_URL")?,
                Secret::new(token),
            )));
        }
        if let Some([id, pw]) = all_or_none(
            "Bluesky",
            [
                (
                    "BLUESKY_IDENTIFIER",
                    present_str(&self.bluesky_identifier).map(str::to_owned),
                ),
                ("BLUESKY_APP_PASSWORD", secret(&self.bluesky_app_password)),
            ],
        )? {
            out.push(Arc::new(BlueskyPublisher::new(
                http.clone(),
                &url(&self.bluesky_service, "BLUESKY_SERVICE")?,
                &id,
                Secret::new(pw),
            )));
        }
        if let Some(hook) = present(&self.publish_webhook_url) {
            url(hook.expose(), "PUBLISH_WEBHOOK_URL")?;
            out.push(Arc::new(WebhookPublisher::new(http, hook.clone())));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        publish: PublishArgs,
    }

    fn parse(args: &[&str]) -> PublishArgs {
        let mut all = vec!["tweetguard"];
        all.extend_from_slice(args);
        Cli::try_parse_from(all).expect("parses").publish
    }

    #[test]
    fn nothing_set_means_no_publisher() {
        let p = parse(&[]).publishers().expect("valid");
        assert!(p.is_empty());
    }

    #[test]
    fn a_partly_configured_network_names_what_is_missing() {
        let err = parse(&[
            "--x-consumer-key",
            "k",
            "--x-consumer-secret",
            "s",
            "--x-access-token",
            "t",
        ])
        .publishers()
        .err();
        assert_eq!(
            err,
            Some(ConfigError::Missing {
                network: "X",
                missing: "X_ACCESS_SECRET"
            })
        );
        let err = parse(&["--mastodon-token", "t"]).publishers().err();
        assert_eq!(
            err,
            Some(ConfigError::Missing {
                network: "Mastodon",
                missing: "MASTODON_URL"
            })
        );
    }

    #[test]
    fn every_configured_network_is_built_in_order() {
        let p = parse(&[
            "--x-consumer-key",
            "k",
            "--x-consumer-secret",
            "s",
            "--x-access-token",
            "t",
            "--x-access-secret",
            "ts",
            "--mastodon-url",
            "https://m.example",
            "--mastodon-token",
            "mt",
            "--bluesky-identifier",
            "me.example",
            "--bluesky-app-password",
            "pw",
            "--publish-webhook-url",
            "https://discord.com/api/webhooks/1/secret-token",
        ])
        .publishers()
        .expect("valid");
        let names: Vec<&str> = p.iter().map(|p| p.network()).collect();
        assert_eq!(names, ["x", "mastodon", "bluesky", "webhook"]);
        let debug = format!("{p:?}");
        for secret in ["secret-token", "\"mt\"", "\"pw\"", "\"ts\""] {
            assert!(!debug.contains(secret), "{secret} leaked: {debug}");
        }
    }
}
