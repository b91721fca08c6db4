//! The [`StationStore`]: stations and their operators: who runs a station, what the station said about itself (boot,
//! connection, heartbeat), its connectors' status, its notifications, its owner and whether it is out of service.

use async_trait::async_trait;
use joule_core::account::AccountId;
use joule_core::station::{BootInfo, Connector, Station, StationState, StatusReport};
use joule_core::{OperatorId, OperatorKey, StationId, Timestamp};

use crate::{NewStation, Operator, Result, StationCount, StationEvent, StationFilter, StatusRecord};

/// Stations, their operators, their connectors and what they report about themselves. The ingestion methods here
/// (`record_status`, and the station row's `record_boot`, `record_connection`, `record_heartbeat`) are on the path of
/// every station's frames.
#[async_trait]
pub trait StationStore: Send + Sync {
    // --- operators ---

    /// Creates an operator. `Conflict` if the name or key is taken.
    async fn create_operator(&self, name: &str, key: &OperatorKey) -> Result<Operator>;
    /// By name.
    async fn list_operators(&self) -> Result<Vec<Operator>>;
    async fn operator(&self, id: OperatorId) -> Result<Option<Operator>>;
    async fn operator_by_key(&self, key: &OperatorKey) -> Result<Option<Operator>>;
    /// Exact name match.
    async fn operator_by_name(&self, name: &str) -> Result<Option<Operator>>;

    // --- operator settings ---

    /// The operator's settings; the defaults (2 working days, 15 minutes) while it has set none. `NotFound`
    /// if the operator does not exist.
    async fn operator_settings(&self, operator: OperatorId) -> Result<joule_core::operator::OperatorSettings>;
    /// Replaces the operator's settings and returns them. `NotFound` if the operator does not exist.
    async fn set_operator_settings(
        &self,
        operator: OperatorId,
        settings: &joule_core::operator::OperatorSettings,
        at: Timestamp,
    ) -> Result<joule_core::operator::OperatorSettings>;

    // --- stations ---

    /// Registers a station ahead of its first connection. `Conflict` if the id exists (under any operator:
    /// station ids are global because the id alone identifies a connection); `NotFound` if the operator
    /// does not exist.
    async fn register_station(&self, new: NewStation) -> Result<Station>;
    /// Returns the station, creating it as `pending` under `operator` if it is unknown (a station that
    /// connects with a valid operator key). Idempotent; an existing station is returned unchanged, even if
    /// it belongs to another operator (the caller compares).
    async fn ensure_station(&self, operator: OperatorId, id: &StationId, at: Timestamp) -> Result<Station>;
    async fn station(&self, id: &StationId) -> Result<Option<Station>>;
    /// By station id, at most `filter.limit` of them; with `filter.after`, only the stations whose id comes
    /// after it (keyset paging: pass the last id of a page to get the next one).
    async fn list_stations(&self, filter: &StationFilter) -> Result<Vec<Station>>;
    /// How many of the operator's stations are in each state, split by online and offline; states without
    /// stations are left out.
    async fn station_counts(&self, operator: OperatorId) -> Result<Vec<StationCount>>;
    /// `NotFound` if there is no such station.
    async fn set_station_state(&self, id: &StationId, state: StationState) -> Result<Station>;
    async fn set_station_free_vend(&self, id: &StationId, free_vend: bool) -> Result<Station>;
    /// Sets or clears the station's Basic-auth password hash.
    async fn set_station_password(&self, id: &StationId, password_hash: Option<&str>) -> Result<Station>;
    /// Sets (or clears) the station's owner and returns the station. `NotFound` if the station or the
    /// account does not exist.
    async fn set_station_owner(&self, id: &StationId, owner: Option<AccountId>) -> Result<Station>;
    /// Stores what the station said in its BootNotification, replacing what an earlier boot said.
    async fn record_boot(&self, id: &StationId, boot: &BootInfo, at: Timestamp) -> Result<()>;
    /// The station's socket opened (`online = true`) or closed. A close older than the last open does not
    /// mark the station offline (its time is still recorded): a station that reconnects gets its new socket
    /// before the old one is closed, and that late close must not hide the new connection.
    async fn record_connection(&self, id: &StationId, online: bool, at: Timestamp) -> Result<()>;
    async fn record_heartbeat(&self, id: &StationId, at: Timestamp) -> Result<()>;
    /// Marks every station online in the database offline, as of `at`: used at start-up, when no station
    /// can be connected to this (single-node) server yet. Returns how many were online.
    async fn mark_all_offline(&self, at: Timestamp) -> Result<u64>;

    // --- out of service ---

    /// Marks the station out of service as of `at`, by a compare-and-set: only a station that is not marked
    /// already, is activated (active or verified), and has not connected after `quiet_since` (the last
    /// traffic the caller's decision rests on; a station that reconnected meanwhile is not silent). Returns
    /// whether this call marked it: of two racing callers, one gets `true`. `NotFound` if there is no such
    /// station.
    async fn mark_out_of_service(&self, id: &StationId, quiet_since: Timestamp, at: Timestamp) -> Result<bool>;
    /// Clears the station's out-of-service mark (compare-and-set) and returns when it was set, or `None` if
    /// it was not marked (or another caller cleared it first). `NotFound` if there is no such station.
    async fn clear_out_of_service(&self, id: &StationId) -> Result<Option<Timestamp>>;

    // --- connectors ---

    /// Appends the report to the connector's history and makes it the connector's last status (creating
    /// the connector), unless the connector already has a newer status: a report sent late from the
    /// station's offline queue goes to the history only. A report's time is the station's timestamp, or
    /// `received_at` if it sent none. The same report received twice (same connector, status, error code
    /// and station timestamp) is kept once; reports without a station timestamp cannot be recognised and
    /// are each kept.
    async fn record_status(&self, id: &StationId, report: &StatusReport, received_at: Timestamp) -> Result<()>;
    /// By connector id.
    async fn connectors(&self, id: &StationId) -> Result<Vec<Connector>>;
    /// Newest first, by the report's time (see [`StationStore::record_status`]).
    async fn status_history(&self, id: &StationId, connector: Option<u32>, limit: u32) -> Result<Vec<StatusRecord>>;

    // --- station events ---

    /// Notifications that are not sessions or statuses: DataTransfer, diagnostics and firmware status,
    /// security events.
    async fn record_station_event(&self, event: &StationEvent) -> Result<()>;
    /// Newest first.
    async fn station_events(&self, id: &StationId, limit: u32) -> Result<Vec<StationEvent>>;
}
