//! Spelling, a guideline of our own (`spelling.unknown-word`): every word of the tweet checked
//! against Hunspell dictionaries, French and English, with up to three suggestions.
//!
//! The dictionaries are Debian's (`dictionaries/README.md`). `build.rs` expands them into every
//! word form they accept (`expand.rs`), stored as FSTs in the binary, so a word costs a lookup
//! (`forms.rs`) and a process no parse; the dictionaries themselves are embedded too and parsed
//! (once per process and language) only for the rare word the forms leave to spellbook, English
//! ordinals. A test compares both word by word (`forms_tests.rs`).
//!
//! A tweet is not prose: most of what a dictionary does not know in it is not a typo. So the
//! check skips what a community manager would not call a misspelling: @handles, #hashtags and
//! links (the tokenizer already leaves them out), emoji, numbers and codes (any digit, all
//! capitals), brand casing (`iPhone`), a capitalised word mid-sentence (a proper noun), the
//! company's name, the signature, the team's known words, tweet shorthand and trade jargon (`words.toml`),
//! and a word the other language knows (tweets mix French and English freely). Elisions
//! (`l'`, `qu'`) are taken off, hyphenated compounds are checked whole, then part by part.
//! Two skips have their exception: words in capitals joined by an apostrophe are words, checked
//! in lower case (`AUJOURDH'HUI`), and a name one letter from a known name written in the same
//! tweet is that name misspelt (`Cercy` beside `Cergy`). Typos made of real words, which no
//! word-by-word check sees, are `phrases.rs`'s (`la la ligne`, `dés que`).

// Shared with build.rs, which uses the expansion; the lookup only needs its conditions.
#[allow(dead_code)]
mod expand;
mod forms;
mod phrases;
mod suggest;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock, RwLock};

use spellbook::Dictionary;
use unicode_normalization::UnicodeNormalization;

use super::lexicon::FastHash;
use super::text::Token;
use super::{Context, Finding, Guideline, Language, Severity, Span};

/// How many suggestions a finding proposes at most.
const MAX_SUGGESTIONS: usize = 3;

/// A dictionary: its expanded forms, the dictionary itself for the rare word they cannot
/// decide (parsed on first need), and the suggestions already searched in this process.
struct Speller {
    /// Every form the dictionary accepts (`build.rs`): the answer for almost every word.
    forms: forms::Forms,
    /// The dictionary itself, parsed on first need: words the forms cannot decide.
    aff: &'static str,
    dic: &'static str,
    dict: OnceLock<Dictionary>,
    /// This speller's place in the thread's memo.
    slot: usize,
    suggestions: RwLock<HashMap<Box<str>, Arc<[String]>>>,
    /// How many candidate words a suggestion may check.
    budget: usize,
}

/// Words remembered per language and thread, and misspellings whose suggestions are remembered:
/// adversarial input cannot grow them without bound.
const MEMO_CAP: usize = 50_000;
const SUGGESTION_CAP: usize = 20_000;
/// Longer words are not remembered: common words are short, and long ones are mostly noise.
const MEMO_LEN: usize = 16;

type Memo = HashMap<Box<str>, bool, foldhash::fast::RandomState>;

thread_local! {
    /// What each speller answered on this thread. Tweets repeat their words, and a hash
    /// lookup costs a fraction of a walk in the forms; per thread, so no lock. The answers
    /// never change, so the review stays pure.
    static MEMO: RefCell<[Memo; 2]> = RefCell::default();
}

impl Speller {
    fn new(
        fst: &'static [u8],
        tables: &str,
        aff: &'static str,
        dic: &'static str,
        slot: usize,
        budget: usize,
    ) -> Speller {
        Speller {
            forms: forms::Forms::new(fst, tables),
            aff,
            dic,
            dict: OnceLock::new(),
            slot,
            suggestions: RwLock::new(HashMap::new()),
            budget,
        }
    }

    /// The parsed dictionary.
    fn hunspell(&self) -> &Dictionary {
        self.dict.get_or_init(|| {
            Dictionary::new(self.aff, self.dic)
                .unwrap_or_else(|e| panic!("a built-in spelling dictionary is invalid: {e}"))
        })
    }

    /// Whether the dictionary knows the word (as written: case rules are Hunspell's).
    fn knows(&self, word: &str) -> bool {
        if word.len() > MEMO_LEN {
            return self.check(word);
        }
        let memo = MEMO.with(|m| m.borrow()[self.slot].get(word).copied());
        if let Some(known) = memo {
            return known;
        }
        let known = self.check(word);
        MEMO.with(|m| {
            let mut m = m.borrow_mut();
            if m[self.slot].len() < MEMO_CAP {
                m[self.slot].insert(word.into(), known);
            }
        });
        known
    }

    /// The answer without the memo: the forms, or the dictionary itself.
    fn check(&self, word: &str) -> bool {
        self.forms
            .check(word)
            .unwrap_or_else(|| self.hunspell().check(word))
    }

    /// Up to [`MAX_SUGGESTIONS`] known words one edit away, the likeliest edits first.
    fn suggest(&self, word: &str) -> Arc<[String]> {
        if let Some(s) = self
            .suggestions
            .read()
            .ok()
            .as_ref()
            .and_then(|m| m.get(word).cloned())
        {
            return s;
        }
        // The candidates' lookups, walking the word's first letters once (plain words).
        let prober = self.forms.prober(word, suggest::letters());
        let dead_from = prober.as_ref().map_or(usize::MAX, |p| p.dead_from());
        let found: Arc<[String]> =
            suggest::candidates(word, self.budget, dead_from, |w, kept| match &prober {
                Some(p) => p.knows(w, kept),
                None => self.check(w),
            })
            .into();
        if let Ok(mut m) = self.suggestions.write() {
            if m.len() < SUGGESTION_CAP {
                m.insert(word.into(), found.clone());
            }
        }
        found
    }
}

/// The French dictionary ("toutes variantes": classical and 1990 reform spellings both pass).
fn french() -> &'static Speller {
    static DICT: OnceLock<Speller> = OnceLock::new();
    DICT.get_or_init(|| {
        Speller::new(
            include_bytes!(concat!(env!("OUT_DIR"), "/fr.fst")),
            include_str!(concat!(env!("OUT_DIR"), "/fr.tables")),
            include_str!("dictionaries/fr.aff"),
            include_str!("dictionaries/fr.dic"),
            0,
            80,
        )
    })
}

/// The English dictionary: US words plus the Canadian ones (`colour`, `centre`).
fn english() -> &'static Speller {
    static DICT: OnceLock<Speller> = OnceLock::new();
    DICT.get_or_init(|| {
        Speller::new(
            include_bytes!(concat!(env!("OUT_DIR"), "/en.fst")),
            include_str!(concat!(env!("OUT_DIR"), "/en.tables")),
            include_str!("dictionaries/en.aff"),
            include_str!("dictionaries/en.dic"),
            1,
            2000,
        )
    })
}

/// Whether a word in lower case is a common word of the language (`gauche`, `vente`), as
/// opposed to a name or a code that only exists in capitals (`Versailles`, `GEPU`): capitals
/// on a common word shout, on a name they are the alert's house style.
pub(crate) fn is_common_word(lang: Language, lowercase: &str) -> bool {
    speller(lang).knows(lowercase)
}

/// Whether a word is the name part of a name with a number (`covid19`, `windows10`,
/// `words.toml`): glued to its number on purpose.
pub(crate) fn is_numbered_name(lowercase: &str) -> bool {
    lists().numbered_names.contains(lowercase)
}

fn speller(lang: Language) -> &'static Speller {
    match lang {
        Language::Fr => french(),
        Language::En => english(),
    }
}

type FastSet = HashSet<String, FastHash>;

/// The check's own word lists (`words.toml`), folded like the tweet's words.
struct Lists {
    /// Tweet shorthand and trade jargon, accepted.
    accepted: FastSet,
    /// A word after one of these is a name.
    greetings: FastSet,
    /// A period after one of these does not end the sentence.
    titles: FastSet,
    /// The longest of them, in bytes.
    longest_title: usize,
    /// Names that take their number without a space (`covid19`).
    numbered_names: FastSet,
}

fn lists() -> &'static Lists {
    static LISTS: OnceLock<Lists> = OnceLock::new();
    LISTS.get_or_init(|| {
        #[derive(serde::Deserialize)]
        struct Raw {
            accepted: Vec<String>,
            jargon: Vec<String>,
            greetings: Vec<String>,
            titles: Vec<String>,
            numbered_names: Vec<String>,
        }
        let raw: Raw = toml::from_str(include_str!("words.toml"))
            .unwrap_or_else(|e| panic!("built-in review/spelling/words.toml is invalid: {e}"));
        let set = |v: Vec<String>| v.iter().map(|w| fold(w)).collect::<FastSet>();
        let mut accepted = set(raw.accepted);
        accepted.extend(set(raw.jargon));
        let titles = set(raw.titles);
        Lists {
            accepted,
            greetings: set(raw.greetings),
            longest_title: titles.iter().map(String::len).max().unwrap_or(0),
            titles,
            numbered_names: set(raw.numbered_names),
        }
    })
}

/// French elided words that take an apostrophe (`l'`, `qu'`, `jusqu'`): what follows is the
/// word to check.
const ELISIONS: &[&str] = &[
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu",
    "quelqu",
];

/// English clitics after an apostrophe (`company's`, `we're`, `don't`): the word is before.
const CLITICS: &[&str] = &["s", "re", "ll", "ve", "d", "m", "t"];

/// One word to judge: tokens of the tweet joined by apostrophes or hyphens.
struct Group {
    /// Token indices, in order.
    first: usize,
    last: usize,
    /// Whether an apostrophe joins two of its tokens (a hyphen otherwise, when several).
    apostrophe: bool,
}

/// Check every word of the tweet; one finding per unknown word.
pub(crate) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let tweet = ctx.tweet;
    let tokens = &tweet.tokens;
    let mut unknown = Vec::new();
    let mut groups = 0usize;
    let mut i = 0;
    while i < tokens.len() {
        let g = group(tweet.text, tokens, i);
        i = g.last + 1;
        groups += 1;
        unknown.extend(unknown_words(ctx, &g));
        if unknown.len() > MAX_UNKNOWN {
            // Not French or English (another language, a code dump, noise): a spelling
            // review would only be noise, and each unknown word costs a full dictionary search.
            return;
        }
    }
    // A short text where unknown words are a large share is not one we spell either.
    if unknown.len() >= 3 && unknown.len() * 3 > groups {
        return;
    }
    for (n, (start, end)) in unknown.into_iter().enumerate() {
        out.push(finding(ctx, start, end, n < MAX_SUGGESTED));
    }
    // Typos made of real words, in a text we do spell.
    phrases::check(ctx, out);
}

/// Suggestions are searched for this many unknown words of a text at most: the search is the
/// expensive part of the check (each candidate is a dictionary lookup), so its cost per review
/// stays bounded whatever the text.
const MAX_SUGGESTED: usize = 2;

/// Words longer than this get no suggestions.
const MAX_SUGGESTED_LEN: usize = 18;

/// More unknown words than this in one text and the text is not one we can spell.
const MAX_UNKNOWN: usize = 4;

/// The group of tokens starting at `i`: joined while one apostrophe or hyphen sits between.
fn group(text: &str, tokens: &[Token], i: usize) -> Group {
    let mut g = Group {
        first: i,
        last: i,
        apostrophe: false,
    };
    if tokens[i].in_hashtag {
        return g;
    }
    while let Some(next) = tokens.get(g.last + 1) {
        if next.in_hashtag {
            break;
        }
        let gap = text.get(tokens[g.last].end..next.start).unwrap_or("");
        match gap {
            "'" | "’" => g.apostrophe = true,
            "-" | "‐" | "‑" => {}
            _ => break,
        }
        g.last += 1;
    }
    g
}

/// The byte spans of the unknown words of one group.
fn unknown_words(ctx: &Context<'_>, g: &Group) -> Vec<(usize, usize)> {
    let tweet = ctx.tweet;
    let tokens = &tweet.tokens;
    let first = &tokens[g.first];
    if first.in_hashtag || after_signature_mark(tweet.text, first.start) {
        return Vec::new();
    }
    if g.first == g.last {
        return match judge(ctx, g.first) {
            true => Vec::new(),
            false => vec![(first.start, first.end)],
        };
    }
    // The whole compound first: `aujourd'hui`, `peut-être`, `l'équipe`, `don't`.
    let whole = &tweet.text[first.start..tokens[g.last].end];
    let normalised = whole.replace('’', "'").replace(['‐', '‑'], "-");
    if known_anywhere(ctx, &normalised) {
        return Vec::new();
    }
    // In capitals every word is skipped as a code, but an apostrophe makes it words
    // (`AUJOURD'HUI`, `L'ÉQUIPE`): checked in lower case as a whole.
    if g.apostrophe
        && tokens[g.first..=g.last].iter().all(|t| t.all_caps)
        && !acronym_elided(tweet, g)
    {
        return match caps_typo(ctx, &normalised) {
            true => vec![(first.start, tokens[g.last].end)],
            false => Vec::new(),
        };
    }
    let mut unknown = Vec::new();
    for k in g.first..=g.last {
        let t = &tokens[k];
        let word = &tweet.folded[t.fstart..t.fend];
        let before = (k > g.first).then(|| gap_char(tweet.text, &tokens[k - 1], t));
        let after = (k < g.last).then(|| gap_char(tweet.text, t, &tokens[k + 1]));
        if g.apostrophe && after == Some('\'') && ELISIONS.contains(&word) {
            continue;
        }
        if g.apostrophe && before == Some('\'') && CLITICS.contains(&word) {
            continue;
        }
        if !judge(ctx, k) {
            unknown.push((t.start, t.end));
        }
    }
    unknown
}

/// The joiner between two tokens, apostrophes made plain.
fn gap_char(text: &str, a: &Token, b: &Token) -> char {
    match text.get(a.end..b.start).and_then(|s| s.chars().next()) {
        Some('’') => '\'',
        Some(c) => c,
        None => ' ',
    }
}

/// Whether `^` comes right before the word: a signature mark (`^SG`, `^Jo`).
fn after_signature_mark(text: &str, start: usize) -> bool {
    text[..start].ends_with('^')
}

/// Whether either dictionary knows the word as written.
fn known_anywhere(ctx: &Context<'_>, word: &str) -> bool {
    speller(ctx.lang).knows(word) || speller(ctx.lang.other()).knows(word)
}

/// Whether token `k` passes: skipped, or known to a dictionary.
fn judge(ctx: &Context<'_>, k: usize) -> bool {
    let tweet = ctx.tweet;
    let t = &tweet.tokens[k];
    let word = &tweet.text[t.start..t.end];
    if skipped(word, t) || glued(tweet.text, t) || abbreviated(tweet.text, t.end) {
        return true;
    }
    let folded = &tweet.folded[t.fstart..t.fend];
    // A capitalised word that is a name by its place: no dictionary needed. (A word of the
    // lists is no misspelt name either: `misspelt_name` says so.)
    let capitalised = word.chars().next().is_some_and(char::is_uppercase);
    if capitalised
        && (!sentence_start(tweet.text, t.start) || signs_off(tweet, k) || full_name(tweet, k))
    {
        return after_greeting(ctx, k) || misspelt_name(ctx, k).is_none();
    }
    let composed;
    let word = if !word.is_ascii() && word.chars().any(|c| matches!(c, '\u{0300}'..='\u{036F}')) {
        composed = word.nfc().collect::<String>();
        composed.as_str()
    } else {
        word
    };
    // The dictionary first: most words are in it, and the lists only matter for the others.
    if speller(ctx.lang).knows(word)
        || lists().accepted.contains(folded)
        || after_greeting(ctx, k)
        || in_setting(ctx.settings.company.as_deref(), folded)
        || in_setting(ctx.settings.signature.as_deref(), folded)
        || ctx.settings.is_known_word(word)
    {
        return true;
    }
    // Only now the other language (loaded on first need) and keyboard spellings.
    speller(ctx.lang.other()).knows(word) || known_respelled(ctx, word)
}

/// Whether words in capitals joined by an apostrophe are a typo: unknown in lower case, and
/// one edit (not an accent: capitals often go without) from a known word (`AUJOURDH'HUI`).
/// A name or a code in capitals is rarely one edit from a word, and never flagged otherwise.
fn caps_typo(ctx: &Context<'_>, normalised: &str) -> bool {
    let lower = normalised.to_lowercase();
    if known_anywhere(ctx, &lower) || known_unaccented(ctx.lang, &lower) {
        return false;
    }
    let folded = fold(&lower);
    let found = speller(ctx.lang).suggest(&lower);
    !found.is_empty() && found.iter().all(|w| fold(w) != folded)
}

/// An acronym with an elision or a clitic (`L'OVAL`, `D'URSSAF`, `NASA'S`): one word of six
/// letters or fewer once they are taken off, a code more often than a word.
fn acronym_elided(tweet: &super::text::Tweet<'_>, g: &Group) -> bool {
    let mut first = g.first;
    let mut last = g.last;
    if ELISIONS.contains(&tweet.word(first)) && first < last {
        first += 1;
    }
    if CLITICS.contains(&tweet.word(last)) && first < last {
        last -= 1;
    }
    first == last && tweet.tokens[first].letters <= 6
}

/// How many accented spellings [`known_unaccented`] may check.
const ACCENT_BUDGET: usize = 300;

/// Whether the word is known with up to two accents added (`l'ete` for `l'été`): capitals
/// drop them, so the lower case of a word in capitals may lack them.
fn known_unaccented(lang: Language, lower: &str) -> bool {
    const ACCENTED: &[(char, &[char])] = &[
        ('e', &['é', 'è', 'ê', 'ë']),
        ('a', &['à', 'â']),
        ('i', &['î', 'ï']),
        ('o', &['ô']),
        ('u', &['ù', 'û']),
        ('c', &['ç']),
    ];
    let chars: Vec<char> = lower.chars().collect();
    let variants = |c: char| {
        ACCENTED
            .iter()
            .find(|(plain, _)| *plain == c)
            .map_or(&[][..], |(_, v)| *v)
    };
    let places: Vec<usize> = (0..chars.len())
        .filter(|&i| !variants(chars[i]).is_empty())
        .collect();
    let mut budget = ACCENT_BUDGET;
    let mut word = chars.clone();
    let mut knows = |w: &[char]| {
        budget = budget.saturating_sub(1);
        budget > 0 && speller(lang).knows(&w.iter().collect::<String>())
    };
    for (n, &i) in places.iter().enumerate() {
        for &a in variants(chars[i]) {
            word[i] = a;
            if knows(&word) {
                return true;
            }
            for &j in &places[n + 1..] {
                for &b in variants(chars[j]) {
                    word[j] = b;
                    if knows(&word) {
                        return true;
                    }
                }
                word[j] = chars[j];
            }
        }
        word[i] = chars[i];
    }
    false
}

/// A capitalised word one edit from a name the dictionary knows, written right in the same
/// tweet (`gare de Cercy … entre Paris et Cergy`): the name misspelt once. The edit is never
/// the first letter (`Massy` and `Passy` are two towns), and both are five letters or more.
/// The name known, to propose as the fix.
fn misspelt_name<'t>(ctx: &Context<'t>, k: usize) -> Option<&'t str> {
    let tweet = ctx.tweet;
    let t = &tweet.tokens[k];
    let word = &tweet.text[t.start..t.end];
    if t.letters < 5 || t.all_caps {
        return None;
    }
    let known = |w: &str| known_anywhere(ctx, w);
    let initial = word.as_bytes()[0];
    let name = tweet
        .tokens
        .iter()
        .take(MAX_NAMES)
        // The token's own counts and first byte first: most words fail there.
        .filter(|o| {
            o.letters >= 5
                && o.letters.abs_diff(t.letters) <= 1
                && !o.all_caps
                && tweet.text.as_bytes()[o.start] == initial
        })
        .map(|o| &tweet.text[o.start..o.end])
        .find(|&o| o.chars().skip(1).all(char::is_lowercase) && one_edit(word, o) && known(o))?;
    let folded = &tweet.folded[t.fstart..t.fend];
    (!known(word)
        && !lists().accepted.contains(folded)
        && !ctx.settings.is_known_word(word)
        && !in_setting(ctx.settings.company.as_deref(), folded)
        && !in_setting(ctx.settings.signature.as_deref(), folded))
    .then_some(name)
}

/// Words of a tweet compared with a name: bounds the work on a long text.
const MAX_NAMES: usize = 200;

/// Whether `a` and `b` differ by exactly one edit after their first letter: one letter
/// replaced, added, removed, or two neighbours swapped.
fn one_edit(a: &str, b: &str) -> bool {
    if a == b {
        return false;
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if head == 0 {
        return false;
    }
    let (ra, rb) = (&a[head..], &b[head..]);
    match (ra.len(), rb.len()) {
        (x, y) if x == y => {
            ra[1..] == rb[1..] || (x >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        (x, y) if x == y + 1 => ra[1..] == *rb,
        (x, y) if y == x + 1 => rb[1..] == *ra,
        _ => false,
    }
}

/// Keyboard spellings of a known word: `oe` for `œ` (`coeur`), an unaccented capital
/// (`Ecole`, `Etat`): French typography allows the capital, keyboards make the ligature rare.
fn known_respelled(ctx: &Context<'_>, word: &str) -> bool {
    if word.contains("oe") && known_anywhere(ctx, &word.replace("oe", "œ")) {
        return true;
    }
    if ctx.lang != Language::Fr {
        return false;
    }
    let mut chars = word.chars();
    let accented: &[char] = match chars.next() {
        Some('E') => &['É', 'È', 'Ê'],
        Some('A') => &['À', 'Â'],
        Some('I') => &['Î'],
        Some('O') => &['Ô'],
        Some('C') => &['Ç'],
        _ => return false,
    };
    let rest = chars.as_str();
    accented
        .iter()
        .any(|c| speller(Language::Fr).knows(&format!("{c}{rest}")))
}

/// Whether the word is glued to something that is not a word: the end of a @handle longer
/// than a handle can be, a link, an e-mail address or a dotted name (`info.schengen`,
/// `J.Bonsergent`, `journée.Yvson`).
fn glued(text: &str, t: &Token) -> bool {
    let before = text[..t.start].chars().next_back();
    let after = text[t.end..].chars().next();
    if before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '@' | '/' | '\\'))
        || after.is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '@' | '/' | '°'))
    {
        return true;
    }
    let dotted_before = before == Some('.')
        && text[..t.start - 1]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
    let dotted_after = after == Some('.')
        && text[t.end + 1..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric);
    dotted_before || dotted_after
}

/// An abbreviation: a period after the word, then the sentence goes on in lower case
/// (`interv. des services`, `le service rég. reprend`).
fn abbreviated(text: &str, end: usize) -> bool {
    let Some(rest) = text[end..].strip_prefix('.') else {
        return false;
    };
    let rest = rest.trim_start_matches(' ');
    rest.len() < text.len() - end - 1
        && rest
            .chars()
            .next()
            .is_some_and(|c| c.is_lowercase() || c == ',')
}

/// A word right after a greeting is the name of the person greeted (`Bonjour keops`).
fn after_greeting(ctx: &Context<'_>, k: usize) -> bool {
    let tweet = ctx.tweet;
    let Some(prev) = k.checked_sub(1).map(|p| &tweet.tokens[p]) else {
        return false;
    };
    let gap = &tweet.text[prev.end..tweet.tokens[k].start];
    gap.chars().all(|c| c.is_whitespace() || c == ',')
        && lists()
            .greetings
            .contains(&tweet.folded[prev.fstart..prev.fend])
}

/// A first name followed by a surname (`Rafaël Stofer, responsable …`): a person, even at the
/// start of a sentence.
fn full_name(tweet: &super::text::Tweet<'_>, k: usize) -> bool {
    let Some(next) = tweet.tokens.get(k + 1) else {
        return false;
    };
    let surname = &tweet.text[next.start..next.end];
    &tweet.text[tweet.tokens[k].end..next.start] == " "
        && !next.all_caps
        && surname.chars().next().is_some_and(char::is_uppercase)
        && !surname.chars().skip(1).any(char::is_uppercase)
}

/// A sign-off: the tweet's last word, apart from hashtags, links and emoji (`Bonne journée.
/// Margo`, `Thanks! Tere`). First names are no dictionary's business.
fn signs_off(tweet: &super::text::Tweet<'_>, k: usize) -> bool {
    tweet.tokens[k + 1..].iter().all(|t| t.in_hashtag)
}

/// What is never a spelling matter: one letter, numbers and codes (any digit), acronyms and
/// codes in capitals, brand casing with a capital inside (`iPhone`, `PayPal`), other scripts.
fn skipped(word: &str, t: &Token) -> bool {
    if t.letters < 2 || t.all_caps {
        return true;
    }
    // One pass over the word (bytes when it is ASCII, as most are): its letters, a capital
    // after the first character, a digit or a letter of another script.
    let alphabetic = if word.is_ascii() {
        let mut alphabetic = 0;
        for (i, &c) in word.as_bytes().iter().enumerate() {
            match c {
                b'a'..=b'z' => alphabetic += 1,
                b'A'..=b'Z' if i == 0 => alphabetic += 1,
                b'A'..=b'Z' | b'0'..=b'9' => return true,
                _ => {}
            }
        }
        alphabetic
    } else {
        // A Latin letter is a letter without the Unicode tables' look-up, and the first odd
        // character decides (a word in another script is skipped at its first letter).
        let mut alphabetic = 0;
        for (i, c) in word.chars().enumerate() {
            if is_latin(c) {
                alphabetic += 1;
                if i > 0 && c.is_uppercase() {
                    return true;
                }
            } else if c.is_alphabetic() || c.is_numeric() {
                // Another script's letter, or a digit (capitals are letters).
                return true;
            }
        }
        alphabetic
    };
    if usize::from(t.letters) != alphabetic {
        return true;
    }
    // Expressive spelling: `Goooood`, `noooon`.
    let b = word.as_bytes();
    b.windows(3).any(|w| w[0] == w[1] && w[1] == w[2])
}

/// Latin letters, the ones the dictionaries spell.
fn is_latin(c: char) -> bool {
    matches!(c, 'A'..='Z' | 'a'..='z' | '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}')
        && c != '×'
        && c != '÷'
}

/// Whether the word opens a sentence: nothing before it but @mentions, or after `.`, `!`,
/// `?`, `:`, `…`, a line break (quotes and brackets ignored).
fn sentence_start(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '"' | '«' | '»' | '“' | '”' | '(' | '[' | '-' | '–' | '—' | '*'
            )
    });
    match before.chars().next_back() {
        None => true,
        Some('.') => {
            // `Dr. Neeli`: a title's period does not end the sentence.
            let head = &before[..before.len() - 1];
            let title = head
                .rsplit(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("");
            title.is_empty() || !is_title(title)
        }
        Some('!' | '?' | ':' | '…' | '\n' | ';' | '|' | '>' | '•' | '·') => true,
        Some(c) if c.is_alphanumeric() || c == '_' => {
            // `@handle Bonjour`: a reply's leading mentions are not words.
            let rest = before.trim_end_matches(|c: char| c.is_alphanumeric() || c == '_');
            rest.ends_with(['@', '＠']) && sentence_start(text, rest.len() - 1)
        }
        Some(c) => !c.is_alphanumeric() && !c.is_ascii() && !matches!(c, '’' | '\'' | ','),
    }
}

/// Whether the word is a title (`Dr`, `Mme`): most words after a period are not, and an ASCII
/// word longer than every title is not looked up at all.
fn is_title(word: &str) -> bool {
    let lists = lists();
    if word.is_ascii() {
        word.len() <= lists.longest_title
            && lists.titles.contains(word.to_ascii_lowercase().as_str())
    } else {
        lists.titles.contains(&fold(word))
    }
}

/// Whether a word appears in a setting's text (the company's name, the signature).
fn in_setting(setting: Option<&str>, folded: &str) -> bool {
    setting.is_some_and(|s| {
        s.split(|c: char| !c.is_alphanumeric())
            .any(|w| !w.is_empty() && fold(w) == folded)
    })
}

/// Lower case without accents, like the tokenizer's folding.
fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.nfd() {
        if !matches!(c, '\u{0300}'..='\u{036F}') {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// The finding for one unknown word, with up to three suggestions from the tweet's language
/// as the fix.
fn finding(ctx: &Context<'_>, start: usize, end: usize, suggest: bool) -> Finding {
    let word = ctx.tweet.slice(start, end);
    let tokens = &ctx.tweet.tokens;
    let k = tokens.partition_point(|t| t.start < start);
    let caps = !word.chars().any(char::is_lowercase);
    // Long runs of letters are noise more often than words: no search for them.
    let suggestions: Arc<[String]> = if let Some(name) = tokens
        .get(k)
        .filter(|t| t.end == end && !caps)
        .and_then(|_| misspelt_name(ctx, k))
    {
        // The name as the tweet writes it elsewhere.
        Arc::from(vec![name.to_string()])
    } else if suggest && word.chars().count() <= MAX_SUGGESTED_LEN {
        if caps {
            // In capitals, the words of the lower case, in capitals.
            let lower = word.replace('’', "'").to_lowercase();
            let found = speller(ctx.lang).suggest(&lower);
            found.iter().map(|w| w.to_uppercase()).collect()
        } else {
            speller(ctx.lang).suggest(word)
        }
    } else {
        Arc::from(Vec::new())
    };
    let mut f = ctx.finding(
        Guideline::Spelling,
        "spelling.unknown-word",
        Severity::Warning,
        vec![Span { start, end }],
        &[("terms", word)],
    );
    if !suggestions.is_empty() {
        f.fix = ctx.fix(
            "spelling.unknown-word.fix",
            &[("suggestions", &suggestions.join(", "))],
        );
    }
    f
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod forms_tests;
