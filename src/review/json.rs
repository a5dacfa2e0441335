//! The review's JSON, written directly: byte for byte what serde_json writes for [`Review`]
//! (a test holds the two equal on real and hostile text), at a fraction of the cost.
//!
//! `review --format jsonl` over a team's backlog spent a tenth of its time in generic
//! serialisation, most of it escaping the messages a byte at a time. Here strings are scanned
//! eight bytes at a time for the few bytes JSON must escape.

use super::Review;

/// Append `review` as one JSON object (no newline) to `out`.
pub(crate) fn write(review: &Review, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"verdict\":\"");
    out.extend_from_slice(review.verdict.id().as_bytes());
    out.extend_from_slice(b"\",\"score\":");
    number(out, usize::from(review.score));
    out.extend_from_slice(b",\"language\":\"");
    out.extend_from_slice(review.language.code().as_bytes());
    out.extend_from_slice(b"\",\"length\":{\"weighted\":");
    number(out, review.length.weighted);
    out.extend_from_slice(b",\"limit\":");
    number(out, review.length.limit);
    out.extend_from_slice(if review.length.valid {
        b",\"valid\":true},\"findings\":["
    } else {
        b",\"valid\":false},\"findings\":["
    });
    for (i, f) in review.findings.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"guideline\":\"");
        out.extend_from_slice(f.guideline.id().as_bytes());
        out.extend_from_slice(b"\",\"rule\":");
        string(out, &f.rule);
        out.extend_from_slice(b",\"severity\":\"");
        out.extend_from_slice(f.severity.id().as_bytes());
        out.extend_from_slice(b"\",\"message\":");
        string(out, &f.message);
        out.extend_from_slice(b",\"spans\":[");
        for (k, s) in f.spans.iter().enumerate() {
            if k > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"start\":");
            number(out, s.start);
            out.extend_from_slice(b",\"end\":");
            number(out, s.end);
            out.push(b'}');
        }
        out.push(b']');
        if let Some(fix) = &f.fix {
            out.extend_from_slice(b",\"fix\":");
            string(out, fix);
        }
        out.push(b'}');
    }
    out.extend_from_slice(b"]}");
}

fn number(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Whether one of the eight bytes of `w` must be escaped: a control byte (< 0x20), `"` or `\`.
/// Exact (the classic has-zero-byte and has-less-than tests), so a clean word is skipped whole.
fn needs_escape(w: u64) -> bool {
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH != 0;
    let control = w.wrapping_sub(0x20 * ONES) & !w & HIGH != 0;
    control || has_zero(w ^ (u64::from(b'"') * ONES)) || has_zero(w ^ (u64::from(b'\\') * ONES))
}

/// A JSON string, escaped as serde_json escapes: `\"`, `\\`, the short forms `\b \f \n \r \t`,
/// `\u00xx` for other control bytes; everything else (non-ASCII included) as is.
fn string(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut clean_from = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8) {
            let mut w = [0u8; 8];
            w.copy_from_slice(chunk);
            if !needs_escape(u64::from_le_bytes(w)) {
                i += 8;
                continue;
            }
        }
        // A word with something to escape (or the last few bytes): byte by byte.
        let end = (i + 8).min(bytes.len());
        while i < end {
            let b = bytes[i];
            let short: &[u8] = match b {
                b'"' => b"\\\"",
                b'\\' => b"\\\\",
                b'\n' => b"\\n",
                b'\r' => b"\\r",
                b'\t' => b"\\t",
                0x08 => b"\\b",
                0x0C => b"\\f",
                0x00..=0x1F => b"",
                _ => {
                    i += 1;
                    continue;
                }
            };
            out.extend_from_slice(&bytes[clean_from..i]);
            if short.is_empty() {
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 0xF)]);
            } else {
                out.extend_from_slice(short);
            }
            i += 1;
            clean_from = i;
        }
    }
    out.extend_from_slice(&bytes[clean_from..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::{review, History, Settings};

    fn same_as_serde(text: &str) {
        let r = review(text, &Settings::default(), &History::default());
        let mut ours = Vec::new();
        write(&r, &mut ours);
        let theirs = serde_json::to_vec(&r).expect("a review serialises");
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&theirs),
            "{text:?}"
        );
    }

    #[test]
    fn a_review_is_written_as_serde_writes_it() {
        for text in [
            "On a hâte de vous voir samedi ! ^SG",
            "Only 2 days left!!! BUY NOW \"deal\" at C:\\shop",
            "",
            "@everyone\u{0}\u{1}\u{8}\u{b}\u{c}\u{1f}\u{7f} tab\there\r\nline «quote» 👩‍👩‍👧‍👦",
            "Soldes -50% sur https://example.com/promo?x=\"1\" via @marie #promo $ACME",
        ] {
            same_as_serde(text);
        }
    }

    #[test]
    fn every_byte_is_escaped_as_serde_escapes_it() {
        // Each control byte, quote and backslash at every offset of a word and across words.
        for b in (0u8..0x80).chain([b'"', b'\\']) {
            for pad in 0..10 {
                let s = format!("{}{}{}", "a".repeat(pad), b as char, "é".repeat(pad));
                let mut ours = Vec::new();
                string(&mut ours, &s);
                let theirs = serde_json::to_vec(&s).expect("a string serialises");
                assert_eq!(ours, theirs, "byte {b:#x} after {pad}");
            }
        }
    }
}
