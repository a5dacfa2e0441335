//! Bilingual message catalogs: every message the bot writes exists in French and English, as
//! data (`review/messages.toml`, `discord/messages.toml`) a translator edits without touching
//! code. Pure: a catalog is parsed from text given to it.

use std::collections::HashMap;

use serde::Deserialize;

use crate::review::lexicon::FastHash;
use crate::review::Language;

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

/// A catalog of messages, each in French and English, with its placeholders parsed once.
#[derive(Debug)]
pub struct Catalog {
    entries: HashMap<String, Entry, FastHash>,
}

impl Catalog {
    /// Parse a catalog: a TOML table per key with `fr` and `en` strings.
    pub fn from_toml(src: &str) -> Result<Catalog, toml::de::Error> {
        let raw: HashMap<String, RawEntry> = toml::from_str(src)?;
        let entries = raw
            .into_iter()
            .map(|(k, e)| {
                let entry = Entry {
                    fr: Template::new(e.fr),
                    en: Template::new(e.en),
                };
                (k, entry)
            })
            .collect();
        Ok(Catalog { entries })
    }

    fn template(&self, key: &str, lang: Language) -> Option<&Template> {
        self.entries.get(key).map(|e| match lang {
            Language::Fr => &e.fr,
            Language::En => &e.en,
        })
    }

    /// The message `key` in `lang`; the key itself when missing (tests keep that from
    /// shipping).
    pub fn text<'a>(&'a self, key: &'a str, lang: Language) -> &'a str {
        self.template(key, lang).map_or(key, |t| t.text.as_str())
    }

    /// Whether the catalog has `key`.
    pub fn has(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }

    /// Every key with both renderings.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        self.entries
            .iter()
            .map(|(k, e)| (k.as_str(), e.fr.text.as_str(), e.en.text.as_str()))
    }

    /// The message `key` in `lang` with `{name}` placeholders filled (an unknown one stays as
    /// written, so a missing argument shows instead of vanishing).
    pub fn fill(&self, key: &str, lang: Language, args: &[(&str, &str)]) -> String {
        let Some(t) = self.template(key, lang) else {
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

    /// What is wrong with the catalog: an empty message, or a key whose two languages don't
    /// take the same placeholders. Empty when all is well (each catalog's test asserts it).
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for (key, fr, en) in self.entries() {
            if fr.trim().is_empty() || en.trim().is_empty() {
                problems.push(format!("{key}: a language is empty"));
            }
            if placeholders(fr) != placeholders(en) {
                problems.push(format!("{key}: placeholders differ between fr and en"));
            }
        }
        problems.sort();
        problems
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        Catalog::from_toml(
            "[a]\nfr = \"{n} sur {total}\"\nen = \"{n} of {total}\"\n[b]\nfr = \"x {y}\"\nen = \"x\"\n",
        )
        .expect("valid catalog")
    }

    #[test]
    fn placeholders_are_filled_and_a_missing_one_shows() {
        let c = catalog();
        assert_eq!(
            c.fill("a", Language::En, &[("n", "8"), ("total", "10")]),
            "8 of 10"
        );
        assert_eq!(c.fill("a", Language::Fr, &[("n", "8")]), "8 sur {total}");
        assert_eq!(c.text("nope", Language::Fr), "nope");
    }

    #[test]
    fn differing_placeholders_are_a_problem() {
        assert_eq!(c_problems(), ["b: placeholders differ between fr and en"]);
    }

    fn c_problems() -> Vec<String> {
        catalog().problems()
    }
}
