//! `tweetguard export`: the audit trail as JSON lines or CSV, for a person or an auditor.

use std::io::Write;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::{AuditQuery, AuditRecord, GuildAuditRecord, Store, StoreError};
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
/// a JSON number holds exactly in most readers (JavaScript, jq). A server-level entry (a pause,
/// its end) has no proposal, seq, revision nor statuses: those are empty (`null` in JSON).
#[derive(Debug, Serialize)]
struct Row<'a> {
    at: String,
    guild: String,
    proposal: Option<i64>,
    seq: Option<u64>,
    revision: Option<u32>,
    actor: Option<String>,
    action: &'a str,
    from: Option<&'a str>,
    to: Option<&'a str>,
    detail: Option<&'a str>,
}

fn instant(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

impl<'a> From<&'a AuditRecord> for Row<'a> {
    fn from(r: &'a AuditRecord) -> Self {
        Row {
            at: instant(&r.entry.at),
            guild: r.guild.to_string(),
            proposal: Some(r.proposal.0),
            seq: Some(r.seq),
            revision: Some(r.entry.revision),
            actor: r.entry.actor.map(|a| a.to_string()),
            action: r.entry.action.as_str(),
            from: r.entry.from.map(|s| s.as_str()),
            to: Some(r.entry.to.as_str()),
            detail: r.entry.detail.as_deref(),
        }
    }
}

impl<'a> From<&'a GuildAuditRecord> for Row<'a> {
    fn from(r: &'a GuildAuditRecord) -> Self {
        Row {
            at: instant(&r.at),
            guild: r.guild.to_string(),
            proposal: None,
            seq: None,
            revision: None,
            actor: r.actor.map(|a| a.to_string()),
            action: &r.action,
            from: None,
            to: None,
            detail: r.detail.as_deref(),
        }
    }
}

/// The proposals' entries and the servers' own (pauses), merged by time: oldest first, a
/// proposal entry before a server entry of the same instant.
fn merged<'a>(proposals: &'a [AuditRecord], servers: &'a [GuildAuditRecord]) -> Vec<Row<'a>> {
    let mut rows: Vec<(DateTime<Utc>, u8, usize, Row<'a>)> = proposals
        .iter()
        .enumerate()
        .map(|(i, r)| (r.entry.at, 0, i, Row::from(r)))
        .chain(
            servers
                .iter()
                .enumerate()
                .map(|(i, r)| (r.at, 1, i, Row::from(r))),
        )
        .collect();
    // Stable on (time, kind, position in its own ordered list).
    rows.sort_by_key(|(at, kind, i, _)| (*at, *kind, *i));
    rows.into_iter().map(|(_, _, _, row)| row).collect()
}

/// Writes the audit entries `query` selects to `out`, oldest first; returns how many.
pub async fn export_audit(
    store: &dyn Store,
    format: Format,
    query: &AuditQuery,
    mut out: impl Write,
) -> Result<usize, ExportError> {
    let records = store.audit(query).await?;
    let servers = store.guild_audit(query).await?;
    let rows = merged(&records, &servers);
    match format {
        Format::Jsonl => {
            for r in &rows {
                serde_json::to_writer(&mut out, r)?;
                out.write_all(b"\n")?;
            }
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            for r in &rows {
                w.serialize(r)?;
            }
            if rows.is_empty() {
                w.write_record([
                    "at", "guild", "proposal", "seq", "revision", "actor", "action", "from", "to",
                    "detail",
                ])?;
            }
            w.flush()?;
        }
    }
    out.flush()?;
    Ok(rows.len())
}

/// The path a `sqlite:` URL names, to refuse exporting from a file that isn't there (opening
/// would create an empty one).
pub(crate) fn sqlite_path(url: &str) -> Option<&str> {
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
