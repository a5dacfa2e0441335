//! The account's posts per server and network, and their engagement over time: what the
//! history rules and `/stats` read.
//!
//! A child of `sql` (for its transaction macro and helpers). Posts come from two places: the
//! publishing worker (what the bot just posted) and the timeline sync (everything on the
//! account, the bot's posts included, read from the networks). Both upsert by (server,
//! network, post id), so a post is stored once whoever saw it first. Each server keeps at most
//! [`MAX_POSTS`] per network: the oldest are dropped with their counts.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use tracing::debug;

use super::{backoff, db, from_micros, get, id64, micros_now, to_micros, SqlStore, MAX_ATTEMPTS};
use crate::review::PostClass;
use crate::store::StoreError;
use crate::workflow::{GuildId, ProposalId};

/// The most posts kept per server and network.
pub const MAX_POSTS: i64 = 2000;

/// What a network says about a post's reach at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub replies: u64,
    /// Reposts, retweets, boosts.
    pub reposts: u64,
    /// Likes, favourites.
    pub likes: u64,
    pub quotes: u64,
    /// Where the network gives them (X, on paid tiers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impressions: Option<u64>,
}

impl Counts {
    /// The interactions a post earned: replies, reposts, likes and quotes.
    pub fn engagement(&self) -> u64 {
        self.replies + self.reposts + self.likes + self.quotes
    }
}

/// One post of the account on one network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelinePost {
    pub network: String,
    /// The network's id for it (a tweet id, a status id, an `at://` URI).
    pub post_id: String,
    pub url: Option<String>,
    pub text: String,
    pub posted_at: DateTime<Utc>,
    /// What the review engine made of it when it was stored.
    pub class: PostClass,
    /// The proposal the bot posted it for, when it did.
    pub proposal: Option<ProposalId>,
}

/// A stored post and the counts recorded for it, by checkpoint (`1h`, `1d`, `7d`, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredPost {
    pub post: TimelinePost,
    pub counts: Vec<(String, Counts)>,
}

impl StoredPost {
    /// The latest counts recorded, if any.
    pub fn latest(&self) -> Option<&Counts> {
        self.counts.last().map(|(_, c)| c)
    }
}

fn flag(b: bool) -> i64 {
    i64::from(b)
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

fn post_of(r: &sqlx::any::AnyRow) -> Result<TimelinePost, StoreError> {
    let yes = |name: &str| -> Result<bool, StoreError> { Ok(get::<i64>(r, name)? != 0) };
    Ok(TimelinePost {
        network: get(r, "network")?,
        post_id: get(r, "post_id")?,
        url: get(r, "url")?,
        text: get(r, "text")?,
        posted_at: from_micros(get(r, "posted_at")?)?,
        class: PostClass {
            reply: yes("is_reply")?,
            broadcast: yes("is_broadcast")?,
            promotional: yes("is_promotional")?,
            relay: yes("is_relay")?,
            signed: yes("is_signed")?,
        },
        proposal: get::<Option<i64>>(r, "proposal_id")?.map(ProposalId),
    })
}

const POST_COLUMNS: &str = "network, post_id, url, text, posted_at, is_reply, is_broadcast, \
     is_promotional, is_relay, is_signed, proposal_id";

impl SqlStore {
    pub(super) async fn save_timeline_in(
        &self,
        guild: GuildId,
        posts: &[TimelinePost],
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let now = to_micros(micros_now(now));
        let g = id64(guild.0);
        write_tx!(self, |conn| async {
            let mut added = 0;
            let mut networks = HashSet::new();
            for p in posts {
                networks.insert(p.network.clone());
                // The bot's own post: linked to its proposal through the publication's id.
                let done = sqlx::query(
                    "INSERT INTO timeline_posts (guild_id, network, post_id, url, text, posted_at, \
                     is_reply, is_broadcast, is_promotional, is_relay, is_signed, proposal_id, \
                     first_seen) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
                     COALESCE($12, (SELECT MIN(proposal_id) FROM publications \
                     WHERE network = $2 AND remote_id = $3)), $13) \
                     ON CONFLICT (guild_id, network, post_id) DO NOTHING",
                )
                .bind(g)
                .bind(p.network.clone())
                .bind(p.post_id.clone())
                .bind(p.url.clone())
                .bind(p.text.clone())
                .bind(to_micros(p.posted_at))
                .bind(flag(p.class.reply))
                .bind(flag(p.class.broadcast))
                .bind(flag(p.class.promotional))
                .bind(flag(p.class.relay))
                .bind(flag(p.class.signed))
                .bind(p.proposal.map(|id| id.0))
                .bind(now)
                .execute(&mut *conn)
                .await
                .map_err(db)?;
                added += usize::try_from(done.rows_affected()).unwrap_or(0);
            }
            for network in networks {
                // Bounded: the oldest beyond the limit go, with their counts.
                let cutoff =
                    "SELECT posted_at FROM timeline_posts WHERE guild_id = $1 AND network = $2 \
                     ORDER BY posted_at DESC, post_id DESC LIMIT 1 OFFSET $3";
                let row = sqlx::query(cutoff)
                    .bind(g)
                    .bind(network.clone())
                    .bind(MAX_POSTS)
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(db)?;
                if let Some(row) = row {
                    let oldest_kept: i64 = get(&row, "posted_at")?;
                    for table in ["engagement", "timeline_posts"] {
                        let sql = if table == "engagement" {
                            "DELETE FROM engagement WHERE guild_id = $1 AND network = $2 AND post_id IN \
                             (SELECT post_id FROM timeline_posts WHERE guild_id = $1 AND network = $2 \
                             AND posted_at <= $3)"
                        } else {
                            "DELETE FROM timeline_posts WHERE guild_id = $1 AND network = $2 \
                             AND posted_at <= $3"
                        };
                        sqlx::query(sql)
                            .bind(g)
                            .bind(network.clone())
                            .bind(oldest_kept)
                            .execute(&mut *conn)
                            .await
                            .map_err(db)?;
                    }
                }
            }
            Ok::<_, StoreError>(added)
        })
    }

    pub(super) async fn recent_classes_of(
        &self,
        guild: GuildId,
        n: usize,
    ) -> Result<Vec<PostClass>, StoreError> {
        // A proposal cross-posted to three networks is one post of the account, not three.
        let sql = format!(
            "SELECT {POST_COLUMNS} FROM timeline_posts WHERE guild_id = $1 \
             ORDER BY posted_at DESC, post_id DESC LIMIT $2"
        );
        let rows = sqlx::query(&sql)
            .bind(id64(guild.0))
            .bind(i64::try_from(n.saturating_mul(4)).unwrap_or(i64::MAX))
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for r in &rows {
            let p = post_of(r)?;
            if p.proposal.is_some_and(|id| !seen.insert(id)) {
                continue;
            }
            out.push(p.class);
            if out.len() == n {
                break;
            }
        }
        out.reverse();
        Ok(out)
    }

    pub(super) async fn record_engagement_in(
        &self,
        guild: GuildId,
        network: &str,
        post_id: &str,
        checkpoint: &str,
        counts: &Counts,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let c = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        let done = sqlx::query(
            "INSERT INTO engagement (guild_id, network, post_id, checkpoint, at, replies, reposts, \
             likes, quotes, impressions) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (guild_id, network, post_id, checkpoint) DO NOTHING",
        )
        .bind(id64(guild.0))
        .bind(network.to_owned())
        .bind(post_id.to_owned())
        .bind(checkpoint.to_owned())
        .bind(to_micros(micros_now(at)))
        .bind(c(counts.replies))
        .bind(c(counts.reposts))
        .bind(c(counts.likes))
        .bind(c(counts.quotes))
        .bind(counts.impressions.map(c))
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(done.rows_affected() == 1)
    }

    pub(super) async fn timeline_of(
        &self,
        guild: GuildId,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<StoredPost>, StoreError> {
        let since = since.map_or(i64::MIN, |t| to_micros(micros_now(t)));
        let g = id64(guild.0);
        let sql = format!(
            "SELECT {POST_COLUMNS} FROM timeline_posts WHERE guild_id = $1 AND posted_at >= $2 \
             ORDER BY posted_at, post_id"
        );
        let rows = sqlx::query(&sql)
            .bind(g)
            .bind(since)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        let counts = sqlx::query(
            "SELECT e.network, e.post_id, e.checkpoint, e.replies, e.reposts, e.likes, e.quotes, \
             e.impressions FROM engagement e JOIN timeline_posts t ON t.guild_id = e.guild_id \
             AND t.network = e.network AND t.post_id = e.post_id \
             WHERE e.guild_id = $1 AND t.posted_at >= $2 ORDER BY e.at",
        )
        .bind(g)
        .bind(since)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        let mut out: Vec<StoredPost> = rows
            .iter()
            .map(|r| {
                Ok(StoredPost {
                    post: post_of(r)?,
                    counts: Vec::new(),
                })
            })
            .collect::<Result<_, StoreError>>()?;
        // Each post's place, so a server's counts attach in one pass (2,000 posts a network,
        // seven checkpoints each).
        let index: HashMap<(String, String), usize> = out
            .iter()
            .enumerate()
            .map(|(i, p)| ((p.post.network.clone(), p.post.post_id.clone()), i))
            .collect();
        for r in &counts {
            let key: (String, String) = (get(r, "network")?, get(r, "post_id")?);
            let c = Counts {
                replies: count(get(r, "replies")?),
                reposts: count(get(r, "reposts")?),
                likes: count(get(r, "likes")?),
                quotes: count(get(r, "quotes")?),
                impressions: get::<Option<i64>>(r, "impressions")?.map(count),
            };
            if let Some(&i) = index.get(&key) {
                out[i].counts.push((get(r, "checkpoint")?, c));
            }
        }
        Ok(out)
    }

    pub(super) async fn guilds_of(&self) -> Result<Vec<GuildId>, StoreError> {
        let rows = sqlx::query(
            "SELECT guild_id FROM guild_settings UNION SELECT guild_id FROM proposals ORDER BY guild_id",
        )
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter()
            .map(|r| Ok(GuildId(super::uid(get(r, "guild_id")?))))
            .collect()
    }
}
