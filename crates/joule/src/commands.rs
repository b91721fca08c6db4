//! What each command does.

use std::sync::Arc;

use anyhow::{Context, anyhow, bail};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use joule_app::AppError;
use joule_app::StoreError;
use joule_app::accounts::password;
use joule_app::accounts::{AccountFilter, NewAccountInput};
use joule_app::operations::{Operator, StationFilter};
use joule_core::auth::IdToken;
use joule_core::station::StationState;
use joule_core::{IdTag, Role, StationId, Timestamp};
use joule_server::{Server, Settings};
use joule_store::{NewStation, SessionFilter, Store};

use reqwest::Method;
use serde_json::{Value, json};

use crate::cli::{
    AccountCommand, ApiTokenCommand, Cli, Command, ConfigCommand, DefaultsCommand, OperatorCommand, RemoteArgs,
    SessionCommand, StationCommand, StationConfigCommand, TokenCommand,
};
use crate::client::{self, Client};
use crate::config;
use crate::onboarding;
use crate::table::Table;

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    // The remote commands talk to a running server's API: no configuration file, no database.
    let json = cli.global.json;
    let command = match cli.command {
        // --- handover ---
        Command::Station(StationCommand::Handover(cmd)) => {
            return crate::handover::station(&cli.global.remote, json, cmd).await;
        }
        Command::Backend(cmd) => return crate::handover::backend(&cli.global.remote, json, cmd).await,
        Command::ProvisioningProfile(cmd) => return crate::handover::profile(&cli.global.remote, json, cmd).await,
        // --- tariffs and billing ---
        Command::Station(StationCommand::Price { id, connector, id_tag }) => {
            return crate::billing::station_price(&cli.global.remote, json, &id, connector, id_tag).await;
        }
        Command::Session(SessionCommand::Cost { id, recompute }) => {
            return crate::billing::session_cost(&cli.global.remote, json, id, recompute).await;
        }
        Command::Tariff(cmd) => return crate::billing::tariff(&cli.global.remote, json, cmd).await,
        Command::Billing(cmd) => return crate::billing::billing(&cli.global.remote, json, cmd).await,
        Command::Report(cmd) => return crate::billing::report(&cli.global.remote, cmd).await,
        Command::Statement { month, by } => {
            return crate::billing::statement(&cli.global.remote, json, month, by).await;
        }
        // --- 15-minute intervals and live power ---
        Command::Station(StationCommand::Intervals(cmd)) => {
            return crate::intervals::station(&cli.global.remote, json, cmd).await;
        }
        Command::Intervals(cmd) => return crate::intervals::export(&cli.global.remote, cmd).await,
        // --- access rules ---
        Command::Station(StationCommand::Access(cmd)) => {
            return crate::access::station(&cli.global.remote, json, cmd).await;
        }
        Command::Access(cmd) => return crate::access::access(&cli.global.remote, json, cmd).await,
        // --- local authorization list sync ---
        Command::Station(StationCommand::LocalList { id, sync, retry }) => {
            return crate::access::local_list(&cli.global.remote, json, &id, sync, retry).await;
        }
        // --- drivers, groups, token import ---
        Command::Driver(cmd) => return crate::drivers::driver(&cli.global.remote, json, cmd).await,
        Command::Group(cmd) => return crate::drivers::group(&cli.global.remote, json, cmd).await,
        Command::Token(TokenCommand::Import { file, dry_run }) => {
            return crate::drivers::import(&cli.global.remote, json, file, dry_run).await;
        }
        Command::Station(cmd) if cmd.is_remote() => return remote_station(&cli.global.remote, json, cmd).await,
        Command::Events { station } => return events(&cli.global.remote, json, station).await,
        Command::Activation(cmd) => return onboarding::activation(&cli.global.remote, json, cmd).await,
        Command::Model(cmd) => return onboarding::model(&cli.global.remote, json, cmd).await,
        Command::Sticker(cmd) => return onboarding::sticker(&cli.global.remote, cmd).await,
        Command::Login { email } => return onboarding::login(&cli.global.remote, json, &email).await,
        Command::Claim { mac, code } => return onboarding::claim(&cli.global.remote, json, &mac, &code).await,
        other => other,
    };
    let cli = Cli { command, ..cli };
    if let Command::Config(ConfigCommand::Example) = cli.command {
        print!("{}", joule_server::settings::EXAMPLE_TOML);
        return Ok(());
    }
    let settings = config::load(&cli.global)?;
    if let Command::Config(ConfigCommand::Show) = cli.command {
        let mut shown = settings.clone();
        shown.database_url = shown.database_url.as_deref().map(config::redact);
        print!("{}", toml_of(&shown)?);
        return Ok(());
    }
    let store = config::open_store(&settings).await?;
    let app = joule_server::Server::new(store.clone(), settings.clone()).app;
    let ctx = Ctx { store, app, settings, json: cli.global.json };
    match cli.command {
        Command::Serve => serve(ctx).await,
        Command::Operator(cmd) => operator(&ctx, cmd).await,
        Command::Station(cmd) => station(&ctx, cmd).await,
        Command::Token(cmd) => token(&ctx, cmd).await,
        Command::Session(cmd) => session(&ctx, cmd).await,
        Command::ApiToken(cmd) => api_token(&ctx, cmd).await,
        Command::Account(cmd) => account(&ctx, cmd).await,
        Command::Config(_)
        | Command::Events { .. }
        | Command::Activation(_)
        | Command::Model(_)
        | Command::Sticker(_)
        | Command::Login { .. }
        | Command::Claim { .. }
        | Command::Backend(_)
        | Command::ProvisioningProfile(_)
        // --- tariffs and billing ---
        | Command::Tariff(_)
        | Command::Billing(_)
        | Command::Report(_)
        | Command::Statement { .. }
        // --- 15-minute intervals and live power ---
        | Command::Intervals(_)
        // --- access rules ---
        | Command::Access(_)
        // --- drivers, groups, token import ---
        | Command::Driver(_)
        | Command::Group(_) => unreachable!("handled above"),
    }
}

fn toml_of(settings: &Settings) -> anyhow::Result<String> {
    // figment reads TOML; writing it goes through figment's own value type to stay within its dependency.
    let value = figment::Figment::from(figment::providers::Serialized::defaults(settings));
    let dict: figment::value::Dict = value.extract()?;
    let mut out = String::new();
    toml_table(&mut out, "", &dict);
    Ok(out)
}

/// Writes a table's plain keys, then its sub-tables as `[a.b]` sections.
fn toml_table(out: &mut String, path: &str, dict: &figment::value::Dict) {
    use figment::value::Value;
    let mut sections = Vec::new();
    for (k, v) in dict {
        match v {
            Value::Dict(_, inner) => sections.push((k, inner)),
            Value::Empty(..) => out.push_str(&format!("# {k} is not set\n")),
            other => out.push_str(&format!("{k} = {}\n", toml_value(other))),
        }
    }
    for (name, inner) in sections {
        let name = if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
        out.push_str(&format!("\n[{name}]\n"));
        toml_table(out, &name, inner);
    }
}

fn toml_value(v: &figment::value::Value) -> String {
    use figment::value::Value;
    match v {
        Value::String(_, s) => format!("{s:?}"),
        Value::Bool(_, b) => b.to_string(),
        Value::Num(_, n) => n
            .to_u128()
            .map(|n| n.to_string())
            .or_else(|| n.to_i128().map(|n| n.to_string()))
            .unwrap_or_else(|| format!("{:?}", n.to_f64())),
        other => format!("{other:?}"),
    }
}

struct Ctx {
    store: Arc<dyn Store>,
    /// The use cases, on the same store (their `Stations` is a gateway of this process: no station is
    /// connected to it).
    app: joule_app::App,
    settings: Settings,
    /// `--json`: print JSON instead of text.
    json: bool,
}

async fn serve(ctx: Ctx) -> anyhow::Result<()> {
    joule_server::check_mail(&ctx.settings).context("the [mail] settings")?;
    let listener = listen(ctx.settings.listen).with_context(|| format!("cannot listen on {}", ctx.settings.listen))?;
    tracing::info!(
        listen = %ctx.settings.listen,
        database = ctx.store.backend(),
        "Joule is serving; stations connect to {}/ocpp/{{operator-key}}/{{station-id}}; API documentation at {}/api/v1/docs",
        ctx.settings.public_base(),
        ctx.settings.public_base().replacen("ws", "http", 1)
    );
    let server = Server::new(ctx.store, ctx.settings);
    // --- web portal: the portal's pages beside the API they call in-process ---
    let server = server.clone().with_routes(joule_web::router(joule_api::router(server.app.clone())));
    server.serve(listener, shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

/// Binds with a deep accept backlog: after a restart thousands of stations reconnect at once, and a short
/// backlog turns that storm into SYN retries of several seconds.
fn listen(addr: std::net::SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = if addr.is_ipv4() { tokio::net::TcpSocket::new_v4()? } else { tokio::net::TcpSocket::new_v6()? };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(4096)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

/// The person at the command line, as the use cases and the audit log know them (`cli:USER`).
fn actor() -> joule_app::Actor {
    let user = std::env::var("USER").or_else(|_| std::env::var("LOGNAME")).unwrap_or_else(|_| "unknown".into());
    joule_app::Actor::cli(&user)
}

/// Finds an operator by name, or by id if the argument is a number and no operator has it as a name.
async fn find_operator(ctx: &Ctx, name_or_id: &str) -> anyhow::Result<Operator> {
    match ctx.app.operations().find_operator(&actor(), name_or_id).await? {
        Some(op) => Ok(op),
        None => bail!("no operator named or numbered {name_or_id:?} (see `joule operator list`)"),
    }
}

fn parse_station_id(s: &str) -> anyhow::Result<StationId> {
    StationId::parse(s).map_err(|e| anyhow!("{e}"))
}

async fn find_station(ctx: &Ctx, id: &str) -> anyhow::Result<joule_core::station::Station> {
    let id = parse_station_id(id)?;
    match ctx.app.operations().station(&actor(), id.as_str()).await {
        Ok((_, station)) => Ok(station),
        Err(AppError::NotFound(_)) => bail!("no station {id} (see `joule station list`)"),
        Err(e) => Err(e.into()),
    }
}

async fn operator(ctx: &Ctx, cmd: OperatorCommand) -> anyhow::Result<()> {
    match cmd {
        OperatorCommand::Create { name } => {
            let name = name.trim();
            let op = match ctx.app.operations().create_operator(&actor(), name).await {
                Err(AppError::Store(StoreError::Conflict(_))) => bail!("an operator named {name:?} exists already"),
                other => other?,
            };
            println!("Created operator {} (id {}).", op.name, op.id);
            println!("OCPP URL: {}", ctx.settings.ocpp_url(op.key.as_str()));
            println!(
                "Stations append their own id to this URL, e.g. {}CP-0001",
                ctx.settings.ocpp_url(op.key.as_str())
            );
        }
        OperatorCommand::List => {
            let mut table = Table::new(&["ID", "NAME", "OCPP URL"]);
            for op in ctx.app.operations().operators(&actor()).await? {
                table.row(vec![op.id.to_string(), op.name.clone(), ctx.settings.ocpp_url(op.key.as_str())]);
            }
            print_table(table, "no operators yet: create one with `joule operator create NAME`");
        }
        OperatorCommand::Defaults(cmd) => operator_defaults(ctx, cmd).await?,
        // --- operator settings ---
        OperatorCommand::Settings(cmd) => operator_settings(ctx, cmd).await?,
    }
    Ok(())
}

// --- operator settings ---
async fn operator_settings(ctx: &Ctx, cmd: crate::cli::SettingsCommand) -> anyhow::Result<()> {
    use crate::cli::SettingsCommand;
    use joule_core::operator::OperatorSettings;
    let operations = ctx.app.operations();
    let view = |s: OperatorSettings| json!({ "service_level_days": s.service_level_days(), "offline_after_minutes": s.offline_after_minutes() });
    let (op, settings, changed) = match cmd {
        SettingsCommand::Show { operator } => {
            let op = find_operator(ctx, &operator).await?;
            let settings = operations.settings(&actor(), op.id).await?;
            (op, settings, false)
        }
        SettingsCommand::Set { operator, service_level_days, offline_after_minutes } => {
            if service_level_days.is_none() && offline_after_minutes.is_none() {
                bail!("give --service-level-days, --offline-after-minutes or both");
            }
            let op = find_operator(ctx, &operator).await?;
            let (days, minutes) = (service_level_days.map(i64::from), offline_after_minutes.map(i64::from));
            let after = match operations.set_settings(&actor(), op.id, days, minutes).await {
                Err(AppError::Invalid { field: Some(field), detail }) => {
                    bail!("--{}: {detail}", field.replace('_', "-"))
                }
                other => other?,
            };
            (op, after, true)
        }
    };
    if ctx.json {
        println!("{}", serde_json::to_string_pretty(&view(settings))?);
        return Ok(());
    }
    println!("Settings of {}{}:", op.name, if changed { " (changed)" } else { "" });
    let mut table = Table::new(&["SETTING", "VALUE"]);
    table.row(vec!["service_level_days".into(), settings.service_level_days().to_string()]);
    table.row(vec!["offline_after_minutes".into(), settings.offline_after_minutes().to_string()]);
    print!("{}", table.render());
    Ok(())
}

async fn operator_defaults(ctx: &Ctx, cmd: DefaultsCommand) -> anyhow::Result<()> {
    let operations = ctx.app.operations();
    let (op, set) = match cmd {
        DefaultsCommand::Show { operator } => (find_operator(ctx, &operator).await?, None),
        DefaultsCommand::Clear { operator } => (find_operator(ctx, &operator).await?, Some(Vec::new())),
        DefaultsCommand::Set { operator, pairs } => {
            let op = find_operator(ctx, &operator).await?;
            (op, Some(parse_defaults(&pairs)?))
        }
    };
    if let Some(pairs) = &set {
        operations.set_defaults(&actor(), op.id, pairs).await?;
    }
    let defaults = operations.defaults(&actor(), op.id).await?;
    if ctx.json {
        let list: Vec<Value> = defaults.iter().map(|(k, v)| json!({ "key": k, "value": v })).collect();
        println!("{}", serde_json::to_string_pretty(&list)?);
        return Ok(());
    }
    if defaults.is_empty() {
        println!("{} has no default configuration.", op.name);
        return Ok(());
    }
    println!("Default configuration of {} (applied in this order when a station is activated):", op.name);
    let mut table = Table::new(&["KEY", "VALUE"]);
    for (k, v) in defaults {
        table.row(vec![k, v]);
    }
    print!("{}", table.render());
    if set.is_some() {
        println!("Apply it to a connected station now with `joule station defaults ID --apply`.");
    }
    Ok(())
}

/// `KEY=VALUE` arguments, checked as the API checks them (OCPP 1.6 CiString50 keys, CiString500 values).
fn parse_defaults(pairs: &[String]) -> anyhow::Result<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = Vec::new();
    for pair in pairs {
        let Some((key, value)) = pair.split_once('=') else {
            bail!("{pair:?}: write each default as KEY=VALUE, e.g. HeartbeatInterval=300");
        };
        let key = key.trim();
        if key.is_empty() || key.len() > 50 {
            bail!("{pair:?}: a configuration key has 1 to 50 characters");
        }
        if value.len() > 500 {
            bail!("{key}: a value has at most 500 characters");
        }
        if out.iter().any(|(k, _)| k == key) {
            bail!("{key} is given twice");
        }
        out.push((key.to_string(), value.to_string()));
    }
    Ok(out)
}

async fn station(ctx: &Ctx, cmd: StationCommand) -> anyhow::Result<()> {
    let store = ctx.store.as_ref();
    match cmd {
        StationCommand::Register { id, operator, password, activate, free_vend } => {
            let op = find_operator(ctx, &operator).await?;
            let station = register(ctx, &op, &id, password, free_vend, activate).await?;
            println!("Registered station {} under {} as {}.", station.id, op.name, station.state);
            println!("Its OCPP URL: {}{}", ctx.settings.ocpp_url(op.key.as_str()), station.id);
        }
        StationCommand::Import { file, operator, activate } => {
            let op = find_operator(ctx, &operator).await?;
            let text = std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let (mut imported, mut rejected) = (0, 0);
            for (n, line) in text.lines().enumerate() {
                let line_no = n + 1;
                let fields = match station_line(line) {
                    Ok(fields) => fields,
                    Err(e) => {
                        rejected += 1;
                        eprintln!("line {line_no}: rejected: {e}");
                        continue;
                    }
                };
                if fields.iter().all(|f| f.is_empty()) || (line_no == 1 && fields[0].eq_ignore_ascii_case("station_id"))
                {
                    continue;
                }
                let result = async {
                    if fields.len() > 3 {
                        bail!("expected at most 3 fields (station_id,password,free_vend), found {}", fields.len());
                    }
                    let password = fields.get(1).filter(|p| !p.is_empty()).map(|p| p.to_string());
                    let free_vend = match fields.get(2).map(String::as_str).unwrap_or("") {
                        "" | "false" | "no" | "0" => false,
                        "true" | "yes" | "1" => true,
                        other => bail!("free_vend must be true or false, not {other:?}"),
                    };
                    register(ctx, &op, &fields[0], password, free_vend, activate).await
                }
                .await;
                match result {
                    Ok(_) => imported += 1,
                    Err(e) => {
                        rejected += 1;
                        eprintln!("line {line_no}: rejected: {e}");
                    }
                }
            }
            println!("Imported {imported} station(s) under {}; {rejected} line(s) rejected.", op.name);
            if rejected > 0 {
                bail!("{rejected} line(s) of {} were rejected (see above)", file.display());
            }
        }
        StationCommand::Activate { id } => {
            let station = find_station(ctx, &id).await?;
            let services = joule_app::charging::Charging::new(ctx.store.clone(), Arc::new(ctx.settings.clone()));
            let station = services.activate(&station.id).await?;
            println!("Station {} is {}.", station.id, station.state);
            if station.online {
                println!("It is connected: the server asks it to boot again now (TriggerMessage BootNotification).");
            } else {
                println!("It is accepted at its next boot.");
            }
        }
        StationCommand::FreeVend { id, mode } => {
            let station = find_station(ctx, &id).await?;
            let station = store.set_station_free_vend(&station.id, mode == "on").await?;
            println!("Free vend is {} for station {}.", if station.free_vend { "on" } else { "off" }, station.id);
        }
        StationCommand::Password { id, password } => {
            let station = find_station(ctx, &id).await?;
            let set = password.is_some();
            let station = ctx.app.accounts().set_station_password(&actor(), station.id.as_str(), password).await?;
            println!("Password {} for station {}.", if set { "set" } else { "cleared" }, station.id);
        }
        StationCommand::List { operator, state, online, offline } => {
            let mut filter = StationFilter::default();
            if let Some(op) = operator {
                filter.operator_id = Some(find_operator(ctx, &op).await?.id);
            }
            if let Some(state) = state {
                filter.state = Some(StationState::parse(&state).map_err(|e| anyhow!("{e}"))?);
            }
            filter.online = if online {
                Some(true)
            } else if offline {
                Some(false)
            } else {
                None
            };
            let operations = ctx.app.operations();
            let operators = operations.operators(&actor()).await?;
            let mut table = Table::new(&["STATION", "OPERATOR", "STATE", "CONNECTION", "VENDOR/MODEL", "FIRMWARE"]);
            for st in operations.stations(&actor(), filter).await? {
                let op = operators.iter().find(|o| o.id == st.operator_id).map(|o| o.name.clone()).unwrap_or_default();
                let boot = st.boot.as_ref();
                table.row(vec![
                    st.id.to_string(),
                    op,
                    st.state.to_string(),
                    connection_text(&st),
                    boot.map(|b| format!("{} {}", b.vendor, b.model)).unwrap_or_else(|| "-".into()),
                    boot.and_then(|b| b.firmware_version.clone()).unwrap_or_else(|| "-".into()),
                ]);
            }
            print_table(table, "no stations match");
        }
        StationCommand::Show { id } => show_station(ctx, &id).await?,
        remote => unreachable!("remote commands are dispatched before the database is opened: {remote:?}"),
    }
    Ok(())
}

/// One line of a station import as CSV fields, trimmed (a password may hold a comma when quoted). A line is
/// a record: station ids, passwords and flags hold no line breaks, so the file is split into lines first and
/// a line number is exact (the `csv` crate's own line numbers are off after empty lines and with CRLF).
fn station_line(line: &str) -> Result<Vec<String>, csv::Error> {
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).trim(csv::Trim::All).from_reader(line.as_bytes());
    match reader.records().next() {
        Some(record) => Ok(record?.iter().map(str::to_owned).collect()),
        None => Ok(Vec::new()),
    }
}

async fn register(
    ctx: &Ctx,
    op: &Operator,
    id: &str,
    password: Option<String>,
    free_vend: bool,
    activate: bool,
) -> anyhow::Result<joule_core::station::Station> {
    let id = parse_station_id(id)?;
    let password_hash = match password {
        Some(p) => Some(hash_password(p).await?),
        None => None,
    };
    let new = NewStation {
        id: id.clone(),
        operator_id: op.id,
        state: if activate { StationState::Active } else { StationState::Pending },
        free_vend,
        password_hash,
        created_at: Utc::now(),
    };
    match ctx.store.register_station(new).await {
        Ok(st) => Ok(st),
        Err(StoreError::Conflict(_)) => bail!("station {id} exists already"),
        Err(e) => Err(e.into()),
    }
}

async fn hash_password(p: String) -> anyhow::Result<String> {
    if !password::STATION_PASSWORD_LEN.contains(&p.chars().count()) {
        // OCPP 2.0.1 BasicAuthPassword and the 1.6 Security Whitepaper's AuthorizationKey: 16 to 40.
        bail!(
            "the station password must be {} to {} characters",
            password::STATION_PASSWORD_LEN.start(),
            password::STATION_PASSWORD_LEN.end()
        );
    }
    Ok(password::hash_station_secret_async(p).await?)
}

fn connection_text(st: &joule_core::station::Station) -> String {
    if st.online {
        format!("online since {}", st.connected_at.map(fmt_time).unwrap_or_else(|| "?".into()))
    } else {
        match st.disconnected_at {
            Some(t) => format!("offline since {}", fmt_time(t)),
            None => "never connected".into(),
        }
    }
}

pub(crate) fn fmt_time(t: Timestamp) -> String {
    t.format("%Y-%m-%d %H:%M:%SZ").to_string()
}

async fn show_station(ctx: &Ctx, id: &str) -> anyhow::Result<()> {
    let store = ctx.store.as_ref();
    let st = find_station(ctx, id).await?;
    let operations = ctx.app.operations();
    let op = operations.operator(&actor(), st.operator_id).await?;
    println!("Station      {}", st.id);
    if let Some(op) = &op {
        println!("Operator     {} (id {})", op.name, op.id);
        println!("OCPP URL     {}{}", ctx.settings.ocpp_url(op.key.as_str()), st.id);
    }
    println!("State        {}", st.state);
    println!("Connection   {}", connection_text(&st));
    println!("Heartbeat    {}", st.last_heartbeat_at.map(fmt_time).unwrap_or_else(|| "-".into()));
    println!("Free vend    {}", if st.free_vend { "on" } else { "off" });
    println!("Password     {}", if st.password_hash.is_some() { "set (Basic auth required)" } else { "none" });
    match &st.boot {
        Some(b) => {
            println!("Last boot    {}", st.last_boot_at.map(fmt_time).unwrap_or_else(|| "-".into()));
            let fields = [
                ("Vendor", Some(&b.vendor)),
                ("Model", Some(&b.model)),
                ("Serial", b.serial_number.as_ref()),
                ("Box serial", b.charge_box_serial_number.as_ref()),
                ("Firmware", b.firmware_version.as_ref()),
                ("ICCID", b.iccid.as_ref()),
                ("IMSI", b.imsi.as_ref()),
                ("Meter type", b.meter_type.as_ref()),
                ("Meter serial", b.meter_serial_number.as_ref()),
            ];
            for (name, value) in fields {
                if let Some(v) = value {
                    println!("  {name:<11}{v}");
                }
            }
        }
        None => println!("Last boot    never booted"),
    }
    let detail = operations.station_detail(&actor(), st.id.as_str()).await?;
    let connectors = detail.connectors;
    if !connectors.is_empty() {
        println!("\nConnectors");
        let mut table = Table::new(&["#", "STATUS", "ERROR", "SINCE", "INFO"]);
        for c in connectors {
            table.row(vec![
                c.connector_id.to_string(),
                c.status.as_str().to_string(),
                c.error_code.clone(),
                fmt_time(c.status_at),
                c.info.clone().or(c.vendor_error_code.clone()).unwrap_or_default(),
            ]);
        }
        print!("{}", table.render());
    }
    let events = operations.station_events(&actor(), &st.id, 10).await?;
    if !events.is_empty() {
        println!("\nRecent events");
        let mut table = Table::new(&["AT", "EVENT", "DETAIL"]);
        for e in events {
            table.row(vec![fmt_time(e.at), e.kind, e.detail]);
        }
        print!("{}", table.render());
    }
    let filter = SessionFilter { station_id: Some(st.id.clone()), limit: Some(5), ..Default::default() };
    let sessions = store.list_sessions(&filter).await?;
    if !sessions.is_empty() {
        println!("\nRecent sessions");
        print!("{}", session_table(&sessions).render());
    }
    Ok(())
}

async fn token(ctx: &Ctx, cmd: TokenCommand) -> anyhow::Result<()> {
    let store = ctx.store.as_ref();
    match cmd {
        TokenCommand::Add { tag, operator, expires, blocked, parent } => {
            let op = find_operator(ctx, &operator).await?;
            let tag = IdTag::parse(&tag).map_err(|e| anyhow!("{e}"))?;
            let parent = parent.map(|p| IdTag::parse(&p)).transpose().map_err(|e| anyhow!("--parent: {e}"))?;
            let expires_at = expires.map(|e| parse_expiry(&e)).transpose()?;
            let token = IdToken { operator_id: op.id, tag: tag.clone(), parent, expires_at, blocked };
            match store.add_id_token(&token).await {
                Err(StoreError::Conflict(_)) => bail!("{} already has the id tag {tag}", op.name),
                other => other?,
            };
            println!(
                "Added id tag {tag} for {}{}{}.",
                op.name,
                expires_at.map(|t| format!(", valid until {}", fmt_time(t))).unwrap_or_default(),
                if blocked { ", blocked" } else { "" }
            );
        }
        TokenCommand::List { operator } => {
            let op = find_operator(ctx, &operator).await?;
            let mut table = Table::new(&["TAG", "PARENT", "EXPIRES", "BLOCKED"]);
            for t in store.list_id_tokens(op.id).await? {
                table.row(vec![
                    t.tag.to_string(),
                    t.parent.map(|p| p.to_string()).unwrap_or_else(|| "-".into()),
                    t.expires_at.map(fmt_time).unwrap_or_else(|| "never".into()),
                    if t.blocked { "yes".into() } else { "no".into() },
                ]);
            }
            print_table(table, "no id tokens: add one with `joule token add TAG --operator NAME`");
        }
        // --- drivers, groups, token import ---
        TokenCommand::Import { .. } => unreachable!("a remote command, handled before the store is opened"),
    }
    Ok(())
}

async fn session(ctx: &Ctx, cmd: SessionCommand) -> anyhow::Result<()> {
    let store = ctx.store.as_ref();
    match cmd {
        SessionCommand::List { station, since, active, limit } => {
            let filter = SessionFilter {
                station_id: station.map(|s| parse_station_id(&s)).transpose()?,
                since: since.map(|s| parse_since(&s, Utc::now())).transpose()?,
                active_only: active,
                limit: Some(limit),
                ..Default::default()
            };
            let sessions = store.list_sessions(&filter).await?;
            print_table(session_table(&sessions), "no sessions match");
        }
        SessionCommand::UnknownStops { station, limit } => {
            let station = station.map(|s| parse_station_id(&s)).transpose()?;
            let mut table =
                Table::new(&["RECEIVED", "STATION", "TRANSACTION", "TAG", "STOPPED", "METER STOP (Wh)", "REASON"]);
            for s in store.unknown_stops(station.as_ref(), limit).await? {
                table.row(vec![
                    fmt_time(s.received_at),
                    s.station_id.to_string(),
                    s.transaction_id.to_string(),
                    s.id_tag.map(|t| t.to_string()).unwrap_or_else(|| "-".into()),
                    fmt_time(s.stopped_at),
                    s.meter_stop_wh.to_string(),
                    s.reason.unwrap_or_else(|| "-".into()),
                ]);
            }
            print_table(table, "no stops for unknown transactions");
        }
        // --- tariffs and billing ---
        SessionCommand::Cost { .. } => unreachable!("a remote command, dispatched before the database is opened"),
    }
    Ok(())
}

async fn account(ctx: &Ctx, cmd: AccountCommand) -> anyhow::Result<()> {
    use joule_core::account::{AccountRole, Email, OwnerKind, check_password};
    let accounts = ctx.app.accounts();
    match cmd {
        AccountCommand::Create { email, name, role, operator, owner_kind, company_number, approve } => {
            let email = Email::parse(&email).map_err(|e| anyhow!("--email: {e}"))?;
            let role = AccountRole::parse(&role).map_err(|e| anyhow!("--role: {e}"))?;
            let operator_id = match (role.has_operator(), operator) {
                (true, Some(op)) => Some(find_operator(ctx, &op).await?.id),
                (true, None) => bail!("--operator is required for role {role}"),
                (false, Some(_)) => bail!("a platform admin belongs to no operator: leave out --operator"),
                (false, None) => None,
            };
            let owner_kind = match (role, owner_kind) {
                (AccountRole::Owner, Some(k)) => Some(OwnerKind::parse(&k)?),
                (AccountRole::Owner, None) => bail!("--owner-kind individual|company is required for an owner"),
                (_, Some(_)) => bail!("--owner-kind is for owners only"),
                _ => None,
            };
            if owner_kind == Some(OwnerKind::Company) && company_number.is_none() {
                bail!("--company-number is required for a company owner");
            }
            let name = name.trim().to_string();
            if name.is_empty() || name.chars().count() > 100 {
                bail!("--name must be 1 to 100 characters");
            }
            eprintln!("Password for {email} (at least 10 characters), then Enter:");
            let mut password = String::new();
            std::io::stdin().read_line(&mut password)?;
            let password = password.trim_end_matches(['\r', '\n']).to_string();
            check_password(&password, &email).map_err(|e| anyhow!("{e}"))?;
            let input = NewAccountInput {
                email: email.to_string(),
                name,
                role: role.as_str().to_string(),
                password,
                owner_kind: owner_kind.map(|k| k.as_str().to_string()),
                company_number,
            };
            let mut created = match accounts.create(&actor(), input, operator_id).await {
                Err(AppError::Store(StoreError::Conflict(_))) => bail!("there is already an account for {email}"),
                other => other?,
            };
            if approve && matches!(role, AccountRole::Owner | AccountRole::Installer) {
                created = accounts.approve(&actor(), created.id.0).await?;
            }
            if ctx.json {
                println!(
                    "{}",
                    serde_json::json!({ "id": created.id.0, "email": created.email.as_str(), "role": created.role.as_str(), "approved": created.approved_at.is_some() })
                );
            } else {
                println!("Created account {} ({}) with id {}.", created.email, created.role, created.id);
                println!("Log in with POST /api/v1/login {{\"email\": \"{}\", \"password\": …}}.", created.email);
            }
        }
        AccountCommand::List { operator, pending } => {
            let operator_id = match operator {
                Some(op) => Some(find_operator(ctx, &op).await?.id),
                None => None,
            };
            let filter = AccountFilter { operator_id, role: None, pending_approval: pending, limit: Some(1000) };
            let accounts = accounts.list(&actor(), filter).await?;
            if ctx.json {
                let rows: Vec<_> = accounts
                    .iter()
                    .map(|a| serde_json::json!({ "id": a.id.0, "email": a.email.as_str(), "name": a.name, "role": a.role.as_str(), "operator_id": a.operator_id.map(|o| o.0), "approved": a.approved_at.is_some(), "disabled": a.disabled_at.is_some() }))
                    .collect();
                println!("{}", serde_json::Value::Array(rows));
            } else {
                let mut table = Table::new(&["ID", "E-MAIL", "NAME", "ROLE", "OPERATOR", "APPROVED", "DISABLED"]);
                for a in &accounts {
                    table.row(vec![
                        a.id.to_string(),
                        a.email.to_string(),
                        a.name.clone(),
                        a.role.to_string(),
                        a.operator_id.map(|o| o.to_string()).unwrap_or("-".into()),
                        a.approved_at.map(|t| t.format("%Y-%m-%d").to_string()).unwrap_or("-".into()),
                        if a.disabled_at.is_some() { "yes" } else { "no" }.to_string(),
                    ]);
                }
                print_table(table, "no accounts");
            }
        }
        AccountCommand::Approve { email } => {
            let email = Email::parse(&email).map_err(|e| anyhow!("{e}"))?;
            let account =
                accounts.find_by_email(&actor(), &email).await?.ok_or_else(|| anyhow!("no account for {email}"))?;
            if !matches!(account.role, AccountRole::Owner | AccountRole::Installer) {
                bail!("only owners (confirmed) and installers (certified) are approved; {email} is {}", account.role);
            }
            let approved = accounts.approve(&actor(), account.id.0).await?;
            println!("{} ({}) approved.", approved.email, approved.role);
        }
    }
    Ok(())
}

async fn api_token(ctx: &Ctx, cmd: ApiTokenCommand) -> anyhow::Result<()> {
    let accounts = ctx.app.accounts();
    match cmd {
        ApiTokenCommand::Create { operator, role, name } => {
            let op = find_operator(ctx, &operator).await?;
            if Role::parse(&role).is_none() {
                bail!("--role must be admin, operator or viewer");
            }
            let name = name.trim();
            if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_control) {
                bail!("the token name must be 1 to 64 printable characters");
            }
            let (token, secret) = match accounts.create_api_token(&actor(), op.id, &role, name).await {
                Err(AppError::Store(StoreError::Conflict(_))) => {
                    bail!("{} already has an API token named {name:?}", op.name)
                }
                other => other?,
            };
            if ctx.json {
                let json = serde_json::json!({
                    "id": token.id,
                    "name": token.name,
                    "operator_id": token.operator_id.0,
                    "role": token.role.as_str(),
                    "secret": secret,
                });
                println!("{json}");
            } else {
                println!(
                    "Created API token {} (id {}) for {} with role {}.",
                    token.name, token.id, op.name, token.role
                );
                println!();
                println!("    {secret}");
                println!();
                println!("This secret is shown only now: Joule stores only its hash. Keep it somewhere safe.");
                println!("Use it with the remote commands:  export JOULE_TOKEN={secret}");
                println!("or with the API:  Authorization: Bearer {secret}");
            }
        }
        ApiTokenCommand::List { operator } => {
            let op = find_operator(ctx, &operator).await?;
            let tokens = accounts.api_tokens(&actor(), op.id).await?;
            if ctx.json {
                let list: Vec<_> = tokens
                    .iter()
                    .map(|t| {
                        serde_json::json!({
                            "id": t.id,
                            "name": t.name,
                            "operator_id": t.operator_id.0,
                            "role": t.role.as_str(),
                            "created_at": t.created_at,
                            "last_used_at": t.last_used_at,
                            "revoked_at": t.revoked_at,
                        })
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&list)?);
                return Ok(());
            }
            let mut table = Table::new(&["ID", "NAME", "ROLE", "CREATED", "LAST USED", "REVOKED"]);
            for t in tokens {
                table.row(vec![
                    t.id.to_string(),
                    t.name.clone(),
                    t.role.as_str().to_string(),
                    fmt_time(t.created_at),
                    t.last_used_at.map(fmt_time).unwrap_or_else(|| "never".into()),
                    t.revoked_at.map(fmt_time).unwrap_or_else(|| "-".into()),
                ]);
            }
            print_table(
                table,
                "no API tokens: create one with `joule api-token create --operator NAME --role admin --name NAME`",
            );
        }
        ApiTokenCommand::Revoke { operator, id } => {
            let op = find_operator(ctx, &operator).await?;
            let tokens = accounts.api_tokens(&actor(), op.id).await?;
            let Some(token) = tokens.iter().find(|t| t.id == id) else {
                bail!("{} has no API token {id} (see `joule api-token list --operator {}`)", op.name, op.id);
            };
            accounts.revoke_api_token(&actor(), op.id, id).await?;
            println!("Revoked API token {} (id {}) of {}.", token.name, token.id, op.name);
        }
    }
    Ok(())
}

fn session_table(sessions: &[joule_core::session::Session]) -> Table {
    let mut table = Table::new(&["ID", "STATION", "CONN", "TAG", "START", "STOP", "ENERGY (Wh)", "STATE"]);
    for s in sessions {
        table.row(vec![
            s.id.to_string(),
            s.station_id.to_string(),
            s.connector_id.to_string(),
            s.id_tag.to_string(),
            fmt_time(s.started_at),
            s.stopped_at.map(fmt_time).unwrap_or_else(|| "-".into()),
            s.energy_wh().map(|e| e.to_string()).unwrap_or_else(|| "-".into()),
            format!(
                "{}{}",
                s.state().as_str(),
                if s.authorization == joule_core::auth::AuthorizationStatus::Accepted {
                    String::new()
                } else {
                    format!(" ({})", s.authorization.as_str())
                }
            ),
        ]);
    }
    table
}

pub(crate) fn print_table(table: Table, empty: &str) {
    if table.is_empty() {
        println!("{empty}");
    } else {
        print!("{}", table.render());
    }
}

// --- remote commands: through a running server's REST API ---

pub(crate) fn station_path(id: &str) -> String {
    format!("/api/v1/stations/{}", client::segment(id))
}

pub(crate) fn print_json(value: &Value) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// An API time (RFC 3339) as the other commands print times; `-` for none.
pub(crate) fn api_time(v: &Value) -> String {
    match v.as_str() {
        Some(s) => {
            DateTime::parse_from_rfc3339(s).map(|t| fmt_time(t.with_timezone(&Utc))).unwrap_or_else(|_| s.to_string())
        }
        None => "-".into(),
    }
}

pub(crate) fn text(v: &Value) -> String {
    match v {
        Value::Null => "-".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A `--since`/`--until` as the API reads it: an RFC 3339 instant (ages such as 24h are resolved here).
fn api_instant(flag: &str, s: &str) -> anyhow::Result<String> {
    let t = parse_since(s, Utc::now()).map_err(|e| anyhow!("{}", e.to_string().replace("--since", flag)))?;
    Ok(t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// Prints a station's answer to a command (`CommandAnswer`).
fn print_answer(json: bool, answer: &Value) -> anyhow::Result<()> {
    if json {
        return print_json(answer);
    }
    let station = text(&answer["station_id"]);
    let action = text(&answer["action"]);
    let latency = answer["latency_ms"].as_u64().map(|ms| format!(" ({ms} ms)")).unwrap_or_default();
    let payload = &answer["answer"];
    match payload["status"].as_str() {
        Some(status) => println!("{station} answered {action}: {status}{latency}"),
        None => println!("{station} answered {action}{latency}"),
    }
    let only_status = payload.as_object().is_some_and(|o| o.keys().all(|k| k == "status"));
    if !only_status {
        println!("Answer: {payload}");
    }
    Ok(())
}

async fn remote_station(remote: &RemoteArgs, json: bool, cmd: StationCommand) -> anyhow::Result<()> {
    let client = Client::new(remote)?;
    match cmd {
        StationCommand::History { .. }
        | StationCommand::Verification { .. }
        | StationCommand::Verify { .. }
        | StationCommand::Installation { .. }
        | StationCommand::Lock { .. }
        | StationCommand::Pinpoint { .. }
        | StationCommand::Photo { .. }
        | StationCommand::TestSession { .. } => return onboarding::station(&client, json, cmd).await,
        // --- tariffs and billing ---
        StationCommand::Price { .. } => unreachable!("dispatched in run"),
        StationCommand::Reset { id, hard } => {
            let body = json!({ "type": if hard { "Hard" } else { "Soft" } });
            let answer = client.post(&format!("{}/reset", station_path(&id)), body).await?;
            print_answer(json, &answer)?;
        }
        StationCommand::Config(StationConfigCommand::Get { id, keys, cached }) => {
            let (configuration, unknown) = if cached {
                let v = client.get(&format!("{}/configuration", station_path(&id)), &[]).await?;
                if json {
                    return print_json(&v);
                }
                (v, Vec::new())
            } else {
                let v = client
                    .post(&format!("{}/configuration/refresh", station_path(&id)), json!({ "keys": keys }))
                    .await?;
                if json {
                    return print_json(&v);
                }
                let unknown: Vec<String> = v["unknown_keys"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|k| k.as_str().map(str::to_string))
                    .collect();
                (v["configuration"].clone(), unknown)
            };
            let mut table = Table::new(&["KEY", "VALUE", "READONLY", "READ AT"]);
            for k in configuration.as_array().into_iter().flatten() {
                let key = text(&k["key"]);
                if !keys.is_empty() && !keys.iter().any(|wanted| wanted.eq_ignore_ascii_case(&key)) {
                    continue;
                }
                table.row(vec![
                    key,
                    text(&k["value"]),
                    if k["readonly"].as_bool() == Some(true) { "yes".into() } else { "no".into() },
                    api_time(&k["read_at"]),
                ]);
            }
            if !table.is_empty() {
                print!("{}", table.render());
            } else if unknown.is_empty() {
                println!(
                    "no configuration keys{}",
                    if cached { " read yet: read them with `joule station config get ID`" } else { "" }
                );
            }
            if !unknown.is_empty() {
                println!("Unknown keys (the station does not know them): {}", unknown.join(", "));
            }
        }
        StationCommand::Config(StationConfigCommand::Set { id, key, value }) => {
            let path = format!("{}/configuration/{}", station_path(&id), client::segment(&key));
            let v = client.put(&path, json!({ "value": value })).await?;
            if json {
                return print_json(&v);
            }
            let status = text(&v["status"]);
            println!("{id}: ChangeConfiguration {key}={value}: {status}");
            match status.as_str() {
                "RebootRequired" => println!("The station applies it after a reboot: `joule station reset {id}`."),
                "Rejected" => println!("The station refused the value (a readonly key or a value it does not accept)."),
                "NotSupported" => println!("The station does not know the key {key}."),
                _ => {}
            }
        }
        StationCommand::Trigger { id, message, connector } => {
            let body = json!({ "message": message, "connector_id": connector });
            let answer = client.post(&format!("{}/trigger", station_path(&id)), body).await?;
            print_answer(json, &answer)?;
        }
        StationCommand::RemoteStart { id, tag, connector, wait } => {
            let body = json!({ "id_tag": tag, "connector_id": connector, "wait_for_start_secs": wait });
            let answer = client.post(&format!("{}/remote-start", station_path(&id)), body).await?;
            print_answer(json, &answer)?;
            if !json {
                match answer["transaction_id"].as_i64() {
                    Some(tx) => println!("Transaction {tx} started."),
                    None if answer["answer"]["status"] == "Accepted" => println!(
                        "No transaction has started yet; it will show in `joule station commands {id}` once it does."
                    ),
                    None => {}
                }
            }
        }
        StationCommand::RemoteStop { id, transaction } => {
            let body = json!({ "transaction_id": transaction });
            let answer = client.post(&format!("{}/remote-stop", station_path(&id)), body).await?;
            print_answer(json, &answer)?;
        }
        StationCommand::Unlock { id, connector } => {
            let body = json!({ "connector_id": connector });
            let answer = client.post(&format!("{}/unlock", station_path(&id)), body).await?;
            print_answer(json, &answer)?;
        }
        StationCommand::Availability { id, connector, availability } => {
            let kind = if availability == "operative" { "Operative" } else { "Inoperative" };
            let body = json!({ "connector_id": connector, "type": kind });
            let answer = client.post(&format!("{}/availability", station_path(&id)), body).await?;
            print_answer(json, &answer)?;
        }
        StationCommand::ClearCache { id } => {
            let answer = client.post(&format!("{}/clear-cache", station_path(&id)), json!({})).await?;
            print_answer(json, &answer)?;
        }
        StationCommand::Command { id, action, payload } => {
            let payload: Value = match payload {
                Some(p) => serde_json::from_str(&p).map_err(|e| anyhow!("PAYLOAD_JSON is not JSON: {e}"))?,
                None => json!({}),
            };
            let body = json!({ "action": action, "payload": payload });
            let answer = client.post(&format!("{}/commands", station_path(&id)), body).await?;
            print_answer(json, &answer)?;
        }
        StationCommand::Commands { id, limit } => {
            let v = client.get(&format!("{}/commands", station_path(&id)), &[("limit", limit.to_string())]).await?;
            if json {
                return print_json(&v);
            }
            let mut table = Table::new(&["ID", "ACTION", "REQUESTED BY", "AT", "OUTCOME", "LATENCY", "TRANSACTION"]);
            for c in v.as_array().into_iter().flatten() {
                let outcome = text(&c["outcome"]);
                let outcome = match (c["answer"]["status"].as_str(), c["error"].as_str()) {
                    (Some(status), _) => format!("{outcome}: {status}"),
                    (None, Some(error)) => format!("{outcome}: {error}"),
                    (None, None) => outcome,
                };
                table.row(vec![
                    text(&c["id"]),
                    text(&c["action"]),
                    text(&c["requested_by"]),
                    api_time(&c["requested_at"]),
                    outcome,
                    c["latency_ms"].as_i64().map(|ms| format!("{ms} ms")).unwrap_or_else(|| "-".into()),
                    text(&c["transaction_id"]),
                ]);
            }
            print_table(table, "no commands sent to this station yet");
        }
        StationCommand::Messages { id, since, until, action, limit } => {
            let mut query = vec![("limit", limit.to_string())];
            if let Some(s) = since {
                query.push(("since", api_instant("--since", &s)?));
            }
            if let Some(u) = until {
                query.push(("until", api_instant("--until", &u)?));
            }
            if let Some(a) = action {
                query.push(("action", a));
            }
            let v = client.get(&format!("{}/messages", station_path(&id)), &query).await?;
            if json {
                return print_json(&v);
            }
            let mut table = Table::new(&["AT", "DIR", "ACTION", "FRAME"]);
            for m in v.as_array().into_iter().flatten() {
                table.row(vec![api_time(&m["at"]), text(&m["direction"]), text(&m["action"]), text(&m["frame"])]);
            }
            print_table(table, "no messages logged (the message log is kept only when ocpp.message_log_days > 0)");
        }
        StationCommand::Defaults { id, apply } => {
            let v = if apply {
                client.post(&format!("{}/defaults/apply", station_path(&id)), json!({})).await?
            } else {
                client.get(&format!("{}/defaults", station_path(&id)), &[]).await?
            };
            if json {
                return print_json(&v);
            }
            let mut table = Table::new(&["KEY", "VALUE", "RESULT", "AT"]);
            for r in v.as_array().into_iter().flatten() {
                table.row(vec![text(&r["key"]), text(&r["value"]), text(&r["result"]), api_time(&r["at"])]);
            }
            print_table(
                table,
                "no default configuration applied (set it with `joule operator defaults set OPERATOR KEY=VALUE...`)",
            );
        }
        local => unreachable!("not a remote command: {local:?}"),
    }
    Ok(())
}

/// `joule events`: one line per live event until interrupted (or the server stops).
async fn events(remote: &RemoteArgs, json: bool, station: Option<String>) -> anyhow::Result<()> {
    let client = Client::new(remote)?;
    let query: Vec<(&str, String)> = station.into_iter().map(|s| ("station", s)).collect();
    let response = client.send(Method::GET, "/api/v1/events", &query, None).await?;
    eprintln!("Listening for events from {} (Ctrl-C to stop)", client.base());
    client::read_events(response, |name, data| {
        let mut value: Value = serde_json::from_str(data).unwrap_or_else(|_| Value::String(data.to_string()));
        if json {
            if let Value::Object(o) = &mut value {
                o.insert("event".into(), Value::String(name.to_string()));
            }
            println!("{value}");
            return Ok(());
        }
        let mut line = format!("{} {:<16} {}", api_time(&value["at"]), name, text(&value["station_id"]));
        if let Value::Object(o) = &value {
            for (k, v) in o {
                if k != "at" && k != "station_id" && !v.is_null() {
                    line.push_str(&format!(" {k}={}", text(v)));
                }
            }
        }
        println!("{line}");
        Ok(())
    })
    .await?;
    bail!("the server closed the event stream")
}

/// `--expires`: an RFC 3339 instant, or a date meaning "valid through that day" (UTC).
fn parse_expiry(s: &str) -> anyhow::Result<Timestamp> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        let next = d.succ_opt().ok_or_else(|| anyhow!("--expires {s}: date out of range"))?;
        return Ok(next.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc());
    }
    bail!("--expires {s:?}: use an RFC 3339 instant such as 2027-01-01T00:00:00Z or a date such as 2026-12-31")
}

/// `--since`: an RFC 3339 instant, a date (its start, UTC), or an age such as `90m`, `24h`, `7d`.
fn parse_since(s: &str, now: Timestamp) -> anyhow::Result<Timestamp> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc());
    }
    let (n, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: i64 = n.parse().map_err(|_| anyhow!("--since {s:?}: use an instant, a date or an age such as 24h"))?;
    let age = match unit {
        "m" => Duration::minutes(n),
        "h" => Duration::hours(n),
        "d" => Duration::days(n),
        _ => bail!("--since {s:?}: the age unit must be m, h or d"),
    };
    Ok(now - age)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_and_since() {
        assert_eq!(parse_expiry("2026-12-31").unwrap().to_rfc3339(), "2027-01-01T00:00:00+00:00");
        assert_eq!(parse_expiry("2026-06-01T10:00:00+02:00").unwrap().to_rfc3339(), "2026-06-01T08:00:00+00:00");
        assert!(parse_expiry("tomorrow").is_err());
        let now = DateTime::parse_from_rfc3339("2026-01-10T00:00:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(parse_since("24h", now).unwrap().to_rfc3339(), "2026-01-09T00:00:00+00:00");
        assert_eq!(parse_since("7d", now).unwrap().to_rfc3339(), "2026-01-03T00:00:00+00:00");
        assert_eq!(parse_since("2026-01-05", now).unwrap().to_rfc3339(), "2026-01-05T00:00:00+00:00");
        assert!(parse_since("5y", now).is_err());
        assert!(parse_since("abc", now).is_err());
    }

    #[test]
    fn station_import_lines_are_csv() {
        let line = |l: &str| station_line(l).unwrap();
        assert_eq!(line(" CP-1 , pw ,true"), ["CP-1", "pw", "true"]);
        assert_eq!(
            line("\"CP-2\",\"a long password, with a comma\",no"),
            ["CP-2", "a long password, with a comma", "no"]
        );
        assert_eq!(line("CP-3,,"), ["CP-3", "", ""]);
        assert!(line("").is_empty());
    }
}
