//! A review rendered for a person in a terminal (grouped by guideline, in the review's
//! language, colour only when asked) or as the JSON object scripts read.

use std::fmt::Write as _;

use super::messages::text as msg;
use super::{Guideline, Review, Severity, Verdict};

/// The review as one JSON object (the documented shape: verdict, score, language, length,
/// findings).
pub fn json(review: &Review) -> String {
    let mut out = Vec::with_capacity(512);
    json_into(review, &mut out);
    // Only `str`s and ASCII go in, so the bytes are UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// [`json`], appended to a buffer: what `--format jsonl` writes per line.
pub fn json_into(review: &Review, out: &mut Vec<u8>) {
    super::json::write(review, out);
}

/// The review as a readable report. `colour` adds ANSI colours (the caller decides, from
/// whether the output is a terminal).
pub fn text(review: &Review, tweet: &str, colour: bool) -> String {
    let lang = review.language;
    let paint = |code: &str, s: &str| {
        if colour {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let (mark, code) = match review.verdict {
        Verdict::Ready => ("✓", "1;32"),
        Verdict::NeedsWork => ("!", "1;33"),
        Verdict::Blocked => ("✗", "1;31"),
    };
    let verdict_key = format!("verdict.{}", review.verdict.id());
    let mut out = String::new();
    let length = format!("{}/{}", review.length.weighted, review.length.limit);
    let length = if review.length.valid {
        length
    } else {
        paint("31", &length)
    };
    let _ = writeln!(
        out,
        "{} · {} {}/100 · {} {} · {}",
        paint(code, &format!("{mark} {}", msg(&verdict_key, lang))),
        msg("report.score", lang),
        review.score,
        msg("report.length", lang),
        length,
        lang.code(),
    );
    if review.findings.is_empty() {
        let _ = writeln!(out, "\n{}", msg("report.nothing", lang));
        return out;
    }
    for g in Guideline::ALL {
        let findings: Vec<_> = review
            .findings
            .iter()
            .filter(|f| f.guideline == g)
            .collect();
        if findings.is_empty() {
            continue;
        }
        let key = format!("guideline.{}", g.id());
        let _ = writeln!(out, "\n{}", paint("1", msg(&key, lang)));
        for f in findings {
            let (icon, code) = match f.severity {
                Severity::Error => ("✗", "31"),
                Severity::Warning => ("!", "33"),
                Severity::Suggestion => ("›", "36"),
                Severity::Praise => ("✓", "32"),
            };
            let key = format!("severity.{}", f.severity.id());
            let label = msg(&key, lang);
            let _ = writeln!(
                out,
                "  {} {}",
                paint(code, &format!("{icon} {label}")),
                f.message
            );
            let quoted: Vec<&str> = f
                .spans
                .iter()
                .filter_map(|s| tweet.get(s.start..s.end))
                .filter(|s| !s.is_empty() && s.len() < 120)
                .collect();
            if !quoted.is_empty() {
                let _ = writeln!(out, "      {}", paint("2", &quoted.join(" · ")));
            }
            if let Some(fix) = &f.fix {
                let _ = writeln!(out, "      → {} {fix}", msg("report.fix", lang));
            }
        }
    }
    out
}
