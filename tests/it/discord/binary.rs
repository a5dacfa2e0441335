//! `tweetguard serve` and `register` as a person runs them: no token, help, secrets.

use std::process::{Command, Output};

fn tweetguard(args: &[&str], envs: &[(&str, &str)]) -> Output {
    // In an empty directory: a developer's `.env` must not leak into the test.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tweetguard"));
    cmd.args(args).current_dir(dir.path());
    for var in [
        "DISCORD_TOKEN",
        "DISCORD_API_URL",
        "DISCORD_APPLICATION_ID",
        "DATABASE_URL",
        "DISCORD_PUBLIC_KEY",
        "HTTP_ADDR",
        "TRANSPORT",
        "SHARDS",
    ] {
        cmd.env_remove(var);
    }
    cmd.envs(envs.iter().copied());
    cmd.output().expect("the tweetguard binary runs")
}

#[test]
fn serve_and_register_without_a_token_say_how_to_get_one_and_exit_2() {
    for cmd in ["serve", "register"] {
        let o = tweetguard(&[cmd], &[]);
        assert_eq!(o.status.code(), Some(2), "{cmd}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("DISCORD_TOKEN"), "{err}");
        assert!(
            err.contains("Developer Portal") && err.contains("Reset Token"),
            "{err}"
        );
    }
}

#[test]
fn help_never_shows_the_token() {
    let o = tweetguard(&["serve", "--help"], &[("DISCORD_TOKEN", "s3cr3t.t0k3n")]);
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("DISCORD_TOKEN"), "{out}");
    assert!(!out.contains("s3cr3t"), "{out}");
    for setting in [
        "DISCORD_API_URL",
        "DATABASE_URL",
        "REVIEW_CHANNEL_ID",
        "REVIEWER_ROLE_IDS",
        "CONTRACTOR_ROLE_IDS",
        "REQUIRED_APPROVALS",
        "REVIEW_RATE_PER_MINUTE",
    ] {
        assert!(out.contains(setting), "{setting} missing from --help");
    }
}

#[test]
fn http_transport_needs_a_well_formed_public_key() {
    let envs = [
        ("DISCORD_TOKEN", "t.o.k"),
        ("DATABASE_URL", "sqlite://unused.db"),
    ];
    let o = tweetguard(&["serve", "--transport", "http"], &envs);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("DISCORD_PUBLIC_KEY"), "{err}");
    for bad in ["xyz", "00", &"zz".repeat(32)] {
        let mut envs = envs.to_vec();
        envs.push(("DISCORD_PUBLIC_KEY", bad));
        let o = tweetguard(&["serve", "--transport", "http"], &envs);
        assert_eq!(o.status.code(), Some(2), "{bad}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("invalid DISCORD_PUBLIC_KEY"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn healthcheck_fails_when_nothing_listens() {
    let port = super::process::free_port().to_string();
    let o = tweetguard(
        &["healthcheck", "--http-addr", &format!("127.0.0.1:{port}")],
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn serve_says_when_http_addr_is_taken_and_exits_2() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let addr = taken.local_addr().expect("its address").to_string();
    let o = tweetguard(
        &["serve", "--http-addr", &addr],
        &[
            ("DISCORD_TOKEN", "t.o.k"),
            ("DATABASE_URL", "sqlite://tg.db"),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("cannot listen on HTTP_ADDR"), "{err}");
}
