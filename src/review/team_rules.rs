//! Team rules: a team's own musts and must-nots (a competitor's name, a banned phrase, an
//! internal code name, `#ad` on sponsored posts), written as `regex` crate patterns.
//!
//! A rule is checked once, when it is added: its pattern must compile within a size limit and
//! its own examples must behave (the flag example flagged, the pass example not). A rule that
//! passes is compiled once per [`super::Settings`] and shared by every review made with them,
//! so a review pays only for running the patterns.
//!
//! Patterns are case- and accent-insensitive by default: the tweet is folded the way the
//! review folds words (`text.rs`: lower case, accents stripped, `’` made plain), the pattern's
//! accented letters likewise, and a map from folded bytes back to the original text keeps the
//! findings' spans right. `exact = true` matches the text as written instead.
//!
//! Regexes of the `regex` crate run in linear time: no pattern, however written, can make a
//! review slow beyond its size limit.

use std::sync::Arc;

use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};

use super::text::fold_char;
use super::{Finding, Guideline, Language, Severity, Span};

/// The most rules a team may have.
pub const MAX_RULES: usize = 50;
/// The longest pattern, in characters.
pub const MAX_PATTERN_CHARS: usize = 500;
/// The longest message, fix or example, in characters.
pub const MAX_TEXT_CHARS: usize = 500;
/// The longest rule id.
pub const MAX_ID_CHARS: usize = 32;
/// The most bytes one compiled pattern may take (`RegexBuilder::size_limit`): room for
/// `\w{0,15}` (Unicode classes are large), not for `\w{30}`; 50 rules stay under 50 MiB.
pub const SIZE_LIMIT: usize = 1024 * 1024;
/// The most bytes one pattern's lazy DFA may cache (`RegexBuilder::dfa_size_limit`).
pub const DFA_SIZE_LIMIT: usize = 2 * 1024 * 1024;
/// The most spans one finding quotes.
const MAX_SPANS: usize = 20;

/// Words in French and English. Written either as one string that serves both languages or
/// as `{ fr = "...", en = "..." }`; either language may be left out, the other then serves.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "BilingualRepr")]
pub struct Bilingual {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum BilingualRepr {
    Both(String),
    ByLanguage {
        #[serde(default)]
        fr: Option<String>,
        #[serde(default)]
        en: Option<String>,
    },
}

impl From<BilingualRepr> for Bilingual {
    fn from(r: BilingualRepr) -> Bilingual {
        match r {
            BilingualRepr::Both(s) => Bilingual::both(s),
            BilingualRepr::ByLanguage { fr, en } => Bilingual { fr, en },
        }
    }
}

impl Bilingual {
    /// One text for both languages.
    pub fn both(s: impl Into<String>) -> Bilingual {
        let s = s.into();
        Bilingual {
            fr: Some(s.clone()),
            en: Some(s),
        }
    }

    /// The text in `lang`, else in the other language; `None` when both are blank.
    pub fn get(&self, lang: Language) -> Option<&str> {
        let (first, second) = match lang {
            Language::Fr => (&self.fr, &self.en),
            Language::En => (&self.en, &self.fr),
        };
        first
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .or_else(|| second.as_deref().filter(|s| !s.trim().is_empty()))
    }

    fn texts(&self) -> impl Iterator<Item = &str> {
        self.fr.iter().chain(self.en.iter()).map(String::as_str)
    }
}

/// A rule's own examples: texts it must flag and texts it must let pass. Each is one string
/// or a list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Examples {
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub flag: Vec<String>,
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub pass: Vec<String>,
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}

/// A team rule as written: in a `--rules` TOML file, or stored for a Discord server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamRuleSpec {
    /// Lower-case letters, digits and hyphens; findings are `team.<id>`.
    pub id: String,
    /// A `regex` crate expression; the rule flags the tweet where it matches.
    pub pattern: String,
    /// A second expression: when it matches anywhere, the rule stays silent. How a must is
    /// written (`pattern = "sponsor"`, `unless = "#ad\\b"`): the `regex` crate has no
    /// look-around.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unless: Option<String>,
    /// `error`, `warning` or `suggestion`.
    pub severity: Severity,
    pub message: Bilingual,
    /// The change that answers the finding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<Bilingual>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub examples: Examples,
    /// Match case and accents as written (default: both ignored).
    #[serde(default, skip_serializing_if = "is_default")]
    pub exact: bool,
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// Why a team rule was refused. Each names the rule, and says what to change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TeamRuleError {
    #[error("rule id `{0}`: use 1 to 32 lower-case letters, digits and hyphens")]
    BadId(String),
    #[error("rule `{0}`: there is already a rule with this id")]
    Duplicate(String),
    #[error("too many team rules: at most {max}")]
    TooMany { max: usize },
    #[error("rule `{id}`: the {field} is empty")]
    Empty { id: String, field: &'static str },
    #[error("rule `{id}`: the {field} is longer than {max} characters")]
    TooLong {
        id: String,
        field: &'static str,
        max: usize,
    },
    #[error("rule `{id}`: the {field} is not a valid regular expression: {reason}")]
    BadPattern {
        id: String,
        field: &'static str,
        reason: String,
    },
    #[error("rule `{id}`: the {field} is too large once compiled (limit {limit} bytes): make it simpler")]
    TooLarge {
        id: String,
        field: &'static str,
        limit: usize,
    },
    #[error("rule `{id}`: the severity must be error, warning or suggestion")]
    BadSeverity { id: String },
    #[error("rule `{id}`: its flag example is not flagged: {example:?}")]
    FlagExampleMissed { id: String, example: String },
    #[error("rule `{id}`: its pass example is flagged: {example:?}")]
    PassExampleFlagged { id: String, example: String },
}

/// A rule that passed its checks, compiled.
#[derive(Debug)]
pub struct TeamRule {
    spec: TeamRuleSpec,
    /// `team.<id>`.
    rule: String,
    regex: Regex,
    unless: Option<Regex>,
}

impl TeamRule {
    /// Check and compile a rule: its id, severity, texts, pattern (within the size limits)
    /// and its own examples. The id is trimmed, lower-cased, and loses a `team.` prefix.
    pub fn compile(mut spec: TeamRuleSpec) -> Result<TeamRule, TeamRuleError> {
        spec.id = normalise_id(&spec.id)?;
        let id = spec.id.clone();
        if spec.severity == Severity::Praise {
            return Err(TeamRuleError::BadSeverity { id });
        }
        if spec.message.get(Language::En).is_none() {
            return Err(TeamRuleError::Empty {
                id,
                field: "message",
            });
        }
        let texts = [
            ("message", spec.message.texts().collect::<Vec<_>>()),
            ("fix", spec.fix.iter().flat_map(Bilingual::texts).collect()),
            (
                "example",
                spec.examples
                    .flag
                    .iter()
                    .chain(&spec.examples.pass)
                    .map(String::as_str)
                    .collect(),
            ),
        ];
        for (field, list) in texts {
            if list.iter().any(|t| t.chars().count() > MAX_TEXT_CHARS) {
                return Err(TeamRuleError::TooLong {
                    id,
                    field,
                    max: MAX_TEXT_CHARS,
                });
            }
        }
        let regex = compile_pattern(&id, "pattern", &spec.pattern, spec.exact)?;
        let unless = match spec.unless.as_deref().filter(|u| !u.trim().is_empty()) {
            Some(u) => Some(compile_pattern(&id, "unless pattern", u, spec.exact)?),
            None => None,
        };
        let rule = TeamRule {
            rule: format!("team.{id}"),
            spec,
            regex,
            unless,
        };
        for example in &rule.spec.examples.flag {
            if rule.spans(example).is_none() {
                return Err(TeamRuleError::FlagExampleMissed {
                    id,
                    example: example.clone(),
                });
            }
        }
        for example in &rule.spec.examples.pass {
            if rule.spans(example).is_some() {
                return Err(TeamRuleError::PassExampleFlagged {
                    id,
                    example: example.clone(),
                });
            }
        }
        Ok(rule)
    }

    /// The rule as written (id normalised).
    pub fn spec(&self) -> &TeamRuleSpec {
        &self.spec
    }

    /// `team.<id>`, the findings' rule id.
    pub fn rule_id(&self) -> &str {
        &self.rule
    }

    /// Where the rule flags `text`: `None` when it doesn't; the matched spans otherwise (none
    /// when the pattern only matches empty text, as `^` with an `unless` does).
    pub fn spans(&self, text: &str) -> Option<Vec<Span>> {
        if self.spec.exact {
            self.spans_in(text, None)
        } else {
            let folded = Folded::new(text);
            self.spans_in(&folded.text, Some(&folded))
        }
    }

    fn spans_in(&self, hay: &str, folded: Option<&Folded>) -> Option<Vec<Span>> {
        if self.unless.as_ref().is_some_and(|u| u.is_match(hay)) {
            return None;
        }
        let mut found = false;
        let mut spans = Vec::new();
        for m in self.regex.find_iter(hay) {
            found = true;
            if m.is_empty() {
                continue;
            }
            spans.push(match folded {
                Some(f) => f.span(m.start(), m.end()),
                None => Span {
                    start: m.start(),
                    end: m.end(),
                },
            });
            if spans.len() == MAX_SPANS {
                break;
            }
        }
        found.then_some(spans)
    }

    /// The finding for `text`, in `lang`, when the rule flags it.
    fn finding(
        &self,
        text: &str,
        folded: &Folded,
        lang: Language,
        quote: impl Fn(&[Span]) -> String,
    ) -> Option<Finding> {
        let spans = if self.spec.exact {
            self.spans_in(text, None)?
        } else {
            self.spans_in(&folded.text, Some(folded))?
        };
        let terms = quote(&spans);
        let fill = |s: &str| s.replace("{terms}", &terms);
        Some(Finding {
            guideline: Guideline::Team,
            rule: self.rule.clone(),
            severity: self.spec.severity,
            message: fill(self.spec.message.get(lang).unwrap_or(&self.rule)),
            spans,
            fix: self.spec.fix.as_ref().and_then(|f| f.get(lang)).map(fill),
        })
    }
}

/// A team's rules, compiled: shared by every review made with one [`super::Settings`].
#[derive(Debug, Clone, Default)]
pub struct TeamRules {
    rules: Vec<Arc<TeamRule>>,
}

impl TeamRules {
    /// Compile rules, refusing the first that fails (or a duplicate id, or too many).
    pub fn compile<I: IntoIterator<Item = TeamRuleSpec>>(
        specs: I,
    ) -> Result<TeamRules, TeamRuleError> {
        let mut rules = TeamRules::default();
        rules.extend(specs)?;
        Ok(rules)
    }

    /// Add more rules to these.
    pub fn extend<I: IntoIterator<Item = TeamRuleSpec>>(
        &mut self,
        specs: I,
    ) -> Result<(), TeamRuleError> {
        for spec in specs {
            let rule = TeamRule::compile(spec)?;
            if self.rules.iter().any(|r| r.spec.id == rule.spec.id) {
                return Err(TeamRuleError::Duplicate(rule.spec.id.clone()));
            }
            if self.rules.len() >= MAX_RULES {
                return Err(TeamRuleError::TooMany { max: MAX_RULES });
            }
            self.rules.push(Arc::new(rule));
        }
        Ok(())
    }

    /// Add rules compiled elsewhere (shared, not recompiled), refusing a duplicate id or too
    /// many.
    pub fn extend_compiled(&mut self, other: &TeamRules) -> Result<(), TeamRuleError> {
        for rule in &other.rules {
            if self.rules.iter().any(|r| r.spec.id == rule.spec.id) {
                return Err(TeamRuleError::Duplicate(rule.spec.id.clone()));
            }
            if self.rules.len() >= MAX_RULES {
                return Err(TeamRuleError::TooMany { max: MAX_RULES });
            }
            self.rules.push(Arc::clone(rule));
        }
        Ok(())
    }

    pub fn rules(&self) -> impl Iterator<Item = &TeamRule> {
        self.rules.iter().map(|r| &**r)
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Every rule's finding on `text`, messages in `lang`. The text is folded once for all
    /// the rules.
    pub(crate) fn check(
        &self,
        text: &str,
        lang: Language,
        quote: impl Fn(&[Span]) -> String,
        out: &mut Vec<Finding>,
    ) {
        if self.rules.is_empty() {
            return;
        }
        let folded = if self.rules.iter().all(|r| r.spec.exact) {
            Folded::default()
        } else {
            Folded::new(text)
        };
        out.extend(
            self.rules
                .iter()
                .filter_map(|r| r.finding(text, &folded, lang, &quote)),
        );
    }
}

/// A rules file (`--rules FILE`): `[[rule]]` tables, each a [`TeamRuleSpec`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    rule: Vec<TeamRuleSpec>,
}

/// The rules a TOML rules file writes (`[[rule]]` tables), not yet checked: the parser's
/// error says the line and what is wrong.
pub fn specs_from_toml(text: &str) -> Result<Vec<TeamRuleSpec>, toml::de::Error> {
    toml::from_str::<RulesFile>(text).map(|f| f.rule)
}

/// The rules of `settings` on the tweet (one line in `review()`'s list of checks).
pub(crate) fn check(ctx: &super::Context<'_>, out: &mut Vec<Finding>) {
    if let Some(rules) = ctx.settings.team_rules() {
        rules.check(ctx.tweet.text, ctx.msg_lang, |s| ctx.quote(s), out);
    }
}

/// A rule id as stored: trimmed, lower case, without `team.`; refused unless 1-32 of
/// `a-z`, `0-9`, `-` (starting with a letter or digit).
pub fn normalise_id(id: &str) -> Result<String, TeamRuleError> {
    let trimmed = id.trim();
    let id = trimmed
        .strip_prefix("team.")
        .unwrap_or(trimmed)
        .to_ascii_lowercase();
    let ok = (1..=MAX_ID_CHARS).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-');
    if ok {
        Ok(id)
    } else {
        Err(TeamRuleError::BadId(trimmed.to_string()))
    }
}

/// Compile one pattern with the size limits; folded (accents) and case-insensitive unless
/// `exact`.
fn compile_pattern(
    id: &str,
    field: &'static str,
    pattern: &str,
    exact: bool,
) -> Result<Regex, TeamRuleError> {
    if pattern.trim().is_empty() {
        return Err(TeamRuleError::Empty {
            id: id.to_string(),
            field,
        });
    }
    if pattern.chars().count() > MAX_PATTERN_CHARS {
        return Err(TeamRuleError::TooLong {
            id: id.to_string(),
            field,
            max: MAX_PATTERN_CHARS,
        });
    }
    let source = if exact {
        pattern.to_string()
    } else {
        fold_pattern(pattern)
    };
    RegexBuilder::new(&source)
        .case_insensitive(!exact)
        .size_limit(SIZE_LIMIT)
        .dfa_size_limit(DFA_SIZE_LIMIT)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(limit) => TeamRuleError::TooLarge {
                id: id.to_string(),
                field,
                limit,
            },
            regex::Error::Syntax(reason) => TeamRuleError::BadPattern {
                id: id.to_string(),
                field,
                reason: reason.trim().to_string(),
            },
            other => TeamRuleError::BadPattern {
                id: id.to_string(),
                field,
                reason: other.to_string(),
            },
        })
}

/// A pattern with its letters folded like the text, syntax untouched: ASCII (every regex
/// metacharacter, `\D`, `\p{Lu}`) is kept as written, since case is ignored by the regex
/// itself; other characters fold (`é` → `e`, `’` → `'`, `œ` → `oe`).
fn fold_pattern(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    for c in pattern.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            fold_char(c, &mut out);
        }
    }
    out
}

/// A text folded for matching, with each folded byte's source: the byte range, in the
/// original text, of the character it came from.
#[derive(Debug, Default)]
struct Folded {
    text: String,
    starts: Vec<u32>,
    ends: Vec<u32>,
}

impl Folded {
    fn new(original: &str) -> Folded {
        let mut f = Folded {
            text: String::with_capacity(original.len()),
            starts: Vec::with_capacity(original.len()),
            ends: Vec::with_capacity(original.len()),
        };
        for (i, c) in original.char_indices() {
            let end = (i + c.len_utf8()) as u32;
            let before = f.text.len();
            fold_char(c, &mut f.text);
            let added = f.text.len() - before;
            if added == 0 {
                // A combining accent folds away: it belongs to the letter before it.
                if let Some(last) = f.ends.last_mut() {
                    *last = end;
                }
                continue;
            }
            f.starts.extend(std::iter::repeat_n(i as u32, added));
            f.ends.extend(std::iter::repeat_n(end, added));
        }
        // A combining accent extends every byte of its letter's folded form.
        for k in (1..f.ends.len()).rev() {
            if f.starts[k - 1] == f.starts[k] && f.ends[k - 1] < f.ends[k] {
                f.ends[k - 1] = f.ends[k];
            }
        }
        f
    }

    /// The original span of folded bytes `start..end` (`end > start`).
    fn span(&self, start: usize, end: usize) -> Span {
        Span {
            start: self.starts[start] as usize,
            end: self.ends[end - 1] as usize,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(id: &str, pattern: &str) -> TeamRuleSpec {
        TeamRuleSpec {
            id: id.into(),
            pattern: pattern.into(),
            unless: None,
            severity: Severity::Warning,
            message: Bilingual {
                fr: Some("Pas de {terms} ici".into()),
                en: Some("No {terms} here".into()),
            },
            fix: None,
            examples: Examples::default(),
            exact: false,
        }
    }

    fn quoted(text: &str, spans: &[Span]) -> Vec<String> {
        spans
            .iter()
            .map(|s| text[s.start..s.end].to_string())
            .collect()
    }

    #[test]
    fn french_matches_ignore_case_and_accents_with_spans_in_the_original() {
        let rule = TeamRule::compile(spec("concurrent", r"\bsupermarche\b|réduc\w*")).expect("ok");
        let text = "Le SUPERMARCHÉ d'en face fait une Réduction, nous une REDUC 🎉";
        let spans = rule.spans(text).expect("flagged");
        assert_eq!(quoted(text, &spans), ["SUPERMARCHÉ", "Réduction", "REDUC"]);
    }

    #[test]
    fn english_matches_ignore_case_with_spans_in_the_original() {
        let rule = TeamRule::compile(spec("code-name", r"project\s+falcon")).expect("ok");
        let text = "Café news: PROJECT  Falcon ships soon, project falcon!";
        let spans = rule.spans(text).expect("flagged");
        assert_eq!(quoted(text, &spans), ["PROJECT  Falcon", "project falcon"]);
        assert!(rule.spans("A falcon project").is_none());
    }

    #[test]
    fn a_decomposed_accent_and_a_ligature_map_back_whole() {
        let rule = TeamRule::compile(spec("voeux", "voeux|ete")).expect("ok");
        let text = "Nos vœux pour l'e\u{301}te\u{301}";
        let spans = rule.spans(text).expect("flagged");
        assert_eq!(quoted(text, &spans), ["vœux", "e\u{301}te\u{301}"]);
        // An accented letter in the pattern matches the plain one and the accented one.
        let rule = TeamRule::compile(spec("ete", "été")).expect("ok");
        assert!(rule.spans("Bel ETE").is_some());
        assert!(rule.spans("Bel Été").is_some());
    }

    #[test]
    fn exact_rules_mind_case_and_accents() {
        let mut s = spec("exact", "Été");
        s.exact = true;
        let rule = TeamRule::compile(s).expect("ok");
        assert!(rule.spans("Bel Été").is_some());
        assert!(rule.spans("Bel été").is_none());
        assert!(rule.spans("Bel Ete").is_none());
    }

    #[test]
    fn unless_makes_a_must() {
        let mut s = spec("ad", r"\bsponsori|partenariat|sponsored");
        s.unless = Some(r"#(ad|pub)\b".into());
        s.examples.flag = vec!["Un partenariat avec Acme".into()];
        s.examples.pass = vec!["Un partenariat avec Acme #pub".into()];
        let rule = TeamRule::compile(s).expect("ok");
        assert!(rule.spans("Sponsored by Acme #AD").is_none());
        assert!(rule.spans("Sponsored by Acme").is_some());
    }

    #[test]
    fn an_invalid_pattern_is_refused_with_the_reason() {
        let err = TeamRule::compile(spec("bad", "(promo")).expect_err("refused");
        match &err {
            TeamRuleError::BadPattern { id, field, reason } => {
                assert_eq!((id.as_str(), *field), ("bad", "pattern"));
                assert!(reason.contains("unclosed group"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        assert!(err.to_string().contains("not a valid regular expression"));
        // Look-around is not in the regex crate: said so, not a panic.
        assert!(matches!(
            TeamRule::compile(spec("look", "(?!#ad)promo")),
            Err(TeamRuleError::BadPattern { .. })
        ));
    }

    #[test]
    fn a_too_large_pattern_is_refused() {
        let err = TeamRule::compile(spec("huge", r"\w{200}\w{200}\w{200}")).expect_err("refused");
        assert!(
            matches!(
                err,
                TeamRuleError::TooLarge {
                    limit: SIZE_LIMIT,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("too large"));
        let long = "a".repeat(MAX_PATTERN_CHARS + 1);
        assert!(matches!(
            TeamRule::compile(spec("long", &long)),
            Err(TeamRuleError::TooLong { .. })
        ));
    }

    #[test]
    fn examples_that_misbehave_are_refused() {
        let mut s = spec("promo", r"\bpromo\b");
        s.examples.flag = vec!["Les promotions arrivent".into()];
        let err = TeamRule::compile(s).expect_err("refused");
        assert_eq!(
            err,
            TeamRuleError::FlagExampleMissed {
                id: "promo".into(),
                example: "Les promotions arrivent".into()
            }
        );
        let mut s = spec("promo", r"\bpromo\b");
        s.examples.flag = vec!["Grosse PROMO".into()];
        s.examples.pass = vec!["Une promo discrète".into()];
        let err = TeamRule::compile(s).expect_err("refused");
        assert!(matches!(err, TeamRuleError::PassExampleFlagged { .. }));
        assert!(err.to_string().contains("pass example is flagged"));
    }

    #[test]
    fn ids_severities_and_messages_are_checked() {
        assert_eq!(
            TeamRule::compile(spec(" team.Ad-Rule ", "x"))
                .expect("ok")
                .rule_id(),
            "team.ad-rule"
        );
        for bad in ["", "a b", "é", "-x", &"x".repeat(33)] {
            assert!(
                matches!(
                    TeamRule::compile(spec(bad, "x")),
                    Err(TeamRuleError::BadId(_))
                ),
                "{bad:?}"
            );
        }
        let mut s = spec("p", "x");
        s.severity = Severity::Praise;
        assert!(matches!(
            TeamRule::compile(s),
            Err(TeamRuleError::BadSeverity { .. })
        ));
        let mut s = spec("m", "x");
        s.message = Bilingual::default();
        assert!(matches!(
            TeamRule::compile(s),
            Err(TeamRuleError::Empty { .. })
        ));
        assert!(matches!(
            TeamRule::compile(spec("e", "  ")),
            Err(TeamRuleError::Empty { .. })
        ));
        let twice = TeamRules::compile([spec("a", "x"), spec("A", "y")]);
        assert_eq!(twice.err(), Some(TeamRuleError::Duplicate("a".into())));
        let many = TeamRules::compile((0..=MAX_RULES).map(|i| spec(&format!("r{i}"), "x")));
        assert!(matches!(many, Err(TeamRuleError::TooMany { .. })));
    }

    #[test]
    fn findings_carry_the_rule_id_spans_message_and_fix() {
        let mut s = spec("concurrent", "globex");
        s.severity = Severity::Error;
        s.fix = Some(Bilingual {
            fr: Some("Retirez {terms}".into()),
            en: None,
        });
        let rules = TeamRules::compile([s]).expect("ok");
        let text = "Mieux que GLOBEX !";
        let mut out = Vec::new();
        let quote = |spans: &[Span]| quoted(text, spans).join(", ");
        rules.check(text, Language::En, quote, &mut out);
        assert_eq!(out.len(), 1);
        let f = &out[0];
        assert_eq!(f.rule, "team.concurrent");
        assert_eq!(f.guideline, Guideline::Team);
        assert_eq!(f.severity, Severity::Error);
        assert_eq!(f.spans, [Span { start: 10, end: 16 }]);
        assert_eq!(f.message, "No GLOBEX here");
        // Only French was given for the fix: it serves in English too.
        assert_eq!(f.fix.as_deref(), Some("Retirez GLOBEX"));
        out.clear();
        rules.check(text, Language::Fr, quote, &mut out);
        assert_eq!(out[0].message, "Pas de GLOBEX ici");
    }

    #[test]
    fn a_message_is_one_string_or_one_per_language() {
        let one: TeamRuleSpec = toml::from_str(
            r#"id = "x"
pattern = "x"
severity = "warning"
message = "Both"
examples = { flag = "x", pass = ["y", "z"] }"#,
        )
        .expect("parses");
        assert_eq!(one.message, Bilingual::both("Both"));
        assert_eq!(one.examples.pass, ["y", "z"]);
        let two: TeamRuleSpec = toml::from_str(
            r#"id = "x"
pattern = "x"
severity = "error"
message.fr = "Fr"
message.en = "En""#,
        )
        .expect("parses");
        assert_eq!(two.message.get(Language::Fr), Some("Fr"));
        // Stored as JSON and read back unchanged.
        let json = serde_json::to_string(&two).expect("json");
        assert_eq!(serde_json::from_str::<TeamRuleSpec>(&json).ok(), Some(two));
    }

    #[test]
    fn nothing_panics_on_odd_texts() {
        let rules =
            TeamRules::compile([spec("a", "."), spec("b", "^"), spec("c", r"\s*")]).expect("ok");
        for text in ["", "é", "e\u{301}", "\u{301}", "👩‍👩‍👧", "œœ", "ﬁ", "İ"] {
            let mut out = Vec::new();
            rules.check(text, Language::Fr, |_| String::new(), &mut out);
            for f in &out {
                for s in &f.spans {
                    assert!(text.get(s.start..s.end).is_some(), "{text:?} {s:?}");
                }
            }
        }
    }
}
