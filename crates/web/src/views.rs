//! The few fields of the API's JSON that the pages show. Unknown fields are ignored: the API may grow.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

/// An RFC 9457 problem document, as the API answers errors (crates/api/src/error.rs).
#[derive(Debug, Clone, Deserialize)]
pub struct Problem {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub detail: String,
    pub field: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Me {
    pub account: Option<Account>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Account {
    pub email: String,
    pub name: String,
    pub role: String,
    pub operator_id: Option<i64>,
}

#[derive(Debug, Deserialize)]
pub struct LoginAnswer {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct StationSummary {
    pub id: String,
    pub state: String,
    pub online: bool,
    pub vendor: Option<String>,
    pub model: Option<String>,
    pub firmware_version: Option<String>,
    pub last_heartbeat_at: Option<DateTime<Utc>>,
    pub out_of_service_since: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Boot {
    pub vendor: String,
    pub model: String,
    pub serial_number: Option<String>,
    pub charge_box_serial_number: Option<String>,
    pub firmware_version: Option<String>,
    pub iccid: Option<String>,
    pub imsi: Option<String>,
    pub meter_type: Option<String>,
    pub meter_serial_number: Option<String>,
    pub booted_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Connector {
    pub connector_id: u32,
    /// As the station reported it: what people see.
    pub status: String,
    /// What the portal decides on: the state every OCPP version shares (Available, Occupied, Reserved,
    /// Unavailable, Faulted) and, for a connector in use, its charging state (Charging, SuspendedEV, ...).
    pub state: String,
    #[serde(default)]
    pub charging_state: Option<String>,
    pub error_code: String,
    pub info: Option<String>,
    pub status_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ConfigKey {
    pub key: String,
    pub value: Option<String>,
    pub readonly: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct StationDetail {
    pub state: String,
    pub online: bool,
    pub free_vend: bool,
    pub boot: Option<Boot>,
    pub last_heartbeat_at: Option<DateTime<Utc>>,
    pub connected_at: Option<DateTime<Utc>>,
    pub disconnected_at: Option<DateTime<Utc>>,
    pub connectors: Vec<Connector>,
    pub configuration: Vec<ConfigKey>,
    pub out_of_service_since: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Power {
    pub connector_id: u32,
    pub watts: f64,
    pub age_secs: f64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Session {
    pub transaction_id: i64,
    pub connector_id: u32,
    pub id_tag: String,
    pub state: String,
    pub energy_wh: Option<i64>,
    pub started_at: DateTime<Utc>,
    pub stopped_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Command {
    pub action: String,
    pub payload: Value,
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    pub outcome: String,
    pub answer: Option<Value>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Message {
    pub at: DateTime<Utc>,
    pub direction: String,
    pub action: Option<String>,
    pub frame: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CheckItem {
    pub item: String,
    pub status: String,
    pub evidence: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Checklist {
    pub all_green: bool,
    pub items: Vec<CheckItem>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Gps {
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Address {
    pub street: String,
    pub house_number: Option<String>,
    pub postal_code: Option<String>,
    pub city: String,
    pub country: String,
}

impl Address {
    pub fn line(&self) -> String {
        let mut parts = vec![self.street.clone()];
        if let Some(n) = &self.house_number {
            parts[0] = format!("{} {n}", self.street);
        }
        let city = match &self.postal_code {
            Some(p) => format!("{p} {}", self.city),
            None => self.city.clone(),
        };
        parts.push(city);
        parts.push(self.country.clone());
        parts.join(", ")
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Installation {
    pub gps: Option<Gps>,
    pub address: Option<Address>,
    pub parking_spot: Option<String>,
    pub directions: Option<String>,
    pub photo: Option<Value>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ChargePoint {
    pub station_id: String,
    pub connectors: Vec<u32>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ActivationRequest {
    pub id: i64,
    pub customer_number: String,
    pub charge_points: Vec<ChargePoint>,
    pub installation_type: String,
    pub features: Vec<String>,
    pub address: Address,
    pub network: String,
    pub notes: Option<String>,
    pub state: String,
    pub requested_at: DateTime<Utc>,
    pub overdue: bool,
}

/// A time as pages show it: UTC, to the minute.
pub fn when(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// An optional time, or a dash.
pub fn when_opt(t: &Option<DateTime<Utc>>) -> String {
    t.as_ref().map(when).unwrap_or_else(|| "—".into())
}

/// Watts as kilowatts with one decimal.
pub fn kw(watts: f64) -> String {
    format!("{:.1} kW", watts / 1000.0)
}

/// Wh as kWh with two decimals.
pub fn kwh(wh: i64) -> String {
    format!("{:.2} kWh", wh as f64 / 1000.0)
}

impl Connector {
    /// Whether energy flows to a vehicle.
    pub fn is_charging(&self) -> bool {
        self.charging_state.as_deref() == Some("Charging")
    }

    pub fn is_faulted(&self) -> bool {
        self.state == "Faulted"
    }

    pub fn is_available(&self) -> bool {
        self.state == "Available"
    }
}

/// A status badge: the words people read and the CSS class (colour is a hint; the text says it).
#[derive(Debug, Clone, PartialEq)]
pub struct Badge {
    pub text: String,
    pub class: &'static str,
}

impl Badge {
    fn new(text: impl Into<String>, class: &'static str) -> Badge {
        Badge { text: text.into(), class }
    }

    /// A connector's badge: its reported status, coloured by its state.
    pub fn of(c: &Connector) -> Badge {
        Badge::new(c.status.clone(), state_class(&c.state))
    }
}

/// The one word that says how a station is: Offline when not connected; else the most telling of its
/// connectors, decided on their shared state and shown as reported: a faulted one, then one charging, then
/// connector 0 (the whole station) unavailable, then any outlet not available, else Available; Online when
/// it reported none.
pub fn station_status(online: bool, connectors: &[Connector]) -> Badge {
    if !online {
        return Badge::new("Offline", "off");
    }
    let telling = connectors
        .iter()
        .find(|c| c.is_faulted())
        .or_else(|| connectors.iter().find(|c| c.is_charging()))
        .or_else(|| connectors.iter().find(|c| c.connector_id == 0 && c.state == "Unavailable"))
        .or_else(|| connectors.iter().find(|c| c.connector_id > 0 && !c.is_available()));
    match telling {
        Some(c) => Badge::of(c),
        None if connectors.iter().any(|c| c.connector_id > 0) => Badge::new("Available", "ok"),
        None => Badge::new("Online", "ok"),
    }
}

/// The CSS class of a connector state (2.0.1 ConnectorStatusEnumType, as the API gives it).
pub fn state_class(state: &str) -> &'static str {
    match state {
        "Available" => "ok",
        "Occupied" => "busy",
        "Faulted" => "bad",
        _ => "off",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_station_shows_its_most_telling_status() {
        // As the API gives a 1.6 station's statuses: reported, state, charging state.
        let one = |id: u32, status: &str| {
            let (state, charging) = match status {
                "Charging" => ("Occupied", Some("Charging")),
                "SuspendedEV" => ("Occupied", Some("SuspendedEV")),
                "Preparing" | "Finishing" => ("Occupied", Some("EVConnected")),
                "Available" | "Reserved" | "Unavailable" | "Faulted" => (status, None),
                _ => ("Unavailable", None),
            };
            Connector {
                connector_id: id,
                status: status.into(),
                state: state.into(),
                charging_state: charging.map(str::to_string),
                error_code: "NoError".into(),
                info: None,
                status_at: Utc::now(),
            }
        };
        let c = |v: &[(u32, &str)]| v.iter().map(|(i, s)| one(*i, s)).collect::<Vec<_>>();
        let text = |online, v: &[(u32, &str)]| station_status(online, &c(v)).text;
        assert_eq!(station_status(false, &c(&[(1, "Charging")])), Badge::new("Offline", "off"));
        assert_eq!(station_status(true, &c(&[(1, "Charging"), (2, "Faulted")])), Badge::new("Faulted", "bad"));
        assert_eq!(station_status(true, &c(&[(1, "Available"), (2, "Charging")])), Badge::new("Charging", "busy"));
        assert_eq!(text(true, &[(1, "SuspendedEV"), (2, "Charging")]), "Charging");
        assert_eq!(station_status(true, &c(&[(0, "Unavailable"), (1, "Available")])), Badge::new("Unavailable", "off"));
        assert_eq!(station_status(true, &c(&[(0, "Available"), (1, "Available")])), Badge::new("Available", "ok"));
        assert_eq!(station_status(true, &c(&[(1, "Preparing")])), Badge::new("Preparing", "busy"));
        assert_eq!(station_status(true, &c(&[(1, "Finishing")])), Badge::new("Finishing", "busy"));
        assert_eq!(station_status(true, &c(&[(1, "Reserved")])), Badge::new("Reserved", "off"));
        assert_eq!(station_status(true, &[]), Badge::new("Online", "ok"));
    }
}
