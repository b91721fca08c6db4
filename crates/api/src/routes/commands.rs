//! `/api/v1/stations/{id}/commands`: any CSMS-initiated OCPP 1.6 command, validated before it is sent,
//! readable shortcuts for the common ones, and the station's command history.
//!
//! A command ends as exactly one of: the station's answer (200), its CALLERROR (502), no answer within the
//! call timeout (504), station offline (409), queue full (429).

use std::time::Duration;

use axum::Json;
use axum::extract::{Path, State};
use joule_core::Role;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use crate::ApiState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{Body, Query};
use crate::model::{CommandAnswer, CommandRequest, CommandView};
use crate::params;

/// How long a remote start waits for its session by default, and at most.
const WAIT_FOR_START: u64 = 30;
const MAX_WAIT_FOR_START: u64 = 120;

async fn run(
    state: &ApiState,
    caller: &Caller,
    station: &str,
    action: &str,
    payload: Value,
    wait_for_start: Option<u64>,
    fields: &[(&str, &str)],
) -> ApiResult<Json<CommandAnswer>> {
    caller.require(Role::Operator)?;
    let wait = wait_for_start.unwrap_or(WAIT_FOR_START);
    if wait > MAX_WAIT_FOR_START {
        return Err(ApiError::invalid("wait_for_start_secs", format!("at most {MAX_WAIT_FOR_START}")));
    }
    let (id, _) = state.station(caller, station).await?;
    let report = state.app.gateway.command(&caller.requested_by(), &id, action, payload).await.map_err(|e| {
        // A shortcut's error names the shortcut's own property, not the OCPP payload's.
        let mut e = ApiError::from(e);
        if let Some(field) = &e.field
            && let Some((from, to)) = fields.iter().find(|(from, _)| field.starts_with(from))
        {
            e.field = Some(format!("{to}{}", &field[from.len()..]));
        }
        e
    })?;
    let mut transaction_id = None;
    if let Some(started) = report.started
        && wait > 0
        && let Ok(Ok(tx)) = tokio::time::timeout(Duration::from_secs(wait), started).await
    {
        transaction_id = Some(tx.0);
    }
    Ok(Json(CommandAnswer {
        command_id: report.command_id,
        station_id: id.to_string(),
        action: report.action,
        answer: report.answer,
        latency_ms: report.latency_ms,
        transaction_id,
    }))
}

/// Sends any CSMS-initiated OCPP 1.6 action: Core (ChangeAvailability, ChangeConfiguration, ClearCache,
/// GetConfiguration, RemoteStartTransaction, RemoteStopTransaction, Reset, UnlockConnector, DataTransfer),
/// Firmware Management (GetDiagnostics, UpdateFirmware), Local Auth List (GetLocalListVersion,
/// SendLocalList), Reservation (ReserveNow, CancelReservation), Remote Trigger (TriggerMessage), Smart
/// Charging (SetChargingProfile, ClearChargingProfile, GetCompositeSchedule) and the security extension
/// (ExtendedTriggerMessage, GetLog, SignedUpdateFirmware, InstallCertificate, DeleteCertificate,
/// GetInstalledCertificateIds, CertificateSigned). The payload is validated against OCPP 1.6 first: a 400
/// names the property at fault.
#[utoipa::path(post, path = "/api/v1/stations/{station_id}/commands", tag = "commands",
    params(("station_id" = String, Path)), request_body = CommandRequest,
    responses((status = 200, body = CommandAnswer), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 429, body = Problem),
        (status = 502, body = Problem), (status = 504, body = Problem)))]
pub async fn send(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(request): Body<CommandRequest>,
) -> ApiResult<Json<CommandAnswer>> {
    // --- access rules: the generic path refuses what remote-start refuses ---
    if request.action == "RemoteStartTransaction"
        && let Some(tag) = request.payload.get("idTag").and_then(Value::as_str)
    {
        let connector = request.payload.get("connectorId").and_then(Value::as_i64);
        super::access::refuse_remote_start(&state, &caller, &id, tag, connector).await?;
    }
    run(&state, &caller, &id, &request.action, request.payload, request.wait_for_start_secs, &[]).await
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// At most this many (default 100, at most 1000).
    limit: Option<u32>,
}

/// The station's command history, newest first: who asked, when, the payload, the answer, the latency.
#[utoipa::path(get, path = "/api/v1/stations/{station_id}/commands", tag = "commands",
    params(("station_id" = String, Path), HistoryQuery),
    responses((status = 200, body = Vec<CommandView>), (status = 404, body = Problem)))]
pub async fn history(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<HistoryQuery>,
) -> ApiResult<Json<Vec<CommandView>>> {
    let (id, _) = state.station(&caller, &id).await?;
    let limit = params::limit("limit", q.limit, 100, 1000)?;
    let commands = state.app.services.store().list_commands(&id, limit).await?;
    Ok(Json(commands.into_iter().map(Into::into).collect()))
}

/// One command of the history (e.g. to see the transaction a remote start led to).
#[utoipa::path(get, path = "/api/v1/stations/{station_id}/commands/{command_id}", tag = "commands",
    params(("station_id" = String, Path), ("command_id" = i64, Path)),
    responses((status = 200, body = CommandView), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<ApiState>,
    caller: Caller,
    Path((id, command)): Path<(String, i64)>,
) -> ApiResult<Json<CommandView>> {
    let (id, _) = state.station(&caller, &id).await?;
    match state.app.services.store().command(command).await? {
        Some(c) if c.station_id == id => Ok(Json(c.into())),
        _ => Err(ApiError::not_found(format!("no command {command} of station {id}"))),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    /// Soft (default) or Hard.
    #[serde(rename = "type", default = "soft")]
    pub kind: String,
}

fn soft() -> String {
    "Soft".into()
}

/// Reset (OCPP 1.6 §5.13): the station restarts, softly (stopping sessions first) or hard.
#[utoipa::path(post, path = "/api/v1/stations/{station_id}/reset", tag = "commands",
    params(("station_id" = String, Path)), request_body(content = ResetRequest, description = "optional"),
    responses((status = 200, body = CommandAnswer), (status = 400, body = Problem), (status = 409, body = Problem),
        (status = 504, body = Problem)))]
pub async fn reset(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(r): Body<ResetRequest>,
) -> ApiResult<Json<CommandAnswer>> {
    run(&state, &caller, &id, "Reset", json!({ "type": r.kind }), None, &[("payload.type", "type")]).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemoteStartRequest {
    /// The connector to start on (> 0); the station chooses when absent.
    pub connector_id: Option<i64>,
    /// The idTag the session is started for.
    pub id_tag: String,
    /// An OCPP 1.6 ChargingProfile (TxProfile) for the session.
    #[schema(value_type = Option<Object>)]
    pub charging_profile: Option<Value>,
    /// How long to wait for the station to start the session (default 30 s, at most 120; 0: don't wait).
    pub wait_for_start_secs: Option<u64>,
}

/// RemoteStartTransaction (OCPP 1.6 §5.11). Once the station accepted, the answer waits (up to
/// `wait_for_start_secs`) for the session to start and carries its `transaction_id`.
#[utoipa::path(post, path = "/api/v1/stations/{station_id}/remote-start", tag = "commands",
    params(("station_id" = String, Path)), request_body = RemoteStartRequest,
    responses((status = 200, body = CommandAnswer), (status = 400, body = Problem), (status = 409, body = Problem),
        (status = 504, body = Problem)))]
pub async fn remote_start(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(r): Body<RemoteStartRequest>,
) -> ApiResult<Json<CommandAnswer>> {
    // --- access rules: a start the rules refuse is not sent (after the request's own checks) ---
    if r.wait_for_start_secs.is_some_and(|w| w > MAX_WAIT_FOR_START) {
        return Err(ApiError::invalid("wait_for_start_secs", format!("at most {MAX_WAIT_FOR_START}")));
    }
    // The schema of RemoteStartTransaction.req (OCPP 1.6 §6.33) lets an empty idTag through, which no
    // station can start a session for: refused here, like any tag that is not an IdToken (CiString20).
    joule_core::IdTag::parse(&r.id_tag).map_err(|e| ApiError::invalid("id_tag", e.to_string()))?;
    super::access::refuse_remote_start(&state, &caller, &id, &r.id_tag, r.connector_id).await?;
    let mut payload = json!({ "idTag": r.id_tag });
    if let Some(c) = r.connector_id {
        payload["connectorId"] = json!(c);
    }
    if let Some(p) = r.charging_profile {
        payload["chargingProfile"] = p;
    }
    let fields = [
        ("payload.connectorId", "connector_id"),
        ("payload.idTag", "id_tag"),
        ("payload.chargingProfile", "charging_profile"),
    ];
    run(&state, &caller, &id, "RemoteStartTransaction", payload, r.wait_for_start_secs, &fields).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemoteStopRequest {
    pub transaction_id: i64,
}

/// RemoteStopTransaction (OCPP 1.6 §5.12).
#[utoipa::path(post, path = "/api/v1/stations/{station_id}/remote-stop", tag = "commands",
    params(("station_id" = String, Path)), request_body = RemoteStopRequest,
    responses((status = 200, body = CommandAnswer), (status = 400, body = Problem), (status = 409, body = Problem),
        (status = 504, body = Problem)))]
pub async fn remote_stop(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(r): Body<RemoteStopRequest>,
) -> ApiResult<Json<CommandAnswer>> {
    let payload = json!({ "transactionId": r.transaction_id });
    run(&state, &caller, &id, "RemoteStopTransaction", payload, None, &[("payload.transactionId", "transaction_id")])
        .await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnlockRequest {
    pub connector_id: i64,
}

/// UnlockConnector (OCPP 1.6 §5.18).
#[utoipa::path(post, path = "/api/v1/stations/{station_id}/unlock", tag = "commands",
    params(("station_id" = String, Path)), request_body = UnlockRequest,
    responses((status = 200, body = CommandAnswer), (status = 400, body = Problem), (status = 409, body = Problem),
        (status = 504, body = Problem)))]
pub async fn unlock(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(r): Body<UnlockRequest>,
) -> ApiResult<Json<CommandAnswer>> {
    let payload = json!({ "connectorId": r.connector_id });
    run(&state, &caller, &id, "UnlockConnector", payload, None, &[("payload.connectorId", "connector_id")]).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TriggerRequest {
    /// BootNotification, DiagnosticsStatusNotification, FirmwareStatusNotification, Heartbeat, MeterValues or
    /// StatusNotification.
    pub message: String,
    pub connector_id: Option<i64>,
}

/// TriggerMessage (OCPP 1.6 §5.17): the station sends the message now.
#[utoipa::path(post, path = "/api/v1/stations/{station_id}/trigger", tag = "commands",
    params(("station_id" = String, Path)), request_body = TriggerRequest,
    responses((status = 200, body = CommandAnswer), (status = 400, body = Problem), (status = 409, body = Problem),
        (status = 504, body = Problem)))]
pub async fn trigger(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(r): Body<TriggerRequest>,
) -> ApiResult<Json<CommandAnswer>> {
    let mut payload = json!({ "requestedMessage": r.message });
    if let Some(c) = r.connector_id {
        payload["connectorId"] = json!(c);
    }
    let fields = [("payload.requestedMessage", "message"), ("payload.connectorId", "connector_id")];
    run(&state, &caller, &id, "TriggerMessage", payload, None, &fields).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AvailabilityRequest {
    /// 0 for the whole station.
    #[serde(default)]
    pub connector_id: i64,
    /// Operative or Inoperative.
    #[serde(rename = "type")]
    pub kind: String,
}

/// ChangeAvailability (OCPP 1.6 §5.2).
#[utoipa::path(post, path = "/api/v1/stations/{station_id}/availability", tag = "commands",
    params(("station_id" = String, Path)), request_body = AvailabilityRequest,
    responses((status = 200, body = CommandAnswer), (status = 400, body = Problem), (status = 409, body = Problem),
        (status = 504, body = Problem)))]
pub async fn availability(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(r): Body<AvailabilityRequest>,
) -> ApiResult<Json<CommandAnswer>> {
    let payload = json!({ "connectorId": r.connector_id, "type": r.kind });
    let fields = [("payload.connectorId", "connector_id"), ("payload.type", "type")];
    run(&state, &caller, &id, "ChangeAvailability", payload, None, &fields).await
}

/// ClearCache (OCPP 1.6 §5.4): the station empties its authorization cache.
#[utoipa::path(post, path = "/api/v1/stations/{station_id}/clear-cache", tag = "commands",
    params(("station_id" = String, Path)),
    responses((status = 200, body = CommandAnswer), (status = 409, body = Problem), (status = 504, body = Problem)))]
pub async fn clear_cache(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<CommandAnswer>> {
    run(&state, &caller, &id, "ClearCache", json!({}), None, &[]).await
}
