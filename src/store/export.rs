//! `tweetguard export`: the audit trail as JSON lines or CSV, for a person or an auditor.

use std::io::Write;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::{AuditQuery, AuditRecord, Store, StoreError};
use crate::workflow::GuildId;

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One JSON object per line.
    Jsonl,
    /// A header line, then one row per entry.
    Csv,
}

/// `tweetguard export` options.
#[derive(Debug, Clone, clap::Args)]
pub struct ExportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: Format,
    /// Only entries from this date (YYYY-MM-DD, UTC midnight) or instant (RFC 3339) on.
    #[arg(long, value_parser = parse_since)]
    pub since: Option<DateTime<Utc>>,
    /// Only this server's entries (its Discord id).
    #[arg(long)]
    pub guild: Option<u64>,
    /// `sqlite://path` or `postgres://...`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://tweetguard.db",
        hide_env_values = true
    )]
    pub database_url: String,
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("there is no database at {0}")]
    NoDatabase(String),
    #[error("writing the export failed")]
    Io(#[from] std::io::Error),
    #[error("writing the export failed")]
    Csv(#[from] csv::Error),
    #[error("writing the export failed")]
    Json(#[from] serde_json::Error),
}

/// Reads `YYYY-MM-DD` (midnight UTC) or an RFC 3339 instant.
pub fn parse_since(s: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .ok_or_else(|| format!("{s:?} is neither YYYY-MM-DD nor an RFC 3339 date-time"))
}

/// One exported line. Discord ids are strings, as Discord itself writes them: they exceed what
/// a JSON number holds exactly in most readers (JavaScript, jq).
#[derive(Debug, Serialize)]
struct Row<'a> {
    at: String,
    guild: String,
    proposal: i64,
    seq: u64,
    revision: u32,
    actor: Option<String>,
    action: &'a str,
    from: Option<&'a str>,
    to: &'a str,
    detail: Option<&'a str>,
}

impl<'a> From<&'a AuditRecord> for Row<'a> {
    fn from(r: &'a AuditRecord) -> Self {
        Row {
            at: r
                .entry
                .at
                .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            guild: r.guild.to_string(),
            proposal: r.proposal.0,
            seq: r.seq,
            revision: r.entry.revision,
            actor: r.entry.actor.map(|a| a.to_string()),
            action: r.entry.action.as_str(),
            from: r.entry.from.map(|s| s.as_str()),
            to: r.entry.to.as_str(),
            detail: r.entry.detail.as_deref(),
        }
    }
}

/// Writes the audit entries `query` selects to `out`, oldest first; returns how many.
pub async fn export_audit(
    store: &dyn Store,
    format: Format,
    query: &AuditQuery,
    mut out: impl Write,
) -> Result<usize, ExportError> {
    let records = store.audit(query).await?;
    match format {
        Format::Jsonl => {
            for r in &records {
                serde_json::to_writer(&mut out, &Row::from(r))?;
                out.write_all(b"\n")?;
            }
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            for r in &records {
                w.serialize(Row::from(r))?;
            }
            if records.is_empty() {
                w.write_record([
                    "at", "guild", "proposal", "seq", "revision", "actor", "action", "from", "to",
                    "detail",
                ])?;
            }
            w.flush()?;
        }
    }
    out.flush()?;
    Ok(records.len())
}

/// The path a `sqlite:` URL names, to refuse exporting from a file that isn't there (opening
/// would create an empty one).
fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    Some(rest.split('?').next().unwrap_or(rest))
}

/// Runs `tweetguard export` with stdout as the output.
pub async fn run_export(args: ExportArgs) -> Result<(), ExportError> {
    if let Some(path) = sqlite_path(&args.database_url) {
        if path != ":memory:" && !std::path::Path::new(path).exists() {
            return Err(ExportError::NoDatabase(path.to_owned()));
        }
    }
    let store = super::open(&args.database_url).await?;
    let query = AuditQuery {
        since: args.since,
        guild: args.guild.map(GuildId),
    };
    let stdout = std::io::stdout();
    let n = export_audit(&*store, args.format, &query, stdout.lock()).await?;
    tracing::info!(entries = n, "audit exported");
    Ok(())
}
