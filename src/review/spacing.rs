//! `spelling.missing-space`: two words run together where a space went missing, the typo a
//! dictionary cannot see word by word: after the end of a sentence (`station.L'incident`,
//! `journée.Merci`) or between a number and a word (`30days`, `2trains`, `ligne7`).

use super::text::Token;
use super::{spelling, Context, Finding, Guideline, Severity, Span};

/// What may follow a number without a space: units, ordinals, times (`10h30`, `3rd`, `2e`).
/// And approximate numbers, `40aine` for `quarantaine`.
const NUMBER_SUFFIXES: [&str; 46] = [
    "st", "nd", "rd", "th", "e", "er", "ers", "re", "res", "eres", "ères", "eme", "ème", "ieme",
    "ième", "h", "min", "mn", "s", "sec", "km", "m", "cm", "mm", "kg", "g", "mg", "l", "ml", "go",
    "gb", "mo", "mb", "ko", "kb", "am", "pm", "k", "md", "bis", "ter", "x", "j", "a", "aine",
    "aines",
];

/// A common word of four letters or more in lower case, then one or two digits, alone
/// (`la ligne7.`, `semaine2`): the number it names lost its space. Not a name with a number
/// (`covid19`, `windows10`: `words.toml`), a code (`ab12`), a year (`mars2020`), a file or an
/// address (`image2.png`, `page2/`).
fn word_then_number(ctx: &Context<'_>, tok: &Token, word: &str) -> bool {
    let letters = word.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits = word.len() - letters.len();
    if !(1..=2).contains(&digits)
        || letters.chars().count() < 4
        || !letters.chars().all(char::is_lowercase)
        || ctx.tweet.in_url(tok.start)
    {
        return false;
    }
    let text = ctx.tweet.text;
    let before = text[..tok.start].chars().next_back();
    let mut after = text[tok.end..].chars();
    let next = after.next();
    if before.is_some_and(|c| matches!(c, '/' | '.' | '_' | '-' | '@' | '#' | '\\'))
        || next.is_some_and(|c| matches!(c, '/' | '_' | '-' | '@' | '\\'))
        // `image2.png`, but `ligne7.Bonne soirée`: a dot then lower case is a file or a domain.
        || (next == Some('.') && after.next().is_some_and(char::is_lowercase))
    {
        return false;
    }
    !spelling::is_numbered_name(letters)
        && (spelling::is_common_word(ctx.lang, letters)
            || spelling::is_common_word(ctx.lang.other(), letters))
}

pub(crate) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let t = ctx.tweet;
    let text = t.text;
    let mut spans = Vec::new();
    for (i, tok) in t.tokens.iter().enumerate() {
        if tok.in_hashtag {
            continue;
        }
        let word = &text[tok.start..tok.end];
        // A number glued to a word: `30days`, not `10h30`, `3rd`, `4G`, `A1`.
        let digits = word.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && digits < word.len() {
            let rest = &word[digits..];
            let letters_only = rest.chars().all(char::is_alphabetic);
            let lower = rest.chars().all(char::is_lowercase);
            if letters_only
                && lower
                && rest.chars().count() >= 3
                && !NUMBER_SUFFIXES.contains(&rest)
            {
                spans.push(Span {
                    start: tok.start,
                    end: tok.end,
                });
            }
        }
        // A word glued to the number after it: `ligne7`, `semaine2`.
        if word_then_number(ctx, tok, word) {
            spans.push(Span {
                start: tok.start,
                end: tok.end,
            });
        }
        // A sentence end glued to the next word: `station.L'incident`, `journée.Merci`.
        let Some(next) = t.tokens.get(i + 1) else {
            continue;
        };
        let gap = &text[tok.end..next.start];
        let next_word = &text[next.start..next.end];
        if (gap == "." || gap == "!" || gap == "?")
            && tok.letters >= 2
            && (next.letters >= 2 || text[next.end..].starts_with(['\'', '’']))
            && word.chars().all(char::is_alphabetic)
            && next_word.chars().next().is_some_and(char::is_uppercase)
            && next_word.chars().skip(1).all(char::is_lowercase)
            && word.chars().last().is_some_and(char::is_lowercase)
            && !t.in_url(tok.start)
            // `…today?Tom`: a sign-off glued to the last sentence is a signature, not a typo.
            && i + 2 < t.tokens.len()
        {
            spans.push(Span {
                start: tok.start,
                end: next.end,
            });
        }
    }
    if spans.is_empty() {
        return;
    }
    let terms = ctx.quote(&spans);
    let mut f = ctx.finding(
        Guideline::Spelling,
        "spelling.missing-space",
        Severity::Warning,
        spans,
        &[("terms", &terms)],
    );
    f.fix = ctx.fix("spelling.missing-space.fix", &[]);
    out.push(f);
}

#[cfg(test)]
mod tests {
    use crate::review::{review, History, Settings};

    fn flags(text: &str) -> bool {
        review(text, &Settings::default(), &History::default())
            .findings
            .iter()
            .any(|f| f.rule == "spelling.missing-space")
    }

    #[test]
    fn a_sentence_glued_to_the_next_is_a_missing_space() {
        assert!(flags(
            "Le trafic est rétabli en station.L'incident est terminé ^SG"
        ));
        assert!(flags("Merci pour votre message.Bonne journée ^SG"));
        assert!(flags("Thanks for your patience.Have a nice day ^SG"));
        assert!(!flags(
            "Voir https://example.com/page.Html pour le détail ^SG"
        ));
        assert!(!flags("Le train part à 10h30. Bonne journée ^SG"));
        assert!(!flags("Les U.S. et le Canada ^SG"));
        assert!(!flags("@tom Was the flight today?Tom"));
    }

    #[test]
    fn a_number_glued_to_a_word_is_a_missing_space() {
        assert!(flags("Please allow 30days for a response ^SG"));
        assert!(flags("Cela fait 2trains par heure ^SG"));
        for fine in [
            "Rendez-vous à 10h30 ^SG",
            "Le 3rd floor ^SG",
            "Le 2e étage ^SG",
            "En 4G ^SG",
            "Ligne A1 ^SG",
            "500km de voies ^SG",
            "Les 1ers trains ^SG",
            "Une interruption d'une 40aine de minutes ^SG",
        ] {
            assert!(!flags(fine), "{fine}");
        }
    }

    #[test]
    fn a_word_glued_to_the_number_after_it_is_a_missing_space() {
        assert!(flags("Le trafic est normal sur la ligne7.Bonne soirée ^SG"));
        assert!(flags(
            "Les travaux durent jusqu'à la semaine2 du chantier ^SG"
        ));
        assert!(flags("Your order ships in batch2 next week ^SG"));
        for fine in [
            // Names and codes with their number, years, files, links, tags.
            "Les mesures covid19 restent en vigueur ^SG",
            "Mettez à jour windows10 dès que possible ^SG",
            "Le code promo noel24 est valable ^SG",
            "Rendez-vous en mars2020 ^SG",
            "Voir le fichier image2.png ^SG",
            "Retrouvez la page sur exemple.fr/ligne7 ^SG",
            "Suivez #ligne7 pour le trafic ^SG",
            "See the Office365 docs ^SG",
        ] {
            assert!(!flags(fine), "{fine}");
        }
    }
}
