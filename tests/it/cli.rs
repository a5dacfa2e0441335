//! `tweetguard review` as a person or a script runs it: formats, stdin, JSON lines, exit codes.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn tweetguard(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tweetguard"))
        .args(args)
        .env_remove("TWEETGUARD_SIGNATURE")
        .env_remove("TWEETGUARD_COMPANY")
        .env_remove("TWEETGUARD_LIMIT")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the tweetguard binary runs");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stdin.as_bytes())
        .expect("stdin accepts the input");
    child.wait_with_output().expect("tweetguard finishes")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("output is UTF-8")
}

fn json(o: &Output) -> Value {
    serde_json::from_str(&stdout(o)).expect("output is one JSON object")
}

#[test]
fn json_output_has_the_documented_shape() {
    let o = tweetguard(
        &[
            "review",
            "--format",
            "json",
            "Grosse promo sur les vélos ^SG",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(0));
    let v = json(&o);
    assert_eq!(v["verdict"], "needs_work");
    assert_eq!(v["language"], "fr");
    assert!(v["score"].as_u64().unwrap() <= 100);
    assert_eq!(v["length"]["limit"], 280);
    assert_eq!(v["length"]["valid"], true);
    assert!(v["length"]["weighted"].as_u64().unwrap() > 0);
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "promotion.sales-words")
        .expect("a sales-words finding");
    assert_eq!(f["guideline"], "promotion");
    assert_eq!(f["severity"], "warning");
    assert!(f["message"].as_str().unwrap().contains("promo"));
    let span = &f["spans"][0];
    assert_eq!(
        (span["start"].as_u64(), span["end"].as_u64()),
        (Some(7), Some(12))
    );
}

#[test]
fn the_text_comes_from_stdin_when_not_given() {
    let o = tweetguard(
        &["review", "--format", "json"],
        "What do you think of the new lanes? ^SG\n",
    );
    let v = json(&o);
    assert_eq!(v["verdict"], "ready");
    assert_eq!(v["language"], "en");
}

#[test]
fn a_blocked_tweet_exits_1() {
    let o = tweetguard(
        &["review", "--format", "json", "RT: winter cycling is doable"],
        "",
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(json(&o)["verdict"], "blocked");
}

#[test]
fn the_text_report_is_grouped_by_guideline_without_colour_off_a_terminal() {
    let o = tweetguard(&["review", "Grosse PROMO!!! Achetez maintenant"], "");
    let out = stdout(&o);
    assert!(out.contains("Twitter n'est pas un canal de pub"), "{out}");
    assert!(out.contains("Tout est dans le ton"), "{out}");
    assert!(out.contains("/280"), "{out}");
    assert!(!out.contains('\x1b'), "no ANSI codes when piped");
}

#[test]
fn flags_change_the_review() {
    let v = json(&tweetguard(
        &[
            "review",
            "--format",
            "json",
            "--no-signature",
            "Hello there",
        ],
        "",
    ));
    assert!(!v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "identity.signature"));
    let v = json(&tweetguard(
        &[
            "review",
            "--format",
            "json",
            "--limit",
            "5",
            "Hello there ^SG",
        ],
        "",
    ));
    assert_eq!(v["verdict"], "blocked");
    assert_eq!(v["length"]["limit"], 5);
    let v = json(&tweetguard(
        &["review", "--format", "json", "--lang", "fr", "Hello there"],
        "",
    ));
    assert_eq!(v["language"], "fr");
    let v = json(&tweetguard(
        &[
            "review",
            "--format",
            "json",
            "--company",
            "Acme",
            "Acme is thrilled to welcome you ^SG",
        ],
        "",
    ));
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "tone.third-person"));
}

#[test]
fn jsonl_reviews_each_line_in_order_and_reports_bad_lines_in_place() {
    let input = concat!(
        "\"On a hâte de vous voir ! ^SG\"\n",
        "{\"text\": \"RT: no credit\"}\n",
        "not json\n",
        "{\"id\": 3}\n",
        "\"What do you think? ^SG\"\n",
    );
    let o = tweetguard(&["review", "--format", "jsonl"], input);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a blocked line makes the exit status 1"
    );
    let lines: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("every output line is JSON"))
        .collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0]["language"], "fr");
    assert_eq!(lines[1]["verdict"], "blocked");
    assert!(lines[2]["error"].is_string());
    assert!(lines[3]["error"].is_string());
    assert_eq!(lines[4]["verdict"], "ready");
}

#[test]
fn history_rules_read_the_history_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.jsonl");
    let past: String = (0..10)
        .map(|i| format!("\"Grosse promo numéro {i} ^SG\"\n"))
        .collect();
    std::fs::write(&path, past).unwrap();
    let v = json(&tweetguard(
        &[
            "review",
            "--format",
            "json",
            "--history",
            path.to_str().unwrap(),
            "Encore une promo ^SG",
        ],
        "",
    ));
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "promotion.brand-dilution"));
}

#[test]
fn usage_and_io_errors_exit_2_with_a_clear_message() {
    let o = tweetguard(&["review", "--format", "yaml", "x"], "");
    assert_eq!(o.status.code(), Some(2));
    let o = tweetguard(
        &["review", "--history", "/nonexistent/history.jsonl", "x"],
        "",
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("/nonexistent/history.jsonl"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, "\"ok\"\n{oops\n").unwrap();
    let o = tweetguard(&["review", "--history", bad.to_str().unwrap(), "x"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("line 2"));
}
