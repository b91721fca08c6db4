//! A real server (OCPP gateway and REST API) on a free port and a fresh SQLite database; an HTTP client
//! with a token; stations that talk to it over real sockets.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use joule_core::station::StationState;
use joule_core::{OperatorKey, Role, StationId};
use joule_server::{Server, Settings};
use joule_sim::client::{ConnectOptions, StationClient};
use joule_store::{NewApiToken, NewStation, Operator, Store};
use serde_json::{Value, json};
use tokio::sync::oneshot;

pub struct TestApi {
    pub app: Server,
    pub store: Arc<dyn Store>,
    pub addr: std::net::SocketAddr,
    pub http: reqwest::Client,
    dir: PathBuf,
    stop: Option<oneshot::Sender<()>>,
}

/// An answer: status and JSON body (Null when the body is empty or not JSON).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub body: Value,
}

impl Answer {
    /// Asserts the status and returns the body.
    #[track_caller]
    pub fn expect(self, status: u16) -> Value {
        assert_eq!(self.status, status, "unexpected answer: {}", self.body);
        self.body
    }

    /// Asserts a problem document of this status and type slug, and returns it.
    #[track_caller]
    pub fn problem(self, status: u16, slug: &str) -> Value {
        assert_eq!(self.status, status, "unexpected answer: {}", self.body);
        assert_eq!(self.content_type, "application/problem+json");
        assert_eq!(self.body["type"], format!("/api/v1/docs#problem-{slug}"), "{}", self.body);
        assert_eq!(self.body["status"], status);
        assert!(self.body["title"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(self.body["detail"].as_str().is_some_and(|t| !t.is_empty()));
        self.body
    }
}

impl TestApi {
    pub async fn start() -> TestApi {
        TestApi::start_with(|_| {}).await
    }

    pub async fn start_with(configure: impl FnOnce(&mut Settings)) -> TestApi {
        let dir = std::env::temp_dir().join(format!("joule-api-test-{}", unique()));
        std::fs::create_dir_all(&dir).unwrap();
        let store: Arc<dyn Store> =
            Arc::new(joule_store_sqlite::SqliteStore::open(&dir.join("joule.db"), Default::default()).await.unwrap());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut settings = Settings { listen: addr, data_dir: dir.clone(), ..Settings::default() };
        configure(&mut settings);
        let app = Server::new(store.clone(), settings);
        let app = app.clone().with_routes(joule_api::router(app.app.clone()));
        let (stop, stopped) = oneshot::channel::<()>();
        let server = app.clone();
        tokio::spawn(async move {
            let _ = server
                .serve(listener, async {
                    let _ = stopped.await;
                })
                .await;
        });
        TestApi { app, store, addr, http: reqwest::Client::new(), dir, stop: Some(stop) }
    }

    pub async fn operator(&self, name: &str) -> Operator {
        let key = OperatorKey::parse(&format!("key-{}", name.to_lowercase().replace(' ', "-"))).unwrap();
        self.store.create_operator(name, &key).await.unwrap()
    }

    /// A new API token of `op` with `role`; returns its secret.
    pub async fn token(&self, op: &Operator, role: Role) -> String {
        let (secret, token_hash) = joule_api::auth::generate();
        let name = format!("{}-{}", role, unique());
        let new = NewApiToken { operator_id: op.id, role, name, token_hash, created_at: chrono::Utc::now() };
        self.store.create_api_token(&new).await.unwrap();
        secret
    }

    /// An account created directly in the store (approved if `approved`); returns its login session token.
    pub async fn person(
        &self,
        op: Option<&Operator>,
        role: joule_core::account::AccountRole,
        email: &str,
        approved: bool,
    ) -> (joule_core::account::Account, String) {
        let new = joule_store::NewAccount {
            email: joule_core::account::Email::parse(email).unwrap(),
            name: format!("Person {email}"),
            role,
            operator_id: op.map(|o| o.id),
            owner_kind: (role == joule_core::account::AccountRole::Owner)
                .then_some(joule_core::account::OwnerKind::Individual),
            company_number: None,
            password_hash: joule_app::accounts::password::hash(PASSWORD).unwrap(),
            created_at: chrono::Utc::now(),
        };
        let mut account = self.store.create_account(&new).await.unwrap();
        if approved {
            account = self.store.approve_account(account.id, None, chrono::Utc::now()).await.unwrap();
        }
        let answer =
            self.send("POST", "/api/v1/login", None, Some(json!({"email": email, "password": PASSWORD}))).await;
        let token = answer.expect(200)["token"].as_str().unwrap().to_string();
        (account, token)
    }

    /// Uploads a station's installation photo as `token`; answers the status.
    pub async fn put_photo(&self, token: &str, station: &str, content_type: &str, photo: Vec<u8>) -> u16 {
        let url = self.url(&format!("/api/v1/stations/{station}/installation/photo"));
        let response = self.http.put(url).bearer_auth(token).header("content-type", content_type).body(photo);
        response.send().await.unwrap().status().as_u16()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn send(&self, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> Answer {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = self.http.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let content_type =
            response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        let text = response.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Answer { status, content_type, body }
    }

    pub async fn get(&self, token: &str, path: &str) -> Answer {
        self.send("GET", path, Some(token), None).await
    }

    pub async fn post(&self, token: &str, path: &str, body: Value) -> Answer {
        self.send("POST", path, Some(token), Some(body)).await
    }

    pub async fn put(&self, token: &str, path: &str, body: Value) -> Answer {
        self.send("PUT", path, Some(token), Some(body)).await
    }

    pub async fn delete(&self, token: &str, path: &str) -> Answer {
        self.send("DELETE", path, Some(token), None).await
    }

    pub async fn register(&self, op: &Operator, id: &str, state: StationState) -> StationId {
        let id = StationId::parse(id).unwrap();
        self.store
            .register_station(NewStation {
                id: id.clone(),
                operator_id: op.id,
                state,
                free_vend: false,
                password_hash: None,
                created_at: chrono::Utc::now(),
            })
            .await
            .unwrap();
        id
    }

    pub async fn connect(&self, op: &Operator, id: &str) -> StationClient {
        let url = format!("ws://{}/ocpp/{}/{id}", self.addr, op.key);
        StationClient::connect(&url, ConnectOptions::default()).await.unwrap()
    }

    /// An active station, connected and booted.
    pub async fn booted(&self, op: &Operator, id: &str) -> StationClient {
        self.register(op, id, StationState::Active).await;
        let mut st = self.connect(op, id).await;
        let answer = st.call("BootNotification", boot_payload()).await.unwrap().expect_result();
        assert_eq!(answer["status"], "Accepted");
        st
    }

    /// Waits (bounded) until `check` holds.
    pub async fn eventually<F, Fut>(&self, what: &str, mut check: F)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        for _ in 0..200 {
            if check().await {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("timed out waiting until {what}");
    }
}

impl Drop for TestApi {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Answers the next CALL the station receives with `answer`, after checking its action; returns its payload.
pub async fn answer_next(st: &mut StationClient, action: &str, answer: Value) -> Value {
    let call = st.next_server_call(Duration::from_secs(5)).await.unwrap().expect("a CALL from Joule");
    assert_eq!(call.action, action, "payload {}", call.payload);
    st.respond(&call.id, answer).await.unwrap();
    call.payload
}

/// The password of accounts made by [`TestApi::person`].
pub const PASSWORD: &str = "correct horse battery staple";

/// The start of a landscape PNG (640 x 480), `len` bytes long: enough for the photo checks.
pub fn png(len: usize) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    b.extend_from_slice(&640u32.to_be_bytes());
    b.extend_from_slice(&480u32.to_be_bytes());
    b.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    b.resize(len, 0);
    b
}

pub fn boot_payload() -> Value {
    json!({ "chargePointVendor": "Joule", "chargePointModel": "Test-22", "firmwareVersion": "1.2.3" })
}

pub fn unique() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("{}-{nanos}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}

/// Reads server-sent events until `n` named events arrived (bounded by a timeout).
pub async fn read_events(response: reqwest::Response, n: usize) -> Vec<(String, serde_json::Value)> {
    let mut stream = response.bytes_stream();
    let mut buffer = String::new();
    let mut events = Vec::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while events.len() < n {
        let chunk = tokio::time::timeout_at(deadline, futures_util::StreamExt::next(&mut stream))
            .await
            .expect("events in time")
            .unwrap()
            .unwrap();
        buffer.push_str(std::str::from_utf8(&chunk).unwrap());
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            let name = block.lines().find_map(|l| l.strip_prefix("event: ")).map(str::to_string);
            let data = block.lines().find_map(|l| l.strip_prefix("data: ")).map(str::to_string);
            if let (Some(name), Some(data)) = (name, data) {
                events.push((name, serde_json::from_str(&data).unwrap()));
            }
        }
    }
    events
}
