//! Remote commands of access rules ("Access"): `joule access check` and `joule station access
//! show | set`, through a running server's REST API (`/api/v1/stations/{id}/access`).

use std::path::PathBuf;

use anyhow::{Context, anyhow};
use clap::Subcommand;
use serde_json::{Value, json};

use crate::cli::RemoteArgs;
use crate::client::{self, Client};
use crate::commands::{api_time, print_json, text};

#[derive(Subcommand, Debug)]
pub enum AccessCommand {
    /// Whether a token may charge at a station now (or at --at), and why: prints "allowed: …" or "refused: …"
    Check {
        station: String,
        tag: String,
        /// The instant to decide for (RFC 3339, e.g. 2026-12-24T18:30:00Z) [default: now]
        #[arg(long)]
        at: Option<String>,
        /// The connector (from 1) [default: none, as an Authorize]
        #[arg(long)]
        connector: Option<u32>,
    },
}

#[derive(Subcommand, Debug)]
pub enum StationAccessCommand {
    /// Print the station's access rules
    Show { id: String },
    /// Change the station's access rules; what is not given is kept
    Set {
        id: String,
        /// public, limited or private
        #[arg(long)]
        mode: Option<String>,
        /// With --mode limited: the driver ids admitted, comma separated (replaces the list)
        #[arg(long, value_delimiter = ',')]
        drivers: Option<Vec<i64>>,
        /// With --mode limited: the group ids admitted, comma separated (replaces the list)
        #[arg(long, value_delimiter = ',')]
        groups: Option<Vec<i64>>,
        /// on or off (off = free vend)
        #[arg(long, value_parser = ["on", "off"])]
        authorization: Option<String>,
        /// Available times in the station's time zone, e.g. "mon-fri 07:00-19:00; 2026-12-25 closed"
        #[arg(long, conflicts_with = "always_open")]
        times: Option<String>,
        /// Remove the available times (always open)
        #[arg(long)]
        always_open: bool,
        /// A group's times at this station, GROUP_ID=TIMES (repeatable; replaces all group times)
        #[arg(long = "group-times", value_name = "GROUP=TIMES")]
        group_times: Vec<String>,
        /// The whole document as JSON (as GET /api/v1/stations/{id}/access); the other options then apply on top
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
    },
}

fn access_path(station: &str) -> String {
    format!("/api/v1/stations/{}/access", client::segment(station))
}

pub async fn access(remote: &RemoteArgs, json: bool, cmd: AccessCommand) -> anyhow::Result<()> {
    let client = Client::new(remote)?;
    match cmd {
        AccessCommand::Check { station, tag, at, connector } => {
            let mut query = vec![("id_tag", tag)];
            if let Some(at) = at {
                query.push(("at", at));
            }
            if let Some(c) = connector {
                query.push(("connector", c.to_string()));
            }
            let v = client.get(&format!("{}/check", access_path(&station)), &query).await?;
            if json {
                return print_json(&v);
            }
            println!("{}", text(&v["explanation"]));
            let expiry = if v["expires_at"].is_null() {
                String::new()
            } else {
                format!(", expiryDate {}", api_time(&v["expires_at"]))
            };
            println!(
                "(idTagInfo status {}{expiry}; at {} in {})",
                text(&v["status"]),
                api_time(&v["at"]),
                text(&v["time_zone"])
            );
        }
    }
    Ok(())
}

pub async fn station(remote: &RemoteArgs, json: bool, cmd: StationAccessCommand) -> anyhow::Result<()> {
    let client = Client::new(remote)?;
    match cmd {
        StationAccessCommand::Show { id } => {
            let v = client.get(&access_path(&id), &[]).await?;
            if json {
                return print_json(&v);
            }
            print_rules(&id, &v);
        }
        StationAccessCommand::Set {
            id,
            mode,
            drivers,
            groups,
            authorization,
            times,
            always_open,
            group_times,
            file,
        } => {
            let mut doc = match file {
                Some(path) => {
                    let raw = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
                    serde_json::from_str(&raw)
                        .with_context(|| format!("{} is not a JSON access document", path.display()))?
                }
                None => client.get(&access_path(&id), &[]).await?,
            };
            if let Some(obj) = doc.as_object_mut() {
                obj.remove("time_zone");
            }
            if let Some(m) = mode {
                if m != "limited" {
                    doc["drivers"] = json!([]);
                    doc["groups"] = json!([]);
                }
                doc["mode"] = json!(m);
            }
            if let Some(d) = drivers {
                doc["drivers"] = json!(d);
            }
            if let Some(g) = groups {
                doc["groups"] = json!(g);
            }
            if let Some(a) = authorization {
                doc["authorization_required"] = json!(a == "on");
            }
            if let Some(t) = times {
                doc["available_times"] = json!(t);
            }
            if always_open {
                doc["available_times"] = Value::Null;
            }
            if !group_times.is_empty() {
                let mut list = Vec::new();
                for g in group_times {
                    let (group, times) =
                        g.split_once('=').ok_or_else(|| anyhow!("--group-times {g:?}: expected GROUP_ID=TIMES"))?;
                    let group: i64 = group
                        .trim()
                        .parse()
                        .map_err(|_| anyhow!("--group-times {g:?}: {group:?} is not a group id"))?;
                    list.push(json!({ "group_id": group, "times": times.trim() }));
                }
                doc["group_times"] = json!(list);
            }
            let v = client.put(&access_path(&id), doc).await?;
            if json {
                return print_json(&v);
            }
            print_rules(&id, &v);
        }
    }
    Ok(())
}

fn ids(v: &Value) -> String {
    let list: Vec<String> = v.as_array().into_iter().flatten().map(|x| x.to_string()).collect();
    if list.is_empty() { "none".into() } else { list.join(", ") }
}

fn print_rules(id: &str, v: &Value) {
    println!("Station {id}: {}", text(&v["mode"]));
    if v["mode"] == "limited" {
        println!("  drivers: {}", ids(&v["drivers"]));
        println!("  groups: {}", ids(&v["groups"]));
    }
    let auth = if v["authorization_required"] == true { "required" } else { "not required (free vend)" };
    println!("  authorization: {auth}");
    match v["available_times"].as_str() {
        Some(t) => println!("  available times ({}): {t}", text(&v["time_zone"])),
        None => println!("  available times: always open"),
    }
    for g in v["group_times"].as_array().into_iter().flatten() {
        println!("  group {} times: {}", g["group_id"], text(&g["times"]));
    }
    for c in v["connectors"].as_array().into_iter().flatten() {
        let mode = c["mode"].as_str().unwrap_or("as the station");
        let auth = match c["authorization_required"].as_bool() {
            Some(true) => "authorization required",
            Some(false) => "free vend",
            None => "authorization as the station",
        };
        let lists = if c["mode"] == "limited" {
            format!(" (drivers {}; groups {})", ids(&c["drivers"]), ids(&c["groups"]))
        } else {
            String::new()
        };
        println!("  connector {}: {mode}{lists}, {auth}", c["connector_id"]);
    }
}

/// `joule station local-list STATION [--sync [--retry]]`: the station's local list sync state, or a sync now
/// (`/api/v1/stations/{id}/local-list`, `…/sync[?retry=true]`).
pub async fn local_list(remote: &RemoteArgs, json: bool, id: &str, sync: bool, retry: bool) -> anyhow::Result<()> {
    let client = Client::new(remote)?;
    let path = format!("/api/v1/stations/{}/local-list", client::segment(id));
    if !sync {
        let v = client.get(&path, &[]).await?;
        if json {
            return print_json(&v);
        }
        print_local_list(id, &v);
        return Ok(());
    }
    let query = if retry { "?retry=true" } else { "" };
    let v = client.post(&format!("{path}/sync{query}"), json!({})).await?;
    if json {
        return print_json(&v);
    }
    let updates = v["updates"].as_array().cloned().unwrap_or_default();
    if updates.is_empty() {
        println!("Station {id}: nothing to send.");
    }
    for u in &updates {
        println!(
            "Sent {} update, version {}, {} entries: {}",
            text(&u["update_type"]),
            u["version"],
            u["changes"],
            text(&u["status"])
        );
    }
    print_local_list(id, &v["state"]);
    Ok(())
}

fn or_unknown(v: &Value) -> String {
    if v.is_null() { "unknown".into() } else { text(v) }
}

fn print_local_list(id: &str, v: &Value) {
    let supported = match v["supported"].as_bool() {
        Some(true) => "yes",
        Some(false) => "no (not asked again)",
        None => "unknown",
    };
    println!("Station {id}: local list supported: {supported}");
    let in_step = match v["in_step"].as_bool() {
        Some(true) => "in step",
        Some(false) => "out of step",
        None => "unknown",
    };
    println!(
        "  {in_step}; station version {}, last sent version {}",
        or_unknown(&v["station_version"]),
        or_unknown(&v["sent_version"])
    );
    println!("  entries sent: {}; entries wanted: {}", v["entries"], or_unknown(&v["wanted"]));
    if !v["list_max_length"].is_null() || !v["send_max_length"].is_null() {
        println!(
            "  LocalAuthListMaxLength {}, SendLocalListMaxLength {}",
            or_unknown(&v["list_max_length"]),
            or_unknown(&v["send_max_length"])
        );
    }
    match v["last_result"].as_str() {
        Some(result) => {
            let detail = v["last_detail"].as_str().map(|d| format!(" ({d})")).unwrap_or_default();
            println!("  last sync: {result}{detail} at {}", api_time(&v["last_at"]));
        }
        None => println!("  last sync: never"),
    }
    println!("  {}", if v["online"] == true { "online" } else { "offline" });
}
