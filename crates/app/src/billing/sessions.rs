//! Reading the operator's charging sessions (OCPP 1.6 transactions) and their meter values.

use joule_core::SessionId;
use joule_core::session::Session;
use joule_store::{MeterFilter, SessionFilter, StoredSample};

use crate::access::tokens::operator;
use crate::{Actor, AppError, AppResult, Permission};

impl super::Billing<'_> {
    /// The actor's operator's sessions matching `filter` (its operator is the actor's, whatever it says).
    pub async fn sessions(&self, actor: &Actor, mut filter: SessionFilter) -> AppResult<Vec<Session>> {
        actor.require(Permission::Read)?;
        filter.operator_id = Some(operator(actor)?);
        Ok(self.app.db().list_sessions(&filter).await?)
    }

    /// A session of the actor's operator with its meter values (oldest first; at most 10,000).
    pub async fn session_detail(&self, actor: &Actor, id: SessionId) -> AppResult<(Session, Vec<StoredSample>)> {
        actor.require(Permission::Read)?;
        let operator = operator(actor)?;
        let store = self.app.db();
        let session = match store.session(id).await? {
            Some(s) if s.operator_id == operator => s,
            _ => return Err(AppError::NotFound(format!("no session {}", id.0))),
        };
        let filter = MeterFilter {
            station_id: Some(session.station_id.clone()),
            transaction_id: Some(session.id),
            limit: Some(10_000),
            ..Default::default()
        };
        let samples = store.meter_values(&filter).await?;
        Ok((session, samples))
    }
}
