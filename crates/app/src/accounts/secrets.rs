//! The secrets people and machines present: API tokens (`joule_…`), login sessions (`jsess_…`) and
//! password-reset links (`jreset_…`).
//!
//! Each is a prefix followed by 32 random bytes in base64url: 256 bits, so a fast hash is enough to store it
//! (SHA-256, as GitHub and crates.io do); a slow password hash would only slow every request down. The
//! secret is shown once, when made, and never stored or logged.

use base64::Engine;
use sha2::{Digest, Sha256};

/// API tokens start with this, so a leaked one is recognisable (secret scanners) and a wrong string is caught.
pub const TOKEN_PREFIX: &str = "joule_";
/// Login session tokens (people, after logging in) start with this.
pub const SESSION_PREFIX: &str = "jsess_";
/// Password-reset secrets start with this, so that one pasted into the wrong place is recognisable.
pub const RESET_PREFIX: &str = "jreset_";

/// A new secret with `prefix`, and the hash to store.
pub fn generate_with(prefix: &str) -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    let secret = format!("{prefix}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes));
    let hash = hash(&secret);
    (secret, hash)
}

/// A new API token's secret and the hash to store.
pub fn generate() -> (String, String) {
    generate_with(TOKEN_PREFIX)
}

/// A new login session's secret and the hash to store.
pub fn generate_session() -> (String, String) {
    generate_with(SESSION_PREFIX)
}

/// The stored form of a secret: SHA-256, lower-case hex.
pub fn hash(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_random_prefixed_and_hash_to_hex() {
        let (a, hash_a) = generate();
        let (b, _) = generate();
        assert_ne!(a, b);
        assert!(a.starts_with(TOKEN_PREFIX) && a.len() == TOKEN_PREFIX.len() + 43, "{a}");
        assert!(generate_session().0.starts_with(SESSION_PREFIX));
        assert_eq!(hash_a, hash(&a));
        assert_eq!(hash_a.len(), 64);
        assert!(hash_a.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        // A known vector: SHA-256 of "abc".
        assert_eq!(hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
