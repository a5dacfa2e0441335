//! The review measured on real brand tweets: precision and recall per guideline against the
//! team's own labels, with a ratchet so that no change makes them worse.
//!
//! The tweets are read at test time from `../shared/corpus/tweets.jsonl` (or the file named by
//! `TWEETGUARD_CORPUS`); they belong to their authors and are never copied into the repository.
//! The labels (`tests/corpus/labels.jsonl`) hold only ids and judgements: for each guideline,
//! `flag` (a community manager would raise something), `clean` (nothing to say) or `unsure`
//! (left out of the figures). A guideline "fires" when the review has a finding of it that is
//! not praise.
//!
//! `cargo test --test it corpus -- --nocapture` prints the table and the worst false alarms.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use serde::Deserialize;
use tweetguard::review::{review, History, Review, Settings, Severity};

#[derive(Deserialize)]
struct CorpusTweet {
    id: String,
    text: String,
    #[serde(default)]
    account: Option<String>,
}

/// How an account's team would set tweetguard up (`tests/corpus/accounts.toml`).
#[derive(Deserialize)]
struct Accounts {
    account: HashMap<String, Account>,
}

#[derive(Deserialize)]
struct Account {
    company: String,
    #[serde(default)]
    handles: Vec<String>,
}

impl Accounts {
    fn load() -> Accounts {
        toml::from_str(&std::fs::read_to_string(data_path("accounts.toml")).expect("accounts.toml"))
            .expect("accounts.toml is valid")
    }

    /// The review settings of a tweet's account: the defaults, with its names and handles
    /// (`TWEETGUARD_CORPUS_ACCOUNTS=0` measures with the defaults alone).
    fn settings(&self, account: Option<&str>) -> Settings {
        let mut s = Settings::default();
        if std::env::var("TWEETGUARD_CORPUS_ACCOUNTS").is_ok_and(|v| v == "0") {
            return s;
        }
        if let Some(a) = account.and_then(|a| self.account.get(a)) {
            s.company = Some(a.company.clone());
            s.own_handles = a.handles.clone();
        }
        s
    }
}

/// The floor each figure may not drop below: the level reached, so a change that makes the
/// review worse on real tweets fails here.
#[derive(Deserialize)]
struct Ratchet {
    guideline: BTreeMap<String, Floor>,
}

#[derive(Deserialize)]
struct Floor {
    precision: f64,
    recall: f64,
    /// The share of tweets labelled clean for the guideline on which it fires.
    false_alarm_rate: f64,
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
    tn: usize,
}

impl Counts {
    fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    fn false_alarm_rate(&self) -> f64 {
        if self.fp + self.tn == 0 {
            0.0
        } else {
            self.fp as f64 / (self.fp + self.tn) as f64
        }
    }
}

/// A ratio where "nothing to find, nothing found" is perfect.
fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 {
        1.0
    } else {
        n as f64 / d as f64
    }
}

fn corpus_path() -> PathBuf {
    std::env::var_os("TWEETGUARD_CORPUS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/tweets.jsonl"),
        PathBuf::from,
    )
}

fn data_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(name)
}

/// The corpus, by id; `None` (with a note) when it is absent outside CI.
fn load_corpus() -> Option<HashMap<String, CorpusTweet>> {
    let path = corpus_path();
    let Ok(data) = std::fs::read_to_string(&path) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "the corpus {} is missing, and CI is set: the review must be measured in CI",
            path.display()
        );
        eprintln!(
            "skipped: no corpus at {} (set TWEETGUARD_CORPUS to measure the review on real tweets)",
            path.display()
        );
        return None;
    };
    let mut out = HashMap::new();
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let t: CorpusTweet = serde_json::from_str(line).expect("a corpus line is a tweet");
        out.insert(t.id.clone(), t);
    }
    Some(out)
}

/// Labels by id: guideline id to `flag`, `clean` or `unsure`.
fn load_labels() -> Vec<(String, BTreeMap<String, String>)> {
    let data =
        std::fs::read_to_string(data_path("labels.jsonl")).expect("tests/corpus/labels.jsonl");
    data.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).expect("a label line is JSON");
            let id = v["id"].as_str().expect("a label has an id").to_string();
            let labels = v
                .as_object()
                .into_iter()
                .flatten()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .filter(|(k, v)| k != "id" && matches!(v.as_str(), "flag" | "clean" | "unsure"))
                .collect();
            (id, labels)
        })
        .collect()
}

/// The guidelines a review has something (not praise) to say about, with the rules that spoke.
fn fired(r: &Review) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in r.findings.iter().filter(|f| f.severity != Severity::Praise) {
        let g = serde_json::to_value(f.guideline)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        out.entry(g).or_default().push(f.rule.clone());
    }
    out
}

#[test]
fn corpus_the_review_holds_on_real_brand_tweets() {
    let Some(corpus) = load_corpus() else { return };
    let labels = load_labels();
    assert!(labels.len() >= 600, "at least 600 labelled tweets");
    let accounts = Accounts::load();
    let history = History::default();
    let mut counts: BTreeMap<String, Counts> = BTreeMap::new();
    let mut false_alarms: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut misses: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (id, judged) in &labels {
        let tweet = corpus
            .get(id)
            .unwrap_or_else(|| panic!("label {id} names no tweet of the corpus"));
        let text = &tweet.text;
        let settings = accounts.settings(tweet.account.as_deref());
        let fired = fired(&review(text, &settings, &history));
        for (g, label) in judged {
            let spoke = fired.get(g);
            let c = counts.entry(g.clone()).or_default();
            match (label.as_str(), spoke) {
                ("flag", Some(_)) => c.tp += 1,
                ("flag", None) => {
                    c.fn_ += 1;
                    misses
                        .entry(g.clone())
                        .or_default()
                        .push(format!("{id}: {text}"));
                }
                ("clean", Some(rules)) => {
                    c.fp += 1;
                    false_alarms
                        .entry(g.clone())
                        .or_default()
                        .push(format!("{id} [{}]: {text}", rules.join(", ")));
                }
                ("clean", None) => c.tn += 1,
                _ => {}
            }
        }
    }
    println!("guideline    positives  precision  recall  false alarms on clean");
    for (g, c) in &counts {
        println!(
            "{g:<12} {:>9}  {:>9.3}  {:>6.3}  {:>6.3} ({} of {})",
            c.tp + c.fn_,
            c.precision(),
            c.recall(),
            c.false_alarm_rate(),
            c.fp,
            c.fp + c.tn
        );
    }
    // `TWEETGUARD_CORPUS_SHOW=n` prints n examples of each instead of 8.
    let limit = std::env::var("TWEETGUARD_CORPUS_SHOW")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(8);
    for (g, list) in &false_alarms {
        println!("\nfalse alarms, {g} ({}):", list.len());
        for line in list.iter().take(limit) {
            println!("  {line}");
        }
    }
    for (g, list) in &misses {
        println!("\nmissed, {g} ({}):", list.len());
        for line in list.iter().take(limit) {
            println!("  {line}");
        }
    }
    let ratchet: Ratchet =
        toml::from_str(&std::fs::read_to_string(data_path("ratchet.toml")).expect("ratchet.toml"))
            .expect("ratchet.toml is valid");
    let mut worse = Vec::new();
    for (g, floor) in &ratchet.guideline {
        let c = counts.get(g).copied().unwrap_or_default();
        // Rounded to the third decimal, as printed, so the floor can be copied from the table.
        let r3 = |x: f64| (x * 1000.0).round() / 1000.0;
        if r3(c.precision()) < floor.precision {
            worse.push(format!(
                "{g}: precision {:.3} < {}",
                c.precision(),
                floor.precision
            ));
        }
        if r3(c.recall()) < floor.recall {
            worse.push(format!("{g}: recall {:.3} < {}", c.recall(), floor.recall));
        }
        if r3(c.false_alarm_rate()) > floor.false_alarm_rate {
            worse.push(format!(
                "{g}: false alarms on {:.3} of clean tweets > {}",
                c.false_alarm_rate(),
                floor.false_alarm_rate
            ));
        }
    }
    assert!(
        worse.is_empty(),
        "the review got worse on real tweets:\n{}",
        worse.join("\n")
    );
}
