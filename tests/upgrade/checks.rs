//! What an upgrade fixture holds, checked through the `Store` API: shared by the SQLite and PostgreSQL
//! upgrade tests (`crates/store-sqlite/tests/upgrade.rs`, `crates/store-postgres/tests/upgrade.rs`, which
//! include this file with `#[path]`).
//!
//! A fixture is the database a released binary wrote while `tests/upgrade/make.sh` used it (see README.md
//! here). Every expected value below comes from that script and from `stations.py`, not from reading a
//! fixture back: the tag, connector, station timestamps and meter readings a station sent, the tariff a
//! script created, the password an account was given. What a run draws at random (operator keys, API token
//! secrets) is in the fixture's `sqlite.env` and `postgres.env`. Rows are found by what they mean (the
//! session FX-1 started on connector 1 with TAG-A at 08:00), not by their ids, so the checks stay true
//! after a migration that keeps the data but renumbers or reshapes it.
//!
//! [`data_is_all_there`] reads; [`the_store_still_works`] then writes to the upgraded database.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use joule_core::access::{AccessMode, AvailableTimes, DriverId};
use joule_core::account::{AccountId, AccountRole, Email, OwnerKind};
use joule_core::activation::ActivationState;
use joule_core::auth::{AuthorizationStatus, IdToken};
use joule_core::billing::{FreeReason, TariffTarget};
use joule_core::handover::{HandoverState, ProvisioningMethod, ResetKind};
use joule_core::intervals::{Calendar, IntervalEnergy, IntervalOptions, energies, energies_from_quarters, utc_day};
use joule_core::meter::{MeterSample, RawSample};
use joule_core::session::{Session, SessionStart, SessionStop, StopOutcome};
use joule_core::station::{BootInfo, ChargingState, ConnectorState, ConnectorStatus, StationState, StatusReport};
use joule_core::tariff::{Decimal, Dimension, ItemKind};
use joule_core::{IdTag, OperatorId, OperatorKey, Role, SessionId, StationId, Timestamp};
use joule_store::{
    AccountFilter, ActivationFilter, AuditFilter, CommandOutcomeKind, Direction, EnergyQuery, MessageFilter,
    MeterBatch, MeterFilter, NewAccount, NewApiToken, NewCommand, NewStation, SessionFilter, StationFilter, Store,
    StoredSample,
};

/// The fixtures in this folder, one per release whose data must survive; `make.sh BIN OUT` adds one.
pub const FIXTURES: &[&str] = &["1ba04fc"];

/// The folder of the fixture `name` (relative to a crate of `crates/`, whose manifest dir this is built in).
pub fn fixture_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/upgrade").join(name)
}

/// The passwords make.sh gave the accounts and FX-2.
pub const PASSWORDS: [(&str, &str); 6] = [
    ("admin@fixture.example", "fixture admin password"),
    ("staff@fixture.example", "fixture staff password"),
    ("installer@fixture.example", "fixture installer password"),
    ("driver@fixture.example", "fixture driver password"),
    ("owner@fixture.example", "fixture owner password"),
    ("leaver@fixture.example", "fixture leaver password"),
];
pub const FX2_PASSWORD: &str = "fixture-station-password-2";

/// What one run of make.sh drew at random, from its `.env` file.
#[derive(Debug, Clone)]
pub struct Generated {
    pub operator_key: String,
    pub other_operator_key: String,
    pub admin_token: String,
    pub admin_token_sha256: String,
    pub viewer_token_sha256: String,
    pub other_token_sha256: String,
    pub staff_login_sha256: String,
}

impl Generated {
    /// Reads `dir/file` (`sqlite.env` or `postgres.env`): `KEY=VALUE` lines.
    pub fn read(dir: &Path, file: &str) -> Generated {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let values: BTreeMap<&str, &str> = text.lines().filter_map(|l| l.split_once('=')).collect();
        let get = |k: &str| values.get(k).unwrap_or_else(|| panic!("{} has no {k}", path.display())).to_string();
        Generated {
            operator_key: get("OPERATOR_KEY"),
            other_operator_key: get("OTHER_OPERATOR_KEY"),
            admin_token: get("ADMIN_TOKEN"),
            admin_token_sha256: get("ADMIN_TOKEN_SHA256"),
            viewer_token_sha256: get("VIEWER_TOKEN_SHA256"),
            other_token_sha256: get("OTHER_TOKEN_SHA256"),
            staff_login_sha256: get("STAFF_LOGIN_SHA256"),
        }
    }
}

pub fn t(s: &str) -> Timestamp {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn sid(s: &str) -> StationId {
    StationId::parse(s).expect("station id")
}

fn tag(s: &str) -> IdTag {
    IdTag::parse(s).expect("id tag")
}

fn email(s: &str) -> Email {
    Email::parse(s).expect("e-mail")
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// Whether `password` matches the argon2 PHC string `phc`.
pub fn password_matches(password: &str, phc: &str) -> bool {
    use argon2::password_hash::PasswordVerifier;
    use argon2::password_hash::phc::PasswordHash;
    match PasswordHash::new(phc) {
        Ok(parsed) => argon2::Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// What the fixture's operators and people are called in the store, found by name and e-mail.
pub struct Known {
    pub op: OperatorId,
    pub other: OperatorId,
    pub accounts: BTreeMap<String, AccountId>,
    pub drivers: BTreeMap<String, DriverId>,
}

impl Known {
    pub async fn find(store: &dyn Store) -> Known {
        let by_name = |name: &str| {
            let name = name.to_string();
            async move { store.operator_by_name(&name).await.expect("operator_by_name").expect(&name).id }
        };
        let op = by_name("Fixture Charging").await;
        let other = by_name("Other Operator").await;
        let mut accounts = BTreeMap::new();
        for (address, _) in PASSWORDS {
            let (account, _) = store.account_by_email(&email(address)).await.expect("account_by_email").expect(address);
            accounts.insert(address.to_string(), account.id);
        }
        let drivers = store
            .drivers(op)
            .await
            .expect("drivers")
            .into_iter()
            .map(|d| (d.name.as_str().to_string(), d.id))
            .collect();
        Known { op, other, accounts, drivers }
    }

    fn account(&self, address: &str) -> AccountId {
        self.accounts[address]
    }

    fn driver(&self, name: &str) -> DriverId {
        *self.drivers.get(name).unwrap_or_else(|| panic!("no driver {name}: {:?}", self.drivers))
    }
}

/// The one session of `station` that started on `connector` with `tag` at `started`.
pub async fn session_at(store: &dyn Store, station: &str, connector: u32, id_tag: &str, started: &str) -> Session {
    let at = t(started);
    let filter = SessionFilter {
        station_id: Some(sid(station)),
        connector_id: Some(connector),
        id_tag: Some(tag(id_tag)),
        since: Some(at),
        until: Some(at + std::time::Duration::from_millis(1)),
        ..Default::default()
    };
    let mut found = store.list_sessions(&filter).await.expect("list_sessions");
    assert_eq!(found.len(), 1, "{station}/{connector} {id_tag} at {started}: {found:?}");
    found.remove(0)
}

/// The sessions of a station, oldest first.
async fn sessions_of(store: &dyn Store, station: &str) -> Vec<Session> {
    let filter = SessionFilter { station_id: Some(sid(station)), ..Default::default() };
    let mut all = store.list_sessions(&filter).await.expect("list_sessions");
    all.reverse();
    all
}

/// A meter sample as the checks compare it: instant, measurand, context, phase, location, unit, value, raw.
type Sample = (Timestamp, String, String, Option<String>, Option<String>, Option<String>, Option<f64>, String);

fn sample(s: &MeterSample) -> Sample {
    (
        s.timestamp,
        s.measurand.clone(),
        s.context.clone(),
        s.phase.clone(),
        s.location.clone(),
        s.unit.clone(),
        s.value,
        s.raw.clone(),
    )
}

const EAIR: &str = "Energy.Active.Import.Register";
const POWER: &str = "Power.Active.Import";

/// An energy register sample as stations.py sends it (location Outlet); `raw` in `unit`, `wh` normalised.
fn energy(at: &str, context: &str, raw: &str, wh: f64) -> Sample {
    (t(at), EAIR.into(), context.into(), None, Some("Outlet".into()), Some("Wh".into()), Some(wh), raw.into())
}

fn power(at: &str, raw: &str, w: f64) -> Sample {
    (t(at), POWER.into(), "Sample.Periodic".into(), None, None, Some("W".into()), Some(w), raw.into())
}

fn phase(at: &str, measurand: &str, phase: &str, raw: &str, unit: &str) -> Sample {
    let value = raw.parse().ok();
    (t(at), measurand.into(), "Sample.Periodic".into(), Some(phase.into()), None, Some(unit.into()), value, raw.into())
}

fn sorted(mut v: Vec<Sample>) -> Vec<Sample> {
    v.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)).then(a.3.cmp(&b.3)).then(a.2.cmp(&b.2)));
    v
}

async fn samples_of(store: &dyn Store, filter: MeterFilter) -> Vec<StoredSample> {
    store.meter_values(&filter).await.expect("meter_values")
}

/// Every check of the data a fixture holds, through the store's reads.
pub async fn data_is_all_there(store: &dyn Store, generated: &Generated) {
    let known = Known::find(store).await;
    operators(store, &known, generated).await;
    stations(store, &known).await;
    connectors(store).await;
    tokens_drivers_groups(store, &known).await;
    sessions(store, &known).await;
    meter_values(store).await;
    intervals(store).await;
    tariffs_and_costs(store, &known).await;
    accounts_and_tokens(store, &known, generated).await;
    commands_and_configuration(store, &known).await;
    messages(store).await;
    onboarding(store, &known).await;
    handover_and_access(store, &known).await;
}

async fn operators(store: &dyn Store, known: &Known, generated: &Generated) {
    let names: Vec<String> =
        store.list_operators().await.expect("list_operators").into_iter().map(|o| o.name).collect();
    assert_eq!(names, ["Fixture Charging", "Other Operator"], "operators, by name");
    let key = OperatorKey::parse(&generated.operator_key).expect("operator key");
    let op = store.operator_by_key(&key).await.expect("operator_by_key").expect("the operator of the key");
    assert_eq!((op.id, op.name.as_str()), (known.op, "Fixture Charging"));
    assert_eq!(store.operator(known.op).await.expect("operator").expect("by id").key, key);
    let other = OperatorKey::parse(&generated.other_operator_key).expect("other key");
    assert_eq!(store.operator_by_key(&other).await.unwrap().expect("other operator").id, known.other);

    let settings = store.operator_settings(known.op).await.expect("operator_settings");
    assert_eq!((settings.service_level_days(), settings.offline_after_minutes()), (3, 30));
    assert_eq!(
        store.operator_defaults(known.op).await.expect("operator_defaults"),
        [("MeterValueSampleInterval".to_string(), "60".to_string()), ("ClockAlignedDataInterval".into(), "900".into())],
        "the default configuration, in its order"
    );
    assert!(store.operator_defaults(known.other).await.unwrap().is_empty());
}

fn boot(model: &str, serial: &str, firmware: &str, n: u32) -> BootInfo {
    BootInfo {
        vendor: "Fixture Works".into(),
        model: model.into(),
        serial_number: Some(serial.into()),
        charge_box_serial_number: Some(format!("FXB-000{n}")),
        firmware_version: Some(firmware.into()),
        iccid: Some(format!("894100000000000000{n}")),
        imsi: Some(format!("22801000000000{n}")),
        meter_type: Some("FX-Meter".into()),
        meter_serial_number: Some(format!("FXM-000{n}")),
    }
}

async fn stations(store: &dyn Store, known: &Known) {
    use StationState::*;
    let all = store.list_stations(&StationFilter::default()).await.expect("list_stations");
    let states: BTreeMap<String, (StationState, OperatorId)> =
        all.iter().map(|s| (s.id.to_string(), (s.state, s.operator_id))).collect();
    let op = known.op;
    let want: BTreeMap<String, (StationState, OperatorId)> = [
        ("FX-1", Active, op),
        ("FX-2", Active, op),
        ("FX-3", Verified, op),
        ("FX-4", Pending, op),
        ("FX-5", Requested, op),
        ("FX-6", Rejected, op),
        ("FX-7", HandedOver, op),
        ("FX-8", Suspended, op),
        ("FX-9", Pending, op),
        ("FX-SIM-00001", Active, op),
        ("OB-1", Pending, known.other),
    ]
    .into_iter()
    .map(|(id, state, op)| (id.to_string(), (state, op)))
    .collect();
    assert_eq!(states, want, "every station, its state and operator");
    assert!(all.iter().all(|s| !s.online), "the server stopped cleanly: nobody is online");

    let station = |id: &str| all.iter().find(|s| s.id.as_str() == id).expect(id).clone();
    let fx1 = station("FX-1");
    assert_eq!(fx1.boot, Some(boot("FX-22", "FXS-0001", "1.4.2", 1)), "FX-1's BootNotification");
    assert!(fx1.last_boot_at.is_some() && fx1.connected_at.is_some() && fx1.disconnected_at.is_some());
    assert!(fx1.last_heartbeat_at.is_some(), "FX-1 sent heartbeats");
    assert!(!fx1.free_vend && fx1.password_hash.is_none() && fx1.owner_id.is_none());
    let fx2 = station("FX-2");
    assert_eq!(fx2.boot, Some(boot("FX-11", "FXS-0002", "1.3.0", 2)));
    let hash = fx2.password_hash.expect("FX-2 has a Basic-auth password");
    assert!(password_matches(FX2_PASSWORD, &hash), "FX-2's password still verifies");
    assert!(!password_matches("not-the-password-of-fx-2", &hash));
    let fx3 = station("FX-3");
    assert_eq!(fx3.boot, Some(boot("FX-22", "FXS-0003", "1.4.2", 3)));
    assert_eq!(fx3.owner_id, Some(known.account("owner@fixture.example")), "the owner whose request was approved");
    // Stations that connected unknown with the operator's key were registered by their boot.
    for id in ["FX-4", "FX-9"] {
        let s = station(id);
        assert_eq!(s.boot.map(|b| (b.model, b.serial_number)), Some(("FX-22".into(), Some(format!("FXS-{id}")))));
    }
    for id in ["FX-6", "FX-7", "FX-8", "OB-1"] {
        assert_eq!(station(id).boot, None, "{id} never connected");
    }
    assert!(station("FX-8").free_vend, "FX-8 charges without authorization");
    assert_eq!(station("FX-SIM-00001").boot.map(|b| b.vendor), Some("Joule".into()), "joule-sim's boot");

    let active = StationFilter { operator_id: Some(known.op), state: Some(Active), ..Default::default() };
    let ids: Vec<String> =
        store.list_stations(&active).await.expect("by state").into_iter().map(|s| s.id.to_string()).collect();
    assert_eq!(ids, ["FX-1", "FX-2", "FX-SIM-00001"]);
    let paged = StationFilter { after: Some(sid("FX-4")), limit: Some(2), ..Default::default() };
    let ids: Vec<String> =
        store.list_stations(&paged).await.expect("paged").into_iter().map(|s| s.id.to_string()).collect();
    assert_eq!(ids, ["FX-5", "FX-6"], "keyset paging by id");
    let owned = StationFilter { owner_id: Some(known.account("owner@fixture.example")), ..Default::default() };
    let ids: Vec<String> =
        store.list_stations(&owned).await.expect("by owner").into_iter().map(|s| s.id.to_string()).collect();
    assert_eq!(ids, ["FX-3"]);
    let counts: BTreeMap<&str, u64> = store
        .station_counts(known.op)
        .await
        .expect("station_counts")
        .into_iter()
        .map(|c| {
            assert!(!c.online);
            (c.state.as_str(), c.count)
        })
        .collect();
    let want: BTreeMap<&str, u64> = [
        ("active", 3),
        ("verified", 1),
        ("pending", 2),
        ("requested", 1),
        ("rejected", 1),
        ("handed-over", 1),
        ("suspended", 1),
    ]
    .into();
    assert_eq!(counts, want, "the operator's stations by state");

    let events: BTreeSet<(String, String)> = store
        .station_events(&sid("FX-1"), 10)
        .await
        .expect("station_events")
        .into_iter()
        .map(|e| (e.kind, e.detail))
        .collect();
    let want: BTreeSet<(String, String)> = [
        ("DataTransfer", "vendorId=FixtureWorks messageId=Diag data=hello"),
        ("FirmwareStatusNotification", "Installed"),
        ("DiagnosticsStatusNotification", "Uploaded"),
    ]
    .into_iter()
    .map(|(k, d)| (k.to_string(), d.to_string()))
    .collect();
    assert_eq!(events, want, "FX-1's notifications");
    let refused = store.station_events(&sid("FX-2"), 10).await.expect("FX-2's events");
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(refused[0].detail.contains("wrong station password"), "the refused upgrade: {refused:?}");
}

/// A stored 1.6 status as the release that wrote it meant it, in the neutral words migration 0022 gave it.
fn status(c: &str) -> ConnectorStatus {
    let (state, charging) = match c {
        "Available" => (ConnectorState::Available, None),
        "Charging" => (ConnectorState::Occupied, Some(ChargingState::Charging)),
        "Faulted" => (ConnectorState::Faulted, None),
        other => panic!("no fixture status {other}"),
    };
    ConnectorStatus::reported(state, charging, c)
}

async fn connectors(store: &dyn Store) {
    let last = |id: &'static str| async move {
        store
            .connectors(&sid(id))
            .await
            .expect("connectors")
            .into_iter()
            .map(|c| (c.connector_id, c.status.as_str().to_string(), c.error_code, c.status_at))
            .collect::<Vec<_>>()
    };
    let row = |n: u32, s: &str, at: &str| (n, s.to_string(), "NoError".to_string(), t(at));
    // Every status so far came from a 1.6 station: its connector N is EVSE N (migration 0019), and its
    // status means what the 1.6 adapter reads it as (migration 0022).
    for id in ["FX-1", "FX-2"] {
        for c in store.connectors(&sid(id)).await.expect("connectors") {
            assert_eq!(c.evse_id, c.connector_id, "{id} connector {}'s EVSE", c.connector_id);
            assert_eq!(c.status, status(c.status.as_str()), "{id} connector {}'s state", c.connector_id);
        }
    }
    assert_eq!(
        last("FX-1").await,
        [
            row(0, "Available", "2026-06-02T07:55:00Z"),
            row(1, "Available", "2026-06-02T08:41:00Z"),
            row(2, "Available", "2026-06-02T08:57:00Z")
        ],
        "FX-1's connectors and their last status"
    );
    assert_eq!(
        last("FX-2").await,
        [
            row(0, "Available", "2026-06-03T09:55:00Z"),
            row(1, "Charging", "2026-06-03T11:00:05Z"),
            row(2, "Available", "2026-06-03T09:55:00Z")
        ],
        "FX-2's connector 1 is still charging"
    );

    let history = store.status_history(&sid("FX-1"), Some(2), 10).await.expect("status_history");
    let seen: Vec<(ConnectorStatus, Option<Timestamp>)> =
        history.iter().map(|r| (r.status.clone(), r.station_time)).collect();
    assert_eq!(
        seen,
        [
            (status("Available"), Some(t("2026-06-02T08:57:00Z"))),
            (status("Faulted"), Some(t("2026-06-02T08:56:00Z"))),
            (status("Available"), Some(t("2026-06-02T08:50:05Z"))),
            (status("Charging"), Some(t("2026-06-02T08:10:05Z"))),
            (status("Available"), Some(t("2026-06-02T07:55:00Z"))),
        ],
        "connector 2's history, newest first"
    );
    let fault = &history[1];
    assert_eq!(fault.error_code, "GroundFailure");
    assert_eq!(fault.info.as_deref(), Some("fixture fault"));
    assert_eq!(fault.vendor_id.as_deref(), Some("FixtureWorks"));
    assert_eq!(fault.vendor_error_code.as_deref(), Some("E42"));
    assert_eq!(store.status_history(&sid("FX-1"), None, 100).await.unwrap().len(), 10, "FX-1's whole history");
}

fn token(op: OperatorId, t_: &str, parent: Option<&str>, expires: Option<&str>, blocked: bool) -> IdToken {
    IdToken { operator_id: op, tag: tag(t_), parent: parent.map(tag), expires_at: expires.map(t), blocked }
}

async fn tokens_drivers_groups(store: &dyn Store, known: &Known) {
    let op = known.op;
    let mut tokens = store.list_id_tokens(op).await.expect("list_id_tokens");
    assert!(tokens.iter().all(|t| t.tag.kind().is_none()), "tokens registered before have no type (migration 0021)");
    // The one-time tag of FX-3's test session (its text is random): valid for 15 minutes after it was made.
    let test_tags: Vec<IdToken> = tokens.iter().filter(|t| t.tag.as_str().starts_with("TEST-")).cloned().collect();
    assert_eq!(test_tags.len(), 1, "{tokens:?}");
    assert!(test_tags[0].expires_at.is_some() && !test_tags[0].blocked);
    tokens.retain(|t| !t.tag.as_str().starts_with("TEST-"));
    assert_eq!(
        tokens,
        [
            token(op, "TAG-A", None, None, false),
            token(op, "TAG-API", Some("TAG-A"), Some("2030-06-30T12:00:00Z"), false),
            // `--expires DATE` is valid through that day (UTC).
            token(op, "TAG-B", Some("TAG-A"), Some("2100-01-01T00:00:00Z"), false),
            token(op, "TAG-BLOCKED", None, None, true),
            token(op, "TAG-EXPIRED", None, Some("2020-01-02T00:00:00Z"), false),
            token(op, "TAG-IMP-1", None, None, false),
            token(op, "TAG-IMP-2", Some("TAG-IMP-1"), Some("2031-01-01T00:00:00Z"), true),
        ],
        "the operator's tokens, by tag"
    );
    assert_eq!(store.list_id_tokens(known.other).await.unwrap(), [token(known.other, "TAG-A", None, None, false)]);
    assert_eq!(
        store.id_token(op, &tag("TAG-B")).await.unwrap(),
        Some(token(op, "TAG-B", Some("TAG-A"), Some("2100-01-01T00:00:00Z"), false))
    );

    let drivers = store.drivers(op).await.expect("drivers");
    let seen: Vec<(String, Option<String>, Option<AccountId>)> = drivers
        .iter()
        .map(|d| (d.name.as_str().to_string(), d.email.as_ref().map(|e| e.as_str().to_string()), d.account_id))
        .collect();
    assert_eq!(
        seen,
        [
            ("Ann Example".into(), Some("ann@example.com".into()), Some(known.account("driver@fixture.example"))),
            ("Bob Example".into(), None, None),
            ("Carol Import".into(), Some("carol@example.com".into()), None),
        ],
        "drivers by name, Ann linked to her account"
    );
    let ann = store.driver_by_account(op, known.account("driver@fixture.example")).await.unwrap().expect("Ann");
    assert_eq!(ann.id, known.driver("Ann Example"));

    let groups = store.groups(op).await.expect("groups");
    let seen: Vec<(String, u64)> = groups.iter().map(|g| (g.group.name.as_str().to_string(), g.members)).collect();
    assert_eq!(
        seen,
        [("imported".into(), 1), ("residents".into(), 2), ("staff".into(), 1)],
        "groups with member counts"
    );
    let group = |name: &str| groups.iter().find(|g| g.group.name.as_str() == name).expect(name).group.id;
    let members: Vec<String> = store
        .group_members(op, group("residents"))
        .await
        .expect("group_members")
        .into_iter()
        .map(|d| d.name.as_str().to_string())
        .collect();
    assert_eq!(members, ["Ann Example", "Carol Import"]);
    let tags_of = |name: &str| {
        let id = known.driver(name);
        async move {
            store
                .driver_tokens(op, id)
                .await
                .expect("driver_tokens")
                .into_iter()
                .map(|t| t.tag.to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(tags_of("Ann Example").await, ["TAG-A"]);
    assert_eq!(tags_of("Bob Example").await, ["TAG-B"]);
    assert_eq!(tags_of("Carol Import").await, ["TAG-IMP-1", "TAG-IMP-2"]);
    let facts = store.token_facts(op, &tag("TAG-A")).await.expect("token_facts").expect("TAG-A");
    let driver = facts.driver.expect("TAG-A has a driver");
    assert_eq!((driver.id, driver.groups), (known.driver("Ann Example"), vec![group("residents")]));
    let all_facts = store.operator_token_facts(op).await.expect("operator_token_facts");
    assert_eq!(all_facts.len(), 8, "every token of the operator, the test tag included");
}

async fn sessions(store: &dyn Store, known: &Known) {
    let all = store.list_sessions(&SessionFilter::default()).await.expect("list_sessions");
    assert_eq!(all.len(), 7, "{all:#?}");
    let ids: BTreeSet<SessionId> = all.iter().map(|s| s.id).collect();
    assert_eq!(ids.len(), 7, "every session has its own transaction id");
    // The release before knew only 1.6 stations, whose transaction id is the session id (migration 0020).
    for s in &all {
        assert_eq!(s.transaction_id.as_str(), s.id.to_string(), "session {}'s transaction id", s.id);
        let found = store.session_by_transaction(&s.station_id, &s.transaction_id).await.expect("by transaction");
        assert_eq!(found.as_ref(), Some(s), "session {} found by its station's transaction id", s.id);
    }

    let a = session_at(store, "FX-1", 1, "TAG-A", "2026-06-02T08:00:00Z").await;
    assert_eq!(a.operator_id, known.op);
    assert_eq!(a.authorization, AuthorizationStatus::Accepted);
    assert_eq!((a.meter_start_wh, a.meter_stop_wh, a.energy_wh()), (1000, Some(5000), Some(4000)));
    assert_eq!(a.stopped_at, Some(t("2026-06-02T08:40:00Z")));
    assert_eq!((a.stop_reason.as_deref(), a.stop_id_tag.as_ref().map(|t| t.as_str())), (Some("Local"), Some("TAG-A")));
    assert_eq!(a.reservation_id, None);
    let b = session_at(store, "FX-1", 2, "TAG-B", "2026-06-02T08:10:00Z").await;
    assert_eq!((b.meter_start_wh, b.meter_stop_wh, b.energy_wh()), (20000, Some(23000), Some(3000)));
    assert_eq!(
        (b.stopped_at, b.stop_reason.as_deref(), b.stop_id_tag),
        (Some(t("2026-06-02T08:50:00Z")), Some("EVDisconnected"), None)
    );
    let c = session_at(store, "FX-2", 1, "TAG-B", "2026-06-03T10:00:00Z").await;
    assert_eq!((c.meter_start_wh, c.meter_stop_wh, c.stopped_at), (0, Some(2000), Some(t("2026-06-03T10:30:00Z"))));
    let d = session_at(store, "FX-2", 2, "TAG-A", "2026-06-03T10:40:00Z").await;
    assert_eq!((d.meter_start_wh, d.meter_stop_wh, d.stopped_at), (500, Some(600), Some(t("2026-06-03T10:41:00Z"))));
    let e = session_at(store, "FX-2", 1, "TAG-A", "2026-06-03T11:00:00Z").await;
    assert_eq!(
        (e.meter_start_wh, e.meter_stop_wh, e.stopped_at, e.energy_wh()),
        (2000, None, None, None),
        "still running"
    );

    let active = SessionFilter { active_only: true, ..Default::default() };
    let running: Vec<SessionId> = store.list_sessions(&active).await.unwrap().into_iter().map(|s| s.id).collect();
    assert_eq!(running, [e.id], "one session is still running");

    let fx3 = sessions_of(store, "FX-3").await;
    assert_eq!(fx3.len(), 1, "FX-3's test session");
    assert!(fx3[0].id_tag.as_str().starts_with("TEST-"));
    assert_eq!((fx3[0].connector_id, fx3[0].meter_start_wh, fx3[0].meter_stop_wh), (1, 10000, Some(10300)));
    let sim = sessions_of(store, "FX-SIM-00001").await;
    assert_eq!(sim.len(), 1, "the remote-started session on joule-sim");
    assert_eq!(
        (sim[0].connector_id, sim[0].id_tag.as_str(), sim[0].stop_reason.as_deref()),
        (1, "TAG-A", Some("Remote"))
    );
    assert!(sim[0].energy_wh().is_some());

    let with_a = SessionFilter { id_tag: Some(tag("TAG-A")), ..Default::default() };
    assert_eq!(store.list_sessions(&with_a).await.unwrap().len(), 4, "TAG-A's sessions");
    let june2 = SessionFilter {
        since: Some(t("2026-06-02T00:00:00Z")),
        until: Some(t("2026-06-03T00:00:00Z")),
        ..Default::default()
    };
    let day: Vec<SessionId> = store.list_sessions(&june2).await.unwrap().into_iter().map(|s| s.id).collect();
    assert_eq!(day, [b.id, a.id], "newest first by start");
    assert_eq!(store.session(a.id).await.unwrap(), Some(a.clone()));

    let unknown = store.unknown_stops(None, 10).await.expect("unknown_stops");
    assert_eq!(unknown.len(), 1, "{unknown:?}");
    let u = &unknown[0];
    assert_eq!(
        (u.station_id.as_str(), u.transaction_id, u.id_tag.as_ref().map(|t| t.as_str()), u.meter_stop_wh),
        ("FX-1", SessionId(999999), Some("TAG-A"), 777)
    );
    assert_eq!((u.stopped_at, u.reason.as_deref()), (t("2026-06-02T08:55:00Z"), Some("Other")));
}

async fn meter_values(store: &dyn Store) {
    let a = session_at(store, "FX-1", 1, "TAG-A", "2026-06-02T08:00:00Z").await;
    let of = |id| MeterFilter { transaction_id: Some(id), ..Default::default() };
    let got = samples_of(store, of(a.id)).await;
    assert!(
        got.iter().all(|s| s.connector_id == 1 && s.transaction_id == Some(a.id) && s.station_id.as_str() == "FX-1")
    );
    let day = "2026-06-02T";
    assert_eq!(
        sorted(got.iter().map(|s| sample(&s.sample)).collect()),
        sorted(vec![
            energy(&format!("{day}08:05:00Z"), "Sample.Periodic", "1500", 1500.0),
            power(&format!("{day}08:05:00Z"), "7000", 7000.0),
            energy(&format!("{day}08:15:00Z"), "Sample.Clock", "2500", 2500.0),
            energy(&format!("{day}08:30:00Z"), "Sample.Clock", "3900", 3900.0),
            power(&format!("{day}08:30:00Z"), "7200", 7200.0),
            // The StopTransaction's transactionData.
            energy(&format!("{day}08:40:00Z"), "Transaction.End", "5000", 5000.0),
        ]),
        "the meter values of FX-1's session on connector 1"
    );
    let b = session_at(store, "FX-1", 2, "TAG-B", "2026-06-02T08:10:00Z").await;
    let got = samples_of(store, of(b.id)).await;
    assert_eq!(
        sorted(got.iter().map(|s| sample(&s.sample)).collect()),
        sorted(vec![
            // Sent in kWh and kW: normalised, the value as sent kept.
            energy(&format!("{day}08:15:00Z"), "Sample.Clock", "20.4", 20400.0),
            power(&format!("{day}08:15:00Z"), "11", 11000.0),
            phase(&format!("{day}08:15:00Z"), "Current.Import", "L1", "16.0", "A"),
            phase(&format!("{day}08:15:00Z"), "Current.Import", "L2", "15.5", "A"),
            phase(&format!("{day}08:15:00Z"), "Voltage", "L1-N", "230.1", "V"),
            energy(&format!("{day}08:30:00Z"), "Sample.Clock", "21.9", 21900.0),
            power(&format!("{day}08:30:00Z"), "10.5", 10500.0),
            energy(&format!("{day}08:45:00Z"), "Sample.Clock", "22.8", 22800.0),
        ]),
        "the meter values of FX-1's session on connector 2"
    );
    let station = MeterFilter { station_id: Some(sid("FX-1")), ..Default::default() };
    let all = samples_of(store, station).await;
    assert_eq!(all.len(), 6 + 8 + 5, "FX-1's samples: two sessions and the main meter");
    assert!(all.windows(2).all(|w| w[0].sample.timestamp <= w[1].sample.timestamp), "oldest first");
    let main: Vec<Sample> = all
        .iter()
        .filter(|s| s.connector_id == 0)
        .inspect(|s| assert_eq!(s.transaction_id, None))
        .map(|s| sample(&s.sample))
        .collect();
    let clock = |hm: &str, wh: f64| energy(&format!("{day}{hm}:00Z"), "Sample.Clock", &format!("{wh}"), wh);
    assert_eq!(
        main,
        [
            clock("08:00", 100000.0),
            clock("08:15", 101200.0),
            clock("08:30", 103400.0),
            clock("08:45", 105300.0),
            clock("09:00", 106000.0)
        ],
        "FX-1's main meter"
    );
    let window = MeterFilter {
        station_id: Some(sid("FX-1")),
        since: Some(t("2026-06-02T08:15:00Z")),
        until: Some(t("2026-06-02T08:30:00Z")),
        ..Default::default()
    };
    assert_eq!(samples_of(store, window).await.len(), 7, "the samples at 08:15 on connectors 0, 1 and 2");

    let e = session_at(store, "FX-2", 1, "TAG-A", "2026-06-03T11:00:00Z").await;
    let got = samples_of(store, of(e.id)).await;
    assert_eq!(
        sorted(got.iter().map(|s| sample(&s.sample)).collect()),
        sorted(vec![
            energy("2026-06-03T11:15:00Z", "Sample.Clock", "2600", 2600.0),
            power("2026-06-03T11:15:00Z", "2400", 2400.0)
        ]),
        "the running session's meter values"
    );

    let latest = |id: &'static str| async move {
        store
            .latest_power(&sid(id))
            .await
            .expect("latest_power")
            .into_iter()
            .map(|p| (p.connector_id, p.at, p.watts, p.previous_at))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        latest("FX-1").await,
        [
            (1, t("2026-06-02T08:30:00Z"), 7200.0, Some(t("2026-06-02T08:05:00Z"))),
            (2, t("2026-06-02T08:30:00Z"), 10500.0, Some(t("2026-06-02T08:15:00Z")))
        ],
        "FX-1's latest power per connector"
    );
    assert_eq!(
        latest("FX-2").await,
        [(1, t("2026-06-03T11:15:00Z"), 2400.0, Some(t("2026-06-03T10:15:00Z")))],
        "FX-2's latest power"
    );
}

/// The intervals of one meter on the local days `from..=to` in `tz`, by the readings path and by the
/// quarter-summaries path; they must agree (as the store contract's quarter tests require).
async fn both_paths(store: &dyn Store, station: &str, connector: u32, calendar: &Calendar) -> Vec<IntervalEnergy> {
    let o = IntervalOptions::default();
    let since = calendar.start() - o.max_gap;
    let until = calendar.end() + o.max_gap + std::time::Duration::from_millis(1);
    let query = EnergyQuery { station_id: sid(station), connector_id: connector, since, until, limit: 1_000_000 };
    let readings = store.energy_readings(&query).await.expect("energy_readings");
    let want = energies(&readings, calendar, o).expect("energies");
    let quarters =
        store.energy_quarters(&sid(station), connector, utc_day(since), utc_day(until)).await.expect("energy_quarters");
    let got = energies_from_quarters(&quarters, calendar, o).expect("energies_from_quarters");
    assert_eq!(got, want, "{station}/{connector}: the quarter summaries give the intervals of the readings");
    got
}

/// `known` at the given indexes of the day, every other interval missing.
fn day_with(len: usize, known: &[(usize, IntervalEnergy)]) -> Vec<IntervalEnergy> {
    let mut v = vec![IntervalEnergy::Missing; len];
    for (i, e) in known {
        v[*i] = *e;
    }
    v
}

async fn intervals(store: &dyn Store) {
    use IntervalEnergy::{Interpolated, Measured};
    let op = store.operator_by_name("Fixture Charging").await.unwrap().expect("operator").id;
    // FX-1 and FX-2 have no installation: their days are the operator's time zone's (Europe/Zurich, UTC+2 in
    // June), so 08:00Z is 10:00 local, interval 40 of the day.
    let tz = store.billing_settings(op).await.expect("billing_settings").time_zone;
    assert_eq!(tz.name(), "Europe/Zurich");
    let june2 = Calendar::new(tz, "2026-06-02".parse().unwrap(), "2026-06-02".parse().unwrap()).expect("calendar");
    assert_eq!(june2.len(), 96);
    assert_eq!(
        both_paths(store, "FX-1", 0, &june2).await,
        day_with(96, &[(40, Measured(1200)), (41, Measured(2200)), (42, Measured(1900)), (43, Measured(700))]),
        "FX-1's main meter, clock-aligned every quarter hour"
    );
    assert_eq!(
        both_paths(store, "FX-1", 1, &june2).await,
        day_with(96, &[(41, Measured(1400))]),
        "connector 1: 08:15-08:30 between two clock-aligned readings; no reading before 08:05 or after 08:40"
    );
    assert_eq!(
        both_paths(store, "FX-1", 2, &june2).await,
        day_with(96, &[(41, Measured(1500)), (42, Measured(900))]),
        "connector 2, read in kWh"
    );
    let june3 = Calendar::new(tz, "2026-06-03".parse().unwrap(), "2026-06-03".parse().unwrap()).expect("calendar");
    assert_eq!(
        both_paths(store, "FX-2", 1, &june3).await,
        // 10:15 1000, 10:30 2000, 11:15 2600 (the next session): 10:45 and 11:00 interpolated (2200, 2400).
        day_with(
            96,
            &[(49, Measured(1000)), (50, Interpolated(200)), (51, Interpolated(200)), (52, Interpolated(200))]
        ),
        "FX-2's connector 1 across two sessions"
    );
    // The meters joule-sim and FX-3's test session wrote when the fixture was made: whatever they hold, the
    // two paths agree on it.
    for station in ["FX-3", "FX-SIM-00001"] {
        let all = samples_of(store, MeterFilter { station_id: Some(sid(station)), ..Default::default() }).await;
        assert!(!all.is_empty(), "{station} has meter values");
        // The local days around the UTC days of the samples.
        let first = all.first().unwrap().sample.timestamp.date_naive().pred_opt().unwrap();
        let last = all.last().unwrap().sample.timestamp.date_naive().succ_opt().unwrap();
        let calendar = Calendar::new(tz, first, last).expect("calendar");
        let connectors: BTreeSet<u32> = all.iter().map(|s| s.connector_id).collect();
        for connector in connectors {
            both_paths(store, station, connector, &calendar).await;
        }
    }
    assert!(store.energy_quarters(&sid("FX-6"), 0, 0, 100_000).await.unwrap().is_empty(), "FX-6 never metered");
}

/// A tariff version's start fee and its (dimension, price) components.
type Prices = (Decimal, Vec<(Dimension, Decimal)>);

fn prices(body: &joule_core::billing::TariffBody) -> Prices {
    let components =
        body.elements.iter().flat_map(|e| e.components.iter().map(|c| (c.dimension, c.price.value()))).collect();
    (body.start_fee.value(), components)
}

async fn tariffs_and_costs(store: &dyn Store, known: &Known) {
    let op = known.op;
    let latest = store.tariffs(op).await.expect("tariffs");
    let names: Vec<(String, i64)> = latest.iter().map(|v| (v.name.clone(), v.version)).collect();
    assert_eq!(
        names,
        [("Standard".into(), 2), ("Residents".into(), 1), ("Fast".into(), 1)],
        "newest version of each tariff"
    );
    let id = |name: &str| latest.iter().find(|v| v.name == name).expect(name).tariff_id;
    let (standard, residents, fast) = (id("Standard"), id("Residents"), id("Fast"));
    let versions = store.tariff_versions(op, standard).await.expect("tariff_versions");
    let seen: Vec<(i64, Timestamp, Prices)> =
        versions.iter().map(|v| (v.version, v.valid_from, prices(&v.body))).collect();
    assert_eq!(
        seen,
        [
            (1, t("2026-01-01T00:00:00Z"), (dec("1.00"), vec![(Dimension::Energy, dec("0.30"))])),
            (2, t("2027-01-01T00:00:00Z"), (dec("1.00"), vec![(Dimension::Energy, dec("0.35"))])),
        ],
        "Standard's two versions"
    );
    assert!(versions.iter().all(|v| v.created_by == "token:fixture-admin"));
    let residents_v = store.tariff_versions(op, residents).await.unwrap();
    assert_eq!(prices(&residents_v[0].body), (dec("0.50"), vec![(Dimension::Energy, dec("0.20"))]));
    let fast_v = store.tariff_versions(op, fast).await.unwrap();
    assert_eq!(prices(&fast_v[0].body), (dec("0"), vec![(Dimension::Energy, dec("0.50"))]));

    let groups = store.groups(op).await.unwrap();
    let residents_group = groups.iter().find(|g| g.group.name.as_str() == "residents").expect("residents").group.id;
    let mut assignments: Vec<(TariffTarget, i64)> = store
        .tariff_assignments(op)
        .await
        .expect("tariff_assignments")
        .into_iter()
        .map(|a| (a.target, a.tariff_id))
        .collect();
    let target = |station: Option<&str>, connector: Option<u32>, group: Option<i64>| TariffTarget {
        station: station.map(sid),
        connector,
        group,
    };
    let mut want = vec![
        (target(None, None, None), standard),
        (target(None, None, Some(residents_group.0)), residents),
        (target(Some("FX-1"), Some(2), None), fast),
    ];
    let key = |a: &(TariffTarget, i64)| format!("{a:?}");
    assignments.sort_by_key(key);
    want.sort_by_key(key);
    assert_eq!(assignments, want, "the three assignments");

    let settings = store.billing_settings(op).await.expect("billing_settings");
    assert_eq!(settings.currency.as_str(), "CHF");
    assert_eq!(settings.vat.value(), dec("8.1"));
    assert_eq!(
        (settings.free_below_wh, settings.free_below_secs, settings.time_zone.name()),
        (200, 120, "Europe/Zurich")
    );

    // Costs, from the tariffs above with 8.1 % VAT rounded once on the net to cents: the session (station,
    // connector, tag, start), the tariff that priced it, the amounts [start fee, energy, net, VAT, total],
    // and the energy (Wh) and duration (s) it was priced on.
    let charged = [
        // TAG-A is Ann's, a resident: the group's tariff overrides the others. 0.50 + 4 kWh × 0.20.
        (("FX-1", 1, "TAG-A", "2026-06-02T08:00:00Z"), residents, ["0.50", "0.80", "1.30", "0.11", "1.41"], 4000, 2400),
        // Bob is in no group with a tariff; FX-1's connector 2 has Fast: 3 kWh × 0.50.
        (("FX-1", 2, "TAG-B", "2026-06-02T08:10:00Z"), fast, ["0", "1.50", "1.50", "0.12", "1.62"], 3000, 2400),
        // The operator's Standard, version 1 (version 2 starts in 2027): 1.00 + 2 kWh × 0.30.
        (("FX-2", 1, "TAG-B", "2026-06-03T10:00:00Z"), standard, ["1.00", "0.60", "1.60", "0.13", "1.73"], 2000, 1800),
    ];
    for ((station, connector, id_tag, start), tariff, [start_fee, energy, net, vat, total], wh, secs) in charged {
        let s = session_at(store, station, connector, id_tag, start).await;
        let cost =
            store.session_cost(s.id).await.expect("session_cost").unwrap_or_else(|| panic!("no cost for {}", s.id));
        let what = format!("{station}/{connector} {id_tag}");
        assert_eq!((cost.transaction_id, cost.operator_id), (s.id, op), "{what}");
        assert_eq!(cost.tariff, Some((tariff, 1)), "{what}: tariff and version");
        assert_eq!(cost.free, None, "{what}");
        assert_eq!(cost.currency.as_str(), "CHF");
        assert_eq!(
            (cost.subtotal, cost.adjustment, cost.net, cost.vat_rate, cost.vat, cost.total),
            (dec(net), dec("0"), dec(net), dec("8.1"), dec(vat), dec(total)),
            "{what}: amounts"
        );
        assert_eq!((cost.energy_wh, cost.duration_secs), (wh, secs), "{what}: usage");
        let sum = |kind: ItemKind| cost.items.iter().filter(|i| i.kind == kind).map(|i| i.amount).sum::<Decimal>();
        let items = (sum(ItemKind::StartFee), sum(ItemKind::Energy));
        assert_eq!(items, (dec(start_fee), dec(energy)), "{what}: items {:?}", cost.items);
    }
    // 100 Wh in a minute: below the thresholds, free.
    let d = session_at(store, "FX-2", 2, "TAG-A", "2026-06-03T10:40:00Z").await;
    let cost = store.session_cost(d.id).await.unwrap().expect("a cost for the short session");
    assert_eq!((cost.free, cost.total, cost.items.len()), (Some(FreeReason::BelowThreshold), dec("0"), 0));
    assert_eq!((cost.tariff, cost.energy_wh, cost.duration_secs), (Some((residents, 1)), 100, 60));
    let e = session_at(store, "FX-2", 1, "TAG-A", "2026-06-03T11:00:00Z").await;
    assert_eq!(store.session_cost(e.id).await.unwrap(), None, "the running session has no cost yet");
    for station in ["FX-3", "FX-SIM-00001"] {
        let s = &sessions_of(store, station).await[0];
        let cost = store.session_cost(s.id).await.unwrap().expect(station);
        assert_eq!(cost.free, Some(FreeReason::BelowThreshold), "{station}: seconds long");
    }
    assert!(
        store.sessions_without_cost(100).await.expect("sessions_without_cost").is_empty(),
        "every completed session is priced"
    );
    let june =
        store.session_costs(op, t("2026-06-01T00:00:00Z"), t("2026-07-01T00:00:00Z")).await.expect("session_costs");
    assert_eq!(june.len(), 4, "June's priced sessions");
}

async fn accounts_and_tokens(store: &dyn Store, known: &Known, generated: &Generated) {
    for (address, password) in PASSWORDS {
        let (account, hash) = store.account_by_email(&email(address)).await.unwrap().expect(address);
        assert!(password_matches(password, &hash), "{address}'s password still verifies");
        assert!(!password_matches("not the password", &hash));
        assert_eq!(account.email.as_str(), address);
    }
    let all = store.list_accounts(&AccountFilter::default()).await.expect("list_accounts");
    let seen: Vec<(String, AccountRole, Option<OperatorId>, bool, bool)> = all
        .iter()
        .map(|a| {
            (a.email.as_str().to_string(), a.role, a.operator_id, a.approved_at.is_some(), a.disabled_at.is_some())
        })
        .collect();
    let op = Some(known.op);
    assert_eq!(
        seen,
        [
            ("admin@fixture.example".into(), AccountRole::PlatformAdmin, None, false, false),
            ("driver@fixture.example".into(), AccountRole::Driver, op, false, false),
            ("installer@fixture.example".into(), AccountRole::Installer, op, true, false),
            ("leaver@fixture.example".into(), AccountRole::OperatorStaff, op, false, true),
            ("owner@fixture.example".into(), AccountRole::Owner, op, true, false),
            ("staff@fixture.example".into(), AccountRole::OperatorStaff, op, false, false),
        ],
        "accounts by e-mail: role, operator, approved, disabled"
    );
    let owner = store.account(known.account("owner@fixture.example")).await.unwrap().expect("owner");
    assert_eq!(
        (owner.name.as_str(), owner.owner_kind, owner.company_number.as_deref()),
        ("Fixture Owner AG", Some(OwnerKind::Company), Some("CHE-123.456.789"))
    );
    assert_eq!(owner.approved_by, Some(known.account("staff@fixture.example")), "confirmed by the staff member");
    let pending = AccountFilter { pending_approval: true, ..Default::default() };
    assert!(store.list_accounts(&pending).await.unwrap().is_empty(), "nobody waits for approval");

    let admin = store
        .api_token_by_hash(&generated.admin_token_sha256)
        .await
        .expect("api_token_by_hash")
        .expect("the admin token");
    assert_eq!((admin.name.as_str(), admin.role, admin.operator_id), ("fixture-admin", Role::Admin, known.op));
    assert!(admin.revoked_at.is_none() && admin.last_used_at.is_some(), "used by make.sh, never revoked");
    let viewer = store.api_token_by_hash(&generated.viewer_token_sha256).await.unwrap().expect("the viewer token");
    assert_eq!((viewer.name.as_str(), viewer.role), ("fixture-viewer", Role::Viewer));
    assert!(viewer.revoked_at.is_some(), "revoked");
    let other =
        store.api_token_by_hash(&generated.other_token_sha256).await.unwrap().expect("the other operator's token");
    assert_eq!((other.name.as_str(), other.role, other.operator_id), ("other-operator", Role::Operator, known.other));
    assert_eq!(store.api_token_by_hash(&"0".repeat(64)).await.unwrap(), None);
    let names: Vec<String> = store.list_api_tokens(known.op).await.unwrap().into_iter().map(|t| t.name).collect();
    assert_eq!(names, ["fixture-admin", "fixture-viewer"]);

    let login =
        store.login_by_hash(&generated.staff_login_sha256).await.expect("login_by_hash").expect("the staff login");
    assert_eq!(login.account.email.as_str(), "staff@fixture.example");
    assert!(login.expires_at > login.created_at && login.revoked_at.is_none());

    let installer = known.account("installer@fixture.example");
    assert_eq!(
        store.password_resets_since(installer, t("2000-01-01T00:00:00Z")).await.expect("password_resets_since"),
        1
    );

    let inbox = store.notifications(owner.id, 10).await.expect("notifications");
    let kinds: BTreeSet<&str> = inbox.iter().map(|n| n.kind.as_str()).collect();
    assert_eq!(kinds, BTreeSet::from(["activation.activated", "activation.rejected"]), "the owner's inbox");
    assert_eq!(inbox.iter().filter(|n| n.read_at.is_some()).count(), 1, "one of them read");

    let audit =
        store.audit_entries(&AuditFilter { limit: Some(1000), ..Default::default() }).await.expect("audit_entries");
    let has = |action: &str, actor: &str| audit.iter().any(|e| e.action == action && e.actor == actor);
    for (action, actor) in [
        ("account.create", "cli"),
        ("account.register", "account:owner@fixture.example"),
        ("owner.confirm", "account:staff@fixture.example"),
        ("account.disable", "account:staff@fixture.example"),
        ("tariff.version", "token:fixture-admin"),
        ("activation.reject", "account:staff@fixture.example"),
        ("station.claim", "account:installer@fixture.example"),
        ("station.verify", "account:installer@fixture.example"),
        ("handover.confirm", "token:fixture-admin"),
    ] {
        assert!(has(action, actor), "audit entry {action} by {actor}");
    }
    assert!(audit.windows(2).all(|w| (w[0].at, w[0].id) >= (w[1].at, w[1].id)), "newest first");
}

async fn commands_and_configuration(store: &dyn Store, known: &Known) {
    let sim = sid("FX-SIM-00001");
    let commands = store.list_commands(&sim, 100).await.expect("list_commands");
    assert!(commands.windows(2).all(|w| w[0].requested_at >= w[1].requested_at), "newest first");
    let find = |action: &str, payload: &str| {
        commands
            .iter()
            .find(|c| c.action == action && c.payload_json.contains(payload))
            .unwrap_or_else(|| panic!("no {action} with {payload} in {commands:#?}"))
            .clone()
    };
    for key in ["MeterValueSampleInterval", "ClockAlignedDataInterval"] {
        let c = find("ChangeConfiguration", key);
        assert_eq!(c.requested_by, "system", "the operator's defaults, applied by Joule");
        let outcome = c.outcome.expect("finished");
        assert_eq!(
            (outcome.kind, outcome.answer_json.as_deref()),
            (CommandOutcomeKind::Answered, Some(r#"{"status":"Accepted"}"#))
        );
    }
    let by_token = [
        ("GetConfiguration", ""),
        ("ChangeConfiguration", "HeartbeatInterval"),
        ("TriggerMessage", "StatusNotification"),
        ("DataTransfer", "FixtureWorks"),
        ("ClearCache", ""),
        ("SendLocalList", "TAG-A"),
        ("RemoteStartTransaction", "TAG-A"),
        ("RemoteStopTransaction", ""),
    ];
    for (action, payload) in by_token {
        let c = find(action, payload);
        let outcome = c.outcome.as_ref().unwrap_or_else(|| panic!("{action} finished"));
        assert_eq!(outcome.kind, CommandOutcomeKind::Answered, "{action}");
        assert!(outcome.latency_ms.is_some(), "{action}");
        if action != "SendLocalList" {
            assert_eq!(c.requested_by, "token:fixture-admin", "{action}");
        }
    }
    let session = &sessions_of(store, "FX-SIM-00001").await[0];
    let start = find("RemoteStartTransaction", "TAG-A");
    assert_eq!(start.transaction_id, Some(session.id), "the remote start knows its session");
    assert!(find("RemoteStopTransaction", "").payload_json.contains(&session.id.0.to_string()));
    let reset = find("Reset", "Soft");
    let outcome = reset.outcome.clone().expect("finished");
    assert_eq!((outcome.kind, outcome.latency_ms), (CommandOutcomeKind::Offline, None), "sent to an offline station");
    assert_eq!(store.command(reset.id).await.expect("command"), Some(reset));

    let fx3 = store.list_commands(&sid("FX-3"), 100).await.unwrap();
    let test = fx3.iter().find(|c| c.action == "RemoteStartTransaction").expect("FX-3's test session start");
    assert_eq!(test.requested_by, "account:installer@fixture.example");
    assert_eq!(test.transaction_id, Some(sessions_of(store, "FX-3").await[0].id));
    assert!(fx3.iter().any(|c| c.action == "GetConfiguration" && c.requested_by == "account:staff@fixture.example"));

    let config: BTreeMap<String, (Option<String>, bool, bool, bool)> = store
        .configuration(&sim)
        .await
        .expect("configuration")
        .into_iter()
        .map(|k| (k.key, (k.value, k.readonly, k.read_at.is_some(), k.changed_at.is_some())))
        .collect();
    assert_eq!(config.len(), 11, "every key joule-sim reported: {config:?}");
    assert_eq!(config["HeartbeatInterval"], (Some("120".into()), false, true, true), "read, then changed");
    assert_eq!(config["MeterValueSampleInterval"], (Some("60".into()), false, true, true), "a default");
    assert_eq!(config["NumberOfConnectors"], (Some("2".into()), true, true, false));
    let fx3_config = store.configuration(&sid("FX-3")).await.unwrap();
    let mac = fx3_config.iter().find(|k| k.key == "MacAddress").expect("FX-3 reported its MAC");
    assert_eq!(mac.value.as_deref(), Some("AA:BB:CC:00:00:03"));
    let results: Vec<(String, String, String)> = store
        .default_results(&sim)
        .await
        .expect("default_results")
        .into_iter()
        .map(|r| (r.key, r.value, r.result))
        .collect();
    assert_eq!(
        results,
        [
            ("ClockAlignedDataInterval".into(), "900".into(), "Accepted".into()),
            ("MeterValueSampleInterval".into(), "60".into(), "Accepted".into())
        ]
    );

    let list = store.local_list_state(&sim).await.expect("local_list_state").expect("FX-SIM-00001 was synced");
    assert_eq!((list.supported, list.last_result.as_deref()), (Some(true), Some("in-step")));
    assert!(list.sent_version.is_some() && list.sent_version == list.station_version);
    let sent: BTreeSet<&str> = list.sent.iter().map(|e| e.tag.as_str()).collect();
    assert!(sent.contains("TAG-A") && !sent.contains("TAG-BLOCKED"), "{sent:?}");
    assert_eq!(store.local_list_state(&sid("FX-1")).await.unwrap(), None);
    assert!(store.open_outbox(0, 10).await.expect("open_outbox").is_empty(), "the outbox was worked off");
    let _ = known;
}

async fn messages(store: &dyn Store) {
    let fx1 = MessageFilter { station_id: Some(sid("FX-1")), ..Default::default() };
    let frames = store.messages(&fx1).await.expect("messages");
    // stations.py's FX-1 makes 29 CALLs; each is logged with its answer.
    assert_eq!(frames.len(), 58, "every frame in and out of FX-1");
    assert!(frames.windows(2).all(|w| w[0].at <= w[1].at), "oldest first");
    let call = frames.iter().position(|m| m.action.as_deref() == Some("StartTransaction")).expect("a StartTransaction");
    let m = &frames[call];
    assert_eq!((m.direction, m.message_type, m.message_id.as_str()), (Direction::In, 2, "FX-1-7"));
    assert_eq!(
        m.text,
        r#"[2, "FX-1-7", "StartTransaction", {"connectorId": 1, "idTag": "TAG-A", "meterStart": 1000, "timestamp": "2026-06-02T08:00:00.000Z"}]"#,
        "the frame exactly as the station sent it"
    );
    let answer = frames.iter().find(|f| f.message_id == "FX-1-7" && f.direction == Direction::Out).expect("its answer");
    assert_eq!((answer.message_type, answer.action.as_deref()), (3, Some("StartTransaction")));
    let a = session_at(store, "FX-1", 1, "TAG-A", "2026-06-02T08:00:00Z").await;
    assert!(answer.text.contains(&format!(r#""transactionId":{}"#, a.id.0)), "{}", answer.text);
    let starts =
        MessageFilter { station_id: Some(sid("FX-1")), action: Some("StartTransaction".into()), ..Default::default() };
    assert_eq!(store.messages(&starts).await.unwrap().len(), 4, "two starts and their answers");
    let sim = MessageFilter {
        station_id: Some(sid("FX-SIM-00001")),
        action: Some("GetConfiguration".into()),
        ..Default::default()
    };
    let out = store.messages(&sim).await.unwrap();
    assert!(
        out.iter().any(|m| m.direction == Direction::Out && m.message_type == 2),
        "Joule's GetConfiguration to joule-sim"
    );
    assert!(out.iter().any(|m| m.direction == Direction::In && m.message_type == 3), "and its answer");
}

async fn onboarding(store: &dyn Store, known: &Known) {
    let requests = store
        .list_activation_requests(&ActivationFilter { operator_id: Some(known.op), ..Default::default() })
        .await
        .expect("list_activation_requests");
    let owner = known.account("owner@fixture.example");
    let seen: Vec<(String, String, ActivationState, Option<String>)> = requests
        .iter()
        .map(|r| {
            assert_eq!(r.owner_id, owner);
            let form = &r.form;
            assert_eq!(form.controller_number.as_deref(), Some("CTRL-7"));
            assert_eq!(form.installation_type.as_str(), "home");
            assert_eq!(form.network.as_str(), "lan");
            assert_eq!(form.features.iter().map(|f| f.as_str().to_string()).collect::<Vec<_>>(), ["rfid-reader"]);
            assert_eq!(form.notes.as_deref(), Some("Fixture request"));
            let a = &form.address;
            assert_eq!(
                (a.street(), a.house_number(), a.postal_code(), a.city(), a.country().as_str()),
                ("Seestrasse", Some("12"), Some("8002"), "Zürich", "CH")
            );
            assert_eq!(form.charge_points.len(), 1);
            (form.customer_number.clone(), form.charge_points[0].station_id.to_string(), r.state, r.reason.clone())
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("C-1001".into(), "FX-3".into(), ActivationState::Activated, None),
            (
                "C-1002".into(),
                "FX-6".into(),
                ActivationState::Rejected,
                Some("The address is outside our service area.".into())
            ),
            ("C-1003".into(), "FX-5".into(), ActivationState::InReview, None),
        ],
        "the activation requests, oldest first"
    );
    assert_eq!(requests[0].updated_by.as_deref(), Some("account:staff@fixture.example"));
    let open = ActivationFilter { state: Some(ActivationState::InReview), ..Default::default() };
    assert_eq!(store.list_activation_requests(&open).await.unwrap().len(), 1);
    assert_eq!(store.activation_request(requests[1].id).await.unwrap().as_ref(), Some(&requests[1]));

    let codes = store.activation_codes(&sid("FX-3")).await.expect("activation_codes");
    assert_eq!(codes.len(), 1);
    assert_eq!(
        (codes[0].mac.as_str(), codes[0].used_by, codes[0].used_at.is_some()),
        ("AA:BB:CC:00:00:03", Some(known.account("installer@fixture.example")), true),
        "FX-3's sticker, used by the installer's claim"
    );
    let open = store.open_activation_codes("AA:BB:CC:00:00:05").await.expect("open_activation_codes");
    assert_eq!(open.len(), 1, "FX-5's sticker is unused");
    assert_eq!(open[0].0.station_id.as_str(), "FX-5");
    assert!(open[0].1.starts_with("$argon2"), "only its hash is kept");
    assert!(store.open_activation_codes("AA:BB:CC:00:00:03").await.unwrap().is_empty());

    let inst = store.installation(&sid("FX-3")).await.expect("installation").expect("FX-3 is installed");
    assert_eq!(inst.claimed_by, Some(known.account("installer@fixture.example")));
    assert!(inst.claimed_at.is_some() && inst.serial_locked_at.is_some());
    let p = &inst.pinpointing;
    assert_eq!((p.lat, p.lon, p.accuracy_m), (Some(47.3769), Some(8.5417), Some(4.5)));
    assert_eq!(
        (p.vendor.as_deref(), p.model.as_deref(), p.serial_number.as_deref()),
        (Some("Fixture Works"), Some("FX-22"), Some("FXS-0003"))
    );
    assert_eq!(
        (
            p.street.as_deref(),
            p.house_number.as_deref(),
            p.postal_code.as_deref(),
            p.city.as_deref(),
            p.country.as_deref()
        ),
        (Some("Bahnhofstrasse"), Some("1"), Some("8001"), Some("Zürich"), Some("CH"))
    );
    assert_eq!(
        (p.time_zone.as_deref(), p.parking_spot.as_deref(), p.directions.as_deref()),
        (Some("Europe/Zurich"), Some("P3"), Some("Level -1, next to the lift"))
    );
    let (photo, content_type) =
        store.installation_photo(&sid("FX-3")).await.expect("installation_photo").expect("a photo");
    assert_eq!(content_type, "image/png");
    assert!(photo.starts_with(b"\x89PNG\r\n\x1a\n"), "the PNG make.sh drew");
    assert_eq!((inst.photo_type.as_deref(), inst.photo_size), (Some("image/png"), Some(photo.len() as u64)));

    let models: Vec<(String, String, Option<String>)> = store
        .station_models(known.op)
        .await
        .expect("station_models")
        .into_iter()
        .map(|m| (m.model.vendor, m.model.model, m.model.min_firmware.map(|f| f.as_str().to_string())))
        .collect();
    assert_eq!(
        models,
        [
            ("Fixture Works".into(), "FX-11".into(), None),
            ("Fixture Works".into(), "FX-22".into(), Some("1.4.0".into()))
        ]
    );
}

async fn handover_and_access(store: &dyn Store, known: &Known) {
    let backends = store.backends(known.op).await.expect("backends");
    assert_eq!(backends.len(), 1);
    assert_eq!(
        (backends[0].name.as_str(), backends[0].ocpp_url.as_str()),
        ("Neighbour CSMS", "ws://neighbour.example/ocpp")
    );
    let profiles = store.provisioning_profiles(known.op).await.expect("provisioning_profiles");
    assert_eq!(profiles.len(), 1);
    let p = &profiles[0];
    assert_eq!(p.vendor, "Fixture Works");
    assert_eq!(p.method, ProvisioningMethod::ConfigurationKey { key: "CentralSystemUrl".into() });
    assert_eq!((p.append_station_id, p.reset), (true, ResetKind::Soft));
    assert_eq!(store.provisioning_profile(known.op, &p.vendor_key()).await.unwrap().as_ref(), Some(p));

    let handovers = store.handovers(&sid("FX-7")).await.expect("handovers");
    assert_eq!(handovers.len(), 1);
    let h = &handovers[0];
    assert_eq!(
        (h.state, h.target_name.as_str(), h.backend_id),
        (HandoverState::HandedOver, "Neighbour CSMS", Some(backends[0].id))
    );
    assert!(h.finished_at.is_some() && !h.steps.is_empty(), "{h:?}");
    assert_eq!(store.handover(h.id).await.unwrap().as_ref(), Some(h));
    assert_eq!(store.handovers_in_state(HandoverState::HandedOver).await.unwrap().len(), 1);

    let a = store.assignment(&sid("FX-9")).await.expect("assignment").expect("FX-9 is assigned");
    assert_eq!((a.backend_name.as_str(), a.backend_id, a.purchased_from.as_str()), ("joule", None, "Fixture Shop"));
    assert_eq!(a.assigned_by, "token:fixture-admin");

    let groups = store.groups(known.op).await.unwrap();
    let group = |name: &str| groups.iter().find(|g| g.group.name.as_str() == name).expect(name).group.id;
    let fx2 = store.access_rules(&sid("FX-2")).await.expect("access_rules").expect("FX-2");
    assert_eq!(
        fx2.mode,
        AccessMode::Limited { drivers: vec![known.driver("Ann Example")], groups: vec![group("staff")] }
    );
    assert!(fx2.authorization_required && fx2.available_times.is_none());
    let fx8 = store.access_rules(&sid("FX-8")).await.unwrap().expect("FX-8");
    assert_eq!(fx8.mode, AccessMode::Public);
    assert!(!fx8.authorization_required, "free vend");
    assert_eq!(fx8.available_times, Some(AvailableTimes::parse("mon-fri 07:00-19:00; 2026-12-25 closed").unwrap()));
    assert_eq!(fx8.group_times.len(), 1);
    assert_eq!(
        (fx8.group_times[0].group, &fx8.group_times[0].times),
        (group("residents"), &AvailableTimes::parse("sat 08:00-12:00").unwrap())
    );
    assert_eq!(fx8.connectors.len(), 1);
    assert_eq!((fx8.connectors[0].connector.get(), fx8.connectors[0].mode.clone()), (2, Some(AccessMode::Private)));
    let fx1 = store.access_rules(&sid("FX-1")).await.unwrap().expect("FX-1");
    assert_eq!(
        (fx1.mode, fx1.authorization_required, fx1.available_times),
        (AccessMode::Public, true, None),
        "never set: public"
    );
}

/// Writes to the upgraded database: what a server does next with it (new sessions get ids above the old
/// ones, a session started before the upgrade stops, meter values, tokens, stations, accounts...).
pub async fn the_store_still_works(store: &dyn Store) {
    let known = Known::find(store).await;
    let op = known.op;
    let now = joule_store::backend::now();
    let old = store.list_sessions(&SessionFilter::default()).await.unwrap();
    let highest = old.iter().map(|s| s.id).max().expect("old sessions");

    // A new session on FX-1 with TAG-A, its meter values, its stop.
    let start = SessionStart {
        transaction_id: None,
        station_id: sid("FX-1"),
        operator_id: op,
        connector_id: 1,
        id_tag: tag("TAG-A"),
        meter_start_wh: 6000,
        started_at: now,
        reservation_id: None,
        authorization: AuthorizationStatus::Accepted,
    };
    let started = store.start_session(&start).await.expect("start_session");
    assert!(started.created);
    let new = started.session.id;
    assert!(new > highest, "a new transaction id ({new}) above the old ones ({highest})");
    assert_eq!(store.start_session(&start).await.unwrap().session.id, new, "the same start again: the same session");
    let value = |at: Timestamp, v: &str, context: &str| {
        MeterSample::from_raw(at, RawSample { value: v, context: Some(context), ..Default::default() })
    };
    let batch = MeterBatch {
        station_id: sid("FX-1"),
        connector_id: 1,
        transaction_id: Some(new),
        samples: vec![value(now + std::time::Duration::from_secs(60), "6400", "Sample.Periodic")],
    };
    assert_eq!(store.add_meter_values(&batch).await.expect("add_meter_values"), 1);
    assert_eq!(store.add_meter_values(&batch).await.unwrap(), 0, "a re-sent MeterValues changes nothing");
    let stop = SessionStop {
        station_id: sid("FX-1"),
        transaction_id: new,
        id_tag: Some(tag("TAG-A")),
        meter_stop_wh: 7000,
        stopped_at: now + std::time::Duration::from_secs(120),
        reason: Some("Local".into()),
        samples: vec![value(now + std::time::Duration::from_secs(120), "7000", "Transaction.End")],
    };
    match store.stop_session(&stop).await.expect("stop_session") {
        StopOutcome::Stopped(s) => assert_eq!(s.energy_wh(), Some(1000)),
        other => panic!("{other:?}"),
    }
    assert!(matches!(store.stop_session(&stop).await.unwrap(), StopOutcome::AlreadyStopped(_)));
    let samples = samples_of(store, MeterFilter { transaction_id: Some(new), ..Default::default() }).await;
    assert_eq!(samples.len(), 2);

    // The session left running before the upgrade stops after it.
    let running = session_at(store, "FX-2", 1, "TAG-A", "2026-06-03T11:00:00Z").await;
    let stop = SessionStop {
        station_id: sid("FX-2"),
        transaction_id: running.id,
        id_tag: None,
        meter_stop_wh: 3000,
        stopped_at: t("2026-06-03T11:30:00Z"),
        reason: Some("EVDisconnected".into()),
        samples: Vec::new(),
    };
    match store.stop_session(&stop).await.expect("stop the old session") {
        StopOutcome::Stopped(s) => assert_eq!((s.id, s.energy_wh()), (running.id, Some(1000))),
        other => panic!("{other:?}"),
    }
    assert!(store.list_sessions(&SessionFilter { active_only: true, ..Default::default() }).await.unwrap().is_empty());
    let second = store
        .start_session(&SessionStart {
            transaction_id: None,
            connector_id: 2,
            started_at: now + std::time::Duration::from_secs(1),
            ..start.clone()
        })
        .await
        .unwrap();
    assert!(second.session.id > new, "ids keep increasing");

    // Statuses, boots, heartbeats, connections.
    let report = StatusReport {
        evse_id: 1,
        connector_id: 1,
        status: status("Charging"),
        error_code: "NoError".into(),
        info: None,
        vendor_id: None,
        vendor_error_code: None,
        timestamp: Some(now),
    };
    store.record_status(&sid("FX-1"), &report, now).await.expect("record_status");
    let c1 =
        store.connectors(&sid("FX-1")).await.unwrap().into_iter().find(|c| c.connector_id == 1).expect("connector 1");
    assert_eq!((c1.evse_id, c1.status, c1.status_at), (1, status("Charging"), now));
    store.record_connection(&sid("FX-1"), true, now).await.expect("record_connection");
    store.record_boot(&sid("FX-1"), &boot("FX-22", "FXS-0001", "1.5.0", 1), now).await.expect("record_boot");
    store.record_heartbeat(&sid("FX-1"), now).await.expect("record_heartbeat");
    let fx1 = store.station(&sid("FX-1")).await.unwrap().expect("FX-1");
    assert!(fx1.online);
    assert_eq!(fx1.boot.and_then(|b| b.firmware_version).as_deref(), Some("1.5.0"));
    assert_eq!(store.mark_all_offline(now).await.expect("mark_all_offline"), 1);
    store.set_station_state(&sid("FX-8"), StationState::Active).await.expect("set_station_state");

    // New rows of every kind next to the old ones.
    let new_tag = token(op, "TAG-NEW", Some("TAG-A"), Some("2031-01-01T00:00:00Z"), false);
    store.add_id_token(&new_tag).await.expect("add_id_token");
    assert!(store.add_id_token(&new_tag).await.is_err(), "the tag is taken");
    let mut b = store.id_token(op, &tag("TAG-B")).await.unwrap().expect("TAG-B");
    b.blocked = true;
    assert_eq!(store.update_id_token(&b).await.expect("update_id_token"), b);
    store.delete_id_token(op, &tag("TAG-EXPIRED")).await.expect("delete_id_token");
    assert_eq!(store.list_id_tokens(op).await.unwrap().len(), 8);
    store.set_token_driver(op, &tag("TAG-NEW"), Some(known.driver("Bob Example"))).await.expect("set_token_driver");

    let station = NewStation {
        id: sid("FX-NEW"),
        operator_id: op,
        state: StationState::Pending,
        free_vend: false,
        password_hash: None,
        created_at: now,
    };
    store.register_station(station.clone()).await.expect("register_station");
    assert!(store.register_station(station).await.is_err(), "the id is taken");
    store.ensure_station(known.other, &sid("OB-2"), now).await.expect("ensure_station");
    let operator =
        store.create_operator("Upgrade Op", &OperatorKey::parse("upgrade-op").unwrap()).await.expect("create_operator");
    assert!(operator.id != op && operator.id != known.other);

    let account = NewAccount {
        email: email("new@fixture.example"),
        name: "New Staff".into(),
        role: AccountRole::OperatorStaff,
        operator_id: Some(op),
        owner_kind: None,
        company_number: None,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        created_at: now,
    };
    let created = store.create_account(&account).await.expect("create_account");
    assert!(known.accounts.values().all(|id| *id != created.id), "a new account id");
    assert!(
        store.create_account(&NewAccount { email: email("staff@fixture.example"), ..account }).await.is_err(),
        "the address is taken"
    );
    let token = NewApiToken {
        operator_id: op,
        role: Role::Viewer,
        name: "after-upgrade".into(),
        token_hash: "ab".repeat(32),
        created_at: now,
    };
    let api = store.create_api_token(&token).await.expect("create_api_token");
    assert_eq!(store.api_token_by_hash(&"ab".repeat(32)).await.unwrap().map(|t| t.id), Some(api.id));

    let old_commands = store.list_commands(&sid("FX-SIM-00001"), 100).await.unwrap();
    let command = NewCommand {
        station_id: sid("FX-SIM-00001"),
        action: "Reset".into(),
        payload_json: r#"{"type":"Hard"}"#.into(),
        requested_by: "upgrade-test".into(),
        requested_at: now,
    };
    let id = store.record_command(&command).await.expect("record_command");
    assert!(old_commands.iter().all(|c| c.id < id), "command ids keep increasing");
    let outcome = joule_store::CommandOutcome {
        kind: CommandOutcomeKind::Answered,
        answer_json: Some(r#"{"status":"Accepted"}"#.into()),
        error: None,
        finished_at: now,
        latency_ms: Some(5),
    };
    store.finish_command(id, &outcome).await.expect("finish_command");
    store
        .set_configuration_value(&sid("FX-SIM-00001"), "HeartbeatInterval", "60", now)
        .await
        .expect("set_configuration_value");
    let hb = store
        .configuration(&sid("FX-SIM-00001"))
        .await
        .unwrap()
        .into_iter()
        .find(|k| k.key == "HeartbeatInterval")
        .unwrap();
    assert_eq!(hb.value.as_deref(), Some("60"));
    store
        .log_messages(&[joule_store::LoggedMessage {
            station_id: sid("FX-1"),
            at: now,
            direction: Direction::In,
            message_type: 2,
            message_id: "after-upgrade".into(),
            action: Some("Heartbeat".into()),
            text: r#"[2,"after-upgrade","Heartbeat",{}]"#.into(),
        }])
        .await
        .expect("log_messages");
    let fx1 = MessageFilter { station_id: Some(sid("FX-1")), ..Default::default() };
    assert_eq!(store.messages(&fx1).await.unwrap().len(), 59);

    // Billing: a new tariff version, a cost for the new session, a group membership.
    let standard = store.tariffs(op).await.unwrap().into_iter().find(|v| v.name == "Standard").expect("Standard");
    let version = store
        .create_tariff(&joule_store::NewTariff {
            operator_id: op,
            tariff_id: Some(standard.tariff_id),
            name: "Standard".into(),
            valid_from: t("2028-01-01T00:00:00Z"),
            body: standard.body.clone(),
            by: "upgrade-test".into(),
            at: now,
        })
        .await
        .expect("create_tariff");
    assert_eq!(version.version, 3);
    let settings = store.billing_settings(op).await.unwrap();
    let cost = joule_store::SessionCost::free(new, op, None, &settings, FreeReason::NoTariff, (1000, 120), now);
    store.put_session_cost(&cost).await.expect("put_session_cost");
    assert_eq!(store.session_cost(new).await.unwrap().map(|c| c.free), Some(Some(FreeReason::NoTariff)));
    let staff =
        store.groups(op).await.unwrap().into_iter().find(|g| g.group.name.as_str() == "staff").unwrap().group.id;
    store.set_group_member(op, staff, known.driver("Carol Import"), true).await.expect("set_group_member");

    let entry = joule_store::AuditEntry {
        id: 0,
        at: now,
        actor: "upgrade-test".into(),
        operator_id: Some(op),
        action: "upgrade.check".into(),
        subject: "operator".into(),
        before: None,
        after: None,
    };
    let old_audit = store.audit_entries(&AuditFilter { limit: Some(1000), ..Default::default() }).await.unwrap();
    let audit_id = store.record_audit(&entry).await.expect("record_audit");
    assert!(old_audit.iter().all(|e| e.id < audit_id), "audit ids keep increasing");
    let item = store.push_outbox(&sid("FX-1"), joule_store::OutboxKind::TriggerBoot, now).await.expect("push_outbox");
    store.close_outbox(item.id, "done", now).await.expect("close_outbox");

    // The summaries rebuilt from the readings are the ones kept by ingestion, old and new.
    let before = store.energy_quarters(&sid("FX-1"), 0, 0, 100_000).await.unwrap();
    assert!(store.rebuild_energy_quarters(None).await.expect("rebuild_energy_quarters") > 0);
    assert_eq!(store.energy_quarters(&sid("FX-1"), 0, 0, 100_000).await.unwrap(), before);
}
