//! The verification checklist ("Commissioning and verification"): computed from what Joule already stores
//! (the station's connection and boot data, its installation record and its sessions), the step that marks
//! a station verified once every item is green, and the remotely started test session.

use chrono::Utc;
use joule_core::command::{Evse, RequestStart, StationCommand};
use joule_core::station::{Station, StationState};
use joule_core::verification::{Checklist, TestSession, VerificationInput, checklist};
use joule_core::{IdTag, StationId, Timestamp};
use joule_store::{CatalogModel, Installation, SessionFilter, StoredConfigKey};
use serde_json::{Value, json};

use super::Onboarding;
use crate::audit::{self, Entry};
use crate::{Actor, AppError, AppResult};

/// Sessions looked at for the test session.
const SESSION_LIMIT: u32 = 1000;
/// How long the one-time tag of a test session is valid: the station must start the session within it.
const TEST_TAG_MINUTES: i64 = 15;
/// How long the answer waits for the station to start the session.
const TEST_START_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// A station's checklist, as it was at `at`.
#[derive(Debug, Clone)]
pub struct Checked {
    pub station: Station,
    pub checklist: Checklist,
    pub at: Timestamp,
}

/// A remotely started test session.
#[derive(Debug, Clone)]
pub struct TestSessionStarted {
    pub station_id: StationId,
    /// The one-time id tag the session was started with.
    pub id_tag: IdTag,
    pub expires_at: Timestamp,
    /// Its entry in the station's command history.
    pub command_id: Option<i64>,
    /// The station's answer to the start request.
    pub answer: Value,
    /// The session's transaction, once the station started it (within 30 s).
    pub transaction_id: Option<i64>,
}

/// The items of a checklist as the audit log (and the API) shows them.
pub fn checklist_items(list: &Checklist) -> Vec<Value> {
    list.items
        .iter()
        .map(|i| json!({ "item": i.kind.to_string(), "status": i.status.as_str(), "evidence": i.evidence }))
        .collect()
}

/// MAC addresses in the station's stored configuration (keys whose name mentions a MAC, e.g. a vendor's
/// `MacAddress`), normalized; values that are no MAC address are skipped.
fn reported_macs(config: &[StoredConfigKey]) -> Vec<String> {
    config
        .iter()
        .filter(|k| k.key.to_ascii_lowercase().contains("mac"))
        .filter_map(|k| joule_sticker::MacAddress::parse(k.value.as_deref()?.trim()).ok())
        .map(|m| m.to_string())
        .collect()
}

/// A one-time tag: `TEST-` and 15 characters of the activation passwords' alphabet (74 bits; OCPP 1.6 IdToken
/// is CiString20).
fn test_tag() -> String {
    format!("TEST-{}", joule_sticker::random_symbols(15))
}

impl Onboarding<'_> {
    /// The station's entry in its operator's model catalog: the model its BootNotification names, else the
    /// one the installer entered.
    async fn catalog_entry(
        &self,
        station: &Station,
        installation: Option<&Installation>,
    ) -> AppResult<Option<CatalogModel>> {
        let catalog = self.app.db().station_models(station.operator_id).await?;
        let booted = station.boot.as_ref().map(|b| (b.vendor.as_str(), b.model.as_str()));
        let entered =
            installation.and_then(|i| Some((i.pinpointing.vendor.as_deref()?, i.pinpointing.model.as_deref()?)));
        Ok(booted
            .into_iter()
            .chain(entered)
            .find_map(|(vendor, model)| catalog.iter().find(|m| m.model.matches_boot(vendor, model)).cloned()))
    }

    /// The checklist of `station` now.
    async fn compute(&self, id: &StationId, station: &Station, now: Timestamp) -> AppResult<Checklist> {
        let store = self.app.db();
        let installation = store.installation(id).await?;
        let since = installation.as_ref().and_then(|i| i.claimed_at);
        let filter =
            SessionFilter { station_id: Some(id.clone()), since, limit: Some(SESSION_LIMIT), ..Default::default() };
        let sessions: Vec<TestSession> = store
            .list_sessions(&filter)
            .await?
            .iter()
            .filter(|s| s.stopped_at.is_some())
            .map(|s| TestSession { transaction_id: s.id.0, energy_wh: s.energy_wh() })
            .collect();
        let boot = station.boot.as_ref();
        let pinpointing = installation.as_ref().map(|i| &i.pinpointing);
        let model = self.catalog_entry(station, installation.as_ref()).await?;
        // The code the installer claimed with: the used one (a station has at most one claim).
        let claimed_mac = store.activation_codes(id).await?.into_iter().find(|c| c.used_at.is_some()).map(|c| c.mac);
        let macs = reported_macs(&store.configuration(id).await?);
        let input = VerificationInput {
            now: Some(now),
            online: station.online,
            last_heartbeat_at: station.last_heartbeat_at,
            heartbeat_interval_secs: self.app.settings().ocpp.heartbeat_interval_secs,
            min_firmware: model.as_ref().and_then(|m| m.model.min_firmware.as_ref()),
            reported_firmware: boot.and_then(|b| b.firmware_version.as_deref()),
            reported_serials: boot
                .map(|b| {
                    [&b.serial_number, &b.charge_box_serial_number].into_iter().flatten().map(String::as_str).collect()
                })
                .unwrap_or_default(),
            entered_serial: pinpointing.and_then(|p| p.serial_number.as_deref()),
            claimed_mac: claimed_mac.as_deref(),
            reported_macs: macs.iter().map(String::as_str).collect(),
            gps: pinpointing.is_some_and(|p| p.lat.is_some() && p.lon.is_some()),
            photo: installation.as_ref().is_some_and(|i| i.photo_type.is_some()),
            sessions,
        };
        Ok(checklist(&input))
    }

    /// The station's verification checklist now. For whoever may read its installation record.
    pub async fn checklist(&self, actor: &Actor, station: &str) -> AppResult<Checked> {
        let (id, station, _, _) = self.installation_access(actor, station, false).await?;
        let now = Utc::now();
        let checklist = self.compute(&id, &station, now).await?;
        Ok(Checked { station, checklist, at: now })
    }

    /// Marks an active station verified, only when every item of its checklist is green (a conflict names
    /// the red items and their evidence); a verified station again answers its checklist. Audited. For
    /// whoever may change its installation record.
    pub async fn verify(&self, actor: &Actor, station: &str) -> AppResult<Checked> {
        let (id, station, _, _) = self.installation_access(actor, station, true).await?;
        // Only an approved station is verified: verifying must not activate a pending or suspended one.
        if !matches!(station.state, StationState::Active | StationState::Verified) {
            return Err(AppError::Conflict(format!(
                "station {id} is {}; only an active station is verified",
                station.state
            )));
        }
        let now = Utc::now();
        let list = self.compute(&id, &station, now).await?;
        if !list.all_green() {
            let red: Vec<String> = list.red().map(|i| format!("{} ({})", i.kind, i.evidence)).collect();
            return Err(AppError::Conflict(format!("not every item is green: {}", red.join("; "))));
        }
        if station.state == StationState::Verified {
            return Ok(Checked { station, checklist: list, at: now });
        }
        let store = self.app.db();
        let verified = store.set_station_state(&id, StationState::Verified).await?;
        let entry = Entry {
            action: "station.verify",
            subject: format!("station:{id}"),
            before: Some(json!({ "state": station.state.as_str() })),
            after: Some(json!({ "state": verified.state.as_str(), "checklist": checklist_items(&list) })),
        };
        audit::record_as(store.as_ref(), actor.name(), Some(station.operator_id), Utc::now(), entry).await;
        Ok(Checked { station: verified, checklist: list, at: now })
    }

    /// Starts a test charging session remotely (the checklist's "one successful test charging session ...
    /// started remotely"): a one-time id tag of the operator that expires in 15 minutes, sent with a remote
    /// start (OCPP 1.6 §5.11); waits up to 30 s for the transaction. Audited. For whoever may change the
    /// station's installation record; a conflict unless the station is active or verified.
    pub async fn test_session(
        &self,
        actor: &Actor,
        station: &str,
        connector_id: Option<u32>,
    ) -> AppResult<TestSessionStarted> {
        let (id, station, _, _) = self.installation_access(actor, station, true).await?;
        if !matches!(station.state, StationState::Active | StationState::Verified) {
            return Err(AppError::Conflict(format!(
                "station {id} is {}; a test session needs an active station",
                station.state
            )));
        }
        if connector_id == Some(0) {
            return Err(AppError::invalid("connector_id", "connectors are numbered from 1"));
        }
        let tag = IdTag::parse(&test_tag()).map_err(|e| AppError::Internal(e.to_string()))?;
        let expires_at = Utc::now() + chrono::Duration::minutes(TEST_TAG_MINUTES);
        let token = joule_core::auth::IdToken {
            operator_id: station.operator_id,
            tag: tag.clone(),
            parent: None,
            expires_at: Some(expires_at),
            blocked: false,
        };
        let store = self.app.db();
        store.add_id_token(&token).await?;
        // --- local authorization list sync: the operator's stations' lists may change ---
        self.app.local_list_marks().mark_operator(station.operator_id);
        let evse = connector_id.map(Evse::new).transpose();
        let evse = evse.map_err(|e| AppError::invalid("connector_id", e.to_string()))?;
        let start = RequestStart { evse, id_token: tag.clone(), charging_profile: None, remote_start_id: None };
        let report = self.app.stations().send(actor.name(), &id, StationCommand::RequestStart(start)).await?;
        let mut transaction_id = None;
        if let Some(started) = report.started
            && let Ok(Ok(tx)) = tokio::time::timeout(TEST_START_WAIT, started).await
        {
            transaction_id = Some(tx.0);
        }
        let entry = Entry {
            action: "station.test_session",
            subject: format!("station:{id}"),
            before: None,
            after: Some(json!({ "id_tag": tag.to_string(), "command": report.command_id, "answer": &report.answer,
                                "transaction_id": transaction_id })),
        };
        audit::record_as(store.as_ref(), actor.name(), Some(station.operator_id), Utc::now(), entry).await;
        Ok(TestSessionStarted {
            station_id: id,
            id_tag: tag,
            expires_at,
            command_id: report.command_id,
            answer: report.answer,
            transaction_id,
        })
    }
}
