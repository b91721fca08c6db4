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
        #[$crate::backend::sql::prelude::async_trait]
        impl WriteOps for $writer {
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
                    None => {
                        Err(StoreError::NotFound(format!("backend {id} of operator {}", backend.operator_id)).into())
                    }
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
                    M::DataTransfer { vendor_id, message_id } => {
                        (None, Some(vendor_id.as_str()), message_id.as_deref())
                    }
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
        }

        /// A taken backend name, said as such (the unique index's own message names columns, not the name).
        fn backend_name_taken(mut f: Failure, backend: &$crate::NewBackend) -> Failure {
            if matches!(f.error, StoreError::Conflict(_)) {
                f.error = StoreError::Conflict(format!(
                    "the operator has a backend named {:?} already",
                    backend.name.as_str()
                ));
            }
            f
        }
    };
}
