//! Handover to third-party backends and the assignment of unclaimed stations (route 3):
//! the operator's backends and per-vendor provisioning profiles, a station's handovers, and assignments.
//!
//! Roles: viewers read; operators hand stations over, confirm, cancel and assign; admins edit backends and
//! profiles (they decide where stations may go and what is sent to them).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use joule_app::onboarding::handover::HandoverError;
use joule_core::catalog::vendor_key;
use joule_core::handover::{BackendName, BackendUrl, ProvisioningMethod, ResetKind};
use joule_core::station::{Station, StationState};
use joule_core::{OperatorId, Role, StationId};
use joule_store::{
    Assignment, Backend, Handover, HandoverStep, NewBackend, NewHandover, ProvisioningProfile, StationFilter,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::ApiState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Kind, Problem};
use crate::extract::Body;
use crate::routes::accounts::audit_by;

fn own(caller: &Caller, id: i64) -> ApiResult<OperatorId> {
    if caller.operator_id.0 == id {
        Ok(caller.operator_id)
    } else {
        Err(ApiError::not_found(format!("no operator {id}")))
    }
}

fn conflict(detail: impl Into<String>) -> ApiError {
    ApiError::new(Kind::Conflict, detail)
}

impl From<HandoverError> for ApiError {
    fn from(e: HandoverError) -> ApiError {
        match e {
            HandoverError::NotFound(m) => ApiError::not_found(m),
            HandoverError::Conflict(m) => conflict(m),
            HandoverError::Store(e) => e.into(),
        }
    }
}

// --- views and bodies ---

/// A central system stations may be handed over to.
#[derive(Debug, Serialize, ToSchema)]
pub struct BackendView {
    pub id: i64,
    pub name: String,
    /// ws:// or wss:// URL of its OCPP endpoint.
    pub ocpp_url: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Backend> for BackendView {
    fn from(b: Backend) -> Self {
        BackendView {
            id: b.id,
            name: b.name.to_string(),
            ocpp_url: b.ocpp_url.to_string(),
            created_at: b.created_at,
            updated_at: b.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BackendBody {
    /// 1 to 64 characters, unique for the operator; not `joule` (that is Joule itself).
    pub name: String,
    /// ws:// or wss:// URL, without user name or password. With a profile that appends the station id,
    /// the station is given `<ocpp_url>/<station id>`.
    pub ocpp_url: String,
}

impl BackendBody {
    fn input(&self, operator: OperatorId) -> ApiResult<NewBackend> {
        Ok(NewBackend {
            operator_id: operator,
            name: BackendName::parse(&self.name).map_err(|e| ApiError::invalid("name", e.to_string()))?,
            ocpp_url: BackendUrl::parse(&self.ocpp_url).map_err(|e| ApiError::invalid("ocpp_url", e.to_string()))?,
            at: Utc::now(),
        })
    }
}

/// How the stations of one vendor are given a new central-system URL.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileView {
    /// As written when the profile was set; matched against BootNotification chargePointVendor ignoring case,
    /// punctuation and a trailing legal form (`ABB B.V.` matches `abb`).
    pub vendor: String,
    /// `configuration-key` (OCPP 1.6 ChangeConfiguration) or `data-transfer` (DataTransfer).
    pub method: String,
    /// For configuration-key: the key that holds the central-system URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// For data-transfer: the vendorId.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor_id: Option<String>,
    /// For data-transfer: the messageId, if the vendor wants one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// Whether the station id is appended to the backend's URL.
    pub append_station_id: bool,
    /// none, soft or hard: the Reset sent after the URL.
    pub reset: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

impl From<ProvisioningProfile> for ProfileView {
    fn from(p: ProvisioningProfile) -> Self {
        let (key, vendor_id, message_id) = match p.method.clone() {
            ProvisioningMethod::ConfigurationKey { key } => (Some(key), None, None),
            ProvisioningMethod::DataTransfer { vendor_id, message_id } => (None, Some(vendor_id), message_id),
        };
        ProfileView {
            vendor: p.vendor,
            method: p.method.kind().to_string(),
            key,
            vendor_id,
            message_id,
            append_station_id: p.append_station_id,
            reset: p.reset.as_str().to_string(),
            updated_at: p.updated_at,
            updated_by: p.updated_by,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileBody {
    /// `configuration-key` or `data-transfer`.
    pub method: String,
    /// For configuration-key: the key (1 to 50 characters), e.g. `CentralSystemURL`.
    pub key: Option<String>,
    /// For data-transfer: the vendorId (1 to 255 characters).
    pub vendor_id: Option<String>,
    /// For data-transfer: the messageId (1 to 50 characters), if any.
    pub message_id: Option<String>,
    /// Whether Joule appends the station id to the URL (OCPP-J 1.6 §3.1.1); default true. Set false for
    /// stations that append it themselves.
    pub append_station_id: Option<bool>,
    /// none, soft or hard (default soft): the Reset sent after the URL (OCPP 1.6 §5.14).
    pub reset: Option<String>,
}

/// One thing a handover did and what came of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepView {
    pub at: DateTime<Utc>,
    /// ChangeConfiguration, DataTransfer, Reset, disconnected, reconnected or confirmed.
    pub step: String,
    /// The station's status (Accepted, Rejected, RebootRequired...), or how the call ended (timeout,
    /// call-error, offline, disconnected), or `observed`.
    pub outcome: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The command in the station's command history (GET /api/v1/commands/{id}).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command_id: Option<i64>,
}

impl From<HandoverStep> for StepView {
    fn from(s: HandoverStep) -> Self {
        StepView { at: s.at, step: s.step, outcome: s.outcome, detail: s.detail, command_id: s.command_id }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HandoverView {
    pub id: i64,
    pub station_id: String,
    pub target_name: String,
    pub target_url: String,
    /// The backend it was chosen from, if it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backend_id: Option<i64>,
    /// recorded, provisioning, waiting, handed-over, failed or cancelled.
    pub state: String,
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<DateTime<Utc>>,
    /// Why it failed or was cancelled, what it waits for, or how it was confirmed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    pub steps: Vec<StepView>,
}

impl From<Handover> for HandoverView {
    fn from(h: Handover) -> Self {
        HandoverView {
            id: h.id,
            station_id: h.station_id.to_string(),
            target_name: h.target_name,
            target_url: h.target_url.to_string(),
            backend_id: h.backend_id,
            state: h.state.as_str().to_string(),
            requested_by: h.requested_by,
            requested_at: h.requested_at,
            updated_at: h.updated_at,
            finished_at: h.finished_at,
            detail: h.detail,
            steps: h.steps.into_iter().map(Into::into).collect(),
        }
    }
}

/// Either `backend` (one of the operator's backends, by name) or `name` and `ocpp_url`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoverBody {
    pub backend: Option<String>,
    pub name: Option<String>,
    pub ocpp_url: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignmentBody {
    /// `joule` (the station stays here, pending, for its owner's activation request) or a backend's name
    /// (the station is handed over to it at once).
    pub backend: String,
    /// Where the station was bought (a wholesaler, an installer, a shop), 1 to 200 characters.
    pub purchased_from: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssignmentView {
    pub station_id: String,
    pub purchased_from: String,
    /// `joule` or the backend's name.
    pub backend: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backend_id: Option<i64>,
    pub assigned_by: String,
    pub assigned_at: DateTime<Utc>,
    /// The handover that started, for a third-party backend.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handover: Option<HandoverView>,
}

impl AssignmentView {
    fn new(a: Assignment, handover: Option<Handover>) -> Self {
        AssignmentView {
            station_id: a.station_id.to_string(),
            purchased_from: a.purchased_from,
            backend: a.backend_name,
            backend_id: a.backend_id,
            assigned_by: a.assigned_by,
            assigned_at: a.assigned_at,
            handover: handover.map(Into::into),
        }
    }
}

/// A station that connected and waits to be claimed.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnclaimedView {
    pub station_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connected_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

// --- backends ---

/// The operator's backends, by name.
#[utoipa::path(get, path = "/api/v1/operators/{operator_id}/backends", tag = "handover",
    params(("operator_id" = i64, Path)),
    responses((status = 200, body = Vec<BackendView>), (status = 404, body = Problem)))]
pub async fn list_backends(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<BackendView>>> {
    let id = own(&caller, id)?;
    let backends = state.app.store().backends(id).await?;
    Ok(Json(backends.into_iter().map(Into::into).collect()))
}

/// Adds a backend (admin). 409 if the name is taken.
#[utoipa::path(post, path = "/api/v1/operators/{operator_id}/backends", tag = "handover",
    params(("operator_id" = i64, Path)), request_body = BackendBody,
    responses((status = 201, body = BackendView), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 409, body = Problem)))]
pub async fn create_backend(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(body): Body<BackendBody>,
) -> ApiResult<(StatusCode, Json<BackendView>)> {
    let id = own(&caller, id)?;
    caller.require(Role::Admin)?;
    let new = body.input(id)?;
    let created = state.app.store().create_backend(&new).await.map_err(store_conflict)?;
    let view = BackendView::from(created);
    audit_by(&state, &caller, "backend.create", format!("backend:{}", view.id), None, Some(json!(view))).await;
    Ok((StatusCode::CREATED, Json(view)))
}

/// A store Conflict said as it is (not as "already exists: …", which would repeat the store's words).
fn store_conflict(e: joule_store::StoreError) -> ApiError {
    match e {
        joule_store::StoreError::Conflict(m) => conflict(m),
        e => e.into(),
    }
}

async fn backend_named(state: &ApiState, operator: OperatorId, name: &str) -> ApiResult<Backend> {
    state
        .app
        .store()
        .backend_by_name(operator, name)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no backend named {name:?}")))
}

/// Renames a backend or changes its URL (admin). Handovers keep the name and URL they were given.
#[utoipa::path(put, path = "/api/v1/operators/{operator_id}/backends/{name}", tag = "handover",
    params(("operator_id" = i64, Path), ("name" = String, Path)), request_body = BackendBody,
    responses((status = 200, body = BackendView), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn update_backend(
    State(state): State<ApiState>,
    caller: Caller,
    Path((id, name)): Path<(i64, String)>,
    Body(body): Body<BackendBody>,
) -> ApiResult<Json<BackendView>> {
    let id = own(&caller, id)?;
    caller.require(Role::Admin)?;
    let before = backend_named(&state, id, &name).await?;
    let new = body.input(id)?;
    let updated = state.app.store().update_backend(before.id, &new).await.map_err(store_conflict)?;
    let (before, view) = (BackendView::from(before), BackendView::from(updated));
    audit_by(&state, &caller, "backend.update", format!("backend:{}", view.id), Some(json!(before)), Some(json!(view)))
        .await;
    Ok(Json(view))
}

/// Removes a backend (admin). Handovers and assignments that named it keep its name and URL.
#[utoipa::path(delete, path = "/api/v1/operators/{operator_id}/backends/{name}", tag = "handover",
    params(("operator_id" = i64, Path), ("name" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_backend(
    State(state): State<ApiState>,
    caller: Caller,
    Path((id, name)): Path<(i64, String)>,
) -> ApiResult<StatusCode> {
    let id = own(&caller, id)?;
    caller.require(Role::Admin)?;
    let before = backend_named(&state, id, &name).await?;
    state.app.store().delete_backend(id, before.id).await?;
    let before = BackendView::from(before);
    audit_by(&state, &caller, "backend.delete", format!("backend:{}", before.id), Some(json!(before)), None).await;
    Ok(StatusCode::NO_CONTENT)
}

// --- provisioning profiles ---

/// The operator's provisioning profiles, by vendor.
#[utoipa::path(get, path = "/api/v1/operators/{operator_id}/provisioning-profiles", tag = "handover",
    params(("operator_id" = i64, Path)),
    responses((status = 200, body = Vec<ProfileView>), (status = 404, body = Problem)))]
pub async fn list_profiles(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<ProfileView>>> {
    let id = own(&caller, id)?;
    let profiles = state.app.store().provisioning_profiles(id).await?;
    Ok(Json(profiles.into_iter().map(Into::into).collect()))
}

/// Sets the profile for a vendor (admin), replacing the one that matches the same vendor.
#[utoipa::path(put, path = "/api/v1/operators/{operator_id}/provisioning-profiles/{vendor}", tag = "handover",
    params(("operator_id" = i64, Path), ("vendor" = String, Path, description = "As BootNotification chargePointVendor")),
    request_body = ProfileBody,
    responses((status = 200, body = ProfileView), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn put_profile(
    State(state): State<ApiState>,
    caller: Caller,
    Path((id, vendor)): Path<(i64, String)>,
    Body(body): Body<ProfileBody>,
) -> ApiResult<Json<ProfileView>> {
    let id = own(&caller, id)?;
    caller.require(Role::Admin)?;
    let vendor = vendor.trim().to_string();
    // chargePointVendor is CiString20 (OCPP 1.6 §6.7); a key that compares as nothing would match nothing.
    if vendor.chars().count() > 20 || vendor_key(&vendor).is_empty() {
        return Err(ApiError::invalid(
            "vendor",
            "a vendor is 1 to 20 characters, as in BootNotification chargePointVendor",
        ));
    }
    let method = match body.method.as_str() {
        "configuration-key" => {
            if body.vendor_id.is_some() || body.message_id.is_some() {
                return Err(ApiError::invalid("vendor_id", "vendor_id and message_id are for method data-transfer"));
            }
            let key =
                body.key.as_deref().ok_or_else(|| ApiError::invalid("key", "method configuration-key needs a key"))?;
            ProvisioningMethod::configuration_key(key).map_err(|e| ApiError::invalid("key", e.to_string()))?
        }
        "data-transfer" => {
            if body.key.is_some() {
                return Err(ApiError::invalid("key", "key is for method configuration-key"));
            }
            let vendor_id = body
                .vendor_id
                .as_deref()
                .ok_or_else(|| ApiError::invalid("vendor_id", "method data-transfer needs a vendor_id"))?;
            ProvisioningMethod::data_transfer(vendor_id, None)
                .map_err(|e| ApiError::invalid("vendor_id", e.to_string()))?;
            ProvisioningMethod::data_transfer(vendor_id, body.message_id.as_deref())
                .map_err(|e| ApiError::invalid("message_id", e.to_string()))?
        }
        other => {
            return Err(ApiError::invalid("method", format!("{other:?}: expected configuration-key or data-transfer")));
        }
    };
    let reset = match body.reset.as_deref() {
        Some(r) => ResetKind::parse(r).map_err(|e| ApiError::invalid("reset", e.to_string()))?,
        None => ResetKind::Soft,
    };
    let store = state.app.store();
    let before = store.provisioning_profile(id, &vendor_key(&vendor)).await?.map(ProfileView::from);
    let profile = ProvisioningProfile {
        operator_id: id,
        vendor: vendor.clone(),
        method,
        append_station_id: body.append_station_id.unwrap_or(true),
        reset,
        updated_at: Utc::now(),
        updated_by: caller.requested_by(),
    };
    let view = ProfileView::from(store.put_provisioning_profile(&profile).await?);
    let subject = format!("provisioning-profile:{}", vendor_key(&vendor));
    audit_by(&state, &caller, "provisioning-profile.set", subject, before.map(|b| json!(b)), Some(json!(view))).await;
    Ok(Json(view))
}

/// Removes the profile that matches the vendor (admin).
#[utoipa::path(delete, path = "/api/v1/operators/{operator_id}/provisioning-profiles/{vendor}", tag = "handover",
    params(("operator_id" = i64, Path), ("vendor" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_profile(
    State(state): State<ApiState>,
    caller: Caller,
    Path((id, vendor)): Path<(i64, String)>,
) -> ApiResult<StatusCode> {
    let id = own(&caller, id)?;
    caller.require(Role::Admin)?;
    let store = state.app.store();
    let key = vendor_key(&vendor);
    let before = store
        .provisioning_profile(id, &key)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no provisioning profile for vendor {vendor:?}")))?;
    store.delete_provisioning_profile(id, &key).await?;
    let before = ProfileView::from(before);
    audit_by(
        &state,
        &caller,
        "provisioning-profile.delete",
        format!("provisioning-profile:{key}"),
        Some(json!(before)),
        None,
    )
    .await;
    Ok(StatusCode::NO_CONTENT)
}

// --- handovers ---

/// 409 unless a profile matches the station's vendor. A station that never booted has no known vendor:
/// its handover is recorded and checked when it boots (or confirmed by hand).
async fn check_profile(state: &ApiState, station: &Station) -> ApiResult<()> {
    let Some(boot) = &station.boot else { return Ok(()) };
    let found = state.app.store().provisioning_profile(station.operator_id, &vendor_key(&boot.vendor)).await?;
    if found.is_none() {
        return Err(conflict(format!(
            "no provisioning profile matches the station's vendor {:?}: an admin adds one with PUT \
             /api/v1/operators/{}/provisioning-profiles/{{vendor}} (or `joule provisioning-profile set`)",
            boot.vendor, station.operator_id
        )));
    }
    Ok(())
}

/// 409 if the station is handed over already or has a handover under way.
async fn check_free(state: &ApiState, station: &Station) -> ApiResult<()> {
    if station.state == StationState::HandedOver {
        return Err(conflict(format!("station {} is handed over already", station.id)));
    }
    let open = state.app.store().handovers(&station.id).await?.into_iter().find(|h| h.state.is_open());
    if let Some(h) = open {
        return Err(conflict(format!(
            "station {} has handover {} under way ({}); cancel it first",
            station.id, h.id, h.state
        )));
    }
    Ok(())
}

async fn record_handover(
    state: &ApiState,
    caller: &Caller,
    station: &Station,
    name: String,
    url: BackendUrl,
    backend_id: Option<i64>,
) -> ApiResult<Handover> {
    let new = NewHandover {
        station_id: station.id.clone(),
        operator_id: station.operator_id,
        target_name: name,
        target_url: url,
        backend_id,
        requested_by: caller.requested_by(),
        requested_at: Utc::now(),
    };
    let created = state.app.store().create_handover(&new).await.map_err(store_conflict)?;
    let view = json!({"handover": created.id, "target_name": created.target_name, "target_url": created.target_url.as_str(), "state": "recorded"});
    audit_by(state, caller, "handover.request", format!("station:{}", station.id), None, Some(view)).await;
    joule_app::onboarding::handover::start(&state.app, created.clone());
    Ok(created)
}

/// Hands the station over to another backend (operator). If the station is connected, the provisioning
/// steps start at once; otherwise the handover is recorded and starts when the station next boots. Follow it
/// with GET .../handovers.
#[utoipa::path(post, path = "/api/v1/stations/{station_id}/handover", tag = "handover",
    params(("station_id" = String, Path)), request_body = HandoverBody,
    responses((status = 201, body = HandoverView), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn request(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(body): Body<HandoverBody>,
) -> ApiResult<(StatusCode, Json<HandoverView>)> {
    caller.require(Role::Operator)?;
    let (_, station) = state.station(&caller, &id).await?;
    let (name, url, backend_id) = match (&body.backend, &body.name, &body.ocpp_url) {
        (Some(backend), None, None) => {
            let b = state.app.store().backend_by_name(caller.operator_id, backend).await?.ok_or_else(|| {
                ApiError::invalid("backend", format!("the operator has no backend named {backend:?}"))
            })?;
            (b.name.to_string(), b.ocpp_url, Some(b.id))
        }
        (None, Some(name), Some(url)) => {
            let name = BackendName::parse(name).map_err(|e| ApiError::invalid("name", e.to_string()))?;
            let url = BackendUrl::parse(url).map_err(|e| ApiError::invalid("ocpp_url", e.to_string()))?;
            (name.to_string(), url, None)
        }
        (Some(_), _, _) => return Err(ApiError::invalid("backend", "give either backend, or name and ocpp_url")),
        (None, None, _) => return Err(ApiError::invalid("name", "give either backend, or name and ocpp_url")),
        (None, Some(_), None) => return Err(ApiError::invalid("ocpp_url", "name needs an ocpp_url")),
    };
    check_free(&state, &station).await?;
    check_profile(&state, &station).await?;
    let created = record_handover(&state, &caller, &station, name, url, backend_id).await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// The station's handovers, newest first, each with its steps.
#[utoipa::path(get, path = "/api/v1/stations/{station_id}/handovers", tag = "handover",
    params(("station_id" = String, Path)),
    responses((status = 200, body = Vec<HandoverView>), (status = 404, body = Problem)))]
pub async fn list(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<HandoverView>>> {
    let (id, _) = state.station(&caller, &id).await?;
    let list = state.app.store().handovers(&id).await?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
}

async fn own_handover(state: &ApiState, caller: &Caller, station: &str, id: i64) -> ApiResult<StationId> {
    let (station, _) = state.station(caller, station).await?;
    match state.app.store().handover(id).await? {
        Some(h) if h.station_id == station => Ok(station),
        _ => Err(ApiError::not_found(format!("station {station} has no handover {id}"))),
    }
}

/// Confirms a handover by hand (operator): the station was re-provisioned on site, or is known to have
/// moved. Allowed while recorded or waiting; confirming a confirmed handover changes nothing.
#[utoipa::path(post, path = "/api/v1/stations/{station_id}/handovers/{handover_id}/confirm", tag = "handover",
    params(("station_id" = String, Path), ("handover_id" = i64, Path)),
    responses((status = 200, body = HandoverView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem)))]
pub async fn confirm(
    State(state): State<ApiState>,
    caller: Caller,
    Path((station, id)): Path<(String, i64)>,
) -> ApiResult<Json<HandoverView>> {
    caller.require(Role::Operator)?;
    own_handover(&state, &caller, &station, id).await?;
    let done = joule_app::onboarding::handover::confirm(&state.app, id, &caller.requested_by()).await?;
    Ok(Json(done.into()))
}

/// Calls a handover off (operator) while it is recorded, provisioning or waiting.
#[utoipa::path(post, path = "/api/v1/stations/{station_id}/handovers/{handover_id}/cancel", tag = "handover",
    params(("station_id" = String, Path), ("handover_id" = i64, Path)),
    responses((status = 200, body = HandoverView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem)))]
pub async fn cancel(
    State(state): State<ApiState>,
    caller: Caller,
    Path((station, id)): Path<(String, i64)>,
) -> ApiResult<Json<HandoverView>> {
    caller.require(Role::Operator)?;
    own_handover(&state, &caller, &station, id).await?;
    let done = joule_app::onboarding::handover::cancel(&state.app, id, &caller.requested_by()).await?;
    Ok(Json(done.into()))
}

// --- route 3: unclaimed stations and their assignment ---

/// Why the station is not unclaimed, or `None` if it is: connected, pending, claimed by no installer, named
/// in no activation request, and not assigned yet.
async fn why_claimed(state: &ApiState, station: &Station) -> ApiResult<Option<String>> {
    let store = state.app.store();
    let id = &station.id;
    if station.state != StationState::Pending {
        return Ok(Some(format!("station {id} is {}, not pending", station.state)));
    }
    if !state.stations().is_connected(id) {
        return Ok(Some(format!("station {id} is not connected to Joule")));
    }
    if let Some(a) = store.assignment(id).await? {
        return Ok(Some(format!("station {id} was assigned to {} already", a.backend_name)));
    }
    if store.installation(id).await?.is_some_and(|i| i.claimed_by.is_some()) {
        return Ok(Some(format!("station {id} was claimed by an installer")));
    }
    let filter = joule_store::ActivationFilter {
        operator_id: Some(station.operator_id),
        limit: Some(10_000),
        ..Default::default()
    };
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

/// The operator's unclaimed stations: connected and pending, claimed by nobody, in no activation request,
/// not assigned. Route 3 assigns them to a backend.
#[utoipa::path(get, path = "/api/v1/operators/{operator_id}/unclaimed-stations", tag = "handover",
    params(("operator_id" = i64, Path)),
    responses((status = 200, body = Vec<UnclaimedView>), (status = 404, body = Problem)))]
pub async fn unclaimed(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<UnclaimedView>>> {
    let id = own(&caller, id)?;
    let filter = StationFilter {
        operator_id: Some(id),
        state: Some(StationState::Pending),
        online: Some(true),
        limit: Some(1000),
        ..Default::default()
    };
    let mut out = Vec::new();
    for station in state.app.store().list_stations(&filter).await? {
        if why_claimed(&state, &station).await?.is_none() {
            out.push(UnclaimedView {
                station_id: station.id.to_string(),
                vendor: station.boot.as_ref().map(|b| b.vendor.clone()),
                model: station.boot.as_ref().map(|b| b.model.clone()),
                connected_at: station.connected_at,
                created_at: station.created_at,
            });
        }
    }
    Ok(Json(out))
}

/// Assigns an unclaimed station to a backend (operator): `joule` keeps it here, pending, for its owner's
/// activation request (route 1); a third-party backend starts its handover at once (route 2). 409, saying
/// why, for a station that is not unclaimed.
#[utoipa::path(post, path = "/api/v1/stations/{station_id}/assignment", tag = "handover",
    params(("station_id" = String, Path)), request_body = AssignmentBody,
    responses((status = 201, body = AssignmentView), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn assign(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(body): Body<AssignmentBody>,
) -> ApiResult<(StatusCode, Json<AssignmentView>)> {
    caller.require(Role::Operator)?;
    let (_, station) = state.station(&caller, &id).await?;
    let purchased_from = body.purchased_from.trim();
    if purchased_from.is_empty() || purchased_from.chars().count() > 200 || purchased_from.chars().any(char::is_control)
    {
        return Err(ApiError::invalid("purchased_from", "where the station was bought: 1 to 200 characters"));
    }
    let store = state.app.store();
    let backend = if body.backend.trim().eq_ignore_ascii_case(BackendName::JOULE) {
        None
    } else {
        Some(store.backend_by_name(caller.operator_id, &body.backend).await?.ok_or_else(|| {
            ApiError::invalid(
                "backend",
                format!("expected joule or one of the operator's backends, not {:?}", body.backend),
            )
        })?)
    };
    if let Some(why) = why_claimed(&state, &station).await? {
        return Err(conflict(format!("{why}; only an unclaimed station can be assigned")));
    }
    if backend.is_some() {
        check_free(&state, &station).await?;
        check_profile(&state, &station).await?;
    }
    let assignment = Assignment {
        station_id: station.id.clone(),
        operator_id: station.operator_id,
        purchased_from: purchased_from.to_string(),
        backend_id: backend.as_ref().map(|b| b.id),
        backend_name: backend.as_ref().map_or(BackendName::JOULE.to_string(), |b| b.name.to_string()),
        assigned_by: caller.requested_by(),
        assigned_at: Utc::now(),
    };
    let assignment = store.assign_station(&assignment).await.map_err(store_conflict)?;
    let after = json!({"backend": assignment.backend_name, "purchased_from": assignment.purchased_from});
    audit_by(&state, &caller, "station.assign", format!("station:{}", station.id), None, Some(after)).await;
    let handover = match backend {
        Some(b) => Some(record_handover(&state, &caller, &station, b.name.to_string(), b.ocpp_url, Some(b.id)).await?),
        None => None,
    };
    Ok((StatusCode::CREATED, Json(AssignmentView::new(assignment, handover))))
}
