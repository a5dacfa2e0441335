//! Images of a proposal from Discord: `/submit image1..image4 alt1..alt4` and the message
//! context menu "Propose as tweet" (« Proposer comme tweet »).
//!
//! Each attachment is downloaded at once (its CDN address expires), checked by decoding
//! ([`crate::media::inspect`]: PNG, JPEG, GIF or WebP, at most 20 MB) and staged in the store,
//! so any process can finish the proposal. When an image has no alt text, a form asks for each
//! one (prefilled with what was given); the download runs meanwhile, and the form's submission
//! waits for it. What the form needs to finish (the text, the options, the download) is kept
//! in this process's memory, keyed by the interaction, for [`PENDING_TTL`]: a form sent to
//! another process, or after a restart, is refused with a plain "run it again".

use std::sync::Arc;
use std::time::{Duration, Instant};

use dashmap::DashMap;
use serenity::http::Http;
use tokio::task::JoinHandle;

use crate::discord::embeds::{escape_markdown, notice};
use crate::discord::messages::{fill, text};
use crate::discord::response::{Modal, Response};
use crate::discord::router::{Attachment, Invocation, Router, TargetMessage};
use crate::media::{inspect, MAX_BYTES};
use crate::review::Language;
use crate::store::Store;
use crate::workflow::media::ImageFile;
use crate::workflow::{Kind, MAX_IMAGES};

/// The `custom_id` prefix of the alt-text form (`submit:alt:{interaction id}`).
pub const ALT_MODAL: &str = "submit:alt";
/// The message context menu's name (`commands/propose-message.json`).
pub const MESSAGE_MENU: &str = "Propose as tweet";

/// How long a download may take, and how long a form waits to be sent back.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(30);
pub const PENDING_TTL: Duration = Duration::from_secs(15 * 60);
/// The longest alt text the form takes (Mastodon's default; X's 1,000 is the review's to say).
pub const MAX_ALT: usize = 1500;
const MAX_TEXT: usize = 4000;

/// A file a member proposed, with the alt text they gave (if any).
#[derive(Debug, Clone)]
pub struct Proposed {
    pub attachment: Attachment,
    pub alt: Option<String>,
}

/// Why the images can't be used, for the member: a message key and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Refused {
    pub fn response(&self, lang: Language) -> Response {
        let args: Vec<(&str, &str)> = self.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        Response::Message(notice(self.key, lang, &args))
    }
}

type Download = JoinHandle<Result<Vec<ImageFile>, Refused>>;

/// A proposal waiting for its alt-text form.
pub(crate) struct Pending {
    user: u64,
    created: Instant,
    text: Option<String>,
    note: Option<String>,
    when: Option<String>,
    answering: Option<(Kind, String)>,
    download: tokio::sync::Mutex<Option<Download>>,
}

/// The forms this process is waiting for, and the client that downloads attachments.
pub struct PendingForms {
    forms: DashMap<String, Arc<Pending>>,
    http: reqwest::Client,
}

impl Default for PendingForms {
    fn default() -> Self {
        PendingForms {
            forms: DashMap::new(),
            http: reqwest::Client::builder()
                .timeout(DOWNLOAD_TIMEOUT)
                .connect_timeout(Duration::from_secs(10))
                .build()
                .unwrap_or_default(),
        }
    }
}

impl std::fmt::Debug for PendingForms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingForms")
            .field("forms", &self.forms.len())
            .finish()
    }
}

/// One attachment's bytes, refusing at once what Discord says is over 20 MB and stopping a
/// download that grows past it.
async fn download(http: &reqwest::Client, n: usize, a: &Attachment) -> Result<Vec<u8>, Refused> {
    let file = escape_markdown(&a.filename);
    let refused = |key: &'static str, reason: String| Refused {
        key,
        args: vec![
            ("n", n.to_string()),
            ("file", file.clone()),
            ("reason", reason),
        ],
    };
    let too_large = |size: u64| {
        refused(
            "submit.image-refused",
            crate::media::MediaError::TooLarge {
                size: usize::try_from(size).unwrap_or(usize::MAX),
            }
            .to_string(),
        )
    };
    if a.size > MAX_BYTES as u64 {
        return Err(too_large(a.size));
    }
    let mut resp = http
        .get(&a.url)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|e| refused("submit.image-download", e.without_url().to_string()))?;
    let mut bytes = Vec::with_capacity(usize::try_from(a.size).unwrap_or(0).min(MAX_BYTES));
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| refused("submit.image-download", e.without_url().to_string()))?
    {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > MAX_BYTES {
            return Err(too_large(bytes.len() as u64));
        }
    }
    Ok(bytes)
}

/// Downloads, checks and stages every image, in order; the first refusal stops everything and
/// nothing is staged.
async fn fetch_all(
    http: reqwest::Client,
    store: Arc<dyn Store>,
    proposed: Vec<Proposed>,
    lang: Language,
) -> Result<Vec<ImageFile>, Refused> {
    let mut files = Vec::with_capacity(proposed.len());
    for (i, p) in proposed.iter().enumerate() {
        let bytes = download(&http, i + 1, &p.attachment).await?;
        let file = tokio::task::spawn_blocking({
            let alt = p.alt.clone();
            move || inspect(bytes, alt.as_deref())
        })
        .await
        .map_err(|e| Refused {
            key: "submit.image-download",
            args: vec![
                ("n", (i + 1).to_string()),
                ("file", escape_markdown(&p.attachment.filename)),
                ("reason", e.to_string()),
            ],
        })?
        .map_err(|e| Refused {
            key: "submit.image-refused",
            args: vec![
                ("n", (i + 1).to_string()),
                ("file", escape_markdown(&p.attachment.filename)),
                ("reason", e.message(lang)),
            ],
        })?;
        files.push(file);
    }
    for f in &files {
        store
            .stage_image(f, chrono::Utc::now())
            .await
            .map_err(|e| Refused {
                key: "submit.image-store",
                args: vec![("reason", e.message(lang))],
            })?;
    }
    Ok(files)
}

/// What `/submit` or the message menu gives along with its images.
pub(crate) struct Options {
    pub text: Option<String>,
    pub note: Option<String>,
    pub when: Option<String>,
    pub answering: Option<(Kind, String)>,
    /// Whether the form shows the text (prefilled) even when it is given: the message menu's.
    pub show_text: bool,
}

/// Starts a proposal with images: downloads at once; submits when nothing is missing, else
/// answers with the form that asks for the alt texts (and the text, when missing).
pub(crate) async fn start(
    router: &Router,
    inv: &Invocation,
    http: Option<&Arc<Http>>,
    options: Options,
    proposed: Vec<Proposed>,
) -> Response {
    let lang = inv.language();
    if proposed.len() > MAX_IMAGES {
        return Response::Message(notice(
            "submit.too-many-images",
            lang,
            &[
                ("max", &MAX_IMAGES.to_string()),
                ("count", &proposed.len().to_string()),
            ],
        ));
    }
    let Some(store) = router.store.clone() else {
        return Response::Message(notice("submit.no-store", lang, &[]));
    };
    // Only from Discord's own addresses: the URL travels in the interaction's body.
    if let Some(p) = proposed
        .iter()
        .find(|p| !router.config.attachment_allowed(&p.attachment.url))
    {
        let n = proposed
            .iter()
            .position(|q| std::ptr::eq(q, p))
            .map_or(1, |i| i + 1);
        tracing::warn!("an attachment's address is not Discord's; refused");
        return Refused {
            key: "submit.image-foreign",
            args: vec![
                ("n", n.to_string()),
                ("file", escape_markdown(&p.attachment.filename)),
            ],
        }
        .response(lang);
    }
    let has_text = options
        .text
        .as_deref()
        .is_some_and(|t| !t.trim().is_empty());
    let all_alt = proposed
        .iter()
        .all(|p| p.alt.as_deref().is_some_and(|a| !a.trim().is_empty()));
    let forms = &router.pending_forms;
    if has_text && all_alt && !options.show_text {
        let files = match fetch_all(forms.http.clone(), store, proposed, lang).await {
            Ok(f) => f,
            Err(r) => return r.response(lang),
        };
        return super::submit::finish(router, inv, http, &options, files).await;
    }
    let key = inv.id.to_string();
    let mut modal = Modal::paragraphs(
        format!("{ALT_MODAL}:{key}"),
        text("submit.alt-modal.title", lang),
        &[],
    );
    if !has_text || options.show_text {
        modal = modal.optional(
            "text",
            text("card.modal.text", lang),
            options.text.as_deref(),
            MAX_TEXT,
        );
    }
    for (i, p) in proposed.iter().enumerate() {
        let name: String = p.attachment.filename.chars().take(16).collect();
        let id = format!("alt{}", i + 1);
        modal = modal
            .optional(
                &id,
                &fill(
                    "submit.alt-modal.label",
                    lang,
                    &[("n", &(i + 1).to_string()), ("file", &name)],
                ),
                p.alt.as_deref(),
                MAX_ALT,
            )
            .placeholder(&id, text("submit.alt-modal.placeholder", lang));
    }
    // Stale forms (never sent back) are forgotten as new ones come.
    forms.forms.retain(|_, p| p.created.elapsed() < PENDING_TTL);
    let task = tokio::spawn(fetch_all(forms.http.clone(), store, proposed, lang));
    forms.forms.insert(
        key,
        Arc::new(Pending {
            user: inv.user_id,
            created: Instant::now(),
            text: options.text,
            note: options.note,
            when: options.when,
            answering: options.answering,
            download: tokio::sync::Mutex::new(Some(task)),
        }),
    );
    Response::Modal(modal)
}

/// The alt-text form, sent back: waits for the download, puts the alt texts on the images,
/// and submits.
pub async fn modal(
    router: &Router,
    inv: &Invocation,
    http: Option<&Arc<Http>>,
    custom_id: &str,
) -> Response {
    let lang = inv.language();
    let key = custom_id
        .strip_prefix(ALT_MODAL)
        .and_then(|k| k.strip_prefix(':'))
        .unwrap_or_default();
    let pending = router
        .pending_forms
        .forms
        .get(key)
        .map(|p| p.clone())
        .filter(|p| p.user == inv.user_id && p.created.elapsed() < PENDING_TTL);
    let Some(pending) = pending else {
        return Response::Message(notice("submit.images-expired", lang, &[]));
    };
    let Some(task) = pending.download.lock().await.take() else {
        return Response::Message(notice("submit.images-expired", lang, &[]));
    };
    router.pending_forms.forms.remove(key);
    let mut files = match task.await {
        Ok(Ok(files)) => files,
        Ok(Err(refused)) => return refused.response(lang),
        Err(e) => {
            tracing::warn!(error = %e, "an image download stopped");
            return Response::Message(notice("submit.images-expired", lang, &[]));
        }
    };
    for (i, f) in files.iter_mut().enumerate() {
        if let Some(alt) = inv.field(&format!("alt{}", i + 1)) {
            let alt = alt.trim();
            f.image.alt = (!alt.is_empty()).then(|| alt.to_owned());
        }
    }
    let text = inv
        .field("text")
        .map(str::to_owned)
        .or_else(|| pending.text.clone());
    if text.as_deref().is_none_or(|t| t.trim().is_empty()) {
        return Response::Message(notice("submit.missing-text", lang, &[]));
    }
    let options = Options {
        text,
        note: pending.note.clone(),
        when: pending.when.clone(),
        answering: pending.answering.clone(),
        show_text: false,
    };
    super::submit::finish(router, inv, http, &options, files).await
}

/// "Propose as tweet" on a message: its text and its images become a proposal.
pub async fn message_menu(
    router: &Router,
    inv: &Invocation,
    http: Option<&Arc<Http>>,
    target: Option<&TargetMessage>,
) -> Response {
    let lang = inv.language();
    if inv.guild_id.is_none() {
        return Response::Message(notice("submit.guild-only", lang, &[]));
    }
    let Some(m) = target else {
        return Response::Message(notice("propose.message-empty", lang, &[]));
    };
    let proposed: Vec<Proposed> = m
        .attachments
        .iter()
        .filter(|a| a.looks_like_image())
        .map(|a| Proposed {
            attachment: a.clone(),
            alt: a.description.clone().filter(|d| !d.trim().is_empty()),
        })
        .collect();
    if proposed.is_empty() && m.content.trim().is_empty() {
        return Response::Message(notice("propose.message-empty", lang, &[]));
    }
    let options = Options {
        text: Some(m.content.clone()).filter(|t| !t.trim().is_empty()),
        note: None,
        when: None,
        answering: None,
        show_text: false,
    };
    if proposed.is_empty() {
        return super::submit::finish(router, inv, http, &options, Vec::new()).await;
    }
    start(router, inv, http, options, proposed).await
}

/// `/submit`'s `image1..image4` with `alt1..alt4`, in order (an alt text without its image
/// is ignored).
pub fn proposed_of(inv: &Invocation) -> Vec<Proposed> {
    (1..=MAX_IMAGES)
        .filter_map(|i| {
            let attachment = inv.attachment_option(&format!("image{i}"))?.clone();
            let alt = inv
                .string_option(&format!("alt{i}"))
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_owned);
            Some(Proposed { attachment, alt })
        })
        .collect()
}
