//! Sessions (OCPP 1.6 transactions): start, stop, and the rules that make ingesting them idempotent.

use crate::auth::AuthorizationStatus;
use crate::meter::MeterSample;
use crate::{IdTag, OperatorId, SessionId, StationId, Timestamp, TransactionId};

/// A station's report that a session started (OCPP 1.6 StartTransaction.req).
///
/// Stations re-send a StartTransaction whose answer they did not receive, so the same start is recognised by
/// its natural key: station, connector, id tag, start time and meter start (the same key SteVe uses). A
/// re-sent start gets the original transaction id back.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionStart {
    pub station_id: StationId,
    pub operator_id: OperatorId,
    pub connector_id: u32,
    /// The station's id of the transaction when it chose one (OCPP 2.0.1 TransactionEvent `transactionId`);
    /// `None` when Joule assigns it (OCPP 1.6: StartTransaction.conf carries the new session id, §6.46), so
    /// the transaction id is the session id's decimal text.
    pub transaction_id: Option<TransactionId>,
    pub id_tag: IdTag,
    pub meter_start_wh: i64,
    pub started_at: Timestamp,
    pub reservation_id: Option<i64>,
    /// The authorization decided when the start arrived; a session started offline with a tag that is now
    /// invalid is recorded all the same (the energy was delivered) and the station is told to stop it.
    pub authorization: AuthorizationStatus,
}

/// A station's report that a session stopped (OCPP 1.6 StopTransaction.req).
#[derive(Debug, Clone, PartialEq)]
pub struct SessionStop {
    pub station_id: StationId,
    pub transaction_id: SessionId,
    pub id_tag: Option<IdTag>,
    pub meter_stop_wh: i64,
    pub stopped_at: Timestamp,
    /// OCPP 1.6 Reason, e.g. `Local`, `EVDisconnected`; `None` means `Local` per §7.30.
    pub reason: Option<String>,
    /// Samples sent with the stop (transactionData), stored like any meter values.
    pub samples: Vec<MeterSample>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionState {
    Active,
    Completed,
}

impl SessionState {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionState::Active => "active",
            SessionState::Completed => "completed",
        }
    }
}

/// A recorded session.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub id: SessionId,
    /// The station's id of the transaction (for a 1.6 station, `id` as text).
    pub transaction_id: TransactionId,
    pub station_id: StationId,
    pub operator_id: OperatorId,
    pub connector_id: u32,
    pub id_tag: IdTag,
    pub authorization: AuthorizationStatus,
    pub meter_start_wh: i64,
    pub started_at: Timestamp,
    pub meter_stop_wh: Option<i64>,
    pub stopped_at: Option<Timestamp>,
    pub stop_reason: Option<String>,
    pub stop_id_tag: Option<IdTag>,
    pub reservation_id: Option<i64>,
}

impl Session {
    pub fn state(&self) -> SessionState {
        if self.stopped_at.is_some() { SessionState::Completed } else { SessionState::Active }
    }

    /// Energy delivered in Wh: meter stop minus meter start. A meter that went backwards (some meters reset
    /// at reboot, so meterStop is below meterStart) gives `None` rather than a negative energy.
    pub fn energy_wh(&self) -> Option<i64> {
        let stop = self.meter_stop_wh?;
        (stop >= self.meter_start_wh).then_some(stop - self.meter_start_wh)
    }
}

/// What became of a StopTransaction.
#[derive(Debug, Clone, PartialEq)]
pub enum StopOutcome {
    /// The session was active and is now completed.
    Stopped(Session),
    /// The same stop arrived again (the station did not get our answer); nothing changed.
    AlreadyStopped(Session),
    /// No such session: the stop is kept for review and acknowledged, or the station would retry forever.
    Unknown,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    #[test]
    fn energy_is_never_negative() {
        let mut s = Session {
            id: SessionId(1),
            transaction_id: TransactionId::of_session(SessionId(1)),
            station_id: StationId::parse("S").unwrap(),
            operator_id: OperatorId(1),
            connector_id: 1,
            id_tag: IdTag::parse("T").unwrap(),
            authorization: AuthorizationStatus::Accepted,
            meter_start_wh: 1000,
            started_at: Utc::now(),
            meter_stop_wh: None,
            stopped_at: None,
            stop_reason: None,
            stop_id_tag: None,
            reservation_id: None,
        };
        assert_eq!(s.state(), SessionState::Active);
        assert_eq!(s.energy_wh(), None);
        s.meter_stop_wh = Some(1500);
        s.stopped_at = Some(Utc::now());
        assert_eq!(s.energy_wh(), Some(500));
        assert_eq!(s.state(), SessionState::Completed);
        s.meter_stop_wh = Some(10);
        assert_eq!(s.energy_wh(), None);
    }
}
