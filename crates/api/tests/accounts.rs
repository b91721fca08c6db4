//! People: login sessions, what each role may reach, approval of owners and installers, the audit log.

mod common;

use common::{PASSWORD, TestApi};
use joule_core::account::AccountRole;
use joule_core::station::StationState;
use serde_json::json;

#[tokio::test]
async fn staff_log_in_and_act_for_their_operator_only() {
    let api = TestApi::start().await;
    let acme = api.operator("Acme").await;
    let other = api.operator("Other").await;
    api.register(&acme, "ACME-1", StationState::Active).await;
    api.register(&other, "OTHER-1", StationState::Active).await;
    let (_, staff) = api.person(Some(&acme), AccountRole::OperatorStaff, "staff@acme.example", false).await;
    assert!(staff.starts_with("jsess_"));

    let me = api.get(&staff, "/api/v1/me").await.expect(200);
    assert_eq!(me["kind"], "account");
    assert_eq!(me["account"]["role"], "operator-staff");
    let stations = api.get(&staff, "/api/v1/stations").await.expect(200);
    assert_eq!(stations.as_array().unwrap().len(), 1);
    assert_eq!(stations[0]["id"], "ACME-1");
    api.get(&staff, "/api/v1/stations/OTHER-1").await.problem(404, "not-found");

    // Logging out ends the session.
    api.post(&staff, "/api/v1/logout", json!({})).await.expect(204);
    let p = api.get(&staff, "/api/v1/stations").await.problem(401, "unauthorized");
    assert!(p["detail"].as_str().unwrap().contains("log in again"), "{p}");
}

#[tokio::test]
async fn a_platform_admin_names_the_operator_to_act_for() {
    let api = TestApi::start().await;
    let acme = api.operator("Acme").await;
    api.register(&acme, "ACME-1", StationState::Active).await;
    let (_, admin) = api.person(None, AccountRole::PlatformAdmin, "root@joule.example", false).await;

    let p = api.get(&admin, "/api/v1/stations").await.problem(400, "invalid-request");
    assert_eq!(p["field"], "Joule-Operator");
    let response = api
        .http
        .get(api.url("/api/v1/stations"))
        .bearer_auth(&admin)
        .header("Joule-Operator", acme.id.0.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let stations: serde_json::Value = response.json().await.unwrap();
    assert_eq!(stations[0]["id"], "ACME-1");
}

#[tokio::test]
async fn owners_installers_and_drivers_do_not_reach_operator_endpoints() {
    let api = TestApi::start().await;
    let acme = api.operator("Acme").await;
    for (role, email) in [
        (AccountRole::Owner, "owner@example.com"),
        (AccountRole::Installer, "installer@example.com"),
        (AccountRole::Driver, "driver@example.com"),
    ] {
        let (_, token) = api.person(Some(&acme), role, email, true).await;
        let p = api.get(&token, "/api/v1/stations").await.problem(403, "forbidden");
        assert!(p["detail"].as_str().unwrap().contains(role.as_str()), "{p}");
        api.get(&token, "/api/v1/audit").await.problem(403, "forbidden");
        assert_eq!(api.get(&token, "/api/v1/me").await.expect(200)["account"]["role"], role.as_str());
    }
}

#[tokio::test]
async fn wrong_credentials_do_not_say_which_part_was_wrong_and_guessing_is_limited() {
    let api = TestApi::start().await;
    let acme = api.operator("Acme").await;
    api.person(Some(&acme), AccountRole::OperatorStaff, "staff@acme.example", false).await;

    let login = |email: &str, password: &str| {
        api.send("POST", "/api/v1/login", None, Some(json!({"email": email, "password": password})))
    };
    let wrong_password = login("staff@acme.example", "not the password").await.problem(401, "unauthorized");
    let unknown_email = login("nobody@acme.example", PASSWORD).await.problem(401, "unauthorized");
    assert_eq!(wrong_password["detail"], unknown_email["detail"]);
    // Case and spaces in the e-mail do not matter.
    login(" Staff@ACME.example ", PASSWORD).await.expect(200);

    for _ in 0..10 {
        login("staff@acme.example", "guess").await.problem(401, "unauthorized");
    }
    // Ten failures within 15 minutes close the door, even for the right password.
    let p = login("staff@acme.example", PASSWORD).await.problem(429, "too-many-attempts");
    assert!(p["detail"].as_str().unwrap().contains("15 minutes"), "{p}");
}

#[tokio::test]
async fn owners_register_and_are_confirmed_installers_certified_with_an_audit_trail() {
    let api = TestApi::start().await;
    let acme = api.operator("Acme").await;
    let other = api.operator("Other").await;
    let (staff_account, staff) = api.person(Some(&acme), AccountRole::OperatorStaff, "staff@acme.example", false).await;
    let (_, other_staff) = api.person(Some(&other), AccountRole::OperatorStaff, "staff@other.example", false).await;

    // An owner registers with the operator: a company needs its registration number.
    let form = json!({"operator_id": acme.id.0, "email": "owner@example.com", "name": "Garage Ltd", "password": PASSWORD, "owner_kind": "company"});
    let p = api.send("POST", "/api/v1/register", None, Some(form.clone())).await.problem(400, "invalid-request");
    assert_eq!(p["field"], "company_number");
    let mut form = form;
    form["company_number"] = json!("NL-12345678");
    let owner = api.send("POST", "/api/v1/register", None, Some(form.clone())).await.expect(201);
    assert_eq!(owner["approved"], false);
    api.send("POST", "/api/v1/register", None, Some(form)).await.problem(409, "conflict");
    let bad = json!({"operator_id": acme.id.0, "email": "x@example", "name": "X", "password": PASSWORD, "owner_kind": "individual"});
    assert_eq!(
        api.send("POST", "/api/v1/register", None, Some(bad)).await.problem(400, "invalid-request")["field"],
        "email"
    );
    let weak = json!({"operator_id": acme.id.0, "email": "y@example.com", "name": "Y", "password": "short", "owner_kind": "individual"});
    assert_eq!(
        api.send("POST", "/api/v1/register", None, Some(weak)).await.problem(400, "invalid-request")["field"],
        "password"
    );

    // Staff see it waiting and confirm it; the other operator's staff cannot.
    let pending = api.get(&staff, "/api/v1/accounts?pending=true").await.expect(200);
    assert_eq!(pending.as_array().unwrap().len(), 1);
    let id = owner["id"].as_i64().unwrap();
    api.post(&other_staff, &format!("/api/v1/accounts/{id}/approve"), json!({})).await.problem(404, "not-found");
    let confirmed = api.post(&staff, &format!("/api/v1/accounts/{id}/approve"), json!({})).await.expect(200);
    assert_eq!(confirmed["approved"], true);
    assert_eq!(api.get(&staff, "/api/v1/accounts?pending=true").await.expect(200), json!([]));

    // Staff create an installer, then certify them; staff cannot create platform admins.
    let installer = json!({"email": "fitter@example.com", "name": "Fitter", "role": "installer", "password": PASSWORD});
    let installer = api.post(&staff, "/api/v1/accounts", installer).await.expect(201);
    let admin = json!({"email": "root2@example.com", "name": "Root", "role": "platform-admin", "password": PASSWORD});
    api.post(&staff, "/api/v1/accounts", admin).await.problem(403, "forbidden");
    let installer_id = installer["id"].as_i64().unwrap();
    api.post(&staff, &format!("/api/v1/accounts/{installer_id}/approve"), json!({})).await.expect(200);
    // Staff are not approved: only owners and installers are.
    let p = api.post(&staff, &format!("/api/v1/accounts/{}/approve", staff_account.id.0), json!({})).await;
    assert_eq!(p.problem(400, "invalid-request")["field"], "account_id");

    // Disabling ends the installer's sessions and logins.
    let (_, fitter_session) = (
        (),
        api.send("POST", "/api/v1/login", None, Some(json!({"email": "fitter@example.com", "password": PASSWORD})))
            .await
            .expect(200)["token"]
            .as_str()
            .unwrap()
            .to_string(),
    );
    api.put(&staff, &format!("/api/v1/accounts/{installer_id}/disabled"), json!({"disabled": true})).await.expect(200);
    api.get(&fitter_session, "/api/v1/me").await.problem(401, "unauthorized");
    api.send("POST", "/api/v1/login", None, Some(json!({"email": "fitter@example.com", "password": PASSWORD})))
        .await
        .problem(401, "unauthorized");

    // Every action is in the audit log, newest first, with before and after; the other operator sees none.
    let audit = api.get(&staff, "/api/v1/audit").await.expect(200);
    let actions: Vec<&str> = audit.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        ["account.disable", "installer.certify", "account.create", "owner.confirm", "account.register"]
    );
    let confirm = &audit[3];
    assert_eq!(confirm["actor"], "account:staff@acme.example");
    assert_eq!(confirm["subject"], format!("account:{id}"));
    assert_eq!(confirm["before"]["approved"], false);
    assert_eq!(confirm["after"]["approved"], true);
    let about_owner = api.get(&staff, &format!("/api/v1/audit?subject=account:{id}")).await.expect(200);
    assert_eq!(about_owner.as_array().unwrap().len(), 2);
    assert_eq!(api.get(&other_staff, "/api/v1/audit").await.expect(200), json!([]));
}

#[tokio::test]
async fn a_person_changes_their_password_and_every_session_ends() {
    let api = TestApi::start().await;
    let acme = api.operator("Acme").await;
    let email = "pw@acme.example";
    let (account, first) = api.person(Some(&acme), AccountRole::OperatorStaff, email, false).await;
    let second =
        api.send("POST", "/api/v1/login", None, Some(json!({"email": email, "password": PASSWORD}))).await.expect(200)
            ["token"]
            .as_str()
            .unwrap()
            .to_string();
    let new = "an entirely new passphrase";

    // Wrong current password, a new one the account rules refuse, the same one again: 400 naming the field.
    let body = |current: &str, new: &str| json!({"current_password": current, "new_password": new});
    let p = api.post(&first, "/api/v1/me/password", body("wrong", new)).await.problem(400, "invalid-request");
    assert_eq!(p["field"], "current_password");
    let p = api.post(&first, "/api/v1/me/password", body(PASSWORD, "short")).await.problem(400, "invalid-request");
    assert_eq!(p["field"], "new_password");
    let p = api.post(&first, "/api/v1/me/password", body(PASSWORD, PASSWORD)).await.problem(400, "invalid-request");
    assert_eq!(p["field"], "new_password");
    let p = api.post(&first, "/api/v1/me/password", json!({"new_password": new})).await.problem(400, "invalid-request");
    assert!(p["detail"].as_str().unwrap().contains("current_password"), "{p}");
    // Nothing changed so far.
    api.get(&second, "/api/v1/me").await.expect(200);

    let changed = api.post(&first, "/api/v1/me/password", body(PASSWORD, new)).await.expect(200);
    let fresh = changed["token"].as_str().unwrap();
    assert!(fresh.starts_with("jsess_"));
    assert_eq!(changed["account"]["email"], email);
    // Every session before the change ended; the new one works.
    api.get(&first, "/api/v1/me").await.problem(401, "unauthorized");
    api.get(&second, "/api/v1/me").await.problem(401, "unauthorized");
    api.get(fresh, "/api/v1/me").await.expect(200);
    // The old password no longer logs in, the new one does.
    let old = api.send("POST", "/api/v1/login", None, Some(json!({"email": email, "password": PASSWORD}))).await;
    old.problem(401, "unauthorized");
    api.send("POST", "/api/v1/login", None, Some(json!({"email": email, "password": new}))).await.expect(200);
    // Audited without either password.
    let audit = api.get(fresh, &format!("/api/v1/audit?subject=account:{}", account.id.0)).await.expect(200);
    assert_eq!(audit[0]["action"], "account.password");
    assert_eq!(audit[0]["actor"], format!("account:{email}"));
    assert!(!audit.to_string().contains(new) && !audit.to_string().contains(PASSWORD));

    // An API token has no password to change.
    let token = api.token(&acme, joule_core::Role::Admin).await;
    let p = api.post(&token, "/api/v1/me/password", body(PASSWORD, new)).await.problem(400, "invalid-request");
    assert_eq!(p["field"], "Authorization");
}

#[tokio::test]
async fn wrong_current_passwords_count_as_failed_logins() {
    let api = TestApi::start().await;
    let acme = api.operator("Acme").await;
    let (_, session) = api.person(Some(&acme), AccountRole::OperatorStaff, "guess@acme.example", false).await;
    let body = json!({"current_password": "guess", "new_password": "an entirely new passphrase"});
    for _ in 0..10 {
        api.post(&session, "/api/v1/me/password", body.clone()).await.problem(400, "invalid-request");
    }
    api.post(&session, "/api/v1/me/password", body).await.problem(429, "too-many-attempts");
}
