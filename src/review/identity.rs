//! `identity`: whoever tweets for the company says who they are (`^SG`, `-Sylvain`).

use super::{Context, Finding, Guideline, Severity, Span};

/// Signature marks the article's community uses before initials or a first name.
const MARKS: [char; 7] = ['^', '~', '/', '*', '-', '–', '—'];

pub(crate) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for m in ctx.matches_of("identity.anonymous") {
        let span = ctx.span_of(m);
        let mut f = ctx.finding(
            Guideline::Identity,
            "identity.anonymous",
            Severity::Warning,
            vec![span],
            &[("terms", &ctx.quote(&[span]))],
        );
        f.fix = ctx.fix("identity.anonymous.fix", &[]);
        out.push(f);
    }
    if !ctx.settings.signature_required || is_signed(ctx) {
        return;
    }
    let end = ctx.tweet.text.trim_end().len();
    let mut f = ctx.finding(
        Guideline::Identity,
        "identity.signature",
        Severity::Warning,
        vec![Span { start: end, end }],
        &[],
    );
    f.fix = match &ctx.settings.signature {
        Some(sig) => ctx.fix("identity.signature.fix", &[("signature", sig)]),
        None => ctx.fix("identity.signature.fix-unknown", &[]),
    };
    out.push(f);
}

/// Whether the tweet ends with a signature, once trailing links, hashtags and emoji are set
/// aside (`… ^SG https://…` is signed).
fn is_signed(ctx: &Context<'_>) -> bool {
    let text = ctx.tweet.text;
    let mut words: Vec<&str> = text
        .split_whitespace()
        .filter(|w| {
            !w.starts_with('#')
                && !w.starts_with("http")
                && (w.chars().any(char::is_alphanumeric) || w.chars().all(|c| MARKS.contains(&c)))
        })
        .collect();
    // Drop trailing links recognised without a scheme (`acme.ca/blog`).
    while let Some(last) = words.last() {
        let offset = last.as_ptr() as usize - text.as_ptr() as usize;
        if ctx.tweet.in_url(offset) {
            words.pop();
        } else {
            break;
        }
    }
    if let Some(own) = ctx.settings.signature.as_deref() {
        let own = own.trim();
        if !own.is_empty()
            && words
                .last()
                .is_some_and(|w| w.trim_end_matches(is_trailing) == own)
        {
            return true;
        }
    }
    match words.as_slice() {
        [.., mark, name] if mark.chars().all(|c| MARKS.contains(&c)) && mark.len() <= 3 => {
            is_name(name)
        }
        [.., last] => {
            let mut chars = last.chars();
            chars.next().is_some_and(|c| MARKS.contains(&c)) && is_name(chars.as_str())
        }
        [] => false,
    }
}

fn is_trailing(c: char) -> bool {
    !c.is_alphanumeric()
}

/// Initials or a first name: 1 to 20 letters (dots and hyphens inside allowed).
fn is_name(s: &str) -> bool {
    let s = s.trim_end_matches(is_trailing);
    let letters = s.chars().filter(|c| c.is_alphabetic()).count();
    (1..=20).contains(&letters) && s.chars().all(|c| c.is_alphabetic() || c == '.' || c == '-')
}

/// The signature a member gets until they register their own: `^` and the initials of their
/// display name (`Sylvain Grand'Maison` gives `^SG`).
pub fn default_signature(display_name: &str) -> String {
    let initials: String = display_name
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter_map(|w| w.chars().find(|c| c.is_alphabetic()))
        .flat_map(char::to_uppercase)
        .take(3)
        .collect();
    if initials.is_empty() {
        String::new()
    } else {
        format!("^{initials}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_of_a_display_name() {
        assert_eq!(default_signature("Sylvain Grandmaison"), "^SG");
        assert_eq!(default_signature("marie-ève tremblay"), "^MÈT");
        assert_eq!(default_signature("🙂"), "");
    }
}
