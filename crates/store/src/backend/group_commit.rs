//! Group commit: many callers' writes in one transaction, one fsync, then every caller is answered.
//!
//! A write method puts its operation on a bounded queue and waits for the answer. An operation is a function
//! of the writer's connection ([`Writer::write`]): the store's write, written in plain SQL in its aggregate's
//! module of [`crate::sql`]; the writer knows nothing of what it writes, only where it runs in a batch
//! ([`Lock`]). A worker takes the first operation waiting, plus whatever else is queued (up to
//! [`GroupCommitOptions::max_batch`]), and runs them all in one transaction:
//!
//! - the meter values of every MeterValues in the batch go in together, as multi-row inserts, with their
//!   quarter summaries (they are the bulk of the traffic, and the reason group commit exists: this path is
//!   the writer's own, [`Writer::add_meter_values`]); if that fails, each message is retried alone so that
//!   only the bad one fails;
//! - every other operation runs in its own savepoint, so one that fails (an unknown station, a taken name)
//!   is rolled back alone and the others still commit;
//! - the transaction commits once, and only then is anyone answered (DESIGN.md rule 1). If the commit
//!   fails, every caller whose operation had succeeded gets the commit's error.
//!
//! Operations in one batch were all waiting at the same time, so any order among them is one a caller
//! could have seen; a caller's next write waits for the answer to its previous one and so lands in a later
//! batch. A batch therefore runs its operations in a fixed lock order (by station, see [`Lock`]), not in
//! arrival order. A batch that fails for a passing reason (a deadlock between PostgreSQL writers, a lost
//! connection, a lock held by another process) before its commit was sent is run again from the start, a
//! few times, because nothing of it was kept.
//!
//! A backend supplies a [`BatchExecutor`]: its writer connection, the transaction statements and the
//! meter-value insert, in its own SQL. Several executors (PostgreSQL) run batches in parallel from the one
//! queue; SQLite has one.

use std::panic::AssertUnwindSafe;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use async_trait::async_trait;
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use joule_core::StationId;
use tokio::sync::{Mutex, mpsc, oneshot};
use tokio::task::JoinHandle;

use super::meter::{MeterPlan, MeterRow};
use crate::sql::Exec;
use crate::{MeterBatch, Result, StoreError};

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

/// Outside a batch (a read), whether running it again may succeed is the caller's business.
impl From<Failure> for StoreError {
    fn from(failure: Failure) -> StoreError {
        failure.error
    }
}

pub type ExecResult<T> = std::result::Result<T, Failure>;

/// A backend's side of group commit: a writer connection ([`Exec`], on which every operation of a batch
/// runs), the statements of a transaction, and the meter-value insert, in its own SQL.
#[async_trait]
pub trait BatchExecutor: Exec + 'static {
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

/// Where an operation runs in its batch. Operations of one batch were all waiting at once, so any order
/// among them is one their callers could have seen; the writer runs them in one fixed order, the same in
/// every batch: first the operations above stations (by [`rank`]), then by station, by rank, and by
/// connector. With every batch taking its row locks in that order, batches running in parallel
/// (PostgreSQL) cannot lock two stations in opposite orders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lock {
    /// Empty for an operation above stations: it sorts before every station.
    station: String,
    rank: u8,
    sub: u32,
}

impl Lock {
    /// An operation that locks no station's rows (an operator's, an account's, its own table's).
    pub fn global(rank: rank::Rank) -> Lock {
        Lock { station: String::new(), rank: rank.0, sub: rank.1 }
    }

    /// An operation on the rows of `station`.
    pub fn station(station: &StationId, rank: rank::Rank) -> Lock {
        Lock { station: station.as_str().to_string(), rank: rank.0, sub: rank.1 }
    }

    /// An operation on the rows of one connector of `station`.
    pub fn connector(station: &StationId, rank: rank::Rank, connector: u32) -> Lock {
        Lock { station: station.as_str().to_string(), rank: rank.0, sub: connector }
    }

    fn key(&self) -> (&str, u8, u32) {
        (&self.station, self.rank, self.sub)
    }
}

/// The ranks of [`Lock`]: within the operations above stations, and within one station's, lower ranks run
/// first. The order follows the foreign keys: a row before the rows that refer to it (an account before
/// its logins, a station's own row before its connectors and sessions).
pub mod rank {
    /// A rank and, for the operations above stations, its place within the rank.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Rank(pub(super) u8, pub(super) u32);

    // --- above stations ---

    pub const OPERATORS: Rank = Rank(0, 0);
    pub const ID_TOKENS: Rank = Rank(1, 0);
    /// Every station's row at once (start-up).
    pub const ALL_STATIONS: Rank = Rank(2, 0);
    /// An outbox item is closed by its id, not its station.
    pub const OUTBOX_ITEM: Rank = Rank(3, 0);
    /// A command is finished by its id, not its station.
    pub const COMMAND: Rank = Rank(4, 0);
    /// The log has no foreign key: it locks no station row.
    pub const MESSAGE_LOG: Rank = Rank(5, 0);
    pub const MESSAGE_PURGE: Rank = Rank(6, 0);
    /// The operator's own rows: default configuration, then settings.
    pub const OPERATOR_DEFAULTS: Rank = Rank(7, 0);
    pub const OPERATOR_SETTINGS: Rank = Rank(7, 1);
    pub const API_TOKENS: Rank = Rank(8, 0);
    /// Account rows before login rows (a login's insert checks its account).
    pub const ACCOUNTS: Rank = Rank(9, 0);
    pub const LOGINS: Rank = Rank(10, 0);
    /// A reset also revokes the account's logins, so after them.
    pub const PASSWORD_RESETS: Rank = Rank(10, 1);
    /// The audit log has no foreign key: it locks nothing but its own new row.
    pub const AUDIT: Rank = Rank(11, 0);
    /// A claim names a code, not its station, so it runs above stations (its account is locked first).
    pub const CLAIMS: Rank = Rank(12, 0);
    /// Activation requests and notifications check their account's row only.
    pub const ACTIVATION_REQUESTS: Rank = Rank(12, 1);
    pub const NOTIFICATIONS: Rank = Rank(12, 2);
    /// The model catalog and the backends check their operator's row only.
    pub const CATALOG: Rank = Rank(13, 0);
    pub const BACKENDS: Rank = Rank(13, 0);
    pub const PROVISIONING_PROFILES: Rank = Rank(13, 1);
    /// A handover's state and steps name the handover, not its station (after the backends they copy).
    pub const HANDOVER_PROGRESS: Rank = Rank(13, 2);
    /// Operator-wide rows: drivers, then groups, then the rows naming both (members, and the token's driver
    /// link, whose token the id-token writes above lock first), then an import doing all of it.
    pub const DRIVERS: Rank = Rank(14, 0);
    pub const GROUPS: Rank = Rank(14, 1);
    pub const MEMBERSHIPS: Rank = Rank(14, 2);
    pub const TOKEN_IMPORT: Rank = Rank(14, 3);
    /// Tariffs, assignments and settings lock their operator's rows only; a cost its session's row.
    pub const TARIFFS: Rank = Rank(15, 0);
    pub const SESSION_COSTS: Rank = Rank(15, 1);
    pub const QUARTER_BACKFILL: Rank = Rank(16, 0);

    // --- a station's (the number after the rank is its connector, where there is one) ---

    pub const NEW_STATION: Rank = Rank(0, 0);
    /// The station's own row, which every other write of the station checks.
    pub const STATION: Rank = Rank(1, 0);
    pub const STATUS: Rank = Rank(2, 0);
    pub const SESSION_START: Rank = Rank(3, 0);
    pub const SESSION_STOP: Rank = Rank(4, 0);
    /// Meter values, and the meter's quarter summaries with them.
    pub const METER_VALUES: Rank = Rank(5, 0);
    pub const STATION_EVENTS: Rank = Rank(6, 0);
    pub const OUTBOX: Rank = Rank(7, 0);
    pub const COMMANDS: Rank = Rank(8, 0);
    pub const CONFIGURATION: Rank = Rank(9, 0);
    pub const DEFAULT_RESULTS: Rank = Rank(10, 0);
    pub const ACTIVATION_CODES: Rank = Rank(11, 0);
    pub const INSTALLATION: Rank = Rank(12, 0);
    pub const HANDOVER: Rank = Rank(13, 0);
    pub const ASSIGNMENT: Rank = Rank(13, 1);
    /// The station row (free_vend) first, then the station's rule rows.
    pub const ACCESS_RULES: Rank = Rank(14, 0);
    /// The station's own sync rows only (their foreign key checks the station row).
    pub const LOCAL_LIST: Rank = Rank(16, 0);
}

/// An operation waiting in the queue.
enum Job<E> {
    /// The meter values of one MeterValues: inserted together with the other messages' of the batch.
    Meter {
        batch: MeterBatch,
        new: u64,
        reply: oneshot::Sender<Result<u64>>,
    },
    Op {
        lock: Lock,
        op: Box<dyn Op<E>>,
    },
}

impl<E: BatchExecutor> Job<E> {
    fn lock(&self) -> (&str, u8, u32) {
        match self {
            Job::Meter { batch, .. } => (batch.station_id.as_str(), rank::METER_VALUES.0, batch.connector_id),
            Job::Op { lock, .. } => lock.key(),
        }
    }

    /// Runs the operation (again, if the batch is run again), keeping its value for the answer.
    async fn run(&mut self, exec: &mut E) -> ExecResult<()> {
        match self {
            Job::Meter { batch, new, .. } => {
                *new = insert_batches(exec, &[&*batch]).await?.iter().sum();
                Ok(())
            }
            Job::Op { op, .. } => op.run(exec).await,
        }
    }

    /// Answers the caller: the operation's value, or `outcome`'s error.
    fn answer(self, outcome: Result<(), StoreError>) {
        // A caller that gave up waiting is gone; its write is committed all the same.
        match self {
            Job::Meter { new, reply, .. } => {
                let _ = reply.send(outcome.map(|()| new));
            }
            Job::Op { op, .. } => op.answer(outcome),
        }
    }
}

/// An operation with its arguments and its answer's channel, whatever it returns.
trait Op<E>: Send {
    fn run<'a>(&'a mut self, exec: &'a mut E) -> BoxFuture<'a, ExecResult<()>>;
    fn answer(self: Box<Self>, outcome: Result<(), StoreError>);
}

struct Write<A, R, F> {
    args: A,
    op: F,
    value: Option<R>,
    reply: oneshot::Sender<Result<R>>,
}

impl<E, A, R, F> Op<E> for Write<A, R, F>
where
    E: Send,
    A: Send + Sync,
    R: Send,
    F: for<'a> Fn(&'a mut E, &'a A) -> BoxFuture<'a, ExecResult<R>> + Send,
{
    fn run<'a>(&'a mut self, exec: &'a mut E) -> BoxFuture<'a, ExecResult<()>> {
        let Write { args, op, value, .. } = self;
        Box::pin(async move {
            *value = Some(op(exec, args).await?);
            Ok(())
        })
    }

    fn answer(self: Box<Self>, outcome: Result<(), StoreError>) {
        let Write { value, reply, .. } = *self;
        let answer = outcome
            .and_then(|()| value.ok_or_else(|| StoreError::Database("internal error: operation not run".into())));
        let _ = reply.send(answer);
    }
}

/// The handle write methods use: enqueues an operation and waits for its committed answer.
pub struct Writer<E> {
    /// `None` once [`Writer::close`] ran. Taken out (not just flagged) so that the queue closes when the
    /// last in-flight sender is gone, which is what lets the workers drain and stop.
    queue: RwLock<Option<mpsc::Sender<Job<E>>>>,
    workers: Mutex<Vec<JoinHandle<()>>>,
}

impl<E: BatchExecutor> Writer<E> {
    /// Starts one worker per executor, all taking batches from one queue. Must run inside a tokio runtime.
    pub fn spawn(executors: Vec<E>, opts: GroupCommitOptions) -> Writer<E> {
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

    /// Runs `op` in a batch's transaction, in the batch's order at `lock`, and answers what it returned once
    /// the transaction is committed. `op` gets the writer's connection and `args`; it may run more than once
    /// (a batch that failed for a passing reason runs again from the start), so it takes its arguments by
    /// reference and keeps nothing between runs. Its `Err` undoes what it did and is its caller's answer,
    /// and the batch's other operations still commit.
    ///
    /// ```text
    /// writer.write(Lock::station(id, rank::STATION), (id.clone(), state), |tx, (id, state)| {
    ///     Box::pin(stations::set_state(tx, id, *state))
    /// })
    /// ```
    pub async fn write<A, R, F>(&self, lock: Lock, args: A, op: F) -> Result<R>
    where
        A: Send + Sync + 'static,
        R: Send + 'static,
        F: for<'a> Fn(&'a mut E, &'a A) -> BoxFuture<'a, ExecResult<R>> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        self.enqueue(Job::Op { lock, op: Box::new(Write { args, op, value: None, reply }) }).await?;
        answer.await.map_err(|_| abandoned())?
    }

    /// Stores the samples of a MeterValues (see [`SessionStore::add_meter_values`]): the ingestion path,
    /// which group commit is for. The samples of every MeterValues in a batch are inserted together.
    ///
    /// [`SessionStore::add_meter_values`]: crate::SessionStore::add_meter_values
    pub async fn add_meter_values(&self, batch: &MeterBatch) -> Result<u64> {
        let (reply, answer) = oneshot::channel();
        self.enqueue(Job::Meter { batch: batch.clone(), new: 0, reply }).await?;
        answer.await.map_err(|_| abandoned())?
    }

    async fn enqueue(&self, job: Job<E>) -> Result<()> {
        let queue = self.queue.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
        let queue = queue.ok_or(StoreError::Closed)?;
        queue.send(job).await.map_err(|_| StoreError::Closed)
    }

    // --- token import in one transaction ---
}

/// The reply is dropped when the batch panicked (a bug) or the runtime is shutting down.
fn abandoned() -> StoreError {
    StoreError::Database("the write was abandoned: its batch failed unexpectedly".into())
}

/// A worker: takes batches from the shared queue until it is closed and empty.
async fn work<E: BatchExecutor>(mut exec: E, queue: Arc<Mutex<mpsc::Receiver<Job<E>>>>, opts: GroupCommitOptions) {
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

async fn run_batch<E: BatchExecutor>(exec: &mut E, mut jobs: Vec<Job<E>>, opts: &GroupCommitOptions) {
    let mut attempt = 0;
    let outcome = loop {
        match try_batch(exec, &mut jobs).await {
            Ok(results) => break Ok(results),
            Err(failure) => {
                exec.rollback().await;
                if failure.transient && attempt < opts.retries {
                    attempt += 1;
                    tracing::debug!(error = %failure.error, attempt, ops = jobs.len(), "store batch failed; running it again");
                    // Give a lock holder or a restarting server a moment.
                    tokio::time::sleep(Duration::from_millis(10 << attempt)).await;
                    continue;
                }
                tracing::warn!(error = %failure.error, ops = jobs.len(), "store batch failed");
                break Err(failure.error);
            }
        }
    };
    match outcome {
        Ok(results) => {
            for (job, result) in jobs.into_iter().zip(results) {
                job.answer(result);
            }
        }
        Err(error) => {
            for job in jobs {
                job.answer(Err(error.clone()));
            }
        }
    }
}

/// Runs one batch in one transaction. `Ok` holds each operation's own outcome, after a successful commit
/// (or, for an operation alone that failed, after the rollback); `Err` means the batch as a whole failed.
async fn try_batch<E: BatchExecutor>(exec: &mut E, jobs: &mut [Job<E>]) -> ExecResult<Vec<Result<(), StoreError>>> {
    exec.begin().await?;
    // An operation alone needs no savepoint: if it fails, the whole transaction is rolled back.
    let guard = jobs.len() > 1;
    let mut results: Vec<Option<Result<(), StoreError>>> = jobs.iter().map(|_| None).collect();

    // The meter values of all messages first, in one plan. If that fails, they run one message at a time
    // with the other operations below, so that only the message at fault fails.
    let meter: Vec<usize> = (0..jobs.len()).filter(|&i| matches!(jobs[i], Job::Meter { .. })).collect();
    if meter.len() > 1 {
        begin_step(exec, guard).await?;
        let outcome = {
            let batches: Vec<&MeterBatch> = meter
                .iter()
                .filter_map(|&i| match &jobs[i] {
                    Job::Meter { batch, .. } => Some(batch),
                    Job::Op { .. } => None,
                })
                .collect();
            insert_batches(exec, &batches).await
        };
        match end_step(exec, guard, outcome).await? {
            Ok(counts) if counts.len() == meter.len() => {
                for (&i, count) in meter.iter().zip(counts) {
                    if let Job::Meter { new, .. } = &mut jobs[i] {
                        *new = count;
                    }
                    results[i] = Some(Ok(()));
                }
            }
            Ok(counts) => {
                let error = format!("internal error: {} counts for {} messages", counts.len(), meter.len());
                return Err(StoreError::Database(error).into());
            }
            Err(error) => tracing::debug!(%error, "grouped meter values failed; inserting them one message at a time"),
        }
    }
    // Every batch takes its row locks in one global order (see `Lock`), so that batches running in
    // parallel (PostgreSQL) do not deadlock over the same stations.
    let mut order: Vec<usize> = (0..jobs.len()).filter(|&i| results[i].is_none()).collect();
    order.sort_by(|&a, &b| jobs[a].lock().cmp(&jobs[b].lock()));
    for i in order {
        begin_step(exec, guard).await?;
        let outcome = jobs[i].run(exec).await;
        results[i] = Some(end_step(exec, guard, outcome).await?);
    }
    let results: Vec<Result<(), StoreError>> = results
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

/// Opens a step's savepoint when `guard` is set, so that the step's failure is undone alone.
async fn begin_step<E: BatchExecutor>(exec: &mut E, guard: bool) -> ExecResult<()> {
    if guard {
        exec.savepoint().await?;
    }
    Ok(())
}

/// Ends a step: releases its savepoint, or undoes the step if it failed. The inner result is the step's own
/// outcome; `Err` means the batch must stop (a transient failure, or the savepoint statements themselves
/// failed).
async fn end_step<E: BatchExecutor, T>(
    exec: &mut E,
    guard: bool,
    outcome: ExecResult<T>,
) -> ExecResult<Result<T, StoreError>> {
    match outcome {
        Ok(value) => {
            if guard {
                exec.release_savepoint().await?;
            }
            Ok(Ok(value))
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

/// Inserts the meter values of some messages as one plan (with their quarter summaries), and says how many
/// samples of each message were new.
async fn insert_batches<E: BatchExecutor>(exec: &mut E, batches: &[&MeterBatch]) -> ExecResult<Vec<u64>> {
    let plan = MeterPlan::new(batches);
    let inserted = crate::sql::insert_meter_values(exec, &plan).await?;
    Ok(plan.counts(&inserted)?)
}

#[cfg(test)]
mod tests {
    //! The batching rules, with a fake executor that logs what it is asked to do. Only the operations the
    //! tests use are implemented.

    use std::sync::Mutex as StdMutex;

    use chrono::Utc;
    use joule_core::meter::{MeterSample, RawSample};

    use super::*;
    use crate::backend::Columns;
    use crate::sql::{Arg, Sql};
    use joule_core::Timestamp;

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

    /// The fake runs no SQL: the operations of the tests are closures that log themselves.
    struct NoRow;

    impl Columns for NoRow {
        fn text(&self, _: &str) -> Result<String> {
            unreachable!()
        }
        fn opt_text(&self, _: &str) -> Result<Option<String>> {
            unreachable!()
        }
        fn int(&self, _: &str) -> Result<i64> {
            unreachable!()
        }
        fn opt_int(&self, _: &str) -> Result<Option<i64>> {
            unreachable!()
        }
        fn opt_real(&self, _: &str) -> Result<Option<f64>> {
            unreachable!()
        }
        fn flag(&self, _: &str) -> Result<bool> {
            unreachable!()
        }
        fn time(&self, _: &str) -> Result<Timestamp> {
            unreachable!()
        }
        fn opt_time(&self, _: &str) -> Result<Option<Timestamp>> {
            unreachable!()
        }
        fn blob(&self, _: &str) -> Result<&[u8]> {
            unreachable!()
        }
        fn opt_blob(&self, _: &str) -> Result<Option<&[u8]>> {
            unreachable!()
        }
    }

    impl Exec for Fake {
        type Row = NoRow;
        const LOCK_ROWS: &'static str = "";

        async fn execute_sql(&mut self, _: Sql, _: &[Arg<'_>]) -> ExecResult<u64> {
            unreachable!()
        }
        async fn fetch_all_sql(&mut self, _: Sql, _: &[Arg<'_>]) -> ExecResult<Vec<NoRow>> {
            unreachable!()
        }
        async fn fetch_optional_sql(&mut self, _: Sql, _: &[Arg<'_>]) -> ExecResult<Option<NoRow>> {
            unreachable!()
        }
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

    fn writer(script: Script) -> (Arc<Writer<Fake>>, Arc<StdMutex<Script>>) {
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

    /// A write of the station's row, as the store's heartbeat is: it logs itself, and fails for a missing
    /// station (`BAD…`) and panics for `PANIC`.
    async fn heartbeat(writer: &Writer<Fake>, station: &str) -> Result<()> {
        let id = sid(station);
        writer
            .write(Lock::station(&id, rank::STATION), id, |fake, id| {
                Box::pin(async move {
                    fake.log(format!("heartbeat {id}"));
                    assert!(id.as_str() != "PANIC", "a bug in the backend");
                    if missing(id) { Err(StoreError::NotFound(id.to_string()).into()) } else { Ok(()) }
                })
            })
            .await
    }

    /// What the tests queue: a heartbeat or a MeterValues.
    enum Step {
        Heartbeat(&'static str),
        Meter(MeterBatch),
    }

    #[derive(Debug)]
    enum Answer {
        Done,
        Count(u64),
    }

    async fn run(writer: &Writer<Fake>, step: Step) -> Result<Answer> {
        match step {
            Step::Heartbeat(station) => heartbeat(writer, station).await.map(|()| Answer::Done),
            Step::Meter(batch) => writer.add_meter_values(&batch).await.map(Answer::Count),
        }
    }

    /// Sends a first operation, whose batch waits at the gate, queues `steps` behind it (so that they make
    /// up the second batch), then opens the gate. Returns the first answer and the others.
    async fn queue_behind_gate(
        writer: &Arc<Writer<Fake>>,
        gate: oneshot::Sender<()>,
        steps: Vec<Step>,
    ) -> (Result<Answer>, Vec<Result<Answer>>) {
        let first = {
            let writer = writer.clone();
            tokio::spawn(async move { run(&writer, Step::Heartbeat("FIRST")).await })
        };
        // Single-threaded runtime: each yield lets every spawned task run until it waits for its answer.
        tokio::task::yield_now().await;
        let tasks: Vec<_> = steps
            .into_iter()
            .map(|step| {
                let writer = writer.clone();
                tokio::spawn(async move { run(&writer, step).await })
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
        let steps = vec![
            Step::Meter(batch("GOOD-1", &["1", "2"])),
            Step::Heartbeat("BAD-1"),
            Step::Meter(batch("BAD-2", &["3"])),
            Step::Meter(batch("GOOD-2", &["4", "5", "6"])),
            Step::Heartbeat("GOOD-3"),
        ];
        let (first, results) = queue_behind_gate(&writer, gate_tx, steps).await;
        assert!(matches!(first, Ok(Answer::Done)), "{first:?}");
        assert!(matches!(results[0], Ok(Answer::Count(2))), "{:?}", results[0]);
        assert!(matches!(results[1], Err(StoreError::NotFound(_))), "{:?}", results[1]);
        assert!(matches!(results[2], Err(StoreError::NotFound(_))), "{:?}", results[2]);
        assert!(matches!(results[3], Ok(Answer::Count(3))), "{:?}", results[3]);
        assert!(matches!(results[4], Ok(Answer::Done)), "{:?}", results[4]);
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
        let steps = vec![Step::Heartbeat("A"), Step::Heartbeat("BAD-B"), Step::Meter(batch("C", &["1"]))];
        let (first, results) = queue_behind_gate(&writer, gate_tx, steps).await;
        for r in results.iter().chain([&first]) {
            assert!(matches!(r, Err(StoreError::Database(m)) if m.contains("commit failed")), "{r:?}");
        }
        assert_eq!(log(&script).iter().filter(|e| *e == "begin").count(), 2, "two batches, no second attempt");
        writer.close().await;
    }

    #[tokio::test]
    async fn a_panic_fails_its_batch_and_the_writer_carries_on() {
        let (writer, script) = writer(Script::default());
        let failed = heartbeat(&writer, "PANIC").await;
        assert!(matches!(failed, Err(StoreError::Database(_))), "{failed:?}");
        heartbeat(&writer, "A").await.expect("the next write");
        assert_eq!(log(&script), ["begin", "heartbeat PANIC", "rollback", "begin", "heartbeat A", "commit"]);
        writer.close().await;
    }

    #[tokio::test]
    async fn transient_failures_run_the_batch_again() {
        let (writer, script) = writer(Script { begin_failures: 2, ..Default::default() });
        heartbeat(&writer, "A").await.expect("third attempt succeeds");
        assert_eq!(log(&script), ["begin", "rollback", "begin", "rollback", "begin", "heartbeat A", "commit"]);

        script.lock().expect("script").begin_failures = 10;
        let failed = heartbeat(&writer, "A").await;
        assert_eq!(failed, Err(StoreError::Database("busy".into())), "gives up after the retries");
        let begins = log(&script).iter().filter(|e| *e == "begin").count();
        assert_eq!(begins, 3 + 1 + GroupCommitOptions::default().retries as usize);
        writer.close().await;
        assert_eq!(heartbeat(&writer, "A").await, Err(StoreError::Closed));
    }
}
