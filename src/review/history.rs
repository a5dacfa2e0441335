//! The account as a whole: what its recent posts were (replies or broadcasts, promotional or
//! not, relays, signed), so the history rules (`dialogue.news-wire`,
//! `promotion.brand-dilution`) judge the account, not only the tweet. Each post is classified
//! once, when it is stored; a review only counts.

use serde::{Deserialize, Serialize};

use super::text::Tweet;
use super::{dialogue, identity, language_and_terms, relay, Context, Settings};

/// How many recent posted tweets the history rules look at.
pub const HISTORY_WINDOW: usize = 10;

/// What the account's recent posted tweets say about it: summarised once, so a review with
/// history costs no more than one without.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct History {
    /// Recent posted tweets considered (at most [`HISTORY_WINDOW`]).
    pub total: usize,
    /// Of those, broadcasts: no mention, no question, no invitation to answer.
    pub broadcasts: usize,
    /// Of those, tweets with at least one promotional signal.
    pub promotional: usize,
}

/// What one posted tweet was, as the history rules and the statistics count it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PostClass {
    /// It answers someone.
    pub reply: bool,
    /// No mention, no question, no invitation to answer: the press-release kind.
    pub broadcast: bool,
    /// At least one promotional signal (sales words, prices, urgency).
    pub promotional: bool,
    /// It relays someone else's words with credit (a retweet, a quote with its source).
    pub relay: bool,
    /// Someone signs it.
    pub signed: bool,
}

/// Classifies a posted tweet the way the review reads it.
pub fn classify(text: &str, settings: &Settings) -> PostClass {
    let none = History::default();
    let tweet = Tweet::new(text);
    let (lang, matches) = language_and_terms(&tweet, settings);
    let ctx = Context::new(&tweet, lang, &matches, settings, &none);
    PostClass {
        reply: ctx.is_reply(),
        broadcast: dialogue::is_broadcast(&ctx),
        promotional: !ctx.promo.is_empty(),
        relay: ctx.tweet.is_retweet() || !relay::credits(&ctx).is_empty(),
        signed: identity::is_signed(&ctx),
    }
}

impl History {
    /// Summarise classified posts, oldest first; the last [`HISTORY_WINDOW`] count.
    pub fn from_classes<I>(classes: I) -> History
    where
        I: IntoIterator<Item = PostClass>,
    {
        let all: Vec<PostClass> = classes.into_iter().collect();
        let recent = &all[all.len().saturating_sub(HISTORY_WINDOW)..];
        History {
            total: recent.len(),
            broadcasts: recent.iter().filter(|c| c.broadcast).count(),
            promotional: recent.iter().filter(|c| c.promotional).count(),
        }
    }

    /// Summarise the account's posted tweets (texts), oldest first; the last
    /// [`HISTORY_WINDOW`] count.
    pub fn from_tweets<I, S>(tweets: I, settings: &Settings) -> History
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let tweets: Vec<S> = tweets.into_iter().collect();
        let recent = &tweets[tweets.len().saturating_sub(HISTORY_WINDOW)..];
        History::from_classes(recent.iter().map(|t| classify(t.as_ref(), settings)))
    }
}
