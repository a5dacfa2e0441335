//! Which language the tweet is in, so the review answers in it.
//!
//! Counts each language's common words (data: `markers` in the lexicons) and the accented
//! letters French uses; a tie goes to the team's default language.

use super::lexicon::Lexicon;
use super::text::Tweet;
use super::Language;

/// The tweet's language, or `None` when its common words and accents don't tell.
pub(crate) fn detect(tweet: &Tweet<'_>) -> Option<Language> {
    let fr = Lexicon::builtin(Language::Fr);
    let en = Lexicon::builtin(Language::En);
    let (mut fr_score, mut en_score) = (0u32, 0u32);
    for i in 0..tweet.tokens.len() {
        let w = tweet.word(i);
        fr_score += u32::from(fr.is_marker(w));
        en_score += u32::from(en.is_marker(w));
    }
    let accents = tweet
        .text
        .chars()
        .filter(|c| {
            matches!(
                c,
                'é' | 'è'
                    | 'ê'
                    | 'à'
                    | 'ç'
                    | 'ù'
                    | 'û'
                    | 'ô'
                    | 'î'
                    | 'œ'
                    | 'É'
                    | 'À'
                    | 'Ç'
                    | '«'
                    | '»'
            )
        })
        .take(3)
        .count() as u32;
    fr_score += accents;
    match fr_score.cmp(&en_score) {
        std::cmp::Ordering::Greater => Some(Language::Fr),
        std::cmp::Ordering::Less => Some(Language::En),
        std::cmp::Ordering::Equal => None,
    }
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
