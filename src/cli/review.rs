//! `tweetguard review`: the quick tone check in a terminal or a script.
//!
//! Exit status: 0 when nothing reviewed is blocked, 1 when a reviewed tweet is blocked, 2 on
//! usage or I/O errors.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use clap::builder::TypedValueParser;
use clap::{Args, ValueEnum};
use serde::Deserialize;

use super::jsonl;
use crate::review::media::{AltText, ImageFacts};
use crate::review::networks::Network;
use crate::review::{own_places, render, review, team_rules, History, Language, Settings, Verdict};

/// How `review` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A report for a person, grouped by guideline (colour on a terminal).
    Text,
    /// One JSON object.
    Json,
    /// One tweet per input line (a JSON string or `{"text": ...}`), one review per output line.
    Jsonl,
}

/// The language of the review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// The tweet's own language, detected.
    Auto,
    Fr,
    En,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The tweet; read from standard input when absent.
    pub text: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Review language: detected from the tweet, or forced.
    #[arg(long, value_enum, default_value = "auto")]
    pub lang: LangArg,
    /// The weighted length limit.
    #[arg(long, default_value_t = 280, env = "TWEETGUARD_LIMIT")]
    pub limit: usize,
    /// Don't ask for a signature (`^SG`) at the end of the tweet.
    #[arg(long)]
    pub no_signature: bool,
    /// Your own signature, recognised at the end and proposed as the fix (`^SG`).
    #[arg(long, env = "TWEETGUARD_SIGNATURE")]
    pub signature: Option<String>,
    /// The company's name (talking only about it is self-talk; "X is pleased" is third person).
    #[arg(long, env = "TWEETGUARD_COMPANY")]
    pub company: Option<String>,
    /// JSON lines of the account's earlier posted tweets, oldest first (history rules).
    #[arg(long)]
    pub history: Option<PathBuf>,
    /// The team's own rules: a TOML file of `[[rule]]` tables (id, pattern, severity,
    /// message, fix, examples); findings are `team.<id>`. See README.md.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// One of the account's own domains (repeatable): links to it are its own content.
    #[arg(
        long = "own-domain",
        value_name = "DOMAIN",
        env = "TWEETGUARD_OWN_DOMAINS",
        value_delimiter = ','
    )]
    pub own_domains: Vec<String>,
    /// One of the company's own handles on any network (repeatable, `@` optional).
    #[arg(
        long = "own-handle",
        value_name = "HANDLE",
        env = "TWEETGUARD_OWN_HANDLES",
        value_delimiter = ','
    )]
    pub own_handles: Vec<String>,
    /// Don't check spelling (the `spelling` guideline).
    #[arg(long)]
    pub no_spelling: bool,
    /// Words the spelling check accepts: one per line, `#` comments (product names, jargon).
    #[arg(long, value_name = "FILE")]
    pub words: Option<PathBuf>,
    /// An image posted with the tweet, with its alt text after `=` (repeatable, at most 4):
    /// `--image photo.jpg="Two people painting a wall"`. Checked like a proposal's images.
    #[arg(long = "image", value_name = "FILE[=ALT]")]
    pub images: Vec<String>,
    /// How an image without alt text weighs: required (an error), recommended (a warning), off.
    #[arg(long = "alt-text", value_name = "POLICY", default_value = "required")]
    pub alt_text: String,
    /// A network the post goes to (repeatable: x, mastodon, bluesky): its limits are checked.
    #[arg(long = "network", value_name = "NETWORK", value_delimiter = ',')]
    pub networks: Vec<String>,
    /// With `--format jsonl`: how many tweets are reviewed at once (default: one per core).
    /// Output stays in input order whatever the number.
    #[arg(long, value_name = "N", env = "TWEETGUARD_JOBS",
          value_parser = clap::value_parser!(u16).range(1..=256).map(usize::from))]
    pub jobs: Option<usize>,
}

/// What can go wrong before or while reviewing: each a message for the person at the terminal.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("cannot read {what}: {source}")]
    Read {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}, line {line}: {reason}")]
    History {
        file: String,
        line: usize,
        reason: String,
    },
    #[error("cannot write the review: {0}")]
    Write(#[source] std::io::Error),
    #[error("{file}: {reason}")]
    Rules { file: String, reason: String },
    #[error(transparent)]
    OwnPlace(#[from] own_places::OwnPlaceError),
    #[error("{file}: {reason}")]
    Image { file: String, reason: String },
    #[error("{0}")]
    Usage(String),
}

impl ReviewArgs {
    /// The review settings these flags describe; reads and checks the `--rules` file.
    pub fn settings(&self) -> Result<Settings, ReviewError> {
        let mut s = Settings::default();
        s.limit = self.limit;
        s.language = match self.lang {
            LangArg::Auto => None,
            LangArg::Fr => Some(Language::Fr),
            LangArg::En => Some(Language::En),
        };
        s.signature_required = !self.no_signature;
        s.signature = self.signature.clone().filter(|x| !x.trim().is_empty());
        s.company = self.company.clone().filter(|x| !x.trim().is_empty());
        own_places::edit(
            &mut s.own_domains,
            &self.own_domains,
            false,
            own_places::domain,
        )?;
        own_places::edit(
            &mut s.own_handles,
            &self.own_handles,
            false,
            own_places::handle,
        )?;
        if let Some(path) = &self.rules {
            load_rules(path, &mut s)?;
        }
        s.spelling = !self.no_spelling;
        if let Some(path) = &self.words {
            load_words(path, &mut s)?;
        }
        s.alt_text = AltText::parse(&self.alt_text).ok_or_else(|| {
            ReviewError::Usage(format!(
                "--alt-text {}: use required, recommended or off",
                self.alt_text
            ))
        })?;
        for n in &self.networks {
            let network = Network::parse(n.trim()).ok_or_else(|| {
                ReviewError::Usage(format!("--network {n}: use x, mastodon or bluesky"))
            })?;
            if !s.networks.contains(&network) {
                s.networks.push(network);
            }
        }
        if self.images.len() > crate::workflow::MAX_IMAGES {
            return Err(ReviewError::Usage(format!(
                "at most {} --image",
                crate::workflow::MAX_IMAGES
            )));
        }
        for spec in &self.images {
            s.images.push(load_image(spec)?);
        }
        Ok(s)
    }
}

/// Read the `--rules` file into the settings: every rule checked and compiled once, the first
/// refusal (with its reason) an error.
fn load_rules(path: &PathBuf, settings: &mut Settings) -> Result<(), ReviewError> {
    let file = path.display().to_string();
    let data = std::fs::read_to_string(path).map_err(|source| ReviewError::Read {
        what: file.clone(),
        source,
    })?;
    let refused = |reason: String| ReviewError::Rules {
        file: file.clone(),
        reason,
    };
    let specs = team_rules::specs_from_toml(&data).map_err(|e| refused(e.to_string()))?;
    settings
        .add_team_rules(specs)
        .map_err(|e| refused(e.to_string()))
}

/// Reads `FILE[=ALT]`: the file is checked as a proposal's image is (type by its bytes,
/// decoded whole, at most 20 MB).
fn load_image(spec: &str) -> Result<ImageFacts, ReviewError> {
    let (path, alt) = match spec.split_once('=') {
        Some((p, a)) => (p, Some(a)),
        None => (spec, None),
    };
    let bytes = std::fs::read(path).map_err(|source| ReviewError::Read {
        what: path.to_owned(),
        source,
    })?;
    let file = crate::media::inspect(bytes, alt).map_err(|e| ReviewError::Image {
        file: path.to_owned(),
        reason: e.to_string(),
    })?;
    Ok(crate::media::facts(&file))
}

/// The words of a `--words` file: one per line, `#` starts a comment.
fn load_words(path: &PathBuf, settings: &mut Settings) -> Result<(), ReviewError> {
    let data = std::fs::read_to_string(path).map_err(|source| ReviewError::Read {
        what: path.display().to_string(),
        source,
    })?;
    settings.add_known_words(data.lines().map(|l| l.split('#').next().unwrap_or("")));
    Ok(())
}

/// One line of JSONL input: a JSON string, or an object with `text`.
#[derive(Deserialize)]
#[serde(untagged)]
enum Line {
    Text(String),
    Object { text: String },
}

pub(super) fn parse_line(line: &str) -> Result<String, String> {
    match serde_json::from_str::<Line>(line) {
        Ok(Line::Text(t) | Line::Object { text: t }) => Ok(t),
        Err(_) if line.trim().is_empty() => {
            Err("empty line: expected a JSON string or {\"text\": ...}".into())
        }
        Err(e) => Err(format!("expected a JSON string or {{\"text\": ...}} ({e})")),
    }
}

/// Read the `--history` file into a summary.
fn load_history(path: &PathBuf, settings: &Settings) -> Result<History, ReviewError> {
    let file = path.display().to_string();
    let data = std::fs::read_to_string(path).map_err(|source| ReviewError::Read {
        what: file.clone(),
        source,
    })?;
    let mut tweets = Vec::new();
    for (i, line) in data.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let text = parse_line(line).map_err(|reason| ReviewError::History {
            file: file.clone(),
            line: i + 1,
            reason,
        })?;
        tweets.push(text);
    }
    Ok(History::from_tweets(tweets, settings))
}

/// Run `review`: returns whether any reviewed tweet is blocked.
pub fn run(
    args: &ReviewArgs,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    colour: bool,
) -> Result<bool, ReviewError> {
    let settings = args.settings()?;
    let history = match &args.history {
        Some(p) => load_history(p, &settings)?,
        None => History::default(),
    };
    let write = |out: &mut dyn Write, s: &str| -> Result<(), ReviewError> {
        out.write_all(s.as_bytes()).map_err(ReviewError::Write)
    };
    if args.format == Format::Jsonl {
        return run_jsonl(args, &settings, &history, input, out);
    }
    let text = match &args.text {
        Some(t) => t.clone(),
        None => {
            let mut s = String::new();
            input
                .read_to_string(&mut s)
                .map_err(|source| ReviewError::Read {
                    what: "standard input".into(),
                    source,
                })?;
            trim_final_newline(&mut s);
            s
        }
    };
    let r = review(&text, &settings, &history);
    match args.format {
        Format::Text => write(out, &render::text(&r, &text, colour))?,
        _ => write(out, &(render::json(&r) + "\n"))?,
    }
    Ok(r.verdict == Verdict::Blocked)
}

fn run_jsonl(
    args: &ReviewArgs,
    settings: &Settings,
    history: &History,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> Result<bool, ReviewError> {
    if let Some(t) = &args.text {
        // The text's lines, one job: read like standard input.
        return jsonl::run(settings, history, &mut t.as_bytes(), out, 1);
    }
    let jobs = args.jobs.unwrap_or_else(jsonl::default_jobs);
    jsonl::run(settings, history, input, out, jobs)
}

fn trim_final_newline(s: &mut String) {
    if s.ends_with('\n') {
        s.pop();
        if s.ends_with('\r') {
            s.pop();
        }
    }
}
