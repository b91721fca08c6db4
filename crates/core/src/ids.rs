//! Validating newtypes for identifiers: a value of these types is known to be well-formed.

use std::fmt;

use crate::DomainError;

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

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

string_id!(
    /// A station's identity: the last segment of the URL it connects to.
    ///
    /// OCPP 1.6 Security Whitepaper ed.3 §3.1 and OCPP 2.0.1 Part 4 §3.2 ("identifierString", at most 48
    /// characters). The characters are those of identifierString without `:`, because the id is also the
    /// HTTP Basic-auth user name (security profile 1), where `:` separates user and password.
    StationId
);

/// Characters of an OCPP identifierString (2.0.1 Part 2 §2.1 "identifierString") except `:`.
fn is_station_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "*-_=+|@.".contains(c)
}

impl StationId {
    pub const MAX_LEN: usize = 48;

    pub fn parse(s: &str) -> Result<StationId, DomainError> {
        if s.is_empty() || s.len() > Self::MAX_LEN {
            return Err(DomainError::invalid("station id", s, format!("must be 1 to {} characters", Self::MAX_LEN)));
        }
        if let Some(c) = s.chars().find(|c| !is_station_id_char(*c)) {
            return Err(DomainError::invalid(
                "station id",
                s,
                format!("contains {c:?}; allowed are letters, digits and * - _ = + | @ ."),
            ));
        }
        Ok(StationId(s.to_string()))
    }
}

string_id!(
    /// The secret-free key in an operator's OCPP URL, `/ocpp/{operator-key}/{station-id}`. It routes a
    /// station to its operator; it is not a credential (station passwords are).
    OperatorKey
);

impl OperatorKey {
    pub fn parse(s: &str) -> Result<OperatorKey, DomainError> {
        if !(4..=64).contains(&s.len()) {
            return Err(DomainError::invalid("operator key", s, "must be 4 to 64 characters"));
        }
        if !s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_') {
            return Err(DomainError::invalid("operator key", s, "allowed are lower-case letters, digits, - and _"));
        }
        Ok(OperatorKey(s.to_string()))
    }

    /// A new key from 16 random bytes given by the caller (the domain has no randomness of its own).
    pub fn from_random(bytes: [u8; 16]) -> OperatorKey {
        const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
        OperatorKey(bytes.iter().map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char).collect())
    }
}

string_id!(
    /// What a driver presents: OCPP 1.6 `IdToken`, a CiString20 (§7.29), compared case-insensitively by
    /// stations but stored as given.
    IdTag
);

impl IdTag {
    pub const MAX_LEN: usize = 20;

    pub fn parse(s: &str) -> Result<IdTag, DomainError> {
        if s.is_empty() || s.chars().count() > Self::MAX_LEN {
            return Err(DomainError::invalid("id tag", s, format!("must be 1 to {} characters", Self::MAX_LEN)));
        }
        if s.chars().any(|c| c.is_control()) {
            return Err(DomainError::invalid("id tag", s, "must not contain control characters"));
        }
        Ok(IdTag(s.to_string()))
    }
}

/// An operator's database id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OperatorId(pub i64);

impl fmt::Display for OperatorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A session's transaction id: unique across connectors, stations and restarts (it comes from a database
/// sequence). OCPP 1.6 `transactionId` is an integer, so it stays within i32 on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TransactionId(pub i64);

impl fmt::Display for TransactionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn station_ids() {
        assert!(StationId::parse("CP-001").is_ok());
        assert!(StationId::parse("a.b_c*d=e+f|g@h").is_ok());
        assert!(StationId::parse(&"x".repeat(48)).is_ok());
        assert!(StationId::parse(&"x".repeat(49)).is_err());
        assert!(StationId::parse("").is_err());
        assert!(StationId::parse("a:b").is_err());
        assert!(StationId::parse("a/b").is_err());
        assert!(StationId::parse("a b").is_err());
        assert!(StationId::parse("é").is_err());
    }

    #[test]
    fn operator_keys() {
        let k = OperatorKey::from_random([255; 16]);
        assert_eq!(OperatorKey::parse(k.as_str()).unwrap(), k);
        assert!(OperatorKey::parse("ABC123").is_err());
        assert!(OperatorKey::parse("abc").is_err());
    }

    #[test]
    fn id_tags() {
        assert!(IdTag::parse("04A2B3C4D5E6F7").is_ok());
        assert!(IdTag::parse(&"t".repeat(20)).is_ok());
        assert!(IdTag::parse(&"t".repeat(21)).is_err());
        assert!(IdTag::parse("a\nb").is_err());
    }

    #[test]
    fn errors_cap_the_echoed_value() {
        let e = StationId::parse(&"y".repeat(10_000)).unwrap_err();
        assert!(e.to_string().len() < 200);
    }
}
