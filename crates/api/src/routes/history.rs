//! A station's history ("A station's record keeps its whole history: registration, requests,
//! approvals, claims, pinpointing changes, configuration changes, handover"), gathered from where each part is
//! kept: the audit log (every change made to the station, subject `station:<id>`), the activation requests
//! that name it (and their audit entries), and the command history (every setting change sent to it,
//! whoever sent it: a person, the operator's default configuration, a handover).

use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use joule_app::Stations;
use joule_core::command::{CommandKind, Outcome, StationCommand};
use joule_core::{Role, StationId};
use joule_store::{ActivationFilter, AuditFilter, CommandOutcomeKind, CommandRecord};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use crate::ApiState;
use crate::auth::Caller;
use crate::error::{ApiResult, Problem};
use crate::extract::Query;
use crate::model::AuditView;
use crate::params;

/// Audit entries, activation requests and commands read per source.
const PER_SOURCE: u32 = 1000;

/// One event of a station's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    /// What happened, e.g. `station.registered`, `activation.requested`, `station.activate`,
    /// `installation.claim`, `installation.pinpoint`, `configuration.change`, `handover.confirmed`.
    pub kind: String,
    /// `account:<e-mail>`, `token:<name>`, `cli` or `system`.
    pub actor: String,
    /// A line for people, e.g. "HeartbeatInterval = 300: Accepted".
    pub summary: String,
    #[schema(value_type = Option<Object>)]
    pub before: Option<Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<Value>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct HistoryQuery {
    /// Most recent entries to return (default 200, at most 1000); the answer is oldest first.
    pub limit: Option<u32>,
}

impl From<AuditView> for HistoryEntry {
    fn from(a: AuditView) -> Self {
        let summary = match (&a.before, &a.after) {
            (Some(Value::Object(b)), Some(Value::Object(after))) => {
                let changed: Vec<&str> =
                    after.iter().filter(|(k, v)| b.get(*k) != Some(*v)).map(|(k, _)| k.as_str()).collect();
                if changed.is_empty() { a.action.clone() } else { format!("{} ({})", a.action, changed.join(", ")) }
            }
            _ => a.action.clone(),
        };
        HistoryEntry { at: a.at, kind: a.action, actor: a.actor, summary, before: a.before, after: a.after }
    }
}

/// A setting change from the command history, with its answer.
fn configuration_change(stations: &dyn Stations, station: &StationId, c: CommandRecord) -> HistoryEntry {
    let payload: Value = serde_json::from_str(&c.payload_json).unwrap_or(Value::Null);
    let answer: Option<Value> = match &c.outcome {
        Some(o) if o.kind == CommandOutcomeKind::Answered => {
            o.answer_json.as_deref().and_then(|a| serde_json::from_str(a).ok())
        }
        _ => None,
    };
    let recorded = stations.recorded(station, &c.action, &payload, answer.as_ref());
    let (key, value) = match recorded.as_ref().map(|r| &r.command) {
        Some(StationCommand::ChangeSetting { key, value }) => (key.to_string(), value.as_str()),
        _ => ("?".to_string(), ""),
    };
    let result = match &c.outcome {
        None => "pending".to_string(),
        Some(o) if o.kind == CommandOutcomeKind::Answered => {
            let outcome = recorded.as_ref().and_then(|r| r.outcome.as_ref()).and_then(|o| o.as_ref().ok());
            outcome.and_then(Outcome::status).map_or("answered", |s| s.name()).to_string()
        }
        Some(o) => format!("{}{}", o.kind.as_str(), o.error.as_deref().map(|e| format!(" ({e})")).unwrap_or_default()),
    };
    HistoryEntry {
        at: c.requested_at,
        kind: "configuration.change".into(),
        actor: c.requested_by,
        summary: format!("{key} = {value}: {result}"),
        before: None,
        after: Some(json!({ "key": key, "value": value, "result": result, "command": c.id })),
    }
}

/// The station's history, oldest first: its registration; the activation requests that name it, their review,
/// approval or rejection; activation, claims, pinpointing and photo changes, the serial number's lock and
/// any change after it; verification; every configuration change sent to it with the station's answer;
/// handover steps. Needs role viewer.
#[utoipa::path(get, path = "/api/v1/stations/{station_id}/history", tag = "stations",
    params(("station_id" = String, Path), HistoryQuery),
    responses((status = 200, body = Vec<HistoryEntry>), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<HistoryQuery>,
) -> ApiResult<Json<Vec<HistoryEntry>>> {
    caller.require(Role::Viewer)?;
    let limit = params::limit("limit", q.limit, 200, PER_SOURCE)?;
    let (id, station) = state.station(&caller, &id).await?;
    let store = state.app.store();
    let audit_of = |subject: String| AuditFilter {
        operator_id: Some(caller.operator_id),
        subject: Some(subject),
        limit: Some(PER_SOURCE),
        ..Default::default()
    };

    let mut entries: Vec<HistoryEntry> = Vec::new();
    let audited = store.audit_entries(&audit_of(format!("station:{id}"))).await?;
    // Stations that connected before anyone registered them have no audit entry for it.
    if !audited.iter().any(|e| e.action == "station.register") {
        entries.push(HistoryEntry {
            at: station.created_at,
            kind: "station.registered".into(),
            actor: "system".into(),
            summary: "first connected with the operator's key".into(),
            before: None,
            after: Some(json!({ "state": "pending" })),
        });
    }
    entries.extend(audited.into_iter().map(|e| HistoryEntry::from(AuditView::from(e))));

    let requests = ActivationFilter { operator_id: Some(caller.operator_id), ..Default::default() };
    for request in store.list_activation_requests(&requests).await? {
        if !request.form.charge_points.iter().any(|cp| cp.station_id == id) {
            continue;
        }
        let trail = store.audit_entries(&audit_of(format!("activation-request:{}", request.id))).await?;
        entries.extend(trail.into_iter().map(|e| {
            let mut entry = HistoryEntry::from(AuditView::from(e));
            entry.summary = format!("{} (activation request {})", entry.kind, request.id);
            entry
        }));
    }

    let commands = store.list_commands(&id, PER_SOURCE).await?;
    let stations = state.stations();
    entries.extend(
        commands
            .into_iter()
            .filter(|c| stations.classify(&id, &c.action) == Some(CommandKind::ChangeSetting))
            .map(|c| configuration_change(stations, &id, c)),
    );

    entries.sort_by_key(|e| e.at);
    let skip = entries.len().saturating_sub(limit as usize);
    Ok(Json(entries.into_iter().skip(skip).collect()))
}
