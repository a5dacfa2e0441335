//! The terminal report, golden: what a person reads, in French and in English.

use tweetguard::review::{render, review, History, Settings};

fn report(text: &str) -> String {
    let mut s = Settings::default();
    s.signature = Some("^SG".into());
    render::text(&review(text, &s, &History::default()), text, false)
}

#[test]
fn a_french_ad_reads_as_advice_in_french() {
    insta::assert_snapshot!(report(
        "Grosse PROMO ce week-end : -30 % sur tout, profitez-en!!! Nous sommes fiers d'annoncer nos solutions innovantes."
    ));
}

#[test]
fn an_english_retweet_without_credit_reads_as_advice_in_english() {
    insta::assert_snapshot!(report(
        "RT: We leverage best-in-class synergies. Don't miss it, act now!!"
    ));
}

#[test]
fn a_good_tweet_is_praised() {
    insta::assert_snapshot!(report(
        "On a lu ce dossier sur le vélo d'hiver via @marie : vous roulez encore en janvier ? ^SG"
    ));
}

#[test]
fn colour_only_when_asked() {
    let text = "RT: no credit";
    let r = review(text, &Settings::default(), &History::default());
    assert!(render::text(&r, text, true).contains("\x1b["));
    assert!(!render::text(&r, text, false).contains("\x1b["));
}
