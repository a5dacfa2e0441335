//! `/queue [status] [mine]` and `/proposal id`: what the team has proposed, privately. The
//! queue lists proposals with a link to each card; a proposal shows its card and its whole
//! audit trail. `/proposal`'s id autocompletes from the server's proposals, by number or text.

use crate::discord::cards::{card, message_link, pause_text, with_pause};
use crate::discord::embeds::{escape_markdown, limits, notice, truncate};
use crate::discord::messages::{fill, text};
use crate::discord::response::{Choice, Embed, EmbedFooter, Message, Response, MAX_CHOICES};
use crate::discord::router::{Invocation, Router};
use serde_json::json;

use crate::review::Language;
use crate::store::{ProposalFilter, ProposalSummary};
use crate::workflow::{GuildId, MemberId, Proposal, ProposalId, Status};

/// `/queue`'s name (`commands/queue.json`).
pub const QUEUE: &str = "queue";
/// `/proposal`'s name (`commands/proposal.json`).
pub const PROPOSAL: &str = "proposal";

/// How many proposals one page of `/queue` lists: ten lines of about 250 characters stay
/// well within the embed description's 4,096.
const PAGE_SIZE: usize = 10;
/// The most proposals `/queue` reads per status (the pages go through all of them).
const QUEUE_MAX: u32 = 1000;
/// How many audit entries `/proposal` shows (the latest).
const TRAIL_SIZE: usize = 25;
/// `/queue`'s page buttons: `queue:{page}:{status|open}:{mine 0|1}`.
pub const PAGE_PREFIX: &str = "queue:";

/// A text cut to `max` characters on one line, for lists.
fn snippet(text: &str, max: usize) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        let cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// What a `/queue` page shows: which proposals, which page (from 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct View {
    status: Option<Status>,
    mine: bool,
    page: usize,
}

impl View {
    fn custom_id(self, page: usize) -> String {
        format!(
            "{PAGE_PREFIX}{page}:{}:{}",
            self.status.map_or("open", Status::as_str),
            u8::from(self.mine)
        )
    }

    fn parse(custom_id: &str) -> Option<View> {
        let rest = custom_id.strip_prefix(PAGE_PREFIX)?;
        let mut parts = rest.split(':');
        let page = parts.next()?.parse().ok()?;
        let status = match parts.next()? {
            "open" => None,
            s => Some(Status::parse(s)?),
        };
        let mine = parts.next()? == "1";
        Some(View { status, mine, page })
    }
}

/// `/queue`.
pub async fn queue(router: &Router, inv: &Invocation) -> Response {
    let view = View {
        status: inv.string_option("status").and_then(Status::parse),
        mine: inv.bool_option("mine").unwrap_or(false),
        page: 0,
    };
    match page(router, inv, view).await {
        Ok(msg) => Response::Message(msg.ephemeral()),
        Err(r) => r,
    }
}

/// A click on `/queue`'s Previous or Next: the same (private) message shows that page.
pub async fn turn(router: &Router, inv: &Invocation, custom_id: &str) -> Response {
    let Some(view) = View::parse(custom_id) else {
        return Response::Message(notice("error.unknown-command", inv.language(), &[]));
    };
    match page(router, inv, view).await {
        Ok(msg) => Response::UpdateMessage(msg),
        Err(r) => r,
    }
}

/// One page of the queue: its lines, how many there are in all, and buttons to the others.
async fn page(router: &Router, inv: &Invocation, view: View) -> Result<Message, Response> {
    let lang = inv.language();
    let Some(guild) = inv.guild_id else {
        return Err(Response::Message(notice("submit.guild-only", lang, &[])));
    };
    let Some(store) = router.store.as_deref() else {
        return Err(Response::Message(notice("submit.no-store", lang, &[])));
    };
    let mut filter = ProposalFilter::guild(GuildId(guild));
    filter.limit = QUEUE_MAX;
    if view.mine {
        filter.author = Some(MemberId(inv.user_id));
    }
    // Without a status: what waits for a decision.
    let statuses = match view.status {
        Some(s) => vec![s],
        None => vec![Status::Pending, Status::ChangesRequested],
    };
    let mut rows: Vec<ProposalSummary> = Vec::new();
    for s in statuses {
        filter.status = Some(s);
        match store.list(&filter).await {
            Ok(mut more) => rows.append(&mut more),
            Err(e) => return Err(Response::private(e.message(lang))),
        }
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.id));
    // A paused server says so above its queue: nothing in it will be posted for now.
    let paused = match store.pause(GuildId(guild)).await {
        Ok(p) => p.map(|p| {
            format!(
                "**{}**\n{}",
                text("pause.title", lang),
                pause_text(&p, lang)
            )
        }),
        Err(e) => return Err(Response::private(e.message(lang))),
    };
    let title = fill(
        "queue.title",
        lang,
        &[(
            "status",
            &view.status.map_or_else(
                || text("queue.open", lang).to_string(),
                |s| s.label(lang).to_string(),
            ),
        )],
    );
    if rows.is_empty() {
        let mut msg = notice("queue.empty", lang, &[("title", &title)]);
        if let (Some(p), Some(c)) = (&paused, msg.content.as_mut()) {
            *c = format!("{p}\n\n{c}");
        }
        return Err(Response::Message(msg));
    }
    let pages = rows.len().div_ceil(PAGE_SIZE);
    // The list may have shrunk since the button was drawn: the last page then.
    let at = view.page.min(pages - 1);
    let mut lines = Vec::with_capacity(PAGE_SIZE);
    for r in rows.iter().skip(at * PAGE_SIZE).take(PAGE_SIZE) {
        let link = r.card.map_or_else(String::new, |c| {
            format!(
                " · [{}]({})",
                text("queue.card", lang),
                message_link(guild, c.channel_id, c.message_id)
            )
        });
        lines.push(format!(
            "**#{}** · {} · <@{}> · rev {}{}\n> {}",
            r.id,
            r.status.label(lang),
            r.author,
            r.revision,
            link,
            escape_markdown(&snippet(&r.text, 90)),
        ));
    }
    let embed = Embed {
        title: Some(title),
        description: Some(whole_lines(&lines, limits::DESCRIPTION)),
        footer: Some(EmbedFooter {
            text: fill(
                "queue.footer",
                lang,
                &[
                    ("total", &rows.len().to_string()),
                    ("page", &(at + 1).to_string()),
                    ("pages", &pages.to_string()),
                ],
            ),
        }),
        ..Embed::default()
    };
    let mut msg = Message::embed(embed);
    msg.content = paused;
    if pages > 1 {
        let button = |key: &str, to: usize, disabled: bool| {
            json!({"type": 2, "style": 2, "label": text(key, lang),
                   "custom_id": view.custom_id(to), "disabled": disabled})
        };
        msg.components = vec![json!({"type": 1, "components": [
            button("queue.previous", at.saturating_sub(1), at == 0),
            button("queue.next", (at + 1).min(pages - 1), at + 1 >= pages),
        ]})];
    }
    Ok(msg)
}

/// Lines joined within `max` characters: whole lines only, never one cut mid-way.
fn whole_lines(lines: &[String], max: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for line in lines {
        let n = line.chars().count() + usize::from(!out.is_empty());
        if used + n > max {
            break;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line);
        used += n;
    }
    out
}

/// `/proposal id`.
pub async fn proposal(router: &Router, inv: &Invocation) -> Response {
    let lang = inv.language();
    let (guild, store) = match router.workspace(inv) {
        Ok(w) => w,
        Err(refusal) => return *refusal,
    };
    let Some(id) = inv.integer_option("id") else {
        return Response::Message(notice("proposal.not-found", lang, &[("id", "?")]));
    };
    // Another server's proposal is not found: ids don't leak across servers.
    let found = store.proposal(ProposalId(id)).await;
    let p = match found.map(|p| p.filter(|p| p.guild.0 == guild)) {
        Ok(Some(p)) => p,
        Ok(None) => {
            return Response::Message(notice(
                "proposal.not-found",
                lang,
                &[("id", &id.to_string())],
            ))
        }
        Err(e) => {
            tracing::warn!(error = %e, "could not read the proposal");
            return Response::Message(notice("proposal.unavailable", lang, &[]));
        }
    };
    let required = match router.server(store, inv).await {
        Ok(s) => s.policy.required_approvals,
        Err(e) => return Response::private(e.message(lang)),
    };
    let mut msg = card(&p, required, lang);
    if let Ok(pause) = store.pause(p.guild).await {
        with_pause(&mut msg, &p, pause.as_ref(), lang);
    }
    msg.components.clear();
    fit_with_trail(&mut msg.embeds, trail(&p, lang), lang);
    if let Ok(Some(c)) = store.card(p.id).await {
        msg.content = Some(fill(
            "proposal.card-link",
            lang,
            &[("link", &message_link(guild, c.channel_id, c.message_id))],
        ));
    }
    Response::Message(msg.ephemeral())
}

/// The card's embed and the audit trail within Discord's 6,000 characters across a
/// message's embeds: the trail gets what the card leaves beyond its tweet's first 1,500
/// characters, then the tweet gets what is left (cut with a visible note).
fn fit_with_trail(embeds: &mut Vec<Embed>, mut history: Embed, lang: Language) {
    const TWEET_KEEPS: usize = 1500;
    let note = text("review.truncated", lang);
    let Some(card) = embeds.first_mut() else {
        embeds.push(history);
        return;
    };
    let tweet = card.description.take().unwrap_or_default();
    let tweet_len = tweet.chars().count();
    let fixed = card.total_chars();
    let without = history.description.take().unwrap_or_default();
    let history_fixed = history.total_chars();
    let room = limits::TOTAL
        .saturating_sub(fixed + history_fixed + tweet_len.min(TWEET_KEEPS))
        .min(limits::DESCRIPTION);
    history.description = Some(truncate(&without, room, "…"));
    let left = limits::TOTAL.saturating_sub(fixed + history.total_chars());
    card.description = Some(truncate(&tweet, left.min(limits::DESCRIPTION), note));
    embeds.push(history);
}

/// The audit trail as an embed: when, what, who, which revision, and why.
fn trail(p: &Proposal, lang: Language) -> Embed {
    let skipped = p.audit.len().saturating_sub(TRAIL_SIZE);
    let mut lines: Vec<String> = Vec::new();
    if skipped > 0 {
        lines.push(fill(
            "proposal.earlier",
            lang,
            &[("count", &skipped.to_string())],
        ));
    }
    for e in &p.audit[skipped..] {
        let mut line = format!(
            "<t:{}:f> · **{}** · rev {}",
            e.at.timestamp(),
            e.action.label(lang),
            e.revision
        );
        if let Some(actor) = e.actor {
            line.push_str(&format!(" · <@{actor}>"));
        }
        line.push_str(&format!(" → {}", e.to.label(lang)));
        if let Some(d) = e.detail.as_deref().filter(|d| !d.is_empty()) {
            line.push_str(&format!("\n> {}", escape_markdown(&snippet(d, 200))));
        }
        lines.push(line);
    }
    Embed {
        title: Some(text("proposal.history", lang).into()),
        description: Some(truncate(&lines.join("\n"), limits::DESCRIPTION, "…")),
        ..Embed::default()
    }
}

/// The choices for `/proposal id` as the member types: the server's proposals, newest first,
/// whose number starts with or whose text contains what was typed.
pub async fn autocomplete(router: &Router, inv: &Invocation, typed: &str) -> Response {
    let (Some(guild), Some(store)) = (inv.guild_id, router.store.as_deref()) else {
        return Response::Autocomplete(Vec::new());
    };
    let lang = inv.language();
    let typed = typed.trim().trim_start_matches('#').to_lowercase();
    let mut filter = ProposalFilter::guild(GuildId(guild));
    filter.limit = 200;
    let rows = match store.list(&filter).await {
        Ok(rows) => rows,
        Err(e) => {
            tracing::warn!(error = %e, "autocomplete: could not list proposals");
            return Response::Autocomplete(Vec::new());
        }
    };
    let choices = rows
        .into_iter()
        .filter(|r| {
            typed.is_empty()
                || r.id.to_string().starts_with(&typed)
                || r.text.to_lowercase().contains(&typed)
        })
        .take(MAX_CHOICES)
        .map(|r| Choice {
            name: snippet(
                &format!("#{} · {} · {}", r.id, r.status.label(lang), r.text),
                100,
            ),
            value: r.id.0.into(),
        })
        .collect();
    Response::Autocomplete(choices)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_buttons_say_where_they_go() {
        let v = View {
            status: Some(Status::ChangesRequested),
            mine: true,
            page: 0,
        };
        let id = v.custom_id(3);
        assert!(id.len() <= 100, "{id}");
        assert_eq!(View::parse(&id), Some(View { page: 3, ..v }));
        let open = View {
            status: None,
            mine: false,
            page: 0,
        };
        assert_eq!(View::parse(&open.custom_id(0)), Some(open));
        assert_eq!(View::parse("queue:x:open:0"), None);
        assert_eq!(View::parse("queue:1:nope:0"), None);
    }

    #[test]
    fn whole_lines_only() {
        let lines = vec!["a".repeat(10), "b".repeat(10), "c".repeat(10)];
        assert_eq!(
            whole_lines(&lines, 21),
            format!("{}\n{}", lines[0], lines[1])
        );
        assert_eq!(whole_lines(&lines, 20), lines[0]);
        assert_eq!(whole_lines(&lines, 100).lines().count(), 3);
    }

    #[test]
    fn snippets_fit_on_one_line() {
        assert_eq!(snippet("a\n\nb   c", 10), "a b c");
        assert_eq!(snippet("abcdefghij", 5), "abcd…");
        assert_eq!(snippet("é".repeat(10).as_str(), 3).chars().count(), 3);
    }
}
