//! Which station is connected to this node, and how to reach its connection.
//!
//! Newest wins: a station that reconnects with the same id replaces its old socket, which is closed (a half-dead
//! socket after a power loss must not lock the station out; SteVe #357, research/anchors.md §6). The old
//! connection finishes its teardown before the new one records itself online, so the database never says
//! "offline" about a station that is connected.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use joule_core::StationId;
use tokio::sync::{Notify, mpsc, watch};

use super::command::Outbound;

#[derive(Clone)]
pub(crate) struct Entry {
    pub conn_id: u64,
    /// The OCPP version the station speaks on this connection, negotiated at the handshake.
    pub protocol: &'static super::adapter::Protocol,
    pub commands: mpsc::Sender<Outbound>,
    /// Tells the connection to close because a newer one replaced it.
    pub replaced: Arc<Notify>,
    /// Becomes `true` when the connection has finished its teardown.
    pub finished: watch::Receiver<bool>,
    // --- offline detection ---
    /// What offline detection knows of this connection (see [`Traffic`]).
    pub traffic: Arc<Traffic>,
}

/// A connection's traffic, kept in memory: any frame from the station is traffic, and writing a database
/// row per frame to say so would cost more than the frame itself.
#[derive(Debug)]
pub(crate) struct Traffic {
    /// When the station was last heard from (UTC milliseconds).
    last_heard_ms: std::sync::atomic::AtomicI64,
    /// Set by offline detection when it marks the connected station out of service; cleared by the
    /// connection at the next frame, which then wakes offline detection to tell everyone it is back.
    marked: std::sync::atomic::AtomicBool,
}

impl Traffic {
    pub fn new(at: joule_core::Timestamp) -> Traffic {
        Traffic {
            last_heard_ms: std::sync::atomic::AtomicI64::new(at.timestamp_millis()),
            marked: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// A frame came in. Returns `true` the first time after a mark: the station is back.
    pub fn heard(&self, at: joule_core::Timestamp) -> bool {
        use std::sync::atomic::Ordering;
        self.last_heard_ms.fetch_max(at.timestamp_millis(), Ordering::Relaxed);
        // Checked before the swap so the hot path is a plain load.
        self.marked.load(Ordering::Relaxed) && self.marked.swap(false, Ordering::AcqRel)
    }

    pub fn last_heard(&self) -> joule_core::Timestamp {
        let ms = self.last_heard_ms.load(std::sync::atomic::Ordering::Relaxed);
        chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
    }

    pub fn set_marked(&self, marked: bool) {
        self.marked.store(marked, std::sync::atomic::Ordering::Release);
    }

    pub fn is_marked(&self) -> bool {
        self.marked.load(std::sync::atomic::Ordering::Acquire)
    }
}

#[derive(Default)]
pub(crate) struct Registry {
    entries: Mutex<HashMap<StationId, Entry>>,
}

impl Registry {
    /// Registers a connection, returning the one it replaces.
    pub fn insert(&self, id: StationId, entry: Entry) -> Option<Entry> {
        self.lock().insert(id, entry)
    }

    /// Removes the entry if it still belongs to `conn_id`; returns whether it did.
    pub fn remove_if(&self, id: &StationId, conn_id: u64) -> bool {
        let mut entries = self.lock();
        if entries.get(id).is_some_and(|e| e.conn_id == conn_id) {
            entries.remove(id);
            true
        } else {
            false
        }
    }

    pub fn is_current(&self, id: &StationId, conn_id: u64) -> bool {
        self.lock().get(id).is_some_and(|e| e.conn_id == conn_id)
    }

    pub fn get(&self, id: &StationId) -> Option<Entry> {
        self.lock().get(id).cloned()
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    // --- offline detection ---
    /// The traffic of the station's current connection, if it is connected here.
    pub fn traffic(&self, id: &StationId) -> Option<Arc<Traffic>> {
        self.lock().get(id).map(|e| e.traffic.clone())
    }

    // --- local authorization list sync ---
    /// The stations connected here.
    pub fn ids(&self) -> Vec<StationId> {
        self.lock().keys().cloned().collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<StationId, Entry>> {
        // A panic while holding this lock cannot leave the map inconsistent (single insert/remove calls), so
        // a poisoned lock is still usable.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Refusals recorded as station events, per station and minute. A misconfigured station retries every few
/// seconds, and anyone may try a known station id: the log line is always written, the event (a database
/// row) only up to a bound.
#[derive(Default)]
pub(crate) struct RefusalLimit {
    windows: Mutex<HashMap<StationId, (std::time::Instant, u32)>>,
}

impl RefusalLimit {
    const PER_MINUTE: u32 = 10;

    /// Whether another refusal of `id` may be recorded now.
    pub fn admit(&self, id: &StationId) -> bool {
        let now = std::time::Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        // Only known stations get here, so the map is bounded by their number; old windows are dropped
        // when it grows, to keep it from holding every station ever refused.
        if windows.len() > 10_000 {
            windows.retain(|_, (start, _)| now.duration_since(*start).as_secs() < 60);
        }
        let (start, count) = windows.entry(id.clone()).or_insert((now, 0));
        if now.duration_since(*start).as_secs() >= 60 {
            *start = now;
            *count = 0;
        }
        *count += 1;
        *count <= Self::PER_MINUTE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_recorded_up_to_a_bound_per_station() {
        let limit = RefusalLimit::default();
        let a = StationId::parse("A").unwrap();
        let b = StationId::parse("B").unwrap();
        assert_eq!((0..20).filter(|_| limit.admit(&a)).count(), RefusalLimit::PER_MINUTE as usize);
        assert!(limit.admit(&b), "per station");
    }

    // --- offline detection ---
    #[test]
    fn traffic_after_a_mark_is_reported_once_and_never_goes_back_in_time() {
        let t0 = chrono::DateTime::from_timestamp_millis(1_700_000_000_000).unwrap();
        let traffic = Traffic::new(t0);
        assert_eq!(traffic.last_heard(), t0);
        assert!(!traffic.heard(t0 + chrono::Duration::seconds(5)), "no mark: nothing to report");
        traffic.set_marked(true);
        assert!(traffic.is_marked());
        assert!(traffic.heard(t0 + chrono::Duration::seconds(10)), "the first frame after the mark");
        assert!(!traffic.is_marked());
        assert!(!traffic.heard(t0 + chrono::Duration::seconds(11)), "told once");
        // A frame stamped earlier (clocks read on two threads) does not move the instant back.
        traffic.heard(t0);
        assert_eq!(traffic.last_heard(), t0 + chrono::Duration::seconds(11));
    }
}
