//! Test databases: a SQLite file in a temp dir, or a fresh PostgreSQL database per test.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use sqlx::{Connection, Executor, PgConnection};
use tweetguard::review::{Language, LengthReport, Review, Verdict};
use tweetguard::store::SqlStore;
use tweetguard::workflow::{Member, MemberId, RoleId};

/// A database for one test, removed at the end.
pub struct TestDb {
    pub url: String,
    pub store: Arc<SqlStore>,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

/// A name no other test (or test process) uses at the same time.
pub fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = Utc::now().timestamp_nanos_opt().unwrap_or_default();
    format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        nanos.rem_euclid(1_000_000_000_000),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// The PostgreSQL server to test against: `TEST_DATABASE_URL`, required when `CI` is set.
pub fn postgres_url() -> Option<String> {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var_os("CI").is_some() => {
            panic!("TEST_DATABASE_URL is not set, and CI is: the PostgreSQL tests must run in CI")
        }
        _ => {
            eprintln!("skipped: set TEST_DATABASE_URL=postgres://... to run the PostgreSQL tests");
            None
        }
    }
}

/// `url` with its database name replaced by `name`.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{name}", &base[..host_end]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("tweetguard.db").display());
        let store = Arc::new(SqlStore::open(&url).await.expect("open sqlite store"));
        TestDb {
            url,
            store,
            cleanup: Cleanup::Sqlite(dir),
        }
    }

    /// `None` (with a note) when no server is configured outside CI.
    pub async fn postgres() -> Option<TestDb> {
        let admin_url = postgres_url()?;
        let name = unique_name("tg");
        let mut admin = PgConnection::connect(&admin_url)
            .await
            .expect("connect to TEST_DATABASE_URL");
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create test database");
        // Tests check what the database holds, not that it survives a power cut: don't wait
        // for the disk on every commit.
        admin
            .execute(format!("ALTER DATABASE {name} SET synchronous_commit = off").as_str())
            .await
            .expect("configure test database");
        admin.close().await.ok();
        let url = with_database(&admin_url, &name);
        let store = Arc::new(SqlStore::open(&url).await.expect("open postgres store"));
        Some(TestDb {
            url,
            store,
            cleanup: Cleanup::Postgres { admin_url, name },
        })
    }

    /// SQLite, and PostgreSQL when one is configured: a test that holds on both backends.
    pub async fn sqlite_and_postgres() -> Vec<TestDb> {
        let mut dbs = vec![TestDb::sqlite().await];
        dbs.extend(TestDb::postgres().await);
        dbs
    }

    /// `sqlite` or `postgres`, for a failing case's message.
    pub fn name(&self) -> &'static str {
        match self.cleanup {
            Cleanup::Sqlite(_) => "sqlite",
            Cleanup::Postgres { .. } => "postgres",
        }
    }

    /// A second handle on the same database, as a second bot process would have.
    pub async fn another_handle(&self) -> Arc<SqlStore> {
        Arc::new(SqlStore::open(&self.url).await.expect("open second handle"))
    }

    pub async fn finish(self) {
        self.store.close().await;
        if let Cleanup::Postgres { admin_url, name } = &self.cleanup {
            if let Ok(mut admin) = PgConnection::connect(admin_url).await {
                let _ = admin
                    .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                    .await;
            }
        }
    }
}

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 30, 0)
        .single()
        .expect("valid date")
}

pub fn at(minutes: i64) -> DateTime<Utc> {
    t0() + TimeDelta::minutes(minutes)
}

pub fn review(verdict: Verdict) -> Review {
    Review {
        verdict,
        score: 75,
        language: Language::En,
        length: LengthReport {
            weighted: 40,
            limit: 280,
            valid: true,
        },
        findings: Vec::new(),
    }
}

pub fn member(id: u64) -> Member {
    Member {
        id: MemberId(id),
        roles: vec![RoleId(10)],
        is_admin: false,
    }
}

pub fn admin(id: u64) -> Member {
    Member {
        is_admin: true,
        ..member(id)
    }
}
