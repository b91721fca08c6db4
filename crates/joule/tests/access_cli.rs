//! `joule station access show|set` and `joule access check`, run as a user runs them: the real
//! binary against a real `joule serve` on a free port.

mod support;

use support::Server;

#[test]
fn access_rules_are_set_shown_and_explained_from_the_cli() {
    let server = Server::start("access-cli");
    server.ok(&["station", "register", "AX-1", "--operator", "Acme", "--activate"]);
    server.ok(&["token", "add", "CARD-1", "--operator", "Acme"]);

    let shown = server.ok(&["station", "access", "show", "AX-1"]);
    assert!(shown.contains("Station AX-1: public"), "{shown}");
    assert!(shown.contains("available times: always open"), "{shown}");

    let set = server.ok(&["station", "access", "set", "AX-1", "--times", "mon-fri 07:00-19:00; 2026-12-25 closed"]);
    assert!(set.contains("available times (UTC): mon-fri 07:00-19:00"), "{set}");
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
