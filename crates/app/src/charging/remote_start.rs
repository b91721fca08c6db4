//! Which transaction a RemoteStartTransaction led to (SteVe and ev-server users ask for it).
//!
//! OCPP 1.6 §5.11: a station that accepts RemoteStartTransaction later sends StartTransaction with the same
//! idTag, on the connector asked for (or one it chooses), once the driver plugs in. Nothing in the messages
//! links the two, so Joule links them: an accepted remote start is remembered for a while, and the first
//! new session of that station with that idTag (and connector, if one was asked for) is its transaction.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use joule_core::{IdTag, SessionId, StationId};
use tokio::sync::oneshot;
use tokio::time::Instant;

/// How long an accepted remote start waits for its session. Stations give the driver `ConnectionTimeOut`
/// seconds to plug in (typically 30 to 120 s); this is comfortably longer.
pub const WATCH_FOR: Duration = Duration::from_secs(300);

/// Accepted remote starts per station bounded, so a caller who starts again and again cannot grow the map.
const PER_STATION: usize = 16;

struct Watch {
    command_id: Option<i64>,
    connector_id: Option<u32>,
    id_tag: IdTag,
    since: Instant,
    tell: Option<oneshot::Sender<SessionId>>,
}

/// A session that matched an accepted remote start.
#[derive(Debug, Clone, PartialEq)]
pub struct Matched {
    /// The RemoteStartTransaction command, to record the transaction in its history.
    pub command_id: Option<i64>,
    pub transaction_id: SessionId,
}

/// The remote start watches port: accepted remote starts waiting for their session. Kept by the node the
/// station is connected to (the station's StartTransaction comes there), so a cluster would route both there.
pub trait RemoteStartWatches: Send + Sync {
    /// Remembers an accepted remote start; the receiver gets the transaction id once the station starts it.
    fn watch(
        &self,
        station: &StationId,
        connector_id: Option<u32>,
        id_tag: IdTag,
        command_id: Option<i64>,
    ) -> oneshot::Receiver<SessionId>;
    /// Forgets the watch of a remote start the station did not accept.
    fn cancel(&self, station: &StationId, command_id: i64);
    /// A station started a new session: the oldest waiting remote start it matches, if any, is answered
    /// and forgotten.
    fn started(
        &self,
        station: &StationId,
        connector_id: u32,
        id_tag: &IdTag,
        transaction_id: SessionId,
    ) -> Option<Matched>;
}

/// The watches of one process.
#[derive(Default)]
pub struct RemoteStarts {
    watches: Mutex<HashMap<StationId, Vec<Watch>>>,
}

impl RemoteStartWatches for RemoteStarts {
    fn watch(
        &self,
        station: &StationId,
        connector_id: Option<u32>,
        id_tag: IdTag,
        command_id: Option<i64>,
    ) -> oneshot::Receiver<SessionId> {
        let (tell, rx) = oneshot::channel();
        let mut watches = self.watches.lock().unwrap_or_else(|e| e.into_inner());
        let list = watches.entry(station.clone()).or_default();
        list.retain(|w| w.since.elapsed() < WATCH_FOR);
        if list.len() >= PER_STATION {
            list.remove(0);
        }
        list.push(Watch { command_id, connector_id, id_tag, since: Instant::now(), tell: Some(tell) });
        rx
    }

    fn cancel(&self, station: &StationId, command_id: i64) {
        let mut watches = self.watches.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(list) = watches.get_mut(station) {
            list.retain(|w| w.command_id != Some(command_id));
            if list.is_empty() {
                watches.remove(station);
            }
        }
    }

    fn started(
        &self,
        station: &StationId,
        connector_id: u32,
        id_tag: &IdTag,
        transaction_id: SessionId,
    ) -> Option<Matched> {
        let mut watches = self.watches.lock().unwrap_or_else(|e| e.into_inner());
        let list = watches.get_mut(station)?;
        list.retain(|w| w.since.elapsed() < WATCH_FOR);
        let found = list.iter().position(|w| &w.id_tag == id_tag && w.connector_id.is_none_or(|c| c == connector_id));
        let matched = found.map(|i| {
            let mut watch = list.remove(i);
            if let Some(tell) = watch.tell.take() {
                // The caller may have stopped waiting; the history still gets the transaction.
                let _ = tell.send(transaction_id);
            }
            Matched { command_id: watch.command_id, transaction_id }
        });
        if list.is_empty() {
            watches.remove(station);
        }
        matched
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(s: &str) -> StationId {
        StationId::parse(s).unwrap()
    }
    fn tag(s: &str) -> IdTag {
        IdTag::parse(s).unwrap()
    }

    #[tokio::test]
    async fn a_start_with_the_same_tag_and_connector_answers_the_watch() {
        let starts = RemoteStarts::default();
        let rx = starts.watch(&st("CP-1"), Some(2), tag("TAG"), Some(7));
        // Other stations, tags and connectors do not match.
        assert_eq!(starts.started(&st("CP-2"), 2, &tag("TAG"), SessionId(1)), None);
        assert_eq!(starts.started(&st("CP-1"), 2, &tag("OTHER"), SessionId(2)), None);
        assert_eq!(starts.started(&st("CP-1"), 1, &tag("TAG"), SessionId(3)), None);
        let matched = starts.started(&st("CP-1"), 2, &tag("TAG"), SessionId(4));
        assert_eq!(matched, Some(Matched { command_id: Some(7), transaction_id: SessionId(4) }));
        assert_eq!(rx.await.unwrap(), SessionId(4));
        // Answered once only.
        assert_eq!(starts.started(&st("CP-1"), 2, &tag("TAG"), SessionId(5)), None);
    }

    #[test]
    fn a_watch_without_connector_matches_any_connector_and_oldest_goes_first() {
        let starts = RemoteStarts::default();
        let _a = starts.watch(&st("CP-1"), None, tag("TAG"), Some(1));
        let _b = starts.watch(&st("CP-1"), None, tag("TAG"), Some(2));
        assert_eq!(starts.started(&st("CP-1"), 3, &tag("TAG"), SessionId(9)).unwrap().command_id, Some(1));
        assert_eq!(starts.started(&st("CP-1"), 1, &tag("TAG"), SessionId(10)).unwrap().command_id, Some(2));
    }

    #[test]
    fn watches_per_station_are_bounded() {
        let starts = RemoteStarts::default();
        for i in 0..(PER_STATION as i64 + 5) {
            drop(starts.watch(&st("CP-1"), None, tag("TAG"), Some(i)));
        }
        // The five oldest were dropped.
        assert_eq!(starts.started(&st("CP-1"), 1, &tag("TAG"), SessionId(1)).unwrap().command_id, Some(5));
    }
}
