//! The command line: typed arguments (every flag also an environment variable where a team
//! would set it once) and the commands behind them. `main.rs` only parses and dispatches.

pub mod healthcheck;
mod jsonl;
pub mod review;
pub mod serve;
pub mod stats;

use clap::{Parser, Subcommand};

/// Review proposed tweets against your team's guidelines, track approvals, then post.
#[derive(Debug, Parser)]
#[command(name = "tweetguard", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Review a tweet (TEXT, or standard input) and print what a community manager would say.
    Review(review::ReviewArgs),
    /// Run the Discord bot: answer `/review` and the "Review as tweet" menu.
    Serve(Box<serve::ServeArgs>),
    /// Register the bot's commands (`commands/*.json`) with Discord (bulk overwrite).
    Register(serve::RegisterArgs),
    /// Write the approval audit trail (JSON lines or CSV) to standard output, for a person or
    /// an auditor.
    Export(crate::store::export::ExportArgs),
    /// The account's statistics for a server (posts by kind, the promotional share, median
    /// engagement per kind, signature rate, approval turnaround, reviewers, reasons), as text,
    /// JSON, CSV or a PNG chart.
    Stats(stats::StatsArgs),
    /// Ask a running `serve` whether it is alive (`/healthz`): exit 0 if so, 1 if not. For
    /// container health checks.
    Healthcheck(healthcheck::HealthcheckArgs),
}
