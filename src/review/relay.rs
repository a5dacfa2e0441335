//! `relay`: relay others' content, always with credit.

use super::conversation::Kind;
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
    if let Some((Kind::Quote, _)) = &ctx.settings.answering {
        // The quoted post travels with ours, its author's name on it: credited by construction.
        out.push(ctx.finding(g, "relay.credit", Severity::Praise, credits, &[]));
        return;
    }
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
    } else if credits.is_empty() && !has_mention {
        if let Some(u) = third_party_link(ctx) {
            let mut f = ctx.finding(g, "relay.link-source", Severity::Suggestion, vec![u], &[]);
            f.fix = ctx.fix("relay.link-source.fix", &[]);
            out.push(f);
        }
    }
}

/// Link shorteners: where they lead can't be told from the text.
const SHORTENERS: [&str; 14] = [
    "t.co",
    "bit.ly",
    "ow.ly",
    "buff.ly",
    "goo.gl",
    "tinyurl.com",
    "lnkd.in",
    "fb.me",
    "dlvr.it",
    "ift.tt",
    "spr.ly",
    "trib.al",
    "youtu.be",
    "urlz.fr",
];

/// The first link to someone else's content: a link to a domain that is not the account's
/// own (when the team has said which are), or a shortened link the words present as someone
/// else's piece (`un article du Monde`, `great read`) rather than the account's own
/// (`notre article`, `our blog`). The account's own links need no source.
fn third_party_link(ctx: &Context<'_>) -> Option<Span> {
    let own = &ctx.settings.own_domains;
    let mut shortened = None;
    for u in &ctx.tweet.urls {
        let host = host_of(&ctx.tweet.text[u.start..u.end]);
        if own.iter().any(|d| is_within(&host, d)) {
            continue;
        }
        let span = Span {
            start: u.start,
            end: u.end,
        };
        if !own.is_empty() && !SHORTENERS.contains(&host.as_str()) {
            return Some(span);
        }
        shortened.get_or_insert(span);
    }
    if ctx.matches_of("relay.own-place").next().is_some() {
        return None;
    }
    let cue = ctx.matches_of("relay.third-party").any(|m| {
        !ctx.matches_of("relay.own-content")
            .any(|o| o.last < m.first && m.first - o.last <= 2)
    });
    shortened.filter(|_| cue)
}

/// The host of a link, lower case, without `www.`.
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest
        .split(['/', '?', '#', ':'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    host.strip_prefix("www.")
        .map(str::to_string)
        .unwrap_or(host)
}

/// Whether `host` is `domain` or one of its subdomains (`blog.acme.com` is within `acme.com`).
fn is_within(host: &str, domain: &str) -> bool {
    let domain = domain
        .trim()
        .trim_start_matches("www.")
        .to_ascii_lowercase();
    let domain = domain.trim_start_matches('.');
    !domain.is_empty()
        && (host == domain
            || host
                .strip_suffix(domain)
                .is_some_and(|sub| sub.ends_with('.')))
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
        // Naming the account itself (`via @acme` from Acme) credits no one else.
        let own = |x: &&super::text::Entity| ctx.company.iter().any(|c| c.start == x.start);
        if let Some(mention) = mentions.get(i).filter(|x| x.start == gap_end && !own(x)) {
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
            if words >= 6 && !attributed(ctx, o, end) && !is_title(ctx, o, &text[inner_start..c]) {
                found.push(Span { start: o, end });
            }
            from = end;
        }
    }
    found
}

/// Words that announce a title in quotes rather than someone's words (`le webinar « … »`).
const TITLES: [&str; 22] = [
    "webinar",
    "webinaire",
    "conference",
    "atelier",
    "livre",
    "article",
    "titre",
    "theme",
    "talk",
    "session",
    "panel",
    "guide",
    "ebook",
    "podcast",
    "film",
    "serie",
    "emission",
    "episode",
    "table",
    "ronde",
    "dossier",
    "exposition",
];

/// A title in quotes: a question (`« Comment animer un atelier ? »`), or named as a talk, a
/// book, a webinar just before.
fn is_title(ctx: &Context<'_>, open: usize, inner: &str) -> bool {
    if inner.trim_end().ends_with(['?', '？']) {
        return true;
    }
    let before = &ctx.tweet.text[..open];
    before
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .rev()
        .take(3)
        .any(|w| TITLES.contains(&super::text::fold(w).as_str()))
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
