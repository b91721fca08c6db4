use std::process::ExitCode;

use anyhow::Context as _;
use clap::Parser as _;
use joule_sim::Config;

fn main() -> anyhow::Result<ExitCode> {
    let config = Config::parse();
    config.validate()?;
    raise_fd_limit(u64::from(config.stations));
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the runtime")?;
    let json_path = config.json.clone();
    let report = runtime.block_on(joule_sim::run(config))?;
    println!("{report}");
    if let Some(path) = json_path {
        let text = serde_json::to_string_pretty(&report.to_json())?;
        std::fs::write(&path, text + "\n").with_context(|| format!("writing {}", path.display()))?;
        eprintln!("report written to {}", path.display());
    }
    // Scripts can tell a run that reached nothing.
    Ok(if report.connections.established == 0 { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

/// Raises the soft open-file limit to the hard limit when the stations need more descriptors than it allows.
#[cfg(unix)]
fn raise_fd_limit(stations: u64) {
    let needed = stations + 64;
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit/setrlimit only read and write the struct we pass.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return;
    }
    #[allow(clippy::unnecessary_cast)] // rlim_t is not u64 on every unix
    let (soft, hard) = (limit.rlim_cur as u64, limit.rlim_max as u64);
    if soft >= needed {
        return;
    }
    limit.rlim_cur = limit.rlim_max;
    // SAFETY: as above.
    let raised = unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) } == 0;
    let now = if raised { hard } else { soft };
    if now < needed {
        eprintln!(
            "warning: {stations} stations need about {needed} open files but the limit is {now} (hard {hard}); \
             raise it with `ulimit -n` (as root, `ulimit -Hn` first)"
        );
    }
}

#[cfg(not(unix))]
fn raise_fd_limit(_stations: u64) {}
