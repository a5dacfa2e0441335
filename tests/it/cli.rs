//! `tweetguard review` as a person or a script runs it: formats, stdin, JSON lines, exit codes.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn tweetguard(args: &[&str], stdin: &str) -> Output {
    tweetguard_with(args, stdin, &[])
}

/// `tweetguard` with these environment variables set (and none of the user's own).
fn tweetguard_with(args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tweetguard"))
        .args(args)
        .env_remove("TWEETGUARD_SIGNATURE")
        .env_remove("TWEETGUARD_COMPANY")
        .env_remove("TWEETGUARD_LIMIT")
        .env_remove("TWEETGUARD_OWN_DOMAINS")
        .env_remove("TWEETGUARD_OWN_HANDLES")
        .env_remove("TWEETGUARD_JOBS")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the tweetguard binary runs");
    // Written from another thread: a long input's output fills the pipe before the input ends.
    let mut input = child.stdin.take().expect("stdin is piped");
    let stdin = stdin.to_owned();
    let writer = std::thread::spawn(move || input.write_all(stdin.as_bytes()));
    let out = child.wait_with_output().expect("tweetguard finishes");
    writer
        .join()
        .expect("the input writer finishes")
        .expect("stdin accepts the input");
    out
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
fn jsonl_on_many_cores_writes_what_one_core_writes_in_the_same_order() {
    // Several batches' worth of lines, with a blocked tweet, bad lines and blank ones among
    // them: each answer must land on its own line whatever worker reviewed it.
    let shapes = [
        "\"On a hâte de vous voir samedi ! ^SG\"",
        "{\"text\": \"RT: no credit\"}",
        "not json",
        "",
        "\"Only 2 days left!!! BUY NOW\"",
        "\"@marie Merci, on regarde ça tout de suite. Bonne journée, Margo\"",
    ];
    let input: String = (0..1_500)
        .map(|i| match shapes[i % shapes.len()] {
            // Every line different, so a line written in another's place cannot go unseen.
            s if s.starts_with('"') => format!("{}{i}\"\n", &s[..s.len() - 1]),
            s => format!("{s}\n"),
        })
        .collect();
    let one = tweetguard(&["review", "--format", "jsonl", "--jobs", "1"], &input);
    let many = tweetguard(&["review", "--format", "jsonl", "--jobs", "3"], &input);
    assert_eq!(
        one.status.code(),
        Some(1),
        "a blocked line makes the status 1"
    );
    assert_eq!(many.status.code(), one.status.code());
    assert_eq!(stdout(&one).lines().count(), 1_500);
    assert!(
        stdout(&one) == stdout(&many),
        "the same lines, in the same order"
    );
    assert!(stdout(&one)
        .lines()
        .nth(3)
        .is_some_and(|l| l.contains("\"error\"")));
    let refused = tweetguard(&["review", "--format", "jsonl", "--jobs", "0"], "\"x\"\n");
    assert_eq!(
        refused.status.code(),
        Some(2),
        "no workers is a usage error"
    );
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

const RULES: &str = r#"
[[rule]]
id = "competitor"
pattern = '\bglobex\b'
severity = "error"
message.fr = "On ne cite pas {terms}."
message.en = "We don't name {terms}."
fix = "Parlez de nous."
examples = { flag = "Mieux que Globex", pass = "Globexpress" }

[[rule]]
id = "ad-required"
pattern = "partenariat|sponsored"
unless = '#(ad|pub)\b'
severity = "suggestion"
message = "Add #ad."
"#;

fn team_findings(v: &Value) -> Vec<&Value> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["guideline"] == "team")
        .collect()
}

#[test]
fn rules_file_adds_the_teams_rules() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rules.toml");
    std::fs::write(&path, RULES).unwrap();
    let rules = path.to_str().unwrap();
    let text = "En partenariat avec nous, bien mieux que GLÔBEX ^SG";
    let o = tweetguard(&["review", "--format", "json", "--rules", rules, text], "");
    assert_eq!(
        o.status.code(),
        Some(1),
        "an error-severity team rule blocks"
    );
    let v = json(&o);
    let found = team_findings(&v);
    let ids: Vec<&str> = found.iter().filter_map(|f| f["rule"].as_str()).collect();
    assert_eq!(ids, ["team.competitor", "team.ad-required"]);
    let competitor = found[0];
    assert_eq!(competitor["severity"], "error");
    assert_eq!(competitor["message"], "On ne cite pas GLÔBEX.");
    assert_eq!(competitor["fix"], "Parlez de nous.");
    let span = &competitor["spans"][0];
    let (start, end) = (
        span["start"].as_u64().unwrap() as usize,
        span["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[start..end], "GLÔBEX");

    // An English tweet gets the English message; `#ad` answers the must.
    let v = json(&tweetguard(
        &[
            "review",
            "--format",
            "json",
            "--rules",
            rules,
            "Sponsored: Globex, retired #ad ^SG",
        ],
        "",
    ));
    let found = team_findings(&v);
    assert_eq!(found.len(), 1, "{v:#}");
    assert_eq!(found[0]["message"], "We don't name Globex.");

    // The text report shows them under their own heading; jsonl applies them to every line.
    let out = stdout(&tweetguard(&["review", "--rules", rules, text], ""));
    assert!(out.contains("Les règles de l'équipe"), "{out}");
    let o = tweetguard(
        &["review", "--format", "jsonl", "--rules", rules],
        "\"Globex\"\n\"Rien\"\n",
    );
    let lines: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(team_findings(&lines[0]).len(), 1);
    assert!(team_findings(&lines[1]).is_empty());
}

#[test]
fn a_bad_rules_file_exits_2_with_the_file_the_rule_and_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "[[rule]]\nid = \"x\"\npattern = \"(oops\"\nseverity = \"error\"\nmessage = \"m\"\n",
            "rule `x`: the pattern is not a valid regular expression",
        ),
        (
            "[[rule]]\nid = \"big\"\npattern = '\\w{200}\\w{200}\\w{200}'\nseverity = \"error\"\nmessage = \"m\"\n",
            "rule `big`: the pattern is too large once compiled",
        ),
        (
            "[[rule]]\nid = \"ex\"\npattern = \"promo\"\nseverity = \"error\"\nmessage = \"m\"\nexamples.pass = \"Promo !\"\n",
            "rule `ex`: its pass example is flagged: \"Promo !\"",
        ),
        (
            "[[rule]]\nid = \"typo\"\npatern = \"x\"\nseverity = \"error\"\nmessage = \"m\"\n",
            "unknown field `patern`",
        ),
        (
            "[[rule]]\nid = \"sev\"\npattern = \"x\"\nseverity = \"fatal\"\nmessage = \"m\"\n",
            "unknown variant `fatal`",
        ),
    ];
    for (i, (file, expected)) in cases.iter().enumerate() {
        let path = dir.path().join(format!("rules{i}.toml"));
        std::fs::write(&path, file).unwrap();
        let o = tweetguard(&["review", "--rules", path.to_str().unwrap(), "promo"], "");
        assert_eq!(o.status.code(), Some(2), "{file}");
        assert!(o.stdout.is_empty(), "no review printed");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(path.to_str().unwrap()), "{err}");
        assert!(err.contains(expected), "{expected} in {err}");
    }
    let o = tweetguard(&["review", "--rules", "/nonexistent/rules.toml", "x"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/nonexistent/rules.toml"));
}

#[test]
fn the_readme_rules_example_is_a_valid_rules_file() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let section = readme
        .split("#### Team rules")
        .nth(1)
        .expect("README documents team rules");
    let example = section
        .split("```toml\n")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .expect("a TOML example");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rules.toml");
    std::fs::write(&path, example).unwrap();
    let o = tweetguard(
        &[
            "review",
            "--format",
            "json",
            "--rules",
            path.to_str().unwrap(),
            "Sponsored by Globex ^SG",
        ],
        "",
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v = json(&o);
    let ids: Vec<&str> = team_findings(&v)
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert_eq!(ids, ["team.competitor", "team.ad-required"]);
}

#[test]
fn own_domains_and_handles_are_checked_from_flags_and_the_environment() {
    let tweet = "Tout sur https://blog.acme.com/x, par @acme ^SG";
    let ok = tweetguard(
        &[
            "review",
            "--format",
            "json",
            "--own-domain",
            "https://www.Acme.com/",
            "--own-domain",
            "acme.fr",
            "--own-handle",
            "@Acme",
            tweet,
        ],
        "",
    );
    assert_ne!(
        ok.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let o = tweetguard(&["review", "--own-domain", "acme", tweet], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("`acme` is not a domain"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // The environment is read, comma-separated.
    let o = tweetguard_with(
        &["review", tweet],
        "",
        &[("TWEETGUARD_OWN_DOMAINS", "acme.com,not a domain")],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("`not a domain` is not a domain"));
    let o = tweetguard_with(
        &["review", tweet],
        "",
        &[
            ("TWEETGUARD_OWN_DOMAINS", "acme.com,acme.fr"),
            ("TWEETGUARD_OWN_HANDLES", "acme"),
        ],
    );
    assert_ne!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = tweetguard_with(&["review", tweet], "", &[("TWEETGUARD_OWN_HANDLES", "a b")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("`a b` is not a handle"));
}

#[test]
fn the_accounts_own_domain_needs_no_source_and_a_foreign_one_does() {
    let rules = |args: &[&str]| -> Vec<String> {
        let o = tweetguard(args, "");
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("a JSON review");
        v["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f["rule"].as_str().map(str::to_string))
            .collect()
    };
    let own = "Tout savoir sur nos travaux d'été https://blog.acme.com/ete ^SG";
    let foreign = "Tout savoir sur le vélo d'hiver https://example.org/velo ^SG";
    let with_domain = ["review", "--format", "json", "--own-domain", "acme.com"];
    assert!(!rules(&[&with_domain[..], &[own]].concat()).contains(&"relay.link-source".to_string()));
    assert!(
        rules(&[&with_domain[..], &[foreign]].concat()).contains(&"relay.link-source".to_string())
    );
}

fn rules_of(v: &Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().expect("rule").to_owned())
        .collect()
}

#[test]
fn images_are_checked_with_their_alt_texts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let png = dir.path().join("door.png");
    std::fs::write(&png, tweetguard::media::samples::png(32, 24)).expect("written");
    let not_image = dir.path().join("notes.jpg");
    std::fs::write(&not_image, b"just some words, not a picture").expect("written");
    let text = "Our workshop opens Monday: come and paint with us! ^SG";
    let with =
        |image: String| tweetguard(&["review", "--format", "json", "--image", &image, text], "");

    let missing = with(png.display().to_string());
    assert_eq!(missing.status.code(), Some(1), "no alt text blocks");
    assert!(rules_of(&json(&missing)).contains(&"media.alt-text".to_owned()));

    let described = with(format!("{}=A red door half painted blue", png.display()));
    let rules = rules_of(&json(&described));
    assert!(!rules.iter().any(|r| r.starts_with("media.")), "{rules:?}");

    let file_name = with(format!("{}=IMG_2041.jpg", png.display()));
    assert!(rules_of(&json(&file_name)).contains(&"media.alt-quality".to_owned()));

    let recommended = tweetguard(
        &[
            "review",
            "--format",
            "json",
            "--alt-text",
            "recommended",
            "--image",
            &png.display().to_string(),
            text,
        ],
        "",
    );
    assert_eq!(recommended.status.code(), Some(0), "only a warning");

    let refused = with(not_image.display().to_string());
    assert_eq!(refused.status.code(), Some(2));
    let err = String::from_utf8_lossy(&refused.stderr).into_owned();
    assert!(
        err.contains("notes.jpg") && err.contains("not a PNG, JPEG, GIF or WebP"),
        "{err}"
    );
}
