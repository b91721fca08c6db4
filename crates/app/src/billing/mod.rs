//! Pricing completed sessions: at stop, off the station's acknowledgement path, and in a catch-up
//! loop that prices the sessions that stopped while the server was down or whose pricing failed.
//!
//! A StopTransaction.conf is sent once the stop is committed (DESIGN.md rule 1); pricing runs afterwards in
//! its own task, so a slow or failing pricing never delays or fails the station's answer (OCPP 1.6 §4.10:
//! the Central System must answer StopTransaction; it has no reason to refuse it).

pub mod intervals;
mod owner;
mod sessions;
mod tariffs;
pub mod zone;

pub use joule_store::{MeterFilter, SessionFilter, StoredSample, TariffDoc};
pub use owner::OwnerSession;

/// The billing use cases; borrows the [`crate::App`].
pub struct Billing<'a> {
    app: &'a crate::App,
}

impl<'a> Billing<'a> {
    pub(crate) fn new(app: &'a crate::App) -> Billing<'a> {
        Billing { app }
    }
}

use std::sync::Arc;
use std::time::Duration;

use chrono_tz::Tz;
use joule_core::billing::{self, FreeReason, RegisterReading, StatusChange, TariffBody};
use joule_core::session::Session;
use joule_core::tariff::MAX_PERIODS;
use joule_core::{SessionId, Timestamp};
use joule_store::{SessionCost, Store, StoreError, in_force};

/// How many sessions one catch-up round prices at most (bounded work per round).
pub const CATCH_UP_BATCH: u32 = 200;
/// How often the catch-up looks for sessions without a cost.
pub const CATCH_UP_EVERY: Duration = Duration::from_secs(60);
/// Most status reports read for one session (a session has a handful; a flapping connector is cut off).
const MAX_STATUSES: u32 = 10_000;

#[derive(Debug, thiserror::Error)]
pub enum PricingError {
    #[error("session {0} does not exist")]
    NoSession(SessionId),
    #[error("session {0} has not stopped yet")]
    NotStopped(SessionId),
    #[error("the session cannot be priced: {0}")]
    Domain(#[from] joule_core::DomainError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The groups of the driver the token belongs to (migration 0011), for group tariffs; none for a token
/// without a driver or not registered.
async fn driver_groups(
    store: &dyn Store,
    operator: joule_core::OperatorId,
    tag: &joule_core::IdTag,
) -> Result<Vec<i64>, StoreError> {
    let facts = store.token_facts(operator, tag).await?;
    Ok(facts.and_then(|f| f.driver).map(|d| d.groups.iter().map(|g| g.0).collect()).unwrap_or_default())
}

/// Prices a completed session and stores its cost (replacing an earlier one), and returns it.
pub async fn price_session(store: &dyn Store, id: SessionId, now: Timestamp) -> Result<SessionCost, PricingError> {
    let session = store.session(id).await?.ok_or(PricingError::NoSession(id))?;
    if session.stopped_at.is_none() {
        return Err(PricingError::NotStopped(id));
    }
    let cost = cost_of(store, &session, now).await?;
    store.put_session_cost(&cost).await?;
    Ok(cost)
}

/// What `session` costs: a completed session as it stopped, a running one as if it stopped at `now` with
/// its meter at the latest register reading (the driver's "cost so far"). Stores nothing.
pub async fn cost_of(store: &dyn Store, session: &Session, now: Timestamp) -> Result<SessionCost, PricingError> {
    let id = session.id;
    let mut session = session.clone();
    if session.stopped_at.is_none() {
        let latest = session_readings(store, &session, now).await?.last().map(|r| r.wh.round() as i64);
        session.stopped_at = Some(now.max(session.started_at));
        session.meter_stop_wh = Some(latest.unwrap_or(session.meter_start_wh));
    }
    let session = &session;
    let stopped_at = session.stopped_at.ok_or(PricingError::NotStopped(id))?;
    let settings = store.billing_settings(session.operator_id).await?;
    let energy_wh = session.energy_wh().unwrap_or(0);
    let duration_secs = (stopped_at - session.started_at).num_seconds().max(0);
    let measured = (energy_wh, duration_secs);

    // The tariffs that may apply, each in the version in force at the session's start.
    let assignments: Vec<_> =
        store.tariff_assignments(session.operator_id).await?.into_iter().map(|a| (a.target, a.tariff_id)).collect();
    let groups = driver_groups(store, session.operator_id, &session.id_tag).await?;
    let mut in_force_versions = Vec::new();
    for tariff in billing::candidates(&assignments, &session.station_id, session.connector_id, &groups) {
        let versions = store.tariff_versions(session.operator_id, tariff).await?;
        if let Some(v) = in_force(&versions, session.started_at) {
            in_force_versions.push(v.clone());
        }
    }

    let cost = if in_force_versions.is_empty() {
        SessionCost::free(id, session.operator_id, None, &settings, FreeReason::NoTariff, measured, now)
    } else {
        let usage = session_usage(store, session, stopped_at).await?;
        let tz = crate::billing::zone::station_zone(store, &session.station_id, session.operator_id).await?.tz;
        let bodies: Vec<((i64, i64), &TariffBody)> =
            in_force_versions.iter().map(|v| ((v.tariff_id, v.version), &v.body)).collect();
        let (chosen, cost) = billing::price_cheapest(bodies.iter().map(|(k, b)| (*k, *b)), &settings, tz, &usage)?
            .expect("at least one candidate was priced");
        let body = &in_force_versions.iter().find(|v| (v.tariff_id, v.version) == chosen).expect("chosen").body;
        if settings.below_threshold(energy_wh, duration_secs) {
            SessionCost::free(
                id,
                session.operator_id,
                Some(chosen),
                &settings,
                FreeReason::BelowThreshold,
                measured,
                now,
            )
        } else if body.is_free() {
            SessionCost::free(id, session.operator_id, Some(chosen), &settings, FreeReason::FreeTariff, measured, now)
        } else {
            SessionCost::charged(id, session.operator_id, chosen, cost, measured, now)
        }
    };
    Ok(cost)
}

/// The session's usage from its stored energy register readings and its connector's status reports.
async fn session_usage(
    store: &dyn Store,
    session: &Session,
    stopped_at: Timestamp,
) -> Result<joule_core::tariff::Usage, StoreError> {
    let readings = session_readings(store, session, stopped_at).await?;
    let statuses: Vec<StatusChange> = store
        .status_history(&session.station_id, Some(session.connector_id), MAX_STATUSES)
        .await?
        .into_iter()
        .map(|r| StatusChange { at: r.station_time.unwrap_or(r.received_at), status: r.status })
        .filter(|s| s.at <= stopped_at)
        .collect();
    Ok(billing::usage(
        session.started_at,
        session.meter_start_wh,
        stopped_at,
        session.meter_stop_wh.unwrap_or(session.meter_start_wh),
        &readings,
        &statuses,
    ))
}

/// The session's energy register readings up to `until`, oldest first.
async fn session_readings(
    store: &dyn Store,
    session: &Session,
    until: Timestamp,
) -> Result<Vec<RegisterReading>, StoreError> {
    let samples = store
        .meter_values(&MeterFilter {
            station_id: Some(session.station_id.clone()),
            transaction_id: Some(session.id),
            since: Some(session.started_at),
            until: Some(until),
            limit: Some(u32::try_from(MAX_PERIODS).unwrap_or(u32::MAX)),
        })
        .await?;
    Ok(samples
        .iter()
        .filter(|s| s.connector_id == session.connector_id && s.sample.is_energy_register())
        .filter_map(|s| s.sample.value.map(|wh| RegisterReading { at: s.sample.timestamp, wh }))
        .collect())
}

/// Prices a session that just stopped, in its own task; a failure is logged and left to the catch-up.
pub fn price_later(store: Arc<dyn Store>, id: SessionId) {
    tokio::spawn(async move {
        if let Err(e) = price_session(&*store, id, chrono::Utc::now()).await {
            tracing::warn!(transaction = %id, error = %e, "pricing a stopped session failed; the catch-up retries it");
        }
    });
}

/// One catch-up round: prices up to [`CATCH_UP_BATCH`] completed sessions without a cost. Returns how many
/// were priced. A session that fails again is logged and skipped (it is tried in the next round).
pub async fn catch_up(store: &dyn Store) -> Result<usize, StoreError> {
    let mut priced = 0;
    for id in store.sessions_without_cost(CATCH_UP_BATCH).await? {
        match price_session(store, id, chrono::Utc::now()).await {
            Ok(_) => priced += 1,
            Err(e) => tracing::warn!(transaction = %id, error = %e, "catch-up could not price a session"),
        }
    }
    Ok(priced)
}

/// Runs the catch-up at start and then every [`CATCH_UP_EVERY`], until the task is dropped, on the node
/// that leads it.
pub async fn run(app: crate::App) {
    loop {
        if !app.leadership().leads(crate::ports::Job::PricingCatchUp) {
            tokio::time::sleep(CATCH_UP_EVERY).await;
            continue;
        }
        match catch_up(&**app.db()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(sessions = n, "priced sessions that had no cost"),
            Err(e) => tracing::warn!(error = %e, "the pricing catch-up could not run"),
        }
        tokio::time::sleep(CATCH_UP_EVERY).await;
    }
}

/// Most sessions one report covers; a longer period is asked for in parts.
pub const MAX_REPORT_SESSIONS: u32 = 100_000;

/// Which sessions a report covers: the operator's, started in `from..to`, optionally of one station or tag.
#[derive(Debug, Clone)]
pub struct ReportFilter {
    pub operator: joule_core::OperatorId,
    pub from: Timestamp,
    pub to: Timestamp,
    pub station: Option<joule_core::StationId>,
    pub id_tag: Option<joule_core::IdTag>,
}

/// One session of a report with its cost (none while it is active or not priced yet) and the time zone its
/// local times are given in.
#[derive(Debug, Clone)]
pub struct ReportRow {
    pub session: Session,
    /// The name of the driver the session's token belongs to, if any.
    pub driver: Option<String>,
    /// The driver's groups (as they are now), by id.
    pub groups: Vec<i64>,
    pub time_zone: Tz,
    pub cost: Option<SessionCost>,
}

/// The sessions of a report, oldest first. `Err(None)`-free: more than [`MAX_REPORT_SESSIONS`] sessions
/// is reported by `truncated` so that callers can say so.
pub async fn report(store: &dyn Store, filter: &ReportFilter) -> Result<(Vec<ReportRow>, bool), StoreError> {
    let mut sessions = store
        .list_sessions(&joule_store::SessionFilter {
            operator_id: Some(filter.operator),
            station_id: filter.station.clone(),
            since: Some(filter.from),
            until: Some(filter.to),
            id_tag: filter.id_tag.clone(),
            connector_id: None,
            active_only: false,
            limit: Some(MAX_REPORT_SESSIONS + 1),
        })
        .await?;
    let truncated = sessions.len() > MAX_REPORT_SESSIONS as usize;
    sessions.truncate(MAX_REPORT_SESSIONS as usize);
    sessions.reverse();
    let mut costs: std::collections::HashMap<SessionId, SessionCost> = store
        .session_costs(filter.operator, filter.from, filter.to)
        .await?
        .into_iter()
        .map(|c| (c.transaction_id, c))
        .collect();
    let mut zones: std::collections::HashMap<joule_core::StationId, Tz> = std::collections::HashMap::new();
    let names: std::collections::HashMap<i64, String> =
        store.drivers(filter.operator).await?.into_iter().map(|d| (d.id.0, d.name.as_str().to_string())).collect();
    let mut tokens: std::collections::HashMap<joule_core::IdTag, (Option<String>, Vec<i64>)> =
        std::collections::HashMap::new();
    let mut rows = Vec::with_capacity(sessions.len());
    for session in sessions {
        let tz = match zones.get(&session.station_id) {
            Some(tz) => *tz,
            None => {
                let tz = crate::billing::zone::station_zone(store, &session.station_id, session.operator_id).await?.tz;
                zones.insert(session.station_id.clone(), tz);
                tz
            }
        };
        if !tokens.contains_key(&session.id_tag) {
            let facts = store.token_facts(filter.operator, &session.id_tag).await?.and_then(|f| f.driver);
            let entry = match facts {
                Some(d) => (names.get(&d.id.0).cloned(), d.groups.iter().map(|g| g.0).collect()),
                None => (None, Vec::new()),
            };
            tokens.insert(session.id_tag.clone(), entry);
        }
        let (driver, groups) = tokens.get(&session.id_tag).cloned().unwrap_or_default();
        let cost = costs.remove(&session.id);
        rows.push(ReportRow { session, driver, groups, time_zone: tz, cost });
    }
    Ok((rows, truncated))
}

/// The tariffs that would price a session starting now at the station's connector for a token, each in
/// the version in force now; several when the driver's groups have several (the cheaper applies at stop).
pub async fn applicable_tariffs(
    store: &dyn Store,
    operator: joule_core::OperatorId,
    station: &joule_core::StationId,
    connector: u32,
    id_tag: Option<&joule_core::IdTag>,
    now: Timestamp,
) -> Result<Vec<joule_store::TariffVersion>, StoreError> {
    let assignments: Vec<_> =
        store.tariff_assignments(operator).await?.into_iter().map(|a| (a.target, a.tariff_id)).collect();
    let groups = match id_tag {
        Some(tag) => driver_groups(store, operator, tag).await?,
        None => Vec::new(),
    };
    let mut out = Vec::new();
    for tariff in billing::candidates(&assignments, station, connector, &groups) {
        let versions = store.tariff_versions(operator, tariff).await?;
        if let Some(v) = in_force(&versions, now) {
            out.push(v.clone());
        }
    }
    Ok(out)
}
