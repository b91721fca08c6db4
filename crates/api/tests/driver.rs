//! Drivers in the portal, through the real server and a real websocket station: a connector's public
//! page, a signed-in driver starting a session there, its live energy, power and cost so far, stopping it,
//! and its final cost; and what a stranger, a private station and someone else's session get.

mod common;

use common::{TestApi, answer_next, unique};
use joule_core::Role;
use joule_core::account::AccountRole;
use serde_json::{Value, json};

fn meter(tx: i64, at: &str, wh: i64, w: f64) -> Value {
    json!({"connectorId": 1, "transactionId": tx, "meterValue": [{"timestamp": at, "sampledValue": [
        {"value": wh.to_string(), "measurand": "Energy.Active.Import.Register", "unit": "Wh"},
        {"value": w.to_string(), "measurand": "Power.Active.Import", "unit": "W"}
    ]}]})
}

#[tokio::test]
async fn a_driver_starts_watches_and_stops_a_session_from_the_connector_page() {
    let api = TestApi::start().await;
    let op = api.operator(&format!("Drive {}", unique())).await;
    let admin = api.token(&op, Role::Admin).await;
    let mut st = api.booted(&op, "DRV-1").await;
    st.call("StatusNotification", json!({"connectorId": 1, "errorCode": "NoError", "status": "Available"}))
        .await
        .unwrap();
    let doc = json!({"elements": [{"price_components": [{"type": "ENERGY", "price": "0.40"}]}]});
    let tariff = json!({"name": "Public", "valid_from": "2020-01-01T00:00:00Z", "tariff": doc});
    let id = api.post(&admin, "/api/v1/tariffs", tariff).await.expect(201)["id"].as_i64().unwrap();
    api.put(&admin, "/api/v1/tariff-assignments", json!({"tariff_id": id})).await.expect(204);

    // Anyone at the station sees its status and price, not who may charge.
    let page = api.send("GET", "/api/v1/public/connectors/DRV-1/1", None, None).await.expect(200);
    assert_eq!(page["status"], "Available");
    assert_eq!(page["private"], false);
    assert_eq!(page["price"]["currency"], "CHF");
    let words = page["price"]["tariffs"][0]["description"][0].as_str().unwrap();
    assert!(words.starts_with("0.4 CHF (0.43 incl. 8.1 % VAT) per kWh"), "{words}");
    assert!(page.get("you").is_none_or(Value::is_null), "{page}");
    api.send("GET", "/api/v1/public/connectors/NOPE-1/1", None, None).await.problem(404, "not-found");
    api.send("GET", "/api/v1/public/connectors/DRV-1/0", None, None).await.problem(400, "invalid-request");
    api.send("GET", "/api/v1/public/connectors/DRV-1/7", None, None).await.problem(404, "not-found");

    // A driver account linked to a driver with a card.
    let email = format!("dana-{}@example.com", unique());
    let (account, session) = api.person(Some(&op), AccountRole::Driver, &email, true).await;
    let base = format!("/api/v1/operators/{}", op.id.0);
    let unlinked = api.send("GET", "/api/v1/public/connectors/DRV-1/1", Some(&session), None).await.expect(200);
    assert_eq!(unlinked["you"]["may_start"], false);
    assert!(unlinked["you"]["reason"].as_str().unwrap().contains("not linked to a driver"), "{unlinked}");
    let driver =
        api.post(&admin, &format!("{base}/drivers"), json!({"name": "Dana", "account_id": account.id.0})).await;
    let driver = driver.expect(201)["id"].as_i64().unwrap();
    api.post(&admin, "/api/v1/id-tokens", json!({"tag": "DANA-CARD"})).await.expect(201);
    api.put(&admin, &format!("{base}/drivers/{driver}/tokens/DANA-CARD"), json!({})).await.expect(204);

    let mine = api.send("GET", "/api/v1/public/connectors/DRV-1/1", Some(&session), None).await.expect(200);
    assert_eq!(mine["you"]["may_start"], true, "{mine}");
    assert_eq!(mine["you"]["id_tag"], "DANA-CARD");

    // Start: the station is asked with the driver's card, and starts.
    let start = api.post(&session, "/api/v1/me/charging", json!({"station_id": "DRV-1", "connector_id": 1}));
    let station = async {
        let payload = answer_next(&mut st, "RemoteStartTransaction", json!({"status": "Accepted"})).await;
        assert_eq!(payload, json!({"connectorId": 1, "idTag": "DANA-CARD"}));
        let begin = json!({"connectorId": 1, "idTag": "DANA-CARD", "meterStart": 1000,
                           "timestamp": chrono::Utc::now() - chrono::Duration::minutes(30)});
        st.call("StartTransaction", begin).await.unwrap().expect_result()["transactionId"].as_i64().unwrap()
    };
    let (answer, tx) = tokio::join!(start, station);
    let answer = answer.expect(200);
    assert_eq!(answer["status"], "Accepted");
    assert_eq!(answer["transaction_id"], tx);

    // Energy, power and cost so far: 5 kWh at 0.40 + 8.1 % VAT = 2.162 -> 2.16.
    let now = chrono::Utc::now().to_rfc3339();
    st.call("MeterValues", meter(tx, &now, 6000, 11000.0)).await.unwrap().expect_result();
    let live = api.get(&session, "/api/v1/me/charging").await.expect(200);
    let running = &live["active"][0];
    assert_eq!(running["transaction_id"], tx);
    assert_eq!(running["energy_wh"], 5000);
    assert_eq!(running["power_w"], 11000.0);
    assert_eq!(running["cost"]["total"], "2.16", "{running}");
    let page = api.send("GET", "/api/v1/public/connectors/DRV-1/1", Some(&session), None).await.expect(200);
    assert_eq!(page["you"]["session"]["transaction_id"], tx);
    assert_eq!(page["you"]["may_start"], false, "one session per connector");

    // Someone else cannot stop it, nor see it.
    let (_, other) = api.person(Some(&op), AccountRole::Driver, &format!("eve-{}@example.com", unique()), true).await;
    api.post(&other, &format!("/api/v1/me/charging/{tx}/stop"), json!({})).await.problem(404, "not-found");
    assert_eq!(api.get(&other, "/api/v1/me/charging").await.expect(200)["active"], json!([]));
    // API tokens start sessions with remote-start, not as a person.
    api.get(&admin, "/api/v1/me/charging").await.problem(403, "forbidden");

    // Stop: the station is asked, stops, and the session's final cost follows.
    let stop_path = format!("/api/v1/me/charging/{tx}/stop");
    let stop = api.post(&session, &stop_path, json!({}));
    let station = async {
        let payload = answer_next(&mut st, "RemoteStopTransaction", json!({"status": "Accepted"})).await;
        assert_eq!(payload, json!({"transactionId": tx}));
        let end = json!({"transactionId": tx, "meterStop": 6000, "timestamp": chrono::Utc::now(), "reason": "Remote"});
        st.call("StopTransaction", end).await.unwrap().expect_result();
    };
    let (answer, ()) = tokio::join!(stop, station);
    assert_eq!(answer.expect(200)["status"], "Accepted");
    api.eventually("the stopped session is priced", || async {
        let me = api.get(&session, "/api/v1/me/charging").await.expect(200);
        me["active"] == json!([]) && me["recent"][0]["cost"]["total"] == "2.16"
    })
    .await;
    api.post(&session, &format!("/api/v1/me/charging/{tx}/stop"), json!({})).await.problem(409, "conflict");
}

#[tokio::test]
async fn refusals_say_why_and_a_private_station_keeps_its_place_to_itself() {
    let api = TestApi::start().await;
    let op = api.operator(&format!("Private {}", unique())).await;
    let admin = api.token(&op, Role::Admin).await;
    let _st = api.booted(&op, "PRIV-1").await;
    api.put(&admin, "/api/v1/stations/PRIV-1/access", json!({"mode": "private", "authorization_required": true}))
        .await
        .expect(200);

    let page = api.send("GET", "/api/v1/public/connectors/PRIV-1/1", None, None).await.expect(200);
    assert_eq!(page["private"], true);
    assert!(page["place"].is_null() && page["price"].is_null(), "{page}");
    api.send("GET", "/api/v1/public/stations/PRIV-1/photo", None, None).await.problem(404, "not-found");

    let email = format!("stranger-{}@example.com", unique());
    let (account, session) = api.person(Some(&op), AccountRole::Driver, &email, true).await;
    let base = format!("/api/v1/operators/{}", op.id.0);
    let driver = api.post(&admin, &format!("{base}/drivers"), json!({"name": "S", "account_id": account.id.0})).await;
    let driver = driver.expect(201)["id"].as_i64().unwrap();
    api.post(&admin, "/api/v1/id-tokens", json!({"tag": "S-CARD"})).await.expect(201);
    api.put(&admin, &format!("{base}/drivers/{driver}/tokens/S-CARD"), json!({})).await.expect(204);

    let page = api.send("GET", "/api/v1/public/connectors/PRIV-1/1", Some(&session), None).await.expect(200);
    assert_eq!(page["you"]["may_start"], false);
    assert!(page["you"]["reason"].as_str().unwrap().starts_with("refused: private station"), "{page}");
    assert!(page["place"].is_null() && page["price"].is_null(), "a refused driver sees no more than anyone: {page}");
    let refused = api.post(&session, "/api/v1/me/charging", json!({"station_id": "PRIV-1", "connector_id": 1})).await;
    let refused = refused.problem(409, "conflict");
    assert!(refused["detail"].as_str().unwrap().starts_with("remote start refused"), "{refused}");
}

#[tokio::test]
async fn a_connectors_event_stream_says_when_its_page_changed_and_nothing_of_other_connectors() {
    let api = TestApi::start().await;
    let op = api.operator(&format!("Live {}", unique())).await;
    let mut st = api.booted(&op, "LIVE-1").await;
    let path = "/api/v1/public/connectors/LIVE-1/1/events";
    // A passer-by (no login) gets the stream too: it says nothing the station does not show.
    let anonymous = api.http.get(api.url(path)).send().await.unwrap();
    assert_eq!(anonymous.status(), 200);
    let email = format!("watcher-{}@example.com", unique());
    let (_, session) = api.person(Some(&op), AccountRole::Driver, &email, true).await;
    let missing = api.http.get(api.url("/api/v1/public/connectors/NONE-1/1/events")).bearer_auth(&session);
    assert_eq!(missing.send().await.unwrap().status(), 404);
    let response = api.http.get(api.url(path)).bearer_auth(&session).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/event-stream");

    let status = |c: u32, s: &str| json!({"connectorId": c, "status": s, "errorCode": "NoError"});
    let begin =
        |c: u32, tag: &str| json!({"connectorId": c, "idTag": tag, "meterStart": 0, "timestamp": chrono::Utc::now()});
    let end = |tx: i64| json!({"transactionId": tx, "meterStop": 1000, "timestamp": chrono::Utc::now()});
    // Connector 2's life, interleaved with connector 1's: none of it may appear.
    st.call("StatusNotification", status(2, "Charging")).await.unwrap().expect_result();
    let other = st.call("StartTransaction", begin(2, "OTHER")).await.unwrap().expect_result()["transactionId"].as_i64();
    st.call("StatusNotification", status(1, "Preparing")).await.unwrap().expect_result();
    let tx = st.call("StartTransaction", begin(1, "MINE")).await.unwrap().expect_result()["transactionId"].as_i64();
    st.call("MeterValues", meter(tx.unwrap(), &chrono::Utc::now().to_rfc3339(), 500, 7000.0)).await.unwrap();
    st.call("StopTransaction", end(other.unwrap())).await.unwrap().expect_result();
    st.call("StopTransaction", end(tx.unwrap())).await.unwrap().expect_result();
    // The whole station (connector 0) shows on every connector's page.
    st.call("StatusNotification", status(0, "Unavailable")).await.unwrap().expect_result();

    let events = common::read_events(response, 5).await;
    let seen_by_passer_by = common::read_events(anonymous, 5).await;
    assert_eq!(seen_by_passer_by, events, "the same for everyone");
    let kinds: Vec<&str> = events
        .iter()
        .map(|(name, data)| {
            assert_eq!(name, "changed");
            assert!(data["at"].is_string(), "{data}");
            data["kind"].as_str().unwrap()
        })
        .collect();
    assert_eq!(kinds, ["status", "session-started", "meter-values", "session-stopped", "status"]);
    // Only the kind: no id tag, no figures.
    assert!(events.iter().all(|(_, data)| data.as_object().unwrap().len() == 2), "{events:?}");

    // Passers-by have their own bound (200; the stream read above may still hold its place until the server
    // notices it closed): beyond it 503, and a person still gets in.
    let mut open = Vec::new();
    let mut refused = false;
    for _ in 0..=200 {
        let r = api.http.get(api.url(path)).send().await.unwrap();
        if r.status() == 503 {
            refused = true;
            break;
        }
        assert_eq!(r.status(), 200);
        open.push(r);
    }
    assert!(refused && (199..=200).contains(&open.len()), "{} open, refused: {refused}", open.len());
    let person = api.http.get(api.url(path)).bearer_auth(&session).send().await.unwrap();
    assert_eq!(person.status(), 200);
}
