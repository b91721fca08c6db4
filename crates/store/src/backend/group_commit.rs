//! Group commit: many callers' writes in one transaction, one fsync, then every caller is answered.
//!
//! A write method puts its operation on a bounded queue and waits for the answer. A worker takes the first
//! operation waiting, plus whatever else is queued (up to [`GroupCommitOptions::max_batch`]), and runs them
//! all in one transaction:
//!
//! - the meter values of every MeterValues in the batch go in together, as multi-row inserts (they are the
//!   bulk of the traffic); if that fails, each message is retried alone so that only the bad one fails;
//! - every other operation runs in its own savepoint, so one that fails (an unknown station, a taken name)
//!   is rolled back alone and the others still commit;
//! - the transaction commits once, and only then is anyone answered (DESIGN.md rule 1). If the commit
//!   fails, every caller whose operation had succeeded gets the commit's error.
//!
//! Operations in one batch were all waiting at the same time, so any order among them is one a caller
//! could have seen; a caller's next write waits for the answer to its previous one and so lands in a later
//! batch. A batch therefore runs its operations in a fixed lock order (by station), not in arrival order. A batch that fails for a passing reason (a deadlock between PostgreSQL writers, a lost
//! connection, a lock held by another process) before its commit was sent is run again from the start, a
//! few times, because nothing of it was kept.
//!
//! A backend supplies a [`BatchExecutor`]: the transaction statements and the meter-value insert, in its own
//! SQL, and one method per other write ([`WriteOps`], which the SQL backends share). Several executors
//! (PostgreSQL) run batches in parallel from the one queue.

use std::panic::AssertUnwindSafe;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use async_trait::async_trait;
use futures_util::FutureExt;
use joule_core::access::{DriverId, GroupId, GroupName};
use joule_core::account::{Account, AccountId};
use joule_core::auth::IdToken;
use joule_core::billing::{BillingSettings, TariffTarget};
use joule_core::session::{SessionStart, SessionStop, StopOutcome};
use joule_core::station::{BootInfo, Station, StationState, StatusReport};
use joule_core::{IdTag, OperatorId, OperatorKey, StationId, Timestamp, TransactionId};
use tokio::sync::{Mutex, mpsc, oneshot};
use tokio::task::JoinHandle;

use super::meter::{MeterPlan, MeterRow};
use super::time::now;
use crate::{ActivationCodeRecord, Installation, NewActivationCode, Pinpointing};
use crate::{
    ApiToken, AuditEntry, CommandOutcome, ConfigKey, LoggedMessage, Login, MeterBatch, NewAccount, NewApiToken,
    NewCommand, NewLogin, NewStation, Operator, OutboxItem, OutboxKind, Result, StartOutcome, StationEvent, StoreError,
};

/// Tuning for the group-commit writer.
#[derive(Debug, Clone)]
pub struct GroupCommitOptions {
    /// The most operations one transaction takes. Larger batches amortise the commit further but make
    /// the callers at the end of a batch wait for everything before them.
    pub max_batch: usize,
    /// How many operations may wait for a worker. A full queue makes callers wait to enqueue, which slows
    /// the stations down instead of letting memory grow.
    pub queue: usize,
    /// How many times a batch that failed for a passing reason is run again before its callers get the
    /// error.
    pub retries: u32,
}

impl Default for GroupCommitOptions {
    fn default() -> Self {
        GroupCommitOptions { max_batch: 512, queue: 4096, retries: 3 }
    }
}

/// Why an executor's step failed, and whether running the whole batch again may succeed.
#[derive(Debug)]
pub struct Failure {
    pub error: StoreError,
    /// A deadlock, a serialization failure, a lost connection, a busy database: nothing is wrong with the
    /// operations themselves, so the batch is rolled back and run again.
    pub transient: bool,
}

impl From<StoreError> for Failure {
    fn from(error: StoreError) -> Failure {
        Failure { error, transient: false }
    }
}

pub type ExecResult<T> = std::result::Result<T, Failure>;

/// A backend's side of group commit: the statements of a transaction and the meter-value insert, in its
/// own SQL, and (through [`WriteOps`]) every other write, each on the one connection the executor owns for a
/// batch.
#[async_trait]
pub trait BatchExecutor: WriteOps + 'static {
    /// Opens a write transaction (taking the write lock at once, in SQLite).
    async fn begin(&mut self) -> ExecResult<()>;
    async fn commit(&mut self) -> ExecResult<()>;
    /// Undoes the open transaction, if any; must leave the executor ready for the next `begin`, even
    /// after its connection was lost.
    async fn rollback(&mut self);
    /// Opens a savepoint inside the transaction (never nested: each is released or rolled back before the
    /// next is opened).
    async fn savepoint(&mut self) -> ExecResult<()>;
    async fn release_savepoint(&mut self) -> ExecResult<()>;
    /// Undoes everything since the savepoint and removes it.
    async fn rollback_to_savepoint(&mut self) -> ExecResult<()>;
    /// Called after each batch, once its callers have been answered: housekeeping that must not run
    /// inside a transaction or delay an answer (SQLite finishes its WAL checkpoints here).
    async fn after_batch(&mut self) {}
    /// Called once when the queue is closed and drained.
    async fn close(&mut self) {}

    /// Inserts `rows` (sorted, distinct natural keys; see [`MeterPlan`]), skipping those already stored,
    /// and returns the positions in `rows` of the ones it inserted.
    async fn insert_meter_rows(&mut self, rows: &[MeterRow<'_>]) -> ExecResult<Vec<usize>>;
}

/// The writes other than meter values, one method per operation. They run inside the transaction
/// [`BatchExecutor::begin`] opened, detect the failures they can (no such row, a taken key) and report them
/// as a [`StoreError`], leaving the rollback to the caller. The SQL backends share one implementation
/// ([`sql_backend!`](crate::sql_backend)).
#[async_trait]
pub trait WriteOps: Send {
    async fn create_operator(&mut self, name: &str, key: &OperatorKey, at: Timestamp) -> ExecResult<Operator>;
    async fn register_station(&mut self, new: &NewStation) -> ExecResult<Station>;
    async fn ensure_station(&mut self, operator: OperatorId, id: &StationId, at: Timestamp) -> ExecResult<Station>;
    async fn set_station_state(&mut self, id: &StationId, state: StationState) -> ExecResult<Station>;
    async fn set_station_free_vend(&mut self, id: &StationId, free_vend: bool) -> ExecResult<Station>;
    async fn set_station_password(&mut self, id: &StationId, password_hash: Option<&str>) -> ExecResult<Station>;
    async fn record_boot(&mut self, id: &StationId, boot: &BootInfo, at: Timestamp) -> ExecResult<()>;
    async fn record_connection(&mut self, id: &StationId, online: bool, at: Timestamp) -> ExecResult<()>;
    async fn record_heartbeat(&mut self, id: &StationId, at: Timestamp) -> ExecResult<()>;
    async fn mark_all_offline(&mut self, at: Timestamp) -> ExecResult<u64>;
    async fn record_status(&mut self, id: &StationId, report: &StatusReport, received_at: Timestamp) -> ExecResult<()>;
    async fn add_id_token(&mut self, token: &IdToken) -> ExecResult<IdToken>;
    async fn update_id_token(&mut self, token: &IdToken) -> ExecResult<IdToken>;
    async fn delete_id_token(&mut self, operator: OperatorId, tag: &IdTag) -> ExecResult<()>;
    async fn start_session(&mut self, start: &SessionStart) -> ExecResult<StartOutcome>;
    async fn stop_session(&mut self, stop: &SessionStop) -> ExecResult<StopOutcome>;
    async fn record_station_event(&mut self, event: &StationEvent) -> ExecResult<()>;
    async fn push_outbox(&mut self, station: &StationId, kind: OutboxKind, at: Timestamp) -> ExecResult<OutboxItem>;
    async fn close_outbox(&mut self, id: i64, outcome: &str, at: Timestamp) -> ExecResult<()>;
    async fn record_command(&mut self, command: &NewCommand) -> ExecResult<i64>;
    async fn finish_command(&mut self, id: i64, outcome: &CommandOutcome) -> ExecResult<()>;
    async fn set_command_transaction(&mut self, id: i64, transaction: TransactionId) -> ExecResult<()>;
    /// All the frames in one go, as multi-row inserts.
    async fn log_messages(&mut self, messages: &[LoggedMessage]) -> ExecResult<()>;
    async fn purge_messages(&mut self, before: Timestamp) -> ExecResult<u64>;
    async fn store_configuration(
        &mut self,
        station: &StationId,
        keys: &[ConfigKey],
        read_at: Timestamp,
    ) -> ExecResult<()>;
    async fn set_configuration_value(
        &mut self,
        station: &StationId,
        key: &str,
        value: &str,
        at: Timestamp,
    ) -> ExecResult<()>;
    async fn set_operator_defaults(&mut self, operator: OperatorId, defaults: &[(String, String)]) -> ExecResult<()>;
    async fn record_default_result(
        &mut self,
        station: &StationId,
        key: &str,
        value: &str,
        result: &str,
        at: Timestamp,
    ) -> ExecResult<()>;
    async fn create_api_token(&mut self, token: &NewApiToken) -> ExecResult<ApiToken>;
    async fn revoke_api_token(&mut self, id: i64, at: Timestamp) -> ExecResult<()>;
    async fn touch_api_token(&mut self, id: i64, at: Timestamp) -> ExecResult<()>;
    async fn create_account(&mut self, account: &NewAccount) -> ExecResult<Account>;
    async fn approve_account(&mut self, id: AccountId, by: Option<AccountId>, at: Timestamp) -> ExecResult<Account>;
    async fn set_account_password(&mut self, id: AccountId, password_hash: &str) -> ExecResult<()>;
    async fn set_account_disabled(&mut self, id: AccountId, disabled: bool, at: Timestamp) -> ExecResult<Account>;
    async fn create_login(&mut self, login: &NewLogin) -> ExecResult<Login>;
    async fn revoke_login(&mut self, id: i64, at: Timestamp) -> ExecResult<()>;
    async fn touch_login(&mut self, id: i64, at: Timestamp) -> ExecResult<()>;
    async fn revoke_logins_of(&mut self, account: AccountId, at: Timestamp) -> ExecResult<u64>;
    async fn record_audit(&mut self, entry: &AuditEntry) -> ExecResult<i64>;
    async fn create_activation_request(
        &mut self,
        request: &crate::NewActivationRequest,
    ) -> ExecResult<joule_core::activation::ActivationRequest>;
    async fn set_activation_state(
        &mut self,
        id: joule_core::activation::ActivationRequestId,
        from: joule_core::activation::ActivationState,
        to: joule_core::activation::ActivationState,
        reason: Option<&str>,
        by: &str,
        at: Timestamp,
    ) -> ExecResult<joule_core::activation::ActivationRequest>;
    async fn record_notification(
        &mut self,
        account: AccountId,
        kind: &str,
        text: &str,
        at: Timestamp,
    ) -> ExecResult<crate::Notification>;
    async fn mark_notification_read(&mut self, account: AccountId, id: i64, at: Timestamp) -> ExecResult<()>;
    // --- stickers and claims ---
    async fn create_activation_code(&mut self, code: &NewActivationCode) -> ExecResult<ActivationCodeRecord>;
    async fn use_activation_code(&mut self, id: i64, by: AccountId, at: Timestamp) -> ExecResult<Installation>;
    async fn set_pinpointing(
        &mut self,
        station: &StationId,
        pinpointing: &Pinpointing,
        override_serial_lock: bool,
        at: Timestamp,
    ) -> ExecResult<Installation>;
    async fn lock_installation_serial(&mut self, station: &StationId, at: Timestamp) -> ExecResult<Installation>;
    async fn set_installation_photo(
        &mut self,
        station: &StationId,
        photo: &[u8],
        content_type: &str,
        orientation: Option<u16>,
        at: Timestamp,
    ) -> ExecResult<Installation>;
    // --- the model catalog ---
    async fn set_station_model(
        &mut self,
        operator: OperatorId,
        model: &joule_core::catalog::KnownModel,
        by: &str,
        at: Timestamp,
    ) -> ExecResult<crate::CatalogModel>;
    async fn delete_station_model(&mut self, operator: OperatorId, key: &str) -> ExecResult<()>;
    // --- operator settings, station owner and offline detection ---
    async fn set_operator_settings(
        &mut self,
        operator: OperatorId,
        settings: &joule_core::operator::OperatorSettings,
        at: Timestamp,
    ) -> ExecResult<joule_core::operator::OperatorSettings>;
    async fn set_station_owner(&mut self, id: &StationId, owner: Option<AccountId>) -> ExecResult<Station>;
    async fn mark_out_of_service(&mut self, id: &StationId, quiet_since: Timestamp, at: Timestamp) -> ExecResult<bool>;
    async fn clear_out_of_service(&mut self, id: &StationId) -> ExecResult<Option<Timestamp>>;
    // --- handover ---
    async fn create_backend(&mut self, backend: &crate::NewBackend) -> ExecResult<crate::Backend>;
    async fn update_backend(&mut self, id: i64, backend: &crate::NewBackend) -> ExecResult<crate::Backend>;
    async fn delete_backend(&mut self, operator: OperatorId, id: i64) -> ExecResult<()>;
    async fn put_provisioning_profile(
        &mut self,
        profile: &crate::ProvisioningProfile,
    ) -> ExecResult<crate::ProvisioningProfile>;
    async fn delete_provisioning_profile(&mut self, operator: OperatorId, vendor_key: &str) -> ExecResult<()>;
    async fn create_handover(&mut self, handover: &crate::NewHandover) -> ExecResult<crate::Handover>;
    async fn set_handover_state(&mut self, change: &crate::HandoverChange) -> ExecResult<crate::Handover>;
    async fn add_handover_step(&mut self, step: &crate::NewHandoverStep) -> ExecResult<crate::HandoverStep>;
    async fn assign_station(&mut self, assignment: &crate::Assignment) -> ExecResult<crate::Assignment>;
    // --- tariffs and billing ---
    async fn create_tariff(&mut self, new: &crate::NewTariff) -> ExecResult<crate::TariffVersion>;
    async fn set_tariff_assignment(
        &mut self,
        operator: OperatorId,
        target: &TariffTarget,
        tariff: Option<i64>,
        at: Timestamp,
    ) -> ExecResult<()>;
    async fn set_billing_settings(
        &mut self,
        operator: OperatorId,
        settings: &BillingSettings,
        at: Timestamp,
    ) -> ExecResult<()>;
    async fn put_session_cost(&mut self, cost: &crate::SessionCost) -> ExecResult<()>;
    // --- drivers and groups ---
    async fn create_driver(&mut self, driver: &crate::NewDriver) -> ExecResult<crate::Driver>;
    async fn update_driver(&mut self, id: DriverId, driver: &crate::NewDriver) -> ExecResult<crate::Driver>;
    async fn delete_driver(&mut self, operator: OperatorId, id: DriverId) -> ExecResult<()>;
    async fn create_group(
        &mut self,
        operator: OperatorId,
        name: &GroupName,
        at: Timestamp,
    ) -> ExecResult<crate::DriverGroup>;
    async fn delete_group(&mut self, operator: OperatorId, id: GroupId) -> ExecResult<()>;
    async fn set_group_member(
        &mut self,
        operator: OperatorId,
        group: GroupId,
        driver: DriverId,
        member: bool,
    ) -> ExecResult<()>;
    async fn set_token_driver(&mut self, operator: OperatorId, tag: &IdTag, driver: Option<DriverId>)
    -> ExecResult<()>;
    // --- access rules ---
    async fn set_access_rules(
        &mut self,
        station: &StationId,
        rules: &joule_core::access::AccessRules,
        at: Timestamp,
    ) -> ExecResult<()>;
    // --- password reset ---
    async fn create_password_reset(&mut self, reset: &crate::NewPasswordReset) -> ExecResult<()>;
    async fn reset_password(&mut self, token_hash: &str, password_hash: &str, at: Timestamp) -> ExecResult<AccountId>;
    // --- local authorization list sync ---
    async fn put_local_list_state(&mut self, state: &crate::LocalListState, at: Timestamp) -> ExecResult<()>;
    // --- quarter summaries ---
    /// Brings the quarter summaries of the meters `rows` name up to date with them, in the transaction that
    /// inserted them. Called after every meter-value insert with the rows it inserted (not those it skipped
    /// as stored already: what is stored under their key is what counts).
    async fn update_energy_quarters(&mut self, rows: &[MeterRow<'_>]) -> ExecResult<()>;
    /// Computes the quarter summaries of one meter again from all its stored readings (the backfill of data
    /// stored before the summaries existed); returns how many UTC days it wrote.
    async fn rebuild_energy_quarters(&mut self, station: &StationId, connector: u32) -> ExecResult<u64>;
    /// Replaces the meter's summary rows of the given days with the given packed days.
    async fn put_energy_quarter_days(
        &mut self,
        station: &StationId,
        connector: u32,
        days: &[(i64, Vec<u8>)],
    ) -> ExecResult<u64>;
    /// Says that the summaries of the readings stored before migration 0016 are built.
    async fn finish_quarter_backfill(&mut self) -> ExecResult<()>;
}

/// The writes of the [`Store`](crate::Store) trait as values, so they can wait in a queue.
#[derive(Debug)]
enum WriteOp {
    CreateOperator {
        name: String,
        key: OperatorKey,
        at: Timestamp,
    },
    RegisterStation(NewStation),
    EnsureStation {
        operator: OperatorId,
        id: StationId,
        at: Timestamp,
    },
    SetStationState {
        id: StationId,
        state: StationState,
    },
    SetStationFreeVend {
        id: StationId,
        free_vend: bool,
    },
    SetStationPassword {
        id: StationId,
        password_hash: Option<String>,
    },
    RecordBoot {
        id: StationId,
        boot: BootInfo,
        at: Timestamp,
    },
    RecordConnection {
        id: StationId,
        online: bool,
        at: Timestamp,
    },
    RecordHeartbeat {
        id: StationId,
        at: Timestamp,
    },
    MarkAllOffline {
        at: Timestamp,
    },
    RecordStatus {
        id: StationId,
        report: StatusReport,
        received_at: Timestamp,
    },
    AddIdToken(IdToken),
    UpdateIdToken(IdToken),
    DeleteIdToken {
        operator: OperatorId,
        tag: IdTag,
    },
    StartSession(SessionStart),
    StopSession(SessionStop),
    AddMeterValues(MeterBatch),
    RecordStationEvent(StationEvent),
    PushOutbox {
        station: StationId,
        kind: OutboxKind,
        at: Timestamp,
    },
    CloseOutbox {
        id: i64,
        outcome: String,
        at: Timestamp,
    },
    RecordCommand(NewCommand),
    FinishCommand {
        id: i64,
        outcome: CommandOutcome,
    },
    SetCommandTransaction {
        id: i64,
        transaction: TransactionId,
    },
    LogMessages(Vec<LoggedMessage>),
    PurgeMessages {
        before: Timestamp,
    },
    StoreConfiguration {
        station: StationId,
        keys: Vec<ConfigKey>,
        read_at: Timestamp,
    },
    SetConfigurationValue {
        station: StationId,
        key: String,
        value: String,
        at: Timestamp,
    },
    SetOperatorDefaults {
        operator: OperatorId,
        defaults: Vec<(String, String)>,
    },
    RecordDefaultResult {
        station: StationId,
        key: String,
        value: String,
        result: String,
        at: Timestamp,
    },
    CreateApiToken(NewApiToken),
    RevokeApiToken {
        id: i64,
        at: Timestamp,
    },
    TouchApiToken {
        id: i64,
        at: Timestamp,
    },
    CreateAccount(NewAccount),
    ApproveAccount {
        id: AccountId,
        by: Option<AccountId>,
        at: Timestamp,
    },
    SetAccountPassword {
        id: AccountId,
        password_hash: String,
    },
    SetAccountDisabled {
        id: AccountId,
        disabled: bool,
        at: Timestamp,
    },
    CreateLogin(NewLogin),
    RevokeLogin {
        id: i64,
        at: Timestamp,
    },
    TouchLogin {
        id: i64,
        at: Timestamp,
    },
    RevokeLoginsOf {
        account: AccountId,
        at: Timestamp,
    },
    RecordAudit(AuditEntry),
    CreateActivationRequest(crate::NewActivationRequest),
    SetActivationState(crate::activation::StateChange),
    RecordNotification {
        account: AccountId,
        kind: String,
        text: String,
        at: Timestamp,
    },
    MarkNotificationRead {
        account: AccountId,
        id: i64,
        at: Timestamp,
    },
    // --- stickers and claims ---
    CreateActivationCode(NewActivationCode),
    UseActivationCode {
        id: i64,
        by: AccountId,
        at: Timestamp,
    },
    SetPinpointing {
        station: StationId,
        pinpointing: Box<Pinpointing>,
        override_serial_lock: bool,
        at: Timestamp,
    },
    LockInstallationSerial {
        station: StationId,
        at: Timestamp,
    },
    SetInstallationPhoto {
        station: StationId,
        photo: Vec<u8>,
        content_type: String,
        orientation: Option<u16>,
        at: Timestamp,
    },
    // --- the model catalog ---
    SetStationModel {
        operator: OperatorId,
        model: joule_core::catalog::KnownModel,
        by: String,
        at: Timestamp,
    },
    DeleteStationModel {
        operator: OperatorId,
        key: String,
    },
    // --- operator settings, station owner and offline detection ---
    SetOperatorSettings {
        operator: OperatorId,
        settings: joule_core::operator::OperatorSettings,
        at: Timestamp,
    },
    SetStationOwner {
        id: StationId,
        owner: Option<AccountId>,
    },
    MarkOutOfService {
        id: StationId,
        quiet_since: Timestamp,
        at: Timestamp,
    },
    ClearOutOfService {
        id: StationId,
    },
    // --- handover ---
    CreateBackend(crate::NewBackend),
    UpdateBackend {
        id: i64,
        backend: crate::NewBackend,
    },
    DeleteBackend {
        operator: OperatorId,
        id: i64,
    },
    PutProvisioningProfile(crate::ProvisioningProfile),
    DeleteProvisioningProfile {
        operator: OperatorId,
        vendor_key: String,
    },
    CreateHandover(crate::NewHandover),
    SetHandoverState(crate::HandoverChange),
    AddHandoverStep(crate::NewHandoverStep),
    AssignStation(crate::Assignment),
    // --- tariffs and billing ---
    CreateTariff(Box<crate::NewTariff>),
    SetTariffAssignment {
        operator: OperatorId,
        target: TariffTarget,
        tariff: Option<i64>,
        at: Timestamp,
    },
    SetBillingSettings {
        operator: OperatorId,
        settings: BillingSettings,
        at: Timestamp,
    },
    PutSessionCost(Box<crate::SessionCost>),
    // --- drivers and groups ---
    CreateDriver(crate::NewDriver),
    UpdateDriver {
        id: DriverId,
        driver: crate::NewDriver,
    },
    DeleteDriver {
        operator: OperatorId,
        id: DriverId,
    },
    CreateGroup {
        operator: OperatorId,
        name: GroupName,
        at: Timestamp,
    },
    DeleteGroup {
        operator: OperatorId,
        id: GroupId,
    },
    SetGroupMember {
        operator: OperatorId,
        group: GroupId,
        driver: DriverId,
        member: bool,
    },
    SetTokenDriver {
        operator: OperatorId,
        tag: IdTag,
        driver: Option<DriverId>,
    },
    // --- token import in one transaction ---
    ImportTokens(Box<crate::TokenImport>),
    // --- access rules ---
    SetAccessRules {
        station: StationId,
        rules: Box<joule_core::access::AccessRules>,
        at: Timestamp,
    },
    // --- password reset ---
    CreatePasswordReset(crate::NewPasswordReset),
    ResetPassword {
        token_hash: String,
        password_hash: String,
        at: Timestamp,
    },
    // --- local authorization list sync ---
    PutLocalListState {
        state: Box<crate::LocalListState>,
        at: Timestamp,
    },
    // --- quarter summaries ---
    RebuildEnergyQuarters {
        station: StationId,
        connector: u32,
    },
    PutEnergyQuarterDays {
        station: StationId,
        connector: u32,
        days: Vec<(i64, Vec<u8>)>,
    },
    FinishQuarterBackfill,
}

impl WriteOp {
    /// Where in a batch this operation runs: by station, then by the kind of row it locks (the station row,
    /// a connector, a session...), then by connector. Operations of one batch were all waiting at once, so
    /// any order is one their callers could have seen; this one is the same in every batch, which keeps
    /// parallel batches from locking two stations in opposite orders.
    fn lock_order(&self) -> (&str, u8, u32) {
        match self {
            WriteOp::CreateOperator { .. } => ("", 0, 0),
            WriteOp::AddIdToken(_) | WriteOp::UpdateIdToken(_) | WriteOp::DeleteIdToken { .. } => ("", 1, 0),
            WriteOp::MarkAllOffline { .. } => ("", 2, 0),
            WriteOp::CloseOutbox { .. } => ("", 3, 0),
            WriteOp::FinishCommand { .. } | WriteOp::SetCommandTransaction { .. } => ("", 4, 0),
            // The log has no foreign key: it locks no station row.
            WriteOp::LogMessages(_) => ("", 5, 0),
            WriteOp::PurgeMessages { .. } => ("", 6, 0),
            WriteOp::SetOperatorDefaults { .. } => ("", 7, 0),
            WriteOp::CreateApiToken(_) | WriteOp::RevokeApiToken { .. } | WriteOp::TouchApiToken { .. } => ("", 8, 0),
            // Account rows before login rows (a login's insert checks its account).
            WriteOp::CreateAccount(_)
            | WriteOp::ApproveAccount { .. }
            | WriteOp::SetAccountPassword { .. }
            | WriteOp::SetAccountDisabled { .. } => ("", 9, 0),
            WriteOp::CreateLogin(_)
            | WriteOp::RevokeLogin { .. }
            | WriteOp::TouchLogin { .. }
            | WriteOp::RevokeLoginsOf { .. } => ("", 10, 0),
            // The audit log has no foreign key: it locks nothing but its own new row.
            WriteOp::RecordAudit(_) => ("", 11, 0),
            // Activation requests and notifications check their account's row only.
            WriteOp::CreateActivationRequest(_) | WriteOp::SetActivationState(_) => ("", 12, 1),
            WriteOp::RecordNotification { .. } | WriteOp::MarkNotificationRead { .. } => ("", 12, 2),
            WriteOp::RegisterStation(new) => (new.id.as_str(), 0, 0),
            WriteOp::EnsureStation { id, .. }
            | WriteOp::SetStationState { id, .. }
            | WriteOp::SetStationFreeVend { id, .. }
            | WriteOp::SetStationPassword { id, .. }
            | WriteOp::RecordBoot { id, .. }
            | WriteOp::RecordConnection { id, .. }
            | WriteOp::RecordHeartbeat { id, .. } => (id.as_str(), 1, 0),
            WriteOp::RecordStatus { id, report, .. } => (id.as_str(), 2, report.connector_id),
            WriteOp::StartSession(start) => (start.station_id.as_str(), 3, start.connector_id),
            WriteOp::StopSession(stop) => (stop.station_id.as_str(), 4, 0),
            WriteOp::AddMeterValues(batch) => (batch.station_id.as_str(), 5, batch.connector_id),
            WriteOp::RecordStationEvent(event) => (event.station_id.as_str(), 6, 0),
            WriteOp::PushOutbox { station, .. } => (station.as_str(), 7, 0),
            WriteOp::RecordCommand(command) => (command.station_id.as_str(), 8, 0),
            WriteOp::StoreConfiguration { station, .. } | WriteOp::SetConfigurationValue { station, .. } => {
                (station.as_str(), 9, 0)
            }
            WriteOp::RecordDefaultResult { station, .. } => (station.as_str(), 10, 0),
            // Stickers and claims: the station's code and installation rows. A claim names a code,
            // not its station, so it runs with the operations above stations (its account is locked first).
            WriteOp::CreateActivationCode(code) => (code.station_id.as_str(), 11, 0),
            WriteOp::UseActivationCode { .. } => ("", 12, 0),
            WriteOp::SetPinpointing { station, .. }
            | WriteOp::LockInstallationSerial { station, .. }
            | WriteOp::SetInstallationPhoto { station, .. } => (station.as_str(), 12, 0),
            // The model catalog checks its operator's row only.
            WriteOp::SetStationModel { .. } | WriteOp::DeleteStationModel { .. } => ("", 13, 0),
            // --- operator settings, station owner and offline detection ---
            // Settings lock their operator's row, like the default configuration; the others the station row.
            WriteOp::SetOperatorSettings { .. } => ("", 7, 1),
            WriteOp::SetStationOwner { id, .. }
            | WriteOp::MarkOutOfService { id, .. }
            | WriteOp::ClearOutOfService { id } => (id.as_str(), 1, 0),
            // --- handover ---
            // Backends and profiles lock only their operator's rows; a handover's state and steps name the
            // handover, not its station, so they run above stations too (after the backends they copy).
            WriteOp::CreateBackend(_) | WriteOp::UpdateBackend { .. } | WriteOp::DeleteBackend { .. } => ("", 13, 0),
            WriteOp::PutProvisioningProfile(_) | WriteOp::DeleteProvisioningProfile { .. } => ("", 13, 1),
            WriteOp::SetHandoverState(_) | WriteOp::AddHandoverStep(_) => ("", 13, 2),
            WriteOp::CreateHandover(h) => (h.station_id.as_str(), 13, 0),
            WriteOp::AssignStation(a) => (a.station_id.as_str(), 13, 1),
            // --- tariffs and billing ---
            // Tariffs, assignments and settings lock their operator's rows only; a cost its session's row.
            WriteOp::CreateTariff(_) | WriteOp::SetTariffAssignment { .. } | WriteOp::SetBillingSettings { .. } => {
                ("", 15, 0)
            }
            WriteOp::PutSessionCost(_) => ("", 15, 1),
            // --- drivers and groups ---
            // Operator-wide rows, above stations: drivers, then groups, then the rows naming both (members,
            // and the token's driver link, which the id-token writes above lock first).
            WriteOp::CreateDriver(_) | WriteOp::UpdateDriver { .. } | WriteOp::DeleteDriver { .. } => ("", 14, 0),
            WriteOp::CreateGroup { .. } | WriteOp::DeleteGroup { .. } => ("", 14, 1),
            WriteOp::SetGroupMember { .. } | WriteOp::SetTokenDriver { .. } => ("", 14, 2),
            // --- token import in one transaction ---
            // Groups, drivers, tokens and links of one operator, in that order, after the single writes.
            WriteOp::ImportTokens(_) => ("", 14, 3),
            // --- access rules ---
            // The station row (free_vend) first, then the station's rule rows.
            WriteOp::SetAccessRules { station, .. } => (station.as_str(), 14, 0),
            // --- password reset ---
            // Account rows, like logins; a reset also revokes the account's logins, so after them.
            WriteOp::CreatePasswordReset(_) | WriteOp::ResetPassword { .. } => ("", 10, 1),
            // --- local authorization list sync ---
            // The station's own sync rows only (their foreign key checks the station row).
            WriteOp::PutLocalListState { state, .. } => (state.station_id.as_str(), 16, 0),
            // --- quarter summaries ---
            // The meter's summary rows, like its meter values.
            WriteOp::RebuildEnergyQuarters { station, connector }
            | WriteOp::PutEnergyQuarterDays { station, connector, .. } => (station.as_str(), 5, *connector),
            WriteOp::FinishQuarterBackfill => ("", 16, 0),
        }
    }
}

/// What a write answers.
#[derive(Debug)]
enum WriteReply {
    Done,
    Count(u64),
    Operator(Operator),
    Station(Station),
    IdToken(IdToken),
    Started(StartOutcome),
    Stopped(StopOutcome),
    Outbox(OutboxItem),
    Id(i64),
    ApiToken(ApiToken),
    Account(Account),
    Login(Login),
    ActivationRequest(joule_core::activation::ActivationRequest),
    Notification(crate::Notification),
    ActivationCode(ActivationCodeRecord),
    Installation(Box<Installation>),
    CatalogModel(crate::CatalogModel),
    // --- operator settings and offline detection ---
    OperatorSettings(joule_core::operator::OperatorSettings),
    Flag(bool),
    Since(Option<Timestamp>),
    // --- handover ---
    Backend(crate::Backend),
    ProvisioningProfile(crate::ProvisioningProfile),
    Handover(Box<crate::Handover>),
    HandoverStep(crate::HandoverStep),
    Assignment(crate::Assignment),
    // --- tariffs and billing ---
    TariffVersion(Box<crate::TariffVersion>),
    // --- drivers and groups ---
    Driver(Box<crate::Driver>),
    DriverGroup(crate::DriverGroup),
    // --- token import in one transaction ---
    ImportedDrivers(Vec<Option<DriverId>>),
    /// New samples per message of a grouped meter-value step (internal to a batch).
    Counts(Vec<u64>),
}

/// Unwraps the reply variant a write expects. Another variant would be a bug in [`apply`].
macro_rules! reply {
    ($reply:expr, $variant:ident) => {
        match $reply {
            WriteReply::$variant(v) => Ok(v),
            other => Err(mismatch(other)),
        }
    };
}

fn done(reply: WriteReply) -> Result<()> {
    match reply {
        WriteReply::Done => Ok(()),
        other => Err(mismatch(other)),
    }
}

fn mismatch(reply: WriteReply) -> StoreError {
    StoreError::Database(format!("internal error: unexpected writer reply {reply:?}"))
}

struct Job {
    op: WriteOp,
    reply: oneshot::Sender<Result<WriteReply>>,
}

/// The handle write methods use: enqueues an operation and waits for its committed answer.
pub struct Writer {
    /// `None` once [`Writer::close`] ran. Taken out (not just flagged) so that the queue closes when the
    /// last in-flight sender is gone, which is what lets the workers drain and stop.
    queue: RwLock<Option<mpsc::Sender<Job>>>,
    workers: Mutex<Vec<JoinHandle<()>>>,
}

impl Writer {
    /// Starts one worker per executor, all taking batches from one queue. Must run inside a tokio runtime.
    pub fn spawn<E: BatchExecutor>(executors: Vec<E>, opts: GroupCommitOptions) -> Writer {
        let (tx, rx) = mpsc::channel(opts.queue.max(1));
        let rx = Arc::new(Mutex::new(rx));
        let workers = executors.into_iter().map(|exec| tokio::spawn(work(exec, rx.clone(), opts.clone()))).collect();
        Writer { queue: RwLock::new(Some(tx)), workers: Mutex::new(workers) }
    }

    /// Stops taking operations, lets the workers finish the queued ones, and waits for them.
    pub async fn close(&self) {
        self.queue.write().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
        let workers = std::mem::take(&mut *self.workers.lock().await);
        for worker in workers {
            if let Err(e) = worker.await {
                tracing::error!(error = %e, "a store writer task failed");
            }
        }
    }

    async fn submit(&self, op: WriteOp) -> Result<WriteReply> {
        let queue = self.queue.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
        let queue = queue.ok_or(StoreError::Closed)?;
        let (reply, answer) = oneshot::channel();
        queue.send(Job { op, reply }).await.map_err(|_| StoreError::Closed)?;
        drop(queue);
        // The reply is dropped when the batch panicked (a bug) or the runtime is shutting down.
        answer
            .await
            .map_err(|_| StoreError::Database("the write was abandoned: its batch failed unexpectedly".into()))?
    }

    pub async fn create_operator(&self, name: &str, key: &OperatorKey) -> Result<Operator> {
        let op = WriteOp::CreateOperator { name: name.to_string(), key: key.clone(), at: now() };
        reply!(self.submit(op).await?, Operator)
    }

    pub async fn register_station(&self, new: NewStation) -> Result<Station> {
        reply!(self.submit(WriteOp::RegisterStation(new)).await?, Station)
    }

    pub async fn ensure_station(&self, operator: OperatorId, id: &StationId, at: Timestamp) -> Result<Station> {
        reply!(self.submit(WriteOp::EnsureStation { operator, id: id.clone(), at }).await?, Station)
    }

    pub async fn set_station_state(&self, id: &StationId, state: StationState) -> Result<Station> {
        reply!(self.submit(WriteOp::SetStationState { id: id.clone(), state }).await?, Station)
    }

    pub async fn set_station_free_vend(&self, id: &StationId, free_vend: bool) -> Result<Station> {
        reply!(self.submit(WriteOp::SetStationFreeVend { id: id.clone(), free_vend }).await?, Station)
    }

    pub async fn set_station_password(&self, id: &StationId, password_hash: Option<&str>) -> Result<Station> {
        let op = WriteOp::SetStationPassword { id: id.clone(), password_hash: password_hash.map(str::to_string) };
        reply!(self.submit(op).await?, Station)
    }

    pub async fn record_boot(&self, id: &StationId, boot: &BootInfo, at: Timestamp) -> Result<()> {
        done(self.submit(WriteOp::RecordBoot { id: id.clone(), boot: boot.clone(), at }).await?)
    }

    pub async fn record_connection(&self, id: &StationId, online: bool, at: Timestamp) -> Result<()> {
        done(self.submit(WriteOp::RecordConnection { id: id.clone(), online, at }).await?)
    }

    pub async fn record_heartbeat(&self, id: &StationId, at: Timestamp) -> Result<()> {
        done(self.submit(WriteOp::RecordHeartbeat { id: id.clone(), at }).await?)
    }

    pub async fn mark_all_offline(&self, at: Timestamp) -> Result<u64> {
        reply!(self.submit(WriteOp::MarkAllOffline { at }).await?, Count)
    }

    pub async fn record_status(&self, id: &StationId, report: &StatusReport, received_at: Timestamp) -> Result<()> {
        done(self.submit(WriteOp::RecordStatus { id: id.clone(), report: report.clone(), received_at }).await?)
    }

    pub async fn add_id_token(&self, token: &IdToken) -> Result<IdToken> {
        reply!(self.submit(WriteOp::AddIdToken(token.clone())).await?, IdToken)
    }

    pub async fn update_id_token(&self, token: &IdToken) -> Result<IdToken> {
        reply!(self.submit(WriteOp::UpdateIdToken(token.clone())).await?, IdToken)
    }

    pub async fn delete_id_token(&self, operator: OperatorId, tag: &IdTag) -> Result<()> {
        done(self.submit(WriteOp::DeleteIdToken { operator, tag: tag.clone() }).await?)
    }

    pub async fn start_session(&self, start: &SessionStart) -> Result<StartOutcome> {
        reply!(self.submit(WriteOp::StartSession(start.clone())).await?, Started)
    }

    pub async fn stop_session(&self, stop: &SessionStop) -> Result<StopOutcome> {
        reply!(self.submit(WriteOp::StopSession(stop.clone())).await?, Stopped)
    }

    pub async fn add_meter_values(&self, batch: &MeterBatch) -> Result<u64> {
        reply!(self.submit(WriteOp::AddMeterValues(batch.clone())).await?, Count)
    }

    pub async fn record_station_event(&self, event: &StationEvent) -> Result<()> {
        done(self.submit(WriteOp::RecordStationEvent(event.clone())).await?)
    }

    pub async fn push_outbox(&self, station: &StationId, kind: OutboxKind, at: Timestamp) -> Result<OutboxItem> {
        reply!(self.submit(WriteOp::PushOutbox { station: station.clone(), kind, at }).await?, Outbox)
    }

    pub async fn close_outbox(&self, id: i64, outcome: &str, at: Timestamp) -> Result<()> {
        done(self.submit(WriteOp::CloseOutbox { id, outcome: outcome.to_string(), at }).await?)
    }

    pub async fn record_command(&self, command: &NewCommand) -> Result<i64> {
        reply!(self.submit(WriteOp::RecordCommand(command.clone())).await?, Id)
    }

    pub async fn finish_command(&self, id: i64, outcome: &CommandOutcome) -> Result<()> {
        done(self.submit(WriteOp::FinishCommand { id, outcome: outcome.clone() }).await?)
    }

    pub async fn set_command_transaction(&self, id: i64, transaction: TransactionId) -> Result<()> {
        done(self.submit(WriteOp::SetCommandTransaction { id, transaction }).await?)
    }

    pub async fn log_messages(&self, messages: &[LoggedMessage]) -> Result<()> {
        if messages.is_empty() {
            return Ok(());
        }
        done(self.submit(WriteOp::LogMessages(messages.to_vec())).await?)
    }

    pub async fn purge_messages(&self, before: Timestamp) -> Result<u64> {
        reply!(self.submit(WriteOp::PurgeMessages { before }).await?, Count)
    }

    pub async fn store_configuration(&self, station: &StationId, keys: &[ConfigKey], read_at: Timestamp) -> Result<()> {
        let op = WriteOp::StoreConfiguration { station: station.clone(), keys: keys.to_vec(), read_at };
        done(self.submit(op).await?)
    }

    pub async fn set_configuration_value(
        &self,
        station: &StationId,
        key: &str,
        value: &str,
        at: Timestamp,
    ) -> Result<()> {
        let op = WriteOp::SetConfigurationValue {
            station: station.clone(),
            key: key.to_string(),
            value: value.to_string(),
            at,
        };
        done(self.submit(op).await?)
    }

    pub async fn set_operator_defaults(&self, operator: OperatorId, defaults: &[(String, String)]) -> Result<()> {
        done(self.submit(WriteOp::SetOperatorDefaults { operator, defaults: defaults.to_vec() }).await?)
    }

    pub async fn record_default_result(
        &self,
        station: &StationId,
        key: &str,
        value: &str,
        result: &str,
        at: Timestamp,
    ) -> Result<()> {
        let op = WriteOp::RecordDefaultResult {
            station: station.clone(),
            key: key.to_string(),
            value: value.to_string(),
            result: result.to_string(),
            at,
        };
        done(self.submit(op).await?)
    }

    pub async fn create_api_token(&self, token: &NewApiToken) -> Result<ApiToken> {
        reply!(self.submit(WriteOp::CreateApiToken(token.clone())).await?, ApiToken)
    }

    pub async fn revoke_api_token(&self, id: i64, at: Timestamp) -> Result<()> {
        done(self.submit(WriteOp::RevokeApiToken { id, at }).await?)
    }

    pub async fn touch_api_token(&self, id: i64, at: Timestamp) -> Result<()> {
        done(self.submit(WriteOp::TouchApiToken { id, at }).await?)
    }

    pub async fn create_account(&self, account: &NewAccount) -> Result<Account> {
        reply!(self.submit(WriteOp::CreateAccount(account.clone())).await?, Account)
    }

    pub async fn approve_account(&self, id: AccountId, by: Option<AccountId>, at: Timestamp) -> Result<Account> {
        reply!(self.submit(WriteOp::ApproveAccount { id, by, at }).await?, Account)
    }

    pub async fn set_account_password(&self, id: AccountId, password_hash: &str) -> Result<()> {
        done(self.submit(WriteOp::SetAccountPassword { id, password_hash: password_hash.to_string() }).await?)
    }

    pub async fn set_account_disabled(&self, id: AccountId, disabled: bool, at: Timestamp) -> Result<Account> {
        reply!(self.submit(WriteOp::SetAccountDisabled { id, disabled, at }).await?, Account)
    }

    pub async fn create_login(&self, login: &NewLogin) -> Result<Login> {
        reply!(self.submit(WriteOp::CreateLogin(login.clone())).await?, Login)
    }

    pub async fn revoke_login(&self, id: i64, at: Timestamp) -> Result<()> {
        done(self.submit(WriteOp::RevokeLogin { id, at }).await?)
    }

    pub async fn touch_login(&self, id: i64, at: Timestamp) -> Result<()> {
        done(self.submit(WriteOp::TouchLogin { id, at }).await?)
    }

    pub async fn revoke_logins_of(&self, account: AccountId, at: Timestamp) -> Result<u64> {
        reply!(self.submit(WriteOp::RevokeLoginsOf { account, at }).await?, Count)
    }

    pub async fn record_audit(&self, entry: &AuditEntry) -> Result<i64> {
        reply!(self.submit(WriteOp::RecordAudit(entry.clone())).await?, Id)
    }

    pub async fn create_activation_code(&self, code: &NewActivationCode) -> Result<ActivationCodeRecord> {
        reply!(self.submit(WriteOp::CreateActivationCode(code.clone())).await?, ActivationCode)
    }

    pub async fn use_activation_code(&self, id: i64, by: AccountId, at: Timestamp) -> Result<Installation> {
        reply!(self.submit(WriteOp::UseActivationCode { id, by, at }).await?, Installation).map(|i| *i)
    }

    pub async fn set_pinpointing(
        &self,
        station: &StationId,
        pinpointing: &Pinpointing,
        override_serial_lock: bool,
        at: Timestamp,
    ) -> Result<Installation> {
        let op = WriteOp::SetPinpointing {
            station: station.clone(),
            pinpointing: Box::new(pinpointing.clone()),
            override_serial_lock,
            at,
        };
        reply!(self.submit(op).await?, Installation).map(|i| *i)
    }

    pub async fn set_station_model(
        &self,
        operator: OperatorId,
        model: &joule_core::catalog::KnownModel,
        by: &str,
        at: Timestamp,
    ) -> Result<crate::CatalogModel> {
        let op = WriteOp::SetStationModel { operator, model: model.clone(), by: by.to_string(), at };
        reply!(self.submit(op).await?, CatalogModel)
    }

    pub async fn delete_station_model(&self, operator: OperatorId, key: &str) -> Result<()> {
        done(self.submit(WriteOp::DeleteStationModel { operator, key: key.to_string() }).await?)
    }

    pub async fn lock_installation_serial(&self, station: &StationId, at: Timestamp) -> Result<Installation> {
        let op = WriteOp::LockInstallationSerial { station: station.clone(), at };
        reply!(self.submit(op).await?, Installation).map(|i| *i)
    }

    pub async fn set_installation_photo(
        &self,
        station: &StationId,
        photo: &[u8],
        content_type: &str,
        orientation: Option<u16>,
        at: Timestamp,
    ) -> Result<Installation> {
        let op = WriteOp::SetInstallationPhoto {
            station: station.clone(),
            photo: photo.to_vec(),
            content_type: content_type.to_string(),
            orientation,
            at,
        };
        reply!(self.submit(op).await?, Installation).map(|i| *i)
    }

    pub async fn create_activation_request(
        &self,
        request: &crate::NewActivationRequest,
    ) -> Result<joule_core::activation::ActivationRequest> {
        reply!(self.submit(WriteOp::CreateActivationRequest(request.clone())).await?, ActivationRequest)
    }

    pub async fn set_activation_state(
        &self,
        id: joule_core::activation::ActivationRequestId,
        from: joule_core::activation::ActivationState,
        to: joule_core::activation::ActivationState,
        reason: Option<&str>,
        by: &str,
        at: Timestamp,
    ) -> Result<joule_core::activation::ActivationRequest> {
        let change =
            crate::activation::StateChange { id, from, to, reason: reason.map(str::to_string), by: by.to_string(), at };
        let op = WriteOp::SetActivationState(change);
        reply!(self.submit(op).await?, ActivationRequest)
    }

    pub async fn record_notification(
        &self,
        account: AccountId,
        kind: &str,
        text: &str,
        at: Timestamp,
    ) -> Result<crate::Notification> {
        let op = WriteOp::RecordNotification { account, kind: kind.to_string(), text: text.to_string(), at };
        reply!(self.submit(op).await?, Notification)
    }

    pub async fn mark_notification_read(&self, account: AccountId, id: i64, at: Timestamp) -> Result<()> {
        done(self.submit(WriteOp::MarkNotificationRead { account, id, at }).await?)
    }

    pub async fn set_operator_settings(
        &self,
        operator: OperatorId,
        settings: &joule_core::operator::OperatorSettings,
        at: Timestamp,
    ) -> Result<joule_core::operator::OperatorSettings> {
        reply!(self.submit(WriteOp::SetOperatorSettings { operator, settings: *settings, at }).await?, OperatorSettings)
    }

    pub async fn set_station_owner(&self, id: &StationId, owner: Option<AccountId>) -> Result<Station> {
        reply!(self.submit(WriteOp::SetStationOwner { id: id.clone(), owner }).await?, Station)
    }

    pub async fn mark_out_of_service(&self, id: &StationId, quiet_since: Timestamp, at: Timestamp) -> Result<bool> {
        reply!(self.submit(WriteOp::MarkOutOfService { id: id.clone(), quiet_since, at }).await?, Flag)
    }

    pub async fn clear_out_of_service(&self, id: &StationId) -> Result<Option<Timestamp>> {
        reply!(self.submit(WriteOp::ClearOutOfService { id: id.clone() }).await?, Since)
    }

    pub async fn create_backend(&self, backend: &crate::NewBackend) -> Result<crate::Backend> {
        reply!(self.submit(WriteOp::CreateBackend(backend.clone())).await?, Backend)
    }

    pub async fn update_backend(&self, id: i64, backend: &crate::NewBackend) -> Result<crate::Backend> {
        reply!(self.submit(WriteOp::UpdateBackend { id, backend: backend.clone() }).await?, Backend)
    }

    pub async fn delete_backend(&self, operator: OperatorId, id: i64) -> Result<()> {
        done(self.submit(WriteOp::DeleteBackend { operator, id }).await?)
    }

    pub async fn put_provisioning_profile(
        &self,
        profile: &crate::ProvisioningProfile,
    ) -> Result<crate::ProvisioningProfile> {
        reply!(self.submit(WriteOp::PutProvisioningProfile(profile.clone())).await?, ProvisioningProfile)
    }

    pub async fn delete_provisioning_profile(&self, operator: OperatorId, vendor_key: &str) -> Result<()> {
        done(self.submit(WriteOp::DeleteProvisioningProfile { operator, vendor_key: vendor_key.to_string() }).await?)
    }

    pub async fn create_handover(&self, handover: &crate::NewHandover) -> Result<crate::Handover> {
        reply!(self.submit(WriteOp::CreateHandover(handover.clone())).await?, Handover).map(|h| *h)
    }

    pub async fn set_handover_state(&self, change: &crate::HandoverChange) -> Result<crate::Handover> {
        reply!(self.submit(WriteOp::SetHandoverState(change.clone())).await?, Handover).map(|h| *h)
    }

    pub async fn add_handover_step(&self, step: &crate::NewHandoverStep) -> Result<crate::HandoverStep> {
        reply!(self.submit(WriteOp::AddHandoverStep(step.clone())).await?, HandoverStep)
    }

    pub async fn assign_station(&self, assignment: &crate::Assignment) -> Result<crate::Assignment> {
        reply!(self.submit(WriteOp::AssignStation(assignment.clone())).await?, Assignment)
    }

    pub async fn create_tariff(&self, new: &crate::NewTariff) -> Result<crate::TariffVersion> {
        reply!(self.submit(WriteOp::CreateTariff(Box::new(new.clone()))).await?, TariffVersion).map(|v| *v)
    }

    pub async fn set_tariff_assignment(
        &self,
        operator: OperatorId,
        target: &TariffTarget,
        tariff: Option<i64>,
        at: Timestamp,
    ) -> Result<()> {
        done(self.submit(WriteOp::SetTariffAssignment { operator, target: target.clone(), tariff, at }).await?)
    }

    pub async fn set_billing_settings(
        &self,
        operator: OperatorId,
        settings: &BillingSettings,
        at: Timestamp,
    ) -> Result<()> {
        done(self.submit(WriteOp::SetBillingSettings { operator, settings: *settings, at }).await?)
    }

    pub async fn put_session_cost(&self, cost: &crate::SessionCost) -> Result<()> {
        done(self.submit(WriteOp::PutSessionCost(Box::new(cost.clone()))).await?)
    }

    pub async fn create_driver(&self, driver: &crate::NewDriver) -> Result<crate::Driver> {
        reply!(self.submit(WriteOp::CreateDriver(driver.clone())).await?, Driver).map(|d| *d)
    }

    pub async fn update_driver(&self, id: DriverId, driver: &crate::NewDriver) -> Result<crate::Driver> {
        reply!(self.submit(WriteOp::UpdateDriver { id, driver: driver.clone() }).await?, Driver).map(|d| *d)
    }

    pub async fn delete_driver(&self, operator: OperatorId, id: DriverId) -> Result<()> {
        done(self.submit(WriteOp::DeleteDriver { operator, id }).await?)
    }

    pub async fn create_group(
        &self,
        operator: OperatorId,
        name: &GroupName,
        at: Timestamp,
    ) -> Result<crate::DriverGroup> {
        reply!(self.submit(WriteOp::CreateGroup { operator, name: name.clone(), at }).await?, DriverGroup)
    }

    pub async fn delete_group(&self, operator: OperatorId, id: GroupId) -> Result<()> {
        done(self.submit(WriteOp::DeleteGroup { operator, id }).await?)
    }

    pub async fn set_group_member(
        &self,
        operator: OperatorId,
        group: GroupId,
        driver: DriverId,
        member: bool,
    ) -> Result<()> {
        done(self.submit(WriteOp::SetGroupMember { operator, group, driver, member }).await?)
    }

    pub async fn set_token_driver(&self, operator: OperatorId, tag: &IdTag, driver: Option<DriverId>) -> Result<()> {
        done(self.submit(WriteOp::SetTokenDriver { operator, tag: tag.clone(), driver }).await?)
    }

    // --- token import in one transaction ---
    pub async fn import_tokens(&self, import: &crate::TokenImport) -> Result<Vec<Option<DriverId>>> {
        reply!(self.submit(WriteOp::ImportTokens(Box::new(import.clone()))).await?, ImportedDrivers)
    }

    pub async fn set_access_rules(
        &self,
        station: &StationId,
        rules: &joule_core::access::AccessRules,
        at: Timestamp,
    ) -> Result<()> {
        let op = WriteOp::SetAccessRules { station: station.clone(), rules: Box::new(rules.clone()), at };
        done(self.submit(op).await?)
    }

    pub async fn create_password_reset(&self, reset: &crate::NewPasswordReset) -> Result<()> {
        done(self.submit(WriteOp::CreatePasswordReset(reset.clone())).await?)
    }

    pub async fn reset_password(&self, token_hash: &str, password_hash: &str, at: Timestamp) -> Result<AccountId> {
        let op =
            WriteOp::ResetPassword { token_hash: token_hash.to_string(), password_hash: password_hash.to_string(), at };
        reply!(self.submit(op).await?, Id).map(AccountId)
    }

    pub async fn put_local_list_state(&self, state: &crate::LocalListState, at: Timestamp) -> Result<()> {
        done(self.submit(WriteOp::PutLocalListState { state: Box::new(state.clone()), at }).await?)
    }

    pub async fn rebuild_energy_quarters(&self, station: &StationId, connector: u32) -> Result<u64> {
        reply!(self.submit(WriteOp::RebuildEnergyQuarters { station: station.clone(), connector }).await?, Count)
    }

    pub async fn put_energy_quarter_days(
        &self,
        station: &StationId,
        connector: u32,
        days: Vec<(i64, Vec<u8>)>,
    ) -> Result<u64> {
        reply!(self.submit(WriteOp::PutEnergyQuarterDays { station: station.clone(), connector, days }).await?, Count)
    }

    pub async fn finish_quarter_backfill(&self) -> Result<()> {
        done(self.submit(WriteOp::FinishQuarterBackfill).await?)
    }
}

/// A worker: takes batches from the shared queue until it is closed and empty.
async fn work<E: BatchExecutor>(mut exec: E, queue: Arc<Mutex<mpsc::Receiver<Job>>>, opts: GroupCommitOptions) {
    let mut jobs = Vec::with_capacity(opts.max_batch);
    loop {
        // The lock is held while waiting, so with several workers one waits for work and the others wait
        // for the lock; a batch is taken as a whole, then the lock passes on.
        let received = queue.lock().await.recv_many(&mut jobs, opts.max_batch.max(1)).await;
        if received == 0 {
            break;
        }
        // A panic (a bug in a backend) fails its batch, whose callers see their answers dropped, but must
        // not take the worker down: with SQLite's single writer, the store could never write again.
        let batch = AssertUnwindSafe(run_batch(&mut exec, std::mem::take(&mut jobs), &opts));
        if batch.catch_unwind().await.is_err() {
            tracing::error!("a store batch panicked; it was rolled back and its callers got an error");
            exec.rollback().await;
        }
        exec.after_batch().await;
    }
    exec.close().await;
}

async fn run_batch<E: BatchExecutor>(exec: &mut E, jobs: Vec<Job>, opts: &GroupCommitOptions) {
    let ops: Vec<&WriteOp> = jobs.iter().map(|j| &j.op).collect();
    let mut attempt = 0;
    let outcome = loop {
        match try_batch(exec, &ops).await {
            Ok(results) => break Ok(results),
            Err(failure) => {
                exec.rollback().await;
                if failure.transient && attempt < opts.retries {
                    attempt += 1;
                    tracing::debug!(error = %failure.error, attempt, ops = ops.len(), "store batch failed; running it again");
                    // Give a lock holder or a restarting server a moment.
                    tokio::time::sleep(Duration::from_millis(10 << attempt)).await;
                    continue;
                }
                tracing::warn!(error = %failure.error, ops = ops.len(), "store batch failed");
                break Err(failure.error);
            }
        }
    };
    match outcome {
        Ok(results) => {
            for (job, result) in jobs.into_iter().zip(results) {
                // A caller that gave up waiting is gone; its write is committed all the same.
                let _ = job.reply.send(result);
            }
        }
        Err(error) => {
            for job in jobs {
                let _ = job.reply.send(Err(error.clone()));
            }
        }
    }
}

/// Runs one batch in one transaction. `Ok` holds each operation's own outcome, after a successful commit
/// (or, for an operation alone that failed, after the rollback); `Err` means the batch as a whole failed.
async fn try_batch<E: BatchExecutor>(exec: &mut E, ops: &[&WriteOp]) -> ExecResult<Vec<Result<WriteReply>>> {
    exec.begin().await?;
    // An operation alone needs no savepoint: if it fails, the whole transaction is rolled back.
    let guard = ops.len() > 1;
    let mut results: Vec<Option<Result<WriteReply>>> = ops.iter().map(|_| None).collect();

    // The meter values of all messages first, in one plan. If that fails, they run one message at a time
    // with the other operations below, so that only the message at fault fails.
    let meter: Vec<(usize, &MeterBatch)> = ops
        .iter()
        .enumerate()
        .filter_map(|(i, op)| match op {
            WriteOp::AddMeterValues(batch) => Some((i, batch)),
            _ => None,
        })
        .collect();
    if meter.len() > 1 {
        let batches: Vec<&MeterBatch> = meter.iter().map(|(_, b)| *b).collect();
        match guarded(exec, guard, Step::Meter(&batches)).await? {
            Ok(WriteReply::Counts(counts)) if counts.len() == meter.len() => {
                for ((i, _), count) in meter.iter().zip(counts) {
                    results[*i] = Some(Ok(WriteReply::Count(count)));
                }
            }
            Ok(other) => return Err(mismatch(other).into()),
            Err(error) => tracing::debug!(%error, "grouped meter values failed; inserting them one message at a time"),
        }
    }
    // Every batch takes its row locks in one global order (see `WriteOp::lock_order`), so that batches
    // running in parallel (PostgreSQL) do not deadlock over the same stations.
    let mut order: Vec<usize> = (0..ops.len()).filter(|&i| results[i].is_none()).collect();
    order.sort_by_key(|&i| ops[i].lock_order());
    for i in order {
        results[i] = Some(guarded(exec, guard, Step::Op(ops[i])).await?);
    }
    let results: Vec<Result<WriteReply>> = results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(StoreError::Database("internal error: operation not run".into()))))
        .collect();

    if !guard && results.iter().all(|r| r.is_err()) {
        exec.rollback().await;
        return Ok(results);
    }
    if let Err(failure) = exec.commit().await {
        // Never run again: the commit may have been applied and only its answer lost.
        let error = match failure.error {
            StoreError::Database(msg) => StoreError::Database(format!("commit failed: {msg}")),
            other => other,
        };
        return Err(Failure { error, transient: false });
    }
    Ok(results)
}

/// Something a batch runs as a unit: one operation, or the meter values of several messages.
enum Step<'a> {
    Op(&'a WriteOp),
    Meter(&'a [&'a MeterBatch]),
}

/// Runs a step, in a savepoint when `guard` is set so that its failure is undone alone. The inner result is
/// the step's own outcome; `Err` means the batch must stop (a transient failure, or the savepoint
/// statements themselves failed).
async fn guarded<E: BatchExecutor>(exec: &mut E, guard: bool, step: Step<'_>) -> ExecResult<Result<WriteReply>> {
    if guard {
        exec.savepoint().await?;
    }
    let outcome = match step {
        Step::Op(op) => apply(exec, op).await,
        Step::Meter(batches) => insert_batches(exec, batches).await.map(WriteReply::Counts),
    };
    match outcome {
        Ok(reply) => {
            if guard {
                exec.release_savepoint().await?;
            }
            Ok(Ok(reply))
        }
        Err(failure) if failure.transient => Err(failure),
        Err(failure) => {
            if guard {
                exec.rollback_to_savepoint().await?;
            }
            Ok(Err(failure.error))
        }
    }
}

async fn insert_batches<E: BatchExecutor>(exec: &mut E, batches: &[&MeterBatch]) -> ExecResult<Vec<u64>> {
    let plan = MeterPlan::new(batches);
    if plan.rows.is_empty() {
        return Ok(vec![0; batches.len()]);
    }
    let inserted = exec.insert_meter_rows(&plan.rows).await?;
    // In the same transaction: the summaries never disagree with the readings (DESIGN.md rule 1). Only the
    // rows inserted: a sample already stored under the same key (perhaps without a number) stays as stored.
    exec.update_energy_quarters(&plan.inserted_rows(&inserted)).await?;
    Ok(plan.counts(&inserted)?)
}

// --- token import in one transaction ---
/// Carries out a token import with the executor's own writes, in the batch's transaction (and the
/// operation's savepoint, so a failure undoes all of it): groups first, a new driver when a step first
/// names it, then per step its token, link and memberships.
async fn import_tokens<E: BatchExecutor>(
    exec: &mut E,
    import: &crate::TokenImport,
) -> ExecResult<Vec<Option<DriverId>>> {
    use crate::{ImportDriver, ImportGroup};
    let mut groups = Vec::with_capacity(import.new_groups.len());
    for name in &import.new_groups {
        groups.push(exec.create_group(import.operator, name, import.at).await?.group.id);
    }
    let mut drivers: Vec<Option<DriverId>> = vec![None; import.new_drivers.len()];
    for step in &import.steps {
        let mut ids = Vec::with_capacity(1 + step.join.len());
        for d in step.link.iter().chain(step.join.iter().map(|(_, d)| d)) {
            let id = match *d {
                ImportDriver::Existing(id) => id,
                ImportDriver::New(i) => match drivers.get(i).copied() {
                    Some(Some(id)) => id,
                    Some(None) => {
                        let (name, email) = import.new_drivers[i].clone();
                        let new = crate::NewDriver {
                            operator_id: import.operator,
                            name,
                            email,
                            account_id: None,
                            at: import.at,
                        };
                        let id = exec.create_driver(&new).await?.id;
                        drivers[i] = Some(id);
                        id
                    }
                    None => {
                        return Err(StoreError::Database(format!("internal: the import has no new driver {i}")).into());
                    }
                },
            };
            ids.push(id);
        }
        if let Some((token, new)) = &step.token {
            if *new {
                exec.add_id_token(token).await?;
            } else {
                exec.update_id_token(token).await?;
            }
        }
        let mut ids = ids.into_iter();
        if step.link.is_some()
            && let Some(driver) = ids.next()
        {
            exec.set_token_driver(import.operator, &step.tag, Some(driver)).await?;
        }
        for ((group, _), driver) in step.join.iter().zip(ids) {
            let group = match *group {
                ImportGroup::Existing(id) => id,
                ImportGroup::New(i) => *groups
                    .get(i)
                    .ok_or_else(|| StoreError::Database(format!("internal: the import has no new group {i}")))?,
            };
            exec.set_group_member(import.operator, group, driver, true).await?;
        }
    }
    Ok(drivers)
}

async fn apply<E: BatchExecutor>(exec: &mut E, op: &WriteOp) -> ExecResult<WriteReply> {
    use WriteReply::*;
    Ok(match op {
        WriteOp::CreateOperator { name, key, at } => Operator(exec.create_operator(name, key, *at).await?),
        WriteOp::RegisterStation(new) => Station(exec.register_station(new).await?),
        WriteOp::EnsureStation { operator, id, at } => Station(exec.ensure_station(*operator, id, *at).await?),
        WriteOp::SetStationState { id, state } => Station(exec.set_station_state(id, *state).await?),
        WriteOp::SetStationFreeVend { id, free_vend } => Station(exec.set_station_free_vend(id, *free_vend).await?),
        WriteOp::SetStationPassword { id, password_hash } => {
            Station(exec.set_station_password(id, password_hash.as_deref()).await?)
        }
        WriteOp::RecordBoot { id, boot, at } => exec.record_boot(id, boot, *at).await.map(|()| Done)?,
        WriteOp::RecordConnection { id, online, at } => {
            exec.record_connection(id, *online, *at).await.map(|()| Done)?
        }
        WriteOp::RecordHeartbeat { id, at } => exec.record_heartbeat(id, *at).await.map(|()| Done)?,
        WriteOp::MarkAllOffline { at } => Count(exec.mark_all_offline(*at).await?),
        WriteOp::RecordStatus { id, report, received_at } => {
            exec.record_status(id, report, *received_at).await.map(|()| Done)?
        }
        WriteOp::AddIdToken(token) => IdToken(exec.add_id_token(token).await?),
        WriteOp::UpdateIdToken(token) => IdToken(exec.update_id_token(token).await?),
        WriteOp::DeleteIdToken { operator, tag } => exec.delete_id_token(*operator, tag).await.map(|()| Done)?,
        WriteOp::StartSession(start) => Started(exec.start_session(start).await?),
        WriteOp::StopSession(stop) => Stopped(exec.stop_session(stop).await?),
        WriteOp::AddMeterValues(batch) => Count(insert_batches(exec, &[batch]).await?.iter().sum()),
        WriteOp::RecordStationEvent(event) => exec.record_station_event(event).await.map(|()| Done)?,
        WriteOp::PushOutbox { station, kind, at } => Outbox(exec.push_outbox(station, *kind, *at).await?),
        WriteOp::CloseOutbox { id, outcome, at } => exec.close_outbox(*id, outcome, *at).await.map(|()| Done)?,
        WriteOp::RecordCommand(command) => Id(exec.record_command(command).await?),
        WriteOp::FinishCommand { id, outcome } => exec.finish_command(*id, outcome).await.map(|()| Done)?,
        WriteOp::SetCommandTransaction { id, transaction } => {
            exec.set_command_transaction(*id, *transaction).await.map(|()| Done)?
        }
        WriteOp::LogMessages(messages) => exec.log_messages(messages).await.map(|()| Done)?,
        WriteOp::PurgeMessages { before } => Count(exec.purge_messages(*before).await?),
        WriteOp::StoreConfiguration { station, keys, read_at } => {
            exec.store_configuration(station, keys, *read_at).await.map(|()| Done)?
        }
        WriteOp::SetConfigurationValue { station, key, value, at } => {
            exec.set_configuration_value(station, key, value, *at).await.map(|()| Done)?
        }
        WriteOp::SetOperatorDefaults { operator, defaults } => {
            exec.set_operator_defaults(*operator, defaults).await.map(|()| Done)?
        }
        WriteOp::RecordDefaultResult { station, key, value, result, at } => {
            exec.record_default_result(station, key, value, result, *at).await.map(|()| Done)?
        }
        WriteOp::CreateApiToken(token) => ApiToken(exec.create_api_token(token).await?),
        WriteOp::RevokeApiToken { id, at } => exec.revoke_api_token(*id, *at).await.map(|()| Done)?,
        WriteOp::TouchApiToken { id, at } => exec.touch_api_token(*id, *at).await.map(|()| Done)?,
        WriteOp::CreateAccount(account) => Account(exec.create_account(account).await?),
        WriteOp::ApproveAccount { id, by, at } => Account(exec.approve_account(*id, *by, *at).await?),
        WriteOp::SetAccountPassword { id, password_hash } => {
            exec.set_account_password(*id, password_hash).await.map(|()| Done)?
        }
        WriteOp::SetAccountDisabled { id, disabled, at } => {
            Account(exec.set_account_disabled(*id, *disabled, *at).await?)
        }
        WriteOp::CreateLogin(login) => Login(exec.create_login(login).await?),
        WriteOp::RevokeLogin { id, at } => exec.revoke_login(*id, *at).await.map(|()| Done)?,
        WriteOp::TouchLogin { id, at } => exec.touch_login(*id, *at).await.map(|()| Done)?,
        WriteOp::RevokeLoginsOf { account, at } => Count(exec.revoke_logins_of(*account, *at).await?),
        WriteOp::RecordAudit(entry) => Id(exec.record_audit(entry).await?),
        WriteOp::CreateActivationRequest(request) => ActivationRequest(exec.create_activation_request(request).await?),
        WriteOp::SetActivationState(c) => {
            ActivationRequest(exec.set_activation_state(c.id, c.from, c.to, c.reason.as_deref(), &c.by, c.at).await?)
        }
        WriteOp::RecordNotification { account, kind, text, at } => {
            Notification(exec.record_notification(*account, kind, text, *at).await?)
        }
        WriteOp::MarkNotificationRead { account, id, at } => {
            exec.mark_notification_read(*account, *id, *at).await.map(|()| Done)?
        }
        WriteOp::CreateActivationCode(code) => ActivationCode(exec.create_activation_code(code).await?),
        WriteOp::UseActivationCode { id, by, at } => {
            Installation(Box::new(exec.use_activation_code(*id, *by, *at).await?))
        }
        WriteOp::SetPinpointing { station, pinpointing, override_serial_lock, at } => {
            Installation(Box::new(exec.set_pinpointing(station, pinpointing, *override_serial_lock, *at).await?))
        }
        WriteOp::LockInstallationSerial { station, at } => {
            Installation(Box::new(exec.lock_installation_serial(station, *at).await?))
        }
        WriteOp::SetInstallationPhoto { station, photo, content_type, orientation, at } => {
            Installation(Box::new(exec.set_installation_photo(station, photo, content_type, *orientation, *at).await?))
        }
        WriteOp::SetStationModel { operator, model, by, at } => {
            CatalogModel(exec.set_station_model(*operator, model, by, *at).await?)
        }
        WriteOp::DeleteStationModel { operator, key } => {
            exec.delete_station_model(*operator, key).await.map(|()| Done)?
        }
        // --- operator settings, station owner and offline detection ---
        WriteOp::SetOperatorSettings { operator, settings, at } => {
            OperatorSettings(exec.set_operator_settings(*operator, settings, *at).await?)
        }
        WriteOp::SetStationOwner { id, owner } => Station(exec.set_station_owner(id, *owner).await?),
        WriteOp::MarkOutOfService { id, quiet_since, at } => {
            Flag(exec.mark_out_of_service(id, *quiet_since, *at).await?)
        }
        WriteOp::ClearOutOfService { id } => Since(exec.clear_out_of_service(id).await?),
        // --- handover ---
        WriteOp::CreateBackend(backend) => Backend(exec.create_backend(backend).await?),
        WriteOp::UpdateBackend { id, backend } => Backend(exec.update_backend(*id, backend).await?),
        WriteOp::DeleteBackend { operator, id } => exec.delete_backend(*operator, *id).await.map(|()| Done)?,
        WriteOp::PutProvisioningProfile(profile) => ProvisioningProfile(exec.put_provisioning_profile(profile).await?),
        WriteOp::DeleteProvisioningProfile { operator, vendor_key } => {
            exec.delete_provisioning_profile(*operator, vendor_key).await.map(|()| Done)?
        }
        WriteOp::CreateHandover(handover) => Handover(Box::new(exec.create_handover(handover).await?)),
        WriteOp::SetHandoverState(change) => Handover(Box::new(exec.set_handover_state(change).await?)),
        WriteOp::AddHandoverStep(step) => HandoverStep(exec.add_handover_step(step).await?),
        WriteOp::AssignStation(assignment) => Assignment(exec.assign_station(assignment).await?),
        // --- tariffs and billing ---
        WriteOp::CreateTariff(new) => TariffVersion(Box::new(exec.create_tariff(new).await?)),
        WriteOp::SetTariffAssignment { operator, target, tariff, at } => {
            exec.set_tariff_assignment(*operator, target, *tariff, *at).await.map(|()| Done)?
        }
        WriteOp::SetBillingSettings { operator, settings, at } => {
            exec.set_billing_settings(*operator, settings, *at).await.map(|()| Done)?
        }
        WriteOp::PutSessionCost(cost) => exec.put_session_cost(cost).await.map(|()| Done)?,
        // --- drivers and groups ---
        WriteOp::CreateDriver(driver) => Driver(Box::new(exec.create_driver(driver).await?)),
        WriteOp::UpdateDriver { id, driver } => Driver(Box::new(exec.update_driver(*id, driver).await?)),
        WriteOp::DeleteDriver { operator, id } => exec.delete_driver(*operator, *id).await.map(|()| Done)?,
        WriteOp::CreateGroup { operator, name, at } => DriverGroup(exec.create_group(*operator, name, *at).await?),
        WriteOp::DeleteGroup { operator, id } => exec.delete_group(*operator, *id).await.map(|()| Done)?,
        WriteOp::SetGroupMember { operator, group, driver, member } => {
            exec.set_group_member(*operator, *group, *driver, *member).await.map(|()| Done)?
        }
        WriteOp::SetTokenDriver { operator, tag, driver } => {
            exec.set_token_driver(*operator, tag, *driver).await.map(|()| Done)?
        }
        // --- token import in one transaction ---
        WriteOp::ImportTokens(import) => ImportedDrivers(import_tokens(exec, import).await?),
        // --- access rules ---
        WriteOp::SetAccessRules { station, rules, at } => {
            exec.set_access_rules(station, rules, *at).await.map(|()| Done)?
        }
        // --- password reset ---
        WriteOp::CreatePasswordReset(reset) => exec.create_password_reset(reset).await.map(|()| Done)?,
        WriteOp::ResetPassword { token_hash, password_hash, at } => {
            Id(exec.reset_password(token_hash, password_hash, *at).await?.0)
        }
        // --- local authorization list sync ---
        WriteOp::PutLocalListState { state, at } => exec.put_local_list_state(state, *at).await.map(|()| Done)?,
        // --- quarter summaries ---
        WriteOp::RebuildEnergyQuarters { station, connector } => {
            Count(exec.rebuild_energy_quarters(station, *connector).await?)
        }
        WriteOp::PutEnergyQuarterDays { station, connector, days } => {
            Count(exec.put_energy_quarter_days(station, *connector, days).await?)
        }
        WriteOp::FinishQuarterBackfill => exec.finish_quarter_backfill().await.map(|()| Done)?,
    })
}

#[cfg(test)]
mod tests {
    //! The batching rules, with a fake executor that logs what it is asked to do. Only the operations the
    //! tests use are implemented.

    use std::sync::Mutex as StdMutex;

    use chrono::Utc;
    use joule_core::meter::{MeterSample, RawSample};

    use super::*;

    #[derive(Default)]
    struct Script {
        log: Vec<String>,
        /// Transient failures `begin` still has to give.
        begin_failures: u32,
        fail_commit: bool,
        /// The first `begin` waits for this before it proceeds, so the test can queue a whole batch.
        gate: Option<oneshot::Receiver<()>>,
    }

    struct Fake(Arc<StdMutex<Script>>);

    impl Fake {
        fn log(&self, entry: impl Into<String>) {
            self.0.lock().expect("script").log.push(entry.into());
        }
    }

    fn missing(id: &StationId) -> bool {
        id.as_str().starts_with("BAD")
    }

    #[async_trait]
    impl BatchExecutor for Fake {
        async fn begin(&mut self) -> ExecResult<()> {
            let gate = self.0.lock().expect("script").gate.take();
            if let Some(gate) = gate {
                let _ = gate.await;
            }
            self.log("begin");
            let mut script = self.0.lock().expect("script");
            if script.begin_failures > 0 {
                script.begin_failures -= 1;
                return Err(Failure { error: StoreError::Database("busy".into()), transient: true });
            }
            Ok(())
        }
        async fn commit(&mut self) -> ExecResult<()> {
            self.log("commit");
            if self.0.lock().expect("script").fail_commit {
                return Err(StoreError::Database("disk full".into()).into());
            }
            Ok(())
        }
        async fn rollback(&mut self) {
            self.log("rollback");
        }
        async fn savepoint(&mut self) -> ExecResult<()> {
            self.log("savepoint");
            Ok(())
        }
        async fn release_savepoint(&mut self) -> ExecResult<()> {
            self.log("release");
            Ok(())
        }
        async fn rollback_to_savepoint(&mut self) -> ExecResult<()> {
            self.log("rollback to");
            Ok(())
        }
        async fn insert_meter_rows(&mut self, rows: &[MeterRow<'_>]) -> ExecResult<Vec<usize>> {
            self.log(format!("insert {} rows", rows.len()));
            if rows.iter().any(|r| missing(r.station_id)) {
                return Err(StoreError::NotFound("station".into()).into());
            }
            Ok((0..rows.len()).collect())
        }
    }

    #[async_trait]
    impl WriteOps for Fake {
        async fn record_heartbeat(&mut self, id: &StationId, _: Timestamp) -> ExecResult<()> {
            self.log(format!("heartbeat {id}"));
            assert!(id.as_str() != "PANIC", "a bug in the backend");
            if missing(id) { Err(StoreError::NotFound(id.to_string()).into()) } else { Ok(()) }
        }
        async fn create_operator(&mut self, _: &str, _: &OperatorKey, _: Timestamp) -> ExecResult<Operator> {
            unreachable!()
        }
        async fn register_station(&mut self, _: &NewStation) -> ExecResult<Station> {
            unreachable!()
        }
        async fn ensure_station(&mut self, _: OperatorId, _: &StationId, _: Timestamp) -> ExecResult<Station> {
            unreachable!()
        }
        async fn set_station_state(&mut self, _: &StationId, _: StationState) -> ExecResult<Station> {
            unreachable!()
        }
        async fn set_station_free_vend(&mut self, _: &StationId, _: bool) -> ExecResult<Station> {
            unreachable!()
        }
        async fn set_station_password(&mut self, _: &StationId, _: Option<&str>) -> ExecResult<Station> {
            unreachable!()
        }
        async fn record_boot(&mut self, _: &StationId, _: &BootInfo, _: Timestamp) -> ExecResult<()> {
            unreachable!()
        }
        async fn record_connection(&mut self, _: &StationId, _: bool, _: Timestamp) -> ExecResult<()> {
            unreachable!()
        }
        async fn mark_all_offline(&mut self, _: Timestamp) -> ExecResult<u64> {
            unreachable!()
        }
        async fn record_status(&mut self, _: &StationId, _: &StatusReport, _: Timestamp) -> ExecResult<()> {
            unreachable!()
        }
        async fn add_id_token(&mut self, _: &IdToken) -> ExecResult<IdToken> {
            unreachable!()
        }
        async fn update_id_token(&mut self, _: &IdToken) -> ExecResult<IdToken> {
            unreachable!()
        }
        async fn delete_id_token(&mut self, _: OperatorId, _: &IdTag) -> ExecResult<()> {
            unreachable!()
        }
        async fn start_session(&mut self, _: &SessionStart) -> ExecResult<StartOutcome> {
            unreachable!()
        }
        async fn stop_session(&mut self, _: &SessionStop) -> ExecResult<StopOutcome> {
            unreachable!()
        }
        async fn record_station_event(&mut self, _: &StationEvent) -> ExecResult<()> {
            unreachable!()
        }
        async fn push_outbox(&mut self, _: &StationId, _: OutboxKind, _: Timestamp) -> ExecResult<OutboxItem> {
            unreachable!()
        }
        async fn close_outbox(&mut self, _: i64, _: &str, _: Timestamp) -> ExecResult<()> {
            unreachable!()
        }
        async fn record_command(&mut self, _: &NewCommand) -> ExecResult<i64> {
            unreachable!()
        }
        async fn finish_command(&mut self, _: i64, _: &CommandOutcome) -> ExecResult<()> {
            unreachable!()
        }
        async fn set_command_transaction(&mut self, _: i64, _: TransactionId) -> ExecResult<()> {
            unreachable!()
        }
        async fn log_messages(&mut self, _: &[LoggedMessage]) -> ExecResult<()> {
            unreachable!()
        }
        async fn purge_messages(&mut self, _: Timestamp) -> ExecResult<u64> {
            unreachable!()
        }
        async fn store_configuration(&mut self, _: &StationId, _: &[ConfigKey], _: Timestamp) -> ExecResult<()> {
            unreachable!()
        }
        async fn set_configuration_value(&mut self, _: &StationId, _: &str, _: &str, _: Timestamp) -> ExecResult<()> {
            unreachable!()
        }
        async fn set_operator_defaults(&mut self, _: OperatorId, _: &[(String, String)]) -> ExecResult<()> {
            unreachable!()
        }
        async fn record_default_result(
            &mut self,
            _: &StationId,
            _: &str,
            _: &str,
            _: &str,
            _: Timestamp,
        ) -> ExecResult<()> {
            unreachable!()
        }
        async fn create_api_token(&mut self, _: &NewApiToken) -> ExecResult<ApiToken> {
            unreachable!()
        }
        async fn revoke_api_token(&mut self, _: i64, _: Timestamp) -> ExecResult<()> {
            unreachable!()
        }
        async fn touch_api_token(&mut self, _: i64, _: Timestamp) -> ExecResult<()> {
            unreachable!()
        }
        async fn create_account(&mut self, _: &NewAccount) -> ExecResult<Account> {
            unreachable!()
        }
        async fn approve_account(&mut self, _: AccountId, _: Option<AccountId>, _: Timestamp) -> ExecResult<Account> {
            unreachable!()
        }
        async fn set_account_password(&mut self, _: AccountId, _: &str) -> ExecResult<()> {
            unreachable!()
        }
        async fn set_account_disabled(&mut self, _: AccountId, _: bool, _: Timestamp) -> ExecResult<Account> {
            unreachable!()
        }
        async fn create_login(&mut self, _: &NewLogin) -> ExecResult<Login> {
            unreachable!()
        }
        async fn revoke_login(&mut self, _: i64, _: Timestamp) -> ExecResult<()> {
            unreachable!()
        }
        async fn touch_login(&mut self, _: i64, _: Timestamp) -> ExecResult<()> {
            unreachable!()
        }
        async fn revoke_logins_of(&mut self, _: AccountId, _: Timestamp) -> ExecResult<u64> {
            unreachable!()
        }
        async fn record_audit(&mut self, _: &AuditEntry) -> ExecResult<i64> {
            unreachable!()
        }
        async fn create_activation_code(&mut self, _: &NewActivationCode) -> ExecResult<ActivationCodeRecord> {
            unreachable!()
        }
        async fn use_activation_code(&mut self, _: i64, _: AccountId, _: Timestamp) -> ExecResult<Installation> {
            unreachable!()
        }
        async fn set_pinpointing(
            &mut self,
            _: &StationId,
            _: &Pinpointing,
            _: bool,
            _: Timestamp,
        ) -> ExecResult<Installation> {
            unreachable!()
        }
        async fn lock_installation_serial(&mut self, _: &StationId, _: Timestamp) -> ExecResult<Installation> {
            unreachable!()
        }
        async fn set_installation_photo(
            &mut self,
            _: &StationId,
            _: &[u8],
            _: &str,
            _: Option<u16>,
            _: Timestamp,
        ) -> ExecResult<Installation> {
            unreachable!()
        }
        async fn create_activation_request(
            &mut self,
            _: &crate::NewActivationRequest,
        ) -> ExecResult<joule_core::activation::ActivationRequest> {
            unreachable!()
        }
        async fn set_activation_state(
            &mut self,
            _: joule_core::activation::ActivationRequestId,
            _: joule_core::activation::ActivationState,
            _: joule_core::activation::ActivationState,
            _: Option<&str>,
            _: &str,
            _: Timestamp,
        ) -> ExecResult<joule_core::activation::ActivationRequest> {
            unreachable!()
        }
        async fn record_notification(
            &mut self,
            _: AccountId,
            _: &str,
            _: &str,
            _: Timestamp,
        ) -> ExecResult<crate::Notification> {
            unreachable!()
        }
        async fn mark_notification_read(&mut self, _: AccountId, _: i64, _: Timestamp) -> ExecResult<()> {
            unreachable!()
        }
        async fn set_station_model(
            &mut self,
            _: OperatorId,
            _: &joule_core::catalog::KnownModel,
            _: &str,
            _: Timestamp,
        ) -> ExecResult<crate::CatalogModel> {
            unreachable!()
        }
        async fn delete_station_model(&mut self, _: OperatorId, _: &str) -> ExecResult<()> {
            unreachable!()
        }
        // --- operator settings, station owner and offline detection ---
        async fn set_operator_settings(
            &mut self,
            _: OperatorId,
            _: &joule_core::operator::OperatorSettings,
            _: Timestamp,
        ) -> ExecResult<joule_core::operator::OperatorSettings> {
            unreachable!()
        }
        async fn set_station_owner(&mut self, _: &StationId, _: Option<AccountId>) -> ExecResult<Station> {
            unreachable!()
        }
        async fn mark_out_of_service(&mut self, _: &StationId, _: Timestamp, _: Timestamp) -> ExecResult<bool> {
            unreachable!()
        }
        async fn clear_out_of_service(&mut self, _: &StationId) -> ExecResult<Option<Timestamp>> {
            unreachable!()
        }
        // --- handover ---
        async fn create_backend(&mut self, _: &crate::NewBackend) -> ExecResult<crate::Backend> {
            unreachable!()
        }
        async fn update_backend(&mut self, _: i64, _: &crate::NewBackend) -> ExecResult<crate::Backend> {
            unreachable!()
        }
        async fn delete_backend(&mut self, _: OperatorId, _: i64) -> ExecResult<()> {
            unreachable!()
        }
        async fn put_provisioning_profile(
            &mut self,
            _: &crate::ProvisioningProfile,
        ) -> ExecResult<crate::ProvisioningProfile> {
            unreachable!()
        }
        async fn delete_provisioning_profile(&mut self, _: OperatorId, _: &str) -> ExecResult<()> {
            unreachable!()
        }
        async fn create_handover(&mut self, _: &crate::NewHandover) -> ExecResult<crate::Handover> {
            unreachable!()
        }
        async fn set_handover_state(&mut self, _: &crate::HandoverChange) -> ExecResult<crate::Handover> {
            unreachable!()
        }
        async fn add_handover_step(&mut self, _: &crate::NewHandoverStep) -> ExecResult<crate::HandoverStep> {
            unreachable!()
        }
        async fn assign_station(&mut self, _: &crate::Assignment) -> ExecResult<crate::Assignment> {
            unreachable!()
        }
        // --- tariffs and billing ---
        async fn create_tariff(&mut self, _: &crate::NewTariff) -> ExecResult<crate::TariffVersion> {
            unreachable!()
        }
        async fn set_tariff_assignment(
            &mut self,
            _: OperatorId,
            _: &TariffTarget,
            _: Option<i64>,
            _: Timestamp,
        ) -> ExecResult<()> {
            unreachable!()
        }
        async fn set_billing_settings(&mut self, _: OperatorId, _: &BillingSettings, _: Timestamp) -> ExecResult<()> {
            unreachable!()
        }
        async fn put_session_cost(&mut self, _: &crate::SessionCost) -> ExecResult<()> {
            unreachable!()
        }
        // --- drivers and groups ---
        async fn create_driver(&mut self, _: &crate::NewDriver) -> ExecResult<crate::Driver> {
            unreachable!()
        }
        async fn update_driver(&mut self, _: DriverId, _: &crate::NewDriver) -> ExecResult<crate::Driver> {
            unreachable!()
        }
        async fn delete_driver(&mut self, _: OperatorId, _: DriverId) -> ExecResult<()> {
            unreachable!()
        }
        async fn create_group(&mut self, _: OperatorId, _: &GroupName, _: Timestamp) -> ExecResult<crate::DriverGroup> {
            unreachable!()
        }
        async fn delete_group(&mut self, _: OperatorId, _: GroupId) -> ExecResult<()> {
            unreachable!()
        }
        async fn set_group_member(&mut self, _: OperatorId, _: GroupId, _: DriverId, _: bool) -> ExecResult<()> {
            unreachable!()
        }
        async fn set_token_driver(&mut self, _: OperatorId, _: &IdTag, _: Option<DriverId>) -> ExecResult<()> {
            unreachable!()
        }
        // --- access rules ---
        async fn set_access_rules(
            &mut self,
            _: &StationId,
            _: &joule_core::access::AccessRules,
            _: Timestamp,
        ) -> ExecResult<()> {
            unreachable!()
        }
        // --- password reset ---
        async fn create_password_reset(&mut self, _: &crate::NewPasswordReset) -> ExecResult<()> {
            unreachable!()
        }
        async fn reset_password(&mut self, _: &str, _: &str, _: Timestamp) -> ExecResult<AccountId> {
            unreachable!()
        }
        // --- local authorization list sync ---
        async fn put_local_list_state(&mut self, _: &crate::LocalListState, _: Timestamp) -> ExecResult<()> {
            unreachable!()
        }
        // --- quarter summaries ---
        async fn update_energy_quarters(&mut self, _: &[MeterRow<'_>]) -> ExecResult<()> {
            // Nothing to log: the tests here look at the meter-value inserts.
            Ok(())
        }
        async fn rebuild_energy_quarters(&mut self, _: &StationId, _: u32) -> ExecResult<u64> {
            unreachable!()
        }
        async fn put_energy_quarter_days(&mut self, _: &StationId, _: u32, _: &[(i64, Vec<u8>)]) -> ExecResult<u64> {
            unreachable!()
        }
        async fn finish_quarter_backfill(&mut self) -> ExecResult<()> {
            unreachable!()
        }
    }

    fn writer(script: Script) -> (Arc<Writer>, Arc<StdMutex<Script>>) {
        let script = Arc::new(StdMutex::new(script));
        let writer = Writer::spawn(vec![Fake(script.clone())], GroupCommitOptions::default());
        (Arc::new(writer), script)
    }

    fn log(script: &StdMutex<Script>) -> Vec<String> {
        script.lock().expect("script").log.clone()
    }

    fn sid(s: &str) -> StationId {
        StationId::parse(s).expect("station id")
    }

    fn batch(station: &str, values: &[&str]) -> MeterBatch {
        let samples: Vec<MeterSample> = values
            .iter()
            .map(|v| {
                MeterSample::from_raw(Utc::now(), RawSample { value: v, measurand: Some(v), ..Default::default() })
            })
            .collect();
        MeterBatch { station_id: sid(station), connector_id: 1, transaction_id: None, samples }
    }

    /// Sends a first operation, whose batch waits at the gate, queues `jobs` behind it (so that they make
    /// up the second batch), then opens the gate. Returns the first answer and the others.
    async fn queue_behind_gate(
        writer: &Arc<Writer>,
        gate: oneshot::Sender<()>,
        jobs: Vec<WriteOp>,
    ) -> (Result<WriteReply>, Vec<Result<WriteReply>>) {
        let first = {
            let writer = writer.clone();
            tokio::spawn(async move { writer.submit(WriteOp::RecordHeartbeat { id: sid("FIRST"), at: now() }).await })
        };
        // Single-threaded runtime: each yield lets every spawned task run until it waits for its answer.
        tokio::task::yield_now().await;
        let tasks: Vec<_> = jobs
            .into_iter()
            .map(|op| {
                let writer = writer.clone();
                tokio::spawn(async move { writer.submit(op).await })
            })
            .collect();
        for _ in 0..3 {
            tokio::task::yield_now().await;
        }
        gate.send(()).expect("gate");
        let first = first.await.expect("first task");
        let mut results = Vec::new();
        for task in tasks {
            results.push(task.await.expect("task"));
        }
        (first, results)
    }

    #[tokio::test]
    async fn a_failing_operation_fails_alone_and_meter_values_fall_back_to_one_message_at_a_time() {
        let (gate_tx, gate) = oneshot::channel();
        let (writer, script) = writer(Script { gate: Some(gate), ..Default::default() });
        let jobs = vec![
            WriteOp::AddMeterValues(batch("GOOD-1", &["1", "2"])),
            WriteOp::RecordHeartbeat { id: sid("BAD-1"), at: now() },
            WriteOp::AddMeterValues(batch("BAD-2", &["3"])),
            WriteOp::AddMeterValues(batch("GOOD-2", &["4", "5", "6"])),
            WriteOp::RecordHeartbeat { id: sid("GOOD-3"), at: now() },
        ];
        let (first, results) = queue_behind_gate(&writer, gate_tx, jobs).await;
        assert!(matches!(first, Ok(WriteReply::Done)), "{first:?}");
        assert!(matches!(results[0], Ok(WriteReply::Count(2))), "{:?}", results[0]);
        assert!(matches!(results[1], Err(StoreError::NotFound(_))), "{:?}", results[1]);
        assert!(matches!(results[2], Err(StoreError::NotFound(_))), "{:?}", results[2]);
        assert!(matches!(results[3], Ok(WriteReply::Count(3))), "{:?}", results[3]);
        assert!(matches!(results[4], Ok(WriteReply::Done)), "{:?}", results[4]);
        let log = log(&script);
        let second_batch: Vec<&str> = log.iter().skip(3).map(String::as_str).collect();
        assert_eq!(
            second_batch,
            [
                // The meter values of all three messages together; one station is missing, so...
                "begin",
                "savepoint",
                "insert 6 rows",
                "rollback to",
                // ...each message alone, with the rest in lock order (by station).
                "savepoint",
                "heartbeat BAD-1",
                "rollback to",
                "savepoint",
                "insert 1 rows",
                "rollback to",
                "savepoint",
                "insert 2 rows",
                "release",
                "savepoint",
                "insert 3 rows",
                "release",
                "savepoint",
                "heartbeat GOOD-3",
                "release",
                "commit",
            ],
            "whole log: {log:?}"
        );
        writer.close().await;
    }

    #[tokio::test]
    async fn a_failed_commit_fails_every_caller_and_is_not_run_again() {
        let (gate_tx, gate) = oneshot::channel();
        let (writer, script) = writer(Script { gate: Some(gate), fail_commit: true, ..Default::default() });
        let jobs = vec![
            WriteOp::RecordHeartbeat { id: sid("A"), at: now() },
            WriteOp::RecordHeartbeat { id: sid("BAD-B"), at: now() },
            WriteOp::AddMeterValues(batch("C", &["1"])),
        ];
        let (first, results) = queue_behind_gate(&writer, gate_tx, jobs).await;
        for r in results.iter().chain([&first]) {
            assert!(matches!(r, Err(StoreError::Database(m)) if m.contains("commit failed")), "{r:?}");
        }
        assert_eq!(log(&script).iter().filter(|e| *e == "begin").count(), 2, "two batches, no second attempt");
        writer.close().await;
    }

    #[tokio::test]
    async fn a_panic_fails_its_batch_and_the_writer_carries_on() {
        let (writer, script) = writer(Script::default());
        let failed = writer.record_heartbeat(&sid("PANIC"), now()).await;
        assert!(matches!(failed, Err(StoreError::Database(_))), "{failed:?}");
        writer.record_heartbeat(&sid("A"), now()).await.expect("the next write");
        assert_eq!(log(&script), ["begin", "heartbeat PANIC", "rollback", "begin", "heartbeat A", "commit"]);
        writer.close().await;
    }

    #[tokio::test]
    async fn transient_failures_run_the_batch_again() {
        let (writer, script) = writer(Script { begin_failures: 2, ..Default::default() });
        writer.record_heartbeat(&sid("A"), now()).await.expect("third attempt succeeds");
        assert_eq!(log(&script), ["begin", "rollback", "begin", "rollback", "begin", "heartbeat A", "commit"]);

        script.lock().expect("script").begin_failures = 10;
        let failed = writer.record_heartbeat(&sid("A"), now()).await;
        assert_eq!(failed, Err(StoreError::Database("busy".into())), "gives up after the retries");
        let begins = log(&script).iter().filter(|e| *e == "begin").count();
        assert_eq!(begins, 3 + 1 + GroupCommitOptions::default().retries as usize);
        writer.close().await;
        assert_eq!(writer.record_heartbeat(&sid("A"), now()).await, Err(StoreError::Closed));
    }
}
