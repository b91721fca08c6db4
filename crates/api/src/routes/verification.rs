//! The verification checklist ("Commissioning and verification"): computed from what Joule already
//! stores (the station's connection and boot data, its installation record and its sessions), and the
//! operator's step that marks a station verified once every item is green.

use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use joule_app::onboarding::Checked;
use serde::Serialize;
use utoipa::ToSchema;

use crate::ApiState;
use crate::auth::Principal;
use crate::error::{ApiResult, Problem};
use crate::extract::Body;
use crate::routes::claims::principal_actor;

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

impl From<Checked> for ChecklistView {
    fn from(Checked { station, checklist: list, at }: Checked) -> ChecklistView {
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
    let checked = state.app.onboarding().checklist(&principal_actor(&principal), &id).await?;
    Ok(Json(ChecklistView::from(checked)))
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
    let checked = state.app.onboarding().verify(&principal_actor(&principal), &id).await?;
    Ok(Json(ChecklistView::from(checked)))
}

// --- the test session ---

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
    let started = state.app.onboarding().test_session(&principal_actor(&principal), &id, request.connector_id).await?;
    Ok(Json(TestSessionAnswer {
        station_id: started.station_id.to_string(),
        id_tag: started.id_tag.to_string(),
        expires_at: started.expires_at,
        command_id: started.command_id,
        answer: started.answer,
        transaction_id: started.transaction_id,
    }))
}
