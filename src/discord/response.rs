//! What the bot answers, in Discord's wire format: the same JSON goes to the interaction
//! callback over REST (gateway transport) or in the HTTP response (interactions endpoint).
//!
//! Every message carries `allowed_mentions: {"parse": []}`: a tweet that says `@everyone` or
//! `<@&role>` never pings anyone.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// `allowed_mentions` that allows nothing: always `{"parse": []}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoMentions;

impl Serialize for NoMentions {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry("parse", &[] as &[&str])?;
        m.end()
    }
}

/// Message flag: only the member who asked sees the message.
pub const EPHEMERAL: u64 = 1 << 6;

/// A message the bot sends: an interaction reply, a follow-up, an edit, a channel message.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Message {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    pub embeds: Vec<Embed>,
    /// Message components (buttons, selects), as Discord's JSON.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<serde_json::Value>,
    #[serde(skip_serializing_if = "is_zero")]
    pub flags: u64,
    pub allowed_mentions: NoMentions,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Message {
    /// A text-only message (the content is sent as is: escape user text before).
    pub fn text(content: impl Into<String>) -> Message {
        Message {
            content: Some(content.into()),
            ..Message::default()
        }
    }

    /// A message with one embed.
    pub fn embed(embed: Embed) -> Message {
        Message {
            embeds: vec![embed],
            ..Message::default()
        }
    }

    /// Only the member who asked sees it.
    pub fn ephemeral(mut self) -> Message {
        self.flags |= EPHEMERAL;
        self
    }

    /// Whether only the asker sees it.
    pub fn is_ephemeral(&self) -> bool {
        self.flags & EPHEMERAL != 0
    }
}

/// An embed, as Discord takes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Embed {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color: Option<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<EmbedField>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub footer: Option<EmbedFooter>,
}

/// One embed field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EmbedField {
    pub name: String,
    pub value: String,
    pub inline: bool,
}

/// An embed's footer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EmbedFooter {
    pub text: String,
}

impl Embed {
    /// The characters Discord counts against an embed's 6000 total: title, description,
    /// field names and values, footer text.
    pub fn total_chars(&self) -> usize {
        let len = |s: &Option<String>| s.as_deref().map_or(0, |s| s.chars().count());
        len(&self.title)
            + len(&self.description)
            + self
                .fields
                .iter()
                .map(|f| f.name.chars().count() + f.value.chars().count())
                .sum::<usize>()
            + self.footer.as_ref().map_or(0, |f| f.text.chars().count())
    }
}

/// The answer to an interaction (`type` and `data`, as Discord takes it).
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// Type 4: reply with a message.
    Message(Message),
    /// Type 5: "thinking…", the real answer follows by editing `@original`.
    Defer { ephemeral: bool },
    /// Type 6: acknowledge a click (or a form opened from one) without answering yet; the card
    /// is then edited through `@original`, or a follow-up says why not.
    DeferUpdate,
    /// Type 7: edit the message the clicked component is on.
    UpdateMessage(Message),
    /// Type 8: the choices offered while a member types an option with autocomplete.
    Autocomplete(Vec<Choice>),
    /// Type 9: open a form (a modal) for the member to fill in.
    Modal(Modal),
}

/// An autocomplete choice: what the member sees, and the option's value when picked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Choice {
    pub name: String,
    pub value: serde_json::Value,
}

/// Discord shows at most 25 choices, each name at most 100 characters.
pub const MAX_CHOICES: usize = 25;

/// A modal form: a title and text inputs (as Discord's JSON action rows).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Modal {
    pub custom_id: String,
    pub title: String,
    pub components: Vec<serde_json::Value>,
}

impl Modal {
    /// A modal with one paragraph text input per `(custom_id, label, prefilled value)`.
    pub fn paragraphs(
        custom_id: impl Into<String>,
        title: &str,
        inputs: &[(&str, &str, Option<&str>, usize)],
    ) -> Modal {
        let components = inputs
            .iter()
            .map(|(id, label, value, max)| {
                let mut input = serde_json::json!({
                    "type": 4, "custom_id": id, "style": 2,
                    "label": fit(label, LABEL_MAX),
                    "required": true, "min_length": 1, "max_length": max,
                });
                if let Some(v) = value {
                    input["value"] = serde_json::json!(v.chars().take(*max).collect::<String>());
                }
                serde_json::json!({"type": 1, "components": [input]})
            })
            .collect();
        Modal {
            custom_id: custom_id.into(),
            title: fit(title, LABEL_MAX),
            components,
        }
    }

    /// Adds an optional paragraph input, prefilled with `value` when given.
    pub fn optional(mut self, id: &str, label: &str, value: Option<&str>, max: usize) -> Modal {
        let mut input = serde_json::json!({
            "type": 4, "custom_id": id, "style": 2,
            "label": fit(label, LABEL_MAX),
            "required": false, "max_length": max,
        });
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            input["value"] = serde_json::json!(v.chars().take(max).collect::<String>());
        }
        self.components
            .push(serde_json::json!({"type": 1, "components": [input]}));
        self
    }

    /// Shows `hint` in the empty input `id` (the detail a 45-character label has no room for).
    pub fn placeholder(mut self, id: &str, hint: &str) -> Modal {
        for row in &mut self.components {
            if let Some(input) = row["components"]
                .as_array_mut()
                .and_then(|c| c.iter_mut().find(|i| i["custom_id"] == id))
            {
                input["placeholder"] = serde_json::json!(fit(hint, PLACEHOLDER_MAX));
            }
        }
        self
    }
}

/// Discord's limit of a modal's title and of a text input's label (code points).
pub const LABEL_MAX: usize = 45;
/// Discord's limit of a text input's placeholder.
pub const PLACEHOLDER_MAX: usize = 100;

/// `s` within `max` code points, cut at a word's end with `…` if it must be cut (the
/// catalog's labels are written to fit; this only keeps a translation from breaking a form).
pub fn fit(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let head: String = s.chars().take(max.saturating_sub(1)).collect();
    let cut = head
        .rfind(char::is_whitespace)
        .map_or(head.as_str(), |i| &head[..i]);
    let cut = cut.trim_end_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation());
    format!("{cut}…")
}

impl Response {
    /// A text only the member who asked sees (sent as is: escape user text before).
    pub fn private(text: impl Into<String>) -> Response {
        Response::Message(Message::text(text).ephemeral())
    }

    /// Discord's interaction callback type.
    pub fn kind(&self) -> u8 {
        match self {
            Response::Message(_) => 4,
            Response::Defer { .. } => 5,
            Response::DeferUpdate => 6,
            Response::UpdateMessage(_) => 7,
            Response::Autocomplete(_) => 8,
            Response::Modal(_) => 9,
        }
    }
}

impl Serialize for Response {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Flags {
            flags: u64,
        }
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("type", &self.kind())?;
        match self {
            Response::Message(msg) | Response::UpdateMessage(msg) => {
                m.serialize_entry("data", msg)?
            }
            Response::Modal(modal) => m.serialize_entry("data", modal)?,
            Response::Autocomplete(choices) => {
                #[derive(Serialize)]
                struct Choices<'a> {
                    choices: &'a [Choice],
                }
                let n = choices.len().min(MAX_CHOICES);
                m.serialize_entry(
                    "data",
                    &Choices {
                        choices: &choices[..n],
                    },
                )?
            }
            Response::DeferUpdate => {}
            Response::Defer { ephemeral } => m.serialize_entry(
                "data",
                &Flags {
                    flags: if *ephemeral { EPHEMERAL } else { 0 },
                },
            )?,
        }
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn labels_are_cut_at_a_word_never_inside_one() {
        assert_eq!(fit("short", 45), "short");
        let long = "When to post (UTC, optional): 2026-12-24 09:00";
        let cut = fit(long, 45);
        assert_eq!(cut, "When to post (UTC, optional): 2026-12-24…");
        assert!(cut.chars().count() <= 45);
        assert!(fit(&"x".repeat(60), 45).chars().count() <= 45);
    }

    #[test]
    fn every_message_allows_no_mentions() {
        let r = Response::Message(Message::text("@everyone").ephemeral());
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            json!({"type": 4, "data": {"content": "@everyone", "embeds": [], "flags": 64,
                   "allowed_mentions": {"parse": []}}})
        );
    }
}
