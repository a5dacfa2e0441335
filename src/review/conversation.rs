//! What a proposal answers, quotes or reposts, as the review reads it.
//!
//! The article's core advice is dialogue and relay: answering a person is the best a brand
//! account can do, and quoting or reposting someone credits them by construction (their name
//! and post travel with ours). The review is told which, and by whom the other post is, rather
//! than guessing it from a leading @handle.

use serde::{Deserialize, Serialize};

/// How a proposal takes part in a conversation. A plain post has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// An answer to someone's post.
    Reply,
    /// Our text with someone's post embedded.
    Quote,
    /// Someone's post shared as is (retweet, boost, Bluesky repost): no text of ours.
    Repost,
}

impl Kind {
    /// The stable id, in JSON and in the store.
    pub fn id(self) -> &'static str {
        match self {
            Kind::Reply => "reply",
            Kind::Quote => "quote",
            Kind::Repost => "repost",
        }
    }
}

/// The other post, as far as the review is concerned.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Original {
    /// Its author's handle, without `@`.
    pub author: String,
    /// Its text (plain, as the network gave it).
    pub text: String,
}

#[cfg(test)]
mod tests {
    use super::super::{review, History, Settings, Verdict};
    use super::*;

    fn rules(text: &str, kind: Option<Kind>) -> Vec<String> {
        let settings = Settings {
            answering: kind.map(|k| {
                (
                    k,
                    Original {
                        author: "marie".into(),
                        text: "Mon train a encore 20 minutes de retard, merci pour rien".into(),
                    },
                )
            }),
            ..Settings::default()
        };
        review(text, &settings, &History::default())
            .findings
            .into_iter()
            .map(|f| f.rule)
            .collect()
    }

    #[test]
    fn a_reply_is_dialogue_even_without_a_leading_handle() {
        for text in [
            "Désolés pour ce retard : un incident à Pantin, la ligne repart. ^SG",
            "Sorry about the delay: a signal failure, trains are moving again. ^SG",
        ] {
            let plain = rules(text, None);
            assert!(plain.contains(&"dialogue.broadcast".into()), "{plain:?}");
            let reply = rules(text, Some(Kind::Reply));
            assert!(reply.contains(&"dialogue.reply".into()), "{reply:?}");
            assert!(!reply.contains(&"dialogue.broadcast".into()), "{reply:?}");
        }
    }

    #[test]
    fn a_quote_credits_its_author_by_construction() {
        for text in [
            "« Le plus beau trajet de ma vie » : on est fiers de vous lire. ^SG",
            "\"Best commute of my life\": we love reading this. ^SG",
        ] {
            let quoted = rules(text, Some(Kind::Quote));
            assert!(quoted.contains(&"relay.credit".into()), "{quoted:?}");
            assert!(!quoted.contains(&"relay.uncredited".into()), "{quoted:?}");
        }
    }

    #[test]
    fn a_repost_has_no_text_to_review_and_is_ready() {
        let settings = Settings {
            answering: Some((Kind::Repost, Original::default())),
            ..Settings::default()
        };
        let r = review("", &settings, &History::default());
        assert_eq!(r.verdict, Verdict::Ready);
        let rules: Vec<&str> = r.findings.iter().map(|f| f.rule.as_str()).collect();
        assert_eq!(rules, ["relay.credit"]);
    }
}
