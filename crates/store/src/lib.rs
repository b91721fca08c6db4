//! The storage boundary: the [`Store`] trait every backend implements (SQLite, PostgreSQL), its models and
//! its error type, and the [`contract`] tests every backend must pass.
//!
//! Rule 1 of DESIGN.md lives here: a write method returns only once what it wrote is committed. Backends
//! reach throughput by group commit (many callers' writes in one transaction), never by answering early.
//! Rule 2 too: the ingestion methods (`start_session`, `stop_session`, `add_meter_values`,
//! `record_status`) are idempotent.

pub mod contract;
mod error;
mod model;

use async_trait::async_trait;
use joule_core::auth::IdToken;
use joule_core::session::{Session, SessionStart, SessionStop, StopOutcome};
use joule_core::station::{BootInfo, Connector, Station, StationState, StatusReport};
use joule_core::{IdTag, OperatorId, OperatorKey, StationId, Timestamp, TransactionId};

pub use error::StoreError;
pub use model::*;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Which backend this is, for logs: `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// Checks the database answers.
    async fn ping(&self) -> Result<()>;

    // --- operators ---

    /// Creates an operator. `Conflict` if the name or key is taken.
    async fn create_operator(&self, name: &str, key: &OperatorKey) -> Result<Operator>;
    async fn list_operators(&self) -> Result<Vec<Operator>>;
    async fn operator(&self, id: OperatorId) -> Result<Option<Operator>>;
    async fn operator_by_key(&self, key: &OperatorKey) -> Result<Option<Operator>>;
    /// Exact name match.
    async fn operator_by_name(&self, name: &str) -> Result<Option<Operator>>;

    // --- stations ---

    /// Registers a station ahead of its first connection. `Conflict` if the id exists (under any operator:
    /// station ids are global because the id alone identifies a connection).
    async fn register_station(&self, new: NewStation) -> Result<Station>;
    /// Returns the station, creating it as `pending` under `operator` if it is unknown (a station that
    /// connects with a valid operator key). Idempotent; an existing station is returned unchanged.
    async fn ensure_station(&self, operator: OperatorId, id: &StationId, at: Timestamp) -> Result<Station>;
    async fn station(&self, id: &StationId) -> Result<Option<Station>>;
    async fn list_stations(&self, filter: &StationFilter) -> Result<Vec<Station>>;
    /// `NotFound` if there is no such station.
    async fn set_station_state(&self, id: &StationId, state: StationState) -> Result<Station>;
    async fn set_station_free_vend(&self, id: &StationId, free_vend: bool) -> Result<Station>;
    /// Sets or clears the station's Basic-auth password hash.
    async fn set_station_password(&self, id: &StationId, password_hash: Option<&str>) -> Result<Station>;
    /// Stores what the station said in its BootNotification.
    async fn record_boot(&self, id: &StationId, boot: &BootInfo, at: Timestamp) -> Result<()>;
    /// The station's socket opened (`online = true`) or closed.
    async fn record_connection(&self, id: &StationId, online: bool, at: Timestamp) -> Result<()>;
    async fn record_heartbeat(&self, id: &StationId, at: Timestamp) -> Result<()>;
    /// Marks every station online in the database offline, as of `at`: used at start-up, when no station
    /// can be connected to this (single-node) server yet.
    async fn mark_all_offline(&self, at: Timestamp) -> Result<u64>;

    // --- connectors ---

    /// Updates the connector's last status (creating the connector) and appends the report to its history.
    /// The same report received twice (same connector, status, error code and station timestamp) is kept
    /// once.
    async fn record_status(&self, id: &StationId, report: &StatusReport, received_at: Timestamp) -> Result<()>;
    async fn connectors(&self, id: &StationId) -> Result<Vec<Connector>>;
    /// Newest first.
    async fn status_history(&self, id: &StationId, connector: Option<u32>, limit: u32) -> Result<Vec<StatusRecord>>;

    // --- id tokens ---

    /// `Conflict` if the operator already has this tag.
    async fn add_id_token(&self, token: &IdToken) -> Result<IdToken>;
    async fn id_token(&self, operator: OperatorId, tag: &IdTag) -> Result<Option<IdToken>>;
    async fn list_id_tokens(&self, operator: OperatorId) -> Result<Vec<IdToken>>;

    // --- sessions ---

    /// Records a session start and gives it a new transaction id, unique across connectors, stations and
    /// restarts. A start with the same natural key as an existing session (see [`SessionStart`]) returns
    /// that session with `created = false`.
    async fn start_session(&self, start: &SessionStart) -> Result<StartOutcome>;
    /// Completes a session. A repeated stop changes nothing and returns `AlreadyStopped`; a stop for a
    /// transaction that does not exist (for this station) is kept for review and returns `Unknown`. The
    /// stop's samples are stored as meter values of the session (or, if unknown, with no session).
    async fn stop_session(&self, stop: &SessionStop) -> Result<StopOutcome>;
    async fn session(&self, id: TransactionId) -> Result<Option<Session>>;
    /// Newest first.
    async fn list_sessions(&self, filter: &SessionFilter) -> Result<Vec<Session>>;
    /// Stops for unknown transactions, newest first.
    async fn unknown_stops(&self, station: Option<&StationId>, limit: u32) -> Result<Vec<UnknownStop>>;

    // --- meter values ---

    /// Stores samples of a station's connector, for a session or not. A sample already stored (same
    /// station, connector, timestamp, measurand, phase, location and context) is skipped, so a re-sent
    /// MeterValues changes nothing. Samples with old timestamps (sent late from a station's offline queue)
    /// are stored like any other. Returns how many were new.
    async fn add_meter_values(&self, batch: &MeterBatch) -> Result<u64>;
    /// Oldest first.
    async fn meter_values(&self, filter: &MeterFilter) -> Result<Vec<StoredSample>>;

    // --- station events ---

    /// Notifications that are not sessions or statuses: DataTransfer, diagnostics and firmware status,
    /// security events.
    async fn record_station_event(&self, event: &StationEvent) -> Result<()>;
    /// Newest first.
    async fn station_events(&self, id: &StationId, limit: u32) -> Result<Vec<StationEvent>>;

    // --- outbox: work for the server that holds a station's connection ---

    /// Queues a request for the server (e.g. "ask station X to boot again" after `joule station activate`
    /// ran in another process).
    async fn push_outbox(&self, station: &StationId, kind: OutboxKind, at: Timestamp) -> Result<OutboxItem>;
    /// Open items with an id above `after`, oldest first.
    async fn open_outbox(&self, after: i64, limit: u32) -> Result<Vec<OutboxItem>>;
    async fn close_outbox(&self, id: i64, outcome: &str, at: Timestamp) -> Result<()>;
}
