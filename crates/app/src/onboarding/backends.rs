//! Handover to third-party backends and the assignment of unclaimed stations (route 3), as use cases: the
//! operator's backends and per-vendor provisioning profiles, a station's handovers, and assignments.
//!
//! Roles: viewers read; operators hand stations over, confirm, cancel and assign; admins edit backends and
//! profiles (they decide where stations may go and what is sent to them).

use chrono::Utc;
use joule_core::catalog::vendor_key;
use joule_core::handover::{BackendName, BackendUrl, ProvisioningMethod, ResetKind};
use joule_core::station::{Station, StationState};
use joule_core::{OperatorId, StationId};
use joule_store::{
    ActivationFilter, Assignment, Backend, Handover, NewBackend, NewHandover, ProvisioningProfile, StationFilter,
    StoreError,
};
use serde_json::{Value, json};

use super::Onboarding;
use super::handover::{self, HandoverError};
use crate::audit::{self, Entry};
use crate::{Actor, AppError, AppResult, Permission};

impl From<HandoverError> for AppError {
    fn from(e: HandoverError) -> AppError {
        match e {
            HandoverError::NotFound(m) => AppError::NotFound(m),
            HandoverError::Conflict(m) => AppError::Conflict(m),
            HandoverError::Store(e) => AppError::Store(e),
        }
    }
}

/// A store conflict said as it is (not as "already exists: …", which would repeat the store's words).
fn store_conflict(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict(m) => AppError::Conflict(m),
        e => e.into(),
    }
}

/// How the audit log (and the API) shows a backend.
pub fn backend_snapshot(b: &Backend) -> Value {
    json!({ "id": b.id, "name": b.name.to_string(), "ocpp_url": b.ocpp_url.to_string(),
            "created_at": b.created_at, "updated_at": b.updated_at })
}

/// How the audit log (and the API) shows a provisioning profile: the method's parts that apply.
pub fn profile_snapshot(p: &ProvisioningProfile) -> Value {
    let mut v = json!({ "vendor": p.vendor, "method": p.method.kind().to_string(),
                        "append_station_id": p.append_station_id, "reset": p.reset.as_str(),
                        "updated_at": p.updated_at, "updated_by": p.updated_by });
    match &p.method {
        ProvisioningMethod::ConfigurationKey { key } => v["key"] = json!(key),
        ProvisioningMethod::DataTransfer { vendor_id, message_id } => {
            v["vendor_id"] = json!(vendor_id);
            if let Some(m) = message_id {
                v["message_id"] = json!(m);
            }
        }
    }
    v
}

/// A provisioning profile as asked for, before validation.
#[derive(Debug, Clone, Default)]
pub struct ProfileInput {
    pub method: String,
    pub key: Option<String>,
    pub vendor_id: Option<String>,
    pub message_id: Option<String>,
    pub append_station_id: Option<bool>,
    pub reset: Option<String>,
}

/// Where a handover goes, as asked for: one of the operator's backends by name, or a name and a URL.
#[derive(Debug, Clone, Default)]
pub struct HandoverTarget {
    pub backend: Option<String>,
    pub name: Option<String>,
    pub ocpp_url: Option<String>,
}

fn new_backend(operator: OperatorId, name: &str, url: &str) -> AppResult<NewBackend> {
    Ok(NewBackend {
        operator_id: operator,
        name: BackendName::parse(name).map_err(|e| AppError::invalid("name", e.to_string()))?,
        ocpp_url: BackendUrl::parse(url).map_err(|e| AppError::invalid("ocpp_url", e.to_string()))?,
        at: Utc::now(),
    })
}

fn method(input: &ProfileInput) -> AppResult<ProvisioningMethod> {
    match input.method.as_str() {
        "configuration-key" => {
            if input.vendor_id.is_some() || input.message_id.is_some() {
                return Err(AppError::invalid("vendor_id", "vendor_id and message_id are for method data-transfer"));
            }
            let key =
                input.key.as_deref().ok_or_else(|| AppError::invalid("key", "method configuration-key needs a key"))?;
            ProvisioningMethod::configuration_key(key).map_err(|e| AppError::invalid("key", e.to_string()))
        }
        "data-transfer" => {
            if input.key.is_some() {
                return Err(AppError::invalid("key", "key is for method configuration-key"));
            }
            let vendor_id = input
                .vendor_id
                .as_deref()
                .ok_or_else(|| AppError::invalid("vendor_id", "method data-transfer needs a vendor_id"))?;
            ProvisioningMethod::data_transfer(vendor_id, None)
                .map_err(|e| AppError::invalid("vendor_id", e.to_string()))?;
            ProvisioningMethod::data_transfer(vendor_id, input.message_id.as_deref())
                .map_err(|e| AppError::invalid("message_id", e.to_string()))
        }
        other => Err(AppError::invalid("method", format!("{other:?}: expected configuration-key or data-transfer"))),
    }
}

impl Onboarding<'_> {
    // --- backends ---

    /// The operator's backends, by name.
    pub async fn backends(&self, actor: &Actor, operator: OperatorId) -> AppResult<Vec<Backend>> {
        let id = Self::own_operator(actor, operator)?;
        Ok(self.app.db().backends(id).await?)
    }

    async fn backend_named(&self, operator: OperatorId, name: &str) -> AppResult<Backend> {
        self.app
            .db()
            .backend_by_name(operator, name)
            .await?
            .ok_or_else(|| AppError::not_found(format!("no backend named {name:?}")))
    }

    /// Adds a backend; a conflict if the name is taken. Audited. Needs role admin.
    pub async fn create_backend(
        &self,
        actor: &Actor,
        operator: OperatorId,
        name: &str,
        url: &str,
    ) -> AppResult<Backend> {
        let id = Self::own_operator(actor, operator)?;
        actor.require(Permission::Administer)?;
        let new = new_backend(id, name, url)?;
        let store = self.app.db();
        let created = store.create_backend(&new).await.map_err(store_conflict)?;
        let entry = Entry {
            action: "backend.create",
            subject: format!("backend:{}", created.id),
            before: None,
            after: Some(backend_snapshot(&created)),
        };
        audit::record(store.as_ref(), actor, entry).await;
        Ok(created)
    }

    /// Renames the backend `current` or changes its URL (handovers keep the name and URL they were given).
    /// Audited. Needs role admin.
    pub async fn update_backend(
        &self,
        actor: &Actor,
        operator: OperatorId,
        current: &str,
        name: &str,
        url: &str,
    ) -> AppResult<Backend> {
        let id = Self::own_operator(actor, operator)?;
        actor.require(Permission::Administer)?;
        let before = self.backend_named(id, current).await?;
        let new = new_backend(id, name, url)?;
        let store = self.app.db();
        let updated = store.update_backend(before.id, &new).await.map_err(store_conflict)?;
        let entry = Entry {
            action: "backend.update",
            subject: format!("backend:{}", updated.id),
            before: Some(backend_snapshot(&before)),
            after: Some(backend_snapshot(&updated)),
        };
        audit::record(store.as_ref(), actor, entry).await;
        Ok(updated)
    }

    /// Removes a backend (handovers and assignments that named it keep its name and URL). Audited. Needs
    /// role admin.
    pub async fn delete_backend(&self, actor: &Actor, operator: OperatorId, name: &str) -> AppResult<()> {
        let id = Self::own_operator(actor, operator)?;
        actor.require(Permission::Administer)?;
        let before = self.backend_named(id, name).await?;
        let store = self.app.db();
        store.delete_backend(id, before.id).await?;
        let entry = Entry {
            action: "backend.delete",
            subject: format!("backend:{}", before.id),
            before: Some(backend_snapshot(&before)),
            after: None,
        };
        audit::record(store.as_ref(), actor, entry).await;
        Ok(())
    }

    // --- provisioning profiles ---

    /// The operator's provisioning profiles, by vendor.
    pub async fn provisioning_profiles(
        &self,
        actor: &Actor,
        operator: OperatorId,
    ) -> AppResult<Vec<ProvisioningProfile>> {
        let id = Self::own_operator(actor, operator)?;
        Ok(self.app.db().provisioning_profiles(id).await?)
    }

    /// Sets the profile for a vendor, replacing the one that matches the same vendor. Audited. Needs role
    /// admin.
    pub async fn put_provisioning_profile(
        &self,
        actor: &Actor,
        operator: OperatorId,
        vendor: &str,
        input: &ProfileInput,
    ) -> AppResult<ProvisioningProfile> {
        let id = Self::own_operator(actor, operator)?;
        actor.require(Permission::Administer)?;
        let vendor = vendor.trim().to_string();
        // chargePointVendor is CiString20 (OCPP 1.6 §6.7); a key that compares as nothing would match nothing.
        if vendor.chars().count() > 20 || vendor_key(&vendor).is_empty() {
            return Err(AppError::invalid(
                "vendor",
                "a vendor is 1 to 20 characters, as in BootNotification chargePointVendor",
            ));
        }
        let method = method(input)?;
        let reset = match input.reset.as_deref() {
            Some(r) => ResetKind::parse(r).map_err(|e| AppError::invalid("reset", e.to_string()))?,
            None => ResetKind::Soft,
        };
        let store = self.app.db();
        let before = store.provisioning_profile(id, &vendor_key(&vendor)).await?;
        let profile = ProvisioningProfile {
            operator_id: id,
            vendor: vendor.clone(),
            method,
            append_station_id: input.append_station_id.unwrap_or(true),
            reset,
            updated_at: Utc::now(),
            updated_by: actor.name().to_string(),
        };
        let saved = store.put_provisioning_profile(&profile).await?;
        let entry = Entry {
            action: "provisioning-profile.set",
            subject: format!("provisioning-profile:{}", vendor_key(&vendor)),
            before: before.as_ref().map(profile_snapshot),
            after: Some(profile_snapshot(&saved)),
        };
        audit::record(store.as_ref(), actor, entry).await;
        Ok(saved)
    }

    /// Removes the profile that matches the vendor. Audited. Needs role admin.
    pub async fn delete_provisioning_profile(
        &self,
        actor: &Actor,
        operator: OperatorId,
        vendor: &str,
    ) -> AppResult<()> {
        let id = Self::own_operator(actor, operator)?;
        actor.require(Permission::Administer)?;
        let store = self.app.db();
        let key = vendor_key(vendor);
        let before = store
            .provisioning_profile(id, &key)
            .await?
            .ok_or_else(|| AppError::not_found(format!("no provisioning profile for vendor {vendor:?}")))?;
        store.delete_provisioning_profile(id, &key).await?;
        let entry = Entry {
            action: "provisioning-profile.delete",
            subject: format!("provisioning-profile:{key}"),
            before: Some(profile_snapshot(&before)),
            after: None,
        };
        audit::record(store.as_ref(), actor, entry).await;
        Ok(())
    }

    // --- handovers ---

    /// A conflict unless a profile matches the station's vendor. A station that never booted has no known
    /// vendor: its handover is recorded and checked when it boots (or confirmed by hand).
    async fn check_profile(&self, station: &Station) -> AppResult<()> {
        let Some(boot) = &station.boot else { return Ok(()) };
        let found = self.app.db().provisioning_profile(station.operator_id, &vendor_key(&boot.vendor)).await?;
        if found.is_none() {
            return Err(AppError::Conflict(format!(
                "no provisioning profile matches the station's vendor {:?}: an admin adds one with PUT \
                 /api/v1/operators/{}/provisioning-profiles/{{vendor}} (or `joule provisioning-profile set`)",
                boot.vendor, station.operator_id
            )));
        }
        Ok(())
    }

    /// A conflict if the station is handed over already or has a handover under way.
    async fn check_free(&self, station: &Station) -> AppResult<()> {
        if station.state == StationState::HandedOver {
            return Err(AppError::Conflict(format!("station {} is handed over already", station.id)));
        }
        let open = self.app.db().handovers(&station.id).await?.into_iter().find(|h| h.state.is_open());
        if let Some(h) = open {
            return Err(AppError::Conflict(format!(
                "station {} has handover {} under way ({}); cancel it first",
                station.id, h.id, h.state
            )));
        }
        Ok(())
    }

    async fn record_handover(
        &self,
        actor: &Actor,
        station: &Station,
        name: String,
        url: BackendUrl,
        backend_id: Option<i64>,
    ) -> AppResult<Handover> {
        let new = NewHandover {
            station_id: station.id.clone(),
            operator_id: station.operator_id,
            target_name: name,
            target_url: url,
            backend_id,
            requested_by: actor.name().to_string(),
            requested_at: Utc::now(),
        };
        let store = self.app.db();
        let created = store.create_handover(&new).await.map_err(store_conflict)?;
        let after = json!({"handover": created.id, "target_name": created.target_name,
                           "target_url": created.target_url.as_str(), "state": "recorded"});
        let entry = Entry {
            action: "handover.request",
            subject: format!("station:{}", station.id),
            before: None,
            after: Some(after),
        };
        audit::record(store.as_ref(), actor, entry).await;
        handover::start(self.app, created.clone());
        Ok(created)
    }

    /// Hands the station over to another backend: if the station is connected the provisioning steps start
    /// at once; otherwise when it next boots. Audited. Needs role operator.
    pub async fn request_handover(&self, actor: &Actor, station: &str, target: &HandoverTarget) -> AppResult<Handover> {
        actor.require(Permission::Operate)?;
        let (_, station) = self.own_station(actor, station).await?;
        let (name, url, backend_id) = match (&target.backend, &target.name, &target.ocpp_url) {
            (Some(backend), None, None) => {
                let b = self.app.db().backend_by_name(station.operator_id, backend).await?.ok_or_else(|| {
                    AppError::invalid("backend", format!("the operator has no backend named {backend:?}"))
                })?;
                (b.name.to_string(), b.ocpp_url, Some(b.id))
            }
            (None, Some(name), Some(url)) => {
                let name = BackendName::parse(name).map_err(|e| AppError::invalid("name", e.to_string()))?;
                let url = BackendUrl::parse(url).map_err(|e| AppError::invalid("ocpp_url", e.to_string()))?;
                (name.to_string(), url, None)
            }
            (Some(_), _, _) => return Err(AppError::invalid("backend", "give either backend, or name and ocpp_url")),
            (None, None, _) => return Err(AppError::invalid("name", "give either backend, or name and ocpp_url")),
            (None, Some(_), None) => return Err(AppError::invalid("ocpp_url", "name needs an ocpp_url")),
        };
        self.check_free(&station).await?;
        self.check_profile(&station).await?;
        self.record_handover(actor, &station, name, url, backend_id).await
    }

    /// The station's handovers, newest first, each with its steps.
    pub async fn handovers(&self, actor: &Actor, station: &str) -> AppResult<Vec<Handover>> {
        let (id, _) = self.own_station(actor, station).await?;
        Ok(self.app.db().handovers(&id).await?)
    }

    async fn own_handover(&self, actor: &Actor, station: &str, id: i64) -> AppResult<StationId> {
        let (station, _) = self.own_station(actor, station).await?;
        match self.app.db().handover(id).await? {
            Some(h) if h.station_id == station => Ok(station),
            _ => Err(AppError::not_found(format!("station {station} has no handover {id}"))),
        }
    }

    /// Confirms a handover by hand (the station was re-provisioned on site, or is known to have moved).
    /// Needs role operator.
    pub async fn confirm_handover(&self, actor: &Actor, station: &str, id: i64) -> AppResult<Handover> {
        actor.require(Permission::Operate)?;
        self.own_handover(actor, station, id).await?;
        Ok(handover::confirm(self.app, id, actor.name()).await?)
    }

    /// Calls a handover off while it is recorded, provisioning or waiting. Needs role operator.
    pub async fn cancel_handover(&self, actor: &Actor, station: &str, id: i64) -> AppResult<Handover> {
        actor.require(Permission::Operate)?;
        self.own_handover(actor, station, id).await?;
        Ok(handover::cancel(self.app, id, actor.name()).await?)
    }

    // --- route 3: unclaimed stations and their assignment ---

    /// Why the station is not unclaimed, or `None` if it is: connected, pending, claimed by no installer,
    /// named in no activation request, and not assigned yet.
    async fn why_claimed(&self, station: &Station) -> AppResult<Option<String>> {
        let store = self.app.db();
        let id = &station.id;
        if station.state != StationState::Pending {
            return Ok(Some(format!("station {id} is {}, not pending", station.state)));
        }
        if !self.app.stations().is_connected(id) {
            return Ok(Some(format!("station {id} is not connected to Joule")));
        }
        if let Some(a) = store.assignment(id).await? {
            return Ok(Some(format!("station {id} was assigned to {} already", a.backend_name)));
        }
        if store.installation(id).await?.is_some_and(|i| i.claimed_by.is_some()) {
            return Ok(Some(format!("station {id} was claimed by an installer")));
        }
        let filter =
            ActivationFilter { operator_id: Some(station.operator_id), limit: Some(10_000), ..Default::default() };
        let requested = store
            .list_activation_requests(&filter)
            .await?
            .into_iter()
            .find(|r| r.form.charge_points.iter().any(|cp| &cp.station_id == id));
        if let Some(r) = requested {
            return Ok(Some(format!("station {id} is in activation request {}", r.id)));
        }
        Ok(None)
    }

    /// The operator's unclaimed stations: connected and pending, claimed by nobody, in no activation
    /// request, not assigned.
    pub async fn unclaimed_stations(&self, actor: &Actor, operator: OperatorId) -> AppResult<Vec<Station>> {
        let id = Self::own_operator(actor, operator)?;
        let filter = StationFilter {
            operator_id: Some(id),
            state: Some(StationState::Pending),
            online: Some(true),
            limit: Some(1000),
            ..Default::default()
        };
        let mut out = Vec::new();
        for station in self.app.db().list_stations(&filter).await? {
            if self.why_claimed(&station).await?.is_none() {
                out.push(station);
            }
        }
        Ok(out)
    }

    /// Assigns an unclaimed station to a backend: `joule` keeps it here, pending, for its owner's activation
    /// request (route 1); a third-party backend starts its handover at once (route 2). A conflict, saying
    /// why, for a station that is not unclaimed. Audited. Needs role operator.
    pub async fn assign(
        &self,
        actor: &Actor,
        station: &str,
        backend: &str,
        purchased_from: &str,
    ) -> AppResult<(Assignment, Option<Handover>)> {
        actor.require(Permission::Operate)?;
        let (_, station) = self.own_station(actor, station).await?;
        let purchased_from = purchased_from.trim();
        if purchased_from.is_empty()
            || purchased_from.chars().count() > 200
            || purchased_from.chars().any(char::is_control)
        {
            return Err(AppError::invalid("purchased_from", "where the station was bought: 1 to 200 characters"));
        }
        let store = self.app.db();
        let backend = if backend.trim().eq_ignore_ascii_case(BackendName::JOULE) {
            None
        } else {
            Some(store.backend_by_name(station.operator_id, backend).await?.ok_or_else(|| {
                AppError::invalid(
                    "backend",
                    format!("expected joule or one of the operator's backends, not {backend:?}"),
                )
            })?)
        };
        if let Some(why) = self.why_claimed(&station).await? {
            return Err(AppError::Conflict(format!("{why}; only an unclaimed station can be assigned")));
        }
        if backend.is_some() {
            self.check_free(&station).await?;
            self.check_profile(&station).await?;
        }
        let assignment = Assignment {
            station_id: station.id.clone(),
            operator_id: station.operator_id,
            purchased_from: purchased_from.to_string(),
            backend_id: backend.as_ref().map(|b| b.id),
            backend_name: backend.as_ref().map_or(BackendName::JOULE.to_string(), |b| b.name.to_string()),
            assigned_by: actor.name().to_string(),
            assigned_at: Utc::now(),
        };
        let assignment = store.assign_station(&assignment).await.map_err(store_conflict)?;
        let after = json!({"backend": assignment.backend_name, "purchased_from": assignment.purchased_from});
        let entry = Entry {
            action: "station.assign",
            subject: format!("station:{}", station.id),
            before: None,
            after: Some(after),
        };
        audit::record(store.as_ref(), actor, entry).await;
        let handover = match backend {
            Some(b) => Some(self.record_handover(actor, &station, b.name.to_string(), b.ocpp_url, Some(b.id)).await?),
            None => None,
        };
        Ok((assignment, handover))
    }
}
