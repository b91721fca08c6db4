//! The onboarding commands, all through a running server's REST API: the activation queue, the
//! model catalog, stickers, and a station's installation, checklist and history.

use anyhow::{anyhow, bail};
use serde_json::{Value, json};

use crate::cli::{ActivationCommand, ModelCommand, RemoteArgs, StationCommand, StickerCommand};
use crate::client::Client;
use crate::commands::{api_time, print_json, print_table, station_path, text};
use crate::table::Table;

/// The operator the token belongs to (a token sees exactly its own).
async fn operator_id(client: &Client) -> anyhow::Result<i64> {
    let operators = client.get("/api/v1/operators", &[]).await?;
    operators[0]["id"].as_i64().ok_or_else(|| anyhow!("the server listed no operator for this token"))
}

fn request_row(r: &Value) -> Vec<String> {
    let stations: Vec<String> =
        r["charge_points"].as_array().into_iter().flatten().map(|c| text(&c["station_id"])).collect();
    vec![
        text(&r["id"]),
        text(&r["state"]),
        if r["overdue"] == true { "OVERDUE".into() } else { String::new() },
        text(&r["customer_number"]),
        stations.join(","),
        api_time(&r["requested_at"]),
    ]
}

fn print_request(r: &Value) {
    println!(
        "Request {} ({}){}",
        text(&r["id"]),
        text(&r["state"]),
        if r["overdue"] == true { ", overdue" } else { "" }
    );
    if let Some(reason) = r["reason"].as_str() {
        println!("  reason:       {reason}");
    }
    println!("  requested at: {}", api_time(&r["requested_at"]));
    println!("  customer:     {}", text(&r["customer_number"]));
    for c in r["charge_points"].as_array().into_iter().flatten() {
        println!(
            "  charge point: {} -> station {} connectors {}",
            text(&c["number"]),
            text(&c["station_id"]),
            c["connectors"]
        );
    }
    if let Some(controller) = r["controller_number"].as_str() {
        println!("  controller:   {controller}");
    }
    println!("  installation: {} {}", text(&r["installation_type"]), r["features"]);
    let a = &r["address"];
    println!(
        "  address:      {} {}, {} {}, {}",
        text(&a["street"]),
        a["house_number"].as_str().unwrap_or(""),
        a["postal_code"].as_str().unwrap_or(""),
        text(&a["city"]),
        text(&a["country"])
    );
    println!("  network:      {}", text(&r["network"]));
    if let Some(notes) = r["notes"].as_str() {
        println!("  notes:        {notes}");
    }
}

/// `joule activation ...`
pub async fn activation(remote: &RemoteArgs, json: bool, cmd: ActivationCommand) -> anyhow::Result<()> {
    let client = Client::new(remote)?;
    let path = |id: i64, step: &str| format!("/api/v1/activation-requests/{id}{step}");
    let answer = match cmd {
        ActivationCommand::List { state, overdue } => {
            let mut query = Vec::new();
            if let Some(s) = state {
                query.push(("state", s));
            }
            if overdue {
                query.push(("overdue", "true".to_string()));
            }
            let v = client.get("/api/v1/activation-requests", &query).await?;
            if json {
                return print_json(&v);
            }
            let mut table = Table::new(&["ID", "STATE", "", "CUSTOMER", "STATIONS", "REQUESTED"]);
            for r in v.as_array().into_iter().flatten() {
                table.row(request_row(r));
            }
            print_table(table, "no activation requests");
            return Ok(());
        }
        ActivationCommand::Show { id } => {
            let list = client.get("/api/v1/activation-requests", &[]).await?;
            let found = list.as_array().into_iter().flatten().find(|r| r["id"] == id).cloned();
            found.ok_or_else(|| anyhow!("no activation request {id} in this operator's queue"))?
        }
        ActivationCommand::Request { file } => client.post("/api/v1/activation-requests", read_json(&file)?).await?,
        ActivationCommand::Review { id } => client.post(&path(id, "/review"), json!({})).await?,
        ActivationCommand::Approve { id } => client.post(&path(id, "/approve"), json!({})).await?,
        ActivationCommand::Reject { id, reason } => {
            client.post(&path(id, "/reject"), json!({ "reason": reason })).await?
        }
    };
    if json {
        return print_json(&answer);
    }
    print_request(&answer);
    Ok(())
}

/// `joule model ...`
pub async fn model(remote: &RemoteArgs, json: bool, cmd: ModelCommand) -> anyhow::Result<()> {
    let client = Client::new(remote)?;
    let path = format!("/api/v1/operators/{}/models", operator_id(&client).await?);
    match cmd {
        ModelCommand::List => {
            let v = client.get(&path, &[]).await?;
            if json {
                return print_json(&v);
            }
            let mut table = Table::new(&["VENDOR", "MODEL", "MIN FIRMWARE", "UPDATED", "BY"]);
            for m in v.as_array().into_iter().flatten() {
                table.row(vec![
                    text(&m["vendor"]),
                    text(&m["model"]),
                    text(&m["min_firmware"]),
                    api_time(&m["updated_at"]),
                    text(&m["updated_by"]),
                ]);
            }
            print_table(table, "no models in the catalog: installers may enter any make and model");
        }
        ModelCommand::Set { vendor, model, min_firmware } => {
            let body = json!({ "vendor": vendor, "model": model, "min_firmware": min_firmware });
            let v = client.put(&path, body).await?;
            if json {
                return print_json(&v);
            }
            let min = v["min_firmware"].as_str().map(|m| format!("minimum firmware {m}"));
            println!("{} {}: {}", text(&v["vendor"]), text(&v["model"]), min.unwrap_or("any firmware".into()));
        }
        ModelCommand::Remove { vendor, model } => {
            client.delete(&path, &[("vendor", vendor.clone()), ("model", model.clone())]).await?;
            if !json {
                println!("{vendor} {model} removed from the catalog");
            }
        }
    }
    Ok(())
}

/// `joule sticker ...`: the passwords are shown once (Joule keeps only their hashes).
pub async fn sticker(remote: &RemoteArgs, cmd: StickerCommand) -> anyhow::Result<()> {
    let client = Client::new(remote)?;
    match cmd {
        StickerCommand::Create { station, mac, svg } => {
            let path = format!("{}/activation-codes", station_path(&station));
            let v = client.post(&path, json!({ "mac": mac })).await?;
            println!("Station:             {}", text(&v["station_id"]));
            println!("MAC address:         {}", text(&v["mac"]));
            println!("Activation password: {}", text(&v["code"]));
            println!("Claim URL:           {}", text(&v["claim_url"]));
            if let Some(file) = svg {
                let content = v["svg"].as_str().ok_or_else(|| anyhow!("the answer has no SVG"))?;
                std::fs::write(&file, content).map_err(|e| anyhow!("writing {}: {e}", file.display()))?;
                println!("Sticker written to {}", file.display());
            }
            println!("Joule keeps only a hash of the password: print or note it now.");
        }
        StickerCommand::Sheet { stations, out } => {
            let mut list = Vec::with_capacity(stations.len());
            for pair in &stations {
                let Some((station, mac)) = pair.split_once('=') else {
                    bail!("{pair}: give each station as STATION=MAC, e.g. CP-1=AA:BB:CC:DD:EE:01");
                };
                list.push(json!({ "station_id": station, "mac": mac }));
            }
            let response =
                client.send(reqwest::Method::POST, "/api/v1/stickers", &[], Some(json!({ "stations": list }))).await?;
            let html = response.text().await.map_err(|e| anyhow!("reading the sticker sheet: {e}"))?;
            std::fs::write(&out, html).map_err(|e| anyhow!("writing {}: {e}", out.display()))?;
            println!(
                "{} sticker(s) written to {}: open it in a browser and print it (A4). The passwords cannot be \
                 fetched again.",
                stations.len(),
                out.display()
            );
        }
    }
    Ok(())
}

fn print_checklist(v: &Value) {
    println!(
        "{}: {}{}",
        text(&v["station_id"]),
        text(&v["state"]),
        if v["all_green"] == true { ", all green" } else { "" }
    );
    let mut table = Table::new(&["ITEM", "STATUS", "EVIDENCE"]);
    for i in v["items"].as_array().into_iter().flatten() {
        let status = if i["status"] == "green" { "ok" } else { "RED" };
        table.row(vec![text(&i["item"]), status.into(), text(&i["evidence"])]);
    }
    print!("{}", table.render());
}

/// `joule station history|verification|verify|installation|lock ID`
pub async fn station(client: &Client, json: bool, cmd: StationCommand) -> anyhow::Result<()> {
    match cmd {
        StationCommand::History { id, limit } => {
            let v = client.get(&format!("{}/history", station_path(&id)), &[("limit", limit.to_string())]).await?;
            if json {
                return print_json(&v);
            }
            let mut table = Table::new(&["AT", "WHAT", "BY", "DETAIL"]);
            for e in v.as_array().into_iter().flatten() {
                table.row(vec![api_time(&e["at"]), text(&e["kind"]), text(&e["actor"]), text(&e["summary"])]);
            }
            print_table(table, "no history");
        }
        StationCommand::Verification { id } => {
            let v = client.get(&format!("{}/verification", station_path(&id)), &[]).await?;
            if json {
                return print_json(&v);
            }
            print_checklist(&v);
        }
        StationCommand::Verify { id } => {
            let v = client.post(&format!("{}/verify", station_path(&id)), json!({})).await?;
            if json {
                return print_json(&v);
            }
            print_checklist(&v);
        }
        StationCommand::Installation { id } => {
            let v = client.get(&format!("{}/installation", station_path(&id)), &[]).await?;
            if json {
                return print_json(&v);
            }
            print_installation(&v);
        }
        StationCommand::Lock { id } => {
            let v = client.post(&format!("{}/installation/lock", station_path(&id)), json!({})).await?;
            if json {
                return print_json(&v);
            }
            println!(
                "{id}: configuration complete; serial number {} locked at {}",
                text(&v["serial_number"]),
                api_time(&v["serial_locked_at"])
            );
        }
        StationCommand::Pinpoint { id, file } => {
            let v = client.put(&format!("{}/installation", station_path(&id)), read_json(&file)?).await?;
            if json {
                return print_json(&v);
            }
            print_installation(&v["installation"]);
            for w in v["warnings"].as_array().into_iter().flatten() {
                println!("warning: {}", text(w));
            }
            if let Some(zones) = v["time_zone_choices"].as_array() {
                let zones: Vec<String> = zones.iter().map(text).collect();
                println!("Choose the time zone (\"time_zone\"): {}", zones.join(", "));
            }
        }
        StationCommand::Photo { id, file } => {
            let bytes = std::fs::read(&file).map_err(|e| anyhow!("reading {}: {e}", file.display()))?;
            // The server reads the type from the content too; this only labels the upload and stops early.
            let content_type = match imagesize::image_type(&bytes) {
                Ok(imagesize::ImageType::Png) => "image/png",
                Ok(imagesize::ImageType::Jpeg) => "image/jpeg",
                _ => bail!("{} is neither a JPEG nor a PNG image", file.display()),
            };
            let v = client.put_bytes(&format!("{}/installation/photo", station_path(&id)), content_type, bytes).await?;
            if json {
                return print_json(&v);
            }
            println!("{id}: photo stored ({} bytes)", v["photo"]["size"]);
        }
        StationCommand::TestSession { id, connector } => {
            let body = json!({ "connector_id": connector });
            let v = client.post(&format!("{}/test-session", station_path(&id)), body).await?;
            if json {
                return print_json(&v);
            }
            println!("{id} answered RemoteStartTransaction: {}", text(&v["answer"]["status"]));
            println!("One-time id tag {} (valid until {})", text(&v["id_tag"]), api_time(&v["expires_at"]));
            match v["transaction_id"].as_i64() {
                Some(tx) => println!(
                    "Transaction {tx} started; stop it at the station or with `joule station remote-stop {id} --transaction {tx}`."
                ),
                None => println!(
                    "No transaction has started yet; it shows in `joule station verification {id}` once it ends."
                ),
            }
        }
        other => unreachable!("not an onboarding command: {other:?}"),
    }
    Ok(())
}

fn print_installation(v: &Value) {
    println!("Station {}", text(&v["station_id"]));
    println!("  claimed:     {} by account {}", api_time(&v["claimed_at"]), text(&v["claimed_by"]));
    match v["gps"].as_object() {
        Some(g) => println!(
            "  location:    {}, {} (accuracy {} m)",
            g["lat"],
            g["lon"],
            g.get("accuracy_m").map(text).unwrap_or_else(|| "-".into())
        ),
        None => println!("  location:    not pinpointed"),
    }
    println!("  model:       {} {}", text(&v["vendor"]), text(&v["model"]));
    let locked = v["serial_locked_at"].as_str().map(|_| format!(" (locked {})", api_time(&v["serial_locked_at"])));
    println!("  serial:      {}{}", text(&v["serial_number"]), locked.unwrap_or_default());
    if let Some(a) = v["address"].as_object() {
        let part = |k: &str| a.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        println!(
            "  address:     {} {}, {} {}, {}",
            part("street"),
            part("house_number"),
            part("postal_code"),
            part("city"),
            part("country")
        );
    }
    println!("  time zone:   {}", text(&v["time_zone"]));
    println!("  parking:     {}", text(&v["parking_spot"]));
    println!("  directions:  {}", text(&v["directions"]));
    match v["photo"].as_object() {
        Some(p) => match p.get("orientation") {
            Some(o) => {
                println!("  photo:       {} ({} bytes, EXIF orientation {o})", text(&p["content_type"]), p["size"])
            }
            None => println!("  photo:       {} ({} bytes)", text(&p["content_type"]), p["size"]),
        },
        None => println!("  photo:       none"),
    }
}

/// A JSON file given on the command line.
fn read_json(file: &std::path::Path) -> anyhow::Result<Value> {
    let text = std::fs::read_to_string(file).map_err(|e| anyhow!("reading {}: {e}", file.display()))?;
    serde_json::from_str(&text).map_err(|e| anyhow!("{} is not JSON: {e}", file.display()))
}

/// `joule login --email E`: the password from standard input; prints the login session's token.
pub async fn login(remote: &RemoteArgs, json: bool, email: &str) -> anyhow::Result<()> {
    let mut password = String::new();
    std::io::stdin().read_line(&mut password)?;
    let password = password.trim_end_matches(['\r', '\n']);
    if password.is_empty() {
        bail!("give the password on standard input, e.g. `joule login --email {email} < password-file`");
    }
    let client = Client::anonymous(remote)?;
    let v = client.post("/api/v1/login", json!({ "email": email, "password": password })).await?;
    if json {
        return print_json(&v);
    }
    // Only the token on standard output, so that `export JOULE_TOKEN=$(joule login ...)` works.
    println!("{}", text(&v["token"]));
    eprintln!("Logged in as {email} until {}; use the token as JOULE_TOKEN.", api_time(&v["expires_at"]));
    Ok(())
}

/// `joule claim MAC CODE`: an installer claims a station with its sticker.
pub async fn claim(remote: &RemoteArgs, json: bool, mac: &str, code: &str) -> anyhow::Result<()> {
    let client = Client::new(remote)?;
    let v = client.post("/api/v1/claims", json!({ "mac": mac, "code": code })).await?;
    if json {
        return print_json(&v);
    }
    println!(
        "Claimed station {}; pinpoint it with `joule station pinpoint {} FILE`.",
        text(&v["station_id"]),
        text(&v["station_id"])
    );
    Ok(())
}
