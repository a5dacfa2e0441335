//! The lifecycle webhook's settings (`EventsArgs`, flattened into `tweetguard serve`).

use clap::Args;

use crate::publish::ConfigError;
use crate::secret::Secret;

/// Where lifecycle events go. Both are secrets: a receiver's URL often holds its own token.
#[derive(Debug, Clone, Default, Args)]
pub struct EventsArgs {
    /// An HTTP(S) endpoint that receives every lifecycle event (proposal.submitted,
    /// post.published, posting.paused...) as a signed JSON POST. Never logged.
    #[arg(long, env = "EVENTS_WEBHOOK_URL", hide_env_values = true)]
    pub events_webhook_url: Option<Secret>,
    /// The key of the events' signature (`X-Tweetguard-Signature: sha256=` HMAC-SHA256 of the
    /// body). Required with EVENTS_WEBHOOK_URL. Never logged.
    #[arg(long, env = "EVENTS_WEBHOOK_SECRET", hide_env_values = true)]
    pub events_webhook_secret: Option<Secret>,
}

/// A configured endpoint: where, and the signing key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub url: Secret,
    pub secret: Secret,
}

impl EventsArgs {
    /// The endpoint, `None` when the webhook is off; both variables or neither, and the URL
    /// must be http(s).
    pub fn endpoint(&self) -> Result<Option<Endpoint>, ConfigError> {
        let present = |s: &Option<Secret>| s.clone().filter(|s| !s.is_empty());
        match (
            present(&self.events_webhook_url),
            present(&self.events_webhook_secret),
        ) {
            (None, None) => Ok(None),
            (Some(_), None) => Err(ConfigError::Missing {
                network: "the events webhook",
                missing: "EVENTS_WEBHOOK_SECRET",
            }),
            (None, Some(_)) => Err(ConfigError::Missing {
                network: "the events webhook",
                missing: "EVENTS_WEBHOOK_URL",
            }),
            (Some(url), Some(secret)) => {
                let u = url.expose();
                if u.starts_with("http://") || u.starts_with("https://") {
                    Ok(Some(Endpoint { url, secret }))
                } else {
                    Err(ConfigError::BadUrl {
                        variable: "EVENTS_WEBHOOK_URL",
                    })
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(url: Option<&str>, secret: Option<&str>) -> EventsArgs {
        EventsArgs {
            events_webhook_url: url.map(Secret::new),
            events_webhook_secret: secret.map(Secret::new),
        }
    }

    #[test]
    fn both_or_neither() {
        assert_eq!(args(None, None).endpoint(), Ok(None));
        assert_eq!(args(Some(" "), Some("")).endpoint(), Ok(None));
        assert!(matches!(
            args(Some("https://hooks.example/tg"), None).endpoint(),
            Err(ConfigError::Missing {
                missing: "EVENTS_WEBHOOK_SECRET",
                ..
            })
        ));
        assert!(matches!(
            args(None, Some("k")).endpoint(),
            Err(ConfigError::Missing {
                missing: "EVENTS_WEBHOOK_URL",
                ..
            })
        ));
        assert!(matches!(
            args(Some("ftp://x"), Some("k")).endpoint(),
            Err(ConfigError::BadUrl { .. })
        ));
        let e = args(Some("https://hooks.example/tg"), Some("k"))
            .endpoint()
            .ok()
            .flatten()
            .expect("configured");
        assert_eq!(e.url.expose(), "https://hooks.example/tg");
        // Neither value shows in Debug (logs, panics).
        let shown = format!(
            "{e:?} {:?}",
            args(Some("https://h.example/t0k3n"), Some("k"))
        );
        assert!(!shown.contains("t0k3n") && !shown.contains("hooks.example"));
    }
}
