//! A server's pause (`/settings pause on|off`) and the server-level audit trail it writes to.
//!
//! A child of `sql` (for its transaction macro and helpers). The pause is a row in
//! `guild_pauses` while it lasts; the publishing worker's claim ([`NOT_PAUSED`]) skips a paused
//! server's outbox entries in the claim's own query, so every process sharing the database
//! stops posting for that server from the next claim on, and the entries simply wait (their
//! proposals stay `approved`: reviews and votes go on). Each change is written, in the same
//! transaction, to `guild_audit`, which `tweetguard export` merges with the proposals' trails.

use chrono::{DateTime, Utc};
use sqlx::AnyConnection;
use tracing::debug;

use super::{
    backoff, db, from_micros, get, id64, micros_now, to_micros, uid, SqlStore, MAX_ATTEMPTS,
};
use crate::store::{AuditQuery, GuildAuditRecord, Pause, StoreError};
use crate::workflow::{GuildId, MemberId};

/// The SQL condition, on a query over `outbox`, that leaves out paused servers' entries.
pub(super) const NOT_PAUSED: &str =
    "NOT EXISTS (SELECT 1 FROM guild_pauses gp WHERE gp.guild_id = outbox.guild_id)";

/// The `guild_audit` action of a pause and of its end.
pub const ACTION_PAUSE: &str = "pause";
pub const ACTION_UNPAUSE: &str = "unpause";

impl SqlStore {
    pub(super) async fn pause_of(&self, guild: GuildId) -> Result<Option<Pause>, StoreError> {
        let row = sqlx::query(
            "SELECT paused_by, reason, paused_at FROM guild_pauses WHERE guild_id = $1",
        )
        .bind(id64(guild.0))
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        row.map(|r| {
            Ok(Pause {
                by: MemberId(uid(get(&r, "paused_by")?)),
                reason: get(&r, "reason")?,
                since: from_micros(get(&r, "paused_at")?)?,
            })
        })
        .transpose()
    }

    pub(super) async fn set_pause_in(
        &self,
        guild: GuildId,
        by: MemberId,
        pause: Option<Option<&str>>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let now = to_micros(micros_now(now));
        let (g, actor) = (id64(guild.0), id64(by.0));
        write_tx!(self, |conn| async {
            let (changed, action, detail) = match pause {
                Some(reason) => {
                    // Pausing again replaces the reason (and says so in the trail).
                    sqlx::query(
                        "INSERT INTO guild_pauses (guild_id, paused_by, reason, paused_at) \
                         VALUES ($1, $2, $3, $4) ON CONFLICT (guild_id) DO UPDATE SET \
                         paused_by = excluded.paused_by, reason = excluded.reason",
                    )
                    .bind(g)
                    .bind(actor)
                    .bind(reason.map(str::to_owned))
                    .bind(now)
                    .execute(&mut *conn)
                    .await
                    .map_err(db)?;
                    (true, ACTION_PAUSE, reason.map(str::to_owned))
                }
                None => {
                    let gone = sqlx::query("DELETE FROM guild_pauses WHERE guild_id = $1")
                        .bind(g)
                        .execute(&mut *conn)
                        .await
                        .map_err(db)?;
                    (gone.rows_affected() == 1, ACTION_UNPAUSE, None)
                }
            };
            if changed {
                sqlx::query(
                    "INSERT INTO guild_audit (guild_id, at, actor_id, action, detail) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(g)
                .bind(now)
                .bind(actor)
                .bind(action)
                .bind(detail)
                .execute(&mut *conn)
                .await
                .map_err(db)?;
                super::events::record_pause(conn, guild, by, pause, from_micros(now)?).await?;
            }
            Ok::<_, StoreError>(changed)
        })
    }

    pub(super) async fn guild_audit_of(
        &self,
        query: &AuditQuery,
    ) -> Result<Vec<GuildAuditRecord>, StoreError> {
        super::audit_rows(
            &self.pool,
            "SELECT guild_id, at, actor_id, action, detail FROM guild_audit",
            "at, id",
            query,
        )
        .await?
        .iter()
        .map(|r| {
            Ok(GuildAuditRecord {
                guild: GuildId(uid(get(r, "guild_id")?)),
                at: from_micros(get(r, "at")?)?,
                actor: get::<Option<i64>>(r, "actor_id")?.map(|a| MemberId(uid(a))),
                action: get(r, "action")?,
                detail: get(r, "detail")?,
            })
        })
        .collect()
    }
}
