//! [`HandoverStore`] in SQL: backends, provisioning profiles, handovers with their steps, and station
//! assignments.

use std::collections::HashMap;

use async_trait::async_trait;
use joule_core::handover::HandoverState;
use joule_core::station::StationState;
use joule_core::{OperatorId, StationId};

use super::{Exec, SqlBackend, all, one};
use crate::backend::{self, Columns, ExecResult, Failure, Lock, rank};
use crate::{
    Assignment, Backend, Handover, HandoverChange, HandoverStep, HandoverStore, NewBackend, NewHandover,
    NewHandoverStep, ProvisioningMethod, ProvisioningProfile, Result, StoreError,
};

#[async_trait]
impl<B: SqlBackend> HandoverStore for B {
    async fn create_backend(&self, backend: &NewBackend) -> Result<Backend> {
        self.writer()
            .write(Lock::global(rank::BACKENDS), backend.clone(), |tx, backend| Box::pin(create_backend(tx, backend)))
            .await
    }

    async fn update_backend(&self, id: i64, backend: &NewBackend) -> Result<Backend> {
        self.writer()
            .write(Lock::global(rank::BACKENDS), (id, backend.clone()), |tx, (id, backend)| {
                Box::pin(update_backend(tx, *id, backend))
            })
            .await
    }

    async fn delete_backend(&self, operator: OperatorId, id: i64) -> Result<()> {
        self.writer()
            .write(Lock::global(rank::BACKENDS), (operator, id), |tx, (operator, id)| {
                Box::pin(delete_backend(tx, *operator, *id))
            })
            .await
    }

    async fn backends(&self, operator: OperatorId) -> Result<Vec<Backend>> {
        let sql = "SELECT * FROM backends WHERE operator_id = $1 ORDER BY name";
        all(self.reader().await?.fetch_all(sql, &[operator.into()]).await?, backend::backend)
    }

    async fn backend_by_name(&self, operator: OperatorId, name: &str) -> Result<Option<Backend>> {
        let sql = "SELECT * FROM backends WHERE operator_id = $1 AND name = $2";
        one(self.reader().await?.fetch_optional(sql, &[operator.into(), name.into()]).await?, backend::backend)
    }

    async fn put_provisioning_profile(&self, profile: &ProvisioningProfile) -> Result<ProvisioningProfile> {
        self.writer()
            .write(Lock::global(rank::PROVISIONING_PROFILES), profile.clone(), |tx, profile| {
                Box::pin(put_provisioning_profile(tx, profile))
            })
            .await
    }

    async fn delete_provisioning_profile(&self, operator: OperatorId, vendor_key: &str) -> Result<()> {
        let args = (operator, vendor_key.to_string());
        self.writer()
            .write(Lock::global(rank::PROVISIONING_PROFILES), args, |tx, (operator, vendor_key)| {
                Box::pin(delete_provisioning_profile(tx, *operator, vendor_key))
            })
            .await
    }

    async fn provisioning_profiles(&self, operator: OperatorId) -> Result<Vec<ProvisioningProfile>> {
        let sql = "SELECT * FROM provisioning_profiles WHERE operator_id = $1 ORDER BY vendor_key";
        all(self.reader().await?.fetch_all(sql, &[operator.into()]).await?, backend::provisioning_profile)
    }

    async fn provisioning_profile(
        &self,
        operator: OperatorId,
        vendor_key: &str,
    ) -> Result<Option<ProvisioningProfile>> {
        let sql = "SELECT * FROM provisioning_profiles WHERE operator_id = $1 AND vendor_key = $2";
        let row = self.reader().await?.fetch_optional(sql, &[operator.into(), vendor_key.into()]).await?;
        one(row, backend::provisioning_profile)
    }

    async fn create_handover(&self, handover: &NewHandover) -> Result<Handover> {
        self.writer()
            .write(Lock::station(&handover.station_id, rank::HANDOVER), handover.clone(), |tx, handover| {
                Box::pin(create_handover(tx, handover))
            })
            .await
    }

    async fn set_handover_state(&self, change: &HandoverChange) -> Result<Handover> {
        self.writer()
            .write(Lock::global(rank::HANDOVER_PROGRESS), change.clone(), |tx, change| {
                Box::pin(set_handover_state(tx, change))
            })
            .await
    }

    async fn add_handover_step(&self, step: &NewHandoverStep) -> Result<HandoverStep> {
        self.writer()
            .write(Lock::global(rank::HANDOVER_PROGRESS), step.clone(), |tx, step| {
                Box::pin(add_handover_step(tx, step))
            })
            .await
    }

    async fn handover(&self, id: i64) -> Result<Option<Handover>> {
        Ok(handover(&mut self.reader().await?, id).await?)
    }

    async fn handovers(&self, station: &StationId) -> Result<Vec<Handover>> {
        let mut db = self.reader().await?;
        let sql = "SELECT * FROM handovers WHERE station_id = $1 ORDER BY requested_at DESC, id DESC";
        let rows = db.fetch_all(sql, &[station.into()]).await?;
        let steps = db
            .fetch_all(
                "SELECT s.* FROM handover_steps s JOIN handovers h ON h.id = s.handover_id
                 WHERE h.station_id = $1 ORDER BY s.id",
                &[station.into()],
            )
            .await?;
        with_steps(all(rows, backend::handover)?, all(steps, backend::handover_step)?)
    }

    async fn handovers_in_state(&self, state: HandoverState) -> Result<Vec<Handover>> {
        let mut db = self.reader().await?;
        let sql = "SELECT * FROM handovers WHERE state = $1 ORDER BY requested_at, id";
        let rows = db.fetch_all(sql, &[state.as_str().into()]).await?;
        let steps = db
            .fetch_all(
                "SELECT s.* FROM handover_steps s JOIN handovers h ON h.id = s.handover_id
                 WHERE h.state = $1 ORDER BY s.id",
                &[state.as_str().into()],
            )
            .await?;
        with_steps(all(rows, backend::handover)?, all(steps, backend::handover_step)?)
    }

    async fn assign_station(&self, assignment: &Assignment) -> Result<Assignment> {
        self.writer()
            .write(Lock::station(&assignment.station_id, rank::ASSIGNMENT), assignment.clone(), |tx, assignment| {
                Box::pin(assign_station(tx, assignment))
            })
            .await
    }

    async fn assignment(&self, station: &StationId) -> Result<Option<Assignment>> {
        let sql = "SELECT * FROM station_assignments WHERE station_id = $1";
        one(self.reader().await?.fetch_optional(sql, &[station.into()]).await?, backend::assignment)
    }
}

/// The handover with its steps.
async fn handover(db: &mut impl Exec, id: i64) -> ExecResult<Option<Handover>> {
    let row = db.fetch_optional("SELECT * FROM handovers WHERE id = $1", &[id.into()]).await?;
    let Some(mut handover) = one(row, backend::handover)? else { return Ok(None) };
    let steps = db.fetch_all("SELECT * FROM handover_steps WHERE handover_id = $1 ORDER BY id", &[id.into()]).await?;
    handover.steps = all(steps, backend::handover_step)?;
    Ok(Some(handover))
}

/// Hands each step to its handover (steps read in a second query, possibly a moment later: a step of a
/// handover not in the first read is dropped).
fn with_steps(mut handovers: Vec<Handover>, steps: Vec<HandoverStep>) -> Result<Vec<Handover>> {
    let at: HashMap<i64, usize> = handovers.iter().enumerate().map(|(i, h)| (h.id, i)).collect();
    for step in steps {
        if let Some(&i) = at.get(&step.handover_id) {
            handovers[i].steps.push(step);
        }
    }
    Ok(handovers)
}

/// A conflict said in the caller's terms (the unique index's own message names columns, not the value).
fn conflict(mut f: Failure, what: impl FnOnce() -> String) -> Failure {
    if matches!(f.error, StoreError::Conflict(_)) {
        f.error = StoreError::Conflict(what());
    }
    f
}

/// A taken backend name, said as such.
fn backend_name_taken(f: Failure, backend: &NewBackend) -> Failure {
    conflict(f, || format!("the operator has a backend named {:?} already", backend.name.as_str()))
}

async fn create_backend(tx: &mut impl Exec, backend: &NewBackend) -> ExecResult<Backend> {
    let row = tx
        .fetch_one(
            "INSERT INTO backends (operator_id, name, ocpp_url, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $4) RETURNING *",
            &[
                backend.operator_id.into(),
                backend.name.as_str().into(),
                backend.ocpp_url.as_str().into(),
                backend.at.into(),
            ],
        )
        .await
        .map_err(|f| backend_name_taken(f, backend))?;
    Ok(backend::backend(&row)?)
}

async fn update_backend(tx: &mut impl Exec, id: i64, backend: &NewBackend) -> ExecResult<Backend> {
    let row = tx
        .fetch_optional(
            "UPDATE backends SET name = $3, ocpp_url = $4, updated_at = $5
             WHERE id = $1 AND operator_id = $2 RETURNING *",
            &[
                id.into(),
                backend.operator_id.into(),
                backend.name.as_str().into(),
                backend.ocpp_url.as_str().into(),
                backend.at.into(),
            ],
        )
        .await
        .map_err(|f| backend_name_taken(f, backend))?;
    match row {
        Some(row) => Ok(backend::backend(&row)?),
        None => Err(StoreError::NotFound(format!("backend {id} of operator {}", backend.operator_id)).into()),
    }
}

async fn delete_backend(tx: &mut impl Exec, operator: OperatorId, id: i64) -> ExecResult<()> {
    let sql = "DELETE FROM backends WHERE id = $1 AND operator_id = $2 RETURNING id";
    match tx.fetch_optional(sql, &[id.into(), operator.into()]).await? {
        Some(_) => Ok(()),
        None => Err(StoreError::NotFound(format!("backend {id} of operator {operator}")).into()),
    }
}

async fn put_provisioning_profile(
    tx: &mut impl Exec,
    profile: &ProvisioningProfile,
) -> ExecResult<ProvisioningProfile> {
    let (key, dt_vendor, dt_message) = match &profile.method {
        ProvisioningMethod::ConfigurationKey { key } => (Some(key.as_str()), None, None),
        ProvisioningMethod::DataTransfer { vendor_id, message_id } => {
            (None, Some(vendor_id.as_str()), message_id.as_deref())
        }
    };
    let vendor_key = profile.vendor_key();
    // A missing operator breaks the foreign key (NotFound).
    let row = tx
        .fetch_one(
            "INSERT INTO provisioning_profiles (operator_id, vendor_key, vendor, method, config_key,
                 dt_vendor_id, dt_message_id, append_station_id, reset, updated_at, updated_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             ON CONFLICT (operator_id, vendor_key) DO UPDATE SET vendor = excluded.vendor,
                 method = excluded.method, config_key = excluded.config_key,
                 dt_vendor_id = excluded.dt_vendor_id, dt_message_id = excluded.dt_message_id,
                 append_station_id = excluded.append_station_id, reset = excluded.reset,
                 updated_at = excluded.updated_at, updated_by = excluded.updated_by
             RETURNING *",
            &[
                profile.operator_id.into(),
                vendor_key.as_str().into(),
                profile.vendor.as_str().into(),
                profile.method.kind().into(),
                key.into(),
                dt_vendor.into(),
                dt_message.into(),
                profile.append_station_id.into(),
                profile.reset.as_str().into(),
                profile.updated_at.into(),
                profile.updated_by.as_str().into(),
            ],
        )
        .await?;
    Ok(backend::provisioning_profile(&row)?)
}

async fn delete_provisioning_profile(tx: &mut impl Exec, operator: OperatorId, vendor_key: &str) -> ExecResult<()> {
    let sql = "DELETE FROM provisioning_profiles WHERE operator_id = $1 AND vendor_key = $2 RETURNING vendor_key";
    match tx.fetch_optional(sql, &[operator.into(), vendor_key.into()]).await? {
        Some(_) => Ok(()),
        None => {
            let what = format!("provisioning profile for vendor {vendor_key:?} of operator {operator}");
            Err(StoreError::NotFound(what).into())
        }
    }
}

async fn create_handover(tx: &mut impl Exec, handover: &NewHandover) -> ExecResult<Handover> {
    // The partial unique index handovers_one_open allows one open handover per station, whichever writer (or
    // process) inserts first.
    let row = tx
        .fetch_one(
            "INSERT INTO handovers (station_id, operator_id, target_name, target_url, backend_id, state,
                 requested_by, requested_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING *",
            &[
                (&handover.station_id).into(),
                handover.operator_id.into(),
                handover.target_name.as_str().into(),
                handover.target_url.as_str().into(),
                handover.backend_id.into(),
                HandoverState::Recorded.as_str().into(),
                handover.requested_by.as_str().into(),
                handover.requested_at.into(),
            ],
        )
        .await
        .map_err(|f| conflict(f, || format!("station {} has a handover under way already", handover.station_id)))?;
    Ok(backend::handover(&row)?)
}

async fn set_handover_state(tx: &mut impl Exec, change: &HandoverChange) -> ExecResult<Handover> {
    let finished = (!change.to.is_open()).then_some(change.at);
    let found = tx
        .fetch_optional(
            "UPDATE handovers SET state = $3, detail = COALESCE($4, detail), updated_at = $5,
                 finished_at = COALESCE($6, finished_at)
             WHERE id = $1 AND state = $2 RETURNING id",
            &[
                change.id.into(),
                change.from.as_str().into(),
                change.to.as_str().into(),
                change.detail.as_deref().into(),
                change.at.into(),
                finished.into(),
            ],
        )
        .await?;
    if found.is_none() {
        let now = tx.fetch_optional("SELECT state FROM handovers WHERE id = $1", &[change.id.into()]).await?;
        return Err(match now {
            Some(row) => {
                let state = row.text("state")?;
                StoreError::Conflict(format!("handover {} is {state}, not {}", change.id, change.from))
            }
            None => StoreError::NotFound(format!("handover {}", change.id)),
        }
        .into());
    }
    if change.to == HandoverState::HandedOver {
        // In the same transaction: a handed-over handover and a station still active must never be seen
        // together (billing skips stations by their state).
        tx.execute(
            "UPDATE stations SET state = $2 WHERE id = (SELECT station_id FROM handovers WHERE id = $1)",
            &[change.id.into(), StationState::HandedOver.as_str().into()],
        )
        .await?;
    }
    handover(tx, change.id).await?.ok_or_else(|| StoreError::NotFound("no such row".into()).into())
}

async fn add_handover_step(tx: &mut impl Exec, step: &NewHandoverStep) -> ExecResult<HandoverStep> {
    // A missing handover breaks the foreign key (NotFound).
    let row = tx
        .fetch_one(
            "INSERT INTO handover_steps (handover_id, at, step, outcome, detail, command_id)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING *",
            &[
                step.handover_id.into(),
                step.at.into(),
                step.step.as_str().into(),
                step.outcome.as_str().into(),
                step.detail.as_deref().into(),
                step.command_id.into(),
            ],
        )
        .await?;
    Ok(backend::handover_step(&row)?)
}

async fn assign_station(tx: &mut impl Exec, assignment: &Assignment) -> ExecResult<Assignment> {
    let row = tx
        .fetch_one(
            "INSERT INTO station_assignments (station_id, operator_id, purchased_from, backend_id,
                 backend_name, assigned_by, assigned_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *",
            &[
                (&assignment.station_id).into(),
                assignment.operator_id.into(),
                assignment.purchased_from.as_str().into(),
                assignment.backend_id.into(),
                assignment.backend_name.as_str().into(),
                assignment.assigned_by.as_str().into(),
                assignment.assigned_at.into(),
            ],
        )
        .await
        .map_err(|f| conflict(f, || format!("station {} is assigned already", assignment.station_id)))?;
    Ok(backend::assignment(&row)?)
}
