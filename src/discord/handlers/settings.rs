//! `/settings ...` (Manage Server): the server's review channel, reviewer and contractor roles,
//! quorums, approvals needed, expiry, length limit, signatures, company name, team words and
//! publishing networks. Each subcommand changes one thing and answers (privately) with the
//! whole settings, so an admin sees at once what the server now does.

use chrono::Utc;

use crate::discord::embeds::{escape_markdown, limits, notice, truncate};
use crate::discord::messages::{fill, text};
use crate::discord::response::{Embed, EmbedField, Message, Response};
use crate::discord::router::{Invocation, Router};
use crate::discord::server::ServerSettings;
use crate::review::{Language, Settings};
use crate::workflow::{GuildId, Quorum, RoleId};

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

/// `/settings`.
pub async fn slash(router: &Router, inv: &Invocation) -> Response {
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
    let changed = match change(&mut s, inv, &router.config.review) {
        Ok(c) => c,
        Err((key, args)) => {
            let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
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
                ],
            ),
        ),
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
        (
            "settings.publish",
            s.publish_targets.as_ref().map_or_else(
                || text("settings.publish-default", lang).to_string(),
                |t| t.join(", "),
            ),
        ),
    ];
    Embed {
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
    }
}
