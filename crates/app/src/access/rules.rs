//! A station's access rules as its operator reads and replaces them; the station's time zone comes with
//! them, as the rules' windows are read in it.

use chrono::Utc;
use chrono_tz::Tz;
use joule_core::StationId;
use joule_core::access::AccessRules;
use joule_store::LocalListState;

use crate::access::tokens::operator;
use crate::{Actor, AppError, AppResult, Permission};

impl super::Access<'_> {
    /// The station's access rules with its time zone. The caller has found the station among the actor's.
    pub async fn access_rules(&self, actor: &Actor, station: &StationId) -> AppResult<(AccessRules, Tz)> {
        actor.require(Permission::Read)?;
        let store = self.app.db();
        let rules =
            store.access_rules(station).await?.ok_or_else(|| AppError::NotFound(format!("no station {station}")))?;
        let tz = crate::billing::zone::station_zone(&**store, station, operator(actor)?).await?.tz;
        Ok((rules, tz))
    }

    /// Replaces the station's access rules; they apply to the next Authorize or StartTransaction, and the
    /// station's local list follows them (it is marked for a resend).
    pub async fn set_access_rules(
        &self,
        actor: &Actor,
        station: &StationId,
        rules: &AccessRules,
    ) -> AppResult<(AccessRules, Tz)> {
        actor.require(Permission::Operate)?;
        let store = self.app.db();
        let stored = store.set_access_rules(station, rules, Utc::now()).await?;
        self.app.local_list_marks().mark_station(station);
        let tz = crate::billing::zone::station_zone(&**store, station, operator(actor)?).await?.tz;
        Ok((stored, tz))
    }

    /// What the station's local list sync knows (unknown when it never ran).
    pub async fn local_list_state(&self, actor: &Actor, station: &StationId) -> AppResult<LocalListState> {
        actor.require(Permission::Read)?;
        let state = self.app.db().local_list_state(station).await?;
        Ok(state.unwrap_or_else(|| LocalListState::unknown(station.clone())))
    }
}
