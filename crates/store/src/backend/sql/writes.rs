//! [`WriteOps`](crate::backend::WriteOps) in SQL, for both backends (see [`sql_backend!`](crate::sql_backend)).
//!
//! PostgreSQL runs several writers in parallel, and a second process (the CLI) may write to either
//! database, so nothing here reads and then decides to insert: idempotency rests on unique constraints with
//! `ON CONFLICT DO NOTHING`, which waits for a concurrent transaction inserting the same key and then sees
//! its row.
//!
//! The SQL is what both databases understand alike: `$n` parameters, `ON CONFLICT`, `RETURNING`, and the
//! literals `true` and `false`, which SQLite stores as 1 and 0 (its booleans). Instants are bound through
//! the backend's `to_column`.

/// The writer's half of [`sql_backend!`](crate::sql_backend).
#[doc(hidden)]
#[macro_export]
macro_rules! __sql_write_ops {
    ($db:ty, $writer:ty, $to_column:path) => {
        fn station_row(row: Option<<$db as ::sqlx::Database>::Row>, id: &StationId) -> ExecResult<Station> {
            match row {
                Some(row) => Ok(backend::station(&Cols(&row))?),
                None => Err(StoreError::NotFound(format!("station {id}")).into()),
            }
        }

        /// `NotFound` for an UPDATE of a station that matched no row.
        fn updated(rows: u64, id: &StationId) -> ExecResult<()> {
            if rows == 0 { Err(StoreError::NotFound(format!("station {id}")).into()) } else { Ok(()) }
        }

        fn account_row(row: Option<<$db as ::sqlx::Database>::Row>, id: AccountId) -> ExecResult<Account> {
            match row {
                Some(row) => Ok(backend::account(&Cols(&row))?),
                None => Err(StoreError::NotFound(format!("account {id}")).into()),
            }
        }

        /// Runs `sql` (an `UPDATE … WHERE id = $1 RETURNING id` taking an instant as `$2`) on row `id`;
        /// `NotFound` naming `what` when there is no such row. For the writes that only stamp a time
        /// (revoked, last used).
        async fn stamp(writer: &mut $writer, sql: &'static str, id: i64, at: Timestamp, what: &str) -> ExecResult<()> {
            let exists: Option<i64> = ::sqlx::query_scalar(sql)
                .bind(id)
                .bind($to_column(at))
                .fetch_optional(writer.conn()?)
                .await
                .exec()?;
            match exists {
                Some(_) => Ok(()),
                None => Err(StoreError::NotFound(format!("{what} {id}")).into()),
            }
        }

        /// `NotFound` unless the station exists, for writes that insert no row that would say so.
        async fn station_exists(writer: &mut $writer, id: &StationId) -> ExecResult<()> {
            let found: Option<String> = ::sqlx::query_scalar("SELECT id FROM stations WHERE id = $1")
                .bind(id.as_str())
                .fetch_optional(writer.conn()?)
                .await
                .exec()?;
            if found.is_none() { Err(StoreError::NotFound(format!("station {id}")).into()) } else { Ok(()) }
        }

        async fn insert_plan(writer: &mut $writer, plan: &MeterPlan<'_>) -> ExecResult<()> {
            if !plan.rows.is_empty() {
                let inserted = writer.insert_meter_rows(&plan.rows).await?;
                // In the same transaction, the rows inserted (quarter summaries).
                WriteOps::update_energy_quarters(writer, &plan.inserted_rows(&inserted)).await?;
            }
            Ok(())
        }


        /// Creates the station's installation record if it has none. A missing station breaks the foreign key
        /// (NotFound).
        async fn ensure_installation(writer: &mut $writer, station: &StationId, at: Timestamp) -> ExecResult<()> {
            ::sqlx::query(
                "INSERT INTO installations (station_id, updated_at) VALUES ($1, $2) ON CONFLICT (station_id) DO NOTHING",
            )
            .bind(station.as_str())
            .bind($to_column(at))
            .execute(writer.conn()?)
            .await
            .exec()?;
            Ok(())
        }

        /// The station's installation record as it is now, without the photo's bytes.
        async fn installation_row(writer: &mut $writer, station: &StationId) -> ExecResult<Installation> {
            let row = ::sqlx::query(
                "SELECT station_id, claimed_by, claimed_at, lat, lon, accuracy_m, vendor, model, serial_number,
                     serial_locked_at, street, house_number, postal_code, city, region, country, time_zone,
                     parking_spot, directions, photo_type, CAST(length(photo) AS BIGINT) AS photo_size,
                     photo_orientation, updated_at
                 FROM installations WHERE station_id = $1",
            )
            .bind(station.as_str())
            .fetch_optional(writer.conn()?)
            .await
            .exec()?;
            match row {
                Some(row) => Ok(backend::installation(&Cols(&row))?),
                None => Err(StoreError::NotFound(format!("installation of station {station}")).into()),
            }
        }

        #[$crate::backend::sql::prelude::async_trait]
        impl WriteOps for $writer {
            async fn create_operator(&mut self, name: &str, key: &OperatorKey, at: Timestamp) -> ExecResult<Operator> {
                let row = ::sqlx::query(
                    "INSERT INTO operators (name, operator_key, created_at) VALUES ($1, $2, $3)
                     ON CONFLICT DO NOTHING RETURNING *",
                )
                .bind(name)
                .bind(key.as_str())
                .bind($to_column(at))
                .fetch_optional(self.conn()?)
                .await
                .exec()?;
                if let Some(row) = row {
                    return Ok(backend::operator(&Cols(&row))?);
                }
                let name_taken: Option<bool> =
                    ::sqlx::query_scalar("SELECT name = $1 FROM operators WHERE name = $1 OR operator_key = $2")
                        .bind(name)
                        .bind(key.as_str())
                        .fetch_optional(self.conn()?)
                        .await
                        .exec()?;
                let what = if name_taken == Some(true) { "name" } else { "key" };
                Err(StoreError::Conflict(format!("an operator with this {what} exists")).into())
            }

            async fn register_station(&mut self, new: &NewStation) -> ExecResult<Station> {
                let row = ::sqlx::query(
                    "INSERT INTO stations (id, operator_id, state, free_vend, password_hash, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6)
                     ON CONFLICT (id) DO NOTHING RETURNING *",
                )
                .bind(new.id.as_str())
                .bind(new.operator_id.0)
                .bind(new.state.as_str())
                .bind(new.free_vend)
                .bind(new.password_hash.as_deref())
                .bind($to_column(new.created_at))
                .fetch_optional(self.conn()?)
                .await
                .exec()?;
                match row {
                    Some(row) => Ok(backend::station(&Cols(&row))?),
                    None => Err(StoreError::Conflict(format!("station {} exists", new.id)).into()),
                }
            }

            async fn ensure_station(
                &mut self,
                operator: OperatorId,
                id: &StationId,
                at: Timestamp,
            ) -> ExecResult<Station> {
                let row = ::sqlx::query(
                    "INSERT INTO stations (id, operator_id, state, created_at) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (id) DO NOTHING RETURNING *",
                )
                .bind(id.as_str())
                .bind(operator.0)
                .bind(StationState::Pending.as_str())
                .bind($to_column(at))
                .fetch_optional(self.conn()?)
                .await
                .exec()?;
                let row = match row {
                    Some(row) => Some(row),
                    None => ::sqlx::query("SELECT * FROM stations WHERE id = $1")
                        .bind(id.as_str())
                        .fetch_optional(self.conn()?)
                        .await
                        .exec()?,
                };
                station_row(row, id)
            }

            async fn set_station_state(&mut self, id: &StationId, state: StationState) -> ExecResult<Station> {
                let row = ::sqlx::query("UPDATE stations SET state = $2 WHERE id = $1 RETURNING *")
                    .bind(id.as_str())
                    .bind(state.as_str())
                    .fetch_optional(self.conn()?)
                    .await
                    .exec()?;
                station_row(row, id)
            }

            async fn set_station_free_vend(&mut self, id: &StationId, free_vend: bool) -> ExecResult<Station> {
                let row = ::sqlx::query("UPDATE stations SET free_vend = $2 WHERE id = $1 RETURNING *")
                    .bind(id.as_str())
                    .bind(free_vend)
                    .fetch_optional(self.conn()?)
                    .await
                    .exec()?;
                station_row(row, id)
            }

            async fn set_station_password(
                &mut self,
                id: &StationId,
                password_hash: Option<&str>,
            ) -> ExecResult<Station> {
                let row = ::sqlx::query("UPDATE stations SET password_hash = $2 WHERE id = $1 RETURNING *")
                    .bind(id.as_str())
                    .bind(password_hash)
                    .fetch_optional(self.conn()?)
                    .await
                    .exec()?;
                station_row(row, id)
            }

            async fn record_boot(&mut self, id: &StationId, boot: &BootInfo, at: Timestamp) -> ExecResult<()> {
                let done = ::sqlx::query(
                    "UPDATE stations SET boot_vendor = $2, boot_model = $3, boot_serial_number = $4,
                         boot_charge_box_serial_number = $5, boot_firmware_version = $6, boot_iccid = $7,
                         boot_imsi = $8, boot_meter_type = $9, boot_meter_serial_number = $10, last_boot_at = $11
                     WHERE id = $1",
                )
                .bind(id.as_str())
                .bind(boot.vendor.as_str())
                .bind(boot.model.as_str())
                .bind(boot.serial_number.as_deref())
                .bind(boot.charge_box_serial_number.as_deref())
                .bind(boot.firmware_version.as_deref())
                .bind(boot.iccid.as_deref())
                .bind(boot.imsi.as_deref())
                .bind(boot.meter_type.as_deref())
                .bind(boot.meter_serial_number.as_deref())
                .bind($to_column(at))
                .execute(self.conn()?)
                .await
                .exec()?;
                updated(done.rows_affected(), id)
            }

            async fn record_connection(&mut self, id: &StationId, online: bool, at: Timestamp) -> ExecResult<()> {
                // A close older than the last open leaves the station online (see the trait).
                let done = ::sqlx::query(
                    "UPDATE stations SET
                         online = CASE WHEN $2 THEN true WHEN connected_at IS NULL OR connected_at <= $3 THEN false
                                       ELSE online END,
                         connected_at = CASE WHEN $2 THEN $3 ELSE connected_at END,
                         disconnected_at = CASE WHEN $2 THEN disconnected_at ELSE $3 END
                     WHERE id = $1",
                )
                .bind(id.as_str())
                .bind(online)
                .bind($to_column(at))
                .execute(self.conn()?)
                .await
                .exec()?;
                updated(done.rows_affected(), id)
            }

            async fn record_heartbeat(&mut self, id: &StationId, at: Timestamp) -> ExecResult<()> {
                let done = ::sqlx::query("UPDATE stations SET last_heartbeat_at = $2 WHERE id = $1")
                    .bind(id.as_str())
                    .bind($to_column(at))
                    .execute(self.conn()?)
                    .await
                    .exec()?;
                updated(done.rows_affected(), id)
            }

            async fn mark_all_offline(&mut self, at: Timestamp) -> ExecResult<u64> {
                let done = ::sqlx::query("UPDATE stations SET online = false, disconnected_at = $1 WHERE online")
                    .bind($to_column(at))
                    .execute(self.conn()?)
                    .await
                    .exec()?;
                Ok(done.rows_affected())
            }

            async fn record_status(
                &mut self,
                id: &StationId,
                report: &StatusReport,
                received_at: Timestamp,
            ) -> ExecResult<()> {
                let status_at = report.timestamp.unwrap_or(received_at);
                // The connector keeps the newest report; an older one (sent late) only goes to the history.
                ::sqlx::query(
                    "INSERT INTO connectors (station_id, connector_id, status, error_code, info, vendor_error_code,
                         status_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)
                     ON CONFLICT (station_id, connector_id) DO UPDATE SET
                         status = excluded.status, error_code = excluded.error_code, info = excluded.info,
                         vendor_error_code = excluded.vendor_error_code, status_at = excluded.status_at
                     WHERE excluded.status_at >= connectors.status_at",
                )
                .bind(id.as_str())
                .bind(i64::from(report.connector_id))
                .bind(report.status.as_str())
                .bind(report.error_code.as_str())
                .bind(report.info.as_deref())
                .bind(report.vendor_error_code.as_deref())
                .bind($to_column(status_at))
                .execute(self.conn()?)
                .await
                .exec()?;
                ::sqlx::query(
                    "INSERT INTO status_history (station_id, connector_id, status, error_code, info, vendor_id,
                         vendor_error_code, station_time, received_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                     ON CONFLICT DO NOTHING",
                )
                .bind(id.as_str())
                .bind(i64::from(report.connector_id))
                .bind(report.status.as_str())
                .bind(report.error_code.as_str())
                .bind(report.info.as_deref())
                .bind(report.vendor_id.as_deref())
                .bind(report.vendor_error_code.as_deref())
                .bind(report.timestamp.map($to_column))
                .bind($to_column(received_at))
                .execute(self.conn()?)
                .await
                .exec()?;
                Ok(())
            }

            async fn add_id_token(&mut self, token: &IdToken) -> ExecResult<IdToken> {
                let row = ::sqlx::query(
                    "INSERT INTO id_tokens (operator_id, tag, parent, expires_at, blocked) VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT DO NOTHING RETURNING *",
                )
                .bind(token.operator_id.0)
                .bind(token.tag.as_str())
                .bind(token.parent.as_ref().map(|p| p.as_str()))
                .bind(token.expires_at.map($to_column))
                .bind(token.blocked)
                .fetch_optional(self.conn()?)
                .await
                .exec()?;
                match row {
                    Some(row) => Ok(backend::id_token(&Cols(&row))?),
                    None => {
                        let what = format!("operator {} already has id tag {}", token.operator_id, token.tag);
                        Err(StoreError::Conflict(what).into())
                    }
                }
            }

            async fn update_id_token(&mut self, token: &IdToken) -> ExecResult<IdToken> {
                let row = ::sqlx::query(
                    "UPDATE id_tokens SET parent = $3, expires_at = $4, blocked = $5
                     WHERE operator_id = $1 AND tag = $2 RETURNING *",
                )
                .bind(token.operator_id.0)
                .bind(token.tag.as_str())
                .bind(token.parent.as_ref().map(|p| p.as_str()))
                .bind(token.expires_at.map($to_column))
                .bind(token.blocked)
                .fetch_optional(self.conn()?)
                .await
                .exec()?;
                match row {
                    Some(row) => Ok(backend::id_token(&Cols(&row))?),
                    None => {
                        let what = format!("operator {} has no id tag {}", token.operator_id, token.tag);
                        Err(StoreError::NotFound(what).into())
                    }
                }
            }

            async fn delete_id_token(&mut self, operator: OperatorId, tag: &IdTag) -> ExecResult<()> {
                // Sessions keep the tag's text, not a reference to the token: they are untouched.
                let done = ::sqlx::query("DELETE FROM id_tokens WHERE operator_id = $1 AND tag = $2")
                    .bind(operator.0)
                    .bind(tag.as_str())
                    .execute(self.conn()?)
                    .await
                    .exec()?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound(format!("operator {operator} has no id tag {tag}")).into());
                }
                Ok(())
            }

            async fn start_session(&mut self, start: &SessionStart) -> ExecResult<StartOutcome> {
                let inserted = ::sqlx::query(
                    "INSERT INTO sessions (station_id, operator_id, connector_id, id_tag, auth_status, meter_start_wh,
                         started_at, reservation_id)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                     ON CONFLICT DO NOTHING RETURNING *",
                )
                .bind(start.station_id.as_str())
                .bind(start.operator_id.0)
                .bind(i64::from(start.connector_id))
                .bind(start.id_tag.as_str())
                .bind(start.authorization.as_str())
                .bind(start.meter_start_wh)
                .bind($to_column(start.started_at))
                .bind(start.reservation_id)
                .fetch_optional(self.conn()?)
                .await
                .exec()?;
                if let Some(row) = inserted {
                    return Ok(StartOutcome { session: backend::session(&Cols(&row))?, created: true });
                }
                // The natural key exists: this start was received before.
                let row = ::sqlx::query(
                    "SELECT * FROM sessions
                     WHERE station_id = $1 AND connector_id = $2 AND id_tag = $3 AND started_at = $4
                         AND meter_start_wh = $5",
                )
                .bind(start.station_id.as_str())
                .bind(i64::from(start.connector_id))
                .bind(start.id_tag.as_str())
                .bind($to_column(start.started_at))
                .bind(start.meter_start_wh)
                .fetch_one(self.conn()?)
                .await
                .exec()?;
                Ok(StartOutcome { session: backend::session(&Cols(&row))?, created: false })
            }

            async fn stop_session(&mut self, stop: &SessionStop) -> ExecResult<StopOutcome> {
                let stopped = ::sqlx::query(
                    "UPDATE sessions SET meter_stop_wh = $3, stopped_at = $4, stop_reason = $5, stop_id_tag = $6
                     WHERE id = $1 AND station_id = $2 AND stopped_at IS NULL
                     RETURNING *",
                )
                .bind(stop.transaction_id.0)
                .bind(stop.station_id.as_str())
                .bind(stop.meter_stop_wh)
                .bind($to_column(stop.stopped_at))
                .bind(stop.reason.as_deref())
                .bind(stop.id_tag.as_ref().map(|t| t.as_str()))
                .fetch_optional(self.conn()?)
                .await
                .exec()?;
                if let Some(row) = stopped {
                    let session = backend::session(&Cols(&row))?;
                    let plan =
                        MeterPlan::for_samples(&stop.station_id, session.connector_id, Some(session.id), &stop.samples);
                    insert_plan(self, &plan).await?;
                    return Ok(StopOutcome::Stopped(session));
                }
                let existing = ::sqlx::query("SELECT * FROM sessions WHERE id = $1 AND station_id = $2")
                    .bind(stop.transaction_id.0)
                    .bind(stop.station_id.as_str())
                    .fetch_optional(self.conn()?)
                    .await
                    .exec()?;
                if let Some(row) = existing {
                    return Ok(StopOutcome::AlreadyStopped(backend::session(&Cols(&row))?));
                }
                ::sqlx::query(
                    "INSERT INTO unknown_stops (station_id, transaction_id, id_tag, meter_stop_wh, stopped_at, reason,
                         received_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)
                     ON CONFLICT DO NOTHING",
                )
                .bind(stop.station_id.as_str())
                .bind(stop.transaction_id.0)
                .bind(stop.id_tag.as_ref().map(|t| t.as_str()))
                .bind(stop.meter_stop_wh)
                .bind($to_column(stop.stopped_at))
                .bind(stop.reason.as_deref())
                .bind($to_column(backend::now()))
                .execute(self.conn()?)
                .await
                .exec()?;
                let plan = MeterPlan::for_samples(&stop.station_id, 0, Some(stop.transaction_id), &stop.samples);
                insert_plan(self, &plan).await?;
                Ok(StopOutcome::Unknown)
            }

            async fn record_station_event(&mut self, event: &StationEvent) -> ExecResult<()> {
                ::sqlx::query(
                    "INSERT INTO station_events (station_id, kind, detail, occurred_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(event.station_id.as_str())
                .bind(event.kind.as_str())
                .bind(event.detail.as_str())
                .bind($to_column(event.at))
                .execute(self.conn()?)
                .await
                .exec()?;
                Ok(())
            }

            async fn push_outbox(
                &mut self,
                station: &StationId,
                kind: OutboxKind,
                at: Timestamp,
            ) -> ExecResult<OutboxItem> {
                let row = ::sqlx::query(
                    "INSERT INTO outbox (station_id, kind, created_at) VALUES ($1, $2, $3) RETURNING *",
                )
                .bind(station.as_str())
                .bind(kind.as_str())
                .bind($to_column(at))
                .fetch_one(self.conn()?)
                .await
                .exec()?;
                Ok(backend::outbox_item(&Cols(&row))?)
            }

            async fn close_outbox(&mut self, id: i64, outcome: &str, at: Timestamp) -> ExecResult<()> {
                // A closed item keeps its first outcome; closing it again is not an error.
                let exists: Option<i64> = ::sqlx::query_scalar(
                    "UPDATE outbox SET closed_at = COALESCE(closed_at, $2), outcome = COALESCE(outcome, $3)
                     WHERE id = $1 RETURNING id",
                )
                .bind(id)
                .bind($to_column(at))
                .bind(outcome)
                .fetch_optional(self.conn()?)
                .await
                .exec()?;
                match exists {
                    Some(_) => Ok(()),
                    None => Err(StoreError::NotFound(format!("outbox item {id}")).into()),
                }
            }

            async fn record_command(&mut self, command: &NewCommand) -> ExecResult<i64> {
                let id: i64 = ::sqlx::query_scalar(
                    "INSERT INTO commands (station_id, action, payload, requested_by, requested_at)
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(command.station_id.as_str())
                .bind(command.action.as_str())
                .bind(command.payload_json.as_str())
                .bind(command.requested_by.as_str())
                .bind($to_column(command.requested_at))
                .fetch_one(self.conn()?)
                .await
                .exec()?;
                Ok(id)
            }

            async fn finish_command(&mut self, id: i64, outcome: &CommandOutcome) -> ExecResult<()> {
                // A finished command keeps its first outcome (SET reads the row's values before the update).
                let exists: Option<i64> = ::sqlx::query_scalar(
                    "UPDATE commands SET
                         answer = CASE WHEN outcome IS NULL THEN $3 ELSE answer END,
                         error = CASE WHEN outcome IS NULL THEN $4 ELSE error END,
                         finished_at = CASE WHEN outcome IS NULL THEN $5 ELSE finished_at END,
                         latency_ms = CASE WHEN outcome IS NULL THEN $6 ELSE latency_ms END,
                         outcome = COALESCE(outcome, $2)
                     WHERE id = $1 RETURNING id",
                )
                .bind(id)
                .bind(outcome.kind.as_str())
                .bind(outcome.answer_json.as_deref())
                .bind(outcome.error.as_deref())
                .bind($to_column(outcome.finished_at))
                .bind(outcome.latency_ms)
                .fetch_optional(self.conn()?)
                .await
                .exec()?;
                match exists {
                    Some(_) => Ok(()),
                    None => Err(StoreError::NotFound(format!("command {id}")).into()),
                }
            }

            async fn set_command_transaction(&mut self, id: i64, transaction: TransactionId) -> ExecResult<()> {
                let exists: Option<i64> =
                    ::sqlx::query_scalar("UPDATE commands SET transaction_id = $2 WHERE id = $1 RETURNING id")
                        .bind(id)
                        .bind(transaction.0)
                        .fetch_optional(self.conn()?)
                        .await
                        .exec()?;
                match exists {
                    Some(_) => Ok(()),
                    None => Err(StoreError::NotFound(format!("command {id}")).into()),
                }
            }

            async fn log_messages(&mut self, messages: &[LoggedMessage]) -> ExecResult<()> {
                // Seven parameters a row: 1,000 rows stay well under SQLite's 32,766 and PostgreSQL's 65,535.
                for chunk in messages.chunks(1000) {
                    let mut q = ::sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO message_log (station_id, at, direction, message_type, message_id, action, text) ",
                    );
                    q.push_values(chunk, |mut row, m| {
                        row.push_bind(m.station_id.as_str())
                            .push_bind($to_column(m.at))
                            .push_bind(m.direction.as_str())
                            .push_bind(i64::from(m.message_type))
                            .push_bind(m.message_id.as_str())
                            .push_bind(m.action.as_deref())
                            .push_bind(m.text.as_str());
                    });
                    // A statement of a thousand rows, and one for each size of the last chunk: caching them would
                    // only churn the statement cache.
                    q.build().persistent(false).execute(self.conn()?).await.exec()?;
                }
                Ok(())
            }

            async fn purge_messages(&mut self, before: Timestamp) -> ExecResult<u64> {
                let done = ::sqlx::query("DELETE FROM message_log WHERE at < $1")
                    .bind($to_column(before))
                    .execute(self.conn()?)
                    .await
                    .exec()?;
                Ok(done.rows_affected())
            }

            async fn store_configuration(
                &mut self,
                station: &StationId,
                keys: &[ConfigKey],
                read_at: Timestamp,
            ) -> ExecResult<()> {
                if keys.is_empty() {
                    // Nothing to insert, so no foreign key to say the station is missing.
                    return station_exists(self, station).await;
                }
                for k in keys {
                    ::sqlx::query(
                        "INSERT INTO station_configuration (station_id, key, value, readonly, read_at)
                         VALUES ($1, $2, $3, $4, $5)
                         ON CONFLICT (station_id, key) DO UPDATE SET
                             value = excluded.value, readonly = excluded.readonly, read_at = excluded.read_at",
                    )
                    .bind(station.as_str())
                    .bind(k.key.as_str())
                    .bind(k.value.as_deref())
                    .bind(k.readonly)
                    .bind($to_column(read_at))
                    .execute(self.conn()?)
                    .await
                    .exec()?;
                }
                Ok(())
            }

            async fn set_configuration_value(
                &mut self,
                station: &StationId,
                key: &str,
                value: &str,
                at: Timestamp,
            ) -> ExecResult<()> {
                ::sqlx::query(
                    "INSERT INTO station_configuration (station_id, key, value, readonly, changed_at)
                     VALUES ($1, $2, $3, false, $4)
                     ON CONFLICT (station_id, key) DO UPDATE SET value = excluded.value, changed_at = excluded.changed_at",
                )
                .bind(station.as_str())
                .bind(key)
                .bind(value)
                .bind($to_column(at))
                .execute(self.conn()?)
                .await
                .exec()?;
                Ok(())
            }

            async fn set_operator_defaults(
                &mut self,
                operator: OperatorId,
                defaults: &[(String, String)],
            ) -> ExecResult<()> {
                let exists: Option<i64> = ::sqlx::query_scalar("SELECT id FROM operators WHERE id = $1")
                    .bind(operator.0)
                    .fetch_optional(self.conn()?)
                    .await
                    .exec()?;
                if exists.is_none() {
                    return Err(StoreError::NotFound(format!("operator {operator}")).into());
                }
                ::sqlx::query("DELETE FROM operator_defaults WHERE operator_id = $1")
                    .bind(operator.0)
                    .execute(self.conn()?)
                    .await
                    .exec()?;
                for (position, (key, value)) in (0_i64..).zip(defaults) {
                    // A key given twice breaks the primary key: Conflict, and the old list stays.
                    ::sqlx::query(
                        "INSERT INTO operator_defaults (operator_id, position, key, value) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(operator.0)
                    .bind(position)
                    .bind(key.as_str())
                    .bind(value.as_str())
                    .execute(self.conn()?)
                    .await
                    .exec()?;
                }
                Ok(())
            }

            async fn record_default_result(
                &mut self,
                station: &StationId,
                key: &str,
                value: &str,
                result: &str,
                at: Timestamp,
            ) -> ExecResult<()> {
                ::sqlx::query(
                    "INSERT INTO default_results (station_id, key, value, result, at) VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (station_id, key) DO UPDATE SET
                         value = excluded.value, result = excluded.result, at = excluded.at",
                )
                .bind(station.as_str())
                .bind(key)
                .bind(value)
                .bind(result)
                .bind($to_column(at))
                .execute(self.conn()?)
                .await
                .exec()?;
                Ok(())
            }

            async fn create_api_token(&mut self, token: &NewApiToken) -> ExecResult<ApiToken> {
                let row = ::sqlx::query(
                    "INSERT INTO api_tokens (operator_id, role, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT DO NOTHING RETURNING *",
                )
                .bind(token.operator_id.0)
                .bind(token.role.as_str())
                .bind(token.name.as_str())
                .bind(token.token_hash.as_str())
                .bind($to_column(token.created_at))
                .fetch_optional(self.conn()?)
                .await
                .exec()?;
                match row {
                    Some(row) => Ok(backend::api_token(&Cols(&row))?),
                    None => {
                        let what = format!("operator {} already has a token named {:?}", token.operator_id, token.name);
                        Err(StoreError::Conflict(what).into())
                    }
                }
            }

            async fn revoke_api_token(&mut self, id: i64, at: Timestamp) -> ExecResult<()> {
                stamp(
                    self,
                    "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING id",
                    id,
                    at,
                    "api token",
                )
                .await
            }

            async fn touch_api_token(&mut self, id: i64, at: Timestamp) -> ExecResult<()> {
                stamp(
                    self,
                    "UPDATE api_tokens SET
                         last_used_at = CASE WHEN last_used_at IS NULL OR last_used_at < $2 THEN $2 ELSE last_used_at END
                     WHERE id = $1 RETURNING id",
                    id,
                    at,
                    "api token",
                )
                .await
            }

            async fn create_account(&mut self, account: &NewAccount) -> ExecResult<Account> {
                // A missing operator breaks the foreign key (NotFound); a taken address inserts nothing.
                let row = ::sqlx::query(
                    "INSERT INTO accounts (email, name, role, operator_id, owner_kind, company_number, password_hash,
                         created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                     ON CONFLICT (email) DO NOTHING RETURNING *",
                )
                .bind(account.email.as_str())
                .bind(account.name.as_str())
                .bind(account.role.as_str())
                .bind(account.operator_id.map(|o| o.0))
                .bind(account.owner_kind.map(|k| k.as_str()))
                .bind(account.company_number.as_deref())
                .bind(account.password_hash.as_str())
                .bind($to_column(account.created_at))
                .fetch_optional(self.conn()?)
                .await
                .exec()?;
                match row {
                    Some(row) => Ok(backend::account(&Cols(&row))?),
                    None => Err(StoreError::Conflict(format!("an account with e-mail {} exists", account.email)).into()),
                }
            }

            async fn approve_account(
                &mut self,
                id: AccountId,
                by: Option<AccountId>,
                at: Timestamp,
            ) -> ExecResult<Account> {
                // An approved account keeps its first approval (SET reads the row's values before the update).
                let row = ::sqlx::query(
                    "UPDATE accounts SET
                         approved_by = CASE WHEN approved_at IS NULL THEN $2 ELSE approved_by END,
                         approved_at = COALESCE(approved_at, $3)
                     WHERE id = $1 RETURNING *",
                )
                .bind(id.0)
                .bind(by.map(|b| b.0))
                .bind($to_column(at))
                .fetch_optional(self.conn()?)
                .await
                .exec()?;
                account_row(row, id)
            }

            async fn set_account_password(&mut self, id: AccountId, password_hash: &str) -> ExecResult<()> {
                let exists: Option<i64> =
                    ::sqlx::query_scalar("UPDATE accounts SET password_hash = $2 WHERE id = $1 RETURNING id")
                        .bind(id.0)
                        .bind(password_hash)
                        .fetch_optional(self.conn()?)
                        .await
                        .exec()?;
                match exists {
                    Some(_) => Ok(()),
                    None => Err(StoreError::NotFound(format!("account {id}")).into()),
                }
            }

            async fn set_account_disabled(
                &mut self,
                id: AccountId,
                disabled: bool,
                at: Timestamp,
            ) -> ExecResult<Account> {
                let row = if disabled {
                    // A disabled account keeps the time it was first disabled.
                    ::sqlx::query("UPDATE accounts SET disabled_at = COALESCE(disabled_at, $2) WHERE id = $1 RETURNING *")
                        .bind(id.0)
                        .bind($to_column(at))
                        .fetch_optional(self.conn()?)
                        .await
                        .exec()?
                } else {
                    ::sqlx::query("UPDATE accounts SET disabled_at = NULL WHERE id = $1 RETURNING *")
                        .bind(id.0)
                        .fetch_optional(self.conn()?)
                        .await
                        .exec()?
                };
                account_row(row, id)
            }

            async fn create_login(&mut self, login: &NewLogin) -> ExecResult<Login> {
                // A missing account breaks the foreign key (NotFound); a taken hash inserts nothing.
                let id: Option<i64> = ::sqlx::query_scalar(
                    "INSERT INTO logins (account_id, token_hash, created_at, expires_at, remote)
                     VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (token_hash) DO NOTHING RETURNING id",
                )
                .bind(login.account_id.0)
                .bind(login.token_hash.as_str())
                .bind($to_column(login.created_at))
                .bind($to_column(login.expires_at))
                .bind(login.remote.as_deref())
                .fetch_optional(self.conn()?)
                .await
                .exec()?;
                let Some(id) = id else {
                    return Err(StoreError::Conflict("a login with this hash exists".into()).into());
                };
                let row = ::sqlx::query(
                    "SELECT accounts.*, logins.id AS login_id, logins.created_at AS login_created_at,
                         logins.expires_at AS login_expires_at, logins.revoked_at AS login_revoked_at,
                         logins.last_used_at AS login_last_used_at
                     FROM logins JOIN accounts ON accounts.id = logins.account_id
                     WHERE logins.id = $1",
                )
                .bind(id)
                .fetch_one(self.conn()?)
                .await
                .exec()?;
                Ok(backend::login(&Cols(&row))?)
            }

            async fn revoke_login(&mut self, id: i64, at: Timestamp) -> ExecResult<()> {
                stamp(
                    self,
                    "UPDATE logins SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING id",
                    id,
                    at,
                    "login",
                )
                .await
            }

            async fn touch_login(&mut self, id: i64, at: Timestamp) -> ExecResult<()> {
                stamp(
                    self,
                    "UPDATE logins SET
                         last_used_at = CASE WHEN last_used_at IS NULL OR last_used_at < $2 THEN $2 ELSE last_used_at END
                     WHERE id = $1 RETURNING id",
                    id,
                    at,
                    "login",
                )
                .await
            }

            async fn revoke_logins_of(&mut self, account: AccountId, at: Timestamp) -> ExecResult<u64> {
                let exists: Option<i64> = ::sqlx::query_scalar("SELECT id FROM accounts WHERE id = $1")
                    .bind(account.0)
                    .fetch_optional(self.conn()?)
                    .await
                    .exec()?;
                if exists.is_none() {
                    return Err(StoreError::NotFound(format!("account {account}")).into());
                }
                let done = ::sqlx::query(
                    "UPDATE logins SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL AND expires_at > $2",
                )
                .bind(account.0)
                .bind($to_column(at))
                .execute(self.conn()?)
                .await
                .exec()?;
                Ok(done.rows_affected())
            }

            async fn record_audit(&mut self, entry: &AuditEntry) -> ExecResult<i64> {
                let id: i64 = ::sqlx::query_scalar(
                    "INSERT INTO audit_log (at, actor, operator_id, action, subject, before_json, after_json)
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind($to_column(entry.at))
                .bind(entry.actor.as_str())
                .bind(entry.operator_id.map(|o| o.0))
                .bind(entry.action.as_str())
                .bind(entry.subject.as_str())
                .bind(entry.before.as_deref())
                .bind(entry.after.as_deref())
                .fetch_one(self.conn()?)
                .await
                .exec()?;
                Ok(id)
            }


            async fn create_activation_code(&mut self, code: &NewActivationCode) -> ExecResult<ActivationCodeRecord> {
                // A missing station breaks the foreign key (NotFound).
                let row = ::sqlx::query(
                    "INSERT INTO activation_codes (station_id, mac, code_hash, created_at, created_by)
                     VALUES ($1, $2, $3, $4, $5) RETURNING *",
                )
                .bind(code.station_id.as_str())
                .bind(code.mac.as_str())
                .bind(code.code_hash.as_str())
                .bind($to_column(code.created_at))
                .bind(code.created_by.as_str())
                .fetch_one(self.conn()?)
                .await
                .exec()?;
                Ok(backend::activation_code(&Cols(&row))?)
            }

            async fn use_activation_code(&mut self, id: i64, by: AccountId, at: Timestamp) -> ExecResult<Installation> {
                // Compare-and-set: only an unused code is marked, so two claims with one code cannot both win.
                // A missing account breaks the foreign key (NotFound).
                let station: Option<String> = ::sqlx::query_scalar(
                    "UPDATE activation_codes SET used_at = $2, used_by = $3
                     WHERE id = $1 AND used_at IS NULL RETURNING station_id",
                )
                .bind(id)
                .bind($to_column(at))
                .bind(by.0)
                .fetch_optional(self.conn()?)
                .await
                .exec()?;
                let Some(station) = station else {
                    let exists: Option<i64> = ::sqlx::query_scalar("SELECT id FROM activation_codes WHERE id = $1")
                        .bind(id)
                        .fetch_optional(self.conn()?)
                        .await
                        .exec()?;
                    return Err(match exists {
                        Some(_) => StoreError::Conflict(format!("activation code {id} is used")),
                        None => StoreError::NotFound(format!("activation code {id}")),
                    }
                    .into());
                };
                let station = StationId::parse(&station)
                    .map_err(|e| StoreError::Corrupt(format!("column station_id: {e}")))?;
                ensure_installation(self, &station, at).await?;
                ::sqlx::query(
                    "UPDATE installations SET claimed_by = $2, claimed_at = $3, updated_at = $3 WHERE station_id = $1",
                )
                .bind(station.as_str())
                .bind(by.0)
                .bind($to_column(at))
                .execute(self.conn()?)
                .await
                .exec()?;
                installation_row(self, &station).await
            }

            async fn set_pinpointing(
                &mut self,
                station: &StationId,
                p: &Pinpointing,
                override_serial_lock: bool,
                at: Timestamp,
            ) -> ExecResult<Installation> {
                ensure_installation(self, station, at).await?;
                // A locked serial number changes only with the override; the condition sits in the UPDATE, so
                // a lock committed by a parallel writer is seen.
                let done = ::sqlx::query(
                    "UPDATE installations SET lat = $2, lon = $3, accuracy_m = $4, vendor = $5, model = $6,
                         serial_number = $7, street = $8, house_number = $9, postal_code = $10, city = $11,
                         region = $12, country = $13, time_zone = $14, parking_spot = $15, directions = $16,
                         updated_at = $17
                     WHERE station_id = $1
                       AND (serial_locked_at IS NULL OR $18 OR serial_number IS NOT DISTINCT FROM $7)",
                )
                .bind(station.as_str())
                .bind(p.lat)
                .bind(p.lon)
                .bind(p.accuracy_m)
                .bind(p.vendor.as_deref())
                .bind(p.model.as_deref())
                .bind(p.serial_number.as_deref())
                .bind(p.street.as_deref())
                .bind(p.house_number.as_deref())
                .bind(p.postal_code.as_deref())
                .bind(p.city.as_deref())
                .bind(p.region.as_deref())
                .bind(p.country.as_deref())
                .bind(p.time_zone.as_deref())
                .bind(p.parking_spot.as_deref())
                .bind(p.directions.as_deref())
                .bind($to_column(at))
                .bind(override_serial_lock)
                .execute(self.conn()?)
                .await
                .exec()?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::Conflict(format!("the serial number of station {station} is locked")).into());
                }
                installation_row(self, station).await
            }

            async fn lock_installation_serial(&mut self, station: &StationId, at: Timestamp) -> ExecResult<Installation> {
                ensure_installation(self, station, at).await?;
                ::sqlx::query(
                    "UPDATE installations SET serial_locked_at = COALESCE(serial_locked_at, $2),
                         updated_at = CASE WHEN serial_locked_at IS NULL THEN $2 ELSE updated_at END
                     WHERE station_id = $1",
                )
                .bind(station.as_str())
                .bind($to_column(at))
                .execute(self.conn()?)
                .await
                .exec()?;
                installation_row(self, station).await
            }

            async fn set_installation_photo(
                &mut self,
                station: &StationId,
                photo: &[u8],
                content_type: &str,
                orientation: Option<u16>,
                at: Timestamp,
            ) -> ExecResult<Installation> {
                if photo.len() > $crate::MAX_PHOTO_BYTES {
                    return Err(StoreError::Conflict(format!(
                        "a photo of {} bytes is over the limit of {} bytes",
                        photo.len(),
                        $crate::MAX_PHOTO_BYTES
                    ))
                    .into());
                }
                ensure_installation(self, station, at).await?;
                ::sqlx::query(
                    "UPDATE installations SET photo = $2, photo_type = $3, photo_at = $4, updated_at = $4,
                         photo_orientation = $5
                     WHERE station_id = $1",
                )
                .bind(station.as_str())
                .bind(photo)
                .bind(content_type)
                .bind($to_column(at))
                .bind(orientation.map(i64::from))
                .execute(self.conn()?)
                .await
                .exec()?;
                installation_row(self, station).await
            }

            async fn create_activation_request(
                &mut self,
                request: &NewActivationRequest,
            ) -> ExecResult<ActivationRequest> {
                // A missing operator or owner breaks a foreign key (NotFound).
                let f = &request.form;
                let a = &f.address;
                let features = encode_features(&f.features);
                let row = ::sqlx::query(
                    "INSERT INTO activation_requests (operator_id, owner_id, customer_number, charge_points,
                         controller_number, installation_type, features, street, house_number, postal_code, city,
                         country, region, network, notes, state, requested_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING *",
                )
                .bind(request.operator_id.0)
                .bind(request.owner_id.0)
                .bind(f.customer_number.as_str())
                .bind(encode_charge_points(&f.charge_points))
                .bind(f.controller_number.as_deref())
                .bind(f.installation_type.as_str())
                .bind(features)
                .bind(a.street())
                .bind(a.house_number())
                .bind(a.postal_code())
                .bind(a.city())
                .bind(a.country().as_str())
                .bind(a.region())
                .bind(f.network.as_str())
                .bind(f.notes.as_deref())
                .bind(ActivationState::Requested.as_str())
                .bind($to_column(request.requested_at))
                .fetch_one(self.conn()?)
                .await
                .exec()?;
                Ok(backend::activation_request(&Cols(&row))?)
            }

            async fn set_activation_state(
                &mut self,
                id: ActivationRequestId,
                from: ActivationState,
                to: ActivationState,
                reason: Option<&str>,
                by: &str,
                at: Timestamp,
            ) -> ExecResult<ActivationRequest> {
                let row = ::sqlx::query(
                    "UPDATE activation_requests SET state = $3, reason = $4, updated_at = $5, updated_by = $6
                     WHERE id = $1 AND state = $2 RETURNING *",
                )
                .bind(id.0)
                .bind(from.as_str())
                .bind(to.as_str())
                .bind(reason)
                .bind($to_column(at))
                .bind(by)
                .fetch_optional(self.conn()?)
                .await
                .exec()?;
                if let Some(row) = row {
                    return Ok(backend::activation_request(&Cols(&row))?);
                }
                let now: Option<String> = ::sqlx::query_scalar("SELECT state FROM activation_requests WHERE id = $1")
                    .bind(id.0)
                    .fetch_optional(self.conn()?)
                    .await
                    .exec()?;
                match now {
                    Some(state) => Err(StoreError::Conflict(format!(
                        "activation request {id} is {state}, not {from}"
                    ))
                    .into()),
                    None => Err(StoreError::NotFound(format!("activation request {id}")).into()),
                }
            }

            async fn record_notification(
                &mut self,
                account: AccountId,
                kind: &str,
                text: &str,
                at: Timestamp,
            ) -> ExecResult<Notification> {
                // A missing account breaks the foreign key (NotFound).
                let row = ::sqlx::query(
                    "INSERT INTO notifications (account_id, kind, text, created_at) VALUES ($1, $2, $3, $4)
                     RETURNING *",
                )
                .bind(account.0)
                .bind(kind)
                .bind(text)
                .bind($to_column(at))
                .fetch_one(self.conn()?)
                .await
                .exec()?;
                Ok(backend::notification(&Cols(&row))?)
            }

            async fn mark_notification_read(&mut self, account: AccountId, id: i64, at: Timestamp) -> ExecResult<()> {
                let found: Option<i64> = ::sqlx::query_scalar(
                    "UPDATE notifications SET read_at = COALESCE(read_at, $3) WHERE id = $1 AND account_id = $2
                     RETURNING id",
                )
                .bind(id)
                .bind(account.0)
                .bind($to_column(at))
                .fetch_optional(self.conn()?)
                .await
                .exec()?;
                match found {
                    Some(_) => Ok(()),
                    None => Err(StoreError::NotFound(format!("notification {id} of account {account}")).into()),
                }
            }


            async fn set_station_model(
                &mut self,
                operator: OperatorId,
                model: &KnownModel,
                by: &str,
                at: Timestamp,
            ) -> ExecResult<$crate::CatalogModel> {
                // The operator's row is checked first so that a missing operator is NotFound on both
                // backends (SQLite reports a foreign key failure without naming it).
                let exists: Option<i64> = ::sqlx::query_scalar("SELECT id FROM operators WHERE id = $1")
                    .bind(operator.0)
                    .fetch_optional(self.conn()?)
                    .await
                    .exec()?;
                if exists.is_none() {
                    return Err(StoreError::NotFound(format!("operator {operator}")).into());
                }
                let row = ::sqlx::query(
                    "INSERT INTO station_models (operator_id, match_key, vendor, model, min_firmware, updated_at,
                         updated_by)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)
                     ON CONFLICT (operator_id, match_key) DO UPDATE SET vendor = excluded.vendor,
                         model = excluded.model, min_firmware = excluded.min_firmware,
                         updated_at = excluded.updated_at, updated_by = excluded.updated_by
                     RETURNING *",
                )
                .bind(operator.0)
                .bind(model.key())
                .bind(model.vendor.as_str())
                .bind(model.model.as_str())
                .bind(model.min_firmware.as_ref().map(|f| f.as_str().to_string()))
                .bind($to_column(at))
                .bind(by)
                .fetch_one(self.conn()?)
                .await
                .exec()?;
                Ok(backend::catalog_model(&Cols(&row))?)
            }

            async fn delete_station_model(&mut self, operator: OperatorId, key: &str) -> ExecResult<()> {
                let done = ::sqlx::query("DELETE FROM station_models WHERE operator_id = $1 AND match_key = $2")
                    .bind(operator.0)
                    .bind(key)
                    .execute(self.conn()?)
                    .await
                    .exec()?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound(format!("no such model in the catalog of operator {operator}")).into());
                }
                Ok(())
            }


            async fn set_operator_settings(
                &mut self,
                operator: OperatorId,
                settings: &OperatorSettings,
                at: Timestamp,
            ) -> ExecResult<OperatorSettings> {
                // An unknown operator breaks the foreign key: NotFound.
                let row = ::sqlx::query(
                    "INSERT INTO operator_settings (operator_id, service_level_days, offline_after_minutes, updated_at)
                     VALUES ($1, $2, $3, $4)
                     ON CONFLICT (operator_id) DO UPDATE SET service_level_days = excluded.service_level_days,
                         offline_after_minutes = excluded.offline_after_minutes, updated_at = excluded.updated_at
                     RETURNING service_level_days, offline_after_minutes",
                )
                .bind(operator.0)
                .bind(i64::from(settings.service_level_days()))
                .bind(i64::from(settings.offline_after_minutes()))
                .bind($to_column(at))
                .fetch_one(self.conn()?)
                .await
                .exec()?;
                Ok(backend::operator_settings(&Cols(&row))?)
            }

            async fn set_station_owner(&mut self, id: &StationId, owner: Option<AccountId>) -> ExecResult<Station> {
                // An unknown account breaks the foreign key: NotFound.
                let row = ::sqlx::query("UPDATE stations SET owner_id = $2 WHERE id = $1 RETURNING *")
                    .bind(id.as_str())
                    .bind(owner.map(|o| o.0))
                    .fetch_optional(self.conn()?)
                    .await
                    .exec()?;
                station_row(row, id)
            }

            async fn mark_out_of_service(
                &mut self,
                id: &StationId,
                quiet_since: Timestamp,
                at: Timestamp,
            ) -> ExecResult<bool> {
                // The compare-and-set: of two sweeps (or two nodes) deciding at once, one marks the station;
                // a station activated no more, or that connected after the silence the caller measured, is
                // left alone.
                let marked: Option<String> = ::sqlx::query_scalar(
                    "UPDATE stations SET out_of_service_since = $2
                     WHERE id = $1 AND out_of_service_since IS NULL AND state IN ($4, $5)
                       AND (connected_at IS NULL OR connected_at <= $3)
                     RETURNING id",
                )
                .bind(id.as_str())
                .bind($to_column(at))
                .bind($to_column(quiet_since))
                .bind(StationState::Active.as_str())
                .bind(StationState::Verified.as_str())
                .fetch_optional(self.conn()?)
                .await
                .exec()?;
                if marked.is_some() {
                    return Ok(true);
                }
                let exists: Option<String> = ::sqlx::query_scalar("SELECT id FROM stations WHERE id = $1")
                    .bind(id.as_str())
                    .fetch_optional(self.conn()?)
                    .await
                    .exec()?;
                match exists {
                    Some(_) => Ok(false),
                    None => Err(StoreError::NotFound(format!("station {id}")).into()),
                }
            }

            async fn clear_out_of_service(&mut self, id: &StationId) -> ExecResult<Option<Timestamp>> {
                let row = ::sqlx::query("SELECT out_of_service_since FROM stations WHERE id = $1")
                    .bind(id.as_str())
                    .fetch_optional(self.conn()?)
                    .await
                    .exec()?;
                let Some(row) = row else {
                    return Err(StoreError::NotFound(format!("station {id}")).into());
                };
                let Some(since) = Cols(&row).opt_time("out_of_service_since")? else {
                    return Ok(None);
                };
                // Compare-and-set on the mark that was read: a concurrent clear (PostgreSQL re-checks the
                // condition once the other writer commits) leaves nothing for this one, which then answers
                // `None`, so "back in service" is told once.
                let cleared = ::sqlx::query(
                    "UPDATE stations SET out_of_service_since = NULL WHERE id = $1 AND out_of_service_since = $2",
                )
                .bind(id.as_str())
                .bind($to_column(since))
                .execute(self.conn()?)
                .await
                .exec()?;
                Ok((cleared.rows_affected() == 1).then_some(since))
            }

            async fn create_backend(&mut self, backend: &$crate::NewBackend) -> ExecResult<$crate::Backend> {
                let row = ::sqlx::query(
                    "INSERT INTO backends (operator_id, name, ocpp_url, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $4) RETURNING *",
                )
                .bind(backend.operator_id.0)
                .bind(backend.name.as_str())
                .bind(backend.ocpp_url.as_str())
                .bind($to_column(backend.at))
                .fetch_one(self.conn()?)
                .await
                .exec()
                .map_err(|f| backend_name_taken(f, backend))?;
                Ok(backend::backend(&Cols(&row))?)
            }

            async fn update_backend(&mut self, id: i64, backend: &$crate::NewBackend) -> ExecResult<$crate::Backend> {
                let row = ::sqlx::query(
                    "UPDATE backends SET name = $3, ocpp_url = $4, updated_at = $5
                     WHERE id = $1 AND operator_id = $2 RETURNING *",
                )
                .bind(id)
                .bind(backend.operator_id.0)
                .bind(backend.name.as_str())
                .bind(backend.ocpp_url.as_str())
                .bind($to_column(backend.at))
                .fetch_optional(self.conn()?)
                .await
                .exec()
                .map_err(|f| backend_name_taken(f, backend))?;
                match row {
                    Some(row) => Ok(backend::backend(&Cols(&row))?),
                    None => Err(StoreError::NotFound(format!("backend {id} of operator {}", backend.operator_id)).into()),
                }
            }

            async fn delete_backend(&mut self, operator: OperatorId, id: i64) -> ExecResult<()> {
                let found: Option<i64> =
                    ::sqlx::query_scalar("DELETE FROM backends WHERE id = $1 AND operator_id = $2 RETURNING id")
                        .bind(id)
                        .bind(operator.0)
                        .fetch_optional(self.conn()?)
                        .await
                        .exec()?;
                match found {
                    Some(_) => Ok(()),
                    None => Err(StoreError::NotFound(format!("backend {id} of operator {operator}")).into()),
                }
            }

            async fn put_provisioning_profile(
                &mut self,
                profile: &$crate::ProvisioningProfile,
            ) -> ExecResult<$crate::ProvisioningProfile> {
                use $crate::ProvisioningMethod as M;
                let (key, dt_vendor, dt_message) = match &profile.method {
                    M::ConfigurationKey { key } => (Some(key.as_str()), None, None),
                    M::DataTransfer { vendor_id, message_id } => (None, Some(vendor_id.as_str()), message_id.as_deref()),
                };
                // A missing operator breaks the foreign key (NotFound).
                let row = ::sqlx::query(
                    "INSERT INTO provisioning_profiles (operator_id, vendor_key, vendor, method, config_key,
                         dt_vendor_id, dt_message_id, append_station_id, reset, updated_at, updated_by)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                     ON CONFLICT (operator_id, vendor_key) DO UPDATE SET vendor = excluded.vendor,
                         method = excluded.method, config_key = excluded.config_key,
                         dt_vendor_id = excluded.dt_vendor_id, dt_message_id = excluded.dt_message_id,
                         append_station_id = excluded.append_station_id, reset = excluded.reset,
                         updated_at = excluded.updated_at, updated_by = excluded.updated_by
                     RETURNING *",
                )
                .bind(profile.operator_id.0)
                .bind(profile.vendor_key())
                .bind(profile.vendor.as_str())
                .bind(profile.method.kind())
                .bind(key)
                .bind(dt_vendor)
                .bind(dt_message)
                .bind(profile.append_station_id)
                .bind(profile.reset.as_str())
                .bind($to_column(profile.updated_at))
                .bind(profile.updated_by.as_str())
                .fetch_one(self.conn()?)
                .await
                .exec()?;
                Ok(backend::provisioning_profile(&Cols(&row))?)
            }

            async fn delete_provisioning_profile(&mut self, operator: OperatorId, vendor_key: &str) -> ExecResult<()> {
                let found: Option<String> = ::sqlx::query_scalar(
                    "DELETE FROM provisioning_profiles WHERE operator_id = $1 AND vendor_key = $2 RETURNING vendor_key",
                )
                .bind(operator.0)
                .bind(vendor_key)
                .fetch_optional(self.conn()?)
                .await
                .exec()?;
                match found {
                    Some(_) => Ok(()),
                    None => Err(StoreError::NotFound(format!(
                        "provisioning profile for vendor {vendor_key:?} of operator {operator}"
                    ))
                    .into()),
                }
            }

            async fn create_handover(&mut self, handover: &$crate::NewHandover) -> ExecResult<$crate::Handover> {
                // The partial unique index handovers_one_open allows one open handover per station, whichever
                // writer (or process) inserts first.
                let row = ::sqlx::query(
                    "INSERT INTO handovers (station_id, operator_id, target_name, target_url, backend_id, state,
                         requested_by, requested_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING *",
                )
                .bind(handover.station_id.as_str())
                .bind(handover.operator_id.0)
                .bind(handover.target_name.as_str())
                .bind(handover.target_url.as_str())
                .bind(handover.backend_id)
                .bind($crate::HandoverState::Recorded.as_str())
                .bind(handover.requested_by.as_str())
                .bind($to_column(handover.requested_at))
                .fetch_one(self.conn()?)
                .await
                .exec()
                .map_err(|mut f| {
                    if matches!(f.error, StoreError::Conflict(_)) {
                        f.error = StoreError::Conflict(format!(
                            "station {} has a handover under way already",
                            handover.station_id
                        ));
                    }
                    f
                })?;
                Ok(backend::handover(&Cols(&row))?)
            }

            async fn set_handover_state(&mut self, change: &$crate::HandoverChange) -> ExecResult<$crate::Handover> {
                let finished = (!change.to.is_open()).then_some($to_column(change.at));
                let found: Option<i64> = ::sqlx::query_scalar(
                    "UPDATE handovers SET state = $3, detail = COALESCE($4, detail), updated_at = $5,
                         finished_at = COALESCE($6, finished_at)
                     WHERE id = $1 AND state = $2 RETURNING id",
                )
                .bind(change.id)
                .bind(change.from.as_str())
                .bind(change.to.as_str())
                .bind(change.detail.as_deref())
                .bind($to_column(change.at))
                .bind(finished)
                .fetch_optional(self.conn()?)
                .await
                .exec()?;
                if found.is_none() {
                    let now: Option<String> = ::sqlx::query_scalar("SELECT state FROM handovers WHERE id = $1")
                        .bind(change.id)
                        .fetch_optional(self.conn()?)
                        .await
                        .exec()?;
                    return Err(match now {
                        Some(state) => {
                            StoreError::Conflict(format!("handover {} is {state}, not {}", change.id, change.from))
                        }
                        None => StoreError::NotFound(format!("handover {}", change.id)),
                    }
                    .into());
                }
                if change.to == $crate::HandoverState::HandedOver {
                    // In the same transaction: a handed-over handover and a station still active must never
                    // be seen together (billing skips stations by their state).
                    ::sqlx::query(
                        "UPDATE stations SET state = $2 WHERE id = (SELECT station_id FROM handovers WHERE id = $1)",
                    )
                    .bind(change.id)
                    .bind(StationState::HandedOver.as_str())
                    .execute(self.conn()?)
                    .await
                    .exec()?;
                }
                let row = ::sqlx::query("SELECT * FROM handovers WHERE id = $1")
                    .bind(change.id)
                    .fetch_one(self.conn()?)
                    .await
                    .exec()?;
                let mut handover = backend::handover(&Cols(&row))?;
                let steps = ::sqlx::query("SELECT * FROM handover_steps WHERE handover_id = $1 ORDER BY id")
                    .bind(change.id)
                    .fetch_all(self.conn()?)
                    .await
                    .exec()?;
                for step in &steps {
                    handover.steps.push(backend::handover_step(&Cols(step))?);
                }
                Ok(handover)
            }

            async fn add_handover_step(&mut self, step: &$crate::NewHandoverStep) -> ExecResult<$crate::HandoverStep> {
                // A missing handover breaks the foreign key (NotFound).
                let row = ::sqlx::query(
                    "INSERT INTO handover_steps (handover_id, at, step, outcome, detail, command_id)
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING *",
                )
                .bind(step.handover_id)
                .bind($to_column(step.at))
                .bind(step.step.as_str())
                .bind(step.outcome.as_str())
                .bind(step.detail.as_deref())
                .bind(step.command_id)
                .fetch_one(self.conn()?)
                .await
                .exec()?;
                Ok(backend::handover_step(&Cols(&row))?)
            }

            async fn assign_station(&mut self, assignment: &$crate::Assignment) -> ExecResult<$crate::Assignment> {
                let row = ::sqlx::query(
                    "INSERT INTO station_assignments (station_id, operator_id, purchased_from, backend_id,
                         backend_name, assigned_by, assigned_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *",
                )
                .bind(assignment.station_id.as_str())
                .bind(assignment.operator_id.0)
                .bind(assignment.purchased_from.as_str())
                .bind(assignment.backend_id)
                .bind(assignment.backend_name.as_str())
                .bind(assignment.assigned_by.as_str())
                .bind($to_column(assignment.assigned_at))
                .fetch_one(self.conn()?)
                .await
                .exec()
                .map_err(|mut f| {
                    if matches!(f.error, StoreError::Conflict(_)) {
                        f.error =
                            StoreError::Conflict(format!("station {} is assigned already", assignment.station_id));
                    }
                    f
                })?;
                Ok(backend::assignment(&Cols(&row))?)
            }


            async fn create_tariff(&mut self, new: &$crate::NewTariff) -> ExecResult<$crate::TariffVersion> {
                let tariff_id: i64 = match new.tariff_id {
                    // An unknown operator breaks the foreign key: NotFound.
                    None => ::sqlx::query_scalar("INSERT INTO tariffs (operator_id, created_at) VALUES ($1, $2) RETURNING id")
                        .bind(new.operator_id.0)
                        .bind($to_column(new.at))
                        .fetch_one(self.conn()?)
                        .await
                        .exec()?,
                    Some(id) => {
                        let found: Option<i64> =
                            ::sqlx::query_scalar("SELECT id FROM tariffs WHERE id = $1 AND operator_id = $2")
                                .bind(id)
                                .bind(new.operator_id.0)
                                .fetch_optional(self.conn()?)
                                .await
                                .exec()?;
                        found.ok_or_else(|| {
                            StoreError::NotFound(format!("tariff {id} of operator {}", new.operator_id))
                        })?
                    }
                };
                // The next version number; two writers racing for it collide on the primary key (Conflict).
                let row = ::sqlx::query(
                    "INSERT INTO tariff_versions (tariff_id, version, name, valid_from, body, created_at, created_by)
                     SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4, $5, $6 FROM tariff_versions WHERE tariff_id = $1
                     RETURNING *",
                )
                .bind(tariff_id)
                .bind(new.name.as_str())
                .bind($to_column(new.valid_from))
                .bind($crate::encode_body(&new.body))
                .bind($to_column(new.at))
                .bind(new.by.as_str())
                .fetch_one(self.conn()?)
                .await
                .exec()?;
                Ok(backend::tariff_version(&Cols(&row), new.operator_id)?)
            }

            async fn set_tariff_assignment(
                &mut self,
                operator: OperatorId,
                target: &TariffTarget,
                tariff: Option<i64>,
                at: Timestamp,
            ) -> ExecResult<()> {
                let station = target.station.as_ref().map(|s| s.as_str().to_string()).unwrap_or_default();
                let connector = i64::from(target.connector.unwrap_or(0));
                let group = target.group.unwrap_or(0);
                match tariff {
                    Some(tariff) => {
                        // Only the operator's own tariff can be assigned: the SELECT finds no row otherwise.
                        let done: Option<i64> = ::sqlx::query_scalar(
                            "INSERT INTO tariff_assignments (operator_id, station_id, connector_id, group_id, tariff_id, updated_at)
                             SELECT $1, $2, $3, $4, id, $6 FROM tariffs WHERE id = $5 AND operator_id = $1
                             ON CONFLICT (operator_id, station_id, connector_id, group_id)
                             DO UPDATE SET tariff_id = excluded.tariff_id, updated_at = excluded.updated_at
                             RETURNING tariff_id",
                        )
                        .bind(operator.0)
                        .bind(station)
                        .bind(connector)
                        .bind(group)
                        .bind(tariff)
                        .bind($to_column(at))
                        .fetch_optional(self.conn()?)
                        .await
                        .exec()?;
                        match done {
                            Some(_) => Ok(()),
                            None => Err(StoreError::NotFound(format!("tariff {tariff} of operator {operator}")).into()),
                        }
                    }
                    None => {
                        let done: Option<i64> = ::sqlx::query_scalar(
                            "DELETE FROM tariff_assignments
                             WHERE operator_id = $1 AND station_id = $2 AND connector_id = $3 AND group_id = $4
                             RETURNING tariff_id",
                        )
                        .bind(operator.0)
                        .bind(station)
                        .bind(connector)
                        .bind(group)
                        .fetch_optional(self.conn()?)
                        .await
                        .exec()?;
                        match done {
                            Some(_) => Ok(()),
                            None => Err(StoreError::NotFound("no tariff is assigned there".into()).into()),
                        }
                    }
                }
            }

            async fn set_billing_settings(
                &mut self,
                operator: OperatorId,
                settings: &BillingSettings,
                at: Timestamp,
            ) -> ExecResult<()> {
                // An unknown operator breaks the foreign key: NotFound.
                ::sqlx::query(
                    "INSERT INTO billing_settings (operator_id, settings, updated_at) VALUES ($1, $2, $3)
                     ON CONFLICT (operator_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at",
                )
                .bind(operator.0)
                .bind($crate::encode_settings(settings))
                .bind($to_column(at))
                .execute(self.conn()?)
                .await
                .exec()?;
                Ok(())
            }

            async fn put_session_cost(&mut self, cost: &$crate::SessionCost) -> ExecResult<()> {
                // An unknown session breaks the foreign key: NotFound.
                ::sqlx::query(
                    "INSERT INTO session_costs (transaction_id, operator_id, tariff_id, tariff_version, currency, subtotal,
                         adjustment, net, vat_rate, vat, total, energy_wh, duration_secs, free_reason, items, computed_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
                     ON CONFLICT (transaction_id) DO UPDATE SET operator_id = excluded.operator_id,
                         tariff_id = excluded.tariff_id, tariff_version = excluded.tariff_version,
                         currency = excluded.currency, subtotal = excluded.subtotal, adjustment = excluded.adjustment,
                         net = excluded.net, vat_rate = excluded.vat_rate, vat = excluded.vat, total = excluded.total,
                         energy_wh = excluded.energy_wh, duration_secs = excluded.duration_secs,
                         free_reason = excluded.free_reason, items = excluded.items, computed_at = excluded.computed_at",
                )
                .bind(cost.transaction_id.0)
                .bind(cost.operator_id.0)
                .bind(cost.tariff.map(|t| t.0))
                .bind(cost.tariff.map(|t| t.1))
                .bind(cost.currency.as_str())
                .bind(cost.subtotal.to_string())
                .bind(cost.adjustment.to_string())
                .bind(cost.net.to_string())
                .bind(cost.vat_rate.to_string())
                .bind(cost.vat.to_string())
                .bind(cost.total.to_string())
                .bind(cost.energy_wh)
                .bind(cost.duration_secs)
                .bind(cost.free.map(|f| f.as_str()))
                .bind($crate::encode_items(&cost.items))
                .bind($to_column(cost.computed_at))
                .execute(self.conn()?)
                .await
                .exec()?;
                Ok(())
            }


            async fn create_driver(&mut self, driver: &$crate::NewDriver) -> ExecResult<$crate::Driver> {
                let row = ::sqlx::query(
                    "INSERT INTO drivers (operator_id, name, email, account_id, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $5) RETURNING *",
                )
                .bind(driver.operator_id.0)
                .bind(driver.name.as_str())
                .bind(driver.email.as_ref().map(|e| e.as_str()))
                .bind(driver.account_id.map(|a| a.0))
                .bind($to_column(driver.at))
                .fetch_one(self.conn()?)
                .await
                .exec()
                .map_err(|f| account_taken(f, driver))?;
                Ok(backend::driver(&Cols(&row), Vec::new())?)
            }

            async fn update_driver(
                &mut self,
                id: DriverId,
                driver: &$crate::NewDriver,
            ) -> ExecResult<$crate::Driver> {
                let row = ::sqlx::query(
                    "UPDATE drivers SET name = $3, email = $4, account_id = $5, updated_at = $6
                     WHERE id = $1 AND operator_id = $2 RETURNING *",
                )
                .bind(id.0)
                .bind(driver.operator_id.0)
                .bind(driver.name.as_str())
                .bind(driver.email.as_ref().map(|e| e.as_str()))
                .bind(driver.account_id.map(|a| a.0))
                .bind($to_column(driver.at))
                .fetch_optional(self.conn()?)
                .await
                .exec()
                .map_err(|f| account_taken(f, driver))?;
                let Some(row) = row else {
                    return Err(StoreError::NotFound(format!("driver {id} of operator {}", driver.operator_id)).into());
                };
                let groups: Vec<i64> =
                    ::sqlx::query_scalar("SELECT group_id FROM group_members WHERE driver_id = $1 ORDER BY group_id")
                        .bind(id.0)
                        .fetch_all(self.conn()?)
                        .await
                        .exec()?;
                Ok(backend::driver(&Cols(&row), groups)?)
            }

            async fn delete_driver(&mut self, operator: OperatorId, id: DriverId) -> ExecResult<()> {
                // Tokens keep existing without a driver (ON DELETE SET NULL), memberships go (CASCADE).
                let found: Option<i64> =
                    ::sqlx::query_scalar("DELETE FROM drivers WHERE id = $1 AND operator_id = $2 RETURNING id")
                        .bind(id.0)
                        .bind(operator.0)
                        .fetch_optional(self.conn()?)
                        .await
                        .exec()?;
                match found {
                    Some(_) => Ok(()),
                    None => Err(StoreError::NotFound(format!("driver {id} of operator {operator}")).into()),
                }
            }

            async fn create_group(
                &mut self,
                operator: OperatorId,
                name: &GroupName,
                at: Timestamp,
            ) -> ExecResult<$crate::DriverGroup> {
                let row = ::sqlx::query(
                    "INSERT INTO driver_groups (operator_id, name, created_at) VALUES ($1, $2, $3)
                     RETURNING id, operator_id, name, created_at, CAST(0 AS BIGINT) AS members",
                )
                .bind(operator.0)
                .bind(name.as_str())
                .bind($to_column(at))
                .fetch_one(self.conn()?)
                .await
                .exec()
                .map_err(|mut f| {
                    if matches!(f.error, StoreError::Conflict(_)) {
                        f.error = StoreError::Conflict(format!("the operator has a group named {:?} already", name.as_str()));
                    }
                    f
                })?;
                Ok(backend::driver_group(&Cols(&row))?)
            }

            async fn delete_group(&mut self, operator: OperatorId, id: GroupId) -> ExecResult<()> {
                let found: Option<i64> =
                    ::sqlx::query_scalar("DELETE FROM driver_groups WHERE id = $1 AND operator_id = $2 RETURNING id")
                        .bind(id.0)
                        .bind(operator.0)
                        .fetch_optional(self.conn()?)
                        .await
                        .exec()?;
                match found {
                    Some(_) => Ok(()),
                    None => Err(StoreError::NotFound(format!("group {id} of operator {operator}")).into()),
                }
            }

            async fn set_group_member(
                &mut self,
                operator: OperatorId,
                group: GroupId,
                driver: DriverId,
                member: bool,
            ) -> ExecResult<()> {
                let (groups, drivers): (i64, i64) = ::sqlx::query_as(
                    "SELECT (SELECT COUNT(*) FROM driver_groups WHERE id = $1 AND operator_id = $3),
                            (SELECT COUNT(*) FROM drivers WHERE id = $2 AND operator_id = $3)",
                )
                .bind(group.0)
                .bind(driver.0)
                .bind(operator.0)
                .fetch_one(self.conn()?)
                .await
                .exec()?;
                if groups == 0 {
                    return Err(StoreError::NotFound(format!("group {group} of operator {operator}")).into());
                }
                if drivers == 0 {
                    return Err(StoreError::NotFound(format!("driver {driver} of operator {operator}")).into());
                }
                let sql = if member {
                    "INSERT INTO group_members (group_id, driver_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
                } else {
                    "DELETE FROM group_members WHERE group_id = $1 AND driver_id = $2"
                };
                ::sqlx::query(sql).bind(group.0).bind(driver.0).execute(self.conn()?).await.exec()?;
                Ok(())
            }

            async fn set_token_driver(
                &mut self,
                operator: OperatorId,
                tag: &IdTag,
                driver: Option<DriverId>,
            ) -> ExecResult<()> {
                if let Some(driver) = driver {
                    let found: Option<i64> =
                        ::sqlx::query_scalar("SELECT id FROM drivers WHERE id = $1 AND operator_id = $2")
                            .bind(driver.0)
                            .bind(operator.0)
                            .fetch_optional(self.conn()?)
                            .await
                            .exec()?;
                    if found.is_none() {
                        return Err(StoreError::NotFound(format!("driver {driver} of operator {operator}")).into());
                    }
                }
                let done = ::sqlx::query("UPDATE id_tokens SET driver_id = $3 WHERE operator_id = $1 AND tag = $2")
                    .bind(operator.0)
                    .bind(tag.as_str())
                    .bind(driver.map(|d| d.0))
                    .execute(self.conn()?)
                    .await
                    .exec()?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound(format!("id token {tag} of operator {operator}")).into());
                }
                Ok(())
            }


            async fn set_access_rules(
                &mut self,
                station: &StationId,
                rules: &AccessRules,
                at: Timestamp,
            ) -> ExecResult<()> {

                // The station row first: it says NotFound, and it is the row every other write of the
                // station locks first (the batch's lock order).
                let found: Option<String> =
                    ::sqlx::query_scalar("UPDATE stations SET free_vend = $2 WHERE id = $1 RETURNING id")
                        .bind(station.as_str())
                        .bind(!rules.authorization_required)
                        .fetch_optional(self.conn()?)
                        .await
                        .exec()?;
                if found.is_none() {
                    return Err(StoreError::NotFound(format!("station {station}")).into());
                }
                ::sqlx::query(
                    "INSERT INTO station_access (station_id, mode, available_times, updated_at) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (station_id) DO UPDATE SET mode = excluded.mode,
                         available_times = excluded.available_times, updated_at = excluded.updated_at",
                )
                .bind(station.as_str())
                .bind(rules.mode.name())
                .bind(rules.available_times.as_ref().map(|t| t.to_string()))
                .bind($to_column(at))
                .execute(self.conn()?)
                .await
                .exec()?;
                for table in [
                    "DELETE FROM station_access_connectors WHERE station_id = $1",
                    "DELETE FROM station_access_admitted WHERE station_id = $1",
                    "DELETE FROM station_group_times WHERE station_id = $1",
                ] {
                    ::sqlx::query(table).bind(station.as_str()).execute(self.conn()?).await.exec()?;
                }
                let mut lists: Vec<(i64, &$crate::backend::sql::prelude::AccessMode)> = vec![(0, &rules.mode)];
                for c in &rules.connectors {
                    ::sqlx::query(
                        "INSERT INTO station_access_connectors (station_id, connector, mode, authorization_required)
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(station.as_str())
                    .bind(i64::from(c.connector.get()))
                    .bind(c.mode.as_ref().map(|m| m.name()))
                    .bind(c.authorization_required.map(i64::from))
                    .execute(self.conn()?)
                    .await
                    .exec()
                    .map_err(|mut f| {
                        if matches!(f.error, StoreError::Conflict(_)) {
                            f.error = StoreError::Conflict(format!("connector {} is given twice", c.connector.get()));
                        }
                        f
                    })?;
                    if let Some(mode) = &c.mode {
                        lists.push((i64::from(c.connector.get()), mode));
                    }
                }
                for (connector, mode) in lists {
                    let $crate::backend::sql::prelude::AccessMode::Limited { drivers, groups } = mode else { continue };
                    let entries = drivers.iter().map(|d| (Some(d.0), None)).chain(groups.iter().map(|g| (None, Some(g.0))));
                    for (driver, group) in entries {
                        ::sqlx::query(
                            "INSERT INTO station_access_admitted (station_id, connector, driver_id, group_id)
                             VALUES ($1, $2, $3, $4)",
                        )
                        .bind(station.as_str())
                        .bind(connector)
                        .bind(driver)
                        .bind(group)
                        .execute(self.conn()?)
                        .await
                        .exec()?;
                    }
                }
                for g in &rules.group_times {
                    ::sqlx::query("INSERT INTO station_group_times (station_id, group_id, times) VALUES ($1, $2, $3)")
                        .bind(station.as_str())
                        .bind(g.group.0)
                        .bind(g.times.to_string())
                        .execute(self.conn()?)
                        .await
                        .exec()
                        .map_err(|mut f| {
                            if matches!(f.error, StoreError::Conflict(_)) {
                                f.error = StoreError::Conflict(format!("group {} has times given twice", g.group));
                            }
                            f
                        })?;
                }
                Ok(())
            }


            async fn create_password_reset(&mut self, reset: &$crate::NewPasswordReset) -> ExecResult<()> {
                // An unknown account breaks the foreign key: NotFound.
                ::sqlx::query(
                    "INSERT INTO password_resets (account_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(reset.account_id.0)
                .bind(&reset.token_hash)
                .bind($to_column(reset.created_at))
                .bind($to_column(reset.expires_at))
                .execute(self.conn()?)
                .await
                .exec()?;
                Ok(())
            }

            async fn reset_password(&mut self, token_hash: &str, password_hash: &str, at: Timestamp) -> ExecResult<AccountId> {
                // Taking the link is the first statement: of two uses of one link in one batch, the second finds
                // it used (single use holds without a lock of our own).
                let account: Option<i64> = ::sqlx::query_scalar(
                    "UPDATE password_resets SET used_at = $2
                     WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING account_id",
                )
                .bind(token_hash)
                .bind($to_column(at))
                .fetch_optional(self.conn()?)
                .await
                .exec()?;
                let Some(account) = account.map(AccountId) else {
                    return Err(StoreError::NotFound("password reset link".into()).into());
                };
                // Older links mailed before this one die with it: a link seen by someone else is no way back in.
                ::sqlx::query("UPDATE password_resets SET used_at = $2 WHERE account_id = $1 AND used_at IS NULL")
                    .bind(account.0)
                    .bind($to_column(at))
                    .execute(self.conn()?)
                    .await
                    .exec()?;
                self.set_account_password(account, password_hash).await?;
                self.revoke_logins_of(account, at).await?;
                Ok(account)
            }


            async fn put_local_list_state(&mut self, state: &LocalListState, at: Timestamp) -> ExecResult<()> {
                let station = &state.station_id;
                // An unknown station breaks the foreign key: NotFound.
                ::sqlx::query(
                    "INSERT INTO local_list_sync (station_id, supported, station_version, sent_version, last_result,
                         last_detail, last_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                     ON CONFLICT (station_id) DO UPDATE SET supported = excluded.supported,
                         station_version = excluded.station_version, sent_version = excluded.sent_version,
                         last_result = excluded.last_result, last_detail = excluded.last_detail,
                         last_at = excluded.last_at, updated_at = excluded.updated_at",
                )
                .bind(station.as_str())
                .bind(state.supported.map(i64::from))
                .bind(state.station_version.map(i64::from))
                .bind(state.sent_version.map(i64::from))
                .bind(state.last_result.as_deref())
                .bind(state.last_detail.as_deref())
                .bind(state.last_at.map($to_column))
                .bind($to_column(at))
                .execute(self.conn()?)
                .await
                .exec()?;
                ::sqlx::query("DELETE FROM local_list_entries WHERE station_id = $1")
                    .bind(station.as_str())
                    .execute(self.conn()?)
                    .await
                    .exec()?;
                if state.sent_version.is_none() {
                    return Ok(());
                }
                for entry in &state.sent {
                    ::sqlx::query(
                        "INSERT INTO local_list_entries (station_id, tag, expires_at, parent) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(station.as_str())
                    .bind(entry.tag.as_str())
                    .bind(entry.expires_at.map($to_column))
                    .bind(entry.parent.as_ref().map(|p| p.as_str()))
                    .execute(self.conn()?)
                    .await
                    .exec()
                    .map_err(|mut f| {
                        if matches!(f.error, StoreError::Conflict(_)) {
                            f.error = StoreError::Conflict(format!("the list holds {} twice", entry.tag));
                        }
                        f
                    })?;
                }
                Ok(())
            }


            async fn update_energy_quarters(&mut self, rows: &[MeterRow<'_>]) -> ExecResult<()> {
                let by_day = backend::quarters::readings_by_day(rows);
                if by_day.is_empty() {
                    return Ok(());
                }
                let keys: Vec<&backend::quarters::DayKey> = by_day.keys().collect();
                let mut changed: Vec<(&backend::quarters::DayKey, Vec<u8>)> = Vec::new();
                for chunk in keys.chunks(QUARTER_KEYS_PER_STATEMENT) {
                    let days = lock_quarter_days(self, chunk).await?;
                    for (key, (stored, mut day)) in chunk.iter().zip(days) {
                        let mut readings = by_day[*key].clone();
                        // In order of time, so that most readings extend their quarter hour at its end.
                        readings.sort_by(|a, b| a.at.cmp(&b.at));
                        let mut again = ::std::collections::BTreeSet::new();
                        for r in readings {
                            if !day.add(r) {
                                again.insert(quarter_of(r.at));
                            }
                        }
                        // A reading at or between the first and the last of its quarter hour (late, or
                        // repeated): the quarter hour is summarised again from all its stored readings.
                        for q in again {
                            let since = quarter_start(q);
                            let until = quarter_start(q + 1);
                            let all = register_readings(self, &key.station_id, key.connector_id, since, until).await?;
                            day.set(q, summarize_quarters(&all).first().copied());
                        }
                        let bytes = day.encode();
                        if bytes != stored {
                            changed.push((*key, bytes));
                        }
                    }
                }
                for chunk in changed.chunks(QUARTER_KEYS_PER_STATEMENT) {
                    let mut q = ::sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO meter_quarter_days (station_id, connector_id, day, quarters) ",
                    );
                    q.push_values(chunk, |mut b, (key, bytes)| {
                        b.push_bind(key.station_id.as_str().to_string())
                            .push_bind(i64::from(key.connector_id))
                            .push_bind(key.day)
                            .push_bind(bytes.clone());
                    });
                    q.push(" ON CONFLICT (station_id, connector_id, day) DO UPDATE SET quarters = excluded.quarters");
                    q.build().persistent(false).execute(self.conn()?).await.exec()?;
                }
                Ok(())
            }

            async fn rebuild_energy_quarters(&mut self, station: &StationId, connector: u32) -> ExecResult<u64> {
                ::sqlx::query("DELETE FROM meter_quarter_days WHERE station_id = $1 AND connector_id = $2")
                    .bind(station.as_str())
                    .bind(i64::from(connector))
                    .execute(self.conn()?)
                    .await
                    .exec()?;
                let span = ::sqlx::query(
                    "SELECT MIN(ts) AS lo, MAX(ts) AS hi FROM meter_values
                     WHERE station_id = $1 AND measurand = 'Energy.Active.Import.Register' AND connector_id = $2",
                )
                .bind(station.as_str())
                .bind(i64::from(connector))
                .fetch_one(self.conn()?)
                .await
                .exec()?;
                let (Some(lo), Some(hi)) = (Cols(&span).opt_time("lo")?, Cols(&span).opt_time("hi")?) else {
                    return Ok(0);
                };
                let (mut day, last) = (backend::quarters::day_of(lo), backend::quarters::day_of(hi));
                let mut written = 0;
                // A month of readings at a time: memory stays bounded however long the history is.
                while day <= last {
                    let next = (day + 31).min(last + 1);
                    let since = backend::quarters::day_start(day);
                    let until = backend::quarters::day_start(next);
                    let readings = register_readings(self, station, connector, since, until).await?;
                    let days = pack_days(&summarize_quarters(&readings));
                    written += put_quarter_days(self, station, connector, &days).await?;
                    day = next;
                }
                Ok(written)
            }

            async fn put_energy_quarter_days(
                &mut self,
                station: &StationId,
                connector: u32,
                days: &[(i64, Vec<u8>)],
            ) -> ExecResult<u64> {
                put_quarter_days(self, station, connector, days).await
            }

            async fn finish_quarter_backfill(&mut self) -> ExecResult<()> {
                ::sqlx::query("DELETE FROM meter_quarter_backfill").execute(self.conn()?).await.exec()?;
                Ok(())
            }
        }

        /// An account linked to another driver, said as such (the unique index names columns, not the account).
        fn account_taken(mut f: Failure, driver: &$crate::NewDriver) -> Failure {
            if matches!(f.error, StoreError::Conflict(_)) {
                let account = driver.account_id.map(|a| a.0.to_string()).unwrap_or_default();
                f.error = StoreError::Conflict(format!("account {account} is linked to another driver of the operator already"));
            }
            f
        }

        /// A taken backend name, said as such (the unique index's own message names columns, not the name).
        fn backend_name_taken(mut f: Failure, backend: &$crate::NewBackend) -> Failure {
            if matches!(f.error, StoreError::Conflict(_)) {
                f.error = StoreError::Conflict(format!("the operator has a backend named {:?} already", backend.name.as_str()));
            }
            f
        }


        /// Meter-days per statement: 4 bound values each, far below both databases' limits.
        const QUARTER_KEYS_PER_STATEMENT: usize = 500;

        /// The register readings of one meter in `since..until` on the writer's connection, inside its
        /// transaction (so with the rows it has just inserted): the same rule as `Store::energy_readings`.
        async fn register_readings(
            writer: &mut $writer,
            station: &StationId,
            connector: u32,
            since: Timestamp,
            until: Timestamp,
        ) -> ExecResult<Vec<EnergyReading>> {
            let rows = ::sqlx::query(
                "SELECT ts, value, CAST(CASE WHEN context = 'Sample.Clock' THEN 1 ELSE 0 END AS BIGINT) AS clock_aligned
                 FROM meter_values
                 WHERE station_id = $1 AND measurand = 'Energy.Active.Import.Register' AND connector_id = $2
                   AND ts >= $3 AND ts < $4 AND phase = '' AND location IN ('', 'Outlet') AND unit = 'Wh'
                   AND value IS NOT NULL
                 ORDER BY ts",
            )
            .bind(station.as_str())
            .bind(i64::from(connector))
            .bind($to_column(since))
            .bind($to_column(until))
            .fetch_all(writer.conn()?)
            .await
            .exec()?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push(backend::energy_reading(&Cols(r))?);
            }
            Ok(out)
        }

        /// The stored summary days of `keys` (sorted), as stored and decoded, in the order of `keys`, locked
        /// for this transaction. A day not stored yet is inserted empty first, so that two PostgreSQL
        /// writers updating the same new day wait for each other (the second then reads the first's day)
        /// instead of both starting from nothing; rows are locked in key order, the same in every writer.
        async fn lock_quarter_days(
            writer: &mut $writer,
            keys: &[&backend::quarters::DayKey],
        ) -> ExecResult<Vec<(Vec<u8>, backend::quarters::QuarterDay)>> {
            let mut q = ::sqlx::QueryBuilder::<$db>::new(
                "INSERT INTO meter_quarter_days (station_id, connector_id, day, quarters) ",
            );
            q.push_values(keys, |mut b, key| {
                b.push_bind(key.station_id.as_str().to_string())
                    .push_bind(i64::from(key.connector_id))
                    .push_bind(key.day)
                    .push_bind(backend::quarters::QuarterDay::empty(key.day).encode());
            });
            q.push(" ON CONFLICT (station_id, connector_id, day) DO NOTHING");
            q.build().persistent(false).execute(writer.conn()?).await.exec()?;

            let mut q = ::sqlx::QueryBuilder::<$db>::new(
                "SELECT station_id, connector_id, day, quarters FROM meter_quarter_days
                 WHERE (station_id, connector_id, day) IN (",
            );
            q.push_values(keys, |mut b, key| {
                b.push_bind(key.station_id.as_str().to_string()).push_bind(i64::from(key.connector_id)).push_bind(key.day);
            });
            q.push(") ORDER BY station_id, connector_id, day");
            // SQLite has one writer and no row locks (nor the syntax); PostgreSQL's writers run in parallel.
            if <$db as ::sqlx::Database>::NAME == "PostgreSQL" {
                q.push(" FOR UPDATE");
            }
            let rows = q.build().persistent(false).fetch_all(writer.conn()?).await.exec()?;
            let mut found = ::std::collections::BTreeMap::new();
            for row in &rows {
                let c = Cols(row);
                let connector = u32::try_from(c.int("connector_id")?)
                    .map_err(|_| StoreError::Corrupt("a quarter summary row's connector".into()))?;
                let day = c.int("day")?;
                let bytes: Vec<u8> = c.get("quarters")?;
                found.insert((c.text("station_id")?, connector, day), bytes);
            }
            let mut out = Vec::with_capacity(keys.len());
            for key in keys {
                let bytes = found
                    .remove(&(key.station_id.as_str().to_string(), key.connector_id, key.day))
                    .ok_or_else(|| StoreError::Database(format!("the quarter summaries of {} day {} vanished", key.station_id, key.day)))?;
                let day = backend::quarters::QuarterDay::decode(key.day, &bytes)?;
                out.push((bytes, day));
            }
            Ok(out)
        }

        /// Summaries (oldest first) packed by UTC day.
        fn pack_days(summaries: &[QuarterSummary]) -> Vec<(i64, Vec<u8>)> {
            let mut out = Vec::new();
            let mut rest = summaries;
            while let Some(first) = rest.first() {
                let day = backend::quarters::day_of_quarter(first.quarter());
                let n = rest.iter().take_while(|s| backend::quarters::day_of_quarter(s.quarter()) == day).count();
                out.push((day, backend::quarters::QuarterDay::of(day, &rest[..n]).encode()));
                rest = &rest[n..];
            }
            out
        }

        /// Writes packed days of one meter, replacing what is stored for those days.
        async fn put_quarter_days(
            writer: &mut $writer,
            station: &StationId,
            connector: u32,
            days: &[(i64, Vec<u8>)],
        ) -> ExecResult<u64> {
            for chunk in days.chunks(QUARTER_KEYS_PER_STATEMENT) {
                let mut q = ::sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO meter_quarter_days (station_id, connector_id, day, quarters) ",
                );
                q.push_values(chunk, |mut b, (day, bytes)| {
                    b.push_bind(station.as_str().to_string())
                        .push_bind(i64::from(connector))
                        .push_bind(*day)
                        .push_bind(bytes.clone());
                });
                q.push(" ON CONFLICT (station_id, connector_id, day) DO UPDATE SET quarters = excluded.quarters");
                q.build().persistent(false).execute(writer.conn()?).await.exec()?;
            }
            Ok(days.len() as u64)
        }
    };
}
