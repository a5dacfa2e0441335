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

use super::cards::{card_with, message_link, with_pause, CONTENT_MAX};
use super::embeds::{escape_markdown, truncate};
use super::messages::text;
use super::response::Message;
use crate::review::Language;
use crate::store::{CardRef, Publication, Store};
use crate::workflow::{Notice, Proposal, Status};

/// How much of a reviewer's reason or a network's error a direct message quotes (escaped):
/// with the rest of the message, within Discord's 2,000 characters.
const QUOTED_MAX: usize = 1200;

/// `n` with the text people or networks wrote (reasons, error bodies, ids) escaped, as the
/// card shows it: a reason's masked link or heading shows as typed. Cut, after escaping, to
/// [`QUOTED_MAX`].
fn escaped(n: &Notice, lang: Language) -> Notice {
    let quote = |s: &str| {
        truncate(
            &escape_markdown(s),
            QUOTED_MAX,
            text("review.truncated", lang),
        )
    };
    match n {
        Notice::ChangesRequested { by, reason } => Notice::ChangesRequested {
            by: *by,
            reason: quote(reason),
        },
        Notice::Rejected { by, reason } => Notice::Rejected {
            by: *by,
            reason: quote(reason),
        },
        Notice::PublishFailed { error } => Notice::PublishFailed {
            error: quote(error),
        },
        Notice::Posted { remote_id } => Notice::Posted {
            remote_id: quote(remote_id),
        },
        other => other.clone(),
    }
}

/// The direct message telling an author what happened to their proposal: what others wrote
/// escaped, within Discord's 2,000 characters (the link last, never cut off).
pub fn author_message(
    p: &Proposal,
    notices: &[Notice],
    lang: Language,
    link: Option<&str>,
) -> Message {
    author_message_with(p, notices, lang, link, &[])
}

/// [`author_message`] with the links of the posts after the card's.
pub fn author_message_with(
    p: &Proposal,
    notices: &[Notice],
    lang: Language,
    link: Option<&str>,
    posts: &[&str],
) -> Message {
    let tail: Vec<&str> = link.into_iter().chain(posts.iter().copied()).collect();
    let head = format!("**#{}**", p.id);
    let tail_len: usize = tail.iter().map(|l| l.chars().count() + 1).sum();
    let room = CONTENT_MAX.saturating_sub(head.chars().count() + 1 + tail_len);
    let body: Vec<String> = notices
        .iter()
        .map(|n| escaped(n, lang).message(lang))
        .collect();
    let mut lines = vec![head];
    if !body.is_empty() {
        lines.push(truncate(
            &body.join("\n"),
            room,
            text("review.truncated", lang),
        ));
    }
    lines.extend(tail.iter().map(|l| l.to_string()));
    Message::text(truncate(&lines.join("\n"), CONTENT_MAX, ""))
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
    let mut msg = card_edit(p, required, lang, &publications);
    let pause = store.pause(p.guild).await.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "could not read the server's pause for the card");
        None
    });
    with_pause(&mut msg, p, pause.as_ref(), lang);
    msg
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::MemberId;

    fn proposal() -> Proposal {
        use crate::review::{review, History, Settings};
        use crate::workflow::{apply, Event, GuildId, Member, Policy, ProposalId};
        let text = "Notre appli ^AB";
        let r = review(text, &Settings::default(), &History::default());
        let by = Member {
            id: MemberId(1),
            roles: vec![],
            is_admin: false,
        };
        let submit = Event::Submit {
            id: ProposalId(3),
            guild: GuildId(9),
            author: by,
            text: text.into(),
            review: r,
            conversation: None,
            images: Vec::new(),
        };
        apply(None, &submit, &Policy::default(), chrono::Utc::now())
            .expect("submitted")
            .proposal
    }

    /// A reviewer's reason and a network's error show as typed (escaped, as on the card),
    /// within 2,000 characters, the link kept, and only in the reader's language.
    #[test]
    fn the_author_reads_others_words_as_typed() {
        let p = proposal();
        let reason = format!(
            "# Titre [lien](https://evil.test) ||x|| {}",
            "*_".repeat(480)
        );
        let notices = [
            Notice::Rejected {
                by: MemberId(5),
                reason,
            },
            Notice::PublishFailed {
                error: "mastodon: 422 **Validation failed**".into(),
            },
        ];
        let link = "https://discord.com/channels/9/8/7";
        let m = author_message(&p, &notices, Language::Fr, Some(link));
        let c = m.content.unwrap_or_default();
        assert!(c.chars().count() <= CONTENT_MAX, "{}", c.chars().count());
        assert!(
            c.contains(r"\# Titre \[lien\](https://evil.test) \|\|x\|\|"),
            "{c}"
        );
        assert!(c.ends_with(link), "{c}");
        assert!(c.contains("a rejeté votre proposition"), "{c}");
    }
}
