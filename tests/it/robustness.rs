//! Whatever the text, the review never panics and its spans point at char boundaries inside
//! the text: control and zero-width characters, RTL marks, lone combining marks, huge input.

use proptest::prelude::*;
use tweetguard::review::{review, History, Review, Settings};

fn assert_sound(text: &str, r: &Review) {
    for f in &r.findings {
        for s in &f.spans {
            assert!(
                s.start <= s.end && s.end <= text.len(),
                "{} span {s:?} out of {}",
                f.rule,
                text.len()
            );
            assert!(
                text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
                "{} span {s:?}",
                f.rule
            );
        }
        assert!(!f.message.is_empty());
    }
    assert!(r.score <= 100);
}

/// Characters that break naive text code, mixed with the ones the rules look for.
fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        any::<char>(),
        prop::sample::select(vec![
            '\u{0}',
            '\u{7}',
            '\n',
            '\r',
            '\t',
            '\u{200B}',
            '\u{200D}',
            '\u{FEFF}',
            '\u{202E}',
            '\u{200F}',
            '\u{0301}',
            '\u{0308}',
            '\u{FE0F}',
            '\u{1F469}',
            '\u{1F3FD}',
            '@',
            '#',
            '$',
            '€',
            '%',
            '!',
            '?',
            '«',
            '»',
            '"',
            '-',
            '^',
            '.',
            ',',
            ' ',
            '\u{a0}',
            '\u{202f}',
            'é',
            'É',
            'A',
            'z',
            '9',
            '0',
            '/',
            ':',
            '−',
            '’',
        ]),
    ]
}

fn tricky_words() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "promo",
        "PROMO",
        "RT",
        "via @marie",
        "https://example.com/a?b=c",
        "example.com",
        "19,99 $",
        "-30 %",
        "$5",
        "« citation »",
        "nous",
        "vous",
        "^SG",
        "!!",
        "#tag",
        "@a",
        "qu'en pensez-vous",
        "n'importe quoi",
        "e\u{301}",
        "\u{301}",
        "1 000",
        "12.",
    ])
    .prop_map(str::to_string)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_unicode_text_reviews_soundly(text in prop::collection::vec(tricky_char(), 0..200)) {
        let text: String = text.into_iter().collect();
        let r = review(&text, &Settings::default(), &History::default());
        assert_sound(&text, &r);
    }

    #[test]
    fn rule_words_glued_to_odd_characters_review_soundly(
        parts in prop::collection::vec(
            prop_oneof![tricky_words(), tricky_char().prop_map(String::from)], 0..60)
    ) {
        let text = parts.concat();
        let r = review(&text, &Settings::default(), &History::default());
        assert_sound(&text, &r);
    }
}

#[test]
fn huge_and_adversarial_texts_review_soundly() {
    let cases = [
        "a".repeat(100_000),
        "é".repeat(50_000),
        "@a ".repeat(33_000),
        "#promo ".repeat(14_000),
        "!".repeat(100_000),
        "\u{301}".repeat(50_000),
        "« ".repeat(50_000),
        "1 000,".repeat(16_000),
        "https://example.com/ ".repeat(5_000),
        "PROMO ".repeat(16_000),
    ];
    for text in &cases {
        let r = review(text, &Settings::default(), &History::default());
        assert_sound(text, &r);
    }
}
