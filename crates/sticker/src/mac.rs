//! The station's MAC address, as printed on the sticker and typed by the installer.

use std::fmt;
use std::str::FromStr;

/// A 48-bit MAC address.
///
/// The ChargePoint guide has the installer "enter the MAC address and activation password printed
/// on the activation label" and later check that the station's screen shows a MAC address that
/// "matches the one on the CP Activation Sticker", so people copy it from one place to another in
/// whatever spelling they see. [`parse`](Self::parse) takes the common ones; `Display` gives one
/// canonical form, upper case with colons (`AA:BB:CC:DD:EE:FF`), for stickers, URLs and comparisons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MacAddress([u8; 6]);

impl MacAddress {
    /// The address from its six octets.
    pub const fn from_octets(octets: [u8; 6]) -> Self {
        Self(octets)
    }

    /// The six octets.
    pub const fn octets(&self) -> [u8; 6] {
        self.0
    }

    /// Reads `AA:BB:CC:DD:EE:FF`, `aa-bb-cc-dd-ee-ff` or `aabbccddeeff`, in either case. White space
    /// around the address is ignored; anything else that is not a hexadecimal digit or the one
    /// separator is refused with the position of the offending character.
    pub fn parse(input: &str) -> Result<Self, MacError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(MacError::Empty);
        }
        // Positions are counted in the input as given, so count the white space we trimmed.
        let leading = input[..input.len() - input.trim_start().len()].chars().count();

        let mut separator = None;
        for (i, ch) in trimmed.chars().enumerate() {
            let position = leading + i + 1;
            match ch {
                ':' | '-' => match separator {
                    None => separator = Some(ch),
                    Some(s) if s == ch => {}
                    Some(_) => return Err(MacError::MixedSeparators { position }),
                },
                c if c.is_ascii_hexdigit() => {}
                c => return Err(MacError::InvalidCharacter { ch: c, position }),
            }
        }

        let mut octets = [0u8; 6];
        match separator {
            None => {
                if trimmed.len() != 12 {
                    return Err(MacError::WrongDigitCount { found: trimmed.len() });
                }
                for (octet, pair) in octets.iter_mut().zip(trimmed.as_bytes().chunks(2)) {
                    *octet = hex_pair(pair);
                }
            }
            Some(sep) => {
                let groups: Vec<&str> = trimmed.split(sep).collect();
                if groups.len() != 6 {
                    return Err(MacError::WrongGroupCount { found: groups.len(), separator: sep });
                }
                for (index, group) in groups.iter().enumerate() {
                    if group.len() != 2 {
                        return Err(MacError::WrongGroupLength { group: index + 1, found: group.len() });
                    }
                    octets[index] = hex_pair(group.as_bytes());
                }
            }
        }
        Ok(Self(octets))
    }
}

/// Two ASCII hexadecimal digits, already checked.
fn hex_pair(pair: &[u8]) -> u8 {
    let digit = |b: u8| (b as char).to_digit(16).expect("checked hexadecimal digit") as u8;
    digit(pair[0]) << 4 | digit(pair[1])
}

impl fmt::Display for MacAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d, e, g] = self.0;
        write!(f, "{a:02X}:{b:02X}:{c:02X}:{d:02X}:{e:02X}:{g:02X}")
    }
}

impl FromStr for MacAddress {
    type Err = MacError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Why a MAC address was refused. Positions count characters from 1 in the input as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MacError {
    #[error("the MAC address is empty: type the 12 hexadecimal digits, e.g. AA:BB:CC:DD:EE:FF")]
    Empty,
    #[error(
        "character {position} ('{ch}') cannot be part of a MAC address: it has the digits 0-9 and letters A-F, \
         optionally in pairs separated by ':' or '-'"
    )]
    InvalidCharacter { ch: char, position: usize },
    #[error("character {position} mixes ':' and '-': use one separator throughout, e.g. AA:BB:CC:DD:EE:FF")]
    MixedSeparators { position: usize },
    #[error("the MAC address has {found} hexadecimal digits but needs 12")]
    WrongDigitCount { found: usize },
    #[error("the MAC address has {found} groups separated by '{separator}' but needs 6, e.g. AA:BB:CC:DD:EE:FF")]
    WrongGroupCount { found: usize, separator: char },
    #[error("group {group} of the MAC address has {found} digits but needs 2 (write 0A, not A)")]
    WrongGroupLength { group: usize, found: usize },
}
