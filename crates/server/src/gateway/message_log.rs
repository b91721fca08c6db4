//! The OCPP message log: every frame in and out, per station, kept for `ocpp.message_log_days`.
//!
//! Logging is off the acknowledgement path: a connection hands its frames to a bounded buffer and goes on;
//! a background task writes them in batches, gathered for up to half a second. The log is for diagnosis, not a record stations rely on, so
//! when the database falls behind and the buffer is full, frames are dropped from the log (and counted, and
//! the count logged) rather than slowing the stations down. Their data is never affected.
//!
//! The stores keep the log apart from station data, so that it costs the acknowledged writes little: SQLite
//! in a file of its own with its own writer and `synchronous = NORMAL`, PostgreSQL on a connection of its
//! own whose commits do not wait for the WAL flush. The log is on by default, for 7 days (BENCHMARKS.md
//! has its cost).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use joule_core::StationId;
use joule_store::{Direction, LoggedMessage, Store};
use tokio::sync::mpsc;

/// Frames waiting to be written.
const BUFFER: usize = 64 * 1024;
/// The most frames per write.
const BATCH: usize = 16 * 1024;
/// How long the writer gathers frames after the first one before writing them. Large batches are what makes
/// the log cheap: the by-station index takes one page write per station per batch, so a write of many
/// frames of the same stations costs little more than one of a few.
const GATHER: Duration = Duration::from_millis(500);

#[derive(Clone)]
pub(crate) struct MessageLog {
    tx: Option<mpsc::Sender<LoggedMessage>>,
    dropped: Arc<AtomicU64>,
}

impl MessageLog {
    /// A log writing to `store`, purging frames older than `days` every hour; `days == 0` turns it off.
    pub fn start(store: Arc<dyn Store>, days: u32) -> MessageLog {
        let dropped = Arc::new(AtomicU64::new(0));
        if days == 0 {
            return MessageLog { tx: None, dropped };
        }
        let (tx, rx) = mpsc::channel(BUFFER);
        tokio::spawn(write(store.clone(), rx, dropped.clone()));
        tokio::spawn(purge(store, days));
        MessageLog { tx: Some(tx), dropped }
    }

    /// Logs a frame. `message_type` is 2, 3 or 4, or 0 for text that is not a readable frame.
    pub fn record(
        &self,
        station: &StationId,
        direction: Direction,
        message_type: u8,
        message_id: &str,
        action: Option<&str>,
        text: &str,
    ) {
        let Some(tx) = &self.tx else { return };
        let message = LoggedMessage {
            station_id: station.clone(),
            at: chrono::Utc::now(),
            direction,
            message_type,
            message_id: message_id.to_string(),
            action: action.map(str::to_string),
            text: text.to_string(),
        };
        if tx.try_send(message).is_err() {
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }
}

async fn write(store: Arc<dyn Store>, mut rx: mpsc::Receiver<LoggedMessage>, dropped: Arc<AtomicU64>) {
    let mut batch = Vec::with_capacity(BATCH);
    let mut reported = 0;
    while rx.recv_many(&mut batch, BATCH).await > 0 {
        let deadline = tokio::time::Instant::now() + GATHER;
        while batch.len() < BATCH {
            let room = BATCH - batch.len();
            match tokio::time::timeout_at(deadline, rx.recv_many(&mut batch, room)).await {
                Ok(n) if n > 0 => {}
                // Closed (what is gathered is still written), or time to write.
                _ => break,
            }
        }
        if let Err(e) = store.log_messages(&batch).await {
            tracing::warn!(error = %e, frames = batch.len(), "could not write to the message log");
        }
        batch.clear();
        let now_dropped = dropped.load(Ordering::Relaxed);
        if now_dropped > reported {
            tracing::warn!(frames = now_dropped - reported, "message log behind: frames left out of the log");
            reported = now_dropped;
        }
    }
}

async fn purge(store: Arc<dyn Store>, days: u32) {
    let mut every = tokio::time::interval(Duration::from_secs(3600));
    loop {
        every.tick().await;
        let before = chrono::Utc::now() - chrono::Duration::days(i64::from(days));
        match store.purge_messages(before).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(frames = n, days, "message log purged"),
            Err(e) => tracing::warn!(error = %e, "could not purge the message log"),
        }
    }
}
