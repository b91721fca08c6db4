//! The store contract on a fresh SQLite file, and what only SQLite has: the file survives a restart, WAL is
//! on, and a second process (the CLI) can write while the server does.

use std::path::PathBuf;
use std::sync::Arc;

use joule_core::{OperatorKey, StationId};
use joule_store::backend::now;
use joule_store::contract;
use joule_store::prelude::*;
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

async fn open(path: &std::path::Path) -> SqliteStore {
    SqliteStore::open(path, SqliteOptions::default()).await.expect("open store")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contract() {
    let dir = TempDir::new();
    let store = open(&dir.db()).await;
    assert_eq!(store.backend(), "sqlite");
    contract::run_all(Arc::new(store)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_and_transaction_ids_survive_a_restart() {
    let dir = TempDir::new();
    let before = contract::before_restart(&open(&dir.db()).await).await;
    contract::after_restart(&open(&dir.db()).await, &before).await;
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
                store.ensure_station(op.id, &id, now()).await.unwrap_or_else(|e| panic!("{name} {k}: {e}"));
                for n in 0..10 {
                    let started = store.start_session(&contract::session_start(&id, op.id, n)).await;
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

/// The message log lives in a file of its own next to the main one (WAL, `synchronous = NORMAL`), which
/// holds no log table; frames written there are read back, survive a restart and are purged there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_message_log_has_a_file_of_its_own() {
    use joule_store::{Direction, LoggedMessage, MessageFilter};
    let dir = TempDir::new();
    let log_path = joule_store_sqlite::message_log_path(&dir.db());
    assert_eq!(log_path, dir.db().with_file_name("joule-messages.db"));
    let station = StationId::parse("LOG-FILE-1").unwrap();
    let at = chrono::DateTime::from_timestamp_millis(1_700_000_000_000).unwrap();
    let frame = |n: i64| LoggedMessage {
        station_id: station.clone(),
        at: at + chrono::Duration::seconds(n),
        direction: Direction::In,
        message_type: 2,
        message_id: format!("m-{n}"),
        action: Some("Heartbeat".into()),
        text: format!(r#"[2,"m-{n}","Heartbeat",{{}}]"#),
    };
    let store = open(&dir.db()).await;
    store.log_messages(&[frame(0), frame(1), frame(2)]).await.expect("log");
    store.close().await;
    assert!(log_path.exists(), "{} created", log_path.display());

    let count = |path: PathBuf| async move {
        let mut conn = sqlx::sqlite::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.unwrap();
        let tables: Vec<String> =
            sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'message_log'")
                .fetch_all(&mut conn)
                .await
                .unwrap();
        let rows: Option<i64> = match tables.is_empty() {
            true => None,
            false => Some(sqlx::query_scalar("SELECT COUNT(*) FROM message_log").fetch_one(&mut conn).await.unwrap()),
        };
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut conn).await.unwrap();
        conn.close().await.unwrap();
        (rows, mode)
    };
    assert_eq!(count(dir.db()).await.0, None, "no message_log table in the main file");
    assert_eq!(count(log_path.clone()).await, (Some(3), "wal".to_string()), "the frames, in the log's file, WAL");

    let store = open(&dir.db()).await;
    let all = MessageFilter { station_id: Some(station.clone()), ..Default::default() };
    assert_eq!(store.messages(&all).await.unwrap(), vec![frame(0), frame(1), frame(2)], "read after a restart");
    assert_eq!(store.purge_messages(at + chrono::Duration::seconds(2)).await.unwrap(), 2);
    assert_eq!(store.messages(&all).await.unwrap(), vec![frame(2)]);
    store.close().await;
    assert_eq!(count(log_path).await.0, Some(1), "purged in the log's file");
}

/// A database from before migration 0016 has readings and no summaries: the migration marks the backfill as
/// pending, and opening the store builds them. Simulated by emptying the summaries and setting the mark
/// again with a second connection, as the migration leaves them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opening_after_the_migration_builds_the_summaries_of_older_readings() {
    use joule_core::meter::{MeterSample, RawSample};
    use joule_store::MeterBatch;

    let dir = TempDir::new();
    let station = StationId::parse("BACKFILL-1").unwrap();
    let t0 = chrono::DateTime::parse_from_rfc3339("2026-06-01T00:00:00Z").unwrap().to_utc();
    let want = {
        let store = open(&dir.db()).await;
        let op = store.create_operator("Backfill", &OperatorKey::parse("backfill").unwrap()).await.unwrap();
        let new = joule_store::NewStation {
            id: station.clone(),
            operator_id: op.id,
            state: joule_core::station::StationState::Active,
            free_vend: false,
            password_hash: None,
            created_at: now(),
        };
        store.register_station(new).await.unwrap();
        for connector in [0, 2] {
            let samples = (0..500)
                .map(|k| {
                    let v = format!("{}", 1_000 + k * 7 + connector);
                    MeterSample::from_raw(
                        t0 + chrono::Duration::seconds(k * 290),
                        RawSample { value: &v, ..Default::default() },
                    )
                })
                .collect();
            let batch = MeterBatch {
                station_id: station.clone(),
                connector_id: connector as u32,
                transaction_id: None,
                samples,
            };
            store.add_meter_values(&batch).await.unwrap();
        }
        let want = (
            store.energy_quarters(&station, 0, 0, 100_000).await.unwrap(),
            store.energy_quarters(&station, 2, 0, 100_000).await.unwrap(),
        );
        assert!(want.0.len() > 100 && want.1.len() > 100);
        store.close().await;
        want
    };
    {
        let url = format!("sqlite://{}", dir.db().display());
        let mut conn = sqlx::sqlite::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query("DELETE FROM meter_quarter_days").execute(&mut conn).await.unwrap();
        sqlx::query("INSERT INTO meter_quarter_backfill (pending) VALUES (1)").execute(&mut conn).await.unwrap();
        conn.close().await.unwrap();
    }
    let store = open(&dir.db()).await;
    assert_eq!(store.energy_quarters(&station, 0, 0, 100_000).await.unwrap(), want.0, "connector 0 rebuilt");
    assert_eq!(store.energy_quarters(&station, 2, 0, 100_000).await.unwrap(), want.1, "connector 2 rebuilt");
    store.close().await;
    // Done once: the mark is gone.
    let url = format!("sqlite://{}", dir.db().display());
    let mut conn = sqlx::sqlite::SqliteConnection::connect(&url).await.unwrap();
    let left: i64 =
        sqlx::query("SELECT COUNT(*) FROM meter_quarter_backfill").fetch_one(&mut conn).await.unwrap().get(0);
    assert_eq!(left, 0);
}
