//! `dialogue`: a conversation, not a press-release feed.

use super::{Context, Finding, Guideline, Severity, Span};

/// A broadcast: no reply, no @-mention, no question, no invitation to answer.
pub(crate) fn is_broadcast(ctx: &Context<'_>) -> bool {
    ctx.tweet.mentions.is_empty()
        && !ctx.tweet.asks_a_question()
        && ctx.matches_of("dialogue.invitation").next().is_none()
        && ctx.matches_of("generosity.ask-community").next().is_none()
}

pub(crate) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = Guideline::Dialogue;
    if ctx.tweet.is_reply() {
        let m = &ctx.tweet.mentions[0];
        out.push(ctx.finding(
            g,
            "dialogue.reply",
            Severity::Praise,
            vec![Span {
                start: m.start,
                end: m.end,
            }],
            &[],
        ));
    }
    let mut invites: Vec<Span> = ctx
        .matches_of("dialogue.invitation")
        .map(|m| ctx.span_of(m))
        .collect();
    if invites.is_empty() {
        if let Some(q) = &ctx.tweet.marks.question {
            invites.push(Span {
                start: q.start,
                end: q.end,
            });
        }
    }
    if !invites.is_empty() {
        out.push(ctx.finding(g, "dialogue.invitation", Severity::Praise, invites, &[]));
    }
    if !is_broadcast(ctx) {
        return;
    }
    let mut f = ctx.finding(g, "dialogue.broadcast", Severity::Suggestion, vec![], &[]);
    f.fix = ctx.fix("dialogue.broadcast.fix", &[]);
    out.push(f);
    // History: the account already sounds like a news wire (8 of the last 10, say).
    let h = ctx.history;
    if h.total >= 5 && h.broadcasts * 10 >= h.total * 8 {
        out.push(ctx.finding(
            g,
            "dialogue.news-wire",
            Severity::Warning,
            vec![],
            &[
                ("n", &h.broadcasts.to_string()),
                ("total", &h.total.to_string()),
            ],
        ));
    }
}
