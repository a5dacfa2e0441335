//! Publishing, per network, and schedules: the SQL behind the `Store` methods the publishing
//! worker and the admins' buttons use.
//!
//! A child of `sql` (for its transaction macro and helpers). The exactly-once argument rests
//! on two conditions checked inside each write transaction:
//! - the worker still holds its claim on the outbox entry (same `claimed_by` and `attempts`,
//!   the entry still `publishing`): a worker taken over after it was thought dead can't write;
//! - a publication is marked `sending` (committed) before its request leaves, and only from
//!   `pending` or `failed`: after a crash, `sending` means "maybe posted" and is resolved by a
//!   lookup, never by sending again.

use std::collections::hash_map::{Entry, HashMap};

use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::AnyConnection;

use tracing::debug;

use crate::review::thread;

use super::{
    apply_in, backoff, db, from_micros, get, load_for_write, micros_now, outbox_entry, outbox_row,
    to_micros, u32_of, uid, Backend, SqlStore, MAX_ATTEMPTS, NOT_PAUSED, OUTBOX_COLUMNS,
};
use crate::store::{
    OutboxEntry, OutboxStatus, Publication, PublicationResult, PublicationStatus, Store, StoreError,
};
use crate::workflow::{
    Action, Event, GuildId, Member, Policy, ProposalId, ReconcileOutcome, Status, Transition,
    WorkflowError,
};

const PUBLICATION_COLUMNS: &str =
    "proposal_id, network, part, status, key, remote_id, remote_cid, \
     url, attempts, last_error, updated_at";

fn publication(r: &AnyRow) -> Result<Publication, StoreError> {
    let status: String = get(r, "status")?;
    Ok(Publication {
        proposal: ProposalId(get(r, "proposal_id")?),
        network: get(r, "network")?,
        part: u32_of(get(r, "part")?, "publication part")?,
        status: PublicationStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown publication {status:?}")))?,
        key: get(r, "key")?,
        remote_id: get(r, "remote_id")?,
        remote_cid: get(r, "remote_cid")?,
        url: get(r, "url")?,
        attempts: u32_of(get(r, "attempts")?, "publication attempts")?,
        last_error: get(r, "last_error")?,
        updated_at: from_micros(get(r, "updated_at")?)?,
    })
}

/// Fails with [`StoreError::LostClaim`] unless `claim` still holds its outbox entry; on
/// PostgreSQL the entry stays locked until commit, so a take-over waits for this write.
async fn held(
    conn: &mut AnyConnection,
    backend: Backend,
    claim: &OutboxEntry,
) -> Result<(), StoreError> {
    let sql = format!(
        "SELECT status, claimed_by, attempts FROM outbox WHERE id = $1{}",
        backend.lock()
    );
    let row = sqlx::query(&sql)
        .bind(claim.id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?
        .ok_or(StoreError::LostClaim)?;
    let status: String = get(&row, "status")?;
    let by: Option<String> = get(&row, "claimed_by")?;
    let attempts = u32_of(get(&row, "attempts")?, "attempts")?;
    if status == OutboxStatus::Publishing.as_str()
        && by == claim.claimed_by
        && attempts == claim.attempts
    {
        Ok(())
    } else {
        Err(StoreError::LostClaim)
    }
}

async fn read_publication(
    conn: &mut AnyConnection,
    id: ProposalId,
    network: &str,
    part: u32,
) -> Result<Option<Publication>, StoreError> {
    let sql = format!(
        "SELECT {PUBLICATION_COLUMNS} FROM publications \
         WHERE proposal_id = $1 AND network = $2 AND part = $3"
    );
    sqlx::query(&sql)
        .bind(id.0)
        .bind(network.to_owned())
        .bind(i64::from(part))
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?
        .as_ref()
        .map(publication)
        .transpose()
}

/// Whether every network that has started the proposal has posted all `parts` of it.
async fn thread_complete(
    conn: &mut AnyConnection,
    id: ProposalId,
    parts: usize,
) -> Result<bool, StoreError> {
    let rows = sqlx::query(
        "SELECT network, SUM(CASE WHEN status = $2 THEN 1 ELSE 0 END) AS posted \
         FROM publications WHERE proposal_id = $1 GROUP BY network",
    )
    .bind(id.0)
    .bind(PublicationStatus::Posted.as_str())
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    for row in &rows {
        let posted: i64 = get(row, "posted")?;
        if usize::try_from(posted).unwrap_or(0) < parts {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The scheduled time of a proposal, if any.
pub(super) async fn scheduled_at(
    conn: &mut AnyConnection,
    id: ProposalId,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    let row = sqlx::query("SELECT scheduled_at FROM schedules WHERE proposal_id = $1")
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?;
    row.map(|r| from_micros(get(&r, "scheduled_at")?))
        .transpose()
}

/// A new outbox entry is not due before the proposal's scheduled time.
pub(super) async fn hold_until_scheduled(
    conn: &mut AnyConnection,
    id: ProposalId,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE outbox SET due_at = (SELECT scheduled_at FROM schedules WHERE proposal_id = $1) \
         WHERE proposal_id = $1 AND due_at < (SELECT scheduled_at FROM schedules WHERE proposal_id = $1)",
    )
    .bind(id.0)
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    Ok(())
}

/// Under a claim that is still held, changes one publication with `update` (bound in full),
/// which must touch exactly that row; then reads the row back.
async fn change_held<'q>(
    conn: &mut AnyConnection,
    backend: Backend,
    claim: &OutboxEntry,
    network: &str,
    part: u32,
    update: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
) -> Result<Publication, StoreError> {
    held(conn, backend, claim).await?;
    let done = update.execute(&mut *conn).await.map_err(db)?;
    if done.rows_affected() != 1 {
        return Err(StoreError::LostClaim);
    }
    read_publication(conn, claim.proposal, network, part)
        .await?
        .ok_or_else(|| StoreError::Corrupt("publication vanished".into()))
}

impl SqlStore {
    pub(super) async fn publications_of(
        &self,
        id: ProposalId,
    ) -> Result<Vec<Publication>, StoreError> {
        let sql = format!(
            "SELECT {PUBLICATION_COLUMNS} FROM publications WHERE proposal_id = $1 \
             ORDER BY network, part"
        );
        sqlx::query(&sql)
            .bind(id.0)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?
            .iter()
            .map(publication)
            .collect()
    }

    pub(super) async fn prepare_publication_in(
        &self,
        claim: &OutboxEntry,
        network: &str,
        part: u32,
        key: &str,
        now: DateTime<Utc>,
    ) -> Result<Publication, StoreError> {
        let now = micros_now(now);
        write_tx!(self, |conn| async {
            held(conn, self.backend, claim).await?;
            if let Some(p) = read_publication(conn, claim.proposal, network, part).await? {
                return Ok(p);
            }
            sqlx::query(
                "INSERT INTO publications (proposal_id, network, part, status, key, attempts, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 0, $6, $6)",
            )
            .bind(claim.proposal.0)
            .bind(network.to_owned())
            .bind(i64::from(part))
            .bind(PublicationStatus::Pending.as_str())
            .bind(key.to_owned())
            .bind(to_micros(now))
            .execute(&mut *conn)
            .await
            .map_err(db)?;
            read_publication(conn, claim.proposal, network, part)
                .await?
                .ok_or_else(|| StoreError::Corrupt("publication vanished".into()))
        })
    }

    pub(super) async fn start_publication_in(
        &self,
        claim: &OutboxEntry,
        network: &str,
        part: u32,
        now: DateTime<Utc>,
    ) -> Result<Publication, StoreError> {
        let now = micros_now(now);
        write_tx!(self, |conn| change_held(
            conn,
            self.backend,
            claim,
            network,
            part,
            sqlx::query(
                "UPDATE publications SET status = $1, attempts = attempts + 1, updated_at = $2 \
                 WHERE proposal_id = $3 AND network = $4 AND part = $5 AND status IN ($6, $7)",
            )
            .bind(PublicationStatus::Sending.as_str())
            .bind(to_micros(now))
            .bind(claim.proposal.0)
            .bind(network.to_owned())
            .bind(i64::from(part))
            .bind(PublicationStatus::Pending.as_str())
            .bind(PublicationStatus::Failed.as_str()),
        ))
    }

    pub(super) async fn finish_publication_in(
        &self,
        claim: &OutboxEntry,
        network: &str,
        part: u32,
        result: &PublicationResult,
        now: DateTime<Utc>,
    ) -> Result<Publication, StoreError> {
        let now = micros_now(now);
        let (status, remote_id, cid, url, error) = match result {
            PublicationResult::Posted {
                remote_id,
                cid,
                url,
            } => (
                PublicationStatus::Posted,
                Some(remote_id.clone()),
                cid.clone(),
                url.clone(),
                None,
            ),
            PublicationResult::Failed { error } => (
                PublicationStatus::Failed,
                None,
                None,
                None,
                Some(error.clone()),
            ),
            PublicationResult::Unknown { detail } => (
                PublicationStatus::Unknown,
                None,
                None,
                None,
                Some(detail.clone()),
            ),
        };
        write_tx!(self, |conn| change_held(
            conn,
            self.backend,
            claim,
            network,
            part,
            sqlx::query(
                "UPDATE publications SET status = $1, remote_id = COALESCE($2, remote_id), \
                 remote_cid = COALESCE($3, remote_cid), url = COALESCE($4, url), \
                 last_error = $5, updated_at = $6 \
                 WHERE proposal_id = $7 AND network = $8 AND part = $9 AND status IN ($10, $11)",
            )
            .bind(status.as_str())
            .bind(remote_id.clone())
            .bind(cid.clone())
            .bind(url.clone())
            .bind(error.clone())
            .bind(to_micros(now))
            .bind(claim.proposal.0)
            .bind(network.to_owned())
            .bind(i64::from(part))
            .bind(PublicationStatus::Sending.as_str())
            .bind(PublicationStatus::Unknown.as_str()),
        ))
    }

    pub(super) async fn resume_posts_in(
        &self,
        worker: &str,
        stale_before: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Vec<OutboxEntry>, StoreError> {
        let now = micros_now(now);
        let sql = format!(
            "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE status = $1 \
             AND (claimed_by = $2 OR claimed_at IS NULL OR claimed_at < $3) AND {NOT_PAUSED} \
             ORDER BY id{}",
            self.backend.skip_locked()
        );
        write_tx!(self, |conn| async {
            let rows = sqlx::query(&sql)
                .bind(OutboxStatus::Publishing.as_str())
                .bind(worker.to_owned())
                .bind(to_micros(stale_before))
                .fetch_all(&mut *conn)
                .await
                .map_err(db)?;
            let mut taken = Vec::new();
            for row in &rows {
                let mut entry = outbox_entry(row)?;
                let done = sqlx::query(
                    "UPDATE outbox SET attempts = attempts + 1, claimed_by = $1, claimed_at = $2 \
                     WHERE id = $3 AND attempts = $4 AND status = $5",
                )
                .bind(worker.to_owned())
                .bind(to_micros(now))
                .bind(entry.id)
                .bind(i64::from(entry.attempts))
                .bind(OutboxStatus::Publishing.as_str())
                .execute(&mut *conn)
                .await
                .map_err(db)?;
                if done.rows_affected() == 1 {
                    entry.attempts += 1;
                    entry.claimed_by = Some(worker.to_owned());
                    taken.push(entry);
                }
            }
            Ok::<_, StoreError>(taken)
        })
    }

    pub(super) async fn retry_post_in(
        &self,
        guild: GuildId,
        id: ProposalId,
        by: &Member,
        now: DateTime<Utc>,
    ) -> Result<OutboxEntry, StoreError> {
        let now = micros_now(now);
        write_tx!(self, |conn| async {
            let p = load_for_write(conn, self.backend, Some(guild), id).await?;
            if !by.is_admin {
                return Err(WorkflowError::NotAdmin.into());
            }
            if p.status != Status::Failed {
                return Err(WorkflowError::NotNow {
                    status: p.status,
                    action: Action::PublishStarted,
                }
                .into());
            }
            sqlx::query(
                "UPDATE outbox SET status = $1, due_at = $2, updated_at = $2 \
                 WHERE proposal_id = $3 AND status IN ($1, $4)",
            )
            .bind(OutboxStatus::Pending.as_str())
            .bind(to_micros(now))
            .bind(id.0)
            .bind(OutboxStatus::Failed.as_str())
            .execute(&mut *conn)
            .await
            .map_err(db)?;
            outbox_row(&mut *conn, id)
                .await?
                .ok_or_else(|| StoreError::Corrupt(format!("proposal {id} has no outbox entry")))
        })
    }

    pub(super) async fn reconcile_post_in(
        &self,
        guild: GuildId,
        id: ProposalId,
        by: &Member,
        posted: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Transition, StoreError> {
        let now = micros_now(now);
        let note = format!("decided by {}", by.id);
        write_tx!(self, |conn| async {
            let p = load_for_write(conn, self.backend, Some(guild), id).await?;
            let parts = thread::parts(&p.current().text).len();
            let to = if posted.is_some() {
                PublicationStatus::Posted
            } else {
                PublicationStatus::Failed
            };
            sqlx::query(
                "UPDATE publications SET status = $1, last_error = $2, updated_at = $3 \
                 WHERE proposal_id = $4 AND status IN ($5, $6)",
            )
            .bind(to.as_str())
            .bind(note.clone())
            .bind(to_micros(now))
            .bind(id.0)
            .bind(PublicationStatus::Sending.as_str())
            .bind(PublicationStatus::Unknown.as_str())
            .execute(&mut *conn)
            .await
            .map_err(db)?;
            // A thread confirmed up to a part: the rest is still to post.
            let rest_to_post = posted.is_some() && !thread_complete(conn, id, parts).await?;
            let outcome = match posted {
                Some(remote_id) if rest_to_post => ReconcileOutcome::PartPosted {
                    remote_id: remote_id.to_owned(),
                },
                Some(remote_id) => ReconcileOutcome::Posted {
                    remote_id: remote_id.to_owned(),
                },
                None => ReconcileOutcome::NotPosted,
            };
            let event = Event::Reconciled {
                by: Some(by.clone()),
                outcome,
            };
            let t = apply_in(conn, self.backend, Some(guild), id, &event, now).await?;
            if posted.is_none() || rest_to_post {
                sqlx::query(
                    "UPDATE outbox SET status = $1, due_at = $2, updated_at = $2 \
                     WHERE proposal_id = $3",
                )
                .bind(OutboxStatus::Pending.as_str())
                .bind(to_micros(now))
                .bind(id.0)
                .execute(&mut *conn)
                .await
                .map_err(db)?;
            }
            Ok::<_, StoreError>(t)
        })
    }

    pub(super) async fn set_schedule_in(
        &self,
        guild: GuildId,
        id: ProposalId,
        at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let now = micros_now(now);
        let at = at.map(micros_now);
        write_tx!(self, |conn| async {
            let p = load_for_write(conn, self.backend, Some(guild), id).await?;
            if !(p.status.is_open() || p.status == Status::Approved) {
                return Err(WorkflowError::NotNow {
                    status: p.status,
                    action: Action::Edit,
                }
                .into());
            }
            match at {
                Some(at) => {
                    sqlx::query(
                        "INSERT INTO schedules (proposal_id, scheduled_at, updated_at) \
                         VALUES ($1, $2, $3) ON CONFLICT (proposal_id) DO UPDATE \
                         SET scheduled_at = excluded.scheduled_at, updated_at = excluded.updated_at",
                    )
                    .bind(id.0)
                    .bind(to_micros(at))
                    .bind(to_micros(now))
                    .execute(&mut *conn)
                    .await
                    .map_err(db)?;
                    if p.status == Status::Approved {
                        sqlx::query(
                            "UPDATE outbox SET due_at = $1, updated_at = $2 \
                             WHERE proposal_id = $3 AND status = $4",
                        )
                        .bind(to_micros(at))
                        .bind(to_micros(now))
                        .bind(id.0)
                        .bind(OutboxStatus::Pending.as_str())
                        .execute(&mut *conn)
                        .await
                        .map_err(db)?;
                    }
                }
                None => {
                    sqlx::query("DELETE FROM schedules WHERE proposal_id = $1")
                        .bind(id.0)
                        .execute(&mut *conn)
                        .await
                        .map_err(db)?;
                }
            }
            Ok::<_, StoreError>(())
        })
    }

    pub(super) async fn schedule_of(
        &self,
        id: ProposalId,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let mut conn = self.pool.acquire().await.map_err(db)?;
        scheduled_at(&mut conn, id).await
    }

    pub(super) async fn expire_missed_in(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Vec<Transition>, StoreError> {
        let now = micros_now(now);
        let due = sqlx::query(
            "SELECT s.proposal_id, s.scheduled_at FROM schedules s \
             JOIN proposals p ON p.id = s.proposal_id \
             WHERE p.status IN ($1, $2) AND s.scheduled_at <= $3 ORDER BY s.proposal_id",
        )
        .bind(Status::Pending.as_str())
        .bind(Status::ChangesRequested.as_str())
        .bind(to_micros(now))
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        let mut done = Vec::new();
        for row in &due {
            let id = ProposalId(get(row, "proposal_id")?);
            let at = from_micros(get(row, "scheduled_at")?)?;
            let event = Event::MissedSchedule { at };
            match write_tx!(self, |conn| apply_in(
                conn,
                self.backend,
                None,
                id,
                &event,
                now
            )) {
                Ok(t) => done.push(t),
                // Someone approved, withdrew or rescheduled it meanwhile.
                Err(StoreError::Refused(_)) => {}
                Err(e) => return Err(e),
            }
        }
        done.extend(self.expire_waited_too_long(now).await?);
        Ok(done)
    }

    /// Open proposals whose latest revision waited longer than their server's expiry (seven
    /// days by default) without a decision. Each server's policy is read once and the due time
    /// computed here, so only proposals actually due take the write lock; the workflow checks
    /// again inside the transaction.
    async fn expire_waited_too_long(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Vec<Transition>, StoreError> {
        // No policy expires sooner than an hour: younger revisions are not even looked at.
        let candidates = sqlx::query(
            "SELECT p.id, p.guild_id, r.created_at FROM proposals p JOIN revisions r \
             ON r.proposal_id = p.id AND r.number = p.current_revision \
             WHERE p.status IN ($1, $2) AND r.created_at <= $3 ORDER BY p.id",
        )
        .bind(Status::Pending.as_str())
        .bind(Status::ChangesRequested.as_str())
        .bind(to_micros(now - chrono::TimeDelta::hours(1)))
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        let mut policies: HashMap<u64, Policy> = HashMap::new();
        let mut done = Vec::new();
        for row in &candidates {
            let id = ProposalId(get(row, "id")?);
            let guild = uid(get(row, "guild_id")?);
            let since = from_micros(get(row, "created_at")?)?;
            let policy = match policies.entry(guild) {
                Entry::Occupied(e) => e.into_mut(),
                Entry::Vacant(e) => e.insert(self.settings(GuildId(guild)).await?.policy),
            };
            let due = policy.expires_at(since);
            if now < due {
                continue;
            }
            match write_tx!(self, |conn| apply_in(
                conn,
                self.backend,
                None,
                id,
                &Event::Expire,
                now
            )) {
                Ok(t) => done.push(t),
                // Decided, edited or withdrawn meanwhile.
                Err(StoreError::Refused(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(done)
    }
}

/// Whether an event on an open proposal comes too late for its schedule.
pub(super) fn checks_schedule(event: &Event) -> bool {
    !matches!(
        event,
        Event::Expire
            | Event::MissedSchedule { .. }
            | Event::Withdraw { .. }
            | Event::Reject { .. }
    )
}

/// The refusal for an event on an open proposal once its scheduled time has passed: it was not
/// approved in time, and approving it now would post it late.
pub(super) fn too_late(at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Option<WorkflowError> {
    at.filter(|at| now >= *at)
        .map(|at| WorkflowError::Expired { at })
}
