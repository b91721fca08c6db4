//! Activation requests, route 1 ("Joule as the backend"): the owner fills in the Ecotap activation
//! form, the request enters the operator's queue, and staff move it requested → in review → activated, or reject
//! it with a reason. Requests waiting longer than the operator's service level (default 2 working days) are
//! overdue.
//!
//! Everything here is pure: the form's validation (every error names its field, as the API names it, e.g.
//! `address.postal_code` or `charge_points[1].station_id`), the transition rule, and the working-day clock.

use std::fmt;

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use crate::account::AccountId;
use crate::address::{Address, AddressInput};
use crate::{OperatorId, StationId, Timestamp};

/// An activation request's id, given by the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ActivationRequestId(pub i64);

impl fmt::Display for ActivationRequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Where the station is installed (the form's "installation type").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InstallationType {
    Home,
    Business,
    Public,
    GridPlaza,
}

impl InstallationType {
    pub const ALL: [InstallationType; 4] =
        [InstallationType::Home, InstallationType::Business, InstallationType::Public, InstallationType::GridPlaza];

    pub fn as_str(self) -> &'static str {
        match self {
            InstallationType::Home => "home",
            InstallationType::Business => "business",
            InstallationType::Public => "public",
            InstallationType::GridPlaza => "grid-plaza",
        }
    }

    pub fn parse(s: &str) -> Option<InstallationType> {
        let s = s.trim().to_ascii_lowercase().replace('_', "-");
        InstallationType::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// How the station reaches the backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NetworkMethod {
    Lan,
    Cellular4G,
    WiFi,
}

impl NetworkMethod {
    pub const ALL: [NetworkMethod; 3] = [NetworkMethod::Lan, NetworkMethod::Cellular4G, NetworkMethod::WiFi];

    /// `lan`, `4g` or `wifi`.
    pub fn as_str(self) -> &'static str {
        match self {
            NetworkMethod::Lan => "lan",
            NetworkMethod::Cellular4G => "4g",
            NetworkMethod::WiFi => "wifi",
        }
    }

    /// Forgiving about case and the hyphen: `LAN`, `4G`, `Wi-Fi`, `wifi`.
    pub fn parse(s: &str) -> Option<NetworkMethod> {
        let s = s.trim().to_ascii_lowercase().replace('-', "");
        NetworkMethod::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// Where a request is in the operator's queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActivationState {
    Requested,
    InReview,
    Activated,
    Rejected,
}

impl ActivationState {
    pub const ALL: [ActivationState; 4] =
        [ActivationState::Requested, ActivationState::InReview, ActivationState::Activated, ActivationState::Rejected];

    pub fn as_str(self) -> &'static str {
        match self {
            ActivationState::Requested => "requested",
            ActivationState::InReview => "in-review",
            ActivationState::Activated => "activated",
            ActivationState::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<ActivationState> {
        ActivationState::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// Still waiting for the operator (requested or in review).
    pub fn is_open(self) -> bool {
        matches!(self, ActivationState::Requested | ActivationState::InReview)
    }
}

impl fmt::Display for ActivationState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What staff do to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transition {
    Review,
    Approve,
    Reject,
}

impl Transition {
    pub fn as_str(self) -> &'static str {
        match self {
            Transition::Review => "review",
            Transition::Approve => "approve",
            Transition::Reject => "reject",
        }
    }
}

/// A transition the rule does not allow, naming it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot {} a request that is {}", transition.as_str(), from)]
pub struct IllegalTransition {
    pub from: ActivationState,
    pub transition: Transition,
}

/// The rule: requested → in review (review); in review → activated (approve); requested or in review →
/// rejected (reject). Activated and rejected are final.
pub fn transition(from: ActivationState, t: Transition) -> Result<ActivationState, IllegalTransition> {
    use ActivationState::*;
    match (from, t) {
        (Requested, Transition::Review) => Ok(InReview),
        (InReview, Transition::Approve) => Ok(Activated),
        (Requested | InReview, Transition::Reject) => Ok(Rejected),
        _ => Err(IllegalTransition { from, transition: t }),
    }
}

/// A rejection's reason: required, trimmed, at most [`REASON_MAX`] characters.
pub fn check_reason(reason: &str) -> Result<String, FormError> {
    let r = reason.trim();
    if r.is_empty() {
        return Err(FormError::new("reason", "a rejection needs a reason the owner can act on"));
    }
    if r.chars().count() > REASON_MAX || r.chars().any(|c| c.is_control() && c != '\n') {
        return Err(FormError::new("reason", format!("must be at most {REASON_MAX} printable characters")));
    }
    Ok(r.to_string())
}

pub const REASON_MAX: usize = 1000;
/// Longest notes (characters).
pub const NOTES_MAX: usize = 2000;
/// Most charge points in one request.
pub const CHARGE_POINTS_MAX: usize = 50;
/// Most connectors of one charge point, and the highest connector id.
pub const CONNECTORS_MAX: u32 = 16;
pub const FEATURES_MAX: usize = 16;
/// The service level when the operator sets none: 2 working days.
pub const DEFAULT_SERVICE_DAYS: u32 = 2;

/// One thing wrong with a form, naming the field as the API names it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FormError {
    pub field: String,
    pub message: String,
}

impl FormError {
    fn new(field: impl Into<String>, message: impl Into<String>) -> FormError {
        FormError { field: field.into(), message: message.into() }
    }
}

/// An included feature, e.g. `load-balancer`, `grid-plaza`, `mid-meter`: lower-case letters, digits and
/// hyphens, 2 to 32 characters, starting with a letter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Feature(String);

impl Feature {
    /// Features the form offers; others are accepted when they are well-formed tokens.
    pub const KNOWN: [&'static str; 6] = ["load-balancer", "grid-plaza", "mid-meter", "rfid-reader", "solar", "cable"];

    pub fn parse(s: &str) -> Result<Feature, String> {
        let t = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        let ok = (2..=32).contains(&t.len())
            && t.starts_with(|c: char| c.is_ascii_lowercase())
            && t.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !t.ends_with('-')
            && !t.contains("--");
        if ok {
            Ok(Feature(t))
        } else {
            Err(format!(
                "{s:?} is not a feature: 2 to 32 lower-case letters, digits and hyphens, e.g. {}",
                Feature::KNOWN.join(", ")
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One charge point of the form: its number (as printed on it), the station id it connects with, and its
/// connectors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargePoint {
    pub number: String,
    pub station_id: StationId,
    /// Connector ids, ascending, each 1..=[`CONNECTORS_MAX`].
    pub connectors: Vec<u32>,
}

/// A charge point as typed: the connectors as a count (1..=n) or as their ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChargePointInput {
    pub number: String,
    pub station_id: String,
    pub connector_count: Option<u32>,
    pub connector_ids: Option<Vec<u32>>,
}

/// The activation form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActivationFormInput<'a> {
    pub customer_number: &'a str,
    pub charge_points: Vec<ChargePointInput>,
    pub controller_number: &'a str,
    pub installation_type: &'a str,
    pub features: Vec<String>,
    pub address: AddressInput<'a>,
    pub network: &'a str,
    pub notes: &'a str,
}

/// The validated form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivationForm {
    pub customer_number: String,
    /// 1..=[`CHARGE_POINTS_MAX`], with distinct station ids and numbers.
    pub charge_points: Vec<ChargePoint>,
    /// `None` when the installation has no separate controller.
    pub controller_number: Option<String>,
    pub installation_type: InstallationType,
    /// Sorted, distinct.
    pub features: Vec<Feature>,
    pub address: Address,
    pub network: NetworkMethod,
    pub notes: Option<String>,
}

/// A number printed on equipment (customer, charge point, controller): 1 to 32 letters, digits, `-`, `_`, `.`
/// or `/`.
fn number(field: &str, s: &str, required: bool) -> Result<Option<String>, FormError> {
    let s = s.trim();
    if s.is_empty() {
        return if required { Err(FormError::new(field, "is required")) } else { Ok(None) };
    }
    let ok = s.chars().count() <= 32 && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c));
    if !ok {
        return Err(FormError::new(field, "must be 1 to 32 letters, digits, '-', '_', '.' or '/'"));
    }
    Ok(Some(s.to_string()))
}

impl ActivationFormInput<'_> {
    /// Validates the form; the error is the first problem in form order.
    pub fn validate(&self) -> Result<ActivationForm, FormError> {
        let customer_number = number("customer_number", self.customer_number, true)?.unwrap_or_default();
        if self.charge_points.is_empty() {
            return Err(FormError::new("charge_points", "name at least one charge point"));
        }
        if self.charge_points.len() > CHARGE_POINTS_MAX {
            return Err(FormError::new("charge_points", format!("at most {CHARGE_POINTS_MAX} charge points")));
        }
        let mut charge_points: Vec<ChargePoint> = Vec::new();
        for (i, cp) in self.charge_points.iter().enumerate() {
            let at = |f: &str| format!("charge_points[{i}].{f}");
            let num = number(&at("number"), &cp.number, true)?.unwrap_or_default();
            let station_id =
                StationId::parse(cp.station_id.trim()).map_err(|e| FormError::new(at("station_id"), e.to_string()))?;
            let connectors = match (cp.connector_count, &cp.connector_ids) {
                (Some(_), Some(_)) => {
                    return Err(FormError::new(at("connector_ids"), "give connector_count or connector_ids, not both"));
                }
                (None, None) => {
                    return Err(FormError::new(at("connector_count"), "give connector_count or connector_ids"));
                }
                (Some(n), None) => {
                    if !(1..=CONNECTORS_MAX).contains(&n) {
                        return Err(FormError::new(at("connector_count"), format!("must be 1 to {CONNECTORS_MAX}")));
                    }
                    (1..=n).collect()
                }
                (None, Some(ids)) => {
                    let mut ids = ids.clone();
                    ids.sort_unstable();
                    if ids.is_empty() || ids.windows(2).any(|w| w[0] == w[1]) {
                        return Err(FormError::new(at("connector_ids"), "name one or more distinct connectors"));
                    }
                    if ids.iter().any(|c| !(1..=CONNECTORS_MAX).contains(c)) {
                        return Err(FormError::new(
                            at("connector_ids"),
                            format!("connector ids are 1 to {CONNECTORS_MAX}"),
                        ));
                    }
                    ids
                }
            };
            if charge_points.iter().any(|c| c.station_id == station_id) {
                return Err(FormError::new(at("station_id"), format!("station {station_id} is named twice")));
            }
            if charge_points.iter().any(|c| c.number == num) {
                return Err(FormError::new(at("number"), format!("charge point {num} is named twice")));
            }
            charge_points.push(ChargePoint { number: num, station_id, connectors });
        }
        let controller_number = number("controller_number", self.controller_number, false)?;
        let installation_type = InstallationType::parse(self.installation_type).ok_or_else(|| {
            let all: Vec<_> = InstallationType::ALL.iter().map(|t| t.as_str()).collect();
            FormError::new("installation_type", format!("must be one of {}", all.join(", ")))
        })?;
        if self.features.len() > FEATURES_MAX {
            return Err(FormError::new("features", format!("at most {FEATURES_MAX} features")));
        }
        let mut features = Vec::new();
        for (i, f) in self.features.iter().enumerate() {
            let f = Feature::parse(f).map_err(|m| FormError::new(format!("features[{i}]"), m))?;
            if !features.contains(&f) {
                features.push(f);
            }
        }
        features.sort();
        let address = Address::new(&self.address)
            .map_err(|e| FormError::new(format!("address.{}", e.field.as_str()), e.message))?;
        let network = NetworkMethod::parse(self.network)
            .ok_or_else(|| FormError::new("network", "must be one of lan, 4g, wifi"))?;
        let notes = self.notes.trim();
        if notes.chars().count() > NOTES_MAX {
            return Err(FormError::new("notes", format!("at most {NOTES_MAX} characters")));
        }
        if notes.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            return Err(FormError::new("notes", "must not contain control characters"));
        }
        let notes = (!notes.is_empty()).then(|| notes.to_string());
        Ok(ActivationForm {
            customer_number,
            charge_points,
            controller_number,
            installation_type,
            features,
            address,
            network,
            notes,
        })
    }
}

/// Charge points as one line of text, for storage: `number:station:1,2;number:station:1`. Neither numbers
/// nor station ids may contain `:`, `;` or `,`.
pub fn encode_charge_points(cps: &[ChargePoint]) -> String {
    cps.iter()
        .map(|cp| {
            let c: Vec<String> = cp.connectors.iter().map(u32::to_string).collect();
            format!("{}:{}:{}", cp.number, cp.station_id, c.join(","))
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// The inverse of [`encode_charge_points`]; `Err` names what was wrong.
pub fn decode_charge_points(s: &str) -> Result<Vec<ChargePoint>, String> {
    s.split(';')
        .map(|part| {
            let mut it = part.split(':');
            let (Some(n), Some(id), Some(c), None) = (it.next(), it.next(), it.next(), it.next()) else {
                return Err(format!("malformed charge point {part:?}"));
            };
            let station_id = StationId::parse(id).map_err(|e| e.to_string())?;
            let connectors = c
                .split(',')
                .map(|x| x.parse::<u32>().map_err(|e| format!("connector {x:?}: {e}")))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(ChargePoint { number: n.to_string(), station_id, connectors })
        })
        .collect()
}

/// Features as one line of text, for storage: `grid-plaza,load-balancer`.
pub fn encode_features(features: &[Feature]) -> String {
    features.iter().map(Feature::as_str).collect::<Vec<_>>().join(",")
}

pub fn decode_features(s: &str) -> Result<Vec<Feature>, String> {
    if s.is_empty() {
        return Ok(Vec::new());
    }
    s.split(',').map(Feature::parse).collect()
}

/// An activation request as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivationRequest {
    pub id: ActivationRequestId,
    pub operator_id: OperatorId,
    /// The owner who asked.
    pub owner_id: AccountId,
    pub form: ActivationForm,
    pub state: ActivationState,
    /// Why it was rejected; `None` unless rejected.
    pub reason: Option<String>,
    pub requested_at: Timestamp,
    /// When and by whom the state last changed; `None` while requested.
    pub updated_at: Option<Timestamp>,
    pub updated_by: Option<String>,
}

impl ActivationRequest {
    /// Open and waiting longer than `working_days` working days at `now`.
    pub fn is_overdue(&self, now: Timestamp, working_days: u32) -> bool {
        self.state.is_open() && overdue(self.requested_at, now, working_days)
    }
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The working time (Monday to Friday, in UTC) between two instants.
fn working_time(from: Timestamp, to: Timestamp) -> Duration {
    if to <= from {
        return Duration::zero();
    }
    let mut total = Duration::zero();
    let mut cursor = from;
    while cursor < to {
        let day = cursor.date_naive();
        let next_midnight = day.succ_opt().map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()).unwrap_or(to);
        let end = next_midnight.min(to);
        if !is_weekend(day) {
            total += end - cursor;
        }
        cursor = end;
    }
    total
}

/// Whether a request made at `requested_at` has, at `now`, waited longer than `working_days` working days.
/// Saturdays and Sundays (UTC) do not count: a request made on Friday at 10:00 with 2 working days is
/// overdue after Tuesday 10:00. Public holidays are not known and count as working days.
pub fn overdue(requested_at: Timestamp, now: Timestamp, working_days: u32) -> bool {
    working_time(requested_at, now) > Duration::days(i64::from(working_days))
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32) -> Timestamp {
        chrono::Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    fn form() -> ActivationFormInput<'static> {
        ActivationFormInput {
            customer_number: "C-1001",
            charge_points: vec![
                ChargePointInput {
                    number: "EVC-1".into(),
                    station_id: "CP-1".into(),
                    connector_count: Some(2),
                    connector_ids: None,
                },
                ChargePointInput {
                    number: "EVC-2".into(),
                    station_id: "CP-2".into(),
                    connector_count: None,
                    connector_ids: Some(vec![2, 1]),
                },
            ],
            controller_number: "CTL-9",
            installation_type: "Business",
            features: vec!["load-balancer".into(), "MID meter".into(), "load-balancer".into()],
            address: AddressInput {
                street: "Stationsplein",
                house_number: "1",
                postal_code: "1012ab",
                city: "Amsterdam",
                country: "nl",
                region: "",
            },
            network: "Wi-Fi",
            notes: "  behind the gate ",
        }
    }

    #[test]
    fn a_valid_form_is_normalized() {
        let f = form().validate().unwrap();
        assert_eq!(f.customer_number, "C-1001");
        assert_eq!(f.charge_points[0].connectors, vec![1, 2]);
        assert_eq!(f.charge_points[1].connectors, vec![1, 2]);
        assert_eq!(f.installation_type, InstallationType::Business);
        assert_eq!(f.features.iter().map(Feature::as_str).collect::<Vec<_>>(), vec!["load-balancer", "mid-meter"]);
        assert_eq!(f.address.postal_code(), Some("1012 AB"));
        assert_eq!(f.network, NetworkMethod::WiFi);
        assert_eq!(f.notes.as_deref(), Some("behind the gate"));
        let encoded = encode_charge_points(&f.charge_points);
        assert_eq!(encoded, "EVC-1:CP-1:1,2;EVC-2:CP-2:1,2");
        assert_eq!(decode_charge_points(&encoded).unwrap(), f.charge_points);
        assert_eq!(decode_features(&encode_features(&f.features)).unwrap(), f.features);
    }

    #[test]
    fn form_errors_name_the_field() {
        let field = |f: ActivationFormInput<'static>| f.validate().unwrap_err().field;
        assert_eq!(field(ActivationFormInput { customer_number: " ", ..form() }), "customer_number");
        assert_eq!(field(ActivationFormInput { charge_points: vec![], ..form() }), "charge_points");
        let mut f = form();
        f.charge_points[1].station_id = "CP:2".into();
        assert_eq!(field(f), "charge_points[1].station_id");
        let mut f = form();
        f.charge_points[1].station_id = "CP-1".into();
        assert_eq!(field(f), "charge_points[1].station_id");
        let mut f = form();
        f.charge_points[0].connector_count = Some(0);
        assert_eq!(field(f), "charge_points[0].connector_count");
        let mut f = form();
        f.charge_points[0].connector_ids = Some(vec![1]);
        assert_eq!(field(f), "charge_points[0].connector_ids");
        let mut f = form();
        f.charge_points[1].connector_ids = Some(vec![1, 1]);
        assert_eq!(field(f), "charge_points[1].connector_ids");
        assert_eq!(field(ActivationFormInput { installation_type: "castle", ..form() }), "installation_type");
        assert_eq!(field(ActivationFormInput { features: vec!["Load Balancer!".into()], ..form() }), "features[0]");
        let mut f = form();
        f.address.postal_code = "1234";
        assert_eq!(field(f), "address.postal_code");
        assert_eq!(field(ActivationFormInput { network: "carrier pigeon", ..form() }), "network");
        let long: &'static str = Box::leak("x".repeat(NOTES_MAX + 1).into_boxed_str());
        assert_eq!(field(ActivationFormInput { notes: long, ..form() }), "notes");
        let ok: &'static str = Box::leak("x".repeat(NOTES_MAX).into_boxed_str());
        assert!(ActivationFormInput { notes: ok, ..form() }.validate().is_ok());
        assert_eq!(field(ActivationFormInput { controller_number: "a b", ..form() }), "controller_number");
        assert_eq!(ActivationFormInput { controller_number: "", ..form() }.validate().unwrap().controller_number, None);
    }

    #[test]
    fn transitions_follow_the_rule() {
        use ActivationState::*;
        assert_eq!(transition(Requested, Transition::Review), Ok(InReview));
        assert_eq!(transition(InReview, Transition::Approve), Ok(Activated));
        assert_eq!(transition(Requested, Transition::Reject), Ok(Rejected));
        assert_eq!(transition(InReview, Transition::Reject), Ok(Rejected));
        for (from, t) in [
            (Requested, Transition::Approve),
            (InReview, Transition::Review),
            (Activated, Transition::Approve),
            (Activated, Transition::Reject),
            (Activated, Transition::Review),
            (Rejected, Transition::Approve),
            (Rejected, Transition::Review),
            (Rejected, Transition::Reject),
        ] {
            let e = transition(from, t).unwrap_err();
            assert_eq!(e.to_string(), format!("cannot {} a request that is {}", t.as_str(), from.as_str()));
        }
        for s in ActivationState::ALL {
            assert_eq!(ActivationState::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn a_rejection_needs_a_reason() {
        assert_eq!(check_reason("  ").unwrap_err().field, "reason");
        assert_eq!(check_reason(" wrong address ").unwrap(), "wrong address");
        assert!(check_reason(&"x".repeat(REASON_MAX + 1)).is_err());
    }

    #[test]
    fn overdue_counts_working_days_only() {
        // 2026-11-16 is a Monday.
        let mon = at(2026, 11, 16, 10);
        assert!(!overdue(mon, at(2026, 11, 18, 10), 2)); // exactly two working days
        assert!(overdue(mon, at(2026, 11, 18, 11), 2));
        // Friday 10:00: the weekend does not count, so not overdue until after Tuesday 10:00.
        let fri = at(2026, 11, 20, 10);
        assert!(!overdue(fri, at(2026, 11, 23, 23), 2)); // Monday night: 1.5 working days
        assert!(!overdue(fri, at(2026, 11, 24, 10), 2));
        assert!(overdue(fri, at(2026, 11, 24, 11), 2));
        // Made on Saturday: the clock starts on Monday at 00:00.
        let sat = at(2026, 11, 21, 15);
        assert!(!overdue(sat, at(2026, 11, 25, 0), 2));
        assert!(overdue(sat, at(2026, 11, 25, 1), 2));
        // Across two weekends with a longer service level.
        assert!(!overdue(fri, at(2026, 12, 1, 10), 7));
        assert!(overdue(fri, at(2026, 12, 1, 11), 7));
        // Zero days: overdue as soon as a working moment has passed; never before it was made.
        assert!(overdue(mon, at(2026, 11, 16, 11), 0));
        assert!(!overdue(sat, at(2026, 11, 22, 23), 0));
        assert!(!overdue(mon, at(2026, 11, 10, 0), 2));
    }
}
