//! The command line: `joule serve` and the administration commands.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "joule",
    version,
    about = "Joule, an open-source charging station management system (OCPP 1.6J)",
    long_about = "Joule, an open-source charging station management system (OCPP 1.6J).\n\n\
        Start the server with `joule serve`; stations connect to ws://HOST:8180/ocpp/{operator-key}/{station-id}.\n\
        The administration commands work on the same database as the server (SQLite in ./joule-data by default),\n\
        whether or not the server is running. The remote commands (station reset, config, trigger, remote-start, ...,\n\
        events) go through a running server's REST API instead: set JOULE_URL and JOULE_TOKEN (see `joule api-token`)."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Default)]
pub struct GlobalArgs {
    /// TOML configuration file (default: ./joule.toml if it exists). See `joule config example`.
    #[arg(long, global = true, env = "JOULE_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Directory of the embedded SQLite database [default: ./joule-data]
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Database to use instead of SQLite in the data directory: postgres://USER@HOST/DB or sqlite://PATH
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// Address to listen on [default: 0.0.0.0:8180]
    #[arg(long, global = true, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// Print JSON instead of text (the API's JSON, for commands that go through the API)
    #[arg(long, global = true)]
    pub json: bool,
    #[command(flatten)]
    pub remote: RemoteArgs,
}

/// Where the remote commands (`joule station reset` ...) find the server's REST API.
#[derive(Args, Debug, Default)]
pub struct RemoteArgs {
    /// Remote commands: the running server's base URL (plain http) [default: http://127.0.0.1:8180]
    #[arg(long, global = true, env = "JOULE_URL", value_name = "URL")]
    pub url: Option<String>,
    /// Remote commands: an API token (see `joule api-token create`)
    #[arg(long, global = true, env = "JOULE_TOKEN", hide_env_values = true, value_name = "TOKEN")]
    pub token: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the server: OCPP WebSocket endpoint at /ocpp/{operator-key}/{station-id}
    Serve,
    /// Configuration files
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Operators (charge point operators): the tenants stations belong to
    #[command(subcommand)]
    Operator(OperatorCommand),
    /// Charging stations
    #[command(subcommand)]
    Station(StationCommand),
    /// Id tokens (RFID cards and other idTags) that may charge
    #[command(subcommand)]
    Token(TokenCommand),
    /// Charging sessions (OCPP transactions)
    #[command(subcommand)]
    Session(SessionCommand),
    /// REST API tokens: bearer tokens for the API and the remote commands (`joule station reset` ...)
    #[command(subcommand)]
    ApiToken(ApiTokenCommand),
    /// People's accounts (platform admins, operator staff, owners, installers, drivers)
    #[command(subcommand)]
    Account(AccountCommand),
    /// Remote: activation requests (the operator's queue): list, show, review, approve, reject
    #[command(subcommand)]
    Activation(ActivationCommand),
    /// Remote: the operator's model catalog (installers pick from it; minimum firmware per model)
    #[command(subcommand)]
    Model(ModelCommand),
    /// Remote: activation passwords and printable stickers for stations
    #[command(subcommand)]
    Sticker(StickerCommand),
    /// Remote: log in as a person; prints a session token for JOULE_TOKEN (the password is read from stdin)
    ///
    /// For the commands people run as themselves: an owner's activation request, an installer's claim,
    /// pinpointing and photo, staff's queue work.
    Login {
        #[arg(long)]
        email: String,
    },
    /// Remote, as an installer: claim a station with the MAC address and activation password on its sticker
    Claim { mac: String, code: String },
    /// Remote: print live station events (connected, booted, status, sessions, meter values) until interrupted
    Events {
        /// Only this station's events
        #[arg(long)]
        station: Option<String>,
    },
    // --- handover ---
    /// Remote: the backends (other central systems) stations may be handed over to
    #[command(subcommand)]
    Backend(crate::handover::BackendCommand),
    /// Remote: how each vendor's stations are given a new central-system URL when handed over
    #[command(subcommand)]
    ProvisioningProfile(crate::handover::ProfileCommand),
    // --- tariffs and billing ---
    /// Remote: tariffs (versioned, OCPI-shaped) and what they are assigned to
    #[command(subcommand)]
    Tariff(crate::billing::TariffCommand),
    /// Remote: the operator's billing settings (currency, VAT, rounding, free-session thresholds)
    #[command(subcommand)]
    Billing(crate::billing::BillingCommand),
    /// Remote: session reports (CSV or JSON)
    #[command(subcommand)]
    Report(crate::billing::ReportCommand),
    /// Remote: a month's totals per driver or per group
    Statement {
        /// YYYY-MM
        #[arg(long)]
        month: String,
        #[arg(long, default_value = "driver", value_parser = ["driver", "group"])]
        by: String,
    },
    // --- 15-minute intervals and live power ---
    /// Remote: 15-minute interval energy exports of the operator's stations
    #[command(subcommand)]
    Intervals(crate::intervals::IntervalsCommand),
    // --- access rules ---
    /// Remote: explain who may charge where and when (`joule access check STATION TAG`)
    #[command(subcommand)]
    Access(crate::access::AccessCommand),
    // --- drivers, groups, token import ---
    /// Remote: drivers (people holding id tokens): list, add, show, update, remove, link/unlink tokens
    #[command(subcommand)]
    Driver(crate::drivers::DriverCommand),
    /// Remote: groups of drivers (e.g. employees, residents) that access rules and tariffs name
    #[command(subcommand)]
    Group(crate::drivers::GroupCommand),
}

#[derive(Subcommand, Debug)]
pub enum ActivationCommand {
    /// As an owner: ask for activation with the form in FILE (JSON, as POST /api/v1/activation-requests)
    Request { file: PathBuf },
    /// The queue (oldest first)
    List {
        /// Only requests in this state: requested, in-review, activated, rejected
        #[arg(long)]
        state: Option<String>,
        /// Only requests waiting longer than the service level
        #[arg(long)]
        overdue: bool,
    },
    /// One request with its form
    Show { id: i64 },
    /// Take a request into review
    Review { id: i64 },
    /// Approve: the stations are activated and the owner is told
    Approve { id: i64 },
    /// Reject with a reason the owner can act on
    Reject {
        id: i64,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum ModelCommand {
    /// The catalog
    List,
    /// Add a model, or change its minimum firmware
    Set {
        vendor: String,
        model: String,
        /// The oldest firmware accepted for this model (none: any)
        #[arg(long)]
        min_firmware: Option<String>,
    },
    /// Remove a model
    Remove { vendor: String, model: String },
}

#[derive(Subcommand, Debug)]
pub enum StickerCommand {
    /// A new activation password for one station; prints it and the claim URL (shown once)
    Create {
        station: String,
        /// The station's MAC address, e.g. AA:BB:CC:DD:EE:FF
        mac: String,
        /// Also write the sticker (70 x 40 mm) as SVG to this file
        #[arg(long, value_name = "FILE")]
        svg: Option<PathBuf>,
    },
    /// Activation passwords for a batch of stations, as printable A4 sticker sheets (HTML)
    Sheet {
        /// STATION=MAC pairs, e.g. CP-1=AA:BB:CC:DD:EE:01
        #[arg(required = true)]
        stations: Vec<String>,
        /// Where to write the HTML page
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum AccountCommand {
    /// Create an account; the password is read from standard input (one line), never from the command line
    Create {
        /// E-mail address: the login name
        #[arg(long)]
        email: String,
        /// The person's (or company's) name
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = ["platform-admin", "operator-staff", "owner", "installer", "driver"])]
        role: String,
        /// Operator name or id (every role but platform-admin belongs to one)
        #[arg(long)]
        operator: Option<String>,
        /// Owners: individual or company
        #[arg(long, value_parser = ["individual", "company"])]
        owner_kind: Option<String>,
        /// Company owners: the company registration number
        #[arg(long)]
        company_number: Option<String>,
        /// Confirm (owner) or certify (installer) at once
        #[arg(long)]
        approve: bool,
    },
    /// List accounts
    List {
        /// Only this operator's (name or id)
        #[arg(long)]
        operator: Option<String>,
        /// Only owners and installers waiting for approval
        #[arg(long)]
        pending: bool,
    },
    /// Confirm an owner or certify an installer
    Approve {
        /// The account's e-mail address
        email: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum ApiTokenCommand {
    /// Create an API token and print its secret (shown once, never stored)
    Create {
        /// Operator name or id: the token acts for this operator only
        #[arg(long)]
        operator: String,
        /// What the token may do: viewer reads; operator also sends commands and manages id tokens;
        /// admin also manages API tokens and default configuration
        #[arg(long, value_parser = ["admin", "operator", "viewer"])]
        role: String,
        /// A name to tell the token apart (unique per operator; shown in the command history)
        #[arg(long)]
        name: String,
    },
    /// List an operator's API tokens (never their secrets)
    List {
        /// Operator name or id
        #[arg(long)]
        operator: String,
    },
    /// Revoke an API token: it authenticates nothing from now on
    Revoke {
        /// Operator name or id
        #[arg(long)]
        operator: String,
        /// The token's id (see `joule api-token list`)
        id: i64,
    },
}

#[derive(Subcommand, Debug)]
pub enum ConfigCommand {
    /// Print a commented example configuration file with every setting and its default
    Example,
    /// Print the configuration in effect (defaults, file, environment and flags combined)
    Show,
}

#[derive(Subcommand, Debug)]
pub enum OperatorCommand {
    /// Create an operator and print the OCPP URL its stations use
    Create {
        /// The operator's name, e.g. "Acme Charging"
        name: String,
    },
    /// List operators and their OCPP URLs
    List,
    /// The configuration keys applied to each of the operator's stations when it is activated
    #[command(subcommand)]
    Defaults(DefaultsCommand),
    // --- operator settings ---
    /// The operator's service level (working days) and offline threshold (minutes without traffic)
    #[command(subcommand)]
    Settings(SettingsCommand),
}

// --- operator settings ---
#[derive(Subcommand, Debug)]
pub enum SettingsCommand {
    /// Print the operator's settings
    Show {
        /// Operator name or id
        operator: String,
    },
    /// Change the operator's settings; a setting left out keeps its value
    Set {
        /// Operator name or id
        operator: String,
        /// Working days (Monday to Friday) an activation request may wait before it is flagged overdue, 1 to 30
        #[arg(long)]
        service_level_days: Option<u32>,
        /// Minutes without traffic after which an activated station is out of service, 1 to 10080
        #[arg(long)]
        offline_after_minutes: Option<u32>,
    },
}

#[derive(Subcommand, Debug)]
pub enum DefaultsCommand {
    /// Replace the operator's default configuration with these keys, applied in this order
    Set {
        /// Operator name or id
        operator: String,
        /// OCPP configuration keys and values, e.g. HeartbeatInterval=300 MeterValueSampleInterval=60
        #[arg(value_name = "KEY=VALUE", required = true)]
        pairs: Vec<String>,
    },
    /// Remove the operator's default configuration
    Clear {
        /// Operator name or id
        operator: String,
    },
    /// Print the operator's default configuration
    Show {
        /// Operator name or id
        operator: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum StationCommand {
    /// Register a station before it first connects
    Register {
        /// Station id: the last segment of the station's URL (letters, digits, * - _ = + | @ .; at most 48)
        id: String,
        /// Operator name or id
        #[arg(long)]
        operator: String,
        /// Password for HTTP Basic authentication (OCPP security profile 1; the user is the station id).
        /// Stored as an argon2 hash.
        #[arg(long)]
        password: Option<String>,
        /// Activate the station at once
        #[arg(long)]
        activate: bool,
        /// Accept any idTag at this station (free vend)
        #[arg(long)]
        free_vend: bool,
    },
    /// Register many stations from a CSV file: station_id[,password[,free_vend]] per line, optional header
    Import {
        /// CSV file
        file: PathBuf,
        /// Operator name or id
        #[arg(long)]
        operator: String,
        /// Activate every imported station
        #[arg(long)]
        activate: bool,
    },
    /// Activate a station: its boots are accepted from now on (a connected station is asked to boot at once)
    Activate { id: String },
    /// Switch free vend (accept any idTag) on or off for a station
    FreeVend {
        id: String,
        #[arg(value_parser = ["on", "off"])]
        mode: String,
    },
    /// Set or clear a station's Basic-auth password
    Password {
        id: String,
        /// The new password; omit to clear it
        password: Option<String>,
    },
    /// List stations with their state and whether they are online
    List {
        /// Only this operator's stations (name or id)
        #[arg(long)]
        operator: Option<String>,
        /// Only stations in this state (pending, active, ...)
        #[arg(long)]
        state: Option<String>,
        /// Only stations that are online
        #[arg(long, conflicts_with = "offline")]
        online: bool,
        /// Only stations that are offline
        #[arg(long)]
        offline: bool,
    },
    /// Show a station: state, connection, boot data, connectors, recent events and sessions
    Show { id: String },
    /// Remote: reset a station (OCPP Reset; soft unless --hard)
    Reset {
        id: String,
        /// Hard reset: restart at once, without stopping sessions first
        #[arg(long)]
        hard: bool,
    },
    /// Remote: read or change a station's configuration keys
    #[command(subcommand)]
    Config(StationConfigCommand),
    /// Remote: ask a station to send a message now (OCPP TriggerMessage)
    Trigger {
        id: String,
        /// BootNotification, DiagnosticsStatusNotification, FirmwareStatusNotification, Heartbeat, MeterValues
        /// or StatusNotification
        message: String,
        #[arg(long)]
        connector: Option<i64>,
    },
    /// Remote: start a charging session (OCPP RemoteStartTransaction) and print its transaction id
    RemoteStart {
        id: String,
        /// The idTag the session is for
        #[arg(long)]
        tag: String,
        /// Connector (> 0); the station chooses when absent
        #[arg(long)]
        connector: Option<i64>,
        /// Seconds to wait for the station to start the session (0 to 120) [server default: 30]
        #[arg(long, value_name = "SECS")]
        wait: Option<u64>,
    },
    /// Remote: stop a charging session (OCPP RemoteStopTransaction)
    RemoteStop {
        id: String,
        /// The transaction id (see `joule session list`)
        #[arg(long)]
        transaction: i64,
    },
    /// Remote: unlock a connector (OCPP UnlockConnector)
    Unlock {
        id: String,
        #[arg(long)]
        connector: i64,
    },
    /// Remote: make a connector, or the whole station (connector 0), operative or inoperative
    Availability {
        id: String,
        /// Connector; 0 (default) is the whole station
        #[arg(long, default_value_t = 0)]
        connector: i64,
        #[arg(value_parser = ["operative", "inoperative"])]
        availability: String,
    },
    /// Remote: empty a station's authorization cache (OCPP ClearCache)
    ClearCache { id: String },
    /// Remote: send any OCPP 1.6 command, e.g. `joule station command CP-1 GetLocalListVersion`
    Command {
        id: String,
        /// The OCPP action, e.g. Reset, ChangeConfiguration, DataTransfer
        action: String,
        /// The CALL payload as JSON (OCPP's camelCase), e.g. '{"type":"Hard"}' [default: {}]
        payload: Option<String>,
    },
    /// Remote: the station's command history, newest first
    Commands {
        id: String,
        /// At most this many (at most 1000)
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Remote: the OCPP message log (every frame in and out; needs `ocpp.message_log_days` > 0)
    Messages {
        id: String,
        /// Frames since: an RFC 3339 instant, a date (UTC), or an age such as 90m, 24h or 7d
        #[arg(long)]
        since: Option<String>,
        /// Frames before: an RFC 3339 instant, a date (UTC), or an age
        #[arg(long)]
        until: Option<String>,
        /// Only frames of this action
        #[arg(long)]
        action: Option<String>,
        /// At most this many (at most 5000)
        #[arg(long, default_value_t = 200)]
        limit: u32,
    },
    /// Remote: what applying the operator's default configuration gave; --apply applies it now
    Defaults {
        id: String,
        /// Apply the defaults to the station now
        #[arg(long)]
        apply: bool,
    },
    /// Remote: the station's history: registration, requests, approvals, claims, pinpointing, configuration
    /// changes, verification, handover (oldest first)
    History {
        id: String,
        /// The most recent this many (at most 1000)
        #[arg(long, default_value_t = 200)]
        limit: u32,
    },
    /// Remote: the verification checklist, every item green or red with its evidence
    Verification { id: String },
    /// Remote: mark the station verified (only when every checklist item is green)
    Verify { id: String },
    /// Remote: the installer's claim and pinpointing (location, model, serial number, address, photo)
    Installation { id: String },
    /// Remote: mark the station's configuration complete: its serial number is locked
    Lock { id: String },
    /// Remote: pinpoint the station with the JSON in FILE (as PUT /api/v1/stations/{id}/installation: gps,
    /// vendor, model, serial_number, address, time_zone, parking_spot, directions)
    Pinpoint { id: String, file: PathBuf },
    /// Remote: the station's photo (a landscape JPEG or PNG, at most 5 MiB)
    Photo { id: String, file: PathBuf },
    /// Remote: start a test charging session (a one-time id tag, RemoteStartTransaction)
    TestSession {
        id: String,
        #[arg(long)]
        connector: Option<u32>,
    },
    // --- handover ---
    #[command(flatten)]
    Handover(crate::handover::StationHandoverCommand),
    // --- tariffs and billing ---
    /// Remote: the price that applies to a session started now (tariffs in plain words, with VAT)
    Price {
        id: String,
        #[arg(long)]
        connector: Option<u32>,
        /// The driver's token (its groups' tariffs apply)
        #[arg(long)]
        id_tag: Option<String>,
    },
    // --- 15-minute intervals and live power ---
    #[command(flatten)]
    Intervals(crate::intervals::StationIntervalsCommand),
    // --- access rules ---
    /// Remote: the station's access rules: mode, lists, authorization, available times (show | set)
    #[command(subcommand)]
    Access(crate::access::StationAccessCommand),
    // --- local authorization list sync ---
    /// Remote: the station's local authorization list: supported, versions, entries, last sync; --sync syncs now
    LocalList {
        id: String,
        /// Bring the list in step now (operator role): asks the version if unknown, sends what is needed
        #[arg(long)]
        sync: bool,
        /// With --sync: forget an earlier NotSupported and ask the station's configuration and version again
        #[arg(long, requires = "sync")]
        retry: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum StationConfigCommand {
    /// Read configuration keys from the station (all, or these); --cached shows what was last read
    Get {
        id: String,
        /// Only these keys
        keys: Vec<String>,
        /// Don't ask the station: show the values Joule last read
        #[arg(long)]
        cached: bool,
    },
    /// Change a configuration key on the station (OCPP ChangeConfiguration)
    Set { id: String, key: String, value: String },
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Add an id token for an operator
    Add {
        /// The idTag, as the station reports it (at most 20 characters)
        tag: String,
        /// Operator name or id
        #[arg(long)]
        operator: String,
        /// Expiry: an RFC 3339 instant (2027-01-01T00:00:00Z) or a date (2026-12-31 = valid through that day, UTC)
        #[arg(long)]
        expires: Option<String>,
        /// Add the token blocked
        #[arg(long)]
        blocked: bool,
        /// Parent idTag (group): tokens with the same parent may stop each other's sessions
        #[arg(long)]
        parent: Option<String>,
    },
    /// List an operator's id tokens
    List {
        /// Operator name or id
        #[arg(long)]
        operator: String,
    },
    // --- drivers, groups, token import ---
    /// Remote: import id tokens from a CSV file and print the report of every line
    ///
    /// Header line required; columns: id_tag (required), driver_name, driver_email, groups (names separated
    /// by `;`, created when missing), expires_at (RFC 3339 or empty), blocked (true/false/empty), parent.
    /// Valid lines are imported, rejected ones listed with line number, column and reason. Importing the
    /// same file again changes nothing. Exit code 1 when any line was rejected (or the file was refused).
    Import {
        /// The CSV file (UTF-8, at most 5 MiB and 50,000 lines)
        file: std::path::PathBuf,
        /// Validate and report, write nothing
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum SessionCommand {
    /// List sessions, newest first
    List {
        /// Only this station's sessions
        #[arg(long)]
        station: Option<String>,
        /// Only sessions started since: an RFC 3339 instant, a date (UTC), or an age such as 24h or 7d
        #[arg(long)]
        since: Option<String>,
        /// Only sessions still active
        #[arg(long)]
        active: bool,
        /// At most this many
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    /// Stops received for transactions Joule does not know (acknowledged and kept for review)
    UnknownStops {
        #[arg(long)]
        station: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    // --- tariffs and billing ---
    /// Remote: a session's itemised cost
    Cost {
        id: i64,
        /// Price it again (by the tariff version in force at its start) and replace the stored cost
        #[arg(long)]
        recompute: bool,
    },
}

impl StationCommand {
    /// Whether the command goes through a running server's REST API rather than the database.
    pub fn is_remote(&self) -> bool {
        !matches!(
            self,
            StationCommand::Register { .. }
                | StationCommand::Import { .. }
                | StationCommand::Activate { .. }
                | StationCommand::FreeVend { .. }
                | StationCommand::Password { .. }
                | StationCommand::List { .. }
                | StationCommand::Show { .. }
        )
    }
}
