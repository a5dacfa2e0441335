//! The lookup in the expanded word forms (`expand.rs`, built by `build.rs`): the answer
//! spellbook would give, without parsing the dictionary. It follows the checker's steps (input
//! conversions, break patterns, casing, prefixes) and answers `None` where only the full
//! checker can (all capitals, digits, a trailing period): those words go to spellbook.

use std::borrow::Cow;

use fst::raw::{Node, Output};
use fst::Map;

use super::expand::{
    casing, condition, condition_matches, titlecase, Casing, Class, HIDDEN_ONLY, KEEPCASE_ONLY,
    STANDALONE,
};

/// A number as spellbook sees one: digits, single separators between (`1.5`, `-3`, `10,000`).
fn is_number(word: &str) -> bool {
    let word = word.strip_prefix('-').unwrap_or(word);
    let mut separated = true;
    for c in word.chars() {
        match c {
            '0'..='9' => separated = false,
            '.' | '-' | ',' if !separated => separated = true,
            _ => return false,
        }
    }
    !separated
}

/// Digits then an ordinal ending (`21st`, `11TH`): the only shape English compound rules make.
fn ordinal(part: &str) -> bool {
    let rest = part.trim_start_matches(|c: char| c.is_ascii_digit());
    rest.len() < part.len()
        && ["st", "nd", "rd", "th"]
            .iter()
            .any(|e| rest.eq_ignore_ascii_case(e))
}

/// spellbook's longest word.
const MAX_WORD_LEN: usize = 360;
/// spellbook's deepest break recursion.
const MAX_BREAK_DEPTH: usize = 9;

struct Prefix {
    bit: u64,
    /// What it adds has an apostrophe (the French elisions): a word without one is skipped.
    apostrophe: bool,
    strip: String,
    add: String,
    cond: Vec<Class>,
}

/// The forms of one dictionary and the tables the lookup needs.
pub(super) struct Forms {
    map: Map<&'static [u8]>,
    /// Prefix rules by the first byte of what they add; `any` for those that add nothing.
    by_first: Vec<Vec<Prefix>>,
    any: Vec<Prefix>,
    iconv: Vec<(String, String)>,
    /// The characters of `iconv`'s patterns that are not plain ASCII: a word with none of them
    /// needs no conversion (most words, accented or not).
    iconv_marks: Vec<char>,
    /// Compounds are possible (English ordinals: `21st`): an ordinal goes to spellbook.
    compounds: bool,
    /// Every character of the break patterns.
    break_chars: Vec<char>,
    starts: Vec<String>,
    ends: Vec<String>,
    middles: Vec<String>,
}

impl Forms {
    /// The forms from the FST and tables `build.rs` wrote.
    pub(super) fn new(fst: &'static [u8], tables: &str) -> Forms {
        let map = Map::new(fst)
            .unwrap_or_else(|e| panic!("a built-in spelling word list is invalid: {e}"));
        let mut forms = Forms {
            map,
            by_first: (0..256).map(|_| Vec::new()).collect(),
            any: Vec::new(),
            iconv: Vec::new(),
            iconv_marks: Vec::new(),
            compounds: false,
            break_chars: Vec::new(),
            starts: Vec::new(),
            ends: Vec::new(),
            middles: Vec::new(),
        };
        for line in tables.lines() {
            let f: Vec<&str> = line.split('\t').collect();
            match f.as_slice() {
                ["P", bit, strip, add, cond] => {
                    let p = Prefix {
                        bit: 1u64 << bit.parse::<u32>().unwrap_or(63),
                        apostrophe: add.contains('\''),
                        strip: strip.to_string(),
                        add: add.to_string(),
                        cond: condition(cond),
                    };
                    match p.add.as_bytes().first() {
                        Some(&b) => forms.by_first[usize::from(b)].push(p),
                        None => forms.any.push(p),
                    }
                }
                ["C"] => forms.compounds = true,
                ["I", from, to] => forms.iconv.push((from.to_string(), to.to_string())),
                ["B", b] => {
                    if let Some(rest) = b.strip_prefix('^') {
                        forms.starts.push(rest.to_string());
                    } else if let Some(rest) = b.strip_suffix('$') {
                        forms.ends.push(rest.to_string());
                    } else {
                        forms.middles.push(b.to_string());
                    }
                }
                _ => {}
            }
        }
        forms.iconv_marks = forms
            .iconv
            .iter()
            .flat_map(|(from, _)| from.chars())
            .filter(|c| !c.is_ascii())
            .collect();
        forms.iconv_marks.sort_unstable();
        forms.iconv_marks.dedup();
        let patterns = forms.starts.iter().chain(&forms.ends).chain(&forms.middles);
        forms.break_chars = patterns.flat_map(|p| p.chars()).collect();
        forms.break_chars.sort_unstable();
        forms.break_chars.dedup();
        forms
    }

    /// Whether the dictionary accepts the word, or `None` when only spellbook can tell.
    pub(super) fn check(&self, word: &str) -> Option<bool> {
        if word.len() > MAX_WORD_LEN {
            return Some(false);
        }
        // The common case, a word in lower-case letters (most of a tweet's words, every
        // candidate of a suggestion): nothing to convert, break or case, only the lookup.
        if !word.is_empty() && word.chars().all(|c| self.plain_lower(c)) {
            return Some(self.lookup(word, false).is_some());
        }
        let word = self.convert(word);
        if word.is_empty() {
            return Some(true);
        }
        // As spellbook: numbers pass, a trailing period is tried without, then with.
        let trimmed = word.trim_end_matches('.');
        if is_number(trimmed) {
            return Some(true);
        }
        if self.compounds && word.split(|c: char| !c.is_alphanumeric()).any(ordinal) {
            return None;
        }
        if self.spell_break(trimmed, 0)? {
            return Some(true);
        }
        if trimmed.len() != word.len() {
            return self.spell_break(&word, 0);
        }
        Some(false)
    }

    /// A [`Prober`] for the one-edit candidates of `word`, when the word and the candidates
    /// (written with `letters`) take the plain path of [`Forms::check`]: nothing to convert,
    /// break or case, the answer is [`Forms::lookup`] alone.
    pub(super) fn prober(
        &self,
        word: &str,
        letters: impl IntoIterator<Item = char>,
    ) -> Option<Prober<'_>> {
        if word.is_empty()
            || word.len() > MAX_WORD_LEN
            || !word.chars().chain(letters).all(|c| self.plain_lower(c))
        {
            return None;
        }
        let w = word.as_bytes();
        let direct = self.walk_along(b"", w);
        // Past the longest beginning of the word a form has, the direct lookup fails.
        let mut dead_from = match direct.len() - 1 {
            n if n == w.len() => usize::MAX,
            n => n + 1,
        };
        // The prefix rules a candidate may go through: those of its first byte, the word's
        // (the first byte edited, the candidate is looked up in full), and none with an
        // apostrophe (a candidate has none).
        let mut rules = Vec::new();
        for p in self.by_first[usize::from(w[0])].iter().chain(&self.any) {
            if p.apostrophe {
                continue;
            }
            let add = p.add.as_bytes();
            let common = add.iter().zip(w).take_while(|(a, b)| a == b).count();
            let (stems, from) = if common == add.len() {
                // The word starts with the prefix: candidates that keep it have stems that
                // start like the word's, dead where it is.
                let stems = self.walk_along(p.strip.as_bytes(), &w[add.len()..]);
                let from = match stems.len().checked_sub(1) {
                    None => add.len(),
                    Some(n) if n == w.len() - add.len() => usize::MAX,
                    Some(n) => add.len() + n + 1,
                };
                (stems, from)
            } else if common == w.len() {
                // The prefix is longer than the word: an insertion at its end may make it.
                (Vec::new(), usize::MAX)
            } else {
                // A candidate that keeps the byte where they differ cannot take the prefix.
                (Vec::new(), common + 1)
            };
            dead_from = dead_from.max(from);
            rules.push(Rule {
                prefix: p,
                starts: common == add.len(),
                stems,
            });
        }
        Some(Prober {
            forms: self,
            direct,
            rules,
            dead_from,
        })
    }

    /// The FST's states along `rest` after `head`: the state after `head`, then after each
    /// byte of `rest` while some form starts so (empty when none starts with `head`). Every
    /// state of the FST leads to a form, so a walk that goes on is a beginning some form has.
    fn walk_along(&self, head: &[u8], rest: &[u8]) -> Vec<(Node<'_>, Output)> {
        let fst = self.map.as_fst();
        let mut states = Vec::with_capacity(rest.len() + 1);
        let Some(mut at) = walk(fst, (fst.root(), Output::zero()), head) else {
            return states;
        };
        states.push(at);
        for &b in rest {
            let Some(next) = walk(fst, at, &[b]) else {
                break;
            };
            at = next;
            states.push(at);
        }
        states
    }

    /// A lower-case letter that no conversion or break pattern involves.
    fn plain_lower(&self, c: char) -> bool {
        c.is_ascii_lowercase()
            || (!c.is_ascii()
                && c.is_lowercase()
                && self.iconv_marks.binary_search(&c).is_err()
                && self.break_chars.binary_search(&c).is_err())
    }

    /// `ICONV`: the typographic apostrophe, ligatures, decomposed accents.
    fn convert<'w>(&self, word: &'w str) -> Cow<'w, str> {
        if word.is_ascii()
            || !word
                .chars()
                .any(|c| !c.is_ascii() && self.iconv_marks.binary_search(&c).is_ok())
        {
            return Cow::Borrowed(word);
        }
        let mut out = Cow::Borrowed(word);
        for (from, to) in &self.iconv {
            if out.contains(from.as_str()) {
                out = Cow::Owned(out.replace(from.as_str(), to));
            }
        }
        out
    }

    fn spell_break(&self, word: &str, depth: usize) -> Option<bool> {
        if self.spell_casing(word)? {
            return Some(true);
        }
        if depth == MAX_BREAK_DEPTH {
            return Some(false);
        }
        // Most words have no break character at all.
        if !word.contains(|c: char| self.break_chars.binary_search(&c).is_ok()) {
            return Some(false);
        }
        for p in &self.starts {
            if let Some(rest) = word.strip_prefix(p.as_str()) {
                if self.spell_break(rest, depth + 1)? {
                    return Some(true);
                }
            }
        }
        for p in &self.ends {
            if let Some(rest) = word.strip_suffix(p.as_str()) {
                if self.spell_break(rest, depth + 1)? {
                    return Some(true);
                }
            }
        }
        for p in &self.middles {
            if let Some((a, b)) = word.split_once(p.as_str()) {
                if b.is_empty() || !self.spell_break(a, depth + 1)? {
                    continue;
                }
                if self.spell_break(b, depth + 1)? {
                    return Some(true);
                }
            }
        }
        Some(false)
    }

    fn spell_casing(&self, word: &str) -> Option<bool> {
        if word.is_empty() {
            return Some(false);
        }
        match casing(word) {
            // Lower case, camel case, Pascal case: the word as written.
            Casing::None | Casing::Camel | Casing::Pascal => {
                Some(self.lookup(word, false).is_some())
            }
            Casing::All => self.spell_upper(word),
            // Title case: as written (hidden homonyms aside), then in lower case unless KEEPCASE.
            Casing::Init => {
                if self.lookup(word, true).is_some() {
                    return Some(true);
                }
                let lower = self.lookup(&word.to_lowercase(), false);
                Some(lower.is_some_and(|v| v & KEEPCASE_ONLY == 0))
            }
        }
    }

    /// All capitals: as written, then an elision's two parts in lower and title case
    /// (`L'ÉTÉ` as `l'Été`, `L'Été`), then the word in title case, then in lower case.
    fn spell_upper(&self, word: &str) -> Option<bool> {
        if self.lookup(word, false).is_some() {
            return Some(true);
        }
        if let Some(idx) = word.find('\'').filter(|&i| i != word.len() - 1) {
            let (part1, part2) = word.split_at(idx + 1);
            let part2 = titlecase(part2);
            for part1 in [part1.to_lowercase(), titlecase(part1)] {
                if self.lookup(&format!("{part1}{part2}"), false).is_some() {
                    return Some(true);
                }
            }
        }
        for cased in [titlecase(word), word.to_lowercase()] {
            if self
                .lookup(&cased, false)
                .is_some_and(|v| v & KEEPCASE_ONLY == 0)
            {
                return Some(true);
            }
        }
        Some(false)
    }

    /// Whether the word in lower case comes from entries with and without KEEPCASE: in title
    /// case or capitals spellbook's answer then depends on which it finds first, which varies
    /// from process to process (its hash seed); the forms accept it.
    #[cfg(test)]
    pub(super) fn case_ambiguous(&self, word: &str) -> bool {
        let word = word.trim_end_matches('.');
        let mut forms = vec![word.to_lowercase(), titlecase(word)];
        for part in word.split(['-', '\'']).filter(|p| !p.is_empty()) {
            forms.extend([part.to_lowercase(), titlecase(part)]);
        }
        forms.iter().any(|w| {
            self.lookup(w, false)
                .is_some_and(|v| v & super::expand::KEEPCASE_SOME != 0)
        })
    }

    /// The value of the form the word is, alone or under a prefix.
    fn lookup(&self, word: &str, skip_hidden: bool) -> Option<u64> {
        let shown = |v: u64| !skip_hidden || v & HIDDEN_ONLY == 0;
        let direct = self.map.get(word);
        if let Some(v) = direct {
            if v & STANDALONE != 0 && shown(v) {
                return Some(v);
            }
        }
        let first = usize::from(*word.as_bytes().first()?);
        let apostrophe = word.as_bytes().contains(&b'\'');
        for p in self.by_first[first].iter().chain(&self.any) {
            if p.apostrophe && !apostrophe {
                continue;
            }
            let Some(rest) = word.strip_prefix(p.add.as_str()) else {
                continue;
            };
            let stem = if p.strip.is_empty() {
                Cow::Borrowed(rest)
            } else {
                Cow::Owned(format!("{}{rest}", p.strip))
            };
            if stem.is_empty() || !condition_matches(&p.cond, &stem, false) {
                continue;
            }
            // A rule that adds and strips nothing (French has two) looks the word itself up:
            // its value is known already.
            let v = if p.add.is_empty() && p.strip.is_empty() {
                direct
            } else {
                self.map.get(stem.as_bytes())
            };
            if let Some(v) = v {
                if v & p.bit != 0 && shown(v) {
                    return Some(v);
                }
            }
        }
        None
    }
}

/// A walk in the FST from a state: the state after `bytes`, with the output so far.
fn walk<'f>(
    fst: &'f fst::raw::Fst<&'static [u8]>,
    (mut node, mut out): (Node<'f>, Output),
    bytes: &[u8],
) -> Option<(Node<'f>, Output)> {
    for &b in bytes {
        let t = node.transition(node.find_input(b)?);
        out = out.cat(t.out);
        node = fst.node(t.addr);
    }
    Some((node, out))
}

/// The value of the form a walk ends on.
fn value((node, out): (Node<'_>, Output)) -> Option<u64> {
    node.is_final()
        .then(|| out.cat(node.final_output()).value())
}

/// A prefix rule a candidate may go through, and the FST's states along the word's stem
/// under it when the word starts with the prefix.
struct Rule<'f> {
    prefix: &'f Prefix,
    starts: bool,
    stems: Vec<(Node<'f>, Output)>,
}

/// The lookups of a word's one-edit candidates (suggestions), each the answer of
/// [`Forms::lookup`] for fewer instructions: a candidate keeps the word's first bytes, and the
/// FST's states along them are walked once, for the word, not once per candidate.
pub(super) struct Prober<'f> {
    forms: &'f Forms,
    /// The states along the word (`direct[k]`: after its first `k` bytes).
    direct: Vec<(Node<'f>, Output)>,
    rules: Vec<Rule<'f>>,
    /// Candidates that keep the word's bytes up to this offset are unknown.
    dead_from: usize,
}

impl Prober<'_> {
    /// The byte offset from which the word's beginning rules out every form: a candidate that
    /// keeps the word's bytes up to there is unknown, no lookup needed (`usize::MAX` when no
    /// such offset exists). Most of a misspelt word's one-edit neighbours are edits after its
    /// first letters; when no form starts like the word (`jaskuk…`: none starts with `jask`),
    /// none of those edits can be one, directly or under a prefix rule. Gibberish makes
    /// thousands of such candidates.
    pub(super) fn dead_from(&self) -> usize {
        self.dead_from
    }

    /// Whether the dictionary knows `cand`, a candidate written with the prober's letters that
    /// keeps the word's first `kept` bytes: [`Forms::check`]'s answer.
    pub(super) fn knows(&self, cand: &str, kept: usize) -> bool {
        let c = cand.as_bytes();
        if c.is_empty() || c.len() > MAX_WORD_LEN || kept > c.len() {
            return self.forms.check(cand) == Some(true);
        }
        // From the root (`direct[0]`) when the first byte is edited.
        let direct = self.from(&self.direct, kept, &c[kept..]);
        if direct.is_some_and(|v| v & STANDALONE != 0) {
            return true;
        }
        if kept > 0 {
            self.rules.iter().any(|r| {
                let stems = r.starts.then_some(r.stems.as_slice());
                self.through(r.prefix, stems, cand, kept, direct)
            })
        } else {
            // Another first byte, other rules (none with an apostrophe: the candidate has none).
            self.forms.by_first[usize::from(c[0])]
                .iter()
                .chain(&self.forms.any)
                .filter(|p| !p.apostrophe)
                .any(|p| self.through(p, None, cand, kept, direct))
        }
    }

    /// The value of the form after `rest`, from the `k`th of `states`.
    fn from(&self, states: &[(Node<'_>, Output)], k: usize, rest: &[u8]) -> Option<u64> {
        let fst = self.forms.map.as_fst();
        states
            .get(k)
            .and_then(|&at| walk(fst, at, rest))
            .and_then(value)
    }

    /// Whether `cand` is a form under the prefix rule `p` (its stem's states along the word
    /// when the word starts with the prefix; `direct`, the candidate's own value).
    fn through(
        &self,
        p: &Prefix,
        stems: Option<&[(Node<'_>, Output)]>,
        cand: &str,
        kept: usize,
        direct: Option<u64>,
    ) -> bool {
        let Some(rest) = cand.strip_prefix(p.add.as_str()) else {
            return false;
        };
        let add = p.add.len();
        let v = match stems {
            // Adds and strips nothing (French has two such rules): the candidate itself.
            _ if add == 0 && p.strip.is_empty() => direct,
            Some(stems) if kept >= add => self.from(stems, kept - add, &cand.as_bytes()[kept..]),
            _ => {
                let mut stem = p.strip.clone();
                stem.push_str(rest);
                self.forms.map.get(stem.as_bytes())
            }
        };
        if v.is_none_or(|v| v & p.bit == 0) {
            return false;
        }
        let stem = if p.strip.is_empty() {
            Cow::Borrowed(rest)
        } else {
            Cow::Owned(format!("{}{rest}", p.strip))
        };
        !stem.is_empty() && condition_matches(&p.cond, &stem, false)
    }
}
