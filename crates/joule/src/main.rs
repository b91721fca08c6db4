//! The `joule` binary: configuration, the command line, and wiring the server together.

mod access;
mod billing;
mod cli;
mod client;
mod commands;
mod config;
mod drivers;
mod handover;
mod intervals;
mod onboarding;
mod table;

use clap::Parser;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_env("JOULE_LOG").unwrap_or_else(|_| EnvFilter::new(default_log(&cli))))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    match commands::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// The server logs its work; the administration commands only their warnings.
fn default_log(cli: &cli::Cli) -> &'static str {
    match cli.command {
        cli::Command::Serve => "info,sqlx=warn",
        _ => "warn",
    }
}
