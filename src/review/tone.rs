//! `tone`: informal, human, in the users' language; and within the length limit.

use super::generosity::company_mentions;
use super::lexicon::Lexicon;
use super::{Context, Finding, Guideline, Language, Severity, Span};

/// Capital words shorter than this are initials or acronyms, not shouting.
const SHOUT_MIN_LETTERS: u16 = 4;
/// How many words before "is pleased" may name the brand (`La Société X est heureuse`).
const SUBJECT_REACH: usize = 4;

pub(crate) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = Guideline::Tone;
    let mut stiff = false;
    for m in ctx.matches_of("tone.corporate") {
        stiff = true;
        let span = ctx.span_of(m);
        let terms = ctx.quote(&[span]);
        let mut f = ctx.finding(
            g,
            "tone.corporate",
            Severity::Warning,
            vec![span],
            &[("terms", &terms)],
        );
        if let Some(r) = m.replacement {
            f.fix = ctx.fix(
                "tone.corporate.fix",
                &[("terms", &terms), ("replacement", r)],
            );
        }
        out.push(f);
    }
    let shouted = shouted_words(ctx);
    if shouted.len() > 1 {
        stiff = true;
        let terms = ctx.quote(&shouted);
        let lower: Vec<String> = shouted
            .iter()
            .map(|s| ctx.tweet.slice(s.start, s.end).to_lowercase())
            .collect();
        let mut f = ctx.finding(
            g,
            "tone.shouting",
            Severity::Warning,
            shouted,
            &[("terms", &terms)],
        );
        f.fix = ctx.fix("tone.shouting.fix", &[("replacement", &lower.join(", "))]);
        out.push(f);
    }
    let bangs: Vec<Span> = ctx
        .tweet
        .marks
        .bang_runs
        .iter()
        .map(|r| Span {
            start: r.start,
            end: r.end,
        })
        .collect();
    if !bangs.is_empty() {
        stiff = true;
        let terms = ctx.quote(&bangs);
        let mut f = ctx.finding(
            g,
            "tone.exclamations",
            Severity::Warning,
            bangs,
            &[("terms", &terms)],
        );
        f.fix = ctx.fix("tone.exclamations.fix", &[]);
        out.push(f);
    }
    let third = third_person(ctx);
    if !third.is_empty() {
        stiff = true;
        let terms = ctx.quote(&third);
        out.push(ctx.finding(
            g,
            "tone.third-person",
            Severity::Warning,
            third,
            &[("terms", &terms)],
        ));
    }
    if !stiff {
        let mut informal: Vec<Span> = ctx
            .matches_of("tone.informal")
            .map(|m| ctx.span_of(m))
            .collect();
        informal.extend(ctx.tweet.marks.emoji.as_ref().map(|r| Span {
            start: r.start,
            end: r.end,
        }));
        if !informal.is_empty() {
            informal.sort_by_key(|s| s.start);
            out.push(ctx.finding(g, "tone.informal", Severity::Praise, informal, &[]));
        }
    }
}

/// Over the limit: an error with the count and how much to cut.
pub(crate) fn check_length(ctx: &Context<'_>, weighted: usize, out: &mut Vec<Finding>) {
    let limit = ctx.settings.limit;
    if weighted <= limit {
        return;
    }
    let over = (weighted - limit).to_string();
    let args = [
        ("count", weighted.to_string()),
        ("limit", limit.to_string()),
        ("over", over),
    ];
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let text = ctx.tweet.text;
    let mut f = ctx.finding(
        Guideline::Tone,
        "tone.length",
        Severity::Error,
        vec![Span {
            start: 0,
            end: text.len(),
        }],
        &args,
    );
    f.fix = ctx.fix("tone.length.fix", &args);
    out.push(f);
}

/// Capitalised words of four letters or more that are not known acronyms (in either
/// language: `NASA` is not shouting) nor hashtags.
fn shouted_words(ctx: &Context<'_>) -> Vec<Span> {
    let fr = Lexicon::builtin(Language::Fr);
    let en = Lexicon::builtin(Language::En);
    ctx.tweet
        .tokens
        .iter()
        .enumerate()
        .filter(|(i, t)| {
            t.all_caps
                && t.letters >= SHOUT_MIN_LETTERS
                && !t.in_hashtag
                && !fr.is_acronym(ctx.tweet.word(*i))
                && !en.is_acronym(ctx.tweet.word(*i))
        })
        .map(|(_, t)| Span {
            start: t.start,
            end: t.end,
        })
        .collect()
}

/// The brand as the subject of its own sentence: "is pleased" a few words after it (`La
/// Société X est heureuse`), or, right after one of the company's own names, a verb (`SNCF
/// fête ses 80 ans`, `$YUM reports`) or a possessive (`KFC's menu`).
fn third_person(ctx: &Context<'_>) -> Vec<Span> {
    if ctx.tweet.is_retweet() {
        return Vec::new();
    }
    let mut subjects: Vec<Span> = ctx
        .matches_of("tone.brand-subject")
        .map(|m| ctx.span_of(m))
        .chain(company_mentions(ctx))
        .collect();
    if subjects.is_empty() {
        return Vec::new();
    }
    subjects.sort_by_key(|s| s.start);
    let t = ctx.tweet;
    let mut found: Vec<Span> = ctx
        .matches_of("tone.third-person")
        .filter_map(|m| {
            let reach_start = t.tokens[m.first.saturating_sub(SUBJECT_REACH)].start;
            let verb = ctx.span_of(m);
            let first = subjects.partition_point(|s| s.start < reach_start);
            subjects[first..]
                .iter()
                .take_while(|s| s.start < verb.start)
                .find(|s| s.end <= verb.start)
                .map(|s| Span {
                    start: s.start,
                    end: verb.end,
                })
        })
        .collect();
    // Only the company's own names take a bare verb: `la banque est morte` is no brand.
    for s in &company_mentions(ctx) {
        let rest = &t.text[s.end..];
        if rest.starts_with("'s ") || rest.starts_with("’s ") {
            found.push(Span {
                start: s.start,
                end: s.end + rest.find(' ').unwrap_or(0),
            });
            continue;
        }
        // The next word, with nothing but spaces between (`SNCF fête`, `#AXA s'associe`).
        let next = t.tokens.partition_point(|tok| tok.start < s.end);
        let Some(tok) = t.tokens.get(next) else {
            continue;
        };
        if !t.text[s.end..tok.start].trim().is_empty() {
            continue;
        }
        if let Some(m) = ctx.matches_of("tone.brand-verb").find(|m| m.first == next) {
            found.push(Span {
                start: s.start,
                end: ctx.span_of(m).end,
            });
        }
    }
    found.sort_by_key(|s| s.start);
    found.dedup_by(|a, b| a.start == b.start);
    found
}
