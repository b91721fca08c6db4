//! The store contract on a fresh SQLite file, and what only SQLite has: the file survives a restart, WAL is
//! on, and a second process (the CLI) can write while the server does.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use joule_core::auth::AuthorizationStatus;
use joule_core::session::SessionStart;
use joule_core::station::StationState;
use joule_core::{IdTag, OperatorKey, StationId, Timestamp};
use joule_store::{NewStation, Store};
use joule_store_sqlite::{SqliteOptions, SqliteStore};
use sqlx::{Connection, Row};

/// A directory of its own under the system temp dir, removed when the test ends (passing or not).
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        use std::hash::{BuildHasher, RandomState};
        let random = RandomState::new().hash_one((std::process::id(), std::time::SystemTime::now()));
        TempDir(std::env::temp_dir().join(format!("joule-store-test-{random:016x}")))
    }

    fn db(&self) -> PathBuf {
        // A directory that does not exist yet: open creates it.
        self.0.join("data").join("joule.db")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn t(secs: i64) -> Timestamp {
    Utc.timestamp_opt(1_767_225_600 + secs, 0).single().expect("valid instant")
}

async fn open(path: &std::path::Path) -> SqliteStore {
    SqliteStore::open(path, SqliteOptions::default()).await.expect("open store")
}

fn start(station: &StationId, operator: joule_core::OperatorId, n: i64) -> SessionStart {
    SessionStart {
        station_id: station.clone(),
        operator_id: operator,
        connector_id: 1,
        id_tag: IdTag::parse("TAG").unwrap(),
        meter_start_wh: n,
        started_at: t(n),
        reservation_id: None,
        authorization: AuthorizationStatus::Accepted,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contract() {
    let dir = TempDir::new();
    let store = open(&dir.db()).await;
    assert_eq!(store.backend(), "sqlite");
    joule_store::contract::run_all(Arc::new(store)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_and_transaction_ids_survive_a_restart() {
    let dir = TempDir::new();
    let station = StationId::parse("RS-1").unwrap();
    let (operator, before) = {
        let store = open(&dir.db()).await;
        let op = store.create_operator("Restart Op", &OperatorKey::parse("restart-op").unwrap()).await.unwrap();
        let new = NewStation {
            id: station.clone(),
            operator_id: op.id,
            state: StationState::Active,
            free_vend: false,
            password_hash: None,
            created_at: t(0),
        };
        store.register_station(new).await.unwrap();
        let mut ids = Vec::new();
        for n in 0..3 {
            ids.push(store.start_session(&start(&station, op.id, n)).await.unwrap().session.id);
        }
        store.close().await;
        (op, ids)
    };
    let store = open(&dir.db()).await;
    assert_eq!(store.operator(operator.id).await.unwrap(), Some(operator.clone()));
    assert_eq!(store.station(&station).await.unwrap().map(|s| s.state), Some(StationState::Active));
    // A start received again after the restart is still recognised.
    let again = store.start_session(&start(&station, operator.id, 1)).await.unwrap();
    assert_eq!((again.created, again.session.id), (false, before[1]));
    let next = store.start_session(&start(&station, operator.id, 3)).await.unwrap();
    assert!(next.created);
    assert!(
        before.iter().all(|id| next.session.id > *id),
        "ids keep increasing after a restart: {before:?} then {}",
        next.session.id
    );
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wal_mode_is_on() {
    let dir = TempDir::new();
    let store = open(&dir.db()).await;
    let url = format!("sqlite://{}", dir.db().display());
    let mut conn = sqlx::sqlite::SqliteConnection::connect(&url).await.unwrap();
    let mode: String = sqlx::query("PRAGMA journal_mode").fetch_one(&mut conn).await.unwrap().get(0);
    assert_eq!(mode, "wal");
    conn.close().await.unwrap();
    store.close().await;
}

/// The CLI opens the same file while the server runs; both write at once, and nothing fails.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_write_to_one_file() {
    let dir = TempDir::new();
    let server = Arc::new(open(&dir.db()).await);
    let cli = Arc::new(open(&dir.db()).await);
    let op = server.create_operator("Shared Op", &OperatorKey::parse("shared-op").unwrap()).await.unwrap();
    let mut tasks = Vec::new();
    for (name, store) in [("server", server.clone()), ("cli", cli.clone())] {
        for k in 0..10 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let id = StationId::parse(&format!("{name}-{k}")).unwrap();
                store.ensure_station(op.id, &id, t(k)).await.unwrap_or_else(|e| panic!("{name} {k}: {e}"));
                for n in 0..10 {
                    let started = store.start_session(&start(&id, op.id, n)).await;
                    assert!(started.unwrap_or_else(|e| panic!("{name} {k}: {e}")).created);
                }
            }));
        }
    }
    for task in tasks {
        task.await.unwrap();
    }
    let sessions = server.list_sessions(&Default::default()).await.unwrap();
    assert_eq!(sessions.len(), 200);
    let ids: std::collections::HashSet<_> = sessions.iter().map(|s| s.id).collect();
    assert_eq!(ids.len(), 200, "transaction ids are unique across processes");
    server.close().await;
    cli.close().await;
}
