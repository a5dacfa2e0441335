//! Mastodon: `POST /api/v1/statuses` with a bearer token and an `Idempotency-Key`.
//!
//! The server remembers a key for about an hour and answers a repeat with the status it
//! already made, so the lookup after an unknown outcome is the same request with the same key
//! (as long as it is within that hour: later, a repeat could post twice, so a person decides).

use std::time::Duration;

use async_trait::async_trait;
use serde_json::json;
use tracing::instrument;

use chrono::{DateTime, Utc};
use tokio::sync::OnceCell;

use super::{
    answer_str, before_post, count_of, file_part, html_text, missing, send, time_of, Lookup,
    PostRequest, Posted, PublishError, Publisher, RemotePost, Secret,
};
use crate::store::Counts;
use crate::workflow::media::ImageFile;
use crate::workflow::{Kind, Link, Target};

/// Mastodon's default limit, in characters.
pub const MAX_CHARS: usize = 500;

/// How many pages (of 40) of the account's statuses a timeline read takes at most.
const TIMELINE_PAGES: usize = 5;
/// How many times a media attachment still being processed is asked about, and how long
/// between two asks.
const MEDIA_POLLS: u32 = 30;
const MEDIA_POLL_EVERY: Duration = Duration::from_millis(500);

/// How long after the first send a repeat with the same key is still safe (the server keeps
/// keys for about an hour).
pub const KEY_WINDOW: Duration = Duration::from_secs(50 * 60);

/// Posts as one Mastodon account.
#[derive(Debug)]
pub struct MastodonPublisher {
    http: reqwest::Client,
    base_url: String,
    token: Secret,
    max_chars: OnceCell<usize>,
}

impl MastodonPublisher {
    pub fn new(http: reqwest::Client, base_url: &str, token: Secret) -> MastodonPublisher {
        MastodonPublisher {
            http,
            base_url: base_url.trim_end_matches('/').to_owned(),
            token,
            max_chars: OnceCell::new(),
        }
    }
}

impl MastodonPublisher {
    /// `POST /api/v1/statuses` with `key` as the Idempotency-Key.
    async fn status(&self, key: &str, body: &serde_json::Value) -> Result<Posted, PublishError> {
        let answer = send(
            self.http
                .post(format!("{}/api/v1/statuses", self.base_url))
                .bearer_auth(self.token.expose())
                .header("Idempotency-Key", key)
                .json(body),
        )
        .await?;
        posted(&answer)
    }

    /// `POST /api/v2/media` (multipart `file` and `description`, the alt text), then, while the
    /// server is still processing it (202, no `url` yet), `GET /api/v1/media/{id}` until it
    /// has a `url`. Returns the attachment's id for the status's `media_ids`.
    async fn upload(&self, file: &ImageFile, index: usize) -> Result<String, PublishError> {
        let what = format!("image {} upload", index + 1);
        let mut form = reqwest::multipart::Form::new().part("file", file_part(file, index)?);
        if let Some(alt) = file.image.alt_text() {
            form = form.text("description", alt.to_owned());
        }
        let answer = send(
            self.http
                .post(format!("{}/api/v2/media", self.base_url))
                .bearer_auth(self.token.expose())
                .multipart(form),
        )
        .await
        .map_err(|e| before_post(&what, e))?;
        let id = answer_str(&answer, "/id", "Mastodon answered without a media id")
            .map_err(|e| before_post(&what, e))?
            .to_owned();
        let mut ready = answer.get("url").is_some_and(|u| u.is_string());
        for _ in 0..MEDIA_POLLS {
            if ready {
                return Ok(id);
            }
            tokio::time::sleep(MEDIA_POLL_EVERY).await;
            let state = send(
                self.http
                    .get(format!("{}/api/v1/media/{id}", self.base_url))
                    .bearer_auth(self.token.expose()),
            )
            .await
            .map_err(|e| before_post(&what, e))?;
            ready = state.get("url").is_some_and(|u| u.is_string());
        }
        Err(PublishError::NotPosted {
            reason: format!("{what}: Mastodon is still processing the image"),
            retry_after: Some(Duration::from_secs(60)),
            retryable: true,
        })
    }

    /// `POST /api/v1/statuses/{id}/reblog`: a boost. Boosting what is already boosted answers
    /// with the same boost, so a repeat never boosts twice.
    async fn reblog(&self, target: &Target) -> Result<Posted, PublishError> {
        let answer = send(
            self.http
                .post(format!(
                    "{}/api/v1/statuses/{}/reblog",
                    self.base_url, target.id
                ))
                .bearer_auth(self.token.expose()),
        )
        .await?;
        posted(&answer)
    }

    /// The server's own limit (`GET /api/v2/instance`, `configuration.statuses.max_characters`),
    /// asked once; [`MAX_CHARS`] when it does not say.
    async fn max_chars(&self) -> usize {
        *self
            .max_chars
            .get_or_init(|| async {
                let answer = send(self.http.get(format!("{}/api/v2/instance", self.base_url)))
                    .await
                    .ok();
                answer
                    .as_ref()
                    .and_then(|a| a.pointer("/configuration/statuses/max_characters"))
                    .and_then(|v| v.as_u64())
                    .and_then(|n| usize::try_from(n).ok())
                    .unwrap_or(MAX_CHARS)
            })
            .await
    }
}

/// One status of the account's timeline as a post (a boost: the boosted words, relayed).
fn status_post(status: &serde_json::Value) -> Option<RemotePost> {
    // A boost shows the boosted status: its words, the boost's own counts.
    let shown = status
        .get("reblog")
        .filter(|r| r.is_object())
        .unwrap_or(status);
    Some(RemotePost {
        id: status.get("id")?.as_str()?.to_owned(),
        url: status
            .get("url")
            .and_then(|u| u.as_str())
            .or_else(|| shown.get("url").and_then(|u| u.as_str()))
            .map(str::to_owned),
        text: html_text(shown.get("content")?.as_str()?),
        posted_at: time_of(status.get("created_at"))?,
        relay: !std::ptr::eq(shown, status),
        counts: Counts {
            replies: count_of(shown.get("replies_count")),
            reposts: count_of(shown.get("reblogs_count")),
            likes: count_of(shown.get("favourites_count")),
            quotes: count_of(shown.get("quotes_count")),
            impressions: None,
        },
    })
}

/// A status in an answer, as a post that exists.
fn posted(answer: &serde_json::Value) -> Result<Posted, PublishError> {
    let id = answer_str(answer, "/id", "Mastodon answered without a status id")?;
    Ok(Posted {
        remote_id: id.to_owned(),
        cid: None,
        url: answer
            .get("url")
            .and_then(|v| v.as_str())
            .map(str::to_owned),
    })
}

#[async_trait]
impl Publisher for MastodonPublisher {
    fn network(&self) -> &'static str {
        "mastodon"
    }

    #[instrument(level = "info", skip_all, fields(network = "mastodon", proposal = %req.proposal))]
    async fn post(&self, req: &PostRequest) -> Result<Posted, PublishError> {
        let max = self.max_chars().await;
        let n = req.text.chars().count();
        if n > max {
            return Err(PublishError::refused(format!(
                "{n} characters: this Mastodon server takes at most {max}"
            )));
        }
        let mut body = json!({ "status": req.text, "visibility": "public" });
        if let Some(to) = &req.reply_to {
            body["in_reply_to_id"] = json!(to.parent.id);
        }
        if !req.images.is_empty()
            && !req
                .conversation
                .as_ref()
                .is_some_and(|c| c.kind == Kind::Repost)
        {
            let mut ids = Vec::with_capacity(req.images.len());
            for (i, file) in req.images.iter().enumerate() {
                ids.push(self.upload(file, i).await?);
            }
            body["media_ids"] = json!(ids);
        }
        match &req.conversation {
            Some(c) if c.kind == Kind::Repost => return self.reblog(&c.target).await,
            Some(c) if c.kind == Kind::Reply => body["in_reply_to_id"] = json!(c.target.id),
            Some(c) => {
                body["quoted_status_id"] = json!(c.target.id);
                let media = body.get("media_ids").cloned();
                match self.status(&req.key, &body).await {
                    // A server without quote posts refuses the parameter: the post names and
                    // links the quoted one instead (another key: the refusal made nothing).
                    Err(PublishError::NotPosted { reason, .. })
                        if reason.starts_with("HTTP 422") =>
                    {
                        let linked = format!(
                            "{}\n\nvia @{} {}",
                            req.text, c.target.author, c.target.link.url
                        );
                        let mut body = json!({ "status": linked, "visibility": "public" });
                        if let Some(ids) = &media {
                            body["media_ids"] = ids.clone();
                        }
                        return self.status(&format!("{}-link", req.key), &body).await;
                    }
                    other => return other,
                }
            }
            None => {}
        }
        self.status(&req.key, &body).await
    }

    #[instrument(level = "info", skip_all, fields(network = "mastodon"))]
    async fn fetch(&self, link: &Link) -> Result<Target, PublishError> {
        let answer = send(
            self.http
                .get(format!("{}/api/v2/search", self.base_url))
                .bearer_auth(self.token.expose())
                .query(&[
                    ("q", link.url.as_str()),
                    ("resolve", "true"),
                    ("type", "statuses"),
                    ("limit", "1"),
                ]),
        )
        .await?;
        let status = answer
            .pointer("/statuses/0")
            .ok_or_else(|| missing(link, "post"))?;
        let field = |pointer: &str| status.pointer(pointer).and_then(|v| v.as_str());
        Ok(Target {
            link: link.clone(),
            id: field("/id")
                .ok_or_else(|| missing(link, "status id"))?
                .to_owned(),
            author: field("/account/acct").unwrap_or(&link.user).to_owned(),
            text: html_text(field("/content").unwrap_or_default()),
            posted_at: field("/created_at")
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.with_timezone(&Utc)),
            cid: None,
            root: None,
        })
    }

    #[instrument(level = "info", skip_all, fields(network = "mastodon"))]
    async fn timeline(&self) -> Result<Option<Vec<RemotePost>>, PublishError> {
        let get = |path: String| {
            self.http
                .get(format!("{}{path}", self.base_url))
                .bearer_auth(self.token.expose())
        };
        let me = send(get("/api/v1/accounts/verify_credentials".into())).await?;
        let id = answer_str(&me, "/id", "Mastodon gave no account id")?;
        let mut posts: Vec<RemotePost> = Vec::new();
        let mut older_than: Option<String> = None;
        for _ in 0..TIMELINE_PAGES {
            let page = match &older_than {
                Some(max) => format!("/api/v1/accounts/{id}/statuses?limit=40&max_id={max}"),
                None => format!("/api/v1/accounts/{id}/statuses?limit=40"),
            };
            let list = send(get(page)).await?;
            let statuses = list.as_array().map_or(&[][..], Vec::as_slice);
            posts.extend(statuses.iter().filter_map(status_post));
            older_than = statuses
                .last()
                .and_then(|s| s.get("id"))
                .and_then(|v| v.as_str())
                .map(str::to_owned);
            if statuses.len() < 40 {
                break;
            }
        }
        Ok(Some(posts))
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
