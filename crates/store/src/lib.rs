//! The storage boundary: the [`Store`] trait every backend implements (SQLite, PostgreSQL), its models and
//! its error type, the [`contract`] tests every backend must pass, and the pieces the backends share
//! ([`backend`]: the group-commit writer, row decoding, and the queries of the sqlx backends, expanded in
//! each by a macro).
//!
//! Rule 1 of DESIGN.md lives here: a write method returns only once what it wrote is committed. Backends
//! reach throughput by group commit (many callers' writes in one transaction), never by answering early.
//! Rule 2 too: the ingestion methods (`start_session`, `stop_session`, `add_meter_values`,
//! `record_status`) are idempotent.
//!
//! Timestamps are kept to the millisecond: whatever finer part an instant has is cut off when it is stored,
//! by every backend alike, so what a method returns is exactly what a later read returns.

mod activation;
pub mod backend;
pub mod contract;
mod drivers;
mod error;
mod handover;
mod intervals;
mod local_list;
mod model;
mod tariffs;

use async_trait::async_trait;
use joule_core::access::{DriverId, GroupId, GroupName};
use joule_core::account::{Account, AccountId, Email};
use joule_core::auth::IdToken;
use joule_core::session::{Session, SessionStart, SessionStop, StopOutcome};
use joule_core::station::{BootInfo, Connector, Station, StationState, StatusReport};
use joule_core::{IdTag, OperatorId, OperatorKey, StationId, Timestamp, TransactionId};

pub use activation::*;
pub use drivers::*;
pub use error::StoreError;
pub use handover::*;
pub use intervals::*;
pub use local_list::*;
pub use model::*;
pub use tariffs::*;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Everything Joule keeps. Write methods answer after their write is committed; a write that fails changes
/// nothing. Methods that name a station, operator or session that does not exist fail with `NotFound`
/// unless they say otherwise.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Which backend this is, for logs: `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// Checks the database answers.
    async fn ping(&self) -> Result<()>;

    /// Stops taking writes, waits until the writes already queued are committed and answered, and closes
    /// the connections. Every call after it fails with `Closed`. For a graceful shutdown; dropping the
    /// store also finishes the queued writes, but nobody waits for them.
    async fn close(&self);

    // --- operators ---

    /// Creates an operator. `Conflict` if the name or key is taken.
    async fn create_operator(&self, name: &str, key: &OperatorKey) -> Result<Operator>;
    /// By name.
    async fn list_operators(&self) -> Result<Vec<Operator>>;
    async fn operator(&self, id: OperatorId) -> Result<Option<Operator>>;
    async fn operator_by_key(&self, key: &OperatorKey) -> Result<Option<Operator>>;
    /// Exact name match.
    async fn operator_by_name(&self, name: &str) -> Result<Option<Operator>>;

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
    /// `NotFound` if there is no such station.
    async fn set_station_state(&self, id: &StationId, state: StationState) -> Result<Station>;
    async fn set_station_free_vend(&self, id: &StationId, free_vend: bool) -> Result<Station>;
    /// Sets or clears the station's Basic-auth password hash.
    async fn set_station_password(&self, id: &StationId, password_hash: Option<&str>) -> Result<Station>;
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
    /// Newest first, by the report's time (see [`Store::record_status`]).
    async fn status_history(&self, id: &StationId, connector: Option<u32>, limit: u32) -> Result<Vec<StatusRecord>>;

    // --- id tokens ---

    /// `Conflict` if the operator already has this tag (tags are compared exactly); `NotFound` if the
    /// operator does not exist. Two operators may each have the same tag.
    async fn add_id_token(&self, token: &IdToken) -> Result<IdToken>;
    async fn id_token(&self, operator: OperatorId, tag: &IdTag) -> Result<Option<IdToken>>;
    /// By tag.
    async fn list_id_tokens(&self, operator: OperatorId) -> Result<Vec<IdToken>>;
    /// Replaces the parent tag, expiry and blocked flag of the operator's token with `token.tag`, and returns
    /// the token as stored. `NotFound` if the operator has no such tag (tags are compared exactly).
    async fn update_id_token(&self, token: &IdToken) -> Result<IdToken>;
    /// Deletes the operator's token. `NotFound` if the operator has no such tag. Sessions started with the
    /// tag keep it (they hold the tag's text, not a reference), and tokens naming it as their parent keep
    /// that parent.
    async fn delete_id_token(&self, operator: OperatorId, tag: &IdTag) -> Result<()>;

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
    async fn session(&self, id: TransactionId) -> Result<Option<Session>>;
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

    // --- station events ---

    /// Notifications that are not sessions or statuses: DataTransfer, diagnostics and firmware status,
    /// security events.
    async fn record_station_event(&self, event: &StationEvent) -> Result<()>;
    /// Newest first.
    async fn station_events(&self, id: &StationId, limit: u32) -> Result<Vec<StationEvent>>;

    // --- outbox: work for the server that holds a station's connection ---

    /// Queues a request for the server (e.g. "ask station X to boot again" after `joule station activate`
    /// ran in another process). Ids increase and are never reused.
    async fn push_outbox(&self, station: &StationId, kind: OutboxKind, at: Timestamp) -> Result<OutboxItem>;
    /// Open items with an id above `after`, oldest first.
    ///
    /// Ids are handed out in order but may become visible out of order when several processes write at
    /// once (PostgreSQL), so a reader that keeps `after` as a cursor should now and then read again from 0:
    /// an item stays open until it is closed.
    async fn open_outbox(&self, after: i64, limit: u32) -> Result<Vec<OutboxItem>>;
    /// Closes an item with its outcome. `NotFound` if there is no such item; closing a closed item keeps
    /// the first outcome and succeeds, so a retried close is harmless.
    async fn close_outbox(&self, id: i64, outcome: &str, at: Timestamp) -> Result<()>;

    /// Records a CSMS-initiated command before it is sent, as pending, and returns its id. Ids increase and
    /// are never reused.
    async fn record_command(&self, command: &NewCommand) -> Result<i64>;
    /// Records how the command ended. `NotFound` if there is no such command. A command keeps its first
    /// outcome: finishing it again changes nothing and succeeds, so a retried write is harmless.
    async fn finish_command(&self, id: i64, outcome: &CommandOutcome) -> Result<()>;
    /// Records the transaction a command led to (the session a RemoteStartTransaction started), replacing
    /// one recorded before. `NotFound` if there is no such command; the transaction is not checked.
    async fn set_command_transaction(&self, command: i64, transaction: TransactionId) -> Result<()>;
    /// The station's commands, newest first (by request time).
    async fn list_commands(&self, station: &StationId, limit: u32) -> Result<Vec<CommandRecord>>;
    /// One command, pending or finished; `None` if there is no such command.
    async fn command(&self, id: i64) -> Result<Option<CommandRecord>>;

    /// Appends frames to the log, all in one write (the gateway buffers frames and hands them over in
    /// batches: this is a hot path). The station is not checked: the log records what was on the wire.
    /// Frames are not deduplicated; an empty slice writes nothing.
    async fn log_messages(&self, messages: &[LoggedMessage]) -> Result<()>;
    /// Oldest first (by time, then by the order they were logged).
    async fn messages(&self, filter: &MessageFilter) -> Result<Vec<LoggedMessage>>;
    /// Deletes the frames logged before `before` and returns how many. Run it often (it deletes in one
    /// transaction, holding SQLite's writer while it does).
    async fn purge_messages(&self, before: Timestamp) -> Result<u64>;

    // --- configuration keys (OCPP 1.6 §5.8 GetConfiguration, §5.3 ChangeConfiguration) ---

    /// Stores what a GetConfiguration.conf reported: each key's value and readonly flag replace what was
    /// stored, and its `read_at` becomes `read_at`; a key's `changed_at` is kept. Keys not in `keys` are
    /// left alone (a GetConfiguration may ask for some keys only). A key given twice keeps the last.
    async fn store_configuration(&self, station: &StationId, keys: &[ConfigKey], read_at: Timestamp) -> Result<()>;
    /// By key.
    async fn configuration(&self, station: &StationId) -> Result<Vec<StoredConfigKey>>;
    /// Records a value the station Accepted (or accepted with RebootRequired) in a ChangeConfiguration.conf:
    /// sets the value and `changed_at`, creating the key (not readonly, never read) if it is unknown.
    async fn set_configuration_value(&self, station: &StationId, key: &str, value: &str, at: Timestamp) -> Result<()>;

    // --- operator default configuration (applied to a station when it is activated, and on demand) ---

    /// Replaces the operator's default keys and values; they are applied in this order. `Conflict` if a key
    /// is given twice; `NotFound` if the operator does not exist.
    async fn set_operator_defaults(&self, operator: OperatorId, defaults: &[(String, String)]) -> Result<()>;
    /// In the order they were set; empty for an operator without defaults.
    async fn operator_defaults(&self, operator: OperatorId) -> Result<Vec<(String, String)>>;
    /// Records what applying a default key to a station gave, replacing the key's earlier result.
    async fn record_default_result(
        &self,
        station: &StationId,
        key: &str,
        value: &str,
        result: &str,
        at: Timestamp,
    ) -> Result<()>;
    /// By key.
    async fn default_results(&self, station: &StationId) -> Result<Vec<DefaultResult>>;

    /// `Conflict` if the operator has a token of this name (or the hash is taken); `NotFound` if the
    /// operator does not exist.
    async fn create_api_token(&self, token: &NewApiToken) -> Result<ApiToken>;
    /// The token with this hash, revoked or not (a revoked one has `revoked_at`, so the caller can say why
    /// it is refused).
    async fn api_token_by_hash(&self, token_hash: &str) -> Result<Option<ApiToken>>;
    /// By name.
    async fn list_api_tokens(&self, operator: OperatorId) -> Result<Vec<ApiToken>>;
    /// `NotFound` if there is no such token. Revoking a revoked token keeps the first time and succeeds.
    async fn revoke_api_token(&self, id: i64, at: Timestamp) -> Result<()>;
    /// Records that the token was used at `at` (an earlier `at` than the one stored changes nothing).
    /// `NotFound` if there is no such token. Callers may treat it as best-effort.
    async fn touch_api_token(&self, id: i64, at: Timestamp) -> Result<()>;

    /// `Conflict` if the e-mail address is taken (addresses are unique across operators: one address, one
    /// account); `NotFound` if `operator_id` names no operator. The account starts unapproved and enabled.
    async fn create_account(&self, account: &NewAccount) -> Result<Account>;
    async fn account(&self, id: AccountId) -> Result<Option<Account>>;
    /// The account with this address, and its password hash (for logging in: the only read that returns
    /// the hash). Disabled accounts included; the caller checks.
    async fn account_by_email(&self, email: &Email) -> Result<Option<(Account, String)>>;
    /// By e-mail address, at most `filter.limit` of them.
    async fn list_accounts(&self, filter: &AccountFilter) -> Result<Vec<Account>>;
    /// Confirms an owner or certifies an installer: sets `approved_at` and `approved_by`, and returns the
    /// account. Approving an approved account keeps the first approval and succeeds. `NotFound` if there is
    /// no such account, or if `by` names no account.
    async fn approve_account(&self, id: AccountId, by: Option<AccountId>, at: Timestamp) -> Result<Account>;
    /// Replaces the password hash. `NotFound` if there is no such account. Logins stay open: revoke them
    /// with [`Store::revoke_logins_of`].
    async fn set_account_password(&self, id: AccountId, password_hash: &str) -> Result<()>;
    /// Disables the account as of `at` (disabling a disabled account keeps the first time), or enables it
    /// again, and returns it. `NotFound` if there is no such account. Logins stay open: revoke them with
    /// [`Store::revoke_logins_of`].
    async fn set_account_disabled(&self, id: AccountId, disabled: bool, at: Timestamp) -> Result<Account>;

    // --- logins (a person's sessions, stored hashed, revocable) ---

    /// `NotFound` if the account does not exist; `Conflict` if the hash is taken.
    async fn create_login(&self, login: &NewLogin) -> Result<Login>;
    /// The login with this hash, with its account as it is now; revoked and expired ones included (the
    /// caller checks `revoked_at`, `expires_at` and the account, so that it can say why it refuses).
    async fn login_by_hash(&self, token_hash: &str) -> Result<Option<Login>>;
    /// `NotFound` if there is no such login. Revoking a revoked login keeps the first time and succeeds.
    async fn revoke_login(&self, id: i64, at: Timestamp) -> Result<()>;
    /// Records that the login was used at `at` (an earlier `at` than the one stored changes nothing).
    /// `NotFound` if there is no such login. Callers may treat it as best-effort.
    async fn touch_login(&self, id: i64, at: Timestamp) -> Result<()>;
    /// Revokes, as of `at`, every login of the account that is open at `at` (not revoked, not expired), e.g.
    /// when its password changes or it is disabled, and returns how many. `NotFound` if there is no such
    /// account.
    async fn revoke_logins_of(&self, account: AccountId, at: Timestamp) -> Result<u64>;

    // --- audit log (who changed what, before and after) ---

    /// Appends an entry (its `id` is ignored) and returns its id. Ids increase and are never reused. The
    /// operator is not checked: the log records what happened, not references that must stay valid.
    async fn record_audit(&self, entry: &AuditEntry) -> Result<i64>;
    /// Newest first (by time, then by id), at most `filter.limit` of them.
    async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>>;

    /// Stores a one-time activation code for the station. `NotFound` if the station does not exist.
    async fn create_activation_code(&self, code: &NewActivationCode) -> Result<ActivationCodeRecord>;
    /// The unused codes for this MAC address (`AA:BB:CC:DD:EE:FF`), oldest first, each with its hash, for a
    /// claim to verify against.
    async fn open_activation_codes(&self, mac: &str) -> Result<Vec<(ActivationCodeRecord, String)>>;
    /// The station's codes, used or not, newest first.
    async fn activation_codes(&self, station: &StationId) -> Result<Vec<ActivationCodeRecord>>;
    /// Claims the code's station for `by`: marks the code used (compare-and-set: only an unused code is
    /// marked) and records the claim in the station's installation (creating it; a new claim replaces an
    /// earlier one). `Conflict` if the code is used already, `NotFound` if there is no such code or account.
    async fn use_activation_code(&self, id: i64, by: AccountId, at: Timestamp) -> Result<Installation>;
    /// The station's installation record; `None` before it is claimed or pinpointed.
    async fn installation(&self, station: &StationId) -> Result<Option<Installation>>;
    /// Replaces the station's pinpointing (creating the record). Once the serial number is locked, a
    /// different serial number is a `Conflict` unless `override_serial_lock`. `NotFound` if the station does
    /// not exist.
    async fn set_pinpointing(
        &self,
        station: &StationId,
        pinpointing: &Pinpointing,
        override_serial_lock: bool,
        at: Timestamp,
    ) -> Result<Installation>;
    /// Locks the serial number as of `at` (locking a locked one keeps the first time). `NotFound` if the
    /// station does not exist.
    async fn lock_installation_serial(&self, station: &StationId, at: Timestamp) -> Result<Installation>;
    /// Replaces the station's photo (creating the record) with its content type and EXIF orientation. A
    /// photo over [`MAX_PHOTO_BYTES`] is a `Conflict` and changes nothing (callers check the size first).
    /// `NotFound` if the station does not exist.
    async fn set_installation_photo(
        &self,
        station: &StationId,
        photo: &[u8],
        content_type: &str,
        orientation: Option<u16>,
        at: Timestamp,
    ) -> Result<Installation>;
    /// The photo's bytes and content type.
    async fn installation_photo(&self, station: &StationId) -> Result<Option<(Vec<u8>, String)>>;

    /// Stores a new request as `requested`. `NotFound` if the operator or the owner does not exist.
    async fn create_activation_request(
        &self,
        request: &NewActivationRequest,
    ) -> Result<joule_core::activation::ActivationRequest>;
    async fn activation_request(
        &self,
        id: joule_core::activation::ActivationRequestId,
    ) -> Result<Option<joule_core::activation::ActivationRequest>>;
    /// Oldest first (by request time, then id), at most `filter.limit` of them.
    async fn list_activation_requests(
        &self,
        filter: &ActivationFilter,
    ) -> Result<Vec<joule_core::activation::ActivationRequest>>;
    /// Moves the request from `from` to `to` (compare-and-set: two reviewers cannot both act), sets its reason
    /// (`None` clears it), `updated_at` and `updated_by`, and returns it. `Conflict` if the request is no longer
    /// in `from`; `NotFound` if there is no such request. The transition rule is the caller's
    /// ([`joule_core::activation::transition`]).
    async fn set_activation_state(
        &self,
        id: joule_core::activation::ActivationRequestId,
        from: joule_core::activation::ActivationState,
        to: joule_core::activation::ActivationState,
        reason: Option<&str>,
        by: &str,
        at: Timestamp,
    ) -> Result<joule_core::activation::ActivationRequest>;
    /// Puts a message in the person's portal inbox. `NotFound` if the account does not exist.
    async fn record_notification(
        &self,
        account: AccountId,
        kind: &str,
        text: &str,
        at: Timestamp,
    ) -> Result<Notification>;
    /// The person's inbox, newest first (by time, then id), at most `limit`.
    async fn notifications(&self, account: AccountId, limit: u32) -> Result<Vec<Notification>>;
    /// Marks the person's message read (a read one keeps its first time). `NotFound` unless the message is
    /// the account's.
    async fn mark_notification_read(&self, account: AccountId, id: i64, at: Timestamp) -> Result<()>;

    /// Adds a model to the operator's catalog, or replaces the entry with the same key
    /// ([`KnownModel::key`](joule_core::catalog::KnownModel::key): one model spelled another way), spelling and
    /// minimum firmware included. `NotFound` if the operator does not exist.
    async fn set_station_model(
        &self,
        operator: OperatorId,
        model: &joule_core::catalog::KnownModel,
        by: &str,
        at: Timestamp,
    ) -> Result<CatalogModel>;
    /// The operator's catalog, by vendor then model.
    async fn station_models(&self, operator: OperatorId) -> Result<Vec<CatalogModel>>;
    /// Removes the model with this key from the operator's catalog. `NotFound` if it is not there.
    async fn delete_station_model(&self, operator: OperatorId, key: &str) -> Result<()>;

    /// How many of the operator's stations are in each state, split by online and offline; states without
    /// stations are left out.
    async fn station_counts(&self, operator: OperatorId) -> Result<Vec<StationCount>>;

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
    /// Sets (or clears) the station's owner and returns the station. `NotFound` if the station or the
    /// account does not exist.
    async fn set_station_owner(&self, id: &StationId, owner: Option<AccountId>) -> Result<Station>;
    /// Marks the station out of service as of `at`, by a compare-and-set: only a station that is not marked
    /// already, is activated (active or verified), and has not connected after `quiet_since` (the last
    /// traffic the caller's decision rests on; a station that reconnected meanwhile is not silent). Returns
    /// whether this call marked it: of two racing callers, one gets `true`. `NotFound` if there is no such
    /// station.
    async fn mark_out_of_service(&self, id: &StationId, quiet_since: Timestamp, at: Timestamp) -> Result<bool>;
    /// Clears the station's out-of-service mark (compare-and-set) and returns when it was set, or `None` if
    /// it was not marked (or another caller cleared it first). `NotFound` if there is no such station.
    async fn clear_out_of_service(&self, id: &StationId) -> Result<Option<Timestamp>>;

    /// `Conflict` if the operator has a backend of this name; `NotFound` if the operator does not exist.
    async fn create_backend(&self, backend: &NewBackend) -> Result<Backend>;
    /// Renames the backend and replaces its URL (handovers keep the name and URL they were given).
    /// `NotFound` unless the backend is the operator's; `Conflict` if the name is taken.
    async fn update_backend(&self, id: i64, backend: &NewBackend) -> Result<Backend>;
    /// `NotFound` unless the backend is the operator's. Handovers and assignments that named it keep its
    /// name and URL.
    async fn delete_backend(&self, operator: OperatorId, id: i64) -> Result<()>;
    /// By name.
    async fn backends(&self, operator: OperatorId) -> Result<Vec<Backend>>;
    /// Exact name match.
    async fn backend_by_name(&self, operator: OperatorId, name: &str) -> Result<Option<Backend>>;
    /// Creates or replaces the operator's profile for the vendor (by [`ProvisioningProfile::vendor_key`]).
    /// `NotFound` if the operator does not exist.
    async fn put_provisioning_profile(&self, profile: &ProvisioningProfile) -> Result<ProvisioningProfile>;
    /// `NotFound` if the operator has no profile under this vendor key.
    async fn delete_provisioning_profile(&self, operator: OperatorId, vendor_key: &str) -> Result<()>;
    /// By vendor key.
    async fn provisioning_profiles(&self, operator: OperatorId) -> Result<Vec<ProvisioningProfile>>;
    /// The profile whose vendor key is `vendor_key` (see [`joule_core::catalog::vendor_key`]).
    async fn provisioning_profile(&self, operator: OperatorId, vendor_key: &str)
    -> Result<Option<ProvisioningProfile>>;
    /// Stores a handover as `recorded`. `Conflict` if the station has an open one (recorded, provisioning or
    /// waiting); `NotFound` if the station or operator does not exist.
    async fn create_handover(&self, handover: &NewHandover) -> Result<Handover>;
    /// Moves the handover from `change.from` to `change.to` (compare-and-set: of two parties that act at
    /// once, one wins), and returns it with its steps. `finished_at` is set when `to` is not open. Moving to
    /// `handed-over` sets the station's state to HandedOver in the same transaction.
    /// `Conflict` if it is no longer in `from`; `NotFound` if there is no such handover.
    async fn set_handover_state(&self, change: &HandoverChange) -> Result<Handover>;
    /// Appends a step. `NotFound` if there is no such handover.
    async fn add_handover_step(&self, step: &NewHandoverStep) -> Result<HandoverStep>;
    /// With its steps.
    async fn handover(&self, id: i64) -> Result<Option<Handover>>;
    /// The station's handovers with their steps, newest first.
    async fn handovers(&self, station: &StationId) -> Result<Vec<Handover>>;
    /// Every handover in `state`, oldest first, with its steps (for the server's start-up re-check).
    async fn handovers_in_state(&self, state: joule_core::handover::HandoverState) -> Result<Vec<Handover>>;
    /// Records the assignment. `Conflict` if the station is assigned already; `NotFound` if it does not exist.
    async fn assign_station(&self, assignment: &Assignment) -> Result<Assignment>;

    /// `NotFound` if the operator (or the linked account) does not exist; `Conflict` if the account is
    /// linked to another of the operator's drivers already.
    async fn create_driver(&self, driver: &NewDriver) -> Result<Driver>;
    /// Replaces name, e-mail and account link. `NotFound` unless the driver is the operator's; `Conflict`
    /// as for [`Store::create_driver`].
    async fn update_driver(&self, id: DriverId, driver: &NewDriver) -> Result<Driver>;
    /// Removes the driver and their group memberships; their tokens stay registered, without a driver.
    /// `NotFound` unless the driver is the operator's.
    async fn delete_driver(&self, operator: OperatorId, id: DriverId) -> Result<()>;
    /// With their groups, by name.
    async fn drivers(&self, operator: OperatorId) -> Result<Vec<Driver>>;
    async fn driver(&self, operator: OperatorId, id: DriverId) -> Result<Option<Driver>>;
    /// The operator's driver linked to `account` (the station owner as a driver).
    async fn driver_by_account(&self, operator: OperatorId, account: AccountId) -> Result<Option<Driver>>;
    /// `Conflict` if the operator has a group of this name; `NotFound` if the operator does not exist.
    async fn create_group(&self, operator: OperatorId, name: &GroupName, at: Timestamp) -> Result<DriverGroup>;
    /// Removes the group and its memberships. `NotFound` unless the group is the operator's.
    async fn delete_group(&self, operator: OperatorId, id: GroupId) -> Result<()>;
    /// By name, with member counts.
    async fn groups(&self, operator: OperatorId) -> Result<Vec<DriverGroup>>;
    /// Adds (`member` true) or removes the driver; doing what is already so changes nothing.
    /// `NotFound` unless both the group and the driver are the operator's.
    async fn set_group_member(
        &self,
        operator: OperatorId,
        group: GroupId,
        driver: DriverId,
        member: bool,
    ) -> Result<()>;
    /// The group's members, by name. `NotFound` unless the group is the operator's.
    async fn group_members(&self, operator: OperatorId, group: GroupId) -> Result<Vec<Driver>>;
    /// Links the token to a driver (`None`: unlinks it). `NotFound` unless both are the operator's.
    async fn set_token_driver(&self, operator: OperatorId, tag: &IdTag, driver: Option<DriverId>) -> Result<()>;

    /// Writes a checked token import in one transaction (see [`TokenImport`]): if any of it fails, nothing
    /// is kept. Answers the ids of the drivers it created, in the order of `new_drivers` (None for one no
    /// step named).
    async fn import_tokens(&self, import: &TokenImport) -> Result<Vec<Option<DriverId>>>;
    /// The driver's tokens, by tag.
    async fn driver_tokens(&self, operator: OperatorId, driver: DriverId) -> Result<Vec<IdToken>>;
    /// The token with its driver and the driver's groups; `None` if the operator has no such token.
    async fn token_facts(&self, operator: OperatorId, tag: &IdTag) -> Result<Option<TokenFacts>>;
    async fn assignment(&self, station: &StationId) -> Result<Option<Assignment>>;

    /// Stores a new tariff (`new.tariff_id` `None`: it gets a new id and version 1) or a new version of the
    /// operator's tariff (the next version number). Versions are never changed. `NotFound` if the operator
    /// does not exist or the tariff is not the operator's.
    async fn create_tariff(&self, new: &NewTariff) -> Result<TariffVersion>;
    /// The newest version of each of the operator's tariffs, by tariff id.
    async fn tariffs(&self, operator: OperatorId) -> Result<Vec<TariffVersion>>;
    /// Every version of the operator's tariff, oldest first; empty if it is not the operator's.
    async fn tariff_versions(&self, operator: OperatorId, tariff: i64) -> Result<Vec<TariffVersion>>;
    /// Assigns `tariff` to `target` (replacing what was assigned there), or with `None` removes the
    /// assignment. `NotFound` if the tariff is not the operator's, or (removing) if nothing is assigned there.
    async fn set_tariff_assignment(
        &self,
        operator: OperatorId,
        target: &joule_core::billing::TariffTarget,
        tariff: Option<i64>,
        at: Timestamp,
    ) -> Result<()>;
    /// The operator's assignments, by station, connector and group.
    async fn tariff_assignments(&self, operator: OperatorId) -> Result<Vec<TariffAssignment>>;
    /// The operator's billing settings; joule-core's defaults while it has set none. `NotFound` if the
    /// operator does not exist.
    async fn billing_settings(&self, operator: OperatorId) -> Result<joule_core::billing::BillingSettings>;
    /// Replaces the operator's billing settings. `NotFound` if the operator does not exist.
    async fn set_billing_settings(
        &self,
        operator: OperatorId,
        settings: &joule_core::billing::BillingSettings,
        at: Timestamp,
    ) -> Result<()>;
    /// Stores a session's cost, replacing one computed before. `NotFound` if the session does not exist.
    async fn put_session_cost(&self, cost: &SessionCost) -> Result<()>;
    async fn session_cost(&self, transaction: TransactionId) -> Result<Option<SessionCost>>;
    /// The costs of the operator's sessions that started in `since..until`, by session start.
    async fn session_costs(&self, operator: OperatorId, since: Timestamp, until: Timestamp)
    -> Result<Vec<SessionCost>>;
    /// Completed sessions without a cost (stopped while pricing was down, or pricing failed), oldest stop
    /// first, at most `limit`.
    async fn sessions_without_cost(&self, limit: u32) -> Result<Vec<TransactionId>>;

    /// The energy register readings the query names (see [`EnergyQuery`]), oldest first, at most
    /// `query.limit`. Among readings at the same instant (a clock-aligned and a periodic one) all are
    /// returned; [`joule_core::intervals::intervals`] prefers the clock-aligned one. An unknown station has none.
    async fn energy_readings(&self, query: &EnergyQuery) -> Result<Vec<joule_core::intervals::Reading>>;
    /// The latest power sample of each connector (0 included) that has one, by connector, with the instant
    /// of the sample before it. An unknown station has none.
    async fn latest_power(&self, station: &StationId) -> Result<Vec<PowerSample>>;
    // --- access rules ---
    /// The station's complete access rules, as [`joule_core::access::decide`] needs them, in two indexed
    /// reads (this is on the Authorize path): the mode and available times, "authorization required" (the
    /// station's `free_vend`, inverted), the connector overrides, the limited lists and the groups' times.
    /// `owner` is the operator's driver linked to the station owner's account, if there is one. A station
    /// whose rules were never set is public and always open. `None` if there is no such station.
    async fn access_rules(&self, station: &StationId) -> Result<Option<joule_core::access::AccessRules>>;
    /// Replaces the station's access rules in one transaction (everything in `rules` but `owner`, which
    /// follows the station's owner account) and sets `free_vend` to `!rules.authorization_required`; returns
    /// the rules as a later [`Store::access_rules`] reads them. `NotFound` if there is no such station.
    async fn set_access_rules(
        &self,
        station: &StationId,
        rules: &joule_core::access::AccessRules,
        at: Timestamp,
    ) -> Result<joule_core::access::AccessRules>;
    // --- password reset ---
    /// Records a password-reset link. `NotFound` if there is no such account; `Conflict` if the hash is taken.
    async fn create_password_reset(&self, reset: &NewPasswordReset) -> Result<()>;
    /// How many reset links were made for the account at or after `since` (mails are limited per hour).
    async fn password_resets_since(&self, account: AccountId, since: Timestamp) -> Result<u32>;
    /// The account of the link with this hash, if the link is unused and not expired at `at` (to check the new
    /// password against the account before the link is used).
    async fn password_reset_account(&self, token_hash: &str, at: Timestamp) -> Result<Option<AccountId>>;
    /// Uses a reset link, in one transaction: when `token_hash` names a link that is unused and not expired at
    /// `at`, marks it and every other open link of its account used, replaces the account's password hash and
    /// revokes its open logins; returns the account. `NotFound` for a link that is unknown, used or expired,
    /// alike (the caller answers the same for all three).
    async fn reset_password(&self, token_hash: &str, password_hash: &str, at: Timestamp) -> Result<AccountId>;
    // --- local authorization list sync ---
    /// Every token of the operator with its driver and the driver's groups (as [`Store::token_facts`]
    /// gives one), by tag: what a station's local list is computed from. Two reads, however many tokens.
    async fn operator_token_facts(&self, operator: OperatorId) -> Result<Vec<TokenFacts>>;
    /// The station's local list sync state with the entries last sent, by tag; `None` if Joule never
    /// recorded one (or there is no such station).
    async fn local_list_state(&self, station: &StationId) -> Result<Option<LocalListState>>;
    /// Replaces the station's local list sync state and its sent entries in one transaction (the entries
    /// are kept only with a `sent_version`). `at` is the row's update time. `NotFound` if there is no such
    /// station; `Conflict` if a tag is given twice.
    async fn put_local_list_state(&self, state: &LocalListState, at: Timestamp) -> Result<()>;
    // --- quarter summaries ---
    /// The quarter summaries of one meter (`connector` 0 is the main meter, as in [`EnergyQuery`]) on the
    /// UTC days `first_day..=last_day` (days since the Unix epoch), oldest first: what
    /// [`joule_core::intervals::energies_from_quarters`] needs for the intervals of those days, the same
    /// intervals as from [`Store::energy_readings`]. They are kept up to date in the transaction of every
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
