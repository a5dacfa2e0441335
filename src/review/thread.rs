//! Threads: a proposal whose text holds lines of only `---` is a thread, one post per part.
//!
//! The separator is a line a person types without thinking and that no tweet starts with, so a
//! team writes a thread in the same box as a tweet. The guidelines read the thread as a whole
//! (one signature at the end of the last part is enough; a `1/3` counter is fine, never
//! required); only the lengths are per part, since each part is a post of its own.

use super::Span;

/// The line that separates two parts (surrounding spaces allowed).
pub const SEPARATOR: &str = "---";

/// The most parts a thread may have: beyond that, nobody reads to the end.
pub const MAX_PARTS: usize = 25;

/// The byte spans of the parts of `text`, in order, separator lines left out (a part keeps
/// its own line breaks). A text without a separator is one part: the whole text.
pub fn parts(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let line_end = line_start + line.len();
        if line.trim() == SEPARATOR {
            out.push(trimmed(text, start, line_start));
            start = line_end;
        }
        line_start = line_end;
    }
    out.push(trimmed(text, start, text.len()));
    out
}

/// The part between `start` and `end`, without the line break that led to the separator.
fn trimmed(text: &str, start: usize, end: usize) -> Span {
    let mut end = end;
    for suffix in ["\n", "\r"] {
        if end > start && text[..end].ends_with(suffix) {
            end -= suffix.len();
        }
    }
    Span { start, end }
}

/// The parts' texts, as posted (each trimmed of the blank lines around it).
pub fn part_texts(text: &str) -> Vec<&str> {
    parts(text)
        .into_iter()
        .map(|s| text[s.start..s.end].trim())
        .collect()
}

/// Whether the text is a thread (two parts or more).
pub fn is_thread(text: &str) -> bool {
    parts(text).len() > 1
}

/// The text with each separator line's dashes turned into spaces (same length, so every span
/// found in it is a span of the original): what the guidelines read.
pub(crate) fn blank_separators(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if line.trim() == SEPARATOR {
            out.extend(line.chars().map(|c| if c == '-' { ' ' } else { c }));
        } else {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_of_three_dashes_separates_the_parts() {
        let text = "First part.\n---\nSecond part,\non two lines.\n  ---  \nThird. ^SG";
        assert_eq!(
            part_texts(text),
            ["First part.", "Second part,\non two lines.", "Third. ^SG"]
        );
        assert!(is_thread(text));
    }

    #[test]
    fn dashes_inside_a_line_or_longer_rules_do_not_split() {
        for text in [
            "Prix --- imbattables ? Non, juste nos horaires. ^SG",
            "Une ligne\n----\nune autre ^SG",
            "Sans séparateur ^SG",
        ] {
            assert_eq!(part_texts(text).len(), 1, "{text}");
            assert!(!is_thread(text));
        }
    }

    #[test]
    fn windows_line_breaks_and_empty_parts_are_kept_as_parts() {
        let text = "Un\r\n---\r\n\r\n---\r\nDeux";
        assert_eq!(part_texts(text), ["Un", "", "Deux"]);
    }

    #[test]
    fn blanking_keeps_every_offset() {
        let text = "Un.\n---\nDeux, é. ^SG";
        let blank = blank_separators(text);
        assert_eq!(blank.len(), text.len());
        assert_eq!(blank, "Un.\n   \nDeux, é. ^SG");
        for s in parts(text) {
            assert_eq!(&blank[s.start..s.end], &text[s.start..s.end]);
        }
    }

    use super::super::{review, History, Language, Settings, Verdict};

    fn rules_of(text: &str, settings: &Settings) -> Vec<String> {
        review(text, settings, &History::default())
            .findings
            .into_iter()
            .map(|f| f.rule)
            .collect()
    }

    #[test]
    fn one_signature_at_the_end_of_the_last_part_signs_the_whole_thread() {
        let fr = "Vous nous demandez souvent comment marche le tri. 1/2\n---\n\
                  On vous explique tout demain matin : des questions ? 2/2 ^SG";
        let en = "You often ask how sorting works. 1/2\n---\nWe explain it all \
                  tomorrow morning: any questions? 2/2 ^SG";
        for text in [fr, en] {
            let r = rules_of(text, &Settings::default());
            assert!(
                !r.contains(&"identity.signature".to_string()),
                "{text}: {r:?}"
            );
            assert!(!r.iter().any(|r| r.starts_with("thread.")), "{r:?}");
        }
    }

    #[test]
    fn each_part_is_measured_alone_and_the_finding_names_it() {
        let long = "mot ".repeat(80);
        let text = format!("Court et signé ? ^SG\n---\n{long}\n---\nFin. ^SG");
        let settings = Settings {
            networks: vec![super::super::networks::Network::Bluesky],
            ..Settings::default()
        };
        let r = review(&text, &settings, &History::default());
        let length: Vec<_> = r
            .findings
            .iter()
            .filter(|f| f.rule == "tone.length" || f.rule == "network.bluesky-length")
            .collect();
        assert_eq!(length.len(), 2, "{:?}", r.findings);
        for f in length {
            assert!(
                f.message.starts_with("Partie 2/3") || f.message.starts_with("Part 2/3"),
                "{}",
                f.message
            );
            let part = parts(&text)[1];
            assert_eq!(f.spans, [part]);
        }
        assert!(!r.length.valid);
        assert_eq!(r.verdict, Verdict::Blocked);
        // The same words as one short tweet each are fine.
        let short = "Un. ^SG\n---\nDeux. ^SG";
        assert!(review(short, &settings, &History::default()).length.valid);
    }

    #[test]
    fn an_empty_part_and_too_many_parts_are_errors_in_both_languages() {
        for (lang, word) in [(Language::Fr, "vide"), (Language::En, "empty")] {
            let settings = Settings {
                language: Some(lang),
                ..Settings::default()
            };
            let r = review(
                "Un ^SG\n---\n   \n---\nDeux ^SG",
                &settings,
                &History::default(),
            );
            let f = r
                .findings
                .iter()
                .find(|f| f.rule == "thread.empty-part")
                .expect("empty part");
            assert!(
                f.message.contains(word) && f.message.contains("2/3"),
                "{}",
                f.message
            );
            assert!(!r.length.valid);
        }
        let many = vec!["Une partie. ^SG"; MAX_PARTS + 1].join("\n---\n");
        assert!(
            rules_of(&many, &Settings::default()).contains(&"thread.too-many-parts".to_string())
        );
        let enough = vec!["Une partie. ^SG"; MAX_PARTS].join("\n---\n");
        assert!(
            !rules_of(&enough, &Settings::default()).contains(&"thread.too-many-parts".to_string())
        );
    }
}
