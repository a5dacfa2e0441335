//! How a server reads the account's posts: with its own review settings, so `/stats` and the
//! history rules of its reviews count a post the way its reviews would have read it. A team
//! that signs `Zaz`, calls `braderie` a sales word or answers in French by default sees its
//! posts as signed, promotional, in French, where the bot's defaults would not.
//!
//! How a server tunes its reviews is the Discord side's business (its settings commands and
//! their stored form); publish/ does not depend on it. `serve` hands the translation in as a
//! [`ReviewSettingsFor`]; without one (the command line, tests of publishing alone) the bot's
//! default settings are used, and the members' signatures all the same: they are the store's.

use std::sync::Arc;

use tracing::warn;

use crate::review::{classify, PostClass, Settings};
use crate::store::{GuildSettings, Store, StoreError};
use crate::workflow::{Conversation, GuildId};

/// A server's review settings from its stored settings: the bot's own with the server's
/// tuning (company, own handles and domains, team words and rules, language).
pub type ReviewSettingsFor = Arc<dyn Fn(GuildId, &GuildSettings) -> Settings + Send + Sync>;

/// The settings one server reads its posts with, and its members' registered signatures.
#[derive(Debug, Clone)]
pub struct Reading {
    settings: Settings,
    /// Every member's signature: the account's posts carry no author, and a post that ends
    /// with any of them is signed, whoever wrote it.
    signatures: Vec<String>,
}

impl Reading {
    /// A server's reading: `settings_for` applied to its stored settings (the defaults
    /// without one) and the signatures its members registered.
    pub async fn of(
        store: &dyn Store,
        guild: GuildId,
        stored: &GuildSettings,
        settings_for: Option<&ReviewSettingsFor>,
    ) -> Result<Reading, StoreError> {
        let signatures = store.signatures(guild).await?;
        Ok(Reading::new(
            settings_of(guild, stored, settings_for),
            signatures,
        ))
    }

    /// As [`Reading::of`], but a store that can't list the signatures is no reason to lose
    /// the rest: the post is read without them (and the failure logged).
    pub async fn of_or_unsigned(
        store: &dyn Store,
        guild: GuildId,
        stored: &GuildSettings,
        settings_for: Option<&ReviewSettingsFor>,
    ) -> Reading {
        let signatures = store.signatures(guild).await.unwrap_or_else(|e| {
            warn!(error = %e, "could not read the members' signatures");
            Vec::new()
        });
        Reading::new(settings_of(guild, stored, settings_for), signatures)
    }

    pub fn new(settings: Settings, signatures: Vec<String>) -> Reading {
        let mut signatures: Vec<String> = signatures
            .into_iter()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        signatures.sort();
        signatures.dedup();
        Reading {
            settings,
            signatures,
        }
    }

    /// What the post answers, quotes or reposts, as its review was told (a reply is dialogue
    /// whatever its first word).
    pub fn answering(mut self, conversation: Option<&Conversation>) -> Reading {
        self.settings.answering = conversation.map(Conversation::for_review);
        self
    }

    /// The post's class, as this server's reviews read it. A member's signature is tried only
    /// when the post is not signed already and its text contains that signature: a few
    /// microseconds more for the rare post that needs it.
    pub fn classify(&self, text: &str) -> PostClass {
        let mut class = classify(text, &self.settings);
        if class.signed {
            return class;
        }
        for sig in self.signatures.iter().filter(|s| text.contains(s.as_str())) {
            let mut signed_so = self.settings.clone();
            signed_so.signature = Some(sig.clone());
            if classify(text, &signed_so).signed {
                class.signed = true;
                break;
            }
        }
        class
    }
}

/// A server's review settings: `settings_for` applied to its stored settings, or the defaults.
fn settings_of(
    guild: GuildId,
    stored: &GuildSettings,
    settings_for: Option<&ReviewSettingsFor>,
) -> Settings {
    settings_for.map_or_else(Settings::default, |f| f(guild, stored))
}

impl Default for Reading {
    /// The bot's default settings, no signature of anyone's.
    fn default() -> Self {
        Reading::new(Settings::default(), Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POST: &str = "Nouveaux horaires dès lundi, détails sur notre site. Zaz";

    #[test]
    fn a_members_own_signature_signs_the_accounts_post() {
        assert!(!Reading::default().classify(POST).signed);
        let team = Reading::new(Settings::default(), vec![" Zaz ".into(), "^SG".into()]);
        assert!(team.classify(POST).signed);
        // Only at the end: a signature in the middle of a sentence signs nothing.
        assert!(
            !team
                .classify("Zaz et Paul vous présentent nos nouveaux horaires dès lundi.")
                .signed
        );
    }

    #[test]
    fn the_teams_sales_words_make_a_post_promotional() {
        let text = "La grande braderie du dépôt de Vitry, c'est samedi.";
        assert!(!Reading::default().classify(text).promotional);
        let mut settings = Settings::default();
        settings
            .add_team_words("promotion.sales-words", &["braderie".into()])
            .expect("words");
        assert!(
            Reading::new(settings, Vec::new())
                .classify(text)
                .promotional
        );
    }
}
