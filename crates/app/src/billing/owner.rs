//! A station owner's view of the sessions at their own stations: the stations, the sessions with their
//! energy and cost (an active one priced now), and the sessions of a station in a range for the energy report.

use chrono::Utc;
use chrono_tz::Tz;
use joule_core::account::Account;
use joule_core::session::Session;
use joule_core::station::Station;
use joule_core::{StationId, Timestamp};
use joule_store::{SessionCost, SessionFilter, StationFilter};

use crate::{Actor, AppError, AppResult};

/// Stations are read this many at a time.
const PAGE: u32 = 500;

/// A session at an owner's station with its energy and cost so far (none when it cannot be priced).
#[derive(Debug, Clone)]
pub struct OwnerSession {
    pub session: Session,
    pub energy_wh: Option<i64>,
    pub cost: Option<SessionCost>,
}

impl super::Billing<'_> {
    /// All of the owner's stations, by id (paged through, however many there are).
    pub async fn owner_stations(&self, actor: &Actor) -> AppResult<Vec<Station>> {
        let account = crate::policy::owner(actor)?;
        self.stations_of(account).await
    }

    async fn stations_of(&self, account: &Account) -> AppResult<Vec<Station>> {
        let mut out: Vec<Station> = Vec::new();
        loop {
            let filter = StationFilter {
                owner_id: Some(account.id),
                after: out.last().map(|s| s.id.clone()),
                limit: Some(PAGE),
                ..Default::default()
            };
            let page = self.app.db().list_stations(&filter).await?;
            let full = page.len() == PAGE as usize;
            out.extend(page);
            if !full {
                return Ok(out);
            }
        }
    }

    /// The owner's station `id`; another's (or a missing one) is not found.
    pub async fn owner_station(&self, actor: &Actor, id: &StationId) -> AppResult<Station> {
        let account = crate::policy::owner(actor)?;
        match self.app.db().station(id).await? {
            Some(s) if s.owner_id == Some(account.id) => Ok(s),
            _ => Err(AppError::NotFound(format!("no station {id} of yours"))),
        }
    }

    /// The sessions at `stations` (the owner's), started in the range, newest first, at most `limit`.
    pub async fn owner_sessions(
        &self,
        actor: &Actor,
        stations: &[Station],
        since: Option<Timestamp>,
        until: Option<Timestamp>,
        limit: u32,
    ) -> AppResult<Vec<OwnerSession>> {
        crate::policy::owner(actor)?;
        let store = self.app.db();
        // One query per station (each bounded by the limit), merged: the store filters by station, not owner.
        let mut sessions = Vec::new();
        for s in stations {
            let filter = SessionFilter {
                operator_id: Some(s.operator_id),
                station_id: Some(s.id.clone()),
                since,
                until,
                limit: Some(limit),
                ..Default::default()
            };
            sessions.extend(store.list_sessions(&filter).await?);
        }
        sessions.sort_by_key(|s| std::cmp::Reverse((s.started_at, s.id.0)));
        sessions.truncate(limit as usize);
        let mut out = Vec::with_capacity(sessions.len());
        for s in sessions {
            // A completed session has its stored cost (billing prices it at its stop); an active one is
            // priced now, as the driver's page does, so the owner sees the energy and cost so far.
            let (energy_wh, cost) = match s.stopped_at {
                Some(_) => (s.energy_wh(), store.session_cost(s.id).await?),
                None => match super::cost_of(&**store, &s, Utc::now()).await {
                    Ok(cost) => (Some(cost.energy_wh), Some(cost)),
                    Err(e) => {
                        tracing::debug!(transaction = s.id.0, error = %e, "an active session could not be priced");
                        (None, None)
                    }
                },
            };
            out.push(OwnerSession { session: s, energy_wh, cost });
        }
        Ok(out)
    }

    /// The owner's station's time zone (the installation's, else the operator's).
    pub async fn owner_station_zone(&self, actor: &Actor, station: &Station) -> AppResult<Tz> {
        crate::policy::owner(actor)?;
        Ok(super::zone::station_zone(&**self.app.db(), &station.id, station.operator_id).await?.tz)
    }

    /// The sessions started at the owner's station in `[since, until)`, at most `limit`.
    pub async fn owner_station_sessions(
        &self,
        actor: &Actor,
        station: &Station,
        since: Timestamp,
        until: Timestamp,
        limit: u32,
    ) -> AppResult<Vec<Session>> {
        crate::policy::owner(actor)?;
        let filter = SessionFilter {
            operator_id: Some(station.operator_id),
            station_id: Some(station.id.clone()),
            since: Some(since),
            until: Some(until),
            limit: Some(limit),
            ..Default::default()
        };
        Ok(self.app.db().list_sessions(&filter).await?)
    }
}
