//! `tweetguard stats --guild ID [--since DATE] [--network N] --format text|json|csv|png
//! [--out FILE]`: the same figures as `/stats`, for a report or a spreadsheet.

use std::io::Write;
use std::path::PathBuf;

use chrono::{DateTime, TimeDelta, Utc};

use crate::review::Language;
use crate::stats::{chart, compute, render};
use crate::store::export::{parse_since, sqlite_path};
use crate::store::{AuditQuery, StoreError};
use crate::workflow::GuildId;

/// How the figures are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StatsFormat {
    Text,
    Json,
    Csv,
    Png,
}

#[derive(Debug, Clone, clap::Args)]
pub struct StatsArgs {
    /// The server (its Discord id).
    #[arg(long)]
    pub guild: u64,
    /// From this date (YYYY-MM-DD, UTC midnight) or instant (RFC 3339); default: 30 days ago.
    #[arg(long, value_parser = parse_since)]
    pub since: Option<DateTime<Utc>>,
    /// Only this network's posts (`x`, `mastodon`, `bluesky`).
    #[arg(long)]
    pub network: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: StatsFormat,
    /// Write there instead of standard output (a PNG needs it unless piped).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The language of the text and the chart's labels.
    #[arg(long, value_parser = parse_lang, default_value = "en")]
    pub lang: Language,
    /// `sqlite://path` or `postgres://...`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://tweetguard.db",
        hide_env_values = true
    )]
    pub database_url: String,
}

fn parse_lang(s: &str) -> Result<Language, String> {
    match s {
        "fr" => Ok(Language::Fr),
        "en" => Ok(Language::En),
        other => Err(format!("{other}: fr or en")),
    }
}

/// Why the figures could not be written.
#[derive(Debug, thiserror::Error)]
pub enum StatsError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("there is no database at {0}")]
    NoDatabase(String),
    #[error(transparent)]
    Chart(#[from] chart::ChartError),
    #[error("writing the statistics failed: {0}")]
    Io(#[from] std::io::Error),
}

/// Reads the server's timeline and audit trail, and writes the figures.
pub async fn run(args: StatsArgs) -> Result<(), StatsError> {
    if let Some(path) = sqlite_path(&args.database_url) {
        if path != ":memory:" && !std::path::Path::new(path).exists() {
            return Err(StatsError::NoDatabase(path.to_owned()));
        }
    }
    let store = crate::store::open(&args.database_url).await?;
    let now = Utc::now();
    let since = args.since.unwrap_or(now - TimeDelta::days(30));
    let guild = GuildId(args.guild);
    let posts = store.timeline(guild, Some(since)).await?;
    let audit = store
        .audit(&AuditQuery {
            since: Some(since),
            guild: Some(guild),
        })
        .await?;
    let stats = compute(&posts, &audit, since, now, args.network.as_deref());
    let bytes = match args.format {
        StatsFormat::Text => render::text(&stats, args.lang).into_bytes(),
        StatsFormat::Json => render::json(&stats).into_bytes(),
        StatsFormat::Csv => render::csv(&stats).into_bytes(),
        StatsFormat::Png => chart::png(&stats, args.lang)?,
    };
    match &args.out {
        Some(path) => std::fs::write(path, &bytes)?,
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    Ok(())
}
