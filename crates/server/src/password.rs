//! Password hashing for station Basic-auth passwords (and, later, people): argon2id in PHC strings
//! (DESIGN.md rule 7). Hashing is CPU-heavy on purpose, so async callers run it on the blocking pool.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

/// Hashes `password` with argon2id and a random salt.
pub fn hash(password: &str) -> Result<String, crate::Error> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| crate::Error::Password(e.to_string()))
}

/// Whether `password` matches the PHC string `phc`. A malformed stored hash never matches.
pub fn verify(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// [`verify`] on the blocking pool.
pub async fn verify_async(password: String, phc: String) -> bool {
    tokio::task::spawn_blocking(move || verify(&password, &phc)).await.unwrap_or(false)
}

/// [`hash`] on the blocking pool.
pub async fn hash_async(password: String) -> Result<String, crate::Error> {
    tokio::task::spawn_blocking(move || hash(&password)).await.map_err(|e| crate::Error::Password(e.to_string()))?
}

#[cfg(test)]
mod tests {
    #[test]
    fn hashes_verify_and_differ() {
        let a = super::hash("s3cret-password").unwrap();
        let b = super::hash("s3cret-password").unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "salted");
        assert!(super::verify("s3cret-password", &a));
        assert!(!super::verify("wrong", &a));
        assert!(!super::verify("s3cret-password", "not a hash"));
    }
}
