//! Each skip of the spelling check, in French and English, next to a typo that must still be
//! found.

use super::super::{review, History, Language, Review, Settings};

fn settings() -> Settings {
    Settings::default()
}

/// The words flagged in `text`, as written.
fn unknown_with(text: &str, s: &Settings) -> Vec<String> {
    let r = review(text, s, &History::default());
    words(&r, text)
}

fn unknown(text: &str) -> Vec<String> {
    unknown_with(text, &settings())
}

/// The first unknown word's finding in a review (with default settings) of `text`, and its
/// text: the span a test checks.
fn first_unknown(text: &str) -> (Review, usize) {
    let r = review(text, &settings(), &History::default());
    let i = r
        .findings
        .iter()
        .position(|f| f.rule == "spelling.unknown-word")
        .unwrap_or_else(|| panic!("an unknown word is found in {text:?}"));
    (r, i)
}

fn words(r: &Review, text: &str) -> Vec<String> {
    r.findings
        .iter()
        .filter(|f| f.rule == "spelling.unknown-word")
        .flat_map(|f| f.spans.iter().map(|s| text[s.start..s.end].to_string()))
        .collect()
}

#[test]
fn a_typo_is_found_with_its_span_and_suggestions_in_both_languages() {
    let fr = "Notre équipe s'occuppe de votre demande.";
    let (r, i) = first_unknown(fr);
    let f = &r.findings[i];
    assert_eq!(&fr[f.spans[0].start..f.spans[0].end], "occuppe");
    assert_eq!(f.severity, super::Severity::Warning);
    assert!(f.message.contains("occuppe"), "{}", f.message);
    let fix = f.fix.as_deref().unwrap_or("");
    assert!(fix.contains("occupe"), "{fix}");
    assert!(fix.split(", ").count() <= 3, "{fix}");

    let en = "We fixed the languge settings for you.";
    let (r, i) = first_unknown(en);
    assert_eq!(r.language, Language::En);
    let f = &r.findings[i];
    assert_eq!(&en[f.spans[0].start..f.spans[0].end], "languge");
    assert!(f.message.starts_with("A word no dictionary knows"));
    assert!(f.fix.as_deref().unwrap_or("").contains("language"));
}

#[test]
fn correct_text_has_no_finding_in_both_languages() {
    assert_eq!(
        unknown("Bonjour, le trafic est rétabli sur l'ensemble de la ligne. Bonne journée !"),
        Vec::<String>::new()
    );
    assert_eq!(
        unknown("Thanks for your patience, the colour of the new centre is gorgeous."),
        Vec::<String>::new()
    );
}

#[test]
fn spelling_off_says_nothing() {
    let mut s = settings();
    s.spelling = false;
    assert!(unknown_with("Notre équipe s'occuppe de votre demande.", &s).is_empty());
    assert!(unknown_with("We fixed the languge settings.", &s).is_empty());
}

#[test]
fn handles_are_skipped() {
    assert_eq!(
        unknown("@jdupontxyz Bonjour, notre équipe s'occuppe de votre demande."),
        ["occuppe"]
    );
    assert_eq!(
        unknown("@mikezzsmith thanks, the languge is fixed."),
        ["languge"]
    );
}

#[test]
fn hashtags_are_skipped() {
    assert_eq!(
        unknown("Rendez-vous au salon #VivaTechhh demain !"),
        Vec::<String>::new()
    );
    assert_eq!(
        unknown("See you at the show #mondaymotivationz"),
        Vec::<String>::new()
    );
}

#[test]
fn urls_are_skipped() {
    assert!(unknown("Tout est là : https://exemple.fr/agendda-complett").is_empty());
    assert!(unknown("All the details: https://example.com/schedulle and acmme.io/newz").is_empty());
}

#[test]
fn emoji_numbers_and_codes_are_skipped() {
    assert!(unknown("Départ à 10h30 du quai 3B, merci 🙏🏽 2/2").is_empty());
    assert!(unknown("Train GEPU supprimé, voie 2 : prenez le RER B.").is_empty());
    assert!(unknown("Order #A12X ships on the 21st 🚚 ref XK9Z").is_empty());
    assert!(unknown("Our SLA for NYC is 24h, see FAQ 😉").is_empty());
}

#[test]
fn brand_casing_and_proper_nouns_mid_sentence_are_skipped() {
    assert!(unknown("Votre colis part avec Zyplobox demain, réglez via PayPal.").is_empty());
    assert!(unknown("Your order ships with Zyplobox tomorrow, on your iPhone.").is_empty());
    // The same word in lower case is a word, and unknown.
    assert_eq!(
        unknown("Votre colis part avec zyplobox demain."),
        ["zyplobox"]
    );
}

#[test]
fn the_company_name_is_skipped() {
    let mut s = settings();
    s.company = Some("Quizzbo Télécom".into());
    assert!(unknown_with("Quizzbo vous répond du lundi au vendredi.", &s).is_empty());
    assert!(unknown_with("quizzbo is here to help, every day.", &s).is_empty());
    assert_eq!(
        unknown("Quizzbo vous répond du lundi au vendredi."),
        ["Quizzbo"]
    );
}

#[test]
fn signatures_are_skipped() {
    assert!(unknown("Merci de votre patience ! ^Jyk").is_empty());
    assert!(unknown("Thanks for your patience! ^Mkz").is_empty());
    let mut s = settings();
    s.signature = Some("-Kilyane".into());
    assert!(unknown_with("Merci de votre patience. Kilyane", &s).is_empty());
    assert!(unknown_with("Thanks for waiting. Kilyane", &s).is_empty());
}

#[test]
fn the_teams_known_words_are_skipped() {
    let mut s = settings();
    s.add_known_words(["vélotafeur", "flexdesk"]);
    assert!(unknown_with("Les vélotafeurs adorent le nouveau flexdesk.", &s).len() == 1);
    assert!(unknown_with("Un vélotafeur adore le nouveau flexdesk.", &s).is_empty());
    assert!(unknown_with("Book a flexdesk today.", &s).is_empty());
    assert_eq!(unknown("Book a flexdesk today."), ["flexdesk"]);
}

#[test]
fn elisions_are_taken_off_and_what_follows_is_checked() {
    assert!(unknown("Aujourd'hui, jusqu'à midi, l'équipe qu'on connaît s'en occupe.").is_empty());
    assert!(unknown("Aujourd’hui, l’équipe d’astreinte s’en occupe.").is_empty());
    assert_eq!(unknown("Il faut qu'on l'intéraction."), ["intéraction"]);
    assert!(unknown("We're sure the company's team won't mind, it's fine.").is_empty());
    assert_eq!(unknown("The compny's team is here."), ["compny"]);
}

#[test]
fn hyphenated_compounds_are_checked_whole_then_part_by_part() {
    assert!(unknown("Peut-être ce week-end ? Dites-le-nous, c'est-à-dire vite.").is_empty());
    assert!(unknown("A well-known, long-term, state-of-the-art follow-up.").is_empty());
    assert_eq!(unknown("Un arc-en-cieel magnifique."), ["cieel"]);
    assert_eq!(unknown("A well-knwn partner."), ["knwn"]);
}

#[test]
fn tweet_shorthand_is_skipped() {
    assert!(unknown("Écrivez-nous en MP ou en dm, svp, merci !").is_empty());
    assert!(unknown("Pls send us a DM asap, thx.").is_empty());
}

#[test]
fn french_and_english_mixed_pass() {
    assert!(unknown("Le live de ce soir sur notre showroom, c'est cool.").is_empty());
    assert!(unknown("Our new menu is très chic, bon appétit!").is_empty());
}

#[test]
fn a_text_in_another_language_gets_no_spelling_review() {
    assert!(
        unknown("Hola amigos, gracias por escribirnos, revisamos tu pedido mañana temprano.")
            .is_empty()
    );
    assert!(unknown(
        "wir prüfen und antworten schnell, bitte warten sie noch etwas, danke für ihre geduld."
    )
    .is_empty());
    // A few typos are still a review.
    assert_eq!(
        unknown("We fixed the languge and the percetion."),
        ["languge", "percetion"]
    );
}

#[test]
fn words_in_capitals_with_an_apostrophe_are_checked_in_lower_case() {
    // One letter too many in capitals: still a typo, the fix in capitals.
    let text = "AUJOURDH'HUI À 11H : notre webinaire !";
    let (r, i) = first_unknown(text);
    let f = &r.findings[i];
    assert_eq!(&text[f.spans[0].start..f.spans[0].end], "AUJOURDH'HUI");
    assert!(f.fix.as_deref().unwrap_or("").contains("AUJOURD'HUI"));
    assert_eq!(unknown("TODAY'SS OFFER: free delivery!"), ["TODAY'SS"]);
    // Right words, accents dropped in capitals as they often are, names and codes.
    for fine in [
        "AUJOURD'HUI À 11H : notre webinaire !",
        "L'EQUIPE ET L'ELEVE SONT LÀ, C'EST L'ÉTÉ !",
        "ON N'OUBLIE PAS : QU'IMPORTE LE FLACON.",
        "MCDONALD'S IS OPEN, DON'T MISS IT!",
        "RDV À L'ACCOR ARENA CE SOIR",
        "Le train L'OVAL est supprimé, merci de l'URSSAF et de la NASA'S team.",
    ] {
        assert!(unknown(fine).is_empty(), "{fine}: {:?}", unknown(fine));
    }
}

#[test]
fn a_name_misspelt_beside_its_right_spelling_is_found() {
    let text = "Incident en gare de Cercy Préfecture : trafic perturbé entre Paris et Cergy.";
    let (r, i) = first_unknown(text);
    let f = &r.findings[i];
    assert_eq!(&text[f.spans[0].start..f.spans[0].end], "Cercy");
    assert_eq!(f.fix.as_deref(), Some("peut-être : Cergy"));
    assert_eq!(
        unknown("Delays between Bostom and Boston this morning."),
        ["Bostom"]
    );
    // Two names, not one misspelt: the first letter differs, or neither is a known name.
    assert!(unknown("Trafic perturbé entre Massy et Passy.").is_empty());
    assert!(unknown("Our hosts Zyplobox and Zyplobix welcome you.").is_empty());
    assert!(unknown("Trafic perturbé entre Paris et Cergy.").is_empty());
}
