//! `/api/v1/stations/{id}/commands`: any CSMS-initiated OCPP 1.6 command, validated before it is sent,
//! readable shortcuts for the common ones, and the station's command history.
//!
//! A command ends as exactly one of: the station's answer (200), its CALLERROR (502), no answer within the
//! call timeout (504), station offline (409), queue full (429).

use std::time::Duration;

use axum::Json;
use axum::extract::{Path, State};
use joule_app::{AppError, CommandReport};
use joule_core::command::{Availability, Evse, RequestStart, ResetType, StationCommand, Target, TriggerKind};
use joule_core::{IdTag, Role, StationId};
use serde::Deserialize;
use serde_json::Value;
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

fn wait_for_start(wait: Option<u64>) -> ApiResult<u64> {
    let wait = wait.unwrap_or(WAIT_FOR_START);
    if wait > MAX_WAIT_FOR_START {
        return Err(ApiError::invalid("wait_for_start_secs", format!("at most {MAX_WAIT_FOR_START}")));
    }
    Ok(wait)
}

/// Sends the command a shortcut stands for, read from the request once the caller may send it to that
/// station (`command`: its 400s name the shortcut's own properties). `fields` renames the properties a
/// station's version refused, from the command's names to the shortcut's.
async fn run(
    state: &ApiState,
    caller: &Caller,
    station: &str,
    wait_for_start: Option<u64>,
    fields: &[(&str, &str)],
    command: impl FnOnce(&StationId) -> ApiResult<StationCommand>,
) -> ApiResult<Json<CommandAnswer>> {
    caller.require(Role::Operator)?;
    let wait = self::wait_for_start(wait_for_start)?;
    let (id, _) = state.station(caller, station).await?;
    let command = command(&id)?;
    let report = state.app.operations().send(&caller.actor(), &id, command).await.map_err(|e| {
        let failure = match e {
            AppError::Command(failure) => failure,
            e => return ApiError::from(e),
        };
        let mut e = ApiError::from(failure);
        if let Some(field) = &e.field
            && let Some((from, to)) = fields.iter().find(|(from, _)| field.starts_with(from))
        {
            e.field = Some(format!("{to}{}", &field[from.len()..]));
        }
        e
    })?;
    Ok(answer(report, &id, wait).await)
}

/// The answer to a command; for an accepted request to start, after waiting (up to `wait` seconds) for
/// the session's transaction id.
async fn answer(report: CommandReport, id: &StationId, wait: u64) -> Json<CommandAnswer> {
    let mut transaction_id = None;
    if let Some(started) = report.started
        && wait > 0
        && let Ok(Ok(tx)) = tokio::time::timeout(Duration::from_secs(wait), started).await
    {
        transaction_id = Some(tx.0);
    }
    Json(CommandAnswer {
        command_id: report.command_id,
        station_id: id.to_string(),
        action: report.action,
        answer: report.answer,
        latency_ms: report.latency_ms,
        transaction_id,
    })
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
    caller.require(Role::Operator)?;
    let wait = wait_for_start(request.wait_for_start_secs)?;
    let (station, _) = state.station(&caller, &id).await?;
    let stations = state.stations();
    // --- access rules: the generic path refuses what remote-start refuses ---
    if let Some(StationCommand::RequestStart(start)) =
        stations.interpret(&station, &request.action, &request.payload)?
    {
        let connector = start.evse.map(Evse::id);
        super::access::refuse_remote_start(&state, &caller, &id, &start.id_token, connector).await?;
    }
    let report = state.app.operations().send_raw(&caller.actor(), &station, &request.action, request.payload).await?;
    Ok(answer(report, &station, wait).await)
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
    let commands = state.app.operations().commands(&caller.actor(), &id, limit).await?;
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
    Ok(Json(state.app.operations().command(&caller.actor(), &id, command).await?.into()))
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
    run(&state, &caller, &id, None, &[], |_| {
        // The names of OCPP's ResetType (1.6 §7.42), exactly: the station's schema refuses anything else.
        let kind = match r.kind.as_str() {
            "Soft" => ResetType::Soft,
            "Hard" => ResetType::Hard,
            other => return Err(ApiError::invalid("type", format!("{other:?}: expected Soft or Hard"))),
        };
        Ok(StationCommand::Reset(kind))
    })
    .await
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
    let tag = IdTag::parse(&r.id_tag).map_err(|e| ApiError::invalid("id_tag", e.to_string()))?;
    // A connector that cannot be one is left to the request's own check below, which names the field
    // (OCPP 1.6 §6.33: connectorId > 0).
    let evse = r.connector_id.map(Evse::parse_id).transpose();
    match &evse {
        Ok(evse) => super::access::refuse_remote_start(&state, &caller, &id, &tag, evse.map(Evse::id)).await?,
        Err(_) => caller.require(Role::Operator)?,
    }
    let fields = [("evse", "connector_id"), ("id_token", "id_tag"), ("charging_profile", "charging_profile")];
    let stations = state.stations();
    run(&state, &caller, &id, r.wait_for_start_secs, &fields, |station| {
        let evse = evse.map_err(|e| ApiError::invalid("connector_id", e.to_string()))?;
        // The profile is an OCPP ChargingProfile in the station's own version (the schema promises 1.6's).
        let charging_profile = match &r.charging_profile {
            Some(p) => Some(stations.read_charging_profile(station, p).map_err(|e| {
                let mut e = ApiError::from(e);
                e.field = Some(match e.field.take() {
                    Some(path) => format!("charging_profile.{path}"),
                    None => "charging_profile".into(),
                });
                e
            })?),
            None => None,
        };
        Ok(StationCommand::RequestStart(RequestStart { evse, id_token: tag, charging_profile, remote_start_id: None }))
    })
    .await
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
    // The station's version decides what a transaction id may be (1.6: a 32-bit integer); a refusal
    // names `transaction_id`.
    run(&state, &caller, &id, None, &[], |_| {
        Ok(StationCommand::RequestStop { transaction_id: r.transaction_id.to_string() })
    })
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
    run(&state, &caller, &id, None, &[("evse", "connector_id")], |_| {
        // OCPP 1.6 §6.53: connectorId > 0 (the station's schema refuses 0 and below).
        let evse = Evse::parse_id(r.connector_id).map_err(|e| ApiError::invalid("connector_id", e.to_string()))?;
        Ok(StationCommand::Unlock(evse))
    })
    .await
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
    run(&state, &caller, &id, None, &[("target", "connector_id")], |_| {
        // The station's schema refuses a message outside MessageTrigger (OCPP 1.6 §7.32) and a negative
        // connector (§6.51; 0 is the station, §5.17).
        let message = serde_json::from_value::<TriggerMessage>(Value::String(r.message.clone()))
            .map_err(|e| ApiError::invalid("message", e.to_string()))?;
        let target = r.connector_id.map(Target::parse_id).transpose();
        let target = target.map_err(|e| ApiError::invalid("connector_id", e.to_string()))?;
        Ok(StationCommand::Trigger { message: message.kind(), target })
    })
    .await
}

/// The messages the trigger shortcut asks for, by their OCPP names (1.6 §7.32 MessageTrigger).
#[derive(Debug, Clone, Copy, Deserialize)]
enum TriggerMessage {
    BootNotification,
    DiagnosticsStatusNotification,
    FirmwareStatusNotification,
    Heartbeat,
    MeterValues,
    StatusNotification,
}

impl TriggerMessage {
    fn kind(self) -> TriggerKind {
        match self {
            TriggerMessage::BootNotification => TriggerKind::BootNotification,
            TriggerMessage::DiagnosticsStatusNotification => TriggerKind::DiagnosticsStatus,
            TriggerMessage::FirmwareStatusNotification => TriggerKind::FirmwareStatus,
            TriggerMessage::Heartbeat => TriggerKind::Heartbeat,
            TriggerMessage::MeterValues => TriggerKind::MeterValues,
            TriggerMessage::StatusNotification => TriggerKind::StatusNotification,
        }
    }
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
    run(&state, &caller, &id, None, &[("target", "connector_id")], |_| {
        // OCPP 1.6 §6.7: connectorId >= 0 (0 is the station); §7.4 AvailabilityType, exactly.
        let target = Target::parse_id(r.connector_id).map_err(|e| ApiError::invalid("connector_id", e.to_string()))?;
        let availability = match r.kind.as_str() {
            "Operative" => Availability::Operative,
            "Inoperative" => Availability::Inoperative,
            other => return Err(ApiError::invalid("type", format!("{other:?}: expected Operative or Inoperative"))),
        };
        Ok(StationCommand::ChangeAvailability { target, availability })
    })
    .await
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
    run(&state, &caller, &id, None, &[], |_| Ok(StationCommand::ClearCache)).await
}
