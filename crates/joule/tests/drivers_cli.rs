//! `joule driver`, `joule group` and `joule token import`, run as a user runs them: the real
//! binary against a real `joule serve` on a free port.

use serde_json::Value;
mod support;

use support::Server;

#[test]
fn import_reports_rejected_lines_and_drivers_and_groups_are_listed() {
    let server = Server::start("drivers-cli");
    let file = server.dir.join("tokens.csv");
    std::fs::write(
        &file,
        "id_tag,driver_name,driver_email,groups,expires_at\n\
         CARD-1,Ann,ann@example.com,staff;residents,2030-01-01T00:00:00Z\n\
         CARD-2,\"Lee, Bo\",,residents,\n\
         CARD-1,Ann,,,\n\
         CARD-4,Cy,,,soon\n",
    )
    .unwrap();

    // A dry run reports and writes nothing; rejected lines make it exit 1.
    let out = server.command(&["token", "import", file.to_str().unwrap(), "--dry-run"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("dry run (nothing written): 4 lines: 2 created, 0 updated, 0 unchanged, 2 rejected"),
        "{stdout}"
    );
    assert!(stdout.contains("line 4: id_tag CARD-1 given twice (first on line 2)"), "{stdout}");
    assert!(stdout.contains("line 5, expires_at: \"soon\""), "{stdout}");
    assert!(String::from_utf8(out.stderr).unwrap().contains("2 line(s)"));
    assert!(server.ok(&["driver", "list", "--json"]).trim() == "[]");

    // The real import, then the same file again: unchanged.
    let out = server.command(&["token", "import", file.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stdout).unwrap().contains("4 lines: 2 created, 0 updated, 0 unchanged, 2 rejected"));
    let out = server.command(&["token", "import", file.to_str().unwrap()]).output().unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains("4 lines: 0 created, 0 updated, 2 unchanged, 2 rejected"));

    // A clean file exits 0.
    let clean = server.dir.join("clean.csv");
    std::fs::write(&clean, "id_tag,blocked\nCARD-1,true\n").unwrap();
    let stdout = server.ok(&["token", "import", clean.to_str().unwrap()]);
    assert!(stdout.contains("1 lines: 0 created, 1 updated, 0 unchanged, 0 rejected"), "{stdout}");

    // Listed: drivers with their groups, groups with member counts, a driver's tokens.
    let drivers = server.ok(&["driver", "list"]);
    assert!(
        drivers.lines().any(|l| l.contains("Ann") && l.contains("ann@example.com") && l.contains("residents, staff")),
        "{drivers}"
    );
    assert!(drivers.lines().any(|l| l.contains("Lee, Bo") && l.contains("residents")), "{drivers}");
    let groups = server.ok(&["group", "list", "--json"]);
    let groups: Value = serde_json::from_str(&groups).unwrap();
    let residents = groups.as_array().unwrap().iter().find(|g| g["name"] == "residents").unwrap();
    assert_eq!(residents["members"], 2);
    let ann = server.ok(&["driver", "show", "ann@example.com"]);
    assert!(ann.contains("tokens:  CARD-1"), "{ann}");

    // Groups and links by name.
    server.ok(&["group", "add", "night"]);
    server.ok(&["group", "join", "night", "Ann"]);
    assert!(server.ok(&["group", "members", "night"]).contains("Ann"));
    server.ok(&["group", "leave", "night", "Ann"]);
    server.ok(&["driver", "unlink", "Ann", "CARD-1"]);
    server.ok(&["driver", "link", "Lee, Bo", "CARD-1"]);
    assert!(server.ok(&["driver", "show", "Lee, Bo"]).contains("CARD-1, CARD-2"));
    let err = server.fails(&["driver", "show", "Nobody"]);
    assert!(err.contains("no driver has the id, e-mail or name \"Nobody\""), "{err}");
}
