//! The OpenAPI document is generated from the code; this snapshot stops it drifting unnoticed. After an
//! intended change to the API, regenerate it with `JOULE_UPDATE_OPENAPI=1 cargo test -p joule-api --test openapi`
//! and review the diff of `crates/api/openapi.json`.

mod common;

use common::TestApi;

const SNAPSHOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");

#[test]
fn the_openapi_document_matches_the_snapshot() {
    let generated = serde_json::to_string_pretty(&joule_api::openapi()).unwrap() + "\n";
    if std::env::var_os("JOULE_UPDATE_OPENAPI").is_some() {
        std::fs::write(SNAPSHOT, &generated).unwrap();
        return;
    }
    let snapshot = std::fs::read_to_string(SNAPSHOT).unwrap_or_default();
    assert!(
        generated == snapshot,
        "the OpenAPI document changed; if intended, run `JOULE_UPDATE_OPENAPI=1 cargo test -p joule-api --test openapi` \
         and commit crates/api/openapi.json"
    );
}

#[test]
fn every_operation_is_documented_and_answers_problems() {
    let doc = serde_json::to_value(joule_api::openapi()).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 25, "{} paths", paths.len());
    for (path, item) in paths {
        assert!(path.starts_with("/api/v1/"), "{path}");
        for (method, op) in item.as_object().unwrap() {
            let doc = op["description"].as_str().or(op["summary"].as_str());
            assert!(doc.is_some_and(|d| !d.is_empty()), "{method} {path} has no description");
            assert!(op["tags"].as_array().is_some_and(|t| !t.is_empty()), "{method} {path} has no tag");
            let responses = op["responses"].as_object().unwrap();
            assert!(responses.keys().any(|s| s.starts_with('2')), "{method} {path} has no success response");
        }
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    assert!(doc["components"]["schemas"]["Problem"].is_object());
}

#[tokio::test]
async fn the_documents_are_served_without_a_token() {
    let api = TestApi::start().await;
    let json = api.send("GET", "/api/v1/openapi.json", None, None).await.expect(200);
    assert_eq!(json["info"]["title"], "Joule API");
    let page = api.http.get(api.url("/api/v1/docs")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = page.text().await.unwrap();
    assert!(html.contains("/api/v1/stations/{station_id}/commands"));
    assert!(html.contains("id=\"problem-station-offline\""));
    assert!(!html.contains("<script"), "the page works without scripts or a CDN");
}
