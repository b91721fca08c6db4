//! What an operator reads about its stations and itself: the stations, a station's detail, its
//! notifications, its OCPP message log and its command history, the operator, and an owner's stations.

use joule_core::account::Account;
use joule_core::station::{Connector, Station};
use joule_core::{OperatorId, StationId};
use joule_store::{
    CommandRecord, DefaultResult, LoggedMessage, MessageFilter, Operator, StationEvent, StationFilter, StoredConfigKey,
};

use super::Operations;
use crate::{Actor, AppError, AppResult, Permission};

/// A station with what it reported about itself and what Joule holds for it.
#[derive(Debug, Clone)]
pub struct StationDetail {
    pub station: Station,
    /// Commands waiting for the station's connection, when it is connected.
    pub queued_commands: Option<usize>,
    pub connectors: Vec<Connector>,
    pub configuration: Vec<StoredConfigKey>,
    pub defaults: Vec<DefaultResult>,
}

/// The actor's operator named by `id`: `NotFound` for any other (an operator learns nothing of others).
/// The command line and Joule itself act for any operator.
pub fn own_operator(actor: &Actor, id: i64) -> AppResult<OperatorId> {
    match actor.operator() {
        Some(own) if own.0 == id => Ok(own),
        None => Ok(OperatorId(id)),
        _ => Err(AppError::not_found(format!("no operator {id}"))),
    }
}

impl Operations<'_> {
    /// The actor's station: `Invalid` (field `station_id`) for an id that cannot be a station's, `NotFound`
    /// for one that does not exist or belongs to another operator (never told apart). The command line and
    /// Joule itself see every station.
    pub async fn station(&self, actor: &Actor, id: &str) -> AppResult<(StationId, Station)> {
        actor.require(Permission::Read)?;
        let id = StationId::parse(id).map_err(|e| AppError::invalid("station_id", e.to_string()))?;
        match self.app.db().station(&id).await? {
            Some(s) if actor.operator().is_none_or(|o| o == s.operator_id) => Ok((id, s)),
            _ => Err(AppError::not_found(format!("no station {id}"))),
        }
    }

    /// The operator named `name_or_id`: by name, or by id if it is a number and no operator has it as a name
    /// (the command line's way of naming one). `None` when there is none the actor may see.
    pub async fn find_operator(&self, actor: &Actor, name_or_id: &str) -> AppResult<Option<Operator>> {
        actor.require(Permission::Read)?;
        let db = self.app.db();
        let visible = |o: &Operator| actor.operator().is_none_or(|own| own == o.id);
        if let Some(op) = db.operator_by_name(name_or_id).await?.filter(visible) {
            return Ok(Some(op));
        }
        match name_or_id.parse::<i64>() {
            Ok(id) => Ok(db.operator(OperatorId(id)).await?.filter(visible)),
            Err(_) => Ok(None),
        }
    }

    /// Creates an operator named `name` (1 to 100 characters, taken by no other: `Conflict` from the store
    /// otherwise) with a random key, which its stations' OCPP URL carries. Only the command line creates
    /// operators (a platform-wide act: an operator's admin may not).
    pub async fn create_operator(&self, actor: &Actor, name: &str) -> AppResult<Operator> {
        actor.require(Permission::Administer)?;
        if actor.operator().is_some() {
            return Err(AppError::Forbidden("only the platform creates operators".into()));
        }
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(AppError::invalid("name", "the operator name must be 1 to 100 characters"));
        }
        let key = joule_core::OperatorKey::from_random(rand::random());
        Ok(self.app.db().create_operator(name, &key).await?)
    }

    /// The operators the actor may see, by name: its own, or every one for the command line.
    pub async fn operators(&self, actor: &Actor) -> AppResult<Vec<Operator>> {
        actor.require(Permission::Read)?;
        let all = self.app.db().list_operators().await?;
        Ok(all.into_iter().filter(|o| actor.operator().is_none_or(|own| own == o.id)).collect())
    }

    /// The operator, if it exists.
    pub async fn operator(&self, actor: &Actor, id: OperatorId) -> AppResult<Option<Operator>> {
        actor.require(Permission::Read)?;
        Ok(self.app.db().operator(id).await?)
    }

    /// The actor's stations matching `filter`, by id; always only its operator's.
    pub async fn stations(&self, actor: &Actor, mut filter: StationFilter) -> AppResult<Vec<Station>> {
        actor.require(Permission::Read)?;
        if let Some(own) = actor.operator() {
            filter.operator_id = Some(own);
        }
        Ok(self.app.db().list_stations(&filter).await?)
    }

    /// A station with its connectors, configuration keys and default-configuration results.
    pub async fn station_detail(&self, actor: &Actor, id: &str) -> AppResult<StationDetail> {
        let (id, station) = self.station(actor, id).await?;
        let db = self.app.db();
        Ok(StationDetail {
            station,
            queued_commands: self.app.stations().queued_commands(&id),
            connectors: db.connectors(&id).await?,
            configuration: db.configuration(&id).await?,
            defaults: db.default_results(&id).await?,
        })
    }

    /// The station's recent notifications, newest first.
    pub async fn station_events(&self, actor: &Actor, id: &StationId, limit: u32) -> AppResult<Vec<StationEvent>> {
        actor.require(Permission::Read)?;
        Ok(self.app.db().station_events(id, limit).await?)
    }

    /// The OCPP message log of the station `filter` names, oldest first.
    pub async fn messages(&self, actor: &Actor, filter: &MessageFilter) -> AppResult<Vec<LoggedMessage>> {
        actor.require(Permission::Read)?;
        Ok(self.app.db().messages(filter).await?)
    }

    /// The station's command history, newest first.
    pub async fn commands(&self, actor: &Actor, id: &StationId, limit: u32) -> AppResult<Vec<CommandRecord>> {
        actor.require(Permission::Read)?;
        Ok(self.app.db().list_commands(id, limit).await?)
    }

    /// One command of the station's history.
    pub async fn command(&self, actor: &Actor, id: &StationId, command: i64) -> AppResult<CommandRecord> {
        actor.require(Permission::Read)?;
        match self.app.db().command(command).await? {
            Some(c) if &c.station_id == id => Ok(c),
            _ => Err(AppError::not_found(format!("no command {command} of station {id}"))),
        }
    }

    /// The stations an owner's activation requests brought to Joule, by id (at most 1000).
    pub async fn owner_stations(&self, owner: &Account) -> AppResult<Vec<Station>> {
        let filter = StationFilter { owner_id: Some(owner.id), limit: Some(1000), ..Default::default() };
        Ok(self.app.db().list_stations(&filter).await?)
    }
}

#[cfg(test)]
mod tests {
    use joule_core::Role;

    use super::*;

    #[test]
    fn an_operator_sees_only_itself_and_the_command_line_any() {
        let token = Actor::token("t", OperatorId(7), Role::Viewer);
        assert_eq!(own_operator(&token, 7).unwrap(), OperatorId(7));
        let other = own_operator(&token, 8).unwrap_err();
        assert!(matches!(other, AppError::NotFound(ref d) if d == "no operator 8"), "{other:?}");
        assert_eq!(own_operator(&Actor::cli("ann"), 8).unwrap(), OperatorId(8));
    }
}
