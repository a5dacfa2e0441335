//! X (Twitter) API v2: `POST /2/tweets` with OAuth 1.0a user context.
//!
//! X has no idempotency key and answers a repeated text with 403 "duplicate content", so an
//! unknown outcome is looked up among the account's recent posts (`GET /2/users/:id/tweets`)
//! by exact text; not finding it proves nothing (the timeline lags, links are rewritten to
//! t.co), so the lookup never says "absent": a person decides.

use async_trait::async_trait;
use chrono::Utc;
use serde_json::json;
use tokio::sync::OnceCell;
use tracing::instrument;

use super::oauth1::{self, Credentials};
use super::{answer_str, send, Lookup, PostRequest, Posted, PublishError, Publisher};

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

    #[instrument(level = "info", skip_all, fields(network = "x", proposal = %req.proposal))]
    async fn lookup(&self, req: &PostRequest) -> Lookup {
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
