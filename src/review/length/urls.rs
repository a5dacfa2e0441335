//! A port of twitter-text 3.1.0's `extractUrlsWithIndices` (with `extractUrlsWithoutProtocol`),
//! without a regex engine.
//!
//! The official library runs one big backtracking regex (`extractUrl`, flags `gi`) over UTF-16
//! code units, then filters its matches in JavaScript. This module reproduces, step by step,
//! the match that backtracking finds first, which is deterministic once written down:
//!
//! - a domain is `validSubdomain* validDomainName TLD`: every label ends at the next `.`, so
//!   the only choice is how many labels the greedy `validSubdomain*` keeps, and backtracking
//!   settles on the furthest label after which `validDomainName` and a TLD match;
//! - port, path and query are optional and nothing follows them, so each takes its greedy
//!   match; the path's inner backtracking ends each path piece after its last "path ending"
//!   character (see [`UrlScanner::path_piece`]), the query after its last ending character.
//!
//! Positions are UTF-16 code-unit indices, as in JavaScript (a non-unicode regex sees the two
//! halves of an astral character separately, and that matters at the edges of a URL).

use super::tables::{class, Tables};
use super::Unit;

/// `MAX_URL_LENGTH` of `extractUrlsWithIndices`.
const MAX_URL_LENGTH: usize = 4096;
/// `MAX_TCO_SLUG_LENGTH` of `extractUrlsWithIndices`.
const MAX_TCO_SLUG_LENGTH: usize = 40;
/// `"https://".length`: the protocol assumed for URLs written without one.
const DEFAULT_PROTOCOL_LEN: usize = 8;
/// The longest DNS label `idna.toAscii` accepts.
const MAX_DOMAIN_LABEL_LENGTH: usize = 63;

const DOT: u16 = b'.' as u16;

/// One URL as `extractUrlsWithIndices` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct UrlEntity {
    /// `indices[0]`, in UTF-16 code units.
    pub start: usize,
    /// `indices[1]`.
    pub end: usize,
    /// `url.length`: what `parseTweet` skips. It differs from `end - start` in one odd case
    /// (a URL without protocol whose domain continues after its last ASCII-only part).
    pub len: usize,
}

/// One match of the `extractUrl` regex.
struct RegexMatch {
    /// `$2`: the preceding character, `None` when `^` matched.
    before: Option<u16>,
    /// Start of `$3`, the URL.
    url_start: usize,
    /// Length of `$4`, the protocol (0 when absent).
    protocol_len: usize,
    /// `$5`, the domain.
    domain: (usize, usize),
    /// Whether `$7`, the path, matched.
    has_path: bool,
    /// End of the whole match (`lastIndex`).
    end: usize,
}

/// The ASCII-only domains of a URL without protocol still to report (the JavaScript runs
/// `domain.replace(validAsciiDomain, ...)`, which may yield several URLs from one match).
struct AsciiDomains {
    domain: (usize, usize),
    /// `asciiEndPosition`: where `indexOf` starts looking.
    index_of_from: usize,
    url_end: usize,
    has_path: bool,
    /// The next `validAsciiDomain` match, as a range of the text.
    next: Option<(usize, usize)>,
}

/// Yields the URLs of `units` in order, like `extractUrlsWithIndices`, without allocating.
pub(super) struct UrlScanner<'a, U> {
    units: &'a [U],
    t: &'static Tables,
    /// The regex's `lastIndex`.
    last_index: usize,
    done: bool,
    /// The last candidate dot found (see [`Self::exec`]), and how far the search has gone.
    dot_cache: Option<usize>,
    dot_scanned: usize,
    /// The last candidate dot whose run start was computed, and that start.
    run_cache: Option<(usize, usize)>,
    pending: Option<AsciiDomains>,
    /// Last run of `[validDomainChars_-]` scanned, `[start, end)`: any position inside it has
    /// the same run end, which keeps the scan linear.
    sub_run: (usize, usize),
    /// Same for `[validDomainChars-]`.
    name_run: (usize, usize),
    /// Label starts (positions after a `.` within this range) from which no domain can match:
    /// the tail of a chain already tried. Without it, `a.a.a.a...` would be quadratic.
    failed: (usize, usize),
}

impl<'a, U: Unit> UrlScanner<'a, U> {
    pub(super) fn new(units: &'a [U]) -> Self {
        UrlScanner {
            units,
            t: Tables::get(),
            last_index: 0,
            done: false,
            dot_cache: None,
            dot_scanned: 0,
            run_cache: None,
            pending: None,
            sub_run: (0, 0),
            name_run: (0, 0),
            failed: (1, 0),
        }
    }

    #[inline(always)]
    fn at(&self, i: usize) -> u16 {
        self.units.get(i).map_or(0xFFFF_u16, |u| u.get())
    }

    #[inline(always)]
    fn is(&self, i: usize, bits: u16) -> bool {
        i < self.units.len() && self.t.is(self.units[i].get(), bits)
    }

    /// `RegExp.prototype.exec` of `extractUrl` from `lastIndex`.
    ///
    /// Every domain holds a "candidate dot": a `.` between two `validDomainChars` (a label's
    /// last character and a TLD's first). A match starting at `p` reaches such a dot through
    /// the run of domain characters (`D`, `-`, `_`, `.`) it belongs to, at most a protocol
    /// and a preceding character (9 units) before that run. So only the positions in those
    /// windows are tried, in order, which is what the JavaScript finds (it tries every one).
    fn exec(&mut self) -> Option<RegexMatch> {
        let n = self.units.len();
        let mut p = self.last_index;
        while p < n {
            let dot = self.next_candidate_dot(p + 1)?;
            p = p.max(self.run_start(dot).saturating_sub(9));
            while p < dot {
                let c = self.at(p);
                // `validUrlPrecedingChars`: one allowed character, else `^`.
                if self.t.is(c, class::PRECEDING) {
                    if let Some(m) = self.attempt(Some(c), p + 1) {
                        return Some(m);
                    }
                }
                if p == 0 {
                    if let Some(m) = self.attempt(None, 0) {
                        return Some(m);
                    }
                }
                p += 1;
            }
        }
        None
    }

    /// The first candidate dot at or after `from` (see [`Self::exec`]).
    fn next_candidate_dot(&mut self, from: usize) -> Option<usize> {
        if let Some(dot) = self.dot_cache {
            if dot >= from {
                return Some(dot);
            }
        }
        let mut i = from.max(self.dot_scanned).max(1);
        let n = self.units.len();
        while let Some(dot) = find_dot(self.units, i) {
            if dot + 1 < n
                && self.t.is(self.units[dot - 1].get(), class::DOMAIN)
                && self.t.is(self.units[dot + 1].get(), class::DOMAIN)
            {
                self.dot_cache = Some(dot);
                self.dot_scanned = dot + 1;
                return Some(dot);
            }
            i = dot + 1;
        }
        self.dot_scanned = n;
        self.dot_cache = None;
        None
    }

    /// Start of the run of domain characters (`D`, `-`, `_`, `.`) that ends at `dot`.
    fn run_start(&mut self, dot: usize) -> usize {
        let in_run = |s: &Self, i: usize| {
            let u = s.at(i);
            s.t.is(u, class::DOMAIN) || matches!(u, 0x2D | 0x2E | 0x5F)
        };
        if let Some((prev, start)) = self.run_cache {
            if prev <= dot && (prev..dot).all(|i| in_run(self, i)) {
                self.run_cache = Some((dot, start));
                return start;
            }
        }
        let mut start = dot;
        while start > 0 && in_run(self, start - 1) {
            start -= 1;
        }
        self.run_cache = Some((dot, start));
        start
    }

    /// The rest of the regex after `validUrlPrecedingChars`, with the URL starting at `s`.
    fn attempt(&mut self, before: Option<u16>, s: usize) -> Option<RegexMatch> {
        if let Some(protocol_len) = self.protocol_at(s) {
            if let Some(m) = self.after_protocol(before, s, protocol_len) {
                return Some(m);
            }
        }
        self.after_protocol(before, s, 0)
    }

    /// `https?:\/\/`, case-insensitive.
    fn protocol_at(&self, s: usize) -> Option<usize> {
        let lower = |i: usize| self.at(i) | 0x20;
        if lower(s) != u16::from(b'h')
            || lower(s + 1) != u16::from(b't')
            || lower(s + 2) != u16::from(b't')
            || lower(s + 3) != u16::from(b'p')
        {
            return None;
        }
        let colon = if lower(s + 4) == u16::from(b's') {
            s + 5
        } else {
            s + 4
        };
        if self.at(colon) == u16::from(b':')
            && self.at(colon + 1) == u16::from(b'/')
            && self.at(colon + 2) == u16::from(b'/')
        {
            Some(colon + 3 - s)
        } else {
            None
        }
    }

    fn after_protocol(
        &mut self,
        before: Option<u16>,
        url_start: usize,
        protocol_len: usize,
    ) -> Option<RegexMatch> {
        let n = self.units.len();
        let ds = url_start + protocol_len;
        let de = self.domain_at(ds)?;
        let mut pos = de;
        // `(?::([0-9]+))?`
        if self.at(pos) == u16::from(b':') && is_digit(self.at(pos + 1)) {
            pos += 2;
            while pos < n && is_digit(self.at(pos)) {
                pos += 1;
            }
        }
        // `(\/validUrlPath*)?`
        let mut has_path = false;
        if self.at(pos) == u16::from(b'/') {
            has_path = true;
            pos += 1;
            // After the first piece, the first alternative can only fail again (the pieces
            // left hold no ending character outside parentheses): skip it, which keeps long
            // runs of `(a)(a)(a)...` linear.
            let mut first = true;
            loop {
                let end = if first {
                    self.path_piece(pos)
                } else {
                    self.balanced_parens(pos)
                };
                first = false;
                match end {
                    Some(end) if end > pos => pos = end,
                    _ => break,
                }
            }
        }
        // `(\?validUrlQueryChars*validUrlQueryEndingChars)?`
        if self.at(pos) == u16::from(b'?') {
            if let Some(end) = self.query_end(pos + 1, n) {
                pos = end;
            }
        }
        Some(RegexMatch {
            before,
            url_start,
            protocol_len,
            domain: (ds, de),
            has_path,
            end: pos,
        })
    }

    /// `validDomain` at `d`: the end of the match backtracking finds first.
    fn domain_at(&mut self, d: usize) -> Option<usize> {
        if !self.is(d, class::DOMAIN) {
            return None;
        }
        // Walk the chain of `validSubdomain` labels; the regex keeps the furthest label from
        // which `validDomainName` + TLD match.
        let mut best = None;
        let mut p = d;
        let mut first_sub = None;
        let mut joined = false;
        loop {
            if p != d && self.known_failed(p) {
                joined = true;
                break;
            }
            if let Some(end) = self
                .label_end(p, false)
                .and_then(|q| self.t.tld_at(self.units, q, self.units.len()))
            {
                best = Some(end);
            }
            match self.label_end(p, true) {
                Some(next) => {
                    first_sub.get_or_insert(next);
                    p = next;
                }
                None => break,
            }
        }
        if best.is_none() {
            if let Some(lo) = first_sub {
                let hi = if joined { self.failed.1.max(p) } else { p };
                self.failed = (lo, hi);
            }
        }
        best
    }

    fn known_failed(&self, q: usize) -> bool {
        self.failed.0 <= q && q <= self.failed.1 && q > 0 && self.at(q - 1) == DOT
    }

    /// One label of `validSubdomain` (`underscore`) or `validDomainName` at `s`, with its dot:
    /// `(?:D(?:[_-]|D)*)?D\.`. Returns the position after the dot.
    fn label_end(&mut self, s: usize, underscore: bool) -> Option<usize> {
        if !self.is(s, class::DOMAIN) {
            return None;
        }
        let cache = if underscore {
            self.sub_run
        } else {
            self.name_run
        };
        let e = if cache.0 <= s && s < cache.1 {
            cache.1
        } else {
            let mut e = s;
            while e < self.units.len() {
                let u = self.at(e);
                let ok = self.t.is(u, class::DOMAIN)
                    || u == u16::from(b'-')
                    || (underscore && u == u16::from(b'_'));
                if !ok {
                    break;
                }
                e += 1;
            }
            if underscore {
                self.sub_run = (s, e);
            } else {
                self.name_run = (s, e);
            }
            e
        };
        (self.at(e) == DOT && self.is(e - 1, class::DOMAIN)).then_some(e + 1)
    }

    /// One `validUrlPath` at `q`. Its source is `(?:G*(?:BG*)*E|(?:B)|(?:@G+/))`, not what
    /// it reads like: `validUrlPathEndingChars` (`[...]|(?:B)`) is spliced in unparenthesised,
    /// so its `|` splits the group. Backtracking then ends the first alternative after the
    /// last ending character of the path-character runs (parenthesised groups in between
    /// skipped); failing that, a parenthesised group alone. The third alternative can never
    /// be reached (its `/` is an ending character the first would take).
    fn path_piece(&self, q: usize) -> Option<usize> {
        let n = self.units.len();
        let mut pos = q;
        let mut last_ending = None;
        loop {
            while pos < n && self.is(pos, class::PATH) {
                if self.is(pos, class::PATH_END) {
                    last_ending = Some(pos);
                }
                pos += 1;
            }
            match self.balanced_parens(pos) {
                Some(end) => pos = end,
                None => break,
            }
        }
        match last_ending {
            Some(i) => Some(i + 1),
            None => self.balanced_parens(q),
        }
    }

    /// `validUrlBalancedParens` at `p`: `\((?:G+|G*\(G+\)G*)\)`.
    fn balanced_parens(&self, p: usize) -> Option<usize> {
        let open = u16::from(b'(');
        let close = u16::from(b')');
        if self.at(p) != open {
            return None;
        }
        let run = |from: usize| {
            let mut e = from;
            while self.is(e, class::PATH) {
                e += 1;
            }
            e
        };
        let a = run(p + 1);
        if a > p + 1 && self.at(a) == close {
            return Some(a + 1);
        }
        if self.at(a) != open {
            return None;
        }
        let b = run(a + 1);
        if b == a + 1 || self.at(b) != close {
            return None;
        }
        let c = run(b + 1);
        (self.at(c) == close).then_some(c + 1)
    }

    /// `validUrlQueryChars*validUrlQueryEndingChars` from `from`, within `limit`.
    fn query_end(&self, from: usize, limit: usize) -> Option<usize> {
        let mut last = None;
        let mut i = from;
        while i < limit && self.is(i, class::QUERY) {
            if self.is(i, class::QUERY_END) {
                last = Some(i + 1);
            }
            i += 1;
        }
        last
    }

    /// The next `validAsciiDomain` match (flags `gi`) in the domain `[ds, de)`, from `from`.
    fn ascii_domain(&self, (_, de): (usize, usize), from: usize) -> Option<(usize, usize)> {
        let mut s = from;
        while s < de {
            // `(?:[\-a-z0-9latin]+\.)+` then a TLD: keep the furthest label that a TLD
            // follows (the lookahead sees the end of the domain as `$`).
            let mut p = s;
            let mut best = None;
            let stop;
            loop {
                let mut e = p;
                while e < de && self.is(e, class::ASCII_LABEL) {
                    e += 1;
                }
                if e == p || e >= de || self.at(e) != DOT {
                    stop = e;
                    break;
                }
                p = e + 1;
                if let Some(end) = self.t.tld_at(self.units, p, de) {
                    best = Some(end);
                }
            }
            if let Some(end) = best {
                return Some((s, end));
            }
            // Every start up to `stop` reaches the same labels: none can match.
            s = stop.max(s) + 1;
        }
        None
    }

    /// `idna.toAscii(domain)` succeeds (the domain length itself never changes).
    fn idna_ok(&self, (ds, de): (usize, usize)) -> bool {
        let prefix = [b'x', b'n', b'-', b'-'];
        let xn = de - ds >= 4
            && prefix
                .iter()
                .enumerate()
                .all(|(k, &b)| self.at(ds + k) == u16::from(b));
        if xn && self.ascii_domain((ds, de), ds).is_none() {
            return false;
        }
        let mut start = ds;
        for i in ds..=de {
            if i == de || self.at(i) == DOT {
                let len = punycode_to_ascii_len(self.units.get(start..i).unwrap_or(&[]));
                if !(1..=MAX_DOMAIN_LABEL_LENGTH).contains(&len) {
                    return false;
                }
                start = i + 1;
            }
        }
        true
    }

    /// `validTcoUrl` on a URL with protocol: `Some(Ok(end))` to cut the URL there, `Some(Err)`
    /// to drop it (slug too long), `None` when it is not a t.co URL.
    fn tco(&self, m: &RegexMatch) -> Option<Result<usize, ()>> {
        let s = m.url_start + m.protocol_len;
        let host = [b't', b'.', b'c', b'o', b'/'];
        let is_tco = host.iter().enumerate().all(|(k, &b)| {
            let u = self.at(s + k);
            let u = if b.is_ascii_alphabetic() { u | 0x20 } else { u };
            s + k < m.end && u == u16::from(b)
        });
        if !is_tco {
            return None;
        }
        let slug_start = s + host.len();
        let mut e = slug_start;
        while e < m.end && self.is(e, class::TCO_SLUG) {
            e += 1;
        }
        if e == slug_start {
            return None;
        }
        if e - slug_start > MAX_TCO_SLUG_LENGTH {
            return Some(Err(()));
        }
        if e < m.end && self.at(e) == u16::from(b'?') {
            if let Some(q) = self.query_end(e + 1, m.end) {
                e = q;
            }
        }
        Some(Ok(e))
    }

    /// `domain.indexOf(needle, from)` (the JavaScript reports the first occurrence of the
    /// matched text, which is not always where it matched).
    fn index_of(&self, (needle_start, needle_end): (usize, usize), from: usize) -> usize {
        let len = needle_end - needle_start;
        (from..needle_start)
            .find(|&i| (0..len).all(|k| self.at(i + k) == self.at(needle_start + k)))
            .unwrap_or(needle_start)
    }
}

impl<U: Unit> Iterator for UrlScanner<'_, U> {
    type Item = UrlEntity;

    fn next(&mut self) -> Option<UrlEntity> {
        loop {
            if let Some(mut pending) = self.pending.take() {
                if let Some(found) = pending.next {
                    let len = found.1 - found.0;
                    let start = self.index_of(found, pending.index_of_from);
                    pending.index_of_from = start + len;
                    let following = self.ascii_domain(pending.domain, found.1);
                    let mut entity = UrlEntity {
                        start,
                        end: start + len,
                        len,
                    };
                    if following.is_none() && pending.has_path {
                        // `lastUrl.url = url.replace(domain, lastUrl.url)`; `indices[1] = end`.
                        entity.len = len + (pending.url_end - pending.domain.1);
                        entity.end = pending.url_end;
                    }
                    pending.next = following;
                    self.pending = Some(pending);
                    return Some(entity);
                }
            }
            if self.done {
                return None;
            }
            let Some(m) = self.exec() else {
                self.done = true;
                return None;
            };
            self.last_index = m.end;
            let url_len = m.end - m.url_start;
            let protocol_len = if m.protocol_len > 0 {
                m.protocol_len
            } else {
                DEFAULT_PROTOCOL_LEN
            };
            if !self.idna_ok(m.domain) || protocol_len + url_len > MAX_URL_LENGTH {
                continue;
            }
            if m.protocol_len == 0 {
                let bad_before = [b'-', b'_', b'.', b'/'].map(u16::from);
                if m.before.is_some_and(|b| bad_before.contains(&b)) {
                    continue;
                }
                let first = self.ascii_domain(m.domain, m.domain.0);
                if first.is_some() {
                    self.pending = Some(AsciiDomains {
                        domain: m.domain,
                        index_of_from: m.domain.0,
                        url_end: m.end,
                        has_path: m.has_path,
                        next: first,
                    });
                }
                continue;
            }
            let end = match self.tco(&m) {
                Some(Err(())) => continue,
                Some(Ok(end)) => end,
                None => m.end,
            };
            return Some(UrlEntity {
                start: m.url_start,
                end,
                len: end - m.url_start,
            });
        }
    }
}

/// The first `.` at or after `from`, 16 units at a time (a branch-free test per block).
fn find_dot<U: Unit>(units: &[U], from: usize) -> Option<usize> {
    let rest = units.get(from..)?;
    let mut base = from;
    for block in rest.chunks(16) {
        if block.iter().fold(false, |any, u| any | (u.get() == DOT)) {
            return block.iter().position(|u| u.get() == DOT).map(|k| base + k);
        }
        base += block.len();
    }
    None
}

#[inline(always)]
fn is_digit(u: u16) -> bool {
    (u16::from(b'0')..=u16::from(b'9')).contains(&u)
}

/// `punycode.toASCII(label).length` (Node's punycode 2.1: labels split on the IDNA dots,
/// a part with any code unit above U+007F becomes `xn--` + its Punycode encoding). Stops
/// counting once past the longest length that matters.
fn punycode_to_ascii_len<U: Unit>(label: &[U]) -> usize {
    let is_separator = |u: u16| matches!(u, 0x2E | 0x3002 | 0xFF0E | 0xFF61);
    let mut total = 0usize;
    for (k, part) in label.split(|u| is_separator(u.get())).enumerate() {
        if k > 0 {
            total += 1;
        }
        total += if part.iter().any(|u| u.get() > 0x7F) {
            4 + punycode_encoded_len(part)
        } else {
            part.len()
        };
        if total > MAX_DOMAIN_LABEL_LENGTH {
            return total;
        }
    }
    total
}

/// Length of the RFC 3492 Punycode encoding of `part` (UTF-16, decoded as `ucs2decode` does).
fn punycode_encoded_len<U: Unit>(part: &[U]) -> usize {
    const BASE: u64 = 36;
    const T_MIN: u64 = 1;
    const T_MAX: u64 = 26;
    const SKEW: u64 = 38;
    const DAMP: u64 = 700;
    let mut cps = [0u32; MAX_DOMAIN_LABEL_LENGTH + 1];
    let mut len = 0;
    let mut i = 0;
    while i < part.len() {
        if len == cps.len() {
            // Each code point costs at least one output character: already too long.
            return usize::MAX / 2;
        }
        let u = part[i].get();
        let next = part.get(i + 1).map(|u| u.get());
        cps[len] = match next {
            Some(lo) if (0xD800..=0xDBFF).contains(&u) && (0xDC00..=0xDFFF).contains(&lo) => {
                i += 1;
                0x10000 + ((u32::from(u) - 0xD800) << 10) + (u32::from(lo) - 0xDC00)
            }
            _ => u32::from(u),
        };
        len += 1;
        i += 1;
    }
    let cps = &cps[..len];
    let basic = cps.iter().filter(|&&c| c < 0x80).count();
    let mut out = basic + usize::from(basic > 0);
    let adapt = |delta: u64, points: u64, first: bool| {
        let mut delta = if first { delta / DAMP } else { delta / 2 };
        delta += delta / points;
        let mut k = 0;
        while delta > ((BASE - T_MIN) * T_MAX) / 2 {
            delta /= BASE - T_MIN;
            k += BASE;
        }
        k + (BASE - T_MIN + 1) * delta / (delta + SKEW)
    };
    let (mut n, mut delta, mut bias) = (0x80u64, 0u64, 72u64);
    let mut handled = basic;
    while handled < cps.len() {
        let m = cps
            .iter()
            .map(|&c| u64::from(c))
            .filter(|&c| c >= n)
            .min()
            .unwrap_or(n);
        delta += (m - n) * (handled as u64 + 1);
        n = m;
        for &c in cps {
            let c = u64::from(c);
            if c < n {
                delta += 1;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        T_MIN
                    } else if k >= bias + T_MAX {
                        T_MAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    out += 1;
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out += 1;
                bias = adapt(delta, handled as u64 + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta += 1;
        n += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn puny(s: &str) -> usize {
        let u: Vec<u16> = s.encode_utf16().collect();
        punycode_to_ascii_len(&u)
    }

    #[test]
    fn punycode_lengths_match_node() {
        // From Node's punycode.toASCII: "xn--9ca", "xn--8c9b" (lone surrogate), "xn--n3h".
        assert_eq!(puny("é"), 7);
        assert_eq!(puny("☃"), 7);
        assert_eq!(puny("a\u{3002}b"), 3);
        assert_eq!(puny("é\u{FF61}"), 8);
        assert_eq!(puny("bücher"), "xn--bcher-kva".len());
        assert_eq!(puny("пример"), "xn--e1afmkfd".len());
        assert_eq!(puny("例え"), "xn--r8jz45g".len());
    }
}
