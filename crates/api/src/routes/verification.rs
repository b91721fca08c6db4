//! The verification checklist ("Commissioning and verification"): computed from what Joule already
//! stores (the station's connection and boot data, its installation record and its sessions), and the
//! operator's step that marks a station verified once every item is green.

use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use joule_core::StationId;
use joule_core::command::{Evse, RequestStart, StationCommand};
use joule_core::station::{Station, StationState};
use joule_core::verification::{Checklist, TestSession, VerificationInput, checklist};
use joule_store::SessionFilter;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::ApiState;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult, Kind, Problem};
use crate::extract::Body;
use crate::routes::accounts::audit;
use crate::routes::claims;

/// Sessions looked at for the test session.
const SESSION_LIMIT: u32 = 1000;

/// One item of the checklist.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckItemView {
    /// online, heartbeat, firmware, serial_number, location or test_session.
    pub item: String,
    /// green or red.
    pub status: String,
    /// What the status is based on, e.g. "last heartbeat 40 s ago, interval 300 s".
    pub evidence: String,
}

/// A station's verification checklist.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChecklistView {
    pub station_id: String,
    /// The station's state (verified once the operator verified it).
    pub state: String,
    /// Whether every item is green: the station may be verified.
    pub all_green: bool,
    pub items: Vec<CheckItemView>,
    pub checked_at: DateTime<Utc>,
}

impl ChecklistView {
    fn new(station: &Station, list: &Checklist, at: DateTime<Utc>) -> ChecklistView {
        ChecklistView {
            station_id: station.id.to_string(),
            state: station.state.to_string(),
            all_green: list.all_green(),
            items: list
                .items
                .iter()
                .map(|i| CheckItemView {
                    item: i.kind.to_string(),
                    status: i.status.as_str().to_string(),
                    evidence: i.evidence.clone(),
                })
                .collect(),
            checked_at: at,
        }
    }
}

/// The station's entry in its operator's model catalog: the model its BootNotification names, else the one
/// the installer entered.
async fn catalog_entry(
    state: &ApiState,
    station: &Station,
    installation: Option<&joule_store::Installation>,
) -> ApiResult<Option<joule_store::CatalogModel>> {
    let catalog = state.app.store().station_models(station.operator_id).await?;
    let booted = station.boot.as_ref().map(|b| (b.vendor.as_str(), b.model.as_str()));
    let entered = installation.and_then(|i| Some((i.pinpointing.vendor.as_deref()?, i.pinpointing.model.as_deref()?)));
    Ok(booted
        .into_iter()
        .chain(entered)
        .find_map(|(vendor, model)| catalog.iter().find(|m| m.model.matches_boot(vendor, model)).cloned()))
}

/// MAC addresses in the station's stored configuration (keys whose name mentions a MAC, e.g. a vendor's
/// `MacAddress`), normalized; values that are no MAC address are skipped.
fn reported_macs(config: &[joule_store::StoredConfigKey]) -> Vec<String> {
    config
        .iter()
        .filter(|k| k.key.to_ascii_lowercase().contains("mac"))
        .filter_map(|k| joule_sticker::MacAddress::parse(k.value.as_deref()?.trim()).ok())
        .map(|m| m.to_string())
        .collect()
}

/// The checklist of `station` now.
async fn compute(state: &ApiState, id: &StationId, station: &Station, now: DateTime<Utc>) -> ApiResult<Checklist> {
    let store = state.app.store();
    let installation = store.installation(id).await?;
    let since = installation.as_ref().and_then(|i| i.claimed_at);
    let filter =
        SessionFilter { station_id: Some(id.clone()), since, limit: Some(SESSION_LIMIT), ..Default::default() };
    let sessions: Vec<TestSession> = store
        .list_sessions(&filter)
        .await?
        .iter()
        .filter(|s| s.stopped_at.is_some())
        .map(|s| TestSession { transaction_id: s.id.0, energy_wh: s.energy_wh() })
        .collect();
    let boot = station.boot.as_ref();
    let pinpointing = installation.as_ref().map(|i| &i.pinpointing);
    let model = catalog_entry(state, station, installation.as_ref()).await?;
    // The code the installer claimed with: the used one (a station has at most one claim).
    let claimed_mac = store.activation_codes(id).await?.into_iter().find(|c| c.used_at.is_some()).map(|c| c.mac);
    let macs = reported_macs(&store.configuration(id).await?);
    let input = VerificationInput {
        now: Some(now),
        online: station.online,
        last_heartbeat_at: station.last_heartbeat_at,
        heartbeat_interval_secs: state.app.settings().ocpp.heartbeat_interval_secs,
        min_firmware: model.as_ref().and_then(|m| m.model.min_firmware.as_ref()),
        reported_firmware: boot.and_then(|b| b.firmware_version.as_deref()),
        reported_serials: boot
            .map(|b| {
                [&b.serial_number, &b.charge_box_serial_number].into_iter().flatten().map(String::as_str).collect()
            })
            .unwrap_or_default(),
        entered_serial: pinpointing.and_then(|p| p.serial_number.as_deref()),
        claimed_mac: claimed_mac.as_deref(),
        reported_macs: macs.iter().map(String::as_str).collect(),
        gps: pinpointing.is_some_and(|p| p.lat.is_some() && p.lon.is_some()),
        photo: installation.as_ref().is_some_and(|i| i.photo_type.is_some()),
        sessions,
    };
    Ok(checklist(&input))
}

/// The station's verification checklist: online now; last heartbeat within the heartbeat interval; firmware
/// at or above the minimum of its model in the operator's catalog (green when the model has none); the serial
/// number the station reported is the one the installer entered; it was claimed with its sticker, whose MAC
/// is the one the station reports where it reports one; pinpointed with a GPS fix and a photo; a completed session since the
/// claim with energy above zero. Each item is green or red with its evidence. For the operator's staff and
/// tokens (role viewer) and the certified installer who claimed the station.
#[utoipa::path(get, path = "/api/v1/stations/{station_id}/verification", tag = "stations",
    params(("station_id" = String, Path)),
    responses((status = 200, body = ChecklistView), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<ApiState>,
    principal: Principal,
    Path(id): Path<String>,
) -> ApiResult<Json<ChecklistView>> {
    let (id, station, _, _) = claims::access(&state, &principal, &id, false).await?;
    let now = Utc::now();
    let list = compute(&state, &id, &station, now).await?;
    Ok(Json(ChecklistView::new(&station, &list, now)))
}

/// Marks an active station verified, only when every item of its checklist is green; otherwise 409 naming
/// the red items and their evidence. Verifying a verified station again answers its checklist. For the
/// operator's staff and tokens (role operator) and the certified installer who claimed the station (installers
/// "claim, pinpoint and verify").
#[utoipa::path(post, path = "/api/v1/stations/{station_id}/verify", tag = "stations",
    params(("station_id" = String, Path)),
    responses((status = 200, body = ChecklistView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem)))]
pub async fn verify(
    State(state): State<ApiState>,
    principal: Principal,
    Path(id): Path<String>,
) -> ApiResult<Json<ChecklistView>> {
    let (id, station, _, _) = claims::access(&state, &principal, &id, true).await?;
    // Only an approved station is verified: verifying must not activate a pending or suspended one.
    if !matches!(station.state, StationState::Active | StationState::Verified) {
        return Err(ApiError::new(
            Kind::Conflict,
            format!("station {id} is {}; only an active station is verified", station.state),
        ));
    }
    let now = Utc::now();
    let list = compute(&state, &id, &station, now).await?;
    if !list.all_green() {
        let red: Vec<String> = list.red().map(|i| format!("{} ({})", i.kind, i.evidence)).collect();
        return Err(ApiError::new(Kind::Conflict, format!("not every item is green: {}", red.join("; "))));
    }
    if station.state == StationState::Verified {
        return Ok(Json(ChecklistView::new(&station, &list, now)));
    }
    let verified = state.app.store().set_station_state(&id, StationState::Verified).await?;
    let view = ChecklistView::new(&verified, &list, now);
    audit(
        &state,
        principal.actor(),
        Some(station.operator_id),
        "station.verify",
        format!("station:{id}"),
        Some(json!({ "state": station.state.as_str() })),
        Some(json!({ "state": verified.state.as_str(), "checklist": &view.items })),
    )
    .await;
    Ok(Json(view))
}

// --- the test session ---

/// How long the one-time tag of a test session is valid: the station must start the session within it.
const TEST_TAG_MINUTES: i64 = 15;
/// How long the answer waits for the station to start the session.
const TEST_START_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

#[derive(Debug, Default, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct TestSessionRequest {
    /// The connector to charge on; left out: the station chooses.
    pub connector_id: Option<u32>,
}

/// A remotely started test session.
#[derive(Debug, Serialize, ToSchema)]
pub struct TestSessionAnswer {
    pub station_id: String,
    /// The one-time id tag the session was started with (valid for 15 minutes, then expired).
    pub id_tag: String,
    pub expires_at: DateTime<Utc>,
    /// Its entry in the station's command history.
    pub command_id: Option<i64>,
    /// The station's answer to RemoteStartTransaction.
    #[schema(value_type = Object)]
    pub answer: serde_json::Value,
    /// The session's transaction, once the station started it (within 30 s); null otherwise: it then shows in
    /// the checklist's test_session item when it ends.
    pub transaction_id: Option<i64>,
}

/// A one-time tag: `TEST-` and 15 characters of the activation passwords' alphabet (74 bits; OCPP 1.6 IdToken
/// is CiString20).
fn test_tag() -> String {
    format!("TEST-{}", joule_sticker::random_symbols(15))
}

/// Starts a test charging session remotely (the checklist's "one successful test charging session ...
/// started remotely"): Joule makes a one-time id tag of the operator that expires in 15 minutes and sends
/// RemoteStartTransaction (OCPP 1.6 §5.11) with it; the answer waits up to 30 s for the transaction. For
/// the certified installer who claimed the station and the operator's staff and tokens (role operator).
/// 409 unless the station is active or verified, or when it is not connected.
#[utoipa::path(post, path = "/api/v1/stations/{station_id}/test-session", tag = "stations",
    params(("station_id" = String, Path)), request_body = TestSessionRequest,
    responses((status = 200, body = TestSessionAnswer), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 502, body = Problem), (status = 504, body = Problem)))]
pub async fn test_session(
    State(state): State<ApiState>,
    principal: Principal,
    Path(id): Path<String>,
    Body(request): Body<TestSessionRequest>,
) -> ApiResult<Json<TestSessionAnswer>> {
    let (id, station, _, _) = claims::access(&state, &principal, &id, true).await?;
    if !matches!(station.state, StationState::Active | StationState::Verified) {
        return Err(ApiError::new(
            Kind::Conflict,
            format!("station {id} is {}; a test session needs an active station", station.state),
        ));
    }
    if request.connector_id == Some(0) {
        return Err(ApiError::invalid("connector_id", "connectors are numbered from 1"));
    }
    let tag = joule_core::IdTag::parse(&test_tag()).map_err(|e| ApiError::new(Kind::Internal, e.to_string()))?;
    let expires_at = Utc::now() + chrono::Duration::minutes(TEST_TAG_MINUTES);
    let token = joule_core::auth::IdToken {
        operator_id: station.operator_id,
        tag: tag.clone(),
        parent: None,
        expires_at: Some(expires_at),
        blocked: false,
    };
    let store = state.app.store();
    store.add_id_token(&token).await?;
    // --- local authorization list sync: the operator's stations' lists may change ---
    state.app.local_list_marks().mark_operator(station.operator_id);
    let evse = request.connector_id.map(Evse::new).transpose();
    let evse = evse.map_err(|e| ApiError::invalid("connector_id", e.to_string()))?;
    let start = RequestStart { evse, id_token: tag.clone(), charging_profile: None, remote_start_id: None };
    let actor = principal.actor();
    let report = state.stations().send(&actor, &id, StationCommand::RequestStart(start)).await?;
    let mut transaction_id = None;
    if let Some(started) = report.started
        && let Ok(Ok(tx)) = tokio::time::timeout(TEST_START_WAIT, started).await
    {
        transaction_id = Some(tx.0);
    }
    let answer = TestSessionAnswer {
        station_id: id.to_string(),
        id_tag: tag.to_string(),
        expires_at,
        command_id: report.command_id,
        answer: report.answer,
        transaction_id,
    };
    audit(
        &state,
        actor,
        Some(station.operator_id),
        "station.test_session",
        format!("station:{id}"),
        None,
        Some(json!({ "id_tag": &answer.id_tag, "command": answer.command_id, "answer": &answer.answer,
                     "transaction_id": answer.transaction_id })),
    )
    .await;
    Ok(Json(answer))
}
