//! Authentication, roles and operator scoping over real HTTP.

mod common;

use common::TestApi;
use joule_core::Role;
use joule_core::station::StationState;
use serde_json::json;

#[tokio::test]
async fn requests_without_a_valid_token_are_refused_with_401() {
    let api = TestApi::start().await;
    let op = api.operator("Acme").await;
    api.register(&op, "CP-1", StationState::Active).await;

    let missing = api.send("GET", "/api/v1/stations", None, None).await;
    let body = missing.problem(401, "unauthorized");
    assert!(body["detail"].as_str().unwrap().contains("Bearer"), "{body}");

    let wrong = api.get("joule_not-a-real-token", "/api/v1/stations").await.problem(401, "unauthorized");
    assert!(wrong["detail"].as_str().unwrap().contains("unknown"), "{wrong}");

    let foreign = api.get("ghp_something", "/api/v1/stations").await.problem(401, "unauthorized");
    assert!(foreign["detail"].as_str().unwrap().contains("joule_"), "{foreign}");

    let response = api.http.get(api.url("/api/v1/stations")).send().await.unwrap();
    assert_eq!(response.headers()["www-authenticate"], "Bearer realm=\"joule\"");
}

#[tokio::test]
async fn a_revoked_token_stops_working() {
    let api = TestApi::start().await;
    let op = api.operator("Acme").await;
    let admin = api.token(&op, Role::Admin).await;
    let created = api.post(&admin, "/api/v1/api-tokens", json!({"name": "ci", "role": "viewer"})).await.expect(201);
    let secret = created["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("joule_"));
    api.get(&secret, "/api/v1/stations").await.expect(200);

    let id = created["id"].as_i64().unwrap();
    let listed = api.get(&admin, "/api/v1/api-tokens").await.expect(200);
    assert!(listed.as_array().unwrap().iter().any(|t| t["id"] == id && t["name"] == "ci"));
    assert!(listed.to_string().contains("ci") && !listed.to_string().contains(&secret), "secrets are never listed");

    api.delete(&admin, &format!("/api/v1/api-tokens/{id}")).await.expect(204);
    let refused = api.get(&secret, "/api/v1/stations").await.problem(401, "unauthorized");
    assert!(refused["detail"].as_str().unwrap().contains("revoked"), "{refused}");
}

#[tokio::test]
async fn roles_are_checked_on_every_kind_of_endpoint() {
    let api = TestApi::start().await;
    let op = api.operator("Acme").await;
    api.register(&op, "CP-1", StationState::Active).await;
    let viewer = api.token(&op, Role::Viewer).await;
    let operator = api.token(&op, Role::Operator).await;

    // A viewer reads...
    api.get(&viewer, "/api/v1/stations/CP-1").await.expect(200);
    api.get(&viewer, "/api/v1/id-tokens").await.expect(200);
    api.get(&viewer, "/api/v1/sessions").await.expect(200);
    // ...but does not act.
    let refused = api.post(&viewer, "/api/v1/stations/CP-1/reset", json!({})).await.problem(403, "forbidden");
    assert!(refused["detail"].as_str().unwrap().contains("operator"), "{refused}");
    api.post(&viewer, "/api/v1/id-tokens", json!({"tag": "CARD-1"})).await.problem(403, "forbidden");
    api.put(&viewer, "/api/v1/stations/CP-1/configuration/HeartbeatInterval", json!({"value": "60"}))
        .await
        .problem(403, "forbidden");
    // An operator acts but does not manage tokens or defaults.
    api.post(&operator, "/api/v1/id-tokens", json!({"tag": "CARD-1"})).await.expect(201);
    api.get(&operator, "/api/v1/api-tokens").await.problem(403, "forbidden");
    api.post(&operator, "/api/v1/api-tokens", json!({"name": "x", "role": "admin"})).await.problem(403, "forbidden");
    api.put(&operator, &format!("/api/v1/operators/{}/defaults", op.id.0), json!([])).await.problem(403, "forbidden");
}

#[tokio::test]
async fn a_token_never_sees_or_touches_another_operators_data() {
    let api = TestApi::start().await;
    let acme = api.operator("Acme").await;
    let other = api.operator("Other").await;
    api.register(&acme, "ACME-1", StationState::Active).await;
    api.register(&other, "OTHER-1", StationState::Active).await;
    let acme_admin = api.token(&acme, Role::Admin).await;
    let other_admin = api.token(&other, Role::Admin).await;
    api.post(&other_admin, "/api/v1/id-tokens", json!({"tag": "OTHER-CARD"})).await.expect(201);

    let stations = api.get(&acme_admin, "/api/v1/stations").await.expect(200);
    let ids: Vec<&str> = stations.as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["ACME-1"]);
    // Filtering by the other operator gives nothing, not its stations.
    let filtered = api.get(&acme_admin, &format!("/api/v1/stations?operator={}", other.id.0)).await.expect(200);
    assert_eq!(filtered, json!([]));

    // Another operator's station is 404, exactly like one that does not exist, for reads and commands.
    let foreign = api.get(&acme_admin, "/api/v1/stations/OTHER-1").await.problem(404, "not-found");
    let missing = api.get(&acme_admin, "/api/v1/stations/NOPE-1").await.problem(404, "not-found");
    assert_eq!(foreign["title"], missing["title"]);
    api.post(&acme_admin, "/api/v1/stations/OTHER-1/reset", json!({})).await.problem(404, "not-found");
    api.get(&acme_admin, "/api/v1/stations/OTHER-1/commands").await.problem(404, "not-found");
    api.get(&acme_admin, "/api/v1/stations/OTHER-1/messages").await.problem(404, "not-found");
    api.get(&acme_admin, "/api/v1/stations/OTHER-1/configuration").await.problem(404, "not-found");

    // Id tokens and operators likewise.
    api.get(&acme_admin, "/api/v1/id-tokens/OTHER-CARD").await.problem(404, "not-found");
    api.delete(&acme_admin, "/api/v1/id-tokens/OTHER-CARD").await.problem(404, "not-found");
    assert_eq!(api.get(&acme_admin, "/api/v1/id-tokens").await.expect(200), json!([]));
    api.get(&acme_admin, &format!("/api/v1/operators/{}", other.id.0)).await.problem(404, "not-found");
    let operators = api.get(&acme_admin, "/api/v1/operators").await.expect(200);
    assert_eq!(operators.as_array().unwrap().len(), 1);
    assert_eq!(operators[0]["name"], "Acme");
    assert!(operators[0]["ocpp_url"].as_str().unwrap().ends_with(&format!("/ocpp/{}/", acme.key)));
    // The other operator's tokens cannot be revoked either.
    let other_tokens = api.get(&other_admin, "/api/v1/api-tokens").await.expect(200);
    let other_token_id = other_tokens[0]["id"].as_i64().unwrap();
    api.delete(&acme_admin, &format!("/api/v1/api-tokens/{other_token_id}")).await.problem(404, "not-found");
    api.get(&other_admin, "/api/v1/stations").await.expect(200);
}

#[tokio::test]
async fn invalid_input_gets_a_400_naming_the_field() {
    let api = TestApi::start().await;
    let op = api.operator("Acme").await;
    api.register(&op, "CP-1", StationState::Active).await;
    let token = api.token(&op, Role::Admin).await;

    let p = api.get(&token, "/api/v1/stations?state=sleeping").await.problem(400, "invalid-request");
    assert_eq!(p["field"], "state");
    let p = api.get(&token, "/api/v1/stations?limit=0").await.problem(400, "invalid-request");
    assert_eq!(p["field"], "limit");
    let p = api.get(&token, "/api/v1/stations?limit=many").await.problem(400, "invalid-request");
    assert_eq!(p["field"], "limit");
    let p = api.get(&token, "/api/v1/stations?colour=red").await.problem(400, "invalid-request");
    assert_eq!(p["field"], "colour");
    let p = api.get(&token, "/api/v1/sessions?since=yesterday").await.problem(400, "invalid-request");
    assert_eq!(p["field"], "since");
    let p = api.get(&token, "/api/v1/stations/CP-1/messages?until=2026-13-01").await.problem(400, "invalid-request");
    assert_eq!(p["field"], "until");

    // Bodies: wrong JSON, a wrong type, an unknown property, a missing one.
    let raw = api
        .http
        .post(api.url("/api/v1/id-tokens"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
    let p: serde_json::Value = raw.json().await.unwrap();
    assert_eq!(p["field"], "body");
    let p = api.post(&token, "/api/v1/id-tokens", json!({"tag": 7})).await.problem(400, "invalid-request");
    assert_eq!(p["field"], "tag");
    let p =
        api.post(&token, "/api/v1/id-tokens", json!({"tag": "A", "colour": 1})).await.problem(400, "invalid-request");
    assert!(p["detail"].as_str().unwrap().contains("colour"), "{p}");
    let p = api.post(&token, "/api/v1/id-tokens", json!({"tag": "TOO-LONG-FOR-AN-ID-TOKEN-EVEN-IN-OCPP-2"})).await;
    assert_eq!(p.problem(400, "invalid-request")["field"], "tag");
    let p = api.post(&token, "/api/v1/api-tokens", json!({"name": "x", "role": "root"})).await;
    assert_eq!(p.problem(400, "invalid-request")["field"], "role");
    let p = api
        .put(
            &token,
            &format!("/api/v1/operators/{}/defaults", op.id.0),
            json!([{"key": "A", "value": "1"}, {"key": "A", "value": "2"}]),
        )
        .await;
    assert_eq!(p.problem(400, "invalid-request")["field"], "[1].key");

    // Commands are validated against OCPP 1.6 before anything is sent.
    let p = api
        .post(&token, "/api/v1/stations/CP-1/commands", json!({"action": "Reset", "payload": {"type": "Medium"}}))
        .await
        .problem(400, "invalid-request");
    assert_eq!(p["field"], "payload.type");
    let p = api
        .post(&token, "/api/v1/stations/CP-1/commands", json!({"action": "BootNotification", "payload": {}}))
        .await
        .problem(400, "invalid-request");
    assert_eq!(p["field"], "action");
    let p = api
        .post(
            &token,
            "/api/v1/stations/CP-1/commands",
            json!({"action": "RemoteStartTransaction", "payload": {"connectorId": 1}}),
        )
        .await
        .problem(400, "invalid-request");
    assert_eq!(p["field"], "payload.idTag");
    let p = api.post(&token, "/api/v1/stations/cp 1/reset", json!({})).await.problem(400, "invalid-request");
    assert_eq!(p["field"], "station_id");
    // Nothing was sent: the history is empty.
    assert_eq!(api.get(&token, "/api/v1/stations/CP-1/commands").await.expect(200), json!([]));

    // Unknown endpoints under /api are problems too.
    api.get(&token, "/api/v1/chargers").await.problem(404, "not-found");
}

#[tokio::test]
async fn shortcut_errors_name_the_shortcuts_own_fields() {
    let api = TestApi::start().await;
    let op = api.operator("Acme").await;
    api.register(&op, "CP-1", StationState::Active).await;
    let token = api.token(&op, Role::Operator).await;
    let p = api.post(&token, "/api/v1/stations/CP-1/reset", json!({"type": "Medium"})).await;
    assert_eq!(p.problem(400, "invalid-request")["field"], "type");
    let p = api.post(&token, "/api/v1/stations/CP-1/remote-start", json!({"id_tag": "T", "connector_id": 0})).await;
    assert_eq!(p.problem(400, "invalid-request")["field"], "connector_id");
    let p = api.post(&token, "/api/v1/stations/CP-1/trigger", json!({"message": "Coffee"})).await;
    assert_eq!(p.problem(400, "invalid-request")["field"], "message");
    let p = api.post(&token, "/api/v1/stations/CP-1/unlock", json!({"connector_id": -1})).await;
    assert_eq!(p.problem(400, "invalid-request")["field"], "connector_id");
    let p = api.post(&token, "/api/v1/stations/CP-1/availability", json!({"type": "Sleepy"})).await;
    assert_eq!(p.problem(400, "invalid-request")["field"], "type");
    let p = api
        .post(&token, "/api/v1/stations/CP-1/remote-start", json!({"id_tag": "T", "wait_for_start_secs": 1000}))
        .await;
    assert_eq!(p.problem(400, "invalid-request")["field"], "wait_for_start_secs");
}
