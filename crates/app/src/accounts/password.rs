//! Password hashing: argon2id in PHC strings (DESIGN.md rule 7). Hashing is CPU-heavy on purpose, so async
//! callers run it on the blocking pool, and [`StationVerifier`] bounds how many run at once.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, Mutex};

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use joule_core::StationId;
use tokio::sync::Semaphore;

/// Length bounds of a station's Basic-auth password: OCPP 2.0.1 BasicAuthPassword and the 1.6 Security
/// Whitepaper's AuthorizationKey are 16 to 40 characters.
pub const STATION_PASSWORD_LEN: std::ops::RangeInclusive<usize> = 16..=40;

/// Hashes a person's password with argon2id's default (OWASP) parameters: 19 MiB, two passes.
pub fn hash(password: &str) -> Result<String, crate::AppError> {
    hash_with(Argon2::default(), password)
}

/// Hashes a station's password. Station passwords are long machine secrets (at least 16 characters), so
/// their strength is in their entropy, not in the hash's cost; a light argon2id (4 MiB, one pass: about 2 ms
/// instead of 23) lets thousands of stations reconnect after a restart without minutes of hashing.
pub fn hash_station_secret(password: &str) -> Result<String, crate::AppError> {
    let params = Params::new(4 * 1024, 1, 1, None)
        .map_err(|e| crate::AppError::Internal(format!("password hashing failed: {e}")))?;
    hash_with(Argon2::new(Algorithm::Argon2id, Version::V0x13, params), password)
}

fn hash_with(argon2: Argon2<'_>, password: &str) -> Result<String, crate::AppError> {
    argon2
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| crate::AppError::Internal(format!("password hashing failed: {e}")))
}

/// Whether `password` matches the PHC string `phc` (whatever parameters it was made with). A malformed
/// stored hash never matches.
pub fn verify(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// [`hash_station_secret`] on the blocking pool.
pub async fn hash_station_secret_async(password: String) -> Result<String, crate::AppError> {
    tokio::task::spawn_blocking(move || hash_station_secret(&password))
        .await
        .map_err(|e| crate::AppError::Internal(format!("password hashing failed: {e}")))?
}

/// Verifies stations' Basic-auth passwords at the WebSocket upgrade, within bounds.
///
/// - At most one verification per core runs at a time: each argon2 run holds its memory cost, and a storm of
///   reconnecting stations must not allocate gigabytes at once.
/// - A station that connected with the right password before is recognised without argon2: the verifier
///   remembers a keyed digest (SipHash with this process's random key, never the password) of the password
///   that matched, next to the stored hash it matched. A changed stored hash or another password takes the
///   full verification again.
pub struct StationVerifier {
    permits: Semaphore,
    key: RandomState,
    verified: Mutex<HashMap<StationId, (u64, Arc<str>)>>,
}

impl Default for StationVerifier {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        StationVerifier { permits: Semaphore::new(cores), key: RandomState::new(), verified: Mutex::default() }
    }
}

impl StationVerifier {
    pub async fn verify(&self, station: &StationId, password: String, phc: &str) -> bool {
        let digest = self.key.hash_one(password.as_bytes());
        if self.lock().get(station).is_some_and(|(d, h)| *d == digest && &**h == phc) {
            return true;
        }
        let Ok(_permit) = self.permits.acquire().await else { return false };
        let stored = phc.to_string();
        let ok = tokio::task::spawn_blocking(move || verify(&password, &stored)).await.unwrap_or(false);
        let mut verified = self.lock();
        if ok {
            verified.insert(station.clone(), (digest, Arc::from(phc)));
        } else {
            verified.remove(station);
        }
        ok
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<StationId, (u64, Arc<str>)>> {
        self.verified.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ() {
        for hash in [super::hash, super::hash_station_secret] {
            let a = hash("s3cret-password-0123").unwrap();
            let b = hash("s3cret-password-0123").unwrap();
            assert!(a.starts_with("$argon2id$"));
            assert_ne!(a, b, "salted");
            assert!(verify("s3cret-password-0123", &a));
            assert!(!verify("wrong", &a));
        }
        assert!(!verify("s3cret-password-0123", "not a hash"));
        assert!(hash_station_secret("x".repeat(20).as_str()).unwrap().contains("m=4096,t=1,p=1"));
    }

    #[tokio::test]
    async fn the_verifier_remembers_only_what_matched() {
        let v = StationVerifier::default();
        let id = StationId::parse("CP-1").unwrap();
        let phc = hash_station_secret("right-password-0123").unwrap();
        assert!(!v.verify(&id, "wrong-password-00000".into(), &phc).await);
        assert!(v.verify(&id, "right-password-0123".into(), &phc).await);
        assert!(v.verify(&id, "right-password-0123".into(), &phc).await, "again, from memory");
        assert!(!v.verify(&id, "wrong-password-00000".into(), &phc).await, "a remembered station still checks");
        let changed = hash_station_secret("new-password-012345").unwrap();
        assert!(!v.verify(&id, "right-password-0123".into(), &changed).await, "a new stored hash voids the memory");
        assert!(v.verify(&id, "new-password-012345".into(), &changed).await);
    }

    #[test]
    #[ignore = "prints how long a verification takes; run with --release --ignored --nocapture"]
    fn how_long_a_verification_takes() {
        for h in [hash("station-password-1234").unwrap(), hash_station_secret("station-password-1234").unwrap()] {
            let t = std::time::Instant::now();
            for _ in 0..10 {
                assert!(verify("station-password-1234", &h));
            }
            println!("{h}: {:?} per verification", t.elapsed() / 10);
        }
    }
}
