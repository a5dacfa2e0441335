//! The `tweetguard` binary: parse the command line, set up logging, run. Everything else lives
//! in the library.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use tweetguard::cli::{Cli, Command};

/// Reviews allocate many small, short-lived strings: mimalloc serves them faster than glibc's
/// malloc (about 7% of a JSON-lines backlog's CPU).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // A `.env` file in the working directory sets what the environment doesn't.
    let _ = dotenvy::dotenv();
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
        Command::Serve(args) => {
            let runtime = tokio::runtime::Runtime::new()?;
            let served = runtime.block_on(tweetguard::cli::serve::serve(&args, shutdown_signal()));
            // Work still running past shutdown's deadline (a stuck request, a follow-up that
            // never ends) must not hold the exit.
            runtime.shutdown_timeout(std::time::Duration::from_secs(1));
            served?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Register(args) => {
            let runtime = tokio::runtime::Runtime::new()?;
            let names = runtime.block_on(tweetguard::cli::serve::register(&args))?;
            let scope = args
                .guild
                .map_or("globally".to_string(), |g| format!("in guild {g}"));
            println!(
                "registered {} commands {scope}: {}",
                names.len(),
                names.join(", ")
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Healthcheck(args) => match tweetguard::cli::healthcheck::run(&args) {
            Ok(()) => Ok(ExitCode::SUCCESS),
            Err(e) => {
                eprintln!("tweetguard healthcheck: {e}");
                Ok(ExitCode::from(1))
            }
        },
        Command::Stats(args) => {
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(tweetguard::cli::stats::run(args))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export(args) => {
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(tweetguard::store::export::run_export(args))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Ctrl-C, or SIGTERM (systemd, Docker, Kubernetes).
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
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
