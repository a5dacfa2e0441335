//! The Discord side's words in French and English (`messages.toml`), so every reply exists in
//! both languages and a translator edits data, not code.

use std::sync::OnceLock;

use crate::i18n::Catalog;
use crate::review::Language;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        Catalog::from_toml(include_str!("messages.toml"))
            .unwrap_or_else(|e| panic!("built-in discord/messages.toml is invalid: {e}"))
    })
}

/// The message `key` in `lang`; the key itself when missing (a test keeps that from shipping).
pub fn text(key: &str, lang: Language) -> &str {
    catalog().text(key, lang)
}

/// The message `key` in `lang` with `{name}` placeholders filled.
pub fn fill(key: &str, lang: Language, args: &[(&str, &str)]) -> String {
    catalog().fill(key, lang, args)
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
    "card.button.override",
    "card.modal.override",
    "card.modal.reject",
    "card.modal.changes",
    "card.modal.reason",
    "card.modal.edit",
    "card.modal.text",
    "card.modal.text-unloaded",
    "guidelines.title",
    "guidelines.intro",
    "guidelines.footer",
    "guidelines.checks",
    "guidelines.before",
    "guidelines.after",
    "signature.saved",
    "signature.show",
    "signature.none",
    "signature.cleared",
    "signature.invalid-length",
    "signature.invalid-chars",
    "settings.admins-only",
    "settings.saved",
    "settings.paused",
    "settings.unpaused",
    "settings.not-paused",
    "settings.bad-timezone",
    "settings.timezone",
    "settings.bad-words",
    "settings.bad-network",
    "settings.title",
    "settings.channel",
    "settings.channel-default",
    "settings.approvals",
    "settings.approvals-value",
    "settings.reviewers",
    "settings.reviewers-default",
    "settings.contractors",
    "settings.quorums",
    "settings.review",
    "settings.review-value",
    "settings.words",
    "settings.publish",
    "settings.publish-default",
    "settings.none",
    "settings.yes",
    "settings.no",
    "settings.own",
    "settings.own-value",
    "settings.rules",
    "settings.rules-more",
    "settings.rule-unknown",
    "settings.rule-bad-id",
    "settings.rule-too-many",
    "settings.rule-empty",
    "settings.rule-too-long",
    "settings.rule-bad-pattern",
    "settings.rule-too-large",
    "settings.rule-bad-severity",
    "settings.rule-flag-missed",
    "settings.rule-pass-flagged",
    "settings.field-pattern",
    "settings.field-unless",
    "settings.field-message",
    "settings.field-fix",
    "settings.field-example",
    "settings.bad-domain",
    "settings.bad-handle",
    "queue.title",
    "queue.footer",
    "queue.previous",
    "queue.next",
    "queue.open",
    "queue.empty",
    "queue.card",
    "proposal.not-found",
    "proposal.unavailable",
    "proposal.card-link",
    "proposal.history",
    "proposal.earlier",
    "card.button.retry",
    "card.button.confirm",
    "card.button.again",
    "card.posts",
    "card.post.posted",
    "card.post.sending",
    "card.post.failed",
    "card.post.unknown",
    "submit.modal.when",
    "submit.modal.when-example",
    "submit.when-invalid",
    "submit.when-past",
    "submit.when-far",
    "submit.when-gap",
    "card.scheduled",
    "interaction.repeat",
    "interaction.anonymous",
    "pause.title",
    "pause.banner",
    "pause.reason",
    "card.part",
    "card.post.parts",
    "submit.target-both",
    "submit.target-invalid",
    "submit.target-network",
    "submit.target-unreachable",
    "submit.modal.reply-to",
    "submit.modal.quote",
    "submit.image-refused",
    "submit.image-download",
    "submit.image-store",
    "submit.too-many-images",
    "submit.images-expired",
    "submit.alt-modal.title",
    "submit.alt-modal.label",
    "submit.alt-modal.placeholder",
    "propose.message-empty",
    "card.images",
    "card.image-line",
    "card.image-alt",
    "card.image-no-alt",
    "relay.missing-url",
    "card.conversation.reply",
    "card.conversation.quote",
    "card.conversation.repost",
    "submit.image-foreign",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_exists_in_both_languages_with_the_same_placeholders() {
        assert_eq!(catalog().problems(), Vec::<String>::new());
    }

    /// Modal titles and input labels fit Discord's 45 characters whole (never cut mid-word);
    /// placeholders its 100.
    #[test]
    fn modal_words_fit_discord() {
        for key in KEYS.iter().filter(|k| k.contains(".modal.")) {
            let max = if key.ends_with("-example") || key.ends_with("-unloaded") {
                crate::discord::response::PLACEHOLDER_MAX
            } else {
                crate::discord::response::LABEL_MAX
            };
            for lang in [Language::Fr, Language::En] {
                let t = text(key, lang);
                assert!(t.chars().count() <= max, "{key} ({lang:?}): {t}");
            }
        }
    }

    #[test]
    fn every_key_the_code_uses_exists() {
        for key in KEYS {
            assert!(catalog().has(key), "{key} is missing");
        }
        assert_eq!(
            catalog().entries().count(),
            KEYS.len(),
            "unused keys in messages.toml"
        );
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            fill("review.slow-down", Language::Fr, &[("seconds", "12")]),
            "Doucement : trop d'examens d'affilée. Réessayez dans 12 s."
        );
    }
}
