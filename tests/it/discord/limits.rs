//! Discord's documented limits on what a bot sends, as the fake Discord enforces them: a body
//! that breaks one is answered `400` with Discord's error shape
//! (`{"code": 50035, "errors": {...}, "message": "Invalid Form Body"}`), so a test sees what
//! real Discord would refuse.
//!
//! Lengths are counted in Unicode code points, as Discord counts them. The limits are those of
//! Discord's developer documentation (messages, embeds, components, modals, autocomplete) and
//! of discord.js's validators; one house rule joins them: every message carries
//! `allowed_mentions`, so nothing the bot writes can ping.

use serde_json::{json, Map, Value};

/// Messages.
pub const CONTENT: usize = 2000;
pub const EMBEDS: usize = 10;
/// Embeds.
pub const EMBED_TOTAL: usize = 6000;
pub const TITLE: usize = 256;
pub const DESCRIPTION: usize = 4096;
pub const FIELDS: usize = 25;
pub const FIELD_NAME: usize = 256;
pub const FIELD_VALUE: usize = 1024;
pub const FOOTER: usize = 2048;
pub const AUTHOR_NAME: usize = 256;
/// Components.
pub const ACTION_ROWS: usize = 5;
pub const BUTTONS_PER_ROW: usize = 5;
pub const CUSTOM_ID: usize = 100;
pub const BUTTON_LABEL: usize = 80;
pub const SELECT_OPTIONS: usize = 25;
pub const SELECT_OPTION_TEXT: usize = 100;
pub const SELECT_PLACEHOLDER: usize = 150;
/// Modals.
pub const MODAL_TITLE: usize = 45;
pub const MODAL_INPUTS: usize = 5;
pub const INPUT_LABEL: usize = 45;
pub const INPUT_VALUE: usize = 4000;
pub const INPUT_PLACEHOLDER: usize = 100;
/// Autocomplete.
pub const CHOICES: usize = 25;
pub const CHOICE_NAME: usize = 100;

/// Interaction types (what Discord sent) and callback types (what the bot answers).
const AUTOCOMPLETE_INTERACTION: u64 = 4;
const COMPONENT_INTERACTION: u64 = 3;
const MODAL_SUBMIT_INTERACTION: u64 = 5;

/// The errors found in one body, nested by path as Discord nests them:
/// `{"embeds": {"0": {"title": {"_errors": [{"code", "message"}]}}}}`.
#[derive(Debug, Default)]
pub struct Errors(Map<String, Value>);

impl Errors {
    fn add(&mut self, path: &[&str], code: &str, message: String) {
        let mut at = &mut self.0;
        for p in path {
            let next = at
                .entry(p.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            at = match next {
                Value::Object(m) => m,
                _ => unreachable!("paths only hold objects"),
            };
        }
        let list = at
            .entry("_errors")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(a) = list {
            a.push(json!({"code": code, "message": message}));
        }
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Discord's answer: `{"code": 50035, "errors": ..., "message": "Invalid Form Body"}`.
    pub fn body(&self) -> Value {
        json!({"code": 50035, "errors": Value::Object(self.0.clone()),
               "message": "Invalid Form Body"})
    }

    fn into_result(self) -> Result<(), Value> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self.body())
        }
    }
}

fn chars(v: &Value) -> usize {
    v.as_str().map_or(0, |s| s.chars().count())
}

/// `v` (a string, when present) is at most `max` code points.
fn max_len(e: &mut Errors, path: &[&str], v: &Value, max: usize) {
    if chars(v) > max {
        e.add(
            path,
            "BASE_TYPE_MAX_LENGTH",
            format!("Must be {max} or fewer in length."),
        );
    }
}

/// `v` is a string of 1 to `max` code points.
fn required_len(e: &mut Errors, path: &[&str], v: &Value, max: usize) {
    match v.as_str() {
        None => e.add(path, "BASE_TYPE_REQUIRED", "This field is required".into()),
        Some("") => e.add(
            path,
            "BASE_TYPE_BAD_LENGTH",
            format!("Must be between 1 and {max} in length."),
        ),
        _ => max_len(e, path, v, max),
    }
}

fn array(v: &Value) -> &[Value] {
    v.as_array().map_or(&[], Vec::as_slice)
}

/// Files a message may carry: 10 at most, each at most 10 MiB (a server without boosts).
pub const FILES: usize = 10;
pub const FILE_SIZE: usize = 10 * 1024 * 1024;
/// An attachment's description (alt text).
pub const ATTACHMENT_DESCRIPTION: usize = 1024;

/// The files of a multipart message against Discord's limits, and its `attachments`
/// descriptions against the files sent (each `id` names a `files[id]` part).
pub fn files(files: &[super::fake::SentFile], body: &Value) -> Result<(), Value> {
    let mut e = Errors::default();
    if files.len() > FILES {
        e.add(
            &["files"],
            "BASE_TYPE_MAX_LENGTH",
            format!("Must be {FILES} or fewer in length."),
        );
    }
    for (i, f) in files.iter().enumerate() {
        let i = i.to_string();
        if f.bytes.len() > FILE_SIZE {
            e.add(
                &["files", &i],
                "BASE_TYPE_MAX_FILE_SIZE",
                "File cannot be larger than 10485760 bytes.".into(),
            );
        }
        if f.filename.is_empty() || !f.field.starts_with("files[") {
            e.add(
                &["files", &i],
                "BASE_TYPE_REQUIRED",
                "This field is required".into(),
            );
        }
    }
    for (i, a) in array(&body["attachments"]).iter().enumerate() {
        let i = i.to_string();
        let named = a["id"]
            .as_u64()
            .or_else(|| a["id"].as_str().and_then(|s| s.parse().ok()))
            .is_some_and(|id| files.iter().any(|f| f.field == format!("files[{id}]")));
        if !named {
            e.add(
                &["attachments", &i, "id"],
                "ATTACHMENT_NOT_FOUND",
                "Unknown attachment".into(),
            );
        }
        max_len(
            &mut e,
            &["attachments", &i, "description"],
            &a["description"],
            ATTACHMENT_DESCRIPTION,
        );
    }
    e.into_result()
}

/// A message as the bot creates or edits it: channel messages, interaction replies (callback
/// types 4 and 7), follow-ups and `@original` edits, webhook posts.
pub fn check_message(body: &Value) -> Result<(), Value> {
    let mut e = Errors::default();
    message(&mut e, body);
    e.into_result()
}

fn message(e: &mut Errors, m: &Value) {
    if !m["allowed_mentions"].is_object() {
        e.add(
            &["allowed_mentions"],
            "BASE_TYPE_REQUIRED",
            "This field is required (house rule: nothing the bot sends may ping)".into(),
        );
    }
    max_len(e, &["content"], &m["content"], CONTENT);
    let embeds = array(&m["embeds"]);
    if embeds.len() > EMBEDS {
        e.add(
            &["embeds"],
            "BASE_TYPE_MAX_LENGTH",
            format!("Must be {EMBEDS} or fewer in length."),
        );
    }
    let mut total = 0;
    for (i, embed) in embeds.iter().enumerate() {
        let i = i.to_string();
        max_len(e, &["embeds", &i, "title"], &embed["title"], TITLE);
        max_len(
            e,
            &["embeds", &i, "description"],
            &embed["description"],
            DESCRIPTION,
        );
        let fields = array(&embed["fields"]);
        if fields.len() > FIELDS {
            e.add(
                &["embeds", &i, "fields"],
                "BASE_TYPE_MAX_LENGTH",
                format!("Must be {FIELDS} or fewer in length."),
            );
        }
        for (j, f) in fields.iter().enumerate() {
            let j = j.to_string();
            required_len(
                e,
                &["embeds", &i, "fields", &j, "name"],
                &f["name"],
                FIELD_NAME,
            );
            required_len(
                e,
                &["embeds", &i, "fields", &j, "value"],
                &f["value"],
                FIELD_VALUE,
            );
            total += chars(&f["name"]) + chars(&f["value"]);
        }
        max_len(
            e,
            &["embeds", &i, "footer", "text"],
            &embed["footer"]["text"],
            FOOTER,
        );
        max_len(
            e,
            &["embeds", &i, "author", "name"],
            &embed["author"]["name"],
            AUTHOR_NAME,
        );
        total += chars(&embed["title"])
            + chars(&embed["description"])
            + chars(&embed["footer"]["text"])
            + chars(&embed["author"]["name"]);
    }
    if total > EMBED_TOTAL {
        e.add(
            &["embeds"],
            "MAX_EMBED_SIZE_EXCEEDED",
            format!("Embed size exceeds maximum size of {EMBED_TOTAL}"),
        );
    }
    components(e, &m["components"]);
}

/// Action rows of buttons and selects.
fn components(e: &mut Errors, rows: &Value) {
    let rows = array(rows);
    if rows.len() > ACTION_ROWS {
        e.add(
            &["components"],
            "BASE_TYPE_MAX_LENGTH",
            format!("Must be {ACTION_ROWS} or fewer in length."),
        );
    }
    for (i, row) in rows.iter().enumerate() {
        let i = i.to_string();
        if row["type"] != 1 {
            e.add(
                &["components", &i, "type"],
                "UNION_TYPE_CHOICES",
                "Value must be one of {1}.".into(),
            );
            continue;
        }
        let inner = array(&row["components"]);
        let selects = inner
            .iter()
            .filter(|c| matches!(c["type"].as_u64(), Some(3 | 5..=8)))
            .count();
        if inner.is_empty() {
            e.add(
                &["components", &i, "components"],
                "BASE_TYPE_BAD_LENGTH",
                "Must be between 1 and 5 in length.".into(),
            );
        } else if selects > 0 && inner.len() > 1 {
            e.add(
                &["components", &i, "components"],
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                "The specified component exceeds the maximum width (a select fills its row)".into(),
            );
        } else if inner.len() > BUTTONS_PER_ROW {
            e.add(
                &["components", &i, "components"],
                "BASE_TYPE_BAD_LENGTH",
                format!("Must be between 1 and {BUTTONS_PER_ROW} in length."),
            );
        }
        for (j, c) in inner.iter().enumerate() {
            let j = j.to_string();
            let at = ["components", i.as_str(), "components", j.as_str()];
            let with = |k: &'static str| {
                let mut p = at.to_vec();
                p.push(k);
                p
            };
            match c["type"].as_u64() {
                Some(2) => {
                    max_len(e, &with("label"), &c["label"], BUTTON_LABEL);
                    if c["style"] == 5 {
                        if !c["url"].is_string() {
                            e.add(
                                &with("url"),
                                "BASE_TYPE_REQUIRED",
                                "This field is required".into(),
                            );
                        }
                    } else {
                        required_len(e, &with("custom_id"), &c["custom_id"], CUSTOM_ID);
                    }
                }
                Some(3 | 5..=8) => {
                    required_len(e, &with("custom_id"), &c["custom_id"], CUSTOM_ID);
                    max_len(
                        e,
                        &with("placeholder"),
                        &c["placeholder"],
                        SELECT_PLACEHOLDER,
                    );
                    if c["type"] == 3 {
                        let options = array(&c["options"]);
                        if options.is_empty() || options.len() > SELECT_OPTIONS {
                            e.add(
                                &with("options"),
                                "BASE_TYPE_BAD_LENGTH",
                                format!("Must be between 1 and {SELECT_OPTIONS} in length."),
                            );
                        }
                        for (k, o) in options.iter().enumerate() {
                            let k = k.to_string();
                            let mut p = with("options");
                            p.push(&k);
                            for key in ["label", "value"] {
                                let mut q = p.clone();
                                q.push(key);
                                required_len(e, &q, &o[key], SELECT_OPTION_TEXT);
                            }
                            let mut q = p.clone();
                            q.push("description");
                            max_len(e, &q, &o["description"], SELECT_OPTION_TEXT);
                        }
                    }
                }
                _ => e.add(
                    &with("type"),
                    "UNION_TYPE_CHOICES",
                    "Value must be a button or a select in a message.".into(),
                ),
            }
        }
    }
}

/// A modal (callback type 9's `data`).
fn modal(e: &mut Errors, m: &Value) {
    required_len(e, &["data", "custom_id"], &m["custom_id"], CUSTOM_ID);
    required_len(e, &["data", "title"], &m["title"], MODAL_TITLE);
    let rows = array(&m["components"]);
    if rows.is_empty() || rows.len() > MODAL_INPUTS {
        e.add(
            &["data", "components"],
            "BASE_TYPE_BAD_LENGTH",
            format!("Must be between 1 and {MODAL_INPUTS} in length."),
        );
    }
    for (i, row) in rows.iter().enumerate() {
        let i = i.to_string();
        let inner = array(&row["components"]);
        if row["type"] != 1 || inner.len() != 1 {
            e.add(
                &["data", "components", &i],
                "BASE_TYPE_BAD_LENGTH",
                "A modal's row holds exactly one text input.".into(),
            );
            continue;
        }
        let input = &inner[0];
        let at = ["data", "components", i.as_str(), "components", "0"];
        let with = |k: &'static str| {
            let mut p = at.to_vec();
            p.push(k);
            p
        };
        if input["type"] != 4 {
            e.add(
                &with("type"),
                "UNION_TYPE_CHOICES",
                "Value must be one of {4}.".into(),
            );
        }
        required_len(e, &with("custom_id"), &input["custom_id"], CUSTOM_ID);
        required_len(e, &with("label"), &input["label"], INPUT_LABEL);
        max_len(e, &with("value"), &input["value"], INPUT_VALUE);
        max_len(
            e,
            &with("placeholder"),
            &input["placeholder"],
            INPUT_PLACEHOLDER,
        );
        for (key, min) in [("min_length", 0), ("max_length", 1)] {
            if let Some(n) = input[key].as_u64() {
                if n < min || n > INPUT_VALUE as u64 {
                    e.add(
                        &with(key),
                        "NUMBER_TYPE_MAX",
                        format!("Must be between {min} and {INPUT_VALUE}."),
                    );
                }
            }
        }
    }
}

/// The answer to an interaction (`POST /interactions/{id}/{token}/callback`); `interaction`
/// is the type of the interaction it answers (2 command, 3 component, 4 autocomplete, 5 modal
/// submit), when the fake sent it.
pub fn check_callback(body: &Value, interaction: Option<u64>) -> Result<(), Value> {
    let mut e = Errors::default();
    let kind = body["type"].as_u64();
    let invalid = |e: &mut Errors, why: &str| {
        e.add(
            &["type"],
            "INTERACTION_CALLBACK_TYPE_INVALID",
            why.to_string(),
        );
    };
    if interaction == Some(AUTOCOMPLETE_INTERACTION) && kind != Some(8) {
        invalid(
            &mut e,
            "An autocomplete interaction is answered only with type 8",
        );
    }
    match kind {
        Some(4 | 7) => {
            let mut inner = Errors::default();
            message(&mut inner, &body["data"]);
            if !inner.is_empty() {
                e.0.insert("data".into(), Value::Object(inner.0));
            }
            if kind == Some(7)
                && !matches!(
                    interaction,
                    None | Some(COMPONENT_INTERACTION | MODAL_SUBMIT_INTERACTION)
                )
            {
                invalid(&mut e, "Type 7 updates the message of a component");
            }
        }
        Some(5) => {}
        Some(6) => {
            if !matches!(
                interaction,
                None | Some(COMPONENT_INTERACTION | MODAL_SUBMIT_INTERACTION)
            ) {
                invalid(&mut e, "Type 6 acknowledges a component");
            }
        }
        Some(8) => {
            if interaction.is_some_and(|t| t != AUTOCOMPLETE_INTERACTION) {
                invalid(&mut e, "Type 8 answers an autocomplete interaction only");
            }
            let choices = array(&body["data"]["choices"]);
            if choices.len() > CHOICES {
                e.add(
                    &["data", "choices"],
                    "BASE_TYPE_MAX_LENGTH",
                    format!("Must be {CHOICES} or fewer in length."),
                );
            }
            for (i, c) in choices.iter().enumerate() {
                let i = i.to_string();
                required_len(
                    &mut e,
                    &["data", "choices", &i, "name"],
                    &c["name"],
                    CHOICE_NAME,
                );
                if c["value"].is_string() {
                    max_len(
                        &mut e,
                        &["data", "choices", &i, "value"],
                        &c["value"],
                        CHOICE_NAME,
                    );
                }
            }
        }
        Some(9) => {
            if interaction == Some(MODAL_SUBMIT_INTERACTION) {
                invalid(&mut e, "A modal submit can't open another modal");
            }
            modal(&mut e, &body["data"]);
        }
        _ => invalid(&mut e, "Unknown callback type"),
    }
    e.into_result()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(extra: Value) -> Value {
        let mut m = json!({"allowed_mentions": {"parse": []}});
        if let (Value::Object(m), Value::Object(x)) = (&mut m, extra) {
            m.extend(x);
        }
        m
    }

    /// `n` code points, each more than one byte (Discord counts code points, not bytes).
    fn s(n: usize) -> String {
        "é".repeat(n)
    }

    fn refused(r: Result<(), Value>) -> Value {
        let body = r.expect_err("refused");
        assert_eq!(body["code"], 50035);
        assert_eq!(body["message"], "Invalid Form Body");
        body["errors"].clone()
    }

    #[test]
    fn content_at_the_limit_passes_one_more_is_refused() {
        assert!(check_message(&msg(json!({"content": s(CONTENT)}))).is_ok());
        let e = refused(check_message(&msg(json!({"content": s(CONTENT + 1)}))));
        assert_eq!(e["content"]["_errors"][0]["code"], "BASE_TYPE_MAX_LENGTH");
    }

    #[test]
    fn allowed_mentions_is_required() {
        let e = refused(check_message(&json!({"content": "x"})));
        assert!(e["allowed_mentions"].is_object(), "{e}");
    }

    /// Each embed piece at its limit passes; one more code point is refused.
    #[test]
    fn embed_pieces_at_and_over_their_limits() {
        type Case = (&'static str, usize, fn(String) -> Value);
        let cases: [Case; 6] = [
            ("title", TITLE, |t| json!({"title": t})),
            ("description", DESCRIPTION, |t| json!({"description": t})),
            (
                "field name",
                FIELD_NAME,
                |t| json!({"fields": [{"name": t, "value": "v"}]}),
            ),
            (
                "field value",
                FIELD_VALUE,
                |t| json!({"fields": [{"name": "n", "value": t}]}),
            ),
            ("footer", FOOTER, |t| json!({"footer": {"text": t}})),
            ("author", AUTHOR_NAME, |t| json!({"author": {"name": t}})),
        ];
        for (what, max, embed) in cases {
            let ok = msg(json!({"embeds": [embed(s(max))]}));
            assert!(check_message(&ok).is_ok(), "{what} at {max}");
            let over = msg(json!({"embeds": [embed(s(max + 1))]}));
            refused(check_message(&over));
        }
    }

    #[test]
    fn fields_and_embeds_are_counted() {
        let field = json!({"name": "n", "value": "v"});
        let at = msg(json!({"embeds": [{"fields": vec![field.clone(); FIELDS]}]}));
        assert!(check_message(&at).is_ok());
        let over = msg(json!({"embeds": [{"fields": vec![field; FIELDS + 1]}]}));
        refused(check_message(&over));
        let e = json!({"title": "t"});
        assert!(check_message(&msg(json!({"embeds": vec![e.clone(); EMBEDS]}))).is_ok());
        refused(check_message(&msg(json!({"embeds": vec![e; EMBEDS + 1]}))));
        let empty = msg(json!({"embeds": [{"fields": [{"name": "", "value": "v"}]}]}));
        refused(check_message(&empty));
    }

    /// 6,000 across all embeds of a message, not per embed.
    #[test]
    fn six_thousand_across_the_embeds() {
        let at = msg(json!({"embeds": [{"description": s(4000)}, {"description": s(2000)}]}));
        assert!(check_message(&at).is_ok());
        let over = msg(json!({"embeds": [{"description": s(4000)},
                                          {"description": s(1990), "title": s(11)}]}));
        let e = refused(check_message(&over));
        assert_eq!(e["embeds"]["_errors"][0]["code"], "MAX_EMBED_SIZE_EXCEEDED");
    }

    fn button(label: &str, id: &str) -> Value {
        json!({"type": 2, "style": 1, "label": label, "custom_id": id})
    }

    #[test]
    fn rows_buttons_and_selects() {
        let row = |n: usize| json!({"type": 1, "components": vec![button("b", "id"); n]});
        assert!(check_message(&msg(json!({"components": [row(5)]}))).is_ok());
        let e = refused(check_message(&msg(json!({"components": [row(6)]}))));
        assert!(e["components"]["0"]["components"].is_object(), "{e}");
        assert!(check_message(&msg(json!({"components": vec![row(1); 5]}))).is_ok());
        refused(check_message(&msg(json!({"components": vec![row(1); 6]}))));
        let one = |b: Value| msg(json!({"components": [{"type": 1, "components": [b]}]}));
        assert!(check_message(&one(button(&s(BUTTON_LABEL), &"i".repeat(CUSTOM_ID)))).is_ok());
        refused(check_message(&one(button(&s(BUTTON_LABEL + 1), "id"))));
        refused(check_message(&one(button("b", &"i".repeat(CUSTOM_ID + 1)))));
        let option = json!({"label": "l", "value": "v"});
        let select =
            |n: usize| json!({"type": 3, "custom_id": "s", "options": vec![option.clone(); n]});
        assert!(check_message(&one(select(SELECT_OPTIONS))).is_ok());
        refused(check_message(&one(select(SELECT_OPTIONS + 1))));
        let crowded = msg(json!({"components": [{"type": 1,
                                                  "components": [select(2), button("b", "x")]}]}));
        refused(check_message(&crowded));
    }

    fn modal_with(title: &str, inputs: Vec<Value>) -> Value {
        let rows: Vec<Value> = inputs
            .into_iter()
            .map(|i| json!({"type": 1, "components": [i]}))
            .collect();
        json!({"type": 9, "data": {"custom_id": "m", "title": title, "components": rows}})
    }

    fn input(label: &str, value: &str) -> Value {
        json!({"type": 4, "custom_id": "t", "style": 2, "label": label, "value": value,
               "max_length": 4000})
    }

    #[test]
    fn modals() {
        let ok = modal_with(
            &s(MODAL_TITLE),
            vec![input(&s(INPUT_LABEL), &s(INPUT_VALUE)); 5],
        );
        assert!(check_callback(&ok, Some(3)).is_ok());
        refused(check_callback(
            &modal_with(&s(MODAL_TITLE + 1), vec![input("l", "")]),
            Some(3),
        ));
        refused(check_callback(
            &modal_with("t", vec![input("l", ""); 6]),
            Some(3),
        ));
        refused(check_callback(
            &modal_with("t", vec![input(&s(INPUT_LABEL + 1), "")]),
            Some(3),
        ));
        refused(check_callback(
            &modal_with("t", vec![input("l", &s(INPUT_VALUE + 1))]),
            Some(3),
        ));
        // A modal submit can't open another modal.
        refused(check_callback(
            &modal_with("t", vec![input("l", "")]),
            Some(5),
        ));
    }

    #[test]
    fn autocomplete_only_by_type_8_with_25_choices() {
        let choice = |name: String| json!({"name": name, "value": 1});
        let answer =
            |n: usize, name: String| json!({"type": 8, "data": {"choices": vec![choice(name); n]}});
        assert!(check_callback(&answer(CHOICES, s(CHOICE_NAME)), Some(4)).is_ok());
        refused(check_callback(&answer(CHOICES + 1, "n".into()), Some(4)));
        refused(check_callback(&answer(1, s(CHOICE_NAME + 1)), Some(4)));
        // Deferring or replying to an autocomplete is refused; type 8 elsewhere too.
        refused(check_callback(
            &json!({"type": 5, "data": {"flags": 64}}),
            Some(4),
        ));
        refused(check_callback(
            &json!({"type": 4, "data": {"content": "x", "allowed_mentions": {"parse": []}}}),
            Some(4),
        ));
        refused(check_callback(&answer(1, "n".into()), Some(2)));
    }

    #[test]
    fn callbacks_check_their_message() {
        let reply = |content: String| json!({"type": 4, "data": {"content": content, "allowed_mentions": {"parse": []}}});
        assert!(check_callback(&reply(s(CONTENT)), Some(2)).is_ok());
        let e = refused(check_callback(&reply(s(CONTENT + 1)), Some(2)));
        assert!(e["data"]["content"].is_object(), "{e}");
        // A deferred update only answers a component or a form opened from one.
        refused(check_callback(&json!({"type": 6}), Some(2)));
        assert!(check_callback(&json!({"type": 6}), Some(3)).is_ok());
    }
}
