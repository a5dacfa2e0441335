//! The emoji sequences `twemoji-parser` 11.0.2 recognises (the parser twitter-text 3.1.0 counts
//! emoji with), as a trie of code points.
//!
//! twemoji-parser uses one generated regex. Its language is finite: `data/emoji_sequences.txt`
//! lists it (expanded by `tests/oracle/gen-tables.js`, which also checks, on every sequence
//! with every interesting follower, that the regex's leftmost-first choice is the longest
//! sequence of the list). A line ending in `!` comes from the `(?!\uFE0E)` lookahead: that
//! sequence counts only when U+FE0E (text presentation) does not follow it.

use std::sync::OnceLock;

use super::Unit;

const EMOJI_SEQUENCES: &str = include_str!("data/emoji_sequences.txt");

const TEXT_PRESENTATION: u16 = 0xFE0E;

/// The block of code points most emoji start with, looked up directly at the trie's root.
const ASTRAL_START: u32 = 0x1F000;
const ASTRAL_END: u32 = 0x1FC00;

/// No sequence starts below this code point, except the ones in `EmojiTrie::low_starters`.
const FIRST_HIGH_STARTER: u32 = 0x203C;

#[derive(Clone, Copy, PartialEq, Eq)]
enum End {
    No,
    Always,
    /// Only when U+FE0E does not follow.
    UnlessTextPresentation,
}

struct EmojiTrie {
    /// Per node: first edge, edge count, whether a sequence ends here.
    nodes: Vec<(u32, u32, End)>,
    edges: Vec<(u32, u32)>,
    /// The smallest "largest UTF-16 unit" of any sequence: text whose units all stay below it
    /// holds no emoji (every sequence has a unit of at least U+203C).
    threshold: u16,
    /// The root's children for U+1F000..U+1FC00 (most emoji), indexed directly; 0 for none.
    root_astral: Box<[u32]>,
    /// Bitset of the starting code points below `FIRST_HIGH_STARTER` (`#`, `*`, digits, ©,
    /// ®): text in Latin scripts is rejected by one lookup per character.
    low_starters: Box<[u64]>,
}

impl EmojiTrie {
    fn get() -> &'static EmojiTrie {
        static TRIE: OnceLock<EmojiTrie> = OnceLock::new();
        TRIE.get_or_init(EmojiTrie::build)
    }

    fn build() -> EmojiTrie {
        let mut children: Vec<std::collections::BTreeMap<u32, u32>> = vec![Default::default()];
        let mut ends = vec![End::No];
        let mut threshold = u16::MAX;
        for line in EMOJI_SEQUENCES.lines() {
            let mut node = 0usize;
            let mut end = End::Always;
            let mut largest_unit = 0u16;
            for field in line.split_ascii_whitespace() {
                if field == "!" {
                    end = End::UnlessTextPresentation;
                    continue;
                }
                let Ok(cp) = u32::from_str_radix(field, 16) else {
                    continue;
                };
                let unit = if cp >= 0x10000 { 0xDFFF } else { cp as u16 };
                largest_unit = largest_unit.max(unit);
                node = match children[node].get(&cp) {
                    Some(&next) => next as usize,
                    None => {
                        let next = children.len();
                        children.push(Default::default());
                        ends.push(End::No);
                        children[node].insert(cp, next as u32);
                        next
                    }
                };
            }
            if node != 0 && ends[node] != End::Always {
                ends[node] = end;
            }
            if node != 0 {
                threshold = threshold.min(largest_unit);
            }
        }
        let mut nodes = Vec::with_capacity(children.len());
        let mut edges = Vec::new();
        for (kids, &end) in children.iter().zip(&ends) {
            nodes.push((edges.len() as u32, kids.len() as u32, end));
            edges.extend(kids.iter().map(|(&k, &n)| (k, n)));
        }
        let mut low_starters = vec![0u64; (FIRST_HIGH_STARTER as usize).div_ceil(64)];
        for &c in children[0].keys().filter(|&&c| c < FIRST_HIGH_STARTER) {
            low_starters[c as usize / 64] |= 1 << (c % 64);
        }
        let low_starters = low_starters.into_boxed_slice();
        let mut root_astral = vec![0u32; (ASTRAL_END - ASTRAL_START) as usize];
        for (&c, &node) in children[0].range(ASTRAL_START..ASTRAL_END) {
            root_astral[(c - ASTRAL_START) as usize] = node;
        }
        let root_astral = root_astral.into_boxed_slice();
        EmojiTrie {
            nodes,
            edges,
            threshold,
            root_astral,
            low_starters,
        }
    }

    #[inline(always)]
    fn may_start(&self, cp: u32) -> bool {
        cp >= FIRST_HIGH_STARTER
            || self
                .low_starters
                .get(cp as usize / 64)
                .is_some_and(|bits| bits >> (cp % 64) & 1 == 1)
    }

    fn child(&self, node: u32, cp: u32) -> Option<(u32, End)> {
        if node == 0 && (ASTRAL_START..ASTRAL_END).contains(&cp) {
            let next = *self.root_astral.get((cp - ASTRAL_START) as usize)?;
            return (next != 0).then(|| (next, self.nodes[next as usize].2));
        }
        let &(first, count, _) = self.nodes.get(node as usize)?;
        let edges = self.edges.get(first as usize..(first + count) as usize)?;
        let i = edges.binary_search_by_key(&cp, |&(k, _)| k).ok()?;
        let next = edges[i].1;
        Some((next, self.nodes.get(next as usize)?.2))
    }
}

/// Whether text whose largest UTF-16 unit is `largest` can hold an emoji at all.
pub(super) fn possible(largest: u16) -> bool {
    largest >= EmojiTrie::get().threshold
}

/// Yields the emoji of `units` as twemoji-parser's global regex scan finds them, as UTF-16
/// ranges `(start, end)`, in order, without allocating.
pub(super) struct EmojiScanner<'a, U> {
    units: &'a [U],
    pos: usize,
    trie: &'static EmojiTrie,
}

impl<'a, U: Unit> EmojiScanner<'a, U> {
    pub(super) fn new(units: &'a [U]) -> Self {
        EmojiScanner {
            units,
            pos: 0,
            trie: EmojiTrie::get(),
        }
    }

    /// The code point at `i` and its width in code units.
    #[inline]
    fn decode(&self, i: usize) -> (u32, usize) {
        let u = self.units[i].get();
        if (0xD800..=0xDBFF).contains(&u) {
            if let Some(lo) = self.units.get(i + 1).map(|u| u.get()) {
                if (0xDC00..=0xDFFF).contains(&lo) {
                    let cp = 0x10000 + ((u32::from(u) - 0xD800) << 10) + (u32::from(lo) - 0xDC00);
                    return (cp, 2);
                }
            }
        }
        (u32::from(u), 1)
    }

    /// The end of the longest sequence starting at `start`, if any.
    fn longest(&self, start: usize) -> Option<usize> {
        let mut node = 0;
        let mut best = None;
        let mut i = start;
        while i < self.units.len() {
            let (cp, width) = self.decode(i);
            let Some((next, end)) = self.trie.child(node, cp) else {
                break;
            };
            node = next;
            i += width;
            let counts = match end {
                End::No => false,
                End::Always => true,
                End::UnlessTextPresentation => {
                    self.units.get(i).map(|u| u.get()) != Some(TEXT_PRESENTATION)
                }
            };
            if counts {
                best = Some(i);
            }
        }
        best
    }
}

impl<U: Unit> Iterator for EmojiScanner<'_, U> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        while self.pos < self.units.len() {
            // Skip what cannot start a sequence in a tight loop (no surrogate can be below
            // `FIRST_HIGH_STARTER`, so no pair is split).
            while let Some(u) = self.units.get(self.pos).map(|u| u.get()) {
                if self.trie.may_start(u32::from(u)) {
                    break;
                }
                self.pos += 1;
            }
            if self.pos >= self.units.len() {
                break;
            }
            let start = self.pos;
            let (cp, width) = self.decode(start);
            if self.trie.may_start(cp) {
                if let Some(end) = self.longest(start) {
                    self.pos = end;
                    return Some((start, end));
                }
            }
            self.pos += width;
        }
        None
    }
}
