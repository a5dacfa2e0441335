//! The `tweetguard` binary: parse the command line, set up logging, run. Everything else lives
//! in the library.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use tweetguard::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("tweetguard: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Review(args) => {
            let stdout = std::io::stdout();
            let colour = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let mut out = std::io::BufWriter::new(stdout.lock());
            let mut input = std::io::stdin().lock();
            let blocked = tweetguard::cli::review::run(&args, &mut input, &mut out, colour)?;
            std::io::Write::flush(&mut out)?;
            Ok(if blocked {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Export(args) => {
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(tweetguard::store::export::run_export(args))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Logs go to standard error, filtered by `RUST_LOG` (default: warnings).
fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
