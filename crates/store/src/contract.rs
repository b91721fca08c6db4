//! The contract every [`Store`] backend passes. A backend's tests call [`run_all`] with a fresh, empty store.
//!
//! Each check panics (as a test does) on a breach, with a message that names it. Nothing here depends on
//! timing: concurrency checks assert what must hold whatever the interleaving (distinct ids, every write
//! stored), and values are compared exactly, so instants are given to the millisecond (the precision
//! every backend keeps).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use joule_core::account::{Account, AccountId, AccountRole, Email, OwnerKind};
use joule_core::auth::{AuthorizationStatus, IdToken};
use joule_core::meter::{DEFAULT_CONTEXT, MeterSample, RawSample};
use joule_core::session::{SessionStart, SessionStop, StopOutcome};
use joule_core::station::{
    BootInfo, ChargingState, Connector, ConnectorState, ConnectorStatus, Station, StationState, StatusReport,
};
use joule_core::{IdTag, OperatorId, OperatorKey, Role, SessionId, StationId, Timestamp, TransactionId};

use crate::backend::{now, truncate};
use crate::{AccountFilter, AuditEntry, AuditFilter, Login, NewAccount, NewLogin};
use crate::{
    ApiToken, CommandOutcome, CommandOutcomeKind, CommandRecord, ConfigKey, DefaultResult, Direction, LoggedMessage,
    MessageFilter, NewApiToken, NewCommand, StoredConfigKey,
};
use crate::{
    MeterBatch, MeterFilter, NewStation, Operator, OutboxItem, OutboxKind, SessionFilter, StationEvent, StationFilter,
    StatusRecord, Store, StoreError, StoredSample,
};

mod access;
mod activation;
mod catalog;
mod drivers;
mod handover;
mod intervals;
mod local_list;
mod offline;
mod password_reset;
mod tariffs;
mod versions;

/// Runs every contract check against `store`, which must be empty, and closes it at the end.
pub async fn run_all(store: Arc<dyn Store>) {
    store.ping().await.expect("ping");
    operators(&*store).await;
    stations(&*store).await;
    connectors(&*store).await;
    id_tokens(&*store).await;
    sessions(&*store).await;
    versions::evses(&*store).await;
    versions::station_transaction_ids(&*store).await;
    versions::token_types(&*store).await;
    versions::connector_states(&*store).await;
    session_filters(&*store).await;
    deleted_tags_keep_sessions(&*store).await;
    concurrent_starts(store.clone()).await;
    meter_values(&*store).await;
    concurrent_writers(store.clone()).await;
    failures_stay_alone(store.clone()).await;
    station_events(&*store).await;
    outbox(&*store).await;
    commands(&*store).await;
    message_log(&*store).await;
    concurrent_logging(store.clone()).await;
    configuration(&*store).await;
    operator_defaults(&*store).await;
    api_tokens(&*store).await;
    accounts(&*store).await;
    logins(&*store).await;
    audit_log(&*store).await;
    activation::activation_requests(&*store).await;
    claims(&*store).await;
    catalog::station_models(&*store).await;
    catalog::station_counts(&*store).await;
    offline::operator_settings(&*store).await;
    offline::station_owner(&*store).await;
    drivers::drivers_and_groups(&*store).await;
    // --- token import in one transaction ---
    drivers::token_import(&*store).await;
    offline::out_of_service(&*store).await;
    handover::handover(&*store).await;
    // --- tariffs and billing ---
    tariffs::tariffs(&*store).await;
    tariffs::assignments(&*store).await;
    tariffs::billing_settings(&*store).await;
    tariffs::session_costs(&*store).await;
    // --- 15-minute intervals and live power ---
    intervals::energy_readings(&*store).await;
    intervals::latest_power(&*store).await;
    // --- quarter summaries ---
    intervals::quarter_summaries(store.clone()).await;
    // --- access rules ---
    access::access_rules(&*store).await;
    // --- password reset ---
    password_reset::password_resets(&*store).await;
    // --- local authorization list sync ---
    local_list::local_list_state(&*store).await;
    local_list::operator_token_facts(&*store).await;
    millisecond_precision(&*store).await;
    closing(&*store).await;
}

// --- helpers ---

/// An instant `secs` seconds after a fixed base that has a millisecond part (so truncation bugs show).
fn t(secs: i64) -> Timestamp {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).single().expect("valid base instant")
        + Duration::milliseconds(123)
        + Duration::seconds(secs)
}

fn sid(s: &str) -> StationId {
    StationId::parse(s).expect("valid station id")
}

fn tag(s: &str) -> IdTag {
    IdTag::parse(s).expect("valid id tag")
}

fn key(s: &str) -> OperatorKey {
    OperatorKey::parse(s).expect("valid operator key")
}

async fn new_operator(store: &dyn Store, name: &str) -> Operator {
    let k = key(&name.to_lowercase().replace(' ', "-"));
    store.create_operator(name, &k).await.unwrap_or_else(|e| panic!("create operator {name}: {e}"))
}

async fn new_station(store: &dyn Store, operator: &Operator, id: &str) -> Station {
    let new = NewStation {
        id: sid(id),
        operator_id: operator.id,
        state: StationState::Active,
        free_vend: false,
        password_hash: None,
        created_at: t(0),
    };
    store.register_station(new).await.unwrap_or_else(|e| panic!("register station {id}: {e}"))
}

fn sample(at: Timestamp, measurand: &str, phase: Option<&str>, value: f64) -> MeterSample {
    MeterSample {
        timestamp: at,
        measurand: measurand.to_string(),
        phase: phase.map(str::to_string),
        location: None,
        context: DEFAULT_CONTEXT.to_string(),
        unit: Some("Wh".to_string()),
        value: Some(value),
        raw: value.to_string(),
        format: None,
    }
}

fn ids(stations: Vec<Station>) -> Vec<String> {
    stations.into_iter().map(|s| s.id.to_string()).collect()
}

#[track_caller]
fn assert_not_found<T: std::fmt::Debug>(result: crate::Result<T>, what: &str) {
    assert!(matches!(result, Err(StoreError::NotFound(_))), "{what}: expected NotFound, got {result:?}");
}

#[track_caller]
fn assert_conflict<T: std::fmt::Debug>(result: crate::Result<T>, what: &str) {
    assert!(matches!(result, Err(StoreError::Conflict(_))), "{what}: expected Conflict, got {result:?}");
}

// --- operators ---

async fn operators(store: &dyn Store) {
    let k = key("acme-key-1");
    let before = now() - Duration::seconds(1);
    let op = store.create_operator("Acme Charging", &k).await.expect("create operator");
    assert_eq!(op.name, "Acme Charging");
    assert_eq!(op.key, k);
    assert!(op.created_at >= before, "created_at is the time of creation: {}", op.created_at);
    assert_eq!(store.operator_by_key(&k).await.unwrap(), Some(op.clone()));
    assert_eq!(store.operator_by_name("Acme Charging").await.unwrap(), Some(op.clone()));
    assert_eq!(store.operator(op.id).await.unwrap(), Some(op.clone()));

    assert_conflict(store.create_operator("Acme Charging", &key("other-key")).await, "duplicate operator name");
    assert_conflict(store.create_operator("Other", &k).await, "duplicate operator key");
    assert_eq!(store.operator_by_name("Other").await.unwrap(), None, "a refused operator is not stored");

    let beta = store.create_operator("Beta Power", &key("beta-key")).await.expect("second operator");
    assert_ne!(beta.id, op.id);
    assert_eq!(store.list_operators().await.unwrap(), vec![op.clone(), beta.clone()], "operators by name");

    assert_eq!(store.operator(OperatorId(987_654)).await.unwrap(), None);
    assert_eq!(store.operator_by_key(&key("no-such-key")).await.unwrap(), None);
    assert_eq!(store.operator_by_name("acme charging").await.unwrap(), None, "names match exactly");
}

// --- stations ---

async fn stations(store: &dyn Store) {
    let a = new_operator(store, "Stations A").await;
    let b = new_operator(store, "Stations B").await;
    let s1 = sid("ST-1");
    let new = NewStation {
        id: s1.clone(),
        operator_id: a.id,
        state: StationState::Active,
        free_vend: true,
        password_hash: Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_string()),
        created_at: t(0),
    };
    let st1 = store.register_station(new.clone()).await.expect("register station");
    assert_eq!(
        st1,
        Station {
            id: s1.clone(),
            operator_id: a.id,
            state: StationState::Active,
            free_vend: true,
            password_hash: new.password_hash.clone(),
            boot: None,
            last_boot_at: None,
            online: false,
            connected_at: None,
            disconnected_at: None,
            last_heartbeat_at: None,
            created_at: t(0),
            owner_id: None,
            out_of_service_since: None,
        }
    );
    assert_eq!(store.station(&s1).await.unwrap(), Some(st1.clone()));
    assert_conflict(
        store.register_station(NewStation { operator_id: b.id, ..new.clone() }).await,
        "a station id is global",
    );
    let orphan = NewStation { id: sid("ST-ORPHAN"), operator_id: OperatorId(987_654), ..new.clone() };
    assert_not_found(store.register_station(orphan).await, "register under a missing operator");
    assert_eq!(store.station(&sid("ST-ORPHAN")).await.unwrap(), None);
    assert_eq!(store.station(&sid("ST-NONE")).await.unwrap(), None);

    // ensure_station creates a pending station once and then returns it unchanged.
    let s2 = sid("ST-2");
    let st2 = store.ensure_station(a.id, &s2, t(10)).await.expect("ensure station");
    assert_eq!(
        (st2.operator_id, st2.state, st2.free_vend, st2.password_hash.clone(), st2.created_at, st2.online),
        (a.id, StationState::Pending, false, None, t(10), false)
    );
    assert_eq!(store.ensure_station(b.id, &s2, t(20)).await.unwrap(), st2, "ensure is idempotent");
    assert_eq!(store.ensure_station(a.id, &s1, t(20)).await.unwrap(), st1, "ensure returns a registered station");
    assert_not_found(
        store.ensure_station(OperatorId(987_654), &sid("ST-ORPHAN"), t(20)).await,
        "ensure under a missing operator",
    );
    let s3 = sid("ST-3");
    store.ensure_station(b.id, &s3, t(30)).await.expect("third station");

    // Filters.
    let list = |filter: StationFilter| async move { ids(store.list_stations(&filter).await.expect("list stations")) };
    assert_eq!(list(StationFilter::default()).await, ["ST-1", "ST-2", "ST-3"]);
    assert_eq!(list(StationFilter { operator_id: Some(a.id), ..Default::default() }).await, ["ST-1", "ST-2"]);
    assert_eq!(list(StationFilter { operator_id: Some(b.id), ..Default::default() }).await, ["ST-3"]);
    assert_eq!(list(StationFilter { state: Some(StationState::Active), ..Default::default() }).await, ["ST-1"]);
    assert_eq!(
        list(StationFilter { state: Some(StationState::Pending), ..Default::default() }).await,
        ["ST-2", "ST-3"]
    );
    assert_eq!(
        list(StationFilter {
            operator_id: Some(a.id),
            state: Some(StationState::Pending),
            online: Some(false),
            ..Default::default()
        })
        .await,
        ["ST-2"]
    );
    // Paging by id: `after` is exclusive, `limit` caps the page, and both combine with the other fields.
    assert_eq!(list(StationFilter { limit: Some(2), ..Default::default() }).await, ["ST-1", "ST-2"]);
    assert_eq!(list(StationFilter { after: Some(sid("ST-1")), ..Default::default() }).await, ["ST-2", "ST-3"]);
    assert_eq!(
        list(StationFilter { after: Some(sid("ST-1")), limit: Some(1), ..Default::default() }).await,
        ["ST-2"],
        "the next page"
    );
    assert_eq!(
        list(StationFilter { after: Some(sid("ST-2")), limit: Some(2), ..Default::default() }).await,
        ["ST-3"],
        "the last page is short"
    );
    assert!(list(StationFilter { after: Some(sid("ST-3")), ..Default::default() }).await.is_empty(), "past the end");
    assert_eq!(
        list(StationFilter { after: Some(sid("ST-15")), ..Default::default() }).await,
        ["ST-2", "ST-3"],
        "after need not be a stored id"
    );
    assert_eq!(
        list(StationFilter { operator_id: Some(a.id), after: Some(sid("ST-1")), ..Default::default() }).await,
        ["ST-2"]
    );
    assert!(list(StationFilter { limit: Some(0), ..Default::default() }).await.is_empty(), "limit 0");
    let mut paged = Vec::new();
    let mut after = None;
    loop {
        let page = list(StationFilter { after: after.clone(), limit: Some(1), ..Default::default() }).await;
        let Some(last) = page.last() else { break };
        after = Some(sid(last));
        paged.extend(page);
    }
    assert_eq!(paged, ["ST-1", "ST-2", "ST-3"], "pages of one cover every station once");
    assert_eq!(list(StationFilter { online: Some(false), ..Default::default() }).await, ["ST-1", "ST-2", "ST-3"]);
    assert!(list(StationFilter { online: Some(true), ..Default::default() }).await.is_empty());

    // State, free vend, password.
    let requested = store.set_station_state(&s2, StationState::Requested).await.expect("set state");
    assert_eq!(requested, Station { state: StationState::Requested, ..st2.clone() });
    assert_eq!(store.station(&s2).await.unwrap(), Some(requested.clone()));
    assert_not_found(
        store.set_station_state(&sid("ST-NONE"), StationState::Active).await,
        "state of a missing station",
    );
    assert!(store.set_station_free_vend(&s2, true).await.expect("free vend on").free_vend);
    assert!(store.station(&s2).await.unwrap().expect("station").free_vend);
    assert!(!store.set_station_free_vend(&s2, false).await.expect("free vend off").free_vend);
    assert_not_found(store.set_station_free_vend(&sid("ST-NONE"), true).await, "free vend of a missing station");
    let with_password = store.set_station_password(&s2, Some("hash-1")).await.expect("set password");
    assert_eq!(with_password.password_hash.as_deref(), Some("hash-1"));
    assert_eq!(store.station(&s2).await.unwrap(), Some(with_password));
    assert_eq!(store.set_station_password(&s2, None).await.expect("clear password").password_hash, None);
    assert_eq!(store.station(&s2).await.unwrap(), Some(requested), "only the changed fields changed");
    assert_not_found(store.set_station_password(&sid("ST-NONE"), None).await, "password of a missing station");

    // Boot data, with every optional field and then with none.
    let full = BootInfo {
        vendor: "Alfen BV".into(),
        model: "NG910-60023".into(),
        serial_number: Some("ACE0123456".into()),
        charge_box_serial_number: Some("CB-0001".into()),
        firmware_version: Some("6.4.0-4184".into()),
        iccid: Some("8931080019091234567".into()),
        imsi: Some("204080123456789".into()),
        meter_type: Some("Eastron SDM630".into()),
        meter_serial_number: Some("MTR-42".into()),
    };
    store.record_boot(&s1, &full, t(40)).await.expect("record boot");
    let booted = store.station(&s1).await.unwrap().expect("station");
    assert_eq!((booted.boot, booted.last_boot_at), (Some(full.clone()), Some(t(40))));
    let minimal = BootInfo { vendor: "ABB".into(), model: "Terra AC".into(), ..Default::default() };
    store.record_boot(&s1, &minimal, t(45)).await.expect("record second boot");
    let booted = store.station(&s1).await.unwrap().expect("station");
    assert_eq!((booted.boot, booted.last_boot_at), (Some(minimal), Some(t(45))), "a boot replaces the last one");
    assert_not_found(store.record_boot(&sid("ST-NONE"), &full, t(45)).await, "boot of a missing station");

    // Connection times.
    store.record_connection(&s1, true, t(50)).await.expect("online");
    let st = store.station(&s1).await.unwrap().expect("station");
    assert_eq!((st.online, st.connected_at, st.disconnected_at), (true, Some(t(50)), None));
    assert_eq!(list(StationFilter { online: Some(true), ..Default::default() }).await, ["ST-1"]);
    store.record_connection(&s1, false, t(60)).await.expect("offline");
    let st = store.station(&s1).await.unwrap().expect("station");
    assert_eq!((st.online, st.connected_at, st.disconnected_at), (false, Some(t(50)), Some(t(60))));
    // A reconnect: the new socket opens, then the old one's close is recorded.
    store.record_connection(&s1, true, t(70)).await.expect("reconnect");
    store.record_connection(&s1, false, t(65)).await.expect("late close");
    let st = store.station(&s1).await.unwrap().expect("station");
    assert_eq!((st.online, st.connected_at, st.disconnected_at), (true, Some(t(70)), Some(t(65))), "late close");
    assert_not_found(store.record_connection(&sid("ST-NONE"), true, t(70)).await, "connection of a missing station");

    store.record_heartbeat(&s1, t(80)).await.expect("heartbeat");
    assert_eq!(store.station(&s1).await.unwrap().expect("station").last_heartbeat_at, Some(t(80)));
    assert_not_found(store.record_heartbeat(&sid("ST-NONE"), t(80)).await, "heartbeat of a missing station");

    store.record_connection(&s3, true, t(75)).await.expect("third online");
    assert_eq!(store.mark_all_offline(t(90)).await.expect("mark all offline"), 2);
    assert!(list(StationFilter { online: Some(true), ..Default::default() }).await.is_empty());
    let st = store.station(&s1).await.unwrap().expect("station");
    assert_eq!((st.online, st.connected_at, st.disconnected_at), (false, Some(t(70)), Some(t(90))));
    assert_eq!(store.station(&s2).await.unwrap().expect("station").disconnected_at, None, "never online: untouched");
    assert_eq!(store.mark_all_offline(t(95)).await.expect("again"), 0);
    assert_eq!(
        store.station(&s1).await.unwrap(),
        Some(Station {
            boot: Some(BootInfo { vendor: "ABB".into(), model: "Terra AC".into(), ..Default::default() }),
            last_boot_at: Some(t(45)),
            online: false,
            connected_at: Some(t(70)),
            disconnected_at: Some(t(90)),
            last_heartbeat_at: Some(t(80)),
            ..st1
        })
    );
}

// --- connectors ---

async fn connectors(store: &dyn Store) {
    // Statuses as the 1.6 adapter reads them: the reported name kept, with its neutral state.
    let st16 = |name: &str| {
        let (state, charging) = match name {
            "Available" => (ConnectorState::Available, None),
            "Charging" => (ConnectorState::Occupied, Some(ChargingState::Charging)),
            "Preparing" => (ConnectorState::Occupied, Some(ChargingState::EvConnected)),
            _ => (ConnectorState::Faulted, None),
        };
        ConnectorStatus::reported(state, charging, name)
    };
    let op = new_operator(store, "Connectors Op").await;
    let s = new_station(store, &op, "CN-1").await.id;
    let available = StatusReport {
        evse_id: 1,
        connector_id: 1,
        status: st16("Available"),
        error_code: "NoError".into(),
        info: None,
        vendor_id: None,
        vendor_error_code: None,
        timestamp: Some(t(100)),
    };
    store.record_status(&s, &available, t(101)).await.expect("status");
    store.record_status(&s, &available, t(102)).await.expect("re-sent status");
    let history = store.status_history(&s, Some(1), 10).await.unwrap();
    assert_eq!(history.len(), 1, "a re-sent status is kept once: {history:?}");
    assert_eq!(history[0].received_at, t(101), "the first receipt is kept");

    let charging = StatusReport {
        evse_id: 1,
        connector_id: 1,
        status: st16("Charging"),
        error_code: "NoError".into(),
        info: Some("plugged in".into()),
        vendor_id: Some("com.vendor".into()),
        vendor_error_code: Some("E0".into()),
        timestamp: Some(t(110)),
    };
    store.record_status(&s, &charging, t(111)).await.expect("charging");
    // Sent late from the station's offline queue: history only.
    let late = StatusReport { status: st16("Preparing"), timestamp: Some(t(105)), ..available.clone() };
    store.record_status(&s, &late, t(112)).await.expect("late status");
    // No station timestamp: each report is kept.
    let faulted = StatusReport {
        evse_id: 2,
        connector_id: 2,
        status: st16("Faulted"),
        error_code: "GroundFailure".into(),
        info: None,
        vendor_id: None,
        vendor_error_code: Some("GF-7".into()),
        timestamp: None,
    };
    store.record_status(&s, &faulted, t(120)).await.expect("faulted");
    store.record_status(&s, &faulted, t(121)).await.expect("faulted again");
    let occupied = StatusReport {
        evse_id: 0,
        connector_id: 0,
        status: ConnectorStatus::of(ConnectorState::Occupied),
        error_code: "OtherError".into(),
        info: None,
        vendor_id: None,
        vendor_error_code: None,
        timestamp: Some(t(130)),
    };
    store.record_status(&s, &occupied, t(130)).await.expect("vendor status");

    let connector =
        |id: u32, status: ConnectorStatus, error: &str, info: Option<&str>, vec: Option<&str>, at| Connector {
            station_id: s.clone(),
            evse_id: id,
            connector_id: id,
            status,
            error_code: error.into(),
            info: info.map(Into::into),
            vendor_error_code: vec.map(Into::into),
            status_at: at,
        };
    assert_eq!(
        store.connectors(&s).await.unwrap(),
        vec![
            connector(0, ConnectorStatus::of(ConnectorState::Occupied), "OtherError", None, None, t(130)),
            connector(1, st16("Charging"), "NoError", Some("plugged in"), Some("E0"), t(110)),
            connector(2, st16("Faulted"), "GroundFailure", None, Some("GF-7"), t(121)),
        ]
    );

    let history = store.status_history(&s, None, 100).await.unwrap();
    let summary: Vec<(u32, String, Option<Timestamp>, Timestamp)> = history
        .iter()
        .map(|r| (r.connector_id, r.status.as_str().to_string(), r.station_time, r.received_at))
        .collect();
    assert_eq!(
        summary,
        vec![
            (0, "Occupied".into(), Some(t(130)), t(130)),
            (2, "Faulted".into(), None, t(121)),
            (2, "Faulted".into(), None, t(120)),
            (1, "Charging".into(), Some(t(110)), t(111)),
            (1, "Preparing".into(), Some(t(105)), t(112)),
            (1, "Available".into(), Some(t(100)), t(101)),
        ],
        "history newest first, by the report's time"
    );
    assert_eq!(
        history[3],
        StatusRecord {
            station_id: s.clone(),
            connector_id: 1,
            status: st16("Charging"),
            error_code: "NoError".into(),
            info: Some("plugged in".into()),
            vendor_id: Some("com.vendor".into()),
            vendor_error_code: Some("E0".into()),
            station_time: Some(t(110)),
            received_at: t(111),
        }
    );
    let one: Vec<String> =
        store.status_history(&s, Some(1), 100).await.unwrap().iter().map(|r| r.status.as_str().to_string()).collect();
    assert_eq!(one, ["Charging", "Preparing", "Available"], "connector filter");
    assert_eq!(store.status_history(&s, Some(1), 2).await.unwrap().len(), 2, "limit");
    assert!(store.status_history(&s, Some(7), 10).await.unwrap().is_empty());

    assert_not_found(store.record_status(&sid("CN-NONE"), &available, t(101)).await, "status of a missing station");
    assert!(store.connectors(&sid("CN-NONE")).await.unwrap().is_empty());
    assert!(store.status_history(&sid("CN-NONE"), None, 10).await.unwrap().is_empty());
}

// --- id tokens ---

async fn id_tokens(store: &dyn Store) {
    let a = new_operator(store, "Tokens A").await;
    let b = new_operator(store, "Tokens B").await;
    let full = IdToken {
        operator_id: a.id,
        tag: tag("04A2B3C4D5E6F7"),
        parent: Some(tag("FLEET-1")),
        expires_at: Some(t(1000)),
        blocked: true,
    };
    assert_eq!(store.add_id_token(&full).await.expect("add token"), full);
    assert_eq!(store.id_token(a.id, &full.tag).await.unwrap(), Some(full.clone()));
    assert_conflict(store.add_id_token(&IdToken { blocked: false, ..full.clone() }).await, "same tag, same operator");
    assert_eq!(store.id_token(a.id, &full.tag).await.unwrap(), Some(full.clone()), "a refused token changes nothing");

    let under_b = IdToken { operator_id: b.id, tag: full.tag.clone(), parent: None, expires_at: None, blocked: false };
    assert_eq!(store.add_id_token(&under_b).await.expect("same tag under another operator"), under_b);
    assert_eq!(store.id_token(b.id, &full.tag).await.unwrap(), Some(under_b.clone()));

    let plain = IdToken { operator_id: a.id, tag: tag("0001"), parent: None, expires_at: None, blocked: false };
    store.add_id_token(&plain).await.expect("second token");
    assert_eq!(store.list_id_tokens(a.id).await.unwrap(), vec![plain.clone(), full.clone()], "tokens by tag");
    assert_eq!(store.list_id_tokens(b.id).await.unwrap(), vec![under_b.clone()]);
    assert_eq!(store.id_token(a.id, &tag("NOPE")).await.unwrap(), None);
    assert_eq!(store.id_token(a.id, &tag("04a2b3c4d5e6f7")).await.unwrap(), None, "tags match exactly");
    assert_not_found(
        store.add_id_token(&IdToken { operator_id: OperatorId(987_654), ..full.clone() }).await,
        "token of a missing operator",
    );
    assert!(store.list_id_tokens(OperatorId(987_654)).await.unwrap().is_empty());

    // Update: parent, expiry and blocked flag are replaced, of this operator's token only.
    let changed = IdToken { parent: None, expires_at: Some(t(2000)), blocked: false, ..full.clone() };
    assert_eq!(store.update_id_token(&changed).await.expect("update token"), changed);
    assert_eq!(store.id_token(a.id, &full.tag).await.unwrap(), Some(changed.clone()), "the update is stored");
    assert_eq!(store.id_token(b.id, &full.tag).await.unwrap(), Some(under_b.clone()), "another operator's token");
    let reparented = IdToken { parent: Some(tag("FLEET-2")), expires_at: None, blocked: true, ..full.clone() };
    assert_eq!(store.update_id_token(&reparented).await.expect("update again"), reparented);
    assert_eq!(store.id_token(a.id, &full.tag).await.unwrap(), Some(reparented.clone()), "expiry cleared");
    assert_not_found(
        store.update_id_token(&IdToken { tag: tag("NOPE"), ..changed.clone() }).await,
        "update of a missing tag",
    );
    assert_eq!(store.id_token(a.id, &tag("NOPE")).await.unwrap(), None, "an update creates nothing");
    assert_not_found(
        store.update_id_token(&IdToken { tag: tag("04a2b3c4d5e6f7"), ..changed.clone() }).await,
        "update matches tags exactly",
    );
    assert_not_found(
        store.update_id_token(&IdToken { operator_id: OperatorId(987_654), ..changed.clone() }).await,
        "update under a missing operator",
    );
    let child = IdToken { operator_id: a.id, tag: tag("CHILD-1"), parent: Some(full.tag.clone()), ..plain.clone() };
    store.add_id_token(&child).await.expect("child token");

    // Delete: the token goes, the operator's others and another operator's same tag stay.
    store.delete_id_token(a.id, &full.tag).await.expect("delete token");
    assert_eq!(store.id_token(a.id, &full.tag).await.unwrap(), None, "deleted");
    assert_eq!(store.list_id_tokens(a.id).await.unwrap(), vec![plain.clone(), child.clone()], "the others stay");
    assert_eq!(store.id_token(b.id, &full.tag).await.unwrap(), Some(under_b.clone()), "per operator");
    assert_not_found(store.delete_id_token(a.id, &full.tag).await, "delete twice");
    assert_not_found(store.delete_id_token(a.id, &tag("NOPE")).await, "delete of a missing tag");
    assert_not_found(store.delete_id_token(OperatorId(987_654), &plain.tag).await, "delete under a missing operator");
    assert_eq!(store.id_token(a.id, &child.tag).await.unwrap(), Some(child), "a child keeps its parent tag");
    assert_not_found(store.update_id_token(&changed).await, "update of a deleted tag");
    assert_eq!(store.add_id_token(&full).await.expect("add the tag again"), full, "a deleted tag can come back");
}

// --- sessions ---

async fn sessions(store: &dyn Store) {
    let a = new_operator(store, "Sessions A").await;
    let b = new_operator(store, "Sessions B").await;
    let s1 = new_station(store, &a, "SE-1").await.id;
    let s2 = new_station(store, &b, "SE-2").await.id;

    let start = SessionStart {
        transaction_id: None,
        station_id: s1.clone(),
        operator_id: a.id,
        connector_id: 1,
        id_tag: tag("DRIVER-1"),
        meter_start_wh: 1000,
        started_at: t(200),
        reservation_id: Some(42),
        authorization: AuthorizationStatus::Accepted,
    };
    let first = store.start_session(&start).await.expect("start");
    assert!(first.created);
    let id = first.session.id;
    assert!(id.0 > 0 && id.0 <= i64::from(i32::MAX), "transaction id {id} fits OCPP 1.6's integer");
    let expected = joule_core::session::Session {
        id,
        transaction_id: TransactionId::of_session(id),
        station_id: s1.clone(),
        operator_id: a.id,
        connector_id: 1,
        id_tag: tag("DRIVER-1"),
        authorization: AuthorizationStatus::Accepted,
        meter_start_wh: 1000,
        started_at: t(200),
        meter_stop_wh: None,
        stopped_at: None,
        stop_reason: None,
        stop_id_tag: None,
        reservation_id: Some(42),
    };
    assert_eq!(first.session, expected);
    assert_eq!(store.session(id).await.unwrap(), Some(expected.clone()));

    // Re-sent: same session, even if the authorization was decided differently the second time.
    let again = store.start_session(&start).await.expect("re-sent start");
    assert_eq!((again.created, again.session), (false, expected.clone()));
    let again = store
        .start_session(&SessionStart {
            authorization: AuthorizationStatus::Invalid,
            reservation_id: None,
            operator_id: b.id,
            ..start.clone()
        })
        .await
        .expect("re-sent start, decided again");
    assert_eq!((again.created, again.session), (false, expected.clone()));

    let other = store.start_session(&SessionStart { meter_start_wh: 1001, ..start.clone() }).await.expect("second");
    assert!(other.created && other.session.id != id, "another natural key, another session");
    let on_s2 = store
        .start_session(&SessionStart {
            transaction_id: None,
            station_id: s2.clone(),
            operator_id: b.id,
            connector_id: 2,
            id_tag: tag("DRIVER-2"),
            meter_start_wh: 0,
            started_at: t(300),
            reservation_id: None,
            authorization: AuthorizationStatus::Invalid,
        })
        .await
        .expect("start on another station");
    assert!(on_s2.created);
    assert_eq!(on_s2.session.authorization, AuthorizationStatus::Invalid);
    assert_eq!(store.session(on_s2.session.id).await.unwrap(), Some(on_s2.session.clone()));

    // The station's transaction id: the session id's text for a station that takes Joule's (OCPP 1.6), the
    // station's own otherwise (2.0.1), found per station.
    assert_eq!(expected.transaction_id.as_str(), id.to_string());
    assert_eq!(store.session_by_transaction(&s1, &expected.transaction_id).await.unwrap(), Some(expected.clone()));
    assert_eq!(store.session_by_transaction(&s2, &expected.transaction_id).await.unwrap(), None, "another station's");
    let unknown = TransactionId::parse("no-such-transaction").unwrap();
    assert_eq!(store.session_by_transaction(&s1, &unknown).await.unwrap(), None);
    assert_not_found(
        store.start_session(&SessionStart { station_id: sid("SE-NONE"), ..start.clone() }).await,
        "start on a missing station",
    );

    // Stop, with samples.
    let mut soc = sample(t(250), "SoC", None, 80.0);
    soc.unit = Some("Percent".into());
    soc.context = "Transaction.End".into();
    let samples = vec![sample(t(250), "Energy.Active.Import.Register", None, 4999.5), soc];
    let stop = SessionStop {
        station_id: s1.clone(),
        transaction_id: id,
        id_tag: Some(tag("DRIVER-1")),
        meter_stop_wh: 5000,
        stopped_at: t(260),
        reason: Some("EVDisconnected".into()),
        samples: samples.clone(),
    };
    let stopped = joule_core::session::Session {
        meter_stop_wh: Some(5000),
        stopped_at: Some(t(260)),
        stop_reason: Some("EVDisconnected".into()),
        stop_id_tag: Some(tag("DRIVER-1")),
        ..expected.clone()
    };
    assert_eq!(store.stop_session(&stop).await.expect("stop"), StopOutcome::Stopped(stopped.clone()));
    assert_eq!(store.session(id).await.unwrap(), Some(stopped.clone()));
    let by_measurand = |mut v: Vec<StoredSample>| {
        v.sort_by(|x, y| x.sample.measurand.cmp(&y.sample.measurand));
        v
    };
    let of_session = MeterFilter { transaction_id: Some(id), ..Default::default() };
    let expected_samples: Vec<StoredSample> = samples
        .iter()
        .map(|s| StoredSample { station_id: s1.clone(), connector_id: 1, transaction_id: Some(id), sample: s.clone() })
        .collect();
    assert_eq!(by_measurand(store.meter_values(&of_session).await.unwrap()), expected_samples, "stop samples");

    assert_eq!(store.stop_session(&stop).await.expect("re-sent stop"), StopOutcome::AlreadyStopped(stopped.clone()));
    let different = SessionStop { meter_stop_wh: 9999, stopped_at: t(270), samples: vec![], ..stop.clone() };
    assert_eq!(store.stop_session(&different).await.expect("late stop"), StopOutcome::AlreadyStopped(stopped.clone()));
    assert_eq!(store.session(id).await.unwrap(), Some(stopped.clone()), "a repeated stop changes nothing");
    assert_eq!(store.meter_values(&of_session).await.unwrap().len(), 2);

    // Stops for transactions Joule does not know (or not for this station).
    let unknown_id = SessionId(2_000_000_000);
    let unknown = SessionStop {
        station_id: s1.clone(),
        transaction_id: unknown_id,
        id_tag: None,
        meter_stop_wh: 777,
        stopped_at: t(270),
        reason: None,
        samples: vec![sample(t(270), "Energy.Active.Import.Register", None, 777.0)],
    };
    assert_eq!(store.stop_session(&unknown).await.expect("unknown stop"), StopOutcome::Unknown);
    assert_eq!(store.stop_session(&unknown).await.expect("unknown stop again"), StopOutcome::Unknown);
    let cross = SessionStop {
        station_id: s2.clone(),
        transaction_id: other.session.id,
        id_tag: Some(tag("DRIVER-9")),
        meter_stop_wh: 1,
        stopped_at: t(280),
        reason: Some("Remote".into()),
        samples: vec![],
    };
    assert_eq!(store.stop_session(&cross).await.expect("stop from another station"), StopOutcome::Unknown);
    assert_eq!(store.session(other.session.id).await.unwrap(), Some(other.session.clone()), "still active");

    let stops = store.unknown_stops(None, 10).await.unwrap();
    let summary: Vec<(String, SessionId)> =
        stops.iter().map(|u| (u.station_id.to_string(), u.transaction_id)).collect();
    assert_eq!(
        summary,
        vec![("SE-2".into(), other.session.id), ("SE-1".into(), unknown_id)],
        "kept once, newest first"
    );
    let u = &stops[1];
    assert_eq!(
        (u.id_tag.clone(), u.meter_stop_wh, u.stopped_at, u.reason.clone()),
        (None, 777, t(270), None),
        "unknown stop fields"
    );
    let c = &stops[0];
    assert_eq!(
        (c.id_tag.clone(), c.reason.clone(), c.stopped_at),
        (Some(tag("DRIVER-9")), Some("Remote".into()), t(280))
    );
    assert_eq!(store.unknown_stops(Some(&s1), 10).await.unwrap(), vec![u.clone()]);
    assert_eq!(store.unknown_stops(None, 1).await.unwrap().len(), 1, "limit");
    let unknown_samples =
        store.meter_values(&MeterFilter { transaction_id: Some(unknown_id), ..Default::default() }).await.unwrap();
    assert_eq!(
        unknown_samples,
        vec![StoredSample {
            station_id: s1.clone(),
            connector_id: 0,
            transaction_id: Some(unknown_id),
            sample: unknown.samples[0].clone()
        }],
        "an unknown stop's samples are kept under connector 0"
    );
    assert_eq!(store.session(SessionId(1_999_999_999)).await.unwrap(), None);

    // Listing: E1 = id (SE-1, t200, stopped), E2 = other (SE-1, t200), E3 = on_s2 (SE-2, t300).
    let (e1, e2, e3) = (id, other.session.id, on_s2.session.id);
    let list = |filter: SessionFilter| async move {
        store.list_sessions(&filter).await.expect("list sessions").into_iter().map(|s| s.id).collect::<Vec<_>>()
    };
    assert_eq!(list(SessionFilter::default()).await, [e3, e2, e1], "newest first");
    assert_eq!(list(SessionFilter { station_id: Some(s1.clone()), ..Default::default() }).await, [e2, e1]);
    assert_eq!(list(SessionFilter { operator_id: Some(b.id), ..Default::default() }).await, [e3]);
    assert_eq!(list(SessionFilter { operator_id: Some(a.id), active_only: true, ..Default::default() }).await, [e2]);
    assert_eq!(list(SessionFilter { since: Some(t(250)), ..Default::default() }).await, [e3]);
    assert_eq!(
        list(SessionFilter { since: Some(t(200)), ..Default::default() }).await,
        [e3, e2, e1],
        "since is inclusive"
    );
    assert_eq!(list(SessionFilter { limit: Some(2), ..Default::default() }).await, [e3, e2]);
    assert_eq!(
        list(SessionFilter { station_id: Some(s1.clone()), active_only: true, limit: Some(1), ..Default::default() })
            .await,
        [e2]
    );
    assert!(list(SessionFilter { station_id: Some(sid("SE-NONE")), ..Default::default() }).await.is_empty());
}

/// The session filters one by one and together; each is compared exactly, `until` is exclusive.
async fn session_filters(store: &dyn Store) {
    let op = new_operator(store, "Session Filters").await;
    let other = new_operator(store, "Session Filters Other").await;
    let s1 = new_station(store, &op, "SF-1").await.id;
    let s2 = new_station(store, &op, "SF-2").await.id;
    let s3 = new_station(store, &other, "SF-3").await.id;
    let start = |station: &StationId, operator: OperatorId, connector: u32, id_tag: &str, at: i64| {
        let start = SessionStart {
            transaction_id: None,
            station_id: station.clone(),
            operator_id: operator,
            connector_id: connector,
            id_tag: tag(id_tag),
            meter_start_wh: 0,
            started_at: t(at),
            reservation_id: None,
            authorization: AuthorizationStatus::Accepted,
        };
        async move { store.start_session(&start).await.expect("start").session.id }
    };
    let f1 = start(&s1, op.id, 1, "SF-TAG-A", 400).await;
    let f2 = start(&s1, op.id, 2, "SF-TAG-B", 410).await;
    let f3 = start(&s2, op.id, 1, "SF-TAG-B", 420).await;
    let f4 = start(&s1, op.id, 1, "SF-TAG-B", 430).await;
    let f5 = start(&s3, other.id, 2, "SF-TAG-A", 415).await;

    let list = |filter: SessionFilter| async move {
        store.list_sessions(&filter).await.expect("list sessions").into_iter().map(|s| s.id).collect::<Vec<_>>()
    };
    let mine = SessionFilter { operator_id: Some(op.id), ..Default::default() };
    assert_eq!(list(mine.clone()).await, [f4, f3, f2, f1]);
    assert_eq!(list(SessionFilter { until: Some(t(420)), ..mine.clone() }).await, [f2, f1], "until is exclusive");
    assert_eq!(list(SessionFilter { until: Some(t(421)), ..mine.clone() }).await, [f3, f2, f1]);
    assert!(list(SessionFilter { until: Some(t(400)), ..mine.clone() }).await.is_empty(), "nothing before");
    assert_eq!(
        list(SessionFilter { since: Some(t(410)), until: Some(t(430)), ..mine.clone() }).await,
        [f3, f2],
        "since..until"
    );
    assert!(
        list(SessionFilter { since: Some(t(420)), until: Some(t(420)), ..mine.clone() }).await.is_empty(),
        "an empty window"
    );
    assert_eq!(
        list(SessionFilter { id_tag: Some(tag("SF-TAG-B")), ..Default::default() }).await,
        [f4, f3, f2],
        "by tag, across stations"
    );
    assert_eq!(
        list(SessionFilter { id_tag: Some(tag("SF-TAG-A")), ..Default::default() }).await,
        [f5, f1],
        "by tag, across operators"
    );
    assert_eq!(list(SessionFilter { id_tag: Some(tag("SF-TAG-A")), ..mine.clone() }).await, [f1]);
    assert!(
        list(SessionFilter { id_tag: Some(tag("sf-tag-b")), ..Default::default() }).await.is_empty(),
        "tags match exactly"
    );
    assert_eq!(list(SessionFilter { connector_id: Some(1), ..mine.clone() }).await, [f4, f3, f1], "by connector");
    assert_eq!(list(SessionFilter { connector_id: Some(2), ..mine.clone() }).await, [f2]);
    assert_eq!(
        list(SessionFilter { id_tag: Some(tag("SF-TAG-A")), connector_id: Some(2), ..Default::default() }).await,
        [f5]
    );
    assert!(list(SessionFilter { connector_id: Some(7), ..mine.clone() }).await.is_empty());
    assert_eq!(
        list(SessionFilter { station_id: Some(s1.clone()), connector_id: Some(1), ..Default::default() }).await,
        [f4, f1],
        "station and connector"
    );
    assert!(
        list(SessionFilter { station_id: Some(s2.clone()), connector_id: Some(2), ..Default::default() })
            .await
            .is_empty(),
        "a connector id is per station"
    );
    assert_eq!(
        list(SessionFilter { id_tag: Some(tag("SF-TAG-B")), connector_id: Some(1), ..Default::default() }).await,
        [f4, f3],
        "tag and connector"
    );
    assert_eq!(
        list(SessionFilter {
            operator_id: Some(op.id),
            station_id: Some(s1.clone()),
            since: Some(t(400)),
            until: Some(t(440)),
            id_tag: Some(tag("SF-TAG-B")),
            connector_id: Some(1),
            active_only: true,
            limit: Some(1),
        })
        .await,
        [f4],
        "every field at once"
    );
    assert_eq!(
        list(SessionFilter { id_tag: Some(tag("SF-TAG-B")), limit: Some(2), ..Default::default() }).await,
        [f4, f3],
        "limit after the filters"
    );
}

/// Deleting an id token leaves the sessions that used its tag whole: they are still read, listed by the
/// tag and stopped.
async fn deleted_tags_keep_sessions(store: &dyn Store) {
    let op = new_operator(store, "Deleted Tags").await;
    let station = new_station(store, &op, "DT-1").await.id;
    let token = IdToken { operator_id: op.id, tag: tag("DT-TAG"), parent: None, expires_at: None, blocked: false };
    store.add_id_token(&token).await.expect("token");
    let started = store
        .start_session(&SessionStart {
            transaction_id: None,
            station_id: station.clone(),
            operator_id: op.id,
            connector_id: 1,
            id_tag: token.tag.clone(),
            meter_start_wh: 10,
            started_at: t(1100),
            reservation_id: None,
            authorization: AuthorizationStatus::Accepted,
        })
        .await
        .expect("session with the tag")
        .session;
    store.delete_id_token(op.id, &token.tag).await.expect("delete a tag that has a session");
    assert_eq!(store.id_token(op.id, &token.tag).await.unwrap(), None, "deleted");
    assert_eq!(store.session(started.id).await.unwrap(), Some(started.clone()), "the session is untouched");
    let of_tag = SessionFilter { id_tag: Some(token.tag.clone()), ..Default::default() };
    assert_eq!(store.list_sessions(&of_tag).await.unwrap(), vec![started.clone()], "and still listed by its tag");
    let stop = SessionStop {
        station_id: station.clone(),
        transaction_id: started.id,
        id_tag: Some(token.tag.clone()),
        meter_stop_wh: 20,
        stopped_at: t(1200),
        reason: None,
        samples: vec![],
    };
    let stopped = joule_core::session::Session {
        meter_stop_wh: Some(20),
        stopped_at: Some(t(1200)),
        stop_id_tag: Some(token.tag.clone()),
        ..started.clone()
    };
    assert_eq!(store.stop_session(&stop).await.expect("stop"), StopOutcome::Stopped(stopped.clone()));
    assert_eq!(store.session(started.id).await.unwrap(), Some(stopped));
    // A session may also start with a tag that has no token (it is recorded even when refused).
    let again = store
        .start_session(&SessionStart {
            transaction_id: None,
            station_id: station,
            operator_id: op.id,
            connector_id: 1,
            id_tag: token.tag.clone(),
            meter_start_wh: 30,
            started_at: t(1300),
            reservation_id: None,
            authorization: AuthorizationStatus::Invalid,
        })
        .await
        .expect("a session with the deleted tag");
    assert!(again.created);
    assert_eq!(store.list_sessions(&of_tag).await.unwrap().len(), 2);
}

/// Transaction ids stay distinct when many starts arrive at once, and a start re-sent (even concurrently)
/// gets its first id back.
async fn concurrent_starts(store: Arc<dyn Store>) {
    let op = new_operator(&*store, "Concurrent Starts").await;
    for i in 0..4 {
        new_station(&*store, &op, &format!("CS-{i}")).await;
    }
    let starts: Vec<SessionStart> = (0..200i64)
        .map(|i| SessionStart {
            transaction_id: None,
            station_id: sid(&format!("CS-{}", i % 4)),
            operator_id: op.id,
            connector_id: (i % 3 + 1) as u32,
            id_tag: tag(&format!("T{i}")),
            meter_start_wh: i * 10,
            started_at: t(400 + i),
            reservation_id: None,
            authorization: AuthorizationStatus::Accepted,
        })
        .collect();
    let run = |starts: Vec<SessionStart>| {
        let store = store.clone();
        async move {
            let tasks: Vec<_> = starts
                .into_iter()
                .map(|start| {
                    let store = store.clone();
                    tokio::spawn(async move { (store.start_session(&start).await, start) })
                })
                .collect();
            let mut out = Vec::new();
            for task in tasks {
                let (result, start) = task.await.expect("start task");
                out.push((result.unwrap_or_else(|e| panic!("concurrent start {}: {e}", start.id_tag)), start));
            }
            out
        }
    };
    let mut first_ids = HashMap::new();
    for (outcome, start) in run(starts.clone()).await {
        assert!(outcome.created, "first start of {}", start.id_tag);
        assert_eq!(outcome.session.id_tag, start.id_tag);
        assert!(outcome.session.id.0 > 0 && outcome.session.id.0 <= i64::from(i32::MAX));
        first_ids.insert(start.id_tag.clone(), outcome.session.id);
    }
    let distinct: HashSet<SessionId> = first_ids.values().copied().collect();
    assert_eq!(distinct.len(), 200, "200 concurrent starts, 200 distinct transaction ids");
    for (outcome, start) in run(starts).await {
        assert!(!outcome.created, "re-sent start of {}", start.id_tag);
        assert_eq!(Some(&outcome.session.id), first_ids.get(&start.id_tag), "re-sent start keeps its id");
    }

    let dup = SessionStart {
        transaction_id: None,
        station_id: sid("CS-0"),
        operator_id: op.id,
        connector_id: 1,
        id_tag: tag("DUP"),
        meter_start_wh: 5,
        started_at: t(999),
        reservation_id: None,
        authorization: AuthorizationStatus::Accepted,
    };
    let outcomes = run(vec![dup; 20]).await;
    assert_eq!(outcomes.iter().filter(|(o, _)| o.created).count(), 1, "one of 20 identical starts creates the session");
    let dup_ids: HashSet<SessionId> = outcomes.iter().map(|(o, _)| o.session.id).collect();
    assert_eq!(dup_ids.len(), 1, "identical starts share one id");
    let on_cs0 = store
        .list_sessions(&SessionFilter { station_id: Some(sid("CS-0")), ..Default::default() })
        .await
        .expect("list sessions");
    assert_eq!(on_cs0.len(), 51);
}

// --- meter values ---

async fn meter_values(store: &dyn Store) {
    let op = new_operator(store, "Meter Op").await;
    let s = new_station(store, &op, "MV-1").await.id;
    let s2 = new_station(store, &op, "MV-2").await.id;
    let full = MeterSample {
        timestamp: t(500),
        measurand: "Current.Import".into(),
        phase: Some("L1".into()),
        location: Some("Outlet".into()),
        context: "Sample.Periodic".into(),
        unit: Some("A".into()),
        value: Some(16.25),
        raw: "16.25".into(),
        format: Some("Raw".into()),
    };
    let opaque = MeterSample {
        timestamp: t(500),
        measurand: "Energy.Active.Import.Register".into(),
        phase: None,
        location: None,
        context: "Sample.Clock".into(),
        unit: None,
        value: None,
        raw: "opaque-signed-blob".into(),
        format: None,
    };
    // Normalisation is the domain's: the store keeps what it is given (1.5 kWh arrives as 1500 Wh).
    let kwh = MeterSample::from_raw(t(500), RawSample { value: "1.5", unit: Some("kWh"), ..Default::default() });
    assert_eq!((kwh.value, kwh.unit.as_deref()), (Some(1500.0), Some("Wh")));
    let precise = MeterSample {
        timestamp: t(500),
        measurand: "Voltage".into(),
        phase: Some("L1-N".into()),
        location: None,
        context: "Sample.Periodic".into(),
        unit: Some("V".into()),
        value: Some(0.1 + 0.2),
        raw: "0.30000000000000004".into(),
        format: None,
    };
    let batch = MeterBatch {
        station_id: s.clone(),
        connector_id: 1,
        transaction_id: Some(SessionId(123_456)),
        samples: vec![full.clone(), opaque.clone(), kwh.clone(), precise.clone()],
    };
    assert_eq!(store.add_meter_values(&batch).await.expect("meter values"), 4);
    assert_eq!(store.add_meter_values(&batch).await.expect("re-sent meter values"), 0, "a re-sent batch adds nothing");

    let window =
        MeterFilter { station_id: Some(s.clone()), since: Some(t(500)), until: Some(t(501)), ..Default::default() };
    let mut stored = store.meter_values(&window).await.unwrap();
    stored.sort_by(|x, y| x.sample.measurand.cmp(&y.sample.measurand));
    let stored_as = |sample: &MeterSample| StoredSample {
        station_id: s.clone(),
        connector_id: 1,
        transaction_id: Some(SessionId(123_456)),
        sample: sample.clone(),
    };
    assert_eq!(stored, vec![stored_as(&full), stored_as(&opaque), stored_as(&kwh), stored_as(&precise)], "round trip");
    assert_eq!(stored[3].sample.value, Some(0.1 + 0.2), "values keep every bit");

    let plain = |at: Timestamp, samples: Vec<MeterSample>| MeterBatch {
        station_id: s.clone(),
        connector_id: 2,
        transaction_id: None,
        samples: samples
            .into_iter()
            .map(|mut x| {
                x.timestamp = at;
                x
            })
            .collect(),
    };
    let energy = sample(t(510), "Energy.Active.Import.Register", None, 10.0);
    assert_eq!(
        store.add_meter_values(&plain(t(510), vec![energy.clone(), energy.clone()])).await.unwrap(),
        1,
        "twice in one batch"
    );
    let phases: Vec<MeterSample> =
        ["L1", "L2", "L3"].iter().map(|p| sample(t(511), "Current.Import", Some(p), 6.0)).collect();
    assert_eq!(store.add_meter_values(&plain(t(511), phases.clone())).await.unwrap(), 3, "phases are distinct samples");
    let mixed = vec![phases[0].clone(), sample(t(511), "Current.Import", Some("N"), 0.5)];
    assert_eq!(store.add_meter_values(&plain(t(511), mixed)).await.unwrap(), 1, "only the new sample counts");
    let mut located = energy.clone();
    located.location = Some("Inlet".into());
    let mut other_context = energy.clone();
    other_context.context = "Sample.Clock".into();
    assert_eq!(store.add_meter_values(&plain(t(510), vec![located, other_context])).await.unwrap(), 2);
    let elsewhere = MeterBatch { station_id: s2.clone(), ..plain(t(510), vec![energy.clone()]) };
    assert_eq!(store.add_meter_values(&elsewhere).await.unwrap(), 1, "same sample, another station");
    let other_connector = MeterBatch { connector_id: 3, ..plain(t(510), vec![energy.clone()]) };
    assert_eq!(store.add_meter_values(&other_connector).await.unwrap(), 1, "same sample, another connector");

    // Late samples from an offline queue are stored like any other.
    let late = plain(t(-86_400), vec![sample(t(-86_400), "Energy.Active.Import.Register", None, 1.0)]);
    assert_eq!(store.add_meter_values(&late).await.unwrap(), 1, "late sample");
    // Two instants within one millisecond are one sample.
    let sub_ms = plain(t(520) + Duration::microseconds(400), vec![energy.clone()]);
    assert_eq!(store.add_meter_values(&sub_ms).await.unwrap(), 1);
    assert_eq!(store.add_meter_values(&plain(t(520), vec![energy.clone()])).await.unwrap(), 0, "same millisecond");
    assert_eq!(store.add_meter_values(&plain(t(530), vec![])).await.unwrap(), 0, "an empty batch");

    let all = store.meter_values(&MeterFilter { station_id: Some(s.clone()), ..Default::default() }).await.unwrap();
    assert_eq!(all.len(), 4 + 1 + 4 + 2 + 1 + 1 + 1);
    assert_eq!(all[0].sample.timestamp, t(-86_400), "oldest first");
    assert!(all.windows(2).all(|w| w[0].sample.timestamp <= w[1].sample.timestamp), "oldest first");
    assert_eq!(all.last().map(|x| x.sample.timestamp), Some(t(520)), "stored to the millisecond");
    let count = |filter: MeterFilter| async move { store.meter_values(&filter).await.expect("meter values").len() };
    let of_s = MeterFilter { station_id: Some(s.clone()), ..Default::default() };
    assert_eq!(count(MeterFilter { transaction_id: Some(SessionId(123_456)), ..Default::default() }).await, 4);
    assert_eq!(count(MeterFilter { until: Some(t(500)), ..of_s.clone() }).await, 1, "until is exclusive");
    assert_eq!(count(MeterFilter { since: Some(t(511)), ..of_s.clone() }).await, 4 + 1);
    assert_eq!(count(MeterFilter { limit: Some(3), ..of_s.clone() }).await, 3);
    assert_eq!(count(MeterFilter { station_id: Some(s2.clone()), ..Default::default() }).await, 1);

    let missing = MeterBatch { station_id: sid("MV-NONE"), ..plain(t(510), vec![energy]) };
    assert_not_found(store.add_meter_values(&missing).await, "meter values of a missing station");
}

/// Many writers at once, mixing meter values with other writes: every one succeeds and everything is
/// stored.
async fn concurrent_writers(store: Arc<dyn Store>) {
    const TASKS: i64 = 50;
    const ROUNDS: i64 = 20;
    let op = new_operator(&*store, "Load Op").await;
    for i in 0..5 {
        new_station(&*store, &op, &format!("LD-{i}")).await;
    }
    let tasks: Vec<_> = (0..TASKS)
        .map(|k| {
            let store = store.clone();
            tokio::spawn(async move {
                let station = sid(&format!("LD-{}", k % 5));
                let connector = (k + 1) as u32;
                for j in 0..ROUNDS {
                    let at = t(1000 + j);
                    let batch = MeterBatch {
                        station_id: station.clone(),
                        connector_id: connector,
                        transaction_id: Some(SessionId(k)),
                        samples: vec![
                            sample(at, "Energy.Active.Import.Register", None, (j * 100) as f64),
                            sample(at, "Power.Active.Import", None, 7200.0),
                            sample(at, "Current.Import", Some("L1"), 32.0),
                        ],
                    };
                    let new = store.add_meter_values(&batch).await.unwrap_or_else(|e| panic!("task {k}: {e}"));
                    assert_eq!(new, 3, "task {k} round {j}");
                    store.record_heartbeat(&station, at).await.unwrap_or_else(|e| panic!("task {k}: {e}"));
                    let report = StatusReport {
                        evse_id: connector,
                        connector_id: connector,
                        status: ConnectorStatus::of(ConnectorState::Occupied),
                        error_code: "NoError".into(),
                        info: None,
                        vendor_id: None,
                        vendor_error_code: None,
                        timestamp: Some(at),
                    };
                    store.record_status(&station, &report, at).await.unwrap_or_else(|e| panic!("task {k}: {e}"));
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("writer task");
    }
    for i in 0..5 {
        let station = sid(&format!("LD-{i}"));
        let filter = MeterFilter { station_id: Some(station.clone()), ..Default::default() };
        let stored = store.meter_values(&filter).await.expect("meter values");
        assert_eq!(stored.len() as i64, TASKS / 5 * ROUNDS * 3, "every sample of station LD-{i} is stored");
        let history = store.status_history(&station, None, 10_000).await.expect("history");
        assert_eq!(history.len() as i64, TASKS / 5 * ROUNDS, "every status of station LD-{i} is stored");
        assert_eq!(store.connectors(&station).await.expect("connectors").len() as i64, TASKS / 5);
    }
}

/// A failing write fails alone: the writes that arrive with it (likely in the same transaction) commit.
async fn failures_stay_alone(store: Arc<dyn Store>) {
    let op = new_operator(&*store, "Isolation Op").await;
    let s = new_station(&*store, &op, "IS-1").await.id;
    let tasks: Vec<_> = (0..120i64)
        .map(|i| {
            let store = store.clone();
            let s = s.clone();
            tokio::spawn(async move {
                let missing = sid("IS-NONE");
                let at = t(2000 + i);
                let samples = vec![sample(at, "Energy.Active.Import.Register", None, i as f64)];
                match i % 6 {
                    0 | 2 | 4 => {
                        let batch = MeterBatch { station_id: s, connector_id: 1, transaction_id: None, samples };
                        assert_eq!(store.add_meter_values(&batch).await.expect("good batch"), 1);
                    }
                    1 => {
                        let batch = MeterBatch { station_id: missing, connector_id: 1, transaction_id: None, samples };
                        assert_not_found(store.add_meter_values(&batch).await, "batch of a missing station");
                    }
                    3 => assert_not_found(store.record_heartbeat(&missing, at).await, "heartbeat of a missing station"),
                    _ => assert_conflict(
                        store.create_operator("Isolation Op", &key(&format!("isolation-{i}"))).await,
                        "taken operator name",
                    ),
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("isolation task");
    }
    let stored =
        store.meter_values(&MeterFilter { station_id: Some(s), ..Default::default() }).await.expect("meter values");
    assert_eq!(stored.len(), 60, "every good batch is stored");
    assert_eq!(store.station(&sid("IS-NONE")).await.unwrap(), None);
}

// --- station events ---

async fn station_events(store: &dyn Store) {
    let op = new_operator(store, "Events Op").await;
    let s = new_station(store, &op, "EV-1").await.id;
    let other = new_station(store, &op, "EV-2").await.id;
    let event = |kind: &str, detail: &str, at| StationEvent {
        station_id: s.clone(),
        kind: kind.into(),
        detail: detail.into(),
        at,
    };
    let e1 = event("DataTransfer", "vendorId=com.acme messageId=Hello", t(600));
    let e2 = event("FirmwareStatusNotification", "Installed", t(610));
    let e3 = event("SecurityEventNotification", "type=FirmwareUpdated", t(605));
    for e in [&e1, &e2, &e3] {
        store.record_station_event(e).await.expect("event");
    }
    assert_eq!(store.station_events(&s, 10).await.unwrap(), vec![e2.clone(), e3.clone(), e1], "newest first");
    assert_eq!(store.station_events(&s, 2).await.unwrap(), vec![e2, e3.clone()], "limit");
    assert!(store.station_events(&other, 10).await.unwrap().is_empty());
    assert_not_found(
        store.record_station_event(&StationEvent { station_id: sid("EV-NONE"), ..e3 }).await,
        "event of a missing station",
    );
}

// --- outbox ---

async fn outbox(store: &dyn Store) {
    let op = new_operator(store, "Outbox Op").await;
    let s1 = new_station(store, &op, "OB-1").await.id;
    let s2 = new_station(store, &op, "OB-2").await.id;
    let i1 = store.push_outbox(&s1, OutboxKind::TriggerBoot, t(700)).await.expect("push");
    let i2 = store.push_outbox(&s2, OutboxKind::TriggerBoot, t(701)).await.expect("push");
    let i3 = store.push_outbox(&s1, OutboxKind::TriggerBoot, t(702)).await.expect("push");
    assert_eq!(i1, OutboxItem { id: i1.id, station_id: s1.clone(), kind: OutboxKind::TriggerBoot, created_at: t(700) });
    assert!(i1.id < i2.id && i2.id < i3.id, "outbox ids increase");
    assert_eq!(store.open_outbox(0, 10).await.unwrap(), vec![i1.clone(), i2.clone(), i3.clone()], "oldest first");
    assert_eq!(store.open_outbox(i1.id, 10).await.unwrap(), vec![i2.clone(), i3.clone()], "after");
    assert_eq!(store.open_outbox(0, 2).await.unwrap(), vec![i1.clone(), i2.clone()], "limit");

    store.close_outbox(i2.id, "sent", t(710)).await.expect("close");
    assert_eq!(store.open_outbox(0, 10).await.unwrap(), vec![i1.clone(), i3.clone()], "a closed item is not open");
    store.close_outbox(i2.id, "sent again", t(720)).await.expect("closing a closed item is harmless");
    assert_eq!(store.open_outbox(0, 10).await.unwrap(), vec![i1, i3.clone()]);
    assert_not_found(store.close_outbox(i3.id + 1000, "sent", t(720)).await, "close of a missing item");
    assert_not_found(
        store.push_outbox(&sid("OB-NONE"), OutboxKind::TriggerBoot, t(720)).await,
        "outbox item of a missing station",
    );
}

// --- command history ---

async fn commands(store: &dyn Store) {
    let op = new_operator(store, "Commands Op").await;
    let s = new_station(store, &op, "CMD-1").await.id;
    let other = new_station(store, &op, "CMD-2").await.id;
    let command = |action: &str, at| NewCommand {
        station_id: s.clone(),
        action: action.into(),
        payload_json: r#"{"type":"Soft"}"#.into(),
        requested_by: "token:ops-dashboard".into(),
        requested_at: at,
    };
    let reset = store.record_command(&command("Reset", t(900))).await.expect("record");
    let get = store.record_command(&command("GetConfiguration", t(902))).await.expect("record");
    let change = store.record_command(&command("ChangeConfiguration", t(901))).await.expect("record");
    let offline = store.record_command(&command("ClearCache", t(903))).await.expect("record");
    assert!(reset < get && get < change && change < offline, "command ids increase");
    store.record_command(&NewCommand { station_id: other.clone(), ..command("Reset", t(904)) }).await.expect("other");

    let pending = store.list_commands(&s, 10).await.unwrap();
    assert_eq!(
        pending[3],
        CommandRecord {
            id: reset,
            station_id: s.clone(),
            action: "Reset".into(),
            payload_json: r#"{"type":"Soft"}"#.into(),
            requested_by: "token:ops-dashboard".into(),
            requested_at: t(900),
            outcome: None,
            transaction_id: None,
        },
        "a pending command round-trips"
    );
    assert_eq!(store.command(reset).await.unwrap().as_ref(), Some(&pending[3]), "one command by id");

    let answered = CommandOutcome {
        kind: CommandOutcomeKind::Answered,
        answer_json: Some(r#"{"status":"Accepted"}"#.into()),
        error: None,
        finished_at: t(905),
        latency_ms: Some(412),
    };
    let call_error = CommandOutcome {
        kind: CommandOutcomeKind::CallError,
        answer_json: None,
        error: Some("NotSupported: no such key".into()),
        finished_at: t(906),
        latency_ms: Some(30_000),
    };
    let not_sent = CommandOutcome {
        kind: CommandOutcomeKind::Offline,
        answer_json: None,
        error: None,
        finished_at: t(903),
        latency_ms: None,
    };
    store.finish_command(reset, &answered).await.expect("finish");
    store.finish_command(change, &call_error).await.expect("finish");
    store.finish_command(offline, &not_sent).await.expect("finish");
    store.finish_command(reset, &call_error).await.expect("finishing again is harmless");

    let listed = store.list_commands(&s, 10).await.unwrap();
    let ids: Vec<i64> = listed.iter().map(|c| c.id).collect();
    assert_eq!(ids, vec![offline, get, change, reset], "newest first, by request time");
    assert_eq!(listed[3].outcome, Some(answered.clone()), "all outcome fields, and the first outcome is kept");
    assert_eq!(listed[2].outcome, Some(call_error));
    assert_eq!(listed[1].outcome, None, "still pending");
    assert_eq!(listed[0].outcome, Some(not_sent.clone()));
    assert_eq!(store.list_commands(&s, 2).await.unwrap().len(), 2, "limit");
    assert_eq!(store.list_commands(&other, 10).await.unwrap().len(), 1, "per station");

    for kind in CommandOutcomeKind::ALL {
        assert_eq!(CommandOutcomeKind::parse(kind.as_str()), Some(kind));
        let id = store.record_command(&command("Reset", t(910))).await.expect("record");
        store.finish_command(id, &CommandOutcome { kind, ..not_sent.clone() }).await.expect("finish");
        let back = store.list_commands(&s, 1).await.unwrap().remove(0);
        assert_eq!(back.outcome.map(|o| o.kind), Some(kind), "every outcome kind round-trips");
    }

    assert_not_found(store.finish_command(offline + 1000, &not_sent).await, "finish of a missing command");

    // One command by id, with its outcome.
    let listed_reset = listed[3].clone();
    assert_eq!(store.command(reset).await.unwrap(), Some(listed_reset.clone()));
    assert_eq!(
        store.command(get).await.unwrap().map(|c| (c.action, c.outcome)),
        Some(("GetConfiguration".into(), None))
    );
    assert_eq!(store.command(offline + 1000).await.unwrap(), None, "a missing command");

    // The transaction a command led to: set, kept through a finish, overwritten, per command.
    let remote = store.record_command(&command("RemoteStartTransaction", t(920))).await.expect("record");
    assert_eq!(store.command(remote).await.unwrap().expect("command").transaction_id, None, "none at first");
    store.set_command_transaction(remote, SessionId(4242)).await.expect("set transaction");
    store.finish_command(remote, &answered).await.expect("finish");
    let back = store.command(remote).await.unwrap().expect("command");
    assert_eq!(
        (back.transaction_id, back.outcome.clone()),
        (Some(SessionId(4242)), Some(answered.clone())),
        "the transaction and the outcome"
    );
    assert_eq!(store.list_commands(&s, 1).await.unwrap(), vec![back.clone()], "listed with its transaction");
    store.set_command_transaction(remote, SessionId(4243)).await.expect("set again");
    assert_eq!(
        store.command(remote).await.unwrap(),
        Some(CommandRecord { transaction_id: Some(SessionId(4243)), ..back }),
        "setting again overwrites, and changes nothing else"
    );
    assert_eq!(store.command(reset).await.unwrap(), Some(listed_reset), "other commands are untouched");
    assert_not_found(
        store.set_command_transaction(remote + 1000, SessionId(1)).await,
        "transaction of a missing command",
    );
    assert_eq!(store.command(remote + 1000).await.unwrap(), None, "creates nothing");
    assert_not_found(
        store.record_command(&NewCommand { station_id: sid("CMD-NONE"), ..command("Reset", t(900)) }).await,
        "command to a missing station",
    );
}

// --- message log ---

async fn message_log(store: &dyn Store) {
    let s1 = sid("LOG-1");
    let s2 = sid("LOG-2");
    let frame = |station: &StationId, at, direction, message_type, action: Option<&str>, n: usize| LoggedMessage {
        station_id: station.clone(),
        at,
        direction,
        message_type,
        message_id: format!("m-{n}"),
        action: action.map(str::to_string),
        text: format!(r#"[2,"m-{n}","Heartbeat",{{}}]"#),
    };
    let heartbeat_in = frame(&s1, t(1000), Direction::In, 2, Some("Heartbeat"), 1);
    let heartbeat_out = frame(&s1, t(1000), Direction::Out, 3, Some("Heartbeat"), 1);
    let reset = frame(&s1, t(1001), Direction::Out, 2, Some("Reset"), 2);
    let reset_error = frame(&s1, t(1002), Direction::In, 4, None, 2);
    let other = frame(&s2, t(1000), Direction::In, 2, Some("Heartbeat"), 3);
    store
        .log_messages(&[reset.clone(), heartbeat_in.clone(), heartbeat_out.clone(), other.clone()])
        .await
        .expect("log, of a station the store does not know too");
    store.log_messages(std::slice::from_ref(&reset_error)).await.expect("log");
    store.log_messages(&[]).await.expect("an empty batch");

    let station = |s: &StationId| MessageFilter { station_id: Some(s.clone()), ..Default::default() };
    assert_eq!(
        store.messages(&station(&s1)).await.unwrap(),
        vec![heartbeat_in.clone(), heartbeat_out.clone(), reset.clone(), reset_error.clone()],
        "oldest first, then in the order logged; all fields round-trip"
    );
    assert_eq!(store.messages(&station(&s2)).await.unwrap(), vec![other.clone()]);
    let window = MessageFilter { since: Some(t(1000)), until: Some(t(1002)), ..station(&s1) };
    assert_eq!(
        store.messages(&window).await.unwrap(),
        vec![heartbeat_in.clone(), heartbeat_out.clone(), reset.clone()],
        "since is inclusive, until exclusive"
    );
    let by_action = MessageFilter { action: Some("Heartbeat".into()), ..Default::default() };
    assert_eq!(store.messages(&by_action).await.unwrap(), vec![heartbeat_in.clone(), heartbeat_out, other]);
    let limited = MessageFilter { limit: Some(1), ..station(&s1) };
    assert_eq!(store.messages(&limited).await.unwrap(), vec![heartbeat_in]);

    // A batch of 1,000 frames, as the gateway hands them over under load.
    let s3 = sid("LOG-3");
    let many: Vec<LoggedMessage> = (0..1000)
        .map(|n| frame(&s3, t(2000) + Duration::milliseconds(n as i64), Direction::In, 2, Some("MeterValues"), n))
        .collect();
    store.log_messages(&many).await.expect("a batch of 1000");
    assert_eq!(store.messages(&station(&s3)).await.unwrap(), many, "every frame, in order");

    assert_eq!(store.purge_messages(t(1001)).await.unwrap(), 3, "the frames before the cut-off");
    assert_eq!(store.messages(&station(&s1)).await.unwrap(), vec![reset, reset_error]);
    assert_eq!(store.purge_messages(t(1001)).await.unwrap(), 0, "a second purge finds nothing");
    assert_eq!(store.purge_messages(t(2000) + Duration::milliseconds(500)).await.unwrap(), 502);
    assert_eq!(store.messages(&station(&s3)).await.unwrap().len(), 500);
}

/// Many connections log at once, so their frames share transactions; every frame is stored, each
/// connection's in its order.
async fn concurrent_logging(store: Arc<dyn Store>) {
    let mut tasks = Vec::new();
    for k in 0..20 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let station = sid(&format!("LOG-C{k}"));
            for round in 0..5 {
                let frames: Vec<LoggedMessage> = (0..10)
                    .map(|n| LoggedMessage {
                        station_id: station.clone(),
                        at: t(3000 + round * 10 + n),
                        direction: Direction::In,
                        message_type: 2,
                        message_id: format!("{round}-{n}"),
                        action: Some("StatusNotification".into()),
                        text: "[]".into(),
                    })
                    .collect();
                store.log_messages(&frames).await.unwrap_or_else(|e| panic!("log {station}: {e}"));
            }
            station
        }));
    }
    for task in tasks {
        let station = task.await.expect("logging task");
        let filter = MessageFilter { station_id: Some(station.clone()), ..Default::default() };
        let logged = store.messages(&filter).await.unwrap();
        let ids: Vec<String> = logged.into_iter().map(|m| m.message_id).collect();
        let expected: Vec<String> = (0..5).flat_map(|r| (0..10).map(move |n| format!("{r}-{n}"))).collect();
        assert_eq!(ids, expected, "every frame of {station}, in order");
    }
}

// --- configuration keys ---

async fn configuration(store: &dyn Store) {
    let op = new_operator(store, "Config Op").await;
    let s = new_station(store, &op, "CFG-1").await.id;
    let other = new_station(store, &op, "CFG-2").await.id;
    let key = |k: &str, v: Option<&str>, readonly| ConfigKey { key: k.into(), value: v.map(str::to_string), readonly };
    let stored = |k: &str, v: Option<&str>, readonly, read_at, changed_at| StoredConfigKey {
        key: k.into(),
        value: v.map(str::to_string),
        readonly,
        read_at,
        changed_at,
    };
    assert!(store.configuration(&s).await.unwrap().is_empty());
    let read = [
        key("MeterValueSampleInterval", Some("0"), false),
        key("HeartbeatInterval", Some("300"), false),
        key("ChargePointVendorSpecific", None, true),
        key("NumberOfConnectors", Some("2"), true),
    ];
    store.store_configuration(&s, &read, t(1100)).await.expect("store");
    assert_eq!(
        store.configuration(&s).await.unwrap(),
        vec![
            stored("ChargePointVendorSpecific", None, true, Some(t(1100)), None),
            stored("HeartbeatInterval", Some("300"), false, Some(t(1100)), None),
            stored("MeterValueSampleInterval", Some("0"), false, Some(t(1100)), None),
            stored("NumberOfConnectors", Some("2"), true, Some(t(1100)), None),
        ],
        "by key, with readonly and read_at"
    );
    assert!(store.configuration(&other).await.unwrap().is_empty(), "per station");

    // ChangeConfiguration Accepted, of a known key and of one GetConfiguration did not report.
    store.set_configuration_value(&s, "MeterValueSampleInterval", "30", t(1110)).await.expect("set");
    store.set_configuration_value(&s, "VendorKey", "on", t(1111)).await.expect("set an unknown key");
    // A later GetConfiguration of some keys only: those are replaced, the others kept.
    store
        .store_configuration(
            &s,
            &[key("HeartbeatInterval", Some("60"), false), key("MeterValueSampleInterval", Some("31"), false)],
            t(1120),
        )
        .await
        .expect("store again");
    assert_eq!(
        store.configuration(&s).await.unwrap(),
        vec![
            stored("ChargePointVendorSpecific", None, true, Some(t(1100)), None),
            stored("HeartbeatInterval", Some("60"), false, Some(t(1120)), None),
            stored("MeterValueSampleInterval", Some("31"), false, Some(t(1120)), Some(t(1110))),
            stored("NumberOfConnectors", Some("2"), true, Some(t(1100)), None),
            stored("VendorKey", Some("on"), false, None, Some(t(1111))),
        ]
    );
    store.store_configuration(&s, &read, t(1100)).await.expect("storing the same read twice");
    store.store_configuration(&s, &read, t(1100)).await.expect("is idempotent");
    assert_eq!(store.configuration(&s).await.unwrap().len(), 5);

    let missing = sid("CFG-NONE");
    assert_not_found(store.store_configuration(&missing, &read, t(1100)).await, "configuration of a missing station");
    assert_not_found(store.store_configuration(&missing, &[], t(1100)).await, "empty configuration, missing station");
    assert_not_found(store.set_configuration_value(&missing, "K", "V", t(1100)).await, "set on a missing station");
}

// --- operator default configuration ---

async fn operator_defaults(store: &dyn Store) {
    let op = new_operator(store, "Defaults Op").await;
    let other = new_operator(store, "Defaults Other").await;
    let s = new_station(store, &op, "DEF-1").await.id;
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    };
    assert!(store.operator_defaults(op.id).await.unwrap().is_empty());
    let defaults = pairs(&[
        ("MeterValueSampleInterval", "30"),
        ("ClockAlignedDataInterval", "900"),
        ("MeterValuesAlignedData", "Energy.Active.Import.Register"),
    ]);
    store.set_operator_defaults(op.id, &defaults).await.expect("set");
    assert_eq!(store.operator_defaults(op.id).await.unwrap(), defaults, "in the order given");
    assert!(store.operator_defaults(other.id).await.unwrap().is_empty(), "per operator");
    store.set_operator_defaults(op.id, &defaults).await.expect("setting the same list again");
    assert_eq!(store.operator_defaults(op.id).await.unwrap(), defaults, "is idempotent");

    let replaced = pairs(&[("HeartbeatInterval", "300"), ("MeterValueSampleInterval", "60")]);
    store.set_operator_defaults(op.id, &replaced).await.expect("replace");
    assert_eq!(store.operator_defaults(op.id).await.unwrap(), replaced, "the list is replaced");
    assert_conflict(store.set_operator_defaults(op.id, &pairs(&[("A", "1"), ("A", "2")])).await, "a key given twice");
    assert_eq!(store.operator_defaults(op.id).await.unwrap(), replaced, "a refused list changes nothing");
    // An empty list clears the operator's defaults (there is no separate delete), and only that operator's.
    let others = pairs(&[("HeartbeatInterval", "600")]);
    store.set_operator_defaults(other.id, &others).await.expect("the other operator's");
    store.set_operator_defaults(op.id, &[]).await.expect("clear");
    assert!(store.operator_defaults(op.id).await.unwrap().is_empty(), "cleared");
    assert_eq!(store.operator_defaults(other.id).await.unwrap(), others, "another operator's list stays");
    store.set_operator_defaults(op.id, &[]).await.expect("clearing an empty list");
    assert!(store.operator_defaults(op.id).await.unwrap().is_empty());
    assert_not_found(store.set_operator_defaults(OperatorId(op.id.0 + 1000), &[]).await, "clear of a missing operator");
    store.set_operator_defaults(op.id, &replaced).await.expect("set after clearing");
    assert_eq!(store.operator_defaults(op.id).await.unwrap(), replaced, "a cleared list can be set again");
    store.set_operator_defaults(op.id, &[]).await.expect("clear again");
    assert!(store.operator_defaults(op.id).await.unwrap().is_empty());
    assert_not_found(store.set_operator_defaults(OperatorId(op.id.0 + 1000), &replaced).await, "missing operator");

    let result = |k: &str, v: &str, r: &str, at| DefaultResult { key: k.into(), value: v.into(), result: r.into(), at };
    store.record_default_result(&s, "MeterValueSampleInterval", "30", "Rejected", t(1200)).await.expect("record");
    store
        .record_default_result(&s, "ClockAlignedDataInterval", "900", "RebootRequired", t(1201))
        .await
        .expect("record");
    store.record_default_result(&s, "VendorKey", "x", "NotSupported", t(1202)).await.expect("record");
    store.record_default_result(&s, "MeterValueSampleInterval", "60", "Accepted", t(1210)).await.expect("again");
    assert_eq!(
        store.default_results(&s).await.unwrap(),
        vec![
            result("ClockAlignedDataInterval", "900", "RebootRequired", t(1201)),
            result("MeterValueSampleInterval", "60", "Accepted", t(1210)),
            result("VendorKey", "x", "NotSupported", t(1202)),
        ],
        "by key, the last result per key"
    );
    assert_not_found(
        store.record_default_result(&sid("DEF-NONE"), "K", "V", "Accepted", t(1200)).await,
        "result for a missing station",
    );
}

// --- API tokens ---

async fn api_tokens(store: &dyn Store) {
    let op = new_operator(store, "Tokens Op").await;
    let other = new_operator(store, "Tokens Other").await;
    let hash = |n: u8| format!("{:064x}", n);
    let new = |operator: OperatorId, role, name: &str, n| NewApiToken {
        operator_id: operator,
        role,
        name: name.into(),
        token_hash: hash(n),
        created_at: t(1300),
    };
    let admin = store.create_api_token(&new(op.id, Role::Admin, "ci", 1)).await.expect("create");
    assert_eq!(
        admin,
        ApiToken {
            id: admin.id,
            operator_id: op.id,
            role: Role::Admin,
            name: "ci".into(),
            created_at: t(1300),
            last_used_at: None,
            revoked_at: None,
        }
    );
    let viewer = store.create_api_token(&new(op.id, Role::Viewer, "dashboard", 2)).await.expect("create");
    let operator = store.create_api_token(&new(op.id, Role::Operator, "bot", 3)).await.expect("create");
    let elsewhere = store.create_api_token(&new(other.id, Role::Viewer, "ci", 4)).await.expect("same name, other op");
    assert_conflict(store.create_api_token(&new(op.id, Role::Viewer, "ci", 5)).await, "same name, same operator");
    assert_conflict(store.create_api_token(&new(op.id, Role::Viewer, "fresh", 1)).await, "same hash");
    assert_not_found(
        store.create_api_token(&new(OperatorId(other.id.0 + 1000), Role::Viewer, "x", 6)).await,
        "token of a missing operator",
    );

    assert_eq!(store.api_token_by_hash(&hash(2)).await.unwrap(), Some(viewer.clone()));
    assert_eq!(store.api_token_by_hash(&hash(9)).await.unwrap(), None);
    assert_eq!(
        store.list_api_tokens(op.id).await.unwrap(),
        vec![operator.clone(), admin.clone(), viewer.clone()],
        "by name"
    );
    assert_eq!(store.list_api_tokens(other.id).await.unwrap(), vec![elsewhere]);

    store.touch_api_token(viewer.id, t(1310)).await.expect("touch");
    store.touch_api_token(viewer.id, t(1305)).await.expect("an older touch");
    let touched = store.api_token_by_hash(&hash(2)).await.unwrap().expect("token");
    assert_eq!(touched.last_used_at, Some(t(1310)), "the latest use is kept");

    store.revoke_api_token(viewer.id, t(1320)).await.expect("revoke");
    store.revoke_api_token(viewer.id, t(1330)).await.expect("revoking again is harmless");
    let revoked = store.api_token_by_hash(&hash(2)).await.unwrap().expect("a revoked token is still found");
    assert_eq!(revoked, ApiToken { last_used_at: Some(t(1310)), revoked_at: Some(t(1320)), ..viewer });
    assert_not_found(store.revoke_api_token(operator.id + 1000, t(1320)).await, "revoke of a missing token");
    assert_not_found(store.touch_api_token(operator.id + 1000, t(1320)).await, "touch of a missing token");
}

// --- accounts, logins, audit log ---

fn email(s: &str) -> Email {
    Email::parse(s).expect("valid e-mail address")
}

fn new_account(address: &str, role: AccountRole, operator: Option<OperatorId>) -> NewAccount {
    NewAccount {
        email: email(address),
        name: format!("Name of {address}"),
        role,
        operator_id: operator,
        owner_kind: None,
        company_number: None,
        password_hash: format!("hash of {address}"),
        created_at: t(1400),
    }
}

async fn accounts(store: &dyn Store) {
    let op = new_operator(store, "Accounts Op").await;
    let other = new_operator(store, "Accounts Other").await;

    let owner = store
        .create_account(&NewAccount {
            owner_kind: Some(OwnerKind::Company),
            company_number: Some("NL-12345678".into()),
            ..new_account("owner@example.com", AccountRole::Owner, Some(op.id))
        })
        .await
        .expect("create owner");
    assert_eq!(
        owner,
        Account {
            id: owner.id,
            email: email("owner@example.com"),
            name: "Name of owner@example.com".into(),
            role: AccountRole::Owner,
            operator_id: Some(op.id),
            owner_kind: Some(OwnerKind::Company),
            company_number: Some("NL-12345678".into()),
            approved_at: None,
            approved_by: None,
            created_at: t(1400),
            disabled_at: None,
        }
    );
    assert_eq!(store.account(owner.id).await.unwrap(), Some(owner.clone()));
    assert_eq!(
        store.account_by_email(&email("Owner@Example.com")).await.unwrap(),
        Some((owner.clone(), "hash of owner@example.com".to_string())),
        "by address, with the password hash"
    );
    assert_eq!(store.account_by_email(&email("nobody@example.com")).await.unwrap(), None);
    assert_eq!(store.account(AccountId(owner.id.0 + 1000)).await.unwrap(), None);

    assert_conflict(
        store.create_account(&new_account("OWNER@example.com", AccountRole::Driver, Some(other.id))).await,
        "an address taken under another operator",
    );
    assert_not_found(
        store
            .create_account(&new_account("lost@example.com", AccountRole::Driver, Some(OperatorId(other.id.0 + 1000))))
            .await,
        "an account of a missing operator",
    );
    assert_eq!(store.account_by_email(&email("lost@example.com")).await.unwrap(), None, "a refused account");

    let admin = store.create_account(&new_account("admin@example.com", AccountRole::PlatformAdmin, None)).await;
    let admin = admin.expect("a platform admin belongs to no operator");
    assert_eq!(admin.operator_id, None);
    let staff = store.create_account(&new_account("staff@example.com", AccountRole::OperatorStaff, Some(op.id))).await;
    let staff = staff.expect("create staff");
    let installer = store.create_account(&new_account("fitter@example.com", AccountRole::Installer, Some(op.id))).await;
    let installer = installer.expect("create installer");
    let driver = store.create_account(&new_account("driver@example.com", AccountRole::Driver, Some(op.id))).await;
    let driver = driver.expect("create driver");
    let elsewhere = store.create_account(&new_account("away@example.com", AccountRole::Owner, Some(other.id))).await;
    let elsewhere = elsewhere.expect("create owner of another operator");

    let list = |filter: AccountFilter| async move { store.list_accounts(&filter).await.expect("list accounts") };
    assert_eq!(
        list(AccountFilter { operator_id: Some(op.id), ..Default::default() }).await,
        vec![driver.clone(), installer.clone(), owner.clone(), staff.clone()],
        "an operator's accounts, by address"
    );
    assert_eq!(
        list(AccountFilter { role: Some(AccountRole::Owner), ..Default::default() }).await,
        vec![elsewhere.clone(), owner.clone()],
        "owners of every operator"
    );
    assert_eq!(
        list(AccountFilter { operator_id: Some(op.id), role: Some(AccountRole::Installer), ..Default::default() })
            .await,
        vec![installer.clone()]
    );
    assert_eq!(
        list(AccountFilter { operator_id: Some(op.id), pending_approval: true, ..Default::default() }).await,
        vec![installer.clone(), owner.clone()],
        "owners and installers waiting for approval, not drivers or staff"
    );
    assert_eq!(list(AccountFilter { limit: Some(2), ..Default::default() }).await, vec![admin.clone(), elsewhere]);

    // Approval: the first one is kept.
    let approved = store.approve_account(owner.id, Some(staff.id), t(1410)).await.expect("approve");
    assert_eq!(approved, Account { approved_at: Some(t(1410)), approved_by: Some(staff.id), ..owner.clone() });
    assert_eq!(store.approve_account(owner.id, Some(admin.id), t(1420)).await.unwrap(), approved, "approved twice");
    assert_eq!(store.account(owner.id).await.unwrap(), Some(approved.clone()));
    let by_cli = store.approve_account(installer.id, None, t(1415)).await.expect("approved by nobody in particular");
    assert_eq!((by_cli.approved_at, by_cli.approved_by), (Some(t(1415)), None));
    assert_eq!(
        list(AccountFilter { operator_id: Some(op.id), pending_approval: true, ..Default::default() }).await,
        vec![],
        "approved accounts wait no more"
    );
    assert_not_found(store.approve_account(AccountId(admin.id.0 + 1000), None, t(1410)).await, "approve a missing one");
    assert_not_found(
        store.approve_account(driver.id, Some(AccountId(admin.id.0 + 1000)), t(1410)).await,
        "approved by a missing account",
    );
    assert_eq!(store.account(driver.id).await.unwrap(), Some(driver.clone()), "a refused approval changes nothing");

    // Passwords.
    store.set_account_password(staff.id, "new hash").await.expect("set password");
    let (found, hash) = store.account_by_email(&staff.email).await.unwrap().expect("staff");
    assert_eq!((found, hash.as_str()), (staff.clone(), "new hash"));
    assert_not_found(store.set_account_password(AccountId(admin.id.0 + 1000), "x").await, "password of a missing one");

    // Disabling: the first time is kept; enabling clears it.
    let disabled = store.set_account_disabled(driver.id, true, t(1430)).await.expect("disable");
    assert_eq!(disabled, Account { disabled_at: Some(t(1430)), ..driver.clone() });
    assert_eq!(store.set_account_disabled(driver.id, true, t(1440)).await.unwrap(), disabled, "disabled twice");
    assert_eq!(store.account(driver.id).await.unwrap(), Some(disabled));
    assert_eq!(store.set_account_disabled(driver.id, false, t(1450)).await.unwrap(), driver, "enabled again");
    assert_not_found(
        store.set_account_disabled(AccountId(admin.id.0 + 1000), true, t(1430)).await,
        "disable a missing one",
    );
}

async fn logins(store: &dyn Store) {
    let op = new_operator(store, "Logins Op").await;
    let ann = store.create_account(&new_account("ann@logins.example", AccountRole::OperatorStaff, Some(op.id))).await;
    let ann = ann.expect("create account");
    let bob = store.create_account(&new_account("bob@logins.example", AccountRole::Driver, Some(op.id))).await;
    let bob = bob.expect("create account");
    let hash = |n: u8| format!("{:064x}", 0x100 + u32::from(n));
    let new = |account: AccountId, n: u8, expires: i64| NewLogin {
        account_id: account,
        token_hash: hash(n),
        created_at: t(1500),
        expires_at: t(expires),
        remote: Some("192.0.2.1".into()),
    };

    let first = store.create_login(&new(ann.id, 1, 2000)).await.expect("create login");
    assert_eq!(
        first,
        Login {
            id: first.id,
            account: ann.clone(),
            created_at: t(1500),
            expires_at: t(2000),
            revoked_at: None,
            last_used_at: None,
        }
    );
    assert_conflict(store.create_login(&new(bob.id, 1, 2000)).await, "a taken hash");
    assert_not_found(store.create_login(&new(AccountId(bob.id.0 + 1000), 9, 2000)).await, "a missing account");
    assert_eq!(store.login_by_hash(&hash(9)).await.unwrap(), None, "a refused login is not stored");
    assert_eq!(store.login_by_hash(&hash(1)).await.unwrap(), Some(first.clone()));

    store.touch_login(first.id, t(1510)).await.expect("touch");
    store.touch_login(first.id, t(1505)).await.expect("an older touch");
    let touched = store.login_by_hash(&hash(1)).await.unwrap().expect("login");
    assert_eq!(touched.last_used_at, Some(t(1510)), "the latest use is kept");
    assert_not_found(store.touch_login(first.id + 1000, t(1510)).await, "touch of a missing login");

    // The account is read as it is now.
    store.set_account_disabled(ann.id, true, t(1515)).await.expect("disable");
    let seen = store.login_by_hash(&hash(1)).await.unwrap().expect("a login of a disabled account is found");
    assert_eq!(seen.account.disabled_at, Some(t(1515)));
    store.set_account_disabled(ann.id, false, t(1516)).await.expect("enable");

    // Revoking one: the first time is kept.
    let second = store.create_login(&new(ann.id, 2, 2000)).await.expect("create login");
    store.revoke_login(second.id, t(1520)).await.expect("revoke");
    store.revoke_login(second.id, t(1530)).await.expect("revoking again is harmless");
    let revoked = store.login_by_hash(&hash(2)).await.unwrap().expect("a revoked login is still found");
    assert_eq!(revoked, Login { revoked_at: Some(t(1520)), ..second });
    assert_not_found(store.revoke_login(first.id + 1000, t(1520)).await, "revoke of a missing login");

    // Revoking all of an account's open logins: not the revoked or expired ones, not another account's.
    let third = store.create_login(&new(ann.id, 3, 2000)).await.expect("create login");
    let expired = store.create_login(&new(ann.id, 4, 1540)).await.expect("create login");
    let bobs = store.create_login(&new(bob.id, 5, 2000)).await.expect("create login");
    assert_eq!(store.revoke_logins_of(ann.id, t(1550)).await.unwrap(), 2, "the first and the third");
    assert_eq!(store.revoke_logins_of(ann.id, t(1560)).await.unwrap(), 0, "none left open");
    let revoked_at = |n: u8| async move { store.login_by_hash(&hash(n)).await.unwrap().expect("login").revoked_at };
    assert_eq!(revoked_at(1).await, Some(t(1550)));
    assert_eq!(revoked_at(2).await, Some(t(1520)), "revoked before, keeps its time");
    assert_eq!(revoked_at(3).await, Some(t(1550)));
    assert_eq!(revoked_at(4).await, None, "expired, not revoked");
    assert_eq!(revoked_at(5).await, None, "another account's");
    assert!(third.id > first.id && expired.id > third.id && bobs.id > expired.id, "ids increase");
    assert_not_found(store.revoke_logins_of(AccountId(bob.id.0 + 1000), t(1550)).await, "a missing account");
}

async fn audit_log(store: &dyn Store) {
    let op = new_operator(store, "Audit Op").await;
    let other = new_operator(store, "Audit Other").await;
    let entry = |at: i64, operator: Option<OperatorId>, action: &str, subject: &str| AuditEntry {
        id: 0,
        at: t(at),
        actor: "account:1".into(),
        operator_id: operator,
        action: action.into(),
        subject: subject.into(),
        before: (action != "account.create").then(|| r#"{"approved":false}"#.to_string()),
        after: Some(r#"{"approved":true}"#.to_string()),
    };
    let entries = [
        entry(1600, Some(op.id), "account.create", "account:12"),
        entry(1610, Some(op.id), "account.approve", "account:12"),
        entry(1610, Some(other.id), "station.activate", "station:CP-1"),
        entry(1620, None, "operator.create", "operator:9"),
        entry(1630, Some(op.id), "station.activate", "station:CP-1"),
    ];
    let mut recorded = Vec::new();
    for e in &entries {
        let id = store.record_audit(e).await.expect("record audit entry");
        recorded.push(AuditEntry { id, ..e.clone() });
    }
    assert!(recorded.windows(2).all(|w| w[0].id < w[1].id), "ids increase: {recorded:?}");
    let read = |filter: AuditFilter| async move { store.audit_entries(&filter).await.expect("audit entries") };
    let newest_first = |picks: &[usize]| picks.iter().map(|&i| recorded[i].clone()).collect::<Vec<_>>();

    assert_eq!(read(AuditFilter::default()).await, newest_first(&[4, 3, 2, 1, 0]), "newest first, then by id");
    assert_eq!(read(AuditFilter { operator_id: Some(op.id), ..Default::default() }).await, newest_first(&[4, 1, 0]));
    assert_eq!(
        read(AuditFilter { subject: Some("station:CP-1".into()), ..Default::default() }).await,
        newest_first(&[4, 2])
    );
    assert_eq!(
        read(AuditFilter { since: Some(t(1610)), until: Some(t(1630)), ..Default::default() }).await,
        newest_first(&[3, 2, 1]),
        "since is inclusive, until exclusive"
    );
    assert_eq!(
        read(AuditFilter { operator_id: Some(op.id), limit: Some(2), ..Default::default() }).await,
        newest_first(&[4, 1])
    );
}

// --- precision and closing ---

/// Every backend keeps instants to the millisecond, the same way.
async fn millisecond_precision(store: &dyn Store) {
    let op = new_operator(store, "Precision Op").await;
    let s = new_station(store, &op, "PR-1").await.id;
    let at = Utc.timestamp_opt(1_767_225_600, 123_456_789).single().expect("valid instant");
    store.record_heartbeat(&s, at).await.expect("heartbeat");
    let stored = store.station(&s).await.unwrap().expect("station").last_heartbeat_at.expect("heartbeat time");
    assert_eq!(stored, truncate(at));
    assert_eq!(stored.timestamp_subsec_nanos(), 123_000_000);
}

async fn closing(store: &dyn Store) {
    let op = new_operator(store, "Closing Op").await;
    let s = new_station(store, &op, "CL-1").await.id;
    store.close().await;
    let after = store.record_heartbeat(&s, t(800)).await;
    assert!(matches!(after, Err(StoreError::Closed)), "a write after close: {after:?}");
    let after = store.station(&s).await;
    assert!(matches!(after, Err(StoreError::Closed)), "a read after close: {after:?}");
}

// --- restarts: for the backends' own tests, which open a second store on the same database ---

/// The n-th start of a plain session on connector 1: meter start `n` Wh, `n` seconds after a fixed instant.
/// Distinct `n`, distinct natural keys.
pub fn session_start(station: &StationId, operator: OperatorId, n: i64) -> SessionStart {
    SessionStart {
        transaction_id: None,
        station_id: station.clone(),
        operator_id: operator,
        connector_id: 1,
        id_tag: tag("TAG"),
        meter_start_wh: n,
        started_at: t(n),
        reservation_id: None,
        authorization: AuthorizationStatus::Accepted,
    }
}

/// What [`before_restart`] wrote, for [`after_restart`] to find.
#[derive(Debug)]
pub struct BeforeRestart {
    operator: Operator,
    station: StationId,
    sessions: Vec<SessionId>,
}

/// The first half of a restart check: writes an operator, a station and three sessions to an empty store,
/// and closes it.
pub async fn before_restart(store: &dyn Store) -> BeforeRestart {
    let operator = new_operator(store, "Restart Op").await;
    let station = new_station(store, &operator, "RS-1").await.id;
    let mut sessions = Vec::new();
    for n in 0..3 {
        sessions.push(store.start_session(&session_start(&station, operator.id, n)).await.expect("start").session.id);
    }
    store.close().await;
    BeforeRestart { operator, station, sessions }
}

/// The second half, on a store opened again on the same database (a restarted server, or a second one):
/// what was written is there, a start received again is still recognised, and new transaction ids keep
/// increasing. Closes the store.
pub async fn after_restart(store: &dyn Store, before: &BeforeRestart) {
    let BeforeRestart { operator, station, sessions } = before;
    assert_eq!(store.operator(operator.id).await.unwrap().as_ref(), Some(operator));
    assert_eq!(store.station(station).await.unwrap().map(|s| s.state), Some(StationState::Active));
    let again = store.start_session(&session_start(station, operator.id, 1)).await.unwrap();
    assert_eq!((again.created, again.session.id), (false, sessions[1]));
    let next = store.start_session(&session_start(station, operator.id, 3)).await.unwrap();
    assert!(next.created);
    assert!(
        sessions.iter().all(|id| next.session.id > *id),
        "ids keep increasing after a restart: {sessions:?} then {}",
        next.session.id
    );
    store.close().await;
}

async fn claims(store: &dyn Store) {
    use crate::{ActivationCodeRecord, Installation, MAX_PHOTO_BYTES, NewActivationCode, Pinpointing};

    let op = new_operator(store, "Claims Op").await;
    let station = new_station(store, &op, "STICKER-1").await.id;
    let installer = store
        .create_account(&new_account("installer@claims.example", AccountRole::Installer, Some(op.id)))
        .await
        .expect("create installer");
    let other = store
        .create_account(&new_account("other@claims.example", AccountRole::Installer, Some(op.id)))
        .await
        .expect("create other installer");
    let mac = "AA:BB:CC:00:11:22";
    let new_code = |hash: &str, at: i64| NewActivationCode {
        station_id: station.clone(),
        mac: mac.into(),
        code_hash: hash.into(),
        created_at: t(at),
        created_by: "token:admin".into(),
    };

    // Codes: stored without their hash, listed open by MAC with their hash.
    assert_eq!(store.installation(&station).await.unwrap(), None, "no record before a claim");
    let first = store.create_activation_code(&new_code("hash-1", 1500)).await.expect("create code");
    assert_eq!(
        first,
        ActivationCodeRecord {
            id: first.id,
            station_id: station.clone(),
            mac: mac.into(),
            created_at: t(1500),
            created_by: "token:admin".into(),
            used_at: None,
            used_by: None,
        }
    );
    let second = store.create_activation_code(&new_code("hash-2", 1501)).await.expect("create second code");
    assert_eq!(
        store.open_activation_codes(mac).await.unwrap(),
        vec![(first.clone(), "hash-1".to_string()), (second.clone(), "hash-2".to_string())],
        "open codes, oldest first, with their hashes"
    );
    assert!(store.open_activation_codes("AA:BB:CC:00:11:23").await.unwrap().is_empty());
    assert!(matches!(
        store
            .create_activation_code(&NewActivationCode { station_id: sid("STICKER-NONE"), ..new_code("h", 1500) })
            .await,
        Err(StoreError::NotFound(_))
    ));

    // A claim uses the code once: compare-and-set on used_at.
    let claimed = store.use_activation_code(first.id, installer.id, t(1510)).await.expect("claim");
    assert_eq!(
        claimed,
        Installation {
            station_id: station.clone(),
            claimed_by: Some(installer.id),
            claimed_at: Some(t(1510)),
            pinpointing: Pinpointing::default(),
            serial_locked_at: None,
            photo_type: None,
            photo_size: None,
            photo_orientation: None,
            updated_at: t(1510),
        }
    );
    assert!(
        matches!(store.use_activation_code(first.id, other.id, t(1511)).await, Err(StoreError::Conflict(_))),
        "a used code claims nothing again"
    );
    assert_eq!(store.installation(&station).await.unwrap(), Some(claimed.clone()), "the second claim changed nothing");
    assert!(matches!(
        store.use_activation_code(first.id + 1000, installer.id, t(1511)).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(
        matches!(
            store.use_activation_code(second.id, AccountId(other.id.0 + 1000), t(1511)).await,
            Err(StoreError::NotFound(_))
        ),
        "a missing account"
    );
    assert_eq!(store.open_activation_codes(mac).await.unwrap(), vec![(second.clone(), "hash-2".to_string())]);
    let all = store.activation_codes(&station).await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0], second, "newest first");
    assert_eq!((all[1].used_at, all[1].used_by), (Some(t(1510)), Some(installer.id)));

    // Two claims with one code at once: exactly one wins.
    let third = store.create_activation_code(&new_code("hash-3", 1520)).await.unwrap();
    let (a, b) = tokio::join!(
        store.use_activation_code(third.id, installer.id, t(1521)),
        store.use_activation_code(third.id, other.id, t(1522))
    );
    assert_eq!(usize::from(a.is_ok()) + usize::from(b.is_ok()), 1, "one claim wins: {a:?} {b:?}");

    // Pinpointing; the serial number is locked once configuration is complete.
    let pin = Pinpointing {
        lat: Some(52.370_216),
        lon: Some(4.895_168),
        accuracy_m: Some(8.5),
        vendor: Some("Alfen".into()),
        model: Some("Eve Single".into()),
        serial_number: Some("SN-1".into()),
        street: Some("Damrak".into()),
        house_number: Some("1".into()),
        postal_code: Some("1012 LG".into()),
        city: Some("Amsterdam".into()),
        region: None,
        country: Some("NL".into()),
        time_zone: Some("Europe/Amsterdam".into()),
        parking_spot: Some("P-12".into()),
        directions: Some("Level -1, behind the barrier".into()),
    };
    let saved = store.set_pinpointing(&station, &pin, false, t(1530)).await.expect("pinpoint");
    assert_eq!((saved.pinpointing.clone(), saved.updated_at), (pin.clone(), t(1530)));
    assert_eq!(store.installation(&station).await.unwrap(), Some(saved.clone()));
    let locked = store.lock_installation_serial(&station, t(1540)).await.expect("lock");
    assert_eq!(locked.serial_locked_at, Some(t(1540)));
    let again = store.lock_installation_serial(&station, t(1550)).await.unwrap();
    assert_eq!(again.serial_locked_at, Some(t(1540)), "a locked serial keeps the first lock time");
    let changed = Pinpointing { serial_number: Some("SN-2".into()), ..pin.clone() };
    assert!(
        matches!(store.set_pinpointing(&station, &changed, false, t(1560)).await, Err(StoreError::Conflict(_))),
        "a locked serial number changes only with the override"
    );
    let moved = Pinpointing { parking_spot: Some("P-13".into()), ..pin.clone() };
    let kept = store.set_pinpointing(&station, &moved, false, t(1561)).await.expect("same serial: allowed");
    assert_eq!(kept.pinpointing.parking_spot.as_deref(), Some("P-13"));
    let overridden = store.set_pinpointing(&station, &changed, true, t(1562)).await.expect("override");
    assert_eq!(overridden.pinpointing.serial_number.as_deref(), Some("SN-2"));
    assert_eq!(overridden.serial_locked_at, Some(t(1540)), "still locked");
    assert!(matches!(
        store.set_pinpointing(&sid("STICKER-NONE"), &pin, false, t(1560)).await,
        Err(StoreError::NotFound(_))
    ));

    // The photo: stored with its type, read back whole; over the limit refused.
    assert_eq!(store.installation_photo(&station).await.unwrap(), None);
    let photo: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    let with_photo = store.set_installation_photo(&station, &photo, "image/png", None, t(1570)).await.expect("photo");
    assert_eq!((with_photo.photo_type.as_deref(), with_photo.photo_size), (Some("image/png"), Some(70_000)));
    assert_eq!(with_photo.photo_orientation, None);
    assert_eq!(with_photo.pinpointing, changed, "the photo leaves the pinpointing alone");
    assert_eq!(store.installation_photo(&station).await.unwrap(), Some((photo.clone(), "image/png".to_string())));
    let too_big = vec![0u8; MAX_PHOTO_BYTES + 1];
    assert!(matches!(
        store.set_installation_photo(&station, &too_big, "image/png", Some(6), t(1571)).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(store.installation_photo(&station).await.unwrap().map(|(p, _)| p.len()), Some(70_000));
    // A phone photo taken upright: stored wide, turned by its orientation; a new photo replaces it.
    let turned = store.set_installation_photo(&station, &photo, "image/jpeg", Some(6), t(1572)).await.expect("photo");
    assert_eq!((turned.photo_type.as_deref(), turned.photo_orientation), (Some("image/jpeg"), Some(6)));
    assert_eq!(store.installation(&station).await.unwrap().and_then(|i| i.photo_orientation), Some(6));
    let plain = store.set_installation_photo(&station, &photo, "image/png", None, t(1573)).await.expect("photo");
    assert_eq!(plain.photo_orientation, None);
    // A station without a claim can be pinpointed (by the operator's staff) and locked.
    let unclaimed = new_station(store, &op, "STICKER-2").await.id;
    let staff = store.lock_installation_serial(&unclaimed, t(1580)).await.expect("lock unclaimed");
    assert_eq!((staff.claimed_by, staff.serial_locked_at), (None, Some(t(1580))));
}
