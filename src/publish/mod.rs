//! Posting approved tweets: one [`Publisher`] per network (X, Mastodon, Bluesky, a Discord
//! webhook) and the [`worker`] that posts each approved proposal exactly once.
//!
//! The one distinction every publisher must get right is between a request that certainly
//! did not post ([`PublishError::NotPosted`]: refused before or by the server, safe to send
//! again) and one whose outcome is unknown ([`PublishError::Unknown`]: the request may have
//! reached the server). An unknown outcome is never answered by sending again; it is
//! [`Publisher::lookup`]ed with the key stored before sending, and when even that can't tell,
//! a person decides.

pub mod bluesky;
pub mod config;
pub mod facets;
pub mod mastodon;
pub mod oauth1;
pub mod reading;
pub mod timeline;
pub mod webhook;
pub mod worker;
pub mod x;

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

pub use crate::secret::Secret;
pub use config::{ConfigError, PublishArgs};
pub use reading::{Reading, ReviewSettingsFor};
pub use worker::{
    confirm_posted, post_again, retry, review_networks, schedule, targets, Announcer, LogAnnouncer,
    Worker, WorkerOptions, TARGETS,
};

use crate::workflow::media::ImageFile;
use crate::workflow::{Conversation, GuildId, Link, ProposalId, Target};

/// A post as a reply has to name it: its id (an `at://` URI on Bluesky) and, on Bluesky, its
/// content id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostRef {
    pub id: String,
    pub cid: Option<String>,
}

/// What a thread's part answers: the part just before it, and the thread's first post (which
/// Bluesky names as the root of every reply).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyTo {
    pub parent: PostRef,
    pub root: PostRef,
}

/// What to post, and the key stored for it before the first send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostRequest {
    pub guild: GuildId,
    pub proposal: ProposalId,
    pub revision: u32,
    /// Which part of a thread (0-based; a single tweet is part 0).
    pub part: u32,
    /// The approved text of this part, exactly.
    pub text: String,
    /// For a thread's second part on: the post it answers.
    pub reply_to: Option<ReplyTo>,
    /// For the first part: what it answers, quotes or reposts (`None`: a post of its own).
    pub conversation: Option<Conversation>,
    /// For the first part: the approved images with their bytes and alt texts, in order.
    /// Uploaded before the post, on every attempt: an upload is not the fenced step (a repeat
    /// after a crash costs an orphan upload on the network, never a second post).
    pub images: Vec<ImageFile>,
    /// What [`Publisher::key`] gave when the publication was prepared: Bluesky's record key,
    /// Mastodon's Idempotency-Key.
    pub key: String,
    /// When the last request was marked as sent, for a lookup (`None`: never sent).
    pub sent_at: Option<DateTime<Utc>>,
    /// The worker's clock (time is an argument, so tests are deterministic).
    pub now: DateTime<Utc>,
}

/// A post that exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posted {
    /// The network's id for it (a tweet id, a status id, an `at://` URI, a message id).
    pub remote_id: String,
    /// Bluesky's content id, which a reply to the post must give with its URI.
    pub cid: Option<String>,
    /// Its public address, when the network gives one.
    pub url: Option<String>,
}

/// One of the account's posts as its network shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemotePost {
    pub id: String,
    pub url: Option<String>,
    /// Its text (a repost: the reposted text, with `relay` set).
    pub text: String,
    pub posted_at: DateTime<Utc>,
    /// A repost of someone else's post (retweet, boost, repost).
    pub relay: bool,
    pub counts: crate::store::Counts,
}

/// Reads a time the networks write in RFC 3339.
pub(crate) fn time_of(value: Option<&serde_json::Value>) -> Option<DateTime<Utc>> {
    value
        .and_then(|v| v.as_str())
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// A count the networks give as a JSON number (absent: 0).
pub(crate) fn count_of(value: Option<&serde_json::Value>) -> u64 {
    value.and_then(|v| v.as_u64()).unwrap_or(0)
}

/// Why a post did not happen, or may not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PublishError {
    /// Certainly not posted: nothing reached the server, or the server refused it.
    #[error("not posted: {reason}")]
    NotPosted {
        reason: String,
        /// When the network said to come back (`Retry-After`, rate-limit reset headers).
        retry_after: Option<Duration>,
        /// Whether trying again later may succeed (a rate limit, a network failure) or not
        /// (refused credentials, invalid text): then a person has to act.
        retryable: bool,
    },
    /// The request may have reached the server, and we don't know what it did (a timeout
    /// after sending, a connection dropped before the answer, a 5xx).
    #[error("outcome unknown: {reason}")]
    Unknown { reason: String },
}

impl PublishError {
    pub(crate) fn refused(reason: impl Into<String>) -> PublishError {
        PublishError::NotPosted {
            reason: reason.into(),
            retry_after: None,
            retryable: false,
        }
    }

    pub(crate) fn unknown(reason: impl Into<String>) -> PublishError {
        PublishError::Unknown {
            reason: reason.into(),
        }
    }
}

/// What a lookup after an unknown outcome found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The post exists (or, for Mastodon, the retry with the same key answered with it).
    Found(Posted),
    /// It certainly does not exist: sending again is safe.
    Absent,
    /// Nobody can tell: a person has to check.
    Unknown(String),
}

/// One network the bot posts to.
#[async_trait]
pub trait Publisher: Send + Sync + std::fmt::Debug {
    /// The name servers use in their `publish_targets` setting: `x`, `mastodon`, `bluesky`,
    /// `webhook`.
    fn network(&self) -> &'static str;

    /// The key stored before the first send (an idempotency key, a record key): stable for
    /// the proposal's revision and thread part, so a retry or a lookup after a crash uses the same one. By
    /// default the [`stable_key`] under the publisher's [`network`](Publisher::network) name.
    fn key(
        &self,
        guild: GuildId,
        proposal: ProposalId,
        revision: u32,
        part: u32,
        text: &str,
        now: DateTime<Utc>,
    ) -> String {
        let _ = now;
        stable_key(self.network(), guild, proposal, revision, part, text)
    }

    /// Whether `text` can be posted here at all (a length limit); checked before sending.
    fn check(&self, text: &str) -> Result<(), PublishError> {
        let _ = text;
        Ok(())
    }

    /// Posts once.
    async fn post(&self, req: &PostRequest) -> Result<Posted, PublishError>;

    /// Reads the post at `link` on this network (its author, text, date and the ids an answer
    /// needs), when a reply, a quote or a repost of it is proposed.
    async fn fetch(&self, link: &Link) -> Result<Target, PublishError> {
        Err(PublishError::refused(format!(
            "{} can't read posts from {}",
            self.network(),
            link.url
        )))
    }

    /// The account's most recent posts on this network, newest first, with their counts: what
    /// the timeline sync stores for the history rules and the return on influence. `None`
    /// where posts can't be read back (a webhook).
    async fn timeline(&self) -> Result<Option<Vec<RemotePost>>, PublishError> {
        Ok(None)
    }

    /// After an unknown outcome: does the post exist?
    async fn lookup(&self, req: &PostRequest) -> Lookup;
}

/// A deterministic idempotency key for a proposal's revision on a network. The text's hash is
/// in it too: a database started afresh reuses proposal ids, and the same key for another
/// text would make Mastodon answer with the old post.
pub(crate) fn stable_key(
    network: &str,
    guild: GuildId,
    proposal: ProposalId,
    revision: u32,
    part: u32,
    text: &str,
) -> String {
    let hash = crate::workflow::content_hash(text);
    // Part 0 keeps the key a single tweet always had.
    let part = if part == 0 {
        String::new()
    } else {
        format!("-p{part}")
    };
    format!(
        "tweetguard-{guild}-{proposal}-r{revision}{part}-{network}-{}",
        &hash[..16]
    )
}

/// The shared HTTP client: bounded waits, so a hung server turns into an unknown outcome
/// rather than a stuck worker.
pub fn http_client(timeout: Duration) -> Result<reqwest::Client, ConfigError> {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .user_agent(concat!("tweetguard/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| ConfigError::Http(e.to_string()))
}

/// A request that failed without an answer. Only a failure to connect is certain not to have
/// reached the server; anything later (a timeout, a reset while writing or reading) may have.
pub(crate) fn send_error(e: &reqwest::Error) -> PublishError {
    if e.is_connect() || e.is_builder() {
        PublishError::NotPosted {
            reason: format!("could not connect: {}", error_chain(e)),
            retry_after: None,
            retryable: true,
        }
    } else if e.is_timeout() {
        PublishError::unknown("no answer in time after sending")
    } else {
        PublishError::unknown(format!(
            "connection failed after sending: {}",
            error_chain(e)
        ))
    }
}

/// The error and its causes in one line, without the URL (it may carry a webhook's secret).
fn error_chain(e: &reqwest::Error) -> String {
    let mut out = String::new();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(s) = source {
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&s.to_string());
        source = s.source();
    }
    if out.is_empty() {
        "request failed".into()
    } else {
        out
    }
}

/// Sends a request and returns the body of a 2xx answer; anything else is classified:
/// 429 and 408 are certain and retryable, other 4xx certain and final, 5xx unknown (a proxy
/// or a crashed handler may answer 500 after the post was stored).
pub(crate) async fn send(req: reqwest::RequestBuilder) -> Result<serde_json::Value, PublishError> {
    let resp = req.send().await.map_err(|e| send_error(&e))?;
    let status = resp.status();
    let retry_after = retry_after(resp.headers(), Utc::now());
    if status.is_success() {
        let bytes = resp.bytes().await.map_err(|e| {
            PublishError::unknown(format!(
                "HTTP {status} but the answer was cut: {}",
                error_chain(&e)
            ))
        })?;
        return serde_json::from_slice(&bytes).map_err(|e| {
            PublishError::unknown(format!("HTTP {status} with an unreadable answer: {e}"))
        });
    }
    let body = resp.text().await.unwrap_or_default();
    let reason = format!("HTTP {}: {}", status.as_u16(), snippet(&body));
    if status.as_u16() == 429 || status.as_u16() == 408 {
        Err(PublishError::NotPosted {
            reason,
            retry_after,
            retryable: true,
        })
    } else if status.is_client_error() {
        Err(PublishError::NotPosted {
            reason,
            retry_after,
            retryable: false,
        })
    } else {
        Err(PublishError::unknown(reason))
    }
}

/// An upload made before the post: whatever happens to it, the post itself was not sent, so
/// every failure is "certainly not posted" (an upload that did land is an orphan, harmless).
pub(crate) fn before_post(what: &str, e: PublishError) -> PublishError {
    match e {
        PublishError::Unknown { reason } => PublishError::NotPosted {
            reason: format!("{what}: {reason}"),
            retry_after: None,
            retryable: true,
        },
        PublishError::NotPosted {
            reason,
            retry_after,
            retryable,
        } => PublishError::NotPosted {
            reason: format!("{what}: {reason}"),
            retry_after,
            retryable,
        },
    }
}

/// A file part of a multipart upload, typed with the image's MIME type.
pub(crate) fn file_part(
    file: &ImageFile,
    index: usize,
) -> Result<reqwest::multipart::Part, PublishError> {
    let ext = file
        .image
        .mime
        .strip_prefix("image/")
        .unwrap_or("bin")
        .replace("jpeg", "jpg");
    reqwest::multipart::Part::bytes(file.bytes.clone())
        .file_name(format!("image{}.{ext}", index + 1))
        .mime_str(&file.image.mime)
        .map_err(|e| PublishError::refused(format!("image {}: {e}", index + 1)))
}

/// The string at `pointer` (as in [`serde_json::Value::pointer`]) in a 2xx answer. Without
/// it the outcome is unknown, with `missing` as the reason: the server took the request but
/// did not say what it made.
pub(crate) fn answer_str<'a>(
    answer: &'a serde_json::Value,
    pointer: &str,
    missing: &str,
) -> Result<&'a str, PublishError> {
    answer
        .pointer(pointer)
        .and_then(|v| v.as_str())
        .ok_or_else(|| PublishError::unknown(missing))
}

/// The request for reading a post that answered 2xx but not with what was expected: the post
/// is not there (deleted, private), said plainly.
pub(crate) fn missing(link: &Link, what: &str) -> PublishError {
    PublishError::refused(format!(
        "{} gave no {what} for {}",
        link.network.id(),
        link.url
    ))
}

/// Mastodon's HTML as the text a person reads: paragraphs and line breaks kept, tags dropped,
/// the common entities decoded.
pub(crate) fn html_text(html: &str) -> String {
    let spaced = html
        .replace("</p><p>", "\n\n")
        .replace("<br>", "\n")
        .replace("<br/>", "\n")
        .replace("<br />", "\n");
    let mut out = String::with_capacity(spaced.len());
    let mut in_tag = false;
    for c in spaced.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
        .trim()
        .to_owned()
}

/// The start of an error body, on one line, for logs and the card.
fn snippet(body: &str) -> String {
    let one_line: String = body
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(200)
        .collect();
    one_line.trim().to_owned()
}

/// When to come back, from `Retry-After` (seconds or an HTTP date), `x-rate-limit-reset` (X:
/// epoch seconds) or `ratelimit-reset` / `x-ratelimit-reset` (Bluesky: epoch seconds;
/// Mastodon: an ISO 8601 time; the IETF draft: seconds from now).
pub fn retry_after(headers: &reqwest::header::HeaderMap, now: DateTime<Utc>) -> Option<Duration> {
    [
        "retry-after",
        "x-rate-limit-reset",
        "ratelimit-reset",
        "x-ratelimit-reset",
    ]
    .iter()
    .filter_map(|name| headers.get(*name)?.to_str().ok())
    .find_map(|v| parse_reset(v.trim(), now))
}

/// One reset value: a number of seconds (an epoch when it is larger than a year's worth), an
/// RFC 3339 time or an HTTP date.
pub fn parse_reset(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    const YEAR: u64 = 365 * 24 * 3600;
    let until = |t: DateTime<Utc>| (t - now).to_std().ok().or(Some(Duration::ZERO));
    if let Ok(n) = value.parse::<u64>() {
        if n > YEAR {
            let t = DateTime::<Utc>::from_timestamp(i64::try_from(n).ok()?, 0)?;
            return until(t);
        }
        return Some(Duration::from_secs(n));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(value) {
        return until(t.with_timezone(&Utc));
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(value) {
        return until(t.with_timezone(&Utc));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 30, 0)
            .single()
            .expect("date")
    }

    #[test]
    fn reset_headers_read_in_every_form_the_networks_use() {
        let n = now();
        assert_eq!(parse_reset("120", n), Some(Duration::from_secs(120)));
        let epoch = (n.timestamp() + 90).to_string();
        assert_eq!(parse_reset(&epoch, n), Some(Duration::from_secs(90)));
        assert_eq!(
            parse_reset("2026-03-02T09:35:00.000Z", n),
            Some(Duration::from_secs(300))
        );
        assert_eq!(
            parse_reset("Mon, 02 Mar 2026 09:31:00 GMT", n),
            Some(Duration::from_secs(60))
        );
        assert_eq!(parse_reset("2026-03-02T09:00:00Z", n), Some(Duration::ZERO));
        assert_eq!(parse_reset("soon", n), None);
    }

    #[test]
    fn the_first_header_that_parses_wins() {
        let mut h = reqwest::header::HeaderMap::new();
        h.insert("x-rate-limit-reset", "garbage".parse().expect("header"));
        h.insert("retry-after", "7".parse().expect("header"));
        assert_eq!(retry_after(&h, now()), Some(Duration::from_secs(7)));
        assert_eq!(retry_after(&Default::default(), now()), None);
    }

    #[test]
    fn mastodon_html_reads_as_text() {
        assert_eq!(
            html_text("<p>Hello <a href=\"x\">@marie</a> &amp; co</p><p>2nd &lt;3<br>line</p>"),
            "Hello @marie & co\n\n2nd <3\nline"
        );
    }

    #[test]
    fn keys_are_stable_per_revision_and_network() {
        let key = |network, revision, part, text| {
            stable_key(network, GuildId(1), ProposalId(2), revision, part, text)
        };
        let k = key("mastodon", 3, 0, "hi");
        assert_eq!(k, key("mastodon", 3, 0, "hi"));
        assert_ne!(k, key("mastodon", 4, 0, "hi"));
        assert_ne!(k, key("x", 3, 0, "hi"));
        assert_ne!(k, key("mastodon", 3, 0, "ho"));
        // Two parts of a thread never share a key, even with the same words.
        assert_ne!(k, key("mastodon", 3, 1, "hi"));
        assert_ne!(key("mastodon", 3, 1, "hi"), key("mastodon", 3, 2, "hi"));
    }
}
