//! The `spelling` guideline on real text: the seed article's typos all found with few false
//! alarms, and the real-tweet corpus (`../shared/corpus`) with at most one false alarm per 50
//! tweets. Both read shared data at test time (never copied here): skipped with a note when
//! it is absent, required when `CI` is set.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use tweetguard::review::{review, Guideline, History, Review, Settings};

/// `../shared/<rel>` from the crate root (`../../shared` from a worktree in `wt/<branch>`), or
/// `None` (with a note) when absent outside CI.
fn shared(rel: &str) -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let candidates = [root.join("../shared"), root.join("../../shared")];
    if let Some(p) = candidates.iter().map(|d| d.join(rel)).find(|p| p.exists()) {
        return Some(p);
    }
    let p = candidates[0].join(rel);
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is required when CI is set",
        p.display()
    );
    eprintln!("note: {} is absent; spelling test skipped", p.display());
    None
}

/// The words the spelling guideline flags in a review of `text`.
fn flagged<'t>(r: &Review, text: &'t str) -> Vec<&'t str> {
    r.findings
        .iter()
        .filter(|f| f.rule == "spelling.unknown-word")
        .flat_map(|f| f.spans.iter().map(|s| &text[s.start..s.end]))
        .collect()
}

/// The typos the seed article really has (the word part a finding's span covers).
const SEED_TYPOS: &[&str] = &[
    "occuppe",
    "percetion",
    "faiblesseet",
    "languge",
    "déshormais",
    "extrèmement",
    "intéraction",
];

/// A typo of the seed article the issue does not list, but a typo all the same (`interagir`).
const SEED_ALSO_TYPOS: &[&str] = &["intéragissent"];

#[test]
fn the_seed_article_has_all_its_typos_found_and_few_false_alarms() {
    let Some(path) = shared("seed/000_8b40b82412dca466.txt") else {
        return;
    };
    let article = std::fs::read_to_string(&path).expect("the seed article reads");
    let settings = Settings::default();
    let mut words: Vec<String> = Vec::new();
    // Paragraph by paragraph, as tweets would be.
    for para in article.split("\n\n").filter(|p| !p.trim().is_empty()) {
        let r = review(para, &settings, &History::default());
        words.extend(flagged(&r, para).into_iter().map(str::to_string));
    }
    let found: HashSet<&str> = words.iter().map(String::as_str).collect();
    let missed: Vec<&&str> = SEED_TYPOS.iter().filter(|t| !found.contains(**t)).collect();
    let false_alarms: Vec<&String> = words
        .iter()
        .filter(|w| !SEED_TYPOS.contains(&w.as_str()) && !SEED_ALSO_TYPOS.contains(&w.as_str()))
        .collect();
    eprintln!(
        "seed: {} of {} typos found, false alarms: {false_alarms:?}",
        SEED_TYPOS.len() - missed.len(),
        SEED_TYPOS.len()
    );
    assert!(missed.is_empty(), "typos missed: {missed:?}");
    assert!(
        false_alarms.len() <= 5,
        "more than a handful of false alarms: {false_alarms:?}"
    );
}

/// Flagged words of the corpus that are real misspellings, by corpus id and byte span (the
/// words themselves stay out of the repository).
const CORPUS_TYPOS: &str = include_str!("../corpus/spelling_typos.txt");

#[test]
fn the_corpus_has_at_most_one_spelling_false_alarm_per_50_tweets() {
    let Some(path) = shared("corpus/tweets.jsonl") else {
        return;
    };
    let data = std::fs::read_to_string(&path).expect("the corpus reads");
    let typos: HashSet<(String, usize)> = CORPUS_TYPOS
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .filter_map(|l| {
            let (id, start) = l.split_once(' ')?;
            Some((id.to_string(), start.trim().parse().ok()?))
        })
        .collect();
    let settings = Settings::default();
    let (mut tweets, mut with_finding, mut false_alarms, mut real) = (0, 0, 0, 0);
    // The rules across words (missing spaces, repeated words, confusions), counted apart.
    let (mut other_alarms, mut real_other) = (0, 0);
    let mut words: BTreeMap<String, usize> = BTreeMap::new();
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        let (Some(id), Some(text)) = (v["id"].as_str(), v["text"].as_str()) else {
            continue;
        };
        tweets += 1;
        // The account's name is the company a team would set (`/settings company`).
        let mut settings = settings.clone();
        settings.company = v["account"].as_str().map(str::to_string);
        let r = review(text, &settings, &History::default());
        let spans: Vec<_> = r
            .findings
            .iter()
            .filter(|f| f.guideline == Guideline::Spelling)
            .flat_map(|f| f.spans.iter().map(|s| (f.rule.as_str(), *s)))
            .collect();
        with_finding += usize::from(!spans.is_empty());
        for (rule, s) in spans {
            let word = rule == "spelling.unknown-word";
            if typos.contains(&(id.to_string(), s.start)) {
                if word {
                    real += 1;
                } else {
                    real_other += 1;
                }
            } else if !word {
                other_alarms += 1;
                if std::env::var_os("SPELLING_REPORT").is_some() {
                    eprintln!("{id} [{rule}] {}", &text[s.start..s.end]);
                }
            } else {
                false_alarms += 1;
                if std::env::var_os("SPELLING_REPORT").is_some() {
                    // Every false alarm in its context, to tune the skips (never committed).
                    let mut from = s.start.saturating_sub(30);
                    while !text.is_char_boundary(from) {
                        from -= 1;
                    }
                    let mut to = (s.end + 30).min(text.len());
                    while !text.is_char_boundary(to) {
                        to += 1;
                    }
                    let word = &text[s.start..s.end];
                    eprintln!("{id} {word} | {}", &text[from..to].replace('\n', " "));
                }
                *words
                    .entry(text[s.start..s.end].to_lowercase())
                    .or_default() += 1;
            }
        }
    }
    let mut common: Vec<_> = words.into_iter().collect();
    common.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    eprintln!(
        "corpus: {tweets} tweets, {with_finding} with a spelling finding, {real} real typos, \
         {false_alarms} false alarms (1 per {:.0} tweets)",
        tweets as f64 / false_alarms.max(1) as f64
    );
    eprintln!(
        "other spelling rules (missing space, repeated word, confusion): {real_other} right, \
         {other_alarms} false alarms"
    );
    eprintln!(
        "most frequent false alarms: {:?}",
        &common[..common.len().min(40)]
    );
    assert!(
        false_alarms * 50 <= tweets,
        "{false_alarms} spelling false alarms on {tweets} tweets: more than one per 50"
    );
    // The ratchet: the level reached (deterministic data); lower it when the check improves.
    assert!(
        false_alarms <= 11,
        "false alarms went up: {false_alarms} > 11"
    );
    assert!(
        real >= 30,
        "real typos missed: {real} of the 30 found before"
    );
    // The same ratchet for the rules across words.
    assert!(
        other_alarms == 0,
        "false alarms across words went up: {other_alarms} > 0"
    );
    assert!(
        real_other >= 16,
        "real typos across words missed: {real_other} of the 16 found before"
    );
}
