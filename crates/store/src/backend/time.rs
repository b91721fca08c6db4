//! Instants are stored to the millisecond (see the crate docs). These helpers are the one place that rule
//! is applied, so both backends cut the same way.

use chrono::{DateTime, SubsecRound, Utc};
use joule_core::Timestamp;

use crate::{Result, StoreError};

/// `t` without its sub-millisecond part: the value a backend stores and reads back.
pub fn truncate(t: Timestamp) -> Timestamp {
    t.trunc_subsecs(3)
}

/// Milliseconds since the Unix epoch, rounded towards the past (the SQLite column format).
pub fn millis(t: Timestamp) -> i64 {
    t.timestamp_millis()
}

/// The instant a stored millisecond count stands for; `Corrupt` if it is outside chrono's range.
pub fn from_millis(ms: i64) -> Result<Timestamp> {
    DateTime::<Utc>::from_timestamp_millis(ms).ok_or_else(|| StoreError::corrupt(format!("timestamp {ms} ms")))
}

/// The current instant, as a backend would store it.
pub fn now() -> Timestamp {
    truncate(Utc::now())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn millisecond_round_trip() {
        let t = Utc.timestamp_opt(1_767_225_600, 123_456_789).unwrap();
        assert_eq!(truncate(t).timestamp_subsec_nanos(), 123_000_000);
        assert_eq!(from_millis(millis(t)).unwrap(), truncate(t));
        let before_epoch = Utc.timestamp_opt(-1, 999_999_999).unwrap();
        assert_eq!(from_millis(millis(before_epoch)).unwrap(), truncate(before_epoch));
        assert!(from_millis(i64::MAX).is_err());
    }
}
