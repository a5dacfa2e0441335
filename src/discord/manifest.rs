//! The application commands: `commands/*.json`, in Discord's own format, built into the binary
//! and registered as they are (a bulk overwrite, so a removed file unregisters its command).
//!
//! Every manifest is validated before registering: a name and (for slash commands) a
//! description, each with `fr`, `en-US` and `en-GB` localizations, options included.

use serde_json::Value;
use serenity::http::Http;
use serenity::model::id::GuildId;

/// The locales every name and description must be translated into.
pub const LOCALES: &[&str] = &["fr", "en-US", "en-GB"];

/// The manifests built into the binary: file name and JSON. A test checks this list against
/// the `commands/` directory.
pub const BUILTIN: &[(&str, &str)] = &[
    ("review.json", include_str!("../../commands/review.json")),
    (
        "review-message.json",
        include_str!("../../commands/review-message.json"),
    ),
    ("submit.json", include_str!("../../commands/submit.json")),
    (
        "propose-message.json",
        include_str!("../../commands/propose-message.json"),
    ),
    ("relay.json", include_str!("../../commands/relay.json")),
    ("stats.json", include_str!("../../commands/stats.json")),
    ("queue.json", include_str!("../../commands/queue.json")),
    (
        "proposal.json",
        include_str!("../../commands/proposal.json"),
    ),
    (
        "guidelines.json",
        include_str!("../../commands/guidelines.json"),
    ),
    (
        "signature.json",
        include_str!("../../commands/signature.json"),
    ),
    (
        "settings.json",
        include_str!("../../commands/settings.json"),
    ),
];

/// A manifest that Discord would refuse or that misses a translation.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("{file}: not JSON: {reason}")]
    Json { file: String, reason: String },
    #[error("{file}: {reason}")]
    Invalid { file: String, reason: String },
    #[error("{file} and {other}: both define the command `{name}`")]
    Duplicate {
        file: String,
        other: String,
        name: String,
    },
}

/// One validated command manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    pub file: String,
    /// The command's name, as Discord sends it back in interactions.
    pub name: String,
    /// 1 slash, 2 user menu, 3 message menu.
    pub kind: u64,
    pub json: Value,
}

fn invalid(file: &str, reason: impl Into<String>) -> ManifestError {
    ManifestError::Invalid {
        file: file.to_string(),
        reason: reason.into(),
    }
}

fn check_localized(file: &str, obj: &Value, key: &str, what: &str) -> Result<(), ManifestError> {
    let loc = obj
        .get(format!("{key}_localizations"))
        .and_then(Value::as_object)
        .ok_or_else(|| invalid(file, format!("{what}: `{key}_localizations` is missing")))?;
    for l in LOCALES {
        match loc.get(*l).and_then(Value::as_str) {
            Some(s) if !s.trim().is_empty() => {}
            _ => {
                return Err(invalid(
                    file,
                    format!("{what}: `{key}_localizations` lacks `{l}`"),
                ))
            }
        }
    }
    Ok(())
}

fn check_text(
    file: &str,
    obj: &Value,
    key: &str,
    what: &str,
    max: usize,
) -> Result<String, ManifestError> {
    let s = obj
        .get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| invalid(file, format!("{what}: `{key}` is missing")))?;
    let n = s.chars().count();
    if n == 0 || n > max {
        return Err(invalid(
            file,
            format!("{what}: `{key}` must be 1 to {max} characters"),
        ));
    }
    Ok(s.to_string())
}

fn check_slash_name(file: &str, name: &str, what: &str) -> Result<(), ManifestError> {
    let ok = name.chars().all(|c| {
        c == '-' || c == '_' || c.is_numeric() || (c.is_alphabetic() && !c.is_uppercase())
    });
    if ok {
        Ok(())
    } else {
        Err(invalid(
            file,
            format!("{what}: `{name}` must be lower case, without spaces"),
        ))
    }
}

fn check_options(file: &str, options: &Value, depth: usize) -> Result<(), ManifestError> {
    let Some(options) = options.as_array() else {
        return Err(invalid(file, "`options` must be an array"));
    };
    if options.len() > 25 || depth > 2 {
        return Err(invalid(file, "too many options or nesting levels"));
    }
    for o in options {
        let what = format!(
            "option `{}`",
            o.get("name").and_then(Value::as_str).unwrap_or("?")
        );
        let name = check_text(file, o, "name", &what, 32)?;
        check_slash_name(file, &name, &what)?;
        check_localized(file, o, "name", &what)?;
        check_text(file, o, "description", &what, 100)?;
        check_localized(file, o, "description", &what)?;
        if let Some(sub) = o.get("options") {
            check_options(file, sub, depth + 1)?;
        }
    }
    Ok(())
}

/// Parse and validate one manifest.
pub fn parse(file: &str, json: &str) -> Result<Manifest, ManifestError> {
    let v: Value = serde_json::from_str(json).map_err(|e| ManifestError::Json {
        file: file.to_string(),
        reason: e.to_string(),
    })?;
    if !v.is_object() {
        return Err(invalid(file, "expected a JSON object"));
    }
    let kind = v.get("type").and_then(Value::as_u64).unwrap_or(1);
    let name = check_text(file, &v, "name", "the command", 32)?;
    check_localized(file, &v, "name", "the command")?;
    match kind {
        1 => {
            check_slash_name(file, &name, "the command")?;
            check_text(file, &v, "description", "the command", 100)?;
            check_localized(file, &v, "description", "the command")?;
            if let Some(o) = v.get("options") {
                check_options(file, o, 0)?;
            }
        }
        2 | 3 => {
            if v.get("description")
                .and_then(Value::as_str)
                .is_some_and(|d| !d.is_empty())
                || v.get("options").is_some()
            {
                return Err(invalid(
                    file,
                    "a context-menu command has no description and no options",
                ));
            }
        }
        k => return Err(invalid(file, format!("unknown command type {k}"))),
    }
    Ok(Manifest {
        file: file.to_string(),
        name,
        kind,
        json: v,
    })
}

/// Validate a set of manifests: each valid, no two with the same name and type.
pub fn parse_all<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<Vec<Manifest>, ManifestError> {
    let mut out: Vec<Manifest> = Vec::new();
    for (file, json) in files {
        let m = parse(file, json)?;
        if let Some(other) = out.iter().find(|o| o.name == m.name && o.kind == m.kind) {
            return Err(ManifestError::Duplicate {
                file: m.file,
                other: other.file.clone(),
                name: m.name,
            });
        }
        out.push(m);
    }
    Ok(out)
}

/// The built-in manifests, validated.
pub fn builtin() -> Result<Vec<Manifest>, ManifestError> {
    parse_all(BUILTIN.iter().copied())
}

/// Register `manifests` as the application's commands (bulk overwrite): globally, or in one
/// guild (instant, for testing). Needs the application id set on `http`. Returns the names
/// Discord registered.
pub async fn register(
    http: &Http,
    manifests: &[Manifest],
    guild: Option<u64>,
) -> Result<Vec<String>, super::DiscordError> {
    let body: Vec<&Value> = manifests.iter().map(|m| &m.json).collect();
    let commands = match guild {
        Some(g) => http.create_guild_commands(GuildId::new(g), &body).await?,
        None => http.create_global_commands(&body).await?,
    };
    Ok(commands.into_iter().map(|c| c.name).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_manifests_are_valid() {
        let all = builtin().unwrap();
        assert_eq!(all.len(), BUILTIN.len());
    }

    #[test]
    fn a_missing_translation_is_refused() {
        let json = r#"{"name":"x","description":"d",
            "name_localizations":{"fr":"x","en-US":"x"},
            "description_localizations":{"fr":"d","en-US":"d","en-GB":"d"}}"#;
        let e = parse("x.json", json).unwrap_err().to_string();
        assert!(e.contains("en-GB"), "{e}");
        let json = r#"{"name":"Bad Name","description":"d",
            "name_localizations":{"fr":"x","en-US":"x","en-GB":"x"},
            "description_localizations":{"fr":"d","en-US":"d","en-GB":"d"}}"#;
        assert!(parse("x.json", json).is_err());
        let json = r#"{"type":3,"name":"Menu","description":"no",
            "name_localizations":{"fr":"x","en-US":"x","en-GB":"x"}}"#;
        assert!(parse("x.json", json).is_err());
    }
}
