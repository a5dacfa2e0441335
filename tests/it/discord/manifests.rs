//! `commands/*.json`: every manifest valid, built in, and answered by a handler; every
//! handler has its manifest.

use std::path::Path;

use tweetguard::discord::manifest::{self, BUILTIN};
use tweetguard::discord::router::{Router, COMMANDS};

fn on_disk() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("commands");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("commands/")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let json = std::fs::read_to_string(&p).expect("readable manifest");
            (name, json)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_manifest_on_disk_is_built_in_and_valid() {
    let disk = on_disk();
    let mut builtin: Vec<(String, String)> = BUILTIN
        .iter()
        .map(|(f, j)| (f.to_string(), j.to_string()))
        .collect();
    builtin.sort();
    assert_eq!(
        disk.iter().map(|(f, _)| f).collect::<Vec<_>>(),
        builtin.iter().map(|(f, _)| f).collect::<Vec<_>>(),
        "add the file to manifest::BUILTIN"
    );
    manifest::parse_all(disk.iter().map(|(f, j)| (f.as_str(), j.as_str())))
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn every_manifest_has_a_handler_and_every_handler_a_manifest() {
    let manifests = manifest::builtin().unwrap_or_else(|e| panic!("{e}"));
    for m in &manifests {
        assert!(
            Router::handles_command(&m.name),
            "{}: no handler for `{}` (router::COMMANDS)",
            m.file,
            m.name
        );
    }
    for name in COMMANDS {
        assert!(
            manifests.iter().any(|m| m.name == *name),
            "the handler `{name}` has no manifest in commands/"
        );
    }
}

#[test]
fn the_review_commands_are_translated() {
    let manifests = manifest::builtin().unwrap_or_else(|e| panic!("{e}"));
    let menu = manifests
        .iter()
        .find(|m| m.kind == 3)
        .expect("a message context menu");
    assert_eq!(menu.name, "Review as tweet");
    assert_eq!(
        menu.json["name_localizations"]["fr"],
        "Examiner comme tweet"
    );
    let slash = manifests
        .iter()
        .find(|m| m.name == "review")
        .expect("/review");
    assert_eq!(slash.json["options"][0]["name"], "text");
    assert_eq!(slash.json["options"][0]["required"], true);
    assert_eq!(slash.json["options"][0]["max_length"], 4000);
}

#[test]
fn submit_is_translated_and_its_text_may_come_from_a_form() {
    let manifests = manifest::builtin().unwrap_or_else(|e| panic!("{e}"));
    let submit = manifests
        .iter()
        .find(|m| m.name == "submit")
        .expect("/submit");
    assert_eq!(submit.json["name_localizations"]["fr"], "proposer");
    for loc in ["fr", "en-US", "en-GB"] {
        assert!(
            submit.json["description_localizations"][loc].is_string(),
            "{loc}"
        );
    }
    assert_eq!(submit.json["options"][0]["name"], "text");
    assert_eq!(submit.json["options"][0]["required"], false);
    assert_eq!(submit.json["options"][1]["name"], "note");
    assert_eq!(submit.json["options"][1]["required"], false);
}
