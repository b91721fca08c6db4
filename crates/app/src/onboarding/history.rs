//! A station's history ("A station's record keeps its whole history: registration, requests, approvals,
//! claims, pinpointing changes, configuration changes, handover"), gathered from where each part is kept:
//! the audit log (every change made to the station, subject `station:<id>`), the activation requests that
//! name it (and their audit entries), and the command history (every setting change sent to it, whoever
//! sent it: a person, the operator's default configuration, a handover).

use joule_core::command::{CommandKind, Outcome, StationCommand};
use joule_core::{StationId, Timestamp};
use joule_store::{ActivationFilter, AuditEntry, AuditFilter, CommandOutcomeKind, CommandRecord};
use serde_json::{Value, json};

use super::Onboarding;
use crate::{Actor, AppResult, Permission, Stations};

/// Audit entries, activation requests and commands read per source.
pub const PER_SOURCE: u32 = 1000;

/// One event of a station's history.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEvent {
    pub at: Timestamp,
    /// What happened, e.g. `station.registered`, `activation.requested`, `configuration.change`.
    pub kind: String,
    /// `account:<e-mail>`, `token:<name>`, `cli` or `system`.
    pub actor: String,
    /// A line for people, e.g. "HeartbeatInterval = 300: Accepted".
    pub summary: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl From<AuditEntry> for HistoryEvent {
    /// An audit entry; its summary names the fields that changed.
    fn from(e: AuditEntry) -> Self {
        let parse = |s: &str| serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.to_string()));
        let (before, after) = (e.before.as_deref().map(parse), e.after.as_deref().map(parse));
        let summary = match (&before, &after) {
            (Some(Value::Object(b)), Some(Value::Object(a))) => {
                let changed: Vec<&str> =
                    a.iter().filter(|(k, v)| b.get(*k) != Some(*v)).map(|(k, _)| k.as_str()).collect();
                if changed.is_empty() { e.action.clone() } else { format!("{} ({})", e.action, changed.join(", ")) }
            }
            _ => e.action.clone(),
        };
        HistoryEvent { at: e.at, kind: e.action, actor: e.actor, summary, before, after }
    }
}

/// A setting change from the command history, with its answer.
fn configuration_change(stations: &dyn Stations, station: &StationId, c: CommandRecord) -> HistoryEvent {
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
    HistoryEvent {
        at: c.requested_at,
        kind: "configuration.change".into(),
        actor: c.requested_by,
        summary: format!("{key} = {value}: {result}"),
        before: None,
        after: Some(json!({ "key": key, "value": value, "result": result, "command": c.id })),
    }
}

impl Onboarding<'_> {
    /// The station's history, oldest first, its most recent `limit` events: its registration; the
    /// activation requests that name it, their review, approval or rejection; activation, claims,
    /// pinpointing and photo changes, the serial number's lock and any change after it; verification; every
    /// configuration change sent to it with the station's answer; handover steps. Needs role viewer.
    pub async fn station_history(&self, actor: &Actor, station: &str, limit: u32) -> AppResult<Vec<HistoryEvent>> {
        actor.require(Permission::Read)?;
        let (id, station) = self.own_station(actor, station).await?;
        let store = self.app.db();
        let audit_of = |subject: String| AuditFilter {
            operator_id: Some(station.operator_id),
            subject: Some(subject),
            limit: Some(PER_SOURCE),
            ..Default::default()
        };

        let mut entries: Vec<HistoryEvent> = Vec::new();
        let audited = store.audit_entries(&audit_of(format!("station:{id}"))).await?;
        // Stations that connected before anyone registered them have no audit entry for it.
        if !audited.iter().any(|e| e.action == "station.register") {
            entries.push(HistoryEvent {
                at: station.created_at,
                kind: "station.registered".into(),
                actor: "system".into(),
                summary: "first connected with the operator's key".into(),
                before: None,
                after: Some(json!({ "state": "pending" })),
            });
        }
        entries.extend(audited.into_iter().map(HistoryEvent::from));

        let requests = ActivationFilter { operator_id: Some(station.operator_id), ..Default::default() };
        for request in store.list_activation_requests(&requests).await? {
            if !request.form.charge_points.iter().any(|cp| cp.station_id == id) {
                continue;
            }
            let trail = store.audit_entries(&audit_of(format!("activation-request:{}", request.id))).await?;
            entries.extend(trail.into_iter().map(|e| {
                let mut entry = HistoryEvent::from(e);
                entry.summary = format!("{} (activation request {})", entry.kind, request.id);
                entry
            }));
        }

        let commands = store.list_commands(&id, PER_SOURCE).await?;
        let stations: &dyn Stations = &**self.app.stations();
        entries.extend(
            commands
                .into_iter()
                .filter(|c| stations.classify(&id, &c.action) == Some(CommandKind::ChangeSetting))
                .map(|c| configuration_change(stations, &id, c)),
        );

        entries.sort_by_key(|e| e.at);
        let skip = entries.len().saturating_sub(limit as usize);
        Ok(entries.into_iter().skip(skip).collect())
    }
}
