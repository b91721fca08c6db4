//! Onboarding: bringing a station into service (the operator's model catalog, the installer's access to a
//! station's installation record, the station's history, the operator's overview, and the handover from
//! its installer to its operator).

pub mod activation;
pub mod backends;
pub mod catalog;
pub mod handover;
pub mod history;
pub mod overview;
pub mod verification;

use joule_core::station::Station;
use joule_core::{OperatorId, StationId};

pub use crate::policy::InstallationRole;
pub use activation::{Requests, request_snapshot};
pub use backends::{HandoverTarget, ProfileInput, backend_snapshot, profile_snapshot};
pub use catalog::model_snapshot;
pub use history::HistoryEvent;
pub use joule_store::{
    Assignment, Backend, CatalogModel, Handover, HandoverStep, Installation, Notification, ProvisioningProfile,
};
pub use overview::{Overview, QueueCount, StateCount};
pub use verification::{Checked, TestSessionStarted, checklist_items};

use crate::policy::installation_access;
use crate::{Actor, AppError, AppResult};

/// The onboarding use cases; borrows the [`crate::App`].
pub struct Onboarding<'a> {
    app: &'a crate::App,
}

impl<'a> Onboarding<'a> {
    pub(crate) fn new(app: &'a crate::App) -> Onboarding<'a> {
        Onboarding { app }
    }

    /// The actor's own operator: another operator is a 404 like a missing one.
    fn own_operator(actor: &Actor, id: OperatorId) -> AppResult<OperatorId> {
        match actor.operator() {
            Some(own) if own == id => Ok(own),
            _ => Err(AppError::not_found(format!("no operator {}", id.0))),
        }
    }

    /// The actor's operator's station: 404 for a station that does not exist or belongs to another
    /// operator, 400 (`station_id`) for an id that cannot be a station id.
    pub async fn own_station(&self, actor: &Actor, id: &str) -> AppResult<(StationId, Station)> {
        let id = StationId::parse(id).map_err(|e| AppError::invalid("station_id", e.to_string()))?;
        match self.app.db().station(&id).await? {
            Some(s) if Some(s.operator_id) == actor.operator() => Ok((id, s)),
            _ => Err(AppError::not_found(format!("no station {id}"))),
        }
    }

    /// The station and its installation record, if the actor may see it (`write`: change it); the policy
    /// ([`installation_access`]) says who.
    pub async fn installation_access(
        &self,
        actor: &Actor,
        id: &str,
        write: bool,
    ) -> AppResult<(StationId, Station, Option<Installation>, InstallationRole)> {
        let id = StationId::parse(id).map_err(|e| AppError::invalid("station_id", e.to_string()))?;
        let store = self.app.db();
        let station = store.station(&id).await?.ok_or_else(|| AppError::not_found(format!("no station {id}")))?;
        let installation = store.installation(&id).await?;
        let claimed_by = installation.as_ref().and_then(|i| i.claimed_by);
        let role = installation_access(actor, &id, station.operator_id, claimed_by, write)?;
        Ok((id, station, installation, role))
    }

    /// The station, for someone who may read its installation record.
    pub async fn readable_station(&self, actor: &Actor, id: &str) -> AppResult<Station> {
        Ok(self.installation_access(actor, id, false).await?.1)
    }
}
