//! The review's words in French and English (`messages.toml`): guideline titles, verdicts,
//! and one message per rule (and per fix, `.fix`).

use std::sync::OnceLock;

use super::Language;
use crate::i18n::Catalog;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        Catalog::from_toml(include_str!("messages.toml"))
            .unwrap_or_else(|e| panic!("built-in review/messages.toml is invalid: {e}"))
    })
}

/// The message `key` in `lang`; the key itself when missing (a test keeps that from shipping).
pub fn text(key: &str, lang: Language) -> &str {
    catalog().text(key, lang)
}

/// Whether the catalog has `key`.
pub fn has(key: &str) -> bool {
    catalog().has(key)
}

/// The message `key` in `lang` with `{name}` placeholders filled.
pub fn fill(key: &str, lang: Language, args: &[(&str, &str)]) -> String {
    catalog().fill(key, lang, args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_both_languages_with_the_same_placeholders() {
        assert_eq!(catalog().problems(), Vec::<String>::new());
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
