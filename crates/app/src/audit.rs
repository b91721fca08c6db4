//! The audit log: the one way an entry is written. Use cases call [`record`] once each, after what they
//! record is done; a failure to write is logged, never returned (what happened has happened).

use chrono::Utc;
use joule_core::{OperatorId, Timestamp};
use joule_store::{AuditEntry, Store};
use serde_json::Value;

use crate::Actor;

/// What an entry says: the action (`station.reset`, ...), its subject, and the state before and after.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub action: &'a str,
    pub subject: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Writes an entry by `actor` for its operator.
pub async fn record(store: &dyn Store, actor: &Actor, entry: Entry<'_>) {
    record_as(store, actor.name(), actor.operator(), Utc::now(), entry).await
}

/// Writes an entry by a named actor for `operator` (for those who act without an [`Actor`], e.g. a
/// handover confirmed by its installer, or Joule for a station's operator), at `at`.
pub async fn record_as(store: &dyn Store, actor: &str, operator: Option<OperatorId>, at: Timestamp, entry: Entry<'_>) {
    let entry = AuditEntry {
        id: 0,
        at,
        actor: actor.to_string(),
        operator_id: operator,
        action: entry.action.to_string(),
        subject: entry.subject,
        before: entry.before.map(|v| v.to_string()),
        after: entry.after.map(|v| v.to_string()),
    };
    if let Err(e) = store.record_audit(&entry).await {
        tracing::error!(error = %e, action = %entry.action, subject = %entry.subject, "could not record an audit entry");
    }
}
