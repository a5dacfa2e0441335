//! `/guidelines [guideline]`: the team's guidelines as a community manager would explain them,
//! with what the review checks and a before/after example. The words are data
//! (`guidelines.toml`), in French and English; the answer is private.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::discord::embeds::{limits, truncate};
use crate::discord::messages::text;
use crate::discord::response::{Embed, EmbedField, EmbedFooter, Message, Response};
use crate::discord::router::Invocation;
use crate::review::{Guideline, Language};

/// The slash command's name (`commands/guidelines.json`).
pub const SLASH: &str = "guidelines";

/// One guideline in one language.
#[derive(Debug, Clone, Deserialize)]
pub struct Explained {
    pub title: String,
    pub idea: String,
    pub checks: String,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, Deserialize)]
struct Entry {
    fr: Explained,
    en: Explained,
}

fn data() -> &'static BTreeMap<String, Entry> {
    static DATA: OnceLock<BTreeMap<String, Entry>> = OnceLock::new();
    DATA.get_or_init(|| {
        toml::from_str(include_str!("../guidelines.toml"))
            .unwrap_or_else(|e| panic!("built-in discord/guidelines.toml is invalid: {e}"))
    })
}

/// How `/guidelines` explains `g` in `lang` (a test checks every guideline has both).
pub fn explained(g: Guideline, lang: Language) -> Option<&'static Explained> {
    data().get(g.id()).map(|e| match lang {
        Language::Fr => &e.fr,
        Language::En => &e.en,
    })
}

fn field(name: &str, value: &str) -> EmbedField {
    EmbedField {
        name: truncate(name, limits::FIELD_NAME, "…"),
        value: truncate(value, limits::FIELD_VALUE, "…"),
        inline: false,
    }
}

/// `/guidelines`: all of them in brief, or one in detail.
pub fn slash(inv: &Invocation) -> Response {
    let lang = inv.language();
    let chosen = inv
        .string_option("guideline")
        .and_then(|id| Guideline::ALL.into_iter().find(|g| g.id() == id));
    let embed = match chosen.and_then(|g| explained(g, lang)) {
        Some(e) => Embed {
            title: Some(e.title.clone()),
            description: Some(e.idea.clone()),
            fields: vec![
                field(text("guidelines.checks", lang), &e.checks),
                field(text("guidelines.before", lang), &format!("> {}", e.before)),
                field(text("guidelines.after", lang), &format!("> {}", e.after)),
            ],
            ..Embed::default()
        },
        None => Embed {
            title: Some(text("guidelines.title", lang).into()),
            description: Some(text("guidelines.intro", lang).into()),
            fields: Guideline::ALL
                .iter()
                .filter_map(|g| explained(*g, lang))
                .map(|e| field(&e.title, &e.idea))
                .collect(),
            footer: Some(EmbedFooter {
                text: text("guidelines.footer", lang).into(),
            }),
            ..Embed::default()
        },
    };
    Response::Message(Message::embed(embed).ephemeral())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_guideline_is_explained_in_both_languages() {
        for g in Guideline::ALL {
            for lang in [Language::Fr, Language::En] {
                let e = explained(g, lang).unwrap_or_else(|| panic!("{} missing", g.id()));
                for s in [&e.title, &e.idea, &e.checks, &e.before, &e.after] {
                    assert!(!s.trim().is_empty(), "{} {lang:?}", g.id());
                }
            }
            let (fr, en) = (
                explained(g, Language::Fr).map(|e| &e.idea),
                explained(g, Language::En).map(|e| &e.idea),
            );
            assert_ne!(fr, en, "{} is translated", g.id());
        }
        assert_eq!(data().len(), Guideline::ALL.len(), "no stray guideline");
    }
}
