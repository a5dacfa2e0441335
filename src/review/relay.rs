//! `relay`: relay others' content, always with credit.

use super::{Context, Finding, Guideline, Severity, Span};

/// Words that name who said something after a quotation (`», dit Marie`, `" says @marie`).
const SAYS: [&str; 8] = [
    "dit",
    "selon",
    "dixit",
    "says",
    "said",
    "according",
    "affirme",
    "explique",
];

pub(crate) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = Guideline::Relay;
    let credits = credits(ctx);
    if !credits.is_empty() {
        out.push(ctx.finding(g, "relay.credit", Severity::Praise, credits.clone(), &[]));
    }
    let has_mention = !ctx.tweet.mentions.is_empty();
    let mut uncredited: Vec<Span> = Vec::new();
    if !has_mention {
        uncredited.extend(ctx.matches_of("relay.retweet").map(|m| ctx.span_of(m)));
        uncredited.extend(uncredited_quotes(ctx));
    }
    if !uncredited.is_empty() {
        let terms = ctx.quote(&uncredited);
        let mut f = ctx.finding(
            g,
            "relay.uncredited",
            Severity::Error,
            uncredited,
            &[("terms", &terms)],
        );
        f.fix = ctx.fix("relay.uncredited.fix", &[]);
        out.push(f);
    } else if credits.is_empty() && !has_mention && !ctx.tweet.urls.is_empty() {
        let u = &ctx.tweet.urls[0];
        let mut f = ctx.finding(
            g,
            "relay.link-source",
            Severity::Suggestion,
            vec![Span {
                start: u.start,
                end: u.end,
            }],
            &[],
        );
        f.fix = ctx.fix("relay.link-source.fix", &[]);
        out.push(f);
    }
}

/// Credit given: a credit word or `RT` right before an @mention (`via @marie`, `RT @marie:`,
/// `(h/t @marie)`, `merci à @marie`).
pub(crate) fn credits(ctx: &Context<'_>) -> Vec<Span> {
    let mut spans = Vec::new();
    for m in ctx
        .matches_of("relay.credit")
        .chain(ctx.matches_of("relay.retweet"))
    {
        let span = ctx.span_of(m);
        let gap_end = ctx.tweet.text[span.end..]
            .char_indices()
            .find(|&(_, c)| !(c.is_whitespace() || matches!(c, ':' | ',' | '(' | '-' | '–')))
            .map_or(ctx.tweet.text.len(), |(i, _)| span.end + i);
        let mentions = &ctx.tweet.mentions;
        let i = mentions.partition_point(|x| x.start < gap_end);
        if let Some(mention) = mentions.get(i).filter(|x| x.start == gap_end) {
            spans.push(Span {
                start: span.start,
                end: mention.end,
            });
        }
    }
    spans.sort_by_key(|s| s.start);
    spans.dedup();
    spans
}

/// Quotations of six words or more with nobody named after or before them.
fn uncredited_quotes(ctx: &Context<'_>) -> Vec<Span> {
    let text = ctx.tweet.text;
    let mut found = Vec::new();
    for (open, close) in [('«', '»'), ('“', '”'), ('"', '"')] {
        let mut from = 0;
        while let Some(o) = text[from..].find(open).map(|i| from + i) {
            let inner_start = o + open.len_utf8();
            let Some(c) = text[inner_start..].find(close).map(|i| inner_start + i) else {
                break;
            };
            let end = c + close.len_utf8();
            let words = text[inner_start..c].split_whitespace().count();
            if words >= 6 && !attributed(ctx, o, end) {
                found.push(Span { start: o, end });
            }
            from = end;
        }
    }
    found
}

/// A name right after the quotation (`— Marie Curie`, `, dit Marie`) or before it (`Marie : «`).
fn attributed(ctx: &Context<'_>, start: usize, end: usize) -> bool {
    let text = ctx.tweet.text;
    let after = text[end..].trim_start();
    let mut words = after.split_whitespace();
    let first = words.next().unwrap_or("");
    if first.starts_with(['-', '–', '—', '~']) || first == "," {
        return true;
    }
    let folded = super::text::fold(first.trim_matches(|c: char| !c.is_alphanumeric()));
    if SAYS.contains(&folded.as_str())
        || words
            .next()
            .is_some_and(|w| SAYS.contains(&super::text::fold(w).as_str()))
    {
        return true;
    }
    let before = text[..start].trim_end();
    before.ends_with(':')
        && before[..before.len() - 1]
            .split_whitespace()
            .last()
            .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase))
}
