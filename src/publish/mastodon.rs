//! Mastodon: `POST /api/v1/statuses` with a bearer token and an `Idempotency-Key`.
//!
//! The server remembers a key for about an hour and answers a repeat with the status it
//! already made, so the lookup after an unknown outcome is the same request with the same key
//! (as long as it is within that hour: later, a repeat could post twice, so a person decides).

use std::time::Duration;

use async_trait::async_trait;
use serde_json::json;
use tracing::instrument;

use super::{answer_str, send, Lookup, PostRequest, Posted, PublishError, Publisher, Secret};

/// Mastodon's default limit, in characters.
pub const MAX_CHARS: usize = 500;

/// How long after the first send a repeat with the same key is still safe (the server keeps
/// keys for about an hour).
pub const KEY_WINDOW: Duration = Duration::from_secs(50 * 60);

/// Posts as one Mastodon account.
#[derive(Debug)]
pub struct MastodonPublisher {
    http: reqwest::Client,
    base_url: String,
    token: Secret,
}

impl MastodonPublisher {
    pub fn new(http: reqwest::Client, base_url: &str, token: Secret) -> MastodonPublisher {
        MastodonPublisher {
            http,
            base_url: base_url.trim_end_matches('/').to_owned(),
            token,
        }
    }
}

#[async_trait]
impl Publisher for MastodonPublisher {
    fn network(&self) -> &'static str {
        "mastodon"
    }

    fn check(&self, text: &str) -> Result<(), PublishError> {
        let n = text.chars().count();
        if n > MAX_CHARS {
            return Err(PublishError::refused(format!(
                "{n} characters: Mastodon takes at most {MAX_CHARS}"
            )));
        }
        Ok(())
    }

    #[instrument(level = "info", skip_all, fields(network = "mastodon", proposal = %req.proposal))]
    async fn post(&self, req: &PostRequest) -> Result<Posted, PublishError> {
        let mut body = json!({ "status": req.text, "visibility": "public" });
        if let Some(to) = &req.reply_to {
            body["in_reply_to_id"] = json!(to.parent.id);
        }
        let answer = send(
            self.http
                .post(format!("{}/api/v1/statuses", self.base_url))
                .bearer_auth(self.token.expose())
                .header("Idempotency-Key", &req.key)
                .json(&body),
        )
        .await?;
        let id = answer_str(&answer, "/id", "Mastodon answered without a status id")?;
        Ok(Posted {
            remote_id: id.to_owned(),
            cid: None,
            url: answer
                .get("url")
                .and_then(|v| v.as_str())
                .map(str::to_owned),
        })
    }

    #[instrument(level = "info", skip_all, fields(network = "mastodon", proposal = %req.proposal))]
    async fn lookup(&self, req: &PostRequest) -> Lookup {
        let age = req
            .sent_at
            .and_then(|t| (req.now - t).to_std().ok())
            .unwrap_or(Duration::ZERO);
        if age > KEY_WINDOW {
            return Lookup::Unknown(
                "the Idempotency-Key has expired on the server: check the account".into(),
            );
        }
        match self.post(req).await {
            Ok(p) => Lookup::Found(p),
            // Refused outright with the same key: the first request made nothing either.
            Err(PublishError::NotPosted {
                retryable: false, ..
            }) => Lookup::Absent,
            Err(e) => Lookup::Unknown(e.to_string()),
        }
    }
}
