//! `/queue [status] [mine]` and `/proposal id`: what the team has proposed, privately. The
//! queue lists proposals with a link to each card; a proposal shows its card and its whole
//! audit trail. `/proposal`'s id autocompletes from the server's proposals, by number or text.

use crate::discord::cards::{card, message_link};
use crate::discord::embeds::{escape_markdown, limits, notice, truncate};
use crate::discord::messages::{fill, text};
use crate::discord::response::{Choice, Embed, Message, Response, MAX_CHOICES};
use crate::discord::router::{Invocation, Router};
use crate::review::Language;
use crate::store::{ProposalFilter, ProposalSummary};
use crate::workflow::{GuildId, MemberId, Proposal, ProposalId, Status};

/// `/queue`'s name (`commands/queue.json`).
pub const QUEUE: &str = "queue";
/// `/proposal`'s name (`commands/proposal.json`).
pub const PROPOSAL: &str = "proposal";

/// How many proposals `/queue` lists (the embed's description holds them).
const QUEUE_SIZE: u32 = 20;
/// How many audit entries `/proposal` shows (the latest).
const TRAIL_SIZE: usize = 25;

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

/// `/queue`.
pub async fn queue(router: &Router, inv: &Invocation) -> Response {
    let lang = inv.language();
    let Some(guild) = inv.guild_id else {
        return Response::Message(notice("submit.guild-only", lang, &[]));
    };
    let Some(store) = router.store.as_deref() else {
        return Response::Message(notice("submit.no-store", lang, &[]));
    };
    let status = inv.string_option("status").and_then(Status::parse);
    let mut filter = ProposalFilter::guild(GuildId(guild));
    filter.limit = QUEUE_SIZE;
    if inv.bool_option("mine").unwrap_or(false) {
        filter.author = Some(MemberId(inv.user_id));
    }
    // Without a status: what waits for a decision.
    let statuses = match status {
        Some(s) => vec![s],
        None => vec![Status::Pending, Status::ChangesRequested],
    };
    let mut rows: Vec<ProposalSummary> = Vec::new();
    for s in statuses {
        filter.status = Some(s);
        match store.list(&filter).await {
            Ok(mut more) => rows.append(&mut more),
            Err(e) => return Response::private(e.message(lang)),
        }
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.id));
    rows.truncate(QUEUE_SIZE as usize);
    let title = fill(
        "queue.title",
        lang,
        &[(
            "status",
            &status.map_or_else(
                || text("queue.open", lang).to_string(),
                |s| s.label(lang).to_string(),
            ),
        )],
    );
    if rows.is_empty() {
        return Response::Message(notice("queue.empty", lang, &[("title", &title)]));
    }
    let mut lines = Vec::with_capacity(rows.len());
    for r in &rows {
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
        description: Some(truncate(&lines.join("\n"), limits::DESCRIPTION, "…")),
        ..Embed::default()
    };
    Response::Message(Message::embed(embed).ephemeral())
}

/// `/proposal id`.
pub async fn proposal(router: &Router, inv: &Invocation) -> Response {
    let lang = inv.language();
    let Some(guild) = inv.guild_id else {
        return Response::Message(notice("submit.guild-only", lang, &[]));
    };
    let Some(store) = router.store.as_deref() else {
        return Response::Message(notice("submit.no-store", lang, &[]));
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
    msg.components.clear();
    msg.embeds.push(trail(&p, lang));
    if let Ok(Some(c)) = store.card(p.id).await {
        msg.content = Some(fill(
            "proposal.card-link",
            lang,
            &[("link", &message_link(guild, c.channel_id, c.message_id))],
        ));
    }
    Response::Message(msg.ephemeral())
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
    fn snippets_fit_on_one_line() {
        assert_eq!(snippet("a\n\nb   c", 10), "a b c");
        assert_eq!(snippet("abcdefghij", 5), "abcd…");
        assert_eq!(snippet("é".repeat(10).as_str(), 3).chars().count(), 3);
    }
}
