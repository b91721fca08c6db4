//! Stations, their activation state and what they report about themselves.

use crate::{DomainError, OperatorId, StationId, Timestamp};

/// Where a station is on its way from "exists" to "drivers can charge there" (DESIGN.md, "Activation").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StationState {
    /// Known to Joule (it connected with a valid operator key, or was registered), not yet activated.
    Pending,
    /// Its owner asked for activation; waiting for the operator.
    Requested,
    /// Activated: boots are accepted and drivers may charge.
    Active,
    /// Activated and its verification checklist is complete.
    Verified,
    /// Temporarily not allowed to operate.
    Suspended,
    /// The activation request was refused.
    Rejected,
    /// Handed over to another backend; kept for history.
    HandedOver,
}

/// How a BootNotification is answered (OCPP 1.6 §4.2 / RegistrationStatus).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registration {
    Accepted,
    Pending,
    Rejected,
}

impl StationState {
    pub const ALL: [StationState; 7] = [
        StationState::Pending,
        StationState::Requested,
        StationState::Active,
        StationState::Verified,
        StationState::Suspended,
        StationState::Rejected,
        StationState::HandedOver,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StationState::Pending => "pending",
            StationState::Requested => "requested",
            StationState::Active => "active",
            StationState::Verified => "verified",
            StationState::Suspended => "suspended",
            StationState::Rejected => "rejected",
            StationState::HandedOver => "handed-over",
        }
    }

    pub fn parse(s: &str) -> Result<StationState, DomainError> {
        StationState::ALL.into_iter().find(|st| st.as_str() == s).ok_or_else(|| {
            DomainError::invalid(
                "station state",
                s,
                "expected pending, requested, active, verified, suspended, rejected or handed-over",
            )
        })
    }

    /// Only activated stations are accepted; a station on its way to activation waits as Pending (it may be
    /// configured meanwhile, OCPP 1.6 §4.2.1); one that may not operate here is Rejected.
    pub fn registration(self) -> Registration {
        match self {
            StationState::Active | StationState::Verified => Registration::Accepted,
            StationState::Pending | StationState::Requested | StationState::Suspended => Registration::Pending,
            StationState::Rejected | StationState::HandedOver => Registration::Rejected,
        }
    }

    /// Whether drivers may charge: only an accepted station starts transactions.
    pub fn may_charge(self) -> bool {
        self.registration() == Registration::Accepted
    }
}

impl std::fmt::Display for StationState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a station says about itself when it boots (OCPP 1.6 BootNotification.req; 2.0.1 ChargingStationType).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BootInfo {
    pub vendor: String,
    pub model: String,
    pub serial_number: Option<String>,
    pub charge_box_serial_number: Option<String>,
    pub firmware_version: Option<String>,
    pub iccid: Option<String>,
    pub imsi: Option<String>,
    pub meter_type: Option<String>,
    pub meter_serial_number: Option<String>,
}

/// A station as Joule knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Station {
    pub id: StationId,
    pub operator_id: OperatorId,
    pub state: StationState,
    /// Free vend: the station charges without a valid token, so any id tag it reports is accepted.
    pub free_vend: bool,
    /// argon2 PHC string of the station's Basic-auth password (security profile 1), if it has one.
    pub password_hash: Option<String>,
    pub boot: Option<BootInfo>,
    pub last_boot_at: Option<Timestamp>,
    pub online: bool,
    pub connected_at: Option<Timestamp>,
    pub disconnected_at: Option<Timestamp>,
    pub last_heartbeat_at: Option<Timestamp>,
    pub created_at: Timestamp,
    // --- station owner and offline detection ---
    /// The owner account whose activation request the operator approved; `None` for a station nobody asked
    /// to activate (registered by the operator, or found connecting).
    pub owner_id: Option<crate::account::AccountId>,
    /// Set when offline detection found the station silent for longer than its operator's threshold, to
    /// the instant it decided so; cleared when the station is heard from again.
    pub out_of_service_since: Option<Timestamp>,
}

/// A connector's state in words both OCPP versions map into: OCPP 2.0.1 ConnectorStatusEnumType (§3.23).
/// The 1.6 adapter maps 1.6 ChargePointStatus (§7.7) into it; what the station said stays in
/// [`ConnectorStatus::reported`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConnectorState {
    Available,
    Occupied,
    Reserved,
    Unavailable,
    Faulted,
}

impl ConnectorState {
    pub const ALL: [ConnectorState; 5] = [
        ConnectorState::Available,
        ConnectorState::Occupied,
        ConnectorState::Reserved,
        ConnectorState::Unavailable,
        ConnectorState::Faulted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ConnectorState::Available => "Available",
            ConnectorState::Occupied => "Occupied",
            ConnectorState::Reserved => "Reserved",
            ConnectorState::Unavailable => "Unavailable",
            ConnectorState::Faulted => "Faulted",
        }
    }

    pub fn parse(s: &str) -> Option<ConnectorState> {
        ConnectorState::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// What an occupied connector is doing with the vehicle: OCPP 2.0.1 ChargingStateEnumType (§3.15). A 2.0.1
/// station reports it with its transactions; a 1.6 station's status says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChargingState {
    /// Energy flows to the vehicle.
    Charging,
    /// A vehicle is connected, no energy flows and neither side suspended it.
    EvConnected,
    /// The vehicle does not take energy.
    SuspendedEv,
    /// The station does not offer energy.
    SuspendedEvse,
    /// No vehicle connected.
    Idle,
}

impl ChargingState {
    pub const ALL: [ChargingState; 5] = [
        ChargingState::Charging,
        ChargingState::EvConnected,
        ChargingState::SuspendedEv,
        ChargingState::SuspendedEvse,
        ChargingState::Idle,
    ];

    /// The name as OCPP 2.0.1 spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            ChargingState::Charging => "Charging",
            ChargingState::EvConnected => "EVConnected",
            ChargingState::SuspendedEv => "SuspendedEV",
            ChargingState::SuspendedEvse => "SuspendedEVSE",
            ChargingState::Idle => "Idle",
        }
    }

    pub fn parse(s: &str) -> Option<ChargingState> {
        ChargingState::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// The status of a connector: its neutral [`ConnectorState`], what it is doing with the vehicle when known,
/// and the value the station reported, kept as sent (e.g. 1.6 `SuspendedEV` or `Finishing`, or a value a
/// station invented) because people read it and refusing a status report would lose it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ConnectorStatus {
    pub state: ConnectorState,
    pub charging: Option<ChargingState>,
    pub reported: String,
}

impl ConnectorStatus {
    /// A status the station reported in the neutral words themselves (as 2.0.1 stations do).
    pub fn of(state: ConnectorState) -> ConnectorStatus {
        ConnectorStatus { state, charging: None, reported: state.as_str().to_string() }
    }

    /// A status in the station's own words, with the state the version adapter found them to mean.
    pub fn reported(state: ConnectorState, charging: Option<ChargingState>, reported: &str) -> ConnectorStatus {
        ConnectorStatus { state, charging, reported: reported.to_string() }
    }

    /// The value the station reported, as shown to people.
    pub fn as_str(&self) -> &str {
        &self.reported
    }

    /// Whether energy is flowing to a vehicle (billing's idle time is the occupied time when it does not).
    pub fn is_charging(&self) -> bool {
        self.charging == Some(ChargingState::Charging)
    }

    /// Whether a driver could plug in and start now.
    pub fn is_available(&self) -> bool {
        self.state == ConnectorState::Available
    }

    /// Whether a vehicle holds the connector (charging or not).
    pub fn is_occupied(&self) -> bool {
        self.state == ConnectorState::Occupied
    }
}

/// One status report: a connector's status and error at an instant. EVSE 0 / connector 0 is the whole
/// station (OCPP 2.0.1 Part 1 §2 device model; 1.6 connector 0).
#[derive(Debug, Clone, PartialEq)]
pub struct StatusReport {
    /// The EVSE the connector belongs to (from 1; 0 for the station as a whole).
    pub evse_id: u32,
    /// The station's number of the connector, which keys its status: a 1.6 station's connectorId; for a
    /// station with EVSEs, see [`Evse`].
    pub connector_id: u32,
    pub status: ConnectorStatus,
    /// OCPP 1.6 ChargePointErrorCode, e.g. `NoError`, `GroundFailure`.
    pub error_code: String,
    pub info: Option<String>,
    pub vendor_id: Option<String>,
    pub vendor_error_code: Option<String>,
    /// When the station says the status changed; `None` when it did not say.
    pub timestamp: Option<Timestamp>,
}

/// A connector's last known status.
#[derive(Debug, Clone, PartialEq)]
pub struct Connector {
    pub station_id: StationId,
    /// The EVSE it belongs to (0: the station as a whole).
    pub evse_id: u32,
    pub connector_id: u32,
    pub status: ConnectorStatus,
    pub error_code: String,
    pub info: Option<String>,
    pub vendor_error_code: Option<String>,
    /// The station's timestamp if it sent one, else when Joule received the report.
    pub status_at: Timestamp,
}

/// An EVSE: one charging point of a station, which charges one vehicle at a time through one of its
/// connectors (OCPP 2.0.1 Part 1 §2 device model: EVSE ids from 1, connector ids from 1 within the EVSE).
#[derive(Debug, Clone, PartialEq)]
pub struct Evse {
    pub id: u32,
    pub connectors: Vec<Connector>,
}

impl Evse {
    /// The station's connectors grouped by EVSE, in EVSE order; the station-wide status (EVSE 0) is not an
    /// EVSE and is left out.
    pub fn group(connectors: &[Connector]) -> Vec<Evse> {
        let mut evses: Vec<Evse> = Vec::new();
        let mut sorted: Vec<&Connector> = connectors.iter().filter(|c| c.evse_id > 0).collect();
        sorted.sort_by_key(|c| (c.evse_id, c.connector_id));
        for c in sorted {
            match evses.last_mut() {
                Some(e) if e.id == c.evse_id => e.connectors.push(c.clone()),
                _ => evses.push(Evse { id: c.evse_id, connectors: vec![c.clone()] }),
            }
        }
        evses
    }

    /// The EVSE's state: that of a connector in use if one is, else the most telling of its connectors'
    /// (2.0.1: one vehicle per EVSE, so an occupied connector makes the others unusable).
    pub fn state(&self) -> Option<ConnectorState> {
        let rank = |s: ConnectorState| match s {
            ConnectorState::Occupied => 0,
            ConnectorState::Faulted => 1,
            ConnectorState::Reserved => 2,
            ConnectorState::Unavailable => 3,
            ConnectorState::Available => 4,
        };
        self.connectors.iter().map(|c| c.status.state).min_by_key(|s| rank(*s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_activated_stations_are_accepted() {
        for st in StationState::ALL {
            assert_eq!(StationState::parse(st.as_str()).unwrap(), st);
        }
        assert_eq!(StationState::Pending.registration(), Registration::Pending);
        assert_eq!(StationState::Active.registration(), Registration::Accepted);
        assert_eq!(StationState::Verified.registration(), Registration::Accepted);
        assert_eq!(StationState::HandedOver.registration(), Registration::Rejected);
        assert!(!StationState::Suspended.may_charge());
        assert!(StationState::parse("activ").is_err());
    }

    #[test]
    fn neutral_names_round_trip() {
        for st in ConnectorState::ALL {
            assert_eq!(ConnectorState::parse(st.as_str()), Some(st));
        }
        for st in ChargingState::ALL {
            assert_eq!(ChargingState::parse(st.as_str()), Some(st));
        }
        assert_eq!(ConnectorState::parse("Charging"), None, "a 1.6 name is not a neutral state");
    }

    #[test]
    fn predicates_read_the_neutral_state() {
        let charging = ConnectorStatus::reported(ConnectorState::Occupied, Some(ChargingState::Charging), "Charging");
        assert!(charging.is_charging() && charging.is_occupied() && !charging.is_available());
        assert_eq!(charging.as_str(), "Charging");
        let suspended =
            ConnectorStatus::reported(ConnectorState::Occupied, Some(ChargingState::SuspendedEv), "SuspendedEV");
        assert!(!suspended.is_charging() && suspended.is_occupied());
        let occupied = ConnectorStatus::of(ConnectorState::Occupied);
        assert!(!occupied.is_charging(), "2.0.1 says whether energy flows in its transactions, not its status");
        assert_eq!(occupied.as_str(), "Occupied");
        assert!(ConnectorStatus::of(ConnectorState::Available).is_available());
    }

    #[test]
    fn connectors_group_into_evses() {
        let c = |evse: u32, connector: u32, state: ConnectorState| Connector {
            station_id: StationId::parse("S").unwrap(),
            evse_id: evse,
            connector_id: connector,
            status: ConnectorStatus::of(state),
            error_code: "NoError".into(),
            info: None,
            vendor_error_code: None,
            status_at: chrono::Utc::now(),
        };
        let evses = Evse::group(&[
            c(2, 2, ConnectorState::Available),
            c(0, 0, ConnectorState::Available),
            c(1, 1, ConnectorState::Available),
            c(2, 3, ConnectorState::Occupied),
        ]);
        assert_eq!(evses.iter().map(|e| e.id).collect::<Vec<_>>(), [1, 2], "EVSE 0 is the station, not an EVSE");
        assert_eq!(evses[1].connectors.iter().map(|c| c.connector_id).collect::<Vec<_>>(), [2, 3]);
        assert_eq!(evses[1].state(), Some(ConnectorState::Occupied));
        assert_eq!(evses[0].state(), Some(ConnectorState::Available));
    }
}
