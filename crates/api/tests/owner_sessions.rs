//! Owners' sessions and energy through the REST API, with stations on real sockets: an owner sees
//! the sessions of their own stations only, with the drivers' tags masked and the cost where one is stored;
//! another owner's station is a 404, staff and tokens get a 403; the energy per day and per month adds up to
//! the figures worked out by hand next to them, in the stations' time zone (Europe/Zurich).

mod common;

use common::{TestApi, unique};
use joule_core::Role;
use joule_core::account::{Account, AccountRole};
use joule_sim::client::StationClient;
use serde_json::{Value, json};

/// A completed session from StartTransaction to StopTransaction; returns its transaction id.
async fn session(st: &mut StationClient, tag: &str, start: &str, stop: &str, meter: (i64, i64)) -> i64 {
    let tx = start_only(st, tag, start, meter.0).await;
    let stop = json!({"transactionId": tx, "meterStop": meter.1, "timestamp": stop, "reason": "EVDisconnected"});
    st.call("StopTransaction", stop).await.unwrap().expect_result();
    tx
}

/// A session that is started and left running.
async fn start_only(st: &mut StationClient, tag: &str, start: &str, meter_start: i64) -> i64 {
    let start = json!({"connectorId": 1, "idTag": tag, "meterStart": meter_start, "timestamp": start});
    st.call("StartTransaction", start).await.unwrap().expect_result()["transactionId"].as_i64().unwrap()
}

struct World {
    api: TestApi,
    admin: String,
    staff: String,
    owner_a: String,
    owner_b: String,
    /// Owner A's sessions: tx1 and tx2 at OS-A1, tx3 (completed) and tx4 (running) at OS-A2.
    tx: [i64; 4],
    /// Owner B's session at OS-B1.
    tx_b: i64,
    /// Kept connected for the test's length.
    _stations: Vec<StationClient>,
}

async fn owned(api: &TestApi, op: &joule_store::Operator, id: &str, owner: &Account) -> StationClient {
    let st = api.booted(op, id).await;
    api.store.set_station_owner(&id.parse().unwrap(), Some(owner.id)).await.unwrap();
    st
}

async fn world() -> World {
    let api = TestApi::start().await;
    let op = api.operator(&format!("Owner energy {}", unique())).await;
    let admin = api.token(&op, Role::Admin).await;
    let (_, staff) =
        api.person(Some(&op), AccountRole::OperatorStaff, &format!("staff-{}@example.com", unique()), true).await;
    let (a, owner_a) = api.person(Some(&op), AccountRole::Owner, &format!("a-{}@example.com", unique()), true).await;
    let (b, owner_b) = api.person(Some(&op), AccountRole::Owner, &format!("b-{}@example.com", unique()), true).await;

    // The operator's zone is the stations' zone (none is pinpointed): Europe/Zurich, UTC+1 in November.
    let settings = json!({
        "currency": "CHF", "vat_rate": "8.1", "time_step_secs": 60, "time_mode": "up", "energy_step_wh": 1,
        "energy_mode": "half_up", "money_scale": 2, "money_mode": "half_up", "free_below_wh": 0,
        "free_below_secs": 0, "time_zone": "Europe/Zurich"
    });
    api.put(&admin, &format!("/api/v1/operators/{}/billing", op.id), settings).await.expect(200);
    let tariff = json!({"name": "Energy", "valid_from": "2020-01-01T00:00:00Z",
        "tariff": {"elements": [{"price_components": [{"type": "ENERGY", "price": "0.30", "step_size": 1}]}]}});
    let tariff = api.post(&admin, "/api/v1/tariffs", tariff).await.expect(201)["id"].as_i64().unwrap();

    let mut a1 = owned(&api, &op, "OS-A1", &a).await;
    let mut a2 = owned(&api, &op, "OS-A2", &a).await;
    let mut b1 = owned(&api, &op, "OS-B1", &b).await;
    api.put(&admin, "/api/v1/tariff-assignments", json!({"station": "OS-A1", "tariff_id": tariff})).await.expect(204);

    // tx1: 3 Nov 09:00-10:00 local, 8000 Wh. tx2: 10 Nov 23:30 UTC = 11 Nov 00:30 local, 3000 Wh.
    let tx1 = session(&mut a1, "04A2B3C4D5E61234", "2026-11-03T08:00:00Z", "2026-11-03T09:00:00Z", (0, 8000)).await;
    let tx2 = session(&mut a1, "CARD-OWNER-2", "2026-11-10T23:30:00Z", "2026-11-11T01:00:00Z", (100, 3100)).await;
    // tx3: 31 Oct 23:30 UTC = 1 Nov 00:30 local, 5000 Wh. tx4: 12 Nov, still running.
    let tx3 = session(&mut a2, "AABBCCDD9999", "2026-10-31T23:30:00Z", "2026-11-01T00:30:00Z", (0, 5000)).await;
    let tx4 = start_only(&mut a2, "AABBCCDD9999", "2026-11-12T10:00:00Z", 5000).await;
    let tx_b = session(&mut b1, "OTHERS-CARD-77", "2026-11-05T10:00:00Z", "2026-11-05T11:00:00Z", (0, 7000)).await;

    World { api, admin, staff, owner_a, owner_b, tx: [tx1, tx2, tx3, tx4], tx_b, _stations: vec![a1, a2, b1] }
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array().unwrap().iter().map(|s| s["transaction_id"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn an_owner_sees_only_their_stations_sessions_with_tags_masked() {
    let mut w = world().await;
    let [tx1, tx2, tx3, tx4] = w.tx;
    let api = &w.api;
    // Wait until billing priced tx1 (it runs just after the stop is answered).
    let cost_path = format!("/api/v1/sessions/{tx1}/cost");
    api.eventually("tx1 is priced", || async { api.get(&w.admin, &cost_path).await.status == 200 }).await;

    let mine = api.get(&w.owner_a, "/api/v1/me/sessions").await.expect(200);
    assert_eq!(ids(&mine), [tx4, tx2, tx1, tx3], "newest first, owner B's session absent");
    let text = mine.to_string();
    for tag in ["04A2B3C4D5E61234", "CARD-OWNER-2", "AABBCCDD9999"] {
        assert!(!text.contains(tag), "the full tag {tag} is never shown: {text}");
    }
    let first = &mine[2];
    assert_eq!(first["id_tag"], "••••1234");
    assert_eq!(first["station_id"], "OS-A1");
    assert_eq!(first["connector_id"], 1);
    assert_eq!(first["state"], "completed");
    assert_eq!(first["energy_wh"], 8000);
    assert_eq!(first["started_at"], "2026-11-03T08:00:00Z");
    assert_eq!(first["stopped_at"], "2026-11-03T09:00:00Z");
    // 8.000 kWh x 0.30 = 2.40 net, VAT 8.1 % = 0.1944 -> 0.19, total 2.59 CHF: the stored cost.
    assert_eq!(first["cost"], json!({"total": "2.59", "currency": "CHF"}));
    assert_eq!(api.get(&w.admin, &cost_path).await.expect(200)["total"], "2.59");
    assert_eq!(mine[1]["id_tag"], "••••ER-2");
    assert_eq!(mine[1]["energy_wh"], 3000);
    let running = &mine[0];
    assert_eq!((running["state"].as_str(), running["energy_wh"].as_i64()), (Some("active"), Some(0)));
    assert!(running["stopped_at"].is_null(), "{running}");

    // The running session's energy and cost so far: 1.5 kWh on a station without a tariff, so free.
    let reading = json!({"connectorId": 1, "transactionId": tx4, "meterValue": [{"timestamp": "2026-11-12T10:30:00Z",
        "sampledValue": [{"value": "6500", "measurand": "Energy.Active.Import.Register", "unit": "Wh"}]}]});
    w._stations[1].call("MeterValues", reading).await.unwrap().expect_result();
    let mine = api.get(&w.owner_a, "/api/v1/me/sessions").await.expect(200);
    assert_eq!(mine[0]["energy_wh"], 1500, "{}", mine[0]);
    assert_eq!(mine[0]["cost"]["currency"], "CHF", "{}", mine[0]);
    let total = mine[0]["cost"]["total"].as_str().unwrap();
    assert!(!total.is_empty() && total.chars().all(|c| c == '0' || c == '.'), "free: {total}");

    // Owner B sees theirs only.
    let theirs = api.get(&w.owner_b, "/api/v1/me/sessions").await.expect(200);
    assert_eq!(ids(&theirs), [w.tx_b]);
    assert_eq!(theirs[0]["id_tag"], "••••D-77");

    // One station, a window, a limit.
    let a2 = api.get(&w.owner_a, "/api/v1/me/sessions?station=OS-A2").await.expect(200);
    assert_eq!(ids(&a2), [tx4, tx3]);
    let window = "/api/v1/me/sessions?since=2026-11-01T00:00:00Z&until=2026-11-11T00:00:00Z";
    assert_eq!(ids(&api.get(&w.owner_a, window).await.expect(200)), [tx2, tx1]);
    assert_eq!(ids(&api.get(&w.owner_a, "/api/v1/me/sessions?limit=2").await.expect(200)), [tx4, tx2]);

    // Another owner's station and a missing one are the same 404; bad parameters are 400 naming them.
    api.get(&w.owner_a, "/api/v1/me/sessions?station=OS-B1").await.problem(404, "not-found");
    api.get(&w.owner_a, "/api/v1/me/sessions?station=NOPE-1").await.problem(404, "not-found");
    for (query, field) in [("limit=0", "limit"), ("limit=1001", "limit"), ("since=yesterday", "since")] {
        let p = api.get(&w.owner_a, &format!("/api/v1/me/sessions?{query}")).await.problem(400, "invalid-request");
        assert_eq!(p["field"], field, "{query}");
    }

    // Staff and tokens have no stations of their own; without a login, 401.
    api.get(&w.staff, "/api/v1/me/sessions").await.problem(403, "forbidden");
    api.get(&w.admin, "/api/v1/me/sessions").await.problem(403, "forbidden");
    api.send("GET", "/api/v1/me/sessions", None, None).await.problem(401, "unauthorized");
}

fn station<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["stations"].as_array().unwrap().iter().find(|s| s["station_id"] == id).expect("the station is listed")
}

/// The non-empty periods as (period, sessions, completed, Wh).
fn busy(s: &Value) -> Vec<(String, u64, u64, i64)> {
    s["periods"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["sessions"].as_u64().unwrap() > 0)
        .map(|p| {
            let n = |k: &str| p[k].as_u64().unwrap();
            (
                p["period"].as_str().unwrap().to_string(),
                n("sessions"),
                n("completed_sessions"),
                p["energy_wh"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn energy_per_day_and_month_adds_up_in_the_stations_time_zone() {
    let w = world().await;
    let api = &w.api;

    // November, 30 days: per day, in Zurich time.
    let nov = api.get(&w.owner_a, "/api/v1/me/energy?from=2026-11-01&to=2026-11-30").await.expect(200);
    assert_eq!(nov["granularity"], "day");
    let listed: Vec<&str> =
        nov["stations"].as_array().unwrap().iter().map(|s| s["station_id"].as_str().unwrap()).collect();
    assert_eq!(listed, ["OS-A1", "OS-A2"], "owner B's station is not listed");
    let a1 = station(&nov, "OS-A1");
    assert_eq!(a1["time_zone"], "Europe/Zurich");
    assert_eq!(a1["since"], "2026-10-31T23:00:00Z", "local midnight of 1 November");
    assert_eq!(a1["until"], "2026-11-30T23:00:00Z");
    assert_eq!(a1["periods"].as_array().unwrap().len(), 30, "every day, empty ones too");
    // tx1 on 3 Nov (8000 Wh); tx2 started 10 Nov 23:30 UTC, which is 11 Nov in Zurich (3100 - 100 = 3000 Wh).
    assert_eq!(busy(a1), [("2026-11-03".into(), 1, 1, 8000), ("2026-11-11".into(), 1, 1, 3000)]);
    assert_eq!((a1["sessions"].as_u64(), a1["energy_wh"].as_i64()), (Some(2), Some(11_000)));
    // tx3 started 31 Oct 23:30 UTC = 1 Nov 00:30 local (5000 Wh); tx4 runs: counted, without energy.
    let a2 = station(&nov, "OS-A2");
    assert_eq!(busy(a2), [("2026-11-01".into(), 1, 1, 5000), ("2026-11-12".into(), 1, 0, 0)]);
    assert_eq!((a2["sessions"].as_u64(), a2["completed_sessions"].as_u64()), (Some(2), Some(1)));
    assert_eq!(a2["energy_wh"], 5000);

    // October and November, 61 days: per month; tx3 is November's in Zurich, not October's.
    let two = api.get(&w.owner_a, "/api/v1/me/energy?from=2026-10-01&to=2026-11-30").await.expect(200);
    assert_eq!(two["granularity"], "month");
    let months = |s: &Value| -> Vec<String> {
        s["periods"].as_array().unwrap().iter().map(|p| p["period"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(months(station(&two, "OS-A2")), ["2026-10", "2026-11"]);
    assert_eq!(busy(station(&two, "OS-A1")), [("2026-11".into(), 2, 2, 11_000)]);
    assert_eq!(busy(station(&two, "OS-A2")), [("2026-11".into(), 2, 1, 5000)]);
    // 31 October alone (local): nothing; tx3 belongs to 1 November.
    let oct31 = api.get(&w.owner_a, "/api/v1/me/energy?from=2026-10-31&to=2026-10-31").await.expect(200);
    assert_eq!(station(&oct31, "OS-A2")["sessions"], 0);

    // Owner B: their 7000 Wh only.
    let b = api.get(&w.owner_b, "/api/v1/me/energy?from=2026-11-01&to=2026-11-30").await.expect(200);
    assert_eq!(b["stations"].as_array().unwrap().len(), 1);
    assert_eq!(busy(station(&b, "OS-B1")), [("2026-11-05".into(), 1, 1, 7000)]);

    // The range is bounded and checked, each problem naming its parameter.
    for (query, field) in [
        ("from=2026-01-01&to=2027-01-02", "to"),
        ("from=2026-11-02&to=2026-11-01", "to"),
        ("from=2026-13-01&to=2026-12-01", "from"),
        ("from=2026-11-01&to=soon", "to"),
    ] {
        let p = api.get(&w.owner_a, &format!("/api/v1/me/energy?{query}")).await.problem(400, "invalid-request");
        assert_eq!(p["field"], field, "{query}");
    }
    assert_eq!(api.get(&w.owner_a, "/api/v1/me/energy?from=2026-01-01&to=2026-12-31").await.status, 200);
    let missing = api.get(&w.owner_a, "/api/v1/me/energy?from=2026-11-01").await.problem(400, "invalid-request");
    assert_eq!(missing["field"], "to");
    api.get(&w.staff, "/api/v1/me/energy?from=2026-11-01&to=2026-11-30").await.problem(403, "forbidden");
    api.get(&w.admin, "/api/v1/me/energy?from=2026-11-01&to=2026-11-30").await.problem(403, "forbidden");
}
