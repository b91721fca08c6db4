//! Resetting a forgotten password by an e-mailed link, through the real server: the mail lands in
//! the outbox folder (no SMTP server configured) and the test reads the link from it, as a person would.

mod common;

use common::{PASSWORD, TestApi, unique};
use joule_core::account::AccountRole;
use serde_json::{Value, json};

/// The reset links mailed to `to`, oldest first, as written to the outbox folder.
fn links(api: &TestApi, to: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(api.app.app.mailer().outbox_dir()) else { return vec![] };
    let mut mails: Vec<(std::time::SystemTime, String)> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .filter_map(|p| Some((std::fs::metadata(&p).ok()?.modified().ok()?, std::fs::read_to_string(p).ok()?)))
        .filter(|(_, text)| text.contains(&format!("To: {to}")))
        .collect();
    mails.sort();
    mails
        .iter()
        .filter_map(|(_, text)| {
            let body = quoted_printable(text);
            body.lines().find(|l| l.contains("/password/reset?token=")).map(|l| l.trim().to_string())
        })
        .collect()
}

/// The mail's text with quoted-printable undone (a long line, like the link's, is sent that way: RFC 2045
/// §6.7, soft line breaks and `=XX` escapes); the headers pass through.
fn quoted_printable(text: &str) -> String {
    let joined = text.replace("=\r\n", "").replace("=\n", "");
    let mut out = Vec::new();
    let bytes = joined.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn secret(link: &str) -> String {
    link.split("token=").nth(1).expect("a token in the link").to_string()
}

async fn ask(api: &TestApi, email: &str) -> Value {
    api.send("POST", "/api/v1/password-reset", None, Some(json!({ "email": email }))).await.expect(202)
}

async fn login_status(api: &TestApi, email: &str, password: &str) -> u16 {
    api.send("POST", "/api/v1/login", None, Some(json!({ "email": email, "password": password }))).await.status
}

#[tokio::test]
async fn a_mailed_link_sets_a_new_password_once_and_ends_the_old_logins() {
    let api = TestApi::start().await;
    let op = api.operator(&format!("Reset {}", unique())).await;
    let email = format!("forgetful-{}@example.com", unique());
    let (_, session) = api.person(Some(&op), AccountRole::Owner, &email, true).await;

    // The answer is the same for an account and for nobody.
    let known = ask(&api, &email).await;
    let unknown = ask(&api, "nobody-here@example.com").await;
    assert_eq!(
        known["detail"].as_str().unwrap().replace(&email, "X"),
        unknown["detail"].as_str().unwrap().replace("nobody-here@example.com", "X"),
        "the answer does not tell whether the address has an account"
    );
    api.eventually("the link is mailed", || async { links(&api, &email).len() == 1 }).await;
    assert!(links(&api, "nobody-here@example.com").is_empty(), "nobody gets no mail");
    let link = links(&api, &email).remove(0);
    assert!(link.starts_with(&format!("http://{}/password/reset?token=jreset_", api.addr)), "{link}");

    // A weak password is refused and the link still works afterwards.
    let weak = api
        .send(
            "POST",
            "/api/v1/password-reset/confirm",
            None,
            Some(json!({ "token": secret(&link), "password": "short" })),
        )
        .await
        .problem(400, "invalid-request");
    assert_eq!(weak["field"], "password", "{weak}");

    let new_password = "a much better password 42";
    let confirm = json!({ "token": secret(&link), "password": new_password });
    let done = api.send("POST", "/api/v1/password-reset/confirm", None, Some(confirm.clone())).await;
    assert_eq!(done.status, 204, "{:?}", done.body);
    assert_eq!(login_status(&api, &email, new_password).await, 200, "the new password works");
    assert_eq!(login_status(&api, &email, PASSWORD).await, 401, "the old one does not");
    assert_eq!(api.get(&session, "/api/v1/me").await.status, 401, "the logins from before the reset ended");

    // Used once: the same link again is refused, saying what to do.
    let again =
        api.send("POST", "/api/v1/password-reset/confirm", None, Some(confirm)).await.problem(400, "invalid-request");
    assert_eq!(again["field"], "token");
    assert!(again["detail"].as_str().unwrap().contains("ask for a new one"), "{again}");
    let forged = json!({ "token": "jreset_not-a-real-one", "password": new_password });
    api.send("POST", "/api/v1/password-reset/confirm", None, Some(forged)).await.problem(400, "invalid-request");

    // A malformed address is a 400 on `email`; extra fields are refused.
    let bad = api.send("POST", "/api/v1/password-reset", None, Some(json!({ "email": "not an address" }))).await;
    assert_eq!(bad.problem(400, "invalid-request")["field"], "email");
}

#[tokio::test]
async fn links_are_limited_per_hour_and_a_newer_link_ends_the_older_ones() {
    let api = TestApi::start().await;
    let op = api.operator(&format!("Reset limit {}", unique())).await;
    let email = format!("impatient-{}@example.com", unique());
    api.person(Some(&op), AccountRole::Installer, &email, true).await;

    for n in 1..=5 {
        ask(&api, &email).await;
        // One at a time, so that the count the limit reads includes the previous link.
        let want = n.min(3);
        api.eventually("the link is mailed or refused", || async { links(&api, &email).len() == want }).await;
    }
    // The background tasks of the last two requests may still be running: wait once more, then count.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let sent = links(&api, &email);
    assert_eq!(sent.len(), 3, "at most three links an hour");

    let new_password = "the newest link wins 7";
    let confirm = |link: &str| json!({ "token": secret(link), "password": new_password });
    let done = api.send("POST", "/api/v1/password-reset/confirm", None, Some(confirm(&sent[2]))).await;
    assert_eq!(done.status, 204, "{:?}", done.body);
    for older in &sent[..2] {
        let refused = api.send("POST", "/api/v1/password-reset/confirm", None, Some(confirm(older))).await;
        assert_eq!(refused.problem(400, "invalid-request")["field"], "token", "an older link died with the reset");
    }
}
