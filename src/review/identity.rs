//! `identity`: whoever tweets for the company says who they are (`^SG`, `-Sylvain`).

use super::lexicon::Lexicon;
use super::names::{is_capitalised, is_first_name};
use super::text::fold;
use super::{Context, Finding, Guideline, Language, Severity, Span};

/// Signature marks the article's community uses before initials or a first name.
const MARKS: [char; 8] = ['^', '~', '/', '*', '-', '–', '—', '='];

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
    if !ctx.settings.signature_required || ctx.tweet.is_retweet() || is_signed(ctx) {
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

/// Whether someone signs the tweet: a mark and initials or a name at the end (`^SG`,
/// `- Kirsten 2/2`, `….^Jo`), a bare first name closing it (`Bonne journée. Margo`, `Merci,
/// Fred.`), or a named self-introduction anywhere (`c'est Paul qui vous répond`).
pub(crate) fn is_signed(ctx: &Context<'_>) -> bool {
    let words = closing_words(ctx);
    if let Some(own) = ctx.settings.signature.as_deref() {
        // Both sides without trailing punctuation: `(ML)` signs `… merci (ML)` and `… (ML).`
        let own = own.trim().trim_end_matches(is_trailing);
        if !own.is_empty()
            && words
                .last()
                .is_some_and(|w| w.trim_end_matches(is_trailing).ends_with(own))
        {
            return true;
        }
    }
    marked_signature(&words) || closing_name(ctx, &words) || introduces_someone(ctx)
}

/// The tweet's last three words up to its last one that can sign: links, hashtags, emoji and
/// thread counters (`2/2`, `(1/3)`) after a signature don't unsign it. Only the end of the
/// tweet can sign, so the words are read from the end and the rest is never visited.
fn closing_words<'t>(ctx: &Context<'t>) -> Vec<&'t str> {
    let text = ctx.tweet.text;
    let mut words: Vec<&str> = text
        .split_whitespace()
        .rev()
        .filter(|w| {
            !w.starts_with('#')
                && !ctx.tweet.in_url(offset_in(text, w))
                && (w.chars().any(char::is_alphanumeric) || w.chars().all(|c| MARKS.contains(&c)))
        })
        .skip_while(|w| is_counter(w))
        .take(3)
        .collect();
    words.reverse();
    words
}

/// Where a slice of `text` starts in it.
fn offset_in(text: &str, part: &str) -> usize {
    part.as_ptr() as usize - text.as_ptr() as usize
}

/// A thread counter: `2/2`, `(1/3)`, `[2/3]`.
fn is_counter(word: &str) -> bool {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '/');
    match w.split_once('/') {
        Some((a, b)) => {
            !a.is_empty()
                && !b.is_empty()
                && a.bytes().all(|c| c.is_ascii_digit())
                && b.bytes().all(|c| c.is_ascii_digit())
        }
        None => false,
    }
}

/// Marks made for signing (`^SG`, `~SG`, `*SG`, `= JJ`): whatever name follows signs. A dash
/// or a slash also joins words (`Pont - Neuf`, `A1-Brossard`), so after them only a known
/// first name or initials sign (`- Kirsten`, `-Sylvain`, `/SG`).
fn is_signing_mark(mark: char) -> bool {
    matches!(mark, '^' | '~' | '*' | '=')
}

/// A signature mark before initials or a name: `^SG`, `*NG`, `-Sylvain`, `- Kirsten`, `= JJ`,
/// also glued to what comes before (`….^Jo`, `…2/2^ML`).
fn marked_signature(words: &[&str]) -> bool {
    let signs = |mark: char, name: &str| {
        if is_signing_mark(mark) {
            is_name(name)
        } else {
            let name = name.trim_end_matches(is_trailing);
            is_known_name(name)
                || is_initials(name)
                || (name.chars().count() == 1 && name.chars().all(char::is_uppercase))
        }
    };
    match words {
        [.., mark, name]
            if mark.chars().all(|c| MARKS.contains(&c)) && mark.chars().count() <= 3 =>
        {
            mark.chars().next().is_some_and(|m| signs(m, name))
        }
        [.., last] => {
            let last = last.trim_end_matches(is_trailing);
            let Some((at, mark)) = last.char_indices().rev().find(|(_, c)| MARKS.contains(c))
            else {
                return false;
            };
            let name = &last[at + mark.len_utf8()..];
            let glued_ok = match last[..at].chars().next_back() {
                None => true,
                // `merci^SG`; but `and/or`, `Saint-Michel` are words.
                Some(c) if c.is_alphabetic() => mark == '^',
                // `2/2^ML`; but `A1-Brossard` is a code.
                Some(c) if c.is_numeric() => is_signing_mark(mark),
                // `….^Jo`, `!-Paul`.
                Some(_) => true,
            };
            glued_ok && signs(mark, name)
        }
        [] => false,
    }
}

/// Words that close a message before the writer's name (`Merci, Fred.`, `Bien à vous, Inès`).
const CLOSINGS: [&str; 16] = [
    "merci",
    "cordialement",
    "vous",
    "journee",
    "soiree",
    "bientot",
    "thanks",
    "thank",
    "cheers",
    "regards",
    "best",
    "care",
    "day",
    "evening",
    "weekend",
    "bonne",
];

/// A bare first name (or capital initials) closing the tweet after a sentence or a closing
/// formula: `… Bonne journée. Margo`, `Merci, Fred.`, `… assist you better. Tere`, also glued
/// (`…today?Tom`). In a reply, any capitalised word in that place that is not a common closing
/// word (`Merci`, `Enjoy`) is taken as the agent's name: names are more varied than any list.
fn closing_name(ctx: &Context<'_>, words: &[&str]) -> bool {
    let [.., before, last] = words else {
        return false;
    };
    let text = ctx.tweet.text;
    let last = last.trim_end_matches(['.', '!', ')']);
    // Glued after the end of a sentence: `today?Tom`, `journée.Yvson`.
    let glued = last
        .char_indices()
        .rev()
        .find(|(_, c)| matches!(c, '.' | '!' | '?' | '…'))
        .map(|(i, c)| i + c.len_utf8())
        .filter(|&i| i > 0 && i < last.len());
    let name = glued.map_or(last, |i| &last[i..]);
    if name.is_empty() || !name.chars().all(|c| c.is_alphabetic() || c == '-') {
        return false;
    }
    let listed = is_known_name(name)
        || name
            .char_indices()
            .next_back()
            .is_some_and(|(i, c)| c.is_uppercase() && i > 0 && is_known_name(&name[..i]));
    let at = offset_in(text, name);
    let common = ctx
        .tweet
        .tokens
        .iter()
        .position(|t| t.start == at)
        .is_some_and(|i| ctx.matches_of("identity.not-a-name").any(|m| m.first == i));
    let lenient = ctx.is_reply() && looks_like_a_name(name) && !common;
    if !(listed || is_initials(name) || lenient) || common {
        return false;
    }
    // `… 20h30. #stminfo F`: a letter after a hashtag belongs to it.
    if text[..at]
        .split_whitespace()
        .next_back()
        .is_some_and(|w| w.starts_with('#'))
    {
        return false;
    }
    // Anything but spaces between the last sentence and the name separates them: a full stop,
    // an emoji, a link, a line break.
    let gap = &text[offset_in(text, before) + before.len()..at];
    let separated = glued.is_some()
        || !gap.trim().is_empty()
        || before.ends_with(['.', '!', '?', '…', ')'])
        || !before.chars().any(char::is_alphanumeric);
    // `Merci, Fred.`, `Bonne soirée Néo`, `Have a great day, Tom`.
    let after_closing = (listed || lenient)
        && CLOSINGS.contains(&fold(before.trim_end_matches(is_trailing)).as_str())
        || before.ends_with(',') && listed;
    separated || after_closing
}

/// A known first name, capitalised (`Margo`, `Marie-Ève`).
fn is_known_name(word: &str) -> bool {
    is_capitalised(word)
        && fold(word)
            .split('-')
            .all(|part| !part.is_empty() && is_first_name(part))
}

/// Initials in capitals (`JC`, `SG`), not an acronym (`CEO`, `RER`).
fn is_initials(word: &str) -> bool {
    let word = word.trim_end_matches(is_trailing);
    let folded = fold(word);
    (2..=4).contains(&word.chars().count())
        && word.chars().all(char::is_uppercase)
        && !Lexicon::builtin(Language::Fr).is_acronym(&folded)
        && !Lexicon::builtin(Language::En).is_acronym(&folded)
}

/// A capitalised word of 2 to 12 letters, the rest lower case (`Yvson`, `Jools`).
fn looks_like_a_name(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase)
        && (2..=12).contains(&word.chars().count())
        && chars.all(char::is_lowercase)
}

/// A named self-introduction: `c'est Paul qui vous répond`, `Marc et Adam à vos côtés`,
/// `I'm Sam from the team`.
fn introduces_someone(ctx: &Context<'_>) -> bool {
    let t = ctx.tweet;
    let is_named = |i: usize| {
        t.tokens.get(i).is_some_and(|tok| {
            is_capitalised(t.slice(tok.start, tok.end)) && is_first_name(t.word(i))
        })
    };
    // `Laurent de la #RATP vous informe`, `Sam from @AcmeHelp`: a name and the team's tag.
    // The joining word first: a string comparison, where a name is a table look-up.
    let of_the_team = (0..t.tokens.len()).any(|i| {
        matches!(
            t.tokens.get(i + 1).map(|_| t.word(i + 1)),
            Some("de" | "du" | "from")
        ) && is_named(i)
            && {
                let from = t.tokens[i + 1].end;
                let to = t.tokens.get(i + 4).map_or(t.text.len(), |tok| tok.start);
                let near = &t.text[from..to];
                near.split_whitespace()
                    .take(3)
                    .any(|w| w.starts_with(['#', '@']))
            }
    });
    of_the_team
        || ctx
            .matches_of("identity.intro")
            .any(|m| is_named(m.last + 1))
        || ctx
            .matches_of("identity.present")
            .any(|m| m.first > 0 && is_named(m.first - 1))
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
