//! The commands around the workflow, end to end through the fake Discord: `/signature`,
//! `/settings` (Manage Server), `/queue`, `/proposal` (with autocomplete) and `/guidelines`.
//! Every answer is private, in the member's language, and pings nobody.

use serde_json::{json, Value};
use tweetguard::review::{Guideline, Language};
use tweetguard::workflow::WorkflowError;

use super::e2e::Bot;
use super::fake::Request;
use super::fixtures::{self, Member, GUILD_ID};

fn sub(name: &str, options: Value) -> Value {
    json!([{"name": name, "type": 1, "options": options}])
}

/// `/settings <name> <options>`.
fn settings(id: u64, who: &Member, name: &str, options: Value) -> Value {
    fixtures::slash(id, who, "settings", sub(name, options))
}

/// `/signature set signature:<sig>`.
fn set_signature(id: u64, who: &Member, sig: &str) -> Value {
    fixtures::slash(
        id,
        who,
        "signature",
        sub(
            "set",
            json!([{"name": "signature", "type": 3, "value": sig}]),
        ),
    )
}

fn assert_private(r: &Request) {
    assert_eq!(r.body["type"], 4, "{:#}", r.body);
    assert_eq!(r.body["data"]["flags"], 64, "ephemeral: {:#}", r.body);
    assert_eq!(r.body["data"]["allowed_mentions"], json!({"parse": []}));
}

fn embeds(r: &Request) -> String {
    r.body["data"]["embeds"].to_string()
}

#[tokio::test]
async fn a_registered_signature_is_recognised_and_proposed() {
    let bot = Bot::start(&[]).await;
    let me = Member::new(1, "fr");
    let r = bot
        .ask(fixtures::slash(1, &me, "signature", sub("show", json!([]))))
        .await;
    assert_private(&r);
    assert!(r.content().contains("pas de signature"), "{}", r.content());

    let r = bot.ask(set_signature(2, &me, "@everyone")).await;
    assert_private(&r);
    assert!(r.content().contains("ni @"), "{}", r.content());

    let r = bot.ask(set_signature(3, &me, "-Sylvain")).await;
    assert!(r.content().contains("-Sylvain"), "{}", r.content());

    // An unsigned tweet: the review proposes the registered signature; a signed one passes.
    let r = bot
        .ask(fixtures::review(4, &me, "On a corrigé le bogue, merci !"))
        .await;
    assert!(embeds(&r).contains("-Sylvain"), "{}", embeds(&r));
    let r = bot
        .ask(fixtures::review(
            5,
            &me,
            "On a corrigé le bogue, merci ! -Sylvain",
        ))
        .await;
    assert!(!embeds(&r).contains("Ajoutez"), "{}", embeds(&r));

    let r = bot
        .ask(fixtures::slash(
            6,
            &me,
            "signature",
            sub("clear", json!([])),
        ))
        .await;
    assert!(r.content().contains("oubliée"), "{}", r.content());
    bot.stop().await;
}

#[tokio::test]
async fn settings_are_for_admins_and_change_reviews_and_approvals() {
    let bot = Bot::start(&["--required-approvals", "2"]).await;
    let member = Member::new(1, "en-US");
    let admin = Member::new(2, "fr").admin();
    let r = bot
        .ask(settings(
            10,
            &member,
            "approvals",
            json!([{"name": "count", "type": 4, "value": 1}]),
        ))
        .await;
    assert_private(&r);
    assert!(
        r.content().starts_with("Only members who manage"),
        "{}",
        r.content()
    );

    let r = bot
        .ask(settings(
            11,
            &admin,
            "approvals",
            json!([{"name": "count", "type": 4, "value": 1}]),
        ))
        .await;
    assert_private(&r);
    assert_eq!(r.content(), "Réglage enregistré.");
    assert!(embeds(&r).contains("1 nécessaires"), "{}", embeds(&r));

    for (id, name, options) in [
        (
            12,
            "length-limit",
            json!([{"name": "limit", "type": 4, "value": 40}]),
        ),
        (
            13,
            "reviewer-role",
            json!([{"name": "role", "type": 8, "value": "77"}]),
        ),
        (
            14,
            "words",
            json!([{"name": "rule", "type": 3, "value": "promotion.sales-words"},
                   {"name": "words", "type": 3, "value": "braderie, liquidation"}]),
        ),
        (
            15,
            "publish-to",
            json!([{"name": "networks", "type": 3, "value": "mastodon, x"}]),
        ),
    ] {
        let r = bot.ask(settings(id, &admin, name, options)).await;
        assert_eq!(r.content(), "Réglage enregistré.", "{name}: {:#}", r.body);
    }
    let r = bot
        .ask(settings(
            16,
            &admin,
            "publish-to",
            json!([{"name": "networks", "type": 3, "value": "myspace"}]),
        ))
        .await;
    assert!(
        r.content().contains("Réseau inconnu : myspace"),
        "{}",
        r.content()
    );
    let r = bot
        .ask(settings(
            17,
            &admin,
            "quorum",
            json!([{"name": "role", "type": 8, "value": "78"},
                                 {"name": "approvals", "type": 4, "value": 0}]),
        ))
        .await;
    assert_eq!(r.content(), "Réglage enregistré.");
    let shown = embeds(&r);
    for expected in [
        "limite 40",
        "<@&77>",
        "braderie, liquidation",
        "mastodon, x",
    ] {
        assert!(shown.contains(expected), "{expected} in {shown}");
    }

    // The server's tuning applies to everyone's reviews there: the limit and the team words.
    let r = bot
        .ask(fixtures::review(
            18,
            &member,
            "Grande braderie au magasin ce samedi, venez nombreux ^AB",
        ))
        .await;
    let review = embeds(&r);
    assert!(review.contains("/40"), "{review}");
    assert!(review.contains("braderie"), "{review}");

    // And the approval rules: one approval from the reviewer role now approves.
    bot.ask(fixtures::slash(
        19,
        &member,
        "submit",
        json!([{"name": "text", "type": 3, "value": "Merci à tous ^AB"}]),
    ))
    .await;
    let role_less = Member::new(3, "fr");
    let on = fixtures::message(7002, fixtures::APP_ID, "");
    let r = bot
        .ask(fixtures::button(
            20,
            &role_less,
            "tg:approve:1:1",
            on.clone(),
        ))
        .await;
    assert_eq!(
        r.content(),
        WorkflowError::NotAReviewer.message(Language::Fr)
    );
    let reviewer = Member::new(4, "fr").with_roles(&[77]);
    let r = bot
        .ask(fixtures::button(21, &reviewer, "tg:approve:1:1", on))
        .await;
    assert_eq!(r.body["type"], 7, "{:#}", r.body);
    assert!(r.body["data"]["embeds"][0]["title"]
        .as_str()
        .unwrap_or("")
        .contains("approuvée"));
    bot.stop().await;
}

#[tokio::test]
async fn the_queue_and_a_proposal_with_its_history() {
    let bot = Bot::start(&[]).await;
    let alice = Member::new(1, "fr");
    let bob = Member::new(2, "en-US");
    for (id, who, text) in [
        (30, &alice, "Premier tweet, merci @everyone ^AL"),
        (31, &bob, "Second tweet about our **release** ^BO"),
    ] {
        bot.ask(fixtures::slash(
            id,
            who,
            "submit",
            json!([{"name": "text", "type": 3, "value": text}]),
        ))
        .await;
    }
    let r = bot.ask(fixtures::slash(32, &bob, "queue", json!([]))).await;
    assert_private(&r);
    let listed = embeds(&r);
    assert!(
        listed.contains("**#2**") && listed.contains("**#1**"),
        "{listed}"
    );
    assert!(
        listed.contains(r"\\*\\*release"),
        "markdown escaped: {listed}"
    );
    assert!(
        listed.contains(&format!("https://discord.com/channels/{GUILD_ID}/")),
        "a link to each card: {listed}"
    );
    let r = bot
        .ask(fixtures::slash(
            33,
            &bob,
            "queue",
            json!([{"name": "mine", "type": 5, "value": true}]),
        ))
        .await;
    let mine = embeds(&r);
    assert!(
        mine.contains("**#2**") && !mine.contains("**#1**"),
        "{mine}"
    );
    let r = bot
        .ask(fixtures::slash(
            34,
            &bob,
            "queue",
            json!([{"name": "status", "type": 3, "value": "posted"}]),
        ))
        .await;
    assert!(r.content().contains("none"), "{:#}", r.body);

    // Autocomplete by text or number.
    let r = bot
        .ask(fixtures::autocomplete(35, &bob, "proposal", "id", "second"))
        .await;
    assert_eq!(r.body["type"], 8, "{:#}", r.body);
    let choices = r.body["data"]["choices"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(choices.len(), 1, "{choices:?}");
    assert_eq!(choices[0]["value"], 2);
    let r = bot
        .ask(fixtures::autocomplete(36, &bob, "proposal", "id", ""))
        .await;
    assert_eq!(r.body["data"]["choices"].as_array().map(Vec::len), Some(2));

    let a = Member::new(5, "en-US");
    bot.ask(fixtures::modal(
        37,
        &a,
        "tg:reason:changes:1:1",
        &[("reason", "Less @everyone please")],
    ))
    .await;
    let r = bot
        .ask(fixtures::slash(
            38,
            &bob,
            "proposal",
            json!([{"name": "id", "type": 4, "value": 1}]),
        ))
        .await;
    assert_private(&r);
    let shown = embeds(&r);
    assert!(shown.contains("History"), "{shown}");
    assert!(
        shown.contains("request changes") && shown.contains("Less @everyone please"),
        "{shown}"
    );
    assert!(
        r.body["data"].get("components").is_none(),
        "no buttons: {:#}",
        r.body
    );
    let r = bot
        .ask(fixtures::slash(
            39,
            &bob,
            "proposal",
            json!([{"name": "id", "type": 4, "value": 99}]),
        ))
        .await;
    assert_eq!(r.content(), "No proposal #99 on this server.");
    bot.stop().await;
}

#[tokio::test]
async fn the_guidelines_read_in_both_languages() {
    let bot = Bot::start(&[]).await;
    let r = bot
        .ask(fixtures::slash(
            40,
            &Member::new(1, "fr"),
            "guidelines",
            json!([]),
        ))
        .await;
    assert_private(&r);
    let fields = r.body["data"]["embeds"][0]["fields"]
        .as_array()
        .map(Vec::len);
    assert_eq!(fields, Some(Guideline::ALL.len()));
    assert!(embeds(&r).contains("C'est quoi ton nom"));
    let r = bot
        .ask(fixtures::slash(
            41,
            &Member::new(1, "en-GB"),
            "guidelines",
            json!([{"name": "guideline", "type": 3, "value": "promotion"}]),
        ))
        .await;
    let one = embeds(&r);
    assert!(
        one.contains("not an ad channel") && one.contains("Instead of"),
        "{one}"
    );
    bot.stop().await;
}

#[test]
fn the_settings_and_guidelines_render_in_french_and_in_english() {
    use tweetguard::discord::handlers::{guidelines, settings};
    use tweetguard::discord::router::{Action, CommandOption, Invocation, OptionValue};
    use tweetguard::discord::server::ServerSettings;
    use tweetguard::review::Settings;
    use tweetguard::workflow::{Quorum, RoleId};

    let mut s = ServerSettings::default();
    s.review_channel = Some(930_000_000_000_000_001);
    s.policy.reviewer_roles = vec![RoleId(77)];
    s.policy.contractor_roles = vec![RoleId(13)];
    s.policy.quorums = vec![Quorum {
        role: RoleId(78),
        approvals: 1,
    }];
    s.review.limit = Some(140);
    s.review.company = Some("Acme **Corp**".into());
    s.review
        .words
        .insert("promotion.sales-words".into(), vec!["braderie".into()]);
    s.review
        .words
        .insert("spelling".into(), vec!["Acmeware".into()]);
    s.review.spelling = Some(false);
    s.review.own_domains = vec!["acme.com".into()];
    s.review.own_handles = vec!["acme_fr".into()];
    s.review.rules = vec![toml::from_str(
        "id = \"competitor\"\npattern = '\\bglobex\\b'\nseverity = \"error\"\nmessage = \"No\"",
    )
    .expect("a rule")];
    let base = Settings::default();
    let fr = settings::summary(&s, &base, Language::Fr);
    let en = settings::summary(&s, &base, Language::En);

    let ask = |locale: &str, guideline: Option<&str>| Invocation {
        id: 1,
        application_id: 1,
        token: String::new(),
        action: Action::Slash {
            name: guidelines::SLASH.into(),
            options: guideline
                .map(|g| {
                    vec![CommandOption {
                        name: "guideline".into(),
                        value: OptionValue::String(g.into()),
                    }]
                })
                .unwrap_or_default(),
        },
        user_id: 1,
        user_name: "m".into(),
        guild_id: None,
        channel_id: 1,
        roles: vec![],
        locale: locale.into(),
        guild_locale: None,
        is_admin: false,
    };
    let json = |r: tweetguard::discord::response::Response| serde_json::to_value(&r).expect("json");
    insta::with_settings!({snapshot_path => "../snapshots"}, {
        insta::assert_json_snapshot!("settings_fr", fr);
        insta::assert_json_snapshot!("settings_en", en);
        insta::assert_json_snapshot!("guidelines_fr", json(guidelines::slash(&ask("fr", None))));
        insta::assert_json_snapshot!("guidelines_tone_en", json(guidelines::slash(&ask("en-US", Some("tone")))));
    });
}

#[tokio::test]
async fn a_proposal_can_carry_its_posting_time() {
    let bot = Bot::start(&[]).await;
    let me = Member::new(1, "fr");
    let submit = |id: u64, when: &str| {
        fixtures::slash(
            id,
            &me,
            "submit",
            json!([{"name": "text", "type": 3, "value": "Bonne fin d'année à tous ^AB"},
                   {"name": "when", "type": 3, "value": when}]),
        )
    };
    let r = bot.ask(submit(50, "2001-01-01 09:00")).await;
    assert_private(&r);
    assert!(r.content().contains("déjà passé"), "{}", r.content());
    let r = bot.ask(submit(51, "bientôt")).await;
    assert!(
        r.content().contains("Je ne comprends pas"),
        "{}",
        r.content()
    );
    let at = chrono::Utc::now() + chrono::TimeDelta::days(3);
    let when = at.format("%Y-%m-%d %H:%M").to_string();
    let r = bot.ask(submit(52, &when)).await;
    assert!(r.content().contains("n°1"), "{}", r.content());
    let card = bot
        .fake
        .next_request(
            |r| r.method == "POST" && r.path.ends_with("/messages"),
            std::time::Duration::from_secs(5),
        )
        .await
        .expect("the card");
    let timestamp =
        at.timestamp() - i64::from(at.format("%S").to_string().parse::<u8>().unwrap_or(0));
    assert!(
        card.body["content"]
            .as_str()
            .unwrap_or("")
            .contains(&format!("<t:{timestamp}:f>")),
        "{:#}",
        card.body
    );
    let store = tweetguard::store::open(&bot.db_url).await.expect("store");
    let scheduled = store
        .schedule(tweetguard::workflow::ProposalId(1))
        .await
        .expect("readable");
    assert_eq!(scheduled.map(|t| t.timestamp()), Some(timestamp));
    bot.stop().await;
}
