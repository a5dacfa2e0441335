//! The tweet as the rules see it: folded words, @mentions, #hashtags and links, each with its
//! byte span in the original text.
//!
//! Folding (lowercase, accents stripped, typographic apostrophes made plain) happens once per
//! review so every rule compares plain ASCII-ish words: `RÉDUCTION`, `réduction` and
//! `reduction` are one word, and a decomposed `é` (e + U+0301) folds like a composed one.

use std::ops::Range;

use super::length;

/// One word of the tweet: a maximal run of letters and digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    /// Byte range in the original text (char boundaries).
    pub start: usize,
    pub end: usize,
    /// Byte range in [`Tweet::folded`].
    pub fstart: usize,
    pub fend: usize,
    /// Letters in the word, and whether every one of them is upper case in the original.
    pub letters: u16,
    pub all_caps: bool,
    /// The word is the body of a #hashtag.
    pub in_hashtag: bool,
}

impl Token {
    /// An empty word starting at byte `start` of the text and `fstart` of the folded text.
    fn at(start: usize, fstart: usize, in_hashtag: bool) -> Token {
        Token {
            start,
            end: start,
            fstart,
            fend: fstart,
            letters: 0,
            all_caps: true,
            in_hashtag,
        }
    }
}

/// An `@handle` (or a `#tag`, `$CASH`) with its span; `name` excludes the sigil.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entity {
    pub start: usize,
    pub end: usize,
    pub name: String,
}

/// The analysed tweet shared by every rule of one review.
#[derive(Debug)]
pub(crate) struct Tweet<'a> {
    pub text: &'a str,
    pub folded: String,
    pub tokens: Vec<Token>,
    pub urls: Vec<Range<usize>>,
    pub mentions: Vec<Entity>,
    pub hashtags: Vec<Entity>,
    /// Per-character facts gathered in the same pass as the words.
    pub marks: Marks,
}

/// What one pass over the characters notices besides words, so no rule rescans the text.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Marks {
    /// The first question mark outside links (`?`, `？`, `¿`).
    pub question: Option<Range<usize>>,
    /// Runs of two or more exclamation marks (`!!`, `!?!`).
    pub bang_runs: Vec<Range<usize>>,
    /// The first emoji or emoticon (`;-)`).
    pub emoji: Option<Range<usize>>,
    /// Letters and quotes typical of French (`é`, `ç`, `«`), counted up to three.
    pub french_letters: u32,
}

impl<'a> Tweet<'a> {
    pub fn new(text: &'a str) -> Tweet<'a> {
        let urls = length::find_urls(text);
        let mentions = entities(text, &['@', '＠'], &urls, is_handle_char, 15);
        let hashtags = entities(text, &['#', '＃'], &urls, is_tag_char, 139)
            .into_iter()
            .filter(|h| h.name.chars().any(char::is_alphabetic))
            .collect::<Vec<_>>();
        let (folded, tokens, marks) = tokenize(text, &urls, &mentions, &hashtags);
        Tweet {
            text,
            folded,
            tokens,
            urls,
            mentions,
            hashtags,
            marks,
        }
    }

    /// The folded text of token `i`.
    pub fn word(&self, i: usize) -> &str {
        let t = &self.tokens[i];
        &self.folded[t.fstart..t.fend]
    }

    /// The original text between two byte offsets (for quoting a finding).
    pub fn slice(&self, start: usize, end: usize) -> &'a str {
        self.text.get(start..end).unwrap_or("")
    }

    /// Whether the tweet is a plain retweet (`RT @marie: …`): someone else's words, relayed.
    pub fn is_retweet(&self) -> bool {
        let lead = self.text.trim_start();
        let Some(rest) = lead.get(..2).filter(|rt| rt.eq_ignore_ascii_case("rt")) else {
            return false;
        };
        let rest = lead[rest.len()..].trim_start_matches([' ', ':']);
        let offset = self.text.len() - rest.len();
        self.mentions.iter().any(|m| m.start == offset)
    }

    pub fn in_url(&self, byte: usize) -> bool {
        in_sorted(&self.urls, byte)
    }
}

/// Whether `byte` falls in one of `ranges` (sorted, disjoint): a binary search, so huge
/// adversarial inputs stay linear overall.
fn in_sorted(ranges: &[Range<usize>], byte: usize) -> bool {
    let i = ranges.partition_point(|r| r.end <= byte);
    ranges.get(i).is_some_and(|r| r.contains(&byte))
}

fn is_handle_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || is_combining(c)
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

/// Sigil-prefixed entities (`@name`, `#tag`) that start a word and sit outside links.
///
/// Scans bytes for the sigils (ASCII, or the first byte of their fullwidth forms) rather than
/// decoding every char: most of a tweet is not a sigil.
fn entities(
    text: &str,
    sigils: &[char],
    urls: &[Range<usize>],
    body: fn(char) -> bool,
    max_len: usize,
) -> Vec<Entity> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(at) = memchr::memchr3(b'@', b'#', 0xEF, &bytes[i..]) {
        i += at;
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        let start = i;
        i += c.len_utf8();
        if !sigils.contains(&c) || in_sorted(urls, start) {
            continue;
        }
        let at_word_start = text[..start]
            .chars()
            .next_back()
            .is_none_or(|p| !(p.is_alphanumeric() || p == '_' || p == '&'));
        if !at_word_start {
            continue;
        }
        let mut end = i;
        for (n, d) in text[i..].chars().enumerate() {
            if !body(d) || n == max_len {
                break;
            }
            end += d.len_utf8();
        }
        if end > i {
            found.push(Entity {
                start,
                end,
                name: text[i..end].to_string(),
            });
            i = end;
        }
    }
    found
}

/// A cursor over sorted, disjoint byte ranges, for positions visited in increasing order.
struct Cursor<'r> {
    ranges: &'r [Range<usize>],
    next: usize,
}

impl Cursor<'_> {
    fn contains(&mut self, byte: usize) -> bool {
        while self.next < self.ranges.len() && self.ranges[self.next].end <= byte {
            self.next += 1;
        }
        self.ranges.get(self.next).is_some_and(|r| r.start <= byte)
    }
}

/// Fold the text and split it into words, skipping words inside links and @mentions.
fn tokenize(
    text: &str,
    urls: &[Range<usize>],
    mentions: &[Entity],
    hashtags: &[Entity],
) -> (String, Vec<Token>, Marks) {
    let mut marks = Marks::default();
    let mut bangs: Option<(usize, usize, u32)> = None; // start, end, count of `!`
    let mut folded = String::with_capacity(text.len());
    let mut tokens: Vec<Token> = Vec::with_capacity(text.len() / 5 + 1);
    let mut current: Option<Token> = None;
    // Links and @mentions hold no words: one sorted list of ranges to skip.
    let mut skipped: Vec<Range<usize>> = urls.to_vec();
    skipped.extend(mentions.iter().map(|m| m.start..m.end));
    skipped.sort_by_key(|r| r.start);
    let hashtags: Vec<Range<usize>> = hashtags.iter().map(|h| h.start + 1..h.end).collect();
    let mut in_skipped = Cursor {
        ranges: &skipped,
        next: 0,
    };
    let mut in_tag = Cursor {
        ranges: &hashtags,
        next: 0,
    };
    let next_skip = |k: usize| skipped.get(k).map_or(usize::MAX, |r| r.start);
    let mut skip_from = next_skip(0);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Most of a tweet is runs of ASCII letters and digits: a run before the next link or
        // mention is a word (or the rest of one), taken in one step.
        let limit = skip_from.clamp(i, bytes.len());
        let (run, letters, lower) = ascii_run(&bytes[i..limit]);
        if run > 0 {
            if bangs.is_some() {
                close_run(&mut marks, &mut bangs);
            }
            let token =
                current.get_or_insert_with(|| Token::at(i, folded.len(), in_tag.contains(i)));
            token.letters = token
                .letters
                .saturating_add(u16::try_from(letters).unwrap_or(u16::MAX));
            token.all_caps &= !lower;
            let from = folded.len();
            folded.push_str(&text[i..i + run]);
            if let Some(added) = folded.get_mut(from..) {
                added.make_ascii_lowercase();
            }
            i += run;
            token.end = i;
            token.fend = folded.len();
            continue;
        }
        let c = match bytes[i] {
            b if b.is_ascii() => char::from(b),
            _ => match text[i..].chars().next() {
                Some(c) => c,
                None => break,
            },
        };
        let wordy = if c.is_ascii() {
            c.is_ascii_alphanumeric()
        } else {
            c.is_alphanumeric() || (is_combining(c) && current.is_some())
        };
        if wordy || (c.is_ascii() && !matches!(c, '!' | '?' | ':' | ';' | '<')) {
            if bangs.is_some() {
                close_run(&mut marks, &mut bangs);
            }
        } else {
            notice(text, i, c, urls, &mut marks, &mut bangs);
        }
        // Most characters are before the next link or mention: one comparison.
        let skip = i >= skip_from && {
            let inside = in_skipped.contains(i);
            skip_from = if inside {
                i
            } else {
                next_skip(in_skipped.next)
            };
            inside
        };
        if !wordy || skip {
            if let Some(t) = current.take() {
                tokens.push(t);
            }
            i += c.len_utf8();
            continue;
        }
        let token = current.get_or_insert_with(|| Token::at(i, folded.len(), in_tag.contains(i)));
        if c.is_ascii() {
            if c.is_ascii_alphabetic() {
                token.letters = token.letters.saturating_add(1);
                token.all_caps &= c.is_ascii_uppercase();
            }
            folded.push(c.to_ascii_lowercase());
        } else {
            if c.is_alphabetic() {
                token.letters = token.letters.saturating_add(1);
                token.all_caps &= c.is_uppercase();
            }
            if marks.french_letters < 3
                && matches!(
                    c,
                    'é' | 'è' | 'ê' | 'à' | 'ç' | 'ù' | 'û' | 'ô' | 'î' | 'œ' | 'É' | 'À' | 'Ç'
                )
            {
                marks.french_letters += 1;
            }
            fold_char(c, &mut folded);
        }
        i += c.len_utf8();
        token.end = i;
        token.fend = folded.len();
    }
    if let Some(t) = current {
        tokens.push(t);
    }
    for t in &mut tokens {
        if t.letters == 0 {
            t.all_caps = false;
        }
    }
    notice(text, text.len(), ' ', urls, &mut marks, &mut bangs);
    (folded, tokens, marks)
}

/// The leading run of ASCII letters and digits, in one pass: its length, how many letters it
/// has, and whether one of them is in lower case.
fn ascii_run(bytes: &[u8]) -> (usize, usize, bool) {
    let mut letters = 0;
    let mut lower = false;
    for (n, &b) in bytes.iter().enumerate() {
        match b {
            b'a'..=b'z' => {
                letters += 1;
                lower = true;
            }
            b'A'..=b'Z' => letters += 1,
            b'0'..=b'9' => {}
            _ => return (n, letters, lower),
        }
    }
    (bytes.len(), letters, lower)
}

/// Note what a non-word character says: a question, a burst of `!`, an emoji, a French letter.
fn notice(
    text: &str,
    i: usize,
    c: char,
    urls: &[Range<usize>],
    marks: &mut Marks,
    bangs: &mut Option<(usize, usize, u32)>,
) {
    let end = i + c.len_utf8();
    match c {
        '!' | '！' => {
            let run = bangs.get_or_insert((i, end, 0));
            run.1 = end;
            run.2 += 1;
            return;
        }
        '?' | '？' | '¿' => {
            if marks.question.is_none() && !in_sorted(urls, i) {
                marks.question = Some(i..end);
            }
            if let Some(run) = bangs.as_mut() {
                run.1 = end;
                return;
            }
        }
        ':' | ';' | '<' if marks.emoji.is_none() => {
            let len = match (c, text.as_bytes().get(i + 1..)) {
                (':' | ';', Some([b')' | b'D', ..])) => 2,
                (':' | ';', Some([b'-', b')', ..])) => 3,
                ('<', Some([b'3', ..])) => 2,
                _ => 0,
            };
            if len > 0 {
                marks.emoji = Some(i..i + len);
            }
        }
        '«' | '»' if marks.french_letters < 3 => marks.french_letters += 1,
        c if marks.emoji.is_none()
            && matches!(c as u32, 0x1F300..=0x1FAFF | 0x2600..=0x27BF | 0x1F000..=0x1F2FF) =>
        {
            marks.emoji = Some(i..end);
        }
        _ => {}
    }
    close_run(marks, bangs);
}

/// End a run of exclamation marks; keep it when it has two or more.
fn close_run(marks: &mut Marks, bangs: &mut Option<(usize, usize, u32)>) {
    if let Some((start, end, n)) = bangs.take() {
        if n >= 2 {
            marks.bang_runs.push(start..end);
        }
    }
}

/// Fold a whole string the way tweet words are folded; used for lexicon terms and settings.
pub(crate) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        fold_char(c, &mut out);
    }
    out
}

/// Lowercase and strip the accent of one character.
pub(crate) fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    let plain = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "a",
        'ç' | 'Ç' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
        'ñ' | 'Ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
        'ý' | 'ÿ' | 'Ý' | 'Ÿ' => "y",
        'œ' | 'Œ' => "oe",
        'æ' | 'Æ' => "ae",
        'ß' => "ss",
        '’' | '‘' | 'ʼ' | '´' | '`' => "'",
        c if is_combining(c) => "",
        _ => {
            out.extend(c.to_lowercase());
            return;
        }
    };
    out.push_str(plain);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let t = Tweet::new(text);
        (0..t.tokens.len()).map(|i| t.word(i).to_string()).collect()
    }

    #[test]
    fn accents_and_case_fold_to_one_word() {
        assert_eq!(words("RÉDUCTION réduction reduction"), ["reduction"; 3]);
        assert_eq!(words("re\u{301}duction"), ["reduction"]);
    }

    #[test]
    fn apostrophes_and_hyphens_split_words() {
        assert_eq!(words("Qu’en pensez-vous?"), ["qu", "en", "pensez", "vous"]);
    }

    #[test]
    fn words_in_mentions_are_not_words() {
        let t = Tweet::new("Merci @promo_shop pour le #relais");
        assert_eq!(t.mentions.len(), 1);
        assert_eq!(t.mentions[0].name, "promo_shop");
        assert_eq!(t.hashtags[0].name, "relais");
        assert_eq!(words("Merci @promo_shop"), ["merci"]);
    }

    #[test]
    fn an_email_address_is_not_a_mention() {
        assert!(Tweet::new("écrivez à info@acme.ca").mentions.is_empty());
    }

    #[test]
    fn spans_point_into_the_original_text() {
        let t = Tweet::new("Élan ÉTÉ");
        let tok = t.tokens[1];
        assert_eq!(&t.text[tok.start..tok.end], "ÉTÉ");
        assert!(tok.all_caps);
    }

    #[test]
    fn one_pass_notices_questions_bursts_and_emoji() {
        let t = Tweet::new("Quoi?! Non!! a!b!!!c 🎉 ;-)");
        assert_eq!(t.marks.question, Some(4..5));
        let runs: Vec<&str> = t
            .marks
            .bang_runs
            .iter()
            .map(|r| &t.text[r.clone()])
            .collect();
        assert_eq!(runs, ["!!", "!!!"]);
        assert_eq!(t.marks.emoji.clone().map(|r| &t.text[r]), Some("🎉"));
        assert_eq!(Tweet::new("Été à Montréal").marks.french_letters, 3);
    }

    #[test]
    fn a_retweet_opens_with_rt_and_a_mention() {
        assert!(Tweet::new("RT @marie: le vélo en hiver").is_retweet());
        assert!(!Tweet::new("Merci @marie").is_retweet());
        assert!(!Tweet::new("RTL en direct").is_retweet());
    }
}
