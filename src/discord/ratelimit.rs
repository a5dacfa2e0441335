//! Per-member rate limits: a token bucket per member, in a concurrent map.

use std::time::{Duration, Instant};

use dashmap::DashMap;

/// How often a member may do something: `burst` at once, then one more every `per / burst`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub burst: u32,
    pub per: Duration,
}

impl Default for RateLimit {
    /// Ten reviews a minute.
    fn default() -> Self {
        RateLimit {
            burst: 10,
            per: Duration::from_secs(60),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// The members' buckets. Cheap to share (`Arc`); safe across tasks.
#[derive(Debug)]
pub struct MemberLimiter {
    limit: RateLimit,
    buckets: DashMap<u64, Bucket>,
}

/// Beyond this many tracked members, full buckets are forgotten.
const PRUNE_AT: usize = 10_000;

impl MemberLimiter {
    pub fn new(limit: RateLimit) -> MemberLimiter {
        MemberLimiter {
            limit,
            buckets: DashMap::new(),
        }
    }

    fn refill_rate(&self) -> f64 {
        // Tokens per second.
        f64::from(self.limit.burst.max(1)) / self.limit.per.as_secs_f64().max(1e-9)
    }

    /// Take one token for `member` at `now`: `Ok` when allowed, else how long to wait.
    pub fn check(&self, member: u64, now: Instant) -> Result<(), Duration> {
        if self.limit.burst == 0 {
            return Ok(());
        }
        let cap = f64::from(self.limit.burst);
        let rate = self.refill_rate();
        let result = {
            let mut b = self.buckets.entry(member).or_insert(Bucket {
                tokens: cap,
                at: now,
            });
            let elapsed = now.saturating_duration_since(b.at).as_secs_f64();
            b.tokens = (b.tokens + elapsed * rate).min(cap);
            b.at = now;
            if b.tokens >= 1.0 {
                b.tokens -= 1.0;
                Ok(())
            } else {
                Err(Duration::from_secs_f64((1.0 - b.tokens) / rate))
            }
        };
        if self.buckets.len() > PRUNE_AT {
            self.buckets.retain(|_, b| {
                b.tokens + now.saturating_duration_since(b.at).as_secs_f64() * rate < cap
            });
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_a_wait() {
        let l = MemberLimiter::new(RateLimit {
            burst: 2,
            per: Duration::from_secs(10),
        });
        let t0 = Instant::now();
        assert!(l.check(1, t0).is_ok());
        assert!(l.check(1, t0).is_ok());
        let wait = l.check(1, t0).unwrap_err();
        assert!(wait > Duration::from_secs(4) && wait <= Duration::from_secs(5));
        assert!(l.check(2, t0).is_ok(), "members are independent");
        assert!(l.check(1, t0 + Duration::from_secs(5)).is_ok());
    }

    #[test]
    fn a_zero_burst_means_no_limit() {
        let l = MemberLimiter::new(RateLimit {
            burst: 0,
            per: Duration::from_secs(1),
        });
        let t0 = Instant::now();
        for _ in 0..100 {
            assert!(l.check(1, t0).is_ok());
        }
    }
}
