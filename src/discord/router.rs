//! Interactions → handlers, whatever transport brought them.
//!
//! A transport (the gateway today, an HTTP interactions endpoint later) turns serenity's
//! `Interaction` into an [`Invocation`] ([`Invocation::from_interaction`]), asks
//! [`Router::handle`] for a [`Response`], and sends it. Handlers see only the invocation: plain
//! data, easy to build in tests.
//!
//! Adding a command: a manifest in `commands/`, a handler in `handlers/`, one line in
//! [`COMMANDS`] and one arm in [`Router::handle`]. Buttons and modals: a `custom_id` prefix
//! in [`COMPONENT_PREFIXES`] and an arm in the component match.

use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use serenity::http::Http;

use serenity::model::application::{
    ActionRowComponent, CommandDataOption, CommandDataOptionValue, CommandDataResolved,
    CommandType, ComponentInteractionDataKind, Interaction, ResolvedTarget,
};
use serenity::model::guild::Member;
use serenity::model::user::User;

use super::cache::TtlCache;
use super::handlers;
use super::ratelimit::{MemberLimiter, RateLimit};
use super::response::Response;
use super::server::ServerSettings;
use super::{embeds, language_of};
use crate::review::{History, Language, Settings, HISTORY_WINDOW};
use crate::store::{Store, StoreError};
use crate::workflow::{GuildId, Policy};

/// The application commands the router answers, by their manifest `name` (the name Discord
/// sends back). A test checks this against `commands/*.json` both ways.
pub const COMMANDS: &[&str] = &[
    handlers::review::SLASH,
    handlers::review::MESSAGE_MENU,
    handlers::submit::SLASH,
    handlers::submit::RELAY,
    handlers::images::MESSAGE_MENU,
    handlers::queue::QUEUE,
    handlers::queue::PROPOSAL,
    handlers::guidelines::SLASH,
    handlers::signature::SLASH,
    handlers::settings::SLASH,
    handlers::stats::SLASH,
];

/// The `custom_id` prefixes of components and modals the router answers (`prefix:rest`).
pub const COMPONENT_PREFIXES: &[&str] = &[
    handlers::card::PREFIX,
    handlers::submit::MODAL,
    handlers::images::ALT_MODAL,
    handlers::queue::PAGE_PREFIX,
];

/// One option of a slash command, flattened.
#[derive(Debug, Clone, PartialEq)]
pub enum OptionValue {
    String(String),
    Integer(i64),
    Number(f64),
    Boolean(bool),
    /// A user, role, channel or mentionable id.
    Id(u64),
    /// A file the member attached (`image1`...), as Discord resolved it.
    Attachment(Attachment),
    /// A subcommand (group) and its own options.
    SubCommand(Vec<CommandOption>),
}

/// A named option of a slash command.
#[derive(Debug, Clone, PartialEq)]
pub struct CommandOption {
    pub name: String,
    pub value: OptionValue,
}

/// The message a message context-menu command targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetMessage {
    pub id: u64,
    pub channel_id: u64,
    pub author_id: u64,
    pub content: String,
    /// Its files, in order.
    pub attachments: Vec<Attachment>,
}

/// A file on Discord's CDN, as an interaction describes it: the bot downloads it at once
/// (the URL expires) and trusts none of it but the bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub id: u64,
    pub filename: String,
    pub url: String,
    /// What the uploader's client said; checked against the bytes later.
    pub content_type: Option<String>,
    pub size: u64,
    /// Its alt text on Discord, if the uploader gave one.
    pub description: Option<String>,
}

impl Attachment {
    fn of(a: &serenity::model::channel::Attachment) -> Attachment {
        Attachment {
            id: a.id.get(),
            filename: a.filename.clone(),
            url: a.url.clone(),
            content_type: a.content_type.clone(),
            size: u64::from(a.size),
            description: a.description.clone(),
        }
    }

    /// Whether Discord (or the name) says it is an image: what a message's files are
    /// filtered by before anything is downloaded.
    pub fn looks_like_image(&self) -> bool {
        self.content_type
            .as_deref()
            .is_some_and(|c| c.starts_with("image/"))
            || [".png", ".jpg", ".jpeg", ".gif", ".webp"]
                .iter()
                .any(|ext| self.filename.to_ascii_lowercase().ends_with(ext))
    }
}

/// What the member did.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A slash command (type 1) with its options.
    Slash {
        name: String,
        options: Vec<CommandOption>,
    },
    /// A message context-menu command (type 3) on a message.
    MessageMenu {
        name: String,
        target: Option<TargetMessage>,
    },
    /// A user context-menu command (type 2).
    UserMenu { name: String, target: Option<u64> },
    /// A member is typing an option that has autocomplete: `option` is the focused one, with
    /// what they typed so far.
    Autocomplete {
        name: String,
        option: String,
        value: String,
    },
    /// A button or select click on a message the bot sent.
    Component {
        custom_id: String,
        values: Vec<String>,
        message_id: u64,
    },
    /// A modal's submitted text inputs (`custom_id`, value).
    Modal {
        custom_id: String,
        fields: Vec<(String, String)>,
    },
}

/// One interaction, parsed: what was done, by whom, where, in which language.
#[derive(Debug, Clone, PartialEq)]
pub struct Invocation {
    pub id: u64,
    pub application_id: u64,
    /// The interaction token (valid 15 minutes): for follow-ups and `@original` edits.
    pub token: String,
    pub action: Action,
    pub user_id: u64,
    pub user_name: String,
    pub guild_id: Option<u64>,
    pub channel_id: u64,
    /// The member's roles (empty in DMs).
    pub roles: Vec<u64>,
    /// The member's Discord locale (`fr`, `en-US`, ...).
    pub locale: String,
    /// The server's locale, when in a server: the language of public messages (review cards).
    pub guild_locale: Option<String>,
    /// The member is a server admin (`ADMINISTRATOR` or `MANAGE_GUILD`), when Discord says so.
    pub is_admin: bool,
}

/// An [`Invocation`] from the fields every kind of interaction shares (`$c`: serenity's
/// command, component or modal interaction) around its own `action`.
macro_rules! invocation {
    ($c:expr, $member:expr, $action:expr) => {{
        let (user_id, user_name, roles) =
            who($member, &$c.user, $c.guild_id.is_some()).ok_or(NotAnInvocation::NoUser)?;
        Ok(Invocation {
            id: $c.id.get(),
            application_id: $c.application_id.get(),
            token: $c.token.clone(),
            action: $action,
            user_id,
            user_name,
            guild_id: $c.guild_id.map(|g| g.get()),
            channel_id: $c.channel_id.get(),
            roles,
            locale: $c.locale.clone(),
            guild_locale: $c.guild_locale.clone(),
            is_admin: admin($member),
        })
    }};
}

impl Invocation {
    /// The language replies use: the member's locale.
    pub fn language(&self) -> Language {
        language_of(&self.locale)
    }

    /// The server's language, when the interaction comes from a server.
    pub fn guild_language(&self) -> Option<Language> {
        self.guild_locale.as_deref().map(language_of)
    }

    /// The language of public messages (review cards): the server's, else the member's.
    pub fn public_language(&self) -> Language {
        language_of(self.guild_locale.as_deref().unwrap_or(&self.locale))
    }

    /// The member as the approval workflow sees them.
    pub fn member(&self) -> crate::workflow::Member {
        crate::workflow::Member {
            id: crate::workflow::MemberId(self.user_id),
            roles: self
                .roles
                .iter()
                .map(|r| crate::workflow::RoleId(*r))
                .collect(),
            is_admin: self.is_admin,
        }
    }

    /// A text input of a submitted modal, by `custom_id`.
    pub fn field(&self, name: &str) -> Option<&str> {
        match &self.action {
            Action::Modal { fields, .. } => fields
                .iter()
                .find(|(id, _)| id == name)
                .map(|(_, v)| v.as_str()),
            _ => None,
        }
    }

    /// `slash`, `message_menu`, `user_menu`, `component` or `modal` (for logs).
    pub fn kind(&self) -> &'static str {
        match self.action {
            Action::Slash { .. } => "slash",
            Action::MessageMenu { .. } => "message_menu",
            Action::UserMenu { .. } => "user_menu",
            Action::Component { .. } => "component",
            Action::Modal { .. } => "modal",
            Action::Autocomplete { .. } => "autocomplete",
        }
    }

    /// The command name or `custom_id` (for logs and routing).
    pub fn name(&self) -> &str {
        match &self.action {
            Action::Slash { name, .. }
            | Action::MessageMenu { name, .. }
            | Action::UserMenu { name, .. }
            | Action::Autocomplete { name, .. } => name,
            Action::Component { custom_id, .. } | Action::Modal { custom_id, .. } => custom_id,
        }
    }

    /// The subcommand (and group) path of a slash command (`["set"]` for `/signature set`)
    /// and the options inside it.
    fn walk(&self) -> (Vec<&str>, &[CommandOption]) {
        let mut path = Vec::new();
        let Action::Slash { options, .. } = &self.action else {
            return (path, &[]);
        };
        let mut level = options.as_slice();
        while let [CommandOption {
            name,
            value: OptionValue::SubCommand(inner),
        }] = level
        {
            path.push(name.as_str());
            level = inner;
        }
        (path, level)
    }

    /// The subcommand (and group) path of a slash command: `["set"]` for `/signature set`.
    pub fn subcommand(&self) -> Vec<&str> {
        self.walk().0
    }

    fn option_value(&self, name: &str) -> Option<&OptionValue> {
        self.walk()
            .1
            .iter()
            .find(|o| o.name == name)
            .map(|o| &o.value)
    }

    /// A string option of a slash command, by name.
    pub fn string_option(&self, name: &str) -> Option<&str> {
        match self.option_value(name)? {
            OptionValue::String(s) => Some(s.as_str()),
            _ => None,
        }
    }

    /// An integer option, by name.
    pub fn integer_option(&self, name: &str) -> Option<i64> {
        match self.option_value(name)? {
            OptionValue::Integer(n) => Some(*n),
            // An autocompleted integer arrives as typed text.
            OptionValue::String(s) => s.trim().trim_start_matches('#').parse().ok(),
            _ => None,
        }
    }

    /// A boolean option, by name.
    pub fn bool_option(&self, name: &str) -> Option<bool> {
        match self.option_value(name)? {
            OptionValue::Boolean(b) => Some(*b),
            _ => None,
        }
    }

    /// An attachment option, by name.
    pub fn attachment_option(&self, name: &str) -> Option<&Attachment> {
        match self.option_value(name)? {
            OptionValue::Attachment(a) => Some(a),
            _ => None,
        }
    }

    /// A user, role or channel option, by name.
    pub fn id_option(&self, name: &str) -> Option<u64> {
        match self.option_value(name)? {
            OptionValue::Id(id) => Some(*id),
            _ => None,
        }
    }

    /// Parse serenity's interaction. Refused: pings and kinds the bot doesn't answer
    /// ([`NotAnInvocation::Other`]), and an interaction that doesn't say who acted
    /// ([`NotAnInvocation::NoUser`]).
    pub fn from_interaction(i: &Interaction) -> Result<Invocation, NotAnInvocation> {
        match i {
            Interaction::Command(c) => {
                let action = match c.data.kind {
                    CommandType::Message => Action::MessageMenu {
                        name: c.data.name.clone(),
                        target: match c.data.target() {
                            Some(ResolvedTarget::Message(m)) => Some(TargetMessage {
                                id: m.id.get(),
                                channel_id: m.channel_id.get(),
                                author_id: m.author.id.get(),
                                content: m.content.clone(),
                                attachments: m.attachments.iter().map(Attachment::of).collect(),
                            }),
                            _ => None,
                        },
                    },
                    CommandType::User => Action::UserMenu {
                        name: c.data.name.clone(),
                        target: c.data.target_id.map(|t| t.get()),
                    },
                    _ => Action::Slash {
                        name: c.data.name.clone(),
                        options: c
                            .data
                            .options
                            .iter()
                            .map(|o| option(o, &c.data.resolved))
                            .collect(),
                    },
                };
                invocation!(c, c.member.as_deref(), action)
            }
            Interaction::Autocomplete(c) => {
                let (option, value) = c
                    .data
                    .autocomplete()
                    .map(|o| (o.name.to_string(), o.value.to_string()))
                    .unwrap_or_default();
                invocation!(
                    c,
                    c.member.as_deref(),
                    Action::Autocomplete {
                        name: c.data.name.clone(),
                        option,
                        value,
                    }
                )
            }
            Interaction::Component(c) => {
                let values = match &c.data.kind {
                    ComponentInteractionDataKind::StringSelect { values } => values.clone(),
                    ComponentInteractionDataKind::UserSelect { values } => ids(values),
                    ComponentInteractionDataKind::RoleSelect { values } => ids(values),
                    ComponentInteractionDataKind::ChannelSelect { values } => ids(values),
                    ComponentInteractionDataKind::MentionableSelect { values } => ids(values),
                    _ => Vec::new(),
                };
                invocation!(
                    c,
                    c.member.as_ref(),
                    Action::Component {
                        custom_id: c.data.custom_id.clone(),
                        values,
                        message_id: c.message.id.get(),
                    }
                )
            }
            Interaction::Modal(c) => {
                let fields = c
                    .data
                    .components
                    .iter()
                    .flat_map(|row| row.components.iter())
                    .filter_map(|comp| match comp {
                        ActionRowComponent::InputText(t) => {
                            Some((t.custom_id.clone(), t.value.clone().unwrap_or_default()))
                        }
                        _ => None,
                    })
                    .collect();
                invocation!(
                    c,
                    c.member.as_ref(),
                    Action::Modal {
                        custom_id: c.data.custom_id.clone(),
                        fields,
                    }
                )
            }
            _ => Err(NotAnInvocation::Other),
        }
    }
}

/// Why an interaction is not handed to the router.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NotAnInvocation {
    /// A ping, or a kind of interaction the bot doesn't answer.
    #[error("not an interaction the bot answers")]
    Other,
    /// Neither `member` nor `user`, or `user` alone in a server (where Discord always sends
    /// `member`, with the roles): whoever acted can't be told, nor whether they are a
    /// reviewer or a contractor. Refused, never taken for someone.
    #[error("the interaction doesn't say who acted (no member, no user)")]
    NoUser,
}

/// Selected ids as strings, whatever kind of id a select menu returns.
fn ids<T: ToString>(values: &[T]) -> Vec<String> {
    values.iter().map(ToString::to_string).collect()
}

/// Who acted: the member in a guild, the user in a DM. Their id, name and roles; `None` when
/// the payload doesn't say: no `member` in a server (the roles would be unknown, and a
/// contractor would pass for a plain member), or no `user` either (serenity then fills `user`
/// with its default, id 1, which no Discord account has).
fn who(member: Option<&Member>, user: &User, in_guild: bool) -> Option<(u64, String, Vec<u64>)> {
    match member {
        Some(m) => Some((
            m.user.id.get(),
            m.user.name.clone(),
            m.roles.iter().map(|r| r.get()).collect(),
        )),
        None if in_guild || user.id == User::default().id => None,
        None => Some((user.id.get(), user.name.clone(), Vec::new())),
    }
}

/// Whether the member may administer the server, from the permissions Discord sent.
fn admin(member: Option<&Member>) -> bool {
    member
        .and_then(|m| m.permissions)
        .is_some_and(|p| p.administrator() || p.manage_guild())
}

fn option(o: &CommandDataOption, resolved: &CommandDataResolved) -> CommandOption {
    let value = match &o.value {
        CommandDataOptionValue::String(s) => OptionValue::String(s.clone()),
        CommandDataOptionValue::Autocomplete { value, .. } => OptionValue::String(value.clone()),
        CommandDataOptionValue::Integer(n) => OptionValue::Integer(*n),
        CommandDataOptionValue::Number(n) => OptionValue::Number(*n),
        CommandDataOptionValue::Boolean(b) => OptionValue::Boolean(*b),
        CommandDataOptionValue::SubCommand(v) | CommandDataOptionValue::SubCommandGroup(v) => {
            OptionValue::SubCommand(v.iter().map(|o| option(o, resolved)).collect())
        }
        CommandDataOptionValue::Attachment(id) => match resolved.attachments.get(id) {
            Some(a) => OptionValue::Attachment(Attachment::of(a)),
            None => OptionValue::Id(id.get()),
        },
        CommandDataOptionValue::Channel(id) => OptionValue::Id(id.get()),
        CommandDataOptionValue::Mentionable(id) => OptionValue::Id(id.get()),
        CommandDataOptionValue::Role(id) => OptionValue::Id(id.get()),
        CommandDataOptionValue::User(id) => OptionValue::Id(id.get()),
        _ => OptionValue::String(String::new()),
    };
    CommandOption {
        name: o.name.clone(),
        value,
    }
}

/// What the router needs: review settings, limits, and the approval workflow's defaults.
#[derive(Debug, Clone, Default)]
pub struct RouterConfig {
    /// Review settings (length limit, signature, company). `reply_language` is set per member.
    pub review: Settings,
    /// How often a member may ask for a quick review.
    pub review_rate: RateLimit,
    /// The single-server defaults, saved for a server on its first use of the workflow.
    pub workflow: WorkflowDefaults,
    /// The networks configured for posting: their limits join a server's reviews when it
    /// posts there.
    pub publishers: Vec<Arc<dyn crate::publish::Publisher>>,
    /// Where members' attachments may be downloaded from (`host` or `host:port`): Discord's
    /// CDN, and the REST proxy when `DISCORD_API_URL` names one. Empty: Discord's CDN only.
    /// An interaction is signed, but the URL inside it is not the bot's to trust blindly.
    pub attachment_hosts: Vec<String>,
}

/// Discord's own attachment hosts.
pub const DISCORD_CDN: [&str; 2] = ["cdn.discordapp.com", "media.discordapp.net"];

impl RouterConfig {
    /// Whether an attachment at `url` may be downloaded: https on Discord's CDN, or a host
    /// listed in [`RouterConfig::attachment_hosts`].
    pub fn attachment_allowed(&self, url: &str) -> bool {
        let Ok(u) = reqwest::Url::parse(url) else {
            return false;
        };
        let Some(host) = u.host_str() else {
            return false;
        };
        let authority = match u.port() {
            Some(p) => format!("{host}:{p}"),
            None => host.to_owned(),
        };
        (u.scheme() == "https" && DISCORD_CDN.contains(&host))
            || self
                .attachment_hosts
                .iter()
                .any(|h| h.eq_ignore_ascii_case(&authority))
    }
}

/// The approval workflow's settings from the command line (`REVIEW_CHANNEL_ID`, ...): a
/// server that never saved settings gets these on first use.
#[derive(Debug, Clone, Default)]
pub struct WorkflowDefaults {
    /// Where review cards go; `None`: the channel where `/submit` was used.
    pub review_channel: Option<u64>,
    pub policy: Policy,
}

/// Routes invocations to handlers. Share one per process (`Arc<Router>`).
pub struct Router {
    pub(crate) config: RouterConfig,
    pub(crate) review_limiter: MemberLimiter,
    /// The approval workflow's store; without it `/submit` and the cards say so.
    pub(crate) store: Option<Arc<dyn Store>>,
    /// Quick reviews' copies of servers' review settings, by guild.
    server_reviews: TtlCache<u64, Settings>,
    /// Quick reviews' copies of members' signatures, by (guild, member).
    signatures: TtlCache<(u64, u64), Option<String>>,
    /// Copies of servers' account histories (what their recent posts were), by guild.
    histories: TtlCache<u64, History>,
    /// Rung when a post becomes due (an approval, an admin's retry): this process's
    /// publishing worker starts a round at once.
    pub post_wake: Arc<tokio::sync::Notify>,
    /// The process's counters (`/metrics`): handlers count reviews and votes here.
    pub metrics: Arc<crate::metrics::Metrics>,
    /// Proposals with images waiting for their alt-text form, and the downloads' client.
    pub(crate) pending_forms: handlers::images::PendingForms,
}

impl std::fmt::Debug for Router {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Router")
            .field("config", &self.config)
            .field("store", &self.store.is_some())
            .finish_non_exhaustive()
    }
}

impl Router {
    pub fn new(config: RouterConfig) -> Router {
        Router {
            review_limiter: MemberLimiter::new(config.review_rate),
            config,
            store: None,
            metrics: Arc::default(),
            post_wake: Arc::default(),
            server_reviews: TtlCache::default(),
            signatures: TtlCache::default(),
            histories: TtlCache::default(),
            pending_forms: Default::default(),
        }
    }

    /// A router with the approval workflow's store.
    pub fn with_store(config: RouterConfig, store: Arc<dyn Store>) -> Router {
        Router {
            store: Some(store),
            ..Router::new(config)
        }
    }

    /// A server's settings; on its first use, the command line's defaults, saved (later
    /// changes go through `/settings`).
    pub(crate) async fn server(
        &self,
        store: &dyn Store,
        inv: &Invocation,
    ) -> Result<ServerSettings, StoreError> {
        let guild = inv.guild_id.unwrap_or_default();
        let mut s = ServerSettings::from_stored(store.settings(GuildId(guild)).await?);
        let lang = inv.guild_locale.as_deref().map(language_of);
        if !s.saved || (s.language.is_none() && lang.is_some()) {
            if !s.saved {
                let d = &self.config.workflow;
                s.policy = d.policy.clone();
                s.review_channel = d.review_channel;
            }
            s.language = s.language.or(lang);
            store
                .put_settings(GuildId(guild), &s.to_stored(), Utc::now())
                .await?;
            s.saved = true;
        }
        Ok(s)
    }

    /// The bot's review settings with a server's tuning (length limit, signatures, company,
    /// team words) and the limits of the networks it posts to.
    fn tuned(&self, server: &ServerSettings) -> Settings {
        let mut settings = server
            .review_settings(&self.config.review)
            .unwrap_or_else(|e| {
                tracing::warn!(error = %e, "the server's team words don't load; ignored");
                self.config.review.clone()
            });
        settings.networks =
            crate::publish::worker::review_networks(&server.to_stored(), &self.config.publishers);
        settings
    }

    /// The member's registered signature, from the store (`cached`: a copy at most
    /// [`super::cache::TTL`] old will do). A database hiccup means no signature: a review still comes.
    async fn signature_of(&self, inv: &Invocation, cached: bool) -> Option<String> {
        let (store, guild) = (self.store.as_deref()?, inv.guild_id?);
        let key = (guild, inv.user_id);
        let now = Instant::now();
        if cached {
            if let Some(sig) = self.signatures.get(&key, now) {
                return sig;
            }
        }
        match store
            .signature(GuildId(guild), crate::workflow::MemberId(inv.user_id))
            .await
        {
            Ok(sig) => {
                self.signatures.put(key, sig.clone(), now);
                sig
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not read the member's signature");
                None
            }
        }
    }

    /// The review settings for a proposal by `inv`'s member (submission, edit): the server's
    /// settings as just read, the member's signature, messages in `reply`.
    pub(crate) async fn review_settings(
        &self,
        inv: &Invocation,
        server: &ServerSettings,
        reply: Language,
    ) -> Settings {
        let mut settings = self.tuned(server);
        settings.reply_language = Some(reply);
        if let Some(lang) = server.language.or(inv.guild_language()) {
            settings.default_language = lang;
        }
        settings.signature = self.signature_of(inv, false).await;
        settings
    }

    /// The review settings for a quick review (`/review`, "Review as tweet"): as
    /// [`Self::review_settings`], from copies at most [`super::cache::TTL`] old, so a tone check costs
    /// no database round trip. Outside a server (or without a store), the bot's own settings.
    pub(crate) async fn quick_review_settings(
        &self,
        inv: &Invocation,
        reply: Language,
    ) -> Settings {
        let mut settings = match (self.store.as_deref(), inv.guild_id) {
            (Some(store), Some(guild)) => {
                let now = Instant::now();
                match self.server_reviews.get(&guild, now) {
                    Some(s) => s,
                    None => match store.settings(GuildId(guild)).await {
                        Ok(stored) => {
                            let s = self.tuned(&ServerSettings::from_stored(stored));
                            self.server_reviews.put(guild, s.clone(), now);
                            s
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, "could not read the server's settings");
                            self.config.review.clone()
                        }
                    },
                }
            }
            _ => self.config.review.clone(),
        };
        settings.reply_language = Some(reply);
        // A tie or a very short text is read in the server's language.
        if let Some(lang) = inv.guild_language() {
            settings.default_language = lang;
        }
        settings.signature = self.signature_of(inv, true).await;
        settings
    }

    /// What the server's account posted lately (its timeline, synced from the networks and
    /// added to by the worker), for the history rules: a copy a few seconds old at most, so a
    /// quick review costs no database round trip. Empty outside a server or without a store.
    pub(crate) async fn history(&self, inv: &Invocation) -> History {
        let (Some(store), Some(guild)) = (self.store.as_deref(), inv.guild_id) else {
            return History::default();
        };
        let now = Instant::now();
        if let Some(h) = self.histories.get(&guild, now) {
            return h;
        }
        match store.recent_classes(GuildId(guild), HISTORY_WINDOW).await {
            Ok(classes) => {
                let h = History::from_classes(classes);
                self.histories.put(guild, h, now);
                h
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not read the server's recent posts");
                History::default()
            }
        }
    }

    /// The server an interaction happens in and the workflow's store, or the member's
    /// refusal: the workflow lives in a server, and needs a database.
    pub(crate) fn workspace(&self, inv: &Invocation) -> Result<(u64, &dyn Store), Box<Response>> {
        let lang = inv.language();
        let refuse = |key| Box::new(Response::Message(embeds::notice(key, lang, &[])));
        let Some(guild) = inv.guild_id else {
            return Err(refuse("submit.guild-only"));
        };
        let Some(store) = self.store.as_deref() else {
            return Err(refuse("submit.no-store"));
        };
        Ok((guild, store))
    }

    /// This process changed a server's settings: its next quick review reads them again.
    pub(crate) fn forget_server(&self, guild: u64) {
        self.server_reviews.forget(&guild);
    }

    /// This process changed a member's signature.
    pub(crate) fn forget_signature(&self, guild: u64, member: u64) {
        self.signatures.forget(&(guild, member));
    }

    /// The answer to give at once when [`Self::handle`] is too slow for an interaction that
    /// can't be deferred: an autocomplete (no choices) and a card's Edit (its form, without
    /// the current text). `None`: a slow answer may be deferred.
    pub fn instant_answer(inv: &Invocation) -> Option<Response> {
        match &inv.action {
            Action::Autocomplete { .. } => Some(Response::Autocomplete(Vec::new())),
            Action::Component { custom_id, .. }
                if custom_id.starts_with(handlers::card::PREFIX) =>
            {
                handlers::card::instant_form(inv, custom_id)
            }
            _ => None,
        }
    }

    /// Whether a command of this name has a handler.
    pub fn handles_command(name: &str) -> bool {
        COMMANDS.contains(&name)
    }

    /// The answer to one invocation. Never fails: whatever goes wrong becomes a message for
    /// the member, in their language.
    ///
    /// `http` posts messages other than the answer (review cards); without it, `/submit`
    /// can't post its card and says so.
    pub async fn handle(&self, inv: &Invocation, http: Option<&Arc<Http>>) -> Response {
        let now = Instant::now();
        match &inv.action {
            Action::Slash { name, .. } if name == handlers::submit::SLASH => {
                handlers::submit::slash(self, inv, http).await
            }
            Action::Modal { custom_id, .. } if custom_id == handlers::submit::MODAL => {
                handlers::submit::modal(self, inv, http).await
            }
            Action::Slash { name, .. } if name == handlers::stats::SLASH => {
                handlers::stats::slash(self, inv).await
            }
            Action::Modal { custom_id, .. }
                if custom_id.starts_with(handlers::images::ALT_MODAL) =>
            {
                handlers::images::modal(self, inv, http, custom_id).await
            }
            Action::MessageMenu { name, target } if name == handlers::images::MESSAGE_MENU => {
                handlers::images::message_menu(self, inv, http, target.as_ref()).await
            }
            Action::Slash { name, .. } if name == handlers::submit::RELAY => {
                handlers::submit::relay(self, inv, http).await
            }
            Action::Component { custom_id, .. } | Action::Modal { custom_id, .. }
                if custom_id.starts_with(handlers::card::PREFIX) =>
            {
                handlers::card::handle(self, inv, http).await
            }
            Action::Slash { name, .. } if name == handlers::queue::QUEUE => {
                handlers::queue::queue(self, inv).await
            }
            Action::Component { custom_id, .. }
                if custom_id.starts_with(handlers::queue::PAGE_PREFIX) =>
            {
                handlers::queue::turn(self, inv, custom_id).await
            }
            Action::Slash { name, .. } if name == handlers::queue::PROPOSAL => {
                handlers::queue::proposal(self, inv).await
            }
            Action::Autocomplete { name, value, .. } if name == handlers::queue::PROPOSAL => {
                handlers::queue::autocomplete(self, inv, value).await
            }
            Action::Slash { name, .. } if name == handlers::guidelines::SLASH => {
                handlers::guidelines::slash(inv)
            }
            Action::Slash { name, .. } if name == handlers::signature::SLASH => {
                handlers::signature::slash(self, inv).await
            }
            Action::Slash { name, .. } if name == handlers::settings::SLASH => {
                handlers::settings::slash(self, inv, http).await
            }
            Action::Autocomplete { name, value, .. } if name == handlers::settings::SLASH => {
                handlers::settings::autocomplete(self, inv, value).await
            }
            Action::Autocomplete { .. } => Response::Autocomplete(Vec::new()),
            Action::Slash { name, .. } if name == handlers::review::SLASH => {
                handlers::review::slash(self, inv, now).await
            }
            Action::MessageMenu { name, target } if name == handlers::review::MESSAGE_MENU => {
                handlers::review::message_menu(self, inv, target.as_ref(), now).await
            }
            _ => Response::Message(embeds::notice("error.unknown-command", inv.language(), &[])),
        }
    }
}
