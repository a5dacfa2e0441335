//! `reach`: don't be intrusive in who you @-mention; users are critical of companies that
//! chase them.

use super::{dialogue, relay, Context, Finding, Guideline, Severity, Span};

/// More @-mentions than this in a tweet that is not a reply is a cold call.
const MAX_MENTIONS: usize = 3;
/// More hashtags than this is stuffing.
const MAX_HASHTAGS: usize = 2;

pub(crate) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = Guideline::Reach;
    let t = ctx.tweet;
    let mentions: Vec<Span> = ctx.mention_spans();
    if !ctx.is_reply() && mentions.len() > MAX_MENTIONS {
        out.push(ctx.finding(
            g,
            "reach.mentions",
            Severity::Warning,
            mentions.clone(),
            &[("count", &mentions.len().to_string())],
        ));
    }
    if t.hashtags.len() > MAX_HASHTAGS {
        let spans: Vec<Span> = t
            .hashtags
            .iter()
            .map(|h| Span {
                start: h.start,
                end: h.end,
            })
            .collect();
        let mut f = ctx.finding(
            g,
            "reach.hashtags",
            Severity::Warning,
            spans,
            &[("count", &t.hashtags.len().to_string())],
        );
        f.fix = ctx.fix("reach.hashtags.fix", &[]);
        out.push(f);
    }
    // A sales pitch aimed at someone: mentions in the place of an addressee (`Hey @marie, …`,
    // or tagged at the end, `… -30 % ! @marie @paul`), next to a promo signal. A partner named
    // in the sentence (`avec notre partenaire @Festival`) is not pitched to, and neither is
    // the person a reply answers: they wrote first.
    if ctx.promo.is_empty() || mentions.is_empty() {
        return;
    }
    let credits = relay::credits(ctx);
    let answered = if ctx.is_reply() {
        dialogue::leading_mentions_end(ctx)
    } else {
        0
    };
    // Tagged at the end: nothing after but other tags, links, emoji or a signature.
    let tagged = |m: &Span| {
        let rest = t.text[m.end..].trim_start();
        let words_after = t.tokens.partition_point(|tok| tok.start < m.end);
        words_after == t.tokens.len()
            || rest.starts_with(['@', '^', '~', '*', '='])
                && t.tokens[words_after..].iter().all(|tok| tok.letters <= 4)
    };
    let greeted = |m: &Span| {
        ctx.matches_of("dialogue.greeting").any(|g| {
            let end = ctx.span_of(g).end;
            end <= m.start && t.text[end..m.start].trim().is_empty()
        })
    };
    let pitched: Vec<Span> = mentions
        .into_iter()
        .filter(|m| m.start >= answered)
        .filter(|m| !credits.iter().any(|c| c.start <= m.start && m.end <= c.end))
        .filter(|m| tagged(m) || greeted(m))
        .collect();
    if !pitched.is_empty() {
        let terms = ctx.quote(&pitched);
        out.push(ctx.finding(
            g,
            "reach.cold-pitch",
            Severity::Warning,
            pitched,
            &[("terms", &terms)],
        ));
    }
}
