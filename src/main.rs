//! The `tweetguard` command. Minimal wiring for `export`; the full CLI lives on another branch
//! and takes this subcommand over.

use clap::{Parser, Subcommand};
use tweetguard::store::export::{run_export, ExportArgs};

#[derive(Debug, Parser)]
#[command(name = "tweetguard", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write the approval audit trail (JSON lines or CSV) to stdout.
    Export(ExportArgs),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = tokio::runtime::Runtime::new()?;
    match cli.command {
        Command::Export(args) => runtime.block_on(run_export(args))?,
    }
    Ok(())
}
