//! `tweetguard export`, run as the built binary against a SQLite file filled through the store.

use std::process::Command;

use chrono::{TimeZone, Utc};
use tweetguard::review::Verdict;
use tweetguard::store::Store;
use tweetguard::workflow::{Event, GuildId};

use crate::common::{member, review, TestDb};

const GUILD: GuildId = GuildId(1_234_567_890_123_456_789);

/// Two proposals: one on 2026-03-01 (submitted, approved twice), one on 2026-03-03 (withdrawn).
async fn filled() -> TestDb {
    let db = TestDb::sqlite().await;
    let day = |d: u32, h: u32| {
        Utc.with_ymd_and_hms(2026, 3, d, h, 0, 0)
            .single()
            .expect("valid date")
    };
    let store: &dyn Store = &*db.store;
    let a = store
        .submit(
            GUILD,
            &member(1),
            "First, signed ^SG",
            None,
            &review(Verdict::Ready),
            day(1, 9),
        )
        .await
        .expect("submit")
        .proposal;
    for (r, h) in [(2, 10), (3, 11)] {
        let vote = Event::Approve {
            by: member(r),
            revision: 1,
        };
        store
            .apply(GUILD, a.id, &vote, day(1, h))
            .await
            .expect("approve");
    }
    let b = store
        .submit(
            GUILD,
            &member(1),
            "Second, \"quoted\", ^SG",
            None,
            &review(Verdict::Ready),
            day(3, 9),
        )
        .await
        .expect("submit")
        .proposal;
    let withdraw = Event::Withdraw { by: member(1) };
    store
        .apply(GUILD, b.id, &withdraw, day(3, 10))
        .await
        .expect("withdraw");
    db
}

fn export(db_url: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tweetguard"))
        .arg("export")
        .args(args)
        .env("DATABASE_URL", db_url)
        .env_remove("RUST_LOG")
        .output()
        .expect("run tweetguard export")
}

#[tokio::test]
async fn export_writes_the_whole_trail_as_json_lines() {
    let db = filled().await;
    let out = export(&db.url, &["--format", "jsonl"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let actions: Vec<&str> = lines.iter().filter_map(|l| l["action"].as_str()).collect();
    assert_eq!(
        actions,
        ["submit", "approve", "approve", "submit", "withdraw"]
    );
    assert_eq!(
        lines[0]["guild"], "1234567890123456789",
        "ids exact, as strings"
    );
    assert_eq!(lines[0]["at"], "2026-03-01T09:00:00.000000Z");
    assert_eq!(lines[2]["to"], "approved");
    assert_eq!(lines[2]["from"], "pending");
    assert_eq!(lines[2]["actor"], "3");
    db.finish().await;
}

#[tokio::test]
async fn export_writes_csv_since_a_date() {
    let db = filled().await;
    let out = export(&db.url, &["--format", "csv", "--since", "2026-03-02"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().expect("header").clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        ["at", "guild", "proposal", "seq", "revision", "actor", "action", "from", "to", "detail"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][6], "submit");
    assert_eq!(&rows[1][6], "withdraw");
    assert_eq!(&rows[1][8], "withdrawn");
    // An RFC 3339 instant works too.
    let out = export(
        &db.url,
        &["--format", "csv", "--since", "2026-03-03T09:30:00Z"],
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(text.lines().count(), 2, "header and the withdrawal");
    db.finish().await;
}

#[tokio::test]
async fn export_refuses_a_bad_date_and_a_missing_database() {
    let db = filled().await;
    let out = export(&db.url, &["--since", "last tuesday"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("YYYY-MM-DD"));
    let missing = format!("{}.missing", db.url);
    let out = export(&missing, &[]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("there is no database at"));
    db.finish().await;
}
