//! The word forms a Hunspell dictionary accepts, expanded from its `.aff` and `.dic` at build
//! time (`build.rs` includes this file): parsing the French dictionary costs a few hundred
//! million instructions per process and each of its checks tens of microseconds, while a lookup
//! in the expanded set costs a fraction of a microsecond and no parse at all.
//!
//! The expansion follows the rules of the checker it stands in for (spellbook, after Nuspell):
//! a stem, a stem with one suffix, with two (the inner suffix's continuation class naming the
//! outer), each possibly under one prefix. Prefixes are not expanded: each form records which
//! prefix flags may go before it (the French elisions `l'`, `d'`, `qu'` would triple the set),
//! and the lookup strips a prefix and checks its flag and condition. A test compares the
//! expansion with spellbook word by word (`forms_agree_with_hunspell`).

use std::collections::HashMap;

/// The form stands alone (no prefix needed).
pub const STANDALONE: u64 = 1;
/// Every entry the form comes from is KEEPCASE: not accepted in title case.
pub const KEEPCASE_ONLY: u64 = 2;
/// Some entries the form comes from are KEEPCASE, some not (`bar`, the unit and the noun):
/// spellbook's answer in title case depends on which it finds first, the lookup accepts.
pub const KEEPCASE_SOME: u64 = 4;
/// The form only comes from hidden homonyms: the title-case copies the checker makes of
/// entries in capitals or camel case (`ORL` gives `Orl`, found in `d'Orl` but not as written).
pub const HIDDEN_ONLY: u64 = 8;
/// The first prefix class's bit; class `i` is `1 << (PREFIX_SHIFT + i)`.
pub const PREFIX_SHIFT: u32 = 4;

/// spellbook's casings: no capital, the first only, all, the first and more, others.
#[derive(PartialEq)]
pub enum Casing {
    None,
    Init,
    All,
    Pascal,
    Camel,
}

pub fn casing(word: &str) -> Casing {
    let (mut upper, mut lower) = (0, 0);
    for c in word.chars() {
        upper += usize::from(c.is_uppercase());
        lower += usize::from(c.is_lowercase());
    }
    let first_upper = word.chars().next().is_some_and(char::is_uppercase);
    match () {
        _ if upper == 0 => Casing::None,
        _ if first_upper && upper == 1 => Casing::Init,
        _ if lower == 0 => Casing::All,
        _ if first_upper => Casing::Pascal,
        _ => Casing::Camel,
    }
}

pub fn titlecase(word: &str) -> String {
    let mut chars = word.chars();
    let mut out: String = chars
        .next()
        .into_iter()
        .flat_map(char::to_uppercase)
        .collect();
    out.extend(chars.flat_map(char::to_lowercase));
    out
}

/// One character class of an affix condition.
#[derive(Clone, Debug)]
pub enum Class {
    Any,
    One(char),
    Set(Vec<char>, bool),
}

impl Class {
    fn matches(&self, c: char) -> bool {
        match self {
            Class::Any => true,
            Class::One(x) => *x == c,
            Class::Set(set, negated) => set.contains(&c) != *negated,
        }
    }
}

/// Parse a condition (`[^aeiou]y`, `.`, `qu`).
pub fn condition(text: &str) -> Vec<Class> {
    let mut out = Vec::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '.' => out.push(Class::Any),
            '[' => {
                let mut set = Vec::new();
                let mut negated = false;
                let mut first = true;
                for c in chars.by_ref() {
                    if c == ']' {
                        break;
                    }
                    if first && c == '^' {
                        negated = true;
                    } else {
                        set.push(c);
                    }
                    first = false;
                }
                out.push(Class::Set(set, negated));
            }
            c => out.push(Class::One(c)),
        }
    }
    out
}

/// Whether `word` starts (prefix) or ends (suffix) with what the condition describes.
pub fn condition_matches(cond: &[Class], word: &str, at_end: bool) -> bool {
    if cond.is_empty() {
        return true;
    }
    if at_end {
        let mut chars = word.chars().rev();
        cond.iter()
            .rev()
            .all(|k| chars.next().is_some_and(|c| k.matches(c)))
    } else {
        let mut chars = word.chars();
        cond.iter()
            .all(|k| chars.next().is_some_and(|c| k.matches(c)))
    }
}

/// One affix rule.
#[derive(Clone, Debug)]
pub struct Affix {
    pub flag: String,
    pub cross: bool,
    pub strip: String,
    pub add: String,
    pub cont: Vec<String>,
    pub cond: Vec<Class>,
    /// The condition as written, for the prefix table emitted at build time.
    pub cond_text: String,
}

/// What the expansion needs of a `.aff` file.
#[derive(Default, Debug)]
pub struct Aff {
    long_flags: bool,
    need_affix: Option<String>,
    forbidden: Option<String>,
    circumfix: Option<String>,
    keep_case: Option<String>,
    only_in_compound: Option<String>,
    pub prefixes: Vec<Affix>,
    suffixes: Vec<Affix>,
    /// `ICONV` pairs, applied to a word before lookup.
    pub iconv: Vec<(String, String)>,
    /// `BREAK` patterns (Hunspell's default when the file has none).
    pub breaks: Vec<String>,
    /// Whether words may be compounds (`COMPOUNDRULE`, `COMPOUNDFLAG`...): the expansion has
    /// none, so the lookup leaves the words that could be one (English: ordinals, `21st`) to
    /// the checker.
    pub compounds: bool,
}

impl Aff {
    pub fn parse(text: &str) -> Aff {
        let mut aff = Aff::default();
        let mut headers: HashMap<(String, String), bool> = HashMap::new();
        let mut breaks = None::<Vec<String>>;
        for line in text.lines() {
            let f: Vec<&str> = line.split_whitespace().collect();
            match f.as_slice() {
                ["FLAG", "long", ..] => aff.long_flags = true,
                ["NEEDAFFIX", x, ..] => aff.need_affix = Some(x.to_string()),
                ["FORBIDDENWORD", x, ..] => aff.forbidden = Some(x.to_string()),
                ["CIRCUMFIX", x, ..] => aff.circumfix = Some(x.to_string()),
                ["KEEPCASE", x, ..] => aff.keep_case = Some(x.to_string()),
                ["ONLYINCOMPOUND", x, ..] => aff.only_in_compound = Some(x.to_string()),
                [k, ..] if k.starts_with("COMPOUND") && *k != "COMPOUNDMIN" => aff.compounds = true,
                ["ICONV", a, b, ..] => aff.iconv.push((a.to_string(), b.to_string())),
                ["BREAK", x] if x.parse::<usize>().is_err() => {
                    breaks.get_or_insert_with(Vec::new).push(x.to_string())
                }
                ["BREAK", _] => {
                    breaks.get_or_insert_with(Vec::new);
                }
                [kind @ ("PFX" | "SFX"), flag, rest @ ..] => {
                    let key = (kind.to_string(), flag.to_string());
                    let Some(&cross) = headers.get(&key) else {
                        headers.insert(key, rest.first() == Some(&"Y"));
                        continue;
                    };
                    let [strip, add, cond, ..] = rest else {
                        continue;
                    };
                    let (add, cont) = match add.split_once('/') {
                        Some((a, c)) => (a, aff.flags(c)),
                        None => (*add, Vec::new()),
                    };
                    let zero = |s: &str| {
                        if s == "0" {
                            String::new()
                        } else {
                            s.to_string()
                        }
                    };
                    let affix = Affix {
                        flag: flag.to_string(),
                        cross,
                        strip: zero(strip),
                        add: zero(add),
                        cont,
                        cond: condition(cond),
                        cond_text: cond.to_string(),
                    };
                    if *kind == "PFX" {
                        aff.prefixes.push(affix);
                    } else {
                        aff.suffixes.push(affix);
                    }
                }
                _ => {}
            }
        }
        aff.breaks = breaks.unwrap_or_else(|| vec!["^-".into(), "-".into(), "-$".into()]);
        aff
    }

    fn flags(&self, text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        if self.long_flags {
            chars.chunks(2).map(|c| c.iter().collect()).collect()
        } else {
            chars.iter().map(|c| c.to_string()).collect()
        }
    }

    /// The distinct prefix classes (flag and continuation class), in order of first
    /// appearance: class `i` is bit `PREFIX_SHIFT + i` of a form's value. Rules of one flag may
    /// differ in what they allow after them (`yotta` needs a suffix, `l'` does not).
    pub fn prefix_classes(&self) -> Vec<(String, Vec<String>)> {
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        for p in &self.prefixes {
            if !out.iter().any(|(f, c)| *f == p.flag && *c == p.cont) {
                out.push((p.flag.clone(), p.cont.clone()));
            }
        }
        out
    }

    /// The bit of a prefix rule's class.
    pub fn prefix_bit(&self, p: &Affix) -> u32 {
        let classes = self.prefix_classes();
        let i = classes
            .iter()
            .position(|(f, c)| *f == p.flag && *c == p.cont)
            .unwrap_or(0);
        PREFIX_SHIFT + i as u32
    }
}

fn has(flags: &[String], flag: &Option<String>) -> bool {
    flag.as_ref().is_some_and(|f| flags.contains(f))
}

/// Apply a suffix to `word` if its strip and condition allow.
fn suffixed(word: &str, s: &Affix) -> Option<String> {
    let base = word.strip_suffix(s.strip.as_str())?;
    if !condition_matches(&s.cond, word, true) {
        return None;
    }
    // FULLSTRIP or not, a rule that would leave nothing is of no use for a word.
    if base.is_empty() && s.add.is_empty() {
        return None;
    }
    Some(format!("{base}{}", s.add))
}

/// Every form the dictionary accepts (prefixes as bits), with its value bits.
pub fn expand(aff: &Aff, dic: &str) -> HashMap<String, u64> {
    // One representative rule per prefix class: the class's bit, flag and continuation.
    let classes: Vec<(u64, Affix)> = aff
        .prefix_classes()
        .into_iter()
        .enumerate()
        .filter_map(|(i, (flag, cont))| {
            let rule = aff
                .prefixes
                .iter()
                .find(|p| p.flag == flag && p.cont == cont)?;
            Some((1u64 << (PREFIX_SHIFT + i as u32), rule.clone()))
        })
        .collect();
    let circ = |a: &Affix| has(&a.cont, &aff.circumfix);
    let need = |a: &Affix| has(&a.cont, &aff.need_affix);
    let only_compound = |a: &Affix| has(&a.cont, &aff.only_in_compound);
    // Per form: value bits, and whether KEEPCASE / other / hidden / other entries give it.
    let mut forms: HashMap<String, (u64, [bool; 4])> = HashMap::new();
    let mut record = |form: String, value: u64, (keep, hidden): (bool, bool)| {
        if value == 0 {
            return;
        }
        let e = forms.entry(form).or_insert((0, [false; 4]));
        e.0 |= value;
        // Case rules read the flags of the entry the checker finds, which is one that makes
        // the form a word by itself when there is one.
        if value & STANDALONE != 0 {
            e.1[usize::from(!keep)] = true;
            e.1[2 + usize::from(!hidden)] = true;
        }
    };
    let mut suffixes_by_flag: HashMap<&str, Vec<&Affix>> = HashMap::new();
    for s in &aff.suffixes {
        suffixes_by_flag.entry(&s.flag).or_default().push(s);
    }
    let valid_prefixes: Vec<(u64, &Affix)> = classes
        .iter()
        .filter(|(_, p)| !only_compound(p))
        .map(|(b, p)| (*b, p))
        .collect();
    for line in dic.lines().skip(1) {
        let line = line.trim_end();
        if line.is_empty() {
            continue;
        }
        let (word, flags) = match line.split_once('/') {
            Some((w, f)) => (w, aff.flags(f.split_whitespace().next().unwrap_or(""))),
            None => (line.split_whitespace().next().unwrap_or(line), Vec::new()),
        };
        let word = word.replace("\\/", "/");
        let forbidden = has(&flags, &aff.forbidden);
        if forbidden || has(&flags, &aff.only_in_compound) {
            continue;
        }
        let keep = has(&flags, &aff.keep_case);
        let c = casing(&word);
        let hidden = ((c == Casing::Pascal || c == Casing::Camel) && !forbidden)
            || (c == Casing::All && !flags.is_empty());
        let mut entries = vec![(word.clone(), (keep, false))];
        if hidden {
            entries.push((titlecase(&word), (keep, true)));
        }
        for (word, origin) in entries {
            let in_stem = |f: &str| flags.iter().any(|x| x == f);
            // The stem, alone or under a prefix.
            let mut value = if has(&flags, &aff.need_affix) {
                0
            } else {
                STANDALONE
            };
            for &(b, p) in &valid_prefixes {
                if in_stem(&p.flag) && !need(p) && !circ(p) {
                    value |= b;
                }
            }
            record(word.clone(), value, origin);
            // A suffix allowed by a prefix's continuation class (`yotta` + `mètres`): the form
            // exists under that prefix only.
            for &(b, p) in &valid_prefixes {
                if !in_stem(&p.flag) || !p.cross {
                    continue;
                }
                for sflag in p.cont.iter().filter(|f| !in_stem(f)) {
                    for s in suffixes_by_flag.get(sflag.as_str()).into_iter().flatten() {
                        if s.cross && !need(s) && !only_compound(s) && circ(p) == circ(s) {
                            if let Some(f1) = suffixed(&word, s) {
                                record(f1, b, origin);
                            }
                        }
                    }
                }
            }
            for sflag in &flags {
                let Some(rules) = suffixes_by_flag.get(sflag.as_str()) else {
                    continue;
                };
                for s in rules {
                    if only_compound(s) {
                        continue;
                    }
                    let Some(f1) = suffixed(&word, s) else {
                        continue;
                    };
                    let mut value = if need(s) || circ(s) { 0 } else { STANDALONE };
                    for &(b, p) in &valid_prefixes {
                        if !(p.cross && s.cross) || circ(p) != circ(s) {
                            continue;
                        }
                        let ok = if in_stem(&p.flag) {
                            !need(p) || !need(s)
                        } else {
                            s.cont.contains(&p.flag) && !need(p)
                        };
                        if ok {
                            value |= b;
                        }
                    }
                    record(f1.clone(), value, origin);
                    if circ(s) {
                        continue;
                    }
                    // Two suffixes: the inner one's continuation class names the outer.
                    for oflag in &s.cont {
                        let Some(outer) = suffixes_by_flag.get(oflag.as_str()) else {
                            continue;
                        };
                        for o in outer {
                            if only_compound(o) || need(o) {
                                continue;
                            }
                            let Some(f2) = suffixed(&f1, o) else {
                                continue;
                            };
                            let mut value = if circ(o) { 0 } else { STANDALONE };
                            for &(b, p) in &valid_prefixes {
                                if !p.cross || need(p) {
                                    continue;
                                }
                                let a = o.cross
                                    && circ(p) == circ(o)
                                    && (o.cont.contains(&p.flag) || in_stem(&p.flag));
                                let c = o.cross
                                    && s.cross
                                    && !circ(p)
                                    && !circ(o)
                                    && (s.cont.contains(&p.flag) || in_stem(&p.flag));
                                if a || c {
                                    value |= b;
                                }
                            }
                            record(f2, value, origin);
                        }
                    }
                }
            }
        }
    }
    forms
        .into_iter()
        .map(|(form, (value, [keep, other, hidden, shown]))| {
            let keep = match (keep, other) {
                (true, false) => KEEPCASE_ONLY,
                (true, true) => KEEPCASE_SOME,
                _ => 0,
            };
            let hidden = if hidden && !shown { HIDDEN_ONLY } else { 0 };
            (form, value | keep | hidden)
        })
        .collect()
}
