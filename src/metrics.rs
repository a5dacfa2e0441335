//! The process's counters, exposed at `GET /metrics` in Prometheus' text format (0.0.4).
//!
//! Small and lock-free: fixed label sets, one atomic per series. Share one [`Metrics`] per
//! process (`Arc<Metrics>`; the router carries it as `router.metrics`) and call:
//!
//! - [`Metrics::interaction`]: one interaction answered (the transports do it, in one place:
//!   `discord::dispatch`), by kind and outcome, with its latency;
//! - [`Metrics::review`]: a tweet reviewed (quick review, submission, edit);
//! - [`Metrics::vote`]: a vote counted (approve, request changes, reject);
//! - [`Metrics::post`]: a tweet posted by a publisher;
//! - [`Metrics::failure`]: something failed that an operator should look at (an answer that
//!   could not be sent, a post that failed, a database error).

use std::fmt::Write as _;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

/// Interaction kinds, as `Invocation::kind` names them, plus `ping` (HTTP endpoint checks).
pub const KINDS: &[&str] = &[
    "ping",
    "slash",
    "message_menu",
    "user_menu",
    "component",
    "modal",
    "other",
];

/// How an interaction ended: answered in the callback, deferred then followed up, answered
/// with a quick fallback because it was too slow and could not be deferred (autocomplete, a
/// form), or the answer could not be delivered.
pub const OUTCOMES: &[&str] = &["answered", "deferred", "fallback", "failed"];

/// Why the HTTP endpoint refused a request (nothing was processed).
/// `replay` (an interaction id already handled) and `no_user` (neither `member` nor `user`)
/// are counted whichever transport brought them; `busy` (past the connection limits) and
/// `timeout` (a request not read and answered in time) on any path of the HTTP server.
pub const REJECTIONS: &[&str] = &[
    "signature",
    "timestamp",
    "too_large",
    "invalid_json",
    "replay",
    "no_user",
    "busy",
    "timeout",
];

/// Latency histogram bounds, in seconds.
pub const BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

const N_KINDS: usize = 7;
const N_OUTCOMES: usize = 4;
const N_REJECTIONS: usize = 8;
const N_BUCKETS: usize = 13;

/// The registry. `Metrics::default()` starts every series at zero.
#[derive(Debug, Default)]
pub struct Metrics {
    interactions: [[AtomicU64; N_OUTCOMES]; N_KINDS],
    /// Cumulative: `buckets[i]` counts observations `<= BUCKETS[i]`.
    buckets: [AtomicU64; N_BUCKETS],
    latency_count: AtomicU64,
    latency_sum_micros: AtomicU64,
    rejections: [AtomicU64; N_REJECTIONS],
    in_flight: AtomicI64,
    reviews: AtomicU64,
    votes: AtomicU64,
    posts: AtomicU64,
    failures: AtomicU64,
}

fn index(names: &[&str], name: &str) -> usize {
    names
        .iter()
        .position(|n| *n == name)
        .unwrap_or(names.len() - 1)
}

impl Metrics {
    pub fn new() -> Metrics {
        Metrics::default()
    }

    /// One interaction of `kind` (see [`KINDS`]; unknown kinds count as `other`) ended with
    /// `outcome` (see [`OUTCOMES`]; unknown: `failed`) after `micros` microseconds.
    pub fn interaction(&self, kind: &str, outcome: &str, micros: u64) {
        self.interactions[index(KINDS, kind)][index(OUTCOMES, outcome)]
            .fetch_add(1, Ordering::Relaxed);
        let seconds = micros as f64 / 1e6;
        for (bound, bucket) in BUCKETS.iter().zip(&self.buckets) {
            if seconds <= *bound {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.latency_count.fetch_add(1, Ordering::Relaxed);
        self.latency_sum_micros.fetch_add(micros, Ordering::Relaxed);
    }

    /// The HTTP endpoint refused a request for `reason` (see [`REJECTIONS`]).
    pub fn rejected(&self, reason: &str) {
        if let Some(i) = REJECTIONS.iter().position(|r| *r == reason) {
            self.rejections[i].fetch_add(1, Ordering::Relaxed);
        }
    }

    /// An interaction started (`+1`) or ended (`-1`): the in-flight gauge.
    pub fn in_flight(&self, delta: i64) {
        self.in_flight.fetch_add(delta, Ordering::Relaxed);
    }

    /// A tweet was reviewed.
    pub fn review(&self) {
        self.reviews.fetch_add(1, Ordering::Relaxed);
    }

    /// A vote was counted.
    pub fn vote(&self) {
        self.votes.fetch_add(1, Ordering::Relaxed);
    }

    /// A tweet was posted.
    pub fn post(&self) {
        self.posts.fetch_add(1, Ordering::Relaxed);
    }

    /// Something failed that an operator should look at.
    pub fn failure(&self) {
        self.failures.fetch_add(1, Ordering::Relaxed);
    }

    /// How many interactions of `kind` ended with `outcome` so far.
    pub fn interactions(&self, kind: &str, outcome: &str) -> u64 {
        self.interactions[index(KINDS, kind)][index(OUTCOMES, outcome)].load(Ordering::Relaxed)
    }

    /// Counters by name (`reviews`, `votes`, `posts`, `failures`), for tests and logs.
    pub fn count(&self, name: &str) -> u64 {
        match name {
            "reviews" => self.reviews.load(Ordering::Relaxed),
            "votes" => self.votes.load(Ordering::Relaxed),
            "posts" => self.posts.load(Ordering::Relaxed),
            "failures" => self.failures.load(Ordering::Relaxed),
            _ => 0,
        }
    }

    /// Everything, in Prometheus' text exposition format 0.0.4.
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(4096);
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "# HELP tweetguard_interactions_total Interactions handled, by kind and outcome.\n\
             # TYPE tweetguard_interactions_total counter"
        );
        for (k, kind) in KINDS.iter().enumerate() {
            for (o, outcome) in OUTCOMES.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "tweetguard_interactions_total{{kind=\"{kind}\",outcome=\"{outcome}\"}} {}",
                    load(&self.interactions[k][o])
                );
            }
        }
        let _ = writeln!(
            out,
            "# HELP tweetguard_interaction_duration_seconds Time to handle an interaction, from its arrival to its answer (a deferred one: to its follow-up).\n\
             # TYPE tweetguard_interaction_duration_seconds histogram"
        );
        for (bound, bucket) in BUCKETS.iter().zip(&self.buckets) {
            let _ = writeln!(
                out,
                "tweetguard_interaction_duration_seconds_bucket{{le=\"{bound}\"}} {}",
                load(bucket)
            );
        }
        let count = load(&self.latency_count);
        let _ = writeln!(
            out,
            "tweetguard_interaction_duration_seconds_bucket{{le=\"+Inf\"}} {count}\n\
             tweetguard_interaction_duration_seconds_sum {}\n\
             tweetguard_interaction_duration_seconds_count {count}",
            load(&self.latency_sum_micros) as f64 / 1e6
        );
        let _ = writeln!(
            out,
            "# HELP tweetguard_http_rejections_total Requests and interactions refused before any processing, by reason.\n\
             # TYPE tweetguard_http_rejections_total counter"
        );
        for (reason, n) in REJECTIONS.iter().zip(&self.rejections) {
            let _ = writeln!(
                out,
                "tweetguard_http_rejections_total{{reason=\"{reason}\"}} {}",
                load(n)
            );
        }
        let _ = writeln!(
            out,
            "# HELP tweetguard_interactions_in_flight Interactions being handled now.\n\
             # TYPE tweetguard_interactions_in_flight gauge\n\
             tweetguard_interactions_in_flight {}",
            self.in_flight.load(Ordering::Relaxed)
        );
        for (name, help, value) in [
            ("reviews", "Tweets reviewed.", &self.reviews),
            ("votes", "Votes counted.", &self.votes),
            ("posts", "Tweets posted.", &self.posts),
            (
                "failures",
                "Failures worth an operator's look.",
                &self.failures,
            ),
        ] {
            let _ = writeln!(
                out,
                "# HELP tweetguard_{name}_total {help}\n\
                 # TYPE tweetguard_{name}_total counter\n\
                 tweetguard_{name}_total {}",
                load(value)
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_sets_match_their_arrays() {
        assert_eq!(KINDS.len(), N_KINDS);
        assert_eq!(OUTCOMES.len(), N_OUTCOMES);
        assert_eq!(REJECTIONS.len(), N_REJECTIONS);
        assert_eq!(BUCKETS.len(), N_BUCKETS);
        assert!(BUCKETS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn renders_counters_and_a_cumulative_histogram() {
        let m = Metrics::new();
        m.interaction("slash", "answered", 300);
        m.interaction("component", "deferred", 2_100_000);
        m.interaction("weird", "answered", 10);
        m.vote();
        m.vote();
        m.rejected("signature");
        let text = m.render();
        for line in [
            "tweetguard_interactions_total{kind=\"slash\",outcome=\"answered\"} 1",
            "tweetguard_interactions_total{kind=\"component\",outcome=\"deferred\"} 1",
            "tweetguard_interactions_total{kind=\"other\",outcome=\"answered\"} 1",
            "tweetguard_interaction_duration_seconds_bucket{le=\"0.0005\"} 2",
            "tweetguard_interaction_duration_seconds_bucket{le=\"2.5\"} 3",
            "tweetguard_interaction_duration_seconds_bucket{le=\"+Inf\"} 3",
            "tweetguard_interaction_duration_seconds_count 3",
            "tweetguard_http_rejections_total{reason=\"signature\"} 1",
            "tweetguard_votes_total 2",
            "tweetguard_posts_total 0",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} missing:\n{text}");
        }
        // Every sample line is `name{labels} value` with a number.
        for l in text.lines().filter(|l| !l.starts_with('#')) {
            let value = l.rsplit(' ').next().unwrap_or("");
            assert!(value.parse::<f64>().is_ok(), "{l}");
        }
    }
}
