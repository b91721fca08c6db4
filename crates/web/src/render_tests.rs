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
        connectors: "1=Available".into(),
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
