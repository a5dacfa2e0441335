//! `/submit [text] [note] [when] [reply-to] [quote]` (a form asks for the text when it is not
//! given) and `/relay url [note]`: review the text (with the post it answers, quotes or
//! reposts, read from its network), store the proposal, post its review card in the review
//! channel, and tell the author (privately) where the card is.

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
use crate::review::review;
use crate::store::CardRef;
use crate::workflow::media::{Image, ImageFile};
use crate::workflow::{parse_link, Conversation, GuildId, Kind};
use serenity::builder::CreateAttachment;

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
    let reply_to = inv.string_option(REPLY_TO);
    let quote = inv.string_option(QUOTE);
    let images = super::images::proposed_of(inv);
    if !images.is_empty() {
        let answering = match answering(reply_to, quote) {
            Ok(a) => a.map(|(k, u)| (k, u.to_owned())),
            Err(key) => return Response::Message(notice(key, lang, &[])),
        };
        let options = super::images::Options {
            text: inv.string_option("text").map(str::to_owned),
            note: note.map(str::to_owned),
            when: when.map(str::to_owned),
            answering,
            show_text: false,
        };
        return super::images::start(router, inv, http, options, images).await;
    }
    match inv.string_option("text") {
        Some(t) if !t.trim().is_empty() => {
            let answering = match answering(reply_to, quote) {
                Ok(a) => a,
                Err(key) => return Response::Message(notice(key, lang, &[])),
            };
            let form = Form {
                text: t,
                note,
                when,
                answering,
                images: Vec::new(),
            };
            submit(router, inv, http, form).await
        }
        _ => Response::Modal(
            Modal::paragraphs(
                MODAL,
                text("submit.modal.title", lang),
                &[("text", text("card.modal.text", lang), None, MAX_TEXT)],
            )
            .optional("note", text("submit.modal.note", lang), note, MAX_NOTE)
            .optional("when", text("submit.modal.when", lang), when, MAX_WHEN)
            .placeholder("when", text("submit.modal.when-example", lang))
            .optional(
                REPLY_TO,
                text("submit.modal.reply-to", lang),
                reply_to,
                MAX_URL,
            )
            .optional(QUOTE, text("submit.modal.quote", lang), quote, MAX_URL)
            .placeholder(REPLY_TO, "https://x.com/…/status/…"),
        ),
    }
}

/// The option (and form field) naming the post a proposal answers.
pub const REPLY_TO: &str = "reply-to";
/// The option (and form field) naming the post a proposal quotes.
pub const QUOTE: &str = "quote";
/// The longest post address taken (the manifests say so too).
const MAX_URL: usize = 300;

/// What `/submit` (its options or its form) asks for.
struct Form<'a> {
    text: &'a str,
    note: Option<&'a str>,
    when: Option<&'a str>,
    /// How the proposal takes part in a conversation, and the other post's address.
    answering: Option<(Kind, &'a str)>,
    /// Its images, checked and staged in the store.
    images: Vec<ImageFile>,
}

/// Submits a proposal whose images are downloaded, checked and staged
/// ([`super::images`]).
pub(crate) async fn finish(
    router: &Router,
    inv: &Invocation,
    http: Option<&Arc<Http>>,
    options: &super::images::Options,
    images: Vec<ImageFile>,
) -> Response {
    let form = Form {
        text: options.text.as_deref().unwrap_or(""),
        note: options.note.as_deref(),
        when: options.when.as_deref(),
        answering: options.answering.as_ref().map(|(k, u)| (*k, u.as_str())),
        images,
    };
    submit(router, inv, http, form).await
}

/// `reply-to` or `quote`, not both; blank means not given.
fn answering<'a>(
    reply_to: Option<&'a str>,
    quote: Option<&'a str>,
) -> Result<Option<(Kind, &'a str)>, &'static str> {
    let given = |o: Option<&'a str>| o.map(str::trim).filter(|u| !u.is_empty());
    match (given(reply_to), given(quote)) {
        (Some(_), Some(_)) => Err("submit.target-both"),
        (Some(url), None) => Ok(Some((Kind::Reply, url))),
        (None, Some(url)) => Ok(Some((Kind::Quote, url))),
        (None, None) => Ok(None),
    }
}

/// The other post of a reply, quote or repost, read from its network, or the member's
/// refusal: an address that is no post, a network the bot does not post to, a post that
/// can't be read (deleted, private, the network down). Nothing is stored before this holds.
pub(crate) async fn conversation(
    router: &Router,
    lang: crate::review::Language,
    kind: Kind,
    url: &str,
) -> Result<Conversation, Response> {
    let shown = escape_markdown(url);
    let link = parse_link(url).map_err(|_| {
        Response::Message(notice("submit.target-invalid", lang, &[("url", &shown)]))
    })?;
    let network = link.network.id();
    let Some(publisher) = router
        .config
        .publishers
        .iter()
        .find(|p| p.network() == network)
    else {
        return Err(Response::Message(notice(
            "submit.target-network",
            lang,
            &[("network", network)],
        )));
    };
    match publisher.fetch(&link).await {
        Ok(target) => Ok(Conversation { kind, target }),
        Err(e) => {
            tracing::info!(error = %e, network, "could not read the post a proposal answers");
            Err(Response::Message(notice(
                "submit.target-unreachable",
                lang,
                &[
                    ("network", network),
                    ("url", &shown),
                    ("error", &escape_markdown(&e.to_string())),
                ],
            )))
        }
    }
}

/// The longest `when` (the manifest says so too).
const MAX_WHEN: usize = 40;

/// The form `/submit` opened.
pub async fn modal(router: &Router, inv: &Invocation, http: Option<&Arc<Http>>) -> Response {
    let lang = inv.language();
    match inv.field("text") {
        Some(t) if !t.trim().is_empty() => {
            let answering = match answering(inv.field(REPLY_TO), inv.field(QUOTE)) {
                Ok(a) => a,
                Err(key) => return Response::Message(notice(key, lang, &[])),
            };
            let form = Form {
                text: t,
                note: inv.field("note"),
                when: inv.field("when"),
                answering,
                images: Vec::new(),
            };
            submit(router, inv, http, form).await
        }
        _ => Response::Message(notice("submit.missing-text", lang, &[])),
    }
}

/// `/relay url [note]`: a plain repost of someone else's post, approved like a tweet.
pub async fn relay(router: &Router, inv: &Invocation, http: Option<&Arc<Http>>) -> Response {
    let lang = inv.language();
    if inv.guild_id.is_none() {
        return Response::Message(notice("submit.guild-only", lang, &[]));
    }
    let Some(url) = inv.string_option("url").filter(|u| !u.trim().is_empty()) else {
        return Response::Message(notice("relay.missing-url", lang, &[]));
    };
    let form = Form {
        text: "",
        note: inv.string_option("note"),
        when: None,
        answering: Some((Kind::Repost, url.trim())),
        images: Vec::new(),
    };
    submit(router, inv, http, form).await
}

/// The slash command that reposts (`commands/relay.json`).
pub const RELAY: &str = "relay";

async fn submit(
    router: &Router,
    inv: &Invocation,
    http: Option<&Arc<Http>>,
    form: Form<'_>,
) -> Response {
    let Form {
        text,
        note,
        when,
        answering,
        images,
    } = form;
    let lang = inv.language();
    let now = Utc::now();
    let (guild, store) = match router.workspace(inv) {
        Ok(w) => w,
        Err(refusal) => return *refusal,
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
    let conversation = match answering {
        Some((kind, url)) => match conversation(router, lang, kind, url).await {
            Ok(c) => Some(c),
            Err(refusal) => return refusal,
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
    let mut review_settings = router.review_settings(inv, &settings, card_lang).await;
    review_settings.answering = conversation.as_ref().map(Conversation::for_review);
    // Whether an image over Bluesky's limit can be made to fit costs a re-encoding: off the
    // async threads.
    review_settings.images = {
        let files = images.clone();
        tokio::task::spawn_blocking(move || files.iter().map(crate::media::facts).collect())
            .await
            .unwrap_or_else(|_| crate::media::stored_facts(&described_of(&images)))
    };
    let r = review(text, &review_settings, &router.history(inv).await);
    router.metrics.review();
    let described = described_of(&images);
    let t = match store
        .submit_with_images(
            GuildId(guild),
            &inv.member(),
            text,
            conversation.as_ref(),
            &described,
            &r,
            Utc::now(),
        )
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
    let files = card_files(&images);
    match crate::discord::upload::send(http, ChannelId::new(channel.max(1)), &msg, files).await {
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

fn described_of(images: &[ImageFile]) -> Vec<Image> {
    images.iter().map(|f| f.image.clone()).collect()
}

/// The proposal's images, uploaded with its card (their alt texts as the files'
/// descriptions, so Discord reads them out too; it keeps 1,024 characters).
fn card_files(images: &[ImageFile]) -> Vec<CreateAttachment> {
    images
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let name = crate::discord::cards::image_file_name(i, &f.image);
            let file = CreateAttachment::bytes(f.bytes.clone(), name);
            match f.image.alt_text() {
                Some(alt) => file.description(alt.chars().take(1024).collect::<String>()),
                None => file,
            }
        })
        .collect()
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
