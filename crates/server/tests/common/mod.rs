//! A real server on a free port, on a fresh SQLite database, and stations that talk to it over real sockets.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use joule_core::station::StationState;
use joule_core::{OperatorKey, StationId};
use joule_server::{Server, Settings};
use joule_sim::client::{ConnectOptions, StationClient};
use joule_store::{NewStation, Operator, Store};
use serde_json::{Value, json};
use tokio::sync::oneshot;

pub struct TestServer {
    pub app: Server,
    pub store: Arc<dyn Store>,
    pub addr: std::net::SocketAddr,
    pub dir: PathBuf,
    stop: Option<oneshot::Sender<()>>,
    serving: Option<tokio::task::JoinHandle<()>>,
}

impl TestServer {
    pub async fn start() -> TestServer {
        TestServer::start_with(|_| {}).await
    }

    pub async fn start_with(configure: impl FnOnce(&mut Settings)) -> TestServer {
        let dir = std::env::temp_dir().join(format!("joule-test-{}", uuid_like()));
        std::fs::create_dir_all(&dir).unwrap();
        let store: Arc<dyn Store> =
            Arc::new(joule_store_sqlite::SqliteStore::open(&dir.join("joule.db"), Default::default()).await.unwrap());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut settings = Settings { listen: addr, data_dir: dir.clone(), ..Settings::default() };
        configure(&mut settings);
        let app = Server::new(store.clone(), settings);
        let (stop, stopped) = oneshot::channel::<()>();
        let server = app.clone();
        let serving = tokio::spawn(async move {
            server
                .serve(listener, async {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
        });
        TestServer { app, store, addr, dir, stop: Some(stop), serving: Some(serving) }
    }

    /// Stops the server as a signal would, and waits until it has finished (its store is closed then).
    pub async fn shut_down(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(serving) = self.serving.take() {
            serving.await.unwrap();
        }
    }

    pub async fn operator(&self, name: &str) -> Operator {
        let key = OperatorKey::parse(&format!("key-{}", name.to_lowercase().replace(' ', "-"))).unwrap();
        self.store.create_operator(name, &key).await.unwrap()
    }

    pub fn url(&self, key: &str, station: &str) -> String {
        format!("ws://{}/ocpp/{key}/{station}", self.addr)
    }

    pub async fn connect(&self, op: &Operator, station: &str) -> StationClient {
        StationClient::connect(&self.url(op.key.as_str(), station), ConnectOptions::default()).await.unwrap()
    }

    /// Registers an active station.
    pub async fn active_station(&self, op: &Operator, id: &str) -> StationId {
        let id = StationId::parse(id).unwrap();
        self.store
            .register_station(NewStation {
                id: id.clone(),
                operator_id: op.id,
                state: StationState::Active,
                free_vend: false,
                password_hash: None,
                created_at: chrono::Utc::now(),
            })
            .await
            .unwrap();
        id
    }

    /// An active station, connected and booted.
    pub async fn booted(&self, op: &Operator, id: &str) -> StationClient {
        self.active_station(op, id).await;
        let mut st = self.connect(op, id).await;
        let answer = st.call("BootNotification", boot_payload()).await.unwrap().expect_result();
        assert_eq!(answer["status"], "Accepted");
        st
    }

    /// Waits (bounded) until `check` holds; for effects that happen after an answer, such as a disconnect.
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

    pub async fn station(&self, id: &str) -> joule_core::station::Station {
        self.store.station(&StationId::parse(id).unwrap()).await.unwrap().unwrap()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub fn boot_payload() -> Value {
    json!({
        "chargePointVendor": "Joule",
        "chargePointModel": "Test-22",
        "chargePointSerialNumber": "SN-1",
        "chargeBoxSerialNumber": "BOX-1",
        "firmwareVersion": "1.2.3",
        "iccid": "8931000000000000001",
        "imsi": "204080000000001",
        "meterType": "EM-1",
        "meterSerialNumber": "MSN-1"
    })
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("{}-{nanos}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}
