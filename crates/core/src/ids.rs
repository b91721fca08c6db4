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

/// What a driver presents: its value and, when known, its kind.
///
/// OCPP 2.0.1 IdTokenType (§2.28): `idToken` is an identifierString of at most 36 characters, `type` an
/// IdTokenEnumType. OCPP 1.6 `IdToken` is a CiString20 (§7.29) with no type; its adapter keeps the 1.6 limit on
/// the wire, so a token longer than 20 characters is valid here but no 1.6 station can present it.
///
/// Two tokens are equal when their values are: the kind describes how the value was read, it does not make
/// another token. Stations compare values case-insensitively; Joule stores them as given.
#[derive(Debug, Clone)]
pub struct IdToken {
    value: String,
    kind: Option<IdTokenType>,
}

/// The name the code written for OCPP 1.6 knows a token by; the same type.
pub type IdTag = IdToken;

impl IdToken {
    pub const MAX_LEN: usize = 36;

    /// A token without a kind (as 1.6 stations present them).
    pub fn parse(s: &str) -> Result<IdToken, DomainError> {
        if s.is_empty() || s.chars().count() > Self::MAX_LEN {
            return Err(DomainError::invalid("id tag", s, format!("must be 1 to {} characters", Self::MAX_LEN)));
        }
        if s.chars().any(|c| c.is_control()) {
            return Err(DomainError::invalid("id tag", s, "must not contain control characters"));
        }
        Ok(IdToken { value: s.to_string(), kind: None })
    }

    /// The same token, said to be of `kind` (or of no stated kind).
    pub fn with_kind(self, kind: Option<IdTokenType>) -> IdToken {
        IdToken { kind, ..self }
    }

    pub fn as_str(&self) -> &str {
        &self.value
    }

    pub fn kind(&self) -> Option<IdTokenType> {
        self.kind
    }
}

impl PartialEq for IdToken {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl Eq for IdToken {}

impl std::hash::Hash for IdToken {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.value.hash(state)
    }
}

impl PartialOrd for IdToken {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for IdToken {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.value.cmp(&other.value)
    }
}

impl fmt::Display for IdToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl AsRef<str> for IdToken {
    fn as_ref(&self) -> &str {
        &self.value
    }
}

impl std::str::FromStr for IdToken {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, DomainError> {
        IdToken::parse(s)
    }
}

/// How a token was read or issued: OCPP 2.0.1 IdTokenEnumType (§3.43).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdTokenType {
    Central,
    EMaid,
    Iso14443,
    Iso15693,
    KeyCode,
    Local,
    MacAddress,
    NoAuthorization,
}

impl IdTokenType {
    pub const ALL: [IdTokenType; 8] = [
        IdTokenType::Central,
        IdTokenType::EMaid,
        IdTokenType::Iso14443,
        IdTokenType::Iso15693,
        IdTokenType::KeyCode,
        IdTokenType::Local,
        IdTokenType::MacAddress,
        IdTokenType::NoAuthorization,
    ];

    /// The name as OCPP 2.0.1 spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            IdTokenType::Central => "Central",
            IdTokenType::EMaid => "eMAID",
            IdTokenType::Iso14443 => "ISO14443",
            IdTokenType::Iso15693 => "ISO15693",
            IdTokenType::KeyCode => "KeyCode",
            IdTokenType::Local => "Local",
            IdTokenType::MacAddress => "MacAddress",
            IdTokenType::NoAuthorization => "NoAuthorization",
        }
    }

    pub fn parse(s: &str) -> Result<IdTokenType, DomainError> {
        IdTokenType::ALL.into_iter().find(|t| t.as_str() == s).ok_or_else(|| {
            DomainError::invalid(
                "id token type",
                s,
                "expected Central, eMAID, ISO14443, ISO15693, KeyCode, Local, MacAddress or NoAuthorization",
            )
        })
    }
}

impl fmt::Display for IdTokenType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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

/// Joule's own id of a session: unique across connectors, stations and restarts (it comes from a database
/// sequence). API paths and reports name sessions by it. To an OCPP 1.6 station it is also the transaction id
/// (1.6 `transactionId` is an integer the central system assigns, §6.46), so it stays within i32 on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SessionId(pub i64);

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

string_id!(
    /// The station's id of a transaction: OCPP 2.0.1 `transactionId`, an identifierString of at most 36
    /// characters that the station chooses. For a 1.6 station it is the decimal text of the [`SessionId`]
    /// Joule assigned. Unique per station, not across stations.
    TransactionId
);

impl TransactionId {
    pub const MAX_LEN: usize = 36;

    pub fn parse(s: &str) -> Result<TransactionId, DomainError> {
        if s.is_empty() || s.chars().count() > Self::MAX_LEN {
            return Err(DomainError::invalid(
                "transaction id",
                s,
                format!("must be 1 to {} characters", Self::MAX_LEN),
            ));
        }
        if s.chars().any(|c| c.is_control()) {
            return Err(DomainError::invalid("transaction id", s, "must not contain control characters"));
        }
        Ok(TransactionId(s.to_string()))
    }

    /// The transaction id of a station that takes Joule's session id as its own (OCPP 1.6).
    pub fn of_session(id: SessionId) -> TransactionId {
        TransactionId(id.0.to_string())
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
    fn id_tokens() {
        assert!(IdToken::parse("04A2B3C4D5E6F7").is_ok());
        assert!(IdToken::parse(&"t".repeat(20)).is_ok());
        assert!(IdToken::parse(&"t".repeat(21)).is_ok(), "2.0.1 tokens are longer than 1.6's 20");
        assert!(IdToken::parse(&"t".repeat(36)).is_ok());
        let e = IdToken::parse(&"t".repeat(37)).unwrap_err();
        assert!(e.to_string().contains("must be 1 to 36 characters"), "{e}");
        assert!(IdToken::parse("a\nb").is_err());
        assert!(IdToken::parse("").is_err());
    }

    #[test]
    fn a_tokens_kind_does_not_make_another_token() {
        let plain = IdToken::parse("04A2B3C4").unwrap();
        let typed = plain.clone().with_kind(Some(IdTokenType::Iso14443));
        assert_eq!(plain, typed);
        assert_eq!(typed.kind(), Some(IdTokenType::Iso14443));
        assert_eq!(plain.kind(), None);
        assert_ne!(plain, IdToken::parse("04A2B3C5").unwrap());
    }

    #[test]
    fn token_types_use_the_2_0_1_names() {
        for t in IdTokenType::ALL {
            assert_eq!(IdTokenType::parse(t.as_str()).unwrap(), t);
        }
        assert_eq!(IdTokenType::EMaid.as_str(), "eMAID");
        assert!(IdTokenType::parse("emaid").is_err());
    }

    #[test]
    fn transaction_ids() {
        assert_eq!(TransactionId::of_session(SessionId(42)).as_str(), "42");
        assert!(TransactionId::parse("0f8c2a4e-1d2b-4c3a-9e8f-7a6b5c4d3e2f").is_ok());
        assert!(TransactionId::parse(&"x".repeat(37)).is_err());
        assert!(TransactionId::parse("").is_err());
    }

    #[test]
    fn errors_cap_the_echoed_value() {
        let e = StationId::parse(&"y".repeat(10_000)).unwrap_err();
        assert!(e.to_string().len() < 200);
    }
}
