//! Interaction payloads as Discord sends them (INTERACTION_CREATE `d`), minimal but complete:
//! serenity silently drops a payload missing a required field, so a unit test below
//! deserialises every one.

use serde_json::{json, Value};

/// The bot's application (and user) id.
pub const APP_ID: u64 = 900_000_000_000_000_001;
pub const GUILD_ID: u64 = 910_000_000_000_000_001;
pub const CHANNEL_ID: u64 = 920_000_000_000_000_001;

/// Who acts, where, in which locale.
#[derive(Debug, Clone)]
pub struct Member {
    pub user_id: u64,
    pub name: String,
    pub roles: Vec<u64>,
    pub locale: String,
    pub guild_id: Option<u64>,
    /// Has Manage Server (the `permissions` Discord sends with the member).
    pub admin: bool,
}

impl Member {
    pub fn new(user_id: u64, locale: &str) -> Member {
        Member {
            user_id,
            name: format!("member{user_id}"),
            roles: vec![],
            locale: locale.to_string(),
            guild_id: Some(GUILD_ID),
            admin: false,
        }
    }

    /// A member with Manage Server.
    pub fn admin(mut self) -> Member {
        self.admin = true;
        self
    }

    pub fn with_roles(mut self, roles: &[u64]) -> Member {
        self.roles = roles.to_vec();
        self
    }
}

/// The interaction token used for interaction `id`.
pub fn token_of(id: u64) -> String {
    format!("itoken{id}")
}

fn base(id: u64, kind: u8, who: &Member, data: Value) -> Value {
    let user = json!({"id": who.user_id.to_string(), "username": who.name,
                      "discriminator": "0", "global_name": who.name, "avatar": null});
    let mut v = json!({
        "id": id.to_string(),
        "application_id": APP_ID.to_string(),
        "type": kind,
        "token": token_of(id),
        "version": 1,
        "locale": who.locale,
        "entitlements": [],
        "attachment_size_limit": 8_388_608,
        "channel_id": CHANNEL_ID.to_string(),
        "data": data,
    });
    match who.guild_id {
        Some(g) => {
            v["guild_id"] = json!(g.to_string());
            v["guild_locale"] = json!("fr");
            v["member"] = json!({
                "user": user,
                "roles": who.roles.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
                "deaf": false, "mute": false, "flags": 0,
                "joined_at": "2025-01-01T00:00:00.000000+00:00",
                "permissions": if who.admin { "32" } else { "0" },
            });
        }
        None => v["user"] = user,
    }
    v
}

/// `/submit text:…` and nothing else.
pub fn submit(id: u64, who: &Member, text: &str) -> Value {
    slash(
        id,
        who,
        "submit",
        serde_json::json!([{"name": "text", "type": 3, "value": text}]),
    )
}

/// A slash command with options, e.g. `json!([{"name": "text", "type": 3, "value": "…"}])`.
pub fn slash(id: u64, who: &Member, name: &str, options: Value) -> Value {
    base(
        id,
        2,
        who,
        json!({"id": "1001", "name": name, "type": 1, "options": options}),
    )
}

/// `/review text:<text>`.
pub fn review(id: u64, who: &Member, text: &str) -> Value {
    slash(
        id,
        who,
        "review",
        json!([{"name": "text", "type": 3, "value": text}]),
    )
}

/// A minimal Message object (a member's message, the target of a context menu).
pub fn message(id: u64, author: u64, content: &str) -> Value {
    json!({
        "id": id.to_string(), "channel_id": CHANNEL_ID.to_string(),
        "author": {"id": author.to_string(), "username": format!("member{author}")},
        "content": content, "timestamp": "2026-01-01T00:00:00.000000+00:00",
        "edited_timestamp": null, "tts": false, "mention_everyone": false, "mentions": [],
        "mention_roles": [], "attachments": [], "embeds": [], "pinned": false, "type": 0
    })
}

/// A message context-menu command on a message (in `resolved.messages`).
pub fn message_menu(id: u64, who: &Member, name: &str, target: Value) -> Value {
    let target_id = target["id"].clone();
    let key = target_id.as_str().unwrap_or("0").to_string();
    base(
        id,
        2,
        who,
        json!({"id": "1002", "name": name, "type": 3, "target_id": target_id,
               "resolved": {"messages": {key: target}}}),
    )
}

/// An autocomplete request while `who` types `typed` in option `option` of `/name`.
pub fn autocomplete(id: u64, who: &Member, name: &str, option: &str, typed: &str) -> Value {
    base(
        id,
        4,
        who,
        json!({"id": "1003", "name": name, "type": 1,
               "options": [{"name": option, "type": 4, "value": typed, "focused": true}]}),
    )
}

/// A button click on a message the bot sent.
pub fn button(id: u64, who: &Member, custom_id: &str, on: Value) -> Value {
    let mut v = base(
        id,
        3,
        who,
        json!({"custom_id": custom_id, "component_type": 2}),
    );
    v["message"] = on;
    v
}

/// A modal submitted with text inputs (`custom_id`, value).
pub fn modal(id: u64, who: &Member, custom_id: &str, fields: &[(&str, &str)]) -> Value {
    let rows: Vec<Value> = fields
        .iter()
        .map(|(cid, value)| {
            json!({"type": 1, "components": [{"type": 4, "custom_id": cid, "value": value}]})
        })
        .collect();
    base(
        id,
        5,
        who,
        json!({"custom_id": custom_id, "components": rows}),
    )
}

/// A proposal of member 1 of the test server, as the workflow receives it (no bot, no store):
/// proposal 9, with its review.
pub fn submit_event(
    text: String,
    review: tweetguard::review::Review,
    conversation: Option<tweetguard::workflow::Conversation>,
) -> tweetguard::workflow::Event {
    use tweetguard::workflow::{Event, GuildId, Member as WMember, MemberId, ProposalId};
    Event::Submit {
        id: ProposalId(9),
        guild: GuildId(GUILD_ID),
        author: WMember {
            id: MemberId(1),
            roles: vec![],
            is_admin: false,
        },
        review,
        text,
        conversation,
        images: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serenity::model::application::Interaction;
    use tweetguard::discord::router::{Action, Invocation, OptionValue};

    fn parse(v: Value) -> Invocation {
        let i: Interaction = serde_json::from_value(v.clone())
            .unwrap_or_else(|e| panic!("serenity refuses the fixture: {e}\n{v:#}"));
        Invocation::from_interaction(&i).expect("an invocation")
    }

    #[test]
    fn every_fixture_deserialises_as_a_serenity_interaction() {
        let fr = Member::new(42, "fr").with_roles(&[7, 8]);
        let inv = parse(review(1, &fr, "Bonjour"));
        assert_eq!(inv.user_id, 42);
        assert_eq!(inv.roles, vec![7, 8]);
        assert_eq!(inv.guild_id, Some(GUILD_ID));
        assert_eq!(inv.locale, "fr");
        assert_eq!(inv.string_option("text"), Some("Bonjour"));

        let inv = parse(slash(
            2,
            &fr,
            "settings",
            json!([{"name": "limit", "type": 4, "value": 140},
                   {"name": "on", "type": 5, "value": true}]),
        ));
        match inv.action {
            Action::Slash { options, .. } => {
                assert_eq!(options[0].value, OptionValue::Integer(140));
                assert_eq!(options[1].value, OptionValue::Boolean(true));
            }
            a => panic!("{a:?}"),
        }

        let inv = parse(message_menu(
            3,
            &fr,
            "Review as tweet",
            message(55, 43, "Salut"),
        ));
        match inv.action {
            Action::MessageMenu {
                target: Some(t), ..
            } => assert_eq!((t.id, t.author_id, t.content.as_str()), (55, 43, "Salut")),
            a => panic!("{a:?}"),
        }

        let inv = parse(button(4, &fr, "approve:12", message(56, APP_ID, "")));
        assert_eq!(
            inv.action,
            Action::Component {
                custom_id: "approve:12".into(),
                values: vec![],
                message_id: 56
            }
        );

        let inv = parse(modal(5, &fr, "edit:12", &[("text", "Nouveau texte")]));
        assert_eq!(
            inv.action,
            Action::Modal {
                custom_id: "edit:12".into(),
                fields: vec![("text".into(), "Nouveau texte".into())]
            }
        );

        let inv = parse(autocomplete(7, &fr.clone().admin(), "proposal", "id", "12"));
        assert!(inv.is_admin);
        assert_eq!(
            inv.action,
            Action::Autocomplete {
                name: "proposal".into(),
                option: "id".into(),
                value: "12".into()
            }
        );
        let inv = parse(slash(
            8,
            &fr,
            "signature",
            json!([{"name": "set", "type": 1, "options": [
                {"name": "signature", "type": 3, "value": "^SG"}]}]),
        ));
        assert!(!inv.is_admin);
        assert_eq!(inv.subcommand(), vec!["set"]);
        assert_eq!(inv.string_option("signature"), Some("^SG"));

        let mut dm = Member::new(44, "en-US");
        dm.guild_id = None;
        let inv = parse(review(6, &dm, "Hi"));
        assert_eq!((inv.user_id, inv.guild_id), (44, None));
    }
}
