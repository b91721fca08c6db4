//! The catalog of known station models: what the installer picks from, what a station's BootNotification is
//! checked against, and the minimum firmware each model needs.
//!
//! Onboarding: the installer gives "make and model from a list of known models (a mismatch with the station's
//! BootNotification vendor and model is shown as a warning)" ("Activation sticker and installer claim"), and a
//! station is verified only with "firmware at or above the model's minimum version (a per-model table that
//! operators edit)" ("Commissioning and verification").

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use crate::DomainError;

/// A model in the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KnownModel {
    pub vendor: String,
    pub model: String,
    /// The oldest firmware the operator accepts for this model; `None`: any.
    pub min_firmware: Option<FirmwareVersion>,
}

impl KnownModel {
    /// Longest vendor and model. OCPP 1.6 allows 20 characters for each (`chargePointVendor`,
    /// `chargePointModel`, CiString20); OCPP 2.0.1 allows 50 for `vendorName`.
    pub const MAX_LEN: usize = 50;

    /// Vendor and model trimmed, 1 to [`Self::MAX_LEN`] characters, without control characters.
    pub fn new(vendor: &str, model: &str, min_firmware: Option<FirmwareVersion>) -> Result<KnownModel, DomainError> {
        let check = |what: &'static str, s: &str| -> Result<String, DomainError> {
            let t = s.trim();
            if t.is_empty() || t.chars().count() > Self::MAX_LEN {
                return Err(DomainError::invalid(what, s, format!("must be 1 to {} characters", Self::MAX_LEN)));
            }
            if t.chars().any(char::is_control) {
                return Err(DomainError::invalid(what, s, "must not contain control characters"));
            }
            Ok(t.to_string())
        };
        Ok(KnownModel { vendor: check("vendor", vendor)?, model: check("model", model)?, min_firmware })
    }

    /// The catalog key of this model (see [`model_key`]).
    pub fn key(&self) -> String {
        model_key(&self.vendor, &self.model)
    }

    /// Whether a BootNotification's vendor and model are this model (see [`matches_boot`]).
    pub fn matches_boot(&self, boot_vendor: &str, boot_model: &str) -> bool {
        matches_boot(&self.vendor, &self.model, boot_vendor, boot_model)
    }

    /// The firmware check of the verification checklist for this model.
    pub fn firmware_check(&self, reported: Option<&str>) -> FirmwareCheck {
        firmware_ok(self.min_firmware.as_ref(), reported)
    }
}

/// Whether the vendor and model the installer chose are those the station reported in its BootNotification, so
/// that the mismatch warning is shown only for a real mismatch.
///
/// Stations and data sheets write the same model differently (`Terra AC W22-T-R-0` and `TERRA AC
/// W22TR0`), so case, spaces, dashes, underscores and dots are ignored. A vendor's legal form is ignored too
/// (`Alfen` and `Alfen B.V.`, `ABB` and `ABB E-mobility` are not: only the legal form is dropped). Models are
/// otherwise compared whole, since `Pulsar` and `Pulsar Plus` are different models.
pub fn matches_boot(vendor: &str, model: &str, boot_vendor: &str, boot_model: &str) -> bool {
    vendor_key(vendor) == vendor_key(boot_vendor) && !key(model).is_empty() && key(model) == key(boot_model)
}

/// The key under which a catalog keeps a model: vendor and model as [`matches_boot`] compares them, so that
/// two spellings of one model are one entry and a BootNotification finds its entry by key.
pub fn model_key(vendor: &str, model: &str) -> String {
    // U+001F (unit separator) cannot occur in either key: control characters are refused in names.
    format!("{}\u{1f}{}", vendor_key(vendor), key(model))
}

/// Lower case, without spaces, dashes, underscores and dots.
fn key(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_' | '.')).flat_map(char::to_lowercase).collect()
}

/// Legal forms that follow a company's name, written without dots (`B.V.` is `bv`).
const LEGAL_FORMS: &[&str] = &[
    "ab",
    "ag",
    "as",
    "bv",
    "co",
    "corp",
    "corporation",
    "gmbh",
    "inc",
    "kg",
    "llc",
    "ltd",
    "limited",
    "nv",
    "oy",
    "plc",
    "sa",
    "sas",
    "sarl",
    "se",
    "spa",
    "srl",
    "sro",
];

/// The vendor as compared: lower case, without spaces and punctuation, without a trailing legal form
/// (`ABB B.V.` and `abb` are the same vendor). Also keys the per-vendor provisioning profiles of a handover.
pub fn vendor_key(s: &str) -> String {
    let mut words: Vec<String> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|w| w.chars().filter(|c| *c != '.').flat_map(char::to_lowercase).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect();
    while words.len() > 1 && words.last().is_some_and(|w| LEGAL_FORMS.contains(&w.as_str())) {
        words.pop();
    }
    key(&words.concat())
}

/// A firmware version as stations report it (`firmwareVersion`, CiString50), ordered the way firmware versions
/// are meant, not as text.
///
/// Vendors write versions every way: `1.2.10`, `v2.0.1`, `2.0.1-beta`, `R4.3.0_b12`, `5.22.3-13295`. So parsing
/// is lenient: letters before the first digit are a prefix and dropped (`v`, `R`, `FW`); the rest is split into
/// runs of digits and runs of letters, and anything else separates them. Comparison goes part by part:
///
/// - numbers compare as numbers (`1.2.10` > `1.2.9`), and a missing number is 0 (`1.2` = `1.2.0`);
/// - pre-release words (`dev`, `snapshot`, `alpha`, `beta`, `pre`, `preview`, `rc`, in that order) come before
///   the release (`2.0.1-beta` < `2.0.1-rc1` < `2.0.1`);
/// - any other word is a later build of the same release (`2.0.1-hotfix` > `2.0.1`, `R4.3.0_b12` >
///   `R4.3.0`), but before the next number (`2.0.1-hotfix` < `2.0.1.1`).
///
/// Equality is by that order (`v2.0` equals `2.0.0`); [`FirmwareVersion::as_str`] keeps what was reported.
#[derive(Debug, Clone)]
pub struct FirmwareVersion {
    raw: String,
    parts: Vec<Part>,
}

/// One part of a version. The derived order is the comparison: pre-release words, then "nothing" (a missing
/// part, equal to the number 0), then other words, then numbers above 0.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Part {
    /// Rank in [`PRE_RELEASE`], then the word itself (`rc` and `pre` share a rank).
    Pre(u8, String),
    /// A missing part, or the number 0.
    Zero,
    /// Another word, lower case.
    Word(String),
    /// A number above 0: its digits without leading zeros, compared by length then digits, so any length works.
    Number(usize, String),
}

const PRE_RELEASE: &[(&str, u8)] =
    &[("dev", 0), ("snapshot", 0), ("alpha", 1), ("beta", 2), ("pre", 3), ("preview", 3), ("rc", 3)];

impl FirmwareVersion {
    /// OCPP's `firmwareVersion` is a CiString50.
    pub const MAX_LEN: usize = 50;

    /// Refuses an empty version, one longer than [`Self::MAX_LEN`], one with control characters, and one without a
    /// digit (such as `unknown`), which says nothing about its age.
    pub fn parse(s: &str) -> Result<FirmwareVersion, DomainError> {
        let t = s.trim();
        if t.is_empty() || t.chars().count() > Self::MAX_LEN {
            return Err(DomainError::invalid(
                "firmware version",
                s,
                format!("must be 1 to {} characters", Self::MAX_LEN),
            ));
        }
        if t.chars().any(char::is_control) {
            return Err(DomainError::invalid("firmware version", s, "must not contain control characters"));
        }
        let Some(start) = t.find(|c: char| c.is_ascii_digit()) else {
            return Err(DomainError::invalid("firmware version", s, "has no number in it, e.g. 1.2.3"));
        };
        let mut parts = Vec::new();
        let mut rest = &t[start..];
        while let Some(c) = rest.chars().next() {
            let len = if c.is_ascii_digit() {
                rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len())
            } else if c.is_alphabetic() {
                rest.find(|c: char| !c.is_alphabetic()).unwrap_or(rest.len())
            } else {
                rest = &rest[c.len_utf8()..];
                continue;
            };
            let (token, tail) = rest.split_at(len);
            rest = tail;
            parts.push(if c.is_ascii_digit() {
                let digits = token.trim_start_matches('0');
                if digits.is_empty() { Part::Zero } else { Part::Number(digits.len(), digits.to_string()) }
            } else {
                let word = token.to_lowercase();
                match PRE_RELEASE.iter().find(|(w, _)| *w == word) {
                    Some((_, rank)) => Part::Pre(*rank, word),
                    None => Part::Word(word),
                }
            });
        }
        // Trailing zeros are "nothing": 1.2.0 is 1.2.
        while parts.last() == Some(&Part::Zero) {
            parts.pop();
        }
        Ok(FirmwareVersion { raw: t.to_string(), parts })
    }

    /// As reported, trimmed.
    pub fn as_str(&self) -> &str {
        &self.raw
    }
}

impl PartialEq for FirmwareVersion {
    fn eq(&self, other: &Self) -> bool {
        self.parts == other.parts
    }
}

impl Eq for FirmwareVersion {}

impl Hash for FirmwareVersion {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.parts.hash(state);
    }
}

impl PartialOrd for FirmwareVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for FirmwareVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let n = self.parts.len().max(other.parts.len());
        (0..n)
            .map(|i| {
                let a = self.parts.get(i).unwrap_or(&Part::Zero);
                let b = other.parts.get(i).unwrap_or(&Part::Zero);
                a.cmp(b)
            })
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    }
}

impl fmt::Display for FirmwareVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl std::str::FromStr for FirmwareVersion {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, DomainError> {
        FirmwareVersion::parse(s)
    }
}

/// The firmware item of the verification checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FirmwareCheck {
    /// At or above the model's minimum, or the model has none.
    Ok,
    /// Below the model's minimum: the evidence for a red item.
    TooOld { min: FirmwareVersion, reported: FirmwareVersion },
    /// The model has a minimum but the station reported no version, or one without a number in it.
    Unknown,
}

/// Whether the firmware a station reported (BootNotification's optional `firmwareVersion`) is at or above the
/// model's minimum. A model without a minimum accepts any firmware, even none.
pub fn firmware_ok(min: Option<&FirmwareVersion>, reported: Option<&str>) -> FirmwareCheck {
    let Some(min) = min else {
        return FirmwareCheck::Ok;
    };
    match reported.map(FirmwareVersion::parse) {
        Some(Ok(v)) if v >= *min => FirmwareCheck::Ok,
        Some(Ok(v)) => FirmwareCheck::TooOld { min: min.clone(), reported: v },
        _ => FirmwareCheck::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> FirmwareVersion {
        FirmwareVersion::parse(s).unwrap()
    }

    #[test]
    fn one_key_for_two_spellings_of_a_model() {
        assert_eq!(model_key("ABB", "Terra AC W22-T-R-0"), model_key("ABB B.V.", "TERRA AC W22TR0"));
        assert_ne!(model_key("ABB", "Terra AC"), model_key("ABB E-mobility", "Terra AC"));
        assert_ne!(model_key("Wallbox", "Pulsar"), model_key("Wallbox", "Pulsar Plus"));
        // The separator keeps vendor and model apart: "AB" + "CD" is not "A" + "BCD".
        assert_ne!(model_key("Ab", "Cd"), model_key("A", "Bcd"));
        let m = KnownModel::new(" Alfen ", "Eve Single", None).unwrap();
        assert_eq!(m.key(), model_key("alfen bv", "EVE-SINGLE"));
    }

    #[test]
    fn firmware_order() {
        use Ordering::*;
        let cases: &[(&str, &str, Ordering)] = &[
            ("1.2.10", "1.2.9", Greater),
            ("1.10", "1.9", Greater),
            ("v2.0.1", "2.0.1", Equal),
            ("V2.0.1", "v2.0.0", Greater),
            ("2.0.1-beta", "2.0.1", Less),
            ("2.0.1-beta", "2.0.0", Greater),
            ("2.0.1-alpha", "2.0.1-beta", Less),
            ("2.0.1-beta.2", "2.0.1-beta.10", Less),
            ("2.0.1-rc1", "2.0.1-beta3", Greater),
            ("2.0.1-rc1", "2.0.1", Less),
            ("2.0.1-RC2", "2.0.1-rc1", Greater),
            ("2.0.1-dev", "2.0.1-alpha", Less),
            ("R4.3.0_b12", "R4.3.0_b9", Greater),
            ("R4.3.0_b12", "4.3.0", Greater),
            ("R4.3.0_b12", "4.3.1", Less),
            ("2.0.1-hotfix", "2.0.1", Greater),
            ("2.0.1-hotfix", "2.0.1.1", Less),
            ("1.2", "1.2.0", Equal),
            ("1.2", "1.2.1", Less),
            ("1.2.0-beta", "1.2", Less),
            ("01.02.003", "1.2.3", Equal),
            ("5.22.3-13295", "5.22.3-9999", Greater),
            ("5.22.3-13295", "5.22.4", Less),
            ("FW 3.1", "3.0.99", Greater),
            ("20240105", "20231231", Greater),
            ("99999999999999999999999999.1", "99999999999999999999999998.9", Greater),
            ("1.0.0", "0.9.9", Greater),
            ("0.9", "0.10", Less),
        ];
        for (a, b, want) in cases {
            assert_eq!(v(a).cmp(&v(b)), *want, "{a} vs {b}");
            assert_eq!(v(b).cmp(&v(a)), want.reverse(), "{b} vs {a}");
            assert_eq!(v(a) == v(b), *want == Equal, "{a} == {b}");
        }
        // A total order: sorting is stable and transitive over the whole table.
        let mut all: Vec<FirmwareVersion> = cases.iter().flat_map(|(a, b, _)| [v(a), v(b)]).collect();
        all.sort();
        assert!(all.windows(2).all(|w| w[0] <= w[1]));
        for a in &all {
            for b in &all {
                for c in &all {
                    if a <= b && b <= c {
                        assert!(a <= c, "{a} <= {b} <= {c}");
                    }
                }
            }
        }
        assert_eq!(v("  v2.0.1 ").as_str(), "v2.0.1");
    }

    #[test]
    fn firmware_parse_refusals() {
        for bad in ["", "   ", "unknown", "beta", &"1".repeat(51), "1.2\n3"] {
            assert!(FirmwareVersion::parse(bad).is_err(), "{bad:?} accepted");
        }
        assert!(FirmwareVersion::parse(&"1".repeat(50)).is_ok());
    }

    #[test]
    fn firmware_checks() {
        let min = v("2.0.1");
        assert_eq!(firmware_ok(Some(&min), Some("2.0.1")), FirmwareCheck::Ok);
        assert_eq!(firmware_ok(Some(&min), Some("v2.1")), FirmwareCheck::Ok);
        assert_eq!(
            firmware_ok(Some(&min), Some("2.0.1-beta")),
            FirmwareCheck::TooOld { min: v("2.0.1"), reported: v("2.0.1-beta") }
        );
        match firmware_ok(Some(&min), Some("1.9.9")) {
            FirmwareCheck::TooOld { min, reported } => {
                assert_eq!(min.as_str(), "2.0.1");
                assert_eq!(reported.as_str(), "1.9.9");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(firmware_ok(Some(&min), None), FirmwareCheck::Unknown);
        assert_eq!(firmware_ok(Some(&min), Some("unknown")), FirmwareCheck::Unknown);
        assert_eq!(firmware_ok(None, Some("0.0.1")), FirmwareCheck::Ok);
        assert_eq!(firmware_ok(None, None), FirmwareCheck::Ok);
        let m = KnownModel::new("Alfen", "Eve Single Pro-line", Some(v("4.12.0"))).unwrap();
        assert_eq!(m.firmware_check(Some("4.11.9")), FirmwareCheck::TooOld { min: v("4.12"), reported: v("4.11.9") });
        assert_eq!(m.firmware_check(Some("4.12.0-1234")), FirmwareCheck::Ok);
    }

    #[test]
    fn boot_matching() {
        let yes = [
            ("Alfen", "Eve Single Pro-line", "Alfen BV", "Eve Single Pro-line"),
            ("Alfen", "Eve Single Pro-line", "ALFEN B.V.", "EVE SINGLE PROLINE"),
            ("ABB", "Terra AC W22-T-R-0", "ABB", "TERRA AC W22TR0"),
            ("Wallbox", "Pulsar Plus", "wallbox", "PulsarPlus"),
            ("Easee", "Home", " Easee AS ", "home"),
            ("Mennekes", "AMTRON Charge Control", "MENNEKES GmbH", "AMTRON_Charge_Control"),
            ("Zaptec", "Go", "Zaptec", "GO"),
            ("Ecotap", "EVC30", "ecotap", "evc-30"),
        ];
        for (v, m, bv, bm) in yes {
            assert!(matches_boot(v, m, bv, bm), "{v} {m} vs {bv} {bm}");
        }
        let no = [
            ("Alfen", "Eve Single Pro-line", "Alfen", "Eve Double Pro-line"),
            ("Wallbox", "Pulsar Plus", "Wallbox", "Pulsar"),
            ("Wallbox", "Pulsar", "Wallbox", "Pulsar Max"),
            ("ABB", "Terra AC", "ABB E-mobility", "Terra AC"),
            ("ABB", "Terra AC", "Alfen", "Terra AC"),
            ("Easee", "Home", "Easee", "Charge"),
            ("Zaptec", "Go", "Zaptec", ""),
            ("Zaptec", "", "Zaptec", ""),
        ];
        for (v, m, bv, bm) in no {
            assert!(!matches_boot(v, m, bv, bm), "{v} {m} vs {bv} {bm}");
        }
        let m = KnownModel::new(" Alfen ", "Eve Mini", None).unwrap();
        assert_eq!(m.vendor, "Alfen");
        assert!(m.matches_boot("Alfen BV", "EVE MINI"));
        assert!(KnownModel::new("", "x", None).is_err());
        assert!(KnownModel::new("x", &"m".repeat(51), None).is_err());
        assert!(KnownModel::new("x\n", "m", None).is_ok(), "trimmed");
        assert!(KnownModel::new("x\ny", "m", None).is_err());
    }
}
