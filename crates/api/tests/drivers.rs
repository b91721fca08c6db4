//! Drivers, groups and the CSV import of id tokens ("Access"), end to end: CRUD with roles and
//! operator isolation, an import report checked line by line, idempotent re-import, dry run, and an imported
//! group admitting a token at a limited station driven over a real websocket.

mod common;

use common::{Answer, TestApi};
use joule_core::Role;
use serde_json::{Value, json};

async fn import(api: &TestApi, token: &str, op: i64, query: &str, csv: &str) -> Answer {
    let url = api.url(&format!("/api/v1/operators/{op}/id-tokens/import{query}"));
    let response = api
        .http
        .post(url)
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(csv.to_owned())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let content_type =
        response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let body = serde_json::from_str(&response.text().await.unwrap()).unwrap_or(Value::Null);
    Answer { status, content_type, body }
}

fn names(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|d| d["name"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn drivers_and_groups_are_managed_with_roles_and_kept_per_operator() {
    let api = TestApi::start().await;
    let op = api.operator("Drive Co").await;
    let other = api.operator("Other Co").await;
    let token = api.token(&op, Role::Operator).await;
    let viewer = api.token(&op, Role::Viewer).await;
    let stranger = api.token(&other, Role::Admin).await;
    let base = format!("/api/v1/operators/{}", op.id.0);

    // Create, validate, read.
    let ann = api.post(&token, &format!("{base}/drivers"), json!({"name": "Ann", "email": "Ann@Example.com"})).await;
    let ann = ann.expect(201);
    assert_eq!(ann["email"], "ann@example.com");
    let ann_id = ann["id"].as_i64().unwrap();
    let bad = api.post(&token, &format!("{base}/drivers"), json!({"name": " "})).await.problem(400, "invalid-request");
    assert_eq!(bad["field"], "name");
    let bad = api.post(&token, &format!("{base}/drivers"), json!({"name": "B", "email": "nope"})).await;
    assert_eq!(bad.problem(400, "invalid-request")["field"], "email");
    let other_account =
        api.person(Some(&other), joule_core::account::AccountRole::Owner, "o@other.example", true).await;
    let bad =
        api.post(&token, &format!("{base}/drivers"), json!({"name": "B", "account_id": other_account.0.id.0})).await;
    assert_eq!(bad.problem(400, "invalid-request")["field"], "account_id");
    api.post(&viewer, &format!("{base}/drivers"), json!({"name": "Bob"})).await.problem(403, "forbidden");
    let bob = api.post(&token, &format!("{base}/drivers"), json!({"name": "Bob"})).await.expect(201);
    let bob_id = bob["id"].as_i64().unwrap();
    assert_eq!(names(&api.get(&viewer, &format!("{base}/drivers")).await.expect(200)), ["Ann", "Bob"]);

    // Update.
    let upd = api
        .put(&token, &format!("{base}/drivers/{bob_id}"), json!({"name": "Bob Smith", "email": "bob@example.com"}))
        .await
        .expect(200);
    assert_eq!((upd["name"].as_str(), upd["email"].as_str()), (Some("Bob Smith"), Some("bob@example.com")));

    // Tokens: link a registered one; an unregistered one is a 404.
    api.post(&token, "/api/v1/id-tokens", json!({"tag": "CARD-A"})).await.expect(201);
    api.put(&token, &format!("{base}/drivers/{ann_id}/tokens/CARD-A"), json!({})).await.expect(204);
    api.put(&token, &format!("{base}/drivers/{ann_id}/tokens/NOPE"), json!({})).await.problem(404, "not-found");
    let one = api.get(&viewer, &format!("{base}/drivers/{ann_id}")).await.expect(200);
    assert_eq!(one["tokens"][0]["tag"], "CARD-A");
    api.delete(&token, &format!("{base}/drivers/{bob_id}/tokens/CARD-A")).await.problem(404, "not-found");
    api.delete(&token, &format!("{base}/drivers/{ann_id}/tokens/CARD-A")).await.expect(204);
    assert_eq!(api.get(&viewer, &format!("{base}/drivers/{ann_id}")).await.expect(200)["tokens"], json!([]));

    // Groups and members.
    let staff = api.post(&token, &format!("{base}/groups"), json!({"name": "staff"})).await.expect(201);
    let staff_id = staff["id"].as_i64().unwrap();
    api.post(&token, &format!("{base}/groups"), json!({"name": "staff"})).await.problem(409, "conflict");
    api.post(&viewer, &format!("{base}/groups"), json!({"name": "x"})).await.problem(403, "forbidden");
    api.put(&token, &format!("{base}/groups/{staff_id}/members/{ann_id}"), json!({})).await.expect(204);
    api.put(&token, &format!("{base}/groups/{staff_id}/members/{ann_id}"), json!({})).await.expect(204);
    api.put(&token, &format!("{base}/groups/{staff_id}/members/99999"), json!({})).await.problem(404, "not-found");
    assert_eq!(names(&api.get(&viewer, &format!("{base}/groups/{staff_id}/members")).await.expect(200)), ["Ann"]);
    let groups = api.get(&viewer, &format!("{base}/groups")).await.expect(200);
    assert_eq!(groups[0]["members"], 1);
    assert_eq!(api.get(&viewer, &format!("{base}/drivers/{ann_id}")).await.expect(200)["groups"][0]["name"], "staff");
    api.delete(&token, &format!("{base}/groups/{staff_id}/members/{ann_id}")).await.expect(204);
    assert_eq!(api.get(&viewer, &format!("{base}/groups/{staff_id}/members")).await.expect(200), json!([]));

    // Another operator sees nothing and can change nothing: its path is a 404, ours with its token too.
    api.get(&stranger, &format!("{base}/drivers")).await.problem(404, "not-found");
    api.delete(&stranger, &format!("{base}/drivers/{ann_id}")).await.problem(404, "not-found");
    let their = format!("/api/v1/operators/{}", other.id.0);
    assert_eq!(api.get(&stranger, &format!("{their}/drivers")).await.expect(200), json!([]));
    api.get(&stranger, &format!("{their}/drivers/{ann_id}")).await.problem(404, "not-found");
    api.delete(&stranger, &format!("{their}/groups/{staff_id}")).await.problem(404, "not-found");

    // Delete.
    api.delete(&viewer, &format!("{base}/drivers/{bob_id}")).await.problem(403, "forbidden");
    api.delete(&token, &format!("{base}/drivers/{bob_id}")).await.expect(204);
    api.get(&viewer, &format!("{base}/drivers/{bob_id}")).await.problem(404, "not-found");
    api.delete(&token, &format!("{base}/groups/{staff_id}")).await.expect(204);
    assert_eq!(api.get(&viewer, &format!("{base}/groups")).await.expect(200), json!([]));

    // Every write is in the audit log.
    let admin = api.token(&op, Role::Admin).await;
    let audit = api.get(&admin, "/api/v1/audit").await.expect(200);
    let actions: Vec<&str> = audit.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    for a in ["driver.create", "driver.update", "driver.link", "driver.unlink", "group.create", "group.join"] {
        assert!(actions.contains(&a), "{a} not in {actions:?}");
    }
    for a in ["group.leave", "driver.delete", "group.delete"] {
        assert!(actions.contains(&a), "{a} not in {actions:?}");
    }
}

const FILE: &str = "id_tag,driver_name,driver_email,groups,expires_at,blocked,parent\r
CARD-1,Ann Example,ann@example.com,staff;residents,2030-01-01T00:00:00Z,false,\r
CARD-2,\"Example, Ann\",,,,,\r
CARD-3,\"Carl \"\"The Van\"\" Driver\",carl@example.com,\"residents\",,true,CARD-1\r
TOO-LONG-TAG-1234567890123456789012345,Dora,,,,,\r
CARD-5,Eve,,,next tuesday,,\r
CARD-1,Someone,,,,,\r
CARD-7,Ann again,ANN@example.com,staff,,,\r
CARD-8,\"Multi\nLine\",,,,,\r
CARD-9,Fay,fay@example.com,,,maybe,\r
CARD-10,,,,,,\r
";

#[tokio::test]
async fn csv_import_reports_every_line_is_idempotent_and_its_groups_admit_at_a_limited_station() {
    let api = TestApi::start().await;
    let op = api.operator("Import Co").await;
    let token = api.token(&op, Role::Operator).await;
    let viewer = api.token(&op, Role::Viewer).await;
    let id = op.id.0;
    let base = format!("/api/v1/operators/{id}");

    import(&api, &viewer, id, "", FILE).await.problem(403, "forbidden");

    // Dry run: the full report, nothing written.
    let dry = import(&api, &token, id, "?dry_run=true", FILE).await.expect(200);
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["counts"], json!({"lines": 10, "created": 5, "updated": 0, "unchanged": 0, "rejected": 5}));
    assert_eq!(api.get(&viewer, "/api/v1/id-tokens").await.expect(200), json!([]));
    assert_eq!(api.get(&viewer, &format!("{base}/drivers")).await.expect(200), json!([]));
    assert_eq!(api.get(&viewer, &format!("{base}/groups")).await.expect(200), json!([]));

    // The real run: the same report, line by line.
    let report = import(&api, &token, id, "", FILE).await.expect(200);
    assert_eq!(report["dry_run"], false);
    assert_eq!(report["counts"], dry["counts"]);
    let rejected: Vec<(u64, Value, String)> = report["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["line"].as_u64().unwrap(), r["column"].clone(), r["reason"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(rejected.len(), 5, "{rejected:?}");
    assert_eq!(rejected[0].0, 5);
    assert_eq!(rejected[0].1, "id_tag");
    assert_eq!(rejected[0].2, "longer than 36 characters (38)");
    assert_eq!((rejected[1].0, rejected[1].1.clone()), (6, json!("expires_at")));
    assert!(rejected[1].2.contains("next tuesday"), "{}", rejected[1].2);
    assert_eq!((rejected[2].0, rejected[2].1.clone()), (7, Value::Null));
    assert_eq!(rejected[2].2, "id_tag CARD-1 given twice (first on line 2)");
    // The quoted line break makes CARD-8 two lines long, so CARD-9 starts on line 11.
    assert_eq!((rejected[3].0, rejected[3].1.clone()), (9, json!("driver_name")));
    assert_eq!((rejected[4].0, rejected[4].1.clone()), (11, json!("blocked")));
    let mut groups_created: Vec<&str> =
        report["groups_created"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    groups_created.sort();
    assert_eq!(groups_created, ["residents", "staff"]);

    // What is stored: CARD-7 went to Ann (found by e-mail, whatever the case), quoted names kept whole.
    let drivers = api.get(&viewer, &format!("{base}/drivers")).await.expect(200);
    assert_eq!(names(&drivers), ["Ann Example", "Carl \"The Van\" Driver", "Example, Ann"]);
    let ann = drivers.as_array().unwrap().iter().find(|d| d["name"] == "Ann Example").unwrap();
    let ann = api.get(&viewer, &format!("{base}/drivers/{}", ann["id"])).await.expect(200);
    let tags: Vec<&str> = ann["tokens"].as_array().unwrap().iter().map(|t| t["tag"].as_str().unwrap()).collect();
    assert_eq!(tags, ["CARD-1", "CARD-7"]);
    let ann_groups: Vec<&str> = ann["groups"].as_array().unwrap().iter().map(|g| g["name"].as_str().unwrap()).collect();
    assert_eq!(ann_groups, ["residents", "staff"]);
    let card3 = api.get(&viewer, "/api/v1/id-tokens/CARD-3").await.expect(200);
    assert_eq!((card3["blocked"].clone(), card3["parent"].clone()), (json!(true), json!("CARD-1")));
    let card1 = api.get(&viewer, "/api/v1/id-tokens/CARD-1").await.expect(200);
    assert_eq!(card1["expires_at"], "2030-01-01T00:00:00Z");
    // CARD-10 has no driver: registered alone.
    api.get(&viewer, "/api/v1/id-tokens/CARD-10").await.expect(200);

    // Importing the same file again changes nothing.
    let again = import(&api, &token, id, "", FILE).await.expect(200);
    assert_eq!(again["counts"], json!({"lines": 10, "created": 0, "updated": 0, "unchanged": 5, "rejected": 5}));
    assert_eq!(again["drivers_created"], json!([]));
    assert_eq!(again["groups_created"], json!([]));
    assert_eq!(api.get(&viewer, &format!("{base}/drivers")).await.expect(200).as_array().unwrap().len(), 3);

    // A changed line is an update; columns absent from the header leave the rest as stored.
    let update = "id_tag,blocked\nCARD-1,true\nCARD-2,\n";
    let r = import(&api, &token, id, "", update).await.expect(200);
    assert_eq!(r["counts"], json!({"lines": 2, "created": 0, "updated": 1, "unchanged": 1, "rejected": 0}));
    let card1 = api.get(&viewer, "/api/v1/id-tokens/CARD-1").await.expect(200);
    assert_eq!((card1["blocked"].clone(), card1["expires_at"].clone()), (json!(true), json!("2030-01-01T00:00:00Z")));
    import(&api, &token, id, "", "id_tag,blocked\nCARD-1,false\n").await.expect(200);

    // A bad header rejects the whole file, naming the column.
    let bad = import(&api, &token, id, "", "id_tag,colour\nX,red\n").await.problem(400, "invalid-request");
    assert_eq!(bad["field"], "header");
    assert!(bad["detail"].as_str().unwrap().contains("unknown column \"colour\""), "{bad}");
    let bad = import(&api, &token, id, "", "").await.problem(400, "invalid-request");
    assert_eq!(bad["field"], "header");

    // Over 5 MiB: 413.
    let big = format!("id_tag\n{}", "A\n".repeat(3 * 1024 * 1024));
    assert_eq!(import(&api, &token, id, "", &big).await.status, 413);

    // The imported group takes effect: a station limited to "residents" admits CARD-1 (Ann, a resident), not
    // CARD-2 (a driver in no group) nor CARD-10 (no driver).
    let groups = api.get(&viewer, &format!("{base}/groups")).await.expect(200);
    let residents = groups.as_array().unwrap().iter().find(|g| g["name"] == "residents").unwrap()["id"].clone();
    let mut st = api.booted(&op, "IMP-1").await;
    let rules = json!({"mode": "limited", "groups": [residents], "authorization_required": true});
    api.put(&token, "/api/v1/stations/IMP-1/access", rules).await.expect(200);
    let authorize = async |st: &mut joule_sim::client::StationClient, tag: &str| {
        st.call("Authorize", json!({"idTag": tag})).await.unwrap().expect_result()["idTagInfo"]["status"].clone()
    };
    assert_eq!(authorize(&mut st, "CARD-1").await, "Accepted");
    assert_eq!(authorize(&mut st, "CARD-2").await, "Invalid");
    assert_eq!(authorize(&mut st, "CARD-10").await, "Invalid");

    // The import is in the audit log with its counts.
    let admin = api.token(&op, Role::Admin).await;
    let audit = api.get(&admin, "/api/v1/audit").await.expect(200);
    let imports: Vec<&Value> = audit.as_array().unwrap().iter().filter(|e| e["action"] == "id_tokens.import").collect();
    assert_eq!(imports.len(), 4, "{audit}");
}
