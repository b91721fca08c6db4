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
use joule_core::account::{Account, AccountRole};
use joule_core::activation::{
    ActivationFormInput, ActivationRequest, ActivationRequestId, ActivationState, ChargePointInput, Transition,
    check_reason, transition,
};
use joule_core::station::StationState;
use joule_core::{OperatorId, Role};
use joule_store::{ActivationFilter, NewActivationRequest, NewStation, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::accounts::{audit, audit_by};
use crate::ApiState;
use crate::auth::{Caller, Principal};
use crate::error::{ApiError, ApiResult, Kind, Problem};
use crate::extract::{Body, Query};
use crate::model::AddressBody;
use crate::params;

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

fn snapshot(r: &ActivationRequest, service_days: u32) -> Value {
    serde_json::to_value(ActivationRequestView::new(r, Utc::now(), service_days)).unwrap_or(Value::Null)
}

/// The operator's service level, in working days (its settings; 2 by default).
pub(crate) async fn service_days(state: &ApiState, operator: OperatorId) -> ApiResult<u32> {
    Ok(state.app.store().operator_settings(operator).await?.service_level_days())
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

// --- helpers ---

/// The calling owner, or 403.
fn owner(principal: &Principal) -> ApiResult<&Account> {
    match principal {
        Principal::Person { account, .. } if account.role == AccountRole::Owner => Ok(account),
        _ => Err(ApiError::new(Kind::Forbidden, "only a station owner's account asks for activations")),
    }
}

fn person(principal: &Principal) -> ApiResult<&Account> {
    match principal {
        Principal::Person { account, .. } => Ok(account),
        Principal::Token(_) => Err(ApiError::new(Kind::Forbidden, "an inbox belongs to a person's account")),
    }
}

/// The caller's operator's request: 404 for a missing one or another operator's.
async fn own_request(state: &ApiState, operator: OperatorId, id: i64) -> ApiResult<ActivationRequest> {
    match state.app.store().activation_request(ActivationRequestId(id)).await? {
        Some(r) if r.operator_id == operator => Ok(r),
        _ => Err(ApiError::not_found(format!("no activation request {id}"))),
    }
}

fn illegal(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(Kind::Conflict, e.to_string())
}

/// Moves the request (compare-and-set on the state it was read in), audits it and answers the view.
async fn step(
    state: &ApiState,
    caller: &Caller,
    before: &ActivationRequest,
    t: Transition,
    reason: Option<&str>,
) -> ApiResult<ActivationRequest> {
    let to = transition(before.state, t).map_err(illegal)?;
    let after = state
        .app
        .store()
        .set_activation_state(before.id, before.state, to, reason, &caller.requested_by(), Utc::now())
        .await
        .map_err(|e| match e {
            StoreError::Conflict(what) => ApiError::new(Kind::Conflict, format!("someone acted first: {what}")),
            e => e.into(),
        })?;
    let days = service_days(state, caller.operator_id).await?;
    audit(
        state,
        caller.requested_by(),
        Some(caller.operator_id),
        &format!("activation.{}", t.as_str()),
        format!("activation-request:{}", before.id),
        Some(snapshot(before, days)),
        Some(snapshot(&after, days)),
    )
    .await;
    Ok(after)
}

/// Tells the owner the outcome: in the portal inbox, and by e-mail (SMTP, or the outbox folder). A failure
/// to mail is logged; the inbox keeps the message either way.
async fn tell_owner(state: &ApiState, request: &ActivationRequest, kind: &str, subject: &str, text: String) {
    match state.app.store().account(request.owner_id).await {
        Ok(Some(owner)) => joule_app::notify::tell(&state.app, &owner, kind, subject, &text, Utc::now()).await,
        other => tracing::error!(?other, request = %request.id, "could not read the owner to tell the outcome"),
    }
}

fn stations_line(r: &ActivationRequest) -> String {
    r.form.charge_points.iter().map(|c| c.station_id.to_string()).collect::<Vec<_>>().join(", ")
}

/// Moves the request's stations that are the operator's and in one of `from` to `to`, each with an audit
/// entry (subject `station:<id>`, so it is in the station's history). Stations not known yet are registered
/// at approval; another operator's are left alone (approval refuses them).
async fn move_stations(
    state: &ApiState,
    actor: &str,
    request: &ActivationRequest,
    from: &[StationState],
    to: StationState,
) -> ApiResult<()> {
    let store = state.app.store();
    for cp in &request.form.charge_points {
        let Some(station) = store.station(&cp.station_id).await? else { continue };
        if station.operator_id != request.operator_id || !from.contains(&station.state) {
            continue;
        }
        store.set_station_state(&cp.station_id, to).await?;
        audit(
            state,
            actor.to_string(),
            Some(request.operator_id),
            "station.state",
            format!("station:{}", cp.station_id),
            Some(serde_json::json!({ "state": station.state.as_str() })),
            Some(serde_json::json!({ "state": to.as_str(), "activation_request": request.id.0 })),
        )
        .await;
    }
    Ok(())
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
    let account = owner(&principal)?;
    let operator = match account.operator_id {
        Some(op) if account.may_request_activation() => op,
        _ => {
            return Err(ApiError::new(
                Kind::Forbidden,
                "the operator has not confirmed this owner account yet; activations can be asked once it has",
            ));
        }
    };
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
    let form = input.validate().map_err(|e| ApiError::invalid(e.field, e.message))?;
    let new = NewActivationRequest { operator_id: operator, owner_id: account.id, form, requested_at: Utc::now() };
    let created = state.app.store().create_activation_request(&new).await?;
    let days = service_days(&state, operator).await?;
    audit(
        &state,
        principal.actor(),
        Some(operator),
        "activation.request",
        format!("activation-request:{}", created.id),
        None,
        Some(snapshot(&created, days)),
    )
    .await;
    // A known station waiting for activation (or refused before) is now requested.
    let waiting = [StationState::Pending, StationState::Rejected];
    move_stations(&state, &principal.actor(), &created, &waiting, StationState::Requested).await?;
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
    let (filter, operator) = match &principal {
        Principal::Person { account, .. } if account.role == AccountRole::Owner => {
            (ActivationFilter { owner_id: Some(account.id), state: wanted, ..Default::default() }, account.operator_id)
        }
        _ => {
            let caller = caller?;
            caller.require(Role::Viewer)?;
            let filter =
                ActivationFilter { operator_id: Some(caller.operator_id), state: wanted, ..Default::default() };
            (filter, Some(caller.operator_id))
        }
    };
    let now = Utc::now();
    // An owner's requests are all with the owner's operator; its service level is the one they are held to.
    let days = match operator {
        Some(op) => service_days(&state, op).await?,
        None => joule_core::activation::DEFAULT_SERVICE_DAYS,
    };
    let requests = state.app.store().list_activation_requests(&filter).await?;
    let views = requests
        .iter()
        .map(|r| ActivationRequestView::new(r, now, days))
        .filter(|v| q.overdue.is_none_or(|o| v.overdue == o))
        .take(limit as usize)
        .collect();
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
    caller.require(Role::Operator)?;
    let before = own_request(&state, caller.operator_id, id).await?;
    let after = step(&state, &caller, &before, Transition::Review, None).await?;
    Ok(Json(ActivationRequestView::new(&after, Utc::now(), service_days(&state, caller.operator_id).await?)))
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
    caller.require(Role::Operator)?;
    let before = own_request(&state, caller.operator_id, id).await?;
    transition(before.state, Transition::Approve).map_err(illegal)?;
    let store = state.app.store();
    // Every station must be the operator's (or unknown) before any is touched.
    for cp in &before.form.charge_points {
        if let Some(s) = store.station(&cp.station_id).await?
            && s.operator_id != caller.operator_id
        {
            return Err(ApiError::new(
                Kind::Conflict,
                format!("station {} is registered with another operator", cp.station_id),
            ));
        }
    }
    for cp in &before.form.charge_points {
        if store.station(&cp.station_id).await?.is_none() {
            let new = NewStation {
                id: cp.station_id.clone(),
                operator_id: caller.operator_id,
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
            audit_by(
                &state,
                &caller,
                "station.register",
                format!("station:{}", cp.station_id),
                None,
                Some(serde_json::json!({ "station_id": cp.station_id.to_string(), "activation_request": id })),
            )
            .await;
        }
        let was = store.station(&cp.station_id).await?;
        if was.as_ref().is_some_and(|s| s.operator_id != caller.operator_id) {
            return Err(ApiError::new(
                Kind::Conflict,
                format!("station {} is registered with another operator", cp.station_id),
            ));
        }
        let now = state.app.charging().activate(&cp.station_id).await?;
        audit_by(
            &state,
            &caller,
            "station.activate",
            format!("station:{}", cp.station_id),
            was.as_ref().map(|s| serde_json::json!({ "state": s.state.as_str() })),
            Some(serde_json::json!({ "state": now.state.as_str(), "activation_request": id })),
        )
        .await;
        // The owner who asked owns the station from now on (their portal lists it, offline detection tells
        // them); audited as part of the station's history.
        let previous_owner = was.as_ref().and_then(|s| s.owner_id);
        if previous_owner != Some(before.owner_id) {
            store.set_station_owner(&cp.station_id, Some(before.owner_id)).await?;
            audit_by(
                &state,
                &caller,
                "station.owner",
                format!("station:{}", cp.station_id),
                Some(serde_json::json!({ "owner_id": previous_owner.map(|o| o.0) })),
                Some(serde_json::json!({ "owner_id": before.owner_id.0, "activation_request": id })),
            )
            .await;
        }
    }
    let after = step(&state, &caller, &before, Transition::Approve, None).await?;
    let text = format!(
        "Your activation request {} (customer {}) is approved: station(s) {} are active.",
        after.id,
        after.form.customer_number,
        stations_line(&after)
    );
    tell_owner(&state, &after, "activation.activated", "Your charging station is activated", text).await;
    Ok(Json(ActivationRequestView::new(&after, Utc::now(), service_days(&state, caller.operator_id).await?)))
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
    caller.require(Role::Operator)?;
    let reason = check_reason(&b.reason).map_err(|e| ApiError::invalid(e.field, e.message))?;
    let before = own_request(&state, caller.operator_id, id).await?;
    let after = step(&state, &caller, &before, Transition::Reject, Some(&reason)).await?;
    move_stations(&state, &caller.requested_by(), &after, &[StationState::Requested], StationState::Rejected).await?;
    let text = format!(
        "Your activation request {} (customer {}) for station(s) {} is rejected: {reason}",
        after.id,
        after.form.customer_number,
        stations_line(&after)
    );
    tell_owner(&state, &after, "activation.rejected", "Your activation request is rejected", text).await;
    Ok(Json(ActivationRequestView::new(&after, Utc::now(), service_days(&state, caller.operator_id).await?)))
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
    let account = person(&principal)?;
    let limit = params::limit("limit", q.limit, 50, 500)?;
    let list = state.app.store().notifications(account.id, limit).await?;
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
    let account = person(&principal)?;
    state.app.store().mark_notification_read(account.id, id, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
