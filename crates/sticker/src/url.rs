//! The installer's claim URL, the text of the sticker's QR code.

use crate::{ActivationCode, MacAddress};

/// The claim page for a station, with its MAC address and activation password filled in:
/// `{base}/claim?mac=AA:BB:CC:DD:EE:FF&code=K7QX-M2PD-…`.
///
/// The ChargePoint guide's installer scans the QR code, is "automatically redirected to the installer
/// pinpointing page", logs in, and confirms "the MAC address and activation password are
/// automatically entered and are correct"; this URL is what makes them entered.
///
/// `base` is the portal's public HTTP(S) base from the operator's configuration (e.g.
/// `https://joule.example.com`, or with a path prefix `https://example.com/joule`), without query or
/// fragment; trailing slashes are dropped so `https://joule.example.com/` works too. The values are
/// percent-encoded as query values (everything except RFC 3986's unreserved characters and `:`, which
/// a query may hold as it is and which keeps the MAC readable in the URL).
pub fn claim_url(base: &str, mac: &MacAddress, code: &ActivationCode) -> String {
    let base = base.trim_end_matches('/');
    format!("{base}/claim?mac={}&code={}", encode_query_value(&mac.to_string()), encode_query_value(code.as_str()))
}

/// Percent-encodes `value` for use as one `name=value` query value: every byte except `A-Z a-z 0-9 -
/// . _ ~ :` becomes `%XX` (so `&`, `=`, `+`, `#`, `%`, spaces and non-ASCII cannot change the query's
/// meaning).
pub(crate) fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for &byte in value.as_bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b':' => out.push(byte as char),
            _ => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                out.push('%');
                out.push(HEX[usize::from(byte >> 4)] as char);
                out.push(HEX[usize::from(byte & 0xF)] as char);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_everything_that_could_change_a_query() {
        assert_eq!(encode_query_value("AA:BB-cc_d.e~9"), "AA:BB-cc_d.e~9");
        assert_eq!(encode_query_value("a&b=c+d e#f%g/h?i"), "a%26b%3Dc%2Bd%20e%23f%25g%2Fh%3Fi");
        assert_eq!(encode_query_value("é"), "%C3%A9");
    }
}
