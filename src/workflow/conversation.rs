//! What a proposal answers, quotes or reposts: the other post, named by its address and read
//! from its network when the proposal is made.
//!
//! Part of what a revision approves: the same words as a reply to another post, or as a quote
//! instead of a reply, are another proposal, so approvals given to one never count for the other.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use crate::review::conversation::Kind;
use crate::review::conversation::Original;
use crate::review::networks::Network;

/// A proposal's place in a conversation: how it takes part, and in what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversation {
    pub kind: Kind,
    pub target: Target,
}

impl Conversation {
    /// What the review is told about it.
    pub fn for_review(&self) -> (Kind, Original) {
        (
            self.kind,
            Original {
                author: self.target.author.clone(),
                text: self.target.text.clone(),
            },
        )
    }

    /// What the approval's hash covers besides the text: the kind and the exact post.
    pub fn fingerprint(&self) -> String {
        format!(
            "{}:{}:{}",
            self.kind.id(),
            self.target.link.network.id(),
            self.target.link.id
        )
    }
}

/// The other post, as its network described it when the proposal was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub link: Link,
    /// The id an answer names on the network: a tweet id; on Mastodon, the status id on the
    /// bot's own instance (found through its search, which fetches a foreign post); on
    /// Bluesky, the post's `at://` URI.
    pub id: String,
    /// Its author's handle as the network gives it (`marie`, `marie@social.example`,
    /// `marie.bsky.social`), without `@`.
    pub author: String,
    /// Its text, plain (Mastodon's HTML reduced to text).
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub posted_at: Option<DateTime<Utc>>,
    /// Bluesky: the post's content id, which a reply, quote or repost must name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cid: Option<String>,
    /// Bluesky: the first post of the thread the target is in (a reply's `root`), when the
    /// target itself answers someone: `(uri, cid)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root: Option<(String, String)>,
}

/// A post's public address, understood: which network, whose, which post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub network: Network,
    /// The address, as given (trimmed, without query or fragment).
    pub url: String,
    /// The author's handle in the address (`marie`, `marie@other.example`, a Bluesky handle
    /// or DID).
    pub user: String,
    /// The post's id in the address: a tweet id, a status id on the instance of the address,
    /// a Bluesky record key.
    pub id: String,
    /// Mastodon: the instance of the address (`social.example`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
}

/// Why an address is not a post we can answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("not an https address")]
    NotHttps,
    #[error("not the address of a post on X, Mastodon or Bluesky")]
    NotAPost,
}

/// Reads a post's address: `https://x.com/{user}/status/{id}` (twitter.com too),
/// `https://{instance}/@{user}/{id}` (any Mastodon instance) or
/// `https://bsky.app/profile/{handle or did}/post/{rkey}`.
pub fn parse_link(input: &str) -> Result<Link, LinkError> {
    let trimmed = input.trim().trim_start_matches('<').trim_end_matches('>');
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"))
        .ok_or(LinkError::NotHttps)?;
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.to_ascii_lowercase();
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let url = format!("https://{host}/{}", segments.join("/"));
    let valid_host = !host.is_empty()
        && host.contains('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
    if !valid_host {
        return Err(LinkError::NotAPost);
    }
    let digits = |s: &str| !s.is_empty() && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_digit());
    let handle = |s: &str| {
        !s.is_empty()
            && s.len() <= 253
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | ':' | '@'))
    };
    let link = |network, user: &str, id: &str, instance: Option<String>| Link {
        network,
        url: url.clone(),
        user: user.to_owned(),
        id: id.to_owned(),
        instance,
    };
    let bare = host
        .trim_start_matches("www.")
        .trim_start_matches("mobile.");
    match (bare, segments.as_slice()) {
        ("x.com" | "twitter.com", [user, "status", id, ..]) if digits(id) && handle(user) => {
            Ok(link(Network::X, user, id, None))
        }
        ("bsky.app", ["profile", user, "post", rkey]) if handle(user) && handle(rkey) => {
            Ok(link(Network::Bluesky, user, rkey, None))
        }
        (_, [user, id]) if user.starts_with('@') && digits(id) && handle(&user[1..]) => {
            Ok(link(Network::Mastodon, &user[1..], id, Some(host.clone())))
        }
        _ => Err(LinkError::NotAPost),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_of_posts_on_each_network_are_read() {
        let x = parse_link("https://x.com/marie/status/1790000000000000001?s=20").expect("x");
        assert_eq!(
            (x.network, x.user.as_str(), x.id.as_str()),
            (Network::X, "marie", "1790000000000000001")
        );
        assert_eq!(x.url, "https://x.com/marie/status/1790000000000000001");
        let t =
            parse_link("https://mobile.twitter.com/Marie_B/status/42/photo/1").expect("twitter");
        assert_eq!((t.network, t.id.as_str()), (Network::X, "42"));
        let m = parse_link("https://Social.Example/@marie/110000000000000001").expect("mastodon");
        assert_eq!(m.network, Network::Mastodon);
        assert_eq!(m.instance.as_deref(), Some("social.example"));
        let remote = parse_link("https://social.example/@marie@other.example/123").expect("remote");
        assert_eq!(remote.user, "marie@other.example");
        let b = parse_link("https://bsky.app/profile/marie.bsky.social/post/3kabcdefgh22x")
            .expect("bsky");
        assert_eq!(
            (b.network, b.user.as_str(), b.id.as_str()),
            (Network::Bluesky, "marie.bsky.social", "3kabcdefgh22x")
        );
        let did =
            parse_link("https://bsky.app/profile/did:plc:abc123/post/3kabcdefgh22x").expect("did");
        assert_eq!(did.user, "did:plc:abc123");
    }

    #[test]
    fn anything_else_is_refused_with_the_reason() {
        assert_eq!(parse_link("x.com/marie/status/1"), Err(LinkError::NotHttps));
        assert_eq!(parse_link(""), Err(LinkError::NotHttps));
        for bad in [
            "https://x.com/marie",
            "https://x.com/marie/status/abc",
            "https://example.com/blog/2026/launch",
            "https://bsky.app/profile/marie.bsky.social",
            "https://social.example/@marie",
            "https://evil.example\\@x.com/marie/status/1",
            "https:///@marie/1",
        ] {
            assert_eq!(parse_link(bad), Err(LinkError::NotAPost), "{bad}");
        }
    }
}
