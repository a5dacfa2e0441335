//! A message sent with files, through serenity's message builder.
//!
//! The bot's messages are its own JSON ([`Message`]), sent as is by `Http::send_message`; but
//! with several files that call names every part `files[0]` (the placeholder ids are
//! crate-private), and Discord would mix them up. The builder numbers the files and their
//! `attachments` entries itself, so a message with files is rebuilt with it: content, embeds,
//! buttons and "ping nobody", the same as the JSON says.

use serenity::all::{
    ButtonStyle, CreateActionRow, CreateAllowedMentions, CreateAttachment, CreateButton,
    CreateEmbed, CreateEmbedFooter, CreateMessage,
};
use serenity::http::Http;
use serenity::model::id::ChannelId;

use super::response::Message;

fn style(n: u64) -> ButtonStyle {
    match n {
        1 => ButtonStyle::Primary,
        3 => ButtonStyle::Success,
        4 => ButtonStyle::Danger,
        _ => ButtonStyle::Secondary,
    }
}

/// The builder for `msg` with `files` (each with its description already set).
pub fn builder(msg: &Message, files: Vec<CreateAttachment>) -> CreateMessage {
    let mut b = CreateMessage::new().allowed_mentions(CreateAllowedMentions::new());
    if let Some(content) = &msg.content {
        b = b.content(content.clone());
    }
    let embeds = msg.embeds.iter().map(|e| {
        let mut ce = CreateEmbed::new();
        if let Some(t) = &e.title {
            ce = ce.title(t.clone());
        }
        if let Some(d) = &e.description {
            ce = ce.description(d.clone());
        }
        if let Some(c) = e.color {
            ce = ce.colour(c);
        }
        ce = ce.fields(
            e.fields
                .iter()
                .map(|f| (f.name.clone(), f.value.clone(), f.inline)),
        );
        if let Some(f) = &e.footer {
            ce = ce.footer(CreateEmbedFooter::new(f.text.clone()));
        }
        ce
    });
    b = b.embeds(embeds.collect());
    let rows: Vec<CreateActionRow> = msg
        .components
        .iter()
        .map(|row| {
            let buttons = row["components"]
                .as_array()
                .map(|c| c.as_slice())
                .unwrap_or_default()
                .iter()
                .filter_map(|btn| {
                    let id = btn["custom_id"].as_str()?;
                    Some(
                        CreateButton::new(id)
                            .label(btn["label"].as_str().unwrap_or_default())
                            .style(style(btn["style"].as_u64().unwrap_or(2)))
                            .disabled(btn["disabled"].as_bool().unwrap_or(false)),
                    )
                })
                .collect();
            CreateActionRow::Buttons(buttons)
        })
        .collect();
    if !rows.is_empty() {
        b = b.components(rows);
    }
    b.add_files(files)
}

/// Sends `msg` with `files` to `channel`; without files, the JSON as is.
pub async fn send(
    http: &Http,
    channel: ChannelId,
    msg: &Message,
    files: Vec<CreateAttachment>,
) -> Result<serenity::model::channel::Message, serenity::Error> {
    if files.is_empty() {
        return http.send_message(channel, vec![], msg).await;
    }
    channel.send_message(http, builder(msg, files)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discord::cards::card;
    use crate::review::{review, History, Language, Settings};
    use crate::workflow::{apply, Event, GuildId, Member, MemberId, Policy, ProposalId};

    /// The builder says what the card's JSON says: the same embed and buttons, pinging nobody.
    #[test]
    fn the_rebuilt_card_matches_the_json_card() {
        let text = "New opening hours from Monday: what do you think? ^SG";
        let r = review(text, &Settings::default(), &History::default());
        let submit = Event::Submit {
            id: ProposalId(3),
            guild: GuildId(1),
            author: Member {
                id: MemberId(9),
                roles: vec![],
                is_admin: false,
            },
            text: text.into(),
            review: r,
            conversation: None,
            images: Vec::new(),
        };
        let p = apply(None, &submit, &Policy::default(), chrono::Utc::now())
            .expect("submitted")
            .proposal;
        for lang in [Language::Fr, Language::En] {
            let mut msg = card(&p, 2, lang);
            msg.content = Some("<@9> **note**".into());
            let ours = serde_json::to_value(&msg).expect("json");
            let theirs = serde_json::to_value(builder(&msg, Vec::new())).expect("json");
            assert_eq!(theirs["content"], ours["content"]);
            assert_eq!(theirs["allowed_mentions"]["parse"], serde_json::json!([]));
            let embed = |v: &serde_json::Value, k: &str| v["embeds"][0][k].clone();
            for k in ["title", "description", "color"] {
                assert_eq!(embed(&theirs, k), embed(&ours, k), "{k}");
            }
            assert_eq!(embed(&theirs, "fields"), embed(&ours, "fields"));
            assert_eq!(
                embed(&theirs, "footer")["text"],
                embed(&ours, "footer")["text"]
            );
            let buttons = |v: &serde_json::Value| {
                v["components"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
                    .map(|b| {
                        (
                            b["custom_id"].clone(),
                            b["label"].clone(),
                            b["style"].clone(),
                            b["disabled"].clone(),
                        )
                    })
                    .collect::<Vec<_>>()
            };
            assert_eq!(buttons(&theirs), buttons(&ours));
        }
    }
}
