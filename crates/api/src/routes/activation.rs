//! Activation requests (route 1 "Joule as the backend"): an owner confirmed by the operator fills in
//! the activation form; the request enters the operator's queue; staff review it, then approve it (every
//! station of the request is activated, and registered first if Joule has not seen it yet) or reject it with
//! a reason. The owner is told the outcome in the portal inbox and by e-mail (the server's mailer: SMTP, or
//! the outbox folder when none is configured). Requests open longer than the operator's service level (its
//! `service_level_days` setting, 2 working days by default) are flagged overdue. An approved request's owner
//! becomes the owner of its stations. Every step goes to the audit log with the request before and after.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use joule_core::account::AccountRole;
use joule_core::activation::{ActivationFormInput, ActivationRequest, ActivationState, ChargePointInput};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ApiState;
use crate::auth::{Caller, Principal};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{Body, Query};
use crate::model::AddressBody;
use crate::params;
use crate::routes::claims::principal_actor;

// --- the JSON shapes ---

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChargePointBody {
    /// The charge point number, as printed on it.
    pub number: String,
    /// The station id it connects to Joule with (`/ocpp/{operator-key}/{station-id}`).
    pub station_id: String,
    /// Its connectors are 1..=connector_count; or name them in `connector_ids`.
    pub connector_count: Option<u32>,
    pub connector_ids: Option<Vec<u32>>,
}

/// The activation form.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivationRequestBody {
    pub customer_number: String,
    /// One or more (at most 50).
    pub charge_points: Vec<ChargePointBody>,
    pub controller_number: Option<String>,
    /// home, business, public or grid-plaza.
    pub installation_type: String,
    /// e.g. load-balancer, grid-plaza, mid-meter.
    #[serde(default)]
    pub features: Vec<String>,
    pub address: AddressBody,
    /// lan, 4g or wifi.
    pub network: String,
    /// At most 2000 characters.
    pub notes: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChargePointView {
    pub number: String,
    pub station_id: String,
    pub connectors: Vec<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActivationRequestView {
    pub id: i64,
    pub operator_id: i64,
    pub owner_id: i64,
    pub customer_number: String,
    pub charge_points: Vec<ChargePointView>,
    pub controller_number: Option<String>,
    pub installation_type: String,
    pub features: Vec<String>,
    pub address: AddressBody,
    pub network: String,
    pub notes: Option<String>,
    /// requested, in-review, activated or rejected.
    pub state: String,
    /// Why it was rejected.
    pub reason: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub updated_at: Option<DateTime<Utc>>,
    pub updated_by: Option<String>,
    /// Still open after more than the operator's service level (`service_level_days` of its settings, 2
    /// working days by default; weekends do not count).
    pub overdue: bool,
}

impl ActivationRequestView {
    fn new(r: &ActivationRequest, now: DateTime<Utc>, service_days: u32) -> ActivationRequestView {
        let f = &r.form;
        let a = &f.address;
        ActivationRequestView {
            id: r.id.0,
            operator_id: r.operator_id.0,
            owner_id: r.owner_id.0,
            customer_number: f.customer_number.clone(),
            charge_points: f
                .charge_points
                .iter()
                .map(|c| ChargePointView {
                    number: c.number.clone(),
                    station_id: c.station_id.to_string(),
                    connectors: c.connectors.clone(),
                })
                .collect(),
            controller_number: f.controller_number.clone(),
            installation_type: f.installation_type.as_str().to_string(),
            features: f.features.iter().map(|x| x.as_str().to_string()).collect(),
            address: AddressBody::from(a),
            network: f.network.as_str().to_string(),
            notes: f.notes.clone(),
            state: r.state.as_str().to_string(),
            reason: r.reason.clone(),
            requested_at: r.requested_at,
            updated_at: r.updated_at,
            updated_by: r.updated_by.clone(),
            overdue: r.is_overdue(now, service_days),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationView {
    pub id: i64,
    /// e.g. activation.activated, activation.rejected.
    pub kind: String,
    pub text: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectBody {
    /// Why, so that the owner can act on it. Required (a missing or blank reason is a 400 naming `reason`).
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ActivationQuery {
    /// Staff: only requests in this state (requested, in-review, activated, rejected).
    state: Option<String>,
    /// Staff: only overdue requests (true) or only those that are not (false).
    overdue: Option<bool>,
    /// At most this many (default 100, at most 1000).
    limit: Option<u32>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    /// At most this many (default 50, at most 500).
    limit: Option<u32>,
}

// --- endpoints ---

/// An owner asks for activation with the activation form. Only an owner the operator has confirmed may ask
/// (403 otherwise); a form error answers 400 naming the field, e.g. `address.postal_code` or
/// `charge_points[0].station_id`.
#[utoipa::path(post, path = "/api/v1/activation-requests", tag = "activation", request_body = ActivationRequestBody,
    responses((status = 201, body = ActivationRequestView), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn create(
    State(state): State<ApiState>,
    principal: Principal,
    Body(b): Body<ActivationRequestBody>,
) -> ApiResult<(StatusCode, Json<ActivationRequestView>)> {
    let input = ActivationFormInput {
        customer_number: &b.customer_number,
        charge_points: b
            .charge_points
            .into_iter()
            .map(|c| ChargePointInput {
                number: c.number,
                station_id: c.station_id,
                connector_count: c.connector_count,
                connector_ids: c.connector_ids,
            })
            .collect(),
        controller_number: b.controller_number.as_deref().unwrap_or(""),
        installation_type: &b.installation_type,
        features: b.features,
        address: b.address.input(),
        network: &b.network,
        notes: b.notes.as_deref().unwrap_or(""),
    };
    let (created, days) = state.app.onboarding().request_activation(&principal_actor(&principal), input).await?;
    Ok((StatusCode::CREATED, Json(ActivationRequestView::new(&created, Utc::now(), days))))
}

/// An owner's own requests; for the operator's staff and tokens, the operator's activation queue (filter by
/// `state`, and `overdue=true` for the requests waiting longer than the service level). Oldest first.
#[utoipa::path(get, path = "/api/v1/activation-requests", tag = "activation", params(ActivationQuery),
    responses((status = 200, body = Vec<ActivationRequestView>), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list(
    State(state): State<ApiState>,
    principal: Principal,
    caller: Result<Caller, ApiError>,
    Query(q): Query<ActivationQuery>,
) -> ApiResult<Json<Vec<ActivationRequestView>>> {
    let limit = params::limit("limit", q.limit, 100, 1000)?;
    let wanted = q
        .state
        .as_deref()
        .map(|s| {
            ActivationState::parse(s)
                .ok_or_else(|| ApiError::invalid("state", "must be requested, in-review, activated or rejected"))
        })
        .transpose()?;
    let actor = match &principal {
        Principal::Person { account, .. } if account.role == AccountRole::Owner => principal_actor(&principal),
        _ => caller?.actor(),
    };
    let found = state.app.onboarding().activation_requests(&actor, wanted, q.overdue, limit).await?;
    let views = found.requests.iter().map(|r| ActivationRequestView::new(r, found.at, found.service_days)).collect();
    Ok(Json(views))
}

/// Staff take a request into review (requested → in-review). 409 from any other state, or if someone else
/// acted first.
#[utoipa::path(post, path = "/api/v1/activation-requests/{request_id}/review", tag = "activation",
    params(("request_id" = i64, Path)),
    responses((status = 200, body = ActivationRequestView), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn review(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<ActivationRequestView>> {
    let (after, days) = state.app.onboarding().review_activation(&caller.actor(), id).await?;
    Ok(Json(ActivationRequestView::new(&after, Utc::now(), days)))
}

/// Staff approve a request in review: each station of the request is registered under the operator if Joule
/// does not know it yet, and activated (a connected station is asked to boot again, is accepted, and gets
/// the operator's default configuration) and owned by the owner who asked (audited as `station.owner`); the
/// request becomes activated and the owner is told. 409 unless
/// the request is in review, or if a station belongs to another operator.
#[utoipa::path(post, path = "/api/v1/activation-requests/{request_id}/approve", tag = "activation",
    params(("request_id" = i64, Path)),
    responses((status = 200, body = ActivationRequestView), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn approve(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<ActivationRequestView>> {
    let (after, days) = state.app.onboarding().approve_activation(&caller.actor(), id).await?;
    Ok(Json(ActivationRequestView::new(&after, Utc::now(), days)))
}

/// Staff reject a request (requested or in review) with a reason the owner can act on (400 without one);
/// the owner is told.
#[utoipa::path(post, path = "/api/v1/activation-requests/{request_id}/reject", tag = "activation",
    params(("request_id" = i64, Path)), request_body = RejectBody,
    responses((status = 200, body = ActivationRequestView), (status = 400, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn reject(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(b): Body<RejectBody>,
) -> ApiResult<Json<ActivationRequestView>> {
    let (after, days) = state.app.onboarding().reject_activation(&caller.actor(), id, &b.reason).await?;
    Ok(Json(ActivationRequestView::new(&after, Utc::now(), days)))
}

/// The person's portal inbox, newest first.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "activation", params(NotificationQuery),
    responses((status = 200, body = Vec<NotificationView>), (status = 401, body = Problem),
        (status = 403, body = Problem)))]
pub async fn notifications(
    State(state): State<ApiState>,
    principal: Principal,
    Query(q): Query<NotificationQuery>,
) -> ApiResult<Json<Vec<NotificationView>>> {
    let actor = principal_actor(&principal);
    // A token has no inbox: that answer comes before any about the query.
    joule_app::policy::inbox_owner(&actor)?;
    let limit = params::limit("limit", q.limit, 50, 500)?;
    let list = state.app.onboarding().notifications(&actor, limit).await?;
    Ok(Json(
        list.into_iter()
            .map(|n| NotificationView {
                id: n.id,
                kind: n.kind,
                text: n.text,
                created_at: n.created_at,
                read_at: n.read_at,
            })
            .collect(),
    ))
}

/// Marks a message of the person's inbox read.
#[utoipa::path(post, path = "/api/v1/notifications/{notification_id}/read", tag = "activation",
    params(("notification_id" = i64, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn mark_read(
    State(state): State<ApiState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    state.app.onboarding().mark_notification_read(&principal_actor(&principal), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
