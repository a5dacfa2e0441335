//! Every lexicon family's own examples: each `flag` example must trigger the rule the family
//! feeds, each `pass` example must not. One test runs them all, in both languages.

use tweetguard::review::{review, History, Language, Lexicon, Settings};

#[test]
fn every_lexicon_example_flags_or_passes_as_it_says() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for lang in [Language::Fr, Language::En] {
        let mut settings = Settings::default();
        settings.language = Some(lang);
        for family in Lexicon::builtin(lang).families() {
            assert!(
                !family.flag.is_empty() || !family.pass.is_empty(),
                "{:?} family {} has no examples",
                lang,
                family.rule
            );
            for (examples, should_flag) in [(&family.flag, true), (&family.pass, false)] {
                for text in examples {
                    checked += 1;
                    let r = review(text, &settings, &History::default());
                    let flagged = r.findings.iter().any(|f| f.rule == family.checks);
                    if flagged != should_flag {
                        failures.push(format!(
                            "[{}] {} ({}) should {}flag: {text:?}\n    findings: {:?}",
                            lang.code(),
                            family.rule,
                            family.checks,
                            if should_flag { "" } else { "not " },
                            r.findings
                                .iter()
                                .map(|f| f.rule.as_str())
                                .collect::<Vec<_>>()
                        ));
                    }
                }
            }
        }
    }
    assert!(checked > 90, "only {checked} examples");
    assert!(
        failures.is_empty(),
        "{} of {checked} examples failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
