//! Suggestions for an unknown word: known words one edit away, the likeliest edits first.
//!
//! Hunspell's own suggester (spellbook's `suggest`) takes tens of milliseconds in English and
//! hundreds in French: far too slow for a review that answers in microseconds. Typos in tweets
//! are mostly one edit away, and some edits are far likelier than others in French and English
//! (a wrong accent, a doubled or missing letter, two letters swapped, two words glued), so those
//! are tried first, then insertions and replacements while a budget of dictionary checks lasts.

use super::MAX_SUGGESTIONS;

/// Letters tried for insertions and replacements, the most frequent first.
const LETTERS: &[char] = &[
    'e', 's', 'a', 'i', 't', 'n', 'r', 'u', 'l', 'o', 'd', 'c', 'p', 'm', 'é', 'v', 'q', 'f', 'b',
    'g', 'h', 'j', 'x', 'y', 'z', 'w', 'k', 'è', 'à', 'ê', 'ç', 'â', 'î', 'ô', 'û',
];

/// Letters a writer confuses with each other: accents.
const ACCENTS: &[&[char]] = &[
    &['a', 'à', 'â', 'ä'],
    &['e', 'é', 'è', 'ê', 'ë'],
    &['i', 'î', 'ï'],
    &['o', 'ô', 'ö'],
    &['u', 'ù', 'û', 'ü'],
    &['c', 'ç'],
];

/// Every letter an edit may write: what [`super::forms::Forms::dead_from`] must know.
pub(super) fn letters() -> impl Iterator<Item = char> {
    LETTERS
        .iter()
        .chain(ACCENTS.iter().flat_map(|g| g.iter()))
        .copied()
}

/// The search's state: what was found, and the checks left.
struct Search<'w, F> {
    word: &'w str,
    knows: F,
    found: Vec<String>,
    left: usize,
    /// Candidates that keep the word's bytes up to this offset are unknown (`Forms::dead_from`):
    /// they cost their check from the budget, as if looked up, but no lookup.
    dead_from: usize,
}

impl<F: FnMut(&str, usize) -> bool> Search<'_, F> {
    /// Check one candidate, which keeps the word's first `kept` bytes; false once the search
    /// must stop.
    fn try_word(&mut self, cand: &str, kept: usize) -> bool {
        if self.left == 0 || self.found.len() >= MAX_SUGGESTIONS {
            return false;
        }
        if cand != self.word && !self.found.iter().any(|f| f == cand) {
            self.left -= 1;
            if (self.knows)(cand, kept) {
                self.found.push(cand.to_string());
            }
        }
        self.left > 0 && self.found.len() < MAX_SUGGESTIONS
    }

    /// Count `n` candidates known to be unknown, as [`Search::try_word`] would: each differs
    /// from the word (every edit changes it) and from what was found (known words).
    fn skip(&mut self, n: usize) -> bool {
        if n == 0 {
            return true;
        }
        if self.left > n {
            self.left -= n;
            true
        } else {
            false
        }
    }

    /// Check two glued words (`faiblesseet`); false once the search must stop.
    fn try_split(&mut self, a: &str, b: &str) -> bool {
        if self.left < 2 || self.found.len() >= MAX_SUGGESTIONS {
            return false;
        }
        self.left -= 2;
        if (self.knows)(a, a.len()) && (self.knows)(b, 0) {
            self.found.push(format!("{a} {b}"));
        }
        self.left > 0 && self.found.len() < MAX_SUGGESTIONS
    }

    /// Count `n` splits whose first half is known to be unknown, as [`Search::try_split`] would.
    fn skip_splits(&mut self, n: usize) -> bool {
        self.skip(2 * n)
    }
}

/// Known words one edit from `word`, at most [`MAX_SUGGESTIONS`], checking at most `budget`
/// candidates with `knows` (given the candidate and how many of the word's first bytes it
/// keeps); a candidate that keeps the word's bytes up to `dead_from` is
/// unknown without a check (it still counts in the budget: the answer is the same as checking).
pub(super) fn candidates(
    word: &str,
    budget: usize,
    dead_from: usize,
    knows: impl FnMut(&str, usize) -> bool,
) -> Vec<String> {
    let mut s = Search {
        word,
        knows,
        found: Vec::new(),
        left: budget,
        dead_from,
    };
    edits(&mut s);
    s.found
}

/// The word with the character at byte range `at..to` replaced by `with`.
fn build(buf: &mut String, word: &str, at: usize, with: &[char], to: usize) {
    buf.clear();
    buf.push_str(&word[..at]);
    buf.extend(with);
    buf.push_str(&word[to..]);
}

fn edits<F: FnMut(&str, usize) -> bool>(s: &mut Search<'_, F>) {
    let word = s.word;
    let chars: Vec<char> = word.chars().collect();
    let n = chars.len();
    // Each character's byte offset, and the word's length last.
    let offsets: Vec<usize> = word
        .char_indices()
        .map(|(i, _)| i)
        .chain([word.len()])
        .collect();
    // Whether the edits at character `i` keep enough of the word to be worth a lookup. The
    // edits of each kind go from the first letter to the last, so the dead ones come last:
    // they are counted at the end of their kind.
    let dead_from = s.dead_from;
    let live = |i: usize| offsets[i] < dead_from;
    let mut buf = String::with_capacity(word.len() + 4);
    // A wrong accent.
    let mut dead = 0;
    for i in 0..n {
        let c = chars[i];
        let Some(group) = ACCENTS.iter().find(|g| g.contains(&c)) else {
            continue;
        };
        for &r in group.iter().filter(|&&r| r != c) {
            if !live(i) {
                dead += 1;
                continue;
            }
            build(&mut buf, word, offsets[i], &[r], offsets[i + 1]);
            if !s.try_word(&buf, offsets[i]) {
                return;
            }
        }
    }
    if !s.skip(dead) {
        return;
    }
    // A letter too many.
    let mut dead = 0;
    for i in 0..n {
        if i > 0 && chars[i] == chars[i - 1] {
            continue; // the same word as deleting the previous one
        }
        if !live(i) {
            dead += 1;
            continue;
        }
        build(&mut buf, word, offsets[i], &[], offsets[i + 1]);
        if !s.try_word(&buf, offsets[i]) {
            return;
        }
    }
    if !s.skip(dead) {
        return;
    }
    // Two letters swapped.
    let mut dead = 0;
    for i in 0..n.saturating_sub(1) {
        if chars[i] == chars[i + 1] {
            continue;
        }
        if !live(i) {
            dead += 1;
            continue;
        }
        build(
            &mut buf,
            word,
            offsets[i],
            &[chars[i + 1], chars[i]],
            offsets[i + 2],
        );
        if !s.try_word(&buf, offsets[i]) {
            return;
        }
    }
    if !s.skip(dead) {
        return;
    }
    // Two words glued together: both halves known (the first, a beginning of the word, is
    // unknown once dead).
    let mut dead = 0;
    for i in 2..n.saturating_sub(1) {
        if !live(i) {
            dead += 1;
            continue;
        }
        if !s.try_split(&word[..offsets[i]], &word[offsets[i]..]) {
            return;
        }
    }
    if !s.skip_splits(dead) {
        return;
    }
    // A letter missing, then a wrong letter.
    let mut dead = 0;
    for &at in &offsets {
        if at >= dead_from {
            dead += LETTERS.len();
            continue;
        }
        for &l in LETTERS {
            build(&mut buf, word, at, &[l], at);
            if !s.try_word(&buf, at) {
                return;
            }
        }
    }
    if !s.skip(dead) {
        return;
    }
    // The last kind: once its edits are dead, nothing more can be found.
    for i in (0..n).take_while(|&i| live(i)) {
        for &l in LETTERS.iter().filter(|&&l| l != chars[i]) {
            build(&mut buf, word, offsets[i], &[l], offsets[i + 1]);
            if !s.try_word(&buf, offsets[i]) {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(words: &'static [&'static str]) -> impl FnMut(&str, usize) -> bool {
        move |w, _| words.contains(&w)
    }

    #[test]
    fn each_kind_of_edit_is_found() {
        let dict = known(&[
            "occupe",
            "extrêmement",
            "faiblesse",
            "et",
            "language",
            "perception",
        ]);
        let mut dict = dict;
        assert_eq!(
            candidates("occuppe", 1000, usize::MAX, &mut dict),
            ["occupe"]
        );
        assert_eq!(
            candidates("extrèmement", 1000, usize::MAX, &mut dict),
            ["extrêmement"]
        );
        assert_eq!(
            candidates("faiblesseet", 1000, usize::MAX, &mut dict),
            ["faiblesse et"]
        );
        assert_eq!(
            candidates("languge", 1000, usize::MAX, &mut dict),
            ["language"]
        );
        assert_eq!(
            candidates("percetion", 1000, usize::MAX, &mut dict),
            ["perception"]
        );
        assert_eq!(
            candidates("precpetion", 1000, usize::MAX, &mut dict),
            Vec::<String>::new()
        );
    }

    #[test]
    fn the_budget_bounds_the_work() {
        let mut calls = 0;
        let _ = candidates("zzzzzzzzzzzzzzzzzzzz", 50, usize::MAX, |_, _| {
            calls += 1;
            false
        });
        assert!(calls <= 50, "{calls}");
    }
}
