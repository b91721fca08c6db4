//! The command line, run as a user runs it: the real binary on a fresh data directory.

use std::path::PathBuf;
use std::process::{Command, Output};

struct Cli {
    dir: PathBuf,
}

impl Cli {
    fn new(name: &str) -> Cli {
        let dir = std::env::temp_dir().join(format!("joule-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Cli { dir }
    }

    /// The binary on this data directory, ready to run.
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_joule"));
        command
            .arg("--data-dir")
            .arg(&self.dir)
            .args(args)
            .env("JOULE_LOG", "warn")
            .env_remove("JOULE_DATABASE_URL")
            .current_dir(&self.dir);
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "joule {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(!out.status.success(), "joule {args:?} should fail");
        String::from_utf8(out.stderr).unwrap()
    }
}

impl Drop for Cli {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn help_explains_every_command() {
    let cli = Cli::new("help");
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["operator", "create", "--help"],
        vec!["station", "register", "--help"],
        vec!["station", "import", "--help"],
        vec!["token", "add", "--help"],
        vec!["session", "list", "--help"],
        vec!["api-token", "create", "--help"],
        vec!["operator", "defaults", "set", "--help"],
        vec!["station", "reset", "--help"],
        vec!["station", "config", "get", "--help"],
        vec!["station", "remote-start", "--help"],
        vec!["events", "--help"],
    ] {
        let out = cli.ok(&args);
        assert!(out.contains("Usage:"), "{args:?}: {out}");
    }
    let example = cli.ok(&["config", "example"]);
    assert!(example.contains("# listen = \"0.0.0.0:8180\""));
    let shown = cli.ok(&["config", "show"]);
    assert!(shown.contains("listen = \"0.0.0.0:8180\"") && shown.contains("# database_url is not set"), "{shown}");
}

#[test]
fn operators_stations_tokens_and_sessions() {
    let cli = Cli::new("flow");
    let created = cli.ok(&["operator", "create", "Acme Charging"]);
    assert!(created.contains("OCPP URL: ws://localhost:8180/ocpp/"), "{created}");
    assert!(cli.fails(&["operator", "create", "Acme Charging"]).contains("exists already"));
    let listed = cli.ok(&["operator", "list"]);
    assert!(listed.contains("Acme Charging") && listed.contains("/ocpp/"), "{listed}");

    // By name or by id.
    cli.ok(&["station", "register", "CP-1", "--operator", "Acme Charging", "--password", "long-enough-password"]);
    cli.ok(&["station", "register", "CP-2", "--operator", "1", "--activate"]);
    assert!(cli.fails(&["station", "register", "CP-1", "--operator", "1"]).contains("exists already"));
    assert!(cli.fails(&["station", "register", "bad:id", "--operator", "1"]).contains("invalid station id"));
    assert!(cli.fails(&["station", "register", "CP-9", "--operator", "Nobody"]).contains("no operator"));
    assert!(
        cli.fails(&["station", "register", "CP-9", "--operator", "1", "--password", "too-short-pw"])
            .contains("16 to 40")
    );

    let csv = cli.dir.join("stations.csv");
    std::fs::write(
        &csv,
        "station_id,password,free_vend\nCP-10,,\nCP-11,another-password,true\nbad id,,\nCP-1,,\nCP-12,,maybe\n\n",
    )
    .unwrap();
    let out = cli.run(&["station", "import", csv.to_str().unwrap(), "--operator", "Acme Charging", "--activate"]);
    assert!(!out.status.success(), "rejected lines make the import fail");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("Imported 2 station(s)"), "{stdout}");
    assert!(
        stderr.contains("line 4: rejected")
            && stderr.contains("line 5: rejected")
            && stderr.contains("line 6: rejected"),
        "{stderr}"
    );

    let list = cli.ok(&["station", "list"]);
    for id in ["CP-1", "CP-2", "CP-10", "CP-11"] {
        assert!(list.contains(id), "{list}");
    }
    let active = cli.ok(&["station", "list", "--state", "active"]);
    assert!(active.contains("CP-11") && !active.contains("CP-1 "), "{active}");
    let show = cli.ok(&["station", "show", "CP-11"]);
    assert!(show.contains("Free vend    on") && show.contains("Password     set"), "{show}");
    assert!(show.contains("never connected"), "{show}");

    let activated = cli.ok(&["station", "activate", "CP-1"]);
    assert!(activated.contains("CP-1 is active"), "{activated}");

    cli.ok(&[
        "token",
        "add",
        "04A2B3C4",
        "--operator",
        "Acme Charging",
        "--expires",
        "2030-12-31",
        "--parent",
        "FLEET",
    ]);
    assert!(cli.fails(&["token", "add", "04A2B3C4", "--operator", "1"]).contains("already has"));
    assert!(cli.fails(&["token", "add", "X", "--operator", "1", "--expires", "soon"]).contains("--expires"));
    let tokens = cli.ok(&["token", "list", "--operator", "1"]);
    assert!(
        tokens.contains("04A2B3C4") && tokens.contains("2031-01-01 00:00:00Z") && tokens.contains("FLEET"),
        "{tokens}"
    );

    assert!(cli.ok(&["session", "list", "--since", "7d"]).contains("no sessions"));
    assert!(cli.fails(&["session", "list", "--since", "later"]).contains("--since"));
    assert!(cli.ok(&["session", "unknown-stops"]).contains("no stops"));
}

#[test]
fn configuration_layers_and_precise_errors() {
    let cli = Cli::new("config");
    std::fs::write(cli.dir.join("joule.toml"), "listen = \"127.0.0.1:9999\"\n[ocpp]\nping_interval_secs = 15\n")
        .unwrap();
    let shown = cli.ok(&["config", "show"]);
    assert!(shown.contains("listen = \"127.0.0.1:9999\"") && shown.contains("ping_interval_secs = 15"), "{shown}");
    let out = Command::new(env!("CARGO_BIN_EXE_joule"))
        .args(["config", "show"])
        .env("JOULE_OCPP__PING_INTERVAL_SECS", "7")
        .env("JOULE_LOG", "warn")
        .current_dir(&cli.dir)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("ping_interval_secs = 7"));
    // Other tools' JOULE_* variables are not settings; a misspelt [ocpp] setting is refused by name.
    let with_env = |k: &str, v: &str| {
        Command::new(env!("CARGO_BIN_EXE_joule"))
            .args(["config", "show"])
            .env(k, v)
            .env("JOULE_LOG", "warn")
            .current_dir(&cli.dir)
            .output()
            .unwrap()
    };
    assert!(with_env("JOULE_SIM_URL", "ws://x").status.success());
    let typo = with_env("JOULE_OCPP__PING_INTERVAL", "7");
    assert!(!typo.status.success());
    assert!(String::from_utf8_lossy(&typo.stderr).contains("ping_interval"), "names the setting");
    std::fs::write(cli.dir.join("joule.toml"), "listne = 1\n").unwrap();
    let err = cli.fails(&["config", "show"]);
    assert!(err.contains("listne"), "names the unknown setting: {err}");
    assert!(cli.fails(&["--config", "/nonexistent.toml", "config", "show"]).contains("does not exist"));
    std::fs::remove_file(cli.dir.join("joule.toml")).unwrap();
    assert!(cli.fails(&["--database-url", "mysql://x", "operator", "list"]).contains("unsupported database_url"));
}

#[test]
fn api_tokens_are_shown_once_listed_and_revoked() {
    let cli = Cli::new("api-tokens");
    cli.ok(&["operator", "create", "Acme Charging"]);
    let created = cli.ok(&["api-token", "create", "--operator", "Acme Charging", "--role", "admin", "--name", "ci"]);
    assert!(created.contains("export JOULE_TOKEN=joule_") && created.contains("shown only now"), "{created}");
    let json = cli.ok(&["api-token", "create", "--operator", "1", "--role", "viewer", "--name", "dash", "--json"]);
    let json: serde_json::Value = serde_json::from_str(json.trim()).expect("one JSON object on stdout");
    assert_eq!(json["name"], "dash");
    assert_eq!(json["role"], "viewer");
    assert_eq!(json["operator_id"], 1);
    let id = json["id"].as_i64().unwrap();
    assert!(json["secret"].as_str().unwrap().starts_with("joule_"));
    assert!(
        cli.fails(&["api-token", "create", "--operator", "1", "--role", "viewer", "--name", "dash"])
            .contains("already")
    );
    assert_eq!(
        cli.run(&["api-token", "create", "--operator", "1", "--role", "root", "--name", "x"]).status.code(),
        Some(2)
    );

    let list = cli.ok(&["api-token", "list", "--operator", "1"]);
    assert!(list.contains("ci") && list.contains("dash") && list.contains("never"), "{list}");
    assert!(!list.contains("joule_"), "secrets are never listed: {list}");
    let revoked = cli.ok(&["api-token", "revoke", "--operator", "1", &id.to_string()]);
    assert!(revoked.contains("Revoked API token dash"), "{revoked}");
    assert!(cli.fails(&["api-token", "revoke", "--operator", "1", "99"]).contains("no API token 99"));
    let list = cli.ok(&["api-token", "list", "--operator", "1"]);
    let dash = list.lines().find(|l| l.contains("dash")).unwrap();
    assert!(dash.trim_end().ends_with('Z'), "revocation time shown: {list}");
}

#[test]
fn operator_defaults_are_set_shown_and_cleared() {
    let cli = Cli::new("defaults");
    cli.ok(&["operator", "create", "Acme"]);
    assert!(cli.ok(&["operator", "defaults", "show", "Acme"]).contains("Acme has no default configuration"));
    let set = cli.ok(&["operator", "defaults", "set", "Acme", "HeartbeatInterval=300", "MeterValueSampleInterval=60"]);
    assert!(set.contains("HeartbeatInterval") && set.contains("joule station defaults"), "{set}");
    let shown = cli.ok(&["operator", "defaults", "show", "1"]);
    let lines: Vec<&str> = shown.lines().collect();
    assert!(lines[2].starts_with("HeartbeatInterval") && lines[2].ends_with("300"), "in order: {shown}");
    assert!(lines[3].starts_with("MeterValueSampleInterval") && lines[3].ends_with("60"), "{shown}");
    let json: serde_json::Value =
        serde_json::from_str(&cli.ok(&["operator", "defaults", "show", "1", "--json"])).unwrap();
    assert_eq!(
        json,
        serde_json::json!([{"key": "HeartbeatInterval", "value": "300"}, {"key": "MeterValueSampleInterval", "value": "60"}])
    );
    // Set replaces the whole list.
    cli.ok(&["operator", "defaults", "set", "Acme", "LocalPreAuthorize=true"]);
    let shown = cli.ok(&["operator", "defaults", "show", "Acme"]);
    assert!(shown.contains("LocalPreAuthorize") && !shown.contains("HeartbeatInterval"), "{shown}");
    assert!(cli.fails(&["operator", "defaults", "set", "Acme", "NoEquals"]).contains("KEY=VALUE"));
    assert!(cli.fails(&["operator", "defaults", "set", "Acme", "A=1", "A=2"]).contains("given twice"));
    assert_eq!(cli.run(&["operator", "defaults", "set", "Acme"]).status.code(), Some(2), "at least one KEY=VALUE");
    cli.ok(&["operator", "defaults", "clear", "Acme"]);
    assert!(cli.ok(&["operator", "defaults", "show", "Acme"]).contains("no default configuration"));
}

impl Cli {
    /// Runs with `input` on standard input.
    fn run_with_input(&self, args: &[&str], input: &str) -> Output {
        use std::io::Write;
        let mut child = self
            .command(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    }
}

#[test]
fn accounts_are_created_with_the_password_on_stdin_listed_and_approved() {
    let cli = Cli::new("accounts");
    cli.ok(&["operator", "create", "Acme"]);
    let out = cli.run_with_input(
        &["account", "create", "--email", "Root@Joule.example", "--name", "Root", "--role", "platform-admin"],
        "correct horse battery staple\n",
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("root@joule.example"));

    // Precise refusals: a platform admin has no operator; an owner needs its kind; a weak password.
    let out = cli.run_with_input(
        &[
            "account",
            "create",
            "--email",
            "a@x.example",
            "--name",
            "A",
            "--role",
            "platform-admin",
            "--operator",
            "Acme",
        ],
        "correct horse battery staple\n",
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("leave out --operator"));
    let out = cli.run_with_input(
        &["account", "create", "--email", "o@x.example", "--name", "O", "--role", "owner", "--operator", "Acme"],
        "correct horse battery staple\n",
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("--owner-kind"));
    let out = cli.run_with_input(
        &["account", "create", "--email", "w@x.example", "--name", "W", "--role", "installer", "--operator", "Acme"],
        "short\n",
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 10 characters"));

    let out = cli.run_with_input(
        &[
            "account",
            "create",
            "--email",
            "fitter@x.example",
            "--name",
            "Fitter",
            "--role",
            "installer",
            "--operator",
            "Acme",
        ],
        "correct horse battery staple\n",
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let pending = cli.ok(&["account", "list", "--pending"]);
    assert!(pending.contains("fitter@x.example") && !pending.contains("root@joule.example"), "{pending}");
    cli.ok(&["account", "approve", "fitter@x.example"]);
    assert!(cli.ok(&["account", "list", "--pending"]).contains("no accounts"));
    let err = cli.fails(&["account", "approve", "root@joule.example"]);
    assert!(err.contains("only owners"), "{err}");
    let json = cli.ok(&["--json", "account", "list", "--operator", "Acme"]);
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(rows[0]["email"], "fitter@x.example");
    assert_eq!(rows[0]["approved"], true);
}

#[test]
fn mail_settings_are_shown_without_the_password_and_bad_ones_stop_serve() {
    let cli = Cli::new("mail");
    let run = |args: &[&str], security: &str| {
        cli.command(args)
            .env("JOULE_MAIL__SMTP__HOST", "smtp.example.com")
            .env("JOULE_MAIL__SMTP__FROM", "Joule <joule@example.com>")
            .env("JOULE_MAIL__SMTP__USERNAME", "joule")
            .env("JOULE_MAIL__SMTP__PASSWORD", "very-secret-smtp-password")
            .env("JOULE_MAIL__SMTP__SECURITY", security)
            .output()
            .unwrap()
    };
    let shown = run(&["config", "show"], "starttls");
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(text.contains("[mail.smtp]") && text.contains("host = \"smtp.example.com\""), "{text}");
    assert!(text.contains("password = \"***\"") && !text.contains("very-secret"), "{text}");
    // A login over plain text is refused before anything starts.
    let out = run(&["--listen", "127.0.0.1:0", "serve"], "none");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("[mail]") && err.contains("plain text") && !err.contains("very-secret"), "{err}");
}

// --- operator settings ---
#[test]
fn operator_settings_are_shown_and_set_within_range() {
    let cli = Cli::new("operator-settings");
    cli.ok(&["operator", "create", "Acme Charging"]);
    let shown = cli.ok(&["--json", "operator", "settings", "show", "Acme Charging"]);
    let shown: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(shown, serde_json::json!({"service_level_days": 2, "offline_after_minutes": 15}), "defaults");

    let set = cli.ok(&["operator", "settings", "set", "1", "--offline-after-minutes", "30"]);
    assert!(set.contains("offline_after_minutes") && set.contains("30"), "{set}");
    let shown = cli.ok(&["--json", "operator", "settings", "show", "1"]);
    let shown: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(shown, serde_json::json!({"service_level_days": 2, "offline_after_minutes": 30}), "the rest is kept");

    assert!(
        cli.fails(&["operator", "settings", "set", "1", "--service-level-days", "31"]).contains("--service-level-days")
    );
    assert!(
        cli.fails(&["operator", "settings", "set", "1", "--offline-after-minutes", "0"])
            .contains("--offline-after-minutes")
    );
    assert!(cli.fails(&["operator", "settings", "set", "1"]).contains("give --service-level-days"));
    assert!(cli.fails(&["operator", "settings", "show", "Nobody"]).contains("no operator"));
    let shown = cli.ok(&["operator", "settings", "show", "Acme Charging"]);
    assert!(shown.contains("service_level_days") && shown.contains("30"), "refusals change nothing: {shown}");
}
