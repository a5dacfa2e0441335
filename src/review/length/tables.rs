//! The lookup tables the URL matcher needs, built once from the data files of `data/`.
//!
//! The data files are generated from the pinned official library by
//! `tests/oracle/gen-tables.js`, so the character classes are exactly what V8 evaluates for
//! twitter-text's regexes (including the case-insensitive quirks of JavaScript's non-unicode
//! regexes, e.g. `[\u0400-\u04FF]/i` also matching U+1C80) rather than a re-derivation.

use std::sync::OnceLock;

use super::Unit;

/// One bit per character class of twitter-text's URL regexes (see `data/url_classes.txt`).
pub(super) mod class {
    /// `validDomainChars`: anything but punctuation, spaces, invalid and directional chars.
    pub const DOMAIN: u16 = 1 << 0;
    /// `validUrlPrecedingChars` (its one-character alternatives).
    pub const PRECEDING: u16 = 1 << 1;
    /// `validGeneralUrlPathChars`.
    pub const PATH: u16 = 1 << 2;
    /// The character-class part of `validUrlPathEndingChars`.
    pub const PATH_END: u16 = 1 << 3;
    /// `validUrlQueryChars`.
    pub const QUERY: u16 = 1 << 4;
    /// `validUrlQueryEndingChars`.
    pub const QUERY_END: u16 = 1 << 5;
    /// The label characters of `validAsciiDomain`.
    pub const ASCII_LABEL: u16 = 1 << 6;
    /// The TLD lookahead `(?=[^0-9a-zA-Z@+-]|$)`.
    pub const TLD_FOLLOW: u16 = 1 << 7;
    /// The tail of `validPunycode` (`xn--[\-0-9a-z]+`).
    pub const PUNYCODE: u16 = 1 << 8;
    /// The slug of `validTcoUrl`.
    pub const TCO_SLUG: u16 = 1 << 9;
    /// `invalidChars` (U+FFFE, U+FEFF, U+FFFF): they make a tweet invalid.
    pub const INVALID: u16 = 1 << 10;

    pub(super) const NAMES: [(&str, u16); 11] = [
        ("domain", DOMAIN),
        ("preceding", PRECEDING),
        ("path", PATH),
        ("path_end", PATH_END),
        ("query", QUERY),
        ("query_end", QUERY_END),
        ("ascii_label", ASCII_LABEL),
        ("tld_follow", TLD_FOLLOW),
        ("punycode", PUNYCODE),
        ("tco_slug", TCO_SLUG),
        ("invalid", INVALID),
    ];
}

const URL_CLASSES: &str = include_str!("data/url_classes.txt");
const TLD_GENERIC: &str = include_str!("data/tld_generic.txt");
const TLD_COUNTRY: &str = include_str!("data/tld_country.txt");
const TLD_CASE_FOLDS: &str = include_str!("data/tld_case_folds.txt");

/// Everything the URL matcher looks up, per UTF-16 code unit.
pub(super) struct Tables {
    /// Class bits for every BMP code unit (surrogates included, as JavaScript sees them).
    classes: Box<[u16]>,
    /// The TLDs, as a trie over case-folded code units, each end marked with its priority (its
    /// rank in the regex alternation: generic TLDs first, then country codes).
    tld: Trie,
    /// Non-ASCII code units that match a TLD character case-insensitively, and that character.
    folds: Vec<(u16, u16)>,
}

impl Tables {
    /// The tables, built on first use.
    pub(super) fn get() -> &'static Tables {
        static TABLES: OnceLock<Tables> = OnceLock::new();
        TABLES.get_or_init(Tables::build)
    }

    fn build() -> Tables {
        let mut classes = vec![0u16; 0x10000].into_boxed_slice();
        for line in URL_CLASSES.lines() {
            let mut fields = line.split_ascii_whitespace();
            let Some(name) = fields.next() else { continue };
            let Some(&(_, bit)) = class::NAMES.iter().find(|(n, _)| *n == name) else {
                continue;
            };
            for range in fields {
                let (lo, hi) = match range.split_once('-') {
                    Some((lo, hi)) => (hex(lo), hex(hi)),
                    None => (hex(range), hex(range)),
                };
                // A whole range at once (vectorised): the table is built on every start.
                let hi = hi.min(0xFFFF) as usize;
                if let Some(units) = classes.get_mut(lo as usize..=hi) {
                    units.iter_mut().for_each(|u| *u |= bit);
                }
            }
        }
        let folds: Vec<(u16, u16)> = TLD_CASE_FOLDS
            .lines()
            .filter_map(|l| {
                let (c, t) = l.split_once(' ')?;
                Some((hex(c) as u16, hex(t) as u16))
            })
            .collect();
        let mut builder = TrieBuilder::default();
        let tlds = TLD_GENERIC.lines().chain(TLD_COUNTRY.lines());
        for (priority, tld) in tlds.filter(|l| !l.is_empty()).enumerate() {
            let key: Vec<u16> = tld.encode_utf16().map(fold_ascii).collect();
            builder.insert(&key, priority as u32);
        }
        Tables {
            classes,
            tld: builder.finish(),
            folds,
        }
    }

    /// Whether code unit `u` is in all the classes of `bits`.
    #[inline(always)]
    pub(super) fn is(&self, u: u16, bits: u16) -> bool {
        self.classes[u as usize] & bits == bits
    }

    /// `u` as it is keyed in the TLD trie: ASCII lower-cased, other case variants mapped onto
    /// the TLD character they match under JavaScript's `i` flag.
    #[inline]
    fn fold(&self, u: u16) -> u16 {
        if u < 0x80 {
            return fold_ascii(u);
        }
        match self.folds.binary_search_by_key(&u, |&(c, _)| c) {
            Ok(i) => self.folds[i].1,
            Err(_) => u,
        }
    }

    /// The end of the TLD alternative the regex `(?:gTLD|ccTLD|punycode)` takes at `pos`
    /// (first in priority order, with its `(?=[^0-9a-zA-Z@+-]|$)` lookahead), where the
    /// matched text ends at `limit` (the end of the string the regex runs on).
    pub(super) fn tld_at<U: Unit>(&self, units: &[U], pos: usize, limit: usize) -> Option<usize> {
        let limit = limit.min(units.len());
        let mut node = 0u32;
        let mut best: Option<(u32, usize)> = None;
        let mut i = pos;
        while i < limit {
            let Some(next) = self.tld.child(node, self.fold(units[i].get())) else {
                break;
            };
            node = next;
            i += 1;
            if let Some(priority) = self.tld.terminal(node) {
                let follows = i == limit || self.is(units[i].get(), class::TLD_FOLLOW);
                if follows && best.is_none_or(|(p, _)| priority < p) {
                    best = Some((priority, i));
                }
            }
        }
        if let Some((_, end)) = best {
            return Some(end);
        }
        // `xn--[\-0-9a-z]+` (case-insensitive), greedy, no lookahead.
        let prefix = [b'x', b'n', b'-', b'-'];
        if limit.saturating_sub(pos) > 4
            && prefix
                .iter()
                .enumerate()
                .all(|(k, &b)| fold_ascii(units[pos + k].get()) == u16::from(b))
            && self.is(units[pos + 4].get(), class::PUNYCODE)
        {
            let mut end = pos + 5;
            while end < limit && self.is(units[end].get(), class::PUNYCODE) {
                end += 1;
            }
            return Some(end);
        }
        None
    }
}

#[inline(always)]
fn fold_ascii(u: u16) -> u16 {
    if (u16::from(b'A')..=u16::from(b'Z')).contains(&u) {
        u + 32
    } else {
        u
    }
}

fn hex(s: &str) -> u32 {
    u32::from_str_radix(s, 16).unwrap_or(0)
}

/// A compact trie over `u16` keys: per node, its children as a sorted slice of edges.
struct Trie {
    /// Per node: first edge index, edge count, terminal value (`u32::MAX` for none).
    nodes: Vec<(u32, u32, u32)>,
    edges: Vec<(u16, u32)>,
    /// The root's children for ASCII keys, indexed directly (0: none): most lookups start
    /// there, and the root has hundreds of children.
    root_ascii: [u32; 128],
}

impl Trie {
    #[inline]
    fn child(&self, node: u32, key: u16) -> Option<u32> {
        if node == 0 && key < 128 {
            let next = self.root_ascii[key as usize];
            return (next != 0).then_some(next);
        }
        let &(first, count, _) = self.nodes.get(node as usize)?;
        let edges = self.edges.get(first as usize..(first + count) as usize)?;
        if edges.len() <= 8 {
            return edges.iter().find(|&&(k, _)| k == key).map(|&(_, n)| n);
        }
        edges
            .binary_search_by_key(&key, |&(k, _)| k)
            .ok()
            .map(|i| edges[i].1)
    }

    #[inline]
    fn terminal(&self, node: u32) -> Option<u32> {
        match self.nodes.get(node as usize) {
            Some(&(_, _, t)) if t != u32::MAX => Some(t),
            _ => None,
        }
    }
}

#[derive(Default)]
struct TrieBuilder {
    children: Vec<std::collections::BTreeMap<u16, u32>>,
    terminal: Vec<u32>,
}

impl TrieBuilder {
    fn insert(&mut self, key: &[u16], value: u32) {
        if self.children.is_empty() {
            self.children.push(Default::default());
            self.terminal.push(u32::MAX);
        }
        let mut node = 0usize;
        for &k in key {
            let next = match self.children[node].get(&k) {
                Some(&n) => n as usize,
                None => {
                    let n = self.children.len();
                    self.children.push(Default::default());
                    self.terminal.push(u32::MAX);
                    self.children[node].insert(k, n as u32);
                    n
                }
            };
            node = next;
        }
        // The first occurrence keeps its (better) priority.
        if self.terminal[node] == u32::MAX {
            self.terminal[node] = value;
        }
    }

    fn finish(self) -> Trie {
        let mut nodes = Vec::with_capacity(self.children.len());
        let mut edges = Vec::new();
        for (children, terminal) in self.children.iter().zip(&self.terminal) {
            nodes.push((edges.len() as u32, children.len() as u32, *terminal));
            edges.extend(children.iter().map(|(&k, &n)| (k, n)));
        }
        let mut root_ascii = [0u32; 128];
        if let Some(root) = self.children.first() {
            for (&k, &n) in root.range(..128) {
                root_ascii[k as usize] = n;
            }
        }
        Trie {
            nodes,
            edges,
            root_ascii,
        }
    }
}
