//! Remote commands for tariffs and billing, through a running server's REST API:
//! `joule tariff`, `joule billing settings`, `joule station price`, `joule session cost`,
//! `joule report sessions` and `joule statement`.

use std::path::PathBuf;

use anyhow::{Context, anyhow, bail};
use clap::Subcommand;
use reqwest::Method;
use serde_json::{Value, json};

use crate::cli::RemoteArgs;
use crate::client::{self, Client};
use crate::commands::{print_json, print_table, text};
use crate::table::Table;

#[derive(Subcommand, Debug)]
pub enum TariffCommand {
    /// Create a tariff from a JSON file holding the OCPI-shaped tariff (see docs/tariffs.md)
    Create {
        #[arg(long)]
        name: String,
        /// The tariff: {"elements": [{"price_components": [{"type": "ENERGY", "price": "0.35"}]}], ...}
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
        /// RFC 3339 instant from which it applies (default: now)
        #[arg(long)]
        valid_from: Option<String>,
    },
    /// Change a tariff: stores a new version; sessions already started keep theirs
    Update {
        id: i64,
        #[arg(long)]
        name: String,
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
        #[arg(long)]
        valid_from: Option<String>,
    },
    /// The operator's tariffs (newest version of each)
    List,
    /// A tariff in plain words, with its versions
    Show { id: i64 },
    /// Assign a tariff: to the operator (no option), a station, a station's connector, or a group [at a station]
    Assign {
        id: i64,
        #[arg(long)]
        station: Option<String>,
        #[arg(long, requires = "station")]
        connector: Option<u32>,
        #[arg(long)]
        group: Option<i64>,
    },
    /// Remove the assignment of a target (same options as assign)
    Unassign {
        #[arg(long)]
        station: Option<String>,
        #[arg(long, requires = "station")]
        connector: Option<u32>,
        #[arg(long)]
        group: Option<i64>,
    },
    /// The operator's assignments
    Assignments,
}

#[derive(Subcommand, Debug)]
pub enum BillingCommand {
    /// Print the operator's billing settings, or change the ones given
    Settings {
        /// ISO 4217 code, e.g. CHF
        #[arg(long)]
        currency: Option<String>,
        /// VAT rate in percent, e.g. 8.1
        #[arg(long)]
        vat_rate: Option<String>,
        /// Time is billed in steps of this many seconds (60: per started minute with --time-mode up)
        #[arg(long)]
        time_step_secs: Option<u32>,
        #[arg(long, value_parser = ["up", "down", "half_up"])]
        time_mode: Option<String>,
        #[arg(long)]
        energy_step_wh: Option<u32>,
        #[arg(long, value_parser = ["up", "down", "half_up"])]
        energy_mode: Option<String>,
        /// Decimal places of amounts (2 for cents)
        #[arg(long)]
        money_scale: Option<u32>,
        #[arg(long, value_parser = ["up", "down", "half_up"])]
        money_mode: Option<String>,
        /// Sessions below this energy (Wh) are free (0: no threshold)
        #[arg(long)]
        free_below_wh: Option<u32>,
        /// Sessions shorter than this (seconds) are free (0: no threshold)
        #[arg(long)]
        free_below_secs: Option<u32>,
        /// IANA time zone for stations whose installation names none
        #[arg(long)]
        time_zone: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// Sessions started in a period with their cost, as CSV (documented columns) or JSON
    Sessions {
        /// Start of the period: RFC 3339 or a date (UTC)
        #[arg(long)]
        from: String,
        /// End of the period (exclusive)
        #[arg(long)]
        to: String,
        #[arg(long)]
        station: Option<String>,
        #[arg(long)]
        id_tag: Option<String>,
        #[arg(long, default_value = "csv", value_parser = ["csv", "json"])]
        format: String,
        /// Write to this file instead of standard output
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

/// The caller's operator id (a token belongs to one operator).
async fn operator_id(client: &Client) -> anyhow::Result<i64> {
    let list = client.get("/api/v1/operators", &[]).await?;
    list.as_array()
        .and_then(|a| a.first())
        .and_then(|o| o["id"].as_i64())
        .ok_or_else(|| anyhow!("the server names no operator for this token"))
}

fn read_tariff(file: &PathBuf) -> anyhow::Result<Value> {
    let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    serde_json::from_str(&text).map_err(|e| anyhow!("{} is not JSON: {e}", file.display()))
}

fn print_tariff(v: &Value) {
    println!("tariff {} version {}: {}", v["id"], v["version"], text(&v["name"]));
    println!("valid from {}", text(&v["valid_from"]));
    for line in v["description"].as_array().into_iter().flatten() {
        println!("  {}", text(line));
    }
}

fn target_query(station: Option<String>, connector: Option<u32>, group: Option<i64>) -> Vec<(&'static str, String)> {
    let mut q = Vec::new();
    if let Some(s) = station {
        q.push(("station", s));
    }
    if let Some(c) = connector {
        q.push(("connector", c.to_string()));
    }
    if let Some(g) = group {
        q.push(("group", g.to_string()));
    }
    q
}

pub async fn tariff(remote: &RemoteArgs, json: bool, cmd: TariffCommand) -> anyhow::Result<()> {
    let client = Client::new(remote)?;
    match cmd {
        TariffCommand::Create { name, file, valid_from } => {
            let body = json!({ "name": name, "valid_from": valid_from, "tariff": read_tariff(&file)? });
            let v = client.post("/api/v1/tariffs", body).await?;
            if json {
                print_json(&v)
            } else {
                print_tariff(&v);
                Ok(())
            }
        }
        TariffCommand::Update { id, name, file, valid_from } => {
            let body = json!({ "name": name, "valid_from": valid_from, "tariff": read_tariff(&file)? });
            let v = client.put(&format!("/api/v1/tariffs/{id}"), body).await?;
            if json {
                print_json(&v)
            } else {
                print_tariff(&v);
                Ok(())
            }
        }
        TariffCommand::List => {
            let v = client.get("/api/v1/tariffs", &[]).await?;
            if json {
                return print_json(&v);
            }
            let mut table = Table::new(&["ID", "VERSION", "NAME", "VALID FROM", "PRICE"]);
            for t in v.as_array().into_iter().flatten() {
                let price: Vec<String> = t["description"].as_array().into_iter().flatten().map(text).collect();
                table.row(vec![
                    t["id"].to_string(),
                    t["version"].to_string(),
                    text(&t["name"]),
                    text(&t["valid_from"]),
                    price.join("; "),
                ]);
            }
            print_table(table, "No tariffs.");
            Ok(())
        }
        TariffCommand::Show { id } => {
            let v = client.get(&format!("/api/v1/tariffs/{id}"), &[]).await?;
            if json {
                return print_json(&v);
            }
            print_tariff(&v["current"]);
            println!("versions: {}", v["versions"].as_array().map(|a| a.len()).unwrap_or(0));
            Ok(())
        }
        TariffCommand::Assign { id, station, connector, group } => {
            let body = json!({ "tariff_id": id, "station": station, "connector": connector, "group": group });
            client.put("/api/v1/tariff-assignments", body).await?;
            if !json {
                println!("tariff {id} assigned");
            }
            Ok(())
        }
        TariffCommand::Unassign { station, connector, group } => {
            client.delete("/api/v1/tariff-assignments", &target_query(station, connector, group)).await?;
            if !json {
                println!("assignment removed");
            }
            Ok(())
        }
        TariffCommand::Assignments => {
            let v = client.get("/api/v1/tariff-assignments", &[]).await?;
            if json {
                return print_json(&v);
            }
            let mut table = Table::new(&["STATION", "CONNECTOR", "GROUP", "TARIFF"]);
            let or_any = |v: &Value| if v.is_null() { "*".to_string() } else { text(v) };
            for a in v.as_array().into_iter().flatten() {
                table.row(vec![
                    or_any(&a["station"]),
                    or_any(&a["connector"]),
                    or_any(&a["group"]),
                    a["tariff_id"].to_string(),
                ]);
            }
            print_table(table, "No assignments: every session is free (no tariff).");
            Ok(())
        }
    }
}

pub async fn billing(remote: &RemoteArgs, json: bool, cmd: BillingCommand) -> anyhow::Result<()> {
    let client = Client::new(remote)?;
    let BillingCommand::Settings {
        currency,
        vat_rate,
        time_step_secs,
        time_mode,
        energy_step_wh,
        energy_mode,
        money_scale,
        money_mode,
        free_below_wh,
        free_below_secs,
        time_zone,
    } = cmd;
    let path = format!("/api/v1/operators/{}/billing", operator_id(&client).await?);
    let mut settings = client.get(&path, &[]).await?;
    let changes: Vec<(&str, Option<Value>)> = vec![
        ("currency", currency.map(Value::from)),
        ("vat_rate", vat_rate.map(Value::from)),
        ("time_step_secs", time_step_secs.map(Value::from)),
        ("time_mode", time_mode.map(Value::from)),
        ("energy_step_wh", energy_step_wh.map(Value::from)),
        ("energy_mode", energy_mode.map(Value::from)),
        ("money_scale", money_scale.map(Value::from)),
        ("money_mode", money_mode.map(Value::from)),
        ("free_below_wh", free_below_wh.map(Value::from)),
        ("free_below_secs", free_below_secs.map(Value::from)),
        ("time_zone", time_zone.map(Value::from)),
    ];
    let mut changed = false;
    for (key, value) in changes {
        if let Some(value) = value {
            settings[key] = value;
            changed = true;
        }
    }
    if changed {
        settings = client.put(&path, settings).await?;
    }
    if json {
        return print_json(&settings);
    }
    for (k, v) in settings.as_object().into_iter().flatten() {
        println!("{k:<16} {}", text(v));
    }
    Ok(())
}

pub async fn station_price(
    remote: &RemoteArgs,
    json: bool,
    id: &str,
    connector: Option<u32>,
    id_tag: Option<String>,
) -> anyhow::Result<()> {
    let client = Client::new(remote)?;
    let mut q = Vec::new();
    if let Some(c) = connector {
        q.push(("connector", c.to_string()));
    }
    if let Some(t) = id_tag {
        q.push(("id_tag", t));
    }
    let v = client.get(&format!("/api/v1/stations/{}/price", client::segment(id)), &q).await?;
    if json {
        return print_json(&v);
    }
    println!(
        "station {} connector {} ({}), prices in {}",
        text(&v["station"]),
        v["connector"],
        text(&v["time_zone"]),
        text(&v["currency"])
    );
    let tariffs = v["tariffs"].as_array().cloned().unwrap_or_default();
    if tariffs.is_empty() {
        println!("no tariff applies: sessions are free");
    }
    if tariffs.len() > 1 {
        println!("the driver's groups have {} tariffs; the cheaper for the session applies", tariffs.len());
    }
    for t in &tariffs {
        print_tariff(t);
    }
    println!("free below {} Wh or {} s", v["free_below_wh"], v["free_below_secs"]);
    Ok(())
}

pub async fn session_cost(remote: &RemoteArgs, json: bool, id: i64, recompute: bool) -> anyhow::Result<()> {
    let client = Client::new(remote)?;
    let v = if recompute {
        client.post(&format!("/api/v1/sessions/{id}/cost/recompute"), json!({})).await?
    } else {
        client.get(&format!("/api/v1/sessions/{id}/cost"), &[]).await?
    };
    if json {
        return print_json(&v);
    }
    let mut table = Table::new(&["KIND", "FROM", "TO", "QUANTITY", "BILLED", "UNIT PRICE", "AMOUNT"]);
    for i in v["items"].as_array().into_iter().flatten() {
        table.row(vec![
            text(&i["kind"]),
            text(&i["from"]),
            text(&i["to"]),
            text(&i["quantity"]),
            text(&i["billed"]),
            text(&i["unit_price"]),
            text(&i["amount"]),
        ]);
    }
    print_table(table, "No items.");
    println!(
        "net {} + VAT {} % {} = total {} {}",
        text(&v["net"]),
        text(&v["vat_rate"]),
        text(&v["vat"]),
        text(&v["total"]),
        text(&v["currency"])
    );
    if v["free"].as_bool() == Some(true) {
        println!("free: {}", text(&v["free_reason"]));
    }
    Ok(())
}

pub async fn report(remote: &RemoteArgs, cmd: ReportCommand) -> anyhow::Result<()> {
    let client = Client::new(remote)?;
    let ReportCommand::Sessions { from, to, station, id_tag, format, out } = cmd;
    let path = format!("/api/v1/operators/{}/sessions/report", operator_id(&client).await?);
    let mut q = vec![("from", from), ("to", to), ("format", format)];
    if let Some(s) = station {
        q.push(("station", s));
    }
    if let Some(t) = id_tag {
        q.push(("id_tag", t));
    }
    let response = client.send(Method::GET, &path, &q, None).await?;
    let body = response.text().await.map_err(|e| anyhow!("reading the report: {e}"))?;
    match out {
        Some(file) => {
            std::fs::write(&file, &body).with_context(|| format!("cannot write {}", file.display()))?;
            eprintln!("report written to {}", file.display());
        }
        None => print!("{body}"),
    }
    Ok(())
}

pub async fn statement(remote: &RemoteArgs, json: bool, month: String, by: String) -> anyhow::Result<()> {
    let client = Client::new(remote)?;
    if !matches!(by.as_str(), "driver" | "group") {
        bail!("--by must be driver or group");
    }
    let path = format!("/api/v1/operators/{}/statements", operator_id(&client).await?);
    let v = client.get(&path, &[("month", month), ("by", by)]).await?;
    if json {
        return print_json(&v);
    }
    let currency = text(&v["currency"]);
    let mut table = Table::new(&["KEY", "SESSIONS", "FREE", "ENERGY WH", "NET", "VAT", "TOTAL"]);
    let row = |key: String, t: &Value| {
        vec![
            key,
            t["sessions"].to_string(),
            t["free_sessions"].to_string(),
            t["energy_wh"].to_string(),
            text(&t["net"]),
            text(&t["vat"]),
            format!("{} {currency}", text(&t["total"])),
        ]
    };
    for l in v["lines"].as_array().into_iter().flatten() {
        table.row(row(text(&l["key"]), l));
    }
    table.row(row("TOTAL".into(), &v["totals"]));
    println!("statement {} by {}", text(&v["month"]), text(&v["by"]));
    print_table(table, "No sessions.");
    Ok(())
}
