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
    /// Starting code points below `FIRST_HIGH_STARTER` (`#`, `*`, digits, ©, ®).
    low_starters: Vec<u32>,
}

impl EmojiTrie {
    fn get() -> &'static EmojiTrie {
        static TRIE: OnceLock<EmojiTrie> = OnceLock::new();
        TRIE.get_or_init(EmojiTrie::build)
    }

    fn build() -> EmojiTrie {
        let mut children: Vec<std::collections::BTreeMap<u32, u32>> = vec![Default::default()];
        let mut ends = vec![End::No];
        for line in EMOJI_SEQUENCES.lines() {
            let mut node = 0usize;
            let mut end = End::Always;
            for field in line.split_ascii_whitespace() {
                if field == "!" {
                    end = End::UnlessTextPresentation;
                    continue;
                }
                let Ok(cp) = u32::from_str_radix(field, 16) else {
                    continue;
                };
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
        }
        let mut nodes = Vec::with_capacity(children.len());
        let mut edges = Vec::new();
        for (kids, &end) in children.iter().zip(&ends) {
            nodes.push((edges.len() as u32, kids.len() as u32, end));
            edges.extend(kids.iter().map(|(&k, &n)| (k, n)));
        }
        let low_starters = children[0]
            .keys()
            .copied()
            .filter(|&c| c < FIRST_HIGH_STARTER)
            .collect();
        EmojiTrie {
            nodes,
            edges,
            low_starters,
        }
    }

    #[inline]
    fn may_start(&self, cp: u32) -> bool {
        cp >= FIRST_HIGH_STARTER || self.low_starters.contains(&cp)
    }

    fn child(&self, node: u32, cp: u32) -> Option<(u32, End)> {
        let &(first, count, _) = self.nodes.get(node as usize)?;
        let edges = self.edges.get(first as usize..(first + count) as usize)?;
        let i = edges.binary_search_by_key(&cp, |&(k, _)| k).ok()?;
        let next = edges[i].1;
        Some((next, self.nodes.get(next as usize)?.2))
    }
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
