//! `/submit [text] [note]` (a form asks for the text when it is not given): review the text, store the proposal, post its review card in the
//! review channel, and tell the author (privately) where the card is.

use std::sync::Arc;

use chrono::Utc;
use serenity::http::Http;
use serenity::model::id::ChannelId;

use crate::discord::cards::{card, message_link};
use crate::discord::embeds::{escape_markdown, notice};
use crate::discord::messages::{fill, text};
use crate::discord::response::{Message, Modal, Response};
use crate::discord::router::{Invocation, Router};
use crate::review::{review, History};
use crate::store::CardRef;
use crate::workflow::GuildId;

/// The slash command's name (`commands/submit.json`).
pub const SLASH: &str = "submit";

fn private(text: String) -> Response {
    Response::Message(Message::text(text).ephemeral())
}

/// The `custom_id` of the form `/submit` opens when it has no text.
pub const MODAL: &str = "submit:text";

const MAX_TEXT: usize = 4000;
const MAX_NOTE: usize = 1000;

/// `/submit`: with its text, submitted at once; without, a form asks for it.
pub async fn slash(router: &Router, inv: &Invocation, http: Option<&Arc<Http>>) -> Response {
    let lang = inv.language();
    if inv.guild_id.is_none() {
        return Response::Message(notice("submit.guild-only", lang, &[]));
    }
    let note = inv.string_option("note");
    match inv.string_option("text") {
        Some(t) if !t.trim().is_empty() => submit(router, inv, http, t, note).await,
        _ => Response::Modal(
            Modal::paragraphs(
                MODAL,
                text("submit.modal.title", lang),
                &[("text", text("card.modal.text", lang), None, MAX_TEXT)],
            )
            .optional("note", text("submit.modal.note", lang), note, MAX_NOTE),
        ),
    }
}

/// The form `/submit` opened.
pub async fn modal(router: &Router, inv: &Invocation, http: Option<&Arc<Http>>) -> Response {
    match inv.field("text") {
        Some(t) if !t.trim().is_empty() => submit(router, inv, http, t, inv.field("note")).await,
        _ => Response::Message(notice("submit.missing-text", inv.language(), &[])),
    }
}

async fn submit(
    router: &Router,
    inv: &Invocation,
    http: Option<&Arc<Http>>,
    text: &str,
    note: Option<&str>,
) -> Response {
    let lang = inv.language();
    let Some(guild) = inv.guild_id else {
        return Response::Message(notice("submit.guild-only", lang, &[]));
    };
    let Some(store) = router.store.as_deref() else {
        return Response::Message(notice("submit.no-store", lang, &[]));
    };
    let settings = match router.server(store, inv).await {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = %e, "could not read the server's settings");
            return private(e.message(lang));
        }
    };
    let channel = settings.review_channel.unwrap_or(inv.channel_id);
    let card_lang = inv.public_language();
    let review_settings = router
        .review_settings(inv, Some(&settings), card_lang)
        .await;
    let r = review(text, &review_settings, &History::default());
    router.metrics.review();
    let t = match store
        .submit(GuildId(guild), &inv.member(), text, &r, Utc::now())
        .await
    {
        Ok(t) => t,
        Err(e) => {
            tracing::warn!(error = %e, "submit refused or failed");
            return private(e.message(lang));
        }
    };
    let id = t.proposal.id;
    tracing::info!(proposal = %id, channel, "proposal submitted");
    let mut msg = card(&t.proposal, settings.policy.required_approvals, card_lang);
    if let Some(note) = note.filter(|n| !n.trim().is_empty()) {
        msg.content = Some(fill(
            "card.note",
            card_lang,
            &[
                ("author", &format!("<@{}>", inv.user_id)),
                ("note", &escape_markdown(note)),
            ],
        ));
    }
    let Some(http) = http else {
        return Response::Message(notice(
            "submit.card-failed",
            lang,
            &[("id", &id.to_string())],
        ));
    };
    match http
        .send_message(ChannelId::new(channel.max(1)), vec![], &msg)
        .await
    {
        Ok(posted) => {
            let card = CardRef {
                channel_id: channel,
                message_id: posted.id.get(),
            };
            // The card works without it (clicks carry their message); only edits the bot makes
            // on its own (a post, an expiry) need it, so a failure here is logged, not shown.
            if let Err(e) = store.set_card(id, card, Utc::now()).await {
                tracing::warn!(error = %e, proposal = %id, "could not remember the card");
            }
            Response::Message(notice(
                "submit.done",
                lang,
                &[
                    ("id", &id.to_string()),
                    ("link", &message_link(guild, channel, posted.id.get())),
                ],
            ))
        }
        Err(e) => {
            tracing::warn!(error = %e, proposal = %id, "could not post the review card");
            Response::Message(notice(
                "submit.card-failed",
                lang,
                &[("id", &id.to_string())],
            ))
        }
    }
}
