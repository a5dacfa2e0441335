//! A Discord webhook as a "network": a dry run, or an announcement channel.
//!
//! `?wait=true` makes Discord answer with the message, and `allowed_mentions` is always empty:
//! a tweet's `@everyone` or role mention must never ping anyone. A webhook can't be searched,
//! so an unknown outcome goes to a person.

use async_trait::async_trait;
use serde_json::json;
use tracing::instrument;

use crate::discord::embeds::escape_markdown;
use crate::workflow::{Conversation, Kind};

use super::{
    answer_str, file_part, send, Lookup, PostRequest, Posted, PublishError, Publisher, Secret,
};
use crate::workflow::media::ImageFile;

/// Posts to one webhook. The URL holds the webhook's token: it is a [`Secret`].
#[derive(Debug)]
pub struct WebhookPublisher {
    http: reqwest::Client,
    url: Secret,
}

impl WebhookPublisher {
    pub fn new(http: reqwest::Client, url: Secret) -> WebhookPublisher {
        WebhookPublisher { http, url }
    }

    fn url(&self) -> String {
        let u = self.url.expose();
        let sep = if u.contains('?') { '&' } else { '?' };
        format!("{u}{sep}wait=true")
    }
}

/// The webhook message's body: the text with its Markdown escaped, so it shows exactly as the
/// reviewers approved it (as the card quotes it), pinging nobody.
pub fn body(text: &str) -> serde_json::Value {
    body_of(escape_markdown(text))
}

fn body_of(content: String) -> serde_json::Value {
    json!({ "content": content, "allowed_mentions": { "parse": [] } })
}

/// A reply, quote or repost in the channel: a first line that names and links the other post
/// (symbols, no words: the channel's readers may read either language), then the text.
fn with_target(text: &str, c: &Conversation) -> String {
    let symbol = match c.kind {
        Kind::Reply => "↩️",
        Kind::Quote => "💬",
        Kind::Repost => "🔁",
    };
    let head = format!(
        "{symbol} @{} · <{}>",
        escape_markdown(&c.target.author),
        c.target.link.url
    );
    if text.trim().is_empty() {
        head
    } else {
        format!("{head}\n{}", escape_markdown(text))
    }
}

/// The message with its images: multipart, `payload_json` naming each file in `attachments`
/// with its alt text as `description`, and the files as `files[n]`.
fn with_files(
    mut body: serde_json::Value,
    images: &[ImageFile],
) -> Result<reqwest::multipart::Form, PublishError> {
    let mut form = reqwest::multipart::Form::new();
    let mut attachments = Vec::with_capacity(images.len());
    for (i, file) in images.iter().enumerate() {
        let part = file_part(file, i)?;
        let mut a = json!({ "id": i, "filename": format!("image{}.{}", i + 1, ext(file)) });
        if let Some(alt) = file.image.alt_text() {
            // Discord keeps at most 1,024 characters of a description.
            a["description"] = json!(alt.chars().take(1024).collect::<String>());
        }
        attachments.push(a);
        form = form.part(format!("files[{i}]"), part);
    }
    body["attachments"] = json!(attachments);
    Ok(form.text("payload_json", body.to_string()))
}

fn ext(file: &ImageFile) -> String {
    file.image
        .mime
        .strip_prefix("image/")
        .unwrap_or("bin")
        .replace("jpeg", "jpg")
}

#[async_trait]
impl Publisher for WebhookPublisher {
    fn network(&self) -> &'static str {
        "webhook"
    }

    fn check(&self, text: &str) -> Result<(), PublishError> {
        // Discord counts what it receives: the escaped text.
        if escape_markdown(text).chars().count() > 2000 {
            return Err(PublishError::refused(
                "over Discord's 2,000 characters once its Markdown is escaped",
            ));
        }
        Ok(())
    }

    #[instrument(level = "info", skip_all, fields(network = "webhook", proposal = %req.proposal))]
    async fn post(&self, req: &PostRequest) -> Result<Posted, PublishError> {
        let content = match &req.conversation {
            Some(c) => with_target(&req.text, c),
            None => escape_markdown(&req.text),
        };
        let body = body_of(content);
        let request = if req.images.is_empty() {
            self.http.post(self.url()).json(&body)
        } else {
            self.http
                .post(self.url())
                .multipart(with_files(body, &req.images)?)
        };
        let answer = send(request).await?;
        let id = answer_str(&answer, "/id", "Discord answered without a message id")?;
        let url = match (
            answer.get("guild_id").and_then(|v| v.as_str()),
            answer.get("channel_id").and_then(|v| v.as_str()),
        ) {
            (Some(g), Some(c)) => Some(format!("https://discord.com/channels/{g}/{c}/{id}")),
            _ => None,
        };
        Ok(Posted {
            remote_id: id.to_owned(),
            cid: None,
            url,
        })
    }

    async fn lookup(&self, _: &PostRequest) -> Lookup {
        Lookup::Unknown("a webhook's messages can't be searched: check the channel".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_pings_nobody() {
        let b = body("@everyone hello <@&123>");
        assert_eq!(b["allowed_mentions"]["parse"], json!([]));
        assert_eq!(b["content"], "@everyone hello \\<@&123>");
    }

    /// The tweet shows as typed: its Markdown is escaped, and counted escaped.
    #[test]
    fn markdown_is_posted_as_typed() {
        let b = body("**big** _news_ [link](https://x.test) # not a heading");
        assert_eq!(
            b["content"],
            "\\*\\*big\\*\\* \\_news\\_ \\[link\\](https://x.test) # not a heading"
        );
        let w = WebhookPublisher::new(reqwest::Client::new(), Secret::new("http://127.0.0.1/x"));
        assert!(w.check(&"a".repeat(2000)).is_ok());
        assert!(w.check(&"*".repeat(1001)).is_err());
    }

    #[test]
    fn the_url_waits_and_never_prints() {
        let w = WebhookPublisher::new(
            reqwest::Client::new(),
            Secret::new("https://discord.com/api/webhooks/1/tok?thread_id=2"),
        );
        assert_eq!(
            w.url(),
            "https://discord.com/api/webhooks/1/tok?thread_id=2&wait=true"
        );
        assert!(!format!("{w:?}").contains("tok"));
    }
}
