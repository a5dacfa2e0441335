//! The publishing worker's news, told on Discord: the review card is edited with the posts'
//! links (or what went wrong, with the admins' buttons), and the author hears of it in a direct
//! message. Best effort: the store already holds the truth, `/proposal` shows it.

use std::sync::Arc;

use async_trait::async_trait;
use serenity::http::Http;

use super::notify::{author_message_with, card_edit, direct_message, edit_card, link_to};
use super::server::ServerSettings;
use crate::metrics::Metrics;
use crate::publish::worker::Announcer;
use crate::review::Language;
use crate::store::{Publication, PublicationStatus, Store};
use crate::workflow::{Status, Transition};

/// Tells Discord what the worker did.
pub struct DiscordAnnouncer {
    pub http: Arc<Http>,
    pub store: Arc<dyn Store>,
    pub metrics: Arc<Metrics>,
}

impl std::fmt::Debug for DiscordAnnouncer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DiscordAnnouncer").finish_non_exhaustive()
    }
}

#[async_trait]
impl Announcer for DiscordAnnouncer {
    async fn announce(&self, t: &Transition, publications: &[Publication]) {
        let p = &t.proposal;
        let span = tracing::info_span!("announce", proposal = %p.id, status = p.status.as_str());
        let _enter = span.enter();
        match p.status {
            Status::Posted => publications
                .iter()
                .filter(|x| x.status == PublicationStatus::Posted)
                .for_each(|_| self.metrics.post()),
            Status::Failed | Status::NeedsReconcile => self.metrics.failure(),
            _ => {}
        }
        let server = match self.store.settings(p.guild).await {
            Ok(s) => ServerSettings::from_stored(s),
            Err(e) => {
                tracing::warn!(error = %e, "could not read the server's settings");
                ServerSettings::default()
            }
        };
        let lang = server.language.unwrap_or(Language::En);
        // One read of where the card is: for its edit and for the author's link.
        let at = match self.store.card(p.id).await {
            Ok(at) => at,
            Err(e) => {
                tracing::warn!(error = %e, "could not find the review card");
                None
            }
        };
        if let Some(at) = at {
            let msg = card_edit(p, server.policy.required_approvals, lang, publications);
            if let Err(e) = edit_card(&self.http, at, &msg).await {
                tracing::warn!(error = %e, "could not update the review card");
            }
        }
        if !t.notices.is_empty() {
            let link = at.map(|at| link_to(p, at));
            let posts: Vec<&str> = publications
                .iter()
                .filter_map(|x| x.url.as_deref())
                .collect();
            let msg = author_message_with(p, &t.notices, lang, link.as_deref(), &posts);
            if let Err(e) = direct_message(&self.http, p.author.0, &msg).await {
                tracing::warn!(error = %e, "could not tell the author");
            }
        }
    }
}
