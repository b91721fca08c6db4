//! Handover to a third-party backend and the assignment of unclaimed stations (route 3).
//!
//! A station handed over is pointed at another operator's central system: Joule sets the central-system URL
//! through a vendor-specific configuration key (OCPP 1.6 §5.3 ChangeConfiguration) or a DataTransfer (§5.6),
//! resets the station if the vendor needs that (§5.14), and confirms the handover once the station has left
//! and stayed away. The vendor-specific part is a [`ProvisioningMethod`], kept per operator and vendor.

use std::fmt;

use crate::{DomainError, StationId};

/// The OCPP-J URL of a central system: `ws://` or `wss://`, a host, optionally a port and a path.
///
/// Checked here so that a station is never pointed at something it cannot dial: a station that accepts a
/// bad URL is lost to both backends. User information (`user:password@`) is refused because the URL is
/// shown and logged (DESIGN.md rule 7); stations carry their Basic-auth password separately (OCPP 1.6
/// security profile 1, `AuthorizationKey`). At most 500 characters: a configuration value is CiString500
/// (§5.3), and a station id may still be appended.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BackendUrl(String);

impl BackendUrl {
    pub const MAX_LEN: usize = 500;

    pub fn parse(s: &str) -> Result<BackendUrl, DomainError> {
        let bad = |reason: &str| DomainError::invalid("OCPP URL", s, reason.to_string());
        if s.len() > Self::MAX_LEN {
            return Err(bad(&format!("must be at most {} characters", Self::MAX_LEN)));
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad("must not contain spaces or control characters"));
        }
        let lower = s.to_ascii_lowercase();
        let rest = if lower.starts_with("wss://") {
            &s[6..]
        } else if lower.starts_with("ws://") {
            &s[5..]
        } else {
            return Err(bad("must start with ws:// or wss:// (OCPP-J runs over WebSocket)"));
        };
        if s.contains('#') {
            return Err(bad("must not have a fragment (#)"));
        }
        let authority = rest.split(['/', '?']).next().unwrap_or("");
        if authority.contains('@') {
            return Err(bad("must not contain a user name or password"));
        }
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            match v6.split_once(']') {
                Some((h, after)) => (h, after.strip_prefix(':')),
                None => return Err(bad("has an unclosed IPv6 address")),
            }
        } else {
            match authority.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (authority, None),
            }
        };
        if host.is_empty() {
            return Err(bad("has no host"));
        }
        if let Some(port) = port
            && !matches!(port.parse::<u16>(), Ok(p) if p > 0)
        {
            return Err(bad("has a port that is not a number from 1 to 65535"));
        }
        Ok(BackendUrl(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The URL the station is given. OCPP-J 1.6 §3.1.1: a station connects to `<central system URL>/<its id>`;
    /// many stations append their id themselves, others must be given the whole URL (`append_station_id`).
    pub fn for_station(&self, station: &StationId, append_station_id: bool) -> String {
        if !append_station_id {
            return self.0.clone();
        }
        let base = self.0.trim_end_matches('/');
        format!("{base}/{station}")
    }
}

impl fmt::Display for BackendUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What an operator calls a backend stations may be handed over to: 1 to 64 characters, no control
/// characters, trimmed. `joule` (in any case) is Joule itself in an assignment, so no backend may take it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BackendName(String);

impl BackendName {
    pub const MAX_LEN: usize = 64;
    /// The name that means Joule itself in an assignment (route 3).
    pub const JOULE: &'static str = "joule";

    pub fn parse(s: &str) -> Result<BackendName, DomainError> {
        let name = s.trim();
        if name.is_empty() || name.chars().count() > Self::MAX_LEN {
            return Err(DomainError::invalid("backend name", s, format!("must be 1 to {} characters", Self::MAX_LEN)));
        }
        if name.chars().any(char::is_control) {
            return Err(DomainError::invalid("backend name", s, "must not contain control characters"));
        }
        if name.eq_ignore_ascii_case(Self::JOULE) {
            return Err(DomainError::invalid("backend name", s, "\"joule\" means Joule itself; choose another name"));
        }
        Ok(BackendName(name.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BackendName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How a vendor's station is told its new central-system URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProvisioningMethod {
    /// ChangeConfiguration with this key (OCPP 1.6 §5.3; the key is CiString50) and the URL as value.
    ConfigurationKey { key: String },
    /// DataTransfer with this vendorId (CiString255) and messageId (CiString50), the URL as data (§5.6).
    DataTransfer { vendor_id: String, message_id: Option<String> },
}

impl ProvisioningMethod {
    pub fn configuration_key(key: &str) -> Result<ProvisioningMethod, DomainError> {
        Ok(ProvisioningMethod::ConfigurationKey { key: ci_string("configuration key", key, 50)? })
    }

    pub fn data_transfer(vendor_id: &str, message_id: Option<&str>) -> Result<ProvisioningMethod, DomainError> {
        let vendor_id = ci_string("DataTransfer vendor id", vendor_id, 255)?;
        let message_id = message_id.map(|m| ci_string("DataTransfer message id", m, 50)).transpose()?;
        Ok(ProvisioningMethod::DataTransfer { vendor_id, message_id })
    }

    /// `configuration-key` or `data-transfer`.
    pub fn kind(&self) -> &'static str {
        match self {
            ProvisioningMethod::ConfigurationKey { .. } => "configuration-key",
            ProvisioningMethod::DataTransfer { .. } => "data-transfer",
        }
    }
}

/// A non-empty printable string of at most `max` characters (OCPP CiStringN).
fn ci_string(what: &'static str, s: &str, max: usize) -> Result<String, DomainError> {
    if s.is_empty() || s.chars().count() > max {
        return Err(DomainError::invalid(what, s, format!("must be 1 to {max} characters")));
    }
    if s.chars().any(char::is_control) {
        return Err(DomainError::invalid(what, s, "must not contain control characters"));
    }
    Ok(s.to_string())
}

/// Whether, and how, the station is reset after the URL is set (OCPP 1.6 §5.14). Most stations read the
/// URL only when they start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetKind {
    None,
    Soft,
    Hard,
}

impl ResetKind {
    pub const ALL: [ResetKind; 3] = [ResetKind::None, ResetKind::Soft, ResetKind::Hard];

    pub fn as_str(self) -> &'static str {
        match self {
            ResetKind::None => "none",
            ResetKind::Soft => "soft",
            ResetKind::Hard => "hard",
        }
    }

    pub fn parse(s: &str) -> Result<ResetKind, DomainError> {
        ResetKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| DomainError::invalid("reset", s, "expected none, soft or hard"))
    }
}

/// Where a handover is.
///
/// ```text
/// recorded --(station connected, or connects)--> provisioning --(every step accepted)--> waiting
/// waiting --(station stayed away for the confirmation window)--> handed-over
/// provisioning | waiting --(a step refused / CALLERROR / timeout, or the station came back)--> failed
/// recorded | waiting --(operator confirms by hand)--> handed-over
/// recorded | provisioning | waiting --(operator cancels)--> cancelled
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HandoverState {
    /// Target recorded; nothing sent yet (the station is not connected).
    Recorded,
    /// The provisioning steps are being sent.
    Provisioning,
    /// Every step was accepted; waiting for the station to leave and stay away.
    Waiting,
    /// Confirmed: the station belongs to the other backend now.
    HandedOver,
    /// A step was refused or unanswered, or the station came back; `detail` says which.
    Failed,
    /// Called off by the operator.
    Cancelled,
}

impl HandoverState {
    pub const ALL: [HandoverState; 6] = [
        HandoverState::Recorded,
        HandoverState::Provisioning,
        HandoverState::Waiting,
        HandoverState::HandedOver,
        HandoverState::Failed,
        HandoverState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HandoverState::Recorded => "recorded",
            HandoverState::Provisioning => "provisioning",
            HandoverState::Waiting => "waiting",
            HandoverState::HandedOver => "handed-over",
            HandoverState::Failed => "failed",
            HandoverState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Result<HandoverState, DomainError> {
        HandoverState::ALL.into_iter().find(|st| st.as_str() == s).ok_or_else(|| {
            DomainError::invalid(
                "handover state",
                s,
                "expected recorded, provisioning, waiting, handed-over, failed or cancelled",
            )
        })
    }

    /// Still under way: a station has at most one such handover.
    pub fn is_open(self) -> bool {
        matches!(self, HandoverState::Recorded | HandoverState::Provisioning | HandoverState::Waiting)
    }

    /// Whether the operator may confirm by hand (the station was re-provisioned on site, or has left):
    /// not while steps are still being sent, whose answers would then be lost.
    pub fn may_confirm(self) -> bool {
        matches!(self, HandoverState::Recorded | HandoverState::Waiting)
    }
}

impl fmt::Display for HandoverState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_urls() {
        for ok in ["ws://csms.example.com/ocpp", "wss://csms.example.com:8443/ocpp/", "WSS://[::1]:9000", "ws://h"] {
            assert!(BackendUrl::parse(ok).is_ok(), "{ok}");
        }
        for (bad, why) in [
            ("http://csms.example.com", "ws://"),
            ("wss://", "no host"),
            ("wss://:80/x", "no host"),
            ("wss://user:pw@csms.example.com", "user name"),
            ("wss://csms.example.com:0", "port"),
            ("wss://csms.example.com:99999", "port"),
            ("wss://csms example.com", "spaces"),
            ("wss://csms.example.com/#x", "fragment"),
            ("wss://[::1", "IPv6"),
        ] {
            let e = BackendUrl::parse(bad).expect_err(bad).to_string();
            assert!(e.contains(why), "{bad}: {e}");
        }
        assert!(BackendUrl::parse(&format!("wss://h/{}", "a".repeat(500))).is_err());
    }

    #[test]
    fn station_url() {
        let id = StationId::parse("CP-1").unwrap();
        assert_eq!(BackendUrl::parse("wss://h/ocpp/").unwrap().for_station(&id, true), "wss://h/ocpp/CP-1");
        assert_eq!(BackendUrl::parse("wss://h/ocpp").unwrap().for_station(&id, true), "wss://h/ocpp/CP-1");
        assert_eq!(BackendUrl::parse("wss://h/ocpp").unwrap().for_station(&id, false), "wss://h/ocpp");
    }

    #[test]
    fn backend_names() {
        assert_eq!(BackendName::parse("  Other CSMS ").unwrap().as_str(), "Other CSMS");
        assert!(BackendName::parse("").is_err());
        assert!(BackendName::parse("Joule").unwrap_err().to_string().contains("Joule itself"));
        assert!(BackendName::parse("a\nb").is_err());
        assert!(BackendName::parse(&"x".repeat(65)).is_err());
    }

    #[test]
    fn methods_and_states() {
        assert!(ProvisioningMethod::configuration_key("").is_err());
        assert!(ProvisioningMethod::configuration_key(&"k".repeat(51)).is_err());
        assert_eq!(ProvisioningMethod::configuration_key("CentralSystemURL").unwrap().kind(), "configuration-key");
        assert!(ProvisioningMethod::data_transfer("Vendor", Some("")).is_err());
        assert_eq!(ProvisioningMethod::data_transfer("Vendor", None).unwrap().kind(), "data-transfer");
        for st in HandoverState::ALL {
            assert_eq!(HandoverState::parse(st.as_str()).unwrap(), st);
        }
        for k in ResetKind::ALL {
            assert_eq!(ResetKind::parse(k.as_str()).unwrap(), k);
        }
        assert!(ResetKind::parse("warm").is_err());
        assert!(HandoverState::Waiting.is_open() && !HandoverState::Failed.is_open());
        assert!(!HandoverState::Provisioning.may_confirm());
    }
}
