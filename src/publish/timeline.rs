//! The timeline sync: reads the account's recent posts from each network every
//! `TIMELINE_SYNC_MINUTES` (15 by default), stores them per server (classified once by the
//! review engine with that server's own review settings and signatures, so every review's
//! history is its real account, read as its reviews read), and records each post's
//! counts at 1 hour, 1 day, 7 days, then weekly up to 30 days: the return on influence.
//!
//! A network's failure never blocks posting: the sync is a loop of its own, and a network
//! that refuses or rate-limits is left alone until it said to come back (or the next round).

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use tracing::{info, instrument, warn};

use super::reading::{Reading, ReviewSettingsFor};
use super::{targets, PublishError, Publisher, RemotePost};
use crate::store::{Store, StoreError, TimelinePost};
use crate::workflow::GuildId;

/// When a post's counts are recorded, by age: `(name, age)`.
pub const CHECKPOINTS: [(&str, i64); 7] = [
    ("1h", 3600),
    ("1d", 86_400),
    ("7d", 7 * 86_400),
    ("14d", 14 * 86_400),
    ("21d", 21 * 86_400),
    ("28d", 28 * 86_400),
    ("30d", 30 * 86_400),
];

/// The checkpoint a post of age `age` is at: the latest one passed, none before an hour.
pub fn checkpoint(age: TimeDelta) -> Option<&'static str> {
    CHECKPOINTS
        .iter()
        .rev()
        .find(|(_, secs)| age.num_seconds() >= *secs)
        .map(|(name, _)| *name)
}

/// What one round did, for logs and tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Posts stored for the first time (over all servers).
    pub added: usize,
    /// Counts recorded at a checkpoint.
    pub counted: usize,
    /// Networks that could not be read this round, with why.
    pub failed: Vec<(String, String)>,
}

/// Reads the networks' timelines into the store. One per process is enough; several are
/// harmless (every write is an insert-if-absent).
pub struct TimelineSync {
    store: Arc<dyn Store>,
    publishers: Vec<Arc<dyn Publisher>>,
    every: Duration,
    /// Each server's review settings (`None`: the bot's defaults).
    settings_for: Option<ReviewSettingsFor>,
    /// Networks that asked us to wait (rate limits), until when.
    resting: Mutex<HashMap<&'static str, DateTime<Utc>>>,
}

impl TimelineSync {
    pub fn new(
        store: Arc<dyn Store>,
        publishers: Vec<Arc<dyn Publisher>>,
        every: Duration,
    ) -> TimelineSync {
        TimelineSync {
            store,
            publishers,
            every,
            settings_for: None,
            resting: Mutex::new(HashMap::new()),
        }
    }

    /// Reads each server's posts with its own review settings (`serve` wires the Discord
    /// side's), rather than the bot's defaults.
    pub fn with_review_settings(mut self, settings_for: ReviewSettingsFor) -> TimelineSync {
        self.settings_for = Some(settings_for);
        self
    }

    /// Rounds until `shutdown` completes.
    pub async fn run(&self, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        loop {
            if let Err(e) = self.sync_once(Utc::now()).await {
                warn!(error = %e, "timeline sync failed; trying again next round");
            }
            tokio::select! {
                _ = &mut shutdown => return,
                _ = tokio::time::sleep(self.every) => {}
            }
        }
    }

    /// One round at `now`: every readable network, for every server that posts there.
    #[instrument(level = "info", skip_all)]
    pub async fn sync_once(&self, now: DateTime<Utc>) -> Result<SyncReport, StoreError> {
        let mut report = SyncReport::default();
        let guilds = self.store.guilds().await?;
        let mut by_guild: Vec<(GuildId, Vec<&'static str>, Reading)> = Vec::new();
        for g in guilds {
            let settings = self.store.settings(g).await?;
            let networks: Vec<&'static str> = targets(&settings, &self.publishers)
                .map(|ps| ps.iter().map(|p| p.network()).collect())
                .unwrap_or_default();
            if networks.is_empty() {
                continue;
            }
            let reading =
                Reading::of(&*self.store, g, &settings, self.settings_for.as_ref()).await?;
            by_guild.push((g, networks, reading));
        }
        for p in &self.publishers {
            let network = p.network();
            if by_guild.iter().all(|(_, ns, _)| !ns.contains(&network))
                || self.resting(network, now)
            {
                continue;
            }
            let posts = match p.timeline().await {
                Ok(Some(posts)) => posts,
                Ok(None) => continue,
                Err(e) => {
                    self.rest(network, &e, now);
                    warn!(network, error = %e, "could not read the account's posts");
                    report.failed.push((network.to_owned(), e.to_string()));
                    continue;
                }
            };
            for (g, networks, reading) in &by_guild {
                if !networks.contains(&network) {
                    continue;
                }
                // Per server: two servers on one account may read a post differently (one
                // knows the signature, the other calls its words sales words).
                let stored: Vec<TimelinePost> =
                    posts.iter().map(|r| stored(network, r, reading)).collect();
                report.added += self.store.save_timeline(*g, &stored, now).await?;
                for r in &posts {
                    if let Some(cp) = checkpoint(now - r.posted_at) {
                        if self
                            .store
                            .record_engagement(*g, network, &r.id, cp, &r.counts, now)
                            .await?
                        {
                            report.counted += 1;
                        }
                    }
                }
            }
        }
        info!(
            added = report.added,
            counted = report.counted,
            "timeline synced"
        );
        Ok(report)
    }

    fn resting(&self, network: &'static str, now: DateTime<Utc>) -> bool {
        let map = self.resting.lock().unwrap_or_else(|e| e.into_inner());
        map.get(network).is_some_and(|until| *until > now)
    }

    /// A rate limit (or any answer saying when to come back) is honoured.
    fn rest(&self, network: &'static str, e: &PublishError, now: DateTime<Utc>) {
        if let PublishError::NotPosted {
            retry_after: Some(wait),
            ..
        } = e
        {
            let until = now + TimeDelta::from_std(*wait).unwrap_or(TimeDelta::hours(1));
            let mut map = self.resting.lock().unwrap_or_else(|e| e.into_inner());
            map.insert(network, until);
        }
    }
}

/// A post as the store keeps it, classified once, as `reading`'s server reads it.
pub fn stored(network: &str, r: &RemotePost, reading: &Reading) -> TimelinePost {
    let mut class = reading.classify(&r.text);
    class.relay |= r.relay;
    TimelinePost {
        network: network.to_owned(),
        post_id: r.id.clone(),
        url: r.url.clone(),
        text: r.text.clone(),
        posted_at: r.posted_at,
        class,
        proposal: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_taken_after_an_hour_a_day_a_week_then_weekly_to_thirty_days() {
        let at = |secs: i64| checkpoint(TimeDelta::seconds(secs));
        assert_eq!(at(59 * 60), None);
        assert_eq!(at(3600), Some("1h"));
        assert_eq!(at(23 * 3600), Some("1h"));
        assert_eq!(at(86_400), Some("1d"));
        assert_eq!(at(6 * 86_400), Some("1d"));
        assert_eq!(at(7 * 86_400), Some("7d"));
        assert_eq!(at(15 * 86_400), Some("14d"));
        assert_eq!(at(29 * 86_400), Some("28d"));
        assert_eq!(at(90 * 86_400), Some("30d"));
    }
}
