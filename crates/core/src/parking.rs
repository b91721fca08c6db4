//! Where exactly a driver finds a station once at its address.
//!
//! Onboarding ("Activation sticker and installer claim") asks the installer for "the exact parking space" and
//! "driver directions (parking lot, floor, restrictions)". Both are free text shown to drivers, so they are
//! bounded and free of characters that would garble a page or a log.

use std::fmt;

use crate::DomainError;

/// Control characters and the Unicode bidirectional overrides, which can make a text displayed to drivers read
/// differently from what is stored.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// The parking space of a station (`P2-014`, `level -1, bay 12`): one line of at most 64 characters, trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ParkingSpot(String);

impl ParkingSpot {
    pub const MAX_LEN: usize = 64;

    pub fn parse(s: &str) -> Result<ParkingSpot, DomainError> {
        let t = s.trim();
        let n = t.chars().count();
        if n == 0 || n > Self::MAX_LEN {
            return Err(DomainError::invalid("parking spot", s, format!("must be 1 to {} characters", Self::MAX_LEN)));
        }
        if t.chars().any(|c| c.is_control() || is_bidi_control(c)) {
            return Err(DomainError::invalid("parking spot", s, "must be one line, without control characters"));
        }
        Ok(ParkingSpot(t.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Directions for drivers (parking lot, floor, restrictions): at most 1000 characters, trimmed. Line breaks
/// are kept (written `\n`; `\r\n` becomes `\n`), since directions are often a few lines; other control
/// characters are refused.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DriverDirections(String);

impl DriverDirections {
    pub const MAX_LEN: usize = 1000;

    pub fn parse(s: &str) -> Result<DriverDirections, DomainError> {
        let normalized = s.replace("\r\n", "\n");
        let t = normalized.trim();
        let n = t.chars().count();
        if n == 0 || n > Self::MAX_LEN {
            return Err(DomainError::invalid(
                "driver directions",
                s,
                format!("must be 1 to {} characters", Self::MAX_LEN),
            ));
        }
        if t.chars().any(|c| (c.is_control() && c != '\n') || is_bidi_control(c)) {
            return Err(DomainError::invalid(
                "driver directions",
                s,
                "must not contain control characters other than line breaks",
            ));
        }
        Ok(DriverDirections(t.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! text_traits {
    ($name:ident) => {
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::str::FromStr for $name {
            type Err = DomainError;
            fn from_str(s: &str) -> Result<Self, DomainError> {
                $name::parse(s)
            }
        }
    };
}

text_traits!(ParkingSpot);
text_traits!(DriverDirections);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parking_spots() {
        assert_eq!(ParkingSpot::parse(" P2-014 ").unwrap().as_str(), "P2-014");
        assert_eq!(ParkingSpot::parse("niveau -1, vak 12").unwrap().to_string(), "niveau -1, vak 12");
        assert!(ParkingSpot::parse(&"é".repeat(64)).is_ok(), "characters, not bytes");
        assert!(ParkingSpot::parse(&"x".repeat(65)).is_err());
        assert!(ParkingSpot::parse("").is_err());
        assert!(ParkingSpot::parse("   ").is_err());
        assert!(ParkingSpot::parse("bay\n12").is_err());
        assert!(ParkingSpot::parse("bay\t12").is_err());
        assert!(ParkingSpot::parse("bay \u{202E}21").is_err());
        assert!(ParkingSpot::parse(&"x".repeat(10_000)).unwrap_err().to_string().len() < 200);
    }

    #[test]
    fn driver_directions() {
        let d = DriverDirections::parse("Garage P2, level -1.\r\nBays 10-14, max height 2.1 m.\n").unwrap();
        assert_eq!(d.as_str(), "Garage P2, level -1.\nBays 10-14, max height 2.1 m.");
        assert!(DriverDirections::parse(&"d".repeat(1000)).is_ok());
        assert!(DriverDirections::parse(&"d".repeat(1001)).is_err());
        assert!(DriverDirections::parse("").is_err());
        assert!(DriverDirections::parse("a\u{0}b").is_err());
        assert!(DriverDirections::parse("a\tb").is_err());
        assert!(DriverDirections::parse("a\u{2066}b").is_err());
    }
}
