//! [`Store`](crate::Store) in SQL, for both backends (see [`sql_backend!`](crate::sql_backend)): the reads,
//! and the writes handed to the group-commit writer.

/// The store's half of [`sql_backend!`](crate::sql_backend).
#[doc(hidden)]
#[macro_export]
macro_rules! __sql_store {
    ($name:literal, $db:ty, $store:ty, $to_column:path) => {
        fn all<T>(
            rows: Vec<<$db as ::sqlx::Database>::Row>,
            decode: impl Fn(&Cols<'_>) -> Result<T>,
        ) -> Result<Vec<T>> {
            rows.iter().map(|row| decode(&Cols(row))).collect()
        }

        fn one<T>(
            row: Option<<$db as ::sqlx::Database>::Row>,
            decode: impl Fn(&Cols<'_>) -> Result<T>,
        ) -> Result<Option<T>> {
            row.as_ref().map(|row| decode(&Cols(row))).transpose()
        }

        #[$crate::backend::sql::prelude::async_trait]
        impl Store for $store {
            fn backend(&self) -> &'static str {
                $name
            }

            async fn ping(&self) -> Result<()> {
                ::sqlx::query("SELECT 1").execute(&self.reads).await.store().map(drop)
            }

            async fn close(&self) {
                self.writer.close().await;
                self.close_connections().await;
            }

            async fn create_operator(&self, name: &str, key: &OperatorKey) -> Result<Operator> {
                self.writer.create_operator(name, key).await
            }

            async fn list_operators(&self) -> Result<Vec<Operator>> {
                let rows =
                    ::sqlx::query("SELECT * FROM operators ORDER BY name").fetch_all(&self.reads).await.store()?;
                all(rows, |r| backend::operator(r))
            }

            async fn operator(&self, id: OperatorId) -> Result<Option<Operator>> {
                let row = ::sqlx::query("SELECT * FROM operators WHERE id = $1")
                    .bind(id.0)
                    .fetch_optional(&self.reads)
                    .await
                    .store()?;
                one(row, |r| backend::operator(r))
            }

            async fn operator_by_key(&self, key: &OperatorKey) -> Result<Option<Operator>> {
                let row = ::sqlx::query("SELECT * FROM operators WHERE operator_key = $1")
                    .bind(key.as_str())
                    .fetch_optional(&self.reads)
                    .await
                    .store()?;
                one(row, |r| backend::operator(r))
            }

            async fn operator_by_name(&self, name: &str) -> Result<Option<Operator>> {
                let row = ::sqlx::query("SELECT * FROM operators WHERE name = $1")
                    .bind(name)
                    .fetch_optional(&self.reads)
                    .await
                    .store()?;
                one(row, |r| backend::operator(r))
            }

            async fn register_station(&self, new: NewStation) -> Result<Station> {
                self.writer.register_station(new).await
            }

            async fn ensure_station(&self, operator: OperatorId, id: &StationId, at: Timestamp) -> Result<Station> {
                self.writer.ensure_station(operator, id, at).await
            }

            async fn station(&self, id: &StationId) -> Result<Option<Station>> {
                let row = ::sqlx::query("SELECT * FROM stations WHERE id = $1")
                    .bind(id.as_str())
                    .fetch_optional(&self.reads)
                    .await
                    .store()?;
                one(row, |r| backend::station(r))
            }

            async fn list_stations(&self, filter: &StationFilter) -> Result<Vec<Station>> {
                let mut q = ::sqlx::QueryBuilder::<$db>::new("SELECT * FROM stations WHERE 1 = 1");
                if let Some(operator) = filter.operator_id {
                    q.push(" AND operator_id = ").push_bind(operator.0);
                }
                if let Some(state) = filter.state {
                    q.push(" AND state = ").push_bind(state.as_str());
                }
                if let Some(online) = filter.online {
                    q.push(" AND online = ").push_bind(online);
                }
                if let Some(after) = &filter.after {
                    q.push(" AND id > ").push_bind(after.as_str());
                }
                // --- station owner and offline detection ---
                if let Some(owner) = filter.owner_id {
                    q.push(" AND owner_id = ").push_bind(owner.0);
                }
                match filter.out_of_service {
                    Some(true) => q.push(" AND out_of_service_since IS NOT NULL"),
                    Some(false) => q.push(" AND out_of_service_since IS NULL"),
                    None => &mut q,
                };
                q.push(" ORDER BY id");
                if let Some(limit) = filter.limit {
                    q.push(" LIMIT ").push_bind(i64::from(limit));
                }
                let rows = q.build().fetch_all(&self.reads).await.store()?;
                all(rows, |r| backend::station(r))
            }

            async fn set_station_state(&self, id: &StationId, state: StationState) -> Result<Station> {
                self.writer.set_station_state(id, state).await
            }

            async fn set_station_free_vend(&self, id: &StationId, free_vend: bool) -> Result<Station> {
                self.writer.set_station_free_vend(id, free_vend).await
            }

            async fn set_station_password(&self, id: &StationId, password_hash: Option<&str>) -> Result<Station> {
                self.writer.set_station_password(id, password_hash).await
            }

            async fn record_boot(&self, id: &StationId, boot: &BootInfo, at: Timestamp) -> Result<()> {
                self.writer.record_boot(id, boot, at).await
            }

            async fn record_connection(&self, id: &StationId, online: bool, at: Timestamp) -> Result<()> {
                self.writer.record_connection(id, online, at).await
            }

            async fn record_heartbeat(&self, id: &StationId, at: Timestamp) -> Result<()> {
                self.writer.record_heartbeat(id, at).await
            }

            async fn mark_all_offline(&self, at: Timestamp) -> Result<u64> {
                self.writer.mark_all_offline(at).await
            }

            async fn record_status(&self, id: &StationId, report: &StatusReport, received_at: Timestamp) -> Result<()> {
                self.writer.record_status(id, report, received_at).await
            }

            async fn connectors(&self, id: &StationId) -> Result<Vec<Connector>> {
                let rows = ::sqlx::query("SELECT * FROM connectors WHERE station_id = $1 ORDER BY connector_id")
                    .bind(id.as_str())
                    .fetch_all(&self.reads)
                    .await
                    .store()?;
                all(rows, |r| backend::connector(r))
            }

            async fn status_history(
                &self,
                id: &StationId,
                connector: Option<u32>,
                limit: u32,
            ) -> Result<Vec<StatusRecord>> {
                let mut q = ::sqlx::QueryBuilder::<$db>::new("SELECT * FROM status_history WHERE station_id = ");
                q.push_bind(id.as_str());
                if let Some(connector) = connector {
                    q.push(" AND connector_id = ").push_bind(i64::from(connector));
                }
                q.push(" ORDER BY COALESCE(station_time, received_at) DESC, id DESC LIMIT ")
                    .push_bind(i64::from(limit));
                let rows = q.build().fetch_all(&self.reads).await.store()?;
                all(rows, |r| backend::status_record(r))
            }

            async fn add_id_token(&self, token: &IdToken) -> Result<IdToken> {
                self.writer.add_id_token(token).await
            }

            async fn id_token(&self, operator: OperatorId, tag: &IdTag) -> Result<Option<IdToken>> {
                let row = ::sqlx::query("SELECT * FROM id_tokens WHERE operator_id = $1 AND tag = $2")
                    .bind(operator.0)
                    .bind(tag.as_str())
                    .fetch_optional(&self.reads)
                    .await
                    .store()?;
                one(row, |r| backend::id_token(r))
            }

            async fn list_id_tokens(&self, operator: OperatorId) -> Result<Vec<IdToken>> {
                let rows = ::sqlx::query("SELECT * FROM id_tokens WHERE operator_id = $1 ORDER BY tag")
                    .bind(operator.0)
                    .fetch_all(&self.reads)
                    .await
                    .store()?;
                all(rows, |r| backend::id_token(r))
            }

            async fn update_id_token(&self, token: &IdToken) -> Result<IdToken> {
                self.writer.update_id_token(token).await
            }

            async fn delete_id_token(&self, operator: OperatorId, tag: &IdTag) -> Result<()> {
                self.writer.delete_id_token(operator, tag).await
            }

            async fn start_session(&self, start: &SessionStart) -> Result<StartOutcome> {
                self.writer.start_session(start).await
            }

            async fn stop_session(&self, stop: &SessionStop) -> Result<StopOutcome> {
                self.writer.stop_session(stop).await
            }

            async fn session(&self, id: TransactionId) -> Result<Option<Session>> {
                let row = ::sqlx::query("SELECT * FROM sessions WHERE id = $1")
                    .bind(id.0)
                    .fetch_optional(&self.reads)
                    .await
                    .store()?;
                one(row, |r| backend::session(r))
            }

            async fn list_sessions(&self, filter: &SessionFilter) -> Result<Vec<Session>> {
                let mut q = ::sqlx::QueryBuilder::<$db>::new("SELECT * FROM sessions WHERE 1 = 1");
                if let Some(station) = &filter.station_id {
                    q.push(" AND station_id = ").push_bind(station.as_str());
                }
                if let Some(operator) = filter.operator_id {
                    q.push(" AND operator_id = ").push_bind(operator.0);
                }
                if let Some(since) = filter.since {
                    q.push(" AND started_at >= ").push_bind($to_column(since));
                }
                if let Some(until) = filter.until {
                    q.push(" AND started_at < ").push_bind($to_column(until));
                }
                if let Some(id_tag) = &filter.id_tag {
                    q.push(" AND id_tag = ").push_bind(id_tag.as_str());
                }
                if let Some(connector) = filter.connector_id {
                    q.push(" AND connector_id = ").push_bind(i64::from(connector));
                }
                if filter.active_only {
                    q.push(" AND stopped_at IS NULL");
                }
                q.push(" ORDER BY started_at DESC, id DESC");
                if let Some(limit) = filter.limit {
                    q.push(" LIMIT ").push_bind(i64::from(limit));
                }
                let rows = q.build().fetch_all(&self.reads).await.store()?;
                all(rows, |r| backend::session(r))
            }

            async fn unknown_stops(&self, station: Option<&StationId>, limit: u32) -> Result<Vec<UnknownStop>> {
                let mut q = ::sqlx::QueryBuilder::<$db>::new("SELECT * FROM unknown_stops");
                if let Some(station) = station {
                    q.push(" WHERE station_id = ").push_bind(station.as_str());
                }
                q.push(" ORDER BY received_at DESC, id DESC LIMIT ").push_bind(i64::from(limit));
                let rows = q.build().fetch_all(&self.reads).await.store()?;
                all(rows, |r| backend::unknown_stop(r))
            }

            async fn add_meter_values(&self, batch: &MeterBatch) -> Result<u64> {
                self.writer.add_meter_values(batch).await
            }

            async fn meter_values(&self, filter: &MeterFilter) -> Result<Vec<StoredSample>> {
                let mut q = ::sqlx::QueryBuilder::<$db>::new("SELECT * FROM meter_values WHERE 1 = 1");
                if let Some(station) = &filter.station_id {
                    q.push(" AND station_id = ").push_bind(station.as_str());
                }
                if let Some(transaction) = filter.transaction_id {
                    q.push(" AND transaction_id = ").push_bind(transaction.0);
                }
                if let Some(since) = filter.since {
                    q.push(" AND ts >= ").push_bind($to_column(since));
                }
                if let Some(until) = filter.until {
                    q.push(" AND ts < ").push_bind($to_column(until));
                }
                q.push(" ORDER BY ts, id");
                if let Some(limit) = filter.limit {
                    q.push(" LIMIT ").push_bind(i64::from(limit));
                }
                let rows = q.build().fetch_all(&self.reads).await.store()?;
                all(rows, |r| backend::stored_sample(r))
            }

            async fn record_station_event(&self, event: &StationEvent) -> Result<()> {
                self.writer.record_station_event(event).await
            }

            async fn station_events(&self, id: &StationId, limit: u32) -> Result<Vec<StationEvent>> {
                let rows = ::sqlx::query(
                    "SELECT * FROM station_events WHERE station_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT $2",
                )
                .bind(id.as_str())
                .bind(i64::from(limit))
                .fetch_all(&self.reads)
                .await
                .store()?;
                all(rows, |r| backend::station_event(r))
            }

            async fn push_outbox(&self, station: &StationId, kind: OutboxKind, at: Timestamp) -> Result<OutboxItem> {
                self.writer.push_outbox(station, kind, at).await
            }

            async fn open_outbox(&self, after: i64, limit: u32) -> Result<Vec<OutboxItem>> {
                let rows =
                    ::sqlx::query("SELECT * FROM outbox WHERE closed_at IS NULL AND id > $1 ORDER BY id LIMIT $2")
                        .bind(after)
                        .bind(i64::from(limit))
                        .fetch_all(&self.reads)
                        .await
                        .store()?;
                all(rows, |r| backend::outbox_item(r))
            }

            async fn close_outbox(&self, id: i64, outcome: &str, at: Timestamp) -> Result<()> {
                self.writer.close_outbox(id, outcome, at).await
            }

            async fn record_command(&self, command: &NewCommand) -> Result<i64> {
                self.writer.record_command(command).await
            }

            async fn finish_command(&self, id: i64, outcome: &CommandOutcome) -> Result<()> {
                self.writer.finish_command(id, outcome).await
            }

            async fn set_command_transaction(&self, command: i64, transaction: TransactionId) -> Result<()> {
                self.writer.set_command_transaction(command, transaction).await
            }

            async fn command(&self, id: i64) -> Result<Option<CommandRecord>> {
                let row = ::sqlx::query("SELECT * FROM commands WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&self.reads)
                    .await
                    .store()?;
                one(row, |r| backend::command_record(r))
            }

            async fn list_commands(&self, station: &StationId, limit: u32) -> Result<Vec<CommandRecord>> {
                let rows = ::sqlx::query(
                    "SELECT * FROM commands WHERE station_id = $1 ORDER BY requested_at DESC, id DESC LIMIT $2",
                )
                .bind(station.as_str())
                .bind(i64::from(limit))
                .fetch_all(&self.reads)
                .await
                .store()?;
                all(rows, |r| backend::command_record(r))
            }

            // The message log has a writer and readers of its own (`log_writer`, `log_reads`): its writes never
            // share a transaction, nor wait for a commit, with the station data that is acknowledged.
            async fn log_messages(&self, messages: &[LoggedMessage]) -> Result<()> {
                self.log_writer.log_messages(messages).await
            }

            async fn messages(&self, filter: &MessageFilter) -> Result<Vec<LoggedMessage>> {
                let mut q = ::sqlx::QueryBuilder::<$db>::new("SELECT * FROM message_log WHERE 1 = 1");
                if let Some(station) = &filter.station_id {
                    q.push(" AND station_id = ").push_bind(station.as_str());
                }
                if let Some(since) = filter.since {
                    q.push(" AND at >= ").push_bind($to_column(since));
                }
                if let Some(until) = filter.until {
                    q.push(" AND at < ").push_bind($to_column(until));
                }
                if let Some(action) = &filter.action {
                    q.push(" AND action = ").push_bind(action.as_str());
                }
                q.push(" ORDER BY at, id");
                if let Some(limit) = filter.limit {
                    q.push(" LIMIT ").push_bind(i64::from(limit));
                }
                let rows = q.build().fetch_all(&self.log_reads).await.store()?;
                all(rows, |r| backend::logged_message(r))
            }

            async fn purge_messages(&self, before: Timestamp) -> Result<u64> {
                self.log_writer.purge_messages(before).await
            }

            async fn store_configuration(
                &self,
                station: &StationId,
                keys: &[ConfigKey],
                read_at: Timestamp,
            ) -> Result<()> {
                self.writer.store_configuration(station, keys, read_at).await
            }

            async fn configuration(&self, station: &StationId) -> Result<Vec<StoredConfigKey>> {
                let rows = ::sqlx::query("SELECT * FROM station_configuration WHERE station_id = $1")
                    .bind(station.as_str())
                    .fetch_all(&self.reads)
                    .await
                    .store()?;
                // Sorted here, by bytes, so that both databases give one order whatever their collation.
                let mut keys = all(rows, |r| backend::stored_config_key(r))?;
                keys.sort_by(|a, b| a.key.cmp(&b.key));
                Ok(keys)
            }

            async fn set_configuration_value(
                &self,
                station: &StationId,
                key: &str,
                value: &str,
                at: Timestamp,
            ) -> Result<()> {
                self.writer.set_configuration_value(station, key, value, at).await
            }

            async fn set_operator_defaults(&self, operator: OperatorId, defaults: &[(String, String)]) -> Result<()> {
                self.writer.set_operator_defaults(operator, defaults).await
            }

            async fn operator_defaults(&self, operator: OperatorId) -> Result<Vec<(String, String)>> {
                let rows =
                    ::sqlx::query("SELECT key, value FROM operator_defaults WHERE operator_id = $1 ORDER BY position")
                        .bind(operator.0)
                        .fetch_all(&self.reads)
                        .await
                        .store()?;
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
                self.writer.record_default_result(station, key, value, result, at).await
            }

            async fn default_results(&self, station: &StationId) -> Result<Vec<DefaultResult>> {
                let rows = ::sqlx::query("SELECT * FROM default_results WHERE station_id = $1")
                    .bind(station.as_str())
                    .fetch_all(&self.reads)
                    .await
                    .store()?;
                let mut results = all(rows, |r| backend::default_result(r))?;
                results.sort_by(|a, b| a.key.cmp(&b.key));
                Ok(results)
            }

            async fn create_api_token(&self, token: &NewApiToken) -> Result<ApiToken> {
                self.writer.create_api_token(token).await
            }

            async fn api_token_by_hash(&self, token_hash: &str) -> Result<Option<ApiToken>> {
                let row = ::sqlx::query("SELECT * FROM api_tokens WHERE token_hash = $1")
                    .bind(token_hash)
                    .fetch_optional(&self.reads)
                    .await
                    .store()?;
                one(row, |r| backend::api_token(r))
            }

            async fn list_api_tokens(&self, operator: OperatorId) -> Result<Vec<ApiToken>> {
                let rows = ::sqlx::query("SELECT * FROM api_tokens WHERE operator_id = $1")
                    .bind(operator.0)
                    .fetch_all(&self.reads)
                    .await
                    .store()?;
                let mut tokens = all(rows, |r| backend::api_token(r))?;
                tokens.sort_by(|a, b| a.name.cmp(&b.name));
                Ok(tokens)
            }

            async fn revoke_api_token(&self, id: i64, at: Timestamp) -> Result<()> {
                self.writer.revoke_api_token(id, at).await
            }

            async fn touch_api_token(&self, id: i64, at: Timestamp) -> Result<()> {
                self.writer.touch_api_token(id, at).await
            }

            async fn create_account(&self, account: &NewAccount) -> Result<Account> {
                self.writer.create_account(account).await
            }

            async fn account(&self, id: AccountId) -> Result<Option<Account>> {
                let row = ::sqlx::query("SELECT * FROM accounts WHERE id = $1")
                    .bind(id.0)
                    .fetch_optional(&self.reads)
                    .await
                    .store()?;
                one(row, |r| backend::account(r))
            }

            async fn account_by_email(&self, email: &Email) -> Result<Option<(Account, String)>> {
                let row = ::sqlx::query("SELECT * FROM accounts WHERE email = $1")
                    .bind(email.as_str())
                    .fetch_optional(&self.reads)
                    .await
                    .store()?;
                one(row, |r| Ok((backend::account(r)?, r.text("password_hash")?)))
            }

            async fn list_accounts(&self, filter: &AccountFilter) -> Result<Vec<Account>> {
                let mut q = ::sqlx::QueryBuilder::<$db>::new("SELECT * FROM accounts WHERE 1 = 1");
                if let Some(operator) = filter.operator_id {
                    q.push(" AND operator_id = ").push_bind(operator.0);
                }
                if let Some(role) = filter.role {
                    q.push(" AND role = ").push_bind(role.as_str());
                }
                if filter.pending_approval {
                    // Only owners and installers are ever approved.
                    q.push(" AND approved_at IS NULL AND role IN (")
                        .push_bind(AccountRole::Owner.as_str())
                        .push(", ")
                        .push_bind(AccountRole::Installer.as_str())
                        .push(")");
                }
                // The column compares bytes in both databases (PostgreSQL: COLLATE "C"), so the order is one.
                q.push(" ORDER BY email");
                if let Some(limit) = filter.limit {
                    q.push(" LIMIT ").push_bind(i64::from(limit));
                }
                let rows = q.build().fetch_all(&self.reads).await.store()?;
                all(rows, |r| backend::account(r))
            }

            async fn approve_account(&self, id: AccountId, by: Option<AccountId>, at: Timestamp) -> Result<Account> {
                self.writer.approve_account(id, by, at).await
            }

            async fn set_account_password(&self, id: AccountId, password_hash: &str) -> Result<()> {
                self.writer.set_account_password(id, password_hash).await
            }

            async fn set_account_disabled(&self, id: AccountId, disabled: bool, at: Timestamp) -> Result<Account> {
                self.writer.set_account_disabled(id, disabled, at).await
            }

            async fn create_login(&self, login: &NewLogin) -> Result<Login> {
                self.writer.create_login(login).await
            }

            async fn login_by_hash(&self, token_hash: &str) -> Result<Option<Login>> {
                let row = ::sqlx::query(
                    "SELECT accounts.*, logins.id AS login_id, logins.created_at AS login_created_at,
                         logins.expires_at AS login_expires_at, logins.revoked_at AS login_revoked_at,
                         logins.last_used_at AS login_last_used_at
                     FROM logins JOIN accounts ON accounts.id = logins.account_id
                     WHERE logins.token_hash = $1",
                )
                .bind(token_hash)
                .fetch_optional(&self.reads)
                .await
                .store()?;
                one(row, |r| backend::login(r))
            }

            async fn revoke_login(&self, id: i64, at: Timestamp) -> Result<()> {
                self.writer.revoke_login(id, at).await
            }

            async fn touch_login(&self, id: i64, at: Timestamp) -> Result<()> {
                self.writer.touch_login(id, at).await
            }

            async fn revoke_logins_of(&self, account: AccountId, at: Timestamp) -> Result<u64> {
                self.writer.revoke_logins_of(account, at).await
            }

            async fn record_audit(&self, entry: &AuditEntry) -> Result<i64> {
                self.writer.record_audit(entry).await
            }

            async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
                let mut q = ::sqlx::QueryBuilder::<$db>::new("SELECT * FROM audit_log WHERE 1 = 1");
                if let Some(operator) = filter.operator_id {
                    q.push(" AND operator_id = ").push_bind(operator.0);
                }
                if let Some(subject) = &filter.subject {
                    q.push(" AND subject = ").push_bind(subject.as_str());
                }
                if let Some(since) = filter.since {
                    q.push(" AND at >= ").push_bind($to_column(since));
                }
                if let Some(until) = filter.until {
                    q.push(" AND at < ").push_bind($to_column(until));
                }
                q.push(" ORDER BY at DESC, id DESC");
                if let Some(limit) = filter.limit {
                    q.push(" LIMIT ").push_bind(i64::from(limit));
                }
                let rows = q.build().fetch_all(&self.reads).await.store()?;
                all(rows, |r| backend::audit_entry(r))
            }


            async fn create_activation_code(&self, code: &NewActivationCode) -> Result<ActivationCodeRecord> {
                self.writer.create_activation_code(code).await
            }

            async fn open_activation_codes(&self, mac: &str) -> Result<Vec<(ActivationCodeRecord, String)>> {
                let rows = ::sqlx::query(
                    "SELECT * FROM activation_codes WHERE mac = $1 AND used_at IS NULL ORDER BY created_at, id",
                )
                .bind(mac)
                .fetch_all(&self.reads)
                .await
                .store()?;
                all(rows, |r| Ok((backend::activation_code(r)?, r.text("code_hash")?)))
            }

            async fn activation_codes(&self, station: &StationId) -> Result<Vec<ActivationCodeRecord>> {
                let rows = ::sqlx::query(
                    "SELECT * FROM activation_codes WHERE station_id = $1 ORDER BY created_at DESC, id DESC",
                )
                .bind(station.as_str())
                .fetch_all(&self.reads)
                .await
                .store()?;
                all(rows, |r| backend::activation_code(r))
            }

            async fn use_activation_code(&self, id: i64, by: AccountId, at: Timestamp) -> Result<Installation> {
                self.writer.use_activation_code(id, by, at).await
            }

            async fn installation(&self, station: &StationId) -> Result<Option<Installation>> {
                let row = ::sqlx::query(
                    "SELECT station_id, claimed_by, claimed_at, lat, lon, accuracy_m, vendor, model, serial_number,
                         serial_locked_at, street, house_number, postal_code, city, region, country, time_zone,
                         parking_spot, directions, photo_type, CAST(length(photo) AS BIGINT) AS photo_size,
                         photo_orientation, updated_at
                     FROM installations WHERE station_id = $1",
                )
                .bind(station.as_str())
                .fetch_optional(&self.reads)
                .await
                .store()?;
                one(row, |r| backend::installation(r))
            }

            async fn set_pinpointing(
                &self,
                station: &StationId,
                pinpointing: &Pinpointing,
                override_serial_lock: bool,
                at: Timestamp,
            ) -> Result<Installation> {
                self.writer.set_pinpointing(station, pinpointing, override_serial_lock, at).await
            }

            async fn lock_installation_serial(&self, station: &StationId, at: Timestamp) -> Result<Installation> {
                self.writer.lock_installation_serial(station, at).await
            }

            async fn set_installation_photo(
                &self,
                station: &StationId,
                photo: &[u8],
                content_type: &str,
                orientation: Option<u16>,
                at: Timestamp,
            ) -> Result<Installation> {
                self.writer.set_installation_photo(station, photo, content_type, orientation, at).await
            }

            async fn installation_photo(&self, station: &StationId) -> Result<Option<(Vec<u8>, String)>> {
                let row: Option<(Option<Vec<u8>>, Option<String>)> =
                    ::sqlx::query_as("SELECT photo, photo_type FROM installations WHERE station_id = $1")
                        .bind(station.as_str())
                        .fetch_optional(&self.reads)
                        .await
                        .store()?;
                Ok(match row {
                    Some((Some(photo), Some(content_type))) => Some((photo, content_type)),
                    _ => None,
                })
            }

            async fn create_activation_request(&self, request: &NewActivationRequest) -> Result<ActivationRequest> {
                self.writer.create_activation_request(request).await
            }

            async fn activation_request(&self, id: ActivationRequestId) -> Result<Option<ActivationRequest>> {
                let row = ::sqlx::query("SELECT * FROM activation_requests WHERE id = $1")
                    .bind(id.0)
                    .fetch_optional(&self.reads)
                    .await
                    .store()?;
                one(row, |r| backend::activation_request(r))
            }

            async fn list_activation_requests(&self, filter: &ActivationFilter) -> Result<Vec<ActivationRequest>> {
                let mut q = ::sqlx::QueryBuilder::<$db>::new("SELECT * FROM activation_requests WHERE 1 = 1");
                if let Some(operator) = filter.operator_id {
                    q.push(" AND operator_id = ").push_bind(operator.0);
                }
                if let Some(owner) = filter.owner_id {
                    q.push(" AND owner_id = ").push_bind(owner.0);
                }
                if let Some(state) = filter.state {
                    q.push(" AND state = ").push_bind(state.as_str());
                }
                q.push(" ORDER BY requested_at, id");
                if let Some(limit) = filter.limit {
                    q.push(" LIMIT ").push_bind(i64::from(limit));
                }
                let rows = q.build().fetch_all(&self.reads).await.store()?;
                all(rows, |r| backend::activation_request(r))
            }

            async fn set_activation_state(
                &self,
                id: ActivationRequestId,
                from: ActivationState,
                to: ActivationState,
                reason: Option<&str>,
                by: &str,
                at: Timestamp,
            ) -> Result<ActivationRequest> {
                self.writer.set_activation_state(id, from, to, reason, by, at).await
            }

            async fn record_notification(
                &self,
                account: AccountId,
                kind: &str,
                text: &str,
                at: Timestamp,
            ) -> Result<Notification> {
                self.writer.record_notification(account, kind, text, at).await
            }

            async fn notifications(&self, account: AccountId, limit: u32) -> Result<Vec<Notification>> {
                let rows = ::sqlx::query(
                    "SELECT * FROM notifications WHERE account_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
                )
                .bind(account.0)
                .bind(i64::from(limit))
                .fetch_all(&self.reads)
                .await
                .store()?;
                all(rows, |r| backend::notification(r))
            }

            async fn mark_notification_read(&self, account: AccountId, id: i64, at: Timestamp) -> Result<()> {
                self.writer.mark_notification_read(account, id, at).await
            }


            async fn set_station_model(
                &self,
                operator: OperatorId,
                model: &KnownModel,
                by: &str,
                at: Timestamp,
            ) -> Result<$crate::CatalogModel> {
                self.writer.set_station_model(operator, model, by, at).await
            }

            async fn station_models(&self, operator: OperatorId) -> Result<Vec<$crate::CatalogModel>> {
                let rows = ::sqlx::query(
                    "SELECT * FROM station_models WHERE operator_id = $1 ORDER BY lower(vendor), lower(model)",
                )
                .bind(operator.0)
                .fetch_all(&self.reads)
                .await
                .store()?;
                all(rows, |r| backend::catalog_model(r))
            }

            async fn delete_station_model(&self, operator: OperatorId, key: &str) -> Result<()> {
                self.writer.delete_station_model(operator, key).await
            }

            async fn station_counts(&self, operator: OperatorId) -> Result<Vec<$crate::StationCount>> {
                let rows: Vec<(String, bool, i64)> = ::sqlx::query_as(
                    "SELECT state, online, COUNT(*) FROM stations WHERE operator_id = $1 GROUP BY state, online
                     ORDER BY state, online",
                )
                .bind(operator.0)
                .fetch_all(&self.reads)
                .await
                .store()?;
                rows.into_iter()
                    .map(|(state, online, count)| {
                        let state = StationState::parse(&state)
                            .map_err(|e| StoreError::Corrupt(format!("stations.state {state:?}: {e}")))?;
                        Ok($crate::StationCount { state, online, count: count.max(0) as u64 })
                    })
                    .collect()
            }


            async fn operator_settings(&self, operator: OperatorId) -> Result<OperatorSettings> {
                let row = ::sqlx::query(
                    "SELECT o.id, s.service_level_days, s.offline_after_minutes
                     FROM operators o LEFT JOIN operator_settings s ON s.operator_id = o.id WHERE o.id = $1",
                )
                .bind(operator.0)
                .fetch_optional(&self.reads)
                .await
                .store()?;
                one(row, |r| backend::operator_settings(r))?
                    .ok_or_else(|| StoreError::NotFound(format!("operator {operator}")))
            }

            async fn set_operator_settings(
                &self,
                operator: OperatorId,
                settings: &OperatorSettings,
                at: Timestamp,
            ) -> Result<OperatorSettings> {
                self.writer.set_operator_settings(operator, settings, at).await
            }

            async fn set_station_owner(&self, id: &StationId, owner: Option<AccountId>) -> Result<Station> {
                self.writer.set_station_owner(id, owner).await
            }

            async fn mark_out_of_service(&self, id: &StationId, quiet_since: Timestamp, at: Timestamp) -> Result<bool> {
                self.writer.mark_out_of_service(id, quiet_since, at).await
            }

            async fn clear_out_of_service(&self, id: &StationId) -> Result<Option<Timestamp>> {
                self.writer.clear_out_of_service(id).await
            }

            async fn create_backend(&self, backend: &$crate::NewBackend) -> Result<$crate::Backend> {
                self.writer.create_backend(backend).await
            }

            async fn update_backend(&self, id: i64, backend: &$crate::NewBackend) -> Result<$crate::Backend> {
                self.writer.update_backend(id, backend).await
            }

            async fn delete_backend(&self, operator: OperatorId, id: i64) -> Result<()> {
                self.writer.delete_backend(operator, id).await
            }

            async fn backends(&self, operator: OperatorId) -> Result<Vec<$crate::Backend>> {
                let rows = ::sqlx::query("SELECT * FROM backends WHERE operator_id = $1 ORDER BY name")
                    .bind(operator.0)
                    .fetch_all(&self.reads)
                    .await
                    .store()?;
                all(rows, |r| backend::backend(r))
            }

            async fn backend_by_name(&self, operator: OperatorId, name: &str) -> Result<Option<$crate::Backend>> {
                let row = ::sqlx::query("SELECT * FROM backends WHERE operator_id = $1 AND name = $2")
                    .bind(operator.0)
                    .bind(name)
                    .fetch_optional(&self.reads)
                    .await
                    .store()?;
                one(row, |r| backend::backend(r))
            }

            async fn put_provisioning_profile(
                &self,
                profile: &$crate::ProvisioningProfile,
            ) -> Result<$crate::ProvisioningProfile> {
                self.writer.put_provisioning_profile(profile).await
            }

            async fn delete_provisioning_profile(&self, operator: OperatorId, vendor_key: &str) -> Result<()> {
                self.writer.delete_provisioning_profile(operator, vendor_key).await
            }

            async fn provisioning_profiles(&self, operator: OperatorId) -> Result<Vec<$crate::ProvisioningProfile>> {
                let rows =
                    ::sqlx::query("SELECT * FROM provisioning_profiles WHERE operator_id = $1 ORDER BY vendor_key")
                        .bind(operator.0)
                        .fetch_all(&self.reads)
                        .await
                        .store()?;
                all(rows, |r| backend::provisioning_profile(r))
            }

            async fn provisioning_profile(
                &self,
                operator: OperatorId,
                vendor_key: &str,
            ) -> Result<Option<$crate::ProvisioningProfile>> {
                let row =
                    ::sqlx::query("SELECT * FROM provisioning_profiles WHERE operator_id = $1 AND vendor_key = $2")
                        .bind(operator.0)
                        .bind(vendor_key)
                        .fetch_optional(&self.reads)
                        .await
                        .store()?;
                one(row, |r| backend::provisioning_profile(r))
            }

            async fn create_handover(&self, handover: &$crate::NewHandover) -> Result<$crate::Handover> {
                self.writer.create_handover(handover).await
            }

            async fn set_handover_state(&self, change: &$crate::HandoverChange) -> Result<$crate::Handover> {
                self.writer.set_handover_state(change).await
            }

            async fn add_handover_step(&self, step: &$crate::NewHandoverStep) -> Result<$crate::HandoverStep> {
                self.writer.add_handover_step(step).await
            }

            async fn handover(&self, id: i64) -> Result<Option<$crate::Handover>> {
                let row = ::sqlx::query("SELECT * FROM handovers WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&self.reads)
                    .await
                    .store()?;
                let Some(mut handover) = one(row, |r| backend::handover(r))? else { return Ok(None) };
                let steps = ::sqlx::query("SELECT * FROM handover_steps WHERE handover_id = $1 ORDER BY id")
                    .bind(id)
                    .fetch_all(&self.reads)
                    .await
                    .store()?;
                handover.steps = all(steps, |r| backend::handover_step(r))?;
                Ok(Some(handover))
            }

            async fn handovers(&self, station: &StationId) -> Result<Vec<$crate::Handover>> {
                let rows =
                    ::sqlx::query("SELECT * FROM handovers WHERE station_id = $1 ORDER BY requested_at DESC, id DESC")
                        .bind(station.as_str())
                        .fetch_all(&self.reads)
                        .await
                        .store()?;
                let steps = ::sqlx::query(
                    "SELECT s.* FROM handover_steps s JOIN handovers h ON h.id = s.handover_id
                     WHERE h.station_id = $1 ORDER BY s.id",
                )
                .bind(station.as_str())
                .fetch_all(&self.reads)
                .await
                .store()?;
                with_steps(all(rows, |r| backend::handover(r))?, all(steps, |r| backend::handover_step(r))?)
            }

            async fn handovers_in_state(&self, state: $crate::HandoverState) -> Result<Vec<$crate::Handover>> {
                let rows = ::sqlx::query("SELECT * FROM handovers WHERE state = $1 ORDER BY requested_at, id")
                    .bind(state.as_str())
                    .fetch_all(&self.reads)
                    .await
                    .store()?;
                let steps = ::sqlx::query(
                    "SELECT s.* FROM handover_steps s JOIN handovers h ON h.id = s.handover_id
                     WHERE h.state = $1 ORDER BY s.id",
                )
                .bind(state.as_str())
                .fetch_all(&self.reads)
                .await
                .store()?;
                with_steps(all(rows, |r| backend::handover(r))?, all(steps, |r| backend::handover_step(r))?)
            }

            async fn assign_station(&self, assignment: &$crate::Assignment) -> Result<$crate::Assignment> {
                self.writer.assign_station(assignment).await
            }

            async fn assignment(&self, station: &StationId) -> Result<Option<$crate::Assignment>> {
                let row = ::sqlx::query("SELECT * FROM station_assignments WHERE station_id = $1")
                    .bind(station.as_str())
                    .fetch_optional(&self.reads)
                    .await
                    .store()?;
                one(row, |r| backend::assignment(r))
            }


            async fn create_tariff(&self, new: &$crate::NewTariff) -> Result<$crate::TariffVersion> {
                self.writer.create_tariff(new).await
            }

            async fn tariffs(&self, operator: OperatorId) -> Result<Vec<$crate::TariffVersion>> {
                let rows = ::sqlx::query(
                    "SELECT v.* FROM tariff_versions v JOIN tariffs t ON t.id = v.tariff_id
                     WHERE t.operator_id = $1
                       AND v.version = (SELECT MAX(w.version) FROM tariff_versions w WHERE w.tariff_id = v.tariff_id)
                     ORDER BY v.tariff_id",
                )
                .bind(operator.0)
                .fetch_all(&self.reads)
                .await
                .store()?;
                all(rows, |r| backend::tariff_version(r, operator))
            }

            async fn tariff_versions(&self, operator: OperatorId, tariff: i64) -> Result<Vec<$crate::TariffVersion>> {
                let rows = ::sqlx::query(
                    "SELECT v.* FROM tariff_versions v JOIN tariffs t ON t.id = v.tariff_id
                     WHERE t.operator_id = $1 AND v.tariff_id = $2 ORDER BY v.version",
                )
                .bind(operator.0)
                .bind(tariff)
                .fetch_all(&self.reads)
                .await
                .store()?;
                all(rows, |r| backend::tariff_version(r, operator))
            }

            async fn set_tariff_assignment(
                &self,
                operator: OperatorId,
                target: &TariffTarget,
                tariff: Option<i64>,
                at: Timestamp,
            ) -> Result<()> {
                self.writer.set_tariff_assignment(operator, target, tariff, at).await
            }

            async fn tariff_assignments(&self, operator: OperatorId) -> Result<Vec<$crate::TariffAssignment>> {
                let rows = ::sqlx::query(
                    "SELECT * FROM tariff_assignments WHERE operator_id = $1 ORDER BY station_id, connector_id, group_id",
                )
                .bind(operator.0)
                .fetch_all(&self.reads)
                .await
                .store()?;
                all(rows, |r| backend::tariff_assignment(r))
            }

            async fn billing_settings(&self, operator: OperatorId) -> Result<BillingSettings> {
                let row = ::sqlx::query(
                    "SELECT o.id, b.settings FROM operators o LEFT JOIN billing_settings b ON b.operator_id = o.id
                     WHERE o.id = $1",
                )
                .bind(operator.0)
                .fetch_optional(&self.reads)
                .await
                .store()?;
                one(row, |r| backend::billing_settings(r))?.ok_or_else(|| StoreError::NotFound(format!("operator {operator}")))
            }

            async fn set_billing_settings(
                &self,
                operator: OperatorId,
                settings: &BillingSettings,
                at: Timestamp,
            ) -> Result<()> {
                self.writer.set_billing_settings(operator, settings, at).await
            }

            async fn put_session_cost(&self, cost: &$crate::SessionCost) -> Result<()> {
                self.writer.put_session_cost(cost).await
            }

            async fn session_cost(&self, transaction: TransactionId) -> Result<Option<$crate::SessionCost>> {
                let row = ::sqlx::query("SELECT * FROM session_costs WHERE transaction_id = $1")
                    .bind(transaction.0)
                    .fetch_optional(&self.reads)
                    .await
                    .store()?;
                one(row, |r| backend::session_cost(r))
            }

            async fn session_costs(
                &self,
                operator: OperatorId,
                since: Timestamp,
                until: Timestamp,
            ) -> Result<Vec<$crate::SessionCost>> {
                let rows = ::sqlx::query(
                    "SELECT c.* FROM session_costs c JOIN sessions s ON s.id = c.transaction_id
                     WHERE c.operator_id = $1 AND s.started_at >= $2 AND s.started_at < $3
                     ORDER BY s.started_at, s.id",
                )
                .bind(operator.0)
                .bind($to_column(since))
                .bind($to_column(until))
                .fetch_all(&self.reads)
                .await
                .store()?;
                all(rows, |r| backend::session_cost(r))
            }

            async fn sessions_without_cost(&self, limit: u32) -> Result<Vec<TransactionId>> {
                let ids: Vec<i64> = ::sqlx::query_scalar(
                    "SELECT s.id FROM sessions s LEFT JOIN session_costs c ON c.transaction_id = s.id
                     WHERE s.stopped_at IS NOT NULL AND c.transaction_id IS NULL
                     ORDER BY s.stopped_at, s.id LIMIT $1",
                )
                .bind(i64::from(limit))
                .fetch_all(&self.reads)
                .await
                .store()?;
                Ok(ids.into_iter().map(TransactionId).collect())
            }


            async fn create_driver(&self, driver: &$crate::NewDriver) -> Result<$crate::Driver> {
                self.writer.create_driver(driver).await
            }

            async fn update_driver(&self, id: DriverId, driver: &$crate::NewDriver) -> Result<$crate::Driver> {
                self.writer.update_driver(id, driver).await
            }

            async fn delete_driver(&self, operator: OperatorId, id: DriverId) -> Result<()> {
                self.writer.delete_driver(operator, id).await
            }

            async fn drivers(&self, operator: OperatorId) -> Result<Vec<$crate::Driver>> {
                let rows = ::sqlx::query("SELECT * FROM drivers WHERE operator_id = $1 ORDER BY lower(name), id")
                    .bind(operator.0)
                    .fetch_all(&self.reads)
                    .await
                    .store()?;
                let mut groups = self.memberships(operator).await?;
                rows.iter()
                    .map(|row| {
                        let cols = Cols(row);
                        let id = cols.int("id")?;
                        let ids = groups.remove(&id).unwrap_or_default();
                        backend::driver(&cols, ids.into_iter().map(|g| g.0).collect())
                    })
                    .collect()
            }

            async fn driver(&self, operator: OperatorId, id: DriverId) -> Result<Option<$crate::Driver>> {
                let row = ::sqlx::query("SELECT * FROM drivers WHERE id = $1 AND operator_id = $2")
                    .bind(id.0)
                    .bind(operator.0)
                    .fetch_optional(&self.reads)
                    .await
                    .store()?;
                self.with_groups(row).await
            }

            async fn driver_by_account(
                &self,
                operator: OperatorId,
                account: AccountId,
            ) -> Result<Option<$crate::Driver>> {
                let row = ::sqlx::query("SELECT * FROM drivers WHERE operator_id = $1 AND account_id = $2")
                    .bind(operator.0)
                    .bind(account.0)
                    .fetch_optional(&self.reads)
                    .await
                    .store()?;
                self.with_groups(row).await
            }

            async fn create_group(
                &self,
                operator: OperatorId,
                name: &GroupName,
                at: Timestamp,
            ) -> Result<$crate::DriverGroup> {
                self.writer.create_group(operator, name, at).await
            }

            async fn delete_group(&self, operator: OperatorId, id: GroupId) -> Result<()> {
                self.writer.delete_group(operator, id).await
            }

            async fn groups(&self, operator: OperatorId) -> Result<Vec<$crate::DriverGroup>> {
                let rows = ::sqlx::query(
                    "SELECT g.id, g.operator_id, g.name, g.created_at,
                            (SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id) AS members
                     FROM driver_groups g WHERE g.operator_id = $1 ORDER BY lower(g.name), g.id",
                )
                .bind(operator.0)
                .fetch_all(&self.reads)
                .await
                .store()?;
                all(rows, |r| backend::driver_group(r))
            }

            async fn set_group_member(
                &self,
                operator: OperatorId,
                group: GroupId,
                driver: DriverId,
                member: bool,
            ) -> Result<()> {
                self.writer.set_group_member(operator, group, driver, member).await
            }

            async fn group_members(&self, operator: OperatorId, group: GroupId) -> Result<Vec<$crate::Driver>> {
                let found: Option<i64> =
                    ::sqlx::query_scalar("SELECT id FROM driver_groups WHERE id = $1 AND operator_id = $2")
                        .bind(group.0)
                        .bind(operator.0)
                        .fetch_optional(&self.reads)
                        .await
                        .store()?;
                if found.is_none() {
                    return Err(StoreError::NotFound(format!("group {group} of operator {operator}")));
                }
                let members: ::std::collections::HashSet<i64> =
                    ::sqlx::query_scalar("SELECT driver_id FROM group_members WHERE group_id = $1")
                        .bind(group.0)
                        .fetch_all(&self.reads)
                        .await
                        .store()?
                        .into_iter()
                        .collect();
                let mut drivers = self.drivers(operator).await?;
                drivers.retain(|d| members.contains(&d.id.0));
                Ok(drivers)
            }

            async fn set_token_driver(
                &self,
                operator: OperatorId,
                tag: &IdTag,
                driver: Option<DriverId>,
            ) -> Result<()> {
                self.writer.set_token_driver(operator, tag, driver).await
            }

            // --- token import in one transaction ---
            async fn import_tokens(&self, import: &$crate::TokenImport) -> Result<Vec<Option<DriverId>>> {
                self.writer.import_tokens(import).await
            }

            async fn driver_tokens(&self, operator: OperatorId, driver: DriverId) -> Result<Vec<IdToken>> {
                let rows =
                    ::sqlx::query("SELECT * FROM id_tokens WHERE operator_id = $1 AND driver_id = $2 ORDER BY tag")
                        .bind(operator.0)
                        .bind(driver.0)
                        .fetch_all(&self.reads)
                        .await
                        .store()?;
                all(rows, |r| backend::id_token(r))
            }

            async fn token_facts(&self, operator: OperatorId, tag: &IdTag) -> Result<Option<$crate::TokenFacts>> {
                let row = ::sqlx::query("SELECT * FROM id_tokens WHERE operator_id = $1 AND tag = $2")
                    .bind(operator.0)
                    .bind(tag.as_str())
                    .fetch_optional(&self.reads)
                    .await
                    .store()?;
                let Some(row) = row else { return Ok(None) };
                let cols = Cols(&row);
                let token = backend::id_token(&cols)?;
                let driver = match cols.opt_int("driver_id")? {
                    None => None,
                    Some(id) => {
                        let groups: Vec<i64> = ::sqlx::query_scalar(
                            "SELECT group_id FROM group_members WHERE driver_id = $1 ORDER BY group_id",
                        )
                        .bind(id)
                        .fetch_all(&self.reads)
                        .await
                        .store()?;
                        Some(DriverFacts { id: DriverId(id), groups: groups.into_iter().map(GroupId).collect() })
                    }
                };
                Ok(Some($crate::TokenFacts { token, driver }))
            }


            // Both reads are answered from the index `meter_values_by_station_measurand` alone (migration 0013:
            // it holds every column they touch), in its order: station, measurand, connector, time.
            async fn energy_readings(&self, query: &EnergyQuery) -> Result<Vec<EnergyReading>> {
                let rows = ::sqlx::query(
                    "SELECT ts, value, CAST(CASE WHEN context = 'Sample.Clock' THEN 1 ELSE 0 END AS BIGINT) AS clock_aligned
                     FROM meter_values
                     WHERE station_id = $1 AND measurand = 'Energy.Active.Import.Register' AND connector_id = $2
                       AND ts >= $3 AND ts < $4 AND phase = '' AND location IN ('', 'Outlet') AND unit = 'Wh'
                       AND value IS NOT NULL
                     ORDER BY ts LIMIT $5",
                )
                .bind(query.station_id.as_str())
                .bind(i64::from(query.connector_id))
                .bind($to_column(query.since))
                .bind($to_column(query.until))
                .bind(i64::from(query.limit))
                .fetch_all(&self.reads)
                .await
                .store()?;
                all(rows, |r| backend::energy_reading(r))
            }

            async fn latest_power(&self, station: &StationId) -> Result<Vec<PowerSample>> {
                // The connectors with power samples, one index probe each (a loose index scan), so the read
                // stays small however long the history is.
                let connectors = ::sqlx::query(
                    "WITH RECURSIVE c(id) AS (
                         SELECT MIN(connector_id) FROM meter_values
                         WHERE station_id = $1 AND measurand = 'Power.Active.Import'
                         UNION ALL
                         SELECT (SELECT MIN(connector_id) FROM meter_values
                                 WHERE station_id = $1 AND measurand = 'Power.Active.Import' AND connector_id > c.id)
                         FROM c WHERE c.id IS NOT NULL
                     )
                     SELECT id FROM c WHERE id IS NOT NULL",
                )
                .bind(station.as_str())
                .fetch_all(&self.reads)
                .await
                .store()?;
                let mut out = Vec::with_capacity(connectors.len());
                for c in connectors {
                    let connector = Cols(&c).int("id")?;
                    let rows = ::sqlx::query(
                        "SELECT connector_id, ts, value FROM meter_values
                         WHERE station_id = $1 AND measurand = 'Power.Active.Import' AND connector_id = $2
                           AND phase = '' AND location IN ('', 'Outlet') AND unit = 'W' AND value IS NOT NULL
                         ORDER BY ts DESC LIMIT 2",
                    )
                    .bind(station.as_str())
                    .bind(connector)
                    .fetch_all(&self.reads)
                    .await
                    .store()?;
                    let mut latest = all(rows, |r| backend::power_sample(r))?.into_iter();
                    if let Some(mut last) = latest.next() {
                        last.previous_at = latest.next().map(|p| p.at);
                        out.push(last);
                    }
                }
                Ok(out)
            }


            async fn access_rules(&self, station: &StationId) -> Result<Option<AccessRules>> {
                // Two reads, each on a primary key or index: the station with its mode and times, then every
                // part (overrides, lists, group times) in one UNION. The first branch fixes the column types;
                // the casts give the NULLs of the others the same types in PostgreSQL.
                let head = ::sqlx::query(
                    "SELECT s.free_vend, a.mode, a.available_times, d.id AS owner_driver
                     FROM stations s LEFT JOIN station_access a ON a.station_id = s.id
                         LEFT JOIN drivers d ON d.operator_id = s.operator_id AND d.account_id = s.owner_id
                     WHERE s.id = $1",
                )
                .bind(station.as_str())
                .fetch_optional(&self.reads)
                .await
                .store()?;
                let Some(head) = head else { return Ok(None) };
                let rows = ::sqlx::query(
                    "SELECT 'c' AS kind, connector, mode, authorization_required AS auth,
                         CAST(NULL AS BIGINT) AS driver_id, CAST(NULL AS BIGINT) AS group_id,
                         CAST(NULL AS TEXT) AS times
                     FROM station_access_connectors WHERE station_id = $1
                     UNION ALL
                     SELECT 'a', connector, CAST(NULL AS TEXT), CAST(NULL AS BIGINT), driver_id, group_id,
                         CAST(NULL AS TEXT)
                     FROM station_access_admitted WHERE station_id = $1
                     UNION ALL
                     SELECT 'g', 0, CAST(NULL AS TEXT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), group_id, times
                     FROM station_group_times WHERE station_id = $1",
                )
                .bind(station.as_str())
                .fetch_all(&self.reads)
                .await
                .store()?;
                let parts: Vec<Cols<'_>> = rows.iter().map(Cols).collect();
                Ok(Some(backend::access_rules(&Cols(&head), &parts)?))
            }

            async fn set_access_rules(
                &self,
                station: &StationId,
                rules: &AccessRules,
                at: Timestamp,
            ) -> Result<AccessRules> {
                self.writer.set_access_rules(station, rules, at).await?;
                self.access_rules(station).await?.ok_or_else(|| StoreError::NotFound(format!("station {station}")))
            }


            async fn create_password_reset(&self, reset: &$crate::NewPasswordReset) -> Result<()> {
                self.writer.create_password_reset(reset).await
            }

            async fn password_resets_since(&self, account: AccountId, since: Timestamp) -> Result<u32> {
                let n: i64 = ::sqlx::query_scalar(
                    "SELECT COUNT(*) FROM password_resets WHERE account_id = $1 AND created_at >= $2",
                )
                .bind(account.0)
                .bind($to_column(since))
                .fetch_one(&self.reads)
                .await
                .store()?;
                Ok(u32::try_from(n).unwrap_or(u32::MAX))
            }

            async fn password_reset_account(&self, token_hash: &str, at: Timestamp) -> Result<Option<AccountId>> {
                let id: Option<i64> = ::sqlx::query_scalar(
                    "SELECT account_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
                )
                .bind(token_hash)
                .bind($to_column(at))
                .fetch_optional(&self.reads)
                .await
                .store()?;
                Ok(id.map(AccountId))
            }

            async fn reset_password(&self, token_hash: &str, password_hash: &str, at: Timestamp) -> Result<AccountId> {
                self.writer.reset_password(token_hash, password_hash, at).await
            }


            async fn operator_token_facts(&self, operator: OperatorId) -> Result<Vec<TokenFacts>> {
                let tokens = ::sqlx::query("SELECT * FROM id_tokens WHERE operator_id = $1 ORDER BY tag")
                    .bind(operator.0)
                    .fetch_all(&self.reads)
                    .await
                    .store()?;
                // Every membership of the operator's drivers in one read, instead of one read per token.
                let groups = self.memberships(operator).await?;
                tokens
                    .iter()
                    .map(|row| {
                        let cols = Cols(row);
                        let token = backend::id_token(&cols)?;
                        let driver = cols.opt_int("driver_id")?.map(|id| DriverFacts {
                            id: DriverId(id),
                            groups: groups.get(&id).cloned().unwrap_or_default(),
                        });
                        Ok(TokenFacts { token, driver })
                    })
                    .collect()
            }

            async fn local_list_state(&self, station: &StationId) -> Result<Option<LocalListState>> {
                let head = ::sqlx::query("SELECT * FROM local_list_sync WHERE station_id = $1")
                    .bind(station.as_str())
                    .fetch_optional(&self.reads)
                    .await
                    .store()?;
                let Some(head) = head else { return Ok(None) };
                let rows = ::sqlx::query("SELECT * FROM local_list_entries WHERE station_id = $1 ORDER BY tag")
                    .bind(station.as_str())
                    .fetch_all(&self.reads)
                    .await
                    .store()?;
                let entries = all(rows, |r| backend::local_list_entry(r))?;
                Ok(Some(backend::local_list_state(&Cols(&head), entries)?))
            }

            async fn put_local_list_state(&self, state: &LocalListState, at: Timestamp) -> Result<()> {
                self.writer.put_local_list_state(state, at).await
            }


            async fn energy_quarters(
                &self,
                station: &StationId,
                connector: u32,
                first_day: i64,
                last_day: i64,
            ) -> Result<Vec<QuarterSummary>> {
                // A primary-key range: one row per day.
                let rows = ::sqlx::query(
                    "SELECT day, quarters FROM meter_quarter_days
                     WHERE station_id = $1 AND connector_id = $2 AND day >= $3 AND day <= $4
                     ORDER BY day",
                )
                .bind(station.as_str())
                .bind(i64::from(connector))
                .bind(first_day)
                .bind(last_day)
                .fetch_all(&self.reads)
                .await
                .store()?;
                let mut out = Vec::with_capacity(rows.len() * backend::quarters::QUARTERS_PER_DAY);
                for row in &rows {
                    let c = Cols(row);
                    let bytes: &[u8] = c.get("quarters")?;
                    backend::quarters::decode_day(c.int("day")?, bytes, &mut out)?;
                }
                Ok(out)
            }

            async fn rebuild_energy_quarters(&self, station: Option<&StationId>) -> Result<u64> {
                let stations: Vec<String> = match station {
                    Some(s) => vec![s.as_str().to_string()],
                    None => ::sqlx::query_scalar("SELECT id FROM stations ORDER BY id")
                        .fetch_all(&self.reads)
                        .await
                        .store()?,
                };
                let mut written = 0;
                for id in stations {
                    // The station's meters with register readings, one index probe each (a loose index scan
                    // of meter_values_by_station_measurand).
                    let connectors: Vec<i64> = ::sqlx::query_scalar(
                        "WITH RECURSIVE c(id) AS (
                             SELECT MIN(connector_id) FROM meter_values
                             WHERE station_id = $1 AND measurand = 'Energy.Active.Import.Register'
                             UNION ALL
                             SELECT (SELECT MIN(connector_id) FROM meter_values
                                     WHERE station_id = $1 AND measurand = 'Energy.Active.Import.Register'
                                       AND connector_id > c.id)
                             FROM c WHERE c.id IS NOT NULL
                         )
                         SELECT id FROM c WHERE id IS NOT NULL",
                    )
                    .bind(id.as_str())
                    .fetch_all(&self.reads)
                    .await
                    .store()?;
                    let sid = StationId::parse(&id).map_err(|e| StoreError::Corrupt(format!("station id {id}: {e}")))?;
                    for c in connectors {
                        let c = u32::try_from(c).map_err(|_| StoreError::Corrupt(format!("connector {c}")))?;
                        written += self.writer.rebuild_energy_quarters(&sid, c).await?;
                    }
                }
                Ok(written)
            }

            async fn import_energy_quarters(
                &self,
                station: &StationId,
                connector: u32,
                summaries: &[QuarterSummary],
            ) -> Result<u64> {
                let mut sorted = summaries.to_vec();
                sorted.sort_by_key(|s| s.quarter());
                sorted.dedup_by_key(|s| s.quarter());
                let mut days = Vec::new();
                let mut rest = &sorted[..];
                while let Some(first) = rest.first() {
                    let day = backend::quarters::day_of_quarter(first.quarter());
                    let n = rest.iter().take_while(|s| backend::quarters::day_of_quarter(s.quarter()) == day).count();
                    days.push((day, backend::quarters::QuarterDay::of(day, &rest[..n]).encode()));
                    rest = &rest[n..];
                }
                self.writer.put_energy_quarter_days(station, connector, days).await
            }
        }

        impl $store {
            /// Builds the quarter summaries of the readings stored before migration 0016, once: the
            /// migration leaves a row in `meter_quarter_backfill`, deleted when every meter is done (an
            /// interrupted backfill starts again at the next open; it only rewrites what it wrote). Called
            /// by the backend when it opens, before the store serves anyone.
            pub(crate) async fn backfill_energy_quarters(&self) -> Result<()> {
                let pending: Option<i64> = ::sqlx::query_scalar("SELECT pending FROM meter_quarter_backfill LIMIT 1")
                    .fetch_optional(&self.reads)
                    .await
                    .store()?;
                if pending.is_none() {
                    return Ok(());
                }
                let started = ::std::time::Instant::now();
                let days = self.rebuild_energy_quarters(None).await?;
                self.writer.finish_quarter_backfill().await?;
                if days > 0 {
                    ::tracing::info!(days, seconds = started.elapsed().as_secs(), "built the quarter summaries of the stored meter values");
                }
                Ok(())
            }
        }

        impl $store {
            /// Every group membership of the operator's drivers, in one read: driver id → its groups, in order.
            async fn memberships(
                &self,
                operator: OperatorId,
            ) -> Result<::std::collections::HashMap<i64, Vec<GroupId>>> {
                let members: Vec<(i64, i64)> = ::sqlx::query_as(
                    "SELECT m.driver_id, m.group_id FROM group_members m JOIN drivers d ON d.id = m.driver_id
                     WHERE d.operator_id = $1 ORDER BY m.driver_id, m.group_id",
                )
                .bind(operator.0)
                .fetch_all(&self.reads)
                .await
                .store()?;
                let mut groups: ::std::collections::HashMap<i64, Vec<GroupId>> = ::std::collections::HashMap::new();
                for (driver, group) in members {
                    groups.entry(driver).or_default().push(GroupId(group));
                }
                Ok(groups)
            }

            /// A driver row with its groups (read in a second query).
            async fn with_groups(&self, row: Option<<$db as ::sqlx::Database>::Row>) -> Result<Option<$crate::Driver>> {
                let Some(row) = row else { return Ok(None) };
                let cols = Cols(&row);
                let groups: Vec<i64> =
                    ::sqlx::query_scalar("SELECT group_id FROM group_members WHERE driver_id = $1 ORDER BY group_id")
                        .bind(cols.int("id")?)
                        .fetch_all(&self.reads)
                        .await
                        .store()?;
                backend::driver(&cols, groups).map(Some)
            }
        }

        /// Hands each step to its handover (steps read in a second query, possibly a moment later: a step
        /// of a handover not in the first read is dropped).
        fn with_steps(
            mut handovers: Vec<$crate::Handover>,
            steps: Vec<$crate::HandoverStep>,
        ) -> Result<Vec<$crate::Handover>> {
            let mut at: ::std::collections::HashMap<i64, usize> = ::std::collections::HashMap::new();
            for (i, h) in handovers.iter().enumerate() {
                at.insert(h.id, i);
            }
            for step in steps {
                if let Some(&i) = at.get(&step.handover_id) {
                    handovers[i].steps.push(step);
                }
            }
            Ok(handovers)
        }
    };
}
