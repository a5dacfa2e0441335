//! `/settings ...` (Manage Server): the server's review channel, reviewer and contractor roles,
//! quorums, approvals needed, expiry, length limit, signatures, company name, team words,
//! spelling and its accepted words, the account's own domains and handles, the team's own
//! rules and publishing networks. Each subcommand changes one thing and answers (privately)
//! with the whole settings, so an admin sees at once what the server now does.

use std::sync::Arc;

use chrono::Utc;
use serenity::http::Http;
use tracing::Instrument;

use crate::discord::embeds::{escape_markdown, limits, notice, truncate};
use crate::discord::messages::{fill, text};
use crate::discord::notify;
use crate::discord::response::{Choice, Embed, EmbedField, Message, Response, MAX_CHOICES};
use crate::discord::router::{Invocation, Router};
use crate::discord::server::ServerSettings;
use crate::discord::zone;
use crate::review::own_places::{self, OwnPlaceError};
use crate::review::team_rules::{self, Bilingual, Examples, TeamRule, TeamRuleError};
use crate::review::{Language, Settings, Severity, TeamRuleSpec};
use crate::store::{ProposalFilter, Store};
use crate::workflow::{GuildId, MemberId, Quorum, RoleId, Status};

/// The slash command's name (`commands/settings.json`).
pub const SLASH: &str = "settings";

/// The networks a server may post to (`/settings publish-to`).
pub const NETWORKS: &[&str] = &["x", "mastodon", "bluesky", "webhook"];

/// What an invalid change says, as a message key and its arguments.
type Refusal = (&'static str, Vec<(&'static str, String)>);

/// Applies the subcommand to `s`; `Ok(false)` for `show` (nothing to save).
fn change(s: &mut ServerSettings, inv: &Invocation, base: &Settings) -> Result<bool, Refusal> {
    let sub = inv.subcommand();
    let remove = inv.bool_option("remove").unwrap_or(false);
    let role = inv.id_option("role").map(RoleId);
    let toggle = |list: &mut Vec<RoleId>, role: Option<RoleId>| {
        if let Some(r) = role {
            list.retain(|x| *x != r);
            if !remove {
                list.push(r);
            }
        }
    };
    match sub.first().copied() {
        Some("review-channel") => s.review_channel = inv.id_option("channel"),
        Some("reviewer-role") => toggle(&mut s.policy.reviewer_roles, role),
        Some("contractor-role") => toggle(&mut s.policy.contractor_roles, role),
        Some("quorum") => {
            let n = inv.integer_option("approvals").unwrap_or(0).clamp(0, 25) as u32;
            if let Some(r) = role {
                s.policy.quorums.retain(|q| q.role != r);
                if n > 0 {
                    s.policy.quorums.push(Quorum {
                        role: r,
                        approvals: n,
                    });
                }
            }
        }
        Some("approvals") => {
            s.policy.required_approvals =
                inv.integer_option("count").unwrap_or(2).clamp(1, 25) as u32
        }
        Some("expiry") => {
            s.policy.expiry_hours = inv.integer_option("hours").unwrap_or(168).clamp(1, 8760) as u32
        }
        Some("length-limit") => {
            s.review.limit =
                Some(inv.integer_option("limit").unwrap_or(280).clamp(1, 100_000) as usize)
        }
        Some("signatures") => s.review.signature_required = inv.bool_option("required"),
        Some("company") => {
            s.review.company = inv
                .string_option("name")
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_string)
        }
        Some("words") => {
            let rule = inv.string_option("rule").unwrap_or("").to_string();
            let words: Vec<String> = inv
                .string_option("words")
                .unwrap_or("")
                .split(',')
                .map(|w| w.trim().to_string())
                .filter(|w| !w.is_empty())
                .collect();
            let list = s.review.words.entry(rule.clone()).or_default();
            list.retain(|w| !words.iter().any(|n| n.eq_ignore_ascii_case(w)));
            if !remove {
                list.extend(words);
            }
            if list.is_empty() {
                s.review.words.remove(&rule);
            }
            // Refuse what the review engine would not load, now rather than at every review.
            if let Err(e) = s.review_settings(base) {
                return Err(("settings.bad-words", vec![("reason", e.to_string())]));
            }
        }
        Some("rule") => match sub.get(1).copied() {
            Some("add") => add_rule(s, inv)?,
            Some("remove") => {
                let given = inv.string_option("id").unwrap_or("");
                let id = team_rules::normalise_id(given).unwrap_or_default();
                let before = s.review.rules.len();
                s.review.rules.retain(|r| r.id != id);
                if s.review.rules.len() == before {
                    return Err((
                        "settings.rule-unknown",
                        vec![("id", escape_markdown(given.trim()))],
                    ));
                }
            }
            _ => return Ok(false),
        },
        Some("own-domains") => edit_places(
            &mut s.review.own_domains,
            inv.string_option("domains"),
            sub.get(1) == Some(&"remove"),
            own_places::domain,
        )?,
        Some("own-handles") => edit_places(
            &mut s.review.own_handles,
            inv.string_option("handles"),
            sub.get(1) == Some(&"remove"),
            own_places::handle,
        )?,
        Some("timezone") => {
            let given = inv.string_option("zone").unwrap_or("");
            let Some(zone) = zone::parse(given) else {
                return Err((
                    "settings.bad-timezone",
                    vec![("zone", escape_markdown(given.trim()))],
                ));
            };
            s.timezone = Some(zone);
        }
        Some("spelling") => s.review.spelling = Some(inv.string_option("state") != Some("off")),
        Some("alt-text") => {
            s.review.alt_text = Some(
                inv.string_option("state")
                    .and_then(crate::review::media::AltText::parse)
                    .unwrap_or_default(),
            )
        }
        Some("publish-to") => {
            let names: Vec<String> = inv
                .string_option("networks")
                .unwrap_or("")
                .split(',')
                .map(|n| n.trim().to_lowercase())
                .filter(|n| !n.is_empty())
                .collect();
            if let Some(bad) = names.iter().find(|n| !NETWORKS.contains(&n.as_str())) {
                return Err((
                    "settings.bad-network",
                    vec![("network", bad.clone()), ("networks", NETWORKS.join(", "))],
                ));
            }
            s.publish_targets = (!names.is_empty()).then_some(names);
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// `/settings rule remove id`, as the admin types: the server's rules whose id or pattern
/// contains what is typed. Nothing for members who may not change the settings.
pub async fn autocomplete(router: &Router, inv: &Invocation, typed: &str) -> Response {
    let (Some(guild), Some(store), true) = (inv.guild_id, router.store.as_deref(), inv.is_admin)
    else {
        return Response::Autocomplete(Vec::new());
    };
    let rules = match store.settings(GuildId(guild)).await {
        Ok(stored) => ServerSettings::from_stored(stored).review.rules,
        Err(e) => {
            tracing::warn!(error = %e, "autocomplete: could not read the server's settings");
            return Response::Autocomplete(Vec::new());
        }
    };
    let typed = typed.trim().trim_start_matches("team.").to_lowercase();
    let choices = rules
        .into_iter()
        .filter(|r| r.id.contains(&typed) || r.pattern.to_lowercase().contains(&typed))
        .take(MAX_CHOICES)
        .map(|r| Choice {
            name: truncate(&format!("team.{} · {}", r.id, r.pattern), 100, "…"),
            value: r.id.into(),
        })
        .collect();
    Response::Autocomplete(choices)
}

/// `/settings rule add`: the rule is checked (id, pattern within its size limit, its own
/// examples) before it is saved; a rule with the same id is replaced.
fn add_rule(s: &mut ServerSettings, inv: &Invocation) -> Result<(), Refusal> {
    let text = |name: &str| {
        inv.string_option(name)
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
    };
    let severity = match inv.string_option("severity") {
        Some("error") => Severity::Error,
        Some("suggestion") => Severity::Suggestion,
        _ => Severity::Warning,
    };
    let spec = TeamRuleSpec {
        id: text("id").unwrap_or_default(),
        pattern: inv.string_option("pattern").unwrap_or("").to_string(),
        unless: text("unless"),
        severity,
        // One message from Discord serves both languages.
        message: Bilingual::both(text("message").unwrap_or_default()),
        fix: text("fix").map(Bilingual::both),
        examples: Examples {
            flag: text("flag-example").into_iter().collect(),
            pass: text("pass-example").into_iter().collect(),
        },
        exact: inv.bool_option("exact").unwrap_or(false),
    };
    let rule = TeamRule::compile(spec).map_err(|e| refusal(&e))?;
    let spec = rule.spec().clone();
    let rules = &mut s.review.rules;
    if let Some(existing) = rules.iter_mut().find(|r| r.id == spec.id) {
        *existing = spec;
    } else if rules.len() >= team_rules::MAX_RULES {
        return Err(refusal(&TeamRuleError::TooMany {
            max: team_rules::MAX_RULES,
        }));
    } else {
        rules.push(spec);
    }
    Ok(())
}

/// What a refused rule says, in the member's language, with what they typed escaped.
fn refusal(e: &TeamRuleError) -> Refusal {
    let id = |id: &str| ("id", escape_markdown(id));
    let field = |f: &str| {
        let key = match f {
            "pattern" => "pattern",
            "unless pattern" => "unless",
            "message" => "message",
            "fix" => "fix",
            _ => "example",
        };
        ("field", format!("settings.field-{key}"))
    };
    match e {
        TeamRuleError::BadId(given) => ("settings.rule-bad-id", vec![id(given)]),
        TeamRuleError::Duplicate(given) => ("settings.rule-bad-id", vec![id(given)]),
        TeamRuleError::TooMany { max } => {
            ("settings.rule-too-many", vec![("max", max.to_string())])
        }
        TeamRuleError::Empty { id: i, field: f } => ("settings.rule-empty", vec![id(i), field(f)]),
        TeamRuleError::TooLong {
            id: i,
            field: f,
            max,
        } => (
            "settings.rule-too-long",
            vec![id(i), field(f), ("max", max.to_string())],
        ),
        TeamRuleError::BadPattern {
            id: i,
            field: f,
            reason,
        } => (
            "settings.rule-bad-pattern",
            vec![
                id(i),
                field(f),
                // Shown in a code block: no Markdown there, but a backtick would close it.
                ("reason", truncate(&reason.replace('`', "ˋ"), 800, "…")),
            ],
        ),
        TeamRuleError::TooLarge {
            id: i,
            field: f,
            limit,
        } => (
            "settings.rule-too-large",
            vec![id(i), field(f), ("limit", (limit / 1024).to_string())],
        ),
        TeamRuleError::BadSeverity { id: i } => ("settings.rule-bad-severity", vec![id(i)]),
        TeamRuleError::FlagExampleMissed { id: i, example } => (
            "settings.rule-flag-missed",
            vec![id(i), ("example", escape_markdown(example))],
        ),
        TeamRuleError::PassExampleFlagged { id: i, example } => (
            "settings.rule-pass-flagged",
            vec![id(i), ("example", escape_markdown(example))],
        ),
    }
}

/// `/settings own-domains|own-handles add|remove`: a comma- or space-separated list.
fn edit_places(
    list: &mut Vec<String>,
    given: Option<&str>,
    remove: bool,
    normalise: fn(&str) -> Result<String, OwnPlaceError>,
) -> Result<(), Refusal> {
    let items: Vec<String> = given
        .unwrap_or("")
        .split([',', ' ', '\n'])
        .map(str::to_string)
        .collect();
    own_places::edit(list, &items, remove, normalise).map_err(|e| match e {
        OwnPlaceError::BadDomain(d) => {
            ("settings.bad-domain", vec![("domain", escape_markdown(&d))])
        }
        OwnPlaceError::BadHandle(h) => {
            ("settings.bad-handle", vec![("handle", escape_markdown(&h))])
        }
    })
}

/// `/settings`.
pub async fn slash(router: &Router, inv: &Invocation, http: Option<&Arc<Http>>) -> Response {
    let lang = inv.language();
    let Some(guild) = inv.guild_id else {
        return Response::Message(notice("submit.guild-only", lang, &[]));
    };
    // Discord hides the command from members without Manage Server, but a server can grant
    // it to anyone: the bot checks too.
    if !inv.is_admin {
        return Response::Message(notice("settings.admins-only", lang, &[]));
    }
    let Some(store) = router.store.as_deref() else {
        return Response::Message(notice("submit.no-store", lang, &[]));
    };
    let mut s = match router.server(store, inv).await {
        Ok(s) => s,
        Err(e) => return Response::private(e.message(lang)),
    };
    if inv.subcommand().first() == Some(&"pause") {
        return pause(router, store, inv, &s, http).await;
    }
    let changed = match change(&mut s, inv, &router.config.review) {
        Ok(c) => c,
        Err((key, args)) => {
            // A `field` argument is a message key: the field's name in the member's language.
            let args: Vec<(&str, &str)> = args
                .iter()
                .map(|(k, v)| match *k {
                    "field" => (*k, text(v, lang)),
                    _ => (*k, v.as_str()),
                })
                .collect();
            return Response::Message(notice(key, lang, &args));
        }
    };
    if changed {
        if let Err(e) = store
            .put_settings(GuildId(guild), &s.to_stored(), Utc::now())
            .await
        {
            tracing::info!(error = %e, "settings refused");
            return Response::private(e.message(lang));
        }
        router.forget_server(guild);
        tracing::info!(change = ?inv.subcommand(), "server settings changed");
    }
    let mut msg = Message::embed(summary(&s, &router.config.review, lang)).ephemeral();
    if changed {
        msg.content = Some(text("settings.saved", lang).into());
    }
    Response::Message(msg)
}

/// `/settings pause on [reason]` / `off`: stored (and written to the server's audit trail) by
/// the store, where every process's publishing worker reads it before each claim. The answer
/// says what changed, with the whole settings.
async fn pause(
    router: &Router,
    store: &dyn Store,
    inv: &Invocation,
    s: &ServerSettings,
    http: Option<&Arc<Http>>,
) -> Response {
    let lang = inv.language();
    let guild = GuildId(inv.guild_id.unwrap_or_default());
    let on = inv.subcommand().get(1) == Some(&"on");
    let reason = inv
        .string_option("reason")
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let by = MemberId(inv.user_id);
    let changed = match store
        .set_pause(guild, by, on.then_some(reason), Utc::now())
        .await
    {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!(error = %e, "pause not saved");
            return Response::private(e.message(lang));
        }
    };
    tracing::info!(paused = on, changed, "server pause changed");
    if !on && changed {
        // What waited may go at once.
        router.post_wake.notify_one();
    }
    if let (true, Some(http), Some(store)) = (changed, http, router.store.clone()) {
        // The cards that would be posted once approved say (or stop saying) so, in the
        // background: the answer does not wait for a round of edits.
        let task = refresh_cards(
            store,
            http.clone(),
            guild,
            s.policy.required_approvals,
            s.language.unwrap_or_else(|| inv.public_language()),
        );
        tokio::spawn(task.instrument(tracing::info_span!("pause.cards")));
    }
    let key = match (on, changed) {
        (true, _) => "settings.paused",
        (false, true) => "settings.unpaused",
        (false, false) => "settings.not-paused",
    };
    let mut msg = Message::embed(summary(s, &router.config.review, lang)).ephemeral();
    msg.content = Some(text(key, lang).into());
    Response::Message(msg)
}

/// How many cards per status a pause change re-renders (the latest ones).
const CARDS_REFRESHED: u32 = 100;

/// Edits the cards of the server's open and approved proposals to show the pause as it now is.
async fn refresh_cards(
    store: Arc<dyn Store>,
    http: Arc<Http>,
    guild: GuildId,
    required: u32,
    lang: Language,
) {
    for status in [Status::Pending, Status::ChangesRequested, Status::Approved] {
        let mut filter = ProposalFilter::guild(guild);
        filter.status = Some(status);
        filter.limit = CARDS_REFRESHED;
        let rows = match store.list(&filter).await {
            Ok(rows) => rows,
            Err(e) => {
                tracing::warn!(error = %e, "could not list the cards to refresh");
                return;
            }
        };
        for row in rows {
            let Some(at) = row.card else { continue };
            let p = match store.proposal(row.id).await {
                Ok(Some(p)) => p,
                _ => continue,
            };
            let msg = notify::render(&*store, &p, required, lang).await;
            if let Err(e) = notify::edit_card(&http, at, &msg).await {
                tracing::warn!(error = %e, proposal = %row.id, "could not update the card");
            }
        }
    }
}

fn roles(list: &[RoleId], none: &str) -> String {
    if list.is_empty() {
        none.to_string()
    } else {
        list.iter()
            .map(|r| format!("<@&{r}>"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The server's settings, as an embed.
pub fn summary(s: &ServerSettings, base: &Settings, lang: Language) -> Embed {
    let yes_no = |b: bool| text(if b { "settings.yes" } else { "settings.no" }, lang);
    let p = &s.policy;
    let rows: Vec<(&str, String)> = vec![
        (
            "settings.channel",
            s.review_channel.map_or_else(
                || text("settings.channel-default", lang).to_string(),
                |c| format!("<#{c}>"),
            ),
        ),
        (
            "settings.approvals",
            fill(
                "settings.approvals-value",
                lang,
                &[
                    ("count", &p.required_approvals.to_string()),
                    ("hours", &p.expiry_hours.to_string()),
                ],
            ),
        ),
        (
            "settings.reviewers",
            roles(&p.reviewer_roles, text("settings.reviewers-default", lang)),
        ),
        (
            "settings.contractors",
            roles(&p.contractor_roles, text("settings.none", lang)),
        ),
        (
            "settings.quorums",
            if p.quorums.is_empty() {
                text("settings.none", lang).to_string()
            } else {
                p.quorums
                    .iter()
                    .map(|q| format!("{} × <@&{}>", q.approvals, q.role))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        ),
        (
            "settings.review",
            fill(
                "settings.review-value",
                lang,
                &[
                    ("limit", &s.review.limit.unwrap_or(base.limit).to_string()),
                    (
                        "signatures",
                        yes_no(
                            s.review
                                .signature_required
                                .unwrap_or(base.signature_required),
                        ),
                    ),
                    (
                        "company",
                        &s.review
                            .company
                            .as_deref()
                            .or(base.company.as_deref())
                            .map_or_else(
                                || text("settings.none", lang).to_string(),
                                escape_markdown,
                            ),
                    ),
                    (
                        "spelling",
                        yes_no(s.review.spelling.unwrap_or(base.spelling)),
                    ),
                ],
            ),
        ),
        (
            "settings.own",
            fill(
                "settings.own-value",
                lang,
                &[
                    ("domains", &listed(&s.review.own_domains, "", lang)),
                    ("handles", &listed(&s.review.own_handles, "@", lang)),
                ],
            ),
        ),
        ("settings.rules", rules(s, lang)),
        (
            "settings.words",
            if s.review.words.is_empty() {
                text("settings.none", lang).to_string()
            } else {
                s.review
                    .words
                    .iter()
                    .map(|(rule, w)| format!("`{rule}` : {}", escape_markdown(&w.join(", "))))
                    .collect::<Vec<_>>()
                    .join("\n")
            },
        ),
        ("settings.timezone", s.zone().name().to_string()),
        (
            "settings.publish",
            s.publish_targets.as_ref().map_or_else(
                || text("settings.publish-default", lang).to_string(),
                |t| t.join(", "),
            ),
        ),
    ];
    let mut embed = Embed {
        title: Some(text("settings.title", lang).into()),
        fields: rows
            .into_iter()
            .map(|(key, value)| EmbedField {
                name: text(key, lang).into(),
                value: truncate(&value, limits::FIELD_VALUE, "…"),
                inline: false,
            })
            .collect(),
        ..Embed::default()
    };
    fit_total(&mut embed);
    embed
}

/// Items of a list, escaped, each with `prefix`; `none` when empty.
fn listed(items: &[String], prefix: &str, lang: Language) -> String {
    if items.is_empty() {
        return text("settings.none", lang).to_string();
    }
    items
        .iter()
        .map(|i| escape_markdown(&format!("{prefix}{i}")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The team's rules, one line each (`team.id`, severity, pattern), as many as fit in a field
/// and then how many more.
fn rules(s: &ServerSettings, lang: Language) -> String {
    let all = &s.review.rules;
    if all.is_empty() {
        return text("settings.none", lang).to_string();
    }
    let mut out = String::new();
    for (i, r) in all.iter().enumerate() {
        // Patterns in inline code: no Markdown there, but a backtick would end it.
        let pattern = truncate(&r.pattern.replace('`', "ˋ").replace('\n', " "), 80, "…");
        let line = format!(
            "`team.{}` {} `{}`",
            r.id,
            crate::discord::embeds::severity_icon(r.severity),
            pattern
        );
        let more = fill(
            "settings.rules-more",
            lang,
            &[("count", &(all.len() - i).to_string())],
        );
        if out.chars().count() + line.chars().count() + more.chars().count() + 2
            > limits::FIELD_VALUE
        {
            out.push_str(&more);
            break;
        }
        out.push_str(&line);
        out.push('\n');
    }
    out.trim_end().to_string()
}

/// Keeps the embed within Discord's total: the longest field loses half until it fits.
fn fit_total(embed: &mut Embed) {
    while embed.total_chars() > limits::TOTAL {
        let Some(longest) = embed
            .fields
            .iter_mut()
            .max_by_key(|f| f.value.chars().count())
        else {
            break;
        };
        let half = longest.value.chars().count() / 2;
        if half < 2 {
            break;
        }
        longest.value = truncate(&longest.value, half, "…");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discord::embeds::within_limits;
    use crate::discord::server::SPELLING_WORDS;
    use crate::workflow::Quorum;

    fn spec(i: usize, pattern: String) -> TeamRuleSpec {
        TeamRuleSpec {
            id: format!("rule-{i:02}"),
            pattern,
            unless: None,
            severity: Severity::Warning,
            message: Bilingual::both("m"),
            fix: None,
            examples: Examples::default(),
            exact: false,
        }
    }

    /// Every list as long as a server may make it: the summary still fits Discord's limits,
    /// and says how many rules it could not list.
    #[test]
    fn show_stays_within_discords_limits_with_everything_full() {
        let mut s = ServerSettings::default();
        s.review.rules = (0..team_rules::MAX_RULES)
            .map(|i| spec(i, format!("`x`*_{}", "a|".repeat(240))))
            .collect();
        s.review.own_domains = (0..300)
            .map(|i| format!("domain-{i}.example.com"))
            .collect();
        s.review.own_handles = (0..300).map(|i| format!("handle_{i}")).collect();
        s.review.company = Some("*".repeat(900));
        for rule in ["promotion.sales-words", SPELLING_WORDS, "tone.corporate"] {
            s.review
                .words
                .insert(rule.into(), (0..200).map(|i| format!("mot_{i}")).collect());
        }
        s.policy.reviewer_roles = (0..100).map(|i| RoleId(u64::MAX - i)).collect();
        s.policy.contractor_roles = (0..100).map(|i| RoleId(u64::MAX / 2 - i)).collect();
        s.policy.quorums = (0..100)
            .map(|i| Quorum {
                role: RoleId(u64::MAX / 3 - i),
                approvals: 3,
            })
            .collect();
        for lang in [Language::Fr, Language::En] {
            let e = summary(&s, &Settings::default(), lang);
            assert!(within_limits(&e), "{e:#?}");
        }
        let e = summary(&s, &Settings::default(), Language::En);
        let rules = e
            .fields
            .iter()
            .find(|f| f.name == "Team rules")
            .expect("the rules field");
        assert!(rules.value.starts_with("`team.rule-00`"), "{}", rules.value);
        assert!(
            rules.value.contains("`ˋxˋ*_"),
            "a backtick can't end the code: {}",
            rules.value
        );
    }

    #[test]
    fn show_lists_rules_own_places_and_spelling() {
        let mut s = ServerSettings::default();
        s.review.rules = vec![spec(1, r"\bglobex\b".into())];
        s.review.own_domains = vec!["acme.com".into()];
        s.review.own_handles = vec!["acme_fr".into()];
        s.review.spelling = Some(false);
        let e = summary(&s, &Settings::default(), Language::Fr);
        let all = serde_json::to_string(&e).expect("json");
        let mut many = ServerSettings::default();
        many.review.rules = (0..team_rules::MAX_RULES)
            .map(|i| spec(i, "y".repeat(200)))
            .collect();
        let e = summary(&many, &Settings::default(), Language::Fr);
        let rules = &e
            .fields
            .iter()
            .find(|f| f.name == "Règles de l'équipe")
            .expect("rules")
            .value;
        assert!(rules.ends_with("de plus"), "{rules}");
        for expected in [
            r"`team.rule-01` ⚠️ `\\bglobex\\b`",
            r"domaines : acme.com · comptes : @acme\\_fr",
            "orthographe : non",
        ] {
            assert!(all.contains(expected), "{expected} in {all}");
        }
    }
}
