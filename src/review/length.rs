//! Twitter's weighted tweet length, exactly as the official twitter-text library counts it.
//!
//! This is a port of twitter-text 3.1.0 (JavaScript, Apache-2.0): `parseTweet` /
//! `getTweetLength`, `extractUrlsWithIndices` with its regexes and TLD lists, and the emoji
//! regex of twemoji-parser 11.0.2 (MIT). Why a port rather than the `twitter-text` crate: that
//! crate pins `cxx` and needs a C++ toolchain, and a review must cost microseconds.
//!
//! What the count does (config v3, today's rules): the text is NFC-normalised; every URL
//! twitter-text recognises (with or without `http(s)://`, so `example.com` counts too) weighs
//! 23; every emoji sequence weighs one default unit (2); other characters weigh 1 when their
//! UTF-16 code unit falls in the config's ranges (Latin, punctuation, ...) and 2 otherwise.
//!
//! Everything runs over UTF-16 code units, as the JavaScript does, because its regexes and
//! indices are UTF-16 and some edge cases (astral characters beside URLs) depend on it. ASCII
//! text is its own UTF-16, so it is scanned in place; other text is transcoded into a stack
//! buffer. The tables (character classes, TLDs, emoji) are generated from the official
//! package into `length/data/` by `tests/oracle/gen-tables.js` and built once, lazily.
//! `tests/it/length.rs` checks the port against upstream's conformance data and, when
//! `tests/oracle` is installed, against the official library itself on random text.

mod emoji;
mod tables;
mod urls;

use std::borrow::Cow;
use std::ops::Range;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use emoji::EmojiScanner;
use urls::UrlScanner;

/// A code unit of the text being scanned: a byte of ASCII text or a UTF-16 code unit. Both
/// are UTF-16 code units, which lets ASCII text skip transcoding.
trait Unit: Copy {
    /// Whether every unit of this type is ASCII (lets the count add runs in one step).
    const ASCII: bool;
    fn get(self) -> u16;
}

impl Unit for u8 {
    const ASCII: bool = true;
    #[inline(always)]
    fn get(self) -> u16 {
        u16::from(self)
    }
}

impl Unit for u16 {
    const ASCII: bool = false;
    #[inline(always)]
    fn get(self) -> u16 {
        self
    }
}

/// A weight range of a twitter-text configuration: code units `start..=end` weigh `weight`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeightRange {
    pub start: u32,
    pub end: u32,
    pub weight: usize,
}

/// A twitter-text configuration (`config-v2.json`, `config-v3.json`). Public so that tests can
/// check the v2 rules upstream's conformance data was written for; the product uses v3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    pub max_weighted_tweet_length: usize,
    /// Weights are integers scaled by this (100: a Latin letter weighs 100, i.e. 1).
    pub scale: usize,
    /// The weight of a code unit outside every range, and of an emoji sequence.
    pub default_weight: usize,
    /// What a URL counts, whatever its length.
    pub transformed_url_length: usize,
    /// v3: an emoji sequence counts once (`default_weight`) instead of per code unit.
    pub emoji_parsing_enabled: bool,
    pub ranges: &'static [WeightRange],
}

const RANGES_V2_V3: [WeightRange; 4] = [
    WeightRange {
        start: 0,
        end: 4351,
        weight: 100,
    },
    WeightRange {
        start: 8192,
        end: 8205,
        weight: 100,
    },
    WeightRange {
        start: 8208,
        end: 8223,
        weight: 100,
    },
    WeightRange {
        start: 8242,
        end: 8247,
        weight: 100,
    },
];

impl Config {
    /// `config-v2.json`: the 280-character rules before emoji were discounted.
    pub const fn v2() -> Config {
        Config {
            max_weighted_tweet_length: 280,
            scale: 100,
            default_weight: 200,
            transformed_url_length: 23,
            emoji_parsing_enabled: false,
            ranges: &RANGES_V2_V3,
        }
    }

    /// `config-v3.json`: today's rules (the library's default).
    pub const fn v3() -> Config {
        Config {
            emoji_parsing_enabled: true,
            ..Config::v2()
        }
    }

    /// `getCharacterWeight`: by UTF-16 code unit, the first range that holds it.
    #[inline]
    fn weight(&self, unit: u16) -> usize {
        let c = u32::from(unit);
        self.ranges
            .iter()
            .find(|r| r.start <= c && c <= r.end)
            .map_or(self.default_weight, |r| r.weight)
    }

    /// The weight every ASCII unit has, when the first range covers them all (v2, v3).
    fn ascii_weight(&self) -> Option<usize> {
        let first = self.ranges.first()?;
        (first.start == 0 && first.end >= 0x7F).then_some(first.weight)
    }
}

impl Default for Config {
    fn default() -> Self {
        Config::v3()
    }
}

/// What `parseTweet` says about a text (without the display/valid ranges).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TweetLength {
    /// The weighted length, in characters (`weightedLength`).
    pub weighted_length: usize,
    /// Not empty, not over the limit, no invalid character (U+FFFE, U+FEFF, U+FFFF).
    pub valid: bool,
    /// The weighted length in thousandths of the limit, rounded down (`permillage`).
    pub permillage: usize,
}

/// The twitter-text v3 weighted length of `text` (NFC-normalised first; URLs count 23).
pub fn weighted_length(text: &str) -> usize {
    parse_tweet(text, &Config::v3()).weighted_length
}

/// The weighted length of `text` under `config` (e.g. [`Config::v2`] for old rules).
pub fn weighted_length_with(text: &str, config: &Config) -> usize {
    parse_tweet(text, config).weighted_length
}

/// `parseTweet(text, config)`: weighted length, validity and permillage.
pub fn parse_tweet(text: &str, config: &Config) -> TweetLength {
    // One vectorised pass decides the fast paths: ASCII needs no normalisation and holds no
    // emoji (keycaps need U+20E3); below U+0300 (lead bytes under 0xCC) text is NFC already.
    let largest_byte = text.bytes().fold(0u8, u8::max);
    if largest_byte < 0x80 {
        return count(text.as_bytes(), config, false);
    }
    // UTF-16 never takes more code units than UTF-8 takes bytes.
    const STACK_UNITS: usize = 512;
    let mut buf = [0u16; STACK_UNITS];
    let mut heap = Vec::new();
    let mut on_stack = None;
    if text.len() <= STACK_UNITS {
        // Transcode and check for NFC in the same pass; the rare text that might not be NFC
        // is normalised and transcoded again below.
        let (n, inert) = if largest_byte < 0xCC {
            to_utf16::<false>(text, &mut buf)
        } else {
            to_utf16::<true>(text, &mut buf)
        };
        if inert {
            on_stack = Some(n);
        }
    }
    if on_stack.is_none() {
        let normalized = nfc(text);
        let text = normalized.as_ref();
        if text.len() <= STACK_UNITS {
            on_stack = Some(to_utf16::<false>(text, &mut buf).0);
        } else {
            heap = text.encode_utf16().collect();
        }
    }
    let units = match on_stack {
        Some(n) => buf.get(..n).unwrap_or(&[]),
        None => &heap,
    };
    count(units, config, emoji::possible(largest_unit(units)))
}

fn largest_unit(units: &[u16]) -> u16 {
    units.iter().copied().fold(0, u16::max)
}

/// Transcodes `text` into `buf` (which must hold `text.len()` units), returning the number of
/// units written and, when `CHECK_NFC`, whether every character is [`nfc_inert`] (so the text
/// is NFC). Faster than `encode_utf16` on mostly-ASCII text, which is the common case.
fn to_utf16<const CHECK_NFC: bool>(text: &str, buf: &mut [u16]) -> (usize, bool) {
    let mut inert = true;
    let bytes = text.as_bytes();
    let byte = |i: usize| u32::from(bytes.get(i).copied().unwrap_or(0) & 0x3F);
    let mut n = 0;
    let mut i = 0;
    while i < bytes.len() && n < buf.len() {
        // Eight ASCII bytes at a time (the common case), then one character the slow way.
        while let (Some(chunk), Some(out)) = (bytes.get(i..i + 8), buf.get_mut(n..n + 8)) {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0x80; 8]));
            if word & 0x8080_8080_8080_8080 != 0 {
                break;
            }
            for (o, &b) in out.iter_mut().zip(chunk) {
                *o = u16::from(b);
            }
            i += 8;
            n += 8;
        }
        let Some(&b) = bytes.get(i) else {
            break;
        };
        let (cp, width) = match b {
            0x00..=0x7F => (u32::from(b), 1),
            0x80..=0xDF => ((u32::from(b & 0x1F) << 6) | byte(i + 1), 2),
            0xE0..=0xEF => (
                (u32::from(b & 0x0F) << 12) | (byte(i + 1) << 6) | byte(i + 2),
                3,
            ),
            _ => (
                (u32::from(b & 0x07) << 18)
                    | (byte(i + 1) << 12)
                    | (byte(i + 2) << 6)
                    | byte(i + 3),
                4,
            ),
        };
        i += width;
        if CHECK_NFC && width > 1 {
            inert &= char::from_u32(cp).is_some_and(nfc_inert);
        }
        if cp < 0x10000 {
            if let Some(o) = buf.get_mut(n) {
                *o = cp as u16;
            }
            n += 1;
        } else if let Some(o) = buf.get_mut(n..n + 2) {
            let cp = cp - 0x10000;
            o[0] = 0xD800 | (cp >> 10) as u16;
            o[1] = 0xDC00 | (cp & 0x3FF) as u16;
            n += 2;
        } else {
            break;
        }
    }
    (n.min(buf.len()), inert)
}

/// Byte ranges of the URLs twitter-text recognises in `text` (with or without a scheme).
///
/// This is `extractUrlsWithIndices(text)` on the text as given (not normalised), so the ranges
/// index `text` itself; they are always on char boundaries.
pub fn find_urls(text: &str) -> Vec<Range<usize>> {
    // Every URL has a dot between two domain characters (before its TLD). Most tweets have
    // none (a sentence's full stop is followed by a space), and need no UTF-16 copy.
    if !has_candidate_dot(text.as_bytes()) {
        return Vec::new();
    }
    if text.is_ascii() {
        return UrlScanner::new(text.as_bytes())
            .map(|u| u.start..u.end)
            .collect();
    }
    let units: Vec<u16> = text.encode_utf16().collect();
    let entities: Vec<_> = UrlScanner::new(&units).collect();
    if entities.is_empty() {
        return Vec::new();
    }
    // UTF-16 index -> byte offset (an index inside a surrogate pair maps to its char's start).
    let mut offsets = Vec::with_capacity(units.len() + 1);
    for (byte, c) in text.char_indices() {
        offsets.extend(std::iter::repeat_n(byte, c.len_utf16()));
    }
    offsets.push(text.len());
    let at = |i: usize| offsets.get(i).copied().unwrap_or(text.len());
    entities.iter().map(|u| at(u.start)..at(u.end)).collect()
}

/// Whether some `.` sits between two bytes that may belong to domain characters
/// (`validDomainChars`): an ASCII one of that class (`data/url_classes.txt`), or any byte of a
/// non-ASCII character, which is decided later, by the scanner.
fn has_candidate_dot(bytes: &[u8]) -> bool {
    let domain = |b: u8| {
        b >= 0x80
            || b.is_ascii_alphanumeric()
            || matches!(b, 0x00..=0x08 | 0x0E..=0x1F | b'"' | b'`' | 0x7F)
    };
    memchr::memchr_iter(b'.', bytes)
        .any(|i| i > 0 && bytes.get(i + 1).is_some_and(|&b| domain(b)) && domain(bytes[i - 1]))
}

/// `text.normalize()` (NFC), borrowing when the text already is NFC.
fn nfc(text: &str) -> Cow<'_, str> {
    if text.bytes().all(|b| b < 0xCC) || text.chars().all(nfc_inert) {
        return Cow::Borrowed(text);
    }
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => Cow::Borrowed(text),
        _ => Cow::Owned(text.nfc().collect()),
    }
}

/// Code points that are NFC quick-check "Yes" with combining class 0 (checked against the
/// normalisation tables by a unit test): text made only of them is NFC, and this test is
/// several times cheaper than the full quick-check on emoji, punctuation, CJK or Cyrillic.
#[inline]
fn nfc_inert(c: char) -> bool {
    const RANGES: [(u32, u32); 22] = [
        (0x0000, 0x02FF),
        (0x0400, 0x0482),
        (0x048A, 0x052F),
        (0x2002, 0x206F),
        (0x2070, 0x20CF),
        (0x2190, 0x2328),
        (0x232B, 0x23FF),
        (0x2400, 0x2ADB),
        (0x2ADD, 0x2BFF),
        (0x3000, 0x3029),
        (0x3030, 0x303F),
        (0x3041, 0x3096),
        (0x309B, 0x30FF),
        (0x4E00, 0x9FFF),
        (0xAC00, 0xD7A3),
        (0xFE00, 0xFE0F),
        (0xFE30, 0xFE4F),
        (0xFF01, 0xFFEF),
        (0x1F000, 0x1F0FF),
        (0x1F100, 0x1F1FF),
        (0x1F300, 0x1FAFF),
        (0xE0000, 0xE007F),
    ];
    let c = c as u32;
    if c < 0x300 || (0x1F300..=0x1FAFF).contains(&c) {
        return true;
    }
    let after = RANGES.partition_point(|&(lo, _)| lo <= c);
    after > 0 && c <= RANGES[after - 1].1
}

/// The loop of `parseTweet` over the normalised text's UTF-16 code units.
fn count<U: Unit>(units: &[U], config: &Config, emoji_possible: bool) -> TweetLength {
    let scale = config.scale;
    let mut urls = UrlScanner::new(units);
    let mut next_url = urls.next();
    let mut emojis =
        (config.emoji_parsing_enabled && emoji_possible).then(|| EmojiScanner::new(units));
    let mut next_emoji = emojis.as_mut().and_then(Iterator::next);

    let ascii_weight = if U::ASCII {
        config.ascii_weight()
    } else {
        None
    };
    let mut weighted = 0usize;
    let mut valid = true;
    let n = units.len();
    let mut i = 0;
    while i < n {
        // The JavaScript looks entities up by start index; ones that start inside an entity
        // already counted are never looked up.
        while next_url.is_some_and(|u| u.start < i) {
            next_url = urls.next();
        }
        while next_emoji.is_some_and(|(start, _)| start < i) {
            next_emoji = emojis.as_mut().and_then(Iterator::next);
        }
        if let Some(url) = next_url.filter(|u| u.start == i) {
            weighted += config.transformed_url_length * scale;
            i += url.len.max(1) - 1;
        } else if let Some((start, end)) = next_emoji.filter(|&(start, _)| start == i) {
            weighted += config.default_weight;
            i += (end - start).max(1) - 1;
        } else {
            // Plain characters up to the next entity, in a tight loop.
            let stop = next_url
                .map_or(n, |u| u.start)
                .min(next_emoji.map_or(n, |(start, _)| start))
                .min(n);
            if let Some(w) = ascii_weight {
                weighted += w * (stop - i);
                i = stop;
                continue;
            }
            let run = units.get(i..stop).unwrap_or(&[]);
            // Fast path: every unit in the first range (Latin text): one vectorised count.
            if let Some(r) = config
                .ranges
                .first()
                .filter(|r| r.start == 0 && r.end < 0xD800)
            {
                let largest = run.iter().map(|u| u.get()).fold(0, u16::max);
                if u32::from(largest) <= r.end {
                    weighted += r.weight * run.len();
                    i = stop;
                    continue;
                }
            }
            while i < stop {
                let Some(mut u) = units.get(i).map(|u| u.get()) else {
                    break;
                };
                // A surrogate pair is weighed by its second (low) surrogate, as the
                // JavaScript does: `charAt` after stepping over the high one.
                if (0xD800..=0xDBFF).contains(&u) {
                    if let Some(lo) = units.get(i + 1).map(|u| u.get()) {
                        if (0xDC00..=0xDFFF).contains(&lo) {
                            i += 1;
                            u = lo;
                        }
                    }
                }
                weighted += config.weight(u);
                if matches!(u, 0xFEFF | 0xFFFE | 0xFFFF) {
                    valid = false;
                }
                i += 1;
            }
            continue;
        }
        if valid {
            valid = !units
                .get(i)
                .is_some_and(|u| matches!(u.get(), 0xFEFF | 0xFFFE | 0xFFFF));
        }
        i += 1;
    }

    let weighted_length = weighted.checked_div(scale).unwrap_or(0);
    // Like the JavaScript, in floating point (`weightedLength / scale`, then the ratio).
    let length = weighted as f64 / scale as f64;
    let max = config.max_weighted_tweet_length as f64;
    let permillage = (length / max * 1000.0).floor();
    TweetLength {
        weighted_length,
        valid: valid && length > 0.0 && length <= max,
        permillage: if permillage.is_finite() && permillage > 0.0 {
            permillage as usize
        } else {
            0
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basics() {
        assert_eq!(weighted_length(""), 0);
        assert_eq!(weighted_length("hello"), 5);
        assert_eq!(weighted_length("Hi http://test.co"), 26);
        assert_eq!(weighted_length("see example.com"), 27);
        assert_eq!(weighted_length("の"), 2);
        assert_eq!(weighted_length("😀"), 2);
        assert_eq!(weighted_length("👨‍👩‍👧‍👦"), 2);
        assert_eq!(weighted_length_with("😀", &Config::v2()), 2);
        assert_eq!(weighted_length_with("👨‍👩‍👧‍👦", &Config::v2()), 11);
        assert_eq!(weighted_length("e\u{301}"), 1);
    }

    #[test]
    fn nfc_inert_characters_are_nfc_with_combining_class_0() {
        use unicode_normalization::char::canonical_combining_class;
        for c in (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| nfc_inert(c))
        {
            assert_eq!(canonical_combining_class(c), 0, "U+{:04X}", c as u32);
            assert_eq!(
                is_nfc_quick(std::iter::once(c)),
                IsNormalized::Yes,
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn urls() {
        assert_eq!(
            find_urls("go to example.com now"),
            Some(6..17).into_iter().collect::<Vec<_>>()
        );
        assert_eq!(
            find_urls("é https://t.co/abc"),
            Some(3..19).into_iter().collect::<Vec<_>>()
        );
        assert!(find_urls("no url here").is_empty());
    }
}
