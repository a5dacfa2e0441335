//! `/signature set|show|clear`: the signature a member ends their tweets with (`^SG`), kept per
//! server. Reviews recognise it and propose it as the fix when a tweet is unsigned; without
//! one, they suggest the member's initials.

use chrono::Utc;

use crate::discord::embeds::{escape_markdown, notice};
use crate::discord::response::Response;
use crate::discord::router::{Invocation, Router};
use crate::review::default_signature;
use crate::workflow::{GuildId, MemberId};

/// The slash command's name (`commands/signature.json`).
pub const SLASH: &str = "signature";

/// The longest signature (the manifest says so too): a signature that eats the tweet is not
/// one.
pub const MAX_SIGNATURE: usize = 20;

/// Why a signature is refused, as a message key.
fn invalid(sig: &str) -> Option<&'static str> {
    let n = sig.chars().count();
    if n == 0 || n > MAX_SIGNATURE {
        Some("signature.invalid-length")
    } else if sig
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() && c != ' ' || is_invisible(c))
        || sig.contains(['@', '<', '#'])
    {
        Some("signature.invalid-chars")
    } else {
        None
    }
}

/// Zero-width and bidirectional controls: invisible in a tweet, confusing in a signature.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

/// `/signature`.
pub async fn slash(router: &Router, inv: &Invocation) -> Response {
    let lang = inv.language();
    let (guild, store) = match router.workspace(inv) {
        Ok(w) => w,
        Err(refusal) => return *refusal,
    };
    let (guild, member) = (GuildId(guild), MemberId(inv.user_id));
    let result = match inv.subcommand().first().copied() {
        Some("set") => {
            let sig = inv.string_option("signature").unwrap_or("").trim();
            if let Some(why) = invalid(sig) {
                return Response::Message(notice(
                    why,
                    lang,
                    &[("max", &MAX_SIGNATURE.to_string())],
                ));
            }
            store
                .set_signature(guild, member, Some(sig), Utc::now())
                .await
                .map(|()| {
                    notice(
                        "signature.saved",
                        lang,
                        &[("signature", &escape_markdown(sig))],
                    )
                })
        }
        Some("clear") => store
            .set_signature(guild, member, None, Utc::now())
            .await
            .map(|()| notice("signature.cleared", lang, &[])),
        _ => store.signature(guild, member).await.map(|sig| match sig {
            Some(sig) => notice(
                "signature.show",
                lang,
                &[("signature", &escape_markdown(&sig))],
            ),
            None => notice(
                "signature.none",
                lang,
                &[(
                    "initials",
                    &escape_markdown(&default_signature(&inv.user_name)),
                )],
            ),
        }),
    };
    // Whatever happened, this member's next quick review reads the store again.
    router.forget_signature(guild.0, inv.user_id);
    match result {
        Ok(msg) => Response::Message(msg),
        Err(e) => {
            tracing::warn!(error = %e, "signature command failed");
            Response::private(e.message(lang))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_short_visible_and_ping_nobody() {
        for ok in ["^SG", "-Sylvain", "/SG", "~SG", "*SG", "— Marie L."] {
            assert_eq!(invalid(ok), None, "{ok}");
        }
        for (bad, why) in [
            ("", "signature.invalid-length"),
            ("^ABCDEFGHIJKLMNOPQRSTU", "signature.invalid-length"),
            ("@everyone", "signature.invalid-chars"),
            ("<@&1>", "signature.invalid-chars"),
            ("^S\u{200B}G", "signature.invalid-chars"),
            ("^S\nG", "signature.invalid-chars"),
        ] {
            assert_eq!(invalid(bad), Some(why), "{bad:?}");
        }
    }
}
