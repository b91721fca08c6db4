//! dateTime on the wire: read leniently, always written one way.
//!
//! OCPP 1.6 §7 (dateTime) and OCPP-J 1.6 §3.1.5 ask for RFC 3339 in UTC with at most millisecond precision
//! ("2013-02-01T20:53:32.486Z"). Real firmware drops the `Z`, sends local offsets, or sends microseconds; a
//! StopTransaction refused for that would lose a session, so reading accepts all of these. Writing always
//! produces the one form every station parses: `YYYY-MM-DDTHH:MM:SS.mmmZ`.

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Timelike, Utc};
use serde::{Deserialize, Deserializer, Serializer};

/// Reads a dateTime. Accepted: `T`, `t` or a space between date and time; seconds optional; a fraction of any
/// length after `.` or `,` (digits past nanoseconds are dropped); `Z`, `z`, `±HH:MM`, `±HHMM`, `±HH`, or no
/// zone at all, which is read as UTC. Surrounding whitespace is ignored. Anything else is `None`.
pub fn parse(s: &str) -> Option<DateTime<Utc>> {
    let mut c = Cursor(s.trim().as_bytes());
    let year = c.digits(4)?;
    c.expect(b"-")?;
    let month = c.digits(2)?;
    c.expect(b"-")?;
    let day = c.digits(2)?;
    c.expect(b"Tt ")?;
    let hour = c.digits(2)?;
    c.expect(b":")?;
    let minute = c.digits(2)?;
    let (mut second, mut nanos) = (0, 0);
    if c.expect(b":").is_some() {
        second = c.digits(2)?;
        if c.expect(b".,").is_some() {
            let frac = c.take_while(|b| b.is_ascii_digit());
            if frac.is_empty() {
                return None;
            }
            nanos = frac.iter().chain(std::iter::repeat(&b'0')).take(9).fold(0, |n, d| n * 10 + u32::from(d - b'0'));
        }
    }
    let offset_seconds: i64 = match c.next() {
        None | Some(b'Z' | b'z') => 0,
        Some(sign @ (b'+' | b'-')) => {
            let hours = c.digits(2)?;
            let _ = c.expect(b":");
            let minutes = if c.0.is_empty() { 0 } else { c.digits(2)? };
            if hours > 23 || minutes > 59 {
                return None;
            }
            let s = i64::from(hours * 3600 + minutes * 60);
            if sign == b'-' { -s } else { s }
        }
        Some(_) => return None,
    };
    if !c.0.is_empty() {
        return None;
    }
    let local = NaiveDate::from_ymd_opt(year as i32, month, day)?.and_hms_nano_opt(hour, minute, second, nanos)?;
    let utc = local.checked_sub_signed(TimeDelta::try_seconds(offset_seconds)?)?;
    // An offset can push the instant out of four-digit years, which the wire form cannot write back.
    if !(0..=9999).contains(&utc.year()) {
        return None;
    }
    Some(DateTime::from_naive_utc_and_offset(utc, Utc))
}

/// Writes a dateTime as `YYYY-MM-DDTHH:MM:SS.mmmZ` (milliseconds, truncated).
pub fn format(t: &DateTime<Utc>) -> String {
    let millis = (t.nanosecond() / 1_000_000).min(999);
    format!("{}.{millis:03}Z", t.format("%Y-%m-%dT%H:%M:%S"))
}

struct Cursor<'a>(&'a [u8]);

impl Cursor<'_> {
    fn next(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }
    fn expect(&mut self, any_of: &[u8]) -> Option<()> {
        match self.0.first() {
            Some(b) if any_of.contains(b) => {
                self.0 = &self.0[1..];
                Some(())
            }
            _ => None,
        }
    }
    fn digits(&mut self, n: usize) -> Option<u32> {
        let digits = self.0.get(..n)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.0 = &self.0[n..];
        Some(digits.iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0')))
    }
    fn take_while(&mut self, f: impl Fn(&u8) -> bool) -> &[u8] {
        let n = self.0.iter().take_while(|b| f(b)).count();
        let (taken, rest) = self.0.split_at(n);
        self.0 = rest;
        taken
    }
}

/// serde glue for a required dateTime field: `#[serde(with = "crate::v16::datetime")]`.
pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format(t))
}

/// serde glue for a required dateTime field, lenient as [`parse`].
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    let s = String::deserialize(d)?;
    parse(&s).ok_or_else(|| serde::de::Error::custom(format_args!("not a dateTime: {s:?}")))
}

/// serde glue for an optional dateTime field: `#[serde(default, with = "crate::v16::datetime::option")]`.
pub mod option {
    use super::*;

    pub fn serialize<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => super::serialize(t, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(s) => {
                parse(&s).map(Some).ok_or_else(|| serde::de::Error::custom(format_args!("not a dateTime: {s:?}")))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<String> {
        parse(s).map(|t| format(&t))
    }

    #[test]
    fn reads_the_forms_firmware_sends() {
        let want = Some("2026-01-31T12:00:05.000Z".to_string());
        assert_eq!(p("2026-01-31T12:00:05Z"), want);
        assert_eq!(p("2026-01-31T12:00:05"), want, "no zone means UTC");
        assert_eq!(p("2026-01-31t12:00:05z"), want);
        assert_eq!(p("2026-01-31 12:00:05"), want);
        assert_eq!(p(" 2026-01-31T12:00:05Z "), want);
        assert_eq!(p("2026-01-31T13:00:05+01:00"), want);
        assert_eq!(p("2026-01-31T13:00:05+0100"), want);
        assert_eq!(p("2026-01-31T13:00:05+01"), want);
        assert_eq!(p("2026-01-31T07:30:05-04:30"), want);
        assert_eq!(p("2026-01-31T12:00Z"), Some("2026-01-31T12:00:00.000Z".to_string()));
        assert_eq!(p("2026-02-01T00:30:05+12:30"), want, "offset crosses midnight");
    }

    #[test]
    fn reads_fractions_of_any_length() {
        assert_eq!(p("2026-01-31T12:00:05.1Z").unwrap(), "2026-01-31T12:00:05.100Z");
        assert_eq!(p("2026-01-31T12:00:05.123456Z").unwrap(), "2026-01-31T12:00:05.123Z");
        assert_eq!(p("2026-01-31T12:00:05,9999999999999Z").unwrap(), "2026-01-31T12:00:05.999Z");
        assert_eq!(parse("2026-01-31T12:00:05.123456789Z").unwrap().nanosecond(), 123_456_789);
    }

    #[test]
    fn refuses_what_is_not_a_datetime() {
        for s in [
            "",
            "2026-01-31",
            "2026-13-01T00:00:00Z",
            "2026-02-30T00:00:00Z",
            "2026-01-31T24:00:00Z",
            "2026-01-31T12:00:61Z",
            "2026-01-31T12:00:05.Z",
            "2026-01-31T12:00:05+25:00",
            "2026-01-31T12:00:05Zjunk",
            "31.01.2026 12:00",
            "1738324805",
            "2026-01-31T12:00:05ü",
            "ü026-01-31T12:00:05",
            "9999-12-31T23:59:59-00:01",
            "0000-01-01T00:00:00+00:01",
        ] {
            assert_eq!(parse(s), None, "{s:?}");
        }
    }

    #[test]
    fn writes_millis_and_z() {
        let t = parse("2026-01-31T12:00:05.987654Z").unwrap();
        assert_eq!(format(&t), "2026-01-31T12:00:05.987Z");
        let t = parse("0001-01-01T00:00:00Z").unwrap();
        assert_eq!(format(&t), "0001-01-01T00:00:00.000Z");
    }

    #[test]
    fn never_panics_on_arbitrary_text() {
        // A small deterministic fuzz loop over mutations of valid stamps; the property is "no panic".
        let seeds = ["2026-01-31T12:00:05.123+01:00", "9999-12-31T23:59:59-23:59", "0000-01-01T00:00:00+23:59"];
        let alphabet = b"0123456789-:+TZ., z\xff";
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for seed in seeds {
            let _ = parse(seed);
            for _ in 0..5000 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let mut bytes = seed.as_bytes().to_vec();
                let at = (x % bytes.len() as u64) as usize;
                bytes[at] = alphabet[((x >> 32) % alphabet.len() as u64) as usize];
                if x & 1 == 0 {
                    bytes.truncate(((x >> 8) % (bytes.len() as u64 + 1)) as usize);
                }
                if let Ok(s) = String::from_utf8(bytes) {
                    let _ = parse(&s).map(|t| format(&t));
                }
            }
        }
    }
}
