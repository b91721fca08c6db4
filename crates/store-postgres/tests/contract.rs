//! The store contract on PostgreSQL, each test in a database of its own.
//!
//! Set `JOULE_TEST_DATABASE_URL` to an account that may create databases, e.g.
//! `postgres://postgres@127.0.0.1:5432/test`. Without it the tests say they are skipped and pass; with it
//! set but the server unreachable they fail, because whoever set it (CI) meant them to run.

use std::future::Future;
use std::sync::Arc;

use joule_core::{OperatorKey, StationId};
use joule_store::backend::now;
use joule_store::contract;
use joule_store::prelude::*;
use joule_store_postgres::{PgOptions, PgStore};
use sqlx::{AssertSqlSafe, Connection, PgConnection};

const ENV: &str = "JOULE_TEST_DATABASE_URL";

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let server = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{server}/{name}?{query}"),
        None => format!("{server}/{name}"),
    }
}

fn random_name() -> String {
    use std::hash::{BuildHasher, RandomState};
    let random = RandomState::new().hash_one((std::process::id(), std::time::SystemTime::now()));
    format!("joule_test_{random:016x}")
}

/// Runs `test` with the URL of a new, empty database, and drops the database afterwards, also when the
/// test panics.
async fn in_new_database<F, Fut>(test: F)
where
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Ok(admin_url) = std::env::var(ENV) else {
        println!("skipped: {ENV} not set (no PostgreSQL)");
        return;
    };
    let name = random_name();
    let mut admin = PgConnection::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("{ENV} is set but PostgreSQL does not answer: {e}"));
    // The name is ours (hex digits), not input, so formatting it into the statement is safe.
    sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut admin).await.expect("create database");
    let outcome = tokio::spawn(test(with_database(&admin_url, &name))).await;
    let dropped =
        sqlx::raw_sql(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))).execute(&mut admin).await;
    let _ = admin.close().await;
    if let Err(e) = outcome {
        match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("test task failed: {e}"),
        }
    }
    dropped.expect("drop test database");
}

async fn connect(url: &str) -> PgStore {
    PgStore::connect(url, PgOptions::default()).await.expect("connect store")
}

#[test]
fn database_names_are_replaced() {
    assert_eq!(with_database("postgres://u@h:5432/test", "x"), "postgres://u@h:5432/x");
    assert_eq!(with_database("postgres://u:p@h/test?sslmode=disable", "x"), "postgres://u:p@h/x?sslmode=disable");
    assert_eq!(with_database("postgres://h", "x"), "postgres://h/x");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contract() {
    in_new_database(|url| async move {
        let store = connect(&url).await;
        assert_eq!(store.backend(), "postgres");
        contract::run_all(Arc::new(store)).await;
    })
    .await;
}

/// A server restart (or a second server): migrations run again harmlessly, and the data is there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_and_transaction_ids_survive_a_restart() {
    in_new_database(|url| async move {
        let before = contract::before_restart(&connect(&url).await).await;
        contract::after_restart(&connect(&url).await, &before).await;
    })
    .await;
}

/// Two servers on one database start the same sessions at once: each natural key gets one session.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_start_the_same_sessions() {
    in_new_database(|url| async move {
        let a = Arc::new(connect(&url).await);
        let b = Arc::new(connect(&url).await);
        let op = a.create_operator("Shared Op", &OperatorKey::parse("shared-op").unwrap()).await.unwrap();
        let station = StationId::parse("SH-1").unwrap();
        a.ensure_station(op.id, &station, now()).await.unwrap();
        let mut tasks = Vec::new();
        for store in [a.clone(), b.clone()] {
            for n in 0..50 {
                let store = store.clone();
                let start = contract::session_start(&station, op.id, n);
                tasks.push(tokio::spawn(async move { store.start_session(&start).await.expect("start") }));
            }
        }
        let mut created = 0;
        let mut ids = std::collections::HashMap::new();
        for task in tasks {
            let outcome = task.await.unwrap();
            created += usize::from(outcome.created);
            let id = *ids.entry(outcome.session.meter_start_wh).or_insert(outcome.session.id);
            assert_eq!(id, outcome.session.id, "one id per natural key");
        }
        assert_eq!((created, ids.len()), (50, 50));
        a.close().await;
        b.close().await;
    })
    .await;
}
