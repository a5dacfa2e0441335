//! What the bot says on its own, outside an interaction's answer: a decision's notice to the
//! proposal's author (a direct message), and the review card brought up to date when something
//! other than a click changed the proposal (a post, a failure, an expiry).
//!
//! Both are best effort and never hold up an answer: a member who closed their direct messages
//! still gets their proposal decided, and a card that can't be edited still has its state in
//! the store (`/proposal` shows it).

use std::sync::Arc;

use serde_json::json;
use serenity::http::Http;
use serenity::model::id::{ChannelId, MessageId};
use tracing::Instrument;

use super::cards::{card_with, message_link};
use super::response::Message;
use crate::review::Language;
use crate::store::{CardRef, Publication, Store};
use crate::workflow::{Notice, Proposal, Status};

/// The direct message telling an author what happened to their proposal.
pub fn author_message(
    p: &Proposal,
    notices: &[Notice],
    lang: Language,
    link: Option<&str>,
) -> Message {
    let mut lines: Vec<String> = vec![format!("**#{}**", p.id)];
    lines.extend(notices.iter().map(|n| n.message(lang)));
    if let Some(link) = link {
        lines.push(link.to_string());
    }
    Message::text(lines.join("\n"))
}

/// Sends `msg` to `user` in a direct message.
pub async fn direct_message(http: &Http, user: u64, msg: &Message) -> Result<(), serenity::Error> {
    let channel = http
        .create_private_channel(&json!({ "recipient_id": user.to_string() }))
        .await?;
    http.send_message(channel.id, vec![], msg).await?;
    Ok(())
}

/// Tells the author of `p` about `notices`, in the background.
pub fn spawn_author_notice(
    http: Arc<Http>,
    p: &Proposal,
    notices: Vec<Notice>,
    lang: Language,
    link: Option<String>,
) {
    if notices.is_empty() {
        return;
    }
    let author = p.author.0;
    let msg = author_message(p, &notices, lang, link.as_deref());
    let span = tracing::info_span!("author_notice", proposal = %p.id, author);
    tokio::spawn(
        async move {
            match direct_message(&http, author, &msg).await {
                Ok(()) => tracing::info!("author told"),
                // Closed direct messages are the member's choice, not the bot's failure.
                Err(e) => tracing::warn!(error = %e, "could not tell the author"),
            }
        }
        .instrument(span),
    );
}

/// The card of `p` with its posts, as an edit: without `content`, so the author's note (the
/// card's content) stays.
pub fn card_edit(
    p: &Proposal,
    required: u32,
    lang: Language,
    publications: &[Publication],
) -> Message {
    let mut msg = card_with(p, required, lang, publications);
    msg.content = None;
    msg
}

/// Edits the card at `at` to `msg`.
pub async fn edit_card(http: &Http, at: CardRef, msg: &Message) -> Result<(), serenity::Error> {
    http.edit_message(
        ChannelId::new(at.channel_id.max(1)),
        MessageId::new(at.message_id.max(1)),
        msg,
        vec![],
    )
    .await?;
    Ok(())
}

/// The card of `p` as it stands: once the proposal is being posted, with its posts (links,
/// errors) and the admins' buttons. Without `content`, so an edit keeps the author's note.
pub async fn render(store: &dyn Store, p: &Proposal, required: u32, lang: Language) -> Message {
    let posting = matches!(
        p.status,
        Status::Publishing | Status::Posted | Status::Failed | Status::NeedsReconcile
    );
    let publications = if posting {
        store.publications(p.id).await.unwrap_or_else(|e| {
            tracing::warn!(error = %e, "could not read the posts for the card");
            Vec::new()
        })
    } else {
        Vec::new()
    };
    card_edit(p, required, lang, &publications)
}

/// The link to `id`'s card, when it is known.
pub async fn card_link(store: &dyn Store, p: &Proposal) -> Option<String> {
    match store.card(p.id).await {
        Ok(Some(c)) => Some(link_to(p, c)),
        _ => None,
    }
}

/// The link to `p`'s card at `at`.
pub fn link_to(p: &Proposal, at: CardRef) -> String {
    message_link(p.guild.0, at.channel_id, at.message_id)
}
