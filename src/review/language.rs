//! Which language the tweet is in, so the review answers in it.
//!
//! Counts each language's common words (data: `markers` in the lexicons) and the accented
//! letters French uses; a tie goes to the team's default language.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::lexicon::{FxBuild, Lexicon};
use super::text::Tweet;
use super::Language;

/// The tweet's language, or `None` when its common words and accents don't tell.
pub(crate) fn detect(tweet: &Tweet<'_>) -> Option<Language> {
    let markers = markers();
    let (mut fr_score, mut en_score) = (0u32, 0u32);
    for i in 0..tweet.tokens.len() {
        if let Some(&(fr, en)) = markers.get(tweet.word(i)) {
            fr_score += u32::from(fr);
            en_score += u32::from(en);
        }
    }
    fr_score += tweet.marks.french_letters;
    match fr_score.cmp(&en_score) {
        std::cmp::Ordering::Greater => Some(Language::Fr),
        std::cmp::Ordering::Less => Some(Language::En),
        std::cmp::Ordering::Equal => None,
    }
}

/// Each marker word with whether it is French, English, or both (`a`, `on`): one lookup
/// per word of the tweet.
fn markers() -> &'static HashMap<Box<str>, (bool, bool), FxBuild> {
    static MARKERS: OnceLock<HashMap<Box<str>, (bool, bool), FxBuild>> = OnceLock::new();
    MARKERS.get_or_init(|| {
        let mut map: HashMap<Box<str>, (bool, bool), FxBuild> = HashMap::default();
        for m in Lexicon::builtin(Language::Fr).markers() {
            map.entry(m.into()).or_default().0 = true;
        }
        for m in Lexicon::builtin(Language::En).markers() {
            map.entry(m.into()).or_default().1 = true;
        }
        map
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(text: &str) -> Option<Language> {
        detect(&Tweet::new(text))
    }

    #[test]
    fn french_and_english_are_told_apart() {
        assert_eq!(
            lang("On a hâte de vous voir samedi au café"),
            Some(Language::Fr)
        );
        assert_eq!(
            lang("We can't wait to see you on Saturday"),
            Some(Language::En)
        );
        assert_eq!(lang("Été"), Some(Language::Fr));
        assert_eq!(lang("Nouvelle collection en boutique"), Some(Language::Fr));
    }

    #[test]
    fn no_clue_is_no_answer() {
        assert_eq!(lang("https://example.com 🎉"), None);
    }
}
