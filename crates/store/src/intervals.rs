//! What the 15-minute interval export and the live power view read from the store ("Billing and
//! exports"): compact energy register readings and the latest power samples, never whole sample rows.

use joule_core::{StationId, Timestamp};

/// The energy register readings of one meter of a station in `since..until`.
///
/// Which meter: `connector_id` 0 is the station's main meter (OCPP 1.6 §7.18 MeterValues.req: connectorId 0
/// reports the main energy meter), 1 and up are the connectors' own meters. A reading counts when its
/// measurand is `Energy.Active.Import.Register` (also the measurand of a sample that named none, §7.31, as
/// the store keeps the default), it has no phase (the register total, not one phase), its location is
/// `Outlet` or not given (§7.31: Outlet is the default), its unit is Wh after normalisation and its value is
/// a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnergyQuery {
    pub station_id: StationId,
    pub connector_id: u32,
    /// At or after.
    pub since: Timestamp,
    /// Before.
    pub until: Timestamp,
    /// At most this many readings are returned (oldest first); a caller that gets exactly `limit` knows the
    /// range holds more and asks for less (resources stay bounded, DESIGN.md).
    pub limit: u32,
}

/// The latest `Power.Active.Import` sample of a connector (no phase, location Outlet or not given, in W).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PowerSample {
    pub connector_id: u32,
    pub at: Timestamp,
    pub watts: f64,
    /// The instant of the sample before it (same connector and measurand), when there is one: the time
    /// between the two is the interval the station actually samples at.
    pub previous_at: Option<Timestamp>,
}
