//! `generosity`: talk about others and the field, welcome criticism, ask the community.

use super::text::fold;
use super::{Context, Finding, Guideline, Severity, Span};

pub(crate) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = Guideline::Generosity;
    for span in defensive(ctx) {
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
    if !ctx.is_reply() && ctx.promo.is_empty() && !ctx.tweet.mentions.is_empty() {
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
    if let Some(mut own) = self_talk(ctx) {
        own.sort_by_key(|s| s.start);
        own.dedup();
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

/// The defensive turns of a tweet, in text order. Denials and accusations (`c'est faux`,
/// `you're wrong`) count wherever they are; shifting the blame, lecturing and sarcasm (`la
/// ligne n'est pas responsable`, `as we already said`, `c'est pourtant écrit, non ?`) only in
/// an answer to someone: in a service notice, `beyond our control` is information, not a
/// rebuff.
fn defensive(ctx: &Context<'_>) -> Vec<Span> {
    let mut spans: Vec<Span> = ctx
        .matches_of("generosity.defensive")
        .map(|m| ctx.span_of(m))
        .collect();
    if ctx.is_reply() {
        spans.extend(ctx.matches_of("generosity.deflect").map(|m| ctx.span_of(m)));
        spans.extend(sarcastic_tags(ctx));
    }
    spans.sort_by_key(|s| s.start);
    // One finding per turn: overlapping terms (`n'est pas responsable` found by two
    // families) are one.
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last_mut() {
            Some(prev) if s.start < prev.end => prev.end = prev.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// A question tag after a statement of the obvious (`c'est pourtant affiché, non ?`, `it's
/// clearly written, right?`): the reader is told they should have known. A bare tag is a
/// real question (`vous êtes à Châtelet, non ?`), so the same sentence must also hold an
/// "obvious" word (`generosity.obvious`).
fn sarcastic_tags(ctx: &Context<'_>) -> Vec<Span> {
    let t = ctx.tweet;
    let mut out = Vec::new();
    for tag in ctx.matches_of("generosity.question-tag") {
        let (start, end) = (t.tokens[tag.first].start, t.tokens[tag.last].end);
        let asks = t.text[end..]
            .trim_start_matches([' ', '\u{a0}', '\u{202f}'])
            .starts_with(['?', '？']);
        let after_comma = t.text[..start].trim_end().ends_with([',', '…']);
        if !asks || !after_comma {
            continue;
        }
        let obvious = ctx
            .matches_of("generosity.obvious")
            .filter(|o| o.last < tag.first)
            .any(|o| {
                let between = t.slice(t.tokens[o.first].start, start);
                !between.contains(['.', '!', '?', ';', '\n'])
            });
        if obvious {
            out.push(Span { start, end });
        }
    }
    out
}

/// The company's references when the tweet only talks about itself, else `None`.
///
/// Two strengths of self-talk. What only concerns the company (`generosity.corporate`: results,
/// shareholders, its executives) stays self-talk even with a TV channel's @handle or an
/// imperative in it: only speaking to the reader (`vous`, `your`), asking something, or
/// naming others it serves (`communities`, `clients`) redeems it. Plain first-person talk
/// (`generosity.self`, the company's name) is self-talk only when nobody else is in the
/// tweet, @handles and French imperatives included.
fn self_talk(ctx: &Context<'_>) -> Option<Vec<Span>> {
    if ctx.tweet.is_retweet() || ctx.matches_of("generosity.service").next().is_some() {
        return None;
    }
    let reader = ctx.matches_of("generosity.reader").next().is_some();
    if reader || super::dialogue::asks_readers(ctx) {
        return None;
    }
    let corporate: Vec<Span> = ctx
        .matches_of("generosity.corporate")
        .map(|m| ctx.span_of(m))
        .collect();
    let mut own: Vec<Span> = ctx
        .matches_of("generosity.self")
        .map(|m| ctx.span_of(m))
        .collect();
    own.extend(
        ctx.company
            .iter()
            .copied()
            .filter(|s| in_running_text(ctx, *s)),
    );
    if ctx.matches_of("generosity.others").next().is_some() {
        return None;
    }
    if !corporate.is_empty() {
        own.extend(corporate);
        return Some(own);
    }
    // Someone else's @handle is someone else; the company's own handles are not.
    let others = ctx
        .tweet
        .mentions
        .iter()
        .any(|m| !ctx.company.iter().any(|o| o.start == m.start))
        || addresses_reader_by_verb(ctx)
        || hails_readers(ctx);
    (!own.is_empty() && !others).then_some(own)
}

/// Whether the tweet ends by hailing its readers (`We're back, witches.`, `On rouvre demain,
/// les amis !`): a plural noun set off by a comma at the very end is someone spoken to.
fn hails_readers(ctx: &Context<'_>) -> bool {
    let t = ctx.tweet;
    let Some(last) = t.tokens.iter().rposition(|tok| !tok.in_hashtag) else {
        return false;
    };
    let tok = &t.tokens[last];
    let word = t.word(last);
    let tail = &t.text[tok.end..];
    let in_tag = |pos: usize| t.hashtags.iter().any(|h| h.start <= pos && pos < h.end);
    let ends = tail.char_indices().all(|(i, c)| {
        let pos = tok.end + i;
        !c.is_alphanumeric() || t.in_url(pos) || in_tag(pos)
    }) && !tail.contains([',', ':', '?']);
    if !ends
        || word.len() < 4
        || !word.ends_with('s')
        || !t.text[tok.start..].starts_with(char::is_lowercase)
        || last == 0
    {
        return false;
    }
    // The comma right before the noun, or before its article (`les amis`, `my friends`).
    let comma_before = |i: usize| {
        i > 0
            && t.slice(t.tokens[i - 1].end, t.tokens[i].start)
                .contains(',')
    };
    comma_before(last)
        || (matches!(t.word(last - 1), "les" | "mes" | "chers" | "my" | "dear")
            && comma_before(last - 1))
}

/// Words ending in `-ez` that are not verbs in the `vous` form.
const NOT_VOUS_VERBS: &[&str] = &["chez", "assez", "rez", "nez", "lez", "sez"];

/// Whether a French tweet speaks to its reader through a verb alone: an imperative in the
/// `vous` form (`Découvrez`, `retrouvez-nous`, `écoutez notre podcast`) addresses the reader
/// as surely as `vous` does, unless it is a sales call. A capitalised `-ez` word inside a
/// sentence is a name (`Lopez`).
fn addresses_reader_by_verb(ctx: &Context<'_>) -> bool {
    if ctx.lang != super::Language::Fr {
        return false;
    }
    let t = ctx.tweet;
    t.tokens.iter().enumerate().any(|(i, tok)| {
        let w = t.word(i);
        if tok.in_hashtag || w.len() < 5 || !w.ends_with("ez") || NOT_VOUS_VERBS.contains(&w) {
            return false;
        }
        // A call to buy (`Achetez`, `profitez-en`) speaks to a wallet, not to a person.
        if ctx
            .promo
            .iter()
            .any(|p| p.span.start <= tok.start && tok.end <= p.span.end)
        {
            return false;
        }
        let lower = t.text[tok.start..].starts_with(char::is_lowercase);
        let opens_sentence = i == 0
            || t.slice(t.tokens[i - 1].end, tok.start)
                .contains(['.', '!', '?', ':', '\n', ']', '»', '"']);
        lower || opens_sentence
    })
}

/// Whether a company mention is part of a sentence, not a tag (`… #RATP #Ligne6` at the end,
/// or tagging the subject of someone else's news). A $cashtag opening the tweet is its
/// subject (`$YUM reports …`, investor relations), one elsewhere a tag; after an indefinite
/// article the name is a shop or a product (`they built a KFC in Minecraft`), not the
/// company speaking of itself.
fn in_running_text(ctx: &Context<'_>, span: Span) -> bool {
    let text = ctx.tweet.text;
    let sigil = text[..span.start].chars().next_back();
    let before = ctx
        .tweet
        .tokens
        .iter()
        .rposition(|t| t.end <= span.start)
        .filter(|&i| text[ctx.tweet.tokens[i].end..span.start].trim().is_empty());
    if before.is_some_and(|i| matches!(ctx.tweet.word(i), "a" | "an" | "un" | "une")) {
        return false;
    }
    match sigil {
        Some('$') => text[..span.start - 1].trim().is_empty(),
        Some('#' | '＃') => false,
        _ if text[span.start..].starts_with(['#', '＃']) => false,
        _ if text[span.start..].starts_with(['@', '＠']) => {
            let last_word = ctx
                .tweet
                .tokens
                .iter()
                .rev()
                .find(|t| !t.in_hashtag)
                .map_or(0, |t| t.end);
            span.start < last_word
        }
        _ => true,
    }
}

/// Small words an acronym skips when spelled out (`Régie Autonome des Transports Parisiens`).
const ACRONYM_GLUE: &[&str] = &[
    "de", "des", "du", "d", "la", "le", "les", "l", "of", "the", "and", "et",
];

/// Where a company that goes by an acronym (`KFC`) is named in full from word `i` (`Kentucky
/// Fried Chicken`): capitalised words whose initials spell it, joined by spaces or hyphens.
/// Returns the last word of the name.
fn spelled_out(t: &super::text::Tweet<'_>, i: usize, letters: &[u8]) -> Option<usize> {
    let capital = |k: usize| t.text[t.tokens[k].start..].starts_with(char::is_uppercase);
    let mut k = i;
    let mut found = 0;
    while found < letters.len() {
        let tok = t.tokens.get(k)?;
        if k > i
            && !t.text[t.tokens[k - 1].end..tok.start]
                .chars()
                .all(|c| c == ' ' || c == '-')
        {
            return None;
        }
        let w = t.word(k);
        if capital(k) && w.as_bytes().first() == Some(&letters[found]) {
            found += 1;
        } else if found == 0 || !ACRONYM_GLUE.contains(&w) {
            return None;
        }
        k += 1;
    }
    Some(k - 1)
}

/// Country and region words a brand's local accounts add to its name (`@KFC_India`,
/// `@PizzaHutUK`, `@tacobellcanada`).
const REGIONS: &[&str] = &[
    "india",
    "canada",
    "france",
    "usa",
    "australia",
    "japan",
    "china",
    "mexico",
    "brasil",
    "brazil",
    "spain",
    "espana",
    "italia",
    "italy",
    "germany",
    "deutschland",
    "philippines",
    "nigeria",
    "kenya",
    "africa",
    "asia",
    "europe",
    "europa",
    "arabia",
    "malaysia",
    "singapore",
    "thailand",
    "indonesia",
    "pakistan",
    "ireland",
    "scotland",
    "quebec",
    "belgique",
    "suisse",
    "nz",
    "aus",
    "global",
    "news",
    "help",
    "support",
    "care",
    "jobs",
    "careers",
    "in",
    "uk",
    "us",
    "fr",
    "ca",
    "sa",
    "au",
    "ie",
    "de",
    "es",
    "it",
    "jp",
    "ph",
    "mx",
    "br",
    "za",
    "ng",
    "ke",
    "sg",
    "ae",
    "qc",
    "be",
    "ch",
    "nl",
];

/// Whether an @handle is one of the company's local or service accounts: a name of the
/// company followed by `_…`, a country code (`in`, `uk`) or a region or service word. The
/// name alone with any ending is not enough: `@yummly` is not Yum.
fn is_own_variant(handle: &str, name: &str) -> bool {
    let Some(rest) = handle.strip_prefix(name) else {
        return false;
    };
    rest.is_empty() || rest.starts_with('_') || REGIONS.contains(&rest)
}

/// Where the company names itself: its names (the `company` setting, several separated by
/// commas: `Yum! Brands, KFC`) word for word, as a #hashtag or $cashtag too, and its own
/// @handles (`own_handles`, a handle that is one of its names: `@AXA`, or one of its local
/// accounts: `@KFC_India`), and an acronym name spelled out (`Kentucky Fried Chicken` for
/// `KFC`). In text order.
pub(crate) fn company_mentions(ctx: &Context<'_>) -> Vec<Span> {
    let mut out = Vec::new();
    let names: Vec<Vec<String>> = ctx
        .settings
        .company
        .as_deref()
        .unwrap_or("")
        .split([',', ';'])
        .map(|name| {
            fold(name)
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|words| !words.is_empty())
        .collect();
    let t = ctx.tweet;
    let n = t.tokens.len();
    for words in &names {
        out.extend(
            (0..n.saturating_sub(words.len() - 1))
                .filter(|&i| words.iter().enumerate().all(|(k, w)| t.word(i + k) == *w))
                .map(|i| ctx.token_span(i, i + words.len() - 1)),
        );
    }
    for acronym in ctx
        .settings
        .company
        .as_deref()
        .unwrap_or("")
        .split([',', ';'])
        .map(str::trim)
        .filter(|a| (3..=6).contains(&a.len()) && a.chars().all(|c| c.is_ascii_uppercase()))
    {
        let letters = acronym.to_ascii_lowercase();
        out.extend(
            (0..n).filter_map(|i| {
                spelled_out(t, i, letters.as_bytes()).map(|j| ctx.token_span(i, j))
            }),
        );
    }
    for m in &t.mentions {
        let handle = fold(&m.name);
        let own = ctx
            .settings
            .own_handles
            .iter()
            .any(|h| fold(h.trim_start_matches('@')) == handle)
            || names
                .iter()
                .any(|words| is_own_variant(&handle, &words.concat()));
        if own {
            out.push(Span {
                start: m.start,
                end: m.end,
            });
        }
    }
    out.sort_by_key(|s| s.start);
    out
}

#[cfg(test)]
mod tests {
    use crate::review::{review, History, Settings};

    fn rules(text: &str, company: Option<&str>) -> Vec<String> {
        let s = Settings {
            company: company.map(str::to_string),
            ..Settings::default()
        };
        review(text, &s, &History::default())
            .findings
            .into_iter()
            .map(|f| f.rule)
            .filter(|r| r.starts_with("generosity.") && r != "generosity.about-others")
            .collect()
    }

    fn defensive(text: &str) -> bool {
        rules(text, None)
            .iter()
            .any(|r| r == "generosity.defensive")
    }

    fn self_talk(text: &str, company: Option<&str>) -> bool {
        rules(text, company)
            .iter()
            .any(|r| r == "generosity.self-talk")
    }

    #[test]
    fn shifting_the_blame_in_an_answer_is_defensive() {
        assert!(defensive(
            "@lea Le contrat est entre vous et le vendeur, qui n'est nullement responsable ici."
        ));
        assert!(defensive("@lea La ligne n'est pas responsable du retard."));
        assert!(defensive(
            "@lea C'est la mairie qui décide des horaires d'éclairage."
        ));
        assert!(defensive(
            "@sam The warranty is between you and the store where you bought it."
        ));
        assert!(defensive(
            "@sam Our drivers are not in any way responsible for that."
        ));
        assert!(defensive(
            "@sam It was the city that controlled the detour, not our team."
        ));
        // Saying who handles it on the company's side shifts nothing.
        assert!(!defensive(
            "@lea C'est notre équipe qui gère votre dossier, on revient vers vous."
        ));
        assert!(!defensive(
            "@sam Our station manager is responsible for this and will call you back."
        ));
    }

    #[test]
    fn beyond_our_control_informs_in_a_notice_and_rebuffs_in_an_answer() {
        assert!(!defensive(
            "Pour des raisons indépendantes de notre volonté, le départ de 8h10 est supprimé."
        ));
        assert!(!defensive(
            "For reasons beyond our control, the 8:10 departure is cancelled."
        ));
        assert!(defensive(
            "@lea C'était indépendant de notre volonté, nous n'y pouvons rien."
        ));
        assert!(defensive("@sam That was beyond our control."));
    }

    #[test]
    fn a_question_tag_after_the_obvious_is_sarcasm() {
        assert!(defensive("@lea Le message est pourtant clair, non ?"));
        assert!(defensive("@lea C'est affiché sur tous les quais, non ?"));
        assert!(defensive("@sam The sign is pretty clear, right?"));
        assert!(defensive("@sam It's written on your ticket, isn't it?"));
        // A real question, or nothing obvious in the sentence.
        assert!(!defensive(
            "@lea Vous êtes bien à la gare du Nord, non ? On regarde."
        ));
        assert!(!defensive(
            "@sam You're at Union Station, right? We'll check."
        ));
        assert!(!defensive(
            "@lea Est-ce clair ? Non ? Dites-nous ce qui manque."
        ));
    }

    #[test]
    fn daring_the_critic_and_lecturing_are_defensive() {
        assert!(defensive("@lea Si vous pensez faire mieux, postulez !"));
        assert!(defensive(
            "@lea Si vous pensez pouvoir faire mieux, nos offres d'emploi sont en ligne."
        ));
        assert!(defensive(
            "@sam If you think you can do it better, feel free to apply."
        ));
        assert!(defensive(
            "@lea Comme nous l'avons déjà dit, le remboursement prend 15 jours."
        ));
        assert!(defensive(
            "@sam As we have already said, refunds take 14 days."
        ));
        assert!(defensive("@lea Merci de rester poli."));
        assert!(defensive("@sam Calm down, please."));
    }

    #[test]
    fn incident_updates_and_thanks_are_not_self_talk() {
        assert!(!self_talk(
            "Power cut at the depot: our team is on its way.",
            None
        ));
        assert!(!self_talk(
            "We'll share this suggestion with our product team. ^SG",
            None
        ));
        assert!(!self_talk(
            "Nos agents sont en route vers la station. ^SG",
            None
        ));
        assert!(!self_talk(
            "Nos agents ont alerté les services de secours. ^SG",
            None
        ));
    }

    #[test]
    fn results_stay_self_talk_with_a_channel_handle_but_not_when_speaking_to_readers() {
        assert!(self_talk(
            "Our CEO joined @newsdesk this morning to discuss our quarterly results.",
            None
        ));
        assert!(self_talk(
            "Notre PDG était sur @radio ce matin pour commenter nos résultats annuels.",
            None
        ));
        assert!(!self_talk(
            "Our annual results are out: send us your questions!",
            None
        ));
        assert!(!self_talk(
            "Nos résultats annuels sont en ligne : vos questions sont les bienvenues.",
            None
        ));
        // An executive talking about the field is not self-talk.
        assert!(!self_talk(
            "Our CEO joined @newsdesk this morning to talk about the insurance industry.",
            None
        ));
    }

    #[test]
    fn readers_addressed_without_a_pronoun_are_readers() {
        // The French imperative is the `vous` form.
        assert!(!self_talk(
            "Découvrez notre nouveau podcast sur l'histoire du métro.",
            None
        ));
        assert!(self_talk(
            "Notre nouveau podcast sur l'histoire du métro est en ligne.",
            None
        ));
        // A capitalised -ez word inside a sentence is a name, not a verb.
        assert!(self_talk(
            "Notre chef Lopez a ouvert notre nouveau restaurant.",
            None
        ));
        // Hailing the readers at the end.
        assert!(!self_talk("We're back, witches.", None));
        assert!(!self_talk(
            "On rouvre demain notre atelier, les amis !",
            None
        ));
        // The inclusive "we" of everyone.
        assert!(!self_talk(
            "Each of our brains makes thousands of choices a day.",
            None
        ));
    }

    #[test]
    fn the_company_as_a_shop_or_a_cashtag() {
        // `a KFC` is a restaurant someone built, not the company speaking.
        assert!(!self_talk(
            "Someone built a Vélo Nord in Minecraft.",
            Some("Vélo Nord")
        ));
        assert!(self_talk(
            "Vélo Nord opens its tenth shop.",
            Some("Vélo Nord")
        ));
        // A cashtag opening the tweet is its subject; at the end it is a tag.
        assert!(self_talk("$VNRD posts record growth in Q3.", Some("VNRD")));
        assert!(!self_talk(
            "Great ride along the river this morning $VNRD",
            Some("VNRD")
        ));
    }

    #[test]
    fn an_acronym_spelled_out_is_the_company() {
        assert!(self_talk(
            "Vélo Nord Rental opens its tenth shop.",
            Some("VNR")
        ));
        assert!(self_talk(
            "La Régie Autonome des Transports Parisiens fête ses 75 ans.",
            Some("RATP")
        ));
        // Initials that merely match are not enough: the words must be capitalised and joined.
        assert!(!self_talk("very nice rides opened today.", Some("VNR")));
        assert!(!self_talk("Very. Nice. Rides.", Some("VNR")));
    }
}
