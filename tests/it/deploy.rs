//! The deploy files (`deploy/`) parse, and name only settings that exist: the environment
//! variables the command line reads (from clap's definitions) and those `.env.example`
//! documents. Commands in them (CMD, ExecStart, container args, HEALTHCHECK) parse as
//! tweetguard command lines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use clap::{CommandFactory, Parser};
use serde_yaml::Value;
use tweetguard::cli::Cli;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every environment variable a clap argument reads, in every subcommand.
fn clap_settings() -> BTreeSet<String> {
    fn walk(cmd: &clap::Command, out: &mut BTreeSet<String>) {
        for arg in cmd.get_arguments() {
            if let Some(env) = arg.get_env() {
                out.insert(env.to_string_lossy().into_owned());
            }
        }
        for sub in cmd.get_subcommands() {
            walk(sub, out);
        }
    }
    let mut out = BTreeSet::new();
    walk(&Cli::command(), &mut out);
    out
}

/// The variables `.env.example` documents (`NAME=` or `# NAME=`).
fn env_example_settings() -> BTreeSet<String> {
    read(".env.example")
        .lines()
        .filter_map(|l| {
            let l = l.trim_start_matches('#').trim();
            let (name, _) = l.split_once('=')?;
            let ok = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
            ok.then(|| name.to_string())
        })
        .collect()
}

/// The settings that exist.
fn settings() -> BTreeSet<String> {
    let mut s = clap_settings();
    s.extend(env_example_settings());
    s
}

fn assert_settings(file: &str, names: impl IntoIterator<Item = String>) {
    let known = settings();
    let mut seen = 0;
    for n in names {
        seen += 1;
        assert!(
            known.contains(&n),
            "{file} names `{n}`, which is no setting of tweetguard"
        );
    }
    assert!(seen > 0, "{file}: no settings found; is the parser right?");
}

/// `argv` (without the program name) parses as a tweetguard command line.
fn assert_cli(file: &str, argv: &[String]) {
    let mut full = vec!["tweetguard".to_string()];
    full.extend(argv.iter().cloned());
    if let Err(e) = Cli::try_parse_from(&full) {
        panic!(
            "{file}: `{}` is not a tweetguard command line: {e}",
            argv.join(" ")
        );
    }
}

fn port_of(addr: &str) -> u16 {
    addr.rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {addr}"))
}

#[test]
fn every_setting_is_documented_in_env_example_and_the_readme() {
    let example = env_example_settings();
    let readme = read("README.md");
    for s in clap_settings() {
        assert!(example.contains(&s), ".env.example lacks {s}");
        assert!(readme.contains(&format!("`{s}`")), "README.md lacks `{s}`");
    }
    for s in ["TRANSPORT", "HTTP_ADDR", "DISCORD_PUBLIC_KEY", "SHARDS"] {
        assert!(clap_settings().contains(s), "{s} is a setting");
    }
}

// --- Dockerfile --------------------------------------------------------------------------------

const DOCKERFILE_INSTRUCTIONS: &[&str] = &[
    "FROM",
    "RUN",
    "CMD",
    "LABEL",
    "EXPOSE",
    "ENV",
    "ADD",
    "COPY",
    "ENTRYPOINT",
    "VOLUME",
    "USER",
    "WORKDIR",
    "ARG",
    "ONBUILD",
    "STOPSIGNAL",
    "HEALTHCHECK",
    "SHELL",
];

/// Instructions with their arguments, continuation lines joined, comments dropped.
fn dockerfile_instructions(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let t = line.trim();
        if current.is_empty() && (t.is_empty() || t.starts_with('#')) {
            continue;
        }
        if let Some(head) = t.strip_suffix('\\') {
            current.push_str(head);
            current.push(' ');
            continue;
        }
        current.push_str(t);
        let (word, rest) = current
            .split_once(char::is_whitespace)
            .unwrap_or((&current, ""));
        out.push((word.to_string(), rest.trim().to_string()));
        current.clear();
    }
    assert!(current.is_empty(), "a continuation line ends the file");
    out
}

/// An exec-form JSON array (`["a", "b"]`).
fn exec_form(file: &str, args: &str) -> Vec<String> {
    serde_json::from_str(args)
        .unwrap_or_else(|e| panic!("{file}: `{args}` is not an exec-form JSON array: {e}"))
}

#[test]
fn the_dockerfile_is_multi_stage_non_root_with_a_healthcheck_and_existing_settings() {
    let file = "deploy/Dockerfile";
    let ins = dockerfile_instructions(&read(file));
    let mut stages: Vec<String> = Vec::new();
    let mut env = BTreeMap::new();
    let (mut user, mut entrypoint, mut cmd, mut health, mut volumes, mut expose) =
        (None, Vec::new(), Vec::new(), None, Vec::new(), Vec::new());
    for (word, args) in &ins {
        assert!(
            DOCKERFILE_INSTRUCTIONS.contains(&word.as_str()),
            "{file}: unknown instruction {word}"
        );
        match word.as_str() {
            "FROM" => {
                let parts: Vec<&str> = args.split_whitespace().collect();
                let name = match parts.as_slice() {
                    [_image] => String::new(),
                    [_image, kw, name] if kw.eq_ignore_ascii_case("AS") => name.to_string(),
                    _ => panic!("{file}: FROM {args}"),
                };
                stages.push(name);
                // Settings of the build stage don't reach the runtime image.
                env.clear();
                user = None;
            }
            "COPY" => {
                // From the build context (the repository root): the sources exist.
                let parts: Vec<&str> = args
                    .split_whitespace()
                    .filter(|a| !a.starts_with("--"))
                    .collect();
                if !args.contains("--from=") {
                    for src in &parts[..parts.len().saturating_sub(1)] {
                        assert!(
                            root().join(src).exists(),
                            "{file}: COPY {src}: not in the repository"
                        );
                    }
                }
                if let Some(from) = args
                    .split_whitespace()
                    .find_map(|a| a.strip_prefix("--from="))
                {
                    assert!(
                        stages[..stages.len() - 1].iter().any(|s| s == from),
                        "{file}: COPY --from={from}: no earlier stage of that name"
                    );
                }
            }
            "ENV" => {
                for pair in args.split_whitespace() {
                    let (k, v) = pair
                        .split_once('=')
                        .unwrap_or_else(|| panic!("{file}: ENV {pair}: expected KEY=VALUE"));
                    env.insert(k.to_string(), v.to_string());
                }
            }
            "USER" => user = Some(args.clone()),
            "ENTRYPOINT" => entrypoint = exec_form(file, args),
            "CMD" => cmd = exec_form(file, args),
            "HEALTHCHECK" => {
                let json = &args[args
                    .find('[')
                    .unwrap_or_else(|| panic!("{file}: HEALTHCHECK {args}"))..];
                assert!(args.contains("CMD"), "{file}: HEALTHCHECK without CMD");
                health = Some(exec_form(file, json));
            }
            "VOLUME" => volumes = exec_form(file, args),
            "EXPOSE" => expose.push(args.clone()),
            _ => {}
        }
    }
    assert!(stages.len() >= 2, "{file}: multi-stage");
    let user = user.unwrap_or_else(|| panic!("{file}: the runtime stage sets no USER"));
    let uid = user.split(':').next().unwrap_or("");
    assert!(uid != "root" && uid != "0", "{file}: runs as root");
    assert_settings(file, env.keys().cloned());
    // The image runs `tweetguard serve`, and probes itself with `tweetguard healthcheck`.
    assert_eq!(entrypoint, ["/usr/local/bin/tweetguard"], "{file}");
    assert_cli(file, &cmd);
    let health = health.unwrap_or_else(|| panic!("{file}: no HEALTHCHECK"));
    assert_eq!(health[0], entrypoint[0], "{file}");
    assert_cli(file, &health[1..]);
    assert_eq!(health[1], "healthcheck");
    // SQLite on the volume; the port exposed is the one HTTP_ADDR listens on.
    let db = env.get("DATABASE_URL").cloned().unwrap_or_default();
    assert!(
        volumes
            .iter()
            .any(|v| db.starts_with(&format!("sqlite://{v}/"))),
        "{file}: DATABASE_URL {db} is not on a VOLUME {volumes:?}"
    );
    let addr = env.get("HTTP_ADDR").cloned().unwrap_or_default();
    assert!(
        addr.starts_with("0.0.0.0:"),
        "{file}: HTTP_ADDR must listen beyond the container's loopback"
    );
    assert_eq!(expose, [port_of(&addr).to_string()], "{file}");
}

// --- YAML: compose and Kubernetes -------------------------------------------------------------

fn yaml_documents(file: &str) -> Vec<Value> {
    use serde::Deserialize;
    serde_yaml::Deserializer::from_str(&read(file))
        .map(|d| Value::deserialize(d).unwrap_or_else(|e| panic!("{file}: {e}")))
        .filter(|v| !v.is_null())
        .collect()
}

fn str_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => panic!("not a scalar: {other:?}"),
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_sequence()
        .map(|s| s.iter().map(str_of).collect())
        .unwrap_or_default()
}

fn map_keys(v: &Value) -> Vec<String> {
    v.as_mapping()
        .map(|m| m.keys().map(str_of).collect())
        .unwrap_or_default()
}

#[test]
fn compose_runs_the_bot_with_postgresql_or_sqlite_alone_with_existing_settings() {
    let file = "deploy/compose.yaml";
    let docs = yaml_documents(file);
    assert_eq!(docs.len(), 1, "{file}");
    let services = docs[0]["services"]
        .as_mapping()
        .unwrap_or_else(|| panic!("{file}: no services"));
    let mut bots = 0;
    let mut sqlite_alone = false;
    for (name, s) in services {
        let name = str_of(name);
        let image = s["image"].as_str().unwrap_or("");
        if !image.starts_with("tweetguard") {
            continue;
        }
        bots += 1;
        assert_eq!(
            s["build"]["dockerfile"], "deploy/Dockerfile",
            "{file}: {name}"
        );
        assert!(root().join("deploy/Dockerfile").exists());
        let env = &s["environment"];
        assert_settings(file, map_keys(env));
        assert_cli(file, &strings(&s["command"]));
        let db = str_of(&env["DATABASE_URL"]);
        let profiles = strings(&s["profiles"]);
        if db.starts_with("sqlite://") {
            assert!(profiles.contains(&"sqlite".to_string()), "{file}: {name}");
            assert!(s["depends_on"].is_null(), "{file}: {name} runs alone");
            sqlite_alone = true;
        } else {
            assert!(db.starts_with("postgres://"), "{file}: {name}: {db}");
            let host = db
                .split('@')
                .nth(1)
                .and_then(|h| h.split(':').next())
                .unwrap_or("");
            assert!(
                services.contains_key(host),
                "{file}: {name}: no service `{host}`"
            );
            assert!(
                services[host]["image"]
                    .as_str()
                    .unwrap_or("")
                    .starts_with("postgres"),
                "{file}: {host}"
            );
            assert!(profiles.is_empty(), "{file}: {name} runs by default");
        }
    }
    assert!(
        bots >= 2 && sqlite_alone,
        "{file}: the bot with PostgreSQL, and SQLite alone"
    );
}

#[test]
fn kubernetes_runs_replicas_of_the_http_transport_with_existing_settings() {
    let dir = root().join("deploy/k8s");
    let kustomization = yaml_documents("deploy/k8s/kustomization.yaml");
    let resources = strings(&kustomization[0]["resources"]);
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("deploy/k8s")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml") && n != "kustomization.yaml")
        .collect();
    on_disk.sort();
    let mut listed = resources.clone();
    listed.sort();
    assert_eq!(listed, on_disk, "kustomization.yaml lists every manifest");

    let mut by_kind: BTreeMap<(String, String), Value> = BTreeMap::new();
    for r in &resources {
        let file = format!("deploy/k8s/{r}");
        for doc in yaml_documents(&file) {
            let kind = str_of(&doc["kind"]);
            let name = str_of(&doc["metadata"]["name"]);
            assert!(doc["apiVersion"].is_string(), "{file}: {kind} {name}");
            by_kind.insert((kind, name), doc);
        }
    }
    let get = |kind: &str, name: &str| {
        by_kind
            .get(&(kind.to_string(), name.to_string()))
            .unwrap_or_else(|| panic!("no {kind} {name}"))
    };
    let deployment = get("Deployment", "tweetguard");
    assert!(
        deployment["spec"]["replicas"].as_u64().unwrap_or(0) >= 2,
        "N replicas"
    );
    let pod = &deployment["spec"]["template"]["spec"];
    let containers = pod["containers"].as_sequence().expect("containers");
    let bot = containers
        .iter()
        .find(|c| c["image"].as_str().unwrap_or("").starts_with("tweetguard"))
        .expect("the tweetguard container");
    let args = strings(&bot["args"]);
    assert_cli("deploy/k8s/deployment.yaml", &args);
    assert!(
        args.windows(2).any(|w| w == ["--transport", "http"]),
        "{args:?}"
    );

    // Settings from a ConfigMap, secrets from a Secret, both existing settings.
    let mut config = None;
    for from in bot["envFrom"].as_sequence().expect("envFrom") {
        if let Some(name) = from["configMapRef"]["name"].as_str() {
            let cm = get("ConfigMap", name);
            assert_settings("deploy/k8s/configmap.yaml", map_keys(&cm["data"]));
            assert!(
                cm["data"]["DISCORD_TOKEN"].is_null(),
                "the token is a secret"
            );
            config = Some(cm.clone());
        }
        if let Some(name) = from["secretRef"]["name"].as_str() {
            let secret = get("Secret", name);
            let keys = map_keys(&secret["stringData"]);
            assert!(keys.contains(&"DISCORD_TOKEN".to_string()));
            let db = str_of(&secret["stringData"]["DATABASE_URL"]);
            assert!(
                db.starts_with("postgres://"),
                "PostgreSQL is the shared store: {db}"
            );
            assert_settings("deploy/k8s/secret.yaml", keys);
        }
    }
    let config = config.expect("a ConfigMap");
    assert!(config["data"]["DISCORD_PUBLIC_KEY"].is_string());
    let port = port_of(&str_of(&config["data"]["HTTP_ADDR"]));
    let ports = bot["ports"].as_sequence().expect("ports");
    assert_eq!(ports[0]["containerPort"].as_u64(), Some(u64::from(port)));
    if let Some(env) = bot["env"].as_sequence() {
        assert_settings(
            "deploy/k8s/deployment.yaml",
            env.iter().map(|e| str_of(&e["name"])),
        );
    }
    assert_eq!(bot["livenessProbe"]["httpGet"]["path"], "/healthz");
    assert_eq!(bot["readinessProbe"]["httpGet"]["path"], "/readyz");
    assert_eq!(pod["securityContext"]["runAsNonRoot"], true);

    let service = get("Service", "tweetguard");
    assert_eq!(
        service["spec"]["selector"],
        deployment["spec"]["template"]["metadata"]["labels"]
    );
}

// --- systemd -----------------------------------------------------------------------------------

/// A unit file: `[Section]` headers and `Key=Value` lines (a key may repeat), comments (`#`,
/// `;`) and backslash continuations.
fn parse_unit(file: &str, text: &str) -> BTreeMap<String, Vec<(String, String)>> {
    let mut sections: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut section: Option<String> = None;
    let mut pending = String::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if pending.is_empty() && (line.is_empty() || line.starts_with('#') || line.starts_with(';'))
        {
            continue;
        }
        if let Some(head) = line.strip_suffix('\\') {
            pending.push_str(head);
            pending.push(' ');
            continue;
        }
        pending.push_str(line);
        let entry = std::mem::take(&mut pending);
        if let Some(name) = entry.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            section = Some(name.to_string());
            sections.entry(name.to_string()).or_default();
            continue;
        }
        let (k, v) = entry
            .split_once('=')
            .unwrap_or_else(|| panic!("{file}:{}: not Key=Value: {raw}", n + 1));
        let k = k.trim();
        assert!(
            !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric()),
            "{file}:{}: bad key `{k}`",
            n + 1
        );
        let s = section
            .clone()
            .unwrap_or_else(|| panic!("{file}:{}: outside a section", n + 1));
        sections
            .entry(s)
            .or_default()
            .push((k.to_string(), v.trim().to_string()));
    }
    sections
}

#[test]
fn the_systemd_unit_is_hardened_and_names_existing_settings() {
    let file = "deploy/tweetguard.service";
    let unit = parse_unit(file, &read(file));
    for s in ["Unit", "Service", "Install"] {
        assert!(unit.contains_key(s), "{file}: no [{s}]");
    }
    let service = &unit["Service"];
    let one = |k: &str| -> String {
        let v: Vec<&String> = service
            .iter()
            .filter(|(key, _)| key == k)
            .map(|(_, v)| v)
            .collect();
        assert_eq!(v.len(), 1, "{file}: {k}= once");
        v[0].clone()
    };
    for (k, v) in [
        ("DynamicUser", "yes"),
        ("ProtectSystem", "strict"),
        ("NoNewPrivileges", "yes"),
        ("Restart", "on-failure"),
        ("StateDirectory", "tweetguard"),
    ] {
        assert_eq!(one(k), v, "{file}: {k}");
    }
    let env_file = one("EnvironmentFile");
    assert!(
        env_file.trim_start_matches('-').starts_with('/'),
        "{file}: {env_file}"
    );
    let exec: Vec<String> = one("ExecStart")
        .split_whitespace()
        .map(String::from)
        .collect();
    assert!(exec[0].ends_with("/tweetguard"), "{file}: {exec:?}");
    assert_cli(file, &exec[1..]);
    let names: Vec<String> = service
        .iter()
        .filter(|(k, _)| k == "Environment")
        .flat_map(|(_, v)| {
            v.split_whitespace()
                .map(|p| p.trim_matches('"').to_string())
                .collect::<Vec<_>>()
        })
        .map(|p| p.split_once('=').map(|(k, _)| k.to_string()).unwrap_or(p))
        .collect();
    assert_settings(file, names);
    // The SQLite file is in the state directory, the only writable place.
    let db = service
        .iter()
        .find(|(k, v)| k == "Environment" && v.starts_with("DATABASE_URL="))
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    assert!(db.contains("/var/lib/tweetguard/"), "{file}: {db}");
}

#[test]
fn the_unit_parser_refuses_broken_units() {
    let broken = std::panic::catch_unwind(|| parse_unit("x", "[Service]\nNoEquals\n"));
    assert!(broken.is_err());
    let outside = std::panic::catch_unwind(|| parse_unit("x", "Key=value\n"));
    assert!(outside.is_err());
    let ok = parse_unit("x", "[Service]\nExecStart=/bin/a \\\n  b\n");
    assert_eq!(ok["Service"][0].1, "/bin/a  b");
}
