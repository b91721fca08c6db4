//! The activation password.

use std::fmt;
use std::str::FromStr;

/// The characters an activation password is made of: the digits 2 to 9 and the letters A to Z, less
/// the look-alikes `0`/`O` and `1`/`I`/`L`. An installer reads the password off a sticker, often in a
/// dim cabinet, and types it on a phone; none of the characters left can be mistaken for another one
/// of them. 31 characters.
pub const ALPHABET: &str = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// Characters in a password, not counting the dashes between groups.
///
/// Why 20 and not 16: 16 characters of a 31-character alphabet give 79.3 bits, short of the 80 we
/// want, and the alphabet cannot grow to 32 without letting a look-alike back in.
pub const CODE_LEN: usize = 20;

/// Characters per group in the printed form (`K7QX-M2PD-…`): short groups are easy to keep one's
/// place in while typing.
pub const GROUP_LEN: usize = 4;

/// Bits of entropy of a generated password, rounded down: 20 × log2(31) ≈ 99.08. One-time codes
/// guarded by a rate limit need far less, but a sticker stays on a station for years and the code is
/// the only secret between a passer-by and claiming the station, so we keep a wide margin.
pub const ENTROPY_BITS: u32 = 99;

/// Characters ruled out of [`ALPHABET`] because they look like another character. Typed anyway, they
/// get an error of their own that says so.
const LOOK_ALIKES: &[char] = &['0', 'O', '1', 'I', 'L'];

/// A one-time activation password, the secret an installer uses to claim a station ("Activation
/// Password:" on the ChargePoint guide's activation sticker).
///
/// Always valid: [`CODE_LEN`] characters of [`ALPHABET`]. Its canonical form
/// ([`as_str`](Self::as_str), `Display`) is upper case in dash-separated groups of four, as printed.
///
/// `Debug` does not show the password (DESIGN.md habit 7: no secret in a log line); `Display` does,
/// because printing it on a sticker is the point.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ActivationCode {
    /// Canonical form: groups of [`GROUP_LEN`] joined by `-`.
    grouped: String,
}

impl ActivationCode {
    /// A new random password from the thread's cryptographically secure generator (`rand::rng()`,
    /// seeded from the operating system).
    pub fn generate() -> Self {
        Self::generate_with(&mut rand::rng())
    }

    /// A new password from `rng`. Each character is drawn uniformly by rejection sampling (five random
    /// bits, drawn again when they make 31), so no character is likelier than another and the entropy
    /// is the full [`ENTROPY_BITS`].
    pub(crate) fn generate_with<R: rand::CryptoRng + ?Sized>(rng: &mut R) -> Self {
        Self::from_symbols(&symbols_with(rng, CODE_LEN))
    }

    /// Reads a password as a person typed it: lower case is accepted, and so are spaces, dashes (also
    /// the typographic dashes a phone's keyboard may substitute) and other white space anywhere, which
    /// are ignored. Anything else is refused with an error that says which character to look at again
    /// and why.
    pub fn parse(input: &str) -> Result<Self, CodeError> {
        let mut symbols = Vec::with_capacity(CODE_LEN);
        for ch in input.chars() {
            if is_separator(ch) {
                continue;
            }
            let upper = ch.to_ascii_uppercase();
            let position = symbols.len() + 1;
            if LOOK_ALIKES.contains(&upper) {
                return Err(CodeError::LookAlike { ch, position });
            }
            if !upper.is_ascii() || !ALPHABET.contains(upper) {
                return Err(CodeError::InvalidCharacter { ch, position });
            }
            symbols.push(upper as u8);
        }
        match symbols.len() {
            0 => Err(CodeError::Empty),
            n if n < CODE_LEN => Err(CodeError::TooShort { found: n }),
            n if n > CODE_LEN => Err(CodeError::TooLong { found: n }),
            _ => Ok(Self::from_symbols(&symbols)),
        }
    }

    /// The canonical, printed form: upper case, groups of four joined by dashes
    /// (`K7QX-M2PD-…`, 24 characters).
    pub fn as_str(&self) -> &str {
        &self.grouped
    }

    /// The form to hash and compare: the 20 characters, upper case, without separators. Whatever
    /// spelling [`parse`](Self::parse) accepted, the same password gives the same normalized form.
    pub fn normalized(&self) -> String {
        self.grouped.chars().filter(|&c| c != '-').collect()
    }

    /// `symbols` must be `CODE_LEN` bytes of `ALPHABET`.
    fn from_symbols(symbols: &[u8]) -> Self {
        debug_assert_eq!(symbols.len(), CODE_LEN);
        let groups: Vec<&str> =
            symbols.chunks(GROUP_LEN).map(|chunk| std::str::from_utf8(chunk).expect("the alphabet is ASCII")).collect();
        Self { grouped: groups.join("-") }
    }
}

/// Separators a person may type between characters: spaces and other white space, the ASCII dash, and
/// the Unicode hyphens and dashes that phone keyboards and copy-paste produce.
fn is_separator(ch: char) -> bool {
    ch.is_whitespace() || ch == '-' || ('\u{2010}'..='\u{2015}').contains(&ch) || ch == '\u{2212}'
}

impl fmt::Display for ActivationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.grouped)
    }
}

impl fmt::Debug for ActivationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ActivationCode(<redacted>)")
    }
}

impl FromStr for ActivationCode {
    type Err = CodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Why a typed activation password was refused. The messages speak to the person typing: what is
/// wrong and what to do. They name at most one character, never the password.
///
/// `position` counts the password's characters from 1, not counting separators, as on the sticker.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("the activation password is empty: type the {CODE_LEN} characters printed on the sticker")]
    Empty,
    #[error(
        "character {position} ('{ch}') cannot be right: activation passwords never contain 0, O, 1, I or L; \
         look at that character on the sticker again"
    )]
    LookAlike { ch: char, position: usize },
    #[error(
        "character {position} ('{ch}') cannot be part of an activation password: it has only the letters A-Z \
         (without I, L and O) and the digits 2-9, in groups separated by dashes or spaces"
    )]
    InvalidCharacter { ch: char, position: usize },
    #[error("the activation password has {found} characters but needs {CODE_LEN}: one or more are missing")]
    TooShort { found: usize },
    #[error("the activation password has {found} characters but needs {CODE_LEN}: remove the extra ones")]
    TooLong { found: usize },
}

/// `len` characters of [`ALPHABET`] from the system's secure generator, each drawn uniformly: for one-time
/// secrets that are not activation passwords (e.g. a test session's id tag), with the same look-alike-free
/// characters.
pub fn random_symbols(len: usize) -> String {
    String::from_utf8(symbols_with(&mut rand::rng(), len)).unwrap_or_default()
}

/// `len` characters of [`ALPHABET`], each drawn uniformly by rejection sampling (five random bits, drawn again
/// when they make 31 or more), so no character is likelier than another.
fn symbols_with<R: rand::CryptoRng + ?Sized>(rng: &mut R, len: usize) -> Vec<u8> {
    let alphabet = ALPHABET.as_bytes();
    let mut symbols = Vec::with_capacity(len);
    while symbols.len() < len {
        let mut word = rng.next_u32();
        // Six 5-bit draws per 32-bit word.
        for _ in 0..6 {
            let index = (word & 0b1_1111) as usize;
            word >>= 5;
            if index < alphabet.len() && symbols.len() < len {
                symbols.push(alphabet[index]);
            }
        }
    }
    symbols
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_symbols_have_the_length_asked_for_and_only_alphabet_characters() {
        for len in [0, 1, 15, 64] {
            let s = random_symbols(len);
            assert_eq!(s.len(), len);
            assert!(s.chars().all(|c| ALPHABET.contains(c)), "{s}");
        }
        assert_ne!(random_symbols(15), random_symbols(15));
    }

    #[test]
    fn entropy_constant_matches_the_alphabet_and_length() {
        let bits = CODE_LEN as f64 * (ALPHABET.len() as f64).log2();
        assert_eq!(ENTROPY_BITS, bits.floor() as u32);
        const { assert!(ENTROPY_BITS >= 80) };
        assert_eq!(ALPHABET.len(), 31);
        for c in LOOK_ALIKES {
            assert!(!ALPHABET.contains(*c), "{c} is a look-alike");
        }
        // Sorted and without repeats, so the count above means 31 distinct characters.
        assert!(ALPHABET.as_bytes().windows(2).all(|w| w[0] < w[1]));
    }

    /// A generator that always returns the same word, to drive the rejection branch.
    struct Constant(u32);
    impl rand::TryRng for Constant {
        type Error = std::convert::Infallible;
        fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
            Ok(self.0)
        }
        fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
            Ok(u64::from(self.0))
        }
        fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
            dst.fill(self.0 as u8);
            Ok(())
        }
    }
    impl rand::TryCryptoRng for Constant {}

    #[test]
    fn generation_maps_five_bit_draws_onto_the_alphabet() {
        // 0 selects the first character each time.
        assert_eq!(ActivationCode::generate_with(&mut Constant(0)).normalized(), "2".repeat(CODE_LEN));
        // 30 (0b11110) in every 5-bit slot selects the last character.
        let thirty = (0..6).fold(0u32, |w, i| w | (30 << (5 * i)));
        assert_eq!(ActivationCode::generate_with(&mut Constant(thirty)).normalized(), "Z".repeat(CODE_LEN));
        // 31 in the low slot is rejected, the following 0 slots are used.
        assert_eq!(ActivationCode::generate_with(&mut Constant(31)).normalized(), "2".repeat(CODE_LEN));
    }
}
