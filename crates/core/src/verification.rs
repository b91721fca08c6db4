//! The verification checklist ("Commissioning and verification"): every item green or red with its
//! evidence, computed from what Joule already knows about a station. A station is "verified" only when every
//! item is green.
//!
//! Items whose reference data is unknown are green and say so in their evidence: a model without a minimum
//! firmware version ("no minimum set for this model") accepts any firmware. Everything else that is missing
//! (no heartbeat yet, no serial number entered or reported, no GPS fix, no photo, no session) is red.

use crate::Timestamp;
use crate::catalog::{FirmwareCheck, FirmwareVersion, firmware_ok};

/// One item of the checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckKind {
    /// Connected to Joule now.
    Online,
    /// Its last heartbeat is within the heartbeat interval.
    Heartbeat,
    /// The firmware it reported is at or above the model's minimum.
    Firmware,
    /// The serial number in its BootNotification is the one the installer entered.
    SerialNumber,
    /// The MAC address on the sticker the installer claimed the station with is the station's, and the one
    /// the station reports where it reports one.
    Mac,
    /// Pinpointed with a GPS fix, and a photo is present.
    Location,
    /// A completed charging session since the claim delivered energy above zero.
    TestSession,
}

impl CheckKind {
    pub const ALL: [CheckKind; 7] = [
        CheckKind::Online,
        CheckKind::Heartbeat,
        CheckKind::Firmware,
        CheckKind::SerialNumber,
        CheckKind::Mac,
        CheckKind::Location,
        CheckKind::TestSession,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CheckKind::Online => "online",
            CheckKind::Heartbeat => "heartbeat",
            CheckKind::Firmware => "firmware",
            CheckKind::SerialNumber => "serial_number",
            CheckKind::Mac => "mac",
            CheckKind::Location => "location",
            CheckKind::TestSession => "test_session",
        }
    }
}

impl std::fmt::Display for CheckKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckStatus {
    Green,
    Red,
}

impl CheckStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckStatus::Green => "green",
            CheckStatus::Red => "red",
        }
    }
}

/// An item's outcome and the evidence for it, e.g. "last heartbeat 40 s ago, interval 300 s".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckItem {
    pub kind: CheckKind,
    pub status: CheckStatus,
    pub evidence: String,
}

impl CheckItem {
    fn new(kind: CheckKind, green: bool, evidence: impl Into<String>) -> CheckItem {
        let status = if green { CheckStatus::Green } else { CheckStatus::Red };
        CheckItem { kind, status, evidence: evidence.into() }
    }

    pub fn is_green(&self) -> bool {
        self.status == CheckStatus::Green
    }
}

/// The checklist: one item per [`CheckKind`], in that order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checklist {
    pub items: Vec<CheckItem>,
}

impl Checklist {
    pub fn all_green(&self) -> bool {
        self.items.iter().all(CheckItem::is_green)
    }

    pub fn red(&self) -> impl Iterator<Item = &CheckItem> {
        self.items.iter().filter(|i| !i.is_green())
    }

    pub fn item(&self, kind: CheckKind) -> Option<&CheckItem> {
        self.items.iter().find(|i| i.kind == kind)
    }
}

/// A completed session considered for the test-session item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TestSession {
    pub transaction_id: i64,
    /// Energy delivered in Wh; `None` when the meter went backwards.
    pub energy_wh: Option<i64>,
}

/// What the checklist is computed from.
#[derive(Debug, Clone, Default)]
pub struct VerificationInput<'a> {
    pub now: Option<Timestamp>,
    pub online: bool,
    pub last_heartbeat_at: Option<Timestamp>,
    pub heartbeat_interval_secs: u32,
    /// The model's minimum firmware; `None` when the model has none (or is not in the catalog).
    pub min_firmware: Option<&'a FirmwareVersion>,
    /// BootNotification's `firmwareVersion`.
    pub reported_firmware: Option<&'a str>,
    /// The serial numbers in the BootNotification (`chargePointSerialNumber`, `chargeBoxSerialNumber`).
    pub reported_serials: Vec<&'a str>,
    /// The serial number the installer entered.
    pub entered_serial: Option<&'a str>,
    /// The MAC address of the sticker (activation code) the installer claimed the station with, as
    /// `AA:BB:CC:DD:EE:FF`; `None` when it was not claimed with one.
    pub claimed_mac: Option<&'a str>,
    /// MAC addresses the station reports, normalized like `claimed_mac`. OCPP 1.6 has no field for it
    /// (BootNotification.req §6.2 carries serial numbers, not the MAC); some stations publish it in a
    /// vendor configuration key, which Joule reads with GetConfiguration.
    pub reported_macs: Vec<&'a str>,
    /// Whether the installer pinpointed the station with a GPS fix.
    pub gps: bool,
    pub photo: bool,
    /// The completed sessions since the claim (all completed sessions when the station was never claimed).
    pub sessions: Vec<TestSession>,
}

/// Slack on the heartbeat interval for network delay and clocks: a tenth of it, at least 10 s.
pub fn heartbeat_grace_secs(interval_secs: u32) -> i64 {
    (i64::from(interval_secs) / 10).max(10)
}

/// Serial numbers compare without surrounding spaces and ignoring case.
fn same_serial(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    !a.is_empty() && a.eq_ignore_ascii_case(b)
}

/// The checklist for `input`. `input.now` is the instant heartbeats are measured from (`None`: now).
pub fn checklist(input: &VerificationInput<'_>) -> Checklist {
    let now = input.now.unwrap_or_else(chrono::Utc::now);
    let mut items = Vec::with_capacity(CheckKind::ALL.len());

    items.push(CheckItem::new(
        CheckKind::Online,
        input.online,
        if input.online { "connected now" } else { "not connected" },
    ));

    let interval = input.heartbeat_interval_secs;
    items.push(match input.last_heartbeat_at {
        None => CheckItem::new(CheckKind::Heartbeat, false, format!("no heartbeat yet, interval {interval} s")),
        Some(at) => {
            let age = (now - at).num_seconds().max(0);
            let ok = age <= i64::from(interval) + heartbeat_grace_secs(interval);
            CheckItem::new(CheckKind::Heartbeat, ok, format!("last heartbeat {age} s ago, interval {interval} s"))
        }
    });

    let reported = input.reported_firmware.unwrap_or("none");
    items.push(match (input.min_firmware, firmware_ok(input.min_firmware, input.reported_firmware)) {
        (None, _) => {
            CheckItem::new(CheckKind::Firmware, true, format!("no minimum set for this model (reported {reported})"))
        }
        (Some(min), FirmwareCheck::Ok) => {
            CheckItem::new(CheckKind::Firmware, true, format!("reported {reported}, minimum {min}"))
        }
        (Some(_), FirmwareCheck::TooOld { min, reported }) => {
            CheckItem::new(CheckKind::Firmware, false, format!("reported {reported}, below the minimum {min}"))
        }
        (Some(min), FirmwareCheck::Unknown) => CheckItem::new(
            CheckKind::Firmware,
            false,
            format!("reported {reported}, no version to compare with the minimum {min}"),
        ),
    });

    let reported: Vec<&str> = input.reported_serials.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
    items.push(match (input.entered_serial.map(str::trim).filter(|s| !s.is_empty()), reported.is_empty()) {
        (None, _) => CheckItem::new(CheckKind::SerialNumber, false, "the installer entered no serial number"),
        (Some(e), true) => CheckItem::new(
            CheckKind::SerialNumber,
            false,
            format!("entered {e}, the station reported no serial number"),
        ),
        (Some(e), false) => {
            let ok = reported.iter().any(|r| same_serial(r, e));
            let evidence = if ok {
                format!("entered {e}, reported by the station")
            } else {
                format!("entered {e}, the station reported {}", reported.join(" and "))
            };
            CheckItem::new(CheckKind::SerialNumber, ok, evidence)
        }
    });

    items.push(match (input.claimed_mac, input.reported_macs.is_empty()) {
        (None, _) => CheckItem::new(CheckKind::Mac, false, "not claimed with the station's activation sticker"),
        (Some(mac), true) => CheckItem::new(
            CheckKind::Mac,
            true,
            format!(
                "claimed with the sticker of {mac}; the station reports no MAC address (OCPP 1.6 has no field for it)"
            ),
        ),
        (Some(mac), false) => {
            let ok = input.reported_macs.iter().any(|r| r.eq_ignore_ascii_case(mac));
            let evidence = if ok {
                format!("claimed with the sticker of {mac}, reported by the station")
            } else {
                format!("claimed with the sticker of {mac}, the station reported {}", input.reported_macs.join(" and "))
            };
            CheckItem::new(CheckKind::Mac, ok, evidence)
        }
    });

    items.push(match (input.gps, input.photo) {
        (true, true) => CheckItem::new(CheckKind::Location, true, "GPS fix and photo present"),
        (true, false) => CheckItem::new(CheckKind::Location, false, "GPS fix present, no photo"),
        (false, true) => CheckItem::new(CheckKind::Location, false, "photo present, not pinpointed (no GPS fix)"),
        (false, false) => CheckItem::new(CheckKind::Location, false, "not pinpointed (no GPS fix), no photo"),
    });

    let best = input.sessions.iter().filter(|s| s.energy_wh.is_some_and(|e| e > 0)).max_by_key(|s| s.energy_wh);
    items.push(match best {
        Some(s) => CheckItem::new(
            CheckKind::TestSession,
            true,
            format!("session {} delivered {} Wh", s.transaction_id, s.energy_wh.unwrap_or(0)),
        ),
        None if input.sessions.is_empty() => {
            CheckItem::new(CheckKind::TestSession, false, "no completed session since the claim")
        }
        None => CheckItem::new(
            CheckKind::TestSession,
            false,
            format!("{} completed session(s) since the claim, none with energy above 0 Wh", input.sessions.len()),
        ),
    });

    Checklist { items }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone, Utc};

    fn now() -> Timestamp {
        Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).unwrap()
    }

    fn green_input(min: Option<&FirmwareVersion>) -> VerificationInput<'_> {
        VerificationInput {
            now: Some(now()),
            online: true,
            last_heartbeat_at: Some(now() - Duration::seconds(40)),
            heartbeat_interval_secs: 300,
            min_firmware: min,
            reported_firmware: Some("1.2.3"),
            reported_serials: vec!["SN-0001"],
            entered_serial: Some("sn-0001 "),
            claimed_mac: Some("AA:BB:CC:00:11:22"),
            reported_macs: vec![],
            gps: true,
            photo: true,
            sessions: vec![TestSession { transaction_id: 7, energy_wh: Some(3000) }],
        }
    }

    fn item(input: &VerificationInput<'_>, kind: CheckKind) -> CheckItem {
        checklist(input).item(kind).unwrap().clone()
    }

    #[test]
    fn all_items_green_in_order() {
        let list = checklist(&green_input(None));
        assert!(list.all_green(), "{list:?}");
        assert_eq!(list.items.iter().map(|i| i.kind).collect::<Vec<_>>(), CheckKind::ALL);
        assert_eq!(list.red().count(), 0);
    }

    #[test]
    fn online() {
        assert_eq!(item(&green_input(None), CheckKind::Online).evidence, "connected now");
        let input = VerificationInput { online: false, ..green_input(None) };
        let i = item(&input, CheckKind::Online);
        assert_eq!((i.status, i.evidence.as_str()), (CheckStatus::Red, "not connected"));
        assert!(!checklist(&input).all_green());
    }

    #[test]
    fn heartbeat() {
        let i = item(&green_input(None), CheckKind::Heartbeat);
        assert_eq!((i.status, i.evidence.as_str()), (CheckStatus::Green, "last heartbeat 40 s ago, interval 300 s"));
        // Within the interval and its grace (30 s) is green; beyond is red.
        let late =
            |secs| VerificationInput { last_heartbeat_at: Some(now() - Duration::seconds(secs)), ..green_input(None) };
        assert!(item(&late(330), CheckKind::Heartbeat).is_green());
        let i = item(&late(331), CheckKind::Heartbeat);
        assert_eq!((i.status, i.evidence.as_str()), (CheckStatus::Red, "last heartbeat 331 s ago, interval 300 s"));
        let none = VerificationInput { last_heartbeat_at: None, ..green_input(None) };
        let i = item(&none, CheckKind::Heartbeat);
        assert_eq!((i.status, i.evidence.as_str()), (CheckStatus::Red, "no heartbeat yet, interval 300 s"));
        assert_eq!(heartbeat_grace_secs(30), 10);
    }

    #[test]
    fn firmware() {
        let i = item(&green_input(None), CheckKind::Firmware);
        assert_eq!(
            (i.status, i.evidence.as_str()),
            (CheckStatus::Green, "no minimum set for this model (reported 1.2.3)")
        );
        let min = FirmwareVersion::parse("1.2.0").unwrap();
        let i = item(&green_input(Some(&min)), CheckKind::Firmware);
        assert_eq!((i.status, i.evidence.as_str()), (CheckStatus::Green, "reported 1.2.3, minimum 1.2.0"));
        let min = FirmwareVersion::parse("2.0").unwrap();
        let i = item(&green_input(Some(&min)), CheckKind::Firmware);
        assert_eq!((i.status, i.evidence.as_str()), (CheckStatus::Red, "reported 1.2.3, below the minimum 2.0"));
        let none = VerificationInput { reported_firmware: None, ..green_input(Some(&min)) };
        let i = item(&none, CheckKind::Firmware);
        assert_eq!(i.status, CheckStatus::Red);
        assert!(i.evidence.contains("reported none"), "{}", i.evidence);
        // No minimum: even no reported version is green.
        let none = VerificationInput { reported_firmware: None, ..green_input(None) };
        assert!(item(&none, CheckKind::Firmware).is_green());
    }

    #[test]
    fn serial_number() {
        let i = item(&green_input(None), CheckKind::SerialNumber);
        assert_eq!((i.status, i.evidence.as_str()), (CheckStatus::Green, "entered sn-0001, reported by the station"));
        let other = VerificationInput { reported_serials: vec!["SN-0002", " "], ..green_input(None) };
        let i = item(&other, CheckKind::SerialNumber);
        assert_eq!(
            (i.status, i.evidence.as_str()),
            (CheckStatus::Red, "entered sn-0001, the station reported SN-0002")
        );
        // Either of the BootNotification's serial numbers matches.
        let either = VerificationInput { reported_serials: vec!["SN-0002", "SN-0001"], ..green_input(None) };
        assert!(item(&either, CheckKind::SerialNumber).is_green());
        let unreported = VerificationInput { reported_serials: vec![], ..green_input(None) };
        assert_eq!(item(&unreported, CheckKind::SerialNumber).status, CheckStatus::Red);
        let unentered = VerificationInput { entered_serial: Some("  "), ..green_input(None) };
        let i = item(&unentered, CheckKind::SerialNumber);
        assert_eq!((i.status, i.evidence.as_str()), (CheckStatus::Red, "the installer entered no serial number"));
    }

    #[test]
    fn mac() {
        let i = item(&green_input(None), CheckKind::Mac);
        assert_eq!(
            (i.status, i.evidence.as_str()),
            (
                CheckStatus::Green,
                "claimed with the sticker of AA:BB:CC:00:11:22; the station reports no MAC address (OCPP 1.6 has no \
                 field for it)"
            )
        );
        let reported = VerificationInput { reported_macs: vec!["aa:bb:cc:00:11:22"], ..green_input(None) };
        let i = item(&reported, CheckKind::Mac);
        assert_eq!(
            (i.status, i.evidence.as_str()),
            (CheckStatus::Green, "claimed with the sticker of AA:BB:CC:00:11:22, reported by the station")
        );
        let other = VerificationInput { reported_macs: vec!["AA:BB:CC:00:11:99"], ..green_input(None) };
        let i = item(&other, CheckKind::Mac);
        assert_eq!(
            (i.status, i.evidence.as_str()),
            (CheckStatus::Red, "claimed with the sticker of AA:BB:CC:00:11:22, the station reported AA:BB:CC:00:11:99")
        );
        let unclaimed = VerificationInput { claimed_mac: None, ..green_input(None) };
        let i = item(&unclaimed, CheckKind::Mac);
        assert_eq!(
            (i.status, i.evidence.as_str()),
            (CheckStatus::Red, "not claimed with the station's activation sticker")
        );
    }

    #[test]
    fn location() {
        assert_eq!(item(&green_input(None), CheckKind::Location).evidence, "GPS fix and photo present");
        let no_photo = VerificationInput { photo: false, ..green_input(None) };
        let i = item(&no_photo, CheckKind::Location);
        assert_eq!((i.status, i.evidence.as_str()), (CheckStatus::Red, "GPS fix present, no photo"));
        let no_gps = VerificationInput { gps: false, ..green_input(None) };
        assert_eq!(item(&no_gps, CheckKind::Location).status, CheckStatus::Red);
        let neither = VerificationInput { gps: false, photo: false, ..green_input(None) };
        assert_eq!(item(&neither, CheckKind::Location).evidence, "not pinpointed (no GPS fix), no photo");
    }

    #[test]
    fn test_session() {
        let i = item(&green_input(None), CheckKind::TestSession);
        assert_eq!((i.status, i.evidence.as_str()), (CheckStatus::Green, "session 7 delivered 3000 Wh"));
        let none = VerificationInput { sessions: vec![], ..green_input(None) };
        let i = item(&none, CheckKind::TestSession);
        assert_eq!((i.status, i.evidence.as_str()), (CheckStatus::Red, "no completed session since the claim"));
        let empty = VerificationInput {
            sessions: vec![
                TestSession { transaction_id: 1, energy_wh: Some(0) },
                TestSession { transaction_id: 2, energy_wh: None },
            ],
            ..green_input(None)
        };
        let i = item(&empty, CheckKind::TestSession);
        assert_eq!(i.status, CheckStatus::Red);
        assert!(i.evidence.contains("none with energy above 0 Wh"), "{}", i.evidence);
    }
}
