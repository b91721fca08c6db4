//! Remote commands of drivers, groups and the CSV import of id tokens ("Access"): `joule driver …`,
//! `joule group …` and `joule token import`, through a running server's REST API
//! (`/api/v1/operators/{id}/drivers`, `…/groups`, `…/id-tokens/import`).

use std::path::PathBuf;

use anyhow::{Context, anyhow, bail};
use clap::Subcommand;
use serde_json::{Value, json};

use crate::cli::RemoteArgs;
use crate::client::{self, Client};
use crate::commands::{api_time, print_json, text};
use crate::table::Table;

#[derive(Subcommand, Debug)]
pub enum DriverCommand {
    /// List the operator's drivers with their groups
    List,
    /// Add a driver
    Add {
        /// The driver's name (1 to 100 characters)
        name: String,
        #[arg(long)]
        email: Option<String>,
        /// The person's account id (an account of the same operator)
        #[arg(long)]
        account: Option<i64>,
    },
    /// Show a driver with their groups and tokens
    Show {
        /// Driver id, e-mail or exact name
        driver: String,
    },
    /// Change a driver's name, e-mail or account; what is not given is kept (--email "" removes the e-mail)
    Update {
        /// Driver id, e-mail or exact name
        driver: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        email: Option<String>,
        /// Account id; 0 removes the link
        #[arg(long)]
        account: Option<i64>,
    },
    /// Remove a driver (their tokens stay registered, without a driver)
    Remove {
        /// Driver id, e-mail or exact name
        driver: String,
    },
    /// Link a registered id token to the driver (moves it from any other driver)
    Link { driver: String, tag: String },
    /// Unlink an id token from the driver
    Unlink { driver: String, tag: String },
}

#[derive(Subcommand, Debug)]
pub enum GroupCommand {
    /// List the operator's groups with their member counts
    List,
    /// Add a group (e.g. employees, residents)
    Add { name: String },
    /// Remove a group (its members stay drivers)
    Remove {
        /// Group id or name
        group: String,
    },
    /// List a group's members
    Members {
        /// Group id or name
        group: String,
    },
    /// Add a driver to a group
    Join { group: String, driver: String },
    /// Remove a driver from a group
    Leave { group: String, driver: String },
}

/// The caller's operator id (a token belongs to one operator).
async fn operator_base(client: &Client) -> anyhow::Result<String> {
    let list = client.get("/api/v1/operators", &[]).await?;
    let id = list
        .as_array()
        .and_then(|a| a.first())
        .and_then(|o| o["id"].as_i64())
        .ok_or_else(|| anyhow!("the server names no operator for this token"))?;
    Ok(format!("/api/v1/operators/{id}"))
}

/// A driver given by id, e-mail or exact name.
async fn driver_id(client: &Client, base: &str, given: &str) -> anyhow::Result<i64> {
    if let Ok(id) = given.parse::<i64>() {
        return Ok(id);
    }
    let list = client.get(&format!("{base}/drivers"), &[]).await?;
    let want = given.trim();
    let found: Vec<i64> = list
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| {
            d["name"].as_str() == Some(want) || d["email"].as_str().is_some_and(|e| e.eq_ignore_ascii_case(want))
        })
        .filter_map(|d| d["id"].as_i64())
        .collect();
    match found.as_slice() {
        [id] => Ok(*id),
        [] => bail!("no driver has the id, e-mail or name \"{given}\" (see `joule driver list`)"),
        _ => bail!("{} drivers are named \"{given}\"; give the driver's id (see `joule driver list`)", found.len()),
    }
}

/// A group given by id or name.
async fn group_id(client: &Client, base: &str, given: &str) -> anyhow::Result<i64> {
    if let Ok(id) = given.parse::<i64>() {
        return Ok(id);
    }
    let list = client.get(&format!("{base}/groups"), &[]).await?;
    list.as_array()
        .into_iter()
        .flatten()
        .find(|g| g["name"].as_str() == Some(given.trim()))
        .and_then(|g| g["id"].as_i64())
        .ok_or_else(|| anyhow!("no group has the id or name \"{given}\" (see `joule group list`)"))
}

fn group_names(d: &Value) -> String {
    let names: Vec<&str> = d["groups"].as_array().into_iter().flatten().filter_map(|g| g["name"].as_str()).collect();
    if names.is_empty() { "-".into() } else { names.join(", ") }
}

fn driver_table(list: &Value) -> String {
    let mut table = Table::new(&["ID", "NAME", "E-MAIL", "ACCOUNT", "GROUPS"]);
    for d in list.as_array().into_iter().flatten() {
        table.row(vec![
            d["id"].to_string(),
            text(&d["name"]),
            text(&d["email"]),
            text(&d["account_id"]),
            group_names(d),
        ]);
    }
    table.render()
}

fn print_driver(d: &Value) {
    println!("driver {}: {}", d["id"], text(&d["name"]));
    println!("  e-mail:  {}", text(&d["email"]));
    println!("  account: {}", text(&d["account_id"]));
    println!("  groups:  {}", group_names(d));
    let tags: Vec<&str> = d["tokens"].as_array().into_iter().flatten().filter_map(|t| t["tag"].as_str()).collect();
    println!("  tokens:  {}", if tags.is_empty() { "-".into() } else { tags.join(", ") });
    println!("  since:   {}", api_time(&d["created_at"]));
}

pub async fn driver(remote: &RemoteArgs, json: bool, cmd: DriverCommand) -> anyhow::Result<()> {
    let client = Client::new(remote)?;
    let base = operator_base(&client).await?;
    match cmd {
        DriverCommand::List => {
            let v = client.get(&format!("{base}/drivers"), &[]).await?;
            if json {
                return print_json(&v);
            }
            print!("{}", driver_table(&v));
        }
        DriverCommand::Add { name, email, account } => {
            let v = client
                .post(&format!("{base}/drivers"), json!({"name": name, "email": email, "account_id": account}))
                .await?;
            if json {
                return print_json(&v);
            }
            println!("Added driver {}: {}.", v["id"], text(&v["name"]));
        }
        DriverCommand::Show { driver } => {
            let id = driver_id(&client, &base, &driver).await?;
            let v = client.get(&format!("{base}/drivers/{id}"), &[]).await?;
            if json {
                return print_json(&v);
            }
            print_driver(&v);
        }
        DriverCommand::Update { driver, name, email, account } => {
            let id = driver_id(&client, &base, &driver).await?;
            let path = format!("{base}/drivers/{id}");
            let now = client.get(&path, &[]).await?;
            let body = json!({
                "name": name.map(Value::from).unwrap_or_else(|| now["name"].clone()),
                "email": match email {
                    Some(e) if e.trim().is_empty() => Value::Null,
                    Some(e) => Value::from(e),
                    None => now["email"].clone(),
                },
                "account_id": match account {
                    Some(0) => Value::Null,
                    Some(a) => Value::from(a),
                    None => now["account_id"].clone(),
                },
            });
            let v = client.put(&path, body).await?;
            if json {
                return print_json(&v);
            }
            print_driver(&v);
        }
        DriverCommand::Remove { driver } => {
            let id = driver_id(&client, &base, &driver).await?;
            client.delete(&format!("{base}/drivers/{id}"), &[]).await?;
            println!("Removed driver {id}; their tokens stay registered, without a driver.");
        }
        DriverCommand::Link { driver, tag } => {
            let id = driver_id(&client, &base, &driver).await?;
            client.put(&format!("{base}/drivers/{id}/tokens/{}", client::segment(&tag)), json!({})).await?;
            println!("Linked id tag {tag} to driver {id}.");
        }
        DriverCommand::Unlink { driver, tag } => {
            let id = driver_id(&client, &base, &driver).await?;
            client.delete(&format!("{base}/drivers/{id}/tokens/{}", client::segment(&tag)), &[]).await?;
            println!("Unlinked id tag {tag} from driver {id}.");
        }
    }
    Ok(())
}

pub async fn group(remote: &RemoteArgs, json: bool, cmd: GroupCommand) -> anyhow::Result<()> {
    let client = Client::new(remote)?;
    let base = operator_base(&client).await?;
    match cmd {
        GroupCommand::List => {
            let v = client.get(&format!("{base}/groups"), &[]).await?;
            if json {
                return print_json(&v);
            }
            let mut table = Table::new(&["ID", "NAME", "MEMBERS", "CREATED"]);
            for g in v.as_array().into_iter().flatten() {
                table.row(vec![
                    g["id"].to_string(),
                    text(&g["name"]),
                    g["members"].to_string(),
                    api_time(&g["created_at"]),
                ]);
            }
            print!("{}", table.render());
        }
        GroupCommand::Add { name } => {
            let v = client.post(&format!("{base}/groups"), json!({"name": name})).await?;
            if json {
                return print_json(&v);
            }
            println!("Added group {}: {}.", v["id"], text(&v["name"]));
        }
        GroupCommand::Remove { group } => {
            let id = group_id(&client, &base, &group).await?;
            client.delete(&format!("{base}/groups/{id}"), &[]).await?;
            println!("Removed group {id}; its members stay drivers.");
        }
        GroupCommand::Members { group } => {
            let id = group_id(&client, &base, &group).await?;
            let v = client.get(&format!("{base}/groups/{id}/members"), &[]).await?;
            if json {
                return print_json(&v);
            }
            print!("{}", driver_table(&v));
        }
        GroupCommand::Join { group, driver } => {
            let g = group_id(&client, &base, &group).await?;
            let d = driver_id(&client, &base, &driver).await?;
            client.put(&format!("{base}/groups/{g}/members/{d}"), json!({})).await?;
            println!("Driver {d} is in group {g}.");
        }
        GroupCommand::Leave { group, driver } => {
            let g = group_id(&client, &base, &group).await?;
            let d = driver_id(&client, &base, &driver).await?;
            client.delete(&format!("{base}/groups/{g}/members/{d}"), &[]).await?;
            println!("Driver {d} is not in group {g}.");
        }
    }
    Ok(())
}

/// `joule token import FILE [--dry-run]`: prints the report; an error (exit code 1) when lines were rejected.
pub async fn import(remote: &RemoteArgs, json: bool, file: PathBuf, dry_run: bool) -> anyhow::Result<()> {
    let client = Client::new(remote)?;
    let base = operator_base(&client).await?;
    let body = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
    let query = if dry_run { "?dry_run=true" } else { "" };
    let v = client.post_bytes(&format!("{base}/id-tokens/import{query}"), "text/csv", body).await?;
    if json {
        print_json(&v)?;
    } else {
        let c = &v["counts"];
        println!(
            "{}{} lines: {} created, {} updated, {} unchanged, {} rejected",
            if dry_run { "dry run (nothing written): " } else { "" },
            c["lines"],
            c["created"],
            c["updated"],
            c["unchanged"],
            c["rejected"]
        );
        let list = |k: &str| -> Vec<String> {
            v[k].as_array().into_iter().flatten().filter_map(|x| x.as_str().map(str::to_owned)).collect()
        };
        if !list("drivers_created").is_empty() {
            println!("drivers created: {}", list("drivers_created").join(", "));
        }
        if !list("groups_created").is_empty() {
            println!("groups created: {}", list("groups_created").join(", "));
        }
        for r in v["rejected"].as_array().into_iter().flatten() {
            match r["column"].as_str() {
                Some(col) => println!("line {}, {}: {}", r["line"], col, text(&r["reason"])),
                None => println!("line {}: {}", r["line"], text(&r["reason"])),
            }
        }
    }
    let rejected = v["counts"]["rejected"].as_u64().unwrap_or(0);
    if rejected > 0 {
        bail!(
            "{rejected} line(s) of {} rejected (listed above){}; fix them and import the file again",
            file.display(),
            if dry_run { "" } else { ", the other lines were imported" }
        );
    }
    Ok(())
}
