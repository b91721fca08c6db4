//! The portal end to end over HTTP: a real server (OCPP gateway, API and portal) on a free port with a fresh
//! SQLite database, a browser-like client that keeps cookies and sends forms, and simulated stations over
//! real WebSockets.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use joule_core::account::{AccountRole, Email, OwnerKind};
use joule_core::station::StationState;
use joule_core::{OperatorKey, StationId};
use joule_server::Settings;
use joule_sim::client::{ConnectOptions, StationClient};
use joule_store::{NewAccount, NewStation, Operator, Store};
use serde_json::{Value, json};
use tokio::sync::oneshot;

const PASSWORD: &str = "correct horse battery staple";

struct Server {
    store: Arc<dyn Store>,
    addr: std::net::SocketAddr,
    dir: PathBuf,
    stop: Option<oneshot::Sender<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn unique() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("{}-{nanos}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}

impl Server {
    /// Serves what `joule serve` serves: the gateway, and the API with the portal (crates/joule/src/commands.rs).
    async fn start() -> Server {
        let dir = std::env::temp_dir().join(format!("joule-web-test-{}", unique()));
        std::fs::create_dir_all(&dir).unwrap();
        let store: Arc<dyn Store> =
            Arc::new(joule_store_sqlite::SqliteStore::open(&dir.join("joule.db"), Default::default()).await.unwrap());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let settings = Settings { listen: addr, data_dir: dir.clone(), ..Settings::default() };
        let app = joule_server::Server::new(store.clone(), settings);
        let app = app.clone().with_routes(joule_web::router(joule_api::router(app.app.clone())));
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = app
                .serve(listener, async {
                    let _ = stopped.await;
                })
                .await;
        });
        Server { store, addr, dir, stop: Some(stop) }
    }

    async fn operator(&self, name: &str) -> Operator {
        let key = OperatorKey::parse(&format!("key-{}", name.to_lowercase().replace(' ', "-"))).unwrap();
        self.store.create_operator(name, &key).await.unwrap()
    }

    /// An approved account of `role`; returns its e-mail.
    async fn person(&self, op: &Operator, role: AccountRole) -> String {
        let email = format!("{}-{}@example.com", role.as_str(), unique());
        let new = NewAccount {
            email: Email::parse(&email).unwrap(),
            name: format!("Person {}", role.as_str()),
            role,
            operator_id: Some(op.id),
            owner_kind: (role == AccountRole::Owner).then_some(OwnerKind::Individual),
            company_number: None,
            password_hash: joule_app::accounts::password::hash(PASSWORD).unwrap(),
            created_at: chrono::Utc::now(),
        };
        let account = self.store.create_account(&new).await.unwrap();
        self.store.approve_account(account.id, None, chrono::Utc::now()).await.unwrap();
        email
    }

    /// A platform admin (no operator of its own); returns its e-mail.
    async fn platform_admin(&self) -> String {
        let email = format!("root-{}@example.com", unique());
        let new = NewAccount {
            email: Email::parse(&email).unwrap(),
            name: "Root".into(),
            role: AccountRole::PlatformAdmin,
            operator_id: None,
            owner_kind: None,
            company_number: None,
            password_hash: joule_app::accounts::password::hash(PASSWORD).unwrap(),
            created_at: chrono::Utc::now(),
        };
        self.store.create_account(&new).await.unwrap();
        email
    }

    async fn register(&self, op: &Operator, id: &str, state: StationState) {
        let new = NewStation {
            id: StationId::parse(id).unwrap(),
            operator_id: op.id,
            state,
            free_vend: false,
            password_hash: None,
            created_at: chrono::Utc::now(),
        };
        self.store.register_station(new).await.unwrap();
    }

    /// An active station, connected and booted, with connector 1 Available.
    async fn station(&self, op: &Operator, id: &str) -> StationClient {
        self.register(op, id, StationState::Active).await;
        let url = format!("ws://{}/ocpp/{}/{id}", self.addr, op.key);
        let mut st = StationClient::connect(&url, ConnectOptions::default()).await.unwrap();
        let boot = json!({ "chargePointVendor": "Joule", "chargePointModel": "Test-22", "firmwareVersion": "1.2.3" });
        let answer = st.call("BootNotification", boot).await.unwrap().expect_result();
        assert_eq!(answer["status"], "Accepted");
        let status = json!({ "connectorId": 1, "status": "Available", "errorCode": "NoError" });
        st.call("StatusNotification", status).await.unwrap().expect_result();
        st
    }

    fn browser(&self) -> Browser {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Browser { base: format!("http://{}", self.addr), http, cookies: HashMap::new() }
    }
}

/// A page as the browser got it.
#[derive(Debug)]
struct Page {
    status: u16,
    location: Option<String>,
    set_cookies: Vec<String>,
    body: String,
}

impl Page {
    /// The value of the first hidden `csrf` field.
    fn csrf(&self) -> String {
        let at = self.body.find("name=\"csrf\" value=\"").expect("a form with a csrf field");
        let rest = &self.body[at + "name=\"csrf\" value=\"".len()..];
        rest[..rest.find('"').unwrap()].to_string()
    }

    #[track_caller]
    fn expect(&self, status: u16) -> &Page {
        assert_eq!(self.status, status, "{}", self.body);
        self
    }

    #[track_caller]
    fn redirects_to(&self, to: &str) -> &Page {
        assert_eq!(self.status, 303, "{}", self.body);
        assert_eq!(self.location.as_deref(), Some(to));
        self
    }

    #[track_caller]
    fn shows(&self, text: &str) -> &Page {
        assert!(self.body.contains(text), "expected {text:?} in:\n{}", self.body);
        self
    }
}

/// Keeps cookies like a browser (no domain or expiry logic beyond Max-Age=0, enough for one host).
struct Browser {
    base: String,
    http: reqwest::Client,
    cookies: HashMap<String, String>,
}

impl Browser {
    async fn send(&mut self, request: reqwest::RequestBuilder) -> Page {
        let cookie = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
        let request = if cookie.is_empty() { request } else { request.header("cookie", cookie) };
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let location = response.headers().get("location").map(|v| v.to_str().unwrap().to_string());
        let set_cookies: Vec<String> =
            response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
        for c in &set_cookies {
            let pair = c.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if c.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), value.to_string());
            }
        }
        let body = response.text().await.unwrap();
        Page { status, location, set_cookies, body }
    }

    async fn get(&mut self, path: &str) -> Page {
        let request = self.http.get(format!("{}{path}", self.base));
        self.send(request).await
    }

    async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
        let request = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        self.send(request).await
    }

    async fn login(&mut self, email: &str, password: &str) -> Page {
        let form = self.get("/login").await;
        let csrf = form.csrf();
        self.post("/login", &[("csrf", &csrf), ("email", email), ("password", password), ("next", "")]).await
    }

    /// The API, called with this browser's login session as the bearer.
    async fn api(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(secret) = self.cookies.get("joule_session") {
            request = request.bearer_auth(secret);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

#[tokio::test]
async fn logging_in_wrong_then_right_then_out() {
    let server = Server::start().await;
    let op = server.operator(&format!("Op {}", unique())).await;
    let staff = server.person(&op, AccountRole::OperatorStaff).await;
    let mut b = server.browser();

    // Not logged in: every page leads to the login form, which comes back to the page afterwards.
    b.get("/").await.redirects_to("/login");
    b.get("/portal/stations?state=active").await.redirects_to("/login?next=%2Fportal%2Fstations%3Fstate%3Dactive");
    let form = b.get("/login").await;
    form.expect(200).shows("<label for=\"email\">E-mail</label>").shows("<label for=\"password\">Password</label>");
    form.shows("Log in").shows("lang=\"en\"");
    let headers = b.http.get(format!("{}/login", b.base)).send().await.unwrap();
    let csp = headers.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), "{csp}");

    let wrong = b.login(&staff, "not the password").await;
    wrong.expect(401).shows("the e-mail address or the password is wrong");
    // The e-mail is kept, the password is not.
    wrong.shows(&format!("value=\"{staff}\""));
    assert!(!wrong.body.contains("not the password"));
    assert!(!b.cookies.contains_key("joule_session"));

    let right = b.login(&staff, PASSWORD).await;
    right.redirects_to("/");
    let session = right.set_cookies.iter().find(|c| c.starts_with("joule_session=jsess_")).expect("a session cookie");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax") && session.contains("Path=/"),
        "{session}"
    );
    assert!(!session.contains("Secure"), "plain http: {session}");
    let max_age: i64 = session.split("Max-Age=").nth(1).unwrap().split(';').next().unwrap().parse().unwrap();
    assert!(max_age > 11 * 3600 && max_age <= 12 * 3600, "{session}");
    b.get("/").await.redirects_to("/portal");
    let dashboard = b.get("/portal").await;
    dashboard.expect(200).shows("<h1>Dashboard</h1>").shows("Log out").shows("aria-current=\"page\"");
    let secret = b.cookies["joule_session"].clone();

    let csrf = dashboard.csrf();
    b.post("/logout", &[("csrf", &csrf)]).await.redirects_to("/login");
    assert!(!b.cookies.contains_key("joule_session"));
    b.get("/login").await.shows("You are logged out.");
    b.get("/portal").await.redirects_to("/login?next=%2Fportal");
    // The session is over in the database too, not only forgotten by the browser.
    let mut old = server.browser();
    old.cookies.insert("joule_session".into(), secret);
    assert_eq!(old.api("GET", "/api/v1/me", None).await.0, 401);
    old.get("/portal").await.redirects_to("/login?next=%2Fportal");

    // After logging in with ?next= the person lands where they wanted to go.
    let form = b.get("/login?next=%2Fportal%2Fstations").await;
    let csrf = form.csrf();
    let page = b
        .post("/login", &[("csrf", &csrf), ("email", &staff), ("password", PASSWORD), ("next", "/portal/stations")])
        .await;
    page.redirects_to("/portal/stations");
    // Logged in, the login page leads home; a next that leaves the site is not followed.
    b.get("/login").await.redirects_to("/portal");
    b.cookies.remove("joule_session");
    let csrf = b.get("/login").await.csrf();
    let csrf2 = b.get("/login").await.csrf();
    assert_eq!(csrf, csrf2, "one double-submit token per browser");
    let page = b
        .post("/login", &[("csrf", &csrf), ("email", &staff), ("password", PASSWORD), ("next", "//evil.example/")])
        .await;
    page.redirects_to("/");
}

#[tokio::test]
async fn posts_without_a_valid_csrf_token_are_refused() {
    let server = Server::start().await;
    let op = server.operator(&format!("Op {}", unique())).await;
    let staff = server.person(&op, AccountRole::OperatorStaff).await;

    // Login: the form's token must match the browser's cookie.
    let mut b = server.browser();
    b.get("/login").await;
    let refused = b.post("/login", &[("csrf", "forged"), ("email", &staff), ("password", PASSWORD)]).await;
    refused.expect(403).shows("security token");
    let mut fresh = server.browser();
    let refused = fresh.post("/login", &[("csrf", ""), ("email", &staff), ("password", PASSWORD)]).await;
    refused.expect(403);
    assert!(!fresh.cookies.contains_key("joule_session"));

    b.login(&staff, PASSWORD).await.redirects_to("/");
    let good = b.get("/portal").await.csrf();
    server.register(&op, "CSRF-1", StationState::Active).await;
    for token in ["", "0000", &good[..63]] {
        b.post("/portal/stations/CSRF-1/reset", &[("csrf", token), ("type", "Soft")]).await.expect(403);
        b.post("/logout", &[("csrf", token)]).await.expect(403);
        b.post("/account/password", &[("csrf", token)]).await.expect(403);
    }
    // The refused logout did not end the session.
    b.get("/portal").await.expect(200);
    // Another person's token does not fit this session.
    let other = server.person(&op, AccountRole::OperatorStaff).await;
    let mut c = server.browser();
    c.login(&other, PASSWORD).await;
    let theirs = c.get("/portal").await.csrf();
    assert_ne!(theirs, good);
    b.post("/logout", &[("csrf", &theirs)]).await.expect(403);
    b.post("/logout", &[("csrf", &good)]).await.redirects_to("/login");
}

#[tokio::test]
async fn pages_check_role_and_operator_like_the_api() {
    let server = Server::start().await;
    let op = server.operator(&format!("Op {}", unique())).await;
    let other_op = server.operator(&format!("Other {}", unique())).await;
    let owner = server.person(&op, AccountRole::Owner).await;
    let staff = server.person(&op, AccountRole::OperatorStaff).await;
    server.register(&other_op, "THEIRS-1", StationState::Active).await;
    server.register(&op, "OURS-1", StationState::Active).await;

    // An owner has no operator pages: 403, on reads and on actions.
    let mut o = server.browser();
    o.login(&owner, PASSWORD).await.redirects_to("/");
    o.get("/").await.redirects_to("/owner");
    o.get("/owner").await.expect(200).shows("My activation requests");
    let account = o.get("/account").await;
    account.expect(200).shows("owner");
    let csrf = account.csrf();
    o.get("/portal").await.expect(403).shows("Not allowed");
    o.get("/portal/stations").await.expect(403);
    o.get("/portal/stations/OURS-1").await.expect(403);
    o.post("/portal/stations/OURS-1/reset", &[("csrf", &csrf), ("type", "Hard")]).await.expect(403);
    o.post("/portal/activations/1/approve", &[("csrf", &csrf)]).await.expect(403);
    // Its navigation offers no operator pages.
    assert!(!account.body.contains("href=\"/portal\""));

    // Staff see their operator's stations, and another operator's not at all (404, as in the API).
    let mut s = server.browser();
    s.login(&staff, PASSWORD).await;
    let list = s.get("/portal/stations").await;
    list.expect(200).shows("OURS-1");
    assert!(!list.body.contains("THEIRS-1"));
    s.get("/portal/stations/THEIRS-1").await.expect(404);
    let csrf = s.get("/portal").await.csrf();
    s.post("/portal/stations/THEIRS-1/reset", &[("csrf", &csrf), ("type", "Hard")]).await.expect(404);
    s.get("/portal/stations/THEIRS-1/photo").await.expect(404);

    // Unknown pages: the portal's 404 page; unknown API paths: the API's problem.
    s.get("/portal/nothing-here").await.expect(404).shows("There is no page /portal/nothing-here.");
    s.get("/no-such-page").await.expect(404).shows("Not found");
    let (status, problem) = s.api("GET", "/api/v1/nothing", None).await;
    assert_eq!(status, 404);
    assert_eq!(problem["type"], "/api/v1/docs#problem-not-found");
}

#[tokio::test]
async fn the_dashboard_and_station_list_show_a_live_station() {
    let server = Server::start().await;
    let op = server.operator(&format!("Op {}", unique())).await;
    let staff = server.person(&op, AccountRole::OperatorStaff).await;
    server.register(&op, "DARK-1", StationState::Active).await;
    let mut st = server.station(&op, "LIVE-1").await;
    let mut b = server.browser();
    b.login(&staff, PASSWORD).await;
    let (status, _) = b.api("POST", "/api/v1/id-tokens", Some(json!({ "tag": "TAG-1" }))).await;
    assert_eq!(status, 201);
    // A session with power on the live station.
    let start = json!({ "connectorId": 1, "idTag": "TAG-1", "meterStart": 1000, "timestamp": chrono::Utc::now() });
    let started = st.call("StartTransaction", start).await.unwrap().expect_result();
    assert!(started["transactionId"].as_i64().is_some());
    let charging = json!({ "connectorId": 1, "status": "Charging", "errorCode": "NoError" });
    st.call("StatusNotification", charging).await.unwrap().expect_result();
    let meter = json!({ "connectorId": 1, "meterValue": [{ "timestamp": chrono::Utc::now(), "sampledValue": [
        { "value": "7400", "measurand": "Power.Active.Import", "unit": "W" } ] }] });
    st.call("MeterValues", meter).await.unwrap().expect_result();

    let dashboard = b.get("/portal").await;
    dashboard.expect(200);
    let count = |name: &str| {
        let marker = format!("data-count=\"{name}\">");
        let at = dashboard.body.find(&marker).unwrap_or_else(|| panic!("no {name} in {}", dashboard.body));
        let rest = &dashboard.body[at + marker.len()..];
        rest[..rest.find('<').unwrap()].to_string()
    };
    assert_eq!(count("total"), "2");
    assert_eq!(count("online"), "1");
    assert_eq!(count("offline"), "1");
    assert_eq!(count("charging"), "1");
    assert_eq!(count("faulted"), "0");
    assert_eq!(count("power"), "7.4 kW");
    assert_eq!(count("active-sessions"), "1");
    assert_eq!(count("sessions-today"), "1");
    // The active station that is not connected is an alert.
    dashboard.shows("DARK-1</a>: offline");

    let list = b.get("/portal/stations").await;
    // The connectors the page's script recomputes the badge from: reported status, state, charging state.
    list.expect(200).shows(
        "data-station-status=\"LIVE-1\" data-connectors=\"{&#34;1&#34;:{&#34;charging_state&#34;:&#34;Charging&#34;,\
         &#34;state&#34;:&#34;Occupied&#34;,&#34;status&#34;:&#34;Charging&#34;}}\">Charging</span>",
    );
    list.shows("data-station-status=\"DARK-1\" data-connectors=\"{}\">Offline</span>");
    // Filters and search go through.
    let online = b.get("/portal/stations?online=true").await;
    online.shows("LIVE-1");
    assert!(!online.body.contains(">DARK-1<"));
    let searched = b.get("/portal/stations?q=dark").await;
    searched.shows("DARK-1");
    assert!(!searched.body.contains(">LIVE-1<"));

    let page = b.get("/portal/stations/LIVE-1").await;
    page.expect(200).shows("<h1>Station LIVE-1</h1>").shows("data-station=\"LIVE-1\" data-connector=\"1\">Charging<");
    page.shows("7.4 kW").shows("TAG-1").shows("Test-22");
    // The message log is written in batches, off the stations' path: it shows the frames soon after.
    let mut logged = false;
    for _ in 0..200 {
        if b.get("/portal/stations/LIVE-1").await.body.contains("StartTransaction") {
            logged = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(logged, "the message log shows the StartTransaction");

    // A fault shows on the dashboard as a count and an alert.
    let fault = json!({ "connectorId": 1, "status": "Faulted", "errorCode": "GroundFailure" });
    st.call("StatusNotification", fault).await.unwrap().expect_result();
    let dashboard = b.get("/portal").await;
    dashboard.shows("data-count=\"faulted\">1<").shows("connector 1 is faulted: GroundFailure");
}

#[tokio::test]
async fn station_forms_send_commands_and_show_problems_next_to_their_fields() {
    let server = Server::start().await;
    let op = server.operator(&format!("Op {}", unique())).await;
    let staff = server.person(&op, AccountRole::OperatorStaff).await;
    let mut st = server.station(&op, "CMD-1").await;
    server.register(&op, "GONE-1", StationState::Active).await;
    let mut b = server.browser();
    b.login(&staff, PASSWORD).await;
    let csrf = b.get("/portal/stations/CMD-1").await.csrf();

    // A reset the station accepts: back to the station page with its answer.
    let base = format!("http://{}", server.addr);
    let cookie = format!("joule_session={}", b.cookies["joule_session"]);
    let http = b.http.clone();
    let form = format!("csrf={csrf}&type=Hard");
    let post = tokio::spawn(async move {
        http.post(format!("{base}/portal/stations/CMD-1/reset"))
            .header("cookie", cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await
            .unwrap()
    });
    let call = st.next_server_call(Duration::from_secs(10)).await.unwrap().expect("a CALL");
    assert_eq!((call.action.as_str(), &call.payload), ("Reset", &json!({ "type": "Hard" })));
    st.respond(&call.id, json!({ "status": "Accepted" })).await.unwrap();
    let response = post.await.unwrap();
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(response.headers()["location"], "/portal/stations/CMD-1");
    let flash =
        response.headers().get_all("set-cookie").iter().any(|c| c.to_str().unwrap().starts_with("joule_flash="));
    assert!(flash);
    let flash_cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap().split(';').next().unwrap().split_once('=').unwrap().1.to_string())
        .next()
        .unwrap();
    b.cookies.insert("joule_flash".into(), flash_cookie);
    let page = b.get("/portal/stations/CMD-1").await;
    page.shows("Reset the station: the station answered Accepted.");
    page.shows("Hard");
    // The flash is shown once.
    assert!(!b.get("/portal/stations/CMD-1").await.body.contains("the station answered Accepted"));

    // Input the form cannot send: the page again, the field marked, the value kept.
    let bad = b.post("/portal/stations/CMD-1/unlock", &[("csrf", &csrf), ("connector_id", "one")]).await;
    bad.expect(400).shows("&#34;one&#34; is not a whole number").shows("value=\"one\" aria-invalid=\"true\"");
    // The API's problem, next to the field it names, with what was entered.
    let long = "ABCDEFGHIJKLMNOPQRSTU";
    let fields = [("csrf", csrf.as_str()), ("connector_id", "1"), ("id_tag", long)];
    let bad = b.post("/portal/stations/CMD-1/remote-start", &fields).await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    bad.shows("id=\"remote-start-error\"");
    bad.shows(&format!("name=\"id_tag\" maxlength=\"20\" required value=\"{long}\" aria-invalid=\"true\""));
    let fields = [("csrf", csrf.as_str()), ("connector_id", "1"), ("id_tag", " ")];
    b.post("/portal/stations/CMD-1/remote-start", &fields).await.expect(400).shows("enter the id tag");
    // A station that is not connected: the API's 409, shown atop the form.
    let csrf_gone = b.get("/portal/stations/GONE-1").await.csrf();
    let offline = b.post("/portal/stations/GONE-1/trigger", &[("csrf", &csrf_gone), ("message", "Heartbeat")]).await;
    offline.expect(409).shows("role=\"alert\"");
    assert!(offline.body.to_lowercase().contains("not connected"), "{}", offline.body);
    // The trigger form: the API's message values with labels for people; the refused choice stays chosen.
    offline.shows("<option value=\"StatusNotification\">Status of the connectors</option>");
    offline.shows("<option value=\"Heartbeat\" selected>Heartbeat</option>");
    offline.shows("<option value=\"FirmwareStatusNotification\">Status of the firmware update</option>");
    let fresh = b.get("/portal/stations/GONE-1").await;
    fresh.shows("<option value=\"StatusNotification\" selected>Status of the connectors</option>");
}

#[tokio::test]
async fn an_activation_request_is_approved_and_another_rejected_through_the_forms() {
    let server = Server::start().await;
    let op = server.operator(&format!("Op {}", unique())).await;
    let owner = server.person(&op, AccountRole::Owner).await;
    let staff = server.person(&op, AccountRole::OperatorStaff).await;
    let mut o = server.browser();
    o.login(&owner, PASSWORD).await;
    let form = |station: &str| {
        json!({
            "customer_number": "C-1001",
            "charge_points": [{"number": "EVC-1", "station_id": station, "connector_count": 2}],
            "installation_type": "home",
            "features": [],
            "address": {"street": "Stationsplein", "house_number": "1", "postal_code": "1012ab", "city": "Amsterdam",
                        "country": "NL"},
            "network": "Wi-Fi",
            "notes": "<script>alert(1)</script>"
        })
    };
    let (status, first) = o.api("POST", "/api/v1/activation-requests", Some(form("ACT-1"))).await;
    assert_eq!(status, 201, "{first}");
    let (_, second) = o.api("POST", "/api/v1/activation-requests", Some(form("ACT-2"))).await;
    let (first, second) = (first["id"].as_i64().unwrap(), second["id"].as_i64().unwrap());

    let mut s = server.browser();
    s.login(&staff, PASSWORD).await;
    s.get("/portal").await.shows("data-count=\"queue\">2<");
    let queue = s.get("/portal/activations").await;
    queue.expect(200).shows("<h1>Activation requests</h1>").shows("ACT-1 (2 connectors)").shows(">Approve</button>");
    queue.shows(">Reject</button>").shows("Stationsplein 1, 1012 AB Amsterdam, NL");
    // What the owner typed is text, never markup.
    queue.shows("&#60;script&#62;alert(1)&#60;/script&#62;").shows("customer C-1001");
    assert!(!queue.body.contains("<script>alert(1)"));
    let csrf = queue.csrf();

    let approved =
        s.post(&format!("/portal/activations/{first}/approve"), &[("csrf", &csrf), ("state", "requested")]).await;
    approved.redirects_to("/portal/activations");
    s.get("/portal/activations").await.shows(&format!("Activation request {first} is approved"));
    let station = server.store.station(&StationId::parse("ACT-1").unwrap()).await.unwrap().unwrap();
    assert_eq!(station.state, StationState::Active);
    let (_, request) = s.api("GET", "/api/v1/activation-requests?state=activated", None).await;
    assert_eq!(request[0]["id"], first);

    // Rejecting needs a reason: the API's 400 next to the reason field.
    let path = format!("/portal/activations/{second}/reject");
    let refused = s.post(&path, &[("csrf", &csrf), ("reason", "  ")]).await;
    refused.expect(400).shows(&format!("id=\"reason-{second}-error\""));
    let rejected = s.post(&path, &[("csrf", &csrf), ("reason", "Not in our area")]).await;
    rejected.redirects_to("/portal/activations");
    let after = s.get("/portal/activations").await;
    after.shows(&format!("Activation request {second} is rejected")).shows("No activation requests are waiting.");
    let (_, request) = s.api("GET", "/api/v1/activation-requests?state=rejected", None).await;
    assert_eq!(request[0]["reason"], "Not in our area");
}

#[tokio::test]
async fn a_person_changes_their_password() {
    let server = Server::start().await;
    let op = server.operator(&format!("Op {}", unique())).await;
    let staff = server.person(&op, AccountRole::OperatorStaff).await;
    let mut b = server.browser();
    b.login(&staff, PASSWORD).await;
    let mut other_device = server.browser();
    other_device.login(&staff, PASSWORD).await;

    let form = b.get("/account/password").await;
    form.expect(200).shows("<label for=\"current_password\">Current password</label>");
    let csrf = form.csrf();
    let new = "a much longer new secret";
    let wrong = b
        .post(
            "/account/password",
            &[("csrf", &csrf), ("current_password", "nope"), ("new_password", new), ("new_password_again", new)],
        )
        .await;
    wrong.expect(400).shows("id=\"current_password-error\"").shows("the current password is wrong");
    let differ = b
        .post(
            "/account/password",
            &[("csrf", &csrf), ("current_password", PASSWORD), ("new_password", new), ("new_password_again", "x")],
        )
        .await;
    differ.expect(400).shows("id=\"new_password_again-error\"");
    let short = b
        .post(
            "/account/password",
            &[
                ("csrf", &csrf),
                ("current_password", PASSWORD),
                ("new_password", "short"),
                ("new_password_again", "short"),
            ],
        )
        .await;
    short.expect(400).shows("id=\"new_password-error\"");

    let old_secret = b.cookies["joule_session"].clone();
    let done = b
        .post(
            "/account/password",
            &[("csrf", &csrf), ("current_password", PASSWORD), ("new_password", new), ("new_password_again", new)],
        )
        .await;
    done.redirects_to("/account");
    assert_ne!(b.cookies["joule_session"], old_secret, "a new session for this browser");
    b.get("/account").await.expect(200).shows("Your password is changed.");
    // Every other session ended.
    other_device.get("/portal").await.redirects_to("/login?next=%2Fportal");
    let mut c = server.browser();
    c.login(&staff, PASSWORD).await.expect(401);
    c.login(&staff, new).await.redirects_to("/");
}

#[tokio::test]
async fn live_events_stream_through_the_portal_for_the_persons_operator_only() {
    let server = Server::start().await;
    let op = server.operator(&format!("Op {}", unique())).await;
    let other = server.operator(&format!("Other {}", unique())).await;
    let staff = server.person(&op, AccountRole::OperatorStaff).await;
    let mut b = server.browser();
    b.login(&staff, PASSWORD).await;

    // Without a session the stream is refused, as the API refuses it.
    let anonymous = server.browser().get("/portal/events").await;
    assert_eq!(anonymous.status, 401);

    let cookie = format!("joule_session={}", b.cookies["joule_session"]);
    let url = format!("http://{}/portal/events", server.addr);
    let mut response = b.http.get(url).header("cookie", cookie).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    // Another operator's station first, then ours: the stream carries ours and never the other one.
    let _theirs = server.station(&other, "THEIRS-EV").await;
    let _ours = server.station(&op, "OURS-EV").await;
    let mut seen = String::new();
    while !seen.contains("\"station_id\":\"OURS-EV\"") || !seen.contains("event: status") {
        let chunk = response.chunk().await.unwrap().expect("the stream stays open");
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(seen.contains("event: connected"), "{seen}");
    assert!(!seen.contains("THEIRS-EV"), "{seen}");
}

#[tokio::test]
async fn a_platform_admin_chooses_the_operator_to_act_for() {
    let server = Server::start().await;
    let op = server.operator(&format!("Op {}", unique())).await;
    server.register(&op, "ADMIN-SEES-1", StationState::Active).await;
    let root = server.platform_admin().await;
    let mut b = server.browser();
    b.login(&root, PASSWORD).await.redirects_to("/");
    b.get("/").await.redirects_to("/portal");
    // The API wants to know the operator: the page asks.
    b.get("/portal").await.expect(400).shows("Choose an operator").shows("<label for=\"operator\">Operator id</label>");
    b.get("/portal?operator=abc").await.expect(400).shows("is not an operator id");
    // An operator that does not exist: the API's 404.
    b.get("/portal?operator=999999").await.redirects_to("/portal");
    b.get("/portal").await.expect(404);
    b.get(&format!("/portal?operator={}", op.id.0)).await.redirects_to("/portal");
    b.get("/portal").await.expect(200).shows("<h1>Dashboard</h1>");
    b.get("/portal/stations").await.expect(200).shows("ADMIN-SEES-1");
    // Staff cannot use the cookie to look at another operator: the API ignores it for them.
    let other = server.operator(&format!("Other {}", unique())).await;
    let staff = server.person(&other, AccountRole::OperatorStaff).await;
    let mut s = server.browser();
    s.login(&staff, PASSWORD).await;
    s.cookies.insert("joule_operator".into(), op.id.0.to_string());
    let list = s.get("/portal/stations").await;
    list.expect(200);
    assert!(!list.body.contains("ADMIN-SEES-1"));
}

/// The id in a `Location: /portal/drivers/{id}`.
fn driver_id(page: &Page) -> i64 {
    let location = page.location.as_deref().expect("a redirect");
    location.strip_prefix("/portal/drivers/").and_then(|id| id.parse().ok()).expect("a driver's page")
}

#[tokio::test]
async fn drivers_tokens_and_groups_are_managed_through_the_forms() {
    let server = Server::start().await;
    let op = server.operator(&format!("Op {}", unique())).await;
    let staff = server.person(&op, AccountRole::OperatorStaff).await;
    let mut b = server.browser();
    b.login(&staff, PASSWORD).await;
    let csrf = b.get("/portal/drivers").await.expect(200).shows("0 of 0 drivers").csrf();

    b.post("/portal/groups", &[("csrf", &csrf), ("name", "Night shift")]).await.redirects_to("/portal/drivers");
    let (_, groups) = b.api("GET", &format!("/api/v1/operators/{}/groups", op.id.0), None).await;
    let group = groups[0]["id"].as_i64().unwrap();
    // A group name given twice: the API's 409, shown atop the form with the name kept.
    let again = b.post("/portal/groups", &[("csrf", &csrf), ("name", "Night shift")]).await;
    again
        .expect(400)
        .shows("already exists")
        .shows("role=\"alert\"")
        .shows("name=\"name\" required maxlength=\"64\" value=\"Night shift\"");

    let added =
        b.post("/portal/drivers", &[("csrf", &csrf), ("name", "Ada Lovelace"), ("email", "ada@example.com")]).await;
    let id = driver_id(&added);
    b.post("/portal/drivers", &[("csrf", &csrf), ("name", "Bad Mail"), ("email", "not-an-address")])
        .await
        .expect(400)
        .shows("email: ")
        .shows("value=\"not-an-address\"");
    let page = b.get(&format!("/portal/drivers/{id}")).await;
    page.expect(200).shows("<h1>Ada Lovelace</h1>").shows("No tokens: the driver cannot charge yet.");

    // A new tag is registered (valid through the day entered) and given to the driver.
    let path = format!("/portal/drivers/{id}/add-token");
    let given =
        b.post(&path, &[("csrf", &csrf), ("tag", "CARD-0001"), ("expires", "2027-03-31"), ("parent", "")]).await;
    given.redirects_to(&format!("/portal/drivers/{id}"));
    let (status, token) = b.api("GET", "/api/v1/id-tokens/CARD-0001", None).await;
    assert_eq!(status, 200);
    assert_eq!(token["expires_at"], "2027-04-01T00:00:00Z");
    let (_, driver) = b.api("GET", &format!("/api/v1/operators/{}/drivers/{id}", op.id.0), None).await;
    assert_eq!(driver["tokens"][0]["tag"], "CARD-0001");
    // A tag that is too long: refused, and nothing registered.
    let long = b.post(&path, &[("csrf", &csrf), ("tag", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789A")]).await;
    long.expect(400).shows("tag: ");

    // Groups: the checked ones, joined and left as differences.
    let groups_path = format!("/portal/drivers/{id}/groups");
    let group_field = group.to_string();
    b.post(&groups_path, &[("csrf", &csrf), ("group", &group_field)])
        .await
        .redirects_to(&format!("/portal/drivers/{id}"));
    let (_, members) = b.api("GET", &format!("/api/v1/operators/{}/groups/{group}/members", op.id.0), None).await;
    assert_eq!(members[0]["name"], "Ada Lovelace");
    let by_group = b.get(&format!("/portal/drivers?group={group}")).await;
    by_group.expect(200).shows("1 of 1 drivers").shows("Ada Lovelace");
    b.get("/portal/drivers?q=nobody").await.expect(200).shows("0 of 1 drivers");

    // The tokens page: block and unblock, as stations will be answered.
    b.get("/portal/tokens").await.expect(200).shows("CARD-0001").shows(">active<");
    b.post("/portal/tokens/CARD-0001/block", &[("csrf", &csrf)]).await.redirects_to("/portal/tokens");
    assert_eq!(b.api("GET", "/api/v1/id-tokens/CARD-0001", None).await.1["blocked"], true);
    b.get("/portal/tokens").await.shows(">blocked<");
    b.post("/portal/tokens/CARD-0001/unblock", &[("csrf", &csrf)]).await.redirects_to("/portal/tokens");
    let (_, token) = b.api("GET", "/api/v1/id-tokens/CARD-0001", None).await;
    assert_eq!((token["blocked"].as_bool(), token["expires_at"].as_str()), (Some(false), Some("2027-04-01T00:00:00Z")));
    // A tag with a space and a slash travels as one path segment.
    b.post("/portal/tokens", &[("csrf", &csrf), ("tag", "A B/C"), ("parent", ""), ("expires", "")])
        .await
        .redirects_to("/portal/tokens");
    b.post("/portal/tokens/A%20B%2FC/delete", &[("csrf", &csrf)]).await.redirects_to("/portal/tokens");
    assert_eq!(b.api("GET", "/api/v1/id-tokens/A%20B%2FC", None).await.0, 404);

    // Another operator's staff does not see the driver.
    let other = server.operator(&format!("Other {}", unique())).await;
    let stranger = server.person(&other, AccountRole::OperatorStaff).await;
    let mut s = server.browser();
    s.login(&stranger, PASSWORD).await;
    s.get(&format!("/portal/drivers/{id}")).await.expect(404);

    // Unlink, then delete: the token stays registered.
    b.post(&format!("/portal/drivers/{id}/unlink"), &[("csrf", &csrf), ("tag", "CARD-0001")])
        .await
        .redirects_to(&format!("/portal/drivers/{id}"));
    b.post(&format!("/portal/drivers/{id}/delete"), &[("csrf", &csrf)]).await.redirects_to("/portal/drivers");
    assert_eq!(b.api("GET", "/api/v1/id-tokens/CARD-0001", None).await.0, 200);
    b.get(&format!("/portal/drivers/{id}")).await.expect(404);
}

#[tokio::test]
async fn a_csv_import_is_checked_first_then_imported_with_its_report() {
    let server = Server::start().await;
    let op = server.operator(&format!("Op {}", unique())).await;
    let staff = server.person(&op, AccountRole::OperatorStaff).await;
    let mut b = server.browser();
    b.login(&staff, PASSWORD).await;
    let csrf = b.get("/portal/tokens/import").await.expect(200).csrf();
    let csv = "id_tag,driver_name,groups,expires_at\n\
               RFID-1,Grace Hopper,Fleet;Night,\n\
               RFID-2,Grace Hopper,Fleet,2027-01-01T00:00:00Z\n\
               RFID-3,Alan Turing,,yesterday\n";

    let checked = b.post("/portal/tokens/import", &[("csrf", &csrf), ("mode", "check"), ("csv", csv)]).await;
    checked.expect(200).shows("Check: what an import would do").shows("Rejected lines");
    checked.shows("<td>4</td><td class=\"mono\">expires_at</td>").shows("New groups: Fleet, Night");
    checked.shows("Import 2 tokens (without the rejected lines)");
    assert_eq!(b.api("GET", "/api/v1/id-tokens", None).await.1, json!([]), "a check writes nothing");

    let imported = b.post("/portal/tokens/import", &[("csrf", &csrf), ("mode", "import"), ("csv", csv)]).await;
    imported.expect(200).shows("<h2 id=\"report-h\">Imported</h2>");
    let (_, tokens) = b.api("GET", "/api/v1/id-tokens", None).await;
    let tags: Vec<&str> = tokens.as_array().unwrap().iter().map(|t| t["tag"].as_str().unwrap()).collect();
    assert_eq!(tags, ["RFID-1", "RFID-2"]);
    let (_, drivers) = b.api("GET", &format!("/api/v1/operators/{}/drivers", op.id.0), None).await;
    assert_eq!(drivers[0]["name"], "Grace Hopper");
    assert_eq!(drivers[0]["groups"].as_array().unwrap().len(), 2);

    // The same file again changes nothing: no import button after the check.
    let again = b.post("/portal/tokens/import", &[("csrf", &csrf), ("mode", "check"), ("csv", csv)]).await;
    again.expect(200);
    assert!(!again.body.contains("name=\"mode\" value=\"import\""), "{}", again.body);
    // A file the API cannot read at all: its problem, with the text kept.
    let bad = b.post("/portal/tokens/import", &[("csrf", &csrf), ("mode", "check"), ("csv", "tag,name\nX,Y\n")]).await;
    bad.expect(400).shows("role=\"alert\"").shows("tag,name");
}

#[tokio::test]
async fn access_rules_and_times_are_edited_and_checked() {
    let server = Server::start().await;
    let op = server.operator(&format!("Op {}", unique())).await;
    let staff = server.person(&op, AccountRole::OperatorStaff).await;
    let _st = server.station(&op, "ACC-1").await;
    let mut b = server.browser();
    b.login(&staff, PASSWORD).await;
    let ops = format!("/api/v1/operators/{}", op.id.0);
    let (_, group) = b.api("POST", &format!("{ops}/groups"), Some(json!({ "name": "Staff" }))).await;
    let (_, driver) = b.api("POST", &format!("{ops}/drivers"), Some(json!({ "name": "Linus" }))).await;
    let (group, driver) = (group["id"].as_i64().unwrap(), driver["id"].as_i64().unwrap());
    b.api("POST", "/api/v1/id-tokens", Some(json!({ "tag": "MEMBER-1" }))).await;
    b.api("PUT", &format!("{ops}/drivers/{driver}/tokens/MEMBER-1"), None).await;
    b.api("PUT", &format!("{ops}/groups/{group}/members/{driver}"), None).await;

    let page = b.get("/portal/stations/ACC-1/access").await;
    page.expect(200)
        .shows("value=\"public\" checked")
        .shows("<th scope=\"row\">1<input type=\"hidden\" name=\"connector\"");
    let csrf = page.csrf();
    let group_field = group.to_string();
    let save = |times: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("mode", "limited".to_string()),
            ("group", group_field.clone()),
            ("authorization_required", "on".to_string()),
            ("available_times", times.to_string()),
            ("connector", "1".to_string()),
            ("c1_mode", String::new()),
            ("c1_auth", "required".to_string()),
        ]
    };
    let fields = save("mon 25:00-26:00");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = b.post("/portal/stations/ACC-1/access", &fields).await;
    refused
        .expect(400)
        .shows("available_times: ")
        .shows("value=\"mon 25:00-26:00\"")
        .shows("value=\"limited\" checked");

    let fields = save("mon-fri 07:00-19:00");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    b.post("/portal/stations/ACC-1/access", &fields).await.redirects_to("/portal/stations/ACC-1/access");
    let (_, rules) = b.api("GET", "/api/v1/stations/ACC-1/access", None).await;
    assert_eq!(rules["mode"], "limited");
    assert_eq!(rules["groups"], json!([group]));
    assert_eq!(rules["available_times"], "mon-fri 07:00-19:00");
    assert_eq!(
        rules["connectors"],
        json!([{ "connector_id": 1, "mode": null, "drivers": [], "groups": [],
        "authorization_required": true }])
    );

    // The check, in the station's local time: a Monday morning yes, a Sunday no.
    let zone = rules["time_zone"].as_str().unwrap().to_string();
    let check = |at: &str| format!("/portal/stations/ACC-1/access?zone={zone}&id_tag=MEMBER-1&connector=1&at={at}");
    let monday = b.get(&check("2026-11-23T08:00")).await;
    monday.expect(200).shows(">Allowed</span>").shows("<strong>Accepted</strong>");
    let sunday = b.get(&check("2026-11-22T08:00")).await;
    sunday.expect(200).shows(">Refused</span>");
    let stranger = b.get(&format!("/portal/stations/ACC-1/access?zone={zone}&id_tag=NOBODY")).await;
    stranger.expect(200).shows(">Refused</span>").shows("<strong>Invalid</strong>");

    // The local list's state, and a sync asked of a station that is not connected: the API's reason.
    server.register(&op, "ACC-OFF", StationState::Active).await;
    let page = b.get("/portal/stations/ACC-OFF/access").await;
    page.expect(200).shows("Local authorization list").shows(">unknown</span>").shows("(offline)");
    let synced = b.post("/portal/stations/ACC-OFF/local-list", &[("csrf", &csrf)]).await;
    synced.redirects_to("/portal/stations/ACC-OFF/access#local-list-h");
    b.get("/portal/stations/ACC-OFF/access").await.shows("Local list not synced: ");
}

#[tokio::test]
async fn the_default_configuration_is_edited_in_the_settings() {
    let server = Server::start().await;
    let op = server.operator(&format!("Op {}", unique())).await;
    let staff = server.person(&op, AccountRole::OperatorStaff).await;
    let mut b = server.browser();
    b.login(&staff, PASSWORD).await;
    let csrf = b.get("/portal/settings").await.expect(200).shows("Default configuration").csrf();
    let rows = [
        ("csrf", csrf.as_str()),
        ("key", "HeartbeatInterval"),
        ("value", "300"),
        ("key", ""),
        ("value", "ignored"),
        ("key", "MeterValueSampleInterval"),
        ("value", "60"),
    ];
    b.post("/portal/settings/defaults", &rows).await.redirects_to("/portal/settings");
    let (_, defaults) = b.api("GET", &format!("/api/v1/operators/{}/defaults", op.id.0), None).await;
    assert_eq!(
        defaults,
        json!([{ "key": "HeartbeatInterval", "value": "300" }, { "key": "MeterValueSampleInterval", "value": "60" }])
    );
    b.get("/portal/settings").await.shows("value=\"HeartbeatInterval\"").shows("value=\"300\"");
    // A key given twice: the API names the row, nothing changes.
    let twice = [("csrf", csrf.as_str()), ("key", "A"), ("value", "1"), ("key", "A"), ("value", "2")];
    b.post("/portal/settings/defaults", &twice).await.expect(400).shows("[1].key: A is given twice");
    let (_, after) = b.api("GET", &format!("/api/v1/operators/{}/defaults", op.id.0), None).await;
    assert_eq!(after, defaults);
}

#[tokio::test]
async fn an_owners_page_shows_the_months_sessions_energy_and_the_15_minute_csv() {
    let server = Server::start().await;
    let op = server.operator(&format!("Owner energy {}", unique())).await;
    let owner = server.person(&op, AccountRole::Owner).await;
    let other = server.person(&op, AccountRole::Owner).await;
    let account = server.store.account_by_email(&Email::parse(&owner).unwrap()).await.unwrap().unwrap().0;
    let mut st = server.station(&op, "OWNED-1").await;
    server.store.set_station_owner(&StationId::parse("OWNED-1").unwrap(), Some(account.id)).await.unwrap();

    // 3 Nov 2026, 08:00-09:05 UTC (the operator's zone is UTC), 12,345 Wh: 12.35 kWh.
    let start =
        json!({"connectorId": 1, "idTag": "04A2B3C4D5E61234", "meterStart": 1000, "timestamp": "2026-11-03T08:00:00Z"});
    let tx = st.call("StartTransaction", start).await.unwrap().expect_result()["transactionId"].as_i64().unwrap();
    let stop = json!({"transactionId": tx, "meterStop": 13_345, "timestamp": "2026-11-03T09:05:00Z"});
    st.call("StopTransaction", stop).await.unwrap().expect_result();

    let mut o = server.browser();
    o.login(&owner, PASSWORD).await;
    let page = o.get("/owner?month=2026-11").await;
    page.expect(200)
        .shows("Sessions and energy")
        .shows("<label for=\"month\">Month</label>")
        .shows("type=\"month\" value=\"2026-11\"")
        .shows("<th scope=\"row\">OWNED-1</th>")
        .shows("<td>12.35</td>")
        .shows("2026-11-03 08:00 UTC")
        .shows("1 h 05 min")
        .shows("••••1234")
        .shows("href=\"/owner/stations/OWNED-1/intervals.csv?month=2026-11\"");
    assert!(!page.body.contains("04A2B3C4D5E61234"), "the driver's full tag is not shown");
    // Another month: the station with nothing in it.
    let october = o.get("/owner?month=2026-10").await;
    october.expect(200).shows("No sessions in 2026-10.");
    assert!(!october.body.contains("12.35"));
    o.get("/owner?month=November").await.expect(400).shows("is not a month");

    // The station's 15-minute CSV for the month: 30 days of 96 quarter hours, in the API's columns.
    let csv = o.get("/owner/stations/OWNED-1/intervals.csv?month=2026-11").await;
    csv.expect(200);
    let mut lines = csv.body.lines();
    assert_eq!(lines.next(), Some("station_id,connector_id,interval_start,interval_end,energy_wh,quality"));
    assert_eq!(lines.count(), 30 * 96);
    o.get("/owner/stations/OWNED-1/intervals.csv?month=2026-13").await.expect(400);

    // Another owner sees neither the session nor the station's CSV.
    let mut b = server.browser();
    b.login(&other, PASSWORD).await;
    let theirs = b.get("/owner?month=2026-11").await;
    theirs.expect(200);
    assert!(!theirs.body.contains("OWNED-1"), "{}", theirs.body);
    b.get("/owner/stations/OWNED-1/intervals.csv?month=2026-11").await.expect(403);
}
