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

/// The status of a connector. OCPP 1.6 ChargePointStatus (§7.7); values a station invents are kept as
/// `Other` rather than refused, because refusing a status report loses it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ConnectorStatus {
    Available,
    Preparing,
    Charging,
    SuspendedEv,
    SuspendedEvse,
    Finishing,
    Reserved,
    Unavailable,
    Faulted,
    Other(String),
}

impl ConnectorStatus {
    pub fn as_str(&self) -> &str {
        match self {
            ConnectorStatus::Available => "Available",
            ConnectorStatus::Preparing => "Preparing",
            ConnectorStatus::Charging => "Charging",
            ConnectorStatus::SuspendedEv => "SuspendedEV",
            ConnectorStatus::SuspendedEvse => "SuspendedEVSE",
            ConnectorStatus::Finishing => "Finishing",
            ConnectorStatus::Reserved => "Reserved",
            ConnectorStatus::Unavailable => "Unavailable",
            ConnectorStatus::Faulted => "Faulted",
            ConnectorStatus::Other(s) => s,
        }
    }

    pub fn parse(s: &str) -> ConnectorStatus {
        match s {
            "Available" => ConnectorStatus::Available,
            "Preparing" => ConnectorStatus::Preparing,
            "Charging" => ConnectorStatus::Charging,
            "SuspendedEV" => ConnectorStatus::SuspendedEv,
            "SuspendedEVSE" => ConnectorStatus::SuspendedEvse,
            "Finishing" => ConnectorStatus::Finishing,
            "Reserved" => ConnectorStatus::Reserved,
            "Unavailable" => ConnectorStatus::Unavailable,
            "Faulted" => ConnectorStatus::Faulted,
            other => ConnectorStatus::Other(other.to_string()),
        }
    }
}

/// One StatusNotification: a connector's status and error at an instant. Connector 0 is the whole station.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusReport {
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
    pub connector_id: u32,
    pub status: ConnectorStatus,
    pub error_code: String,
    pub info: Option<String>,
    pub vendor_error_code: Option<String>,
    /// The station's timestamp if it sent one, else when Joule received the report.
    pub status_at: Timestamp,
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
    fn statuses_round_trip_and_keep_unknown_values() {
        for s in ["Available", "SuspendedEV", "SuspendedEVSE", "Faulted", "Occupied"] {
            assert_eq!(ConnectorStatus::parse(s).as_str(), s);
        }
        assert_eq!(ConnectorStatus::parse("Occupied"), ConnectorStatus::Other("Occupied".into()));
    }
}
