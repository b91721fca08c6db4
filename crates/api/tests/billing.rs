//! Tariffs and billing end to end: a station's session through StartTransaction, MeterValues and
//! StopTransaction is priced at stop and its itemised cost stored; a tariff change applies to new sessions
//! only; sessions below the thresholds are free; the session report CSV reads back; statements add up.
//! Every figure is worked out by hand in the comment next to it.

mod common;

use common::TestApi;
use joule_core::Role;
use serde_json::{Value, json};

/// Waits until the session's cost is stored (pricing runs just after the stop is answered) and returns it.
async fn cost(api: &TestApi, token: &str, tx: i64) -> Value {
    let path = format!("/api/v1/sessions/{tx}/cost");
    api.eventually("the session is priced", || async { api.get(token, &path).await.status == 200 }).await;
    api.get(token, &path).await.expect(200)
}

async fn session(st: &mut joule_sim::client::StationClient, tag: &str, start: &str, stop: &str, wh: i64) -> i64 {
    let start = json!({"connectorId": 1, "idTag": tag, "meterStart": 0, "timestamp": start});
    let tx = st.call("StartTransaction", start).await.unwrap().expect_result()["transactionId"].as_i64().unwrap();
    let stop = json!({"transactionId": tx, "meterStop": wh, "timestamp": stop, "reason": "EVDisconnected"});
    st.call("StopTransaction", stop).await.unwrap().expect_result();
    tx
}

fn energy_tariff(name: &str, per_kwh: &str, valid_from: &str) -> Value {
    json!({
        "name": name,
        "valid_from": valid_from,
        "tariff": {"elements": [{"price_components": [{"type": "ENERGY", "price": per_kwh, "step_size": 1}]}]}
    })
}

#[tokio::test]
async fn a_session_across_midnight_is_priced_by_high_and_low_tariff_at_stop() {
    let api = TestApi::start().await;
    let op = api.operator("Midnight").await;
    let admin = api.token(&op, Role::Admin).await;
    let viewer = api.token(&op, Role::Viewer).await;
    let mut st = api.booted(&op, "CP-NIGHT").await;

    let settings = json!({
        "currency": "CHF", "vat_rate": "8.1", "time_step_secs": 60, "time_mode": "up", "energy_step_wh": 1,
        "energy_mode": "half_up", "money_scale": 2, "money_mode": "half_up", "free_below_wh": 200,
        "free_below_secs": 120, "time_zone": "Europe/Zurich"
    });
    api.put(&admin, &format!("/api/v1/operators/{}/billing", op.id), settings).await.expect(200);
    // Low tariff from local midnight to 06:00 at 0.20/kWh, high otherwise at 0.30/kWh, start fee 1.00.
    let tariff = json!({
        "name": "High/low",
        "tariff": {
            "start_fee": "1.00",
            "elements": [
                {"price_components": [{"type": "ENERGY", "price": "0.20"}], "restrictions": {"end_time": "06:00"}},
                {"price_components": [{"type": "ENERGY", "price": "0.30"}]}
            ]
        }
    });
    let created = api.post(&admin, "/api/v1/tariffs", tariff).await.expect(201);
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["version"], 1);
    api.post(&viewer, "/api/v1/tariffs", json!({"name": "x", "tariff": {}})).await.problem(403, "forbidden");
    api.put(&admin, "/api/v1/tariff-assignments", json!({"station": "CP-NIGHT", "tariff_id": id})).await.expect(204);

    // The price before the session, in plain words with VAT: 0.30 x 1.081 = 0.3243 -> 0.32.
    let price = api.get(&viewer, "/api/v1/stations/CP-NIGHT/price?connector=1").await.expect(200);
    assert_eq!(price["time_zone"], "Europe/Zurich");
    assert_eq!(price["tariffs"][0]["id"], id);
    let words: Vec<&str> =
        price["tariffs"][0]["description"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
    assert!(words.iter().any(|l| l.starts_with("0.3 CHF (0.32 incl. 8.1 % VAT) per kWh")), "{words:?}");

    // 23:30-00:30 Zurich (UTC+1 in January) = 22:30-23:30 UTC; the register reads 3.0 kWh at midnight.
    let start = json!({"connectorId": 1, "idTag": "CARD-N", "meterStart": 0, "timestamp": "2030-01-15T22:30:00Z"});
    let tx = st.call("StartTransaction", start).await.unwrap().expect_result()["transactionId"].as_i64().unwrap();
    let mv = json!({"connectorId": 1, "transactionId": tx, "meterValue": [{"timestamp": "2030-01-15T23:00:00Z",
        "sampledValue": [{"value": "3.0", "measurand": "Energy.Active.Import.Register", "unit": "kWh"}]}]});
    st.call("MeterValues", mv).await.unwrap().expect_result();
    let stop = json!({"transactionId": tx, "meterStop": 5000, "timestamp": "2030-01-15T23:30:00Z"});
    st.call("StopTransaction", stop).await.unwrap().expect_result();

    // High 3.000 kWh x 0.30 = 0.90 before midnight, low 2.000 kWh x 0.20 = 0.40 after it, start fee 1.00:
    // net 2.30, VAT 8.1 % = 0.1863 -> 0.19, total 2.49.
    let c = cost(&api, &viewer, tx).await;
    let items: Vec<(String, String, String, String)> = c["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["kind"].to_string(), i["from"].to_string(), i["quantity"].to_string(), i["amount"].to_string()))
        .collect();
    assert_eq!(
        items,
        vec![
            ("\"start_fee\"".into(), "\"2030-01-15T22:30:00Z\"".into(), "\"1\"".into(), "\"1.00\"".into()),
            ("\"energy\"".into(), "\"2030-01-15T22:30:00Z\"".into(), "\"3000\"".into(), "\"0.90\"".into()),
            ("\"energy\"".into(), "\"2030-01-15T23:00:00Z\"".into(), "\"2000\"".into(), "\"0.40\"".into()),
        ]
    );
    assert_eq!((c["net"].as_str(), c["vat"].as_str(), c["total"].as_str()), (Some("2.30"), Some("0.19"), Some("2.49")));
    assert_eq!((c["tariff_id"].as_i64(), c["tariff_version"].as_i64()), (Some(id), Some(1)));
    assert_eq!(c["free"], false);
    assert_eq!(c["energy_wh"], 5000);

    // Recomputing gives the same cost; it needs the operator role.
    api.post(&viewer, &format!("/api/v1/sessions/{tx}/cost/recompute"), json!({})).await.problem(403, "forbidden");
    let again = api.post(&admin, &format!("/api/v1/sessions/{tx}/cost/recompute"), json!({})).await.expect(200);
    assert_eq!((again["total"].as_str(), again["items"].as_array().unwrap().len()), (Some("2.49"), 3));

    // Another operator sees neither the cost nor the station's price.
    let other = api.operator("Elsewhere").await;
    let theirs = api.token(&other, Role::Admin).await;
    api.get(&theirs, &format!("/api/v1/sessions/{tx}/cost")).await.problem(404, "not-found");
    api.get(&theirs, "/api/v1/stations/CP-NIGHT/price").await.problem(404, "not-found");
}

#[tokio::test]
async fn tariff_changes_thresholds_reports_and_statements() {
    let api = TestApi::start().await;
    let op = api.operator("Reports").await;
    let admin = api.token(&op, Role::Admin).await;
    let mut st = api.booted(&op, "CP-REP").await;

    // A bad field is a 400 naming it.
    let bad =
        json!({"name": "Bad", "tariff": {"elements": [{"price_components": [{"type": "ENERGY", "price": "-1"}]}]}});
    let problem = api.post(&admin, "/api/v1/tariffs", bad).await.problem(400, "invalid-request");
    assert_eq!(problem["field"], "tariff.elements[0].price_components[0].price", "{problem}");
    let bad = json!({"name": "Bad", "tariff": {"elements": [{"price_components": [{"type": "KWH", "price": "1"}]}]}});
    let problem = api.post(&admin, "/api/v1/tariffs", bad).await.problem(400, "invalid-request");
    assert_eq!(problem["field"], "tariff.elements[0].price_components[0].type", "{problem}");

    // Version 1: 0.30/kWh, for every station of the operator (defaults: CHF, 8.1 % VAT, free below 200 Wh
    // or 120 s, UTC).
    let v1 = api
        .post(&admin, "/api/v1/tariffs", energy_tariff("Standard", "0.30", "2020-01-01T00:00:00Z"))
        .await
        .expect(201);
    let id = v1["id"].as_i64().unwrap();
    api.put(&admin, "/api/v1/tariff-assignments", json!({"tariff_id": id})).await.expect(204);

    // Session A starts under version 1; the tariff changes while it is active; it stops after the change.
    let start = json!({"connectorId": 1, "idTag": "CARD-1", "meterStart": 0, "timestamp": "2026-11-20T08:00:00Z"});
    let a = st.call("StartTransaction", start).await.unwrap().expect_result()["transactionId"].as_i64().unwrap();
    let past = api
        .put(&admin, &format!("/api/v1/tariffs/{id}"), energy_tariff("Standard", "0.40", "2026-01-01T00:00:00Z"))
        .await;
    assert_eq!(past.problem(400, "invalid-request")["field"], "valid_from", "a change cannot reach back");
    let v2 = api
        .put(&admin, &format!("/api/v1/tariffs/{id}"), energy_tariff("Standard", "0.40", "2030-01-01T00:00:00Z"))
        .await
        .expect(200);
    assert_eq!(v2["version"], 2);
    let stop = json!({"transactionId": a, "meterStop": 10000, "timestamp": "2026-11-20T09:00:00Z"});
    st.call("StopTransaction", stop).await.unwrap().expect_result();
    // A: 10 kWh x 0.30 = 3.00, VAT 0.243 -> 0.24, total 3.24 (version 1, the one in force at its start).
    let ca = cost(&api, &admin, a).await;
    assert_eq!((ca["tariff_version"].as_i64(), ca["total"].as_str()), (Some(1), Some("3.24")));

    // B starts after the change: 10 kWh x 0.40 = 4.00, VAT 0.324 -> 0.32, total 4.32.
    let b = session(&mut st, "CARD-1", "2030-02-01T08:00:00Z", "2030-02-01T09:00:00Z", 10_000).await;
    let cb = cost(&api, &admin, b).await;
    assert_eq!((cb["tariff_version"].as_i64(), cb["total"].as_str()), (Some(2), Some("4.32")));

    // C lasts 60 s (< 120 s) and D draws 150 Wh (< 200 Wh): both free, below the threshold.
    let c = session(&mut st, "CARD-2", "2026-11-20T10:00:00Z", "2026-11-20T10:01:00Z", 5000).await;
    let d = session(&mut st, "CARD-2", "2026-11-20T11:00:00Z", "2026-11-20T12:00:00Z", 150).await;
    for tx in [c, d] {
        let free = cost(&api, &admin, tx).await;
        assert_eq!((free["free"].as_bool(), free["free_reason"].as_str()), (Some(true), Some("below_threshold")));
        assert_eq!((free["total"].as_str(), free["items"].as_array().unwrap().len()), (Some("0"), 0));
    }

    // The November report as CSV, read back column by column.
    let url = api.url(&format!("/api/v1/operators/{}/sessions/report?from=2026-11-01&to=2026-12-01", op.id));
    let response = api.http.get(url).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = response.text().await.unwrap();
    let mut lines = text.split("\r\n").filter(|l| !l.is_empty());
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header[0], "session_id");
    assert_eq!(header.len(), 20);
    let rows: Vec<std::collections::HashMap<&str, &str>> =
        lines.map(|l| header.iter().copied().zip(l.split(',')).collect()).collect();
    assert_eq!(rows.len(), 3, "A, C and D started in November; B in 2030");
    let ids: Vec<i64> = rows.iter().map(|r| r["session_id"].parse().unwrap()).collect();
    assert_eq!(ids, vec![a, c, d], "oldest first");
    assert_eq!((rows[0]["station"], rows[0]["id_tag"], rows[0]["energy_wh"]), ("CP-REP", "CARD-1", "10000"));
    assert_eq!((rows[0]["start_utc"], rows[0]["start_local"]), ("2026-11-20T08:00:00Z", "2026-11-20T08:00:00+00:00"));
    assert_eq!(
        (rows[0]["net"], rows[0]["vat"], rows[0]["total"], rows[0]["currency"]),
        ("3.00", "0.24", "3.24", "CHF")
    );
    assert_eq!(
        (rows[0]["tariff_id"], rows[0]["tariff_version"], rows[0]["free"]),
        (id.to_string().as_str(), "1", "false")
    );
    assert_eq!((rows[1]["free"], rows[1]["free_reason"], rows[1]["duration_secs"]), ("true", "below_threshold", "60"));
    assert_eq!((rows[2]["free"], rows[2]["energy_wh"]), ("true", "150"));

    // JSON, for one token.
    let path =
        format!("/api/v1/operators/{}/sessions/report?from=2026-11-01&to=2031-01-01&id_tag=CARD-1&format=json", op.id);
    let json_rows = api.get(&admin, &path).await.expect(200);
    let totals: Vec<&str> = json_rows.as_array().unwrap().iter().map(|r| r["total"].as_str().unwrap()).collect();
    assert_eq!(totals, vec!["3.24", "4.32"]);
    let path = format!("/api/v1/operators/{}/sessions/report?from=2026-12-01&to=2026-11-01", op.id);
    assert_eq!(api.get(&admin, &path).await.problem(400, "invalid-request")["field"], "to");

    // The November statement by driver: CARD-1 3.00 + 0.24 = 3.24; CARD-2 two free sessions.
    let s =
        api.get(&admin, &format!("/api/v1/operators/{}/statements?month=2026-11&by=driver", op.id)).await.expect(200);
    assert_eq!(s["lines"][0]["key"], "tag CARD-1", "a token without a driver");
    assert_eq!((s["lines"][0]["sessions"].as_u64(), s["lines"][0]["total"].as_str()), (Some(1), Some("3.24")));
    assert_eq!(s["lines"][1]["key"], "tag CARD-2");
    assert_eq!((s["lines"][1]["free_sessions"].as_u64(), s["lines"][1]["total"].as_str()), (Some(2), Some("0")));
    assert_eq!((s["totals"]["sessions"].as_u64(), s["totals"]["energy_wh"].as_i64()), (Some(3), Some(15_150)));
    assert_eq!(
        (s["totals"]["net"].as_str(), s["totals"]["vat"].as_str(), s["totals"]["total"].as_str()),
        (Some("3.00"), Some("0.24"), Some("3.24"))
    );
    let bad = api.get(&admin, &format!("/api/v1/operators/{}/statements?month=2026-13", op.id)).await;
    assert_eq!(bad.problem(400, "invalid-request")["field"], "month");
}

#[tokio::test]
async fn a_session_without_a_tariff_is_free_and_assignments_can_be_removed() {
    let api = TestApi::start().await;
    let op = api.operator("Free").await;
    let admin = api.token(&op, Role::Admin).await;
    let mut st = api.booted(&op, "CP-FREE").await;
    let tx = session(&mut st, "CARD-F", "2026-11-20T08:00:00Z", "2026-11-20T09:00:00Z", 8000).await;
    let c = cost(&api, &admin, tx).await;
    assert_eq!((c["free_reason"].as_str(), c["tariff_id"].as_i64()), (Some("no_tariff"), None));

    let t = api.post(&admin, "/api/v1/tariffs", energy_tariff("Zero", "0", "2020-01-01T00:00:00Z")).await.expect(201);
    let id = t["id"].as_i64().unwrap();
    api.put(&admin, "/api/v1/tariff-assignments", json!({"station": "CP-FREE", "connector": 1, "tariff_id": id}))
        .await
        .expect(204);
    let recomputed = api.post(&admin, &format!("/api/v1/sessions/{tx}/cost/recompute"), json!({})).await.expect(200);
    assert_eq!(recomputed["free_reason"], "free_tariff");
    let listed = api.get(&admin, "/api/v1/tariff-assignments").await.expect(200);
    assert_eq!(listed[0]["connector"], 1);
    api.delete(&admin, "/api/v1/tariff-assignments?station=CP-FREE&connector=1").await.expect(204);
    api.delete(&admin, "/api/v1/tariff-assignments?station=CP-FREE&connector=1").await.problem(404, "not-found");
    let problem = api.put(&admin, "/api/v1/tariff-assignments", json!({"connector": 1, "tariff_id": id})).await;
    assert_eq!(problem.problem(400, "invalid-request")["field"], "connector");
}

#[tokio::test]
async fn a_drivers_cheaper_group_tariff_overrides_the_default() {
    use joule_core::access::{DriverName, GroupName};
    let api = TestApi::start().await;
    let op = api.operator("Groups").await;
    let admin = api.token(&op, Role::Admin).await;
    let mut st = api.booted(&op, "CP-GRP").await;
    let now = chrono::Utc::now();

    // Tokens, a driver in two groups (employees, residents), and a token without a driver.
    for tag in ["EMP-1", "GUEST-1"] {
        let token = joule_core::auth::IdToken {
            operator_id: op.id,
            tag: joule_core::IdTag::parse(tag).unwrap(),
            parent: None,
            expires_at: None,
            blocked: false,
        };
        api.store.add_id_token(&token).await.unwrap();
    }
    let new = joule_store::NewDriver {
        operator_id: op.id,
        name: DriverName::parse("Erika Muster").unwrap(),
        email: None,
        account_id: None,
        at: now,
    };
    let driver = api.store.create_driver(&new).await.unwrap();
    let employees = api.store.create_group(op.id, &GroupName::parse("Employees").unwrap(), now).await.unwrap();
    let residents = api.store.create_group(op.id, &GroupName::parse("Residents").unwrap(), now).await.unwrap();
    for g in [&employees, &residents] {
        api.store.set_group_member(op.id, g.group.id, driver.id, true).await.unwrap();
    }
    api.store.set_token_driver(op.id, &joule_core::IdTag::parse("EMP-1").unwrap(), Some(driver.id)).await.unwrap();

    // Default 0.50/kWh; employees 0.30/kWh; residents a 2.00 flat fee and 0.10/kWh.
    let tariff = |name: &str, doc: Value| json!({"name": name, "valid_from": "2020-01-01T00:00:00Z", "tariff": doc});
    let energy = |p: &str| json!({"elements": [{"price_components": [{"type": "ENERGY", "price": p}]}]});
    let default = api.post(&admin, "/api/v1/tariffs", tariff("Default", energy("0.50"))).await.expect(201)["id"]
        .as_i64()
        .unwrap();
    let emp = api.post(&admin, "/api/v1/tariffs", tariff("Employees", energy("0.30"))).await.expect(201)["id"]
        .as_i64()
        .unwrap();
    let res_doc = json!({"elements": [{"price_components": [{"type": "FLAT", "price": "2.00"}, {"type": "ENERGY", "price": "0.10"}]}]});
    let res =
        api.post(&admin, "/api/v1/tariffs", tariff("Residents", res_doc)).await.expect(201)["id"].as_i64().unwrap();
    api.put(&admin, "/api/v1/tariff-assignments", json!({"tariff_id": default})).await.expect(204);
    api.put(&admin, "/api/v1/tariff-assignments", json!({"group": employees.group.id.0, "tariff_id": emp}))
        .await
        .expect(204);
    api.put(&admin, "/api/v1/tariff-assignments", json!({"group": residents.group.id.0, "tariff_id": res}))
        .await
        .expect(204);

    // Both group tariffs are shown before the session for the driver's token; only the default for a guest.
    let price = api.get(&admin, "/api/v1/stations/CP-GRP/price?id_tag=EMP-1").await.expect(200);
    assert_eq!(price["tariffs"].as_array().unwrap().len(), 2);
    let guest = api.get(&admin, "/api/v1/stations/CP-GRP/price?id_tag=GUEST-1").await.expect(200);
    assert_eq!(guest["tariffs"][0]["id"], default);

    // 5 kWh: employees 5 x 0.30 = 1.50; residents 2.00 + 0.50 = 2.50: employees applies (1.50 + VAT 0.12 = 1.62).
    let small = session(&mut st, "EMP-1", "2026-11-20T08:00:00Z", "2026-11-20T09:00:00Z", 5000).await;
    let c = cost(&api, &admin, small).await;
    assert_eq!((c["tariff_id"].as_i64(), c["total"].as_str()), (Some(emp), Some("1.62")));
    // 30 kWh: employees 9.00; residents 2.00 + 3.00 = 5.00: residents applies (5.00 + VAT 0.405 -> 0.41 = 5.41).
    let big = session(&mut st, "EMP-1", "2026-11-20T10:00:00Z", "2026-11-20T14:00:00Z", 30_000).await;
    let c = cost(&api, &admin, big).await;
    assert_eq!((c["tariff_id"].as_i64(), c["total"].as_str()), (Some(res), Some("5.41")));
    // The guest pays the default: 5 x 0.50 = 2.50 + VAT 0.2025 -> 0.20 = 2.70.
    let other = session(&mut st, "GUEST-1", "2026-11-20T15:00:00Z", "2026-11-20T16:00:00Z", 5000).await;
    let c = cost(&api, &admin, other).await;
    assert_eq!((c["tariff_id"].as_i64(), c["total"].as_str()), (Some(default), Some("2.70")));

    // Statements name the driver and the groups; a session counts in each of its driver's groups.
    let by_driver =
        api.get(&admin, &format!("/api/v1/operators/{}/statements?month=2026-11&by=driver", op.id)).await.expect(200);
    assert_eq!(by_driver["lines"][0]["key"], "Erika Muster");
    assert_eq!(by_driver["lines"][0]["total"], "7.03");
    assert_eq!(by_driver["lines"][1]["key"], "tag GUEST-1");
    assert_eq!(by_driver["totals"]["total"], "9.73");
    let by_group =
        api.get(&admin, &format!("/api/v1/operators/{}/statements?month=2026-11&by=group", op.id)).await.expect(200);
    let keys: Vec<&str> = by_group["lines"].as_array().unwrap().iter().map(|l| l["key"].as_str().unwrap()).collect();
    assert_eq!(keys, vec!["Employees", "Residents", "none"]);
    let path = format!(
        "/api/v1/operators/{}/sessions/report?from=2026-11-01&to=2026-12-01&format=json&driver=Erika%20Muster",
        op.id
    );
    let rows = api.get(&admin, &path).await.expect(200);
    assert_eq!(rows.as_array().unwrap().len(), 2);
    assert_eq!(rows[0]["driver"], "Erika Muster");
}
