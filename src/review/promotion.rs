//! `promotion`: influence, not ads. Sales words, prices, urgency; and, across the account's
//! history, how often it promotes (a product always on sale is perceived as worth less).

use super::{Context, Finding, Guideline, Severity, Span};

/// One promotional signal in the tweet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Signal {
    pub kind: Kind,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    SalesWord,
    Price,
    Urgency,
}

impl Kind {
    fn rule(self) -> &'static str {
        match self {
            Kind::SalesWord => "promotion.sales-words",
            Kind::Price => "promotion.prices",
            Kind::Urgency => "promotion.urgency",
        }
    }
}

/// Every promotional signal, in text order.
pub(crate) fn signals(ctx: &Context<'_>) -> Vec<Signal> {
    let mut out: Vec<Signal> = Vec::new();
    for (kind, rule) in [
        (Kind::SalesWord, "promotion.sales-words"),
        (Kind::Urgency, "promotion.urgency"),
    ] {
        out.extend(ctx.matches_of(rule).map(|m| Signal {
            kind,
            span: ctx.span_of(m),
        }));
    }
    out.extend(prices(ctx).into_iter().map(|span| Signal {
        kind: Kind::Price,
        span,
    }));
    // A reply that names one offer to the customer who asked (`free shipping does not cover
    // international`) is service: one sales word alone sells nothing there.
    if matches!(ctx.reply, super::dialogue::Reply::Handle(_))
        && out.len() == 1
        && out[0].kind == Kind::SalesWord
    {
        out.clear();
    }
    // Ambiguous urgency (`dès maintenant`) sells only next to a signal that does.
    if !out.is_empty() {
        out.extend(ctx.matches_of("promotion.urgency-weak").map(|m| Signal {
            kind: Kind::Urgency,
            span: ctx.span_of(m),
        }));
    }
    out.sort_by_key(|s| s.span.start);
    out
}

pub(crate) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = Guideline::Promotion;
    let signals = &ctx.promo;
    if signals.is_empty() {
        return;
    }
    // Two signals or more: say it once, plainly, before the details.
    if signals.len() >= 2 {
        let spans: Vec<Span> = signals.iter().map(|s| s.span).collect();
        let terms = ctx.quote(&spans);
        out.push(ctx.finding(
            g,
            "promotion.ad",
            Severity::Warning,
            spans,
            &[("count", &signals.len().to_string()), ("terms", &terms)],
        ));
    }
    for kind in [Kind::SalesWord, Kind::Price, Kind::Urgency] {
        let spans: Vec<Span> = signals
            .iter()
            .filter(|s| s.kind == kind)
            .map(|s| s.span)
            .collect();
        if !spans.is_empty() {
            let terms = ctx.quote(&spans);
            out.push(ctx.finding(
                g,
                kind.rule(),
                Severity::Warning,
                spans,
                &[("terms", &terms)],
            ));
        }
    }
    // History: more than about one in five recent tweets promoted something.
    let h = ctx.history;
    if h.total >= 5 && h.promotional * 5 > h.total {
        out.push(ctx.finding(
            g,
            "promotion.brand-dilution",
            Severity::Warning,
            vec![],
            &[
                ("n", &h.promotional.to_string()),
                ("total", &h.total.to_string()),
            ],
        ));
    }
}

/// Words after an amount that make it a selling price (`19 $ seulement`, `$5 each`).
const PRICE_AFTER: [&str; 9] = [
    "seulement",
    "only",
    "each",
    "chacun",
    "chacune",
    "par",
    "per",
    "ttc",
    "ht",
];
/// Words after a percentage that make it a discount (`20 % de rabais`, `50% off`).
const DISCOUNT_AFTER: [&str; 7] = [
    "off",
    "rabais",
    "reduction",
    "remise",
    "discount",
    "moins",
    "sur",
];
/// Words after a percentage that make it a statistic (`40 % des gens`, `40% of riders`).
const STATISTIC_AFTER: [&str; 10] = [
    "of", "des", "du", "d", "de", "more", "plus", "less", "moins", "fewer",
];
/// A magnitude after an amount makes it a budget or a figure, not a price (`3 M€`, `$2M`).
const MAGNITUDE: [&str; 9] = [
    "m",
    "k",
    "md",
    "g",
    "b",
    "bn",
    "million",
    "millions",
    "milliards",
];

/// Amounts that read as prices or discounts, as byte spans.
fn prices(ctx: &Context<'_>) -> Vec<Span> {
    let text = ctx.tweet.text;
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit()
            || (i > 0
                && (bytes[i - 1].is_ascii_alphanumeric()
                    || bytes[i - 1] == b'.'
                    || bytes[i - 1] == b','))
            || ctx.tweet.in_url(i)
        {
            i += 1;
            continue;
        }
        let (end, decimals) = number_end(text, i);
        if let Some(span) = classify(ctx, i, end, decimals) {
            out.push(span);
        }
        i = end.max(i + 1);
    }
    out
}

/// The end of a number starting at `start` (digits with thousands separators and decimals),
/// and whether it has two-digit decimals (`19,99`, `19.99`: retail prices).
fn number_end(text: &str, start: usize) -> (usize, bool) {
    let b = text.as_bytes();
    let mut end = start;
    let mut decimals = false;
    while end < b.len() && b[end].is_ascii_digit() {
        end += 1;
    }
    loop {
        let rest = &text[end..];
        let sep = rest
            .chars()
            .next()
            .filter(|c| matches!(c, ',' | '.' | ' ' | '\u{a0}' | '\u{202f}' | '\''));
        let Some(sep) = sep else { break };
        let after = end + sep.len_utf8();
        let digits = b[after..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 3 {
            end = after + 3;
        } else if (digits == 2 || digits == 1 && currency_prefix(text[after + 1..].trim_start()).0)
            && matches!(sep, ',' | '.')
            && !decimals
        {
            decimals = true;
            end = after + digits;
            break;
        } else {
            break;
        }
    }
    (end, decimals)
}

fn classify(ctx: &Context<'_>, start: usize, end: usize, decimals: bool) -> Option<Span> {
    let text = ctx.tweet.text;
    let before = &text[..start];
    let after = &text[end..];
    let after_trim = after.trim_start_matches([' ', '\u{a0}', '\u{202f}']);
    let before_trim = before.trim_end_matches([' ', '\u{a0}', '\u{202f}']);
    let sign_len = before
        .chars()
        .next_back()
        .filter(|c| matches!(c, '-' | '−'))
        .map_or(0, char::len_utf8);
    let discount_sign = sign_len > 0;
    let first_word_after = |s: &str| -> String {
        s.split(|c: char| !c.is_alphanumeric())
            .find(|w| !w.is_empty())
            .map(super::text::fold)
            .unwrap_or_default()
    };
    // Percentages.
    if let Some(rest) = after_trim.strip_prefix('%') {
        let next = first_word_after(rest.trim_start().strip_prefix("de ").unwrap_or(rest));
        // `Up to 40% of cyclists`, `jusqu'à 40 % des gens`: a statistic, not a discount.
        let statistic = STATISTIC_AFTER.contains(&first_word_after(rest).as_str());
        let context = discount_sign
            || DISCOUNT_AFTER.contains(&next.as_str())
            || (!statistic && context_before(ctx, start));
        let end = end + (after.len() - rest.len());
        return context.then_some(Span {
            start: start - sign_len,
            end,
        });
    }
    // A magnitude right after the number: a budget, not a price.
    let next_word = after_trim
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .map(super::text::fold)
        .unwrap_or_default();
    if MAGNITUDE.contains(&next_word.as_str()) {
        return None;
    }
    let (currency_after, cur_len) = currency_prefix(after_trim);
    let (currency_before, cur_start) = currency_suffix(before_trim);
    if !currency_after && !currency_before {
        return None;
    }
    let (span_start, span_end) = if currency_before {
        (cur_start, end)
    } else {
        (start, end + (after.len() - after_trim.len()) + cur_len)
    };
    let after_cur = &text[span_end..];
    let next = first_word_after(after_cur);
    if MAGNITUDE.contains(&next.as_str()) && !after_cur.starts_with(' ') {
        return None;
    }
    let priced = decimals
        || discount_sign
        || PRICE_AFTER.contains(&next.as_str())
        || after_cur.trim_start().starts_with('/')
        || context_before(ctx, span_start.min(start));
    let sign = if currency_before { 0 } else { sign_len };
    priced.then_some(Span {
        start: span_start - sign,
        end: span_end,
    })
}

/// Whether a price-context word (`à partir de`, `from`, `only`) ends right before `at`.
fn context_before(ctx: &Context<'_>, at: usize) -> bool {
    let Some(prev) = ctx.tweet.tokens.iter().rposition(|t| t.end <= at) else {
        return false;
    };
    let gap = &ctx.tweet.text[ctx.tweet.tokens[prev].end..at];
    if gap.chars().any(|c| c.is_alphanumeric()) {
        return false;
    }
    ctx.matches_of("promotion.price-context")
        .any(|m| m.last == prev)
}

/// A currency sign or code at the start of `s`: `$`, `€`, `EUR`, `dollars`.
fn currency_prefix(s: &str) -> (bool, usize) {
    for sym in ["$", "€", "£", "¥", "¢"] {
        if s.starts_with(sym) {
            return (true, sym.len());
        }
    }
    let word: String = s.chars().take_while(|c| c.is_alphabetic()).collect();
    let folded = super::text::fold(&word);
    if matches!(
        folded.as_str(),
        "eur" | "usd" | "cad" | "chf" | "gbp" | "euro" | "euros" | "dollar" | "dollars"
    ) {
        return (true, word.len());
    }
    (false, 0)
}

/// A currency sign right before a number: `$19`, `€ 29`, `US$5`; returns where it starts.
fn currency_suffix(s: &str) -> (bool, usize) {
    for sym in ["$", "€", "£", "¥"] {
        if let Some(rest) = s.strip_suffix(sym) {
            return (true, rest.len());
        }
    }
    (false, 0)
}
