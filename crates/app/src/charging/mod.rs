//! Charging: the rules stations are held to, independent of the OCPP version. The protocol adapters
//! translate wire messages into calls here and the answers back.
//!
//! [`Charging`] is what the gateway needs: it is built before the gateway (it needs no [`crate::Stations`]),
//! and the [`crate::App`] is built after, with the gateway as its `Stations`.

pub mod remote_start;

use std::sync::Arc;

use chrono::Utc;
use joule_core::auth::{Authorization, AuthorizationStatus};
use joule_core::session::{SessionStart, SessionStop, StopOutcome};
use joule_core::station::{BootInfo, Registration, Station, StatusReport};
use joule_core::{IdTag, StationId, Timestamp};
use joule_store::{MeterBatch, OutboxKind, StartOutcome, StationEvent, Store, StoreError};

use crate::events::LiveEvents;
use crate::ports::{Claims, Leadership, LocalListMarks, Ports};
use crate::settings::Settings;
use remote_start::RemoteStartWatches;

/// The station-facing rules, with the store, the settings and the ports. Cheap to clone.
#[derive(Clone)]
pub struct Charging {
    store: Arc<dyn Store>,
    settings: Arc<Settings>,
    ports: Ports,
}

/// The answer to a boot: registration status and the interval the station is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BootAnswer {
    pub registration: Registration,
    pub interval_secs: u32,
}

impl Charging {
    /// With the ports of a single node ([`Ports::local`]).
    pub fn new(store: Arc<dyn Store>, settings: Arc<Settings>) -> Charging {
        Charging::with_ports(store, settings, Ports::local())
    }

    pub fn with_ports(store: Arc<dyn Store>, settings: Arc<Settings>, ports: Ports) -> Charging {
        Charging { store, settings, ports }
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    pub fn settings(&self) -> &Arc<Settings> {
        &self.settings
    }

    /// Live station events, for the event stream.
    pub fn events(&self) -> &Arc<dyn LiveEvents> {
        &self.ports.events
    }

    /// Accepted remote starts waiting for their session.
    pub fn remote_starts(&self) -> &Arc<dyn RemoteStartWatches> {
        &self.ports.remote_starts
    }

    /// Stations whose local lists may be out of step.
    pub fn local_list_marks(&self) -> &Arc<dyn LocalListMarks> {
        &self.ports.local_list_marks
    }

    /// Work that runs at most once at a time per key.
    pub fn claims(&self) -> &Arc<dyn Claims> {
        &self.ports.claims
    }

    /// Whether this node runs a background job now.
    pub fn leadership(&self) -> &Arc<dyn Leadership> {
        &self.ports.leadership
    }

    async fn station(&self, id: &StationId) -> Result<Station, StoreError> {
        self.store.station(id).await?.ok_or_else(|| StoreError::NotFound(format!("station {id}")))
    }

    /// A station booted: its boot data is stored, and it is accepted only if activated. A station waiting for
    /// activation is told to boot again after the pending interval.
    pub async fn boot(&self, id: &StationId, info: &BootInfo) -> Result<BootAnswer, StoreError> {
        let now = Utc::now();
        self.store.record_boot(id, info, now).await?;
        let station = self.station(id).await?;
        let registration = station.state.registration();
        let interval_secs = match registration {
            Registration::Accepted => self.settings.ocpp.heartbeat_interval_secs,
            Registration::Pending | Registration::Rejected => self.settings.ocpp.pending_interval_secs,
        };
        if registration != Registration::Accepted {
            tracing::info!(station = %id, state = %station.state, "boot of a station that is not activated: answered {registration:?}");
        }
        Ok(BootAnswer { registration, interval_secs })
    }

    pub async fn heartbeat(&self, id: &StationId) -> Result<Timestamp, StoreError> {
        let now = Utc::now();
        self.store.record_heartbeat(id, now).await?;
        Ok(now)
    }

    pub async fn status(&self, id: &StationId, report: &StatusReport) -> Result<(), StoreError> {
        self.store.record_status(id, report, Utc::now()).await
    }

    /// Whether `tag` may charge at station `id` now. A tag that is not a valid id tag, or a station that is
    /// not activated, gives `Invalid`.
    ///
    /// Authorize.req names no connector (OCPP 1.6 §4.1): the station's access rules decide with none (see
    /// [`joule_core::access::decide`]); the StartTransaction that follows is decided for its connector.
    pub async fn authorize(&self, id: &StationId, tag: &str) -> Result<Authorization, StoreError> {
        let station = self.station(id).await?;
        self.authorize_at(&station, tag, None).await
    }

    async fn authorize_at(
        &self,
        station: &Station,
        tag: &str,
        connector: Option<u32>,
    ) -> Result<Authorization, StoreError> {
        let invalid = Authorization { status: AuthorizationStatus::Invalid, expires_at: None, parent: None };
        if !station.state.may_charge() {
            return Ok(invalid);
        }
        let Ok(tag) = IdTag::parse(tag) else { return Ok(invalid) };
        // --- access rules ---
        Ok(crate::access::check(&*self.store, station, &tag, connector, Utc::now()).await?.authorization)
    }

    /// Explains the decision for `tag` at the station (on `connector`) at `at`: for `access check` and
    /// for refusing a remote start before it is sent.
    pub async fn check_access(
        &self,
        station: &Station,
        tag: &IdTag,
        connector: Option<u32>,
        at: Timestamp,
    ) -> Result<crate::access::AccessCheck, StoreError> {
        crate::access::check(&*self.store, station, tag, connector, at).await
    }

    /// A station started a session. It is recorded whatever the authorization (the station may have started
    /// it offline, and the energy flows either way); the authorization goes back so a station that
    /// started with a tag that is not accepted stops the session (OCPP 1.6 §5.16 StopTransactionOnInvalidId).
    pub async fn start_session(
        &self,
        id: &StationId,
        connector_id: u32,
        tag: &str,
        meter_start_wh: i64,
        started_at: Timestamp,
        reservation_id: Option<i64>,
    ) -> Result<(StartOutcome, Authorization), StartError> {
        let station = self.station(id).await?;
        let id_tag = IdTag::parse(tag).map_err(|e| StartError::InvalidTag(e.to_string()))?;
        let authorization = self.authorize_at(&station, tag, Some(connector_id)).await?;
        let start = SessionStart {
            transaction_id: None,
            station_id: id.clone(),
            operator_id: station.operator_id,
            connector_id,
            id_tag,
            meter_start_wh,
            started_at,
            reservation_id,
            authorization: authorization.status,
        };
        let outcome = self.store.start_session(&start).await?;
        if outcome.created
            && let Some(matched) =
                self.ports.remote_starts.started(id, connector_id, &outcome.session.id_tag, outcome.session.id)
            && let Some(command) = matched.command_id
        {
            // The RemoteStartTransaction's history names the transaction it led to. Off the station's
            // acknowledgement path: the session is committed either way.
            let store = self.store.clone();
            tokio::spawn(async move {
                if let Err(e) = store.set_command_transaction(command, matched.transaction_id).await {
                    tracing::warn!(command, error = %e, "could not link a remote start to its transaction");
                }
            });
        }
        // A re-sent start is answered as it was the first time.
        let authorization = Authorization { status: outcome.session.authorization, ..authorization };
        Ok((outcome, authorization))
    }

    /// A station stopped a session. Always acknowledged, even for an unknown transaction (kept for review),
    /// or the station would retry forever (SteVe #156).
    pub async fn stop_session(&self, stop: &SessionStop) -> Result<(StopOutcome, Option<Authorization>), StoreError> {
        let outcome = self.store.stop_session(stop).await?;
        // --- tariffs and billing ---
        // Priced in its own task once the stop is committed: the station's answer never waits for pricing,
        // and a pricing failure never fails the StopTransaction (the catch-up prices it later).
        if let StopOutcome::Stopped(session) = &outcome {
            crate::billing::price_later(self.store.clone(), session.id);
        }
        if let StopOutcome::Unknown = outcome {
            tracing::warn!(station = %stop.station_id, transaction = %stop.transaction_id, "stop of an unknown transaction kept for review");
        }
        let authorization = match &stop.id_tag {
            Some(tag) => Some(self.authorize(&stop.station_id, tag.as_str()).await?),
            None => None,
        };
        Ok((outcome, authorization))
    }

    pub async fn meter_values(&self, batch: &MeterBatch) -> Result<u64, StoreError> {
        self.store.add_meter_values(batch).await
    }

    pub async fn event(&self, id: &StationId, kind: &str, detail: String) -> Result<(), StoreError> {
        let event = StationEvent { station_id: id.clone(), kind: kind.to_string(), detail, at: Utc::now() };
        self.store.record_station_event(&event).await
    }

    /// Activates a station; if it is connected, the server holding its connection asks it to boot again so it
    /// does not wait for its pending interval.
    pub async fn activate(&self, id: &StationId) -> Result<Station, StoreError> {
        let station = self.store.set_station_state(id, joule_core::station::StationState::Active).await?;
        self.store.push_outbox(id, OutboxKind::TriggerBoot, Utc::now()).await?;
        Ok(station)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("invalid idTag: {0}")]
    InvalidTag(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}
