//! The [`SessionStore`]: charging sessions and what was measured: sessions and stops for unknown transactions, meter
//! values, the energy register readings and power samples read from them, and the quarter-hour summaries kept of the
//! readings.

use async_trait::async_trait;
use joule_core::session::{Session, SessionStart, SessionStop, StopOutcome};
use joule_core::{SessionId, StationId, TransactionId};

use crate::{
    EnergyQuery, MeterBatch, MeterFilter, PowerSample, Result, SessionFilter, StartOutcome, StoredSample, UnknownStop,
};

/// Charging sessions and the meter values measured during them (and outside them), with what is read from the meter
/// values. `start_session`, `stop_session` and `add_meter_values` are the ingestion path, and idempotent (DESIGN.md
/// rule 2).
#[async_trait]
pub trait SessionStore: Send + Sync {
    // --- sessions ---

    /// Records a session start and gives it a new transaction id, unique across connectors, stations and
    /// restarts, never reused, and within `i32` (the OCPP 1.6 wire type). A start with the same natural key
    /// as an existing session (see [`SessionStart`]) returns that session with `created = false`.
    async fn start_session(&self, start: &SessionStart) -> Result<StartOutcome>;
    /// Completes a session. A repeated stop changes nothing and returns `AlreadyStopped`; a stop for a
    /// transaction that does not exist (for this station) is kept for review and returns `Unknown`. The
    /// stop's samples are stored as meter values of the session's connector and transaction; for an unknown
    /// transaction they are stored under connector 0 with the transaction id as the station gave it.
    async fn stop_session(&self, stop: &SessionStop) -> Result<StopOutcome>;
    async fn session(&self, id: SessionId) -> Result<Option<Session>>;
    /// The session a station knows by `transaction` (OCPP 2.0.1 names transactions by the id the station
    /// chose); the newest if the station used the id twice.
    async fn session_by_transaction(&self, station: &StationId, transaction: &TransactionId)
    -> Result<Option<Session>>;
    /// Newest first, by start time (then by transaction id), at most `filter.limit` of them.
    async fn list_sessions(&self, filter: &SessionFilter) -> Result<Vec<Session>>;
    /// Stops for unknown transactions, newest first (by when they were received). The same stop received
    /// twice is kept once.
    async fn unknown_stops(&self, station: Option<&StationId>, limit: u32) -> Result<Vec<UnknownStop>>;

    // --- meter values ---

    /// Stores samples of a station's connector, for a session or not. A sample already stored (same
    /// station, connector, timestamp, measurand, phase, location and context) is skipped, so a re-sent
    /// MeterValues changes nothing. Samples with old timestamps (sent late from a station's offline queue)
    /// are stored like any other. Returns how many were new.
    ///
    /// An absent phase or location is stored as the empty string so that it can take part in the unique
    /// key; an empty string given as a phase or location therefore reads back as `None` (neither is a valid
    /// OCPP value).
    async fn add_meter_values(&self, batch: &MeterBatch) -> Result<u64>;
    /// Oldest first.
    async fn meter_values(&self, filter: &MeterFilter) -> Result<Vec<StoredSample>>;
    /// The energy register readings the query names (see [`EnergyQuery`]), oldest first, at most
    /// `query.limit`. Among readings at the same instant (a clock-aligned and a periodic one) all are
    /// returned; [`joule_core::intervals::intervals`] prefers the clock-aligned one. An unknown station has none.
    async fn energy_readings(&self, query: &EnergyQuery) -> Result<Vec<joule_core::intervals::Reading>>;
    /// The latest power sample of each connector (0 included) that has one, by connector, with the instant
    /// of the sample before it. An unknown station has none.
    async fn latest_power(&self, station: &StationId) -> Result<Vec<PowerSample>>;

    // --- quarter summaries ---

    /// The quarter summaries of one meter (`connector` 0 is the main meter, as in [`EnergyQuery`]) on the
    /// UTC days `first_day..=last_day` (days since the Unix epoch), oldest first: what
    /// [`joule_core::intervals::energies_from_quarters`] needs for the intervals of those days, the same
    /// intervals as from [`SessionStore::energy_readings`]. They are kept up to date in the transaction of every
    /// meter-value insert, late and repeated readings included. An unknown station has none.
    async fn energy_quarters(
        &self,
        station: &StationId,
        connector: u32,
        first_day: i64,
        last_day: i64,
    ) -> Result<Vec<joule_core::intervals::QuarterSummary>>;
    /// Computes the quarter summaries again from the stored readings, of one station's meters or (`None`)
    /// of every station's: the backfill of readings stored before the summaries were kept (run once when
    /// the store is opened after migration 0016), and a repair. One transaction per meter. Returns how many
    /// meter-days it wrote.
    async fn rebuild_energy_quarters(&self, station: Option<&StationId>) -> Result<u64>;
    /// Replaces one meter's summaries on the UTC days the given summaries fall on (oldest first, one per
    /// quarter hour) with them. The export trusts them: they must be what
    /// [`joule_core::intervals::summarize`] gives for the meter's stored readings. For loading data
    /// summarised elsewhere (the interval benchmark loads 1,000 station-years this way); ingestion keeps the
    /// summaries by itself. Returns how many days it wrote.
    async fn import_energy_quarters(
        &self,
        station: &StationId,
        connector: u32,
        summaries: &[joule_core::intervals::QuarterSummary],
    ) -> Result<u64>;
}
