//! Reviews as Discord embeds, in the member's language.
//!
//! Discord refuses a message whose embed breaks a limit, so every piece is cut to fit, with a
//! visible note, rather than risk a failed reply: title 256, description 4096, field name 256,
//! field value 1024, 25 fields, 6000 in all. The tweet is quoted with its Markdown escaped, so
//! it shows as typed.

use crate::review::{messages as review_messages, Finding, Guideline, Language, Review};
use crate::review::{Severity, Verdict};

use super::messages::{fill, text};
use super::response::{Embed, EmbedField, EmbedFooter, Message};

/// Discord's embed limits (characters).
pub mod limits {
    pub const TITLE: usize = 256;
    pub const DESCRIPTION: usize = 4096;
    pub const FIELDS: usize = 25;
    pub const FIELD_NAME: usize = 256;
    pub const FIELD_VALUE: usize = 1024;
    pub const FOOTER: usize = 2048;
    pub const TOTAL: usize = 6000;
}

/// The icon of a severity.
pub fn severity_icon(s: Severity) -> &'static str {
    match s {
        Severity::Error => "⛔",
        Severity::Warning => "⚠️",
        Severity::Suggestion => "💡",
        Severity::Praise => "👏",
    }
}

/// The icon of a verdict.
pub fn verdict_icon(v: Verdict) -> &'static str {
    match v {
        Verdict::Ready => "✅",
        Verdict::NeedsWork => "✏️",
        Verdict::Blocked => "⛔",
    }
}

/// The embed colour of a verdict.
pub fn verdict_color(v: Verdict) -> u32 {
    match v {
        Verdict::Ready => 0x2E_CC71,
        Verdict::NeedsWork => 0xE6_7E22,
        Verdict::Blocked => 0xE7_4C3C,
    }
}

/// Escape Discord Markdown so `text` shows as typed: inline marks (`* _ ~ ` | \`), masked
/// links (`[ ]`), mentions, emoji and timestamps (`<`), and the block marks that only count
/// at the start of a line (`# - + >`, `1.`).
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let body = line.trim_start_matches([' ', '\t']);
        out.push_str(&line[..line.len() - body.len()]);
        let mut chars = body.char_indices().peekable();
        // Block marks at the start of the line.
        if let Some(&(_, c)) = chars.peek() {
            if matches!(c, '#' | '-' | '+' | '>') {
                out.push('\\');
            } else if c.is_ascii_digit() {
                let digits = body.bytes().take_while(u8::is_ascii_digit).count();
                if matches!(body.as_bytes().get(digits), Some(b'.' | b')')) {
                    out.push_str(&body[..digits]);
                    out.push('\\');
                    chars = body[digits..].char_indices().peekable();
                }
            }
        }
        for (_, c) in chars {
            if matches!(c, '\\' | '*' | '_' | '~' | '`' | '|' | '[' | ']' | '<') {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// Cut `s` to at most `max` characters; when cut, end with `note` (within `max`). Never leaves
/// half an escape (`\`) at the cut.
pub fn truncate(s: &str, max: usize, note: &str) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let room = max.saturating_sub(note.chars().count() + 1);
    let mut cut: String = s.chars().take(room).collect();
    let backslashes = cut.chars().rev().take_while(|&c| c == '\\').count();
    if backslashes % 2 == 1 {
        cut.pop();
    }
    let kept = cut.trim_end().len();
    cut.truncate(kept);
    if max > note.chars().count() {
        cut.push(if cut.ends_with('\n') { ' ' } else { '\n' });
        cut.push_str(note);
        cut
    } else {
        note.chars().take(max).collect()
    }
}

/// The tweet as a Markdown block quote, escaped.
pub fn quote(text: &str) -> String {
    let escaped = escape_markdown(text);
    let mut out = String::with_capacity(escaped.len() + 16);
    for (i, line) in escaped.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str("> ");
        out.push_str(line);
    }
    out
}

/// The proposal's text as the card shows it: a tweet quoted, or a thread's parts quoted one
/// after the other under their numbers (`Part 2/3`), as they will be posted.
pub fn quote_proposal(text: &str, lang: Language) -> String {
    let parts = crate::review::thread::part_texts(text);
    if parts.len() <= 1 {
        return quote(text);
    }
    let n = parts.len().to_string();
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            let k = (i + 1).to_string();
            let label = super::messages::fill("card.part", lang, &[("part", &k), ("parts", &n)]);
            format!("**{label}**\n{}", quote(part))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One finding as lines of a field: icon, severity, message, then the fix.
fn finding_lines(f: &Finding, lang: Language) -> String {
    let mut s = format!(
        "{} **{}** · {}",
        severity_icon(f.severity),
        review_messages::text(&format!("severity.{}", f.severity.id()), lang),
        escape_markdown(&f.message)
    );
    if let Some(fix) = &f.fix {
        s.push_str(&format!(
            "\n↳ *{}* {}",
            text("review.fix", lang),
            escape_markdown(fix)
        ));
    }
    s
}

/// A field's value from lines, cut to the field limit with a note.
fn field_value(lines: &[String], lang: Language) -> String {
    truncate(
        &lines.join("\n"),
        limits::FIELD_VALUE,
        text("review.truncated", lang),
    )
}

/// The review's one-line summary in `lang`: verdict, score and length (`✏️ needs work · score
/// 40/100 · 65/280`), shared by the `/review` embed and the review card.
pub fn review_title(review: &Review, lang: Language) -> String {
    fill(
        "review.title",
        lang,
        &[
            ("icon", verdict_icon(review.verdict)),
            (
                "verdict",
                review_messages::text(&format!("verdict.{}", review.verdict.id()), lang),
            ),
            ("score", &review.score.to_string()),
            ("count", &review.length.weighted.to_string()),
            ("limit", &review.length.limit.to_string()),
        ],
    )
}

/// The review of `tweet` as an embed in `lang`: the verdict, score and length in the title,
/// the tweet quoted, one field per guideline with findings.
pub fn review_embed(review: &Review, tweet: &str, lang: Language) -> Embed {
    let note = text("review.truncated", lang);
    let title = review_title(review, lang);
    let mut fields = Vec::new();
    for g in Guideline::ALL {
        let lines: Vec<String> = review
            .findings
            .iter()
            .filter(|f| f.guideline == g)
            .map(|f| finding_lines(f, lang))
            .collect();
        if lines.is_empty() {
            continue;
        }
        fields.push(EmbedField {
            name: truncate(
                review_messages::text(&format!("guideline.{}", g.id()), lang),
                limits::FIELD_NAME,
                note,
            ),
            value: field_value(&lines, lang),
            inline: false,
        });
    }
    if review.findings.is_empty() {
        fields.push(EmbedField {
            name: "✅".into(),
            value: text("review.nothing", lang).into(),
            inline: false,
        });
    }
    let mut embed = Embed {
        title: Some(truncate(&title, limits::TITLE, note)),
        description: None,
        color: Some(verdict_color(review.verdict)),
        fields,
        footer: Some(EmbedFooter {
            text: truncate(text("review.footer", lang), limits::FOOTER, note),
        }),
        image: None,
    };
    fit(&mut embed, lang);
    // The tweet gets what is left, up to the description limit, keeping room for the note.
    let left = limits::TOTAL.saturating_sub(embed.total_chars());
    let room = left.min(limits::DESCRIPTION);
    embed.description = Some(truncate(&quote(tweet), room, note));
    embed
}

/// Keep the fields within 25 and leave at least 1000 characters of the 6000 for the tweet:
/// drop the last fields and say how many findings were left out.
fn fit(embed: &mut Embed, lang: Language) {
    const FOR_THE_TWEET: usize = 1000;
    let mut dropped = 0usize;
    while embed.fields.len() > limits::FIELDS - 1
        || (embed.total_chars() + FOR_THE_TWEET > limits::TOTAL && embed.fields.len() > 1)
    {
        if let Some(f) = embed.fields.pop() {
            dropped += f.value.lines().filter(|l| !l.starts_with('↳')).count();
        }
    }
    if dropped > 0 {
        embed.fields.push(EmbedField {
            name: "…".into(),
            value: fill(
                "review.findings-left",
                lang,
                &[("count", &dropped.to_string())],
            ),
            inline: false,
        });
    }
}

/// A short ephemeral notice in plain text (no user text in it).
pub fn notice(key: &str, lang: Language, args: &[(&str, &str)]) -> Message {
    Message::text(fill(key, lang, args)).ephemeral()
}

/// Whether an embed respects every Discord limit (for tests and debug assertions).
pub fn within_limits(e: &Embed) -> bool {
    let n = |s: &Option<String>| s.as_deref().map_or(0, |s| s.chars().count());
    n(&e.title) <= limits::TITLE
        && n(&e.description) <= limits::DESCRIPTION
        && e.fields.len() <= limits::FIELDS
        && e.fields.iter().all(|f| {
            let (name, value) = (f.name.chars().count(), f.value.chars().count());
            (1..=limits::FIELD_NAME).contains(&name) && (1..=limits::FIELD_VALUE).contains(&value)
        })
        && e.footer
            .as_ref()
            .is_none_or(|f| f.text.chars().count() <= limits::FOOTER)
        && e.total_chars() <= limits::TOTAL
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::{review, History, Settings};

    #[test]
    fn markdown_is_escaped() {
        assert_eq!(
            escape_markdown("**gras** _x_ `c`"),
            r"\*\*gras\*\* \_x\_ \`c\`"
        );
        assert_eq!(
            escape_markdown("# Titre\n- item\n1. un"),
            "\\# Titre\n\\- item\n1\\. un"
        );
        assert_eq!(escape_markdown("<@&123> [a](b)"), r"\<@&123> \[a\](b)");
        assert_eq!(escape_markdown("peut-être 3.5"), "peut-être 3.5");
    }

    #[test]
    fn truncation_keeps_the_limit_and_no_half_escape() {
        let s = "\\*".repeat(100);
        let t = truncate(&s, 51, "…(truncated)");
        assert!(t.chars().count() <= 51, "{t}");
        assert!(t.ends_with("…(truncated)"));
        let body = t.trim_end_matches("…(truncated)").trim_end();
        assert_eq!(body.chars().rev().take_while(|&c| c == '\\').count() % 2, 0);
    }

    #[test]
    fn a_huge_tweet_gives_a_valid_embed() {
        let mut settings = Settings::default();
        settings.reply_language = Some(Language::Fr);
        for tweet in [
            "*_".repeat(3000),
            "PROMO!!! @everyone ".repeat(300),
            "a\n".repeat(3000),
        ] {
            let r = review(&tweet, &settings, &History::default());
            let e = review_embed(&r, &tweet, Language::Fr);
            assert!(within_limits(&e), "{}", e.total_chars());
            assert!(e
                .description
                .as_deref()
                .unwrap_or("")
                .ends_with("…(tronqué)"));
        }
    }
}
