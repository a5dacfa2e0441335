//! The house rule: the review engine and the approval workflow stay pure. They never import
//! an async runtime, a database, Discord, HTTP or the clock, so they are tested with plain
//! unit tests and behave the same under every transport.

use std::path::Path;

const FORBIDDEN: [&str; 11] = [
    "tokio",
    "sqlx",
    "serenity",
    "reqwest",
    "axum",
    "hyper",
    "std::fs",
    "std::net",
    "SystemTime",
    "Utc::now",
    "Local::now",
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn review_and_workflow_do_no_io() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for pure in ["review", "workflow"] {
        rust_files(&root.join(pure), &mut files);
    }
    assert!(files.len() > 5, "found only {files:?}");
    let mut offences = Vec::new();
    for f in &files {
        let src = std::fs::read_to_string(f).expect("source file is readable");
        for (n, line) in src.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in FORBIDDEN {
                if code.contains(word) {
                    offences.push(format!("{}:{}: {}", f.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        offences.is_empty(),
        "pure modules must not do I/O:\n{}",
        offences.join("\n")
    );
}
