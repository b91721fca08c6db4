//! A database written by an earlier release opens with today's code (its migrations run) and keeps all its
//! data, and the store then takes new writes: the PostgreSQL dumps of the fixtures in `tests/upgrade/`
//! (made by `make.sh` with the release's binary), each loaded into a database of its own. The checks are
//! shared with SQLite (`tests/upgrade/checks.rs`).
//!
//! Set `JOULE_TEST_DATABASE_URL` to an account that may create databases, e.g.
//! `postgres://postgres@127.0.0.1:5432/test`. Without it the tests say they are skipped and pass; with it
//! set but the server unreachable they fail, because whoever set it (CI) meant them to run.

use std::future::Future;

use joule_store::prelude::*;
use joule_store_postgres::{PgOptions, PgStore};
use sqlx::{AssertSqlSafe, Connection, PgConnection};

#[path = "../../../tests/upgrade/checks.rs"]
mod checks;

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
    format!("joule_upgrade_{random:016x}")
}

/// Runs `test` with the URL of a new database loaded with the fixture's dump, and drops the database
/// afterwards, also when the test panics.
async fn with_fixture<F, Fut>(fixture: &str, test: F)
where
    F: FnOnce(String) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Ok(admin_url) = std::env::var(ENV) else {
        println!("skipped: no PostgreSQL at {ENV} (not set)");
        return;
    };
    let dump_path = checks::fixture_dir(fixture).join("postgres.sql");
    let dump = std::fs::read_to_string(&dump_path).unwrap_or_else(|e| panic!("{}: {e}", dump_path.display()));
    let name = random_name();
    let mut admin = PgConnection::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("{ENV} is set but PostgreSQL does not answer: {e}"));
    // The name is ours (hex digits), not input, so formatting it into the statement is safe.
    sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut admin).await.expect("create database");
    let url = with_database(&admin_url, &name);
    let outcome = tokio::spawn(async move {
        // The dump as the release's pg_dump wrote it (plain SQL, INSERTs), on a connection of its own: it
        // empties the search path for the session it runs in.
        let mut conn = PgConnection::connect(&url).await.expect("connect to the new database");
        sqlx::raw_sql(AssertSqlSafe(dump)).execute(&mut conn).await.expect("load the fixture's dump");
        conn.close().await.expect("close");
        test(url).await
    })
    .await;
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
    PgStore::connect(url, PgOptions::default()).await.expect("connect to the fixture (migrations run)")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_release_s_data_is_all_there_after_the_upgrade() {
    for fixture in checks::FIXTURES {
        let generated = checks::Generated::read(&checks::fixture_dir(fixture), "postgres.env");
        with_fixture(fixture, |url| async move {
            let store = connect(&url).await;
            assert_eq!(store.backend(), "postgres");
            checks::data_is_all_there(&store, &generated).await;
            store.close().await;
        })
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upgraded_database_takes_new_writes_and_keeps_them() {
    for fixture in checks::FIXTURES {
        with_fixture(fixture, |url| async move {
            let store = connect(&url).await;
            checks::the_store_still_works(&store).await;
            let sessions = store.list_sessions(&Default::default()).await.unwrap();
            store.close().await;
            // Connected again (the migrations find nothing left to do): old and new rows are there.
            let store = connect(&url).await;
            assert_eq!(store.list_sessions(&Default::default()).await.unwrap(), sessions);
            store.close().await;
        })
        .await;
    }
}
