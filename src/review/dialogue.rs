//! `dialogue`: a conversation, not a press-release feed.

use super::conversation::Kind;
use super::names::{is_capitalised, is_first_name};
use super::{Context, Finding, Guideline, Severity, Span};

/// What makes the tweet a reply to someone, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reply {
    /// Not a reply.
    No,
    /// It opens with the person's @handle (`@marie Bonjour…`).
    Handle(Span),
    /// It greets the person by name where the @ was stripped (`Bonjour Simon, …`).
    Greeting(Span),
    /// It is posted as an answer to someone's post (`/submit reply-to:`), whatever its words.
    Target,
}

/// Whether the tweet answers someone. A leading @handle is a reply unless the handle is the
/// subject of a broadcast (`@Partner et nous lançons…`, `@Acme's new app`); a greeting with a
/// first name (`Hi Sarah,`) is a reply whose @ was stripped.
pub(crate) fn reply(ctx: &Context<'_>) -> Reply {
    let found = reply_in_text(ctx);
    match (&ctx.settings.answering, found) {
        (Some((Kind::Reply, _)), Reply::No) => Reply::Target,
        _ => found,
    }
}

/// [`reply`] from the words alone.
fn reply_in_text(ctx: &Context<'_>) -> Reply {
    let t = ctx.tweet;
    let lead_end = leading_mentions_end(ctx);
    if lead_end > 0 {
        let rest = t.text[lead_end..].trim_start();
        let next = t.tokens.partition_point(|tok| tok.start < lead_end);
        // `@a … and I will check`: the answer goes on from an earlier part.
        let continued = rest.starts_with("...") || rest.starts_with('…');
        let possessive = rest.starts_with("'s") || rest.starts_with("’s");
        // `@Préfecture [✅ Arrivée du Tour] …`, `.@Festival : J-1 !`: an alert's or a
        // post's header, not an answer.
        let header = rest.starts_with(['[', ':']);
        // `.@Partner` made a mention public on old Twitter: a post about them, unless it
        // greets or corrects them.
        let public = t.text.trim_start().starts_with('.')
            && !ctx.matches_of("dialogue.greeting").any(|m| m.first == next);
        let subject = ctx.matches_of("dialogue.handle-subject").any(|m| {
            m.first == next
                && !is_capitalised(t.slice(t.tokens[m.first].start, t.tokens[m.first].end))
        }) || ctx
            .matches_of("dialogue.handle-subject")
            .any(|m| m.first == next && m.last > m.first);
        if continued || !(possessive || header || subject || public) {
            let m = &t.mentions[0];
            return Reply::Handle(Span {
                start: m.start,
                end: m.end,
            });
        }
        return Reply::No;
    }
    if let Some(g) = ctx.matches_of("dialogue.greeting").find(|m| m.first == 0) {
        let greeting = ctx.span_of(g);
        let gap_end = t.text[greeting.end..]
            .find(|c: char| !c.is_whitespace())
            .map_or(t.text.len(), |i| greeting.end + i);
        // `Chère @stm_Jaune, …`: someone greeted by handle.
        if let Some(m) = t.mentions.iter().find(|m| m.start == gap_end) {
            return Reply::Greeting(Span {
                start: greeting.start,
                end: m.end,
            });
        }
        // `Bonjour Simon, …`, `Hi Sarah!`; not `Bonjour, Laurent vous informe…`.
        let named = t.tokens.get(g.last + 1).is_some_and(|tok| {
            tok.start == gap_end
                && is_capitalised(t.slice(tok.start, tok.end))
                && is_first_name(t.word(g.last + 1))
                && t.text[tok.end..]
                    .chars()
                    .next()
                    .is_none_or(|c| matches!(c, ',' | '!' | '.' | ':' | ' ' | '\n'))
                && !t.text[tok.end..]
                    .trim_start()
                    .starts_with(|c: char| c.is_lowercase())
        });
        if named {
            return Reply::Greeting(ctx.token_span(g.first, g.last + 1));
        }
    }
    Reply::No
}

/// Where the run of @handles opening the tweet ends (`@a @b Merci` ends after `@b`).
pub(crate) fn leading_mentions_end(ctx: &Context<'_>) -> usize {
    let text = ctx.tweet.text;
    let mut end = 0;
    for m in &ctx.tweet.mentions {
        // `.@handle` made a reply public on old Twitter: still the person answered.
        if text[end..m.start]
            .trim_start_matches(['.', ' ', '\n', '\t'])
            .is_empty()
        {
            end = m.end;
        } else {
            break;
        }
    }
    end
}

/// A broadcast: no reply, no question, no invitation to answer; relaying someone else's
/// words (`RT @marie: …`) is not one.
pub(crate) fn is_broadcast(ctx: &Context<'_>) -> bool {
    ctx.reply == Reply::No
        && !ctx.tweet.is_retweet()
        && !asks_readers(ctx)
        && ctx.matches_of("dialogue.question").all(|m| m.first != 0)
        && ctx.matches_of("dialogue.invitation").next().is_none()
        && ctx.matches_of("generosity.ask-community").next().is_none()
}

/// Whether the tweet asks its readers something: a question mark outside links and outside
/// quotations (the title of a talk in `« … ? »` asks nobody).
pub(crate) fn asks_readers(ctx: &Context<'_>) -> bool {
    let Some(first) = &ctx.tweet.marks.question else {
        return false;
    };
    let text = ctx.tweet.text;
    let mut depth = 0i32;
    let mut straight = false;
    for (i, c) in text.char_indices() {
        match c {
            '«' | '“' => depth += 1,
            '»' | '”' => depth -= 1,
            '"' => straight = !straight,
            '?' | '？' if i >= first.start && depth <= 0 && !straight && !ctx.tweet.in_url(i) => {
                return true
            }
            _ => {}
        }
    }
    false
}

pub(crate) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = Guideline::Dialogue;
    match ctx.reply {
        Reply::Handle(span) | Reply::Greeting(span) => {
            out.push(ctx.finding(g, "dialogue.reply", Severity::Praise, vec![span], &[]));
        }
        Reply::Target => {
            out.push(ctx.finding(g, "dialogue.reply", Severity::Praise, vec![], &[]));
        }
        Reply::No => {}
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
