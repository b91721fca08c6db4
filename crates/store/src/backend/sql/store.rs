//! [`Store`](crate::Store) in SQL, for both backends (see [`sql_backend!`](crate::sql_backend)): the reads,
//! and the writes handed to the group-commit writer.

/// The store's half of [`sql_backend!`](crate::sql_backend).
#[doc(hidden)]
#[macro_export]
macro_rules! __sql_store {
    ($db:ty, $store:ty, $to_column:path) => {
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
        impl HandoverStore for $store {
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
