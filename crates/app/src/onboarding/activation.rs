//! Activation requests (route 1 "Joule as the backend"): an owner confirmed by the operator fills in the
//! activation form; the request enters the operator's queue; staff review it, then approve it (every station
//! of the request is activated, and registered first if Joule has not seen it yet) or reject it with a
//! reason. The owner is told the outcome in the portal inbox and by e-mail. Requests open longer than the
//! operator's service level are flagged overdue. An approved request's owner becomes the owner of its
//! stations. Every step goes to the audit log with the request before and after.

use chrono::Utc;
use joule_core::Timestamp;
use joule_core::account::Account;
use joule_core::activation::{
    ActivationFormInput, ActivationRequest, ActivationRequestId, ActivationState, Transition, check_reason, transition,
};
use joule_core::station::StationState;
use joule_store::{ActivationFilter, NewActivationRequest, NewStation, Notification, StoreError};
use serde_json::{Value, json};

use super::Onboarding;
use crate::audit::{self, Entry};
use crate::policy::{activation_owner, inbox_owner};
use crate::{Actor, AppError, AppResult, Permission};

/// Requests with the service level they are held to (the operator's, in working days), read at `at`.
#[derive(Debug, Clone)]
pub struct Requests {
    pub requests: Vec<ActivationRequest>,
    pub service_days: u32,
    pub at: Timestamp,
}

/// How the audit log (and the API) shows a request at `now`.
pub fn request_snapshot(r: &ActivationRequest, now: Timestamp, service_days: u32) -> Value {
    let f = &r.form;
    let a = &f.address;
    json!({
        "id": r.id.0,
        "operator_id": r.operator_id.0,
        "owner_id": r.owner_id.0,
        "customer_number": f.customer_number,
        "charge_points": f.charge_points.iter().map(|c| json!({
            "number": c.number, "station_id": c.station_id.to_string(), "connectors": c.connectors,
        })).collect::<Vec<_>>(),
        "controller_number": f.controller_number,
        "installation_type": f.installation_type.as_str(),
        "features": f.features.iter().map(|x| x.as_str()).collect::<Vec<_>>(),
        "address": {
            "street": a.street(), "house_number": a.house_number(), "postal_code": a.postal_code(),
            "city": a.city(), "country": a.country().as_str(), "region": a.region(),
        },
        "network": f.network.as_str(),
        "notes": f.notes,
        "state": r.state.as_str(),
        "reason": r.reason,
        "requested_at": r.requested_at,
        "updated_at": r.updated_at,
        "updated_by": r.updated_by,
        "overdue": r.is_overdue(now, service_days),
    })
}

fn snapshot(r: &ActivationRequest, service_days: u32) -> Value {
    request_snapshot(r, Utc::now(), service_days)
}

fn illegal(e: impl std::fmt::Display) -> AppError {
    AppError::Conflict(e.to_string())
}

fn stations_line(r: &ActivationRequest) -> String {
    r.form.charge_points.iter().map(|c| c.station_id.to_string()).collect::<Vec<_>>().join(", ")
}

impl Onboarding<'_> {
    /// The actor's operator's request: not found for a missing one or another operator's.
    async fn own_request(&self, actor: &Actor, id: i64) -> AppResult<ActivationRequest> {
        match self.app.db().activation_request(ActivationRequestId(id)).await? {
            Some(r) if Some(r.operator_id) == actor.operator() => Ok(r),
            _ => Err(AppError::not_found(format!("no activation request {id}"))),
        }
    }

    /// Moves the request (compare-and-set on the state it was read in) and audits it.
    async fn step(
        &self,
        actor: &Actor,
        before: &ActivationRequest,
        t: Transition,
        reason: Option<&str>,
    ) -> AppResult<ActivationRequest> {
        let to = transition(before.state, t).map_err(illegal)?;
        let store = self.app.db();
        let after = store
            .set_activation_state(before.id, before.state, to, reason, actor.name(), Utc::now())
            .await
            .map_err(|e| match e {
                StoreError::Conflict(what) => AppError::Conflict(format!("someone acted first: {what}")),
                e => e.into(),
            })?;
        let days = self.service_days(before.operator_id).await?;
        let entry = Entry {
            action: &format!("activation.{}", t.as_str()),
            subject: format!("activation-request:{}", before.id),
            before: Some(snapshot(before, days)),
            after: Some(snapshot(&after, days)),
        };
        audit::record(store.as_ref(), actor, entry).await;
        Ok(after)
    }

    /// Tells the owner the outcome: in the portal inbox, and by e-mail. A failure to mail is logged.
    async fn tell_owner(&self, request: &ActivationRequest, kind: &str, subject: &str, text: String) {
        match self.app.db().account(request.owner_id).await {
            Ok(Some(owner)) => crate::notify::tell(self.app, &owner, kind, subject, &text, Utc::now()).await,
            other => tracing::error!(?other, request = %request.id, "could not read the owner to tell the outcome"),
        }
    }

    /// Moves the request's stations that are the operator's and in one of `from` to `to`, each audited
    /// (subject `station:<id>`, so it is in the station's history). Stations not known yet are registered at
    /// approval; another operator's are left alone (approval refuses them).
    async fn move_stations(
        &self,
        actor: &Actor,
        request: &ActivationRequest,
        from: &[StationState],
        to: StationState,
    ) -> AppResult<()> {
        let store = self.app.db();
        for cp in &request.form.charge_points {
            let Some(station) = store.station(&cp.station_id).await? else { continue };
            if station.operator_id != request.operator_id || !from.contains(&station.state) {
                continue;
            }
            store.set_station_state(&cp.station_id, to).await?;
            let entry = Entry {
                action: "station.state",
                subject: format!("station:{}", cp.station_id),
                before: Some(json!({ "state": station.state.as_str() })),
                after: Some(json!({ "state": to.as_str(), "activation_request": request.id.0 })),
            };
            audit::record_as(store.as_ref(), actor.name(), Some(request.operator_id), Utc::now(), entry).await;
        }
        Ok(())
    }

    /// An owner the operator confirmed asks for activation with the activation form; the error of a form
    /// names the field. Audited; the request's known stations become requested.
    pub async fn request_activation(
        &self,
        actor: &Actor,
        form: ActivationFormInput<'_>,
    ) -> AppResult<(ActivationRequest, u32)> {
        let (account, operator) = activation_owner(actor)?;
        let form = form.validate().map_err(|e| AppError::invalid(e.field, e.message))?;
        let new = NewActivationRequest { operator_id: operator, owner_id: account.id, form, requested_at: Utc::now() };
        let store = self.app.db();
        let created = store.create_activation_request(&new).await?;
        let days = self.service_days(operator).await?;
        let entry = Entry {
            action: "activation.request",
            subject: format!("activation-request:{}", created.id),
            before: None,
            after: Some(snapshot(&created, days)),
        };
        audit::record_as(store.as_ref(), actor.name(), Some(operator), Utc::now(), entry).await;
        // A known station waiting for activation (or refused before) is now requested.
        let waiting = [StationState::Pending, StationState::Rejected];
        self.move_stations(actor, &created, &waiting, StationState::Requested).await?;
        Ok((created, days))
    }

    /// An owner's own requests; for the operator's staff and tokens (role viewer), the operator's queue.
    /// Only those in `state`, overdue or not as `overdue` says; at most `limit`, oldest first.
    pub async fn activation_requests(
        &self,
        actor: &Actor,
        state: Option<ActivationState>,
        overdue: Option<bool>,
        limit: u32,
    ) -> AppResult<Requests> {
        let (filter, operator) = match actor.account() {
            Some(account) if account.role == joule_core::account::AccountRole::Owner => {
                (ActivationFilter { owner_id: Some(account.id), state, ..Default::default() }, account.operator_id)
            }
            _ => {
                actor.require(Permission::Read)?;
                (ActivationFilter { operator_id: actor.operator(), state, ..Default::default() }, actor.operator())
            }
        };
        let now = Utc::now();
        // An owner's requests are all with the owner's operator; its service level is the one they are held to.
        let days = match operator {
            Some(op) => self.service_days(op).await?,
            None => joule_core::activation::DEFAULT_SERVICE_DAYS,
        };
        let requests = self
            .app
            .db()
            .list_activation_requests(&filter)
            .await?
            .into_iter()
            .filter(|r| overdue.is_none_or(|o| r.is_overdue(now, days) == o))
            .take(limit as usize)
            .collect();
        Ok(Requests { requests, service_days: days, at: now })
    }

    /// Staff take a request into review (requested → in-review). Needs role operator.
    pub async fn review_activation(&self, actor: &Actor, id: i64) -> AppResult<(ActivationRequest, u32)> {
        actor.require(Permission::Operate)?;
        let before = self.own_request(actor, id).await?;
        let after = self.step(actor, &before, Transition::Review, None).await?;
        let days = self.service_days(after.operator_id).await?;
        Ok((after, days))
    }

    /// Staff approve a request in review: each station is registered under the operator if Joule does not
    /// know it yet, activated and owned by the owner who asked (each audited); the request becomes activated
    /// and the owner is told. A conflict unless the request is in review, or if a station belongs to another
    /// operator. Needs role operator.
    pub async fn approve_activation(&self, actor: &Actor, id: i64) -> AppResult<(ActivationRequest, u32)> {
        actor.require(Permission::Operate)?;
        let before = self.own_request(actor, id).await?;
        transition(before.state, Transition::Approve).map_err(illegal)?;
        let operator = before.operator_id;
        let store = self.app.db();
        let elsewhere = |station: &dyn std::fmt::Display| {
            AppError::Conflict(format!("station {station} is registered with another operator"))
        };
        // Every station must be the operator's (or unknown) before any is touched.
        for cp in &before.form.charge_points {
            if let Some(s) = store.station(&cp.station_id).await?
                && s.operator_id != operator
            {
                return Err(elsewhere(&cp.station_id));
            }
        }
        for cp in &before.form.charge_points {
            if store.station(&cp.station_id).await?.is_none() {
                let new = NewStation {
                    id: cp.station_id.clone(),
                    operator_id: operator,
                    state: StationState::Pending,
                    free_vend: false,
                    password_hash: None,
                    created_at: Utc::now(),
                };
                match store.register_station(new).await {
                    // It connected in between: it is the operator's now (ensure_station) or checked below.
                    Ok(_) | Err(StoreError::Conflict(_)) => {}
                    Err(e) => return Err(e.into()),
                }
                let entry = Entry {
                    action: "station.register",
                    subject: format!("station:{}", cp.station_id),
                    before: None,
                    after: Some(json!({ "station_id": cp.station_id.to_string(), "activation_request": id })),
                };
                audit::record(store.as_ref(), actor, entry).await;
            }
            let was = store.station(&cp.station_id).await?;
            if was.as_ref().is_some_and(|s| s.operator_id != operator) {
                return Err(elsewhere(&cp.station_id));
            }
            let now = self.app.charging().activate(&cp.station_id).await?;
            let entry = Entry {
                action: "station.activate",
                subject: format!("station:{}", cp.station_id),
                before: was.as_ref().map(|s| json!({ "state": s.state.as_str() })),
                after: Some(json!({ "state": now.state.as_str(), "activation_request": id })),
            };
            audit::record(store.as_ref(), actor, entry).await;
            // The owner who asked owns the station from now on (their portal lists it, offline detection
            // tells them); audited as part of the station's history.
            let previous_owner = was.as_ref().and_then(|s| s.owner_id);
            if previous_owner != Some(before.owner_id) {
                store.set_station_owner(&cp.station_id, Some(before.owner_id)).await?;
                let entry = Entry {
                    action: "station.owner",
                    subject: format!("station:{}", cp.station_id),
                    before: Some(json!({ "owner_id": previous_owner.map(|o| o.0) })),
                    after: Some(json!({ "owner_id": before.owner_id.0, "activation_request": id })),
                };
                audit::record(store.as_ref(), actor, entry).await;
            }
        }
        let after = self.step(actor, &before, Transition::Approve, None).await?;
        let text = format!(
            "Your activation request {} (customer {}) is approved: station(s) {} are active.",
            after.id,
            after.form.customer_number,
            stations_line(&after)
        );
        self.tell_owner(&after, "activation.activated", "Your charging station is activated", text).await;
        let days = self.service_days(operator).await?;
        Ok((after, days))
    }

    /// Staff reject a request (requested or in review) with a reason the owner can act on; its requested
    /// stations become rejected and the owner is told. Needs role operator.
    pub async fn reject_activation(&self, actor: &Actor, id: i64, reason: &str) -> AppResult<(ActivationRequest, u32)> {
        actor.require(Permission::Operate)?;
        let reason = check_reason(reason).map_err(|e| AppError::invalid(e.field, e.message))?;
        let before = self.own_request(actor, id).await?;
        let after = self.step(actor, &before, Transition::Reject, Some(&reason)).await?;
        self.move_stations(actor, &after, &[StationState::Requested], StationState::Rejected).await?;
        let text = format!(
            "Your activation request {} (customer {}) for station(s) {} is rejected: {reason}",
            after.id,
            after.form.customer_number,
            stations_line(&after)
        );
        self.tell_owner(&after, "activation.rejected", "Your activation request is rejected", text).await;
        let days = self.service_days(after.operator_id).await?;
        Ok((after, days))
    }

    /// The person's portal inbox, newest first.
    pub async fn notifications(&self, actor: &Actor, limit: u32) -> AppResult<Vec<Notification>> {
        let account: &Account = inbox_owner(actor)?;
        Ok(self.app.db().notifications(account.id, limit).await?)
    }

    /// Marks a message of the person's inbox read.
    pub async fn mark_notification_read(&self, actor: &Actor, id: i64) -> AppResult<()> {
        let account = inbox_owner(actor)?;
        Ok(self.app.db().mark_notification_read(account.id, id, Utc::now()).await?)
    }
}
