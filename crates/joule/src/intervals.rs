//! Remote commands for 15-minute interval energy and live power ("Billing and exports"):
//! `joule station intervals`, `joule station power` and `joule intervals export`. The server computes; these
//! commands download its CSV and write it where asked, with progress on stderr for long exports.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail};
use clap::Subcommand;
use reqwest::Method;

use crate::cli::RemoteArgs;
use crate::client::{self, Client};
use crate::commands::print_json;
use crate::table::Table;

/// The station subcommands, flattened into `joule station`.
#[derive(Subcommand, Debug)]
pub enum StationIntervalsCommand {
    /// Remote: the station's 15-minute interval energy as CSV (station time zone; 92/96/100 intervals a day)
    Intervals {
        id: String,
        /// First local day, YYYY-MM-DD
        #[arg(long)]
        from: String,
        /// Last local day (included), YYYY-MM-DD; at most 366 days
        #[arg(long)]
        to: String,
        /// A connector's own meter (default: the station's main meter, connector 0)
        #[arg(long)]
        connector: Option<u32>,
        /// Write the CSV to this file instead of standard output
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Remote: the latest power per connector, with when it was measured and the sample interval
    Power { id: String },
}

/// `joule intervals ...`
#[derive(Subcommand, Debug)]
pub enum IntervalsCommand {
    /// Remote: export the 15-minute interval energy of the operator's stations (one file per station in a
    /// directory, or one combined file with --combined)
    Export {
        /// The operator (name or id) the token belongs to
        #[arg(long)]
        operator: String,
        /// First local day, YYYY-MM-DD
        #[arg(long)]
        from: String,
        /// Last local day (included), YYYY-MM-DD; at most 366 days
        #[arg(long)]
        to: String,
        /// A directory (one STATION_FROM_TO.csv per station), or with --combined a file
        #[arg(long)]
        out: PathBuf,
        /// One file for all stations
        #[arg(long)]
        combined: bool,
        /// Only these stations (repeat, or separate with commas)
        #[arg(long, value_delimiter = ',')]
        station: Vec<String>,
        /// Show progress on stderr even when it is not a terminal
        #[arg(long)]
        progress: bool,
    },
}

fn station_path(id: &str) -> String {
    format!("/api/v1/stations/{}", client::segment(id))
}

pub async fn station(remote: &RemoteArgs, json: bool, cmd: StationIntervalsCommand) -> anyhow::Result<()> {
    let client = Client::new(remote)?;
    match cmd {
        StationIntervalsCommand::Intervals { id, from, to, connector, out } => {
            let mut query = vec![("from", from), ("to", to)];
            if let Some(c) = connector {
                query.push(("connector", c.to_string()));
            }
            if json {
                query.push(("format", "json".into()));
                let answer = client.get(&format!("{}/intervals", station_path(&id)), &query).await?;
                return print_json(&answer);
            }
            let path = format!("{}/intervals", station_path(&id));
            match out {
                Some(file) => {
                    let (zone, lines) = download(&client, &path, &query, &file, false).await?;
                    eprintln!("{id}: {lines} intervals written to {} (time zone {zone})", file.display());
                }
                None => {
                    let response = client.send(Method::GET, &path, &query, None).await?;
                    let zone = zone_of(&response);
                    let stdout = std::io::stdout();
                    let mut w = BufWriter::new(stdout.lock());
                    copy(response, &mut w, false).await?;
                    w.flush()?;
                    eprintln!("time zone: {zone}");
                }
            }
            Ok(())
        }
        StationIntervalsCommand::Power { id } => {
            let answer = client.get(&format!("{}/power", station_path(&id)), &[]).await?;
            if json {
                return print_json(&answer);
            }
            let rows = answer.as_array().cloned().unwrap_or_default();
            if rows.is_empty() {
                println!("{id} has sent no power values (Power.Active.Import)");
                return Ok(());
            }
            let mut table = Table::new(&["CONNECTOR", "POWER", "MEASURED AT", "AGE", "SAMPLE INTERVAL"]);
            for r in rows {
                let interval = match (r["sample_interval_secs"].as_f64(), r["sample_interval_source"].as_str()) {
                    (Some(s), Some(source)) => format!("{s:.0} s ({source})"),
                    _ => "unknown".into(),
                };
                table.row(vec![
                    r["connector_id"].to_string(),
                    format!("{:.0} W", r["watts"].as_f64().unwrap_or(0.0)),
                    r["measured_at"].as_str().unwrap_or("").to_string(),
                    format!("{:.0} s", r["age_secs"].as_f64().unwrap_or(0.0)),
                    interval,
                ]);
            }
            print!("{}", table.render());
            Ok(())
        }
    }
}

pub async fn export(remote: &RemoteArgs, cmd: IntervalsCommand) -> anyhow::Result<()> {
    let client = Client::new(remote)?;
    let IntervalsCommand::Export { operator, from, to, out, combined, station, progress } = cmd;
    let operator_id = resolve_operator(&client, &operator).await?;
    let show = progress || std::io::stderr().is_terminal();
    let stations: Vec<String> = station.into_iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();

    if combined {
        // The server streams one CSV station by station; the progress is counted from its lines.
        let mut query = vec![("from", from.clone()), ("to", to.clone())];
        if !stations.is_empty() {
            query.push(("station", stations.join(",")));
        }
        let path = format!("/api/v1/operators/{operator_id}/intervals");
        let (_, lines) = download(&client, &path, &query, &out, show).await?;
        eprintln!("{lines} intervals written to {}", out.display());
        return Ok(());
    }

    let ids = if stations.is_empty() { all_stations(&client).await? } else { stations };
    if ids.is_empty() {
        bail!("the operator has no stations to export");
    }
    std::fs::create_dir_all(&out).with_context(|| format!("creating the directory {}", out.display()))?;
    let total = ids.len();
    let mut lines_total = 0u64;
    for (n, id) in ids.iter().enumerate() {
        if show {
            eprint!("\rstation {}/{total} {id}\x1b[K", n + 1);
        }
        let file = out.join(format!("{}_{from}_{to}.csv", file_safe(id)));
        let query = vec![("from", from.clone()), ("to", to.clone())];
        let (_, lines) = download(&client, &format!("{}/intervals", station_path(id)), &query, &file, false)
            .await
            .with_context(|| format!("exporting station {id}"))?;
        lines_total += lines;
    }
    if show {
        eprintln!();
    }
    eprintln!("{total} stations, {lines_total} intervals written to {}", out.display());
    Ok(())
}

/// The token's operator id, checked against what the user named.
async fn resolve_operator(client: &Client, operator: &str) -> anyhow::Result<i64> {
    let list = client.get("/api/v1/operators", &[]).await?;
    let ops = list.as_array().cloned().unwrap_or_default();
    let wanted = operator.trim();
    ops.iter()
        .find(|o| {
            o["name"].as_str() == Some(wanted) || o["id"].as_i64().map(|i| i.to_string()).as_deref() == Some(wanted)
        })
        .and_then(|o| o["id"].as_i64())
        .ok_or_else(|| {
            let names: Vec<String> = ops.iter().filter_map(|o| o["name"].as_str().map(str::to_string)).collect();
            anyhow!("--operator {wanted:?} is not the token's operator ({}); use its name or id", names.join(", "))
        })
}

/// Every station of the token's operator, by id (paged).
async fn all_stations(client: &Client) -> anyhow::Result<Vec<String>> {
    let mut ids = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let mut query = vec![("limit", "1000".to_string())];
        if let Some(a) = &after {
            query.push(("after", a.clone()));
        }
        let page = client.get("/api/v1/stations", &query).await?;
        let page: Vec<String> = page
            .as_array()
            .map(|a| a.iter().filter_map(|s| s["id"].as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        let full = page.len() == 1000;
        after = page.last().cloned();
        ids.extend(page);
        if !full {
            return Ok(ids);
        }
    }
}

/// A station id as a file name: the characters station ids may hold that file systems dislike (`*`, `|`)
/// become `_`.
fn file_safe(id: &str) -> String {
    id.chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '=' | '+' | '@') { c } else { '_' })
        .collect()
}

fn zone_of(response: &reqwest::Response) -> String {
    response.headers().get("joule-time-zone").and_then(|v| v.to_str().ok()).unwrap_or("unknown").to_string()
}

/// Downloads a CSV into `file` (written to a temporary name and renamed when complete, so an interrupted
/// export leaves no file that looks whole). Returns the zone header and the number of data lines.
async fn download(
    client: &Client,
    path: &str,
    query: &[(&str, String)],
    file: &Path,
    progress: bool,
) -> anyhow::Result<(String, u64)> {
    let response = client.send(Method::GET, path, query, None).await?;
    let zone = zone_of(&response);
    let partial = file.with_extension("csv.partial");
    let mut w = BufWriter::new(File::create(&partial).with_context(|| format!("creating {}", partial.display()))?);
    let lines = copy(response, &mut w, progress).await?;
    w.flush().with_context(|| format!("writing {}", partial.display()))?;
    drop(w);
    std::fs::rename(&partial, file).with_context(|| format!("renaming {} to {}", partial.display(), file.display()))?;
    Ok((zone, lines))
}

/// Copies the body to `w`; counts data lines (after the header) and, with `progress`, shows on stderr the
/// station being received (the first column). Scanned by hand rather than parsed with the `csv` crate: the
/// interval CSV is Joule's own and never quotes (`joule_core::intervals::IntervalCsv`: station ids, numbers,
/// RFC 3339 labels), so a line is a record and the first column ends at the first comma; counting and
/// copying gigabytes as they arrive needs no more.
async fn copy(mut response: reqwest::Response, w: &mut impl Write, progress: bool) -> anyhow::Result<u64> {
    let mut lines = 0u64;
    let mut current = String::new();
    let mut stations = 0u64;
    let mut line_start = true;
    let mut first_col = String::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| anyhow!("the download broke off: {e}"))? {
        w.write_all(&chunk)?;
        for &b in chunk.iter() {
            if b == b'\n' {
                lines += 1;
                line_start = true;
                continue;
            }
            if line_start {
                if b == b',' {
                    line_start = false;
                    if progress && lines > 0 && first_col != current {
                        stations += 1;
                        current = std::mem::take(&mut first_col);
                        eprint!("\rstation {stations}: {current}\x1b[K");
                    }
                    first_col.clear();
                } else {
                    first_col.push(b as char);
                }
            }
        }
    }
    if progress && stations > 0 {
        eprintln!();
    }
    // The header is not an interval.
    Ok(lines.saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names() {
        assert_eq!(file_safe("CP-1"), "CP-1");
        assert_eq!(file_safe("a*b|c"), "a_b_c");
    }
}
