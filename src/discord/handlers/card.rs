//! The review card's buttons and the modals they open. `custom_id`s:
//! `tg:{approve|changes|reject|edit|withdraw}:{proposal}:{revision}` on the buttons,
//! `tg:reason:{changes|reject}:{proposal}:{revision}` and `tg:text:{proposal}:{revision}` on
//! the modals. Every accepted action updates the card in place (callback type 7); a refusal is
//! a private explanation in the clicker's language, and nothing is counted.

use std::sync::Arc;

use chrono::Utc;
use serenity::http::Http;

use crate::discord::cards::Button;
use crate::discord::embeds::notice;
use crate::discord::messages::{fill, text};
use crate::discord::notify;
use crate::discord::response::{Modal, Response};
use crate::discord::router::{Action, Invocation, Router};
use crate::publish::worker;
use crate::review::{review, Language};
use crate::store::{Store, StoreError};
use crate::workflow::{Event, GuildId, ProposalId, WorkflowError};

pub use crate::discord::cards::PREFIX;

/// The longest tweet text a modal takes (as `/review`'s option).
const MAX_TEXT: usize = 4000;
const MAX_REASON: usize = 1000;

fn refused(e: &StoreError, inv: &Invocation) -> Response {
    tracing::info!(refusal = %e, "action refused");
    Response::private(e.message(inv.language()))
}

/// What a card `custom_id` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// A button on the card.
    Button(Button, i64, u32),
    /// The reason modal of "request changes" or "reject".
    Reason(Button, i64, u32),
    /// The edit modal.
    Text(i64, u32),
}

fn parse(custom_id: &str) -> Option<Target> {
    let rest = custom_id.strip_prefix(PREFIX)?;
    let parts: Vec<&str> = rest.split(':').collect();
    match parts.as_slice() {
        ["reason", kind, p, r] => Some(Target::Reason(
            Button::parse(kind)?,
            p.parse().ok()?,
            r.parse().ok()?,
        )),
        ["text", p, r] => Some(Target::Text(p.parse().ok()?, r.parse().ok()?)),
        [kind, p, r] => Some(Target::Button(
            Button::parse(kind)?,
            p.parse().ok()?,
            r.parse().ok()?,
        )),
        _ => None,
    }
}

/// Whether a card button's `custom_id` only opens a form (request changes, reject, override,
/// edit): that changes nothing by itself, and its answer must be the form, at once, whatever
/// the database does. The dispatcher claims every other action's interaction id first.
pub fn opens_form(custom_id: &str) -> bool {
    matches!(
        parse(custom_id),
        Some(Target::Button(
            Button::RequestChanges | Button::Reject | Button::Override | Button::Edit,
            _,
            _
        ))
    )
}

/// A card button or one of its modals.
pub async fn handle(router: &Router, inv: &Invocation, http: Option<&Arc<Http>>) -> Response {
    let lang = inv.language();
    let Some(target) = parse(inv.name()) else {
        return Response::Message(notice("error.unknown-command", lang, &[]));
    };
    let (guild, store) = match router.workspace(inv) {
        Ok(w) => w,
        Err(refusal) => return *refusal,
    };
    let by = inv.member();
    let is_modal = matches!(inv.action, Action::Modal { .. });
    // The server's settings, when a branch below already read them (an edit reviews the new
    // text with them): read once per click.
    let mut server = None;
    let event = match (target, is_modal) {
        (Target::Button(Button::Approve, _, revision), false) => Event::Approve { by, revision },
        (Target::Button(Button::Withdraw, _, _), false) => Event::Withdraw { by },
        (
            Target::Button(b @ (Button::RequestChanges | Button::Reject | Button::Override), p, r),
            false,
        ) => {
            let key = match b {
                Button::Reject => "card.modal.reject",
                Button::Override => "card.modal.override",
                _ => "card.modal.changes",
            };
            return Response::Modal(Modal::paragraphs(
                format!("{PREFIX}reason:{}:{p}:{r}", b.id()),
                text(key, lang),
                &[("reason", text("card.modal.reason", lang), None, MAX_REASON)],
            ));
        }
        (
            Target::Button(b @ (Button::Retry | Button::ConfirmPosted | Button::PostAgain), p, _),
            false,
        ) => {
            return posting(router, store, inv, b, p).await;
        }
        (Target::Button(Button::Edit, p, r), false) => {
            return edit_modal(store, inv, p, r).await;
        }
        (Target::Reason(b, _, revision), true) => {
            let reason = inv.field("reason").unwrap_or("").trim().to_string();
            match b {
                Button::Reject => Event::Reject { by, reason },
                Button::Override => Event::Override {
                    by,
                    revision,
                    reason,
                },
                _ => Event::RequestChanges {
                    by,
                    revision,
                    reason,
                },
            }
        }
        (Target::Text(p, _), true) => {
            let new_text = inv.field("text").unwrap_or("").to_string();
            if new_text.trim().is_empty() {
                return Response::Message(notice("submit.missing-text", lang, &[]));
            }
            // The text changes; what it answers or quotes, and its images, stay.
            let (conversation, images) = match store.proposal(ProposalId(p)).await {
                Ok(Some(found)) if Some(found.guild.0) == inv.guild_id => {
                    let mut images = found.current().images.clone();
                    for (i, image) in images.iter_mut().enumerate() {
                        if let Some(alt) = inv.field(&format!("alt{}", i + 1)) {
                            let alt = alt.trim();
                            image.alt = (!alt.is_empty()).then(|| alt.to_owned());
                        }
                    }
                    (found.current().conversation.clone(), images)
                }
                Ok(_) => return refused(&StoreError::Refused(WorkflowError::NoSuchProposal), inv),
                Err(e) => return refused(&e, inv),
            };
            let read = match router.server(store, inv).await {
                Ok(s) => s,
                Err(e) => return refused(&e, inv),
            };
            let mut settings = router
                .review_settings(inv, &read, inv.public_language())
                .await;
            settings.answering = conversation.as_ref().map(|c| c.for_review());
            settings.images = crate::media::stored_facts(&images);
            server = Some(read);
            let r = review(&new_text, &settings, &router.history(inv).await);
            router.metrics.review();
            Event::Edit {
                by,
                text: new_text,
                review: r,
                conversation,
                images,
            }
        }
        _ => return Response::Message(notice("error.unknown-command", lang, &[])),
    };
    let id = match target {
        Target::Button(_, p, _) | Target::Reason(_, p, _) | Target::Text(p, _) => p,
    };
    let settings = match server {
        Some(s) => s,
        None => match router.server(store, inv).await {
            Ok(s) => s,
            Err(e) => return refused(&e, inv),
        },
    };
    match store
        .apply(GuildId(guild), ProposalId(id), &event, Utc::now())
        .await
    {
        Ok(t) => {
            tracing::info!(proposal = id, status = %t.proposal.status, "card action applied");
            if t.enqueue_post {
                router.post_wake.notify_one();
            }
            // Most clicks tell the author nothing: no card lookup for them.
            if let Some(http) = http.filter(|_| !t.notices.is_empty()) {
                let link = notify::card_link(store, &t.proposal).await;
                notify::spawn_author_notice(
                    http.clone(),
                    &t.proposal,
                    t.notices.clone(),
                    inv.public_language(),
                    link,
                );
            }
            if matches!(
                event,
                Event::Approve { .. } | Event::RequestChanges { .. } | Event::Reject { .. }
            ) {
                router.metrics.vote();
            }
            let msg = notify::render(
                store,
                &t.proposal,
                settings.policy.required_approvals,
                inv.public_language(),
            )
            .await;
            Response::UpdateMessage(msg)
        }
        Err(e) => refused(&e, inv),
    }
}

/// An admin's button on a post that went wrong: Retry (failed), Confirm posted or Post again
/// (outcome unknown). The worker does the sending; the card shows the new state at once.
async fn posting(
    router: &Router,
    store: &dyn Store,
    inv: &Invocation,
    button: Button,
    id: i64,
) -> Response {
    let (guild, id, by, now) = (
        GuildId(inv.guild_id.unwrap_or_default()),
        ProposalId(id),
        inv.member(),
        Utc::now(),
    );
    let done = match button {
        Button::Retry => worker::retry(store, guild, id, &by, now).await.map(|_| ()),
        Button::ConfirmPosted => worker::confirm_posted(store, guild, id, &by, None, now)
            .await
            .map(|_| ()),
        _ => worker::post_again(store, guild, id, &by, now)
            .await
            .map(|_| ()),
    };
    if let Err(e) = done {
        return refused(&e, inv);
    }
    tracing::info!(proposal = %id, action = button.id(), "posting settled by an admin");
    router.post_wake.notify_one();
    let required = match router.server(store, inv).await {
        Ok(s) => s.policy.required_approvals,
        Err(e) => return refused(&e, inv),
    };
    match store.proposal(id).await {
        Ok(Some(p)) => Response::UpdateMessage(
            notify::render(store, &p, required, inv.public_language()).await,
        ),
        Ok(None) => refused(&StoreError::Refused(WorkflowError::NoSuchProposal), inv),
        Err(e) => refused(&e, inv),
    }
}

/// The edit modal, prefilled with the current text; only for the author.
async fn edit_modal(store: &dyn Store, inv: &Invocation, id: i64, revision: u32) -> Response {
    let lang = inv.language();
    let p = match store.proposal(ProposalId(id)).await {
        Ok(Some(p)) if Some(p.guild.0) == inv.guild_id => p,
        Ok(_) => return refused(&StoreError::Refused(WorkflowError::NoSuchProposal), inv),
        Err(e) => return refused(&e, inv),
    };
    if p.author.0 != inv.user_id {
        return refused(&StoreError::Refused(WorkflowError::NotAuthor), inv);
    }
    let current = p.current();
    if current.number != revision {
        tracing::debug!(
            seen = revision,
            current = current.number,
            "edit from an older card"
        );
    }
    let mut form = edit_form(lang, id, current.number, Some(current.text.as_str()));
    // Each image's alt text, editable with the text (left out of the form, it stays).
    for (i, image) in current.images.iter().enumerate() {
        let n = (i + 1).to_string();
        let name = crate::discord::cards::image_file_name(i, image);
        form = form.optional(
            &format!("alt{n}"),
            &fill(
                "submit.alt-modal.label",
                lang,
                &[("n", n.as_str()), ("file", name.as_str())],
            ),
            image.alt.as_deref(),
            super::images::MAX_ALT,
        );
    }
    Response::Modal(form)
}

/// The edit form of revision `revision` of proposal `id`, prefilled with `text` when known.
fn edit_form(lang: Language, id: i64, revision: u32, text_now: Option<&str>) -> Modal {
    let form = Modal::paragraphs(
        format!("{PREFIX}text:{id}:{revision}"),
        text("card.modal.edit", lang),
        &[("text", text("card.modal.text", lang), text_now, MAX_TEXT)],
    );
    match text_now {
        Some(_) => form,
        None => form.placeholder("text", text("card.modal.text-unloaded", lang)),
    }
}

/// The form a card button opens, answered without the database when it is too slow: Edit's
/// form without the current text (the store still checks, on submit, that the author sends
/// it, and for the revision on the card). `None` for every other button.
pub fn instant_form(inv: &Invocation, custom_id: &str) -> Option<Response> {
    match parse(custom_id)? {
        Target::Button(Button::Edit, p, r) => {
            Some(Response::Modal(edit_form(inv.language(), p, r, None)))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_ids_parse() {
        assert_eq!(
            parse("tg:approve:12:3"),
            Some(Target::Button(Button::Approve, 12, 3))
        );
        assert_eq!(
            parse("tg:reason:reject:12:3"),
            Some(Target::Reason(Button::Reject, 12, 3))
        );
        assert_eq!(parse("tg:text:12:3"), Some(Target::Text(12, 3)));
        for bad in [
            "tg:approve:x:3",
            "tg:nope:1:1",
            "approve:1:1",
            "tg:approve:1",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        for b in Button::ALL {
            assert_eq!(parse(&b.custom_id(7, 2)), Some(Target::Button(b, 7, 2)));
        }
    }
}
