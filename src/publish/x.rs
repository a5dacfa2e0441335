//! X (Twitter) API v2: `POST /2/tweets` with OAuth 1.0a user context.
//!
//! X has no idempotency key and answers a repeated text with 403 "duplicate content", so an
//! unknown outcome is looked up among the account's recent posts (`GET /2/users/:id/tweets`)
//! by exact text; not finding it proves nothing (the timeline lags, links are rewritten to
//! t.co), so the lookup never says "absent": a person decides.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::json;
use tokio::sync::OnceCell;
use tracing::instrument;

use super::oauth1::{self, Credentials};
use super::{
    answer_str, before_post, count_of, file_part, missing, send, time_of, Lookup, PostRequest,
    Posted, PublishError, Publisher, RemotePost,
};
use crate::store::Counts;
use crate::workflow::media::ImageFile;
use crate::workflow::{Kind, Link, Target};

/// How many pages of the account's posts a timeline read takes at most.
const TIMELINE_PAGES: usize = 3;

/// The public API host.
pub const DEFAULT_API_URL: &str = "https://api.x.com";

/// Posts as one X account.
#[derive(Debug)]
pub struct XPublisher {
    http: reqwest::Client,
    api_url: String,
    creds: Credentials,
    /// The account's user id, asked once (`GET /2/users/me`) when a lookup needs it.
    user_id: OnceCell<String>,
}

impl XPublisher {
    pub fn new(http: reqwest::Client, api_url: &str, creds: Credentials) -> XPublisher {
        XPublisher {
            http,
            api_url: api_url.trim_end_matches('/').to_owned(),
            creds,
            user_id: OnceCell::new(),
        }
    }

    /// A signed request; `query` is both sent and signed.
    fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        query: &[(String, String)],
    ) -> reqwest::RequestBuilder {
        let url = format!("{}{path}", self.api_url);
        let auth = oauth1::authorization(
            &self.creds,
            method.as_str(),
            &url,
            query,
            &oauth1::nonce(),
            Utc::now().timestamp(),
        );
        self.http
            .request(method, &url)
            .query(query)
            .header(reqwest::header::AUTHORIZATION, auth)
    }

    async fn user_id(&self) -> Result<&String, PublishError> {
        self.user_id
            .get_or_try_init(|| async {
                let me = send(self.request(reqwest::Method::GET, "/2/users/me", &[])).await?;
                answer_str(&me, "/data/id", "GET /2/users/me gave no id").map(str::to_owned)
            })
            .await
    }
}

impl XPublisher {
    /// `POST /2/media/upload` (multipart `media`, `media_category=tweet_image`, signed with
    /// OAuth 1.0a: a multipart body is not part of the signature), then the alt text with
    /// `POST /2/media/metadata`. Returns the media id for the post's `media.media_ids`.
    async fn upload(&self, file: &ImageFile, index: usize) -> Result<String, PublishError> {
        let what = format!("image {} upload", index + 1);
        let form = reqwest::multipart::Form::new()
            .part("media", file_part(file, index)?)
            .text("media_category", "tweet_image")
            .text("media_type", file.image.mime.clone());
        let answer = send(
            self.request(reqwest::Method::POST, "/2/media/upload", &[])
                .multipart(form),
        )
        .await
        .map_err(|e| before_post(&what, e))?;
        let id = answer_str(&answer, "/data/id", "X answered without a media id")
            .map_err(|e| before_post(&what, e))?
            .to_owned();
        if let Some(alt) = file.image.alt_text() {
            send(
                self.request(reqwest::Method::POST, "/2/media/metadata", &[])
                    .json(&json!({ "id": id, "metadata": { "alt_text": { "text": alt } } })),
            )
            .await
            .map_err(|e| before_post(&format!("image {} alt text", index + 1), e))?;
        }
        Ok(id)
    }

    /// `POST /2/users/{id}/retweets`: the account reposts the target as is.
    async fn retweet(&self, target: &Target) -> Result<Posted, PublishError> {
        let user = self.user_id().await?.clone();
        let path = format!("/2/users/{user}/retweets");
        let answer = send(
            self.request(reqwest::Method::POST, &path, &[])
                .json(&json!({ "tweet_id": target.id })),
        )
        .await?;
        match answer.pointer("/data/retweeted").and_then(|v| v.as_bool()) {
            Some(true) => Ok(Posted {
                remote_id: format!("retweet:{}", target.id),
                cid: None,
                url: Some(target.link.url.clone()),
            }),
            _ => Err(PublishError::unknown(
                "X did not say the post was retweeted",
            )),
        }
    }
}

/// One page of `GET /2/users/:id/tweets` as posts.
fn page_of(list: &serde_json::Value) -> Vec<RemotePost> {
    list.get("data")
        .and_then(|d| d.as_array())
        .into_iter()
        .flatten()
        .filter_map(|t| {
            let id = t.get("id")?.as_str()?;
            let text = t.get("text")?.as_str()?;
            let m = t.get("public_metrics");
            let metric = |name: &str| count_of(m.and_then(|m| m.get(name)));
            Some(RemotePost {
                id: id.to_owned(),
                url: Some(url_of(id)),
                relay: text.starts_with("RT @"),
                text: text.to_owned(),
                posted_at: time_of(t.get("created_at"))?,
                counts: Counts {
                    replies: metric("reply_count"),
                    reposts: metric("retweet_count"),
                    likes: metric("like_count"),
                    quotes: metric("quote_count"),
                    impressions: m
                        .and_then(|m| m.get("impression_count"))
                        .and_then(|v| v.as_u64()),
                },
            })
        })
        .collect()
}

fn url_of(id: &str) -> String {
    format!("https://x.com/i/web/status/{id}")
}

#[async_trait]
impl Publisher for XPublisher {
    fn network(&self) -> &'static str {
        "x"
    }

    #[instrument(level = "info", skip_all, fields(network = "x", proposal = %req.proposal))]
    async fn post(&self, req: &PostRequest) -> Result<Posted, PublishError> {
        let mut body = json!({ "text": req.text });
        if let Some(to) = &req.reply_to {
            body["reply"] = json!({ "in_reply_to_tweet_id": to.parent.id });
        }
        match &req.conversation {
            Some(c) if c.kind == Kind::Repost => return self.retweet(&c.target).await,
            Some(c) if c.kind == Kind::Reply => {
                body["reply"] = json!({ "in_reply_to_tweet_id": c.target.id });
            }
            Some(c) => body["quote_tweet_id"] = json!(c.target.id),
            None => {}
        }
        if !req.images.is_empty() {
            let mut ids = Vec::with_capacity(req.images.len());
            for (i, file) in req.images.iter().enumerate() {
                ids.push(self.upload(file, i).await?);
            }
            body["media"] = json!({ "media_ids": ids });
        }
        let answer = send(
            self.request(reqwest::Method::POST, "/2/tweets", &[])
                .json(&body),
        )
        .await?;
        let id = answer_str(&answer, "/data/id", "X answered without a post id")?;
        Ok(Posted {
            remote_id: id.to_owned(),
            cid: None,
            url: Some(url_of(id)),
        })
    }

    #[instrument(level = "info", skip_all, fields(network = "x"))]
    async fn fetch(&self, link: &Link) -> Result<Target, PublishError> {
        let query = [
            ("expansions".to_owned(), "author_id".to_owned()),
            ("tweet.fields".to_owned(), "created_at".to_owned()),
            ("user.fields".to_owned(), "username".to_owned()),
        ];
        let path = format!("/2/tweets/{}", link.id);
        let answer = send(self.request(reqwest::Method::GET, &path, &query)).await?;
        let text = answer
            .pointer("/data/text")
            .and_then(|v| v.as_str())
            .ok_or_else(|| missing(link, "post"))?;
        let author = answer
            .pointer("/includes/users/0/username")
            .and_then(|v| v.as_str())
            .unwrap_or(&link.user);
        Ok(Target {
            link: link.clone(),
            id: link.id.clone(),
            author: author.to_owned(),
            text: text.to_owned(),
            posted_at: answer
                .pointer("/data/created_at")
                .and_then(|v| v.as_str())
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.with_timezone(&Utc)),
            cid: None,
            root: None,
        })
    }

    #[instrument(level = "info", skip_all, fields(network = "x"))]
    async fn timeline(&self) -> Result<Option<Vec<RemotePost>>, PublishError> {
        let user = self.user_id().await?.clone();
        let path = format!("/2/users/{user}/tweets");
        let mut posts = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..TIMELINE_PAGES {
            let mut query = vec![
                ("max_results".to_owned(), "100".to_owned()),
                (
                    "tweet.fields".to_owned(),
                    "created_at,public_metrics".to_owned(),
                ),
            ];
            if let Some(t) = &token {
                query.push(("pagination_token".to_owned(), t.clone()));
            }
            let list = send(self.request(reqwest::Method::GET, &path, &query)).await?;
            posts.extend(page_of(&list));
            token = list
                .pointer("/meta/next_token")
                .and_then(|t| t.as_str())
                .map(str::to_owned);
            if token.is_none() {
                break;
            }
        }
        Ok(Some(posts))
    }

    #[instrument(level = "info", skip_all, fields(network = "x", proposal = %req.proposal))]
    async fn lookup(&self, req: &PostRequest) -> Lookup {
        if req
            .conversation
            .as_ref()
            .is_some_and(|c| c.kind == Kind::Repost)
        {
            // Retweeting what the account already retweeted changes nothing: safe to send.
            return Lookup::Absent;
        }
        let user = match self.user_id().await {
            Ok(u) => u.clone(),
            Err(e) => return Lookup::Unknown(format!("can't list the account's posts: {e}")),
        };
        let query = [("max_results".to_owned(), "20".to_owned())];
        let path = format!("/2/users/{user}/tweets");
        match send(self.request(reqwest::Method::GET, &path, &query)).await {
            Ok(list) => {
                let found = list
                    .get("data")
                    .and_then(|d| d.as_array())
                    .into_iter()
                    .flatten()
                    .find(|t| t.get("text").and_then(|s| s.as_str()) == Some(req.text.as_str()))
                    .and_then(|t| t.get("id").and_then(|s| s.as_str()));
                match found {
                    Some(id) => Lookup::Found(Posted {
                        remote_id: id.to_owned(),
                        cid: None,
                        url: Some(url_of(id)),
                    }),
                    None => Lookup::Unknown(
                        "not among the account's recent posts on X (which may lag): check the account".into(),
                    ),
                }
            }
            Err(e) => Lookup::Unknown(format!("can't list the account's posts: {e}")),
        }
    }
}
