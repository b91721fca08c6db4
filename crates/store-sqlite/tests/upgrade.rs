//! A database written by an earlier release opens with today's code (its migrations run) and keeps all its
//! data, and the store then takes new writes: the fixtures of `tests/upgrade/` (made by `make.sh` with the
//! release's binary), each on a copy in a temp dir. The checks are shared with PostgreSQL
//! (`tests/upgrade/checks.rs`).

use std::path::PathBuf;

use joule_store::prelude::*;
use joule_store_sqlite::{SqliteOptions, SqliteStore};

#[path = "../../../tests/upgrade/checks.rs"]
mod checks;

/// A directory of its own under the system temp dir, removed when the test ends (passing or not).
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        use std::hash::{BuildHasher, RandomState};
        let random = RandomState::new().hash_one((std::process::id(), std::time::SystemTime::now()));
        TempDir(std::env::temp_dir().join(format!("joule-upgrade-test-{random:016x}")))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A copy of the fixture's data folder (the database and its message log), as a server would find it.
fn copy_of(fixture: &str) -> (TempDir, PathBuf) {
    let from = checks::fixture_dir(fixture);
    let dir = TempDir::new();
    let data = dir.0.join("data");
    std::fs::create_dir_all(&data).expect("temp dir");
    for file in ["joule.db", "joule-messages.db"] {
        std::fs::copy(from.join(file), data.join(file)).unwrap_or_else(|e| panic!("{fixture}/{file}: {e}"));
    }
    (dir, data.join("joule.db"))
}

async fn open(path: &std::path::Path) -> SqliteStore {
    SqliteStore::open(path, SqliteOptions::default()).await.expect("open the fixture (migrations run)")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_release_s_data_is_all_there_after_the_upgrade() {
    for fixture in checks::FIXTURES {
        let generated = checks::Generated::read(&checks::fixture_dir(fixture), "sqlite.env");
        let (_dir, db) = copy_of(fixture);
        let store = open(&db).await;
        checks::data_is_all_there(&store, &generated).await;
        store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upgraded_database_takes_new_writes_and_keeps_them() {
    for fixture in checks::FIXTURES {
        let (_dir, db) = copy_of(fixture);
        let store = open(&db).await;
        checks::the_store_still_works(&store).await;
        let sessions = store.list_sessions(&Default::default()).await.unwrap();
        store.close().await;
        // Opened again (the migrations find nothing left to do): old and new rows are there.
        let store = open(&db).await;
        assert_eq!(store.list_sessions(&Default::default()).await.unwrap(), sessions, "{fixture}");
        store.close().await;
    }
}
