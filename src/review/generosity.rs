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
    if !ctx.tweet.is_reply() && ctx.promo.is_empty() && !ctx.tweet.mentions.is_empty() {
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
        .map(|m| ctx.span_of(m))
        .collect();
    own.extend(company_mentions(ctx));
    let others =
        ctx.matches_of("generosity.others").next().is_some() || !ctx.tweet.mentions.is_empty();
    if !own.is_empty() && !others {
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

/// Where the company names itself (the `company` setting), word for word.
pub(crate) fn company_mentions(ctx: &Context<'_>) -> Vec<Span> {
    let Some(company) = ctx.settings.company.as_deref() else {
        return Vec::new();
    };
    let name = fold(company);
    let words: Vec<&str> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return Vec::new();
    }
    let n = ctx.tweet.tokens.len();
    (0..n.saturating_sub(words.len() - 1))
        .filter(|&i| {
            words
                .iter()
                .enumerate()
                .all(|(k, w)| ctx.tweet.word(i + k) == *w)
        })
        .map(|i| ctx.token_span(i, i + words.len() - 1))
        .collect()
}
