//! The SQL store, one implementation for both databases through sqlx's `Any` driver: the
//! queries are the same text (`$1` placeholders work in both), and the few differences (how a
//! write transaction takes its lock, how ids are allocated, which migrations) are in
//! [`Backend`]. One implementation means one set of rules to review and test, run by the same
//! contract suite against both databases.

use std::borrow::Cow;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, SubsecRound, Utc};
use futures_core::future::BoxFuture;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::{AnyConnection, AnyPool, ConnectOptions, Executor, Row};
use tracing::{debug, warn};

use super::{
    AuditQuery, AuditRecord, CardRef, GuildAuditRecord, GuildSettings, OutboxEntry, OutboxStatus,
    Pause, ProposalFilter, ProposalSummary, Publication, PublicationResult, PublishOutcome, Store,
    StoreError, INTERACTION_RETENTION,
};
use crate::review::{PostClass, Review};
use crate::workflow::media::{Image, ImageFile};
use crate::workflow::{
    apply, Action, AuditEntry, Conversation, Event, GuildId, Member, MemberId, Override, Policy,
    Proposal, ProposalId, Revision, RoleId, Status, Transition, Vote, VoteKind, WorkflowError,
};
use timeline::{Counts, StoredPost, TimelinePost};

/// How often a process prunes interaction ids past [`INTERACTION_RETENTION`] (a minute).
const PRUNE_EVERY_MICROS: i64 = 60_000_000;

/// How many times a transaction is re-run from its read when another write landed first.
const MAX_ATTEMPTS: u32 = 25;

/// The database behind a [`SqlStore`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// One file, WAL, one writer at a time (`BEGIN IMMEDIATE`), any number of readers.
    Sqlite,
    /// Row locks on the proposal (`FOR UPDATE`) and `SKIP LOCKED` for the outbox.
    Postgres,
}

impl Backend {
    /// Which database a URL names.
    pub fn from_url(url: &str) -> Result<Backend, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl)
        }
    }

    /// A write transaction. SQLite's deferred `BEGIN` would read first and then fail to upgrade
    /// to a write lock when another process wrote in between; `IMMEDIATE` takes the lock first.
    fn begin_write(self) -> &'static str {
        match self {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        }
    }

    /// A read of several tables that must agree with each other.
    fn begin_read(self) -> &'static str {
        match self {
            Backend::Sqlite => "BEGIN",
            Backend::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        }
    }

    /// Appended to the read of the proposal in a write transaction: on PostgreSQL, a second
    /// writer waits here and then reads the first one's result instead of failing later.
    fn lock(self) -> &'static str {
        match self {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE",
        }
    }

    fn skip_locked(self) -> &'static str {
        match self {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }

    fn next_id(self) -> &'static str {
        match self {
            // Under the write lock, so no one else allocates the same.
            Backend::Sqlite => "SELECT COALESCE(MAX(id), 0) + 1 FROM proposals",
            Backend::Postgres => "SELECT nextval('proposals_id_seq')",
        }
    }

    fn migrations(self) -> Embedded {
        match self {
            Backend::Sqlite => Embedded(&[
                (1, "init", include_str!("migrations/sqlite/0001_init.sql")),
                (2, "cards", include_str!("migrations/sqlite/0002_cards.sql")),
                (
                    3,
                    "publications",
                    include_str!("migrations/sqlite/0003_publications.sql"),
                ),
                (
                    4,
                    "interactions",
                    include_str!("migrations/sqlite/0004_interactions.sql"),
                ),
                (
                    5,
                    "pauses",
                    include_str!("migrations/sqlite/0005_pauses.sql"),
                ),
                (
                    6,
                    "thread parts",
                    include_str!("migrations/sqlite/0006_thread_parts.sql"),
                ),
                (7, "media", include_str!("migrations/sqlite/0007_media.sql")),
                (
                    8,
                    "events",
                    include_str!("migrations/sqlite/0008_events.sql"),
                ),
                (
                    9,
                    "timeline",
                    include_str!("migrations/sqlite/0009_timeline.sql"),
                ),
            ]),
            Backend::Postgres => Embedded(&[
                (1, "init", include_str!("migrations/postgres/0001_init.sql")),
                (
                    2,
                    "cards",
                    include_str!("migrations/postgres/0002_cards.sql"),
                ),
                (
                    3,
                    "publications",
                    include_str!("migrations/postgres/0003_publications.sql"),
                ),
                (
                    4,
                    "interactions",
                    include_str!("migrations/postgres/0004_interactions.sql"),
                ),
                (
                    5,
                    "pauses",
                    include_str!("migrations/postgres/0005_pauses.sql"),
                ),
                (
                    6,
                    "thread parts",
                    include_str!("migrations/postgres/0006_thread_parts.sql"),
                ),
                (
                    7,
                    "media",
                    include_str!("migrations/postgres/0007_media.sql"),
                ),
                (
                    8,
                    "events",
                    include_str!("migrations/postgres/0008_events.sql"),
                ),
                (
                    9,
                    "timeline",
                    include_str!("migrations/postgres/0009_timeline.sql"),
                ),
            ]),
        }
    }
}

/// Migrations compiled into the binary, so a deployed bot needs no files beside it.
#[derive(Debug)]
struct Embedded(&'static [(i64, &'static str, &'static str)]);

impl<'s> MigrationSource<'s> for Embedded {
    fn resolve(
        self,
    ) -> BoxFuture<'s, Result<Vec<Migration>, Box<dyn std::error::Error + Send + Sync>>> {
        Box::pin(async move {
            Ok(self
                .0
                .iter()
                .map(|(version, name, sql)| {
                    Migration::new(
                        *version,
                        Cow::Borrowed(*name),
                        MigrationType::Simple,
                        Cow::Borrowed(*sql),
                        false,
                    )
                })
                .collect())
        })
    }
}

/// The store over SQLite or PostgreSQL.
#[derive(Debug, Clone)]
pub struct SqlStore {
    /// Reads.
    pool: AnyPool,
    /// Write transactions. On SQLite a single connection: only one writer can hold the file's
    /// lock anyway, and waiting in the pool's queue is far quicker than SQLite's busy handler,
    /// which sleeps in milliseconds. Another process still waits on the busy handler.
    writer: AnyPool,
    backend: Backend,
    /// When this process last pruned old interaction ids (microseconds since the epoch).
    pruned_at: Arc<AtomicI64>,
}

impl SqlStore {
    /// Connects, creating a SQLite file if needed, and runs the migrations.
    ///
    /// Two processes starting on a new SQLite file at once contend for it while it is set up
    /// (the switch to WAL, the migrations): the one that loses starts over a few times, after
    /// the other had time to finish, and then finds the file ready.
    #[tracing::instrument(level = "info", skip_all, fields(backend))]
    pub async fn open(url: &str) -> Result<SqlStore, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        tracing::Span::current().record("backend", tracing::field::debug(backend));
        let mut attempt: u32 = 0;
        loop {
            match SqlStore::open_once(url, backend).await {
                Err(e @ (StoreError::Database(_) | StoreError::Migrate(_)))
                    if backend == Backend::Sqlite && attempt < 5 =>
                {
                    attempt += 1;
                    warn!(error = %e, attempt, "opening the SQLite file failed; trying again");
                    tokio::time::sleep(Duration::from_millis(200 * u64::from(attempt))).await;
                }
                other => return other,
            }
        }
    }

    async fn open_once(url: &str, backend: Backend) -> Result<SqlStore, StoreError> {
        let (pool, writer) = match backend {
            Backend::Sqlite => {
                let url = if url.contains("mode=") {
                    url.to_owned()
                } else if url.contains('?') {
                    format!("{url}&mode=rwc")
                } else {
                    format!("{url}?mode=rwc")
                };
                let options = connect_options(&url)?;
                let sqlite_pool = |size: u32| {
                    AnyPoolOptions::new()
                        .max_connections(size)
                        .after_connect(|conn, _| {
                            Box::pin(async move {
                                // Writers of another process queue on the lock rather than
                                // fail at once; a transaction here is short.
                                conn.execute("PRAGMA busy_timeout = 30000").await?;
                                conn.execute("PRAGMA foreign_keys = ON").await?;
                                Ok(())
                            })
                        })
                        .connect_with(options.clone())
                };
                let writer = sqlite_pool(1).await.map_err(StoreError::Database)?;
                // WAL is a property of the file: readers never block the writer, and a killed
                // process leaves a log that the next open replays or discards whole. Set before
                // the readers open.
                sqlx::query("PRAGMA journal_mode = WAL")
                    .execute(&writer)
                    .await
                    .map_err(StoreError::Database)?;
                (sqlite_pool(8).await.map_err(StoreError::Database)?, writer)
            }
            Backend::Postgres => {
                let options = connect_options(url)?;
                let pool = AnyPoolOptions::new()
                    .max_connections(10)
                    .connect_with(options)
                    .await
                    .map_err(StoreError::Database)?;
                (pool.clone(), pool)
            }
        };
        let migrator = Migrator::new(backend.migrations())
            .await
            .map_err(StoreError::Migrate)?;
        // PostgreSQL serialises concurrent migrators with an advisory lock; SQLite has none, so
        // two processes starting on a new file at once can collide: the loser tries again and
        // then finds the migrations applied.
        let mut attempt: u32 = 0;
        while let Err(e) = migrator.run(&writer).await {
            attempt += 1;
            // Each migration is its own transaction, so a loaded machine can interleave the two
            // starters more than once: a few more tries, each after the other had time.
            if attempt >= 8 {
                return Err(StoreError::Migrate(e));
            }
            warn!(error = %e, "migration failed; trying again");
            tokio::time::sleep(Duration::from_millis(100 * u64::from(attempt))).await;
        }
        Ok(SqlStore {
            pool,
            writer,
            backend,
            pruned_at: Arc::default(),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes the pool, waiting for connections to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
        self.writer.close().await;
    }
}

/// Options from a URL, with every statement logged at `debug` only (slow ones still warn):
/// the bot's `info` log is for what people did, not for SQL.
fn connect_options(url: &str) -> Result<AnyConnectOptions, StoreError> {
    let options: AnyConnectOptions = url.parse().map_err(StoreError::Database)?;
    Ok(options.log_statements(log::LevelFilter::Debug))
}

/// Runs `$body` (which uses `$conn: &mut AnyConnection`) in a write transaction, committing on
/// success and re-running the whole body, read included, when another write landed first.
macro_rules! write_tx {
    ($store:expr, |$conn:ident| $body:expr) => {{
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let result = async {
                let mut tx = $store
                    .writer
                    .begin_with($store.backend.begin_write())
                    .await
                    .map_err(db)?;
                let $conn: &mut AnyConnection = &mut tx;
                let value = $body.await?;
                tx.commit().await.map_err(db)?;
                Ok::<_, StoreError>(value)
            }
            .await;
            match result {
                Err(StoreError::Conflict) if attempt < MAX_ATTEMPTS => {
                    debug!(attempt, "write conflict; retrying from the read");
                    backoff(attempt).await;
                }
                other => break other,
            }
        }
    }};
}

// Per-network publications and schedules: uses `write_tx!` and the helpers of this file.
#[path = "publications.rs"]
mod publications;

// Images of proposals: staged uploads and each revision's media.
#[path = "media.rs"]
mod media;

// A server's pause and its server-level audit trail.
#[path = "pauses.rs"]
mod pauses;
#[path = "timeline.rs"]
pub mod timeline;
use pauses::NOT_PAUSED;
pub use pauses::{ACTION_PAUSE, ACTION_UNPAUSE};

// Lifecycle events (EVENTS_WEBHOOK_URL): written with the change, claimed by deliverers.
#[path = "events.rs"]
mod events;

/// A short, growing, jittered pause so racing writers don't collide again in lockstep.
async fn backoff(attempt: u32) {
    let nanos = Utc::now().timestamp_subsec_nanos();
    let micros = 200 * u64::from(attempt.min(10)) + u64::from(nanos % 500);
    tokio::time::sleep(Duration::from_micros(micros)).await;
}

/// Classifies a database error: the ones another writer caused become [`StoreError::Conflict`]
/// (retried), the rest stay database errors.
fn db(e: sqlx::Error) -> StoreError {
    let retry = match &e {
        sqlx::Error::Database(d) => {
            matches!(d.kind(), sqlx::error::ErrorKind::UniqueViolation)
                || matches!(
                    d.code().as_deref(),
                    // PostgreSQL: serialization failure, deadlock.
                    Some("40001") | Some("40P01")
                    // SQLite: busy, busy recovery, busy snapshot, locked.
                    | Some("5") | Some("261") | Some("517") | Some("6")
                )
        }
        _ => false,
    };
    if retry {
        debug!(error = %e, "retryable database error");
        StoreError::Conflict
    } else {
        StoreError::Database(e)
    }
}

/// Times are stored as microseconds; truncating on the way in makes what is written and what
/// is read back equal.
fn micros_now(now: DateTime<Utc>) -> DateTime<Utc> {
    now.trunc_subsecs(6)
}

fn to_micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

fn from_micros(v: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp_micros(v)
        .ok_or_else(|| StoreError::Corrupt(format!("timestamp out of range: {v}")))
}

/// Discord ids are u64 but fit the 63 bits a signed column holds; the cast round-trips anyway.
fn id64(v: u64) -> i64 {
    v as i64
}

pub(super) fn uid(v: i64) -> u64 {
    v as u64
}

fn u32_of(v: i64, what: &str) -> Result<u32, StoreError> {
    u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("{what} out of range: {v}")))
}

fn get<'r, T>(row: &'r AnyRow, col: &str) -> Result<T, StoreError>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    row.try_get(col).map_err(StoreError::Database)
}

fn json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn status_of(s: &str) -> Result<Status, StoreError> {
    Status::parse(s).ok_or_else(|| StoreError::Corrupt(format!("unknown status {s:?}")))
}

const PROPOSAL_COLUMNS: &str =
    "id, guild_id, author_id, status, version, remote_id, created_at, updated_at";

/// Reads a whole proposal; in a write transaction with `lock`, holding it until commit.
async fn load(
    conn: &mut AnyConnection,
    backend: Backend,
    id: ProposalId,
    lock: bool,
) -> Result<Option<Proposal>, StoreError> {
    let sql = format!(
        "SELECT {PROPOSAL_COLUMNS} FROM proposals WHERE id = $1{}",
        if lock { backend.lock() } else { "" }
    );
    let Some(row) = sqlx::query(&sql)
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?
    else {
        return Ok(None);
    };
    let mut revisions = Vec::new();
    let rows = sqlx::query(
        "SELECT number, text, hash, review, created_at, override_by, override_reason, override_at, \
         conversation FROM revisions WHERE proposal_id = $1 ORDER BY number",
    )
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    for r in rows {
        let overridden = match (
            get::<Option<i64>>(&r, "override_by")?,
            get::<Option<String>>(&r, "override_reason")?,
            get::<Option<i64>>(&r, "override_at")?,
        ) {
            (Some(by), Some(reason), Some(at)) => Some(Override {
                by: MemberId(uid(by)),
                reason,
                at: from_micros(at)?,
            }),
            _ => None,
        };
        revisions.push(Revision {
            number: u32_of(get(&r, "number")?, "revision")?,
            text: get(&r, "text")?,
            hash: get(&r, "hash")?,
            review: json::<Review>(&get::<String>(&r, "review")?, "review")?,
            created_at: from_micros(get(&r, "created_at")?)?,
            overridden,
            conversation: conversation_of(get(&r, "conversation")?)?,
            images: Vec::new(),
        });
    }
    media::attach(conn, id, &mut revisions).await?;
    if revisions.is_empty() {
        return Err(StoreError::Corrupt(format!(
            "proposal {id} has no revision"
        )));
    }
    let votes = sqlx::query(
        "SELECT revision, member_id, kind, reason, roles, at FROM votes \
         WHERE proposal_id = $1 ORDER BY revision, member_id",
    )
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?
    .iter()
    .map(|r| {
        let kind: String = get(r, "kind")?;
        Ok(Vote {
            member: MemberId(uid(get(r, "member_id")?)),
            revision: u32_of(get(r, "revision")?, "vote revision")?,
            kind: VoteKind::parse(&kind)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown vote {kind:?}")))?,
            reason: get(r, "reason")?,
            roles: json::<Vec<RoleId>>(&get::<String>(r, "roles")?, "roles")?,
            at: from_micros(get(r, "at")?)?,
        })
    })
    .collect::<Result<Vec<_>, StoreError>>()?;
    let audit = sqlx::query(
        "SELECT at, actor_id, action, revision, from_status, to_status, detail \
         FROM audit_log WHERE proposal_id = $1 ORDER BY seq",
    )
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?
    .iter()
    .map(audit_entry)
    .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(Some(Proposal {
        id,
        guild: GuildId(uid(get(&row, "guild_id")?)),
        author: MemberId(uid(get(&row, "author_id")?)),
        status: status_of(&get::<String>(&row, "status")?)?,
        version: u64::try_from(get::<i64>(&row, "version")?)
            .map_err(|_| StoreError::Corrupt("negative version".into()))?,
        revisions,
        votes,
        audit,
        created_at: from_micros(get(&row, "created_at")?)?,
        updated_at: from_micros(get(&row, "updated_at")?)?,
        remote_id: get(&row, "remote_id")?,
    }))
}

fn audit_entry(r: &AnyRow) -> Result<AuditEntry, StoreError> {
    let action: String = get(r, "action")?;
    Ok(AuditEntry {
        at: from_micros(get(r, "at")?)?,
        actor: get::<Option<i64>>(r, "actor_id")?.map(|a| MemberId(uid(a))),
        action: Action::parse(&action)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown action {action:?}")))?,
        revision: u32_of(get(r, "revision")?, "audit revision")?,
        from: get::<Option<String>>(r, "from_status")?
            .map(|s| status_of(&s))
            .transpose()?,
        to: status_of(&get::<String>(r, "to_status")?)?,
        detail: get(r, "detail")?,
    })
}

async fn load_settings(
    conn: &mut AnyConnection,
    guild: GuildId,
) -> Result<GuildSettings, StoreError> {
    let row = sqlx::query("SELECT settings FROM guild_settings WHERE guild_id = $1")
        .bind(id64(guild.0))
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?;
    match row {
        Some(row) => json(&get::<String>(&row, "settings")?, "guild settings"),
        None => Ok(GuildSettings::default()),
    }
}

async fn policy_of(conn: &mut AnyConnection, guild: GuildId) -> Result<Policy, StoreError> {
    Ok(load_settings(conn, guild).await?.policy)
}

/// Writes what `t` changed since `before` (`None`: a new proposal), conditioned on the version
/// read: if it moved, nothing is written and the caller retries.
async fn write(
    conn: &mut AnyConnection,
    before: Option<&Proposal>,
    t: &Transition,
) -> Result<(), StoreError> {
    let p = &t.proposal;
    let version = i64::try_from(p.version).map_err(|_| StoreError::Corrupt("version".into()))?;
    match before {
        None => {
            sqlx::query(
                "INSERT INTO proposals (id, guild_id, author_id, status, version, current_revision, \
                 remote_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(p.id.0)
            .bind(id64(p.guild.0))
            .bind(id64(p.author.0))
            .bind(p.status.as_str())
            .bind(version)
            .bind(i64::from(p.current().number))
            .bind(p.remote_id.clone())
            .bind(to_micros(p.created_at))
            .bind(to_micros(p.updated_at))
            .execute(&mut *conn)
            .await
            .map_err(db)?;
        }
        Some(old) => {
            let done = sqlx::query(
                "UPDATE proposals SET status = $1, version = $2, current_revision = $3, \
                 remote_id = $4, updated_at = $5 WHERE id = $6 AND version = $7",
            )
            .bind(p.status.as_str())
            .bind(version)
            .bind(i64::from(p.current().number))
            .bind(p.remote_id.clone())
            .bind(to_micros(p.updated_at))
            .bind(p.id.0)
            .bind(i64::try_from(old.version).map_err(|_| StoreError::Corrupt("version".into()))?)
            .execute(&mut *conn)
            .await
            .map_err(db)?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict);
            }
        }
    }
    let old_revisions = before.map_or(&[][..], |o| &o.revisions[..]);
    for (i, r) in p.revisions.iter().enumerate() {
        let (by, reason, at) = match &r.overridden {
            Some(o) => (
                Some(id64(o.by.0)),
                Some(o.reason.clone()),
                Some(to_micros(o.at)),
            ),
            None => (None, None, None),
        };
        match old_revisions.get(i) {
            None => {
                sqlx::query(
                    "INSERT INTO revisions (proposal_id, number, text, hash, review, created_at, \
                     override_by, override_reason, override_at, conversation) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(p.id.0)
                .bind(i64::from(r.number))
                .bind(r.text.clone())
                .bind(r.hash.clone())
                .bind(to_json(&r.review)?)
                .bind(to_micros(r.created_at))
                .bind(by)
                .bind(reason)
                .bind(at)
                .bind(r.conversation.as_ref().map(to_json).transpose()?)
                .execute(&mut *conn)
                .await
                .map_err(db)?;
                media::insert_revision(conn, p.id, r).await?;
            }
            Some(old) if old.overridden != r.overridden => {
                sqlx::query(
                    "UPDATE revisions SET override_by = $1, override_reason = $2, override_at = $3 \
                     WHERE proposal_id = $4 AND number = $5",
                )
                .bind(by)
                .bind(reason)
                .bind(at)
                .bind(p.id.0)
                .bind(i64::from(r.number))
                .execute(&mut *conn)
                .await
                .map_err(db)?;
            }
            Some(_) => {}
        }
    }
    let old_votes = before.map_or(&[][..], |o| &o.votes[..]);
    for v in &p.votes {
        let old = old_votes
            .iter()
            .find(|o| o.revision == v.revision && o.member == v.member);
        let sql = match old {
            Some(o) if o == v => continue,
            // A changed vote replaces the standing one: the row's key is the voter.
            Some(_) => {
                "UPDATE votes SET kind = $4, reason = $5, roles = $6, at = $7 \
                 WHERE proposal_id = $1 AND revision = $2 AND member_id = $3"
            }
            None => {
                "INSERT INTO votes (proposal_id, revision, member_id, kind, reason, roles, at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)"
            }
        };
        sqlx::query(sql)
            .bind(p.id.0)
            .bind(i64::from(v.revision))
            .bind(id64(v.member.0))
            .bind(v.kind.as_str())
            .bind(v.reason.clone())
            .bind(to_json(&v.roles)?)
            .bind(to_micros(v.at))
            .execute(&mut *conn)
            .await
            .map_err(db)?;
    }
    let e = &t.entry;
    sqlx::query(
        "INSERT INTO audit_log (proposal_id, guild_id, seq, at, actor_id, action, revision, \
         from_status, to_status, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(p.id.0)
    .bind(id64(p.guild.0))
    .bind(version)
    .bind(to_micros(e.at))
    .bind(e.actor.map(|a| id64(a.0)))
    .bind(e.action.as_str())
    .bind(i64::from(e.revision))
    .bind(e.from.map(Status::as_str))
    .bind(e.to.as_str())
    .bind(e.detail.clone())
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    if t.enqueue_post {
        let r = p.current();
        sqlx::query(
            "INSERT INTO outbox (proposal_id, guild_id, revision, text, status, attempts, due_at, \
             created_at, updated_at, conversation) VALUES ($1, $2, $3, $4, $5, 0, $6, $6, $6, $7)",
        )
        .bind(p.id.0)
        .bind(id64(p.guild.0))
        .bind(i64::from(r.number))
        .bind(r.text.clone())
        .bind(OutboxStatus::Pending.as_str())
        .bind(to_micros(p.updated_at))
        .bind(r.conversation.as_ref().map(to_json).transpose()?)
        .execute(&mut *conn)
        .await
        .map_err(db)?;
        publications::hold_until_scheduled(conn, p.id).await?;
    } else if let Some(status) = OutboxStatus::following(p.status) {
        sqlx::query(
            "UPDATE outbox SET status = $1, updated_at = $2 WHERE proposal_id = $3 AND status <> $1",
        )
        .bind(status.as_str())
        .bind(to_micros(p.updated_at))
        .bind(p.id.0)
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    }
    // The webhook's event, committed with the change it describes.
    events::record_transition(conn, t).await?;
    Ok(())
}

/// Reads a proposal for a write (of `guild`, when given), or "no such proposal".
async fn load_for_write(
    conn: &mut AnyConnection,
    backend: Backend,
    guild: Option<GuildId>,
    id: ProposalId,
) -> Result<Proposal, StoreError> {
    Ok(load(conn, backend, id, true)
        .await?
        .filter(|p| guild.is_none_or(|g| g == p.guild))
        .ok_or(WorkflowError::NoSuchProposal)?)
}

/// Reads a proposal, applies one event and writes it: the heart of every change.
async fn apply_in(
    conn: &mut AnyConnection,
    backend: Backend,
    guild: Option<GuildId>,
    id: ProposalId,
    event: &Event,
    now: DateTime<Utc>,
) -> Result<Transition, StoreError> {
    let before = load_for_write(conn, backend, guild, id).await?;
    if before.status.is_open() && publications::checks_schedule(event) {
        let at = publications::scheduled_at(conn, id).await?;
        if let Some(late) = publications::too_late(at, now) {
            return Err(late.into());
        }
    }
    let policy = policy_of(conn, before.guild).await?;
    let t = apply(Some(&before), event, &policy, now)?;
    write(conn, Some(&before), &t).await?;
    Ok(t)
}

const OUTBOX_COLUMNS: &str = "id, proposal_id, guild_id, revision, text, conversation, status, \
     attempts, due_at, claimed_by, last_error";

/// A stored conversation (JSON), or none.
fn conversation_of(stored: Option<String>) -> Result<Option<Conversation>, StoreError> {
    stored
        .map(|s| json::<Conversation>(&s, "conversation"))
        .transpose()
}

fn outbox_entry(r: &AnyRow) -> Result<OutboxEntry, StoreError> {
    let status: String = get(r, "status")?;
    Ok(OutboxEntry {
        id: get(r, "id")?,
        proposal: ProposalId(get(r, "proposal_id")?),
        guild: GuildId(uid(get(r, "guild_id")?)),
        revision: u32_of(get(r, "revision")?, "outbox revision")?,
        text: get(r, "text")?,
        conversation: conversation_of(get(r, "conversation")?)?,
        status: OutboxStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown outbox status {status:?}")))?,
        attempts: u32_of(get(r, "attempts")?, "attempts")?,
        due_at: from_micros(get(r, "due_at")?)?,
        claimed_by: get(r, "claimed_by")?,
        last_error: get(r, "last_error")?,
    })
}

/// A proposal's outbox entry, read from the pool or inside a transaction.
async fn outbox_row<'e>(
    from: impl Executor<'e, Database = sqlx::Any>,
    id: ProposalId,
) -> Result<Option<OutboxEntry>, StoreError> {
    let sql = format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE proposal_id = $1");
    sqlx::query(&sql)
        .bind(id.0)
        .fetch_optional(from)
        .await
        .map_err(db)?
        .as_ref()
        .map(outbox_entry)
        .transpose()
}

#[async_trait]
impl Store for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, fields(guild = %guild, author = %author.id))]
    async fn submit(
        &self,
        guild: GuildId,
        author: &Member,
        text: &str,
        conversation: Option<&Conversation>,
        review: &Review,
        now: DateTime<Utc>,
    ) -> Result<Transition, StoreError> {
        self.submit_with_images(guild, author, text, conversation, &[], review, now)
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(guild = %guild, author = %author.id))]
    async fn submit_with_images(
        &self,
        guild: GuildId,
        author: &Member,
        text: &str,
        conversation: Option<&Conversation>,
        images: &[Image],
        review: &Review,
        now: DateTime<Utc>,
    ) -> Result<Transition, StoreError> {
        let now = micros_now(now);
        write_tx!(self, |conn| async {
            let row = sqlx::query(self.backend.next_id())
                .fetch_one(&mut *conn)
                .await
                .map_err(db)?;
            let id = ProposalId(row.try_get(0).map_err(StoreError::Database)?);
            let event = Event::Submit {
                id,
                guild,
                author: author.clone(),
                text: text.to_owned(),
                review: review.clone(),
                conversation: conversation.cloned(),
                images: images.to_vec(),
            };
            let policy = policy_of(conn, guild).await?;
            let t = apply(None, &event, &policy, now)?;
            write(conn, None, &t).await?;
            Ok::<_, StoreError>(t)
        })
    }

    #[tracing::instrument(level = "debug", skip_all, fields(guild = %guild, proposal = %id, action = event.action().as_str()))]
    async fn apply(
        &self,
        guild: GuildId,
        id: ProposalId,
        event: &Event,
        now: DateTime<Utc>,
    ) -> Result<Transition, StoreError> {
        let now = micros_now(now);
        write_tx!(self, |conn| apply_in(
            conn,
            self.backend,
            Some(guild),
            id,
            event,
            now
        ))
    }

    async fn stage_image(&self, file: &ImageFile, now: DateTime<Utc>) -> Result<(), StoreError> {
        self.stage_image_in(file, now).await
    }

    async fn images(&self, id: ProposalId, revision: u32) -> Result<Vec<ImageFile>, StoreError> {
        self.images_of(id, revision).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(proposal = %id))]
    async fn proposal(&self, id: ProposalId) -> Result<Option<Proposal>, StoreError> {
        let mut tx = self
            .pool
            .begin_with(self.backend.begin_read())
            .await
            .map_err(db)?;
        let p = load(&mut tx, self.backend, id, false).await?;
        tx.commit().await.map_err(db)?;
        Ok(p)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(guild = %filter.guild))]
    async fn list(&self, filter: &ProposalFilter) -> Result<Vec<ProposalSummary>, StoreError> {
        let mut sql = String::from(
            "SELECT p.id, p.guild_id, p.author_id, p.status, p.current_revision, p.updated_at, \
             r.text, c.channel_id, c.message_id FROM proposals p JOIN revisions r \
             ON r.proposal_id = p.id AND r.number = p.current_revision \
             LEFT JOIN cards c ON c.proposal_id = p.id WHERE p.guild_id = $1",
        );
        let mut n = 1;
        if filter.status.is_some() {
            n += 1;
            sql.push_str(&format!(" AND p.status = ${n}"));
        }
        if filter.author.is_some() {
            n += 1;
            sql.push_str(&format!(" AND p.author_id = ${n}"));
        }
        sql.push_str(&format!(" ORDER BY p.id DESC LIMIT ${}", n + 1));
        let mut q = sqlx::query(&sql).bind(id64(filter.guild.0));
        if let Some(s) = filter.status {
            q = q.bind(s.as_str());
        }
        if let Some(a) = filter.author {
            q = q.bind(id64(a.0));
        }
        q.bind(i64::from(filter.limit))
            .fetch_all(&self.pool)
            .await
            .map_err(db)?
            .iter()
            .map(|r| {
                Ok(ProposalSummary {
                    id: ProposalId(get(r, "id")?),
                    guild: GuildId(uid(get(r, "guild_id")?)),
                    author: MemberId(uid(get(r, "author_id")?)),
                    status: status_of(&get::<String>(r, "status")?)?,
                    revision: u32_of(get(r, "current_revision")?, "revision")?,
                    text: get(r, "text")?,
                    updated_at: from_micros(get(r, "updated_at")?)?,
                    card: match (
                        get::<Option<i64>>(r, "channel_id")?,
                        get::<Option<i64>>(r, "message_id")?,
                    ) {
                        (Some(channel), Some(message)) => Some(CardRef {
                            channel_id: uid(channel),
                            message_id: uid(message),
                        }),
                        _ => None,
                    },
                })
            })
            .collect()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(guild = %guild))]
    async fn settings(&self, guild: GuildId) -> Result<GuildSettings, StoreError> {
        let mut conn = self.pool.acquire().await.map_err(db)?;
        load_settings(&mut conn, guild).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(guild = %guild))]
    async fn put_settings(
        &self,
        guild: GuildId,
        settings: &GuildSettings,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        settings.policy.validate()?;
        sqlx::query(
            "INSERT INTO guild_settings (guild_id, settings, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (guild_id) DO UPDATE SET settings = excluded.settings, \
             updated_at = excluded.updated_at",
        )
        .bind(id64(guild.0))
        .bind(to_json(settings)?)
        .bind(to_micros(now))
        .execute(&self.writer)
        .await
        .map_err(db)?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all, fields(guild = %guild, member = %member))]
    async fn signature(
        &self,
        guild: GuildId,
        member: MemberId,
    ) -> Result<Option<String>, StoreError> {
        let row =
            sqlx::query("SELECT signature FROM signatures WHERE guild_id = $1 AND member_id = $2")
                .bind(id64(guild.0))
                .bind(id64(member.0))
                .fetch_optional(&self.pool)
                .await
                .map_err(db)?;
        row.map(|r| get(&r, "signature")).transpose()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(guild = %guild))]
    async fn signatures(&self, guild: GuildId) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query("SELECT DISTINCT signature FROM signatures WHERE guild_id = $1")
            .bind(id64(guild.0))
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(|r| get(r, "signature")).collect()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(guild = %guild, member = %member))]
    async fn set_signature(
        &self,
        guild: GuildId,
        member: MemberId,
        signature: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let q = match signature {
            Some(sig) => sqlx::query(
                "INSERT INTO signatures (guild_id, member_id, signature, updated_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (guild_id, member_id) DO UPDATE \
                 SET signature = excluded.signature, updated_at = excluded.updated_at",
            )
            .bind(id64(guild.0))
            .bind(id64(member.0))
            .bind(sig.to_owned())
            .bind(to_micros(now)),
            None => sqlx::query("DELETE FROM signatures WHERE guild_id = $1 AND member_id = $2")
                .bind(id64(guild.0))
                .bind(id64(member.0)),
        };
        q.execute(&self.writer).await.map_err(db)?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all, fields(proposal = %id))]
    async fn set_card(
        &self,
        id: ProposalId,
        card: CardRef,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO cards (proposal_id, channel_id, message_id, updated_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (proposal_id) DO UPDATE \
             SET channel_id = excluded.channel_id, message_id = excluded.message_id, \
             updated_at = excluded.updated_at",
        )
        .bind(id.0)
        .bind(id64(card.channel_id))
        .bind(id64(card.message_id))
        .bind(to_micros(now))
        .execute(&self.writer)
        .await
        .map_err(db)?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all, fields(proposal = %id))]
    async fn card(&self, id: ProposalId) -> Result<Option<CardRef>, StoreError> {
        let row = sqlx::query("SELECT channel_id, message_id FROM cards WHERE proposal_id = $1")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.map(|r| {
            Ok(CardRef {
                channel_id: uid(get(&r, "channel_id")?),
                message_id: uid(get(&r, "message_id")?),
            })
        })
        .transpose()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(worker = worker))]
    async fn claim_post(
        &self,
        worker: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<OutboxEntry>, StoreError> {
        let now = micros_now(now);
        let sql = format!(
            "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE status = $1 AND due_at <= $2 \
             AND {NOT_PAUSED} ORDER BY due_at, id LIMIT 1{}",
            self.backend.skip_locked()
        );
        // Entries whose proposal can no longer be posted are cancelled on the way; keep
        // looking until one is claimed or none is due.
        loop {
            let claimed: Option<Option<OutboxEntry>> = write_tx!(self, |conn| async {
                let Some(row) = sqlx::query(&sql)
                    .bind(OutboxStatus::Pending.as_str())
                    .bind(to_micros(now))
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(db)?
                else {
                    return Ok(None);
                };
                let mut entry = outbox_entry(&row)?;
                match apply_in(
                    conn,
                    self.backend,
                    None,
                    entry.proposal,
                    &Event::PublishStarted,
                    now,
                )
                .await
                {
                    Ok(_) => {
                        sqlx::query(
                            "UPDATE outbox SET attempts = attempts + 1, claimed_by = $1, \
                             claimed_at = $2 WHERE id = $3",
                        )
                        .bind(worker.to_owned())
                        .bind(to_micros(now))
                        .bind(entry.id)
                        .execute(&mut *conn)
                        .await
                        .map_err(db)?;
                        entry.status = OutboxStatus::Publishing;
                        entry.attempts += 1;
                        entry.claimed_by = Some(worker.to_owned());
                        Ok(Some(Some(entry)))
                    }
                    Err(StoreError::Refused(why)) => {
                        warn!(proposal = %entry.proposal, reason = %why, "outbox entry can't be posted; cancelled");
                        sqlx::query(
                            "UPDATE outbox SET status = $1, last_error = $2, updated_at = $3 \
                             WHERE id = $4",
                        )
                        .bind(OutboxStatus::Cancelled.as_str())
                        .bind(why.to_string())
                        .bind(to_micros(now))
                        .bind(entry.id)
                        .execute(&mut *conn)
                        .await
                        .map_err(db)?;
                        Ok(Some(None))
                    }
                    Err(e) => Err(e),
                }
            })?;
            match claimed {
                None => return Ok(None),
                Some(Some(entry)) => return Ok(Some(entry)),
                Some(None) => continue,
            }
        }
    }

    #[tracing::instrument(level = "debug", skip_all, fields(proposal = %id))]
    async fn record_post(
        &self,
        id: ProposalId,
        outcome: &PublishOutcome,
        now: DateTime<Utc>,
    ) -> Result<Transition, StoreError> {
        let now = micros_now(now);
        let event = outcome.event();
        write_tx!(self, |conn| async {
            let t = apply_in(conn, self.backend, None, id, &event, now).await?;
            if let PublishOutcome::Failed { error, retry_at } = outcome {
                let (status, due) = match retry_at {
                    Some(at) => (OutboxStatus::Pending, to_micros(*at)),
                    None => (OutboxStatus::Failed, to_micros(now)),
                };
                sqlx::query(
                    "UPDATE outbox SET status = $1, due_at = $2, last_error = $3, updated_at = $4 \
                     WHERE proposal_id = $5",
                )
                .bind(status.as_str())
                .bind(due)
                .bind(error.clone())
                .bind(to_micros(now))
                .bind(id.0)
                .execute(&mut *conn)
                .await
                .map_err(db)?;
            }
            Ok::<_, StoreError>(t)
        })
    }

    #[tracing::instrument(level = "debug", skip_all, fields(proposal = %id))]
    async fn outbox(&self, id: ProposalId) -> Result<Option<OutboxEntry>, StoreError> {
        outbox_row(&self.pool, id).await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn audit(&self, query: &AuditQuery) -> Result<Vec<AuditRecord>, StoreError> {
        audit_rows(
            &self.pool,
            "SELECT proposal_id, guild_id, seq, at, actor_id, action, revision, from_status, \
             to_status, detail FROM audit_log",
            "at, proposal_id, seq",
            query,
        )
        .await?
        .iter()
        .map(|r| {
            Ok(AuditRecord {
                proposal: ProposalId(get(r, "proposal_id")?),
                guild: GuildId(uid(get(r, "guild_id")?)),
                seq: u64::try_from(get::<i64>(r, "seq")?)
                    .map_err(|_| StoreError::Corrupt("negative audit seq".into()))?,
                entry: audit_entry(r)?,
            })
        })
        .collect()
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all, fields(interaction = id))]
    async fn claim_interaction(&self, id: u64, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let now_us = to_micros(now);
        let last = self.pruned_at.load(Ordering::Relaxed);
        if now_us.saturating_sub(last) >= PRUNE_EVERY_MICROS
            && self
                .pruned_at
                .compare_exchange(last, now_us, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            let retention = i64::try_from(INTERACTION_RETENTION.as_micros()).unwrap_or(i64::MAX);
            let pruned = sqlx::query("DELETE FROM interactions WHERE seen_at < $1")
                .bind(now_us.saturating_sub(retention))
                .execute(&self.writer)
                .await
                .map_err(db)?;
            debug!(
                pruned = pruned.rows_affected(),
                "old interaction ids pruned"
            );
        }
        let inserted = sqlx::query(
            "INSERT INTO interactions (id, seen_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING",
        )
        .bind(id64(id))
        .bind(now_us)
        .execute(&self.writer)
        .await
        .map_err(db)?;
        Ok(inserted.rows_affected() == 1)
    }

    async fn publications(&self, id: ProposalId) -> Result<Vec<Publication>, StoreError> {
        self.publications_of(id).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(proposal = %claim.proposal, network))]
    async fn prepare_publication(
        &self,
        claim: &OutboxEntry,
        network: &str,
        part: u32,
        key: &str,
        now: DateTime<Utc>,
    ) -> Result<Publication, StoreError> {
        self.prepare_publication_in(claim, network, part, key, now)
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(proposal = %claim.proposal, network))]
    async fn start_publication(
        &self,
        claim: &OutboxEntry,
        network: &str,
        part: u32,
        now: DateTime<Utc>,
    ) -> Result<Publication, StoreError> {
        self.start_publication_in(claim, network, part, now).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(proposal = %claim.proposal, network))]
    async fn finish_publication(
        &self,
        claim: &OutboxEntry,
        network: &str,
        part: u32,
        result: &PublicationResult,
        now: DateTime<Utc>,
    ) -> Result<Publication, StoreError> {
        self.finish_publication_in(claim, network, part, result, now)
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(worker))]
    async fn resume_posts(
        &self,
        worker: &str,
        stale_before: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Vec<OutboxEntry>, StoreError> {
        self.resume_posts_in(worker, stale_before, now).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(guild = %guild, proposal = %id))]
    async fn retry_post(
        &self,
        guild: GuildId,
        id: ProposalId,
        by: &Member,
        now: DateTime<Utc>,
    ) -> Result<OutboxEntry, StoreError> {
        self.retry_post_in(guild, id, by, now).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(guild = %guild, proposal = %id))]
    async fn reconcile_post(
        &self,
        guild: GuildId,
        id: ProposalId,
        by: &Member,
        posted: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Transition, StoreError> {
        self.reconcile_post_in(guild, id, by, posted, now).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(guild = %guild, proposal = %id))]
    async fn set_schedule(
        &self,
        guild: GuildId,
        id: ProposalId,
        at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.set_schedule_in(guild, id, at, now).await
    }

    async fn schedule(&self, id: ProposalId) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.schedule_of(id).await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn expire_missed(&self, now: DateTime<Utc>) -> Result<Vec<Transition>, StoreError> {
        self.expire_missed_in(now).await
    }

    async fn pause(&self, guild: GuildId) -> Result<Option<Pause>, StoreError> {
        self.pause_of(guild).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(guild = %guild, paused = pause.is_some()))]
    async fn set_pause(
        &self,
        guild: GuildId,
        by: MemberId,
        pause: Option<Option<&str>>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.set_pause_in(guild, by, pause, now).await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn guild_audit(&self, query: &AuditQuery) -> Result<Vec<GuildAuditRecord>, StoreError> {
        self.guild_audit_of(query).await
    }

    async fn save_timeline(
        &self,
        guild: GuildId,
        posts: &[TimelinePost],
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        self.save_timeline_in(guild, posts, now).await
    }

    async fn recent_classes(&self, guild: GuildId, n: usize) -> Result<Vec<PostClass>, StoreError> {
        self.recent_classes_of(guild, n).await
    }

    async fn record_engagement(
        &self,
        guild: GuildId,
        network: &str,
        post_id: &str,
        checkpoint: &str,
        counts: &Counts,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.record_engagement_in(guild, network, post_id, checkpoint, counts, at)
            .await
    }

    async fn timeline(
        &self,
        guild: GuildId,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<StoredPost>, StoreError> {
        self.timeline_of(guild, since).await
    }

    async fn guilds(&self) -> Result<Vec<GuildId>, StoreError> {
        self.guilds_of().await
    }
}

/// The rows of an audit read (`select` with no `WHERE`, ordered by `order`) from `query.since`
/// on, of one server when `query.guild` says so: the proposals' trail and the servers' trail
/// filter the same way.
pub(super) async fn audit_rows(
    pool: &AnyPool,
    select: &str,
    order: &str,
    query: &AuditQuery,
) -> Result<Vec<sqlx::any::AnyRow>, StoreError> {
    let guild = if query.guild.is_some() {
        " AND guild_id = $2"
    } else {
        ""
    };
    let sql = format!("{select} WHERE at >= $1{guild} ORDER BY {order}");
    let mut q = sqlx::query(&sql).bind(query.since.map_or(i64::MIN, to_micros));
    if let Some(g) = query.guild {
        q = q.bind(id64(g.0));
    }
    q.fetch_all(pool).await.map_err(db)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_picks_the_backend() {
        assert_eq!(
            Backend::from_url("sqlite://tweetguard.db").ok(),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            Backend::from_url("sqlite:data/tg.db").ok(),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            Backend::from_url("postgres://tg:secret@db/tg").ok(),
            Some(Backend::Postgres)
        );
        assert_eq!(
            Backend::from_url("postgresql://db/tg").ok(),
            Some(Backend::Postgres)
        );
        assert!(matches!(
            Backend::from_url("mysql://db/tg"),
            Err(StoreError::UnsupportedUrl)
        ));
    }

    #[test]
    fn times_round_trip_at_microsecond_precision() {
        let t = micros_now(Utc::now());
        assert_eq!(from_micros(to_micros(t)).ok(), Some(t));
    }

    #[test]
    fn discord_ids_round_trip_through_signed_columns() {
        for id in [0, 1, 1_234_567_890_123_456_789, u64::MAX] {
            assert_eq!(uid(id64(id)), id);
        }
    }
}
