//! A proposal's review card: the public message in the review channel that reviewers act on.
//!
//! Pure: a [`Proposal`] (its current revision carries the review), the approvals needed and a
//! language in, the message JSON out (one embed and a row of buttons). The text is quoted with
//! its Markdown escaped; people appear as `<@id>` mentions, which never ping since every
//! message allows no mentions.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::{json, Value};

use crate::review::networks::Network;
use crate::review::{Language, Verdict};
use crate::store::{Pause, Publication, PublicationStatus};
use crate::workflow::{Conversation, Image, Kind, Proposal, Status, VoteKind};

use super::embeds::{
    escape_markdown, limits, quote, quote_proposal, review_title, severity_icon, truncate,
};
use super::messages::{fill, text};
use super::response::{Embed, EmbedField, EmbedFooter, Message};
use super::zone;

/// Discord's limit of buttons in one action row.
pub const BUTTONS_PER_ROW: usize = 5;

/// Discord's limit of a message's content (code points).
pub const CONTENT_MAX: usize = 2000;

/// Every card `custom_id` starts with this.
pub const PREFIX: &str = "tg:";

/// What a card button does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Button {
    Approve,
    RequestChanges,
    Reject,
    Edit,
    Withdraw,
    /// An admin approves a revision whose review is blocked, giving a reason: only on cards
    /// whose review is blocked.
    Override,
    /// An admin sends a failed post again (only on a failed proposal).
    Retry,
    /// An admin checked the account: the post whose outcome was unknown is there.
    ConfirmPosted,
    /// An admin checked: it is not there; send it again.
    PostAgain,
}

impl Button {
    pub const ALL: [Button; 9] = [
        Button::Approve,
        Button::RequestChanges,
        Button::Reject,
        Button::Edit,
        Button::Withdraw,
        Button::Override,
        Button::Retry,
        Button::ConfirmPosted,
        Button::PostAgain,
    ];

    /// The review's buttons, on every card (disabled once the proposal is decided).
    const REVIEW: [Button; 6] = [
        Button::Approve,
        Button::RequestChanges,
        Button::Reject,
        Button::Edit,
        Button::Withdraw,
        Button::Override,
    ];

    /// The admins' buttons for a post that went wrong, by the proposal's status.
    fn for_posting(status: Status) -> &'static [Button] {
        match status {
            Status::Failed => &[Button::Retry],
            Status::NeedsReconcile => &[Button::ConfirmPosted, Button::PostAgain],
            _ => &[],
        }
    }

    /// The word in the `custom_id`.
    pub fn id(self) -> &'static str {
        match self {
            Button::Approve => "approve",
            Button::RequestChanges => "changes",
            Button::Reject => "reject",
            Button::Edit => "edit",
            Button::Withdraw => "withdraw",
            Button::Override => "override",
            Button::Retry => "retry",
            Button::ConfirmPosted => "confirm",
            Button::PostAgain => "again",
        }
    }

    pub fn parse(s: &str) -> Option<Button> {
        Button::ALL.into_iter().find(|b| b.id() == s)
    }

    fn style(self) -> u8 {
        match self {
            Button::Approve => 3,
            Button::RequestChanges => 1,
            Button::Reject | Button::Override | Button::PostAgain => 4,
            Button::Edit | Button::Withdraw => 2,
            Button::Retry | Button::ConfirmPosted => 1,
        }
    }

    fn label_key(self) -> &'static str {
        match self {
            Button::Approve => "card.button.approve",
            Button::RequestChanges => "card.button.changes",
            Button::Reject => "card.button.reject",
            Button::Edit => "card.button.edit",
            Button::Withdraw => "card.button.withdraw",
            Button::Override => "card.button.override",
            Button::Retry => "card.button.retry",
            Button::ConfirmPosted => "card.button.confirm",
            Button::PostAgain => "card.button.again",
        }
    }

    /// `tg:{button}:{proposal}:{revision}`.
    pub fn custom_id(self, proposal: i64, revision: u32) -> String {
        format!("{PREFIX}{}:{proposal}:{revision}", self.id())
    }
}

fn status_color(status: Status, verdict: Verdict) -> u32 {
    match status {
        Status::Pending => super::embeds::verdict_color(verdict),
        Status::ChangesRequested => 0xE6_7E22,
        Status::Approved | Status::Publishing | Status::Posted => 0x2E_CC71,
        Status::Rejected | Status::Failed | Status::NeedsReconcile => 0xE7_4C3C,
        Status::Withdrawn | Status::Expired => 0x95_A5A6,
    }
}

fn field(name: String, value: String, lang: Language) -> EmbedField {
    let note = text("review.truncated", lang);
    EmbedField {
        name: truncate(&name, limits::FIELD_NAME, note),
        value: truncate(&value, limits::FIELD_VALUE, note),
        inline: false,
    }
}

/// The name a proposal's image has as a file on its card: `image1.png`...
pub fn image_file_name(index: usize, image: &Image) -> String {
    let ext = match image.mime.as_str() {
        "image/jpeg" => "jpg",
        "image/gif" => "gif",
        "image/webp" => "webp",
        _ => "png",
    };
    format!("image{}.{ext}", index + 1)
}

/// The images reviewers approve with the text (shown as the card's files): each one's type,
/// size and alt text (escaped: the author's words), or a plain warning when it has none.
fn images_field(images: &[Image], lang: Language) -> EmbedField {
    let lines: Vec<String> = images
        .iter()
        .enumerate()
        .map(|(i, image)| {
            let alt = match image.alt_text() {
                Some(a) => fill("card.image-alt", lang, &[("alt", &escape_markdown(a))]),
                None => text("card.image-no-alt", lang).to_owned(),
            };
            fill(
                "card.image-line",
                lang,
                &[
                    ("n", &(i + 1).to_string()),
                    ("file", &image_file_name(i, image)),
                    ("width", &image.width.to_string()),
                    ("height", &image.height.to_string()),
                    (
                        "size",
                        &format!("{:.1}", image.bytes_len as f64 / 1_000_000.0),
                    ),
                    ("alt", &alt),
                ],
            )
        })
        .collect();
    field(text("card.images", lang).into(), lines.join("\n"), lang)
}

/// How many findings the card lists (the author sees them all with `/review`).
const FINDINGS_SHOWN: usize = 5;

/// The card of `p` in `lang`, `required` approvals needed.
pub fn card(p: &Proposal, required: u32, lang: Language) -> Message {
    card_with(p, required, lang, &[])
}

/// One line per network: where the post is (a thread: its first post, and how many of its
/// `parts` are out), or what stands in its way (a thread: on the part that is stuck).
fn posts(publications: &[Publication], parts: usize, lang: Language) -> String {
    let mut networks: Vec<&str> = publications.iter().map(|p| p.network.as_str()).collect();
    networks.dedup();
    networks
        .into_iter()
        .map(|network| {
            let rows: Vec<&Publication> = publications
                .iter()
                .filter(|p| p.network == network)
                .collect();
            let done = rows
                .iter()
                .filter(|p| p.status == PublicationStatus::Posted)
                .count();
            // The part that is stuck, else the thread's first post.
            let shown = rows
                .iter()
                .find(|p| p.status != PublicationStatus::Posted)
                .or(rows.first())
                .copied();
            let mut line = shown.map(|p| post_line(p, lang)).unwrap_or_default();
            if parts > 1 {
                let first_link = rows
                    .first()
                    .and_then(|p| p.url.as_deref())
                    .filter(|_| done > 0);
                let progress = fill(
                    "card.post.parts",
                    lang,
                    &[("done", &done.to_string()), ("parts", &parts.to_string())],
                );
                // A thread stopped halfway links every part that is out, so a person can
                // see exactly where it stands.
                let out: Vec<&str> = rows
                    .iter()
                    .filter(|p| p.status == PublicationStatus::Posted)
                    .filter_map(|p| p.url.as_deref())
                    .collect();
                line = match (done == parts, first_link) {
                    (true, Some(url)) => format!("**{network}** · {url} · {progress}"),
                    (_, Some(_)) => format!("{line} · {progress}: {}", out.join(" · ")),
                    _ => format!("{line} · {progress}"),
                };
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The post a proposal answers, quotes or reposts: whose, where it goes, what it says
/// (quoted, escaped: someone else's words), when, and its link.
fn conversation_field(c: &Conversation, lang: Language) -> EmbedField {
    const SHOWN: usize = 600;
    let key = match c.kind {
        Kind::Reply => "card.conversation.reply",
        Kind::Quote => "card.conversation.quote",
        Kind::Repost => "card.conversation.repost",
    };
    let network = match c.target.link.network {
        Network::X => "X",
        Network::Mastodon => "Mastodon",
        Network::Bluesky => "Bluesky",
    };
    let name = fill(
        key,
        lang,
        &[
            ("author", &escape_markdown(&c.target.author)),
            ("network", network),
        ],
    );
    let when = c
        .target
        .posted_at
        .map(|t| format!(" · <t:{}:f>", t.timestamp()))
        .unwrap_or_default();
    let tail = format!("\n{}{when}", c.target.link.url);
    let room = limits::FIELD_VALUE
        .saturating_sub(tail.chars().count())
        .min(SHOWN);
    let words = truncate(&quote(&c.target.text), room, text("review.truncated", lang));
    EmbedField {
        name: truncate(&name, limits::FIELD_NAME, text("review.truncated", lang)),
        value: format!("{words}{tail}"),
        inline: false,
    }
}

/// Where one post is, or what stands in its way.
fn post_line(p: &Publication, lang: Language) -> String {
    let state = match (p.status, p.url.as_deref()) {
        (PublicationStatus::Posted, Some(url)) => url.to_string(),
        (PublicationStatus::Posted, None) => {
            text("card.post.posted", lang).to_string()
                + &p.remote_id
                    .as_deref()
                    .map_or(String::new(), |id| format!(" ({id})"))
        }
        (PublicationStatus::Pending | PublicationStatus::Sending, _) => {
            text("card.post.sending", lang).to_string()
        }
        (PublicationStatus::Failed, _) => fill(
            "card.post.failed",
            lang,
            &[(
                "error",
                &escape_markdown(p.last_error.as_deref().unwrap_or("?")),
            )],
        ),
        (PublicationStatus::Unknown, _) => text("card.post.unknown", lang).to_string(),
    };
    format!("**{}** · {state}", p.network)
}

/// [`card`] with the proposal's posts (links, errors) and, when a post went wrong, the admins'
/// buttons to settle it.
pub fn card_with(
    p: &Proposal,
    required: u32,
    lang: Language,
    publications: &[Publication],
) -> Message {
    let rev = p.current();
    let review = &rev.review;
    let note = text("review.truncated", lang);
    let required = required.max(1);
    let title = fill(
        "card.title",
        lang,
        &[("id", &p.id.to_string()), ("status", p.status.label(lang))],
    );
    let mut fields = Vec::new();
    fields.push(field(
        text("card.review", lang).into(),
        review_title(review, lang),
        lang,
    ));
    let mut lines: Vec<String> = review
        .findings
        .iter()
        .take(FINDINGS_SHOWN)
        .map(|f| {
            format!(
                "{} {}",
                severity_icon(f.severity),
                escape_markdown(&f.message)
            )
        })
        .collect();
    if review.findings.len() > FINDINGS_SHOWN {
        lines.push(fill(
            "review.findings-left",
            lang,
            &[(
                "count",
                &(review.findings.len() - FINDINGS_SHOWN).to_string(),
            )],
        ));
    }
    if lines.is_empty() {
        lines.push(text("review.nothing", lang).into());
    }
    fields.push(field(
        text("card.findings", lang).into(),
        lines.join("\n"),
        lang,
    ));
    fields.push(field(
        text("card.author", lang).into(),
        fill(
            "card.author-value",
            lang,
            &[
                ("author", &format!("<@{}>", p.author)),
                ("revision", &rev.number.to_string()),
            ],
        ),
        lang,
    ));
    let approvers: Vec<String> = p.approvals().map(|v| format!("<@{}>", v.member)).collect();
    let count = approvers.len();
    let mut approvals = fill(
        "card.approvals-value",
        lang,
        &[
            ("count", &count.to_string()),
            ("required", &required.to_string()),
        ],
    );
    if !approvers.is_empty() {
        approvals.push_str(&format!(" · {}", approvers.join(", ")));
    }
    if p.status.is_open() && (count as u32) < required {
        approvals.push('\n');
        approvals.push_str(&fill(
            "card.missing",
            lang,
            &[("count", &(required - count as u32).to_string())],
        ));
    }
    fields.push(field(text("card.approvals", lang).into(), approvals, lang));
    let changes: Vec<String> = p
        .current_votes()
        .filter(|v| v.kind == VoteKind::RequestChanges)
        .map(|v| {
            format!(
                "<@{}> : {}",
                v.member,
                escape_markdown(v.reason.as_deref().unwrap_or(""))
            )
        })
        .collect();
    if !changes.is_empty() {
        fields.push(field(
            text("card.changes", lang).into(),
            changes.join("\n"),
            lang,
        ));
    }
    if let Some(last) = p.audit.last() {
        let mut value = last.action.label(lang).to_string();
        if let Some(actor) = last.actor {
            value.push_str(&format!(" · <@{actor}>"));
        }
        if let Some(detail) = last.detail.as_deref().filter(|d| !d.is_empty()) {
            value.push_str(&format!("\n{}", escape_markdown(detail)));
        }
        fields.push(field(text("card.last", lang).into(), value, lang));
    }
    if !publications.is_empty() {
        fields.push(field(
            text("card.posts", lang).into(),
            posts(
                publications,
                crate::review::thread::parts(&rev.text).len(),
                lang,
            ),
            lang,
        ));
    }
    let mut embed = Embed {
        title: Some(truncate(&title, limits::TITLE, note)),
        description: None,
        color: Some(status_color(p.status, review.verdict)),
        fields,
        footer: Some(EmbedFooter {
            text: fill(
                "card.footer",
                lang,
                &[
                    ("id", &p.id.to_string()),
                    ("revision", &rev.number.to_string()),
                ],
            ),
        }),
        image: None,
    };
    if let Some(c) = &rev.conversation {
        embed.fields.insert(0, conversation_field(c, lang));
    }
    if !rev.images.is_empty() {
        let at = usize::from(rev.conversation.is_some());
        embed.fields.insert(at, images_field(&rev.images, lang));
    }
    let left = limits::TOTAL.saturating_sub(embed.total_chars());
    embed.description = Some(truncate(
        &quote_proposal(&rev.text, lang),
        left.min(limits::DESCRIPTION),
        note,
    ));
    let open = p.status.is_open();
    let blocked = review.verdict == Verdict::Blocked && rev.overridden.is_none();
    let button = |b: &Button, disabled: bool| {
        json!({
            "type": 2,
            "style": b.style(),
            "label": text(b.label_key(), lang),
            "custom_id": b.custom_id(p.id.0, rev.number),
            "disabled": disabled,
        })
    };
    let review: Vec<Value> = Button::REVIEW
        .iter()
        .filter(|b| **b != Button::Override || blocked)
        .map(|b| button(b, !open))
        .collect();
    // Discord takes at most 5 buttons a row: a blocked card's Override opens a second row.
    let mut components: Vec<Value> = review
        .chunks(BUTTONS_PER_ROW)
        .map(|row| json!({"type": 1, "components": row}))
        .collect();
    let posting = Button::for_posting(p.status);
    if !posting.is_empty() {
        let row: Vec<Value> = posting.iter().map(|b| button(b, false)).collect();
        components.push(json!({"type": 1, "components": row}));
    }
    Message {
        embeds: vec![embed],
        components,
        ..Message::default()
    }
}

/// The card's content: the author's note (escaped) and when it is to be posted, within
/// Discord's 2,000 characters. The note is what gives way: cut after escaping (escaping can
/// double it), never in the middle of an escape, with a visible note.
pub fn card_content(
    author: u64,
    note: Option<&str>,
    scheduled: Option<(DateTime<Utc>, Tz)>,
    lang: Language,
) -> Option<String> {
    let scheduled = scheduled.map(|at| scheduled_line(at, lang));
    let note = note.filter(|n| !n.trim().is_empty()).map(|note| {
        let author = format!("<@{author}>");
        let frame = fill("card.note", lang, &[("author", &author), ("note", "")]);
        let taken = frame.chars().count() + scheduled.as_ref().map_or(0, |s| s.chars().count() + 1);
        let room = CONTENT_MAX.saturating_sub(taken);
        let escaped = truncate(&escape_markdown(note), room, text("review.truncated", lang));
        fill(
            "card.note",
            lang,
            &[("author", &author), ("note", &escaped)],
        )
    });
    let lines: Vec<String> = note.into_iter().chain(scheduled).collect();
    (!lines.is_empty()).then(|| truncate(&lines.join("\n"), CONTENT_MAX, ""))
}

/// When a proposal is to be posted: in the server's zone, named, and in each reader's own
/// time (Discord's timestamp markup).
pub fn scheduled_line((at, zone): (DateTime<Utc>, Tz), lang: Language) -> String {
    fill(
        "card.scheduled",
        lang,
        &[
            ("local", &zone::local(at, zone)),
            ("zone", zone.name()),
            ("at", &format!("<t:{}:f>", at.timestamp())),
        ],
    )
}

/// What the card of `p` says while its server is paused: a field, for a proposal that would be
/// posted once approved (open or approved, not yet going out).
pub fn with_pause(msg: &mut Message, p: &Proposal, pause: Option<&Pause>, lang: Language) {
    let (Some(pause), Some(embed)) = (pause, msg.embeds.first_mut()) else {
        return;
    };
    if !(p.status.is_open() || p.status == Status::Approved) {
        return;
    }
    if embed.fields.len() >= limits::FIELDS {
        return;
    }
    embed.fields.push(field(
        text("pause.title", lang).into(),
        pause_text(pause, lang),
        lang,
    ));
}

/// The pause, in a sentence (with its reason, escaped).
pub fn pause_text(pause: &Pause, lang: Language) -> String {
    let mut out = fill(
        "pause.banner",
        lang,
        &[
            ("since", &format!("<t:{}:f>", pause.since.timestamp())),
            ("by", &format!("<@{}>", pause.by)),
        ],
    );
    if let Some(reason) = pause.reason.as_deref().filter(|r| !r.trim().is_empty()) {
        out.push('\n');
        out.push_str(&fill(
            "pause.reason",
            lang,
            &[("reason", &escape_markdown(reason))],
        ));
    }
    out
}

/// The link to a message: `https://discord.com/channels/{guild}/{channel}/{message}`.
pub fn message_link(guild: u64, channel: u64, message: u64) -> String {
    format!("https://discord.com/channels/{guild}/{channel}/{message}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The longest note, all Markdown (it doubles when escaped), with the posting time: within
    /// 2,000 characters, the time kept, the note cut after escaping, never mid-escape.
    #[test]
    fn the_content_fits_and_is_cut_cleanly() {
        for lang in [Language::Fr, Language::En] {
            for unit in ["*", "_", "[]", "\\", "é*"] {
                let note: String = unit.repeat(1000).chars().take(1000).collect();
                let c = card_content(
                    42,
                    Some(&note),
                    Some((
                        DateTime::from_timestamp(1_800_000_000, 0).expect("time"),
                        zone::DEFAULT,
                    )),
                    lang,
                )
                .unwrap_or_default();
                assert!(c.chars().count() <= CONTENT_MAX, "{}", c.chars().count());
                assert!(c.contains("<t:1800000000:f>"), "{c}");
                let (first, _) = c.split_once("\n🕘").unwrap_or((&c, ""));
                let Some(body) = first.strip_suffix(text("review.truncated", lang)) else {
                    assert!(first.ends_with(&escape_markdown(&note)), "{unit}: whole");
                    continue;
                };
                assert!(escape_markdown(&note).chars().count() > 1800, "{unit}: cut");
                let slashes = body
                    .trim_end()
                    .chars()
                    .rev()
                    .take_while(|&c| c == '\\')
                    .count();
                assert_eq!(slashes % 2, 0, "{unit}: half an escape");
            }
            let short = card_content(42, Some("**hi**"), None, lang).unwrap_or_default();
            assert!(short.ends_with(r"\*\*hi\*\*"), "{short}");
            assert_eq!(card_content(42, Some("  "), None, lang), None);
        }
    }
}
