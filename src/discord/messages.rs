//! The Discord side's words in French and English (`messages.toml`), so every reply exists in
//! both languages and a translator edits data, not code.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::review::Language;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    fr: String,
    en: String,
}

fn catalog() -> &'static HashMap<String, Entry> {
    static CATALOG: OnceLock<HashMap<String, Entry>> = OnceLock::new();
    CATALOG.get_or_init(|| {
        toml::from_str(include_str!("messages.toml"))
            .unwrap_or_else(|e| panic!("built-in discord/messages.toml is invalid: {e}"))
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

/// Every key with both renderings, for the completeness test.
pub fn entries() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    catalog()
        .iter()
        .map(|(k, e)| (k.as_str(), e.fr.as_str(), e.en.as_str()))
}

/// The message `key` in `lang` with `{name}` placeholders filled.
pub fn fill(key: &str, lang: Language, args: &[(&str, &str)]) -> String {
    let mut out = text(key, lang).to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// Every key the Discord code uses, so a test checks they all exist.
pub const KEYS: &[&str] = &[
    "review.title",
    "review.nothing",
    "review.fix",
    "review.footer",
    "review.truncated",
    "review.findings-left",
    "review.missing-text",
    "review.message-without-text",
    "review.slow-down",
    "error.unknown-command",
    "submit.guild-only",
    "submit.no-store",
    "submit.missing-text",
    "submit.card-failed",
    "submit.done",
    "submit.modal.title",
    "submit.modal.note",
    "card.title",
    "card.review",
    "card.findings",
    "card.author",
    "card.author-value",
    "card.approvals",
    "card.approvals-value",
    "card.missing",
    "card.changes",
    "card.last",
    "card.footer",
    "card.note",
    "card.button.approve",
    "card.button.changes",
    "card.button.reject",
    "card.button.edit",
    "card.button.withdraw",
    "card.modal.reject",
    "card.modal.changes",
    "card.modal.reason",
    "card.modal.edit",
    "card.modal.text",
];

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
    fn every_message_exists_in_both_languages_with_the_same_placeholders() {
        for (key, fr, en) in entries() {
            assert!(
                !fr.trim().is_empty() && !en.trim().is_empty(),
                "{key} is empty"
            );
            assert_eq!(placeholders(fr), placeholders(en), "{key}");
        }
    }

    #[test]
    fn every_key_the_code_uses_exists() {
        for key in KEYS {
            assert!(catalog().contains_key(*key), "{key} is missing");
        }
        assert_eq!(catalog().len(), KEYS.len(), "unused keys in messages.toml");
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            fill("review.slow-down", Language::Fr, &[("seconds", "12")]),
            "Doucement : trop d'examens d'affilée. Réessayez dans 12 s."
        );
    }
}
