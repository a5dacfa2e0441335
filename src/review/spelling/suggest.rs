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

/// The search's state: what was found, and the checks left.
struct Search<'w, F> {
    word: &'w str,
    knows: F,
    found: Vec<String>,
    left: usize,
}

impl<F: FnMut(&str) -> bool> Search<'_, F> {
    /// Check one candidate; false once the search must stop.
    fn try_word(&mut self, cand: &str) -> bool {
        if self.left == 0 || self.found.len() >= MAX_SUGGESTIONS {
            return false;
        }
        if cand != self.word && !self.found.iter().any(|f| f == cand) {
            self.left -= 1;
            if (self.knows)(cand) {
                self.found.push(cand.to_string());
            }
        }
        self.left > 0 && self.found.len() < MAX_SUGGESTIONS
    }

    /// Check two glued words (`faiblesseet`); false once the search must stop.
    fn try_split(&mut self, a: &str, b: &str) -> bool {
        if self.left < 2 || self.found.len() >= MAX_SUGGESTIONS {
            return false;
        }
        self.left -= 2;
        if (self.knows)(a) && (self.knows)(b) {
            self.found.push(format!("{a} {b}"));
        }
        self.left > 0 && self.found.len() < MAX_SUGGESTIONS
    }
}

fn build(buf: &mut String, parts: &[&[char]]) {
    buf.clear();
    for p in parts {
        buf.extend(p.iter());
    }
}

/// Known words one edit from `word`, at most [`MAX_SUGGESTIONS`], checking at most `budget`
/// candidates with `knows`.
pub(super) fn candidates(
    word: &str,
    budget: usize,
    knows: impl FnMut(&str) -> bool,
) -> Vec<String> {
    let mut s = Search {
        word,
        knows,
        found: Vec::new(),
        left: budget,
    };
    edits(&mut s);
    s.found
}

fn edits<F: FnMut(&str) -> bool>(s: &mut Search<'_, F>) {
    let chars: Vec<char> = s.word.chars().collect();
    let n = chars.len();
    let mut buf = String::with_capacity(s.word.len() + 4);
    // A wrong accent.
    for i in 0..n {
        let c = chars[i];
        let Some(group) = ACCENTS.iter().find(|g| g.contains(&c)) else {
            continue;
        };
        for &r in group.iter().filter(|&&r| r != c) {
            build(&mut buf, &[&chars[..i], &[r], &chars[i + 1..]]);
            if !s.try_word(&buf) {
                return;
            }
        }
    }
    // A letter too many.
    for i in 0..n {
        if i > 0 && chars[i] == chars[i - 1] {
            continue; // the same word as deleting the previous one
        }
        build(&mut buf, &[&chars[..i], &chars[i + 1..]]);
        if !s.try_word(&buf) {
            return;
        }
    }
    // Two letters swapped.
    for i in 0..n.saturating_sub(1) {
        if chars[i] == chars[i + 1] {
            continue;
        }
        build(
            &mut buf,
            &[&chars[..i], &[chars[i + 1], chars[i]], &chars[i + 2..]],
        );
        if !s.try_word(&buf) {
            return;
        }
    }
    // Two words glued together: both halves known.
    for i in 2..n.saturating_sub(1) {
        let (a, b): (String, String) = (chars[..i].iter().collect(), chars[i..].iter().collect());
        if !s.try_split(&a, &b) {
            return;
        }
    }
    // A letter missing, then a wrong letter.
    for i in 0..=n {
        for &l in LETTERS {
            build(&mut buf, &[&chars[..i], &[l], &chars[i..]]);
            if !s.try_word(&buf) {
                return;
            }
        }
    }
    for i in 0..n {
        for &l in LETTERS.iter().filter(|&&l| l != chars[i]) {
            build(&mut buf, &[&chars[..i], &[l], &chars[i + 1..]]);
            if !s.try_word(&buf) {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(words: &'static [&'static str]) -> impl FnMut(&str) -> bool {
        move |w| words.contains(&w)
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
        assert_eq!(candidates("occuppe", 1000, &mut dict), ["occupe"]);
        assert_eq!(candidates("extrèmement", 1000, &mut dict), ["extrêmement"]);
        assert_eq!(candidates("faiblesseet", 1000, &mut dict), ["faiblesse et"]);
        assert_eq!(candidates("languge", 1000, &mut dict), ["language"]);
        assert_eq!(candidates("percetion", 1000, &mut dict), ["perception"]);
        assert_eq!(
            candidates("precpetion", 1000, &mut dict),
            Vec::<String>::new()
        );
    }

    #[test]
    fn the_budget_bounds_the_work() {
        let mut calls = 0;
        let _ = candidates("zzzzzzzzzzzzzzzzzzzz", 50, |_| {
            calls += 1;
            false
        });
        assert!(calls <= 50, "{calls}");
    }
}
