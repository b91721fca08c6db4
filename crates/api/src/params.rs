//! Reading query parameters that need more than serde: times, limits, enums, each failing with the
//! parameter's name.

use chrono::{DateTime, NaiveDate, Utc};
use joule_core::Timestamp;

use crate::error::ApiError;

/// An RFC 3339 instant, or a date (its start, UTC).
pub fn time(field: &str, value: Option<&str>) -> Result<Option<Timestamp>, ApiError> {
    let Some(value) = value else { return Ok(None) };
    if let Ok(t) = DateTime::parse_from_rfc3339(value) {
        return Ok(Some(t.with_timezone(&Utc)));
    }
    if let Ok(d) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        return Ok(d.and_hms_opt(0, 0, 0).map(|t| t.and_utc()));
    }
    Err(ApiError::invalid(field, format!("`{value}` is not an RFC 3339 instant (2026-11-21T08:00:00Z) or a date")))
}

/// A page size: `default` when absent, at most `max`, at least 1.
pub fn limit(field: &str, value: Option<u32>, default: u32, max: u32) -> Result<u32, ApiError> {
    match value {
        None => Ok(default),
        Some(0) => Err(ApiError::invalid(field, "must be at least 1")),
        Some(n) if n > max => Err(ApiError::invalid(field, format!("at most {max}"))),
        Some(n) => Ok(n),
    }
}
