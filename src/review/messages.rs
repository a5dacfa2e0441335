//! The review's words in French and English (`messages.toml`), so every message the bot writes
//! exists in both languages and a translator edits data, not code.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::lexicon::FxBuild;
use super::Language;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    fr: String,
    en: String,
}

type Catalog = HashMap<String, Entry, FxBuild>;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        toml::from_str(include_str!("messages.toml"))
            .unwrap_or_else(|e| panic!("built-in messages.toml is invalid: {e}"))
    })
}

/// The message `key` in `lang`; the key itself when missing (a test keeps that from shipping).
pub fn text(key: &str, lang: Language) -> &str {
    match catalog().get(key) {
        Some(e) => match lang {
            Language::Fr => &e.fr,
            Language::En => &e.en,
        },
        None => key,
    }
}

/// Whether the catalog has `key` (for the completeness test).
pub fn has(key: &str) -> bool {
    catalog().contains_key(key)
}

/// Every key with both renderings, for the completeness test.
pub fn entries() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    catalog()
        .iter()
        .map(|(k, e)| (k.as_str(), e.fr.as_str(), e.en.as_str()))
}

/// The message `key` in `lang` with `{name}` placeholders filled.
pub fn fill(key: &str, lang: Language, args: &[(&str, &str)]) -> String {
    let template = text(key, lang);
    if !template.contains('{') {
        return template.to_string();
    }
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
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
    fn placeholders_are_filled() {
        let s = fill(
            "tone.length",
            Language::En,
            &[("count", "300"), ("limit", "280"), ("over", "20")],
        );
        assert_eq!(s, "Too long: 300/280. Cut 20 characters.");
    }
}
