//! Claims: work that must not run twice at once for the same key (a station's default configuration
//! being applied, a station's local list being synced). A claim is held until dropped.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

/// Claims keys for the time a piece of work runs.
pub trait Claims: Send + Sync {
    /// Claims `key`: `None` if it is claimed already (the work runs elsewhere); released when the
    /// returned [`Claim`] is dropped.
    fn claim(&self, key: &str) -> Option<Claim>;
}

/// A held claim; dropping it releases the key.
pub struct Claim {
    release: Option<Box<dyn FnOnce() + Send + Sync>>,
}

impl Claim {
    /// A claim that runs `release` when dropped (for implementations of [`Claims`]).
    pub fn new(release: impl FnOnce() + Send + Sync + 'static) -> Claim {
        Claim { release: Some(Box::new(release)) }
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        if let Some(release) = self.release.take() {
            release();
        }
    }
}

/// The claims of one process.
#[derive(Default)]
pub struct LocalClaims {
    held: Arc<Mutex<HashSet<String>>>,
}

impl Claims for LocalClaims {
    fn claim(&self, key: &str) -> Option<Claim> {
        // Plain set changed by single calls: a poisoned lock is still consistent.
        let inserted = self.held.lock().unwrap_or_else(|e| e.into_inner()).insert(key.to_string());
        inserted.then(|| {
            let (held, key) = (self.held.clone(), key.to_string());
            Claim::new(move || {
                held.lock().unwrap_or_else(|e| e.into_inner()).remove(&key);
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_claimed_once_until_released() {
        let claims = LocalClaims::default();
        let first = claims.claim("a").expect("free");
        assert!(claims.claim("a").is_none());
        assert!(claims.claim("b").is_some());
        drop(first);
        assert!(claims.claim("a").is_some());
    }
}
