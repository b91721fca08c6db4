//! The code the sqlx backends share, as macros that expand it in each backend crate.
//!
//! Both backends run the same queries against the same tables and columns; what differs is small and sits
//! in a few tokens: the sqlx database type, how an instant is stored (SQLite: INTEGER milliseconds,
//! PostgreSQL: `timestamptz`) and which driver errors are worth running a batch again for. This crate holds
//! no sqlx (it is the trait and the models), so the shared code cannot be generic over a sqlx database
//! here; it is written once below and expanded by [`sql_backend!`](crate::sql_backend) in the backend,
//! with those tokens filled in. The SQL stays `&'static str` literals, as sqlx requires of a query.
//!
//! What a backend still writes itself: its connections and migrations, the transaction statements and
//! the meter-value bulk insert ([`BatchExecutor`](super::BatchExecutor)), and how its driver reports a
//! passing failure.

mod store;
mod writes;

/// The names the expanded code uses, imported once by [`sql_backend!`](crate::sql_backend) so that the
/// expansion depends on nothing the backend happens to import.
#[doc(hidden)]
pub mod prelude {
    pub use crate::prelude::*;
    pub use async_trait::async_trait;
    pub use joule_core::account::{Account, AccountId, AccountRole, Email};
    pub use joule_core::activation::{
        ActivationRequest, ActivationRequestId, ActivationState, encode_charge_points, encode_features,
    };
    pub use joule_core::auth::IdToken;
    pub use joule_core::catalog::KnownModel;
    pub use joule_core::session::{Session, SessionStart, SessionStop, StopOutcome};
    pub use joule_core::station::{BootInfo, Connector, Station, StationState, StatusReport};
    pub use joule_core::{IdTag, OperatorId, OperatorKey, StationId, Timestamp, TransactionId};

    pub use crate::backend::MeterRow;
    pub use crate::backend::{self, BatchExecutor, Columns, ExecResult, Failure, MeterPlan, WriteOps};
    pub use crate::{AccountFilter, AuditEntry, AuditFilter, Login, NewAccount, NewLogin};
    pub use crate::{ActivationCodeRecord, Installation, NewActivationCode, Pinpointing};
    pub use crate::{ActivationFilter, NewActivationRequest, Notification};
    pub use crate::{
        ApiToken, CommandOutcome, CommandRecord, ConfigKey, DefaultResult, LoggedMessage, MessageFilter, MeterBatch,
        MeterFilter, NewApiToken, NewCommand, NewStation, Operator, OutboxItem, OutboxKind, Result, SessionFilter,
        StartOutcome, StationEvent, StationFilter, StatusRecord, Store, StoreError, StoredConfigKey, StoredSample,
        UnknownStop,
    };
    pub use crate::{EnergyQuery, PowerSample};
    pub use crate::{LocalListState, TokenFacts};
    pub use joule_core::access::{AccessMode, AccessRules};
    pub use joule_core::access::{DriverFacts, DriverId, GroupId, GroupName};
    pub use joule_core::billing::{BillingSettings, TariffTarget};
    pub use joule_core::intervals::Reading as EnergyReading;
    pub use joule_core::intervals::{QuarterSummary, quarter_of, quarter_start, summarize as summarize_quarters};
    pub use joule_core::operator::OperatorSettings;
}

/// Expands, in a backend crate with sqlx, everything the sqlx backends share: the mapping of sqlx's errors
/// to [`StoreError`](crate::StoreError) (`store_error` and the `ResultExt` trait, `store()` for reads and
/// `exec()` for writes), row decoding, [`WriteOps`](crate::backend::WriteOps) for the writer and
/// [`Store`](crate::Store) for the store. Invoke it alone in a module of its own:
///
/// ```text
/// joule_store::sql_backend! {
///     name: "sqlite",                            // Store::backend
///     database: sqlx::Sqlite,
///     store: crate::SqliteStore,
///     writer: crate::writer::SqliteWriter,
///     time_column: i64,                          // what an instant is stored as
///     to_column: joule_store::backend::millis,   // Timestamp -> time_column
///     from_column: joule_store::backend::from_millis, // time_column -> Result<Timestamp>
///     transient: crate::error::transient,        // fn(&sqlx::Error) -> bool: may running the batch again succeed?
/// }
/// ```
///
/// The writer must implement [`BatchExecutor`](crate::backend::BatchExecutor) and have a method
/// `conn(&mut self) -> ExecResult<&mut DB::Connection>` visible to that module; the store must have the
/// fields `reads` (the `sqlx::Pool` reads run on) and `writer` (the group-commit
/// [`Writer`](crate::backend::Writer)), the message log's own `log_reads` and `log_writer` (another file,
/// or a writer whose commits do not wait for the disk), and a method `async fn close_connections(&self)`
/// that closes what is left once the writer has finished.
#[doc(hidden)]
#[macro_export]
macro_rules! sql_backend {
    (
        name: $name:literal,
        database: $db:ty,
        store: $store:ty,
        writer: $writer:ty,
        time_column: $time_column:ty,
        to_column: $to_column:path,
        from_column: $from_column:path $(,)?
    ) => {
        use ::sqlx::Row as _;
        use $crate::backend::sql::prelude::*;

        use crate::error::{ResultExt, store_error};

        /// Reads columns of a row for the shared decoding ([`backend::station`] and the others).
        struct Cols<'r>(&'r <$db as ::sqlx::Database>::Row);

        impl Cols<'_> {
            fn get<'a, T>(&'a self, col: &str) -> Result<T>
            where
                T: ::sqlx::Decode<'a, $db> + ::sqlx::Type<$db>,
            {
                self.0.try_get(col).map_err(|e| StoreError::Corrupt(format!("column {col}: {e}")))
            }
        }

        impl Columns for Cols<'_> {
            fn text(&self, col: &str) -> Result<String> {
                self.get(col)
            }

            fn opt_text(&self, col: &str) -> Result<Option<String>> {
                self.get(col)
            }

            fn int(&self, col: &str) -> Result<i64> {
                self.get(col)
            }

            fn opt_int(&self, col: &str) -> Result<Option<i64>> {
                self.get(col)
            }

            fn opt_real(&self, col: &str) -> Result<Option<f64>> {
                self.get(col)
            }

            fn flag(&self, col: &str) -> Result<bool> {
                self.get(col)
            }

            fn time(&self, col: &str) -> Result<Timestamp> {
                let stored: $time_column = self.get(col)?;
                $from_column(stored)
            }

            fn opt_time(&self, col: &str) -> Result<Option<Timestamp>> {
                self.get::<Option<$time_column>>(col)?.map($from_column).transpose()
            }

            fn blob(&self, col: &str) -> Result<&[u8]> {
                self.get(col)
            }

            fn opt_blob(&self, col: &str) -> Result<Option<&[u8]>> {
                self.get(col)
            }
        }

        $crate::__sql_write_ops!($db, $writer, $to_column);
        $crate::__sql_store!($db, $store, $to_column);
    };
}
