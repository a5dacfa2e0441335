//! Lexicons: the words and phrases each guideline listens for, as data (`lexicons/*.toml`).
//!
//! A term is matched on folded words (case and accents ignored), whole words only. A word
//! ending in `*` matches any inflection that starts with it (`achet*`: `achète`, `achetez`);
//! `=>` gives the plainer wording a fix proposes (`leverage => use`). A lone `*` between two
//! words stands for up to [`MAX_GAP`] other words of the same sentence (`n'est * responsable`:
//! `n'est pas responsable`, `n'est en rien responsable`), so a family can name a turn of phrase
//! rather than each of its spellings. Each family of terms
//! carries examples that must flag and must not flag, run by one test, so a team that edits a
//! lexicon sees at once what its change does.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::text::{fold, Tweet};
use super::Language;

/// Why a lexicon could not be built (a team's extra words, or a bad edit to the data files).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LexiconError {
    #[error("the lexicon data is not valid TOML: {0}")]
    Syntax(String),
    #[error("`{0}` has no word to match")]
    EmptyTerm(String),
    #[error("`{0}`: a `*` inflection needs at least 3 letters before it")]
    ShortPrefix(String),
    #[error("`{0}`: a lone `*` (any few words) must stand between two words")]
    EdgeGap(String),
    #[error("unknown rule `{0}`: team words can extend {1}")]
    UnknownRule(String, String),
}

/// The file format of `lexicons/*.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    /// Common words that tell the language apart (detection).
    markers: Vec<String>,
    /// Known acronyms that are not shouting (`NASA`).
    #[serde(default)]
    acronyms: Vec<String>,
    family: Vec<FamilyFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FamilyFile {
    rule: String,
    /// The rule whose findings the examples check, when the family only feeds another rule.
    checks: Option<String>,
    terms: Vec<String>,
    /// Phrases in which a term is not what it seems (`le prix Nobel`, `deal with`).
    #[serde(default)]
    except: Vec<String>,
    #[serde(default)]
    flag: Vec<String>,
    #[serde(default)]
    pass: Vec<String>,
}

/// A family of terms with its own examples (public for the examples test and `/guidelines`).
#[derive(Debug, Clone)]
pub struct Family {
    pub rule: String,
    pub checks: String,
    pub flag: Vec<String>,
    pub pass: Vec<String>,
}

#[derive(Debug, Clone)]
struct Word {
    text: Box<str>,
    prefix: bool,
    /// A lone `*`: up to [`MAX_GAP`] words of the same sentence.
    gap: bool,
}

/// How many words a lone `*` may stand for: a turn of phrase, not a whole sentence.
pub const MAX_GAP: usize = 3;

#[derive(Debug, Clone)]
struct Pattern {
    family: u16,
    words: Vec<Word>,
    replacement: Option<Box<str>>,
    /// An exception: where it matches, its family's terms do not count.
    except: bool,
    /// Whether a word is a gap (`*`): such terms are matched with a little backtracking.
    gaps: bool,
}

/// A compiled lexicon: terms indexed by their first word, so matching costs a hash lookup or
/// two per word of the tweet.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    families: Vec<Family>,
    patterns: Vec<Pattern>,
    exact: HashMap<Box<str>, Vec<u32>, FastHash>,
    /// Terms of two plain words or more, by their first two words ([`pair_key`]): common
    /// openings (`vous`, `our`) start dozens of terms, and the next word turns most of them
    /// away before any is tried. A hash collision only adds candidates, which are checked.
    pairs: HashMap<u64, Vec<u32>, FastHash>,
    /// Terms whose first word is a `*` stem, by the stem's first three bytes: one lookup per
    /// word, then a `starts_with` on the few candidates.
    prefix: HashMap<[u8; 3], Vec<u32>, FastHash>,
    /// Which words may start a term, as three filters ([`Openings`]): most words of a tweet
    /// start no term, and are turned away before any hashing.
    openings: Openings,
    markers: Vec<Box<str>>,
    acronyms: HashMap<Box<str>, (), FastHash>,
}

/// A term found in the tweet: words `first..=last` (token indices).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Match<'l> {
    pub rule: &'l str,
    pub first: usize,
    pub last: usize,
    pub replacement: Option<&'l str>,
    pub except: bool,
}

impl Lexicon {
    /// Parse and compile a lexicon file.
    pub fn from_toml(src: &str) -> Result<Lexicon, LexiconError> {
        let file: LexiconFile =
            toml::from_str(src).map_err(|e| LexiconError::Syntax(e.to_string()))?;
        let mut lex = Lexicon {
            markers: file.markers.iter().map(|m| fold(m).into()).collect(),
            ..Lexicon::default()
        };
        for a in &file.acronyms {
            lex.acronyms.insert(fold(a).into(), ());
        }
        for f in file.family {
            let id = lex.add_family(Family {
                checks: f.checks.unwrap_or_else(|| f.rule.clone()),
                rule: f.rule,
                flag: f.flag,
                pass: f.pass,
            });
            for term in &f.terms {
                lex.add_term(id, term, false)?;
            }
            for term in &f.except {
                lex.add_term(id, term, true)?;
            }
        }
        Ok(lex)
    }

    /// The built-in lexicon of a language, built on first use (each language on its own, so
    /// two threads can build both at once).
    pub fn builtin(lang: Language) -> &'static Lexicon {
        static FR: OnceLock<Lexicon> = OnceLock::new();
        static EN: OnceLock<Lexicon> = OnceLock::new();
        let load = |name: &str, src: &str| {
            Lexicon::from_toml(src)
                .unwrap_or_else(|e| panic!("built-in lexicon {name} is invalid: {e}"))
        };
        match lang {
            Language::Fr => FR.get_or_init(|| load("fr.toml", include_str!("lexicons/fr.toml"))),
            Language::En => EN.get_or_init(|| load("en.toml", include_str!("lexicons/en.toml"))),
        }
    }

    /// The families of terms, with their examples.
    pub fn families(&self) -> &[Family] {
        &self.families
    }

    /// Add a team's words to `rule` (`promotion.sales-words`, ...). The rule must be one the
    /// built-in lexicons already feed, so a typo cannot silently add a rule nobody reads.
    pub fn add_team_terms(&mut self, rule: &str, terms: &[String]) -> Result<(), LexiconError> {
        let known = Lexicon::builtin(Language::En)
            .families
            .iter()
            .chain(&Lexicon::builtin(Language::Fr).families)
            .any(|f| f.rule == rule);
        if !known {
            let mut rules: Vec<&str> = Lexicon::builtin(Language::En)
                .families
                .iter()
                .map(|f| f.rule.as_str())
                .collect();
            rules.dedup();
            return Err(LexiconError::UnknownRule(rule.into(), rules.join(", ")));
        }
        let id = match self.families.iter().position(|f| f.rule == rule) {
            Some(i) => i as u16,
            None => self.add_family(Family {
                rule: rule.into(),
                checks: rule.into(),
                flag: Vec::new(),
                pass: Vec::new(),
            }),
        };
        for t in terms {
            self.add_term(id, t, false)?;
        }
        Ok(())
    }

    fn add_family(&mut self, family: Family) -> u16 {
        self.families.push(family);
        (self.families.len() - 1) as u16
    }

    fn add_term(&mut self, family: u16, term: &str, except: bool) -> Result<(), LexiconError> {
        let (phrase, replacement) = match term.split_once("=>") {
            Some((p, r)) => (p.trim(), Some(r.trim().into())),
            None => (term.trim(), None),
        };
        let folded = fold(phrase);
        let mut words = Vec::new();
        for raw in folded.split(|c: char| !(c.is_alphanumeric() || c == '*')) {
            if raw.is_empty() {
                continue;
            }
            if raw == "*" {
                words.push(Word {
                    text: "".into(),
                    prefix: false,
                    gap: true,
                });
                continue;
            }
            let prefix = raw.ends_with('*');
            let text = raw.trim_end_matches('*');
            if text.is_empty() {
                return Err(LexiconError::EmptyTerm(term.into()));
            }
            if prefix && text.chars().count() < 3 {
                return Err(LexiconError::ShortPrefix(term.into()));
            }
            words.push(Word {
                text: text.into(),
                prefix,
                gap: false,
            });
        }
        let Some(first) = words.first() else {
            return Err(LexiconError::EmptyTerm(term.into()));
        };
        if first.gap || words.last().is_some_and(|w| w.gap) {
            return Err(LexiconError::EdgeGap(term.into()));
        }
        let gaps = words.iter().any(|w| w.gap);
        let index = self.patterns.len() as u32;
        if first.prefix {
            let key =
                stem_key(&first.text).ok_or_else(|| LexiconError::ShortPrefix(term.into()))?;
            self.prefix.entry(key).or_default().push(index);
            self.openings.stem.insert(Openings::stem_key(&first.text));
        } else {
            let key = Openings::word_key(&first.text);
            match words.get(1).filter(|w| !w.gap && !w.prefix) {
                Some(second) => {
                    self.pairs
                        .entry(pair_key(&first.text, &second.text))
                        .or_default()
                        .push(index);
                    self.openings.paired.insert(key);
                }
                None => {
                    self.exact
                        .entry(first.text.clone())
                        .or_default()
                        .push(index);
                    self.openings.alone.insert(key);
                }
            }
        }
        self.patterns.push(Pattern {
            family,
            words,
            replacement,
            except,
            gaps,
        });
        Ok(())
    }

    /// The language's common words (folded), for language detection.
    pub(crate) fn markers(&self) -> impl Iterator<Item = &str> {
        self.markers.iter().map(|m| &**m)
    }

    /// Whether a folded word is a known acronym.
    pub(crate) fn is_acronym(&self, folded: &str) -> bool {
        self.acronyms.contains_key(folded)
    }

    /// Every term of this lexicon found in the tweet, longest first at each word.
    pub(crate) fn find<'l>(&'l self, tweet: &Tweet<'_>, out: &mut Vec<Match<'l>>) {
        let before = out.len();
        for i in 0..tweet.tokens.len() {
            let word = tweet.word(i);
            let here = out.len();
            let key = Openings::word_key(word);
            let alone = match self.openings.alone.has(key) {
                true => self.exact.get(word).map_or(&[][..], Vec::as_slice),
                false => &[],
            };
            let paired = match tweet.tokens.get(i + 1) {
                Some(_) if self.openings.paired.has(key) => self
                    .pairs
                    .get(&pair_key(word, tweet.word(i + 1)))
                    .map_or(&[][..], Vec::as_slice),
                _ => &[],
            };
            if !alone.is_empty() || !paired.is_empty() {
                // In the order the terms were written, as if in one list.
                self.try_patterns(tweet, i, here, merged(alone, paired), out);
            }
            if self.openings.stem.has(Openings::stem_key(word)) {
                if let Some(ids) = stem_key(word).and_then(|k| self.prefix.get(&k)) {
                    self.try_patterns(tweet, i, here, ids.iter().copied(), out);
                }
            }
        }
        if out[before..].iter().any(|m| m.except) {
            // Exceptions come in text order and span a few words: look only at the ones that
            // start close enough to overlap, so a huge text stays linear.
            let exceptions: Vec<Match<'l>> =
                out[before..].iter().filter(|m| m.except).copied().collect();
            let longest = exceptions
                .iter()
                .map(|e| e.last - e.first)
                .max()
                .unwrap_or(0);
            out.retain(|m| {
                if m.except {
                    return false;
                }
                let lo = exceptions.partition_point(|e| e.first + longest < m.first);
                let hi = exceptions.partition_point(|e| e.first <= m.last).max(lo);
                !exceptions[lo..hi]
                    .iter()
                    .any(|e| e.rule == m.rule && m.first <= e.last && m.last >= e.first)
            });
        }
    }

    /// Try the patterns `ids` at word `at`; `here` is where this word's matches start in `out`.
    fn try_patterns<'l>(
        &'l self,
        tweet: &Tweet<'_>,
        at: usize,
        here: usize,
        ids: impl Iterator<Item = u32>,
        out: &mut Vec<Match<'l>>,
    ) {
        for id in ids {
            let p = &self.patterns[id as usize];
            let last = if p.gaps {
                match fit_with_gaps(tweet, &p.words, at) {
                    Some(last) => last,
                    None => continue,
                }
            } else {
                let last = at + p.words.len() - 1;
                if last >= tweet.tokens.len() {
                    continue;
                }
                if !p
                    .words
                    .iter()
                    .enumerate()
                    .all(|(k, w)| w.fits(tweet.word(at + k)))
                {
                    continue;
                }
                last
            };
            let rule = self.families[p.family as usize].rule.as_str();
            // Keep one match per rule and position: the longest term wins.
            if let Some(prev) = out[here..]
                .iter_mut()
                .find(|m| m.rule == rule && m.first == at && m.except == p.except)
            {
                if last > prev.last {
                    prev.last = last;
                    prev.replacement = p.replacement.as_deref();
                }
                continue;
            }
            // A shorter term inside a longer one already found (`sale` in `on sale`) is the
            // same signal, not a second one.
            let inside =
                out[..here].iter().rev().take(8).any(|m| {
                    m.rule == rule && m.except == p.except && m.first < at && m.last >= last
                });
            if inside {
                continue;
            }
            out.push(Match {
                rule,
                first: at,
                last,
                replacement: p.replacement.as_deref(),
                except: p.except,
            });
        }
    }
}

impl Word {
    fn fits(&self, word: &str) -> bool {
        if self.prefix {
            word.starts_with(&*self.text)
        } else {
            word == &*self.text
        }
    }
}

/// Where a term with gaps that starts at word `at` ends (its last word), if it matches: each
/// gap takes the fewest words that let the rest fit, never crossing the end of a sentence.
fn fit_with_gaps(tweet: &Tweet<'_>, words: &[Word], at: usize) -> Option<usize> {
    let (first, rest) = words.split_first()?;
    if at >= tweet.tokens.len() || !first.fits(tweet.word(at)) {
        return None;
    }
    let Some(next) = rest.first() else {
        return Some(at);
    };
    if next.gap {
        // A gap is never last (refused when the lexicon is built): `rest[1..]` is a word.
        for from in at..=at + MAX_GAP {
            if from + 1 >= tweet.tokens.len() || ends_sentence(tweet, from) {
                return None;
            }
            if let Some(last) = fit_with_gaps(tweet, &rest[1..], from + 1) {
                return Some(last);
            }
        }
        None
    } else if at + 1 < tweet.tokens.len() {
        fit_with_gaps(tweet, rest, at + 1)
    } else {
        None
    }
}

/// Whether a sentence ends between word `i` and the next one (`.`, `!`, `?`, `;`, a line
/// break): a gap stays inside one sentence.
fn ends_sentence(tweet: &Tweet<'_>, i: usize) -> bool {
    let (Some(a), Some(b)) = (tweet.tokens.get(i), tweet.tokens.get(i + 1)) else {
        return true;
    };
    tweet
        .slice(a.end, b.start)
        .contains(['.', '!', '?', ';', '\n', '…', '？', '！'])
}

/// Filters of the words that may start a term, one per index: a word is looked up in an
/// index only when its filter says it may be there. Each is a 64K-bit set keyed by a hash of
/// the word's first three bytes and, for whole words, its length: a few hundred first words
/// leave most bits clear, so almost every other word is turned away by one bit test.
#[derive(Debug, Clone, Default)]
struct Openings {
    /// First words of one-word terms and of terms whose second word is a stem or a gap.
    alone: Bits,
    /// First words of terms of two plain words or more ([`Lexicon::pairs`]).
    paired: Bits,
    /// Stems of `*` terms, by their first three bytes only (any length may follow).
    stem: Bits,
}

impl Openings {
    fn word_key(word: &str) -> u16 {
        Self::mix(word.as_bytes(), word.len().min(31))
    }

    fn stem_key(word: &str) -> u16 {
        Self::mix(word.as_bytes(), 0)
    }

    fn mix(bytes: &[u8], len: usize) -> u16 {
        let b = |i: usize| u32::from(bytes.get(i).copied().unwrap_or(0));
        let x = (b(0) | b(1) << 8 | b(2) << 16 | (len as u32) << 24).wrapping_mul(0x9E37_79B1);
        (x >> 16) as u16
    }
}

/// A set of words as a 64K-bit filter, keyed like [`Openings`]: a word it turns away is surely
/// not in the set, so a word that starts nothing costs one bit test rather than a hash look-up.
#[derive(Debug, Clone, Default)]
pub(crate) struct WordFilter(Bits);

impl WordFilter {
    pub(crate) fn insert(&mut self, word: &str) {
        self.0.insert(Openings::word_key(word));
    }

    /// False when the word is surely not in the set.
    pub(crate) fn may_hold(&self, word: &str) -> bool {
        self.0.has(Openings::word_key(word))
    }
}

#[derive(Debug, Clone)]
struct Bits(Box<[u64; 1024]>);

impl Default for Bits {
    fn default() -> Self {
        Bits(Box::new([0; 1024]))
    }
}

impl Bits {
    fn insert(&mut self, k: u16) {
        let k = usize::from(k);
        self.0[k / 64] |= 1 << (k % 64);
    }

    fn has(&self, k: u16) -> bool {
        let k = usize::from(k);
        self.0[k / 64] & (1 << (k % 64)) != 0
    }
}

/// The key of the two-word index: both words hashed, with a byte no UTF-8 text holds between.
fn pair_key(first: &str, second: &str) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = FastHash.build_hasher();
    h.write(first.as_bytes());
    h.write(&[0xFF]);
    h.write(second.as_bytes());
    h.finish()
}

/// Two ascending lists of term ids as one ascending list (an id is in one list only).
fn merged<'a>(a: &'a [u32], b: &'a [u32]) -> impl Iterator<Item = u32> + 'a {
    let (mut i, mut j) = (0, 0);
    std::iter::from_fn(move || {
        let next = match (a.get(i), b.get(j)) {
            (Some(&x), Some(&y)) if x < y => {
                i += 1;
                x
            }
            (_, Some(&y)) => {
                j += 1;
                y
            }
            (Some(&x), None) => {
                i += 1;
                x
            }
            (None, None) => return None,
        };
        Some(next)
    })
}

/// The first three bytes of a word, the key of the stem index.
fn stem_key(word: &str) -> Option<[u8; 3]> {
    word.as_bytes().get(..3).and_then(|b| b.try_into().ok())
}

/// A fast hasher for short folded words (foldhash, fixed seed): lexicon lookups are the
/// review's hot path, words are a few bytes, and SipHash's flood resistance buys nothing for a
/// fixed, trusted key set. A fixed seed keeps every run the same.
#[derive(Default, Clone, Copy, Debug)]
pub(crate) struct FastHash;

impl std::hash::BuildHasher for FastHash {
    type Hasher = foldhash::fast::FoldHasher;
    fn build_hasher(&self) -> Self::Hasher {
        foldhash::fast::FixedState::with_seed(0x7765_6574_6775_6172).build_hasher()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex(terms: &[&str]) -> Lexicon {
        let terms: Vec<String> = terms.iter().map(|t| format!("{t:?}")).collect();
        Lexicon::from_toml(&format!(
            "markers = []\n[[family]]\nrule = \"promotion.sales-words\"\nterms = [{}]\n",
            terms.join(", ")
        ))
        .unwrap()
    }

    fn found(lex: &Lexicon, text: &str) -> Vec<String> {
        let t = Tweet::new(text);
        let mut out = Vec::new();
        lex.find(&t, &mut out);
        out.iter()
            .map(|m| {
                t.slice(t.tokens[m.first].start, t.tokens[m.last].end)
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn whole_words_only() {
        let l = lex(&["sale"]);
        assert_eq!(found(&l, "Big SALE today"), ["SALE"]);
        assert!(found(&l, "wholesale prices").is_empty());
    }

    #[test]
    fn inflections_by_stem() {
        let l = lex(&["achet*"]);
        assert_eq!(found(&l, "Achète! Achetez-le!"), ["Achète", "Achetez"]);
    }

    #[test]
    fn phrases_span_several_words_and_the_longest_wins() {
        let l = lex(&["offre", "offre spéciale"]);
        assert_eq!(found(&l, "Une OFFRE SPECIALE"), ["OFFRE SPECIALE"]);
    }

    #[test]
    fn an_exception_phrase_silences_its_family() {
        let l = Lexicon::from_toml(
            "markers=[]\n[[family]]\nrule=\"x\"\nterms=[\"prix\"]\nexcept=[\"le prix nobel\"]",
        )
        .unwrap();
        assert!(found(&l, "Le prix Nobel").is_empty());
        assert_eq!(found(&l, "Le prix fou"), ["prix"]);
    }

    #[test]
    fn a_lone_star_stands_for_a_few_words_of_the_same_sentence() {
        let l = lex(&["n'est * responsable*"]);
        assert_eq!(found(&l, "Elle n'est responsable"), ["n'est responsable"]);
        assert_eq!(
            found(&l, "La ligne n'est en rien responsable."),
            ["n'est en rien responsable"]
        );
        assert!(found(&l, "Il n'est pas du tout vraiment responsable").is_empty());
        assert!(found(&l, "Ce n'est pas grave. Le responsable arrive").is_empty());
    }

    #[test]
    fn a_star_at_either_end_is_refused() {
        assert!(matches!(
            Lexicon::from_toml("markers=[]\n[[family]]\nrule=\"x\"\nterms=[\"pas *\"]"),
            Err(LexiconError::EdgeGap(_))
        ));
    }

    #[test]
    fn a_short_stem_is_refused() {
        assert!(matches!(
            Lexicon::from_toml("markers=[]\n[[family]]\nrule=\"x\"\nterms=[\"ab*\"]"),
            Err(LexiconError::ShortPrefix(_))
        ));
    }

    #[test]
    fn team_words_must_name_a_known_rule() {
        let mut l = Lexicon::default();
        assert!(l
            .add_team_terms("promotion.sales-words", &["braderie".into()])
            .is_ok());
        assert!(matches!(
            l.add_team_terms("promotion.nope", &["x".into()]),
            Err(LexiconError::UnknownRule(..))
        ));
        assert_eq!(found(&l, "Grande braderie"), ["braderie"]);
    }
}
