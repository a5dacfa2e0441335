//! `generosity`: talk about others and the field, welcome criticism, ask the community.

use super::text::fold;
use super::{Context, Finding, Guideline, Severity, Span};

pub(crate) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = Guideline::Generosity;
    for m in ctx.matches_of("generosity.defensive") {
        let span = ctx.span_of(m);
        let mut f = ctx.finding(
            g,
            "generosity.defensive",
            Severity::Warning,
            vec![span],
            &[("terms", &ctx.quote(&[span]))],
        );
        f.fix = ctx.fix("generosity.defensive.fix", &[]);
        out.push(f);
    }
    let asks: Vec<Span> = ctx
        .matches_of("generosity.ask-community")
        .map(|m| ctx.span_of(m))
        .collect();
    if !asks.is_empty() {
        out.push(ctx.finding(g, "generosity.ask-community", Severity::Praise, asks, &[]));
    }
    // Putting someone else forward (not replying to them, not pitching them): well done.
    if !ctx.is_reply() && ctx.promo.is_empty() && !ctx.tweet.mentions.is_empty() {
        let spans: Vec<Span> = ctx.mention_spans();
        let terms = ctx.quote(&spans);
        out.push(ctx.finding(
            g,
            "generosity.about-others",
            Severity::Praise,
            spans,
            &[("terms", &terms)],
        ));
    }
    let mut own: Vec<Span> = ctx
        .matches_of("generosity.self")
        .chain(ctx.matches_of("generosity.corporate"))
        .map(|m| ctx.span_of(m))
        .collect();
    own.extend(
        ctx.company
            .iter()
            .copied()
            .filter(|s| in_running_text(ctx, *s)),
    );
    // Someone else's @handle is someone else; the company's own handles are not.
    let own_tags = &ctx.company;
    let others = ctx.matches_of("generosity.others").next().is_some()
        || ctx
            .tweet
            .mentions
            .iter()
            .any(|m| !own_tags.iter().any(|o| o.start == m.start));
    let service = ctx.matches_of("generosity.service").next().is_some();
    let asks = super::dialogue::asks_readers(ctx);
    if !own.is_empty() && !others && !service && !asks && !ctx.tweet.is_retweet() {
        own.sort_by_key(|s| s.start);
        let terms = ctx.quote(&own);
        out.push(ctx.finding(
            g,
            "generosity.self-talk",
            Severity::Suggestion,
            own,
            &[("terms", &terms)],
        ));
    }
}

/// Whether a company mention is part of a sentence, not a tag (`… #RATP #Ligne6` at the end,
/// or tagging the subject of someone else's news).
fn in_running_text(ctx: &Context<'_>, span: Span) -> bool {
    let text = ctx.tweet.text;
    let sigil = text[..span.start].chars().next_back();
    match sigil {
        Some('#' | '＃' | '$') => false,
        _ if text[span.start..].starts_with(['#', '＃']) => false,
        _ if text[span.start..].starts_with(['@', '＠']) => {
            let last_word = ctx
                .tweet
                .tokens
                .iter()
                .rev()
                .find(|t| !t.in_hashtag)
                .map_or(0, |t| t.end);
            span.start < last_word
        }
        _ => true,
    }
}

/// Where the company names itself: its names (the `company` setting, several separated by
/// commas: `Yum! Brands, KFC`) word for word, as a #hashtag or $cashtag too, and its own
/// @handles (`own_handles`, or a handle that is one of its names: `@AXA`). In text order.
pub(crate) fn company_mentions(ctx: &Context<'_>) -> Vec<Span> {
    let mut out = Vec::new();
    let names: Vec<Vec<String>> = ctx
        .settings
        .company
        .as_deref()
        .unwrap_or("")
        .split([',', ';'])
        .map(|name| {
            fold(name)
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|words| !words.is_empty())
        .collect();
    let t = ctx.tweet;
    let n = t.tokens.len();
    for words in &names {
        out.extend(
            (0..n.saturating_sub(words.len() - 1))
                .filter(|&i| words.iter().enumerate().all(|(k, w)| t.word(i + k) == *w))
                .map(|i| ctx.token_span(i, i + words.len() - 1)),
        );
    }
    for m in &t.mentions {
        let handle = fold(&m.name);
        let own = ctx
            .settings
            .own_handles
            .iter()
            .any(|h| fold(h.trim_start_matches('@')) == handle)
            || names.iter().any(|words| words.concat() == handle);
        if own {
            out.push(Span {
                start: m.start,
                end: m.end,
            });
        }
    }
    out.sort_by_key(|s| s.start);
    out
}
