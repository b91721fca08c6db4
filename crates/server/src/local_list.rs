//! Local authorization lists kept in step with the access rules (OCPP 1.6 §3.5.3 Local
//! Authorization List, §5.10 / §6.27 GetLocalListVersion, §5.15 / §6.41 SendLocalList).
//!
//! One sync of one station ([`Gateway::sync_local_list`]):
//!
//! 1. reads what the station told about itself (the stored configuration keys SupportedFeatureProfiles,
//!    LocalAuthListEnabled, LocalAuthListMaxLength, SendLocalListMaxLength) and what Joule last sent
//!    (the store's [`LocalListState`]); a station that answered NotSupported, or whose profiles lack
//!    LocalAuthListManagement, is not asked again;
//! 2. when the station's list version is unknown (never asked, after a boot, after a failed update) asks
//!    GetLocalListVersion, first asking for the four keys if none of them is known;
//! 3. computes the list the station should hold ([`joule_core::local_list::wanted`]) and the messages that
//!    bring it there ([`joule_core::local_list::plan`]): Differential when the station is on the version
//!    Joule last sent, Full otherwise, split at SendLocalListMaxLength; a list longer than
//!    LocalAuthListMaxLength is not sent, and the state says why;
//! 4. sends them one by one through the gateway's command path (one outstanding CALL per station, every
//!    command in the station's history), keeping after each Accepted the new version and entries, so the
//!    next update can be differential. Failed or VersionMismatch make Joule forget what it sent (the next
//!    update is Full, after asking the version again); NotSupported marks the station unsupported.
//!
//! What starts a sync: an accepted BootNotification (for stations known to support local lists), a change
//! of a station's access rules (the station is marked), a change of tokens, drivers or groups (every
//! station of the operator is marked), and [`run`], which every few seconds syncs the marked stations
//! connected here, a few at a time, and now and then all of them (tokens changed by another process, e.g.
//! `joule token add`). On demand through the REST API and `joule station local-list --sync`.
//!
//! Joule only starts syncing by itself once it knows the station supports local lists (its configuration
//! says so, or it answered a local-list call): a station that never heard of the profile gets no unasked
//! calls. An on-demand sync asks.

use std::collections::{BTreeSet, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use joule_core::auth::IdToken;
use joule_core::local_list::{self, Change, Entry, Message, PlanError, Sent, UpdateType};
use joule_core::{OperatorId, StationId};
use joule_store::{LocalListState, StationFilter, StoreError, StoredConfigKey};
use ocpp::ErrorCode;
use ocpp::v16;
use serde_json::{Value, json};

use crate::gateway::{CommandError, CommandFailure, Gateway, outcome_name};

/// How often marked stations are synced: also the debounce of a burst of changes (a token import marks
/// the operator's stations once per round, however many tokens it changes).
pub const SYNC_EVERY: Duration = Duration::from_secs(3);
/// Every this many rounds, every connected station is looked at, marked or not (about every 5 minutes).
const SWEEP_ROUNDS: u64 = 100;
/// Stations synced at once by [`run`].
const CONCURRENCY: usize = 8;
/// Entries per SendLocalList.req when the station never said its SendLocalListMaxLength.
pub const DEFAULT_SEND_MAX: usize = 100;
/// Who the command history says asked, for syncs Joule started by itself.
const SYSTEM: &str = "system";

/// The configuration keys a sync reads (OCPP 1.6 §9.1.10 SupportedFeatureProfiles, §9.4 Local Auth List
/// Management Profile keys).
const KEYS: [&str; 4] =
    ["SupportedFeatureProfiles", "LocalAuthListEnabled", "LocalAuthListMaxLength", "SendLocalListMaxLength"];

/// What a sync asks the station before it sends updates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    /// Only what Joule does not know yet (after a change, the periodic check, an operator's sync).
    Nothing,
    /// Its list version even if Joule knows it (after a boot: the station may have lost its list).
    Version,
    /// Everything again, forgetting an earlier NotSupported: its configuration keys and list version
    /// (an operator's retry, e.g. after a firmware update that added the LocalAuthListManagement profile).
    Everything,
}

/// What the station's stored configuration says about local lists; `None` where it said nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListConfig {
    /// Whether SupportedFeatureProfiles names LocalAuthListManagement.
    pub profile: Option<bool>,
    pub enabled: Option<bool>,
    pub list_max: Option<usize>,
    pub send_max: Option<usize>,
}

impl ListConfig {
    pub fn from_keys(keys: &[StoredConfigKey]) -> ListConfig {
        let value = |name: &str| {
            keys.iter().find(|k| k.key.eq_ignore_ascii_case(name)).and_then(|k| k.value.as_deref()).map(str::trim)
        };
        ListConfig {
            profile: value("SupportedFeatureProfiles")
                .map(|v| v.split(',').any(|p| p.trim().eq_ignore_ascii_case("LocalAuthListManagement"))),
            enabled: value("LocalAuthListEnabled").and_then(|v| match v.to_ascii_lowercase().as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            }),
            list_max: value("LocalAuthListMaxLength").and_then(|v| v.parse().ok()),
            send_max: value("SendLocalListMaxLength").and_then(|v| v.parse().ok()).filter(|n: &usize| *n > 0),
        }
    }

    fn nothing_known(&self) -> bool {
        *self == ListConfig::default()
    }
}

/// Why a station's list was not (fully) synced.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("no such station")]
    NotFound,
    #[error("the station is not connected")]
    Offline,
    #[error("the station does not support local lists: {0}")]
    Unsupported(String),
    #[error("the station has local lists disabled: {0}")]
    Disabled(String),
    #[error("{0}")]
    TooLong(PlanError),
    #[error("a sync of this station is running already")]
    Busy,
    #[error(transparent)]
    Command(CommandError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One SendLocalList.req sent and how the station answered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentUpdate {
    pub version: i32,
    pub update_type: UpdateType,
    pub changes: usize,
    /// The station's UpdateStatus.
    pub status: String,
}

/// What a sync did.
#[derive(Debug, Clone)]
pub struct SyncReport {
    pub updates: Vec<SentUpdate>,
    /// The state as stored at the end.
    pub state: LocalListState,
    /// Entries the station should hold now.
    pub wanted: usize,
}

/// Stations and operators whose lists may be out of step, and the stations being synced now.
#[derive(Default)]
pub(crate) struct Tracker {
    operators: Mutex<HashSet<OperatorId>>,
    stations: Mutex<HashSet<StationId>>,
    running: Mutex<HashSet<StationId>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Plain sets, changed by single calls: a poisoned lock is still consistent.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Holds a station's place in `running` until dropped.
struct Running<'a> {
    tracker: &'a Tracker,
    station: StationId,
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        lock(&self.tracker.running).remove(&self.station);
    }
}

impl Tracker {
    fn start(&self, station: &StationId) -> Option<Running<'_>> {
        lock(&self.running).insert(station.clone()).then(|| Running { tracker: self, station: station.clone() })
    }

    fn take(&self) -> (Vec<OperatorId>, Vec<StationId>) {
        let operators = std::mem::take(&mut *lock(&self.operators)).into_iter().collect();
        let stations = std::mem::take(&mut *lock(&self.stations)).into_iter().collect();
        (operators, stations)
    }
}

/// Whether Joule may sync the station without being asked: it is known to support local lists and has
/// not refused them.
fn known_supported(state: Option<&LocalListState>, config: &ListConfig) -> bool {
    if state.is_some_and(|s| s.supported == Some(false)) || config.profile == Some(false) {
        return false;
    }
    state.is_some_and(|s| s.supported == Some(true))
        || config.profile == Some(true)
        || config.enabled.is_some()
        || config.list_max.is_some()
}

/// The SendLocalList.req of a planned message (§6.41): entries Accepted with their expiry and parent; a
/// removal in a Differential update is the tag without idTagInfo.
pub fn payload(message: &Message) -> Value {
    let list: Vec<v16::AuthorizationData> = message
        .changes
        .iter()
        .map(|change| match change {
            Change::Upsert(e) => v16::AuthorizationData {
                id_tag: e.tag.to_string(),
                id_tag_info: Some(v16::IdTagInfo {
                    expiry_date: e.expires_at,
                    parent_id_tag: e.parent.as_ref().map(|p| p.to_string()),
                    status: v16::AuthorizationStatus::Accepted,
                }),
            },
            Change::Remove(tag) => v16::AuthorizationData { id_tag: tag.to_string(), id_tag_info: None },
        })
        .collect();
    let update_type = match message.update_type {
        UpdateType::Full => v16::UpdateType::Full,
        UpdateType::Differential => v16::UpdateType::Differential,
    };
    v16::to_payload(&v16::SendLocalListRequest {
        list_version: message.version,
        local_authorization_list: Some(list),
        update_type,
    })
}

/// The list after the station applied `message` to `list`.
fn apply(list: &[Entry], message: &Message) -> Vec<Entry> {
    let mut by_tag: std::collections::BTreeMap<String, Entry> = match message.update_type {
        UpdateType::Full => Default::default(),
        UpdateType::Differential => list.iter().map(|e| (e.tag.as_str().to_owned(), e.clone())).collect(),
    };
    for change in &message.changes {
        match change {
            Change::Upsert(e) => {
                by_tag.insert(e.tag.as_str().to_owned(), e.clone());
            }
            Change::Remove(tag) => {
                by_tag.remove(tag.as_str());
            }
        }
    }
    by_tag.into_values().collect()
}

/// Forgets what was sent: the station's list is no longer known, so the next update is Full, after asking
/// the version again.
fn forget(state: &mut LocalListState) {
    state.station_version = None;
    state.sent_version = None;
    state.sent.clear();
}

/// A CALLERROR that says the station has no such feature (OCPP-J §4.2.3).
fn refuses_feature(e: &CommandError) -> bool {
    matches!(e, CommandError::CallError { code: ErrorCode::NotSupported | ErrorCode::NotImplemented, .. })
}

impl Gateway {
    /// Marks every station of the operator for a sync: its tokens, drivers or groups changed.
    pub fn local_lists_changed(&self, operator: OperatorId) {
        lock(&self.local_lists().operators).insert(operator);
    }

    /// Marks the station for a sync: its access rules changed, or what it told about itself.
    pub fn local_list_changed(&self, station: &StationId) {
        lock(&self.local_lists().stations).insert(station.clone());
    }

    /// After an accepted BootNotification: a station known to support local lists is asked its version
    /// (it may have lost its list) and brought in step, on its own task.
    pub(crate) fn local_list_after_boot(&self, station: StationId) {
        let gw = self.clone();
        tokio::spawn(async move {
            match gw.should_sync(&station).await {
                Ok(true) => {}
                Ok(false) => return,
                Err(e) => {
                    tracing::warn!(station = %station, error = %e, "could not read the local list state");
                    return;
                }
            }
            match gw.sync_local_list(&station, SYSTEM, Ask::Version).await {
                Ok(report) => log_report(&station, &report),
                Err(SyncError::Busy) => gw.local_list_changed(&station),
                Err(e) => tracing::info!(station = %station, error = %e, "local list not synced after boot"),
            }
        });
    }

    /// The list the station should hold now (see [`joule_core::local_list::wanted`]); empty for an unknown
    /// station.
    pub async fn wanted_local_list(&self, station: &StationId) -> Result<Vec<Entry>, StoreError> {
        match self.store().station(station).await? {
            Some(found) => self.wanted_of(&found).await,
            None => Ok(Vec::new()),
        }
    }

    async fn wanted_of(&self, station: &joule_core::station::Station) -> Result<Vec<Entry>, StoreError> {
        if !station.state.may_charge() {
            // A station that is not activated accepts nobody (crate::access::check), offline either.
            return Ok(Vec::new());
        }
        let store = self.store();
        let rules = store.access_rules(&station.id).await?.unwrap_or_else(|| crate::access::public(!station.free_vend));
        let tokens: Vec<(IdToken, _)> =
            store.operator_token_facts(station.operator_id).await?.into_iter().map(|f| (f.token, f.driver)).collect();
        Ok(local_list::wanted(&rules, &tokens, chrono::Utc::now()))
    }

    async fn should_sync(&self, station: &StationId) -> Result<bool, StoreError> {
        let store = self.store();
        let state = store.local_list_state(station).await?;
        let config = ListConfig::from_keys(&store.configuration(station).await?);
        Ok(known_supported(state.as_ref(), &config))
    }

    /// Brings the station's local list in step with its access rules now (see the module's description),
    /// asking the station first what `ask` says. The commands go to the station's history with
    /// `requested_by`.
    pub async fn sync_local_list(
        &self,
        station: &StationId,
        requested_by: &str,
        ask: Ask,
    ) -> Result<SyncReport, SyncError> {
        let tracker = &self.local_lists();
        let _running = tracker.start(station).ok_or(SyncError::Busy)?;
        let store = self.store().clone();
        let found = store.station(station).await?.ok_or(SyncError::NotFound)?;
        let known = store.local_list_state(station).await?;
        let mut state = known.clone().unwrap_or_else(|| LocalListState::unknown(station.clone()));
        let mut config = ListConfig::from_keys(&store.configuration(station).await?);
        if ask == Ask::Everything {
            // An earlier NotSupported and the stored keys may be out of date (new firmware): ask again.
            state.supported = None;
            config = ListConfig::default();
        }

        // Writes the state with how this sync ended (only if that says something new).
        let finish = |mut state: LocalListState, result: &str, detail: Option<String>| {
            let store = store.clone();
            let known = known.clone();
            let result = result.to_string();
            async move {
                let now = chrono::Utc::now();
                state.last_result = Some(result);
                state.last_detail = detail;
                let unchanged = known.as_ref().is_some_and(|k| {
                    LocalListState { last_at: None, ..k.clone() } == LocalListState { last_at: None, ..state.clone() }
                });
                if !unchanged {
                    state.last_at = Some(now);
                    store.put_local_list_state(&state, now).await?;
                }
                Ok::<LocalListState, StoreError>(state)
            }
        };

        if let Some(reason) = unsupported(&state, &config) {
            state.supported = Some(false);
            finish(state, "NotSupported", Some(reason.clone())).await?;
            return Err(SyncError::Unsupported(reason));
        }
        if !self.is_connected(station) {
            return Err(SyncError::Offline);
        }
        if ask != Ask::Nothing || state.station_version.is_none_or(|v| v < 0) {
            if config.nothing_known() {
                // The sizes and whether the profile is there, once: stored by the command path.
                let payload = json!({ "key": KEYS });
                match self.command(requested_by, station, "GetConfiguration", payload).await {
                    Ok(_) => config = ListConfig::from_keys(&store.configuration(station).await?),
                    Err(CommandFailure::Command(e)) if !refuses_feature(&e) => {
                        finish(state, outcome_name(&e), Some(format!("GetConfiguration: {e}"))).await?;
                        return Err(SyncError::Command(e));
                    }
                    // A station that cannot say: the defaults.
                    Err(_) => {}
                }
                if let Some(reason) = unsupported(&state, &config) {
                    state.supported = Some(false);
                    finish(state, "NotSupported", Some(reason.clone())).await?;
                    return Err(SyncError::Unsupported(reason));
                }
            }
            match self.command(requested_by, station, "GetLocalListVersion", json!({})).await {
                Ok(report) => match v16::decode_response::<v16::GetLocalListVersionResponse>(&report.answer) {
                    Ok(conf) => state.station_version = Some(conf.list_version),
                    Err(e) => {
                        forget(&mut state);
                        let detail = format!("GetLocalListVersion answer does not fit OCPP 1.6: {}", e.description);
                        finish(state, "invalid-answer", Some(detail.clone())).await?;
                        return Err(SyncError::Command(CommandError::CallError {
                            code: ErrorCode::FormationViolation,
                            description: detail,
                        }));
                    }
                },
                Err(CommandFailure::Command(e)) if refuses_feature(&e) => {
                    state.supported = Some(false);
                    forget(&mut state);
                    let reason = format!("GetLocalListVersion: {e}");
                    finish(state, "NotSupported", Some(reason.clone())).await?;
                    return Err(SyncError::Unsupported(reason));
                }
                Err(CommandFailure::Command(e)) => {
                    finish(state, outcome_name(&e), Some(format!("GetLocalListVersion: {e}"))).await?;
                    return Err(SyncError::Command(e));
                }
                Err(CommandFailure::Invalid { message, .. }) => {
                    return Err(SyncError::Store(StoreError::Database(format!("internal: {message}"))));
                }
            }
        }
        if state.station_version.is_some_and(|v| v < 0) || config.enabled == Some(false) {
            // §6.28: -1 is a station whose local list is disabled (LocalAuthListEnabled false): sending it
            // one would only be refused. Asked again at its next boot or on demand.
            let reason = if config.enabled == Some(false) {
                "LocalAuthListEnabled is false".to_string()
            } else {
                "the station reports list version -1".to_string()
            };
            finish(state, "disabled", Some(reason.clone())).await?;
            return Err(SyncError::Disabled(reason));
        }

        let wanted = self.wanted_of(&found).await?;
        let sent = state.sent_version.map(|version| Sent { version, list: state.sent.clone() });
        let send_max = config.send_max.unwrap_or(DEFAULT_SEND_MAX);
        let list_max = config.list_max.unwrap_or(usize::MAX);
        let messages = match local_list::plan(sent.as_ref(), state.station_version, &wanted, send_max, list_max) {
            Ok(messages) => messages,
            Err(e) => {
                // Nothing is sent: a partial list would refuse drivers the rules admit, offline, with no
                // way to tell which. The operator shortens the list (rules, tokens) or the station's limit.
                finish(state, "too-long", Some(e.to_string())).await?;
                tracing::warn!(station = %station, error = %e, "local list not sent");
                return Err(SyncError::TooLong(e));
            }
        };
        state.supported = Some(true);
        if messages.is_empty() {
            let state = finish(state, "in-step", None).await?;
            return Ok(SyncReport { updates: Vec::new(), state, wanted: wanted.len() });
        }

        let mut updates = Vec::new();
        for (i, message) in messages.iter().enumerate() {
            let answer = self.command(requested_by, station, "SendLocalList", payload(message)).await;
            let status = match answer {
                Ok(report) => match v16::decode_response::<v16::SendLocalListResponse>(&report.answer) {
                    Ok(conf) => conf.status,
                    Err(e) => {
                        forget(&mut state);
                        let detail = format!("SendLocalList answer does not fit OCPP 1.6: {}", e.description);
                        let state = finish(state, "invalid-answer", Some(detail)).await?;
                        return Ok(SyncReport { updates, state, wanted: wanted.len() });
                    }
                },
                Err(CommandFailure::Command(e)) => {
                    let result = outcome_name(&e);
                    if refuses_feature(&e) {
                        state.supported = Some(false);
                        forget(&mut state);
                        finish(state, "NotSupported", Some(format!("SendLocalList: {e}"))).await?;
                        return Err(SyncError::Unsupported(format!("SendLocalList: {e}")));
                    }
                    // Not sent (offline, queue full): the station holds what it held. Sent but unanswered:
                    // it may or may not have applied it, so the next update starts over with a Full one.
                    if !matches!(e, CommandError::Offline | CommandError::QueueFull) {
                        forget(&mut state);
                    }
                    finish(state, result, Some(format!("SendLocalList: {e}"))).await?;
                    return Err(SyncError::Command(e));
                }
                Err(CommandFailure::Invalid { message, .. }) => {
                    return Err(SyncError::Store(StoreError::Database(format!("internal: {message}"))));
                }
            };
            updates.push(SentUpdate {
                version: message.version,
                update_type: message.update_type,
                changes: message.changes.len(),
                status: status.as_str().to_string(),
            });
            match status {
                v16::UpdateStatus::Accepted => {
                    state.sent = apply(&state.sent, message);
                    state.sent_version = Some(message.version);
                    state.station_version = Some(message.version);
                    // Kept after every message, so a sync cut short resumes from what the station has.
                    if i + 1 < messages.len() {
                        let now = chrono::Utc::now();
                        store.put_local_list_state(&state, now).await?;
                    }
                }
                v16::UpdateStatus::NotSupported => {
                    state.supported = Some(false);
                    forget(&mut state);
                    let state = finish(state, "NotSupported", None).await?;
                    return Ok(SyncReport { updates, state, wanted: wanted.len() });
                }
                // Failed, VersionMismatch (or a status this version of OCPP does not know): what the
                // station holds is unknown, so the next update is Full.
                other => {
                    forget(&mut state);
                    let state = finish(state, other.as_str(), None).await?;
                    return Ok(SyncReport { updates, state, wanted: wanted.len() });
                }
            }
        }
        let state = finish(state, "Accepted", None).await?;
        Ok(SyncReport { updates, state, wanted: wanted.len() })
    }
}

/// Why the station is taken as not supporting local lists, if it is.
fn unsupported(state: &LocalListState, config: &ListConfig) -> Option<String> {
    if state.supported == Some(false) {
        return Some(state.last_detail.clone().unwrap_or_else(|| "the station answered NotSupported".to_string()));
    }
    (config.profile == Some(false))
        .then(|| "its SupportedFeatureProfiles do not name LocalAuthListManagement".to_string())
}

fn log_report(station: &StationId, report: &SyncReport) {
    if report.updates.is_empty() {
        return;
    }
    let updates: Vec<String> = report
        .updates
        .iter()
        .map(|u| format!("{} v{} ({} entries): {}", u.update_type.as_str(), u.version, u.changes, u.status))
        .collect();
    tracing::info!(station = %station, updates = %updates.join(", "), "local list synced");
}

/// Syncs the marked stations connected here every [`SYNC_EVERY`], at most [`CONCURRENCY`] at once, and
/// every station connected here every [`SWEEP_ROUNDS`] rounds. Only stations known to support local lists
/// are synced (see the module's description).
pub async fn run(gw: Gateway) {
    let permits = Arc::new(tokio::sync::Semaphore::new(CONCURRENCY));
    let mut round: u64 = 0;
    loop {
        tokio::time::sleep(SYNC_EVERY).await;
        round += 1;
        let (operators, stations) = gw.local_lists().take();
        let mut due: BTreeSet<StationId> = stations.into_iter().collect();
        for operator in operators {
            match connected_of(&gw, operator).await {
                Ok(ids) => due.extend(ids),
                Err(e) => {
                    tracing::warn!(operator = %operator, error = %e, "could not list the operator's stations");
                    gw.local_lists_changed(operator);
                }
            }
        }
        if round.is_multiple_of(SWEEP_ROUNDS) {
            due.extend(gw.connected_ids());
        }
        for station in due {
            if !gw.is_connected(&station) {
                continue;
            }
            let Ok(permit) = permits.clone().acquire_owned().await else { return };
            let gw = gw.clone();
            tokio::spawn(async move {
                let _permit = permit;
                match gw.should_sync(&station).await {
                    Ok(true) => {}
                    Ok(false) => return,
                    Err(e) => {
                        tracing::warn!(station = %station, error = %e, "could not read the local list state");
                        gw.local_list_changed(&station);
                        return;
                    }
                }
                match gw.sync_local_list(&station, SYSTEM, Ask::Nothing).await {
                    Ok(report) => log_report(&station, &report),
                    // The running sync may have read the rules before the change that marked it.
                    Err(SyncError::Busy) | Err(SyncError::Store(_)) => gw.local_list_changed(&station),
                    Err(e) => tracing::info!(station = %station, error = %e, "local list not synced"),
                }
            });
        }
    }
}

/// The operator's stations that are online, in pages.
async fn connected_of(gw: &Gateway, operator: OperatorId) -> Result<Vec<StationId>, StoreError> {
    let store = gw.store();
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let filter = StationFilter {
            operator_id: Some(operator),
            online: Some(true),
            after: after.clone(),
            limit: Some(500),
            ..StationFilter::default()
        };
        let page = store.list_stations(&filter).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.id.clone());
        let full = page.len() == 500;
        out.extend(page.into_iter().map(|s| s.id).filter(|id| gw.is_connected(id)));
        if !full {
            break;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use joule_core::IdTag;

    fn key(k: &str, v: &str) -> StoredConfigKey {
        StoredConfigKey { key: k.into(), value: Some(v.into()), readonly: false, read_at: None, changed_at: None }
    }

    fn entry(s: &str) -> Entry {
        Entry { tag: IdTag::parse(s).unwrap(), expires_at: None, parent: None }
    }

    #[test]
    fn the_configuration_says_what_it_knows() {
        let config = ListConfig::from_keys(&[
            key("SupportedFeatureProfiles", "Core, FirmwareManagement,LocalAuthListManagement"),
            key("LocalAuthListEnabled", "TRUE"),
            key("LocalAuthListMaxLength", "500"),
            key("SendLocalListMaxLength", "0"),
        ]);
        assert_eq!(
            config,
            ListConfig { profile: Some(true), enabled: Some(true), list_max: Some(500), send_max: None },
            "a zero message size is no size"
        );
        let without = ListConfig::from_keys(&[key("SupportedFeatureProfiles", "Core,RemoteTrigger")]);
        assert_eq!(without.profile, Some(false));
        assert!(!known_supported(None, &without));
        assert!(unsupported(&LocalListState::unknown(StationId::parse("S").unwrap()), &without).is_some());
        assert!(!known_supported(None, &ListConfig::default()), "nothing known: not synced unasked");
        assert!(known_supported(None, &config));
    }

    #[test]
    fn removals_carry_no_id_tag_info_and_applying_follows_the_update_type() {
        let message = Message {
            version: 3,
            update_type: UpdateType::Differential,
            changes: vec![Change::Upsert(entry("NEW")), Change::Remove(IdTag::parse("OLD").unwrap())],
        };
        let p = payload(&message);
        assert_eq!(p["listVersion"], 3);
        assert_eq!(p["updateType"], "Differential");
        assert_eq!(p["localAuthorizationList"][0]["idTagInfo"]["status"], "Accepted");
        assert!(p["localAuthorizationList"][1].get("idTagInfo").is_none(), "{p}");
        let list = apply(&[entry("OLD"), entry("KEPT")], &message);
        assert_eq!(list, vec![entry("KEPT"), entry("NEW")]);
        let full = Message { version: 4, update_type: UpdateType::Full, changes: vec![Change::Upsert(entry("ONLY"))] };
        assert_eq!(apply(&list, &full), vec![entry("ONLY")]);
    }
}
