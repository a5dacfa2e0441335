//! Which language the tweet is in, so the review answers in it.
//!
//! Counts each language's common words (data: `markers` in the lexicons) and the accented
//! letters French uses; a tie goes to the team's default language.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::lexicon::{FastHash, Lexicon};
use super::text::Tweet;
use super::Language;

/// The tweet's language, or `None` when its common words and accents don't tell (a tie, or a
/// text too short to say: the team's language decides then). A bilingual tweet (`Service
/// interrompu… / Service interrupted…`) is in the language it opens with.
pub(crate) fn detect(tweet: &Tweet<'_>) -> Option<Language> {
    let markers = markers();
    let (mut fr_score, mut en_score) = (0u32, 0u32);
    // Words only one language uses, counted in text order to see which language comes first.
    let (mut fr_only, mut en_only) = (0u32, 0u32);
    let mut first = None;
    for i in 0..tweet.tokens.len() {
        if let Some(&(fr, en)) = markers.get(tweet.word(i)) {
            fr_score += u32::from(fr);
            en_score += u32::from(en);
            fr_only += u32::from(fr && !en);
            en_only += u32::from(en && !fr);
            if first.is_none() && fr_only >= BILINGUAL_PART {
                first = Some(Language::Fr);
            } else if first.is_none() && en_only >= BILINGUAL_PART {
                first = Some(Language::En);
            }
        }
    }
    let bilingual = fr_only >= BILINGUAL_PART && en_only >= BILINGUAL_PART;
    if bilingual && fr_only.min(en_only) * 3 >= fr_only.max(en_only) {
        return first;
    }
    fr_score += tweet.marks.french_letters;
    if fr_score + en_score < MIN_CLUES {
        return None;
    }
    match fr_score.cmp(&en_score) {
        std::cmp::Ordering::Greater => Some(Language::Fr),
        std::cmp::Ordering::Less => Some(Language::En),
        std::cmp::Ordering::Equal => None,
    }
}

/// Words of its own each language needs before a tweet counts as written in both.
const BILINGUAL_PART: u32 = 3;
/// Fewer clues than this (one common word, one accent) are not enough to overrule the team's
/// language on a very short text.
const MIN_CLUES: u32 = 2;

/// Each marker word with whether it is French, English, or both (`a`, `on`): one lookup
/// per word of the tweet.
fn markers() -> &'static HashMap<Box<str>, (bool, bool), FastHash> {
    static MARKERS: OnceLock<HashMap<Box<str>, (bool, bool), FastHash>> = OnceLock::new();
    MARKERS.get_or_init(|| {
        let mut map: HashMap<Box<str>, (bool, bool), FastHash> = HashMap::default();
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
        assert_eq!(lang("Été à Montréal"), Some(Language::Fr));
        assert_eq!(lang("Nouvelle collection en boutique"), Some(Language::Fr));
    }

    #[test]
    fn a_bilingual_tweet_is_in_the_language_it_opens_with() {
        let fr_first = "Le service est interrompu sur la ligne pour une heure. The service is interrupted on the line for an hour.";
        assert_eq!(lang(fr_first), Some(Language::Fr));
        let en_first = "The service is interrupted on the line for an hour. Le service est interrompu sur la ligne pour une heure.";
        assert_eq!(lang(en_first), Some(Language::En));
    }

    #[test]
    fn a_very_short_text_leaves_it_to_the_team() {
        assert_eq!(lang("Promo"), None);
        assert_eq!(lang("OK"), None);
    }

    #[test]
    fn no_clue_is_no_answer() {
        assert_eq!(lang("https://example.com 🎉"), None);
    }
}
