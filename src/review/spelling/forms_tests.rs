//! The expanded forms answer as spellbook does, word by word.

use super::{english, french, Speller};

/// Words to compare: a sample of each dictionary's stems, inflected, capitalised, cut and
/// misspelt, and the usual shapes of tweet words (elisions, hyphens, apostrophes).
fn sample(dic: &str, step: usize) -> Vec<String> {
    let mut out = Vec::new();
    let endings = [
        "", "s", "e", "es", "ent", "ons", "ez", "er", "é", "ée", "ait", "ing", "ed",
    ];
    for line in dic.lines().skip(1).step_by(step) {
        let stem = line.split('/').next().unwrap_or("");
        let base: String = stem.chars().collect();
        for e in endings {
            let w = format!("{base}{e}");
            let mut title = w.clone();
            if let Some(c) = w.chars().next() {
                title = c.to_uppercase().chain(w.chars().skip(1)).collect();
            }
            out.push(w.to_uppercase());
            out.push(format!("L'{}", w.to_uppercase()));
            out.push(title);
            out.push(format!("l'{w}"));
            out.push(format!("qu'{w}"));
            out.push(format!("{w}-ci"));
            out.push(w);
        }
        let chars: Vec<char> = base.chars().collect();
        for i in 0..chars.len() {
            let mut cut = chars.clone();
            cut.remove(i);
            out.push(cut.into_iter().collect());
        }
    }
    for w in [
        "aujourd'hui",
        "Aujourd'hui",
        "peut-être",
        "c'est-à-dire",
        "l’équipe",
        "L'équipe",
        "jusqu'au",
        "lorsqu'il",
        "don't",
        "company's",
        "we're",
        "e-mail",
        "coeur",
        "cœur",
        "Ecole",
        "École",
        "faiblesseet",
        "languge",
        "s'occuppe",
        "occuppe",
        "déshormais",
        "yottamètres",
        "kilomètres",
        "l'exa",
        "ﬁn",
        "ſoleil",
        "Paris",
        "paris",
        "iPhone",
        "-",
        "'",
        "l'",
        "'abord",
        "re-",
        "-ci",
        "a-b-c-d",
        "Mme",
        "mme",
        "thé·e·s",
        "a.b",
    ] {
        out.push(w.to_string());
    }
    out
}

fn compare(s: &Speller, words: &[String]) -> (usize, Vec<String>) {
    let mut decided = 0;
    let mut wrong = Vec::new();
    let mut undecided = Vec::new();
    for w in words {
        if s.forms.check(w).is_none() && undecided.len() < 40 {
            undecided.push(w.as_str());
        }
        if let Some(v) = s.forms.check(w) {
            decided += 1;
            if v != s.hunspell().check(w) && !s.forms.case_ambiguous(w) {
                wrong.push(format!("{w}: forms say {v}"));
            }
        }
    }
    if !undecided.is_empty() {
        eprintln!("undecided: {undecided:?}");
    }
    (decided, wrong)
}

#[test]
fn forms_agree_with_hunspell() {
    for (s, dic, step) in [
        (french(), include_str!("dictionaries/fr.dic"), 97),
        (english(), include_str!("dictionaries/en.dic"), 61),
    ] {
        let words = sample(dic, step);
        let (decided, wrong) = compare(s, &words);
        assert!(
            decided * 10 > words.len() * 9,
            "{decided} of {}",
            words.len()
        );
        assert!(
            wrong.is_empty(),
            "{} of {decided}: {:#?}",
            wrong.len(),
            &wrong[..wrong.len().min(40)]
        );
    }
}

/// Misspellings and noise for the suggestion search, among them words that start like a
/// prefix rule's prefix (`re`, `dis`, `kilo`, `m` for milli) or are shorter than one.
const NOISE: &[&str] = &[
    "jaskukcxmtljtfhfjdrz",
    "bhsxcn",
    "tnxsct",
    "remxqt",
    "reprt",
    "disqzk",
    "dis",
    "kil",
    "kilozx",
    "kilomtre",
    "mxyzt",
    "mill",
    "milliqz",
    "centiqq",
    "hectozz",
    "dxqv",
    "unxq",
    "unhapy",
    "proxqz",
    "con",
    "ab",
    "zz",
    "occuppe",
    "languge",
    "faiblesseet",
    "extrèmement",
    "décalé",
    "aujourdhui",
];

/// The suggestion search's shortcuts (the prober's walks from the word's states, the dead
/// beginnings) answer as the full lookup does, candidate by candidate, and find the same.
#[test]
fn suggestion_lookups_agree_with_the_forms() {
    use super::suggest::{candidates, letters};
    for (s, dic) in [
        (french(), include_str!("dictionaries/fr.dic")),
        (english(), include_str!("dictionaries/en.dic")),
    ] {
        let mut words: Vec<String> = sample(dic, 997).into_iter().take(400).collect();
        words.extend(NOISE.iter().map(|w| w.to_string()));
        let mut checked = 0;
        for w in &words {
            let Some(p) = s.forms.prober(w, letters()) else {
                continue;
            };
            let dead = p.dead_from();
            let _ = candidates(w, 5_000, usize::MAX, |c, kept| {
                let full = s.check(c);
                assert_eq!(p.knows(c, kept), full, "{w}: {c}");
                assert!(kept < dead || !full, "{w}: {c} is known, dead from {dead}");
                checked += 1;
                full
            });
            assert_eq!(
                candidates(w, s.budget, dead, |c, kept| p.knows(c, kept)),
                candidates(w, s.budget, usize::MAX, |c, _| s.check(c)),
                "{w}"
            );
        }
        assert!(checked > 10_000, "{checked}");
    }
}
