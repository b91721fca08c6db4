//! Remote commands of handovers (routes 2 and 3): `joule backend`, `joule provisioning-profile`,
//! and `joule station handover | handovers | assign | unclaimed`, through a running server's REST API.

use anyhow::anyhow;
use clap::Subcommand;
use serde_json::{Value, json};

use crate::cli::RemoteArgs;
use crate::client::{self, Client};
use crate::commands::{api_time, print_json, print_table, text};
use crate::table::Table;

#[derive(Subcommand, Debug)]
pub enum BackendCommand {
    /// Add a backend stations may be handed over to (admin token)
    Add {
        /// Its name, unique for the operator (not "joule")
        name: String,
        /// Its OCPP URL: ws:// or wss://, e.g. wss://csms.example.com/ocpp
        #[arg(long)]
        ocpp_url: String,
    },
    /// Change a backend's URL or name (admin token)
    Update {
        name: String,
        /// Its new OCPP URL
        #[arg(long)]
        ocpp_url: String,
        /// A new name
        #[arg(long)]
        rename: Option<String>,
    },
    /// List the operator's backends
    List,
    /// Remove a backend (admin token); handovers that named it keep its name and URL
    Remove { name: String },
}

#[derive(Subcommand, Debug)]
pub enum ProfileCommand {
    /// Set how a vendor's stations are given a new central-system URL (admin token)
    Set {
        /// The vendor as in BootNotification chargePointVendor (case and legal form are ignored)
        vendor: String,
        /// The configuration key that holds the URL (OCPP ChangeConfiguration)
        #[arg(long, conflicts_with = "data_transfer", required_unless_present = "data_transfer")]
        key: Option<String>,
        /// Send the URL as a DataTransfer with this vendorId instead
        #[arg(long, value_name = "VENDOR_ID")]
        data_transfer: Option<String>,
        /// The DataTransfer messageId
        #[arg(long, requires = "data_transfer")]
        message_id: Option<String>,
        /// Do not append the station id to the URL (for stations that append it themselves)
        #[arg(long)]
        no_station_id: bool,
        /// The Reset sent after the URL
        #[arg(long, value_parser = ["none", "soft", "hard"], default_value = "soft")]
        reset: String,
    },
    /// List the operator's provisioning profiles
    List,
    /// Remove the profile of a vendor (admin token)
    Remove { vendor: String },
}

/// The station subcommands of handovers, flattened into `joule station`.
#[derive(Subcommand, Debug)]
pub enum StationHandoverCommand {
    /// Remote: hand a station over to another backend (re-provisioned now if connected, else at its next boot)
    Handover {
        id: String,
        /// One of the operator's backends (see `joule backend list`)
        #[arg(long, conflicts_with_all = ["name", "ocpp_url"], required_unless_present = "ocpp_url")]
        backend: Option<String>,
        /// The target's name, with --ocpp-url, for a backend not in the list
        #[arg(long, requires = "ocpp_url")]
        name: Option<String>,
        /// The target's OCPP URL (ws:// or wss://)
        #[arg(long, requires = "name")]
        ocpp_url: Option<String>,
    },
    /// Remote: a station's handovers, newest first, with each step and its answer
    Handovers { id: String },
    /// Remote: confirm a handover by hand (the station was re-provisioned on site)
    HandoverConfirm { id: String, handover: i64 },
    /// Remote: cancel a handover
    HandoverCancel { id: String, handover: i64 },
    /// Remote: assign an unclaimed station to Joule ("joule") or to one of the operator's backends
    Assign {
        id: String,
        /// "joule" or a backend's name
        #[arg(long)]
        backend: String,
        /// Where the station was bought
        #[arg(long)]
        purchased_from: String,
    },
    /// Remote: stations that connected and wait to be claimed
    Unclaimed,
}

/// The operator of the token (`/api/v1/operators` lists only it).
async fn operator_path(client: &Client) -> anyhow::Result<String> {
    let list = client.get("/api/v1/operators", &[]).await?;
    let id = list[0]["id"].as_i64().ok_or_else(|| anyhow!("the token's operator was not found"))?;
    Ok(format!("/api/v1/operators/{id}"))
}

fn station_path(id: &str) -> String {
    format!("/api/v1/stations/{}", client::segment(id))
}

pub async fn backend(remote: &RemoteArgs, json: bool, cmd: BackendCommand) -> anyhow::Result<()> {
    let client = Client::new(remote)?;
    let base = format!("{}/backends", operator_path(&client).await?);
    match cmd {
        BackendCommand::Add { name, ocpp_url } => {
            let v = client.post(&base, json!({ "name": name, "ocpp_url": ocpp_url })).await?;
            if json {
                return print_json(&v);
            }
            println!("Backend {} added: {}", text(&v["name"]), text(&v["ocpp_url"]));
        }
        BackendCommand::Update { name, ocpp_url, rename } => {
            let body = json!({ "name": rename.unwrap_or_else(|| name.clone()), "ocpp_url": ocpp_url });
            let v = client.put(&format!("{base}/{}", client::segment(&name)), body).await?;
            if json {
                return print_json(&v);
            }
            println!("Backend {} now at {}", text(&v["name"]), text(&v["ocpp_url"]));
        }
        BackendCommand::List => {
            let v = client.get(&base, &[]).await?;
            if json {
                return print_json(&v);
            }
            let mut table = Table::new(&["NAME", "OCPP URL", "UPDATED"]);
            for b in v.as_array().into_iter().flatten() {
                table.row(vec![text(&b["name"]), text(&b["ocpp_url"]), api_time(&b["updated_at"])]);
            }
            print_table(table, "no backends (add one with `joule backend add NAME --ocpp-url wss://...`)");
        }
        BackendCommand::Remove { name } => {
            client.send(reqwest::Method::DELETE, &format!("{base}/{}", client::segment(&name)), &[], None).await?;
            if !json {
                println!("Backend {name} removed");
            }
        }
    }
    Ok(())
}

pub async fn profile(remote: &RemoteArgs, json: bool, cmd: ProfileCommand) -> anyhow::Result<()> {
    let client = Client::new(remote)?;
    let base = format!("{}/provisioning-profiles", operator_path(&client).await?);
    match cmd {
        ProfileCommand::Set { vendor, key, data_transfer, message_id, no_station_id, reset } => {
            let mut body = match (key, data_transfer) {
                (Some(key), None) => json!({ "method": "configuration-key", "key": key }),
                (None, Some(vendor_id)) => json!({ "method": "data-transfer", "vendor_id": vendor_id }),
                _ => return Err(anyhow!("give --key or --data-transfer")),
            };
            if let Some(m) = message_id {
                body["message_id"] = json!(m);
            }
            body["append_station_id"] = json!(!no_station_id);
            body["reset"] = json!(reset);
            let v = client.put(&format!("{base}/{}", client::segment(&vendor)), body).await?;
            if json {
                return print_json(&v);
            }
            println!("Provisioning profile for {} set: {}", text(&v["vendor"]), describe(&v));
        }
        ProfileCommand::List => {
            let v = client.get(&base, &[]).await?;
            if json {
                return print_json(&v);
            }
            let mut table = Table::new(&["VENDOR", "HOW", "STATION ID", "RESET"]);
            for p in v.as_array().into_iter().flatten() {
                let append = if p["append_station_id"] == true { "appended" } else { "not appended" };
                table.row(vec![text(&p["vendor"]), describe(p), append.into(), text(&p["reset"])]);
            }
            print_table(
                table,
                "no provisioning profiles (add one with `joule provisioning-profile set VENDOR --key KEY`)",
            );
        }
        ProfileCommand::Remove { vendor } => {
            client.send(reqwest::Method::DELETE, &format!("{base}/{}", client::segment(&vendor)), &[], None).await?;
            if !json {
                println!("Provisioning profile for {vendor} removed");
            }
        }
    }
    Ok(())
}

fn describe(p: &Value) -> String {
    match p["method"].as_str() {
        Some("configuration-key") => format!("ChangeConfiguration {}", text(&p["key"])),
        _ => match p["message_id"].as_str() {
            Some(m) => format!("DataTransfer {} / {m}", text(&p["vendor_id"])),
            None => format!("DataTransfer {}", text(&p["vendor_id"])),
        },
    }
}

fn print_handover(h: &Value) {
    println!(
        "Handover {} of {} to {} ({}): {}",
        text(&h["id"]),
        text(&h["station_id"]),
        text(&h["target_name"]),
        text(&h["target_url"]),
        text(&h["state"])
    );
    if let Some(detail) = h["detail"].as_str() {
        println!("  {detail}");
    }
}

pub async fn station(remote: &RemoteArgs, json: bool, cmd: StationHandoverCommand) -> anyhow::Result<()> {
    let client = Client::new(remote)?;
    match cmd {
        StationHandoverCommand::Handover { id, backend, name, ocpp_url } => {
            let body = match (backend, name, ocpp_url) {
                (Some(b), _, _) => json!({ "backend": b }),
                (None, Some(n), Some(u)) => json!({ "name": n, "ocpp_url": u }),
                _ => return Err(anyhow!("give --backend NAME, or --name and --ocpp-url")),
            };
            let v = client.post(&format!("{}/handover", station_path(&id)), body).await?;
            if json {
                return print_json(&v);
            }
            print_handover(&v);
            println!("Follow it with `joule station handovers {id}`");
        }
        StationHandoverCommand::Handovers { id } => {
            let v = client.get(&format!("{}/handovers", station_path(&id)), &[]).await?;
            if json {
                return print_json(&v);
            }
            let list = v.as_array().cloned().unwrap_or_default();
            if list.is_empty() {
                println!("no handovers of this station");
            }
            for h in &list {
                print_handover(h);
                let mut table = Table::new(&["  AT", "STEP", "OUTCOME", "COMMAND"]);
                for s in h["steps"].as_array().into_iter().flatten() {
                    table.row(vec![
                        format!("  {}", api_time(&s["at"])),
                        text(&s["step"]),
                        text(&s["outcome"]),
                        text(&s["command_id"]),
                    ]);
                }
                if !table.is_empty() {
                    print!("{}", table.render());
                }
            }
        }
        StationHandoverCommand::HandoverConfirm { id, handover } => {
            let v = client.post(&format!("{}/handovers/{handover}/confirm", station_path(&id)), json!({})).await?;
            if json {
                return print_json(&v);
            }
            print_handover(&v);
        }
        StationHandoverCommand::HandoverCancel { id, handover } => {
            let v = client.post(&format!("{}/handovers/{handover}/cancel", station_path(&id)), json!({})).await?;
            if json {
                return print_json(&v);
            }
            print_handover(&v);
        }
        StationHandoverCommand::Assign { id, backend, purchased_from } => {
            let body = json!({ "backend": backend, "purchased_from": purchased_from });
            let v = client.post(&format!("{}/assignment", station_path(&id)), body).await?;
            if json {
                return print_json(&v);
            }
            println!("{id} assigned to {} (bought from {})", text(&v["backend"]), text(&v["purchased_from"]));
            match v.get("handover") {
                Some(h) => print_handover(h),
                None => println!("It stays pending here until its owner's activation request is approved"),
            }
        }
        StationHandoverCommand::Unclaimed => {
            let v = client.get(&format!("{}/unclaimed-stations", operator_path(&client).await?), &[]).await?;
            if json {
                return print_json(&v);
            }
            let mut table = Table::new(&["STATION", "VENDOR", "MODEL", "CONNECTED"]);
            for s in v.as_array().into_iter().flatten() {
                table.row(vec![
                    text(&s["station_id"]),
                    text(&s["vendor"]),
                    text(&s["model"]),
                    api_time(&s["connected_at"]),
                ]);
            }
            print_table(table, "no unclaimed stations");
        }
    }
    Ok(())
}
