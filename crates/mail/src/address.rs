//! A validated e-mail address.
//!
//! Addresses come from people (an owner's account, a form), so a wrong one must be refused where it is
//! typed, with the reason, rather than bounce later at the SMTP server. The rule is the common subset of
//! RFC 5321 that every server accepts: a dot-atom local part (no quoted strings, no comments) and a DNS
//! host name, ASCII only (internationalized addresses need SMTPUTF8, which Joule does not use).

use std::fmt;
use std::str::FromStr;

/// An e-mail address such as `owner@example.com`: ASCII, a dot-atom local part of at most 64 characters,
/// a host name domain, at most 254 characters in all (RFC 5321 §4.5.3.1). Stored as given, except that
/// surrounding white space is trimmed.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Address(String);

/// Why a text is not an [`Address`]. The message names the part that is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    #[error("the e-mail address is empty")]
    Empty,
    #[error("the e-mail address is longer than 254 characters")]
    TooLong,
    #[error("the e-mail address has no '@'")]
    NoAt,
    #[error("the e-mail address has nothing before the '@'")]
    EmptyLocalPart,
    #[error("the part before the '@' is longer than 64 characters")]
    LocalPartTooLong,
    #[error("the part before the '@' may not contain {0:?}")]
    LocalPartCharacter(char),
    #[error("the part before the '@' may not start or end with a dot, or have two dots in a row")]
    LocalPartDots,
    #[error("the e-mail address has nothing after the '@'")]
    EmptyDomain,
    #[error("the domain after the '@' may not contain {0:?}")]
    DomainCharacter(char),
    #[error("the domain after the '@' has an empty part (a leading, trailing or double dot)")]
    DomainEmptyLabel,
    #[error("a part of the domain is longer than 63 characters")]
    DomainLabelTooLong,
    #[error("a part of the domain starts or ends with '-'")]
    DomainLabelHyphen,
}

/// The characters RFC 5322 §3.2.3 allows in an atom besides letters and digits.
const ATEXT_SPECIALS: &str = "!#$%&'*+-/=?^_`{|}~";

impl Address {
    /// Checks `text` and keeps it (trimmed) when it is an address.
    pub fn parse(text: &str) -> Result<Self, AddressError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(AddressError::Empty);
        }
        if text.len() > 254 {
            return Err(AddressError::TooLong);
        }
        // The domain cannot contain '@', so the last one separates the parts; an '@' in the local part is
        // then refused as a character.
        let (local, domain) = text.rsplit_once('@').ok_or(AddressError::NoAt)?;
        check_local_part(local)?;
        check_domain(domain)?;
        Ok(Self(text.to_owned()))
    }

    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after the `@`.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, domain)| domain)
    }
}

fn check_local_part(local: &str) -> Result<(), AddressError> {
    if local.is_empty() {
        return Err(AddressError::EmptyLocalPart);
    }
    if local.len() > 64 {
        return Err(AddressError::LocalPartTooLong);
    }
    if let Some(c) = local.chars().find(|&c| !(c.is_ascii_alphanumeric() || c == '.' || ATEXT_SPECIALS.contains(c))) {
        return Err(AddressError::LocalPartCharacter(c));
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(AddressError::LocalPartDots);
    }
    Ok(())
}

fn check_domain(domain: &str) -> Result<(), AddressError> {
    if domain.is_empty() {
        return Err(AddressError::EmptyDomain);
    }
    if let Some(c) = domain.chars().find(|&c| !(c.is_ascii_alphanumeric() || c == '.' || c == '-')) {
        return Err(AddressError::DomainCharacter(c));
    }
    for label in domain.split('.') {
        if label.is_empty() {
            return Err(AddressError::DomainEmptyLabel);
        }
        if label.len() > 63 {
            return Err(AddressError::DomainLabelTooLong);
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(AddressError::DomainLabelHyphen);
        }
    }
    Ok(())
}

impl FromStr for Address {
    type Err = AddressError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl TryFrom<String> for Address {
    type Error = AddressError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl AsRef<str> for Address {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Address({:?})", self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Address {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_addresses() {
        for ok in [
            "owner@example.com",
            "first.last+joule@mail.example.co.uk",
            "o'brien@example.ie",
            "x@localhost",
            "  padded@example.com ",
        ] {
            let address = Address::parse(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
            assert_eq!(address.as_str(), ok.trim());
        }
        assert_eq!(Address::parse("a@b.example").unwrap().domain(), "b.example");
    }

    #[test]
    fn refuses_with_the_reason() {
        use AddressError::*;
        let long_local = format!("{}@example.com", "a".repeat(65));
        let long_label = format!("a@{}.com", "b".repeat(64));
        let too_long = format!("a@{}.com", vec!["b".repeat(60); 5].join("."));
        let cases: Vec<(&str, AddressError)> = vec![
            ("", Empty),
            ("   ", Empty),
            ("owner.example.com", NoAt),
            ("@example.com", EmptyLocalPart),
            ("owner@", EmptyDomain),
            ("own er@example.com", LocalPartCharacter(' ')),
            ("a@b@example.com", LocalPartCharacter('@')),
            ("\"quoted\"@example.com", LocalPartCharacter('"')),
            ("jöhn@example.com", LocalPartCharacter('ö')),
            ("owner\r\nBcc: x@y.z@example.com", LocalPartCharacter('\r')),
            (".owner@example.com", LocalPartDots),
            ("own..er@example.com", LocalPartDots),
            ("owner@exa_mple.com", DomainCharacter('_')),
            ("owner@example.com>", DomainCharacter('>')),
            ("owner@example..com", DomainEmptyLabel),
            ("owner@example.com.", DomainEmptyLabel),
            ("owner@-example.com", DomainLabelHyphen),
            (&long_local, LocalPartTooLong),
            (&long_label, DomainLabelTooLong),
            (&too_long, TooLong),
        ];
        for (text, expected) in cases {
            assert_eq!(Address::parse(text), Err(expected), "{text:?}");
        }
        assert_eq!(
            Address::parse("owner@exa mple.com").unwrap_err().to_string(),
            "the domain after the '@' may not contain ' '"
        );
    }

    #[test]
    fn every_accepted_address_is_accepted_by_lettre() {
        for ok in ["owner@example.com", "o'brien+x@a-b.example", "x@localhost"] {
            let address = Address::parse(ok).unwrap();
            assert!(address.as_str().parse::<lettre::Address>().is_ok(), "{ok}");
        }
    }
}
