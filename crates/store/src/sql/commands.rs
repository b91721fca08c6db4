//! [`CommandStore`] in SQL: commands sent to stations, the outbox, the message log, configuration keys and
//! the operators' default configuration.

use async_trait::async_trait;
use joule_core::{OperatorId, SessionId, StationId, Timestamp};

use super::stations::station_exists;
use super::{Exec, Query, SqlBackend, all, one};
use crate::backend::{self, Columns, ExecResult, Lock, rank};
use crate::{
    CommandOutcome, CommandRecord, CommandStore, ConfigKey, DefaultResult, LoggedMessage, MessageFilter, NewCommand,
    OutboxItem, OutboxKind, Result, StoreError, StoredConfigKey,
};

/// Seven parameters a row: 1,000 rows stay well under SQLite's 32,766 and PostgreSQL's 65,535.
const LOGGED_PER_STATEMENT: usize = 1000;

#[async_trait]
impl<B: SqlBackend> CommandStore for B {
    async fn record_command(&self, command: &NewCommand) -> Result<i64> {
        self.writer()
            .write(Lock::station(&command.station_id, rank::COMMANDS), command.clone(), |tx, command| {
                Box::pin(record_command(tx, command))
            })
            .await
    }

    async fn finish_command(&self, id: i64, outcome: &CommandOutcome) -> Result<()> {
        self.writer()
            .write(Lock::global(rank::COMMAND), (id, outcome.clone()), |tx, (id, outcome)| {
                Box::pin(finish_command(tx, *id, outcome))
            })
            .await
    }

    async fn set_command_transaction(&self, command: i64, transaction: SessionId) -> Result<()> {
        self.writer()
            .write(Lock::global(rank::COMMAND), (command, transaction), |tx, (id, transaction)| {
                Box::pin(set_command_transaction(tx, *id, *transaction))
            })
            .await
    }

    async fn list_commands(&self, station: &StationId, limit: u32) -> Result<Vec<CommandRecord>> {
        let sql = "SELECT * FROM commands WHERE station_id = $1 ORDER BY requested_at DESC, id DESC LIMIT $2";
        all(self.reader().await?.fetch_all(sql, &[station.into(), limit.into()]).await?, backend::command_record)
    }

    async fn command(&self, id: i64) -> Result<Option<CommandRecord>> {
        let row = self.reader().await?.fetch_optional("SELECT * FROM commands WHERE id = $1", &[id.into()]).await?;
        one(row, backend::command_record)
    }

    async fn push_outbox(&self, station: &StationId, kind: OutboxKind, at: Timestamp) -> Result<OutboxItem> {
        self.writer()
            .write(Lock::station(station, rank::OUTBOX), (station.clone(), kind, at), |tx, (station, kind, at)| {
                Box::pin(push_outbox(tx, station, *kind, *at))
            })
            .await
    }

    async fn open_outbox(&self, after: i64, limit: u32) -> Result<Vec<OutboxItem>> {
        let sql = "SELECT * FROM outbox WHERE closed_at IS NULL AND id > $1 ORDER BY id LIMIT $2";
        all(self.reader().await?.fetch_all(sql, &[after.into(), limit.into()]).await?, backend::outbox_item)
    }

    async fn close_outbox(&self, id: i64, outcome: &str, at: Timestamp) -> Result<()> {
        self.writer()
            .write(Lock::global(rank::OUTBOX_ITEM), (id, outcome.to_string(), at), |tx, (id, outcome, at)| {
                Box::pin(close_outbox(tx, *id, outcome, *at))
            })
            .await
    }

    // The message log has a writer and readers of its own: its writes never share a transaction, nor wait
    // for a commit, with the station data that is acknowledged.
    async fn log_messages(&self, messages: &[LoggedMessage]) -> Result<()> {
        if messages.is_empty() {
            return Ok(());
        }
        self.log_writer()
            .write(Lock::global(rank::MESSAGE_LOG), messages.to_vec(), |tx, messages| {
                Box::pin(log_messages(tx, messages))
            })
            .await
    }

    async fn messages(&self, filter: &MessageFilter) -> Result<Vec<LoggedMessage>> {
        let mut q = Query::new("SELECT * FROM message_log WHERE 1 = 1");
        if let Some(station) = &filter.station_id {
            q.push(" AND station_id = ").bind(station);
        }
        if let Some(since) = filter.since {
            q.push(" AND at >= ").bind(since);
        }
        if let Some(until) = filter.until {
            q.push(" AND at < ").bind(until);
        }
        if let Some(action) = &filter.action {
            q.push(" AND action = ").bind(action.as_str());
        }
        q.push(" ORDER BY at, id");
        if let Some(limit) = filter.limit {
            q.push(" LIMIT ").bind(limit);
        }
        all(q.fetch_all(&mut self.log_reader().await?).await?, backend::logged_message)
    }

    async fn purge_messages(&self, before: Timestamp) -> Result<u64> {
        self.log_writer()
            .write(Lock::global(rank::MESSAGE_PURGE), before, |tx, before| {
                Box::pin(async move { tx.execute("DELETE FROM message_log WHERE at < $1", &[(*before).into()]).await })
            })
            .await
    }

    async fn store_configuration(&self, station: &StationId, keys: &[ConfigKey], read_at: Timestamp) -> Result<()> {
        let args = (station.clone(), keys.to_vec(), read_at);
        self.writer()
            .write(Lock::station(station, rank::CONFIGURATION), args, |tx, (station, keys, read_at)| {
                Box::pin(store_configuration(tx, station, keys, *read_at))
            })
            .await
    }

    async fn configuration(&self, station: &StationId) -> Result<Vec<StoredConfigKey>> {
        let sql = "SELECT * FROM station_configuration WHERE station_id = $1";
        let rows = self.reader().await?.fetch_all(sql, &[station.into()]).await?;
        // Sorted here, by bytes, so that both databases give one order whatever their collation.
        let mut keys = all(rows, backend::stored_config_key)?;
        keys.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(keys)
    }

    async fn set_configuration_value(&self, station: &StationId, key: &str, value: &str, at: Timestamp) -> Result<()> {
        let args = (station.clone(), key.to_string(), value.to_string(), at);
        self.writer()
            .write(Lock::station(station, rank::CONFIGURATION), args, |tx, (station, key, value, at)| {
                Box::pin(set_configuration_value(tx, station, key, value, *at))
            })
            .await
    }

    async fn set_operator_defaults(&self, operator: OperatorId, defaults: &[(String, String)]) -> Result<()> {
        self.writer()
            .write(Lock::global(rank::OPERATOR_DEFAULTS), (operator, defaults.to_vec()), |tx, (operator, defaults)| {
                Box::pin(set_operator_defaults(tx, *operator, defaults))
            })
            .await
    }

    async fn operator_defaults(&self, operator: OperatorId) -> Result<Vec<(String, String)>> {
        let sql = "SELECT key, value FROM operator_defaults WHERE operator_id = $1 ORDER BY position";
        let rows = self.reader().await?.fetch_all(sql, &[operator.into()]).await?;
        all(rows, |r| Ok((r.text("key")?, r.text("value")?)))
    }

    async fn record_default_result(
        &self,
        station: &StationId,
        key: &str,
        value: &str,
        result: &str,
        at: Timestamp,
    ) -> Result<()> {
        let args = (station.clone(), key.to_string(), value.to_string(), result.to_string(), at);
        self.writer()
            .write(Lock::station(station, rank::DEFAULT_RESULTS), args, |tx, (station, key, value, result, at)| {
                Box::pin(record_default_result(tx, station, key, value, result, *at))
            })
            .await
    }

    async fn default_results(&self, station: &StationId) -> Result<Vec<DefaultResult>> {
        let sql = "SELECT * FROM default_results WHERE station_id = $1";
        let rows = self.reader().await?.fetch_all(sql, &[station.into()]).await?;
        let mut results = all(rows, backend::default_result)?;
        results.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(results)
    }
}

async fn record_command(tx: &mut impl Exec, command: &NewCommand) -> ExecResult<i64> {
    let row = tx
        .fetch_one(
            "INSERT INTO commands (station_id, action, payload, requested_by, requested_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
            &[
                (&command.station_id).into(),
                command.action.as_str().into(),
                command.payload_json.as_str().into(),
                command.requested_by.as_str().into(),
                command.requested_at.into(),
            ],
        )
        .await?;
    Ok(row.int("id")?)
}

async fn finish_command(tx: &mut impl Exec, id: i64, outcome: &CommandOutcome) -> ExecResult<()> {
    // A finished command keeps its first outcome (SET reads the row's values before the update).
    let found = tx
        .fetch_optional(
            "UPDATE commands SET
                 answer = CASE WHEN outcome IS NULL THEN $3 ELSE answer END,
                 error = CASE WHEN outcome IS NULL THEN $4 ELSE error END,
                 finished_at = CASE WHEN outcome IS NULL THEN $5 ELSE finished_at END,
                 latency_ms = CASE WHEN outcome IS NULL THEN $6 ELSE latency_ms END,
                 outcome = COALESCE(outcome, $2)
             WHERE id = $1 RETURNING id",
            &[
                id.into(),
                outcome.kind.as_str().into(),
                outcome.answer_json.as_deref().into(),
                outcome.error.as_deref().into(),
                outcome.finished_at.into(),
                outcome.latency_ms.into(),
            ],
        )
        .await?;
    match found {
        Some(_) => Ok(()),
        None => Err(StoreError::NotFound(format!("command {id}")).into()),
    }
}

async fn set_command_transaction(tx: &mut impl Exec, id: i64, transaction: SessionId) -> ExecResult<()> {
    let sql = "UPDATE commands SET transaction_id = $2 WHERE id = $1 RETURNING id";
    match tx.fetch_optional(sql, &[id.into(), transaction.into()]).await? {
        Some(_) => Ok(()),
        None => Err(StoreError::NotFound(format!("command {id}")).into()),
    }
}

async fn push_outbox(
    tx: &mut impl Exec,
    station: &StationId,
    kind: OutboxKind,
    at: Timestamp,
) -> ExecResult<OutboxItem> {
    let row = tx
        .fetch_one(
            "INSERT INTO outbox (station_id, kind, created_at) VALUES ($1, $2, $3) RETURNING *",
            &[station.into(), kind.as_str().into(), at.into()],
        )
        .await?;
    Ok(backend::outbox_item(&row)?)
}

async fn close_outbox(tx: &mut impl Exec, id: i64, outcome: &str, at: Timestamp) -> ExecResult<()> {
    // A closed item keeps its first outcome; closing it again is not an error.
    let found = tx
        .fetch_optional(
            "UPDATE outbox SET closed_at = COALESCE(closed_at, $2), outcome = COALESCE(outcome, $3)
             WHERE id = $1 RETURNING id",
            &[id.into(), at.into(), outcome.into()],
        )
        .await?;
    match found {
        Some(_) => Ok(()),
        None => Err(StoreError::NotFound(format!("outbox item {id}")).into()),
    }
}

/// All the frames in one go, as multi-row inserts.
async fn log_messages(tx: &mut impl Exec, messages: &[LoggedMessage]) -> ExecResult<()> {
    for chunk in messages.chunks(LOGGED_PER_STATEMENT) {
        let mut q = Query::rows(
            "INSERT INTO message_log (station_id, at, direction, message_type, message_id, action, text) ",
            chunk.len() * 7,
        );
        q.values(chunk, |row, m| {
            row.bind(&m.station_id)
                .bind(m.at)
                .bind(m.direction.as_str())
                .bind(i64::from(m.message_type))
                .bind(m.message_id.as_str())
                .bind(m.action.as_deref())
                .bind(m.text.as_str());
        });
        q.execute(tx).await?;
    }
    Ok(())
}

async fn store_configuration(
    tx: &mut impl Exec,
    station: &StationId,
    keys: &[ConfigKey],
    read_at: Timestamp,
) -> ExecResult<()> {
    if keys.is_empty() {
        // Nothing to insert, so no foreign key to say the station is missing.
        return station_exists(tx, station).await;
    }
    for k in keys {
        tx.execute(
            "INSERT INTO station_configuration (station_id, key, value, readonly, read_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (station_id, key) DO UPDATE SET
                 value = excluded.value, readonly = excluded.readonly, read_at = excluded.read_at",
            &[station.into(), k.key.as_str().into(), k.value.as_deref().into(), k.readonly.into(), read_at.into()],
        )
        .await?;
    }
    Ok(())
}

async fn set_configuration_value(
    tx: &mut impl Exec,
    station: &StationId,
    key: &str,
    value: &str,
    at: Timestamp,
) -> ExecResult<()> {
    tx.execute(
        "INSERT INTO station_configuration (station_id, key, value, readonly, changed_at)
         VALUES ($1, $2, $3, false, $4)
         ON CONFLICT (station_id, key) DO UPDATE SET value = excluded.value, changed_at = excluded.changed_at",
        &[station.into(), key.into(), value.into(), at.into()],
    )
    .await?;
    Ok(())
}

async fn set_operator_defaults(
    tx: &mut impl Exec,
    operator: OperatorId,
    defaults: &[(String, String)],
) -> ExecResult<()> {
    if tx.fetch_optional("SELECT id FROM operators WHERE id = $1", &[operator.into()]).await?.is_none() {
        return Err(StoreError::NotFound(format!("operator {operator}")).into());
    }
    tx.execute("DELETE FROM operator_defaults WHERE operator_id = $1", &[operator.into()]).await?;
    for (position, (key, value)) in (0_i64..).zip(defaults) {
        // A key given twice breaks the primary key: Conflict, and the old list stays.
        tx.execute(
            "INSERT INTO operator_defaults (operator_id, position, key, value) VALUES ($1, $2, $3, $4)",
            &[operator.into(), position.into(), key.into(), value.into()],
        )
        .await?;
    }
    Ok(())
}

async fn record_default_result(
    tx: &mut impl Exec,
    station: &StationId,
    key: &str,
    value: &str,
    result: &str,
    at: Timestamp,
) -> ExecResult<()> {
    tx.execute(
        "INSERT INTO default_results (station_id, key, value, result, at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (station_id, key) DO UPDATE SET
             value = excluded.value, result = excluded.result, at = excluded.at",
        &[station.into(), key.into(), value.into(), result.into(), at.into()],
    )
    .await?;
    Ok(())
}
