//! Handover to third-party backends and the assignment of unclaimed stations (route 3):
//! the operator's backends and per-vendor provisioning profiles, a station's handovers, and assignments.
//!
//! Roles: viewers read; operators hand stations over, confirm, cancel and assign; admins edit backends and
//! profiles (they decide where stations may go and what is sent to them).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use joule_app::onboarding::{
    Assignment, Backend, Handover, HandoverStep, HandoverTarget, ProfileInput, ProvisioningProfile,
};
use joule_core::OperatorId;
use joule_core::handover::ProvisioningMethod;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ApiState;
use crate::auth::Caller;
use crate::error::{ApiResult, Problem};
use crate::extract::Body;

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
    let backends = state.app.onboarding().backends(&caller.actor(), OperatorId(id)).await?;
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
    let onboarding = state.app.onboarding();
    let created = onboarding.create_backend(&caller.actor(), OperatorId(id), &body.name, &body.ocpp_url).await?;
    Ok((StatusCode::CREATED, Json(created.into())))
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
    let onboarding = state.app.onboarding();
    let updated = onboarding.update_backend(&caller.actor(), OperatorId(id), &name, &body.name, &body.ocpp_url).await?;
    Ok(Json(updated.into()))
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
    state.app.onboarding().delete_backend(&caller.actor(), OperatorId(id), &name).await?;
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
    let profiles = state.app.onboarding().provisioning_profiles(&caller.actor(), OperatorId(id)).await?;
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
    let input = ProfileInput {
        method: body.method,
        key: body.key,
        vendor_id: body.vendor_id,
        message_id: body.message_id,
        append_station_id: body.append_station_id,
        reset: body.reset,
    };
    let onboarding = state.app.onboarding();
    let saved = onboarding.put_provisioning_profile(&caller.actor(), OperatorId(id), &vendor, &input).await?;
    Ok(Json(saved.into()))
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
    state.app.onboarding().delete_provisioning_profile(&caller.actor(), OperatorId(id), &vendor).await?;
    Ok(StatusCode::NO_CONTENT)
}

// --- handovers ---

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
    let target = HandoverTarget { backend: body.backend, name: body.name, ocpp_url: body.ocpp_url };
    let created = state.app.onboarding().request_handover(&caller.actor(), &id, &target).await?;
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
    let list = state.app.onboarding().handovers(&caller.actor(), &id).await?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
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
    let done = state.app.onboarding().confirm_handover(&caller.actor(), &station, id).await?;
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
    let done = state.app.onboarding().cancel_handover(&caller.actor(), &station, id).await?;
    Ok(Json(done.into()))
}

// --- route 3: unclaimed stations and their assignment ---

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
    let stations = state.app.onboarding().unclaimed_stations(&caller.actor(), OperatorId(id)).await?;
    let out = stations
        .into_iter()
        .map(|station| UnclaimedView {
            station_id: station.id.to_string(),
            vendor: station.boot.as_ref().map(|b| b.vendor.clone()),
            model: station.boot.as_ref().map(|b| b.model.clone()),
            connected_at: station.connected_at,
            created_at: station.created_at,
        })
        .collect();
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
    let onboarding = state.app.onboarding();
    let (assignment, handover) = onboarding.assign(&caller.actor(), &id, &body.backend, &body.purchased_from).await?;
    Ok((StatusCode::CREATED, Json(AssignmentView::new(assignment, handover))))
}
