//! Template rendering: what people and stations wrote is escaped, names the browser tests rely on are kept.

use askama::Template;

use crate::client::{Ctx, ErrorPage};
use crate::pages::auth::LoginPage;
use crate::pages::operator::{StationRow, StationsPage};
use crate::pages::{FormError, Layout};
use crate::views::Account;

fn ctx() -> Ctx {
    Ctx {
        secret: Some("jsess_test".into()),
        remote: None,
        secure: false,
        flash: Some("<b>flash</b>".into()),
        login_csrf: None,
        operator: None,
        here: "/".into(),
    }
}

fn staff() -> Account {
    Account {
        email: "a@example.com".into(),
        name: "<img src=x onerror=alert(1)>".into(),
        role: "operator-staff".into(),
        operator_id: Some(1),
    }
}

#[test]
fn a_station_id_with_markup_is_escaped_in_the_list() {
    let evil = "<script>alert(1)</script>";
    let row = StationRow {
        id: evil.into(),
        href: format!("/portal/stations/{}", crate::session::encode(evil)),
        state: "active".into(),
        status: "Available".into(),
        class: "ok",
        connectors: r#"{"1":{"status":"Available","state":"Available","charging_state":null}}"#.into(),
        vendor_model: "\"quoted\" & <b>".into(),
        firmware: String::new(),
        heartbeat: "—".into(),
        power: "—".into(),
    };
    let page = StationsPage {
        layout: Layout::new(&ctx(), "Stations", Some(&staff()), "/portal/stations"),
        rows: vec![row],
        q: "\"><script>".into(),
        state: String::new(),
        online: String::new(),
        next: None,
    };
    let html = page.render().unwrap();
    assert!(!html.contains("<script>"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(!html.contains("<b>"), "{html}");
    assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"), "{html}");
    assert!(html.contains("data-station-status=\"&#60;script&#62;alert(1)&#60;/script&#62;\""), "{html}");
    assert!(html.contains("href=\"/portal/stations/%3Cscript%3Ealert%281%29%3C%2Fscript%3E\""), "{html}");
    assert!(html.contains("&#34;quoted&#34; &#38; &#60;b&#62;"), "{html}");
    // The navigation of staff, the current page marked, the logout a POST form button with the CSRF token.
    assert!(html.contains("<a href=\"/portal/stations\" aria-current=\"page\">Stations</a>"), "{html}");
    assert!(html.contains("<a href=\"/portal/activations\">Activation requests</a>"), "{html}");
    assert!(html.contains(&format!("name=\"csrf\" value=\"{}\"", crate::session::csrf_token("jsess_test"))));
    assert!(html.contains("<button type=\"submit\" class=\"link\">Log out</button>"));
    assert!(html.contains("<h1>Stations</h1>") && html.contains("<html lang=\"en\">"));
}

#[test]
fn the_login_form_keeps_the_e_mail_as_text_and_has_its_labels() {
    let page = LoginPage {
        layout: Layout::new(&ctx(), "Log in", None, "/login"),
        csrf_login: "abc".into(),
        email: "\"><script>alert(1)</script>".into(),
        next: "/portal\"><x".into(),
        error: Some("<i>wrong</i>".into()),
    };
    let html = page.render().unwrap();
    assert!(!html.contains("<script>") && !html.contains("<i>") && !html.contains("<x"), "{html}");
    assert!(html.contains("value=\"&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;\""), "{html}");
    assert!(
        html.contains("<label for=\"email\">E-mail</label>")
            && html.contains("<label for=\"password\">Password</label>")
    );
    assert!(html.contains(">Log in</button>"));
    // Nobody is logged in: no navigation, no logout.
    assert!(!html.contains("Log out"));
}

#[test]
fn error_pages_and_field_errors_escape_the_detail() {
    let html = ErrorPage { title: "Not found".into(), detail: "no station <b>".into(), choose_operator: false }
        .render()
        .unwrap();
    assert!(html.contains("no station &#60;b&#62;") && !html.contains("<b>"));
    let error =
        FormError { form: "password".into(), field: Some("new_password".into()), detail: "<em>short</em>".into() };
    let layout = Layout::new(&ctx(), "Change password", Some(&staff()), "/account");
    let html = crate::pages::auth::PasswordPage { layout, error: Some(error) }.render().unwrap();
    assert!(html.contains("id=\"new_password-error\">&#60;em&#62;short&#60;/em&#62;</p>"), "{html}");
    assert!(html.contains("aria-invalid=\"true\" aria-describedby=\"new_password-error\""), "{html}");
    // The flash message is text too.
    assert!(html.contains("&#60;b&#62;flash&#60;/b&#62;"));
}

#[test]
fn the_connector_page_escapes_what_installers_and_operators_wrote_and_offers_the_right_button() {
    use crate::pages::driver::{ConnectorPage, ConnectorView, Live, Place, You};
    let place = Place {
        street: Some("<script>x</script>".into()),
        house_number: Some("1".into()),
        postal_code: Some("8001".into()),
        city: Some("Zürich".into()),
        country: Some("CH".into()),
        lat: Some(47.3769),
        lon: Some(8.5417),
        parking_spot: Some("P<3".into()),
        directions: Some("behind the \"gate\"".into()),
        has_photo: true,
    };
    let view = |you: Option<You>| ConnectorView {
        station_id: "CP&1".into(),
        connector_id: 2,
        status: "Available".into(),
        state: Some("Available".into()),
        private: false,
        place: Some(place.clone()),
        time_zone: "Europe/Zurich".into(),
        price: None,
        you,
    };
    let render = |c: ConnectorView| {
        let layout = Layout::new(&ctx(), "Connector", Some(&staff()), "/c/CP%261/2");
        ConnectorPage { layout, c, last: None, error: None }.render().expect("renders")
    };
    let anonymous = render(view(None));
    assert!(
        anonymous.contains("&#60;script&#62;x&#60;/script&#62;") || anonymous.contains("&lt;script&gt;x"),
        "{anonymous}"
    );
    assert!(!anonymous.contains("<script>x</script>"));
    assert!(anonymous.contains("P&#60;3") || anonymous.contains("P&lt;3"));
    assert!(anonymous.contains("/login?next=/c/CP%261/2"), "a stranger is asked to log in");
    assert!(anonymous.contains("mlat=47.376900"), "directions link");
    assert!(!anonymous.contains("Start charging"));

    let may = You { may_start: true, reason: "allowed: public".into(), id_tag: Some("CARD".into()), session: None };
    let page = render(view(Some(may)));
    assert!(page.contains("Start charging") && page.contains("action=\"/c/CP%261/2/start\""), "{page}");

    let running = Live {
        transaction_id: 7,
        station_id: "CP&1".into(),
        connector_id: 2,
        started_at: chrono::Utc::now(),
        energy_wh: 5000,
        power_w: Some(11000.0),
        cost: None,
    };
    let busy = You { may_start: false, reason: "allowed".into(), id_tag: None, session: Some(running) };
    let page = render(view(Some(busy)));
    assert!(page.contains("Stop charging") && page.contains("/c/CP%261/2/stop/7"), "{page}");
    assert!(page.contains("5.00 kWh") && page.contains("11.0 kW") && page.contains("data-running"), "{page}");
    assert!(!page.contains("Start charging"));
}

#[test]
fn drivers_tokens_and_the_import_report_escape_what_operators_and_files_wrote() {
    use crate::pages::Refused;
    use crate::pages::people::{Counts, Driver, DriversPage, GroupRef, ImportPage, Rejection, Report};
    let evil = "<script>x</script>";
    let driver = Driver {
        id: 7,
        name: evil.into(),
        email: Some("a\"b@example.com".into()),
        account_id: None,
        groups: vec![GroupRef { id: 1, name: "<i>g</i>".into() }],
        tokens: None,
    };
    let page = DriversPage {
        layout: Layout::new(&ctx(), "Drivers", Some(&staff()), "/portal/drivers"),
        drivers: vec![driver],
        matching: 1,
        total: 1,
        groups: Vec::new(),
        q: "\"><script>".into(),
        group: None,
        refused: Refused::default(),
    };
    let html = page.render().unwrap();
    assert!(!html.contains("<script>") && !html.contains("<i>"), "{html}");
    assert!(html.contains("<a href=\"/portal/drivers/7\">&#60;script&#62;x&#60;/script&#62;</a>"), "{html}");
    // A driver link and the nav entry the browser tests follow.
    assert!(html.contains("<a href=\"/portal/drivers\" aria-current=\"page\">Drivers</a>"), "{html}");

    // The import report: a file's text goes back into a text area, its reasons into cells, escaped.
    let report = Report {
        dry_run: true,
        counts: Counts { lines: 2, created: 1, updated: 0, unchanged: 0, rejected: 1 },
        rejected: vec![Rejection { line: 3, column: Some("id_tag".into()), reason: evil.into() }],
        drivers_created: vec!["<b>new</b>".into()],
        groups_created: Vec::new(),
    };
    let page = ImportPage {
        layout: Layout::new(&ctx(), "Import", Some(&staff()), "/portal/tokens"),
        csv: "id_tag\n</textarea><script>x</script>\n".into(),
        report: Some(report),
        error: None,
    };
    let html = page.render().unwrap();
    assert!(!html.contains("<script>") && !html.contains("<b>new"), "{html}");
    assert!(html.contains("&#60;/textarea&#62;"), "{html}");
    assert!(html.contains("Import 1 token (without the rejected lines)"), "{html}");
}
