//! The outbox folder: one `.eml` file per mail.
//!
//! Files are written whole or not at all (a temporary file, flushed to disk, then renamed), so a reader
//! never sees half a mail and a crash leaves at most a `.tmp` file behind. Names start with the UTC time
//! to the microsecond, so listing the folder sorts the mails by time; the process id and a counter keep
//! names apart when the server and a command write in the same microsecond.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::MailError;

/// Writes `message` as a new `.eml` file in `dir` (made if missing) and returns its path.
pub(crate) async fn keep(dir: &Path, message: Vec<u8>) -> Result<PathBuf, MailError> {
    let dir = dir.to_owned();
    let name = file_name();
    let path = dir.join(&name);
    let target = path.clone();
    let written = tokio::task::spawn_blocking(move || write_atomically(&dir, &name, &message))
        .await
        .unwrap_or_else(|e| Err(io::Error::other(e)));
    written.map(|()| target).map_err(|source| MailError::Outbox { path, source })
}

fn file_name() -> String {
    static SEQUENCE: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}-{}-{:06}.eml",
        chrono::Utc::now().format("%Y%m%dT%H%M%S%.6fZ"),
        std::process::id(),
        SEQUENCE.fetch_add(1, Ordering::Relaxed) % 1_000_000
    )
}

fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    // A dot name, so that anything reading the folder for `*.eml` skips it.
    let temporary = dir.join(format!(".{name}.tmp"));
    let result = (|| {
        let mut file = File::create_new(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temporary, dir.join(name))?;
        // The rename is durable only once the folder itself is synced (on Unix).
        #[cfg(unix)]
        File::open(dir)?.sync_all()?;
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_by_time() {
        let names: Vec<String> = (0..50).map(|_| file_name()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        assert!(names[0].ends_with(".eml"));
        assert_eq!(names.iter().collect::<std::collections::HashSet<_>>().len(), 50);
    }
}
