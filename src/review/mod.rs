//! The review engine: what a seasoned community manager would say about a proposed tweet,
//! checked against the eight guidelines of `GUIDELINES.md`.
//!
//! Pure by design: no I/O, no async, no clock. The same text, settings and history always give
//! the same [`Review`], so the Discord card, the terminal report and the stored revision agree.

pub mod conversation;
mod dialogue;
mod generosity;
mod history;
mod identity;
mod json;
mod language;
pub mod length;
pub mod lexicon;
pub mod media;
pub mod messages;
mod names;
pub mod networks;
pub mod own_places;
mod promotion;
mod reach;
mod relay;
pub mod render;
mod spacing;
mod spelling;
pub mod team_rules;
mod text;
pub mod thread;
mod tone;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use history::{classify, History, PostClass, HISTORY_WINDOW};
pub use identity::default_signature;
use lexicon::Match;
pub use lexicon::{Lexicon, LexiconError};
pub use team_rules::{TeamRuleError, TeamRuleSpec, TeamRules};
use text::Tweet;

/// Every rule id the engine can emit: stable, in JSON output and users' scripts.
pub const RULES: &[&str] = &[
    "identity.signature",
    "identity.anonymous",
    "dialogue.broadcast",
    "dialogue.invitation",
    "dialogue.reply",
    "dialogue.news-wire",
    "promotion.sales-words",
    "promotion.prices",
    "promotion.urgency",
    "promotion.ad",
    "promotion.brand-dilution",
    "relay.credit",
    "relay.uncredited",
    "relay.link-source",
    "reach.mentions",
    "reach.hashtags",
    "reach.cold-pitch",
    "generosity.self-talk",
    "generosity.defensive",
    "generosity.ask-community",
    "generosity.about-others",
    "tone.corporate",
    "tone.shouting",
    "tone.exclamations",
    "tone.third-person",
    "tone.informal",
    "tone.length",
    "tone.empty",
    "network.x-cashtags",
    "network.mastodon-length",
    "network.bluesky-length",
    "network.too-many-images",
    "network.image-size",
    "network.bluesky-reencoded",
    "network.bluesky-image-size",
    "network.alt-length",
    "media.alt-text",
    "media.alt-quality",
    "thread.too-many-parts",
    "thread.empty-part",
    "spelling.unknown-word",
    "spelling.missing-space",
    "spelling.repeated-word",
    "spelling.confusion",
];

/// One of the guidelines of the article the product comes from, then the ones of our own
/// (`spelling`). The ids are stable: they are in JSON output, in `/guidelines`, and in users'
/// scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Guideline {
    Identity,
    Dialogue,
    Promotion,
    Relay,
    Reach,
    Generosity,
    Tone,
    Outsourcing,
    /// Ours, not the article's: words no dictionary knows.
    Spelling,
    /// The team's own rules (`/settings rule add`, `--rules FILE`): findings `team.<id>`.
    Team,
}

impl Guideline {
    /// Every guideline, in the order reviews show them: the article's eight, then spelling
    /// (ours), then the team's own rules.
    pub const ALL: [Guideline; 10] = [
        Guideline::Identity,
        Guideline::Dialogue,
        Guideline::Promotion,
        Guideline::Relay,
        Guideline::Reach,
        Guideline::Generosity,
        Guideline::Tone,
        Guideline::Outsourcing,
        Guideline::Spelling,
        Guideline::Team,
    ];

    /// The article's eight, in its order: the first eight of [`Guideline::ALL`].
    pub const ARTICLE: [Guideline; 8] = {
        let mut article = [Guideline::Identity; 8];
        let mut i = 0;
        while i < article.len() {
            article[i] = Guideline::ALL[i];
            i += 1;
        }
        article
    };

    /// The stable id (`promotion`, ...).
    pub fn id(self) -> &'static str {
        match self {
            Guideline::Identity => "identity",
            Guideline::Dialogue => "dialogue",
            Guideline::Promotion => "promotion",
            Guideline::Relay => "relay",
            Guideline::Reach => "reach",
            Guideline::Generosity => "generosity",
            Guideline::Tone => "tone",
            Guideline::Outsourcing => "outsourcing",
            Guideline::Spelling => "spelling",
            Guideline::Team => "team",
        }
    }
}

/// How much a finding weighs. `Error` blocks approval; `Praise` is for what is done well.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Suggestion,
    Praise,
}

impl Severity {
    /// The stable id, as the JSON output writes it (`warning`, ...).
    pub fn id(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Suggestion => "suggestion",
            Severity::Praise => "praise",
        }
    }
}

/// The review's conclusion: `blocked` when an error stands, `needs_work` when a warning does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Ready,
    NeedsWork,
    Blocked,
}

impl Verdict {
    /// The stable id, as the JSON output writes it (`needs_work`, ...).
    pub fn id(self) -> &'static str {
        match self {
            Verdict::Ready => "ready",
            Verdict::NeedsWork => "needs_work",
            Verdict::Blocked => "blocked",
        }
    }
}

/// The language a review speaks: the tweet's own (detected), or the one forced by `--lang`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Fr,
    En,
}

/// A byte range into the original text, always on char boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// One thing the review has to say about the tweet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub guideline: Guideline,
    /// `guideline.rule`, e.g. `promotion.sales-words`: stable, for scripts and team settings.
    pub rule: String,
    pub severity: Severity,
    /// In the review's language.
    pub message: String,
    pub spans: Vec<Span>,
    /// A concrete change that would answer the finding, when one exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

/// The tweet's weighted length against the limit in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LengthReport {
    pub weighted: usize,
    pub limit: usize,
    pub valid: bool,
}

/// A whole review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub verdict: Verdict,
    /// 0-100, readable at a glance: 100 is a tweet nothing could improve.
    pub score: u8,
    /// The language the review speaks (its messages): the reply language when one is set,
    /// else the tweet's (detected or forced).
    pub language: Language,
    pub length: LengthReport,
    pub findings: Vec<Finding>,
}

impl Language {
    /// `fr` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Language::Fr => "fr",
            Language::En => "en",
        }
    }

    /// The other language of the two: tweets mix them, so what one does not know the other
    /// may.
    pub fn other(self) -> Language {
        match self {
            Language::Fr => Language::En,
            Language::En => Language::Fr,
        }
    }
}

impl std::str::FromStr for Language {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "fr" | "fr-fr" | "fr-ca" | "french" | "francais" | "français" => Ok(Language::Fr),
            "en" | "en-us" | "en-gb" | "english" => Ok(Language::En),
            other => Err(format!("unknown language `{other}`: use fr or en")),
        }
    }
}

/// What a team can tune about its reviews. Cheap to clone: team words are compiled once.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The weighted length limit (Twitter's is 280; the article's era had 140).
    pub limit: usize,
    /// Force the review's language instead of detecting the tweet's.
    pub language: Option<Language>,
    /// The language when the tweet gives no clue (a bare link, an emoji).
    pub default_language: Language,
    /// Write the review's messages in this language whatever the tweet's (a Discord member's
    /// locale). The tweet is still analysed in its own language (or in `language`, when
    /// forced), so a French tweet reviewed for an English-speaking member still gets French
    /// word lists. `None`: the messages speak the analysis language.
    pub reply_language: Option<Language>,
    /// Whether a tweet must be signed (`^SG`): the article's first advice, on by default.
    pub signature_required: bool,
    /// The author's own signature (`^SG`), used to recognise it and to propose it as the fix.
    pub signature: Option<String>,
    /// The company's name: talking only about it is self-talk; naming it as the subject of
    /// "is pleased to" is the third person.
    pub company: Option<String>,
    /// The networks the text will be posted to, whose own limits are checked too
    /// (`network.*` rules). Empty by default: only the tweet's length applies.
    pub networks: Vec<networks::Network>,
    /// The account's own domains (`acme.com`, matching `blog.acme.com` too): links to them are
    /// its own content, which needs no `via @source`.
    pub own_domains: Vec<String>,
    /// The account's own handles (`acme`, without `@`), on any network: mentioning them is not
    /// mentioning someone else, and relaying them needs no credit.
    pub own_handles: Vec<String>,
    /// Whether words are checked against the dictionaries (the `spelling` guideline): on by
    /// default; `--no-spelling`, `/settings spelling off`.
    pub spelling: bool,
    /// What the proposal answers, quotes or reposts, and whose post that is: a reply is
    /// dialogue whatever its first word, a quote or a repost credits its author.
    pub answering: Option<(conversation::Kind, conversation::Original)>,
    /// The proposal's images, as facts (never bytes): alt text and the networks' media limits.
    pub images: Vec<media::ImageFacts>,
    /// How an image without alt text weighs (`/settings alt-text`).
    pub alt_text: media::AltText,
    /// The Mastodon server's media limits (its defaults until read from the instance).
    pub mastodon_media: media::MastodonMedia,
    team_words: Option<Arc<Lexicon>>,
    /// The team's own words that spelling accepts (product names, jargon), folded to lower case.
    known_words: Option<Arc<std::collections::HashSet<Box<str>>>>,
    /// The team's own rules, compiled once ([`Settings::add_team_rules`]).
    team_rules: Option<Arc<TeamRules>>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            limit: 280,
            language: None,
            default_language: Language::En,
            reply_language: None,
            signature_required: true,
            signature: None,
            company: None,
            networks: Vec::new(),
            own_domains: Vec::new(),
            own_handles: Vec::new(),
            spelling: true,
            answering: None,
            images: Vec::new(),
            alt_text: media::AltText::default(),
            mastodon_media: media::MastodonMedia::default(),
            team_words: None,
            known_words: None,
            team_rules: None,
        }
    }
}

impl Settings {
    /// Add a team's own words to a rule (`promotion.sales-words`: `braderie`, `Black Friday`).
    pub fn add_team_words(&mut self, rule: &str, terms: &[String]) -> Result<(), LexiconError> {
        let mut lex = self.team_words.as_deref().cloned().unwrap_or_default();
        lex.add_team_terms(rule, terms)?;
        self.team_words = Some(Arc::new(lex));
        Ok(())
    }

    /// Words the spelling check accepts (`/settings words spelling`, `--words FILE`): a team's
    /// product names and jargon. Case is ignored.
    pub fn add_known_words<I, S>(&mut self, words: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut set = self.known_words.as_deref().cloned().unwrap_or_default();
        set.extend(
            words
                .into_iter()
                .map(|w| w.as_ref().trim().to_lowercase())
                .filter(|w| !w.is_empty())
                .map(String::into_boxed_str),
        );
        self.known_words = Some(Arc::new(set));
    }

    /// Add a team's own rules (`--rules FILE`, `/settings rule add`): each is checked and
    /// compiled here, once; every review made with these settings runs them. The first rule
    /// refused (invalid or too large pattern, examples that misbehave, a duplicate id) is the
    /// error, and nothing is added.
    pub fn add_team_rules<I>(&mut self, specs: I) -> Result<(), TeamRuleError>
    where
        I: IntoIterator<Item = TeamRuleSpec>,
    {
        let mut rules = self.team_rules.as_deref().cloned().unwrap_or_default();
        rules.extend(specs)?;
        self.team_rules = (!rules.is_empty()).then(|| Arc::new(rules));
        Ok(())
    }

    /// Add rules already compiled (a server's, compiled once per process): shared, not
    /// recompiled.
    pub fn add_compiled_team_rules(&mut self, compiled: &TeamRules) -> Result<(), TeamRuleError> {
        if compiled.is_empty() {
            return Ok(());
        }
        let mut rules = self.team_rules.as_deref().cloned().unwrap_or_default();
        rules.extend_compiled(compiled)?;
        self.team_rules = Some(Arc::new(rules));
        Ok(())
    }

    /// The team's own rules, when there are any.
    pub fn team_rules(&self) -> Option<&TeamRules> {
        self.team_rules.as_deref()
    }

    /// Whether the team accepts this word (case ignored).
    pub fn is_known_word(&self, word: &str) -> bool {
        self.known_words
            .as_deref()
            .is_some_and(|set| set.contains(word.to_lowercase().as_str()))
    }
}

/// Everything the rules share about one tweet, computed once.
pub(crate) struct Context<'a> {
    pub tweet: &'a Tweet<'a>,
    /// The analysis language: the tweet's (detected) or the forced one.
    #[allow(dead_code)]
    pub lang: Language,
    /// The language messages are written in (`Settings::reply_language`, else `lang`).
    pub msg_lang: Language,
    pub matches: &'a [Match<'a>],
    pub settings: &'a Settings,
    pub history: &'a History,
    /// Promotional signals (sales words, prices, urgency), used by several guidelines.
    pub promo: Vec<promotion::Signal>,
    /// Whether, and how, the tweet answers someone.
    pub reply: dialogue::Reply,
    /// Where the company names itself (its names, #tags, $cashtags, own @handles), in text
    /// order: read by self-talk and the third person, found once.
    pub company: Vec<Span>,
}

impl<'a> Context<'a> {
    fn new(
        tweet: &'a Tweet<'a>,
        lang: Language,
        matches: &'a [Match<'a>],
        settings: &'a Settings,
        history: &'a History,
    ) -> Context<'a> {
        let mut ctx = Context {
            tweet,
            lang,
            msg_lang: settings.reply_language.unwrap_or(lang),
            matches,
            settings,
            history,
            promo: Vec::new(),
            reply: dialogue::Reply::No,
            company: Vec::new(),
        };
        ctx.company = generosity::company_mentions(&ctx);
        ctx.reply = dialogue::reply(&ctx);
        ctx.promo = promotion::signals(&ctx);
        ctx
    }

    /// Whether the tweet answers someone (a leading @handle or a greeting by name).
    pub fn is_reply(&self) -> bool {
        self.reply != dialogue::Reply::No
    }

    /// The lexicon matches of one rule.
    pub fn matches_of<'s>(&'s self, rule: &'s str) -> impl Iterator<Item = &'s Match<'a>> + 's {
        self.matches.iter().filter(move |m| m.rule == rule)
    }

    /// The spans of every @mention.
    pub fn mention_spans(&self) -> Vec<Span> {
        self.tweet
            .mentions
            .iter()
            .map(|m| Span {
                start: m.start,
                end: m.end,
            })
            .collect()
    }

    /// The byte span of a match in the original text.
    pub fn span_of(&self, m: &Match<'_>) -> Span {
        self.token_span(m.first, m.last)
    }

    /// The byte span from the start of token `first` to the end of token `last`.
    pub fn token_span(&self, first: usize, last: usize) -> Span {
        Span {
            start: self.tweet.tokens[first].start,
            end: self.tweet.tokens[last].end,
        }
    }

    /// The quoted words of some spans, for a message's `{terms}` (distinct, at most five).
    pub fn quote(&self, spans: &[Span]) -> String {
        let mut seen: Vec<&str> = Vec::new();
        for s in spans {
            let t = self.tweet.slice(s.start, s.end);
            if !t.is_empty() && !seen.iter().any(|x| x.eq_ignore_ascii_case(t)) {
                seen.push(t);
            }
        }
        let more = seen.len().saturating_sub(5);
        seen.truncate(5);
        let mut out = seen.join(", ");
        if more > 0 {
            out.push_str(&format!(", +{more}"));
        }
        out
    }

    /// A finding in this review's language.
    pub fn finding(
        &self,
        guideline: Guideline,
        rule: &str,
        severity: Severity,
        spans: Vec<Span>,
        args: &[(&str, &str)],
    ) -> Finding {
        debug_assert!(RULES.contains(&rule), "{rule} is missing from RULES");
        Finding {
            guideline,
            rule: rule.to_string(),
            severity,
            message: messages::fill(rule, self.msg_lang, args),
            spans,
            fix: None,
        }
    }

    /// A fix message in this review's language.
    pub fn fix(&self, key: &str, args: &[(&str, &str)]) -> Option<String> {
        Some(messages::fill(key, self.msg_lang, args))
    }
}

/// The review's language and the lexicon terms found in it. When common words don't tell
/// the language (`Soldes monstres`), the lexicon with more hits decides, then the default.
fn language_and_terms<'l>(tweet: &Tweet<'_>, settings: &'l Settings) -> (Language, Vec<Match<'l>>) {
    if let Some(lang) = settings.language.or_else(|| language::detect(tweet)) {
        return (lang, find_terms(tweet, lang, settings));
    }
    let first = settings.default_language;
    let other = first.other();
    let a = find_terms(tweet, first, settings);
    let b = find_terms(tweet, other, settings);
    if b.len() > a.len() {
        (other, b)
    } else {
        (first, a)
    }
}

fn find_terms<'l>(tweet: &Tweet<'_>, lang: Language, settings: &'l Settings) -> Vec<Match<'l>> {
    let mut matches = Vec::new();
    Lexicon::builtin(lang).find(tweet, &mut matches);
    if let Some(team) = &settings.team_words {
        team.find(tweet, &mut matches);
    }
    matches
}

/// The engine's tables, each built once per process on first use: the lexicons, first names,
/// twitter-text's tables, the spelling lists, the messages. Building them is most of a cold
/// start and they don't depend on one another, so a caller with several threads (the
/// JSON-lines reviewer) runs these at once, one per thread, rather than one after another in
/// its first review. Calling one twice costs nothing.
pub const WARM_UP: [fn(); 6] = [
    || {
        Lexicon::builtin(Language::Fr);
    },
    || {
        Lexicon::builtin(Language::En);
    },
    || {
        names::is_first_name("");
    },
    || {
        // A link and an emoji: the URL and emoji tables.
        length::weighted_length("a.com 👍🏽");
    },
    || {
        let tweet = Tweet::new("la la");
        let settings = Settings::default();
        let history = History::default();
        let ctx = Context::new(&tweet, Language::Fr, &[], &settings, &history);
        spelling::check(&ctx, &mut Vec::new());
    },
    || {
        messages::text("identity.signature", Language::Fr);
    },
];

/// Review a proposed tweet against the guidelines.
///
/// Pure and deterministic: the same text, settings and history always give the same review.
/// Never panics, whatever the text.
pub fn review(text: &str, settings: &Settings, history: &History) -> Review {
    if let Some((conversation::Kind::Repost, _)) = &settings.answering {
        return repost_review(settings);
    }
    let parts = thread::parts(text);
    // A thread is read whole, its separator lines blanked (offsets unchanged).
    let blanked = (parts.len() > 1).then(|| thread::blank_separators(text));
    let tweet = Tweet::new(blanked.as_deref().unwrap_or(text));
    let (lang, matches) = language_and_terms(&tweet, settings);
    // Each part is a post: the length that matters is the longest part's.
    let weighted = parts
        .iter()
        .map(|p| length::weighted_length(&text[p.start..p.end]))
        .max()
        .unwrap_or(0);
    let length = LengthReport {
        weighted,
        limit: settings.limit,
        valid: weighted <= settings.limit
            && !is_blank(text)
            && parts.len() <= thread::MAX_PARTS
            && parts.iter().all(|p| !is_blank(&text[p.start..p.end])),
    };
    let ctx = Context::new(&tweet, lang, &matches, settings, history);
    let mut findings = Vec::new();
    if is_blank(text) {
        findings.push(ctx.finding(Guideline::Tone, "tone.empty", Severity::Error, vec![], &[]));
    } else {
        identity::check(&ctx, &mut findings);
        dialogue::check(&ctx, &mut findings);
        promotion::check(&ctx, &mut findings);
        relay::check(&ctx, &mut findings);
        reach::check(&ctx, &mut findings);
        generosity::check(&ctx, &mut findings);
        tone::check(&ctx, &mut findings);
        if parts.len() > 1 {
            thread_checks(&ctx, &parts, &mut findings);
        } else {
            tone::check_length(&ctx, weighted, &mut findings);
            networks::check(&ctx, &mut findings);
        }
        if settings.spelling {
            spelling::check(&ctx, &mut findings);
            spacing::check(&ctx, &mut findings);
        }
        team_rules::check(&ctx, &mut findings);
    }
    media::check(&ctx, &mut findings);
    findings.sort_by(|a, b| {
        (a.guideline, a.severity, a.spans.first().map(|s| s.start)).cmp(&(
            b.guideline,
            b.severity,
            b.spans.first().map(|s| s.start),
        ))
    });
    let verdict = verdict(&findings);
    Review {
        verdict,
        score: score(verdict, &findings),
        language: ctx.msg_lang,
        length,
        findings,
    }
}

/// A repost has no text of ours: relaying someone's post as is credits them, which is the
/// article's relay race; nothing else applies.
fn repost_review(settings: &Settings) -> Review {
    let tweet = Tweet::new("");
    let lang = settings.language.unwrap_or(settings.default_language);
    let history = History::default();
    let ctx = Context::new(&tweet, lang, &[], settings, &history);
    let findings = vec![ctx.finding(
        Guideline::Relay,
        "relay.credit",
        Severity::Praise,
        vec![],
        &[],
    )];
    let verdict = verdict(&findings);
    Review {
        verdict,
        score: score(verdict, &findings),
        language: ctx.msg_lang,
        length: LengthReport {
            weighted: 0,
            limit: settings.limit,
            valid: true,
        },
        findings,
    }
}

/// A thread's own checks: how many parts, none empty, and each part's length on X and on the
/// networks the server posts to, each finding saying which part it is about.
fn thread_checks(ctx: &Context<'_>, parts: &[Span], out: &mut Vec<Finding>) {
    let text = ctx.tweet.text;
    let n = parts.len().to_string();
    if parts.len() > thread::MAX_PARTS {
        let max = thread::MAX_PARTS.to_string();
        out.push(ctx.finding(
            Guideline::Tone,
            "thread.too-many-parts",
            Severity::Error,
            vec![],
            &[("n", n.as_str()), ("max", max.as_str())],
        ));
    }
    for (i, part) in parts.iter().enumerate() {
        let k = (i + 1).to_string();
        let slice = &text[part.start..part.end];
        if is_blank(slice) {
            out.push(ctx.finding(
                Guideline::Tone,
                "thread.empty-part",
                Severity::Error,
                vec![*part],
                &[("part", k.as_str()), ("parts", n.as_str())],
            ));
            continue;
        }
        let before = out.len();
        tone::check_length_of(ctx, *part, length::weighted_length(slice), out);
        networks::check_part(ctx, *part, out);
        let prefix = messages::fill(
            "thread.part",
            ctx.msg_lang,
            &[("part", k.as_str()), ("parts", n.as_str())],
        );
        for f in &mut out[before..] {
            f.message.insert_str(0, &prefix);
        }
    }
}

/// Whether the text has nothing to publish: only white space, control or invisible characters.
fn is_blank(text: &str) -> bool {
    text.chars().all(|c| {
        c.is_whitespace()
            || c.is_control()
            || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{00AD}' | '\u{034F}' | '\u{180E}')
    })
}

/// `blocked` when an error stands, `needs_work` when a warning does, else `ready`.
fn verdict(findings: &[Finding]) -> Verdict {
    if findings.iter().any(|f| f.severity == Severity::Error) {
        Verdict::Blocked
    } else if findings.iter().any(|f| f.severity == Severity::Warning) {
        Verdict::NeedsWork
    } else {
        Verdict::Ready
    }
}

/// A 0-100 score that agrees with the verdict at a glance: ready is 80 and up, needs work 40-79,
/// blocked under 40. Each guideline costs by its worst finding (a second one costs half), and
/// praise wins a few points back.
fn score(verdict: Verdict, findings: &[Finding]) -> u8 {
    let mut penalty = 0i32;
    let mut bonus = 0i32;
    for g in Guideline::ALL {
        // The worst finding costs in full, each other one half.
        let (mut worst, mut sum, mut praised) = (0i32, 0i32, false);
        for f in findings.iter().filter(|f| f.guideline == g) {
            let cost = match f.severity {
                Severity::Error => 45,
                Severity::Warning => 18,
                Severity::Suggestion => 6,
                Severity::Praise => 0,
            };
            praised |= f.severity == Severity::Praise;
            sum += cost / 2;
            worst = worst.max(cost);
        }
        penalty += sum - worst / 2 + worst;
        if praised {
            bonus += 3;
        }
    }
    let raw = (100 - penalty + bonus.min(9)).clamp(0, 100);
    let (lo, hi) = match verdict {
        Verdict::Ready => (80, 100),
        Verdict::NeedsWork => (40, 79),
        Verdict::Blocked => (0, 39),
    };
    raw.clamp(lo, hi) as u8
}
