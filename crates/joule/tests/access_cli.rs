//! `joule station access show|set` and `joule access check` (issue 5), run as a user runs them: the real
//! binary against a real `joule serve` on a free port.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

struct Server {
    dir: PathBuf,
    port: u16,
    child: Child,
    token: String,
}

impl Server {
    fn start() -> Server {
        let dir = std::env::temp_dir().join(format!("joule-access-cli-{}", std::process::id()));
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
        let mut server = Server { dir, port, child, token: String::new() };
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "joule serve did not listen on {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
        server.ok(&["operator", "create", "Acme"]);
        let token =
            server.ok(&["api-token", "create", "--operator", "Acme", "--role", "operator", "--name", "t", "--json"]);
        let token: Value = serde_json::from_str(token.trim()).unwrap();
        server.token = token["secret"].as_str().unwrap().to_string();
        server
    }

    fn command(&self, args: &[&str]) -> Command {
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

    fn ok(&self, args: &[&str]) -> String {
        let out = self.command(args).output().unwrap();
        assert!(out.status.success(), "joule {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    fn fails(&self, args: &[&str]) -> String {
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

#[test]
fn access_rules_are_set_shown_and_explained_from_the_cli() {
    let server = Server::start();
    server.ok(&["station", "register", "AX-1", "--operator", "Acme", "--activate"]);
    server.ok(&["token", "add", "CARD-1", "--operator", "Acme"]);

    let shown = server.ok(&["station", "access", "show", "AX-1"]);
    assert!(shown.contains("Station AX-1: public"), "{shown}");
    assert!(shown.contains("available times: always open"), "{shown}");

    let set = server.ok(&["station", "access", "set", "AX-1", "--times", "mon-fri 07:00-19:00; 2026-12-25 closed"]);
    assert!(set.contains("available times (UTC): mon 07:00-19:00; tue 07:00-19:00"), "{set}");
    assert!(set.contains("2026-12-25 closed"), "{set}");

    // Monday 23 November 2026.
    let at = ["access", "check", "AX-1", "CARD-1", "--at"];
    let open = server.ok(&[&at[..], &["2026-11-23T10:00:00Z"]].concat());
    assert!(open.starts_with("allowed: within the station's available times"), "{open}");
    assert!(open.contains("idTagInfo status Accepted"), "{open}");
    let closed = server.ok(&[&at[..], &["2026-11-23T20:00:00Z"]].concat());
    assert!(closed.starts_with("refused: outside the station's available times: Monday 07:00-19:00"), "{closed}");
    assert!(closed.contains("idTagInfo status Invalid"), "{closed}");

    // Private, then what a stranger's card gets; a mode the rules do not know is refused with the field.
    let set = server.ok(&["station", "access", "set", "AX-1", "--mode", "private", "--always-open"]);
    assert!(set.contains("Station AX-1: private") && set.contains("always open"), "{set}");
    let refused = server.ok(&["access", "check", "AX-1", "CARD-1"]);
    assert!(refused.starts_with("refused: private station: only the owner"), "{refused}");
    let err = server.fails(&["station", "access", "set", "AX-1", "--mode", "members"]);
    assert!(err.contains("mode") && err.contains("public, limited or private"), "{err}");
    let err = server.fails(&["station", "access", "set", "AX-1", "--times", "weekdays 8-18"]);
    assert!(err.contains("available_times"), "{err}");

    // Free vend: everybody.
    server.ok(&["station", "access", "set", "AX-1", "--authorization", "off"]);
    let free = server.ok(&["access", "check", "AX-1", "ANYONE"]);
    assert!(free.starts_with("allowed: authorization not required (free vend)"), "{free}");
}
