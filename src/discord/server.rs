//! A server's settings as the Discord side sees them: the approval policy, the review channel,
//! how reviews are tuned, and where approved tweets go.
//!
//! They live in the store as one JSON document per server ([`GuildSettings`]): the policy in
//! its own field, the rest under `extra` keys this module owns. Keys it doesn't know (another
//! version of the bot, another feature) are carried through unchanged, so a save never loses
//! what someone else wrote.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::review::{Language, LexiconError, Settings};
use crate::store::GuildSettings;
use crate::workflow::Policy;

/// The key of the review channel in [`GuildSettings::extra`]: a Discord id as a string, or
/// `null` for "the channel where `/submit` is used". Its presence also says the server's
/// settings were saved once (the command line's defaults only apply before that).
pub const REVIEW_CHANNEL_KEY: &str = "review_channel_id";
/// The key of [`ReviewPrefs`].
pub const REVIEW_KEY: &str = "review";
/// The key of the networks approved tweets go to (a JSON array of names); absent: every
/// configured publisher. The publishing worker's own key, so both read the same setting.
pub const PUBLISH_TARGETS_KEY: &str = crate::publish::TARGETS;
/// The key of the server's language (its Discord locale), for what the bot writes outside an
/// interaction: card updates after a post, notices to authors.
pub const LANGUAGE_KEY: &str = "language";

/// How a server tunes its reviews; every field unset means "the bot's default".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReviewPrefs {
    /// The weighted length limit (280 on Twitter today).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
    /// Whether tweets must be signed (`^SG`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature_required: Option<bool>,
    /// The company's name, for the self-talk and third-person checks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// The team's own words, by rule id (`promotion.sales-words`: `braderie`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub words: BTreeMap<String, Vec<String>>,
}

/// One server's settings, typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServerSettings {
    pub policy: Policy,
    /// Where review cards go; `None`: the channel where `/submit` is used.
    pub review_channel: Option<u64>,
    pub review: ReviewPrefs,
    /// The networks approved tweets go to; `None`: every configured one.
    pub publish_targets: Option<Vec<String>>,
    /// The server's language, as its Discord locale said when last seen.
    pub language: Option<Language>,
    /// Whether these were ever saved (before that, the command line's defaults apply).
    pub saved: bool,
    /// Keys this module doesn't own, kept as they were.
    rest: Map<String, Value>,
}

impl ServerSettings {
    /// The typed view of what the store holds. A value that doesn't parse (hand-edited, or
    /// from a newer bot) falls back to the default for that setting rather than failing every
    /// command of the server.
    pub fn from_stored(s: GuildSettings) -> ServerSettings {
        let mut rest = s.extra;
        let saved = rest.contains_key(REVIEW_CHANNEL_KEY);
        let review_channel = rest.remove(REVIEW_CHANNEL_KEY).and_then(|v| id_of(&v));
        let review = rest
            .remove(REVIEW_KEY)
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default();
        let publish_targets = rest
            .remove(PUBLISH_TARGETS_KEY)
            .and_then(|v| serde_json::from_value(v).ok());
        let language = rest
            .remove(LANGUAGE_KEY)
            .and_then(|v| serde_json::from_value(v).ok());
        ServerSettings {
            policy: s.policy,
            review_channel,
            review,
            publish_targets,
            language,
            saved,
            rest,
        }
    }

    /// What the store keeps.
    pub fn to_stored(&self) -> GuildSettings {
        let mut extra = self.rest.clone();
        extra.insert(
            REVIEW_CHANNEL_KEY.into(),
            self.review_channel
                .map_or(Value::Null, |c| c.to_string().into()),
        );
        if self.review != ReviewPrefs::default() {
            if let Ok(v) = serde_json::to_value(&self.review) {
                extra.insert(REVIEW_KEY.into(), v);
            }
        }
        if let Some(t) = &self.publish_targets {
            extra.insert(PUBLISH_TARGETS_KEY.into(), t.clone().into());
        }
        if let Some(l) = self.language.and_then(|l| serde_json::to_value(l).ok()) {
            extra.insert(LANGUAGE_KEY.into(), l);
        }
        GuildSettings {
            policy: self.policy.clone(),
            extra,
        }
    }

    /// The review settings for this server: the bot's `base` with the server's tuning on top.
    pub fn review_settings(&self, base: &Settings) -> Result<Settings, LexiconError> {
        let mut s = base.clone();
        let r = &self.review;
        if let Some(limit) = r.limit {
            s.limit = limit;
        }
        if let Some(required) = r.signature_required {
            s.signature_required = required;
        }
        if let Some(company) = r.company.as_deref().filter(|c| !c.trim().is_empty()) {
            s.company = Some(company.to_string());
        }
        for (rule, terms) in &r.words {
            if !terms.is_empty() {
                s.add_team_words(rule, terms)?;
            }
        }
        Ok(s)
    }
}

/// A Discord id stored as a string (JSON readers keep every digit) or, from older rows, a
/// number.
fn id_of(v: &Value) -> Option<u64> {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .or_else(|| v.as_u64())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::RoleId;

    #[test]
    fn what_is_saved_reads_back_and_unknown_keys_survive() {
        let mut stored = GuildSettings::default();
        stored.extra.insert("someone_elses".into(), 42.into());
        let mut s = ServerSettings::from_stored(stored);
        assert!(!s.saved);
        s.review_channel = Some(u64::MAX - 3);
        s.policy.reviewer_roles = vec![RoleId(5)];
        s.review.limit = Some(140);
        s.review
            .words
            .insert("promotion.sales-words".into(), vec!["braderie".into()]);
        s.publish_targets = Some(vec!["mastodon".into()]);
        s.language = Some(Language::Fr);
        let back = ServerSettings::from_stored(s.to_stored());
        assert!(back.saved);
        assert_eq!(back.review_channel, Some(u64::MAX - 3));
        assert_eq!(back.review, s.review);
        assert_eq!(back.policy, s.policy);
        assert_eq!(back.publish_targets, s.publish_targets);
        assert_eq!(back.language, Some(Language::Fr));
        assert_eq!(back.to_stored().extra["someone_elses"], 42);
    }

    #[test]
    fn a_channel_saved_as_a_number_or_null_reads() {
        let mut stored = GuildSettings::default();
        stored.extra.insert(REVIEW_CHANNEL_KEY.into(), 77.into());
        assert_eq!(
            ServerSettings::from_stored(stored.clone()).review_channel,
            Some(77)
        );
        stored.extra.insert(REVIEW_CHANNEL_KEY.into(), Value::Null);
        let s = ServerSettings::from_stored(stored);
        assert_eq!(s.review_channel, None);
        assert!(s.saved);
    }

    #[test]
    fn the_servers_tuning_changes_the_review() {
        let mut s = ServerSettings::default();
        s.review.limit = Some(140);
        s.review.signature_required = Some(false);
        s.review.company = Some("Acme".into());
        let r = s.review_settings(&Settings::default()).expect("settings");
        assert_eq!(r.limit, 140);
        assert!(!r.signature_required);
        assert_eq!(r.company.as_deref(), Some("Acme"));
        s.review
            .words
            .insert("no.such-rule".into(), vec!["mot".into()]);
        assert!(s.review_settings(&Settings::default()).is_err());
    }
}
