//! `/submit [text] [note]` (a form asks for the text when it is not given): review the text, store the proposal, post its review card in the
//! review channel, and tell the author (privately) where the card is.

use std::sync::Arc;

use chrono::Utc;
use serenity::http::Http;
use serenity::model::id::ChannelId;

use crate::discord::cards::{card, card_content, message_link, with_pause};
use crate::discord::embeds::{escape_markdown, notice};
use crate::discord::messages::text;
use crate::discord::response::{Modal, Response};
use crate::discord::router::{Invocation, Router};
use crate::discord::zone;
use crate::publish::worker;
use crate::review::{review, History};
use crate::store::CardRef;
use crate::workflow::GuildId;

/// The slash command's name (`commands/submit.json`).
pub const SLASH: &str = "submit";

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
    let when = inv.string_option("when");
    match inv.string_option("text") {
        Some(t) if !t.trim().is_empty() => submit(router, inv, http, t, note, when).await,
        _ => Response::Modal(
            Modal::paragraphs(
                MODAL,
                text("submit.modal.title", lang),
                &[("text", text("card.modal.text", lang), None, MAX_TEXT)],
            )
            .optional("note", text("submit.modal.note", lang), note, MAX_NOTE)
            .optional("when", text("submit.modal.when", lang), when, MAX_WHEN)
            .placeholder("when", text("submit.modal.when-example", lang)),
        ),
    }
}

/// The longest `when` (the manifest says so too).
const MAX_WHEN: usize = 40;

/// The form `/submit` opened.
pub async fn modal(router: &Router, inv: &Invocation, http: Option<&Arc<Http>>) -> Response {
    match inv.field("text") {
        Some(t) if !t.trim().is_empty() => {
            submit(router, inv, http, t, inv.field("note"), inv.field("when")).await
        }
        _ => Response::Message(notice("submit.missing-text", inv.language(), &[])),
    }
}

async fn submit(
    router: &Router,
    inv: &Invocation,
    http: Option<&Arc<Http>>,
    text: &str,
    note: Option<&str>,
    when: Option<&str>,
) -> Response {
    let lang = inv.language();
    let now = Utc::now();
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
            return Response::private(e.message(lang));
        }
    };
    // A bad time is said before anything is stored; it is read in the server's zone.
    let tz = settings.zone();
    let at = match when.map(str::trim).filter(|w| !w.is_empty()) {
        Some(w) => match zone::parse_when(w, tz, now) {
            Ok(at) => Some(at),
            Err(key) => {
                return Response::Message(notice(
                    key,
                    lang,
                    &[("when", &escape_markdown(w)), ("zone", tz.name())],
                ))
            }
        },
        None => None,
    };
    let pause = match store.pause(GuildId(guild)).await {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!(error = %e, "could not read the server's pause");
            return Response::private(e.message(lang));
        }
    };
    let channel = settings.review_channel.unwrap_or(inv.channel_id);
    let card_lang = inv.public_language();
    let review_settings = router.review_settings(inv, &settings, card_lang).await;
    let r = review(text, &review_settings, &History::default());
    router.metrics.review();
    let t = match store
        .submit(GuildId(guild), &inv.member(), text, &r, Utc::now())
        .await
    {
        Ok(t) => t,
        Err(e) => {
            tracing::warn!(error = %e, "submit refused or failed");
            return Response::private(e.message(lang));
        }
    };
    let id = t.proposal.id;
    tracing::info!(proposal = %id, channel, "proposal submitted");
    if let Some(at) = at {
        if let Err(e) = worker::schedule(store, GuildId(guild), id, Some(at), now).await {
            tracing::warn!(error = %e, proposal = %id, "could not schedule the proposal");
            return Response::private(e.message(lang));
        }
    }
    let mut msg = card(&t.proposal, settings.policy.required_approvals, card_lang);
    with_pause(&mut msg, &t.proposal, pause.as_ref(), card_lang);
    msg.content = card_content(inv.user_id, note, at.map(|at| (at, tz)), card_lang);
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    #[test]
    fn a_posting_time_is_utc_in_the_future_within_a_year() {
        let now: DateTime<Utc> = "2026-12-01T10:00:00Z".parse().expect("time");
        let at = |s: &str| zone::parse_when(s, zone::DEFAULT, now);
        let expected: DateTime<Utc> = "2026-12-24T09:00:00Z".parse().expect("time");
        assert_eq!(at("2026-12-24 09:00"), Ok(expected));
        assert_eq!(at(" 2026-12-24T09:00 "), Ok(expected));
        assert_eq!(at("2026-12-24T10:00:00+01:00"), Ok(expected));
        assert_eq!(at("demain matin"), Err("submit.when-invalid"));
        assert_eq!(at("2026-12-01 10:00"), Err("submit.when-past"));
        assert_eq!(at("2028-01-01 10:00"), Err("submit.when-far"));
    }
}
