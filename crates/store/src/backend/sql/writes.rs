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
                     parking_spot, directions, photo_type, CAST(length(photo) AS BIGINT) AS photo_size, updated_at
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
                    "UPDATE installations SET photo = $2, photo_type = $3, photo_at = $4, updated_at = $4
                     WHERE station_id = $1",
                )
                .bind(station.as_str())
                .bind(photo)
                .bind(content_type)
                .bind($to_column(at))
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







        }

        /// A taken backend name, said as such (the unique index's own message names columns, not the name).
        fn backend_name_taken(mut f: Failure, backend: &$crate::NewBackend) -> Failure {
            if matches!(f.error, StoreError::Conflict(_)) {
                f.error = StoreError::Conflict(format!("the operator has a backend named {:?} already", backend.name.as_str()));
            }
            f
        }






    };
}
