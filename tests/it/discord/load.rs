//! Load: two `tweetguard serve --transport http` processes on one PostgreSQL database, behind
//! a round-robin client (alternate requests go to each port), on 127.0.0.1 only. Thousands of
//! signed interactions with bounded concurrency: quick reviews, submissions, approval clicks,
//! each click sent twice at once (a double click, landing on both processes). Then: every vote
//! counted exactly once, every approved proposal with exactly one outbox entry, none for the
//! others; p50/p99 latency and throughput printed.
//!
//! `cargo test --release --test it -- --ignored --nocapture load_two_http_processes`; a small
//! version runs with the other tests.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use sqlx::{Connection as _, PgConnection};
use tokio::sync::Semaphore;
use tweetguard::store::{ProposalFilter, Store};
use tweetguard::workflow::GuildId;

use super::fake::FakeDiscord;
use super::fixtures::{self, Member, APP_ID, GUILD_ID};
use super::process::{post_signed, Served};
use crate::common::TestDb;

const REVIEWERS: [u64; 3] = [21, 22, 23];
const REVIEWER_ROLE: u64 = 11;
const REVIEW_CHANNEL: u64 = 930_000_000_000_000_004;

/// One request: which process, the payload.
struct Job {
    base: usize,
    payload: Value,
}

#[derive(Default)]
struct Outcome {
    latencies: Vec<Duration>,
    /// Status → count; answer type → count.
    statuses: BTreeMap<u16, usize>,
    types: BTreeMap<String, usize>,
}

/// Send `jobs` with at most `concurrency` in flight; every latency and status.
async fn run(
    client: &reqwest::Client,
    bases: &[String],
    jobs: Vec<Job>,
    concurrency: usize,
) -> Outcome {
    let gate = Arc::new(Semaphore::new(concurrency));
    let mut set = tokio::task::JoinSet::new();
    for job in jobs {
        let permit = gate.clone().acquire_owned().await.expect("the gate");
        let (client, base) = (client.clone(), bases[job.base % bases.len()].clone());
        set.spawn(async move {
            let _permit = permit;
            let started = Instant::now();
            let (status, v) = post_signed(&client, &base, &job.payload).await;
            (started.elapsed(), status, v["type"].to_string())
        });
    }
    let mut out = Outcome::default();
    while let Some(r) = set.join_next().await {
        let (latency, status, kind) = r.expect("a request task");
        out.latencies.push(latency);
        *out.statuses.entry(status).or_default() += 1;
        *out.types.entry(kind).or_default() += 1;
    }
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn load(proposals: u64, concurrency: usize) {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let fake = FakeDiscord::start().await;
    let channel = REVIEW_CHANNEL.to_string();
    let role = REVIEWER_ROLE.to_string();
    let envs = [
        ("REVIEW_CHANNEL_ID", channel.as_str()),
        ("REVIEWER_ROLE_IDS", role.as_str()),
        ("REQUIRED_APPROVALS", "3"),
        ("REVIEW_RATE_PER_MINUTE", "0"),
    ];
    let a = Served::start("http", &fake.api_url(), &db.url, &envs).await;
    let b = Served::start("http", &fake.api_url(), &db.url, &envs).await;
    let bases = [a.base.clone(), b.base.clone()];
    let client = a.client.clone();
    let started = Instant::now();
    let mut id = 10_000u64;
    let mut next = || {
        id += 1;
        id
    };

    // Phase 1: submissions and quick reviews, interleaved, round-robin.
    let mut jobs = Vec::new();
    for i in 0..proposals {
        let author = Member::new(1_000 + i, if i % 2 == 0 { "fr" } else { "en-US" });
        let text = format!("Proposition {i} : notre appli est disponible sur iOS et Android ^SG");
        jobs.push(Job {
            base: jobs.len(),
            payload: fixtures::slash(
                next(),
                &author,
                "submit",
                json!([{"name": "text", "type": 3, "value": text}]),
            ),
        });
        jobs.push(Job {
            base: jobs.len(),
            payload: fixtures::review(next(), &author, "Grosse PROMO ce week-end!!! Achetez"),
        });
    }
    let phase1 = run(&client, &bases, jobs, concurrency).await;

    // Which proposal each author got.
    let list = db
        .store
        .list(&ProposalFilter {
            limit: 1_000_000,
            ..ProposalFilter::guild(GuildId(GUILD_ID))
        })
        .await
        .expect("list");
    assert_eq!(list.len() as u64, proposals, "every submission stored once");
    let mut expected: BTreeMap<i64, usize> = BTreeMap::new();

    // Phase 2: approvals. Even authors' proposals get all three reviewers (approved), odd
    // ones two (still pending); every click is sent twice at once, to both processes.
    let mut jobs = Vec::new();
    for p in &list {
        let i = p.author.0 - 1_000;
        let voters = if i % 2 == 0 { 3 } else { 2 };
        expected.insert(p.id.0, voters);
        for r in &REVIEWERS[..voters] {
            let who = Member::new(*r, "en-US").with_roles(&[REVIEWER_ROLE]);
            let custom_id = format!("tg:approve:{}:1", p.id.0);
            for copy in 0..2 {
                jobs.push(Job {
                    base: copy,
                    payload: fixtures::button(
                        next(),
                        &who,
                        &custom_id,
                        fixtures::message(7002, APP_ID, ""),
                    ),
                });
            }
        }
    }
    let phase2 = run(&client, &bases, jobs, concurrency).await;
    let elapsed = started.elapsed();

    // Every request answered 200.
    for (phase, o) in [("submit/review", &phase1), ("clicks", &phase2)] {
        assert_eq!(
            o.statuses.keys().copied().collect::<Vec<_>>(),
            [200],
            "{phase}: {:?}",
            o.statuses
        );
    }

    // The database: votes, audit entries, statuses, outbox entries.
    let mut pg = PgConnection::connect(&db.url).await.expect("connect");
    let count = |sql: &'static str| sqlx::query_as::<_, (i64, i64)>(sql);
    let votes: BTreeMap<i64, i64> =
        count("SELECT proposal_id, COUNT(*) FROM votes GROUP BY proposal_id")
            .fetch_all(&mut pg)
            .await
            .expect("votes")
            .into_iter()
            .collect();
    let audited: BTreeMap<i64, i64> = count(
        "SELECT proposal_id, COUNT(*) FROM audit_log WHERE action = 'approve' GROUP BY proposal_id",
    )
    .fetch_all(&mut pg)
    .await
    .expect("audit")
    .into_iter()
    .collect();
    let outbox: BTreeMap<i64, i64> =
        count("SELECT proposal_id, COUNT(*) FROM outbox GROUP BY proposal_id")
            .fetch_all(&mut pg)
            .await
            .expect("outbox")
            .into_iter()
            .collect();
    let statuses: BTreeMap<i64, String> =
        sqlx::query_as::<_, (i64, String)>("SELECT id, status FROM proposals")
            .fetch_all(&mut pg)
            .await
            .expect("statuses")
            .into_iter()
            .collect();
    pg.close().await.ok();
    let mut approved = 0;
    for (id, voters) in &expected {
        let voters = *voters as i64;
        assert_eq!(votes.get(id), Some(&voters), "proposal {id}: votes");
        assert_eq!(
            audited.get(id),
            Some(&voters),
            "proposal {id}: counted votes"
        );
        let status = statuses.get(id).map(String::as_str);
        if voters == 3 {
            approved += 1;
            assert_eq!(status, Some("approved"), "proposal {id}");
            assert_eq!(outbox.get(id), Some(&1), "proposal {id}: one outbox entry");
        } else {
            assert_eq!(status, Some("pending"), "proposal {id}");
            assert_eq!(outbox.get(id), None, "proposal {id}: no outbox entry");
        }
    }
    let total_votes: i64 = expected.values().map(|v| *v as i64).sum();

    // The processes' own counters agree: votes counted once across both.
    let mut counted = 0i64;
    for s in [&a, &b] {
        let (_, m) = s.get("/metrics").await;
        counted += m
            .lines()
            .find_map(|l| l.strip_prefix("tweetguard_votes_total "))
            .and_then(|v| v.parse::<i64>().ok())
            .expect("tweetguard_votes_total");
    }
    assert_eq!(counted, total_votes, "the metrics count each vote once");

    let mut all: Vec<Duration> = phase1
        .latencies
        .iter()
        .chain(&phase2.latencies)
        .copied()
        .collect();
    all.sort();
    let mut clicks = phase2.latencies.clone();
    clicks.sort();
    let n = all.len();
    println!(
        "load: {n} interactions ({} submits+reviews, {} clicks incl. double clicks) over 2 \
         processes on PostgreSQL, concurrency {concurrency}, in {:.2} s = {:.0}/s; \
         latency p50 {:.1} ms, p99 {:.1} ms (clicks p50 {:.1} ms, p99 {:.1} ms); \
         {approved} approved, {total_votes} votes; answer types {:?} / {:?}",
        phase1.latencies.len(),
        phase2.latencies.len(),
        elapsed.as_secs_f64(),
        n as f64 / elapsed.as_secs_f64(),
        percentile(&all, 0.5).as_secs_f64() * 1e3,
        percentile(&all, 0.99).as_secs_f64() * 1e3,
        percentile(&clicks, 0.5).as_secs_f64() * 1e3,
        percentile(&clicks, 0.99).as_secs_f64() * 1e3,
        phase1.types,
        phase2.types,
    );
    drop((a, b));
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_small_two_http_processes() {
    tokio::time::timeout(Duration::from_secs(120), load(8, 8))
        .await
        .expect("within 2 minutes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "load test: cargo test --release --test it -- --ignored --nocapture load_two_http_processes"]
async fn load_two_http_processes() {
    tokio::time::timeout(Duration::from_secs(600), load(600, 32))
        .await
        .expect("within 10 minutes");
}
