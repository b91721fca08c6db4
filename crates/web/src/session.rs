//! Cookies, CSRF tokens and form bodies.
//!
//! The login session's secret (`jsess_…`, 256 random bits, from `POST /api/v1/login`) lives in the
//! HttpOnly cookie `joule_session`. Forms of a logged-in person carry `csrf` = hex SHA-256 of
//! `"joule-csrf:" + secret`: another site can neither read the cookie nor compute the token, so it cannot
//! forge a POST. The login form has no session yet and uses the double-submit pattern instead: a random
//! cookie `joule_csrf` and the same value in the form.

use axum::http::{HeaderMap, HeaderValue, header};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

pub const SESSION_COOKIE: &str = "joule_session";
pub const LOGIN_CSRF_COOKIE: &str = "joule_csrf";
pub const FLASH_COOKIE: &str = "joule_flash";
/// A platform admin's choice of the operator to act for.
pub const OPERATOR_COOKIE: &str = "joule_operator";

/// The cookies of a request, in order (bounded by the header size the server accepts).
pub fn cookies(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            Some((k.trim().to_string(), v.trim().trim_matches('"').to_string()))
        })
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The CSRF token of a login session.
pub fn csrf_token(secret: &str) -> String {
    hex(&Sha256::digest(format!("joule-csrf:{secret}").as_bytes()))
}

/// A new random value for the login form's double-submit cookie.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    hex(&bytes)
}

/// Compares two tokens in constant time (an empty expected token never matches).
pub fn same(expected: &str, given: &str) -> bool {
    !expected.is_empty() && expected.as_bytes().ct_eq(given.as_bytes()).into()
}

/// A `Set-Cookie` value. `max_age` 0 deletes the cookie.
pub fn cookie(name: &str, value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let text = format!("{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}");
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("joule_invalid=; Max-Age=0"))
}

/// Percent-encodes everything but unreserved characters (RFC 3986 §2.3): for path segments, query values
/// and cookie values alike.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Undoes [`encode`] (and `+` for a space, as forms send it).
pub fn decode(s: &str) -> String {
    form_urlencoded::parse(format!("v={s}").as_bytes()).next().map(|(_, v)| v.into_owned()).unwrap_or_default()
}

/// Whether `next` is a path on this site (not `//evil.example` or `https://…`), so that redirecting there
/// after logging in cannot send the person elsewhere.
pub fn local_path(next: &str) -> bool {
    next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") && !next.contains(['\r', '\n'])
}

/// A form body (`application/x-www-form-urlencoded`).
#[derive(Debug, Default)]
pub struct Form(Vec<(String, String)>);

impl Form {
    pub fn parse(body: &[u8]) -> Form {
        Form(form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
    }

    /// The value of a field; empty when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
    }

    /// Every value of a field given more than once (checkboxes, multiple selects), in order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0.iter().filter(move |(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The trimmed value, or None when blank.
    pub fn opt(&self, name: &str) -> Option<String> {
        Some(self.get(name).trim()).filter(|v| !v.is_empty()).map(str::to_string)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csrf_tokens_depend_on_the_secret_and_compare_exactly() {
        let a = csrf_token("jsess_a");
        assert_eq!(a.len(), 64);
        assert_ne!(a, csrf_token("jsess_b"));
        assert!(same(&a, &csrf_token("jsess_a")));
        assert!(!same(&a, &a[..63]));
        assert!(!same("", ""));
    }

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert!(local_path("/portal/stations?state=active"));
        for bad in ["//evil.example/", "https://evil.example/", "/\\evil.example", "portal", "/a\r\nSet-Cookie: x"] {
            assert!(!local_path(bad), "{bad}");
        }
    }

    #[test]
    fn encoding_round_trips() {
        let s = "CP+1|a@b= é/?";
        assert_eq!(decode(&encode(s)), s);
        assert_eq!(encode("CP-1_x.y~"), "CP-1_x.y~");
    }
}
