//! Spelling across words, where every word is a real one and only its neighbours show the
//! typo (`phrases.toml`): a function word typed twice (`spelling.repeated-word`: `la la ligne`,
//! `the the team`) and a known confusion, a real word in the place of another
//! (`spelling.confusion`: `dés que` for `dès que`, `should of` for `should have`).

use std::collections::HashMap;
use std::sync::OnceLock;

use super::super::lexicon::{FastHash, WordFilter};
use super::super::text::Token;
use super::super::{Context, Finding, Guideline, Language, Severity, Span};

/// One confusion of `phrases.toml`, its words in lower case.
#[derive(serde::Deserialize)]
struct Confusion {
    wrong: String,
    right: String,
    #[serde(default)]
    after: Vec<String>,
    #[serde(default)]
    not_after: Vec<String>,
    #[serde(default)]
    not_before: Vec<String>,
    #[serde(default)]
    at_end: bool,
    #[allow(dead_code)] // read by the tests
    flag: String,
    #[allow(dead_code)]
    pass: String,
}

/// What joins two words of a confusion in the text.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Joint {
    Space,
    Apostrophe,
    Hyphen,
}

/// A confusion ready to match: its words and the joints between them.
struct Pattern {
    words: Vec<String>,
    /// The words folded like the tweet's: compared first, as bytes.
    folded: Vec<String>,
    joints: Vec<Joint>,
    rule: Confusion,
}

#[derive(serde::Deserialize)]
struct Repeated {
    fr: Vec<String>,
    en: Vec<String>,
    pass: Vec<String>,
    #[allow(dead_code)]
    flag_examples: Vec<String>,
    #[allow(dead_code)]
    pass_examples: Vec<String>,
}

#[derive(serde::Deserialize)]
struct Raw {
    repeated: Repeated,
    confusion: Vec<Confusion>,
}

struct Phrases {
    repeated: Repeated,
    /// The longest repeated word's letters: a longer word needs no look.
    repeated_letters: u16,
    /// The patterns, and their indices by the folded first word: one hash lookup per word.
    patterns: Vec<Pattern>,
    by_first: HashMap<String, Vec<usize>, FastHash>,
    /// The same first words as a bit filter: most words of a tweet start no pattern, and are
    /// turned away by one bit test before any hashing.
    first_words: WordFilter,
}

fn phrases() -> &'static Phrases {
    static PHRASES: OnceLock<Phrases> = OnceLock::new();
    PHRASES.get_or_init(|| {
        let raw: Raw = toml::from_str(include_str!("phrases.toml"))
            .unwrap_or_else(|e| panic!("built-in review/spelling/phrases.toml is invalid: {e}"));
        let mut by_first: HashMap<String, Vec<usize>, _> = HashMap::default();
        let patterns: Vec<Pattern> = raw
            .confusion
            .into_iter()
            .map(|rule| {
                let (words, joints) = split(&rule.wrong);
                let folded = words.iter().map(|w| super::fold(w)).collect();
                Pattern {
                    words,
                    folded,
                    joints,
                    rule,
                }
            })
            .collect();
        let mut first_words = WordFilter::default();
        for (i, p) in patterns.iter().enumerate() {
            let first = p.folded.first().cloned().unwrap_or_default();
            first_words.insert(&first);
            by_first.entry(first).or_default().push(i);
        }
        let repeated_letters = raw
            .repeated
            .fr
            .iter()
            .chain(&raw.repeated.en)
            .map(|w| u16::try_from(w.chars().count()).unwrap_or(u16::MAX))
            .max()
            .unwrap_or(0);
        Phrases {
            repeated_letters,
            repeated: raw.repeated,
            patterns,
            by_first,
            first_words,
        }
    })
}

/// The words of a phrase, in lower case, and the joints between them.
fn split(phrase: &str) -> (Vec<String>, Vec<Joint>) {
    let mut words = vec![String::new()];
    let mut joints = Vec::new();
    for c in phrase.chars() {
        let joint = match c {
            ' ' => Joint::Space,
            '\'' | '’' => Joint::Apostrophe,
            '-' => Joint::Hyphen,
            _ => {
                if let Some(w) = words.last_mut() {
                    w.extend(c.to_lowercase());
                }
                continue;
            }
        };
        joints.push(joint);
        words.push(String::new());
    }
    (words, joints)
}

/// The joint between two tokens, if the text between them is one.
fn joint(text: &str, a: &Token, b: &Token) -> Option<Joint> {
    let gap = text.get(a.end..b.start)?;
    match gap {
        "'" | "’" => Some(Joint::Apostrophe),
        "-" => Some(Joint::Hyphen),
        _ if !gap.is_empty() && gap.chars().all(is_space) => Some(Joint::Space),
        _ => None,
    }
}

/// Spaces within a line: a line break between two words is layout, not a repetition.
fn is_space(c: char) -> bool {
    c.is_whitespace() && c != '\n' && c != '\r'
}

/// Whether a token, as written, is `word` (lower case) in any case.
fn is(text: &str, t: &Token, word: &str) -> bool {
    text[t.start..t.end]
        .chars()
        .flat_map(char::to_lowercase)
        .eq(word.chars())
}

/// Whether the word is written in lower case.
fn lower(text: &str, t: &Token) -> bool {
    !text[t.start..t.end].chars().any(char::is_uppercase)
}

/// A token the check may read: not in a hashtag or a link.
fn plain(ctx: &Context<'_>, t: &Token) -> bool {
    !t.in_hashtag && !ctx.tweet.in_url(t.start)
}

pub(super) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    repeated(ctx, out);
    confusions(ctx, out);
}

/// `spelling.repeated-word`: one finding per doubled function word, its second copy the span.
fn repeated(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let tweet = ctx.tweet;
    let text = tweet.text;
    let p = phrases();
    let list = match ctx.lang {
        Language::Fr => &p.repeated.fr,
        Language::En => &p.repeated.en,
    };
    let tokens = &tweet.tokens;
    for k in 1..tokens.len() {
        let (a, b) = (&tokens[k - 1], &tokens[k]);
        // The folded words first: a byte comparison rules out almost every pair.
        if b.end - b.start != a.end - a.start
            || b.letters > p.repeated_letters
            || tweet.word(k - 1) != tweet.word(k)
            || joint(text, a, b) != Some(Joint::Space)
            || !plain(ctx, a)
            || !plain(ctx, b)
            // The second copy in lower case; the first too, unless it opens a sentence
            // (`Le le trafic`): `Plan A a` is a name and a word.
            || !lower(text, b)
            || !(lower(text, a) || super::sentence_start(text, a.start))
        {
            continue;
        }
        let Some(word) = list.iter().find(|w| is(text, b, w)) else {
            continue;
        };
        if !is(text, a, word) {
            continue;
        }
        // A run of three is a song or a laugh (`la la la`), not a typo.
        let third = tokens
            .get(k + 1)
            .filter(|c| joint(text, b, c) == Some(Joint::Space) && is(text, c, word));
        let before = k
            .checked_sub(2)
            .map(|j| &tokens[j])
            .filter(|c| joint(text, c, a) == Some(Joint::Space) && is(text, c, word));
        if third.is_some() || before.is_some() {
            continue;
        }
        if tokens.get(k + 1).is_some_and(|c| {
            p.repeated.pass.iter().any(|phrase| {
                let (w, _) = split(phrase);
                w.len() == 3 && w[0] == *word && w[1] == *word && is(text, c, &w[2])
            })
        }) {
            continue;
        }
        let span = Span {
            start: a.start,
            end: b.end,
        };
        let terms = tweet.slice(span.start, span.end);
        let mut f = ctx.finding(
            Guideline::Spelling,
            "spelling.repeated-word",
            Severity::Warning,
            vec![span],
            &[("terms", terms)],
        );
        f.fix = ctx.fix("spelling.repeated-word.fix", &[("word", word)]);
        out.push(f);
    }
}

/// `spelling.confusion`: one finding per confusion found, the words meant as the fix.
fn confusions(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let tweet = ctx.tweet;
    let tokens = &tweet.tokens;
    let p = phrases();
    for k in 0..tokens.len() {
        let word = tweet.word(k);
        if !p.first_words.may_hold(word) {
            continue;
        }
        let Some(candidates) = p.by_first.get(word) else {
            continue;
        };
        for &i in candidates {
            let pat = &p.patterns[i];
            let Some(last) = matches(ctx, k, pat) else {
                continue;
            };
            let span = Span {
                start: tokens[k].start,
                end: tokens[last].end,
            };
            let terms = tweet.slice(span.start, span.end);
            let mut f = ctx.finding(
                Guideline::Spelling,
                "spelling.confusion",
                Severity::Warning,
                vec![span],
                &[("terms", terms), ("right", &pat.rule.right)],
            );
            f.fix = ctx.fix("spelling.confusion.fix", &[("right", &pat.rule.right)]);
            out.push(f);
            break;
        }
    }
}

/// The last token of `pat` if it matches from token `k`, with its conditions.
fn matches(ctx: &Context<'_>, k: usize, pat: &Pattern) -> Option<usize> {
    let tweet = ctx.tweet;
    let text = tweet.text;
    let tokens = &tweet.tokens;
    let last = k + pat.words.len() - 1;
    let run = tokens.get(k..=last)?;
    // The folded words first: a byte comparison, where most candidates stop.
    if !(k..=last).zip(&pat.folded).all(|(j, f)| tweet.word(j) == f) {
        return None;
    }
    for (j, (t, w)) in run.iter().zip(&pat.words).enumerate() {
        if !plain(ctx, t) || !is(text, t, w) {
            return None;
        }
        if j > 0 && joint(text, &run[j - 1], t) != Some(pat.joints[j - 1]) {
            return None;
        }
    }
    let rule = &pat.rule;
    // The word before, when it is joined by spaces (across punctuation it is another phrase).
    let before = k
        .checked_sub(1)
        .map(|j| &tokens[j])
        .filter(|b| joint(text, b, &tokens[k]).is_some());
    let before_is = |list: &[String]| before.is_some_and(|b| list.iter().any(|w| is(text, b, w)));
    if !rule.after.is_empty() && !before_is(&rule.after) {
        return None;
    }
    if before_is(&rule.not_after) {
        return None;
    }
    let after = &text[tokens[last].end..];
    if !rule.not_before.is_empty() {
        let next = tokens
            .get(last + 1)
            .filter(|n| joint(text, &tokens[last], n).is_some());
        if next.is_some_and(|n| rule.not_before.iter().any(|w| is(text, n, w))) {
            return None;
        }
    }
    if rule.at_end {
        // Only punctuation, emoji or the end follow: a word after makes it a noun phrase.
        let rest = after.trim_start_matches(is_space);
        if rest.chars().next().is_some_and(char::is_alphanumeric) {
            return None;
        }
    }
    // Glued to more letters (`dés-que`, `en cous2`) it is not these words.
    if after.chars().next().is_some_and(char::is_alphanumeric) {
        return None;
    }
    Some(last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::{review, History, Settings};

    fn rules(text: &str) -> Vec<(String, String, Option<String>)> {
        review(text, &Settings::default(), &History::default())
            .findings
            .into_iter()
            .filter(|f| f.rule == "spelling.repeated-word" || f.rule == "spelling.confusion")
            .map(|f| {
                let s = &f.spans[0];
                (f.rule, text[s.start..s.end].to_string(), f.fix)
            })
            .collect()
    }

    #[test]
    fn every_confusion_flags_its_example_and_passes_the_right_words() {
        for pat in &phrases().patterns {
            let c = &pat.rule;
            let found = rules(&c.flag);
            assert!(
                found
                    .iter()
                    .any(|(rule, words, fix)| rule == "spelling.confusion"
                        && words.to_lowercase().replace('’', "'") == c.wrong
                        && fix.as_deref().is_some_and(|f| f.contains(&c.right))),
                "{}: {found:?}",
                c.flag
            );
            let found = rules(&c.pass);
            assert!(found.is_empty(), "{}: {found:?}", c.pass);
        }
    }

    #[test]
    fn a_doubled_function_word_is_flagged_in_both_languages() {
        for text in &phrases().repeated.flag_examples {
            let found = rules(text);
            assert!(
                found
                    .iter()
                    .any(|(rule, _, _)| rule == "spelling.repeated-word"),
                "{text}: {found:?}"
            );
        }
        let found = rules("Bonjour, non la la ligne est partiellement ouverte.");
        assert_eq!(found[0].1, "la la");
        assert!(found[0].2.as_deref().is_some_and(|f| f.contains("la")));
    }

    #[test]
    fn a_word_doubled_on_purpose_is_not() {
        for text in &phrases().repeated.pass_examples {
            assert!(rules(text).is_empty(), "{text}: {:?}", rules(text));
        }
        // Across a line break it is layout; in a hashtag or a link, not prose.
        assert!(rules("Trains toutes les 10 min de\nde 7h à 9h.").is_empty());
        assert!(rules("Voir https://exemple.fr/la/la/ligne pour le détail.").is_empty());
    }

    #[test]
    fn a_confusion_is_found_in_its_place_only() {
        // The dice (`les dés que`), `of course` after a modal, a welcome pack.
        assert!(rules("Vous aurez une réponse dés que possible.").len() == 1);
        assert!(rules("Rangez les dés que vous avez.").is_empty());
        assert!(rules("You should of course check your email.").is_empty());
        assert!(rules("Your welcome email is on its way.").is_empty());
        assert_eq!(
            rules("Thanks! Your welcome 🙂")[0].1,
            "Your welcome",
            "a confusion at the end of a sentence"
        );
        // Words in hashtags are tags, not prose.
        assert!(rules("Rendez-vous #dés que possible.").is_empty());
    }

    #[test]
    fn phrases_split_into_words_and_joints() {
        let (w, j) = split("quoiqu'il en soit");
        assert_eq!(w, ["quoiqu", "il", "en", "soit"]);
        assert_eq!(j, [Joint::Apostrophe, Joint::Space, Joint::Space]);
    }
}
