//! A server's settings as the Discord side sees them: the approval policy, the review channel,
//! how reviews are tuned, and where approved tweets go.
//!
//! They live in the store as one JSON document per server ([`GuildSettings`]): the policy in
//! its own field, the rest under `extra` keys this module owns. Keys it doesn't know (another
//! version of the bot, another feature) are carried through unchanged, so a save never loses
//! what someone else wrote.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::review::{Language, LexiconError, Settings, TeamRuleSpec, TeamRules};
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
/// The key of the server's time zone (an IANA name, `/settings timezone`); absent: UTC.
pub const TIMEZONE_KEY: &str = "timezone";
/// The entry of [`ReviewPrefs::words`] that holds the words spelling accepts
/// (`/settings words spelling`), rather than a rule's team words.
pub const SPELLING_WORDS: &str = "spelling";

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
    /// The team's own words, by rule id (`promotion.sales-words`: `braderie`), and under
    /// [`SPELLING_WORDS`] the words spelling accepts.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub words: BTreeMap<String, Vec<String>>,
    /// Whether spelling is checked (`/settings spelling on|off`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spelling: Option<bool>,
    /// How an image without alt text weighs (`/settings alt-text required|recommended|off`);
    /// unset: required.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alt_text: Option<crate::review::media::AltText>,
    /// The account's own domains (`acme.com`), normalised
    /// ([`crate::review::own_places::domain`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub own_domains: Vec<String>,
    /// The company's own handles, without `@`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub own_handles: Vec<String>,
    /// The team's own rules as written (`/settings rule add`), checked when added.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "lenient_rules"
    )]
    pub rules: Vec<TeamRuleSpec>,
}

/// The stored rules, each read on its own: one that doesn't parse (hand-edited, from another
/// version) is left out with a warning, rather than losing the server's whole review tuning.
fn lenient_rules<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<TeamRuleSpec>, D::Error> {
    let raw = Vec::<Value>::deserialize(d)?;
    Ok(raw
        .into_iter()
        .filter_map(|v| match serde_json::from_value(v) {
            Ok(spec) => Some(spec),
            Err(e) => {
                tracing::warn!(error = %e, "a stored team rule doesn't read; left out");
                None
            }
        })
        .collect())
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
    /// The server's time zone (`/settings timezone`), for `/submit ... when:`; `None`: UTC.
    pub timezone: Option<chrono_tz::Tz>,
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
        let timezone = rest
            .remove(TIMEZONE_KEY)
            .and_then(|v| v.as_str().and_then(crate::discord::zone::parse));
        ServerSettings {
            policy: s.policy,
            review_channel,
            review,
            publish_targets,
            language,
            timezone,
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
        if let Some(z) = self.timezone {
            extra.insert(TIMEZONE_KEY.into(), z.name().into());
        }
        GuildSettings {
            policy: self.policy.clone(),
            extra,
        }
    }

    /// The server's time zone: the one it chose, else UTC.
    pub fn zone(&self) -> chrono_tz::Tz {
        self.timezone.unwrap_or(crate::discord::zone::DEFAULT)
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
            if rule == SPELLING_WORDS {
                s.add_known_words(terms);
            } else if !terms.is_empty() {
                s.add_team_words(rule, terms)?;
            }
        }
        if let Some(spelling) = r.spelling {
            s.spelling = spelling;
        }
        if let Some(alt_text) = r.alt_text {
            s.alt_text = alt_text;
        }
        for (mine, theirs) in [
            (&mut s.own_domains, &r.own_domains),
            (&mut s.own_handles, &r.own_handles),
        ] {
            for item in theirs {
                if !mine.contains(item) {
                    mine.push(item.clone());
                }
            }
        }
        if !r.rules.is_empty() {
            if let Err(e) = s.add_compiled_team_rules(&compiled(&r.rules)) {
                tracing::warn!(error = %e, "the server's team rules clash with the bot's; left out");
            }
        }
        Ok(s)
    }

    /// The settings this server's reviews read a posted tweet with, when no member is asking:
    /// [`Self::review_settings`] (the bot's `base` when the server's team words don't load),
    /// a tie or a very short text read in the server's language.
    pub fn account_settings(&self, base: &Settings) -> Settings {
        let mut s = self.review_settings(base).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "the server's team words don't load; ignored");
            base.clone()
        });
        if let Some(lang) = self.language {
            s.default_language = lang;
        }
        s
    }
}

/// How a server's reviews read the account's posts (its history, `/stats`), for the timeline
/// sync and the publishing worker: [`ServerSettings::account_settings`] over `base`, the bot's
/// review settings.
pub fn review_settings_for(base: Settings) -> crate::publish::ReviewSettingsFor {
    Arc::new(move |_guild, stored: &GuildSettings| {
        ServerSettings::from_stored(stored.clone()).account_settings(&base)
    })
}

/// How many rule sets [`compiled`] keeps: far more servers than one process usually serves
/// with rules of their own; past it, the cache starts over.
const COMPILED_SETS: usize = 256;

/// A server's stored rules, compiled once per process and shared by every review made with
/// them (a proposal builds its settings anew; its rules are not compiled anew). Each rule was
/// checked when added; one that this bot refuses (a tighter limit in a newer version) is left
/// out, not the server's whole tuning.
fn compiled(rules: &[TeamRuleSpec]) -> Arc<TeamRules> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<TeamRules>>>> = OnceLock::new();
    let key = serde_json::to_string(rules).unwrap_or_default();
    let cache = CACHE.get_or_init(Mutex::default);
    let lock = || {
        cache
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    };
    if let Some(hit) = lock().get(&key) {
        return Arc::clone(hit);
    }
    let mut set = TeamRules::default();
    for spec in rules {
        if let Err(e) = set.extend([spec.clone()]) {
            tracing::warn!(error = %e, "a stored team rule is refused; left out");
        }
    }
    let set = Arc::new(set);
    let mut map = lock();
    if map.len() >= COMPILED_SETS {
        map.clear();
    }
    map.insert(key, Arc::clone(&set));
    set
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
        s.review.spelling = Some(false);
        s.review.own_domains = vec!["acme.com".into()];
        s.review.own_handles = vec!["acme".into()];
        s.review.rules = vec![rule("globex", "globex")];
        let back = ServerSettings::from_stored(s.to_stored());
        assert!(back.saved);
        assert_eq!(back.review_channel, Some(u64::MAX - 3));
        assert_eq!(back.review, s.review);
        assert_eq!(back.policy, s.policy);
        assert_eq!(back.publish_targets, s.publish_targets);
        assert_eq!(back.language, Some(Language::Fr));
        assert_eq!(back.to_stored().extra["someone_elses"], 42);
    }

    fn rule(id: &str, pattern: &str) -> TeamRuleSpec {
        TeamRuleSpec {
            id: id.into(),
            pattern: pattern.into(),
            unless: None,
            severity: crate::review::Severity::Warning,
            message: crate::review::team_rules::Bilingual::both("Non"),
            fix: None,
            examples: Default::default(),
            exact: false,
        }
    }

    #[test]
    fn a_stored_rule_that_doesnt_read_is_left_out_alone() {
        let mut s = ServerSettings::default();
        s.review.limit = Some(100);
        s.review.rules = vec![rule("a", "a"), rule("b", "b")];
        let mut stored = s.to_stored();
        stored.extra[REVIEW_KEY]["rules"][0]["severity"] = "dreadful".into();
        let back = ServerSettings::from_stored(stored);
        assert_eq!(back.review.limit, Some(100));
        assert_eq!(back.review.rules, [rule("b", "b")]);
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

    #[test]
    fn the_account_is_read_as_the_servers_reviews_read_it() {
        let mut base = Settings::default();
        base.company = Some("Acme".into());
        let mut s = ServerSettings {
            language: Some(Language::Fr),
            ..ServerSettings::default()
        };
        s.review.own_handles = vec!["acme".into()];
        let read = review_settings_for(base.clone());
        let r = read(crate::workflow::GuildId(1), &s.to_stored());
        assert_eq!(r.default_language, Language::Fr, "a tie reads in French");
        assert_eq!(r.own_handles, ["acme"]);
        assert_eq!(r.company.as_deref(), Some("Acme"));
        // Words for a rule this bot doesn't know: the server's other tuning is lost, not the
        // reading (the bot's own settings, in the server's language).
        s.review
            .words
            .insert("no.such-rule".into(), vec!["mot".into()]);
        let r = read(crate::workflow::GuildId(1), &s.to_stored());
        assert!(r.own_handles.is_empty());
        assert_eq!(r.default_language, Language::Fr);
    }

    #[test]
    fn spelling_own_places_and_rules_reach_the_review() {
        let mut base = Settings::default();
        base.own_domains = vec!["acme.com".into()];
        let mut s = ServerSettings::default();
        s.review.spelling = Some(false);
        s.review
            .words
            .insert(SPELLING_WORDS.into(), vec!["Zorglub".into()]);
        s.review.own_domains = vec!["acme.com".into(), "acme.fr".into()];
        s.review.own_handles = vec!["acme".into()];
        s.review.rules = vec![rule("globex", "globex"), rule("bad", "(")];
        let r = s.review_settings(&base).expect("settings");
        assert!(!r.spelling);
        assert!(r.is_known_word("zorglub"));
        assert_eq!(r.own_domains, ["acme.com", "acme.fr"]);
        assert_eq!(r.own_handles, ["acme"]);
        let rules = r.team_rules().expect("rules");
        assert_eq!(
            rules.len(),
            1,
            "the pattern that doesn't compile is left out"
        );
        let review = crate::review::review("Mieux que Globex", &r, &Default::default());
        assert!(review.findings.iter().any(|f| f.rule == "team.globex"));
        // Built again (the next proposal), the rules are the same compiled ones.
        let again = s.review_settings(&base).expect("settings");
        let first = rules.rules().next().map(|r| r as *const _);
        let second = again
            .team_rules()
            .and_then(|r| r.rules().next())
            .map(|r| r as *const _);
        assert_eq!(first, second, "compiled once");
    }
}
