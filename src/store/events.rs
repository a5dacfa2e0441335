//! The lifecycle events' outbox (`events` table): written in the transaction of the change
//! each describes ([`record_transition`] from `write`, [`record_pause`] from the pause), and
//! claimed, marked delivered or rescheduled by the deliverers of any process.
//!
//! A child of `sql` (for its helpers). Two deliverers never hold the same event at once: a
//! claim is a conditioned update (`claimed_until` past or unset) in a write transaction
//! (SQLite's single writer; PostgreSQL's `FOR UPDATE SKIP LOCKED`), and it lasts a lease, so a
//! crashed deliverer's events are taken again once it runs out. Events of one subject go out
//! in order: one is not claimed while an earlier one of its subject is undelivered.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use tracing::debug;

use super::{
    backoff, db, from_micros, get, id64, micros_now, to_micros, u32_of, uid, SqlStore, MAX_ATTEMPTS,
};
use crate::events::{self, NewEvent, PostLink, StoredEvent};
use crate::store::{PublicationStatus, StoreError};
use crate::workflow::{GuildId, MemberId, Transition};

const COLUMNS: &str = "seq, id, name, guild_id, subject, body, created_at, attempts, due_at, \
     claimed_by, delivered_at, last_error";

/// Claimable events, oldest first: undelivered, due, unclaimed (or the claim ran out), and the
/// first undelivered one of their subject.
const CLAIMABLE: &str = "FROM events e WHERE e.delivered_at IS NULL AND e.due_at <= $1 \
     AND (e.claimed_until IS NULL OR e.claimed_until <= $1) \
     AND NOT EXISTS (SELECT 1 FROM events b WHERE b.subject = e.subject AND b.seq < e.seq \
     AND b.delivered_at IS NULL) ORDER BY e.seq LIMIT 1";

fn stored(r: &AnyRow) -> Result<StoredEvent, StoreError> {
    Ok(StoredEvent {
        seq: get(r, "seq")?,
        id: get(r, "id")?,
        name: get(r, "name")?,
        guild: GuildId(uid(get(r, "guild_id")?)),
        subject: get(r, "subject")?,
        body: get(r, "body")?,
        created_at: from_micros(get(r, "created_at")?)?,
        attempts: u32_of(get(r, "attempts")?, "event attempts")?,
        due_at: from_micros(get(r, "due_at")?)?,
        claimed_by: get(r, "claimed_by")?,
        delivered_at: get::<Option<i64>>(r, "delivered_at")?
            .map(from_micros)
            .transpose()?,
        last_error: get(r, "last_error")?,
    })
}

fn fresh_id() -> String {
    events::new_id(rand::random::<u128>())
}

async fn insert(conn: &mut AnyConnection, e: &NewEvent) -> Result<(), StoreError> {
    let at = to_micros(e.at);
    sqlx::query(
        "INSERT INTO events (id, name, guild_id, subject, body, created_at, attempts, due_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 0, $6)",
    )
    .bind(e.id.clone())
    .bind(e.name.as_str())
    .bind(id64(e.guild.0))
    .bind(e.subject.clone())
    .bind(e.body.clone())
    .bind(at)
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    Ok(())
}

/// Records the event a proposal's transition is, if any, in the transaction writing it. A
/// `post.*` event names where the proposal was posted (read in the same transaction).
pub(super) async fn record_transition(
    conn: &mut AnyConnection,
    t: &Transition,
) -> Result<(), StoreError> {
    let Some(name) = events::name_of(&t.entry) else {
        return Ok(());
    };
    let links = if name.is_post() {
        posted_links(conn, t).await?
    } else {
        Vec::new()
    };
    if let Some(e) = events::proposal_event(fresh_id(), &t.proposal, &t.entry, &links) {
        insert(conn, &e).await?;
    }
    Ok(())
}

async fn posted_links(
    conn: &mut AnyConnection,
    t: &Transition,
) -> Result<Vec<PostLink>, StoreError> {
    sqlx::query(
        "SELECT network, part, remote_id, url FROM publications \
         WHERE proposal_id = $1 AND status = $2 ORDER BY network, part",
    )
    .bind(t.proposal.id.0)
    .bind(PublicationStatus::Posted.as_str())
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?
    .iter()
    .map(|r| {
        Ok(PostLink {
            network: get(r, "network")?,
            part: u32_of(get(r, "part")?, "publication part")?,
            id: get(r, "remote_id")?,
            url: get(r, "url")?,
        })
    })
    .collect()
}

/// Records `posting.paused` (`Some(reason)`) or `posting.resumed` (`None`), in the
/// transaction of the pause.
pub(super) async fn record_pause(
    conn: &mut AnyConnection,
    guild: GuildId,
    by: MemberId,
    pause: Option<Option<&str>>,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    insert(
        conn,
        &events::posting_event(fresh_id(), guild, by, pause, at),
    )
    .await
}

fn delta(d: Duration) -> TimeDelta {
    TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX)
}

impl SqlStore {
    /// Claims the oldest deliverable event for `worker` until `now + lease`; `None` when none
    /// is due. Nothing is locked when there is nothing to do (a read first).
    #[tracing::instrument(level = "debug", skip_all, fields(worker = worker))]
    pub async fn claim_event(
        &self,
        worker: &str,
        lease: Duration,
        now: DateTime<Utc>,
    ) -> Result<Option<StoredEvent>, StoreError> {
        let now = micros_now(now);
        let now_us = to_micros(now);
        let until = to_micros(now.checked_add_signed(delta(lease)).unwrap_or(now));
        let peek = format!("SELECT e.seq {CLAIMABLE}");
        let due = sqlx::query(&peek)
            .bind(now_us)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        if due.is_none() {
            return Ok(None);
        }
        let pick = format!("SELECT {COLUMNS} {CLAIMABLE}{}", self.backend.skip_locked());
        write_tx!(self, |conn| async {
            let Some(row) = sqlx::query(&pick)
                .bind(now_us)
                .fetch_optional(&mut *conn)
                .await
                .map_err(db)?
            else {
                return Ok(None);
            };
            let mut event = stored(&row)?;
            let done = sqlx::query(
                "UPDATE events SET attempts = attempts + 1, claimed_by = $1, claimed_until = $2 \
                 WHERE seq = $3 AND delivered_at IS NULL \
                 AND (claimed_until IS NULL OR claimed_until <= $4)",
            )
            .bind(worker.to_owned())
            .bind(until)
            .bind(event.seq)
            .bind(now_us)
            .execute(&mut *conn)
            .await
            .map_err(db)?;
            if done.rows_affected() != 1 {
                // Claimed by another deliverer since the read: try again from the read.
                return Err(StoreError::Conflict);
            }
            event.attempts += 1;
            event.claimed_by = Some(worker.to_owned());
            Ok::<_, StoreError>(Some(event))
        })
    }

    /// The receiver took `event`: it is never sent again. `false` when it was already marked
    /// (another deliverer, after this one's claim ran out, sent it too: receivers drop the
    /// repeat by its id).
    pub async fn event_delivered(
        &self,
        event: &StoredEvent,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE events SET delivered_at = $1, claimed_by = NULL, claimed_until = NULL, \
             last_error = NULL WHERE seq = $2 AND delivered_at IS NULL",
        )
        .bind(to_micros(micros_now(now)))
        .bind(event.seq)
        .execute(&self.writer)
        .await
        .map_err(db)?;
        Ok(done.rows_affected() == 1)
    }

    /// The attempt failed: `event` is due again at `retry_at`, unless this deliverer no longer
    /// holds it (then whoever does decides). `error` is kept for people to read.
    pub async fn event_failed(
        &self,
        event: &StoredEvent,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE events SET due_at = $1, last_error = $2, claimed_by = NULL, \
             claimed_until = NULL WHERE seq = $3 AND delivered_at IS NULL \
             AND claimed_by = $4 AND attempts = $5",
        )
        .bind(to_micros(micros_now(retry_at)))
        .bind(error.to_owned())
        .bind(event.seq)
        .bind(event.claimed_by.clone())
        .bind(i64::from(event.attempts))
        .execute(&self.writer)
        .await
        .map_err(db)?;
        Ok(done.rows_affected() == 1)
    }

    /// Forgets delivered events delivered before `delivered_before`, and, when given, events
    /// nobody ever tried to deliver created before `undelivered_before` (used when no
    /// endpoint is configured: nobody will take them). Returns how many were removed.
    pub async fn prune_events(
        &self,
        delivered_before: DateTime<Utc>,
        undelivered_before: Option<DateTime<Utc>>,
    ) -> Result<u64, StoreError> {
        let mut n =
            sqlx::query("DELETE FROM events WHERE delivered_at IS NOT NULL AND delivered_at < $1")
                .bind(to_micros(delivered_before))
                .execute(&self.writer)
                .await
                .map_err(db)?
                .rows_affected();
        if let Some(before) = undelivered_before {
            // Only events no deliverer ever tried: a process that has an endpoint (sharing the
            // database with one that has none) keeps its own work.
            let sql = "DELETE FROM events WHERE delivered_at IS NULL AND attempts = 0 \
                       AND created_at < $1";
            n += sqlx::query(sql)
                .bind(to_micros(before))
                .execute(&self.writer)
                .await
                .map_err(db)?
                .rows_affected();
        }
        Ok(n)
    }

    /// Every stored event, oldest first (delivered ones until they are pruned).
    pub async fn events(&self) -> Result<Vec<StoredEvent>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM events ORDER BY seq");
        sqlx::query(&sql)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?
            .iter()
            .map(stored)
            .collect()
    }
}
