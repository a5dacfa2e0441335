//! `tone`: informal, human, in the users' language; and within the length limit.

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
    let whole = Span {
        start: 0,
        end: ctx.tweet.text.len(),
    };
    check_length_of(ctx, whole, weighted, out);
}

/// [`check_length`] for one post of a thread: `span` is the part, `weighted` its length.
pub(crate) fn check_length_of(
    ctx: &Context<'_>,
    span: Span,
    weighted: usize,
    out: &mut Vec<Finding>,
) {
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
    let mut f = ctx.finding(
        Guideline::Tone,
        "tone.length",
        Severity::Error,
        vec![span],
        &args,
    );
    f.fix = ctx.fix("tone.length.fix", &args);
    out.push(f);
}

/// Capitalised words of four letters or more that are not known acronyms (in either
/// language: `NASA` is not shouting) nor hashtags, and only where capitals shout: a run of
/// capital words that holds a name or a code (`PARIS SAINT-LAZARE`, `train GEPU`, `CHAVILLE
/// RIVE GAUCHE`) is a place or a service written in an alert's house style, not a raised
/// voice, and a fix must never lower-case it.
fn shouted_words(ctx: &Context<'_>) -> Vec<Span> {
    let fr = Lexicon::builtin(Language::Fr);
    let en = Lexicon::builtin(Language::En);
    let t = ctx.tweet;
    let caps: Vec<usize> = (0..t.tokens.len())
        .filter(|&i| {
            let tok = &t.tokens[i];
            tok.all_caps
                && tok.letters >= SHOUT_MIN_LETTERS
                && !tok.in_hashtag
                && !fr.is_acronym(t.word(i))
                && !en.is_acronym(t.word(i))
        })
        .collect();
    if caps.len() < 2 {
        return Vec::new();
    }
    // Runs of capital words (short ones like `LA`, `DE`, `ST` join them), split on anything
    // but spaces and hyphens.
    let mut shouted = Vec::new();
    let mut i = 0;
    while i < t.tokens.len() {
        if !t.tokens[i].all_caps || t.tokens[i].in_hashtag {
            i += 1;
            continue;
        }
        let mut j = i;
        while let Some(next) = t.tokens.get(j + 1) {
            let gap = &t.text[t.tokens[j].end..next.start];
            if next.all_caps && !next.in_hashtag && gap.chars().all(|c| c == ' ' || c == '-') {
                j += 1;
            } else {
                break;
            }
        }
        let words: Vec<usize> = (i..=j).filter(|k| caps.binary_search(k).is_ok()).collect();
        // `SAINT-CLOUD`, `ST-QUENTIN`: a hyphenated name in capitals is a place.
        let hyphenated =
            (i..j).any(|k| t.text[t.tokens[k].end..t.tokens[k + 1].start].contains('-'));
        // A part of an elided word (`AUJOURD'HUI`, `L'ÉTÉ`) is no evidence either way.
        let elided = |k: usize| {
            let after = &t.text[t.tokens[k].end..];
            let before = &t.text[..t.tokens[k].start];
            after.starts_with(['\'', '’']) || before.ends_with(['\'', '’'])
        };
        let a_name = hyphenated
            || (i..=j).any(|k| {
                !elided(k)
                    && t.tokens[k].letters >= 3
                    && !fr.is_acronym(t.word(k))
                    && !en.is_acronym(t.word(k))
                    && !super::spelling::is_common_word(
                        ctx.lang,
                        &t.slice(t.tokens[k].start, t.tokens[k].end).to_lowercase(),
                    )
            });
        if !a_name {
            shouted.extend(words.iter().map(|&k| Span {
                start: t.tokens[k].start,
                end: t.tokens[k].end,
            }));
        }
        i = j + 1;
    }
    shouted
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
        .chain(ctx.company.iter().copied())
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
    for s in &ctx.company {
        // `À l'invitation de la #RATP`, `les conseils de @Acme`: the brand as a complement.
        let before = t.tokens.partition_point(|tok| tok.end <= s.start);
        let of_the_brand = ctx.matches_of("tone.brand-of").any(|m| {
            let between = &t.text[t.tokens[m.last].end..s.start];
            m.last < before
                && (m.last + 1 == before
                    || m.last + 2 == before
                        && matches!(t.word(m.last + 1), "la" | "le" | "l" | "the"))
                && !between.contains(['.', '!', '?', '\n'])
        });
        if of_the_brand {
            found.push(*s);
            continue;
        }
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
