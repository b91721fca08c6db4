//! Live station events ("connected, disconnected, status changes, session start and stop, meter
//! values"), for dashboards and integrations that follow a stream instead of polling.
//!
//! Events are published after what they report is committed, so a subscriber never sees something the store
//! does not have. The bus is bounded: a subscriber that falls more than [`CAPACITY`] events behind loses the
//! oldest ones and is told how many (the stream is a view, not a record; the store is the record). Nothing
//! is built when nobody listens, so the stations' hot paths pay nothing for an idle bus.

use std::sync::Arc;

use joule_core::meter::MeterSample;
use joule_core::station::{Registration, StatusReport};
use joule_core::{IdTag, OperatorId, SessionId, StationId, Timestamp};
use tokio::sync::broadcast;

/// Events a subscriber may fall behind by before it loses some.
pub const CAPACITY: usize = 4096;

/// Something that happened at a station.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveEvent {
    /// The station's operator: subscribers see only their operator's events.
    pub operator_id: OperatorId,
    pub station_id: StationId,
    pub at: Timestamp,
    pub kind: LiveEventKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LiveEventKind {
    /// The station's WebSocket connection opened.
    Connected,
    /// The station's WebSocket connection closed.
    Disconnected,
    /// A BootNotification, and how it was answered.
    Booted {
        registration: Registration,
    },
    /// A StatusNotification.
    Status(StatusReport),
    SessionStarted {
        transaction_id: SessionId,
        connector_id: u32,
        id_tag: IdTag,
        meter_start_wh: i64,
    },
    SessionStopped {
        transaction_id: SessionId,
        meter_stop_wh: i64,
        reason: Option<String>,
    },
    /// A MeterValues.req (normalised samples).
    MeterValues {
        connector_id: u32,
        transaction_id: Option<SessionId>,
        samples: Vec<MeterSample>,
    },
    // --- offline detection ---
    /// Offline detection marked the station out of service: nothing was heard from it since `silent_since`.
    OutOfService {
        silent_since: Timestamp,
    },
    /// The station was heard from again; it had been out of service since `out_of_service_since`.
    BackInService {
        out_of_service_since: Timestamp,
    },
}

impl LiveEventKind {
    /// The event's name on the stream.
    pub fn name(&self) -> &'static str {
        match self {
            LiveEventKind::Connected => "connected",
            LiveEventKind::Disconnected => "disconnected",
            LiveEventKind::Booted { .. } => "booted",
            LiveEventKind::Status(_) => "status",
            LiveEventKind::SessionStarted { .. } => "session-started",
            LiveEventKind::SessionStopped { .. } => "session-stopped",
            LiveEventKind::MeterValues { .. } => "meter-values",
            // --- offline detection ---
            LiveEventKind::OutOfService { .. } => "out-of-service",
            LiveEventKind::BackInService { .. } => "back-in-service",
        }
    }
}

/// The live events port: publishing a station event and following them. A cluster replaces the local bus
/// with one every node publishes to and reads from; use cases and the stream do not change.
pub trait LiveEvents: Send + Sync {
    /// Whether anyone listens; publishers check it before building an expensive event.
    fn has_subscribers(&self) -> bool;
    /// Publishes a built event (see [`publish`](dyn LiveEvents::publish), which builds it only if needed).
    fn send(&self, event: LiveEvent);
    /// Follows the events from now on; a subscriber that falls behind is told how many it lost.
    fn subscribe(&self) -> broadcast::Receiver<Arc<LiveEvent>>;
}

impl dyn LiveEvents {
    /// Publishes an event; `build` runs only if someone listens.
    pub fn publish(&self, build: impl FnOnce() -> LiveEvent) {
        if self.has_subscribers() {
            self.send(build());
        }
    }
}

/// The in-process bus. Cheap to clone.
#[derive(Clone)]
pub struct EventBus {
    tx: broadcast::Sender<Arc<LiveEvent>>,
}

impl Default for EventBus {
    fn default() -> Self {
        EventBus { tx: broadcast::Sender::new(CAPACITY) }
    }
}

impl LiveEvents for EventBus {
    fn has_subscribers(&self) -> bool {
        self.tx.receiver_count() > 0
    }

    fn send(&self, event: LiveEvent) {
        // An error means the last subscriber left in between: nobody to tell.
        let _ = self.tx.send(Arc::new(event));
    }

    fn subscribe(&self) -> broadcast::Receiver<Arc<LiveEvent>> {
        self.tx.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(n: i64) -> LiveEvent {
        LiveEvent {
            operator_id: OperatorId(n),
            station_id: StationId::parse("CP-1").unwrap(),
            at: chrono::Utc::now(),
            kind: LiveEventKind::Connected,
        }
    }

    #[test]
    fn nothing_is_built_without_subscribers() {
        let bus: &dyn LiveEvents = &EventBus::default();
        bus.publish(|| panic!("built an event nobody listens to"));
    }

    #[tokio::test]
    async fn subscribers_get_events_in_order_and_hear_when_they_lag() {
        let bus: &dyn LiveEvents = &EventBus::default();
        let mut rx = bus.subscribe();
        bus.publish(|| event(1));
        bus.publish(|| event(2));
        assert_eq!(rx.recv().await.unwrap().operator_id, OperatorId(1));
        assert_eq!(rx.recv().await.unwrap().operator_id, OperatorId(2));
        for n in 0..(CAPACITY as i64 + 10) {
            bus.publish(|| event(n));
        }
        assert!(matches!(rx.recv().await, Err(broadcast::error::RecvError::Lagged(10))));
        assert_eq!(rx.recv().await.unwrap().operator_id, OperatorId(10));
    }
}
