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
}

impl<'a> Tweet<'a> {
    pub fn new(text: &'a str) -> Tweet<'a> {
        let urls = length::find_urls(text);
        let mentions = entities(text, &['@', '＠'], &urls, is_handle_char, 15);
        let hashtags = entities(text, &['#', '＃'], &urls, is_tag_char, 139)
            .into_iter()
            .filter(|h| h.name.chars().any(char::is_alphabetic))
            .collect::<Vec<_>>();
        let (folded, tokens) = tokenize(text, &urls, &mentions, &hashtags);
        Tweet {
            text,
            folded,
            tokens,
            urls,
            mentions,
            hashtags,
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

    /// Whether the tweet is a reply: it opens with an @mention (after optional `.`).
    pub fn is_reply(&self) -> bool {
        let lead = self.text.trim_start();
        let offset = self.text.len() - lead.len();
        self.mentions.first().is_some_and(|m| m.start == offset)
    }

    /// Whether the text has a question mark outside links.
    pub fn asks_a_question(&self) -> bool {
        self.text
            .char_indices()
            .any(|(i, c)| matches!(c, '?' | '？' | '¿') && !self.in_url(i))
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
fn entities(
    text: &str,
    sigils: &[char],
    urls: &[Range<usize>],
    body: fn(char) -> bool,
    max_len: usize,
) -> Vec<Entity> {
    let mut found = Vec::new();
    let mut prev: Option<char> = None;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let at_word_start = prev.is_none_or(|p| !(p.is_alphanumeric() || p == '_' || p == '&'));
        prev = Some(c);
        if !sigils.contains(&c) || !at_word_start || in_sorted(urls, i) {
            continue;
        }
        let start_body = i + c.len_utf8();
        let mut end = start_body;
        let mut n = 0;
        while let Some(&(j, d)) = iter.peek() {
            if !body(d) || n == max_len {
                break;
            }
            end = j + d.len_utf8();
            n += 1;
            prev = Some(d);
            iter.next();
        }
        if end > start_body {
            found.push(Entity {
                start: i,
                end,
                name: text[start_body..end].to_string(),
            });
        }
    }
    found
}

/// Fold the text and split it into words, skipping words inside links and @mentions.
fn tokenize(
    text: &str,
    urls: &[Range<usize>],
    mentions: &[Entity],
    hashtags: &[Entity],
) -> (String, Vec<Token>) {
    let mut folded = String::with_capacity(text.len());
    let mut tokens: Vec<Token> = Vec::with_capacity(text.len() / 5 + 1);
    let mut current: Option<Token> = None;
    let mentions: Vec<Range<usize>> = mentions.iter().map(|m| m.start..m.end).collect();
    let hashtags: Vec<Range<usize>> = hashtags.iter().map(|h| h.start + 1..h.end).collect();
    let skip = |i: usize| in_sorted(urls, i) || in_sorted(&mentions, i);
    for (i, c) in text.char_indices() {
        let wordy = c.is_alphanumeric() || (is_combining(c) && current.is_some());
        if !wordy || skip(i) {
            if let Some(t) = current.take() {
                tokens.push(t);
            }
            continue;
        }
        let token = current.get_or_insert_with(|| Token {
            start: i,
            end: i,
            fstart: folded.len(),
            fend: folded.len(),
            letters: 0,
            all_caps: true,
            in_hashtag: in_sorted(&hashtags, i),
        });
        if c.is_alphabetic() {
            token.letters = token.letters.saturating_add(1);
            if !c.is_uppercase() {
                token.all_caps = false;
            }
        }
        fold_char(c, &mut folded);
        token.end = i + c.len_utf8();
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
    (folded, tokens)
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
fn fold_char(c: char, out: &mut String) {
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
    fn a_reply_opens_with_a_mention() {
        assert!(Tweet::new("  @marie merci!").is_reply());
        assert!(!Tweet::new("Merci @marie").is_reply());
    }
}
