//! Votes per second for each store, through one handle and through several handles at once
//! (as several bot processes would). PostgreSQL runs when `TEST_DATABASE_URL` is set.
//!
//! `cargo bench --bench store`; each vote is a whole transaction: read the proposal, apply,
//! conditional write, audit entry (and the outbox entry on the deciding vote).

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sqlx::{Connection, Executor, PgConnection};
use tokio::runtime::Runtime;
use tweetguard::review::{Language, LengthReport, Review, Verdict};
use tweetguard::store::{GuildSettings, SqlStore, Store};
use tweetguard::workflow::{Event, GuildId, Member, MemberId, Policy, ProposalId};

const GUILD: GuildId = GuildId(1);
const REVIEWERS: u64 = 5;

fn member(id: u64) -> Member {
    Member {
        id: MemberId(id),
        roles: Vec::new(),
        is_admin: false,
    }
}

fn review() -> Review {
    Review {
        verdict: Verdict::Ready,
        score: 90,
        language: Language::En,
        length: LengthReport {
            weighted: 30,
            limit: 280,
            valid: true,
        },
        findings: Vec::new(),
    }
}

/// Creates enough proposals for `votes` votes (untimed) and returns the (proposal, reviewer)
/// pairs, a proposal's reviewers side by side so concurrent voters collide on the same rows.
async fn ballots(store: &SqlStore, votes: u64) -> Vec<(ProposalId, u64)> {
    let mut pairs = Vec::new();
    for _ in 0..votes.div_ceil(REVIEWERS) {
        let t = store
            .submit(
                GUILD,
                &member(1),
                "A benchmark tweet ^SG",
                None,
                &review(),
                Utc::now(),
            )
            .await
            .expect("submit");
        pairs.extend((0..REVIEWERS).map(|r| (t.proposal.id, 100 + r)));
    }
    pairs.truncate(votes as usize);
    pairs
}

async fn vote(store: &SqlStore, (id, reviewer): (ProposalId, u64)) {
    let event = Event::Approve {
        by: member(reviewer),
        revision: 1,
    };
    store
        .apply(GUILD, id, &event, Utc::now())
        .await
        .expect("vote");
}

/// Times `pairs` votes split across `handles` (one task each), wall clock.
async fn timed(handles: &[Arc<SqlStore>], pairs: Vec<(ProposalId, u64)>) -> Duration {
    let n = handles.len();
    let start = Instant::now();
    let mut tasks = Vec::new();
    for (k, store) in handles.iter().enumerate() {
        let mine: Vec<_> = pairs.iter().copied().skip(k).step_by(n).collect();
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            for p in mine {
                vote(&store, p).await;
            }
        }));
    }
    for t in tasks {
        t.await.expect("voter");
    }
    start.elapsed()
}

fn bench_store(c: &mut Criterion, rt: &Runtime, name: &str, url: &str) {
    let handles: Vec<Arc<SqlStore>> = rt.block_on(async {
        let mut hs = Vec::new();
        for _ in 0..4 {
            hs.push(Arc::new(SqlStore::open(url).await.expect("open store")));
        }
        let settings = GuildSettings {
            policy: Policy {
                required_approvals: REVIEWERS as u32,
                ..Policy::default()
            },
            ..GuildSettings::default()
        };
        hs[0]
            .put_settings(GUILD, &settings, Utc::now())
            .await
            .expect("settings");
        hs
    });
    let mut group = c.benchmark_group(format!("votes/{name}"));
    group.throughput(Throughput::Elements(1));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(8));
    for n in [1usize, 2, 4] {
        let label = if n == 1 {
            "single handle".to_owned()
        } else {
            format!("{n} handles")
        };
        group.bench_function(label, |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let pairs = ballots(&handles[0], iters).await;
                    timed(&handles[..n], pairs).await
                })
            })
        });
    }
    group.finish();
}

fn votes(c: &mut Criterion) {
    let rt = Runtime::new().expect("tokio runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite = format!("sqlite://{}", dir.path().join("bench.db").display());
    bench_store(c, &rt, "sqlite", &sqlite);

    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let name = format!("tg_bench_{}", std::process::id());
            let url = rt.block_on(async {
                let mut admin = PgConnection::connect(&admin_url).await.expect("connect");
                admin
                    .execute(format!("CREATE DATABASE {name}").as_str())
                    .await
                    .expect("create bench database");
                let base = admin_url.split('?').next().unwrap_or(&admin_url);
                let host = base.rsplit_once('/').map_or(base, |(h, _)| h);
                format!("{host}/{name}")
            });
            bench_store(c, &rt, "postgres", &url);
            rt.block_on(async {
                let mut admin = PgConnection::connect(&admin_url).await.expect("connect");
                let _ = admin
                    .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                    .await;
            });
        }
        _ => eprintln!("postgres skipped: set TEST_DATABASE_URL to benchmark it"),
    }
}

criterion_group!(benches, votes);
criterion_main!(benches);
