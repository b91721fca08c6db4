//! A real `joule serve` for the CLI tests that run remote commands as a user runs them (shared by
//! access_cli.rs, drivers_cli.rs, intervals.rs, local_list_cli.rs and remote.rs through `mod support;`). Each test crate uses a part of it,
//! hence `dead_code` allowed.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub struct Server {
    pub dir: PathBuf,
    pub port: u16,
    child: Child,
    /// The operator's OCPP key (the path segment before the station id).
    pub key: String,
    /// The API token's secret the remote commands use.
    pub token: String,
}

impl Server {
    /// `joule serve` on a free port with its own data folder (named after `name` and the process), an operator
    /// "Acme" and an operator-role API token the remote commands use.
    pub fn start(name: &str) -> Server {
        Server::start_as(name, "operator")
    }

    /// As [`Server::start`], with an API token of `role`.
    pub fn start_as(name: &str, role: &str) -> Server {
        let dir = std::env::temp_dir().join(format!("joule-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(env!("CARGO_BIN_EXE_joule"))
            .arg("--data-dir")
            .arg(&dir)
            .args(["--listen", &format!("127.0.0.1:{port}"), "serve"])
            .env("JOULE_LOG", "warn")
            .env_remove("JOULE_DATABASE_URL")
            .current_dir(&dir)
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let mut server = Server { dir, port, child, key: String::new(), token: String::new() };
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "joule serve did not listen on {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
        let created = server.ok(&["operator", "create", "Acme"]);
        let url = created.lines().find_map(|l| l.strip_prefix("OCPP URL: ")).expect("the OCPP URL is printed");
        server.key = url.trim_end_matches('/').rsplit('/').next().unwrap().to_string();
        let token = server.ok(&["api-token", "create", "--operator", "Acme", "--role", role, "--name", "t", "--json"]);
        let token: Value = serde_json::from_str(token.trim()).unwrap();
        server.token = token["secret"].as_str().unwrap().to_string();
        server
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_joule"));
        cmd.arg("--data-dir")
            .arg(&self.dir)
            .args(args)
            .env("JOULE_LOG", "warn")
            .env("JOULE_URL", format!("http://127.0.0.1:{}", self.port))
            .env("JOULE_TOKEN", &self.token)
            .env_remove("JOULE_DATABASE_URL")
            .current_dir(&self.dir);
        cmd
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Runs the command with `input` on its standard input; it must succeed. Answers its stdout.
    pub fn ok_with_input(&self, args: &[&str], input: &str) -> String {
        use std::io::Write;
        let mut child =
            self.command(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "joule {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs a command, whatever its outcome.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "joule {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs a command that must succeed; answers its stderr.
    pub fn ok_stderr(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "joule {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stderr).unwrap()
    }

    /// Runs a command that must fail with exit code 1, and returns its stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.command(args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "joule {args:?}: {}", String::from_utf8_lossy(&out.stdout));
        String::from_utf8(out.stderr).unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
