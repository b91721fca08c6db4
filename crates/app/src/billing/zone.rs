//! A station's time zone: the one clock people see (DESIGN.md rule 3). Available times (access), tariff
//! windows (pricing), session reports and the labels of 15-minute intervals all take it from here, so a
//! station is never open by one clock and priced by another.

use chrono_tz::Tz;
use joule_core::{OperatorId, StationId};
use joule_store::{Store, StoreError};

/// Where a station's time zone came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoneSource {
    /// Pinpointed with its installation.
    Installation,
    /// The operator's time zone (billing settings `time_zone`, UTC unless the operator set one): the
    /// station has no pinpointed zone yet.
    Operator,
}

impl ZoneSource {
    pub fn as_str(&self) -> &'static str {
        match self {
            ZoneSource::Installation => "installation",
            ZoneSource::Operator => "operator",
        }
    }
}

/// A station's zone and where it came from (exports say so in a header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StationZone {
    pub tz: Tz,
    pub source: ZoneSource,
}

/// The installation's pinpointed IANA zone, else the operator's. A pinpointed name the zone database does
/// not know (written by a newer server) falls back to the operator's and is logged: refusing every driver
/// or failing every export over it would be worse.
pub async fn station_zone(
    store: &dyn Store,
    station: &StationId,
    operator: OperatorId,
) -> Result<StationZone, StoreError> {
    if let Some(name) = store.installation(station).await?.and_then(|i| i.pinpointing.time_zone) {
        match name.parse::<Tz>() {
            Ok(tz) => return Ok(StationZone { tz, source: ZoneSource::Installation }),
            Err(_) => {
                tracing::warn!(station = %station, zone = %name, "unknown time zone on the installation: using the operator's")
            }
        }
    }
    let tz = store.billing_settings(operator).await?.time_zone;
    Ok(StationZone { tz, source: ZoneSource::Operator })
}
