//! The review's words in French and English (`messages.toml`), so every message the bot writes
//! exists in both languages and a translator edits data, not code.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::lexicon::FxBuild;
use super::Language;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    fr: String,
    en: String,
}

/// A message in both languages, its placeholders found once at load so filling one is a few
/// copies (messages are written on every finding of every review).
#[derive(Debug)]
struct Entry {
    fr: Template,
    en: Template,
}

#[derive(Debug)]
struct Template {
    text: String,
    /// Literal and `{name}` pieces, as byte ranges of `text`; empty when there is no
    /// placeholder.
    pieces: Vec<Piece>,
}

#[derive(Debug, Clone)]
enum Piece {
    Literal(std::ops::Range<usize>),
    Placeholder(std::ops::Range<usize>),
}

impl Template {
    fn new(text: String) -> Template {
        let mut pieces = Vec::new();
        let mut at = 0;
        while let Some(open) = text[at..].find('{').map(|i| at + i) {
            let Some(close) = text[open..].find('}').map(|i| open + i) else {
                break;
            };
            pieces.push(Piece::Literal(at..open));
            pieces.push(Piece::Placeholder(open + 1..close));
            at = close + 1;
        }
        if !pieces.is_empty() {
            pieces.push(Piece::Literal(at..text.len()));
        }
        Template { text, pieces }
    }
}

type Catalog = HashMap<String, Entry, FxBuild>;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let raw: HashMap<String, RawEntry> = toml::from_str(include_str!("messages.toml"))
            .unwrap_or_else(|e| panic!("built-in messages.toml is invalid: {e}"));
        raw.into_iter()
            .map(|(k, e)| {
                let entry = Entry {
                    fr: Template::new(e.fr),
                    en: Template::new(e.en),
                };
                (k, entry)
            })
            .collect()
    })
}

fn template(key: &str, lang: Language) -> Option<&'static Template> {
    catalog().get(key).map(|e| match lang {
        Language::Fr => &e.fr,
        Language::En => &e.en,
    })
}

/// The message `key` in `lang`; the key itself when missing (a test keeps that from shipping).
pub fn text(key: &str, lang: Language) -> &str {
    template(key, lang).map_or(key, |t| t.text.as_str())
}

/// Whether the catalog has `key` (for the completeness test).
pub fn has(key: &str) -> bool {
    catalog().contains_key(key)
}

/// Every key with both renderings, for the completeness test.
pub fn entries() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    catalog()
        .iter()
        .map(|(k, e)| (k.as_str(), e.fr.text.as_str(), e.en.text.as_str()))
}

/// The message `key` in `lang` with `{name}` placeholders filled (an unknown one stays as
/// written, so a missing argument shows instead of vanishing).
pub fn fill(key: &str, lang: Language, args: &[(&str, &str)]) -> String {
    let Some(t) = template(key, lang) else {
        return key.to_string();
    };
    if t.pieces.is_empty() {
        return t.text.clone();
    }
    let mut out = String::with_capacity(t.text.len() + 48);
    for piece in &t.pieces {
        match piece {
            Piece::Literal(r) => out.push_str(&t.text[r.clone()]),
            Piece::Placeholder(r) => {
                let name = &t.text[r.clone()];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&t.text[r.start - 1..r.end + 1]),
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(s: &str) -> Vec<&str> {
        let mut v: Vec<&str> = s
            .split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}').map(|(n, _)| n))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    #[test]
    fn every_message_has_the_same_placeholders_in_both_languages() {
        for (key, fr, en) in entries() {
            assert!(
                !fr.trim().is_empty() && !en.trim().is_empty(),
                "{key} is empty"
            );
            assert_eq!(placeholders(fr), placeholders(en), "{key}");
        }
    }

    #[test]
    fn a_missing_argument_shows_its_placeholder() {
        let s = fill("tone.length", Language::Fr, &[("count", "300")]);
        assert!(s.contains("300/{limit}"), "{s}");
    }

    #[test]
    fn every_rule_the_engine_emits_has_a_message() {
        for rule in super::super::RULES {
            assert!(has(rule), "no message for {rule}");
        }
    }

    #[test]
    fn placeholders_are_filled() {
        let s = fill(
            "tone.length",
            Language::En,
            &[("count", "300"), ("limit", "280"), ("over", "20")],
        );
        assert_eq!(s, "Too long: 300/280. Cut 20 characters.");
    }
}
