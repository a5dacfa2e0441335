//! `/review text` and the message context menu "Review as tweet": a quick tone check, shown
//! only to the member who asked (ephemeral), in their language. Nothing is stored.

use std::time::Instant;

use crate::review::review;

use crate::discord::embeds::{notice, review_embed};
use crate::discord::response::{Message, Response};
use crate::discord::router::{Invocation, Router, TargetMessage};

/// The slash command's name (`commands/review.json`).
pub const SLASH: &str = "review";
/// The message context menu's name (`commands/review-message.json`).
pub const MESSAGE_MENU: &str = "Review as tweet";

/// `/review text`.
pub async fn slash(router: &Router, inv: &Invocation, now: Instant) -> Response {
    match inv.string_option("text") {
        Some(text) if !text.trim().is_empty() => answer(router, inv, text, now).await,
        _ => Response::Message(notice("review.missing-text", inv.language(), &[])),
    }
}

/// "Review as tweet" on a message.
pub async fn message_menu(
    router: &Router,
    inv: &Invocation,
    target: Option<&TargetMessage>,
    now: Instant,
) -> Response {
    match target {
        Some(m) if !m.content.trim().is_empty() => answer(router, inv, &m.content, now).await,
        _ => Response::Message(notice("review.message-without-text", inv.language(), &[])),
    }
}

async fn answer(router: &Router, inv: &Invocation, text: &str, now: Instant) -> Response {
    let lang = inv.language();
    if let Err(wait) = router.review_limiter.check(inv.user_id, now) {
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        tracing::info!(user = inv.user_id, seconds, "review rate-limited");
        return Response::Message(notice(
            "review.slow-down",
            lang,
            &[("seconds", &seconds.max(1).to_string())],
        ));
    }
    // In a server, its tuning (length limit, signatures, team words) and the member's
    // signature apply.
    let settings = router.quick_review_settings(inv, lang).await;
    let r = review(text, &settings, &router.history(inv).await);
    router.metrics.review();
    Response::Message(Message::embed(review_embed(&r, text, lang)).ephemeral())
}
