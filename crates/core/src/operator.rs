//! An operator's own settings: the service level its activation queue is held to, and how long a
//! station may stay silent before it counts as out of service. Both are validated here, once, so that the
//! API, the CLI and the store agree on what a valid setting is.

use chrono::Duration;

use crate::Timestamp;
use crate::activation::{DEFAULT_SERVICE_DAYS, FormError};
use crate::station::StationState;

/// The fewest and most working days of the service level.
pub const SERVICE_LEVEL_DAYS: std::ops::RangeInclusive<u32> = 1..=30;
/// Minutes of silence before a station is out of service when the operator sets none (as eCarUp).
pub const DEFAULT_OFFLINE_AFTER_MINUTES: u32 = 15;
/// The fewest and most minutes of the offline threshold: one minute to one week.
pub const OFFLINE_AFTER_MINUTES: std::ops::RangeInclusive<u32> = 1..=10_080;

/// The operator's settings; every value is within its range (build with [`OperatorSettings::new`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperatorSettings {
    service_level_days: u32,
    offline_after_minutes: u32,
}

impl Default for OperatorSettings {
    /// What an operator that never set anything gets: 2 working days, 15 minutes.
    fn default() -> Self {
        OperatorSettings {
            service_level_days: DEFAULT_SERVICE_DAYS,
            offline_after_minutes: DEFAULT_OFFLINE_AFTER_MINUTES,
        }
    }
}

impl OperatorSettings {
    /// Checks both values; the error names the field as the API does (`service_level_days`,
    /// `offline_after_minutes`).
    pub fn new(service_level_days: u32, offline_after_minutes: u32) -> Result<OperatorSettings, FormError> {
        if !SERVICE_LEVEL_DAYS.contains(&service_level_days) {
            return Err(FormError {
                field: "service_level_days".into(),
                message: format!(
                    "the service level is {} to {} working days (got {service_level_days})",
                    SERVICE_LEVEL_DAYS.start(),
                    SERVICE_LEVEL_DAYS.end()
                ),
            });
        }
        if !OFFLINE_AFTER_MINUTES.contains(&offline_after_minutes) {
            return Err(FormError {
                field: "offline_after_minutes".into(),
                message: format!(
                    "a station is out of service after {} to {} minutes without traffic (got {offline_after_minutes})",
                    OFFLINE_AFTER_MINUTES.start(),
                    OFFLINE_AFTER_MINUTES.end()
                ),
            });
        }
        Ok(OperatorSettings { service_level_days, offline_after_minutes })
    }

    /// Working days an activation request may wait before it is flagged overdue.
    pub fn service_level_days(&self) -> u32 {
        self.service_level_days
    }

    /// Minutes without traffic after which a watched station is out of service.
    pub fn offline_after_minutes(&self) -> u32 {
        self.offline_after_minutes
    }

    pub fn offline_after(&self) -> Duration {
        Duration::minutes(i64::from(self.offline_after_minutes))
    }

    /// Whether a station last heard from at `last_traffic` has, at `now`, been silent for longer than the
    /// threshold. Exactly the threshold is not yet too long: "without traffic for N minutes" starts after
    /// the N-th minute.
    pub fn silent_too_long(&self, last_traffic: Timestamp, now: Timestamp) -> bool {
        now - last_traffic > self.offline_after()
    }
}

/// Whether offline detection watches a station in this state. Only activated stations are: a pending or
/// requested station has never been promised to work, and a suspended, rejected or handed-over one is not
/// meant to (nobody should be told it is "out of service").
pub fn watched(state: StationState) -> bool {
    matches!(state, StationState::Active | StationState::Verified)
}

/// "42 min", "3 h 5 min", "2 d 4 h": how long a station was out of service, for the messages people read.
pub fn human_duration(d: Duration) -> String {
    let minutes = d.num_minutes().max(0);
    let (days, hours, mins) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    match (days, hours) {
        (0, 0) => format!("{mins} min"),
        (0, h) => format!("{h} h {mins} min"),
        (d, h) => format!("{d} d {h} h"),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn defaults_are_two_working_days_and_fifteen_minutes() {
        let s = OperatorSettings::default();
        assert_eq!((s.service_level_days(), s.offline_after_minutes()), (2, 15));
        assert_eq!(OperatorSettings::new(2, 15), Ok(s));
    }

    #[test]
    fn values_outside_their_range_name_their_field() {
        for days in [0, 31, u32::MAX] {
            assert_eq!(OperatorSettings::new(days, 15).unwrap_err().field, "service_level_days", "{days}");
        }
        for minutes in [0, 10_081] {
            assert_eq!(OperatorSettings::new(2, minutes).unwrap_err().field, "offline_after_minutes", "{minutes}");
        }
        assert!(OperatorSettings::new(1, 1).is_ok());
        assert!(OperatorSettings::new(30, 10_080).is_ok());
    }

    #[test]
    fn silence_counts_only_past_the_threshold() {
        let s = OperatorSettings::new(2, 15).unwrap();
        let t0 = chrono::Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
        assert!(!s.silent_too_long(t0, t0 + Duration::minutes(15)));
        assert!(s.silent_too_long(t0, t0 + Duration::minutes(15) + Duration::milliseconds(1)));
        assert!(!s.silent_too_long(t0, t0 - Duration::minutes(30)), "traffic after `now` is not silence");
    }

    #[test]
    fn only_activated_stations_are_watched() {
        let watched: Vec<_> = StationState::ALL.into_iter().filter(|s| watched(*s)).collect();
        assert_eq!(watched, [StationState::Active, StationState::Verified]);
    }

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(human_duration(Duration::minutes(42)), "42 min");
        assert_eq!(human_duration(Duration::minutes(185)), "3 h 5 min");
        assert_eq!(human_duration(Duration::minutes(2 * 1440 + 4 * 60 + 7)), "2 d 4 h");
        assert_eq!(human_duration(Duration::seconds(-5)), "0 min");
    }
}
