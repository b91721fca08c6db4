//! Station addresses, validated as installers need: the installer enters "the address, validated (required
//! parts, country-specific postal code format)" ("Activation sticker and installer claim"), and form errors name
//! the field ("Interfaces and tests": "form errors naming the field").
//!
//! An [`Address`] can only be built by validation, so every stored address has its required parts, a country
//! ISO has assigned, and a postal code in its country's format, written the way that country writes it
//! (`1234ab` becomes `1234 AB` in the Netherlands, `12345` becomes `123 45` in Sweden).

use std::fmt;

use crate::country::CountryCode;

/// A validated postal address of a station.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Address {
    street: String,
    house_number: Option<String>,
    postal_code: Option<String>,
    city: String,
    country: CountryCode,
    region: Option<String>,
}

/// What the installer typed, before validation. Empty strings mean "not given".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AddressInput<'a> {
    pub street: &'a str,
    pub house_number: &'a str,
    pub postal_code: &'a str,
    pub city: &'a str,
    /// ISO 3166-1 alpha-2 (`NL`), any case.
    pub country: &'a str,
    /// State, province or county; required where addresses need one (US, CA, AU).
    pub region: &'a str,
}

/// The field an [`AddressError`] is about, named as the API and the forms name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AddressField {
    Street,
    HouseNumber,
    PostalCode,
    City,
    Country,
    Region,
}

impl AddressField {
    pub fn as_str(&self) -> &'static str {
        match self {
            AddressField::Street => "street",
            AddressField::HouseNumber => "house_number",
            AddressField::PostalCode => "postal_code",
            AddressField::City => "city",
            AddressField::Country => "country",
            AddressField::Region => "region",
        }
    }
}

impl fmt::Display for AddressField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing wrong with an address: the field, and what to fix, e.g. `postal_code: 1234 is not a Dutch postal
/// code (4 digits, a space and 2 letters, e.g. 1234 AB)`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct AddressError {
    pub field: AddressField,
    pub message: String,
}

impl AddressError {
    fn new(field: AddressField, message: impl Into<String>) -> AddressError {
        AddressError { field, message: message.into() }
    }
}

impl Address {
    /// Longest street (characters). Generous: OCPI's 45 for street and number together is too short for some
    /// real street names, and export can abbreviate.
    pub const STREET_MAX: usize = 100;
    pub const HOUSE_NUMBER_MAX: usize = 20;
    pub const CITY_MAX: usize = 80;
    pub const REGION_MAX: usize = 64;
    /// Longest postal code of a country without a known format (the longest real ones have 10).
    pub const POSTAL_CODE_MAX: usize = 12;

    /// Validates `input`; the error is the first problem in form order (street, house number, postal code,
    /// city, country, region). [`AddressInput::problems`] lists them all.
    pub fn new(input: &AddressInput<'_>) -> Result<Address, AddressError> {
        match input.check() {
            Ok(a) => Ok(a),
            Err(mut problems) => Err(problems.remove(0)),
        }
    }

    pub fn street(&self) -> &str {
        &self.street
    }
    /// Not every address has one (Spanish "s/n", named houses, car parks), so it is optional.
    pub fn house_number(&self) -> Option<&str> {
        self.house_number.as_deref()
    }
    /// In the country's own writing; `None` only in countries without postal codes, and in Ireland, where an
    /// Eircode exists for every address but is not a required part of one.
    pub fn postal_code(&self) -> Option<&str> {
        self.postal_code.as_deref()
    }
    pub fn city(&self) -> &str {
        &self.city
    }
    pub fn country(&self) -> CountryCode {
        self.country
    }
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }
}

impl AddressInput<'_> {
    /// Every problem with the input, in form order, so a form can mark all its fields at once. Empty when
    /// [`Address::new`] would succeed.
    pub fn problems(&self) -> Vec<AddressError> {
        self.check().err().unwrap_or_default()
    }

    fn check(&self) -> Result<Address, Vec<AddressError>> {
        let mut problems = Vec::new();
        let mut keep = |r: Result<Option<String>, AddressError>| match r {
            Ok(v) => v,
            Err(e) => {
                problems.push(e);
                None
            }
        };
        let street = keep(text(AddressField::Street, self.street, Address::STREET_MAX, true));
        let house_number = keep(text(AddressField::HouseNumber, self.house_number, Address::HOUSE_NUMBER_MAX, false));
        let country = CountryCode::parse(self.country).map_err(|_| {
            let t = self.country.trim();
            if t.is_empty() {
                AddressError::new(AddressField::Country, "required (ISO 3166-1 alpha-2 code, e.g. NL)")
            } else if t.eq_ignore_ascii_case("UK") {
                AddressError::new(AddressField::Country, "UK is not an ISO 3166-1 code; the United Kingdom is GB")
            } else {
                AddressError::new(
                    AddressField::Country,
                    format!("{} is not an ISO 3166-1 alpha-2 country code (e.g. NL, DE, GB)", echo(t)),
                )
            }
        });
        // The postal code's format depends on the country: without a country, only its characters are checked.
        let postal_code = match &country {
            Ok(c) => keep(validate_postal_code(*c, self.postal_code)),
            Err(_) => keep(generic_postal_code(self.postal_code, true).map_err(postal_error)),
        };
        let city = keep(text(AddressField::City, self.city, Address::CITY_MAX, true));
        // Field order: country errors come after city, as in the form.
        let country = match country {
            Ok(c) => Some(c),
            Err(e) => {
                problems.push(e);
                None
            }
        };
        let required = country.and_then(|c| REGION_REQUIRED.iter().find(|(cc, _)| *cc == c.as_str()));
        let mut region = text(AddressField::Region, self.region, Address::REGION_MAX, false);
        if let (Some((cc, what)), Ok(None)) = (required, &region) {
            region = Err(AddressError::new(AddressField::Region, format!("required in {cc} addresses ({what})")));
        }
        let region = match region {
            Ok(v) => v,
            Err(e) => {
                problems.push(e);
                None
            }
        };
        match (street, city, country) {
            (Some(street), Some(city), Some(country)) if problems.is_empty() => {
                Ok(Address { street, house_number, postal_code, city, country, region })
            }
            _ => Err(problems),
        }
    }
}

/// Countries whose addresses need a state or province to be deliverable, and what it is called there.
const REGION_REQUIRED: &[(&str, &str)] =
    &[("US", "the state, e.g. CA"), ("CA", "the province, e.g. ON"), ("AU", "the state or territory, e.g. NSW")];

/// Echoes a value in a message, capped: input may be huge or hostile and ends up in logs and answers.
fn echo(s: &str) -> String {
    let mut out: String = s.chars().take(32).map(|c| if is_forbidden(c) { '\u{FFFD}' } else { c }).collect();
    if s.chars().count() > 32 {
        out.push('…');
    }
    out
}

/// Characters no address field may contain: control characters (line breaks, tabs, NUL) and the Unicode
/// bidirectional overrides that can make a printed address read differently from what is stored.
fn is_forbidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// A free-text field: trimmed, inner runs of spaces collapsed to one, at most `max` characters.
fn text(field: AddressField, s: &str, max: usize, required: bool) -> Result<Option<String>, AddressError> {
    // Leading and trailing line breaks (a pasted line) are only trimmed; inside a field they are refused.
    let s = s.trim();
    if s.chars().any(is_forbidden) {
        return Err(AddressError::new(field, "must not contain control characters such as line breaks or tabs"));
    }
    let collapsed = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.is_empty() {
        return if required { Err(AddressError::new(field, "required")) } else { Ok(None) };
    }
    let n = collapsed.chars().count();
    if n > max {
        return Err(AddressError::new(field, format!("at most {max} characters (this has {n})")));
    }
    Ok(Some(collapsed))
}

fn postal_error(message: String) -> AddressError {
    AddressError::new(AddressField::PostalCode, message)
}

/// Validates and normalizes a postal code for `country`: `Ok(None)` when none is given and the country does
/// not require one, `Ok(Some(code))` in the country's own writing.
///
/// Countries with a known format (see [`has_postal_format`]) get it checked and rewritten; countries known to
/// have no postal codes accept an empty one (and, if given, any short code, since some use unofficial ones);
/// every other country needs a code of 1 to 12 letters, digits, spaces or dashes.
pub fn validate_postal_code(country: CountryCode, s: &str) -> Result<Option<String>, AddressError> {
    let cc = country.as_str();
    let optional = NO_POSTAL_CODES.binary_search(&cc).is_ok();
    match FORMATS.iter().find(|f| f.countries.contains(&cc)) {
        Some(format) => format.apply(s).map_err(postal_error),
        None => generic_postal_code(s, !optional).map_err(postal_error),
    }
}

/// Whether Joule checks `country`'s postal codes against a format of its own.
pub fn has_postal_format(country: CountryCode) -> bool {
    FORMATS.iter().any(|f| f.countries.contains(&country.as_str()))
}

/// Whether `country` needs a postal code in an address.
pub fn postal_code_required(country: CountryCode) -> bool {
    let cc = country.as_str();
    match FORMATS.iter().find(|f| f.countries.contains(&cc)) {
        Some(format) => !format.optional,
        None => NO_POSTAL_CODES.binary_search(&cc).is_err(),
    }
}

fn generic_postal_code(s: &str, required: bool) -> Result<Option<String>, String> {
    let t = s.split_whitespace().collect::<Vec<_>>().join(" ").to_ascii_uppercase();
    if t.is_empty() {
        return if required { Err("required".to_string()) } else { Ok(None) };
    }
    if !t.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-') {
        return Err(format!("{} may contain only letters, digits, spaces and dashes", echo(s.trim())));
    }
    if t.chars().count() > Address::POSTAL_CODE_MAX || !t.chars().any(|c| c.is_ascii_alphanumeric()) {
        return Err(format!("{} must be 1 to {} letters or digits", echo(s.trim()), Address::POSTAL_CODE_MAX));
    }
    Ok(Some(t))
}

/// A country's postal code format.
struct PostalFormat {
    countries: &'static [&'static str],
    /// "a Dutch postal code"
    noun: &'static str,
    /// How to write one, for the error message.
    shape: &'static str,
    /// `9` a digit, `A` a letter, `X` either; spaces and dashes are written where the pattern has them.
    patterns: &'static [&'static str],
    /// Country prefixes people write before the code and that are not part of it (`L-1234` in Luxembourg).
    prefixes: &'static [&'static str],
    /// A rule the pattern cannot say, on the code without spaces and dashes, upper case.
    check: Option<fn(&str) -> bool>,
    /// Whether an address may leave the code out.
    optional: bool,
}

impl PostalFormat {
    fn apply(&self, s: &str) -> Result<Option<String>, String> {
        let upper = s.trim().to_ascii_uppercase();
        if upper.is_empty() {
            return if self.optional { Ok(None) } else { Err(format!("required ({}, {})", self.noun, self.shape)) };
        }
        let wrong = || format!("{} is not {} ({})", echo(s.trim()), self.noun, self.shape);
        let mut rest = upper.as_str();
        if let Some(p) = self.prefixes.iter().find(|p| rest.starts_with(**p) && rest.len() > p.len()) {
            rest = &rest[p.len()..];
        }
        if !rest.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-') {
            return Err(wrong());
        }
        let compact: Vec<char> = rest.chars().filter(char::is_ascii_alphanumeric).collect();
        for pattern in self.patterns {
            let slots = pattern.chars().filter(|c| matches!(c, '9' | 'A' | 'X')).count();
            if slots != compact.len() {
                continue;
            }
            let mut out = String::with_capacity(pattern.len());
            let mut it = compact.iter();
            let mut fits = true;
            for p in pattern.chars() {
                match p {
                    '9' | 'A' | 'X' => {
                        let c = *it.next().unwrap_or(&'?');
                        fits &= match p {
                            '9' => c.is_ascii_digit(),
                            'A' => c.is_ascii_alphabetic(),
                            _ => c.is_ascii_alphanumeric(),
                        };
                        out.push(c);
                    }
                    sep => out.push(sep),
                }
            }
            let plain: String = compact.iter().collect();
            if fits && self.check.is_none_or(|check| check(&plain)) {
                return Ok(Some(out));
            }
        }
        Err(wrong())
    }
}

fn first_not_zero(s: &str) -> bool {
    !s.starts_with('0')
}

/// Letters of the Eircode alphabet (routing keys and unique identifiers avoid look-alikes).
const EIRCODE_LETTERS: &str = "ACDEFHKNPRTVWXY";

fn eircode(s: &str) -> bool {
    let (key, id) = s.split_at(3);
    let key_ok = key == "D6W" || (EIRCODE_LETTERS.contains(&key[..1]) && key[1..].bytes().all(|b| b.is_ascii_digit()));
    key_ok && id.chars().all(|c| c.is_ascii_digit() || EIRCODE_LETTERS.contains(c))
}

/// UK postcodes (Royal Mail's rules for the letters in each position), and `GIR 0AA`.
fn uk_postcode(s: &str) -> bool {
    if s == "GIR0AA" {
        return true;
    }
    let b = s.as_bytes();
    let (outward, inward) = s.split_at(s.len() - 3);
    let ob = outward.as_bytes();
    if !inward[1..].bytes().all(|c| !b"CIKMOV".contains(&c)) || b"QVX".contains(&b[0]) {
        return false;
    }
    match ob.len() {
        // A9, A99, A9A
        2 => true,
        3 if ob[1].is_ascii_digit() => ob[2].is_ascii_digit() || b"ABCDEFGHJKPSTUW".contains(&ob[2]),
        // AA9
        3 => !b"IJZ".contains(&ob[1]) && ob[2].is_ascii_digit(),
        // AA99, AA9A
        4 => !b"IJZ".contains(&ob[1]) && (ob[3].is_ascii_digit() || b"ABEHMNPRVWXY".contains(&ob[3])),
        _ => false,
    }
}

fn jersey(s: &str) -> bool {
    s.starts_with("JE") && uk_postcode(s)
}
fn guernsey(s: &str) -> bool {
    s.starts_with("GY") && uk_postcode(s)
}
fn isle_of_man(s: &str) -> bool {
    s.starts_with("IM") && uk_postcode(s)
}

/// Canada Post: no D, F, I, O, Q or U anywhere; no W or Z first.
fn canadian(s: &str) -> bool {
    s.bytes().all(|c| !b"DFIOQU".contains(&c)) && !b"WZ".contains(&s.as_bytes()[0])
}

/// Spanish codes start with the province number, 01 to 52.
fn spanish(s: &str) -> bool {
    matches!(s[..2].parse::<u8>(), Ok(1..=52))
}

const UK_PATTERNS: &[&str] = &["A9 9AA", "A99 9AA", "A9A 9AA", "AA9 9AA", "AA99 9AA", "AA9A 9AA", "AAA 9AA"];

const FORMATS: &[PostalFormat] = &[
    PostalFormat {
        countries: &["NL"],
        noun: "a Dutch postal code",
        shape: "4 digits, a space and 2 letters, e.g. 1234 AB",
        patterns: &["9999 AA"],
        prefixes: &["NL-"],
        check: Some(first_not_zero),
        optional: false,
    },
    PostalFormat {
        countries: &["BE"],
        noun: "a Belgian postal code",
        shape: "4 digits, e.g. 1000",
        patterns: &["9999"],
        prefixes: &["BE-", "B-"],
        check: Some(first_not_zero),
        optional: false,
    },
    PostalFormat {
        countries: &["DE"],
        noun: "a German postal code",
        shape: "5 digits, e.g. 10115",
        patterns: &["99999"],
        prefixes: &["DE-", "D-"],
        check: Some(|s| !s.starts_with("00")),
        optional: false,
    },
    PostalFormat {
        countries: &["FR", "MC"],
        noun: "a French postal code",
        shape: "5 digits, e.g. 75001",
        patterns: &["99999"],
        prefixes: &["FR-", "F-"],
        check: Some(|s| !s.starts_with("00")),
        optional: false,
    },
    PostalFormat {
        countries: &["AT"],
        noun: "an Austrian postal code",
        shape: "4 digits, e.g. 1010",
        patterns: &["9999"],
        prefixes: &["AT-", "A-"],
        check: Some(first_not_zero),
        optional: false,
    },
    PostalFormat {
        countries: &["CH"],
        noun: "a Swiss postal code",
        shape: "4 digits, e.g. 8001",
        patterns: &["9999"],
        prefixes: &["CH-"],
        check: Some(first_not_zero),
        optional: false,
    },
    PostalFormat {
        countries: &["LI"],
        noun: "a Liechtenstein postal code",
        shape: "4 digits from 9485 to 9498, e.g. 9490",
        patterns: &["9999"],
        prefixes: &["FL-", "LI-"],
        check: Some(|s| matches!(s.parse::<u16>(), Ok(9485..=9498))),
        optional: false,
    },
    PostalFormat {
        countries: &["LU"],
        noun: "a Luxembourg postal code",
        shape: "4 digits, e.g. 1611, with or without L-",
        patterns: &["9999"],
        prefixes: &["LU-", "L-", "L"],
        check: None,
        optional: false,
    },
    PostalFormat {
        countries: &["DK"],
        noun: "a Danish postal code",
        shape: "4 digits, e.g. 2100",
        patterns: &["9999"],
        prefixes: &["DK-"],
        check: None,
        optional: false,
    },
    PostalFormat {
        countries: &["SE"],
        noun: "a Swedish postal code",
        shape: "5 digits written 3 and 2, e.g. 114 55",
        patterns: &["999 99"],
        prefixes: &["SE-", "S-"],
        check: Some(first_not_zero),
        optional: false,
    },
    PostalFormat {
        countries: &["NO", "SJ"],
        noun: "a Norwegian postal code",
        shape: "4 digits, e.g. 0150",
        patterns: &["9999"],
        prefixes: &["NO-", "N-"],
        check: None,
        optional: false,
    },
    PostalFormat {
        countries: &["FI", "AX"],
        noun: "a Finnish postal code",
        shape: "5 digits, e.g. 00100",
        patterns: &["99999"],
        prefixes: &["FI-"],
        check: None,
        optional: false,
    },
    PostalFormat {
        countries: &["IE"],
        noun: "an Eircode",
        shape: "a routing key and 4 characters, e.g. D02 X285; it may be left out",
        patterns: &["A99 XXXX", "A9A XXXX"],
        prefixes: &[],
        check: Some(eircode),
        // Every Irish address has had an Eircode since 2015, but an address is complete without it and many
        // people do not know theirs: a wrong one is refused, a missing one is not.
        optional: true,
    },
    PostalFormat {
        countries: &["GB"],
        noun: "a UK postcode",
        shape: "e.g. SW1A 1AA or M1 1AE",
        patterns: UK_PATTERNS,
        prefixes: &[],
        check: Some(uk_postcode),
        optional: false,
    },
    PostalFormat {
        countries: &["JE"],
        noun: "a Jersey postcode",
        shape: "JE, a digit, a space, a digit and 2 letters, e.g. JE2 3AB",
        patterns: UK_PATTERNS,
        prefixes: &[],
        check: Some(jersey),
        optional: false,
    },
    PostalFormat {
        countries: &["GG"],
        noun: "a Guernsey postcode",
        shape: "GY, a digit, a space, a digit and 2 letters, e.g. GY1 1AA",
        patterns: UK_PATTERNS,
        prefixes: &[],
        check: Some(guernsey),
        optional: false,
    },
    PostalFormat {
        countries: &["IM"],
        noun: "an Isle of Man postcode",
        shape: "IM, a digit, a space, a digit and 2 letters, e.g. IM1 1AA",
        patterns: UK_PATTERNS,
        prefixes: &[],
        check: Some(isle_of_man),
        optional: false,
    },
    PostalFormat {
        countries: &["ES"],
        noun: "a Spanish postal code",
        shape: "5 digits starting with the province number 01 to 52, e.g. 28013",
        patterns: &["99999"],
        prefixes: &["ES-", "E-"],
        check: Some(spanish),
        optional: false,
    },
    PostalFormat {
        countries: &["PT"],
        noun: "a Portuguese postal code",
        shape: "4 digits, a dash and 3 digits, e.g. 1000-001",
        patterns: &["9999-999"],
        prefixes: &["PT-"],
        check: Some(first_not_zero),
        optional: false,
    },
    PostalFormat {
        countries: &["IT", "SM", "VA"],
        noun: "an Italian postal code",
        shape: "5 digits, e.g. 00184",
        patterns: &["99999"],
        prefixes: &["IT-", "I-"],
        check: None,
        optional: false,
    },
    PostalFormat {
        countries: &["PL"],
        noun: "a Polish postal code",
        shape: "2 digits, a dash and 3 digits, e.g. 00-950",
        patterns: &["99-999"],
        prefixes: &["PL-"],
        check: None,
        optional: false,
    },
    PostalFormat {
        countries: &["CZ"],
        noun: "a Czech postal code",
        shape: "5 digits written 3 and 2, starting with 1 to 7, e.g. 110 00",
        patterns: &["999 99"],
        prefixes: &["CZ-"],
        check: Some(|s| matches!(s.as_bytes()[0], b'1'..=b'7')),
        optional: false,
    },
    PostalFormat {
        countries: &["SK"],
        noun: "a Slovak postal code",
        shape: "5 digits written 3 and 2, starting with 0, 8 or 9, e.g. 811 01",
        patterns: &["999 99"],
        prefixes: &["SK-"],
        check: Some(|s| matches!(s.as_bytes()[0], b'0' | b'8' | b'9')),
        optional: false,
    },
    PostalFormat {
        countries: &["US", "PR", "VI", "GU", "AS", "MP"],
        noun: "a US ZIP code",
        shape: "5 digits, or ZIP+4 as 5 digits, a dash and 4 digits, e.g. 10001 or 10001-1234",
        patterns: &["99999", "99999-9999"],
        prefixes: &[],
        check: Some(|s| !s.starts_with("00000")),
        optional: false,
    },
    PostalFormat {
        countries: &["CA"],
        noun: "a Canadian postal code",
        shape: "letter, digit, letter, a space, digit, letter, digit, e.g. K1A 0B1",
        patterns: &["A9A 9A9"],
        prefixes: &[],
        check: Some(canadian),
        optional: false,
    },
    PostalFormat {
        countries: &["AU"],
        noun: "an Australian postcode",
        shape: "4 digits, e.g. 2000 or 0800",
        patterns: &["9999"],
        prefixes: &[],
        check: None,
        optional: false,
    },
];

/// Countries without a postal code system in general use (after the Universal Postal Union's list and
/// Google's address data): their addresses are complete without one.
const NO_POSTAL_CODES: &[&str] = &[
    "AE", "AG", "AO", "AW", "BF", "BI", "BJ", "BO", "BQ", "BS", "BW", "BZ", "CD", "CF", "CG", "CI", "CK", "CM", "CW",
    "DJ", "DM", "ER", "FJ", "GA", "GD", "GH", "GM", "GQ", "GY", "HK", "KI", "KM", "KN", "KP", "LY", "ML", "MO", "MR",
    "MW", "NR", "NU", "QA", "RW", "SB", "SC", "SL", "SR", "SS", "ST", "SX", "SY", "TD", "TG", "TK", "TL", "TO", "TV",
    "UG", "VU", "YE", "ZW",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn cc(s: &str) -> CountryCode {
        CountryCode::parse(s).unwrap()
    }

    fn pc(country: &str, s: &str) -> Result<Option<String>, AddressError> {
        validate_postal_code(cc(country), s)
    }

    /// (country, valid input, normalized) and invalid inputs, for every format.
    #[test]
    fn every_country_format() {
        let valid: &[(&str, &str, &str)] = &[
            ("NL", "1234 AB", "1234 AB"),
            ("NL", "1234ab", "1234 AB"),
            ("NL", " 1234  ab ", "1234 AB"),
            ("NL", "NL-1234AB", "1234 AB"),
            ("BE", "1000", "1000"),
            ("BE", "B-9000", "9000"),
            ("DE", "10115", "10115"),
            ("DE", "01067", "01067"),
            ("DE", "D-80331", "80331"),
            ("FR", "75001", "75001"),
            ("FR", "97400", "97400"),
            ("MC", "98000", "98000"),
            ("AT", "1010", "1010"),
            ("AT", "A-6020", "6020"),
            ("CH", "8001", "8001"),
            ("CH", "CH-3000", "3000"),
            ("LI", "9490", "9490"),
            ("LU", "1611", "1611"),
            ("LU", "L-1611", "1611"),
            ("LU", "l1611", "1611"),
            ("DK", "2100", "2100"),
            ("DK", "0800", "0800"),
            ("SE", "11455", "114 55"),
            ("SE", "114 55", "114 55"),
            ("SE", "S-114 55", "114 55"),
            ("NO", "0150", "0150"),
            ("FI", "00100", "00100"),
            ("AX", "22100", "22100"),
            ("IE", "D02 X285", "D02 X285"),
            ("IE", "d02x285", "D02 X285"),
            ("IE", "D6W 1234", "D6W 1234"),
            ("IE", "A65 F4E2", "A65 F4E2"),
            ("GB", "SW1A 1AA", "SW1A 1AA"),
            ("GB", "sw1a1aa", "SW1A 1AA"),
            ("GB", "M1 1AE", "M1 1AE"),
            ("GB", "B33 8TH", "B33 8TH"),
            ("GB", "CR2 6XH", "CR2 6XH"),
            ("GB", "DN55 1PT", "DN55 1PT"),
            ("GB", "W1A 0AX", "W1A 0AX"),
            ("GB", "EC1A 1BB", "EC1A 1BB"),
            ("GB", "gir 0aa", "GIR 0AA"),
            ("JE", "JE2 3AB", "JE2 3AB"),
            ("GG", "gy11aa", "GY1 1AA"),
            ("IM", "IM1 1AA", "IM1 1AA"),
            ("ES", "28013", "28013"),
            ("ES", "01001", "01001"),
            ("ES", "52001", "52001"),
            ("PT", "1000-001", "1000-001"),
            ("PT", "1000001", "1000-001"),
            ("PT", "4000 322", "4000-322"),
            ("IT", "00184", "00184"),
            ("SM", "47890", "47890"),
            ("PL", "00-950", "00-950"),
            ("PL", "00950", "00-950"),
            ("CZ", "11000", "110 00"),
            ("CZ", "110 00", "110 00"),
            ("SK", "81101", "811 01"),
            ("US", "10001", "10001"),
            ("US", "10001-1234", "10001-1234"),
            ("US", "100011234", "10001-1234"),
            ("US", "10001 1234", "10001-1234"),
            ("PR", "00901", "00901"),
            ("CA", "K1A 0B1", "K1A 0B1"),
            ("CA", "k1a0b1", "K1A 0B1"),
            ("CA", "H2X 1Y4", "H2X 1Y4"),
            ("AU", "2000", "2000"),
            ("AU", "0800", "0800"),
        ];
        for (country, input, want) in valid {
            assert_eq!(pc(country, input).unwrap().as_deref(), Some(*want), "{country} {input:?}");
        }
        let invalid: &[(&str, &str)] = &[
            ("NL", "1234"),
            ("NL", "0123 AB"),
            ("NL", "12345 AB"),
            ("NL", "1234 A1"),
            ("NL", "AB 1234"),
            ("BE", "0999"),
            ("BE", "10000"),
            ("DE", "1011"),
            ("DE", "00123"),
            ("DE", "101155"),
            ("FR", "7500"),
            ("FR", "2A004"),
            ("AT", "101"),
            ("AT", "0101"),
            ("CH", "80010"),
            ("LI", "8001"),
            ("LU", "161"),
            ("LU", "L-16111"),
            ("DK", "210"),
            ("SE", "01455"),
            ("SE", "1145"),
            ("NO", "01500"),
            ("FI", "0010"),
            ("IE", "D02 X28"),
            ("IE", "B02 X285"),
            ("IE", "D02 X2B5"),
            ("IE", "D0W 1234"),
            ("GB", "SW1A1A"),
            ("GB", "QW1 1AA"),
            ("GB", "AZ1 1AA"),
            ("GB", "M1 1AC"),
            ("GB", "W1I 0AX"),
            ("GB", "ABC 1AA"),
            ("GB", "12345"),
            ("JE", "SW1A 1AA"),
            ("GG", "JE2 3AB"),
            ("IM", "GY1 1AA"),
            ("ES", "00123"),
            ("ES", "53001"),
            ("ES", "2801"),
            ("PT", "1000"),
            ("PT", "0100-001"),
            ("PT", "1000-01"),
            ("IT", "0018"),
            ("PL", "00-95"),
            ("PL", "009501"),
            ("CZ", "01000"),
            ("CZ", "81000"),
            ("SK", "11000"),
            ("US", "1000"),
            ("US", "10001-123"),
            ("US", "00000"),
            ("US", "ABCDE"),
            ("CA", "K1A 0B"),
            ("CA", "D1A 0B1"),
            ("CA", "W1A 0B1"),
            ("CA", "K1O 0B1"),
            ("CA", "123 456"),
            ("AU", "200"),
            ("AU", "20000"),
        ];
        for (country, input) in invalid {
            let e = pc(country, input).expect_err(&format!("{country} {input:?} accepted"));
            assert_eq!(e.field, AddressField::PostalCode);
            assert!(e.message.contains(input.trim()), "{e}");
        }
        // Every format has examples above.
        for f in FORMATS {
            assert!(valid.iter().any(|(v, _, _)| f.countries.contains(v)), "{:?} has no valid example", f.countries);
            assert!(invalid.iter().any(|(v, _)| f.countries.contains(v)), "{:?} has no invalid one", f.countries);
        }
    }

    #[test]
    fn the_message_says_what_to_fix() {
        let e = pc("NL", "1234").unwrap_err();
        assert_eq!(
            e.to_string(),
            "postal_code: 1234 is not a Dutch postal code (4 digits, a space and 2 letters, e.g. 1234 AB)"
        );
        let e = pc("GB", "").unwrap_err();
        assert_eq!(e.to_string(), "postal_code: required (a UK postcode, e.g. SW1A 1AA or M1 1AE)");
        let e = pc("DE", &"9".repeat(10_000)).unwrap_err();
        assert!(e.to_string().len() < 200, "the echoed value is capped");
        let e = pc("NL", "12\u{7}34").unwrap_err();
        assert!(!e.message.chars().any(char::is_control), "{e:?}");
    }

    #[test]
    fn optional_and_unknown_formats() {
        // Countries without postal codes accept none, and any short code.
        assert_eq!(pc("AE", "").unwrap(), None);
        assert_eq!(pc("HK", "  ").unwrap(), None);
        assert_eq!(pc("QA", "12345").unwrap().as_deref(), Some("12345"));
        assert!(!postal_code_required(cc("AE")));
        // Ireland: an Eircode may be left out, but a wrong one is refused.
        assert_eq!(pc("IE", "").unwrap(), None);
        assert!(pc("IE", "12345").is_err());
        assert!(!postal_code_required(cc("IE")));
        assert!(postal_code_required(cc("NL")));
        // No known format: 1 to 12 letters, digits, spaces, dashes; upper-cased.
        assert_eq!(pc("BR", "01310-100").unwrap().as_deref(), Some("01310-100"));
        assert_eq!(pc("LV", "lv-1050").unwrap().as_deref(), Some("LV-1050"));
        assert_eq!(pc("JP", "100-0001").unwrap().as_deref(), Some("100-0001"));
        // Andorra writes AD and 3 digits, not a Spanish code.
        assert_eq!(pc("AD", "ad500").unwrap().as_deref(), Some("AD500"));
        assert!(pc("BR", "").is_err());
        assert!(pc("BR", "1234567890123").is_err());
        assert!(pc("BR", "12#45").is_err());
        assert!(pc("BR", "--").is_err());
        assert!(has_postal_format(cc("NL")) && !has_postal_format(cc("BR")));
        assert!(NO_POSTAL_CODES.windows(2).all(|w| w[0] < w[1]), "binary search needs the list sorted");
        for c in NO_POSTAL_CODES {
            assert!(CountryCode::parse(c).is_ok(), "{c}");
            assert!(!FORMATS.iter().any(|f| f.countries.contains(c)), "{c} has a format and no codes");
        }
        for f in FORMATS {
            for c in f.countries {
                assert!(CountryCode::parse(c).is_ok(), "{c}");
            }
        }
    }

    fn input<'a>() -> AddressInput<'a> {
        AddressInput {
            street: "Stationsplein",
            house_number: "1",
            postal_code: "3511ed",
            city: "Utrecht",
            country: "nl",
            region: "",
        }
    }

    #[test]
    fn a_valid_address() {
        let a = Address::new(&input()).unwrap();
        assert_eq!(a.street(), "Stationsplein");
        assert_eq!(a.house_number(), Some("1"));
        assert_eq!(a.postal_code(), Some("3511 ED"));
        assert_eq!(a.city(), "Utrecht");
        assert_eq!(a.country().as_str(), "NL");
        assert_eq!(a.region(), None);
        // Spaces and a pasted line break trimmed, inner spaces collapsed; the house number may be left out.
        let a = Address::new(&AddressInput { street: "  Calle  de Alcalá \n", house_number: " ", ..input() }).unwrap();
        assert_eq!(a.street(), "Calle de Alcalá");
        assert_eq!(a.house_number(), None);
        let us = AddressInput {
            street: "Broadway",
            house_number: "1600",
            postal_code: "10019",
            city: "New York",
            country: "US",
            region: "NY",
        };
        assert_eq!(Address::new(&us).unwrap().region(), Some("NY"));
        let hk = AddressInput { postal_code: "", country: "HK", city: "Hong Kong", ..input() };
        assert_eq!(Address::new(&hk).unwrap().postal_code(), None);
    }

    #[test]
    fn errors_name_the_field() {
        let field = |i: AddressInput<'_>| Address::new(&i).unwrap_err().field;
        assert_eq!(field(AddressInput { street: "", ..input() }), AddressField::Street);
        assert_eq!(field(AddressInput { street: &"s".repeat(101), ..input() }), AddressField::Street);
        assert_eq!(field(AddressInput { street: "a\nb", ..input() }), AddressField::Street);
        assert_eq!(field(AddressInput { street: "a\u{202E}b", ..input() }), AddressField::Street);
        assert_eq!(field(AddressInput { house_number: &"1".repeat(21), ..input() }), AddressField::HouseNumber);
        assert_eq!(field(AddressInput { house_number: "1\t2", ..input() }), AddressField::HouseNumber);
        assert_eq!(field(AddressInput { postal_code: "", ..input() }), AddressField::PostalCode);
        assert_eq!(field(AddressInput { postal_code: "35111", ..input() }), AddressField::PostalCode);
        assert_eq!(field(AddressInput { city: " ", ..input() }), AddressField::City);
        assert_eq!(field(AddressInput { city: &"c".repeat(81), ..input() }), AddressField::City);
        assert_eq!(field(AddressInput { country: "", ..input() }), AddressField::Country);
        assert_eq!(field(AddressInput { country: "XX", ..input() }), AddressField::Country);
        assert_eq!(field(AddressInput { region: &"r".repeat(65), ..input() }), AddressField::Region);
        let us = AddressInput { postal_code: "10019", country: "US", ..input() };
        let e = Address::new(&us).unwrap_err();
        assert_eq!(e.to_string(), "region: required in US addresses (the state, e.g. CA)");
        let e = Address::new(&AddressInput { country: "uk", ..input() }).unwrap_err();
        assert_eq!(e.field, AddressField::Country);
        assert!(e.message.contains("GB"), "{e}");
        // Limits are characters, not bytes.
        assert!(Address::new(&AddressInput { street: &"é".repeat(100), ..input() }).is_ok());
    }

    #[test]
    fn all_problems_at_once() {
        let bad =
            AddressInput { street: "", house_number: "", postal_code: "12#", city: "", country: "ZZ", region: "" };
        let fields: Vec<&str> = bad.problems().iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["street", "postal_code", "city", "country"]);
        assert!(input().problems().is_empty());
        // Without a valid country the postal code is only checked for its characters.
        let bad = AddressInput { country: "ZZ", postal_code: "3511 ED", ..input() };
        let fields: Vec<&str> = bad.problems().iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["country"]);
    }
}
