//! A server's own review settings from Discord, end to end through the real serenity client and
//! the fake Discord: team rules (`/settings rule add|remove`), the account's own domains and
//! handles, spelling on or off and the words it accepts. Refusals say why, in the member's
//! language, privately, pinging nobody; everything survives a restart.

use serde_json::{json, Value};

use super::e2e::Bot;
use super::fake::Request;
use super::fixtures::{self, Member};

/// `/settings <group> <sub> <options>`.
fn settings2(id: u64, who: &Member, group: &str, sub: &str, options: Value) -> Value {
    fixtures::slash(
        id,
        who,
        "settings",
        json!([{"name": group, "type": 2,
                "options": [{"name": sub, "type": 1, "options": options}]}]),
    )
}

/// `/settings <sub> <options>`.
fn settings(id: u64, who: &Member, sub: &str, options: Value) -> Value {
    fixtures::slash(
        id,
        who,
        "settings",
        json!([{"name": sub, "type": 1, "options": options}]),
    )
}

fn s(name: &str, value: &str) -> Value {
    json!({"name": name, "type": 3, "value": value})
}

/// `/settings rule add` with the competitor rule of these tests.
fn add_competitor_rule(id: u64, who: &Member) -> Value {
    settings2(
        id,
        who,
        "rule",
        "add",
        json!([
            s("id", "Concurrent"),
            s("pattern", r"\bglobex\b"),
            s("severity", "error"),
            s("message", "On ne cite pas {terms}"),
            s("fix", "Parlez de nous"),
            s("flag-example", "Mieux que GLOBEX !"),
            s("pass-example", "Mieux qu'hier : globexpress"),
        ]),
    )
}

fn embeds(r: &Request) -> String {
    r.body["data"]["embeds"].to_string()
}

fn assert_private(r: &Request) {
    assert_eq!(r.body["type"], 4, "{:#}", r.body);
    assert_eq!(r.body["data"]["flags"], 64, "ephemeral: {:#}", r.body);
    assert_eq!(r.body["data"]["allowed_mentions"], json!({"parse": []}));
}

#[tokio::test]
async fn a_team_rule_added_from_discord_reviews_persists_and_goes() {
    let bot = Bot::start(&[]).await;
    let admin = Member::new(2, "fr").admin();
    let member = Member::new(1, "en-US");

    // Only admins.
    let r = bot.ask(add_competitor_rule(10, &member)).await;
    assert_private(&r);
    assert!(
        r.content().starts_with("Only members who manage"),
        "{}",
        r.content()
    );

    let r = bot.ask(add_competitor_rule(11, &admin)).await;
    assert_private(&r);
    assert_eq!(r.content(), "Réglage enregistré.", "{:#}", r.body);
    assert!(embeds(&r).contains("team.concurrent"), "{}", embeds(&r));

    // `/review` flags it, case and accents aside, in the team guideline, with the fix.
    let tweet = "Bien mieux que Glóbex, et vous ? ^AB";
    let r = bot.ask(fixtures::review(12, &member, tweet)).await;
    let shown = embeds(&r);
    assert!(shown.contains("The team's rules"), "{shown}");
    assert!(shown.contains("On ne cite pas Glóbex"), "{shown}");
    assert!(shown.contains("Parlez de nous"), "{shown}");
    assert!(shown.contains("blocked"), "an error blocks: {shown}");

    // A proposal's stored review carries the rule id, the span and the fix.
    bot.ask(fixtures::slash(
        13,
        &member,
        "submit",
        json!([s("text", tweet)]),
    ))
    .await;
    let p = bot.proposal(1).await;
    let f = p
        .current()
        .review
        .findings
        .iter()
        .find(|f| f.rule == "team.concurrent")
        .expect("a team.concurrent finding");
    assert_eq!(
        f.spans
            .iter()
            .map(|s| &tweet[s.start..s.end])
            .collect::<Vec<_>>(),
        ["Glóbex"]
    );
    assert_eq!(f.fix.as_deref(), Some("Parlez de nous"));

    // The rule is stored with the server: a restarted bot still applies it.
    let bot = bot.restart().await;
    let r = bot.ask(fixtures::review(14, &member, tweet)).await;
    assert!(embeds(&r).contains("On ne cite pas"), "{}", embeds(&r));

    // Removing it, the id autocompletes from the server's rules (for admins only).
    let typing = |id: u64, who: &Member, typed: &str| {
        let mut p = fixtures::slash(
            id,
            who,
            "settings",
            json!([{"name": "rule", "type": 2, "options": [{"name": "remove", "type": 1,
                    "options": [{"name": "id", "type": 3, "value": typed, "focused": true}]}]}]),
        );
        p["type"] = json!(4);
        p
    };
    let r = bot.ask(typing(40, &admin, "conc")).await;
    assert_eq!(r.body["type"], 8, "{:#}", r.body);
    assert_eq!(
        r.body["data"]["choices"],
        json!([{"name": "team.concurrent · \\bglobex\\b", "value": "concurrent"}])
    );
    let r = bot.ask(typing(41, &member, "conc")).await;
    assert_eq!(r.body["data"]["choices"], json!([]));

    // Removed, it is gone from the settings and from reviews; removing it twice says so.
    let r = bot
        .ask(settings2(
            15,
            &admin,
            "rule",
            "remove",
            json!([s("id", "team.concurrent")]),
        ))
        .await;
    assert_eq!(r.content(), "Réglage enregistré.", "{:#}", r.body);
    assert!(!embeds(&r).contains("team.concurrent"), "{}", embeds(&r));
    let r = bot.ask(fixtures::review(16, &member, tweet)).await;
    assert!(!embeds(&r).contains("On ne cite pas"), "{}", embeds(&r));
    let r = bot
        .ask(settings2(
            17,
            &admin,
            "rule",
            "remove",
            json!([s("id", "concurrent")]),
        ))
        .await;
    assert_private(&r);
    assert!(
        r.content().contains("Aucune règle « concurrent »"),
        "{}",
        r.content()
    );
    bot.stop().await;
}

#[tokio::test]
async fn a_bad_rule_is_refused_with_the_reason_and_nothing_is_saved() {
    let bot = Bot::start(&[]).await;
    let fr = Member::new(2, "fr").admin();
    let en = Member::new(3, "en-GB").admin();
    let rule = |id: u64, who: &Member, pattern: &str, extra: Vec<Value>| {
        let mut options = vec![
            s("id", "promo"),
            s("pattern", pattern),
            s("severity", "warning"),
            s("message", "Pas de promo"),
        ];
        options.extend(extra);
        settings2(id, who, "rule", "add", Value::Array(options))
    };

    let r = bot.ask(rule(20, &fr, "(promo", vec![])).await;
    assert_private(&r);
    let said = r.content();
    assert!(
        said.contains(
            "Règle « promo » refusée : le motif n'est pas une expression régulière valide"
        ),
        "{said}"
    );
    assert!(
        said.contains("unclosed group"),
        "the regex's own reason: {said}"
    );

    let r = bot
        .ask(rule(21, &en, r"\w{200}\w{200}\w{200}", vec![]))
        .await;
    assert!(
        r.content()
            .contains("Rule “promo” refused: the pattern is too large once compiled"),
        "{}",
        r.content()
    );

    let r = bot
        .ask(rule(
            22,
            &fr,
            r"\bpromo\b",
            vec![s("flag-example", "Les **promotions** @everyone")],
        ))
        .await;
    let said = r.content();
    assert!(
        said.contains("son exemple à signaler n'est pas signalé"),
        "{said}"
    );
    assert!(
        said.contains(r"\*\*promotions\*\*"),
        "Markdown escaped: {said}"
    );
    assert_private(&r);

    let r = bot
        .ask(rule(
            23,
            &en,
            r"\bpromo\b",
            vec![s("pass-example", "Une PROMO discrète")],
        ))
        .await;
    assert!(
        r.content().contains("its pass example is flagged"),
        "{}",
        r.content()
    );

    let r = bot
        .ask(settings2(
            24,
            &en,
            "rule",
            "add",
            json!([
                s("id", "two words"),
                s("pattern", "x"),
                s("severity", "error"),
                s("message", "m")
            ]),
        ))
        .await;
    assert!(
        r.content().contains("Id refused: “two words”"),
        "{}",
        r.content()
    );

    // Nothing of it was saved.
    let r = bot.ask(settings(25, &en, "show", json!([]))).await;
    assert!(!embeds(&r).contains("team."), "{}", embeds(&r));
    assert!(embeds(&r).contains("Team rules"), "{}", embeds(&r));

    // `exact`: case matters, and the examples are checked that way.
    let exact = |id: u64, pass: &str| {
        settings2(
            id,
            &en,
            "rule",
            "add",
            json!([s("id", "code-name"), s("pattern", "ZEUS"), s("severity", "error"),
                   s("message", "Internal code name"), s("flag-example", "Project ZEUS"),
                   s("pass-example", pass), {"name": "exact", "type": 5, "value": true}]),
        )
    };
    let r = bot.ask(exact(26, "Project ZÉUS")).await;
    assert_eq!(r.content(), "Setting saved.", "{:#}", r.body);
    let r = bot.ask(exact(27, "Project Zeus")).await;
    assert_eq!(r.content(), "Setting saved.", "{:#}", r.body);
    let r = bot
        .ask(fixtures::review(28, &en, "Zeus and ZEUS are here ^AB"))
        .await;
    assert!(embeds(&r).contains("Internal code name"), "{}", embeds(&r));
    let r = bot.ask(fixtures::review(29, &en, "Zeus is here ^AB")).await;
    assert!(!embeds(&r).contains("Internal code name"), "{}", embeds(&r));
    bot.stop().await;
}

#[tokio::test]
async fn own_places_and_spelling_are_saved_listed_and_kept() {
    let bot = Bot::start(&[]).await;
    let admin = Member::new(2, "en-US").admin();
    for (id, group, sub, option, value) in [
        (
            30,
            "own-domains",
            "add",
            "domains",
            "https://www.Acme.com/blog, acme.fr",
        ),
        (31, "own-domains", "remove", "domains", "acme.fr"),
        (32, "own-handles", "add", "handles", "@Acme_FR @acme"),
    ] {
        let r = bot
            .ask(settings2(id, &admin, group, sub, json!([s(option, value)])))
            .await;
        assert_eq!(r.content(), "Setting saved.", "{group} {sub}: {:#}", r.body);
    }
    let r = bot
        .ask(settings2(
            33,
            &admin,
            "own-domains",
            "add",
            json!([s("domains", "not a domain")]),
        ))
        .await;
    assert_private(&r);
    assert!(
        r.content().contains("“not” is not a domain"),
        "{}",
        r.content()
    );
    let r = bot
        .ask(settings2(
            34,
            &admin,
            "own-handles",
            "add",
            json!([s("handles", "<@123>")]),
        ))
        .await;
    assert!(r.content().contains("is not a handle"), "{}", r.content());

    let r = bot
        .ask(settings(35, &admin, "spelling", json!([s("state", "off")])))
        .await;
    assert_eq!(r.content(), "Setting saved.");
    let r = bot
        .ask(settings(
            36,
            &admin,
            "words",
            json!([s("rule", "spelling"), s("words", "Zorglub, Acmeware")]),
        ))
        .await;
    assert_eq!(r.content(), "Setting saved.", "{:#}", r.body);

    let bot = bot.restart().await;
    let r = bot.ask(settings(37, &admin, "show", json!([]))).await;
    let shown = embeds(&r);
    for expected in [
        "domains: acme.com · handles: @acme\\\\_fr, @acme",
        "spelling: no",
        "`spelling` : Zorglub, Acmeware",
    ] {
        assert!(shown.contains(expected), "{expected} in {shown}");
    }
    assert!(!shown.contains("acme.fr"), "{shown}");
    bot.stop().await;
}

/// `/settings` as Discord checks it, beyond the shared manifest validation: every localized
/// name lower case and at most 32 characters, every localized description and choice name at
/// most 100, at most 25 options or choices per level, required options first, autocomplete
/// never with choices, and at most 8,000 characters in all per locale.
#[test]
fn the_settings_manifest_is_within_discords_limits_in_every_locale() {
    fn walk(o: &Value, locale: &str, total: &mut usize) {
        let local = |key: &str| {
            o[format!("{key}_localizations")][locale]
                .as_str()
                .or_else(|| o[key].as_str())
                .unwrap_or("")
                .to_string()
        };
        let name = local("name");
        assert!(
            (1..=32).contains(&name.chars().count())
                && name == name.to_lowercase()
                && !name.contains(' '),
            "{locale}: name {name:?}"
        );
        *total += name.chars().count();
        if o.get("description").is_some() {
            let d = local("description");
            assert!((1..=100).contains(&d.chars().count()), "{locale}: {d:?}");
            *total += d.chars().count();
        }
        let choices = o["choices"].as_array().cloned().unwrap_or_default();
        assert!(choices.len() <= 25);
        assert!(
            choices.is_empty() || o.get("autocomplete").is_none(),
            "{name}: autocomplete with choices"
        );
        for c in &choices {
            let n = c["name_localizations"][locale]
                .as_str()
                .or_else(|| c["name"].as_str())
                .unwrap_or("");
            assert!((1..=100).contains(&n.chars().count()), "{locale}: {n:?}");
            *total += n.chars().count() + c["value"].as_str().map_or(0, str::len);
        }
        let options = o["options"].as_array().cloned().unwrap_or_default();
        assert!(options.len() <= 25, "{name}: {} options", options.len());
        let mut optional_seen = false;
        for x in &options {
            if x["type"].as_u64().is_some_and(|t| t > 2) {
                let required = x["required"].as_bool().unwrap_or(false);
                assert!(
                    !(required && optional_seen),
                    "{name}: a required option after an optional one"
                );
                optional_seen |= !required;
            }
            walk(x, locale, total);
        }
    }
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/commands/settings.json");
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("settings.json")).expect("JSON");
    for locale in ["", "fr", "en-US", "en-GB"] {
        let mut total = 0;
        walk(&manifest, locale, &mut total);
        assert!(total <= 8000, "{locale}: {total} characters");
    }
}
