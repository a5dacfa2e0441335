//! The Discord adapter: parse interactions, answer them, render reviews as embeds.
//!
//! - [`router`]: command names and component ids → handlers. Transport-agnostic: it takes an
//!   [`router::Invocation`] (parsed from serenity's `Interaction`) and returns a
//!   [`response::Response`] in Discord's wire format, so the gateway and the HTTP
//!   interactions endpoint share it.
//! - [`handlers`]: one file per command.
//! - [`embeds`]: `Review` → embed, within Discord's limits, Markdown escaped.
//! - [`manifest`]: `commands/*.json`, validated and registered (bulk overwrite).
//! - [`gateway`]: the serenity client and its event handler (one transport).
//! - [`http`]: the HTTP interactions endpoint, signature-verified (the other transport).
//! - [`dispatch`]: one interaction from arrival to answer, for both transports (span,
//!   deadline and deferral, metrics); [`inflight`]: what shutdown waits for.
//! - [`shards`]: the gateway shard range a process runs.
//! - [`ratelimit`]: per-member limits.
//! - [`messages`]: the bot's words in French and English (`messages.toml`).

pub mod announce;
pub mod cache;
pub mod cards;
pub mod dispatch;
pub mod embeds;
pub mod gateway;
pub mod handlers;
pub mod http;
pub mod inflight;
pub mod manifest;
pub mod messages;
pub mod notify;
pub mod ratelimit;
pub mod response;
pub mod router;
pub mod server;
pub mod shards;
pub mod upload;
pub mod zone;

use std::fmt;
use std::str::FromStr;

use crate::review::Language;
use crate::secret::Secret;

/// The language of a reply: French for a `fr*` Discord locale, English otherwise.
pub fn language_of(locale: &str) -> Language {
    let l = locale.trim();
    if l.len() >= 2 && l.as_bytes()[..2].eq_ignore_ascii_case(b"fr") {
        Language::Fr
    } else {
        Language::En
    }
}

/// The bot token: never printed (`Debug` and `Display` show `***`, as every [`Secret`]).
#[derive(Clone, PartialEq, Eq)]
pub struct Token(Secret);

impl Token {
    /// Wrap a token; surrounding white space (a stray newline in `.env`) is dropped, as is a
    /// `Bot ` prefix, which serenity adds itself.
    pub fn new(token: impl Into<String>) -> Token {
        let t: String = token.into();
        let t = t.trim();
        Token(Secret::new(t.strip_prefix("Bot ").unwrap_or(t)))
    }

    /// The secret itself, for the HTTP client only.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }

    /// Whether the token is empty (an unset variable in `.env`).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl FromStr for Token {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Token::new(s))
    }
}

/// What can go wrong talking to Discord or loading commands.
#[derive(Debug, thiserror::Error)]
pub enum DiscordError {
    #[error("Discord: {0}")]
    Serenity(#[from] Box<serenity::Error>),
    #[error(transparent)]
    Manifest(#[from] manifest::ManifestError),
    #[error("invalid DISCORD_API_URL `{url}`: {reason}")]
    ApiUrl { url: String, reason: String },
}

impl From<serenity::Error> for DiscordError {
    fn from(e: serenity::Error) -> Self {
        DiscordError::Serenity(Box::new(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_pick_the_language() {
        for l in ["fr", "fr-FR", "FR", "fr-CA"] {
            assert_eq!(language_of(l), Language::Fr, "{l}");
        }
        for l in ["en-US", "en-GB", "de", "", "f"] {
            assert_eq!(language_of(l), Language::En, "{l}");
        }
    }

    #[test]
    fn the_token_never_prints() {
        let t = Token::new("Bot abc.def.ghi\n");
        assert_eq!(t.expose(), "abc.def.ghi");
        assert_eq!(format!("{t:?} {t}"), "*** ***");
    }
}
