//! The [`CommandStore`]: talking to stations: the commands sent and how they ended, the outbox of work for the server
//! holding a station's connection, the log of every frame, the stations' configuration keys and the operator's default
//! configuration.

use async_trait::async_trait;
use joule_core::{OperatorId, SessionId, StationId, Timestamp};

use crate::{
    CommandOutcome, CommandRecord, ConfigKey, DefaultResult, LoggedMessage, MessageFilter, NewCommand, OutboxItem,
    OutboxKind, Result, StoredConfigKey,
};

/// What is said to stations and what they answered: commands, the outbox, the message log, configuration keys and
/// default configuration.
#[async_trait]
pub trait CommandStore: Send + Sync {
    // --- commands ---

    /// Records a CSMS-initiated command before it is sent, as pending, and returns its id. Ids increase and
    /// are never reused.
    async fn record_command(&self, command: &NewCommand) -> Result<i64>;
    /// Records how the command ended. `NotFound` if there is no such command. A command keeps its first
    /// outcome: finishing it again changes nothing and succeeds, so a retried write is harmless.
    async fn finish_command(&self, id: i64, outcome: &CommandOutcome) -> Result<()>;
    /// Records the transaction a command led to (the session a RemoteStartTransaction started), replacing
    /// one recorded before. `NotFound` if there is no such command; the transaction is not checked.
    async fn set_command_transaction(&self, command: i64, transaction: SessionId) -> Result<()>;
    /// The station's commands, newest first (by request time).
    async fn list_commands(&self, station: &StationId, limit: u32) -> Result<Vec<CommandRecord>>;
    /// One command, pending or finished; `None` if there is no such command.
    async fn command(&self, id: i64) -> Result<Option<CommandRecord>>;

    // --- outbox ---

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

    // --- message log ---

    /// Appends frames to the log, all in one write (the gateway buffers frames and hands them over in
    /// batches: this is a hot path). The station is not checked: the log records what was on the wire.
    /// Frames are not deduplicated; an empty slice writes nothing.
    async fn log_messages(&self, messages: &[LoggedMessage]) -> Result<()>;
    /// Oldest first (by time, then by the order they were logged).
    async fn messages(&self, filter: &MessageFilter) -> Result<Vec<LoggedMessage>>;
    /// Deletes the frames logged before `before` and returns how many. Run it often (it deletes in one
    /// transaction, holding SQLite's writer while it does).
    async fn purge_messages(&self, before: Timestamp) -> Result<u64>;

    // --- configuration keys ---

    /// Stores what a GetConfiguration.conf reported: each key's value and readonly flag replace what was
    /// stored, and its `read_at` becomes `read_at`; a key's `changed_at` is kept. Keys not in `keys` are
    /// left alone (a GetConfiguration may ask for some keys only). A key given twice keeps the last.
    async fn store_configuration(&self, station: &StationId, keys: &[ConfigKey], read_at: Timestamp) -> Result<()>;
    /// By key.
    async fn configuration(&self, station: &StationId) -> Result<Vec<StoredConfigKey>>;
    /// Records a value the station Accepted (or accepted with RebootRequired) in a ChangeConfiguration.conf:
    /// sets the value and `changed_at`, creating the key (not readonly, never read) if it is unknown.
    async fn set_configuration_value(&self, station: &StationId, key: &str, value: &str, at: Timestamp) -> Result<()>;

    // --- default configuration ---

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
}
