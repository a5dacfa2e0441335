//! `reach`: don't be intrusive in who you @-mention; users are critical of companies that
//! chase them.

use super::{relay, Context, Finding, Guideline, Severity, Span};

/// More @-mentions than this in a tweet that is not a reply is a cold call.
const MAX_MENTIONS: usize = 3;
/// More hashtags than this is stuffing.
const MAX_HASHTAGS: usize = 2;

pub(crate) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = Guideline::Reach;
    let t = ctx.tweet;
    let mentions: Vec<Span> = ctx.mention_spans();
    if !t.is_reply() && mentions.len() > MAX_MENTIONS {
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
    // A sales pitch aimed at someone: mentions that are not credits, next to a promo signal.
    if ctx.promo.is_empty() || mentions.is_empty() {
        return;
    }
    let credits = relay::credits(ctx);
    let pitched: Vec<Span> = mentions
        .into_iter()
        .filter(|m| !credits.iter().any(|c| c.start <= m.start && m.end <= c.end))
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
