//! First names, as data (`data/first_names.txt`): French operators' community managers sign
//! with a bare first name (`… Bonne journée. Margo`) and greet people by theirs (`Bonjour
//! Simon, …`), so recognising a name is how the review tells a signed reply from an unsigned one.

use std::collections::HashSet;
use std::sync::OnceLock;

use super::lexicon::FastHash;
use super::text::fold;

/// Whether a folded word (`ines`, `fred`) is a known first name.
pub(crate) fn is_first_name(folded: &str) -> bool {
    names().contains(folded)
}

fn names() -> &'static HashSet<&'static str, FastHash> {
    // The whole file folded at once, and the names borrowed from it: one allocation rather
    // than one per name (the load is on every cold start).
    static FOLDED: OnceLock<String> = OnceLock::new();
    static NAMES: OnceLock<HashSet<&'static str, FastHash>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let folded = FOLDED.get_or_init(|| fold(include_str!("data/first_names.txt")));
        let mut names = HashSet::with_capacity_and_hasher(folded.len() / 7, FastHash);
        names.extend(
            folded
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#')),
        );
        names
    })
}

/// Whether a word, as written, looks like a name someone signs with: a capital first letter
/// (`Margo`, `Inès`) or short initials in capitals (`JJ`, `ML`).
pub(crate) fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_english_and_short_forms_are_names() {
        for n in [
            "margo", "ines", "fred", "kirsten", "emily", "jo", "simon", "joy",
        ] {
            assert!(is_first_name(n), "{n}");
        }
    }

    #[test]
    fn words_that_close_tweets_are_not_names() {
        for w in ["merci", "bravo", "paris", "june", "thanks", "bonjour"] {
            assert!(!is_first_name(w), "{w}");
        }
    }
}
