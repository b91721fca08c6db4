//! Local authorization lists kept in step with the access rules (OCPP 1.6 §3.5.3 Local
//! Authorization List, §5.10 / §6.27 GetLocalListVersion, §5.15 / §6.41 SendLocalList).
//!
//! One sync of one station ([`LocalLists::sync_local_list`]):
//!
//! 1. reads what the station told about itself (its stored settings, by meaning: whether it has local
//!    lists at all, whether they are enabled, the list's and an update's maximum lengths; the 1.6 adapter
//!    knows them as configuration keys) and what Joule last sent (the store's [`LocalListState`]); a
//!    station that answered NotSupported, or whose settings say it has no local lists, is not asked again;
//! 2. when the station's list version is unknown (never asked, after a boot, after a failed update) asks
//!    for it, first reading the four settings if none of them is known;
//! 3. computes the list the station should hold ([`joule_core::local_list::wanted`]) and the messages that
//!    bring it there ([`joule_core::local_list::plan`]): Differential when the station is on the version
//!    Joule last sent, Full otherwise, split at SendLocalListMaxLength; a list longer than
//!    LocalAuthListMaxLength is not sent, and the state says why;
//! 4. sends them one by one through the gateway's command path ([`Stations::send`] ; one outstanding CALL per station,
//!    every command in the station's history), keeping after each Accepted the new version and entries, so the
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

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use crate::stations::{CommandFailure, Stations};
use joule_core::auth::{AuthorizationStatus, IdToken};
use joule_core::command::{
    CallErrorCode, CommandStatus, KnownSetting, LocalListEntry, LocalListUpdate, Outcome, SettingKey, StationCommand,
    TokenInfo,
};
use joule_core::local_list::{self, Change, Entry, Message, PlanError, Sent, UpdateType};
use joule_core::{OperatorId, StationId};
use joule_store::{LocalListState, StationFilter, StoreError};

use joule_store::Store;

use crate::charging::Charging;
use crate::ports::{Claims, LocalListMarks};

/// How often marked stations are synced: also the debounce of a burst of changes (a token import marks
/// the operator's stations once per round, however many tokens it changes).
pub const SYNC_EVERY: Duration = Duration::from_secs(3);
/// Every this many rounds, every connected station is looked at, marked or not (about every 5 minutes).
const SWEEP_ROUNDS: u64 = 100;
/// Stations synced at once by [`run`].
const CONCURRENCY: usize = 8;
/// Entries per update when the station never said how many it takes (1.6 SendLocalListMaxLength).
pub const DEFAULT_SEND_MAX: usize = 100;
/// Who the command history says asked, for syncs Joule started by itself.
const SYSTEM: &str = "system";

/// The settings a sync reads.
const SETTINGS: [KnownSetting; 4] = [
    KnownSetting::LocalListAvailable,
    KnownSetting::LocalListEnabled,
    KnownSetting::LocalListMaxLength,
    KnownSetting::SendLocalListMaxLength,
];

/// What a sync asks the station before it sends updates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    /// Only what Joule does not know yet (after a change, the periodic check, an operator's sync).
    Nothing,
    /// Its list version even if Joule knows it (after a boot: the station may have lost its list).
    Version,
    /// Everything again, forgetting an earlier NotSupported: its settings and list version (an operator's
    /// retry, e.g. after a firmware update that added local lists).
    Everything,
}

/// What the station's stored configuration says about local lists; `None` where it said nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListConfig {
    /// Whether the station has local lists at all (1.6: its feature profiles).
    pub profile: Option<bool>,
    pub enabled: Option<bool>,
    pub list_max: Option<usize>,
    pub send_max: Option<usize>,
}

impl ListConfig {
    /// From each known setting's value (see [`Stations::known_setting`]).
    pub fn from_known(value: impl Fn(KnownSetting) -> Option<String>) -> ListConfig {
        let flag = |setting| {
            value(setting).and_then(|v| match v.trim().to_ascii_lowercase().as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            })
        };
        let number = |setting| value(setting).and_then(|v| v.trim().parse::<usize>().ok());
        ListConfig {
            profile: flag(KnownSetting::LocalListAvailable),
            enabled: flag(KnownSetting::LocalListEnabled),
            list_max: number(KnownSetting::LocalListMaxLength),
            send_max: number(KnownSetting::SendLocalListMaxLength).filter(|n| *n > 0),
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
    Command(CommandFailure),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One update sent and how the station answered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentUpdate {
    pub version: i32,
    pub update_type: UpdateType,
    pub changes: usize,
    /// The station's answer (1.6 UpdateStatus).
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

/// The update of a planned message: entries Accepted with their expiry and parent; a removal in a
/// Differential update is the token without what to answer for it.
pub fn update(message: &Message) -> LocalListUpdate {
    let entries = message
        .changes
        .iter()
        .map(|change| match change {
            Change::Upsert(e) => LocalListEntry {
                id_token: e.tag.clone(),
                info: Some(TokenInfo {
                    status: AuthorizationStatus::Accepted,
                    expires_at: e.expires_at,
                    parent: e.parent.clone(),
                }),
            },
            Change::Remove(tag) => LocalListEntry { id_token: tag.clone(), info: None },
        })
        .collect();
    LocalListUpdate { version: message.version, update_type: message.update_type, entries }
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

/// Local lists: syncs with the store, the stations and the marks. Cheap to clone.
#[derive(Clone)]
pub struct LocalLists {
    store: Arc<dyn Store>,
    stations: Arc<dyn Stations>,
    marks: Arc<dyn LocalListMarks>,
    claims: Arc<dyn Claims>,
}

impl LocalLists {
    /// With `charging`'s store and ports, reaching stations through `stations`.
    pub fn new(charging: &Charging, stations: Arc<dyn Stations>) -> LocalLists {
        LocalLists {
            store: charging.store().clone(),
            stations,
            marks: charging.local_list_marks().clone(),
            claims: charging.claims().clone(),
        }
    }

    fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The action `command` goes out as to the station, for the sync's details.
    fn action_of(&self, station: &StationId, command: &StationCommand) -> String {
        self.stations.wire(station, command).map(|w| w.action).unwrap_or_else(|_| format!("{:?}", command.kind()))
    }

    /// Marks every station of the operator for a sync: its tokens, drivers or groups changed.
    pub fn local_lists_changed(&self, operator: OperatorId) {
        self.marks.mark_operator(operator);
    }

    /// Marks the station for a sync: its access rules changed, or what it told about itself.
    pub fn local_list_changed(&self, station: &StationId) {
        self.marks.mark_station(station);
    }

    /// After an accepted BootNotification: a station known to support local lists is asked its version
    /// (it may have lost its list) and brought in step, on its own task.
    pub fn after_boot(&self, station: StationId) {
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
        let state = self.store().local_list_state(station).await?;
        let config = self.list_config(station).await?;
        Ok(known_supported(state.as_ref(), &config))
    }

    /// What the station's stored configuration says about local lists.
    pub async fn list_config(&self, station: &StationId) -> Result<ListConfig, StoreError> {
        let keys = self.store().configuration(station).await?;
        let stored: Vec<(&str, Option<&str>)> = keys.iter().map(|k| (k.key.as_str(), k.value.as_deref())).collect();
        Ok(ListConfig::from_known(|setting| self.stations.known_setting(station, setting, &stored)))
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
        let _running = self.claims.claim(&format!("local-list:{station}")).ok_or(SyncError::Busy)?;
        let store = self.store().clone();
        let found = store.station(station).await?.ok_or(SyncError::NotFound)?;
        let known = store.local_list_state(station).await?;
        let mut state = known.clone().unwrap_or_else(|| LocalListState::unknown(station.clone()));
        let mut config = self.list_config(station).await?;
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
        if !self.stations.is_connected(station) {
            return Err(SyncError::Offline);
        }
        if ask != Ask::Nothing || state.station_version.is_none_or(|v| v < 0) {
            if config.nothing_known() {
                // The sizes and whether the profile is there, once: stored by the command path.
                let read = StationCommand::ReadSettings { keys: SETTINGS.into_iter().map(SettingKey::Known).collect() };
                let action = self.action_of(station, &read);
                match self.stations.send(requested_by, station, read).await {
                    Ok(_) => config = self.list_config(station).await?,
                    Err(e) if !e.refuses_feature() && !matches!(e, CommandFailure::Invalid { .. }) => {
                        finish(state, e.outcome_name(), Some(format!("{action}: {e}"))).await?;
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
            let ask_version = StationCommand::GetLocalListVersion;
            let action = self.action_of(station, &ask_version);
            match self.stations.send(requested_by, station, ask_version).await {
                Ok(report) => match report.outcome {
                    Ok(Outcome::LocalListVersion(version)) => state.station_version = Some(version),
                    other => {
                        forget(&mut state);
                        let why = match other {
                            Err(e) => e.to_string(),
                            Ok(_) => "an answer that is no list version".to_string(),
                        };
                        let detail = format!("{action} {why}");
                        finish(state, "invalid-answer", Some(detail.clone())).await?;
                        return Err(SyncError::Command(CommandFailure::CallError {
                            code: CallErrorCode::FormationViolation,
                            description: detail,
                        }));
                    }
                },
                Err(e) if e.refuses_feature() => {
                    state.supported = Some(false);
                    forget(&mut state);
                    let reason = format!("{action}: {e}");
                    finish(state, "NotSupported", Some(reason.clone())).await?;
                    return Err(SyncError::Unsupported(reason));
                }
                Err(CommandFailure::Invalid { message, .. }) => {
                    return Err(SyncError::Store(StoreError::Database(format!("internal: {message}"))));
                }
                Err(e) => {
                    finish(state, e.outcome_name(), Some(format!("{action}: {e}"))).await?;
                    return Err(SyncError::Command(e));
                }
            }
        }
        if state.station_version.is_some_and(|v| v < 0) || config.enabled == Some(false) {
            // 1.6 §6.28: -1 is a station whose local list is disabled (LocalAuthListEnabled false): sending
            // it one would only be refused. Asked again at its next boot or on demand.
            let reason = if config.enabled == Some(false) {
                "its configuration has local lists disabled".to_string()
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
            let send = StationCommand::SendLocalList(update(message));
            let action = self.action_of(station, &send);
            let answer = self.stations.send(requested_by, station, send).await;
            let status = match answer {
                Ok(report) => match report.outcome.as_ref().ok().and_then(Outcome::status) {
                    Some(status) => status.clone(),
                    None => {
                        forget(&mut state);
                        let why = match &report.outcome {
                            Err(e) => e.to_string(),
                            Ok(_) => "an answer without a status".to_string(),
                        };
                        let state = finish(state, "invalid-answer", Some(format!("{action} {why}"))).await?;
                        return Ok(SyncReport { updates, state, wanted: wanted.len() });
                    }
                },
                Err(CommandFailure::Invalid { message, .. }) => {
                    return Err(SyncError::Store(StoreError::Database(format!("internal: {message}"))));
                }
                Err(e) => {
                    if e.refuses_feature() {
                        state.supported = Some(false);
                        forget(&mut state);
                        finish(state, "NotSupported", Some(format!("{action}: {e}"))).await?;
                        return Err(SyncError::Unsupported(format!("{action}: {e}")));
                    }
                    // Not sent (offline, queue full): the station holds what it held. Sent but unanswered:
                    // it may or may not have applied it, so the next update starts over with a Full one.
                    if !e.not_sent() {
                        forget(&mut state);
                    }
                    finish(state, e.outcome_name(), Some(format!("{action}: {e}"))).await?;
                    return Err(SyncError::Command(e));
                }
            };
            updates.push(SentUpdate {
                version: message.version,
                update_type: message.update_type,
                changes: message.changes.len(),
                status: status.name().to_string(),
            });
            match status {
                CommandStatus::Accepted => {
                    state.sent = apply(&state.sent, message);
                    state.sent_version = Some(message.version);
                    state.station_version = Some(message.version);
                    // Kept after every message, so a sync cut short resumes from what the station has.
                    if i + 1 < messages.len() {
                        let now = chrono::Utc::now();
                        store.put_local_list_state(&state, now).await?;
                    }
                }
                CommandStatus::NotSupported => {
                    state.supported = Some(false);
                    forget(&mut state);
                    let state = finish(state, "NotSupported", None).await?;
                    return Ok(SyncReport { updates, state, wanted: wanted.len() });
                }
                // Failed, VersionMismatch (or a status the station invented): what the station holds is
                // unknown, so the next update is Full.
                other => {
                    forget(&mut state);
                    let state = finish(state, other.name(), None).await?;
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
    (config.profile == Some(false)).then(|| "its configuration says it has no local authorization lists".to_string())
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
pub async fn run(gw: LocalLists, leadership: Arc<dyn crate::ports::Leadership>) {
    let permits = Arc::new(tokio::sync::Semaphore::new(CONCURRENCY));
    let mut round: u64 = 0;
    loop {
        tokio::time::sleep(SYNC_EVERY).await;
        round += 1;
        if !leadership.leads(crate::ports::Job::LocalListSync) {
            continue;
        }
        let (operators, stations) = gw.marks.take();
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
            due.extend(gw.stations.connected());
        }
        for station in due {
            if !gw.stations.is_connected(&station) {
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
async fn connected_of(gw: &LocalLists, operator: OperatorId) -> Result<Vec<StationId>, StoreError> {
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
        out.extend(page.into_iter().map(|s| s.id).filter(|id| gw.stations.is_connected(id)));
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

    fn entry(s: &str) -> Entry {
        Entry { tag: IdTag::parse(s).unwrap(), expires_at: None, parent: None }
    }

    #[test]
    fn the_configuration_says_what_it_knows() {
        let config = ListConfig::from_known(|setting| {
            Some(
                match setting {
                    KnownSetting::LocalListAvailable => "true",
                    KnownSetting::LocalListEnabled => " TRUE",
                    KnownSetting::LocalListMaxLength => "500",
                    KnownSetting::SendLocalListMaxLength => "0",
                    KnownSetting::HeartbeatInterval => "300",
                }
                .to_string(),
            )
        });
        assert_eq!(
            config,
            ListConfig { profile: Some(true), enabled: Some(true), list_max: Some(500), send_max: None },
            "a zero message size is no size"
        );
        let without = ListConfig::from_known(|s| (s == KnownSetting::LocalListAvailable).then(|| "false".to_string()));
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
        let u = update(&message);
        assert_eq!((u.version, u.update_type), (3, UpdateType::Differential));
        assert_eq!(u.entries[0].info.as_ref().map(|i| i.status), Some(AuthorizationStatus::Accepted));
        assert_eq!(u.entries[1].info, None, "{u:?}");
        let list = apply(&[entry("OLD"), entry("KEPT")], &message);
        assert_eq!(list, vec![entry("KEPT"), entry("NEW")]);
        let full = Message { version: 4, update_type: UpdateType::Full, changes: vec![Change::Upsert(entry("ONLY"))] };
        assert_eq!(apply(&list, &full), vec![entry("ONLY")]);
    }
}
