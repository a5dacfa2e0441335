//! Bluesky (AT Protocol): a session (`com.atproto.server.createSession`), then
//! `com.atproto.repo.createRecord` of an `app.bsky.feed.post` with a record key we chose.
//!
//! There is no idempotency key, but a record key can exist only once: the worker stores the
//! key (a TID made from the time it was prepared) before the first send, so after an unknown
//! outcome `com.atproto.repo.getRecord` by that key says for certain whether the post exists,
//! and a repeat can never make a second one.

use async_trait::async_trait;
use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use rand::Rng;
use serde_json::{json, Value};
use tokio::sync::Mutex;
use tracing::{debug, instrument};
use unicode_segmentation::UnicodeSegmentation;

use super::facets;
use super::{
    answer_str, before_post, count_of, missing, send, time_of, Lookup, PostRequest, Posted,
    PublishError, Publisher, RemotePost, Secret,
};
use crate::review::media::BLUESKY_IMAGE_BYTES;
use crate::store::Counts;
use crate::workflow::media::ImageFile;
use crate::workflow::{GuildId, Kind, Link, ProposalId, Target};

/// The public service most accounts live on.
pub const DEFAULT_SERVICE: &str = "https://bsky.social";
/// Bluesky's limit, in graphemes (what a reader sees as one character).
pub const MAX_GRAPHEMES: usize = 300;
const COLLECTION: &str = "app.bsky.feed.post";
/// How many pages (of 100) of the account's feed a timeline read takes at most.
const TIMELINE_PAGES: usize = 3;
/// Where reposts are records.
const REPOST: &str = "app.bsky.feed.repost";

/// The logged-in account.
#[derive(Debug, Clone)]
struct Session {
    access: Secret,
    did: String,
    handle: String,
}

/// Posts as one Bluesky account (an app password, never the main one).
#[derive(Debug)]
pub struct BlueskyPublisher {
    http: reqwest::Client,
    service: String,
    identifier: String,
    password: Secret,
    session: Mutex<Option<Session>>,
}

/// A TID (timestamp identifier): microseconds since the epoch and a random clock id, in
/// sortable base32, 13 characters: what Bluesky's own clients use as record keys.
pub fn tid(now: DateTime<Utc>, clock_id: u16) -> String {
    const ALPHABET: &[u8; 32] = b"234567abcdefghijklmnopqrstuvwxyz";
    let micros = u64::try_from(now.timestamp_micros()).unwrap_or(0) & ((1 << 53) - 1);
    let mut v = (micros << 10) | u64::from(clock_id & 0x3ff);
    let mut out = [b'2'; 13];
    for slot in out.iter_mut().rev() {
        *slot = ALPHABET[(v & 31) as usize];
        v >>= 5;
    }
    out.iter().map(|&b| b as char).collect()
}

/// Whether the text is within Bluesky's limit.
pub fn graphemes(text: &str) -> usize {
    text.graphemes(true).count()
}

impl BlueskyPublisher {
    pub fn new(
        http: reqwest::Client,
        service: &str,
        identifier: &str,
        password: Secret,
    ) -> BlueskyPublisher {
        BlueskyPublisher {
            http,
            service: service.trim_end_matches('/').to_owned(),
            identifier: identifier.trim().to_owned(),
            password,
            session: Mutex::new(None),
        }
    }

    fn xrpc(&self, method: &str) -> String {
        format!("{}/xrpc/{method}", self.service)
    }

    /// The current session, logging in when there is none (or `fresh`, after an expired
    /// token). Logging in posts nothing, so any failure here is "certainly not posted".
    async fn session(&self, fresh: bool) -> Result<Session, PublishError> {
        let mut slot = self.session.lock().await;
        if let (Some(s), false) = (slot.as_ref(), fresh) {
            return Ok(s.clone());
        }
        let answer = send(
            self.http
                .post(self.xrpc("com.atproto.server.createSession"))
                .json(&json!({"identifier": self.identifier, "password": self.password.expose()})),
        )
        .await
        // No post is sent before a session exists: any failure is certainly not posted.
        .map_err(|e| before_post("login", e))?;
        let field = |name: &str| answer.get(name).and_then(Value::as_str).map(str::to_owned);
        let session = match (field("accessJwt"), field("did")) {
            (Some(access), Some(did)) => Session {
                access: Secret::new(access),
                handle: field("handle").unwrap_or_else(|| did.clone()),
                did,
            },
            _ => return Err(PublishError::refused("login: no session in the answer")),
        };
        *slot = Some(session.clone());
        Ok(session)
    }

    /// A DID for a handle, or `None` (then the mention stays plain text).
    async fn resolve(&self, handle: &str) -> Option<String> {
        let answer = send(
            self.http
                .get(self.xrpc("com.atproto.identity.resolveHandle"))
                .query(&[("handle", handle)]),
        )
        .await
        .ok()?;
        answer.get("did").and_then(Value::as_str).map(str::to_owned)
    }

    async fn facets(&self, text: &str) -> Vec<Value> {
        let mut out = Vec::new();
        for found in facets::detect(text) {
            let did = match &found.feature {
                facets::Feature::Mention(handle) => {
                    let did = self.resolve(handle).await;
                    if did.is_none() {
                        debug!(handle, "mention not resolved; left as text");
                    }
                    did
                }
                _ => None,
            };
            out.extend(facets::facet(&found, did.as_deref()));
        }
        out
    }

    /// `com.atproto.repo.uploadBlob` of each image (re-encoded first when over Bluesky's
    /// 1,000,000 bytes), as the `app.bsky.embed.images` embed with alt texts and aspect ratios.
    async fn upload_images(
        &self,
        session: &Session,
        images: &[ImageFile],
    ) -> Result<Option<Value>, PublishError> {
        if images.is_empty() {
            return Ok(None);
        }
        let mut out = Vec::with_capacity(images.len());
        for (i, original) in images.iter().enumerate() {
            let what = format!("image {} upload", i + 1);
            let owned = original.clone();
            // Re-encoding is CPU work: off the async threads.
            let file = tokio::task::spawn_blocking(move || {
                crate::media::fit_under(&owned, BLUESKY_IMAGE_BYTES as usize)
            })
            .await
            .map_err(|e| PublishError::refused(format!("{what}: {e}")))?
            .map_err(|e| PublishError::refused(format!("{what}: {e}")))?;
            let answer = send(
                self.http
                    .post(self.xrpc("com.atproto.repo.uploadBlob"))
                    .bearer_auth(session.access.expose())
                    .header(reqwest::header::CONTENT_TYPE, file.image.mime.clone())
                    .body(file.bytes.clone()),
            )
            .await
            .map_err(|e| before_post(&what, e))?;
            let blob = answer.get("blob").cloned().ok_or_else(|| {
                before_post(&what, PublishError::unknown("no blob in the answer"))
            })?;
            out.push(json!({
                "image": blob,
                "alt": file.image.alt_text().unwrap_or(""),
                "aspectRatio": { "width": file.image.width, "height": file.image.height },
            }));
        }
        Ok(Some(
            json!({ "$type": "app.bsky.embed.images", "images": out }),
        ))
    }

    async fn create(
        &self,
        session: &Session,
        req: &PostRequest,
        facets: &[Value],
        media: Option<&Value>,
    ) -> Result<Value, PublishError> {
        let mut record = json!({
            "$type": COLLECTION,
            "text": req.text,
            "createdAt": Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
        });
        if !facets.is_empty() {
            record["facets"] = Value::Array(facets.to_vec());
        }
        if let Some(to) = &req.reply_to {
            record["reply"] =
                json!({ "root": strong_ref(&to.root)?, "parent": strong_ref(&to.parent)? });
        }
        match &req.conversation {
            Some(c) if c.kind == Kind::Reply => {
                let parent = target_ref(&c.target)?;
                // Answering a reply: the thread's first post stays the root.
                let root = match &c.target.root {
                    Some((uri, cid)) => json!({ "uri": uri, "cid": cid }),
                    None => parent.clone(),
                };
                record["reply"] = json!({ "root": root, "parent": parent });
            }
            Some(c) if c.kind == Kind::Quote => {
                let quoted = json!({
                    "$type": "app.bsky.embed.record",
                    "record": target_ref(&c.target)?,
                });
                record["embed"] = match media {
                    Some(images) => json!({
                        "$type": "app.bsky.embed.recordWithMedia",
                        "record": quoted,
                        "media": images,
                    }),
                    None => quoted,
                };
            }
            _ => {
                if let Some(images) = media {
                    record["embed"] = images.clone();
                }
            }
        }
        let (collection, record) = match &req.conversation {
            Some(c) if c.kind == Kind::Repost => (
                REPOST,
                json!({
                    "$type": REPOST,
                    "subject": target_ref(&c.target)?,
                    "createdAt": Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
                }),
            ),
            _ => (COLLECTION, record),
        };
        send(
            self.http
                .post(self.xrpc("com.atproto.repo.createRecord"))
                .bearer_auth(session.access.expose())
                .json(&json!({
                    "repo": session.did,
                    "collection": collection,
                    "rkey": req.key,
                    "record": record,
                })),
        )
        .await
    }

    /// A handle's DID (a DID is its own).
    async fn did_of(&self, user: &str) -> Result<String, PublishError> {
        if user.starts_with("did:") {
            return Ok(user.to_owned());
        }
        let answer = send(
            self.http
                .get(self.xrpc("com.atproto.identity.resolveHandle"))
                .query(&[("handle", user)]),
        )
        .await?;
        answer
            .get("did")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| PublishError::refused(format!("no account is called {user}")))
    }

    fn posted(session: &Session, rkey: &str, uri: String, cid: Option<String>) -> Posted {
        Posted {
            remote_id: uri,
            cid,
            url: Some(format!(
                "https://bsky.app/profile/{}/post/{rkey}",
                session.handle
            )),
        }
    }
}

/// A post as a Bluesky reply names it: URI and content id, both required.
fn strong_ref(post: &super::PostRef) -> Result<Value, PublishError> {
    let cid = post.cid.as_deref().ok_or_else(|| {
        PublishError::refused(format!(
            "can't reply to {} without its content id (cid)",
            post.id
        ))
    })?;
    Ok(json!({ "uri": post.id, "cid": cid }))
}

/// One page of `app.bsky.feed.getAuthorFeed` as posts (a repost: relayed).
fn feed_page(feed: &Value, own_handle: &str) -> Vec<RemotePost> {
    feed.get("feed")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|item| {
            let post = item.get("post")?;
            let uri = post.get("uri")?.as_str()?;
            let repost = item.pointer("/reason/$type").and_then(Value::as_str)
                == Some("app.bsky.feed.defs#reasonRepost");
            let rkey = uri.rsplit('/').next().unwrap_or_default();
            let handle = post
                .pointer("/author/handle")
                .and_then(Value::as_str)
                .unwrap_or(own_handle);
            Some(RemotePost {
                id: uri.to_owned(),
                url: Some(format!("https://bsky.app/profile/{handle}/post/{rkey}")),
                text: post.pointer("/record/text")?.as_str()?.to_owned(),
                posted_at: time_of(
                    item.pointer("/reason/indexedAt")
                        .or_else(|| post.pointer("/record/createdAt")),
                )?,
                relay: repost,
                counts: Counts {
                    replies: count_of(post.get("replyCount")),
                    reposts: count_of(post.get("repostCount")),
                    likes: count_of(post.get("likeCount")),
                    quotes: count_of(post.get("quoteCount")),
                    impressions: None,
                },
            })
        })
        .collect()
}

/// The target as a strong ref (`uri`, `cid`), which replies, quotes and reposts all name.
fn target_ref(target: &Target) -> Result<Value, PublishError> {
    strong_ref(&super::PostRef {
        id: target.id.clone(),
        cid: target.cid.clone(),
    })
}

/// A refusal because the access token expired: certain, and worth one new login.
fn expired(e: &PublishError) -> bool {
    matches!(e, PublishError::NotPosted { reason, .. }
        if reason.contains("ExpiredToken") || reason.contains("InvalidToken"))
}

#[async_trait]
impl Publisher for BlueskyPublisher {
    fn network(&self) -> &'static str {
        "bluesky"
    }

    /// A TID of `now`, moved by the proposal's id in microseconds: two proposals prepared in
    /// the same instant (two workers, a test's fixed clock) never share a record key, which
    /// would make one's lookup find the other's post.
    fn key(
        &self,
        _: GuildId,
        proposal: ProposalId,
        _: u32,
        _: u32,
        _: &str,
        now: DateTime<Utc>,
    ) -> String {
        let offset = TimeDelta::microseconds(proposal.0.rem_euclid(1_000_000));
        tid(now + offset, rand::thread_rng().gen_range(0..1024))
    }

    fn check(&self, text: &str) -> Result<(), PublishError> {
        let n = graphemes(text);
        if n > MAX_GRAPHEMES {
            return Err(PublishError::refused(format!(
                "{n} characters: Bluesky takes at most {MAX_GRAPHEMES}"
            )));
        }
        Ok(())
    }

    #[instrument(level = "info", skip_all, fields(network = "bluesky", proposal = %req.proposal))]
    async fn post(&self, req: &PostRequest) -> Result<Posted, PublishError> {
        self.check(&req.text)?;
        let facets = self.facets(&req.text).await;
        let mut session = self.session(false).await?;
        let reposting = req
            .conversation
            .as_ref()
            .is_some_and(|c| c.kind == Kind::Repost);
        let images: &[ImageFile] = if reposting { &[] } else { &req.images };
        let media = match self.upload_images(&session, images).await {
            Err(e) if expired(&e) => {
                session = self.session(true).await?;
                self.upload_images(&session, images).await?
            }
            other => other?,
        };
        let answer = match self.create(&session, req, &facets, media.as_ref()).await {
            Err(e) if expired(&e) => {
                session = self.session(true).await?;
                self.create(&session, req, &facets, media.as_ref()).await?
            }
            other => other?,
        };
        let uri = answer_str(&answer, "/uri", "Bluesky answered without a record URI")?;
        let cid = answer.get("cid").and_then(Value::as_str).map(str::to_owned);
        Ok(Self::posted(&session, &req.key, uri.to_owned(), cid))
    }

    #[instrument(level = "info", skip_all, fields(network = "bluesky"))]
    async fn fetch(&self, link: &Link) -> Result<Target, PublishError> {
        let did = self.did_of(&link.user).await?;
        let uri = format!("at://{did}/{COLLECTION}/{}", link.id);
        let session = self.session(false).await?;
        let answer = send(
            self.http
                .get(self.xrpc("app.bsky.feed.getPosts"))
                .bearer_auth(session.access.expose())
                .query(&[("uris", uri.as_str())]),
        )
        .await?;
        let post = answer
            .pointer("/posts/0")
            .ok_or_else(|| missing(link, "post"))?;
        let field = |pointer: &str| post.pointer(pointer).and_then(Value::as_str);
        let root = match (
            field("/record/reply/root/uri"),
            field("/record/reply/root/cid"),
        ) {
            (Some(uri), Some(cid)) => Some((uri.to_owned(), cid.to_owned())),
            _ => None,
        };
        Ok(Target {
            link: link.clone(),
            id: field("/uri").unwrap_or(&uri).to_owned(),
            author: field("/author/handle").unwrap_or(&link.user).to_owned(),
            text: field("/record/text").unwrap_or_default().to_owned(),
            posted_at: field("/record/createdAt")
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.with_timezone(&Utc)),
            cid: Some(
                field("/cid")
                    .ok_or_else(|| missing(link, "content id"))?
                    .to_owned(),
            ),
            root,
        })
    }

    #[instrument(level = "info", skip_all, fields(network = "bluesky"))]
    async fn timeline(&self) -> Result<Option<Vec<RemotePost>>, PublishError> {
        let session = self.session(false).await?;
        let mut posts = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..TIMELINE_PAGES {
            let mut query = vec![("actor", session.did.clone()), ("limit", "100".to_owned())];
            if let Some(c) = &cursor {
                query.push(("cursor", c.clone()));
            }
            let feed = send(
                self.http
                    .get(self.xrpc("app.bsky.feed.getAuthorFeed"))
                    .bearer_auth(session.access.expose())
                    .query(&query),
            )
            .await?;
            posts.extend(feed_page(&feed, &session.handle));
            cursor = feed
                .get("cursor")
                .and_then(Value::as_str)
                .map(str::to_owned);
            if cursor.is_none() {
                break;
            }
        }
        Ok(Some(posts))
    }

    #[instrument(level = "info", skip_all, fields(network = "bluesky", proposal = %req.proposal))]
    async fn lookup(&self, req: &PostRequest) -> Lookup {
        let session = match self.session(false).await {
            Ok(s) => s,
            Err(e) => return Lookup::Unknown(e.to_string()),
        };
        let repost = req
            .conversation
            .as_ref()
            .is_some_and(|c| c.kind == Kind::Repost);
        let collection = if repost { REPOST } else { COLLECTION };
        let got = send(
            self.http
                .get(self.xrpc("com.atproto.repo.getRecord"))
                .query(&[
                    ("repo", session.did.as_str()),
                    ("collection", collection),
                    ("rkey", req.key.as_str()),
                ]),
        )
        .await;
        match got {
            Ok(record) => {
                let text = record.pointer("/value/text").and_then(Value::as_str);
                let ours = if repost {
                    record.pointer("/value/subject/uri").and_then(Value::as_str)
                        == req.conversation.as_ref().map(|c| c.target.id.as_str())
                } else {
                    text == Some(req.text.as_str())
                };
                match record.get("uri").and_then(Value::as_str) {
                    Some(uri) if ours => {
                        let cid = record.get("cid").and_then(Value::as_str).map(str::to_owned);
                        Lookup::Found(Self::posted(&session, &req.key, uri.to_owned(), cid))
                    }
                    // Our key holds another text: not ours, and ours can't be there either;
                    // a person looks rather than the worker guessing.
                    Some(uri) => Lookup::Unknown(format!(
                        "record key {} holds another post ({uri})",
                        req.key
                    )),
                    None => Lookup::Unknown("getRecord answered without a URI".into()),
                }
            }
            Err(PublishError::NotPosted { reason, .. })
                if reason.contains("RecordNotFound") || reason.starts_with("HTTP 404") =>
            {
                Lookup::Absent
            }
            Err(e) => Lookup::Unknown(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_tid_is_13_sortable_characters() {
        let t = Utc
            .with_ymd_and_hms(2026, 3, 2, 9, 30, 0)
            .single()
            .expect("date");
        let a = tid(t, 0);
        let b = tid(t + chrono::TimeDelta::microseconds(1), 0);
        assert_eq!(a.len(), 13);
        assert!(a < b, "{a} < {b}");
        assert!(
            a.starts_with(|c: char| "234567abcdefghij".contains(c)),
            "top bit is 0: {a}"
        );
        assert_ne!(tid(t, 1), a);
    }

    #[test]
    fn the_limit_counts_graphemes_not_bytes() {
        let family = "👨‍👩‍👧‍👦";
        assert_eq!(graphemes(&family.repeat(300)), 300);
        let p = BlueskyPublisher::new(
            reqwest::Client::new(),
            DEFAULT_SERVICE,
            "me",
            Secret::new("pw"),
        );
        assert!(p.check(&family.repeat(300)).is_ok());
        assert!(p.check(&"é".repeat(301)).is_err());
    }
}
