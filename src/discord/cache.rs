//! A short-lived in-process copy of what a quick `/review` reads from the store (a server's
//! settings, a member's signature), so a tone check costs microseconds rather than two
//! database round trips.
//!
//! Writes made through this process invalidate their entry at once; a change made by another
//! process (several bots on one PostgreSQL) shows within [`TTL`]. Only quick reviews read
//! through it: submissions and votes always read the store, so the approval rules in force are
//! never stale.

use std::hash::Hash;
use std::time::{Duration, Instant};

use dashmap::DashMap;

/// How long a read stays fresh.
pub const TTL: Duration = Duration::from_secs(5);

/// Values by key, each fresh for [`TTL`] after it was read.
#[derive(Debug)]
pub struct TtlCache<K: Eq + Hash, V: Clone> {
    entries: DashMap<K, (Instant, V)>,
    ttl: Duration,
}

impl<K: Eq + Hash, V: Clone> Default for TtlCache<K, V> {
    fn default() -> Self {
        TtlCache::new(TTL)
    }
}

impl<K: Eq + Hash, V: Clone> TtlCache<K, V> {
    pub fn new(ttl: Duration) -> Self {
        TtlCache {
            entries: DashMap::new(),
            ttl,
        }
    }

    /// The value of `key` if it was read less than the TTL before `now`.
    pub fn get(&self, key: &K, now: Instant) -> Option<V> {
        let e = self.entries.get(key)?;
        (now.duration_since(e.0) < self.ttl).then(|| e.1.clone())
    }

    pub fn put(&self, key: K, value: V, now: Instant) {
        // A server full of members stays small; a bot in many servers keeps its map bounded by
        // dropping stale entries once it grows.
        if self.entries.len() > 10_000 {
            let ttl = self.ttl;
            self.entries
                .retain(|_, (at, _)| now.duration_since(*at) < ttl);
        }
        self.entries.insert(key, (now, value));
    }

    /// Forget `key` (this process just changed it).
    pub fn forget(&self, key: &K) {
        self.entries.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_fresh_for_the_ttl_then_read_again() {
        let c: TtlCache<u64, &str> = TtlCache::new(Duration::from_secs(5));
        let t0 = Instant::now();
        assert_eq!(c.get(&1, t0), None);
        c.put(1, "a", t0);
        assert_eq!(c.get(&1, t0 + Duration::from_secs(4)), Some("a"));
        assert_eq!(c.get(&1, t0 + Duration::from_secs(5)), None);
        c.put(1, "b", t0);
        c.forget(&1);
        assert_eq!(c.get(&1, t0), None);
    }
}
